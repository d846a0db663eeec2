/*
 * rules.c: YAML rule set → struct ruleset (libfyaml), validated whole:
 * every key is checked against a table, every value's type, every award
 * code a clause names, and the awards' dependency graph (no cycles). Every
 * problem found in one pass is reported, each as FILE:LINE:COLUMN with the
 * key and what was expected: the first in the error's location and
 * message, the others on the message's following lines.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "rules.h"
#include "util.h"
#include "yaml-mark.h"

const char *const rules_rating_names[RT__MAX] = {
	"", "KHTNV", "HTNV", "HTTNV", "HTXSNV" };
const char *const rules_category_names[CAT__MAX] = {
	"officer", "professional_soldier", "soldier", "defence_worker", "employee" };
const char *const rules_level_names[LV__MAX] = {
	"", "base", "ministry", "national" };
const char *const rules_ikind_names[IK__MAX] = {
	"initiative", "research", "mechanisation" };
const char *const rules_dform_names[DF__MAX] = {
	"pending", "reprimand", "warning", "demotion", "dismissal" };
const char *const rules_ukind_names[UK__MAX] = {
	"enterprise", "workshop", "department", "team", "union", "other" };
const char *const rules_clause_names[CL__MAX] = {
	"rating", "award", "innovations", "tenure", "no_discipline",
	"no_incident", "members", "score", "any", "all", "not" };

int
rules_name_index(const char *const *names, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (names[i][0] != '\0' && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* Parsing context: the document, the file name, the rule set being built. */
struct pctx {
	const char	*name;
	struct ruleset	*rs;
	size_t		 clcap, kidcap;
	struct err	*e;
	int		 nerr;		/* problems found so far */
	const char	*key;		/* the key whose value is read, or NULL */
};

#define RULES_MAXERR	50	/* problems listed before the rest is cut */

/* Where a node starts (yaml-mark.h), into int fields. */
static void
mark_of(struct fy_node *n, int *line, int *col)
{
	long l, c;

	yaml_mark(n, &l, &c);
	*line = (int)l;
	*col = (int)c;
}

static int
perr(struct pctx *p, struct fy_node *n, const char *vi, const char *en,
    const char *what)
{
	int line, col;

	const char *key = p->key != NULL ? p->key : "", *ks = p->key != NULL ? ": " : "";

	mark_of(n, &line, &col);
	if (p->nerr++ == 0 || p->e->kind == ERR_OK) {
		err_at(p->e, ERR_USER, p->name, line, col, NULL, "%s%s%s%s%s",
		    key, ks, TR(vi, en), what ? ": " : "", what ? what : "");
		return -1;
	}
	if (p->nerr <= RULES_MAXERR) {
		size_t len = strlen(p->e->msg);

		snprintf(p->e->msg + len, sizeof p->e->msg - len,
		    "\n%s:%d:%d: %s%s%s%s%s", p->name, line, col, key, ks,
		    TR(vi, en), what ? ": " : "", what ? what : "");
	}
	return -1;
}

static const char *
scalar(struct fy_node *n)
{
	size_t len;
	const char *s;

	if (n == NULL || !fy_node_is_scalar(n))
		return NULL;
	/* fy_node_get_scalar0 gives a NUL-terminated copy owned by the node. */
	s = fy_node_get_scalar0(n);
	(void)len;
	return s;
}

static int
get_str(struct pctx *p, struct fy_node *n, const char **out)
{
	if ((*out = scalar(n)) == NULL)
		return perr(p, n, "cần một chuỗi", "a string is expected", NULL);
	return 0;
}

static int
get_int(struct pctx *p, struct fy_node *n, int lo, int hi, int *out)
{
	const char *s = scalar(n);
	int64_t v;

	if (s == NULL || parse_i64(s, &v) != 0)
		return perr(p, n, "cần một số nguyên", "a whole number is expected", s);
	if (v < lo || v > hi) {
		char buf[64];

		snprintf(buf, sizeof buf, "%s %d–%d", TR("trong khoảng", "between"),
		    lo, hi);
		return perr(p, n, "giá trị ngoài khoảng cho phép",
		    "value out of range", buf);
	}
	*out = (int)v;
	return 0;
}

static int
get_num(struct pctx *p, struct fy_node *n, double lo, double hi, double *out)
{
	const char *s = scalar(n);

	if (s == NULL || parse_double(s, out) != 0 || !isfinite(*out))
		return perr(p, n, "cần một số", "a number is expected", s);
	if (*out < lo || *out > hi)
		return perr(p, n, "giá trị ngoài khoảng cho phép",
		    "value out of range", s);
	return 0;
}

static int
get_bool(struct pctx *p, struct fy_node *n, int *out)
{
	const char *s = scalar(n);

	if (s != NULL && strcmp(s, "true") == 0)
		*out = 1;
	else if (s != NULL && strcmp(s, "false") == 0)
		*out = 0;
	else
		return perr(p, n, "cần true hoặc false", "true or false is expected", s);
	return 0;
}

/* One name from names[], or a list of them, into a bit mask. */
static int
get_names(struct pctx *p, struct fy_node *n, const char *const *names, int nn,
    unsigned *mask)
{
	void *it = NULL;
	struct fy_node *c;
	int i;

	*mask = 0;
	if (fy_node_is_scalar(n)) {
		if ((i = rules_name_index(names, nn, scalar(n))) < 0)
			return perr(p, n, "giá trị không hợp lệ", "invalid value",
			    scalar(n));
		*mask = 1u << i;
		return 0;
	}
	if (!fy_node_is_sequence(n))
		return perr(p, n, "cần một giá trị hoặc một danh sách",
		    "a value or a list is expected", NULL);
	while ((c = fy_node_sequence_iterate(n, &it)) != NULL) {
		if (!fy_node_is_scalar(c) ||
		    (i = rules_name_index(names, nn, scalar(c))) < 0)
			return perr(p, c, "giá trị không hợp lệ", "invalid value",
			    scalar(c));
		*mask |= 1u << i;
	}
	return 0;
}

static int
get_one(struct pctx *p, struct fy_node *n, const char *const *names, int nn,
    int *out)
{
	const char *s = scalar(n);

	if (s == NULL || (*out = rules_name_index(names, nn, s)) < 0)
		return perr(p, n, "giá trị không hợp lệ", "invalid value", s);
	return 0;
}

int
rules_award_index(const struct ruleset *rs, const char *code)
{
	for (int i = 0; i < rs->naward; i++)
		if (strcmp(rs->awards[i].code, code) == 0)
			return i;
	return -1;
}

int
rules_score_movements(const struct ruleset *rs,
    const char *names[RULES_MAX_AWARDS + 1])
{
	int nn = 0, quota = 0;

	for (int a = 0; a < rs->naward; a++)
		quota |= rs->awards[a].has_quota;
	if (quota)
		names[nn++] = "regular";
	for (int i = 0; i < rs->ncl && nn < RULES_MAX_AWARDS; i++) {
		int j;

		if (rs->cl[i].kind != CL_SCORE)
			continue;
		for (j = 0; j < nn && strcmp(names[j], rs->cl[i].movement) != 0;
		    j++)
			;
		if (j == nn)
			names[nn++] = rs->cl[i].movement;
	}
	return nn;
}

/* Award code(s): one code or a list, each a known award. */
static int
get_awards(struct pctx *p, struct fy_node *n, uint64_t *mask)
{
	void *it = NULL;
	struct fy_node *c = n;
	int i, list = fy_node_is_sequence(n);

	*mask = 0;
	if (!list && !fy_node_is_scalar(n))
		return perr(p, n, "cần mã danh hiệu hoặc danh sách mã",
		    "an award code or a list of codes is expected", NULL);
	for (;;) {
		if (list && (c = fy_node_sequence_iterate(n, &it)) == NULL)
			break;
		if (!fy_node_is_scalar(c) ||
		    (i = rules_award_index(p->rs, scalar(c))) < 0)
			return perr(p, c, "mã danh hiệu không có trong bộ quy tắc",
			    "unknown award code", scalar(c));
		*mask |= (uint64_t)1 << i;
		if (!list)
			break;
	}
	return 0;
}

/* Clause parameters: a table of (key, clause kinds, type, field). */
enum ptype { P_INT, P_RATING, P_LEVEL, P_AWARDS, P_AWARD1, P_KINDS, P_FORMS,
	P_SEV, P_I64, P_MODE, P_STR33, P_DOUBLE, P_BOOL, P_COEF };
#define K(k) (1u << (k))
#define WIN (K(CL_RATING) | K(CL_AWARD) | K(CL_INNOVATIONS))
static const struct param {
	const char	*key;
	unsigned	 kinds;
	enum ptype	 type;
	size_t		 off;
	int		 arg;
} params[] = {
	{ "min", K(CL_RATING), P_RATING, offsetof(struct rclause, min), 0 },
	{ "code", K(CL_AWARD), P_AWARDS, offsetof(struct rclause, awards), 0 },
	{ "consecutive_years", WIN, P_INT, offsetof(struct rclause, consecutive), RULES_MAX_YEARS },
	{ "min_count", WIN, P_INT, offsetof(struct rclause, min_count), 1000 },
	{ "within_years", WIN | K(CL_NO_DISCIPLINE) | K(CL_NO_INCIDENT), P_INT,
	    offsetof(struct rclause, within), RULES_MAX_YEARS },
	{ "since_award", WIN, P_AWARD1, offsetof(struct rclause, since_award), 0 },
	{ "min_level", K(CL_INNOVATIONS), P_LEVEL, offsetof(struct rclause, min), 0 },
	{ "kinds", K(CL_INNOVATIONS), P_KINDS, offsetof(struct rclause, kinds), 0 },
	{ "min_benefit", K(CL_INNOVATIONS), P_I64, offsetof(struct rclause, min_benefit), 0 },
	{ "unused_by", K(CL_INNOVATIONS), P_AWARDS, offsetof(struct rclause, unused_by), 0 },
	{ "ever", K(CL_RATING) | K(CL_AWARD), P_BOOL, offsetof(struct rclause, ever), 0 },
	{ "min_months", K(CL_TENURE), P_INT, offsetof(struct rclause, min_months), 1200 },
	{ "max_months", K(CL_TENURE), P_INT, offsetof(struct rclause, max_months), 1200 },
	{ "female_min_months", K(CL_TENURE), P_INT, offsetof(struct rclause, f_min_months), 1200 },
	{ "female_max_months", K(CL_TENURE), P_INT, offsetof(struct rclause, f_max_months), 1200 },
	{ "continuous", K(CL_TENURE), P_BOOL, offsetof(struct rclause, continuous), 0 },
	{ "coefficients", K(CL_TENURE), P_COEF, 0, 0 },
	{ "forms", K(CL_NO_DISCIPLINE), P_FORMS, offsetof(struct rclause, forms), 0 },
	{ "severity", K(CL_NO_INCIDENT), P_SEV, offsetof(struct rclause, severity), 0 },
	{ "rating_min", K(CL_MEMBERS), P_RATING, offsetof(struct rclause, m_rating), 0 },
	{ "award", K(CL_MEMBERS), P_AWARDS, offsetof(struct rclause, awards), 0 },
	{ "min_pct", K(CL_MEMBERS), P_MODE, offsetof(struct rclause, m_value), MM_MIN_PCT },
	{ "over_pct", K(CL_MEMBERS), P_MODE, offsetof(struct rclause, m_value), MM_OVER_PCT },
	{ "min_count", K(CL_MEMBERS), P_MODE, offsetof(struct rclause, m_value), MM_MIN_COUNT },
	{ "movement", K(CL_SCORE), P_STR33, offsetof(struct rclause, movement), 0 },
	{ "min_points", K(CL_SCORE), P_DOUBLE, offsetof(struct rclause, min_points), 0 },
	{ "max_rank", K(CL_SCORE), P_INT, offsetof(struct rclause, max_rank), 1000000 },
};
#undef WIN

static int parse_clause(struct pctx *, struct fy_node *key, struct fy_node *val, int *idx);

static int
new_clause(struct pctx *p, enum clause_kind k, struct fy_node *where)
{
	struct ruleset *rs = p->rs;
	struct rclause *c;

	grow(&rs->cl, &p->clcap, rs->ncl + 1, sizeof *rs->cl);
	c = &rs->cl[rs->ncl];
	memset(c, 0, sizeof *c);
	c->kind = k;
	c->min_points = -1;
	mark_of(where, &c->line, &c->col);
	return rs->ncl++;
}

/* A list of clauses (or one clause mapping) → children of clause idx. */
static int
parse_kids(struct pctx *p, struct fy_node *n, int idx)
{
	int tmp[64], nt = 0, rc = 0, seen = 0;
	void *it = NULL;
	struct fy_node *c;
	int single = fy_node_is_mapping(n);

	if (!single && !fy_node_is_sequence(n))
		return perr(p, n, "cần một danh sách điều kiện",
		    "a list of clauses is expected", NULL);
	for (;;) {
		void *it2 = NULL;
		struct fy_node_pair *pr;

		if (single)
			c = nt == 0 ? n : NULL;
		else
			c = fy_node_sequence_iterate(n, &it);
		if (c == NULL)
			break;
		seen++;
		if (!fy_node_is_mapping(c) || fy_node_mapping_item_count(c) != 1) {
			rc = perr(p, c, "mỗi điều kiện là một ánh xạ có đúng một khóa (loại điều kiện)",
			    "each clause is a mapping with exactly one key (its kind)", NULL);
			if (single)
				break;
			continue;
		}
		if (nt == 64)
			return perr(p, c, "quá nhiều điều kiện", "too many clauses", NULL);
		pr = fy_node_mapping_iterate(c, &it2);
		if (parse_clause(p, fy_node_pair_key(pr), fy_node_pair_value(pr),
		    &tmp[nt]) != 0)
			rc = -1;
		if (tmp[nt] >= 0)
			nt++;
		if (single)
			break;
	}
	if (seen == 0)
		return perr(p, n, "danh sách điều kiện rỗng", "empty list of clauses", NULL);
	if (nt == 0)
		return -1;
	grow(&p->rs->kids, &p->kidcap, p->rs->nkids + nt, sizeof(int));
	p->rs->cl[idx].kid0 = p->rs->nkids;
	p->rs->cl[idx].nkid = nt;
	memcpy(p->rs->kids + p->rs->nkids, tmp, nt * sizeof(int));
	p->rs->nkids += nt;
	return rc;
}

/* tenure coefficients: {KIND: NUMBER, ...}, a service kind's weight. */
static int
get_coef(struct pctx *p, struct fy_node *n, struct rclause *c)
{
	struct fy_node_pair *pr;
	void *it = NULL;
	int rc = 0;

	if (!fy_node_is_mapping(n))
		return perr(p, n, "cần một ánh xạ {loại: hệ số}",
		    "a mapping {kind: coefficient} is expected", "coefficients");
	while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
		const char *k = scalar(fy_node_pair_key(pr));
		double v;

		if (k == NULL || !code_valid(k) || strlen(k) > 16) {
			rc = perr(p, fy_node_pair_key(pr), "loại công tác không hợp lệ",
			    "invalid service kind", k);
			continue;
		}
		if (c->ncoef == RULES_MAX_COEF) {
			rc = perr(p, fy_node_pair_key(pr), "quá nhiều hệ số (tối đa 4)",
			    "too many coefficients (at most 4)", k);
			continue;
		}
		if (get_num(p, fy_node_pair_value(pr), 0, 10, &v) != 0) {
			rc = -1;
			continue;
		}
		snprintf(c->coef[c->ncoef].kind, sizeof c->coef[0].kind, "%s", k);
		c->coef[c->ncoef++].coef = v;
	}
	return rc;
}

static int
set_param(struct pctx *p, struct rclause *c, const struct param *pm,
    struct fy_node *v)
{
	char *f = (char *)c + pm->off;
	unsigned m;
	int i;

	switch (pm->type) {
	case P_INT:
		return get_int(p, v, 1, pm->arg, (int *)f);
	case P_RATING:
		if (get_one(p, v, rules_rating_names, RT__MAX, &i) != 0)
			return -1;
		*(int *)f = i;
		return 0;
	case P_LEVEL:
		return get_one(p, v, rules_level_names, LV__MAX, (int *)f);
	case P_AWARDS:
		return get_awards(p, v, (uint64_t *)f);
	case P_AWARD1:
		if (!fy_node_is_scalar(v) ||
		    (i = rules_award_index(p->rs, scalar(v))) < 0)
			return perr(p, v, "mã danh hiệu không có trong bộ quy tắc",
			    "unknown award code", scalar(v));
		*(int *)f = i + 1;
		return 0;
	case P_KINDS:
		return get_names(p, v, rules_ikind_names, IK__MAX, (unsigned *)f);
	case P_FORMS:
		if (get_names(p, v, rules_dform_names, DF__MAX, &m) != 0)
			return -1;
		*(unsigned *)f = m;
		return 0;
	case P_SEV: {
		static const char *const sev[] = { "", "minor", "serious" };

		return get_one(p, v, sev, 3, (int *)f);
	}
	case P_I64: {
		double d;

		if (get_num(p, v, 0, 9e18, &d) != 0)
			return -1;
		*(int64_t *)f = (int64_t)d;
		return 0;
	}
	case P_MODE:
		if (c->m_value != 0 || c->m_mode != 0)
			return perr(p, v, "chỉ được một trong min_pct, over_pct, min_count",
			    "only one of min_pct, over_pct, min_count", NULL);
		c->m_mode = pm->arg;
		return get_num(p, v, pm->arg == MM_MIN_COUNT ? 1 : 0,
		    pm->arg == MM_MIN_COUNT ? 1e9 : 100, (double *)f);
	case P_STR33: {
		const char *s = scalar(v);

		if (s == NULL || !code_valid(s))
			return perr(p, v, "mã không hợp lệ", "invalid code", s);
		snprintf(f, 33, "%s", s);
		return 0;
	}
	case P_DOUBLE:
		return get_num(p, v, 0, 1e9, (double *)f);
	case P_BOOL:
		return get_bool(p, v, (int *)f);
	case P_COEF:
		return get_coef(p, v, c);
	}
	return 0;
}

/* What each clause kind needs once its parameters are read. */
static int
check_clause(struct pctx *p, struct rclause *c, struct fy_node *where)
{
	const char *miss =
	    c->kind == CL_RATING && c->min == RT_NONE ? "min" :
	    c->kind == CL_AWARD && c->awards == 0 ? "code" :
	    c->kind == CL_TENURE && c->min_months == 0 ? "min_months" :
	    c->kind == CL_SCORE && c->movement[0] == '\0' ? "movement" : NULL;

	if (miss != NULL)
		return perr(p, where, "thiếu tham số", "missing parameter", miss);
	if (c->consecutive && c->min_count && c->kind != CL_MEMBERS)
		return perr(p, where, "consecutive_years và min_count không dùng cùng nhau",
		    "consecutive_years and min_count exclude each other", NULL);
	if (c->consecutive && c->within)
		return perr(p, where, "consecutive_years và within_years không dùng cùng nhau",
		    "consecutive_years and within_years exclude each other", NULL);
	if (c->ever && (c->consecutive || c->within || c->min_count > 1 ||
	    c->since_award))
		return perr(p, where, "ever: true không dùng cùng consecutive_years, "
		    "within_years, min_count > 1 hay since_award",
		    "ever: true excludes consecutive_years, within_years, "
		    "min_count > 1 and since_award", "ever");
	if (c->kind == CL_TENURE && ((c->max_months && c->max_months < c->min_months) ||
	    (c->f_max_months && c->f_max_months <
	    (c->f_min_months ? c->f_min_months : c->min_months))))
		return perr(p, where, "max_months phải ≥ min_months",
		    "max_months must be at least min_months", "max_months");
	if (c->kind == CL_MEMBERS) {
		if ((c->m_rating != RT_NONE) == (c->awards != 0))
			return perr(p, where, "members cần đúng một trong rating_min, award",
			    "members needs exactly one of rating_min, award", NULL);
		if (c->m_value == 0 && c->m_mode == MM_MIN_PCT)
			return perr(p, where, "members cần một trong min_pct, over_pct, min_count",
			    "members needs one of min_pct, over_pct, min_count", NULL);
	}
	if (c->kind == CL_SCORE && (c->min_points < 0) == (c->max_rank == 0))
		return perr(p, where, "score cần đúng một trong min_points, max_rank",
		    "score needs exactly one of min_points, max_rank", NULL);
	if (c->kind == CL_NO_DISCIPLINE && c->forms == 0)
		c->forms = ~(1u << DF_PENDING) & ((1u << DF__MAX) - 1);
	if (c->kind == CL_NO_INCIDENT && c->severity == SEV_NONE)
		c->severity = SEV_MINOR;
	if (c->kind == CL_INNOVATIONS && c->min == LV_NONE)
		c->min = LV_BASE;
	if (c->kind == CL_INNOVATIONS && c->min_count == 0)
		c->min_count = 1;
	return 0;
}

static int
parse_clause(struct pctx *p, struct fy_node *key, struct fy_node *val, int *idx)
{
	const char *k = scalar(key);
	int kind = k ? rules_name_index(rules_clause_names, CL__MAX, k) : -1;
	struct fy_node_pair *pr;
	void *it = NULL;

	int rc = 0;

	*idx = -1;
	if (kind < 0)
		return perr(p, key, "loại điều kiện không hợp lệ", "unknown clause kind", k);
	*idx = new_clause(p, kind, key);
	if (kind == CL_ANY || kind == CL_ALL || kind == CL_NOT)
		return parse_kids(p, val, *idx);
	if (fy_node_is_scalar(val) && (scalar(val)[0] == '\0' ||
	    strcmp(scalar(val), "~") == 0 || strcmp(scalar(val), "null") == 0))
		return check_clause(p, &p->rs->cl[*idx], key);
	if (!fy_node_is_mapping(val))
		return perr(p, val, "cần một ánh xạ tham số", "a mapping of parameters is expected", k);
	while ((pr = fy_node_mapping_iterate(val, &it)) != NULL) {
		struct fy_node *pk = fy_node_pair_key(pr);
		const char *name = scalar(pk);
		size_t i;

		for (i = 0; i < sizeof params / sizeof params[0]; i++)
			if (name && strcmp(params[i].key, name) == 0 &&
			    (params[i].kinds & K(kind)))
				break;
		if (i == sizeof params / sizeof params[0]) {
			rc = perr(p, pk, "khóa không hợp lệ cho điều kiện này",
			    "unknown key for this clause", name);
			continue;
		}
		p->key = params[i].key;
		if (set_param(p, &p->rs->cl[*idx], &params[i],
		    fy_node_pair_value(pr)) != 0)
			rc = -1;
		p->key = NULL;
	}
	if (rc != 0)
		return -1;
	return check_clause(p, &p->rs->cl[*idx], key);
}

/* name: {vi: "...", en: "..."} */
static int
parse_name(struct pctx *p, struct fy_node *n, struct raward *a)
{
	struct fy_node_pair *pr;
	void *it = NULL;
	const char *s;

	if (!fy_node_is_mapping(n))
		return perr(p, n, "cần {vi: …, en: …}", "{vi: …, en: …} is expected", NULL);
	while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
		const char *k = scalar(fy_node_pair_key(pr));
		char **dst = k && strcmp(k, "vi") == 0 ? &a->name_vi :
		    k && strcmp(k, "en") == 0 ? &a->name_en : NULL;

		if (dst == NULL)
			return perr(p, fy_node_pair_key(pr), "khóa không hợp lệ",
			    "unknown key", k);
		if (get_str(p, fy_node_pair_value(pr), &s) != 0)
			return -1;
		free(*dst);
		*dst = xstrdup(s);
	}
	if (a->name_vi == NULL || a->name_en == NULL)
		return perr(p, n, "cần cả tên tiếng Việt và tiếng Anh",
		    "both the Vietnamese and the English name are needed", NULL);
	return 0;
}

/* A one-key sub-mapping such as ballot: {min_pct_of_members: 90}. */
static int
parse_sub1(struct pctx *p, struct fy_node *n, const char *key, double hi,
    double *out)
{
	struct fy_node_pair *pr;
	void *it = NULL;

	if (!fy_node_is_mapping(n))
		return perr(p, n, "cần một ánh xạ", "a mapping is expected", key);
	while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
		const char *k = scalar(fy_node_pair_key(pr));

		if (k == NULL || strcmp(k, key) != 0)
			return perr(p, fy_node_pair_key(pr), "khóa không hợp lệ",
			    "unknown key", k);
		if (get_num(p, fy_node_pair_value(pr), 0, hi, out) != 0)
			return -1;
	}
	return 0;
}

static int
parse_quota(struct pctx *p, struct fy_node *n, struct raward *a)
{
	struct fy_node_pair *pr;
	void *it = NULL;
	int have_pct = 0;

	if (!fy_node_is_mapping(n))
		return perr(p, n, "cần một ánh xạ", "a mapping is expected", "quota");
	a->has_quota = 1;
	a->quota_scope = UK_ENTERPRISE;
	a->quota_of = QO_MEMBERS;
	while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
		const char *ks = scalar(k);

		if (ks && strcmp(ks, "max_pct") == 0) {
			if (get_num(p, v, 0, 100, &a->quota_pct) != 0)
				return -1;
			have_pct = 1;
		} else if (ks && strcmp(ks, "scope") == 0) {
			if (get_one(p, v, rules_ukind_names, UK__MAX, &a->quota_scope) != 0)
				return -1;
		} else if (ks && strcmp(ks, "of") == 0) {
			struct fy_node_pair *q;
			void *it2 = NULL;

			if (scalar(v) && strcmp(scalar(v), "members") == 0)
				continue;
			if (!fy_node_is_mapping(v) || fy_node_mapping_item_count(v) != 1)
				return perr(p, v, "cần members hoặc {award: [...]}",
				    "members or {award: [...]} is expected", NULL);
			q = fy_node_mapping_iterate(v, &it2);
			if (!scalar(fy_node_pair_key(q)) ||
			    strcmp(scalar(fy_node_pair_key(q)), "award") != 0)
				return perr(p, fy_node_pair_key(q), "khóa không hợp lệ",
				    "unknown key", scalar(fy_node_pair_key(q)));
			if (get_awards(p, fy_node_pair_value(q), &a->quota_awards) != 0)
				return -1;
			a->quota_of = QO_AWARDS;
		} else
			return perr(p, k, "khóa không hợp lệ", "unknown key", ks);
	}
	if (!have_pct)
		return perr(p, n, "thiếu tham số", "missing parameter", "max_pct");
	return 0;
}

static int
parse_subject(struct pctx *p, struct fy_node *v, struct raward *a)
{
	static const char *const kinds[] = { "person", "unit" };
	unsigned m;

	if (get_names(p, v, kinds, 2, &m) != 0)
		return -1;
	a->subject = m;
	return 0;
}

/* The award's keys, in a table: key → handler. */
enum akey { A_CODE, A_NAME, A_FAMILY, A_SUBJECT, A_CATEGORIES, A_MILITARY,
	A_LEVEL, A_CAMPAIGN, A_BASIS, A_REQUIRE, A_QUOTA, A_BALLOT, A_CASH,
	A_ONCE, A__MAX };
static const char *const akeys[A__MAX] = { "code", "name", "family", "subject",
	"categories", "military", "level", "campaign", "basis", "require",
	"quota", "ballot", "cash", "once" };

static int
parse_award(struct pctx *p, struct fy_node *n, struct raward *a)
{
	/* thematic (Law 06/2026/QH16): like campaign awards, never counted
	 * toward merit awards (NĐ 152/2025 Đ.4) */
	static const char *const families[] = { "title", "commendation",
	    "thematic" };
	struct fy_node_pair *pr;
	void *it = NULL;
	const char *s;
	int seen[A__MAX] = { 0 }, rc = 0;

	while ((pr = fy_node_mapping_iterate(n, &it)) != NULL) {
		struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
		int ki = scalar(k) ? rules_name_index(akeys, A__MAX, scalar(k)) : -1;
		unsigned m;
		int r = 0;

		if (ki < 0) {
			rc = perr(p, k, "khóa không hợp lệ cho danh hiệu",
			    "unknown key for an award", scalar(k));
			continue;
		}
		seen[ki] = 1;
		p->key = ki == A_REQUIRE ? NULL : akeys[ki];
		switch (ki) {
		case A_CODE:
			break;	/* read in the first pass */
		case A_NAME:
			r = parse_name(p, v, a);
			break;
		case A_FAMILY:
			r = get_one(p, v, families, 3, &a->family);
			if (r == 0 && a->family == 2)
				a->campaign = 1;
			break;
		case A_SUBJECT:
			r = parse_subject(p, v, a);
			break;
		case A_CATEGORIES:
			r = get_names(p, v, rules_category_names, CAT__MAX, &m);
			a->categories = m;
			break;
		case A_MILITARY:
			r = get_bool(p, v, &a->military);
			break;
		case A_LEVEL:
			r = get_one(p, v, rules_level_names, LV__MAX, &a->level);
			break;
		case A_CAMPAIGN:
			r = get_bool(p, v, &a->campaign);
			break;
		case A_BASIS:
			if ((r = get_str(p, v, &s)) == 0)
				a->basis = xstrdup(s);
			break;
		case A_REQUIRE:
			a->root = new_clause(p, CL_ALL, k);
			r = parse_kids(p, v, a->root);
			break;
		case A_QUOTA:
			r = parse_quota(p, v, a);
			break;
		case A_BALLOT:
			r = parse_sub1(p, v, "min_pct_of_members", 100, &a->ballot_pct);
			break;
		case A_CASH:
			r = parse_sub1(p, v, "coefficient", 1000, &a->cash);
			break;
		case A_ONCE:
			r = get_bool(p, v, &a->once);
			break;
		}
		p->key = NULL;
		if (r != 0)
			rc = -1;
	}
	{
		static const int required[] = { A_NAME, A_FAMILY, A_SUBJECT, A_LEVEL,
		    A_BASIS, A_REQUIRE };

		for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
			if (!seen[required[i]])
				rc = perr(p, n, "danh hiệu thiếu khóa",
				    "the award lacks a key", akeys[required[i]]);
	}
	return rc;
}

/* Awards a clause tree depends on (this year's verdicts or history). */
static uint64_t
clause_deps(const struct ruleset *rs, int ci)
{
	const struct rclause *c = &rs->cl[ci];
	uint64_t m = c->awards | c->unused_by;

	if (c->since_award)
		m |= (uint64_t)1 << (c->since_award - 1);
	for (int i = 0; i < c->nkid; i++)
		m |= clause_deps(rs, rs->kids[c->kid0 + i]);
	return m;
}

/* Depth-first topological order; a cycle is an error at the award. */
static int
visit(struct pctx *p, const uint64_t *deps, int a, char *state, int *pos,
    int *stack, int depth, struct fy_node *const *where)
{
	struct ruleset *rs = p->rs;

	if (state[a] == 2)
		return 0;
	stack[depth] = a;
	if (state[a] == 1) {
		struct sb path;
		int i;

		sb_init(&path);
		for (i = 0; i < depth && stack[i] != a; i++)
			;
		for (; i <= depth; i++)
			sb_printf(&path, "%s%s", i > 0 && path.len ? " → " : "",
			    rs->awards[stack[i]].code);
		perr(p, where[a], "vòng phụ thuộc giữa các danh hiệu",
		    "cycle between awards", path.s);
		sb_free(&path);
		return -1;
	}
	state[a] = 1;
	for (int b = 0; b < rs->naward; b++)
		if (b != a && ((deps[a] >> b) & 1))	/* own history is no cycle */
			if (visit(p, deps, b, state, pos, stack, depth + 1, where) != 0)
				return -1;
	state[a] = 2;
	rs->order[(*pos)++] = a;
	return 0;
}

static int
order_awards(struct pctx *p, struct fy_node *const *where)
{
	struct ruleset *rs = p->rs;
	uint64_t deps[RULES_MAX_AWARDS];
	char state[RULES_MAX_AWARDS] = { 0 };
	int stack[RULES_MAX_AWARDS + 1], pos = 0;
	uint64_t acc = 0;

	for (int a = 0; a < rs->naward; a++) {
		deps[a] = clause_deps(rs, rs->awards[a].root) |
		    rs->awards[a].quota_awards;
	}
	for (int a = 0; a < rs->naward; a++)
		if (visit(p, deps, a, state, &pos, stack, 0, where) != 0)
			return -1;
	for (int i = 0; i < rs->naward; i++) {
		rs->before[rs->order[i]] = acc;
		acc |= (uint64_t)1 << rs->order[i];
	}
	return 0;
}

/* First pass: the award codes, so clauses may name awards defined later. */
static int
collect_codes(struct pctx *p, struct fy_node *awards, struct fy_node **where)
{
	struct ruleset *rs = p->rs;
	struct fy_node *n;
	void *it = NULL;
	int cap = 0;

	if (!fy_node_is_sequence(awards))
		return perr(p, awards, "awards cần là một danh sách",
		    "awards must be a list", NULL);
	cap = fy_node_sequence_item_count(awards);
	if (cap > RULES_MAX_AWARDS)
		return perr(p, awards, "quá nhiều danh hiệu (tối đa 64)",
		    "too many awards (at most 64)", NULL);
	rs->awards = xcalloc(cap ? cap : 1, sizeof *rs->awards);
	while ((n = fy_node_sequence_iterate(awards, &it)) != NULL) {
		struct fy_node *c;
		struct raward *a = &rs->awards[rs->naward];
		const char *code;

		if (!fy_node_is_mapping(n))
			return perr(p, n, "mỗi danh hiệu là một ánh xạ",
			    "each award is a mapping", NULL);
		c = fy_node_mapping_lookup_by_string(n, "code", FY_NT);
		if (c == NULL)
			return perr(p, n, "danh hiệu thiếu khóa", "the award lacks a key",
			    "code");
		if ((code = scalar(c)) == NULL || !code_valid(code))
			return perr(p, c, "mã không hợp lệ", "invalid code", code);
		if (rules_award_index(rs, code) >= 0)
			perr(p, c, "mã danh hiệu bị trùng", "duplicate award code",
			    code);
		snprintf(a->code, sizeof a->code, "%s", code);
		a->military = -1;
		a->ballot_pct = -1;
		a->root = -1;
		mark_of(c, &a->line, &a->col);
		where[rs->naward++] = c;
	}
	return 0;
}

/*
 * libfyaml reports syntax errors through this callback as
 * "SOURCE:LINE:COL: error: MESSAGE"; keep the first one. (Collecting them
 * instead leaks in libfyaml 0.7.)
 */
static void
diag_capture(struct fy_diag *d, void *user, const char *buf, size_t len)
{
	struct pctx *p = user;
	char tmp[512], *mark, *c2, *c1;
	long line, col;

	(void)d;
	if (p->e->kind != ERR_OK || len == 0)
		return;
	snprintf(tmp, sizeof tmp, "%.*s", (int)len, buf);
	if ((mark = strstr(tmp, ": error: ")) == NULL)
		return;
	*mark = '\0';
	tmp[strcspn(mark + 9, "\n") + (mark + 9 - tmp)] = '\0';
	c2 = strrchr(tmp, ':');
	if (c2 == NULL)
		return;
	*c2 = '\0';
	c1 = strrchr(tmp, ':');
	col = atol(c2 + 1);
	line = c1 ? atol(c1 + 1) : 0;
	err_at(p->e, ERR_USER, p->name, line, col, NULL, "%s: %s",
	    TR("YAML không hợp lệ", "invalid YAML"), mark + 9);
}

enum tkey { T_RULE_SET, T_EFFECTIVE, T_RATINGS, T_AWARDS, T_DESCRIPTION, T__MAX };
static const char *const tkeys[T__MAX] = { "rule_set", "effective", "ratings",
	"awards", "description" };

static int
parse_top(struct pctx *p, struct fy_node *root)
{
	struct ruleset *rs = p->rs;
	struct fy_node *nodes[T__MAX] = { 0 };
	struct fy_node *where[RULES_MAX_AWARDS];
	struct fy_node_pair *pr;
	void *it = NULL;
	const char *s;
	int i;

	if (root == NULL || !fy_node_is_mapping(root))
		return perr(p, root, "bộ quy tắc phải là một ánh xạ",
		    "a rule set must be a mapping", NULL);
	while ((pr = fy_node_mapping_iterate(root, &it)) != NULL) {
		s = scalar(fy_node_pair_key(pr));
		if ((i = s ? rules_name_index(tkeys, T__MAX, s) : -1) < 0)
			perr(p, fy_node_pair_key(pr), "khóa không hợp lệ",
			    "unknown key", s);
		else
			nodes[i] = fy_node_pair_value(pr);
	}
	for (i = 0; i < T_DESCRIPTION; i++)
		if (nodes[i] == NULL)
			perr(p, root, "thiếu khóa", "missing key", tkeys[i]);
	if (nodes[T_RULE_SET] != NULL) {
		if ((s = scalar(nodes[T_RULE_SET])) == NULL || !code_valid(s))
			perr(p, nodes[T_RULE_SET], "mã bộ quy tắc không hợp lệ",
			    "invalid rule-set code", s);
		else
			snprintf(rs->code, sizeof rs->code, "%s", s);
	}
	if (nodes[T_EFFECTIVE] != NULL && ((s = scalar(nodes[T_EFFECTIVE])) == NULL ||
	    date_parse(s, &rs->effective) != 0))
		perr(p, nodes[T_EFFECTIVE], "ngày không hợp lệ (YYYY-MM-DD)",
		    "invalid date (YYYY-MM-DD)", s);
	if (nodes[T_RATINGS] != NULL && !fy_node_is_mapping(nodes[T_RATINGS]))
		perr(p, nodes[T_RATINGS], "cần một ánh xạ", "a mapping is expected",
		    "ratings");
	else if (nodes[T_RATINGS] != NULL) {
		int bad = 0;

		it = NULL;
		while ((pr = fy_node_mapping_iterate(nodes[T_RATINGS], &it)) != NULL) {
			static const char *const rn[] = { "HTXSNV", "HTTNV", "HTNV" };

			s = scalar(fy_node_pair_key(pr));
			if ((i = s ? rules_name_index(rn, 3, s) : -1) < 0)
				bad = perr(p, fy_node_pair_key(pr), "mức xếp loại không hợp lệ",
				    "unknown rating level", s);
			else if (get_int(p, fy_node_pair_value(pr), 0, 100,
			    &rs->thresholds[i]) != 0)
				bad = -1;
		}
		if (bad == 0 && !(rs->thresholds[0] >= rs->thresholds[1] &&
		    rs->thresholds[1] >= rs->thresholds[2]))
			perr(p, nodes[T_RATINGS], "ngưỡng phải giảm dần HTXSNV ≥ HTTNV ≥ HTNV",
			    "thresholds must fall HTXSNV ≥ HTTNV ≥ HTNV", NULL);
	}
	if (nodes[T_AWARDS] == NULL)
		return -1;
	if (collect_codes(p, nodes[T_AWARDS], where) != 0)
		return -1;
	it = NULL;
	for (i = 0; i < rs->naward; i++)
		parse_award(p, fy_node_sequence_iterate(nodes[T_AWARDS], &it),
		    &rs->awards[i]);
	if (p->nerr > 0)
		return -1;
	return order_awards(p, where);
}

struct ruleset *
rules_parse(const char *name, const char *text, size_t len, struct err *e)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;
	struct fy_parse_cfg cfg;
	struct fy_document *doc;
	struct pctx p = { name, NULL, 0, 0, e, 0, NULL };

	err_clear(e);
	/* libfyaml loops for ever on a directive followed by a byte that is
	 * not UTF-8 (tests/fuzz/crashers/yaml): refuse such text first. */
	if (utf8_invalid_at(text, len) >= 0) {
		err_at(e, ERR_USER, name, 0, 0, NULL, "%s",
		    TR("tệp không phải UTF-8 hợp lệ", "the file is not valid UTF-8"));
		return NULL;
	}
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_capture;
	dcfg.user = &p;
	dcfg.colorize = false;
	if ((diag = fy_diag_create(&dcfg)) == NULL) {
		err_set(e, ERR_SYSTEM, "libfyaml");
		return NULL;
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.flags = FYPCF_QUIET;
	cfg.diag = diag;
	p.rs = xcalloc(1, sizeof *p.rs);
	doc = fy_document_build_from_string(&cfg, text, len);
	if (doc == NULL) {
		if (e->kind == ERR_OK)
			err_at(e, ERR_USER, name, 0, 0, NULL, "%s",
			    TR("YAML không hợp lệ", "invalid YAML"));
		goto fail;
	}
	if (parse_top(&p, fy_document_root(doc)) != 0)
		goto fail;
	fy_document_destroy(doc);
	fy_diag_unref(diag);
	p.rs->text_hash = hash_fnv1a(HASH_FNV1A_INIT, text, len);
	return p.rs;
fail:
	if (doc != NULL)
		fy_document_destroy(doc);
	fy_diag_unref(diag);
	rules_free(p.rs);
	return NULL;
}

void
rules_free(struct ruleset *rs)
{
	if (rs == NULL)
		return;
	for (int i = 0; i < rs->naward; i++) {
		free(rs->awards[i].name_vi);
		free(rs->awards[i].name_en);
		free(rs->awards[i].basis);
	}
	free(rs->awards);
	free(rs->cl);
	free(rs->kids);
	free(rs);
}
