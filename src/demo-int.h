/*
 * demo-int.h: what the demo's files share (not a public interface):
 * the word tables of demo-names.c.
 */
#ifndef THIDUA_DEMO_INT_H
#define THIDUA_DEMO_INT_H

#define DEMO_NSHOPS	9
#define DEMO_NDEPTS	9

struct demo_shop {
	const char	*code, *name, *bloc;
	int		 military;
};
struct demo_dept {
	const char	*code, *name;
};
struct demo_family {
	const char	*name;		/* printf template or a plain name */
	int		 shop;		/* index into demo_shops */
};

extern const char *const demo_family[];
extern const int demo_family_weight[];
extern const char *const demo_middle_m[], *const demo_middle_f[];
extern const char *const demo_given_m[], *const demo_given_f[];
extern const struct demo_shop demo_shops[DEMO_NSHOPS];
extern const struct demo_dept demo_depts[DEMO_NDEPTS];
extern const struct demo_family demo_defence[], demo_civil[];
extern const char *const demo_customers[], *const demo_civil_customers[];
extern const char *const demo_research_t[], *const demo_mech_t[],
    *const demo_init_t[], *const demo_stages[];

#endif
