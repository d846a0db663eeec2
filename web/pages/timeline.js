// pages/timeline.js: key tasks on a timeline, plain SVG. One row per task:
// the plan bar (start → due) and the forecast bar (start → forecast
// finish), today's line, arrows from a task to those that depend on it
// (task-links) and to the other factory (customer) it delivers to; tasks
// late, stalled or at risk, and the links between them, are marked as the
// at-risk chain. Open tasks come first, by planned start; the codes stay in a column of
// their own while the bars' box scrolls sideways, opened at today's line.
// Tasks finished more than OLD days before today are left out (a note
// says how many: years of delivered tasks would stretch the axis over
// metres and bury the open ones). The customer column is as wide as the
// longest customer's name. In print the codes are drawn inside the bars'
// drawing (the separate column is hidden) so that, scaled to the page,
// codes and bars stay on the same rows.
import { h } from '../ui.js';
import { t } from '../i18n.js';

const NS = 'http://www.w3.org/2000/svg';
const RISK = new Set(['late', 'stalled', 'at_risk']);
const DAY = 86400000;

function s(tag, attrs = {}, ...kids) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
	for (const c of kids) el.append(c);
	return el;
}

const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY;

export const OLD = 90;

// The tasks the timeline draws: every open one, and the finished ones of
// the last OLD days (all of them when that leaves none).
export function recent(all, asOf) {
	const cut = day(asOf) - OLD;
	const list = all.filter((k) => k.status !== 'done' || day(k.forecast_finish || k.due) >= cut);
	return list.length ? list : all;
}

export function timeline(all, links, asOf) {
	const ROW = 28, LABELS = 92, LEFT = LABELS + 8, PX = 3;
	// Open tasks first (what is still to do), then finished ones; each by
	// planned start.
	const key = (k) => `${k.status === 'done' ? 1 : 0}${k.start}${k.task}`;
	const tasks = recent(all, asOf).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
	const older = all.length - tasks.length;
	// about 6.6 px a character of 12 px text, and room for the arrow
	const CUST = Math.min(280, Math.max(60, 24 + Math.ceil(6.6 * Math.max(0, ...tasks.map((k) => (k.customer || '').length)))));
	const days = tasks.flatMap((k) => [k.start, k.due, k.forecast_finish].filter(Boolean).map(day));
	days.push(day(asOf));
	const lo = Math.min(...days) - 3, hi = Math.max(...days) + 3;
	const x = (iso) => LEFT + (day(iso) - lo) * PX;
	const width = LEFT + (hi - lo) * PX + CUST, height = (tasks.length + 1) * ROW + 10;
	const row = new Map(tasks.map((k, i) => [k.task, i]));
	const y = (i) => ROW + i * ROW;
	const svg = s('svg', { class: 'timeline', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img',
		'aria-label': t('tasks.timeline') },
	s('defs', {}, s('marker', { id: 'tl-arrow', viewBox: '0 0 8 8', refX: 8, refY: 4, markerWidth: 6, markerHeight: 6, orient: 'auto' },
		s('path', { d: 'M0,0 L8,4 L0,8 z', fill: 'context-stroke' }))));
	tasks.forEach((k, i) => {
		const risk = RISK.has(k.status);
		const g = s('g', { class: `tl-task${risk ? ' tl-risk' : ''}`, 'data-task': k.task });
		g.append(s('rect', { class: 'tl-plan', x: x(k.start), y: y(i) + 3, width: Math.max(2, x(k.due) - x(k.start) + PX), height: 9 }));
		const fin = k.forecast_finish || k.due;
		g.append(s('rect', { class: 'tl-forecast', x: x(k.start), y: y(i) + 13, width: Math.max(2, x(fin) - x(k.start) + PX), height: 9 }));
		g.append(s('title', {}, `${k.task}: ${k.start} → ${k.due} (${t('task.forecast')} ${fin})`));
		svg.append(g);
	});
	const risky = (c) => RISK.has((tasks[row.get(c)] || {}).status);
	for (const l of links) {
		if (!row.has(l.task) || !row.has(l.depends_on)) continue;
		const a = tasks[row.get(l.depends_on)], i = row.get(l.depends_on), j = row.get(l.task);
		const x1 = x(a.forecast_finish || a.due) + PX, x2 = x(tasks[j].start);
		svg.append(s('path', { class: `tl-link${risky(l.depends_on) ? ' tl-risk' : ''}`, 'data-from': l.depends_on, 'data-to': l.task,
			d: `M${x1},${y(i) + 17} C${x1 + 20},${y(i) + 17} ${x2 - 20},${y(j) + 8} ${x2},${y(j) + 8}`, 'marker-end': 'url(#tl-arrow)' }));
	}
	tasks.forEach((k, i) => {
		if (!k.customer) return;
		const x1 = x(k.forecast_finish || k.due) + PX;
		svg.append(s('path', { class: `tl-link tl-customer${RISK.has(k.status) ? ' tl-risk' : ''}`, 'data-from': k.task, 'data-to': k.customer,
			d: `M${x1},${y(i) + 17} L${width - CUST + 8},${y(i) + 17}`, 'marker-end': 'url(#tl-arrow)' }));
		svg.append(s('text', { x: width - CUST + 12, y: y(i) + 21, class: 'tl-cust' }, k.customer));
	});
	svg.append(s('line', { class: 'tl-today', x1: x(asOf), x2: x(asOf), y1: 4, y2: height - 4 }));
	svg.append(s('text', { class: 'tl-today-label', x: x(asOf) + 3, y: 14 }, t('tasks.today')));
	// the codes again inside the drawing, shown only in print
	tasks.forEach((k, i) => svg.append(s('text', { x: 4, y: y(i) + 17, class: `tl-label tl-inlabel${RISK.has(k.status) ? ' tl-risk' : ''}` }, k.task)));
	const names = s('svg', { class: 'timeline tl-names', width: LABELS, height, viewBox: `0 0 ${LABELS} ${height}`, 'aria-hidden': 'true' });
	tasks.forEach((k, i) => names.append(s('text', { x: 4, y: y(i) + 17, class: `tl-label${RISK.has(k.status) ? ' tl-risk' : ''}` }, k.task)));
	const box = h('div', { class: 'tl-box', id: 'timeline', tabindex: '0', role: 'region', 'aria-label': t('tasks.timeline') }, svg);
	// Open at today: the plan around it is what a planner looks at first.
	requestAnimationFrame(() => { box.scrollLeft = Math.max(0, x(asOf) - box.clientWidth * 0.6); });
	const wrap = h('div', { class: 'tl-wrap' }, names, box);
	return older ? h('div', {}, wrap, h('p', { class: 'muted small', id: 'tl-older' }, t('tasks.timeline.older', older, OLD))) : wrap;
}
