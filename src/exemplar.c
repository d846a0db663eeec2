/*
 * exemplar.c: advanced examples: the pure discovery and maintenance
 * rules (exemplar_assess, exemplar_keeps) over struct ex_subject, plain
 * values in, verdicts out. The services over the register are in
 * exemplar-svc.c. See exemplar.h and docs/exemplars.md.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "exemplar-int.h"
#include "exemplar.h"
#include "util.h"

const char *const ex_rating_names[5] = { "-", "HTXSNV", "HTTNV", "HTNV",
    "KHTNV" };

static void
reason(struct ex_verdict *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
reason(struct ex_verdict *v, const char *fmt, ...)
{
	va_list ap;

	if (v->nreason >= EX_MAXREASON)
		return;
	va_start(ap, fmt);
	vsnprintf(v->reason[v->nreason++], sizeof v->reason[0], fmt, ap);
	va_end(ap);
}

void
exemplar_assess(const struct ex_subject *s, int have_scores,
    struct ex_verdict *v)
{
	int top = 1, excellent = 0, good = 1, disc = 0, serious = 0;

	memset(v, 0, sizeof *v);
	for (int y = 0; y < EX_WINDOW; y++)	/* ranked every year? */
		have_scores &= s->have_rank[y];
	for (int y = 0; y < EX_WINDOW; y++) {
		if (have_scores)
			top &= s->have_rank[y] && s->rank[y] <= 3;
		excellent += s->rating[y] == 1;
		good &= s->rating[y] >= 1 && s->rating[y] <= 2;
		disc |= s->discipline[y];
		serious |= s->serious[y];
	}
	if (!have_scores)
		top = excellent >= 2 && good;
	if (!top || s->innovations < 1 || disc || serious)
		return;
	v->candidate = 1;
	if (have_scores)
		reason(v, "%s: %d, %d, %d", TR("thứ hạng trong phong trào thi "
		    "đua thường xuyên 3 năm liền", "rank in the regular "
		    "movement, 3 years running"), s->rank[0], s->rank[1],
		    s->rank[2]);
	reason(v, "%s: %s, %s, %s (%d %s)", TR("xếp loại 3 năm",
	    "ratings over 3 years"), ex_rating_names[s->rating[0]],
	    ex_rating_names[s->rating[1]], ex_rating_names[s->rating[2]],
	    excellent, TR("năm HTXSNV", "years HTXSNV"));
	reason(v, "%s: %d", TR("sáng kiến, đề tài được công nhận trong 3 năm",
	    "recognised innovations in 3 years"), s->innovations);
	reason(v, "%s", TR("không bị kỷ luật, không có sự cố an toàn nghiêm "
	    "trọng trong 3 năm", "no discipline and no serious safety "
	    "incident in 3 years"));
}

const char *
exemplar_status_name(enum ex_status s)
{
	static const char *const n[] = { "ok", "slipping", "lapsed" };

	return n[s];
}

/* Does year y of the window meet the standard? Adds reasons when not. */
static int
meets(const struct ex_subject *s, int y, int min_rating, int need_award,
    struct ex_verdict *v)
{
	int ok = 1, yr = y;

	if (s->rating[yr] == 0 || s->rating[yr] > min_rating) {
		ok = 0;
		if (v)
			reason(v, "%s %s (%s %s)", TR("xếp loại",
			    "rating"), ex_rating_names[s->rating[yr]],
			    TR("chuẩn", "standard"),
			    ex_rating_names[min_rating]);
	}
	if (need_award && !s->award_held[yr]) {
		ok = 0;
		if (v)
			reason(v, "%s", TR("không đạt danh hiệu của chuẩn",
			    "did not hold the standard's award"));
	}
	if (s->discipline[yr]) {
		ok = 0;
		if (v)
			reason(v, "%s", TR("bị kỷ luật trong năm",
			    "disciplined in the year"));
	}
	if (s->serious[yr]) {
		ok = 0;
		if (v)
			reason(v, "%s", TR("có sự cố an toàn nghiêm trọng",
			    "serious safety incident"));
	}
	return ok;
}

enum ex_status
exemplar_keeps(const struct ex_subject *s, int min_rating, int need_award,
    struct ex_verdict *v)
{
	int last = EX_WINDOW - 1;

	memset(v, 0, sizeof *v);
	if (meets(s, last, min_rating, need_award, v)) {
		reason(v, "%s", TR("giữ vững chuẩn điển hình",
		    "keeps the standard"));
		return EX_OK;
	}
	return meets(s, last - 1, min_rating, need_award, NULL) ?
	    EX_SLIPPING : EX_LAPSED;
}
