/*
 * award-recognise.c: prompt recognition of a campaign (recognise_run in
 * award.h): top performers → proposal → decision in one go.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "movement.h"
#include "award.h"
#include "store.h"
#include "util.h"

int
recognise_run(struct store *st, const struct recognise_req *r,
    int64_t *proposal, struct sb *out, struct err *e)
{
	struct movement mv;
	struct recognition *rec = NULL;
	const char **subj = NULL, **just = NULL;
	char **texts = NULL;
	size_t n = 0, i, k = 0;
	int y, m, d, rc = -1;
	struct propose_req pr;
	struct decide_req dr;

	memset(&mv, 0, sizeof mv);
	if (movement_get(st, r->movement, &mv, e) != 0)
		return -1;
	date_to_ymd(mv.end, &y, &m, &d);
	if (movement_recognition(st, r->movement, NULL, r->top > 0 ? r->top : 3,
	    &rec, &n, e) != 0)
		goto out;
	subj = xcalloc(n + 1, sizeof *subj);
	just = xcalloc(n + 1, sizeof *just);
	texts = xcalloc(n + 1, sizeof *texts);
	for (i = 0; i < n && k < PROPOSAL_MAXSUBJ; i++) {
		if (!rec[i].top)
			continue;
		subj[k] = rec[i].subject;
		texts[k] = xasprintf("%s %s: %s %d, %s %.2f", TR(
		    "Kết quả phong trào", "Campaign result of"), r->movement,
		    TR("hạng", "rank"), rec[i].rank, TR("điểm", "score"),
		    rec[i].score);
		just[k] = texts[k];
		k++;
	}
	if (k == 0) {
		err_at(e, ERR_USER, NULL, 0, 0, "movement", "%s %s",
		    TR("không có ai dẫn đầu trong phong trào",
		    "nobody leads in the movement"), r->movement);
		goto out;
	}
	pr = (struct propose_req){ y, r->award ? r->award : "GK", r->movement,
	    subj, (int)k, NULL, NULL, 0, NULL, just, NULL };
	if (proposal_create(st, &pr, proposal, e) != 0 ||
	    proposal_act(st, *proposal, PA_SUBMIT, NULL, e) != 0 ||
	    proposal_act(st, *proposal, PA_REVIEW, NULL, e) != 0)
		goto out;
	dr = (struct decide_req){ *proposal, r->number, r->date, r->signer };
	if ((rc = decision_make(st, &dr, out, e)) != 0 && e->kind == ERR_USER) {
		/* The proposal stays, reviewed: say which, for ballot + decide. */
		char m[sizeof e->msg];

		snprintf(m, sizeof m, "%s (%s %" PRId64 ")", e->msg, TR(
		    "tờ trình đã lập và chờ quyết định:",
		    "the proposal is drawn up and awaits a decision:"),
		    *proposal);
		snprintf(e->msg, sizeof e->msg, "%s", m);
	}
out:
	for (i = 0; texts && i < k; i++)
		free(texts[i]);
	free(texts);
	free(subj);
	free(just);
	free(rec);
	movement_free(&mv);
	return rc;
}
