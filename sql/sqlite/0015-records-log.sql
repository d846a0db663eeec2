-- 0015: how a write of records reaches the columnar copy of the table
-- without throwing it away (issue 22; docs/movements.md, "How a write
-- reaches the copies"). Triggers append the subject of every records row
-- written, by any writer (thidua, the sqlite3 shell, …), in commit order:
-- a copy made at seq S is brought up to date by reading again, from the
-- table, the rows of the subjects logged after S (snapcache-col.h). The
-- store empties the log (keeping one row, so that seq goes on growing) at
-- the commit of a transaction that wrote records and leaves more than
-- 1,048,576 rows in it (store.c: records_log_trim; a copy older than its
-- rows is made again whole). tag tells a row from one of another history
-- (a restored backup, a trimmed log).
CREATE TABLE records_log (
	seq	INTEGER PRIMARY KEY,
	tag	INTEGER NOT NULL DEFAULT (random()),
	subject_id INTEGER NOT NULL
);
INSERT INTO records_log (subject_id) VALUES (0);
CREATE TRIGGER records_log_ins AFTER INSERT ON records BEGIN
	INSERT INTO records_log (subject_id) VALUES (NEW.subject_id);
END;
CREATE TRIGGER records_log_upd AFTER UPDATE ON records BEGIN
	INSERT INTO records_log (subject_id) VALUES (OLD.subject_id);
	INSERT INTO records_log (subject_id) SELECT NEW.subject_id
	WHERE NEW.subject_id <> OLD.subject_id;
END;
CREATE TRIGGER records_log_del AFTER DELETE ON records BEGIN
	INSERT INTO records_log (subject_id) VALUES (OLD.subject_id);
END;
