/*
 * h-movements.c: creating and editing a movement through the API
 * (POST /api/v1/movements). The body is the movement's YAML, as
 * `thidua movement load` reads it. The handler parses it on the read
 * connection to find the movement's code and scope and checks the unit
 * scope here, in one place (the dispatcher's scopes are path, query and
 * import rows; a movement's unit is inside its YAML): a commander may
 * load a movement whose scope unit lies in their subtree, and replace
 * one only if the stored version's scope lies there too. The write is
 * a job of the writer thread: the movement is stored and audited (before
 * and after: the movement as stored, as JSON) in the batch's transaction.
 */
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "http.h"
#include "movement.h"

/* The name YAML errors carry (FILE:LINE:COLUMN). */
#define YAML_NAME "movement.yaml"

static int
outside(struct req *r, const char *scope)
{
	http_error(r, 403, "forbidden", "scope", "%s '%s'",
	    TR("phạm vi phong trào ngoài đơn vị của bạn",
	    "the movement's scope is outside your unit's subtree"), scope);
	return -1;
}

/* 0 when r may write movement m (and a stored version of it), else -1. */
static int
may_write(struct req *r, const struct movement *m)
{
	struct movement old;
	struct err e;
	int rc;

	if (r->scope_root == 0)
		return 0;
	rc = auth_code_in(r->st, r->scope_root, 'u', m->scope, NULL, &r->e);
	if (rc <= 0)
		return rc < 0 ? -1 : outside(r, m->scope);
	if (movement_get(r->st, m->code, &old, &e) != 0)
		return e.kind == ERR_NOTFOUND ? 0 : http_fail(r, &e);
	rc = auth_code_in(r->st, r->scope_root, 'u', old.scope, NULL, &r->e);
	if (rc == 0)
		rc = outside(r, old.scope);
	movement_free(&old);
	return rc < 0 ? -1 : 0;
}

static int
job_movement(struct store *st, struct req *r, struct err *e)
{
	const char *code = r->param[0];
	struct sb before, after;
	struct err miss;
	int had, rc = -1;

	sb_init(&before);
	sb_init(&after);
	had = movement_show_json(st, code, &before, &miss) == 0;
	if (!had && miss.kind != ERR_NOTFOUND) {
		*e = miss;
		goto out;
	}
	if (movement_load_in_txn(st, YAML_NAME, r->a.yaml, strlen(r->a.yaml),
	    e) != 0 || movement_show_json(st, code, &after, e) != 0 ||
	    audit_record(st, "load", "movements", code, had ? before.s : NULL,
	    after.s, e) != 0)
		goto out;
	sb_reset(&r->out);
	sb_puts(&r->out, after.s);
	r->status = had ? 200 : 201;
	rc = 0;
out:
	sb_free(&before);
	sb_free(&after);
	return rc;
}

int
h_movement_post(struct req *r)
{
	struct movement m;
	int rc;

	if (movement_parse(YAML_NAME, r->a.yaml, strlen(r->a.yaml), &m,
	    &r->e) != 0)
		return -1;
	/* The job finds the code here (this route has no path parameter). */
	snprintf(r->param[0], sizeof r->param[0], "%s", m.code);
	rc = may_write(r, &m);
	movement_free(&m);
	return rc != 0 ? -1 : http_write(r, job_movement, 0);
}
