/*
 * store-rules.h: rule-set storage and the eligibility snapshot loader.
 *
 * Rule sets are stored as the YAML text they were loaded from, keyed by
 * (code, effective). The snapshot loader streams what the engine needs
 * for one year into a struct elig_snap (elig.h), one pass per table, on
 * both backends.
 *
 * Ownership: returned strings are malloc'd and freed by the caller; the
 * snapshot is freed with elig_snap_free().
 */
#ifndef THIDUA_STORE_RULES_H
#define THIDUA_STORE_RULES_H

#include "elig.h"
#include "err.h"

struct store;

/*
 * Store a rule-set version. *changed is 1 when it was inserted or its
 * text differed and was replaced, 0 when the same text was there.
 */
int	 store_rules_put(struct store *, const char *code, const char *effective,
	    const char *source, int *changed, struct err *);
/*
 * The YAML of the version in force on date `on` (YYYY-MM-DD: latest
 * effective on or before it), restricted to code when code != NULL (then
 * any date when on is NULL). NULL with ERR_NOTFOUND when none.
 */
char	*store_rules_get(struct store *, const char *on, const char *code,
	    struct err *);

/* Every stored rule-set version (code, effective), by effective. 0 or -1. */
int	 store_rules_each(struct store *, int (*fn)(void *, const char *code,
	    const char *effective), void *arg, struct err *);

/*
 * Load the snapshot for rs and year into sn (zeroed first), and when gen
 * is not NULL the "elig" generation it was read at (store.h). 0 or -1.
 */
int	 store_elig_snapshot(struct store *, const struct ruleset *, int year,
	    struct elig_snap *sn, int64_t *gen, struct err *);

#endif /* THIDUA_STORE_RULES_H */
