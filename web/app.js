// app.js: the web app's shell. Keeps who is logged in, draws the header
// (navigation, language switch, user, logout) and the illustrative-data
// banner, and routes by location.hash to one page module (pages/*.js),
// each exporting render(main, params, ctx). A 401 from the API sends the
// user back to the login page with a message.
import { api, get, setCsrf, onUnauthorized, ApiError } from './api.js';
import { t, lang, setLang } from './i18n.js';
import { h, message } from './ui.js';
import { invalidate, setRoots } from './data.js';
import { setMay, may } from './caps.js';

// Routes: pattern → page module and the navigation entry it lights up.
const routes = [
	{ re: /^\/login$/, page: 'login', nav: null, open: true },
	{ re: /^\/$/, page: 'dashboard', nav: 'dashboard' },
	{ re: /^\/tasks$/, page: 'tasks', nav: 'tasks' },
	{ re: /^\/task\/([^/]+)$/, page: 'task', nav: 'tasks', args: ['code'] },
	{ re: /^\/units$/, page: 'units', nav: 'units' },
	{ re: /^\/subject\/([^/]+)$/, page: 'subject', nav: 'units', args: ['code'] },
	{ re: /^\/entry(?:\/([a-z-]+))?$/, page: 'entry', nav: 'entry', args: ['kind'] },
	{ re: /^\/import$/, page: 'import', nav: 'import' },
	{ re: /^\/ratings$/, page: 'ratings', nav: 'ratings' },
	{ re: /^\/movements(?:\/([^/]+))?$/, page: 'movements', nav: 'movements', args: ['code'] },
	{ re: /^\/council$/, page: 'council', nav: 'council' },
	{ re: /^\/exemplars$/, page: 'exemplars', nav: 'exemplars' },
];
const navItems = ['dashboard', 'tasks', 'units', 'entry', 'ratings', 'import', 'movements', 'council', 'exemplars'];
// Pages only for callers who may write there, as GET /me says (the API
// refuses the others anyway): entering and importing rows, ratings.
const navNeeds = { entry: ['POST', '/records'], ratings: ['POST', '/ratings'], import: ['POST', '/records'] };

const ctx = { user: null, demo: false, flash: null };
let renderSeq = 0;

function parseHash() {
	const raw = location.hash.replace(/^#/, '') || '/';
	const [path, qs] = raw.split('?');
	return { path, query: new URLSearchParams(qs || '') };
}

export function go(hash) {
	if (location.hash === hash) route();
	else location.hash = hash;
}

function header(active) {
	const top = document.getElementById('top');
	top.replaceChildren();
	const brand = h('a', { class: 'brand', href: '#/' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'TĐ'), t('app.title'));
	const langBtn = h('button', {
		type: 'button', class: 'btn btn-ghost', id: 'lang-switch', lang: lang() === 'vi' ? 'en' : 'vi',
		'aria-label': t('lang.switch.label'),
		onclick: () => { setLang(lang() === 'vi' ? 'en' : 'vi'); route(); },
	}, t('lang.switch'));
	const right = h('div', { class: 'top-right' }, langBtn);
	if (ctx.user) {
		right.append(h('span', { class: 'user', title: ctx.user.role }, ctx.user.login),
			h('button', { type: 'button', class: 'btn btn-ghost', id: 'logout', onclick: logout }, t('nav.logout')));
	}
	top.append(brand);
	if (ctx.user) {
		const toggle = h('button', {
			type: 'button', class: 'btn btn-ghost nav-toggle', 'aria-expanded': 'false', 'aria-controls': 'nav',
			onclick: (ev) => {
				const open = nav.classList.toggle('open');
				ev.currentTarget.setAttribute('aria-expanded', String(open));
			},
		}, t('nav.menu'));
		const mine = navItems.filter((n) => !navNeeds[n] || may(...navNeeds[n]));
		const nav = h('nav', { id: 'nav', 'aria-label': t('nav.main') }, h('ul', {}, mine.map((n) =>
			h('li', {}, h('a', {
				href: n === 'dashboard' ? '#/' : `#/${n}`,
				'aria-current': n === active ? 'page' : false,
			}, t(`nav.${n}`))))));
		top.append(toggle, nav);
	}
	top.append(right);
	document.querySelector('.skip').textContent = t('app.skip');
	const banner = document.getElementById('banner');
	banner.textContent = t('demo.banner');
	banner.hidden = !(ctx.user && ctx.demo);
}

async function logout() {
	try {
		await api('DELETE', '/session');
	} catch { /* already gone: fine */ }
	ctx.user = null;
	setCsrf('');
	invalidate();
	ctx.flash = { kind: 'info', text: t('login.loggedout') };
	go('#/login');
}

// After a login (or a reload with a live cookie).
export function loggedIn(me) {
	ctx.user = me;
	ctx.demo = Boolean(me.demo);
	setMay(me);
	setRoots(me.roots);
	if (me.csrf) setCsrf(me.csrf);
}

async function whoami() {
	try {
		const me = await get('/me');
		loggedIn(me);
		return true;
	} catch (e) {
		if (e instanceof ApiError && e.status === 401) return false;
		throw e;
	}
}

const pages = {};
async function load(name) {
	if (!pages[name]) pages[name] = await import(`./pages/${name}.js`);
	return pages[name];
}

async function route() {
	const seq = ++renderSeq;
	const { path, query } = parseHash();
	const r = routes.find((x) => x.re.test(path)) || routes[1];
	const m = path.match(r.re) || [];
	const params = { query };
	(r.args || []).forEach((a, i) => { params[a] = m[i + 1] ? decodeURIComponent(m[i + 1]) : null; });
	document.documentElement.lang = lang();
	document.title = t('app.title');
	if (!r.open && !ctx.user) {
		let ok = false;
		try {
			ok = await whoami();
		} catch (e) {
			return fail(e);
		}
		if (!ok) {
			sessionStorage.setItem('thidua.next', location.hash);
			return go('#/login');
		}
	}
	header(r.nav);
	const main = document.getElementById('main');
	const mod = await load(r.page);
	if (seq !== renderSeq) return;
	const box = h('div', { class: `page page-${r.page}` });
	if (ctx.flash) {
		box.append(message(ctx.flash.kind, ctx.flash.text));
		ctx.flash = null;
	}
	main.replaceChildren(box);
	try {
		await mod.render(box, params, ctx);
	} catch (e) {
		if (e instanceof ApiError && e.status === 401) return;
		box.append(message('error', `${t('common.error')}: ${e.message}`));
	}
	box.dataset.rendered = '1';	/* drawn (tests wait on it) */
}

function fail(e) {
	document.getElementById('main').replaceChildren(message('error', `${t('common.error')}: ${e.message}`));
}

onUnauthorized(() => {
	if (!ctx.user) return;
	ctx.user = null;
	invalidate();
	ctx.flash = { kind: 'warn', text: t('login.expired') };
	sessionStorage.setItem('thidua.next', location.hash);
	go('#/login');
});

export function takeNext() {
	const n = sessionStorage.getItem('thidua.next');
	sessionStorage.removeItem('thidua.next');
	return n && n !== '#/login' ? n : '#/';
}

window.addEventListener('hashchange', route);
route();
