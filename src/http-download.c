/*
 * http-download.c: a report's rows as a download. A GET route whose block
 * in http-routes.c names .rows (the member of its JSON document holding
 * an array of objects) also answers ?format=csv|xlsx: the handler runs as
 * usual, then http_rows_download turns that array into a CSV file or a
 * one-sheet XLSX workbook (libxlsxwriter, through import-xlsx-write.h),
 * so every list the web app shows can be downloaded as the server has it.
 * Columns are the objects' members in the order first seen; a nested
 * object gives one column per member ("name.vi"); a list of plain values
 * is joined with "; ", a list of objects by their "text" members (else
 * as compact JSON). A column whose values are all JSON numbers is written
 * as numbers in the workbook.
 * POST /api/v1/xlsx (h_rows_xlsx) is the same for a table the web app
 * builds from several answers (the rating grid, a subject's history): the
 * page sends the rows it shows as CSV and gets them back as a workbook.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http.h"
#include "import-kinds.h"
#include "import-xlsx-write.h"
#include "util.h"

#define A(m) offsetof(struct args, m)

const struct field http_format_fields[] = {
	{ "format", V_STR, 0, 1, 8, A(format),
	    "download the list's rows: csv or xlsx" },
	FIELD_END
};

/* The table being built: columns, then rows of cells (NULL: empty). */
struct rows {
	struct col	*cols;		/* names malloc'd */
	int		*num;		/* a column's values are all numbers */
	int		 ncols, capcols;
	char		***row;		/* row[i][c]: malloc'd, rowlen[i] cells */
	int		*rowlen;
	size_t		 nrows;
};

static int
column(struct rows *t, const char *name)
{
	for (int c = 0; c < t->ncols; c++)
		if (strcmp(t->cols[c].name, name) == 0)
			return c;
	if (t->ncols == t->capcols) {
		t->capcols = t->capcols ? 2 * t->capcols : 16;
		t->cols = xrealloc(t->cols, (size_t)t->capcols * sizeof *t->cols);
		t->num = xrealloc(t->num, (size_t)t->capcols * sizeof *t->num);
	}
	memset(&t->cols[t->ncols], 0, sizeof t->cols[0]);
	t->cols[t->ncols].name = xstrdup(name);
	t->cols[t->ncols].type = CT_TEXT;
	t->num[t->ncols] = 1;
	return t->ncols++;
}

/* A plain JSON value as text into out (nothing for null). */
static void
scalar(const json_t *v, struct sb *out)
{
	if (json_is_string(v))
		sb_puts(out, json_string_value(v));
	else if (json_is_integer(v))
		sb_printf(out, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		sb_printf(out, "%.15g", json_real_value(v));
	else if (json_is_boolean(v))
		sb_puts(out, json_is_true(v) ? "true" : "false");
	else if (!json_is_null(v)) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15));

		sb_puts(out, s ? s : "");
		free(s);
	}
}

/* Set cell (name) of the current row to v, flattening objects. */
static void
put(struct rows *t, char ***cells, int *len, const char *name, const json_t *v)
{
	struct sb s;
	int c;

	if (json_is_object(v)) {
		const char *k;
		json_t *x;

		json_object_foreach((json_t *)v, k, x) {
			char sub[256];

			snprintf(sub, sizeof sub, "%s.%s", name, k);
			put(t, cells, len, sub, x);
		}
		return;
	}
	if (json_is_null(v))
		return;
	c = column(t, name);
	if (!json_is_number(v))
		t->num[c] = 0;
	sb_init(&s);
	if (json_is_array(v)) {
		size_t i;
		json_t *x;

		json_array_foreach(v, i, x) {
			const json_t *text = json_is_object(x) ?
			    json_object_get(x, "text") : NULL;

			if (i)
				sb_puts(&s, "; ");
			scalar(text != NULL ? text : x, &s);
		}
	} else
		scalar(v, &s);
	if (c >= *len) {
		*cells = xrealloc(*cells, (size_t)(c + 1) * sizeof **cells);
		memset(*cells + *len, 0, (size_t)(c + 1 - *len) * sizeof **cells);
		*len = c + 1;
	}
	free((*cells)[c]);
	(*cells)[c] = s.s != NULL ? s.s : xstrdup("");
}

static void
rows_free(struct rows *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		for (int c = 0; c < t->rowlen[i]; c++)
			free(t->row[i][c]);
		free(t->row[i]);
	}
	free(t->row);
	free(t->rowlen);
	for (int c = 0; c < t->ncols; c++)
		free((char *)t->cols[c].name);
	free(t->cols);
	free(t->num);
}

static const char xlsx_type[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/* The last fixed segment of the route's path: the file's name. */
static void
file_name(struct req *r, const struct route *rt)
{
	const char *p = rt->path, *name = p;

	for (const char *s = p; *s; s++)
		if (*s == '/' && s[1] != '{' && s[1] != '\0')
			name = s + 1;
	snprintf(r->filename, sizeof r->filename, "%.*s.%s",
	    (int)strcspn(name, "/"), name, r->a.format);
}

static int
write_csv(struct req *r, const struct rows *t)
{
	sb_reset(&r->out);
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			sb_putc(&r->out, ',');
		sb_csv_field(&r->out, t->cols[c].name);
	}
	sb_puts(&r->out, "\r\n");
	for (size_t i = 0; i < t->nrows; i++) {
		for (int c = 0; c < t->ncols; c++) {
			if (c)
				sb_putc(&r->out, ',');
			if (c < t->rowlen[i] && t->row[i][c] != NULL)
				sb_csv_field(&r->out, t->row[i][c]);
		}
		sb_puts(&r->out, "\r\n");
	}
	r->ctype = "text/csv; charset=utf-8";
	return 200;
}

static int
write_xlsx(struct req *r, struct rows *t, const char *sheet)
{
	char path[4096];
	const char **vals;
	struct xlsx_table *x;
	int rc;

	for (int c = 0; c < t->ncols; c++)
		if (t->num[c])
			t->cols[c].type = CT_NUM;
	if (http_temp_file(r, "rows", path, sizeof path) != 0)
		return -1;
	if ((x = xlsx_table_open_long(path, sheet, t->cols, t->ncols, &r->e)) == NULL)
		return http_send_temp(r, path, -1, xlsx_type);
	vals = xcalloc((size_t)(t->ncols ? t->ncols : 1), sizeof *vals);
	for (size_t i = 0; i < t->nrows; i++) {
		for (int c = 0; c < t->ncols; c++)
			vals[c] = c < t->rowlen[i] ? t->row[i][c] : NULL;
		xlsx_table_row(x, vals);
	}
	free(vals);
	rc = xlsx_table_close(x, &r->e);
	sb_reset(&r->out);
	return http_send_temp(r, path, rc, xlsx_type);
}

int
http_rows_download(struct req *r, const struct route *rt)
{
	struct rows t;
	json_error_t je;
	json_t *doc, *list;
	size_t i;
	json_t *v;
	int rc;

	if (strcmp(r->a.format, "csv") != 0 && strcmp(r->a.format, "xlsx") != 0) {
		sb_reset(&r->out);
		return http_error(r, 400, "bad_input", "format", "%s '%s'",
		    TR("định dạng không hỗ trợ (csv, xlsx)",
		    "unsupported format (csv, xlsx)"), r->a.format);
	}
	if ((doc = json_loadb(r->out.s, r->out.len, 0, &je)) == NULL)
		return err_set(&r->e, ERR_SYSTEM, "%s: %s", TR(
		    "tài liệu JSON của danh sách hỏng", "the list's JSON document "
		    "is broken"), je.text);
	list = *rt->rows ? json_object_get(doc, rt->rows) : doc;
	memset(&t, 0, sizeof t);
	if (json_is_array(list)) {
		t.row = xcalloc(json_array_size(list) + 1, sizeof *t.row);
		t.rowlen = xcalloc(json_array_size(list) + 1, sizeof *t.rowlen);
		json_array_foreach(list, i, v) {
			if (json_is_object(v)) {
				const char *k;
				json_t *x;

				json_object_foreach(v, k, x)
					put(&t, &t.row[t.nrows], &t.rowlen[t.nrows],
					    k, x);
			} else
				put(&t, &t.row[t.nrows], &t.rowlen[t.nrows],
				    "value", v);
			t.nrows++;
		}
	}
	json_decref(doc);
	file_name(r, rt);
	if (r->a.format[0] == 'c')
		rc = write_csv(r, &t);
	else {
		char sheet[32];

		snprintf(sheet, sizeof sheet, "%.*s", (int)strcspn(r->filename,
		    "."), r->filename);
		rc = write_xlsx(r, &t, sheet);
	}
	rows_free(&t);
	return rc;
}

int
h_rows_xlsx(struct req *r)
{
	char path[4096];
	FILE *f;
	int rc;

	if (r->csv != 1)
		return http_error(r, 415, "unsupported_media_type", NULL, "%s",
		    TR("cần Content-Type: text/csv", "Content-Type must be text/csv"));
	if (r->body.len == 0 || utf8_invalid_at(r->body.s, r->body.len) >= 0)
		return http_error(r, 400, "bad_input", NULL, "%s",
		    TR("cần một bảng CSV UTF-8 không rỗng",
		    "expected a non-empty UTF-8 CSV table"));
	snprintf(r->filename, sizeof r->filename, "%s.xlsx",
	    r->a.name != NULL ? r->a.name : "table");
	if ((f = fmemopen(r->body.s, r->body.len, "r")) == NULL)
		return err_set(&r->e, ERR_SYSTEM, "%s", TR("không đọc được nội dung",
		    "cannot read the body"));
	if (http_temp_file(r, "table", path, sizeof path) != 0) {
		fclose(f);
		return -1;
	}
	rc = xlsx_from_csv(f, path, "table", &r->e);
	fclose(f);
	return http_send_temp(r, path, rc, xlsx_type);
}
