/*
 * import-xlsx-lib.h: libxlsxwriter and libzip, opened when a workbook is
 * first written or read (dynlib.h): linked, they and the five libraries
 * they bring were mapped at every start of every command. Included after
 * <xlsxwriter.h> or <zip.h> in the files that call them, it turns each
 * function they call into its pointer in xlsxw_lib or zip_lib, so the
 * calls read as usual; a function newly called goes in XLSXW_FUNCS or
 * ZIP_FUNCS and gets its #define below (the build fails at link time
 * otherwise).
 */
#ifndef THIDUA_IMPORT_XLSX_LIB_H
#define THIDUA_IMPORT_XLSX_LIB_H

#include <xlsxwriter.h>
#include <zip.h>

#include "err.h"

#define XLSXW_FUNCS(X) \
	X(format_set_bold) X(format_set_num_format) X(lxw_strerror) \
	X(workbook_add_format) X(workbook_add_worksheet) X(workbook_close) \
	X(workbook_new) X(workbook_new_opt) X(worksheet_freeze_panes) \
	X(worksheet_set_column) X(worksheet_write_datetime) \
	X(worksheet_write_number) X(worksheet_write_string)

#define ZIP_FUNCS(X) \
	X(zip_close) X(zip_error_fini) X(zip_error_init) X(zip_fclose) \
	X(zip_fopen) X(zip_fread) X(zip_open) X(zip_open_from_source) \
	X(zip_source_buffer_create) X(zip_source_free) X(zip_stat)

#define XLSX_LIB_SLOT(f) __typeof__(f) *f;
struct xlsxw_lib {
	XLSXW_FUNCS(XLSX_LIB_SLOT)
};
struct zip_lib {
	ZIP_FUNCS(XLSX_LIB_SLOT)
};
#undef XLSX_LIB_SLOT

extern struct xlsxw_lib xlsxw_lib;
extern struct zip_lib zip_lib;

/* libxlsxwriter, libzip opened and their table filled (once); 0, or -1 and e. */
int	 xlsxw_lib_load(struct err *e);
int	 zip_lib_load(struct err *e);

#ifndef IMPORT_XLSX_LIB_TABLE	/* (import-xlsx-lib.c fills the tables by name) */
#define format_set_bold(...)		(xlsxw_lib.format_set_bold)(__VA_ARGS__)
#define format_set_num_format(...)	(xlsxw_lib.format_set_num_format)(__VA_ARGS__)
#define lxw_strerror(...)		(xlsxw_lib.lxw_strerror)(__VA_ARGS__)
#define workbook_add_format(...)	(xlsxw_lib.workbook_add_format)(__VA_ARGS__)
#define workbook_add_worksheet(...)	(xlsxw_lib.workbook_add_worksheet)(__VA_ARGS__)
#define workbook_close(...)		(xlsxw_lib.workbook_close)(__VA_ARGS__)
#define workbook_new(...)		(xlsxw_lib.workbook_new)(__VA_ARGS__)
#define workbook_new_opt(...)		(xlsxw_lib.workbook_new_opt)(__VA_ARGS__)
#define worksheet_freeze_panes(...)	(xlsxw_lib.worksheet_freeze_panes)(__VA_ARGS__)
#define worksheet_set_column(...)	(xlsxw_lib.worksheet_set_column)(__VA_ARGS__)
#define worksheet_write_datetime(...)	(xlsxw_lib.worksheet_write_datetime)(__VA_ARGS__)
#define worksheet_write_number(...)	(xlsxw_lib.worksheet_write_number)(__VA_ARGS__)
#define worksheet_write_string(...)	(xlsxw_lib.worksheet_write_string)(__VA_ARGS__)
#define zip_close(...)			(zip_lib.zip_close)(__VA_ARGS__)
#define zip_error_fini(...)		(zip_lib.zip_error_fini)(__VA_ARGS__)
#define zip_error_init(...)		(zip_lib.zip_error_init)(__VA_ARGS__)
#define zip_fclose(...)			(zip_lib.zip_fclose)(__VA_ARGS__)
#define zip_fopen(...)			(zip_lib.zip_fopen)(__VA_ARGS__)
#define zip_fread(...)			(zip_lib.zip_fread)(__VA_ARGS__)
#define zip_open(...)			(zip_lib.zip_open)(__VA_ARGS__)
#define zip_open_from_source(...)	(zip_lib.zip_open_from_source)(__VA_ARGS__)
#define zip_source_buffer_create(...)	(zip_lib.zip_source_buffer_create)(__VA_ARGS__)
#define zip_source_free(...)		(zip_lib.zip_source_free)(__VA_ARGS__)
#define zip_stat(...)			(zip_lib.zip_stat)(__VA_ARGS__)
#endif

#endif /* THIDUA_IMPORT_XLSX_LIB_H */
