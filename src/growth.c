/*
 * growth.c: the growth engine, growth_compute(): pure maths over one
 * indicator's values by year (ratio, CAGR, year-over-year ratios, rising
 * every year). No store, no I/O. See growth.h and docs/indicators.md.
 */
#include <math.h>
#include <string.h>

#include "growth.h"
void
growth_compute(const double *v, const unsigned char *have, int from, int to,
    struct growth_yoy *yoy, struct growth_calc *out)
{
	int span = to - from;

	memset(out, 0, sizeof *out);
	if (span < 0)
		return;
	if (have[0] && have[span] && v[0] > 0) {
		out->have_ratio = 1;
		out->ratio = v[span] / v[0];
		out->cagr = span > 0 && out->ratio >= 0 ?
		    pow(out->ratio, 1.0 / span) - 1 : 0;
	}
	out->rising = span > 0;
	for (int i = 1; i <= span; i++) {
		if (!have[i] || !have[i - 1] || v[i - 1] <= 0) {
			out->rising = 0;
			continue;
		}
		yoy[out->nyoy].year = from + i;
		yoy[out->nyoy].ratio = v[i] / v[i - 1];
		yoy[out->nyoy].rose = v[i] > v[i - 1];
		if (!yoy[out->nyoy].rose)
			out->rising = 0;
		out->nyoy++;
	}
}
