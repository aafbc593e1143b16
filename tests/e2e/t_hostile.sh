#!/bin/sh
# t_hostile.sh - a hostile peer against a node (127.0.0.1, free ports): an
# oversized body, truncated and garbage bundles, a forged op, ops of another
# network, a bad vector, a request flood, slow clients holding connections
# and a changed pin. Each is refused with the error docs/protocol.md
# documents, nothing of a refused bundle is stored, and a well-behaved peer
# still syncs through all of it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlib.sh"
t_begin hostile

node_port 1
check "node 1 creates a network" "$MV" --home "$(node_home 1)" init hostnet
node_start 1 --limits idle=2,request=4,rate=20,burst=40 || exit 1
A=$(node_addr 1); PIN=${A#*#}; URL="https://127.0.0.1:$PORT_1"
check_out "the good peer joins" "joined network hostnet" "$MV" --home "$(node_home 2)" init --join "$A"
check "the good peer makes a user" "$MV" --home "$(node_home 2)" keygen good
check "founder pays the good user" "$MV" --home "$(node_home 1)" op ledger.transfer \
	to="$("$MV" --home "$(node_home 2)" ids --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')" amount=10

# POST FILE to PATH of node 1; prints the body and the status code.
post() { curl -sk --max-time 20 --pinnedpubkey "$PIN" --data-binary "@$1" "$URL$2" -w ' HTTP %{http_code}'; }
before=$(node_digest 1)

# --- bodies ---------------------------------------------------------------
head -c 6000000 /dev/zero >"$T_TMP/big"
check_out "an oversized body gets 413" 'request body too large.*HTTP 413' post "$T_TMP/big" /v1/ops
head -c 3000 /dev/urandom >"$T_TMP/garbage"
check_out "a garbage bundle gets 400" 'bundle refused.*HTTP 400' post "$T_TMP/garbage" /v1/ops
check "export node 1's bundle" "$MV" --home "$(node_home 1)" export "$T_TMP/full.mvb"
head -c $(( $(wc -c <"$T_TMP/full.mvb") - 7 )) "$T_TMP/full.mvb" >"$T_TMP/trunc"
check_out "a truncated bundle gets 400" 'bundle refused.*HTTP 400' post "$T_TMP/trunc" /v1/ops
check_out "a garbage vector gets 400" 'heads vector.*HTTP 400' post "$T_TMP/garbage" /v1/ops/since

# A forged op: the good peer's real op with one signature bit flipped.
check_out "the good peer pulls its funding" "new 1" "$MV" --home "$(node_home 2)" sync "$A"
before=$(node_digest 1)
check "the good user pays (offline)" "$MV" --home "$(node_home 2)" --as good op ledger.transfer \
	to=treasury amount=1
check "export the good peer's bundle" "$MV" --home "$(node_home 2)" export "$T_TMP/good.mvb"
python3 -c 'import sys; d=bytearray(open(sys.argv[1],"rb").read()); d[-1]^=1; open(sys.argv[2],"wb").write(d)' \
	"$T_TMP/good.mvb" "$T_TMP/forged"
check_out "a forged op gets 400 and refuses the whole bundle" 'bundle refused: op [0-9]+: .*signature.*HTTP 400' \
	post "$T_TMP/forged" /v1/ops
check "another network" "$MV" --home "$T_TMP/other" init othernet
check "export it" "$MV" --home "$T_TMP/other" export "$T_TMP/other.mvb"
check_out "ops of another network get 400" 'another network.*HTTP 400' post "$T_TMP/other.mvb" /v1/ops
check_out "unknown endpoints get 404" 'no such endpoint.*HTTP 404' post "$T_TMP/garbage" /v1/nope
check_out "unknown blobs get 404" 'blob not found.*HTTP 404' \
	curl -sk --pinnedpubkey "$PIN" "$URL/v1/blobs/$(printf '%064d' 0)" -w ' HTTP %{http_code}'
check_eq "nothing of the refused bundles was stored" "$(node_digest 1)" "$before"

# --- a flood of requests is rate limited ------------------------------------
# 300 requests, 16 at a time: far above rate=50/s with a burst of 100 even
# when a loaded machine slows each TLS handshake down.
codes=$(seq 300 | xargs -P 16 -I{} curl -sk --max-time 5 --pinnedpubkey "$PIN" -o /dev/null \
	-w '%{http_code}\n' "$URL/v1/info" | sort | uniq -c | tr '\n' ' ')
check_out "a flood gets 429 (rate limit)" '429' echo "$codes"
sleep 2 # the bucket refills

# --- slow clients hold connections; the good peer still syncs ---------------
python3 "$ROOT/tests/e2e/slowclient.py" "$PORT_1" loris 6 12 >"$T_TMP/loris.out" &
loris=$!; net_track $loris
python3 "$ROOT/tests/e2e/slowclient.py" "$PORT_1" idle 6 12 >"$T_TMP/idle.out" &
idle=$!; net_track $idle
sleep 1
check_out "the good peer syncs while slow clients hold connections" "pushed 1 \(new there 1\)" \
	"$MV" --home "$(node_home 2)" sync "$A"
wait $loris; wait $idle
check_out "slow (trickling) clients are cut off" '^closed=6 open=0' cat "$T_TMP/loris.out"
check_out "silent clients are cut off" '^closed=6 open=0' cat "$T_TMP/idle.out"
check_out "the server logs the cut" 'cut off [0-9]+ connection' cat "$T_TMP/n1.log"
check "both nodes agree" wait_converged 10 1 2

# --- a changed pin ---------------------------------------------------------
node_stop 1
rm -f "$(node_home 1)/node/tls.key" "$(node_home 1)/node/tls.crt"
node_start 1 || exit 1
check_fail "sync with a peer whose key changed fails" 1 "$MV" --home "$(node_home 2)" sync "$A"
check_out "with the documented error" "peer key changed" "$MV" --home "$(node_home 2)" sync "$A"
check_out "and the peer's status says so" "status peer key changed" "$MV" --home "$(node_home 2)" peer list
check_fail "curl with the old pin is refused too" 90 \
	curl -sk --pinnedpubkey "$PIN" "$URL/v1/info" -o /dev/null
A_NEW=$(node_addr 1)
check "the new address can be added deliberately" "$MV" --home "$(node_home 2)" peer add "$A_NEW"
check_out "and syncs" "^synced" "$MV" --home "$(node_home 2)" sync "$A_NEW"
node_stop 1
t_end
