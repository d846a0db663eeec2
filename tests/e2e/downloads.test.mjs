// downloads.test.mjs: issue 23's "a download on every list in the web
// app". Each page showing a list of rows is visited on the demo as the
// administrator; every list there carries its downloads (web/ui.js
// downloads() / csvDownload(): a CSV link and an XLSX link), at least as
// many as the page has lists; each link is followed in the page (fetch,
// with the session's cookie) and must give a file of its type: a CSV
// (text/csv, a header line, rows when the list has any) and an XLSX
// (the spreadsheet type, a zip: "PK\x03\x04"). The rating grid's files
// hold its rows as shown, a rating typed in the grid included.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { start, fresh, stop, page, login, apiGet, shot } from './harness.mjs';

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

// Follow one link in the page: status, type, size, first bytes, lines.
// A list the page builds itself (href "#" until clicked: a CSV made in
// the page, an XLSX the server makes of the same rows, POST /xlsx; then a
// blob the page's CSP keeps fetch() from) is taken as the browser saves it.
async function follow(p, a) {
	if ((await a.getAttribute('href')) === '#') {
		const [dl] = await Promise.all([p.waitForEvent('download'), a.click()]);
		const b = fs.readFileSync(await dl.path());
		last = b;
		const text = b.toString('utf8');
		const ext = dl.suggestedFilename().split('.').pop();
		return { url: dl.url(), status: 200, type: { csv: 'text/csv', xlsx: XLSX }[ext] || ext, size: b.length,
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

let last = null;	// the bytes of the last file the browser saved

// The first sheet of a workbook as rows of text (python3's zipfile and
// ElementTree, as tests/api/test_api_downloads.py reads them).
function sheet(bytes) {
	const f = path.join(H.tmp, 'sheet.xlsx');
	fs.writeFileSync(f, bytes);
	const py = `
import json, re, sys, zipfile, xml.etree.ElementTree as ET
M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
z = zipfile.ZipFile(sys.argv[1])
ss = ["".join(t.text or "" for t in si.iter(M + "t")) for si in ET.fromstring(z.read("xl/sharedStrings.xml")).iter(M + "si")] if "xl/sharedStrings.xml" in z.namelist() else []
rows = []
for row in ET.fromstring(z.read("xl/worksheets/sheet1.xml")).iter(M + "row"):
    cells = {}
    for c in row.iter(M + "c"):
        v = c.find(M + "v")
        col = 0
        for ch in re.match("[A-Z]+", c.get("r")).group(0):
            col = col * 26 + ord(ch) - 64
        t = c.get("t")
        cells[col - 1] = ss[int(v.text)] if t == "s" else "".join(x.text or "" for x in c.iter(M + "t")) if t == "inlineStr" else (v.text if v is not None else "")
    rows.append([cells.get(i, "") for i in range(max(cells) + 1)] if cells else [])
print(json.dumps(rows))
`;
	return JSON.parse(execFileSync('python3', ['-c', py, f], { encoding: 'utf8' }));
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
			['task', `/task/${task}`, 2],	// progress, the tasks it holds up
			['units', '/units', 2],		// units, people
			['subject', `/subject/${person}`, 1],	// history
			['ratings', '/ratings', 1],	// the grid
			['movements', `/movements/${mv}`, 4],	// scores, the year's ratings, targets, criteria
			['council', '/council', 3],	// eligible, proposals, decided
			['exemplars', '/exemplars', 3],	// register, discovered, innovations
		];
		const urls = [];
		// the rating grid's files are its rows as shown: a rating typed, not saved, is in both
		const team = (await apiGet(p, '/api/v1/people?limit=10000')).items.find((x) => !x.left && x.unit.includes('-T'));
		await p.goto(`/#/ratings?unit=${team.unit}`);
		await p.locator('.page-ratings[data-rendered="1"] #rating-grid').waitFor();
		const first = await p.locator('#rating-grid tbody tr').first().getAttribute('data-subject');
		const n = await p.locator('#rating-grid tbody tr').count();
		await p.locator(`#g-r-${first}`).fill('KHTNV');
		const box = p.locator('#grid-downloads .downloads');
		await follow(p, box.locator('a.dl-csv'));
		const csvRows = last.toString('utf8').replace(/^\ufeff/, '').trim().split(/\r\n/).map((l) => l.split(','));
		const x = await follow(p, box.locator('a.dl-xlsx'));
		assert.equal(x.type, XLSX);
		const xRows = sheet(last);
		assert.equal(csvRows.length, n + 1);
		assert.deepEqual(xRows, csvRows);
		const col = csvRows[0].indexOf(`rating_${(await apiGet(p, '/api/v1/units/Z121/summary')).year}`);
		assert.ok(col > 0);
		assert.deepEqual([csvRows[1][0], csvRows[1][col]], [first, 'KHTNV']);
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
