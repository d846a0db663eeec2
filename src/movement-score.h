/*
 * movement-score.h: the pure scoring engine of a movement: aggregates measured
 * values per (participant, criterion), turns them into points (capped
 * ratio to target, bands, veto), a 0–100 score, a rank inside each group
 * and a rating. No I/O, no SQL: flat arrays in, flat arrays out.
 *
 * Participants are dense indexes 0..n-1 in ascending subject code order
 * (the index breaks ties, so ranks are deterministic). Cell k of a
 * participant p and criterion c is p * nc + c.
 *
 * Use: score_init(); feed values with score_add() (records, in key order:
 * subject, metric, day) and score_put() (built-in counts); set target[]
 * and group[]; score_run(); read the results; score_free().
 * Ownership: the set owns every array; score_free() releases them.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "movement.h"	/* first: movement.h includes this file back */

#ifndef THIDUA_MOVEMENT_SCORE_H
#define THIDUA_MOVEMENT_SCORE_H

/* Why a criterion got its points (stable codes: score_reason_code). */
enum score_reason {
	SR_OK,			/* scored */
	SR_CAPPED,		/* ratio reached its cap */
	SR_MISSING_TARGET,	/* ratio criterion without a target: not scored */
	SR_NO_DATA,		/* no value in the period: 0 points */
	SR_PAST_BANDS,		/* value past the last band: 0 points */
	SR_VETO,		/* veto triggered */
	SR_VETO_OK,		/* veto criterion within its maximum */
	SR__MAX
};
const char	*score_reason_code(enum score_reason);
const char	*score_reason_text(enum score_reason);	/* in the user's language */

struct score_set {
	const struct movement *mv;
	size_t		 n, nc;
	uint8_t		*agg;		/* nc: enum mv_agg, AGG_COUNT for built-ins */
	double		*acc;		/* n × nc: aggregate; the actual after run */
	uint32_t	*cnt;		/* n × nc: values seen */
	double		*target;	/* n × nc: NAN = no target */
	int32_t		*group;		/* n: dense group id, groups ordered by name */
	double		 prorata;	/* share of the period elapsed; 1 at the end */
	/* results of score_run */
	double		*teff;		/* n × nc: target used (pro rata) or NAN */
	double		*points;	/* n × nc: NAN = not scored */
	uint8_t		*reason;	/* n × nc: enum score_reason */
	double		*score;		/* n: 0–100 (clamped), rounded to 2 decimals */
	int32_t		*rank;		/* n: 1 = best in its group */
	uint8_t		*vetoed;	/* n */
	int32_t		*veto_crit;	/* n: first criterion that vetoed, or -1 */
	uint8_t		*rating;	/* n: enum mv_rating */
	uint8_t		*met_all;	/* n: every target met, nothing missing, no veto */
	uint32_t	*order;		/* n: participants by group, then rank */
};

void	 score_init(struct score_set *, const struct movement *, size_t n);
void	 score_free(struct score_set *);

/* One measured value of participant p for criterion c. */
static inline void
score_add(struct score_set *s, size_t p, size_t c, double v)
{
	size_t k = p * s->nc + c;
	double *a = &s->acc[k];

	switch (s->agg[c]) {
	case AGG_SUM:
	case AGG_AVG:
		*a += v;
		break;
	case AGG_MIN:
		if (s->cnt[k] == 0 || v < *a)
			*a = v;
		break;
	case AGG_MAX:
		if (s->cnt[k] == 0 || v > *a)
			*a = v;
		break;
	case AGG_LAST:
		*a = v;
		break;
	default:
		break;
	}
	s->cnt[k]++;
}

/* A whole value (a built-in count): the actual is v. */
void	 score_put(struct score_set *, size_t p, size_t c, double v);

/* Does criterion c count cumulatively (its target is taken pro rata)? */
int	 score_cumulative(const struct score_set *, size_t c);

/* Compute actuals, points, scores, ratings, ranks. */
void	 score_run(struct score_set *);

/* Rating of a score under thresholds thr[3] (HTXSNV, HTTNV, HTNV). */
enum mv_rating score_rating(const double thr[3], double score);

#endif /* THIDUA_MOVEMENT_SCORE_H */
