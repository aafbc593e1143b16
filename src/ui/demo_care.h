/* demo_care.h - the care steps of the demo (demo.c) that a home helper
 * builds instead of home_submit_fields: times relative to when the demo is
 * built, the 12-week expansion of a weekly template, and the encryption of
 * notes and policy details. Each has the signature of demo.c's helper table
 * (fields are "name=value", @labels already replaced by op ids).
 *
 *   availability.set   days=mon-fri hours=09:00-12:00,13:00-17:00 (local time,
 *                      expanded for the next 12 weeks)
 *   session.book       service=ID start=free[+Nd] payment=P: the first free
 *                      slot of the service for the booking patient, at least N
 *                      days from now (any other start is taken as given)
 *   session.reschedule session=ID start=free[+Nd]: the same, for its service
 *   note.add           session=ID text=TEXT shared=yes|no
 *   claim.submit       session=ID insurer=ACCOUNT policy=TEXT */
#ifndef MV_DEMO_CARE_H
#define MV_DEMO_CARE_H

#include "core/home.h"

int demo_care_availability(struct home *h, const char *as, char *const *fields, int n,
			   struct submit_result *res, struct mv_err *err);
int demo_care_book(struct home *h, const char *as, char *const *fields, int n,
		   struct submit_result *res, struct mv_err *err);
int demo_care_reschedule(struct home *h, const char *as, char *const *fields, int n,
			 struct submit_result *res, struct mv_err *err);
int demo_care_note(struct home *h, const char *as, char *const *fields, int n,
		   struct submit_result *res, struct mv_err *err);
int demo_care_claim(struct home *h, const char *as, char *const *fields, int n,
		    struct submit_result *res, struct mv_err *err);

#endif
