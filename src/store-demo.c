/*
 * store-demo.c: SQL for the demo loader: counting what is there, emptying
 * the database before `thidua demo --force`, and the settings row.
 */
#include <stdio.h>
#include <string.h>

#include "store.h"
#include "store-demo.h"
#include "util.h"

static int
sys(struct store *st, struct err *e)
{
	return err_set(e, ERR_SYSTEM, "%s: %s", TR("lỗi cơ sở dữ liệu",
	    "database error"), store_errmsg(st));
}

static const char Q_COUNT[] = "SELECT COUNT(*) FROM subjects";

long
store_demo_subjects(struct store *st, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_COUNT);
	long n = -1;

	if (s == NULL)
		return sys(st, e);
	if (store_step(s) == STORE_ROW)
		n = (long)store_col_int(s, 0);
	store_reset(s);
	if (n < 0)
		sys(st, e);
	return n;
}

static const char Q_TABLES_SQLITE[] =
    "SELECT name FROM sqlite_master WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite_%' ORDER BY name";
static const char Q_TABLES_PG[] =
    "SELECT table_name FROM information_schema.tables "
    "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
    "ORDER BY table_name";

/*
 * Tables --force keeps: the schema's version, rule sets, the base salary
 * table, and the award ledger, which is append-only by design (its
 * entries name subjects by code, with no foreign key).
 */
static int
kept(const char *t)
{
	static const char *const keep[] = { "schema_migrations", "base_salary",
	    "ledger" };

	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (strcmp(t, keep[i]) == 0)
			return 1;
	return strncmp(t, "rule", 4) == 0;
}

int
store_demo_wipe(struct store *st, struct err *e)
{
	int pg = store_backend(st) == STORE_PG, rc;
	struct store_stmt *s;
	struct sb sql;
	long n = 0;

	sb_init(&sql);
	if (store_begin(st) != 0)
		return sys(st, e);
	if (!pg && store_exec(st, "PRAGMA defer_foreign_keys = ON") != 0)
		goto fail;
	if ((s = store_prepare(st, pg ? Q_TABLES_PG : Q_TABLES_SQLITE)) == NULL)
		goto fail;
	sb_puts(&sql, pg ? "TRUNCATE " : "");
	while ((rc = store_step(s)) == STORE_ROW) {
		const char *t = store_col_text(s, 0);

		if (kept(t))
			continue;
		if (pg)
			sb_printf(&sql, "%s\"%s\"", n ? ", " : "", t);
		else
			sb_printf(&sql, "DELETE FROM \"%s\";", t);
		n++;
	}
	store_reset(s);
	if (rc < 0)
		goto fail;
	if (pg)
		sb_puts(&sql, " RESTART IDENTITY CASCADE");
	if (n > 0 && store_exec(st, sql.s) != 0)
		goto fail;
	if (store_commit(st) != 0)
		goto fail;
	sb_free(&sql);
	return 0;
fail:
	sys(st, e);
	store_rollback(st);
	sb_free(&sql);
	return -1;
}

static const char Q_SETTING[] =
    "INSERT INTO settings (key, value) VALUES ($1, $2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int
store_setting_put(struct store *st, const char *key, const char *value,
    struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_SETTING);

	if (s == NULL)
		return sys(st, e);
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	if (store_run(s) != STORE_DONE)
		return sys(st, e);
	return 0;
}
