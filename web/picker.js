// picker.js: a text field that finds a code by name as the user types
// (an ARIA 1.2 combobox). Each pause in typing asks GET /api/v1/search
// (units and people in the caller's scope, metrics of the movements'
// criteria, awards of the rule set in force; case and accents optional,
// so "nguyen thi lan" finds "Nguyễn Thị Lan") and lists what it found
// under the field. Arrows move, Enter or a click picks (the field then
// holds the code, the name is shown beside it), Escape closes. A code
// typed in full is still accepted as it is: the field's value is sent.
import { get } from './api.js';
import { t } from './i18n.js';
import { h } from './ui.js';

let seq = 0;

// Make input a picker of `type` (subject, unit, person, metric, award).
// opts.query: extra search parameters (e.g. {movement}); opts.onpick(item).
export function picker(input, type, opts = {}) {
	const id = input.id || `pk-${++seq}`;
	input.id = id;
	const list = h('ul', { class: 'picker-list', role: 'listbox', id: `${id}-lb`, hidden: true, 'aria-label': t('picker.results') });
	const chosen = h('div', { class: 'picker-chosen muted small', id: `${id}-chosen`, 'aria-live': 'polite' });
	const wrap = h('div', { class: 'picker' }, list, chosen);
	input.setAttribute('role', 'combobox');
	input.setAttribute('aria-autocomplete', 'list');
	input.setAttribute('aria-expanded', 'false');
	input.setAttribute('aria-controls', list.id);
	input.setAttribute('autocomplete', 'off');
	const desc = [input.getAttribute('aria-describedby'), chosen.id].filter(Boolean).join(' ');
	input.setAttribute('aria-describedby', desc);
	let items = [];
	let active = -1;
	let timer = null;
	let asked = 0;

	const close = () => {
		list.hidden = true;
		input.setAttribute('aria-expanded', 'false');
		input.removeAttribute('aria-activedescendant');
		active = -1;
	};
	const mark = (i) => {
		active = i;
		[...list.children].forEach((li, j) => li.setAttribute('aria-selected', j === i ? 'true' : 'false'));
		if (i >= 0 && list.children[i]) {
			input.setAttribute('aria-activedescendant', list.children[i].id);
			list.children[i].scrollIntoView({ block: 'nearest' });
		} else input.removeAttribute('aria-activedescendant');
	};
	const pick = (i) => {
		const it = items[i];
		if (!it) return;
		input.value = it.code;
		input.dataset.picked = it.code;
		chosen.textContent = `${it.name} (${it.code})`;
		close();
		input.dispatchEvent(new Event('change', { bubbles: true }));
		if (opts.onpick) opts.onpick(it);
	};
	const show = (found) => {
		items = found;
		list.replaceChildren(...found.map((it, i) => h('li', {
			role: 'option', id: `${id}-o${i}`, 'aria-selected': 'false', dataset: { code: it.code },
			onmousedown: (ev) => { ev.preventDefault(); pick(i); },
		}, h('span', { class: 'picker-name' }, it.name), ' ', h('span', { class: 'picker-code' }, it.code),
		it.unit ? h('span', { class: 'muted small' }, ` · ${it.unit}`) : null)));
		if (!found.length) list.append(h('li', { class: 'muted', role: 'option', 'aria-disabled': 'true', id: `${id}-none` }, t('picker.none')));
		list.hidden = false;
		input.setAttribute('aria-expanded', 'true');
		mark(found.length ? 0 : -1);
	};
	const search = async () => {
		const mine = ++asked;
		const q = input.value.trim();
		try {
			const doc = await get('/search', { q, type, limit: 12, ...(opts.query || {}) });
			if (mine === asked && document.activeElement === input) show(doc.items);
		} catch { /* the field still takes a typed code */ }
		if (mine === asked) input.dataset.searched = q;
	};
	input.addEventListener('input', () => {
		delete input.dataset.picked;
		chosen.textContent = '';
		clearTimeout(timer);
		timer = setTimeout(search, 150);
	});
	input.addEventListener('keydown', (ev) => {
		if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
			ev.preventDefault();
			if (list.hidden) { search(); return; }
			const n = items.length;
			if (n) mark((active + (ev.key === 'ArrowDown' ? 1 : n - 1)) % n);
		} else if (ev.key === 'Enter' && !list.hidden && active >= 0) {
			ev.preventDefault();
			pick(active);
		} else if (ev.key === 'Escape' && !list.hidden) {
			ev.preventDefault();
			close();
		}
	});
	input.addEventListener('blur', () => setTimeout(close, 100));
	return wrap;
}
