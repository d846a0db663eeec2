/*
 * scope.h: the caller's subtree as a filter the engines apply while they
 * build a document (issue 18, point 3). A scoped caller (commander,
 * clerk, viewer) must get no record of a person outside their subtree;
 * the services take a `const struct scope_filter *` (NULL: everything) and ask
 * scope_keeps() about each subject before writing its row.
 */
#ifndef THIDUA_SCOPE_H
#define THIDUA_SCOPE_H

#include "err.h"

struct scope_filter {
	/* 1: in the subtree, 0: outside, -1: error (e set). */
	int	(*keep)(void *arg, const char *code, struct err *e);
	void	*arg;
};

static inline int
scope_keeps(const struct scope_filter *s, const char *code, struct err *e)
{
	return s == NULL || s->keep == NULL ? 1 : s->keep(s->arg, code, e);
}

#endif /* THIDUA_SCOPE_H */
