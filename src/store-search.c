/*
 * store-search.c: the log of subjects written and one subject's row, for
 * the search index (store-search.h). The log is migration 0016's on
 * SQLite, 0024's on PostgreSQL.
 */
#include <stdlib.h>
#include <string.h>

#include "store-search.h"
#include "store.h"
#include "util.h"

static const char Q_SINCE[] =
    "SELECT seq, tag, subject_id FROM subject_log WHERE seq >= $1 "
    "ORDER BY seq LIMIT $2";
/* (the same unit as Q_PEOPLE in store-movement.c: the stay of the day) */
static const char Q_SUBJECT[] =
    "SELECT s.code, p.id IS NOT NULL, p.name, COALESCE(("
    "SELECT pu.unit_id FROM person_units pu WHERE pu.person_id = p.id AND "
    "pu.from_date <= $1 AND (pu.to_date IS NULL OR pu.to_date > $1) "
    "ORDER BY pu.from_date DESC LIMIT 1), p.unit_id), u.id IS NOT NULL, "
    "u.name, COALESCE(u.parent_id, 0) "
    "FROM subjects s LEFT JOIN people p ON p.id = s.id "
    "LEFT JOIN units u ON u.id = s.id WHERE s.id = $2";

int
store_search_mark(struct store *st, struct search_mark *m, struct err *e)
{
	memset(m, 0, sizeof *m);
	if (!store_table_exists(st, "subject_log"))
		return 0;
	return store_log_last(st, "subject_log", &m->seq, &m->tag, e) == 0 ?
	    1 : -1;
}

int
store_search_changes(struct store *st, const struct search_mark *since,
    size_t max, int64_t **ids, size_t *n, struct search_mark *now,
    struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_SINCE, e);
	size_t cap = 0, rows = 0;
	int rc, gone = 0;

	*ids = NULL;
	*n = 0;
	*now = *since;
	if (s == NULL)
		return -1;
	store_bind_int(s, 1, since->seq);
	store_bind_int(s, 2, (int64_t)max + 2);
	while ((rc = store_step(s)) == STORE_ROW) {
		int64_t id = store_col_int(s, 2);

		now->seq = store_col_int(s, 0);
		now->tag = store_col_int(s, 1);
		if (rows++ == 0) {
			/* the row at since must still be there, the same */
			if ((gone = now->seq != since->seq ||
			    now->tag != since->tag))
				break;
			continue;
		}
		if (id == 0)
			continue;	/* a mark */
		grow(ids, &cap, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = id;
	}
	store_reset(s);
	if (rc == STORE_ERR) {
		free(*ids);
		*ids = NULL;
		return store_err(st, e);
	}
	if (gone || rows == 0 || rows > max + 1) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return 1;
	}
	return 0;
}

int
store_search_subject(struct store *st, int64_t id, const char *day,
    char **code, char **name, int64_t *link, struct err *e)
{
	struct store_stmt *s = store_prepare_err(st, Q_SUBJECT, e);
	int rc, kind = 0;

	*code = *name = NULL;
	*link = 0;
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, day);
	store_bind_int(s, 2, id);
	if ((rc = store_step(s)) == STORE_ROW &&
	    (store_col_int(s, 4) != 0 || store_col_int(s, 1) != 0)) {
		int unit = store_col_int(s, 4) != 0;

		kind = unit ? 'u' : 'p';
		*code = xstrdup(store_col_text(s, 0));
		*name = xstrdup(store_col_text(s, unit ? 5 : 2));
		*link = store_col_int(s, unit ? 6 : 3);
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : kind;
}
