// pages/movements.js: movements and campaigns. Lists the movements that
// have targets, with their live standings (GET /movements/{code}/scores),
// their targets (edited through the targets kind), how a movement is
// created or changed (YAML + `thidua movement load`), and the raid
// campaigns suggested from the tasks at risk.
import { get, all, ApiError } from '../api.js';
import { t, num } from '../i18n.js';
import { h, card, table, badge, ratingBadge, message, subjectLink, today } from '../ui.js';
import { ref, nameOf, invalidate } from '../data.js';
import { atRisk, taskLink } from './risk.js';
import { kindForm } from './entry.js';

// Movement codes known from their targets (sorted).
export async function movementCodes() {
	const targets = await all('/targets');
	return [...new Set(targets.map((x) => x.movement))].sort();
}

// The API lists no movement dates yet: the current ones carry the year in their code.
export function ofYear(codes, day) {
	const re = new RegExp(`(^|\\D)${day.slice(0, 4)}(\\D|$)`);
	return codes.filter((c) => re.test(c));
}

// A standings table of one scores document; top n rows when n is given.
export function standings(doc, r, n) {
	const rows = n ? doc.results.filter((x) => x.rank <= n || !x.rank).slice(0, n * 3) : doc.results;
	const byGroup = new Map();
	for (const x of rows) {
		if (!byGroup.has(x.group)) byGroup.set(x.group, []);
		byGroup.get(x.group).push(x);
	}
	const box = h('div', { class: 'standings', dataset: { movement: doc.movement } },
		h('h3', {}, h('a', { href: `#/movements/${encodeURIComponent(doc.movement)}` }, doc.movement),
			h('span', { class: 'muted small' }, `${t('common.as_of')} ${doc.as_of}`)));
	for (const [g, list] of byGroup) {
		box.append(table([
			{ label: t('mv.rank'), num: true, cell: (x) => x.rank ?? '–' },
			{ label: `${t('mv.subject')}${g ? ` · ${g}` : ''}`, cell: (x) => subjectLink(x.subject, x.name || nameOf(r, x.subject) || x.subject) },
			{ label: t('mv.score'), num: true, cell: (x) => num(x.score, 1) },
			{ label: t('mv.rating'), cell: (x) => [x.rating ? ratingBadge(x.rating) : '–',
				x.vetoed ? h('span', { class: 'tag' }, t('mv.vetoed')) : null] },
		], list.slice(0, n || list.length)));
	}
	return box;
}

export async function render(root, params, ctx) {
	const r = await ref();
	root.append(h('div', { class: 'page-head' }, h('h1', {}, t('mv.title'))));
	const codes = await movementCodes();
	const grid = h('div', { class: 'grid' });
	root.append(grid);
	const left = h('div', { class: 'span-7 stack' });
	const right = h('div', { class: 'span-5 stack' });
	grid.append(left, right);

	const code = params.code || codes[0];
	// This year's movements as tabs, every movement in a list.
	const current = ofYear(codes, today());
	const pick = h('select', { id: 'mv-pick', onchange: (ev) => { location.hash = `#/movements/${encodeURIComponent(ev.target.value)}`; } },
		codes.map((c) => h('option', { value: c, selected: c === code }, c)));
	left.append(h('div', { class: 'page-head' },
		h('nav', { class: 'tabs', 'aria-label': t('mv.title') }, codes.filter((c) => current.includes(c) || c === code).map((c) =>
			h('a', { href: `#/movements/${encodeURIComponent(c)}`, 'aria-current': c === code ? 'page' : false }, c))),
		h('div', { class: 'field' }, h('label', { for: 'mv-pick' }, t('mv.all')), pick)));
	if (!code) left.append(card(null, h('p', { class: 'muted' }, t('mv.none'))));
	else {
		try {
			const doc = await get(`/movements/${encodeURIComponent(code)}/scores`, { as_of: today() });
			left.append(card(t('mv.standings'), standings(doc, r)));
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			left.append(message('warn', e.message));
		}
		const targets = (await all('/targets')).filter((x) => x.movement === code);
		left.append(card(t('mv.targets'), table([
			{ label: t('mv.subject'), cell: (x) => subjectLink(x.subject, nameOf(r, x.subject) || x.subject) },
			{ label: t('mv.criterion'), key: 'criterion' },
			{ label: t('mv.target'), num: true, cell: (x) => num(x.target, 2) },
		], targets, { empty: t('common.none') })));
	}
	right.append(card(t('mv.targets.edit'), kindForm('targets', { movement: code || '' }, () => {
		invalidate();
		location.hash = `#/movements/${encodeURIComponent(code || '')}`;
	})));
	right.append(card(t('mv.create'), h('p', {}, t('mv.create.hint')),
		h('pre', { class: 'code' }, 'thidua movement load movement.yaml')));
	const sched = await get('/schedule', { as_of: today() });
	const risky = atRisk(sched).filter((k) => k.hard);
	right.append(card(t('mv.suggest'), risky.length ? h('ul', {}, risky.map((k) =>
		h('li', {}, taskLink(k.task, sched), ' ', badge('status', k.status),
			' · ', h('a', { href: `#/task/${encodeURIComponent(k.task)}?campaign=1` }, t('task.campaign')))))
		: h('p', { class: 'muted' }, t('dash.risk.none'))));
}
