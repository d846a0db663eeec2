/*
 * store-grant.h: the two PostgreSQL roles (docs/postgresql.md). The owner
 * role owns the schema and runs the migrations; a serving role gets only
 * what `thidua serve` and the everyday commands need, and no more than
 * SELECT and INSERT on the append-only tables (ledger, decisions, audit),
 * so it can neither rewrite history nor switch the triggers off.
 * SQLite has no roles: these report "owner" and refuse to grant.
 */
#ifndef THIDUA_STORE_GRANT_H
#define THIDUA_STORE_GRANT_H

#include "err.h"

struct sb;
struct store;

/*
 * 1 when the connected role may run migrations (it may create in the
 * current schema and owns, or inherits the owner of, every table there);
 * 0 when not; -1 with e set. Always 1 on SQLite.
 */
int	 store_grant_can_migrate(struct store *, struct err *);

/*
 * 0 when a schema at version `have` is usable as it is or can be brought
 * up to date by this role; else -1 with e set: ERR_USER "run thidua init
 * as the owner" when the schema is behind and this role cannot migrate.
 */
int	 store_grant_schema_check(struct store *, int have, struct err *);

/*
 * The serving roles granted before: roles other than the owner that may
 * INSERT into the current schema's ledger by a grant of their own.
 * Names are appended to names NUL-separated; *n gets their number.
 */
int	 store_grant_roles(struct store *, struct sb *names, int *n,
	    struct err *);

/*
 * Give ROLE exactly the serving rights on every table of the current
 * schema (one transaction; run again after every migration): USAGE on
 * the schema; SELECT, INSERT on ledger, decisions and audit; SELECT on
 * schema_migrations; SELECT, INSERT, UPDATE, DELETE on the rest; USAGE,
 * SELECT on the sequences. Refused (ERR_USER) for a missing role, a
 * superuser, or a role that owns or inherits the tables' owner, and when
 * ROLE would still have UPDATE, DELETE or TRUNCATE on an append-only
 * table through another role. ERR_USAGE on SQLite.
 */
int	 store_grant(struct store *, const char *role, struct err *);
/* Take every right in the current schema back from ROLE. */
int	 store_grant_revoke(struct store *, const char *role, struct err *);

#endif
