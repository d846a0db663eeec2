/*
 * proposal-int.h: helpers shared by proposal*.c, ballot.c and
 * decision*.c (private to the workflow; others use proposal.h).
 */
#ifndef THIDUA_PROPOSAL_INT_H
#define THIDUA_PROPOSAL_INT_H

#include <stdint.h>

#include "err.h"

struct store;
struct award_info;
struct sl_proposal;

/* UTC time "YYYY-MM-DDTHH:MM:SSZ". */
void	 prop_now(char out[24]);
/* The proposal, or ERR_NOTFOUND. */
int	 prop_get(struct store *, int64_t id, struct sl_proposal *,
	    struct err *);
/* Attach a file reference inside the caller's transaction. */
int	 prop_attach_in(struct store *, int64_t id, const char *subject,
	    const char *path, struct err *);

#endif /* THIDUA_PROPOSAL_INT_H */
