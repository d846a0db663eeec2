/*
 * movement-rate.c: the year's ratings (HTXSNV/HTTNV/HTNV/KHTNV) from a
 * regular movement's scores, compared with what is stored and, on
 * request, stored with their provenance. Hand and council ratings win.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "movement.h"
#include "movement-score.h"
#include "store-movement.h"
#include "store.h"
#include "util.h"

enum action { ACT_NEW, ACT_CHANGE, ACT_SAME, ACT_KEPT, ACT__N };
static const char *const act_names[ACT__N] = { "new", "change", "same", "kept" };

struct stored {
	const struct mv_eval *ev;
	int32_t		*pix;		/* subject id → participant, built here */
	int64_t		 max;
	uint8_t		*have;		/* participant has a stored rating */
	char		(*rating)[8];
	char		(*source)[16];
};

static int
on_rating(void *arg, const struct mv_row *r, struct err *e)
{
	struct stored *s = arg;
	int32_t p;

	(void)e;
	if (r->i[0] > s->max || (p = s->pix[r->i[0]]) < 0)
		return 0;
	s->have[p] = 1;
	snprintf(s->rating[p], sizeof s->rating[p], "%s", r->t[0]);
	snprintf(s->source[p], sizeof s->source[p], "%s", r->t[1]);
	return 0;
}

static enum action
decide(const struct stored *s, size_t p, const char *rating)
{
	if (!s->have[p])
		return ACT_NEW;
	if (strcmp(s->source[p], "hand") == 0 || strcmp(s->source[p], "council") == 0)
		return ACT_KEPT;
	return strcmp(s->rating[p], rating) == 0 ? ACT_SAME : ACT_CHANGE;
}

/*
 * Store the ratings and one audit entry (action "rate", the document as
 * "after") in one transaction: who applied them is known for the CLI and
 * the API alike (audit_context of the thread).
 */
static int
apply_all(struct store *st, const struct mv_eval *ev, const struct stored *s,
    int year, const char *doc, struct err *e)
{
	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	for (size_t p = 0; p < ev->n; p++) {
		const char *r = mv_rating_name((enum mv_rating)ev->s.rating[p]);

		if (decide(s, p, r) == ACT_KEPT)
			continue;
		if (store_movement_rating_put(st, year, ev->sid[p], r,
		    ev->mv.code, e) != 0) {
			store_rollback(st);
			return -1;
		}
	}
	if (audit_record(st, "rate", "ratings", ev->mv.code, NULL, doc, e) != 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st) != 0) {
		store_rollback(st);
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	}
	return 0;
}

static void
write_doc(const struct mv_eval *ev, const struct stored *s, int year,
    int apply, const struct rate_window *w, struct sb *o)
{
	long counts[ACT__N] = { 0 }, listed = 0, k = 0;

	sb_puts(o, "{\"movement\":");
	sb_json_str(o, ev->mv.code);
	sb_printf(o, ",\"year\":%d,\"applied\":%s,\"results\":[", year,
	    apply ? "true" : "false");
	for (size_t i = 0; i < ev->n; i++) {
		size_t p = ev->s.order[i];
		const char *r = mv_rating_name((enum mv_rating)ev->s.rating[p]);
		enum action a = decide(s, p, r);

		counts[a]++;
		if (w != NULL) {
			if (w->changes && a == ACT_SAME)
				continue;
			k++;	/* (the k-th of those listed before the window) */
			if (k <= w->offset || (w->limit > 0 &&
			    k > w->offset + w->limit))
				continue;
		}
		sb_puts(o, listed++ ? ",{\"subject\":" : "{\"subject\":");
		sb_json_str(o, MV_TEXT(ev, ev->code[p]));
		sb_puts(o, ",\"name\":");
		sb_json_str(o, MV_TEXT(ev, ev->name[p]));
		sb_printf(o, ",\"score\":%.10g,\"rating\":\"%s\",\"stored\":",
		    ev->s.score[p], r);
		if (s->have[p]) {
			sb_json_str(o, s->rating[p]);
			sb_puts(o, ",\"stored_source\":");
			sb_json_str(o, s->source[p]);
		} else
			sb_puts(o, "null,\"stored_source\":null");
		sb_printf(o, ",\"action\":\"%s\"}", act_names[a]);
	}
	sb_puts(o, "],\"counts\":{");
	for (int a = 0; a < ACT__N; a++)
		sb_printf(o, "%s\"%s\":%ld", a ? "," : "", act_names[a], counts[a]);
	sb_puts(o, "}");
	if (w != NULL)
		sb_printf(o, ",\"total\":%ld", k);
	sb_puts(o, "}\n");
}

int
rate_json(struct store *st, const char *code, int year, int apply,
    const struct rate_window *w, struct sb *o, struct err *e)
{
	struct mv_eval ev;
	struct stored s;
	size_t at;
	int y, m, d, rc = -1;

	if (mv_eval_run(st, code, NULL, &ev, e) != 0)
		return -1;
	memset(&s, 0, sizeof s);
	date_to_ymd(ev.mv.end, &y, &m, &d);
	if (ev.mv.kind != MV_REGULAR) {
		err_at(e, ERR_USER, NULL, 0, 0, "movement", "'%s' %s (%s)", code,
		    TR("không phải phong trào thường xuyên", "is not a regular movement"),
		    mv_kind_name(ev.mv.kind));
		goto out;
	}
	if (y != year) {
		err_at(e, ERR_USER, NULL, 0, 0, "year", "%s '%s' %s %d, %s %d",
		    TR("phong trào", "movement"), code, TR("kết thúc năm",
		    "ends in"), y, TR("không phải năm", "not in"), year);
		goto out;
	}
	s.ev = &ev;
	s.max = 0;
	for (size_t p = 0; p < ev.n; p++)
		if (ev.sid[p] > s.max)
			s.max = ev.sid[p];
	s.pix = xmalloc(((size_t)s.max + 1) * sizeof *s.pix);
	memset(s.pix, 0xff, ((size_t)s.max + 1) * sizeof *s.pix);
	for (size_t p = 0; p < ev.n; p++)
		s.pix[ev.sid[p]] = (int32_t)p;
	s.have = xcalloc(ev.n ? ev.n : 1, 1);
	s.rating = xcalloc(ev.n ? ev.n : 1, sizeof *s.rating);
	s.source = xcalloc(ev.n ? ev.n : 1, sizeof *s.source);
	if (store_movement_ratings(st, year, on_rating, &s, e) != 0)
		goto out;
	/* the diff is against what was stored before applying */
	at = o->len;
	if (w != NULL && !w->changes && w->offset == 0 && w->limit == 0)
		w = NULL;	/* (the whole document, as before) */
	write_doc(&ev, &s, year, apply, apply ? NULL : w, o);
	if (apply && apply_all(st, &ev, &s, year, o->s + at, e) != 0)
		goto out;
	rc = 0;
out:
	free(s.pix);
	free(s.have);
	free(s.rating);
	free(s.source);
	mv_eval_free(&ev);
	return rc;
}
