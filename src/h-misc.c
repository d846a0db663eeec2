/*
 * h-misc.c: small endpoints: /healthz, the OpenAPI document, the audit
 * trail, and the unit views (one unit; a subtree's summary, kept in
 * memory (snapcache.h) until the next committed write or for one second).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "http.h"
#include "snapcache.h"
#include "store.h"
#include "store-unit.h"

int
h_health(struct req *r)
{
	sb_puts(&r->out, "{\"ok\":true}");
	return 200;
}

int
h_openapi(struct req *r)
{
	openapi_json(&r->out);
	return 200;
}

int
h_audit(struct req *r)
{
	struct audit_query q = { 0, r->a.subject, r->a.limit, r->a.offset };
	int32_t day;

	if (r->a.since && date_parse(r->a.since, &day) == 0)
		q.since = (int64_t)day * 86400;
	return audit_json(r->st, &q, &r->out, &r->e) == 0 ? 200 : -1;
}

static int
unit_missing(struct req *r)
{
	return http_error(r, 404, "not_found", "code", "%s '%s'",
	    TR("không có đơn vị mã", "no unit with code"), r->param[0]);
}

int
h_unit_get(struct req *r)
{
	int rc = store_unit_json(r->st, r->param[0], &r->out, &r->e);

	return rc < 0 ? -1 : rc == 0 ? unit_missing(r) : 200;
}

/*
 * The summaries' copies in memory (snapcache.h): one is current while the
 * store's "elig" generation (store.h: every table a summary reads, units,
 * people, ratings and awards among them, replaced by any writer, this
 * server or the CLI) is the one it was made at.
 */
static struct snapcache_mem summaries = SNAPCACHE_MEM(4096);

void
h_cache_free(void)
{
	snapcache_mem_free(&summaries);
	h_search_free();
}

int
h_unit_summary(struct req *r)
{
	int64_t gen;
	int rc;

	if (store_generation(r->st, "elig", &gen, &r->e) != 0)
		return -1;
	if (snapcache_mem_get(&summaries, r->param[0], gen, &r->out))
		return 200;
	rc = store_unit_summary_json(r->st, r->param[0], &r->out, &r->e);
	if (rc <= 0)
		return rc < 0 ? -1 : unit_missing(r);
	snapcache_mem_put(&summaries, r->param[0], gen, r->out.s);
	return 200;
}
