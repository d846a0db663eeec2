/*
 * import-xlsx-lib.c: the tables of libxlsxwriter's and libzip's
 * functions (import-xlsx-lib.h), filled when a workbook is first written
 * or read.
 */
#define IMPORT_XLSX_LIB_TABLE
#include "dynlib.h"
#include "import-xlsx-lib.h"

struct xlsxw_lib xlsxw_lib;
struct zip_lib zip_lib;

#define XLSX_NAME(f) #f,
#define XLSXW_ADDR(f) (void **)&xlsxw_lib.f,
#define ZIP_ADDR(f) (void **)&zip_lib.f,
static const char *const xlsxw_names[] = { XLSXW_FUNCS(XLSX_NAME) };
static void **const xlsxw_slots[] = { XLSXW_FUNCS(XLSXW_ADDR) };
static const char *const zip_names[] = { ZIP_FUNCS(XLSX_NAME) };
static void **const zip_slots[] = { ZIP_FUNCS(ZIP_ADDR) };

static struct dynlib xlsxw = { "libxlsxwriter.so.4", "XLSX", xlsxw_names,
    xlsxw_slots, sizeof xlsxw_names / sizeof *xlsxw_names, 0, "" };
static struct dynlib zipl = { "libzip.so.4", "XLSX", zip_names, zip_slots,
    sizeof zip_names / sizeof *zip_names, 0, "" };

int
xlsxw_lib_load(struct err *e)
{
	return dynlib_load(&xlsxw, e);
}

int
zip_lib_load(struct err *e)
{
	return dynlib_load(&zipl, e);
}
