/*
 * exemplar-svc.c: the services over the register of advanced examples:
 * add and adopt (validated, audited, one transaction each); the
 * documents the CLI and its HTTP twin both print (list, show, discover,
 * check: JSON or a text table, into a struct sb); the demo's exemplars.
 * They read the store (store-exemplar.h) and run the pure rules of
 * exemplar.c. See exemplar.h and docs/exemplars.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "codemap.h"
#include "exemplar-int.h"
#include "exemplar.h"
#include "snapcache-kept.h"
#include "movement.h"
#include "store-elig.h"
#include "store-exemplar.h"
#include "store.h"
#include "util.h"

static int
rating_code(const char *r)
{
	for (int i = 1; i <= 3; i++)
		if (strcmp(ex_rating_names[i], r) == 0)
			return i;
	return 0;
}

/* Roll back a write that failed (e says why, or the store does). */
static int
ex_abort(struct store *st, struct err *e)
{
	if (e->kind == ERR_OK)
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	store_rollback(st);
	return -1;
}

int
exemplar_add(struct store *st, const struct exemplar_new *x, int64_t *id,
    struct err *e)
{
	if (x->field == NULL || *x->field == '\0')
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--field", "%s",
		    TR("thiếu lĩnh vực", "the field is missing"));
	if (x->reason == NULL || *x->reason == '\0')
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--reason", "%s",
		    TR("thiếu lý do (điều làm nên điển hình)",
		    "the reason (what makes it exemplary) is missing"));
	if (x->since < 1900 || x->since > 2999)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--since", "%d: %s",
		    x->since, TR("năm không hợp lệ", "bad year"));
	if (x->min_rating && rating_code(x->min_rating) == 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--min-rating",
		    "'%s': HTXSNV|HTTNV|HTNV", x->min_rating);
	if (x->award && !code_valid(x->award))
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--award", "'%s': %s",
		    x->award, TR("mã không hợp lệ", "invalid code"));
	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if (store_exemplar_add(st, x, id, e) != 0 ||
	    audit_record_json(st, "add", "exemplars", x->subject, NULL,
	    json_pack("{s:I, s:s, s:s, s:i, s:s?, s:s?}", "id", (json_int_t)*id,
	    "field", x->field, "reason", x->reason, "since", x->since,
	    "min_rating", x->min_rating, "award", x->award), e) != 0)
		return ex_abort(st, e);
	return store_commit(st) == 0 ? 0 : ex_abort(st, e);
}

int
exemplar_adopt(struct store *st, int64_t id, const char *unit,
    const char *date, const char *practice, struct err *e)
{
	int32_t d;

	if (unit == NULL)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--unit", "%s",
		    TR("thiếu đơn vị", "the unit is missing"));
	if (date == NULL || date_parse(date, &d) != 0)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--date", "'%s': %s",
		    date ? date : "", TR("ngày không hợp lệ (YYYY-MM-DD)",
		    "bad date (YYYY-MM-DD)"));
	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if (store_exemplar_adopt(st, id, unit, date, practice, e) != 0 ||
	    audit_record_json(st, "adopt", "exemplars", unit, NULL,
	    json_pack("{s:I, s:s, s:s, s:s?}", "exemplar", (json_int_t)id,
	    "unit", unit, "date", date, "practice", practice), e) != 0)
		return ex_abort(st, e);
	return store_commit(st) == 0 ? 0 : ex_abort(st, e);
}

static void
row_json(struct sb *b, const struct ex_row *r)
{
	sb_printf(b, "{\"id\":%lld,\"subject\":", (long long)r->id);
	sb_json_str(b, r->subject);
	sb_printf(b, ",\"subject_kind\":\"%s\",\"name\":",
	    r->is_unit ? "unit" : "person");
	sb_json_str(b, r->name);
	sb_puts(b, ",\"field\":");
	sb_json_str(b, r->field);
	sb_puts(b, ",\"reason\":");
	sb_json_str(b, r->reason);
	sb_printf(b, ",\"since\":%d,\"min_rating\":\"%s\",\"award\":",
	    r->since, r->min_rating);
	if (r->award[0])
		sb_json_str(b, r->award);
	else
		sb_puts(b, "null");
	sb_printf(b, ",\"adoptions\":%ld", r->adoptions);
}

static void
row_text(struct sb *b, const struct ex_row *r)
{
	sb_printf(b, "#%lld %s %s — %s (%s %d; %s %s%s%s; %ld %s)\n    %s\n",
	    (long long)r->id, r->subject, r->name, r->field,
	    TR("từ", "since"), r->since, TR("chuẩn", "standard"),
	    r->min_rating, r->award[0] ? " + " : "", r->award, r->adoptions,
	    TR("đơn vị học tập", "adopting units"), r->reason);
}

int
exemplar_list(struct store *st, int json, struct sb *b, struct err *e)
{
	struct ex_row *r;
	size_t n;

	if (store_exemplar_rows(st, 0, &r, &n, e) != 0)
		return -1;
	if (json)
		sb_puts(b, "{\"exemplars\":[");
	for (size_t i = 0; i < n; i++) {
		if (json) {
			sb_puts(b, i ? "," : "");
			row_json(b, &r[i]);
			sb_putc(b, '}');
		} else
			row_text(b, &r[i]);
	}
	if (json)
		sb_puts(b, "]}\n");
	else if (n == 0)
		sb_printf(b, "%s\n", TR("(chưa có điển hình nào)",
		    "(no exemplar registered)"));
	free(r);
	return 0;
}

/* Score of SUBJECT in YEAR's regular movement; 0 when unknown. */
static int
score_of(struct store *st, const char *subj, int year, double *score)
{
	struct subject_score *sc = NULL;
	size_t n = 0;
	struct err e;
	int found = 0;

	if (movement_scores(st, "regular", year, &sc, &n, &e) != 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(sc[i].subject, subj) == 0) {
			*score = sc[i].score;
			found = 1;
		}
	free(sc);
	return found;
}

static int
side_json(struct store *st, struct sb *b, const char *unit, int year,
    struct err *e)
{
	double score = 0;
	int r = store_exemplar_rating(st, unit, year, e);

	if (r < 0)
		return -1;
	sb_printf(b, "{\"year\":%d,\"rating\":", year);
	if (r > 0)
		sb_printf(b, "\"%s\"", ex_rating_names[r]);
	else
		sb_puts(b, "null");
	if (score_of(st, unit, year, &score))
		sb_printf(b, ",\"score\":%.2f}", score);
	else
		sb_puts(b, ",\"score\":null}");
	return 0;
}

int
exemplar_show(struct store *st, int64_t id, int json, struct sb *b,
    struct err *e)
{
	struct ex_row *r;
	struct ex_adoption *a = NULL;
	size_t n, na = 0;
	struct sb tmp;
	int rc = 0;

	if (store_exemplar_rows(st, id, &r, &n, e) != 0)
		return -1;
	if (n == 0) {
		free(r);
		return err_set(e, ERR_NOTFOUND, "%lld: %s", (long long)id,
		    TR("không có điển hình này", "no such exemplar"));
	}
	if (store_exemplar_adoptions(st, id, &a, &na, e) != 0) {
		free(r);
		return -1;
	}
	sb_init(&tmp);
	if (json) {
		row_json(b, r);
		sb_puts(b, ",\"adoption_list\":[");
	} else
		row_text(b, r);
	for (size_t i = 0; i < na && rc == 0; i++) {
		int y = atoi(a[i].adopted_on);

		sb_reset(&tmp);
		sb_puts(&tmp, "{\"unit\":");
		sb_json_str(&tmp, a[i].unit);
		sb_puts(&tmp, ",\"name\":");
		sb_json_str(&tmp, a[i].name);
		sb_puts(&tmp, ",\"adopted_on\":");
		sb_json_str(&tmp, a[i].adopted_on);
		sb_puts(&tmp, ",\"practice\":");
		sb_json_str(&tmp, a[i].practice);
		sb_puts(&tmp, ",\"before\":");
		if ((rc = side_json(st, &tmp, a[i].unit, y - 1, e)) != 0)
			break;
		sb_puts(&tmp, ",\"after\":");
		if ((rc = side_json(st, &tmp, a[i].unit, y + 1, e)) != 0)
			break;
		sb_putc(&tmp, '}');
		if (json) {
			sb_puts(b, i ? "," : "");
			sb_putn(b, tmp.s, tmp.len);
		} else {
			int rb = store_exemplar_rating(st, a[i].unit, y - 1, e);
			int ra = store_exemplar_rating(st, a[i].unit, y + 1, e);

			sb_printf(b, "    %s %s %s (%s): %s %d %s → %d %s\n",
			    a[i].adopted_on, a[i].unit, a[i].name,
			    a[i].practice, TR("xếp loại", "rating"), y - 1,
			    ex_rating_names[rb > 0 ? rb : 0], y + 1,
			    ex_rating_names[ra > 0 ? ra : 0]);
		}
	}
	if (json && rc == 0)
		sb_puts(b, "]}\n");
	sb_free(&tmp);
	free(a);
	free(r);
	return rc;
}

/* Fill ranks from the regular movements of the window; 1 when known.
 * (Each score finds its subject by code through a hash: a search of
 * every subject for each score was a trillion comparisons for a
 * movement of a million people.) */
static int
fill_ranks(struct store *st, int y0, struct ex_subject *v, size_t n)
{
	struct codemap at;
	int any = 0;

	codemap_init(&at);	/* filled at the first score */
	for (int y = 0; y < EX_WINDOW; y++) {
		struct subject_score *sc = NULL;
		size_t ns = 0;
		struct err e;
		int64_t k;

		if (movement_scores(st, "regular", y0 + y, &sc, &ns, &e) != 0) {
			any = 0;
			break;
		}
		if (ns > 0 && at.n == 0)
			for (size_t j = 0; j < n; j++)
				codemap_put(&at, v[j].code, (int64_t)j, 0);
		for (size_t i = 0; i < ns; i++)
			if (codemap_get(&at, sc[i].subject, &k, NULL)) {
				v[k].have_rank[y] = 1;
				v[k].rank[y] = sc[i].rank;
				any = 1;
			}
		free(sc);
	}
	codemap_free(&at);
	return any;
}

/*
 * The server keeps its last discoveries (exemplar_keep): the year, the
 * stamps read before the window (the eligibility tables', which every
 * write of subjects, names, units, people, ratings, awards, innovations,
 * discipline or incidents replaces, and the movements', which the ranks
 * rest on) and the candidates found, in code order. Each answer writes
 * their reasons again, in its own language, reads the register for who
 * is registered and applies its caller's scope. At a million people the
 * window is 2.5-3 s a discovery; a kept one is its few thousand
 * candidates (snapcache-kept.h; the code is "discover", aux whether ranks were
 * known).
 */
static struct kept_set found_kept = KEPT_SET_ONCE(sizeof(struct ex_subject),
    2, 200000, "ex-found");	/* (candidates: about 300 bytes each) */

static struct kept_set checks_kept;

void
exemplar_keep(int on)
{
	kept_on(&found_kept, on);
	kept_on(&checks_kept, on);
}

/*
 * The candidates of the window from y0 (every subject's, the scope
 * aside), in code order, into *out (n); *scores: whether the movement's
 * ranks were known. 0 or -1 (e filled).
 */
static int
find_candidates(struct store *st, int y0, struct ex_subject **out, size_t *n,
    int *scores, struct err *e)
{
	struct ex_subject *v;
	size_t nv, k = 0;

	if (store_exemplar_window(st, y0, EXW_INNOVATORS, NULL, 0, &v, &nv,
	    e) != 0)
		return -1;
	*scores = fill_ranks(st, y0, v, nv);
	for (size_t i = 0; i < nv; i++) {
		struct ex_verdict vd;

		exemplar_assess(&v[i], *scores, &vd);
		if (vd.candidate)
			v[k++] = v[i];	/* (k ≤ i) */
	}
	*out = v;
	*n = k;
	return 0;
}

int
exemplar_discover(struct store *st, int year, int json,
    const struct scope_filter *sc, struct sb *b, struct err *e)
{
	struct ex_subject *v = NULL;
	struct ex_row *reg;
	struct elig_stamp es;
	struct mv_stamp ms;
	size_t n = 0, nreg, found = 0;
	int y0 = year - EX_WINDOW + 1, scores = 0, on;

	if (year < 1900 || year > 2999)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--year", "%d: %s",
		    year, TR("năm không hợp lệ", "bad year"));
	/* (the stamps before the window: never newer than it) */
	on = kept_stamp(&found_kept, st, &es, &ms);
	if (!on || !kept_get(&found_kept, "discover", year, &es, &ms,
	    (void **)&v, &n, &scores)) {
		if (find_candidates(st, y0, &v, &n, &scores, e) != 0) {
			if (on)		/* (KEPT_SET_ONCE) */
				kept_drop(&found_kept, "discover", year);
			return -1;
		}
		if (on)
			kept_put(&found_kept, "discover", year, &es, &ms, v, n,
			    scores);
	}
	if (store_exemplar_rows(st, 0, &reg, &nreg, e) != 0) {
		free(v);
		return -1;
	}
	if (json)
		sb_printf(b, "{\"year\":%d,\"from\":%d,\"basis\":\"%s\","
		    "\"candidates\":[", year, y0, scores ? "movement" :
		    "ratings");
	else
		sb_printf(b, "%s %d–%d (%s)\n", TR("Ứng viên điển hình tiên "
		    "tiến", "Exemplar candidates"), y0, year, scores ?
		    TR("theo thứ hạng phong trào", "by movement ranks") :
		    TR("theo xếp loại", "by ratings"));
	scope_expect(sc, n);
	for (size_t i = 0; i < n; i++) {
		struct ex_verdict vd;
		int registered = 0, in;

		/* (its reasons, in this answer's language) */
		exemplar_assess(&v[i], scores, &vd);
		if ((in = scope_keeps(sc, v[i].code, e)) <= 0) {
			if (in == 0)
				continue;
			free(reg);
			free(v);
			return -1;
		}
		for (size_t k = 0; k < nreg; k++)
			registered |= strcmp(reg[k].subject, v[i].code) == 0;
		if (json) {
			sb_puts(b, found ? ",{\"subject\":" : "{\"subject\":");
			sb_json_str(b, v[i].code);
			sb_printf(b, ",\"subject_kind\":\"%s\",\"name\":",
			    v[i].is_unit ? "unit" : "person");
			sb_json_str(b, v[i].name);
			sb_printf(b, ",\"registered\":%s,\"reasons\":[",
			    registered ? "true" : "false");
			for (int k = 0; k < vd.nreason; k++) {
				sb_puts(b, k ? "," : "");
				sb_json_str(b, vd.reason[k]);
			}
			sb_puts(b, "]}");
		} else {
			sb_printf(b, "%s %s%s\n", v[i].code, v[i].name,
			    registered ? TR(" (đã là điển hình)",
			    " (already registered)") : "");
			for (int k = 0; k < vd.nreason; k++)
				sb_printf(b, "    - %s\n", vd.reason[k]);
		}
		found++;
	}
	if (json)
		sb_puts(b, "]}\n");
	else if (found == 0)
		sb_printf(b, "%s\n", TR("(không có ứng viên)", "(no candidate)"));
	free(reg);
	free(v);
	return 0;
}

/* bsearch: a code against a subject of the window (in code order). */
static int
by_code(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ex_subject *)elem)->code);
}

/*
 * The windows of reg[k0] and on (sub[k]; zeroed when the subject is in
 * none), as many as one window answers: their standards' awards, at
 * most 64 different ones, asked of it at once (a window a registered
 * exemplar was 3.8 s at a million people, ten exemplars 38 s), each
 * subject's award_held set from its own standard's. Where the next one
 * starts, or -1 (e filled).
 */
static long
window_some(struct store *st, int y0, const struct ex_row *reg, size_t nreg,
    size_t k0, struct ex_subject *sub, struct err *e)
{
	const char *aw[64] = { NULL };
	int na = 0, j;
	size_t k1, n;
	struct ex_subject *v;

	for (k1 = k0; k1 < nreg; k1++) {
		if (reg[k1].award[0] == '\0')
			continue;
		for (j = 0; j < na && strcmp(aw[j], reg[k1].award) != 0; j++)
			;
		if (j == na && na == 64)
			break;	/* (the next window's) */
		if (j == na)
			aw[na++] = reg[k1].award;
	}
	if (store_exemplar_window(st, y0, EXW_REGISTERED, aw, na, &v, &n,
	    e) != 0)
		return -1;
	for (size_t k = k0; k < k1; k++) {
		struct ex_subject *s = bsearch(reg[k].subject, v, n, sizeof *v,
		    by_code);

		for (j = 0; j < na && reg[k].award[0] != '\0' &&
		    strcmp(aw[j], reg[k].award) != 0; j++)
			;
		for (int y = 0; s != NULL && y < EX_WINDOW; y++)
			s->award_held[y] = j < na && reg[k].award[0] != '\0' &&
			    (s->held[y] >> j & 1);
		if (s != NULL)
			sub[k] = *s;
		else
			memset(&sub[k], 0, sizeof sub[k]);
	}
	free(v);
	return (long)k1;
}

/*
 * The server keeps the windows of its last checks (exemplar_keep) under
 * the register's standards (a hash of each exemplar's subject, award and
 * rating, in order) and the year, current while the eligibility tables'
 * stamp holds: a check read a window of every subject (2.5-3 s at a
 * million people) at each visit of the exemplars page; the statuses and
 * their reasons, in the answer's language, are worked out again from the
 * kept windows.
 */
static struct kept_set checks_kept = KEPT_SET(sizeof(struct ex_subject), 2,
    100000, "ex-check");

static void
register_key(const struct ex_row *reg, size_t nreg, char *key, size_t size)
{
	uint64_t h = 14695981039346656037u;	/* FNV-1a */

	for (size_t k = 0; k < nreg; k++) {
		const char *f[3] = { reg[k].subject, reg[k].award,
		    reg[k].min_rating };

		for (int i = 0; i < 3; i++)
			for (const char *p = f[i]; ; p++) {
				h = (h ^ (unsigned char)*p) * 1099511628211u;
				if (*p == '\0')
					break;
			}
	}
	snprintf(key, size, "check:%zu:%016llx", nreg, (unsigned long long)h);
}

/* The windows of every exemplar of reg (sub: nreg), kept or read. */
static int
check_windows(struct store *st, int year, const struct ex_row *reg,
    size_t nreg, struct ex_subject **sub, struct err *e)
{
	struct elig_stamp es;
	char key[33];
	size_t n;
	int on = kept_stamp(&checks_kept, st, &es, NULL);

	register_key(reg, nreg, key, sizeof key);
	if (on && kept_get(&checks_kept, key, year, &es, NULL, (void **)sub,
	    &n, NULL)) {
		if (n == nreg)
			return 0;
		free(*sub);
	}
	*sub = xcalloc(nreg + 1, sizeof **sub);
	for (long k = 0; k >= 0 && (size_t)k < nreg;)
		if ((k = window_some(st, year - EX_WINDOW + 1, reg, nreg,
		    (size_t)k, *sub, e)) < 0) {
			free(*sub);
			*sub = NULL;
			return -1;
		}
	if (on)
		kept_put(&checks_kept, key, year, &es, NULL, *sub, nreg, 0);
	return 0;
}

int
exemplar_check(struct store *st, int year, int json, struct sb *b,
    int *warnings, struct err *e)
{
	struct ex_row *reg;
	struct ex_subject *sub;
	size_t nreg;

	*warnings = 0;
	if (year < 1900 || year > 2999)
		return err_at(e, ERR_USAGE, NULL, 0, 0, "--year", "%d: %s",
		    year, TR("năm không hợp lệ", "bad year"));
	if (store_exemplar_rows(st, 0, &reg, &nreg, e) != 0)
		return -1;
	if (check_windows(st, year, reg, nreg, &sub, e) != 0) {
		free(reg);
		return -1;
	}
	if (json)
		sb_printf(b, "{\"year\":%d,\"results\":[", year);
	for (size_t k = 0; k < nreg; k++) {
		struct ex_verdict vd;
		/* (a subject in no window, which its key forbids, would be
		 * one never rated: lapsed) */
		enum ex_status stt = exemplar_keeps(&sub[k],
		    rating_code(reg[k].min_rating), reg[k].award[0] != 0, &vd);

		*warnings += stt != EX_OK;
		if (json) {
			sb_printf(b, "%s{\"id\":%lld,\"subject\":", k ? "," : "",
			    (long long)reg[k].id);
			sb_json_str(b, reg[k].subject);
			sb_puts(b, ",\"field\":");
			sb_json_str(b, reg[k].field);
			sb_printf(b, ",\"status\":\"%s\",\"reasons\":[",
			    exemplar_status_name(stt));
			for (int r = 0; r < vd.nreason; r++) {
				sb_puts(b, r ? "," : "");
				sb_json_str(b, vd.reason[r]);
			}
			sb_puts(b, "]}");
		} else {
			sb_printf(b, "#%lld %s %s: %s%s\n", (long long)reg[k].id,
			    reg[k].subject, reg[k].field, stt == EX_OK ? "" :
			    TR("CẢNH BÁO ", "WARNING "), stt == EX_OK ?
			    TR("đạt chuẩn", "ok") : stt == EX_SLIPPING ?
			    TR("đang sa sút", "slipping") :
			    TR("không còn đạt chuẩn", "lapsed"));
			for (int r = 0; r < vd.nreason; r++)
				sb_printf(b, "    - %s\n", vd.reason[r]);
		}
	}
	if (json)
		sb_puts(b, "]}\n");
	free(sub);
	free(reg);
	return 0;
}

/*
 * The first team rated HTXSNV last year but not this year becomes an
 * exemplar (standard HTXSNV) since two years ago, so that `check` has a
 * warning to show.
 * 1 registered, 0 none found, -1 on error.
 */
static long
demo_slipping(struct store *st, int year, struct err *e)
{
	struct ex_subject *v;
	size_t n;
	long rc = 0;

	if (store_exemplar_window(st, year - EX_WINDOW + 1, EXW_ALL, NULL, 0,
	    &v, &n, e) != 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const int *r = v[i].rating;
		struct exemplar_new x = { v[i].code, "Tổ sản xuất xuất sắc",
		    "Tổ hoàn thành xuất sắc nhiệm vụ, năng suất cao, an toàn "
		    "(minh họa)", NULL, year - 2, "HTXSNV" };
		int64_t id;

		if (!v[i].is_unit || strstr(v[i].code, "-T") == NULL ||
		    r[EX_WINDOW - 1] != 2 || r[EX_WINDOW - 2] != 1)
			continue;
		rc = exemplar_add(st, &x, &id, e) != 0 ? -1 : 1;
		break;
	}
	free(v);
	return rc;
}

long
exemplar_demo(struct store *st, int year, struct err *e)
{
	static const struct {
		const char *subject, *field, *reason, *award, *rating;
		int since;
	} ex[] = {
		{ "A4", "An toàn sản xuất dây nổ",
		  "Nhiều năm liền không để xảy ra sự cố nghiêm trọng; tổ chức "
		  "tốt đợt thi đua đột kích dây nổ (minh họa)", NULL, "HTTNV",
		  2016 },
		{ "A1", "Thi đua đột kích bán thành phẩm mồi nổ",
		  "Giao bán thành phẩm đúng hạn cho các nhà máy bạn trong "
		  "các đợt cao điểm (minh họa)", NULL, "HTTNV", 2018 },
	};
	static const struct {
		int ex;
		const char *unit, *practice;
		int years_ago;
	} ad[] = {
		{ 0, "A2", "Quy trình kiểm tra an toàn đầu ca của A4", 5 },
		{ 0, "A6", "Quy trình kiểm tra an toàn đầu ca của A4", 3 },
		{ 1, "A3", "Tổ chức ca kíp đột kích theo mẫu A1", 2 },
	};
	int64_t ids[2];
	long n = 0;

	for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
		struct exemplar_new x = { ex[i].subject, ex[i].field,
		    ex[i].reason, ex[i].award, ex[i].since, ex[i].rating };

		if (exemplar_add(st, &x, &ids[i], e) != 0)
			return -1;
		n++;
	}
	for (size_t i = 0; i < sizeof ad / sizeof ad[0]; i++) {
		char date[11];

		snprintf(date, sizeof date, "%d-04-15", year - ad[i].years_ago);
		if (exemplar_adopt(st, ids[ad[i].ex], ad[i].unit, date,
		    ad[i].practice, e) != 0)
			return -1;
	}
	return n + demo_slipping(st, year, e);
}
