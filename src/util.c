/*
 * util.c: checked allocation, string buffers, dates, validation helpers.
 * Allocation failure is fatal (as in tmux and Redis): callers never see NULL.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

__thread enum lang g_lang = LANG_VI;

static void
oom(void)
{
	fputs("thidua: out of memory\n", stderr);
	exit(3);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (p == NULL)
		oom();
	return p;
}

void *
xcalloc_touched(size_t n, size_t sz)
{
	volatile char *v;
	void *p;

	if (sz != 0 && n > SIZE_MAX / sz)
		oom();
	p = xmalloc(n * sz);
	memset(p, 0, n * sz);
	/* the compiler may turn malloc + memset into calloc: write each page */
	v = p;
	for (size_t i = 0; i < n * sz; i += 4096)
		v[i] = 0;
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		oom();
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xasprintf(const char *fmt, ...)
{
	struct sb b;
	va_list ap;

	sb_init(&b);
	va_start(ap, fmt);
	sb_vprintf(&b, fmt, ap);
	va_end(ap);
	return b.s;
}

uint64_t
hash_fnv1a(uint64_t h, const void *p, size_t n)
{
	for (const unsigned char *b = p; n-- > 0; b++)
		h = (h ^ *b) * 1099511628211ULL;
	return h;
}

void
grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	void **p = pp;
	size_t c = *cap;

	if (n <= c)
		return;
	if (c == 0)
		c = 16;
	while (c < n)
		c *= 2;
	*p = xrealloc(*p, c * sz);
	*cap = c;
}

void
sb_init(struct sb *b)
{
	b->cap = 64;
	b->len = 0;
	b->s = xmalloc(b->cap);
	b->s[0] = '\0';
}

void
sb_free(struct sb *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void
sb_reset(struct sb *b)
{
	b->len = 0;
	b->s[0] = '\0';
}

static void
sb_need(struct sb *b, size_t extra)
{
	if (b->len + extra + 1 <= b->cap)
		return;
	while (b->len + extra + 1 > b->cap)
		b->cap *= 2;
	b->s = xrealloc(b->s, b->cap);
}

void
sb_putn(struct sb *b, const char *s, size_t n)
{
	sb_need(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* sb_putn that answers -1 (b unchanged) instead of exiting when memory
 * runs out: for buffers a client fills (request bodies). */
int
sb_try_putn(struct sb *b, const char *s, size_t n)
{
	size_t cap = b->cap ? b->cap : 64;
	char *p;

	if (b->len + n + 1 < b->len)
		return -1;
	while (b->len + n + 1 > cap)
		cap *= 2;
	if (cap != b->cap) {
		if ((p = realloc(b->s, cap)) == NULL)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

void
sb_putc(struct sb *b, char c)
{
	sb_need(b, 1);
	b->s[b->len++] = c;
	b->s[b->len] = '\0';
}

void
sb_puts(struct sb *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

void
sb_vprintf(struct sb *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		sb_need(b, (size_t)n);
		vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	}
	b->len += (size_t)n;
}

void
sb_printf(struct sb *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vprintf(b, fmt, ap);
	va_end(ap);
}

void
sb_json_str(struct sb *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;

	sb_putc(b, '"');
	for (;;) {
		/* the run that needs no escape, copied at once */
		for (run = p; *p >= 0x20 && *p != '"' && *p != '\\'; p++)
			;
		if (p > run)
			sb_putn(b, (const char *)run, (size_t)(p - run));
		switch (*p) {
		case '\0': sb_putc(b, '"'); return;
		case '"':  sb_puts(b, "\\\""); break;
		case '\\': sb_puts(b, "\\\\"); break;
		case '\n': sb_puts(b, "\\n"); break;
		case '\r': sb_puts(b, "\\r"); break;
		case '\t': sb_puts(b, "\\t"); break;
		default:   sb_printf(b, "\\u%04x", *p); break;
		}
		p++;
	}
}

/*
 * Spreadsheet safety (CSV injection): a text cell that begins with = + - @,
 * a tab or a carriage return is a formula to Excel and LibreOffice. Such a
 * cell is written with a leading apostrophe, which a spreadsheet shows as
 * text; so is a cell that already is apostrophes followed by one of those
 * characters, so that csv_unescape_cell() reads every exported cell back to
 * the value it was. A plain decimal number ("-12.5") is a number, not a
 * formula, and stays as it is.
 */
static int
csv_formula_char(char ch)
{
	return ch != '\0' && strchr("=+-@\t\r", ch) != NULL;
}

static int
is_decimal(const char *s)
{
	const char *p = s;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (digits == 0)
		return 0;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

int
csv_needs_quote_mark(const char *s)
{
	const char *p = s;

	while (*p == '\'')
		p++;
	if (!csv_formula_char(*p))
		return 0;
	return p > s || !is_decimal(s);
}

const char *
csv_unescape_cell(const char *s)
{
	const char *p = s;

	if (*s != '\'')
		return s;
	while (*p == '\'')
		p++;
	return csv_formula_char(*p) ? s + 1 : s;
}

void
sb_csv_field(struct sb *b, const char *s)
{
	const char *p, *q;
	int mark = csv_needs_quote_mark(s);

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (mark)
			sb_putc(b, '\'');
		sb_puts(b, s);
		return;
	}
	sb_putc(b, '"');
	if (mark)
		sb_putc(b, '\'');
	/* spans up to each quote, which is doubled */
	for (p = s; (q = strchr(p, '"')) != NULL; p = q + 1) {
		sb_putn(b, p, q + 1 - p);
		sb_putc(b, '"');
	}
	sb_puts(b, p);
	sb_putc(b, '"');
}

/* Days from civil, after H. Hinnant's algorithm. */
int32_t
date_from_ymd(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

void
date_to_ymd(int32_t z, int *yy, int *mm, int *dd)
{
	int era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp + (mp < 10 ? 3 : -9);
	*yy = y + (m <= 2);
	*mm = m;
	*dd = d;
}

static int
days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 ? 28 + leap : dm[m - 1];
}

int
date_parse(const char *s, int32_t *day)
{
	int y, m, d, i;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return -1;
		} else if ((unsigned)(s[i] - '0') > 9)
			return -1;
	}
	if (s[10] != '\0')
		return -1;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	if (day)
		*day = date_from_ymd(y, m, d);
	return 0;
}

void
date_format(int32_t day, char out[11])
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	date_format_ymd(y, m, d, out);
}

void
date_format_ymd(int y, int m, int d, char out[11])
{
	y = y < 0 ? 0 : y % 10000;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

double
mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int32_t
date_today(void)
{
	static volatile int warned;
	const char *pin = getenv("THIDUA_TODAY");
	time_t t;
	struct tm tm;
	int32_t day;

	/*
	 * THIDUA_TODAY=YYYY-MM-DD pins "today" (tests, demonstrations). A
	 * value that is not a real date is ignored, with one warning.
	 */
	if (pin != NULL && *pin) {
		if (date_parse(pin, &day) == 0)
			return day;
		if (!warned) {
			warned = 1;
			fprintf(stderr, "thidua: THIDUA_TODAY=%s: %s\n", pin,
			    TR("không phải ngày YYYY-MM-DD, dùng ngày thật",
			    "not a date YYYY-MM-DD, using the real date"));
		}
	}
	t = time(NULL);
	gmtime_r(&t, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int
code_valid(const char *s)
{
	size_t n = 0;

	for (; *s; s++, n++) {
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '_' && *s != '-')
			return 0;
		if ((unsigned char)*s >= 0x80)
			return 0;
	}
	return n >= 1 && n <= 32;
}

long
utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		size_t k;
		unsigned min, cp;
		uint64_t w;

		/* ASCII eight bytes at a time (files are mostly ASCII) */
		if (i + 8 <= n && (memcpy(&w, p + i, 8),
		    (w & 0x8080808080808080u) == 0)) {
			i += 8;
			continue;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) { k = 1; min = 0x80; cp = c & 0x1f; }
		else if ((c & 0xf0) == 0xe0) { k = 2; min = 0x800; cp = c & 0x0f; }
		else if ((c & 0xf8) == 0xf0) { k = 3; min = 0x10000; cp = c & 0x07; }
		else
			return (long)i;
		for (size_t j = 1; j <= k; j++) {
			if (i + j >= n || (p[i + j] & 0xc0) != 0x80)
				return (long)i;
			cp = (cp << 6) | (p[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return (long)i;
		i += k + 1;
	}
	return -1;
}

int
parse_i64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (*s == '\0' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

/*
 * Fast path for plain decimals ("-123.45"): at most 15 significant digits
 * and 22 decimals give an exact mantissa and an exact power of ten, so one
 * division is correctly rounded (Clinger). Anything else goes to strtod.
 */
static int
parse_plain_decimal(const char *s, double *v)
{
	static const double p10[] = { 1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7,
	    1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
	    1e19, 1e20, 1e21, 1e22 };
	const char *p = s;
	int64_t m = 0;
	int digits = 0, frac = 0, neg = 0, dot = 0;

	if (*p == '-' || *p == '+')
		neg = *p++ == '-';
	for (; *p; p++) {
		if (*p == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (*p < '0' || *p > '9')
			return -1;
		if (digits || *p != '0')
			digits++;
		if (digits > 15)
			return -1;
		m = m * 10 + (*p - '0');
		frac += dot;
	}
	if (p == s + neg || (p == s + neg + 1 && dot) || frac > 22)
		return -1;
	*v = (double)m / p10[frac];
	if (neg)
		*v = -*v;
	return 0;
}

/*
 * Numbers are decimal only: [+-]digits[.digits][e[+-]digits]. strtod would
 * also take hexadecimal ("0x10" = 16), "inf", "nan" and leading spaces; a
 * cell is refused rather than read as something its writer did not mean.
 */
int
parse_double(const char *s, double *v)
{
	char *end;
	double x;

	if (parse_plain_decimal(s, v) == 0)
		return 0;
	if (!is_decimal(s))
		return -1;
	errno = 0;
	x = strtod(s, &end);
	if (errno || *end != '\0' || !isfinite(x))
		return -1;
	*v = x;
	return 0;
}

char *
read_file(const char *path, size_t *len)
{
	FILE *f;
	struct sb b;
	char buf[65536];
	size_t n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	sb_init(&b);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_putn(&b, buf, n);
	if (ferror(f)) {
		int e = errno;
		fclose(f);
		sb_free(&b);
		errno = e;
		return NULL;
	}
	fclose(f);
	if (len)
		*len = b.len;
	return b.s;
}

void
test_pause_env(const char *env)
{
	const char *v = getenv(env);
	long ms = v != NULL ? strtol(v, NULL, 10) : 0;
	struct timespec ts;

	if (ms <= 0)
		return;
	ts.tv_sec = ms / 1000;
	ts.tv_nsec = (ms % 1000) * 1000000L;
	while (nanosleep(&ts, &ts) != 0)
		;
}
