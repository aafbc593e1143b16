/* util.h - small shared helpers of the core: error reporting, hex, varints,
 * big-endian integers, decimal amounts, UTC times, safe file writes.
 *
 * Every fallible function in the core returns an int status (MV_OK or a
 * negative MV_E* code) and, on failure, fills a struct mv_err whose message
 * is written for a person and reaches the user verbatim. */
#ifndef MV_UTIL_H
#define MV_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

enum {
	MV_OK = 0,
	MV_ERR = -1,      /* generic failure (I/O, SQLite, out of memory) */
	MV_EINVAL = -2,   /* bad input from the user or a peer */
	MV_EREJECT = -3,  /* an op was refused by a contract rule (kept, marked rejected) */
	MV_ENOTFOUND = -4,
	MV_EEXIST = -5,
	MV_ECRYPTO = -6,  /* wrong passphrase, bad signature */
};

struct mv_err {
	int code;
	char msg[512];
};

/* Fill err (may be NULL) with a printf-style message and return code. */
int mv_fail(struct mv_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void mv_err_clear(struct mv_err *err);

/* Hex: out must hold 2*n+1 bytes (lowercase). mv_unhex returns MV_OK only
 * if s is exactly 2*n lowercase or uppercase hex digits, else MV_EINVAL and
 * out is untouched. */
void mv_hex(char *out, const uint8_t *in, size_t n);
int mv_unhex(uint8_t *out, size_t n, const char *s);

/* Big-endian fixed-width integers. */
void mv_put_u64(uint8_t *p, uint64_t v);
uint64_t mv_get_u64(const uint8_t *p);

/* Unsigned LEB128 varints. mv_varint_put writes at most 10 bytes and returns
 * the count. mv_varint_get returns bytes consumed, 0 on truncation, -1 on a
 * non-minimal or overlong encoding. */
size_t mv_varint_put(uint8_t *p, uint64_t v);
int mv_varint_get(const uint8_t *p, size_t len, uint64_t *v);

/* A growable byte buffer. */
struct mv_buf {
	uint8_t *data;
	size_t len, cap;
};
int mv_buf_reserve(struct mv_buf *b, size_t extra);
int mv_buf_append(struct mv_buf *b, const void *p, size_t n);
int mv_buf_byte(struct mv_buf *b, uint8_t c);
int mv_buf_varint(struct mv_buf *b, uint64_t v);
int mv_buf_u64(struct mv_buf *b, uint64_t v);
void mv_buf_free(struct mv_buf *b);

/* MVT amounts: int64 base units, 8 decimals. mv_amount_parse accepts
 * "12", "1.5", "0.00000001" (no sign, no exponent, at most 8 decimals,
 * no overflow) and fills err with the precise reason otherwise.
 * "1." and ".5" are refused (a digit is needed on both sides of the point);
 * leading zeros are accepted. mv_amount_format writes "1.5" style text
 * (trailing zeros trimmed, at least one digit, "-" if negative), out must
 * hold 32 bytes. */
#define MV_DECIMALS 8
#define MV_UNIT INT64_C(100000000)
int mv_amount_parse(const char *s, int64_t *out, struct mv_err *err);
void mv_amount_format(char *out, size_t outlen, int64_t v);

/* Overflow-checked int64 arithmetic: return false on overflow. */
bool mv_add_i64(int64_t a, int64_t b, int64_t *out);
bool mv_sub_i64(int64_t a, int64_t b, int64_t *out);
bool mv_mul_i64(int64_t a, int64_t b, int64_t *out);
/* floor(a * num / den) with a 128-bit intermediate; den > 0, result must fit. */
bool mv_muldiv_i64(int64_t a, int64_t num, int64_t den, int64_t *out);

/* Time: milliseconds since the Unix epoch, UTC (the system clock plus the
 * clock offset below, which is 0 in every process but the demo builder). */
int64_t mv_now_ms(void);
/* The clock offset added to mv_now_ms(), in ms. ONLY the demo (src/ui/demo*.c)
 * may set it: it builds its history in the past by moving this clock forward
 * step by step (ops are signed with those clocks, as if made on those days)
 * and puts it back to 0 before it returns. Determinism does not depend on it:
 * contracts never read mv_now_ms(), only an op's effective time, which comes
 * from the op's signed clock, so every node applies the demo's ops the same
 * way. Any other caller would sign ops with false times and skew this
 * node's timeouts, sync timers and 10-minute future-clock rule. */
void mv_clock_set_offset_ms(int64_t offset_ms);
int64_t mv_clock_offset_ms(void);
/* Parses "2026-11-26T14:30Z", "2026-11-26T14:30:00Z", "2026-11-26 14:30"
 * (UTC), "2026-11-26" (midnight UTC) or a plain integer of milliseconds.
 * Precisely: YYYY-MM-DD, optionally 'T' or ' ' and HH:MM[:SS], optionally
 * 'Z'; always UTC, offsets are refused; years 0001..9999; impossible dates
 * (2026-02-29, 24:00, :60) are refused. */
int mv_time_parse(const char *s, int64_t *out_ms, struct mv_err *err);
/* "2026-11-26T14:30:00Z"; out must hold 32 bytes. */
void mv_time_format_utc(char *out, size_t outlen, int64_t ms);

/* Write a whole file safely: temp file in the same directory, fsync,
 * rename, fsync of the directory. mode is the file mode (e.g. 0600). */
int mv_write_file_atomic(const char *path, const void *data, size_t len,
			 int mode, struct mv_err *err);
/* Read a whole file (max bytes); *out is malloc'd, caller frees. *out is
 * also NUL-terminated (not counted in *outlen). A missing file returns
 * MV_ENOTFOUND, a file over max MV_EINVAL. */
int mv_read_file(const char *path, size_t max, uint8_t **out, size_t *outlen,
		 struct mv_err *err);
/* mkdir -p with mode. */
int mv_mkdirs(const char *path, int mode, struct mv_err *err);

/* Valid UTF-8 (no overlongs, surrogates or code points above U+10FFFF)
 * without NUL, C0 controls other than \n and \t, DEL or C1 controls
 * (U+0080..U+009F, which some terminals obey as escapes). */
bool mv_utf8_valid(const uint8_t *s, size_t n);

#endif
