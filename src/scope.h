/*
 * scope.h: the caller's subtree as a filter the engines apply while they
 * build a document (issue 18, point 3). A scoped caller (commander,
 * clerk, viewer) must get no record of a person outside their subtree;
 * the services take a `const struct scope_filter *` (NULL: everything) and ask
 * scope_keeps() about each subject before writing its row.
 */
#ifndef THIDUA_SCOPE_H
#define THIDUA_SCOPE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct scope_filter {
	/* 1: in the subtree, 0: outside, -1: error (e set). */
	int	(*keep)(void *arg, const char *code, struct err *e);
	void	*arg;
	/*
	 * Optional, the same answer for every subject at once: the store ids
	 * of the subjects keep says 1 of, ascending, into *ids (malloc'd, the
	 * caller frees). 0 or -1 (e set). An engine holding store ids asks
	 * this once instead of keep per subject (a lookup each: 0.6 s at a
	 * million people).
	 */
	int	(*ids)(void *arg, int64_t **ids, size_t *n, struct err *e);
	/*
	 * Optional: the caller is about to ask keep of n codes, so that the
	 * filter chooses how to answer them all (many: the whole subtree
	 * read at once, not each looked up first).
	 */
	void	(*expect)(void *arg, size_t n);
};

static inline void
scope_expect(const struct scope_filter *s, size_t n)
{
	if (s != NULL && s->expect != NULL)
		s->expect(s->arg, n);
}

static inline int
scope_keeps(const struct scope_filter *s, const char *code, struct err *e)
{
	return s == NULL || s->keep == NULL ? 1 : s->keep(s->arg, code, e);
}

#endif /* THIDUA_SCOPE_H */
