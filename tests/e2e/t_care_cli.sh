#!/bin/sh
# t_care_cli.sh - care from the command line, end to end: a therapist is
# registered and verified by the council, publishes a service and
# availability; `show find` and `show slots` (in the viewer's TZ) find it;
# a patient books, the therapist accepts; cancelling refunds in full days
# ahead and half the price inside 24 h; two homes book the same slot
# offline and, after exchanging bundles in both directions, exactly one
# booking stands on both, the other is "slot taken" and its money never
# moved; export-ics writes stable UIDs; notes are encrypted: neither the
# log, the bundle nor the database holds the text, the therapist reads
# it, the patient only the shared summary, a stranger nothing; rating and
# disputing too early are refused; an insurance claim with encrypted policy
# details is approved in part and paid.
. "$(dirname "$0")/lib.sh"
t_begin care_cli

A="$T_TMP/a"
B="$T_TMP/b"
mv_a() { "$MV" --home "$A" "$@"; }
mv_b() { "$MV" --home "$B" "$@"; }
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}
# the id of the op a --json command made
json_id() { "$@" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'; }
units() { "$MV" --home "$1" --json show balance "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)["amount"])'; }

# --- a network with a verified therapist and two patients ---------------------
mv_a init carenet >/dev/null
for n in therapist-tess patient-pia patient-quinn patient-stan; do mv_a keygen "$n" >/dev/null; done
for n in patient-pia patient-quinn patient-stan; do mv_a op ledger.transfer to="$n" amount=300 >/dev/null; done
check "therapist registers" mv_a --as therapist-tess register --role therapist --name "Tess Morgan" --jurisdiction US
echo "license scan" >"$T_TMP/proof"
check "therapist applies" mv_a --as therapist-tess verify submit --license L-77 --board "State Board" \
	--jurisdiction US --expires 2031-01-01 --proof-file "$T_TMP/proof"
check_fail "an unverified therapist cannot publish" 3 mv_a --as therapist-tess op service.publish \
	title=Early modality=individual format=video duration_min=50 price=10 languages=en \
	specialties=anxiety insurance_accepted=no auto_accept=no
check_out "the council verifies" ' applied$' mv_a op verify.decide applicant=therapist-tess decision=approve
for n in patient-pia patient-quinn patient-stan; do
	mv_a --as "$n" register --role patient --name "P-$n" --jurisdiction US >/dev/null
done

# --- publish and availability -----------------------------------------------------
SVC=$(json_id mv_a --as therapist-tess op service.publish title="Anxiety therapy" modality=individual \
	format=video duration_min=50 price=40 languages=en,pt specialties=anxiety,stress \
	insurance_accepted=yes auto_accept=no)
check_eq "service published" "$(echo "$SVC" | wc -c | tr -d ' ')" 65
# a near window 3 h from now (for a late cancellation), then 09:00-17:00 UTC
# on the 6 days from the day after tomorrow
WIN=$(python3 -c '
import time
now = int(time.time())
near = (now + 3 * 3600 + 59) // 60 * 60
w = [near * 1000, (near + 3600) * 1000]
d0 = (now // 86400 + 2) * 86400
for k in range(6):
    d = d0 + k * 86400
    w += [(d + 9 * 3600) * 1000, (d + 17 * 3600) * 1000]
print(",".join(map(str, w)))')
NEAR=$(echo "$WIN" | cut -d, -f1)
DAY2=$(python3 -c 'import time; print(time.strftime("%Y-%m-%d", time.gmtime((int(time.time()) // 86400 + 2) * 86400)))')
DAY3=$(python3 -c 'import time; print(time.strftime("%Y-%m-%d", time.gmtime((int(time.time()) // 86400 + 3) * 86400)))')
check_out "availability published" ' applied$' mv_a --as therapist-tess op availability.set windows="$WIN"
check_fail "availability from a patient is refused" 3 mv_a --as patient-pia op availability.set windows="$WIN"

# --- finding and slots -------------------------------------------------------------
check_out "find lists the therapist" '^therapist-tess +yes +40 MVT' mv_a show find
check_out "find by specialty" 'therapist-tess' mv_a show find --specialty anxiety --language pt --format video --insurance --verified
check_out "find filters out by price" 'no therapist' mv_a show find --max-price 39.99
check_out "find filters out by specialty" 'no therapist' mv_a show find --specialty grief
check_fail "find refuses a bad format" 1 mv_a show find --format hologram
check "find --json" pyjson 'assert d[0]["therapist_label"] == "therapist-tess" and d[0]["verified"] and d[0]["min_price"] == 4000000000' mv_a --json show find
check_out "services of the therapist" 'Anxiety therapy' mv_a show services therapist-tess
check_out "slots in UTC" "^[A-Z][a-z]{2} $DAY2  09:00 09:50 10:40" mv_a --as patient-pia show slots "$SVC" --from "$DAY2" --days 1
check_out "slots in the viewer's zone (TZ)" "^[A-Z][a-z]{2} $DAY2  04:00 04:50 05:40" env TZ=America/New_York \
	"$MV" --home "$A" --as patient-pia show slots "$SVC" --from "$DAY2 00:00" --days 1
check_out "slots name the zone" 'times in EST' env TZ=America/New_York "$MV" --home "$A" show slots "$SVC"
check "slots --json are UTC ms" pyjson "assert d['slots'][0]['start'] % 60000 == 0 and d['slots'][0]['start_utc'].endswith('Z')" \
	mv_a --json --as patient-pia show slots "$SVC" --from "$DAY2"
check_out "a service by id prefix" 'free slots of "Anxiety therapy"' mv_a show slots "$(echo "$SVC" | cut -c1-8)"

# --- book, accept, the patient's views --------------------------------------------
before_pia=$(units "$A" patient-pia)
S1=$(mv_a --as patient-pia book "$SVC" "$DAY2 09:00" 2>/dev/null | cut -d' ' -f1)
check_eq "booking printed its id" "$(echo "$S1" | wc -c | tr -d ' ')" 65
check_out "the booking waits for the therapist" 'requested' mv_a --as patient-pia show session "$S1"
check_eq "price + fee left the patient" "$(units "$A" patient-pia)" "$((before_pia - 4004000000))"
check_out "the therapist accepts" ' applied$' mv_a --as therapist-tess op session.accept session="$S1"
check_out "My sessions shows it confirmed and tentative" 'confirmed · tentative +therapist-tess' mv_a --as patient-pia show sessions
check_out "the therapist sees the patient" 'patient-pia' mv_a --as therapist-tess show sessions
check_fail "a slot outside availability is refused" 3 mv_a --as patient-quinn book "$SVC" "$DAY2 18:00"
check_out "outside availability says so" "outside the therapist's availability" mv_a --as patient-quinn book "$SVC" "$DAY2 18:00"
check_fail "the same slot twice is refused" 3 mv_a --as patient-quinn book "$SVC" "$DAY2 09:00"
check_fail "a bad time is an error" 1 mv_a --as patient-quinn book "$SVC" "next tuesday"

# --- cancellation refunds -----------------------------------------------------------
before_q=$(units "$A" patient-quinn)
S2=$(mv_a --as patient-quinn book "$SVC" "$DAY3 10:40" 2>/dev/null | cut -d' ' -f1)
mv_a --as therapist-tess op session.accept session="$S2" >/dev/null
check_out "refund preview: full, days ahead" 'cancel +now: full refund \(40.04 MVT back' mv_a --as patient-quinn show session "$S2"
check_out "patient cancels days ahead" ' applied$' mv_a --as patient-quinn op session.cancel session="$S2"
check_eq "full refund: the balance is back" "$(units "$A" patient-quinn)" "$before_q"
S3=$(mv_a --as patient-quinn book "$SVC" "$NEAR" 2>/dev/null | cut -d' ' -f1)
mv_a --as therapist-tess op session.accept session="$S3" >/dev/null
check_out "refund preview: 50% inside 24 h" '50% refund \(20 MVT back' mv_a --as patient-quinn show session "$S3"
mv_a --as patient-quinn op session.cancel session="$S3" >/dev/null
check_eq "late cancel: half the price back, the fee kept" "$(units "$A" patient-quinn)" "$((before_q - 2004000000))"
check_out "cancelled sessions are past" 'cancelled by patient' mv_a --as patient-quinn show sessions --past
check_fail "cancelling twice is refused" 3 mv_a --as patient-quinn op session.cancel session="$S3"

# --- notes are encrypted -------------------------------------------------------------
PRIV="private-note-$$-zebra"
SHARED="shared-summary-$$-okapi"
check_out "therapist adds a private note" ' applied$' mv_a --as therapist-tess note add "$S1" --text "$PRIV"
check_out "therapist adds a shared summary" ' applied$' mv_a --as therapist-tess note add "$S1" --text "$SHARED" --shared
check_fail "a stranger cannot add a note" 3 mv_a --as patient-stan note add "$S1" --text "hello"
check_fail "the patient cannot add a note" 3 mv_a --as patient-pia note add "$S1" --text "hello"
check_out "the therapist reads the private note" "$PRIV" mv_a --as therapist-tess show notes "$S1"
check_out "the patient reads the shared summary" "$SHARED" mv_a --as patient-pia show notes "$S1"
check_out "the patient cannot read the private note" 'sealed to the therapist: not readable' mv_a --as patient-pia show notes "$S1"
out=$(mv_a --as patient-stan show notes "$S1" 2>&1)
check_eq "a stranger reads neither" "$(printf '%s' "$out" | grep -c -e "$PRIV" -e "$SHARED")" 0
check_out "a stranger sees only that notes exist" 'not readable by you' mv_a --as patient-stan show notes "$S1"
mv_a export "$T_TMP/notes.bundle" >/dev/null
check_eq "the op log does not hold the note text" "$(mv_a log | grep -c -e "$PRIV" -e "$SHARED")" 0
check_eq "the bundle does not hold the note text" "$(grep -a -c -e "$PRIV" -e "$SHARED" "$T_TMP/notes.bundle")" 0
check_eq "the database does not hold the note text" "$(cat "$A"/mentalverse.db* | grep -a -c -e "$PRIV" -e "$SHARED")" 0

# --- rating, dispute and insurance claims (encrypted text) ----------------------------
check_fail "rating a session not completed is refused" 3 mv_a --as patient-pia rate "$S1" 5 --comment "great"
check_out "... with the contract's reason" 'only a completed session can be rated' mv_a --as patient-pia rate "$S1" 5
check_fail "stars outside 1..5 are an error" 1 mv_a --as patient-pia rate "$S1" 6
check_fail "disputing a session not ended is refused" 3 mv_a --as patient-pia dispute "$S1" --reason "did not happen"
check_out "... with the contract's reason" 'session has not ended yet' mv_a --as patient-pia dispute "$S1" --reason "x"
check_out "only the patient disputes" 'only the session.s patient may dispute' mv_a --as therapist-tess dispute "$S1" --reason "x"
mv_a keygen insurer-ivy >/dev/null
mv_a op ledger.transfer to=insurer-ivy amount=100 >/dev/null
check_out "the council appoints an insurer" ' applied$' mv_a op user.appoint account=insurer-ivy role=insurer \
	display_name="Ivy Health" jurisdiction=US
POLICY="policy-$$-narwhal"
S4=$(mv_a --as patient-pia book "$SVC" "$DAY3 12:20" --payment insurance 2>/dev/null | cut -d' ' -f1)
check_fail "a request cannot be claimed yet" 3 mv_a --as patient-pia insurance-claim "$S4" --insurer insurer-ivy --policy "$POLICY"
mv_a --as therapist-tess op session.accept session="$S4" >/dev/null
check_fail "a claim to a non-insurer is refused" 3 mv_a --as patient-pia insurance-claim "$S4" --insurer patient-stan --policy "$POLICY"
C1=$(mv_a --as patient-pia --json insurance-claim "$S4" --insurer insurer-ivy --policy "$POLICY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check_out "the insurer sees the claim" 'submitted +40 MVT' mv_a --as insurer-ivy show claims
check_fail "only the insurer decides" 3 mv_a --as patient-pia op claim.decide claim="$C1" approved_amount=30
check_out "the insurer approves part" ' applied$' mv_a --as insurer-ivy op claim.decide claim="$C1" approved_amount=30
tess0=$(units "$A" therapist-tess)
check_out "the insurer pays" ' applied$' mv_a --as insurer-ivy op claim.pay claim="$C1" method=token
check_eq "the therapist received the approved amount" "$(units "$A" therapist-tess)" "$((tess0 + 3000000000))"
check_out "the patient sees it paid" 'paid +40 MVT +30 MVT +insurer-ivy' mv_a --as patient-pia show claims
check_eq "the policy text is not in the database" "$(cat "$A"/mentalverse.db* | grep -a -c -e "$POLICY")" 0

# --- export-ics ------------------------------------------------------------------------
check_out "export-ics" 'wrote 2 sessions to' mv_a --as patient-quinn export-ics "$T_TMP/q.ics"
unfold() { tr -d '\r' <"$1" | awk '/^ / { sub(/^ /, ""); printf "%s", $0; next } NR > 1 { print "" } { printf "%s", $0 } END { print "" }'; }
check_eq "one UID per session" "$(unfold "$T_TMP/q.ics" | grep -c '^UID:[0-9a-f]\{64\}@mentalverse$')" 2
check_out "the UID is the session id" "^UID:$S2@mentalverse" unfold "$T_TMP/q.ics"
check_out "cancelled sessions are marked" '^STATUS:CANCELLED' unfold "$T_TMP/q.ics"
check "lines end in CRLF" python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); assert d and d.count(b'\\n') == d.count(b'\\r\\n')" "$T_TMP/q.ics"
mv_a --as patient-quinn export-ics "$T_TMP/q2.ics" >/dev/null
check "a second export is byte-identical" cmp "$T_TMP/q.ics" "$T_TMP/q2.ics"
check "export-ics --json" pyjson 'assert d["events"] == 2' mv_a --json --as patient-quinn export-ics "$T_TMP/q3.ics"

# --- the same slot booked on two homes while offline -----------------------------------
cp -r "$A" "$B"
SLOT="${DAY3}T14:00:00Z"
pia0=$(units "$A" patient-pia); quinn0=$(units "$A" patient-quinn)
check_out "A: pia books 14:00" ' requested$' mv_a --as patient-pia book "$SVC" "$SLOT"
sleep 1.1
check_out "B: quinn books the same slot offline" ' requested$' mv_b --as patient-quinn book "$SVC" "$SLOT"
mv_a export "$T_TMP/a.bundle" >/dev/null
mv_b export "$T_TMP/b.bundle" >/dev/null
check_out "B imports A (the earlier booking arrives second)" 'applied' mv_b import "$T_TMP/a.bundle"
check_out "A imports B (the later booking arrives second)" 'applied' mv_a import "$T_TMP/b.bundle"
for H in "$A" "$B"; do
	w=$(basename "$H")
	n=$("$MV" --home "$H" --as therapist-tess --json show sessions | python3 -c "
import json, sys
print(sum(1 for s in json.load(sys.stdin) if s['start_utc'] == '$SLOT'))")
	check_eq "$w: exactly one booking of the slot stands" "$n" 1
	check_out "$w: it is pia's" "patient-pia" "$MV" --home "$H" --as therapist-tess show sessions
	check_out "$w: quinn's booking is refused 'slot taken'" 'patient-quinn#[0-9]+ session.book .* -> rejected: slot taken' "$MV" --home "$H" log
	check_eq "$w: quinn's money never moved" "$(units "$H" patient-quinn)" "$quinn0"
	check_eq "$w: pia paid once" "$(units "$H" patient-pia)" "$((pia0 - 4004000000))"
done
check_eq "both homes reach the same state" "$(mv_a state-root)" "$(mv_b state-root)"
check_out "A verifies" '^ok: ' mv_a verify

t_end
