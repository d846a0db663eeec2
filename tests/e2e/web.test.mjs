// web.test.mjs: the web app in a real chromium against a real
// `thidua serve` with the demo database. Each test checks what the page
// shows against the API's own answer, saves a screenshot into tests/out/
// and fails on any console error or uncaught exception.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { start, fresh, stop, page, login, shot, apiGet, contrastProblems, withPage as withPageOf, TODAY } from './harness.mjs';

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

// Run body with a fresh logged-in page; screenshot and console check at the end.
const withPage = (name, body, opts) => withPageOf(H, name, body, opts);

test('log in, see the dashboard and the illustrative-data banner; load time measured', async (t) => {
	await withPage('dashboard', async (p) => {
		await p.goto('/');
		await p.locator('#login').waitFor();
		await shot(p, 'login');
		await p.locator('#login').fill(H.login);
		await p.locator('#password').fill('wrong password');
		await p.locator('form.login-form button[type=submit]').click();
		await p.locator('#login-error .msg-error').waitFor();
		// by keyboard only: fill the login, Tab to the password, Enter submits
		await p.locator('#login').focus();
		await p.keyboard.press('Control+A');
		await p.keyboard.type(H.login);
		await p.keyboard.press('Tab');
		assert.equal(await p.evaluate(() => document.activeElement.id), 'password');
		await p.keyboard.type(H.password);
		await p.keyboard.press('Enter');
		await p.locator('.page-dashboard[data-ready="1"]').waitFor();
		assert.equal(await p.locator('html').getAttribute('lang'), 'vi');
		// The banner follows the server's word that this is the demo (GET /me "demo").
		const me = await apiGet(p, '/api/v1/me');
		if (me.demo === undefined) t.diagnostic('GET /api/v1/me does not say "demo" yet: banner stays hidden');
		assert.equal(await p.locator('#banner').isVisible(), Boolean(me.demo));
		if (me.demo) assert.match(await p.locator('#banner').innerText(), /minh họa/i);
		const sched = await apiGet(p, '/api/v1/schedule');
		const risky = sched.tasks.filter((k) => ['late', 'stalled', 'at_risk'].includes(k.status));
		assert.ok(risky.length > 0, 'the demo has tasks at risk');
		assert.equal(await p.locator('#risk-list > li').count(), risky.length);
		// hard tasks come first
		const first = await p.locator('#risk-list > li').first().getAttribute('data-task');
		if (risky.some((k) => k.hard)) assert.ok(risky.find((k) => k.task === first).hard);
		const ms = await p.evaluate(() => {
			const nav = performance.getEntriesByType('navigation')[0];
			const mark = performance.getEntriesByName('dashboard-ready').pop();
			return { ready: mark.startTime, dcl: nav.domContentLoadedEventEnd };
		});
		t.diagnostic(`dashboard load: ready ${ms.ready.toFixed(0)} ms after navigation start (DOMContentLoaded ${ms.dcl.toFixed(0)} ms)`);
		assert.ok(await p.locator('#chart-index').isVisible());
		// the CSTDCS card: the first ten eligible (asked with limit=10) and
		// the count of all of them, from the counts of the same document
		const href = await p.locator('#cstdcs a[href^="#/council"]').getAttribute('href');
		const year = new URLSearchParams(href.split('?')[1]).get('year');
		const all = await apiGet(p, `/api/v1/eligibility?year=${year}&award=CSTDCS&verdict=eligible`);
		const n = all.results.filter((v) => v.verdict === 'eligible').length;
		assert.equal(all.counts.eligible, n);
		assert.equal(await p.locator('#cstdcs tbody tr').count(), Math.min(10, n));
		assert.deepEqual(await contrastProblems(p), [], 'text contrast at least WCAG AA');
	});
});

test('find a key task at risk and follow it to its cause', async () => {
	await withPage('task-cause', async (p) => {
		await login(H, p);
		const sched = await apiGet(p, '/api/v1/schedule');
		const k = sched.tasks.find((x) => ['late', 'stalled', 'at_risk'].includes(x.status) && x.caused_by.length);
		assert.ok(k, 'a task held up by an upstream task');
		const item = p.locator(`#risk-list > li[data-task="${k.task}"]`);
		const up = k.caused_by[0];
		assert.match(await item.locator('.cause').innerText(), new RegExp(up));
		await item.locator('.head a').first().click();
		await p.locator('#task-title').waitFor();
		assert.match(await p.locator('#task-title').innerText(), new RegExp(k.task));
		assert.match(await p.locator('table.chain-up').innerText(), new RegExp(up));
		await p.locator('table.chain-up a', { hasText: up }).first().click();
		await p.waitForFunction((c) => document.querySelector('#task-title')?.textContent.startsWith(c), up);
		const cause = sched.tasks.find((x) => x.task === up);
		// the cause's own page says whom it holds up
		for (const d of cause.impacts) assert.match(await p.locator('#task-facts').innerText(), new RegExp(d));
	});
});

test('launch the raid campaign of a hard task at risk, see its standings; edit a movement by YAML', async () => {
	await withPage('campaign-launch', async (p) => {
		await login(H, p);
		const sugg = await apiGet(p, '/api/v1/schedule/suggestions');
		const c = sugg.campaigns[0];
		assert.ok(c, 'the demo suggests a raid campaign');
		const code = c.movement.code;
		await p.goto(`/#/task/${c.task}`);
		await p.locator('#campaign-launch').click();
		await p.locator('#campaign-review').waitFor();
		// the review shows the very YAML and target the server suggests
		assert.equal(await p.locator('#campaign-yaml').evaluate((e) => e.textContent), c.yaml);
		const row = await p.locator('table.campaign-targets tbody tr').first().innerText();
		assert.match(row, new RegExp(c.targets[0].subject));
		assert.match(row, new RegExp(c.targets[0].criterion));
		await shot(p, 'campaign-review');
		await p.locator('#campaign-confirm').click();
		await p.waitForFunction((x) => location.hash === `#/movements/${encodeURIComponent(x)}`, code);
		const box = p.locator(`.standings[data-movement="${code}"]`);
		await box.waitFor();
		const list = await apiGet(p, '/api/v1/movements');
		assert.ok(list.movements.some((m) => m.code === code), 'the campaign is stored');
		assert.ok(await p.locator(`#mv-pick option[value="${code}"]`).count() === 1);
		const targets = await apiGet(p, `/api/v1/targets?limit=10000`);
		assert.ok(targets.items.some((x) => x.movement === code && Number(x.target) === c.targets[0].target));
		const ev = await apiGet(p, `/api/v1/movements/${code}/scores?as_of=${c.movement.start}`);
		assert.ok(ev.results.length > 0);
		const shown = await box.innerText();
		for (const r of ev.results) assert.ok(shown.includes(r.name || r.subject), r.subject);
		// the form holds the movement's YAML; a wrong kind is refused at its line
		const yaml = await p.locator('#mv-yaml').inputValue();
		assert.match(yaml, new RegExp(`^code: ${code}$`, 'm'));
		const lines = yaml.split('\n');
		const i = lines.findIndex((l) => l.startsWith('kind:'));
		lines[i] = 'kind: sometimes';
		await p.locator('#mv-yaml').fill(lines.join('\n'));
		await p.locator('#mv-form button[type=submit]').click();
		await p.locator('#mv-yaml[aria-invalid=true]').waitFor();
		const err = await p.locator('#mv-yaml-err').innerText();
		assert.match(err, new RegExp(`movement\\.yaml:${i + 1}:\\d+`));
		assert.match(err, /kind/);
		// saving the YAML as shown is accepted (a new version) and re-renders the page
		await p.locator('#mv-yaml').fill(yaml.replace(/^(name: .*?"vi":")/m, '$1Đợt '));
		await p.locator('#mv-form button[type=submit]').click();
		await p.locator('.card h2', { hasText: `Đợt ${c.movement.name.vi}` }).waitFor();
		await p.locator(`.standings[data-movement="${code}"]`).waitFor();
		const stored = await apiGet(p, `/api/v1/movements/${code}`);
		assert.ok(stored.version >= 2 && stored.name.vi.startsWith('Đợt '), JSON.stringify(stored.name));
	});
});

test('enter progress on a task at risk and see the forecast change', async () => {
	await withPage('task-progress', async (p) => {
		await login(H, p);
		const sched = await apiGet(p, '/api/v1/schedule');
		const k = sched.tasks.find((x) => x.status === 'at_risk' && x.forecast_finish && !x.caused_by.length);
		assert.ok(k, 'a task at risk by its own pace');
		await p.goto(`/#/task/${k.task}`);
		const before = await p.locator('#forecast').innerText();
		await p.locator('#f-progress-quantity').fill('abc');
		await p.locator('form[data-kind=progress] button[type=submit]').click();
		await p.locator('#f-progress-quantity[aria-invalid=true]').waitFor();
		assert.ok((await p.locator('#f-progress-quantity-err').innerText()).length > 0, 'the API message at the field');
		await p.locator('#f-progress-quantity').fill(String(Math.ceil(k.quantity - k.done)));
		await p.locator('form[data-kind=progress] button[type=submit]').click();
		await p.locator('#task-flash .msg-ok').waitFor();
		const after = await p.locator('#forecast').innerText();
		assert.notEqual(after, before);
		const now = (await apiGet(p, '/api/v1/schedule')).tasks.find((x) => x.task === k.task);
		assert.notEqual(now.forecast_finish, k.forecast_finish);
		assert.match(await p.locator('#task-flash').innerText(), new RegExp(after.replace(/[/]/g, '\\/')));
	});
});

test('open a person and read why a title is or is not reached', async () => {
	await withPage('person', async (p) => {
		await login(H, p);
		const sum = await apiGet(p, '/api/v1/units/' + (await rootCode(p)) + '/summary');
		const doc = await apiGet(p, `/api/v1/eligibility?year=${sum.year}&award=CSTDCS`);
		const v = doc.results.find((x) => x.verdict === 'eligible') || doc.results[0];
		assert.ok(v, 'CSTDCS verdicts for the year');
		await p.locator('#nav a[href="#/units"]').click();
		await p.locator('#find').fill(v.subject);
		await p.locator('#found a').first().click();
		await p.locator('#verdicts').waitFor();
		const item = p.locator('#verdicts > li[data-award="CSTDCS"]');
		assert.equal(await item.getAttribute('data-verdict'), v.verdict);
		const text = await item.innerText();
		for (const c of v.clauses) assert.ok(text.includes(c.text), `clause shown: ${c.text}`);
		await item.scrollIntoViewIfNeeded();
		assert.deepEqual(await contrastProblems(p), [], 'text contrast at least WCAG AA');
	});
});

test('upload a CSV with an error: the dry run names the line, nothing is written', async () => {
	await withPage('import-error', async (p) => {
		await login(H, p);
		const before = (await apiGet(p, '/api/v1/incidents?limit=1')).total;
		const file = path.join(H.tmp, 'incidents.csv');
		fs.writeFileSync(file, 'unit,date,severity,description\nA1,2026-01-05,minor,ok\nA1,2026-02-30,minor,bad date\n');
		await p.locator('#nav a[href="#/import"]').click();
		await p.locator('#import-kind').selectOption('incidents');
		await p.locator('#import-file').setInputFiles(file);
		await p.locator('#import-check').click();
		const row = p.locator('table.import-errors tbody tr').first();
		await row.waitFor();
		assert.equal((await row.locator('td').first().innerText()).trim(), '3');
		assert.match(await row.innerText(), /date/);
		assert.ok(await p.locator('#import-write').isDisabled());
		assert.equal((await apiGet(p, '/api/v1/incidents?limit=1')).total, before);
	});
});

test('switch language to English and back', async () => {
	await withPage('english', async (p) => {
		await login(H, p);
		await p.locator('#lang-switch').click();
		await p.locator('#nav a[aria-current=page]', { hasText: 'Dashboard' }).waitFor();
		assert.equal(await p.locator('html').getAttribute('lang'), 'en');
		await p.locator('.page-dashboard[data-ready="1"]').waitFor();
		assert.match(await p.locator('#banner').innerText(), /Illustrative data/);
		await p.locator('#nav a[href="#/entry"]').click();
		await p.locator('#f-records-date').fill('2026-11-20');
		await p.locator('#f-records-subject').fill('A1');
		await p.locator('#f-records-metric').fill('output');
		await p.locator('#f-records-value').fill('abc');
		await p.locator('form[data-kind=records] button[type=submit]').click();
		await p.locator('#f-records-value[aria-invalid=true]').waitFor();
		assert.match(await p.locator('#f-records-value-err').innerText(), /not a number/i, 'the API answers in English');
		await shot(p, 'english-entry');
		await p.locator('#lang-switch').click();
		await p.locator('#nav a', { hasText: 'Tổng quan' }).waitFor();
	});
});

test('session expiry: a 401 sends the user back to login with a message; logout', async () => {
	await withPage('expired', async (p) => {
		await login(H, p);
		await p.context().clearCookies();
		await p.locator('#nav a[href="#/council"]').click();
		await p.locator('#login').waitFor();
		assert.match(await p.locator('.page-login .msg').innerText(), /hết hạn/);
		await p.locator('#login').fill(H.login);
		await p.locator('#password').fill(H.password);
		await p.locator('form.login-form button[type=submit]').click();
		await p.locator('.page-council h1').waitFor();
		// logging out ends the session on the server too
		await p.locator('#logout').click();
		await p.locator('#login').waitFor();
		assert.match(await p.locator('.page-login .msg').innerText(), /đăng xuất/i);
		assert.equal((await p.request.get('/api/v1/me')).status(), 401);
	});
});

test('phone width: the menu folds and the dashboard fits', async () => {
	await withPage('phone', async (p) => {
		await login(H, p);
		const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 1, `no horizontal scroll (${overflow}px)`);
		assert.equal(await p.locator('#nav').isVisible(), false);
		await p.locator('.nav-toggle').click();
		assert.ok(await p.locator('#nav').isVisible());
	}, { width: 390, height: 844 });
});

test('a clerk sees their unit\'s scope and cannot write outside it', async () => {
	const sched = JSON.parse(H.run(['--format', 'json', 'schedule']));
	const unit = sched.tasks.find((k) => k.hard && k.status !== 'done').unit;
	const units = JSON.parse(H.run(['--format', 'json', 'export', 'units']));
	const inside = new Set([unit]);
	for (let grew = true; grew;) {
		grew = false;
		for (const u of units) if (inside.has(u.parent) && !inside.has(u.code)) { inside.add(u.code); grew = true; }
	}
	const outside = units.find((u) => !inside.has(u.code)).code;
	const pw = `clerk-${process.pid}-pw`;
	H.run(['user', 'add', 'e2e-clerk', '--role', 'clerk', '--unit', unit], `${pw}\n`);
	await withPage('clerk', async (p) => {
		await login({ ...H, login: 'e2e-clerk', password: pw }, p);
		const mine = await apiGet(p, '/api/v1/schedule');
		const risky = mine.tasks.filter((k) => ['late', 'stalled', 'at_risk'].includes(k.status));
		assert.ok(mine.tasks.length < sched.tasks.length, 'the schedule is scoped');
		assert.equal(await p.locator('#risk-list > li').count(), risky.length);
		assert.equal(await p.locator('#nav a[href="#/council"]').count(), 1);
		await p.goto('/#/entry/incidents');
		await p.locator('#f-incidents-unit').fill(outside);
		await p.locator('#f-incidents-date').fill('2026-11-20');
		await p.locator('form[data-kind=incidents] button[type=submit]').click();
		await p.locator('form[data-kind=incidents] .msg-error').waitFor();
		assert.equal(await p.locator('#f-incidents-unit').getAttribute('aria-invalid'), 'true');
		// What the clerk may do comes from GET /me ("may", derived from the
		// route table): the pages hide what it does not list.
		const me = await apiGet(p, '/api/v1/me');
		assert.ok(me.may.includes('POST /api/v1/records'), me.may.join(' '));
		for (const no of ['POST /api/v1/awards', 'POST /api/v1/movements', 'GET /api/v1/proposals']) {
			assert.ok(!me.may.includes(no), no);
		}
		await p.goto('/#/import');
		await p.locator('.page-import[data-rendered="1"]').waitFor();
		assert.equal(await p.locator('#import-kind option[value=records]').count(), 1);
		assert.equal(await p.locator('#import-kind option[value=awards]').count(), 0, 'award history is the admin\'s');
		await p.goto('/#/movements');
		await p.locator('.page-movements[data-rendered="1"]').waitFor();
		assert.equal(await p.locator('#mv-yaml').count(), 0, 'no movement editor for a clerk');
		// A rating the council voted is locked for the clerk (GET /me's
		// "locked", from the server's guards), one imported by hand is not.
		assert.deepEqual(me.locked, { ratings: { source: ['council', 'movement'] } });
		const year = Number(TODAY.slice(0, 4));
		const people = JSON.parse(H.run(['--format', 'json', 'export', 'people']))
			.filter((x) => inside.has(x.unit) && !x.left).map((x) => x.code).sort();
		const [voted, typed] = people;
		const csv = path.join(path.dirname(H.db), 'locked.csv');
		fs.writeFileSync(csv, `year,subject,rating,source\n${year},${voted},HTXSNV,council\n${year},${typed},HTTNV,hand\n`);
		H.run(['import', 'ratings', csv]);
		await p.goto(`/#/ratings?unit=${unit}&year=${year}`);
		await p.locator('#rating-grid').waitFor();
		assert.equal(await p.locator(`#g-r-${voted}`).getAttribute('readonly'), '', 'the council\'s rating is read-only');
		assert.equal(await p.locator(`#g-r-${typed}`).getAttribute('readonly'), null, 'a typed rating stays editable');
	});
});

test('council: propose the eligible, submit, review, count the ballot, decide', async () => {
	await withPage('council', async (p) => {
		await login(H, p);
		const year = (await apiGet(p, '/api/v1/units/' + (await rootCode(p)) + '/summary')).year;
		const doc = await apiGet(p, `/api/v1/eligibility?year=${year}&award=CSTDCS`);
		const eligible = doc.results.filter((v) => v.verdict === 'eligible').map((v) => v.subject).sort();
		await p.locator('#nav a[href="#/council"]').click();
		// the page asks only the eligible, over-quota and held results, and
		// the server's counts still give every verdict's number
		const n = (v) => doc.results.filter((x) => x.verdict === v).length;
		assert.ok(n('ineligible') > 0, 'the demo has ineligible CSTĐCS candidates');
		await p.locator('#propose').waitFor();
		const vi = (v) => n(v).toLocaleString('vi-VN');
		const body = await p.locator('body').innerText();
		assert.ok(body.includes(`${vi('eligible')} người đủ điều kiện, ${vi('held')} tạm dừng xét`) &&
			body.includes(`, ${vi('ineligible')} chưa đủ.`), 'the counts of every verdict');
		// the list comes a page of 25 at a time, in the server's order,
		// each verdict on its own button: the page never asks the whole list
		const inOrder = (v) => doc.results.filter((x) => x.verdict === v).map((x) => x.subject);
		const shown = () => p.locator('#verdict-page .verdict-table tbody tr a[href^="#/subject/"]')
			.evaluateAll((as) => as.map((a) => decodeURIComponent(a.getAttribute('href').slice('#/subject/'.length))));
		assert.ok(n('eligible') > 25, 'the demo has more than a page of eligible CSTĐCS candidates');
		assert.deepEqual(await shown(), inOrder('eligible').slice(0, 25));
		await p.locator('#v-next').click();
		await p.waitForFunction(() => document.querySelector('#verdict-page')?.dataset.offset === '25');
		assert.deepEqual(await shown(), inOrder('eligible').slice(25, 50));
		assert.ok((await p.locator('#v-range').innerText()).startsWith('26–50'), 'the range shown');
		await p.locator('#v-prev').click();
		await p.waitForFunction(() => document.querySelector('#verdict-page')?.dataset.offset === '0');
		assert.deepEqual(await shown(), inOrder('eligible').slice(0, 25));
		assert.ok(n('held') > 0, 'the demo has held CSTĐCS candidates');
		await p.locator('#verdict-pick button[data-verdict="held"]').click();
		await p.waitForFunction(() => document.querySelector('#verdict-pick button[data-verdict="held"]')?.getAttribute('aria-pressed') === 'true');
		assert.deepEqual(await shown(), inOrder('held').slice(0, 25));
		assert.equal(await p.locator('#verdict-page .b-held').count(), Math.min(25, n('held')));
		await p.locator('#propose').click();
		await p.locator('#proposal').waitFor();
		const id = new URLSearchParams(p.url().split('?')[1]).get('proposal');
		const draft = await apiGet(p, `/api/v1/proposals/${id}`);
		assert.deepEqual(draft.candidates.map((c) => c.subject).sort(), eligible);
		await p.locator('#p-submit').click();
		await p.locator('#p-review').click();
		await p.locator('#b-members').fill('9');
		await p.locator('#b-yes').fill('9');
		await p.locator('#p-ballot button[type=submit]').click();
		await p.waitForFunction(() => document.querySelector('#proposal tbody tr td:last-child')?.textContent === '9/9');
		await p.locator('#d-number').fill(`E2E-${id}/QĐ`);
		await p.locator('#d-signer').fill('Giám đốc');
		await p.locator('#p-decide button[type=submit]').click();
		await p.locator('#proposal .b-decided').waitFor();
		assert.equal((await apiGet(p, `/api/v1/proposals/${id}`)).state, 'decided');
		// the decision's documents, downloaded by the browser with its session
		await p.locator('#p-docs').waitFor();
		for (const [file, magic] of [['decision.pdf', '%PDF-'], ['certificates.pdf', '%PDF-'], ['list.xlsx', 'PK']]) {
			const link = p.locator(`#p-docs a[href$="/${file}"]`);
			assert.equal(await link.getAttribute('download'), file.replace('.', `-${id}.`));
			const [dl] = await Promise.all([p.waitForEvent('download'), link.click()]);
			const head = await new Promise((resolve, reject) => {
				dl.createReadStream().then((s) => {
					const parts = [];
					s.on('data', (c) => parts.push(c));
					s.on('end', () => resolve(Buffer.concat(parts).subarray(0, 5).toString('latin1')));
					s.on('error', reject);
				}, reject);
			});
			assert.ok(head.startsWith(magic), `${file}: ${head}`);
		}
		const awarded = (await apiGet(p, `/api/v1/awards?year=${year}&limit=10000`)).items
			.filter((a) => a.award === 'CSTDCS' && a.decision === `E2E-${id}/QĐ`);
		assert.equal(awarded.length, eligible.length);
	});
});

test('prompt recognition: a campaign\'s best get a Giấy khen decided from its page', async () => {
	await withPage('recognise', async (p) => {
		await login(H, p);
		const list = (await apiGet(p, '/api/v1/movements')).movements.filter((m) => m.kind === 'campaign');
		const m = list.sort((a, b) => (a.start < b.start ? 1 : -1))[0];
		assert.ok(m, 'the demo has a campaign');
		await p.goto(`/#/movements/${encodeURIComponent(m.code)}`);
		await p.locator('#mv-recognise').waitFor();
		await p.locator('#rc-top').fill('2');
		await p.locator('#rc-number').fill(`E2E-RC/QĐ`);
		await p.locator('#rc-signer').fill('Giám đốc');
		await p.locator('#mv-recognise button[type=submit]').click();
		await p.locator('#proposal .b-decided').waitFor();
		await p.locator('#p-docs a[href$="/certificates.pdf"]').waitFor();
		const id = new URLSearchParams(p.url().split('?')[1]).get('proposal');
		const prop = await apiGet(p, `/api/v1/proposals/${id}`);
		assert.equal(prop.state, 'decided');
		assert.equal(prop.movement, m.code);
		assert.equal(prop.award, 'GK');
		assert.ok(prop.candidates.length >= 1);
		await shot(p, 'recognise-decided');
	});
});

test('advanced examples: the register, its check, one exemplar\'s adoptions, a candidate registered; innovations by kind', async () => {
	await withPage('exemplars', async (p) => {
		await login(H, p);
		await p.locator('#nav a[href="#/exemplars"]').click();
		await p.locator('table.exemplars').waitFor();
		const year = Number(await p.locator('#ex-year').inputValue());
		const list = await apiGet(p, '/api/v1/exemplars');
		assert.ok(list.exemplars.length > 0, 'the demo registers exemplars');
		assert.equal(await p.locator('table.exemplars tbody tr').count(), list.exemplars.length);
		const check = await apiGet(p, `/api/v1/exemplars/check?year=${year}`);
		await p.locator('table.exemplars[data-checked="1"]').waitFor();	// (filled in when it answers)
		const shown = await p.locator('table.exemplars').innerText();
		for (const x of check.results) assert.ok(shown.includes(x.reasons[0]), x.reasons[0]);
		// one exemplar opened: every adopting unit with before and after
		const withAdoptions = list.exemplars.find((x) => x.adoptions > 0);
		await p.locator(`table.exemplars a[href*="id=${withAdoptions.id}"]`).click();
		await p.locator('#ex-detail table.adoptions').waitFor();
		assert.equal(await p.locator('#ex-detail table.adoptions tbody tr').count(), withAdoptions.adoptions);
		// a candidate found in the data, registered by its field
		const found = await apiGet(p, `/api/v1/exemplars/discover?year=${year}`);
		const c = found.candidates.find((x) => !x.registered);
		assert.ok(c, 'the demo has an unregistered candidate');
		const form = p.locator(`form.ex-register[data-subject="${c.subject}"]`);
		await form.locator('input').fill('Điển hình E2E');
		await form.locator('button').click();
		await p.waitForFunction((n) => document.querySelectorAll('table.exemplars tbody tr').length === n, list.exemplars.length + 1);
		const after = await apiGet(p, '/api/v1/exemplars');
		const added = after.exemplars.find((x) => x.subject === c.subject && x.field === 'Điển hình E2E');
		assert.ok(added, 'registered');
		assert.equal(added.since, year);
		// innovations regrouped by kind: the same counts as the report
		await p.locator('#inv-by').selectOption('kind');
		await p.waitForFunction(() => location.hash.includes('by=kind'));
		await p.locator('table.innovations').waitFor();
		const inv = await apiGet(p, '/api/v1/reports/innovations?by=kind');
		const rows = await p.locator('table.innovations tbody tr').count();
		assert.equal(rows, inv.groups.length);
		await shot(p, 'exemplars');
	});
});

test('a regular movement\'s year: the ratings its scores give, as a diff, applied by the administrator', async () => {
	await withPage('rate', async (p) => {
		await login(H, p);
		const list = (await apiGet(p, '/api/v1/movements')).movements.filter((m) => m.kind === 'regular');
		const m = list.sort((a, b) => (a.end < b.end ? 1 : -1))[0];
		const year = Number(m.end.slice(0, 4));
		const before = await apiGet(p, `/api/v1/movements/${m.code}/ratings?year=${year}`);
		assert.ok(before.counts.new + before.counts.change > 0, 'the demo has ratings to change');
		await p.goto(`/#/movements/${encodeURIComponent(m.code)}`);
		await p.locator('#mv-ratings table.rate-diff').waitFor();
		const first = before.results.find((x) => x.action !== 'same');
		assert.match(await p.locator('#mv-ratings').innerText(), new RegExp(first.name || first.subject));
		await p.locator('#mv-rate-apply').click();
		await p.locator('#mv-ratings .msg-ok').waitFor();
		const after = await apiGet(p, `/api/v1/movements/${m.code}/ratings?year=${year}`);
		assert.equal(after.counts.new + after.counts.change, 0);
		assert.equal(after.counts.kept, before.counts.kept);
		assert.equal(await p.locator('#mv-rate-apply').count(), 0);
		await shot(p, 'rate-applied');
	});
});

async function rootCode(p) {
	const units = await apiGet(p, '/api/v1/units?limit=10000');
	return units.items.find((u) => !u.parent).code;
}
