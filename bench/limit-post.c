/*
 * limit-post.c: the machine's limit for bench-http.sh's durable POSTs
 * (issue 22, point 4). What one POST /api/v1/records does to the
 * database, with nothing else around it: no HTTP, no JSON parsing, no
 * threads, no queue. On a copy of the same `thidua init`ed, imported file,
 * the same rows as bench-http.sh's post.lua (subject P00001..P02000,
 * metric "output", a day of 2025), the same statements as the writer
 * thread (src/store-unit.c store_record_put, src/store-audit.c): look the
 * subject and metric up, read the value before, upsert the record, insert
 * its audit row; and per batch, as the writer does, BEGIN IMMEDIATE, the
 * "records" generation replaced, COMMIT, under WAL with
 * synchronous=FULL. A batch holds BATCH rows: what a perfect group
 * commit makes of BATCH clients that each wait for their commit (wrk's
 * 64 connections). Runs SECS seconds; prints "ROWS/s COMMITS/s".
 *
 *   cc -O2 -o limit-post limit-post.c -lsqlite3 && ./limit-post FILE [SECS BATCH]
 */
#define _DEFAULT_SOURCE	/* timegm */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static sqlite3 *db;

static void
die(const char *what)
{
	fprintf(stderr, "limit-post: %s: %s\n", what, sqlite3_errmsg(db));
	exit(1);
}

static sqlite3_stmt *
prep(const char *sql)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		die(sql);
	return s;
}

static void
exec(const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql);
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A day as the store keeps it: days since 1970-01-01 (src/util.c). */
static int
epoch_day(int y, int m, int d)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };

	return (int)(timegm(&tm) / 86400);
}

/* One integer from a lookup by text, -1 when none. */
static long long
id_of(sqlite3_stmt *s, const char *code)
{
	long long id = -1;

	sqlite3_bind_text(s, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(s) == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return id;
}

int
main(int argc, char **argv)
{
	double secs = argc > 2 ? atof(argv[2]) : 10, t0, t;
	int batch = argc > 3 ? atoi(argv[3]) : 64;
	long long rows = 0, commits = 0, n = 0;
	sqlite3_stmt *subj, *metric, *get, *put, *aud, *gen;
	char code[16], date[16], after[160], before[64];

	if (argc < 2 || batch < 1) {
		fprintf(stderr, "usage: limit-post FILE [SECS BATCH]\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die(argv[1]);
	/* the server's own settings (src/store-sqlite.c) */
	exec("PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
	    "PRAGMA synchronous=FULL; PRAGMA cache_size=-65536");
	exec("INSERT INTO metrics (code) VALUES ('output') "
	    "ON CONFLICT (code) DO NOTHING");
	subj = prep("SELECT id FROM subjects WHERE code = ?1");
	metric = prep("SELECT id FROM metrics WHERE code = ?1");
	get = prep("SELECT value FROM records WHERE subject_id = ?1 AND "
	    "metric_id = ?2 AND day = ?3");
	put = prep("INSERT INTO records (subject_id, metric_id, day, value) "
	    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (subject_id, metric_id, day) "
	    "DO UPDATE SET value = excluded.value");
	aud = prep("INSERT INTO audit (at, actor, address, action, kind, "
	    "subject, before, after) VALUES (?1, 'bench', '127.0.0.1', "
	    "'import', 'records', ?2, ?3, ?4)");
	gen = prep("UPDATE generations SET n = random() WHERE name = 'records'");
	srand(22);
	t0 = now();
	do {
		exec("BEGIN IMMEDIATE");
		for (int i = 0; i < batch; i++) {
			int month, day;
			long long sid, mid;
			int had;
			double v;

			n++;
			snprintf(code, sizeof code, "P%05d", 1 + rand() % 2000);
			day = 1 + (int)(n % 28);
			month = 1 + (int)(n / 28 % 12);
			snprintf(date, sizeof date, "2025-%02d-%02d", month, day);
			if ((sid = id_of(subj, code)) < 0 ||
			    (mid = id_of(metric, "output")) < 0)
				die("no such subject or metric");
			sqlite3_bind_int64(get, 1, sid);
			sqlite3_bind_int64(get, 2, mid);
			sqlite3_bind_int(get, 3, epoch_day(2025, month, day));
			had = sqlite3_step(get) == SQLITE_ROW;
			v = had ? sqlite3_column_double(get, 0) : 0;
			sqlite3_reset(get);
			sqlite3_bind_int64(put, 1, sid);
			sqlite3_bind_int64(put, 2, mid);
			sqlite3_bind_int(put, 3, epoch_day(2025, month, day));
			sqlite3_bind_double(put, 4, (double)n);
			if (sqlite3_step(put) != SQLITE_DONE)
				die("record");
			sqlite3_reset(put);
			snprintf(before, sizeof before, "{\"value\":\"%.15g\"}", v);
			snprintf(after, sizeof after, "{\"subject\":\"%s\","
			    "\"metric\":\"output\",\"date\":\"%s\",\"value\":\"%lld\"}",
			    code, date, n);
			sqlite3_bind_int64(aud, 1, (long long)time(NULL));
			sqlite3_bind_text(aud, 2, code, -1, SQLITE_STATIC);
			if (had)
				sqlite3_bind_text(aud, 3, before, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(aud, 3);
			sqlite3_bind_text(aud, 4, after, -1, SQLITE_STATIC);
			if (sqlite3_step(aud) != SQLITE_DONE)
				die("audit");
			sqlite3_reset(aud);
		}
		if (sqlite3_step(gen) != SQLITE_DONE)
			die("generation");
		sqlite3_reset(gen);
		exec("COMMIT");
		rows += batch;
		commits++;
		t = now() - t0;
	} while (t < secs);
	printf("%.0f %.0f\n", (double)rows / t, (double)commits / t);
	sqlite3_finalize(subj);
	sqlite3_finalize(metric);
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	sqlite3_finalize(aud);
	sqlite3_finalize(gen);
	sqlite3_close(db);
	return 0;
}
