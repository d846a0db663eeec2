/*
 * store-elig.h: the eligibility snapshot loader. It streams what the
 * engine needs for one year into a struct elig_snap (elig.h), one pass
 * per table, on both backends.
 *
 * Ownership: the snapshot is freed with elig_snap_free().
 */
#ifndef THIDUA_STORE_ELIG_H
#define THIDUA_STORE_ELIG_H

#include <stdint.h>

#include "elig.h"
#include "err.h"

struct store;

/*
 * Load the snapshot for rs and year into sn (zeroed first), and when gen
 * is not NULL the "elig" generation it was read at (store.h). 0 or -1.
 */
int	 store_elig_snapshot(struct store *, const struct ruleset *, int year,
	    struct elig_snap *sn, int64_t *gen, struct err *);

#endif /* THIDUA_STORE_ELIG_H */
