// data.js: the reference data most pages need (units, people, tasks), read
// once through the API and kept until a write invalidates it; helpers to
// name a code and to walk the unit tree, and the year a page shows.
import { all, get } from './api.js';

let cache = null;

export function invalidate() {
	cache = null;
}

export async function ref() {
	if (cache) return cache;
	const [units, people] = await Promise.all([all('/units'), all('/people')]);
	const byCode = new Map();
	for (const u of units) byCode.set(u.code, { ...u, kind_of: 'unit' });
	for (const p of people) byCode.set(p.code, { ...p, kind_of: 'person' });
	const children = new Map();
	for (const u of units) {
		const k = u.parent || '';
		if (!children.has(k)) children.set(k, []);
		children.get(k).push(u);
	}
	const coll = new Intl.Collator('vi');
	for (const list of children.values()) list.sort((a, b) => coll.compare(a.code, b.code));
	const roots = units.filter((u) => !u.parent || !byCode.has(u.parent));
	cache = { units, people, byCode, children, roots };
	return cache;
}

// The display name of a unit or person code ("" when unknown).
export function nameOf(r, code) {
	const s = r.byCode.get(code);
	return s ? s.name : '';
}

// Codes of the unit and every unit below it.
export function subtree(r, code) {
	const out = new Set([code]);
	const walk = (c) => (r.children.get(c) || []).forEach((u) => { out.add(u.code); walk(u.code); });
	walk(code);
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
