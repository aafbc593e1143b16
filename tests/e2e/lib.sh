# lib.sh - shared helpers for the e2e shell tests (sourced, POSIX sh).
# Each test file calls `t_begin NAME`, then checks, then `t_end`.
#   MV        the binary under test (absolute path)
#   T_TMP     a scratch directory removed at the end
#   check DESC CMD...         pass if CMD exits 0
#   check_fail DESC CODE CMD  pass if CMD exits with CODE
#   check_out DESC PATTERN CMD...  pass if CMD's stdout+stderr matches grep -E PATTERN
# Results are appended to $E2E_RESULTS ("pass"/"fail" lines).
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
MV=${MV:-$ROOT/mentalverse}
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=UTC
export MENTALVERSE_PASSPHRASE=""
unset MENTALVERSE_HOME XDG_DATA_HOME
T_NAME=""; T_PASS=0; T_FAIL=0

t_begin() {
	T_NAME=$1
	T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/mv-e2e-$1.XXXXXX")
	export HOME="$T_TMP/home"; mkdir -p "$HOME"
}
_t_record() {
	if [ "$1" = pass ]; then T_PASS=$((T_PASS + 1)); else T_FAIL=$((T_FAIL + 1)); fi
	[ -n "${E2E_RESULTS:-}" ] && echo "$1 $T_NAME: $2" >>"$E2E_RESULTS"
	return 0
}
check() {
	desc=$1; shift
	if out=$("$@" 2>&1); then _t_record pass "$desc"
	else echo "  FAIL [$T_NAME] $desc: $*"; echo "$out" | sed 's/^/    | /' | tail -n 30; _t_record fail "$desc"; fi
}
check_fail() {
	desc=$1; code=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -eq "$code" ]; then _t_record pass "$desc"
	else echo "  FAIL [$T_NAME] $desc: expected exit $code, got $rc: $*"; echo "$out" | sed 's/^/    | /' | tail -n 30; _t_record fail "$desc"; fi
}
check_out() {
	desc=$1; pat=$2; shift 2
	out=$("$@" 2>&1)
	if printf '%s\n' "$out" | grep -Eq -- "$pat"; then _t_record pass "$desc"
	else echo "  FAIL [$T_NAME] $desc: output does not match /$pat/: $*"; echo "$out" | sed 's/^/    | /' | tail -n 30; _t_record fail "$desc"; fi
}
# Compare two values.
check_eq() {
	desc=$1
	if [ "$2" = "$3" ]; then _t_record pass "$desc"
	else echo "  FAIL [$T_NAME] $desc: '$2' != '$3'"; _t_record fail "$desc"; fi
}
t_end() {
	echo "  $T_NAME: $T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ] && rm -rf "$T_TMP"
	[ "$T_FAIL" -eq 0 ]
}
# A free TCP port on 127.0.0.1.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null ||
		echo $((20000 + $$ % 20000))
}
