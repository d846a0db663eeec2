/*
 * gen-tasks.c: fills a migrated thidua SQLite database with a layered
 * task graph for bench/bench-schedule.sh.
 *
 *   gen-tasks DB NTASKS NLINKS DAYS AS_OF_DAY
 *
 * 200 units (an enterprise, 20 workshops, 179 teams); NTASKS tasks in
 * layers of 10,000, each task of layer k > 0 depending on 3 tasks of
 * layer k - 1 (the first ones on a 4th, until NLINKS links); tasks last
 * about DAYS days; daily progress rows up to AS_OF_DAY, written in key
 * order (task, day). One task in ten runs slow, one in a thousand stalls.
 * The store's maintained aggregate is kept as the progress import keeps
 * it (store_write_progress): a progress_totals row per task with rows
 * (sum, first and last day, count, no inexact row, the day the running
 * total reached the task's quantity), and the progress_by_day index,
 * dropped while the rows go in and built again after, as an import of
 * the whole history would leave them.
 * Deterministic (a hash of the row number). Build: cc -O2 gen-tasks.c
 * -lsqlite3.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LAYER 10000

static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static void
die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "gen-tasks: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static void
exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(db, sql);
}

static sqlite3_stmt *
prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(db, sql);
	return s;
}

static void
step(sqlite3 *db, sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE)
		die(db, "insert");
	sqlite3_reset(s);
}

/* Day number to YYYY-MM-DD (civil from days). */
static void
fmt_day(int64_t z, char out[11])
{
	int64_t era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(out, 11, "%04d-%02d-%02d", (int)(y + (m <= 2)), (int)m, (int)d);
}

int
main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *su, *sun, *st, *sl, *sp, *sg;
	long n, nl, per, as_of, i, base, links = 0, rows = 0;
	char code[32], name[64], d1[11], d2[11];

	if (argc != 6) {
		fprintf(stderr, "usage: gen-tasks DB NTASKS NLINKS DAYS AS_OF\n");
		return 2;
	}
	n = atol(argv[2]);
	nl = atol(argv[3]);
	per = atol(argv[4]);
	as_of = atol(argv[5]);
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die(db, "open");
	exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; "
	    "PRAGMA cache_size=-524288; BEGIN");

	su = prep(db, "INSERT INTO subjects (id, code, kind) VALUES (?1, ?2, 'unit')");
	sun = prep(db, "INSERT INTO units (id, name, parent_id, kind) VALUES (?1, ?2, ?3, ?4)");
	for (i = 1; i <= 200; i++) {
		snprintf(code, sizeof code, "U%03ld", i);
		snprintf(name, sizeof name, "Unit %ld", i);
		sqlite3_bind_int64(su, 1, i);
		sqlite3_bind_text(su, 2, code, -1, SQLITE_TRANSIENT);
		step(db, su);
		sqlite3_bind_int64(sun, 1, i);
		sqlite3_bind_text(sun, 2, name, -1, SQLITE_TRANSIENT);
		if (i == 1)
			sqlite3_bind_null(sun, 3);
		else
			sqlite3_bind_int64(sun, 3, i <= 21 ? 1 : 2 + (i % 20));
		sqlite3_bind_text(sun, 4, i == 1 ? "enterprise" : i <= 21 ?
		    "workshop" : "team", -1, SQLITE_STATIC);
		step(db, sun);
	}

	/* Layer k runs in days [base + 56k, base + 56k + dur), dur about
	 * 48 days, so a link's lag (0 or 1) fits the plan; as_of falls 25
	 * days into layer 60: earlier layers are finished (slow tasks late),
	 * layer 60 is under way, later ones wait. */
	st = prep(db, "INSERT INTO tasks (id, code, name, unit_id, quantity, "
	    "start, due, product, customer, hard) VALUES (?1, ?2, ?3, ?4, ?5, "
	    "?6, ?7, ?8, ?9, ?10)");
	sl = prep(db, "INSERT INTO task_links (task_id, depends_on, lag_days) "
	    "VALUES (?1, ?2, ?3)");
	sp = prep(db, "INSERT INTO progress (task_id, day, quantity) "
	    "VALUES (?1, ?2, ?3)");
	sg = prep(db, "INSERT INTO progress_totals (task_id, total, first_day, "
	    "last_day, rows, inexact, finish_day, finish_qty) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7)");
	exec(db, "DROP INDEX progress_by_day");
	base = as_of - 60 * 56 - 25;
	for (i = 0; i < n; i++) {
		uint64_t h = mix((uint64_t)i);
		long layer = i / LAYER, id = i + 1, start, due, dur, qty, k;
		long rate = 5 + (long)((h >> 16) % 46), day, left, nrow = 0;
		int slow = h % 10 == 0, stalled = h % 1000 == 7;

		start = base + layer * 56;
		dur = per - 5 + (long)((h >> 8) % 11);
		due = start + dur - 1;
		qty = rate * dur;
		snprintf(code, sizeof code, "T%07ld", id);
		snprintf(name, sizeof name, "Production order %ld", id);
		fmt_day(start, d1);
		fmt_day(due, d2);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, 1 + (long)((h >> 24) % 200));
		sqlite3_bind_double(st, 5, (double)qty);
		sqlite3_bind_text(st, 6, d1, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 7, d2, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, "P-17", -1, SQLITE_STATIC);
		if (h % 5 == 0)
			sqlite3_bind_text(st, 9, "Z195", -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 9);
		sqlite3_bind_int(st, 10, h % 8 == 0);
		step(db, st);

		/* Links, in key order (task, depends_on): distinct tasks of
		 * the layer before. */
		if (layer > 0) {
			long want = links + 4 + (n - i - 1) * 3 <= nl ? 4 : 3;
			long lo = (layer - 1) * LAYER, off = (long)(h % LAYER);
			long step_ = 1 + (long)((h >> 32) % 97);
			long deps[4];

			for (k = 0; k < want && links < nl; k++)
				deps[k] = lo + (off + k * step_ * 101) % LAYER + 1;
			for (long a = 1; a < k; a++)
				for (long b = a; b > 0 && deps[b - 1] > deps[b]; b--) {
					long t = deps[b];
					deps[b] = deps[b - 1];
					deps[b - 1] = t;
				}
			for (long a = 0; a < k; a++) {
				sqlite3_bind_int64(sl, 1, id);
				sqlite3_bind_int64(sl, 2, deps[a]);
				sqlite3_bind_int(sl, 3, (int)((h >> (40 + a)) % 2));
				step(db, sl);
				links++;
			}
		}

		/* Progress: a row a day from the start until the quantity is
		 * done or as_of; slow tasks at 70% of the planned rate; a
		 * stalled task stops 20 days before as_of. */
		if (slow)
			rate = rate * 7 / 10;
		for (day = start, left = qty; left > 0 && day <= as_of; day++) {
			long q = rate < left ? rate : left;

			if (stalled && day > as_of - 20)
				break;
			sqlite3_bind_int64(sp, 1, id);
			sqlite3_bind_int64(sp, 2, day);
			sqlite3_bind_double(sp, 3, (double)q);
			step(db, sp);
			left -= q;
			rows++;
			nrow++;
		}
		if (nrow > 0) {
			sqlite3_bind_int64(sg, 1, id);
			sqlite3_bind_double(sg, 2, (double)(qty - left));
			sqlite3_bind_int64(sg, 3, start);
			sqlite3_bind_int64(sg, 4, start + nrow - 1);
			sqlite3_bind_int64(sg, 5, nrow);
			if (left == 0)
				sqlite3_bind_int64(sg, 6, start + nrow - 1);
			else
				sqlite3_bind_null(sg, 6);
			sqlite3_bind_double(sg, 7, (double)qty);
			step(db, sg);
		}
	}
	exec(db, "CREATE INDEX progress_by_day ON progress (day, task_id, "
	    "quantity)");
	exec(db, "COMMIT");
	sqlite3_finalize(sg);
	sqlite3_finalize(su);
	sqlite3_finalize(sun);
	sqlite3_finalize(st);
	sqlite3_finalize(sl);
	sqlite3_finalize(sp);
	sqlite3_close(db);
	printf("tasks=%ld links=%ld progress=%ld\n", n, links, rows);
	return 0;
}
