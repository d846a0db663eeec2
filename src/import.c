/*
 * import.c: the generic importer. A source (CSV or JSON) becomes a batch
 * of rows in the kind's column order; every cell is checked against the
 * column table (import-kinds.h), the kind's own whole-batch check runs,
 * and only when nothing is wrong is the batch written in one
 * transaction. Up to
 * IMPORT_MAXERR errors are kept, each located (file:line:column and the
 * column's name for CSV; [index].column for JSON).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>
#include <jansson.h>

#include "audit.h"
#include "import.h"
#include "import-digest.h"
#include "textnorm.h"
#include "import-kinds.h"
#include "store.h"
#include "util.h"

struct import_ctx {
	struct import_report	*rep;
	const char		*source;	/* file name for messages */
	int			 json;		/* locations as [i].column */
	const int		*filecol;	/* spec column → file column (0-based) */
	const struct scope_filter *scope;	/* import_opts.scope */
};

static void
verror(struct import_ctx *c, long line, long col, const char *field,
    const char *fmt, va_list ap)
{
	struct err *e;
	char msg[sizeof e->msg];

	c->rep->total_err++;
	if (c->rep->nerr >= IMPORT_MAXERR)
		return;
	e = &c->rep->errs[c->rep->nerr++];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (c->json) {
		char f[sizeof e->field];

		snprintf(f, sizeof f, "[%ld]%s%s", line - 1, field ? "." : "",
		    field ? field : "");
		err_at(e, ERR_USER, NULL, 0, 0, f, "%s", msg);
	} else
		err_at(e, ERR_USER, c->source, line, col, field, "%s", msg);
}

static void
loc_error(struct import_ctx *c, long line, long col, const char *field,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(c, line, col, field, fmt, ap);
	va_end(ap);
}

void
import_error(struct import_ctx *c, const struct batch *b, size_t row, int col,
    const char *fmt, ...)
{
	va_list ap;
	long fc = 0;
	const char *name = NULL;

	if (col >= 0) {
		name = b->kind->cols[col].name;
		if (c->filecol && c->filecol[col] >= 0)
			fc = c->filecol[col] + 1;
	}
	va_start(ap, fmt);
	verror(c, b->line[row], fc, name, fmt, ap);
	va_end(ap);
}

const struct kind *
kind_find(const char *name)
{
	for (size_t i = 0; i < kind_table_len; i++)
		if (kind_table[i] && strcmp(kind_table[i]->name, name) == 0)
			return kind_table[i];
	return NULL;
}

const char *const *
kind_names(void)
{
	static const char *names[64];
	size_t n = 0;

	if (names[0] == NULL)
		for (size_t i = 0; i < kind_table_len && n < 63; i++)
			if (kind_table[i])
				names[n++] = kind_table[i]->name;
	return names;
}

/* ---- loading the code maps the columns need ---- */

/*
 * A batch of at most IMPORT_FEW_ROWS rows, of a kind that adds no subjects or
 * of people, reads only the subjects it names (store_load_subjects_of),
 * by the codes' index, a few dozen a query; a bigger one every code in
 * one pass. People
 * name their own code too (column 0: a unit's code is refused, a known
 * person's id reused): one person added through the API read a million
 * codes first, 1.3-1.8 s at a million people. Units keep the whole map.
 */

static int
load_batch_subjects(struct store *st, const struct kind *k,
    const struct batch *b, struct refs *r, struct err *e)
{
	const char **codes = NULL;
	size_t *at = NULL;	/* list members: offsets into lists */
	struct sb lists;
	size_t n = 0, cap = 0, na = 0, acap = 0;
	int rc;

	sb_init(&lists);
	for (size_t row = 0; row < b->nrows; row++)
		for (int i = 0; i < k->ncols; i++) {
			enum col_type t = k->cols[i].type;
			const char *v = batch_val(b, row, i);

			if (v == NULL || (t != CT_UNIT && t != CT_PERSON &&
			    t != CT_SUBJECT && t != CT_PEOPLE && !(i == 0 &&
			    strcmp(k->name, "people") == 0)))
				continue;
			if (t != CT_PEOPLE) {
				grow(&codes, &cap, n + 1, sizeof *codes);
				codes[n++] = v;
				continue;
			}
			/* a list: each code, as check_list splits it */
			for (const char *p = v; *p != '\0';) {
				size_t len = strcspn(p, ";");

				if (len > 0) {
					grow(&at, &acap, na + 1, sizeof *at);
					at[na++] = lists.len;
					sb_putn(&lists, p, len);
					sb_putc(&lists, '\0');
				}
				p += len + (p[len] == ';');
			}
		}
	grow(&codes, &cap, n + na + 1, sizeof *codes);
	for (size_t i = 0; i < na; i++)
		codes[n++] = lists.s + at[i];
	rc = store_load_subjects_of(st, codes, n, &r->subjects, e);
	free(codes);
	free(at);
	sb_free(&lists);
	return rc;
}

static int
load_refs(struct store *st, const struct kind *k, const struct batch *b,
    struct refs *r, struct err *e)
{
	int subj = 0, tasks = 0, innov = 0;

	for (int i = 0; i < k->ncols; i++) {
		switch (k->cols[i].type) {
		case CT_UNIT: case CT_PERSON: case CT_SUBJECT: case CT_PEOPLE:
			subj = 1; break;
		case CT_TASK:
			tasks = 1; break;
		case CT_INNOVATIONS:
			innov = 1; break;
		default:
			break;
		}
	}
	if (strcmp(k->name, "units") == 0 || strcmp(k->name, "people") == 0)
		subj = 1;
	if (strcmp(k->name, "tasks") == 0)
		tasks = 1;
	if (subj && !r->have_subjects) {
		if (b != NULL && b->nrows <= IMPORT_FEW_ROWS &&
		    strcmp(k->name, "units") != 0 ?
		    load_batch_subjects(st, k, b, r, e) != 0 :
		    store_load_subjects(st, &r->subjects, e) != 0)
			return -1;
		r->have_subjects = 1;
	}
	if (tasks && !r->have_tasks) {
		if (store_load_tasks(st, &r->tasks, e) != 0)
			return -1;
		r->have_tasks = 1;
	}
	if (innov && !r->have_innovations) {
		if (store_load_innovations(st, &r->innovations, e) != 0)
			return -1;
		r->have_innovations = 1;
	}
	return 0;
}

static void
refs_free(struct refs *r)
{
	codemap_free(&r->subjects);
	codemap_free(&r->tasks);
	codemap_free(&r->innovations);
}

/* ---- checking one cell ---- */

static int
enum_ok(const char *const *vals, const char *v)
{
	for (; *vals; vals++)
		if (strcmp(*vals, v) == 0)
			return 1;
	return 0;
}

static void
enum_list(const char *const *vals, char *buf, size_t sz)
{
	size_t n = 0;

	buf[0] = '\0';
	for (; *vals && n < sz; vals++)
		n += (size_t)snprintf(buf + n, sz - n, "%s%s", n ? ", " : "", *vals);
}

/* Outside the caller's subtree reads as unknown (a failed look-up too). */
static int
in_scope(struct import_ctx *c, const char *code)
{
	struct err e;

	return scope_keeps(c->scope, code, &e) == 1;
}

static int
check_subject(struct import_ctx *c, const struct batch *b, size_t r, int col,
    const char *code, int want)
{
	int tag;

	if (!code_valid(code)) {
		import_error(c, b, r, col, "%s '%s'", TR("mã không hợp lệ",
		    "invalid code"), code);
		return -1;
	}
	if (!codemap_get(&b->refs->subjects, code, NULL, &tag) ||
	    !in_scope(c, code)) {
		import_error(c, b, r, col, "%s '%s'", want == 'u' ?
		    TR("không có đơn vị mã", "no unit with code") : want == 'p' ?
		    TR("không có cá nhân mã", "no person with code") :
		    TR("không có đơn vị hay cá nhân mã",
		    "no unit or person with code"), code);
		return -1;
	}
	if (want && tag != want) {
		import_error(c, b, r, col, "'%s' %s", code, want == 'u' ?
		    TR("là mã cá nhân, không phải đơn vị",
		    "is a person, not a unit") :
		    TR("là mã đơn vị, không phải cá nhân",
		    "is a unit, not a person"));
		return -1;
	}
	return 0;
}

static void
check_list(struct import_ctx *c, const struct batch *b, size_t r, int col,
    const char *v, int people)
{
	char buf[1024];
	char *p, *save = NULL;

	if (strlen(v) >= sizeof buf) {
		import_error(c, b, r, col, "%s", TR("danh sách quá dài",
		    "list too long"));
		return;
	}
	strcpy(buf, v);
	for (p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
		if (people)
			check_subject(c, b, r, col, p, 'p');
		else if (!code_valid(p))
			import_error(c, b, r, col, "%s '%s'", TR("mã không hợp lệ",
			    "invalid code"), p);
		else if (!codemap_get(&b->refs->innovations, p, NULL, NULL))
			import_error(c, b, r, col, "%s '%s'",
			    TR("không có sáng kiến/đề tài mã",
			    "no innovation with code"), p);
	}
}

static void
check_cell(struct import_ctx *c, const struct batch *b, size_t r, int col)
{
	const struct col *k = &b->kind->cols[col];
	const char *v = batch_val(b, r, col);
	int64_t i;
	double d;
	char list[256];

	if (v == NULL) {
		if (k->flags & COL_REQ)
			import_error(c, b, r, col, "%s", TR("thiếu giá trị bắt buộc",
			    "required value missing"));
		return;
	}
	switch (k->type) {
	case CT_TEXT:
		break;
	case CT_CODE:
		if (!code_valid(v))
			import_error(c, b, r, col, "%s '%s' ([A-Za-z0-9._-], 1–32)",
			    TR("mã không hợp lệ", "invalid code"), v);
		break;
	case CT_INT:
		if (parse_i64(v, &i) != 0)
			import_error(c, b, r, col, "%s '%s'", TR("không phải số nguyên",
			    "not a whole number"), v);
		break;
	case CT_NUM:
		if (parse_double(v, &d) != 0)
			import_error(c, b, r, col, "%s '%s'", TR("không phải số",
			    "not a number"), v);
		break;
	case CT_YEAR:
		if (parse_i64(v, &i) != 0 || i < 1900 || i > 2999)
			import_error(c, b, r, col, "%s '%s'", TR("năm không hợp lệ",
			    "invalid year"), v);
		break;
	case CT_DATE:
		if (date_parse(v, NULL) != 0)
			import_error(c, b, r, col, "%s '%s' (YYYY-MM-DD)",
			    TR("ngày không hợp lệ", "invalid date"), v);
		break;
	case CT_BOOL:
		if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0)
			import_error(c, b, r, col, "%s '%s' (0/1)",
			    TR("giá trị không hợp lệ", "invalid value"), v);
		break;
	case CT_ENUM:
		if (!enum_ok(k->values, v)) {
			enum_list(k->values, list, sizeof list);
			import_error(c, b, r, col, "%s '%s' (%s)",
			    TR("giá trị không hợp lệ", "invalid value"), v, list);
		}
		break;
	case CT_UNIT:
		check_subject(c, b, r, col, v, 'u');
		break;
	case CT_PERSON:
		check_subject(c, b, r, col, v, 'p');
		break;
	case CT_SUBJECT:
		check_subject(c, b, r, col, v, 0);
		break;
	case CT_PEOPLE:
		check_list(c, b, r, col, v, 1);
		break;
	case CT_INNOVATIONS:
		check_list(c, b, r, col, v, 0);
		break;
	case CT_TASK:
		if (!code_valid(v))
			import_error(c, b, r, col, "%s '%s'", TR("mã không hợp lệ",
			    "invalid code"), v);
		else if (!codemap_get(&b->refs->tasks, v, NULL, NULL))
			import_error(c, b, r, col, "%s '%s'",
			    TR("không có nhiệm vụ mã", "no task with code"), v);
		break;
	}
}

/* ---- validate and apply a batch (both sources end here) ---- */

static void
progress_line(const struct import_opts *o, const char *what, size_t n)
{
	if (o && o->progress)
		fprintf(stderr, "\r%s: %zu", what, n);
}

/*
 * A large source's digest, made on a thread of its own while the rows
 * are parsed and sent (the digest of a 32 MB file costs about 25 ms, the
 * server idle meanwhile when made first). digest_wait() before reading
 * b->stamp.sha256 and before the source's memory goes.
 */
struct digest {
	pthread_t	 t;
	const char	*buf;
	size_t		 len;
	char		*out;		/* 65 bytes: b->stamp.sha256 */
	int		 running;
};

#define DIGEST_THREAD_MIN (1u << 20)

static void *
digest_run(void *arg)
{
	struct digest *d = arg;

	import_sha256_hex(d->buf, d->len, d->out);
	return NULL;
}

static void
digest_start(struct digest *d, const char *buf, size_t len, char out[65])
{
	*d = (struct digest){ .buf = buf, .len = len, .out = out };
	if (len >= DIGEST_THREAD_MIN &&
	    pthread_create(&d->t, NULL, digest_run, d) == 0)
		d->running = 1;
	else
		import_sha256_hex(buf, len, out);
}

static void
digest_wait(struct digest *d)
{
	if (d->running)
		pthread_join(d->t, NULL);
	d->running = 0;
}

/* Who writes the batch and when (its source's digest is already set). */
static void
stamp(struct batch *b, const struct import_opts *o)
{
	time_t t = time(NULL);
	struct tm tm;

	b->stamp.by = o && o->actor ? o->actor : audit_actor();
	gmtime_r(&t, &tm);
	strftime(b->stamp.at, sizeof b->stamp.at, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (o && o->sha256)
		snprintf(b->stamp.sha256, sizeof b->stamp.sha256, "%s",
		    o->sha256);
}

/* The kind's rows go to the store while they are checked (import-kinds.h). */
static const struct kind_stream *
streams(struct store *st, const struct kind *k, const struct import_opts *o)
{
	const struct kind_stream *ks = kind_stream_of(k);

	return ks && k->check == NULL && !(o && o->dry_run) && ks->wants(st) ?
	    ks : NULL;
}

/* Rows a streaming writer takes at a time (and the CSV parsed ahead). */
#define IMPORT_CHUNK 32768

/*
 * Check rows from..to; when the kind streams, hand them to its writer
 * (the server takes them while the next are checked), the writer given
 * up at the first refusal.
 */
static int
check_rows(const struct kind_stream *ks, struct import_ctx *c,
    struct batch *b, size_t from, size_t to, const struct import_opts *o,
    void **w, struct err *e)
{
	for (size_t r = from; r < to; r++) {
		for (int col = 0; col < b->kind->ncols; col++)
			check_cell(c, b, r, col);
		if (r % 100000 == 99999)
			progress_line(o, TR("đã kiểm tra", "checked"), r + 1);
	}
	if (*w && c->rep->total_err > 0) {
		ks->end(*w, 0, e);
		*w = NULL;
	} else if (*w && from < to && ks->rows(*w, from, to, e) != 0) {
		ks->end(*w, 0, e);
		*w = NULL;
		return -1;
	}
	return 0;
}

/* The whole batch: checked, then written (a streaming kind's CSV: csv_stream). */
static int
apply(struct store *st, struct import_ctx *c, struct batch *b,
    const struct import_opts *o, struct err *e)
{
	struct import_report *rep = c->rep;
	void *none = NULL;
	int own, rc;

	rep->rows = (long)b->nrows;
	c->scope = o ? o->scope : NULL;
	check_rows(NULL, c, b, 0, b->nrows, o, &none, e);
	/* Kind checks see every row; they skip values the cells refused. */
	if (b->kind->check)
		b->kind->check(c, st, b);
	if (o && o->progress)
		fputc('\n', stderr);
	if (rep->total_err > 0)
		return -1;
	if (o && o->dry_run)
		return 0;
	stamp(b, o);
	own = !(o && o->in_txn);
	if (own && store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	store_expect_rows(st, b->nrows);
	rc = b->kind->write(st, b, e) != 0 || (o && o->after_write &&
	    o->after_write(o->after_arg, st, b, e) != 0);
	store_expect_rows(st, 0);	/* (the pages stay until evicted) */
	if (rc) {
		if (own)
			store_rollback(st);
		if (e->kind == ERR_OK)
			err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		return -1;
	}
	if (own && store_commit(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		store_rollback(st);
		return -1;
	}
	rep->written = (long)b->nrows;
	return 0;
}

/* ---- CSV ---- */

struct csvp {
	struct sb	 arena;		/* field texts, each NUL-terminated */
	size_t		*off;		/* field offsets in the arena */
	size_t		 noff, capoff;
	struct csvrow {
		size_t	 first;		/* first field index */
		int	 len;		/* fields in the row */
		long	 line;		/* line the row starts on */
	}		*rows;
	size_t		 nrow, caprow;
	size_t		 rowfirst;	/* first field of the current row */
	long		 line;		/* line being fed */
	long		 fieldline;	/* line of the current row's first field */
	const struct import_opts *o;
};

static void
csv_field(void *s, size_t len, void *data)
{
	struct csvp *p = data;

	if (p->noff == p->rowfirst)
		p->fieldline = p->line;
	grow(&p->off, &p->capoff, p->noff + 1, sizeof *p->off);
	p->off[p->noff++] = p->arena.len;
	if (s)
		text_nfc(s, len, &p->arena);	/* stored in NFC (textnorm.h) */
	sb_putc(&p->arena, '\0');
}

static void
csv_row(int ch, void *data)
{
	struct csvp *p = data;

	(void)ch;
	grow(&p->rows, &p->caprow, p->nrow + 1, sizeof *p->rows);
	p->rows[p->nrow].first = p->rowfirst;
	p->rows[p->nrow].len = (int)(p->noff - p->rowfirst);
	p->rows[p->nrow].line = p->noff > p->rowfirst ? p->fieldline : p->line;
	p->nrow++;
	p->rowfirst = p->noff;
	if (p->nrow % 200000 == 0)
		progress_line(p->o, TR("đã đọc", "read"), p->nrow);
}

static int
col_numeric(const struct col *k)
{
	return k->type == CT_INT || k->type == CT_NUM || k->type == CT_YEAR;
}

static void
csvp_free(struct csvp *p)
{
	sb_free(&p->arena);
	free(p->off);
	free(p->rows);
}

static int
utf8_check(struct import_ctx *c, const char *buf, size_t len)
{
	long at = utf8_invalid_at(buf, len), line = 1, col = 1;

	if (at < 0)
		return 0;
	for (long i = 0; i < at; i++) {
		if (buf[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80)
			col++;
	}
	loc_error(c, line, col, NULL, "%s", TR("dữ liệu không phải UTF-8 hợp lệ",
	    "invalid UTF-8"));
	return -1;
}

/* The CSV parser fed a line at a time, so that parsing can stop and go on. */
struct csvfeed {
	struct csv_parser	 cp;
	const char		*buf;
	size_t			 len, i;
	int			 ended;
};

static int
feed_init(struct csvfeed *f, struct csvp *p, const char *buf, size_t len)
{
	memset(f, 0, sizeof *f);
	f->buf = buf;
	f->len = len;
	p->line = 1;
	return csv_init(&f->cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
}

static int
csv_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/*
 * A whole line s[0..n) (its '\n' not included) with no quote and no
 * carriage return but a last one, met between rows: its fields and row
 * as libcsv would give them (fields split at commas, spaces and tabs
 * around each dropped, a line of blanks no row at all), without its
 * byte-by-byte state machine, which was the importer's largest cost
 * (16% of a million-row file). 0, or -1 when the line is not that kind.
 */
static int
csv_plain_line(struct csvp *p, const char *s, size_t n)
{
	const char *end;
	size_t k;

	if (n && s[n - 1] == '\r')
		n--;
	if (memchr(s, '"', n) || memchr(s, '\r', n))
		return -1;
	for (k = 0; k < n && csv_blank(s[k]); k++)
		;
	if (k == n)
		return 0;	/* libcsv skips a blank line */
	end = s + n;
	for (;;) {
		const char *comma = memchr(s, ',', (size_t)(end - s));
		const char *a = s, *z = comma ? comma : end;

		while (a < z && csv_blank(*a))
			a++;
		while (z > a && csv_blank(z[-1]))
			z--;
		csv_field((void *)(uintptr_t)a, (size_t)(z - a), p);
		if (comma == NULL)
			break;
		s = comma + 1;
	}
	csv_row('\n', p);
	return 0;
}

/*
 * Parse until p holds `want` rows or the text ends: 0 (more to come),
 * 1 (the end), or -1 with the malformed place said.
 */
static int
feed(struct import_ctx *c, struct csvp *p, struct csvfeed *f, size_t want)
{
	while (f->i < f->len && p->nrow < want) {
		const char *nl = memchr(f->buf + f->i, '\n', f->len - f->i);
		size_t n = nl ? (size_t)(nl - (f->buf + f->i)) + 1 : f->len - f->i;

		/* (pstate 0: libcsv's ROW_NOT_BEGUN, no row under way) */
		if (nl && f->cp.pstate == 0 &&
		    csv_plain_line(p, f->buf + f->i, n - 1) == 0) {
			f->i += n;
			p->line++;
			continue;
		}
		if (csv_parse(&f->cp, f->buf + f->i, n, csv_field, csv_row, p) != n) {
			loc_error(c, p->line, 0, NULL, "%s: %s",
			    TR("CSV sai định dạng", "malformed CSV"),
			    csv_error(&f->cp) == CSV_EPARSE ?
			    TR("dấu ngoặc kép đặt sai", "misplaced quote") :
			    csv_strerror(csv_error(&f->cp)));
			return -1;
		}
		f->i += n;
		if (nl)
			p->line++;
	}
	if (f->i < f->len)
		return 0;
	if (!f->ended) {
		f->ended = 1;
		if (csv_fini(&f->cp, csv_field, csv_row, p) != 0) {
			loc_error(c, p->line, 0, NULL, "%s: %s",
			    TR("CSV sai định dạng", "malformed CSV"),
			    TR("dấu ngoặc kép chưa đóng", "unterminated quoted field"));
			return -1;
		}
	}
	return 1;
}

static int
header_map(struct import_ctx *c, const struct kind *k, struct csvp *p,
    int *filecol, int **colof)
{
	int nf = p->rows[0].len, bad = 0;

	*colof = xmalloc(sizeof(int) * (size_t)(nf ? nf : 1));
	for (int j = 0; j < k->ncols; j++)
		filecol[j] = -1;
	for (int f = 0; f < nf; f++) {
		const char *name = p->arena.s + p->off[p->rows[0].first + (size_t)f];
		int j;

		for (j = 0; j < k->ncols; j++)
			if (strcmp(k->cols[j].name, name) == 0)
				break;
		(*colof)[f] = -1;
		if (j == k->ncols) {
			loc_error(c, p->rows[0].line, f + 1, name, "%s '%s'",
			    TR("cột không xác định", "unknown column"), name);
			bad = 1;
		} else if (filecol[j] >= 0) {
			loc_error(c, p->rows[0].line, f + 1, name, "%s '%s'",
			    TR("cột bị lặp", "duplicate column"), name);
			bad = 1;
		} else {
			filecol[j] = f;
			(*colof)[f] = j;
		}
	}
	for (int j = 0; j < k->ncols; j++)
		if ((k->cols[j].flags & COL_REQ) && filecol[j] < 0) {
			loc_error(c, p->rows[0].line, 0, k->cols[j].name, "%s '%s'",
			    TR("thiếu cột bắt buộc", "missing required column"),
			    k->cols[j].name);
			bad = 1;
		}
	return bad ? -1 : 0;
}

/*
 * CSV rows [from, to) (row 0 is the header) as batch rows: b->v and
 * b->line grow (their capacities cap[0] values, cap[1] lines); a row with
 * the wrong number of fields is said in c.
 */
static void
add_rows(struct import_ctx *c, const struct csvp *p, struct batch *b,
    const int *colof, size_t from, size_t to, size_t cap[2])
{
	const struct kind *k = b->kind;
	size_t nc = (size_t)k->ncols;

	grow(&b->v, &cap[0], (to - 1) * nc + 1, sizeof *b->v);
	grow(&b->line, &cap[1], to, sizeof *b->line);
	memset(&b->v[(from - 1) * nc], 0, (to - from) * nc * sizeof *b->v);
	for (size_t r = from; r < to; r++) {
		size_t br = r - 1;

		b->line[br] = p->rows[r].line;
		if (p->rows[r].len != p->rows[0].len) {
			loc_error(c, p->rows[r].line, 0, NULL, "%s: %d, %s %d",
			    TR("sai số cột", "wrong number of columns"),
			    p->rows[r].len, TR("tiêu đề có", "the header has"),
			    p->rows[0].len);
			continue;
		}
		for (int f = 0; f < p->rows[r].len; f++) {
			const char *v = p->arena.s + p->off[p->rows[r].first + (size_t)f];

			if (colof[f] < 0 || *v == '\0')
				continue;
			/* '=1+1 as export writes it (util.c) is the text =1+1 */
			if (!col_numeric(&k->cols[colof[f]]))
				v = csv_unescape_cell(v);
			b->v[br * nc + (size_t)colof[f]] = v;
		}
	}
	b->nrows = to - 1;
}

/* The arena moved from old to p's: the batch's values with it. */
static void
rebase(struct batch *b, const char *old, const struct csvp *p)
{
	for (size_t i = 0; i < b->nrows * (size_t)b->kind->ncols; i++)
		if (b->v[i])
			b->v[i] = p->arena.s + ((uintptr_t)b->v[i] - (uintptr_t)old);
}

/*
 * A streaming kind's CSV, the header mapped: parse, check and hand to
 * the writer IMPORT_CHUNK rows at a time, inside the transaction. The
 * refusals are those of the whole-file path, in its order of precedence:
 * malformed CSV alone, else wrong numbers of fields (no cell checked),
 * else the cells'.
 */
static int
csv_stream(struct store *st, struct import_ctx *c, struct csvp *p,
    struct csvfeed *f, const struct kind_stream *ks, const int *colof,
    struct batch *b, struct digest *dg, const struct import_opts *o,
    struct err *e)
{
	struct import_report *fields = xcalloc(2, sizeof *fields),
	    *cells = fields + 1;
	struct import_ctx cf = *c, cc = *c;
	int own = !(o && o->in_txn), frc = 0, rc = -1;
	size_t cap[2] = { 0, 0 };
	void *w;

	cf.rep = fields;
	cc.rep = cells;
	cc.scope = o ? o->scope : NULL;
	if (own && store_begin(st) != 0) {
		free(fields);
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	}
	if ((w = ks->begin(st, b, e)) == NULL)
		goto fail;
	while (frc == 0) {
		const char *old = p->arena.s;
		size_t from = p->nrow;

		if ((frc = feed(c, p, f, p->nrow + IMPORT_CHUNK)) < 0)
			break;
		if (p->arena.s != old)
			rebase(b, old, p);
		if (p->nrow > from)
			add_rows(&cf, p, b, colof, from, p->nrow, cap);
		if (fields->total_err > 0) {
			/* the rest only for its field counts */
			if (w)
				ks->end(w, 0, e);
			w = NULL;
		} else if (check_rows(w ? ks : NULL, &cc, b, from - 1, b->nrows,
		    o, &w, e) != 0)
			goto fail;
	}
	if (o && o->progress)
		fputc('\n', stderr);
	if (frc < 0 || fields->total_err > 0 || cells->total_err > 0) {
		if (w)
			ks->end(w, 0, e);
		w = NULL;
		if (frc >= 0) {
			*c->rep = fields->total_err > 0 ? *fields : *cells;
			c->rep->rows = (long)b->nrows;
		}
		goto fail;
	}
	/* (the stream's writer reads no stamp; after_write may) */
	digest_wait(dg);
	stamp(b, o);
	if (ks->end(w, 1, e) != 0 || (o && o->after_write &&
	    o->after_write(o->after_arg, st, b, e) != 0))
		goto fail;
	if (own && store_commit(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		store_rollback(st);
		free(fields);
		return -1;
	}
	c->rep->rows = c->rep->written = (long)b->nrows;
	free(fields);
	return 0;
fail:
	if (own)
		store_rollback(st);
	if (c->rep->total_err == 0 && e->kind == ERR_OK)
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	free(fields);
	return rc;
}

int
import_csv_buffer(struct store *st, const struct kind *k, const char *name,
    const char *buf, size_t len, const struct import_opts *o,
    struct import_report *rep, struct err *e)
{
	struct import_ctx c = { rep, name, 0, NULL, NULL };
	const struct kind_stream *ks = NULL;
	struct csvfeed f;
	struct csvp p;
	struct refs refs;
	struct batch b;
	struct digest dg;
	int *filecol = NULL, *colof = NULL, rc = -1, frc = 0;
	size_t cap[2] = { 0, 0 };

	memset(rep, 0, sizeof *rep);
	memset(&p, 0, sizeof p);
	memset(&refs, 0, sizeof refs);
	memset(&b, 0, sizeof b);
	err_clear(e);
	p.o = o;
	sb_init(&p.arena);
	/* room for the whole file's fields: the arena seldom moves (rebase) */
	p.arena.cap = len + len / 8 + 4096;
	p.arena.s = xrealloc(p.arena.s, p.arena.cap);
	digest_start(&dg, buf, len, b.stamp.sha256);
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	if (feed_init(&f, &p, buf, len) != 0) {
		digest_wait(&dg);
		csvp_free(&p);
		return err_set(e, ERR_SYSTEM, "csv_init");
	}
	if (utf8_check(&c, buf, len) != 0 || (frc = feed(&c, &p, &f, 1)) < 0)
		goto out;
	b.kind = k;
	b.source = name;
	b.refs = &refs;
	filecol = xmalloc(sizeof(int) * (size_t)k->ncols);
	if (p.nrow > 0 && (ks = streams(st, k, o)) != NULL) {
		struct import_report *quiet = xcalloc(1, sizeof *quiet);
		struct import_ctx qc = { quiet, name, 0, NULL, NULL };
		int ok = header_map(&qc, k, &p, filecol, &colof) == 0;

		free(quiet);
		if (ok) {
			c.filecol = filecol;
			if (load_refs(st, k, NULL, &refs, e) == 0)
				rc = csv_stream(st, &c, &p, &f, ks, colof, &b,
				    &dg, o, e);
			goto out;
		}
		free(colof);
		colof = NULL;
	}
	if (frc == 0 && feed(&c, &p, &f, SIZE_MAX) < 0)
		goto out;
	if (p.nrow == 0) {
		loc_error(&c, 1, 0, NULL, "%s", TR("tệp rỗng, thiếu dòng tiêu đề",
		    "empty file, no header row"));
		goto out;
	}
	if (header_map(&c, k, &p, filecol, &colof) != 0)
		goto out;
	c.filecol = filecol;
	add_rows(&c, &p, &b, colof, 1, p.nrow, cap);
	if (rep->total_err > 0) {
		rep->rows = (long)b.nrows;
		goto out;
	}
	if (load_refs(st, k, &b, &refs, e) != 0)
		goto out;
	digest_wait(&dg);
	rc = apply(st, &c, &b, o, e);
out:
	digest_wait(&dg);	/* (buf is the caller's: it may go now) */
	if (rc != 0 && e->kind == ERR_OK && rep->total_err == 0)
		err_set(e, ERR_SYSTEM, "import failed");
	csv_free(&f.cp);
	free(b.v);
	free(b.line);
	free(filecol);
	free(colof);
	refs_free(&refs);
	csvp_free(&p);
	return rc;
}

int
import_csv_file(struct store *st, const struct kind *k, const char *path,
    const struct import_opts *o, struct import_report *rep, struct err *e)
{
	struct stat sb;
	void *map = NULL;
	int fd, rc;

	memset(rep, 0, sizeof *rep);
	if ((fd = open(path, O_RDONLY)) < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s",
		    TR("không đọc được tệp", "cannot read the file"),
		    strerror(errno));
	}
	/* Map the file: no copy of a large import in memory. */
	if (sb.st_size > 0 && (map = mmap(NULL, (size_t)sb.st_size, PROT_READ,
	    MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s",
		    TR("không đọc được tệp", "cannot read the file"),
		    strerror(errno));
	}
	close(fd);
	if (map)
		madvise(map, (size_t)sb.st_size, MADV_SEQUENTIAL);
	rc = import_csv_buffer(st, k, path, map ? map : "", map ?
	    (size_t)sb.st_size : 0, o, rep, e);
	if (map)
		munmap(map, (size_t)sb.st_size);
	return rc;
}

/* ---- JSON ---- */

int
import_json(struct store *st, const struct kind *k, void *json,
    const struct import_opts *o, struct import_report *rep, struct err *e)
{
	struct import_ctx c = { rep, "json", 1, NULL, NULL };
	json_t *root = json, *arr = NULL;
	struct refs refs;
	struct batch b;
	struct sb arena;
	size_t *off = NULL, n, i;
	int rc = -1;

	memset(rep, 0, sizeof *rep);
	memset(&refs, 0, sizeof refs);
	memset(&b, 0, sizeof b);
	err_clear(e);
	sb_init(&arena);
	if (json_is_object(root)) {
		arr = json_array();
		json_array_append(arr, root);
	} else if (json_is_array(root))
		arr = json_incref(root);
	else {
		err_at(e, ERR_USER, NULL, 0, 0, "body", "%s",
		    TR("cần một đối tượng hoặc một mảng đối tượng JSON",
		    "expected a JSON object or an array of objects"));
		goto out;
	}
	n = json_array_size(arr);
	b.kind = k;
	b.source = "json";
	{
		/* The document's digest, unless the caller has its bytes. */
		char *dump = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);

		if (dump != NULL)
			import_sha256_hex(dump, strlen(dump), b.stamp.sha256);
		free(dump);
	}
	b.refs = &refs;
	b.nrows = n;
	b.line = xcalloc(n + 1, sizeof *b.line);
	off = xcalloc(n * (size_t)k->ncols + 1, sizeof *off);	/* 0 = empty */
	sb_putc(&arena, '\0');
	for (i = 0; i < n; i++) {
		json_t *obj = json_array_get(arr, i), *val;
		const char *key;

		b.line[i] = (long)i + 1;
		if (!json_is_object(obj)) {
			loc_error(&c, (long)i + 1, 0, NULL, "%s",
			    TR("cần một đối tượng JSON", "expected a JSON object"));
			continue;
		}
		json_object_foreach(obj, key, val) {
			int j;
			size_t at = arena.len;

			for (j = 0; j < k->ncols; j++)
				if (strcmp(k->cols[j].name, key) == 0)
					break;
			if (j == k->ncols) {
				loc_error(&c, (long)i + 1, 0, key, "%s '%s'",
				    TR("trường không xác định", "unknown field"), key);
				continue;
			}
			switch (json_typeof(val)) {
			case JSON_STRING:
				text_nfc(json_string_value(val),
				    json_string_length(val), &arena);
				break;
			case JSON_INTEGER:
				sb_printf(&arena, "%lld", (long long)json_integer_value(val));
				break;
			case JSON_REAL:
				sb_printf(&arena, "%.15g", json_real_value(val));
				break;
			case JSON_TRUE:
				sb_putc(&arena, '1');
				break;
			case JSON_FALSE:
				sb_putc(&arena, '0');
				break;
			case JSON_NULL:
				break;
			default:
				loc_error(&c, (long)i + 1, 0, key, "%s",
				    TR("kiểu giá trị không hợp lệ", "wrong value type"));
				break;
			}
			if (arena.len > at) {
				sb_putc(&arena, '\0');
				off[i * (size_t)k->ncols + (size_t)j] = at;
			}
		}
	}
	if (rep->total_err > 0) {
		rep->rows = (long)n;
		goto out;
	}
	b.v = xcalloc(n * (size_t)k->ncols + 1, sizeof *b.v);
	for (i = 0; i < n * (size_t)k->ncols; i++)
		b.v[i] = off[i] ? arena.s + off[i] : NULL;
	if (load_refs(st, k, &b, &refs, e) != 0)
		goto out;
	rc = apply(st, &c, &b, o, e);
out:
	json_decref(arr);
	free(off);
	free(b.v);
	free(b.line);
	refs_free(&refs);
	sb_free(&arena);
	return rc;
}

/* ---- export ---- */

struct exp {
	const struct kind	*k;
	FILE			*out;
	int			 json;
	long			 n;
	struct sb		 line;
};

static int
exp_row(void *data, const char *const *vals)
{
	struct exp *x = data;
	const struct kind *k = x->k;

	sb_reset(&x->line);
	if (x->json) {
		sb_puts(&x->line, x->n ? ",\n {" : "\n {");
		for (int j = 0; j < k->ncols; j++) {
			const char *v = vals[j];

			sb_printf(&x->line, "%s\"%s\": ", j ? ", " : "", k->cols[j].name);
			if (v == NULL)
				sb_puts(&x->line, "null");
			else if (k->cols[j].type == CT_INT || k->cols[j].type == CT_NUM ||
			    k->cols[j].type == CT_YEAR)
				sb_puts(&x->line, v);
			else
				sb_json_str(&x->line, v);
		}
		sb_putc(&x->line, '}');
	} else {
		for (int j = 0; j < k->ncols; j++) {
			if (j)
				sb_putc(&x->line, ',');
			sb_csv_field(&x->line, vals[j] ? vals[j] : "");
		}
		sb_puts(&x->line, "\r\n");
	}
	x->n++;
	return fwrite(x->line.s, 1, x->line.len, x->out) == x->line.len ? 0 : -1;
}

int
export_kind(struct store *st, const struct kind *k, int json, FILE *out,
    struct err *e)
{
	struct exp x = { k, out, json, 0, { NULL, 0, 0 } };
	int rc;

	sb_init(&x.line);
	if (json)
		fputc('[', out);
	else {
		for (int j = 0; j < k->ncols; j++)
			fprintf(out, "%s%s", j ? "," : "", k->cols[j].name);
		fputs("\r\n", out);
	}
	rc = k->export(st, exp_row, &x, e);
	if (json)
		fputs(x.n ? "\n]\n" : "]\n", out);
	sb_free(&x.line);
	return rc;
}
