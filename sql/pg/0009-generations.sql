-- 0009: generations, a stamp per table that derived copies depend on
-- (see sql/sqlite/0009-generations.sql).
CREATE TABLE generations (
	name	TEXT PRIMARY KEY,
	n	BIGINT NOT NULL
);
INSERT INTO generations (name, n)
VALUES ('records', (random() * 9.0e18)::bigint),
    ('targets', (random() * 9.0e18)::bigint);
