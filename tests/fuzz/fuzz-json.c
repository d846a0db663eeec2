/*
 * fuzz-json.c: JSON request bodies through the route table's field specs
 * (valid_json, src/http-valid.c), as the dispatcher checks them before any
 * handler. The first byte picks a route that takes a JSON object.
 */
#include <string.h>

#include <jansson.h>

#include "fuzz.h"
#include "http.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct route *with[256];
	size_t n = 0;
	json_t *j;
	struct args a;
	struct err e;

	for (size_t i = 0; i < http_nroutes && n < 256; i++)
		if (http_routes[i].fields != NULL)
			with[n++] = &http_routes[i];
	if (size < 1 || n == 0)
		return 0;
	if ((j = json_loadb((const char *)data + 1, size - 1,
	    JSON_REJECT_DUPLICATES, NULL)) == NULL)
		return 0;
	memset(&a, 0, sizeof a);
	valid_json(with[data[0] % n]->fields, j, &a, &e);
	json_decref(j);
	return 0;
}
