/* util.c - small shared helpers of the core: error reporting, hex, varints,
 * big-endian integers, growable buffers, decimal MVT amounts, UTC times,
 * crash-safe file writes and UTF-8 validation.
 *
 * Guarantees: nothing here reads the locale or the time zone; parsers accept
 * exactly the documented forms and say precisely why anything else is
 * refused; integer helpers never overflow silently. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- errors ------------------------------------------------------------ */

int mv_fail(struct mv_err *err, int code, const char *fmt, ...)
{
	if (err) {
		/* Format into a copy first: callers may pass err->msg as an argument
		 * to prefix or wrap an earlier message. */
		char tmp[sizeof err->msg];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(tmp, sizeof tmp, fmt, ap);
		va_end(ap);
		memcpy(err->msg, tmp, sizeof tmp);
		err->code = code;
	}
	return code;
}

void mv_err_clear(struct mv_err *err)
{
	if (err) {
		err->code = MV_OK;
		err->msg[0] = '\0';
	}
}

/* ---- hex --------------------------------------------------------------- */

void mv_hex(char *out, const uint8_t *in, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

static int util_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int mv_unhex(uint8_t *out, size_t n, const char *s)
{
	if (!s || strlen(s) != 2 * n)
		return MV_EINVAL;
	for (size_t i = 0; i < 2 * n; i++)
		if (util_hexval(s[i]) < 0)
			return MV_EINVAL;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(util_hexval(s[2 * i]) << 4 | util_hexval(s[2 * i + 1]));
	return MV_OK;
}

/* ---- fixed-width and variable-width integers --------------------------- */

void mv_put_u64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)v;
		v >>= 8;
	}
}

uint64_t mv_get_u64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

size_t mv_varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;
	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

/* The 10th byte may only carry the top bit of a u64 (value 0 or 1), and a
 * final byte of 0 after the first means a shorter encoding existed. */
int mv_varint_get(const uint8_t *p, size_t len, uint64_t *v)
{
	uint64_t acc = 0;
	for (size_t i = 0; i < 10; i++) {
		if (i >= len)
			return 0;
		uint8_t c = p[i];
		if (i == 9 && c > 1)
			return -1;
		acc |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			if (c == 0 && i > 0)
				return -1;
			*v = acc;
			return (int)i + 1;
		}
	}
	return -1; /* not reached: the 10th byte is checked above */
}

/* ---- growable buffer --------------------------------------------------- */

int mv_buf_reserve(struct mv_buf *b, size_t extra)
{
	if (extra > SIZE_MAX - b->len)
		return MV_ERR;
	size_t need = b->len + extra;
	if (need <= b->cap)
		return MV_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	uint8_t *p = realloc(b->data, cap);
	if (!p)
		return MV_ERR;
	b->data = p;
	b->cap = cap;
	return MV_OK;
}

int mv_buf_append(struct mv_buf *b, const void *p, size_t n)
{
	if (n == 0)
		return MV_OK;
	if (mv_buf_reserve(b, n) != MV_OK)
		return MV_ERR;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	return MV_OK;
}

int mv_buf_byte(struct mv_buf *b, uint8_t c)
{
	return mv_buf_append(b, &c, 1);
}

int mv_buf_varint(struct mv_buf *b, uint64_t v)
{
	uint8_t tmp[10];
	return mv_buf_append(b, tmp, mv_varint_put(tmp, v));
}

int mv_buf_u64(struct mv_buf *b, uint64_t v)
{
	uint8_t tmp[8];
	mv_put_u64(tmp, v);
	return mv_buf_append(b, tmp, 8);
}

void mv_buf_free(struct mv_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ---- amounts ----------------------------------------------------------- */

/* Rejects what is not a digit or a single '.', naming the culprit. */
static int util_amount_chars(const char *s, struct mv_err *err)
{
	int dots = 0;
	for (const char *c = s; *c; c++) {
		if (*c >= '0' && *c <= '9')
			continue;
		if (*c == '.') {
			if (++dots > 1)
				return mv_fail(err, MV_EINVAL, "invalid amount '%s': more than one decimal point", s);
			continue;
		}
		if (*c == '+' || *c == '-')
			return mv_fail(err, MV_EINVAL, "invalid amount '%s': no sign allowed", s);
		if (*c == ' ' || *c == '\t' || *c == '\n')
			return mv_fail(err, MV_EINVAL, "invalid amount '%s': no spaces allowed", s);
		if ((unsigned char)*c >= 0x20 && (unsigned char)*c < 0x7f)
			return mv_fail(err, MV_EINVAL, "invalid amount '%s': unexpected character '%c'", s, *c);
		return mv_fail(err, MV_EINVAL, "invalid amount: unexpected byte 0x%02x",
			       (unsigned char)*c);
	}
	return MV_OK;
}

/* "1." and ".5" are refused: an amount is digits, optionally followed by a
 * point and 1..8 digits. Leading zeros are harmless and accepted. */
int mv_amount_parse(const char *s, int64_t *out, struct mv_err *err)
{
	if (!s || !*s)
		return mv_fail(err, MV_EINVAL, "empty amount");
	int rc = util_amount_chars(s, err);
	if (rc != MV_OK)
		return rc;
	const char *dot = strchr(s, '.');
	size_t whole_len = dot ? (size_t)(dot - s) : strlen(s);
	if (whole_len == 0)
		return mv_fail(err, MV_EINVAL, "invalid amount '%s': a digit is needed before the decimal point (write 0%s)", s, s);
	size_t frac_len = dot ? strlen(dot + 1) : 0;
	if (dot && frac_len == 0)
		return mv_fail(err, MV_EINVAL, "invalid amount '%s': a digit is needed after the decimal point", s);
	if (frac_len > MV_DECIMALS)
		return mv_fail(err, MV_EINVAL, "invalid amount '%s': too many decimals (max 8)", s);
	int64_t v = 0;
	for (size_t i = 0; i < whole_len; i++)
		if (!mv_mul_i64(v, 10, &v) || !mv_add_i64(v, s[i] - '0', &v))
			return mv_fail(err, MV_EINVAL, "invalid amount '%s': amount too large", s);
	for (size_t i = 0; i < MV_DECIMALS; i++) {
		int d = i < frac_len ? dot[1 + i] - '0' : 0;
		if (!mv_mul_i64(v, 10, &v) || !mv_add_i64(v, d, &v))
			return mv_fail(err, MV_EINVAL, "invalid amount '%s': amount too large", s);
	}
	*out = v;
	return MV_OK;
}

void mv_amount_format(char *out, size_t outlen, int64_t v)
{
	uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	uint64_t whole = mag / (uint64_t)MV_UNIT, frac = mag % (uint64_t)MV_UNIT;
	char fbuf[MV_DECIMALS + 2] = "";
	if (frac) {
		int digits = MV_DECIMALS;
		while (frac % 10 == 0) {
			frac /= 10;
			digits--;
		}
		snprintf(fbuf, sizeof fbuf, ".%0*llu", digits, (unsigned long long)frac);
	}
	snprintf(out, outlen, "%s%llu%s", v < 0 ? "-" : "", (unsigned long long)whole, fbuf);
}

/* ---- checked arithmetic ------------------------------------------------ */

bool mv_add_i64(int64_t a, int64_t b, int64_t *out)
{
	return !__builtin_add_overflow(a, b, out);
}

bool mv_sub_i64(int64_t a, int64_t b, int64_t *out)
{
	return !__builtin_sub_overflow(a, b, out);
}

bool mv_mul_i64(int64_t a, int64_t b, int64_t *out)
{
	return !__builtin_mul_overflow(a, b, out);
}

bool mv_muldiv_i64(int64_t a, int64_t num, int64_t den, int64_t *out)
{
	if (den <= 0)
		return false;
	__int128 p = (__int128)a * num; /* |a*num| < 2^126: cannot overflow */
	__int128 q = p / den;
	if (p % den != 0 && p < 0)
		q -= 1; /* C truncates toward zero; we want floor */
	if (q > INT64_MAX || q < INT64_MIN)
		return false;
	*out = (int64_t)q;
	return true;
}

/* ---- time -------------------------------------------------------------- */

/* The demo's clock offset (util.h): 0 except while `mentalverse demo`
 * builds its history. Atomic so that reading it from any thread is defined,
 * though the demo sets it before any other thread exists. */
static _Atomic int64_t util_clock_offset_ms;

int64_t mv_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + util_clock_offset_ms;
}

void mv_clock_set_offset_ms(int64_t offset_ms)
{
	util_clock_offset_ms = offset_ms;
}

int64_t mv_clock_offset_ms(void)
{
	return util_clock_offset_ms;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil), exact for every int64 year we can produce. */
static int64_t util_days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void util_civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int util_days_in_month(int64_t y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : days[m - 1];
}

/* Reads exactly n decimal digits at *p, advancing it; -1 if not digits. */
static int util_digits(const char **p, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static int util_time_ms_int(const char *s, int64_t *out, struct mv_err *err)
{
	int64_t v = 0;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return mv_fail(err, MV_EINVAL, "invalid time '%s': expected YYYY-MM-DD[THH:MM[:SS]][Z] in UTC or milliseconds", s);
		if (!mv_mul_i64(v, 10, &v) || !mv_add_i64(v, *c - '0', &v))
			return mv_fail(err, MV_EINVAL, "invalid time '%s': milliseconds out of range", s);
	}
	*out = v;
	return MV_OK;
}

static int util_time_date(const char **p, const char *s, int *y, int *mo, int *d,
			  struct mv_err *err)
{
	*y = util_digits(p, 4);
	if (*y < 0 || **p != '-')
		return mv_fail(err, MV_EINVAL, "invalid time '%s': expected a date YYYY-MM-DD", s);
	(*p)++;
	*mo = util_digits(p, 2);
	if (*mo < 0 || **p != '-')
		return mv_fail(err, MV_EINVAL, "invalid time '%s': expected a date YYYY-MM-DD", s);
	(*p)++;
	*d = util_digits(p, 2);
	if (*d < 0)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': expected a date YYYY-MM-DD", s);
	if (*y < 1)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': year 0000 does not exist", s);
	if (*mo < 1 || *mo > 12)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': no month %02d", s, *mo);
	if (*d < 1 || *d > util_days_in_month(*y, *mo))
		return mv_fail(err, MV_EINVAL, "invalid time '%s': %04d-%02d has no day %02d", s, *y, *mo, *d);
	return MV_OK;
}

static int util_time_clock(const char **p, const char *s, int *h, int *mi, int *sec,
			   struct mv_err *err)
{
	*h = util_digits(p, 2);
	if (*h < 0 || **p != ':')
		return mv_fail(err, MV_EINVAL, "invalid time '%s': expected HH:MM after the date", s);
	(*p)++;
	*mi = util_digits(p, 2);
	if (*mi < 0)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': expected HH:MM after the date", s);
	*sec = 0;
	if (**p == ':') {
		(*p)++;
		*sec = util_digits(p, 2);
		if (*sec < 0)
			return mv_fail(err, MV_EINVAL, "invalid time '%s': expected two digits of seconds", s);
	}
	if (*h > 23)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': no hour %02d", s, *h);
	if (*mi > 59)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': no minute %02d", s, *mi);
	if (*sec > 59)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': no second %02d", s, *sec);
	return MV_OK;
}

/* Date, then optionally 'T' or ' ' and HH:MM[:SS], then optionally 'Z'.
 * Everything is UTC; numeric offsets are refused rather than guessed. */
int mv_time_parse(const char *s, int64_t *out_ms, struct mv_err *err)
{
	if (!s || !*s)
		return mv_fail(err, MV_EINVAL, "empty time");
	if (strspn(s, "0123456789") == strlen(s))
		return util_time_ms_int(s, out_ms, err);
	const char *p = s;
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
	int rc = util_time_date(&p, s, &y, &mo, &d, err);
	if (rc != MV_OK)
		return rc;
	if (*p == 'T' || *p == ' ') {
		p++;
		rc = util_time_clock(&p, s, &h, &mi, &sec, err);
		if (rc != MV_OK)
			return rc;
	}
	if (*p == 'Z')
		p++;
	if (*p == '+' || *p == '-')
		return mv_fail(err, MV_EINVAL, "invalid time '%s': only UTC is accepted (end with Z or nothing, no offset)", s);
	if (*p)
		return mv_fail(err, MV_EINVAL, "invalid time '%s': unexpected text '%s'", s, p);
	int64_t days = util_days_from_civil(y, mo, d);
	*out_ms = ((days * 24 + h) * 60 + mi) * 60000 + (int64_t)sec * 1000;
	return MV_OK;
}

void mv_time_format_utc(char *out, size_t outlen, int64_t ms)
{
	int64_t secs = ms / 1000 - (ms % 1000 < 0);
	int64_t days = secs / 86400 - (secs % 86400 < 0);
	int64_t rem = secs - days * 86400;
	int64_t y;
	int m, d;
	util_civil_from_days(days, &y, &m, &d);
	snprintf(out, outlen, "%04lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
		 (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/* ---- files ------------------------------------------------------------- */

static int util_write_all(int fd, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* fsync of the directory holding path, so the rename itself is durable. */
static int util_fsync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	close(fd);
	return rc;
}

int mv_write_file_atomic(const char *path, const void *data, size_t len,
			 int mode, struct mv_err *err)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp)
		return mv_fail(err, MV_ERR, "cannot write %s: path too long", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return mv_fail(err, MV_ERR, "cannot write %s: %s", path, strerror(errno));
	const char *step = "write";
	if (fchmod(fd, (mode_t)mode) != 0)
		step = "chmod";
	else if (util_write_all(fd, data, len) != 0)
		step = "write";
	else if (fsync(fd) != 0)
		step = "fsync";
	else
		step = NULL;
	int saved = errno;
	if (close(fd) != 0 && !step) {
		step = "close";
		saved = errno;
	}
	if (!step && rename(tmp, path) != 0) {
		step = "rename";
		saved = errno;
	}
	if (step) {
		unlink(tmp);
		return mv_fail(err, MV_ERR, "cannot write %s (%s): %s", path, step, strerror(saved));
	}
	if (util_fsync_dir(path) != 0)
		return mv_fail(err, MV_ERR, "cannot sync the directory of %s: %s", path, strerror(errno));
	return MV_OK;
}

/* Reads fd to the end into b, failing once more than max bytes arrive. */
static int util_read_fd(int fd, size_t max, struct mv_buf *b, const char *path,
			struct mv_err *err)
{
	for (;;) {
		if (mv_buf_reserve(b, 65536) != MV_OK)
			return mv_fail(err, MV_ERR, "cannot read %s: out of memory", path);
		ssize_t r = read(fd, b->data + b->len, b->cap - b->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return mv_fail(err, MV_ERR, "cannot read %s: %s", path, strerror(errno));
		if (r == 0)
			return MV_OK;
		b->len += (size_t)r;
		if (b->len > max)
			return mv_fail(err, MV_EINVAL, "%s is too large (more than %zu bytes)", path, max);
	}
}

/* *out is NUL-terminated for convenience (the NUL is not counted in
 * *outlen). A missing file is MV_ENOTFOUND. */
int mv_read_file(const char *path, size_t max, uint8_t **out, size_t *outlen,
		 struct mv_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return mv_fail(err, errno == ENOENT ? MV_ENOTFOUND : MV_ERR,
			       "cannot open %s: %s", path, strerror(errno));
	struct mv_buf b = {0};
	int rc = util_read_fd(fd, max, &b, path, err);
	close(fd);
	if (rc == MV_OK && mv_buf_byte(&b, 0) != MV_OK)
		rc = mv_fail(err, MV_ERR, "cannot read %s: out of memory", path);
	if (rc != MV_OK) {
		mv_buf_free(&b);
		return rc;
	}
	*out = b.data;
	*outlen = b.len - 1;
	return MV_OK;
}

static int util_mkdir_one(const char *dir, int mode, struct mv_err *err)
{
	if (mkdir(dir, (mode_t)mode) == 0)
		return MV_OK;
	int saved = errno;
	struct stat st;
	if (saved == EEXIST && stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return MV_OK;
		return mv_fail(err, MV_ERR, "cannot create directory %s: a file is in the way", dir);
	}
	return mv_fail(err, MV_ERR, "cannot create directory %s: %s", dir, strerror(saved));
}

int mv_mkdirs(const char *path, int mode, struct mv_err *err)
{
	char buf[PATH_MAX];
	if (!path || !*path)
		return mv_fail(err, MV_EINVAL, "empty directory name");
	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf)
		return mv_fail(err, MV_EINVAL, "directory name too long: %s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/' || p[-1] == '/')
			continue;
		*p = '\0';
		int rc = util_mkdir_one(buf, mode, err);
		*p = '/';
		if (rc != MV_OK)
			return rc;
	}
	return util_mkdir_one(buf, mode, err);
}

/* ---- UTF-8 ------------------------------------------------------------- */

/* Length of the sequence starting with lead byte c and the smallest code
 * point it may encode; 0 for a byte that cannot start a sequence. */
static int util_utf8_lead(uint8_t c, uint32_t *cp, uint32_t *min)
{
	if (c < 0x80) {
		*cp = c;
		*min = 0;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		*cp = c & 0x1f;
		*min = 0x80;
		return 2;
	}
	if ((c & 0xf0) == 0xe0) {
		*cp = c & 0x0f;
		*min = 0x800;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		*cp = c & 0x07;
		*min = 0x10000;
		return 4;
	}
	return 0;
}

static bool util_cp_allowed(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\n' || cp == '\t';
	if (cp >= 0x7f && cp <= 0x9f)
		return false; /* DEL and C1 controls: terminal escapes */
	if (cp >= 0xd800 && cp <= 0xdfff)
		return false;
	return cp <= 0x10ffff;
}

bool mv_utf8_valid(const uint8_t *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint32_t cp, min;
		int len = util_utf8_lead(s[i], &cp, &min);
		if (len == 0 || (size_t)len > n - i)
			return false;
		for (int k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < min || !util_cp_allowed(cp))
			return false;
		i += (size_t)len;
	}
	return true;
}
