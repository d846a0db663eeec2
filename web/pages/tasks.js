// pages/tasks.js: every key task of the schedule in one table, filtered by
// status (and hard tasks only), hard tasks and the biggest slips first, as
// the forecast document orders them (GET /schedule?as_of=).
import { get, all } from '../api.js';
import { timeline } from './timeline.js';
import { t, label, num, date } from '../i18n.js';
import { h, card, table, badge, firstRows, today, downloads } from '../ui.js';
import { ref, nameOf, known } from '../data.js';
import { cause, forecastText, taskLink } from './risk.js';

const STATUSES = ['late', 'stalled', 'at_risk', 'on_track', 'done'];

export async function render(root, params) {
	const r = await ref();
	const asOf = params.query.get('as_of') || today();
	const want = params.query.get('status') || '';
	const hardOnly = params.query.get('hard') === '1';
	const sched = await get('/schedule', { as_of: asOf });
	const rows = sched.tasks.filter((k) => (!want || k.status === want) && (!hardOnly || k.hard));
	await known(r, rows.map((k) => k.unit));
	const status = h('select', { id: 't-status', name: 'status' }, h('option', { value: '' }, t('tasks.all')),
		STATUSES.map((s) => h('option', { value: s, selected: s === want }, label('status', s))));
	const hard = h('input', { id: 't-hard', type: 'checkbox', checked: hardOnly });
	const asOfIn = h('input', { id: 't-asof', type: 'date', value: asOf });
	const form = h('form', {
		class: 'inline-form',
		onsubmit: (ev) => {
			ev.preventDefault();
			const q = new URLSearchParams({ as_of: asOfIn.value });
			if (status.value) q.set('status', status.value);
			if (hard.checked) q.set('hard', '1');
			location.hash = `#/tasks?${q}`;
		},
	}, h('div', { class: 'field' }, h('label', { for: 't-status' }, t('task.status')), status),
	h('div', { class: 'field check' }, h('label', { for: 't-hard' }, hard, ` ${t('task.hard')}`)),
	h('div', { class: 'field' }, h('label', { for: 't-asof' }, t('common.as_of')), asOfIn),
	h('div', { class: 'field' }, h('button', { class: 'btn', type: 'submit' }, t('common.apply'))));
	const counts = STATUSES.map((s) => [s, sched.tasks.filter((k) => k.status === s).length]).filter(([, n]) => n);
	root.append(h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('tasks.title')),
		h('p', {}, counts.flatMap(([s, n]) => [badge('status', s), ` ${num(n)}  `]))), form));
	const links = await all('/task-links');
	root.append(card(t('tasks.timeline'), timeline(rows, links, asOf)));
	root.append(h('p', { class: 'small' }, downloads('/schedule', { as_of: asOf }), ' ', downloads('tasks'), ' ',
		downloads('task-links'), ' ', downloads('progress', { to: asOf })));
	root.append(card(null, firstRows(rows, 50, (list) => table([
		{ label: t('task.task'), cell: (k) => [taskLink(k.task, sched), k.hard ? h('span', { class: 'tag' }, t('task.hard')) : null] },
		{ label: t('common.unit'), cell: (k) => nameOf(r, k.unit) || k.unit },
		{ label: t('task.customer'), cell: (k) => k.customer || '–' },
		{ label: t('task.status'), cell: (k) => badge('status', k.status) },
		{ label: t('task.due'), cell: (k) => date(k.due) },
		{ label: t('task.forecast'), cell: (k) => forecastText(k) },
		{ label: t('task.done'), num: true, cell: (k) => `${num(k.done)} / ${num(k.quantity)}` },
		{ label: t('task.cause'), cell: (k) => h('span', { class: 'small' }, cause(k, sched)) },
	], list, { class: 'tasks', empty: t('common.none') }))));
}
