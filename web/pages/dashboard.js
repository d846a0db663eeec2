// pages/dashboard.js: Tổng quan. For the user's scope: key tasks at risk
// (hard tasks first) with their cause and who they hold up; the movements
// and campaigns with live standings; indicator growth (against the base
// year and year over year); the year's ratings and decided awards.
// Marks performance 'dashboard-ready' when everything is drawn.
import { get, all, ApiError } from '../api.js';
import { t, label, num } from '../i18n.js';
import { h, card, table, badge, message, today, downloads } from '../ui.js';
import { ref, nameOf, known } from '../data.js';
import { riskList } from './risk.js';
import { standings, movementList, current } from './movements.js';
import { verdictTable, decidedTable } from './elig.js';
import { may } from '../caps.js';

export async function render(root, params, ctx) {
	const t0 = performance.now();
	const r = await ref();
	const scope = ctx.user.unit || (r.roots[0] && r.roots[0].code);
	const asOf = params.query.get('as_of') || today();
	const head = h('div', { class: 'page-head' },
		h('div', {}, h('h1', {}, t('dash.title')),
			h('p', { class: 'muted' }, `${t('dash.scope')}: ${nameOf(r, scope) || scope}`)),
		asOfForm(asOf));
	root.append(head);
	if (!scope) return;

	// Every card has its place from the start and is drawn as soon as its
	// own requests answer (the first ones within a few tens of ms), not
	// when the slowest report of the page is in.
	const slot = () => h('div', { class: 'slot' });
	const at = { risk: slot(), cstdcs: slot(), kpis: slot(), growth: slot(), campaigns: slot(), pending: slot(), awards: slot() };
	const grid = h('div', { class: 'grid' },
		h('div', { class: 'span-7 stack' }, at.risk, at.cstdcs),
		h('div', { class: 'span-5 stack' }, at.kpis, at.growth, at.campaigns, at.pending, at.awards));
	root.append(grid);
	const fill = (k, node) => { if (node) at[k].replaceWith(node); else at[k].remove(); };

	const summaryP = get(`/units/${encodeURIComponent(scope)}/summary`);
	const yearP = summaryP.then((s) => s.year || Number(asOf.slice(0, 4)));
	const parts = [
		get('/schedule', { as_of: asOf }).then(async (sched) => {
			await known(r, sched.tasks.map((k) => k.unit));
			fill('risk', card(t('dash.risk'), h('p', { class: 'muted small' }, t('dash.risk.hint')), riskList(sched, r)));
		}),
		summaryP.then((summary) => fill('kpis', card(t('dash.ratings', summary.year || Number(asOf.slice(0, 4))), kpis(summary)))),
		all('/indicators', { unit: scope }).then((ind) => growth(ind, scope, params.query))
			.then((box) => fill('growth', card(t('dash.growth'), box))),
		movementList().then((moves) => campaigns(current(moves, asOf), asOf, r))
			.then((box) => fill('campaigns', card(t('dash.campaigns'), box))),
		Promise.all([yearP, pendingProposals()]).then(([year, pending]) =>
			fill('pending', pending ? card(t('dash.pending'), pendingTable(pending, year)) : null)),
		yearP.then(async (year) => {
			const awards = (await get('/awards', { year, limit: 15 })).items;
			await known(r, awards.map((a) => a.subject));
			fill('awards', card(t('dash.awards', year), decidedTable(awards, r, { year })));
		}),
		yearP.then(async (year) => {
			// the first ten eligible and every verdict's count (limit: the
			// whole list was 101 MB at a million people)
			const cstdcs = await get('/eligibility', { year, award: 'CSTDCS', verdict: 'eligible', limit: 10 });
			await known(r, cstdcs.results.filter((v) => v.verdict === 'eligible').slice(0, 10).map((v) => v.subject));
			fill('cstdcs', card(t('dash.cstdcs', year), eligibleCard(cstdcs, r, year)));
		}),
	];
	await Promise.all(parts);
	performance.mark('dashboard-ready');
	const ms = Math.round(performance.now() - t0);
	root.dataset.ready = '1';
	root.append(h('p', { class: 'perf', id: 'perf' }, `${t('dash.load')}: ${ms} ms`));
}

function asOfForm(asOf) {
	const input = h('input', { type: 'date', id: 'as-of', name: 'as_of', value: asOf });
	return h('form', {
		class: 'inline-form',
		onsubmit: (ev) => { ev.preventDefault(); location.hash = `#/?as_of=${input.value}`; },
	}, h('div', { class: 'field' }, h('label', { for: 'as-of' }, t('common.as_of')), input),
	h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('common.apply'))));
}

function kpis(s) {
	const box = (n, text, title) => h('div', { class: 'kpi', title }, h('b', {}, num(n)), h('span', {}, text));
	return h('div', {},
		h('div', { class: 'kpis' }, box(s.units, t('dash.units')), box(s.people, t('dash.people')), box(s.awards, t('dash.awards.count'))),
		h('div', { class: 'kpis kpis-4' }, ['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV'].map((k) =>
			box((s.ratings || {})[k] || 0, k, label('rating', k)))));
}

async function campaigns(list, asOf, r) {
	if (!list.length) return h('p', { class: 'muted' }, t('dash.campaigns.none'));
	const docs = await Promise.all(list.map((m) =>
		// each group's best five, at most fifteen rows (standings' own
		// cut), chosen by the server: a movement's whole document was
		// 26 MB for 110,000 people
		get(`/movements/${encodeURIComponent(m.code)}/scores`, { as_of: asOf, top: 5, limit: 15 }).catch((e) => {
			if (!(e instanceof ApiError) || e.status === 401) throw e;
			return message('warn', `${m.code}: ${e.message}`);
		})));
	await known(r, docs.flatMap((d) => (d instanceof Node ? [] : d.results.filter((x) => !x.name).slice(0, 15).map((x) => x.subject))));
	return h('div', { class: 'stack' }, docs.map((d, i) => (d instanceof Node ? d : standings(d, r, 5, list[i]))));
}

// Who is eligible for Chiến sĩ thi đua cơ sở, and why (the first 10; the council page has all).
function eligibleCard(doc, r, year) {
	// only the first eligible are sent; counts has every verdict's number
	const list = doc.results.filter((v) => v.award === 'CSTDCS');
	const n = (v) => doc.counts[v];
	const ok = list.filter((v) => v.verdict === 'eligible');
	return h('div', { id: 'cstdcs' },
		h('p', {}, t('dash.cstdcs.count', num(n('eligible')), num(n('held')), num(n('ineligible')))),
		verdictTable(ok, r, 10, { year, award: 'CSTDCS', verdict: 'eligible' }),
		h('p', {}, h('a', { href: `#/council?year=${year}&award=CSTDCS` }, t('council.more', num(n('eligible'))))));
}

// Proposals not decided yet; null when the server or the role has none.
async function pendingProposals() {
	if (!may('GET', '/proposals')) return null;
	return (await get('/proposals')).proposals.filter((p) => p.state !== 'decided');
}

function pendingTable(list, year) {
	return h('div', {}, h('p', { class: 'small' }, downloads('/proposals')), table([
		{ label: '#', num: true, cell: (p) => h('a', { href: `#/council?year=${year}&award=${p.award}&proposal=${p.proposal}` }, String(p.proposal)) },
		{ label: t('council.award'), cell: (p) => `${label('award', p.award)} ${p.year}` },
		{ label: t('council.state'), cell: (p) => badge('pstate', p.state) },
	], list, { empty: t('dash.pending.none') }));
}


// Growth between two years (?from=&to=, default: the first and last with data).
async function growth(indicators, scope, query) {
	const years = [...new Set(indicators.map((i) => Number(i.year)))].sort((a, b) => a - b);
	if (years.length < 2) return h('p', { class: 'muted' }, t('dash.growth.none'));
	const pickYear = (k, dflt) => (years.includes(Number(query.get(k))) ? Number(query.get(k)) : dflt);
	const from = pickYear('from', years[0]);
	const to = Math.max(pickYear('to', years[years.length - 1]), from + 1);
	const doc = await get('/reports/growth', { from, to, unit: scope });
	const sel = (id, v) => h('select', { id, name: id }, years.map((y) => h('option', { value: y, selected: y === v }, String(y))));
	const fromSel = sel('g-from', from);
	const toSel = sel('g-to', to);
	const box = h('div', {}, h('form', {
		class: 'inline-form',
		onsubmit: (ev) => {
			ev.preventDefault();
			query.set('from', fromSel.value);
			query.set('to', toSel.value);
			location.hash = `#/?${query}`;
		},
	}, h('div', { class: 'field' }, h('label', { for: 'g-from' }, t('dash.growth.from')), fromSel),
	h('div', { class: 'field' }, h('label', { for: 'g-to' }, t('dash.growth.to')), toSel),
	h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('common.apply')))));
	const idx = h('canvas', { id: 'chart-index', role: 'img', 'aria-label': t('dash.growth.index', from) });
	const yoy = h('canvas', { id: 'chart-yoy', role: 'img', 'aria-label': t('dash.growth.yoy') });
	box.append(h('h3', {}, t('dash.growth.index', from)), h('div', { class: 'chart-box' }, idx),
		h('h3', {}, t('dash.growth.yoy')), h('div', { class: 'chart-box' }, yoy),
		h('p', { class: 'small' }, downloads('/reports/growth', { from, to, unit: scope })),
		table([
			{ label: t('field.kind'), cell: (g) => indicatorName(g) },
			{ label: `${from}`, num: true, cell: (g) => num(g.from_value) },
			{ label: `${to}`, num: true, cell: (g) => num(g.to_value) },
			{ label: `${to}/${from}`, num: true, cell: (g) => `${num(g.ratio, 2)}×` },
			{ label: t('dash.growth.cagr'), num: true, cell: (g) => `${num((g.cagr || 0) * 100, 1)}%` },
		], doc.indicators));
	drawCharts(doc, idx, yoy);
	return box;
}

export function indicatorName(g) {
	const l = label('indicator', g.indicator);
	return l !== g.indicator ? l : (g.name || g.indicator);
}

const palette = ['#1d4e89', '#c0392b', '#2e8b57', '#b8860b', '#6a3d9a', '#1f8fa6', '#7f7f7f'];

function drawCharts(doc, idx, yoy) {
	const Chart = window.Chart;
	if (!Chart) return;
	const years = [];
	for (let y = doc.from; y <= doc.to; y++) years.push(y);
	const common = {
		animation: false, responsive: true, maintainAspectRatio: false,
		plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
	};
	new Chart(idx, {
		type: 'line',
		data: {
			labels: years,
			datasets: doc.indicators.map((g, i) => {
				let v = 1;
				const byYear = new Map((g.yoy || []).map((p) => [p.year, p.ratio]));
				return {
					label: indicatorName(g), borderColor: palette[i % palette.length],
					backgroundColor: palette[i % palette.length], tension: .2,
					data: years.map((y) => {
						if (y === doc.from) return 1;
						const q = byYear.get(y);
						v = q === undefined || q === null ? null : v * q;
						return v === null ? null : Number(v.toFixed(3));
					}),
				};
			}),
		},
		options: common,
	});
	new Chart(yoy, {
		type: 'bar',
		data: {
			labels: years.slice(1),
			datasets: doc.indicators.map((g, i) => {
				const byYear = new Map((g.yoy || []).map((p) => [p.year, p.ratio]));
				return {
					label: indicatorName(g), backgroundColor: palette[i % palette.length],
					data: years.slice(1).map((y) => {
						const q = byYear.get(y);
						return q === undefined || q === null ? null : Number(((q - 1) * 100).toFixed(2));
					}),
				};
			}),
		},
		options: common,
	});
}
