/*
 * store-exemplar.h: store operations behind the exemplar register
 * (exemplar.h): the register and adoptions, and the snapshot of every
 * subject's history over a window of years that the engine reads.
 */
#ifndef THIDUA_STORE_EXEMPLAR_H
#define THIDUA_STORE_EXEMPLAR_H

#include <stddef.h>
#include <stdint.h>

#include "exemplar.h"

struct ex_row {
	int64_t	 id;
	char	 subject[33];
	int	 is_unit;
	char	 name[128];
	char	 field[256];
	char	 reason[512];
	int	 since;
	char	 min_rating[8];
	char	 award[33];		/* "" when none */
	long	 adoptions;
};

struct ex_adoption {
	char	 unit[33];
	char	 name[128];
	char	 adopted_on[11];
	char	 practice[256];
};

int	 store_exemplar_add(struct store *, const struct exemplar_new *,
	    int64_t *, struct err *);
int	 store_exemplar_adopt(struct store *, int64_t id, const char *unit,
	    const char *date, const char *practice, struct err *);
/* Exemplars (id 0: all, by id), malloc'd array; caller frees. */
int	 store_exemplar_rows(struct store *, int64_t id, struct ex_row **,
	    size_t *, struct err *);
int	 store_exemplar_adoptions(struct store *, int64_t id,
	    struct ex_adoption **, size_t *, struct err *);
/* The rating of SUBJECT in YEAR: 1..4, 0 none, -1 on error. */
int	 store_exemplar_rating(struct store *, const char *subject, int year,
	    struct err *);

/*
 * The subjects' history over years Y0 .. Y0 + EX_WINDOW - 1 (ratings,
 * innovations, discipline, serious incidents in the unit's subtree;
 * held: bit j when awards[j] was held that year, j below nawards <= 64;
 * the awards are read only when some are asked): of every subject
 * (EXW_ALL), or of every unit and only the people who authored an
 * innovation in the window (EXW_INNOVATORS: those discovery may name,
 * exemplar.h; at a million people a sixth of them), or of every unit and
 * the register's subjects, whose ratings and awards alone are read
 * (EXW_REGISTERED: the check). *out malloc'd, by code.
 */
enum exw_who { EXW_ALL, EXW_INNOVATORS, EXW_REGISTERED };
int	 store_exemplar_window(struct store *, int y0, enum exw_who,
	    const char *const *awards, int nawards, struct ex_subject **out,
	    size_t *n, struct err *);

#endif
