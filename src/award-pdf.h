/*
 * award-pdf.h: printable documents of an award decision, with libharu and an
 * embedded DejaVu TrueType font (UTF-8, so Vietnamese diacritics print
 * as typed):
 *  - the decision (quyết định) in the standard Vietnamese administrative
 *    layout: issuing body and national motto header, number and symbol,
 *    place and date, legal grounds, articles, recipients of copies,
 *    signature block, then the attached list of recipients;
 *  - the certificates (Giấy khen, or whatever the award is), one landscape
 *    A4 page per recipient, in one file or one file per recipient.
 *
 * The model (struct doc_decision) is filled by decision_doc_load()
 * (award.h); these writers do no database work. Fonts are read from
 * $THIDUA_FONT_DIR, else /usr/share/fonts/truetype/dejavu (Debian
 * fonts-dejavu-core).
 */
#ifndef THIDUA_AWARD_PDF_H
#define THIDUA_AWARD_PDF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct doc_recipient {
	char	 code[33];
	char	 kind[8];		/* "person" | "unit" */
	char	 name[256];
	char	 unit_name[256];	/* the person's unit ("" for a unit) */
	int64_t	 amount;		/* VND, 0 when no cash */
	int64_t	 seq;			/* its ledger entry */
	char	 hash[65];		/* and that entry's hash */
};

struct doc_decision {
	char	 above[128];		/* the body above the issuer */
	char	 issuer[256];		/* the enterprise (root unit) */
	char	 symbol[32];		/* the issuer's short code, e.g. Z121 */
	char	 number[64];		/* "12/QĐ-Z121" */
	char	 place[64];
	char	 date[11];		/* YYYY-MM-DD */
	char	 signer[256];
	char	 title[64];		/* the signer's post, e.g. GIÁM ĐỐC */
	int	 year;
	char	 award[33];
	char	 award_name[160];
	char	 family[16];		/* "title" | "commendation" */
	char	 basis[200];		/* the award's legal basis */
	char	 movement[33];		/* campaign-linked: the movement code */
	int64_t	 proposal;
	int64_t	 base_salary;
	double	 coefficient;
	int64_t	 anchor_seq;		/* the last ledger entry it appended, */
	char	 anchor_hash[65];	/* printed as its paper anchor (0: none) */
	struct doc_recipient *r;	/* owned; freed by doc_decision_free */
	size_t	 n, cap;
};
void	 doc_decision_free(struct doc_decision *);

/* Write the decision and its attached list to PATH. 0 or -1. */
int	 pdf_decision(const struct doc_decision *, const char *path,
	    struct err *);
/*
 * Write the certificates: all in PATH (when not NULL), and/or one file
 * per recipient DIR/NNNN-CODE.pdf (when split_dir is not NULL). 0 or -1.
 */
int	 pdf_certificates(const struct doc_decision *, const char *path,
	    const char *split_dir, struct err *);

/* Vietnamese date line: "Phú Thọ, ngày 20 tháng 12 năm 2025". */
void	 doc_date_line(const char *place, const char *date, char *out,
	    size_t sz);
/* Group a VND amount by thousands with dots: 2.340.000. */
void	 doc_money(int64_t amount, char *out, size_t sz);

#endif /* THIDUA_AWARD_PDF_H */
