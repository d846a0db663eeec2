/*
 * err.h: one error value threaded through every layer.
 *
 * A function that can fail takes a struct err * and returns -1 (or NULL)
 * after filling it. The kind maps to the CLI exit status and to the HTTP
 * status in one table (err.c). Messages are already in the user's
 * language (see TR() in util.h). Location fields are optional: file,
 * line and column for file input, field for a named input field.
 */
#ifndef THIDUA_ERR_H
#define THIDUA_ERR_H

enum err_kind {
	ERR_OK = 0,
	ERR_USER,	/* bad input, rule violated: exit 1, HTTP 400 */
	ERR_NOTFOUND,	/* exit 1, HTTP 404 */
	ERR_CONFLICT,	/* exit 1, HTTP 409 */
	ERR_USAGE,	/* exit 2, HTTP 400 */
	ERR_AUTH,	/* exit 1, HTTP 401 */
	ERR_FORBIDDEN,	/* exit 1, HTTP 403 */
	ERR_TOOBIG,	/* exit 1, HTTP 413 */
	ERR_SYSTEM,	/* database unreachable, disk full: exit 3, HTTP 500 */
	ERR__MAX
};

struct err {
	enum err_kind	 kind;
	char		 file[256];	/* "" when not about a file */
	long		 line;		/* 0 when unknown */
	long		 col;		/* 0 when unknown */
	char		 field[64];	/* "" when not about a field */
	char		 msg[1024];
};

void		 err_clear(struct err *);
/* Set kind and message (printf-style); returns -1 for "return err_set(...)". */
int		 err_set(struct err *, enum err_kind, const char *, ...)
		     __attribute__((format(printf, 3, 4)));
/* Same, with a location. file may be NULL; field may be NULL. */
int		 err_at(struct err *, enum err_kind, const char *file, long line,
		     long col, const char *field, const char *, ...)
		     __attribute__((format(printf, 7, 8)));
int		 err_exit_code(enum err_kind);
int		 err_http_status(enum err_kind);
const char	*err_code_name(enum err_kind);	/* stable public code: "bad_input" ... */
/* Render "file:line:col: field: message" into buf. */
void		 err_format(const struct err *, char *buf, unsigned long sz);

#endif /* THIDUA_ERR_H */
