// pages/movements.js: movements and campaigns. Lists the movements that
// have targets, with their live standings (GET /movements/{code}/scores),
// their targets (edited through the targets kind), a form to create or
// edit a movement by its YAML (POST /movements; pre-filled with the
// movement shown), the raid campaigns suggested from the tasks at risk, and
// for an administrator on a campaign, prompt recognition of its best.
import { get, all, api, ApiError } from '../api.js';
import { t, num, lang, label } from '../i18n.js';
import { may } from '../caps.js';
import { h, card, table, badge, ratingBadge, message, subjectLink, today, columns, downloads, csvDownload } from '../ui.js';
import { ref, nameOf, invalidate, known } from '../data.js';
import { atRisk, taskLink } from './risk.js';
import { kindForm } from './entry.js';
import { go } from '../app.js';

// The movements: GET /movements when the server has it ({code, name,
// kind, start, end}), else the codes that have targets (no dates).
export async function movementList() {
	if (may('GET', '/movements')) return (await get('/movements')).movements;
	const targets = await all('/targets');
	return [...new Set(targets.map((x) => x.movement))].sort().map((code) => ({ code }));
}

// The movements running on day (by their dates; without dates, by the
// year in the code), campaigns first, then the regular movement.
export function current(list, day) {
	const re = new RegExp(`(^|\\D)${day.slice(0, 4)}(\\D|$)`);
	const rank = { campaign: 0, regular: 1 };
	return list.filter((m) => (m.start && m.end ? m.start <= day && day <= m.end : re.test(m.code)))
		.sort((a, b) => (rank[a.kind] ?? 2) - (rank[b.kind] ?? 2));
}

export function mvName(m) {
	if (!m || !m.name) return m ? m.code : '';
	return typeof m.name === 'string' ? m.name : m.name[lang()] || m.name.vi || m.code;
}

// The rows a page of standings or targets shows.
const PAGE = 50;

// A movement's standings PAGE at a time, in the document's order (by
// group, then rank: GET /movements/{code}/scores?limit=&offset=, with its
// "total"), where the page read and drew every participant (26 MB and
// 110,000 rows for a regular movement of 110,000 people).
async function standingsPages(code, asOf, r, m) {
	let offset = 0;
	const body = h('div', { id: 'mv-standings' });
	const ask = () => get(`/movements/${encodeURIComponent(code)}/scores`, { as_of: asOf, limit: PAGE, offset });
	const draw = (doc) => {
		const step = (id, key, off, on) => h('button', {
			type: 'button', class: 'btn', id, disabled: !on, onclick: () => { offset = off; ask().then(draw, fail); },
		}, t(key));
		const n = doc.results.length;
		body.replaceChildren(standings(doc, r, 0, m), doc.total > n || offset > 0 ? h('div', { class: 'inline-form pager' },
			step('mv-prev', 'common.prev', Math.max(0, offset - PAGE), offset > 0),
			h('span', { class: 'muted small', id: 'mv-range' }, t('common.range', num(n ? offset + 1 : 0), num(offset + n), num(doc.total))),
			step('mv-next', 'common.next', offset + PAGE, offset + n < doc.total)) : null);
		body.dataset.offset = String(offset);
	};
	const fail = (e) => body.replaceChildren(message('error', e.message));
	draw(await ask());
	return body;
}

// A standings table of one scores document; top n rows when n is given.
export function standings(doc, r, n, m) {
	const rows = n ? doc.results.filter((x) => x.rank <= n || !x.rank).slice(0, n * 3) : doc.results;
	const byGroup = new Map();
	for (const x of rows) {
		if (!byGroup.has(x.group)) byGroup.set(x.group, []);
		byGroup.get(x.group).push(x);
	}
	const box = h('div', { class: 'standings', dataset: { movement: doc.movement } },
		h('h3', {}, h('a', { href: `#/movements/${encodeURIComponent(doc.movement)}` }, m && m.name ? mvName(m) : doc.movement),
			h('span', { class: 'muted small nowrap' }, m && m.kind ? `${label('mvkind', m.kind)} · ` : '', `${t('common.as_of')} ${doc.as_of}`)),
		h('p', { class: 'small' }, downloads(`/movements/${encodeURIComponent(doc.movement)}/scores`, { as_of: doc.as_of })));
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
	const list = await movementList();
	const now = current(list, today());
	const [left, right] = columns(root);
	let stored = null;

	const code = params.code || (now[0] || list[0] || {}).code;
	const m = list.find((x) => x.code === code);
	// This year's movements as tabs, every movement in a list.
	const pick = h('select', { id: 'mv-pick', onchange: (ev) => { location.hash = `#/movements/${encodeURIComponent(ev.target.value)}`; } },
		list.map((x) => h('option', { value: x.code, selected: x.code === code }, x.name ? `${x.code} · ${mvName(x)}` : x.code)));
	left.append(h('div', { class: 'page-head' },
		h('nav', { class: 'tabs', 'aria-label': t('mv.title') }, list.filter((x) => now.includes(x) || x.code === code).map((x) =>
			h('a', { href: `#/movements/${encodeURIComponent(x.code)}`, 'aria-current': x.code === code ? 'page' : false }, x.code))),
		h('div', { class: 'field' }, h('label', { for: 'mv-pick' }, t('mv.all')), pick)));
	if (!code) left.append(card(null, h('p', { class: 'muted' }, t('mv.none'))));
	else {
		if (may('GET', '/movements/{code}')) {
			stored = await get(`/movements/${encodeURIComponent(code)}`);
			left.append(card(mvName(m), definition(stored)));
		}
		try {
			// A campaign not begun yet (a raid just launched) is shown as of its first day.
			const asOf = m && m.start && today() < m.start ? m.start : today();
			left.append(card(t('mv.standings'), await standingsPages(code, asOf, r, m)));
			if (m && m.kind === 'campaign' && may('POST', '/movements/{code}/recognise')) {
				left.append(card(t('mv.recognise'), recogniseForm(code, m)));
			}
			if (m && m.kind === 'regular' && m.end && may('GET', '/movements/{code}/ratings')) {
				left.append(await ratingsCard(code, m, r, may('POST', '/movements/{code}/ratings')));
			}
		} catch (e) {
			if (!(e instanceof ApiError) || e.status === 401) throw e;
			left.append(message('warn', e.message));
		}
		// the movement's first PAGE targets (all of them: the download)
		const tg = await get('/targets', { movement: code, limit: PAGE });
		await known(r, tg.items.map((x) => x.subject));
		left.append(card(t('mv.targets'), h('p', { class: 'small' }, downloads('targets', { movement: code })),
			tg.total > tg.items.length ? h('p', { class: 'muted small', id: 'mv-targets-count' },
				t('common.range', num(1), num(tg.items.length), num(tg.total))) : null, table([
				{ label: t('mv.subject'), cell: (x) => subjectLink(x.subject, nameOf(r, x.subject) || x.subject) },
				{ label: t('mv.criterion'), key: 'criterion' },
				{ label: t('mv.target'), num: true, cell: (x) => num(x.target, 2) },
			], tg.items, { empty: t('common.none') })));
	}
	right.append(card(t('mv.targets.edit'), kindForm('targets', { movement: code || '' }, () => {
		invalidate();
		location.hash = `#/movements/${encodeURIComponent(code || '')}`;
	})));
	if (may('POST', '/movements')) {
		right.append(card(t('mv.create'), yamlForm(stored)));
	} else {
		right.append(card(t('mv.create'), h('p', {}, t('mv.create.hint')),
			h('pre', { class: 'code' }, 'thidua movement load movement.yaml')));
	}
	const sched = await get('/schedule', { as_of: today() });
	const risky = atRisk(sched).filter((k) => k.hard);
	right.append(card(t('mv.suggest'), risky.length ? h('ul', {}, risky.map((k) =>
		h('li', {}, taskLink(k.task, sched), ' ', badge('status', k.status),
			' · ', h('a', { href: `#/task/${encodeURIComponent(k.task)}?campaign=1` }, t('task.campaign')))))
		: h('p', { class: 'muted' }, t('dash.risk.none'))));
}

// Prompt recognition of a campaign (POST /movements/{code}/recognise, as
// thidua recognise): its best per group get a Giấy khen decided at once;
// then the council page shows the decision and its documents.
function recogniseForm(code, m) {
	const flash = h('div', { 'aria-live': 'polite' });
	const field = (id, key, attrs) => h('div', { class: 'field' }, h('label', { for: id }, t(key)), h('input', { id, ...attrs }));
	const form = h('form', { class: 'inline-form', id: 'mv-recognise' },
		field('rc-top', 'mv.recognise.top', { type: 'number', min: 1, max: 100, value: 3, required: true }),
		field('rc-number', 'council.number', { required: true }),
		field('rc-date', 'common.date', { type: 'date', value: today(), required: true }),
		field('rc-signer', 'council.signer', { required: true }),
		h('div', { class: 'field' }, h('button', { class: 'btn btn-primary', type: 'submit' }, t('mv.recognise.go'))));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		flash.replaceChildren();
		try {
			const doc = await api('POST', `/movements/${encodeURIComponent(code)}/recognise`, {
				top: Number(form.querySelector('#rc-top').value), number: form.querySelector('#rc-number').value,
				date: form.querySelector('#rc-date').value, signer: form.querySelector('#rc-signer').value,
			});
			invalidate();
			const year = (m.end || form.querySelector('#rc-date').value).slice(0, 4);
			go(`#/council?${new URLSearchParams({ year, award: 'GK', proposal: doc.proposal })}`);
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			flash.replaceChildren(message('error', e.field ? `${e.field}: ${e.message}` : e.message));
		}
	});
	return h('div', {}, h('p', { class: 'muted' }, t('mv.recognise.hint')), form, flash);
}

// The year's ratings from a regular movement's scores (GET/POST
// /movements/{code}/ratings, as thidua rate): the diff against the stored
// ratings, and for an administrator the button that applies it (ratings
// set by hand or by the council are kept).
async function ratingsCard(code, m, r, admin, note) {
	const year = Number(m.end.slice(0, 4));
	const path = `/movements/${encodeURIComponent(code)}/ratings`;
	const box = h('section', { class: 'card', id: 'mv-ratings' }, h('h2', {}, t('mv.rate', year)));
	let doc;
	try {
		// the first 20 changes (counts has every action's number; all of
		// them: the download): the whole diff was 14 MB for 110,000 people
		doc = await get(path, { year, changes: 1, limit: 20 });
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 401) throw e;
		box.append(message('warn', e.message));
		return box;
	}
	const c = doc.counts;
	box.append(h('p', {}, t('mv.rate.counts', num(c.new), num(c.change), num(c.same), num(c.kept))));
	const flash = h('div', { 'aria-live': 'polite' }, note || null);
	if (admin && c.new + c.change > 0) {
		box.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'mv-rate-apply', onclick: async () => {
			flash.replaceChildren();
			try {
				const done = await api('POST', path, { year });
				invalidate();
				box.replaceWith(await ratingsCard(code, m, r, admin,
					message('ok', t('mv.rate.done', num(done.counts.new + done.counts.change)))));
			} catch (e) {
				if (!(e instanceof ApiError)) throw e;
				flash.replaceChildren(message('error', e.message));
			}
		} }, t('mv.rate.apply')));
	}
	box.append(flash, h('p', { class: 'small' }, downloads(path, { year })),
		doc.total > doc.results.length ? h('p', { class: 'muted small', id: 'mv-rate-count' },
			t('common.range', num(1), num(doc.results.length), num(doc.total))) : null, table([
			{ label: t('mv.subject'), cell: (x) => subjectLink(x.subject, x.name || nameOf(r, x.subject)) },
			{ label: t('mv.score'), num: true, cell: (x) => num(x.score, 2) },
			{ label: t('mv.rate.new'), cell: (x) => ratingBadge(x.rating) },
			{ label: t('mv.rate.stored'), cell: (x) => (x.stored ? [ratingBadge(x.stored), ` ${label('source', x.stored_source)}`] : '–') },
			{ label: '', cell: (x) => badge('rateaction', x.action) },
		], doc.results, { class: 'rate-diff', empty: t('mv.rate.nothing') }));
	return box;
}

// A movement as stored: kind, dates, scope, and its criteria (weight, scoring, veto).
function definition(mv) {
	const scoring = (c) => (c.scoring ? Object.entries(c.scoring).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(', ') : '–');
	return h('div', {},
		h('p', { class: 'muted' }, `${label('mvkind', mv.kind)} · ${mv.start} – ${mv.end} · ${t('common.unit')}: ${mv.scope}`),
		h('p', { class: 'small' }, csvDownload(`criteria-${mv.code}.csv`, [
			{ label: 'criterion', value: (c) => c.code }, { label: 'name', value: (c) => mvName(c) },
			{ label: 'weight', value: (c) => c.weight ?? '' }, { label: 'scoring', value: (c) => scoring(c) },
			{ label: 'veto', value: (c) => (c.veto ? JSON.stringify(c.veto) : '') },
		], () => mv.criteria || [], true)),
		table([
			{ label: t('mv.criterion'), cell: (c) => [mvName(c), h('span', { class: 'tag' }, c.code)] },
			{ label: t('mv.weight'), num: true, cell: (c) => (c.weight === undefined || c.weight === null ? '–' : num(c.weight)) },
			{ label: t('mv.scoring'), cell: (c) => h('span', { class: 'small' }, scoring(c), c.veto ? ` · ${t('mv.veto')} ${JSON.stringify(c.veto)}` : '') },
		], mv.criteria || [], { class: 'criteria' }));
}

// A stored movement (GET /movements/{code}) back as the YAML it loads from:
// top-level fields and each criterion in block style, nested values (names,
// scoring, veto, ratings) in flow style, which JSON text already is.
const SAFE = /^[A-Za-z0-9._-][A-Za-z0-9@._-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|~)$/i;
const scalar = (v) => (typeof v === 'string' && SAFE.test(v) && !RESERVED.test(v) ? v : JSON.stringify(v));

export function movementYaml(mv) {
	const lines = [];
	const put = (lead, k, v) => { if (v !== null && v !== undefined) lines.push(`${lead}${k}: ${scalar(v)}`); };
	for (const [k, v] of Object.entries(mv)) if (k !== 'version' && k !== 'criteria') put('', k, v);
	if (mv.criteria && mv.criteria.length) {
		lines.push('criteria:');
		for (const c of mv.criteria) {
			let lead = '  - ';
			for (const [k, v] of Object.entries(c)) {
				if (v === null || v === undefined) continue;
				put(lead, k, v);
				lead = '    ';
			}
		}
	}
	return `${lines.join('\n')}\n`;
}

function template() {
	const y = today().slice(0, 4);
	return `code: PT-${y}-01
name: {vi: "Tên phong trào", en: "Movement name"}
kind: campaign
start: ${today()}
end: ${y}-12-31
scope: UNIT
subjects: unit
group_by: all
criteria:
  - code: output
    name: {vi: "Sản lượng", en: "Output"}
    metric: output
    aggregate: sum
    better: higher
    weight: 100
    scoring: {ratio: {cap: 1.2}}
`;
}

// Offset in text of LINE:COLUMN (1-based), for putting the caret on an error.
function offsetOf(text, line, col) {
	const lines = text.split('\n');
	let off = 0;
	for (let i = 0; i < line - 1 && i < lines.length; i++) off += lines[i].length + 1;
	return Math.min(text.length, off + Math.max(0, col - 1));
}

// Create or edit a movement by its YAML; the server's error (with its
// movement.yaml:LINE:COLUMN and field) is shown under the text, the caret
// put on that line.
function yamlForm(stored) {
	const area = h('textarea', {
		id: 'mv-yaml', name: 'yaml', rows: 18, spellcheck: 'false', wrap: 'off', class: 'yaml',
		'aria-describedby': 'mv-yaml-err',
	});
	area.value = stored ? movementYaml(stored) : template();
	const err = h('div', { class: 'ferr', id: 'mv-yaml-err' });
	const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
	const fresh = h('button', { type: 'button', class: 'btn btn-ghost', id: 'mv-new' }, t('mv.create.new'));
	fresh.addEventListener('click', () => { area.value = template(); area.focus(); });
	const form = h('form', { class: 'yaml-form', id: 'mv-form', novalidate: true },
		h('p', { class: 'muted small' }, t('mv.create.intro')), status,
		h('div', { class: 'field' }, h('label', { for: 'mv-yaml' }, t('mv.create.yaml')), area, err),
		h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save')), ' ', fresh));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		status.replaceChildren();
		err.textContent = '';
		area.removeAttribute('aria-invalid');
		try {
			const mv = await api('POST', '/movements', { yaml: area.value });
			invalidate();
			go(`#/movements/${encodeURIComponent(mv.code)}`);
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			area.setAttribute('aria-invalid', 'true');
			err.textContent = e.field ? `${t('mv.create.field')} ${e.field}: ${e.message}` : e.message;
			status.replaceChildren(message('error', t('entry.fix')));
			const at = /:(\d+):(\d+):/.exec(e.message);
			area.focus();
			if (at) {
				const o = offsetOf(area.value, Number(at[1]), Number(at[2]));
				area.setSelectionRange(o, o);
			}
		}
	});
	return form;
}
