/*
 * award-xlsx.h: lists and statistics as XLSX workbooks (libxlsxwriter):
 *  - the decision's list of recipients (xlsx_decision);
 *  - the awards report (xlsx_awards): the year's awards one per row, the
 *    year's counts by unit and form, and the multi-year totals by form
 *    that TĐKT offices report upward.
 * Both return 0, or -1 with e filled; nothing is left half-written
 * (the file is written in one go when the workbook closes).
 */
#ifndef THIDUA_AWARD_XLSX_H
#define THIDUA_AWARD_XLSX_H

#include "err.h"

struct store;
struct doc_decision;

int	 xlsx_decision(const struct doc_decision *, const char *path,
	    struct err *);
/* Awards of YEAR, and totals over [from, year]. */
int	 xlsx_awards(struct store *, int year, int from, const char *path,
	    struct err *);

/*
 * The year's awards (not revoked) as JSON, the same rows as the XLSX list:
 * {"year": Y, "awards": [{"subject","name","unit","award","decision","date"}]}
 */
struct sb;
int	 awards_json(struct store *, int year, struct sb *out, struct err *);

#endif /* THIDUA_AWARD_XLSX_H */
