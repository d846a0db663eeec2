/*
 * h-register.c: the API twins of `thidua report innovations` and
 * `thidua exemplar` (the innovation register and advanced examples,
 * docs/exemplars.md). Each answer is the document the CLI prints with
 * --format json (services in innovation.h and exemplar.h):
 *   GET  /api/v1/reports/innovations?from=&to=&by=   the register's report
 *   GET  /api/v1/exemplars                            the register of exemplars
 *   GET  /api/v1/exemplars/discover?year=             candidates found in the data
 *   GET  /api/v1/exemplars/check?year=                does each keep its standard
 *   GET  /api/v1/exemplars/{id}                       one, with its adoptions
 *   POST /api/v1/exemplars                            register one (admin, council)
 *   POST /api/v1/exemplars/{id}/adoptions             a unit adopted its practice
 * Everyone logged in reads them: advanced examples are meant to be known
 * across the enterprise; a scoped caller gets no discovered candidate, no
 * author and no award subject outside their subtree (the engines filter). Writes run on the writer thread.
 */
#include <string.h>

#include "exemplar.h"
#include "http.h"
#include "innovation.h"
#include "util.h"

static int
answer(struct req *r, int rc, int status)
{
	if (rc != 0) {
		sb_reset(&r->out);
		return -1;
	}
	return status;
}

int
h_innovations_report(struct req *r)
{
	int by = r->a.by ? innov_by_parse(r->a.by) : IB_YEAR;

	if (by < 0)
		return err_at(&r->e, ERR_USER, NULL, 0, 0, "by", "%s",
		    TR("by phải là year, kind, level hoặc unit",
		    "by must be year, kind, level or unit"));
	struct req_scope rs;
	int rc;

	rc = innovations_json(r->st, (int)r->a.year_from, (int)r->a.year_to,
	    (enum innov_by)by, req_scope(r, &rs), !r->a.summary, &r->out,
	    &r->e);
	req_scope_free(&rs);
	return answer(r, rc, 200);
}

int
h_exemplar_list(struct req *r)
{
	return answer(r, exemplar_list(r->st, 1, &r->out, &r->e), 200);
}

static int
exemplar_id(struct req *r, int64_t *id)
{
	if (parse_i64(r->param[0], id) != 0 || *id <= 0)
		return err_at(&r->e, ERR_NOTFOUND, NULL, 0, 0, "id", "%s '%s'",
		    TR("không có điển hình", "no exemplar"), r->param[0]);
	return 0;
}

int
h_exemplar_get(struct req *r)
{
	int64_t id;

	if (exemplar_id(r, &id) != 0)
		return -1;
	return answer(r, exemplar_show(r->st, id, 1, &r->out, &r->e), 200);
}

int
h_exemplar_discover(struct req *r)
{
	struct req_scope rs;
	int rc = exemplar_discover(r->st, (int)r->a.year, 1, req_scope(r, &rs),
	    &r->out, &r->e);

	req_scope_free(&rs);
	return answer(r, rc, 200);
}

int
h_exemplar_check(struct req *r)
{
	int warnings = 0;

	return answer(r, exemplar_check(r->st, (int)r->a.year, 1, &r->out,
	    &warnings, &r->e), 200);
}

/* After a write (rc): the exemplar as shown, 201; or the error. */
static int
written(struct store *st, struct req *r, int rc, int64_t id, struct err *e)
{
	sb_reset(&r->out);
	if (rc != 0 || exemplar_show(st, id, 1, &r->out, e) != 0) {
		sb_reset(&r->out);
		return -1;
	}
	r->status = 201;
	return 0;
}

static int
job_exemplar_add(struct store *st, struct req *r, struct err *e)
{
	struct exemplar_new x;
	int64_t id = 0;
	int rc;

	memset(&x, 0, sizeof x);
	x.subject = r->a.subject;
	x.field = r->a.field;
	x.reason = r->a.reason;
	x.award = r->a.award;
	x.since = (int)r->a.year;
	x.min_rating = r->a.min_rating;
	/* (the write first: an argument beside it would be read in any order,
	 * and gcc read id, still 0, before the write gave it its value) */
	rc = exemplar_add(st, &x, &id, e);
	return written(st, r, rc, id, e);
}

int
h_exemplar_post(struct req *r)
{
	return http_write(r, job_exemplar_add, 1);
}

static int
job_exemplar_adopt(struct store *st, struct req *r, struct err *e)
{
	int64_t id;

	if (exemplar_id(r, &id) != 0)
		return *e = r->e, -1;
	return written(st, r, exemplar_adopt(st, id, r->a.unit, r->a.date,
	    r->a.practice, e), id, e);
}

int
h_exemplar_adopt(struct req *r)
{
	return http_write(r, job_exemplar_adopt, 1);
}
