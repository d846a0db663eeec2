// caps.js: what the logged-in caller may do, as GET /api/v1/me says:
// "may" lists "METHOD /api/v1/PATH" for every route the caller's role
// passes, derived by the server from its route table ({kind} spelt out
// per import kind). Pages ask may() instead of knowing roles or probing
// endpoints; a route this server lacks is simply not listed. The app
// calls setMay() whenever it learns who is logged in.
let mine = new Set();

export function setMay(me) {
	mine = new Set((me && me.may) || []);
}

// may('POST', '/proposals'), may('GET', '/movements/{code}/ratings')
export function may(method, path) {
	return mine.has(`${method} /api/v1${path}`);
}
