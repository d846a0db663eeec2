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
 * server's data version and the second are those it was made at.
 */
static struct snapcache_mem summaries = SNAPCACHE_MEM(4096);

static int64_t
summary_stamp(unsigned long version, time_t at)
{
	return (int64_t)((uint64_t)version << 32 | (uint32_t)at);
}

void
h_cache_free(void)
{
	snapcache_mem_free(&summaries);
}

int
h_unit_summary(struct req *r)
{
	unsigned long v = http_data_version();
	int rc;

	if (snapcache_mem_get(&summaries, r->param[0],
	    summary_stamp(http_data_version(), time(NULL)), &r->out))
		return 200;
	rc = store_unit_summary_json(r->st, r->param[0], &r->out, &r->e);
	if (rc <= 0)
		return rc < 0 ? -1 : unit_missing(r);
	snapcache_mem_put(&summaries, r->param[0], summary_stamp(v, time(NULL)),
	    r->out.s);
	return 200;
}
