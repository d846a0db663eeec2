// downloads.test.mjs: issue 23's "a download on every list in the web
// app". Each page showing a list of rows is visited on the demo as the
// administrator; every list there carries its downloads (web/ui.js
// downloads() / csvDownload(): a CSV link and an XLSX link), at least as
// many as the page has lists; each link is followed in the page (fetch,
// with the session's cookie) and must give a file of its type: a CSV
// (text/csv, a header line, rows when the list has any) and an XLSX
// (the spreadsheet type, a zip: "PK\x03\x04"). A CSV the page makes from
// its own rows is fetched from the blob its click creates.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { start, fresh, stop, page, login, apiGet, shot } from './harness.mjs';

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Follow one link in the page: status, type, size, first bytes, lines.
// A CSV of the page's own rows (href "#" until clicked, then a blob the
// page's CSP keeps fetch() from) is taken as the browser downloads it.
async function follow(p, a) {
	if ((await a.getAttribute('href')) === '#') {
		const [dl] = await Promise.all([p.waitForEvent('download'), a.click()]);
		const b = fs.readFileSync(await dl.path());
		const text = b.toString('utf8');
		return { url: dl.url(), status: 200, type: dl.suggestedFilename().endsWith('.csv') ? 'text/csv' : '?', size: b.length,
			head: [...b.subarray(0, 4)], lines: text.split(/\r?\n/).filter((l) => l.trim()).length };
	}
	const href = await a.evaluate((el) => el.href);
	return p.evaluate(async (u) => {
		const res = await fetch(u);
		const b = new Uint8Array(await res.arrayBuffer());
		const text = new TextDecoder().decode(b);
		return { url: u, status: res.status, type: res.headers.get('content-type') || '', size: b.length,
			head: [...b.slice(0, 4)], lines: text.split(/\r?\n/).filter((l) => l.trim()).length };
	}, href);
}

async function check(p, name, hash, least, mayBeEmpty) {
	await p.goto(`/#${hash}`);
	await p.locator(`.page-${name}[data-rendered="1"]`).waitFor();
	const boxes = p.locator('.downloads');
	const n = await boxes.count();
	assert.ok(n >= least, `${hash}: ${n} lists with downloads, want at least ${least}`);
	const seen = [];
	for (let i = 0; i < n; i++) {
		const box = boxes.nth(i);
		const csv = box.locator('a.dl-csv'), xlsx = box.locator('a.dl-xlsx');
		assert.equal(await csv.count(), 1, `${hash}: list ${i} has no CSV link`);
		assert.equal(await xlsx.count(), 1, `${hash}: list ${i} has no XLSX link`);
		const c = await follow(p, csv);
		assert.equal(c.status, 200, `${c.url}: ${c.status}`);
		assert.match(c.type, /^text\/csv/, c.url);
		const empty = mayBeEmpty.some((re) => re.test(c.url));
		assert.ok(c.lines >= (empty ? 0 : 2), `${c.url}: ${c.lines} lines`);
		const x = await follow(p, xlsx);
		assert.equal(x.status, 200, `${x.url}: ${x.status}`);
		assert.equal(x.type, XLSX, x.url);
		assert.deepEqual(x.head, [0x50, 0x4b, 0x03, 0x04], `${x.url} is not a zip`);
		assert.ok(x.size > 1000, `${x.url}: ${x.size} bytes`);
		seen.push(c.url, x.url);
	}
	return seen;
}

test('every list of the web app downloads as CSV and XLSX', async () => {
	const p = await page(H);
	try {
		await login(H, p);
		const sched = await apiGet(p, '/api/v1/schedule');
		const task = sched.tasks.find((k) => ['late', 'stalled', 'at_risk'].includes(k.status)).task;
		const person = (await apiGet(p, '/api/v1/people?limit=1')).items[0].code;
		const mv = (await apiGet(p, '/api/v1/movements')).movements
			.filter((m) => m.kind === 'regular' && m.end.startsWith('2026'))[0].code;
		// lists the demo may leave empty (a CSV of no lines, a workbook of no rows)
		const mayBeEmpty = [/\/api\/v1\/proposals\?/, /\/api\/v1\/awards\?/, /\/api\/v1\/exemplars\/discover\?/];
		const pages = [
			// page, hash, lists at least
			['dashboard', '/', 4],		// at risk, CSTDCS eligible, growth, campaigns' scores, awards
			['tasks', '/tasks', 4],		// schedule, tasks, links, progress
			['task', `/task/${task}`, 1],	// progress
			['units', '/units', 2],		// units, people
			['subject', `/subject/${person}`, 1],	// history
			['ratings', '/ratings', 1],	// the grid
			['movements', `/movements/${mv}`, 3],	// scores, the year's ratings, targets
			['council', '/council', 3],	// eligible, proposals, decided
			['exemplars', '/exemplars', 3],	// register, discovered, innovations
		];
		const urls = [];
		for (const [name, hash, least] of pages) {
			try {
				urls.push(...await check(p, name, hash, least, mayBeEmpty));
			} catch (e) {
				await shot(p, `downloads-${name}-failed`);
				throw e;
			}
		}
		if (process.env.DL_DEBUG) console.log(urls.join("\n"));
		// the report lists come from the server, not only the import kinds
		for (const re of [/\/eligibility\?.*format=xlsx/, /\/schedule\?.*format=xlsx/, /\/scores\?.*format=xlsx/,
			/\/reports\/innovations\?.*format=xlsx/, /\/exemplars\?format=xlsx/, /^blob:/]) {
			assert.ok(urls.some((u) => re.test(u)), `no download matches ${re}`);
		}
		assert.deepEqual(p.problems(), []);
	} finally {
		await p.context().close();
	}
});
