// fetch.test.mjs: no page of the web app downloads a whole table. Every
// request the browser makes while each page is opened (and its tree, its
// search and a picker are used) is watched: a list of people or units
// (GET /api/v1/people, /api/v1/units) may ask one page of at most
// MAX_PAGE rows (a rating grid), never a second page (offset > 0), and
// an award's verdicts (GET /api/v1/eligibility), the awards decided
// (GET /api/v1/awards) or a movement's targets (GET /api/v1/targets) one
// subject's or a page of at most MAX_PAGE, and a movement's standings or
// its ratings' diff (GET /api/v1/movements/{code}/scores, …/ratings) a
// unit's or a page, so that the
// pages stay
// as fast at a million people as at the demo's size (docs/api.md, "What
// the web app fetches"). Names still stand beside codes: they come from
// GET /search?codes= and the reports.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, fresh, stop, page, login, apiGet } from './harness.mjs';

const MAX_PAGE = 2000;

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

test('no page asks for more than one small page of people or units', async () => {
	const p = await page(H);
	const lists = [];
	const whole = () => lists.filter((u) => /^\/api\/v1\/(eligibility|awards|targets|movements\/[^/]+\/(scores|ratings))$/.test(u.pathname)
		|| Number(u.searchParams.get('limit') || 100) > MAX_PAGE
		|| Number(u.searchParams.get('offset') || 0) > 0).map((u) => u.pathname + u.search);
	p.on('request', (req) => {
		const u = new URL(req.url());
		if (/^\/api\/v1\/(people|units)$/.test(u.pathname)) lists.push(u);
		// an award's verdicts, the awards decided: one subject's, or a
		// page of at most MAX_PAGE
		if (/^\/api\/v1\/(eligibility|awards|targets)$/.test(u.pathname) && !u.searchParams.get('subject')
			&& !(Number(u.searchParams.get('limit')) > 0 && Number(u.searchParams.get('limit')) <= MAX_PAGE)) lists.push(u);
		// a movement's standings: a page, the best of each group, or a unit's
		if (/^\/api\/v1\/movements\/[^/]+\/(scores|ratings)$/.test(u.pathname) && !u.searchParams.get('unit')
			&& !(Number(u.searchParams.get('limit')) > 0 && Number(u.searchParams.get('limit')) <= MAX_PAGE)) lists.push(u);
	});
	try {
		await login(H, p);
		const me = await apiGet(p, '/api/v1/me');
		assert.ok(me.roots.length > 0, 'GET /me names the tops of the tree');
		const root = me.roots[0];
		const person = (await apiGet(p, `/api/v1/people?limit=1&unit=${encodeURIComponent(root.code)}`)).items[0];
		const unit = (await apiGet(p, `/api/v1/units/${encodeURIComponent(root.code)}`)).children[0];
		const sched = await apiGet(p, '/api/v1/schedule');
		const hashes = ['#/', '#/tasks', `#/task/${encodeURIComponent(sched.tasks[0].task)}`, '#/units',
			`#/subject/${encodeURIComponent(person.code)}`, `#/subject/${encodeURIComponent(root.code)}`,
			'#/entry', '#/import', '#/ratings', `#/ratings?unit=${encodeURIComponent(person.unit)}`,
			'#/movements', '#/council', '#/exemplars'];
		for (const hash of hashes) {
			await p.goto(`/${hash}`);
			await p.locator('#main .page[data-rendered="1"]').waitFor();
			assert.equal(await p.locator('#main .msg-error').count(), 0, `${hash}: ${await p.locator('#main').innerText()}`);
		}
		assert.deepEqual(whole(), [], 'whole-table downloads of people or units');
		// the person's page names them and their unit from GET /search?codes=
		await p.goto(`/#/subject/${encodeURIComponent(person.code)}`);
		await p.locator('#main .page[data-rendered="1"]').waitFor();
		assert.ok((await p.locator('#subject-title').innerText()).includes(person.name), 'the person by name');
		// the tree: the root with its name, a level opened on demand
		await p.goto('/#/units');
		await p.locator('#main .page[data-rendered="1"]').waitFor();
		assert.ok((await p.locator('#tree').innerText()).includes(root.name), 'the root by name');
		const child = p.locator(`#tree li[data-code="${unit.code}"]`);
		assert.equal(await child.count(), 1, 'the first level is drawn');
		const grand = (await apiGet(p, `/api/v1/units/${encodeURIComponent(unit.code)}`)).children;
		if (grand.length) {
			await child.locator(':scope > button.tree-open').click();
			await p.locator(`#tree li[data-code="${grand[0].code}"]`).waitFor();
		}
		// the search is the server's
		await p.locator('#find').fill(person.code);
		await p.locator(`#found a[href="#/subject/${encodeURIComponent(person.code)}"]`).waitFor();
		assert.deepEqual(p.problems(), []);
	} finally {
		await p.context().close();
	}
	assert.deepEqual(whole(), [], 'whole-table downloads of people or units');
});
