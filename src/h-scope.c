/*
 * h-scope.c: a request's subtree as the filter the engines call
 * (scope.h). Each code is looked up once per request (a codemap memo).
 */
#include <string.h>

#include "http.h"
#include "store-unit.h"

static int
keep(void *arg, const char *code, struct err *e)
{
	struct req_scope *rs = arg;

	return auth_code_in(rs->r->st, rs->r->scope_root, 'u', code, &rs->memo,
	    e);
}

/* The same subtree as keep's, every subject id at once (scope.h). */
static int
ids(void *arg, int64_t **out, size_t *n, struct err *e)
{
	struct req_scope *rs = arg;

	return store_subtree_subjects(rs->r->st, rs->r->scope_root, out, n, e);
}

const struct scope_filter *
req_scope(struct req *r, struct req_scope *rs)
{
	memset(rs, 0, sizeof *rs);
	if (r->scope_root == 0)
		return NULL;
	rs->r = r;
	rs->s.keep = keep;
	rs->s.ids = ids;
	rs->s.arg = rs;
	rs->on = 1;
	codemap_init(&rs->memo);
	return &rs->s;
}

void
req_scope_free(struct req_scope *rs)
{
	if (rs->on)
		codemap_free(&rs->memo);
	rs->on = 0;
}
