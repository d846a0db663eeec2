/*
 * h-scope.c: a request's subtree as the filter the engines call
 * (scope.h). Each code is looked up once per request (a codemap memo),
 * or the whole subtree's at once, kept by the server while current.
 */
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "snapcache-kept.h"
#include "store-auth.h"
#include "store-elig.h"
#include "store-unit.h"
#include "store.h"

/*
 * After this many subjects asked one by one (a lookup of its unit and a
 * walk up the tree each), the request reads every code of the subtree at
 * once (one query) and looks the rest up in memory: a scoped request
 * over a million subjects asked each (17 s at a million people for a
 * commander of 110,000). THIDUA_TEST_SCOPE_BULK_AFTER=N sets it for the
 * tests, so that both ways are seen on small data. (A request's filter
 * reads: the writes' own checks, before and after, are scoped_write's in
 * h-kinds.c, each on what its transaction holds then.)
 */
#define ONE_BY_ONE	4096

static long
one_by_one(void)
{
	const char *v = getenv("THIDUA_TEST_SCOPE_BULK_AFTER");

	return v != NULL && *v != '\0' ? strtol(v, NULL, 10) : ONE_BY_ONE;
}

/*
 * A server keeps the last subtrees read whole (snapcache-kept.h): each
 * root's subject ids, and its codes, while the eligibility tables' stamp
 * holds (every write of subjects, units, people or their stays replaces
 * it). Every scoped request of a commander of 110,000 at a million
 * people read them again: 0.15-0.2 s each, ids or codes.
 */
static struct kept_set ids_kept = KEPT_SET(sizeof(int64_t), 4, 4000000,
    "scope");
static struct kept_set codes_kept = KEPT_SET(1, 4, 64 << 20, "scope");

/*
 * Under which key rs's subtree is kept: its root and the last row of
 * subject_log (migration 0016), which a write of subjects, units, people
 * or their stays by anyone, the sqlite3 shell too, appends to; with the
 * stamp of the eligibility tables, which only writes through thidua
 * replace. 0, or -1 when there is no log or the key is too long (keep
 * none).
 */
static int
subtree_key(struct req_scope *rs, char *key, size_t size)
{
	int64_t seq, tag;
	struct err e;

	if (store_log_last(rs->r->st, "subject_log", &seq, &tag, &e) != 0)
		return -1;
	/* (the slots' codes hold 32 bytes: a longer key is not kept) */
	return snprintf(key, size, "%llx.%llx.%08x",
	    (unsigned long long)rs->root, (unsigned long long)seq,
	    (unsigned)tag) < (int)size ? 0 : -1;
}

void
h_scope_keep(int on)
{
	kept_on(&ids_kept, on);
	kept_on(&codes_kept, on);
}

/* The subtree's codes, each ended by its '\0', into *out (n bytes):
 * kept or read. 0 or -1. */
static int
subtree_codes(struct req_scope *rs, char **out, size_t *n, struct err *e)
{
	struct elig_stamp es;
	struct sb b;
	char key[33];
	int on = kept_stamp(&codes_kept, rs->r->st, &es, NULL) &&
	    subtree_key(rs, key, sizeof key) == 0;

	if (on && kept_get(&codes_kept, key, 0, &es, NULL, (void **)out, n,
	    NULL))
		return 0;
	sb_init(&b);
	if (store_subtree_codes(rs->r->st, rs->root, &b, e) != 0) {
		sb_free(&b);
		return -1;
	}
	if (on)
		kept_put(&codes_kept, key, 0, &es, NULL, b.s, b.len, 0);
	*out = b.s;	/* (the caller frees it) */
	*n = b.len;
	return 0;
}

static int
keep(void *arg, const char *code, struct err *e)
{
	struct req_scope *rs = arg;

	if (!rs->whole && ++rs->asked > one_by_one()) {
		char *codes;
		size_t n;

		codemap_init(&rs->all);
		rs->whole = 1;
		if (subtree_codes(rs, &codes, &n, e) != 0)
			return -1;
		for (size_t at = 0; at < n; at += strlen(codes + at) + 1)
			codemap_put(&rs->all, codes + at, 1, 0);
		free(codes);
	}
	if (rs->whole)
		return codemap_get(&rs->all, code, NULL, NULL);
	return auth_code_in(rs->r->st, rs->root, 'u', code, &rs->memo, e);
}

/*
 * n codes about to be asked: when they would pass the one-by-one limit,
 * the subtree is read whole at the first of them (not after the limit's
 * lookups: at a million people a commander's 6,700 exemplar candidates
 * took 0.25 s, 4,096 of it looked up one by one).
 */
static void
expect(void *arg, size_t n)
{
	struct req_scope *rs = arg;

	if (!rs->whole && rs->asked + (long)n > one_by_one())
		rs->asked = one_by_one();
}

/* The same subtree as keep's, every subject id at once (scope.h). */
static int
ids(void *arg, int64_t **out, size_t *n, struct err *e)
{
	struct req_scope *rs = arg;
	struct elig_stamp es;
	char key[33];
	int on = kept_stamp(&ids_kept, rs->r->st, &es, NULL) &&
	    subtree_key(rs, key, sizeof key) == 0;

	if (on && kept_get(&ids_kept, key, 0, &es, NULL, (void **)out, n,
	    NULL))
		return 0;
	if (store_subtree_subjects(rs->r->st, rs->root, out, n, e) != 0)
		return -1;
	if (on)
		kept_put(&ids_kept, key, 0, &es, NULL, *out, *n, 0);
	return 0;
}

const struct scope_filter *
req_scope(struct req *r, struct req_scope *rs)
{
	return req_subtree(r, r->scope_root, rs);
}

const struct scope_filter *
req_subtree(struct req *r, int64_t unit, struct req_scope *rs)
{
	memset(rs, 0, sizeof *rs);
	if (unit == 0)
		return NULL;
	rs->r = r;
	rs->root = unit;
	rs->s.keep = keep;
	rs->s.ids = ids;
	rs->s.expect = expect;
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
	if (rs->whole)
		codemap_free(&rs->all);
	rs->on = 0;
	rs->whole = 0;
}

int
req_unit(struct req *r, int64_t *unit)
{
	int rc;

	*unit = 0;
	if (r->a.unit == NULL)
		return 0;
	if ((rc = store_auth_subject_unit(r->st, r->a.unit, unit, &r->e)) < 0)
		return -1;
	if (rc == 0)
		return http_error(r, 404, "not_found", "unit", "%s '%s'",
		    TR("không có đơn vị mã", "no unit with code"), r->a.unit),
		    -1;
	return 0;
}
