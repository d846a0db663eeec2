// pages/task.js: one key task. Its forecast and status, the cause followed
// upstream task by task, the tasks (and customers) it holds up downstream,
// its progress, a form to enter progress that re-reads the forecast and
// says how it moved, and for a hard task at risk the launch of the raid
// campaign suggested for it.
import { get, all, api, ApiError } from '../api.js';
import { t, num, date } from '../i18n.js';
import { h, card, table, badge, message, subjectLink, today, columns, downloads, csvDownload } from '../ui.js';
import { ref, nameOf, invalidate, known } from '../data.js';
import { mvName } from './movements.js';
import { cause, impacts, forecastText, taskLink, behind } from './risk.js';
import { kindForm } from './entry.js';
import { may } from '../caps.js';

export async function render(root, params, ctx) {
	const r = await ref();
	const code = params.code;
	const asOf = params.query.get('as_of') || today();
	const sched = await get('/schedule', { as_of: asOf });
	const k = sched.tasks.find((x) => x.task === code);
	await known(r, sched.tasks.map((x) => x.unit));
	if (!k) {
		root.append(message('error', t('task.notfound', code)));
		return;
	}
	root.append(h('div', { class: 'page-head' }, h('div', {},
		h('div', { class: 'crumbs' }, h('a', { href: '#/tasks' }, t('nav.tasks')), ' › ', k.task),
		h('h1', { id: 'task-title' }, `${k.task} · ${k.name || ''}`),
		h('p', {}, badge('status', k.status), ' ', k.hard ? h('span', { class: 'badge b-hard' }, t('task.hard')) : null,
			' ', subjectLink(k.unit, nameOf(r, k.unit) || k.unit)))));
	const flash = h('div', { id: 'task-flash', 'aria-live': 'polite' });
	root.append(flash);

	const [left, right] = columns(root);

	left.append(card(t('task.task'), facts(k, sched, r)));
	const prog = (await all('/progress', { to: asOf })).filter((p) => p.task === code)
		.sort((a, b) => b.date.localeCompare(a.date));
	left.append(card(t('task.chart'), progressChart(k, prog, asOf)));
	left.append(card(t('task.chain.up'), upstream(k, sched, r)));
	left.append(card(t('task.chain.down'), downstream(k, sched, r)));

	const before = forecastText(k);
	right.append(card(t('task.progress.add'), kindForm('progress', { task: code, date: asOf }, async () => {
		const next = await get('/schedule', { as_of: asOf });
		const k2 = next.tasks.find((x) => x.task === code);
		const after = k2 ? forecastText(k2) : before;
		const box = h('div', {});
		await render(box, params, ctx);
		root.replaceChildren(...box.childNodes);
		root.querySelector('#task-flash').replaceChildren(message('ok', t('task.forecast.changed', before, after)));
	})));
	right.append(card(t('task.progress'), h('p', { class: 'small' }, downloads('progress', { to: asOf })), table([
		{ label: t('common.date'), cell: (p) => date(p.date) },
		{ label: t('field.quantity'), num: true, cell: (p) => num(p.quantity) },
	], prog.slice(0, 20), { empty: t('common.none') })));
	if (k.hard && k.status !== 'done' && k.status !== 'on_track') {
		// the launch comes first: it is what a task at risk calls for
		const c = card(t('task.campaign'), campaign(k, asOf, ctx, r, params.query.get('campaign') === '1'));
		c.id = 'campaign';
		right.prepend(c);
	}
}

// The raid campaign for a hard task at risk: the launch button fetches the
// suggestion (GET /schedule/suggestions), shows its YAML and targets for
// review; confirming loads the movement (POST /movements), then its
// targets (POST /targets), and opens the movement's standings.
function campaign(k, asOf, ctx, r, open) {
	const box = h('div', { id: 'campaign-box', 'aria-live': 'polite' });
	if (!may('POST', '/movements')) {
		box.append(h('p', { class: 'muted' }, t('task.campaign.role')));
		return box;
	}
	const launch = h('button', { type: 'button', id: 'campaign-launch', class: 'btn btn-primary' }, t('task.campaign'));
	const review = async () => {
		launch.disabled = true;
		const doc = await get('/schedule/suggestions', { as_of: asOf, task: k.task });
		const s = doc.campaigns.find((x) => x.task === k.task);
		if (s) await known(r, [s.movement.scope, ...s.targets.map((x) => x.subject)]);
		box.replaceChildren(s ? proposal(s, r) : message('info', t('task.campaign.none')));
	};
	launch.addEventListener('click', review);
	box.append(h('p', {}, t('task.campaign.intro')), launch);
	if (open) review();
	return box;
}

function proposal(s, r) {
	const mv = s.movement;
	const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
	const confirm = h('button', { type: 'button', id: 'campaign-confirm', class: 'btn btn-primary' }, t('task.campaign.confirm'));
	confirm.addEventListener('click', async () => {
		confirm.disabled = true;
		status.replaceChildren();
		try {
			await api('POST', '/movements', { yaml: s.yaml });
			await api('POST', '/targets', s.targets);
			invalidate();
			location.hash = `#/movements/${encodeURIComponent(mv.code)}`;
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			status.replaceChildren(message('error', e.field ? `${e.field}: ${e.message}` : e.message));
			confirm.disabled = false;
		}
	});
	return h('div', { id: 'campaign-review' },
		h('p', {}, t('task.campaign.why', num(s.remaining), num(s.days), num(s.daily_target, 2), num(s.pace, 1))),
		h('div', { class: 'risk' }, h('dl', {},
			h('dt', {}, t('common.code')), h('dd', {}, mv.code),
			h('dt', {}, t('common.name')), h('dd', {}, mvName(mv)),
			h('dt', {}, t('task.campaign.period')), h('dd', {}, `${date(mv.start)} – ${date(mv.end)}`),
			h('dt', {}, t('common.unit')), h('dd', {}, nameOf(r, mv.scope) || mv.scope))),
		h('p', { class: 'small' }, csvDownload(`campaign-${s.task}.csv`, [
			{ label: 'subject', value: (x) => x.subject }, { label: 'name', value: (x) => nameOf(r, x.subject) },
			{ label: 'criterion', value: (x) => x.criterion }, { label: 'target', value: (x) => x.target },
		], () => s.targets, true)),
		table([
			{ label: t('mv.subject'), cell: (x) => nameOf(r, x.subject) || x.subject },
			{ label: t('mv.criterion'), key: 'criterion' },
			{ label: t('mv.target'), num: true, cell: (x) => num(x.target, 2) },
		], s.targets, { class: 'campaign-targets' }),
		h('details', { open: true }, h('summary', {}, t('task.campaign.yaml')),
			h('pre', { class: 'code', id: 'campaign-yaml' }, s.yaml)),
		status, confirm);
}

// Cumulative quantity done against the straight plan from start to due
// (x: day numbers on a linear axis, labelled as dates).
function progressChart(k, prog, asOf) {
	const canvas = h('canvas', { id: 'chart-progress', role: 'img', 'aria-label': t('task.chart') });
	const Chart = window.Chart;
	if (!Chart || !k.start || !k.due) return h('div', { class: 'chart-box' }, canvas);
	const day = (d) => Math.round(Date.parse(`${d}T00:00:00Z`) / 86400000);
	const iso = (n) => new Date(n * 86400000).toISOString().slice(0, 10);
	let sum = 0;
	const done = [{ x: day(k.start), y: 0 }, ...[...prog].sort((a, b) => a.date.localeCompare(b.date))
		.map((p) => ({ x: day(p.date), y: (sum += Number(p.quantity)) }))];
	const plan = [{ x: day(k.start), y: 0 }, { x: day(k.due), y: k.quantity }];
	const fc = k.forecast_finish ? [{ x: day(asOf), y: k.done }, { x: day(k.forecast_finish), y: k.quantity }] : [];
	const line = (label, data, color, dash) => ({ label, data, borderColor: color, backgroundColor: color, borderDash: dash, pointRadius: 0, tension: 0 });
	new Chart(canvas, {
		type: 'line',
		data: {
			datasets: [
				line(t('task.done'), done, '#1d4e89', []),
				line(t('task.plan'), plan, '#8a4b00', [6, 4]),
				fc.length ? line(t('task.forecast'), fc, '#a61b1b', [2, 3]) : null,
			].filter(Boolean),
		},
		options: {
			animation: false, responsive: true, maintainAspectRatio: false, parsing: false,
			scales: { x: { type: 'linear', ticks: { callback: (v) => date(iso(v)), maxTicksLimit: 8 } } },
			plugins: {
				legend: { position: 'bottom' },
				tooltip: { callbacks: { title: (items) => date(iso(items[0].parsed.x)) } },
			},
		},
	});
	return h('div', { class: 'chart-box' }, canvas);
}

function facts(k, sched, r) {
	const row = (key, val) => [h('dt', {}, t(key)), h('dd', {}, val)];
	return h('div', { class: 'risk' }, h('dl', { id: 'task-facts' },
		row('task.product', k.product || '–'),
		row('task.customer', k.customer || '–'),
		row('task.quantity', `${num(k.done)} / ${num(k.quantity)}`),
		row('task.planned', num(k.planned_to_date)),
		row('task.start', date(k.start)),
		row('task.due', date(k.due)),
		row('task.forecast', h('strong', { id: 'forecast' }, forecastText(k))),
		row('task.slip', k.slip_days === null || k.slip_days === undefined ? '–' : num(k.slip_days)),
		row('task.pace', num(k.pace, 1)),
		row('task.cause', h('span', { class: 'cause' }, cause(k, sched))),
		row('task.impacts', h('span', {}, impacts(k, sched, r)))));
}

// The chain of causes: each upstream task with its own status and cause.
function upstream(k, sched, r) {
	const seen = new Set();
	const rows = [];
	const walk = (x, depth) => {
		for (const c of x.caused_by || []) {
			if (seen.has(c)) continue;
			seen.add(c);
			const u = sched.tasks.find((y) => y.task === c);
			if (!u) continue;
			rows.push({ u, depth });
			walk(u, depth + 1);
		}
	};
	walk(k, 0);
	if (!rows.length) return h('p', { class: 'muted' }, behind(k) ? cause(k, sched) : t('common.none'));
	return [h('p', { class: 'small' }, csvDownload(`upstream-${k.task}.csv`, [
		{ label: 'task', value: ({ u }) => u.task }, { label: 'depth', value: ({ depth }) => depth },
		{ label: 'unit', value: ({ u }) => u.unit }, { label: 'status', value: ({ u }) => u.status },
	], () => rows, true)), table([
		{ label: t('task.task'), cell: ({ u, depth }) => [depth ? '↳ '.repeat(depth) : '', taskLink(u.task, sched)] },
		{ label: t('common.unit'), cell: ({ u }) => nameOf(r, u.unit) || u.unit },
		{ label: t('task.status'), cell: ({ u }) => badge('status', u.status) },
		{ label: t('task.cause'), cell: ({ u }) => cause(u, sched) },
	], rows, { class: 'chain-up' })];
}

function downstream(k, sched, r) {
	const rows = (k.impacts || []).map((c) => sched.tasks.find((y) => y.task === c)).filter(Boolean);
	const dl = rows.length ? h('p', { class: 'small' }, csvDownload(`downstream-${k.task}.csv`, [
		{ label: 'task', value: (u) => u.task }, { label: 'unit', value: (u) => u.unit },
		{ label: 'customer', value: (u) => u.customer || '' }, { label: 'due', value: (u) => u.due },
		{ label: 'status', value: (u) => u.status },
	], () => rows, true)) : null;
	return [dl, table([
		{ label: t('task.task'), cell: (u) => taskLink(u.task, sched) },
		{ label: t('common.unit'), cell: (u) => nameOf(r, u.unit) || u.unit },
		{ label: t('task.customer'), cell: (u) => u.customer || '–' },
		{ label: t('task.due'), cell: (u) => date(u.due) },
		{ label: t('task.status'), cell: (u) => badge('status', u.status) },
	], rows, { empty: t('common.none') })];
}
