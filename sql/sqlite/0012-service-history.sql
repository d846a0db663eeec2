-- 0012: the law in force on the day a dossier is decided (issue 19).
-- Service history: one row per period a person served, with the kind of
-- posting and the coefficient its months count with (hardship 2). People
-- without rows keep the old reading (from joined to left or the year's end).
CREATE TABLE service (
	person_id INTEGER NOT NULL REFERENCES people (id),
	from_date TEXT NOT NULL,
	to_date	TEXT,
	kind	TEXT NOT NULL,
	coefficient REAL NOT NULL DEFAULT 1 CHECK (coefficient >= 0),
	PRIMARY KEY (person_id, from_date)
);
-- A person's sex, where a text sets thresholds by it (optional).
ALTER TABLE people ADD COLUMN sex TEXT CHECK (sex IN ('male', 'female'));
-- The day the proposal's dossier was received: it decides the rule set.
ALTER TABLE proposals ADD COLUMN received TEXT;
UPDATE proposals SET received = substr(created_at, 1, 10) WHERE received IS NULL;
UPDATE generations SET n = random() WHERE name = 'elig';
