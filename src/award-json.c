/*
 * award-json.c: proposals as JSON documents (proposal_json,
 * proposal_list_json in award.h), shared by the CLI and the server.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "award-int.h"
#include "award.h"
#include "store-award.h"
#include "util.h"

struct att {
	char	 subject[AWARD_CODE];
	char	*path;
};
struct atts {
	struct att	*v;
	size_t		 n, cap;
};

static int
att_row(void *ctx, const char *subject, const char *path)
{
	struct atts *a = ctx;

	grow(&a->v, &a->cap, a->n + 1, sizeof *a->v);
	snprintf(a->v[a->n].subject, AWARD_CODE, "%s", subject);
	a->v[a->n++].path = xstrdup(path);
	return 0;
}

static void
att_json(const struct atts *a, const char *subject, struct sb *o)
{
	int n = 0;

	sb_putc(o, '[');
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].subject, subject) == 0) {
			if (n++)
				sb_puts(o, ", ");
			sb_json_str(o, a->v[i].path);
		}
	sb_putc(o, ']');
}

static void
codes_json(const char *s, struct sb *o)
{
	const char *q;
	int n = 0;

	sb_putc(o, '[');
	while (s && *s) {
		q = strchr(s, ';');
		if (q == NULL)
			q = s + strlen(s);
		if (q > s) {
			char *c = xstrndup(s, (size_t)(q - s));

			if (n++)
				sb_puts(o, ", ");
			sb_json_str(o, c);
			free(c);
		}
		s = *q ? q + 1 : q;
	}
	sb_putc(o, ']');
}

struct ctx {
	struct sb	*o;
	struct atts	*a;
	int		 n;
};

static int
cand_json(void *arg, const struct award_candidate *c)
{
	struct ctx *x = arg;
	struct sb *o = x->o;

	sb_puts(o, x->n++ ? ",\n  {" : "\n  {");
	sb_puts(o, "\"subject\": ");
	sb_json_str(o, c->s.code);
	sb_puts(o, ", \"name\": ");
	sb_json_str(o, c->s.name);
	sb_puts(o, ", \"kind\": ");
	sb_json_str(o, c->s.kind);
	sb_puts(o, ", \"unit\": ");
	sb_json_str(o, c->s.unit);
	sb_puts(o, ", \"verdict\": ");
	sb_json_str(o, c->verdict);
	sb_puts(o, ", \"override\": ");
	if (c->override)
		sb_json_str(o, c->override);
	else
		sb_puts(o, "null");
	sb_puts(o, ", \"based_on\": ");
	codes_json(c->based_on, o);
	sb_printf(o, ", \"eligibility\": %s, \"summary\": %s, \"attachments\": ",
	    c->verdict_json, c->summary_json);
	att_json(x->a, c->s.code, o);
	sb_puts(o, ", \"ballot\": ");
	if (c->has_ballot) {
		sb_printf(o, "{\"members\": %ld, \"present\": %ld, \"written\": "
		    "%ld, \"yes\": %ld, \"min_pct_of_members\": ", c->members,
		    c->present, c->written, c->yes);
		if (c->min_pct < 0)
			sb_puts(o, "null");
		else
			sb_printf(o, "%g", c->min_pct);
		sb_printf(o, ", \"passed\": %s}", c->passed ? "true" : "false");
	} else
		sb_puts(o, "null");
	sb_putc(o, '}');
	return 0;
}

static void
head_json(const struct award_proposal *p, struct sb *o)
{
	sb_printf(o, "\"proposal\": %" PRId64 ", \"year\": %d, \"award\": ",
	    p->id, p->year);
	sb_json_str(o, p->award);
	sb_puts(o, ", \"movement\": ");
	if (p->movement[0])
		sb_json_str(o, p->movement);
	else
		sb_puts(o, "null");
	sb_puts(o, ", \"received\": ");
	sb_json_str(o, p->received);
	sb_puts(o, ", \"state\": ");
	sb_json_str(o, p->state);
	sb_puts(o, ", \"reason\": ");
	if (p->reason[0])
		sb_json_str(o, p->reason);
	else
		sb_puts(o, "null");
	sb_puts(o, ", \"created_at\": ");
	sb_json_str(o, p->created_at);
	sb_puts(o, ", \"updated_at\": ");
	sb_json_str(o, p->updated_at);
}

int
proposal_json(struct store *st, int64_t id, struct sb *o, struct err *e)
{
	struct award_proposal p;
	struct award_decision d;
	struct atts a = { NULL, 0, 0 };
	struct ctx x = { o, &a, 0 };
	int rc = -1, has;

	if (prop_get(st, id, &p, e) != 0)
		return -1;
	if (store_award_attach_each(st, id, att_row, &a, e) != 0)
		goto out;
	sb_putc(o, '{');
	head_json(&p, o);
	sb_puts(o, ",\n \"candidates\": [");
	if (store_award_candidate_each(st, id, cand_json, &x, e) != 0)
		goto out;
	sb_puts(o, "],\n \"attachments\": ");
	att_json(&a, "", o);
	sb_puts(o, ", \"decision\": ");
	if ((has = store_award_decision_get(st, id, &d, e)) < 0)
		goto out;
	if (has) {
		sb_puts(o, "{\"number\": ");
		sb_json_str(o, d.number);
		sb_puts(o, ", \"date\": ");
		sb_json_str(o, d.date);
		sb_puts(o, ", \"signer\": ");
		sb_json_str(o, d.signer);
		sb_printf(o, ", \"base_salary\": %" PRId64 "}", d.base_salary);
	} else
		sb_puts(o, "null");
	sb_puts(o, "}");
	rc = 0;
out:
	for (size_t i = 0; i < a.n; i++)
		free(a.v[i].path);
	free(a.v);
	return rc;
}

static int
list_row(void *arg, const struct award_proposal *p)
{
	struct ctx *x = arg;

	sb_puts(x->o, x->n++ ? ",\n {" : "\n {");
	head_json(p, x->o);
	sb_putc(x->o, '}');
	return 0;
}

int
proposal_list_json(struct store *st, int year, struct sb *o, struct err *e)
{
	struct ctx x = { o, NULL, 0 };

	sb_puts(o, "{\"proposals\": [");
	if (store_award_proposal_each(st, year, list_row, &x, e) != 0)
		return -1;
	sb_puts(o, "]}");
	return 0;
}

/* Scalars of an object as "key: value" pairs on one line. */
static void
scalars(FILE *f, json_t *o, const char *indent)
{
	const char *k;
	json_t *v;
	int n = 0;

	json_object_foreach(o, k, v) {
		char *s;

		if (json_is_object(v) || json_is_array(v))
			continue;
		if (json_is_null(v))
			continue;
		s = json_is_string(v) ? xstrdup(json_string_value(v)) :
		    json_dumps(v, JSON_ENCODE_ANY);
		fprintf(f, "%s%s: %s", n++ ? "  " : indent, k, s);
		free(s);
	}
	if (n)
		fputc('\n', f);
}

/*
 * A candidate decided across a rule set's effective date: each set's
 * verdict, and which decided (the transition, docs/rules.md).
 */
static void
transition(FILE *f, json_t *cand)
{
	json_t *t = json_object_get(json_object_get(cand, "eligibility"),
	    "transition"), *x;
	const char *k;

	if (!json_is_object(t))
		return;
	fprintf(f, "    %s %s:", TR("hồ sơ nhận ngày", "dossier received on"),
	    json_string_value(json_object_get(t, "received")));
	json_object_foreach(json_object_get(t, "by_rule_set"), k, x)
		fprintf(f, " %s → %s;", k,
		    json_string_value(json_object_get(x, "verdict")));
	fprintf(f, " %s %s\n", TR("áp dụng (có lợi hơn):", "decided by (the more "
	    "favourable):"), json_string_value(json_object_get(t, "decided_by")));
}

void
proposal_print(FILE *f, const char *doc, int json)
{
	json_t *root, *v, *x;
	const char *k;
	size_t i;

	if (json || (root = json_loads(doc, 0, NULL)) == NULL) {
		fprintf(f, "%s\n", doc);
		return;
	}
	scalars(f, root, "");
	json_object_foreach(root, k, v) {
		if (json_is_object(v)) {
			fprintf(f, "%s:\n", k);
			scalars(f, v, "  ");
		} else if (json_is_array(v) && json_array_size(v) &&
		    json_is_object(json_array_get(v, 0))) {
			fprintf(f, "%s:\n", k);
			json_array_foreach(v, i, x) {
				scalars(f, x, "  ");
				transition(f, x);
			}
		}
	}
	json_decref(root);
}
