#!/bin/sh
# t_fault_disk.sh - a full disk and a read-only store (issue 9, fault
# injection).
# Disk full: the home lives on a small tmpfs this test mounts (root only);
# without root or mount rights it uses RLIMIT_FSIZE (`ulimit -f`, SIGXFSZ
# ignored) instead. An import of a bundle bigger than the room left fails
# with a clear error; nothing of it is half-written (same op count,
# PRAGMA integrity_check ok, verify ok); an export to the full disk fails
# and leaves no file (not even a temporary one); an op on the full disk
# fails clearly ("the disk is full") and changes nothing; once there is
# room again the same import completes and verify passes.
# Read-only store: the home's files made read-only (chmod; as root, whose
# writes chmod does not stop, the commands run as user nobody through
# setpriv): every command fails with a clear error ("store ... is
# read-only": even reading needs to create the WAL index) and nothing
# changes; once writable again, work goes on.
. "$(dirname "$0")/lib.sh"
t_begin fault_disk
GEN=${MV_GEN_BUNDLE:-$ROOT/build/bench/gen_bundle}
if [ ! -x "$GEN" ] || [ "$ROOT/tests/bench/gen_bundle.c" -nt "$GEN" ]; then
	make -s -C "$ROOT" build/bench/gen_bundle >/dev/null
fi
MNT="$T_TMP/small"; MOUNTED=""
cleanup() { [ -n "$MOUNTED" ] && umount "$MNT" 2>/dev/null; MOUNTED=""; }
trap cleanup EXIT
db_check() {
	python3 - "$1/mentalverse.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
ok = db.execute("PRAGMA integrity_check").fetchall()
if ok != [("ok",)]:
	sys.exit("integrity_check: %r" % ok)
# A store whose first migration never committed has no log: 0 ops.
if not db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'log_ops'").fetchone()[0]:
	print(0)
else:
	print(db.execute("SELECT count(*) FROM log_ops").fetchone()[0])
PY
}
check "generate a bundle of 3000 transfers" "$GEN" "$T_TMP/gen" "$T_TMP/big.mvb" 3000

# ---- disk full --------------------------------------------------------
mkdir -p "$MNT"
if [ "${MV_FAULT_DISK_MODE:-tmpfs}" = tmpfs ] && [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=3m mv-e2e-small "$MNT" 2>/dev/null; then
	MOUNTED=yes; MODE=tmpfs
	limited() { "$@"; }
	room() { mount -o remount,size=64m "$MNT"; }
else
	MODE=rlimit
	# 1 MiB files at most (blocks of 1024 bytes), SIGXFSZ ignored so that
	# writes fail with EFBIG instead of killing the process.
	limited() { (trap '' XFSZ; ulimit -f 1024; "$@"); }
	room() { limited() { "$@"; }; }
fi
echo "  disk full by $MODE"
# What a clear error says: the disk is full (tmpfs), or the file size limit.
if [ "$MODE" = tmpfs ]; then FULL="disk is full"; else FULL="disk is full|too large|I/O error"; fi
H="$MNT/h"
check "init on the small disk" "$MV" --home "$H" init disk-net
check "keygen alice" "$MV" --home "$H" keygen alice
check "an op fits" "$MV" --home "$H" op ledger.transfer to=alice amount=1
before=$(db_check "$H")
# gen_bundle's network differs: import into a fresh home on the same disk.
# The disk fills at a different point of the import (log insert, apply,
# undo record, commit) depending on what is left: try several fill levels.
H2="$MNT/h2"
if [ "$MODE" = tmpfs ]; then fills="0 256 512 768 1024 1280"; else fills=0; fi
for kb in $fills; do
	[ "$kb" -gt 0 ] && dd if=/dev/zero of="$MNT/pre" bs=1k count="$kb" 2>/dev/null
	check_out "import on a full disk fails clearly (${kb} KiB pre-filled)" "$FULL" limited "$MV" --home "$H2" import "$T_TMP/big.mvb"
	if [ -f "$H2/mentalverse.db" ]; then
		check_eq "nothing half-written (${kb} KiB pre-filled)" "$(db_check "$H2" 2>&1)" 0
	fi
	rm -f "$MNT/pre"
done
check_fail "... with a non-zero exit" 1 limited "$MV" --home "$H2" import "$T_TMP/big.mvb"
# A failed import may leave its rolled-back WAL behind (SQLite could not
# checkpoint it on a full disk): it holds no data but takes the room.
ls -la "$H2" | sed 's/^/  h2: /'
rm -rf "$H2"
check_eq "the other home is intact" "$(db_check "$H")" "$before"
if [ "$MODE" = tmpfs ]; then
	# Fill what is left, then try to write.
	limited dd if=/dev/zero of="$MNT/filler" bs=64k count=1000 2>/dev/null
	check_out "an op on a full disk fails clearly" "$FULL" limited "$MV" --home "$H" op ledger.transfer to=alice amount=1
	check_fail "... with a non-zero exit" 1 limited "$MV" --home "$H" op ledger.transfer to=alice amount=1
	# A home elsewhere exporting onto the full disk.
	E="$T_TMP/elsewhere"
	"$MV" --home "$E" init export-net >/dev/null 2>&1
	check_out "export onto a full disk fails clearly" "No space|too large|full" limited "$MV" --home "$E" export "$MNT/out.mvb"
	check_eq "export left no file behind (not even a temporary one)" "$(ls -a "$MNT" | grep -c 'out')" 0
	rm -f "$MNT/filler"
	check_eq "store intact after the failed op" "$(db_check "$H")" "$before"
else
	echo "  (a file size limit is not a full disk: the op and export checks need the tmpfs, as root)"
fi
check "verify passes" "$MV" --home "$H" verify
room
check "with room again the import completes" limited "$MV" --home "$H2" import "$T_TMP/big.mvb"
check_eq "every op imported" "$(db_check "$H2")" 3001
check "verify passes after it" "$MV" --home "$H2" verify
check "an op works again" "$MV" --home "$H" op ledger.transfer to=alice amount=1
check "export works again" "$MV" --home "$H" export "$MNT/out.mvb"
cleanup

# ---- read-only store --------------------------------------------------
R="$T_TMP/ro"
check "a home for the read-only test" "$MV" --home "$R" init ro-net
check "keygen alice (ro)" "$MV" --home "$R" keygen alice
check "an op (ro)" "$MV" --home "$R" op ledger.transfer to=alice amount=1
before=$(db_check "$R")
if [ "$(id -u)" = 0 ]; then
	# root ignores file modes: act as nobody, who can read but not write.
	chmod -R a+rX "$R"; chmod 755 "$T_TMP"
	as_user() { setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/nonexistent "$@"; }
else
	as_user() { "$@"; }
fi
chmod -R a-w "$R"
# Reading needs the store's WAL index (-shm), which a read-only home cannot
# create: reads fail too, with the same clear error.
check_out "state-root on a read-only store: a clear error" "is read-only" as_user "$MV" --home "$R" state-root
out=$(as_user "$MV" --home "$R" --as alice op ledger.transfer to=founder amount=0.5 2>&1); rc=$?
echo "  op on a read-only store: exit $rc: $out"
check_eq "an op on a read-only store fails" "$([ "$rc" -ne 0 ] && echo yes)" yes
check_out "... with a clear error" "is read-only" echo "$out"
out=$(as_user "$MV" --home "$R" import "$T_TMP/big.mvb" 2>&1); rc=$?
echo "  import into a read-only store: exit $rc: $out"
check_eq "an import into a read-only store fails" "$([ "$rc" -ne 0 ] && echo yes)" yes
check_out "... with a clear error" "is read-only" echo "$out"
chmod -R u+w "$R"
check_eq "the read-only store was not changed" "$(db_check "$R")" "$before"
check "and works again once writable" "$MV" --home "$R" op ledger.transfer to=alice amount=1
t_end
