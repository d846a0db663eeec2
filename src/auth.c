/*
 * auth.c: roles, argon2id passwords, sessions, API tokens, login
 * throttling and unit scope (see auth.h). SQL lives in store-auth.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "audit.h"
#include "auth.h"
#include "codemap.h"
#include "store-auth.h"
#include "store.h"
#include "util.h"

struct auth_conf auth_conf = { 1800, 43200, 300, 5, 15, 20, 365 };

static const char *const role_names[ROLE__MAX] = {
	[ROLE_ADMIN] = "admin", [ROLE_COUNCIL] = "council",
	[ROLE_COMMANDER] = "commander", [ROLE_CLERK] = "clerk",
	[ROLE_VIEWER] = "viewer",
};

int
auth_role_parse(const char *s, enum role *r)
{
	for (int i = 0; i < ROLE__MAX; i++)
		if (s && strcmp(s, role_names[i]) == 0) {
			*r = (enum role)i;
			return 0;
		}
	return -1;
}

const char *
auth_role_name(enum role r)
{
	return r < ROLE__MAX ? role_names[r] : "?";
}

int
auth_role_scoped(enum role r)
{
	return r == ROLE_COMMANDER || r == ROLE_CLERK || r == ROLE_VIEWER;
}

static int
sodium_ready(struct err *e)
{
	if (sodium_init() < 0)
		return err_set(e, ERR_SYSTEM, "libsodium: %s",
		    TR("không khởi tạo được", "cannot initialise"));
	return 0;
}

int
auth_password_hash(const char *pw, char out[128], struct err *e)
{
	if (sodium_ready(e) != 0)
		return -1;
	if (crypto_pwhash_str_alg(out, pw, strlen(pw), AUTH_OPSLIMIT,
	    AUTH_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(e, ERR_SYSTEM, "argon2id: %s",
		    TR("hết bộ nhớ", "out of memory"));
	return 0;
}

void
auth_password_generate(char out[17])
{
	static const char alpha[] =
	    "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	if (sodium_init() < 0)
		abort();
	for (int i = 0; i < 16; i++)
		out[i] = alpha[randombytes_uniform(sizeof alpha - 1)];
	out[16] = '\0';
}

void
auth_secret(char out[AUTH_SECRET_LEN + 1])
{
	unsigned char raw[32];

	if (sodium_init() < 0)
		abort();
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, AUTH_SECRET_LEN + 1, raw, sizeof raw,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

void
auth_digest(const char *secret, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static int
login_valid(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (; *s; s++)
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && !strchr("._-@", *s))
			return 0;
	return 1;
}

static int
need_account(struct store *st, const char *login, struct account *a,
    struct err *e)
{
	int rc = store_auth_account_get(st, login, a, e);

	if (rc == 0)
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "login", "%s '%s'",
		    TR("không có tài khoản", "no such account"), login);
	return rc < 0 ? -1 : 0;
}

/* {"login":…,"role":…,"unit":…,"disabled":…} for the audit trail. */
static void
account_json(const struct account *a, struct sb *out)
{
	sb_puts(out, "{\"login\":");
	sb_json_str(out, a->login);
	sb_puts(out, ",\"role\":");
	sb_json_str(out, a->role);
	sb_puts(out, ",\"unit\":");
	if (a->unit[0])
		sb_json_str(out, a->unit);
	else
		sb_puts(out, "null");
	sb_printf(out, ",\"disabled\":%s}", a->disabled ? "true" : "false");
}

static int
audit_account(struct store *st, const char *action, const struct account *before,
    const struct account *after, struct err *e)
{
	struct sb b, a;
	int rc;

	sb_init(&b);
	sb_init(&a);
	if (before)
		account_json(before, &b);
	if (after)
		account_json(after, &a);
	rc = audit_record(st, action, "account", after ? after->login :
	    before->login, before ? b.s : NULL, after ? a.s : NULL, e);
	sb_free(&b);
	sb_free(&a);
	return rc;
}

int
auth_user_add(struct store *st, const char *login, const char *role,
    const char *unit, const char *password, struct err *e)
{
	struct account a;
	enum role r;
	int64_t id;

	memset(&a, 0, sizeof a);
	if (!login_valid(login))
		return err_at(e, ERR_USER, NULL, 0, 0, "login", "%s '%s'",
		    TR("tên đăng nhập không hợp lệ (1–64 chữ, số, . _ - @)",
		    "invalid login (1–64 letters, digits, . _ - @)"), login);
	if (auth_role_parse(role, &r) != 0)
		return err_at(e, ERR_USER, NULL, 0, 0, "role", "%s '%s' "
		    "(admin|council|commander|clerk|viewer)",
		    TR("vai trò không hợp lệ", "unknown role"), role ? role : "");
	if (auth_role_scoped(r) && (unit == NULL || *unit == '\0'))
		return err_at(e, ERR_USER, NULL, 0, 0, "unit", "%s %s",
		    TR("cần đơn vị (--unit) cho vai trò",
		    "a unit (--unit) is required for role"), role);
	if (strlen(password) < 8)
		return err_at(e, ERR_USER, NULL, 0, 0, "password", "%s",
		    TR("mật khẩu cần ít nhất 8 ký tự",
		    "the password needs at least 8 characters"));
	snprintf(a.login, sizeof a.login, "%s", login);
	snprintf(a.role, sizeof a.role, "%s", role);
	snprintf(a.unit, sizeof a.unit, "%s", unit ? unit : "");
	if (auth_password_hash(password, a.pwhash, e) != 0)
		return -1;
	if (store_auth_account_insert(st, &a, (int64_t)time(NULL), &id, e) != 0)
		return -1;
	return audit_account(st, "create", NULL, &a, e);
}

int
auth_user_passwd(struct store *st, const char *login, const char *password,
    struct err *e)
{
	struct account a;

	if (need_account(st, login, &a, e) != 0)
		return -1;
	if (strlen(password) < 8)
		return err_at(e, ERR_USER, NULL, 0, 0, "password", "%s",
		    TR("mật khẩu cần ít nhất 8 ký tự",
		    "the password needs at least 8 characters"));
	if (auth_password_hash(password, a.pwhash, e) != 0 ||
	    store_auth_account_set(st, a.id, a.pwhash, a.disabled, e) != 0 ||
	    store_auth_session_delete_account(st, a.id, e) != 0 ||
	    store_auth_token_revoke_account(st, a.id, e) != 0)
		return -1;
	return audit_account(st, "passwd", &a, &a, e);
}

int
auth_user_disable(struct store *st, const char *login, struct err *e)
{
	struct account a, b;

	if (need_account(st, login, &a, e) != 0)
		return -1;
	b = a;
	b.disabled = 1;
	if (store_auth_account_set(st, a.id, a.pwhash, 1, e) != 0 ||
	    store_auth_session_delete_account(st, a.id, e) != 0 ||
	    store_auth_token_revoke_account(st, a.id, e) != 0)
		return -1;
	return audit_account(st, "disable", &a, &b, e);
}

int
auth_token_create(struct store *st, const char *login, long days,
    char out[AUTH_SECRET_LEN + 1], int64_t *id, int64_t *expires,
    struct err *e)
{
	struct account a;
	char hash[65], after[96];
	int64_t now = (int64_t)time(NULL);

	if (need_account(st, login, &a, e) != 0)
		return -1;
	if (a.disabled)
		return err_at(e, ERR_USER, NULL, 0, 0, "login", "%s '%s'",
		    TR("tài khoản đã bị khóa", "the account is disabled"), login);
	if (days == 0)
		days = auth_conf.token_days;
	if (days < 1 || days > 3660)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--days", "%s (1–3660)",
		    TR("số ngày không hợp lệ", "invalid number of days"));
	*expires = now + (int64_t)days * 86400;
	auth_secret(out);
	auth_digest(out, hash);
	if (store_auth_token_insert(st, a.id, hash, now, *expires, id, e) != 0)
		return -1;
	snprintf(after, sizeof after, "{\"token\":%lld,\"expires_at\":%lld}",
	    (long long)*id, (long long)*expires);
	return audit_record(st, "token_create", "account", login, NULL, after, e);
}

int
auth_token_revoke(struct store *st, const char *arg, struct err *e)
{
	char hash[65], before[64];
	int64_t id = 0;
	int rc;

	if (parse_i64(arg, &id) == 0)
		rc = store_auth_token_revoke(st, id, NULL, e);
	else {
		auth_digest(arg, hash);
		rc = store_auth_token_revoke(st, 0, hash, e);
	}
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_set(e, ERR_NOTFOUND, "%s",
		    TR("không có mã truy cập này (hoặc đã thu hồi)",
		    "no such token (or already revoked)"));
	snprintf(before, sizeof before, "{\"token\":%lld}", (long long)id);
	return audit_record(st, "token_revoke", "account", NULL,
	    id ? before : NULL, NULL, e);
}

/* Failure keys: "la:LOGIN|ADDRESS" and "unknown:ADDRESS". */
static void
fail_key(char *buf, size_t sz, const char *login, const char *addr)
{
	if (login)
		snprintf(buf, sz, "la:%.100s|%.64s", login, addr ? addr : "");
	else
		snprintf(buf, sz, "unknown:%.64s", addr ? addr : "");
}

/* The wait after n failures, the last at `last`: 0 when none is due. */
static long
login_wait(long n, int64_t last, int64_t now)
{
	long d, shift;

	if (n < auth_conf.max_login)
		return 0;
	shift = n - auth_conf.max_login;
	d = shift >= 20 ? auth_conf.window : auth_conf.delay << shift;
	if (d > auth_conf.window)
		d = auth_conf.window;
	d = (long)(last + d - now);
	return d > 0 ? d : 0;
}

int
auth_login_begin(struct store *st, const char *login, const char *addr,
    long *retry_after, struct err *e)
{
	int64_t now = (int64_t)time(NULL), oldest = 0, newest = 0;
	int64_t since = now - auth_conf.window;
	char key[256], ukey[128];
	struct account a;
	long n = 0, wait;
	int known;

	if ((known = store_auth_account_get(st, login, &a, e)) < 0)
		return -1;
	known = known == 1 && !a.disabled;
	fail_key(key, sizeof key, login, addr);
	if (store_auth_fail_count(st, key, since, &n, &oldest, &newest, e) != 0)
		return -1;
	if ((wait = login_wait(n, newest, now)) > 0) {
		*retry_after = wait;
		return 1;
	}
	fail_key(ukey, sizeof ukey, NULL, addr);
	if (!known) {
		if (store_auth_fail_count(st, ukey, since, &n, &oldest, &newest,
		    e) != 0)
			return -1;
		if (n >= auth_conf.max_unknown) {
			wait = (long)(oldest + auth_conf.window - now);
			*retry_after = wait > 1 ? wait : 1;
			return 1;
		}
		if (store_auth_fail_insert(st, ukey, now, e) != 0)
			return -1;
	}
	/* Counted now; a right password forgets it (auth_login_record). */
	return store_auth_fail_insert(st, key, now, e) != 0 ? -1 : 0;
}

static void
user_from(struct user *u, const struct account *a)
{
	memset(u, 0, sizeof *u);
	u->id = a->id;
	snprintf(u->login, sizeof u->login, "%s", a->login);
	if (auth_role_parse(a->role, &u->role) != 0)
		u->role = ROLE_VIEWER;
	u->unit_id = a->unit_id;
	snprintf(u->unit, sizeof u->unit, "%s", a->unit);
}

int
auth_check_password(struct store *st, const char *login, const char *pw,
    struct user *u, struct err *e)
{
	struct account a;
	int rc = store_auth_account_get(st, login, &a, e);

	if (rc < 0)
		return -1;
	if (sodium_ready(e) != 0)
		return -1;
	if (rc == 0 || a.disabled) {
		/* Spend the same time as a real check. */
		char dummy[128];

		if (auth_password_hash(pw, dummy, e) != 0)
			return -1;
		return 0;
	}
	if (crypto_pwhash_str_verify(a.pwhash, pw, strlen(pw)) != 0)
		return 0;
	user_from(u, &a);
	return 1;
}

int
auth_login_record(struct store *st, int ok, const char *login,
    const char *addr, struct user *u, char cookie[AUTH_SECRET_LEN + 1],
    struct err *e)
{
	int64_t now = (int64_t)time(NULL);
	char key[256], csrf[AUTH_SECRET_LEN + 1];

	if (!ok)
		return audit_record_by(st, login, "login_failed", "session",
		    login, NULL, NULL, e);
	auth_secret(cookie);
	auth_secret(csrf);
	auth_digest(cookie, u->session);
	snprintf(u->csrf, sizeof u->csrf, "%s", csrf);
	u->cookie = 1;
	fail_key(key, sizeof key, login, addr);
	if (store_auth_fail_clear(st, key, e) != 0 ||
	    store_auth_session_insert(st, u->session, u->id, csrf, now, addr,
	    e) != 0)
		return -1;
	return audit_record_by(st, u->login, "login", "session", u->login, NULL,
	    NULL, e);
}

int
auth_logout(struct store *st, const char *session_hash, struct err *e)
{
	if (store_auth_session_delete(st, session_hash, e) != 0)
		return -1;
	return audit_record(st, "logout", "session", NULL, NULL, NULL, e);
}

int
auth_touch(struct store *st, const char *session_hash, struct err *e)
{
	return store_auth_session_touch(st, session_hash, (int64_t)time(NULL),
	    e);
}

int
auth_purge(struct store *st, struct err *e)
{
	int64_t now = (int64_t)time(NULL);

	return store_auth_purge(st, now - auth_conf.idle, now - auth_conf.max_age,
	    now - auth_conf.window, e);
}

int
auth_session(struct store *st, const char *cookie, struct user *u,
    struct err *e)
{
	struct account a;
	char hash[65], csrf[65];
	int64_t created, seen, now = (int64_t)time(NULL);
	int rc;

	auth_digest(cookie, hash);
	rc = store_auth_session_get(st, hash, &a, csrf, &created, &seen, e);
	if (rc <= 0)
		return rc;
	if (now - seen > auth_conf.idle || now - created > auth_conf.max_age)
		return 0;
	user_from(u, &a);
	u->cookie = 1;
	snprintf(u->csrf, sizeof u->csrf, "%s", csrf);
	snprintf(u->session, sizeof u->session, "%s", hash);
	u->touch = now - seen >= 60;
	return 1;
}

int
auth_bearer(struct store *st, const char *token, struct user *u, struct err *e)
{
	struct account a;
	char hash[65];
	int rc;

	auth_digest(token, hash);
	if ((rc = store_auth_token_get(st, hash, (int64_t)time(NULL), &a,
	    e)) <= 0)
		return rc;
	user_from(u, &a);
	return 1;
}

int
auth_unit_in(struct store *st, int64_t root, int64_t unit, struct err *e)
{
	int64_t parent;

	/* Unit trees are shallow; 64 steps catch a corrupted cycle. */
	for (int depth = 0; unit != 0 && depth < 64; depth++) {
		if (unit == root)
			return 1;
		if (store_auth_unit_parent(st, unit, &parent, e) < 0)
			return -1;
		if (parent == unit)
			break;
		unit = parent;
	}
	return 0;
}

int
auth_code_in(struct store *st, int64_t root, int kind, const char *code,
    struct codemap *memo, struct err *e)
{
	int64_t unit = 0, cached;
	int rc;

	if (memo && codemap_get(memo, code, &cached, NULL))
		return (int)cached;
	rc = kind == 't' ? store_auth_task_unit(st, code, &unit, e) :
	    store_auth_subject_unit(st, code, &unit, e);
	if (rc < 0)
		return -1;
	rc = rc == 0 ? 0 : auth_unit_in(st, root, unit, e);
	if (rc >= 0 && memo)
		codemap_put(memo, code, rc, kind);
	return rc;
}

int
auth_innov_owned(struct store *st, int64_t root, const char *code,
    struct err *e)
{
	int64_t owner = 0, units[64];
	int n = 0, rc;

	if ((rc = store_auth_innovation_scope(st, code, &owner, units, 64, &n,
	    e)) != 1)
		return rc < 0 ? -1 : 1;	/* not stored: nothing to protect */
	if (owner != 0 && (rc = auth_unit_in(st, root, owner, e)) != 0)
		return rc;
	if (n == 0 || n == 64)
		return 0;
	for (int i = 0; i < n; i++)
		if ((rc = auth_unit_in(st, root, units[i], e)) != 1)
			return rc;
	return 1;
}

int
auth_txn(struct store *st, int (*fn)(struct store *, void *, struct err *),
    void *arg, struct err *e)
{
	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if (fn(st, arg, e) != 0) {
		store_rollback(st);
		return -1;
	}
	if (store_commit(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		store_rollback(st);
		return -1;
	}
	return 0;
}
