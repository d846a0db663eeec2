/*
 * store-award.h: the named store operations behind proposals, council
 * ballots, decisions, the append-only award ledger and the documents
 * printed from them (SQL in store-award.c; schema in sql/0006-*).
 *
 * Ownership: structs are filled by value (fixed-size fields). Pointers
 * handed to a row callback (verdict_json, summary_json, override) are
 * valid only during that call. Callers own transactions: every write
 * below runs inside the caller's store_begin()/store_commit().
 * Functions return 0 (or 1/0 for "found") and -1 after filling e.
 */
#ifndef THIDUA_STORE_AWARD_H
#define THIDUA_STORE_AWARD_H

#include <stdint.h>

#include "err.h"

struct store;

#define AWARD_CODE		33
#define AWARD_NAME		256
#define AWARD_TEXT		512
#define AWARD_HASH		65

/* A unit or a person, with the unit it belongs to (itself for a unit). */
struct award_subject {
	int64_t	 id;
	char	 code[AWARD_CODE];
	char	 kind[8];		/* "unit" | "person" */
	char	 name[AWARD_NAME];
	char	 category[32];		/* people only */
	char	 unit[AWARD_CODE];	/* the person's unit, or the unit */
	char	 unit_name[AWARD_NAME];
};

/* Find a subject by code: 1 found, 0 not, -1 error. */
int	 store_award_subject(struct store *, const char *code,
	    struct award_subject *, struct err *);

/* The enterprise: the first root unit by code. 1 found, 0 none, -1 error. */
int	 store_award_root_unit(struct store *, struct award_subject *,
	    struct err *);

/*
 * Dossier facts of a subject, for the achievement summary of a proposal.
 * fn(ctx, part, v, n) is called per row with text values:
 *  AWARD_D_RATING      year, rating                   (years from..to)
 *  AWARD_D_INNOVATION  code, title, year, level, benefit, kind
 *                                                     (authored, from..to)
 *  AWARD_D_AWARD       year, award, decision, date    (not revoked, up to `to`)
 *  AWARD_D_TASK        code, name, quantity, due      (a unit's tasks due
 *                                                     in from..to)
 */
enum award_dossier_part { AWARD_D_RATING, AWARD_D_INNOVATION, AWARD_D_AWARD,
	AWARD_D_TASK, AWARD_D__MAX };
int	 store_award_dossier_each(struct store *, int64_t subject_id,
	    int from, int to,
	    int (*fn)(void *, int part, const char *const *v, int n), void *ctx,
	    struct err *);

/* ---- proposals ---- */

struct award_proposal {
	int64_t	 id;
	int	 year;
	char	 award[AWARD_CODE];
	char	 movement[AWARD_CODE];	/* "" when not campaign-linked */
	char	 state[12];		/* draft submitted reviewed decided returned */
	char	 reason[AWARD_TEXT];	/* why returned, else "" */
	char	 created_at[24];
	char	 updated_at[24];
	char	 received[11];		/* the dossier's date of receipt */
};

int	 store_award_proposal_insert(struct store *, int year,
	    const char *award, const char *movement, const char *now,
	    int64_t *id, struct err *);
/*
 * The earliest grant of award to subject (a code) in the history, revoked
 * ones left out, other than in year skip (0: none skipped): 1 found (its
 * year, decision number and date, "" when unknown), 0 none, -1 error.
 */
int	 store_award_earlier(struct store *, const char *subject,
	    const char *award, int skip, int *year, char decision[AWARD_TEXT],
	    char date[11], struct err *);
/*
 * For a once-only award (struct award_info.once): ERR_CONFLICT naming the
 * earlier decision when subject already holds it (a year other than
 * year), else 0.
 */
int	 store_award_once_check(struct store *, const char *subject,
	    const char *award, int year, struct err *);
/* Record the day the proposal's dossier was received (YYYY-MM-DD). */
int	 store_award_proposal_set_received(struct store *, int64_t id,
	    const char *day, struct err *);
/* 1 found, 0 not, -1 error. */
int	 store_award_proposal_get(struct store *, int64_t id,
	    struct award_proposal *, struct err *);
int	 store_award_proposal_state(struct store *, int64_t id,
	    const char *state, const char *reason, const char *now,
	    struct err *);
/* Every proposal, newest first; year 0 = all years. */
int	 store_award_proposal_each(struct store *, int year,
	    int (*fn)(void *, const struct award_proposal *), void *ctx,
	    struct err *);

int	 store_award_candidate_insert(struct store *, int64_t proposal,
	    int64_t subject_id, const char *verdict, const char *verdict_json,
	    const char *summary_json, const char *based_on,
	    const char *override, struct err *);
int	 store_award_attach_insert(struct store *, int64_t proposal,
	    int64_t subject_id /* 0: whole proposal */, const char *path,
	    struct err *);

/* A candidate with its ballot (has_ballot 0 when none recorded yet). */
struct award_candidate {
	struct award_subject s;
	char		 verdict[16];
	const char	*verdict_json;
	const char	*summary_json;
	const char	*based_on;
	const char	*override;	/* NULL when none */
	int		 has_ballot;
	long		 members, present, written, yes;
	double		 min_pct;	/* -1: simple majority */
	int		 passed;
};
/* Candidates of a proposal in subject-code order. */
int	 store_award_candidate_each(struct store *, int64_t proposal,
	    int (*fn)(void *, const struct award_candidate *), void *ctx,
	    struct err *);
/* Attachments of a proposal: subject code ("" for the whole) and path. */
int	 store_award_attach_each(struct store *, int64_t proposal,
	    int (*fn)(void *, const char *subject, const char *path), void *ctx,
	    struct err *);

/* ---- ballots ---- */

struct award_ballot {
	int64_t	 proposal;
	int64_t	 subject_id;
	long	 members, present, written, yes;
	double	 min_pct;		/* -1: simple majority */
	int	 passed;
};
/* Record (or replace) the count for one candidate. */
int	 store_award_ballot_put(struct store *, const struct award_ballot *,
	    const char *now, struct err *);

/* ---- decisions ---- */

struct award_decision {
	int64_t	 id;
	int64_t	 proposal;
	char	 number[64];
	char	 date[11];
	char	 signer[AWARD_NAME];
	int64_t	 base_salary;
	long	 recipients;		/* ledger entries the decision appends */
};
int	 store_award_decision_insert(struct store *, struct award_decision *,
	    const char *now, struct err *);
/* By proposal id: 1 found, 0 not, -1 error. */
int	 store_award_decision_get(struct store *, int64_t proposal,
	    struct award_decision *, struct err *);
/*
 * Every decision with the recipients it recorded and the award entries
 * the ledger holds for its number, in decision order (ledger verify).
 */
int	 store_award_decision_counts(struct store *,
	    int (*fn)(void *, const char *number, long recorded, long found),
	    void *ctx, struct err *);
/*
 * Awards marked revoked whose award entry is in the ledger but no revoke
 * entry for the same year, subject and award is (a revocation cut from
 * the chain's end), by year, subject, award (ledger verify).
 */
int	 store_award_revoked_unrecorded(struct store *,
	    int (*fn)(void *, int year, const char *subject, const char *award),
	    void *ctx, struct err *);
/*
 * The last award entry decision NUMBER appended (its paper anchor):
 * 1 found, 0 none, -1 error.
 */
int	 store_award_decision_anchor(struct store *, const char *number,
	    int64_t *seq, char hash[AWARD_HASH], struct err *);
/* Base salary in force on DATE (YYYY-MM-DD): 1 found, 0 none, -1 error. */
int	 store_award_base_salary(struct store *, const char *date,
	    int64_t *amount, struct err *);

/* Award history (the awards table of 0001). */
int	 store_award_put(struct store *, int year, int64_t subject_id,
	    const char *award, const char *decision, const char *date,
	    const char *based_on, struct err *);
int	 store_award_revoke(struct store *, int year, const char *subject,
	    const char *award, struct err *);

/* One row of the year's awards (for reports and XLSX). */
struct award_row {
	int		 year;
	struct award_subject s;
	const char	*award;
	const char	*decision;
	const char	*date;
};
/* Non-revoked awards of years [from, to], by year, unit, award, subject. */
int	 store_award_each(struct store *, int from, int to,
	    int (*fn)(void *, const struct award_row *), void *ctx,
	    struct err *);

/* Recipients of decision NUMBER: its award entries not revoked, by seq. */
struct award_recipient {
	struct award_subject s;
	int64_t		 seq;
	int64_t		 amount;
	char		 hash[AWARD_HASH];
};
int	 store_award_recipient_each(struct store *, const char *number,
	    int (*fn)(void *, const struct award_recipient *), void *ctx,
	    struct err *);

/* ---- the ledger ---- */

struct ledger_entry {
	int64_t	 seq;
	char	 kind[8];		/* "award" | "revoke" */
	char	 decision[64];
	char	 date[11];
	char	 signer[AWARD_NAME];
	int	 year;
	char	 subject[AWARD_CODE];
	char	 award[AWARD_CODE];
	int64_t	 amount;		/* VND */
	char	 based_on[AWARD_TEXT];
	int64_t	 ref;			/* revoke: the entry revoked; else 0 */
	char	 reason[AWARD_TEXT];
	char	 prev_hash[AWARD_HASH];
	char	 hash[AWARD_HASH];
};

/* Serialise appends (PostgreSQL: an advisory lock until commit). 0 or -1. */
int	 store_award_ledger_lock(struct store *, struct err *);
/* Last entry's seq and hash: 1 found, 0 empty ledger, -1 error. */
int	 store_award_ledger_last(struct store *, int64_t *seq,
	    char hash[AWARD_HASH], struct err *);
int	 store_award_ledger_insert(struct store *, const struct ledger_entry *,
	    struct err *);
/* 1 found, 0 not, -1 error. */
int	 store_award_ledger_get(struct store *, int64_t seq,
	    struct ledger_entry *, struct err *);
/* 1 when a revoke entry already points at seq, 0 not, -1 error. */
int	 store_award_ledger_revoked(struct store *, int64_t seq, struct err *);
/* Entries in seq order; subject NULL for all, decision NULL for all. */
int	 store_award_ledger_each(struct store *, const char *subject,
	    const char *decision,
	    int (*fn)(void *, const struct ledger_entry *), void *ctx,
	    struct err *);

#endif /* THIDUA_STORE_AWARD_H */
