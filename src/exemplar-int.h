/*
 * exemplar-int.h: what exemplar.c and exemplar-svc.c share (not a public
 * interface): the rating names, defined in exemplar.c.
 */
#ifndef THIDUA_EXEMPLAR_INT_H
#define THIDUA_EXEMPLAR_INT_H

/* Indexed by struct ex_subject's rating: "-" (none), HTXSNV .. KHTNV. */
extern const char *const ex_rating_names[5];

#endif
