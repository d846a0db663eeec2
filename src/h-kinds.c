/*
 * h-kinds.c: the import kinds over HTTP.
 *  GET  /api/v1/{kind}: rows as JSON objects with the CSV's columns,
 *       paged (limit, offset) and filtered (unit subtree, year, award,
 *       from/to on the kind's date column); scoped roles see their
 *       subtree only.
 *  POST /api/v1/{kind}: an object, an array of objects, or a CSV body,
 *       imported all or nothing by the generic importer (import.h) on the
 *       writer thread; ?dry_run=1 validates only. Each row must lie in
 *       the caller's subtree (checked before and after the write, inside
 *       its transaction) and is recorded in the audit trail.
 *       A single record object ({"subject","metric","date","value"}) takes
 *       a fast path instead: validated here, written by point queries in
 *       the writer's group commit (the importer loads every code and runs
 *       its own transaction, too heavy for one row). Anything the fast
 *       path does not accept goes the general way, which explains why.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include <sodium.h>

#include "audit.h"
#include "codemap.h"
#include "http.h"
#include "import-kinds.h"
#include "import-xlsx-read.h"
#include "import-xlsx-write.h"
#include "import.h"
#include "store-auth.h"
#include "store-import.h"
#include "store-movement.h"
#include "store-unit.h"
#include "store.h"

/* The column that places a row in the unit tree, and how to read it. */
static int
scope_col(const struct kind *k, int *tag)
{
	static const struct { enum col_type t; int tag; } pref[] = {
		{ CT_SUBJECT, 'u' }, { CT_UNIT, 'u' }, { CT_PERSON, 'u' },
		{ CT_TASK, 't' }, { CT_PEOPLE, 'l' },
	};

	if (strcmp(k->name, "units") == 0) {
		*tag = 'u';
		return 0;	/* the unit's own code */
	}
	for (size_t p = 0; p < sizeof pref / sizeof pref[0]; p++)
		for (int c = 0; c < k->ncols; c++)
			if (k->cols[c].type == pref[p].t) {
				*tag = pref[p].tag;
				return c;
			}
	return -1;
}

/* Is the row inside root's subtree? 1, 0, or -1 with e set. */
static int
row_in(struct store *st, const struct kind *k, const char *const *vals,
    int64_t root, struct codemap *memo, struct err *e)
{
	int tag, c = scope_col(k, &tag);
	const char *v;

	if (c < 0)
		return 0;
	if ((v = vals[c]) == NULL)
		return 0;
	if (tag == 'l') {
		/* Any author inside makes the row visible/writable. */
		char buf[1024], *save, *p;

		snprintf(buf, sizeof buf, "%s", v);
		for (p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";", &save)) {
			int rc = auth_code_in(st, root, 'u', p, memo, e);

			if (rc != 0)
				return rc;
		}
		return 0;
	}
	return auth_code_in(st, root, tag, v, memo, e);
}

/*
 * The list filters that keep the rows whose column of that name holds the
 * code asked: award= (awards, pledges), movement= (targets, pledges; the
 * movements page asks one movement's targets, where it read the whole
 * table). A kind without the column: 400 naming the filter.
 */
static const struct code_filter {
	const char	*name;
	size_t		 off;		/* in struct args */
} code_filters[] = {
	{ "award", offsetof(struct args, award) },
	{ "movement", offsetof(struct args, movement) },
};
#define NCODE_FILTERS	(sizeof code_filters / sizeof code_filters[0])

/* The code a request asks of filter f, or NULL. */
static const char *
code_asked(const struct args *a, const struct code_filter *f)
{
	return *(const char *const *)(const void *)((const char *)a + f->off);
}

struct list_ctx {
	struct req		*r;
	const struct kind	*k;
	int64_t			 root;
	struct codemap		 memo;
	int			 year_col, date_col;
	int			 code_col[2];	/* code_filters' columns */
	int			 in_root;	/* the rows come from the store's
						   subtree query: each in it */
	int			 whole_col;	/* ≥ 0: the subtree holds every
						   unit, so a row is in it when
						   this column has a code */
	struct req_scope	 rs;		/* root's subtree as a filter */
	const struct scope_filter *sf;
	long			 total, n;
	struct sb		*out;
	struct err		*e;
	int			 csv;		/* download: every row as CSV */
	struct xlsx_table	*xlsx;		/* download: every row as XLSX */
};

/* Into kept (initialised), a list of person codes (a;b;c) with only
 * those in the subtree. 0, -1 with c->e set. */
static int
people_kept(struct list_ctx *c, const char *v, struct sb *kept)
{
	char buf[1024], *save, *p;
	int rc = 0;

	snprintf(buf, sizeof buf, "%s", v);
	for (p = strtok_r(buf, ";", &save); p && rc >= 0;
	    p = strtok_r(NULL, ";", &save))
		if ((rc = auth_code_in(c->r->st, c->root, 'u', p, &c->memo,
		    c->e)) == 1)
			sb_printf(kept, "%s%s", kept->len ? ";" : "", p);
	return rc < 0 ? -1 : 0;
}

/* The same list as a JSON string. */
static int
people_in(struct list_ctx *c, const char *v)
{
	struct sb kept;
	int rc;

	sb_init(&kept);
	if ((rc = people_kept(c, v, &kept)) == 0)
		sb_json_str(c->out, kept.len ? kept.s : "");
	sb_free(&kept);
	return rc;
}

/*
 * A download row as the caller may see it: for a scoped account, a list
 * of people (an innovation's authors) with only those in its subtree, as
 * the JSON list shows them (the whole list named people outside it). An
 * unscoped download (the admin's, ?unit= or not) keeps every author: it
 * is the file import reads back. 0, -1 with c->e set; kept holds what
 * vals now points into.
 */
static int
download_vals(struct list_ctx *c, const char **vals, struct sb *kept)
{
	for (int i = 0; i < c->k->ncols; i++) {
		if (c->r->scope_root == 0 || c->k->cols[i].type != CT_PEOPLE ||
		    vals[i] == NULL)
			continue;
		if (people_kept(c, vals[i], kept) != 0)
			return -1;
		vals[i] = kept->s;	/* (one such column per kind) */
	}
	return 0;
}

/* A list's lookups begin (the memo, and root's subtree as a filter). */
static void
list_begin(struct list_ctx *c)
{
	codemap_init(&c->memo);
	c->sf = req_subtree(c->r, c->root, &c->rs);
}

static void
list_end(struct list_ctx *c)
{
	codemap_free(&c->memo);
	req_scope_free(&c->rs);
	c->sf = NULL;
}

/*
 * row_in for a list: a row's subject, unit, person or authors asked of
 * the request's subtree filter (h-scope.c: one by one, then past 4,096
 * the whole subtree at once: a commander's list of a movement's 110,000
 * targets at a million people looked each up); a task's unit as row_in.
 */
static int
list_row_in(struct list_ctx *c, const char *const *vals)
{
	int tag, col = scope_col(c->k, &tag), rc;
	const char *v;

	if (c->sf == NULL || tag == 't' || col < 0)
		return row_in(c->r->st, c->k, vals, c->root, &c->memo, c->e);
	if ((v = vals[col]) == NULL)
		return 0;
	if (tag == 'l') {
		char buf[1024], *save, *p;

		snprintf(buf, sizeof buf, "%s", v);
		for (p = strtok_r(buf, ";", &save); p; p = strtok_r(NULL, ";",
		    &save))
			if ((rc = scope_keeps(c->sf, p, c->e)) != 0)
				return rc;
		return 0;
	}
	return scope_keeps(c->sf, v, c->e);
}

static int
list_row(void *arg, const char *const *vals)
{
	struct list_ctx *c = arg;
	const struct args *a = &c->r->a;
	const char *d = c->date_col >= 0 ? vals[c->date_col] : NULL;

	if (a->year) {
		const char *y = c->year_col >= 0 ? vals[c->year_col] : d;

		if (y == NULL || atoll(y) != a->year)
			return 0;
	}
	for (size_t f = 0; f < NCODE_FILTERS; f++) {
		const char *want = code_asked(a, &code_filters[f]), *v;

		if (want != NULL && ((v = vals[c->code_col[f]]) == NULL ||
		    strcmp(v, want) != 0))
			return 0;
	}
	if ((a->from || a->to) && (d == NULL || (a->from && strcmp(d, a->from) < 0) ||
	    (a->to && strcmp(d, a->to) > 0)))
		return 0;
	if (c->root && !c->in_root) {
		int rc = c->whole_col >= 0 ? vals[c->whole_col] != NULL :
		    list_row_in(c, vals);

		if (rc < 0)
			return -1;
		if (rc == 0)
			return 0;
	}
	if (c->csv || c->xlsx) {
		const char *v[64];
		struct sb kept;

		c->total++;
		if (c->k->ncols > (int)(sizeof v / sizeof v[0]))
			return err_set(c->e, ERR_SYSTEM, "%s: too many columns",
			    c->k->name);
		memcpy(v, vals, (size_t)c->k->ncols * sizeof *v);
		sb_init(&kept);
		if (download_vals(c, v, &kept) != 0) {
			sb_free(&kept);
			return -1;
		}
		if (c->xlsx)
			xlsx_table_row(c->xlsx, v);
		else {
			for (int i = 0; i < c->k->ncols; i++) {
				if (i)
					sb_putc(c->out, ',');
				sb_csv_field(c->out, v[i] ? v[i] : "");
			}
			sb_puts(c->out, "\r\n");
		}
		sb_free(&kept);
		return 0;
	}
	if (c->total++ < a->offset || c->n >= a->limit)
		return 0;
	if (c->n++)
		sb_putc(c->out, ',');
	sb_putc(c->out, '{');
	for (int i = 0, m = 0; i < c->k->ncols; i++) {
		if (vals[i] == NULL)
			continue;
		if (m++)
			sb_putc(c->out, ',');
		sb_json_str(c->out, c->k->cols[i].name);
		sb_putc(c->out, ':');
		if (c->root && c->k->cols[i].type == CT_PEOPLE) {
			if (people_in(c, vals[i]) != 0)
				return -1;
		} else
			sb_json_str(c->out, vals[i]);
	}
	sb_putc(c->out, '}');
	return 0;
}

static int
col_of(const struct kind *k, enum col_type t, const char *name)
{
	for (int c = 0; c < k->ncols; c++)
		if (k->cols[c].type == t && (name == NULL ||
		    strcmp(k->cols[c].name, name) == 0))
			return c;
	return -1;
}

static const char xlsx_type[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/*
 * The rows of c's subtree through the store's subtree query, when it has
 * one for the kind: 1 when not (nothing read). Those rows are each in the
 * subtree (the query's join is row_in's rule: the row's subject, unit,
 * person or an author, by the unit tree), so none is looked up again (a
 * commander's list at a million people looked up each of 110,000).
 */
static int
export_in_root(struct list_ctx *c)
{
	struct err ignored;	/* (the subtree looked up row by row then) */
	int64_t in, all;
	int rc, tag, col;

	c->in_root = 1;
	rc = store_export_unit(c->r->st, c->k->name, c->root,
	    (int)c->r->a.year, c->r->a.award, list_row, c, &c->r->e);
	c->in_root = 0;
	if (rc != 1)
		return rc;
	/*
	 * Scanned instead (a big subtree, or a kind the store has no subtree
	 * query for). When the subtree holds every unit (the root's: at a
	 * million people a root commander's or the root unit page's list of
	 * people took 3.2 s, looking up a million codes), a row whose column
	 * names a unit, or a subject or a person (each in a unit), is in it:
	 * none is looked up. (Not a task's unit, nor a list of authors.)
	 */
	col = scope_col(c->k, &tag);
	if (col >= 0 && tag == 'u' &&
	    store_subtree_units(c->r->st, c->root, &in, &all, &ignored) == 0 &&
	    in == all)
		c->whole_col = col;
	return 1;
}

/* Every row c's scope sees, through its subtree where the store can. */
static int
export_scoped(struct list_ctx *c)
{
	int rc = c->root ? export_in_root(c) : 1;

	return rc == 1 ? c->k->export(c->r->st, list_row, c, &c->r->e) : rc;
}

/*
 * ?format=csv|xlsx: every row the filters select (no paging) as a file
 * named after the kind, the same columns import reads.
 */
static int
list_download(struct req *r, struct list_ctx *c)
{
	char path[4096];
	struct err ignore;
	int rc;

	if (strcmp(r->a.format, "csv") != 0 && strcmp(r->a.format, "xlsx") != 0)
		return http_error(r, 400, "bad_input", "format", "%s '%s'",
		    TR("định dạng không hỗ trợ (csv, xlsx)",
		    "unsupported format (csv, xlsx)"), r->a.format);
	snprintf(r->filename, sizeof r->filename, "%s.%s", c->k->name,
	    r->a.format);
	list_begin(c);
	if (r->a.format[0] == 'c') {
		c->csv = 1;
		for (int i = 0; i < c->k->ncols; i++)
			sb_printf(&r->out, "%s%s", i ? "," : "", c->k->cols[i].name);
		sb_puts(&r->out, "\r\n");
		rc = export_scoped(c);
		list_end(c);
		if (rc != 0) {
			sb_reset(&r->out);
			return -1;
		}
		r->ctype = "text/csv; charset=utf-8";
		return 200;
	}
	if (http_temp_file(r, "list", path, sizeof path) != 0) {
		list_end(c);
		return -1;
	}
	if ((c->xlsx = xlsx_table_open(path, c->k->name, c->k->cols,
	    c->k->ncols, &r->e)) == NULL)
		rc = -1;
	else if ((rc = export_scoped(c)) != 0)
		xlsx_table_close(c->xlsx, &ignore);
	else
		rc = xlsx_table_close(c->xlsx, &r->e);
	list_end(c);
	return http_send_temp(r, path, rc, xlsx_type);
}

/*
 * The page of c's list, and its count, from the store (store_page) for
 * the subtree of unit (0: the whole organisation), when the store pages
 * the kind and filters (none on dates or a movement; the rest it takes
 * or refuses): 1 when not (nothing read). list_row writes the page's
 * rows from the first (c->total starts at the offset), none looked up
 * (each in the subtree: in_root).
 */
static int
list_page(struct list_ctx *c, int64_t unit)
{
	struct req *r = c->r;
	int64_t total;
	int rc;

	if (r->a.from || r->a.to || r->a.movement != NULL)
		return 1;
	c->total = (long)r->a.offset;
	c->in_root = unit != 0;
	rc = store_page(r->st, c->k->name, unit, (int)r->a.year, r->a.award,
	    r->a.offset, r->a.limit, list_row, c, &total, &r->e);
	c->in_root = 0;
	c->total = rc == 0 ? (long)total : 0;
	return rc;
}

int
h_kind_list(struct req *r)
{
	const struct kind *k = kind_find(r->param[0]);
	struct list_ctx c;
	int64_t unit;
	int rc;

	memset(&c, 0, sizeof c);
	c.whole_col = -1;
	c.r = r;
	c.k = k;
	c.out = &r->out;
	c.e = &r->e;
	c.root = r->scope_root;
	c.year_col = col_of(k, CT_YEAR, NULL);
	c.date_col = col_of(k, CT_DATE, NULL);
	for (size_t f = 0; f < NCODE_FILTERS; f++) {
		c.code_col[f] = col_of(k, CT_CODE, code_filters[f].name);
		if (code_asked(&r->a, &code_filters[f]) != NULL &&
		    c.code_col[f] < 0)
			return http_error(r, 400, "bad_input",
			    code_filters[f].name, "%s: %s", TR("không lọc được "
			    "theo cột này", "not a filter of"), k->name);
	}
	if (req_unit(r, &unit) != 0)
		return -1;
	if (unit != 0)
		c.root = unit;
	if (r->a.format != NULL)
		return list_download(r, &c);
	list_begin(&c);
	sb_puts(&r->out, "{\"items\":[");
	/* subject=: one subject's rows, through its index (not a scan) */
	rc = r->a.subject ? store_export_subject(r->st, k->name, r->a.subject,
	    list_row, &c, &r->e) : 1;
	if (rc == 1 && r->a.subject) {
		list_end(&c);
		sb_reset(&r->out);
		return http_error(r, 400, "bad_input", "subject", "%s: %s",
		    TR("không lọc được theo đối tượng", "not a filter of"),
		    k->name);
	}
	/* a unit's subtree (unit=, or the caller's scope): its rows only, a
	 * page of them where the store pages a subtree's list */
	if (rc == 1 && c.root)
		rc = list_page(&c, c.root);
	if (rc == 1 && c.root)
		rc = export_in_root(&c);
	/* the whole organisation's list (no subtree, or one that holds every
	 * unit): a page of it where the store pages the list, not every row
	 * read here */
	if (rc == 1 && (!c.root || c.whole_col >= 0))
		rc = list_page(&c, 0);
	/* year=: that year's rows through the key where the kind has one */
	if (rc == 1 && r->a.year)
		rc = store_export_year(r->st, k->name, (int)r->a.year,
		    r->a.award, list_row, &c, &r->e);
	if (rc == 1)
		rc = k->export(r->st, list_row, &c, &r->e);
	list_end(&c);
	if (rc != 0) {
		sb_reset(&r->out);
		return -1;
	}
	sb_printf(&r->out, "],\"total\":%ld,\"limit\":%lld,\"offset\":%lld,"
	    "\"next_offset\":", c.total, r->a.limit, r->a.offset);
	if (r->a.offset + c.n < c.total)
		sb_printf(&r->out, "%lld}", r->a.offset + c.n);
	else
		sb_puts(&r->out, "null}");
	return 200;
}

/* The request whose import the writer thread is running. */
static __thread struct req *tl_req;

static int
forbidden_row(struct err *e, const struct batch *b, size_t row, int col,
    const char *code)
{
	char f[64];

	snprintf(f, sizeof f, "[%zu].%s", row, b->kind->cols[col].name);
	return err_at(e, ERR_FORBIDDEN, NULL, 0, 0, f, "%s '%s'",
	    TR("ngoài phạm vi đơn vị của bạn", "outside your unit's subtree"),
	    code ? code : "");
}

/* The key column naming the row's own entity (units, people, tasks), or -1. */
static int
entity_col(const struct kind *k)
{
	for (int c = 0; c < k->ncols; c++)
		if (k->cols[c].type == CT_CODE && (k->cols[c].flags & COL_KEY))
			return c;
	return -1;
}

/*
 * Rows whose column col names something already stored (how: 's' a unit
 * or person, 't' a task, 0 skip) must find it inside root's subtree.
 */
static int
pre_check(struct store *st, const struct batch *b, int col, int how,
    int64_t root, struct err *e)
{
	int64_t unit;
	int rc;

	if (col < 0 || how == 0)
		return 0;
	for (size_t i = 0; i < b->nrows; i++) {
		const char *v = batch_val(b, i, col);

		if (v == NULL)
			continue;
		rc = how == 't' ? store_auth_task_unit(st, v, &unit, e) :
		    store_auth_subject_unit(st, v, &unit, e);
		if (rc < 0)
			return -1;
		if (rc == 1 && (rc = auth_unit_in(st, root, unit, e)) != 1)
			return rc < 0 ? -1 : forbidden_row(e, b, i, col, v);
	}
	return 0;
}

/*
 * Rows only the administrator may write, whatever the caller's scope: a
 * rating the council voted or `rate` derived from a movement's scores is
 * not overwritten by a lower role's import (as stored or as sent).
 */
static const struct guard {
	const char		*kind, *col;
	const char *const	*values;
	const char		*vi, *en;
} guards[] = {
	{ "ratings", "source", (const char *const[]){ "council", "movement",
	    NULL }, "xếp loại do hội đồng hoặc phong trào đặt: chỉ quản trị "
	    "viên sửa", "a rating set by the council or a movement: only an "
	    "administrator changes it" },
};

static int
guarded(const struct guard *g, const char *v)
{
	for (const char *const *p = g->values; v && *p; p++)
		if (strcmp(*p, v) == 0)
			return 1;
	return 0;
}

/*
 * GET /api/v1/me's "locked": for each guard the role does not pass, the
 * kind, its column and the values whose rows the caller may not change,
 * {"ratings":{"source":["council","movement"]}}; {} for the administrator.
 * Names and values are our own constants: no escaping needed.
 */
void
http_locked_json(struct sb *out, enum role role)
{
	sb_putc(out, '{');
	for (size_t g = 0; role != ROLE_ADMIN &&
	    g < sizeof guards / sizeof guards[0]; g++) {
		sb_printf(out, "%s\"%s\":{\"%s\":[", g ? "," : "",
		    guards[g].kind, guards[g].col);
		for (const char *const *v = guards[g].values; *v; v++)
			sb_printf(out, "%s\"%s\"", v == guards[g].values ? "" :
			    ",", *v);
		sb_puts(out, "]}");
	}
	sb_putc(out, '}');
}

/* 0, or -1 with e set (ERR_FORBIDDEN) naming the first guarded row. */
static int
check_guards(const struct batch *b, struct audit_before *before,
    struct err *e)
{
	for (size_t g = 0; g < sizeof guards / sizeof guards[0]; g++) {
		int col = -1;

		if (strcmp(guards[g].kind, b->kind->name) != 0)
			continue;
		for (int c = 0; c < b->kind->ncols; c++)
			if (strcmp(b->kind->cols[c].name, guards[g].col) == 0)
				col = c;
		for (size_t i = 0; col >= 0 && i < b->nrows; i++) {
			const char *const *old = audit_before_row(before, b, i);
			const char *v = batch_val(b, i, col);
			char f[64];

			if (!guarded(&guards[g], v) &&
			    !(old && guarded(&guards[g], old[col])))
				continue;
			snprintf(f, sizeof f, "[%zu].%s", i, guards[g].col);
			return err_at(e, ERR_FORBIDDEN, NULL, 0, 0, f, "%s",
			    TR(guards[g].vi, guards[g].en));
		}
	}
	return 0;
}

/* Is the kind's key an innovation's code (innovations, innovation-details)? */
static int
innov_keyed(const struct kind *k)
{
	return strcmp(k->name, "innovations") == 0 ||
	    (k->cols[0].type == CT_INNOVATIONS && (k->cols[0].flags & COL_KEY));
}

/*
 * Every stored row the batch replaces must lie inside root's subtree as
 * it is: an innovation by its owning unit or all of its current authors
 * (listing one author of one's own does not make another unit's
 * innovation one's own), any other row by its scope column.
 */
static int
check_stored(struct store *st, const struct batch *b,
    struct audit_before *before, int64_t root, struct err *e)
{
	int tag, col = scope_col(b->kind, &tag), rc;
	struct codemap memo;

	codemap_init(&memo);
	for (size_t i = 0; i < b->nrows; i++) {
		const char *const *old = audit_before_row(before, b, i);

		if (old == NULL)
			continue;
		if (innov_keyed(b->kind))
			rc = auth_innov_owned(st, root, old[0], e);
		else
			rc = row_in(st, b->kind, old, root, &memo, e);
		if (rc != 1) {
			codemap_free(&memo);
			return rc < 0 ? -1 : forbidden_row(e, b, i,
			    innov_keyed(b->kind) || col < 0 ? 0 : col,
			    innov_keyed(b->kind) || col < 0 ? old[0] : old[col]);
		}
	}
	codemap_free(&memo);
	return 0;
}

/*
 * The kind's write, wrapped: rows already in the database must be in the
 * caller's subtree as they are (the stored row, and the entity a code
 * names), every row as it will be (checked after the write, so a row
 * cannot be moved in or out of the subtree), guarded rows are the
 * administrator's, then each row is audited.
 */
static int
scoped_write(struct store *st, const struct batch *b, struct err *e)
{
	const struct kind *real = kind_find(b->kind->name);
	int64_t root = tl_req ? tl_req->scope_root : 0;
	int admin = tl_req == NULL || tl_req->user.role == ROLE_ADMIN;
	int tag, col = scope_col(b->kind, &tag), rc;
	struct audit_before *before;
	struct codemap memo;

	if (real == NULL)
		return err_set(e, ERR_SYSTEM, "kind %s", b->kind->name);
	if (root && (pre_check(st, b, col, tag == 'u' ? 's' : 0, root, e) != 0 ||
	    pre_check(st, b, entity_col(b->kind), strcmp(b->kind->name,
	    "tasks") == 0 ? 't' : 's', root, e) != 0))
		return -1;
	if ((before = audit_before(st, b, e)) == NULL)
		return -1;
	if ((root && check_stored(st, b, before, root, e) != 0) ||
	    (!admin && check_guards(b, before, e) != 0) ||
	    real->write(st, b, e) != 0) {
		audit_before_free(before);
		return -1;
	}
	if (root) {
		codemap_init(&memo);
		for (size_t i = 0; i < b->nrows; i++) {
			const char *const *vals = &b->v[i * (size_t)b->kind->ncols];

			if ((rc = row_in(st, b->kind, vals, root, &memo, e)) != 1) {
				codemap_free(&memo);
				audit_before_free(before);
				return rc < 0 ? -1 : forbidden_row(e, b, i,
				    col < 0 ? 0 : col, col < 0 ? NULL : vals[col]);
			}
		}
		codemap_free(&memo);
	}
	rc = audit_batch(st, b, before, e);
	audit_before_free(before);
	return rc;
}

/* An .xlsx body: its first sheet, errors located as upload.xlsx:SHEET!CELL. */
static int
import_xlsx_body(struct store *st, const struct kind *k, struct req *r,
    const struct import_opts *o, struct import_report *rep, struct err *e)
{
	struct xlsx_sheet sh;
	int rc;

	if (xlsx_read_buffer(r->body.s, r->body.len, "upload.xlsx", &sh, e) != 0)
		return -1;
	rc = import_csv_buffer(st, k, "upload.xlsx", sh.csv.s, sh.csv.len, o,
	    rep, e);
	if (rc != 0)
		xlsx_locate(&sh, "upload.xlsx", rep);
	xlsx_sheet_free(&sh);
	return rc;
}

/* Import r's body into st; fills the reply. 0, or -1 with e set. */
static int
import_body(struct store *st, struct req *r, int dry, struct err *e)
{
	const struct kind *real = kind_find(r->param[0]);
	struct kind wrapped = *real;
	struct import_opts o = { .dry_run = dry, .actor = r->user.login };
	struct import_report *rep = xcalloc(1, sizeof *rep);
	struct req_scope rs;
	unsigned char h[crypto_hash_sha256_BYTES];
	char hex[65];
	int rc;

	/* The body as received is the "file" an import is stamped with. */
	crypto_hash_sha256(h, (const unsigned char *)(r->body.s ? r->body.s :
	    ""), r->body.len);
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	o.sha256 = hex;

	wrapped.write = scoped_write;
	/* A dry run writes nothing, so scoped_write never sees its rows: the
	 * importer itself refuses codes outside the subtree as unknown. */
	o.scope = dry ? req_scope(r, &rs) : NULL;
	if (!dry)
		memset(&rs, 0, sizeof rs);
	tl_req = r;
	rc = r->csv == 2 ? import_xlsx_body(st, &wrapped, r, &o, rep, e) :
	    r->csv ? import_csv_buffer(st, &wrapped, "body.csv", r->body.s ?
	    r->body.s : "", r->body.len, &o, rep, e) :
	    import_json(st, &wrapped, r->json, &o, rep, e);
	tl_req = NULL;
	req_scope_free(&rs);
	sb_reset(&r->out);
	if (rc == 0) {
		sb_puts(&r->out, "{\"kind\":");
		sb_json_str(&r->out, real->name);
		sb_printf(&r->out, ",\"rows\":%ld,\"written\":%ld,\"dry_run\":%s}",
		    rep->rows, rep->written, dry ? "true" : "false");
		r->status = dry ? 200 : 201;
	} else if (rep->total_err > 0) {
		struct err *f = &rep->errs[0];

		http_error(r, 400, "bad_input", f->field, "%s", f->msg);
		r->out.len--;	/* reopen the document to add the list */
		r->out.s[r->out.len] = '\0';
		sb_printf(&r->out, ",\"total_errors\":%ld,\"errors\":[",
		    rep->total_err);
		for (int i = 0; i < rep->nerr; i++) {
			f = &rep->errs[i];
			sb_printf(&r->out, "%s{\"line\":%ld,\"column\":%ld,"
			    "\"field\":", i ? "," : "", f->line, f->col);
			sb_json_str(&r->out, f->field);
			if (f->file[0]) {
				sb_puts(&r->out, ",\"at\":");
				sb_json_str(&r->out, f->file);
			}
			sb_puts(&r->out, ",\"message\":");
			sb_json_str(&r->out, f->msg);
			sb_putc(&r->out, '}');
		}
		sb_puts(&r->out, "]}");
		rc = 0;
	}
	free(rep);
	return rc;
}

static int
job_import(struct store *st, struct req *r, struct err *e)
{
	return import_body(st, r, 0, e);
}

#define A(m) offsetof(struct args, m)
static const struct field record_fields[] = {
	{ "subject", V_CODE, 1, 0, 0, A(subject), "unit or person code" },
	{ "metric", V_CODE, 1, 0, 0, A(metric), "metric code" },
	{ "date", V_DATE, 1, 0, 0, A(date), "day of the record" },
	{ "value", V_NUM, 1, 0, 0, A(value), "measured value" },
	FIELD_END
};
#undef A

/* Refuses (ERR_USER: no such subject) only before its first write: it
 * runs as HTTP_ATOMIC. */
static int
job_record(struct store *st, struct req *r, struct err *e)
{
	int32_t day = 0;
	int missing, had;
	double before = 0;
	char b[64], num[32];
	struct sb after;
	int rc;

	date_parse(r->a.date, &day);
	if (store_movement_record_put(st, r->a.subject, r->a.metric, day,
	    r->a.value, &missing, &had, &before, e) != 0)
		return -1;
	if (missing)
		return err_at(e, ERR_USER, NULL, 0, 0, "[0].subject", "%s '%s'",
		    TR("không có đơn vị hoặc cá nhân mã",
		    "no unit or person with code"), r->a.subject);
	snprintf(b, sizeof b, "{\"value\":\"%.15g\"}", before);
	snprintf(num, sizeof num, "%.15g", r->a.value);
	sb_init(&after);
	sb_puts(&after, "{\"subject\":");
	sb_json_str(&after, r->a.subject);
	sb_puts(&after, ",\"metric\":");
	sb_json_str(&after, r->a.metric);
	sb_puts(&after, ",\"date\":");
	sb_json_str(&after, r->a.date);
	sb_printf(&after, ",\"value\":\"%s\"}", num);
	rc = audit_record(st, "import", "records", r->a.subject,
	    had ? b : NULL, after.s, e);
	sb_free(&after);
	if (rc != 0)
		return -1;
	sb_reset(&r->out);
	sb_puts(&r->out, "{\"kind\":\"records\",\"rows\":1,\"written\":1,"
	    "\"dry_run\":false}");
	r->status = 201;
	return 0;
}

/* Does the body qualify for the one-record fast path? */
static int
one_record(struct req *r)
{
	struct err e;
	int rc;

	if (r->csv || r->a.dry_run || strcmp(r->param[0], "records") != 0 ||
	    valid_json(record_fields, r->json, &r->a, &e) != 0)
		return 0;
	if (r->scope_root == 0)
		return 1;
	rc = auth_code_in(r->st, r->scope_root, 'u', r->a.subject, NULL, &e);
	return rc == 1;
}

int
h_kind_post(struct req *r)
{
	if (one_record(r)) {
		char key[96];	/* two codes of at most 32 bytes, a day */
		int32_t day = 0;

		date_parse(r->a.date, &day);
		snprintf(key, sizeof key, "%s\x1f%s\x1f%d", r->a.subject,
		    r->a.metric, (int)day);
		return http_write_keyed(r, job_record, HTTP_DATA | HTTP_ATOMIC,
		    key);
	}
	if (r->a.dry_run)
		return import_body(r->st, r, 1, &r->e) == 0 ? r->status : -1;
	/* The importer runs its own transaction: a job of its own. */
	return http_write(r, job_import, HTTP_SOLO);
}
