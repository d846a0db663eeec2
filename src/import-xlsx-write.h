/*
 * import-xlsx-write.h: rows of an import kind (or any typed table) written as a
 * one-sheet XLSX workbook that `thidua import KIND FILE.xlsx` reads back
 * unchanged (import-xlsx-write.c): a header row of column names, then one row
 * per record, each cell written as the type its column holds:
 *  - numbers (CT_INT, CT_NUM, CT_YEAR, CT_BOOL) as numbers;
 *  - days (CT_DATE) as real Excel dates shown yyyy-mm-dd, which the
 *    reader turns back into YYYY-MM-DD;
 *  - everything else (codes with their leading zeros, names, lists) as
 *    text, never guessed into a number;
 *  - an empty value as an empty cell.
 */
#ifndef THIDUA_IMPORT_XLSX_WRITE_H
#define THIDUA_IMPORT_XLSX_WRITE_H

#include <stdio.h>

#include "err.h"

struct col;
struct kind;
struct store;
struct xlsx_table;

/* Start a workbook at path with one sheet named sheet. NULL with e set. */
struct xlsx_table *xlsx_table_open(const char *path, const char *sheet,
	    const struct col *cols, int ncols, struct err *);
/* The same in constant memory (rows flushed as written, strings inline
 * rather than shared): for downloads that may be long. */
struct xlsx_table *xlsx_table_open_long(const char *path, const char *sheet,
	    const struct col *cols, int ncols, struct err *);
/* Append one row: ncols values, NULL when empty. */
void	 xlsx_table_row(struct xlsx_table *, const char *const *vals);
/* Write the file and free t. 0, or -1 with e set. */
int	 xlsx_table_close(struct xlsx_table *, struct err *);

/*
 * A CSV file (header row first, as our writers make it) as a one-sheet
 * workbook at path, every cell text: for documents that are not a kind
 * (GET /api/v1/eligibility?format=xlsx). Reads csv from its start. More
 * rows than a sheet holds (XLSX_MAX_ROWS with the header) is a user
 * error, never a truncated file. 0, or -1 with e set.
 */
#define XLSX_MAX_ROWS	1048576
int	 xlsx_from_csv(FILE *csv, const char *path, const char *sheet,
	    struct err *);

/* Every row of kind k, as `export_kind` does for CSV. */
int	 export_kind_xlsx(struct store *, const struct kind *, const char *path,
	    struct err *);

#endif /* THIDUA_IMPORT_XLSX_WRITE_H */
