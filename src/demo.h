/*
 * demo.h: the Z121 demo enterprise (illustrative data modelled on the
 * article about Factory Z121, 2014–2019, continued up to the current
 * year). docs/demo.md lists what is generated.
 *
 * demo_generate() builds every kind as CSV text (and the movements as
 * YAML) from a seeded PRNG: the same run date gives the same data; the
 * current year's key tasks are placed relative to TODAY so that the
 * schedule shows work at risk now. demo_load() feeds them through the
 * generic import (import.h) and movement_load_buffer() (movement.h).
 *
 * Ownership: a struct demo_data owns its buffers; demo_data_free().
 */
#ifndef THIDUA_DEMO_H
#define THIDUA_DEMO_H

#include <stdint.h>

#include "err.h"
#include "util.h"

struct store;

#define DEMO_FIRST_YEAR	2014
#define DEMO_MAXKINDS	20
#define DEMO_LAST_YEAR	2100	/* later run dates generate up to here */
#define DEMO_MAXMV	(4 * (DEMO_LAST_YEAR - DEMO_FIRST_YEAR + 1))

struct demo_data {
	int		 from, to;		/* 2014 .. the current year */
	int32_t		 today;
	size_t		 nkinds;
	const char	*kind[DEMO_MAXKINDS];	/* import kind names, load order */
	struct sb	 csv[DEMO_MAXKINDS];
	long		 rows[DEMO_MAXKINDS];
	size_t		 nmv;
	char		 mv_code[DEMO_MAXMV][33];
	struct sb	 mv_yaml[DEMO_MAXMV];
	struct sb	 targets;		/* targets kind CSV (movements area) */
	long		 ntargets;
};

/* Generate the demo as of day TODAY (a day number). Never fails. */
void	 demo_generate(int32_t today, struct demo_data *);
void	 demo_data_free(struct demo_data *);

struct demo_summary {
	long	 rows[DEMO_MAXKINDS];
	const char *kind[DEMO_MAXKINDS];
	size_t	 nkinds;
	long	 movements, targets, exemplars;
	int	 from, to;
};

/*
 * Load the demo into ST. Refuses (ERR_CONFLICT) when the database already
 * holds units or people, unless FORCE, which first empties it (every
 * table but the schema version, the rule sets, the base salary table and
 * the append-only award ledger and audit trail). If a step fails, what
 * the demo had written is removed again. 0 or -1.
 */
int	 demo_load(struct store *, int force, int32_t today,
	    struct demo_summary *, struct err *);

#endif /* THIDUA_DEMO_H */
