// timeline.test.mjs: key tasks on a timeline (pages/timeline.js) with the
// demo's schedule: one plan and one forecast bar per task, today's line,
// an arrow per task link and per customer, the at-risk ones marked; at a
// phone's width the page does not scroll sideways (the box does);
// screenshots at desktop and phone width are non-empty PNGs. Only the
// open tasks and those finished in the last 90 days are drawn (the demo
// has years of finished ones: a note counts them); no customer's name is
// cut off at the drawing's edge; printed, the codes are drawn inside the
// drawing (the separate column is hidden) and the drawing fits the page.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { start, fresh, stop, page, login, apiGet, TODAY } from './harness.mjs';

let H;
before(async () => { H = await start(); });
beforeEach(async () => { await fresh(H); });
after(async () => { await stop(H); });

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
const day = (iso) => Date.parse(`${iso}T00:00:00Z`) / 86400000;

for (const [name, width, height] of [['desktop', 1366, 768], ['phone', 390, 844]]) {
	test(`timeline at ${name} width`, async () => {
		const p = await page(H, { width, height });
		try {
			await login(H, p);
			const all = await apiGet(p, '/api/v1/schedule');
			// what the timeline draws: open tasks, and those finished in the last 90 days
			const sched = { tasks: all.tasks.filter((k) => k.status !== 'done' || day(k.forecast_finish || k.due) >= day(TODAY) - 90) };
			const older = all.tasks.length - sched.tasks.length;
			assert.ok(older > 0 && sched.tasks.some((k) => k.status !== 'done'), 'the demo has old finished tasks and open ones');
			const links = (await apiGet(p, '/api/v1/task-links?limit=10000')).items;
			await p.goto('/#/tasks');
			await p.locator('.page-tasks[data-rendered="1"]').waitFor();
			const tl = p.locator('#timeline svg');
			const n = sched.tasks.length;
			assert.ok(n > 0);
			assert.equal(await tl.locator('g.tl-task').count(), n);
			assert.equal(await tl.locator('.tl-plan').count(), n);
			assert.equal(await tl.locator('.tl-forecast').count(), n);
			assert.equal(await tl.locator('line.tl-today').count(), 1);
			const codes = new Set(sched.tasks.map((k) => k.task));
			const shown = links.filter((l) => codes.has(l.task) && codes.has(l.depends_on));
			assert.equal(await tl.locator('path.tl-link:not(.tl-customer)').count(), shown.length);
			assert.equal(await tl.locator('path.tl-customer').count(), sched.tasks.filter((k) => k.customer).length);
			const risk = sched.tasks.filter((k) => ['late', 'stalled', 'at_risk'].includes(k.status)).map((k) => k.task).sort();
			assert.ok(risk.length > 0, 'the demo has tasks at risk');
			assert.deepEqual((await tl.locator('g.tl-task.tl-risk').evaluateAll((e) => e.map((x) => x.dataset.task))).sort(), risk);
			const riskyLinks = shown.filter((l) => risk.includes(l.depends_on)).length;
			assert.equal(await tl.locator('path.tl-link.tl-risk:not(.tl-customer)').count(), riskyLinks);
			assert.match(await p.locator('#tl-older').innerText(), new RegExp(`^${older} `));
			// every customer's name ends inside the drawing
			const cut = await tl.first().evaluate((svg) => [...svg.querySelectorAll('text.tl-cust')]
				.filter((el) => el.getBBox().x + el.getBBox().width > svg.viewBox.baseVal.width).map((el) => el.textContent));
			assert.deepEqual(cut, []);
			// the page itself never scrolls sideways; the timeline's box may
			const over = await p.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
			assert.ok(over <= 0, `page scrolls sideways by ${over}px`);
			const file = path.join(process.env.THIDUA_SHOTS || H.tmp, `timeline-${name}.png`);
			await p.locator('#timeline').screenshot({ path: file });
			const png = fs.readFileSync(file);
			assert.ok(png.length > 1000 && png.subarray(0, 4).equals(PNG));
			await p.screenshot({ path: path.join(H.tmp, `tasks-${name}.png`), fullPage: true });
			assert.ok(fs.statSync(path.join(H.tmp, `tasks-${name}.png`)).size > 1000);
			// printed: the drawing fits the page's width, its codes drawn inside it
			await p.emulateMedia({ media: 'print' });
			const pr = await p.evaluate(() => {
				const svg = document.querySelector('#timeline svg');
				const labels = [...svg.querySelectorAll('text.tl-inlabel')];
				return { width: svg.getBoundingClientRect().right, page: document.documentElement.clientWidth,
					names: getComputedStyle(document.querySelector('.tl-names')).display,
					shown: labels.filter((l) => getComputedStyle(l).display !== 'none').length };
			});
			await p.emulateMedia({ media: 'screen' });
			assert.ok(pr.width <= pr.page, `printed timeline ${pr.width}px wide on a ${pr.page}px page`);
			assert.equal(pr.names, 'none');
			assert.equal(pr.shown, n);
			assert.deepEqual(p.problems(), []);
		} finally {
			await p.context().close();
		}
	});
}
