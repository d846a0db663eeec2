/*
 * snapbuild.h: an eligibility snapshot (struct elig_snap, elig.h) built
 * in memory from a few calls, with no database, so that tests can feed
 * the pure engine (elig_run) directly. The rows mean what the imports
 * mean (docs/import.md); snb_build() keeps what the store's loader
 * (store-rules.c) would keep for the year and derives the rest
 * (elig_snap_derive).
 *
 *	struct snb *b = snb_new();
 *	snb_unit(b, "Z", NULL, "enterprise", 0);
 *	snb_person(b, "P1", "Z", "employee", "2010-01-01");
 *	snb_rating(b, "P1", 2025, "HTTNV");
 *	snb_build(b, rs, 2025, &sn);	(elig_snap_free(&sn) later)
 *	snb_free(b);
 *
 * Codes are copied. Dates are YYYY-MM-DD, NULL for an open end. Any bad
 * argument (an unknown unit, rating or form) fails the running cmocka
 * test. Ownership: snb_new() returns a builder freed by snb_free(); the
 * snapshot snb_build() fills belongs to the caller.
 */
#ifndef THIDUA_TEST_SNAPBUILD_H
#define THIDUA_TEST_SNAPBUILD_H

#include <stdint.h>

#include "elig.h"
#include "rules.h"

struct snb;

struct snb	*snb_new(void);
void		 snb_free(struct snb *);

/* A unit; parent NULL for a root; kind a unit kind name ("workshop"). */
void	 snb_unit(struct snb *, const char *code, const char *parent,
	    const char *kind, int military);
/* A person in unit, of category ("employee", "officer", ...), joined. */
void	 snb_person(struct snb *, const char *code, const char *unit,
	    const char *category, const char *joined);
/* The person left on day; sex 'm', 'f' or 0. */
void	 snb_left(struct snb *, const char *person, const char *day);
void	 snb_sex(struct snb *, const char *person, char sex);
/* A stay of the evaluated year in unit (person_units), in order. */
void	 snb_stay(struct snb *, const char *person, const char *unit);
/* rating: "HTXSNV", "HTTNV", "HTNV", "KHTNV". */
void	 snb_rating(struct snb *, const char *subject, int year,
	    const char *rating);
/* An award of the history (ledger); based_on: innovation codes, ';'. */
void	 snb_award(struct snb *, const char *subject, int year,
	    const char *award, const char *based_on);
/* An innovation: kind "initiative", "research", "mechanisation"; level
 * "base", "ministry", "national"; benefit in VND. */
void	 snb_innovation(struct snb *, const char *code, int year,
	    const char *kind, const char *level, int64_t benefit);
void	 snb_author(struct snb *, const char *innovation, const char *person);
/* A period of service: kind (a free code) and its coefficient. */
void	 snb_service(struct snb *, const char *person, const char *from,
	    const char *to, const char *kind, double coef);
/* Discipline: form "pending", "reprimand", ... */
void	 snb_discipline(struct snb *, const char *subject, const char *form,
	    const char *from, const char *to);
/* An incident in unit: severity "minor" or "serious". */
void	 snb_incident(struct snb *, const char *unit, const char *day,
	    const char *severity);
/* A subject's score and rank in movement (or "regular") for the year. */
void	 snb_score(struct snb *, const char *movement, const char *subject,
	    double score, int rank);

/*
 * Fill sn for year under rs (rs names the awards of the history; its
 * campaign awards never count, as in the store's loader), derived and
 * ready for elig_run(). sn is overwritten.
 */
void	 snb_build(struct snb *, const struct ruleset *rs, int year,
	    struct elig_snap *sn);

/* The subject index of code in sn, or -1. */
long	 snb_subject(const struct elig_snap *, const char *code);

/* A rule set from YAML text (rules_parse); fails the test when invalid. */
struct ruleset *snb_rules(const char *yaml);

#endif
