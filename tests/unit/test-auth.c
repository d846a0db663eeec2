/*
 * test-auth.c: accounts, passwords, sessions, tokens, throttling, unit
 * scope and the audit trail on both backends, and the declarative field
 * specs of the HTTP edge (http-valid.c).
 */
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "auth.h"
#include "codemap.h"
#include "import.h"
#include "testutil.h"
#include "http-valid.h"

static const char UNITS[] =
    "code,name,parent,kind\nZ,Z121,,enterprise\nA1,A1,Z,workshop\n"
    "A1T,A1T,A1,team\nA2,A2,Z,workshop\n";
static const char PEOPLE[] =
    "code,name,unit,category,joined\nP1,An,A1T,employee,2015-01-01\n"
    "P2,Binh,A2,employee,2015-01-01\n";

static int
add(struct store *st, void *arg, struct err *e)
{
	const char **a = arg;

	return auth_user_add(st, a[0], a[1], a[2], a[3], e);
}

static struct store *
seeded(int backend)
{
	struct store *st = test_open(backend);
	struct import_report rep;
	struct import_opts o = { .dry_run = 0 };
	struct err e;
	const char *accounts[][4] = {
		{ "boss", "admin", NULL, "password-boss" },
		{ "clerk", "clerk", "A1", "password-clerk" },
	};

	audit_context("test", "cli");
	assert_int_equal(import_csv_buffer(st, kind_find("units"), "u", UNITS,
	    sizeof UNITS - 1, &o, &rep, &e), 0);
	assert_int_equal(import_csv_buffer(st, kind_find("people"), "p", PEOPLE,
	    sizeof PEOPLE - 1, &o, &rep, &e), 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(auth_txn(st, add, (void *)accounts[i], &e), 0);
	return st;
}

static void
test_accounts_and_passwords(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct user u;
		struct err e;
		const char *dup[] = { "boss", "viewer", "A1", "password-x" };
		const char *nounit[] = { "v", "viewer", NULL, "password-x" };
		const char *badunit[] = { "v", "viewer", "NOPE", "password-x" };
		const char *badrole[] = { "v", "king", NULL, "password-x" };

		assert_int_equal(auth_check_password(st, "clerk", "password-clerk",
		    &u, &e), 1);
		assert_string_equal(u.login, "clerk");
		assert_int_equal(u.role, ROLE_CLERK);
		assert_string_equal(u.unit, "A1");
		assert_int_equal(auth_check_password(st, "clerk", "nope", &u, &e), 0);
		assert_int_equal(auth_check_password(st, "ghost", "x", &u, &e), 0);
		assert_int_equal(auth_txn(st, add, (void *)dup, &e), -1);
		assert_int_equal(e.kind, ERR_CONFLICT);
		assert_int_equal(auth_txn(st, add, (void *)nounit, &e), -1);
		assert_string_equal(e.field, "unit");
		assert_int_equal(auth_txn(st, add, (void *)badunit, &e), -1);
		assert_int_equal(e.kind, ERR_NOTFOUND);
		assert_int_equal(auth_txn(st, add, (void *)badrole, &e), -1);
		assert_string_equal(e.field, "role");
		assert_int_equal(auth_user_disable(st, "clerk", &e), 0);
		assert_int_equal(auth_check_password(st, "clerk", "password-clerk",
		    &u, &e), 0);
		store_close(st);
	}
}

static void
test_sessions(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct user u, v;
		char cookie[AUTH_SECRET_LEN + 1];
		struct err e;
		long idle = auth_conf.idle;

		assert_int_equal(auth_check_password(st, "boss", "password-boss",
		    &u, &e), 1);
		assert_int_equal(auth_login_record(st, 1, "boss", "127.0.0.1", &u,
		    cookie, &e), 0);
		assert_int_equal(strlen(cookie), AUTH_SECRET_LEN);
		assert_int_equal(auth_session(st, cookie, &v, &e), 1);
		assert_string_equal(v.login, "boss");
		assert_int_equal(v.cookie, 1);
		assert_string_equal(v.csrf, u.csrf);
		assert_int_equal(auth_session(st, "forged", &v, &e), 0);
		auth_conf.idle = -1;		/* everything is idle too long */
		assert_int_equal(auth_session(st, cookie, &v, &e), 0);
		auth_conf.idle = idle;
		assert_int_equal(auth_logout(st, u.session, &e), 0);
		assert_int_equal(auth_session(st, cookie, &v, &e), 0);
		/* Housekeeping forgets expired sessions, keeps live ones. */
		assert_int_equal(auth_login_record(st, 1, "boss", "127.0.0.1", &u,
		    cookie, &e), 0);
		assert_int_equal(auth_purge(st, &e), 0);
		assert_int_equal(auth_session(st, cookie, &v, &e), 1);
		auth_conf.idle = -1;
		assert_int_equal(auth_purge(st, &e), 0);
		auth_conf.idle = idle;
		assert_int_equal(auth_session(st, cookie, &v, &e), 0);
		store_close(st);
	}
}

static void
test_tokens(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		char tok[AUTH_SECRET_LEN + 1], tok2[AUTH_SECRET_LEN + 1], id[32];
		int64_t n, n2, until, until2;
		struct user u;
		struct err e;

		assert_int_equal(auth_token_create(st, "clerk", 0, tok, &n, &until,
		    &e), 0);
		assert_int_equal(auth_token_create(st, "clerk", 2, tok2, &n2,
		    &until2, &e), 0);
		/* default 365 days; --days 2 */
		assert_true(until - (int64_t)time(NULL) > 364 * 86400);
		assert_true(until - (int64_t)time(NULL) <= 365 * 86400);
		assert_true(until2 - (int64_t)time(NULL) <= 2 * 86400);
		assert_int_equal(auth_token_create(st, "clerk", -3, tok2, &n2,
		    &until2, &e), -1);
		assert_int_equal(auth_token_create(st, "clerk", 2, tok2, &n2,
		    &until2, &e), 0);
		assert_string_not_equal(tok, tok2);
		assert_int_equal(auth_bearer(st, tok, &u, &e), 1);
		assert_string_equal(u.login, "clerk");
		assert_int_equal(u.cookie, 0);
		assert_int_equal(auth_token_revoke(st, tok, &e), 0);
		assert_int_equal(auth_bearer(st, tok, &u, &e), 0);
		assert_int_equal(auth_token_revoke(st, tok, &e), -1);
		assert_int_equal(e.kind, ERR_NOTFOUND);
		snprintf(id, sizeof id, "%lld", (long long)n2);
		assert_int_equal(auth_token_revoke(st, id, &e), 0);
		assert_int_equal(auth_bearer(st, tok2, &u, &e), 0);
		assert_int_equal(auth_token_create(st, "ghost", 0, tok, &n, &until,
		    &e), -1);
		/* A new password revokes the account's tokens. */
		assert_int_equal(auth_token_create(st, "clerk", 0, tok, &n, &until,
		    &e), 0);
		assert_int_equal(auth_bearer(st, tok, &u, &e), 1);
		assert_int_equal(auth_user_passwd(st, "clerk", "another-password",
		    &e), 0);
		assert_int_equal(auth_bearer(st, tok, &u, &e), 0);
		store_close(st);
	}
}

static void
test_throttling(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		char cookie[AUTH_SECRET_LEN + 1];
		struct user u;
		struct err e;
		long retry = 0;

		/* Five failures of clerk from 10.0.0.1 are free … */
		for (int i = 0; i < 5; i++) {
			assert_int_equal(auth_login_begin(st, "clerk", "10.0.0.1",
			    &retry, &e), 0);
			assert_int_equal(auth_login_record(st, 0, "clerk",
			    "10.0.0.1", &u, cookie, &e), 0);
		}
		/* … the sixth from there waits; the owner elsewhere does not. */
		assert_int_equal(auth_login_begin(st, "clerk", "10.0.0.1", &retry,
		    &e), 1);
		assert_true(retry >= 1 && retry <= auth_conf.delay);
		assert_int_equal(auth_login_begin(st, "clerk", "10.0.0.2", &retry,
		    &e), 0);
		assert_int_equal(auth_check_password(st, "clerk",
		    "password-clerk", &u, &e), 1);
		assert_int_equal(auth_login_record(st, 1, "clerk", "10.0.0.2", &u,
		    cookie, &e), 0);
		assert_int_equal(auth_login_begin(st, "boss", "10.0.0.1", &retry,
		    &e), 0);
		/* Unknown logins: at most max_unknown per address. */
		for (long i = 0; i < auth_conf.max_unknown; i++) {
			char name[32];

			snprintf(name, sizeof name, "ghost%ld", i);
			assert_int_equal(auth_login_begin(st, name, "10.0.0.3",
			    &retry, &e), 0);
		}
		assert_int_equal(auth_login_begin(st, "ghost-x", "10.0.0.3",
		    &retry, &e), 1);
		assert_int_equal(auth_login_begin(st, "ghost-x", "10.0.0.4",
		    &retry, &e), 0);
		assert_int_equal(auth_login_begin(st, "boss", "10.0.0.3", &retry,
		    &e), 0);
		store_close(st);
	}
}

static void
test_scope(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct codemap memo;
		struct user u;
		struct err e;

		codemap_init(&memo);
		assert_int_equal(auth_check_password(st, "clerk", "password-clerk",
		    &u, &e), 1);
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "A1", &memo, &e), 1);
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "A1T", &memo, &e), 1);
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "P1", &memo, &e), 1);
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "P2", &memo, &e), 0);
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "A2", &memo, &e), 0);
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "Z", &memo, &e), 0);
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "NOPE", &memo, &e), 0);
		assert_int_equal(auth_code_in(st, u.unit_id, 't', "T1", &memo, &e), 0);
		/* memoised answers stay the same */
		assert_int_equal(auth_code_in(st, u.unit_id, 'u', "P1", &memo, &e), 1);
		codemap_free(&memo);
		store_close(st);
	}
}

static void
test_audit_trail(void **state)
{
	(void)state;
	for (int b = 0; b < TEST_BACKENDS; b++) {
		struct store *st = seeded(b);
		struct audit_query q = { 0, "clerk", 10, 0 };
		struct sb out;
		struct err e;
		json_t *j;

		sb_init(&out);
		assert_int_equal(audit_json(st, &q, &out, &e), 0);
		j = json_loads(out.s, 0, NULL);
		assert_non_null(j);
		assert_int_equal(json_integer_value(json_object_get(j, "total")), 1);
		assert_string_equal(json_string_value(json_object_get(json_array_get(
		    json_object_get(j, "items"), 0), "actor")), "test");
		json_decref(j);
		sb_reset(&out);
		q.subject = NULL;
		q.limit = 1;
		assert_int_equal(audit_json(st, &q, &out, &e), 0);
		j = json_loads(out.s, 0, NULL);
		/* the 2 accounts (and the imports, once the importer audits) */
		assert_true(json_integer_value(json_object_get(j, "total")) >= 2);
		assert_int_equal(json_integer_value(json_object_get(j, "next_offset")), 1);
		json_decref(j);
		sb_free(&out);
		store_close(st);
	}
}

struct rec {
	const char	*code;
	long long	 year;
	int		 flag;
	double		 x;
};

static const struct field spec[] = {
	{ "code", V_CODE, 1, 0, 0, offsetof(struct rec, code), "" },
	{ "year", V_YEAR, 0, 0, 0, offsetof(struct rec, year), "" },
	{ "flag", V_BOOL, 0, 0, 0, offsetof(struct rec, flag), "" },
	{ "x", V_NUM, 0, 0, 0, offsetof(struct rec, x), "" },
	FIELD_END
};

static int
check(const char *text, struct rec *r, struct err *e)
{
	json_t *j = json_loads(text, 0, NULL);
	int rc;

	assert_non_null(j);
	memset(r, 0, sizeof *r);
	err_clear(e);
	rc = valid_json(spec, j, r, e);
	json_decref(j);
	return rc;
}

static void
test_field_specs(void **state)
{
	struct rec r;
	struct err e;
	unsigned seen = 0;

	(void)state;
	assert_int_equal(check("{\"code\":\"A1\",\"year\":2024,\"flag\":true,"
	    "\"x\":1.5}", &r, &e), 0);
	assert_int_equal(r.year, 2024);
	assert_int_equal(r.flag, 1);
	assert_true(r.x == 1.5);
	assert_int_equal(check("{\"year\":2024}", &r, &e), -1);
	assert_string_equal(e.field, "code");
	assert_int_equal(check("{\"code\":\"A1\",\"year\":\"2024\"}", &r, &e), -1);
	assert_string_equal(e.field, "year");
	assert_int_equal(check("{\"code\":\"A 1\"}", &r, &e), -1);
	assert_string_equal(e.field, "code");
	assert_int_equal(check("{\"code\":\"A1\",\"year\":1800}", &r, &e), -1);
	assert_int_equal(check("{\"code\":\"A1\",\"colour\":1}", &r, &e), -1);
	assert_true(valid_unknown(&e));
	assert_string_equal(e.field, "colour");
	assert_int_equal(check("[1]", &r, &e), -1);
	assert_int_equal(valid_text(spec, "year", "20x4", &r, &seen, &e), -1);
	assert_false(valid_unknown(&e));
	assert_int_equal(valid_text(spec, "year", "2025", &r, &seen, &e), 0);
	assert_int_equal(r.year, 2025);
	assert_int_equal(valid_required(spec, seen, &e), -1);
	assert_int_equal(valid_text(spec, "code", "Z", &r, &seen, &e), 0);
	assert_int_equal(valid_required(spec, seen, &e), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accounts_and_passwords),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_throttling),
		cmocka_unit_test(test_scope),
		cmocka_unit_test(test_audit_trail),
		cmocka_unit_test(test_field_specs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
