-- 0016: how a write of units or people reaches the server's folded
-- search index (src/h-search.c) without throwing it away (issue 22).
-- Triggers append the id of every subject whose row in subjects, units,
-- people or person_units is written, in commit order, whoever writes
-- (the server, another thidua, the sqlite3 shell): an index made at seq
-- S is brought up to date by reading again the subjects of the rows
-- after S. A subject's first row (INSERT INTO subjects) is not logged:
-- it is in no index before its units or people row, which is. The store
-- cuts the log down to its last 4,096 rows at the commit of a
-- transaction that leaves more than 131,072 in it (store.c:
-- subject_log_trim; an index older than the rows kept is built again
-- whole); tag tells a row from one of another history (a restored
-- backup). Row 1 is a mark (subject 0), so that the log is never empty.
CREATE TABLE subject_log (
	seq	INTEGER PRIMARY KEY,
	tag	INTEGER NOT NULL DEFAULT (random()),
	subject_id INTEGER NOT NULL
);
INSERT INTO subject_log (seq, subject_id) VALUES (1, 0);
CREATE TRIGGER subject_log_subjects_upd AFTER UPDATE ON subjects BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.id);
	INSERT INTO subject_log (subject_id) SELECT NEW.id WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER subject_log_subjects_del AFTER DELETE ON subjects BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.id);
END;
CREATE TRIGGER subject_log_units_ins AFTER INSERT ON units BEGIN
	INSERT INTO subject_log (subject_id) VALUES (NEW.id);
END;
CREATE TRIGGER subject_log_units_upd AFTER UPDATE ON units BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.id);
	INSERT INTO subject_log (subject_id) SELECT NEW.id WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER subject_log_units_del AFTER DELETE ON units BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.id);
END;
CREATE TRIGGER subject_log_people_ins AFTER INSERT ON people BEGIN
	INSERT INTO subject_log (subject_id) VALUES (NEW.id);
END;
CREATE TRIGGER subject_log_people_upd AFTER UPDATE ON people BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.id);
	INSERT INTO subject_log (subject_id) SELECT NEW.id WHERE NEW.id <> OLD.id;
END;
CREATE TRIGGER subject_log_people_del AFTER DELETE ON people BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.id);
END;
CREATE TRIGGER subject_log_stays_ins AFTER INSERT ON person_units BEGIN
	INSERT INTO subject_log (subject_id) VALUES (NEW.person_id);
END;
CREATE TRIGGER subject_log_stays_upd AFTER UPDATE ON person_units BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.person_id);
	INSERT INTO subject_log (subject_id) SELECT NEW.person_id
	WHERE NEW.person_id <> OLD.person_id;
END;
CREATE TRIGGER subject_log_stays_del AFTER DELETE ON person_units BEGIN
	INSERT INTO subject_log (subject_id) VALUES (OLD.person_id);
END;
