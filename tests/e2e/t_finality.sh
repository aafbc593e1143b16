#!/bin/sh
# t_finality.sh - checkpoints and finality across nodes on 127.0.0.1, and the
# "offline week". A council of two (threshold 2) sits on two nodes running
# `serve`: a checkpoint one member proposes (`checkpoint --force`, to close
# epochs quickly) is co-signed by the other's node and becomes final on both,
# with the same epochs and signed roots, roots matching each node's replay,
# `verify` passing and /v1/info naming the last final checkpoint. A third
# node with its own user then acts alone (transfers, one beyond its balance)
# while the others pass several epochs, and rejoins (peer add + sync): every
# op it made is in every log, applied or rejected by rule (the overdraft
# becomes valid once a gift made during the week sorts before it), none
# lost or rejected for lateness; all roots and final epochs are equal.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/netlib.sh"
t_begin finality

mvn() { i=$1; shift; "$MV" --home "$(node_home "$i")" "$@"; }
# json_of I PY ARGS...: run `mentalverse --json ARGS` on node I, print PY(d)
json_of() {
	i=$1 py=$2; shift 2
	mvn "$i" --json "$@" | python3 -c "import json,sys; d=json.load(sys.stdin); print($py)"
}
id_of() { json_of "$1" "[x['id'] for x in d if x['name'] == '$2'][0]" ids; }
last_epoch() { json_of "$1" "d['last_epoch']" show checkpoints 2>/dev/null; }
# "EPOCH:ROOT ..." of every final epoch, and whether every root matched.
epochs_of() {
	json_of "$1" "' '.join('%d:%s:%s' % (e['epoch'], e['root'], e['root_matches']) for e in d['epochs'])" \
		show checkpoints
}
# Wait at most SECS until every listed node has epoch E final.
wait_final() {
	e=$1 secs=$2; shift 2
	n=0
	while [ $n -lt $((secs * 4)) ]; do
		ok=yes
		for i in "$@"; do [ "$(last_epoch "$i")" = "$e" ] || { ok=no; break; }; done
		[ $ok = yes ] && return 0
		sleep 0.25; n=$((n + 1))
	done
	for i in "$@"; do echo "  node $i: last final epoch $(last_epoch "$i")"; done
	return 1
}
# Ops by user3 on node I as "ID:OUTCOME:EPOCH", sorted.
user3_ops() {
	mvn "$1" --json log --limit 100000 | python3 -c '
import json, sys
print(" ".join(sorted("%s:%s:%s" % (o["id"][:12], o["outcome"].split(":")[0], o["epoch"])
                      for o in json.load(sys.stdin) if o["author"] == sys.argv[1])))' "$U3"
}
outcome_of() { # outcome of op ID (prefix) on node I
	mvn "$1" --json log --limit 100000 | python3 -c '
import json, sys
print([o["outcome"].split(":")[0] for o in json.load(sys.stdin) if o["id"].startswith(sys.argv[1])][0])' "$2"
}

for i in 1 2 3; do node_port "$i"; done

# --- a council of two on two nodes -----------------------------------------
check "council-b's key is made on node 2" mvn 2 keygen council-b
check "council-a's key is made on node 1" mvn 1 keygen council-a
B=$(id_of 2 council-b)
sed -e "s/^council = founder/council = council-a,$B/" -e 's/^council_threshold = 1/council_threshold = 2/' \
	"$ROOT/assets/genesis.default" >"$T_TMP/genesis.conf"
check "node 1 creates the network with a council of two, threshold 2" \
	mvn 1 init finnet --genesis "$T_TMP/genesis.conf"
check_eq "the council threshold is 2" "$(json_of 1 "d['threshold']" show checkpoints)" 2
node_start 1 || exit 1
A1=$(node_addr 1)
check_out "node 2 joins from node 1" "joined network finnet" mvn 2 init --join "$A1"
check "node 1 gossips with node 2" mvn 1 peer add "$(node_addr 2)"
node_start 2 || exit 1

check "user1 on node 1" mvn 1 keygen user1
U1=$(id_of 1 user1)
check "founder funds user1" mvn 1 --as founder op ledger.transfer to="$U1" amount=500

# --- epoch 1: proposed by council-a, co-signed by node 2's serve ------------
check_out "council-a proposes epoch 1" "epoch 1: proposed" mvn 1 --as council-a checkpoint --force
check "epoch 1 becomes final on both council nodes" wait_final 1 20 1 2
check_out "node 1 shows the final epoch" "^1 .*root matches" mvn 1 show checkpoints
E1=$(epochs_of 1)
check_eq "both nodes hold the same final epochs and roots" "$(epochs_of 2)" "$E1"
check_out "the signed root matches the replay on node 2" ":True$" echo "$E1"
for i in 1 2; do check "verify passes on node $i (final roots checked)" mvn "$i" verify; done
info_final() { # /v1/info's last_final_checkpoint of node I as "EPOCH ROOT"
	a=$(node_addr "$1")
	curl -sk --max-time 5 --pinnedpubkey "${a#*#}" "https://127.0.0.1:$(node_getport "$1")/v1/info" |
		python3 -c 'import json,sys; c=json.load(sys.stdin)["last_final_checkpoint"]; print(c["epoch"], c["state_root"])'
}
check_eq "/v1/info names the last final checkpoint" "$(info_final 2)" \
	"$(echo "$E1" | awk -F: '{ print $1, $2 }')"

# --- node 3 joins, gets its user funded, then goes offline -------------------
check_out "node 3 joins from node 1" "joined network finnet" mvn 3 init --join "$A1"
check "user3 on node 3" mvn 3 keygen user3
U3=$(id_of 3 user3)
check "founder funds user3 with 100 MVT" mvn 1 --as founder op ledger.transfer to="$U3" amount=100
check_out "node 3 syncs the funding" "^synced" mvn 3 sync
check_eq "node 3 has epoch 1 final" "$(last_epoch 3)" 1
check "node 3 goes offline (forgets its only peer)" mvn 3 peer remove "$A1"

# --- the offline week: node 3 acts alone ... ----------------------------------
k=0
while [ $k -lt 5 ]; do
	k=$((k + 1))
	check_out "user3 pays user1 15 MVT offline ($k)" " applied$" \
		mvn 3 --as user3 op ledger.transfer to="$U1" amount=15 memo="offline $k"
done
out=$(mvn 3 --as user3 op ledger.transfer to="$U1" amount=50 memo="beyond the balance" 2>&1)
check_out "a transfer beyond user3's balance is rejected offline" "rejected" echo "$out"
OVER=$(echo "$out" | awk '{ print substr($1, 1, 12) }')
check_out "a transfer of 1000 MVT is rejected too" "rejected" \
	mvn 3 --as user3 op ledger.transfer to="$U1" amount=1000 memo="never enough"
MINE=$(user3_ops 3)
check_eq "node 3 holds 7 ops by user3" "$(echo "$MINE" | wc -w)" 7

# --- ... while the council nodes pass epochs 2, 3 and 4 -----------------------
check_out "user1 gives user3 40 MVT during the week" " applied$" \
	mvn 1 --as user1 op ledger.transfer to="$U3" amount=40 memo="gift"
for e in 2 3 4; do
	if [ $((e % 2)) -eq 0 ]; then who=council-b n=2; else who=council-a n=1; fi
	check_out "user1 pays council-b during epoch $e" " applied$" \
		mvn 1 --as user1 op ledger.transfer to="$B" amount=1 memo="epoch $e"
	check "nodes 1 and 2 converge before epoch $e closes" wait_converged 20 1 2
	check_out "$who proposes epoch $e on node $n" "epoch $e: proposed" mvn "$n" --as "$who" checkpoint --force
	check "epoch $e becomes final on nodes 1 and 2" wait_final "$e" 20 1 2
done
check_eq "node 3 saw none of it (still at epoch 1)" "$(last_epoch 3)" 1
check_eq "the overdraft is still rejected on node 3" "$(outcome_of 3 "$OVER")" rejected

# --- node 3 rejoins -----------------------------------------------------------
check "node 3 adds node 1 again" mvn 3 peer add "$A1"
check_out "node 3 syncs: pulls the week and pushes its ops" "pushed 7 \(new there 7\)" mvn 3 sync
check_eq "node 3 now has the 4 final epochs" "$(last_epoch 3)" 4
check_eq "the overdraft is applied now: the gift sorts before it" "$(outcome_of 3 "$OVER")" applied
node_start 3 || exit 1
check "all three converge (roots and every op)" wait_converged 30 1 2 3
check_out "council-a closes epoch 5 over node 3's ops" "epoch 5: proposed" \
	mvn 1 --as council-a checkpoint --force
check "epoch 5 becomes final on all three nodes" wait_final 5 20 1 2 3
check "all three converge again" wait_converged 30 1 2 3

R3=$(user3_ops 3)
for i in 1 2 3; do
	got=$(user3_ops "$i")
	check_eq "node $i holds all 7 ops of user3, none lost" "$(echo "$got" | wc -w)" 7
	check_eq "node $i agrees on their outcomes and epochs" "$got" "$R3"
	check_out "node $i: every op of user3 applied or rejected, in epoch 5" \
		'^([0-9a-f]{12}:(applied|rejected):5 ?){7}$' echo "$got"
done
check_eq "5 + 1 applied (the overdraft after the gift), 1 rejected by rule" \
	"$(echo "$R3" | tr ' ' '\n' | grep -c ':applied:')" 6
E=$(epochs_of 1)
check_out "five final epochs, every root matching" '^(([1-5]):[0-9a-f]{64}:True ?){5}$' echo "$E"
for i in 2 3; do check_eq "node $i has the same final epochs and roots" "$(epochs_of "$i")" "$E"; done
for i in 1 2 3; do check "verify passes on node $i" mvn "$i" verify; done
check_eq "/v1/info of node 3 names epoch 5" "$(info_final 3 | cut -d' ' -f1)" 5
for i in 1 2 3; do node_stop "$i"; done
t_end
