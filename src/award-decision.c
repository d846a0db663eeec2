/*
 * award-decision.c: numbered award decisions (decision_make in award.h):
 * cash from the base salary in force, one ledger entry per recipient,
 * the awards history, all in one transaction; and the document model the
 * PDF and XLSX writers print (decision_doc_load).
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "award-ledger.h"
#include "award-pdf.h"
#include "award-int.h"
#include "award.h"
#include "rules.h"
#include "store-award.h"
#include "store.h"
#include "util.h"

int64_t
decision_amount(double coefficient, int64_t base, int collective,
    int commendation)
{
	/* The coefficient in millionths: exact for every value in use. */
	int64_t micro = llround(coefficient * 1e6);
	int64_t mult = collective && commendation ? 2 : 1;

	if (micro <= 0 || base <= 0)
		return 0;
	/* Rounded up to the đồng (RULES.md §8.5). */
	return (micro * base * mult + 999999) / 1000000;
}

struct pick {
	int64_t	 id;
	char	 code[AWARD_CODE];
	char	 name[AWARD_NAME];
	char	 kind[8];
	char	 based_on[AWARD_TEXT];
	int	 pass;
};
struct picks {
	struct pick	*v;
	size_t		 n, cap;
	double		 min_pct;
};

static int
pick_row(void *arg, const struct award_candidate *c)
{
	struct picks *p = arg;
	struct pick *k;

	grow(&p->v, &p->cap, p->n + 1, sizeof *p->v);
	k = &p->v[p->n++];
	k->id = c->s.id;
	snprintf(k->code, sizeof k->code, "%s", c->s.code);
	snprintf(k->name, sizeof k->name, "%s", c->s.name);
	snprintf(k->kind, sizeof k->kind, "%s", c->s.kind);
	snprintf(k->based_on, sizeof k->based_on, "%s", c->based_on);
	/* With a threshold a ballot is required; without one, a ballot
	 * held must have passed and no ballot means the head decides. */
	k->pass = p->min_pct >= 0 ? c->has_ballot && c->passed :
	    !c->has_ballot || c->passed;
	return 0;
}

static int
check_req(const struct decide_req *r, struct err *e)
{
	int32_t d;

	if (r->number == NULL || *r->number == '\0' ||
	    strlen(r->number) >= sizeof ((struct award_decision *)0)->number)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "number", "%s", TR(
		    "cần số quyết định (tối đa 63 ký tự)",
		    "a decision number is required (at most 63 characters)"));
	if (r->date == NULL || date_parse(r->date, &d) != 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "date", "%s '%s'",
		    TR("ngày quyết định không hợp lệ (YYYY-MM-DD)",
		    "invalid decision date (YYYY-MM-DD)"),
		    r->date ? r->date : "");
	if (r->signer == NULL || *r->signer == '\0' ||
	    strlen(r->signer) >= AWARD_NAME)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "signer", "%s", TR(
		    "cần tên người ký", "the signer's name is required"));
	return 0;
}

static void
decision_out(const struct award_decision *d, const struct picks *p,
    const struct ledger_entry *le, struct sb *o)
{
	size_t i, k = 0;

	sb_printf(o, "{\"proposal\": %" PRId64 ", \"decision\": {\"number\": ",
	    d->proposal);
	sb_json_str(o, d->number);
	sb_puts(o, ", \"date\": ");
	sb_json_str(o, d->date);
	sb_puts(o, ", \"signer\": ");
	sb_json_str(o, d->signer);
	sb_printf(o, ", \"base_salary\": %" PRId64 "},\n \"awarded\": [",
	    d->base_salary);
	for (i = 0; i < p->n; i++) {
		if (!p->v[i].pass)
			continue;
		sb_puts(o, k ? ",\n  {\"subject\": " : "\n  {\"subject\": ");
		sb_json_str(o, p->v[i].code);
		sb_puts(o, ", \"name\": ");
		sb_json_str(o, p->v[i].name);
		sb_puts(o, ", \"award\": ");
		sb_json_str(o, le[k].award);
		sb_printf(o, ", \"amount\": %" PRId64 ", \"ledger_seq\": %" PRId64
		    ", \"hash\": ", le[k].amount, le[k].seq);
		sb_json_str(o, le[k].hash);
		sb_putc(o, '}');
		k++;
	}
	sb_puts(o, "],\n \"not_passed\": [");
	for (i = 0, k = 0; i < p->n; i++)
		if (!p->v[i].pass) {
			if (k++)
				sb_puts(o, ", ");
			sb_json_str(o, p->v[i].code);
		}
	sb_puts(o, "]}");
}

static int
append_all(struct store *st, const struct award_proposal *pr,
    const struct award_decision *d, const struct award_info *ai,
    const struct picks *p, struct ledger_entry *le, struct err *e)
{
	size_t i, k = 0;
	int comm = strcmp(ai->family, "title") != 0;	/* commendation, thematic */

	for (i = 0; i < p->n; i++) {
		struct ledger_entry *l = &le[k];

		if (!p->v[i].pass)
			continue;
		memset(l, 0, sizeof *l);
		snprintf(l->kind, sizeof l->kind, "award");
		snprintf(l->decision, sizeof l->decision, "%s", d->number);
		snprintf(l->date, sizeof l->date, "%s", d->date);
		snprintf(l->signer, sizeof l->signer, "%s", d->signer);
		l->year = pr->year;
		snprintf(l->subject, sizeof l->subject, "%s", p->v[i].code);
		snprintf(l->award, sizeof l->award, "%s", pr->award);
		l->amount = decision_amount(ai->cash_coefficient,
		    d->base_salary, strcmp(p->v[i].kind, "unit") == 0, comm);
		snprintf(l->based_on, sizeof l->based_on, "%s",
		    p->v[i].based_on);
		if (ledger_append(st, l, e) != 0 ||
		    store_award_put(st, pr->year, p->v[i].id, pr->award,
		    d->number, d->date, p->v[i].based_on, e) != 0)
			return -1;
		k++;
	}
	return 0;
}

/* The audit entry of a decision: its number, proposal and ledger entries. */
static int
audit_decision(struct store *st, const struct award_decision *d,
    const struct award_proposal *pr, const struct ledger_entry *le, size_t n,
    struct err *e)
{
	json_t *who = json_array();
	char key[24];

	for (size_t i = 0; i < n; i++)
		json_array_append_new(who, json_pack("{s:s, s:I, s:s}",
		    "subject", le[i].subject, "seq", (json_int_t)le[i].seq,
		    "hash", le[i].hash));
	snprintf(key, sizeof key, "%" PRId64, pr->id);
	return audit_record_json(st, "decide", "proposals", key,
	    json_pack("{s:s}", "state", pr->state), json_pack(
	    "{s:s, s:s, s:s, s:s, s:i, s:s, s:o}", "state", "decided",
	    "number", d->number, "date", d->date, "signer", d->signer,
	    "year", pr->year, "award", pr->award, "recipients", who), e);
}

int
decision_make(struct store *st, const struct decide_req *r, struct sb *o,
    struct err *e)
{
	struct award_proposal pr;
	struct award_decision d;
	struct award_info ai;
	struct picks p = { NULL, 0, 0, -1 };
	struct ledger_entry *le = NULL;
	char now[24];
	size_t i, npass = 0;
	int rc;

	if (check_req(r, e) != 0)
		return -1;
	if (prop_get(st, r->proposal, &pr, e) != 0 ||
	    rules_award_info(st, pr.year, pr.award, &ai, e) != 0)
		return -1;
	if (strcmp(pr.state, "reviewed") != 0)
		return err_at(e, ERR_CONFLICT, NULL, 0, 0, "state", "%s %"
		    PRId64 " %s '%s' (%s)", TR("tờ trình", "proposal"),
		    r->proposal, TR("đang ở trạng thái", "is in state"),
		    pr.state, TR("chỉ quyết định tờ trình đã được Hội đồng xét",
		    "only a proposal reviewed by the council is decided"));
	memset(&d, 0, sizeof d);
	d.proposal = r->proposal;
	snprintf(d.number, sizeof d.number, "%s", r->number);
	snprintf(d.date, sizeof d.date, "%s", r->date);
	snprintf(d.signer, sizeof d.signer, "%s", r->signer);
	if ((rc = store_award_base_salary(st, d.date, &d.base_salary, e)) <= 0)
		return rc < 0 ? -1 : err_at(e, ERR_USER, NULL, 0, 0, "date",
		    "%s %s", TR("không có mức lương cơ sở áp dụng vào ngày",
		    "no base salary in force on"), d.date);
	p.min_pct = ai.min_pct_of_members;
	if (store_award_candidate_each(st, r->proposal, pick_row, &p, e) != 0)
		goto fail_nort;
	for (i = 0; i < p.n; i++)
		npass += p.v[i].pass;
	for (i = 0; ai.once && i < p.n; i++)	/* once-only: never a second */
		if (p.v[i].pass && store_award_once_check(st, p.v[i].code,
		    pr.award, pr.year, e) != 0)
			goto fail_nort;
	if (npass == 0) {
		err_at(e, ERR_USER, NULL, 0, 0, "ballot", "%s", TR(
		    "không ứng viên nào đạt ngưỡng biểu quyết của Hội đồng",
		    "no candidate reached the council's ballot threshold"));
		goto fail_nort;
	}
	d.recipients = (long)npass;
	le = xcalloc(npass, sizeof *le);
	prop_now(now);
	if (store_begin(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		goto fail_nort;
	}
	if (store_award_decision_insert(st, &d, now, e) != 0 ||
	    append_all(st, &pr, &d, &ai, &p, le, e) != 0 ||
	    store_award_proposal_state(st, r->proposal, "decided", NULL, now,
	    e) != 0 ||
	    audit_decision(st, &d, &pr, le, npass, e) != 0)
		goto fail;
	if (store_commit(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		goto fail;
	}
	decision_out(&d, &p, le, o);
	free(le);
	free(p.v);
	return 0;
fail:
	store_rollback(st);
fail_nort:
	free(le);
	free(p.v);
	return -1;
}

/* ---- the document model ---- */

static int
recipient_row(void *arg, const struct award_recipient *r)
{
	struct doc_decision *d = arg;
	struct doc_recipient *x;

	grow(&d->r, &d->cap, d->n + 1, sizeof *d->r);
	x = &d->r[d->n++];
	memset(x, 0, sizeof *x);
	snprintf(x->code, sizeof x->code, "%s", r->s.code);
	snprintf(x->kind, sizeof x->kind, "%s", r->s.kind);
	snprintf(x->name, sizeof x->name, "%s", r->s.name);
	if (strcmp(r->s.kind, "person") == 0)
		snprintf(x->unit_name, sizeof x->unit_name, "%s",
		    r->s.unit_name);
	x->amount = r->amount;
	x->seq = r->seq;
	snprintf(x->hash, sizeof x->hash, "%s", r->hash);
	return 0;
}

int
decision_doc_load(struct store *st, int64_t proposal,
    const struct doc_opts *opt, struct doc_decision *doc, struct err *e)
{
	struct award_proposal pr;
	struct award_decision d;
	struct award_info ai;
	struct award_subject root;
	int rc;

	memset(doc, 0, sizeof *doc);
	if (prop_get(st, proposal, &pr, e) != 0)
		return -1;
	if ((rc = store_award_decision_get(st, proposal, &d, e)) <= 0)
		return rc < 0 ? -1 : err_at(e, ERR_USER, NULL, 0, 0, "proposal",
		    "%s %" PRId64 " %s", TR("tờ trình", "proposal"), proposal,
		    TR("chưa có quyết định", "has no decision yet"));
	if (rules_award_info(st, pr.year, pr.award, &ai, e) != 0)
		return -1;
	if ((rc = store_award_root_unit(st, &root, e)) < 0)
		return -1;
	snprintf(doc->above, sizeof doc->above, "%s", opt && opt->above ?
	    opt->above : "Tổng cục Công nghiệp quốc phòng");
	snprintf(doc->issuer, sizeof doc->issuer, "%s", rc ? root.name : "");
	snprintf(doc->symbol, sizeof doc->symbol, "%s", rc ? root.code : "");
	snprintf(doc->place, sizeof doc->place, "%s", opt && opt->place ?
	    opt->place : "Phú Thọ");
	snprintf(doc->title, sizeof doc->title, "%s", opt && opt->title ?
	    opt->title : "Giám đốc");
	snprintf(doc->number, sizeof doc->number, "%s", d.number);
	snprintf(doc->date, sizeof doc->date, "%s", d.date);
	snprintf(doc->signer, sizeof doc->signer, "%s", d.signer);
	doc->year = pr.year;
	snprintf(doc->award, sizeof doc->award, "%s", pr.award);
	snprintf(doc->award_name, sizeof doc->award_name, "%s", ai.name_vi);
	snprintf(doc->family, sizeof doc->family, "%s", ai.family);
	snprintf(doc->basis, sizeof doc->basis, "%s", ai.basis);
	snprintf(doc->movement, sizeof doc->movement, "%s", pr.movement);
	doc->proposal = proposal;
	doc->base_salary = d.base_salary;
	doc->coefficient = ai.cash_coefficient;
	if (store_award_decision_anchor(st, d.number, &doc->anchor_seq,
	    doc->anchor_hash, e) < 0)
		return -1;
	if (store_award_recipient_each(st, d.number, recipient_row, doc,
	    e) != 0) {
		doc_decision_free(doc);
		return -1;
	}
	return 0;
}
