// pages/units.js: the unit tree (the user's scope), with head counts and a
// filter that finds a unit or a person by code or name.
import { t, num } from '../i18n.js';
import { h, card, subjectLink, downloads } from '../ui.js';
import { ref } from '../data.js';

export async function render(root, params, ctx) {
	const r = await ref();
	const heads = new Map();
	for (const p of r.people) if (!p.left) heads.set(p.unit, (heads.get(p.unit) || 0) + 1);
	const tops = ctx.user.unit ? [r.byCode.get(ctx.user.unit)].filter(Boolean) : r.roots;
	// People in each unit's whole subtree.
	const total = (code) => (r.children.get(code) || []).reduce((n, u) => n + total(u.code), heads.get(code) || 0);
	const branch = (u) => {
		const kids = r.children.get(u.code) || [];
		return h('li', {}, subjectLink(u.code, u.name), h('span', { class: 'cnt' }, `${u.code} · ${num(total(u.code))} ${t('dash.people').toLowerCase()}`),
			kids.length ? h('ul', {}, kids.map(branch)) : null);
	};
	const search = h('input', { id: 'find', type: 'search', autocomplete: 'off' });
	const found = h('ul', { class: 'tree', id: 'found' });
	search.addEventListener('input', () => {
		const q = search.value.trim().toLocaleLowerCase('vi');
		found.replaceChildren();
		if (q.length < 2) return;
		const hits = [...r.byCode.values()].filter((s) =>
			s.code.toLocaleLowerCase('vi').includes(q) || String(s.name).toLocaleLowerCase('vi').includes(q)).slice(0, 30);
		found.append(...hits.map((s) => h('li', {}, subjectLink(s.code, s.name),
			h('span', { class: 'cnt' }, `${s.code} · ${t(`subject.kind.${s.kind_of}`)}`))));
	});
	root.append(h('div', { class: 'page-head' }, h('h1', {}, t('units.title')),
		h('p', { class: 'small' }, downloads('units'), ' ', downloads('people'))));
	root.append(h('div', { class: 'grid' },
		h('div', { class: 'span-7' }, card(t('units.tree'), h('ul', { class: 'tree', id: 'tree' }, tops.map(branch)))),
		h('div', { class: 'span-5' }, card(t('units.search'),
			h('div', { class: 'field' }, h('label', { for: 'find' }, t('units.search')), search), found))));
}
