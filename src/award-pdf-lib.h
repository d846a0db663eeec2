/*
 * award-pdf-lib.h: libharu, opened with the first PDF (dynlib.h). Linked
 * at build time, it and the libraries it brings (libpng, zlib) were
 * mapped and relocated at every start of every command, though only
 * `thidua print` and the documents the API serves make a PDF. Included
 * after <hpdf.h> in award-pdf.c, it turns each libharu function called
 * there into its pointer in hpdf_lib, so the calls read as usual; a
 * function newly called goes in HPDF_FUNCS and gets its #define below
 * (the build fails at link time otherwise).
 */
#ifndef THIDUA_AWARD_PDF_LIB_H
#define THIDUA_AWARD_PDF_LIB_H

#include <hpdf.h>

#include "err.h"

#define HPDF_FUNCS(X) \
	X(HPDF_AddPage) X(HPDF_Free) X(HPDF_GetFont) X(HPDF_GetFontDef) \
	X(HPDF_LoadTTFontFromFile) X(HPDF_New) X(HPDF_Page_BeginText) \
	X(HPDF_Page_EndText) X(HPDF_Page_GetHeight) X(HPDF_Page_GetWidth) \
	X(HPDF_Page_LineTo) X(HPDF_Page_MeasureText) X(HPDF_Page_MoveTo) \
	X(HPDF_Page_Rectangle) X(HPDF_Page_SetFontAndSize) \
	X(HPDF_Page_SetGrayFill) X(HPDF_Page_SetLineWidth) \
	X(HPDF_Page_SetRGBFill) X(HPDF_Page_SetRGBStroke) X(HPDF_Page_SetSize) \
	X(HPDF_Page_SetWordSpace) X(HPDF_Page_Stroke) X(HPDF_Page_TextOut) \
	X(HPDF_Page_TextWidth) X(HPDF_SaveToFile) X(HPDF_SetCompressionMode) \
	X(HPDF_SetCurrentEncoder) X(HPDF_SetInfoAttr) X(HPDF_UseUTFEncodings)

struct hpdf_lib {
#define HPDF_SLOT(f) __typeof__(f) *f;
	HPDF_FUNCS(HPDF_SLOT)
#undef HPDF_SLOT
};

extern struct hpdf_lib hpdf_lib;

/* libharu opened and hpdf_lib filled (once); 0, or -1 and e. */
int	 hpdf_lib_load(struct err *e);

#ifndef AWARD_PDF_LIB_TABLE	/* (award-pdf-lib.c fills the table by name) */
#define HPDF_AddPage(...)			(hpdf_lib.HPDF_AddPage)(__VA_ARGS__)
#define HPDF_Free(...)			(hpdf_lib.HPDF_Free)(__VA_ARGS__)
#define HPDF_GetFont(...)			(hpdf_lib.HPDF_GetFont)(__VA_ARGS__)
#define HPDF_GetFontDef(...)		(hpdf_lib.HPDF_GetFontDef)(__VA_ARGS__)
#define HPDF_LoadTTFontFromFile(...)	(hpdf_lib.HPDF_LoadTTFontFromFile)(__VA_ARGS__)
#define HPDF_New(...)			(hpdf_lib.HPDF_New)(__VA_ARGS__)
#define HPDF_Page_BeginText(...)		(hpdf_lib.HPDF_Page_BeginText)(__VA_ARGS__)
#define HPDF_Page_EndText(...)		(hpdf_lib.HPDF_Page_EndText)(__VA_ARGS__)
#define HPDF_Page_GetHeight(...)		(hpdf_lib.HPDF_Page_GetHeight)(__VA_ARGS__)
#define HPDF_Page_GetWidth(...)		(hpdf_lib.HPDF_Page_GetWidth)(__VA_ARGS__)
#define HPDF_Page_LineTo(...)		(hpdf_lib.HPDF_Page_LineTo)(__VA_ARGS__)
#define HPDF_Page_MeasureText(...)	(hpdf_lib.HPDF_Page_MeasureText)(__VA_ARGS__)
#define HPDF_Page_MoveTo(...)		(hpdf_lib.HPDF_Page_MoveTo)(__VA_ARGS__)
#define HPDF_Page_Rectangle(...)		(hpdf_lib.HPDF_Page_Rectangle)(__VA_ARGS__)
#define HPDF_Page_SetFontAndSize(...)	(hpdf_lib.HPDF_Page_SetFontAndSize)(__VA_ARGS__)
#define HPDF_Page_SetGrayFill(...)	(hpdf_lib.HPDF_Page_SetGrayFill)(__VA_ARGS__)
#define HPDF_Page_SetLineWidth(...)	(hpdf_lib.HPDF_Page_SetLineWidth)(__VA_ARGS__)
#define HPDF_Page_SetRGBFill(...)		(hpdf_lib.HPDF_Page_SetRGBFill)(__VA_ARGS__)
#define HPDF_Page_SetRGBStroke(...)	(hpdf_lib.HPDF_Page_SetRGBStroke)(__VA_ARGS__)
#define HPDF_Page_SetSize(...)		(hpdf_lib.HPDF_Page_SetSize)(__VA_ARGS__)
#define HPDF_Page_SetWordSpace(...)	(hpdf_lib.HPDF_Page_SetWordSpace)(__VA_ARGS__)
#define HPDF_Page_Stroke(...)		(hpdf_lib.HPDF_Page_Stroke)(__VA_ARGS__)
#define HPDF_Page_TextOut(...)		(hpdf_lib.HPDF_Page_TextOut)(__VA_ARGS__)
#define HPDF_Page_TextWidth(...)		(hpdf_lib.HPDF_Page_TextWidth)(__VA_ARGS__)
#define HPDF_SaveToFile(...)		(hpdf_lib.HPDF_SaveToFile)(__VA_ARGS__)
#define HPDF_SetCompressionMode(...)	(hpdf_lib.HPDF_SetCompressionMode)(__VA_ARGS__)
#define HPDF_SetCurrentEncoder(...)	(hpdf_lib.HPDF_SetCurrentEncoder)(__VA_ARGS__)
#define HPDF_SetInfoAttr(...)		(hpdf_lib.HPDF_SetInfoAttr)(__VA_ARGS__)
#define HPDF_UseUTFEncodings(...)		(hpdf_lib.HPDF_UseUTFEncodings)(__VA_ARGS__)
#endif

#endif /* THIDUA_AWARD_PDF_LIB_H */
