#!/bin/sh
# t_sync.sh - multi-node sync over HTTPS on 127.0.0.1: MV_SYNC_NODES nodes (4)
# join the first node's network, each with its own user; all gossip every
# second (full mesh of peers). Users make transfers on their own nodes while
# everyone gossips: every node ends with the same state root and every op.
# Then partition and heal: one node is stopped (SIGTERM: clean exit), both
# sides keep acting, it restarts and all converge again; `verify` passes
# everywhere. Blobs referred to by ops reach every node, an erased blob is
# never fetched again, and bundle files carry blobs. Also: address/peer/sync
# commands and their errors.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlib.sh"
t_begin sync

N=${MV_SYNC_NODES:-4}
ROUNDS=${MV_SYNC_ROUNDS:-4}
all=$(seq 1 "$N")

# --- node 1 creates the network; the others join it ----------------------
for i in $all; do node_port "$i"; done
check "init the network on node 1" "$MV" --home "$(node_home 1)" init syncnet
check_out "address has the pinned form" '^https://127\.0\.0\.1:[0-9]+#sha256//[A-Za-z0-9+/]{43}=$' \
	node_addr 1
check_out "the TLS key is private (0600)" '^-rw-------' ls -l "$(node_home 1)/node/tls.key"
node_start 1 || exit 1
A1=$(node_addr 1)
for i in $(seq 2 "$N"); do
	check_out "node $i joins from node 1" "joined network syncnet" \
		"$MV" --home "$(node_home "$i")" init --join "$A1"
done
check "another network" "$MV" --home "$T_TMP/other" init othernet
check_out "a home of another network cannot join" "another network" \
	"$MV" --home "$T_TMP/other" init --join "$A1"
check_out "joining again resumes (nothing to pull)" "pulled 0" \
	"$MV" --home "$(node_home 2)" init --join "$A1"

# --- identities and a full mesh of peers ---------------------------------
for i in $all; do
	check "keygen user$i on node $i" "$MV" --home "$(node_home "$i")" keygen "user$i"
	eval "ID_$i=\$(\"\$MV\" --home \"\$(node_home $i)\" ids --json | python3 -c 'import json,sys; print([x[\"id\"] for x in json.load(sys.stdin) if x[\"name\"]==\"user$i\"][0])')"
done
for i in $all; do
	for j in $all; do
		[ "$i" = "$j" ] && continue
		"$MV" --home "$(node_home "$i")" peer add "$(node_addr "$j")" >/dev/null 2>&1 ||
			[ "$j" = 1 ] || echo "  peer add $j on $i failed"
	done
done
check_out "peer list shows the peers" "status" "$MV" --home "$(node_home 2)" peer list
check_fail "adding a known peer again fails" 1 "$MV" --home "$(node_home 2)" peer add "$(node_addr 3)"
check_out "a peer address without pin is refused" "has no pin" \
	"$MV" --home "$(node_home 2)" peer add "https://127.0.0.1:$(node_getport 3)"
for i in $(seq 2 "$N"); do node_start "$i" || exit 1; done

# --- the founder funds every user; users pay each other -------------------
for i in $all; do
	eval "to=\$ID_$i"
	check "founder funds user$i" "$MV" --home "$(node_home 1)" --as founder op ledger.transfer \
		to="$to" amount=1000
done
check "funding reaches every node" wait_converged 30 $all

pay_round() { # every listed node's user pays a random other user
	for i in "$@"; do
		j=$(( $(rand_below "$N") + 1 )); [ "$j" = "$i" ] && j=$(( i % N + 1 ))
		eval "to=\$ID_$j"
		"$MV" --home "$(node_home "$i")" --as "user$i" op ledger.transfer to="$to" \
			amount="$(( $(rand_below 9) + 1 )).5" memo="r$r n$i" >/dev/null 2>&1 ||
			echo "  transfer by user$i failed"
	done
}
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1)); pay_round $all; sleep 0.3
done
check "all nodes converge (roots and every op)" wait_converged 40 $all
expected=$((1 + N + N * ROUNDS))
check_eq "every op is everywhere ($expected ops)" "$(node_digest 1 | cut -d' ' -f1)" "$expected"
check_out "explicit sync prints a summary" "^synced https://" \
	"$MV" --home "$(node_home 2)" sync "127.0.0.1:$(node_getport 1)"
check_out "peer list records a successful sync" "status ok" "$MV" --home "$(node_home 2)" peer list
check_out "no op is waiting for a peer" "^0 ops of ours" "$MV" --home "$(node_home 3)" peer list

# --- partition and heal ----------------------------------------------------
node_stop "$N"; check_eq "node $N stops cleanly on SIGTERM (exit 0)" "$?" 0
check_out "its log says stopped" "stopped$" tail -n 1 "$T_TMP/n$N.log"
others=$(seq 1 $((N - 1)))
r=100
while [ $r -lt 103 ]; do
	r=$((r + 1)); pay_round $all; sleep 0.2
done
check_out "the stopped node's ops wait for peers" "^[1-9][0-9]* ops of ours" \
	"$MV" --home "$(node_home "$N")" peer list
check "the others converge without it" wait_converged 30 $others
node_start "$N" || exit 1
check "all converge after healing" wait_converged 40 $all
expected=$((expected + 3 * N))
check_eq "every op of both sides is everywhere ($expected ops)" \
	"$(node_digest "$N" | cut -d' ' -f1)" "$expected"
for i in $all; do
	check "verify passes on node $i" "$MV" --home "$(node_home "$i")" verify
done
# --- blobs travel with the ops that refer to them; tombstones stay ----------
blob=$(python3 - "$(node_home 2)/mentalverse.db" <<'EOF'
import hashlib, os, sqlite3, sys
data = os.urandom(700)  # stands for ciphertext: nodes never look inside
h = hashlib.blake2b(data, digest_size=32).digest()
db = sqlite3.connect(sys.argv[1], timeout=30)
db.execute("INSERT INTO local_blobs(hash, data) VALUES(?, ?)", (h, data)); db.commit()
print(h.hex())
EOF
)
check_out "user2 registers with a private blob" "applied" "$MV" --home "$(node_home 2)" --as user2 \
	op user.register role=patient display_name=p2 jurisdiction=US private_blob="$blob" \
	sealed_key="$(head -c 80 /dev/urandom | od -An -tx1 | tr -d ' \n')"
has_blob() { # "dataN" / "erased" / "none"
	python3 -c 'import sqlite3,sys
r = sqlite3.connect(sys.argv[1], timeout=30).execute("SELECT erased, length(data) FROM local_blobs WHERE hash = ?", (bytes.fromhex(sys.argv[2]),)).fetchone()
print("none" if r is None else "erased" if r[0] else "data%d" % r[1])' "$(node_home "$1")/mentalverse.db" "$blob"
}
check "the op converges" wait_converged 30 $all
n=0
while [ $n -lt 40 ]; do
	got=""; for i in $all; do got="$got$(has_blob "$i")"; done
	[ "$got" = "$(for i in $all; do printf data700; done)" ] && break
	sleep 0.5; n=$((n + 1))
done
for i in $all; do check_eq "node $i fetched the blob" "$(has_blob "$i")" data700; done
python3 -c 'import sqlite3,sys
db = sqlite3.connect(sys.argv[1], timeout=30)
db.execute("UPDATE local_blobs SET data = NULL, erased = 1 WHERE hash = ?", (bytes.fromhex(sys.argv[2]),))
db.execute("DELETE FROM local_meta WHERE k = ?", ("blobref.rowid",)); db.commit()' "$(node_home 3)/mentalverse.db" "$blob"
check_out "node 3 syncs after erasing it" "blobs 0" "$MV" --home "$(node_home 3)" sync "$(node_addr 1)"
check_eq "an erased blob is never fetched again" "$(has_blob 3)" erased
P3=$(node_addr 3)
check_out "an erased blob is 404 to peers" 'blob erased.*HTTP 404' curl -sk --pinnedpubkey "${P3#*#}" \
	"https://127.0.0.1:$(node_getport 3)/v1/blobs/$blob" -w ' HTTP %{http_code}'
check "export carries blobs" "$MV" --home "$(node_home 2)" export "$T_TMP/withblobs.mvb"
check "import into a new home" "$MV" --home "$T_TMP/usb" import "$T_TMP/withblobs.mvb"
check_eq "the blob came on the stick" "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT length(data) FROM local_blobs WHERE hash = ?", (bytes.fromhex(sys.argv[2]),)).fetchone()[0])' "$T_TMP/usb/mentalverse.db" "$blob")" 700
python3 -c 'import sys; d = open(sys.argv[1], "rb").read(); open(sys.argv[2], "wb").write(d[:-1])' \
	"$T_TMP/withblobs.mvb" "$T_TMP/badblobs.mvb"
check_out "a truncated blob section is refused" "blob section" \
	"$MV" --home "$T_TMP/usb2" import "$T_TMP/badblobs.mvb"
check_fail "sync with an unknown HOST:PORT fails" 1 "$MV" --home "$(node_home 2)" sync 127.0.0.1:1
for i in $all; do node_stop "$i"; done
check_out "the server logged requests" "POST /v1/ops/since 200" cat "$T_TMP/n1.log"
check_out "the server logged gossip" "sync https://.*pulled" cat "$T_TMP/n2.log"
t_end
