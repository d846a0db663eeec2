/*
 * err.c: the error table (kind -> exit status, HTTP status, public code)
 * and helpers to fill and render a struct err.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

static const struct {
	int		 exit_code;
	int		 http;
	const char	*code;
} table[ERR__MAX] = {
	[ERR_OK] =		{ 0, 200, "ok" },
	[ERR_USER] =		{ 1, 400, "bad_input" },
	[ERR_NOTFOUND] =	{ 1, 404, "not_found" },
	[ERR_CONFLICT] =	{ 1, 409, "conflict" },
	[ERR_USAGE] =		{ 2, 400, "bad_usage" },
	[ERR_AUTH] =		{ 1, 401, "unauthorized" },
	[ERR_FORBIDDEN] =	{ 1, 403, "forbidden" },
	[ERR_TOOBIG] =		{ 1, 413, "too_large" },
	[ERR_SYSTEM] =		{ 3, 500, "system" },
};

void
err_clear(struct err *e)
{
	memset(e, 0, sizeof *e);
}

static void
vset(struct err *e, enum err_kind k, const char *fmt, va_list ap)
{
	e->kind = k;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
}

int
err_set(struct err *e, enum err_kind k, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	e->file[0] = e->field[0] = '\0';
	e->line = e->col = 0;
	va_start(ap, fmt);
	vset(e, k, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_at(struct err *e, enum err_kind k, const char *file, long line, long col,
    const char *field, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return -1;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	e->line = line;
	e->col = col;
	va_start(ap, fmt);
	vset(e, k, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_exit_code(enum err_kind k)
{
	return k < ERR__MAX ? table[k].exit_code : 3;
}

int
err_http_status(enum err_kind k)
{
	return k < ERR__MAX ? table[k].http : 500;
}

const char *
err_code_name(enum err_kind k)
{
	return k < ERR__MAX ? table[k].code : "system";
}

void
err_format(const struct err *e, char *buf, unsigned long sz)
{
	int n = 0;

	buf[0] = '\0';
	if (e->file[0]) {
		n = snprintf(buf, sz, "%s:", e->file);
		if (e->line > 0 && (unsigned long)n < sz)
			n += snprintf(buf + n, sz - n, "%ld:", e->line);
		if (e->col > 0 && (unsigned long)n < sz)
			n += snprintf(buf + n, sz - n, "%ld:", e->col);
		if ((unsigned long)n < sz)
			n += snprintf(buf + n, sz - n, " ");
	}
	if (e->field[0] && (unsigned long)n < sz)
		n += snprintf(buf + n, sz - n, "%s: ", e->field);
	if ((unsigned long)n < sz)
		snprintf(buf + n, sz - n, "%s", e->msg);
}
