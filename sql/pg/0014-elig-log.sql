-- 0014: the "elig-base" generation (see sql/sqlite/0014-elig-log.sql).
-- The log of ratings and awards rows is SQLite's alone: the snapshot's
-- copy exists only beside a SQLite file.
INSERT INTO generations (name, n) VALUES ('elig-base', (random() * 9.0e18)::bigint);
