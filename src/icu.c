/*
 * icu.c: ICU's table of functions (icu.h), filled on the first call.
 * libicui18n's handle finds the functions of libicuuc too (dlsym
 * searches a library's dependencies); each is named with the version
 * suffix its headers would have given it.
 */
#define ICU_TABLE
#include "icu.h"

#include <stdio.h>
#include <stdlib.h>

#include "dynlib.h"

struct icu_lib icu_lib;
int icu_ready;

#define ICU_NAME(f) #f "_" U_ICU_VERSION_SHORT,
#define ICU_ADDR(f) (void **)&icu_lib.f,
static const char *const names[] = { ICU_FUNCS(ICU_NAME) };
static void **const slots[] = { ICU_FUNCS(ICU_ADDR) };

static struct dynlib lib = { "libicui18n.so." U_ICU_VERSION_SHORT, "ICU",
    names, slots, sizeof names / sizeof *names, 0, "" };

int
icu_load(struct err *e)
{
	if (dynlib_load(&lib, e) != 0)
		return -1;
	__atomic_store_n(&icu_ready, 1, __ATOMIC_RELEASE);
	return 0;
}

void
icu_load_or_exit(void)
{
	struct err e;

	if (icu_load(&e) == 0)
		return;
	fprintf(stderr, "thidua: %s\n", e.msg);
	exit(err_exit_code(ERR_SYSTEM));
}
