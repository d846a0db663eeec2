/*
 * testutil.h: helpers shared by the cmocka suites (header-only).
 *
 * test_db_target(backend) gives a fresh, empty database: a new SQLite file
 * under $THIDUA_TEST_TMP, or a new schema in the private PostgreSQL
 * cluster that tests/run.sh starts ($THIDUA_TEST_PG). A suite that runs
 * "on both backends" loops over TEST_BACKENDS. Without $THIDUA_TEST_PG
 * (running one binary by hand) the PostgreSQL half fails loudly rather
 * than being skipped silently.
 */
#ifndef THIDUA_TESTUTIL_H
#define THIDUA_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>

#include "award-ledger.h"
#include "import-kinds.h"
#include "import.h"
#include "store.h"
#include "util.h"

#define TEST_BACKENDS 2

static inline char *
test_db_target(int backend)
{
	static int seq;
	const char *tmp = getenv("THIDUA_TEST_TMP");

	if (backend == 0)
		return xasprintf("%s/u%d-%d.db", tmp ? tmp : "/tmp",
		    (int)getpid(), ++seq);
	{
		const char *pg = getenv("THIDUA_TEST_PG");
		struct store *st;
		struct err e;
		char sql[128];
		char *schema;

		if (pg == NULL || *pg == '\0')
			fail_msg("THIDUA_TEST_PG is not set (run via make test)");
		schema = xasprintf("t%d_%d", (int)getpid(), ++seq);
		if (store_open(pg, &st, &e) != 0)
			fail_msg("cannot open %s: %s", pg, e.msg);
		snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
		assert_int_equal(store_exec(st, sql), 0);
		store_close(st);
		{
			char *t = xasprintf("%s%coptions=-csearch_path%%3D%s",
			    pg, strchr(pg, '?') ? '&' : '?', schema);
			free(schema);
			return t;
		}
	}
}

/* A fresh database on that backend, migrated to the newest schema. */
static inline struct store *
test_open(int backend)
{
	struct store *st;
	struct err e;
	char *t = test_db_target(backend);

	if (store_open(t, &st, &e) != 0)
		fail_msg("open %s: %s", t, e.msg);
	if (store_migrate(st, &e) != 0)
		fail_msg("migrate %s: %s", t, e.msg);
	free(t);
	return st;
}

/* Import CSV rows of kind into st through the importer, or fail the test. */
static inline void
test_seed(struct store *st, const char *kind, const char *csv)
{
	struct import_report rep;
	struct import_opts o;
	struct err e;

	memset(&o, 0, sizeof o);
	memset(&e, 0, sizeof e);
	if (import_csv_buffer(st, kind_find(kind), kind, csv, strlen(csv), &o,
	    &rep, &e) != 0)
		fail_msg("seed %s: %s %s", kind, rep.nerr ? rep.errs[0].msg : "",
		    e.msg);
}

/* Whether a clause text, evidence or missing item of an eligibility
 * result r holds needle. */
static inline int
test_says(json_t *r, const char *needle)
{
	size_t i, j;
	json_t *c, *x;

	json_array_foreach(json_object_get(r, "clauses"), i, c) {
		if (strstr(json_string_value(json_object_get(c, "text")), needle))
			return 1;
		json_array_foreach(json_object_get(c, "evidence"), j, x)
			if (strstr(json_string_value(x), needle))
				return 1;
	}
	json_array_foreach(json_object_get(r, "missing"), i, x)
		if (strstr(json_string_value(x), needle))
			return 1;
	return 0;
}

/* A ledger entry of decision 12/QĐ-Z121 (2025-12-20) for the tests. */
static inline void
test_ledger_entry(struct ledger_entry *l, const char *subject,
    const char *award, int64_t amount)
{
	memset(l, 0, sizeof *l);
	strcpy(l->kind, "award");
	strcpy(l->decision, "12/QĐ-Z121");
	strcpy(l->date, "2025-12-20");
	strcpy(l->signer, "Giám đốc Trần Văn Bình");
	l->year = 2025;
	strcpy(l->subject, subject);
	strcpy(l->award, award);
	l->amount = amount;
}

#endif
