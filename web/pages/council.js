// pages/council.js: the council's view. Who is eligible this year, award
// by award (from the eligibility report), and the awards already decided
// (the awards kind, which lists decided awards with their decision).
// Proposals, ballots and decisions have no HTTP API yet: the page says
// which commands do them.
import { get, all, ApiError } from '../api.js';
import { t, label, num, date } from '../i18n.js';
import { h, card, table, message, subjectLink } from '../ui.js';
import { ref, nameOf } from '../data.js';

export async function render(root, params, ctx) {
	const r = await ref();
	const scope = ctx.user.unit || (r.roots[0] && r.roots[0].code);
	const summary = await get(`/units/${encodeURIComponent(scope)}/summary`);
	const year = Number(params.query.get('year')) || summary.year || new Date().getFullYear();
	root.append(h('div', { class: 'page-head' }, h('h1', {}, t('council.title'))));
	root.append(message('info', t('council.proposals')));
	const grid = h('div', { class: 'grid' });
	root.append(grid);
	let elig;
	try {
		const doc = await get('/eligibility', { year });
		const by = new Map();
		for (const x of doc.results) {
			if (x.verdict !== 'eligible') continue;
			if (!by.has(x.award)) by.set(x.award, []);
			by.get(x.award).push(x.subject);
		}
		elig = table([
			{ label: t('council.award'), cell: ([a]) => [label('award', a), h('span', { class: 'tag' }, a)] },
			{ label: t('council.count'), num: true, cell: ([, s]) => num(s.length) },
			{ label: t('common.name'), cell: ([, s]) => s.slice(0, 12).flatMap((c, i) => [i ? ', ' : '', subjectLink(c, nameOf(r, c) || c)]).concat(s.length > 12 ? ['…'] : []) },
		], [...by.entries()], { empty: t('common.none') });
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 401) throw e;
		elig = message('warn', e.message);
	}
	const decided = await all('/awards', { year });
	grid.append(h('div', { class: 'span-6' }, card(t('council.eligible', year), elig)),
		h('div', { class: 'span-6' }, card(t('council.decided'), table([
			{ label: t('common.name'), cell: (a) => subjectLink(a.subject, nameOf(r, a.subject) || a.subject) },
			{ label: t('council.award'), cell: (a) => label('award', a.award) },
			{ label: t('council.decision'), cell: (a) => [a.decision || '–', a.date ? ` (${date(a.date)})` : ''] },
		], decided, { empty: t('dash.awards.none') }))));
}
