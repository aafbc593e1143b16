#!/bin/sh
# t_council_tui.sh - the Council and Compliance report screens and the
# upgrade banner, through tmux.
#
# On the demo (a regulator appointed and two data requests made through the
# CLI): the Council screen is in the navigation of a council member and not
# of a patient; council-ben (80x24) sees the license queue with the pending
# applicant, rejects nothing without a reason, approves the license
# (verified), signs the pending treasury spend (paid, as `show treasury`
# says), approves a regulator request (1 of 2, a second approval refused by
# the screen) and begins a denial of the other; council-ana (120x40) grants
# the first and co-signs the denial, and the CLI's compliance report counts
# one granted and one denied request. The Compliance screen shows the same
# totals as `show compliance-report` for the period it shows, and after the
# period is changed to one with nothing in it; a period ending before it
# starts is refused.
#
# On a network with a 1 s voting delay and timelock: an upgrade proposal
# for protocol v2 from checkpoint epoch 2 is executed; the banner announces
# it at 80x24 and 120x40 with the time left, and the Home screen still fits;
# after two checkpoints the banner says the upgrade is required, and a
# council signature from the Council screen is refused by the contract with
# its reason shown verbatim.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin council_tui
trap tui_stop EXIT

D="$T_TMP/demo"
mvd() { "$MV" --home "$D" "$@"; }
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}

# Go to the screen titled $2 in session $1: from the end of the navigation
# (the new screens are last; at 80x24 the list scrolls), up until the main
# view shows that title, then focus it.

check "demo network" sh -c "'$MV' --home '$D' demo >'$T_TMP/demo.log' 2>&1"
mvd keygen regulator-ico >/dev/null
for c in council-ana council-ben; do
	mvd --as "$c" op user.appoint account=regulator-ico role=regulator display_name="Info Office" \
		jurisdiction=PT >/dev/null
done
check_out "the regulator asks for a patient's sessions (CLI)" ' applied$' \
	mvd --as regulator-ico op regulator.request subject=patient-kai scope=sessions \
	legal_basis="Case 2026/17, Lisbon court order"
check_out "and for another's profile" ' applied$' \
	mvd --as regulator-ico op regulator.request subject=patient-ria scope=profile \
	legal_basis="Audit 88/B of the data protection office"
# What the demo left waiting for council-ben (read, not assumed).
APP=$(mvd --json show review-queue | python3 -c 'import json,sys
a=[x for x in json.load(sys.stdin)["applications"] if x["approve"]==1 and x["reject"]==0]
print(a[0]["label"] if len(a)==1 else "")')
check "the demo has one license waiting for a second approval" test -n "$APP"
SPEND=$(mvd --json show treasury | python3 -c 'import json,sys
s=[x for x in json.load(sys.stdin)["spends"] if x["status"]=="pending"]
ok=len(s)==1 and s[0]["valid_signers"]==1 and s[0]["threshold"]==2 and s[0]["signers"][0]["signer_label"]=="council-ana"
print("%s %s %s" % (s[0]["spend"], s[0]["amount_mvt"], s[0]["to_label"]) if ok else "")')
check "the demo has one spend signed by council-ana only" test -n "$SPEND"
SPEND_ID=${SPEND%% *}; rest=${SPEND#* }; SPEND_AMT=${rest%% *}; SPEND_TO=${rest#* }

# --- a patient has no Council screen --------------------------------------------------
s=patient
tui_start "$s" 80 24 --home "$D" --as patient-sam
tui_check "patient: acting as a patient" "$s" "patient-sam · patient"
tui_check "patient: the navigation is drawn" "$s" "^[ ▸]2 Wallet"
tui_check_not "patient: no Council in the navigation" "$s" "^[ ▸][0-9]+ Council"
tui_check_not "patient: no Compliance in the navigation" "$s" "^[ ▸][0-9]+ Compliance"
tui_keys "$s" q

# --- council-ben at 80x24 ---------------------------------------------------------------
s=ben
tui_start "$s" 80 24 --home "$D" --as council-ben
tui_check "ben: council member" "$s" "council-ben · council"
tui_check "ben: Council in the navigation" "$s" "^[ ▸][0-9]+ Council"
tui_goto "$s" Council
tui_check "ben: the Council screen" "$s" "│ Council +council-ben"
tui_check "ben: license pane counts" "$s" "▸ License applications \(1\) · 1 needs your signature"
tui_check "ben: the pending applicant" "$s" "$APP .* ✓1 ✗0 of 2"
tui_check "ben: spends pane counts" "$s" "Treasury spends \(1\) · 1 needs your signature"
tui_check "ben: regulator pane counts" "$s" "Regulator requests \(2\) · 2 need your signature"
tui_keys "$s" x
tui_check "ben: x asks a reason" "$s" "Reject the application"
tui_keys "$s" C-s
tui_check "ben: no rejection without a reason" "$s" "Reason: "
tui_keys "$s" Escape
tui_check "ben: back to the panes" "$s" "License applications \(1\)"
tui_keys "$s" a
tui_check "ben: approval asks first" "$s" "Approve license"
tui_check "ben: and says how many signed" "$s" "1 of 2 council"
tui_keys "$s" y
tui_check "ben: the second signature verifies" "$s" "$APP: verified by the council"
tui_check "ben: the license pane is empty, and says what would be there" "$s" \
	"License applications \(0\)"
tui_check "ben: empty text" "$s" "None waiting. Therapists' license applications appear here."
check_out "ben: verified on the network" '^status +active' mvd show verification "$APP"

tui_keys "$s" Right
tui_check "ben: the spends pane" "$s" "▸ Treasury spends \(1\)"
tui_check "ben: the spend, signed once" "$s" "$SPEND_AMT MVT → $SPEND_TO · 1 of 2 signed"
tui_keys "$s" a
tui_check "ben: signing asks first" "$s" "Sign treasury spend"
tui_check "ben: and says it pays" "$s" "Your signature completes it"
tui_keys "$s" y
tui_check "ben: paid" "$s" "signed: the treasury paid $SPEND_AMT MVT to $SPEND_TO"
tui_check "ben: nothing left to sign" "$s" "Treasury spends \(0\)"
check "ben: show treasury says paid by both" pyjson \
	"s=[x for x in d['spends'] if x['spend']=='$SPEND_ID'][0]; assert s['status']=='paid' and sorted(x['signer_label'] for x in s['signers'])==['council-ana','council-ben'], s" \
	mvd --json show treasury

tui_keys "$s" Right
tui_check "ben: the regulator pane" "$s" "▸ Regulator requests \(2\)"
tui_check "ben: the first request" "$s" "patient-kai · sessions · ✓0 of 2 · by regulator-ico"
tui_check "ben: its legal basis" "$s" "Legal basis Case 2026/17, Lisbon court order"
tui_check "ben: its signatures" "$s" "Signatures +approve 0 of 2"
tui_keys "$s" a
tui_check "ben: approval asks first" "$s" "Approve regulator request"
tui_check "ben: naming what is granted" "$s" "Grant regulator-ico access to the"
tui_keys "$s" y
tui_check "ben: one of two" "$s" "signed; another council member must sign the same decision"
tui_check "ben: the row says so" "$s" "patient-kai · sessions · ✓1 of 2 · you signed"
tui_keys "$s" a
tui_check "ben: a second approval is refused" "$s" "you approved this request already"
tui_keys "$s" Down
tui_check "ben: the second request" "$s" "Legal basis Audit 88/B of the data protection office"
tui_keys "$s" x
tui_check "ben: a denial asks a reason" "$s" "Deny the regulator request"
tui_type "$s" "No court order attached"
tui_keys "$s" C-s
tui_check "ben: and confirms it" "$s" "Deny this regulator request with the reason"
tui_keys "$s" y
tui_check "ben: one of two" "$s" "signed; another council member must sign the same decision"
tui_check "ben: the row counts the denial" "$s" "patient-ria · profile · ✓0 ✗1 of 2 · you signed"
tui_keys "$s" q
check_eq "ben: quits" "$(tui_exit_code "$s")" 0

# --- council-ana at 120x40 ------------------------------------------------------------
s=ana
tui_start "$s" 120 40 --home "$D" --as council-ana
tui_check "ana: council member" "$s" "council-ana · council"
tui_goto "$s" Council
tui_check "ana: two requests, both need her" "$s" "Regulator requests \(2\) · 2 need your signature"
tui_keys "$s" Right Right
tui_check "ana: on the regulator pane" "$s" "▸ Regulator requests"
tui_keys "$s" a
tui_check "ana: her approval grants it" "$s" "Yours grants it"
tui_keys "$s" y
tui_check "ana: granted" "$s" "granted: regulator-ico may now receive the sessions data"
tui_check "ana: one request left" "$s" "Regulator requests \(1\) · 1 needs your signature"
tui_check "ana: the denial in progress and its reason" "$s" \
	"approve 0, deny 1 of 2 \(reason: No court order attached\)"
tui_keys "$s" x
tui_check "ana: x co-signs the same denial" "$s" "Co-sign the denial of this profile request"
tui_keys "$s" y
tui_check "ana: denied" "$s" "denied by the council"
tui_check "ana: the pane is empty" "$s" "None waiting. Regulators' requests for a person's data appear here."
check "the CLI report counts one granted and one denied request" pyjson \
	"assert d['requests']==2 and d['requests_granted']==1 and d['requests_denied']==1, d" \
	mvd --json show compliance-report --from 2000-01-01

# --- the Compliance report screen ---------------------------------------------------------
tui_check "ana: Compliance in the navigation" "$s" "^[ ▸][0-9]+ Compliance"
tui_goto "$s" "Compliance report"
tui_check "ana: the report" "$s" "│ Compliance report"
tui_check "ana: the period" "$s" "Period +[0-9]{4}-[0-9]{2}-[0-9]{2} 00:00 to [0-9]{4}-[0-9]{2}-[0-9]{2} 00:00 UTC"
J=$(mvd --as council-ana show profile | sed -n 's/^jurisdiction *//p')
tui_check "ana: the rules of her jurisdiction" "$s" "Your rules +$J → [A-Z]+, [A-Za-z ]+ · records kept [0-9]+ days"
# the screen's numbers for its period against the CLI's for the same period
same_as_cli() {
	scr=$(tui_screen "$s")
	from=$(printf '%s\n' "$scr" | sed -nE 's/.*Period +([0-9-]+ [0-9:]+) to .*/\1/p')
	to=$(printf '%s\n' "$scr" | sed -nE 's/.*Period +[0-9-]+ [0-9:]+ to ([0-9-]+ [0-9:]+) UTC.*/\1/p')
	mvd --json show compliance-report --from "$from" --to "$to" | python3 -c '
import json, re, sys
d = json.load(sys.stdin)
scr = sys.argv[1]
def num(pat):
    m = re.search(pat, scr)
    if not m:
        sys.exit("not on the screen: " + pat)
    return [int(x) for x in m.groups()]
want = {
    r"Audit log +(\d+) entries · (\d+) emergency": [d["audit_entries"], d["emergency_accesses"]],
    r"Requests +(\d+) received · (\d+) pending": [d["requests"], d["requests_pending"]],
    r"(\d+) granted · (\d+) denied · (\d+) fulfilled": [d["requests_granted"], d["requests_denied"], d["requests_fulfilled"]],
    r"Erasures +(\d+) accounts? · (\d+) blobs": [d["erasures"], d["blobs_erased"]],
    r"Retention +(\d+) sweeps? · (\d+) sessions · (\d+) blobs": [d["retention_sweeps"], d["sessions_retained"], d["blobs_expired"]],
    r"Events \((\d+)": [len(d["rows"])],
}
for pat, vals in want.items():
    got = num(pat)
    if got != vals:
        sys.exit("%s: screen %s, CLI %s" % (pat, got, vals))
print("ok", d["audit_entries"], d["requests"])
' "$scr"
}
check "ana: the screen's totals are the CLI's for its period" same_as_cli
tui_check "ana: the granted request is among the events" "$s" "request +regulator-ico +regulator request for sessions data"
tui_check "ana: the default period holds both requests" "$s" "Requests +2 received · 0 pending"
# another period: nothing in it
tui_keys "$s" e
tui_check "ana: e opens the period form" "$s" "Report period \(UTC\)"
tui_keys "$s" C-u
tui_type "$s" "2020-01-01"
tui_keys "$s" Tab C-u
tui_type "$s" "2019-01-01"
tui_keys "$s" C-s
tui_check "ana: a period ending before it starts is refused" "$s" "To must be after From"
tui_keys "$s" C-u
tui_type "$s" "2020-02-01 00:00"
tui_keys "$s" C-s
tui_check "ana: the new period" "$s" "Period +2020-01-01 00:00 to 2020-02-01 00:00 UTC"
tui_check "ana: nothing in it, and what would be" "$s" "Nothing in this period: audit entries"
check "ana: the totals of the new period are the CLI's" same_as_cli
tui_check "ana: zero requests" "$s" "Requests +0 received · 0 pending"
tui_keys "$s" q
check_eq "ana: quits" "$(tui_exit_code "$s")" 0

# --- the upgrade banner --------------------------------------------------------------
U="$T_TMP/up"
mvu() { "$MV" --home "$U" "$@"; }
mvu keygen founder >/dev/null
sed -e 's/^gov_voting_delay = .*/gov_voting_delay = 1s/' -e 's/^gov_timelock = .*/gov_timelock = 1s/' \
	-e 's/^gov_proposal_threshold = .*/gov_proposal_threshold = 1 MVT/' \
	"$ROOT/assets/genesis.default" >"$T_TMP/genesis"
check "up: a network with a 1 s voting delay and timelock" mvu init up-net --genesis "$T_TMP/genesis"
mvu keygen regulator-x >/dev/null
mvu keygen pat >/dev/null
mvu op ledger.transfer to=pat amount=10 >/dev/null
mvu --as pat register --role patient --name Pat --jurisdiction US >/dev/null
mvu op user.appoint account=regulator-x role=regulator display_name=Regulator jurisdiction=US >/dev/null
check_out "up: a pending regulator request" ' applied$' \
	mvu --as regulator-x op regulator.request subject=pat scope=profile legal_basis="Order 1"
mvu stake 1000 30 >/dev/null
s=up80
tui_start "$s" 80 24 --home "$U"
tui_check "up: no banner while nothing is scheduled" "$s" "│ Home "
tui_check_not "up: no banner line" "$s" "Protocol v2|Upgrade required"
check_out "up: an upgrade proposal" ' applied$' \
	mvu propose upgrade "Protocol v2" --action 'upgrade.activate version=2 epoch=2'
P=$(mvu --json show proposals | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
i=0; while [ "$i" -lt 30 ] && ! mvu vote "$P" for >/dev/null 2>&1; do sleep 0.2; i=$((i + 1)); done
check_out "up: voted for, decided" 'queued' mvu show proposals
# executed from the Proposals screen: E once the 1 s timelock has passed
tui_goto "$s" Proposals
tui_check "up: the proposal waits in its timelock" "$s" "queued +upgrade"
sleep 1.5
i=0
while [ "$i" -lt 10 ]; do
	tui_keys "$s" E
	tui_wait "$s" "Run the 1 action of" 5 && break
	sleep 0.5; i=$((i + 1))
done
tui_check "up: E asks before running the actions" "$s" "Run the 1 action of"
tui_keys "$s" Enter
tui_check "up: executed from the TUI" "$s" "executed +upgrade"
check_out "up: executed" 'executed' mvu show proposals
tui_goto "$s" Home
tui_check "up: 80x24 banner announces it with the time left" "$s" \
	"^ Protocol v2 activates at epoch 2 \(in ~[0-9]+ min\): upgrade this program \(v1\)"
tui_check "up: the banner is the second row" "$s" "^ Protocol v2"
tui_check "up: the Home screen still shows under it" "$s" "│ Home "
tui_check "up: and its last lines" "$s" "In crisis\? Press ! on any screen"
tui_check "up: the key bar" "$s" "q Quit +! Crisis"
s2=up120
tui_start "$s2" 120 40 --home "$U"
tui_check "up: 120x40 banner in full" "$s2" \
	"^ Protocol v2 activates at epoch 2 \(in ~[0-9]+ min\); this program implements v1: upgrade it before then"
# two checkpoints (the founder is the council of one) make epoch 2 final
mvu checkpoint --force >/dev/null
mvu op ledger.transfer to=pat amount=1 >/dev/null
mvu checkpoint --force >/dev/null
check_out "up: epoch 2 is final" 'final epochs: 2' mvu show checkpoints
check_out "up: later ops are refused" 'rejected: upgrade required: protocol 2 active since epoch 2' \
	mvu op ledger.transfer to=pat amount=1
tui_check "up: 80x24 banner says an upgrade is required" "$s" \
	"^ Upgrade required: v2 in force since epoch 2; ops stored but not applied"
tui_check "up: 120x40 banner in full" "$s2" \
	"^ Upgrade required: protocol v2 in force since epoch 2; this program \(v1\) stores ops but stops applying them"
tui_goto "$s" Council
tui_check "up: the Council screen under the banner" "$s" "│ Council +founder"
tui_keys "$s" Right Right
tui_check "up: the pending request" "$s" "pat · profile · ✓0 of 1 · by regulator-x"
tui_keys "$s" a
tui_check "up: approval asks first" "$s" "Approve regulator request"
tui_keys "$s" y
tui_check "up: the contract's rejection, verbatim" "$s" \
	"rejected: upgrade required: protocol 2 active since epoch 2"
tui_check "up: the request still waits" "$s" "Regulator requests \(1\)"
tui_keys "$s" q
tui_keys "$s2" q
check_eq "up: quits" "$(tui_exit_code "$s")" 0
check_eq "up: quits at 120x40" "$(tui_exit_code "$s2")" 0

t_end
