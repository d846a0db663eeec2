// api.js: the client of the HTTP API (/api/v1). Sends the language, the
// session cookie (same origin) and, on writes, the CSRF token given at
// login; turns error documents into ApiError; a 401 on anything but the
// login itself calls the handler registered with onUnauthorized (the app
// sends the user back to the login page with a message).
import { lang } from './i18n.js';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let csrf = sessionStorage.getItem('thidua.csrf') || '';
let unauthorized = () => {};

export class ApiError extends Error {
	constructor(status, doc) {
		const e = (doc && doc.error) || {};
		super(e.message || `HTTP ${status}`);
		this.status = status;
		this.code = e.code || 'http';
		this.field = e.field || null;
		this.errors = (doc && doc.errors) || e.errors || [];
	}
}

export function setCsrf(token) {
	csrf = token || '';
	if (csrf) sessionStorage.setItem('thidua.csrf', csrf);
	else sessionStorage.removeItem('thidua.csrf');
}

export function onUnauthorized(fn) {
	unauthorized = fn;
}

// api('POST', '/records', body, {csv: true, query: {dry_run: 1}}) → parsed JSON;
// {xlsx: true} sends an ArrayBuffer of an .xlsx workbook.
export async function api(method, path, body, opts = {}) {
	const headers = { Accept: 'application/json', 'Accept-Language': lang() };
	let payload;
	if (body !== undefined) {
		// an .xlsx workbook goes as it is (the server normalises its text)
		headers['Content-Type'] = opts.xlsx ? XLSX : opts.csv ? 'text/csv' : 'application/json';
		// text goes out in Unicode NFC, as the server stores it
		payload = opts.xlsx ? body : (opts.csv ? body : JSON.stringify(body)).normalize('NFC');
	}
	if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
	const q = opts.query ? '?' + new URLSearchParams(opts.query).toString() : '';
	const res = await fetch('/api/v1' + path + q, {
		method, headers, body: payload, credentials: 'same-origin',
	});
	const text = await res.text();
	let doc = null;
	try {
		doc = text ? JSON.parse(text) : null;
	} catch {
		doc = null;
	}
	if (res.status === 401 && !opts.login) {
		setCsrf('');
		unauthorized();
	}
	if (!res.ok) throw new ApiError(res.status, doc);
	return doc;
}

export const get = (path, query) => api('GET', path, undefined, { query });

// POST a CSV text, get a file back (POST /xlsx: a table as a workbook): a Blob.
export async function csvToFile(path, text, query = {}) {
	const headers = { 'Content-Type': 'text/csv', 'Accept-Language': lang() };
	if (csrf) headers['X-CSRF-Token'] = csrf;
	const q = new URLSearchParams(query).toString();
	const res = await fetch(`/api/v1${path}${q ? `?${q}` : ''}`, {
		method: 'POST', headers, body: text.normalize('NFC'), credentials: 'same-origin' });
	if (res.status === 401) {
		setCsrf('');
		unauthorized();
	}
	if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => null));
	return res.blob();
}

// Every row of a list endpoint (follows next_offset).
export async function all(path, query = {}) {
	const items = [];
	let offset = 0;
	for (;;) {
		const page = await get(path, { ...query, limit: 10000, offset });
		items.push(...page.items);
		if (page.next_offset === null || page.next_offset === undefined) return items;
		offset = page.next_offset;
	}
}
