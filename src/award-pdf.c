/*
 * award-pdf.c: the decision and the certificates as PDF (see
 * award-pdf.h). libharu reports errors through a callback; we jump back
 * to the writer's entry point, free the document and return a system
 * error.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_fontdef.h>
#include "icu.h"

#include "award-pdf.h"
#include "award-pdf-lib.h"
#include "util.h"

#define LH	1.38f		/* line height, × font size */

struct pdfw {
	HPDF_Doc	 pdf;
	HPDF_Font	 reg, bold, ital;
	jmp_buf		 jb;
	unsigned long	 code, detail;
};

static void
on_error(HPDF_STATUS code, HPDF_STATUS detail, void *u)
{
	struct pdfw *w = u;

	w->code = code;
	w->detail = detail;
	longjmp(w->jb, 1);
}

static const char *
font_dir(void)
{
	const char *d = getenv("THIDUA_FONT_DIR");

	return d && *d ? d : "/usr/share/fonts/truetype/dejavu";
}

static HPDF_Font
load_font(struct pdfw *w, const char *file)
{
	char path[512];
	const char *name;
	HPDF_FontDef def;

	snprintf(path, sizeof path, "%s/%s", font_dir(), file);
	name = HPDF_LoadTTFontFromFile(w->pdf, path, HPDF_TRUE);
	/*
	 * libharu 2.3 embeds only the glyphs it saw used, and through the
	 * UTF-8 (CID) path it does not follow composite glyphs to their
	 * components: DejaVu builds ộ, ố, ự… from components, which then
	 * print without their marks. Embed every glyph instead.
	 */
	if ((def = HPDF_GetFontDef(w->pdf, name)) != NULL &&
	    def->type == HPDF_FONTDEF_TYPE_TRUETYPE) {
		HPDF_TTFontDefAttr a = def->attr;

		memset(a->glyph_tbl.flgs, 1, a->num_glyphs);
	}
	return HPDF_GetFont(w->pdf, name, "UTF-8");
}

/* Opens libharu, and checks that the fonts exist before it is asked to
 * load them. */
static int
fonts_ok(struct err *e)
{
	static const char *const files[] = { "DejaVuSerif.ttf",
	    "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf" };
	char path[512];
	struct stat sb;

	if (hpdf_lib_load(e) != 0)
		return -1;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", font_dir(), files[i]);
		if (stat(path, &sb) != 0)
			return err_at(e, ERR_SYSTEM, path, 0, 0, NULL, "%s",
			    TR("thiếu phông chữ DejaVu (gói fonts-dejavu-core)",
			    "the DejaVu font is missing (package fonts-dejavu-core)"));
	}
	return 0;
}

/* Set up w->pdf; call only right after setjmp(w->jb) returned 0. */
static void
doc_new(struct pdfw *w)
{
	w->pdf = HPDF_New(on_error, w);
	if (w->pdf == NULL)
		abort();	/* out of memory: xmalloc's policy */
	HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(w->pdf);
	HPDF_SetCurrentEncoder(w->pdf, "UTF-8");
	w->reg = load_font(w, "DejaVuSerif.ttf");
	w->bold = load_font(w, "DejaVuSerif-Bold.ttf");
	w->ital = load_font(w, "DejaVuSerif-Italic.ttf");
}

static int
doc_fail(struct pdfw *w, const char *path, struct err *e)
{
	if (w->pdf)
		HPDF_Free(w->pdf);
	w->pdf = NULL;
	return err_at(e, ERR_SYSTEM, path, 0, 0, NULL, "%s (libharu %04lX/%lu)",
	    TR("không tạo được tệp PDF", "cannot write the PDF file"),
	    w->code, w->detail);
}

static int
doc_save(struct pdfw *w, const char *path, struct err *e)
{
	FILE *f;

	/* Say "cannot open" with errno rather than a libharu code. */
	if ((f = fopen(path, "wb")) == NULL)
		return err_at(e, ERR_USER, path, 0, 0, NULL, "%s: %s",
		    TR("không mở được tệp để ghi",
		    "cannot open the file for writing"), strerror(errno));
	fclose(f);
	HPDF_SaveToFile(w->pdf, path);
	HPDF_Free(w->pdf);
	w->pdf = NULL;
	return 0;
}

/* Upper-case UTF-8 text with ICU's Vietnamese rules. */
static void
upper(const char *in, char *out, size_t sz)
{
	UChar a[512], b[512];
	UErrorCode ec = U_ZERO_ERROR;
	int32_t n;

	u_strFromUTF8(a, 512, &n, in, -1, &ec);
	if (U_SUCCESS(ec))
		n = u_strToUpper(b, 512, a, n, "vi", &ec);
	if (U_SUCCESS(ec))
		u_strToUTF8(out, (int32_t)sz, NULL, b, n, &ec);
	if (U_FAILURE(ec) || ec == U_STRING_NOT_TERMINATED_WARNING)
		snprintf(out, sz, "%s", in);
}

enum align { AL_LEFT, AL_CENTER, AL_RIGHT, AL_JUSTIFY };

/*
 * Write s wrapped into [x, x + width] from baseline y down; indent the
 * first line. Returns the baseline below the last line.
 */
static float
para(HPDF_Page p, HPDF_Font f, float size, float x, float width, float y,
    const char *s, enum align al, float indent)
{
	char line[1024];
	float lead = indent;

	HPDF_Page_SetFontAndSize(p, f, size);
	while (*s) {
		HPDF_REAL rw;
		HPDF_UINT n = HPDF_Page_MeasureText(p, s, width - lead,
		    HPDF_TRUE, &rw);
		size_t k;
		float tw, lx = x + lead;

		if (n == 0)
			n = HPDF_Page_MeasureText(p, s, width - lead,
			    HPDF_FALSE, &rw);
		if (n == 0)
			n = 1;
		k = n < sizeof line ? n : sizeof line - 1;
		memcpy(line, s, k);
		line[k] = '\0';
		while (k && line[k - 1] == ' ')
			line[--k] = '\0';
		tw = HPDF_Page_TextWidth(p, line);
		if (al == AL_CENTER)
			lx = x + (width - tw) / 2;
		else if (al == AL_RIGHT)
			lx = x + width - tw;
		HPDF_Page_BeginText(p);
		if (al == AL_JUSTIFY && s[n] != '\0') {
			int spaces = 0;

			for (size_t i = 0; i < k; i++)
				spaces += line[i] == ' ';
			if (spaces)
				HPDF_Page_SetWordSpace(p,
				    (width - lead - tw) / spaces);
		}
		HPDF_Page_TextOut(p, lx, y, line);
		HPDF_Page_SetWordSpace(p, 0);
		HPDF_Page_EndText(p);
		s += n;
		while (*s == ' ')
			s++;
		y -= size * LH;
		lead = 0;
	}
	return y;
}

/*
 * The paper anchor: the decision's last ledger entry and its full hash,
 * one line centred in [x, x + width] at baseline y, the font shrunk from
 * size until the 64 hex digits fit.
 */
static void
anchor_line(struct pdfw *w, HPDF_Page p, const struct doc_decision *d,
    float x, float width, float y, float size)
{
	char buf[256];

	if (d->anchor_seq <= 0)
		return;
	snprintf(buf, sizeof buf, "Sổ khen thưởng: mục %" PRId64 ", mã băm %s",
	    d->anchor_seq, d->anchor_hash);
	HPDF_Page_SetFontAndSize(p, w->reg, size);
	while (size > 5 && HPDF_Page_TextWidth(p, buf) > width) {
		size -= 0.25f;
		HPDF_Page_SetFontAndSize(p, w->reg, size);
	}
	HPDF_Page_SetGrayFill(p, 0.25f);
	para(p, w->reg, size, x, width, y, buf, AL_CENTER, 0);
	HPDF_Page_SetGrayFill(p, 0);
}

static void
hline(HPDF_Page p, float x0, float x1, float y, float wdt)
{
	HPDF_Page_SetLineWidth(p, wdt);
	HPDF_Page_MoveTo(p, x0, y);
	HPDF_Page_LineTo(p, x1, y);
	HPDF_Page_Stroke(p);
}

void
doc_date_line(const char *place, const char *date, char *out, size_t sz)
{
	int y = 0, m = 0, d = 0;

	/* NĐ 30/2020: a day below 10 and the months 1 and 2 take a 0. */
	sscanf(date, "%d-%d-%d", &y, &m, &d);
	snprintf(out, sz, "%s%sngày %02d tháng %0*d năm %d", place ? place : "",
	    place && *place ? ", " : "", d, m <= 2 ? 2 : 1, m, y);
}

void
doc_money(int64_t v, char *out, size_t sz)
{
	char tmp[32];
	int n, i, j = 0, neg = v < 0;

	n = snprintf(tmp, sizeof tmp, "%" PRId64, neg ? -v : v);
	if (neg && j < (int)sz - 1)
		out[j++] = '-';
	for (i = 0; i < n && j < (int)sz - 1; i++) {
		if (i && (n - i) % 3 == 0 && j < (int)sz - 1)
			out[j++] = '.';
		out[j++] = tmp[i];
	}
	out[j] = '\0';
}

void
doc_decision_free(struct doc_decision *d)
{
	free(d->r);
	d->r = NULL;
	d->n = d->cap = 0;
}

/* ---- the decision ---- */

#define A4W	595.0f
#define A4H	842.0f

/* The two-column header; returns the baseline below it. */
static float
header(struct pdfw *w, HPDF_Page p, const struct doc_decision *d,
    int with_number)
{
	char buf[512], up[512];
	float y = A4H - 55, yl, yr;

	upper(d->above, up, sizeof up);
	yl = para(p, w->reg, 12, 40, 230, y, up, AL_CENTER, 0);
	upper(d->issuer, up, sizeof up);
	yl = para(p, w->bold, 12, 40, 230, yl, up, AL_CENTER, 0);
	hline(p, 120, 190, yl + 10, 0.6f);
	if (with_number) {
		snprintf(buf, sizeof buf, "Số: %s", d->number);
		yl = para(p, w->reg, 12.5f, 40, 230, yl - 8, buf, AL_CENTER, 0);
	}
	yr = para(p, w->bold, 12, 265, 300, y,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", AL_CENTER, 0);
	yr = para(p, w->bold, 13, 265, 300, yr, "Độc lập - Tự do - Hạnh phúc",
	    AL_CENTER, 0);
	hline(p, 330, 500, yr + 10, 0.6f);
	doc_date_line(d->place, d->date, buf, sizeof buf);
	yr = para(p, w->ital, 13, 265, 300, yr - 8, buf, AL_CENTER, 0);
	return (yl < yr ? yl : yr) - 18;
}

static void
counts(const struct doc_decision *d, size_t *people, size_t *units,
    int64_t *total)
{
	*people = *units = 0;
	*total = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (strcmp(d->r[i].kind, "unit") == 0)
			(*units)++;
		else
			(*people)++;
		*total += d->r[i].amount;
	}
}

static void
decision_page(struct pdfw *w, const struct doc_decision *d)
{
	HPDF_Page p = HPDF_AddPage(w->pdf);
	char buf[1024], up[512], m1[64], m2[32];
	float y, x = 70, wd = A4W - 70 - 50;
	size_t np, nu;
	int64_t total;

	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
	y = header(w, p, d, 1);
	y = para(p, w->bold, 15, x, wd, y, "QUYẾT ĐỊNH", AL_CENTER, 0);
	snprintf(buf, sizeof buf, "Về việc tặng %s năm %d", d->award_name,
	    d->year);
	y = para(p, w->bold, 13, x, wd, y, buf, AL_CENTER, 0);
	hline(p, A4W / 2 - 50, A4W / 2 + 50, y + 9, 0.6f);
	upper(d->title, up, sizeof up);
	snprintf(buf, sizeof buf, "%s ", up);
	upper(d->issuer, up, sizeof up);
	strncat(buf, up, sizeof buf - strlen(buf) - 1);
	y = para(p, w->bold, 13, x, wd, y - 10, buf, AL_CENTER, 0) - 4;

	y = para(p, w->ital, 12.5f, x, wd, y,
	    "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15;",
	    AL_JUSTIFY, 28);
	y = para(p, w->ital, 12.5f, x, wd, y, strcmp(d->date, "2025-07-01") < 0
	    ? "Căn cứ Nghị định số 98/2023/NĐ-CP của Chính phủ quy định chi "
	    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;"
	    : "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ quy định chi "
	    "tiết thi hành Luật Thi đua, khen thưởng;", AL_JUSTIFY, 28);
	y = para(p, w->ital, 12.5f, x, wd, y, "Căn cứ Thông tư số "
	    "118/2023/TT-BQP của Bộ trưởng Bộ Quốc phòng hướng dẫn công tác "
	    "thi đua, khen thưởng trong Quân đội nhân dân Việt Nam;",
	    AL_JUSTIFY, 28);
	if (d->basis[0]) {
		snprintf(buf, sizeof buf, "Căn cứ tiêu chuẩn khen thưởng "
		    "(%s);", d->basis);
		y = para(p, w->ital, 12.5f, x, wd, y, buf, AL_JUSTIFY, 28);
	}
	if (d->movement[0])
		snprintf(buf, sizeof buf, "Xét kết quả phong trào thi đua %s "
		    "và đề nghị tại Tờ trình số %" PRId64 ",", d->movement,
		    d->proposal);
	else
		snprintf(buf, sizeof buf, "Xét đề nghị của Hội đồng Thi đua - "
		    "Khen thưởng tại Tờ trình số %" PRId64 ",", d->proposal);
	y = para(p, w->ital, 12.5f, x, wd, y, buf, AL_JUSTIFY, 28) - 4;
	y = para(p, w->bold, 13, x, wd, y, "QUYẾT ĐỊNH:", AL_CENTER, 0) - 2;

	counts(d, &np, &nu, &total);
	if (np && nu)
		snprintf(m1, sizeof m1, "%zu cá nhân và %zu tập thể", np, nu);
	else if (nu)
		snprintf(m1, sizeof m1, "%zu tập thể", nu);
	else
		snprintf(m1, sizeof m1, "%zu cá nhân", np);
	snprintf(buf, sizeof buf, "Điều 1. Tặng %s năm %d cho %s có tên trong "
	    "danh sách kèm theo Quyết định này.", d->award_name, d->year, m1);
	y = para(p, w->reg, 13, x, wd, y, buf, AL_JUSTIFY, 28);
	if (d->coefficient > 0) {
		doc_money(d->base_salary, m1, sizeof m1);
		doc_money(total, m2, sizeof m2);
		snprintf(buf, sizeof buf, "Điều 2. Mức tiền thưởng bằng %g lần "
		    "mức lương cơ sở (%s đồng), tập thể theo quy định; tổng số "
		    "tiền %s đồng, chi từ quỹ thi đua, khen thưởng của đơn vị.",
		    d->coefficient, m1, m2);
	} else
		snprintf(buf, sizeof buf, "Điều 2. Hình thức khen thưởng này "
		    "không kèm tiền thưởng theo quy định hiện hành.");
	y = para(p, w->reg, 13, x, wd, y, buf, AL_JUSTIFY, 28);
	y = para(p, w->reg, 13, x, wd, y, "Điều 3. Thủ trưởng các cơ quan, "
	    "đơn vị liên quan và các cá nhân, tập thể có tên tại Điều 1 chịu "
	    "trách nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ "
	    "ngày ký.", AL_JUSTIFY, 28) - 12;

	para(p, w->bold, 12, x, 220, y, "Nơi nhận:", AL_LEFT, 0);
	para(p, w->reg, 11, x, 220, y - 16, "- Như Điều 3;", AL_LEFT, 0);
	para(p, w->reg, 11, x, 220, y - 30, "- Lưu: VT, TĐKT.", AL_LEFT, 0);
	upper(d->title, up, sizeof up);
	para(p, w->bold, 13, A4W - 290, 240, y, up, AL_CENTER, 0);
	para(p, w->bold, 13, A4W - 290, 240, y - 90, d->signer, AL_CENTER, 0);
	anchor_line(w, p, d, x, wd, 36, 8);
}

/* The attached list, as a table over as many pages as it needs. */
static void
list_pages(struct pdfw *w, const struct doc_decision *d)
{
	static const float cx[] = { 50, 85, 265, 440, 545 };
	HPDF_Page p = NULL;
	char buf[512], money[32];
	float y = 0, rowh;
	size_t i;
	int64_t total = 0;

	for (i = 0; i <= d->n; i++) {
		const char *cells[4];
		char no[16];
		float y2, ymin;

		if (p == NULL || y < 70) {
			p = HPDF_AddPage(w->pdf);
			HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4,
			    HPDF_PAGE_PORTRAIT);
			y = A4H - 55;
			if (i == 0) {
				y = para(p, w->bold, 14, 50, 495, y,
				    "DANH SÁCH", AL_CENTER, 0);
				snprintf(buf, sizeof buf, "Được tặng %s năm %d",
				    d->award_name, d->year);
				y = para(p, w->bold, 13, 50, 495, y, buf,
				    AL_CENTER, 0);
				doc_date_line(NULL, d->date, money,
				    sizeof money);
				snprintf(buf, sizeof buf, "(Kèm theo Quyết định "
				    "số %s %s của %s %s)", d->number, money,
				    d->title, d->issuer);
				y = para(p, w->ital, 12, 50, 495, y, buf,
				    AL_CENTER, 0) - 6;
			}
			cells[0] = "TT";
			cells[1] = "Họ và tên / Tập thể";
			cells[2] = "Đơn vị";
			cells[3] = "Số tiền (đồng)";
			hline(p, cx[0], cx[4], y + 13, 0.8f);
			for (int c = 0; c < 4; c++)
				para(p, w->bold, 11, cx[c] + 3,
				    cx[c + 1] - cx[c] - 6, y, cells[c],
				    AL_CENTER, 0);
			y -= 6;
			hline(p, cx[0], cx[4], y + 2, 0.8f);
			y -= 12;
		}
		if (i == d->n) {
			doc_money(total, money, sizeof money);
			para(p, w->bold, 11, cx[1] + 3, 170, y, "Tổng cộng",
			    AL_LEFT, 0);
			para(p, w->bold, 11, cx[3] + 3, cx[4] - cx[3] - 6, y,
			    money, AL_RIGHT, 0);
			hline(p, cx[0], cx[4], y - 6, 0.8f);
			break;
		}
		snprintf(no, sizeof no, "%zu", i + 1);
		doc_money(d->r[i].amount, money, sizeof money);
		total += d->r[i].amount;
		cells[0] = no;
		cells[1] = d->r[i].name;
		cells[2] = d->r[i].unit_name;
		cells[3] = money;
		ymin = y;
		for (int c = 0; c < 4; c++) {
			y2 = para(p, w->reg, 11, cx[c] + 3,
			    cx[c + 1] - cx[c] - 6, y, cells[c],
			    c == 0 ? AL_CENTER : c == 3 ? AL_RIGHT : AL_LEFT, 0);
			if (y2 < ymin)
				ymin = y2;
		}
		rowh = y - ymin;
		y -= rowh;
		hline(p, cx[0], cx[4], y + 9, 0.3f);
		y -= 4;
	}
}

/*
 * The writer state lives on the heap: the pointer does not change after
 * setjmp(), so it is valid again after libharu's longjmp.
 */
int
pdf_decision(const struct doc_decision *d, const char *path, struct err *e)
{
	struct pdfw *w;
	int rc;

	if (fonts_ok(e) != 0)
		return -1;
	w = xcalloc(1, sizeof *w);
	if (setjmp(w->jb))
		rc = doc_fail(w, path, e);
	else {
		doc_new(w);
		HPDF_SetInfoAttr(w->pdf, HPDF_INFO_TITLE, d->number);
		decision_page(w, d);
		list_pages(w, d);
		rc = doc_save(w, path, e);
	}
	free(w);
	return rc;
}

/* ---- certificates ---- */

static void
certificate_page(struct pdfw *w, const struct doc_decision *d,
    const struct doc_recipient *r)
{
	HPDF_Page p = HPDF_AddPage(w->pdf);
	char buf[1024], up[512];
	float W, H, y;

	HPDF_Page_SetSize(p, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
	W = HPDF_Page_GetWidth(p);
	H = HPDF_Page_GetHeight(p);
	HPDF_Page_SetRGBStroke(p, 0.62f, 0.09f, 0.09f);
	HPDF_Page_SetLineWidth(p, 3);
	HPDF_Page_Rectangle(p, 22, 22, W - 44, H - 44);
	HPDF_Page_Stroke(p);
	HPDF_Page_SetLineWidth(p, 0.8f);
	HPDF_Page_Rectangle(p, 30, 30, W - 60, H - 60);
	HPDF_Page_Stroke(p);
	HPDF_Page_SetRGBStroke(p, 0, 0, 0);

	y = para(p, w->bold, 13, 60, W - 120, H - 70,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", AL_CENTER, 0);
	y = para(p, w->bold, 13, 60, W - 120, y, "Độc lập - Tự do - Hạnh phúc",
	    AL_CENTER, 0);
	hline(p, W / 2 - 85, W / 2 + 85, y + 9, 0.6f);
	upper(d->title, up, sizeof up);
	snprintf(buf, sizeof buf, "%s ", up);
	upper(d->issuer, up, sizeof up);
	strncat(buf, up, sizeof buf - strlen(buf) - 1);
	y = para(p, w->bold, 15, 60, W - 120, y - 16, buf, AL_CENTER, 0);
	upper(d->award_name, up, sizeof up);
	HPDF_Page_SetRGBFill(p, 0.72f, 0.05f, 0.05f);
	y = para(p, w->bold, 34, 60, W - 120, y - 24, up, AL_CENTER, 0);
	HPDF_Page_SetRGBFill(p, 0, 0, 0);
	y = para(p, w->ital, 16, 60, W - 120, y - 4,
	    strcmp(d->family, "title") == 0 ? "Công nhận danh hiệu cho" : "Tặng",
	    AL_CENTER, 0);
	HPDF_Page_SetRGBFill(p, 0.05f, 0.15f, 0.5f);
	y = para(p, w->bold, 26, 60, W - 120, y - 4, r->name, AL_CENTER, 0);
	HPDF_Page_SetRGBFill(p, 0, 0, 0);
	if (r->unit_name[0]) {
		snprintf(buf, sizeof buf, "Đơn vị: %s", r->unit_name);
		y = para(p, w->reg, 15, 60, W - 120, y, buf, AL_CENTER, 0);
	}
	if (d->movement[0])
		snprintf(buf, sizeof buf, "Đã có thành tích xuất sắc trong phong "
		    "trào thi đua %s năm %d", d->movement, d->year);
	else
		snprintf(buf, sizeof buf, "Đã có thành tích xuất sắc trong phong "
		    "trào thi đua năm %d", d->year);
	para(p, w->ital, 15, 90, W - 180, y - 6, buf, AL_CENTER, 0);

	snprintf(buf, sizeof buf, "Quyết định số %s", d->number);
	para(p, w->reg, 11, 60, 300, 95, buf, AL_LEFT, 0);
	snprintf(buf, sizeof buf, "Mã: %s · Sổ khen thưởng số %" PRId64
	    " · %.16s", r->code, r->seq, r->hash);
	para(p, w->reg, 9, 60, 360, 80, buf, AL_LEFT, 0);
	doc_date_line(d->place, d->date, buf, sizeof buf);
	para(p, w->ital, 13, W - 380, 320, 190, buf, AL_CENTER, 0);
	upper(d->title, up, sizeof up);
	para(p, w->bold, 13, W - 380, 320, 172, up, AL_CENTER, 0);
	para(p, w->bold, 14, W - 380, 320, 85, d->signer, AL_CENTER, 0);
	anchor_line(w, p, d, 60, W - 120, 44, 8);
}

static int
certs_one_file(const struct doc_decision *d, size_t from, size_t to,
    const char *path, struct err *e)
{
	struct pdfw *w = xcalloc(1, sizeof *w);
	int rc;

	if (setjmp(w->jb))
		rc = doc_fail(w, path, e);
	else {
		doc_new(w);
		HPDF_SetInfoAttr(w->pdf, HPDF_INFO_TITLE, d->number);
		for (size_t i = from; i < to; i++)
			certificate_page(w, d, &d->r[i]);
		rc = doc_save(w, path, e);
	}
	free(w);
	return rc;
}

int
pdf_certificates(const struct doc_decision *d, const char *path,
    const char *split_dir, struct err *e)
{
	if (fonts_ok(e) != 0)
		return -1;
	if (d->n == 0)
		return err_set(e, ERR_USER, "%s", TR("quyết định không có ai "
		    "được khen thưởng", "the decision has no recipients"));
	if (path && certs_one_file(d, 0, d->n, path, e) != 0)
		return -1;
	if (split_dir) {
		if (mkdir(split_dir, 0777) != 0 && errno != EEXIST)
			return err_at(e, ERR_USER, split_dir, 0, 0, NULL,
			    "%s: %s", TR("không tạo được thư mục",
			    "cannot create the directory"), strerror(errno));
		for (size_t i = 0; i < d->n; i++) {
			char fp[1024];

			snprintf(fp, sizeof fp, "%s/%04zu-%s.pdf", split_dir,
			    i + 1, d->r[i].code);
			if (certs_one_file(d, i, i + 1, fp, e) != 0)
				return -1;
		}
	}
	return 0;
}
