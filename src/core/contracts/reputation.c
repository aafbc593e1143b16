/* reputation.c - reputation events, their decay, and the trust score.
 *
 * Four dimensions: reliability (attendance, no-shows, late cancellations),
 * care (session ratings received), community (peer-support posts marked
 * helpful) and governance (votes cast). Reputation changes only through
 * reputation_event() and friends (economy.h), called by the rules of other
 * contracts: every event stores (account, dimension, op, time, delta, why),
 * so each point cites the op that caused it. There is no op kind to set or
 * edit a score, and none is stored: scores are computed when read.
 *
 * Decay: an event of delta points at time t counts delta * 2^(-(now-t)/h) at
 * `now`, h = reputation_half_life (default 180 days), in Q32 fixed point
 * (reputation_decay_q32). A dimension's decayed points P map to a score
 *     s = floor(1000 * P / (P + K))   (0 if P <= 0)
 * K = rep_k_<dim> (the points that score 500). The trust score is the
 * weighted mean of the counted dimensions' scores, floored:
 *     trust = floor(sum w_d * s_d / sum w_d)
 * where reliability, community and governance always count and care counts
 * once the account has received a rating (so a patient is not scored on
 * care nobody can give them). Weights rep_weight_<dim>_bp default to 4000,
 * 3000, 1500, 1500. An account without events has trust 0. */
#include "../contract.h"
#include "../economy.h"

#include <stdio.h>
#include <string.h>

typedef __int128 i128;

#define Q32 (UINT64_C(1) << 32)
#define HALF_LIFE_DEFAULT (INT64_C(180) * 86400000)

static const struct migration reputation_migrations[] = {
	{1, "CREATE TABLE rep_events(op BLOB NOT NULL, idx INTEGER NOT NULL,"
	    "  account BLOB NOT NULL, dim INTEGER NOT NULL, time INTEGER NOT NULL,"
	    "  delta INTEGER NOT NULL, why TEXT NOT NULL, PRIMARY KEY(op, idx));"
	    "CREATE INDEX rep_events_account ON rep_events(account, time);"},
	{0, NULL},
};

static const char *const dim_names[REP__COUNT] = {"reliability", "care", "community",
						   "governance"};
static const char *const dim_k_param[REP__COUNT] = {"rep_k_reliability", "rep_k_care",
						     "rep_k_community", "rep_k_governance"};
static const int64_t dim_k_default[REP__COUNT] = {100, 200, 100, 100};
static const char *const dim_w_param[REP__COUNT] = {
	"rep_weight_reliability_bp", "rep_weight_care_bp", "rep_weight_community_bp",
	"rep_weight_governance_bp"};
static const int64_t dim_w_default[REP__COUNT] = {4000, 3000, 1500, 1500};

const char *reputation_dim_name(enum rep_dim d)
{
	return (unsigned)d < REP__COUNT ? dim_names[d] : "?";
}

/* round(2^32 * 2^(-i/256)), i = 0..256 (computed to 60 digits, offline). */
static const uint64_t exp2_neg_q32[257] = {
	4294967296, 4283353945, 4271771996, 4260221365, 4248701965, 4237213713, 4225756525,
	4214330316, 4202935003, 4191570503, 4180236731, 4168933606, 4157661043, 4146418961,
	4135207276, 4124025908, 4112874773, 4101753790, 4090662878, 4079601955, 4068570940,
	4057569753, 4046598312, 4035656537, 4024744348, 4013861665, 4003008408, 3992184498,
	3981389855, 3970624400, 3959888054, 3949180739, 3938502376, 3927852886, 3917232192,
	3906640216, 3896076880, 3885542107, 3875035819, 3864557939, 3854108391, 3843687099,
	3833293984, 3822928972, 3812591987, 3802282952, 3792001792, 3781748432, 3771522796,
	3761324810, 3751154399, 3741011488, 3730896002, 3720807869, 3710747013, 3700713361,
	3690706840, 3680727376, 3670774895, 3660849326, 3650950594, 3641078629, 3631233356,
	3621414705, 3611622603, 3601856978, 3592117759, 3582404874, 3572718252, 3563057822,
	3553423514, 3543815256, 3534232978, 3524676610, 3515146082, 3505641324, 3496162267,
	3486708840, 3477280975, 3467878602, 3458501653, 3449150059, 3439823750, 3430522660,
	3421246719, 3411995860, 3402770014, 3393569115, 3384393094, 3375241885, 3366115421,
	3357013633, 3347936457, 3338883824, 3329855670, 3320851927, 3311872529, 3302917412,
	3293986508, 3285079754, 3276197082, 3267338429, 3258503729, 3249692918, 3240905930,
	3232142703, 3223403170, 3214687269, 3205994934, 3197326104, 3188680714, 3180058700,
	3171459999, 3162884549, 3154332287, 3145803149, 3137297074, 3128813999, 3120353861,
	3111916599, 3103502151, 3095110456, 3086741451, 3078395075, 3070071267, 3061769967,
	3053491112, 3045234644, 3037000500, 3028788621, 3020598946, 3012431416, 3004285971,
	2996162550, 2988061094, 2979981545, 2971923842, 2963887926, 2955873740, 2947881223,
	2939910317, 2931960965, 2924033107, 2916126685, 2908241642, 2900377920, 2892535461,
	2884714207, 2876914102, 2869135087, 2861377107, 2853640104, 2845924021, 2838228802,
	2830554390, 2822900730, 2815267765, 2807655439, 2800063696, 2792492481, 2784941738,
	2777411411, 2769901447, 2762411789, 2754942382, 2747493172, 2740064105, 2732655125,
	2725266179, 2717897212, 2710548171, 2703219000, 2695909648, 2688620059, 2681350181,
	2674099961, 2666869345, 2659658279, 2652466713, 2645294591, 2638141863, 2631008476,
	2623894376, 2616799513, 2609723834, 2602667287, 2595629821, 2588611383, 2581611923,
	2574631389, 2567669730, 2560726895, 2553802834, 2546897494, 2540010826, 2533142779,
	2526293303, 2519462348, 2512649863, 2505855799, 2499080105, 2492322733, 2485583632,
	2478862753, 2472160047, 2465475465, 2458808958, 2452160476, 2445529972, 2438917396,
	2432322700, 2425745836, 2419186755, 2412645410, 2406121752, 2399615734, 2393127307,
	2386656425, 2380203040, 2373767105, 2367348571, 2360947394, 2354563524, 2348196917,
	2341847524, 2335515300, 2329200197, 2322902170, 2316621173, 2310357160, 2304110083,
	2297879899, 2291666561, 2285470023, 2279290240, 2273127167, 2266980759, 2260850970,
	2254737756, 2248641071, 2242560872, 2236497113, 2230449750, 2224418739, 2218404036,
	2212405596, 2206423375, 2200457330, 2194507417, 2188573592, 2182655811, 2176754033,
	2170868212, 2164998306, 2159144272, 2153306067, 2147483648,
};

uint64_t reputation_decay_q32(int64_t age_ms, int64_t half_life_ms)
{
	if (age_ms <= 0 || half_life_ms <= 0)
		return Q32;
	int64_t n = age_ms / half_life_ms, r = age_ms % half_life_ms;
	if (n >= 64)
		return 0;
	/* x = r / h as a Q32 fraction in [0, 1): 8 bits of table index, 24 of
	 * interpolation between neighbouring entries. */
	uint64_t x = (uint64_t)(((unsigned __int128)(uint64_t)r << 32) / (uint64_t)half_life_ms);
	uint64_t i = x >> 24, f = x & 0xFFFFFF;
	uint64_t a = exp2_neg_q32[i], b = exp2_neg_q32[i + 1];
	uint64_t v = a - (((a - b) * f) >> 24);
	return v >> n;
}

static int next_idx(struct apply_ctx *ctx, int64_t *idx)
{
	static const char sql[] = "SELECT count(*) FROM rep_events WHERE op = ?";
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	*idx = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return MV_OK;
}

int reputation_event(struct apply_ctx *ctx, const uint8_t account[32], enum rep_dim dim,
		     int64_t delta_points, const char *why)
{
	static const char sql[] = "INSERT INTO rep_events(op, idx, account, dim, time, delta, why)"
				  " VALUES(?, ?, ?, ?, ?, ?, ?)";
	size_t wl = why ? strlen(why) : 0;
	if ((unsigned)dim >= REP__COUNT)
		return ctx_reject(ctx, "unknown reputation dimension %d", (int)dim);
	if (delta_points > REP_MAX_DELTA || delta_points < -REP_MAX_DELTA)
		return ctx_reject(ctx, "reputation change out of range (|%lld| > %d)",
				  (long long)delta_points, REP_MAX_DELTA);
	if (wl == 0 || wl > 120 || !mv_utf8_valid((const uint8_t *)why, wl))
		return ctx_reject(ctx, "a reputation event needs a reason of 1..120 bytes");
	int64_t idx;
	if (next_idx(ctx, &idx) != MV_OK)
		return MV_ERR;
	sqlite3_stmt *s = store_prep(ctx->st, sql, &ctx->err);
	if (!s)
		return MV_ERR;
	sqlite3_bind_blob(s, 1, ctx->op->id, 32, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, idx);
	sqlite3_bind_blob(s, 3, account, 32, SQLITE_STATIC);
	sqlite3_bind_int(s, 4, (int)dim);
	sqlite3_bind_int64(s, 5, ctx->now);
	sqlite3_bind_int64(s, 6, delta_points);
	sqlite3_bind_text(s, 7, why, (int)wl, SQLITE_TRANSIENT);
	return sqlite3_step(s) == SQLITE_DONE ? MV_OK : ctx_sqlerr(ctx, "rep_events");
}

/* Every dimension's component at now; returns the trust score. */
static int rep_compute(struct store *st, const uint8_t account[32], int64_t now,
		       struct rep_component c[REP__COUNT])
{
	static const char sql[] = "SELECT dim, time, delta FROM rep_events WHERE account = ?"
				  " AND time <= ? ORDER BY time, op, idx";
	int64_t h = param_get(st, "reputation_half_life", HALF_LIFE_DEFAULT);
	i128 p[REP__COUNT] = {0};
	memset(c, 0, sizeof(struct rep_component) * REP__COUNT);
	sqlite3_stmt *s = store_prep(st, sql, NULL);
	if (s) {
		sqlite3_bind_blob(s, 1, account, 32, SQLITE_STATIC);
		sqlite3_bind_int64(s, 2, now);
		while (sqlite3_step(s) == SQLITE_ROW) {
			int d = sqlite3_column_int(s, 0);
			int64_t delta = sqlite3_column_int64(s, 2);
			if (d < 0 || d >= REP__COUNT)
				continue;
			c[d].events++;
			c[d].raw_points += delta; /* |delta| <= 10^4: cannot overflow */
			p[d] += (i128)delta * (i128)reputation_decay_q32(now - sqlite3_column_int64(s, 1), h);
		}
		sqlite3_reset(s);
	}
	int64_t wsum = 0;
	i128 num = 0;
	for (int d = 0; d < REP__COUNT; d++) {
		c[d].dim = (enum rep_dim)d;
		c[d].decayed_milli = (int64_t)(p[d] * 1000 / (i128)Q32);
		c[d].half_sat = param_get(st, dim_k_param[d], dim_k_default[d]);
		if (c[d].half_sat < 1)
			c[d].half_sat = 1;
		if (c[d].half_sat > INT64_C(1) << 40)
			c[d].half_sat = INT64_C(1) << 40;
		if (p[d] > 0)
			c[d].score = (int)(p[d] * 1000 / (p[d] + (i128)c[d].half_sat * (i128)Q32));
		c[d].weight_bp = param_get(st, dim_w_param[d], dim_w_default[d]);
		if (c[d].weight_bp < 0)
			c[d].weight_bp = 0;
		if (c[d].weight_bp > 1000000)
			c[d].weight_bp = 1000000; /* sums stay far from overflow */
		c[d].counted = d != REP_CARE || c[d].events > 0;
		if (c[d].counted) {
			wsum += c[d].weight_bp;
			num += (i128)c[d].weight_bp * c[d].score;
		}
	}
	for (int d = 0; d < REP__COUNT && wsum > 0; d++)
		if (c[d].counted)
			c[d].contribution_milli =
				(int64_t)((i128)c[d].weight_bp * c[d].score * 1000 / wsum);
	return wsum > 0 ? (int)(num / wsum) : 0;
}

int reputation_trust(struct store *st, const uint8_t account[32], int64_t now)
{
	struct rep_component c[REP__COUNT];
	return rep_compute(st, account, now, c);
}

int reputation_explain(struct store *st, const uint8_t account[32], int64_t now,
		       int (*cb)(void *ud, const struct rep_component *c), void *ud)
{
	struct rep_component c[REP__COUNT];
	int trust = rep_compute(st, account, now, c);
	for (int d = 0; cb && d < REP__COUNT; d++)
		if (cb(ud, &c[d]))
			break;
	return trust;
}

int64_t reputation_rating_weight(struct store *st, const uint8_t rater[32], int64_t now)
{
	int64_t trust = reputation_trust(st, rater, now);
	int64_t cap = param_get(st, "rep_rating_stake_cap", 1000 * MV_UNIT);
	int64_t ws = staking_weighted_stake(st, rater, now), stake_part = 0;
	if (cap > 0) {
		if (ws > cap)
			ws = cap;
		stake_part = (int64_t)((i128)ws * 3000 / cap);
	}
	return 1000 + trust * 6000 / 1000 + stake_part;
}

int reputation_weighted_event(struct apply_ctx *ctx, const uint8_t from[32],
			      const uint8_t account[32], enum rep_dim dim, int64_t base_points,
			      const char *why)
{
	if (memcmp(from, account, 32) == 0)
		return ctx_reject(ctx, "cannot give reputation to yourself");
	if (base_points > REP_MAX_DELTA || base_points < -REP_MAX_DELTA)
		return ctx_reject(ctx, "reputation change out of range (|%lld| > %d)",
				  (long long)base_points, REP_MAX_DELTA);
	int64_t w = reputation_rating_weight(ctx->st, from, ctx->now);
	return reputation_event(ctx, account, dim, base_points * w / 10000, why);
}

int reputation_rating(struct apply_ctx *ctx, const uint8_t rater[32], const uint8_t rated[32],
		      int stars, const char *why)
{
	if (stars < 1 || stars > 5)
		return ctx_reject(ctx, "a rating is 1 to 5 stars");
	return reputation_weighted_event(ctx, rater, rated, REP_CARE,
					 (int64_t)(stars - 3) * REP_PTS_RATING_STEP, why);
}

static const struct op_handler reputation_handlers[] = {
	{NULL, NULL, NULL, NULL, NULL},
};

const struct contract reputation_contract = {
	.name = "reputation",
	.summary = "reputation events cited by op, decay, trust score (no op sets a score)",
	.migrations = reputation_migrations,
	.handlers = reputation_handlers,
};
