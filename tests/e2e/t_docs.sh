#!/bin/sh
# t_docs.sh - the docs are complete: every op kind and its fields, every
# rejection reason of the contracts (and the access matrix texts run-time
# reasons are made of), every CLI command and show view in the man page
# (tests/e2e/docs_check.py names each missing item). Then the same checks run
# on a copy of the docs with one item deleted, to prove they fail on it.
. "$(dirname "$0")/lib.sh"
t_begin docs

DC="python3 $ROOT/tests/e2e/docs_check.py --mv $MV"

# Complete now.
check "every op kind and its fields are in docs/contracts" $DC ops
check "every ctx_reject reason is in docs/contracts" $DC reasons
check "the access matrix texts are in docs/contracts" $DC access
check "every command and show view is in docs/mentalverse.1" $DC man

# damaged DESC CHECK FILE LINE_PATTERN NAMED: delete the lines matching
# LINE_PATTERN from a fresh copy of docs/FILE; CHECK must then exit 1 and
# name NAMED (fixed string).
damaged() {
	desc=$1 what=$2 file=$3 pat=$4 named=$5
	rm -rf "$T_TMP/docs"; cp -R "$ROOT/docs" "$T_TMP/docs"
	n=$(grep -c -- "$pat" "$T_TMP/docs/$file")
	check_eq "$desc: the line to delete is there" "$([ "$n" -gt 0 ] && echo yes)" yes
	grep -v -- "$pat" "$T_TMP/docs/$file" >"$T_TMP/edited" && cp "$T_TMP/edited" "$T_TMP/docs/$file"
	out=$(MV_DOCS_DIR="$T_TMP/docs" $DC "$what" 2>&1); rc=$?
	check_eq "$desc: exit status" "$rc" 1
	if printf '%s\n' "$out" | grep -F -q -- "missing: " && printf '%s\n' "$out" | grep -F -q -- "$named"; then
		_t_record pass "$desc: names the missing item"
	else
		echo "  FAIL [$T_NAME] $desc: output does not name '$named'"
		printf '%s\n' "$out" | sed 's/^/    | /' | tail -n 20
		_t_record fail "$desc: names the missing item"
	fi
}

damaged "op kind heading deleted" ops contracts/economy.md '^### `staking.claim' \
	"op kind staking.claim: no heading or table row"
damaged "field deleted" ops contracts/care.md '`auto_accept`, with the same bounds' \
	"op kind service.update: field auto_accept not mentioned"
damaged "rejection row deleted" reasons contracts/core.md '`cannot transfer to yourself`' \
	'rejection "cannot transfer to yourself"'
damaged "rejection with a conversion deleted" reasons contracts/economy.md '`stake locked until' \
	'rejection "stake locked until %s"'
damaged "access refusal deleted" access contracts/people.md '^| `claim_decide`' \
	'refusal "not allowed: claim_decide is for insurers'
damaged "class name deleted" access contracts/people.md '(you are a bot)' \
	'class "(you are a bot)"'
damaged "man page entry deleted" man mentalverse.1 '^\.BI "keygen "' \
	"command keygen: no entry"
damaged "show view deleted" man mentalverse.1 '^pool, voting-power' \
	"show view pool: not in the show entry"

t_end
