-- 0014: how a write of ratings or awards reaches the eligibility
-- snapshot's copy without throwing it away (issue 22; docs/rules.md).
-- "elig-base": the stamp of every table the snapshot reads except ratings
-- and awards (the store replaces it with "elig" at each write of them).
INSERT INTO generations (name, n) VALUES ('elig-base', random());
-- The keys of the ratings and awards rows written, in commit order: a copy
-- made at seq S is brought up to date by reading again the subjects of
-- the rows after S. The store empties the log (keeping one row, so that
-- seq goes on growing) at the commit of a transaction that leaves more
-- than 131,072 rows in it (store.c: elig_log_trim; a copy older than its
-- rows is loaded again whole); tag tells a row from one of another
-- history (a restored backup). based: the row rests, or rested, on
-- innovations.
CREATE TABLE elig_log (
	seq	INTEGER PRIMARY KEY,
	tag	INTEGER NOT NULL DEFAULT (random()),
	tbl	TEXT NOT NULL CHECK (tbl IN ('r', 'a')),
	subject_id INTEGER NOT NULL,
	year	INTEGER NOT NULL,
	based	INTEGER NOT NULL DEFAULT 0
);
CREATE TRIGGER elig_log_ratings_ins AFTER INSERT ON ratings BEGIN
	INSERT INTO elig_log (tbl, subject_id, year)
	VALUES ('r', NEW.subject_id, NEW.year);
END;
CREATE TRIGGER elig_log_ratings_upd AFTER UPDATE ON ratings BEGIN
	INSERT INTO elig_log (tbl, subject_id, year)
	VALUES ('r', OLD.subject_id, OLD.year);
	INSERT INTO elig_log (tbl, subject_id, year)
	SELECT 'r', NEW.subject_id, NEW.year
	WHERE NEW.subject_id <> OLD.subject_id OR NEW.year <> OLD.year;
END;
CREATE TRIGGER elig_log_ratings_del AFTER DELETE ON ratings BEGIN
	INSERT INTO elig_log (tbl, subject_id, year)
	VALUES ('r', OLD.subject_id, OLD.year);
END;
CREATE TRIGGER elig_log_awards_ins AFTER INSERT ON awards BEGIN
	INSERT INTO elig_log (tbl, subject_id, year, based)
	VALUES ('a', NEW.subject_id, NEW.year, COALESCE(NEW.based_on, '') <> '');
END;
CREATE TRIGGER elig_log_awards_upd AFTER UPDATE ON awards BEGIN
	INSERT INTO elig_log (tbl, subject_id, year, based)
	VALUES ('a', OLD.subject_id, OLD.year, COALESCE(OLD.based_on, '') <> ''
	    OR COALESCE(NEW.based_on, '') <> '');
	INSERT INTO elig_log (tbl, subject_id, year, based)
	SELECT 'a', NEW.subject_id, NEW.year, 1
	WHERE NEW.subject_id <> OLD.subject_id OR NEW.year <> OLD.year;
END;
CREATE TRIGGER elig_log_awards_del AFTER DELETE ON awards BEGIN
	INSERT INTO elig_log (tbl, subject_id, year, based)
	VALUES ('a', OLD.subject_id, OLD.year, COALESCE(OLD.based_on, '') <> '');
END;
