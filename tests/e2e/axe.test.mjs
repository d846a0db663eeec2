// axe.test.mjs: every page of the web app checked by axe-core (npm, loaded
// from node_modules into the page under test only; never served to
// users), logged out (the login page) and logged in as the administrator;
// any WCAG 2.0/2.1 A or AA violation fails, listed with its rule, impact
// and the elements it was found on.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { start, fresh, stop, page, login, shot, apiGet, ROOT } from './harness.mjs';

const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
const SOURCE = fs.readFileSync(AXE, 'utf8');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

// Violations of the page as drawn now: "rule (impact): target, …".
async function axe(p) {
	if (!(await p.evaluate(() => typeof window.axe === 'object'))) await p.evaluate(SOURCE);	// through the debugger: the page's CSP stays as served
	const res = await p.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }), TAGS);
	return res.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe: the login page, logged out', async () => {
	const p = await page(H);
	try {
		await p.goto('/#/login');
		await p.locator('.page-login[data-rendered="1"]').waitFor();
		assert.deepEqual(await axe(p), []);
		// the check itself can fail: an image without a text alternative
		await p.evaluate(() => document.getElementById('main').append(Object.assign(document.createElement('img'), { src: '/favicon.svg' })));
		assert.match((await axe(p)).join('\n'), /^image-alt \(critical\)/m);
	} finally {
		await p.context().close();
	}
});

test('axe: every page, logged in as administrator', async () => {
	const p = await page(H);
	try {
		await login(H, p);
		const task = (await apiGet(p, '/api/v1/schedule')).tasks[0].task;
		const person = (await apiGet(p, '/api/v1/people?limit=1')).items[0].code;
		const movement = (await apiGet(p, '/api/v1/movements')).movements?.[0]?.code
			?? (await apiGet(p, '/api/v1/movements')).items?.[0]?.code;
		const pages = [['dashboard', '/'], ['tasks', '/tasks'], ['task', `/task/${task}`], ['units', '/units'],
			['subject', `/subject/${person}`], ['entry', '/entry'], ['entry', '/entry/records'], ['import', '/import'],
			['ratings', '/ratings'], ['movements', '/movements'], ['council', '/council'], ['exemplars', '/exemplars']];
		if (movement) pages.push(['movements', `/movements/${movement}`]);
		const found = {};
		for (const [name, hash] of pages) {
			await p.goto(`/#${hash}`);
			await p.locator(`.page-${name}[data-rendered="1"]`).waitFor();
			const v = await axe(p);
			if (v.length) {
				found[hash] = v;
				await shot(p, `axe-${name}`);
			}
		}
		assert.deepEqual(found, {});
		assert.deepEqual(p.problems(), []);
	} finally {
		await p.context().close();
	}
});
