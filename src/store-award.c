/*
 * store-award.c: SQL for proposals, ballots, decisions, the award
 * history written by decisions, and the append-only ledger (see
 * store-award.h). Portable between SQLite 3.40 and PostgreSQL 15.
 */
#include <stdio.h>
#include <string.h>

#include "store-award.h"
#include "store.h"
#include "util.h"

/* Step a bound statement once; row() fills out: 1 a row, 0 none, -1 error. */
static int
one(struct store *st, struct store_stmt *s,
    void (*row)(struct store_stmt *, void *), void *out, struct err *e)
{
	int rc = store_step(s);

	if (rc == STORE_ROW)
		row(s, out);
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

/* Columns 0..6 of every subject query, and the joins they need. */
#define SUBJ_COLS \
	"s.id, s.code, s.kind, COALESCE(p.name, u.name, ''), " \
	"COALESCE(p.category, ''), COALESCE(pu.code, s.code), " \
	"COALESCE(uu.name, u.name, '')"
#define SUBJ_JOIN \
	" LEFT JOIN people p ON p.id = s.id LEFT JOIN units u ON u.id = s.id" \
	" LEFT JOIN subjects pu ON pu.id = p.unit_id" \
	" LEFT JOIN units uu ON uu.id = p.unit_id"
#define SUBJ_NCOLS 7

static void
subject_row(struct store_stmt *s, int c, struct award_subject *o)
{
	o->id = store_col_int(s, c);
	store_copy(o->code, sizeof o->code, store_col_text(s, c + 1));
	store_copy(o->kind, sizeof o->kind, store_col_text(s, c + 2));
	store_copy(o->name, sizeof o->name, store_col_text(s, c + 3));
	store_copy(o->category, sizeof o->category, store_col_text(s, c + 4));
	store_copy(o->unit, sizeof o->unit, store_col_text(s, c + 5));
	store_copy(o->unit_name, sizeof o->unit_name, store_col_text(s, c + 6));
}

static void
subject_one(struct store_stmt *s, void *out)
{
	subject_row(s, 0, out);
}

static const char SQL_SUBJ[] =
    "SELECT " SUBJ_COLS " FROM subjects s" SUBJ_JOIN " WHERE s.code = $1";

int
store_award_subject(struct store *st, const char *code, struct award_subject *o,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_SUBJ, e);
	store_bind_text(s, 1, code);
	return one(st, s, subject_one, o, e);
}

static const char SQL_ROOT[] =
    "SELECT " SUBJ_COLS " FROM subjects s" SUBJ_JOIN
    " WHERE u.id IS NOT NULL AND u.parent_id IS NULL ORDER BY s.code LIMIT 1";

int
store_award_root_unit(struct store *st, struct award_subject *o, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_ROOT, e);
	return one(st, s, subject_one, o, e);
}

static const char SQL_D_RATING[] =
    "SELECT year, rating FROM ratings WHERE subject_id = $1 "
    "AND year >= $2 AND year <= $3 ORDER BY year";
static const char SQL_D_INNOV[] =
    "SELECT i.code, i.title, i.year, i.level, COALESCE(i.benefit, 0), i.kind "
    "FROM innovations i JOIN innovation_authors a ON a.innovation_id = i.id "
    "WHERE a.person_id = $1 AND i.year >= $2 AND i.year <= $3 "
    "ORDER BY i.year, i.code";
static const char SQL_D_AWARD[] =
    "SELECT year, award, COALESCE(decision, ''), COALESCE(decided_on, ''), "
    "source, COALESCE(imported_by, ''), COALESCE(import_file, '') "
    "FROM awards WHERE subject_id = $1 AND revoked = 0 AND year >= $2 "
    "AND year <= $3 ORDER BY year, award";
static const char SQL_D_TASK[] =
    "SELECT code, name, quantity, due FROM tasks WHERE unit_id = $1 "
    "AND due >= $2 AND due <= $3 ORDER BY due, code";

int
store_award_dossier_each(struct store *st, int64_t subject, int from, int to,
    int (*fn)(void *, int, const char *const *, int), void *ctx,
    struct err *e)
{
	static const char *const sql[AWARD_D__MAX] = { SQL_D_RATING,
	    SQL_D_INNOV, SQL_D_AWARD, SQL_D_TASK };
	char d0[16], d1[16];

	snprintf(d0, sizeof d0, "%04d-01-01", from);
	snprintf(d1, sizeof d1, "%04d-12-31", to);
	for (int part = 0; part < AWARD_D__MAX; part++) {
		struct store_stmt *s;
		const char *v[8];
		int rc, n;

		STORE_PREP(s, st, sql[part], e);
		store_bind_int(s, 1, subject);
		if (part == AWARD_D_TASK) {
			store_bind_text(s, 2, d0);
			store_bind_text(s, 3, d1);
		} else {
			/* Previous awards: every year up to `to`. */
			store_bind_int(s, 2, part == AWARD_D_AWARD ? 0 : from);
			store_bind_int(s, 3, to);
		}
		while ((rc = store_step(s)) == STORE_ROW) {
			n = store_ncols(s);
			for (int i = 0; i < n && i < 8; i++)
				v[i] = store_col_text(s, i);
			if (fn(ctx, part, v, n) != 0) {
				store_reset(s);
				return -1;
			}
		}
		store_reset(s);
		if (rc == STORE_ERR)
			return store_err(st, e);
	}
	return 0;
}

/* ---- proposals ---- */

static const char SQL_PROP_INS[] =
    "INSERT INTO proposals (year, award, movement, state, created_at, "
    "updated_at) VALUES ($1, $2, $3, 'draft', $4, $4) RETURNING id";

int
store_award_proposal_insert(struct store *st, int year, const char *award,
    const char *movement, const char *now, int64_t *id, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_PROP_INS, e);
	store_bind_int(s, 1, year);
	store_bind_text(s, 2, award);
	store_bind_opt(s, 3, movement);
	store_bind_text(s, 4, now);
	if ((rc = store_step(s)) == STORE_ROW)
		*id = store_col_int(s, 0);
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

#define PROP_COLS "id, year, award, COALESCE(movement, ''), state, " \
	"COALESCE(reason, ''), created_at, updated_at, " \
	"COALESCE(received, substr(created_at, 1, 10))"

static const char SQL_AWARD_EARLIER[] =
    "SELECT a.year, COALESCE(a.decision, ''), COALESCE(a.decided_on, '') "
    "FROM awards a JOIN subjects s ON s.id = a.subject_id "
    "WHERE s.code = $1 AND a.award = $2 AND a.revoked = 0 AND a.year <> $3 "
    "ORDER BY a.year LIMIT 1";

int
store_award_earlier(struct store *st, const char *subject, const char *award,
    int skip, int *year, char decision[AWARD_TEXT], char date[11],
    struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_AWARD_EARLIER, e);
	store_bind_text(s, 1, subject);
	store_bind_text(s, 2, award);
	store_bind_int(s, 3, skip);
	if ((rc = store_step(s)) == STORE_ROW) {
		*year = (int)store_col_int(s, 0);
		store_copy(decision, AWARD_TEXT, store_col_text(s, 1));
		store_copy(date, 11, store_col_text(s, 2));
	}
	store_reset(s);
	return rc == STORE_ROW ? 1 : rc == STORE_DONE ? 0 : store_err(st, e);
}

int
store_award_once_check(struct store *st, const char *subject, const char *award,
    int year, struct err *e)
{
	char dec[AWARD_TEXT], date[11];
	int y, rc = store_award_earlier(st, subject, award, year, &y, dec,
	    date, e);

	if (rc <= 0)
		return rc;
	return err_at(e, ERR_CONFLICT, NULL, 0, 0, "subject", "%s: %s %s %s %d "
	    "(%s %s%s%s); %s", subject, TR("đã được tặng", "already received"),
	    award, TR("năm", "in"), y, TR("quyết định", "decision"),
	    dec[0] ? dec : TR("không rõ số", "number unknown"), date[0] ? ", " : "",
	    date, TR("hình thức này chỉ tặng một lần", "this award is granted "
	    "only once"));
}

static const char SQL_PROP_RECEIVED[] =
    "UPDATE proposals SET received = $1 WHERE id = $2";

int
store_award_proposal_set_received(struct store *st, int64_t id, const char *day,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_PROP_RECEIVED, e);
	store_bind_text(s, 1, day);
	store_bind_int(s, 2, id);
	return store_run_err(st, s, e);
}

static void
proposal_row(struct store_stmt *s, void *out)
{
	struct award_proposal *p = out;

	p->id = store_col_int(s, 0);
	p->year = (int)store_col_int(s, 1);
	store_copy(p->award, sizeof p->award, store_col_text(s, 2));
	store_copy(p->movement, sizeof p->movement, store_col_text(s, 3));
	store_copy(p->state, sizeof p->state, store_col_text(s, 4));
	store_copy(p->reason, sizeof p->reason, store_col_text(s, 5));
	store_copy(p->received, sizeof p->received, store_col_text(s, 8));
	store_copy(p->created_at, sizeof p->created_at, store_col_text(s, 6));
	store_copy(p->updated_at, sizeof p->updated_at, store_col_text(s, 7));
}

static const char SQL_PROP_GET[] =
    "SELECT " PROP_COLS " FROM proposals WHERE id = $1";

int
store_award_proposal_get(struct store *st, int64_t id, struct award_proposal *p,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_PROP_GET, e);
	store_bind_int(s, 1, id);
	return one(st, s, proposal_row, p, e);
}

static const char SQL_PROP_STATE[] =
    "UPDATE proposals SET state = $2, reason = $3, updated_at = $4 "
    "WHERE id = $1";

int
store_award_proposal_state(struct store *st, int64_t id, const char *state,
    const char *reason, const char *now, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_PROP_STATE, e);
	store_bind_int(s, 1, id);
	store_bind_text(s, 2, state);
	store_bind_opt(s, 3, reason);
	store_bind_text(s, 4, now);
	return store_run_err(st, s, e);
}

static const char SQL_PROP_ALL[] =
    "SELECT " PROP_COLS " FROM proposals WHERE $1 = 0 OR year = $1 "
    "ORDER BY id DESC";

int
store_award_proposal_each(struct store *st, int year,
    int (*fn)(void *, const struct award_proposal *), void *ctx, struct err *e)
{
	struct store_stmt *s;
	struct award_proposal p;
	int rc;

	STORE_PREP(s, st, SQL_PROP_ALL, e);
	store_bind_int(s, 1, year);
	while ((rc = store_step(s)) == STORE_ROW) {
		proposal_row(s, &p);
		if (fn(ctx, &p) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

static const char SQL_CAND_INS[] =
    "INSERT INTO proposal_candidates (proposal_id, subject_id, verdict, "
    "verdict_json, summary_json, based_on, override) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";

int
store_award_candidate_insert(struct store *st, int64_t proposal,
    int64_t subject_id, const char *verdict, const char *verdict_json,
    const char *summary_json, const char *based_on, const char *override,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_CAND_INS, e);
	store_bind_int(s, 1, proposal);
	store_bind_int(s, 2, subject_id);
	store_bind_text(s, 3, verdict);
	store_bind_text(s, 4, verdict_json);
	store_bind_text(s, 5, summary_json);
	store_bind_text(s, 6, based_on ? based_on : "");
	store_bind_opt(s, 7, override);
	return store_run_err(st, s, e);
}

static const char SQL_ATT_INS[] =
    "INSERT INTO proposal_attachments (proposal_id, pos, subject_id, path) "
    "SELECT CAST($1 AS BIGINT), COALESCE(MAX(pos), 0) + 1, "
    "CAST($2 AS BIGINT), $3 "
    "FROM proposal_attachments WHERE proposal_id = $1";

int
store_award_attach_insert(struct store *st, int64_t proposal,
    int64_t subject_id, const char *path, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_ATT_INS, e);
	store_bind_int(s, 1, proposal);
	if (subject_id)
		store_bind_int(s, 2, subject_id);
	else
		store_bind_null(s, 2);
	store_bind_text(s, 3, path);
	return store_run_err(st, s, e);
}

static const char SQL_CAND_ALL[] =
    "SELECT " SUBJ_COLS ", c.verdict, c.verdict_json, c.summary_json, "
    "c.based_on, c.override, b.members, b.present, b.written, b.yes, "
    "b.min_pct, b.passed "
    "FROM proposal_candidates c JOIN subjects s ON s.id = c.subject_id"
    SUBJ_JOIN
    " LEFT JOIN ballots b ON b.proposal_id = c.proposal_id "
    "AND b.subject_id = c.subject_id "
    "WHERE c.proposal_id = $1 ORDER BY s.code";

int
store_award_candidate_each(struct store *st, int64_t proposal,
    int (*fn)(void *, const struct award_candidate *), void *ctx, struct err *e)
{
	struct store_stmt *s;
	struct award_candidate c;
	int rc, k = SUBJ_NCOLS;

	STORE_PREP(s, st, SQL_CAND_ALL, e);
	store_bind_int(s, 1, proposal);
	while ((rc = store_step(s)) == STORE_ROW) {
		memset(&c, 0, sizeof c);
		subject_row(s, 0, &c.s);
		store_copy(c.verdict, sizeof c.verdict, store_col_text(s, k));
		c.verdict_json = store_col_text(s, k + 1);
		c.summary_json = store_col_text(s, k + 2);
		c.based_on = store_col_text(s, k + 3);
		c.override = store_col_isnull(s, k + 4) ? NULL :
		    store_col_text(s, k + 4);
		c.has_ballot = !store_col_isnull(s, k + 5);
		if (c.has_ballot) {
			c.members = (long)store_col_int(s, k + 5);
			c.present = (long)store_col_int(s, k + 6);
			c.written = (long)store_col_int(s, k + 7);
			c.yes = (long)store_col_int(s, k + 8);
			c.min_pct = store_col_isnull(s, k + 9) ? -1 :
			    store_col_double(s, k + 9);
			c.passed = (int)store_col_int(s, k + 10);
		} else
			c.min_pct = -1;
		if (fn(ctx, &c) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

static const char SQL_ATT_ALL[] =
    "SELECT COALESCE(s.code, ''), a.path FROM proposal_attachments a "
    "LEFT JOIN subjects s ON s.id = a.subject_id "
    "WHERE a.proposal_id = $1 ORDER BY a.pos";

int
store_award_attach_each(struct store *st, int64_t proposal,
    int (*fn)(void *, const char *, const char *), void *ctx, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_ATT_ALL, e);
	store_bind_int(s, 1, proposal);
	while ((rc = store_step(s)) == STORE_ROW)
		if (fn(ctx, store_col_text(s, 0), store_col_text(s, 1)) != 0) {
			store_reset(s);
			return -1;
		}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

/* ---- ballots ---- */

static const char SQL_BALLOT_PUT[] =
    "INSERT INTO ballots (proposal_id, subject_id, members, present, "
    "written, yes, min_pct, passed, recorded_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
    "ON CONFLICT (proposal_id, subject_id) DO UPDATE SET "
    "members = excluded.members, present = excluded.present, "
    "written = excluded.written, yes = excluded.yes, "
    "min_pct = excluded.min_pct, passed = excluded.passed, "
    "recorded_at = excluded.recorded_at";

int
store_award_ballot_put(struct store *st, const struct award_ballot *b,
    const char *now, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_BALLOT_PUT, e);
	store_bind_int(s, 1, b->proposal);
	store_bind_int(s, 2, b->subject_id);
	store_bind_int(s, 3, b->members);
	store_bind_int(s, 4, b->present);
	store_bind_int(s, 5, b->written);
	store_bind_int(s, 6, b->yes);
	if (b->min_pct < 0)
		store_bind_null(s, 7);
	else
		store_bind_double(s, 7, b->min_pct);
	store_bind_int(s, 8, b->passed);
	store_bind_text(s, 9, now);
	return store_run_err(st, s, e);
}

/* ---- decisions ---- */

static const char SQL_DEC_INS[] =
    "INSERT INTO decisions (proposal_id, number, date, signer, base_salary, "
    "recipients, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
    "RETURNING id";

int
store_award_decision_insert(struct store *st, struct award_decision *d,
    const char *now, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_DEC_INS, e);
	store_bind_int(s, 1, d->proposal);
	store_bind_text(s, 2, d->number);
	store_bind_text(s, 3, d->date);
	store_bind_text(s, 4, d->signer);
	store_bind_int(s, 5, d->base_salary);
	store_bind_int(s, 6, d->recipients);
	store_bind_text(s, 7, now);
	if ((rc = store_step(s)) == STORE_ROW)
		d->id = store_col_int(s, 0);
	store_reset(s);
	if (rc == STORE_CONSTRAINT)
		return err_at(e, ERR_CONFLICT, NULL, 0, 0, "number", "%s '%s'",
		    TR("số quyết định đã được dùng",
		    "the decision number is already used"), d->number);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

static void
decision_row(struct store_stmt *s, void *out)
{
	struct award_decision *d = out;

	d->id = store_col_int(s, 0);
	d->proposal = store_col_int(s, 1);
	store_copy(d->number, sizeof d->number, store_col_text(s, 2));
	store_copy(d->date, sizeof d->date, store_col_text(s, 3));
	store_copy(d->signer, sizeof d->signer, store_col_text(s, 4));
	d->base_salary = store_col_int(s, 5);
	d->recipients = (long)store_col_int(s, 6);
}

static const char SQL_DEC_GET[] =
    "SELECT id, proposal_id, number, date, signer, base_salary, recipients "
    "FROM decisions WHERE proposal_id = $1";

int
store_award_decision_get(struct store *st, int64_t proposal,
    struct award_decision *d, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_DEC_GET, e);
	store_bind_int(s, 1, proposal);
	return one(st, s, decision_row, d, e);
}

static const char SQL_DEC_COUNTS[] =
    "SELECT d.number, d.recipients, (SELECT COUNT(*) FROM ledger l "
    "WHERE l.decision = d.number AND l.kind = 'award') "
    "FROM decisions d ORDER BY d.id";

int
store_award_decision_counts(struct store *st,
    int (*fn)(void *, const char *, long, long), void *ctx, struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_DEC_COUNTS, e);
	while ((rc = store_step(s)) == STORE_ROW)
		if (fn(ctx, store_col_text(s, 0), (long)store_col_int(s, 1),
		    (long)store_col_int(s, 2)) != 0) {
			store_reset(s);
			return -1;
		}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

static const char SQL_REVOKED_UNRECORDED[] =
    "SELECT a.year, s.code, a.award FROM awards a "
    "JOIN subjects s ON s.id = a.subject_id WHERE a.revoked = 1 "
    "AND EXISTS (SELECT 1 FROM ledger l WHERE l.kind = 'award' "
    "AND l.year = a.year AND l.subject = s.code AND l.award = a.award) "
    "AND NOT EXISTS (SELECT 1 FROM ledger r WHERE r.kind = 'revoke' "
    "AND r.year = a.year AND r.subject = s.code AND r.award = a.award) "
    "ORDER BY a.year, s.code, a.award";

int
store_award_revoked_unrecorded(struct store *st,
    int (*fn)(void *, int, const char *, const char *), void *ctx,
    struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_REVOKED_UNRECORDED, e);
	while ((rc = store_step(s)) == STORE_ROW)
		if (fn(ctx, (int)store_col_int(s, 0), store_col_text(s, 1),
		    store_col_text(s, 2)) != 0) {
			store_reset(s);
			return -1;
		}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

struct seq_hash {
	int64_t	*seq;
	char	*hash;
};

static void
seq_hash_row(struct store_stmt *s, void *out)
{
	struct seq_hash *o = out;

	*o->seq = store_col_int(s, 0);
	store_copy(o->hash, AWARD_HASH, store_col_text(s, 1));
}

static const char SQL_DEC_ANCHOR[] =
    "SELECT seq, hash FROM ledger WHERE decision = $1 AND kind = 'award' "
    "ORDER BY seq DESC LIMIT 1";

int
store_award_decision_anchor(struct store *st, const char *number, int64_t *seq,
    char hash[AWARD_HASH], struct err *e)
{
	struct store_stmt *s;
	struct seq_hash o = { seq, hash };

	STORE_PREP(s, st, SQL_DEC_ANCHOR, e);
	store_bind_text(s, 1, number);
	return one(st, s, seq_hash_row, &o, e);
}

static void
int_row(struct store_stmt *s, void *out)
{
	*(int64_t *)out = store_col_int(s, 0);
}

static const char SQL_SALARY[] =
    "SELECT amount FROM base_salary WHERE from_date <= $1 "
    "ORDER BY from_date DESC LIMIT 1";

int
store_award_base_salary(struct store *st, const char *date, int64_t *amount,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_SALARY, e);
	store_bind_text(s, 1, date);
	return one(st, s, int_row, amount, e);
}

static const char SQL_AWARD_PUT[] =
    "INSERT INTO awards (year, subject_id, award, decision, decided_on, "
    "based_on, revoked, source) VALUES ($1, $2, $3, $4, $5, $6, 0, 'ledger') "
    "ON CONFLICT (year, subject_id, award) DO UPDATE SET "
    "decision = excluded.decision, decided_on = excluded.decided_on, "
    "based_on = excluded.based_on, revoked = 0, source = 'ledger', "
    "imported_by = NULL, imported_at = NULL, import_file = NULL, "
    "import_sha256 = NULL";

int
store_award_put(struct store *st, int year, int64_t subject_id,
    const char *award, const char *decision, const char *date,
    const char *based_on, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_AWARD_PUT, e);
	store_bind_int(s, 1, year);
	store_bind_int(s, 2, subject_id);
	store_bind_text(s, 3, award);
	store_bind_text(s, 4, decision);
	store_bind_text(s, 5, date);
	store_bind_opt(s, 6, based_on);
	return store_run_err(st, s, e);
}

static const char SQL_AWARD_REVOKE[] =
    "UPDATE awards SET revoked = 1 WHERE year = $1 AND award = $3 "
    "AND subject_id = (SELECT id FROM subjects WHERE code = $2)";

int
store_award_revoke(struct store *st, int year, const char *subject,
    const char *award, struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_AWARD_REVOKE, e);
	store_bind_int(s, 1, year);
	store_bind_text(s, 2, subject);
	store_bind_text(s, 3, award);
	return store_run_err(st, s, e);
}

static const char SQL_AWARD_ALL[] =
    "SELECT a.year, " SUBJ_COLS ", a.award, COALESCE(a.decision, ''), "
    "COALESCE(a.decided_on, '') FROM awards a "
    "JOIN subjects s ON s.id = a.subject_id" SUBJ_JOIN
    " WHERE a.revoked = 0 AND a.year >= $1 AND a.year <= $2 "
    "ORDER BY a.year, COALESCE(pu.code, s.code), a.award, s.code";

int
store_award_each(struct store *st, int from, int to,
    int (*fn)(void *, const struct award_row *), void *ctx, struct err *e)
{
	struct store_stmt *s;
	struct award_row r;
	int rc;

	STORE_PREP(s, st, SQL_AWARD_ALL, e);
	store_bind_int(s, 1, from);
	store_bind_int(s, 2, to);
	while ((rc = store_step(s)) == STORE_ROW) {
		r.year = (int)store_col_int(s, 0);
		subject_row(s, 1, &r.s);
		r.award = store_col_text(s, 1 + SUBJ_NCOLS);
		r.decision = store_col_text(s, 2 + SUBJ_NCOLS);
		r.date = store_col_text(s, 3 + SUBJ_NCOLS);
		if (fn(ctx, &r) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

static const char SQL_RECIPIENTS[] =
    "SELECT " SUBJ_COLS ", l.seq, l.amount, l.hash FROM ledger l "
    "JOIN subjects s ON s.code = l.subject" SUBJ_JOIN
    " WHERE l.decision = $1 AND l.kind = 'award' AND NOT EXISTS "
    "(SELECT 1 FROM ledger r WHERE r.kind = 'revoke' AND r.ref = l.seq) "
    "ORDER BY l.seq";

int
store_award_recipient_each(struct store *st, const char *number,
    int (*fn)(void *, const struct award_recipient *), void *ctx, struct err *e)
{
	struct store_stmt *s;
	struct award_recipient r;
	int rc;

	STORE_PREP(s, st, SQL_RECIPIENTS, e);
	store_bind_text(s, 1, number);
	while ((rc = store_step(s)) == STORE_ROW) {
		subject_row(s, 0, &r.s);
		r.seq = store_col_int(s, SUBJ_NCOLS);
		r.amount = store_col_int(s, SUBJ_NCOLS + 1);
		store_copy(r.hash, sizeof r.hash,
		    store_col_text(s, SUBJ_NCOLS + 2));
		if (fn(ctx, &r) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}

/* ---- the ledger ---- */

static const char SQL_LEDGER_LAST[] =
    "SELECT seq, hash FROM ledger ORDER BY seq DESC LIMIT 1";

/*
 * PostgreSQL: a transaction-scoped advisory lock that every append takes
 * before reading the head (several servers on one database append one
 * after the other instead of failing on prev_hash). SQLite: the write
 * transaction (BEGIN IMMEDIATE) already serialises writers.
 */
static const char SQL_LEDGER_LOCK[] =
    "SELECT pg_advisory_xact_lock(7115010601)";

int
store_award_ledger_lock(struct store *st, struct err *e)
{
	struct store_stmt *s;
	int rc;

	if (store_backend(st) != STORE_PG)
		return 0;
	STORE_PREP(s, st, SQL_LEDGER_LOCK, e);
	rc = store_step(s);
	store_reset(s);
	return rc == STORE_ROW ? 0 : store_err(st, e);
}

int
store_award_ledger_last(struct store *st, int64_t *seq, char hash[AWARD_HASH],
    struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_LEDGER_LAST, e);
	if ((rc = store_step(s)) == STORE_ROW) {
		*seq = store_col_int(s, 0);
		store_copy(hash, AWARD_HASH, store_col_text(s, 1));
	}
	store_reset(s);
	if (rc == STORE_ERR)
		return store_err(st, e);
	return rc == STORE_ROW;
}

static const char SQL_LEDGER_INS[] =
    "INSERT INTO ledger (seq, kind, decision, date, signer, year, subject, "
    "award, amount, based_on, ref, reason, prev_hash, hash) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

int
store_award_ledger_insert(struct store *st, const struct ledger_entry *l,
    struct err *e)
{
	struct store_stmt *s;
	int rc;

	STORE_PREP(s, st, SQL_LEDGER_INS, e);
	store_bind_int(s, 1, l->seq);
	store_bind_text(s, 2, l->kind);
	store_bind_text(s, 3, l->decision);
	store_bind_text(s, 4, l->date);
	store_bind_text(s, 5, l->signer);
	store_bind_int(s, 6, l->year);
	store_bind_text(s, 7, l->subject);
	store_bind_text(s, 8, l->award);
	store_bind_int(s, 9, l->amount);
	store_bind_text(s, 10, l->based_on);
	if (l->ref)
		store_bind_int(s, 11, l->ref);
	else
		store_bind_null(s, 11);
	store_bind_text(s, 12, l->reason);
	store_bind_text(s, 13, l->prev_hash);
	store_bind_text(s, 14, l->hash);
	rc = store_run(s);
	if (rc == STORE_CONSTRAINT)
		return err_set(e, ERR_CONFLICT, "%s", TR(
		    "sổ khen thưởng vừa được ghi bởi một phiên khác; hãy thử lại",
		    "the ledger was just appended by another session; try again"));
	return rc == STORE_DONE ? 0 : store_err(st, e);
}

#define LEDGER_COLS "seq, kind, decision, date, signer, year, subject, " \
	"award, amount, based_on, COALESCE(ref, 0), reason, prev_hash, hash"

static void
ledger_row(struct store_stmt *s, void *out)
{
	struct ledger_entry *l = out;

	l->seq = store_col_int(s, 0);
	store_copy(l->kind, sizeof l->kind, store_col_text(s, 1));
	store_copy(l->decision, sizeof l->decision, store_col_text(s, 2));
	store_copy(l->date, sizeof l->date, store_col_text(s, 3));
	store_copy(l->signer, sizeof l->signer, store_col_text(s, 4));
	l->year = (int)store_col_int(s, 5);
	store_copy(l->subject, sizeof l->subject, store_col_text(s, 6));
	store_copy(l->award, sizeof l->award, store_col_text(s, 7));
	l->amount = store_col_int(s, 8);
	store_copy(l->based_on, sizeof l->based_on, store_col_text(s, 9));
	l->ref = store_col_int(s, 10);
	store_copy(l->reason, sizeof l->reason, store_col_text(s, 11));
	store_copy(l->prev_hash, sizeof l->prev_hash, store_col_text(s, 12));
	store_copy(l->hash, sizeof l->hash, store_col_text(s, 13));
}

static const char SQL_LEDGER_GET[] =
    "SELECT " LEDGER_COLS " FROM ledger WHERE seq = $1";

int
store_award_ledger_get(struct store *st, int64_t seq, struct ledger_entry *l,
    struct err *e)
{
	struct store_stmt *s;

	STORE_PREP(s, st, SQL_LEDGER_GET, e);
	store_bind_int(s, 1, seq);
	return one(st, s, ledger_row, l, e);
}

static const char SQL_LEDGER_REVOKED[] =
    "SELECT COUNT(*) FROM ledger WHERE kind = 'revoke' AND ref = $1";

int
store_award_ledger_revoked(struct store *st, int64_t seq, struct err *e)
{
	struct store_stmt *s;
	int64_t n = 0;

	STORE_PREP(s, st, SQL_LEDGER_REVOKED, e);
	store_bind_int(s, 1, seq);
	if (one(st, s, int_row, &n, e) < 0)
		return -1;
	return n > 0;
}

static const char SQL_LEDGER_ALL[] =
    "SELECT " LEDGER_COLS " FROM ledger "
    "WHERE ($1 = '' OR subject = $1) AND ($2 = '' OR decision = $2) "
    "ORDER BY seq";

int
store_award_ledger_each(struct store *st, const char *subject,
    const char *decision, int (*fn)(void *, const struct ledger_entry *),
    void *ctx, struct err *e)
{
	struct store_stmt *s;
	struct ledger_entry l;
	int rc;

	STORE_PREP(s, st, SQL_LEDGER_ALL, e);
	store_bind_text(s, 1, subject ? subject : "");
	store_bind_text(s, 2, decision ? decision : "");
	while ((rc = store_step(s)) == STORE_ROW) {
		ledger_row(s, &l);
		if (fn(ctx, &l) != 0) {
			store_reset(s);
			return -1;
		}
	}
	store_reset(s);
	return rc == STORE_ERR ? store_err(st, e) : 0;
}
