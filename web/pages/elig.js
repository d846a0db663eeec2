// pages/elig.js: reading eligibility verdicts (shared by the dashboard,
// the council and the subject pages): why a verdict is eligible (the
// alternatives of an "any" clause that hold, else the clauses), why not
// (what is missing, else the failed clauses), and a table of verdicts.
import { t, label, date } from '../i18n.js';
import { h, table, badge, awardSource, subjectLink, csvDownload, downloads } from '../ui.js';
import { nameOf } from '../data.js';

const MARK = /^[✓✗]\s*/;

export function whyEligible(v) {
	const out = [];
	for (const c of v.clauses || []) {
		if (!c.ok) continue;
		if (c.clause === 'any') out.push(...(c.evidence || []).filter((e) => e.startsWith('✓')).map((e) => e.replace(MARK, '')));
		else if (c.clause !== 'all') out.push(c.text || c.clause);
	}
	if (v.based_on && v.based_on.length) out.push(`${t('subject.elig.based_on')}: ${v.based_on.join(', ')}`);
	return out.join('; ');
}

export function whyNot(v) {
	if (v.missing && v.missing.length) {
		return v.missing.map((m) => (typeof m === 'string' ? m : m.text || JSON.stringify(m))).join('; ');
	}
	return (v.clauses || []).filter((c) => !c.ok).map((c) => c.text || c.clause).join('; ');
}

export function why(v) {
	return v.verdict === 'eligible' ? whyEligible(v) : whyNot(v);
}

export function awardName(code) {
	return label('award', code);
}

// Verdicts as a table: subject, unit, verdict, why (first `limit` rows),
// and every verdict of the list downloadable: as the server writes it
// (CSV and XLSX, GET /eligibility?format=) when the list's query is given,
// else the rows on the page as CSV.
export function verdictTable(list, r, limit, query) {
	const rows = limit ? list.slice(0, limit) : list;
	const unitOf = (v) => { const s = r.byCode.get(v.subject); return s && s.unit ? s.unit : ''; };
	const dl = query ? downloads('/eligibility', query) : csvDownload('eligibility.csv', [
		{ label: 'subject', value: (v) => v.subject },
		{ label: 'name', value: (v) => nameOf(r, v.subject) || '' },
		{ label: 'unit', value: unitOf },
		{ label: 'award', value: (v) => v.award || '' },
		{ label: 'verdict', value: (v) => v.verdict },
		{ label: 'why', value: why },
	], () => list);
	return h('div', { class: 'verdicts' }, h('p', { class: 'small' }, dl), verdictTableOnly(rows, r));
}

function verdictTableOnly(rows, r) {
	return table([
		{ label: t('common.name'), cell: (v) => subjectLink(v.subject, nameOf(r, v.subject) || v.subject) },
		{ label: t('common.unit'), cell: (v) => { const s = r.byCode.get(v.subject); return s && s.unit ? nameOf(r, s.unit) || s.unit : '–'; } },
		{ label: t('task.status'), cell: (v) => badge('verdict', v.verdict) },
		{ label: t('council.why'), cell: (v) => h('span', { class: 'small' }, why(v)) },
	], rows, { class: 'verdict-table', empty: t('common.none') });
}

// Decided awards: subject, award, decision number and date; with query,
// the awards kind's download (GET /awards?format=) of those filters.
export function decidedTable(awards, r, query) {
	return h('div', {}, query ? h('p', { class: 'small' }, downloads('awards', query)) : null, table([
		{ label: t('common.name'), cell: (a) => subjectLink(a.subject, nameOf(r, a.subject) || a.subject) },
		{ label: t('council.award'), cell: (a) => label('award', a.award) },
		{ label: t('council.decision'), cell: (a) => [a.decision || '–', a.date ? ` (${date(a.date)})` : '', ' ', awardSource(a)] },
	], awards, { empty: t('dash.awards.none') }));
}
