/*
 * growth-kind.c: the `indicator-targets` import kind, the planned value
 * (kế hoạch) of a business indicator for a unit and year, read by the
 * growth report to show attainment. Key: year, unit, indicator.
 */
#include "import-kinds.h"
#include "store-growth.h"

static const struct col indicator_targets_cols[] = {
	{ "year",	CT_YEAR,	COL_REQ | COL_KEY, NULL },
	{ "unit",	CT_UNIT,	COL_REQ | COL_KEY, NULL },
	{ "indicator",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "target",	CT_NUM,		COL_REQ, NULL },
};

const struct kind kind_indicator_targets = {
	"indicator-targets", indicator_targets_cols,
	(int)(sizeof indicator_targets_cols / sizeof indicator_targets_cols[0]),
	NULL, store_write_indicator_targets, store_export_indicator_targets,
	0
};
