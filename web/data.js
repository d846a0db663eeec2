// data.js: names and the unit tree, fetched as a page needs them and kept
// until a write invalidates them. No page downloads a whole table: the
// tops of the caller's tree come with GET /me ("roots"), a unit's children
// with GET /units/{code} (a level at a time), and the names of the codes a
// page shows with GET /search?codes=A,B,… (known(), at most 100 codes a
// request, only what is not known yet). Also the year a page shows.
import { get } from './api.js';

const byCode = new Map();	// code → {code, name, kind_of, unit?, parent?}
const children = new Map();	// unit code → [{code, name}] once fetched
let roots = null;		// [{code, name}] the tops of the caller's tree

export function invalidate() {
	byCode.clear();
	children.clear();
	roots = null;
}

// GET /me's roots (app.js hands them over at login).
export function setRoots(list) {
	roots = list || null;
	for (const u of roots || []) remember({ type: 'unit', ...u });
}

function remember(it) {
	const old = byCode.get(it.code) || {};
	const { type, unit_name: un, parent_name: pn, ...rest } = it;
	const s = { ...old, ...rest, kind_of: type || old.kind_of };
	byCode.set(it.code, s);
	// the unit or parent named beside it
	const up = type === 'person' ? [it.unit, un] : [it.parent, pn];
	if (up[0] && up[1] && !byCode.has(up[0])) byCode.set(up[0], { code: up[0], name: up[1], kind_of: 'unit' });
}

// What the pages read: byCode (the names fetched so far), the tree's roots
// and the children fetched so far.
export async function ref() {
	if (!roots) setRoots((await get('/me')).roots);
	return { byCode, children, roots };
}

// Fetch the names (and units) of the codes not known yet; returns r.
export async function known(r, codes) {
	const want = [...new Set([...codes].filter((c) => c && !byCode.has(c)))];
	const parts = [];
	for (let i = 0; i < want.length; i += 100) parts.push(want.slice(i, i + 100));
	const docs = await Promise.all(parts.map((p) => get('/search', { codes: p.join(',') })));
	for (const d of docs) for (const it of d.items) remember(it);
	// the units named beside people, if not known by their own row yet
	const ups = [];
	for (const c of want) {
		const s = byCode.get(c);
		if (s && s.unit && !byCode.has(s.unit)) ups.push(s.unit);
	}
	if (ups.length) await known(r, ups);
	return r;
}

// The children of a unit ({code, name}, in code order), fetched once.
export async function kids(r, code) {
	if (!children.has(code)) {
		const u = await get(`/units/${encodeURIComponent(code)}`);
		remember({ type: 'unit', code: u.code, name: u.name, parent: u.parent });
		for (const c of u.children) remember({ type: 'unit', ...c, parent: code });
		children.set(code, u.children);
	}
	return children.get(code);
}

// The display name of a unit or person code ("" when unknown).
export function nameOf(r, code) {
	const s = r.byCode.get(code);
	return s ? s.name : '';
}

// The unit and every unit above it (each row fetched once, walking up).
export async function ancestors(r, code) {
	const out = [];
	for (let c = code; c && !out.includes(c);) {
		out.push(c);
		let s = byCode.get(c);
		if (!s || s.parent === undefined) {
			for (const it of (await get('/search', { codes: c })).items) remember(it);
			s = byCode.get(c);
		}
		c = s ? s.parent : null;
	}
	return out;
}

// The year a page shows: ?year= when given, else the data's current year
// for the user's unit (GET /units/{unit}/summary), else this year.
export async function pageYear(r, ctx, params) {
	const asked = Number(params.query.get('year'));
	if (asked) return asked;
	const scope = ctx.user.unit || (r.roots[0] && r.roots[0].code);
	const summary = await get(`/units/${encodeURIComponent(scope)}/summary`);
	return summary.year || new Date().getFullYear();
}
