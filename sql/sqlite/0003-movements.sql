-- 0003: emulation movements, their versions and criteria, targets, pledges (SQLite).
-- The YAML a version was loaded from is kept whole (movement_versions.source):
-- it is what evaluation reads; the other columns are there to list and query.
CREATE TABLE movements (
	id	INTEGER PRIMARY KEY,
	code	TEXT NOT NULL UNIQUE,
	version	INTEGER NOT NULL,
	name_vi	TEXT NOT NULL,
	name_en	TEXT,
	kind	TEXT NOT NULL CHECK (kind IN ('regular', 'campaign', 'thematic')),
	start_date TEXT NOT NULL,
	end_date TEXT NOT NULL,
	scope_id INTEGER NOT NULL REFERENCES units (id),
	subjects TEXT NOT NULL CHECK (subjects IN ('unit', 'person')),
	group_by TEXT NOT NULL CHECK (group_by IN ('bloc', 'parent', 'all'))
);
CREATE TABLE movement_versions (
	movement_id INTEGER NOT NULL REFERENCES movements (id),
	version	INTEGER NOT NULL,
	loaded_at TEXT NOT NULL,
	source	TEXT NOT NULL,
	PRIMARY KEY (movement_id, version)
);
-- Criteria of the current version (replaced on each load).
CREATE TABLE movement_criteria (
	movement_id INTEGER NOT NULL REFERENCES movements (id),
	pos	INTEGER NOT NULL,
	code	TEXT NOT NULL,
	metric	TEXT NOT NULL,
	weight	REAL NOT NULL,
	scoring	TEXT NOT NULL CHECK (scoring IN ('ratio', 'bands', 'veto')),
	PRIMARY KEY (movement_id, code)
);
CREATE TABLE targets (
	movement_id INTEGER NOT NULL REFERENCES movements (id),
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	criterion TEXT NOT NULL,
	target	REAL NOT NULL,
	PRIMARY KEY (movement_id, subject_id, criterion)
) WITHOUT ROWID;	-- evaluation reads it in key order: one b-tree, no rowid hops
CREATE INDEX targets_subject ON targets (subject_id);
CREATE TABLE pledges (
	movement_id INTEGER NOT NULL REFERENCES movements (id),
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	award	TEXT,
	by_date	TEXT,
	note	TEXT,
	PRIMARY KEY (movement_id, subject_id)
);
