// harness.mjs: the browser tests' fixture. start() makes a fresh SQLite
// database in a temporary directory (thidua init, thidua demo, an admin
// account with its password on stdin), serves it with a real
// `thidua serve` on a free loopback port and launches Debian's chromium
// through playwright-core (never a downloaded browser). page() opens a
// browser context that records console errors and uncaught exceptions;
// shot() saves a screenshot into tests/out/; stop() tears everything down.
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

export async function start() {
	fs.mkdirSync(OUT, { recursive: true });
	const tmp = fs.mkdtempSync(path.join(process.env.THIDUA_TEST_TMP || os.tmpdir(), 'e2e-'));
	const db = path.join(tmp, 'thidua.db');
	const env = { ...process.env, THIDUA_DB: db };
	const run = (args, input) => execFileSync(BIN, ['--db', db, ...args],
		{ input, encoding: 'utf8', env, stdio: ['pipe', 'pipe', 'pipe'], cwd: tmp });
	run(['init']);
	run(['demo']);
	const login = 'e2e-admin';
	const password = `pw-${process.pid}-${Date.now()}`;
	run(['user', 'add', login, '--role', 'admin'], `${password}\n`);
	const port = await freePort();
	const base = `http://127.0.0.1:${port}`;
	let stderr = '';
	const server = spawn(BIN, ['--db', db, 'serve', '--listen', `127.0.0.1:${port}`, '--web', path.join(ROOT, 'web')],
		{ stdio: ['ignore', 'ignore', 'pipe'], env, cwd: tmp });
	server.stderr.on('data', (d) => { stderr = (stderr + d).slice(-8000); });
	await waitHealthy(base, server, () => stderr);
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
	return { tmp, db, base, login, password, run, server, browser, log: () => stderr };
}

export async function stop(h) {
	if (!h) return;
	await h.browser.close().catch(() => {});
	if (h.server.exitCode === null) {
		h.server.kill('SIGTERM');
		await Promise.race([once(h.server, 'exit'), new Promise((r) => setTimeout(r, 5000))]);
		if (h.server.exitCode === null) h.server.kill('SIGKILL');
	}
	fs.rmSync(h.tmp, { recursive: true, force: true });
}

// A new browser context and page; page.problems() lists console errors
// and uncaught exceptions seen so far.
export async function page(h, { width = 1366, height = 768, locale = 'vi-VN' } = {}) {
	const context = await h.browser.newContext({ viewport: { width, height }, locale, baseURL: h.base });
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
