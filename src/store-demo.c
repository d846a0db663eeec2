/*
 * store-demo.c: SQL for the demo loader: counting what is there, emptying
 * the database before `thidua demo --force`, and the settings row.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store-demo.h"
#include "util.h"


static const char Q_COUNT[] = "SELECT COUNT(*) FROM subjects";

long
store_demo_subjects(struct store *st, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_COUNT);
	long n = -1;

	if (s == NULL)
		return store_err(st, e);
	if (store_step(s) == STORE_ROW)
		n = (long)store_col_int(s, 0);
	store_reset(s);
	if (n < 0)
		store_err(st, e);
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
 * table, the award ledger and the audit trail, both append-only by design
 * (their entries name subjects by code, with no foreign key): loading the
 * demo never erases what was decided or done before.
 */
static int
kept(const char *t)
{
	static const char *const keep[] = { "schema_migrations", "base_salary",
	    "ledger", "audit" };

	for (size_t i = 0; i < sizeof keep / sizeof keep[0]; i++)
		if (strcmp(t, keep[i]) == 0)
			return 1;
	return strncmp(t, "rule", 4) == 0;
}

/* The names of the tables to empty, into names (NUL-separated). */
static int
wipe_list(struct store *st, struct sb *names, int *n, struct err *e)
{
	struct store_stmt *s = store_prepare(st, store_backend(st) ==
	    STORE_PG ? Q_TABLES_PG : Q_TABLES_SQLITE);
	int rc;

	*n = 0;
	if (s == NULL)
		return store_err(st, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		const char *t = store_col_text(s, 0);

		if (kept(t))
			continue;
		sb_puts(names, t);
		sb_putc(names, '\0');
		(*n)++;
	}
	store_reset(s);
	return rc < 0 ? store_err(st, e) : 0;
}

/*
 * DELETE (not TRUNCATE: append-only tables refuse it even when empty)
 * every table, in passes: a table whose rows are still referenced fails
 * inside its savepoint and is tried again in the next pass. A pass that
 * empties nothing more ends it: a table that cannot be emptied (e.g.
 * recorded decisions, append-only) fails the whole wipe, which changes
 * nothing.
 */
int
store_demo_wipe(struct store *st, struct err *e)
{
	struct sb names, sql;
	char *done;
	int n, left, progress = 1;
	const char *t = NULL;

	sb_init(&names);
	sb_init(&sql);
	if (store_begin(st) != 0) {
		sb_free(&names);
		return store_err(st, e);
	}
	if (store_backend(st) == STORE_SQLITE &&
	    store_exec(st, "PRAGMA defer_foreign_keys = ON") != 0)
		goto fail;
	if (wipe_list(st, &names, &n, e) != 0)
		goto fail_set;
	done = xcalloc((size_t)n + 1, 1);
	for (left = n; left > 0 && progress; ) {
		progress = 0;
		t = names.s;
		for (int i = 0; i < n; i++, t += strlen(t) + 1) {
			if (done[i])
				continue;
			sb_reset(&sql);
			sb_printf(&sql, "DELETE FROM \"%s\"", t);
			if (store_exec(st, "SAVEPOINT demo_wipe") != 0) {
				free(done);
				goto fail;
			}
			if (store_exec(st, sql.s) == 0) {
				store_exec(st, "RELEASE SAVEPOINT demo_wipe");
				done[i] = 1;
				left--;
				progress = 1;
			} else {
				err_set(e, ERR_CONFLICT, "%s '%s': %s", TR("không "
				    "xóa được bảng", "cannot empty table"), t,
				    store_errmsg(st));
				store_exec(st, "ROLLBACK TO SAVEPOINT demo_wipe");
				store_exec(st, "RELEASE SAVEPOINT demo_wipe");
			}
		}
	}
	free(done);
	if (left > 0 || store_commit(st) != 0) {
		if (left == 0)
			store_err(st, e);
		goto fail_set;
	}
	sb_free(&names);
	sb_free(&sql);
	return 0;
fail:
	store_err(st, e);
fail_set:
	store_rollback(st);
	sb_free(&names);
	sb_free(&sql);
	return -1;
}

static const char Q_SETTING_GET[] = "SELECT value FROM settings WHERE key = $1";

int
store_demo_setting_get(struct store *st, const char *key, char *buf,
    unsigned long sz, struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_SETTING_GET);
	int rc;

	buf[0] = '\0';
	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, key);
	rc = store_step(s);
	if (rc == STORE_ROW)
		snprintf(buf, sz, "%s", store_col_text(s, 0));
	store_reset(s);
	if (rc < 0)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char Q_SETTING[] =
    "INSERT INTO settings (key, value) VALUES ($1, $2) "
    "ON CONFLICT (key) DO UPDATE SET value = excluded.value";

int
store_demo_setting_put(struct store *st, const char *key, const char *value,
    struct err *e)
{
	struct store_stmt *s = store_prepare(st, Q_SETTING);

	if (s == NULL)
		return store_err(st, e);
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	if (store_run(s) != STORE_DONE)
		return store_err(st, e);
	return 0;
}
