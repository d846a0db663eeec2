/*
 * store-audit.h: SQL behind the audit trail (store-audit.c), used by
 * audit.c only. Returns 0, or -1 with e set (ERR_SYSTEM).
 */
#ifndef THIDUA_STORE_AUDIT_H
#define THIDUA_STORE_AUDIT_H

#include <stdint.h>

#include "err.h"

struct store;

struct audit_row {
	int64_t		 id;
	int64_t		 at;
	const char	*actor, *address, *action, *kind, *subject;
	const char	*before, *after;	/* NULL when absent */
};

int	 store_audit_insert(struct store *, const struct audit_row *, struct err *);
/*
 * Rows with at >= since and (subject empty or equal), newest first,
 * paged. *total gets the count of all matching rows. Strings passed to
 * fn are valid during the call only.
 */
int	 store_audit_each(struct store *, int64_t since, const char *subject,
	    long limit, long offset, long *total,
	    int (*fn)(void *, const struct audit_row *), void *, struct err *);

#endif
