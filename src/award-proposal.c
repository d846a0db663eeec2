/*
 * award-proposal.c: proposals and their dossiers (see award.h). Eligibility
 * comes from the rules engine (elig_json); this file only records the
 * verdicts, never decides them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "audit.h"
#include "codemap.h"
#include "elig.h"
#include "award.h"
#include "rules.h"
#include "store-award.h"
#include "store.h"
#include "util.h"

#include "award-int.h"

void
prop_now(char out[24])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* elig_query.keep: the subjects named in a codemap. */
static int
named(void *arg, const char *code, struct err *e)
{
	(void)e;
	return codemap_get(arg, code, NULL, NULL);
}

/*
 * The eligibility results (a jansson array, caller decrefs) for a query:
 * one subject, or those in only (NULL: every one), of the given verdicts.
 */
static json_t *
eligibility_in(struct store *st, const struct propose_req *r,
    const char *rule_set, const char *subject, unsigned verdicts,
    struct codemap *only, struct err *e)
{
	struct elig_query q = { .year = r->year, .subject = subject,
	    .award = r->award, .rule_set = rule_set, .verdicts = verdicts,
	    .keep = only != NULL ? named : NULL, .keep_arg = only };
	json_t *root, *res;
	json_error_t je;
	struct sb b;

	sb_init(&b);
	if (elig_json(st, &q, &b, e) != 0) {
		sb_free(&b);
		return NULL;
	}
	root = json_loadb(b.s, b.len, 0, &je);
	sb_free(&b);
	res = root ? json_object_get(root, "results") : NULL;
	if (!json_is_array(res)) {
		json_decref(root);
		err_set(e, ERR_SYSTEM, "%s", TR("kết quả xét điều kiện không "
		    "hợp lệ", "invalid eligibility output"));
		return NULL;
	}
	json_incref(res);
	json_decref(root);
	return res;
}

/*
 * The transition (Law 06/2026/QH16 Đ.4 k4): the rule set in force on the
 * day the dossier was received decides, unless one that came into force
 * since (in force on the day of proposing) is more favourable. Both are
 * evaluated then; each result says which decided and carries both.
 */
struct transition {
	char	 received[11];
	char	 old[33];	/* in force on the day of receipt */
	char	 now[33];	/* in force today; "" when the same */
};
static struct transition g_tr;	/* (set by proposal_create for gather) */

static const char *jstr(json_t *, const char *);

static int
favour(const char *verdict)
{
	static const char *const order[] = { "ineligible", "held", "over_quota",
	    "eligible" };

	for (int i = 3; i >= 0; i--)
		if (strcmp(verdict, order[i]) == 0)
			return i;
	return -1;
}

static json_t *
eligibility(struct store *st, const struct propose_req *r,
    const char *subject, unsigned verdicts, struct codemap *only,
    struct err *e)
{
	json_t *a, *b, *x, *y, *out;
	size_t i, j;

	if (r->rule_set != NULL || g_tr.now[0] == '\0')
		return eligibility_in(st, r, r->rule_set ? r->rule_set :
		    g_tr.old[0] ? g_tr.old : NULL, subject, verdicts, only, e);
	if ((a = eligibility_in(st, r, g_tr.old, subject, 0, only, e)) == NULL) {
		if (e->kind != ERR_NOTFOUND)
			return NULL;
		/* an award only the newer set has: it alone decides */
		err_clear(e);
		return eligibility_in(st, r, g_tr.now, subject, verdicts, only, e);
	}
	if ((b = eligibility_in(st, r, g_tr.now, subject, 0, only, e)) == NULL) {
		json_decref(a);
		return NULL;
	}
	out = json_array();
	json_array_foreach(a, i, x) {
		json_t *pick = x, *both = json_object();

		y = NULL;
		json_array_foreach(b, j, y)
			if (strcmp(jstr(x, "subject"), jstr(y, "subject")) == 0 &&
			    strcmp(jstr(x, "award"), jstr(y, "award")) == 0)
				break;
		if (j == json_array_size(b))
			y = NULL;
		int newer = y != NULL &&
		    favour(jstr(y, "verdict")) > favour(jstr(x, "verdict"));

		json_object_set(both, g_tr.old, x);
		if (y != NULL)
			json_object_set(both, g_tr.now, y);
		pick = json_deep_copy(newer ? y : x);
		json_object_set_new(pick, "rule_set", json_string(newer ?
		    g_tr.now : g_tr.old));
		json_object_set_new(pick, "transition", json_pack("{s:s, s:s, s:s, s:O, s:o}",
		    "received", g_tr.received, "in_force_on_receipt", g_tr.old,
		    "in_force_now", g_tr.now, "decided_by",
		    json_object_get(pick, "rule_set"), "by_rule_set", both));
		if (verdicts == 0 || (verdicts >> EV_ELIGIBLE & 1 &&
		    strcmp(jstr(pick, "verdict"), "eligible") == 0))
			json_array_append_new(out, pick);
		else
			json_decref(pick);
	}
	json_decref(a);
	json_decref(b);
	return out;
}

static const char *
jstr(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s ? s : "";
}

/* Why a verdict is not eligible: failed clauses' texts and what is missing. */
static void
reasons(json_t *res, struct sb *b)
{
	json_t *c;
	size_t i;
	int n = 0;

	json_array_foreach(json_object_get(res, "clauses"), i, c)
		if (!json_is_true(json_object_get(c, "ok")))
			sb_printf(b, "%s%s", n++ ? "; " : "", jstr(c, "text"));
	json_array_foreach(json_object_get(res, "missing"), i, c)
		if (json_is_string(c))
			sb_printf(b, "%s%s", n++ ? "; " : "", json_string_value(c));
	if (n == 0)
		sb_puts(b, TR("không đạt điều kiện", "not eligible"));
}

/* Build the achievement summary from the dossier's rows. */
static int
summary_row(void *ctx, int part, const char *const *v, int n)
{
	json_t *sum = ctx, *o = json_object();
	static const char *const parts[AWARD_D__MAX] = { "ratings",
	    "innovations", "awards", "tasks" };

	(void)n;
	switch (part) {
	case AWARD_D_RATING:
		json_object_set_new(o, "year", json_integer(atoi(v[0])));
		json_object_set_new(o, "rating", json_string(v[1]));
		break;
	case AWARD_D_INNOVATION:
		json_object_set_new(o, "code", json_string(v[0]));
		json_object_set_new(o, "title", json_string(v[1]));
		json_object_set_new(o, "year", json_integer(atoi(v[2])));
		json_object_set_new(o, "level", json_string(v[3]));
		json_object_set_new(o, "benefit",
		    json_integer(strtoll(v[4], NULL, 10)));
		json_object_set_new(o, "kind", json_string(v[5]));
		break;
	case AWARD_D_AWARD:
		json_object_set_new(o, "year", json_integer(atoi(v[0])));
		json_object_set_new(o, "award", json_string(v[1]));
		json_object_set_new(o, "decision", json_string(v[2]));
		json_object_set_new(o, "date", json_string(v[3]));
		/* Where the award stands on record: the ledger, or history
		 * an administrator imported (who, from which file). */
		json_object_set_new(o, "source", json_string(v[4]));
		if (strcmp(v[4], "import") == 0) {
			json_object_set_new(o, "imported_by", json_string(v[5]));
			json_object_set_new(o, "file", json_string(v[6]));
		}
		break;
	default:
		json_object_set_new(o, "code", json_string(v[0]));
		json_object_set_new(o, "name", json_string(v[1]));
		json_object_set_new(o, "quantity", json_real(strtod(v[2], NULL)));
		json_object_set_new(o, "due", json_string(v[3]));
		break;
	}
	json_array_append_new(json_object_get(sum, parts[part]), o);
	return 0;
}

static char *
summary(struct store *st, int64_t subject, int year, const char *movement,
    const char *campaign, struct err *e)
{
	json_t *sum = json_pack("{s:[],s:[],s:[],s:[]}", "ratings",
	    "innovations", "awards", "tasks");
	char *s = NULL;
	int64_t benefit = 0;
	size_t i;
	json_t *x;

	if (store_award_dossier_each(st, subject, year - 4, year, summary_row,
	    sum, e) == 0) {
		json_array_foreach(json_object_get(sum, "innovations"), i, x)
			benefit += json_integer_value(json_object_get(x,
			    "benefit"));
		json_object_set_new(sum, "innovation_benefit",
		    json_integer(benefit));
		if (movement && *movement) {
			json_object_set_new(sum, "campaign", json_pack(
			    "{s:s,s:s}", "movement", movement, "result",
			    campaign ? campaign : ""));
		}
		s = json_dumps(sum, JSON_COMPACT);
	}
	json_decref(sum);
	return s;
}

/* based_on codes of a verdict joined by ';'. */
static void
based_on(json_t *res, char *out, size_t sz)
{
	json_t *c;
	size_t i, k = 0;

	out[0] = '\0';
	json_array_foreach(json_object_get(res, "based_on"), i, c) {
		if (!json_is_string(c))
			continue;
		k += snprintf(out + k, k < sz ? sz - k : 0, "%s%s", k ? ";" : "",
		    json_string_value(c));
		if (k >= sz) {
			out[sz - 1] = '\0';
			break;
		}
	}
}

struct cand {
	json_t		*res;		/* borrowed from pool */
	const char	*just;		/* justification when not eligible */
	struct award_subject s;
};

static int
refuse(json_t *res, const char *subject, struct err *e)
{
	struct sb b;

	json_t *both = json_object_get(json_object_get(res, "transition"),
	    "by_rule_set"), *x;
	const char *k;

	sb_init(&b);
	if (both != NULL)
		json_object_foreach(both, k, x) {
			sb_printf(&b, "%s%s: %s: ", b.len ? " | " : "", k,
			    jstr(x, "verdict"));
			reasons(x, &b);
		}
	else
		reasons(res, &b);
	err_at(e, ERR_USER, NULL, 0, 0, "subject", "%s: %s (%s): %s",
	    subject, TR("không đủ điều kiện", "not eligible"),
	    jstr(res, "verdict"), b.s);
	sb_free(&b);
	return -1;
}

/* subject's result for award in results (NULL: none). */
static json_t *
find_result(json_t *results, const char *subject, const char *award)
{
	json_t *x;
	size_t i;

	json_array_foreach(results, i, x)
		if (strcmp(jstr(x, "subject"), subject) == 0 &&
		    strcmp(jstr(x, "award"), award) == 0)
			return x;
	return NULL;
}

/* Gather the candidates; pool keeps the result arrays alive. */
static int
gather(struct store *st, const struct propose_req *r, json_t *pool,
    struct cand **out, size_t *n, struct err *e)
{
	struct cand *c = NULL;
	size_t cap = 0, i;
	json_t *res, *x, *batch = NULL;

	*n = 0;
	if (r->nsubjects == 0) {
		/* only the eligible: at ministry scale the rest is most of it */
		if ((res = eligibility(st, r, NULL, 1u << EV_ELIGIBLE, NULL, e)) == NULL)
			return -1;
		json_array_append_new(pool, res);
		json_array_foreach(res, i, x) {
			if (strcmp(jstr(x, "verdict"), "eligible") != 0 ||
			    strcmp(jstr(x, "award"), r->award) != 0)
				continue;
			grow(&c, &cap, *n + 1, sizeof *c);
			memset(&c[*n], 0, sizeof *c);
			c[(*n)++].res = x;
		}
		if (*n == 0) {
			free(c);
			return err_at(e, ERR_USER, NULL, 0, 0, "award", "%s %s "
			    "%d", TR("không có đối tượng nào đủ điều kiện nhận",
			    "no subject is eligible for"), r->award, r->year);
		}
		*out = c;
		return 0;
	}
	if (r->nsubjects > 1) {
		/* the named subjects in one evaluation, not one each */
		struct codemap only;

		codemap_init(&only);
		for (int k = 0; k < r->nsubjects; k++)
			codemap_put(&only, r->subjects[k], k, 0);
		batch = eligibility(st, r, NULL, 0, &only, e);
		codemap_free(&only);
		if (batch == NULL)
			return -1;
		json_array_append_new(pool, batch);
	}
	for (int k = 0; k < r->nsubjects; k++) {
		const char *code = r->subjects[k];
		const char *just = r->override;

		for (int j = 0; j < k; j++)
			if (strcmp(r->subjects[j], code) == 0) {
				free(c);
				return err_at(e, ERR_USAGE, NULL, 0, 0,
				    "subject", "%s '%s'", TR("đối tượng bị "
				    "lặp lại", "subject given twice"), code);
			}
		x = find_result(batch, code, r->award);
		if (x == NULL) {	/* one by one: it says why there is none */
			if ((res = eligibility(st, r, code, 0, NULL, e)) == NULL) {
				free(c);
				return -1;
			}
			json_array_append_new(pool, res);
			x = find_result(res, code, r->award);
		}
		if (x == NULL) {
			free(c);
			return err_at(e, ERR_USER, NULL, 0, 0, "subject",
			    "%s: %s %s", code, TR("hình thức khen thưởng "
			    "không áp dụng cho đối tượng này",
			    "the award does not apply to this subject"),
			    r->award);
		}
		if (r->auto_just && r->auto_just[k] && (just == NULL ||
		    *just == '\0'))
			just = r->auto_just[k];
		if (strcmp(jstr(x, "verdict"), "eligible") != 0 &&
		    (just == NULL || *just == '\0')) {
			free(c);
			return refuse(x, code, e);
		}
		grow(&c, &cap, *n + 1, sizeof *c);
		memset(&c[*n], 0, sizeof *c);
		c[*n].res = x;
		c[(*n)++].just = just;
	}
	*out = c;
	return 0;
}

static int
write_candidate(struct store *st, const struct propose_req *r, int64_t id,
    struct cand *c, const char *campaign, struct err *e)
{
	const char *code = jstr(c->res, "subject");
	char based[AWARD_TEXT], *vj, *sj;
	int eligible = strcmp(jstr(c->res, "verdict"), "eligible") == 0;
	int rc;

	if ((rc = store_award_subject(st, code, &c->s, e)) <= 0)
		return rc == 0 ? err_at(e, ERR_NOTFOUND, NULL, 0, 0, "subject",
		    "%s '%s'", TR("không có đối tượng", "no such subject"),
		    code) : -1;
	if ((sj = summary(st, c->s.id, r->year, r->movement, campaign,
	    e)) == NULL)
		return -1;
	vj = json_dumps(c->res, JSON_COMPACT);
	based_on(c->res, based, sizeof based);
	rc = store_award_candidate_insert(st, id, c->s.id,
	    jstr(c->res, "verdict"), vj, sj, based,
	    eligible ? NULL : c->just, e);
	free(vj);
	free(sj);
	return rc;
}

/* A proposal's number as the audit trail's subject. */
static const char *
idkey(int64_t id, char buf[24])
{
	snprintf(buf, 24, "%" PRId64, id);
	return buf;
}

/* The audit entry of a new proposal: what was asked, who is in it. */
static int
audit_proposal(struct store *st, const struct propose_req *r, int64_t id,
    const struct cand *c, size_t n, struct err *e)
{
	json_t *subj = json_array();
	char key[24];

	for (size_t i = 0; i < n; i++)
		json_array_append_new(subj, json_string(c[i].s.code));
	return audit_record_json(st, "propose", "proposals", idkey(id, key), NULL,
	    json_pack("{s:I, s:s, s:s?, s:o, s:s?, s:i}", "year",
	    (json_int_t)r->year, "award", r->award, "movement", r->movement,
	    "candidates", subj, "override", r->override, "attachments",
	    r->nattach), e);
}

int
proposal_create(struct store *st, const struct propose_req *r, int64_t *id,
    struct err *e)
{
	struct award_info ai;
	struct cand *c = NULL;
	json_t *pool = json_array();
	char now[24];
	size_t n = 0, i;
	int k;

	if (r->override && strlen(r->override) >= AWARD_TEXT) {
		json_decref(pool);
		return err_at(e, ERR_USER, NULL, 0, 0, "override", "%s",
		    TR("lời giải trình quá dài", "the justification is too long"));
	}
	memset(&g_tr, 0, sizeof g_tr);
	date_format(date_today(), g_tr.received);
	if (r->received != NULL) {
		int32_t d;

		if (date_parse(r->received, &d) != 0) {
			json_decref(pool);
			return err_at(e, ERR_USER, NULL, 0, 0, "received", "%s: %s",
			    TR("ngày nhận hồ sơ không hợp lệ (YYYY-MM-DD)",
			    "invalid date of receipt (YYYY-MM-DD)"), r->received);
		}
		date_format(d, g_tr.received);
	}
	if (r->rule_set == NULL) {
		char today[11];

		date_format(date_today(), today);
		if (rules_code_on(st, g_tr.received, g_tr.old, e) != 0 ||
		    rules_code_on(st, today, g_tr.now, e) != 0) {
			json_decref(pool);
			return -1;
		}
		if (strcmp(g_tr.old, g_tr.now) == 0)
			g_tr.now[0] = '\0';
	}
	if (rules_award_info(st, r->year, r->award, &ai, e) != 0 ||
	    gather(st, r, pool, &c, &n, e) != 0) {
		json_decref(pool);
		return -1;
	}
	for (i = 0; ai.once && i < n; i++)	/* once-only: never a second */
		if (store_award_once_check(st, jstr(c[i].res, "subject"),
		    r->award, r->year, e) != 0) {
			free(c);
			json_decref(pool);
			return -1;
		}
	prop_now(now);
	if (store_begin(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		goto fail_nort;
	}
	if (store_award_proposal_insert(st, r->year, r->award, r->movement,
	    now, id, e) != 0 ||
	    store_award_proposal_set_received(st, *id, g_tr.received, e) != 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (write_candidate(st, r, *id, &c[i],
		    r->auto_just && r->nsubjects ? r->auto_just[i] : NULL,
		    e) != 0)
			goto fail;
	for (k = 0; k < r->nattach; k++) {
		const char *a = r->attach[k], *eq = strchr(a, '=');
		char code[AWARD_CODE];

		if (eq && (size_t)(eq - a) < sizeof code) {
			snprintf(code, sizeof code, "%.*s", (int)(eq - a), a);
			if (prop_attach_in(st, *id, code, eq + 1, e) != 0)
				goto fail;
		} else if (prop_attach_in(st, *id, NULL, a, e) != 0)
			goto fail;
	}
	if (audit_proposal(st, r, *id, c, n, e) != 0)
		goto fail;
	if (store_commit(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		goto fail;
	}
	free(c);
	json_decref(pool);
	return 0;
fail:
	store_rollback(st);
fail_nort:
	free(c);
	json_decref(pool);
	return -1;
}

/* Attach inside the caller's transaction. */
int
prop_attach_in(struct store *st, int64_t id, const char *subject,
    const char *path, struct err *e)
{
	struct award_subject s;
	int rc;

	if (path == NULL || *path == '\0' || strlen(path) >= 1024)
		return err_at(e, ERR_USER, NULL, 0, 0, "attach", "%s",
		    TR("đường dẫn tệp đính kèm không hợp lệ",
		    "invalid attachment path"));
	if (subject == NULL || *subject == '\0')
		return store_award_attach_insert(st, id, 0, path, e);
	if ((rc = store_award_subject(st, subject, &s, e)) <= 0)
		return rc == 0 ? err_at(e, ERR_NOTFOUND, NULL, 0, 0, "subject",
		    "%s '%s'", TR("không có đối tượng", "no such subject"),
		    subject) : -1;
	return store_award_attach_insert(st, id, s.id, path, e);
}

int
prop_get(struct store *st, int64_t id, struct award_proposal *p, struct err *e)
{
	int rc = store_award_proposal_get(st, id, p, e);

	if (rc == 0)
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "proposal",
		    "%s %" PRId64, TR("không có tờ trình", "no proposal"), id);
	return rc < 0 ? -1 : 0;
}

int
proposal_attach(struct store *st, int64_t id, const char *subject,
    const char *path, struct err *e)
{
	struct award_proposal p;
	char key[24];

	if (prop_get(st, id, &p, e) != 0)
		return -1;
	if (strcmp(p.state, "decided") == 0)
		return err_at(e, ERR_CONFLICT, NULL, 0, 0, "proposal", "%s",
		    TR("tờ trình đã có quyết định", "the proposal is decided"));
	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if (prop_attach_in(st, id, subject, path, e) != 0 ||
	    audit_record_json(st, "attach", "proposals", idkey(id, key), NULL,
	    json_pack("{s:s?, s:s}", "subject", subject, "path", path),
	    e) != 0 || store_commit(st) != 0) {
		if (e->kind == ERR_OK)
			err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* From-states (space-separated) and target of each action: a table. */
static const struct {
	const char	*from;
	const char	*to;
} transitions[] = {
	[PA_SUBMIT] = { " draft returned ", "submitted" },
	[PA_REVIEW] = { " submitted ", "reviewed" },
	[PA_RETURN] = { " submitted reviewed ", "returned" },
};

/* The audit trail's name of each action. */
static const char *const actions[] = {
	[PA_SUBMIT] = "submit", [PA_REVIEW] = "review", [PA_RETURN] = "return",
};

int
proposal_act(struct store *st, int64_t id, enum proposal_action a,
    const char *reason, struct err *e)
{
	struct award_proposal p;
	char now[24], pat[20], key[24];

	if (a == PA_RETURN && (reason == NULL || *reason == '\0'))
		return err_at(e, ERR_USAGE, NULL, 0, 0, "reason", "%s",
		    TR("trả lại tờ trình cần ghi lý do",
		    "returning a proposal needs a reason"));
	if (reason && strlen(reason) >= AWARD_TEXT)
		return err_at(e, ERR_USER, NULL, 0, 0, "reason", "%s",
		    TR("lý do quá dài", "the reason is too long"));
	if (store_begin(st) != 0)
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if (prop_get(st, id, &p, e) != 0)
		goto fail;
	snprintf(pat, sizeof pat, " %s ", p.state);
	if (strstr(transitions[a].from, pat) == NULL) {
		err_at(e, ERR_CONFLICT, NULL, 0, 0, "state", "%s %" PRId64
		    " %s '%s' %s '%s'", TR("tờ trình", "proposal"), id,
		    TR("đang ở trạng thái", "is in state"), p.state,
		    TR("nên không thể chuyển sang", "so it cannot become"),
		    transitions[a].to);
		goto fail;
	}
	prop_now(now);
	if (store_award_proposal_state(st, id, transitions[a].to,
	    a == PA_RETURN ? reason : NULL, now, e) != 0 ||
	    audit_record_json(st, actions[a], "proposals", idkey(id, key),
	    json_pack("{s:s}", "state", p.state), json_pack("{s:s, s:s?}",
	    "state", transitions[a].to, "reason", a == PA_RETURN ? reason :
	    NULL), e) != 0)
		goto fail;
	if (store_commit(st) != 0) {
		err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
		goto fail;
	}
	return 0;
fail:
	store_rollback(st);
	return -1;
}
