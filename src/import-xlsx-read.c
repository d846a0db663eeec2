/*
 * import-xlsx-read.c: the first sheet of an .xlsx workbook turned into the
 * importer's CSV (import-xlsx-read.h). The package is opened with libzip; its
 * XML parts are read with expat: xl/workbook.xml (the first sheet's name
 * and relationship id), xl/_rels/workbook.xml.rels (that sheet's part),
 * xl/sharedStrings.xml (the strings cells refer to), xl/styles.xml (which
 * cell formats are dates) and the sheet itself.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#include "import.h"
#include "import-xlsx-read.h"
#include "import-xlsx-lib.h"

#define MAX_PART	(64u << 20)	/* largest XML part read (64 MiB) */
#define MAX_COLS	16384		/* XFD */

/* The local part of an XML name ("r:id" -> "id", "x:row" -> "row"). */
static const char *
local(const char *name)
{
	const char *c = strrchr(name, ':');

	return c ? c + 1 : name;
}

static const char *
attr(const char **a, const char *name)
{
	for (; a && a[0]; a += 2)
		if (strcmp(a[0], name) == 0)
			return a[1];
	return NULL;
}

/* A part of the package, malloc'd and NUL-terminated; NULL when absent. */
static char *
part(zip_t *z, const char *name, size_t *len)
{
	zip_stat_t st;
	zip_file_t *f;
	char *buf;
	zip_int64_t n;

	if (zip_stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
	    st.size > MAX_PART || (f = zip_fopen(z, name, 0)) == NULL)
		return NULL;
	buf = xmalloc(st.size + 1);
	n = zip_fread(f, buf, st.size);
	zip_fclose(f);
	if (n < 0 || (zip_uint64_t)n != st.size) {
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Parse an XML text with these callbacks; 0 or -1. */
static int
parse(const char *buf, size_t len, void *ud, XML_StartElementHandler s,
    XML_EndElementHandler e, XML_CharacterDataHandler t)
{
	XML_Parser p = XML_ParserCreate("UTF-8");
	int ok;

	XML_SetUserData(p, ud);
	XML_SetElementHandler(p, s, e);
	if (t)
		XML_SetCharacterDataHandler(p, t);
	ok = XML_Parse(p, buf, (int)len, 1) == XML_STATUS_OK;
	XML_ParserFree(p);
	return ok ? 0 : -1;
}

/* ---- workbook and relationships ---- */

struct book { char name[128]; char rid[64]; int found; char target[256]; };

static void
book_start(void *ud, const char *el, const char **a)
{
	struct book *b = ud;
	const char *n = attr(a, "name"), *id = NULL;

	if (b->found || strcmp(local(el), "sheet") != 0 || n == NULL)
		return;
	for (const char **p = a; p[0]; p += 2)
		if (strcmp(local(p[0]), "id") == 0)
			id = p[1];
	if (id == NULL)
		return;
	snprintf(b->name, sizeof b->name, "%s", n);
	snprintf(b->rid, sizeof b->rid, "%s", id);
	b->found = 1;
}

static void
rels_start(void *ud, const char *el, const char **a)
{
	struct book *b = ud;
	const char *id = attr(a, "Id"), *t = attr(a, "Target");

	if (strcmp(local(el), "Relationship") != 0 || id == NULL || t == NULL ||
	    strcmp(id, b->rid) != 0)
		return;
	if (t[0] == '/')
		snprintf(b->target, sizeof b->target, "%s", t + 1);
	else
		snprintf(b->target, sizeof b->target, "xl/%s", t);
}

static void
no_end(void *ud, const char *el)
{
	(void)ud;
	(void)el;
}

/* ---- shared strings ---- */

struct strings {
	char		**s;
	size_t		 n, cap;
	struct sb	 cur;
	int		 in_t, in_rph;
};

static void
ss_start(void *ud, const char *el, const char **a)
{
	struct strings *ss = ud;
	const char *l = local(el);

	(void)a;
	if (strcmp(l, "si") == 0)
		sb_reset(&ss->cur);
	else if (strcmp(l, "rPh") == 0)
		ss->in_rph = 1;
	else if (strcmp(l, "t") == 0)
		ss->in_t = 1;
}

static void
ss_end(void *ud, const char *el)
{
	struct strings *ss = ud;
	const char *l = local(el);

	if (strcmp(l, "t") == 0)
		ss->in_t = 0;
	else if (strcmp(l, "rPh") == 0)
		ss->in_rph = 0;
	else if (strcmp(l, "si") == 0) {
		grow(&ss->s, &ss->cap, ss->n + 1, sizeof *ss->s);
		ss->s[ss->n++] = xstrdup(ss->cur.s ? ss->cur.s : "");
	}
}

static void
ss_text(void *ud, const char *s, int len)
{
	struct strings *ss = ud;

	if (ss->in_t && !ss->in_rph)
		sb_putn(&ss->cur, s, (size_t)len);
}

/* ---- styles: which cell formats are dates ---- */

struct styles {
	int		 custom_id[256];
	int		 custom_date[256];
	int		 ncustom;
	unsigned char	*date;		/* per xf index */
	size_t		 nxf, cap;
	int		 in_xfs;
};

/* Does a number format code show a date? d, m or y outside quotes and []. */
static int
date_code(const char *f)
{
	int q = 0, br = 0;

	for (; *f; f++) {
		if (*f == '"')
			q = !q;
		else if (!q && *f == '[')
			br = 1;
		else if (!q && *f == ']')
			br = 0;
		else if (!q && !br && *f == '\\' && f[1])
			f++;
		else if (!q && !br && strchr("dDmMyY", *f))
			return 1;
	}
	return 0;
}

static int
builtin_date(int id)
{
	return (id >= 14 && id <= 22) || (id >= 45 && id <= 47);
}

static void
st_start(void *ud, const char *el, const char **a)
{
	struct styles *st = ud;
	const char *l = local(el), *v;

	if (strcmp(l, "numFmt") == 0 && st->ncustom < 256 &&
	    (v = attr(a, "numFmtId")) != NULL) {
		const char *code = attr(a, "formatCode");

		st->custom_id[st->ncustom] = atoi(v);
		st->custom_date[st->ncustom++] = code && date_code(code);
	} else if (strcmp(l, "cellXfs") == 0)
		st->in_xfs = 1;
	else if (strcmp(l, "xf") == 0 && st->in_xfs) {
		int id = (v = attr(a, "numFmtId")) ? atoi(v) : 0, d = builtin_date(id);

		for (int i = 0; i < st->ncustom; i++)
			if (st->custom_id[i] == id)
				d = st->custom_date[i];
		grow(&st->date, &st->cap, st->nxf + 1, 1);
		st->date[st->nxf++] = (unsigned char)d;
	}
}

static void
st_end(void *ud, const char *el)
{
	struct styles *st = ud;

	if (strcmp(local(el), "cellXfs") == 0)
		st->in_xfs = 0;
}

/* ---- the sheet ---- */

struct cell { int col; char *v; };

struct sheet_ctx {
	struct xlsx_sheet	*out;
	const struct strings	*ss;
	const struct styles	*st;
	long			 rownum;	/* current sheet row */
	struct cell		*cells;
	size_t			 ncells, cap;
	int			 header_done;
	/* the current cell */
	int			 ccol;
	char			 ctype[16];
	int			 cstyle;
	struct sb		 val;
	int			 in_v, in_t;
};

/* Column number (0 = A) of a reference like "D7"; -1 when none. */
static int
ref_col(const char *r)
{
	int c = 0, n = 0;

	for (; *r >= 'A' && *r <= 'Z'; r++, n++)
		c = c * 26 + (*r - 'A' + 1);
	return n ? c - 1 : -1;
}

/* The cell's text as the importer reads it. */
static char *
cell_text(struct sheet_ctx *c)
{
	const char *v = c->val.s ? c->val.s : "";
	char buf[64];

	if (strcmp(c->ctype, "s") == 0) {
		long i = strtol(v, NULL, 10);

		return xstrdup(i >= 0 && (size_t)i < c->ss->n ? c->ss->s[i] : "");
	}
	if (strcmp(c->ctype, "b") == 0)
		return xstrdup(strcmp(v, "1") == 0 ? "true" : "false");
	if (c->ctype[0] == '\0' || strcmp(c->ctype, "n") == 0) {
		char *end;
		double d = strtod(v, &end);

		if (*v == '\0' || *end != '\0')
			return xstrdup(v);
		if (c->cstyle >= 0 && (size_t)c->cstyle < c->st->nxf &&
		    c->st->date[c->cstyle] && d >= 1 && d < 2958466) {
			/* 1900 system: serial 1 is 1900-01-01, 60 the phantom
			 * 1900-02-29; day 0 of the count is 1899-12-30. */
			int32_t day = date_from_ymd(1899, 12, 30) + (int32_t)floor(d);
			char out[11];

			if (d < 61)
				day++;
			date_format(day, out);
			return xstrdup(out);
		}
		if (d == floor(d) && fabs(d) < 1e15)
			snprintf(buf, sizeof buf, "%.0f", d);
		else
			snprintf(buf, sizeof buf, "%.15g", d);
		return xstrdup(buf);
	}
	return xstrdup(v);	/* str, inlineStr, e */
}

static void
emit_row(struct sheet_ctx *c)
{
	struct xlsx_sheet *o = c->out;
	int any = 0;

	for (size_t i = 0; i < c->ncells; i++)
		any |= c->cells[i].v[0] != '\0';
	if (!any)
		goto done;
	if (!c->header_done) {
		/* header: the non-empty cells, in column order */
		for (size_t i = 0; i < c->ncells; i++) {
			if (c->cells[i].v[0] == '\0')
				continue;
			o->col = xrealloc(o->col, ((size_t)o->ncols + 1) * sizeof *o->col);
			o->col[o->ncols] = c->cells[i].col;
			if (o->ncols++)
				sb_putc(&o->csv, ',');
			sb_csv_field(&o->csv, c->cells[i].v);
		}
		c->header_done = 1;
	} else {
		for (int k = 0; k < o->ncols; k++) {
			const char *v = "";

			for (size_t i = 0; i < c->ncells; i++)
				if (c->cells[i].col == o->col[k])
					v = c->cells[i].v;
			if (k)
				sb_putc(&o->csv, ',');
			sb_csv_field(&o->csv, v);
		}
	}
	sb_putc(&o->csv, '\n');
	o->nlines++;
	o->row = xrealloc(o->row, (o->nlines + 1) * sizeof *o->row);
	o->row[o->nlines] = c->rownum;
done:
	for (size_t i = 0; i < c->ncells; i++)
		free(c->cells[i].v);
	c->ncells = 0;
}

static void
sh_start(void *ud, const char *el, const char **a)
{
	struct sheet_ctx *c = ud;
	const char *l = local(el), *v;

	if (strcmp(l, "row") == 0) {
		c->ncells = 0;
		c->rownum = (v = attr(a, "r")) ? atol(v) : c->rownum + 1;
	} else if (strcmp(l, "c") == 0) {
		int last = c->ncells ? c->cells[c->ncells - 1].col : -1;

		c->ccol = (v = attr(a, "r")) ? ref_col(v) : last + 1;
		if (c->ccol < 0 || c->ccol >= MAX_COLS)
			c->ccol = last + 1;
		snprintf(c->ctype, sizeof c->ctype, "%s", (v = attr(a, "t")) ? v : "");
		c->cstyle = (v = attr(a, "s")) ? atoi(v) : -1;
		sb_reset(&c->val);
	} else if (strcmp(l, "v") == 0)
		c->in_v = 1;
	else if (strcmp(l, "t") == 0)
		c->in_t = 1;
}

static void
sh_end(void *ud, const char *el)
{
	struct sheet_ctx *c = ud;
	const char *l = local(el);

	if (strcmp(l, "v") == 0)
		c->in_v = 0;
	else if (strcmp(l, "t") == 0)
		c->in_t = 0;
	else if (strcmp(l, "c") == 0) {
		grow(&c->cells, &c->cap, c->ncells + 1, sizeof *c->cells);
		c->cells[c->ncells].col = c->ccol;
		c->cells[c->ncells++].v = cell_text(c);
	} else if (strcmp(l, "row") == 0)
		emit_row(c);
}

static void
sh_text(void *ud, const char *s, int len)
{
	struct sheet_ctx *c = ud;

	if (c->in_v || c->in_t)
		sb_putn(&c->val, s, (size_t)len);
}

int
xlsx_is_path(const char *path)
{
	size_t n = strlen(path);

	return n > 5 && strcasecmp(path + n - 5, ".xlsx") == 0;
}

static int
bad(struct err *e, const char *path, const char *what)
{
	return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s",
	    TR("không phải tệp Excel (.xlsx) đọc được", "not a readable Excel "
	    "(.xlsx) workbook"), what);
}

/* The first sheet of the open package z (closed here); path names it. */
static int
read_first(zip_t *z, const char *path, struct xlsx_sheet *out, struct err *e)
{
	struct book b = { 0 };
	struct strings ss = { 0 };
	struct styles st = { 0 };
	struct sheet_ctx c = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	if ((buf = part(z, "xl/workbook.xml", &len)) == NULL ||
	    parse(buf, len, &b, book_start, no_end, NULL) != 0 || !b.found) {
		bad(e, path, "xl/workbook.xml");
		goto out;
	}
	snprintf(out->name, sizeof out->name, "%s", b.name);
	free(buf);
	if ((buf = part(z, "xl/_rels/workbook.xml.rels", &len)) == NULL ||
	    parse(buf, len, &b, rels_start, no_end, NULL) != 0 || !b.target[0]) {
		bad(e, path, "xl/_rels/workbook.xml.rels");
		goto out;
	}
	free(buf);
	sb_init(&ss.cur);
	if ((buf = part(z, "xl/sharedStrings.xml", &len)) != NULL &&
	    parse(buf, len, &ss, ss_start, ss_end, ss_text) != 0) {
		bad(e, path, "xl/sharedStrings.xml");
		goto out;
	}
	free(buf);
	if ((buf = part(z, "xl/styles.xml", &len)) != NULL &&
	    parse(buf, len, &st, st_start, st_end, NULL) != 0) {
		bad(e, path, "xl/styles.xml");
		goto out;
	}
	free(buf);
	c.out = out;
	c.ss = &ss;
	c.st = &st;
	sb_init(&c.val);
	if ((buf = part(z, b.target, &len)) == NULL ||
	    parse(buf, len, &c, sh_start, sh_end, sh_text) != 0) {
		bad(e, path, b.target);
		goto out;
	}
	if (!c.header_done) {
		err_at(e, ERR_USER, path, 0, 0, NULL, "%s '%s'",
		    TR("trang tính trống", "empty sheet"), out->name);
		goto out;
	}
	rc = 0;
out:
	free(buf);
	for (size_t i = 0; i < ss.n; i++)
		free(ss.s[i]);
	for (size_t i = 0; i < c.ncells; i++)
		free(c.cells[i].v);
	free(c.cells);
	free(ss.s);
	sb_free(&ss.cur);
	sb_free(&c.val);
	free(st.date);
	zip_close(z);
	if (rc != 0)
		xlsx_sheet_free(out);
	return rc;
}

static void
sheet_init(struct xlsx_sheet *out)
{
	memset(out, 0, sizeof *out);
	sb_init(&out->csv);
	out->row = xcalloc(1, sizeof *out->row);
}

int
xlsx_read_first(const char *path, struct xlsx_sheet *out, struct err *e)
{
	int zerr = 0;
	zip_t *z;

	sheet_init(out);
	if (zip_lib_load(e) != 0) {
		xlsx_sheet_free(out);
		return -1;
	}
	if ((z = zip_open(path, ZIP_RDONLY, &zerr)) == NULL) {
		xlsx_sheet_free(out);
		return bad(e, path, TR("không mở được gói zip",
		    "cannot open it as a zip package"));
	}
	return read_first(z, path, out, e);
}

int
xlsx_read_buffer(const void *data, size_t len, const char *name,
    struct xlsx_sheet *out, struct err *e)
{
	zip_error_t ze;
	zip_source_t *src;
	zip_t *z = NULL;

	sheet_init(out);
	if (zip_lib_load(e) != 0) {
		xlsx_sheet_free(out);
		return -1;
	}
	zip_error_init(&ze);
	if (len > 0 && (src = zip_source_buffer_create(data, len, 0, &ze)) != NULL &&
	    (z = zip_open_from_source(src, ZIP_RDONLY, &ze)) == NULL)
		zip_source_free(src);
	zip_error_fini(&ze);
	if (z == NULL) {
		xlsx_sheet_free(out);
		return bad(e, name, TR("không mở được gói zip",
		    "cannot open it as a zip package"));
	}
	return read_first(z, name, out, e);
}

void
xlsx_sheet_free(struct xlsx_sheet *s)
{
	sb_free(&s->csv);
	free(s->row);
	free(s->col);
	s->row = NULL;
	s->col = NULL;
}

/* "D" for column 3. */
static void
col_name(int col, char *out)
{
	char tmp[8];
	int n = 0;

	for (col++; col > 0 && n < 7; col = (col - 1) / 26)
		tmp[n++] = (char)('A' + (col - 1) % 26);
	for (int i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

void
xlsx_locate(const struct xlsx_sheet *s, const char *file,
    struct import_report *rep)
{
	for (int i = 0; i < rep->nerr; i++) {
		struct err *e = &rep->errs[i];
		char cell[16] = "";
		long row = e->line > 0 && (size_t)e->line <= s->nlines ?
		    s->row[e->line] : 0;

		if (e->col > 0 && e->col <= s->ncols)
			col_name(s->col[e->col - 1], cell);
		if (row > 0)
			snprintf(e->file, sizeof e->file, "%s:%s!%s%ld", file,
			    s->name, cell, row);
		else
			snprintf(e->file, sizeof e->file, "%s:%s", file, s->name);
		e->line = 0;
		e->col = 0;
	}
}
