/*
 * h-reports.c: the API twins of the CLI reports. Each calls the owning
 * area's service function, which writes the very document the CLI
 * prints with --format json.
 * Scoped roles (commander, clerk, viewer) get the document of their
 * subtree: the engines filter while they write it (scope.h; the schedule
 * by its unit, defaulting to the caller's); a movement of units still
 * ranks every unit, as the enterprise announces it.
 */
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <csv.h>

#include "codemap.h"
#include "elig.h"
#include "growth.h"
#include "import.h"
#include "import-kinds.h"
#include "import-xlsx-write.h"
#include "http.h"
#include "movement.h"
#include "rules.h"
#include "schedule.h"
#include "store-auth.h"
#include "store.h"

static int
done(struct req *r, int rc)
{
	if (rc != 0) {
		sb_reset(&r->out);
		return -1;
	}
	return 200;
}

/*
 * Every subject's verdicts: at ministry scale a document of gigabytes, so
 * it is streamed into an unlinked temporary file that the response sends
 * (r->fd), never held in memory.
 */
static int
elig_to_file(struct req *r, const struct elig_query *q)
{
	FILE *f = tmpfile();
	struct stat sb;
	int fd;

	if (f == NULL)
		return err_set(&r->e, ERR_SYSTEM, "%s", TR("không tạo được tệp tạm",
		    "cannot create a temporary file"));
	if (elig_stream(r->st, q, ELIG_JSON, f, NULL, &r->e) != 0) {
		fclose(f);
		return -1;
	}
	if (fflush(f) != 0) {
		fclose(f);
		return err_set(&r->e, ERR_SYSTEM, "%s", TR("không ghi được kết quả",
		    "cannot write the results"));
	}
	if ((fd = dup(fileno(f))) < 0 || fstat(fd, &sb) != 0 ||
	    lseek(fd, 0, SEEK_SET) != 0) {
		if (fd >= 0)
			close(fd);
		fclose(f);
		return err_set(&r->e, ERR_SYSTEM, "%s", TR("không đọc lại được kết quả",
		    "cannot read the results back"));
	}
	fclose(f);
	r->fd = fd;
	r->fsize = (uint64_t)sb.st_size;
	return 0;
}

static const char xlsx_type[] =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/*
 * The names a download adds after each subject's code: code → "name\0unit\0"
 * (a person's unit; empty for a unit) in one arena, read through the units
 * and people kinds' exports (every row: one pass each).
 */
struct names {
	struct codemap	 map;		/* code → offset in arena */
	struct sb	 arena;
	int		 name, unit;	/* the kind's columns */
};

static int
names_row(void *arg, const char *const *vals)
{
	struct names *n = arg;
	int64_t off = (int64_t)n->arena.len;

	sb_puts(&n->arena, vals[n->name] ? vals[n->name] : "");
	sb_putc(&n->arena, '\0');
	sb_puts(&n->arena, n->unit >= 0 && vals[n->unit] ? vals[n->unit] : "");
	sb_putc(&n->arena, '\0');
	codemap_put(&n->map, vals[0], off, 0);
	return 0;
}

static int
kind_col(const struct kind *k, const char *name)
{
	for (int c = 0; c < k->ncols; c++)
		if (strcmp(k->cols[c].name, name) == 0)
			return c;
	return -1;
}

static int
names_load(struct store *st, struct names *n, struct err *e)
{
	static const char *const kinds[] = { "units", "people" };

	codemap_init(&n->map);
	sb_init(&n->arena);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		const struct kind *k = kind_find(kinds[i]);

		if (k == NULL)
			continue;
		n->name = kind_col(k, "name");
		n->unit = i == 1 ? kind_col(k, "unit") : -1;
		if (n->name < 0 || k->export(st, names_row, n, e) != 0)
			return -1;
	}
	return 0;
}

static void
names_free(struct names *n)
{
	codemap_free(&n->map);
	sb_free(&n->arena);
}

/* The CSV being rewritten: its fields, and the rewritten file. */
struct named {
	struct names	*n;
	struct sb	 line;		/* the row rewritten so far */
	int		 field;		/* of the current row */
	int		 head;		/* the header row still */
	FILE		*out;
	int		 failed;
};

static void
named_field(void *s, size_t len, void *data)
{
	struct named *w = data;
	char *v = xmalloc(len + 1);

	memcpy(v, s != NULL ? s : "", len);
	v[len] = '\0';
	if (w->field > 0)
		sb_putc(&w->line, ',');
	sb_csv_field(&w->line, v);
	if (w->field == 0) {	/* the subject: its name and unit follow */
		int64_t off;

		if (w->head)
			sb_puts(&w->line, ",name,unit");
		else if (codemap_get(&w->n->map, v, &off, NULL)) {
			const char *name = w->n->arena.s + off;

			sb_putc(&w->line, ',');
			sb_csv_field(&w->line, name);
			sb_putc(&w->line, ',');
			sb_csv_field(&w->line, name + strlen(name) + 1);
		} else
			sb_puts(&w->line, ",,");
	}
	free(v);
	w->field++;
}

static void
named_row(int ch, void *data)
{
	struct named *w = data;

	(void)ch;
	sb_puts(&w->line, "\r\n");
	if (fwrite(w->line.s, 1, w->line.len, w->out) != w->line.len)
		w->failed = 1;
	sb_reset(&w->line);
	w->field = 0;
	w->head = 0;
}

/*
 * The verdicts for a download (?format=): the CLI's CSV (elig_stream),
 * each subject's name and unit added after its code, into a temporary
 * file read from its start. NULL with r->e set.
 */
static FILE *
elig_named_csv(struct req *r, const struct elig_query *q)
{
	struct names n;
	struct named w = { .n = &n, .head = 1 };
	struct csv_parser cp;
	FILE *raw = tmpfile(), *out = tmpfile();
	char buf[65536];
	size_t len;
	int rc = 0;

	memset(&n, 0, sizeof n);
	if (raw == NULL || out == NULL) {
		err_set(&r->e, ERR_SYSTEM, "%s", TR("không tạo được tệp tạm",
		    "cannot create a temporary file"));
		rc = -1;
	} else if (elig_stream(r->st, q, ELIG_CSV, raw, NULL, &r->e) != 0 ||
	    names_load(r->st, &n, &r->e) != 0)
		rc = -1;
	if (rc == 0 && (fseek(raw, 0, SEEK_SET) != 0 || csv_init(&cp,
	    CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0))
		rc = err_set(&r->e, ERR_SYSTEM, "%s", TR("không đọc lại được kết quả",
		    "cannot read the results back"));
	else if (rc == 0) {
		w.out = out;
		sb_init(&w.line);
		while (rc == 0 && (len = fread(buf, 1, sizeof buf, raw)) > 0)
			if (csv_parse(&cp, buf, len, named_field, named_row, &w) != len)
				rc = -1;
		if (rc == 0 && csv_fini(&cp, named_field, named_row, &w) != 0)
			rc = -1;
		csv_free(&cp);
		sb_free(&w.line);
		if (rc != 0 || w.failed || ferror(raw) || fflush(out) != 0 ||
		    fseek(out, 0, SEEK_SET) != 0)
			rc = err_set(&r->e, ERR_SYSTEM, "%s", TR(
			    "không ghi được kết quả", "cannot write the results"));
	}
	names_free(&n);
	if (raw != NULL)
		fclose(raw);
	if (rc != 0 && out != NULL) {
		fclose(out);
		out = NULL;
	}
	return out;
}

/* ?format=csv: that file as the answer. */
static int
elig_to_csv(struct req *r, const struct elig_query *q)
{
	FILE *f = elig_named_csv(r, q);
	struct stat sb;
	int fd;

	if (f == NULL)
		return -1;
	if ((fd = dup(fileno(f))) < 0 || fstat(fd, &sb) != 0) {
		if (fd >= 0)
			close(fd);
		fclose(f);
		return err_set(&r->e, ERR_SYSTEM, "%s", TR("không đọc lại được kết quả",
		    "cannot read the results back"));
	}
	fclose(f);	/* fd shares the offset: at the start */
	r->fd = fd;
	r->fsize = (uint64_t)sb.st_size;
	r->ctype = "text/csv; charset=utf-8";
	return 0;
}

/* ?format=xlsx: that file as a one-sheet workbook. */
static int
elig_to_xlsx(struct req *r, const struct elig_query *q)
{
	char path[4096];
	FILE *f = elig_named_csv(r, q);
	int rc;

	if (f == NULL)
		return -1;
	if (http_temp_file(r, "eligibility", path, sizeof path) != 0) {
		fclose(f);
		return -1;
	}
	rc = xlsx_from_csv(f, path, "eligibility", &r->e);
	fclose(f);
	return http_send_temp(r, path, rc, xlsx_type) == 200 ? 0 : -1;
}

/*
 * The verdicts: one subject's as a document in memory; every subject's
 * streamed into a file (JSON, or with ?format= a CSV or XLSX download).
 */
int
h_eligibility(struct req *r)
{
	struct elig_query q = { .year = (int)r->a.year,
	    .subject = r->a.subject, .award = r->a.award };
	struct req_scope rs;
	const struct scope_filter *sf;
	long mask = r->a.verdict != NULL ? elig_verdict_mask(r->a.verdict) : 0;
	int rc;

	if (mask < 0)
		return http_error(r, 400, "bad_input", "verdict", "%s",
		    TR("trạng thái không hợp lệ (eligible, ineligible, over_quota, held)",
		    "unknown verdict (eligible, ineligible, over_quota, held)"));
	q.verdicts = (unsigned)mask;
	q.limit = (long)r->a.first;
	q.offset = (long)r->a.offset;
	q.unit = r->a.unit;	/* (in the caller's scope: checked before) */
	if (r->a.format != NULL && strcmp(r->a.format, "csv") != 0 &&
	    strcmp(r->a.format, "xlsx") != 0)
		return http_error(r, 400, "bad_input", "format", "%s '%s'",
		    TR("định dạng không hỗ trợ (csv, xlsx)",
		    "unsupported format (csv, xlsx)"), r->a.format);
	/* only the caller's subtree is written: the filter of h-scope.c */
	if ((sf = req_scope(r, &rs)) != NULL) {
		q.keep = sf->keep;
		q.keep_ids = sf->ids;
		q.keep_arg = sf->arg;
	}
	if (r->a.format != NULL) {
		snprintf(r->filename, sizeof r->filename, "eligibility-%d.%s",
		    q.year, r->a.format);
		rc = r->a.format[0] == 'x' ? elig_to_xlsx(r, &q) :
		    elig_to_csv(r, &q);
	} else
		rc = q.subject != NULL ? elig_json(r->st, &q, &r->out, &r->e) :
		    elig_to_file(r, &q);
	req_scope_free(&rs);
	return done(r, rc);
}

/* The schedule query of a request: as_of (default today), unit, task. */
static void
sched_query(struct req *r, struct schedule_query *q)
{
	memset(q, 0, sizeof *q);
	q->as_of = date_today();
	if (r->a.as_of)
		date_parse(r->a.as_of, &q->as_of);
	q->unit = r->a.unit;
	if (q->unit == NULL && r->scope_root)	/* checked in scope if given */
		q->unit = r->user.unit;
	q->task = r->a.task;
}

int
h_schedule(struct req *r)
{
	struct schedule_query q;

	sched_query(r, &q);
	return done(r, schedule_json(r->st, &q, &r->out, &r->e));
}

int
h_suggestions(struct req *r)
{
	struct schedule_query q;

	sched_query(r, &q);
	return done(r, schedule_suggest_json(r->st, &q, &r->out, &r->e));
}

int
h_scores(struct req *r)
{
	struct req_scope rs, ru;
	const struct scope_filter *uf = NULL;
	struct mv_window w = { (long)r->a.top, (long)r->a.offset,
	    (long)r->a.first };
	int64_t unit = 0;
	int rc;

	if (req_unit(r, &unit) != 0)
		return -1;
	uf = req_subtree(r, unit, &ru);	/* (NULL, ru zeroed: no unit=) */
	rc = evaluate_json(r->st, r->param[0], r->a.as_of, req_scope(r, &rs),
	    uf, &w, &r->out, &r->e);
	req_scope_free(&rs);
	req_scope_free(&ru);
	return done(r, rc);
}

int
h_growth(struct req *r)
{
	const char *unit = r->a.unit;

	/* A scoped caller's default is their own unit. */
	if (unit == NULL && r->scope_root)
		unit = r->user.unit;
	return done(r, growth_json(r->st, (int)r->a.year_from,
	    (int)r->a.year_to, unit, &r->out, &r->e));
}

int
h_movements(struct req *r)
{
	return done(r, movement_list_json(r->st, &r->out, &r->e));
}

int
h_movement_get(struct req *r)
{
	return done(r, movement_show_json(r->st, r->param[0], &r->out, &r->e));
}

/* The rule set in force for a year, as `thidua rules show` prints it. */
int
h_rules(struct req *r)
{
	struct ruleset *rs;
	int y, m, d, rc;

	date_to_ymd(date_today(), &y, &m, &d);
	if ((rs = rules_for_year(r->st, r->a.year ? (int)r->a.year : y, NULL,
	    &r->e)) == NULL)
		return -1;
	rc = rules_show(rs, r->a.award, &r->out, &r->e);
	rules_free(rs);
	if (rc != 0)
		return -1;
	r->ctype = "text/plain; charset=utf-8";
	return 200;
}
