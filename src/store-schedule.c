/*
 * store-schedule.c: SQL behind the schedule snapshot (store-schedule.h).
 * Four streaming scans: units, tasks (id order), links, progress (key
 * order, so each task's rows arrive by day and fold in one pass).
 */
#include <stdint.h>
#include <stdlib.h>

#include "schedule.h"
#include "store-schedule.h"
#include "store.h"
#include "util.h"

static int
db_fail(struct store *st, struct err *e)
{
	return err_set(e, ERR_SYSTEM, "%s: %s", TR("lỗi cơ sở dữ liệu",
	    "database error"), store_errmsg(st));
}

static int
load_units(struct store *st, struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT u.id, s.code, u.parent_id "
	    "FROM units u JOIN subjects s ON s.id = u.id ORDER BY u.id";
	struct store_stmt *h = store_prepare(st, q);
	int64_t *parent = NULL;
	size_t cap = 0, i;
	int rc;

	if (h == NULL)
		return db_fail(st, e);
	while ((rc = store_step(h)) == STORE_ROW) {
		i = sched_add_unit(s, store_col_int(h, 0), store_col_text(h, 1));
		grow(&parent, &cap, i + 1, sizeof *parent);
		parent[i] = store_col_isnull(h, 2) ? 0 : store_col_int(h, 2);
	}
	store_reset(h);
	if (rc != STORE_DONE) {
		free(parent);
		return db_fail(st, e);
	}
	for (i = 0; i < s->nunits; i++)
		s->unit_parent[i] = parent[i] ? (int32_t)sched_unit_index(s,
		    parent[i]) : -1;
	free(parent);
	return 0;
}

static int
load_tasks(struct store *st, struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT id, code, name, unit_id, quantity, "
	    "start, due, product, customer, hard FROM tasks ORDER BY id";
	struct store_stmt *h = store_prepare(st, q);
	int rc;

	if (h == NULL)
		return db_fail(st, e);
	while ((rc = store_step(h)) == STORE_ROW) {
		int32_t start, due;
		const char *code = store_col_text(h, 1);

		if (date_parse(store_col_text(h, 5), &start) != 0 ||
		    date_parse(store_col_text(h, 6), &due) != 0) {
			err_at(e, ERR_USER, NULL, 0, 0, "start/due", "%s %s: %s",
			    TR("nhiệm vụ", "task"), code, TR("ngày không hợp lệ "
			    "trong cơ sở dữ liệu", "bad date in the database"));
			store_reset(h);
			return -1;
		}
		(void)sched_add_task(s, store_col_int(h, 0), code,
		    store_col_text(h, 2),
		    (int32_t)sched_unit_index(s, store_col_int(h, 3)),
		    store_col_double(h, 4), start, due, store_col_text(h, 7),
		    store_col_text(h, 8), (int)store_col_int(h, 9));
	}
	store_reset(h);
	return rc == STORE_DONE ? 0 : db_fail(st, e);
}

static int
load_links(struct store *st, struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT task_id, depends_on, lag_days "
	    "FROM task_links";
	struct store_stmt *h = store_prepare(st, q);
	uint32_t *t = NULL, *d = NULL;
	int32_t *lag = NULL;
	size_t n = 0, ct = 0, cd = 0, cl = 0;
	int rc;

	if (h == NULL)
		return db_fail(st, e);
	while ((rc = store_step(h)) == STORE_ROW) {
		long a = sched_task_index(s, store_col_int(h, 0));
		long b = sched_task_index(s, store_col_int(h, 1));

		if (a < 0 || b < 0)
			continue;	/* cannot happen with foreign keys */
		grow(&t, &ct, n + 1, sizeof *t);
		grow(&d, &cd, n + 1, sizeof *d);
		grow(&lag, &cl, n + 1, sizeof *lag);
		t[n] = (uint32_t)a;
		d[n] = (uint32_t)b;
		lag[n++] = (int32_t)store_col_int(h, 2);
	}
	store_reset(h);
	if (rc == STORE_DONE)
		sched_set_links(s, n, t, d, lag);
	free(t);
	free(d);
	free(lag);
	return rc == STORE_DONE ? 0 : db_fail(st, e);
}

static int
load_progress(struct store *st, struct sched_snap *s, struct err *e)
{
	static const char q[] = "SELECT task_id, day, quantity FROM progress "
	    "WHERE day <= $1 ORDER BY task_id, day";
	struct store_stmt *h = store_prepare(st, q);
	int64_t last = INT64_MIN;
	long i = -1;
	int rc;

	if (h == NULL)
		return db_fail(st, e);
	store_bind_int(h, 1, s->as_of);
	while ((rc = store_step(h)) == STORE_ROW) {
		int64_t id = store_col_int(h, 0);

		if (id != last) {
			i = sched_task_index(s, id);
			last = id;
		}
		if (i >= 0)
			sched_progress_add(s, (size_t)i,
			    (int32_t)store_col_int(h, 1),
			    store_col_double(h, 2));
	}
	store_reset(h);
	return rc == STORE_DONE ? 0 : db_fail(st, e);
}

int
store_sched_load(struct store *st, struct sched_snap *s, struct err *e)
{
	if (load_units(st, s, e) != 0 || load_tasks(st, s, e) != 0 ||
	    load_links(st, s, e) != 0 || load_progress(st, s, e) != 0)
		return -1;
	return 0;
}
