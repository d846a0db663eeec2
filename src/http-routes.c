/*
 * http-routes.c: the route table of the HTTP API. One block per route, by
 * member: method, path, handler, the role it needs, where its unit scope
 * is found, the query parameters and body it accepts, and a summary.
 * The dispatcher (http.c) derives 404, 405 with Allow, validation and
 * access control from it; http-openapi.c derives the OpenAPI document from
 * it. Adding a route is one block here plus a handler (declared in
 * http.h).
 */
#include <stddef.h>

#include "http.h"

#define A(m) offsetof(struct args, m)

static const struct field q_list[] = {
	{ "limit", V_INT, 0, 1, 10000, A(limit), "page size (default 100)" },
	{ "offset", V_INT, 0, 0, 1000000000, A(offset), "rows to skip" },
	{ "unit", V_CODE, 0, 0, 0, A(unit), "only this unit's subtree" },
	{ "subject", V_CODE, 0, 0, 0, A(subject), "only this person's or "
	    "unit's own rows (ratings, awards, discipline, service, "
	    "incidents; innovations: those it is an author of)" },
	{ "year", V_YEAR, 0, 0, 0, A(year), "only this year" },
	{ "award", V_CODE, 0, 0, 0, A(award), "awards, pledges: only this "
	    "award's rows (400 for a kind without an award column)" },
	{ "movement", V_CODE, 0, 0, 0, A(movement), "targets, pledges: only "
	    "this movement's rows (400 for a kind without a movement column)" },
	{ "from", V_DATE, 0, 0, 0, A(from), "dates on or after" },
	{ "to", V_DATE, 0, 0, 0, A(to), "dates on or before" },
	{ "format", V_STR, 0, 1, 8, A(format),
	    "download every row: csv or xlsx" },
	FIELD_END
};
static const struct field q_xlsx[] = {
	{ "name", V_CODE, 0, 0, 0, A(name),
	    "the file's name without .xlsx (default: table)" },
	FIELD_END
};
static const struct field q_import[] = {
	{ "dry_run", V_BOOL, 0, 0, 0, A(dry_run),
	    "validate only, write nothing" },
	FIELD_END
};
static const struct field q_elig[] = {
	{ "year", V_YEAR, 1, 0, 0, A(year), "the evaluated year" },
	{ "subject", V_CODE, 0, 0, 0, A(subject), "one unit or person" },
	{ "award", V_CODE, 0, 0, 0, A(award), "one award code" },
	{ "verdict", V_STR, 0, 0, 64, A(verdict),
	    "only these verdicts, comma-separated (eligible, ineligible, "
	    "over_quota, held)" },
	{ "limit", V_INT, 0, 1, 1000000, A(first),
	    "list the results of the first N subjects that have one listed "
	    "(the counts of verdict= still count them all); \"more\": "
	    "whether any was left out" },
	{ "offset", V_INT, 0, 0, 1000000000, A(offset),
	    "pass over the first N subjects that have a result listed (a "
	    "page: offset=25&limit=25 lists the second 25)" },
	{ "unit", V_CODE, 0, 0, 0, A(unit),
	    "only this unit's subtree: the unit, its sub-units and the "
	    "people whose unit during the year was one of them" },
	{ "format", V_STR, 0, 1, 8, A(format),
	    "download the verdicts: csv or xlsx (the columns of thidua "
	    "eligibility --format csv, each subject's name and unit "
	    "after its code)" },
	FIELD_END
};
static const struct field q_asof[] = {
	{ "as_of", V_DATE, 0, 0, 0, A(as_of), "evaluation date" },
	FIELD_END
};
/* A page of a report's list: N of them from the offset-th, with "total". */
#define PAGE_FIELDS \
	{ "limit", V_INT, 0, 1, 1000000, A(first), "list only N of them, " \
	    "and add \"total\": how many there are" }, \
	{ "offset", V_INT, 0, 0, 1000000000, A(offset), "pass over the " \
	    "first N of them (a page)" }
static const struct field q_scores[] = {
	{ "as_of", V_DATE, 0, 0, 0, A(as_of), "evaluation date" },
	{ "unit", V_CODE, 0, 0, 0, A(unit), "only the participants of this "
	    "unit's subtree (of a movement of units too)" },
	{ "top", V_INT, 0, 1, 1000000, A(top), "only those ranked this or "
	    "better in their group" },
	PAGE_FIELDS,
	FIELD_END
};
static const struct field q_suggest[] = {
	{ "as_of", V_DATE, 0, 0, 0, A(as_of), "evaluation date" },
	{ "task", V_CODE, 0, 0, 0, A(task), "only this task" },
	FIELD_END
};
static const struct field b_movement[] = {
	{ "yaml", V_STR, 1, 1, 1 << 20, A(yaml), "the movement as YAML" },
	FIELD_END
};
static const struct field q_growth[] = {
	{ "from", V_YEAR, 1, 0, 0, A(year_from), "first year" },
	{ "to", V_YEAR, 1, 0, 0, A(year_to), "last year" },
	{ "unit", V_CODE, 0, 0, 0, A(unit), "the unit (default: the root)" },
	FIELD_END
};
static const struct field q_innov[] = {
	{ "from", V_YEAR, 0, 0, 0, A(year_from),
	    "first year (default: the earliest)" },
	{ "to", V_YEAR, 0, 0, 0, A(year_to),
	    "last year (default: the latest)" },
	{ "by", V_STR, 0, 1, 8, A(by),
	    "grouping: year (default), kind, level, unit" },
	{ "summary", V_BOOL, 0, 0, 0, A(summary),
	    "1: the totals and groups only, without the innovations' rows "
	    "(86 MB at a million people) nor reading their authors "
	    "(0.65 s there by year, 2.2 s by unit)" },
	FIELD_END
};
static const struct field q_year[] = {
	{ "year", V_YEAR, 1, 0, 0, A(year), "the year" },
	FIELD_END
};
static const struct field q_rate[] = {
	{ "year", V_YEAR, 1, 0, 0, A(year), "the year" },
	{ "changes", V_BOOL, 0, 0, 0, A(changes), "list only the results "
	    "whose action is not \"same\" (the counts count them all)" },
	PAGE_FIELDS,
	FIELD_END
};
static const struct field b_year[] = {
	{ "year", V_YEAR, 1, 0, 0, A(year), "the year the movement ends in" },
	FIELD_END
};
static const struct field b_exemplar[] = {
	{ "subject", V_CODE, 1, 0, 0, A(subject), "the person or unit" },
	{ "field", V_STR, 1, 1, 200, A(field), "the field it is exemplary in" },
	{ "reason", V_STR, 1, 1, 2000, A(reason), "what makes it exemplary" },
	{ "since", V_YEAR, 1, 0, 0, A(year), "since which year" },
	{ "award", V_CODE, 0, 0, 0, A(award), "an award it must keep holding" },
	{ "min_rating", V_STR, 0, 4, 6, A(min_rating),
	    "the rating it must keep (default HTTNV)" },
	FIELD_END
};
static const struct field b_adopt[] = {
	{ "unit", V_CODE, 1, 0, 0, A(unit), "the adopting unit" },
	{ "date", V_DATE, 1, 0, 0, A(date), "when it adopted the practice" },
	{ "practice", V_STR, 1, 1, 2000, A(practice), "what it adopted" },
	FIELD_END
};
static const struct field q_audit[] = {
	{ "since", V_DATE, 0, 0, 0, A(since), "entries on or after this day" },
	{ "subject", V_CODE, 0, 0, 0, A(subject), "entries about this code" },
	{ "limit", V_INT, 0, 1, 10000, A(limit), "page size (default 100)" },
	{ "offset", V_INT, 0, 0, 1000000000, A(offset), "rows to skip" },
	FIELD_END
};
static const struct field q_rules[] = {
	{ "year", V_YEAR, 0, 0, 0, A(year), "the year (default: this year)" },
	{ "award", V_CODE, 0, 0, 0, A(award), "one award" },
	FIELD_END
};
static const struct field q_search[] = {
	{ "q", V_STR, 0, 0, 200, A(q), "words of a code or name; case and "
	    "accents optional" },
	{ "type", V_STR, 0, 1, 16, A(type), "subject (default), unit, person, "
	    "metric, award" },
	{ "movement", V_CODE, 0, 0, 0, A(movement), "metrics: only this "
	    "movement's criteria" },
	{ "year", V_YEAR, 0, 0, 0, A(year), "awards: the rule set in force "
	    "this year (default: this year)" },
	{ "limit", V_INT, 0, 1, 100, A(limit),
	    "at most this many (default 20)" },
	{ "codes", V_STR, 0, 1, 4096, A(codes), "these units and people by "
	    "code (comma-separated), with their names and their unit's or "
	    "parent's; q and type are then ignored" },
	FIELD_END
};
static const struct field b_login[] = {
	{ "login", V_STR, 1, 1, 64, A(login), "account name" },
	{ "password", V_STR, 1, 1, 256, A(password), "password" },
	FIELD_END
};

static const struct field q_prop[] = {
	{ "year", V_YEAR, 0, 0, 0, A(year), "only this year" },
	FIELD_END
};
static const struct field q_ledger[] = {
	{ "subject", V_CODE, 0, 0, 0, A(subject), "entries about this code" },
	FIELD_END
};
static const struct field q_ledger_verify[] = {
	{ "head", V_STR, 0, 3, 90, A(head),
	    "SEQ:HASH: also check that the chain holds this earlier head" },
	FIELD_END
};

/*
 * The award path's bodies (h-proposals.c). Fields the services require
 * are checked there, with their own messages (as the CLI's), so none is
 * marked required here; the specs fix names and types.
 */
static const struct field b_propose[] = {
	{ "year", V_YEAR, 0, 0, 0, A(year),
	    "the year of the award (required)" },
	{ "award", V_CODE, 0, 0, 0, A(award), "the award code (required)" },
	{ "subjects", V_CODES, 0, 0, 4096, A(subjects),	/* PROPOSAL_MAXSUBJ */
	    "the people and units proposed (default: every eligible one; "
	    "a commander must list them)" },
	{ "movement", V_CODE, 0, 0, 0, A(movement), "the campaign it "
	    "recognises" },
	{ "override", V_STR, 0, 0, 0, A(override), "the admin's written "
	    "justification: admits subjects that are not eligible" },
	{ "attachments", V_STRS, 0, 0, 64, A(attachments), "file references: "
	    "PATH for the proposal, CODE=PATH for one candidate" },
	{ "received", V_DATE, 0, 0, 0, A(received), "the dossier's date of "
	    "receipt: it decides the rule set" },
	FIELD_END
};
static const struct field b_return[] = {
	{ "reason", V_STR, 0, 0, 0, A(reason), "why it goes back" },
	FIELD_END
};
static const struct field b_ballot[] = {
	{ "members", V_INT, 0, 0, 0, A(members), "council members" },
	{ "yes", V_INT, 0, 0, 0, A(yes), "votes for" },
	{ "present", V_INT, 0, 0, 0, A(present), "members present "
	    "(default: all)" },
	{ "written", V_INT, 0, 0, 0, A(written), "written opinions of absent "
	    "members" },
	{ "subject", V_CODE, 0, 0, 0, A(subject), "one candidate (default: "
	    "every candidate)" },
	FIELD_END
};
static const struct field b_decide[] = {
	{ "number", V_STR, 0, 0, 0, A(number), "the decision's number" },
	{ "date", V_DATE, 0, 0, 0, A(date), "the decision's date" },
	{ "signer", V_STR, 0, 0, 0, A(signer), "who signs it" },
	FIELD_END
};
static const struct field b_recognise[] = {
	{ "top", V_INT, 0, 0, 0, A(top), "top performers per group, 0 to 1000 "
	    "(0: 3)" },
	{ "award", V_CODE, 0, 0, 0, A(award), "the award (default GK)" },
	{ "number", V_STR, 0, 0, 0, A(number), "the decision's number" },
	{ "date", V_DATE, 0, 0, 0, A(date), "the decision's date" },
	{ "signer", V_STR, 0, 0, 0, A(signer), "who signs it" },
	FIELD_END
};
static const struct field b_revoke[] = {
	{ "reason", V_STR, 0, 0, 0, A(reason), "why the award is revoked" },
	{ "date", V_DATE, 0, 0, 0, A(date), "the revoking decision's date" },
	{ "number", V_STR, 0, 0, 0, A(number), "the revoking decision's "
	    "number" },
	{ "signer", V_STR, 0, 0, 0, A(signer), "who signs it" },
	FIELD_END
};

const struct route http_routes[] = {
	{
		.method = "GET", .path = "/healthz",
		.handler = h_health,
		.need = NEED_NONE, .scope = SCOPE_NONE,
		.summary = "liveness: 200 when the server answers",
	},
	{
		.method = "GET", .path = "/readyz",
		.handler = h_ready,
		.need = NEED_NONE, .scope = SCOPE_NONE,
		.summary = "readiness: 200 when the database answers, else "
		    "503",
	},
	{
		.method = "GET", .path = "/metrics",
		.handler = h_metrics,
		.need = NEED_ADMIN, .scope = SCOPE_NONE,
		.summary = "Prometheus metrics (text format): requests, "
		    "latency, group commits, snapshots, sessions",
	},
	{
		.method = "GET", .path = "/api/v1/openapi.json",
		.handler = h_openapi,
		.need = NEED_NONE, .scope = SCOPE_NONE,
		.summary = "this OpenAPI document",
	},
	{
		.method = "POST", .path = "/api/v1/session",
		.handler = h_login,
		.need = NEED_NONE, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_login,
		.summary = "log in: session cookie and CSRF token",
	},
	{
		.method = "DELETE", .path = "/api/v1/session",
		.handler = h_logout,
		.need = NEED_LOGIN, .scope = SCOPE_NONE,
		.summary = "log out",
	},
	{
		.method = "GET", .path = "/api/v1/me",
		.handler = h_me,
		.need = NEED_LOGIN, .scope = SCOPE_NONE,
		.summary = "the logged-in user, role and unit",
	},
	{
		.method = "GET", .path = "/api/v1/eligibility",
		.handler = h_eligibility,
		.need = NEED_READ, .scope = SCOPE_QUERY,
		.query = q_elig,
		.summary = "eligibility verdicts (as thidua eligibility)",
	},
	{
		.method = "POST", .path = "/api/v1/xlsx",
		.handler = h_rows_xlsx,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.query = q_xlsx, .body = BODY_ROWS,
		.summary = "a table the web app shows, sent as CSV (header "
		    "first), back as a one-sheet XLSX workbook; nothing is "
		    "stored",
	},
	{
		.method = "GET", .path = "/api/v1/schedule",
		.handler = h_schedule,
		.need = NEED_READ, .scope = SCOPE_QUERY,
		.query = q_asof,
		.summary = "key-task forecasts (as thidua schedule)",
		.rows = "tasks",
	},
	{
		.method = "GET", .path = "/api/v1/schedule/suggestions",
		.handler = h_suggestions,
		.need = NEED_READ, .scope = SCOPE_QUERY,
		.query = q_suggest,
		.summary = "suggested raid campaigns (as thidua schedule "
		    "--suggest-campaigns --format json)",
	},
	{
		.method = "GET", .path = "/api/v1/movements/{code}/scores",
		.handler = h_scores,
		.need = NEED_READ, .scope = SCOPE_QUERY,
		.query = q_scores,
		.summary = "movement scores and ranks (as thidua evaluate)",
		.rows = "results",
	},
	{
		.method = "GET", .path = "/api/v1/reports/growth",
		.handler = h_growth,
		.need = NEED_READ, .scope = SCOPE_QUERY,
		.query = q_growth,
		.summary = "indicator growth (as thidua report growth)",
		.rows = "indicators",
	},
	{
		.method = "GET", .path = "/api/v1/reports/innovations",
		.handler = h_innovations_report,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.query = q_innov,
		.summary = "the innovation register by year, kind, level or "
		    "unit (as thidua report innovations)",
		.rows = "groups",
	},
	{
		.method = "GET", .path = "/api/v1/exemplars",
		.handler = h_exemplar_list,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.summary = "the register of advanced examples",
		.rows = "exemplars",
	},
	{
		.method = "POST", .path = "/api/v1/exemplars",
		.handler = h_exemplar_post,
		.need = NEED_BALLOT, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_exemplar,
		.summary = "register an advanced example (as thidua exemplar "
		    "add)",
	},
	{
		.method = "GET", .path = "/api/v1/exemplars/discover",
		.handler = h_exemplar_discover,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.query = q_year,
		.summary = "candidates found in the data (as thidua exemplar "
		    "discover)",
		.rows = "candidates",
	},
	{
		.method = "GET", .path = "/api/v1/exemplars/check",
		.handler = h_exemplar_check,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.query = q_year,
		.summary = "does each exemplar keep its standard (as thidua "
		    "exemplar check)",
		.rows = "results",
	},
	{
		.method = "GET", .path = "/api/v1/exemplars/{id}",
		.handler = h_exemplar_get,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.summary = "one exemplar with its adoptions",
	},
	{
		.method = "POST", .path = "/api/v1/exemplars/{id}/adoptions",
		.handler = h_exemplar_adopt,
		.need = NEED_BALLOT, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_adopt,
		.summary = "a unit adopted the exemplar's practice (as thidua "
		    "exemplar adopt)",
	},
	{
		.method = "GET", .path = "/api/v1/audit",
		.handler = h_audit,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.query = q_audit,
		.summary = "the audit trail, newest first",
	},
	{
		.method = "GET", .path = "/api/v1/movements",
		.handler = h_movements,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.summary = "every movement (as thidua movement list)",
		.rows = "movements",
	},
	{
		.method = "POST", .path = "/api/v1/movements",
		.handler = h_movement_post,
		.need = NEED_COMMAND, .scope = SCOPE_NONE,
		.body = BODY_YAML, .fields = b_movement,
		.summary = "create or edit a movement from YAML (as thidua "
		    "movement load); scope checked by the handler",
	},
	{
		.method = "GET", .path = "/api/v1/movements/{code}/ratings",
		.handler = h_rate_get,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.query = q_rate,
		.summary = "the year's ratings from a regular movement as a "
		    "diff against the stored ones (as thidua rate)",
		.rows = "results",
	},
	{
		.method = "POST", .path = "/api/v1/movements/{code}/ratings",
		.handler = h_rate_post,
		.need = NEED_ADMIN, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_year,
		.summary = "apply them: {year} (as thidua rate --apply; never "
		    "over a rating set by hand or the council)",
	},
	{
		.method = "GET", .path = "/api/v1/movements/{code}",
		.handler = h_movement_get,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.summary = "one movement as stored",
	},
	{
		.method = "GET", .path = "/api/v1/rules",
		.handler = h_rules,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.query = q_rules,
		.summary = "the rule set in force (text, as thidua rules "
		    "show)",
	},
	{
		.method = "GET", .path = "/api/v1/proposals",
		.handler = h_proposal_list,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.query = q_prop,
		.summary = "award proposals, newest first",
		.rows = "proposals",
	},
	{
		.method = "POST", .path = "/api/v1/proposals",
		.handler = h_proposal_post,
		.need = NEED_PROPOSE, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_propose,
		.summary = "propose (as thidua propose): {year, award, "
		    "subjects, movement, override, attachments}",
	},
	{
		.method = "GET", .path = "/api/v1/proposals/{id}",
		.handler = h_proposal_get,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.summary = "a proposal with its dossiers",
		.rows = "candidates",
	},
	{
		.method = "POST", .path = "/api/v1/proposals/{id}/submit",
		.handler = h_proposal_submit,
		.need = NEED_ADMIN, .scope = SCOPE_NONE,
		.summary = "submit a proposal",
	},
	{
		.method = "POST", .path = "/api/v1/proposals/{id}/review",
		.handler = h_proposal_review,
		.need = NEED_BALLOT, .scope = SCOPE_NONE,
		.summary = "the council takes a proposal under review",
	},
	{
		.method = "POST", .path = "/api/v1/proposals/{id}/return",
		.handler = h_proposal_return,
		.need = NEED_BALLOT, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_return,
		.summary = "return a proposal: {reason}",
	},
	{
		.method = "POST", .path = "/api/v1/proposals/{id}/ballots",
		.handler = h_ballot_post,
		.need = NEED_BALLOT, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_ballot,
		.summary = "secret-ballot counts: {members, yes, present, "
		    "written, subject}",
	},
	{
		.method = "POST", .path = "/api/v1/proposals/{id}/decision",
		.handler = h_decision_post,
		.need = NEED_ADMIN, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_decide,
		.summary = "decide: {number, date, signer}; appends to the "
		    "ledger",
	},
	{
		.method = "GET", .path = "/api/v1/proposals/{id}/decision.pdf",
		.handler = h_proposal_document,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.summary = "the decision of a decided proposal as PDF (as "
		    "thidua print decision)",
	},
	{
		.method = "GET",
		.path = "/api/v1/proposals/{id}/certificates.pdf",
		.handler = h_proposal_document,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.summary = "its certificates, one page each, as PDF (as "
		    "thidua print certificates)",
	},
	{
		.method = "GET", .path = "/api/v1/proposals/{id}/list.xlsx",
		.handler = h_proposal_document,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.summary = "its list of recipients as XLSX (as thidua print "
		    "list)",
	},
	{
		.method = "POST", .path = "/api/v1/movements/{code}/recognise",
		.handler = h_recognise_post,
		.need = NEED_ADMIN, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_recognise,
		.summary = "prompt recognition of a campaign (as thidua "
		    "recognise): {top, award, number, date, signer}; its top "
		    "performers proposed and decided at once",
	},
	{
		.method = "GET", .path = "/api/v1/ledger",
		.handler = h_ledger_get,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.query = q_ledger,
		.summary = "the award ledger (as thidua ledger show)",
	},
	{
		.method = "GET", .path = "/api/v1/ledger/head",
		.handler = h_ledger_head,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.summary = "the last entry's seq and hash (as thidua ledger "
		    "head)",
	},
	{
		.method = "GET", .path = "/api/v1/ledger/verify",
		.handler = h_ledger_verify,
		.need = NEED_AUDIT, .scope = SCOPE_NONE,
		.query = q_ledger_verify,
		.summary = "check the ledger's hash chain, and that it holds "
		    "an earlier head (as thidua ledger verify)",
	},
	{
		.method = "POST", .path = "/api/v1/ledger/{seq}/revoke",
		.handler = h_ledger_revoke,
		.need = NEED_ADMIN, .scope = SCOPE_NONE,
		.body = BODY_OBJECT, .fields = b_revoke,
		.summary = "revoke an award entry by a new entry: {reason, "
		    "date, number, signer}",
	},
	{
		.method = "GET", .path = "/api/v1/search",
		.handler = h_search,
		.need = NEED_READ, .scope = SCOPE_NONE,
		.query = q_search,
		.summary = "pickers: units and people in the caller's scope, "
		    "metrics of movements' criteria, awards in force, by "
		    "code or name (case and accents optional)",
	},
	{
		.method = "GET", .path = "/api/v1/units/{code}",
		.handler = h_unit_get,
		.need = NEED_READ, .scope = SCOPE_PATH,
		.summary = "one unit with its parent and children",
	},
	{
		.method = "GET", .path = "/api/v1/units/{code}/summary",
		.handler = h_unit_summary,
		.need = NEED_READ, .scope = SCOPE_PATH,
		.summary = "counts for a unit's subtree",
	},
	{
		.method = "GET", .path = "/api/v1/{kind}",
		.handler = h_kind_list,
		.need = NEED_READ, .scope = SCOPE_QUERY,
		.query = q_list,
		.summary = "list rows of an import kind (paged, filtered)",
	},
	{
		.method = "POST", .path = "/api/v1/{kind}",
		.handler = h_kind_post,
		.need = NEED_WRITE, .scope = SCOPE_BODY,
		.query = q_import, .body = BODY_ROWS,
		.summary = "import rows (object, array or CSV), all or "
		    "nothing; awards (history decided before Thi đua): the "
		    "administrator only",
	},
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
