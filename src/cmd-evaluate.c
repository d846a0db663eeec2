/*
 * cmd-evaluate.c: thidua evaluate --movement CODE [--as-of DATE]
 *     [--top N] [--format json|table|csv]
 * Scores and ranks the movement's participants (movement-eval.c). The
 * table lists each group best first; a movement of people lists each
 * group in Vietnamese name order (given name, then the rest). --top N
 * prints prompt recognition instead: the N best of each group and
 * everyone who met every target.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "collate.h"
#include "movement.h"
#include "util.h"

/* Print s left-aligned in w columns, counting UTF-8 characters. */
static void
pad(const char *s, int w)
{
	int n = 0;

	for (const char *p = s; *p; p++)
		n += ((unsigned char)*p & 0xc0) != 0x80;
	fputs(s, stdout);
	for (; n < w; n++)
		putchar(' ');
	putchar(' ');
}

static void
numstr(char *buf, size_t sz, double v)
{
	if (isnan(v))
		snprintf(buf, sz, "-");
	else
		snprintf(buf, sz, "%.10g", round(v * 100) / 100);
}

/* Display order: by group, then rank, or Vietnamese names for people. */
static size_t *
display_order(const struct mv_eval *ev)
{
	size_t n = ev->n, *ord = xmalloc((n ? n : 1) * sizeof *ord);

	if (ev->mv.subjects != MV_PEOPLE) {
		for (size_t i = 0; i < n; i++)
			ord[i] = ev->s.order[i];
		return ord;
	}
	const char **names = xmalloc((n ? n : 1) * sizeof *names);
	size_t *by_name = xmalloc((n ? n : 1) * sizeof *by_name);
	size_t *start = xcalloc(ev->ngroups + 1, sizeof *start);

	for (size_t i = 0; i < n; i++)
		names[i] = MV_TEXT(ev, ev->name[i]);
	collate_order(names, n, by_name);
	/* stable bucket by group, keeping name order inside each */
	for (size_t i = 0; i < n; i++)
		start[ev->s.group[i] + 1]++;
	for (size_t g = 0; g < ev->ngroups; g++)
		start[g + 1] += start[g];
	for (size_t i = 0; i < n; i++)
		ord[start[ev->s.group[by_name[i]]]++] = by_name[i];
	free(names);
	free(by_name);
	free(start);
	return ord;
}

static void
table(const struct mv_eval *ev)
{
	const struct score_set *s = &ev->s;
	size_t *ord = display_order(ev);
	char d[11], b[64];

	date_format(ev->as_of, d);
	printf("%s %s — %s\n", TR("Phong trào", "Movement"), ev->mv.code,
	    g_lang == LANG_EN && ev->mv.name_en ? ev->mv.name_en : ev->mv.name_vi);
	if (ev->provisional)
		printf("%s %s (%s %.1f%% %s)\n", TR("TẠM TÍNH đến ngày",
		    "PROVISIONAL standing as of"), d, TR("chỉ tiêu cộng dồn lấy theo tỉ lệ",
		    "cumulative targets taken pro rata at"), s->prorata * 100,
		    TR("thời gian", "of the period"));
	else
		printf("%s %s\n", TR("Kết quả đến ngày", "Results as of"), d);
	for (size_t i = 0; i < ev->n; i++) {
		size_t p = ord[i];

		if (i == 0 || s->group[p] != s->group[ord[i - 1]]) {
			const char *g = MV_TEXT(ev, ev->gname[s->group[p]]);

			printf("\n[%s %s]\n", TR("Nhóm", "Group"), *g ? g : "-");
			pad(TR("hạng", "rank"), 4);
			pad(TR("mã", "code"), 12);
			pad(TR("tên", "name"), 28);
			pad(TR("điểm", "score"), 7);
			pad(TR("xếp loại", "rating"), 8);
			for (size_t c = 0; c < s->nc; c++)
				pad(ev->mv.crit[c].code, 10);
			printf("%s\n", TR("ghi chú", "notes"));
		}
		snprintf(b, sizeof b, "%d", (int)s->rank[p]);
		pad(b, 4);
		pad(MV_TEXT(ev, ev->code[p]), 12);
		pad(MV_TEXT(ev, ev->name[p]), 28);
		numstr(b, sizeof b, s->score[p]);
		pad(b, 7);
		pad(mv_rating_name((enum mv_rating)s->rating[p]), 8);
		for (size_t c = 0; c < s->nc; c++) {
			numstr(b, sizeof b, s->points[p * s->nc + c]);
			pad(b, 10);
		}
		if (s->vetoed[p])
			printf("%s %s; ", TR("bị phủ quyết bởi", "vetoed by"),
			    ev->mv.crit[s->veto_crit[p]].code);
		for (size_t c = 0; c < s->nc; c++)
			if (s->reason[p * s->nc + c] == SR_MISSING_TARGET)
				printf("%s: %s; ", ev->mv.crit[c].code,
				    score_reason_text(SR_MISSING_TARGET));
		if (s->met_all[p])
			printf("%s", TR("đạt mọi chỉ tiêu", "met every target"));
		putchar('\n');
	}
	free(ord);
}

static void
csv(const struct mv_eval *ev)
{
	const struct score_set *s = &ev->s;
	struct sb o;
	char b[64];

	sb_init(&o);
	sb_puts(&o, "subject,name,group,score,rank,rating,vetoed,met_all");
	for (size_t c = 0; c < s->nc; c++)
		sb_printf(&o, ",%s_actual,%s_target,%s_points", ev->mv.crit[c].code,
		    ev->mv.crit[c].code, ev->mv.crit[c].code);
	sb_puts(&o, "\r\n");
	for (size_t i = 0; i < ev->n; i++) {
		size_t p = s->order[i];

		sb_csv_field(&o, MV_TEXT(ev, ev->code[p]));
		sb_putc(&o, ',');
		sb_csv_field(&o, MV_TEXT(ev, ev->name[p]));
		sb_putc(&o, ',');
		sb_csv_field(&o, MV_TEXT(ev, ev->gname[s->group[p]]));
		sb_printf(&o, ",%.10g,%d,%s,%d,%d", s->score[p], (int)s->rank[p],
		    mv_rating_name((enum mv_rating)s->rating[p]), s->vetoed[p],
		    s->met_all[p]);
		for (size_t c = 0; c < s->nc; c++) {
			size_t k = p * s->nc + c;
			double v[3] = { s->acc[k], s->teff[k], s->points[k] };

			for (int j = 0; j < 3; j++) {
				if (isnan(v[j]))
					b[0] = '\0';
				else
					snprintf(b, sizeof b, "%.10g", v[j]);
				sb_printf(&o, ",%s", b);
			}
		}
		sb_puts(&o, "\r\n");
		if (o.len > (1 << 20)) {
			fwrite(o.s, 1, o.len, stdout);
			sb_reset(&o);
		}
	}
	fwrite(o.s, 1, o.len, stdout);
	sb_free(&o);
}

static int
recognition(struct cli *cli, const char *code, const char *as_of, long top,
    struct err *e)
{
	struct sb o;
	struct recognition *r;
	size_t n;

	sb_init(&o);
	if (cli->format == FMT_JSON) {
		int rc = recognition_json(cli->st, code, as_of, (int)top, &o, e);

		if (rc == 0)
			fputs(o.s, stdout);
		sb_free(&o);
		return rc;
	}
	sb_free(&o);
	if (movement_recognition(cli->st, code, as_of, (int)top, &r, &n, e) != 0)
		return -1;
	printf("%s\n", TR("Đề nghị khen thưởng kịp thời (đứng đầu nhóm hoặc đạt mọi chỉ tiêu):",
	    "Prompt recognition (top of their group or met every target):"));
	for (size_t i = 0; i < n; i++) {
		char b[32];

		pad(r[i].group[0] ? r[i].group : "-", 12);
		snprintf(b, sizeof b, "%d", r[i].rank);
		pad(b, 4);
		pad(r[i].subject, 12);
		snprintf(b, sizeof b, "%.10g", r[i].score);
		pad(b, 7);
		printf("%s%s%s\n", r[i].top ? TR("dẫn đầu", "top") : "",
		    r[i].top && r[i].met_all ? ", " : "",
		    r[i].met_all ? TR("đạt mọi chỉ tiêu", "met every target") : "");
	}
	free(r);
	return 0;
}

static int
exec_evaluate(struct cli *cli, int argc, char **argv, struct err *e)
{
	const char *code = NULL, *as_of = NULL;
	long top = -1;
	const struct opt opts[] = {
		{ "movement", OPT_STR, &code },
		{ "as-of", OPT_STR, &as_of },
		{ "top", OPT_INT, &top },
		{ NULL, 0, NULL }
	};
	struct mv_eval ev;
	int n, rc = 0;

	if ((n = opt_parse(cli, argc - 1, argv + 1, opts, e)) < 0)
		return -1;
	if (n != 0 || code == NULL || (top != -1 && top < 1))
		return err_set(e, ERR_USAGE, "%s: thidua evaluate --movement CODE "
		    "[--as-of DATE] [--top N] [--format json|table|csv]",
		    TR("cách dùng", "usage"));
	if (top > 0)
		return recognition(cli, code, as_of, top, e);
	if (mv_eval_run(cli->st, code, as_of, &ev, e) != 0)
		return -1;
	if (cli->format == FMT_JSON) {
		struct sb o;

		sb_init(&o);
		if (mv_eval_json(&ev, &o, stdout) != 0)
			rc = err_set(e, ERR_SYSTEM, "%s", TR("không ghi được kết quả",
			    "cannot write the output"));
		sb_free(&o);
	} else if (cli->format == FMT_CSV)
		csv(&ev);
	else
		table(&ev);
	mv_eval_free(&ev);
	return rc;
}

const struct cmd cmd_evaluate = {
	"evaluate", "--movement CODE [--as-of DATE] [--top N] [--format json|table|csv]",
	"chấm điểm, xếp hạng phong trào thi đua",
	"score and rank a movement's participants",
	CMD_DB, exec_evaluate
};
