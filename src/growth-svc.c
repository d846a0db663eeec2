/*
 * growth-svc.c: the growth services: the report over one unit's
 * indicators and planned values (growth_build, which reads the store and
 * runs the engine of growth.c per indicator) and its renderings: the
 * contract's JSON document the CLI and GET /api/v1/reports/growth both
 * print (growth_json), the table and CSV. See growth.h and
 * docs/indicators.md.
 */
#include <stdlib.h>
#include <string.h>

#include "growth.h"
#include "store-growth.h"
#include "util.h"

#define GROWTH_MAXSPAN 200

/* Named indicators, in report order. */
static const struct {
	const char	*code, *vi, *en;
} named[] = {
	{ "production_value", "Giá trị sản xuất", "Production value" },
	{ "turnover", "Doanh thu", "Turnover" },
	{ "value_added", "Giá trị gia tăng", "Value added" },
	{ "budget_payment", "Nộp ngân sách nhà nước", "State-budget payment" },
	{ "average_income", "Thu nhập bình quân", "Average income" },
	{ "export_value", "Giá trị xuất khẩu", "Export value" },
};
#define NNAMED (sizeof named / sizeof named[0])

static size_t
named_rank(const char *code)
{
	for (size_t i = 0; i < NNAMED; i++)
		if (strcmp(named[i].code, code) == 0)
			return i;
	return NNAMED;
}

const char *
growth_indicator_name(const char *code)
{
	size_t i = named_rank(code);

	return i < NNAMED ? TR(named[i].vi, named[i].en) : code;
}

/* Rows collected from the store before the engine runs. */
struct gather {
	struct growth_report *r;
	size_t		 cap;
	double		*v;		/* nind × (span + 1) */
	unsigned char	*have;
	double		*tv;
	unsigned char	*thave;
	size_t		 vcap;
};

static int
gather_row(void *d, const char *ind, int year, double value, int target)
{
	struct gather *g = d;
	struct growth_report *r = g->r;
	size_t w = (size_t)(r->to - r->from + 1), k, i;

	if (r->nind == 0 || strcmp(r->ind[r->nind - 1].code, ind) != 0) {
		grow(&r->ind, &g->cap, r->nind + 1, sizeof *r->ind);
		memset(&r->ind[r->nind], 0, sizeof r->ind[0]);
		snprintf(r->ind[r->nind].code, sizeof r->ind[0].code, "%s", ind);
		r->nind++;
		if (r->nind * w > g->vcap) {
			size_t old = g->vcap, n = r->nind * w * 2;

			g->v = xrealloc(g->v, n * sizeof *g->v);
			g->tv = xrealloc(g->tv, n * sizeof *g->tv);
			g->have = xrealloc(g->have, n);
			g->thave = xrealloc(g->thave, n);
			memset(g->v + old, 0, (n - old) * sizeof *g->v);
			memset(g->tv + old, 0, (n - old) * sizeof *g->tv);
			memset(g->have + old, 0, n - old);
			memset(g->thave + old, 0, n - old);
			g->vcap = n;
		}
	}
	k = r->nind - 1;
	i = k * w + (size_t)(year - r->from);
	if (target) {
		g->tv[i] = value;
		g->thave[i] = 1;
	} else {
		g->v[i] = value;
		g->have[i] = 1;
	}
	return 0;
}

static int
ind_cmp(const void *a, const void *b)
{
	const struct growth_ind *x = a, *y = b;
	size_t rx = named_rank(x->code), ry = named_rank(y->code);

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(x->code, y->code);
}

static void
run_engine(struct gather *g)
{
	struct growth_report *r = g->r;
	size_t w = (size_t)(r->to - r->from + 1);

	for (size_t k = 0; k < r->nind; k++) {
		struct growth_ind *ind = &r->ind[k];
		const double *v = g->v + k * w, *tv = g->tv + k * w;
		const unsigned char *h = g->have + k * w, *th = g->thave + k * w;

		ind->yoy = xcalloc(w, sizeof *ind->yoy);
		growth_compute(v, h, r->from, r->to, ind->yoy, &ind->calc);
		ind->have_from = h[0];
		ind->from_value = v[0];
		ind->have_to = h[w - 1];
		ind->to_value = v[w - 1];
		ind->targets = xcalloc(w, sizeof *ind->targets);
		for (size_t i = 0; i < w; i++) {
			struct growth_target *t = &ind->targets[ind->ntargets];

			if (!th[i])
				continue;
			t->year = r->from + (int)i;
			t->target = tv[i];
			t->have_actual = h[i];
			t->actual = v[i];
			t->attainment = h[i] && tv[i] != 0 ? v[i] / tv[i] : 0;
			t->met = h[i] && v[i] >= tv[i];
			ind->ntargets++;
		}
	}
	if (r->nind > 0)
		qsort(r->ind, r->nind, sizeof *r->ind, ind_cmp);
}

int
growth_build(struct store *st, int from, int to, const char *unit,
    struct growth_report *r, struct err *e)
{
	struct gather g;
	int rc;

	memset(r, 0, sizeof *r);
	if (to < from || to - from > GROWTH_MAXSPAN || from < 1900 || to > 2999)
		return err_set(e, ERR_USAGE, "--from %d --to %d: %s", from, to,
		    TR("khoảng năm không hợp lệ (từ ≤ đến, 1900–2999)",
		    "bad year range (from ≤ to, 1900–2999)"));
	if (unit == NULL) {
		if ((rc = store_growth_root(st, r->unit, e)) < 0)
			return -1;
		if (rc == 0)
			return err_set(e, ERR_NOTFOUND, "%s", TR("chưa có đơn vị "
			    "nào trong cơ sở dữ liệu", "there is no unit in the "
			    "database"));
	} else {
		if ((rc = store_growth_is_unit(st, unit, e)) < 0)
			return -1;
		if (rc == 0)
			return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "unit",
			    "%s: %s", unit, TR("không có đơn vị này",
			    "no such unit"));
		snprintf(r->unit, sizeof r->unit, "%s", unit);
	}
	r->from = from;
	r->to = to;
	memset(&g, 0, sizeof g);
	g.r = r;
	rc = store_growth_rows(st, r->unit, from, to, gather_row, &g, e);
	if (rc == 0)
		run_engine(&g);
	free(g.v);
	free(g.tv);
	free(g.have);
	free(g.thave);
	if (rc != 0)
		growth_report_free(r);
	return rc;
}

void
growth_report_free(struct growth_report *r)
{
	for (size_t k = 0; k < r->nind; k++) {
		free(r->ind[k].yoy);
		free(r->ind[k].targets);
	}
	free(r->ind);
	memset(r, 0, sizeof *r);
}

/* A number rounded to `dec` decimals without trailing zeros. */
static void
put_round(struct sb *b, double x, int dec)
{
	char buf[64];
	size_t n;

	snprintf(buf, sizeof buf, "%.*f", dec, x);
	n = strlen(buf);
	if (strchr(buf, '.') != NULL) {
		while (n > 1 && buf[n - 1] == '0')
			n--;
		if (buf[n - 1] == '.')
			n--;
	}
	buf[n] = '\0';
	if (strcmp(buf, "-0") == 0)
		strcpy(buf, "0");
	sb_puts(b, buf);
}

static void
put_opt(struct sb *b, int have, double x, int dec)
{
	if (!have)
		sb_puts(b, "null");
	else if (dec < 0)
		sb_printf(b, "%.15g", x);
	else
		put_round(b, x, dec);
}

void
growth_report_json(const struct growth_report *r, struct sb *b)
{
	sb_printf(b, "{\"from\":%d,\"to\":%d,\"unit\":", r->from, r->to);
	sb_json_str(b, r->unit);
	sb_puts(b, ",\"indicators\":[");
	for (size_t k = 0; k < r->nind; k++) {
		const struct growth_ind *d = &r->ind[k];

		sb_puts(b, k ? ",{\"indicator\":" : "{\"indicator\":");
		sb_json_str(b, d->code);
		sb_puts(b, ",\"name\":");
		sb_json_str(b, growth_indicator_name(d->code));
		sb_puts(b, ",\"from_value\":");
		put_opt(b, d->have_from, d->from_value, -1);
		sb_puts(b, ",\"to_value\":");
		put_opt(b, d->have_to, d->to_value, -1);
		sb_puts(b, ",\"ratio\":");
		put_opt(b, d->calc.have_ratio, d->calc.ratio, 4);
		sb_puts(b, ",\"cagr\":");
		put_opt(b, d->calc.have_ratio, d->calc.cagr, 4);
		sb_puts(b, ",\"yoy\":[");
		for (size_t i = 0; i < d->calc.nyoy; i++) {
			sb_printf(b, "%s{\"year\":%d,\"ratio\":", i ? "," : "",
			    d->yoy[i].year);
			put_round(b, d->yoy[i].ratio, 4);
			sb_printf(b, ",\"rose\":%s}", d->yoy[i].rose ? "true" :
			    "false");
		}
		sb_printf(b, "],\"rising_every_year\":%s,\"targets\":[",
		    d->calc.rising ? "true" : "false");
		for (size_t i = 0; i < d->ntargets; i++) {
			const struct growth_target *t = &d->targets[i];

			sb_printf(b, "%s{\"year\":%d,\"target\":%.15g,\"actual\":",
			    i ? "," : "", t->year, t->target);
			put_opt(b, t->have_actual, t->actual, -1);
			sb_puts(b, ",\"attainment\":");
			put_opt(b, t->have_actual && t->target != 0,
			    t->attainment, 4);
			sb_printf(b, ",\"met\":%s}", t->met ? "true" : "false");
		}
		sb_puts(b, "]}");
	}
	sb_puts(b, "]}\n");
}

int
growth_json(struct store *st, int from, int to, const char *unit,
    struct sb *out, struct err *e)
{
	struct growth_report r;

	if (growth_build(st, from, to, unit, &r, e) != 0)
		return -1;
	growth_report_json(&r, out);
	growth_report_free(&r);
	return 0;
}

int
growth_colw(const char *s, int w)
{
	int extra = 0;

	for (; *s; s++)
		extra += ((unsigned char)*s & 0xC0) == 0x80;
	return w + extra;
}

/* The target of the last year, if any. */
static const struct growth_target *
last_target(const struct growth_ind *d, int year)
{
	return d->ntargets && d->targets[d->ntargets - 1].year == year ?
	    &d->targets[d->ntargets - 1] : NULL;
}

static void
put_cell(struct sb *b, int have, double x, int dec, const char *after)
{
	if (have)
		sb_printf(b, "%.*f", dec, x);
	else
		sb_puts(b, "-");
	sb_puts(b, after);
}

void
growth_report_table(const struct growth_report *r, struct sb *b)
{
	sb_printf(b, "%s %s, %d–%d\n", TR("Tăng trưởng chỉ tiêu SXKD của",
	    "Business indicator growth of"), r->unit, r->from, r->to);
	if (r->nind == 0) {
		sb_printf(b, "%s\n", TR("(không có số liệu chỉ tiêu trong các "
		    "năm này)", "(no indicator values in these years)"));
		return;
	}
	{
		const char *h[6] = { TR("chỉ tiêu", "indicator"),
		    TR("năm đầu", "first year"), TR("năm cuối", "last year"),
		    TR("lần", "ratio"), "CAGR %", TR("tăng đều", "rising") };

		sb_printf(b, "%-*s %*s %*s %*s %*s %-*s %s\n",
		    growth_colw(h[0], 26), h[0], growth_colw(h[1], 16), h[1],
		    growth_colw(h[2], 16), h[2], growth_colw(h[3], 7), h[3],
		    growth_colw(h[4], 8), h[4], growth_colw(h[5], 9), h[5],
		    TR("kế hoạch năm cuối", "last-year plan"));
	}
	for (size_t k = 0; k < r->nind; k++) {
		const struct growth_ind *d = &r->ind[k];
		const struct growth_target *t = last_target(d, r->to);

		sb_printf(b, "%-26s ", d->code);
		if (d->have_from)
			sb_printf(b, "%16.2f ", d->from_value);
		else
			sb_printf(b, "%16s ", "-");
		if (d->have_to)
			sb_printf(b, "%16.2f ", d->to_value);
		else
			sb_printf(b, "%16s ", "-");
		if (d->calc.have_ratio)
			sb_printf(b, "%7.2f %8.2f ", d->calc.ratio,
			    d->calc.cagr * 100);
		else
			sb_printf(b, "%7s %8s ", "-", "-");
		{
			const char *r = d->calc.rising ? TR("có", "yes") :
			    TR("không", "no");

			sb_printf(b, "%-*s ", growth_colw(r, 9), r);
		}
		if (t != NULL) {
			put_cell(b, t->have_actual, t->attainment * 100, 1, "% ");
			sb_puts(b, t->met ? TR("(đạt)", "(met)") :
			    TR("(chưa đạt)", "(not met)"));
		} else
			sb_puts(b, "-");
		sb_putc(b, '\n');
		sb_printf(b, "  %s:", TR("so với năm trước", "year over year"));
		for (size_t i = 0; i < d->calc.nyoy; i++)
			sb_printf(b, " %d×%.3f%s", d->yoy[i].year,
			    d->yoy[i].ratio, d->yoy[i].rose ? "" : "↓");
		sb_putc(b, '\n');
	}
}

void
growth_report_csv(const struct growth_report *r, struct sb *b)
{
	sb_puts(b, "indicator,from,to,from_value,to_value,ratio,cagr,"
	    "rising_every_year,target,attainment\n");
	for (size_t k = 0; k < r->nind; k++) {
		const struct growth_ind *d = &r->ind[k];
		const struct growth_target *t = last_target(d, r->to);

		sb_csv_field(b, d->code);
		sb_printf(b, ",%d,%d,", r->from, r->to);
		if (d->have_from)
			sb_printf(b, "%.15g", d->from_value);
		sb_putc(b, ',');
		if (d->have_to)
			sb_printf(b, "%.15g", d->to_value);
		sb_putc(b, ',');
		if (d->calc.have_ratio) {
			put_round(b, d->calc.ratio, 4);
			sb_putc(b, ',');
			put_round(b, d->calc.cagr, 4);
		} else
			sb_putc(b, ',');
		sb_printf(b, ",%d,", d->calc.rising);
		if (t != NULL) {
			sb_printf(b, "%.15g,", t->target);
			if (t->have_actual && t->target != 0)
				put_round(b, t->attainment, 4);
		} else
			sb_putc(b, ',');
		sb_putc(b, '\n');
	}
}
