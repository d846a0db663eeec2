/*
 * movement-score.c: the scoring engine (movement-score.h): points per
 * criterion, score, rating with vetoes, ranks inside groups. Pure C over
 * flat arrays.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "movement-score.h"
#include "util.h"

static const struct { const char *code, *vi, *en; } reasons[SR__MAX] = {
	[SR_OK] = { "ok", "đã chấm", "scored" },
	[SR_CAPPED] = { "capped", "đạt mức trần của tỉ lệ",
	    "ratio reached its cap" },
	[SR_MISSING_TARGET] = { "missing_target", "thiếu chỉ tiêu: không chấm",
	    "no target: not scored" },
	[SR_NO_DATA] = { "no_data", "không có số liệu trong kỳ: 0 điểm",
	    "no data in the period: 0 points" },
	[SR_PAST_BANDS] = { "past_bands", "vượt bậc cuối: 0 điểm",
	    "past the last band: 0 points" },
	[SR_VETO] = { "veto", "vượt mức tối đa: giới hạn xếp loại",
	    "above its maximum: the rating is capped" },
	[SR_VETO_OK] = { "veto_ok", "trong mức cho phép", "within its maximum" },
};

const char *
score_reason_code(enum score_reason r)
{
	return reasons[r].code;
}

const char *
score_reason_text(enum score_reason r)
{
	return TR(reasons[r].vi, reasons[r].en);
}

void
score_init(struct score_set *s, const struct movement *mv, size_t n)
{
	size_t nc = mv->ncrit, cells = n * nc;

	memset(s, 0, sizeof *s);
	s->mv = mv;
	s->n = n;
	s->nc = nc;
	s->prorata = 1.0;
	s->agg = xcalloc(nc ? nc : 1, 1);
	for (size_t c = 0; c < nc; c++)
		s->agg[c] = mv->crit[c].builtin ? AGG_COUNT : mv->crit[c].agg;
	/* written by the scan's threads at once: pages touched here */
	s->acc = xcalloc_touched(cells ? cells : 1, sizeof *s->acc);
	s->cnt = xcalloc_touched(cells ? cells : 1, sizeof *s->cnt);
	s->target = xmalloc((cells ? cells : 1) * sizeof *s->target);
	for (size_t k = 0; k < cells; k++)
		s->target[k] = NAN;
	s->group = xcalloc(n ? n : 1, sizeof *s->group);
}

void
score_free(struct score_set *s)
{
	free(s->agg);
	free(s->acc);
	free(s->cnt);
	free(s->target);
	free(s->group);
	free(s->teff);
	free(s->points);
	free(s->reason);
	free(s->score);
	free(s->rank);
	free(s->vetoed);
	free(s->veto_crit);
	free(s->rating);
	free(s->met_all);
	free(s->order);
	memset(s, 0, sizeof *s);
}

void
score_put(struct score_set *s, size_t p, size_t c, double v)
{
	size_t k = p * s->nc + c;

	s->acc[k] = v;
	s->cnt[k] = 1;
}

int
score_cumulative(const struct score_set *s, size_t c)
{
	return s->agg[c] == AGG_SUM || s->agg[c] == AGG_COUNT;
}

enum mv_rating
score_rating(const double thr[3], double score)
{
	for (int i = 0; i < 3; i++)
		if (score >= thr[i])
			return (enum mv_rating)i;
	return RATING_KHTNV;
}

/* The actual of a cell, NAN when there is no value. */
static double
actual(const struct score_set *s, size_t c, size_t k)
{
	switch (s->agg[c]) {
	case AGG_SUM:
		return s->acc[k];
	case AGG_COUNT:
		return s->mv->crit[c].builtin ? s->acc[k] : (double)s->cnt[k];
	case AGG_AVG:
		return s->cnt[k] ? s->acc[k] / s->cnt[k] : NAN;
	default:
		return s->cnt[k] ? s->acc[k] : NAN;
	}
}

/* Ratio of actual to target, better direction aware, before the cap. */
static double
ratio(const struct criterion *cr, double a, double t)
{
	if (!cr->lower)
		return t > 0 ? a / t : (a >= t ? 1.0 : 0.0);
	if (a > 0)
		return t / a;
	return a <= t ? cr->cap : 0.0;	/* nothing where little is better */
}

static double
band_share(const struct criterion *cr, double a, int *past)
{
	for (size_t i = 0; i < cr->nbands; i++)
		if (cr->lower ? a <= cr->bound[i] : a >= cr->bound[i])
			return cr->share[i];
	*past = 1;
	return 0;
}

/* Score one cell; returns the points (NAN = not scored). */
static double
cell(struct score_set *s, size_t p, size_t c, int *met, int *veto)
{
	const struct criterion *cr = &s->mv->crit[c];
	size_t k = p * s->nc + c;
	double a = actual(s, c, k), t = s->target[k], pts = NAN, r;
	enum score_reason why = SR_OK;
	int past = 0;

	if (!isnan(t) && s->prorata < 1.0 && score_cumulative(s, c))
		t *= s->prorata;
	s->teff[k] = t;
	s->acc[k] = a;
	if (!isnan(t)) {
		if (isnan(a) || (cr->lower ? a > t : a < t))
			*met = 0;
	} else if (cr->scoring == SC_RATIO)
		*met = 0;
	switch (cr->scoring) {
	case SC_RATIO:
		if (isnan(t)) {
			why = SR_MISSING_TARGET;
			break;
		}
		if (isnan(a)) {
			why = SR_NO_DATA;
			pts = 0;
			break;
		}
		r = ratio(cr, a, t);
		if (r >= cr->cap) {
			r = cr->cap;
			why = SR_CAPPED;
		}
		pts = cr->weight * (r > 0 ? r : 0);
		break;
	case SC_BANDS:
		if (isnan(a)) {
			why = SR_NO_DATA;
			pts = 0;
			break;
		}
		pts = cr->weight * band_share(cr, a, &past);
		if (past)
			why = SR_PAST_BANDS;
		break;
	case SC_VETO_ONLY:
		why = SR_VETO_OK;
		break;
	}
	if (cr->has_veto && !isnan(a) && a > cr->veto_max) {
		why = SR_VETO;
		*veto = 1;
	}
	s->reason[k] = (uint8_t)why;
	return pts;
}

static int
by_group_rank(const void *x, const void *y, void *arg)
{
	const struct score_set *s = arg;
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	if (s->group[a] != s->group[b])
		return s->group[a] < s->group[b] ? -1 : 1;
	if (s->vetoed[a] != s->vetoed[b])
		return s->vetoed[a] < s->vetoed[b] ? -1 : 1;
	if (s->score[a] != s->score[b])
		return s->score[a] > s->score[b] ? -1 : 1;
	return a < b ? -1 : a > b;
}

void
score_run(struct score_set *s)
{
	size_t n = s->n, nc = s->nc, cells = n * nc;

	s->teff = xmalloc((cells ? cells : 1) * sizeof *s->teff);
	s->points = xmalloc((cells ? cells : 1) * sizeof *s->points);
	s->reason = xcalloc(cells ? cells : 1, 1);
	s->score = xcalloc(n ? n : 1, sizeof *s->score);
	s->rank = xcalloc(n ? n : 1, sizeof *s->rank);
	s->vetoed = xcalloc(n ? n : 1, 1);
	s->veto_crit = xcalloc(n ? n : 1, sizeof *s->veto_crit);
	s->rating = xcalloc(n ? n : 1, 1);
	s->met_all = xcalloc(n ? n : 1, 1);
	s->order = xcalloc(n ? n : 1, sizeof *s->order);
	for (size_t p = 0; p < n; p++) {
		double pts = 0, w = 0;
		int met = 1;
		enum mv_rating cap = RATING_HTXSNV;

		s->veto_crit[p] = -1;
		for (size_t c = 0; c < nc; c++) {
			int veto = 0;
			double x = cell(s, p, c, &met, &veto);

			s->points[p * nc + c] = x;
			if (!isnan(x)) {
				pts += x;
				w += s->mv->crit[c].weight;
			}
			if (veto) {
				if (!s->vetoed[p])
					s->veto_crit[p] = (int32_t)c;
				s->vetoed[p] = 1;
				if (s->mv->crit[c].veto_cap > cap)
					cap = s->mv->crit[c].veto_cap;
			}
		}
		/* the contract's 100 × Σ points / Σ weights, not clipped: a
		 * ratio cap above 1 lets an over-achiever score above 100, and
		 * clipping would rank every one of them by code */
		s->score[p] = w > 0 ? round(10000.0 * pts / w) / 100.0 : 0;
		s->rating[p] = (uint8_t)score_rating(s->mv->thr, s->score[p]);
		if (s->vetoed[p] && s->rating[p] < cap)
			s->rating[p] = (uint8_t)cap;
		s->met_all[p] = (uint8_t)(met && !s->vetoed[p]);
		s->order[p] = (uint32_t)p;
	}
	qsort_r(s->order, n, sizeof *s->order, by_group_rank, s);
	for (size_t i = 0, r = 0; i < n; i++) {
		uint32_t p = s->order[i];

		r = i > 0 && s->group[s->order[i - 1]] == s->group[p] ? r + 1 : 1;
		s->rank[p] = (int32_t)r;
	}
}
