/*
 * store-import.h: store operations behind the foundation's import kinds
 * (import-kinds.c): one write/export pair per kind, plus whole-batch
 * checks that need the database (unit cycles, task-link cycles).
 */
#ifndef THIDUA_STORE_IMPORT_H
#define THIDUA_STORE_IMPORT_H

#include "import-kinds.h"

#define KIND_OPS(n) \
	int store_write_##n(struct store *, const struct batch *, struct err *); \
	int store_export_##n(struct store *, int (*)(void *, const char *const *), \
	    void *, struct err *);
KIND_OPS(units)
KIND_OPS(people)
KIND_OPS(ratings)
KIND_OPS(awards)
KIND_OPS(innovations)
KIND_OPS(discipline)
KIND_OPS(incidents)
KIND_OPS(records)
KIND_OPS(indicators)
KIND_OPS(tasks)
KIND_OPS(task_links)
KIND_OPS(progress)
KIND_OPS(service)
#undef KIND_OPS
/*
 * The rows of kind (ratings, awards, discipline, service, incidents) whose
 * subject, person or unit is code (innovations: whose authors include
 * the person), as that kind's export streams them,
 * read through the subject's index. 0, -1 with e set, 1 when the kind has
 * no such column (nothing read).
 */
int	 store_export_subject(struct store *, const char *kind, const char *code,
	    int (*)(void *, const char *const *), void *, struct err *);
/* The same, and for people the person coded code (for the audit's
 * before-rows of a small write: audit.c). */
int	 store_export_about(struct store *, const char *kind, const char *code,
	    int (*)(void *, const char *const *), void *, struct err *);
/* The same for the rows of the subtree of the unit whose id is unit, the
 * rows a scope rooted there sees (h-kinds.c's row_in; innovations: those
 * with an author inside), in the export's order (1: another kind, or a
 * subtree of over a quarter of the units, read faster by a scan); of
 * ratings and awards of that year only when year is over 0, of awards of
 * that award only when award is not NULL too (else the caller filters). */
int	 store_export_unit(struct store *, const char *kind, int64_t unit,
	    int year, const char *award, int (*)(void *, const char *const *),
	    void *, struct err *);
/* The same for one year's rows of ratings or awards (1: another kind);
 * of awards, of that award only when award is not NULL (other kinds:
 * award is not looked at, the caller filters). */
int	 store_export_year(struct store *, const char *kind, int year,
	    const char *award, int (*)(void *, const char *const *), void *,
	    struct err *);
/*
 * The page offset .. offset + limit of a list in its export's order
 * (people or units; ratings or awards of a year, year > 0; awards of one
 * award too, when award is set), of the whole organisation (unit 0) or
 * of the subtree of the unit whose id is unit (people, as
 * store_export_unit's rows, when the subtree is small), and in *total
 * how many rows the whole list has, read in one snapshot without reading
 * them all. 0, 1 when the store has no such page (another kind or
 * filter, a big subtree; nothing read), -1 with e set.
 */
int	 store_page(struct store *, const char *kind, int64_t unit, int year,
	    const char *award, int64_t offset, int64_t limit,
	    int (*row)(void *, const char *const *), void *d, int64_t *total,
	    struct err *e);

/* records on PostgreSQL: binary COPY while the rows are checked. */
extern const struct kind_stream store_records_stream;

/*
 * Award history rows the ledger wrote, or that a revocation withdrew
 * (check_awards keeps an import from replacing them). Strings are valid
 * during the call only; "" when empty.
 */
struct award_decided {
	int		 year;
	const char	*subject, *award, *decision, *date, *based_on;
	int		 revoked;
};
int	 store_import_awards_decided_each(struct store *,
	    int (*)(void *, const struct award_decided *), void *, struct err *);

void	 check_awards(struct import_ctx *, struct store *, const struct batch *);
void	 store_import_check_units(struct import_ctx *, struct store *,
	    const struct batch *);
void	 store_import_check_people(struct import_ctx *, struct store *,
	    const struct batch *);
void	 store_import_check_service(struct import_ctx *, struct store *,
	    const struct batch *);
void	 store_import_check_discipline(struct import_ctx *, struct store *,
	    const struct batch *);
void	 store_import_check_tasks(struct import_ctx *, struct store *,
	    const struct batch *);
void	 store_import_check_task_links(struct import_ctx *, struct store *,
	    const struct batch *);

#endif
