/*
 * import-xlsx-write.c: a typed table as an XLSX workbook (see
 * import-xlsx-write.h), with libxlsxwriter. Used by `thidua export KIND
 * --format xlsx` and the API's list downloads (GET
 * /api/v1/{kind}?format=xlsx).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>
#include <xlsxwriter.h>

#include "import.h"
#include "import-kinds.h"
#include "util.h"
#include "import-xlsx-write.h"
#include "import-xlsx-lib.h"

struct xlsx_table {
	lxw_workbook		*wb;
	lxw_worksheet		*ws;
	lxw_format		*bold, *date, *text;
	const struct col	*cols;
	int			 ncols;
	lxw_row_t		 row;
	char			 path[4096];
};

/* How a column's values are written: as numbers, dates or text. */
enum cell_kind { CK_TEXT, CK_NUMBER, CK_DATE };

static const struct { enum col_type t; enum cell_kind k; } cell_of[] = {
	{ CT_INT, CK_NUMBER }, { CT_NUM, CK_NUMBER }, { CT_YEAR, CK_NUMBER },
	{ CT_BOOL, CK_NUMBER }, { CT_DATE, CK_DATE },
};

static enum cell_kind
kind_of(enum col_type t)
{
	for (size_t i = 0; i < sizeof cell_of / sizeof cell_of[0]; i++)
		if (cell_of[i].t == t)
			return cell_of[i].k;
	return CK_TEXT;
}

/*
 * A workbook at path; constant: libxlsxwriter's constant_memory mode (each
 * row goes to a temporary file as soon as the next begins, strings inline
 * rather than in a shared table), for downloads of any length: after a
 * sheet of 180,000 verdicts (1M people) the server kept 372 MB resident
 * without it, 213 MB with it.
 */
static struct xlsx_table *
table_open(const char *path, const char *sheet, const struct col *cols,
    int ncols, int constant, struct err *e)
{
	struct xlsx_table *t;
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE };
	lxw_workbook *wb;

	if (xlsxw_lib_load(e) != 0)
		return NULL;
	wb = constant ? workbook_new_opt(path, &opt) : workbook_new(path);
	if (wb == NULL) {
		err_at(e, ERR_USER, path, 0, 0, NULL, "%s", TR(
		    "không tạo được tệp XLSX", "cannot create the XLSX file"));
		return NULL;
	}
	t = xcalloc(1, sizeof *t);
	t->wb = wb;
	t->ws = workbook_add_worksheet(wb, sheet);
	t->bold = workbook_add_format(wb);
	format_set_bold(t->bold);
	t->date = workbook_add_format(wb);
	format_set_num_format(t->date, "yyyy-mm-dd");
	t->text = workbook_add_format(wb);
	format_set_num_format(t->text, "@");
	t->cols = cols;
	t->ncols = ncols;
	snprintf(t->path, sizeof t->path, "%s", path);
	for (int c = 0; c < ncols; c++) {
		worksheet_write_string(t->ws, 0, (lxw_col_t)c, cols[c].name, t->bold);
		worksheet_set_column(t->ws, (lxw_col_t)c, (lxw_col_t)c,
		    kind_of(cols[c].type) == CK_TEXT ? 18 : 12, NULL);
	}
	worksheet_freeze_panes(t->ws, 1, 0);
	t->row = 1;
	return t;
}

struct xlsx_table *
xlsx_table_open(const char *path, const char *sheet, const struct col *cols,
    int ncols, struct err *e)
{
	return table_open(path, sheet, cols, ncols, 0, e);
}

struct xlsx_table *
xlsx_table_open_long(const char *path, const char *sheet,
    const struct col *cols, int ncols, struct err *e)
{
	return table_open(path, sheet, cols, ncols, 1, e);
}

/* A value as a whole number of a column written as numbers? */
static int
as_number(const char *v, double *d)
{
	char *end;

	if (*v == '\0' || strchr(" \t+", *v) != NULL)
		return 0;
	*d = strtod(v, &end);
	return *end == '\0';
}

void
xlsx_table_row(struct xlsx_table *t, const char *const *vals)
{
	for (int c = 0; c < t->ncols; c++) {
		const char *v = vals[c];
		lxw_col_t col = (lxw_col_t)c;
		int y, m, d;
		double n;

		if (v == NULL || *v == '\0')
			continue;
		switch (kind_of(t->cols[c].type)) {
		case CK_NUMBER:
			if (as_number(v, &n)) {
				worksheet_write_number(t->ws, t->row, col, n, NULL);
				continue;
			}
			break;
		case CK_DATE:
			if (strlen(v) == 10 && sscanf(v, "%4d-%2d-%2d", &y, &m,
			    &d) == 3 && y >= 1900) {
				lxw_datetime dt = { y, m, d, 0, 0, 0 };

				worksheet_write_datetime(t->ws, t->row, col, &dt,
				    t->date);
				continue;
			}
			break;
		case CK_TEXT:
			break;
		}
		worksheet_write_string(t->ws, t->row, col, v, t->text);
	}
	t->row++;
}

int
xlsx_table_close(struct xlsx_table *t, struct err *e)
{
	lxw_error rc = workbook_close(t->wb);
	int ret = 0;

	if (rc != LXW_NO_ERROR)
		ret = err_at(e, ERR_USER, t->path, 0, 0, NULL, "%s: %s",
		    TR("không ghi được tệp XLSX", "cannot write the XLSX file"),
		    lxw_strerror(rc));
	free(t);
	return ret;
}

static int
table_row(void *arg, const char *const *vals)
{
	xlsx_table_row(arg, vals);
	return 0;
}

int
export_kind_xlsx(struct store *st, const struct kind *k, const char *path,
    struct err *e)
{
	struct xlsx_table *t = xlsx_table_open(path, k->name, k->cols,
	    k->ncols, e);
	struct err ignore;

	if (t == NULL)
		return -1;
	if (k->export(st, table_row, t, e) != 0) {
		xlsx_table_close(t, &ignore);
		return -1;
	}
	return xlsx_table_close(t, e);
}

/* xlsx_from_csv's state between libcsv's callbacks. */
struct from_csv {
	struct xlsx_table	*t;
	const char		*path, *sheet;
	struct col		*cols;		/* the header's names, malloc'd */
	char			**vals;		/* the current row, malloc'd */
	int			 nvals, capvals, ncols;
	long			 rows;		/* written, with the header */
	int			 failed;
	struct err		*e;
};

static void
fc_field(void *s, size_t len, void *data)
{
	struct from_csv *f = data;

	if (f->nvals == f->capvals) {
		f->capvals = f->capvals ? 2 * f->capvals : 16;
		f->vals = xrealloc(f->vals, (size_t)f->capvals * sizeof *f->vals);
	}
	f->vals[f->nvals] = xmalloc(len + 1);
	if (len)
		memcpy(f->vals[f->nvals], s, len);
	f->vals[f->nvals++][len] = '\0';
}

static void
fc_row(int ch, void *data)
{
	struct from_csv *f = data;

	(void)ch;
	if (f->failed) {
		/* keep nothing once failed */
	} else if (f->t == NULL) {
		f->ncols = f->nvals;
		f->cols = xcalloc((size_t)(f->ncols ? f->ncols : 1), sizeof *f->cols);
		for (int i = 0; i < f->ncols; i++) {
			f->cols[i].name = f->vals[i];
			f->cols[i].type = CT_TEXT;
			f->vals[i] = NULL;	/* now the header's */
		}
		if ((f->t = xlsx_table_open_long(f->path, f->sheet, f->cols,
		    f->ncols, f->e)) == NULL)
			f->failed = 1;
		f->rows = 1;
	} else if (++f->rows > XLSX_MAX_ROWS) {
		err_at(f->e, ERR_USER, f->path, 0, 0, NULL, "%s (%d)", TR(
		    "nhiều dòng hơn một trang tính chứa được; lọc bớt hoặc tải CSV",
		    "more rows than a sheet holds; narrow the list or download CSV"),
		    XLSX_MAX_ROWS);
		f->failed = 1;
	} else {
		while (f->nvals < f->ncols)	/* a short row: empty cells */
			fc_field(NULL, 0, f);
		xlsx_table_row(f->t, (const char *const *)f->vals);
	}
	for (int i = 0; i < f->nvals; i++)
		free(f->vals[i]);
	f->nvals = 0;
}

int
xlsx_from_csv(FILE *csv, const char *path, const char *sheet, struct err *e)
{
	struct from_csv f = { .path = path, .sheet = sheet, .e = e };
	struct csv_parser cp;
	struct err ignore;
	char buf[65536];
	size_t n;
	int rc = 0;

	if (fseek(csv, 0, SEEK_SET) != 0 || csv_init(&cp, CSV_STRICT |
	    CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return err_set(e, ERR_SYSTEM, "%s", TR("không đọc được CSV tạm",
		    "cannot read the temporary CSV"));
	while (!f.failed && (n = fread(buf, 1, sizeof buf, csv)) > 0)
		if (csv_parse(&cp, buf, n, fc_field, fc_row, &f) != n)
			rc = -1;
	if (rc == 0 && !f.failed && (ferror(csv) ||
	    csv_fini(&cp, fc_field, fc_row, &f) != 0))
		rc = -1;
	csv_free(&cp);
	if (rc != 0 && !f.failed)
		err_set(e, ERR_USER, "%s", TR("CSV sai định dạng (dấu ngoặc kép)",
		    "malformed CSV (quotes)"));
	if (f.t == NULL && rc == 0 && !f.failed) {	/* empty: a header-less sheet */
		if ((f.t = xlsx_table_open_long(path, sheet, NULL, 0, e)) == NULL)
			f.failed = 1;
	}
	if (f.t != NULL) {
		if (rc != 0 || f.failed)
			xlsx_table_close(f.t, &ignore);
		else
			rc = xlsx_table_close(f.t, e);
	}
	for (int i = 0; i < f.nvals; i++)
		free(f.vals[i]);
	free(f.vals);
	for (int i = 0; i < f.ncols; i++)
		free((char *)f.cols[i].name);
	free(f.cols);
	return rc != 0 || f.failed ? -1 : 0;
}
