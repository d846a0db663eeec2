/*
 * store-unit.h: read queries the HTTP API needs beyond the import kinds
 * (store-unit.c): one unit with its neighbours, and a unit subtree's
 * counts. Return 1 found, 0 not found, -1 with e set.
 */
#ifndef THIDUA_STORE_UNIT_H
#define THIDUA_STORE_UNIT_H

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

#endif
