/*
 * http-mhd.c: libmicrohttpd's table of functions (http-mhd.h), filled
 * when the server starts.
 */
#define HTTP_MHD_TABLE
#include "dynlib.h"
#include "http-mhd.h"

struct mhd_lib mhd_lib;

#define MHD_NAME(f) #f,
#define MHD_ADDR(f) (void **)&mhd_lib.f,
static const char *const names[] = { MHD_FUNCS(MHD_NAME) };
static void **const slots[] = { MHD_FUNCS(MHD_ADDR) };

static struct dynlib lib = { "libmicrohttpd.so.12", "serve", names, slots,
    sizeof names / sizeof *names, 0, "" };

int
mhd_lib_load(struct err *e)
{
	return dynlib_load(&lib, e);
}
