/*
 * store-auth.c: SQL for accounts, sessions, API tokens, login failures
 * and the unit-scope lookups (see store-auth.h). Times are unix seconds.
 */
#include <stdio.h>
#include <string.h>

#include "store-auth.h"
#include "store.h"
#include "util.h"

/* Columns 0..6 of every account query, in this order. */
#define ACCOUNT_COLS \
	"a.id, a.login, a.pwhash, a.role, COALESCE(a.unit_id, 0), " \
	"COALESCE(s.code, ''), a.disabled"
#define ACCOUNT_FROM \
	"accounts a LEFT JOIN subjects s ON s.id = a.unit_id"

static void
account_row(struct store_stmt *s, int c, struct account *a)
{
	a->id = store_col_int(s, c);
	store_copy(a->login, sizeof a->login, store_col_text(s, c + 1));
	store_copy(a->pwhash, sizeof a->pwhash, store_col_text(s, c + 2));
	store_copy(a->role, sizeof a->role, store_col_text(s, c + 3));
	a->unit_id = store_col_int(s, c + 4);
	store_copy(a->unit, sizeof a->unit, store_col_text(s, c + 5));
	a->disabled = (int)store_col_int(s, c + 6);
}

/* Fetch at most one account row from s: 1, 0 or -1. */
static int
one_account(struct store *st, struct store_stmt *s, struct account *a,
    struct err *e)
{
	int rc = store_step(s);

	if (rc == STORE_ROW)
		account_row(s, 0, a);
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char SQL_UNIT_ID[] =
    "SELECT u.id FROM units u JOIN subjects s ON s.id = u.id WHERE s.code = $1";
static const char SQL_ACC_INS[] =
    "INSERT INTO accounts (login, pwhash, role, unit_id, disabled, created_at) "
    "VALUES ($1, $2, $3, $4, 0, $5) RETURNING id";

int
store_auth_account_insert(struct store *st, const struct account *a,
    int64_t now, int64_t *id, struct err *e)
{
	struct store_stmt *s;
	int64_t unit = 0;
	int rc;

	if (a->unit[0]) {
		STORE_PREP(s, st, SQL_UNIT_ID, e);
		store_bind_text(s, 1, a->unit);
		rc = store_step(s);
		if (rc == STORE_ROW)
			unit = store_col_int(s, 0);
		store_reset(s);
		if (rc == STORE_ERR)
			return store_err(st, e);
		if (rc != STORE_ROW)
			return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "unit",
			    "%s '%s'", TR("không có đơn vị mã",
			    "no unit with code"), a->unit);
	}
	STORE_PREP(s, st, SQL_ACC_INS, e);
	store_bind_text(s, 1, a->login);
	store_bind_text(s, 2, a->pwhash);
	store_bind_text(s, 3, a->role);
	if (unit)
		store_bind_int(s, 4, unit);
	else
		store_bind_null(s, 4);
	store_bind_int(s, 5, now);
	rc = store_step(s);
	if (rc == STORE_ROW)
		*id = store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_CONSTRAINT)
		return err_at(e, ERR_CONFLICT, NULL, 0, 0, "login", "%s '%s'",
		    TR("tài khoản đã tồn tại", "the account exists"), a->login);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

static const char SQL_ACC_GET[] =
    "SELECT " ACCOUNT_COLS " FROM " ACCOUNT_FROM " WHERE a.login = $1";

int
store_auth_account_get(struct store *st, const char *login, struct account *a,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_ACC_GET, e);
	store_bind_text(s, 1, login);
	return one_account(st, s, a, e);
}

/* A one-number query's answer into *n: 0, or -1 with e set. */
static int
count_of(struct store *st, const char *sql, long *n, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, sql, e);
	rc = store_step(s);
	*n = rc == STORE_ROW ? (long)store_col_int(s, 0) : 0;
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

int
store_auth_account_count(struct store *st, long *n, struct err *e)
{
	return count_of(st, "SELECT COUNT(*) FROM accounts", n, e);
}

int
store_auth_session_count(struct store *st, long *n, struct err *e)
{
	return count_of(st, "SELECT COUNT(*) FROM sessions", n, e);
}

static const char SQL_ACC_ALL[] =
    "SELECT " ACCOUNT_COLS " FROM " ACCOUNT_FROM " ORDER BY a.login";

int
store_auth_account_each(struct store *st,
    int (*fn)(void *, const struct account *), void *arg, struct err *e)
{
	struct store_stmt *s;
	struct account a;
	int rc;

	STORE_PREP(s, st, SQL_ACC_ALL, e);
	while ((rc = store_step(s)) == STORE_ROW) {
		account_row(s, 0, &a);
		if (fn(arg, &a) != 0)
			break;
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

static const char SQL_ACC_SET[] =
    "UPDATE accounts SET pwhash = $2, disabled = $3 WHERE id = $1";

int
store_auth_account_set(struct store *st, int64_t id, const char *pwhash,
    int disabled, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_ACC_SET, e);
	store_bind_int(s, 1, id);
	store_bind_text(s, 2, pwhash);
	store_bind_int(s, 3, disabled);
	return store_run_err(st, s, e);
}

static const char SQL_SES_INS[] =
    "INSERT INTO sessions (hash, account_id, csrf, created_at, last_seen, "
    "address) VALUES ($1, $2, $3, $4, $4, $5)";

int
store_auth_session_insert(struct store *st, const char *hash, int64_t account,
    const char *csrf, int64_t now, const char *addr, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_SES_INS, e);
	store_bind_text(s, 1, hash);
	store_bind_int(s, 2, account);
	store_bind_text(s, 3, csrf);
	store_bind_int(s, 4, now);
	store_bind_text(s, 5, addr);
	return store_run_err(st, s, e);
}

static const char SQL_SES_GET[] =
    "SELECT " ACCOUNT_COLS ", x.csrf, x.created_at, x.last_seen FROM "
    "sessions x JOIN accounts a ON a.id = x.account_id "
    "LEFT JOIN subjects s ON s.id = a.unit_id "
    "WHERE x.hash = $1 AND a.disabled = 0";

int
store_auth_session_get(struct store *st, const char *hash, struct account *a,
    char *csrf, int64_t *created, int64_t *last_seen, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_SES_GET, e);
	store_bind_text(s, 1, hash);
	rc = store_step(s);
	if (rc == STORE_ROW) {
		account_row(s, 0, a);
		store_copy(csrf, 65, store_col_text(s, 7));
		*created = store_col_int(s, 8);
		*last_seen = store_col_int(s, 9);
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char SQL_SES_TOUCH[] =
    "UPDATE sessions SET last_seen = $2 WHERE hash = $1";

int
store_auth_session_touch(struct store *st, const char *hash, int64_t now,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_SES_TOUCH, e);
	store_bind_text(s, 1, hash);
	store_bind_int(s, 2, now);
	return store_run_err(st, s, e);
}

static const char SQL_SES_DEL[] = "DELETE FROM sessions WHERE hash = $1";

int
store_auth_session_delete(struct store *st, const char *hash, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_SES_DEL, e);
	store_bind_text(s, 1, hash);
	return store_run_err(st, s, e);
}

static const char SQL_SES_DEL_ACC[] = "DELETE FROM sessions WHERE account_id = $1";

int
store_auth_session_delete_account(struct store *st, int64_t account,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_SES_DEL_ACC, e);
	store_bind_int(s, 1, account);
	return store_run_err(st, s, e);
}

static const char SQL_TOK_INS[] =
    "INSERT INTO api_tokens (account_id, hash, created_at, revoked, "
    "expires_at) VALUES ($1, $2, $3, 0, $4) RETURNING id";

int
store_auth_token_insert(struct store *st, int64_t account, const char *hash,
    int64_t now, int64_t expires, int64_t *id, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_TOK_INS, e);
	store_bind_int(s, 1, account);
	store_bind_text(s, 2, hash);
	store_bind_int(s, 3, now);
	store_bind_int(s, 4, expires);
	rc = store_step(s);
	if (rc == STORE_ROW)
		*id = store_col_int(s, 0);
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

static const char SQL_TOK_GET[] =
    "SELECT " ACCOUNT_COLS " FROM api_tokens t JOIN accounts a "
    "ON a.id = t.account_id LEFT JOIN subjects s ON s.id = a.unit_id "
    "WHERE t.hash = $1 AND t.revoked = 0 AND a.disabled = 0 "
    "AND t.expires_at > $2";

int
store_auth_token_get(struct store *st, const char *hash, int64_t now,
    struct account *a, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_TOK_GET, e);
	store_bind_text(s, 1, hash);
	store_bind_int(s, 2, now);
	return one_account(st, s, a, e);
}

static const char SQL_TOK_REV_ID[] =
    "UPDATE api_tokens SET revoked = 1 WHERE id = $1 AND revoked = 0 "
    "RETURNING id";
static const char SQL_TOK_REV_HASH[] =
    "UPDATE api_tokens SET revoked = 1 WHERE hash = $1 AND revoked = 0 "
    "RETURNING id";

int
store_auth_token_revoke(struct store *st, int64_t id, const char *hash,
    struct err *e)
{
	struct store_stmt *s;
	int rc, n = 0;

	if (hash) {
		STORE_PREP(s, st, SQL_TOK_REV_HASH, e);
		store_bind_text(s, 1, hash);
	} else {
		STORE_PREP(s, st, SQL_TOK_REV_ID, e);
		store_bind_int(s, 1, id);
	}
	while ((rc = store_step(s)) == STORE_ROW)
		n++;
	store_reset(s);
	return rc == STORE_DONE ? (n > 0) : store_err(st, e);
}

static const char SQL_TOK_REV_ACC[] =
    "UPDATE api_tokens SET revoked = 1 WHERE account_id = $1";

int
store_auth_token_revoke_account(struct store *st, int64_t account,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_TOK_REV_ACC, e);
	store_bind_int(s, 1, account);
	return store_run_err(st, s, e);
}

static const char SQL_FAIL_INS[] =
    "INSERT INTO login_failures (key, at) VALUES ($1, $2)";

int
store_auth_fail_insert(struct store *st, const char *key, int64_t now,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_FAIL_INS, e);
	store_bind_text(s, 1, key);
	store_bind_int(s, 2, now);
	return store_run_err(st, s, e);
}

static const char SQL_FAIL_COUNT[] =
    "SELECT COUNT(*), COALESCE(MIN(at), 0), COALESCE(MAX(at), 0) "
    "FROM login_failures "
    "WHERE key = $1 AND at >= $2";

int
store_auth_fail_count(struct store *st, const char *key, int64_t since, long *n,
    int64_t *oldest, int64_t *newest, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_FAIL_COUNT, e);
	store_bind_text(s, 1, key);
	store_bind_int(s, 2, since);
	rc = store_step(s);
	if (rc == STORE_ROW) {
		*n = (long)store_col_int(s, 0);
		*oldest = store_col_int(s, 1);
		*newest = store_col_int(s, 2);
	}
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

static const char SQL_FAIL_CLEAR[] = "DELETE FROM login_failures WHERE key = $1";

int
store_auth_fail_clear(struct store *st, const char *key, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_FAIL_CLEAR, e);
	store_bind_text(s, 1, key);
	return store_run_err(st, s, e);
}

static const char SQL_PURGE_SES[] =
    "DELETE FROM sessions WHERE last_seen < $1 OR created_at < $2";
static const char SQL_PURGE_FAIL[] = "DELETE FROM login_failures WHERE at < $1";

int
store_auth_purge(struct store *st, int64_t idle_before, int64_t made_before,
    int64_t fail_before, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_PURGE_SES, e);
	store_bind_int(s, 1, idle_before);
	store_bind_int(s, 2, made_before);
	if (store_run_err(st, s, e) != 0)
		return -1;
	STORE_PREP(s, st, SQL_PURGE_FAIL, e);
	store_bind_int(s, 1, fail_before);
	return store_run_err(st, s, e);
}

/* A one-integer lookup: 1 found (into *out), 0 not, -1 error. */
static int
lookup_int(struct store *st, const char *sql, const char *text, int64_t num,
    int64_t *out, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, sql, e);
	if (text)
		store_bind_text(s, 1, text);
	else
		store_bind_int(s, 1, num);
	rc = store_step(s);
	if (rc == STORE_ROW)
		*out = store_col_isnull(s, 0) ? 0 : store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char SQL_SUBJ_UNIT[] =
    "SELECT COALESCE(p.unit_id, u.id) FROM subjects s "
    "LEFT JOIN units u ON u.id = s.id LEFT JOIN people p ON p.id = s.id "
    "WHERE s.code = $1";
static const char SQL_TASK_UNIT[] = "SELECT unit_id FROM tasks WHERE code = $1";
static const char SQL_UNIT_PARENT[] = "SELECT parent_id FROM units WHERE id = $1";

int
store_auth_subject_unit(struct store *st, const char *code, int64_t *unit,
    struct err *e)
{
	return lookup_int(st, SQL_SUBJ_UNIT, code, 0, unit, e);
}

int
store_auth_task_unit(struct store *st, const char *code, int64_t *unit,
    struct err *e)
{
	return lookup_int(st, SQL_TASK_UNIT, code, 0, unit, e);
}

int
store_auth_unit_parent(struct store *st, int64_t unit, int64_t *parent,
    struct err *e)
{
	return lookup_int(st, SQL_UNIT_PARENT, NULL, unit, parent, e);
}

static const char SQL_INNOV_OWNER[] =
    "SELECT COALESCE(unit_id, 0) FROM innovations WHERE code = $1";
static const char SQL_INNOV_AUTHOR_UNITS[] =
    "SELECT p.unit_id FROM innovation_authors a "
    "JOIN innovations i ON i.id = a.innovation_id "
    "JOIN people p ON p.id = a.person_id WHERE i.code = $1 ORDER BY a.pos";

int
store_auth_innovation_scope(struct store *st, const char *code, int64_t *owner,
    int64_t *units, int max, int *n, struct err *e)
{
	struct store_stmt *s;
	int rc;

	*n = 0;
	if ((rc = lookup_int(st, SQL_INNOV_OWNER, code, 0, owner, e)) != 1)
		return rc;
	STORE_PREP(s, st, SQL_INNOV_AUTHOR_UNITS, e);
	store_bind_text(s, 1, code);
	while ((rc = store_step(s)) == STORE_ROW)
		if (*n < max)
			units[(*n)++] = store_col_int(s, 0);
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 1;
}
