/*
 * innovation-kind.c: the `innovation-details` import kind: the register's
 * columns beyond the contract's `innovations` kind, keyed by the
 * innovation's code: recognised_on (date of recognition), scope (where
 * it is applied), unit (the unit it belongs to) and shares (each author's
 * share in percent, joined by ';' in the order of the innovation's
 * authors). Import it after `innovations`.
 */
#include <string.h>

#include "import-kinds.h"
#include "store-innovation.h"
#include "util.h"

static const struct col innovation_details_cols[] = {
	{ "code",		CT_INNOVATIONS,	COL_REQ | COL_KEY, NULL },
	{ "recognised_on",	CT_DATE,	0, NULL },
	{ "scope",		CT_TEXT,	0, NULL },
	{ "unit",		CT_UNIT,	0, NULL },
	{ "shares",		CT_TEXT,	0, NULL },
};

/* One code; shares are numbers in (0, 100], one per author, sum ≤ 100. */
static void
check(struct import_ctx *c, struct store *st, const struct batch *b)
{
	for (size_t r = 0; r < b->nrows; r++) {
		const char *code = batch_val(b, r, 0), *sh = batch_val(b, r, 4);
		char buf[512], *p, *save = NULL;
		double sum = 0, v;
		long n = 0, want;
		struct err e;

		if (code == NULL)	/* refused by the cell check already */
			continue;
		if (strchr(code, ';') != NULL) {
			import_error(c, b, r, 0, "%s", TR("chỉ một mã sáng kiến",
			    "one innovation code only"));
			continue;
		}
		if (sh == NULL)
			continue;
		snprintf(buf, sizeof buf, "%s", sh);
		for (p = strtok_r(buf, ";", &save); p;
		    p = strtok_r(NULL, ";", &save), n++) {
			if (parse_double(p, &v) != 0 || v <= 0 || v > 100) {
				import_error(c, b, r, 4, "'%s': %s", p,
				    TR("tỷ lệ phải là số trong (0, 100]",
				    "a share must be a number in (0, 100]"));
				n = -1;
				break;
			}
			sum += v;
		}
		if (n < 0)
			continue;
		if (sum > 100.0001)
			import_error(c, b, r, 4, "%s (%g)", TR("tổng tỷ lệ vượt "
			    "100%", "the shares add up to more than 100%"), sum);
		err_clear(&e);
		want = store_innov_nauthors(st, code, &e);
		if (want >= 0 && n != want)
			import_error(c, b, r, 4, "%s: %ld, %s %ld", TR("số tỷ lệ",
			    "number of shares"), n, TR("số tác giả",
			    "number of authors"), want);
	}
}

const struct kind kind_innovation_details = {
	"innovation-details", innovation_details_cols,
	(int)(sizeof innovation_details_cols /
	    sizeof innovation_details_cols[0]),
	check, store_write_innovation_details, store_export_innovation_details,
	0
};
