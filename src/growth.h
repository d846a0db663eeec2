/*
 * growth.h: business indicators (chỉ tiêu SXKD) year over year.
 *
 * Three layers (docs/indicators.md states every rule):
 *   - the engine, growth_compute() (growth.c): pure maths over one
 *     indicator's values by year: ratio to/from, compound annual growth
 *     rate, year-over-year ratios and whether every year beat the one
 *     before;
 *   - the report, growth_build() (growth-svc.c): reads a unit's indicators
 *     and planned values (indicator targets) for the years through the
 *     store and runs the engine per indicator;
 *   - the services (growth-svc.c): growth_json() (the contract's document,
 *     the same for the CLI and GET /api/v1/reports/growth),
 *     growth_report_table(), growth_report_csv().
 *
 * Indicator codes with a name: production_value, turnover, value_added,
 * budget_payment, average_income, export_value (listed first, in that
 * order); any other code is reported after them, sorted by code.
 *
 * Ownership: growth_build() fills a struct growth_report that
 * growth_report_free() releases; the services append to the caller's sb.
 */
#ifndef THIDUA_GROWTH_H
#define THIDUA_GROWTH_H

#include <stddef.h>

#include "err.h"

struct store;
struct sb;

/* The engine (growth.c): pure, no store, no I/O. */

struct growth_yoy {
	int	 year;
	double	 ratio;		/* value[year] / value[year - 1] */
	int	 rose;		/* ratio > 1 */
};

struct growth_calc {
	int	 have_ratio;	/* both ends known and the first is > 0 */
	double	 ratio;		/* value[to] / value[from] */
	double	 cagr;		/* ratio^(1/(to-from)) - 1; 0 when to == from */
	size_t	 nyoy;		/* entries written to yoy[] */
	int	 rising;	/* every year known and each above the one before */
};

/*
 * The engine. v[i] and have[i] are the value of year from + i, for
 * i = 0 .. to - from. yoy must hold to - from entries. Never fails.
 */
void	 growth_compute(const double *v, const unsigned char *have, int from,
	    int to, struct growth_yoy *yoy, struct growth_calc *out);

/* The services (growth-svc.c): the report, its documents and renderings. */

/* A planned value and how far the actual reached it. */
struct growth_target {
	int	 year;
	double	 target;
	int	 have_actual;
	double	 actual;
	double	 attainment;	/* actual / target (0 when target is 0) */
	int	 met;		/* actual >= target */
};

struct growth_ind {
	char	 code[33];
	int	 have_from, have_to;
	double	 from_value, to_value;
	struct growth_calc calc;
	struct growth_yoy *yoy;		/* calc.nyoy entries */
	struct growth_target *targets;	/* ntargets entries, by year */
	size_t	 ntargets;
};

struct growth_report {
	int	 from, to;
	char	 unit[33];
	struct growth_ind *ind;
	size_t	 nind;
};

/*
 * Build the report of UNIT (NULL: the enterprise, the root unit) for the
 * years FROM..TO. ERR_USAGE when to < from or the span is over 200 years;
 * ERR_NOTFOUND for an unknown unit; ERR_SYSTEM from the store.
 */
int	 growth_build(struct store *, int from, int to, const char *unit,
	    struct growth_report *, struct err *);
void	 growth_report_free(struct growth_report *);

/*
 * The JSON document (the contract's, plus "name", "rose" in each yoy entry
 * and "targets"):
 * {"from","to","unit","indicators":[{"indicator","name","from_value",
 *  "to_value","ratio","cagr","yoy":[{"year","ratio","rose"}],
 *  "rising_every_year","targets":[{"year","target","actual","attainment",
 *  "met"}]}]}
 * Unknown values are null. Ratios and CAGR are rounded to 4 decimals.
 */
int	 growth_json(struct store *, int from, int to, const char *unit,
	    struct sb *out, struct err *);
void	 growth_report_json(const struct growth_report *, struct sb *out);
void	 growth_report_table(const struct growth_report *, struct sb *out);
void	 growth_report_csv(const struct growth_report *, struct sb *out);

/*
 * The printf field width that shows UTF-8 text s in w terminal columns
 * (one column per code point), for the text tables of the reports.
 */
int	 growth_colw(const char *s, int w);

/* The bilingual name of a known indicator code, or the code itself. */
const char *growth_indicator_name(const char *code);

#endif /* THIDUA_GROWTH_H */
