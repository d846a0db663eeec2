/*
 * rules-show.c: a rule set printed readably (`thidua rules show`): each
 * award with its names, family, subjects, legal basis, cash and ballot,
 * and its clauses as an indented tree; and what changed between two
 * rule sets, award by award (`thidua rules diff A B`).
 */
#include <string.h>

#include "rules.h"
#include "util.h"

static void
put_mask(struct sb *b, const struct ruleset *rs, uint64_t m)
{
	int first = 1;

	for (int a = 0; a < rs->naward; a++)
		if ((m >> a) & 1) {
			sb_printf(b, "%s%s", first ? "" : "/", rs->awards[a].code);
			first = 0;
		}
}

static void
put_names(struct sb *b, const char *const *names, int n, unsigned m)
{
	int first = 1;

	for (int i = 0; i < n; i++)
		if ((m >> i) & 1) {
			sb_printf(b, "%s%s", first ? "" : "/", names[i]);
			first = 0;
		}
}

static void
put_clause(struct sb *b, const struct ruleset *rs, int ci, int depth)
{
	const struct rclause *c = &rs->cl[ci];

	sb_printf(b, "%*s- %s", 4 + 2 * depth, "", rules_clause_names[c->kind]);
	if (c->kind == CL_RATING || (c->kind == CL_MEMBERS && c->m_rating))
		sb_printf(b, " ≥ %s", rules_rating_names[c->kind == CL_RATING ? c->min : c->m_rating]);
	if (c->awards) {
		sb_puts(b, " ");
		put_mask(b, rs, c->awards);
	}
	if (c->kind == CL_INNOVATIONS)
		sb_printf(b, TR(" cấp ≥ %s", " level ≥ %s"), rules_level_names[c->min]);
	if (c->kinds) {
		sb_puts(b, " [");
		put_names(b, rules_ikind_names, IK__MAX, c->kinds);
		sb_puts(b, "]");
	}
	if (c->consecutive)
		sb_printf(b, TR(", %d năm liên tục", ", %d consecutive years"), c->consecutive);
	if (c->min_count && c->kind != CL_MEMBERS)
		sb_printf(b, TR(", ít nhất %d lần", ", at least %d times"), c->min_count);
	if (c->within)
		sb_printf(b, TR(", trong %d năm", ", within %d years"), c->within);
	if (c->since_award)
		sb_printf(b, TR(", kể từ %s gần nhất", ", since the latest %s"),
		    rs->awards[c->since_award - 1].code);
	if (c->min_benefit)
		sb_printf(b, TR(", làm lợi ≥ %lld đ", ", benefit ≥ %lld VND"),
		    (long long)c->min_benefit);
	if (c->unused_by) {
		sb_puts(b, TR(", chưa dùng cho ", ", unused by "));
		put_mask(b, rs, c->unused_by);
	}
	if (c->ever)
		sb_puts(b, TR(", mọi năm đến năm xét", ", any year up to the evaluated one"));
	if (c->min_months)
		sb_printf(b, TR(" ≥ %d tháng", " ≥ %d months"), c->min_months);
	if (c->max_months)
		sb_printf(b, TR(" ≤ %d tháng", " ≤ %d months"), c->max_months);
	if (c->f_min_months || c->f_max_months)
		sb_printf(b, TR(" (nữ: %d–%d tháng)", " (women: %d–%d months)"),
		    c->f_min_months ? c->f_min_months : c->min_months,
		    c->f_max_months ? c->f_max_months : c->max_months);
	if (c->continuous)
		sb_puts(b, TR(", liên tục", ", continuous"));
	for (int i = 0; i < c->ncoef; i++)
		sb_printf(b, TR(", %s × %g", ", %s × %g"), c->coef[i].kind, c->coef[i].coef);
	if (c->kind == CL_NO_DISCIPLINE) {
		sb_puts(b, " (");
		put_names(b, rules_dform_names, DF__MAX, c->forms);
		sb_puts(b, ")");
	}
	if (c->kind == CL_NO_INCIDENT)
		sb_printf(b, " (%s)", c->severity == SEV_SERIOUS ? "serious" : "minor+");
	if (c->kind == CL_MEMBERS)
		sb_printf(b, c->m_mode == MM_MIN_PCT ? " ≥ %g %%" :
		    c->m_mode == MM_OVER_PCT ? " > %g %%" : " ≥ %g", c->m_value);
	if (c->kind == CL_SCORE) {
		sb_printf(b, " %s", c->movement);
		if (c->max_rank)
			sb_printf(b, TR(" hạng ≤ %d", " rank ≤ %d"), c->max_rank);
		else
			sb_printf(b, TR(" điểm ≥ %g", " points ≥ %g"), c->min_points);
	}
	sb_puts(b, "\n");
	for (int i = 0; i < c->nkid; i++)
		put_clause(b, rs, rs->kids[c->kid0 + i], depth + 1);
}

static void
put_award(struct sb *b, const struct ruleset *rs, const struct raward *a)
{
	static const char *const subj[] = { "", "person", "unit", "person/unit" };
	const struct rclause *root = &rs->cl[a->root];

	sb_printf(b, "\n%s — %s (%s)\n", a->code, a->name_vi, a->name_en);
	sb_printf(b, "    %s · %s · %s%s", a->family == 2 ? "thematic" : a->family ? "commendation" : "title",
	    subj[a->subject & 3], rules_level_names[a->level],
	    a->campaign ? TR(" · theo đợt", " · campaign") : "");
	if (a->once)
		sb_puts(b, TR(" · chỉ một lần", " · once"));
	if (a->categories) {
		sb_puts(b, " · ");
		put_names(b, rules_category_names, CAT__MAX, a->categories);
	}
	if (a->military >= 0)
		sb_printf(b, " · military=%d", a->military);
	sb_printf(b, "\n    %s: %s\n", TR("Căn cứ", "Basis"), a->basis);
	if (a->cash > 0)
		sb_printf(b, TR("    Tiền thưởng: %g × lương cơ sở\n",
		    "    Cash: %g × base salary\n"), a->cash);
	if (a->ballot_pct >= 0)
		sb_printf(b, TR("    Bỏ phiếu kín: ≥ %g %% tổng số thành viên hội đồng\n",
		    "    Secret ballot: ≥ %g %% of the council's members\n"), a->ballot_pct);
	if (a->has_quota) {
		sb_printf(b, TR("    Chỉ tiêu: ≤ %g %% của ", "    Quota: ≤ %g %% of "), a->quota_pct);
		if (a->quota_of == QO_AWARDS)
			put_mask(b, rs, a->quota_awards);
		else
			sb_puts(b, "members");
		sb_printf(b, TR(" trong mỗi %s\n", " in each %s\n"),
		    rules_ukind_names[a->quota_scope]);
	}
	sb_puts(b, TR("    Điều kiện (tất cả):\n", "    Requires (all of):\n"));
	for (int i = 0; i < root->nkid; i++)
		put_clause(b, rs, rs->kids[root->kid0 + i], 0);
}

int
rules_show(const struct ruleset *rs, const char *code, struct sb *b, struct err *e)
{
	char eff[11];
	int found = 0;

	date_format(rs->effective, eff);
	sb_printf(b, "%s (%s %s)\n", rs->code, TR("hiệu lực từ", "effective"), eff);
	sb_printf(b, TR("Xếp loại theo điểm: HTXSNV ≥ %d, HTTNV ≥ %d, HTNV ≥ %d\n",
	    "Ratings from scores: HTXSNV ≥ %d, HTTNV ≥ %d, HTNV ≥ %d\n"),
	    rs->thresholds[0], rs->thresholds[1], rs->thresholds[2]);
	for (int i = 0; i < rs->naward; i++)
		if (code == NULL || strcmp(code, rs->awards[i].code) == 0) {
			put_award(b, rs, &rs->awards[i]);
			found = 1;
		}
	if (!found && code != NULL)
		return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "award", "%s: %s %s", code,
		    TR("không có trong bộ quy tắc", "is not in the rule set"), rs->code);
	return 0;
}

/* Award a of rs as rules show prints it (its code line left out). */
static void
award_text(const struct ruleset *rs, const struct raward *a, struct sb *b)
{
	sb_reset(b);
	put_award(b, rs, a);
}

/* Lines of x not in y, each with mark before it, into out. */
static void
lines_not_in(const char *x, const char *y, const char *mark, struct sb *out)
{
	for (const char *l = x; *l != '\0';) {
		size_t n = strcspn(l, "\n");
		int found = 0;

		for (const char *m = y; *m != '\0' && !found;) {
			size_t k = strcspn(m, "\n");

			found = k == n && memcmp(l, m, n) == 0;
			m += k + (m[k] == '\n');
		}
		if (!found && n > 0)
			sb_printf(out, "  %s%.*s\n", mark, (int)n, l);
		l += n + (l[n] == '\n');
	}
}

int
rules_diff(const struct ruleset *a, const struct ruleset *b, struct sb *out)
{
	struct sb ta, tb;
	char ea[11], eb[11];
	int changes = 0;

	sb_init(&ta);
	sb_init(&tb);
	date_format(a->effective, ea);
	date_format(b->effective, eb);
	sb_printf(out, "%s (%s) → %s (%s)\n", a->code, ea, b->code, eb);
	if (memcmp(a->thresholds, b->thresholds, sizeof a->thresholds) != 0) {
		sb_printf(out, TR("~ xếp loại theo điểm: %d/%d/%d → %d/%d/%d\n",
		    "~ ratings from scores: %d/%d/%d → %d/%d/%d\n"),
		    a->thresholds[0], a->thresholds[1], a->thresholds[2],
		    b->thresholds[0], b->thresholds[1], b->thresholds[2]);
		changes++;
	}
	for (int i = 0; i < a->naward; i++) {
		const struct raward *x = &a->awards[i];
		int j = rules_award_index(b, x->code);

		if (j < 0) {
			sb_printf(out, "- %s — %s\n", x->code, x->name_vi);
			changes++;
			continue;
		}
		award_text(a, x, &ta);
		award_text(b, &b->awards[j], &tb);
		if (strcmp(ta.s, tb.s) == 0)
			continue;
		sb_printf(out, "~ %s — %s\n", x->code, x->name_vi);
		lines_not_in(ta.s, tb.s, "- ", out);
		lines_not_in(tb.s, ta.s, "+ ", out);
		changes++;
	}
	for (int j = 0; j < b->naward; j++)
		if (rules_award_index(a, b->awards[j].code) < 0) {
			sb_printf(out, "+ %s — %s\n", b->awards[j].code,
			    b->awards[j].name_vi);
			award_text(b, &b->awards[j], &tb);
			lines_not_in(tb.s, "", "+ ", out);
			changes++;
		}
	if (changes == 0)
		sb_puts(out, TR("(không khác nhau)\n", "(no difference)\n"));
	sb_free(&ta);
	sb_free(&tb);
	return changes;
}
