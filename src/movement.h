/*
 * movement.h: emulation movements (phong trào thi đua) and the services
 * built on them: loading a movement from YAML, evaluating it (criteria,
 * points, score, rank, rating, veto), the year's ratings from a regular
 * movement, prompt recognition at the end of a campaign, and the scores
 * the rules engine and quota ranking read. docs/movements.md states every
 * rule; the pure scoring engine is movement-score.h.
 *
 * Ownership: movement_parse() fills a struct movement that
 * movement_free() releases. Services append to the caller's struct sb or
 * return arrays the caller free()s.
 */
#ifndef THIDUA_MOVEMENT_H
#define THIDUA_MOVEMENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "scope.h"

struct store;
struct sb;

enum mv_kind { MV_REGULAR, MV_CAMPAIGN, MV_THEMATIC };
enum mv_subjects { MV_UNITS, MV_PEOPLE };
enum mv_group { MV_GROUP_BLOC, MV_GROUP_PARENT, MV_GROUP_ALL };
enum mv_agg { AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX, AGG_LAST, AGG_COUNT };
enum mv_scoring { SC_RATIO, SC_BANDS, SC_VETO_ONLY };
/* Ratings best first; RATING_NONE when not rated. */
enum mv_rating { RATING_HTXSNV, RATING_HTTNV, RATING_HTNV, RATING_KHTNV,
	RATING_NONE };

/* Built-in metrics (a criterion's metric "@name"). */
enum mv_builtin { BI_NONE, BI_SERIOUS, BI_MINOR, BI_INNOVATIONS,
	BI_DISCIPLINE, BI_ONTIME, BI_LATE };

#define MV_MAXBANDS 16
#define MV_MAXCRIT 64

struct criterion {
	char		 code[33];
	char		*name_vi, *name_en;	/* may be NULL */
	char		 metric[34];	/* record metric code, or "@name" */
	enum mv_builtin	 builtin;
	enum mv_agg	 agg;
	int		 lower;		/* better: lower */
	double		 weight;	/* 0 for a veto-only criterion */
	enum mv_scoring	 scoring;
	double		 cap;		/* ratio cap */
	size_t		 nbands;
	double		 bound[MV_MAXBANDS], share[MV_MAXBANDS];
	int		 has_veto;
	double		 veto_max;
	enum mv_rating	 veto_cap;
};

struct movement {
	char		 code[33];
	char		*name_vi, *name_en;
	enum mv_kind	 kind;
	int32_t		 start, end;	/* day numbers, inclusive */
	char		 scope[33];	/* unit code */
	long		 scope_line, scope_col;	/* where scope: is, for errors */
	enum mv_subjects subjects;
	enum mv_group	 group_by;
	double		 thr[3];	/* HTXSNV, HTTNV, HTNV minimum scores */
	int		 thr_set;	/* ratings: given in the file */
	struct criterion *crit;
	size_t		 ncrit;
};

/* Stable names: "regular", "sum", "HTTNV", ... */
const char	*mv_kind_name(enum mv_kind);
const char	*mv_agg_name(enum mv_agg);
const char	*mv_group_name(enum mv_group);
const char	*mv_rating_name(enum mv_rating);

/*
 * Parse and validate YAML (no database). name is the file name used in
 * errors, which carry FILE:LINE:COLUMN and the field. 0 or -1 (ERR_USER).
 */
int	 movement_parse(const char *name, const char *buf, size_t len,
	    struct movement *, struct err *);
void	 movement_free(struct movement *);
/* Index of criterion CODE, or -1. */
long	 movement_criterion(const struct movement *, const char *code);

/*
 * Parse, check against the database (scope unit exists) and store as a
 * new version of the movement (one transaction; a reload of identical
 * text adds no version). Used by `thidua movement load` and the demo.
 */
int	 movement_load_buffer(struct store *, const char *name, const char *buf,
	    size_t len, struct err *);
/* The same inside the caller's transaction (the HTTP writer's batch). */
int	 movement_load_in_txn(struct store *, const char *name,
	    const char *buf, size_t len, struct err *);

/* Current version of movement CODE, parsed. ERR_NOTFOUND when absent. */
int	 movement_get(struct store *, const char *code, struct movement *,
	    struct err *);

/*
 * The movement as stored (current version) as JSON: the YAML's fields
 * plus "version": {"code","name":{"vi","en"},"kind","start","end","scope",
 * "subjects","group_by","ratings":{...},"version","criteria":[{"code",
 * "name","metric","aggregate","better","weight","scoring","veto"}]}.
 */
int	 movement_show_json(struct store *, const char *code, struct sb *out,
	    struct err *);
/* A listing of every movement: {"movements":[{"code","name","kind",
 * "start","end","scope","subjects","version"}]}. */
int	 movement_list_json(struct store *, struct sb *out, struct err *);

/*
 * Pledges (đăng ký thi đua): every subject of the movement's kind in the
 * scope's subtree, registered or not:
 * {"movement","registered":[{"subject","name","award","by","note"}],
 *  "missing":[{"subject","name"}]}, each list in subject code order.
 */
int	 pledges_json(struct store *, const char *code, struct sb *out,
	    struct err *);

/*
 * The evaluation document (the contract's, plus extra fields):
 * {"movement","as_of","kind","start","end","pro_rata","provisional",
 *  "results":[{"subject","name","group","score","rank","rating",
 *   "vetoed","veto_reason","met_all","criteria":[{"criterion","actual",
 *   "target","points","weight","reason"}]}]}
 * (reason: a stable code, see score_reason_code; "reasons" at the top
 * level maps each code to its text in the user's language)
 * as_of NULL means the movement's end; a date before the end gives the
 * standing so far, targets of cumulative criteria taken pro rata
 * ("provisional": true). Results by group, then rank.
 * Errors: ERR_NOTFOUND (movement), ERR_USER (bad date, a built-in metric
 * not available), ERR_SYSTEM. A movement of people lists only the people
 * sc keeps (NULL: all); a movement of units ranks every unit (announced).
 * unit, when not NULL, keeps only the participants it keeps (a unit's
 * subtree), of either kind. w, when not NULL, lists of those only the
 * ones ranked top or better in their group (top 0: any), then from the
 * offset-th, limit of them (0: all), and adds "total": how many there
 * were before offset and limit (the scores are those of every
 * participant: a window changes no rank).
 */
struct mv_window {
	long	 top, offset, limit;
};
int	 evaluate_json(struct store *, const char *code, const char *as_of,
	    const struct scope_filter *sc, const struct scope_filter *unit,
	    const struct mv_window *w, struct sb *out, struct err *);

/*
 * The year's ratings from regular movement CODE's scores, as a diff
 * against the stored ratings of YEAR:
 * {"movement","year","applied","results":[{"subject","name","score",
 *  "rating","stored","stored_source","action"}],"counts":{"new","change",
 *  "same","kept"}}. action: "new" (nothing stored), "change", "same",
 * "kept" (a rating set by hand or by the council is never overwritten).
 * With apply, new, changed and same ratings are stored in one
 * transaction with source 'movement' and source_ref CODE, together with
 * one audit entry (action "rate", kind "ratings", subject CODE, the
 * document as after; the actor from the thread's audit_context).
 * Errors: ERR_NOTFOUND, ERR_USER (not a regular movement, YEAR is not
 * the year it ends in), ERR_SYSTEM. (Applied: the whole document, w
 * NULL, which the audit entry holds.)
 */
/* Which results the document lists (rate_json's w; NULL: all): only
 * those whose action is not "same" with changes, then from the
 * offset-th, limit of them (0: all); "total" then says how many there
 * were. The counts count them all. */
struct rate_window {
	int	 changes;
	long	 offset, limit;
};
int	 rate_json(struct store *, const char *code, int year, int apply,
	    const struct rate_window *w, struct sb *out, struct err *);

/*
 * Prompt recognition (for proposals, e.g. a Giấy khen at a campaign's
 * end): per group the TOP best non-vetoed participants, plus every
 * participant who met every target. *out malloc'd, caller frees; sorted
 * by group then rank. recognition_json gives
 * {"movement","as_of","top","results":[{"subject","name","group","rank",
 *  "score","top","met_all"}]}.
 */
struct recognition {
	char	 subject[33];
	char	 group[65];
	int	 rank;
	double	 score;
	int	 top;		/* among the group's TOP best */
	int	 met_all;	/* met every target, not vetoed */
};
int	 movement_recognition(struct store *, const char *code,
	    const char *as_of, int top, struct recognition **out, size_t *n,
	    struct err *);
int	 recognition_json(struct store *, const char *code, const char *as_of,
	    int top, struct sb *out, struct err *);

/*
 * Scores of every participant of movement CODE as of its end date; when
 * CODE is "regular", of every regular movement whose dates fall in YEAR
 * (a subject in several takes its best). *out is malloc'd; caller frees.
 * 0 or -1.
 */
struct subject_score {
	char	 subject[33];
	double	 score;
	int	 rank;
	int	 vetoed;
	char	 group[65];
	char	 movement[33];
};
/*
 * What a movement's scores rest on besides the eligibility tables
 * (snapcache-elig.h's stamp): the records and the targets (each its
 * generation and log: any writer), the definitions' generation
 * ("movement-defs": movements, versions, criteria, pledges, metrics), and
 * the day (a movement is evaluated as of today). ok 0: not known, never
 * the same.
 */
struct mv_stamp {
	int64_t		 targets, tgt_seq, tgt_tag, defs, rec_gen, rec_seq, rec_tag;
	int32_t		 day;
	int		 ok;
};
void	 mv_stamp_read(struct store *, struct mv_stamp *);
int	 mv_stamp_same(const struct mv_stamp *, const struct mv_stamp *);
/*
 * on: keep the last movement_scores answers in memory and give them again
 * while current (that stamp and the eligibility tables' the same: a
 * server; the CLI keeps none). A regular movement of 110,000 people at a
 * million: 1.2 s an answer, from a kept one a copy. Answers of more than
 * 500,000 participants are not kept (memory: 152 bytes each).
 */
void	 movement_keep(int on);
int	 movement_scores(struct store *, const char *code, int year,
	    struct subject_score **out, size_t *n, struct err *);

/*
 * An evaluated movement (movement-eval.c), for renderers: participants
 * are dense indexes in subject code order; the scores are in s
 * (movement-score.h). Text fields are offsets into text. mv_eval_free()
 * releases everything.
 */
#include "movement-score.h"
struct mv_eval {
	struct movement	 mv;
	int64_t		 id;		/* database id */
	int		 version;
	int32_t		 as_of;		/* day evaluated up to (<= end) */
	int		 provisional;	/* as_of before the end */
	size_t		 n;
	int64_t		*sid;		/* subject id */
	uint32_t	*code, *name;	/* offsets into text */
	uint32_t	*gname;		/* per group id: offset of its name */
	size_t		 ngroups;
	char		*text;
	size_t		 tlen, tcap;
	struct score_set s;
};
/* Evaluate movement CODE as of AS_OF (NULL: its end). */
int	 mv_eval_run(struct store *, const char *code, const char *as_of,
	    struct mv_eval *, struct err *);
void	 mv_eval_free(struct mv_eval *);
#define MV_TEXT(ev, off) ((ev)->text + (off))
/*
 * Write the evaluation document (see evaluate_json) to out; when f is
 * not NULL, out is flushed to f whenever it grows past 1 MiB (and at the
 * end), so a large document never sits whole in memory. 0 or -1 (write).
 */
int	 mv_eval_json(const struct mv_eval *, struct sb *out, FILE *f);

#endif /* THIDUA_MOVEMENT_H */
