/*
 * routes.c: the route table of the HTTP API. One line per route: method,
 * path, handler, the role it needs, where its unit scope is found, the
 * query parameters and body it accepts, and a summary. The dispatcher
 * (http.c) derives 404, 405 with Allow, validation and access control
 * from it; openapi.c derives the OpenAPI document from it. Adding a route
 * is one line here plus a handler.
 */
#include <stddef.h>

#include "http.h"

#define A(m) offsetof(struct args, m)

static const struct field q_list[] = {
	{ "limit", V_INT, 0, 1, 10000, A(limit), "page size (default 100)" },
	{ "offset", V_INT, 0, 0, 1000000000, A(offset), "rows to skip" },
	{ "unit", V_CODE, 0, 0, 0, A(unit), "only this unit's subtree" },
	{ "year", V_YEAR, 0, 0, 0, A(year), "only this year" },
	{ "from", V_DATE, 0, 0, 0, A(from), "dates on or after" },
	{ "to", V_DATE, 0, 0, 0, A(to), "dates on or before" },
	{ "format", V_STR, 0, 1, 8, A(format), "download every row: csv or xlsx" },
	FIELD_END
};
static const struct field q_import[] = {
	{ "dry_run", V_BOOL, 0, 0, 0, A(dry_run), "validate only, write nothing" },
	FIELD_END
};
static const struct field q_elig[] = {
	{ "year", V_YEAR, 1, 0, 0, A(year), "the evaluated year" },
	{ "subject", V_CODE, 0, 0, 0, A(subject), "one unit or person" },
	{ "award", V_CODE, 0, 0, 0, A(award), "one award code" },
	{ "verdict", V_STR, 0, 0, 64, A(verdict),
	    "only these verdicts, comma-separated (eligible, ineligible, over_quota, held)" },
	FIELD_END
};
static const struct field q_asof[] = {
	{ "as_of", V_DATE, 0, 0, 0, A(as_of), "evaluation date" },
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
	{ "from", V_YEAR, 0, 0, 0, A(year_from), "first year (default: the earliest)" },
	{ "to", V_YEAR, 0, 0, 0, A(year_to), "last year (default: the latest)" },
	{ "by", V_STR, 0, 1, 8, A(by), "grouping: year (default), kind, level, unit" },
	FIELD_END
};
static const struct field q_year[] = {
	{ "year", V_YEAR, 1, 0, 0, A(year), "the year" },
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
	{ "min_rating", V_STR, 0, 4, 6, A(min_rating), "the rating it must keep (default HTTNV)" },
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
	{ "limit", V_INT, 0, 1, 100, A(limit), "at most this many (default 20)" },
	FIELD_END
};
static const struct field b_login[] = {
	{ "login", V_STR, 1, 1, 64, A(login), "account name" },
	{ "password", V_STR, 1, 1, 256, A(password), "password" },
	FIELD_END
};

/* Proposals, ballots, decisions and the ledger (h-proposals.c). */
int	 h_proposal_list(struct req *);
int	 h_proposal_get(struct req *);
int	 h_proposal_post(struct req *);
int	 h_proposal_submit(struct req *);
int	 h_proposal_review(struct req *);
int	 h_proposal_return(struct req *);
int	 h_ballot_post(struct req *);
int	 h_decision_post(struct req *);
int	 h_recognise_post(struct req *);
int	 h_ledger_get(struct req *);
int	 h_ledger_verify(struct req *);
int	 h_ledger_head(struct req *);
int	 h_ledger_revoke(struct req *);
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

const struct route http_routes[] = {
	{ "GET", "/healthz", h_health, NEED_NONE, SCOPE_NONE, NULL,
	    BODY_NONE, NULL, "liveness: 200 when the server answers" },
	{ "GET", "/readyz", h_ready, NEED_NONE, SCOPE_NONE, NULL, BODY_NONE,
	    NULL, "readiness: 200 when the database answers, else 503" },
	{ "GET", "/metrics", h_metrics, NEED_ADMIN, SCOPE_NONE, NULL,
	    BODY_NONE, NULL, "Prometheus metrics (text format): requests, "
	    "latency, group commits, snapshots, sessions" },
	{ "GET", "/api/v1/openapi.json", h_openapi, NEED_NONE, SCOPE_NONE,
	    NULL, BODY_NONE, NULL, "this OpenAPI document" },
	{ "POST", "/api/v1/session", h_login, NEED_NONE, SCOPE_NONE, NULL,
	    BODY_OBJECT, b_login, "log in: session cookie and CSRF token" },
	{ "DELETE", "/api/v1/session", h_logout, NEED_LOGIN, SCOPE_NONE,
	    NULL, BODY_NONE, NULL, "log out" },
	{ "GET", "/api/v1/me", h_me, NEED_LOGIN, SCOPE_NONE, NULL, BODY_NONE,
	    NULL, "the logged-in user, role and unit" },
	{ "GET", "/api/v1/eligibility", h_eligibility, NEED_READ, SCOPE_QUERY,
	    q_elig, BODY_NONE, NULL, "eligibility verdicts (as thidua eligibility)" },
	{ "GET", "/api/v1/schedule", h_schedule, NEED_READ, SCOPE_QUERY,
	    q_asof, BODY_NONE, NULL, "key-task forecasts (as thidua schedule)" },
	{ "GET", "/api/v1/schedule/suggestions", h_suggestions, NEED_READ,
	    SCOPE_QUERY, q_suggest, BODY_NONE, NULL, "suggested raid campaigns "
	    "(as thidua schedule --suggest-campaigns --format json)" },
	{ "GET", "/api/v1/movements/{code}/scores", h_scores, NEED_READ,
	    SCOPE_QUERY, q_asof, BODY_NONE, NULL,
	    "movement scores and ranks (as thidua evaluate)" },
	{ "GET", "/api/v1/reports/growth", h_growth, NEED_READ, SCOPE_QUERY,
	    q_growth, BODY_NONE, NULL, "indicator growth (as thidua report growth)" },
	{ "GET", "/api/v1/reports/innovations", h_innovations_report, NEED_READ,
	    SCOPE_NONE, q_innov, BODY_NONE, NULL, "the innovation register by "
	    "year, kind, level or unit (as thidua report innovations)" },
	{ "GET", "/api/v1/exemplars", h_exemplar_list, NEED_READ, SCOPE_NONE,
	    NULL, BODY_NONE, NULL, "the register of advanced examples" },
	{ "POST", "/api/v1/exemplars", h_exemplar_post, NEED_BALLOT, SCOPE_NONE,
	    NULL, BODY_OBJECT, b_exemplar, "register an advanced example "
	    "(as thidua exemplar add)" },
	{ "GET", "/api/v1/exemplars/discover", h_exemplar_discover, NEED_READ,
	    SCOPE_NONE, q_year, BODY_NONE, NULL, "candidates found in the data "
	    "(as thidua exemplar discover)" },
	{ "GET", "/api/v1/exemplars/check", h_exemplar_check, NEED_READ,
	    SCOPE_NONE, q_year, BODY_NONE, NULL, "does each exemplar keep its "
	    "standard (as thidua exemplar check)" },
	{ "GET", "/api/v1/exemplars/{id}", h_exemplar_get, NEED_READ, SCOPE_NONE,
	    NULL, BODY_NONE, NULL, "one exemplar with its adoptions" },
	{ "POST", "/api/v1/exemplars/{id}/adoptions", h_exemplar_adopt,
	    NEED_BALLOT, SCOPE_NONE, NULL, BODY_OBJECT, b_adopt, "a unit adopted "
	    "the exemplar's practice (as thidua exemplar adopt)" },
	{ "GET", "/api/v1/audit", h_audit, NEED_AUDIT, SCOPE_NONE, q_audit,
	    BODY_NONE, NULL, "the audit trail, newest first" },
	{ "GET", "/api/v1/movements", h_movements, NEED_READ, SCOPE_NONE, NULL,
	    BODY_NONE, NULL, "every movement (as thidua movement list)" },
	{ "POST", "/api/v1/movements", h_movement_post, NEED_COMMAND,
	    SCOPE_NONE, NULL, BODY_YAML, b_movement, "create or edit a movement "
	    "from YAML (as thidua movement load); scope checked by the handler" },
	{ "GET", "/api/v1/movements/{code}/ratings", h_rate_get, NEED_AUDIT,
	    SCOPE_NONE, q_year, BODY_NONE, NULL, "the year's ratings from a "
	    "regular movement as a diff against the stored ones (as thidua rate)" },
	{ "POST", "/api/v1/movements/{code}/ratings", h_rate_post, NEED_ADMIN,
	    SCOPE_NONE, NULL, BODY_OBJECT, b_year, "apply them: {year} (as "
	    "thidua rate --apply; never over a rating set by hand or the council)" },
	{ "GET", "/api/v1/movements/{code}", h_movement_get, NEED_READ,
	    SCOPE_NONE, NULL, BODY_NONE, NULL, "one movement as stored" },
	{ "GET", "/api/v1/rules", h_rules, NEED_READ, SCOPE_NONE, q_rules,
	    BODY_NONE, NULL, "the rule set in force (text, as thidua rules show)" },
	{ "GET", "/api/v1/proposals", h_proposal_list, NEED_AUDIT, SCOPE_NONE,
	    q_prop, BODY_NONE, NULL, "award proposals, newest first" },
	{ "POST", "/api/v1/proposals", h_proposal_post, NEED_PROPOSE, SCOPE_NONE,
	    NULL, BODY_ROWS, NULL, "propose (as thidua propose): {year, award, "
	    "subjects, movement, override, attachments}" },
	{ "GET", "/api/v1/proposals/{id}", h_proposal_get, NEED_AUDIT,
	    SCOPE_NONE, NULL, BODY_NONE, NULL, "a proposal with its dossiers" },
	{ "POST", "/api/v1/proposals/{id}/submit", h_proposal_submit,
	    NEED_ADMIN, SCOPE_NONE, NULL, BODY_NONE, NULL, "submit a proposal" },
	{ "POST", "/api/v1/proposals/{id}/review", h_proposal_review,
	    NEED_BALLOT, SCOPE_NONE, NULL, BODY_NONE, NULL,
	    "the council takes a proposal under review" },
	{ "POST", "/api/v1/proposals/{id}/return", h_proposal_return,
	    NEED_BALLOT, SCOPE_NONE, NULL, BODY_ROWS, NULL,
	    "return a proposal: {reason}" },
	{ "POST", "/api/v1/proposals/{id}/ballots", h_ballot_post, NEED_BALLOT,
	    SCOPE_NONE, NULL, BODY_ROWS, NULL, "secret-ballot counts: {members, "
	    "yes, present, written, subject}" },
	{ "POST", "/api/v1/proposals/{id}/decision", h_decision_post,
	    NEED_ADMIN, SCOPE_NONE, NULL, BODY_ROWS, NULL,
	    "decide: {number, date, signer}; appends to the ledger" },
	{ "GET", "/api/v1/proposals/{id}/decision.pdf", h_proposal_document,
	    NEED_AUDIT, SCOPE_NONE, NULL, BODY_NONE, NULL, "the decision of a "
	    "decided proposal as PDF (as thidua print decision)" },
	{ "GET", "/api/v1/proposals/{id}/certificates.pdf", h_proposal_document,
	    NEED_AUDIT, SCOPE_NONE, NULL, BODY_NONE, NULL, "its certificates, "
	    "one page each, as PDF (as thidua print certificates)" },
	{ "GET", "/api/v1/proposals/{id}/list.xlsx", h_proposal_document,
	    NEED_AUDIT, SCOPE_NONE, NULL, BODY_NONE, NULL, "its list of "
	    "recipients as XLSX (as thidua print list)" },
	{ "POST", "/api/v1/movements/{code}/recognise", h_recognise_post,
	    NEED_ADMIN, SCOPE_NONE, NULL, BODY_ROWS, NULL, "prompt recognition "
	    "of a campaign (as thidua recognise): {top, award, number, date, "
	    "signer}; its top performers proposed and decided at once" },
	{ "GET", "/api/v1/ledger", h_ledger_get, NEED_AUDIT, SCOPE_NONE,
	    q_ledger, BODY_NONE, NULL, "the award ledger (as thidua ledger show)" },
	{ "GET", "/api/v1/ledger/head", h_ledger_head, NEED_AUDIT, SCOPE_NONE,
	    NULL, BODY_NONE, NULL, "the last entry's seq and hash (as thidua "
	    "ledger head)" },
	{ "GET", "/api/v1/ledger/verify", h_ledger_verify, NEED_AUDIT,
	    SCOPE_NONE, q_ledger_verify, BODY_NONE, NULL, "check the ledger's "
	    "hash chain, and that it holds an earlier head (as thidua ledger "
	    "verify)" },
	{ "POST", "/api/v1/ledger/{seq}/revoke", h_ledger_revoke, NEED_ADMIN,
	    SCOPE_NONE, NULL, BODY_ROWS, NULL, "revoke an award entry by a new "
	    "entry: {reason, date, number, signer}" },
	{ "GET", "/api/v1/search", h_search, NEED_READ, SCOPE_NONE, q_search,
	    BODY_NONE, NULL, "pickers: units and people in the caller's "
	    "scope, metrics of movements' criteria, awards in force, by code or "
	    "name (case and accents optional)" },
	{ "GET", "/api/v1/units/{code}", h_unit_get, NEED_READ, SCOPE_PATH,
	    NULL, BODY_NONE, NULL, "one unit with its parent and children" },
	{ "GET", "/api/v1/units/{code}/summary", h_unit_summary, NEED_READ,
	    SCOPE_PATH, NULL, BODY_NONE, NULL, "counts for a unit's subtree" },
	{ "GET", "/api/v1/{kind}", h_kind_list, NEED_READ, SCOPE_QUERY, q_list,
	    BODY_NONE, NULL, "list rows of an import kind (paged, filtered)" },
	{ "POST", "/api/v1/{kind}", h_kind_post, NEED_WRITE, SCOPE_BODY,
	    q_import, BODY_ROWS, NULL,
	    "import rows (object, array or CSV), all or nothing; awards "
	    "(history decided before Thi đua): the administrator only" },
};
const size_t http_nroutes = sizeof http_routes / sizeof http_routes[0];
