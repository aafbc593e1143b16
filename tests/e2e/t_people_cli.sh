#!/bin/sh
# t_people_cli.sh - people end to end through the CLI, on the demo network
# (council of two, threshold 2): onboarding with a private profile that
# never reaches the log or the store in the clear, self-promotion to council
# refused, double registration refused, verification by the two-member
# council (one signature = pending, two = verified; non-council, self and
# repeated signatures refused; expired licenses refused), anomaly flags for
# repeated failed verification, sharing and revoking a private profile with
# the audit log showing both, and social recovery with a lost key: below the
# threshold nothing moves, at the threshold the new key acts as the account
# (balance, role and profile follow) and the old key's ops are rejected.
. "$(dirname "$0")/lib.sh"
t_begin people_cli

D="$T_TMP/demo"
mvd() { "$MV" --home "$D" "$@"; }
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}
check "demo network" mvd demo >/dev/null
echo "scan of license CA-77" >"$T_TMP/proof.txt"

# --- onboarding ------------------------------------------------------------------
mvd keygen wren >/dev/null
check_fail "register as council is refused (exit 1)" 1 mvd --as wren register --role council --name W --jurisdiction US
check_out "... saying roles are given by the council" 'given only by the council' mvd --as wren register --role council --name W --jurisdiction US
check_fail "user.register role=council refused by the field check" 1 mvd --as wren op user.register role=council display_name=W jurisdiction=US
check_out "... with the contract's reason" 'role must be one of patient\|therapist' mvd --as wren op user.register role=council display_name=W jurisdiction=US
check_out "register without a name is refused" 'needs --role, --name and --jurisdiction' mvd --as wren register --role patient --jurisdiction US
check_fail "a bad jurisdiction is rejected (exit 3)" 3 mvd --as wren register --role patient --name Wren --jurisdiction usa
check_out "onboarding: patient with a private profile" 'applied: registered as patient "Wren" \(US\); private profile encrypted' \
	mvd --as wren register --role patient --name Wren --jurisdiction US --private-text "Robin Wu, robin@example.org" --languages en,es
check_fail "double registration exits 3" 3 mvd --as wren register --role therapist --name Dr --jurisdiction US
check_out "double registration says a key registers once" 'already registered as patient \(a key registers once\)' \
	mvd --as wren register --role patient --name Wren2 --jurisdiction US
check_out "own profile: pseudonym" '^name +Wren$' mvd --as wren show profile
check_out "own profile: private part decrypted for its owner" 'Robin Wu, robin@example.org' mvd --as wren show profile
check "profile --json" pyjson 'assert d["role"] == "patient" and d["languages"] == ["en","es"] and "Robin" in d["private_profile"]["text"], d' mvd --as wren --json show profile
check_out "another account sees the private part is not shared" 'on record, not shared with you' mvd --as patient-kai show profile wren
check_eq "... and never its text" "$(mvd --as patient-kai show profile wren | grep -c Robin)" 0
check_eq "the private text is not in the log" "$(mvd log | grep -c Robin)" 0
check_eq "nor anywhere in the store in the clear" "$(cat "$D"/mentalverse.db* | grep -ac Robin)" 0
check_out "a patient's public bio is refused" "a patient's public record holds only a pseudonym" mvd --as wren op profile.update bio=hello
check_out "privacy.set applies" ' applied$' mvd --as wren op privacy.set listed=yes
check_out "profile shows the privacy setting" '^privacy +listed' mvd --as wren show profile
check_out "profile of an unregistered account says so" 'treasury is not registered' mvd show profile treasury
check_out "verification of a patient says so" 'wren is not a registered therapist' mvd show verification wren

# --- sharing, revoking, audit ------------------------------------------------------
check_out "share with a therapist" 'therapist-maya can now read your private profile' mvd --as wren share therapist-maya
check_out "the reader opens it" 'shared with you, decrypted here' mvd --as therapist-maya show profile wren
check_out "... and reads it" 'Robin Wu' mvd --as therapist-maya show profile wren
check_out "audit shows the share, by whom" 'wren +profile.share +shared profile with' mvd --as wren show audit
check_out "audit --subject shows the registration" 'user.register +registered as patient' mvd show audit --subject wren
check "audit --json" pyjson 'assert any(e["kind"] == "profile.share" and e["who_label"] == "wren" for e in d), d' mvd --json show audit --subject wren
check_out "revoke says what was read cannot be unread" 'What was already read cannot be unread' mvd --as wren revoke therapist-maya
check_out "after revoke the reader gets no key" 'on record, not shared with you' mvd --as therapist-maya show profile wren
check_out "audit shows the revoke" 'profile.revoke' mvd --as wren show audit
check_fail "revoking twice is rejected" 3 mvd --as wren revoke therapist-maya

# --- verification by a two-member council ----------------------------------------
mvd keygen doc >/dev/null
check_out "a therapist registers" 'registered as therapist' mvd --as doc register --role therapist --name "Dr. Doc" --jurisdiction US-CA --bio "CBT"
check_out "unverified before applying" '^status +unverified' mvd --as doc show verification
check_fail "an expired license is rejected" 3 mvd --as doc verify submit --license CA-77 --board "CA Board" --jurisdiction US-CA --expires 2020-01-01 --proof-file "$T_TMP/proof.txt"
check_out "verify submit without a proof is refused" 'needs --license' mvd --as doc verify submit --license CA-77 --board B --jurisdiction US-CA --expires 2031-01-01
check_out "verify submit applies" 'applied: application sent' mvd --as doc verify submit --license CA-77 --board "CA Board" --jurisdiction US-CA --expires 2031-01-01 --specialties anxiety,grief --proof-file "$T_TMP/proof.txt"
check_out "pending after submitting" '^status +pending' mvd --as doc show verification
check_out "cannot publish while pending" '^may publish +no' mvd --as doc show verification
check_fail "a patient cannot decide" 3 mvd --as wren op verify.decide applicant=doc decision=approve
check_out "... not allowed: council only" 'not allowed: verify_decide is for council' mvd --as wren op verify.decide applicant=doc decision=approve
check_out "the applicant cannot approve itself" 'rejected: not allowed: verify_decide is for council' mvd --as doc op verify.decide applicant=doc decision=approve
check_out "first council signature applies" ' applied$' mvd --as council-ana op verify.decide applicant=doc decision=approve reason="board register checked"
check_out "one signature: still pending" '^status +pending' mvd show verification doc
check_out "review queue shows 1 of 2" 'verify.decide about doc: .*\(1 of 2 signatures\)' mvd --as council-ben show review-queue
check_out "review queue says how to co-sign" 'co-sign: mentalverse op verify.decide applicant=doc decision=approve' mvd --as council-ben show review-queue
check "review queue --json" pyjson 'assert d["council_member"] and any(a["label"] == "doc" and a["approve"] == 1 for a in d["applications"]), d' mvd --as council-ben --json show review-queue
check_out "the same member cannot sign twice" 'already signed this request' mvd --as council-ana op verify.decide applicant=doc decision=approve
check_out "second council signature applies" ' applied$' mvd --as council-ben op verify.decide applicant=doc decision=approve
check_out "two signatures: verified" '^status +active' mvd show verification doc
check_out "verified therapists are listed" '^doc +Dr. Doc +active +CA-77' mvd show therapists
check_out "the applicant's audit log has the decision" 'council-ben +verify.decide +license verified by the council' mvd show audit --subject doc
check_out "CE is logged" 'continuing education logged' mvd --as doc verify ce --hours 5 --course "Ethics"
check_out "CE shows in verification" '5 h Ethics' mvd show verification doc

# --- anomaly flags: repeated failed verification -------------------------------------
mvd keygen quack >/dev/null
mvd --as quack register --role therapist --name Quack --jurisdiction US >/dev/null
for i in 1 2; do
	mvd --as quack verify submit --license "Q-$i" --board Nowhere --jurisdiction US --expires 2031-01-01 --proof-file "$T_TMP/proof.txt" >/dev/null
	mvd --as council-ana op verify.decide applicant=quack decision=reject reason="not on the register" >/dev/null
	mvd --as council-ben op verify.decide applicant=quack decision=reject reason="not on the register" >/dev/null
done
check_out "rejected twice: rejected state" '^status +rejected' mvd show verification quack
check_out "anomaly flag for failed verifications" 'failed_verification +quack +2 license applications rejected' mvd --as council-ana show anomalies

# --- recovery with a lost key ---------------------------------------------------------
check_out "patient-sam has two guardians" '2 of 2 guardians' mvd --as patient-sam show guardians
mvd keygen sam-phone >/dev/null
check_fail "a non-guardian cannot approve" 3 mvd --as patient-ria op recovery.approve account=patient-sam new_key=sam-phone
check_out "first guardian approves" ' applied$' mvd --as patient-kai op recovery.approve account=patient-sam new_key=sam-phone
check_out "below the threshold: pending 1 of 2" 'patient-sam -> new key sam-phone: 1 of 2 approvals' mvd show recoveries
check_out "below the threshold the old key still works" ' applied$' mvd --as patient-sam op ledger.transfer to=patient-kai amount=1
before=$(mvd --json show balance patient-sam | python3 -c 'import json,sys; print(json.load(sys.stdin)["amount"])')
check_out "second guardian approves" ' applied$' mvd --as member-dana op recovery.approve account=patient-sam new_key=sam-phone
check_out "no recovery pending any more" 'pending recoveries: 0' mvd show recoveries
check_fail "the old key's op is rejected (exit 3)" 3 mvd --as patient-sam op ledger.transfer to=patient-kai amount=1
check_out "... key retired by account recovery" 'rejected: key retired by account recovery' mvd --as patient-sam op ledger.transfer to=patient-kai amount=1
check_out "the new key acts as the account" ' applied$' mvd --as sam-phone op ledger.transfer to=patient-kai amount=1
after=$(mvd --json show balance patient-sam | python3 -c 'import json,sys; print(json.load(sys.stdin)["amount"])')
check_eq "the balance followed: 1 MVT + 0.1% fee left the account" "$after" "$((before - 100100000))"
check_out "the role and pseudonym followed" '^name +Sparrow$' mvd --as sam-phone show profile
check_out "the old private part is sealed to the lost key" 'sealed to a previous key' mvd --as sam-phone show profile
check_out "the guardians followed too" '2 of 2 guardians' mvd --as sam-phone show guardians
check_out "audit shows the recovery" 'account recovered: now controlled by key' mvd --as sam-phone show audit
check_out "a fresh private profile works with the new key" ' applied$' mvd --as sam-phone op privacy.set listed=no

# --- help -------------------------------------------------------------------------------
check_out "register --help" 'usage: mentalverse .*register --role' "$MV" register --help
check_out "show --help lists the people views" 'review-queue' "$MV" show --help
check_out "verify --help explains submit" 'verify submit' "$MV" verify --help
check_out "verify still replays the log" '^ok: ' mvd verify

t_end
