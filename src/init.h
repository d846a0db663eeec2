/*
 * init.h: what `thidua init` does after migrating. The rules engine
 * provides rules_init_default() (weak placeholder until it exists), which
 * loads the default rule set, or FILE when --rules was given.
 */
#ifndef THIDUA_INIT_H
#define THIDUA_INIT_H

#include "err.h"

struct store;

int	init_hooks_run(struct store *, const char *rules_file, struct err *);

#endif
