// tools/screenshots.mjs: screenshots of the year-end screens on the demo,
// to look at after a change to the pages or app.css (issue 23: "the grid
// and the timeline on a desktop and a phone width look right").
//
//   node tools/screenshots.mjs [DIR]      (default tests/out/shots)
//   THIDUA_BIN=/tmp/mine/thidua node tools/screenshots.mjs /tmp/shots
//
// Builds the demo and serves it exactly as the browser tests do
// (tests/e2e/harness.mjs: thidua init + demo, `thidua serve`, Debian's
// chromium through playwright-core, "today" pinned), logs in as an
// administrator and saves, at desktop (1366×900) and phone (390×844)
// width: the rating grid (the whole page, and the grid's box), the key
// tasks page (the whole page, and the timeline's box), the timeline
// scrolled to its end on the phone, and the key tasks page as printed
// (print media). Prints one line per PNG.
import fs from 'node:fs';
import path from 'node:path';
import { start, fresh, stop, page, login, ROOT } from '../tests/e2e/harness.mjs';

const DIR = path.resolve(process.argv[2] || path.join(ROOT, 'tests', 'out', 'shots'));
const SIZES = [['desktop', 1366, 900], ['phone', 390, 844]];

fs.mkdirSync(DIR, { recursive: true });
const H = await start();
const saved = [];
const save = async (what, file, opts = {}) => {
	const f = path.join(DIR, `${file}.png`);
	await what.screenshot({ path: f, ...opts });
	saved.push(f);
};
try {
	await fresh(H);
	const units = JSON.parse(H.run(['--format', 'json', 'export', 'units']) || '[]');
	const people = JSON.parse(H.run(['--format', 'json', 'export', 'people']) || '[]');
	const size = new Map();
	for (const x of people) if (!x.left) size.set(x.unit, (size.get(x.unit) || 0) + 1);
	const team = units.filter((u) => size.get(u.code)).sort((a, b) => Math.abs(size.get(a.code) - 30) - Math.abs(size.get(b.code) - 30))[0];
	const TEAM = team.code, TEAM_NAME = team.name;
	for (const [name, width, height] of SIZES) {
		const p = await page(H, { width, height });
		try {
			await login(H, p);
			await p.goto('/#/ratings');
			await p.locator('.page-ratings[data-rendered="1"] #rating-grid').waitFor();
			await save(p, `grid-${name}`);
			await save(p, `grid-${name}-full`, { fullPage: true });
			// a team of about thirty, as a clerk rates it; on the phone the
			// grid's box scrolled to the rating cells (the names stay)
			await p.goto(`/#/ratings?unit=${TEAM}`);
			await p.locator(`.page-ratings[data-rendered="1"] #rating-grid`).waitFor();
			await p.locator('#rating-grid caption').filter({ hasText: TEAM_NAME }).waitFor();
			if (name === 'phone') await p.locator('#rating-grid').evaluate((g) => { g.parentElement.scrollLeft = 420; });
			await save(p, `grid-${name}-team`);
			await p.goto('/#/tasks');
			await p.locator('.page-tasks[data-rendered="1"] #timeline svg').waitFor();
			await p.waitForTimeout(200);	// the box opens at today's line (next frame)
			await save(p.locator('.tl-wrap'), `timeline-${name}`);
			await save(p, `tasks-${name}`);
			if (name === 'phone') {
				// the timeline's own box scrolls sideways; its far end
				await p.locator('#timeline').evaluate((box) => { box.scrollLeft = box.scrollWidth; });
				await save(p.locator('.tl-wrap'), `timeline-${name}-end`);
			} else {
				await p.emulateMedia({ media: 'print' });
				await save(p, 'tasks-print', { fullPage: true });
				await p.emulateMedia({ media: 'screen' });
			}
			if (p.problems().length) console.error(`${name}: ${p.problems().join('\n')}`);
		} finally {
			await p.context().close();
		}
	}
} finally {
	await stop(H);
}
for (const f of saved) console.log(f);
