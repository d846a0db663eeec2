// yearend.test.mjs: what a factory does in December, in a real chromium
// against a real `thidua serve` with the demo: pickers that find a person
// by name typed without accents; the award path from a chosen few (with
// the reasons of those refused) through ballots per candidate to the
// decision and its downloaded PDF and XLSX.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, fresh, stop, page, login, shot, apiGet, withPage as withPageOf } from './harness.mjs';

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

const withPage = (name, body, opts) => withPageOf(H, name, body, opts);

// A name as a hurried clerk types it: no accents, no capitals.
const plain = (s) => s.normalize('NFD').replace(/\p{Mn}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase();

async function download(p, link) {
	const [dl] = await Promise.all([p.waitForEvent('download'), link.click()]);
	const s = await dl.createReadStream();
	const parts = [];
	for await (const c of s) parts.push(c);
	return Buffer.concat(parts);
}

test('entry: "nguyen thi lan" in the subject picker saves a record for Nguyễn Thị Lan', async () => {
	await withPage('picker-entry', async (p) => {
		await login(H, p);
		const lan = (await apiGet(p, '/api/v1/search?q=' + encodeURIComponent('Nguyễn Thị Lan') + '&type=person')).items;
		assert.ok(lan.length >= 1, 'the demo has a Nguyễn Thị Lan');
		const code = lan[0].code;
		const metric = (await apiGet(p, '/api/v1/search?type=metric&limit=1')).items[0];
		await p.goto('/#/entry/records');
		const subj = p.locator('#f-records-subject');
		await subj.click();
		await p.keyboard.type('nguyen thi lan');
		const opt = p.locator(`#f-records-subject-lb li[data-code="${code}"]`);
		await opt.waitFor();
		assert.equal(await subj.getAttribute('aria-expanded'), 'true');
		// the keyboard picks: arrows to the option, Enter
		const codes = await p.locator('#f-records-subject-lb li[data-code]').evaluateAll((els) => els.map((e) => e.dataset.code));
		for (let i = 0; i < codes.indexOf(code); i++) await p.keyboard.press('ArrowDown');
		await p.keyboard.press('Enter');
		assert.equal(await subj.inputValue(), code);
		assert.equal(await subj.getAttribute('aria-expanded'), 'false');
		assert.match(await p.locator('#f-records-subject-chosen').innerText(), /Nguyễn Thị Lan/);
		// the metric by its criterion's name, accents left out
		await p.locator('#f-records-metric').fill(plain(metric.name).slice(0, 12));
		await p.locator(`#f-records-metric-lb li[data-code="${metric.code}"]`).click();
		assert.equal(await p.locator('#f-records-metric').inputValue(), metric.code);
		await p.locator('#f-records-date').fill('2026-11-20');
		await p.locator('#f-records-value').fill('42');
		await p.locator('form[data-kind=records] button[type=submit]').click();
		await p.locator('form[data-kind=records] .msg-ok').waitFor();
		const recs = (await apiGet(p, `/api/v1/records?from=2026-11-20&to=2026-11-20&limit=10000`)).items;
		assert.ok(recs.some((x) => x.subject === code && x.metric === metric.code && Number(x.value) === 42), 'the record is stored for the right person');
		// a code typed in full is still accepted as it is
		await p.locator('#f-records-subject').fill(code);
		await p.keyboard.press('Escape');
		await p.locator('#f-records-value').fill('43');
		await p.locator('form[data-kind=records] button[type=submit]').click();
		await p.locator('form[data-kind=records] .msg-ok').waitFor();
		const again = (await apiGet(p, `/api/v1/records?from=2026-11-20&to=2026-11-20&limit=10000`)).items;
		assert.ok(again.some((x) => x.subject === code && x.metric === metric.code && Number(x.value) === 43));
	});
});

test('award path: a chosen few (refusals with reasons), ballots per candidate, decision, PDF and XLSX downloaded', async () => {
	await withPage('award-path', async (p) => {
		await login(H, p);
		const year = (await apiGet(p, '/api/v1/units/Z121/summary')).year;
		const doc = await apiGet(p, `/api/v1/eligibility?year=${year}&award=CSTDCS`);
		const people = new Map((await apiGet(p, '/api/v1/people?limit=10000')).items.map((x) => [x.code, x]));
		const eligible = doc.results.filter((v) => v.verdict === 'eligible' && people.has(v.subject)).map((v) => v.subject);
		const ineligible = doc.results.find((v) => v.verdict === 'ineligible' && people.has(v.subject)).subject;
		const [a, b] = eligible;
		await p.goto(`/#/council?year=${year}&award=CSTDCS`);
		await p.locator('#few-subject').waitFor();
		// the award list is the rule set in force
		const inForce = (await apiGet(p, `/api/v1/search?type=award&year=${year}&limit=100`)).items.map((x) => x.code);
		assert.deepEqual(await p.locator('#c-award option').evaluateAll((o) => o.map((x) => x.value)), inForce);
		for (const code of [a, b, ineligible]) {
			await p.locator('#few-subject').fill(plain(people.get(code).name));
			await p.locator(`#few-subject-lb li[data-code="${code}"]`).click();
			await p.locator(`#few-list li[data-code="${code}"]`).waitFor();
		}
		await p.locator('#few-propose').click();
		await p.locator('#few-refused table').waitFor();
		const refusedText = await p.locator('#few-refused').innerText();
		assert.match(refusedText, new RegExp(ineligible));
		const v = (await apiGet(p, `/api/v1/eligibility?year=${year}&award=CSTDCS&subject=${ineligible}`)).results.find((x) => x.award === 'CSTDCS');
		const reason = (v.missing && v.missing.length ? v.missing.map((m) => (typeof m === 'string' ? m : m.text)) : v.clauses.filter((c) => !c.ok).map((c) => c.text || c.clause))[0];
		assert.ok(refusedText.includes(reason), `the reason is shown: ${reason}`);
		await p.locator('#few-open').click();
		await p.locator('#proposal').waitFor();
		const id = new URLSearchParams(p.url().split('?')[1]).get('proposal');
		assert.deepEqual((await apiGet(p, `/api/v1/proposals/${id}`)).candidates.map((c) => c.subject).sort(), [a, b].sort());
		await p.locator('#p-submit').click();
		await p.locator('#p-review').click();
		// one ballot per candidate: a passes (9 of 9), b does not (5 of 9)
		for (const [code, yes] of [[a, '9'], [b, '5']]) {
			await p.locator('#b-subject').selectOption(code);
			await p.locator('#b-members').fill('9');
			await p.locator('#b-yes').fill(yes);
			await p.locator('#p-ballot button[type=submit]').click();
			await p.locator(`#proposal tr[data-subject="${code}"] td:last-child`).filter({ hasText: `${yes}/9` }).waitFor();
		}
		await p.locator('#d-number').fill(`CF-${id}/QĐ`);
		await p.locator('#d-signer').fill('Giám đốc');
		await p.locator('#p-decide button[type=submit]').click();
		await p.locator('#proposal .b-decided').waitFor();
		const pdf = await download(p, p.locator('#p-docs a[href$="/decision.pdf"]'));
		assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
		const certs = await download(p, p.locator('#p-docs a[href$="/certificates.pdf"]'));
		assert.equal(certs.subarray(0, 5).toString('latin1'), '%PDF-');
		const xlsx = await download(p, p.locator('#p-docs a[href$="/list.xlsx"]'));
		assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK');
		const awarded = (await apiGet(p, `/api/v1/awards?year=${year}&limit=10000`)).items
			.filter((x) => x.decision === `CF-${id}/QĐ`).map((x) => x.subject);
		assert.deepEqual(awarded, [a], 'only the candidate whose ballot passed is awarded');
	});
});

test('rating grid: a unit rated by keyboard and by pasting a column, checked per cell, saved at once; eligibility follows', async () => {
	await withPage('rating-grid', async (p) => {
		await login(H, p);
		const year = (await apiGet(p, '/api/v1/units/Z121/summary')).year;
		const units = (await apiGet(p, '/api/v1/units?limit=10000')).items;
		const people = (await apiGet(p, '/api/v1/people?limit=10000')).items;
		const under = (code) => {
			const s = new Set([code]);
			for (let grew = true; grew;) {
				grew = false;
				for (const u of units) if (s.has(u.parent) && !s.has(u.code)) { s.add(u.code); grew = true; }
			}
			return people.filter((x) => s.has(x.unit) && !x.left).map((x) => x.code);
		};
		const unit = units.map((u) => [u.code, under(u.code).length]).sort((a, b) => Math.abs(a[1] - 30) - Math.abs(b[1] - 30))[0][0];
		const members = under(unit);
		assert.ok(members.length >= 20 && members.length <= 45, `a unit of about 30 (${unit}: ${members.length})`);
		// this year's regular movement of the unit's people, and records that score them
		const yaml = `code: GRID-${year}\nname: {vi: "Thi đua thường xuyên ${year} (thử)", en: "Regular ${year} (test)"}\nkind: regular\n` +
			`start: ${year}-01-01\nend: ${year}-12-31\nscope: ${unit}\nsubjects: person\ncriteria:\n` +
			'  - {code: out, name: {vi: "Sản lượng", en: Output}, metric: grid_out, weight: 1, scoring: {bands: [[90, 1], [70, 0.8], [50, 0.6], [0, 0.3]]}}\n';
		const post = (path, body) => p.evaluate(async ([u, b]) => {
			const res = await fetch(`/api/v1${u}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('thidua.csrf') }, body: JSON.stringify(b) });
			return [res.status, await res.text()];
		}, [path, body]);
		let [st, txt] = await post('/movements', { yaml });
		assert.ok(st === 201 || st === 200, txt);
		// participants are those with a target in the movement
		[st, txt] = await post('/targets', members.map((s) => ({ movement: `GRID-${year}`, subject: s, criterion: 'out', target: '100' })));
		assert.equal(st, 201, txt);
		[st, txt] = await post('/records', members.map((s, i) => ({ subject: s, metric: 'grid_out', date: `${year}-06-01`, value: String(100 - 3 * i) })));
		assert.equal(st, 201, txt);
		const scores = new Map((await apiGet(p, `/api/v1/movements/GRID-${year}/scores`)).results.map((s) => [s.subject, s]));
		const verdict = async (s) => ((await apiGet(p, `/api/v1/eligibility?year=${year}&award=CSTT&subject=${s}`)).results.find((v) => v.award === 'CSTT') || {}).verdict;
		let target = null;
		for (const s of members) if ((await verdict(s)) === 'eligible') { target = s; break; }
		assert.ok(target, 'someone in the unit is eligible for CSTT');

		await p.goto(`/#/ratings?unit=${unit}&year=${year}`);
		await p.locator('#rating-grid').waitFor();
		assert.equal(await p.locator('#rating-grid tbody tr').count(), members.length);
		const order = await p.locator('#rating-grid tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.subject));
		for (const s of order.slice(0, 5)) {
			assert.equal(await p.locator(`#rating-grid tr[data-subject="${s}"] td.suggested`).innerText(), scores.get(s).rating);
		}
		assert.equal(await p.locator(`#rating-grid tr[data-subject="${target}"] td.elig[data-award=CSTT]`).getAttribute('data-verdict'), 'eligible');
		// keyboard: type-ahead and Enter down the column
		await p.locator(`#g-r-${order[0]}`).click();
		await p.keyboard.press('Control+A');
		await p.keyboard.type('htx');
		assert.equal(await p.locator(`#g-r-${order[0]}`).inputValue(), 'HTXSNV');
		await p.keyboard.press('Enter');
		assert.equal(await p.evaluate(() => document.activeElement.id), `g-r-${order[1]}`);
		await p.keyboard.type('htt');
		await p.keyboard.press('ArrowDown');
		await p.keyboard.type('k');
		assert.equal(await p.locator(`#g-r-${order[1]}`).inputValue(), 'HTTNV');
		assert.equal(await p.locator(`#g-r-${order[2]}`).inputValue(), 'KHTNV');
		await p.keyboard.press('ArrowUp');
		assert.equal(await p.evaluate(() => document.activeElement.id), `g-r-${order[1]}`);
		// a column pasted from Excel (CRLF lines), one bad cell
		const pasted = ['HTNV', 'HTTNV', 'GIOI', 'HTXSNV', 'HTTNV'];
		await p.locator(`#g-r-${order[3]}`).evaluate((el, text) => {
			const dt = new DataTransfer();
			dt.setData('text/plain', text);
			el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
		}, pasted.join('\r\n') + '\r\n');
		for (const [k, v] of pasted.entries()) assert.equal(await p.locator(`#g-r-${order[3 + k]}`).inputValue(), v);
		const bad = p.locator(`#g-r-${order[5]}`);
		assert.equal(await bad.getAttribute('aria-invalid'), 'true');
		assert.match(await p.locator(`#${await bad.getAttribute('aria-describedby')}`).innerText(), /HTXSNV, HTTNV, HTNV, KHTNV/);
		// nothing is written while a cell is wrong
		const before = (await apiGet(p, `/api/v1/ratings?unit=${unit}&year=${year}&limit=10000`)).items;
		await p.locator('#grid-save').click();
		await p.locator('#grid-status .msg-error').waitFor();
		assert.equal(await p.evaluate(() => document.activeElement.id), `g-r-${order[5]}`);
		assert.deepEqual((await apiGet(p, `/api/v1/ratings?unit=${unit}&year=${year}&limit=10000`)).items, before);
		await p.keyboard.press('Control+A');
		await p.keyboard.type('htn');
		assert.equal(await bad.getAttribute('aria-invalid'), null);
		// the CSTT-eligible member rated KHTNV
		await p.locator(`#g-r-${target}`).click();
		await p.keyboard.press('Control+A');
		await p.keyboard.type('k');
		await shot(p, 'rating-grid-edited');
		await p.locator('#grid-save').click();
		await p.locator('#rating-grid[data-refreshed="1"]').waitFor();
		assert.ok(await p.locator('#grid-status .msg-ok').isVisible());
		const after = new Map((await apiGet(p, `/api/v1/ratings?unit=${unit}&year=${year}&limit=10000`)).items.map((x) => [x.subject, x]));
		const want = { [order[0]]: 'HTXSNV', [order[1]]: 'HTTNV', [order[2]]: 'KHTNV', [order[3]]: 'HTNV', [order[5]]: 'HTNV', [target]: 'KHTNV' };
		for (const [s, v] of Object.entries(want)) {
			assert.equal(after.get(s).rating, v, s);
			// a cell typed as it was stored is no change and is not written
			const was = before.find((x) => x.subject === s);
			assert.equal(after.get(s).source, was && was.rating === v ? was.source : 'hand', s);
		}
		assert.equal(await verdict(target), 'ineligible');
		assert.equal(await p.locator(`#rating-grid tr[data-subject="${target}"] td.elig[data-award=CSTT]`).getAttribute('data-verdict'), 'ineligible');
		assert.equal(await p.locator('#rating-grid tr.changed').count(), 0);
	});
	await withPage('rating-grid-phone', async (p) => {
		await login(H, p);
		await p.goto('/#/ratings');
		await p.locator('#rating-grid').waitFor();
		const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
		assert.ok(overflow <= 1, `the page does not scroll sideways, the grid does (${overflow}px)`);
		// scrolled to the rating cells, the names stay in view; the caption wraps on the screen
		const g = await p.locator('#rating-grid').evaluate((grid) => {
			const wrap = grid.parentElement;
			wrap.scrollLeft = 400;
			const name = grid.querySelector('tbody td:first-child').getBoundingClientRect();
			return { scrolled: wrap.scrollLeft, nameLeft: name.left, wrapLeft: wrap.getBoundingClientRect().left,
				caption: grid.querySelector('caption').getBoundingClientRect().right };
		});
		assert.ok(g.scrolled > 100, 'the grid is wider than a phone');
		assert.ok(Math.abs(g.nameLeft - g.wrapLeft) <= 1, `the name column scrolled away (${g.nameLeft} vs ${g.wrapLeft})`);
		assert.ok(g.caption <= 390, `the caption runs off the screen (${g.caption}px)`);
	}, { width: 390, height: 844 });
});
