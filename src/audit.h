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
struct json_t;

/* Set the thread's actor and address; NULL actor means the OS user. */
void	 audit_context(const char *actor, const char *address);
/* The OS user and host for CLI writes, as user@host ("cli" address). */
const char *audit_os_user(void);
/* Who the thread's writes are by: the context's actor, else audit_os_user(). */
const char *audit_actor(void);

/* Record one write. kind: "units", "account", ...; before/after may be NULL. */
int	 audit_record(struct store *, const char *action, const char *kind,
	    const char *subject, const char *before, const char *after,
	    struct err *);

/* The same, by someone other than the thread's actor (a login attempt). */
int	 audit_record_by(struct store *, const char *actor, const char *action,
	    const char *kind, const char *subject, const char *before,
	    const char *after, struct err *);
/* The same with before and after as JSON values (references stolen). */
int	 audit_record_json(struct store *, const char *action, const char *kind,
	    const char *subject, struct json_t *before, struct json_t *after,
	    struct err *);

/*
 * Importing a batch, in the import's transaction:
 *   b = audit_before(st, batch, e)   before the write: the stored rows
 *                                    with the batch's keys (one pass over
 *                                    the kind's export); NULL on error
 *   audit_batch(st, batch, b, e)     after the write: one entry per row
 *                                    (action "import"), before and after
 *   audit_before_free(b)
 */
struct audit_before;
struct audit_before *audit_before(struct store *, const struct batch *,
	    struct err *);
int	 audit_batch(struct store *, const struct batch *,
	    const struct audit_before *, struct err *);
void	 audit_before_free(struct audit_before *);
/* The stored row batch row r replaces, in column order; NULL when new. */
const char *const *audit_before_row(struct audit_before *,
	    const struct batch *, size_t r);

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
