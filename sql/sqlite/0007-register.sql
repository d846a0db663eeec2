-- 0007: the innovation register's details, indicator targets, advanced
-- examples (exemplars) and their replication, demo settings (SQLite).
ALTER TABLE innovations ADD COLUMN recognised_on TEXT;
ALTER TABLE innovations ADD COLUMN scope TEXT;
ALTER TABLE innovations ADD COLUMN unit_id INTEGER REFERENCES units (id);
-- Each author's share of an innovation, in percent (kept apart from
-- innovation_authors so that re-importing innovations keeps the shares).
CREATE TABLE innovation_shares (
	innovation_id INTEGER NOT NULL REFERENCES innovations (id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people (id),
	share	REAL NOT NULL CHECK (share > 0 AND share <= 100),
	PRIMARY KEY (innovation_id, person_id)
);
-- Planned value (kế hoạch) of a business indicator for a unit and year.
CREATE TABLE indicator_targets (
	year	INTEGER NOT NULL,
	unit_id	INTEGER NOT NULL REFERENCES units (id),
	indicator TEXT NOT NULL,
	target	REAL NOT NULL,
	PRIMARY KEY (year, unit_id, indicator)
);
CREATE TABLE exemplars (
	id	INTEGER PRIMARY KEY,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	field	TEXT NOT NULL,
	reason	TEXT NOT NULL,
	since	INTEGER NOT NULL,
	min_rating TEXT NOT NULL DEFAULT 'HTTNV' CHECK (min_rating IN
		('HTXSNV', 'HTTNV', 'HTNV')),
	award	TEXT,
	UNIQUE (subject_id, field)
);
CREATE TABLE exemplar_adoptions (
	exemplar_id INTEGER NOT NULL REFERENCES exemplars (id) ON DELETE CASCADE,
	unit_id	INTEGER NOT NULL REFERENCES units (id),
	adopted_on TEXT NOT NULL,
	practice TEXT,
	PRIMARY KEY (exemplar_id, unit_id)
);
-- Free-form settings the UI reads (e.g. demo = "z121").
CREATE TABLE settings (
	key	TEXT PRIMARY KEY,
	value	TEXT NOT NULL
);
