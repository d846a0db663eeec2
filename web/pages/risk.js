// pages/risk.js: key tasks at risk, shared by the dashboard and the task
// page: which tasks are late, stalled or at risk (hard tasks first, then
// the longest slip), why (an upstream slip, their own pace, no progress),
// and whom they hold up (the downstream tasks and their customers).
import { t, num, date } from '../i18n.js';
import { h, badge, downloads } from '../ui.js';
import { nameOf } from '../data.js';

const ORDER = { late: 0, stalled: 1, at_risk: 2 };

export function atRisk(sched) {
	return sched.tasks.filter(behind).sort((a, b) =>
		(b.hard === true) - (a.hard === true) ||
		ORDER[a.status] - ORDER[b.status] ||
		(b.impacts || []).length - (a.impacts || []).length ||
		(b.slip_days || 0) - (a.slip_days || 0) ||
		a.task.localeCompare(b.task));
}

export function taskLink(code, sched) {
	const k = sched && sched.tasks.find((x) => x.task === code);
	return h('a', { href: `#/task/${encodeURIComponent(code)}` }, k && k.name ? `${code} · ${k.name}` : code);
}

export function behind(k) {
	return k.status in ORDER;
}

// Why a task is behind: a list of nodes (links to upstream tasks inside); '–' when it is not.
export function cause(k, sched) {
	const out = [];
	if (!behind(k)) return ['–'];
	if (k.caused_by && k.caused_by.length) {
		out.push(t('task.cause.upstream', ''), ...k.caused_by.flatMap((c, i) =>
			[i ? ', ' : '', taskLink(c, sched)]));
		return out;
	}
	if (k.status === 'late') out.push(t('task.cause.late'));
	else if (k.status === 'stalled') out.push(t('task.cause.stalled', sched.window || 14));
	else if (k.forecast_basis === 'no_pace') out.push(t('task.cause.nopace'));
	else out.push(t('task.cause.own'));
	return out;
}

// Whom the task holds up: downstream tasks (with unit and customer) and its own customer.
export function impacts(k, sched, r) {
	if (!behind(k)) return ['–'];
	const list = (k.impacts || []).map((c) => {
		const d = sched.tasks.find((x) => x.task === c);
		const who = d ? [nameOf(r, d.unit) || d.unit, d.customer].filter(Boolean).join(' → ') : '';
		return h('span', {}, taskLink(c, sched), who ? ` (${who})` : '');
	});
	const parts = list.flatMap((n, i) => (i ? ['; ', n] : [n]));
	if (k.customer) parts.push(parts.length ? '; ' : '', h('strong', {}, k.customer));
	return parts.length ? parts : ['–'];
}

export function forecastText(k) {
	return k.forecast_finish ? date(k.forecast_finish) : t('task.forecast.none');
}

// One sentence on the task that holds up the most: which factories will wait.
function headline(list, sched) {
	const k = list.find((x) => x.impacts && x.impacts.length) || list[0];
	const who = new Set([k.customer, ...(k.impacts || []).map((c) => (sched.tasks.find((x) => x.task === c) || {}).customer)]
		.filter(Boolean));
	return h('p', { class: 'headline', id: 'risk-headline' }, t('dash.risk.headline', k.task, k.name || '', [...who].join(', ') || '–',
		(k.impacts || []).length, k.forecast_finish ? date(k.forecast_finish) : t('task.forecast.none'), date(k.due)));
}

export function riskList(sched, r) {
	const list = atRisk(sched);
	if (!list.length) return h('p', { class: 'muted' }, t('dash.risk.none'));
	return h('div', {}, headline(list, sched), h('p', { class: 'small' }, downloads('/schedule', { as_of: sched.as_of })), h('ul', { class: 'risk', id: 'risk-list' }, list.map((k) => h('li', { class: `st-${k.status}`, dataset: { task: k.task } },
		h('div', { class: 'head' }, taskLink(k.task, sched), badge('status', k.status),
			k.hard ? h('span', { class: 'badge b-hard' }, t('task.hard')) : null,
			h('span', { class: 'muted small' }, nameOf(r, k.unit) || k.unit)),
		h('dl', {},
			h('dt', {}, t('task.cause')), h('dd', { class: 'cause' }, cause(k, sched)),
			h('dt', {}, t('task.impacts')), h('dd', { class: 'impacts' }, impacts(k, sched, r)),
			h('dt', {}, `${t('task.due')} / ${t('task.forecast')}`),
			h('dd', {}, `${date(k.due)} / ${forecastText(k)}`,
				k.slip_days ? ` (+${num(k.slip_days)} ${t('task.days')})` : ''),
			h('dt', {}, `${t('task.done')} / ${t('task.quantity')}`),
			h('dd', {}, `${num(k.done)} / ${num(k.quantity)} (${t('task.planned')}: ${num(k.planned_to_date)})`))))));
}
