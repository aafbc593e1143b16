#!/bin/sh
# t_companion_cli.sh - the companion from the command line, end to end, on a
# network built here: check-ins and thought records are refused when out of
# bounds, saved encrypted (neither the database, the op log nor an export
# holds the text; another identity reads nothing; a wrong passphrase opens
# nothing), charted by `history` (text and --json means); crisis words
# print the crisis resources after saving, ordinary words do not; sharing
# is refused towards someone who is not your therapist (by the CLI and,
# with a hand-made op, by the contract), turns share_mood_with_therapist
# on, and the therapist reads the check-ins while another patient reads
# nothing; entries can be deleted.
. "$(dirname "$0")/lib.sh"
t_begin companion_cli

A="$T_TMP/a"
mv_a() { "$MV" --home "$A" "$@"; }
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}
# Does any stored byte of the database (or a file) contain TEXT?
in_file() { python3 -c "import sys; sys.exit(0 if sys.argv[2].encode() in open(sys.argv[1],'rb').read() else 1)" "$1" "$2"; }
db_has() {
	python3 - "$A/mentalverse.db" "$1" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
needle = sys.argv[2].encode()
found = False
for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'"):
    for row in db.execute(f'SELECT * FROM "{t}"'):
        for v in row:
            b = v if isinstance(v, bytes) else str(v).encode()
            found = found or needle in b
sys.exit(0 if found else 1)
EOF
}

# --- a network: a verified therapist with a patient in care ----------------------
mv_a init companionnet >/dev/null
for n in therapist-tess patient-pia patient-quinn; do mv_a keygen "$n" >/dev/null; done
for n in patient-pia patient-quinn; do mv_a op ledger.transfer to="$n" amount=300 >/dev/null; done
mv_a --as therapist-tess register --role therapist --name "Tess Morgan" --jurisdiction US >/dev/null
echo "license scan" >"$T_TMP/proof"
mv_a --as therapist-tess verify submit --license L-77 --board "State Board" --jurisdiction US \
	--expires 2031-01-01 --proof-file "$T_TMP/proof" >/dev/null
mv_a op verify.decide applicant=therapist-tess decision=approve >/dev/null
for n in patient-pia patient-quinn; do
	mv_a --as "$n" register --role patient --name "P-$n" --jurisdiction US >/dev/null
done
SVC=$(mv_a --json --as therapist-tess op service.publish title="Anxiety therapy" modality=individual \
	format=video duration_min=50 price=40 languages=en specialties=anxiety insurance_accepted=no \
	auto_accept=no | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
WIN=$(python3 -c '
import time
d = (int(time.time()) // 86400 + 2) * 86400
print("%d,%d" % ((d + 9 * 3600) * 1000, (d + 17 * 3600) * 1000))')
DAY2=$(python3 -c 'import time; print(time.strftime("%Y-%m-%d", time.gmtime((int(time.time()) // 86400 + 2) * 86400)))')
mv_a --as therapist-tess op availability.set windows="$WIN" >/dev/null
S1=$(mv_a --as patient-pia book "$SVC" "$DAY2 09:00" 2>/dev/null | cut -d' ' -f1)
check_out "the therapist confirms: care starts" ' applied$' mv_a --as therapist-tess op session.accept session="$S1"
check_out "sharing needs check-ins" 'no check-ins in the last 30 days' mv_a --as patient-pia companion share therapist-tess

# --- check-ins: bounds ----------------------------------------------------------------
pia() { mv_a --as patient-pia companion "$@"; }
check_fail "score 0 is refused" 1 pia checkin 0
check_fail "score 11 is refused" 1 pia checkin 11
check_fail "a score in words is refused" 1 pia checkin seven
check_out "nine tags are refused" 'at most 8 tags' pia checkin 5 --tags a,b,c,d,e,f,g,h,i
check_fail "an unknown subcommand is an error" 1 pia dance
check_out "help says it is not a clinician" 'It is not a clinician' mv_a companion --help

# --- saved, encrypted ---------------------------------------------------------------------
check_out "a check-in is saved" 'check-in [0-9]+ saved: 7/10' pia checkin 7 --tags "Sleep, WORK" --note "walked by the zebra lake"
check_out "another, lower" 'saved: 3/10' pia checkin 3 --note "argument with my brother"
if db_has "zebra lake"; then _t_record fail "no plaintext note in the database"; echo "  FAIL plaintext in db"
else _t_record pass "no plaintext note in the database"; fi
if db_has "brother"; then _t_record fail "no plaintext in any table"; echo "  FAIL plaintext in db"
else _t_record pass "no plaintext in any table"; fi
check_out "nothing went into the op log" '^0$' sh -c "\"$MV\" --home \"$A\" --json log | python3 -c 'import json,sys; print(sum(1 for o in json.load(sys.stdin) if \"zebra\" in json.dumps(o) or \"sleep\" in json.dumps(o)))'"
mv_a export "$T_TMP/bundle.mv" >/dev/null
if in_file "$T_TMP/bundle.mv" "zebra"; then _t_record fail "the export holds no check-in"; echo "  FAIL export"
else _t_record pass "the export holds no check-in"; fi
check_out "history: stats" 'Mood, last 30 days: 2 check-ins, mean 5.0, lowest 3, highest 7' pia history
check_out "history: the chart has a score axis" '^10 │' pia history
check_out "history: the entries" 'sleep,work +walked by the zebra lake' pia history
check_out "history says it is not a clinician" 'not a clinician' pia history
check "history --json" pyjson 'assert d["stats"]["count"] == 2 and d["stats"]["mean"] == 5.0 and d["checkins"][0]["tags"] == ["sleep", "work"] and d["daily"][-1]["mean_tenths"] == 50' pia --json history
check_fail "--days 0 is refused" 1 pia history --days 0
check_out "another identity reads none of it" 'no check-ins' mv_a --as patient-quinn companion history

# a passphrase-protected identity: the wrong passphrase opens nothing
MENTALVERSE_PASSPHRASE=correct-horse mv_a keygen patient-zoe >/dev/null
check_out "zoe checks in with her passphrase" 'saved: 6/10' env MENTALVERSE_PASSPHRASE=correct-horse "$MV" --home "$A" --as patient-zoe companion checkin 6
check_out "a wrong passphrase opens nothing" 'wrong passphrase' env MENTALVERSE_PASSPHRASE=nope "$MV" --home "$A" --as patient-zoe companion history

# --- thought records ------------------------------------------------------------------------
check_out "a thought record needs its steps" 'needs --situation' pia thought --situation "meeting"
check_fail "intensity out of range" 1 pia thought --situation s --thought t --emotion sad --intensity 140
check_out "a thought record is saved" 'thought record [0-9]+ saved.*anxious 80% -> 30%' pia thought \
	--situation "Boss frowned during my talk" --thought "She thinks I am useless" --emotion anxious \
	--intensity 80 --for "she frowned" --against "she asked two questions" \
	--balanced "Frowning can mean focus" --rerated 30
check_out "history lists it" 'balanced +Frowning can mean focus' pia history
if db_has "useless"; then _t_record fail "no plaintext thought in the database"; echo "  FAIL thought plaintext"
else _t_record pass "no plaintext thought in the database"; fi

# --- crisis words ----------------------------------------------------------------------------
check_out "crisis words: saved, then crisis lines" 'saved: 2/10' pia checkin 2 --note "I want to KILL myself"
check_out "crisis words print the resources" '988 +United States' pia checkin 2 --note "i can't go on"
check_out "a crisis phrase in a thought record too" 'Samaritans' pia thought --situation s \
	--thought "everyone is better off without me" --emotion hopeless --intensity 90
out=$(pia checkin 5 --note "I need to kill time before the bus" 2>&1)
if printf '%s\n' "$out" | grep -q "Samaritans"; then _t_record fail "ordinary words print no crisis lines"; echo "  FAIL kill time"
else _t_record pass "ordinary words print no crisis lines"; fi
check "--json says crisis words were found" pyjson 'assert d["crisis_words"] and "988" in d["crisis_resources"]' pia --json checkin 1 --note "thinking about suicide"
check "--json: no crisis words" pyjson 'assert not d["crisis_words"] and "crisis_resources" not in d' pia --json checkin 6 --note "fine day"
check_out "companion crisis lists lines" '116 123' mv_a companion crisis
check "the crisis text has no document marks" sh -c "! \"$MV\" --home \"$A\" companion crisis | grep -q '^# '"

# --- sharing ---------------------------------------------------------------------------------
check_out "sharing with a non-therapist is refused" 'not your therapist' pia share patient-quinn
check_out "sharing with a therapist not in your care is refused" 'not your therapist' mv_a --as patient-quinn companion share therapist-tess
HEX80=$(python3 -c 'print("ab" * 80)')
BLOB=$(python3 -c 'print("cd" * 32)')
check_fail "the contract refuses a share to a stranger (exit 3)" 3 mv_a --as patient-quinn op access.share_mood \
	therapist=therapist-tess blob="$BLOB" sealed_keys="$HEX80,$HEX80"
check_out "... saying why" 'not your therapist' mv_a --as patient-quinn op access.share_mood \
	therapist=therapist-tess blob="$BLOB" sealed_keys="$HEX80,$HEX80"
check_out "the contract wants consent first" 'share_mood_with_therapist' mv_a --as patient-pia op access.share_mood \
	therapist=therapist-tess blob="$BLOB" sealed_keys="$HEX80,$HEX80"
check_out "pia shares with her therapist" 'applied: therapist-tess can now read [0-9]+ check-ins' pia share therapist-tess
check_out "consent was turned on" 'mood to therapist: yes' mv_a --as patient-pia show profile
check_out "the therapist reads the notes" 'walked by the zebra lake' mv_a --as therapist-tess companion shared
check_out "the therapist sees a chart" '^10 │' mv_a --as therapist-tess companion shared
check "shared --json" pyjson 'assert d[0]["direction"] == "with_you" and any(c["note"] == "argument with my brother" for c in d[0]["checkins"])' \
	mv_a --as therapist-tess --json companion shared
check_out "narrowed to the patient" 'shared with you by patient-pia' mv_a --as therapist-tess companion shared patient-pia
check_out "another patient sees no share" 'no mood check-ins shared' mv_a --as patient-quinn companion shared
check_out "pia sees what she shared" 'shared by you with therapist-tess' pia shared
check_out "the share is in the audit log" 'shared mood check-ins' mv_a --as patient-pia show audit
if db_has "zebra lake"; then _t_record fail "the shared blob is encrypted too"; echo "  FAIL share plaintext"
else _t_record pass "the shared blob is encrypted too"; fi
check_out "sharing the same again is a new share" 'applied' pia share therapist-tess --days 7

# --- delete ------------------------------------------------------------------------------------
ID=$(pia --json history | python3 -c 'import json,sys; print(json.load(sys.stdin)["checkins"][0]["id"])')
check_fail "quinn cannot delete pia's entry" 1 mv_a --as patient-quinn companion delete "$ID"
check_out "pia deletes her first check-in" 'deleted' pia delete "$ID"
check_fail "it is gone" 1 pia delete "$ID"
check "history no longer lists it" pyjson "assert all(c['id'] != $ID for c in d['checkins'])" pia --json history

# --- export-my-data: your entries, decrypted, and nobody else's -------------------------------
check_out "pia exports her data" '^wrote [0-9]+ files' mv_a --as patient-pia export-my-data "$T_TMP/pia-export"
check "the export holds her check-ins and thought records, decrypted" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["data"]
assert any(c["note"] == "argument with my brother" for c in d["checkins"]), d
assert all(c["score"] in range(1, 11) for c in d["checkins"])
assert d["thought_records"] and d["thought_records"][0]["automatic_thought"], d
' "$T_TMP/pia-export/companion.json"
check_out "quinn exports hers" '^wrote [0-9]+ files' mv_a --as patient-quinn export-my-data "$T_TMP/quinn-export"
if in_file "$T_TMP/quinn-export/companion.json" "brother"; then _t_record fail "quinn's export holds none of pia's entries"; echo "  FAIL quinn export"
else _t_record pass "quinn's export holds none of pia's entries"; fi
t_end
