/*
 * import-kinds.c: the contract's import kinds as column tables. Column order is
 * the export order. Types and flags drive the generic validator; checks
 * and store operations live in store-import.c (or the owning area's file).
 */
#include <stddef.h>

#include "import-kinds.h"
#include "store-import.h"

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const unit_kinds[] = { "enterprise", "workshop",
    "department", "team", "union", "other", NULL };
static const char *const categories[] = { "officer", "professional_soldier",
    "soldier", "defence_worker", "employee", NULL };
static const char *const ratings[] = { "HTXSNV", "HTTNV", "HTNV", "KHTNV", NULL };
static const char *const innov_kinds[] = { "initiative", "research",
    "mechanisation", NULL };
static const char *const levels[] = { "base", "ministry", "national", NULL };
static const char *const forms[] = { "pending", "reprimand", "warning",
    "demotion", "dismissal", NULL };
static const char *const severities[] = { "minor", "serious", NULL };

static const struct col units_cols[] = {
	{ "code",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "name",	CT_TEXT,	COL_REQ, NULL },
	{ "parent",	CT_CODE,	0, NULL },	/* checked in
						   store_import_check_units */
	{ "kind",	CT_ENUM,	0, unit_kinds },
	{ "bloc",	CT_TEXT,	0, NULL },
	{ "military",	CT_BOOL,	0, NULL },
};
static const struct col people_cols[] = {
	{ "code",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "name",	CT_TEXT,	COL_REQ, NULL },
	{ "unit",	CT_UNIT,	COL_REQ, NULL },
	{ "category",	CT_ENUM,	COL_REQ, categories },
	{ "joined",	CT_DATE,	COL_REQ, NULL },
	{ "left",	CT_DATE,	0, NULL },
	{ "moved",	CT_DATE,	0, NULL },	/* extension: date of a transfer */
	{ "sex",	CT_ENUM,	0, (const char *const[]){ "male", "female",
	    NULL } },
};
static const struct col ratings_cols[] = {
	{ "year",	CT_YEAR,	COL_REQ | COL_KEY, NULL },
	{ "subject",	CT_SUBJECT,	COL_REQ | COL_KEY, NULL },
	{ "rating",	CT_ENUM,	COL_REQ, ratings },
	{ "source",	CT_ENUM,	0, (const char *const[]){ "import",
	    "hand", "council", "movement", NULL } },	/* extension */
};
static const struct col awards_cols[] = {
	{ "year",	CT_YEAR,	COL_REQ | COL_KEY, NULL },
	{ "subject",	CT_SUBJECT,	COL_REQ | COL_KEY, NULL },
	{ "award",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "decision",	CT_TEXT,	0, NULL },
	{ "date",	CT_DATE,	0, NULL },
	{ "based_on",	CT_INNOVATIONS,	0, NULL },
	/* provenance (extension): exported, never taken from a file */
	{ "source",	CT_ENUM,	COL_STAMP, (const char *const[]){
	    "ledger", "import", NULL } },
	{ "imported_by", CT_TEXT,	COL_STAMP, NULL },
	{ "imported_at", CT_TEXT,	COL_STAMP, NULL },
	{ "file",	CT_TEXT,	COL_STAMP, NULL },
	{ "sha256",	CT_TEXT,	COL_STAMP, NULL },
};
static const struct col innovations_cols[] = {
	{ "code",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "kind",	CT_ENUM,	COL_REQ, innov_kinds },
	{ "title",	CT_TEXT,	COL_REQ, NULL },
	{ "year",	CT_YEAR,	COL_REQ, NULL },
	{ "level",	CT_ENUM,	COL_REQ, levels },
	{ "authors",	CT_PEOPLE,	COL_REQ, NULL },
	{ "benefit",	CT_INT,		0, NULL },
};
static const struct col discipline_cols[] = {
	{ "subject",	CT_SUBJECT,	COL_REQ | COL_KEY, NULL },
	{ "form",	CT_ENUM,	COL_REQ | COL_KEY, forms },
	{ "from",	CT_DATE,	COL_REQ | COL_KEY, NULL },
	{ "to",		CT_DATE,	0, NULL },
};
static const struct col incidents_cols[] = {
	{ "unit",	CT_UNIT,	COL_REQ | COL_KEY, NULL },
	{ "date",	CT_DATE,	COL_REQ | COL_KEY, NULL },
	{ "severity",	CT_ENUM,	COL_REQ, severities },
	{ "description", CT_TEXT,	0, NULL },
};
static const struct col records_cols[] = {
	{ "subject",	CT_SUBJECT,	COL_REQ | COL_KEY, NULL },
	{ "metric",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "date",	CT_DATE,	COL_REQ | COL_KEY, NULL },
	{ "value",	CT_NUM,		COL_REQ, NULL },
};
/* Service history (issue 19): the periods a person served, the kind of
 * posting and the coefficient its months count with (hardship: 2). */
static const struct col service_cols[] = {
	{ "person",	CT_PERSON,	COL_REQ | COL_KEY, NULL },
	{ "from",	CT_DATE,	COL_REQ | COL_KEY, NULL },
	{ "to",		CT_DATE,	0, NULL },
	{ "kind",	CT_CODE,	COL_REQ, NULL },
	{ "coefficient", CT_NUM,	0, NULL },
};
static const struct col indicators_cols[] = {
	{ "year",	CT_YEAR,	COL_REQ | COL_KEY, NULL },
	{ "unit",	CT_UNIT,	COL_REQ | COL_KEY, NULL },
	{ "indicator",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "value",	CT_NUM,		COL_REQ, NULL },
};
static const struct col tasks_cols[] = {
	{ "code",	CT_CODE,	COL_REQ | COL_KEY, NULL },
	{ "name",	CT_TEXT,	COL_REQ, NULL },
	{ "unit",	CT_UNIT,	COL_REQ, NULL },
	{ "quantity",	CT_NUM,		COL_REQ, NULL },
	{ "start",	CT_DATE,	COL_REQ, NULL },
	{ "due",	CT_DATE,	COL_REQ, NULL },
	{ "product",	CT_TEXT,	0, NULL },
	{ "customer",	CT_TEXT,	0, NULL },
	{ "hard",	CT_BOOL,	0, NULL },
};
static const struct col task_links_cols[] = {
	{ "task",	CT_TASK,	COL_REQ | COL_KEY, NULL },
	{ "depends_on",	CT_TASK,	COL_REQ | COL_KEY, NULL },
	{ "lag_days",	CT_INT,		0, NULL },
};
static const struct col progress_cols[] = {
	{ "task",	CT_TASK,	COL_REQ | COL_KEY, NULL },
	{ "date",	CT_DATE,	COL_REQ | COL_KEY, NULL },
	{ "quantity",	CT_NUM,		COL_REQ, NULL },
};

#define KIND(n, s, chk, fl) \
	const struct kind kind_##n = { s, n##_cols, NCOLS(n##_cols), chk, \
	    store_write_##n, store_export_##n, fl };
KIND(units, "units", store_import_check_units, 0)
KIND(people, "people", store_import_check_people, 0)
KIND(ratings, "ratings", NULL, 0)
/* Award history decided before Thi đua: the ledger writes the rest. */
KIND(awards, "awards", check_awards, KIND_ADMIN)
KIND(innovations, "innovations", NULL, 0)
KIND(discipline, "discipline", store_import_check_discipline, 0)
KIND(incidents, "incidents", NULL, 0)
KIND(records, "records", NULL, 0)
KIND(indicators, "indicators", NULL, 0)
KIND(tasks, "tasks", store_import_check_tasks, 0)
KIND(task_links, "task-links", store_import_check_task_links, 0)
KIND(progress, "progress", NULL, 0)
KIND(service, "service", store_import_check_service, 0)
#undef KIND

/* Kinds owned by other areas (movement-kinds.c, innovation-kind.c,
 * growth-kind.c). */
extern const struct kind kind_targets, kind_pledges, kind_innovation_details,
    kind_indicator_targets;

const struct kind *const kind_table[] = {
	&kind_units, &kind_people, &kind_ratings, &kind_awards,
	&kind_innovations, &kind_discipline, &kind_incidents, &kind_records,
	&kind_service,
	&kind_targets, &kind_pledges,
	&kind_tasks, &kind_task_links, &kind_progress, &kind_indicators,
	&kind_innovation_details, &kind_indicator_targets,
};
const size_t kind_table_len = NCOLS(kind_table);

/* Kinds whose rows go to the store while they are checked. */
static const struct {
	const struct kind		*kind;
	const struct kind_stream	*stream;
} kind_streams[] = {
	{ &kind_records, &store_records_stream },
};

const struct kind_stream *
kind_stream_of(const struct kind *k)
{
	for (size_t i = 0; i < NCOLS(kind_streams); i++)
		if (kind_streams[i].kind == k)
			return kind_streams[i].stream;
	return NULL;
}
