/*
 * store-growth.h: store operations behind the growth report
 * (growth.h) and the `indicator-targets` import kind.
 */
#ifndef THIDUA_STORE_GROWTH_H
#define THIDUA_STORE_GROWTH_H

#include "import-kinds.h"

/* The enterprise: the root unit (no parent), kind enterprise first, then
 * by code. 1 found (code copied), 0 no unit at all, -1 error. */
int	 store_growth_root(struct store *, char code[33], struct err *);
/* 1 when CODE names a unit, 0 when not, -1 on error. */
int	 store_growth_is_unit(struct store *, const char *code, struct err *);

/*
 * Every indicator value (target = 0) and planned value (target = 1) of
 * UNIT for years FROM..TO, by indicator code then year. The callback
 * returns 0 to go on. 0 or -1.
 */
typedef int (*growth_row_fn)(void *, const char *indicator, int year,
    double value, int target);
int	 store_growth_rows(struct store *, const char *unit, int from, int to,
	    growth_row_fn, void *, struct err *);

/* The indicator-targets kind's store operations (columns in growth-kind.c). */
int	 store_write_indicator_targets(struct store *, const struct batch *,
	    struct err *);
int	 store_export_indicator_targets(struct store *,
	    int (*)(void *, const char *const *), void *, struct err *);

#endif
