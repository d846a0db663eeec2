/*
 * movement-kinds.c: the `targets` and `pledges` import kinds (import-kinds.h):
 * their column tables and the whole-batch check that the movement
 * exists, the criterion belongs to it, and the subject is of the kind
 * the movement scores (a unit or a person). Store operations are in
 * store-movement.c.
 */
#include <stdio.h>
#include <string.h>

#include "codemap.h"
#include "import-kinds.h"
#include "store-movement.h"
#include "util.h"

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct col targets_cols[] = {
	{ "movement",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "subject",	CT_SUBJECT,	COL_REQ | COL_KEY, NULL },
	{ "criterion",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "target",	CT_NUM,		COL_REQ, NULL },
};
static const struct col pledges_cols[] = {
	{ "movement",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "subject",	CT_SUBJECT,	COL_REQ | COL_KEY, NULL },
	{ "award",	CT_CODE,	0, NULL },
	{ "by",		CT_DATE,	0, NULL },
	{ "note",	CT_TEXT,	0, NULL },
};

/* What the check knows: movement → subjects tag, movement + criterion. */
struct known {
	struct codemap	 mv;		/* code → id, tag 'u' or 'p' */
	struct codemap	 crit;		/* "movement\x1fcriterion" */
};

static int
on_criterion(void *arg, const struct mv_row *r, struct err *e)
{
	struct known *k = arg;
	char key[80];

	(void)e;
	codemap_put(&k->mv, r->t[0], r->i[0], r->t[2][0] == 'p' ? 'p' : 'u');
	snprintf(key, sizeof key, "%s\x1f%s", r->t[0], r->t[1]);
	codemap_put(&k->crit, key, r->i[0], 0);
	return 0;
}

static void
check(struct import_ctx *c, struct store *st, const struct batch *b,
    int crit_col)
{
	struct known k;
	struct err e;

	codemap_init(&k.mv);
	codemap_init(&k.crit);
	if (store_movement_criteria(st, on_criterion, &k, &e) != 0) {
		import_error(c, b, 0, -1, "%s", e.msg);
		goto out;
	}
	for (size_t r = 0; r < b->nrows; r++) {
		const char *mv = batch_val(b, r, 0), *subj = batch_val(b, r, 1);
		int want = 0, tag = 0;
		char key[80];

		if (mv == NULL || subj == NULL)
			continue;
		if (!codemap_get(&k.mv, mv, NULL, &want)) {
			import_error(c, b, r, 0, "%s '%s'", TR("không có phong trào",
			    "no such movement"), mv);
			continue;
		}
		if (codemap_get(&b->refs->subjects, subj, NULL, &tag) && tag != want)
			import_error(c, b, r, 1, "'%s' %s", subj, want == 'p' ?
			    TR("không phải cá nhân; phong trào này chấm cá nhân",
			    "is not a person; this movement scores people") :
			    TR("không phải đơn vị; phong trào này chấm đơn vị",
			    "is not a unit; this movement scores units"));
		if (crit_col < 0 || batch_val(b, r, crit_col) == NULL)
			continue;
		snprintf(key, sizeof key, "%s\x1f%s", mv, batch_val(b, r, crit_col));
		if (!codemap_get(&k.crit, key, NULL, NULL))
			import_error(c, b, r, crit_col, "%s '%s' %s '%s'",
			    TR("không có tiêu chí", "no criterion"),
			    batch_val(b, r, crit_col), TR("trong phong trào",
			    "in movement"), mv);
	}
out:
	codemap_free(&k.mv);
	codemap_free(&k.crit);
}

static void
check_targets(struct import_ctx *c, struct store *st, const struct batch *b)
{
	check(c, st, b, 2);
}

static void
check_pledges(struct import_ctx *c, struct store *st, const struct batch *b)
{
	check(c, st, b, -1);
}

const struct kind kind_targets = { "targets", targets_cols,
    NCOLS(targets_cols), check_targets, store_write_targets,
    store_export_targets, 0 };
const struct kind kind_pledges = { "pledges", pledges_cols,
    NCOLS(pledges_cols), check_pledges, store_write_pledges,
    store_export_pledges, 0 };
