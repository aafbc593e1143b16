#!/bin/sh
# t_econ_cli.sh - the economy through the CLI: staking (a stake with its
# preview, below the minimum and an odd period refused, unstake before the
# lock refused, claim by the owner only, claim of every stake, voting power),
# a two-member council paying a treasury spend only at the second signature
# (a double signature, a non-member, a spend above the limit, a replayed
# nonce, a paid or cancelled spend refused), rewards received, reputation
# "why this score", the pool, --json documents, and help.
. "$(dirname "$0")/lib.sh"
t_begin econ_cli

H="$T_TMP/h"
mvh() { "$MV" --home "$H" "$@"; }
pyjson() {
	code=$1; shift
	"$@" | python3 -c "import json,sys; d=json.load(sys.stdin); $code"
}
bal() { mvh show balance "$1"; }
# the id printed by an applied op ("ID applied")
op_id() { "$@" | awk '/ applied$/ { print $1 }'; }

# --- a network with a council of two (threshold 2) -----------------------------
mvh keygen ana >/dev/null
mvh keygen ben >/dev/null
sed -e 's/^council = .*/council = ana,ben/' -e 's/^council_threshold = .*/council_threshold = 2/' \
	"$ROOT/assets/genesis.default" >"$T_TMP/genesis"
check "init with a council of two" mvh init econ-net --genesis "$T_TMP/genesis"
for who in dana eli; do
	mvh keygen "$who" >/dev/null
	mvh op ledger.transfer to="$who" amount=500 >/dev/null
done
check_out "params show the spend TTL in days" 'treasury_spend_ttl .*\(30d\)' mvh show params
check_out "params show the rating stake cap in MVT" 'rep_rating_stake_cap .*\(1000 MVT\)' mvh show params

# --- staking -------------------------------------------------------------------
check_out "stake prints a preview" '^stake 100 MVT for 30 days: weight 1\.00x, unlocks .*rewards ~' \
	mvh --as dana stake 100 30
S1=$(mvh --as dana --json show stakes | python3 -c 'import json,sys; print(json.load(sys.stdin)["stakes"][0]["stake"])')
check_eq "the stake is listed with its id" "$(echo "$S1" | wc -c | tr -d ' ')" 65
check_out "balance after staking" '^400 MVT$' bal dana
check_out "staked principal sits in the staking account" '^100 MVT$' bal staking
check_fail "below the minimum exits 3" 3 mvh --as dana stake 0.5 30
check_out "below the minimum says so" 'rejected: below the minimum stake of 1 MVT' mvh --as dana stake 0.5 30
check_fail "a period of 45 days exits 3" 3 mvh --as dana stake 10 45
check_out "a period of 45 days says which are allowed" 'period must be 30, 90, 180 or 365 days' \
	mvh --as dana stake 10 45
check_out "more than the balance is refused" 'rejected: insufficient funds' mvh --as dana stake 1000 90
check_out "show stakes lists the position" '^[0-9a-f]{12} +100 MVT +30 d +1\.00x .*in (29 d 23 h|30 d)' mvh --as dana show stakes
check_out "show stakes sums up" 'dana: 1 open \(100 MVT staked\)' mvh --as dana show stakes
check_fail "unstake before the lock exits 3" 3 mvh --as dana unstake "$S1"
check_out "unstake before the lock says until when" 'rejected: stake locked until 20[0-9-]+T' mvh --as dana unstake "$S1"
check_out "principal still staked after the refusal" '^100 MVT$' bal staking
check_out "eli cannot claim dana's stake" 'rejected: not your stake' mvh --as eli claim "$S1"
sleep 1
check_out "claim by a 10-digit prefix" ' applied$' mvh --as dana claim "$(echo "$S1" | cut -c1-10)"
check_out "rewards list the staking payout" 'staking +[0-9.]+ MVT +[0-9a-f]{12} \(op ' mvh --as dana show rewards
check "rewards --json" pyjson 'assert d["payouts"][0]["kind"] == "staking" and d["total"] > 0' \
	mvh --as dana --json show rewards
check "claim moved MVT from the pool to dana" pyjson 'assert int(d["amount"]) > 40000000000' \
	mvh --json show balance dana
check_fail "a short prefix is refused" 1 mvh --as dana claim abc
check_out "a prefix naming no stake" "no stake 'ffffffff'" mvh --as dana claim ffffffff
check_out "voting power is the weighted stake" '^voting power of dana: 100$' mvh --as dana show voting-power
check_out "a 365-day stake weighs 2x" ' applied$' mvh --as dana stake 10 365
check "voting power adds 2x the new stake" pyjson \
	'assert d["weighted_stake"] == 12000000000 and d["total"] == d["weighted_stake"] + d["bonus"]' \
	mvh --as dana --json show voting-power
check_out "no stake, no voting power" 'nothing staked: no voting power' mvh show voting-power eli
sleep 1
check_out "claim without a stake claims every open one" ' applied$' mvh --as dana claim
check "stakes --json" pyjson 'assert len(d["stakes"]) == 2 and all(not s["closed"] for s in d["stakes"])' \
	mvh --as dana --json show stakes
check_out "the pool shows what stakers are owed" 'owed to stakers' mvh show pool
check_out "the pool estimates every period" '^365 d +2\.00x +~' mvh show pool
check "pool --json" pyjson 'assert d["total_staked"] == 11000000000 and len(d["estimates_for_100_mvt"]) == 4' \
	mvh --json show pool

# --- treasury: a council of two -------------------------------------------------
T0=$(mvh --json show balance treasury | python3 -c 'import json,sys; print(json.load(sys.stdin)["amount"])')
check_out "a non-member cannot propose" 'rejected: only council members may propose' \
	mvh --as dana treasury propose eli 250 "workshop room"
check_out "above the council limit is refused" 'above the council limit of 10000 MVT' \
	mvh --as ana treasury propose eli 20000 "too much"
SP=$(op_id mvh --as ana treasury propose eli 250 "Peer-support workshop room")
check_eq "the spend is proposed" "$(echo "$SP" | wc -c | tr -d ' ')" 65
check_out "pending with one signature of two" 'signed 1 of 2 \(ana\)' mvh show treasury
check_out "eli not paid yet" '^500 MVT$' bal eli
check_out "the proposer cannot sign twice" 'rejected: you already signed this spend' \
	mvh --as ana treasury sign "$SP"
check_out "a non-member cannot sign" 'rejected: only council members may sign' \
	mvh --as dana treasury sign "$SP"
check_out "eli still not paid" '^500 MVT$' bal eli
check_out "the second member signs" ' applied$' mvh --as ben treasury sign "$(echo "$SP" | cut -c1-8)"
check_out "eli paid by the treasury" '^750 MVT$' bal eli
check "treasury paid exactly 250 MVT" pyjson "assert d['amount'] == $T0 - 25000000000" \
	mvh --json show balance treasury
check_out "show treasury lists it paid with both signers" 'paid .*signed by ana, ben' mvh show treasury
check_out "a paid spend cannot be signed again" 'rejected: spend already paid' \
	mvh --as ben treasury sign "$SP"
check_fail "a replayed nonce exits 3" 3 mvh --as ana treasury propose eli 250 "again" --nonce 1
check_out "a replayed nonce is refused" 'rejected: nonce 1 already used by this proposer' \
	mvh --as ana treasury propose eli 250 "again" --nonce 1
SC=$(op_id mvh --as ana treasury propose dana 5 "Snacks for the peer circle")
check "the next nonce is taken by default" pyjson \
	"assert [s['nonce'] for s in d['spends'] if s['spend'] == '$SC'] == [2]" mvh --json show treasury
check_out "ben cannot cancel ana's spend" 'rejected: only the proposer may cancel' \
	mvh --as ben treasury cancel "$SC"
check_out "the proposer cancels" ' applied$' mvh --as ana treasury cancel "$SC"
check_out "a cancelled spend cannot be signed" 'rejected: spend already cancelled' \
	mvh --as ben treasury sign "$SC"
check "treasury --json" pyjson \
	'assert d["council_threshold"] == 2 and {s["status"] for s in d["spends"]} == {"paid", "cancelled"} and len(d["history"]) >= 2' \
	mvh --json show treasury
check_out "treasury history shows the payout" '\-250 +' mvh show treasury

# --- reputation: why this score -------------------------------------------------
check_out "reputation shows the trust" '^reputation of dana: trust 0 / 1000' mvh show reputation dana
check_out "reputation explains reliability" '^  reliability +0 / 1000 ' mvh show reputation dana
check_out "care is not counted before any rating" 'care +not counted: nobody has rated' mvh show reputation dana
check_out "reputation explains community" '^  community ' mvh show reputation dana
check_out "reputation explains governance" '^  governance ' mvh show reputation dana
check_out "reputation says how decay works" 'half their value every 180d' mvh show reputation dana
check "reputation --json has the four components" pyjson \
	'assert [c["dimension"] for c in d["components"]] == ["reliability","care","community","governance"] and d["trust"] == 0' \
	mvh --json show reputation dana
check_fail "reputation of an unknown account exits 1" 1 mvh show reputation nobody

# --- help -------------------------------------------------------------------------
for c in stake claim unstake treasury; do
	check_out "$c --help" "usage: mentalverse .*$c" "$MV" "$c" --help
done
check_out "show --help lists the economy views" 'voting-power' "$MV" show --help
check_fail "treasury with a bad subcommand exits 1" 1 mvh treasury frob x

t_end
