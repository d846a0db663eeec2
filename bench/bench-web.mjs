// bench-web.mjs: the web app's first useful paint, page by page, in a real
// Chromium (Debian's, driven by playwright-core as the browser tests do).
// Usage: node bench/bench-web.mjs BASE LOGIN PASSWORD LABEL
// Logs in once (POST /api/v1/session in the page), then for every page of
// the app loads it from scratch (a full navigation: the app's modules and
// its cache of names start empty) and times the navigation until the
// page's main content is in the DOM: its first card, table row or tree
// item (the page head and the navigation do not count); the time until
// the whole page is drawn is printed beside it. One warm-up pass
// (the server's caches: snapshot copies, the search index), then RUNS
// timed passes (BENCH_WEB_RUNS, default 3), the median printed as
//   bench web-first-paint-PAGE-LABEL: ours=…ms peer=1000ms ratio=…
// (peer: the goal, one second; ratio = goal / ours, ≥ 1 meets it). Every
// request the pages make is watched: a list of people or units asked with
// a page size over 2000, or more than one page of them, and an award's
// verdicts or decided awards asked without subject= or a limit of at
// most 2000, are reported.
import { chromium } from 'playwright-core';

const [base, login, password, label] = process.argv.slice(2);
const RUNS = Number(process.env.BENCH_WEB_RUNS || 3);
const GOAL = 1000;
const CHROMIUM = process.env.THIDUA_CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];
// What counts as the page's main content.
const MAIN = '#main .page .card, #main .page tbody tr, #main .page #tree li';

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 768 } });
const page = await context.newPage();
const bad = [];
page.on('request', (req) => {
	const u = new URL(req.url());
	const limit = Number(u.searchParams.get('limit') || 100);
	const offset = Number(u.searchParams.get('offset') || 0);
	if (/^\/api\/v1\/(people|units)$/.test(u.pathname) && (limit > 2000 || offset > 0)) bad.push(`${u.pathname}${u.search}`);
	// an award's verdicts or decided awards: one subject's, or a page
	if (/^\/api\/v1\/(eligibility|awards)$/.test(u.pathname) && !u.searchParams.get('subject')
		&& !(Number(u.searchParams.get('limit')) > 0 && limit <= 2000)) bad.push(`${u.pathname}${u.search}`);
});
await page.goto('/#/login');
const me = await page.evaluate(async ([l, p]) => {
	const res = await fetch('/api/v1/session', {
		method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: l, password: p }),
	});
	if (!res.ok) throw new Error(`login: HTTP ${res.status}`);
	const doc = await res.json();
	sessionStorage.setItem('thidua.csrf', doc.csrf || '');
	return (await fetch('/api/v1/me')).json();
}, [login, password]);
const api = (p) => page.evaluate(async (x) => (await fetch(x)).json(), p);

// A person and a unit to open, and a task when there are any.
const root = me.roots[0].code;
const team = (await api(`/api/v1/people?limit=1&unit=${encodeURIComponent(root)}`)).items[0];
const sched = await api('/api/v1/schedule');
const pages = [
	['dashboard', '#/'], ['tasks', '#/tasks'], ['units', '#/units'],
	['subject-person', `#/subject/${encodeURIComponent(team.code)}`],
	['subject-unit', `#/subject/${encodeURIComponent(team.unit)}`],
	['entry', '#/entry'], ['import', '#/import'], ['ratings', '#/ratings'],
	['movements', '#/movements'], ['council', '#/council'], ['exemplars', '#/exemplars'],
];
if (sched.tasks && sched.tasks.length) pages.push(['task', `#/task/${encodeURIComponent(sched.tasks[0].task)}`]);

// One load: [first useful paint, whole page] in ms. The next page starts
// only when this one is wholly drawn (its later cards' requests would
// otherwise queue before the next page's on the server).
async function once(hash) {
	await page.goto('about:blank');
	const t0 = Date.now();
	await page.goto(`/${hash}`, { waitUntil: 'commit' });
	await page.waitForSelector(MAIN, { timeout: 300000 });
	const first = Date.now() - t0;
	await page.waitForSelector('#main .page[data-rendered="1"]', { timeout: 600000 });
	return [first, Date.now() - t0];
}

const times = new Map(pages.map(([n]) => [n, []]));
const whole = new Map(pages.map(([n]) => [n, []]));
for (let pass = 0; pass <= RUNS; pass++) {
	for (const [name, hash] of pages) {
		const [ms, all] = await once(hash);
		if (pass > 0) {
			times.get(name).push(ms);
			whole.get(name).push(all);
		} else process.stderr.write(`warm-up ${name}: ${ms}ms (whole page ${all}ms)\n`);
	}
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor((a.length - 1) / 2)];
for (const [name] of pages) {
	const ms = Math.max(1, median(times.get(name)));
	console.log(`bench web-first-paint-${name}-${label}: ours=${ms}ms peer=${GOAL}ms ratio=${(GOAL / ms).toFixed(2)} (runs ${times.get(name).join(',')}ms; whole page ${median(whole.get(name))}ms)`);
}
if (bad.length) console.log(`bench web-whole-table-${label}: ${bad.length} requests of a whole table, e.g. ${bad.slice(0, 3).join(' ')}`);
await browser.close();
