/*
 * h-session.c: logging in and out, and "who am I".
 *  POST /api/v1/session {"login","password"}: the writer thread checks
 *    the throttle and counts the attempt as a failure (auth_login_begin),
 *    the pool thread verifies the password (argon2id), the writer thread
 *    writes the session (forgetting the counted failure) or audits the
 *    failure; 200 + cookie + {"csrf","user"}, 401, or 429 + Retry-After.
 *  DELETE /api/v1/session: the session row is deleted, the cookie cleared.
 *  GET /api/v1/me: {"login","role","unit","csrf","demo","roots","may",
 *    "locked"}; "roots" the tops of the caller's unit tree ({"code",
 *    "name"}: its unit, or the units without a parent);
 *    "locked" names the rows the caller may not change (h-kinds.c's
 *    guards: a rating the council or a movement set); "may"
 *    lists what the caller may do, derived from the route table (the
 *    web app asks it instead of knowing roles).
 */
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "import.h"
#include "store-demo.h"
#include "store-unit.h"

static void
user_json(struct sb *o, const struct user *u)
{
	sb_puts(o, "{\"login\":");
	sb_json_str(o, u->login);
	sb_puts(o, ",\"role\":");
	sb_json_str(o, auth_role_name(u->role));
	sb_puts(o, ",\"unit\":");
	if (u->unit[0])
		sb_json_str(o, u->unit);
	else
		sb_puts(o, "null");
	sb_putc(o, '}');
}

static int
job_login(struct store *st, struct req *r, struct err *e)
{
	char cookie[AUTH_SECRET_LEN + 1];

	if (auth_login_record(st, r->aux == 1, r->a.login, r->addr, &r->user,
	    cookie, e) != 0)
		return -1;
	if (r->aux != 1) {
		/* The failure was counted before the check; the reply is 401. */
		http_error(r, 401, "unauthorized", "password", "%s",
		    TR("sai tên đăng nhập hoặc mật khẩu",
		    "wrong login or password"));
		return 0;
	}
	r->authed = 1;
	snprintf(r->cookie, sizeof r->cookie, "%s=%s%s; Max-Age=%ld",
	    http_cookie_name(r), cookie, http_cookie_attrs(r), auth_conf.max_age);
	sb_reset(&r->out);
	sb_puts(&r->out, "{\"csrf\":");
	sb_json_str(&r->out, r->user.csrf);
	sb_puts(&r->out, ",\"user\":");
	user_json(&r->out, &r->user);
	sb_putc(&r->out, '}');
	r->status = 200;
	return 0;
}

/* Pool thread, after the attempt was counted: verify, then record. */
static int
login_verify(struct req *r)
{
	struct user u;
	int rc;

	if ((rc = auth_check_password(r->st, r->a.login, r->a.password, &u,
	    &r->e)) < 0)
		return -1;
	r->aux = rc;
	if (rc == 1)
		r->user = u;
	return http_write(r, job_login, 0);
}

static int
job_login_begin(struct store *st, struct req *r, struct err *e)
{
	long retry = 0;
	int rc;

	if ((rc = auth_login_begin(st, r->a.login, r->addr, &retry, e)) < 0)
		return -1;
	if (rc > 0) {
		r->retry_after = retry;
		http_error(r, 429, "throttled", NULL, "%s %ld s",
		    TR("đăng nhập sai quá nhiều lần; thử lại sau",
		    "too many failed logins; retry in"), retry);
		return 0;
	}
	r->cont = login_verify;
	return 0;
}

int
h_login(struct req *r)
{
	return http_write(r, job_login_begin, 0);
}

static int
job_logout(struct store *st, struct req *r, struct err *e)
{
	if (auth_logout(st, r->user.session, e) != 0)
		return -1;
	snprintf(r->cookie, sizeof r->cookie, "%s=%s; Max-Age=0",
	    http_cookie_name(r), http_cookie_attrs(r));
	sb_reset(&r->out);
	sb_puts(&r->out, "{\"ok\":true}");
	r->status = 200;
	return 0;
}

int
h_logout(struct req *r)
{
	if (!r->user.cookie) {
		sb_puts(&r->out, "{\"ok\":true}");
		return 200;
	}
	return http_write(r, job_logout, 0);
}

/*
 * "may": what the caller's role may do, from the route table itself:
 * "METHOD PATH" of every route needing a login whose need the role
 * passes, {kind} spelt out as each import kind (writing awards is the
 * administrator's alone). A scoped role does it inside its "unit".
 */
static void
me_may(struct req *r)
{
	const char *const *kinds = kind_names();
	int n = 0;

	sb_puts(&r->out, ",\"may\":[");
	for (size_t i = 0; i < http_nroutes; i++) {
		const struct route *rt = &http_routes[i];
		const char *k = strstr(rt->path, "{kind}");

		if (rt->need == NEED_NONE)
			continue;
		for (int j = 0; k ? kinds[j] != NULL : j == 0; j++) {
			/* methods, paths and kind names need no escaping */
			if (http_may(rt, k ? kinds[j] : NULL, r->user.role))
				sb_printf(&r->out, "%s\"%s %.*s%s%s\"",
				    n++ ? "," : "", rt->method, k ? (int)(k -
				    rt->path) : (int)strlen(rt->path), rt->path,
				    k ? kinds[j] : "", k ? k + 6 : "");
		}
	}
	sb_putc(&r->out, ']');
}

/*
 * "roots": the tops of the caller's unit tree, so that a page never needs
 * the whole units table: the caller's unit (a scoped role) or the units
 * without a parent; the web app fetches the levels below a unit by unit
 * (GET /api/v1/units/{code}).
 */
static int
me_roots(struct req *r)
{
	sb_puts(&r->out, ",\"roots\":[");
	if (r->user.unit[0]) {
		if (store_subject_brief_json(r->st, r->user.unit, &r->out,
		    &r->e) < 0)
			return -1;
	} else if (store_unit_roots_json(r->st, &r->out, &r->e) < 0)
		return -1;
	sb_putc(&r->out, ']');
	return 0;
}

int
h_me(struct req *r)
{
	sb_puts(&r->out, "{\"login\":");
	sb_json_str(&r->out, r->user.login);
	sb_puts(&r->out, ",\"role\":");
	sb_json_str(&r->out, auth_role_name(r->user.role));
	sb_puts(&r->out, ",\"unit\":");
	if (r->user.unit[0])
		sb_json_str(&r->out, r->user.unit);
	else
		sb_puts(&r->out, "null");
	if (r->user.cookie) {
		sb_puts(&r->out, ",\"csrf\":");
		sb_json_str(&r->out, r->user.csrf);
	}
	/* Whether the database holds the illustrative demo (thidua demo). */
	{
		char demo[64];
		int found = store_demo_setting_get(r->st, "demo", demo,
		    sizeof demo, &r->e);

		if (found < 0)
			return -1;
		sb_printf(&r->out, ",\"demo\":%s", found && demo[0] ? "true" : "false");
	}
	if (me_roots(r) != 0)
		return -1;
	me_may(r);
	sb_puts(&r->out, ",\"locked\":");
	http_locked_json(&r->out, r->user.role);
	sb_putc(&r->out, '}');
	return 200;
}
