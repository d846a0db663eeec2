-- 0012: service history, people's sex, a proposal's date of receipt (see
-- sql/sqlite/0012-service-history.sql).
CREATE TABLE service (
	person_id BIGINT NOT NULL REFERENCES people (id),
	from_date TEXT NOT NULL,
	to_date	TEXT,
	kind	TEXT NOT NULL,
	coefficient DOUBLE PRECISION NOT NULL DEFAULT 1 CHECK (coefficient >= 0),
	PRIMARY KEY (person_id, from_date)
);
ALTER TABLE people ADD COLUMN sex TEXT CHECK (sex IN ('male', 'female'));
ALTER TABLE proposals ADD COLUMN received TEXT;
UPDATE proposals SET received = substr(created_at, 1, 10) WHERE received IS NULL;
UPDATE generations SET n = (random() * 9.0e18)::bigint WHERE name = 'elig';
