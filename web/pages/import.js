// pages/import.js: CSV upload for every import kind. The file is first
// sent with ?dry_run=1: nothing is written, and every faulty line is
// listed (line, column, message). Only a clean file can then be written,
// all or nothing (POST /api/v1/{kind} with Content-Type text/csv).
import { api, ApiError } from '../api.js';
import { t, num } from '../i18n.js';
import { h, card, table, message } from '../ui.js';
import { invalidate } from '../data.js';

export const KINDS = ['units', 'people', 'ratings', 'awards', 'innovations', 'discipline', 'incidents',
	'records', 'targets', 'pledges', 'tasks', 'task-links', 'progress', 'indicators'];

export async function render(root) {
	root.append(h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('import.title')),
		h('p', { class: 'muted' }, t('import.intro')))));
	const kind = h('select', { id: 'import-kind', name: 'kind' },
		KINDS.map((k) => h('option', { value: k }, `${t(`kind.${k}`)} (${k})`)));
	const file = h('input', { id: 'import-file', name: 'file', type: 'file', accept: '.csv,text/csv' });
	const check = h('button', { type: 'submit', class: 'btn btn-primary', id: 'import-check' }, t('import.check'));
	const write = h('button', { type: 'button', class: 'btn', id: 'import-write', disabled: true }, t('import.write'));
	const out = h('div', { id: 'import-result', 'aria-live': 'polite' });
	let text = null;
	const reset = () => { write.disabled = true; out.replaceChildren(); };
	kind.addEventListener('change', reset);
	file.addEventListener('change', reset);

	const send = async (dry) => {
		const f = file.files[0];
		if (!f) {
			out.replaceChildren(message('error', t('import.nofile')));
			return;
		}
		text = await f.text();
		try {
			const doc = await api('POST', `/${kind.value}`, text, { csv: true, query: dry ? { dry_run: 1 } : undefined });
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
				{ label: t('import.message'), cell: (x) => x.message },
			], errs, { class: 'import-errors' }));
		}
	};
	const form = h('form', { id: 'import-form' },
		h('div', { class: 'form-grid' },
			h('div', { class: 'field' }, h('label', { for: 'import-kind' }, t('import.kind')), kind),
			h('div', { class: 'field' }, h('label', { for: 'import-file' }, t('import.file')), file)),
		h('div', { class: 'inline-form' }, check, write));
	form.addEventListener('submit', (ev) => { ev.preventDefault(); send(true); });
	write.addEventListener('click', () => send(false));
	root.append(card(null, form, out));
}
