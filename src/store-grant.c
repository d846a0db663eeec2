/*
 * store-grant.c: SQL behind the owner and serving roles on PostgreSQL
 * (store-grant.h, docs/postgresql.md): whether this role may migrate,
 * which roles were granted before, and the grants themselves. The tables
 * are enumerated from pg_catalog, so a table a later migration adds gets
 * the ordinary rights when the grant is run again; only the append-only
 * tables and schema_migrations are named here.
 */
#include <string.h>

#include "store-grant.h"
#include "store-int.h"
#include "util.h"

/* Rights other than the ordinary ones, by table. */
static const struct {
	const char	*table;
	const char	*privs;
} narrow[] = {
	{ "ledger", "SELECT, INSERT" },
	{ "decisions", "SELECT, INSERT" },
	{ "audit", "SELECT, INSERT" },
	{ "schema_migrations", "SELECT" },
};
#define ORDINARY	"SELECT, INSERT, UPDATE, DELETE"

/* Relations of the current schema a grant covers (tables, views, ...). */
#define IN_SCHEMA \
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"

static const char Q_CAN_MIGRATE[] =
    "SELECT COALESCE(has_schema_privilege(current_schema(), 'CREATE'), false) "
    "AND NOT EXISTS (SELECT 1 " IN_SCHEMA
    " AND NOT pg_has_role(c.relowner, 'USAGE'))";

int
store_grant_can_migrate(struct store *st, struct err *e)
{
	struct store_stmt *s;
	int rc, ok = 0;

	if (store_backend(st) != STORE_PG)
		return 1;
	if ((s = store_prepare_err(st, Q_CAN_MIGRATE, e)) == NULL)
		return -1;
	if ((rc = store_step(s)) == STORE_ROW)
		ok = store_col_int(s, 0) != 0;
	store_reset(s);
	if (rc != STORE_ROW)
		return store_err(st, e);
	return ok;
}

int
store_grant_schema_check(struct store *st, int have, struct err *e)
{
	int latest = store_schema_latest(st), can;

	if (have >= latest)
		return 0;
	if ((can = store_grant_can_migrate(st, e)) < 0)
		return -1;
	if (can)
		return 0;
	return err_set(e, ERR_USER, TR("lược đồ cơ sở dữ liệu ở phiên bản %d, "
	    "bản thidua này cần %d, và vai trò đang kết nối không sở hữu lược "
	    "đồ nên không nâng cấp được (chạy: thidua init với URL của vai trò "
	    "chủ sở hữu)", "the database schema is at version %d, this thidua "
	    "needs %d, and the connected role does not own the schema so it "
	    "cannot upgrade it (run: thidua init with the owner role's URL)"),
	    have, latest);
}

static const char Q_GRANTED[] =
    "SELECT DISTINCT r.rolname FROM pg_class c "
    "JOIN pg_namespace n ON n.oid = c.relnamespace "
    "CROSS JOIN LATERAL aclexplode(c.relacl) a "
    "JOIN pg_roles r ON r.oid = a.grantee "
    "WHERE n.nspname = current_schema() AND c.relname = 'ledger' "
    "AND c.relkind IN ('r', 'p') AND a.privilege_type = 'INSERT' "
    "AND a.grantee <> c.relowner ORDER BY 1";

int
store_grant_roles(struct store *st, struct sb *names, int *n, struct err *e)
{
	struct store_stmt *s;
	int rc;

	*n = 0;
	if (store_backend(st) != STORE_PG)
		return 0;
	if ((s = store_prepare_err(st, Q_GRANTED, e)) == NULL)
		return -1;
	while ((rc = store_step(s)) == STORE_ROW) {
		sb_puts(names, store_col_text(s, 0));
		sb_putc(names, '\0');
		(*n)++;
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

/* Role ROLE: exists, superuser, member of a table owner's role here. */
static const char Q_ROLE[] =
    "SELECT r.rolsuper, EXISTS (SELECT 1 " IN_SCHEMA
    " AND pg_has_role(r.oid, c.relowner, 'MEMBER')), quote_ident(r.rolname), "
    "quote_ident(current_schema()) FROM pg_roles r WHERE r.rolname = $1";
static const char Q_TABLES[] =
    "SELECT c.relname, quote_ident(c.relname) " IN_SCHEMA " ORDER BY 1";
/* An append-only table ROLE may still change, through any of its roles. */
static const char Q_LEAK[] =
    "SELECT c.relname " IN_SCHEMA " AND c.relname IN ('ledger', 'decisions', "
    "'audit') AND (has_table_privilege($1::name, c.oid, 'UPDATE') OR "
    "has_table_privilege($1::name, c.oid, 'DELETE') OR "
    "has_table_privilege($1::name, c.oid, 'TRUNCATE') OR "
    "has_table_privilege($1::name, c.oid, 'TRIGGER')) ORDER BY 1";

/*
 * Refuse ROLE (ERR_USER) when missing, a superuser or the owner; else its
 * quoted name into qrole and the current schema's into qschema.
 */
static int
role_check(struct store *st, const char *role, struct sb *qrole,
    struct sb *qschema, struct err *e)
{
	struct store_stmt *s;
	int rc, super = 0, owner = 0;

	if (store_backend(st) != STORE_PG)
		return err_set(e, ERR_USAGE, "%s", TR("SQLite không có vai trò: "
		    "bảo vệ tệp cơ sở dữ liệu bằng quyền của tệp (xem "
		    "docs/postgresql.md)", "SQLite has no roles: protect the "
		    "database file with its file permissions (see "
		    "docs/postgresql.md)"));
	if ((s = store_prepare_err(st, Q_ROLE, e)) == NULL)
		return -1;
	store_bind_text(s, 1, role);
	if ((rc = store_step(s)) == STORE_ROW) {
		super = store_col_int(s, 0) != 0;
		owner = store_col_int(s, 1) != 0;
		sb_puts(qrole, store_col_text(s, 2));
		sb_puts(qschema, store_col_text(s, 3));
	}
	store_reset(s);
	if (rc < 0)
		return store_err(st, e);
	if (rc != STORE_ROW)
		return err_set(e, ERR_USER, "%s: %s", role, TR("không có vai trò "
		    "PostgreSQL này (tạo trước: CREATE ROLE … LOGIN)", "no such "
		    "PostgreSQL role (create it first: CREATE ROLE … LOGIN)"));
	if (super)
		return err_set(e, ERR_USER, "%s: %s", role, TR("là siêu người "
		    "dùng, quyền hạn không ràng buộc được; hãy dùng một vai trò "
		    "thường", "is a superuser, which no privilege binds; use an "
		    "ordinary role"));
	if (owner)
		return err_set(e, ERR_USER, "%s: %s", role, TR("sở hữu các bảng "
		    "(hoặc là thành viên của vai trò sở hữu) nên không thu hẹp "
		    "quyền được; hãy dùng một vai trò phục vụ riêng", "owns the "
		    "tables (or is a member of the owning role), so its rights "
		    "cannot be narrowed; use a separate serving role"));
	return 0;
}

static const char *
privs_of(const char *table)
{
	for (size_t i = 0; i < sizeof narrow / sizeof narrow[0]; i++)
		if (strcmp(narrow[i].table, table) == 0)
			return narrow[i].privs;
	return ORDINARY;
}

/* Run the statements in sql (one batch); e set on failure. */
static int
exec_err(struct store *st, const char *sql, struct err *e)
{
	if (store_exec(st, sql) != 0)
		return err_set(e, ERR_SYSTEM, "%s: %s", TR("lỗi khi cấp quyền",
		    "granting failed"), store_errmsg(st));
	return 0;
}

/* The grant statements for every table into sql. */
static int
plan(struct store *st, const char *qrole, struct sb *sql, struct err *e)
{
	struct store_stmt *s;
	int rc;

	if ((s = store_prepare_err(st, Q_TABLES, e)) == NULL)
		return -1;
	while ((rc = store_step(s)) == STORE_ROW) {
		const char *q = store_col_text(s, 1);

		sb_printf(sql, "REVOKE ALL ON TABLE %s FROM %s;\n"
		    "GRANT %s ON TABLE %s TO %s;\n", q, qrole,
		    privs_of(store_col_text(s, 0)), q, qrole);
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

/* -1 with e set when ROLE may still change an append-only table. */
static int
leak_check(struct store *st, const char *role, struct err *e)
{
	struct store_stmt *s;
	struct sb t;
	int rc;

	if ((s = store_prepare_err(st, Q_LEAK, e)) == NULL)
		return -1;
	sb_init(&t);
	store_bind_text(s, 1, role);
	while ((rc = store_step(s)) == STORE_ROW)
		sb_printf(&t, "%s%s", t.len ? ", " : "", store_col_text(s, 0));
	store_reset(s);
	if (rc < 0)
		rc = store_err(st, e);
	else if (t.len > 0)
		rc = err_set(e, ERR_USER, "%s: %s: %s", role, TR("vẫn sửa, xóa "
		    "hoặc gắn trigger được (qua một vai trò khác nó thuộc về, "
		    "hoặc PUBLIC) trên bảng chỉ-ghi-thêm", "may still update, "
		    "delete or add triggers (through another role it belongs "
		    "to, or PUBLIC) on the append-only tables"), t.s);
	else
		rc = 0;
	sb_free(&t);
	return rc;
}

int
store_grant(struct store *st, const char *role, struct err *e)
{
	struct sb qrole, qschema, sql;
	int rc = -1;

	sb_init(&qrole);
	sb_init(&qschema);
	sb_init(&sql);
	if (role_check(st, role, &qrole, &qschema, e) != 0)
		goto out;
	if (store_begin(st) != 0) {
		store_err(st, e);
		goto out;
	}
	sb_printf(&sql, "REVOKE CREATE ON SCHEMA %s FROM %s;\n"
	    "GRANT USAGE ON SCHEMA %s TO %s;\n"
	    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA %s FROM %s;\n"
	    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %s TO %s;\n",
	    qschema.s, qrole.s, qschema.s, qrole.s, qschema.s, qrole.s,
	    qschema.s, qrole.s);
	if (plan(st, qrole.s, &sql, e) != 0 || exec_err(st, sql.s, e) != 0 ||
	    leak_check(st, role, e) != 0) {
		store_rollback(st);
		goto out;
	}
	if (store_commit(st) != 0) {
		store_err(st, e);
		goto out;
	}
	rc = 0;
out:
	sb_free(&qrole);
	sb_free(&qschema);
	sb_free(&sql);
	return rc;
}

int
store_grant_revoke(struct store *st, const char *role, struct err *e)
{
	struct sb qrole, qschema, sql;
	int rc = -1;

	sb_init(&qrole);
	sb_init(&qschema);
	sb_init(&sql);
	if (role_check(st, role, &qrole, &qschema, e) != 0)
		goto out;
	/* one simple query: one transaction */
	sb_printf(&sql, "REVOKE ALL ON ALL TABLES IN SCHEMA %s FROM %s;\n"
	    "REVOKE ALL ON ALL SEQUENCES IN SCHEMA %s FROM %s;\n"
	    "REVOKE ALL ON SCHEMA %s FROM %s;\n", qschema.s, qrole.s, qschema.s, qrole.s, qschema.s,
	    qrole.s);
	if (exec_err(st, sql.s, e) == 0)
		rc = 0;
out:
	sb_free(&qrole);
	sb_free(&qschema);
	sb_free(&sql);
	return rc;
}
