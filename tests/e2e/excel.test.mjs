// excel.test.mjs: Excel in and out in the browser, against a real
// `thidua serve` with the demo: an .xlsx workbook (written by `thidua
// export --format xlsx` from another database, so its rows are new here)
// uploaded on the import page, checked by a dry run and then written; a
// bad cell named by sheet and cell; the lists' downloads (CSV and XLSX of
// a kind, CSV and XLSX of the eligibility list as the server writes them).
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { start, fresh, stop, page, login, shot, apiGet, withPage as withPageOf } from './harness.mjs';

const BIN = process.env.THIDUA_BIN || path.join(path.dirname(new URL(import.meta.url).pathname), '../../build/thidua');

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

const withPage = (name, body, opts) => withPageOf(H, name, body, opts);

async function download(p, link) {
	const [dl] = await Promise.all([p.waitForEvent('download'), link.click()]);
	const parts = [];
	for await (const c of await dl.createReadStream()) parts.push(c);
	return { name: dl.suggestedFilename(), bytes: Buffer.concat(parts) };
}

// A workbook of incidents made in a database of its own (the demo's units,
// then the given rows), as a spreadsheet user would bring it.
function workbook(name, csv) {
	const dir = fs.mkdtempSync(path.join(H.tmp, 'xlsx-'));
	const db = path.join(dir, 'w.db');
	const run = (args) => execFileSync(BIN, ['--db', db, ...args], { cwd: dir, encoding: 'utf8' });
	run(['init']);
	fs.writeFileSync(path.join(dir, 'units.csv'), H.run(['export', 'units']));
	run(['import', 'units', path.join(dir, 'units.csv')]);
	fs.writeFileSync(path.join(dir, 'incidents.csv'), csv);
	run(['import', 'incidents', path.join(dir, 'incidents.csv')]);
	const out = path.join(dir, name);
	run(['export', 'incidents', '--format', 'xlsx', '-o', out]);
	return out;
}

test('import page: an .xlsx workbook is checked (dry run), then written', async () => {
	const unit = JSON.parse(H.run(['--format', 'json', 'export', 'units']))[1].code;
	const desc = `Sự cố từ Excel ${process.pid}`;
	const file = workbook('incidents.xlsx', `unit,date,severity,description\n${unit},2025-03-04,minor,${desc}\n`);
	await withPage('excel-upload', async (p) => {
		await login(H, p);
		const before = (await apiGet(p, '/api/v1/incidents?limit=1')).total;
		await p.goto('/#/import');
		await p.locator('#import-kind').selectOption('incidents');
		await p.locator('#import-file').setInputFiles(file);
		await p.locator('#import-check').click();
		await p.locator('#import-result .msg-ok').waitFor();
		assert.match(await p.locator('#import-result').innerText(), /1/);
		assert.equal((await apiGet(p, '/api/v1/incidents?limit=1')).total, before, 'a dry run writes nothing');
		assert.equal(await p.locator('#import-write').isDisabled(), false);
		await p.locator('#import-write').click();
		await p.locator('#import-write[disabled]').waitFor();
		const now = await apiGet(p, '/api/v1/incidents?limit=10000');
		assert.equal(now.total, before + 1);
		const got = now.items.find((x) => x.description === desc);
		assert.ok(got, 'the workbook\'s row is stored');
		assert.equal(got.date, '2025-03-04', 'an Excel date comes back as the day');
		assert.equal(got.unit, unit);
	});
});

test('import page: a workbook that does not fit its kind is refused, located by sheet', async () => {
	const unit = JSON.parse(H.run(['--format', 'json', 'export', 'units']))[1].code;
	const file = workbook('bad.xlsx', `unit,date,severity,description\n${unit},2025-03-05,minor,ok\n`);
	// the same workbook sent for the wrong kind: its columns do not fit
	await withPage('excel-bad', async (p) => {
		await login(H, p);
		await p.goto('/#/import');
		await p.locator('#import-kind').selectOption('progress');
		await p.locator('#import-file').setInputFiles(file);
		await p.locator('#import-check').click();
		await p.locator('#import-result .msg-error').waitFor();
		assert.equal(await p.locator('#import-write').isDisabled(), true);
		// the error is located in the workbook: upload.xlsx:SHEET(!CELL)
		assert.match(await p.locator('#import-result table').innerText(), /upload\.xlsx:incidents/);
	});
});

test('downloads: a kind as CSV and XLSX from the import page and the lists, eligibility as CSV and XLSX', async () => {
	await withPage('excel-download', async (p) => {
		await login(H, p);
		await p.goto('/#/import');
		await p.locator('#import-kind').selectOption('incidents');
		const csv = await download(p, p.locator('#import-current a.dl-csv'));
		assert.equal(csv.name, 'incidents.csv');
		const lines = csv.bytes.toString('utf8').trim().split(/\r\n/);
		assert.equal(lines[0], 'unit,date,severity,description');
		assert.equal(lines.length - 1, (await apiGet(p, '/api/v1/incidents?limit=1')).total);
		const x = await download(p, p.locator('#import-current a.dl-xlsx'));
		assert.equal(x.name, 'incidents.xlsx');
		assert.equal(x.bytes.subarray(0, 2).toString('latin1'), 'PK');
		// the downloaded workbook is itself importable: a dry run accepts it
		fs.writeFileSync(path.join(H.tmp, 'again.xlsx'), x.bytes);
		await p.locator('#import-file').setInputFiles(path.join(H.tmp, 'again.xlsx'));
		await p.locator('#import-check').click();
		await p.locator('#import-result .msg-ok').waitFor();
		// the key tasks list and the units list
		await p.goto('/#/tasks');
		const tasks = await download(p, p.locator('a.dl-xlsx[download="tasks.xlsx"]'));
		assert.equal(tasks.bytes.subarray(0, 2).toString('latin1'), 'PK');
		await p.goto('/#/units');
		const people = await download(p, p.locator('a.dl-csv[download="people.csv"]'));
		assert.match(people.bytes.toString('utf8'), /^code,name,unit,/);
		// the eligibility list on the dashboard, as the server writes it
		// (GET /eligibility?format=): the CLI's CSV, and an XLSX
		await p.goto('/#/');
		await p.locator('.page-dashboard[data-ready="1"]').waitFor();
		const year = (await apiGet(p, '/api/v1/units/Z121/summary')).year;
		const el = await download(p, p.locator('.verdicts a.dl-csv').first());
		assert.equal(el.name, `eligibility-${year}.csv`);
		const rows = el.bytes.toString('utf8').trim().split(/\r\n/);
		assert.equal(rows[0], 'subject,name,unit,subject_kind,award,verdict,based_on,missing,clauses');
		const want = (await apiGet(p, `/api/v1/eligibility?year=${year}&award=CSTDCS&verdict=eligible`)).results;
		assert.ok(want.length > 0, 'the demo has eligible people');
		const byCode = new Map((await apiGet(p, "/api/v1/people?limit=10000")).items.map((x) => [x.code, x]));
		assert.deepEqual(rows.slice(1).map((l) => l.split(',').slice(0, 6).join(',')),
			want.map((v) => [v.subject, byCode.get(v.subject).name, byCode.get(v.subject).unit, v.subject_kind, v.award, v.verdict].join(',')));
		const ex = await download(p, p.locator('.verdicts a.dl-xlsx').first());
		assert.equal(ex.name, `eligibility-${year}.xlsx`);
		assert.equal(ex.bytes.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
	});
});
