/*
 * store-search.h: what the server's folded search index (h-search.c)
 * reads to follow writes without being built again: subject_log
 * (migration 0016 on SQLite, 0024 on PostgreSQL: the ids of the subjects
 * whose units, people or stays rows were written, in commit order) and
 * one subject's row again. Databases before those have no log: the index
 * is then built again after every change of the "elig-base" generation.
 */
#ifndef THIDUA_STORE_SEARCH_H
#define THIDUA_STORE_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;

/* A place in the log: its row seq and that row's tag. */
struct search_mark {
	int64_t		 seq, tag;
};

/*
 * The log's last row into m: 1, 0 when there is no log (a database
 * before 0016, PostgreSQL's before 0024), -1 with e filled.
 */
int	 store_search_mark(struct store *, struct search_mark *m, struct err *);

/*
 * The subject ids logged after `since` (repeats possible; at most max),
 * malloc'd into *ids (the caller frees), and the last row into *now: 0;
 * 1 when the log no longer holds the row at `since` (emptied past it,
 * another history) or holds more than max ids after it: build again;
 * -1 with e filled.
 */
int	 store_search_changes(struct store *, const struct search_mark *since,
	    size_t max, int64_t **ids, size_t *n, struct search_mark *now,
	    struct err *);

/*
 * Subject id as the index holds it on day (YYYY-MM-DD): 'u' a unit (*link
 * its parent, 0 none), 'p' a person (*link its unit that day, as
 * store_movement_people says), with code and name malloc'd (the caller
 * frees); 0 none (deleted, or a subjects row without its units or people
 * row yet); -1 with e filled.
 */
int	 store_search_subject(struct store *, int64_t id, const char *day,
	    char **code, char **name, int64_t *link, struct err *);

#endif /* THIDUA_STORE_SEARCH_H */
