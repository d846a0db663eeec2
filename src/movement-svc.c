/*
 * movement-svc.c: the movements services shared by the CLI and the HTTP
 * API: loading a movement (one transaction), the evaluation document,
 * prompt recognition and the scores the rules engine reads.
 */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "codemap.h"
#include "movement.h"
#include "movement-score.h"
#include "snapcache-kept.h"
#include "metrics.h"
#include "par.h"
#include "snapcache-elig.h"
#include "snapcache.h"
#include "store-elig.h"
#include "store-movement.h"
#include "store.h"
#include "util.h"

int
movement_load_in_txn(struct store *st, const char *name, const char *buf,
    size_t len, struct err *e)
{
	struct movement m;
	int64_t scope;
	int version, added, rc;
	char *src;

	if (movement_parse(name, buf, len, &m, e) != 0)
		return -1;
	src = xstrndup(buf, len);
	rc = store_movement_unit_id(st, m.scope, &scope, e);
	if (rc == 1)
		rc = err_at(e, ERR_USER, name, m.scope_line, m.scope_col, "scope",
		    "%s '%s'", TR("không có đơn vị", "no such unit"), m.scope);
	if (rc == 0)
		rc = store_movement_save(st, &m, scope, src,
		    &version, &added, e);
	free(src);
	movement_free(&m);
	return rc;
}

int
movement_load_buffer(struct store *st, const char *name, const char *buf,
    size_t len, struct err *e)
{
	int rc;

	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	rc = movement_load_in_txn(st, name, buf, len, e);
	if (rc == 0)
		rc = audit_record_json(st, "load", "movements", NULL, NULL,
		    json_pack("{s:s, s:I}", "file", name, "bytes",
		    (json_int_t)len), e);
	if (rc == 0 && store_commit(st) != 0)
		rc = err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if (rc != 0)
		store_rollback(st);
	return rc;
}

int
movement_get(struct store *st, const char *code, struct movement *m,
    struct err *e)
{
	int64_t id;
	int version, rc;
	char *src = NULL;

	if (store_movement_source(st, code, &id, &src, &version, e) != 0)
		return -1;
	rc = movement_parse(code, src, strlen(src), m, e);
	free(src);
	return rc;
}

/* ---- the evaluation document ---- */

/*
 * A number into out (at most 32 bytes), or null for NAN; returns the end.
 * Values with at most 6 decimals (the usual case: records, rounded points
 * and scores) are written by hand; others with %.10g. This writer
 * carries the large evaluation documents.
 */
static char *
fmt_num(char *out, double v)
{
	char buf[32], *p = buf + sizeof buf;
	double a = fabs(v), x = a * 1e6, r = round(x);
	uint64_t n, ip, fp;
	int digits = 6;
	size_t len;

	if (isnan(v)) {
		memcpy(out, "null", 4);
		return out + 4;
	}
	if (a >= 1e9 || fabs(x - r) > 1e-6 * (r > 1 ? r : 1))
		return out + snprintf(out, 32, "%.10g", v);
	n = (uint64_t)r;
	ip = n / 1000000;
	fp = n % 1000000;
	while (fp && fp % 10 == 0) {
		fp /= 10;
		digits--;
	}
	if (fp) {
		for (int i = 0; i < digits; i++) {
			*--p = (char)('0' + fp % 10);
			fp /= 10;
		}
		*--p = '.';
	}
	do {
		*--p = (char)('0' + ip % 10);
		ip /= 10;
	} while (ip);
	if (v < 0 && n != 0)
		*--p = '-';
	len = (size_t)(buf + sizeof buf - p);
	memcpy(out, p, len);
	return out + len;
}

static void
num(struct sb *o, double v)
{
	char buf[32];

	sb_putn(o, buf, (size_t)(fmt_num(buf, v) - buf));
}

/* Copy n bytes to p, return the end. */
static inline char *
put(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

static int
flush(struct sb *o, FILE *f, size_t at)
{
	if (f == NULL || o->len < at)
		return 0;
	if (o->len && fwrite(o->s, 1, o->len, f) != o->len)
		return -1;
	sb_reset(o);
	return 0;
}

static void
veto_reason(const struct mv_eval *ev, size_t p, struct sb *o)
{
	int32_t c = ev->s.veto_crit[p];
	struct sb t;

	if (c < 0) {
		sb_puts(o, "null");
		return;
	}
	sb_init(&t);
	sb_printf(&t, "%s %s: ", TR("tiêu chí", "criterion"), ev->mv.crit[c].code);
	num(&t, ev->s.acc[p * ev->s.nc + (size_t)c]);
	sb_printf(&t, " > %s ", TR("mức tối đa", "maximum"));
	num(&t, ev->mv.crit[c].veto_max);
	sb_printf(&t, "; %s %s", TR("xếp loại tối đa", "rating at most"),
	    mv_rating_name(ev->mv.crit[c].veto_cap));
	sb_json_str(o, t.s);
	sb_free(&t);
}

/* Per criterion, the fixed JSON pieces of its cells. */
struct pieces {
	struct sb	 head;		/* {"criterion":"code","actual": */
	struct sb	 weight;	/* ,"weight":W */
	struct sb	 tail[SR__MAX];	/* ,"reason":…} */
};

static void
pieces_init(struct pieces *pc, const struct criterion *cr)
{
	sb_init(&pc->head);
	sb_init(&pc->weight);
	sb_puts(&pc->head, "{\"criterion\":");
	sb_json_str(&pc->head, cr->code);
	sb_puts(&pc->head, ",\"actual\":");
	sb_puts(&pc->weight, ",\"weight\":");
	num(&pc->weight, cr->weight);
	for (int r = 0; r < SR__MAX; r++) {
		sb_init(&pc->tail[r]);
		sb_printf(&pc->tail[r], ",\"reason\":\"%s\"}",
		    score_reason_code((enum score_reason)r));
	}
}

static void
pieces_free(struct pieces *pc)
{
	sb_free(&pc->head);
	sb_free(&pc->weight);
	for (int r = 0; r < SR__MAX; r++)
		sb_free(&pc->tail[r]);
}

/* What formatting results needs, shared by the threads that do it. */
struct jctx {
	const struct mv_eval	*ev;
	struct pieces		*pc;
	size_t			 cell_max;
	enum lang		 lang;		/* the caller's (g_lang is per thread) */
	const uint8_t		*hide;		/* per subject: left out; NULL none */
};

/* Result i (position in the order) into o, with a leading comma if
 * k > 0 (the results already written). */
static void
result_json(const struct jctx *j, size_t k, size_t i, struct sb *o)
{
	const struct mv_eval *ev = j->ev;
	const struct score_set *s = &ev->s;
	const struct pieces *pc = j->pc;
	size_t p = s->order[i];
	char *w;

	sb_puts(o, k ? ",{\"subject\":" : "{\"subject\":");
	sb_json_str(o, MV_TEXT(ev, ev->code[p]));
	sb_puts(o, ",\"name\":");
	sb_json_str(o, MV_TEXT(ev, ev->name[p]));
	sb_puts(o, ",\"group\":");
	sb_json_str(o, MV_TEXT(ev, ev->gname[s->group[p]]));
	sb_puts(o, ",\"score\":");
	num(o, s->score[p]);
	sb_puts(o, ",\"rank\":");
	num(o, s->rank[p]);
	sb_puts(o, ",\"rating\":\"");
	sb_puts(o, mv_rating_name((enum mv_rating)s->rating[p]));
	sb_puts(o, s->vetoed[p] ? "\",\"vetoed\":true,\"veto_reason\":" :
	    "\",\"vetoed\":false,\"veto_reason\":");
	veto_reason(ev, p, o);
	sb_puts(o, s->met_all[p] ? ",\"met_all\":true,\"criteria\":[" :
	    ",\"met_all\":false,\"criteria\":[");
	/* the cells: reserve once, then write with a raw pointer */
	grow(&o->s, &o->cap, o->len + j->cell_max * s->nc + 8, 1);
	w = o->s + o->len;
	for (size_t c = 0; c < s->nc; c++) {
		size_t k = p * s->nc + c;
		const struct sb *t = &pc[c].tail[s->reason[k]];

		if (c)
			*w++ = ',';
		w = put(w, pc[c].head.s, pc[c].head.len);
		w = fmt_num(w, s->acc[k]);
		w = put(w, ",\"target\":", 10);
		w = fmt_num(w, s->teff[k]);
		w = put(w, ",\"points\":", 10);
		w = fmt_num(w, isnan(s->points[k]) ? NAN :
		    round(s->points[k] * 1e4) / 1e4);
		w = put(w, pc[c].weight.s, pc[c].weight.len);
		w = put(w, t->s, t->len);
	}
	w = put(w, "]}", 3);	/* with the NUL */
	o->len = (size_t)(w - 1 - o->s);
}

/*
 * Large documents written to a file are formatted by two threads in
 * rounds: this thread formats one block of results while a helper formats
 * the next, then both blocks are written in order.
 */
#define JSON_BLOCK	1024

struct jblock {
	const struct jctx	*j;
	size_t			 from, to;
	struct sb		 out;
};

static void *
block_main(void *arg)
{
	struct jblock *b = arg;

	g_lang = b->j->lang;
	for (size_t i = b->from; i < b->to; i++)
		result_json(b->j, i, i, &b->out);
	return NULL;
}

static int
results_json(const struct jctx *j, struct sb *o, FILE *f)
{
	size_t n = j->ev->n;
	struct jblock b[2];
	int rc = 0;

	if (j->hide != NULL) {		/* a scoped caller's, in memory */
		for (size_t i = 0, k = 0; i < n; i++)
			if (!j->hide[j->ev->s.order[i]])
				result_json(j, k++, i, o);
		return 0;
	}
	if (f == NULL || n < 4 * JSON_BLOCK) {
		for (size_t i = 0; i < n && rc == 0; i++) {
			result_json(j, i, i, o);
			rc = flush(o, f, 1 << 20);
		}
		return rc;
	}
	if ((rc = flush(o, f, 0)) != 0)
		return rc;
	for (int k = 0; k < 2; k++) {
		b[k].j = j;
		sb_init(&b[k].out);
	}
	for (size_t at = 0; at < n && rc == 0; at += 2 * JSON_BLOCK) {
		struct par_job th;
		int threaded;

		for (int k = 0; k < 2; k++) {
			b[k].from = at + (size_t)k * JSON_BLOCK < n ? at + (size_t)k * JSON_BLOCK : n;
			b[k].to = b[k].from + JSON_BLOCK < n ? b[k].from + JSON_BLOCK : n;
			sb_reset(&b[k].out);
		}
		threaded = par_start(&th, block_main, &b[1]) == 0;
		block_main(&b[0]);
		if (threaded)
			par_join(&th);
		else
			block_main(&b[1]);
		for (int k = 0; k < 2 && rc == 0; k++)
			if (b[k].out.len && fwrite(b[k].out.s, 1, b[k].out.len, f) !=
			    b[k].out.len)
				rc = -1;
	}
	for (int k = 0; k < 2; k++)
		sb_free(&b[k].out);
	return rc;
}

static int
eval_json(const struct mv_eval *ev, const uint8_t *hide, long total,
    struct sb *o, FILE *f)
{
	const struct score_set *s = &ev->s;
	struct pieces *pc = xcalloc(s->nc ? s->nc : 1, sizeof *pc);
	struct jctx j = { ev, pc, 0, g_lang, hide };
	char d[3][11];
	int rc;

	for (size_t c = 0; c < s->nc; c++) {
		size_t m = 0;

		pieces_init(&pc[c], &ev->mv.crit[c]);
		for (int r = 0; r < SR__MAX; r++)
			if (pc[c].tail[r].len > m)
				m = pc[c].tail[r].len;
		/* head, three numbers and their keys, weight, tail, comma */
		m += pc[c].head.len + 3 * 32 + 20 + pc[c].weight.len + 1;
		if (m > j.cell_max)
			j.cell_max = m;
	}
	date_format(ev->mv.start, d[0]);
	date_format(ev->mv.end, d[1]);
	date_format(ev->as_of, d[2]);
	sb_puts(o, "{\"movement\":");
	sb_json_str(o, ev->mv.code);
	sb_printf(o, ",\"version\":%d,\"kind\":\"%s\",\"start\":\"%s\","
	    "\"end\":\"%s\",\"as_of\":\"%s\",\"provisional\":%s,\"pro_rata\":",
	    ev->version, mv_kind_name(ev->mv.kind), d[0], d[1], d[2],
	    ev->provisional ? "true" : "false");
	num(o, round(s->prorata * 1e6) / 1e6);
	sb_puts(o, ",\"reasons\":{");
	for (int r = 0; r < SR__MAX; r++) {
		sb_printf(o, "%s\"%s\":", r ? "," : "",
		    score_reason_code((enum score_reason)r));
		sb_json_str(o, score_reason_text((enum score_reason)r));
	}
	sb_puts(o, "},\"results\":[");
	rc = results_json(&j, o, f);
	if (rc == 0) {
		sb_puts(o, "]");
		if (total >= 0)
			sb_printf(o, ",\"total\":%ld", total);
		sb_puts(o, "}\n");
		rc = flush(o, f, 0);
	}
	for (size_t c = 0; c < s->nc; c++)
		pieces_free(&pc[c]);
	free(pc);
	return rc;
}

int
mv_eval_json(const struct mv_eval *ev, struct sb *o, FILE *f)
{
	return eval_json(ev, NULL, -1, o, f);
}

/* Hide in *hide (made when NULL) the participants f does not keep. */
static int
hide_out(const struct mv_eval *ev, const struct scope_filter *f,
    uint8_t **hide, struct err *e)
{
	int rc;

	if (*hide == NULL)
		*hide = xcalloc(ev->n ? ev->n : 1, 1);
	scope_expect(f, ev->n);
	for (size_t p = 0; p < ev->n; p++)
		if (!(*hide)[p]) {
			if ((rc = scope_keeps(f, MV_TEXT(ev, ev->code[p]), e)) < 0)
				return -1;
			(*hide)[p] = rc == 0;
		}
	return 0;
}

/* Of those not hidden, in the document's order, hide all but w's window;
 * how many there were. */
static long
window_out(const struct mv_eval *ev, const struct mv_window *w,
    uint8_t **hide)
{
	long k = 0;

	if (*hide == NULL)
		*hide = xcalloc(ev->n ? ev->n : 1, 1);
	for (size_t i = 0; i < ev->n; i++) {
		size_t p = ev->s.order[i];

		if ((*hide)[p])
			continue;
		if (w->top > 0 && ev->s.rank[p] > w->top) {
			(*hide)[p] = 1;
			continue;
		}
		(*hide)[p] = k < w->offset ||
		    (w->limit > 0 && k >= w->offset + w->limit);
		k++;
	}
	return k;
}

/*
 * The evaluations a server keeps (movement_keep): evaluate_json answers a
 * page of a movement's standings, a unit's part or the dashboard's top
 * from the last evaluation of that movement as of that day while the
 * stamps hold (the kept scores' below: the eligibility tables', which
 * place the participants, and the movements': records, targets,
 * definitions and pledges, the day), instead of evaluating the movement
 * again at each page: 1.2-2 s for 110,000 people at a million. Shared
 * read-only by reference: the slot holds one, each request using it
 * another, and the last to let go frees it. An evaluation of more than
 * EVALS_KEPT_MAX participants is not kept (about 200 bytes each).
 */
#define EVALS_KEPT	2
#define EVALS_KEPT_MAX	500000
struct kept_eval {
	int			 refs;
	char			 code[33], as_of[11];
	struct elig_stamp	 es;
	struct mv_stamp		 ms;
	struct mv_eval		 ev;
};
static pthread_mutex_t evals_mu = PTHREAD_MUTEX_INITIALIZER;
static struct kept_eval *evals[EVALS_KEPT];
static unsigned evals_next;
static int evals_on;

/* Let go of k (evals_mu held): freed with its last user. */
static void
eval_unref(struct kept_eval *k)
{
	if (k != NULL && --k->refs == 0) {
		mv_eval_free(&k->ev);
		free(k);
	}
}

static void
evals_keep(int on)
{
	pthread_mutex_lock(&evals_mu);
	evals_on = on;
	for (int i = 0; !on && i < EVALS_KEPT; i++) {
		eval_unref(evals[i]);
		evals[i] = NULL;
	}
	pthread_mutex_unlock(&evals_mu);
}

/* The kept evaluation of code as of as_of ("" its end) at these stamps,
 * with a reference for the caller, or NULL. */
static struct kept_eval *
evals_get(const char *code, const char *as_of, const struct elig_stamp *es,
    const struct mv_stamp *ms)
{
	struct kept_eval *k = NULL;

	pthread_mutex_lock(&evals_mu);
	for (int i = 0; evals_on && k == NULL && i < EVALS_KEPT; i++)
		if (evals[i] != NULL && strcmp(evals[i]->code, code) == 0 &&
		    strcmp(evals[i]->as_of, as_of) == 0 &&
		    elig_stamp_same(&evals[i]->es, es) &&
		    mv_stamp_same(&evals[i]->ms, ms)) {
			k = evals[i];
			k->refs++;
		}
	pthread_mutex_unlock(&evals_mu);
	return k;
}

/*
 * Keep *ev (its arrays moved in: ev is left empty) for code and as_of,
 * made at these stamps: the kept one, with a reference for the caller;
 * NULL when not kept (ev untouched).
 */
static struct kept_eval *
evals_put(const char *code, const char *as_of, const struct elig_stamp *es,
    const struct mv_stamp *ms, struct mv_eval *ev)
{
	struct kept_eval *k;
	int i;

	if (strlen(code) >= sizeof k->code || strlen(as_of) >= sizeof k->as_of ||
	    ev->n > EVALS_KEPT_MAX)
		return NULL;
	k = xcalloc(1, sizeof *k);
	snprintf(k->code, sizeof k->code, "%s", code);
	snprintf(k->as_of, sizeof k->as_of, "%s", as_of);
	k->es = *es;
	k->ms = *ms;
	k->refs = 2;		/* the slot's and the caller's */
	pthread_mutex_lock(&evals_mu);
	if (!evals_on) {
		pthread_mutex_unlock(&evals_mu);
		free(k);
		return NULL;
	}
	k->ev = *ev;
	memset(ev, 0, sizeof *ev);
	for (i = 0; i < EVALS_KEPT; i++)	/* its own place, else the next */
		if (evals[i] != NULL && strcmp(evals[i]->code, code) == 0 &&
		    strcmp(evals[i]->as_of, as_of) == 0)
			break;
	if (i == EVALS_KEPT)
		i = (int)(evals_next++ % EVALS_KEPT);
	eval_unref(evals[i]);
	evals[i] = k;
	pthread_mutex_unlock(&evals_mu);
	return k;
}

static void
evals_release(struct kept_eval *k)
{
	pthread_mutex_lock(&evals_mu);
	eval_unref(k);
	pthread_mutex_unlock(&evals_mu);
}

int
evaluate_json(struct store *st, const char *code, const char *as_of,
    const struct scope_filter *sc, const struct scope_filter *unit,
    const struct mv_window *w, struct sb *out, struct err *e)
{
	struct kept_eval *k = NULL;
	struct elig_stamp es;
	struct mv_stamp ms;
	struct mv_eval own;
	const struct mv_eval *ev;
	uint8_t *hide = NULL;
	long total = -1;
	int rc = 0, on;

	pthread_mutex_lock(&evals_mu);
	on = evals_on;
	pthread_mutex_unlock(&evals_mu);
	/* (the stamps first: never newer than the evaluation) */
	on = on && kept_stamps(st, &es, &ms) == 0;
	if (on && (k = evals_get(code, as_of ? as_of : "", &es, &ms)) != NULL)
		metrics_snapshot("mv-eval", 0);
	else {
		if (mv_eval_run(st, code, as_of, &own, e) != 0)
			return -1;
		if (on) {
			metrics_snapshot("mv-eval", 1);
			k = evals_put(code, as_of ? as_of : "", &es, &ms, &own);
		}
	}
	ev = k != NULL ? &k->ev : &own;
	if (sc != NULL && ev->mv.subjects == MV_PEOPLE)
		rc = hide_out(ev, sc, &hide, e);
	if (rc == 0 && unit != NULL)
		rc = hide_out(ev, unit, &hide, e);
	if (rc == 0 && w != NULL && (w->top > 0 || w->offset > 0 ||
	    w->limit > 0))
		total = window_out(ev, w, &hide);
	if (rc == 0)
		eval_json(ev, hide, total, out, NULL);
	free(hide);
	if (k != NULL)
		evals_release(k);
	else
		mv_eval_free(&own);
	return rc < 0 ? -1 : 0;
}

/* ---- prompt recognition ---- */

int
movement_recognition(struct store *st, const char *code, const char *as_of,
    int top, struct recognition **out, size_t *n, struct err *e)
{
	struct mv_eval ev;
	const struct score_set *s;

	*out = NULL;
	*n = 0;
	if (mv_eval_run(st, code, as_of, &ev, e) != 0)
		return -1;
	s = &ev.s;
	*out = xcalloc(ev.n ? ev.n : 1, sizeof **out);
	for (size_t i = 0; i < ev.n; i++) {
		size_t p = s->order[i];
		int is_top = !s->vetoed[p] && s->rank[p] <= top;
		struct recognition *r;

		if (!is_top && !s->met_all[p])
			continue;
		r = &(*out)[(*n)++];
		snprintf(r->subject, sizeof r->subject, "%s", MV_TEXT(&ev, ev.code[p]));
		snprintf(r->group, sizeof r->group, "%s",
		    MV_TEXT(&ev, ev.gname[s->group[p]]));
		r->rank = s->rank[p];
		r->score = s->score[p];
		r->top = is_top;
		r->met_all = s->met_all[p];
	}
	mv_eval_free(&ev);
	return 0;
}

int
recognition_json(struct store *st, const char *code, const char *as_of,
    int top, struct sb *o, struct err *e)
{
	struct recognition *r;
	size_t n;
	struct mv_eval head;

	/* the as_of actually used comes from the movement's dates */
	if (movement_recognition(st, code, as_of, top, &r, &n, e) != 0)
		return -1;
	memset(&head, 0, sizeof head);
	if (movement_get(st, code, &head.mv, e) != 0) {
		free(r);
		return -1;
	}
	{
		int32_t d = head.mv.end;
		char ds[11];

		if (as_of != NULL && date_parse(as_of, &d) == 0 && d > head.mv.end)
			d = head.mv.end;
		date_format(d, ds);
		sb_puts(o, "{\"movement\":");
		sb_json_str(o, code);
		sb_printf(o, ",\"as_of\":\"%s\",\"top\":%d,\"results\":[", ds, top);
	}
	for (size_t i = 0; i < n; i++) {
		sb_puts(o, i ? ",{\"subject\":" : "{\"subject\":");
		sb_json_str(o, r[i].subject);
		sb_puts(o, ",\"group\":");
		sb_json_str(o, r[i].group);
		sb_printf(o, ",\"rank\":%d,\"score\":", r[i].rank);
		num(o, r[i].score);
		sb_printf(o, ",\"top\":%s,\"met_all\":%s}", r[i].top ? "true" :
		    "false", r[i].met_all ? "true" : "false");
	}
	sb_puts(o, "]}\n");
	movement_free(&head.mv);
	free(r);
	return 0;
}

/* ---- scores for the rules engine ---- */

struct scores_acc {
	struct subject_score *v;
	size_t		 n, cap;
	struct codemap	 seen;		/* subject → index in v */
};

static void
scores_add(struct scores_acc *a, const struct mv_eval *ev)
{
	const struct score_set *s = &ev->s;

	for (size_t p = 0; p < ev->n; p++) {
		const char *code = MV_TEXT(ev, ev->code[p]);
		struct subject_score *x;
		int64_t at;

		if (codemap_get(&a->seen, code, &at, NULL)) {
			x = &a->v[at];
			/* keep the best: not vetoed first, then the higher score */
			if (x->vetoed < s->vetoed[p] || (x->vetoed == s->vetoed[p] &&
			    x->score >= s->score[p]))
				continue;
		} else {
			grow(&a->v, &a->cap, a->n + 1, sizeof *a->v);
			codemap_put(&a->seen, code, (int64_t)a->n, 0);
			x = &a->v[a->n++];
		}
		memset(x, 0, sizeof *x);
		snprintf(x->subject, sizeof x->subject, "%s", code);
		snprintf(x->group, sizeof x->group, "%s",
		    MV_TEXT(ev, ev->gname[s->group[p]]));
		snprintf(x->movement, sizeof x->movement, "%s", ev->mv.code);
		x->score = s->score[p];
		x->rank = s->rank[p];
		x->vetoed = s->vetoed[p];
	}
}

struct codes { char (*v)[33]; size_t n, cap; };

static int
on_code(void *arg, const struct mv_row *r, struct err *e)
{
	struct codes *c = arg;

	(void)e;
	grow(&c->v, &c->cap, c->n + 1, sizeof *c->v);
	snprintf(c->v[c->n++], sizeof *c->v, "%s", r->t[0]);
	return 0;
}

void
mv_stamp_read(struct store *st, struct mv_stamp *t)
{
	struct mv_rec_stamp rec, tgt;
	struct err e;

	memset(t, 0, sizeof *t);
	t->day = date_today();
	t->ok = store_movement_targets_stamp(st, &tgt, &e) == 0 &&
	    store_generation(st, "movement-defs", &t->defs, &e) == 0 &&
	    store_movement_records_stamp(st, &rec, &e) == 0;
	t->targets = tgt.gen;
	t->tgt_seq = tgt.seq;	/* (targets_log: a write by the sqlite3 */
	t->tgt_tag = tgt.tag;	/* shell leaves the generation) */
	t->rec_gen = rec.gen;
	t->rec_seq = rec.seq;
	t->rec_tag = rec.tag;
}

int
mv_stamp_same(const struct mv_stamp *a, const struct mv_stamp *b)
{
	return a->ok && b->ok && a->day == b->day &&
	    snapcache_current(a->targets, b->targets) &&
	    a->tgt_seq == b->tgt_seq && a->tgt_tag == b->tgt_tag &&
	    snapcache_current(a->defs, b->defs) &&
	    snapcache_current(a->rec_gen, b->rec_gen) &&
	    a->rec_seq == b->rec_seq && a->rec_tag == b->rec_tag;
}

/*
 * The kept answers of movement_scores (movement_keep, snapcache-kept.h): the
 * movement (or "regular") and year asked, the stamps they were made at,
 * and the scores. (An answer of more rows is not kept: 152 bytes a
 * participant, four of a million-person movement would hold 600 MB;
 * this caps them at 300.)
 */
static struct kept_set scores_kept = KEPT_SET(sizeof(struct subject_score),
    4, 500000, "mv-scores");

void
movement_keep(int on)
{
	kept_on(&scores_kept, on);
	evals_keep(on);
}

int
movement_scores(struct store *st, const char *code, int year,
    struct subject_score **out, size_t *n, struct err *e)
{
	struct scores_acc a;
	struct codes c = { NULL, 0, 0 };
	struct elig_stamp es;
	struct mv_stamp ms;
	int rc = 0, on;

	*out = NULL;
	*n = 0;
	if ((on = kept_stamp(&scores_kept, st, &es, &ms)) &&
	    kept_get(&scores_kept, code, year, &es, &ms, (void **)out, n, NULL))
		return 0;

	memset(&a, 0, sizeof a);
	codemap_init(&a.seen);
	if (strcmp(code, "regular") == 0)
		rc = store_movement_regular(st, year, on_code, &c, e);
	else
		on_code(&c, &(struct mv_row){ .t = { code } }, e);
	for (size_t i = 0; rc == 0 && i < c.n; i++) {
		struct mv_eval ev;

		if ((rc = mv_eval_run(st, c.v[i], NULL, &ev, e)) == 0) {
			scores_add(&a, &ev);
			mv_eval_free(&ev);
		}
	}
	free(c.v);
	codemap_free(&a.seen);
	if (rc != 0) {
		free(a.v);
		return -1;
	}
	if (on)
		kept_put(&scores_kept, code, year, &es, &ms, a.v, a.n, 0);
	*out = a.v;
	*n = a.n;
	return 0;
}

/* ---- show and list ---- */

static void
name_json(struct sb *o, const char *vi, const char *en)
{
	sb_puts(o, "{\"vi\":");
	sb_json_str(o, vi ? vi : "");
	sb_puts(o, ",\"en\":");
	if (en)
		sb_json_str(o, en);
	else
		sb_puts(o, "null");
	sb_putc(o, '}');
}

int
movement_show_json(struct store *st, const char *code, struct sb *o,
    struct err *e)
{
	static const char *const subj[] = { "unit", "person" };
	struct movement m;
	int64_t id;
	int version;
	char *src = NULL, d1[11], d2[11];

	if (store_movement_source(st, code, &id, &src, &version, e) != 0)
		return -1;
	if (movement_parse(code, src, strlen(src), &m, e) != 0) {
		free(src);
		return -1;
	}
	free(src);
	date_format(m.start, d1);
	date_format(m.end, d2);
	sb_puts(o, "{\"code\":");
	sb_json_str(o, m.code);
	sb_puts(o, ",\"name\":");
	name_json(o, m.name_vi, m.name_en);
	sb_printf(o, ",\"kind\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"scope\":",
	    mv_kind_name(m.kind), d1, d2);
	sb_json_str(o, m.scope);
	sb_printf(o, ",\"subjects\":\"%s\",\"group_by\":\"%s\",\"ratings\":"
	    "{\"HTXSNV\":", subj[m.subjects], mv_group_name(m.group_by));
	num(o, m.thr[0]);
	sb_puts(o, ",\"HTTNV\":");
	num(o, m.thr[1]);
	sb_puts(o, ",\"HTNV\":");
	num(o, m.thr[2]);
	sb_printf(o, "},\"version\":%d,\"criteria\":[", version);
	for (size_t c = 0; c < m.ncrit; c++) {
		const struct criterion *cr = &m.crit[c];

		sb_puts(o, c ? ",{\"code\":" : "{\"code\":");
		sb_json_str(o, cr->code);
		sb_puts(o, ",\"name\":");
		if (cr->name_vi)
			name_json(o, cr->name_vi, cr->name_en);
		else
			sb_puts(o, "null");
		sb_puts(o, ",\"metric\":");
		sb_json_str(o, cr->metric);
		sb_printf(o, ",\"aggregate\":\"%s\",\"better\":\"%s\",\"weight\":",
		    cr->builtin ? "count" : mv_agg_name(cr->agg),
		    cr->lower ? "lower" : "higher");
		num(o, cr->weight);
		sb_puts(o, ",\"scoring\":");
		if (cr->scoring == SC_RATIO) {
			sb_puts(o, "{\"ratio\":{\"cap\":");
			num(o, cr->cap);
			sb_puts(o, "}}");
		} else if (cr->scoring == SC_BANDS) {
			sb_puts(o, "{\"bands\":[");
			for (size_t b = 0; b < cr->nbands; b++) {
				sb_puts(o, b ? ",[" : "[");
				num(o, cr->bound[b]);
				sb_putc(o, ',');
				num(o, cr->share[b]);
				sb_putc(o, ']');
			}
			sb_puts(o, "]}");
		} else
			sb_puts(o, "null");
		sb_puts(o, ",\"veto\":");
		if (cr->has_veto) {
			sb_puts(o, "{\"max\":");
			num(o, cr->veto_max);
			sb_printf(o, ",\"rating_cap\":\"%s\"}",
			    mv_rating_name(cr->veto_cap));
		} else
			sb_puts(o, "null");
		sb_putc(o, '}');
	}
	sb_puts(o, "]}\n");
	movement_free(&m);
	return 0;
}

static int
on_list(void *arg, const struct mv_row *r, struct err *e)
{
	struct sb *o = arg;

	(void)e;
	sb_puts(o, o->s[o->len - 1] == '[' ? "{\"code\":" : ",{\"code\":");
	sb_json_str(o, r->t[0]);
	sb_puts(o, ",\"name\":");
	name_json(o, r->t[1], r->t[2][0] ? r->t[2] : NULL);
	sb_printf(o, ",\"kind\":\"%s\",\"start\":\"%s\",\"end\":\"%s\",\"scope\":",
	    r->t[3], r->t[4], r->t[5]);
	sb_json_str(o, r->t[6]);
	sb_printf(o, ",\"subjects\":\"%s\",\"version\":%lld}", r->t[7],
	    (long long)r->i[0]);
	return 0;
}

int
movement_list_json(struct store *st, struct sb *o, struct err *e)
{
	sb_puts(o, "{\"movements\":[");
	if (store_movement_list(st, on_list, o, e) != 0)
		return -1;
	sb_puts(o, "]}\n");
	return 0;
}
