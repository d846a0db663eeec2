/*
 * schedule-svc.c: the schedule services. Load the snapshot, run the
 * engine, and render the result: the contract's JSON document (the same
 * for the CLI and the HTTP API), a table with hard tasks and the biggest
 * slips first, CSV, and suggested raid campaigns (JSON, or YAML that
 * `thidua movement load` reads). Large outputs are written in chunks.
 */
#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "par.h"
#include "schedule.h"
#include "store-schedule.h"
#include "util.h"

#define CHUNK	(1 << 20)

/* An output: a buffer, flushed to f when f is set. */
struct out {
	struct sb	*b;
	FILE		*f;
	int		 failed;
};

static void
out_flush(struct out *o, int force)
{
	if (o->f == NULL || (!force && o->b->len < CHUNK))
		return;
	if (o->b->len && fwrite(o->b->s, 1, o->b->len, o->f) != o->b->len)
		o->failed = 1;
	sb_reset(o->b);
}

/* Everything a rendering needs. */
struct view {
	const struct schedule_query *q;
	struct sched_snap	 s;
	struct sched_result	 r;
	uint32_t		*list;	/* tasks shown, in display order */
	size_t			 nlist;
	char			(*days)[11];	/* day0 + k as text */
	int32_t			 day0;
	size_t			 ndays;
};

static void
put_i64(struct sb *b, int64_t v)
{
	char buf[24], *p = buf + sizeof buf;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sb_putn(b, p, (size_t)(buf + sizeof buf - p));
}

/* A number: whole numbers as integers, others with up to 4 decimals. */
static void
put_num(struct sb *b, double x)
{
	char buf[64];
	int n;

	if (!isfinite(x)) {
		sb_puts(b, "null");
		return;
	}
	if (fabs(x) < 1e15 && x == (double)(int64_t)x) {
		put_i64(b, (int64_t)x);
		return;
	}
	n = snprintf(buf, sizeof buf, "%.4f", x);
	while (n > 1 && buf[n - 1] == '0')
		n--;
	if (buf[n - 1] == '.')
		n--;
	sb_putn(b, buf, (size_t)n);
}

/* A day as "YYYY-MM-DD" (quoted when q), or null / empty. */
static void
put_day(struct sb *b, int32_t d, int q)
{
	char buf[11];

	if (d == SCHED_NEVER || d == SCHED_NONE) {
		if (q)
			sb_puts(b, "null");
		return;
	}
	date_format(d, buf);
	if (q)
		sb_putc(b, '"');
	sb_putn(b, buf, 10);
	if (q)
		sb_putc(b, '"');
}

/* A quoted day of the document, from the view's cache; null for none. */
static void
put_vday(struct sb *b, const struct view *v, int32_t d)
{
	if (d != SCHED_NEVER && d != SCHED_NONE && d >= v->day0 &&
	    (size_t)(d - v->day0) < v->ndays) {
		char q[12];

		q[0] = '"';
		memcpy(q + 1, v->days[d - v->day0], 10);
		q[11] = '"';
		sb_putn(b, q, 12);
	} else
		put_day(b, d, 1);
}

/* A JSON string: runs without escapes are copied whole (the common case
 * for codes and names), the rest go through sb_json_str. */
static void
put_str(struct sb *b, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;

	for (; *p; p++)
		if (*p < 0x20 || *p == '"' || *p == '\\') {
			sb_json_str(b, str);
			return;
		}
	sb_putc(b, '"');
	sb_putn(b, str, (size_t)(p - (const unsigned char *)str));
	sb_putc(b, '"');
}

static const char *
tcode(const struct view *v, uint32_t i)
{
	return v->s.text + v->s.code[i];
}

static const char *
ucode(const struct view *v, uint32_t i)
{
	int32_t u = v->s.unit[i];

	return u >= 0 ? v->s.text + v->s.unit_code[u] : "";
}

/*
 * Display order: hard first, open before done, biggest slip (none = no
 * finite forecast = biggest), status precedence, then load order; all
 * packed in one 64-bit key per task, so the sort compares integers.
 */
#define KEY_IDX_BITS	29

static uint64_t
sort_key(const struct view *v, uint32_t i)
{
	long slip = sched_slip(&v->s, &v->r, i);
	uint64_t sl = slip < 0 || slip >= (1L << 30) - 1 ? (1UL << 30) - 1 :
	    (uint64_t)slip;

	return (uint64_t)!v->s.hard[i] << 63 |
	    (uint64_t)(v->r.status[i] == SCHED_DONE) << 62 |
	    ((1UL << 30) - 1 - sl) << 32 |
	    (uint64_t)v->r.status[i] << KEY_IDX_BITS | i;
}

static int
cmp_u64(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	return a < b ? -1 : a > b;
}

static void
sort_list(struct view *v)
{
	uint64_t *k = xmalloc((v->nlist ? v->nlist : 1) * sizeof *k);
	size_t j;

	for (j = 0; j < v->nlist; j++)
		k[j] = sort_key(v, v->list[j]);
	qsort(k, v->nlist, sizeof *k, cmp_u64);
	for (j = 0; j < v->nlist; j++)
		v->list[j] = (uint32_t)(k[j] & ((1UL << KEY_IDX_BITS) - 1));
	free(k);
}

static void
see_day(int32_t d, int32_t *lo, int32_t *hi)
{
	if (d == SCHED_NEVER || d == SCHED_NONE)
		return;
	if (d < *lo)
		*lo = d;
	if (d > *hi)
		*hi = d;
}

/* Date strings for the days the document shows, made once. */
static void
day_cache(struct view *v)
{
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	size_t i;

	for (i = 0; i < v->s.n; i++) {
		see_day(v->s.start[i], &lo, &hi);
		see_day(v->s.due[i], &lo, &hi);
		see_day(v->r.fin[i], &lo, &hi);
	}
	if (lo > hi || (int64_t)hi - lo > 200000)
		return;
	v->day0 = lo;
	v->ndays = (size_t)(hi - lo + 1);
	v->days = xmalloc(v->ndays * sizeof *v->days);
	for (i = 0; i < v->ndays; i++)
		date_format(lo + (int32_t)i, v->days[i]);
}

/* Units inside the subtree of unit index top. */
static uint8_t *
subtree(const struct sched_snap *s, int32_t top)
{
	uint8_t *in = xcalloc(s->nunits ? s->nunits : 1, 1);

	for (size_t u = 0; u < s->nunits; u++) {
		int32_t x = (int32_t)u;

		for (size_t hop = 0; x >= 0 && hop <= s->nunits; hop++) {
			if (x == top) {
				in[u] = 1;
				break;
			}
			x = s->unit_parent[x];
		}
	}
	return in;
}

static void
view_free(struct view *v)
{
	sched_result_free(&v->r);
	sched_snap_free(&v->s);
	free(v->list);
	free(v->days);
}

static int
view_load(struct store *st, const struct schedule_query *q, struct view *v,
    struct err *e)
{
	uint8_t *in = NULL;
	size_t i;

	memset(v, 0, sizeof *v);
	v->q = q;
	sched_snap_init(&v->s, q->as_of, q->window);
	if (store_schedule_load(st, &v->s, e) != 0) {
		sched_snap_free(&v->s);
		return -1;
	}
	if (q->unit != NULL) {
		int32_t top = -1;

		for (i = 0; i < v->s.nunits; i++)
			if (strcmp(v->s.text + v->s.unit_code[i], q->unit) == 0)
				top = (int32_t)i;
		if (top < 0) {
			sched_snap_free(&v->s);
			return err_at(e, ERR_NOTFOUND, NULL, 0, 0, "unit",
			    "%s: %s", TR("không có đơn vị", "no such unit"),
			    q->unit);
		}
		in = subtree(&v->s, top);
	}
	if (sched_run(&v->s, &v->r, e) != 0) {
		free(in);
		sched_snap_free(&v->s);
		return -1;
	}
	v->list = xmalloc((v->s.n ? v->s.n : 1) * sizeof *v->list);
	for (i = 0; i < v->s.n; i++)
		if ((in == NULL || (v->s.unit[i] >= 0 && in[v->s.unit[i]])) &&
		    (q->task == NULL || strcmp(tcode(v, (uint32_t)i),
		    q->task) == 0))
			v->list[v->nlist++] = (uint32_t)i;
	free(in);
	if (v->s.n >= (1UL << KEY_IDX_BITS)) {
		view_free(v);
		return err_set(e, ERR_TOOBIG, "%s", TR("quá nhiều nhiệm vụ",
		    "too many tasks"));
	}
	sort_list(v);
	day_cache(v);
	return 0;
}

/* A JSON array of task codes. */
static void
put_codes(struct sb *b, const struct view *v, const uint32_t *a, size_t n)
{
	sb_putc(b, '[');
	for (size_t k = 0; k < n; k++) {
		if (k)
			sb_putc(b, ',');
		put_str(b, tcode(v, a[k]));
	}
	sb_putc(b, ']');
}

static void
json_task(struct sb *b, const struct view *v, uint32_t i)
{
	const struct sched_snap *s = &v->s;
	const struct sched_result *r = &v->r;
	long slip = sched_slip(s, r, i);

	sb_puts(b, "{\"task\":");
	put_str(b, tcode(v, i));
	sb_puts(b, ",\"unit\":");
	put_str(b, ucode(v, i));
	sb_puts(b, ",\"name\":");
	put_str(b, s->text + s->name[i]);
	sb_puts(b, ",\"product\":");
	put_str(b, s->text + s->product[i]);
	sb_puts(b, ",\"customer\":");
	put_str(b, s->text + s->customer[i]);
	sb_puts(b, s->hard[i] ? ",\"hard\":true" : ",\"hard\":false");
	sb_puts(b, ",\"quantity\":");
	put_num(b, s->qty[i]);
	sb_puts(b, ",\"done\":");
	put_num(b, s->done[i]);
	sb_puts(b, ",\"planned_to_date\":");
	put_num(b, round(r->planned[i] * 100) / 100);
	sb_puts(b, ",\"start\":");
	put_vday(b, v, s->start[i]);
	sb_puts(b, ",\"due\":");
	put_vday(b, v, s->due[i]);
	sb_puts(b, ",\"forecast_finish\":");
	put_vday(b, v, r->fin[i]);
	sb_puts(b, ",\"slip_days\":");
	if (slip < 0)
		sb_puts(b, "null");
	else
		put_i64(b, slip);
	sb_puts(b, ",\"status\":\"");
	sb_puts(b, sched_status_name(r->status[i]));
	sb_puts(b, "\",\"forecast_basis\":\"");
	sb_puts(b, sched_basis_name(r->basis[i]));
	sb_puts(b, "\",\"pace\":");
	put_num(b, round(r->pace[i] * 10000) / 10000);
	sb_puts(b, ",\"caused_by\":");
	put_codes(b, v, r->cause + r->coff[i], r->clen[i]);
	if (r->cmore[i])
		sb_puts(b, ",\"caused_by_truncated\":true");
	sb_puts(b, ",\"impacts\":");
	put_codes(b, v, r->imp + r->ioff[i], r->ioff[i + 1] - r->ioff[i]);
	sb_putc(b, '}');
}

/* One row of the listing: task list[k] appended to b (scratch: a buffer
 * the row may use). Rows are independent, so they render in parallel. */
typedef void (*row_fn)(struct sb *b, const struct view *, size_t k,
    struct sb *scratch);

static void
json_row(struct sb *b, const struct view *v, size_t k, struct sb *scratch)
{
	(void)scratch;
	if (k)
		sb_putc(b, ',');
	json_task(b, v, v->list[k]);
}

/* Codes joined by ';' (CSV) or ", " with at most max shown (table). */
static void
put_joined(struct sb *b, const struct view *v, const uint32_t *a, size_t n,
    const char *sep, size_t max)
{
	for (size_t k = 0; k < n && k < max; k++) {
		if (k)
			sb_puts(b, sep);
		sb_puts(b, tcode(v, a[k]));
	}
	if (n > max)
		sb_printf(b, "%s+%zu", sep, n - max);
}

static const char csv_head[] = "task,unit,name,hard,status,quantity,done,"
    "planned_to_date,start,due,forecast_finish,slip_days,forecast_basis,"
    "pace,caused_by,impacts\n";

static void
csv_row(struct sb *b, const struct view *v, size_t k, struct sb *f)
{
	uint32_t i = v->list[k];
	long slip = sched_slip(&v->s, &v->r, i);

	sb_csv_field(b, tcode(v, i));
	sb_putc(b, ',');
	sb_csv_field(b, ucode(v, i));
	sb_putc(b, ',');
	sb_csv_field(b, v->s.text + v->s.name[i]);
	sb_puts(b, v->s.hard[i] ? ",1," : ",0,");
	sb_puts(b, sched_status_name(v->r.status[i]));
	sb_putc(b, ',');
	put_num(b, v->s.qty[i]);
	sb_putc(b, ',');
	put_num(b, v->s.done[i]);
	sb_putc(b, ',');
	put_num(b, round(v->r.planned[i] * 100) / 100);
	sb_putc(b, ',');
	put_day(b, v->s.start[i], 0);
	sb_putc(b, ',');
	put_day(b, v->s.due[i], 0);
	sb_putc(b, ',');
	put_day(b, v->r.fin[i], 0);
	sb_putc(b, ',');
	if (slip >= 0)
		put_i64(b, slip);
	sb_putc(b, ',');
	sb_puts(b, sched_basis_name(v->r.basis[i]));
	sb_putc(b, ',');
	put_num(b, round(v->r.pace[i] * 10000) / 10000);
	sb_putc(b, ',');
	sb_reset(f);
	put_joined(f, v, v->r.cause + v->r.coff[i], v->r.clen[i], ";",
	    SIZE_MAX);
	sb_csv_field(b, f->s);
	sb_putc(b, ',');
	sb_reset(f);
	put_joined(f, v, v->r.imp + v->r.ioff[i], v->r.ioff[i + 1] -
	    v->r.ioff[i], ";", SIZE_MAX);
	sb_csv_field(b, f->s);
	sb_putc(b, '\n');
}

/* Pad s to w display columns (UTF-8 aware). */
static void
put_cell(struct sb *b, const char *s, int w)
{
	int cols = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xc0) != 0x80)
			cols++;
	sb_puts(b, s);
	for (; cols < w; cols++)
		sb_putc(b, ' ');
	sb_putc(b, ' ');
}

static const char *
status_label(enum sched_status st)
{
	static const char *const vi[SCHED__NSTATUS] = { "xong", "trễ hạn",
	    "đình trệ", "có nguy cơ", "đúng tiến độ" };
	static const char *const en[SCHED__NSTATUS] = { "done", "late",
	    "stalled", "at risk", "on track" };

	return TR(vi[st], en[st]);
}

static const int tw[] = { 12, 8, 4, 12, 10, 10, 10, 10, 6 };

static void
table_head(struct sb *b, const struct view *v)
{
	char day[11];

	date_format(v->q->as_of, day);
	sb_printf(b, "%s %s\n", TR("Tiến độ nhiệm vụ trọng tâm đến ngày",
	    "Key-task schedule as of"), day);
	put_cell(b, TR("Nhiệm vụ", "Task"), tw[0]);
	put_cell(b, TR("Đơn vị", "Unit"), tw[1]);
	put_cell(b, TR("Khó", "Hard"), tw[2]);
	put_cell(b, TR("Trạng thái", "Status"), tw[3]);
	put_cell(b, TR("Đã làm", "Done"), tw[4]);
	put_cell(b, TR("Kế hoạch", "Planned"), tw[5]);
	put_cell(b, TR("Hạn", "Due"), tw[6]);
	put_cell(b, TR("Dự báo", "Forecast"), tw[7]);
	put_cell(b, TR("Chậm", "Slip"), tw[8]);
	sb_printf(b, "%s\n", TR("Do / Ảnh hưởng", "Caused by / Impacts"));
}

static void
table_row(struct sb *b, const struct view *v, size_t k, struct sb *c)
{
	uint32_t i = v->list[k];
	long slip = sched_slip(&v->s, &v->r, i);

	put_cell(b, tcode(v, i), tw[0]);
	put_cell(b, ucode(v, i), tw[1]);
	put_cell(b, v->s.hard[i] ? "*" : "", tw[2]);
	put_cell(b, status_label(v->r.status[i]), tw[3]);
	sb_reset(c);
	put_num(c, v->s.done[i]);
	sb_putc(c, '/');
	put_num(c, v->s.qty[i]);
	put_cell(b, c->s, tw[4]);
	sb_reset(c);
	put_num(c, round(v->r.planned[i]));
	put_cell(b, c->s, tw[5]);
	sb_reset(c);
	put_day(c, v->s.due[i], 0);
	put_cell(b, c->s, tw[6]);
	sb_reset(c);
	if (v->r.fin[i] == SCHED_NEVER)
		sb_puts(c, TR("không xác định", "none"));
	else
		put_day(c, v->r.fin[i], 0);
	put_cell(b, c->s, tw[7]);
	sb_reset(c);
	if (slip >= 0)
		put_i64(c, slip);
	else
		sb_puts(c, "∞");
	put_cell(b, c->s, tw[8]);
	sb_reset(c);
	put_joined(c, v, v->r.cause + v->r.coff[i], v->r.clen[i], ",", 3);
	sb_puts(b, c->len ? c->s : "-");
	sb_puts(b, " / ");
	sb_reset(c);
	put_joined(c, v, v->r.imp + v->r.ioff[i], v->r.ioff[i + 1] -
	    v->r.ioff[i], ",", 3);
	sb_puts(b, c->len ? c->s : "-");
	sb_putc(b, '\n');
}

/*
 * The rows of a listing. Written to a file, a big listing renders on two
 * threads, block by block, each block written in turn (so the output is
 * the same as the serial one and only two blocks are ever in memory).
 */
#define ROW_BLOCK	8192
#define ROW_PAR_MIN	(4 * ROW_BLOCK)

struct rowpar {
	struct out	*o;
	const struct view *v;
	row_fn		 fn;
	size_t		 nblocks;
	atomic_size_t	 next;
	size_t		 turn;		/* the block whose turn it is to write */
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
};

static void *
row_worker(void *arg)
{
	struct rowpar *p = arg;
	struct sb b, scratch;
	size_t blk, k, hi;

	sb_init(&b);
	sb_init(&scratch);
	while ((blk = atomic_fetch_add(&p->next, 1)) < p->nblocks) {
		hi = (blk + 1) * ROW_BLOCK;
		if (hi > p->v->nlist)
			hi = p->v->nlist;
		for (k = blk * ROW_BLOCK; k < hi; k++)
			p->fn(&b, p->v, k, &scratch);
		pthread_mutex_lock(&p->mu);
		while (p->turn != blk)
			pthread_cond_wait(&p->cv, &p->mu);
		if (b.len && fwrite(b.s, 1, b.len, p->o->f) != b.len)
			p->o->failed = 1;
		p->turn++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		sb_reset(&b);
	}
	sb_free(&b);
	sb_free(&scratch);
	return NULL;
}

static void
rows(struct out *o, const struct view *v, row_fn fn)
{
	struct sb scratch;
	size_t k;

	if (o->f != NULL && v->nlist >= ROW_PAR_MIN) {
		struct rowpar p;
		struct par_job th;
		int started;

		memset(&p, 0, sizeof p);
		p.o = o;
		p.v = v;
		p.fn = fn;
		p.nblocks = (v->nlist + ROW_BLOCK - 1) / ROW_BLOCK;
		atomic_init(&p.next, 0);
		pthread_mutex_init(&p.mu, NULL);
		pthread_cond_init(&p.cv, NULL);
		out_flush(o, 1);
		started = par_start(&th, row_worker, &p) == 0;
		row_worker(&p);
		if (started)
			par_join(&th);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.cv);
		return;
	}
	sb_init(&scratch);
	for (k = 0; k < v->nlist; k++) {
		fn(o->b, v, k, &scratch);
		out_flush(o, 0);
	}
	sb_free(&scratch);
}

static void
render_json(struct out *o, const struct view *v)
{
	sb_puts(o->b, "{\"as_of\":");
	put_day(o->b, v->q->as_of, 1);
	sb_puts(o->b, ",\"window\":");
	put_i64(o->b, v->s.window);
	sb_puts(o->b, ",\"tasks\":[");
	rows(o, v, json_row);
	sb_puts(o->b, "]}");
	if (o->f)
		sb_putc(o->b, '\n');
}

static void
render_csv(struct out *o, const struct view *v)
{
	sb_puts(o->b, csv_head);
	rows(o, v, csv_row);
}

static void
render_table(struct out *o, const struct view *v)
{
	table_head(o->b, v);
	rows(o, v, table_row);
	if (v->nlist == 0)
		sb_printf(o->b, "%s\n", TR("(không có nhiệm vụ)", "(no tasks)"));
}

/* ---- Suggested campaigns ---- */

struct suggestion {
	uint32_t	 task;
	int32_t		 start, end;	/* campaign dates */
	double		 remaining;
	double		 target;	/* per day, rounded up to 0.01 */
	int		 days;
	char		 code[33];
};

/* A hard task at risk (or stalled) whose due date can still be met. */
static int
suggest_one(const struct view *v, uint32_t i, struct suggestion *g)
{
	const struct sched_snap *s = &v->s;
	uint8_t st = v->r.status[i];
	int y, m, dd;
	char buf[64];
	size_t len;

	if (!s->hard[i] || (st != SCHED_AT_RISK && st != SCHED_STALLED))
		return 0;
	if (v->r.begin[i] == SCHED_NEVER || v->r.begin[i] > s->due[i])
		return 0;
	g->task = i;
	g->start = v->r.begin[i];
	g->end = s->due[i];
	g->days = (int)(s->due[i] - g->start + 1);
	g->remaining = s->qty[i] - s->done[i];
	g->target = ceil(g->remaining / g->days * 100 - 1e-9) / 100;
	date_to_ymd(v->q->as_of, &y, &m, &dd);
	snprintf(buf, sizeof buf, "DK-%.22s-%02d%02d%02d", tcode(v, i),
	    y % 100, m, dd);
	len = strnlen(buf, sizeof g->code - 1);
	memcpy(g->code, buf, len);
	g->code[len] = '\0';
	return 1;
}

/* The texts of a campaign. */
struct campaign {
	char		 due[11], start[11], end[11];
	struct sb	 vi, en, cvi, cen;
};

static void
campaign_init(struct campaign *c, const struct view *v,
    const struct suggestion *g)
{
	const char *code = tcode(v, g->task);
	const char *name = v->s.text + v->s.name[g->task];

	date_format(v->s.due[g->task], c->due);
	date_format(g->start, c->start);
	date_format(g->end, c->end);
	sb_init(&c->vi);
	sb_init(&c->en);
	sb_init(&c->cvi);
	sb_init(&c->cen);
	sb_printf(&c->vi, "Đột kích hoàn thành %s (%s) trước %s", code, name,
	    c->due);
	sb_printf(&c->en, "Raid: finish %s (%s) by %s", code, name, c->due);
	sb_printf(&c->cvi, "Sản lượng ngày của %s", code);
	sb_printf(&c->cen, "Daily output of %s", code);
}

static void
campaign_free(struct campaign *c)
{
	sb_free(&c->vi);
	sb_free(&c->en);
	sb_free(&c->cvi);
	sb_free(&c->cen);
}

/*
 * The movement as YAML for `thidua movement load` (YAML double-quoted
 * strings take JSON escapes), then its target as a comment in the
 * `targets` import's columns.
 */
static void
put_yaml(struct sb *b, const struct view *v, const struct suggestion *g)
{
	struct campaign c;
	uint32_t i = g->task;

	campaign_init(&c, v, g);
	sb_printf(b, "# %s %s: %s ", TR("Nhiệm vụ", "Task"), tcode(v, i),
	    TR("dự báo xong", "forecast finish"));
	if (v->r.fin[i] == SCHED_NEVER)
		sb_puts(b, TR("không xác định", "none"));
	else
		put_day(b, v->r.fin[i], 0);
	sb_printf(b, ", %s %s; %s ", TR("hạn", "due"), c.due,
	    TR("cần mỗi ngày", "needs per day"));
	put_num(b, g->target);
	sb_printf(b, "\ncode: %s\nname: {vi: ", g->code);
	sb_json_str(b, c.vi.s);
	sb_puts(b, ", en: ");
	sb_json_str(b, c.en.s);
	sb_printf(b, "}\nkind: campaign\nstart: %s\nend: %s\nscope: %s\n"
	    "subjects: unit\ngroup_by: all\ncriteria:\n  - code: output\n"
	    "    name: {vi: ", c.start, c.end, ucode(v, i));
	sb_json_str(b, c.cvi.s);
	sb_puts(b, ", en: ");
	sb_json_str(b, c.cen.s);
	sb_printf(b, "}\n    metric: output\n    aggregate: avg\n"
	    "    better: higher\n    weight: 100\n"
	    "    scoring: {ratio: {cap: 1.2}}\n"
	    "# %s (thidua import targets FILE):\n"
	    "# movement,subject,criterion,target\n# %s,%s,output,",
	    TR("chỉ tiêu", "target"), g->code, ucode(v, i));
	put_num(b, g->target);
	sb_putc(b, '\n');
	campaign_free(&c);
}

/* The same movement and its target as JSON objects (jansson: small). */
static json_t *
movement_obj(const struct view *v, const struct suggestion *g)
{
	struct campaign c;
	json_t *m;

	campaign_init(&c, v, g);
	m = json_pack("{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:s, s:s, s:s, "
	    "s:[{s:s, s:{s:s, s:s}, s:s, s:s, s:s, s:i, s:{s:{s:f}}}]}",
	    "code", g->code, "name", "vi", c.vi.s, "en", c.en.s,
	    "kind", "campaign", "start", c.start, "end", c.end,
	    "scope", ucode(v, g->task), "subjects", "unit", "group_by", "all",
	    "criteria", "code", "output", "name", "vi", c.cvi.s, "en", c.cen.s,
	    "metric", "output", "aggregate", "avg", "better", "higher",
	    "weight", 100, "scoring", "ratio", "cap", 1.2);
	campaign_free(&c);
	return m;
}

static void
put_campaign_json(struct sb *b, const struct view *v,
    const struct suggestion *g)
{
	uint32_t i = g->task;
	json_t *m = movement_obj(v, g);
	char *t = json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER);
	struct sb y;

	sb_puts(b, "{\"task\":");
	put_str(b, tcode(v, i));
	sb_puts(b, ",\"unit\":");
	put_str(b, ucode(v, i));
	sb_puts(b, ",\"status\":\"");
	sb_puts(b, sched_status_name(v->r.status[i]));
	sb_puts(b, "\",\"due\":");
	put_day(b, v->s.due[i], 1);
	sb_puts(b, ",\"forecast_finish\":");
	put_day(b, v->r.fin[i], 1);
	sb_puts(b, ",\"remaining\":");
	put_num(b, g->remaining);
	sb_puts(b, ",\"days\":");
	put_i64(b, g->days);
	sb_puts(b, ",\"daily_target\":");
	put_num(b, g->target);
	sb_puts(b, ",\"pace\":");
	put_num(b, round(v->r.pace[i] * 10000) / 10000);
	sb_puts(b, ",\"caused_by\":");
	put_codes(b, v, v->r.cause + v->r.coff[i], v->r.clen[i]);
	sb_printf(b, ",\"movement\":%s,\"targets\":[{\"movement\":", t);
	put_str(b, g->code);
	sb_puts(b, ",\"subject\":");
	put_str(b, ucode(v, i));
	sb_puts(b, ",\"criterion\":\"output\",\"target\":");
	put_num(b, g->target);
	sb_puts(b, "}],\"yaml\":");
	sb_init(&y);
	put_yaml(&y, v, g);
	sb_json_str(b, y.s);
	sb_putc(b, '}');
	sb_free(&y);
	free(t);
	json_decref(m);
}

/* Suggested campaigns as YAML documents, JSON, or the targets CSV. */
static void
render_suggest(struct out *o, const struct view *v, enum sched_fmt fmt)
{
	struct suggestion g;
	size_t nsug = 0;

	if (fmt == SCHED_FMT_SUGGEST_JSON) {
		sb_puts(o->b, "{\"as_of\":");
		put_day(o->b, v->q->as_of, 1);
		sb_puts(o->b, ",\"campaigns\":[");
	} else if (fmt == SCHED_FMT_SUGGEST_CSV)
		sb_puts(o->b, "movement,subject,criterion,target\n");
	for (size_t k = 0; k < v->nlist; k++) {
		if (!suggest_one(v, v->list[k], &g))
			continue;
		if (fmt == SCHED_FMT_SUGGEST_JSON) {
			if (nsug)
				sb_putc(o->b, ',');
			put_campaign_json(o->b, v, &g);
		} else if (fmt == SCHED_FMT_SUGGEST_CSV) {
			sb_printf(o->b, "%s,%s,output,", g.code,
			    ucode(v, g.task));
			put_num(o->b, g.target);
			sb_putc(o->b, '\n');
		} else {
			if (nsug)
				sb_puts(o->b, "---\n");
			put_yaml(o->b, v, &g);
		}
		nsug++;
		out_flush(o, 0);
	}
	if (fmt == SCHED_FMT_SUGGEST_JSON) {
		sb_puts(o->b, "]}");
		if (o->f)
			sb_putc(o->b, '\n');
	} else if (fmt == SCHED_FMT_YAML && nsug == 0)
		sb_printf(o->b, "# %s\n", TR("không có nhiệm vụ khó nào cần "
		    "chiến dịch", "no hard task needs a campaign"));
}

static int
run(struct store *st, const struct schedule_query *q, enum sched_fmt fmt,
    struct sb *b, FILE *f, struct err *e)
{
	struct view v;
	struct out o = { b, f, 0 };

	if (view_load(st, q, &v, e) != 0)
		return -1;
	switch (fmt) {
	case SCHED_FMT_TABLE:
		render_table(&o, &v);
		break;
	case SCHED_FMT_JSON:
		render_json(&o, &v);
		break;
	case SCHED_FMT_CSV:
		render_csv(&o, &v);
		break;
	case SCHED_FMT_YAML:
	case SCHED_FMT_SUGGEST_JSON:
	case SCHED_FMT_SUGGEST_CSV:
		render_suggest(&o, &v, fmt);
		break;
	}
	view_free(&v);
	out_flush(&o, 1);
	if (o.failed)
		return err_set(e, ERR_SYSTEM, "%s", TR("không ghi được kết quả",
		    "cannot write output"));
	return 0;
}

int
schedule_json(struct store *st, const struct schedule_query *q,
    struct sb *out, struct err *e)
{
	return run(st, q, SCHED_FMT_JSON, out, NULL, e);
}

int
schedule_suggest_json(struct store *st, const struct schedule_query *q,
    struct sb *out, struct err *e)
{
	return run(st, q, SCHED_FMT_SUGGEST_JSON, out, NULL, e);
}

int
schedule_write(struct store *st, const struct schedule_query *q,
    enum sched_fmt fmt, FILE *f, struct err *e)
{
	struct sb b;
	int rc;

	sb_init(&b);
	rc = run(st, q, fmt, &b, f, e);
	sb_free(&b);
	return rc;
}
