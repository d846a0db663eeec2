/*
 * elig.h: the eligibility engine and its service functions.
 *
 * The engine is pure C over a snapshot (struct elig_snap: flat arrays
 * indexed by dense subject, innovation and unit numbers) that the store
 * streams in (store-rules.h). It evaluates every award of a rule set in
 * dependency order over all subjects, applies quotas, and explains each
 * verdict (clause by clause, with evidence and what is missing) when the
 * results are written out.
 *
 * Service functions (called by the CLI, the HTTP server and proposals):
 *   elig_json()     the contract's JSON document into a struct sb
 *   elig_verdict()  one subject and one award, for proposals
 *
 * Ownership: elig_snap_free() frees a snapshot; elig_verdict_free()
 * frees what elig_verdict() allocated in its out struct.
 */
#ifndef THIDUA_ELIG_H
#define THIDUA_ELIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "rules.h"

struct store;
struct sb;

#define ELIG_NY		RULES_MAX_YEARS	/* years of history: year-11 .. year */
#define ELIG_NODAY	INT32_MAX	/* an open date */

enum elig_verdict_kind { EV_NA, EV_ELIGIBLE, EV_INELIGIBLE, EV_OVER_QUOTA,
	EV_HELD };
extern const char *const elig_verdict_names[];

struct elig_disc { int32_t from, to; uint8_t form; };
/* A period of service (the `service` import): days, an open end is
 * ELIG_NODAY; the kind's code (an offset into the arena); the coefficient
 * its months count with. */
struct elig_svc { int32_t from, to; uint32_t kind; float coef; };
struct elig_incident { int32_t day; int32_t unit; uint8_t severity; };

/* Scores of one movement (or "regular") for the year, per subject. */
struct elig_scores {
	char		 movement[33];
	double		*score;		/* nsubj; NAN when the subject has none;
					 * NULL when no subject has one */
	int		*rank;		/* nsubj; 0 when none; NULL likewise */
	int		 available;	/* 0: the movements module is absent */
};

/*
 * The snapshot. Subjects are numbered units first (0 .. nunit-1), then
 * people (nunit .. nsubj-1). Year index yi = year - (snap.year - ELIG_NY + 1).
 */
struct elig_snap {
	int		 year;
	size_t		 nunit, nperson, nsubj;
	char		*arena;		/* codes, NUL-terminated */
	size_t		 alen, acap;
	uint32_t	*code;		/* nsubj: offset into arena */
	uint8_t		*rating;	/* nsubj × ELIG_NY, enum rating */
	uint64_t	*hist;		/* nsubj × ELIG_NY, awards held (ledger) */
	uint64_t	*ever;		/* nsubj: awards held before the window */
	uint8_t		*ever_rt;	/* nsubj: ratings had before the window
					 * (a bit per enum rating) */
	/* units */
	int32_t		*parent;	/* nunit, -1 for a root */
	uint8_t		*ukind;		/* enum ukind */
	uint8_t		*military;
	/* people (index p = subject - nunit) */
	uint8_t		*category;	/* enum category */
	int32_t		*joined, *left;	/* day numbers; left ELIG_NODAY when none */
	uint8_t		*sex;		/* 0 unknown, 1 male, 2 female */
	uint32_t	*svc_off;	/* nperson + 1: service periods, by from */
	struct elig_svc	*svc;
	int32_t		*home;		/* unit during the year (the last stay) */
	uint32_t	*stay_off;	/* nperson + 1: units stayed in during the year */
	int32_t		*stay;
	/* innovations */
	size_t		 ninnov;
	uint32_t	*icode;
	int16_t		*iyear;
	uint8_t		*ilevel, *ikind;
	int64_t		*ibenefit;
	uint64_t	*iused;		/* awards of the ledger resting on it */
	uint32_t	*auth_off;	/* nperson + 1 → innovations authored */
	uint32_t	*auth;
	/* discipline per subject, incidents per unit */
	uint32_t	*disc_off;	/* nsubj + 1 */
	struct elig_disc *disc;
	struct elig_incident *inc;	/* sorted by unit */
	size_t		 ninc;
	int64_t		*sid;		/* nsubj: the store's subject id (units,
					 * then people, each in id order), which
					 * a copy's update finds subjects by */
	/*
	 * Derived (elig_snap_derive, elig-derive.c): what every evaluation
	 * reads besides the rows above, built once per snapshot and kept in
	 * its copy. Members of each unit (rated people of its subtree during
	 * the year), each list in the people's order: a person in one unit
	 * all year (one stay at most) is in that unit's dir list only, one
	 * who moved in the ext list of each unit of the year and its
	 * ancestors; a unit's members are the dir lists of its subtree's
	 * units (sub, itself included) and its ext list.
	 */
	uint32_t	*dir_off, *dir;	/* nunit + 1 */
	uint32_t	*ext_off, *ext;	/* nunit + 1 */
	uint32_t	*sub_off;	/* nunit + 1 */
	int32_t		*sub;
	uint32_t	*nmem;		/* nunit: how many */
	uint32_t	*joined_ymd;	/* nperson: joined as (year * 12 + month
					 * - 1) << 5 | day */
	uint32_t	*authp;		/* by authorship (auth): the innovation's
					 * year, level, kind (elig_authp) */
	uint8_t		*held;		/* nsubj: an open pending case */
	uint64_t	*hist_y;	/* nsubj: hist of the year (counted by
					 * members clauses, read in a row) */
	char		*joined_text;	/* nperson × 10: joined as YYYY-MM-DD */
	/* scores, filled by the service before evaluation */
	struct elig_scores *scores;
	int		 nscores;
	/* when read from a copy (snapcache-elig.h): the arrays above point into
	 * this private mapping, unmapped by elig_snap_free; else NULL */
	void		*map;
	size_t		 maplen;
	/* arrays made again over a mapped copy (snapcache-elig.c): malloc'd,
	 * freed by elig_snap_free even when map is set */
	void		*own[16];
	int		 nown;
	/* a copy of the snapshot still being written from its arrays, on a
	 * thread beside its report (snapcache-elig.c): join(join_arg) waits
	 * for it and frees the job; elig_snap_free calls it first */
	void		(*join)(void *);
	void		*join_arg;
};
void	 elig_snap_free(struct elig_snap *);
/* Build sn's derived arrays from its rows (after loading them). */
void	 elig_snap_derive(struct elig_snap *);
/* Only the members (what a rating of the year changes): elig-derive.c's
 * first part; the arrays it makes are malloc'd, the old ones left as
 * they are (the caller owns both). */
void	 elig_snap_derive_members(struct elig_snap *);
/* Append code to the arena; returns its offset. */
uint32_t elig_snap_code(struct elig_snap *, const char *code);

/* Engine state: verdicts and what this year's evaluation granted. */
struct elig_run {
	const struct ruleset	*rs;
	struct elig_snap	*sn;
	uint8_t			*verdict;	/* nsubj × naward, enum elig_verdict_kind */
	uint64_t		*now;		/* nsubj: eligible this year */
	uint64_t		*inow;		/* ninnov: rested on this year */
	uint16_t		*inc_sub;	/* nunit × ELIG_NY × 2: subtree incidents */
	uint16_t		*cls;		/* nsubj × naward: the result's class
						 * (elig-class.c), 0 none */
	int32_t			*qrank[RULES_MAX_AWARDS];	/* quota awards: rank in scope, nsubj */
	int32_t			*qcap[RULES_MAX_AWARDS];	/* quota awards: cap per scope unit */
	int32_t			*qn[RULES_MAX_AWARDS];	/* quota awards: N per scope unit */
	int32_t			**memk;		/* rs->ncl: for a members clause, per unit,
						 * 1 + members meeting it, 0 = not counted */
	uint8_t			**meets;	/* rs->ncl: for a members clause counted,
						 * per subject whether the person meets it
						 * (a clause asking what an earlier one
						 * asked shares its array), else NULL */
	uint64_t		*memk_now;	/* rs->ncl: this year's awards a members
						 * clause's count read (awards before its own) */
	int			 regular;	/* index into sn->scores or -1 */
	long long		 nclauses;	/* clause evaluations (for --timing) */
	long long		 nresults;	/* verdicts decided */
	long long		 nshared;	/* of them, taken from their class */
};

/*
 * Evaluate every award for every fitting subject, in the rule set's
 * order; with last >= 0, stop after award last (later awards cannot
 * change it; their verdicts stay EV_NA). Results are sorted into classes
 * (r->cls) for the writer; holes: the format it will write is not CSV.
 * 0 or -1.
 */
int	 elig_run(struct elig_run *, const struct ruleset *, struct elig_snap *,
	    int last, int holes, struct err *);
void	 elig_run_free(struct elig_run *);

/*
 * Write the results as the contract's JSON (fmt 0), a table (1) or CSV (2)
 * for the subjects/awards selected (-1 = all), only the verdicts in the
 * verdicts bits (0 = all) and the subjects keep marks (NULL = all), of
 * the subjects with one listed those from the offset-th, limit of them (0:
 * every one; struct elig_query). With put NULL the whole document is appended to out; else out holds only the
 * opening and closing and the document goes to put(iov, n, arg) in pieces
 * (n <= IOV_MAX; put may change iov; 0 ok, -1 stops with -1), pieces
 * that point at the writer's own memory, valid only during the call.
 */
enum elig_out { ELIG_JSON, ELIG_TABLE, ELIG_CSV };
struct iovec;
int	 elig_write(struct elig_run *, enum elig_out, long subject, int award,
	    unsigned verdicts, const uint8_t *keep, long offset, long limit,
	    struct sb *out, int (*put)(struct iovec *, int, void *), void *arg);

/*
 * What the CLI and server ask for. NULL members mean "all" / "in force".
 * Optional filters of the results listed (the evaluation itself is whole:
 * quotas and members see every subject): verdicts, a bit per enum
 * elig_verdict_kind (0 = every verdict); keep, called once per subject
 * code, 1 to list its results, 0 not, -1 to stop with e filled (NULL =
 * every subject); unit, a unit's code: only its subtree (the unit, its
 * sub-units, and the people whose unit during the year, their last stay,
 * is one of them; NULL = every subject); offset and limit, when over 0:
 * the subjects that have a result listed are passed over up to the
 * offset-th, and only the results of the next limit of them are listed
 * (the counts of a verdict filter still count them all; JSON says
 * "more": whether any was left out after them).
 */
struct elig_query {
	int		 year;
	const char	*subject;
	const char	*award;
	const char	*rule_set;
	unsigned	 verdicts;
	int		(*keep)(void *arg, const char *code, struct err *e);
	void		*keep_arg;
	/* optional, with keep: the ids of every subject keep keeps, at once
	 * (struct scope_filter's ids, with keep_arg) */
	int		(*keep_ids)(void *arg, int64_t **ids, size_t *n,
			    struct err *e);
	long		 limit;
	long		 offset;
	const char	*unit;
};
/* The verdict bits of a comma-separated list of verdict names, or -1. */
long	 elig_verdict_mask(const char *list);

/* Timings of the last elig_json/elig_stream (seconds), for --timing. */
struct elig_timing { double load, eval, write; long long clauses, results, shared; };

/* The contract's JSON document into out. 0 or -1. */
int	 elig_json(struct store *, const struct elig_query *, struct sb *out,
	    struct err *);
/* Same, in any output form, written to f in pieces (for the CLI). */
int	 elig_stream(struct store *, const struct elig_query *, enum elig_out,
	    FILE *f, struct elig_timing *, struct err *);
/*
 * on: keep the last evaluations in memory, for the next requests that
 * find them current (a server: elig-svc.c says when); off: free those
 * kept and keep none (the default, a command's one evaluation).
 */
void	 elig_keep(int on);

struct elig_verdict {
	char		 verdict[16];	/* "eligible", "ineligible", "over_quota", "held" */
	char		*reasons;	/* what is missing (or the clauses when nothing is):
					 * a Vietnamese line, "\n", an English line; malloc'd */
	char		**based_on;	/* innovation codes, malloc'd array of malloc'd */
	size_t		 nbased_on;
};
/*
 * One subject and one award (ERR_NOTFOUND when the subject or award is
 * unknown or the award does not apply to the subject). Free the out
 * struct with elig_verdict_free().
 */
int	 elig_verdict(struct store *, int year, const char *subject,
	    const char *award, const char *rule_set, struct elig_verdict *out,
	    struct err *);
void	 elig_verdict_free(struct elig_verdict *);

#endif /* THIDUA_ELIG_H */
