#!/bin/sh
# t_network_tui.sh - the Network screen through tmux at 80x24, against a
# node serving on 127.0.0.1 behind a proxy that can be made slow
# (slowproxy.py), so a sync lasts seconds. The screen shows this node's
# address and, once added, the peer; "sync now" shows a progress bar that
# finishes, and the top bar turns online with the time of the sync and no
# unsent ops. Keys typed during the sync are handled (another screen opens
# while the bar still runs). An op made in the app reaches the peer at once
# (sync after submit); an op made on the peer arrives by the background
# interval; q during a sync quits at once; a peer is removed with d.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlib.sh"
. "$(dirname "$0")/tui_lib.sh"
t_begin network_tui
trap 'tui_stop; net_cleanup' EXIT
# Background rounds in the app every 12 s (the tmux server inherits this).
INTERVAL=12
export MENTALVERSE_SYNC_INTERVAL=$INTERVAL

mvn() { i=$1; shift; "$MV" --home "$(node_home "$i")" "$@"; }
ere() { printf '%s' "$1" | sed 's/[][\.+*?^$(){}|/]/\\&/g'; }
# tui_check with TRIES polls (0.1 s each) instead of the default.
tui_check_long() {
	if tui_wait "$2" "$3" "$4"; then _t_record pass "$1"; else _tui_fail "$1 (expected /$3/)" "$2"; fi
}
ops_by() { # ops in node I's log authored by id A
	mvn "$1" --json log --limit 100000 | python3 -c '
import json, sys
print(sum(1 for o in json.load(sys.stdin) if o["author"] == sys.argv[1]))' "$2"
}

# --- a node, the app's home joined from it, and a proxy in front of it -------
node_port 1
check "node 1 creates the network" mvn 1 init tuinet
node_start 1 || exit 1
A1=$(node_addr 1)
check_out "the app's home joins node 1" "joined network tuinet" mvn 2 init --join "$A1"
check "... and starts without peers" mvn 2 peer remove "$A1"
check "user2 in the app's home" mvn 2 keygen user2
U2=$(mvn 2 --json ids | python3 -c 'import json,sys; print([x["id"] for x in json.load(sys.stdin) if x["name"] == "user2"][0])')
check "founder funds user2 on node 1 (the app does not have it yet)" \
	mvn 1 --as founder op ledger.transfer to="$U2" amount=100
PPORT=$(free_port)
python3 "$ROOT/tests/e2e/slowproxy.py" "$PPORT" "$(node_getport 1)" "$T_TMP/slow" 1.5 \
	>"$T_TMP/proxy.log" 2>&1 &
net_track $!
n=0; while [ $n -lt 50 ] && ! grep -q listening "$T_TMP/proxy.log"; do sleep 0.1; n=$((n + 1)); done
PA="https://127.0.0.1:$PPORT#${A1#*#}"
A2=$(mvn 2 address)

# --- the Network screen ----------------------------------------------------------
s=net
open_network() {
	tui_keys "$1" 1; tui_wait "$1" "│ Hello" 30 >/dev/null
	tui_keys "$1" Tab; sleep 0.2; tui_keys "$1" G; sleep 0.2; tui_keys "$1" Tab
}
tui_start "$s" 80 24 --home "$(node_home 2)" --as user2
tui_check "the app opens" "$s" "Hello, user2"
tui_check "top bar: offline, with unsent ops" "$s" "○ offline.*↑[0-9]+"
open_network "$s"
tui_check "the Network screen is in the navigation" "$s" "^ *│ Network"
tui_check "it shows this node's address" "$s" "$(ere "$(printf %.60s "$A2")")"
tui_check "... the rest of it on the next line (62 columns)" "$s" "│ $(ere "$(printf %s "$A2" | cut -c63-)") *$"
tui_check "no peers yet" "$s" "No peers yet"
tui_check "finality: nothing final yet" "$s" "no final epoch yet"
tui_check "the key bar offers sync now, add and remove" "$s" "s Sync now +n Add peer +d Remove"

tui_keys "$s" n
tui_check "n opens the add-peer form" "$s" "Add a peer"
tui_type "$s" "https://127.0.0.1:$PPORT"
tui_keys "$s" Enter
tui_check "an address without pin is refused" "$s" "has no pin"
tui_keys "$s" C-u
tui_type "$s" "$PA"
tui_keys "$s" Enter
tui_check "the peer is added" "$s" "added https://127\.0\.0\.1:$PPORT"
tui_check "the peer is listed as new" "$s" "127\.0\.0\.1:$PPORT +new +↓0 ↑0 +never +never"

# --- sync now, slowly: the bar runs and keys keep working ---------------------------
: >"$T_TMP/slow"
tui_keys "$s" s
tui_check "sync now shows a progress bar" "$s" "Syncing ▕.*%"
tui_check "... and what it is doing" "$s" "peer 1 of 1, (info|pull)"
tui_check "the top bar shows a sync running" "$s" "↻ offline"
tui_keys "$s" 2
tui_check "a key typed during the sync is handled (Wallet opens)" "$s" "Balance 0 MVT"
tui_check "... while the sync still runs" "$s" "↻ offline"
open_network "$s"
tui_check "back on Network, the bar is still there or done" "$s" "Sync(ing| done) ▕"
tui_check_long "the progress finishes" "$s" "Sync done ▕█+▏ 100%" 300
tui_check "the top bar turns online with the time of the sync" "$s" "● online · synced [0-9]{2}:[0-9]{2}"
tui_check "nothing unsent now" "$s" "↑0 unsent"
tui_check "the round's summary" "$s" "synced with 1 of 1 peer: [1-9][0-9]* ops? in, 0 out"
tui_check "the peer's status is ok, with its lag at contact" "$s" "127\.0\.0\.1:$PPORT +ok +↓[1-9][0-9]* ↑0 +just now +just now"
rm -f "$T_TMP/slow"
tui_keys "$s" 2
tui_check "the funding arrived" "$s" "Balance 100 MVT"

# --- an op made in the app is shared at once --------------------------------------
before=$(ops_by 1 "$U2")
check_eq "node 1 has no op of user2 yet" "$before" 0
tui_keys "$s" s
tui_check "the send form opens" "$s" "Send MVT"
tui_type "$s" "1"
tui_keys "$s" Enter Enter
tui_check "confirm the transfer" "$s" "Confirm transfer"
tui_keys "$s" y
tui_check "sent" "$s" "sent 1 MVT"
n=0; while [ $n -lt 40 ] && [ "$(ops_by 1 "$U2")" != 1 ]; do sleep 0.1; n=$((n + 1)); done
check_eq "the op reached node 1 within 4 s (long before the ${INTERVAL} s interval)" "$(ops_by 1 "$U2")" 1
tui_check "the top bar shows nothing unsent again" "$s" "● online.*↑0"

# --- the background interval brings the peer's ops --------------------------------
check "founder pays user2 5 MVT on node 1" mvn 1 --as founder op ledger.transfer to="$U2" amount=5
# 100 - (1 + 0.1% fee) + 5
tui_check_long "the payment arrives with no key pressed (background sync)" "$s" \
	"Balance 103\.999 MVT" $(( (INTERVAL + 8) * 10 ))

# --- q during a sync quits at once ---------------------------------------------------
open_network "$s"
: >"$T_TMP/slow"
tui_keys "$s" s
tui_check "another sync runs" "$s" "Syncing ▕"
tui_keys "$s" q
check_eq "q during a sync quits at once with status 0" "$(tui_exit_code "$s" 30)" 0
rm -f "$T_TMP/slow"

# --- the peer is remembered; d removes it ----------------------------------------------
s=net2
tui_start "$s" 80 24 --home "$(node_home 2)" --as user2
open_network "$s"
tui_check "the peer is still there after a restart" "$s" "127\.0\.0\.1:$PPORT +ok"
tui_keys "$s" d
tui_check "d asks before removing" "$s" "Remove peer"
tui_keys "$s" y
tui_check "the peer is removed" "$s" "removed 127\.0\.0\.1:$PPORT"
tui_check "no peers left" "$s" "No peers yet"
check_out "the CLI agrees" "no peers" mvn 2 peer list
tui_keys "$s" q
check_eq "the app quits with status 0" "$(tui_exit_code "$s")" 0
node_stop 1
t_end
