/*
 * demo-load.c: loading the generated demo (demo.c) into a database
 * through the generic import and the movements service, then marking the
 * database as illustrative (settings "demo"). See demo.h for the rules
 * about existing data and failures.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "audit.h"
#include "demo.h"
#include "exemplar.h"
#include "import.h"
#include "movement.h"
#include "store-demo.h"
#include "util.h"

static int
import_one(struct store *st, const char *kname, struct sb *csv, long *rows,
    struct err *e)
{
	const struct kind *k = kind_find(kname);
	struct import_report rep;
	struct import_opts o;
	char name[64];

	if (k == NULL)
		return err_set(e, ERR_SYSTEM, "demo: %s '%s'", TR("thiếu loại "
		    "dữ liệu nhập", "import kind missing"), kname);
	memset(&o, 0, sizeof o);
	memset(&rep, 0, sizeof rep);
	snprintf(name, sizeof name, "demo/%s.csv", kname);
	if (import_csv_buffer(st, k, name, csv->s, csv->len, &o, &rep, e) != 0) {
		if (rep.nerr > 0)
			*e = rep.errs[0];
		return -1;
	}
	*rows = rep.written;
	return 0;
}

static int
load_all(struct store *st, struct demo_data *d, struct demo_summary *sum,
    struct err *e)
{
	for (size_t k = 0; k < d->nkinds; k++) {
		sum->kind[k] = d->kind[k];
		if (import_one(st, d->kind[k], &d->csv[k], &sum->rows[k], e) != 0)
			return -1;
	}
	sum->nkinds = d->nkinds;
	for (size_t i = 0; i < d->nmv; i++) {
		char name[64];

		snprintf(name, sizeof name, "demo/%s.yaml", d->mv_code[i]);
		if (movement_load_buffer(st, name, d->mv_yaml[i].s,
		    d->mv_yaml[i].len, e) != 0)
			return -1;
		sum->movements++;
	}
	if (import_one(st, "targets", &d->targets, &sum->targets, e) != 0)
		return -1;
	if ((sum->exemplars = exemplar_demo(st, d->to, e)) < 0)
		return -1;
	return store_demo_setting_put(st, "demo", "z121: illustrative data / "
	    "dữ liệu minh họa", e);
}

/* One audit entry for the whole demo: what it loaded. */
static int
audit_demo(struct store *st, const struct demo_summary *sum, struct err *e)
{
	json_t *rows = json_object();

	for (size_t k = 0; k < sum->nkinds; k++)
		json_object_set_new(rows, sum->kind[k], json_integer(sum->rows[k]));
	return audit_record_json(st, "load", "demo", NULL, NULL, json_pack(
	    "{s:s, s:i, s:i, s:o, s:i, s:i}", "demo", "z121", "from", sum->from,
	    "to", sum->to, "rows", rows, "movements", (int)sum->movements,
	    "exemplars", (int)sum->exemplars), e);
}

int
demo_load(struct store *st, int force, int32_t today,
    struct demo_summary *sum, struct err *e)
{
	struct demo_data d;
	long n;
	int rc;

	memset(sum, 0, sizeof *sum);
	if ((n = store_demo_subjects(st, e)) < 0)
		return -1;
	if (n > 0 && !force)
		return err_set(e, ERR_CONFLICT, "%s (%ld %s); %s",
		    TR("cơ sở dữ liệu đã có dữ liệu", "the database already "
		    "holds data"), n, TR("đơn vị và người", "units and people"),
		    TR("dùng --force để xóa và nạp dữ liệu minh họa",
		    "use --force to empty it and load the demo"));
	if (n > 0 && (store_demo_wipe(st, e) != 0 ||
	    audit_record_json(st, "wipe", "demo", NULL, json_pack("{s:i}",
	    "subjects", (int)n), NULL, e) != 0))
		return -1;
	demo_generate(today, &d);
	sum->from = d.from;
	sum->to = d.to;
	rc = load_all(st, &d, sum, e);
	demo_data_free(&d);
	if (rc == 0)
		rc = audit_demo(st, sum, e);
	if (rc != 0) {
		struct err e2;

		store_demo_wipe(st, &e2);
	}
	return rc;
}
