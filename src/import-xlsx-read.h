/*
 * import-xlsx-read.h: the first sheet of an .xlsx workbook as the
 * importer's CSV (import-xlsx-read.c), read with libzip and expat. The
 * first non-empty row is the header; cells are text (shared or inline
 * strings), numbers (written as they read, integers without a decimal
 * point) or dates (a number whose cell format is a date: the Excel serial
 * day turned into YYYY-MM-DD, 1900 date system); empty rows are skipped.
 * Each CSV line and column keeps the sheet row and column it came from,
 * so an import error names the cell: FILE:SHEET!D7.
 */
#ifndef THIDUA_IMPORT_XLSX_READ_H
#define THIDUA_IMPORT_XLSX_READ_H

#include <stddef.h>

#include "err.h"
#include "util.h"

struct import_report;

struct xlsx_sheet {
	char		 name[128];	/* the sheet's name */
	struct sb	 csv;		/* header line, then one line per row */
	long		*row;		/* CSV line (1 = header) -> sheet row */
	size_t		 nlines;	/* lines in csv; row[0] unused */
	int		*col;		/* CSV column (0-based) -> sheet column (0 = A) */
	int		 ncols;
};

/* Is path an .xlsx file by its name? */
int	 xlsx_is_path(const char *path);
/* Read the first sheet of the workbook at path. 0, or -1 with e set
 * (ERR_USER naming the file when it is not a readable workbook). */
int	 xlsx_read_first(const char *path, struct xlsx_sheet *, struct err *);
/* The same from an .xlsx held in memory (an upload); name names it in
 * errors. data must outlive the call only. */
int	 xlsx_read_buffer(const void *data, size_t len, const char *name,
	    struct xlsx_sheet *, struct err *);
void	 xlsx_sheet_free(struct xlsx_sheet *);
/* Rewrite the report's CSV locations (line, column) as FILE:SHEET!CELL. */
void	 xlsx_locate(const struct xlsx_sheet *, const char *file,
	    struct import_report *);

#endif /* THIDUA_IMPORT_XLSX_READ_H */
