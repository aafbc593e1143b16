#!/bin/sh
# t_demo.sh - the demo network: `mentalverse demo DIR` and `--home DIR demo`
# build it from real ops; every role-named identity exists with a non-zero
# MVT balance, the council is two with threshold 2, the history includes a
# rejected overspend, verify passes, and a second demo into the same home is
# refused without touching it. Its timeline: the log starts eight weeks ago
# and ends now; sessions were held, rated and settled (session rewards paid
# from the pool), a no-show settled against the patient, a late
# cancellation, a dispute resolved by the council and one still open, a
# completed session whose dispute window is open; reputation with history
# and non-zero trust; a platform proposal executed (community rewards paid)
# and one active now that member-dana votes on at once; an unlocked stake
# she takes back while the other stays locked; seven final checkpoint
# epochs. Two demos have the same structure; a second node that syncs the
# demo over HTTPS reaches the same state.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlib.sh"
t_begin demo

D="$T_TMP/n1"
PEOPLE="council-ana council-ben therapist-maya therapist-omar therapist-lin patient-sam patient-kai patient-ria member-dana member-eli therapist-noor insurer-acme"

check_out "demo DIR" 'demo network mentalverse-demo created' "$MV" demo "$D"
check_out "network name" '^network: mentalverse-demo$' "$MV" --home "$D" show params
for p in founder $PEOPLE; do
	check_out "identity $p exists" "^$p +[0-9a-f]{64}" "$MV" --home "$D" ids
	check "$p has a non-zero balance" sh -c "'$MV' --home '$D' --json show balance $p |
		python3 -c 'import json,sys; assert json.load(sys.stdin)[\"amount\"] > 0'"
done
check_out "council of two" '^council_threshold +2$' "$MV" --home "$D" show params
check_out "the demo's staking emission" '^stake_reward_per_day +200000000 +\(2 MVT\)$' "$MV" --home "$D" show params
check_out "history between people" 'patient-sam#1 ledger.transfer to=therapist-maya' "$MV" --home "$D" log
check_out "a rejected overspend in the log" 'patient-ria#2 .* -> rejected: insufficient funds' "$MV" --home "$D" log
check_out "verify passes" '^ok: ' "$MV" --home "$D" verify

# --- the timeline: eight weeks ago to now ------------------------------------
NOW=$(date +%s)
check "the log starts 55-63 days ago and ends now" sh -c "'$MV' --home '$D' log | python3 -c '
import sys, datetime
ts = [datetime.datetime.strptime(l.split()[0], \"%Y-%m-%dT%H:%M:%SZ\").replace(tzinfo=datetime.timezone.utc).timestamp()
      for l in sys.stdin]
assert ts == sorted(ts), \"log not in time order\"
age = ($NOW - ts[0]) / 86400
assert 55.5 <= age <= 62.8, age
assert abs($NOW - ts[-1]) < 120, ts[-1]'"
check_out "seven final epochs" '^final epochs: 7; ' "$MV" --home "$D" show checkpoints
check "every epoch's signed root matches" sh -c "test \"\$('$MV' --home '$D' show checkpoints | grep -c 'root matches')\" -eq 7"

# --- sessions: held, rated, settled; no-show, late cancel, disputes ----------
check "sam: two sessions settled and rated, the latest completed and not rated yet" sh -c "'$MV' --home '$D' --as patient-sam --json show sessions --past | python3 -c '
import json, sys
d = [s for s in json.load(sys.stdin) if s[\"title\"].startswith(\"Anxiety\")]
st = sorted((s[\"start\"], s[\"state\"], s[\"stars\"]) for s in d)
assert [x[1] for x in st] == [\"settled\", \"settled\", \"completed\"], st
assert st[0][2] == 5 and st[1][2] == 4 and st[2][2] == 0, st'"
check "ria: one held and rated, one no-show settled" sh -c "'$MV' --home '$D' --as patient-ria --json show sessions --past | python3 -c '
import json, sys
d = sorted(json.load(sys.stdin), key=lambda s: s[\"start\"])
assert [(s[\"state\"], s[\"checkin_patient\"]) for s in d] == [(\"settled\", True), (\"settled\", False)], d'"
check "eli: a late cancellation and a dispute still open" sh -c "'$MV' --home '$D' --as member-eli --json show sessions --past | python3 -c '
import json, sys
st = sorted(s[\"state\"] for s in json.load(sys.stdin))
assert \"disputed\" in st and \"cancelled\" in st, st'"
KAI=$("$MV" --home "$D" --json ids | python3 -c 'import json,sys; print([x["id"] for x in json.load(sys.stdin) if x["name"] == "patient-kai"][0])')
check "kai's no-show, disputed, was refunded in full (price and fee) by the council" python3 -c "
import sqlite3
db = sqlite3.connect('$D/mentalverse.db')
n = db.execute(\"SELECT count(*) FROM ledger_moves WHERE to_acct = ? AND memo = 'session refund'\"
               \" AND amount = 5505500000\", (bytes.fromhex('$KAI'),)).fetchone()[0]
assert n == 1, n"
check_out "the council's resolutions are in the log" 'council-ben#[0-9]+ session.resolve .*refund_percent=100 -> applied' \
	"$MV" --home "$D" log
check_out "a no-show declared after the start" 'therapist-lin#[0-9]+ session.no_show .* -> applied' "$MV" --home "$D" log
check_out "session settlements in the log" 'session.settle .* -> applied' "$MV" --home "$D" log

# --- rewards and reputation -------------------------------------------------
check "dana received session, community and staking rewards" sh -c "'$MV' --home '$D' --as member-dana --json show rewards member-dana | python3 -c '
import json, sys
d = json.load(sys.stdin)
kinds = sorted(p[\"kind\"] for p in d[\"payouts\"])
assert kinds == [\"community\", \"session:patient\", \"session:patient\", \"staking\"], kinds
assert d[\"total\"] > 0'"
check "maya received session rewards as therapist" sh -c "'$MV' --home '$D' --json show rewards therapist-maya | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert [p[\"kind\"] for p in d[\"payouts\"]].count(\"session:therapist\") == 4, d[\"payouts\"]'"
rep() { # ACCOUNT PYTHON-ASSERTIONS on d (the reputation JSON) and dims
	"$MV" --home "$D" --json show reputation "$1" | python3 -c "
import json, sys
d = json.load(sys.stdin)
dims = {c['dimension']: c for c in d['components']}
whys = [h['why'] for h in d['history']]
$2"
}
check "member-dana: trust from attendance, helpful posts and a vote" rep member-dana "
assert d['trust'] > 0, d['trust']
assert dims['reliability']['events'] == 2 and dims['community']['events'] >= 2 and dims['governance']['events'] == 1, dims
assert 'attended a session' in whys and 'voted on a governance proposal' in whys and 'peer-support post marked helpful' in whys, whys"
check "therapist-maya: care counted from ratings, sessions held" rep therapist-maya "
assert d['trust'] > 0 and dims['care']['counted'] and dims['care']['score'] > 0, dims
assert whys.count('held a session') == 4 and 'session rating' in whys, whys"
check "patient-ria: a missed session costs reliability" rep patient-ria "
assert 'missed a session' in whys and dims['reliability']['raw_points'] < 0, dims"
check "member-eli: a late cancellation" rep member-eli "
assert 'cancelled a session late' in whys, whys"
check_out "reputation explains the score with history" 'attended a session \(op [0-9a-f]{12}\)' \
	"$MV" --home "$D" show reputation member-dana

# --- governance: an executed platform proposal, one active now ---------------
check_out "an executed platform proposal" 'executed +rewards +Community rewards' "$MV" --home "$D" show proposals
check_out "an active platform proposal" 'active +param +Reward patients 2 MVT' "$MV" --home "$D" show proposals
check_out "the active group proposal" 'active +group +Meet weekly' "$MV" --home "$D" show proposals
PARAM=$("$MV" --home "$D" --json show proposals | python3 -c '
import json, sys
print([p["id"] for p in json.load(sys.stdin) if p["scope"] == "platform" and p["state"] == "active"][0])')
V="$T_TMP/vote"
cp -r "$D" "$V"
check_out "member-dana votes on it now" ' applied$' "$MV" --home "$V" --as member-dana vote "$PARAM" for
check_fail "patient-kai has no voting power on it" 3 "$MV" --home "$V" --as patient-kai vote "$PARAM" for
check_out "the vote counts and voting stays open" 'voters 2' "$MV" --home "$V" show proposals
check "member-dana holds the community reward" sh -c "'$MV' --home '$D' --json show rewards member-dana | python3 -c '
import json, sys
assert any(p[\"kind\"] == \"community\" and p[\"amount\"] == 2000000000 for p in json.load(sys.stdin)[\"payouts\"])'"

# --- staking: an unlocked stake to take back, a locked one -------------------
STAKES=$("$MV" --home "$D" --as member-dana --json show stakes | python3 -c '
import json, sys
d = json.load(sys.stdin)["stakes"]
u = [s["stake"] for s in d if s["unlocked"] and not s["closed"]]
l = [s["stake"] for s in d if not s["unlocked"]]
assert len(u) == 1 and len(l) == 1, d
print(u[0], l[0])')
check "dana has one unlocked and one locked stake" test -n "$STAKES"
check_out "the locked stake cannot be unstaked" 'stake locked until' \
	"$MV" --home "$V" --as member-dana unstake "${STAKES#* }"
check_out "the unlocked stake can be taken back now" ' applied$' \
	"$MV" --home "$V" --as member-dana unstake "${STAKES% *}"
check_out "maya unstaked hers after its lock" 'therapist-maya#[0-9]+ staking.unstake .* -> applied' "$MV" --home "$D" log
check "demo keys use the empty passphrase" env MENTALVERSE_PASSPHRASE= "$MV" --home "$V" --as patient-kai op ledger.transfer to=member-eli amount=1

# --- the companion: sam's mood diary over the weeks, shared with maya ---------
check "patient-sam's companion holds eleven check-ins over eight weeks" sh -c "'$MV' --home '$D' --as patient-sam --json companion history --days 70 | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert len(d[\"checkins\"]) == 11, len(d[\"checkins\"])
assert d[\"checkins\"][-1][\"time\"] - d[\"checkins\"][0][\"time\"] > 49 * 86400000'"
check_out "therapist-maya reads the check-ins sam shared" 'shared with you by patient-sam' \
	"$MV" --home "$D" --as therapist-maya companion shared
check_out "the share is an applied op" 'patient-sam#[0-9]+ access.share_mood .* -> applied' "$MV" --home "$D" log

root=$("$MV" --home "$D" state-root)
check_fail "a second demo into the same home exits 1" 1 "$MV" demo "$D"
check_eq "the refused demo changed nothing" "$("$MV" --home "$D" state-root)" "$root"

check "--home DIR demo" "$MV" --home "$T_TMP/demo2" demo
check "demo --json" sh -c "'$MV' --json demo '$T_TMP/demo3' | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = [p[\"name\"] for p in d[\"identities\"]]
assert d[\"network\"] == \"mentalverse-demo\" and len(names) == 12, d
assert all(p[\"balance\"] > 0 for p in d[\"identities\"])
for role in (\"council-\", \"therapist-\", \"patient-\", \"member-\"):
	assert any(n.startswith(role) for n in names), role'"
# (blob hashes differ too: private data is encrypted with fresh random keys)
structure() { "$MV" --home "$1" log | cut -d' ' -f3- | sed -E 's/=[0-9a-f]{12}…/=…/g'; }
check_eq "the same structure every time" "$(structure "$T_TMP/demo2")" "$(structure "$T_TMP/demo3")"

# --- a second node syncs the demo and converges ------------------------------
# Serving, the demo home ticks checkpoints for the council identities it
# holds (both): it closes an epoch over the recent ops at once. Wait for it
# (bounded) so that the new node joins a log that no longer changes.
epochs() { "$MV" --home "$1" show checkpoints | sed -n 's/^final epochs: \([0-9]*\);.*/\1/p'; }
node_port 1
if node_start 1; then
	i=0
	while [ "$i" -lt 300 ] && [ "$(epochs "$D")" -lt 8 ]; do sleep 0.1; i=$((i + 1)); done
	check_eq "serving, the demo node closed an epoch over the recent ops" "$(epochs "$D")" 8
	check_out "a new node joins the demo network" 'joined network mentalverse-demo' \
		"$MV" --home "$(node_home 2)" init --join "$(node_addr 1)"
	check_eq "the same state root" "$("$MV" --home "$(node_home 2)" state-root)" "$("$MV" --home "$D" state-root)"
	check_eq "the same ops" "$(home_digest "$(node_home 2)")" "$(home_digest "$D")"
	check_eq "the new node finalized the same eight epochs" "$(epochs "$(node_home 2)")" 8
	check "every signed root matches on the new node" sh -c \
		"test \"\$('$MV' --home '$(node_home 2)' show checkpoints | grep -c 'root matches')\" -eq 8"
	check_out "verify passes on the new node" '^ok: ' "$MV" --home "$(node_home 2)" verify
else
	_t_record fail "the demo node serves"
fi
node_stop 1

t_end
