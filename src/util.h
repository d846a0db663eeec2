/*
 * util.h: small helpers every layer uses: checked allocation, a growable
 * string buffer, dates as day numbers, code validation, bilingual text.
 *
 * Ownership: xmalloc/xstrdup results belong to the caller (free()).
 * A struct sb owns its buffer; sb_free() releases it.
 */
#ifndef THIDUA_UTIL_H
#define THIDUA_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdarg.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
/*
 * n * sz zero bytes, every page written now: unlike calloc's untouched
 * pages, an array that threads then read and update causes no
 * copy-on-write faults (each a TLB shootdown across cores) while they run.
 */
void	*xcalloc_touched(size_t, size_t);
void	*xrealloc(void *, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
char	*xasprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* FNV-1a over n bytes at p, continuing from h (HASH_FNV1A_INIT to start):
 * fingerprints of what a cached copy was made from, never security. */
#define HASH_FNV1A_INIT	1469598103934665603ULL
uint64_t hash_fnv1a(uint64_t h, const void *p, size_t n);

/* Grow an array *pp of *cap elements of size sz so that it holds n. */
void	 grow(void *pp, size_t *cap, size_t n, size_t sz);

/* A growable, always NUL-terminated string buffer. */
struct sb {
	char	*s;
	size_t	 len;
	size_t	 cap;
};
void	 sb_init(struct sb *);
void	 sb_free(struct sb *);
void	 sb_reset(struct sb *);
void	 sb_putc(struct sb *, char);
void	 sb_puts(struct sb *, const char *);
void	 sb_putn(struct sb *, const char *, size_t);
void	 sb_printf(struct sb *, const char *, ...) __attribute__((format(printf, 2, 3)));
void	 sb_vprintf(struct sb *, const char *, va_list);
/* Append s as a JSON string literal (with quotes). */
void	 sb_json_str(struct sb *, const char *);
/* Append a CSV field, quoted when needed (RFC 4180). */
int	 sb_try_putn(struct sb *, const char *, size_t);
void	 sb_csv_field(struct sb *, const char *);
int	 csv_needs_quote_mark(const char *);
const char *csv_unescape_cell(const char *);

/*
 * Dates. A day number counts days since 1970-01-01 (may be negative).
 * date_parse accepts exactly YYYY-MM-DD with a real calendar day.
 */
int	 date_parse(const char *, int32_t *day);	/* 0 ok, -1 bad */
void	 date_format(int32_t day, char out[11]);
/* The same from a year, month (1-12) and day of a valid date. */
void	 date_format_ymd(int y, int m, int d, char out[11]);
int32_t	 date_from_ymd(int y, int m, int d);
void	 date_to_ymd(int32_t day, int *y, int *m, int *d);
/* Today (UTC), or the date THIDUA_TODAY=YYYY-MM-DD pins (a bad value is
 * ignored with a warning on stderr). */
int32_t	 date_today(void);
/* Seconds on the monotonic clock, for timing a step (a difference of two). */
double	 mono_s(void);

/* Codes match [A-Za-z0-9._-]{1,32}. */
int	 code_valid(const char *);

/* UTF-8: returns offset of the first invalid byte, or -1 when valid. */
long	 utf8_invalid_at(const char *, size_t);

/* Parse a whole decimal integer / number; 0 ok, -1 bad. */
int	 parse_i64(const char *, int64_t *);
int	 parse_double(const char *, double *);

/*
 * Language of user-facing text: Vietnamese first, English second.
 * TR("vi", "en") picks by the process-wide language set by --lang.
 */
enum lang { LANG_VI = 0, LANG_EN = 1 };
extern __thread enum lang g_lang;	/* per thread: the server sets it per request */
#define TR(vi, en) (g_lang == LANG_EN ? (en) : (vi))

/* Read a whole file; NULL and errno on failure. Caller frees. */
char	*read_file(const char *path, size_t *len);

/*
 * A test's hook: sleep as many milliseconds as the environment variable
 * env says (unset, empty or not above 0: not at all).
 */
void	 test_pause_env(const char *env);

#endif /* THIDUA_UTIL_H */
