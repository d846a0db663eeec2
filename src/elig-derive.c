/*
 * elig-derive.c: what every evaluation of a snapshot reads besides its
 * rows, built once per snapshot (elig_snap_derive) and so kept in its copy
 * (snapcache-elig.c): each unit's members for the year, each person's joining
 * day as year, month and day and as text, the innovations' authorships
 * packed, the subjects an open case holds, the ledger of the year in a
 * column. The members in two threads, people cut between them.
 */
#include <stdlib.h>
#include <string.h>

#include "elig-int.h"
#include "par.h"

/* The units a person belongs to during the year, with their ancestors. */
static int
person_units(const struct elig_snap *sn, size_t p, int32_t *set, int max)
{
	uint32_t i0 = sn->stay_off[p], i1 = sn->stay_off[p + 1];
	int n = 0;

	for (uint32_t i = i0; i < i1 || (i == i0 && i0 == i1); i++) {
		int32_t u = i < i1 ? sn->stay[i] : sn->home[p];

		for (int k = 0; u >= 0 && k < 64; k++, u = sn->parent[u]) {
			int j;

			for (j = 0; j < n && set[j] != u; j++)
				;
			if (j == n && n < max)
				set[n++] = u;
		}
		if (i0 == i1)
			break;
	}
	return n;
}

/*
 * Members: people in the unit or below during the year, with a rating,
 * in the order of the people. A person in one unit all year (no stay of
 * the year but the home unit, or one stay) is filed under that unit only
 * (sn->dir), and is a member of the units of its subtree list (sn->sub:
 * the units whose chain of ancestors holds it); a person who moved is
 * filed under each unit of the year and their ancestors, each once
 * (sn->ext). So a person is written once, not once per level,
 * and a unit's members are its subtree's direct lists and its own moved
 * ones. The people are cut into parts, one per thread: each counts its
 * people per unit, then files them after those of the parts before it.
 * The first pass also converts each person's joining day (sn->joined_ymd,
 * sn->joined_text), which tenure clauses read, and packs the year, level
 * and kind of the innovations they authored (sn->authp).
 */
struct members_part {
	struct elig_snap *sn;
	size_t		 p0, p1;
	uint32_t	*dat, *eat;	/* nunit: counts, then where the next goes */
	int		 fill;
	const uint32_t	*ipack;		/* ninnov: elig_authp of each innovation */
};

/*
 * Each unit's chain: the unit, then its ancestors, each once (as
 * person_units walks them), into *off (nunit + 1) and *ch.
 */
static void
unit_chains(const struct elig_snap *sn, uint32_t **off, int32_t **ch)
{
	size_t n = 0, cap = sn->nunit * 6 + 16;
	int32_t set[128];

	*off = xmalloc((sn->nunit + 1) * sizeof **off);
	*ch = xmalloc(cap * sizeof **ch);
	for (size_t u0 = 0; u0 < sn->nunit; u0++) {
		int32_t u = (int32_t)u0;
		int k, m = 0;

		(*off)[u0] = (uint32_t)n;
		for (k = 0; u >= 0 && k < 64; k++, u = sn->parent[u]) {
			int j;

			for (j = 0; j < m && set[j] != u; j++)
				;
			if (j == m)
				set[m++] = u;
		}
		grow(ch, &cap, n + m, sizeof **ch);
		memcpy(*ch + n, set, m * sizeof *set);
		n += m;
	}
	(*off)[sn->nunit] = (uint32_t)n;
}

static void *
members_part(void *arg)
{
	struct members_part *m = arg;
	struct elig_snap *sn = m->sn;
	int32_t set[128];
	int yi = ELIG_NY - 1;

	for (size_t p = m->p0; p < m->p1; p++) {
		size_t s = sn->nunit + p;
		int n;

		if (!m->fill) {
			int y, mo, d;
			char day[11];

			date_to_ymd(sn->joined[p], &y, &mo, &d);
			sn->joined_ymd[p] = (uint32_t)(y * 12 + mo - 1) << 5 | (uint32_t)d;
			date_format_ymd(y, mo, d, day);
			memcpy(sn->joined_text + p * 10, day, 10);
			for (uint32_t k = sn->auth_off[p]; k < sn->auth_off[p + 1]; k++)
				sn->authp[k] = m->ipack[sn->auth[k]];
		}
		if (sn->rating[s * ELIG_NY + yi] == RT_NONE)
			continue;
		if (sn->stay_off[p + 1] - sn->stay_off[p] <= 1) {
			/* one unit all year (as person_units would take it) */
			int32_t u = sn->stay_off[p + 1] > sn->stay_off[p] ?
			    sn->stay[sn->stay_off[p]] : sn->home[p];

			if (u < 0)
				continue;
			if (m->fill)
				sn->dir[m->dat[u]++] = (uint32_t)s;
			else
				m->dat[u]++;
			continue;
		}
		n = person_units(sn, p, set, 128);
		for (int j = 0; j < n; j++)
			if (m->fill)
				sn->ext[m->eat[set[j]]++] = (uint32_t)s;
			else
				m->eat[set[j]]++;
	}
	return NULL;
}

/*
 * Where each part's people go in a unit's list: after those of the units
 * before it and of the parts before it (at[i][u] from counts), into off
 * (nunit + 1); the total.
 */
static uint32_t
part_offsets(const struct elig_snap *sn, uint32_t **at, int np, uint32_t *off)
{
	uint32_t total = 0;

	for (size_t u = 0; u < sn->nunit; u++) {
		off[u] = total;
		for (int i = 0; i < np; i++) {
			uint32_t n = at[i][u];

			at[i][u] = total;
			total += n;
		}
	}
	off[sn->nunit] = total;
	return total;
}

void
elig_snap_derive_members(struct elig_snap *sn)
{
	struct members_part m[ELIG_EVAL_THREADS];
	int np = sn->nperson > 4096 ? ELIG_EVAL_THREADS : 1;
	uint32_t *ch_off, *ipack = xmalloc((sn->ninnov + 1) * sizeof *ipack);
	uint32_t *dat[ELIG_EVAL_THREADS], *eat[ELIG_EVAL_THREADS], *cnt;
	int32_t *ch;

	sn->joined_ymd = xmalloc((sn->nperson + 1) * sizeof *sn->joined_ymd);
	sn->joined_text = xmalloc((sn->nperson + 1) * 10);
	sn->authp = xmalloc((sn->auth_off[sn->nperson] + 1) * sizeof *sn->authp);
	for (size_t i = 0; i < sn->ninnov; i++)
		ipack[i] = elig_authp(sn, (uint32_t)i);
	for (int i = 0; i < np; i++) {
		dat[i] = xcalloc(sn->nunit + 1, sizeof *dat[i]);
		eat[i] = xcalloc(sn->nunit + 1, sizeof *eat[i]);
		m[i] = (struct members_part){ sn, sn->nperson * i / np,
		    sn->nperson * (i + 1) / np, dat[i], eat[i], 0, ipack };
	}
	par_run(members_part, m, sizeof *m, np);
	sn->dir_off = xcalloc(sn->nunit + 1, sizeof *sn->dir_off);
	sn->ext_off = xcalloc(sn->nunit + 1, sizeof *sn->ext_off);
	sn->dir = xmalloc((part_offsets(sn, dat, np, sn->dir_off) + 1) * sizeof *sn->dir);
	sn->ext = xmalloc((part_offsets(sn, eat, np, sn->ext_off) + 1) * sizeof *sn->ext);
	for (int i = 0; i < np; i++)
		m[i].fill = 1;
	par_run(members_part, m, sizeof *m, np);
	for (int i = 0; i < np; i++) {
		free(dat[i]);
		free(eat[i]);
	}
	free(ipack);
	/* each unit's subtree: the units whose chain holds it */
	unit_chains(sn, &ch_off, &ch);
	cnt = xcalloc(sn->nunit + 1, sizeof *cnt);
	sn->sub_off = xcalloc(sn->nunit + 1, sizeof *sn->sub_off);
	sn->sub = xmalloc((ch_off[sn->nunit] + 1) * sizeof *sn->sub);
	for (uint32_t j = 0; j < ch_off[sn->nunit]; j++)
		cnt[ch[j]]++;
	part_offsets(sn, &cnt, 1, sn->sub_off);
	for (size_t v = 0; v < sn->nunit; v++)
		for (uint32_t j = ch_off[v]; j < ch_off[v + 1]; j++)
			sn->sub[cnt[ch[j]]++] = (int32_t)v;
	sn->nmem = xcalloc(sn->nunit + 1, sizeof *sn->nmem);
	for (size_t u = 0; u < sn->nunit; u++) {
		uint32_t n = sn->ext_off[u + 1] - sn->ext_off[u];

		for (uint32_t j = sn->sub_off[u]; j < sn->sub_off[u + 1]; j++)
			n += sn->dir_off[sn->sub[j] + 1] - sn->dir_off[sn->sub[j]];
		sn->nmem[u] = n;
	}
	free(cnt);
	free(ch_off);
	free(ch);
}

void
elig_snap_derive(struct elig_snap *sn)
{
	elig_snap_derive_members(sn);
	sn->held = xcalloc(sn->nsubj + 1, 1);
	sn->hist_y = xcalloc(sn->nsubj + 1, sizeof *sn->hist_y);
	for (size_t s = 0; s < sn->nsubj; s++) {
		sn->held[s] = elig_held(sn, s) != NULL;
		sn->hist_y[s] = sn->hist[s * ELIG_NY + ELIG_NY - 1];
	}
}
