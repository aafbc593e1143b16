# netlib.sh - helpers for the multi-node e2e tests (sourced after lib.sh).
# Nodes are homes $T_TMP/nI serving on 127.0.0.1:$PORT_I (free ports picked
# at run time). Every process started here is recorded and killed by the
# EXIT/INT/TERM trap; every wait is bounded.
#   node_port I           pick a free port for node I (sets PORT_I)
#   node_addr I           print node I's address (after node_port)
#   node_start I [ARGS]   serve node I in the background, wait until it answers
#   node_stop I           SIGTERM node I and wait; returns its exit status
#   node_kill I           SIGKILL node I
#   node_digest I         "OPS PENDING SHA" of node I's log (ids of every op)
#   wait_converged SECS I...   until all nodes have equal roots and digests
NET_PIDS=""
NET_INTERVAL=${NET_INTERVAL:-1}

net_cleanup() {
	for p in $NET_PIDS; do kill -KILL "$p" 2>/dev/null; done
	wait 2>/dev/null
	return 0
}
trap 'net_cleanup' EXIT
trap 'net_cleanup; exit 1' INT TERM

net_track() { NET_PIDS="$NET_PIDS $1"; }

node_home() { echo "$T_TMP/n$1"; }
node_port() { eval "PORT_$1=$(free_port)"; }
node_getport() { eval "echo \$PORT_$1"; }
node_addr() { "$MV" --home "$(node_home "$1")" address --listen "127.0.0.1:$(node_getport "$1")"; }
node_pid() { eval "echo \${PID_$1:-}"; }

# Wait (at most 10 s) until node I answers /v1/info.
node_wait_up() {
	addr=$(node_addr "$1")
	pin=${addr#*#}
	n=0
	while [ $n -lt 100 ]; do
		curl -skf --max-time 2 --pinnedpubkey "$pin" "https://127.0.0.1:$(node_getport "$1")/v1/info" \
			>/dev/null 2>&1 && return 0
		sleep 0.1; n=$((n + 1))
	done
	echo "  node $1 did not come up"; tail -n 5 "$T_TMP/n$1.log"
	return 1
}

node_start() {
	i=$1; shift
	"$MV" --home "$(node_home "$i")" serve --listen "127.0.0.1:$(node_getport "$i")" \
		--interval "$NET_INTERVAL" "$@" >>"$T_TMP/n$i.log" 2>&1 &
	eval "PID_$i=$!"
	net_track $!
	node_wait_up "$i"
}

node_stop() {
	p=$(node_pid "$1")
	[ -n "$p" ] || return 1
	kill -TERM "$p" 2>/dev/null
	n=0
	while kill -0 "$p" 2>/dev/null && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	wait "$p"; rc=$?
	eval "PID_$1="
	return $rc
}

node_kill() {
	p=$(node_pid "$1")
	[ -n "$p" ] && kill -KILL "$p" 2>/dev/null && wait "$p" 2>/dev/null
	eval "PID_$1="
	return 0
}

# "OPS PENDING SHA256-of-sorted-op-ids" of a home's log.
home_digest() {
	python3 - "$1/mentalverse.db" <<'EOF'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1], timeout=30)
ids = [r[0] for r in db.execute("SELECT id FROM log_ops ORDER BY id")]
pend = db.execute("SELECT count(*) FROM log_pending").fetchone()[0]
print(len(ids), pend, hashlib.sha256(b"".join(ids)).hexdigest()[:16])
EOF
}
node_digest() { home_digest "$(node_home "$1")"; }

# Wait at most SECS seconds until every listed node has the same state root
# and the same log; returns 1 on timeout (and prints what differs).
wait_converged() {
	secs=$1; shift
	tries=$((secs * 2)); n=0
	while [ $n -lt $tries ]; do
		first=""; same=yes
		for i in "$@"; do
			v="$("$MV" --home "$(node_home "$i")" state-root 2>/dev/null) $(node_digest "$i")"
			if [ -z "$first" ]; then first=$v; elif [ "$v" != "$first" ]; then same=no; break; fi
		done
		[ $same = yes ] && return 0
		sleep 0.5; n=$((n + 1))
	done
	for i in "$@"; do echo "  node $i: $("$MV" --home "$(node_home "$i")" state-root) $(node_digest "$i")"; done
	return 1
}

# A random integer in 0..$1-1.
rand_below() {
	r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
	echo $((r % $1))
}
