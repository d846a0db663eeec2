// caps.js: what this server offers, read once from its OpenAPI document
// (GET /api/v1/openapi.json, no login needed), so pages use an endpoint
// only when it exists instead of probing it and logging a 404.
let paths = null;

export async function can(path) {
	if (!paths) {
		const res = await fetch('/api/v1/openapi.json', { credentials: 'same-origin' });
		paths = new Set(res.ok ? Object.keys((await res.json()).paths || {}) : []);
	}
	return paths.has(`/api/v1${path}`);
}
