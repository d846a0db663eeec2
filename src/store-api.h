/*
 * store-api.h: read queries the HTTP API needs beyond the import kinds
 * (store-api.c): one unit with its neighbours, and a unit subtree's
 * counts. Return 1 found, 0 not found, -1 with e set.
 */
#ifndef THIDUA_STORE_API_H
#define THIDUA_STORE_API_H

#include <stdint.h>

#include "err.h"

struct store;
struct sb;

/* {"code","name","kind","bloc","military","parent","children":[{"code","name"}]} */
int	 store_unit_json(struct store *, const char *code, struct sb *out,
	    struct err *);
/*
 * {"unit","name","units","people","year","ratings":{RATING: n},"awards"}:
 * units and current people in the subtree, and the ratings and awards of
 * the latest rated year among its subjects.
 */
int	 store_unit_summary_json(struct store *, const char *code,
	    struct sb *out, struct err *);

/*
 * One record (subject code, metric code, day number, value), inserted or
 * updated, inside the caller's transaction. *had is set when a value was
 * there before (*before). 0 found and written, 0 with *missing = 1 when
 * the subject does not exist (nothing written), -1 with e set.
 */
int	 store_record_put(struct store *, const char *subject, const char *metric,
	    int32_t day, double value, int *missing, int *had, double *before,
	    struct err *);

#endif
