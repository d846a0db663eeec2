/*
 * store-innovation.h: store operations behind the innovation register
 * (innovation.h) and the `innovation-details` import kind.
 */
#ifndef THIDUA_STORE_INNOVATION_H
#define THIDUA_STORE_INNOVATION_H

#include "innovation.h"
#include "import-kinds.h"

/*
 * How much of the authors a load reads: all of them (names, shares), or
 * for the groups alone (innov_group) only the unit of an innovation that
 * has none of its own, its first author's (INNOV_FIRST_UNIT, the groups
 * by unit), or nothing (the other groups). Reading every author's name
 * is a random read of the people table per author: 4.4 s for 600,000 at
 * a million people, the register's groups by year 8 s -> 0.3 s without.
 */
enum innov_authors { INNOV_AUTHORS, INNOV_FIRST_UNIT, INNOV_NO_AUTHORS };

/*
 * Load the innovations of years FROM..TO (and only CODE when it is not
 * NULL) with their authors as asked, shares and the awards resting on
 * them, into an empty snapshot. 0 or -1 (ERR_SYSTEM).
 */
int	 store_innovation_load(struct store *, int from, int to,
	    const char *code, enum innov_authors, struct innov_snap *,
	    struct err *);
/* The earliest and latest year in the register; 0 when it is empty. */
int	 store_innovation_years(struct store *, int *from, int *to,
	    struct err *);
/* Number of authors of innovation CODE, -1 on error. */
long	 store_innovation_nauthors(struct store *, const char *code,
	    struct err *);

int	 store_write_innovation_details(struct store *, const struct batch *,
	    struct err *);
int	 store_export_innovation_details(struct store *,
	    int (*)(void *, const char *const *), void *, struct err *);

#endif
