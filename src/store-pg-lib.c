/*
 * store-pg-lib.c: libpq's table of functions (store-pg-lib.h), filled
 * when the first PostgreSQL connection opens.
 */
#define STORE_PG_LIB_TABLE
#include "dynlib.h"
#include "store-pg-lib.h"

struct pq_lib pq_lib;

#define PQ_NAME(f) #f,
#define PQ_ADDR(f) (void **)&pq_lib.f,
static const char *const names[] = { PQ_FUNCS(PQ_NAME) };
static void **const slots[] = { PQ_FUNCS(PQ_ADDR) };

static struct dynlib lib = { "libpq.so.5", "PostgreSQL", names, slots,
    sizeof names / sizeof *names, 0, "" };

int
pq_lib_load(struct err *e)
{
	return dynlib_load(&lib, e);
}
