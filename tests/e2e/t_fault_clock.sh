#!/bin/sh
# t_fault_clock.sh - clock skew between homes (issue 9, fault injection),
# with libfaketime (`faketime`; skipped with a message where it is absent).
# Three homes of one network exchange export/import bundles:
#   A  at the right time (founder, alice);
#   B  3 hours ahead (bob): its ops claim a time more than 10 minutes in A's
#      future, so A holds them in log_pending ("future"), out of the log and
#      the state, until A's clock reaches them (DESIGN §3); then they are
#      stored and applied;
#   C  3 hours behind (carol): A's ops after the genesis are in C's future,
#      so C holds them; carol's op gets a clock just after the newest op C's
#      log holds (the genesis: hybrid logical clock), not 3 h back, and so C
#      holds it too; exported, A takes it at once and sorts it before A's own
#      newer ops (undo and replay), where it is rejected for lack of funds
#      (its funding comes later in the order), as on every node.
# At the end, with everyone's clock past B's ops, all three homes hold the
# same ops and the same state root, and verify passes on each.
. "$(dirname "$0")/lib.sh"
t_begin fault_clock
if ! command -v faketime >/dev/null 2>&1; then
	echo "  skipped: faketime not found (apt-get install faketime)"
	t_end
	exit 0
fi
A="$T_TMP/a"; B="$T_TMP/b"; C="$T_TMP/c"
ahead() { faketime -f "+3h" "$@"; }
behind() { faketime -f "-3h" "$@"; }
later() { faketime -f "+4h" "$@"; }
# n_log HOME [AUTHOR_HEX]: ops in the log; n_future HOME: ops held as future.
n_log() {
	python3 - "$1/mentalverse.db" "${2:-}" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
if sys.argv[2]:
	print(db.execute("SELECT count(*) FROM log_ops WHERE author = ?", (bytes.fromhex(sys.argv[2]),)).fetchone()[0])
else:
	print(db.execute("SELECT count(*) FROM log_ops").fetchone()[0])
PY
}
n_future() {
	python3 - "$1/mentalverse.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM log_pending WHERE why = 'future'").fetchone()[0])
PY
}
n_pending() {
	python3 - "$1/mentalverse.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM log_pending").fetchone()[0])
PY
}
# xfer HOME_FILE: export HOME into FILE.
xfer() { "$MV" --home "$1" export "$2" >/dev/null; }
hex_of() { "$MV" --home "$1" ids | awk -v n="$2" '$1 == n { print $2 }'; }

check "A: init" "$MV" --home "$A" init skew-net
check "A: keygen alice" "$MV" --home "$A" keygen alice
check "A: fund alice" "$MV" --home "$A" op ledger.transfer to=alice amount=100
xfer "$A" "$T_TMP/a.mvb"
check "B joins (3 h ahead)" ahead "$MV" --home "$B" import "$T_TMP/a.mvb"
check "C joins (3 h behind)" behind "$MV" --home "$C" import "$T_TMP/a.mvb"
check "B: keygen bob" "$MV" --home "$B" keygen bob
check "C: keygen carol" "$MV" --home "$C" keygen carol
BOB=$(hex_of "$B" bob); CAROL=$(hex_of "$C" carol); ALICE=$(hex_of "$A" alice)
check "A: fund bob" "$MV" --home "$A" op ledger.transfer to="$BOB" amount=100
check "A: fund carol" "$MV" --home "$A" op ledger.transfer to="$CAROL" amount=100
xfer "$A" "$T_TMP/a.mvb"
check "B gets its funds" ahead "$MV" --home "$B" import "$T_TMP/a.mvb"
check "C gets its funds" behind "$MV" --home "$C" import "$T_TMP/a.mvb"

# ---- B, 3 hours ahead -------------------------------------------------
for i in 1 2 3; do
	check "B: bob pays alice ($i)" ahead "$MV" --home "$B" --as bob op ledger.transfer to="$ALICE" amount=1
done
xfer "$B" "$T_TMP/b.mvb"
check_out "A holds B's 3 future ops" " 3 pending" "$MV" --home "$A" import "$T_TMP/b.mvb"
check_eq "... in log_pending" "$(n_pending "$A")" 3
check_eq "... the first as 'future' (the next two wait for it)" "$(n_future "$A")" 1
check_eq "... not in A's log" "$(n_log "$A" "$BOB")" 0
check_out "... so alice's balance is unchanged in A" "^100 MVT" "$MV" --home "$A" show balance alice
check_out "importing again still holds them" " 0 new, .* 0 pending|3 duplicate" "$MV" --home "$A" import "$T_TMP/b.mvb"
check_eq "... still 3 held" "$(n_pending "$A")" 3

# ---- C, 3 hours behind ------------------------------------------------
# C's clock is 3 h behind: A's ops after genesis are more than 10 minutes in
# C's future, so C holds them.
check_eq "C holds A's ops as future" "$([ "$(n_future "$C")" -ge 1 ] && echo yes)" yes
# The genesis C took is itself 3 h in C's future, and the hybrid logical
# clock puts carol's op after it: more than 10 minutes ahead of C's clock,
# so C holds its own op too ("pending", not lost: it is stored when C's
# clock catches up, and it travels in exports meanwhile).
check_out "C: carol pays alice: held in C too" "^[0-9a-f]{64} pending" behind "$MV" --home "$C" --as carol op ledger.transfer to="$ALICE" amount=5
order=$(python3 - "$C/mentalverse.db" "$CAROL" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); carol = bytes.fromhex(sys.argv[2])
c = db.execute("SELECT max(clock) FROM log_pending WHERE author = ?", (carol,)).fetchone()[0]
other = db.execute("SELECT max(clock) FROM log_ops").fetchone()[0]
print("after" if c is not None and c > other else "before")
PY
)
check_eq "carol's clock is after every op C's log holds (HLC), not 3 h back" "$order" after
xfer "$C" "$T_TMP/c.mvb"
check_out "A takes carol's op at once (it is in A's past)" " 1 new, .* 0 pending" "$MV" --home "$A" import "$T_TMP/c.mvb"
# In A's total order carol's op (just after the genesis C had seen) comes
# before A's funding of carol: A re-orders (undo and replay), and the
# transfer is rejected for lack of funds, as every node will find.
first=$(python3 - "$A/mentalverse.db" "$CAROL" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1]); carol = bytes.fromhex(sys.argv[2])
c = db.execute("SELECT clock FROM log_ops WHERE author = ?", (carol,)).fetchone()[0]
latest = db.execute("SELECT max(clock) FROM log_ops WHERE author != ?", (carol,)).fetchone()[0]
print("before" if c < latest else "after")
PY
)
check_eq "carol's op sorts before A's newer ops" "$first" before
check_out "... and is rejected: its funding comes after it" "rejected: insufficient funds" "$MV" --home "$A" log --limit 50

# ---- time passes: everyone's clock past B's ops ------------------------
xfer "$A" "$T_TMP/a.mvb"; xfer "$B" "$T_TMP/b.mvb"; xfer "$C" "$T_TMP/c.mvb"
for h in "$A" "$B" "$C"; do
	for f in a b c; do
		later "$MV" --home "$h" import "$T_TMP/$f.mvb" >/dev/null 2>&1
	done
done
check_eq "A released B's ops when their time came" "$(n_future "$A")" 0
check_eq "... they are in A's log" "$(n_log "$A" "$BOB")" 3
check_eq "C holds no future op either" "$(n_future "$C")" 0
ra=$("$MV" --home "$A" state-root); rb=$("$MV" --home "$B" state-root); rc=$("$MV" --home "$C" state-root)
check_eq "A and B agree on the state root" "$ra" "$rb"
check_eq "A and C agree on the state root" "$ra" "$rc"
check_eq "all hold the same number of ops" "$(n_log "$A") $(n_log "$B")" "$(n_log "$C") $(n_log "$C")"
for h in "$A" "$B" "$C"; do
	check "verify $(basename "$h")" later "$MV" --home "$h" verify
done
t_end
