// ui.js: small DOM helpers shared by the pages. h() builds elements from
// data (text is always set as text, never parsed as HTML, so names from
// the database cannot inject markup); table(), badge(), card() give the
// app's few recurring shapes.
import { t, label } from './i18n.js';
import { csvToFile } from './api.js';

// h('a', {href: '#/', class: 'x', onclick: fn}, 'text', child, [children])
export function h(tag, attrs = {}, ...kids) {
	const el = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === undefined || v === null || v === false) continue;
		if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
		else if (k === 'class') el.className = v;
		else if (k === 'dataset') Object.assign(el.dataset, v);
		else el.setAttribute(k, v === true ? '' : String(v));
	}
	append(el, kids);
	return el;
}

function append(el, kids) {
	for (const k of kids) {
		if (k === null || k === undefined || k === false) continue;
		if (Array.isArray(k)) append(el, k);
		else el.append(k instanceof Node ? k : document.createTextNode(String(k)));
	}
}

// Two columns of cards appended to root: [left, right]; left spans `wide` of 12.
export function columns(root, wide = 7) {
	const left = h('div', { class: `span-${wide} stack` });
	const right = h('div', { class: `span-${12 - wide} stack` });
	root.append(h('div', { class: 'grid' }, left, right));
	return [left, right];
}

// A section with a heading.
export function card(title, ...body) {
	return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...body);
}

// table([{key, label, cell(row)->node|string, num: bool}], rows, {caption, empty})
export function table(cols, rows, opts = {}) {
	if (!rows.length && opts.empty) return h('p', { class: 'muted' }, opts.empty);
	return h('div', { class: 'table-wrap' },
		h('table', { class: opts.class || '' },
			opts.caption ? h('caption', {}, opts.caption) : null,
			h('thead', {}, h('tr', {}, cols.map((c) =>
				h('th', { scope: 'col', class: c.num ? 'num' : '' }, c.label)))),
			h('tbody', {}, rows.map((r) => h('tr', {}, cols.map((c) =>
				h('td', { class: c.num ? 'num' : '' },
					c.cell ? c.cell(r) : r[c.key] ?? '–')))))));
}

// The first n rows through make(rows); a button shows every row.
export function firstRows(rows, n, make) {
	if (rows.length <= n) return make(rows);
	const box = h('div', {}, make(rows.slice(0, n)));
	box.append(h('button', {
		type: 'button', class: 'btn btn-ghost show-all',
		onclick: () => box.replaceChildren(make(rows)),
	}, t('common.showall', rows.length)));
	return box;
}

export function badge(prefix, code, cls = code) {
	return h('span', { class: `badge b-${cls}` }, label(prefix, code));
}

// Where an award row came from: nothing for the ledger (a decision made in
// Thi đua); a badge for history imported by an administrator, who, when
// and from which file on hover.
export function awardSource(a) {
	if (a.source !== 'import') return '';
	const by = [a.imported_by, a.imported_at && a.imported_at.slice(0, 10), a.file].filter(Boolean).join(' · ');
	return h('span', { class: 'badge b-imported', title: t('award.imported.title', by || '–') }, t('award.imported'));
}

// A rating as its short code (HTXSNV…), the full label on hover.
export function ratingBadge(code) {
	return h('span', { class: `badge b-${code}`, title: label('rating', code) }, code);
}

export function link(href, text) {
	return h('a', { href }, text);
}

export function subjectLink(code, name) {
	return h('a', { href: `#/subject/${encodeURIComponent(code)}` }, name ? `${name}` : code);
}

export function message(kind, text) {
	return h('div', { class: `msg msg-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function loading() {
	return h('p', { class: 'muted', 'aria-busy': 'true' }, t('common.loading'));
}

export function today() {
	const d = new Date();
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

// Links downloading a list as the server has it, as CSV and as XLSX, with
// the list's filters (query): every row of an import kind ('people': GET
// /api/v1/people?format=…) or the rows of a report ('/schedule',
// '/movements/X/scores', '/eligibility': the route's ?format=, docs/api.md).
export function downloads(kind, query = {}) {
	const path = kind.startsWith('/') ? kind : `/${kind}`;
	const name = decodeURIComponent(path.split('/').filter(Boolean).pop());
	const href = (format) => `/api/v1${path}?${new URLSearchParams({ ...query, format })}`;
	return h('span', { class: 'downloads' }, t('common.download'), ' ',
		h('a', { href: href('csv'), download: `${name}.csv`, class: 'dl-csv' }, 'CSV'), ' · ',
		h('a', { href: href('xlsx'), download: `${name}.xlsx`, class: 'dl-xlsx' }, 'XLSX'));
}

// A download of rows already on the page (lists no endpoint gives whole,
// e.g. the rating grid, typed ratings included): cols [{label, value(row)}]
// as a CSV file made here, and with xlsx the same rows as an XLSX workbook
// the server makes of them (POST /api/v1/xlsx; nothing is stored).
export function csvDownload(name, cols, rows, xlsx) {
	const q = (v) => { const s = v == null ? '' : String(v); return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s; };
	const text = () => [cols.map((c) => q(c.label)), ...rows().map((r) => cols.map((c) => q(c.value(r))))]
		.map((l) => l.join(',')).join('\r\n') + '\r\n';
	const a = h('a', { href: '#', download: name, class: 'dl-csv' }, 'CSV');
	a.addEventListener('click', () => {
		a.href = URL.createObjectURL(new Blob(['\ufeff' + text()], { type: 'text/csv;charset=utf-8' }));
	});
	let x = null;
	if (xlsx) {
		const stem = name.replace(/\.csv$/, '');
		x = h('a', { href: '#', download: `${stem}.xlsx`, class: 'dl-xlsx' }, 'XLSX');
		// first click: ask the server for the workbook, then click again on
		// the file it gave (the browser saves it under the link's name)
		x.addEventListener('click', async (ev) => {
			if (x.dataset.ready) { delete x.dataset.ready; return; }
			ev.preventDefault();
			x.setAttribute('aria-busy', 'true');
			try {
				x.href = URL.createObjectURL(await csvToFile('/xlsx', text(), { name: stem }));
				x.dataset.ready = '1';
				x.click();
			} catch (e) {
				x.title = e.message;	// a refusal (e.g. the session ended: api.js sends the user to log in)
			} finally {
				x.removeAttribute('aria-busy');
			}
		});
	}
	return h('span', { class: 'downloads' }, t('common.download'), ' ', a, x ? [' · ', x] : null);
}
