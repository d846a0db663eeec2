/*
 * store-rules.h: rule-set storage. Rule sets are stored as the YAML text
 * they were loaded from, keyed by (code, effective). (The eligibility
 * snapshot's loader: store-elig.h.)
 *
 * Ownership: returned strings are malloc'd and freed by the caller.
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

#endif /* THIDUA_STORE_RULES_H */
