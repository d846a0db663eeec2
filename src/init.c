/*
 * init.c: post-migration steps of `thidua init`. Each step is a function
 * another module provides; a weak default keeps the build whole while
 * that module does not exist yet.
 */
#include <stddef.h>

#include "init.h"

int rules_init_default(struct store *, const char *, struct err *)
    __attribute__((weak));

int
init_hooks_run(struct store *st, const char *rules_file, struct err *e)
{
	if (rules_init_default != NULL)
		return rules_init_default(st, rules_file, e);
	return 0;
}
