/*
 * rules-db.c: rule sets between files, the binary and the store: loading
 * a file (validated whole first), the embedded sets for `thidua init`,
 * the rule set in force for a year, and the award lookup others call.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "rules.h"
#include "store.h"
#include "store-rules.h"
#include "util.h"

/* Validate text, then store it as one version (one transaction). */
static int
load_text(struct store *st, const char *name, const char *text, size_t len,
    int *changed, struct ruleset **out, struct err *e)
{
	struct ruleset *rs = rules_parse(name, text, len, e);
	char eff[11];
	char *src;
	int rc;

	if (rs == NULL)
		return -1;
	date_format(rs->effective, eff);
	src = xstrndup(text, len);
	if (store_begin(st) != 0) {
		free(src);
		rules_free(rs);
		return err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	}
	rc = store_rules_put(st, rs->code, eff, src, changed, e);
	if (rc == 0 && (changed == NULL || *changed))
		rc = audit_record_json(st, "load", "rules", rs->code, NULL,
		    json_pack("{s:s, s:s, s:I}", "file", name, "effective", eff,
		    "bytes", (json_int_t)len), e);
	if (rc == 0 && store_commit(st) != 0)
		rc = err_set(e, ERR_SYSTEM, "%s", store_errmsg(st));
	if (rc != 0)
		store_rollback(st);
	free(src);
	if (rc == 0 && out != NULL)
		*out = rs;
	else
		rules_free(rs);
	return rc;
}

int
rules_load_file(struct store *st, const char *file, int *changed,
    struct ruleset **out, struct err *e)
{
	size_t len;
	char *text = read_file(file, &len);
	int rc;

	if (text == NULL)
		return err_at(e, ERR_USER, file, 0, 0, NULL, "%s: %s",
		    TR("không đọc được tệp", "cannot read the file"), strerror(errno));
	if (utf8_invalid_at(text, len) >= 0) {
		free(text);
		return err_at(e, ERR_USER, file, 0, 0, NULL, "%s",
		    TR("tệp không phải UTF-8", "the file is not UTF-8"));
	}
	rc = load_text(st, file, text, len, changed, out, e);
	free(text);
	return rc;
}

/* The previous regime (rules/vn-2017.yaml), embedded beside the default. */
extern const char rules_2017_yaml[];
extern const size_t rules_2017_yaml_len;
/* Law 06/2026/QH16 from 2026-10-01 (rules/vn-2026.yaml). */
extern const char rules_2026_yaml[];
extern const size_t rules_2026_yaml_len;

/*
 * Without a file, every embedded set, oldest first: each is stored only
 * when its code + effective is new or its text changed, so re-running
 * init on an existing database adds a set it lacks and changes nothing else.
 */
int
rules_init_default(struct store *st, const char *file, struct err *e)
{
	static const struct {
		const char *name, *text;
		const size_t *len;
	} sets[] = {
		{ "rules/vn-2017.yaml", rules_2017_yaml, &rules_2017_yaml_len },
		{ "rules/vn-2022.yaml", rules_default_yaml, &rules_default_yaml_len },
		{ "rules/vn-2026.yaml", rules_2026_yaml, &rules_2026_yaml_len },
	};
	int changed;

	if (file != NULL)
		return rules_load_file(st, file, &changed, NULL, e);
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		if (load_text(st, sets[i].name, sets[i].text, *sets[i].len,
		    &changed, NULL, e) != 0)
			return -1;
	return 0;
}

struct ruleset *
rules_for_year(struct store *st, int year, const char *code, struct err *e)
{
	char on[11];
	char *src;
	struct ruleset *rs;

	snprintf(on, sizeof on, "%04d-12-31", year);
	if ((src = store_rules_get(st, code ? NULL : on, code, e)) == NULL)
		return NULL;
	rs = rules_parse(code ? code : "rule_sets", src, strlen(src), e);
	free(src);
	return rs;
}

int
rules_code_on(struct store *st, const char *day, char code[33], struct err *e)
{
	char *src = store_rules_get(st, day, NULL, e);
	struct ruleset *rs;

	if (src == NULL)
		return -1;
	rs = rules_parse("rule_sets", src, strlen(src), e);
	free(src);
	if (rs == NULL)
		return -1;
	snprintf(code, 33, "%s", rs->code);
	rules_free(rs);
	return 0;
}

int
rules_award_info(struct store *st, int year, const char *award_code,
    struct award_info *out, struct err *e)
{
	static const char *const families[] = { "title", "commendation",
	    "thematic" };
	struct ruleset *rs = rules_for_year(st, year, NULL, e);
	const struct raward *a;
	int i;

	if (rs == NULL)
		return -1;
	if ((i = rules_award_index(rs, award_code)) < 0) {
		/* an award a later set adds, proposed under the transition
		 * (docs/rules.md): the set in force today */
		int y, m, d;
		struct err e2;
		struct ruleset *now;

		date_to_ymd(date_today(), &y, &m, &d);
		if (y > year && (now = rules_for_year(st, y, NULL, &e2)) != NULL) {
			if ((i = rules_award_index(now, award_code)) >= 0) {
				rules_free(rs);
				rs = now;
			} else
				rules_free(now);
		}
	}
	if (i < 0) {
		err_at(e, ERR_NOTFOUND, NULL, 0, 0, "award", "%s: %s %s", award_code,
		    TR("không có trong bộ quy tắc", "is not in the rule set"), rs->code);
		rules_free(rs);
		return -1;
	}
	a = &rs->awards[i];
	memset(out, 0, sizeof *out);
	snprintf(out->rule_set, sizeof out->rule_set, "%s", rs->code);
	snprintf(out->code, sizeof out->code, "%s", a->code);
	snprintf(out->name_vi, sizeof out->name_vi, "%s", a->name_vi);
	snprintf(out->name_en, sizeof out->name_en, "%s", a->name_en);
	snprintf(out->basis, sizeof out->basis, "%s", a->basis);
	snprintf(out->family, sizeof out->family, "%s", families[a->family]);
	snprintf(out->level, sizeof out->level, "%s", rules_level_names[a->level]);
	out->campaign = a->campaign;
	out->once = a->once;
	out->min_pct_of_members = a->ballot_pct;
	out->cash_coefficient = a->cash;
	rules_free(rs);
	return 0;
}
