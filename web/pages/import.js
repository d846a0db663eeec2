// pages/import.js: CSV or Excel (.xlsx) upload for every import kind. The
// file is first sent with ?dry_run=1: nothing is written, and every faulty
// line is listed (line, column, message; for a workbook the cell, as
// upload.xlsx:Sheet1!D7). Only a clean file can then be written, all or
// nothing (POST /api/v1/{kind} with Content-Type text/csv, or the XLSX
// type with the workbook's bytes). The kind's current rows download as
// CSV or XLSX.
import { api, ApiError } from '../api.js';
import { t, num } from '../i18n.js';
import { h, card, table, message, downloads } from '../ui.js';
import { invalidate } from '../data.js';
import { may } from '../caps.js';

// The contract's import kinds and their columns (required ones first, marked *).
export const KINDS = {
	units: 'code*, name*, parent, kind, bloc, military',
	people: 'code*, name*, unit*, category*, joined*, left',
	ratings: 'year*, subject*, rating*',
	awards: 'year*, subject*, award*, decision, date, based_on',
	innovations: 'code*, kind*, title*, year*, level*, authors*, benefit',
	discipline: 'subject*, form*, from*, to',
	incidents: 'unit*, date*, severity*, description',
	records: 'subject*, metric*, date*, value*',
	targets: 'movement*, subject*, criterion*, target*',
	pledges: 'movement*, subject*, award, by, note',
	tasks: 'code*, name*, unit*, quantity*, start*, due*, product, customer, hard',
	'task-links': 'task*, depends_on*, lag_days',
	progress: 'task*, date*, quantity*',
	indicators: 'year*, unit*, indicator*, value*',
};

export async function render(root, params, ctx) {
	root.append(h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('import.title')),
		h('p', { class: 'muted' }, t('import.intro')))));
	const kind = h('select', { id: 'import-kind', name: 'kind', 'aria-describedby': 'import-cols' },
		// the kinds this caller may write (award history decided before Thi
		// đua: the administrator's alone), as GET /me says
		Object.keys(KINDS).filter((k) => may('POST', `/${k}`))
			.map((k) => h('option', { value: k }, `${t(`kind.${k}`)} (${k})`)));
	const cols = h('div', { class: 'hint', id: 'import-cols' });
	const current = h('div', { class: 'hint', id: 'import-current' });
	const showCols = () => {
		cols.textContent = `${t('import.columns')}: ${KINDS[kind.value]}`;
		current.replaceChildren(`${t('import.current')} — `, downloads(kind.value));
	};
	showCols();
	const file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
	const check = h('button', { type: 'submit', class: 'btn btn-primary', id: 'import-check' }, t('import.check'));
	const write = h('button', { type: 'button', class: 'btn', id: 'import-write', disabled: true }, t('import.write'));
	const out = h('div', { id: 'import-result', 'aria-live': 'polite' });
	let text = null;
	const reset = () => { write.disabled = true; out.replaceChildren(); };
	kind.addEventListener('change', () => { reset(); showCols(); });
	file.addEventListener('change', reset);

	const send = async (dry) => {
		const f = file.files[0];
		if (!f) {
			out.replaceChildren(message('error', t('import.nofile')));
			return;
		}
		const xlsx = /\.xlsx$/i.test(f.name);
		text = xlsx ? await f.arrayBuffer() : await f.text();
		try {
			const doc = await api('POST', `/${kind.value}`, text, { csv: !xlsx, xlsx, query: dry ? { dry_run: 1 } : undefined });
			if (dry) {
				out.replaceChildren(message('ok', t('import.ok', num(doc.rows))));
				write.disabled = false;
			} else {
				invalidate();
				out.replaceChildren(message('ok', t('import.written', num(doc.written ?? doc.rows), kind.value)));
				write.disabled = true;
			}
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			write.disabled = true;
			const errs = e.errors.length ? e.errors : [{ line: null, field: e.field, message: e.message }];
			out.replaceChildren(message('error', t('import.errors')), table([
				{ label: t('import.line'), num: true, cell: (x) => (x.line ? String(x.line) : '–') },
				{ label: t('import.field'), cell: (x) => [x.field || '–', x.column ? h('span', { class: 'muted small' }, ` (${x.column})`) : ''] },
				{ label: t('import.cell'), cell: (x) => x.at || '–' },
				{ label: t('import.message'), cell: (x) => x.message },
			], errs, { class: 'import-errors' }));
		}
	};
	const form = h('form', { id: 'import-form' },
		h('div', { class: 'form-grid' },
			h('div', { class: 'field' }, h('label', { for: 'import-kind' }, t('import.kind')), kind, cols, current),
			h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('import.file')), file)),
		h('div', { class: 'inline-form' }, check, write));
	form.addEventListener('submit', (ev) => { ev.preventDefault(); send(true); });
	write.addEventListener('click', () => send(false));
	root.append(card(null, form, out));
}
