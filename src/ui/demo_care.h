/* demo_care.h - the care steps of the demo (demo.c) that a home helper
 * builds instead of home_submit_fields: times of the demo's timeline
 * (demo_clock.h), the 12-week expansion of a weekly template, and the
 * encryption of notes, rating comments, dispute reasons and policy details.
 * Each has the signature of demo.c's helper table (fields are "name=value",
 * @labels already replaced by op ids). "Now" is the demo's clock.
 *
 *   availability.set   days=mon-fri hours=09:00-12:00,13:00-17:00 (local time,
 *                      expanded for the next 12 weeks from now)
 *   session.book       service=ID start=S payment=P, S one of: free[+Nd] (the
 *                      first free slot of the service for the booking patient
 *                      at least N days from now), "last before TIME" (the
 *                      latest free slot from now to TIME), or a TIME
 *                      ("W-8 thu 10:00", demo_clock.h)
 *   session.reschedule session=ID start=S: the same, for its service
 *   note.add           session=ID text=TEXT shared=yes|no
 *   session.rate       session=ID stars=1..5 [comment=TEXT]
 *   session.dispute    session=ID reason=TEXT
 *   claim.submit       session=ID insurer=ACCOUNT policy=TEXT
 *   companion.checkin  at=TIME score=1..10 [tags=a,b] [note=TEXT]: a mood
 *                      check-in kept on this node only (not an op; the step
 *                      counts as applied)
 *   access.share_mood  days=N: the check-ins of the last N days sealed to
 *                      the patient's therapist (home_companion_share) */
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
int demo_care_rate(struct home *h, const char *as, char *const *fields, int n,
		   struct submit_result *res, struct mv_err *err);
int demo_care_dispute(struct home *h, const char *as, char *const *fields, int n,
		      struct submit_result *res, struct mv_err *err);
int demo_care_claim(struct home *h, const char *as, char *const *fields, int n,
		    struct submit_result *res, struct mv_err *err);
int demo_care_checkin(struct home *h, const char *as, char *const *fields, int n,
		      struct submit_result *res, struct mv_err *err);
int demo_care_share_mood(struct home *h, const char *as, char *const *fields, int n,
			 struct submit_result *res, struct mv_err *err);

#endif
