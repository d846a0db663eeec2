/*
 * movement.c: a movement's YAML (contract "Movements (YAML)") into a
 * struct movement, validated field by field against declarative key
 * tables. Every refusal names FILE:LINE:COLUMN, the field and the reason;
 * the problems of a file are listed all in one pass (the first as the
 * error's location, the others on the message's following lines).
 * No database here: movement_load_buffer (movement-svc.c) adds the checks
 * that need one.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfyaml.h>

#include "movement.h"
#include "util.h"
#include "yaml-mark.h"

static const char *const kind_names[] = { "regular", "campaign", "thematic", NULL };
static const char *const subj_names[] = { "unit", "person", NULL };
static const char *const group_names[] = { "bloc", "parent", "all", NULL };
static const char *const agg_names[] = { "sum", "avg", "min", "max", "last",
    "count", NULL };
static const char *const better_names[] = { "higher", "lower", NULL };
static const char *const rating_names[] = { "HTXSNV", "HTTNV", "HTNV",
    "KHTNV", NULL };
/* Built-in metrics, indexed by enum mv_builtin (BI_NONE unused). */
static const char *const builtin_names[] = { "", "serious_incidents",
    "minor_incidents", "innovations", "discipline", "ontime_tasks",
    "late_tasks", NULL };

const char *mv_kind_name(enum mv_kind k) { return kind_names[k]; }
const char *mv_agg_name(enum mv_agg a) { return agg_names[a]; }
const char *mv_group_name(enum mv_group g) { return group_names[g]; }
const char *
mv_rating_name(enum mv_rating r)
{
	return r == RATING_NONE ? "" : rating_names[r];
}

struct yctx {
	const char	*file;
	struct err	*e;
	int		 nerr;		/* problems found so far */
};

static int
bad(struct yctx *y, struct fy_node *n, const char *field, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	long line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	yaml_mark(n, &line, &col);
	if (y->nerr++ == 0 || y->e->kind == ERR_OK)
		return err_at(y->e, ERR_USER, y->file, line, col, field, "%s", msg);
	if (y->nerr <= 50) {
		size_t l = strlen(y->e->msg);

		snprintf(y->e->msg + l, sizeof y->e->msg - l, "\n%s:%ld:%ld: %s%s%s",
		    y->file, line, col, field ? field : "", field ? ": " : "", msg);
	}
	return -1;
}

/* Copy a scalar into buf (NUL-terminated); -1 when not a scalar or too long. */
static int
scalar(struct yctx *y, struct fy_node *n, const char *field, char *buf,
    size_t sz)
{
	const char *s;
	size_t len;

	if (n == NULL || !fy_node_is_scalar(n) || fy_node_is_alias(n))
		return bad(y, n, field, "%s", TR("cần một giá trị đơn",
		    "expected a single value"));
	s = fy_node_get_scalar(n, &len);
	if (s == NULL || len >= sz)
		return bad(y, n, field, "%s", TR("giá trị quá dài",
		    "value too long"));
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (utf8_invalid_at(buf, len) >= 0)
		return bad(y, n, field, "%s", TR("không phải UTF-8 hợp lệ",
		    "not valid UTF-8"));
	return 0;
}

static int
get_code(struct yctx *y, struct fy_node *n, const char *field, char out[33])
{
	char buf[256];

	if (scalar(y, n, field, buf, sizeof buf) != 0)
		return -1;
	if (!code_valid(buf))
		return bad(y, n, field, "%s '%s' ([A-Za-z0-9._-], 1–32)",
		    TR("mã không hợp lệ", "invalid code"), buf);
	memcpy(out, buf, strlen(buf) + 1);
	return 0;
}

static int
get_enum(struct yctx *y, struct fy_node *n, const char *field,
    const char *const *names, int *out)
{
	char buf[64];
	struct sb l;

	if (scalar(y, n, field, buf, sizeof buf) != 0)
		return -1;
	for (int i = 0; names[i]; i++)
		if (strcmp(buf, names[i]) == 0) {
			*out = i;
			return 0;
		}
	sb_init(&l);
	for (int i = 0; names[i]; i++)
		sb_printf(&l, "%s%s", i ? ", " : "", names[i]);
	bad(y, n, field, "%s '%s' (%s %s)", TR("giá trị không hợp lệ",
	    "invalid value"), buf, TR("cần một trong", "expected one of"), l.s);
	sb_free(&l);
	return -1;
}

static int
get_num(struct yctx *y, struct fy_node *n, const char *field, double *out)
{
	char buf[64];

	if (scalar(y, n, field, buf, sizeof buf) != 0)
		return -1;
	if (parse_double(buf, out) != 0 || !isfinite(*out))
		return bad(y, n, field, "%s '%s'", TR("cần một số, không phải",
		    "expected a number, not"), buf);
	return 0;
}

static int
get_date(struct yctx *y, struct fy_node *n, const char *field, int32_t *out)
{
	char buf[64];

	if (scalar(y, n, field, buf, sizeof buf) != 0)
		return -1;
	if (date_parse(buf, out) != 0)
		return bad(y, n, field, "%s '%s' (YYYY-MM-DD)",
		    TR("ngày không hợp lệ", "invalid date"), buf);
	return 0;
}

/* name: "text" (Vietnamese) or {vi: …, en: …}. */
static int
get_name(struct yctx *y, struct fy_node *n, const char *field, char **vi,
    char **en)
{
	char buf[1024];

	if (n != NULL && fy_node_is_scalar(n)) {
		if (scalar(y, n, field, buf, sizeof buf) != 0)
			return -1;
		*vi = xstrdup(buf);
		return 0;
	}
	if (n == NULL || !fy_node_is_mapping(n))
		return bad(y, n, field, "%s", TR("cần {vi: …, en: …}",
		    "expected {vi: …, en: …}"));
	void *it = NULL;
	struct fy_node_pair *p;
	while ((p = fy_node_mapping_iterate(n, &it)) != NULL) {
		char key[16];
		char **dst;

		if (scalar(y, fy_node_pair_key(p), field, key, sizeof key) != 0)
			return -1;
		dst = strcmp(key, "vi") == 0 ? vi : strcmp(key, "en") == 0 ?
		    en : NULL;
		if (dst == NULL)
			return bad(y, fy_node_pair_key(p), field, "%s '%s' (vi, en)",
			    TR("khóa không được biết", "unknown key"), key);
		if (scalar(y, fy_node_pair_value(p), field, buf, sizeof buf) != 0)
			return -1;
		free(*dst);
		*dst = xstrdup(buf);
	}
	if (*vi == NULL || **vi == '\0')
		return bad(y, n, field, "%s", TR("thiếu tên tiếng Việt (vi)",
		    "the Vietnamese name (vi) is missing"));
	return 0;
}

/*
 * Walk a mapping against a key table: each key found is passed to fn
 * with its index; unknown keys and missing required ones are errors.
 */
struct key { const char *name; int required; };

static int
walk(struct yctx *y, struct fy_node *map, const char *what,
    const struct key *keys, struct fy_node **vals)
{
	void *it = NULL;
	struct fy_node_pair *p;
	size_t nk = 0;
	int rc = 0;

	while (keys[nk].name)
		nk++;
	memset(vals, 0, nk * sizeof *vals);
	if (map == NULL || !fy_node_is_mapping(map))
		return bad(y, map, what, "%s", TR("cần một ánh xạ khóa: giá trị",
		    "expected a mapping of key: value"));
	while ((p = fy_node_mapping_iterate(map, &it)) != NULL) {
		char key[64];
		size_t i;

		if (scalar(y, fy_node_pair_key(p), what, key, sizeof key) != 0) {
			rc = -1;
			continue;
		}
		for (i = 0; i < nk && strcmp(keys[i].name, key) != 0; i++)
			;
		if (i == nk) {
			struct sb l;

			sb_init(&l);
			for (size_t j = 0; j < nk; j++)
				sb_printf(&l, "%s%s", j ? ", " : "", keys[j].name);
			rc = bad(y, fy_node_pair_key(p), key, "%s '%s' (%s: %s)",
			    TR("khóa không được biết", "unknown key"), key,
			    TR("các khóa hợp lệ", "valid keys"), l.s);
			sb_free(&l);
			continue;
		}
		vals[i] = fy_node_pair_value(p);
		if (vals[i] == NULL)
			rc = bad(y, fy_node_pair_key(p), key, "%s",
			    TR("thiếu giá trị", "missing value"));
	}
	for (size_t i = 0; i < nk; i++)
		if (keys[i].required && vals[i] == NULL)
			rc = bad(y, map, keys[i].name, "%s '%s'",
			    TR("thiếu khóa bắt buộc", "missing required key"),
			    keys[i].name);
	return rc;
}

/* scoring: {ratio: {cap: X}} or {bands: [[bound, share], ...]} */
static int
get_scoring(struct yctx *y, struct fy_node *n, struct criterion *c)
{
	static const struct key keys[] = { { "ratio", 0 }, { "bands", 0 },
	    { NULL, 0 } };
	static const struct key ratio_keys[] = { { "cap", 0 }, { NULL, 0 } };
	struct fy_node *v[2], *rv[1];

	if (walk(y, n, "scoring", keys, v) != 0)
		return -1;
	if ((v[0] == NULL) == (v[1] == NULL))
		return bad(y, n, "scoring", "%s", TR("cần đúng một trong ratio, bands",
		    "expected exactly one of ratio, bands"));
	if (v[0] != NULL) {
		c->scoring = SC_RATIO;
		c->cap = 1.0;
		if (fy_node_is_scalar(v[0])) {	/* ratio: {} written as "ratio:" */
			char buf[8];

			if (scalar(y, v[0], "ratio", buf, sizeof buf) != 0 ||
			    (buf[0] != '\0' && strcmp(buf, "~") != 0))
				return bad(y, v[0], "ratio", "%s", TR("cần {cap: số}",
				    "expected {cap: number}"));
			return 0;
		}
		if (walk(y, v[0], "ratio", ratio_keys, rv) != 0)
			return -1;
		if (rv[0] && get_num(y, rv[0], "cap", &c->cap) != 0)
			return -1;
		if (c->cap <= 0)
			return bad(y, rv[0], "cap", "%s", TR("phải lớn hơn 0",
			    "must be greater than 0"));
		return 0;
	}
	c->scoring = SC_BANDS;
	if (!fy_node_is_sequence(v[1]) || fy_node_sequence_item_count(v[1]) < 1)
		return bad(y, v[1], "bands", "%s", TR("cần danh sách [[ngưỡng, tỉ lệ], …]",
		    "expected a list [[bound, share], …]"));
	void *it = NULL;
	struct fy_node *b;
	while ((b = fy_node_sequence_iterate(v[1], &it)) != NULL) {
		void *it2 = NULL;
		struct fy_node *x, *s;
		size_t k = c->nbands;

		if (k == MV_MAXBANDS)
			return bad(y, b, "bands", "%s (%d)", TR("quá nhiều bậc",
			    "too many bands"), MV_MAXBANDS);
		if (!fy_node_is_sequence(b) || fy_node_sequence_item_count(b) != 2)
			return bad(y, b, "bands", "%s", TR("mỗi bậc là [ngưỡng, tỉ lệ]",
			    "each band is [bound, share]"));
		x = fy_node_sequence_iterate(b, &it2);
		s = fy_node_sequence_iterate(b, &it2);
		if (get_num(y, x, "bands", &c->bound[k]) != 0 ||
		    get_num(y, s, "bands", &c->share[k]) != 0)
			return -1;
		if (c->share[k] < 0 || c->share[k] > 1)
			return bad(y, s, "bands", "%s", TR("tỉ lệ phải trong [0, 1]",
			    "the share must be within [0, 1]"));
		if (k > 0 && (c->lower ? c->bound[k] <= c->bound[k - 1] :
		    c->bound[k] >= c->bound[k - 1]))
			return bad(y, x, "bands", "%s", c->lower ?
			    TR("với better: lower các ngưỡng phải tăng dần",
			    "with better: lower the bounds must increase") :
			    TR("với better: higher các ngưỡng phải giảm dần",
			    "with better: higher the bounds must decrease"));
		c->nbands++;
	}
	return 0;
}

static int
get_veto(struct yctx *y, struct fy_node *n, struct criterion *c)
{
	static const struct key keys[] = { { "max", 1 }, { "rating_cap", 0 },
	    { NULL, 0 } };
	struct fy_node *v[2];
	int r = RATING_KHTNV;

	if (walk(y, n, "veto", keys, v) != 0 ||
	    get_num(y, v[0], "max", &c->veto_max) != 0 ||
	    (v[1] && get_enum(y, v[1], "rating_cap", rating_names, &r) != 0))
		return -1;
	c->has_veto = 1;
	c->veto_cap = (enum mv_rating)r;
	return 0;
}

enum { C_CODE, C_NAME, C_METRIC, C_AGG, C_BETTER, C_WEIGHT, C_SCORING,
	C_VETO };

static int
get_criterion(struct yctx *y, struct fy_node *n, struct movement *m,
    struct criterion *c)
{
	static const struct key keys[] = { { "code", 1 }, { "name", 0 },
	    { "metric", 1 }, { "aggregate", 0 }, { "better", 0 },
	    { "weight", 0 }, { "scoring", 0 }, { "veto", 0 }, { NULL, 0 } };
	struct fy_node *v[8];
	char metric[64];
	int agg = AGG_SUM, lower = 0;

	int rc = walk(y, n, "criteria", keys, v);	/* (the rest still checked) */

	if (v[C_CODE] == NULL || v[C_METRIC] == NULL ||
	    get_code(y, v[C_CODE], "code", c->code) != 0)
		return -1;
	for (size_t i = 0; i < m->ncrit; i++)
		if (strcmp(m->crit[i].code, c->code) == 0)
			return bad(y, v[C_CODE], "code", "%s '%s'",
			    TR("trùng mã tiêu chí", "duplicate criterion code"),
			    c->code);
	if (v[C_NAME] && get_name(y, v[C_NAME], "name", &c->name_vi,
	    &c->name_en) != 0)
		return -1;
	if (scalar(y, v[C_METRIC], "metric", metric, sizeof metric) != 0)
		return -1;
	{
		/* "@name" is built-in; so is a bare built-in name (docs). */
		const char *bare = metric[0] == '@' ? metric + 1 : metric;

		for (int i = 1; builtin_names[i]; i++)
			if (strcmp(bare, builtin_names[i]) == 0)
				c->builtin = (enum mv_builtin)i;
		if (metric[0] == '@' && c->builtin == BI_NONE)
			return bad(y, v[C_METRIC], "metric", "%s '%s' (%s)",
			    TR("không có chỉ số có sẵn", "no built-in metric"),
			    metric, "@serious_incidents, @minor_incidents, "
			    "@innovations, @discipline, @ontime_tasks, @late_tasks");
		if (!code_valid(bare))
			return bad(y, v[C_METRIC], "metric", "%s '%s'",
			    TR("mã chỉ số không hợp lệ", "invalid metric code"),
			    metric);
		c->metric[0] = '@';
		memcpy(c->builtin ? c->metric + 1 : c->metric, bare,
		    strlen(bare) + 1);
	}
	if ((v[C_AGG] && get_enum(y, v[C_AGG], "aggregate", agg_names, &agg) != 0) ||
	    (v[C_BETTER] && get_enum(y, v[C_BETTER], "better", better_names,
	    &lower) != 0))
		return -1;
	c->agg = (enum mv_agg)agg;
	c->lower = lower;
	if (v[C_WEIGHT] && get_num(y, v[C_WEIGHT], "weight", &c->weight) != 0)
		return -1;
	if (v[C_WEIGHT] && (c->weight <= 0 || c->weight > 1000))
		return bad(y, v[C_WEIGHT], "weight", "%s", TR(
		    "trọng số phải lớn hơn 0 và không quá 1000",
		    "the weight must be greater than 0 and at most 1000"));
	if (v[C_SCORING] && get_scoring(y, v[C_SCORING], c) != 0)
		return -1;
	if (v[C_VETO] && get_veto(y, v[C_VETO], c) != 0)
		return -1;
	if (v[C_SCORING] == NULL) {
		if (v[C_VETO] == NULL)
			return bad(y, n, "scoring", "%s", TR(
			    "tiêu chí cần scoring hoặc veto",
			    "a criterion needs scoring or veto"));
		if (v[C_WEIGHT] != NULL)
			return bad(y, v[C_WEIGHT], "weight", "%s", TR(
			    "tiêu chí chỉ có veto không có trọng số",
			    "a veto-only criterion takes no weight"));
		c->scoring = SC_VETO_ONLY;
	} else if (v[C_WEIGHT] == NULL)
		return bad(y, v[C_SCORING], "weight", "%s", TR(
		    "tiêu chí có scoring cần trọng số (weight)",
		    "a scored criterion needs a weight"));
	return rc;
}

static int
get_ratings(struct yctx *y, struct fy_node *n, struct movement *m)
{
	static const struct key keys[] = { { "HTXSNV", 1 }, { "HTTNV", 1 },
	    { "HTNV", 1 }, { NULL, 0 } };
	struct fy_node *v[3];

	if (walk(y, n, "ratings", keys, v) != 0)
		return -1;
	for (int i = 0; i < 3; i++) {
		if (get_num(y, v[i], keys[i].name, &m->thr[i]) != 0)
			return -1;
		if (m->thr[i] < 0 || m->thr[i] > 100)
			return bad(y, v[i], keys[i].name, "%s", TR(
			    "ngưỡng phải trong [0, 100]", "a threshold must be within [0, 100]"));
		if (i > 0 && m->thr[i] > m->thr[i - 1])
			return bad(y, v[i], keys[i].name, "%s", TR(
			    "ngưỡng phải giảm dần HTXSNV ≥ HTTNV ≥ HTNV",
			    "thresholds must decrease HTXSNV ≥ HTTNV ≥ HTNV"));
	}
	m->thr_set = 1;
	return 0;
}

enum { M_CODE, M_NAME, M_KIND, M_START, M_END, M_SCOPE, M_SUBJECTS,
	M_GROUP, M_RATINGS, M_CRITERIA };

static int
parse_root(struct yctx *y, struct fy_node *root, struct movement *m)
{
	static const struct key keys[] = { { "code", 1 }, { "name", 1 },
	    { "kind", 1 }, { "start", 1 }, { "end", 1 }, { "scope", 1 },
	    { "subjects", 1 }, { "group_by", 0 }, { "ratings", 0 },
	    { "criteria", 1 }, { NULL, 0 } };
	struct fy_node *v[10];
	int kind, subj, grp = MV_GROUP_ALL;
	double wsum = 0;

	int rc = 0;

	/* every field checked, each problem listed (bad() collects them) */
	if (root == NULL || !fy_node_is_mapping(root))
		return walk(y, root, "movement", keys, v);
	rc |= walk(y, root, "movement", keys, v);
	rc |= v[M_CODE] ? get_code(y, v[M_CODE], "code", m->code) : -1;
	rc |= v[M_NAME] ? get_name(y, v[M_NAME], "name", &m->name_vi, &m->name_en) : -1;
	rc |= v[M_KIND] ? get_enum(y, v[M_KIND], "kind", kind_names, &kind) : -1;
	rc |= v[M_START] ? get_date(y, v[M_START], "start", &m->start) : -1;
	rc |= v[M_END] ? get_date(y, v[M_END], "end", &m->end) : -1;
	rc |= v[M_SCOPE] ? get_code(y, v[M_SCOPE], "scope", m->scope) : -1;
	rc |= v[M_SUBJECTS] ? get_enum(y, v[M_SUBJECTS], "subjects", subj_names,
	    &subj) : -1;
	if (v[M_GROUP])
		rc |= get_enum(y, v[M_GROUP], "group_by", group_names, &grp);
	if (v[M_RATINGS])
		rc |= get_ratings(y, v[M_RATINGS], m);
	if (v[M_CRITERIA] == NULL)
		return -1;
	if (v[M_START] && v[M_END] && m->start && m->end && m->end < m->start)
		rc = bad(y, v[M_END], "end", "%s", TR("ngày kết thúc trước ngày bắt đầu",
		    "the end date is before the start date"));
	yaml_mark(v[M_SCOPE], &m->scope_line, &m->scope_col);
	m->kind = (enum mv_kind)kind;
	m->subjects = (enum mv_subjects)subj;
	m->group_by = (enum mv_group)grp;
	if (!fy_node_is_sequence(v[M_CRITERIA]) ||
	    fy_node_sequence_item_count(v[M_CRITERIA]) < 1 ||
	    fy_node_sequence_item_count(v[M_CRITERIA]) > MV_MAXCRIT)
		return bad(y, v[M_CRITERIA], "criteria", "%s (1–%d)", TR(
		    "cần danh sách tiêu chí", "expected a list of criteria"),
		    MV_MAXCRIT);
	m->crit = xcalloc((size_t)fy_node_sequence_item_count(v[M_CRITERIA]),
	    sizeof *m->crit);
	void *it = NULL;
	struct fy_node *cn;
	while ((cn = fy_node_sequence_iterate(v[M_CRITERIA], &it)) != NULL) {
		struct criterion *c = &m->crit[m->ncrit];

		if (get_criterion(y, cn, m, c) != 0)
			rc = -1;	/* (the next criteria are still checked) */
		m->ncrit++;	/* freed with the movement */
		wsum += c->weight;
	}
	if (rc == 0 && wsum <= 0)
		return bad(y, v[M_CRITERIA], "criteria", "%s", TR(
		    "cần ít nhất một tiêu chí có trọng số",
		    "at least one criterion must carry a weight"));
	return rc;
}

/* The first diagnostic libfyaml reports: "SOURCE:LINE:COL: error: MSG". */
struct diag_capture {
	int	 got;
	long	 line, col;
	char	 msg[256];
};

static void
diag_out(struct fy_diag *d, void *user, const char *buf, size_t len)
{
	struct diag_capture *c = user;
	char text[512];
	const char *p, *m;
	int n = 0;

	(void)d;
	if (c->got || len == 0 || len >= sizeof text)
		return;
	memcpy(text, buf, len);
	text[len] = '\0';
	for (p = strchr(text, ':'); p != NULL; p = strchr(p + 1, ':'))
		if (sscanf(p, ":%ld:%ld: %n", &c->line, &c->col, &n) == 2 && n > 0)
			break;
	if (p == NULL)
		return;
	m = p + n;
	if (strncmp(m, "error: ", 7) == 0)
		m += 7;
	snprintf(c->msg, sizeof c->msg, "%.*s", (int)strcspn(m, "\n"), m);
	c->got = 1;
}

int
movement_parse(const char *name, const char *buf, size_t len,
    struct movement *m, struct err *e)
{
	struct fy_diag_cfg dcfg;
	struct fy_diag *diag;
	struct fy_parse_cfg cfg;
	struct fy_document *doc;
	struct diag_capture cap;
	struct yctx y = { name, e, 0 };
	int rc;

	memset(m, 0, sizeof *m);
	memset(&cap, 0, sizeof cap);
	m->thr[0] = 90;
	m->thr[1] = 70;
	m->thr[2] = 50;
	if (utf8_invalid_at(buf, len) >= 0)
		return err_at(e, ERR_USER, name, 0, 0, NULL, "%s",
		    TR("tệp không phải UTF-8 hợp lệ", "the file is not valid UTF-8"));
	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = diag_out;
	dcfg.user = &cap;
	dcfg.colorize = false;
	dcfg.show_source = false;
	dcfg.show_position = true;
	if ((diag = fy_diag_create(&dcfg)) == NULL)
		return err_set(e, ERR_SYSTEM, "libfyaml: diag");
	memset(&cfg, 0, sizeof cfg);
	cfg.flags = FYPCF_QUIET;
	cfg.diag = diag;
	doc = fy_document_build_from_string(&cfg, buf, len);
	if (doc == NULL || fy_document_root(doc) == NULL) {
		if (cap.got)
			err_at(e, ERR_USER, name, cap.line, cap.col, NULL, "%s: %s",
			    TR("YAML không hợp lệ", "invalid YAML"), cap.msg);
		else
			err_at(e, ERR_USER, name, 1, 1, NULL, "%s",
			    TR("tệp YAML rỗng hoặc không hợp lệ",
			    "the YAML file is empty or invalid"));
		fy_document_destroy(doc);
		fy_diag_unref(diag);
		return -1;
	}
	rc = parse_root(&y, fy_document_root(doc), m);
	fy_document_destroy(doc);
	fy_diag_unref(diag);
	if (rc != 0)
		movement_free(m);
	return rc;
}

void
movement_free(struct movement *m)
{
	for (size_t i = 0; i < m->ncrit; i++) {
		free(m->crit[i].name_vi);
		free(m->crit[i].name_en);
	}
	free(m->crit);
	free(m->name_vi);
	free(m->name_en);
	memset(m, 0, sizeof *m);
}

long
movement_criterion(const struct movement *m, const char *code)
{
	for (size_t i = 0; i < m->ncrit; i++)
		if (strcmp(m->crit[i].code, code) == 0)
			return (long)i;
	return -1;
}
