/*
 * audit.h: the audit trail. Every write records who (actor), when, from
 * where (the client's address, or "cli"), what (action, kind, subject)
 * and the values before and after (JSON text), inside the transaction of
 * the write itself.
 *
 * The actor and address of the current thread's writes are set with
 * audit_context(): the server's writer thread sets them for each job, a
 * CLI command once (the OS user, "cli"). Strings are not copied: they
 * must stay valid until the next audit_context() call.
 */
#ifndef THIDUA_AUDIT_H
#define THIDUA_AUDIT_H

#include <stdint.h>

#include "err.h"

struct store;
struct batch;
struct kind;
struct sb;

/* Set the thread's actor and address; NULL actor means the OS user. */
void	 audit_context(const char *actor, const char *address);
/* The OS user's name for CLI writes ("cli" address). */
const char *audit_os_user(void);

/* Record one write. kind: "units", "account", ...; before/after may be NULL. */
int	 audit_record(struct store *, const char *action, const char *kind,
	    const char *subject, const char *before, const char *after,
	    struct err *);

/* Record every row of an import batch (action "import"), after its write. */
int	 audit_batch(struct store *, const struct batch *, struct err *);

/*
 * A copy of kind k (into buf) whose write() also records the batch in
 * the audit trail, for callers of import_*() that cannot hook otherwise.
 */
const struct kind *audit_kind(const struct kind *k, struct kind *buf);

struct audit_query {
	int64_t		 since;		/* unix seconds; 0: all */
	const char	*subject;	/* NULL: all */
	long		 limit;
	long		 offset;
};
/* {"items": [...], "total": N, "limit", "offset", "next_offset"} */
int	 audit_json(struct store *, const struct audit_query *, struct sb *out,
	    struct err *);

#endif
