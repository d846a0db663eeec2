// pages/council.js: the council (Hội đồng TĐKT). Left: for one award and
// year, who is eligible and why (GET /eligibility?award=), and a button
// that drafts a proposal of every eligible subject. Right: the proposals
// (GET /proposals) and the one opened: its candidates with their verdicts
// and ballots, and the next step for its state (submit, review or return,
// the secret-ballot count, the numbered decision; once decided, links to
// its PDF and XLSX documents). Decided awards of the year are listed below.
import { get, api, ApiError } from '../api.js';
import { t, label, num, date } from '../i18n.js';
import { h, card, table, badge, message, subjectLink, today, firstRows, columns, downloads, csvDownload } from '../ui.js';
import { ref, nameOf, invalidate, pageYear, known } from '../data.js';
import { verdictTable, decidedTable, why } from './elig.js';
import { picker } from '../picker.js';
import { may } from '../caps.js';
import { go } from '../app.js';

// The awards offered when the server cannot list the rule set in force.
const AWARDS = ['CSTDCS', 'CSTT', 'LDTT', 'CSTDTQ', 'CSTDTQG', 'BKBQP', 'BKTTG', 'GK', 'DVTT', 'DVQT', 'TTLDTT', 'TTLDXS',
	'CTDTC', 'HCLD3', 'HCBVTQ3', 'HCQKQT', 'HCCSVV3', 'HCCSVV2', 'HCCSVV1'];
// The verdicts the council reads, and the rows a page of them shows.
const VERDICTS = ['eligible', 'over_quota', 'held'];
const PAGE = 25;

export async function render(root, params, ctx) {
	const r = await ref();
	const year = await pageYear(r, ctx, params);
	// the awards of the rule set in force for the year (GET /search?type=award)
	const inForce = await get('/search', { type: 'award', year, limit: 100 }).then((d) => d.items, () => []);
	const codes = inForce.length ? inForce.map((a) => a.code) : AWARDS;
	const award = codes.includes(params.query.get('award')) ? params.query.get('award') : (codes.includes('CSTDCS') ? 'CSTDCS' : codes[0]);
	const pid = params.query.get('proposal');
	const nav = (q) => go(`#/council?${new URLSearchParams({ year, award, ...q })}`);

	root.append(h('div', { class: 'page-head' }, h('h1', {}, t('council.title')), awardForm(year, award, inForce.length ? inForce : AWARDS.map((c) => ({ code: c, name: label('award', c) })))));
	const flash = h('div', { id: 'council-flash', 'aria-live': 'polite' });
	root.append(flash);
	const [left, right] = columns(root);

	// the proposals first (quick), then the year's verdicts (a large
	// document) and the decided awards (a scan of the table)
	const propsP = may('GET', '/proposals') ? get('/proposals') : null;
	if (propsP) await propsP.catch(() => null);
	const eligP = get('/eligibility', { year, award, verdict: 'eligible', limit: PAGE });
	const decidedP = get('/awards', { year, award, limit: PAGE });
	eligP.catch(() => {});
	decidedP.catch(() => {});
	if (!propsP) right.append(message('info', t('council.role')));
	else {
		const props = (await propsP).proposals;
		right.append(card(t('council.proposals.title'), h('p', { class: 'small' }, downloads('/proposals')), table([
			{ label: '#', num: true, cell: (p) => h('a', { href: `#/council?${new URLSearchParams({ year, award, proposal: p.proposal })}` }, String(p.proposal)) },
			{ label: t('council.award'), cell: (p) => `${label('award', p.award)} ${p.year}` },
			{ label: t('council.state'), cell: (p) => badge('pstate', p.state) },
		], props, { empty: t('common.none'), class: 'proposals' })));
		if (pid) right.append(await proposal(pid, r, flash, () => nav({ proposal: pid })));
	}
	// one page of the eligible (counts has every verdict's number); the
	// ineligible are never listed (at ministry scale they are most of it)
	const doc = await eligP;
	const count = (v) => doc.counts[v];
	const propose = h('button', { type: 'button', class: 'btn btn-primary', id: 'propose', disabled: !count('eligible') },
		t('council.propose', count('eligible')));
	// the dossier's date of receipt decides the rule set (the transition, docs/rules.md)
	const received = h('input', { id: 'c-received', name: 'received', type: 'date',
		value: new Date().toISOString().slice(0, 10) });
	propose.addEventListener('click', () => act(flash, async () => {
		const d = await api('POST', '/proposals', { year, award, received: received.value || undefined });
		nav({ proposal: d.proposal });
	}));
	left.append(card(`${label('award', award)} · ${year}`,
		h('p', {}, t('dash.cstdcs.count', num(count('eligible')), num(count('held')), num(count('ineligible')))),
		h('div', { class: 'field' }, h('label', { for: 'c-received' }, t('council.received')), received),
		propose, await verdictPages(year, award, r, doc)));
	left.append(chosenFew(year, award, r, flash, nav));

	// the award's first PAGE decided this year (the year's awards of every
	// kind were 895,000 rows at a million people); all of them: the download
	const decided = await decidedP;
	await known(r, decided.items.map((a) => a.subject));
	left.append(card(t('council.decided'), decided.total > decided.items.length
		? h('p', { class: 'muted small', id: 'decided-count' }, t('common.range', num(1), num(decided.items.length), num(decided.total))) : null,
	decidedTable(decided.items, r, { year, award })));
}

// The award's eligible, over-quota and held subjects, a verdict at a time
// (buttons with their counts) and a page of PAGE at a time, in the
// server's order (GET /eligibility?verdict=V&offset=O&limit=PAGE): never
// the whole list, 89 MB at a million people; that is a download (CSV,
// XLSX) made by the server. first: the eligible's first page, fetched.
async function verdictPages(year, award, r, first) {
	let verdict = 'eligible';
	let offset = 0;
	const body = h('div', { id: 'verdict-page', 'aria-live': 'polite' });
	const pick = h('div', { class: 'tabs', id: 'verdict-pick' }, VERDICTS.map((v) => h('button', {
		type: 'button', dataset: { verdict: v }, 'aria-pressed': String(v === verdict),
		onclick: () => { verdict = v; offset = 0; load(); },
	}, `${label('verdict', v)} (${num(first.counts[v])})`)));
	const draw = async (doc) => {
		const rows = doc.results.filter((v) => v.award === award);
		await known(r, rows.map((v) => v.subject));
		pick.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.verdict === verdict)));
		const step = (id, key, off, on) => h('button', {
			type: 'button', class: 'btn', id, disabled: !on, onclick: () => { offset = off; load(); },
		}, t(key));
		body.replaceChildren(verdictTable(rows, r, 0, { year, award, verdict: 'eligible,over_quota,held' }),
			rows.length && (offset > 0 || doc.more) ? h('div', { class: 'inline-form pager' },
				step('v-prev', 'common.prev', Math.max(0, offset - PAGE), offset > 0),
				h('span', { class: 'muted small', id: 'v-range' }, t('common.range', num(offset + 1), num(offset + rows.length), num(doc.counts[verdict]))),
				step('v-next', 'common.next', offset + PAGE, doc.more)) : null);
		body.dataset.offset = String(offset);
	};
	const load = () => get('/eligibility', { year, award, verdict, offset, limit: PAGE })
		.then(draw, (e) => body.replaceChildren(message('error', e.message)));
	await draw(first);
	return h('div', {}, pick, body);
}

// A proposal of a chosen few: subjects picked by name; each is checked
// first (GET /eligibility?subject=), those refused are listed with why,
// the others proposed (POST /proposals {subjects}).
function chosenFew(year, award, r, flash, nav) {
	const chosen = [];
	const input = h('input', { id: 'few-subject', type: 'text' });
	const list = h('ul', { id: 'few-list', class: 'chips' });
	const refused = h('div', { id: 'few-refused', 'aria-live': 'polite' });
	const draw = () => list.replaceChildren(...chosen.map((c, i) => h('li', { dataset: { code: c } },
		`${nameOf(r, c) || c} (${c}) `, h('button', {
			type: 'button', class: 'btn btn-ghost', 'aria-label': t('council.few.remove', nameOf(r, c) || c),
			onclick: () => { chosen.splice(i, 1); draw(); },
		}, '×'))));
	const add = () => {
		const code = input.value.trim();
		if (code && !chosen.includes(code)) chosen.push(code);
		input.value = '';
		draw();
		input.focus();
	};
	const go2 = h('button', { type: 'button', class: 'btn btn-primary', id: 'few-propose' }, t('council.few.propose'));
	go2.addEventListener('click', () => act(flash, async () => {
		refused.replaceChildren();
		const ok = [];
		const no = [];
		for (const code of chosen) {
			const d = await get('/eligibility', { year, award, subject: code });
			const v = (d.results || []).find((x) => x.award === award && x.subject === code);
			if (v && v.verdict === 'eligible') ok.push(code);
			else no.push({ code, verdict: v ? v.verdict : 'ineligible', why: v ? why(v) : t('council.few.unknown') });
		}
		if (no.length) {
			await known(r, no.map((x) => x.code));
			refused.append(h('h3', {}, t('council.few.refused')), h('p', { class: 'small' }, csvDownload(`refused-${award}-${year}.csv`, [
				{ label: 'subject', value: (x) => x.code }, { label: 'name', value: (x) => nameOf(r, x.code) },
				{ label: 'verdict', value: (x) => x.verdict }, { label: 'why', value: (x) => x.why },
			], () => no, true)), table([
				{ label: t('common.name'), cell: (x) => `${nameOf(r, x.code) || x.code} (${x.code})` },
				{ label: t('task.status'), cell: (x) => badge('verdict', x.verdict) },
				{ label: t('council.why'), cell: (x) => h('span', { class: 'small' }, x.why) },
			], no, { class: 'few-refused' }));
		}
		if (!ok.length) return;
		const d = await api('POST', '/proposals', { year, award, subjects: ok });
		invalidate();
		if (!no.length) nav({ proposal: d.proposal });
		else refused.append(h('p', {}, h('a', { href: `#/council?${new URLSearchParams({ year, award, proposal: d.proposal })}`, id: 'few-open' },
			t('council.few.open', d.proposal, ok.length))));
	}));
	input.addEventListener('keydown', (ev) => { if (ev.key === 'Enter' && input.getAttribute('aria-expanded') !== 'true') { ev.preventDefault(); add(); } });
	return card(t('council.few.title'), h('p', { class: 'muted small' }, t('council.few.intro')),
		h('div', { class: 'inline-form' }, h('div', { class: 'field' }, h('label', { for: 'few-subject' }, t('field.subject')), input,
			picker(input, 'subject', { onpick: add })),
		h('div', { class: 'field' }, h('button', { type: 'button', class: 'btn', id: 'few-add', onclick: add }, t('council.few.add')))),
		list, go2, refused);
}

function awardForm(year, award, awards) {
	const y = h('input', { id: 'c-year', type: 'number', value: year, min: 1990, max: 2100 });
	const a = h('select', { id: 'c-award' }, awards.map((x) => h('option', { value: x.code, selected: x.code === award }, `${x.name} (${x.code})`)));
	return h('form', {
		class: 'inline-form',
		onsubmit: (ev) => { ev.preventDefault(); location.hash = `#/council?${new URLSearchParams({ year: y.value, award: a.value })}`; },
	}, h('div', { class: 'field' }, h('label', { for: 'c-award' }, t('council.pick')), a),
	h('div', { class: 'field' }, h('label', { for: 'c-year' }, t('common.year')), y),
	h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('common.apply'))));
}

// Run a write, show its refusal in the flash area.
async function act(flash, fn) {
	flash.replaceChildren();
	try {
		await fn();
	} catch (e) {
		if (!(e instanceof ApiError)) throw e;
		flash.replaceChildren(message('error', e.field ? `${e.field}: ${e.message}` : e.message));
	}
}

async function proposal(id, r, flash, reload) {
	const p = await get(`/proposals/${encodeURIComponent(id)}`);
	const box = card(t('council.proposal', p.proposal, label('award', p.award), p.year),
		h('p', {}, badge('pstate', p.state), p.reason ? h('span', { class: 'muted' }, ` ${p.reason}`) : null));
	box.id = 'proposal';
	// each candidate's row carries its code (data-subject), for its ballot count
	const cands = (rows) => {
		const tb = table([
			{ label: t('common.name'), cell: (c) => subjectLink(c.subject, c.name || nameOf(r, c.subject)) },
			{ label: t('task.status'), cell: (c) => badge('verdict', c.verdict) },
			{ label: t('council.ballot'), cell: (c) => (c.ballot ? `${num(c.ballot.yes)}/${num(c.ballot.members)}` : '–') },
		], rows);
		tb.querySelectorAll('tbody tr').forEach((tr, i) => { tr.dataset.subject = rows[i].subject; });
		return tb;
	};
	box.append(h('p', { class: 'small' }, downloads(`/proposals/${encodeURIComponent(p.proposal)}`)), firstRows(p.candidates || [], 25, cands));
	const step = (path, body) => act(flash, async () => { await api('POST', `/proposals/${p.proposal}/${path}`, body); invalidate(); reload(); });
	const field = (id2, key, attrs = {}) => h('div', { class: 'field' }, h('label', { for: id2 }, t(key)), h('input', { id: id2, ...attrs }));
	if (p.state === 'draft' || p.state === 'returned') {
		box.append(h('button', { type: 'button', class: 'btn btn-primary', id: 'p-submit', onclick: () => step('submit', {}) }, t('council.submit')));
	} else if (p.state === 'submitted') {
		const reason = field('p-reason', 'council.reason');
		box.append(h('div', { class: 'inline-form' },
			h('button', { type: 'button', class: 'btn btn-primary', id: 'p-review', onclick: () => step('review', {}) }, t('council.review')),
			reason, h('button', { type: 'button', class: 'btn', onclick: () => step('return', { reason: box.querySelector('#p-reason').value }) }, t('council.return'))));
	} else if (p.state === 'reviewed') {
		const who = h('select', { id: 'b-subject' }, h('option', { value: '' }, t('council.ballot.all')),
			(p.candidates || []).map((c) => h('option', { value: c.subject }, `${c.name || nameOf(r, c.subject)} (${c.subject})`)));
		const ballot = h('form', { class: 'inline-form', id: 'p-ballot' },
			h('div', { class: 'field' }, h('label', { for: 'b-subject' }, t('council.ballot.who')), who),
			field('b-members', 'council.members', { type: 'number', min: 1, required: true }),
			field('b-yes', 'council.yes', { type: 'number', min: 0, required: true }),
			h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('council.ballot.save'))));
		ballot.addEventListener('submit', (ev) => {
			ev.preventDefault();
			const body = { members: Number(ballot.querySelector('#b-members').value), yes: Number(ballot.querySelector('#b-yes').value) };
			if (who.value) body.subject = who.value;
			step('ballots', body);
		});
		const decide = h('form', { class: 'inline-form', id: 'p-decide' },
			field('d-number', 'council.number', { required: true }),
			field('d-date', 'common.date', { type: 'date', value: today(), required: true }),
			field('d-signer', 'council.signer', { required: true }),
			h('div', { class: 'field' }, h('button', { class: 'btn btn-primary', type: 'submit' }, t('council.decide'))));
		decide.addEventListener('submit', (ev) => {
			ev.preventDefault();
			step('decision', { number: decide.querySelector('#d-number').value, date: decide.querySelector('#d-date').value, signer: decide.querySelector('#d-signer').value });
		});
		box.append(h('h3', {}, t('council.ballot')), ballot, h('h3', {}, t('council.decision')), decide);
	} else if (p.decision) {
		box.append(h('p', {}, `${t('council.decision')}: ${p.decision.number || ''} ${p.decision.date ? date(p.decision.date) : ''} ${p.decision.signer || ''}`));
		// the printable documents (GET /proposals/{id}/…, as thidua print)
		const doc = (file, key) => h('a', { class: 'btn', href: `/api/v1/proposals/${p.proposal}/${file}`,
			download: `${file.replace('.', `-${p.proposal}.`)}` }, t(key));
		box.append(h('div', { class: 'inline-form', id: 'p-docs' },
			doc('decision.pdf', 'council.doc.decision'), doc('certificates.pdf', 'council.doc.certificates'),
			doc('list.xlsx', 'council.doc.list')));
	}
	return box;
}
