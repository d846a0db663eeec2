/*
 * rules.h: rule sets as data. A rule set (YAML, see docs/rules.md and the
 * contract's "Rule sets (YAML)") is parsed and validated completely into
 * flat arrays: awards, clauses, and the awards' dependency order. Nothing
 * here touches the database; store-rules.h stores and fetches the YAML
 * text, and rules_award_info() (below) is the lookup others call.
 *
 * Ownership: rules_parse() returns a struct ruleset that the caller frees
 * with rules_free(); every string inside belongs to it.
 */
#ifndef THIDUA_RULES_H
#define THIDUA_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct store;
struct sb;

#define RULES_MAX_AWARDS	64	/* award sets are uint64_t masks */
#define RULES_MAX_YEARS		12	/* longest window a clause may ask for */
#define RULES_MAX_COEF		4	/* tenure coefficients per clause */

/* Ratings as stored per (subject, year): 0 = no rating. */
enum rating { RT_NONE, RT_KHTNV, RT_HTNV, RT_HTTNV, RT_HTXSNV, RT__MAX };
enum category { CAT_OFFICER, CAT_PRO_SOLDIER, CAT_SOLDIER, CAT_DEFENCE_WORKER,
	CAT_EMPLOYEE, CAT__MAX };
enum level { LV_NONE, LV_BASE, LV_MINISTRY, LV_NATIONAL, LV__MAX };
enum ikind { IK_INITIATIVE, IK_RESEARCH, IK_MECHANISATION, IK__MAX };
enum dform { DF_PENDING, DF_REPRIMAND, DF_WARNING, DF_DEMOTION, DF_DISMISSAL,
	DF__MAX };
enum severity { SEV_NONE, SEV_MINOR, SEV_SERIOUS };
enum ukind { UK_ENTERPRISE, UK_WORKSHOP, UK_DEPARTMENT, UK_TEAM, UK_UNION,
	UK_OTHER, UK__MAX };

enum clause_kind { CL_RATING, CL_AWARD, CL_INNOVATIONS, CL_TENURE,
	CL_NO_DISCIPLINE, CL_NO_INCIDENT, CL_MEMBERS, CL_SCORE, CL_ANY, CL_ALL,
	CL_NOT, CL__MAX };

enum members_mode { MM_MIN_PCT, MM_OVER_PCT, MM_MIN_COUNT };

/* One clause. Unused parameters are 0. */
struct rclause {
	enum clause_kind kind;
	int		 line, col;	/* in the YAML source */
	int		 min;		/* rating: enum rating; innovations: enum level */
	int		 consecutive;	/* consecutive_years, 0 = not given */
	int		 min_count;	/* 0 = not given */
	int		 within;	/* within_years, 0 = not given */
	int		 since_award;	/* award index + 1, 0 = not given */
	uint64_t	 awards;	/* award: code(s); members: award */
	unsigned	 kinds;		/* innovations: enum ikind mask, 0 = any */
	int64_t		 min_benefit;
	uint64_t	 unused_by;	/* innovations: award mask */
	int		 min_months;	/* tenure */
	int		 ever;		/* rating, award: every year up to this one */
	int		 max_months;	/* tenure: at most (inclusive), 0 = none */
	int		 continuous;	/* tenure: only the last unbroken period */
	int		 f_min_months;	/* tenure, women: 0 = as min_months */
	int		 f_max_months;	/* tenure, women: 0 = as max_months */
	int		 ncoef;		/* tenure: coefficients by service kind */
	struct rcoef { char kind[17]; double coef; } coef[RULES_MAX_COEF];
	unsigned	 forms;		/* no_discipline: enum dform mask */
	int		 severity;	/* no_incident: enum severity (at least) */
	int		 m_rating;	/* members: rating_min, RT_NONE if award */
	enum members_mode m_mode;
	double		 m_value;	/* pct or count */
	char		 movement[33];	/* score: code or "regular" */
	double		 min_points;	/* score: < 0 when not given */
	int		 max_rank;	/* score: 0 when not given */
	int		 kid0, nkid;	/* any/all/not: indexes into ruleset.kids */
};

enum quota_of { QO_AWARDS, QO_MEMBERS };

struct raward {
	char		 code[33];
	char		*name_vi, *name_en, *basis;
	int		 family;	/* 0 title, 1 commendation, 2 thematic */
	unsigned	 subject;	/* 1 person, 2 unit (mask) */
	unsigned	 categories;	/* enum category mask; 0 = all */
	int		 military;	/* -1 any, 0 or 1 */
	int		 level;		/* enum level */
	int		 campaign;
	int		 once;		/* granted at most once to a subject */
	int		 root;		/* index of the implicit "all" clause */
	int		 has_quota;
	double		 quota_pct;
	enum quota_of	 quota_of;
	uint64_t	 quota_awards;
	int		 quota_scope;	/* enum ukind */
	double		 ballot_pct;	/* -1 when none */
	double		 cash;		/* × base salary, 0 when none */
	int		 line, col;
};

struct ruleset {
	char		 code[33];
	int32_t		 effective;	/* day number */
	int		 thresholds[3];	/* HTXSNV, HTTNV, HTNV minimum scores */
	struct raward	*awards;
	int		 naward;
	struct rclause	*cl;
	int		 ncl;
	int		*kids;
	int		 nkids;
	int		 order[RULES_MAX_AWARDS];	/* dependency order */
	uint64_t	 before[RULES_MAX_AWARDS];	/* awards earlier in order */
	uint64_t	 text_hash;	/* FNV-1a of the YAML it was parsed from */
};

/*
 * Parse and validate a whole rule set. name is used in error locations
 * (FILE:LINE:COLUMN). Returns NULL with e filled (ERR_USER) on the first
 * problem: unknown keys or clause kinds, wrong types, unknown award codes,
 * cycles between awards.
 */
struct ruleset *rules_parse(const char *name, const char *text, size_t len,
		    struct err *);
void		 rules_free(struct ruleset *);
/* Index of award CODE, or -1. */
int		 rules_award_index(const struct ruleset *, const char *code);
/*
 * The movements whose scores the rule set reads, into names (borrowed from
 * rs): "regular" first when an award has a quota, then each score
 * clause's movement once, in clause order. Returns how many.
 */
int		 rules_score_movements(const struct ruleset *,
		    const char *names[RULES_MAX_AWARDS + 1]);

/*
 * Whether tenure clause cl reads only the joining day, min_months and
 * max_months (no thresholds by sex): the engine may then leave it a hole
 * in a result's class (elig-class.c) for people without service rows,
 * the key holding only whether the months are under, within or over.
 */
static inline int
rules_tenure_simple(const struct rclause *cl)
{
	return cl->f_min_months == 0 && cl->f_max_months == 0;
}

/* Names for the enums above (the YAML / CSV spelling). */
extern const char *const rules_rating_names[RT__MAX];
extern const char *const rules_category_names[CAT__MAX];
extern const char *const rules_level_names[LV__MAX];
extern const char *const rules_ikind_names[IK__MAX];
extern const char *const rules_dform_names[DF__MAX];
extern const char *const rules_ukind_names[UK__MAX];
extern const char *const rules_clause_names[CL__MAX];
/* Index of s in names[0..n-1], or -1. */
int		 rules_name_index(const char *const *names, int n, const char *s);

/* Print the rule set (or one award when code != NULL) readably. 0 or -1. */
int		 rules_show(const struct ruleset *, const char *code, struct sb *,
		    struct err *);

/*
 * What changed from rule set a to b, award by award, into out: "- CODE"
 * removed, "+ CODE" added, "~ CODE" changed with its lines that differ.
 * Returns the number of changes.
 */
int		 rules_diff(const struct ruleset *a, const struct ruleset *b,
		    struct sb *out);

/* The embedded default rule set (rules/vn-2022.yaml), built into the binary. */
extern const char rules_default_yaml[];
extern const size_t rules_default_yaml_len;

/*
 * Load FILE (or the embedded default when file is NULL) into the store,
 * unless the same code + effective with the same content is there already.
 * Called by `thidua init`.
 */
int		 rules_init_default(struct store *, const char *file, struct err *);
/*
 * Validate FILE whole, then store it as a version. *changed: 1 when it
 * was new or differed. *out (when not NULL) receives the parsed set.
 */
int		 rules_load_file(struct store *, const char *file, int *changed,
		    struct ruleset **out, struct err *);

/*
 * The rule set in force for YEAR (latest effective on or before Y-12-31),
 * or the one named code (its latest version) when code != NULL. Caller
 * frees with rules_free(). NULL with e filled (ERR_NOTFOUND) when none.
 */
struct ruleset	*rules_for_year(struct store *, int year, const char *code,
		    struct err *);

/*
 * The code of the rule set in force on day (YYYY-MM-DD: the latest
 * effective on or before it) into code. 0, or -1 (ERR_NOTFOUND).
 */
int		 rules_code_on(struct store *, const char *day, char code[33],
		    struct err *);

/* What others need to know about one award (proposals, decisions). */
struct award_info {
	char		 rule_set[33];
	char		 code[33];
	char		 name_vi[160];
	char		 name_en[160];
	char		 basis[512];
	char		 family[16];	/* "title" | "commendation" */
	char		 level[16];	/* "base" | "ministry" | "national" */
	int		 campaign;
	int		 once;		/* granted at most once to a subject */
	double		 min_pct_of_members;	/* ballot threshold, -1 when none */
	double		 cash_coefficient;	/* × base salary, 0 when none */
};
/* 0, or -1 with ERR_NOTFOUND when the award is not in the year's rule set. */
int		 rules_award_info(struct store *, int year, const char *award_code,
		    struct award_info *out, struct err *);

#endif /* THIDUA_RULES_H */
