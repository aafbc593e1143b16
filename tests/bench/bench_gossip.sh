#!/bin/sh
# bench_gossip.sh - BENCH_GOSSIP_NODES (10) nodes on 127.0.0.1 gossiping over
# HTTPS with a random topology (issue 9, "Scale"): how long after the last op
# until every node has the same state root, and how many bytes gossip moves
# per op. Goal: agreement within 3 gossip intervals.
#
#   1. node 1 creates the network; the others `init --join` it; one identity
#      per node, funded by the founder, signs a first transfer (so every
#      head vector holds all eleven authors from then on).
#   2. topology (seeded with BENCH_GOSSIP_SEED, printed): a random spanning
#      tree (each node knows a random earlier one) plus random extra peers
#      until every node knows 2 or 3; `peer add`/`peer remove` make each
#      node's peer list exactly that. All nodes `serve --interval`
#      BENCH_GOSSIP_INTERVAL (2) seconds.
#   3. BENCH_GOSSIP_BURSTS (3) bursts of BENCH_GOSSIP_OPS (30) random ops
#      (transfers to random users, a stake and a registration now and then),
#      each by the user of a random node on that node, 0-0.25 s apart; after
#      each burst, /v1/info of all nodes is polled every 0.2 s until every
#      state root and head vector is the same: that time is the agreement
#      time, measured from the moment the burst's last `op` returned.
#   4. at the end `mentalverse state-root` of every home must agree too.
# Bytes: every gossip round logs its HTTP bytes both ways ("N bytes"; TLS
# framing not counted); the sum over all nodes' logs from a burst's first op
# to its agreement, divided by its ops, is gossip_bytes_per_op. It includes
# the idle syncs of the window (info and an empty page), measured alone
# beforehand as gossip_idle_bytes_per_round; gossip_bytes_per_op_over_idle
# takes them out, and gossip_copies_per_op counts ops carried (N-1 = 9 is
# the least that reaches every node).
# Prints name=value lines; gossip_agree_intervals is the worst burst.
# gossip_round_period_s is how often a node actually went round its peers:
# on a loaded machine a round can outlast the interval, and
# gossip_agree_rounds is the agreement time in those real periods.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
MV=${MV:-$ROOT/mentalverse}
N=${BENCH_GOSSIP_NODES:-10}
IV=${BENCH_GOSSIP_INTERVAL:-2}
OPS=${BENCH_GOSSIP_OPS:-30}
BURSTS=${BENCH_GOSSIP_BURSTS:-3}
SEED=${BENCH_GOSSIP_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
GOAL=3
export MENTALVERSE_PASSPHRASE="" LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
unset MENTALVERSE_HOME XDG_DATA_HOME
TMP=$(mktemp -d "${TMPDIR:-/tmp}/mv-bench-gossip.XXXXXX")
cp "$MV" "$TMP/mentalverse" || exit 1 # a rebuild during the run must not swap it
MV=$TMP/mentalverse
PIDS=""
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; done
	n=0
	for p in $PIDS; do
		while kill -0 "$p" 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
		kill -KILL "$p" 2>/dev/null
	done
	wait 2>/dev/null
	[ "${BENCH_GOSSIP_KEEP:-0}" = 1 ] && echo "bench_gossip: kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
die() { echo "bench_gossip: $*"; exit 1; }

home() { echo "$TMP/n$1"; }
port() { eval "echo \$PORT_$1"; }
addr() { "$MV" --home "$(home "$1")" address --listen "127.0.0.1:$(port "$1")"; }
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Serve node I in the background; wait (10 s at most) until it answers.
start() {
	"$MV" --home "$(home "$1")" serve --listen "127.0.0.1:$(port "$1")" --interval "$IV" \
		>>"$TMP/n$1.log" 2>&1 &
	PIDS="$PIDS $!"
	a=$(addr "$1"); n=0
	until curl -skf --max-time 2 --pinnedpubkey "${a#*#}" "https://127.0.0.1:$(port "$1")/v1/info" \
		>/dev/null 2>&1; do
		n=$((n + 1)); [ $n -gt 100 ] && { tail -n 5 "$TMP/n$1.log"; die "node $1 did not start"; }
		sleep 0.1
	done
}

# --- homes, network, identities -----------------------------------------------
all=$(seq 1 "$N")
for i in $all; do eval "PORT_$i=$(free_port)"; done
"$MV" --home "$(home 1)" init gossipnet >/dev/null || die "init failed"
start 1
A1=$(addr 1)
for i in $all; do
	[ "$i" = 1 ] || "$MV" --home "$(home "$i")" init --join "$A1" >/dev/null || die "node $i: join failed"
	"$MV" --home "$(home "$i")" keygen "u$i" >/dev/null || die "keygen failed"
	id=$("$MV" --home "$(home "$i")" --json ids |
		python3 -c 'import json,sys; print([x["id"] for x in json.load(sys.stdin) if x["name"]==sys.argv[1]][0])' "u$i")
	eval "ID_$i=$id"
	"$MV" --home "$(home 1)" --as founder op ledger.transfer to="$id" amount=100000 >/dev/null ||
		die "funding u$i failed"
done

# --- topology ------------------------------------------------------------------
python3 - "$N" "$SEED" >"$TMP/topo" <<'EOF' || die "topology failed"
import random, sys
n, seed = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
knows = {i: set() for i in range(1, n + 1)}
order = list(range(1, n + 1)); rng.shuffle(order)
for k in range(1, n):                      # spanning tree: connected
    knows[order[k]].add(rng.choice(order[:k]))
for i in range(1, n + 1):                  # 2 or 3 peers each
    want = rng.choice((2, 3))
    while len(knows[i]) < min(want, n - 1):
        knows[i].add(rng.choice([j for j in range(1, n + 1) if j != i and j not in knows[i]]))
adj = {i: set() for i in knows}            # gossip goes both ways on a link
for i, s in knows.items():
    for j in s: adj[i].add(j); adj[j].add(i)
def ecc(src):
    dist, front = {src: 0}, [src]
    while front:
        nxt = []
        for u in front:
            for v in adj[u]:
                if v not in dist: dist[v] = dist[u] + 1; nxt.append(v)
        front = nxt
    assert len(dist) == n, "not connected"
    return max(dist.values())
print("diameter", max(ecc(i) for i in adj))
for i in sorted(knows):
    print("knows", i, " ".join(str(j) for j in sorted(knows[i])))
EOF
DIAM=$(sed -n 's/^diameter //p' "$TMP/topo")
LINKS=$(sed -n 's/^knows [0-9]* //p' "$TMP/topo" | wc -w) # peer entries: one sync each per round
echo "nodes=$N interval_s=$IV seed=$SEED diameter=$DIAM"
sed -n 's/^knows \([0-9]*\) \(.*\)/topology: node \1 knows \2/p' "$TMP/topo"
for i in $all; do
	"$MV" --home "$(home "$i")" peer remove "$A1" >/dev/null 2>&1 # the join added node 1
	for j in $(sed -n "s/^knows $i //p" "$TMP/topo"); do
		"$MV" --home "$(home "$i")" peer add "$(addr "$j")" >/dev/null || die "peer add $j on $i"
	done
done
for i in $(seq 2 "$N"); do start "$i"; done

# --- measuring -----------------------------------------------------------------
# The poller's list of ports (it reads our own nodes on loopback, so it does
# not check their pins; the nodes check each other's).
for i in $all; do port "$i"; done >"$TMP/nodes"

# wait_agree SECS: poll /v1/info of all nodes until roots and heads agree;
# prints the agreement time (ms since the epoch, to one poll: ~0.2 s) or
# "timeout" and what differs.
wait_agree() {
	python3 - "$TMP/nodes" "$1" <<'EOF'
import json, socket, ssl, sys, time
from concurrent.futures import ThreadPoolExecutor
nodes = [l.strip() for l in open(sys.argv[1]) if l.strip()]
deadline = time.time() + float(sys.argv[2])
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
def info(port):
    try:
        with socket.create_connection(("127.0.0.1", int(port)), timeout=2) as raw:
            with ctx.wrap_socket(raw) as s:
                s.sendall(b"GET /v1/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                data = b""
                while True:
                    b = s.recv(65536)
                    if not b: break
                    data += b
        j = json.loads(data.split(b"\r\n\r\n", 1)[1])
        return (j["state_root"], json.dumps(j["heads"], sort_keys=True))
    except Exception:
        return None
last = None
with ThreadPoolExecutor(len(nodes)) as ex:
    while time.time() < deadline:
        t = time.time()  # they agreed after the last poll and by this one's end
        got = list(ex.map(info, nodes))
        last = got
        if None not in got and len(set(got)) == 1:
            print(int(t * 1000)); sys.exit(0)
        time.sleep(0.2)
print("timeout")
for port, g in zip(nodes, last or []):
    print("  port %s: %s" % (port, g[0][:16] if g else "no answer"), file=sys.stderr)
sys.exit(1)
EOF
}

# "BYTES ROUNDS COPIES" of the gossip lines ("sync PEER: pulled ... N bytes")
# in every node's log past the offsets in $TMP/offsets ("FILE OFFSET"
# lines): the bytes, the number of syncs, the ops carried (pulled + pushed,
# duplicates included).
log_bytes() {
	python3 - "$TMP" "$N" <<'EOF'
import os, re, sys
tmp, n = sys.argv[1], int(sys.argv[2])
off = {}
if os.path.exists(tmp + "/offsets"):
    for l in open(tmp + "/offsets"):
        f, o = l.split(); off[f] = int(o)
total = rounds = sent = 0
for i in range(1, n + 1):
    f = "%s/n%d.log" % (tmp, i)
    with open(f, "rb") as fh:
        fh.seek(off.get(f, 0))
        for line in fh.read().decode("utf-8", "replace").splitlines():
            m = re.search(r" sync https://\S+: pulled (\d+) .*, pushed (\d+) .*, (\d+) bytes", line)
            if m:
                sent += int(m.group(1)) + int(m.group(2))
                total += int(m.group(3)); rounds += 1
print(total, rounds, sent)
EOF
}
mark_logs() { for i in $all; do echo "$TMP/n$i.log $(wc -c <"$TMP/n$i.log")"; done >"$TMP/offsets"; }

WAIT=$((IV * 30))
t0=$(now_ms)
r=$(wait_agree "$WAIT") || die "funding never converged: $r"
echo "setup_agree_ms=$((r - t0))"
# Every user, now funded on its node, signs once before measuring: the head
# vectors that every sync carries (in /v1/info and /v1/ops/since) then have
# all their authors, so the idle cost measured below is the one during the
# bursts.
for i in $all; do
	j=$((i % N + 1)); eval "to=\$ID_$j"
	"$MV" --home "$(home "$i")" --as "u$i" op ledger.transfer to="$to" amount=1 2>&1 |
		grep -q applied || die "first op of u$i was not applied"
done
r=$(wait_agree "$WAIT") || die "first ops never converged: $r"

# The ops of every burst, drawn from the seed: "BURST NODE TO KIND SLEEP".
python3 - "$N" "$SEED" "$BURSTS" "$OPS" >"$TMP/plan" <<'EOF' || die "plan failed"
import random, sys
n, seed, bursts, ops = (int(x) for x in sys.argv[1:])
rng = random.Random(seed * 7919)
registered = set()
for b in range(1, bursts + 1):
    for k in range(ops):
        i = rng.randrange(n) + 1
        j = rng.choice([x for x in range(1, n + 1) if x != i])
        kind = rng.choices(["transfer", "stake", "register"], [8, 1, 1])[0]
        if kind == "register":
            if i in registered:
                kind = "transfer"  # once per user
            registered.add(i)
        print(b, i, j, kind, "%.3f" % rng.uniform(0, 0.25))
EOF

# One op of the plan by node I's user, on node I; prints applied/rejected.
plan_op() { # I TO KIND SEQ
	eval "to=\$ID_$2"
	case $3 in
	stake) out=$("$MV" --home "$(home "$1")" --as "u$1" stake 5 30 2>&1) ;;
	register) out=$("$MV" --home "$(home "$1")" --as "u$1" register --role patient \
		--name "p$1-$4" --jurisdiction US 2>&1) ;;
	*) out=$("$MV" --home "$(home "$1")" --as "u$1" op ledger.transfer to="$to" \
		amount="$(($4 % 9 + 1)).25" memo="b$4" 2>&1) ;;
	esac
	case $out in
	*applied*) echo applied ;;
	*rejected*) echo "$3: $out" >>"$TMP/rejected"; echo rejected ;;
	*) echo "  $3 on node $1 failed: $out" >&2; echo failed ;;
	esac
}

# Idle cost: bytes and rounds of gossip while nothing happens (2 intervals).
mark_logs; sleep $((IV * 2))
set -- $(log_bytes); idle_bytes=$1; idle_rounds=$2

results=""
b=0; applied=0; rejected=0; seq=0
while [ $b -lt "$BURSTS" ]; do
	b=$((b + 1))
	mark_logs
	first=$(now_ms)
	while read -r pb i j kind pause; do
		[ "$pb" = "$b" ] || continue
		seq=$((seq + 1))
		case $(plan_op "$i" "$j" "$kind" "$seq" </dev/null) in
		applied) applied=$((applied + 1)) ;;
		rejected) rejected=$((rejected + 1)) ;;
		*) die "an op failed" ;;
		esac
		last=$(now_ms) # when the op returned, stored and applied
		sleep "$pause"
	done <"$TMP/plan"
	r=$(wait_agree "$WAIT") || die "burst $b: no agreement within $WAIT s: $r"
	end=$(now_ms) # the logs are read up to here
	set -- $(log_bytes)
	echo "burst=$b ops=$OPS burst_ms=$((last - first)) agree_ms=$((r - last)) bytes=$1 rounds=$2 op_copies=$3"
	results="$results $((r - last)):$1:$2:$3:$((end - first))"
done

# Every home's own `state-root` agrees too.
first=""
for i in $all; do
	v=$("$MV" --home "$(home "$i")" state-root) || die "state-root on node $i failed"
	[ -z "$first" ] && first=$v
	[ "$v" = "$first" ] || die "state-root of node $i differs: $v vs $first"
done
echo "state_roots_equal=yes ops_applied=$applied ops_rejected=$rejected"
[ -f "$TMP/rejected" ] && sed 's/^/  rejected: /' "$TMP/rejected" | head -n 3

TMP=$TMP python3 - "$IV" "$OPS" "$GOAL" "$DIAM" "$idle_bytes" "$idle_rounds" "$LINKS" "$N" $results <<'EOF'
import os, sys
iv, ops, goal, diam, idle_b, idle_r, links, n = (int(x) for x in sys.argv[1:9])
runs = [tuple(int(x) for x in a.split(":")) for a in sys.argv[9:]]
agree = [r[0] for r in runs]
worst = max(agree)
nbytes, rounds, copies, window = (sum(r[k] for r in runs) for k in (1, 2, 3, 4))
# a node's round syncs with each of its peers in turn: under load a round
# can take longer than the interval, and then the round is the real period
period = window / 1000.0 / max(rounds / links, 1)  # to a round or so at the edges
per_round = idle_b / max(idle_r, 1)
print("gossip_agree_ms_each=%s" % ",".join(str(a) for a in agree))
print("gossip_agree_s=%.2f" % (worst / 1000.0))
print("gossip_agree_intervals=%.2f" % (worst / 1000.0 / iv))
print("gossip_goal_intervals=%d" % goal)
print("gossip_goal_ratio=%.2f" % (worst / 1000.0 / iv / goal))
print("gossip_diameter=%d" % diam)
print("gossip_round_period_s=%.2f" % period)
print("gossip_agree_rounds=%.2f" % (worst / 1000.0 / max(period, iv)))
print("load_average=%.1f" % os.getloadavg()[0])
ms = sorted(int(l.rsplit(" ", 1)[1][:-3]) for i in range(1, n + 1)
            for l in open(os.path.join(os.environ["TMP"], "n%d.log" % i))
            if " GET /v1/info 200 " in l and l.rstrip().endswith("ms"))
if ms:  # the nodes' own time per /v1/info, over the whole run
    print("node_info_ms_p50=%d node_info_ms_p90=%d" % (ms[len(ms) // 2], ms[len(ms) * 9 // 10]))
print("gossip_idle_bytes_per_round=%.0f" % per_round)
print("gossip_bytes_per_op=%.0f" % (nbytes / (ops * len(runs))))
print("gossip_bytes_per_op_over_idle=%.0f" % ((nbytes - per_round * rounds) / (ops * len(runs))))
print("gossip_copies_per_op=%.1f" % (copies / (ops * len(runs))))
EOF
