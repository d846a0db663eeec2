-- 0002: rule sets (SQLite). One row per version: the YAML as loaded.
CREATE TABLE rule_sets (
	code	TEXT NOT NULL,
	effective TEXT NOT NULL,
	source	TEXT NOT NULL,
	loaded_at TEXT NOT NULL,
	PRIMARY KEY (code, effective)
);
