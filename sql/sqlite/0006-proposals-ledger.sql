-- 0006: proposals, council ballots, decisions and the append-only award
-- ledger (SQLite). See docs/proposals.md.
CREATE TABLE proposals (
	id	INTEGER PRIMARY KEY,
	year	INTEGER NOT NULL,
	award	TEXT NOT NULL,
	movement TEXT,				-- campaign-linked proposal
	state	TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
		('draft', 'submitted', 'reviewed', 'decided', 'returned')),
	reason	TEXT,				-- why it was returned
	created_at TEXT NOT NULL,
	updated_at TEXT NOT NULL
);
CREATE TABLE proposal_candidates (
	proposal_id INTEGER NOT NULL REFERENCES proposals (id),
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	verdict	TEXT NOT NULL,			-- at the time of proposing
	verdict_json TEXT NOT NULL,		-- the eligibility explanation
	summary_json TEXT NOT NULL,		-- the dossier's achievement summary
	based_on TEXT NOT NULL DEFAULT '',	-- innovation codes the verdict rests on
	override TEXT,				-- written justification, when not eligible
	PRIMARY KEY (proposal_id, subject_id)
);
CREATE TABLE proposal_attachments (
	proposal_id INTEGER NOT NULL REFERENCES proposals (id),
	pos	INTEGER NOT NULL,
	subject_id INTEGER REFERENCES subjects (id),	-- NULL: the whole proposal
	path	TEXT NOT NULL,			-- a reference, not the file
	PRIMARY KEY (proposal_id, pos)
);
-- Secret ballots: only counts, never who voted how.
CREATE TABLE ballots (
	proposal_id INTEGER NOT NULL REFERENCES proposals (id),
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	members	INTEGER NOT NULL CHECK (members > 0),
	present	INTEGER NOT NULL CHECK (present >= 0 AND present <= members),
	written	INTEGER NOT NULL DEFAULT 0 CHECK (written >= 0),
	yes	INTEGER NOT NULL CHECK (yes >= 0 AND yes <= present + written),
	min_pct	REAL,				-- the threshold applied; NULL: majority
	passed	INTEGER NOT NULL CHECK (passed IN (0, 1)),
	recorded_at TEXT NOT NULL,
	PRIMARY KEY (proposal_id, subject_id)
);
CREATE TABLE decisions (
	id	INTEGER PRIMARY KEY,
	proposal_id INTEGER NOT NULL UNIQUE REFERENCES proposals (id),
	number	TEXT NOT NULL UNIQUE,
	date	TEXT NOT NULL,
	signer	TEXT NOT NULL,
	base_salary INTEGER NOT NULL,
	recipients INTEGER NOT NULL,		-- ledger entries it appended
	created_at TEXT NOT NULL
);
-- Base salary (mức lương cơ sở) with effective dates (RULES.md §8.5).
CREATE TABLE base_salary (
	from_date TEXT PRIMARY KEY,
	amount	INTEGER NOT NULL CHECK (amount > 0),
	basis	TEXT
);
INSERT INTO base_salary VALUES ('2024-07-01', 2340000, 'NĐ 73/2024/NĐ-CP');
INSERT INTO base_salary VALUES ('2026-07-01', 2530000, 'NĐ 161/2026/NĐ-CP');
-- The award ledger: append-only; each entry hashes its content and the
-- previous entry's hash (see src/ledger.c for the canonical form).
CREATE TABLE ledger (
	seq	INTEGER PRIMARY KEY,
	kind	TEXT NOT NULL CHECK (kind IN ('award', 'revoke')),
	decision TEXT NOT NULL,			-- decision number (revoke: the entry's)
	date	TEXT NOT NULL,
	signer	TEXT NOT NULL,
	year	INTEGER NOT NULL,
	subject	TEXT NOT NULL,			-- subject code
	award	TEXT NOT NULL,
	amount	INTEGER NOT NULL,		-- VND
	based_on TEXT NOT NULL,
	ref	INTEGER REFERENCES ledger (seq),	-- revoke: the entry revoked
	reason	TEXT NOT NULL,
	prev_hash TEXT NOT NULL UNIQUE,
	hash	TEXT NOT NULL UNIQUE
);
CREATE INDEX ledger_subject ON ledger (subject, seq);
CREATE INDEX ledger_decision ON ledger (decision);
CREATE INDEX ledger_ref ON ledger (ref);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN
	SELECT RAISE(ABORT, 'ledger entries are never updated (append-only)');
END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN
	SELECT RAISE(ABORT, 'ledger entries are never deleted (append-only)');
END;
-- A decision, once issued, is a permanent record too.
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
	SELECT RAISE(ABORT, 'decisions are never updated (append-only)');
END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN
	SELECT RAISE(ABORT, 'decisions are never deleted (append-only)');
END;
