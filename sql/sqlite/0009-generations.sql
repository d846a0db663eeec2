-- 0009: generations, a stamp per table that derived copies depend on.
-- Every write of the table through the store replaces its stamp with a
-- fresh random number in the same transaction (store_generation_bump), so
-- a copy made at one stamp (the columnar copies beside a SQLite
-- database, colfile.h) is known to be current exactly while the stamp is
-- unchanged; a re-created or restored database has other stamps.
CREATE TABLE generations (
	name	TEXT PRIMARY KEY,
	n	INTEGER NOT NULL
);
INSERT INTO generations (name, n) VALUES ('records', random()),
    ('targets', random());
