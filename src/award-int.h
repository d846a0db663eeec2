/*
 * award-int.h: helpers shared by the award path's files (award-*.c),
 * private to the workflow; others use award.h.
 */
#ifndef THIDUA_AWARD_INT_H
#define THIDUA_AWARD_INT_H

#include <stdint.h>

#include "err.h"

struct store;
struct award_info;
struct award_proposal;

/* UTC time "YYYY-MM-DDTHH:MM:SSZ". */
void	 prop_now(char out[24]);
/* The proposal, or ERR_NOTFOUND. */
int	 prop_get(struct store *, int64_t id, struct award_proposal *,
	    struct err *);
/* Attach a file reference inside the caller's transaction. */
int	 prop_attach_in(struct store *, int64_t id, const char *subject,
	    const char *path, struct err *);

#endif /* THIDUA_AWARD_INT_H */
