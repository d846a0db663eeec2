-- 0005: the server's accounts, sessions, API tokens, login throttling and
-- the audit trail (SQLite). Times are INTEGER unix seconds.
CREATE TABLE accounts (
	id	INTEGER PRIMARY KEY,
	login	TEXT NOT NULL UNIQUE,
	pwhash	TEXT NOT NULL,			-- libsodium crypto_pwhash_str (argon2id)
	role	TEXT NOT NULL CHECK (role IN ('admin', 'council', 'commander',
		'clerk', 'viewer')),
	unit_id	INTEGER REFERENCES units (id),
	disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
	created_at INTEGER NOT NULL
);
-- A session is known by the SHA-256 of its cookie value.
CREATE TABLE sessions (
	hash	TEXT PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	csrf	TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	last_seen INTEGER NOT NULL,
	address	TEXT
);
CREATE INDEX sessions_account ON sessions (account_id);
-- API tokens, stored as the SHA-256 of the secret.
CREATE TABLE api_tokens (
	id	INTEGER PRIMARY KEY,
	account_id INTEGER NOT NULL REFERENCES accounts (id),
	hash	TEXT NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	revoked	INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
-- Failed logins: key is 'login:NAME' or 'addr:ADDRESS'.
CREATE TABLE login_failures (
	key	TEXT NOT NULL,
	at	INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (key, at);
-- Every write: who, when, from where, what, before and after (JSON text).
CREATE TABLE audit (
	id	INTEGER PRIMARY KEY,
	at	INTEGER NOT NULL,
	actor	TEXT NOT NULL,
	address	TEXT NOT NULL,
	action	TEXT NOT NULL,
	kind	TEXT NOT NULL,
	subject	TEXT,
	before	TEXT,
	after	TEXT
);
CREATE INDEX audit_at ON audit (at);
CREATE INDEX audit_subject ON audit (subject, at);
