/*
 * h-documents.c: the printable documents of a decided proposal over
 * HTTP, the twins of `thidua print`:
 *   GET /api/v1/proposals/{id}/decision.pdf      the decision (quyết định)
 *   GET /api/v1/proposals/{id}/certificates.pdf  one certificate a page
 *   GET /api/v1/proposals/{id}/list.xlsx         the list of recipients
 * The document is written by the same writers as the CLI (award-pdf.h,
 * award-xlsx.h) into an unlinked temporary file whose descriptor the
 * response sends and closes, so nothing is left on disk and the bytes
 * are those of the CLI.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "award-pdf.h"
#include "award.h"
#include "util.h"
#include "award-xlsx.h"

/* The three documents: the route's last segment, its writer and type. */
struct doc_kind {
	const char	*file;
	const char	*ctype;
	int		 (*write)(const struct doc_decision *, const char *,
			     struct err *);
};

static int
certificates(const struct doc_decision *d, const char *path, struct err *e)
{
	return pdf_certificates(d, path, NULL, e);
}

static const struct doc_kind kinds[] = {
	{ "decision.pdf", "application/pdf", pdf_decision },
	{ "certificates.pdf", "application/pdf", certificates },
	{ "list.xlsx", "application/vnd.openxmlformats-officedocument."
	    "spreadsheetml.sheet", xlsx_decision },
};

int
h_proposal_document(struct req *r)
{
	const struct doc_kind *k = NULL;
	const char *last = strrchr(r->path, '/');
	struct doc_decision d;
	char path[4096];
	int64_t id;
	int rc;

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (last != NULL && strcmp(last + 1, kinds[i].file) == 0)
			k = &kinds[i];
	if (k == NULL || parse_i64(r->param[0], &id) != 0 || id <= 0)
		return err_at(&r->e, ERR_NOTFOUND, NULL, 0, 0, "id", "%s '%s'",
		    TR("không có tờ trình", "no proposal"), r->param[0]);
	if (decision_doc_load(r->st, id, NULL, &d, &r->e) != 0)
		return -1;
	if (http_temp_file(r, "doc", path, sizeof path) != 0) {
		doc_decision_free(&d);
		return -1;
	}
	rc = k->write(&d, path, &r->e);
	doc_decision_free(&d);
	if (http_send_temp(r, path, rc, k->ctype) != 200)
		return -1;
	snprintf(r->filename, sizeof r->filename, "%s-%" PRId64 ".%s",
	    k->file[0] == 'd' ? "decision" : k->file[0] == 'c' ?
	    "certificates" : "list", id, strchr(k->file, '.') + 1);
	return 200;
}
