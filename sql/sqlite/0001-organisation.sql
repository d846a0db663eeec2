-- 0001: the organisation and its history (SQLite).
-- Units and people share one code namespace: the subjects table.
CREATE TABLE subjects (
	id	INTEGER PRIMARY KEY,
	code	TEXT NOT NULL UNIQUE,
	kind	TEXT NOT NULL CHECK (kind IN ('unit', 'person'))
);
CREATE TABLE units (
	id	INTEGER PRIMARY KEY REFERENCES subjects (id),
	name	TEXT NOT NULL,
	parent_id INTEGER REFERENCES units (id),
	kind	TEXT NOT NULL DEFAULT 'other' CHECK (kind IN
		('enterprise', 'workshop', 'department', 'team', 'union', 'other')),
	bloc	TEXT,
	military INTEGER NOT NULL DEFAULT 0 CHECK (military IN (0, 1))
);
CREATE INDEX units_parent ON units (parent_id);
CREATE TABLE people (
	id	INTEGER PRIMARY KEY REFERENCES subjects (id),
	name	TEXT NOT NULL,
	unit_id	INTEGER NOT NULL REFERENCES units (id),
	category TEXT NOT NULL CHECK (category IN ('officer',
		'professional_soldier', 'soldier', 'defence_worker', 'employee')),
	joined	TEXT NOT NULL,
	left_on	TEXT
);
CREATE INDEX people_unit ON people (unit_id);
-- Where a person was: one row per stay; to_date NULL for the current one.
CREATE TABLE person_units (
	person_id INTEGER NOT NULL REFERENCES people (id),
	unit_id	INTEGER NOT NULL REFERENCES units (id),
	from_date TEXT NOT NULL,
	to_date	TEXT,
	PRIMARY KEY (person_id, from_date)
);
CREATE TABLE ratings (
	year	INTEGER NOT NULL,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	rating	TEXT NOT NULL CHECK (rating IN ('HTXSNV', 'HTTNV', 'HTNV', 'KHTNV')),
	source	TEXT NOT NULL DEFAULT 'import',	-- import | hand | council | movement
	source_ref TEXT,			-- e.g. the movement code
	PRIMARY KEY (year, subject_id)
);
CREATE INDEX ratings_subject ON ratings (subject_id, year);
CREATE TABLE awards (
	year	INTEGER NOT NULL,
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	award	TEXT NOT NULL,
	decision TEXT,
	decided_on TEXT,
	based_on TEXT,			-- innovation codes joined by ';'
	revoked	INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (year, subject_id, award)
);
CREATE INDEX awards_subject ON awards (subject_id, year);
CREATE TABLE innovations (
	id	INTEGER PRIMARY KEY,
	code	TEXT NOT NULL UNIQUE,
	kind	TEXT NOT NULL CHECK (kind IN ('initiative', 'research', 'mechanisation')),
	title	TEXT NOT NULL,
	year	INTEGER NOT NULL,
	level	TEXT NOT NULL CHECK (level IN ('base', 'ministry', 'national')),
	benefit	INTEGER
);
CREATE TABLE innovation_authors (
	innovation_id INTEGER NOT NULL REFERENCES innovations (id) ON DELETE CASCADE,
	person_id INTEGER NOT NULL REFERENCES people (id),
	pos	INTEGER NOT NULL,
	PRIMARY KEY (innovation_id, person_id)
);
CREATE INDEX innovation_authors_person ON innovation_authors (person_id);
CREATE TABLE discipline (
	subject_id INTEGER NOT NULL REFERENCES subjects (id),
	form	TEXT NOT NULL CHECK (form IN ('pending', 'reprimand', 'warning',
		'demotion', 'dismissal')),
	from_date TEXT NOT NULL,
	to_date	TEXT,
	PRIMARY KEY (subject_id, form, from_date)
);
CREATE TABLE incidents (
	unit_id	INTEGER NOT NULL REFERENCES units (id),
	date	TEXT NOT NULL,
	severity TEXT NOT NULL CHECK (severity IN ('minor', 'serious')),
	description TEXT,
	PRIMARY KEY (unit_id, date)
);
-- Measured records: subject, metric, day number (days since 1970-01-01).
CREATE TABLE metrics (
	id	INTEGER PRIMARY KEY,
	code	TEXT NOT NULL UNIQUE
);
CREATE TABLE records (
	subject_id INTEGER NOT NULL,
	metric_id INTEGER NOT NULL,
	day	INTEGER NOT NULL,
	value	REAL NOT NULL,
	PRIMARY KEY (subject_id, metric_id, day)
) WITHOUT ROWID;
CREATE TABLE indicators (
	year	INTEGER NOT NULL,
	unit_id	INTEGER NOT NULL REFERENCES units (id),
	indicator TEXT NOT NULL,
	value	REAL NOT NULL,
	PRIMARY KEY (year, unit_id, indicator)
);
CREATE TABLE tasks (
	id	INTEGER PRIMARY KEY,
	code	TEXT NOT NULL UNIQUE,
	name	TEXT NOT NULL,
	unit_id	INTEGER NOT NULL REFERENCES units (id),
	quantity REAL NOT NULL,
	start	TEXT NOT NULL,
	due	TEXT NOT NULL,
	product	TEXT,
	customer TEXT,
	hard	INTEGER NOT NULL DEFAULT 0 CHECK (hard IN (0, 1))
);
CREATE TABLE task_links (
	task_id	INTEGER NOT NULL REFERENCES tasks (id),
	depends_on INTEGER NOT NULL REFERENCES tasks (id),
	lag_days INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (task_id, depends_on)
);
CREATE TABLE progress (
	task_id	INTEGER NOT NULL REFERENCES tasks (id),
	day	INTEGER NOT NULL,
	quantity REAL NOT NULL,
	PRIMARY KEY (task_id, day)
) WITHOUT ROWID;
