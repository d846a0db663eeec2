/*
 * award-xlsx.c: XLSX workbooks of decisions and award statistics (see
 * award-xlsx.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "award-pdf.h"
#include "rules.h"
#include "store-award.h"
#include "util.h"
#include "award-xlsx.h"
#include "import-xlsx-lib.h"

static int
close_book(lxw_workbook *wb, const char *path, struct err *e)
{
	lxw_error rc = workbook_close(wb);

	if (rc != LXW_NO_ERROR)
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s",
		    TR("không ghi được tệp XLSX", "cannot write the XLSX file"),
		    lxw_strerror(rc));
	return 0;
}

static lxw_workbook *
open_book(const char *path, lxw_format **bold, struct err *e)
{
	lxw_workbook *wb;

	if (xlsxw_lib_load(e) != 0)
		return NULL;
	if ((wb = workbook_new(path)) == NULL) {
		err_at(e, ERR_USER, path, 0, 0, NULL, "%s", TR(
		    "không tạo được tệp XLSX", "cannot create the XLSX file"));
		return NULL;
	}
	*bold = workbook_add_format(wb);
	format_set_bold(*bold);
	return wb;
}

static void
header_row(lxw_worksheet *ws, int row, const char *const *h, int n,
    lxw_format *bold)
{
	for (int c = 0; c < n; c++)
		worksheet_write_string(ws, row, c, h[c], bold);
}

int
xlsx_decision(const struct doc_decision *d, const char *path, struct err *e)
{
	static const char *const h[] = { "TT", "Mã", "Họ và tên / Tập thể",
	    "Đơn vị", "Hình thức", "Số tiền (đồng)" };
	lxw_format *bold;
	lxw_workbook *wb = open_book(path, &bold, e);
	lxw_worksheet *ws;
	char title[512];
	int64_t total = 0;
	size_t i;

	if (wb == NULL)
		return -1;
	ws = workbook_add_worksheet(wb, "Danh sách");
	snprintf(title, sizeof title, "Danh sách kèm theo Quyết định số %s "
	    "ngày %s: %s năm %d", d->number, d->date, d->award_name, d->year);
	worksheet_write_string(ws, 0, 0, title, bold);
	header_row(ws, 2, h, 6, bold);
	for (i = 0; i < d->n; i++) {
		int r = (int)i + 3;

		worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
		worksheet_write_string(ws, r, 1, d->r[i].code, NULL);
		worksheet_write_string(ws, r, 2, d->r[i].name, NULL);
		worksheet_write_string(ws, r, 3, d->r[i].unit_name, NULL);
		worksheet_write_string(ws, r, 4, d->award_name, NULL);
		worksheet_write_number(ws, r, 5, (double)d->r[i].amount, NULL);
		total += d->r[i].amount;
	}
	worksheet_write_string(ws, (int)d->n + 3, 2, "Tổng cộng", bold);
	worksheet_write_number(ws, (int)d->n + 3, 5, (double)total, bold);
	worksheet_set_column(ws, 2, 4, 32, NULL);
	worksheet_set_column(ws, 5, 5, 16, NULL);
	return close_book(wb, path, e);
}

/* ---- the awards report ---- */

struct cell { char unit[AWARD_CODE]; char unit_name[AWARD_NAME];
	char award[AWARD_CODE]; int year; long n; };
struct tally {
	lxw_worksheet	*list;
	int		 year, row;
	struct cell	*by_unit;	/* (unit, award) of `year` */
	size_t		 nu, cu;
	struct cell	*by_year;	/* (year, award) */
	size_t		 ny, cy;
};

static void
bump(struct cell **v, size_t *n, size_t *cap, const char *unit,
    const char *unit_name, const char *award, int year)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].year == year && strcmp((*v)[i].award, award) == 0 &&
		    strcmp((*v)[i].unit, unit) == 0) {
			(*v)[i].n++;
			return;
		}
	grow(v, cap, *n + 1, sizeof **v);
	memset(&(*v)[*n], 0, sizeof **v);
	snprintf((*v)[*n].unit, AWARD_CODE, "%s", unit);
	snprintf((*v)[*n].unit_name, AWARD_NAME, "%s", unit_name);
	snprintf((*v)[*n].award, AWARD_CODE, "%s", award);
	(*v)[*n].year = year;
	(*v)[(*n)++].n = 1;
}

static int
award_row(void *arg, const struct award_row *r)
{
	struct tally *t = arg;

	bump(&t->by_year, &t->ny, &t->cy, "", "", r->award, r->year);
	if (r->year != t->year)
		return 0;
	bump(&t->by_unit, &t->nu, &t->cu, r->s.unit, r->s.unit_name, r->award,
	    r->year);
	worksheet_write_number(t->list, t->row, 0, r->year, NULL);
	worksheet_write_string(t->list, t->row, 1, r->s.unit, NULL);
	worksheet_write_string(t->list, t->row, 2, r->s.unit_name, NULL);
	worksheet_write_string(t->list, t->row, 3, r->s.code, NULL);
	worksheet_write_string(t->list, t->row, 4, r->s.name, NULL);
	worksheet_write_string(t->list, t->row, 5, r->award, NULL);
	worksheet_write_string(t->list, t->row, 6, r->decision, NULL);
	worksheet_write_string(t->list, t->row, 7, r->date, NULL);
	t->row++;
	return 0;
}

static const char *
award_name(struct store *st, int year, const char *code, char *buf, size_t sz)
{
	struct award_info ai;
	struct err e;

	if (rules_award_info(st, year, code, &ai, &e) == 0)
		snprintf(buf, sz, "%s", ai.name_vi);
	else
		snprintf(buf, sz, "%s", code);
	return buf;
}

int
xlsx_awards(struct store *st, int year, int from, const char *path,
    struct err *e)
{
	static const char *const h1[] = { "Năm", "Mã đơn vị", "Đơn vị", "Mã",
	    "Họ và tên / Tập thể", "Hình thức", "Quyết định", "Ngày" };
	static const char *const h2[] = { "Mã đơn vị", "Đơn vị", "Hình thức",
	    "Tên hình thức", "Số lượng" };
	static const char *const h3[] = { "Năm", "Hình thức", "Tên hình thức",
	    "Số lượng" };
	struct tally t;
	lxw_format *bold;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char name[160];
	size_t i;
	int rc;

	if ((wb = open_book(path, &bold, e)) == NULL)
		return -1;
	memset(&t, 0, sizeof t);
	t.year = year;
	t.row = 1;
	t.list = workbook_add_worksheet(wb, "Danh sách");
	header_row(t.list, 0, h1, 8, bold);
	if (store_award_each(st, from, year, award_row, &t, e) != 0) {
		workbook_close(wb);
		remove(path);
		free(t.by_unit);
		free(t.by_year);
		return -1;
	}
	ws = workbook_add_worksheet(wb, "Theo đơn vị");
	header_row(ws, 0, h2, 5, bold);
	for (i = 0; i < t.nu; i++) {
		worksheet_write_string(ws, (int)i + 1, 0, t.by_unit[i].unit, NULL);
		worksheet_write_string(ws, (int)i + 1, 1, t.by_unit[i].unit_name,
		    NULL);
		worksheet_write_string(ws, (int)i + 1, 2, t.by_unit[i].award, NULL);
		worksheet_write_string(ws, (int)i + 1, 3, award_name(st, year,
		    t.by_unit[i].award, name, sizeof name), NULL);
		worksheet_write_number(ws, (int)i + 1, 4, (double)t.by_unit[i].n,
		    NULL);
	}
	ws = workbook_add_worksheet(wb, "Nhiều năm");
	header_row(ws, 0, h3, 4, bold);
	for (i = 0; i < t.ny; i++) {
		worksheet_write_number(ws, (int)i + 1, 0, t.by_year[i].year, NULL);
		worksheet_write_string(ws, (int)i + 1, 1, t.by_year[i].award, NULL);
		worksheet_write_string(ws, (int)i + 1, 2, award_name(st,
		    t.by_year[i].year, t.by_year[i].award, name, sizeof name),
		    NULL);
		worksheet_write_number(ws, (int)i + 1, 3, (double)t.by_year[i].n,
		    NULL);
	}
	rc = close_book(wb, path, e);
	free(t.by_unit);
	free(t.by_year);
	return rc;
}

static int
json_row(void *arg, const struct award_row *r)
{
	struct sb *o = arg;
	int first = o->s[o->len - 1] == '[';

	sb_puts(o, first ? "\n {\"subject\": " : ",\n {\"subject\": ");
	sb_json_str(o, r->s.code);
	sb_puts(o, ", \"name\": ");
	sb_json_str(o, r->s.name);
	sb_puts(o, ", \"unit\": ");
	sb_json_str(o, r->s.unit);
	sb_puts(o, ", \"award\": ");
	sb_json_str(o, r->award);
	sb_puts(o, ", \"decision\": ");
	sb_json_str(o, r->decision);
	sb_puts(o, ", \"date\": ");
	sb_json_str(o, r->date);
	sb_putc(o, '}');
	return 0;
}

int
awards_json(struct store *st, int year, struct sb *o, struct err *e)
{
	sb_printf(o, "{\"year\": %d, \"awards\": [", year);
	if (store_award_each(st, year, year, json_row, o, e) != 0)
		return -1;
	sb_puts(o, "]}");
	return 0;
}
