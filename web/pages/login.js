// pages/login.js: the login form (POST /api/v1/session). Shows why the
// user is here (session expired, logged out) and why a login failed.
import { api, ApiError, setCsrf } from '../api.js';
import { t } from '../i18n.js';
import { h, message } from '../ui.js';
import { go, loggedIn, takeNext } from '../app.js';

export async function render(root) {
	const err = h('div', { id: 'login-error' });
	const login = h('input', { id: 'login', name: 'login', autocomplete: 'username', required: true, autofocus: true });
	const pw = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
	const form = h('form', { class: 'login-form', 'aria-labelledby': 'login-title' },
		h('div', { class: 'login-brand' }, h('span', { class: 'logo', 'aria-hidden': 'true' }, 'TĐ')),
		h('h1', { id: 'login-title' }, t('login.title')),
		h('p', { class: 'muted' }, t('login.intro')),
		err,
		h('div', { class: 'field' }, h('label', { for: 'login' }, t('login.login')), login),
		h('div', { class: 'field' }, h('label', { for: 'password' }, t('login.password')), pw),
		h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('login.submit')));
	form.addEventListener('submit', async (ev) => {
		ev.preventDefault();
		err.replaceChildren();
		try {
			const doc = await api('POST', '/session', { login: login.value, password: pw.value }, { login: true });
			setCsrf(doc.csrf);
			let me = doc.user;
			try {
				me = await api('GET', '/me');
			} catch { /* the login answer is enough */ }
			loggedIn({ ...doc.user, ...me, csrf: doc.csrf });
			go(takeNext());
		} catch (e) {
			const text = e instanceof ApiError && e.status === 429 ? t('login.throttled')
				: e instanceof ApiError && e.status === 401 ? t('login.failed') : e.message;
			err.replaceChildren(message('error', text));
			pw.select();
		}
	});
	root.classList.add('login-page');
	root.append(form);
}
