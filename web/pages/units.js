// pages/units.js: the unit tree (the user's scope), a level at a time:
// the tops come with GET /me, a unit's children with GET /units/{code}
// when it is opened (the first level is open); head counts arrive after
// the tree is drawn (GET /units/{code}/summary). The filter finds a unit
// or a person by code or name on the server (GET /search).
import { get } from '../api.js';
import { t, num } from '../i18n.js';
import { h, card, subjectLink, downloads } from '../ui.js';
import { ref, kids } from '../data.js';

export async function render(root, params, ctx) {
	const r = await ref();
	const tops = r.roots;
	// People in a unit's whole subtree, filled in when the summary comes.
	const count = (u, span) => get(`/units/${encodeURIComponent(u.code)}/summary`)
		.then((s) => { span.textContent = `${u.code} · ${num(s.people)} ${t('dash.people').toLowerCase()}`; })
		.catch(() => {});
	// counts are asked once the tree is drawn (a subtree's count is a query)
	let later = [];
	const branch = (u, open) => {
		const cnt = h('span', { class: 'cnt' }, u.code);
		const sub = h('ul', {});
		const li = h('li', { dataset: { code: u.code } }, subjectLink(u.code, u.name), cnt, sub);
		if (later) later.push(() => count(u, cnt));
		else count(u, cnt);
		let shown = false;
		const show = async () => {
			if (shown) return;
			shown = true;
			const list = await kids(r, u.code);
			sub.replaceChildren(...list.map((c) => branch(c, false)));
			if (toggle) toggle.setAttribute('aria-expanded', 'true');
		};
		const toggle = open ? null : h('button', {
			type: 'button', class: 'btn btn-ghost tree-open', 'aria-expanded': 'false', 'aria-label': `${t('units.tree')}: ${u.name}`,
			onclick: () => {
				if (!shown) return show();
				sub.hidden = !sub.hidden;
				toggle.setAttribute('aria-expanded', String(!sub.hidden));
				return null;
			},
		}, '▸');
		if (toggle) li.prepend(toggle);
		li.show = show;
		return li;
	};
	const search = h('input', { id: 'find', type: 'search', autocomplete: 'off' });
	const found = h('ul', { class: 'tree', id: 'found' });
	let asked = 0;
	search.addEventListener('input', async () => {
		const q = search.value.trim();
		const mine = ++asked;
		if (q.length < 2) { found.replaceChildren(); return; }
		const doc = await get('/search', { q, type: 'subject', limit: 30 });
		if (mine !== asked) return;
		found.replaceChildren(...doc.items.map((s) => h('li', {}, subjectLink(s.code, s.name),
			h('span', { class: 'cnt' }, `${s.code} · ${t(`subject.kind.${s.type}`)}`))));
	});
	const items = tops.map((u) => branch(u, true));
	await Promise.all(items.map((li) => li.show()));
	root.append(h('div', { class: 'page-head' }, h('h1', {}, t('units.title')),
		h('p', { class: 'small' }, downloads('units'), ' ', downloads('people'))));
	root.append(h('div', { class: 'grid' },
		h('div', { class: 'span-7' }, card(t('units.tree'), h('ul', { class: 'tree', id: 'tree' }, items))),
		h('div', { class: 'span-5' }, card(t('units.search'),
			h('div', { class: 'field' }, h('label', { for: 'find' }, t('units.search')), search), found))));
	const asks = later;
	later = null;
	asks.forEach((f) => f());
}
