/*
 * award-pdf-lib.c: libharu's table of functions (award-pdf-lib.h),
 * filled when the first PDF is made.
 */
#define AWARD_PDF_LIB_TABLE
#include "award-pdf-lib.h"
#include "dynlib.h"

struct hpdf_lib hpdf_lib;

#define HPDF_NAME(f) #f,
#define HPDF_ADDR(f) (void **)&hpdf_lib.f,
static const char *const names[] = { HPDF_FUNCS(HPDF_NAME) };
static void **const slots[] = { HPDF_FUNCS(HPDF_ADDR) };

static struct dynlib lib = { "libhpdf-2.3.0.so", "PDF", names, slots,
    sizeof names / sizeof *names, 0, "" };

int
hpdf_lib_load(struct err *e)
{
	return dynlib_load(&lib, e);
}
