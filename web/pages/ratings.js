// pages/ratings.js: the year-end rating grid. For a unit the user may
// write (picked by name), its members (the unit's subtree) with last
// year's rating, this year's score and rank in the regular movement and
// the rating that score suggests (GET /movements/{code}/scores), the
// rating stored, and their eligibility for Chiến sĩ tiên tiến and Chiến
// sĩ thi đua cơ sở. Keyboard first: arrows and Enter move between the
// rating cells, typing completes HTXSNV/HTTNV/HTNV/KHTNV; a column pasted
// from Excel fills the cells downward; each cell is checked as it is
// typed; one save writes every change all or nothing (POST /ratings),
// then the eligibility columns are read again.
import { api, all, get, ApiError } from '../api.js';
import { t, num } from '../i18n.js';
import { h, card, message, ratingBadge, badge, subjectLink, csvDownload } from '../ui.js';
import { ref, ancestors, kids, pageYear, invalidate } from '../data.js';
import { picker } from '../picker.js';
import { go } from '../app.js';

export const RATINGS = ['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV'];
const AWARDS = ['CSTT', 'CSTDCS'];
// The most people one grid shows (a unit with more offers its sub-units).
const GRID_MAX = 2000;
const coll = new Intl.Collator('vi');

// The code a typed prefix stands for: the only rating it begins, else null.
export function complete(prefix) {
	const p = prefix.trim().toUpperCase();
	const m = RATINGS.filter((c) => c.startsWith(p));
	return p && m.length === 1 ? m[0] : null;
}

// The regular movement of people ending in year whose scope holds unit.
async function regular(r, unit, year) {
	const list = (await get('/movements')).movements || [];
	const up = new Set(await ancestors(r, unit));
	return list.find((m) => m.kind === 'regular' && m.subjects === 'person' && String(m.end).startsWith(String(year)) && up.has(m.scope));
}

// The verdicts of the unit's subtree only (GET /eligibility?unit=), at
// most a grid's worth: the whole award's list was 89 MB at a million
// people. A unit the year's evaluation does not know (created since) has
// none.
async function verdicts(year, unit, members) {
	const out = new Map();
	await Promise.all(AWARDS.map(async (award) => {
		const d = await get('/eligibility', { year, award, unit, verdict: 'eligible,over_quota,held', limit: GRID_MAX })
			.catch((e) => { if (e instanceof ApiError && e.status === 404) return {}; throw e; });
		for (const v of d.results || []) if (members.has(v.subject) && v.award === award) out.set(`${v.subject}/${award}`, v.verdict);
	}));
	return out;
}

export async function render(root, params, ctx) {
	const r = await ref();
	const year = await pageYear(r, ctx, params);
	const unit = params.query.get('unit') || ctx.user.unit || (r.roots[0] && r.roots[0].code);
	root.append(h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('grid.title')), h('p', { class: 'muted' }, t('grid.intro'))),
		chooser(unit, year)));
	// the members: one page of the subtree's people (GET /people?unit=); a
	// unit larger than a grid (its summary's count says) is not drawn: its
	// sub-units are offered instead
	const size = await get(`/units/${encodeURIComponent(unit)}/summary`).then((d) => d.people, () => 0);
	const page = size > GRID_MAX ? { total: size, next_offset: GRID_MAX } : await get('/people', { unit, limit: GRID_MAX });
	if (page.next_offset !== null && page.next_offset !== undefined) {
		const subs = await kids(r, unit);
		root.append(card(t('grid.title'), h('p', { id: 'grid-too-big' }, t('grid.toobig', num(page.total), num(GRID_MAX))),
			h('ul', { class: 'tree' }, subs.map((u) => h('li', {},
				h('a', { href: `#/ratings?${new URLSearchParams({ unit: u.code, year })}` }, u.name), h('span', { class: 'cnt' }, u.code))))));
		return;
	}
	const people = page.items.filter((p) => !p.left)
		.sort((a, b) => coll.compare(a.name.split(' ').pop(), b.name.split(' ').pop()) || coll.compare(a.name, b.name));
	const members = new Set(people.map((p) => p.code));
	const [last, now, mv, elig] = await Promise.all([
		all('/ratings', { unit, year: year - 1 }), all('/ratings', { unit, year }), regular(r, unit, year), verdicts(year, unit, members)]);
	const lastOf = new Map(last.map((x) => [x.subject, x.rating]));
	const stored = new Map(now.map((x) => [x.subject, x]));
	const scores = new Map();
	// the unit's participants only (the movement's whole document was
	// 26 MB for 110,000 people)
	if (mv) for (const s of (await get(`/movements/${encodeURIComponent(mv.code)}/scores`, { unit })).results || []) scores.set(s.subject, s);

	const status = h('div', { id: 'grid-status', 'aria-live': 'polite' });
	const count = h('span', { id: 'grid-count', class: 'muted', 'aria-live': 'polite' });
	const cells = [];
	// Rows only the administrator changes, as GET /api/v1/me says ("locked").
	const lockedSources = ((ctx.user.locked || {}).ratings || {}).source || [];
	const eligCell = (code, award) => {
		const v = elig.get(`${code}/${award}`) || 'ineligible';
		return h('td', { class: 'elig', dataset: { award, verdict: v } }, badge('verdict', v));
	};
	const rows = people.map((p, i) => {
		const s = scores.get(p.code);
		const have = stored.get(p.code);
		const locked = have && lockedSources.includes(have.source);
		const err = h('div', { class: 'ferr', id: `g-err-${i}` });
		const input = h('input', {
			type: 'text', class: 'grid-cell', id: `g-r-${p.code}`, value: have ? have.rating : '', maxlength: 6, size: 7,
			autocomplete: 'off', spellcheck: 'false', 'aria-label': t('grid.cell', p.name), 'aria-describedby': err.id,
			placeholder: s && s.rating ? s.rating : '', readonly: locked ? true : undefined, title: locked ? t('grid.locked', have.source) : undefined,
			dataset: { row: i, subject: p.code, stored: have ? have.rating : '' },
		});
		cells.push({ input, err, p, suggested: s ? s.rating : null });
		return h('tr', { dataset: { subject: p.code } },
			h('td', {}, subjectLink(p.code, p.name), h('span', { class: 'muted small' }, ` ${p.code}`)),
			h('td', {}, p.unit),
			h('td', {}, lastOf.get(p.code) ? ratingBadge(lastOf.get(p.code)) : '–'),
			h('td', { class: 'num' }, s && s.score !== null && s.score !== undefined ? num(s.score) : '–'),
			h('td', { class: 'num' }, s && s.rank ? num(s.rank) : '–'),
			h('td', { class: 'suggested' }, s && s.rating ? ratingBadge(s.rating) : '–'),
			h('td', {}, input, err),
			...AWARDS.map((a) => eligCell(p.code, a)));
	});

	const check = (c) => {
		const v = c.input.value.trim().toUpperCase();
		let msg = '';
		if (v && !RATINGS.includes(v)) msg = t('grid.bad', RATINGS.join(', '));
		else if (!v && c.input.dataset.stored) msg = t('grid.noclear');
		c.err.textContent = msg;
		if (msg) c.input.setAttribute('aria-invalid', 'true');
		else c.input.removeAttribute('aria-invalid');
		c.input.closest('tr').classList.toggle('changed', v !== c.input.dataset.stored);
		return !msg;
	};
	const changed = () => cells.filter((c) => c.input.value.trim().toUpperCase() !== c.input.dataset.stored);
	const recount = () => { count.textContent = t('grid.changed', changed().length); };
	const move = (i, d) => {
		const c = cells[Math.max(0, Math.min(cells.length - 1, i + d))];
		c.input.focus();
		c.input.select();
	};
	for (const [i, c] of cells.entries()) {
		c.input.addEventListener('keydown', (ev) => {
			if (ev.key === 'ArrowDown' || (ev.key === 'Enter' && !ev.shiftKey)) { ev.preventDefault(); move(i, 1); }
			else if (ev.key === 'ArrowUp' || (ev.key === 'Enter' && ev.shiftKey)) { ev.preventDefault(); move(i, -1); }
		});
		c.input.addEventListener('input', (ev) => {
			// type-ahead: a prefix that only one rating begins becomes that rating
			if (!String(ev.inputType || '').startsWith('delete')) {
				const typed = c.input.value;
				const full = complete(typed);
				if (full && full !== typed.toUpperCase()) {
					c.input.value = full;
					c.input.setSelectionRange(typed.length, full.length);
				} else c.input.value = typed.toUpperCase();
			}
			check(c);
			recount();
		});
		c.input.addEventListener('paste', (ev) => {
			// a column from a spreadsheet: one value a line, from this row down
			const text = (ev.clipboardData || window.clipboardData).getData('text/plain');
			const lines = text.replace(/\r/g, '').split('\n').map((x) => x.split('\t')[0].trim());
			while (lines.length && lines[lines.length - 1] === '') lines.pop();
			if (lines.length <= 1 && !text.includes('\n')) return;
			ev.preventDefault();
			lines.forEach((v, k) => {
				const d = cells[i + k];
				if (!d || d.input.readOnly) return;
				d.input.value = v.toUpperCase();
				check(d);
			});
			recount();
			status.replaceChildren(message('info', t('grid.pasted', Math.min(lines.length, cells.length - i))));
		});
	}

	const save = h('button', { type: 'button', class: 'btn btn-primary', id: 'grid-save' }, t('grid.save'));
	const suggest = h('button', { type: 'button', class: 'btn', id: 'grid-suggest', disabled: !mv }, t('grid.suggest'));
	suggest.addEventListener('click', () => {
		for (const c of cells) if (!c.input.value && c.suggested && !c.input.readOnly) { c.input.value = c.suggested; check(c); }
		recount();
	});
	save.addEventListener('click', async () => {
		status.replaceChildren();
		const bad = cells.filter((c) => !check(c));
		if (bad.length) {
			bad[0].input.focus();
			status.replaceChildren(message('error', t('grid.fix', bad.length)));
			return;
		}
		const todo = changed();
		if (!todo.length) { status.replaceChildren(message('info', t('grid.nothing'))); return; }
		const body = todo.map((c) => ({ year: String(year), subject: c.p.code, rating: c.input.value.trim().toUpperCase(), source: 'hand' }));
		save.disabled = true;
		try {
			const doc = await api('POST', '/ratings', body);
			invalidate();
			for (const c of todo) { c.input.dataset.stored = c.input.value.trim().toUpperCase(); check(c); }
			recount();
			status.replaceChildren(message('ok', t('grid.saved', doc.written ?? todo.length)));
			// eligibility follows the ratings just saved
			const fresh = await verdicts(year, unit, members);
			for (const td of grid.querySelectorAll('td.elig')) {
				const v = fresh.get(`${td.closest('tr').dataset.subject}/${td.dataset.award}`) || 'ineligible';
				td.dataset.verdict = v;
				td.replaceChildren(badge('verdict', v));
			}
			grid.dataset.refreshed = String(Number(grid.dataset.refreshed || 0) + 1);
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			const list = e.errors.length ? e.errors : [{ field: e.field, message: e.message }];
			let first = null;
			for (const x of list) {
				const m = /^\[(\d+)\]/.exec(String(x.field || ''));
				const c = m ? todo[Number(m[1])] : null;
				if (!c) continue;
				c.input.setAttribute('aria-invalid', 'true');
				c.err.textContent = x.message;
				first = first || c;
			}
			if (first) first.input.focus();
			status.replaceChildren(message('error', first ? t('grid.refused') : e.message));
		} finally {
			save.disabled = false;
		}
	});

	const grid = h('table', { class: 'rating-grid', id: 'rating-grid' },
		h('caption', {}, t('grid.caption', (r.byCode.get(unit) || {}).name || unit, year, people.length)),
		h('thead', {}, h('tr', {}, [t('common.name'), t('common.unit'), t('grid.last', year - 1), t('grid.score'), t('grid.rank'),
			t('grid.suggested'), t('grid.rating', year), t('grid.elig.CSTT'), t('grid.elig.CSTDCS')].map((x) => h('th', { scope: 'col' }, x)))),
		h('tbody', {}, rows));
	root.append(card(mv ? t('grid.movement', mv.name && (mv.name.vi || mv.name), mv.code) : t('grid.nomovement', year),
		status, h('div', { class: 'inline-form' }, save, suggest, count),
		// the grid as shown (typed ratings included), as CSV and as XLSX
		h('p', { class: 'small', id: 'grid-downloads' }, csvDownload(`ratings-${unit}-${year}.csv`, [
			{ label: 'subject', value: (c) => c.p.code }, { label: 'name', value: (c) => c.p.name }, { label: 'unit', value: (c) => c.p.unit },
			{ label: `rating_${year - 1}`, value: (c) => lastOf.get(c.p.code) || '' },
			{ label: 'score', value: (c) => (scores.get(c.p.code) || {}).score ?? '' }, { label: 'rank', value: (c) => (scores.get(c.p.code) || {}).rank ?? '' },
			{ label: 'suggested', value: (c) => c.suggested || '' }, { label: `rating_${year}`, value: (c) => c.input.value.trim().toUpperCase() },
			...AWARDS.map((a) => ({ label: a, value: (c) => c.input.closest('tr').querySelector(`td.elig[data-award="${a}"]`).dataset.verdict })),
		], () => cells, true)),
		h('div', { class: 'table-wrap' }, grid)));
	recount();
	root.dataset.ready = '1';
}

function chooser(unit, year) {
	const u = h('input', { id: 'g-unit', type: 'text', value: unit });
	const y = h('input', { id: 'g-year', type: 'number', value: year, min: 1990, max: 2100 });
	const submit = (ev) => { ev.preventDefault(); go(`#/ratings?${new URLSearchParams({ unit: u.value.trim(), year: y.value })}`); };
	return h('form', { class: 'inline-form', onsubmit: submit },
		h('div', { class: 'field' }, h('label', { for: 'g-unit' }, t('field.unit')), u, picker(u, 'unit')),
		h('div', { class: 'field' }, h('label', { for: 'g-year' }, t('common.year')), y),
		h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('common.apply'))));
}
