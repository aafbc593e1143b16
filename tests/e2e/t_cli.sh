#!/bin/sh
# t_cli.sh - the headless CLI end to end: init, identities, transfers (decimal
# amounts, overspend, bad amounts), views, log, state root, --json output,
# export/import into a fresh home, refusal of a damaged bundle with the store
# unchanged, verify, --help for every command, --version and exit codes.
. "$(dirname "$0")/lib.sh"
t_begin cli

A="$T_TMP/a"
B="$T_TMP/b"
mv_a() { "$MV" --home "$A" "$@"; }
mv_b() { "$MV" --home "$B" "$@"; }
# Run python3 code on the JSON read from stdin: pyjson 'CODE' CMD...
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}
nlines() { "$@" | wc -l | tr -d ' '; }

# --- program help, version, exit codes ---------------------------------------
check_out "--version" '^mentalverse [0-9]+\.[0-9]+' "$MV" --version
check "--version --json" pyjson 'assert d["version"]' "$MV" --json --version
check_out "--help lists commands" 'state-root' "$MV" --help
for c in init keygen ids op show log state-root export import verify demo tui help; do
	check_out "$c --help" "usage: mentalverse .*$c" "$MV" "$c" --help
done
# Every command's whole usage is in the overview (long ones wrap, none is cut).
check "--help shows every usage whole" sh -c '"$1" --help | grep -q -- "helpful GROUP POST\$" && "$1" --help | grep -q -- "--course TEXT\]\$"' _ "$MV"
check_out "help COMMAND" 'usage: mentalverse .*export FILE' "$MV" help export
check_fail "no command without a terminal exits 1" 1 sh -c "'$MV' </dev/null >/dev/null"
check_fail "unknown command exits 1" 1 "$MV" frobnicate
check_out "unknown command message" '^mentalverse: unknown command' "$MV" frobnicate
check_fail "unknown global option exits 1" 1 "$MV" --frob ids
check_fail "unknown command option exits 1" 1 "$MV" --home "$A" log --frob
check_fail "missing argument exits 1" 1 "$MV" --home "$A" keygen
check_fail "command on a missing home exits 1" 1 "$MV" --home "$T_TMP/none" state-root
check_out "missing home says so" 'no MentalVerse home' "$MV" --home "$T_TMP/none" state-root

# --- init and identities -----------------------------------------------------
check_out "init prints the network id" '^network id: [0-9a-f]{64}$' mv_a init testnet
check_fail "init twice exits 1" 1 mv_a init again
check_out "keygen alice" '^alice [0-9a-f]{64}$' mv_a keygen alice
check "keygen bob" mv_a keygen bob
check_fail "keygen existing name exits 1" 1 mv_a keygen bob
check_fail "keygen bad name exits 1" 1 mv_a keygen 'no/slash'
check_out "ids lists founder as default" '^founder +[0-9a-f]{64} +\(default\)' mv_a ids
check_eq "ids lists three identities" "$(nlines mv_a ids)" 3
check "ids --json" pyjson 'assert sorted(r["name"] for r in d) == ["alice","bob","founder"]' mv_a --json ids

# --- transfers -----------------------------------------------------------------
check_out "transfer applied" '^[0-9a-f]{64} applied$' mv_a op ledger.transfer to=alice amount=100 memo="first funds"
check_out "decimal transfer applied" ' applied$' mv_a --as alice op ledger.transfer to=bob amount=1.5
check_out "smallest unit applied" ' applied$' mv_a op ledger.transfer to=bob amount=0.00000001
check_out "global options after the command" ' applied$' mv_a op ledger.transfer to=founder amount=0.5 --as bob
check_out "balance of bob" '^0\.99950001 MVT$' mv_a show balance bob
check_out "balance of alice (fee 0.1%)" '^98\.4985 MVT$' mv_a show balance alice
check_fail "overspend exits 3" 3 mv_a --as alice op ledger.transfer to=bob amount=1000
check_out "overspend says insufficient funds" 'rejected: insufficient funds' mv_a --as alice op ledger.transfer to=bob amount=1000
check_out "balance unchanged by the rejection" '^98\.4985 MVT$' mv_a show balance alice
check_fail "too many decimals exits 1" 1 mv_a op ledger.transfer to=bob amount=1.123456789
check_out "too many decimals message" 'mentalverse: field amount: .*decimals' mv_a op ledger.transfer to=bob amount=1.123456789
check_fail "negative amount exits 1" 1 mv_a op ledger.transfer to=bob amount=-5
check_out "negative amount message" 'mentalverse: field amount: .*sign' mv_a op ledger.transfer to=bob amount=-5
check_fail "non-numeric amount exits 1" 1 mv_a op ledger.transfer to=bob amount=ten
check_fail "overflowing amount exits 1" 1 mv_a op ledger.transfer to=bob amount=999999999999999999999
check_out "unknown account" 'unknown account .nobody.' mv_a op ledger.transfer to=nobody amount=1
check_out "missing field" 'needs field amount' mv_a op ledger.transfer to=bob
check_out "unknown field" 'has no field .colour.' mv_a op ledger.transfer to=bob amount=1 colour=red
check_out "not FIELD=VALUE" 'expected FIELD=VALUE' mv_a op ledger.transfer bob
check_fail "unknown op kind exits 1" 1 mv_a op ledger.steal to=bob amount=1
check_fail "unknown identity for --as exits 1" 1 mv_a --as mallory op ledger.transfer to=bob amount=1

# --- views and log -------------------------------------------------------------
check_out "show balances lists alice" '^alice +98\.4985 MVT$' mv_a show balances
check_out "show balances lists the treasury" '^treasury ' mv_a show balances
check_out "show params" '^fee_transfer_bp +10 ' mv_a show params
check_fail "unknown view exits 1" 1 mv_a show everything
check_eq "log has genesis + 4 applied + 2 rejected ops" "$(nlines mv_a log)" 7
check_out "log shows outcomes" 'ledger.transfer to=bob amount=1000 MVT -> rejected: insufficient funds' mv_a log
check_out "log shows genesis first" '^[0-9T:-]+Z [0-9a-f]{12} founder#1 genesis ' sh -c "'$MV' --home '$A' log | head -n 1"
check_eq "log --limit 2" "$(nlines mv_a log --limit 2)" 2
check_out "log --limit keeps the newest" 'rejected' sh -c "'$MV' --home '$A' log --limit 1"
check_eq "log --kind ledger." "$(nlines mv_a log --kind ledger.)" 6
check_fail "log --limit 0 exits 1" 1 mv_a log --limit 0
check_out "state-root is hex" '^[0-9a-f]{64}$' mv_a state-root

# --- JSON ----------------------------------------------------------------------
check "show balances --json" pyjson 'b={r["label"]:r for r in d}; assert b["bob"]["amount"]==99950001 and b["bob"]["amount_mvt"]=="0.99950001"' mv_a --json show balances
check "show balance --json" pyjson 'assert d["amount"]==9849850000 and d["label"]=="alice" and len(d["account"])==64' mv_a --json show balance alice
check "show params --json" pyjson 'p={r["name"]:r["value"] for r in d["params"]}; assert p["fee_transfer_bp"]==10 and d["network"]=="testnet"' mv_a --json show params
check "log --json" pyjson 'assert len(d)==7 and d[0]["kind"]=="genesis" and d[-1]["outcome"]=="rejected" and "insufficient funds" in d[-1]["reason"] and d[1]["fields"]["amount"]==10000000000' mv_a --json log
check "state-root --json" pyjson "assert d['state_root']=='$(mv_a state-root)'" mv_a --json state-root
check "op --json applied" pyjson 'assert d["outcome"]=="applied" and len(d["id"])==64' mv_a --json op ledger.transfer to=alice amount=2
check_fail "op --json rejected exits 3" 3 mv_a --json --as bob op ledger.transfer to=alice amount=50
check "op --json rejected" sh -c "'$MV' --home '$A' --json --as bob op ledger.transfer to=alice amount=50 | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"outcome\"]==\"rejected\" and d[\"reason\"].startswith(\"insufficient funds\")'"
check "errors as JSON too" sh -c "'$MV' --home '$A' --json op ledger.steal 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); assert \"unknown op kind\" in d[\"error\"]'"
check "op --help --json lists kinds" pyjson 'k={h["kind"]:h for h in d}; assert [f["name"] for f in k["ledger.transfer"]["fields"]]==["to","amount","memo"]' "$MV" --json op --help

# --- op help from the field specs ------------------------------------------------
check_out "op --help lists ledger.transfer" 'ledger.transfer - ' "$MV" op --help
check_out "op --help lists its fields" 'fields: to=ACCOUNT amount=AMOUNT \[memo=TEXT\]' "$MV" op --help
check_out "op KIND --help: amount" '^  amount +AMOUNT +required ' "$MV" op ledger.transfer --help
check_out "op KIND --help: memo bounds" '^  memo +TEXT +optional .*up to 140 bytes' "$MV" op ledger.transfer --help
check_fail "op unknown KIND --help exits 1" 1 "$MV" op nothing.here --help

# --- export / import -----------------------------------------------------------------
root_a=$(mv_a state-root)
check_out "export" '^exported 10 ops' mv_a export "$T_TMP/a.mvb"
check_out "import into a fresh home" '10 new, 0 duplicate, 0 pending, 0 equivocation, 0 refused; 6 applied, 4 rejected' mv_b import "$T_TMP/a.mvb"
check_eq "same state root after import" "$(mv_b state-root)" "$root_a"
outcomes() { "$MV" --home "$1" --json log | python3 -c 'import json,sys; [print(r["id"], r["outcome"], r.get("reason", "")) for r in json.load(sys.stdin)]'; }
check_eq "same ops and outcomes after import" "$(outcomes "$B")" "$(outcomes "$A")"
check_out "re-import is all duplicates" ' 0 new, 10 duplicate' mv_b import "$T_TMP/a.mvb"
check_eq "state root unchanged by re-import" "$(mv_b state-root)" "$root_a"

# A bundle with one flipped bit (in the last op) is refused whole.
python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[-40] ^= 0x01
open(sys.argv[2], 'wb').write(d)" "$T_TMP/a.mvb" "$T_TMP/flip.mvb"
python3 -c "
import sys
d = open(sys.argv[1], 'rb').read(); open(sys.argv[2], 'wb').write(d[:len(d) - 7])" "$T_TMP/a.mvb" "$T_TMP/short.mvb"
mv_a op ledger.transfer to=bob amount=3 >/dev/null
mv_a export "$T_TMP/a2.mvb" >/dev/null
python3 -c "
import sys
d = bytearray(open(sys.argv[1], 'rb').read()); d[-40] ^= 0x01
open(sys.argv[2], 'wb').write(d)" "$T_TMP/a2.mvb" "$T_TMP/flip2.mvb"
before_root=$(mv_b state-root); before_log=$(nlines mv_b log)
check_fail "bit-flipped bundle exits 1" 1 mv_b import "$T_TMP/flip2.mvb"
check_out "bit-flipped bundle refused with the reason" 'bundle refused: op 11: ' mv_b import "$T_TMP/flip2.mvb"
check_eq "store unchanged: state root" "$(mv_b state-root)" "$before_root"
check_eq "store unchanged: log count" "$(nlines mv_b log)" "$before_log"
check_fail "truncated bundle exits 1" 1 mv_b import "$T_TMP/short.mvb"
check_eq "store unchanged after truncated bundle" "$(mv_b state-root)" "$before_root"
check_fail "bit-flipped bundle into a fresh home exits 1" 1 "$MV" --home "$T_TMP/c" import "$T_TMP/flip.mvb"
check_eq "a refused import leaves no empty home behind" "$([ -e "$T_TMP/c" ] && echo left || echo none)" none
check_fail "missing bundle file exits 1" 1 mv_b import "$T_TMP/none.mvb"
check_out "good bundle after the refusals" ' 1 new, 10 duplicate' mv_b import "$T_TMP/a2.mvb"
check_eq "homes agree again" "$(mv_b state-root)" "$(mv_a state-root)"
check "import --json" pyjson 'assert d["new"]==0 and d["duplicate"]==11 and d["refused"]==0' mv_b --json import "$T_TMP/a2.mvb"
check "export --json" pyjson 'assert d["ops"]==11 and d["bytes"]>0' mv_a --json export "$T_TMP/a3.mvb"

# --- verify ----------------------------------------------------------------------------
# An amount below the field's bounds is refused before anything is signed.
before_root=$(mv_a state-root)
check_fail "zero amount exits 1" 1 mv_a op ledger.transfer to=bob amount=0
check_eq "zero amount leaves no op behind" "$(mv_a state-root)" "$before_root"

check_out "verify passes" '^ok: state equals a replay' mv_a verify
check "verify passes on the imported home" mv_b verify
check "verify --json" pyjson 'assert d["ok"] and d["live"]==d["replay"]' mv_b --json verify

t_end
