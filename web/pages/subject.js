// pages/subject.js: one unit or person. Who/what it is (parent, sub-units,
// members), its history year by year (ratings, titles and commendations,
// innovations, discipline, safety incidents) and the year's eligibility:
// every award with its verdict, each clause with its evidence, and what
// is missing (GET /eligibility?year=&subject=); for a person, the service
// periods (GET /service) and the months they count up to the year's end,
// summed and continuous, as the engine counts them (docs/rules.md).
import { get, all, ApiError } from '../api.js';
import { t, label, date } from '../i18n.js';
import { h, card, table, badge, ratingBadge, awardSource, message, subjectLink, firstRows, columns, csvDownload } from '../ui.js';
import { ref, nameOf, pageYear, known, kids } from '../data.js';
import { whyNot } from './elig.js';

export async function render(root, params, ctx) {
	const r = await ref();
	const code = params.code;
	// the row itself (with its kind, bloc or category, joined), not the table
	r.byCode.delete(code);
	await known(r, [code]);
	const s = r.byCode.get(code);
	if (!s) {
		root.append(message('error', t('subject.notfound', code)));
		return;
	}
	const isUnit = s.kind_of === 'unit';
	const unit = isUnit ? code : s.unit;
	const year = await pageYear(r, ctx, params);

	// the history's own rows first (?subject=: read through the subject's
	// index, tens of ms even at a million people), then the eligibility (a
	// second or so there) and the innovations (a unit's members': a scan of
	// the table on the server), so that the quick card is not queued behind
	// the slow ones; a unit's history is drawn without its innovations
	// first and again when they are in
	const ownP = Promise.all([
		all('/ratings', { subject: code }), all('/awards', { subject: code }),
		all('/discipline', { subject: code }), all('/incidents', { subject: unit }),
	]);
	const eligP = ownP.catch(() => null).then(() => eligibility(code, year, r));
	const innoP = isUnit
		? ownP.then(() => all('/innovations', { unit })).then(async (list) => {
			// the authors' units (a bounded number of names: at most 1,000)
			const authors = new Set(list.flatMap((i) => String(i.authors || '').split(';')));
			if (authors.size <= 1000) await known(r, authors);
			return list.filter((i) => String(i.authors || '').split(';').some((a) => (r.byCode.get(a) || {}).unit === code));
		})
		: all('/innovations', { subject: code }).then((list) => list.filter((i) => String(i.authors || '').split(';').includes(code)));
	const mine = (x) => x.subject === code;
	const hist = ([ratings, awards, discipline, incidents], innovation) => ({
		rating: ratings.filter(mine),
		award: awards.filter(mine),
		innovation,
		discipline: discipline.filter(mine),
		incident: incidents.filter((i) => i.unit === unit),
	});

	root.append(header(s, r, isUnit, year));
	const [left, right] = columns(root, 6);
	const eligAt = h('div', { class: 'slot' });
	let histAt = h('div', { class: 'slot' });
	left.append(eligAt);
	right.append(histAt);
	const drawHist = (hs) => {
		const c = card(t('subject.history'), history(hs, code));
		histAt.replaceWith(c);
		histAt = c;
	};
	await Promise.all([
		eligP.then((n) => eligAt.replaceWith(card(t('subject.elig', year), n))),
		isUnit
			? ownP.then((own) => { drawHist(hist(own, null)); return innoP.then((inno) => drawHist(hist(own, inno))); })
			: Promise.all([ownP, innoP]).then(([own, inno]) => drawHist(hist(own, inno))),
	]);
	if (!isUnit) {
		let periods = [];
		try {
			periods = (await all('/service', { subject: code })).filter((p) => p.person === code);
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
		}
		right.append(card(t('subject.service'), service(periods, year)));
	}
	if (isUnit) right.append(card(t('subject.members'), await members(code, r)));
}

// Whole months from day a to day b (b exclusive), as the engine counts.
function monthsBetween(a, b) {
	const [ay, am, ad] = a.split('-').map(Number), [by, bm, bd] = b.split('-').map(Number);
	return (by - ay) * 12 + (bm - am) - (bd < ad ? 1 : 0);
}

function nextDay(d) {
	const x = new Date(`${d}T00:00:00Z`);
	x.setUTCDate(x.getUTCDate() + 1);
	return x.toISOString().slice(0, 10);
}

// The periods, each with its months × coefficient up to the year's end;
// the totals summed and continuous (the last unbroken run).
function service(periods, year) {
	if (!periods.length) return h('p', { class: 'muted' }, t('subject.service.none'));
	const cap = `${Number(year) + 1}-01-01`;
	const rows = [...periods].sort((a, b) => a.from.localeCompare(b.from));
	let sum = 0, run = 0, prev = null;
	for (const p of rows) {
		const end = !p.to || nextDay(p.to) > cap ? cap : nextDay(p.to);
		const m = p.from < end ? monthsBetween(p.from, end) * Number(p.coefficient ?? 1) : 0;
		p.counted = Math.floor(m + 1e-9);
		if (p.from >= end) continue;
		if (prev !== null && p.from > prev) run = 0;
		sum += m;
		run += m;
		if (prev === null || end > prev) prev = end;
	}
	return [table([
		{ key: 'from', label: t('subject.service.from'), cell: (p) => date(p.from) },
		{ key: 'to', label: t('subject.service.to'), cell: (p) => (p.to ? date(p.to) : '–') },
		{ key: 'kind', label: t('subject.service.kind') },
		{ key: 'coefficient', label: t('subject.service.coef'), num: true },
		{ key: 'counted', label: t('subject.service.months'), num: true },
	], rows), h('p', { id: 'service-total' },
		t('subject.service.total', year, Math.floor(sum + 1e-9), Math.floor(run + 1e-9)))];
}

function header(s, r, isUnit, year) {
	const yearIn = h('input', { id: 'year', name: 'year', type: 'number', min: 1990, max: 2100, value: year, class: 'w-year' });
	const facts = isUnit
		? [s.parent ? [t('subject.parent'), ': ', subjectLink(s.parent, nameOf(r, s.parent))] : null,
			h('span', { class: 'tag' }, label('ukind', s.kind)), s.bloc ? h('span', { class: 'tag' }, s.bloc) : null]
		: [t('common.unit'), ': ', subjectLink(s.unit, nameOf(r, s.unit) || s.unit), ' · ',
			label('category', s.category), ' · ', t('subject.joined'), ' ', date(s.joined)];
	return h('div', { class: 'page-head' },
		h('div', {},
			h('div', { class: 'crumbs' }, h('a', { href: '#/units' }, t('nav.units')), ' › ', t(`subject.kind.${s.kind_of}`)),
			h('h1', { id: 'subject-title' }, s.name, h('span', { class: 'tag' }, s.code)),
			h('p', { class: 'muted' }, facts)),
		h('form', {
			class: 'inline-form',
			onsubmit: (ev) => { ev.preventDefault(); location.hash = `#/subject/${encodeURIComponent(s.code)}?year=${yearIn.value}`; },
		}, h('div', { class: 'field' }, h('label', { for: 'year' }, t('common.year')), yearIn),
		h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('common.apply')))));
}

// Verdicts: eligible first, then the rest; each opens to its clauses.
async function eligibility(code, year, r) {
	let doc;
	try {
		doc = await get('/eligibility', { year, subject: code });
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 401) throw e;
		return message('warn', e.message);
	}
	const order = { eligible: 0, over_quota: 1, held: 2, ineligible: 3 };
	const list = doc.results.filter((x) => x.subject === code)
		.sort((a, b) => (order[a.verdict] ?? 9) - (order[b.verdict] ?? 9));
	if (!list.length) return h('p', { class: 'muted' }, t('common.none'));
	return h('ul', { class: 'verdicts', id: 'verdicts' }, list.map((v) => h('li', { dataset: { award: v.award, verdict: v.verdict } },
		h('details', { open: v.verdict === 'eligible' || ['CSTDCS', 'CSTT', 'LDTT'].includes(v.award) },
			h('summary', {}, h('span', { class: 'aw' }, awardName(v)), h('span', { class: 'tag' }, v.award), badge('verdict', v.verdict),
				v.verdict !== 'eligible' ? h('span', { class: 'why' }, whyNot(v)) : null),
			h('ul', { class: 'clauses' }, (v.clauses || []).map((c) => h('li', { class: c.ok ? 'ok' : 'no' },
				h('span', {}, c.text || c.clause),
				evidence(c)))),
			v.based_on && v.based_on.length ? h('p', { class: 'ev based-on' }, `${t('subject.elig.based_on')}: ${v.based_on.join(', ')}`) : null,
			v.missing && v.missing.length ? h('div', { class: 'missing' }, `${t('subject.elig.missing')}: `, whyNot(v)) : null))));
}

// A clause's evidence: the alternatives of any/all as a marked sub-list, else one line.
function evidence(c) {
	const ev = c.evidence || [];
	if (!ev.length) return null;
	if (ev.every((e) => /^[✓✗]/.test(e))) {
		return h('ul', { class: 'clauses sub' }, ev.map((e) => h('li', { class: e.startsWith('✓') ? 'ok' : 'no' }, e.replace(/^[✓✗]\s*/, ''))));
	}
	return h('div', { class: 'ev' }, `${t('subject.elig.evidence')}: ${ev.join('; ')}`);
}

function awardName(v) {
	const l = label('award', v.award);
	if (l !== v.award) return l;
	if (v.name && typeof v.name === 'object') return v.name.vi || v.award;
	return v.name || v.award;
}

function history(hs, code) {
	const years = new Set();
	const add = (rows, f) => rows.forEach((x) => years.add(Number(f(x))));
	add(hs.rating, (x) => x.year);
	add(hs.award, (x) => x.year);
	add(hs.innovation || [], (x) => x.year);
	add(hs.discipline, (x) => x.from.slice(0, 4));
	add(hs.incident, (x) => x.date.slice(0, 4));
	const rows = [...years].sort((a, b) => b - a).map((y) => ({
		y,
		rating: hs.rating.find((x) => Number(x.year) === y),
		awards: hs.award.filter((x) => Number(x.year) === y),
		inno: hs.innovation ? hs.innovation.filter((x) => Number(x.year) === y) : null,
		disc: hs.discipline.filter((x) => Number(x.from.slice(0, 4)) === y),
		inc: hs.incident.filter((x) => Number(x.date.slice(0, 4)) === y),
	}));
	// the table as shown, as CSV and as XLSX
	const dl = rows.length ? h('p', { class: 'small' }, csvDownload(`history-${code}.csv`, [
		{ label: 'year', value: (x) => x.y }, { label: 'rating', value: (x) => (x.rating ? x.rating.rating : '') },
		{ label: 'awards', value: (x) => x.awards.map((a) => `${a.award}${a.decision ? ` (${a.decision})` : ''}`).join('; ') },
		{ label: 'innovations', value: (x) => (x.inno || []).map((i) => `${i.title} · ${i.level}`).join('; ') },
		{ label: 'discipline', value: (x) => x.disc.map((d) => `${d.form} ${d.from}`).join('; ') },
		{ label: 'incidents', value: (x) => x.inc.map((i) => `${i.severity} ${i.date}`).join('; ') },
	], () => rows, true)) : null;
	return [dl, table([
		{ label: t('common.year'), cell: (x) => String(x.y) },
		{ label: t('subject.rating'), cell: (x) => (x.rating ? ratingBadge(x.rating.rating) : '–') },
		{ label: t('subject.awards'), cell: (x) => list(x.awards.map((a) => [label('award', a.award), a.decision ? ` (${a.decision})` : '', ' ', awardSource(a)])) },
		{ label: t('subject.innovations'), cell: (x) => (x.inno ? list(x.inno.map((i) => `${i.title} · ${label('level', i.level)}`)) : '…') },
		{ label: t('subject.discipline'), cell: (x) => list(x.disc.map((d) => `${label('form', d.form)} ${date(d.from)}`)) },
		{ label: t('subject.incidents'), cell: (x) => list(x.inc.map((i) => `${label('severity', i.severity)} ${date(i.date)}`)) },
	], rows, { class: 'history', empty: t('subject.history.none') })];
}

function list(items) {
	if (!items.length) return '–';
	return items.flatMap((x, i) => (i ? [h('br'), x] : [x]));
}

// The unit's sub-units (GET /units/{code}) and its own people: the first
// page of its subtree's (GET /people?unit=, at most 500), those of this unit.
async function members(code, r) {
	const [subs, page] = await Promise.all([kids(r, code), get('/people', { unit: code, limit: 500 })]);
	const people = page.items.filter((p) => p.unit === code && !p.left);
	return h('div', {},
		subs.length ? h('p', {}, `${t('subject.children')}: `, subs.flatMap((u, i) => [i ? ', ' : '', subjectLink(u.code, u.name)])) : null,
		firstRows(people, 25, (rows) => table([
			{ label: t('common.name'), cell: (p) => subjectLink(p.code, p.name) },
			{ label: t('common.code'), key: 'code' },
			{ label: t('subject.category'), cell: (p) => label('category', p.category) },
		], rows, { empty: t('common.none') })));
}
