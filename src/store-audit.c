/*
 * store-audit.c: SQL for the audit trail (see store-audit.h).
 */
#include <stddef.h>

#include "store-audit.h"
#include "store.h"
#include "util.h"


static const char SQL_INS[] =
    "INSERT INTO audit (at, actor, address, action, kind, subject, before, "
    "after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

int
store_audit_insert(struct store *st, const struct audit_row *r, struct err *e)
{
	struct store_stmt *s;

	if ((s = store_prepare(st, SQL_INS)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, r->at);
	store_bind_text(s, 2, r->actor);
	store_bind_text(s, 3, r->address);
	store_bind_text(s, 4, r->action);
	store_bind_text(s, 5, r->kind);
	store_bind_text(s, 6, r->subject);
	store_bind_text(s, 7, r->before);
	store_bind_text(s, 8, r->after);
	return store_run(s) == STORE_DONE ? 0 : store_err(st, e);
}

static const char SQL_COUNT[] =
    "SELECT COUNT(*) FROM audit WHERE at >= $1 AND ($2 = '' OR subject = $2)";
static const char SQL_LIST[] =
    "SELECT id, at, actor, address, action, kind, subject, before, after "
    "FROM audit WHERE at >= $1 AND ($2 = '' OR subject = $2) "
    "ORDER BY id DESC LIMIT $3 OFFSET $4";

int
store_audit_each(struct store *st, int64_t since, const char *subject,
    long limit, long offset, long *total,
    int (*fn)(void *, const struct audit_row *), void *arg, struct err *e)
{
	struct store_stmt *s;
	struct audit_row r;
	int rc;

	if ((s = store_prepare(st, SQL_COUNT)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, since);
	store_bind_text(s, 2, subject ? subject : "");
	rc = store_step(s);
	*total = rc == STORE_ROW ? (long)store_col_int(s, 0) : 0;
	store_reset(s);
	if (rc != STORE_ROW)
		return store_err(st, e);
	if ((s = store_prepare(st, SQL_LIST)) == NULL)
		return store_err(st, e);
	store_bind_int(s, 1, since);
	store_bind_text(s, 2, subject ? subject : "");
	store_bind_int(s, 3, limit);
	store_bind_int(s, 4, offset);
	while ((rc = store_step(s)) == STORE_ROW) {
		r.id = store_col_int(s, 0);
		r.at = store_col_int(s, 1);
		r.actor = store_col_text(s, 2);
		r.address = store_col_text(s, 3);
		r.action = store_col_text(s, 4);
		r.kind = store_col_text(s, 5);
		r.subject = store_col_isnull(s, 6) ? NULL : store_col_text(s, 6);
		r.before = store_col_isnull(s, 7) ? NULL : store_col_text(s, 7);
		r.after = store_col_isnull(s, 8) ? NULL : store_col_text(s, 8);
		if (fn(arg, &r) != 0)
			break;
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}
