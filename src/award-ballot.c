/*
 * award-ballot.c: the council's secret-ballot counts (ballot_record in
 * award.h). Only the counts are kept, never who voted how. The
 * threshold is the award's ballot.min_pct_of_members from the rule set
 * (yes ≥ P % of all members, written votes of absent members counted);
 * without one, a simple majority of all members.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "award-int.h"
#include "award.h"
#include "rules.h"
#include "store-award.h"
#include "store.h"
#include "util.h"

int
ballot_passes(long members, long yes, double min_pct)
{
	if (min_pct < 0)
		return 2 * yes > members;
	/* yes / members ≥ P / 100, compared without rounding error. */
	return (double)yes * 100.0 >= min_pct * (double)members - 1e-9;
}

struct who {
	int64_t	 id;
	char	 code[AWARD_CODE];
};
struct whos {
	struct who	*v;
	size_t		 n, cap;
	const char	*only;
};

static int
who_row(void *arg, const struct award_candidate *c)
{
	struct whos *w = arg;

	if (w->only && strcmp(w->only, c->s.code) != 0)
		return 0;
	grow(&w->v, &w->cap, w->n + 1, sizeof *w->v);
	w->v[w->n].id = c->s.id;
	snprintf(w->v[w->n++].code, AWARD_CODE, "%s", c->s.code);
	return 0;
}

static int
check_counts(const struct ballot_req *r, long present, struct err *e)
{
	const struct {
		const char *field;
		int bad;
	} rules[] = {
		{ "members", r->members <= 0 },
		{ "present", present < 0 || present > r->members },
		{ "written", r->written < 0 || r->written > r->members - present },
		{ "yes", r->yes < 0 || r->yes > present + r->written },
	};

	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (rules[i].bad)
			return err_at(e, ERR_USER, NULL, 0, 0, rules[i].field,
			    "%s (%s %ld, %s %ld, %s %ld, %s %ld)", TR(
			    "số phiếu không hợp lệ: 0 < có mặt ≤ thành viên, "
			    "phiếu bằng văn bản ≤ vắng mặt, đồng ý ≤ có mặt + "
			    "văn bản", "inconsistent counts: 0 < present ≤ "
			    "members, written ≤ absent, yes ≤ present + "
			    "written"), TR("thành viên", "members"), r->members,
			    TR("có mặt", "present"), present,
			    TR("văn bản", "written"), r->written,
			    TR("đồng ý", "yes"), r->yes);
	return 0;
}

/* One audit entry per count: the candidates it was for and the counts. */
static int
audit_ballot(struct store *st, const struct ballot_req *r,
    const struct award_ballot *b, const struct whos *w, struct err *e)
{
	json_t *who = json_array();
	char key[24];

	for (size_t i = 0; i < w->n; i++)
		json_array_append_new(who, json_string(w->v[i].code));
	snprintf(key, sizeof key, "%" PRId64, r->proposal);
	return audit_record_json(st, "ballot", "proposals", key, NULL,
	    json_pack("{s:o, s:i, s:i, s:i, s:i, s:b}", "candidates", who,
	    "members", (int)b->members, "present", (int)b->present, "written",
	    (int)b->written, "yes", (int)b->yes, "passed", b->passed), e);
}

int
ballot_record(struct store *st, const struct ballot_req *r, struct sb *o,
    struct err *e)
{
	struct award_proposal p;
	struct award_info ai;
	struct whos w = { NULL, 0, 0, r->subject };
	struct award_ballot b;
	long present = r->present < 0 ? r->members : r->present;
	char now[24];
	size_t i;

	if (check_counts(r, present, e) != 0)
		return -1;
	if (prop_get(st, r->proposal, &p, e) != 0 ||
	    rules_award_info(st, p.year, p.award, &ai, e) != 0)
		return -1;
	if (strcmp(p.state, "submitted") != 0 &&
	    strcmp(p.state, "reviewed") != 0)
		return err_at(e, ERR_CONFLICT, NULL, 0, 0, "state", "%s %"
		    PRId64 " %s '%s' (%s)", TR("tờ trình", "proposal"),
		    r->proposal, TR("đang ở trạng thái", "is in state"),
		    p.state, TR("chỉ bỏ phiếu khi đã trình hoặc đang xét",
		    "ballots are held once submitted or under review"));
	if (store_award_candidate_each(st, r->proposal, who_row, &w, e) != 0)
		return -1;
	if (w.n == 0) {
		free(w.v);
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "subject", "%s '%s'",
		    TR("không có ứng viên này trong tờ trình",
		    "no such candidate in the proposal"),
		    r->subject ? r->subject : "");
	}
	memset(&b, 0, sizeof b);
	b.proposal = r->proposal;
	b.members = r->members;
	b.present = present;
	b.written = r->written;
	b.yes = r->yes;
	b.min_pct = ai.min_pct_of_members;
	b.passed = ballot_passes(r->members, r->yes, b.min_pct);
	prop_now(now);
	if (store_begin(st) != 0) {
		free(w.v);
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	}
	for (i = 0; i < w.n; i++) {
		b.subject_id = w.v[i].id;
		if (store_award_ballot_put(st, &b, now, e) != 0) {
			store_rollback(st);
			free(w.v);
			return -1;
		}
	}
	if (audit_ballot(st, r, &b, &w, e) != 0) {
		store_rollback(st);
		free(w.v);
		return -1;
	}
	if (store_commit(st) != 0) {
		store_rollback(st);
		free(w.v);
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	}
	sb_printf(o, "{\"proposal\": %" PRId64 ", \"ballots\": [", r->proposal);
	for (i = 0; i < w.n; i++) {
		sb_puts(o, i ? ",\n {\"subject\": " : "\n {\"subject\": ");
		sb_json_str(o, w.v[i].code);
		sb_printf(o, ", \"members\": %ld, \"present\": %ld, \"written\": "
		    "%ld, \"yes\": %ld, \"rule\": \"%s\", \"min_pct_of_members\": ",
		    b.members, b.present, b.written, b.yes,
		    b.min_pct < 0 ? "majority" : "min_pct");
		if (b.min_pct < 0)
			sb_puts(o, "null");
		else
			sb_printf(o, "%g", b.min_pct);
		sb_printf(o, ", \"passed\": %s}", b.passed ? "true" : "false");
	}
	sb_puts(o, "]}");
	free(w.v);
	return 0;
}
