/*
 * exemplar.h: advanced examples (điển hình tiên tiến): a register of
 * exemplars (a person or a unit, the field, what makes them exemplary,
 * since when, and the standard they must keep), discovery of candidates
 * from the data, replication (units that adopted an exemplar's practice,
 * with their ratings and scores before and after) and yearly maintenance
 * (does the exemplar still meet its standard?). docs/exemplars.md states
 * the rules.
 *
 * The engine (exemplar.c: exemplar_assess, exemplar_keeps) is pure: it
 * reads a struct ex_subject that the store fills (store-exemplar.h). The
 * services (exemplar-svc.c) write the JSON documents the CLI and the HTTP
 * server both return, or a text table (json = 0), appending to the
 * caller's struct sb.
 */
#ifndef THIDUA_EXEMPLAR_H
#define THIDUA_EXEMPLAR_H

#include <stdint.h>

#include "err.h"
#include "scope.h"

struct store;
struct sb;

/* ---- engine ---- */

#define EX_WINDOW	3	/* discovery looks at this many years */

/* What the engine knows about one subject over a window of years. */
struct ex_subject {
	char	 code[33];
	char	 name[128];
	int	 is_unit;
	int	 rating[EX_WINDOW];	/* 1 HTXSNV .. 4 KHTNV, 0 none; [0] oldest */
	int	 award_held[EX_WINDOW];	/* the standard's award (check only,
					 * from held) */
	uint64_t held[EX_WINDOW];	/* awards the window was asked held
					 * (store_exemplar_window) */
	int	 have_rank[EX_WINDOW];
	int	 rank[EX_WINDOW];	/* rank in the year's regular movement */
	int	 innovations;		/* recognised in the window */
	int	 discipline[EX_WINDOW];	/* discipline overlapping the year */
	int	 serious[EX_WINDOW];	/* serious incident in its unit's subtree */
};

#define EX_MAXREASON 8
struct ex_verdict {
	int	 candidate;
	int	 nreason;
	char	 reason[EX_MAXREASON][160];	/* in the user's language */
};

/*
 * Discovery over the window (ranks when have_scores and the subject was
 * ranked every year, else its ratings):
 * consistently top (rank ≤ 3 every year, or HTXSNV in ≥ 2 years and at
 * least HTTNV in every year), at least one recognised innovation, no
 * discipline and no serious incident in the window.
 */
void	 exemplar_assess(const struct ex_subject *, int have_scores,
	    struct ex_verdict *);

enum ex_status { EX_OK, EX_SLIPPING, EX_LAPSED };
const char *exemplar_status_name(enum ex_status);
/*
 * Maintenance for the last year of the window: meets the standard
 * (rating ≥ min_rating, the award if one is set, no discipline, no
 * serious incident) → ok; misses it this year only → slipping; misses it
 * this year and the year before → lapsed. Reasons say what was missed.
 */
enum ex_status exemplar_keeps(const struct ex_subject *, int min_rating,
	    int need_award, struct ex_verdict *);

/* ---- services (ERR_USER / ERR_NOTFOUND / ERR_CONFLICT / ERR_SYSTEM) ---- */

struct exemplar_new {
	const char	*subject, *field, *reason, *award;
	int		 since;
	const char	*min_rating;	/* NULL: HTTNV */
};
/* Register; *id gets the new exemplar's id. One transaction. */
int	 exemplar_add(struct store *, const struct exemplar_new *, int64_t *id,
	    struct err *);
/* Record that UNIT adopted exemplar ID's practice on DATE. */
int	 exemplar_adopt(struct store *, int64_t id, const char *unit,
	    const char *date, const char *practice, struct err *);
/*
 * {"exemplars":[{"id","subject","subject_kind","name","field","reason",
 *  "since","min_rating","award","adoptions"}]}
 */
int	 exemplar_list(struct store *, int json, struct sb *, struct err *);
/*
 * {"id",…as in the list (adoptions: their count)…,"adoption_list":
 *  [{"unit","name","adopted_on","practice","before":{"year","rating",
 *  "score"},"after":{…}}]}
 */
int	 exemplar_show(struct store *, int64_t id, int json, struct sb *,
	    struct err *);
/*
 * {"year","from","basis":"movement"|"ratings","candidates":[{"subject",
 *  "subject_kind","name","registered","reasons":[…]}]}
 * Only the subjects sc keeps (NULL: all) are candidates.
 */
int	 exemplar_discover(struct store *, int year, int json,
	    const struct scope_filter *sc, struct sb *, struct err *);
/*
 * on: keep the last discoveries' candidates in memory and give them again
 * while current (the eligibility tables' and the movements' stamps the
 * same, SQLite: a server; the CLI keeps none). 0 frees them.
 */
void	 exemplar_keep(int on);
/*
 * {"year","results":[{"id","subject","field","status","reasons":[…]}]}
 * status: ok | slipping | lapsed. *warnings counts the others.
 */
int	 exemplar_check(struct store *, int year, int json, struct sb *,
	    int *warnings, struct err *);

/* For the demo: register a few exemplars found in YEAR's data and their
 * adoptions. Returns how many were registered, -1 on error. */
long	 exemplar_demo(struct store *, int year, struct err *);

#endif /* THIDUA_EXEMPLAR_H */
