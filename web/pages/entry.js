// pages/entry.js: data-entry forms for records, progress, ratings,
// innovations, incidents (and targets, used by the movements page). The
// forms are declared in one table (kind → fields); a form posts one JSON
// object to POST /api/v1/{kind} and shows the API's validation message at
// the field it names ("[0].date" → the date input).
import { api, ApiError } from '../api.js';
import { t, label } from '../i18n.js';
import { h, card, message, today } from '../ui.js';
import { invalidate } from '../data.js';
import { picker } from '../picker.js';

const ENUMS = {
	rating: ['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV'],
	ikind: ['initiative', 'research', 'mechanisation'],
	level: ['base', 'ministry', 'national'],
	severity: ['minor', 'serious'],
};

// kind → [field, input type, required, enum prefix]
export const FORMS = {
	records: [['subject', 'text', 1], ['metric', 'text', 1], ['date', 'date', 1], ['value', 'number', 1]],
	progress: [['task', 'text', 1], ['date', 'date', 1], ['quantity', 'number', 1]],
	ratings: [['year', 'number', 1], ['subject', 'text', 1], ['rating', 'select', 1, 'rating']],
	innovations: [['code', 'text', 1], ['kind', 'select', 1, 'ikind'], ['title', 'text', 1], ['year', 'number', 1],
		['level', 'select', 1, 'level'], ['authors', 'text', 1], ['benefit', 'number', 0]],
	incidents: [['unit', 'text', 1], ['date', 'date', 1], ['severity', 'select', 1, 'severity'], ['description', 'text', 0]],
	targets: [['movement', 'text', 1], ['subject', 'text', 1], ['criterion', 'text', 1], ['target', 'number', 1]],
};
const PAGES = ['records', 'progress', 'ratings', 'innovations', 'incidents'];
// Fields whose code is found by name as the user types (picker.js): the
// search type each asks GET /api/v1/search for.
const PICK = { subject: 'subject', unit: 'unit', metric: 'metric', author: 'person' };

// A form for one kind; values pre-fill it; done(doc, row) after a write.
export function kindForm(kind, values = {}, done = () => {}) {
	const id = (f) => `f-${kind}-${f}`;
	const inputs = {};
	const errs = {};
	const status = h('div', { class: 'form-status', 'aria-live': 'polite' });
	const fields = FORMS[kind].map(([f, type, req, en]) => {
		const attrs = { id: id(f), name: f, required: Boolean(req), 'aria-describedby': `${id(f)}-err` };
		let input;
		if (type === 'select') {
			input = h('select', attrs, req ? null : h('option', { value: '' }, '–'),
				ENUMS[en].map((v) => h('option', { value: v, selected: values[f] === v }, `${v} · ${label(en, v)}`)));
		} else {
			// Numbers stay text inputs so the server's own message is the one shown.
			input = h('input', { ...attrs, type: type === 'number' ? 'text' : type, value: values[f] ?? (type === 'date' ? today() : ''),
				inputmode: type === 'number' ? 'decimal' : undefined });
		}
		inputs[f] = input;
		errs[f] = h('div', { class: 'ferr', id: `${id(f)}-err` });
		return h('div', { class: 'field' },
			h('label', { for: id(f) }, t(`field.${f}`), req ? '' : h('span', { class: 'muted small' }, ` (${t('common.optional')})`)),
			input, PICK[f] ? picker(input, PICK[f]) : null, errs[f]);
	});
	const form = h('form', { class: 'kind-form', dataset: { kind }, novalidate: true },
		status, h('div', { class: 'form-grid' }, fields),
		h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		status.replaceChildren();
		for (const f of Object.keys(inputs)) {
			inputs[f].removeAttribute('aria-invalid');
			errs[f].textContent = '';
		}
		const row = {};
		for (const [f] of FORMS[kind]) if (inputs[f].value.trim() !== '') row[f] = inputs[f].value.trim();
		try {
			const doc = await api('POST', `/${kind}`, row);
			invalidate();
			status.replaceChildren(message('ok', t('entry.done', doc.written ?? doc.rows ?? 1, t(`kind.${kind}`))));
			done(doc, row);
		} catch (e) {
			if (!(e instanceof ApiError)) throw e;
			const list = e.errors.length ? e.errors : [{ field: e.field, message: e.message }];
			let placed = 0;
			for (const x of list) {
				const f = String(x.field || '').replace(/^\[\d+\]\./, '');
				if (!inputs[f]) continue;
				inputs[f].setAttribute('aria-invalid', 'true');
				errs[f].textContent = x.message;
				if (!placed++) inputs[f].focus();
			}
			status.replaceChildren(message('error', placed ? t('entry.fix') : e.message));
		}
	});
	return form;
}

export async function render(root, params) {
	const kind = PAGES.includes(params.kind) ? params.kind : 'records';
	root.append(h('div', { class: 'page-head' }, h('div', {}, h('h1', {}, t('entry.title')),
		h('p', { class: 'muted' }, t('entry.intro')))));
	root.append(h('nav', { class: 'tabs', 'aria-label': t('entry.title') }, PAGES.map((k) =>
		h('a', { href: `#/entry/${k}`, 'aria-current': k === kind ? 'page' : false }, t(`kind.${k}`)))));
	const pre = Object.fromEntries(params.query.entries());
	root.append(card(t(`kind.${kind}`), kindForm(kind, pre)));
}
