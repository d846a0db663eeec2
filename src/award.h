/*
 * award.h: the award workflow as service functions shared by the CLI
 * and the HTTP server: proposals and their dossiers, the council's secret
 * ballot counts, numbered decisions (appended to the ledger, award-ledger.h),
 * the printable document model, and prompt recognition of a campaign.
 *
 * States: draft → submitted (by the unit) → reviewed (by the council) →
 * decided; submitted or reviewed → returned (with a reason); returned →
 * submitted again. Every write is one transaction: all or nothing.
 *
 * JSON documents are appended to the caller's struct sb (the caller owns
 * and frees it). Functions return 0, or -1 with e filled.
 */
#ifndef THIDUA_AWARD_H
#define THIDUA_AWARD_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"

struct store;
struct sb;
struct doc_decision;

#define PROPOSAL_MAXSUBJ 4096

struct propose_req {
	int		 year;
	const char	*award;
	const char	*movement;	/* campaign-linked, or NULL */
	const char	*const *subjects; /* NULL/0: every eligible subject */
	int		 nsubjects;
	const char	*override;	/* admin's written justification: admits
					   subjects that are not eligible */
	const char	*const *attach;	/* file references: "PATH" for the
					   proposal, "CODE=PATH" for one candidate */
	int		 nattach;
	const char	*rule_set;	/* NULL: the one in force */
	const char	*const *auto_just; /* per subject (recognise): a
					   justification used when not eligible */
	const char	*received;	/* the dossier's date of receipt
					   (YYYY-MM-DD), NULL: today */
};

/*
 * Create a proposal in state draft with its candidates, each with the
 * eligibility explanation at the time of proposing (the verdict's JSON)
 * and an achievement summary (ratings, innovations with benefit, tasks,
 * previous awards). A subject that is not eligible is refused with its
 * reasons (ERR_USER, nothing written) unless override is given.
 */
int	 proposal_create(struct store *, const struct propose_req *,
	    int64_t *id, struct err *);
/* {"proposal": ID, "year", "award", "movement", "state", "reason",
 *  "candidates": [{"subject","name","kind","unit","verdict","override",
 *  "based_on","eligibility","summary","attachments","ballot"}],
 *  "attachments": [...], "decision": null|{...}} */
int	 proposal_json(struct store *, int64_t id, struct sb *out,
	    struct err *);
/* {"proposals": [{"proposal","year","award","movement","state",...}]} */
int	 proposal_list_json(struct store *, int year, struct sb *out,
	    struct err *);

/* Print any of the documents above: as is (json), or readably. */
void	 proposal_print(FILE *, const char *json_doc, int json);

enum proposal_action { PA_SUBMIT, PA_REVIEW, PA_RETURN };
/* Move a proposal along; PA_RETURN needs a reason. */
int	 proposal_act(struct store *, int64_t id, enum proposal_action,
	    const char *reason, struct err *);
/* Add a file reference (subject NULL: the whole proposal). */
int	 proposal_attach(struct store *, int64_t id, const char *subject,
	    const char *path, struct err *);

/*
 * The council's secret-ballot count for one candidate (subject) or every
 * candidate (subject NULL). Only counts are stored. present defaults to
 * members (-1), written to 0. The threshold is the award's
 * ballot.min_pct_of_members (yes ≥ P % of members, absent members' written
 * votes counted); without one, a simple majority of all members
 * (yes > members / 2). Writes {"proposal", "ballots": [...]}.
 */
struct ballot_req {
	int64_t		 proposal;
	const char	*subject;
	long		 members, present, yes, written;
};
int	 ballot_record(struct store *, const struct ballot_req *,
	    struct sb *out, struct err *);
/* Does yes of members pass min_pct (-1: simple majority)? */
int	 ballot_passes(long members, long yes, double min_pct);

/*
 * Decide a reviewed proposal: decision NUMBER of DATE signed by SIGNER for
 * the candidates that passed (a ballot at the threshold; when the award
 * has no threshold, candidates without a ballot pass). Cash = the award's
 * coefficient × the base salary in force on DATE (× 2 for a collective
 * receiving a commendation), rounded up to the đồng. Appends one ledger
 * entry per recipient, writes the awards history, marks the proposal
 * decided. Writes {"proposal","decision":{...},"awarded":[...],
 * "not_passed":[...]}.
 */
struct decide_req {
	int64_t		 proposal;
	const char	*number;
	const char	*date;
	const char	*signer;
};
int	 decision_make(struct store *, const struct decide_req *,
	    struct sb *out, struct err *);
/* Amount in VND for one recipient. */
int64_t	 decision_amount(double coefficient, int64_t base, int collective,
	    int commendation);

/*
 * Fill the document model of a decided proposal (award-pdf.h). place, above and
 * title may be NULL (defaults: "Phú Thọ", "TỔNG CỤC CÔNG NGHIỆP QUỐC
 * PHÒNG", "Giám đốc"). Free with doc_decision_free().
 */
struct doc_opts {
	const char	*place, *above, *title;
};
int	 decision_doc_load(struct store *, int64_t proposal,
	    const struct doc_opts *, struct doc_decision *, struct err *);

/*
 * Prompt recognition: the top performers of campaign MOVEMENT (per group,
 * movement_recognition() in movement.h) become a Giấy khen proposal linked
 * to the campaign, submitted, reviewed, and decided under NUMBER/DATE/
 * SIGNER at once. A performer whose yearly GK verdict is not eligible is
 * still proposed, with the campaign result recorded as the written
 * justification (an ad-hoc commendation rests on the campaign, not on the
 * year's rating). Writes the decide document plus "movement" and "proposal".
 */
struct recognise_req {
	const char	*movement;
	int		 top;		/* per group; 0: default 3 */
	const char	*award;		/* NULL: "GK" */
	const char	*number, *date, *signer;
};
int	 recognise_run(struct store *, const struct recognise_req *,
	    int64_t *proposal, struct sb *out, struct err *);

#endif /* THIDUA_AWARD_H */
