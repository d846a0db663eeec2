/*
 * movement-eval.c: evaluate a movement. Loads the snapshot the scoring
 * engine needs, one streamed pass per table (units, people, targets,
 * records, built-in sources), into flat arrays indexed by subject id and
 * by dense participant index, runs movement-score.c, and writes the evaluation
 * document. The participants are the subjects of the movement's kind in
 * the scope's subtree with at least one target (docs/movements.md).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "codemap.h"
#include "snapcache-col.h"
#include "metrics.h"
#include "movement.h"
#include "par.h"
#include "rules.h"
#include "schedule.h"
#include "movement-score.h"
#include "store-movement.h"
#include "store.h"
#include "util.h"

/* Below this many candidates (or subject ids), scans use one connection. */
#define PAR_MIN_CANDIDATES 4096

/* Everything the loader needs besides the result. */
struct load {
	struct mv_eval	*ev;
	int64_t		 max;		/* largest subject id */
	/* units, dense in id order */
	size_t		 nu, ucap;
	int64_t		*uid, *upar_id;
	int32_t		*upar;		/* parent unit index, -1 root */
	uint32_t	*ucode, *ubloc, *uname;
	int32_t		*uix;		/* subject id → unit index or -1 */
	uint8_t		*uin;		/* unit in the scope's subtree */
	/* people: subject id → unit index, or -1 */
	int32_t		*punit;
	/* candidates from targets, in subject id order */
	size_t		 nc, ccap, ocap, nt, tcap;
	int64_t		*cid;
	size_t		*coff;		/* targets of candidate k: [coff[k], coff[k+1]) */
	uint8_t		*tcrit;
	double		*tval;
	int32_t		*cix;		/* subject id → candidate index or -1 */
	/* participants */
	int32_t		*pix;		/* subject id → participant or -1 */
	int32_t		*pcand;		/* participant → candidate */
	int32_t		*punit_p;	/* participant → its unit index (itself for units) */
	/* records: metric id → first criterion, criteria chained by next */
	int64_t		 nmetric;
	int16_t		*mfirst;
	int16_t		 cnext[256];
	int64_t		 last_sid;
	int32_t		 last_p;
	long		 last_crit;	/* targets: the criterion of the last row */
	struct colfile_writer *w;	/* targets: the copy being built, or NULL */
	/* targets: a copy's share of the rows written since it (struct tdelta) */
	const int64_t	*chg;		/* subjects written, ascending, or NULL */
	size_t		 nchg, ci;
	const struct colrec *drow;	/* their rows now */
	size_t		 nd, di;
	char		*db;		/* the SQLite file (copies beside it), or NULL */
};

static uint32_t
text_add(struct mv_eval *ev, const char *s)
{
	size_t len = strlen(s) + 1;
	uint32_t off;

	if (ev->text != NULL && s >= ev->text && s < ev->text + ev->tlen)
		return (uint32_t)(s - ev->text);	/* already in the arena */
	grow(&ev->text, &ev->tcap, ev->tlen + len, 1);
	off = (uint32_t)ev->tlen;
	memcpy(ev->text + ev->tlen, s, len);
	ev->tlen += len;
	return off;
}

static int32_t *
id_array(int64_t max)
{
	int32_t *a = xmalloc(((size_t)max + 1) * sizeof *a);

	memset(a, 0xff, ((size_t)max + 1) * sizeof *a);
	return a;
}

/* ---- units and scope ---- */

static int
on_unit(void *arg, const struct mv_row *r, struct err *e)
{
	struct load *l = arg;
	size_t i = l->nu;

	(void)e;
	if (r->i[0] > l->max)
		return 0;
	if (i == l->ucap) {
		size_t cap = l->ucap;

		grow(&l->uid, &cap, i + 1, sizeof *l->uid);
		cap = l->ucap;
		grow(&l->upar_id, &cap, i + 1, sizeof *l->upar_id);
		cap = l->ucap;
		grow(&l->ucode, &cap, i + 1, sizeof *l->ucode);
		cap = l->ucap;
		grow(&l->ubloc, &cap, i + 1, sizeof *l->ubloc);
		cap = l->ucap;
		grow(&l->uname, &cap, i + 1, sizeof *l->uname);
		l->ucap = cap;
	}
	l->uid[i] = r->i[0];
	l->upar_id[i] = r->i[1];
	l->ucode[i] = text_add(l->ev, r->t[0]);
	l->ubloc[i] = text_add(l->ev, r->t[1]);
	l->uname[i] = text_add(l->ev, r->t[2]);
	l->uix[r->i[0]] = (int32_t)i;
	l->nu++;
	return 0;
}

/* Resolve parents and mark the scope's subtree. -1 when scope is absent. */
static int
scope_tree(struct load *l, const char *scope, struct err *e)
{
	long root = -1;

	l->upar = xmalloc((l->nu ? l->nu : 1) * sizeof *l->upar);
	l->uin = xcalloc(l->nu ? l->nu : 1, 1);
	for (size_t i = 0; i < l->nu; i++) {
		int64_t p = l->upar_id[i];

		l->upar[i] = p > 0 && p <= l->max ? l->uix[p] : -1;
		if (strcmp(MV_TEXT(l->ev, l->ucode[i]), scope) == 0)
			root = (long)i;
	}
	if (root < 0)
		return err_at(e, ERR_USER, NULL, 0, 0, "scope", "%s '%s'",
		    TR("không có đơn vị phạm vi", "no such scope unit"), scope);
	/* 0 unknown, 1 inside, 2 outside; walk up with path compression. */
	uint8_t *st = l->uin;
	st[root] = 1;
	for (size_t i = 0; i < l->nu; i++) {
		size_t j = i, guard = 0;
		uint8_t v;

		while (st[j] == 0 && l->upar[j] >= 0 && guard++ < l->nu)
			j = (size_t)l->upar[j];
		v = st[j] ? st[j] : 2;
		for (j = i; st[j] == 0; j = (size_t)l->upar[j]) {
			st[j] = v;
			if (l->upar[j] < 0)
				break;
		}
	}
	for (size_t i = 0; i < l->nu; i++)
		st[i] = st[i] == 1;
	return 0;
}

/* ---- people ---- */

static int
on_person(void *arg, const struct mv_row *r, struct err *e)
{
	struct load *l = arg;
	int64_t id = r->i[0], u = r->i[1];

	(void)e;
	if (id > l->max)
		return 0;
	l->punit[id] = u > 0 && u <= l->max ? l->uix[u] : -1;
	if (l->ev->mv.subjects == MV_PEOPLE && l->cix[id] >= 0) {
		/* stash code and name in the candidate's slot */
		l->ev->code[l->cix[id]] = text_add(l->ev, r->t[0]);
		l->ev->name[l->cix[id]] = text_add(l->ev, r->t[1]);
	}
	return 0;
}

/*
 * A movement without `ratings` takes the thresholds of the rule set in
 * force at its end (the contract); the fixed 90/70/50 stay when there is
 * none.
 */
static void
rule_set_thresholds(struct store *st, struct movement *mv)
{
	struct ruleset *rs;
	struct err e;
	int y, m, d;

	date_to_ymd(mv->end, &y, &m, &d);
	if ((rs = rules_for_year(st, y, NULL, &e)) == NULL)
		return;
	for (int i = 0; i < 3; i++)
		mv->thr[i] = rs->thresholds[i];
	rules_free(rs);
}

/* ---- targets ---- */

/* Target v of candidate sid for criterion c (rows come in subject order). */
static void
target_add(struct load *l, int64_t sid, long c, double v)
{
	if (l->w != NULL)
		colfile_put(l->w, sid, c, 0, v);
	if (l->nc == 0 || l->cid[l->nc - 1] != sid) {
		grow(&l->cid, &l->ccap, l->nc + 1, sizeof *l->cid);
		grow(&l->coff, &l->ocap, l->nc + 2, sizeof *l->coff);
		l->cid[l->nc] = sid;
		l->coff[l->nc] = l->nt;
		l->cix[sid] = (int32_t)l->nc;
		l->nc++;
	}
	if (l->nt == l->tcap) {
		size_t cap = l->tcap;

		grow(&l->tcrit, &cap, l->nt + 1, sizeof *l->tcrit);
		cap = l->tcap;
		grow(&l->tval, &cap, l->nt + 1, sizeof *l->tval);
		l->tcap = cap;
	}
	l->tcrit[l->nt] = (uint8_t)c;
	l->tval[l->nt] = v;
	l->nt++;
	l->coff[l->nc] = l->nt;
}

static int
on_target(void *arg, const struct mv_row *r, struct err *e)
{
	struct load *l = arg;
	const struct movement *mv = &l->ev->mv;
	long c = l->last_crit + 1;

	(void)e;
	/* rows come by subject, then criterion: try the next one first */
	if (c >= (long)mv->ncrit || strcmp(mv->crit[c].code, r->t[0]) != 0)
		c = movement_criterion(mv, r->t[0]);
	l->last_crit = c;
	if (c < 0 || r->i[0] > l->max)
		return 0;	/* a criterion dropped by a newer version */
	target_add(l, r->i[0], c, r->d);
	return 0;
}

/* First index of a[0..n) (ascending) not below v. */
static size_t
lower_i64(const int64_t *a, size_t n, int64_t v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t
lower_row(const struct colrec *a, size_t n, int64_t v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (a[mid].subject < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* One target row of a copy or of the delta, as on_target takes it. */
static inline void
target_row(struct load *l, const struct colrec *r)
{
	if (r->subject <= l->max && r->metric < l->ev->mv.ncrit)
		target_add(l, r->subject, r->metric, r->value);
}

/* Targets from a copy: the criterion index is stored as the metric. */
static void
on_target_block(void *arg, const struct colrec *r, size_t n)
{
	struct load *l = arg;

	for (size_t i = 0; i < n; i++)
		target_row(l, &r[i]);
}

/*
 * A copy's targets with l's share of the delta merged in (struct tdelta
 * below): the rows of a subject written since come from the delta, at
 * their place in subject order, and its rows in the copy are left out.
 */
static void
on_target_block_merge(void *arg, const struct colrec *r, size_t n)
{
	struct load *l = arg;

	for (size_t i = 0; i < n; i++) {
		int32_t sid = r[i].subject;

		while (l->di < l->nd && l->drow[l->di].subject < sid)
			target_row(l, &l->drow[l->di++]);
		while (l->ci < l->nchg && l->chg[l->ci] < sid)
			l->ci++;
		if (l->ci < l->nchg && l->chg[l->ci] == sid)
			continue;	/* written since: its rows are the delta's */
		target_row(l, &r[i]);
	}
}

/* Segments from..to-1 of a targets copy into l, then the rest of l's delta. */
static int
targets_scan(const struct colfile *cf, int from, int to, struct load *l,
    struct err *e)
{
	int rc = 0;

	for (int seg = from; seg < to && rc == 0; seg++)
		rc = colfile_scan(cf, seg, l->chg != NULL ? on_target_block_merge :
		    on_target_block, l, e);
	while (rc == 0 && l->di < l->nd)
		target_row(l, &l->drow[l->di++]);
	return rc;
}

/*
 * Targets of a big movement on SQLite: the upper half of the subject ids
 * is read by a second connection (or from the second segment of the
 * movement's targets copy, snapcache-col.h) on another thread into its own
 * candidate arrays, appended after the lower half's (ids ascend, so the
 * order stays by subject id).
 */
struct tpart {
	struct load	 l;		/* own candidate arrays; cix shared */
	const char	*path;
	const struct colfile *cf;	/* reading segment 1 of a copy */
	int64_t		 lo, hi;
	int		 rc;
	struct err	 e;
	enum lang	 lang;
};

static void *
tpart_main(void *arg)
{
	struct tpart *t = arg;
	struct store *st;

	g_lang = t->lang;
	if (t->cf != NULL) {
		t->rc = targets_scan(t->cf, 1, 2, &t->l, &t->e);
		return NULL;
	}
	if ((t->rc = store_open(t->path, &st, &t->e)) != 0)
		return NULL;
	store_read_once(st, 1);
	t->rc = store_movement_targets_range(st, t->l.ev->id, t->lo, t->hi,
	    on_target, &t->l, &t->e);
	store_close(st);
	return NULL;
}

/* Append part t's candidates after l's. */
static void
targets_merge(struct load *l, struct tpart *t)
{
	size_t nc = l->nc + t->l.nc, nt = l->nt + t->l.nt;

	grow(&l->cid, &l->ccap, nc + 1, sizeof *l->cid);
	grow(&l->coff, &l->ocap, nc + 2, sizeof *l->coff);
	{
		size_t cap = l->tcap;

		grow(&l->tcrit, &cap, nt + 1, sizeof *l->tcrit);
		cap = l->tcap;
		grow(&l->tval, &cap, nt + 1, sizeof *l->tval);
		l->tcap = cap;
	}
	for (size_t k = 0; k < t->l.nc; k++) {
		l->cid[l->nc + k] = t->l.cid[k];
		l->coff[l->nc + k] = l->nt + t->l.coff[k];
		l->cix[t->l.cid[k]] = (int32_t)(l->nc + k);
	}
	if (t->l.nt) {
		memcpy(l->tcrit + l->nt, t->l.tcrit, t->l.nt * sizeof *l->tcrit);
		memcpy(l->tval + l->nt, t->l.tval, t->l.nt * sizeof *l->tval);
	}
	l->nc = nc;
	l->nt = nt;
	if (l->coff != NULL)
		l->coff[nc] = nt;
}

/*
 * A movement's targets copy is stamped with the table's generation and
 * targets_log's last row (migration 0025), the generation and the row's
 * tag each mixed with the movement's id and version (whose criteria the
 * stored indices refer to) by targets_stamp: a copy of another movement
 * or version matches neither. It is current while all three are the
 * table's (a write by the sqlite3 shell leaves the generation but is
 * logged).
 */
static int64_t
targets_stamp(int64_t gen, const struct mv_eval *ev)
{
	return (int64_t)((uint64_t)gen ^
	    (uint64_t)ev->id * 0x9E3779B97F4A7C15ull ^
	    (uint64_t)ev->version * 0xC2B2AE3D27D4EB4Full);
}

/*
 * A copy out of date by writes that targets_log still holds is brought up
 * to date, as the records copy is (scan_records below): the targets the
 * subjects logged for the movement since have now are read again (struct
 * tdelta), and the copy is scanned with those subjects' rows left out and
 * their rows now merged in at their place, so the candidates and their
 * targets are those of a load from the table. The file is left as it is
 * (each evaluation reads those subjects again: a look-up of the key
 * each); it is made again whole from the table when more than
 * TDELTA_SUBJECTS of the movement's subjects, or more log rows than a
 * TDELTA_SHARE-th of its rows (every movement's writes), came since.
 */
#define TDELTA_SUBJECTS	4096
#define TDELTA_SHARE	4

struct tdelta {
	const struct movement *mv;
	int64_t		 max;		/* the largest subject id */
	int64_t		*chg;		/* subjects, ascending */
	size_t		 nchg, ccap;
	struct colrec	*row;		/* their targets now, in copy order */
	size_t		 nrow, rcap;
};

static int
on_tdelta_subject(void *arg, int64_t sid)
{
	struct tdelta *d = arg;

	if (d->nchg >= TDELTA_SUBJECTS || sid < 0 || sid > INT32_MAX)
		return 1;	/* enough: made again whole */
	grow(&d->chg, &d->ccap, d->nchg + 1, sizeof *d->chg);
	d->chg[d->nchg++] = sid;
	return 0;
}

static int
on_tdelta_row(void *arg, int64_t sid, const char *criterion, double v)
{
	struct tdelta *d = arg;
	long c = movement_criterion(d->mv, criterion);

	if (c < 0 || sid > d->max)
		return 0;	/* as on_target: not the copy's either */
	grow(&d->row, &d->rcap, d->nrow + 1, sizeof *d->row);
	d->row[d->nrow++] = (struct colrec){ (int32_t)sid, (uint16_t)c, 0, v };
	return 0;
}

/*
 * Open movement l->ev's targets copy for the table at stamp *now: 1 with
 * *out set (and d filled when the copy was out of date by what the log
 * holds), 0 when it must be made again whole, -1 with e.
 */
static int
targets_copy(struct store *st, struct load *l, const char *name,
    const struct mv_rec_stamp *now, struct colfile **out, struct tdelta *d,
    struct err *e)
{
	const struct mv_eval *ev = l->ev;
	const struct colstamp *made;
	struct colfile *cf;
	int64_t max;
	int rc;

	*out = NULL;
	if (!colfile_open_made(l->db, name, &cf))
		return 0;
	made = colfile_made(cf);
	if (snapcache_current(made->gen, targets_stamp(now->gen, ev)) &&
	    made->seq == now->seq && made->tag == targets_stamp(now->tag, ev)) {
		*out = cf;
		return 1;	/* (the sqlite3 shell leaves the generation) */
	}
	if (made->seq == 0 || made->seq == now->seq || colfile_nseg(cf) > 2) {
		/* no log (a copy made before 0025), or a new stamp without a
		 * row logged: a write the log cannot tell (docs/movements.md) */
		colfile_close(cf);
		return 0;
	}
	d->mv = &ev->mv;
	d->max = l->max;
	max = (int64_t)(colfile_rows(cf) / TDELTA_SHARE) + 65536;
	rc = store_movement_targets_since(st, ev->id, made->seq,
	    targets_stamp(made->tag, ev), max, on_tdelta_subject,
	    on_tdelta_row, d, e);
	if (rc == 1) {
		*out = cf;
		return 1;
	}
	colfile_close(cf);
	return rc < 0 ? -1 : 0;
}

/* Give l the delta's rows of subjects lo <= id < hi to merge. */
static void
tdelta_share(struct load *l, const struct tdelta *d, int64_t lo, int64_t hi)
{
	size_t c0 = lower_i64(d->chg, d->nchg, lo);
	size_t c1 = lower_i64(d->chg, d->nchg, hi);
	size_t r0 = lower_row(d->row, d->nrow, lo);
	size_t r1 = lower_row(d->row, d->nrow, hi);

	l->chg = d->chg + c0;
	l->nchg = c1 - c0;
	l->ci = 0;
	l->drow = d->row + r0;
	l->nd = r1 - r0;
	l->di = 0;
}

static int
load_targets(struct store *st, struct load *l, struct err *e)
{
	struct tpart t;
	struct mv_rec_stamp at, now;
	struct tdelta d;
	int64_t lo, hi, mid;
	struct colfile *cf = NULL;
	struct colfile_writer *w1 = NULL;
	char name[48];
	struct par_job th;
	const char *path = l->db;
	int rc, nseg = 1, threaded = 0, keep;

	l->last_crit = -1;
	snprintf(name, sizeof name, "targets-%lld", (long long)l->ev->id);
	memset(&at, 0, sizeof at);
	memset(&d, 0, sizeof d);
	if (path != NULL && store_movement_targets_stamp(st, &at, e) != 0)
		return -1;
	memset(&t, 0, sizeof t);
	t.l.ev = l->ev;
	t.l.max = l->max;
	t.l.cix = l->cix;
	t.l.last_crit = -1;
	t.path = path;
	t.lang = g_lang;
	rc = path != NULL ? targets_copy(st, l, name, &at, &cf, &d, e) : 0;
	if (rc < 0)
		goto out;
	if (path != NULL)
		metrics_snapshot(name, cf == NULL);
	if (cf != NULL) {
		/* a current copy (or one brought up to date): its segments in
		 * order, two at once */
		nseg = colfile_nseg(cf);
		if (nseg == 2) {
			t.cf = cf;
			colfile_range(cf, 1, &lo, &hi);
			if (d.nchg > 0) {
				tdelta_share(&t.l, &d, lo, INT64_MAX);
				tdelta_share(l, &d, INT64_MIN, lo);
			}
			threaded = par_start(&th, tpart_main, &t) == 0;
		}
		if (d.nchg > 0 && !threaded)	/* every segment here */
			tdelta_share(l, &d, INT64_MIN, INT64_MAX);
		rc = targets_scan(cf, 0, threaded ? 1 : nseg, l, e);
		if (threaded) {
			par_join(&th);
			if (rc == 0 && t.rc != 0) {
				*e = t.e;
				rc = -1;
			}
			if (rc == 0)
				targets_merge(l, &t);
		}
		colfile_close(cf);
		goto out;
	}
	/* from the database, writing the copy beside a SQLite file */
	if (store_movement_target_span(st, l->ev->id, &lo, &hi, e) != 0) {
		rc = -1;
		goto out;
	}
	if (path != NULL && hi - lo >= PAR_MIN_CANDIDATES)
		nseg = 2;
	if (path != NULL) {
		l->w = colfile_create(path, name, 0, nseg);
		colfile_set(l->w, INT64_MIN, nseg == 1 ? INT64_MAX :
		    lo + (hi - lo) / 2, at.seq, targets_stamp(at.tag, l->ev));
	}
	if (nseg == 1) {
		rc = store_movement_targets(st, l->ev->id, on_target, l, e);
		goto built;
	}
	mid = lo + (hi - lo) / 2;
	t.lo = mid;
	t.hi = INT64_MAX;
	t.l.w = w1 = colfile_create(path, name, 1, 2);
	colfile_set(w1, mid, INT64_MAX, at.seq, targets_stamp(at.tag, l->ev));
	threaded = par_start(&th, tpart_main, &t) == 0;
	rc = store_movement_targets_range(st, l->ev->id, INT64_MIN, mid,
	    on_target, l, e);
	if (threaded)
		par_join(&th);
	else if (rc == 0)
		tpart_main(&t);
	else
		t.rc = 0;
	if (rc == 0 && t.rc != 0) {
		*e = t.e;
		rc = -1;
	}
	if (rc == 0)
		targets_merge(l, &t);
built:
	if (l->w != NULL) {
		/* kept only when no write of targets came meanwhile */
		keep = rc == 0 && colfile_ok(l->w) && (w1 == NULL || colfile_ok(w1)) &&
		    store_movement_targets_stamp(st, &now, e) == 0 &&
		    snapcache_current(at.gen, now.gen) && at.seq == now.seq &&
		    at.tag == now.tag;
		if (w1 != NULL)
			colfile_finish(w1, targets_stamp(at.gen, l->ev), keep);
		colfile_finish(l->w, targets_stamp(at.gen, l->ev), keep);
		l->w = NULL;
	}
out:
	l->chg = NULL;
	l->drow = NULL;
	l->nchg = l->nd = 0;
	free(d.chg);
	free(d.row);
	free(t.l.cid);
	free(t.l.coff);
	free(t.l.tcrit);
	free(t.l.tval);
	return rc;
}

/* ---- participants ---- */

static int
by_code(const void *a, const void *b, void *arg)
{
	const struct mv_eval *ev = arg;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return strcmp(MV_TEXT(ev, ev->code[x]), MV_TEXT(ev, ev->code[y]));
}

/* Keep the candidates of the right kind inside the scope, in code order. */
static void
participants(struct load *l)
{
	struct mv_eval *ev = l->ev;
	int people = ev->mv.subjects == MV_PEOPLE;
	uint32_t *keep = xmalloc((l->nc ? l->nc : 1) * sizeof *keep);
	uint32_t *code = ev->code, *name = ev->name;
	size_t n = 0;

	for (size_t k = 0; k < l->nc; k++) {
		int64_t id = l->cid[k];
		int32_t u = people ? l->punit[id] : l->uix[id];

		if (u < 0 || !l->uin[u] || (people && l->uix[id] >= 0))
			continue;
		if (!people) {
			code[k] = l->ucode[u];
			name[k] = l->uname[u];
		}
		keep[n++] = (uint32_t)k;
	}
	qsort_r(keep, n, sizeof *keep, by_code, ev);
	ev->n = n;
	ev->sid = xmalloc((n ? n : 1) * sizeof *ev->sid);
	ev->code = xmalloc((n ? n : 1) * sizeof *ev->code);
	ev->name = xmalloc((n ? n : 1) * sizeof *ev->name);
	l->pcand = xmalloc((n ? n : 1) * sizeof *l->pcand);
	l->punit_p = xmalloc((n ? n : 1) * sizeof *l->punit_p);
	for (size_t p = 0; p < n; p++) {
		uint32_t k = keep[p];
		int64_t id = l->cid[k];

		ev->sid[p] = id;
		ev->code[p] = code[k];
		ev->name[p] = name[k];
		l->pcand[p] = (int32_t)k;
		l->punit_p[p] = people ? l->punit[id] : l->uix[id];
		l->pix[id] = (int32_t)p;
	}
	free(code);
	free(name);
	free(keep);
}

/* The distinct group names (groups) in name order: by_name over indices. */
struct names {
	const struct mv_eval	*ev;
	const uint32_t		*off;	/* each name's text */
};

static int
by_name(const void *a, const void *b, void *arg)
{
	const struct names *n = arg;

	return strcmp(MV_TEXT(n->ev, n->off[*(const uint32_t *)a]),
	    MV_TEXT(n->ev, n->off[*(const uint32_t *)b]));
}

/*
 * Group of each participant; dense ids in name order. Participants share
 * few group names (a bloc's, a unit's code): each distinct name is found
 * once through a codemap, only those are sorted, and each participant's
 * group is read from its name's place (at a million people a sort of
 * every participant's name and a search by name for each took 0.2 s of
 * every evaluation).
 */
static void
groups(struct load *l)
{
	struct mv_eval *ev = l->ev;
	uint32_t *g = xmalloc((ev->n ? ev->n : 1) * sizeof *g);
	uint32_t empty = text_add(ev, ""), *off = NULL, *at, *rank;
	size_t nd = 0, cap = 0;
	struct codemap m;
	struct names nm;

	codemap_init(&m);
	for (size_t p = 0; p < ev->n; p++) {
		int32_t u = l->punit_p[p];
		uint32_t o;
		int64_t i;

		switch (ev->mv.group_by) {
		case MV_GROUP_BLOC:
			o = l->ubloc[u];
			break;
		case MV_GROUP_PARENT:
			o = ev->mv.subjects == MV_PEOPLE ? l->ucode[u] :
			    l->upar[u] >= 0 ? l->ucode[l->upar[u]] : empty;
			break;
		default:
			o = empty;
			break;
		}
		if (!codemap_get(&m, MV_TEXT(ev, o), &i, NULL)) {
			i = (int64_t)nd;
			codemap_put(&m, MV_TEXT(ev, o), i, 0);
			grow(&off, &cap, nd + 1, sizeof *off);
			off[nd++] = o;
		}
		g[p] = (uint32_t)i;
	}
	codemap_free(&m);
	at = xmalloc((nd ? nd : 1) * sizeof *at);
	rank = xmalloc((nd ? nd : 1) * sizeof *rank);
	for (size_t i = 0; i < nd; i++)
		at[i] = (uint32_t)i;
	nm = (struct names){ ev, off };
	qsort_r(at, nd, sizeof *at, by_name, &nm);
	ev->gname = xmalloc((nd ? nd : 1) * sizeof *ev->gname);
	for (size_t k = 0; k < nd; k++) {
		ev->gname[k] = off[at[k]];
		rank[at[k]] = (uint32_t)k;
	}
	ev->ngroups = nd;
	for (size_t p = 0; p < ev->n; p++)
		ev->s.group[p] = (int32_t)rank[g[p]];
	free(g);
	free(off);
	free(at);
	free(rank);
}

/* ---- records ---- */

static int
on_metric(void *arg, const struct mv_row *r, struct err *e)
{
	struct load *l = arg;
	const struct movement *mv = &l->ev->mv;

	(void)e;
	for (size_t c = 0; c < mv->ncrit; c++)
		if (!mv->crit[c].builtin && strcmp(mv->crit[c].metric, r->t[0]) == 0) {
			if (r->i[0] >= l->nmetric) {
				int64_t n = r->i[0] + 1;

				l->mfirst = xrealloc(l->mfirst, (size_t)n * sizeof *l->mfirst);
				for (int64_t j = l->nmetric; j < n; j++)
					l->mfirst[j] = -1;
				l->nmetric = n;
			}
			l->cnext[c] = l->mfirst[r->i[0]];
			l->mfirst[r->i[0]] = (int16_t)c;
		}
	return 0;
}

static void
on_record(void *arg, int64_t sid, int64_t metric, int32_t day, double v)
{
	struct load *l = arg;
	int32_t p;

	(void)day;
	if (sid != l->last_sid) {
		l->last_sid = sid;
		l->last_p = sid <= l->max ? l->pix[sid] : -1;
	}
	if ((p = l->last_p) < 0 || metric >= l->nmetric)
		return;
	for (int c = l->mfirst[metric]; c >= 0; c = l->cnext[c])
		score_add(&l->ev->s, (size_t)p, (size_t)c, v);
}

/*
 * The records scan. Without a database file (PostgreSQL) it is one
 * streamed query. With a SQLite file the rows come from the columnar copy
 * beside it (snapcache-col.h) when that is current, else they are read from
 * the database, one connection per segment, and written to a new copy
 * while they are scored. Segments hold disjoint ranges of subject ids
 * (split at the median candidate), so the parts touch disjoint
 * participants and accumulate into the same arrays without locks.
 *
 * A copy out of date by writes that records_log still holds (migration
 * 0015) is brought up to date instead: the rows of the subjects logged
 * since it was made are read again from the table (struct delta), and each
 * segment is scanned with those subjects' rows of the copy left out and
 * their rows now merged in at their place in key order. A subject's rows
 * thus all come from one source, in key order, so every participant folds
 * the same values in the same order as a run without a copy (score_add:
 * the documents are the same byte for byte). When the delta is big
 * enough to be worth it, the merged rows are written to a new copy, made
 * at the stamp the delta was read at.
 */

/* a copy is made again whole when the log since it, or the rows of the
 * subjects it names, are more than this share of the copy (reading them
 * one subject at a time would cost more than one pass over the table) ... */
#define DELTA_MAX_SHARE		4
/* ... and rewritten, merged, when the delta names this many subjects or
 * has this many log rows (until then each evaluation reads them again) */
#define DELTA_REWRITE_SUBJECTS	4096
#define DELTA_REWRITE_ROWS	16384

/* Subjects written since a copy, and the rows they have now, in key order. */
struct delta {
	int64_t		*chg;		/* subjects, ascending */
	size_t		 nchg, ccap;
	struct colrec	*row;		/* their rows now */
	size_t		 nrow, rcap, max;	/* (more than max: made again whole) */
};

static void
on_delta_subject(void *arg, int64_t sid)
{
	struct delta *d = arg;

	grow(&d->chg, &d->ccap, d->nchg + 1, sizeof *d->chg);
	d->chg[d->nchg++] = sid;
}

/* 1 (enough) for a row struct colrec cannot hold, or past d->max rows. */
static int
on_delta_row(void *arg, int64_t sid, int64_t metric, int32_t day, double v)
{
	struct delta *d = arg;
	struct colrec *r;

	if (sid < 0 || sid > INT32_MAX || metric < 0 || metric > UINT16_MAX ||
	    day < 0 || day > UINT16_MAX || d->nrow >= d->max)
		return 1;
	grow(&d->row, &d->rcap, d->nrow + 1, sizeof *d->row);
	r = &d->row[d->nrow++];
	r->subject = (int32_t)sid;
	r->metric = (uint16_t)metric;
	r->day = (uint16_t)day;
	r->value = v;
	return 0;
}

struct part {
	struct load	*l;
	const char	*path;		/* the SQLite file */
	const struct colfile *cf;	/* reading a copy, else NULL */
	struct colfile_writer *w;	/* building a copy */
	int		 seg;
	int32_t		 from, to;
	int64_t		 lo, hi;	/* building: subject ids of the segment */
	struct mv_rec_stamp at;		/* building: the stamp the rows are of */
	int64_t		 last_sid;
	int32_t		 last_p;
	/* a copy out of date: the segment's share of the delta */
	int		 merge;
	const int64_t	*chg;
	size_t		 nchg, ci;
	const struct colrec *drow;
	size_t		 nd, di;
	int		 rc;
	struct err	 e;
	enum lang	 lang;		/* the caller's (g_lang is per thread) */
};

static inline void
on_record_part(struct part *pt, int64_t sid, int64_t metric, int32_t day,
    double v)
{
	struct load *l = pt->l;
	int32_t p;

	if (day < pt->from || day > pt->to)
		return;
	if (sid != pt->last_sid) {
		pt->last_sid = sid;
		pt->last_p = sid <= l->max ? l->pix[sid] : -1;
	}
	if ((p = pt->last_p) < 0 || metric >= l->nmetric)
		return;
	for (int c = l->mfirst[metric]; c >= 0; c = l->cnext[c])
		score_add(&l->ev->s, (size_t)p, (size_t)c, v);
}

/* Building: every row goes to the copy, those in the dates are scored. */
static void
on_dump_row(void *arg, int64_t sid, int64_t metric, int32_t day, double v)
{
	struct part *pt = arg;

	colfile_put(pt->w, sid, metric, day, v);
	on_record_part(pt, sid, metric, day, v);
}

static void
on_block(void *arg, const struct colrec *r, size_t n)
{
	struct part *pt = arg;

	for (size_t i = 0; i < n; i++)
		on_record_part(pt, r[i].subject, r[i].metric, r[i].day, r[i].value);
}

/* One row of a merged scan: scored, and copied when rewriting. */
static inline void
merged_row(struct part *pt, const struct colrec *r)
{
	if (pt->w != NULL)
		colfile_put(pt->w, r->subject, r->metric, r->day, r->value);
	on_record_part(pt, r->subject, r->metric, r->day, r->value);
}

/* A copy's rows with the delta merged in (struct delta above). */
static void
on_block_merge(void *arg, const struct colrec *r, size_t n)
{
	struct part *pt = arg;

	for (size_t i = 0; i < n; i++) {
		int32_t sid = r[i].subject;

		while (pt->di < pt->nd && pt->drow[pt->di].subject < sid)
			merged_row(pt, &pt->drow[pt->di++]);
		while (pt->ci < pt->nchg && pt->chg[pt->ci] < sid)
			pt->ci++;
		if (pt->ci < pt->nchg && pt->chg[pt->ci] == sid)
			continue;	/* written since: its rows are the delta's */
		merged_row(pt, &r[i]);
	}
}

static void *
part_main(void *arg)
{
	struct part *pt = arg;
	struct store *st;

	g_lang = pt->lang;
	if (pt->cf != NULL && !pt->merge) {
		pt->rc = colfile_scan(pt->cf, pt->seg, on_block, pt, &pt->e);
		return NULL;
	}
	if (pt->cf != NULL) {
		pt->rc = colfile_scan(pt->cf, pt->seg, on_block_merge, pt, &pt->e);
		while (pt->rc == 0 && pt->di < pt->nd)
			merged_row(pt, &pt->drow[pt->di++]);
		return NULL;
	}
	if ((pt->rc = store_open(pt->path, &st, &pt->e)) != 0)
		return NULL;
	store_read_once(st, 1);
	pt->rc = store_movement_records_dump(st, pt->lo, pt->hi, &pt->at,
	    on_dump_row, pt, &pt->e);
	store_close(st);
	return NULL;
}

static int
same_stamp(const struct colstamp *c, const struct mv_rec_stamp *t)
{
	return snapcache_current(c->gen, t->gen) && c->seq == t->seq &&
	    c->tag == t->tag;
}

/*
 * Open the records copy for the database as it is now: 1 with *out set
 * (and d filled when the copy was out of date by what the log holds,
 * *now the stamp that makes), 0 when it must be made again whole.
 */
static int
records_copy(struct store *st, const char *path, struct colfile **out,
    struct delta *d, struct mv_rec_stamp *now, struct err *e)
{
	struct colfile *cf;
	const struct colstamp *made;
	struct mv_rec_stamp had;
	int64_t max;
	int rc;

	*out = NULL;
	if (store_movement_records_stamp(st, now, e) != 0)
		return -1;
	if (!colfile_open_made(path, "records", &cf))
		return 0;
	made = colfile_made(cf);
	if (same_stamp(made, now)) {
		*out = cf;
		return 1;
	}
	if (made->seq == 0 || made->seq == now->seq) {
		/* no log, or a new stamp without a row logged: a write the log
		 * cannot tell (the generation replaced by hand, docs/movements.md) */
		colfile_close(cf);
		return 0;
	}
	had.gen = made->gen;
	had.seq = made->seq;
	had.tag = made->tag;
	max = (int64_t)(colfile_rows(cf) / DELTA_MAX_SHARE) + 65536;
	d->max = (size_t)max;
	rc = store_movement_records_since(st, &had, max, now, on_delta_subject,
	    on_delta_row, d, e);
	if (rc == 1) {
		*out = cf;
		return 1;
	}
	colfile_close(cf);
	return rc < 0 ? -1 : 0;
}

static int
scan_records(struct store *st, struct load *l, struct err *e)
{
	struct mv_eval *ev = l->ev;
	struct part pt[COLFILE_MAXSEG];
	struct par_job th[COLFILE_MAXSEG];
	int started[COLFILE_MAXSEG];
	struct colfile *cf = NULL;
	struct delta d;
	struct mv_rec_stamp now;
	int nseg, keep, rc = -1, merge = 0, rewrite = 0, build;
	const char *path = l->db;

	if (path == NULL)
		return store_movement_records(st, ev->mv.start, ev->as_of,
		    on_record, l, e);
	memset(&d, 0, sizeof d);
	if ((rc = records_copy(st, path, &cf, &d, &now, e)) < 0)
		goto out;
	if (cf != NULL) {
		nseg = colfile_nseg(cf);
		merge = !same_stamp(colfile_made(cf), &now);
		rewrite = merge && (d.nchg >= DELTA_REWRITE_SUBJECTS ||
		    now.seq - colfile_made(cf)->seq >= DELTA_REWRITE_ROWS);
	} else
		nseg = l->nc >= PAR_MIN_CANDIDATES ? 2 : 1;
	metrics_snapshot("records", cf == NULL);
	build = cf == NULL;
	memset(pt, 0, sizeof pt);
	for (int i = 0; i < nseg; i++) {
		pt[i].l = l;
		pt[i].path = path;
		pt[i].cf = cf;
		pt[i].seg = i;
		pt[i].from = ev->mv.start;
		pt[i].to = ev->as_of;
		pt[i].lo = i == 0 ? INT64_MIN : l->cid[l->nc * (size_t)i / (size_t)nseg];
		pt[i].hi = i == nseg - 1 ? INT64_MAX :
		    l->cid[l->nc * (size_t)(i + 1) / (size_t)nseg];
		pt[i].last_sid = -1;
		pt[i].last_p = -1;
		pt[i].lang = g_lang;
		if (merge) {
			size_t c0, c1, r0, r1;

			colfile_range(cf, i, &pt[i].lo, &pt[i].hi);
			c0 = i == 0 ? 0 : lower_i64(d.chg, d.nchg, pt[i].lo);
			c1 = i == nseg - 1 ? d.nchg : lower_i64(d.chg, d.nchg, pt[i].hi);
			r0 = i == 0 ? 0 : lower_row(d.row, d.nrow, pt[i].lo);
			r1 = i == nseg - 1 ? d.nrow : lower_row(d.row, d.nrow, pt[i].hi);
			pt[i].merge = 1;
			pt[i].chg = d.chg + c0;
			pt[i].nchg = c1 - c0;
			pt[i].drow = d.row + r0;
			pt[i].nd = r1 - r0;
			pt[i].at = now;
		}
		if (build || rewrite)
			pt[i].w = colfile_create(path, "records", i, nseg);
	}
	for (int i = 1; i < nseg; i++)
		started[i] = par_start(&th[i], part_main, &pt[i]) == 0;
	part_main(&pt[0]);
	for (int i = 1; i < nseg; i++) {
		if (started[i])
			par_join(&th[i]);
		else
			part_main(&pt[i]);
	}
	rc = 0;
	keep = 1;
	for (int i = 0; i < nseg; i++) {
		if (pt[i].rc != 0 && rc == 0) {
			*e = pt[i].e;
			rc = -1;
		}
		keep = keep && pt[i].rc == 0 && pt[i].at.gen == pt[0].at.gen &&
		    pt[i].at.seq == pt[0].at.seq && pt[i].at.tag == pt[0].at.tag &&
		    (pt[i].w == NULL || colfile_ok(pt[i].w));
	}
	if (build || rewrite) {
		/* (the merged segments are written over the copy being read:
		 * its files stay open, so it is still read whole) */
		for (int i = 0; i < nseg; i++) {
			colfile_set(pt[i].w, pt[i].lo, pt[i].hi, pt[0].at.seq,
			    pt[0].at.tag);
			colfile_finish(pt[i].w, pt[0].at.gen, keep);
		}
	}
out:
	colfile_close(cf);
	free(d.chg);
	free(d.row);
	return rc;
}

/* ---- built-in metrics ---- */

/* Per-unit and per-person counts, rolled up the unit tree. */
struct counts {
	struct load	*l;
	double		*unit;		/* nu: own, then subtree totals */
	double		*person;	/* max + 1 */
	int64_t		 cur;		/* innovations: current id */
	int64_t		*stamp;		/* nu: last innovation counted */
	int		 serious;	/* incidents: which severity */
};

static void
rollup(struct load *l, double *unit)
{
	/* add each unit's total to its ancestors: children first needs an
	 * order; walk each unit's own value up the chain (depth is small). */
	double *own = xmalloc((l->nu ? l->nu : 1) * sizeof *own);

	memcpy(own, unit, l->nu * sizeof *own);
	for (size_t i = 0; i < l->nu; i++) {
		size_t guard = 0;

		if (own[i] == 0)
			continue;
		for (int32_t j = l->upar[i]; j >= 0 && guard++ < l->nu; j = l->upar[j])
			unit[j] += own[i];
	}
	free(own);
}

static int
on_incident(void *arg, const struct mv_row *r, struct err *e)
{
	struct counts *c = arg;

	(void)e;
	if (r->i[0] <= c->l->max && c->l->uix[r->i[0]] >= 0 &&
	    (r->i[1] != 0) == c->serious)
		c->unit[c->l->uix[r->i[0]]] += 1;
	return 0;
}

static int
on_discipline(void *arg, const struct mv_row *r, struct err *e)
{
	struct counts *c = arg;
	int64_t id = r->i[0];

	(void)e;
	if (id > c->l->max)
		return 0;
	if (c->l->uix[id] >= 0)
		c->unit[c->l->uix[id]] += 1;
	else {
		c->person[id] += 1;
		if (c->l->punit[id] >= 0)
			c->unit[c->l->punit[id]] += 1;
	}
	return 0;
}

static int
on_innovation(void *arg, const struct mv_row *r, struct err *e)
{
	struct counts *c = arg;
	int64_t inv = r->i[0], pid = r->i[1];
	int32_t u;
	size_t guard = 0;

	(void)e;
	if (pid > c->l->max)
		return 0;
	c->person[pid] += 1;
	/* the innovation counts once for each unit above any of its authors */
	for (u = c->l->punit[pid]; u >= 0 && guard++ < c->l->nu; u = c->l->upar[u]) {
		if (c->stamp[u] == inv)
			break;
		c->stamp[u] = inv;
		c->unit[u] += 1;
	}
	return 0;
}

static int
builtin(struct store *st, struct load *l, size_t ci, struct err *e)
{
	struct mv_eval *ev = l->ev;
	const struct criterion *cr = &ev->mv.crit[ci];
	struct counts c = { l, NULL, NULL, 0, NULL, 0 };
	char from[11], to[11];
	int y1, y2, m, d, rc = 0, people = ev->mv.subjects == MV_PEOPLE;

	date_format(ev->mv.start, from);
	date_format(ev->as_of, to);
	date_to_ymd(ev->mv.start, &y1, &m, &d);
	date_to_ymd(ev->as_of, &y2, &m, &d);
	c.unit = xcalloc(l->nu ? l->nu : 1, sizeof *c.unit);
	c.person = xcalloc((size_t)l->max + 1, sizeof *c.person);
	switch (cr->builtin) {
	case BI_SERIOUS:
	case BI_MINOR:
		c.serious = cr->builtin == BI_SERIOUS;
		rc = store_movement_incidents(st, from, to, on_incident, &c, e);
		rollup(l, c.unit);
		break;
	case BI_DISCIPLINE:
		rc = store_movement_discipline(st, from, to, on_discipline,
		    &c, e);
		rollup(l, c.unit);
		break;
	case BI_INNOVATIONS:
		c.stamp = xcalloc(l->nu ? l->nu : 1, sizeof *c.stamp);
		rc = store_movement_innovations(st, y1, y2, on_innovation,
		    &c, e);
		break;
	case BI_ONTIME:
	case BI_LATE: {
		struct unit_blame *b = NULL;
		size_t nb = 0;

		if ((rc = schedule_blame(st, ev->mv.start, ev->as_of, &b, &nb, e)) != 0)
			break;
		for (size_t i = 0; i < nb; i++)
			for (size_t u = 0; u < l->nu; u++)
				if (strcmp(MV_TEXT(ev, l->ucode[u]), b[i].unit) == 0) {
					c.unit[u] += cr->builtin == BI_ONTIME ?
					    b[i].ontime : b[i].late;
					break;
				}
		free(b);
		rollup(l, c.unit);
		break;
	}
	default:
		break;
	}
	if (rc == 0)
		for (size_t p = 0; p < ev->n; p++) {
			double v = c.unit[l->punit_p[p]];

			/* a person: as author or subject; incidents and tasks:
			 * those of the person's unit (subtree) */
			if (people && (cr->builtin == BI_DISCIPLINE ||
			    cr->builtin == BI_INNOVATIONS))
				v = c.person[ev->sid[p]];
			score_put(&ev->s, p, ci, v);
		}
	free(c.unit);
	free(c.person);
	free(c.stamp);
	return rc;
}

/* ---- the whole evaluation ---- */

static void
load_free(struct load *l)
{
	free(l->uid);
	free(l->upar_id);
	free(l->upar);
	free(l->ucode);
	free(l->ubloc);
	free(l->uname);
	free(l->uix);
	free(l->uin);
	free(l->punit);
	free(l->cid);
	free(l->coff);
	free(l->tcrit);
	free(l->tval);
	free(l->cix);
	free(l->pix);
	free(l->pcand);
	free(l->punit_p);
	free(l->mfirst);
	free(l->db);
}

static int
as_of_day(struct mv_eval *ev, const char *as_of, struct err *e)
{
	int32_t d;

	ev->as_of = ev->mv.end;
	if (as_of == NULL)
		return 0;
	if (date_parse(as_of, &d) != 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "as-of", "%s '%s' (YYYY-MM-DD)",
		    TR("ngày không hợp lệ", "invalid date"), as_of);
	if (d < ev->mv.start)
		return err_at(e, ERR_USER, NULL, 0, 0, "as-of", "%s '%s'",
		    TR("phong trào chưa bắt đầu vào ngày", "the movement has not "
		    "started on"), as_of);
	if (d < ev->mv.end) {
		ev->as_of = d;
		ev->provisional = 1;
	}
	return 0;
}

int
mv_eval_run(struct store *st, const char *code, const char *as_of,
    struct mv_eval *ev, struct err *e)
{
	struct load l;
	char *src = NULL;
	int rc = -1;

	memset(ev, 0, sizeof *ev);
	memset(&l, 0, sizeof l);
	l.ev = ev;
	if (store_movement_source(st, code, &ev->id, &src, &ev->version,
	    e) != 0)
		return -1;
	if (movement_parse(code, src, strlen(src), &ev->mv, e) != 0) {
		free(src);
		return -1;
	}
	free(src);
	if (as_of_day(ev, as_of, e) != 0 ||
	    store_movement_max_subject(st, &l.max, e) != 0)
		goto out;
	l.db = store_sqlite_path(st);
	l.uix = id_array(l.max);
	l.punit = id_array(l.max);
	l.cix = id_array(l.max);
	l.pix = id_array(l.max);
	if (store_movement_units(st, on_unit, &l, e) != 0 ||
	    scope_tree(&l, ev->mv.scope, e) != 0 || load_targets(st, &l, e) != 0)
		goto out;
	ev->code = xcalloc(l.nc ? l.nc : 1, sizeof *ev->code);
	ev->name = xcalloc(l.nc ? l.nc : 1, sizeof *ev->name);
	if (store_movement_people(st, ev->mv.start, ev->mv.end, on_person,
	    &l, e) != 0)
		goto out;
	participants(&l);
	score_init(&ev->s, &ev->mv, ev->n);
	if (ev->provisional)
		ev->s.prorata = (double)(ev->as_of - ev->mv.start + 1) /
		    (double)(ev->mv.end - ev->mv.start + 1);
	for (size_t p = 0; p < ev->n; p++) {
		size_t k = (size_t)l.pcand[p];

		for (size_t t = l.coff[k]; t < l.coff[k + 1]; t++)
			ev->s.target[p * ev->s.nc + l.tcrit[t]] = l.tval[t];
	}
	groups(&l);
	memset(l.cnext, 0xff, sizeof l.cnext);
	l.last_sid = -1;
	l.last_p = -1;
	if (store_movement_metrics(st, on_metric, &l, e) != 0)
		goto out;
	if (l.nmetric > 0 && ev->n > 0 && scan_records(st, &l, e) != 0)
		goto out;
	for (size_t c = 0; c < ev->mv.ncrit; c++)
		if (ev->mv.crit[c].builtin && builtin(st, &l, c, e) != 0)
			goto out;
	if (!ev->mv.thr_set)
		rule_set_thresholds(st, &ev->mv);
	score_run(&ev->s);
	rc = 0;
out:
	load_free(&l);
	if (rc != 0)
		mv_eval_free(ev);
	return rc;
}

void
mv_eval_free(struct mv_eval *ev)
{
	score_free(&ev->s);
	movement_free(&ev->mv);
	free(ev->sid);
	free(ev->code);
	free(ev->name);
	free(ev->gname);
	free(ev->text);
	memset(ev, 0, sizeof *ev);
}

/* ---- pledges: who in the scope has registered ---- */

struct pledge_load {
	struct load	*l;
	size_t		 n, cap;	/* members of the scope */
	int64_t		*sid;
	uint32_t	*code, *name;
	size_t		 np, pcap;	/* pledges: award, by, note */
	uint32_t	(*pl)[3];
};

static void
member_add(struct pledge_load *pl, int64_t sid, const char *code,
    const char *name)
{
	size_t cap = pl->cap;

	grow(&pl->sid, &cap, pl->n + 1, sizeof *pl->sid);
	cap = pl->cap;
	grow(&pl->code, &cap, pl->n + 1, sizeof *pl->code);
	cap = pl->cap;
	grow(&pl->name, &cap, pl->n + 1, sizeof *pl->name);
	pl->cap = cap;
	pl->sid[pl->n] = sid;
	pl->code[pl->n] = text_add(pl->l->ev, code);
	pl->name[pl->n] = text_add(pl->l->ev, name);
	pl->n++;
}

static int
on_member(void *arg, const struct mv_row *r, struct err *e)
{
	struct pledge_load *pl = arg;
	struct load *l = pl->l;
	int64_t u = r->i[1];
	int32_t ui = u > 0 && u <= l->max ? l->uix[u] : -1;

	(void)e;
	if (r->i[0] <= l->max && ui >= 0 && l->uin[ui])
		member_add(pl, r->i[0], r->t[0], r->t[1]);
	return 0;
}

static int
on_pledge(void *arg, const struct mv_row *r, struct err *e)
{
	struct pledge_load *pl = arg;
	struct mv_eval *ev = pl->l->ev;

	(void)e;
	if (r->i[0] > pl->l->max)
		return 0;
	grow(&pl->pl, &pl->pcap, pl->np + 1, sizeof *pl->pl);
	pl->pl[pl->np][0] = text_add(ev, r->t[0]);
	pl->pl[pl->np][1] = text_add(ev, r->t[1]);
	pl->pl[pl->np][2] = text_add(ev, r->t[2]);
	pl->l->cix[r->i[0]] = (int32_t)pl->np++;
	return 0;
}

static int
by_member_code(const void *a, const void *b, void *arg)
{
	const struct pledge_load *pl = arg;
	const struct mv_eval *ev = pl->l->ev;

	return strcmp(MV_TEXT(ev, pl->code[*(const uint32_t *)a]),
	    MV_TEXT(ev, pl->code[*(const uint32_t *)b]));
}

static void
pledges_write(struct pledge_load *pl, struct sb *o)
{
	struct mv_eval *ev = pl->l->ev;
	uint32_t *ord = xmalloc((pl->n ? pl->n : 1) * sizeof *ord);
	static const char *const f[3] = { "award", "by", "note" };

	for (size_t i = 0; i < pl->n; i++)
		ord[i] = (uint32_t)i;
	qsort_r(ord, pl->n, sizeof *ord, by_member_code, pl);
	sb_puts(o, "{\"movement\":");
	sb_json_str(o, ev->mv.code);
	for (int pass = 0; pass < 2; pass++) {
		int first = 1;

		sb_puts(o, pass ? "],\"missing\":[" : ",\"registered\":[");
		for (size_t i = 0; i < pl->n; i++) {
			size_t m = ord[i];
			int32_t k = pl->l->cix[pl->sid[m]];

			if ((k >= 0) == pass)
				continue;
			sb_puts(o, first ? "{\"subject\":" : ",{\"subject\":");
			first = 0;
			sb_json_str(o, MV_TEXT(ev, pl->code[m]));
			sb_puts(o, ",\"name\":");
			sb_json_str(o, MV_TEXT(ev, pl->name[m]));
			for (int j = 0; !pass && j < 3; j++) {
				const char *v = MV_TEXT(ev, pl->pl[k][j]);

				sb_printf(o, ",\"%s\":", f[j]);
				if (*v)
					sb_json_str(o, v);
				else
					sb_puts(o, "null");
			}
			sb_putc(o, '}');
		}
	}
	sb_puts(o, "]}\n");
	free(ord);
}

int
pledges_json(struct store *st, const char *code, struct sb *o, struct err *e)
{
	struct mv_eval ev;
	struct load l;
	struct pledge_load pl;
	char *src = NULL;
	int rc = -1;

	memset(&ev, 0, sizeof ev);
	memset(&l, 0, sizeof l);
	memset(&pl, 0, sizeof pl);
	l.ev = &ev;
	pl.l = &l;
	if (store_movement_source(st, code, &ev.id, &src, &ev.version, e) != 0)
		return -1;
	if (movement_parse(code, src, strlen(src), &ev.mv, e) != 0) {
		free(src);
		return -1;
	}
	free(src);
	if (store_movement_max_subject(st, &l.max, e) != 0)
		goto out;
	l.uix = id_array(l.max);
	l.cix = id_array(l.max);
	if (store_movement_units(st, on_unit, &l, e) != 0 ||
	    scope_tree(&l, ev.mv.scope, e) != 0 ||
	    store_movement_pledges(st, ev.id, on_pledge, &pl, e) != 0)
		goto out;
	if (ev.mv.subjects == MV_PEOPLE) {
		if (store_movement_people(st, ev.mv.start, ev.mv.end, on_member,
		    &pl, e) != 0)
			goto out;
	} else
		for (size_t u = 0; u < l.nu; u++)
			if (l.uin[u])
				member_add(&pl, l.uid[u], MV_TEXT(&ev, l.ucode[u]),
				    MV_TEXT(&ev, l.uname[u]));
	pledges_write(&pl, o);
	rc = 0;
out:
	free(pl.sid);
	free(pl.code);
	free(pl.name);
	free(pl.pl);
	load_free(&l);
	mv_eval_free(&ev);
	return rc;
}
