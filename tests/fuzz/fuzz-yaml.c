/*
 * fuzz-yaml.c: the YAML parsers of rule sets (rules_parse, src/rules.c)
 * and movements (movement_parse, src/movement.c). The first byte's low
 * bit picks the parser; the rest is the document.
 */
#include <string.h>

#include "fuzz.h"
#include "movement.h"
#include "rules.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct err e;

	if (size < 1)
		return 0;
	if (data[0] & 1) {
		struct movement m;

		memset(&m, 0, sizeof m);
		if (movement_parse("fuzz.yaml", (const char *)data + 1,
		    size - 1, &m, &e) == 0)
			movement_free(&m);
	} else {
		struct ruleset *rs = rules_parse("fuzz.yaml",
		    (const char *)data + 1, size - 1, &e);

		if (rs)
			rules_free(rs);
	}
	return 0;
}
