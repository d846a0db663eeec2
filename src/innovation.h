/*
 * innovation.h: the innovation register (sổ sáng kiến, đề tài, công trình
 * cơ khí hóa / tự động hóa): each innovation with its authors and their
 * shares, recognition level and date, applied scope, unit and benefit,
 * and the awards that rest on it (awards.based_on).
 *
 * Layers: the store fills a struct innov_snap (store-innovation.h); the
 * pure engine innov_group() (innovation.c) counts it by year, kind, level
 * or unit; the services (innovation-svc.c) render the report (`thidua
 * report innovations`, and the HTTP server) and one innovation (`thidua
 * innovation show`).
 * docs/indicators.md (section "Innovation register") states the rules.
 *
 * Ownership: innov_snap_free() releases a snapshot and everything in it;
 * services append to the caller's struct sb.
 */
#ifndef THIDUA_INNOVATION_H
#define THIDUA_INNOVATION_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "rules.h"
#include "scope.h"

struct store;
struct sb;

/* ---- engine (innovation.c): pure, arrays in, results out ---- */

/* An innovation's kind is the rule sets' enum ikind (rules.h). */
enum innov_level { IL_BASE, IL_MINISTRY, IL_NATIONAL, IL__N };
enum innov_by { IB_YEAR, IB_KIND, IB_LEVEL, IB_UNIT, IB__N };

const char *innov_kind_name(enum ikind);
const char *innov_level_name(enum innov_level);
const char *innov_by_name(enum innov_by);
/* -1 when unknown. */
int	 innov_by_parse(const char *);

struct innov_author {
	char	 person[33];
	char	*name;		/* owned by the snapshot */
	double	 share;		/* percent; 0 when not recorded */
};

struct innov_award {
	int	 year;
	char	 subject[33];
	char	 award[33];
};

struct innov {
	char		 code[33];
	enum ikind	 kind;
	enum innov_level level;
	int		 year;
	char		*title, *scope;		/* scope may be NULL */
	char		 recognised_on[11];	/* "" when not recorded */
	char		 unit[33];	/* its unit, else the first author's */
	int		 have_benefit;
	int64_t		 benefit;	/* VND */
	struct innov_author *authors;
	size_t		 nauthors;
	struct innov_award *awards;	/* awards resting on it */
	size_t		 nawards;
};

struct innov_snap {
	struct innov	*v;		/* by year, then code */
	size_t		 n, cap;
};
void	 innov_snap_free(struct innov_snap *);

/* One row of a grouped count. */
struct innov_group {
	char	 key[33];	/* "2016", "research", "ministry", "A4" */
	long	 count;
	long	 by_kind[IK__MAX];
	int64_t	 benefit;	/* sum of known benefits */
	long	 with_awards;	/* innovations at least one award rests on */
};

/*
 * The engine: group the snapshot's innovations of years FROM..TO by BY.
 * *out is malloc'd (caller frees), sorted by key (years and kinds and
 * levels in their natural order). total gets the sums over all groups.
 */
void	 innov_group(const struct innov_snap *, int from, int to,
	    enum innov_by by, struct innov_group **out, size_t *n,
	    struct innov_group *total);

/* ---- services (innovation-svc.c): the CLI's and the HTTP twin's ---- */

/*
 * The report document:
 * {"from","to","by","total":{group},"groups":[{"key","count","by_kind":
 *  {"initiative","research","mechanisation"},"benefit","with_awards"}],
 *  "innovations":[{"code","kind","title","year","level","recognised_on",
 *  "scope","unit","benefit","authors":[{"person","name","share"}],
 *  "awards":[{"year","subject","award"}]}]}
 * from/to 0 mean the earliest/latest year in the register.
 * ERR_USAGE for a bad range; ERR_SYSTEM from the store. Authors and
 * award subjects that sc does not keep are left out (NULL: none).
 * Without rows, "innovations" is left out (the totals and groups only).
 */
int	 innovations_json(struct store *, int from, int to, enum innov_by,
	    const struct scope_filter *sc, int rows, struct sb *out,
	    struct err *);
/*
 * on: keep the last summaries (rows 0) in memory and give them again
 * while the eligibility tables' stamp holds (SQLite: a server; the CLI
 * keeps none). 0 frees them.
 */
void	 innovation_keep(int on);
/* The table (and with list, the register lines) or CSV of the same. */
int	 innovations_text(struct store *, int from, int to, enum innov_by,
	    int list, int csv, struct sb *out, struct err *);
/* One innovation as JSON (the object above) or text; ERR_NOTFOUND. */
int	 innovation_show(struct store *, const char *code, int json,
	    struct sb *out, struct err *);

#endif /* THIDUA_INNOVATION_H */
