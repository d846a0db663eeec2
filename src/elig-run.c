/*
 * elig-run.c: one evaluation of a rule set over a snapshot. Counts
 * incidents per subtree (the snapshot's derived arrays, elig-derive.c,
 * hold the members and holds), then evaluates award by award in dependency order
 * over every fitting subject, applies quotas, and records this year's
 * eligible verdicts (and the innovations they rest on) so later awards
 * see them.
 */
#include <sys/mman.h>

#include <math.h>
#include <unistd.h>
#include <stdlib.h>
#include <string.h>

#include "elig-int.h"
#include "par.h"

/* Whether award aw applies to subject s (kind, categories, military). */
static inline int
fits(const struct raward *aw, const struct elig_snap *sn, size_t s)
{
	if (s < sn->nunit)
		return (aw->subject & 2) &&
		    (aw->military < 0 || sn->military[s] == aw->military);
	return (aw->subject & 1) && (aw->categories == 0 ||
	    ((aw->categories >> sn->category[s - sn->nunit]) & 1));
}

int32_t
elig_scope(const struct elig_snap *sn, size_t s, int ukind)
{
	int32_t u = s < sn->nunit ? (int32_t)s : sn->home[s - sn->nunit], last = -1;

	for (int k = 0; u >= 0 && k < 64; k++, u = sn->parent[u]) {
		if (sn->ukind[u] == ukind)
			return u;
		last = u;
	}
	return last;
}

/*
 * The members of every unit meeting a members clause, counted before its
 * award is evaluated (into r->memk): first whether each person meets it
 * (one byte each, people cut between the threads), then a sum over each
 * unit's own list, then over its subtree's sums and its moved members
 * (units cut between the threads). So neither the evaluation nor the
 * explanation walks a unit's members to count them.
 */
struct count_part {
	struct elig_run		*r;
	const struct rclause	*cl;
	int32_t			*memk;
	uint8_t			*meets;		/* nsubj */
	int32_t			*dsum;		/* nunit: meeting it in the unit's own list */
	uint64_t		 want, want_now;
	size_t			 p0, p1;	/* subjects whose meets are set */
	size_t			 u0, u1;	/* units whose members are summed */
	int			 phase;
};

static void *
count_part(void *arg)
{
	struct count_part *q = arg;
	const struct elig_run *r = q->r;
	const struct elig_snap *sn = r->sn;

	if (q->phase == 0) {
		const uint8_t *rating = sn->rating + ELIG_NY - 1;	/* the year's */
		const uint64_t *hist = sn->hist_y, *now = q->r->now;

		for (size_t s = q->p0; s < q->p1; s++)
			q->meets[s] = q->cl->m_rating != RT_NONE ?
			    rating[s * ELIG_NY] >= q->cl->m_rating :
			    ((hist[s] & q->want) | (now[s] & q->want_now)) != 0;
		return NULL;
	}
	for (size_t u = q->u0; u < q->u1; u++) {
		int32_t k = 0;

		if (q->phase == 1) {
			for (uint32_t i = r->sn->dir_off[u]; i < r->sn->dir_off[u + 1]; i++)
				k += q->meets[r->sn->dir[i]];
			q->dsum[u] = k;
			continue;
		}
		for (uint32_t j = r->sn->sub_off[u]; j < r->sn->sub_off[u + 1]; j++)
			k += q->dsum[r->sn->sub[j]];
		for (uint32_t i = r->sn->ext_off[u]; i < r->sn->ext_off[u + 1]; i++)
			k += q->meets[r->sn->ext[i]];
		q->memk[u] = k + 1;
	}
	return NULL;
}

static void
count_members_of(struct elig_run *r, int a, int ci, int np)
{
	const struct ruleset *rs = r->rs;
	const struct rclause *cl = &rs->cl[ci];
	const struct elig_snap *sn = r->sn;
	struct count_part q[ELIG_EVAL_THREADS];
	uint8_t *meets;
	int32_t *dsum;

	if (cl->kind >= CL_ANY)
		for (int i = 0; i < cl->nkid; i++)
			count_members_of(r, a, rs->kids[cl->kid0 + i], np);
	if (cl->kind != CL_MEMBERS || r->memk == NULL || r->memk[ci] == NULL)
		return;
	r->memk_now[ci] = cl->awards & rs->before[a];
	for (int j = 0; j < rs->ncl; j++) {
		const struct rclause *o = &rs->cl[j];

		/* counted already for a clause asking the same of the same members */
		if (j != ci && o->kind == CL_MEMBERS && r->memk[j] != NULL &&
		    r->memk[j][0] != 0 && o->m_rating == cl->m_rating &&
		    (cl->m_rating != RT_NONE || (o->awards == cl->awards &&
		    r->memk_now[j] == r->memk_now[ci]))) {
			memcpy(r->memk[ci], r->memk[j], sn->nunit * sizeof **r->memk);
			r->meets[ci] = r->meets[j];
			return;
		}
	}
	meets = xmalloc(sn->nsubj + 1);
	dsum = xmalloc((sn->nunit + 1) * sizeof *dsum);
	for (int i = 0; i < np; i++)
		q[i] = (struct count_part){ r, cl, r->memk[ci], meets, dsum, cl->awards,
		    cl->awards & rs->before[a],
		    sn->nunit + sn->nperson * i / np,
		    sn->nunit + sn->nperson * (i + 1) / np,
		    sn->nunit * i / np, sn->nunit * (i + 1) / np, 0 };
	for (int phase = 0; phase < 3; phase++) {
		for (int i = 0; i < np; i++)
			q[i].phase = phase;
		par_run(count_part, q, sizeof *q, np);
	}
	free(dsum);
	r->meets[ci] = meets;	/* (for the explanations' members not meeting it) */
}

/*
 * The engine's arrays (verdicts, classes, this year's awards: 70 MB at
 * ministry scale) are fresh zero pages that the passes would fault in one
 * page at a time (a page fault is dear in a virtual machine). Instead the
 * threads ask the kernel for their half of each in one call
 * (MADV_POPULATE_WRITE, Linux 5.14; without it they fault in as before).
 */
struct populate_part {
	void	*p[3];
	size_t	 n[3];
	int	 i, np;
};

static void *
populate_part(void *arg)
{
#ifdef MADV_POPULATE_WRITE
	const struct populate_part *q = arg;
	uintptr_t pg = (uintptr_t)sysconf(_SC_PAGESIZE);

	for (int k = 0; k < 3; k++) {
		uintptr_t lo = (uintptr_t)q->p[k], n = q->n[k] / q->np;
		uintptr_t a = (lo + n * q->i + pg - 1) & ~(pg - 1);
		uintptr_t z = (q->i == q->np - 1 ? lo + q->n[k] : lo + n * (q->i + 1)) & ~(pg - 1);

		if (z > a)
			(void)madvise((void *)a, z - a, MADV_POPULATE_WRITE);
	}
#else
	(void)arg;
#endif
	return NULL;
}

static void
populate(struct elig_run *r, size_t nv, int np)
{
	struct populate_part q[ELIG_EVAL_THREADS];

	for (int i = 0; i < np; i++)
		q[i] = (struct populate_part){ { r->verdict, r->cls, r->now },
		    { nv, nv * sizeof *r->cls, r->sn->nsubj * sizeof *r->now }, i, np };
	par_run(populate_part, q, sizeof *q, np);
}

static void
build_incidents(struct elig_run *r)
{
	const struct elig_snap *sn = r->sn;
	int y0 = sn->year - ELIG_NY + 1;

	r->inc_sub = xcalloc(sn->nunit * ELIG_NY * 2 + 1, sizeof *r->inc_sub);
	for (size_t i = 0; i < sn->ninc; i++) {
		int y, m, d, yi;
		int32_t u = sn->inc[i].unit;

		date_to_ymd(sn->inc[i].day, &y, &m, &d);
		if ((yi = y - y0) < 0 || yi >= ELIG_NY)
			continue;
		for (int k = 0; u >= 0 && k < 64; k++, u = sn->parent[u]) {
			uint16_t *cnt = &r->inc_sub[((size_t)u * ELIG_NY + yi) * 2 +
			    sn->inc[i].severity - 1];

			if (*cnt < UINT16_MAX)
				(*cnt)++;
		}
	}
}

struct qsort_ctx {
	const struct elig_snap *sn;
	const int32_t *scope;
	const double *score;
};

static int
cand_cmp(const void *x, const void *y, void *arg)
{
	const struct qsort_ctx *q = arg;
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	double sa, sb;

	if (q->scope[a] != q->scope[b])
		return q->scope[a] < q->scope[b] ? -1 : 1;
	sa = q->score ? q->score[a] : NAN;
	sb = q->score ? q->score[b] : NAN;
	if (!isnan(sa) || !isnan(sb)) {
		if (isnan(sa))
			return 1;
		if (isnan(sb))
			return -1;
		if (sa != sb)
			return sa > sb ? -1 : 1;
	}
	return strcmp(q->sn->arena + q->sn->code[a], q->sn->arena + q->sn->code[b]);
}

/*
 * Rank the eligible subjects of award a inside each scope unit (by the
 * year's regular score, then code) and mark those past the cap.
 */
static void
apply_quota(struct elig_run *r, int a)
{
	const struct elig_snap *sn = r->sn;
	const struct raward *aw = &r->rs->awards[a];
	int na = r->rs->naward;
	int32_t *scope = xmalloc((sn->nsubj + 1) * sizeof *scope);
	uint32_t *cand = xmalloc((sn->nsubj + 1) * sizeof *cand);
	size_t nc = 0;
	struct qsort_ctx q = { sn, scope,
	    r->regular >= 0 && sn->scores[r->regular].available ?
	    sn->scores[r->regular].score : NULL };

	r->qrank[a] = xcalloc(sn->nsubj + 1, sizeof(int32_t));
	r->qcap[a] = xcalloc(sn->nunit + 1, sizeof(int32_t));
	r->qn[a] = xcalloc(sn->nunit + 1, sizeof(int32_t));
	for (size_t s = 0; s < sn->nsubj; s++)
		scope[s] = elig_scope(sn, s, aw->quota_scope);
	for (size_t s = 0; s < sn->nsubj; s++) {
		if (scope[s] < 0)
			continue;
		if (aw->quota_of == QO_AWARDS) {
			int yi = ELIG_NY - 1;

			if (((sn->hist[s * ELIG_NY + yi] |
			    (r->now[s] & r->rs->before[a])) & aw->quota_awards))
				r->qn[a][scope[s]]++;
		}
		if (r->verdict[s * na + a] == EV_ELIGIBLE)
			cand[nc++] = (uint32_t)s;
	}
	if (aw->quota_of == QO_MEMBERS)
		for (size_t u = 0; u < sn->nunit; u++)
			r->qn[a][u] = (int32_t)r->sn->nmem[u];
	for (size_t u = 0; u < sn->nunit; u++)
		r->qcap[a][u] = (int32_t)floor(aw->quota_pct * r->qn[a][u] / 100 + 1e-9);
	qsort_r(cand, nc, sizeof *cand, cand_cmp, &q);
	for (size_t i = 0, rank = 0; i < nc; i++) {
		size_t s = cand[i];

		rank = i > 0 && scope[cand[i - 1]] == scope[s] ? rank + 1 : 1;
		r->qrank[a][s] = (int32_t)rank;
		if ((int32_t)rank > r->qcap[a][scope[s]])
			r->verdict[s * na + a] = EV_OVER_QUOTA;
	}
	free(scope);
	free(cand);
}

/*
 * One thread's part of a pass over the subjects for some awards (ks, in
 * the rule set's order: a segment's, see elig_run): the subjects it
 * takes, chunk at a time, from *next; for
 * each, each award of the segment in order, its verdict and the
 * innovations an eligible one rests on (b). The parts are evaluated at the
 * same time, one per thread; they write disjoint verdicts and read only
 * what earlier segments decided, and each subject's own bits of the
 * segment's earlier awards (see segment_end).
 */
struct eval_part {
	struct elig_run	*r;
	const int	*ks;		/* the pass's awards (k), nk of them */
	int		 nk;
	const uint64_t	*now;		/* by k: the bit for r->now as decided, or 0 */
	size_t		*next;		/* the next subject no part has taken */
	size_t		 hi;		/* the end of the segment's subjects */
	size_t		 chunk;		/* subjects taken at a time */
	struct ectx	 c;
	struct eclass	*cls;		/* this thread's result classes */
	struct based {			/* the innovations eligible verdicts rest on */
		uint32_t	 s, i;	/* subject, innovation */
		int		 a;	/* award */
	}		*b;
	size_t		 nb, cap;
	long long	 nresults;
	/* the pass's awards (bits j of ks) a person of each category fits,
	 * a unit by military (0 or 1): set by eval_part */
	uint64_t	 pfit[CAT__MAX], ufit[2];
} __attribute__((aligned(128)));	/* (the threads' parts share no cache line) */

#define EVAL_CHUNK	8192	/* subjects a part takes at a time, at most */

/* Decide every award of p's segment for subject s; the results decided. */
static inline long long
eval_subject(struct eval_part *p, size_t s)
{
	struct elig_run *r = p->r;
	const struct elig_snap *sn = r->sn;
	int na = r->rs->naward, held = sn->held[s];
	long long nresults = 0;
	unsigned v = s < sn->nunit ? sn->military[s] : sn->category[s - sn->nunit];
	uint64_t fit;

	/* (one word per subject instead of a branch per award that the
	 * categories of consecutive people leave unpredictable) */
	if (s < sn->nunit ? v < 2 : v < CAT__MAX)
		fit = s < sn->nunit ? p->ufit[v] : p->pfit[v];
	else {
		fit = 0;
		for (int j = 0; j < p->nk; j++)
			fit |= (uint64_t)fits(&r->rs->awards[r->rs->order[p->ks[j]]],
			    sn, s) << j;
	}
	for (; fit != 0; fit &= fit - 1) {
		int j = __builtin_ctzll(fit), k = p->ks[j], a = r->rs->order[k], ok;

		nresults++;
		if (held) {
			r->verdict[s * na + a] = EV_HELD;	/* whatever it meets */
			continue;
		}
		p->c.a = a;
		p->c.s = s;
		p->c.nbased = 0;
		r->cls[s * na + a] = eclass_decide(p->cls, &p->c, &ok);
		r->verdict[s * na + a] = ok ? EV_ELIGIBLE : EV_INELIGIBLE;
		if (ok)
			r->now[s] |= p->now[k];
		for (int i = 0; ok && i < p->c.nbased; i++) {
			grow(&p->b, &p->cap, p->nb + 1, sizeof *p->b);
			p->b[p->nb++] = (struct based){ (uint32_t)s, p->c.based[i], a };
		}
	}
	return nresults;
}

static void *
eval_part(void *arg)
{
	struct eval_part *p = arg;
	const struct elig_snap *sn = p->r->sn;
	long long nresults = 0;	/* (added up at the end: parts share cache lines) */
	size_t s0, s1;

	p->nb = 0;
	memset(p->pfit, 0, sizeof p->pfit);
	memset(p->ufit, 0, sizeof p->ufit);
	for (int j = 0; j < p->nk; j++) {
		const struct raward *aw = &p->r->rs->awards[p->r->rs->order[p->ks[j]]];

		for (int v = 0; v < CAT__MAX; v++)
			p->pfit[v] |= (uint64_t)((aw->subject & 1) && (aw->categories == 0 ||
			    ((aw->categories >> v) & 1))) << j;
		for (int v = 0; v < 2; v++)
			p->ufit[v] |= (uint64_t)((aw->subject & 2) &&
			    (aw->military < 0 || aw->military == v)) << j;
	}
	while ((s0 = __atomic_fetch_add(p->next, p->chunk, __ATOMIC_RELAXED)) < p->hi) {
		s1 = s0 + p->chunk < p->hi ? s0 + p->chunk : p->hi;
		for (size_t s = s0; s < s1; s++) {
			if (s + 4 < s1) {
				/* (asked ahead, the last years' ledger, the
				 * ratings, the joining day and authorships
				 * come while the subjects before are decided) */
				__builtin_prefetch(&sn->hist[(s + 4) * ELIG_NY + ELIG_NY - 4]);
				__builtin_prefetch(&sn->rating[(s + 4) * ELIG_NY]);
				if (s + 4 >= sn->nunit) {
					size_t q = s + 4 - sn->nunit;

					__builtin_prefetch(&sn->joined_ymd[q]);
					__builtin_prefetch(&sn->authp[sn->auth_off[q]]);
				}
			}
			nresults += eval_subject(p, s);
		}
	}
	p->nresults += nresults;
	return NULL;
}

/* Whether clause ci is, or has below it, a clause of that kind. */
static int
has_clause(const struct ruleset *rs, int ci, enum clause_kind kind)
{
	const struct rclause *cl = &rs->cl[ci];

	if (cl->kind == kind)
		return 1;
	for (int i = 0; cl->kind >= CL_ANY && i < cl->nkid; i++)
		if (has_clause(rs, rs->kids[cl->kid0 + i], kind))
			return 1;
	return 0;
}

/* The kinds of subject (bits: 1 people, 2 units) awards k0 .. k1 fit. */
static int
kinds_of(const struct ruleset *rs, int k0, int k1)
{
	int kinds = 0;

	for (int k = k0; k < k1; k++)
		kinds |= rs->awards[rs->order[k]].subject;
	return kinds;
}

/*
 * The subjects awards of those kinds fit: lo .. hi (the parts take them a
 * chunk at a time, so that neither waits for the other at the end of the
 * pass).
 */
static void
pass_subjects(const struct elig_run *r, int kinds, size_t *lo, size_t *hi)
{
	const struct elig_snap *sn = r->sn;

	*lo = kinds & 2 ? 0 : sn->nunit;
	*hi = kinds & 1 ? sn->nsubj : sn->nunit;
}

/*
 * Whether award a's verdict counts in r->now as the parts decide it: not
 * a campaign's (it never counts), nor one a quota may still overturn, nor
 * the last one asked, nor one whose members clause a person's bits of it
 * could be read by while another part writes them (an award that fits
 * both units and people).
 */
static int
sets_now(const struct ruleset *rs, int a, int last)
{
	const struct raward *aw = &rs->awards[a];

	return !aw->campaign && !aw->has_quota && a != last &&
	    ((aw->subject & 3) != 3 || !has_clause(rs, aw->root, CL_MEMBERS));
}

/*
 * Whether the verdicts of award a count for other awards only once its
 * pass is over: a quota may still overturn them, they are the last asked,
 * or they rest on innovations that a later clause's unused_by must not
 * count again (it reads them across co-authors).
 */
static int
counts_after_pass(const struct ruleset *rs, int a, int last)
{
	uint64_t unused = 0;	/* awards some clause's unused_by names */

	for (int i = 0; i < rs->ncl; i++)
		if (rs->cl[i].kind == CL_INNOVATIONS)
			unused |= rs->cl[i].unused_by;
	return (!sets_now(rs, a, last) && !rs->awards[a].campaign) || a == last ||
	    ((unused >> a & 1) && has_clause(rs, rs->awards[a].root, CL_INNOVATIONS));
}

/*
 * The end (exclusive) of the segment of awards starting at k in the rule
 * set's order: awards evaluated subject by subject in one pass over the
 * subjects instead of one pass each (the arrays of a million people
 * streamed once, not once per award). An award later in a segment may only
 * read what its subject's earlier awards of the segment decided, so the
 * segment ends after an award that others may read otherwise: whose
 * verdicts count only after the pass (a quota, a members clause, the last
 * award asked), or whose eligible verdicts rest on innovations that a
 * later innovations clause must not count again (unused_by: it reads them
 * across co-authors); and an award with a members clause, whose counts are
 * taken before its pass, starts one.
 */
static int
segment_end(const struct ruleset *rs, int k, int last)
{
	for (;;) {
		int a = rs->order[k++];

		if (counts_after_pass(rs, a, last) || k >= rs->naward ||
		    has_clause(rs, rs->awards[rs->order[k]].root, CL_MEMBERS))
			return k;
	}
}

/* The awards (bits) whose holders members clauses under clause ci count. */
static uint64_t
members_read(const struct ruleset *rs, int ci)
{
	const struct rclause *cl = &rs->cl[ci];
	uint64_t m = cl->kind == CL_MEMBERS ? cl->awards : 0;

	for (int i = 0; cl->kind >= CL_ANY && i < cl->nkid; i++)
		m |= members_read(rs, rs->kids[cl->kid0 + i]);
	return m;
}

/*
 * Whether the segment k0 .. k1 (people only) may wait for the next
 * segment with people, its awards then decided first in that pass (one
 * pass over the million people instead of two): it ended only because
 * unit awards with members clauses follow, which count people's verdicts
 * before their pass (elig_run runs it first if one counts its awards),
 * not because its verdicts count only after its pass (segment_end).
 */
static int
deferrable(const struct ruleset *rs, int k0, int k1, int last)
{
	return kinds_of(rs, k0, k1) == 1 && k1 < rs->naward &&
	    !counts_after_pass(rs, rs->order[k1 - 1], last);
}

/*
 * One pass of the parts over the subjects for awards ks (k, nk of them),
 * then what their verdicts make: quotas, this year's awards, the
 * innovations they rest on. 1 when award last was among them (what
 * comes after cannot change it), else 0.
 */
static int
run_pass(struct elig_run *r, struct eval_part *part, int np, const int *ks,
    int nk, int last)
{
	const struct ruleset *rs = r->rs;
	const struct elig_snap *sn = r->sn;
	int na = rs->naward, kinds = 0;
	size_t next, hi;

	for (int j = 0; j < nk; j++)
		kinds |= rs->awards[rs->order[ks[j]]].subject;
	pass_subjects(r, kinds, &next, &hi);
	for (int i = 0; i < np; i++) {
		part[i].ks = ks;
		part[i].nk = nk;
		part[i].next = &next;
		part[i].hi = hi;
		/* (a sixteenth of them, so both threads take some) */
		part[i].chunk = (hi - next) / 16 < 64 ? 64 :
		    (hi - next) / 16 > EVAL_CHUNK ? EVAL_CHUNK : (hi - next) / 16;
	}
	par_run(eval_part, part, sizeof *part, np);
	for (int j = 0; j < nk; j++) {
		int k = ks[j], a = rs->order[k];
		const struct raward *aw = &rs->awards[a];
		uint64_t bit = (uint64_t)1 << a;

		if (aw->has_quota)
			apply_quota(r, a);
		if (a == last)
			return 1;
		if (aw->campaign)
			continue;	/* never counts in other awards' history */
		for (size_t s = 0; part[0].now[k] == 0 && s < sn->nsubj; s++)
			if (r->verdict[s * na + a] == EV_ELIGIBLE)
				r->now[s] |= bit;
	}
	/* the innovations the pass's eligible verdicts (quotas applied) rest
	 * on, for later clauses' unused_by */
	for (int i = 0; i < np; i++)
		for (size_t j = 0; j < part[i].nb; j++) {
			const struct based *b = &part[i].b[j];

			if (r->verdict[b->s * na + b->a] == EV_ELIGIBLE &&
			    !rs->awards[b->a].campaign)
				r->inow[b->i] |= (uint64_t)1 << b->a;
		}
	return 0;
}

int
elig_run(struct elig_run *r, const struct ruleset *rs, struct elig_snap *sn,
    int last, int holes, struct err *e)
{
	struct eval_part part[ELIG_EVAL_THREADS];
	int na = rs->naward, np = sn->nsubj > 4096 ? ELIG_EVAL_THREADS : 1;
	uint64_t now[RULES_MAX_AWARDS], dmask = 0;	/* now by k: see sets_now */
	int ks[RULES_MAX_AWARDS], nk, dk[RULES_MAX_AWARDS], nd = 0;

	(void)e;
	memset(r, 0, sizeof *r);
	r->rs = rs;
	r->sn = sn;
	r->regular = -1;
	for (int i = 0; i < sn->nscores; i++)
		if (strcmp(sn->scores[i].movement, "regular") == 0)
			r->regular = i;
	r->verdict = xcalloc(sn->nsubj * na + 1, 1);
	r->cls = xcalloc(sn->nsubj * na + 1, sizeof *r->cls);
	r->now = xcalloc(sn->nsubj + 1, sizeof *r->now);
	r->inow = xcalloc(sn->ninnov + 1, sizeof *r->inow);
	populate(r, sn->nsubj * na, np);
	if (sn->dir_off == NULL)
		elig_snap_derive(sn);	/* (elig_cache_load has) */
	build_incidents(r);
	r->memk = xcalloc(rs->ncl + 1, sizeof *r->memk);
	r->memk_now = xcalloc(rs->ncl + 1, sizeof *r->memk_now);
	r->meets = xcalloc(rs->ncl + 1, sizeof *r->meets);
	for (int i = 0; i < rs->ncl; i++)
		if (rs->cl[i].kind == CL_MEMBERS)
			r->memk[i] = xcalloc_touched(sn->nunit + 1, sizeof **r->memk);
	for (int k = 0; k < na; k++)
		now[k] = sets_now(rs, rs->order[k], last) ? (uint64_t)1 << rs->order[k] : 0;
	memset(part, 0, sizeof part);
	for (int i = 0; i < np; i++) {
		part[i].r = r;
		part[i].now = now;
		elig_ectx_init(&part[i].c, r);
		part[i].cls = eclass_new(i, np, holes, sn->nsubj);
	}
	/*
	 * Segments (segment_end) one pass each, except that a segment of
	 * people's awards followed by unit awards with members clauses
	 * waits (dk) for the next segment with people and is decided first
	 * in its pass, unless a members count reads it before.
	 */
	for (int k0 = 0, k1, done = 0; k0 < na && !done; k0 = k1) {
		k1 = segment_end(rs, k0, last);
		if (nd > 0 && (members_read(rs, rs->awards[rs->order[k0]].root) & dmask)) {
			run_pass(r, part, np, dk, nd, last);	/* (never the last) */
			nd = 0;
			dmask = 0;
		}
		if (deferrable(rs, k0, k1, last)) {
			for (int k = k0; k < k1; k++) {
				dk[nd++] = k;
				dmask |= (uint64_t)1 << rs->order[k];
			}
			continue;
		}
		nk = 0;
		if (kinds_of(rs, k0, k1) & 1) {
			memcpy(ks, dk, nd * sizeof *dk);
			nk = nd;
			nd = 0;
			dmask = 0;
		}
		for (int k = k0; k < k1; k++)
			ks[nk++] = k;
		/* (only a segment's first award has a members clause) */
		if (rs->awards[rs->order[k0]].subject & 2)
			count_members_of(r, rs->order[k0], rs->awards[rs->order[k0]].root, np);
		done = run_pass(r, part, np, ks, nk, last);
	}
	if (nd > 0)
		run_pass(r, part, np, dk, nd, last);
	for (int i = 0; i < np; i++) {
		r->nclauses += part[i].c.nclauses;
		r->nresults += part[i].nresults;
		r->nshared += eclass_hits(part[i].cls);
		elig_ectx_free(&part[i].c);
		eclass_free(part[i].cls);
		free(part[i].b);
	}
	return 0;
}

void
elig_run_free(struct elig_run *r)
{
	free(r->verdict);
	free(r->cls);
	free(r->now);
	free(r->inow);
	free(r->inc_sub);
	for (int i = 0; r->memk != NULL && i < r->rs->ncl; i++)
		free(r->memk[i]);
	free(r->memk);
	free(r->memk_now);
	for (int i = 0; r->meets != NULL && i < r->rs->ncl; i++) {
		int j;

		for (j = 0; j < i && r->meets[j] != r->meets[i]; j++)
			;
		if (j == i)	/* (not shared with an earlier clause) */
			free(r->meets[i]);
	}
	free(r->meets);
	for (int a = 0; a < RULES_MAX_AWARDS; a++) {
		free(r->qrank[a]);
		free(r->qcap[a]);
		free(r->qn[a]);
	}
	memset(r, 0, sizeof *r);
}
