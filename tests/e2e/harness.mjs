// harness.mjs: the browser tests' fixture. start(), once per test file,
// builds the demo as a template SQLite database in a temporary directory
// (thidua init, thidua demo, an admin account with its password on stdin)
// and launches Debian's chromium through playwright-core (never a
// downloaded browser). fresh(), before each test, serves a fresh copy of
// the template with a real `thidua serve` on a free loopback port: every
// test owns its data, so no test sees another's writes and the order of
// the tests does not matter. "Today" is pinned (THIDUA_TODAY) for the
// demo, the server and the browser's clock alike. page() opens a browser context that records
// console errors and uncaught exceptions; shot() saves a screenshot into
// tests/out/; stop() tears everything down.
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT = path.join(ROOT, 'tests', 'out');
const BIN = process.env.THIDUA_BIN || path.join(ROOT, 'build', 'thidua');
const CHROMIUM = process.env.THIDUA_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

// API refusals the pages catch and show (a 4xx answer makes chromium log
// "Failed to load resource"); anything else on the console is an error.
const HANDLED = /Failed to load resource: the server responded with a status of (400|401|403|409|413|422|429) /;

async function freePort() {
	const s = net.createServer();
	s.listen(0, '127.0.0.1');
	await once(s, 'listening');
	const { port } = s.address();
	s.close();
	await once(s, 'close');
	return port;
}

async function waitHealthy(base, server, log) {
	const until = Date.now() + 15000;
	while (Date.now() < until) {
		if (server.exitCode !== null) throw new Error(`thidua serve exited ${server.exitCode}: ${log()}`);
		try {
			const res = await fetch(`${base}/healthz`);
			if (res.ok) return;
		} catch { /* not listening yet */ }
		await new Promise((r) => setTimeout(r, 100));
	}
	throw new Error(`thidua serve did not answer /healthz: ${log()}`);
}

// The day every thidua of the browser tests takes as today.
export const TODAY = process.env.THIDUA_TODAY || '2026-12-04';

function exec(db, cwd, args, input) {
	return execFileSync(BIN, ['--db', db, ...args], {
		input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], cwd,
		env: { ...process.env, THIDUA_DB: db, THIDUA_TODAY: TODAY },
	});
}

// Once per test file: the demo template and the browser. No server yet:
// fresh(h) serves a copy (each test file calls it before each test).
// h.run(args, input) runs the CLI on the database being served.
export async function start() {
	fs.mkdirSync(OUT, { recursive: true });
	const tmp = fs.mkdtempSync(path.join(process.env.THIDUA_TEST_TMP || os.tmpdir(), 'e2e-'));
	const template = path.join(tmp, 'template');
	fs.mkdirSync(template);
	const tdb = path.join(template, 'thidua.db');
	exec(tdb, template, ['init']);
	exec(tdb, template, ['demo']);
	const login = 'e2e-admin';
	const password = `pw-${process.pid}-${Date.now()}`;
	exec(tdb, template, ['user', 'add', login, '--role', 'admin'], `${password}\n`);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
	const h = { tmp, template, login, password, browser, copies: 0, db: null, base: null, server: null, stderr: '' };
	h.run = (args, input) => exec(h.db, path.dirname(h.db), args, input);
	h.log = () => h.stderr;
	return h;
}

async function stopServer(h) {
	const server = h.server;
	if (!server) return;
	h.server = null;
	if (server.exitCode === null) {
		server.kill('SIGTERM');
		await Promise.race([once(server, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
		if (server.exitCode === null) server.kill('SIGKILL');
	}
}

// A fresh copy of the demo template served by a new `thidua serve`: the
// previous test's server stops and its copy is removed.
export async function fresh(h) {
	await stopServer(h);
	if (h.db) fs.rmSync(path.dirname(h.db), { recursive: true, force: true });
	const dir = path.join(h.tmp, `db-${++h.copies}`);
	fs.cpSync(h.template, dir, { recursive: true });
	h.db = path.join(dir, 'thidua.db');
	const port = await freePort();
	h.base = `http://127.0.0.1:${port}`;
	h.stderr = '';
	const server = spawn(BIN, ['--db', h.db, 'serve', '--listen', `127.0.0.1:${port}`, '--web', path.join(ROOT, 'web')],
		{ stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, THIDUA_DB: h.db, THIDUA_TODAY: TODAY }, cwd: dir });
	server.stderr.on('data', (d) => { h.stderr = (h.stderr + d).slice(-8000); });
	h.server = server;
	await waitHealthy(h.base, server, () => h.stderr);
}

export async function stop(h) {
	if (!h) return;
	await h.browser.close().catch(() => {});
	await stopServer(h);
	fs.rmSync(h.tmp, { recursive: true, force: true });
}

// A new browser context and page (its Date on the pinned today);
// page.problems() lists console errors and uncaught exceptions seen so far.
export async function page(h, { width = 1366, height = 768, locale = 'vi-VN' } = {}) {
	const context = await h.browser.newContext({ viewport: { width, height }, locale, baseURL: h.base });
	// The page's Date starts on the pinned today too and runs on from there
	// (only Date: playwright's clock would also stop performance marks).
	await context.addInitScript((start) => {
		const Real = Date;
		const shift = start - Real.now();
		function Pinned(...a) {
			if (!new.target) return new Real(Real.now() + shift).toString();
			return a.length ? new Real(...a) : new Real(Real.now() + shift);
		}
		Pinned.prototype = Real.prototype;
		Pinned.now = () => Real.now() + shift;
		Pinned.parse = Real.parse;
		Pinned.UTC = Real.UTC;
		globalThis.Date = Pinned;
	}, Date.parse(`${TODAY}T05:00:00Z`));
	const p = await context.newPage();
	const problems = [];
	p.on('console', (m) => {
		if (m.type() === 'error' && !HANDLED.test(m.text())) problems.push(`console: ${m.text()} @ ${m.location().url}`);
	});
	p.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
	p.problems = () => problems;
	return p;
}

export async function login(h, p) {
	await p.goto('/');
	await p.locator('#login').fill(h.login);
	await p.locator('#password').fill(h.password);
	await p.locator('form.login-form button[type=submit]').click();
	await p.locator('.page-dashboard[data-ready="1"]').waitFor();
}

export async function shot(p, name) {
	await p.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
}

// The API as the logged-in page sees it (same cookie).
export async function apiGet(p, url) {
	const res = await p.request.get(url);
	if (!res.ok()) throw new Error(`${url}: ${res.status()} ${await res.text()}`);
	return res.json();
}

// Text whose contrast with its background is under WCAG AA (4.5:1, or 3:1
// for large text): a list of "text (ratio)" for the visible elements.
export async function contrastProblems(p) {
	return p.evaluate(() => {
		const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
		const lum = ([r, g, b]) => {
			const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
			return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
		};
		const bg = (el) => {
			for (let e = el; e; e = e.parentElement) {
				const c = rgb(getComputedStyle(e).backgroundColor);
				if (c.length === 3 || (c.length === 4 && c[3] > 0.5)) return c.slice(0, 3);
			}
			return [255, 255, 255];
		};
		const out = [];
		for (const el of document.querySelectorAll('body *')) {
			const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
			if (!own || !el.getClientRects().length) continue;
			const st = getComputedStyle(el);
			if (st.visibility === 'hidden' || Number(st.opacity) < 0.6) continue;
			const a = lum(rgb(st.color)), b = lum(bg(el));
			const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
			const large = parseFloat(st.fontSize) >= 24 || (parseFloat(st.fontSize) >= 18.66 && Number(st.fontWeight) >= 700);
			if (ratio < (large ? 3 : 4.5)) out.push(`${el.textContent.trim().slice(0, 40)} (${ratio.toFixed(2)})`);
		}
		return out;
	});
}

// Run body(p) with a fresh page of h; a screenshot and the console check
// at the end (a screenshot "-failed" when it throws); the page is closed.
export async function withPage(h, name, body, opts) {
	const p = await page(h, opts);
	try {
		await body(p);
		await shot(p, name);
		assert.deepEqual(p.problems(), [], `console errors on ${name}`);
	} catch (e) {
		await shot(p, `${name}-failed`).catch(() => {});
		throw e;
	} finally {
		await p.context().close();
	}
}
