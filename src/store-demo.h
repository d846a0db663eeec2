/*
 * store-demo.h: store operations the demo loader needs: whether the
 * database already holds data, emptying it (--force), and the settings
 * row that marks the database as illustrative data.
 */
#ifndef THIDUA_STORE_DEMO_H
#define THIDUA_STORE_DEMO_H

#include "err.h"

struct store;

/* Number of subjects (units and people); -1 on error. */
long	 store_demo_subjects(struct store *, struct err *);
/*
 * Empty every table except schema_migrations, the rule sets and
 * base_salary, in one transaction. 0 or -1.
 */
int	 store_demo_wipe(struct store *, struct err *);
/* Set settings KEY = VALUE (own transaction). 0 or -1. */
int	 store_demo_setting_put(struct store *, const char *key,
	    const char *value, struct err *);

/*
 * Read settings KEY into buf (at most sz bytes with the NUL): 1 found,
 * 0 absent (buf = ""), -1 on error.
 */
int	 store_demo_setting_get(struct store *, const char *key, char *buf,
	    unsigned long sz, struct err *);

#endif
