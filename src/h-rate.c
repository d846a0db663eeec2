/*
 * h-rate.c: the year's ratings from a regular movement over HTTP, the
 * twins of `thidua rate` (rate_json in movement.h):
 *   GET  /api/v1/movements/{code}/ratings?year=Y   the diff against the
 *        stored ratings (new, change, same, kept), nothing written
 *   POST /api/v1/movements/{code}/ratings {"year"} the same, applied in
 *        one transaction: source 'movement', never over a rating set by
 *        hand or by the council
 * Both are for the council and administrators; the write runs alone on
 * the writer thread (rate_json holds its own transaction, with the audit
 * entry of the applied document inside it).
 */
#include "http.h"
#include "movement.h"

int
h_rate_get(struct req *r)
{
	struct rate_window w = { r->a.changes, (long)r->a.offset,
	    (long)r->a.first };

	if (rate_json(r->st, r->param[0], (int)r->a.year, 0, &w, &r->out,
	    &r->e) != 0) {
		sb_reset(&r->out);
		return -1;
	}
	return 200;
}

static int
job_rate(struct store *st, struct req *r, struct err *e)
{
	sb_reset(&r->out);
	if (rate_json(st, r->param[0], (int)r->a.year, 1, NULL, &r->out,
	    e) != 0) {
		sb_reset(&r->out);
		return -1;
	}
	r->status = 200;
	return 0;
}

int
h_rate_post(struct req *r)
{
	return http_write(r, job_rate, 1);
}
