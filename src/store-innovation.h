/*
 * store-innovation.h: store operations behind the innovation register
 * (innovation.h) and the `innovation-details` import kind.
 */
#ifndef THIDUA_STORE_INNOVATION_H
#define THIDUA_STORE_INNOVATION_H

#include "innovation.h"
#include "import-kinds.h"

/*
 * Load the innovations of years FROM..TO (and only CODE when it is not
 * NULL) with their authors, shares and the awards resting on them, into
 * an empty snapshot. 0 or -1 (ERR_SYSTEM).
 */
int	 store_innovation_load(struct store *, int from, int to,
	    const char *code, struct innov_snap *, struct err *);
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
