/*
 * gen-records.c: builds the data of bench/bench-evaluate.sh straight into
 * a SQLite file that `thidua init` created, rows sorted by primary key so
 * the load is an append.
 *
 *   gen-records DB base UNITS PEOPLE PER_METRIC
 *       subjects, a unit tree (root Z, 50 workshops in 10 blocs, teams),
 *       people with Vietnamese names, metrics m0..m9 and, for every
 *       person and metric, PER_METRIC records (one dated before 2025,
 *       the others inside it): PEOPLE * 10 * PER_METRIC records.
 *   gen-records DB targets MOVEMENT_ID
 *       a target for every person and criterion c0..c9.
 *   gen-records DB odoo N FROM TO
 *       prints the Odoo-gamification-style workload on stdout: one
 *       aggregate query per subject and criterion for N people.
 *   gen-records DB odoo-pg N FROM TO
 *       the same workload as Odoo's gamification.goal.update_goal() runs
 *       it (addons/gamification/models/gamification_goal.py, non-batch
 *       mode), as a psql script for PostgreSQL: per goal (person x
 *       criterion) one aggregate query whose value the client reads
 *       (\gset), then one write of the goal's current value and state when
 *       it changed; one transaction. The aggregate is the criterion's own
 *       (sum, avg, max, count, last), which Odoo would need Python for.
 *
 * Data are deterministic (a 64-bit hash of the row number).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NMETRIC 10
#define NWORKSHOP 50

static const char *const family[] = { "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
    "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý" };
static const char *const middle[] = { "Văn", "Thị", "Hữu", "Đức", "Minh",
    "Ngọc", "Thanh", "Quang" };
static const char *const given[] = { "An", "Bình", "Cường", "Dũng", "Giang",
    "Hà", "Hải", "Hạnh", "Hùng", "Hương", "Khánh", "Lan", "Linh", "Long",
    "Mai", "Nam", "Nga", "Phong", "Phúc", "Quân", "Sơn", "Tâm", "Thảo",
    "Trang", "Tuấn", "Việt", "Yến", "Ánh", "Đạt", "Ơn" };
#define N(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t
h64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static sqlite3 *db;

static void
ok(int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "gen-records: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static sqlite3_stmt *
prep(const char *sql)
{
	sqlite3_stmt *s;

	ok(sqlite3_prepare_v2(db, sql, -1, &s, NULL), sql);
	return s;
}

static void
step(sqlite3_stmt *s)
{
	ok(sqlite3_step(s), "step");
	sqlite3_reset(s);
}

/* 2025-01-01 as a day number. */
#define Y2025 20089

static void
base(long units, long people, int per)
{
	sqlite3_stmt *subj = prep("INSERT INTO subjects (id, code, kind) VALUES (?1, ?2, ?3)");
	sqlite3_stmt *unit = prep("INSERT INTO units (id, name, parent_id, kind, bloc, "
	    "military) VALUES (?1, ?2, ?3, ?4, ?5, 1)");
	sqlite3_stmt *pers = prep("INSERT INTO people (id, name, unit_id, category, "
	    "joined) VALUES (?1, ?2, ?3, 'defence_worker', '2015-01-01')");
	sqlite3_stmt *met = prep("INSERT INTO metrics (id, code) VALUES (?1, ?2)");
	sqlite3_stmt *rec = prep("INSERT INTO records (subject_id, metric_id, day, "
	    "value) VALUES (?1, ?2, ?3, ?4)");
	char code[32], name[128], bloc[16];

	for (long u = 1; u <= units; u++) {
		long parent = u == 1 ? 0 : u <= 1 + NWORKSHOP ? 1 :
		    2 + (u % NWORKSHOP);
		long ws = u == 1 ? 0 : u <= 1 + NWORKSHOP ? u : parent;

		snprintf(code, sizeof code, u == 1 ? "Z" : "U%06ld", u);
		sqlite3_bind_int64(subj, 1, u);
		sqlite3_bind_text(subj, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(subj, 3, "unit", -1, SQLITE_STATIC);
		step(subj);
		snprintf(name, sizeof name, "Đơn vị %ld", u);
		snprintf(bloc, sizeof bloc, "K%ld", ws % 10);
		sqlite3_bind_int64(unit, 1, u);
		sqlite3_bind_text(unit, 2, name, -1, SQLITE_TRANSIENT);
		if (parent)
			sqlite3_bind_int64(unit, 3, parent);
		else
			sqlite3_bind_null(unit, 3);
		sqlite3_bind_text(unit, 4, u == 1 ? "enterprise" : parent == 1 ?
		    "workshop" : "team", -1, SQLITE_STATIC);
		if (u == 1)
			sqlite3_bind_null(unit, 5);
		else
			sqlite3_bind_text(unit, 5, bloc, -1, SQLITE_TRANSIENT);
		step(unit);
	}
	for (int m = 0; m < NMETRIC; m++) {
		snprintf(code, sizeof code, "m%d", m);
		sqlite3_bind_int(met, 1, m + 1);
		sqlite3_bind_text(met, 2, code, -1, SQLITE_TRANSIENT);
		step(met);
	}
	for (long p = 0; p < people; p++) {
		long id = units + 1 + p;
		uint64_t h = h64((uint64_t)id);

		snprintf(code, sizeof code, "P%07ld", p + 1);
		sqlite3_bind_int64(subj, 1, id);
		sqlite3_bind_text(subj, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(subj, 3, "person", -1, SQLITE_STATIC);
		step(subj);
		snprintf(name, sizeof name, "%s %s %s", family[h % N(family)],
		    middle[(h >> 8) % N(middle)], given[(h >> 16) % N(given)]);
		sqlite3_bind_int64(pers, 1, id);
		sqlite3_bind_text(pers, 2, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(pers, 3, 2 + (long)((h >> 24) % (uint64_t)(units - 1)));
		step(pers);
		for (int m = 0; m < NMETRIC; m++)
			for (int r = 0; r < per; r++) {
				uint64_t x = h64(((uint64_t)id << 8 | (uint64_t)m) * 64 +
				    (uint64_t)r);
				/* r = 0: 2024-12; then one per slot of the year */
				int day = r == 0 ? Y2025 - 20 + (int)(x % 10) :
				    Y2025 + (r - 1) * (365 / (per - 1)) +
				    (int)(x % (uint64_t)(365 / (per - 1)));

				sqlite3_bind_int64(rec, 1, id);
				sqlite3_bind_int(rec, 2, m + 1);
				sqlite3_bind_int(rec, 3, day);
				sqlite3_bind_double(rec, 4, (double)(x % 1000) / 10.0);
				step(rec);
			}
	}
	sqlite3_finalize(subj);
	sqlite3_finalize(unit);
	sqlite3_finalize(pers);
	sqlite3_finalize(met);
	sqlite3_finalize(rec);
}

static void
targets(long mv)
{
	sqlite3_stmt *q = prep("SELECT id FROM people ORDER BY id");
	sqlite3_stmt *t = prep("INSERT INTO targets (movement_id, subject_id, "
	    "criterion, target) VALUES (?1, ?2, ?3, ?4)");
	char crit[8];

	while (sqlite3_step(q) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(q, 0);

		for (int c = 0; c < NMETRIC; c++) {
			snprintf(crit, sizeof crit, "c%d", c);
			sqlite3_bind_int64(t, 1, mv);
			sqlite3_bind_int64(t, 2, id);
			sqlite3_bind_text(t, 3, crit, -1, SQLITE_TRANSIENT);
			sqlite3_bind_double(t, 4, 100 + (double)(h64((uint64_t)id * 16 +
			    (uint64_t)c) % 150));
			step(t);
		}
	}
	sqlite3_finalize(q);
	sqlite3_finalize(t);
}

static void
odoo(long n, long from, long to)
{
	sqlite3_stmt *q = prep("SELECT id FROM people ORDER BY id LIMIT ?1");

	sqlite3_bind_int64(q, 1, n);
	while (sqlite3_step(q) == SQLITE_ROW)
		for (int m = 1; m <= NMETRIC; m++)
			printf("SELECT COALESCE(SUM(value), 0) FROM records WHERE "
			    "subject_id = %lld AND metric_id = %d AND day >= %ld "
			    "AND day <= %ld;\n", (long long)sqlite3_column_int64(q, 0),
			    m, from, to);
	sqlite3_finalize(q);
}

/* The movement's criteria c0..c9 (bench-evaluate.sh), as SQL aggregates. */
static const char *const odoo_agg[NMETRIC] = {
	"COALESCE(SUM(value), 0)", "COALESCE(SUM(value), 0)",
	"COALESCE(SUM(value), 0)", "COALESCE(SUM(value), 0)",
	"COALESCE(AVG(value), 0)", "COALESCE(MAX(value), 0)",
	"COALESCE(SUM(value), 0)", NULL /* last */, "COUNT(*)",
	"COALESCE(MAX(value), 0)"
};

static void
odoo_pg(long n, long from, long to)
{
	sqlite3_stmt *q = prep("SELECT id FROM people ORDER BY id LIMIT ?1");

	sqlite3_bind_int64(q, 1, n);
	printf("\\set ON_ERROR_STOP 1\nBEGIN;\n");
	while (sqlite3_step(q) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(q, 0);

		for (int m = 0; m < NMETRIC; m++) {
			if (odoo_agg[m] != NULL)
				printf("SELECT %s AS v FROM records WHERE "
				    "subject_id = %lld AND metric_id = %d AND "
				    "day >= %ld AND day <= %ld \\gset\n",
				    odoo_agg[m], id, m + 1, from, to);
			else
				printf("SELECT COALESCE((SELECT value FROM records "
				    "WHERE subject_id = %lld AND metric_id = %d AND "
				    "day >= %ld AND day <= %ld ORDER BY day DESC "
				    "LIMIT 1), 0) AS v \\gset\n", id, m + 1, from, to);
			printf("UPDATE gamification_goal SET current = :v, state = "
			    "CASE WHEN :v >= target_goal THEN 'reached' ELSE "
			    "'inprogress' END, last_update = current_date WHERE "
			    "user_id = %lld AND definition_id = %d AND current <> :v;\n",
			    id, m);
		}
	}
	printf("COMMIT;\n");
	sqlite3_finalize(q);
}

int
main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: gen-records DB base|targets|odoo|odoo-pg ...\n");
		return 2;
	}
	ok(sqlite3_open(argv[1], &db), argv[1]);
	if (strcmp(argv[2], "odoo") == 0 && argc == 6) {
		odoo(atol(argv[3]), atol(argv[4]), atol(argv[5]));
		sqlite3_close(db);
		return 0;
	}
	if (strcmp(argv[2], "odoo-pg") == 0 && argc == 6) {
		odoo_pg(atol(argv[3]), atol(argv[4]), atol(argv[5]));
		sqlite3_close(db);
		return 0;
	}
	/* no records_log or targets_log row per generated row (migrations
	 * 0015, 0025): the logs are emptied below instead, so that any copy
	 * made before is made again whole */
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, (int *)NULL);
	ok(sqlite3_exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; "
	    "PRAGMA cache_size=-262144; PRAGMA foreign_keys=OFF; BEGIN", NULL,
	    NULL, NULL), "pragmas");
	if (strcmp(argv[2], "base") == 0 && argc == 6)
		base(atol(argv[3]), atol(argv[4]), atoi(argv[5]));
	else if (strcmp(argv[2], "targets") == 0 && argc == 4)
		targets(atol(argv[3]));
	else {
		fprintf(stderr, "gen-records: bad arguments\n");
		return 2;
	}
	if (sqlite3_exec(db, "DELETE FROM records_log; "
	    "INSERT INTO records_log (subject_id) VALUES (0)", NULL, NULL,
	    NULL) != SQLITE_OK)
		;	/* (a database before migration 0015) */
	if (sqlite3_exec(db, "DELETE FROM targets_log; "
	    "INSERT INTO targets_log (movement_id, subject_id) VALUES (0, 0)",
	    NULL, NULL, NULL) != SQLITE_OK)
		;	/* (a database before migration 0025) */
	ok(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), "commit");
	sqlite3_close(db);
	return 0;
}
