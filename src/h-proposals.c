/*
 * h-proposals.c: the API twins of propose, proposal, ballot, decide and
 * ledger. Reads run on the request's thread; writes are queued on the
 * writer thread as jobs of their own (the services run their own
 * transactions). Every answer is the very JSON document the CLI prints
 * with --format json (services in award.h and award-ledger.h).
 *
 * Bodies are JSON objects, checked by the route table's field specs
 * (http-routes.c: b_propose, b_return, b_ballot, b_decide, b_recognise,
 * b_revoke) before the handler runs and read here from struct args:
 *   POST /api/v1/proposals            {"year", "award", "subjects": [...],
 *                                      "movement", "override", "attachments",
 *                                      "received" (the dossier's date of
 *                                      receipt: it decides the rule set)}
 *   POST /api/v1/proposals/{id}/submit|review  (no body)
 *   POST /api/v1/proposals/{id}/return   {"reason"}
 *   POST /api/v1/proposals/{id}/ballots  {"members", "yes", "present",
 *                                         "written", "subject"}
 *   POST /api/v1/proposals/{id}/decision {"number", "date", "signer"}
 *   POST /api/v1/movements/{code}/recognise {"top", "award", "number",
 *                                      "date", "signer"} (prompt recognition)
 *   POST /api/v1/ledger/{seq}/revoke     {"reason", "date", "number", "signer"}
 * and GET /api/v1/ledger/verify?head=SEQ:HASH (the anchor, as --head).
 */
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "http.h"
#include "award-ledger.h"
#include "award.h"
#include "store.h"

static int
id_param(struct req *r, int64_t *id)
{
	if (parse_i64(r->param[0], id) != 0 || *id <= 0)
		return err_at(&r->e, ERR_NOTFOUND, NULL, 0, 0, "id", "%s '%s'",
		    TR("không có tờ trình", "no proposal"), r->param[0]);
	return 0;
}

/* The body's integer field name when it was sent, else dflt. */
static long
opt(const struct req *r, const char *name, long long v, long dflt)
{
	return valid_seen(r->route->fields, r->a.seen, name) ? (long)v : dflt;
}

static int
reply(struct req *r, int rc, int status)
{
	if (rc != 0) {
		sb_reset(&r->out);
		return -1;
	}
	r->status = status;
	return 0;
}

int
h_proposal_list(struct req *r)
{
	return proposal_list_json(r->st, (int)r->a.year, &r->out, &r->e) == 0 ?
	    200 : -1;
}

int
h_proposal_get(struct req *r)
{
	int64_t id;

	if (id_param(r, &id) != 0)
		return -1;
	return proposal_json(r->st, id, &r->out, &r->e) == 0 ? 200 : -1;
}

static int
job_propose(struct store *st, struct req *r, struct err *e)
{
	const char *subj[PROPOSAL_MAXSUBJ], *att[64];
	struct propose_req pr;
	int ns = 0, na = 0;
	int64_t id;

	memset(&pr, 0, sizeof pr);
	pr.year = (int)r->a.year;
	pr.award = r->a.award;
	pr.movement = r->a.movement;
	pr.override = r->a.override;
	pr.received = r->a.received;	/* the dossier's date of receipt */
	if (pr.year < 1900 || pr.year > 2999 || pr.award == NULL)
		return err_at(e, ERR_USER, NULL, 0, 0, pr.award ? "year" :
		    "award", "%s", TR("cần năm và mã hình thức khen thưởng",
		    "year and award are required"));
	/* the field specs bound both lists (4096 and 64 items) */
	for (size_t i = 0; i < r->a.subjects.n && ns < PROPOSAL_MAXSUBJ; i++)
		subj[ns++] = valid_list_at(&r->a.subjects, i);
	for (size_t i = 0; i < r->a.attachments.n && na < 64; i++)
		att[na++] = valid_list_at(&r->a.attachments, i);
	/* Admitting a subject that is not eligible is the admin's call. */
	if (pr.override && r->user.role != ROLE_ADMIN)
		return err_at(e, ERR_FORBIDDEN, NULL, 0, 0, "override", "%s",
		    TR("chỉ quản trị viên được ghi giải trình vượt điều kiện",
		    "only an admin may override eligibility"));
	/* A commander proposes only people and units of their subtree. */
	if (r->scope_root && ns == 0)
		return err_at(e, ERR_FORBIDDEN, NULL, 0, 0, "subjects", "%s",
		    TR("hãy liệt kê các đối tượng thuộc đơn vị của mình",
		    "list the subjects, all inside your unit"));
	for (int k = 0; r->scope_root && k < ns; k++) {
		int in = auth_code_in(st, r->scope_root, 'u', subj[k], NULL, e);

		if (in < 0)
			return -1;
		if (in == 0)
			return err_at(e, ERR_FORBIDDEN, NULL, 0, 0, "subjects",
			    "%s '%s'", TR("ngoài phạm vi đơn vị của bạn",
			    "outside your unit"), subj[k]);
	}
	pr.subjects = subj;
	pr.nsubjects = ns;
	pr.attach = att;
	pr.nattach = na;
	if (proposal_create(st, &pr, &id, e) != 0)
		return -1;
	sb_reset(&r->out);
	return reply(r, proposal_json(st, id, &r->out, e), 201);
}

int
h_proposal_post(struct req *r)
{
	return http_write(r, job_propose, 1);
}

static int
act(struct store *st, struct req *r, enum proposal_action a, struct err *e)
{
	int64_t id;

	if (id_param(r, &id) != 0)
		return *e = r->e, -1;
	/* only return takes a body ({reason}) */
	if (proposal_act(st, id, a, r->a.reason, e) != 0)
		return -1;
	sb_reset(&r->out);
	return reply(r, proposal_json(st, id, &r->out, e), 200);
}

static int
job_submit(struct store *st, struct req *r, struct err *e)
{
	return act(st, r, PA_SUBMIT, e);
}

static int
job_review(struct store *st, struct req *r, struct err *e)
{
	return act(st, r, PA_REVIEW, e);
}

static int
job_return(struct store *st, struct req *r, struct err *e)
{
	return act(st, r, PA_RETURN, e);
}

int
h_proposal_submit(struct req *r)
{
	return http_write(r, job_submit, 1);
}

int
h_proposal_review(struct req *r)
{
	return http_write(r, job_review, 1);
}

int
h_proposal_return(struct req *r)
{
	return http_write(r, job_return, 1);
}

static int
job_ballot(struct store *st, struct req *r, struct err *e)
{
	struct ballot_req br;

	if (id_param(r, &br.proposal) != 0)
		return *e = r->e, -1;
	br.subject = r->a.subject;
	br.members = opt(r, "members", r->a.members, 0);
	br.yes = opt(r, "yes", r->a.yes, -1);
	br.present = opt(r, "present", r->a.present, -1);
	br.written = opt(r, "written", r->a.written, 0);
	sb_reset(&r->out);
	return reply(r, ballot_record(st, &br, &r->out, e), 201);
}

int
h_ballot_post(struct req *r)
{
	return http_write(r, job_ballot, 1);
}

static int
job_decide(struct store *st, struct req *r, struct err *e)
{
	struct decide_req d;

	if (id_param(r, &d.proposal) != 0)
		return *e = r->e, -1;
	d.number = r->a.number;
	d.date = r->a.date;
	d.signer = r->a.signer;
	sb_reset(&r->out);
	return reply(r, decision_make(st, &d, &r->out, e), 201);
}

int
h_decision_post(struct req *r)
{
	return http_write(r, job_decide, 1);
}

/* Prompt recognition of a campaign (recognise_run, as thidua recognise). */
static int
job_recognise(struct store *st, struct req *r, struct err *e)
{
	struct recognise_req q;
	int64_t id = 0;
	long long top = r->a.top;	/* 0 when absent */

	memset(&q, 0, sizeof q);
	q.movement = r->param[0];
	if (top < 0 || top > 1000)
		return err_at(e, ERR_USER, NULL, 0, 0, "top", "%s",
		    TR("top phải từ 0 đến 1000", "top must be 0 to 1000"));
	q.top = (int)top;
	q.award = r->a.award;
	q.number = r->a.number;
	q.date = r->a.date;
	q.signer = r->a.signer;
	sb_reset(&r->out);
	return reply(r, recognise_run(st, &q, &id, &r->out, e), 201);
}

int
h_recognise_post(struct req *r)
{
	return http_write(r, job_recognise, 1);
}

int
h_ledger_get(struct req *r)
{
	return ledger_json(r->st, r->a.subject, &r->out, &r->e) == 0 ? 200 :
	    -1;
}

int
h_ledger_head(struct req *r)
{
	struct ledger_head h;

	if (ledger_head_get(r->st, &h, &r->e) != 0)
		return -1;
	ledger_head_json(&h, &r->out);
	return 200;
}

int
h_ledger_verify(struct req *r)
{
	struct ledger_check c;
	struct ledger_head a;

	if (r->a.head && ledger_head_parse(r->a.head, "head", &a, &r->e) != 0)
		return -1;
	if (ledger_verify_at(r->st, r->a.head ? &a : NULL, &c, &r->e) != 0)
		return -1;
	ledger_check_json(&c, &r->out);
	/* The check itself succeeded; "ok" says whether the chain is whole. */
	return 200;
}

static int
job_revoke(struct store *st, struct req *r, struct err *e)
{
	struct ledger_revocation v;
	struct ledger_entry l;

	if (parse_i64(r->param[0], &v.seq) != 0 || v.seq <= 0)
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "seq", "%s '%s'",
		    TR("không có mục sổ", "no ledger entry"), r->param[0]);
	v.reason = r->a.reason;
	v.date = r->a.date;
	v.decision = r->a.number;
	v.signer = r->a.signer;
	if (ledger_revoke(st, &v, &l, e) != 0)
		return -1;
	sb_reset(&r->out);
	ledger_entry_json(&l, &r->out);
	r->status = 201;
	return 0;
}

int
h_ledger_revoke(struct req *r)
{
	return http_write(r, job_revoke, 1);
}
