#!/bin/sh
# t_demo.sh - the demo network: `mentalverse demo DIR` and `--home DIR demo`
# build it from real ops; every role-named identity exists with a non-zero
# MVT balance, the council is two with threshold 2, the history includes a
# rejected overspend, verify passes, and a second demo into the same home is
# refused without touching it.
. "$(dirname "$0")/lib.sh"
t_begin demo

D="$T_TMP/demo"
PEOPLE="council-ana council-ben therapist-maya therapist-omar therapist-lin patient-sam patient-kai patient-ria member-dana member-eli therapist-noor insurer-acme"

check_out "demo DIR" 'demo network mentalverse-demo created' "$MV" demo "$D"
check_out "network name" '^network: mentalverse-demo$' "$MV" --home "$D" show params
for p in founder $PEOPLE; do
	check_out "identity $p exists" "^$p +[0-9a-f]{64}" "$MV" --home "$D" ids
	check "$p has a non-zero balance" sh -c "'$MV' --home '$D' --json show balance $p |
		python3 -c 'import json,sys; assert json.load(sys.stdin)[\"amount\"] > 0'"
done
check_out "council of two" '^council_threshold +2$' "$MV" --home "$D" show params
check_out "history between people" 'patient-sam#1 ledger.transfer to=therapist-maya' "$MV" --home "$D" log
check_out "a rejected overspend in the log" 'patient-ria#2 .* -> rejected: insufficient funds' "$MV" --home "$D" log
check "demo keys use the empty passphrase" env MENTALVERSE_PASSPHRASE= "$MV" --home "$D" --as patient-kai op ledger.transfer to=member-eli amount=1
check_out "verify passes" '^ok: ' "$MV" --home "$D" verify

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

t_end
