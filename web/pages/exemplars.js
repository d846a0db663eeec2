// pages/exemplars.js: advanced examples (điển hình tiên tiến) and the
// innovation register. Left: the register of exemplars with this year's
// maintenance check (GET /exemplars, /exemplars/check?year=: keeps its
// standard, slipping, lapsed, and why); one exemplar opened with the units
// that adopted its practice and their ratings and scores before and after
// (GET /exemplars/{id}); candidates found in the data with their reasons
// (GET /exemplars/discover?year=, right), which the council or an
// administrator can register (POST /exemplars). Below: the innovations that
// feed the titles, by year, kind, level or unit (GET /reports/innovations).
import { get, api, ApiError } from '../api.js';
import { t, label, num, date } from '../i18n.js';
import { h, card, table, badge, message, subjectLink, columns, firstRows, downloads, csvDownload } from '../ui.js';
import { ref, nameOf, invalidate, pageYear, known } from '../data.js';
import { go } from '../app.js';
import { may } from '../caps.js';

const BYS = ['year', 'kind', 'level', 'unit'];

export async function render(root, params, ctx) {
	const r = await ref();
	const year = await pageYear(r, ctx, params);
	const by = BYS.includes(params.query.get('by')) ? params.query.get('by') : 'year';
	const open = params.query.get('id');
	const nav = (q) => go(`#/exemplars?${new URLSearchParams({ year, by, ...q })}`);
	const writer = may('POST', '/exemplars');

	const yearIn = h('input', { id: 'ex-year', type: 'number', min: 1900, max: 2999, value: year });
	const form = h('form', { class: 'inline-form', onsubmit: (ev) => { ev.preventDefault(); nav({ year: yearIn.value }); } },
		h('div', { class: 'field' }, h('label', { for: 'ex-year' }, t('common.year')), yearIn),
		h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('common.apply'))));
	root.append(h('div', { class: 'page-head' }, h('h1', {}, t('ex.title')), form));
	const [left, right] = columns(root, 6);

	// the register first; its check, the candidates (each a scan of the
	// years' history: seconds at a million people) and the innovations
	// report are asked after it and drawn when they answer
	const list = await get('/exemplars');
	const checkP = get('/exemplars/check', { year });
	const foundP = get('/exemplars/discover', { year });
	// (summary: its totals and groups, not every innovation: 86 MB at 1M)
	const invP = get('/reports/innovations', { by, summary: 1 });
	checkP.catch(() => {});
	foundP.catch(() => {});
	invP.catch(() => {});
	await known(r, list.exemplars.filter((x) => !x.name).map((x) => x.subject));
	const register = table([
		{ label: t('ex.subject'), cell: (x) => subjectLink(x.subject, x.name || nameOf(r, x.subject)) },
		{ label: t('ex.field'), cell: (x) => h('a', { href: `#/exemplars?${new URLSearchParams({ year, by, id: x.id })}` }, x.field) },
		{ label: t('ex.since'), key: 'since' },
		{ label: t('ex.adoptions'), num: true, cell: (x) => num(x.adoptions) },
		{ label: t('ex.check', year), cell: (x) => h('span', { class: 'ex-check', dataset: { id: x.id } }, t('common.loading')) },
	], list.exemplars, { class: 'exemplars', empty: t('common.none') });
	left.append(card(t('ex.register'), h('p', { class: 'small' }, downloads('/exemplars')), register));
	// each exemplar's check filled in when it answers (table data-checked)
	checkP.then((check) => {
		const status = new Map(check.results.map((x) => [x.id, x]));
		for (const cell of register.querySelectorAll('.ex-check')) {
			const st = status.get(Number(cell.dataset.id));
			cell.replaceChildren(...(st ? [badge('ex', st.status), h('div', { class: 'small' }, st.reasons.join('; '))] : ['–']));
		}
		register.querySelector('table')?.setAttribute('data-checked', '1');
	}, (e) => { for (const cell of register.querySelectorAll('.ex-check')) cell.replaceChildren(message('error', e.message)); });
	if (open) left.append(await detail(open));

	const found = await foundP;
	const flash = h('div', { 'aria-live': 'polite' });
	right.append(card(t('ex.found', found.from, found.year), h('p', { class: 'muted' }, t(`ex.basis.${found.basis}`)), flash,
		h('p', { class: 'small' }, downloads('/exemplars/discover', { year })),
		firstRows(found.candidates, 15, (rows) => table([
			{ label: t('ex.subject'), cell: (c) => subjectLink(c.subject, c.name) },
			{ label: t('ex.why'), cell: (c) => h('ul', { class: 'small reasons' }, c.reasons.map((x) => h('li', {}, x))) },
			{ label: '', cell: (c) => (c.registered ? h('span', { class: 'badge b-ok' }, t('ex.registered'))
				: writer ? registerForm(c, year, flash, () => { invalidate(); nav({}); }) : '') },
		], rows, { class: 'candidates', empty: t('common.none') }))));

	const inv = await invP;
	if (by === 'unit') await known(r, inv.groups.map((g) => g.key));
	const bySel = h('select', { id: 'inv-by', onchange: (ev) => nav({ by: ev.target.value, ...(open ? { id: open } : {}) }) },
		BYS.map((b) => h('option', { value: b, selected: b === by }, t(`inv.by.${b}`))));
	root.append(card(t('inv.title', inv.from, inv.to),
		h('div', { class: 'field' }, h('label', { for: 'inv-by' }, t('inv.by')), bySel),
		h('p', {}, t('inv.total', num(inv.total.count), num(inv.total.with_awards), num(inv.total.benefit / 1e6))),
		h('p', { class: 'small' }, downloads('/reports/innovations', { by })),
		firstRows(inv.groups, 20, (rows) => table([
			{ label: t(`inv.by.${by}`), cell: (g) => (by === 'unit' ? nameOf(r, g.key) || g.key : label(`inv.${by}`, g.key)) },
			{ label: t('inv.count'), num: true, cell: (g) => num(g.count) },
			{ label: t('inv.initiative'), num: true, cell: (g) => num(g.by_kind.initiative) },
			{ label: t('inv.research'), num: true, cell: (g) => num(g.by_kind.research) },
			{ label: t('inv.mechanisation'), num: true, cell: (g) => num(g.by_kind.mechanisation) },
			{ label: t('inv.awards'), num: true, cell: (g) => num(g.with_awards) },
			{ label: t('inv.benefit'), num: true, cell: (g) => num(g.benefit / 1e6) },
		], rows, { class: 'innovations', empty: t('common.none') }))));
}

// One exemplar: the units that adopted its practice, before and after.
async function detail(id) {
	let x;
	try {
		x = await get(`/exemplars/${encodeURIComponent(id)}`);
	} catch (e) {
		if (!(e instanceof ApiError) || e.status === 401) throw e;
		return message('warn', e.message);
	}
	const side = (s) => (s ? `${s.year}: ${s.rating || '–'}${s.score !== null && s.score !== undefined ? ` · ${num(s.score, 2)}` : ''}` : '–');
	return h('section', { class: 'card', id: 'ex-detail' }, h('h2', {}, `${x.name || x.subject} · ${x.field}`),
		h('p', {}, x.reason),
		h('p', { class: 'muted' }, t('ex.standard', x.since, x.min_rating, x.award || '–')),
		(x.adoption_list || []).length ? h('p', { class: 'small' }, csvDownload(`adoptions-${x.id}.csv`, [
			{ label: 'unit', value: (a) => a.unit }, { label: 'name', value: (a) => a.name },
			{ label: 'adopted_on', value: (a) => a.adopted_on }, { label: 'practice', value: (a) => a.practice },
			{ label: 'before', value: (a) => side(a.before) }, { label: 'after', value: (a) => side(a.after) },
		], () => x.adoption_list, true)) : null,
		table([
			{ label: t('common.unit'), cell: (a) => subjectLink(a.unit, a.name) },
			{ label: t('ex.adopted'), cell: (a) => date(a.adopted_on) },
			{ label: t('ex.practice'), key: 'practice' },
			{ label: t('ex.before'), cell: (a) => side(a.before) },
			{ label: t('ex.after'), cell: (a) => side(a.after) },
		], x.adoption_list || [], { class: 'adoptions', empty: t('ex.noadoption') }));
}

// Register a found candidate: its field, the reasons as the citation.
function registerForm(c, year, flash, done) {
	const field = h('input', { 'aria-label': t('ex.field'), required: true, placeholder: t('ex.field') });
	const form = h('form', { class: 'inline-form ex-register', 'data-subject': c.subject },
		field, h('button', { class: 'btn btn-primary', type: 'submit' }, t('ex.register.go')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		flash.replaceChildren();
		try {
			await api('POST', '/exemplars', { subject: c.subject, field: field.value, reason: c.reasons.join('; '), since: Number(year) });
			done();
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			flash.replaceChildren(message('error', e.field ? `${e.field}: ${e.message}` : e.message));
		}
	});
	return form;
}
