/*
 * fuzz-path.c: the request path as the dispatcher reads it: "METHOD
 * /path?key=value&…" is matched against the route table
 * (http_find_route: path parameters, {kind}) and each query pair is
 * checked against the route's query fields (valid_text, src/http-valid.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "http.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req *r;
	char *s, *sp, *q, *save, *kv;
	const struct route *rt;
	unsigned seen = 0;

	if (size == 0 || size > 4096)
		return 0;
	s = xmalloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if ((sp = strchr(s, ' ')) == NULL) {
		free(s);
		return 0;
	}
	*sp++ = '\0';
	if ((q = strchr(sp, '?')) != NULL)
		*q++ = '\0';
	r = xcalloc(1, sizeof *r);
	r->method = s;
	snprintf(r->path, sizeof r->path, "%s", sp);
	if ((rt = http_find_route(r)) != NULL && q != NULL && rt->query) {
		for (kv = strtok_r(q, "&", &save); kv;
		    kv = strtok_r(NULL, "&", &save)) {
			char *v = strchr(kv, '=');

			if (v)
				*v++ = '\0';
			if (valid_text(rt->query, kv, v ? v : "", &r->a, &seen,
			    &r->e) != 0)
				break;
		}
		valid_required(rt->query, seen, &r->e);
	}
	free(r);
	free(s);
	return 0;
}
