/*
 * gen-org.c: build a ministry-sized organisation for bench-eligibility.sh
 * straight into a SQLite file that `thidua init` created: 50,000 units
 * five levels deep (or UNITS, the levels scaled alike), 1,000,000 people
 * (or PEOPLE), ten years of ratings and awards,
 * 0.3 innovations a person (300,000 at a million) with their authors,
 * some discipline and incidents.
 * Deterministic (a hash of the row number), bulk inserts in one
 * transaction with prepared statements.
 *
 *   cc -O2 -o gen-org gen-org.c -lsqlite3 && ./gen-org FILE YEAR [PEOPLE [UNITS]]
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t seed = 0x2022121;

static uint64_t
rnd(void)
{
	uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int
pct(void)
{
	return (int)(rnd() % 100);
}

static sqlite3 *db;

static sqlite3_stmt *
prep(const char *sql)
{
	sqlite3_stmt *s;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "gen-org: %s: %s\n", sql, sqlite3_errmsg(db));
		exit(1);
	}
	return s;
}

static void
step(sqlite3_stmt *s)
{
	if (sqlite3_step(s) != SQLITE_DONE) {
		fprintf(stderr, "gen-org: %s\n", sqlite3_errmsg(db));
		exit(1);
	}
	sqlite3_reset(s);
}

static void
exec(const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK) {
		fprintf(stderr, "gen-org: %s: %s\n", sql, sqlite3_errmsg(db));
		exit(1);
	}
}

/*
 * The triggers on ratings and awards (migration 0014: elig_log) would log
 * every generated row (16.7M at a million people, 0.4 GB): dropped while
 * generating, then made again from their own text, so the schema is
 * thidua's exactly and the log empty, as after `thidua init`.
 */
#define MAXTRIG 16
static char *trig_sql[MAXTRIG];
static int ntrig;

static void
triggers_drop(void)
{
	sqlite3_stmt *q = prep("SELECT name, sql FROM sqlite_master WHERE type = "
	    "'trigger' AND tbl_name IN ('ratings', 'awards') ORDER BY name");
	char drop[256];

	while (sqlite3_step(q) == SQLITE_ROW && ntrig < MAXTRIG) {
		snprintf(drop, sizeof drop, "DROP TRIGGER \"%s\"",
		    (const char *)sqlite3_column_text(q, 0));
		trig_sql[ntrig++] = strdup((const char *)sqlite3_column_text(q, 1));
		exec(drop);
	}
	sqlite3_finalize(q);
}

static void
triggers_make(void)
{
	for (int i = 0; i < ntrig; i++) {
		exec(trig_sql[i]);
		free(trig_sql[i]);
	}
}

static const char *const ratings[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV" };

static int
rating(void)
{
	int p = pct();

	return p < 15 ? 0 : p < 75 ? 1 : p < 95 ? 2 : 3;
}

int
main(int argc, char **argv)
{
	/* units per level: 1 ministry, 10 enterprises, 200 workshops,
	 * 2,000 departments, the rest teams (50,000 in all); for UNITS, an
	 * enterprise per 5,000, a workshop per 250, a department per 25 */
	int level_n[5] = { 1, 10, 200, 2000, 47789 };
	long nunits = 50000;
	static const char *const level_kind[5] = { "other", "enterprise",
	    "workshop", "department", "team" };
	static const char *const cats[] = { "employee", "defence_worker",
	    "professional_soldier", "officer" };
	int year, nunit = 0, level_first[5];
	long npeople = 1000000;
	char code[40], date[32], date2[32];
	sqlite3_stmt *subj, *unit, *person, *stay, *rat, *awd, *inn, *auth, *disc, *inc;
	int *unit_mil;

	if (argc < 3) {
		fprintf(stderr, "usage: gen-org FILE YEAR [PEOPLE [UNITS]]\n");
		return 2;
	}
	year = atoi(argv[2]);
	if (argc > 3)
		npeople = atol(argv[3]);
	if (argc > 4 && (nunits = atol(argv[4])) != 50000) {
		if (nunits < 5 || nunits > 99999) {
			fprintf(stderr, "gen-org: UNITS must be 5..99999\n");
			return 2;
		}
		level_n[1] = nunits / 5000 > 1 ? (int)(nunits / 5000) : 1;
		level_n[2] = nunits / 250 > 1 ? (int)(nunits / 250) : 1;
		level_n[3] = nunits / 25 > 1 ? (int)(nunits / 25) : 1;
		level_n[4] = (int)nunits - 1 - level_n[1] - level_n[2] - level_n[3];
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-262144;");
	exec("BEGIN");
	triggers_drop();
	subj = prep("INSERT INTO subjects (id, code, kind) VALUES (?1, ?2, ?3)");
	unit = prep("INSERT INTO units (id, name, parent_id, kind, bloc, military) VALUES (?1, ?2, ?3, ?4, NULL, ?5)");
	person = prep("INSERT INTO people (id, name, unit_id, category, joined) VALUES (?1, ?2, ?3, ?4, ?5)");
	stay = prep("INSERT INTO person_units (person_id, unit_id, from_date) VALUES (?1, ?2, ?3)");
	rat = prep("INSERT INTO ratings (year, subject_id, rating) VALUES (?1, ?2, ?3)");
	awd = prep("INSERT INTO awards (year, subject_id, award, decision, decided_on, based_on) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	inn = prep("INSERT INTO innovations (id, code, kind, title, year, level, benefit) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	auth = prep("INSERT OR IGNORE INTO innovation_authors (innovation_id, person_id, pos) VALUES (?1, ?2, ?3)");
	disc = prep("INSERT OR IGNORE INTO discipline (subject_id, form, from_date, to_date) VALUES (?1, ?2, ?3, ?4)");
	inc = prep("INSERT OR IGNORE INTO incidents (unit_id, date, severity, description) VALUES (?1, ?2, ?3, NULL)");
	unit_mil = calloc((size_t)nunits + 1, sizeof *unit_mil);

	/* units: ids 1..UNITS; a unit's parent is a random unit one level up */
	for (int l = 0; l < 5; l++) {
		level_first[l] = nunit + 1;
		for (int i = 0; i < level_n[l]; i++) {
			int id = ++nunit;
			int parent = l == 0 ? 0 : level_first[l - 1] + (int)(rnd() % level_n[l - 1]);

			unit_mil[id] = l == 1 ? (i % 2) : l == 0 ? 0 : unit_mil[parent];
			snprintf(code, sizeof code, "U%05d", id);
			sqlite3_bind_int(subj, 1, id);
			sqlite3_bind_text(subj, 2, code, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(subj, 3, "unit", -1, SQLITE_STATIC);
			step(subj);
			sqlite3_bind_int(unit, 1, id);
			sqlite3_bind_text(unit, 2, code, -1, SQLITE_TRANSIENT);
			if (parent)
				sqlite3_bind_int(unit, 3, parent);
			else
				sqlite3_bind_null(unit, 3);
			sqlite3_bind_text(unit, 4, level_kind[l], -1, SQLITE_STATIC);
			sqlite3_bind_int(unit, 5, unit_mil[id]);
			step(unit);
			for (int y = year - 9; y <= year; y++) {
				int r = rating();

				sqlite3_bind_int(rat, 1, y);
				sqlite3_bind_int(rat, 2, id);
				sqlite3_bind_text(rat, 3, ratings[r], -1, SQLITE_STATIC);
				step(rat);
				if (r <= 1) {
					sqlite3_bind_int(awd, 1, y);
					sqlite3_bind_int(awd, 2, id);
					sqlite3_bind_text(awd, 3, unit_mil[id] ? "DVTT" : "TTLDTT", -1, SQLITE_STATIC);
					sqlite3_bind_text(awd, 4, "QĐ-TĐ", -1, SQLITE_STATIC);
					snprintf(date, sizeof date, "%04d-12-20", y);
					sqlite3_bind_text(awd, 5, date, -1, SQLITE_TRANSIENT);
					sqlite3_bind_null(awd, 6);
					step(awd);
				}
			}
		}
	}
	/* people: ids 100,001..; each in a team */
	for (long i = 0; i < npeople; i++) {
		long id = 100001 + i;
		int u = level_first[4] + (int)(rnd() % level_n[4]);
		int jy = year - 40 + (int)(rnd() % 41), jm = 1 + (int)(rnd() % 12);
		const char *cat = unit_mil[u] ? cats[1 + rnd() % 3] : cats[rnd() % 2];
		int mil = strcmp(cat, "employee") != 0, prev = -1;

		snprintf(code, sizeof code, "P%07ld", i);
		snprintf(date, sizeof date, "%04d-%02d-%02d", jy, jm, 1 + (int)(rnd() % 28));
		sqlite3_bind_int64(subj, 1, id);
		sqlite3_bind_text(subj, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(subj, 3, "person", -1, SQLITE_STATIC);
		step(subj);
		sqlite3_bind_int64(person, 1, id);
		sqlite3_bind_text(person, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(person, 3, u);
		sqlite3_bind_text(person, 4, cat, -1, SQLITE_STATIC);
		sqlite3_bind_text(person, 5, date, -1, SQLITE_TRANSIENT);
		step(person);
		sqlite3_bind_int64(stay, 1, id);
		sqlite3_bind_int(stay, 2, u);
		sqlite3_bind_text(stay, 3, date, -1, SQLITE_TRANSIENT);
		step(stay);
		for (int y = year - 9 < jy ? jy : year - 9; y <= year; y++) {
			int r = rating();

			sqlite3_bind_int(rat, 1, y);
			sqlite3_bind_int64(rat, 2, id);
			sqlite3_bind_text(rat, 3, ratings[r], -1, SQLITE_STATIC);
			step(rat);
			if (y == year)
				continue;	/* this year's awards are what we compute */
			for (int k = 0; k < 2; k++) {
				const char *a = k == 0 ? (r <= 1 ? (mil ? "CSTT" : "LDTT") : NULL) :
				    (r == 0 && prev <= 1 ? "CSTDCS" : NULL);

				if (a == NULL)
					continue;
				sqlite3_bind_int(awd, 1, y);
				sqlite3_bind_int64(awd, 2, id);
				sqlite3_bind_text(awd, 3, a, -1, SQLITE_STATIC);
				sqlite3_bind_text(awd, 4, "QĐ", -1, SQLITE_STATIC);
				snprintf(date2, sizeof date2, "%04d-12-20", y);
				sqlite3_bind_text(awd, 5, date2, -1, SQLITE_TRANSIENT);
				sqlite3_bind_null(awd, 6);
				step(awd);
			}
			if (r == 0 && pct() < 10) {
				sqlite3_bind_int(awd, 1, y);
				sqlite3_bind_int64(awd, 2, id);
				sqlite3_bind_text(awd, 3, "BKBQP", -1, SQLITE_STATIC);
				sqlite3_bind_text(awd, 4, "QĐ", -1, SQLITE_STATIC);
				sqlite3_bind_text(awd, 5, date2, -1, SQLITE_TRANSIENT);
				sqlite3_bind_null(awd, 6);
				step(awd);
			}
			prev = r;
		}
		if (pct() == 0) {
			int y = year - (int)(rnd() % 3);
			const char *form = rnd() % 10 == 0 ? "pending" : "reprimand";

			snprintf(date2, sizeof date2, "%04d-%02d-01", y, 1 + (int)(rnd() % 12));
			sqlite3_bind_int64(disc, 1, id);
			sqlite3_bind_text(disc, 2, form, -1, SQLITE_STATIC);
			sqlite3_bind_text(disc, 3, date2, -1, SQLITE_TRANSIENT);
			snprintf(date, sizeof date, "%04d-%02d-01", y + 1, 1 + (int)(rnd() % 12));
			if (rnd() % 2)
				sqlite3_bind_text(disc, 4, date, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(disc, 4);
			step(disc);
		}
	}
	/* innovations: 0.3 a person over ten years (300,000 at a million:
	 * a fixed 300,000 gave ten thousand people 60 each), 1 to 3 authors */
	for (int i = 1; i <= npeople * 3 / 10; i++) {
		int p = pct(), na = 1 + (int)(rnd() % 3);
		static const char *const kinds[] = { "initiative", "research", "mechanisation" };

		snprintf(code, sizeof code, "SK%06d", i);
		sqlite3_bind_int(inn, 1, i);
		sqlite3_bind_text(inn, 2, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(inn, 3, kinds[rnd() % 3], -1, SQLITE_STATIC);
		sqlite3_bind_text(inn, 4, code, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(inn, 5, year - (int)(rnd() % 10));
		sqlite3_bind_text(inn, 6, p < 85 ? "base" : p < 97 ? "ministry" : "national", -1, SQLITE_STATIC);
		sqlite3_bind_int64(inn, 7, (int64_t)(rnd() % 500) * 1000000);
		step(inn);
		for (int k = 0; k < na; k++) {
			sqlite3_bind_int(auth, 1, i);
			sqlite3_bind_int64(auth, 2, 100001 + (int64_t)(rnd() % npeople));
			sqlite3_bind_int(auth, 3, k + 1);
			step(auth);
		}
	}
	for (int i = 0; i < 2000; i++) {
		snprintf(date, sizeof date, "%04d-%02d-%02d", year - (int)(rnd() % 3),
		    1 + (int)(rnd() % 12), 1 + (int)(rnd() % 28));
		sqlite3_bind_int(inc, 1, level_first[4] + (int)(rnd() % level_n[4]));
		sqlite3_bind_text(inc, 2, date, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(inc, 3, pct() < 20 ? "serious" : "minor", -1, SQLITE_STATIC);
		step(inc);
	}
	triggers_make();
	exec("COMMIT");
	exec("PRAGMA journal_mode=WAL; ANALYZE;");
	sqlite3_finalize(subj); sqlite3_finalize(unit); sqlite3_finalize(person);
	sqlite3_finalize(stay); sqlite3_finalize(rat); sqlite3_finalize(awd);
	sqlite3_finalize(inn); sqlite3_finalize(auth); sqlite3_finalize(disc);
	sqlite3_finalize(inc);
	free(unit_mil);
	sqlite3_close(db);
	return 0;
}
