-- 0025: how a write of targets reaches a movement's columnar targets copy
-- without throwing it away (issue 22; docs/movements.md, "How a write
-- reaches the copies"). Triggers append the movement and subject of every
-- targets row written, by any writer (thidua, the sqlite3 shell, …), in
-- commit order: a copy of movement M's targets made at seq S is brought up
-- to date by reading again, from the table, M's targets of the subjects
-- logged for M after S (movement-eval.c). The store empties the log
-- (keeping one row, so that seq goes on growing) at the commit of a
-- transaction that wrote targets and leaves more than 1,048,576 rows in
-- it (store.c: targets_log_trim; a copy older than its rows is made again
-- whole). tag tells a row from one of another history (a restored
-- backup, a trimmed log).
CREATE TABLE targets_log (
	seq	INTEGER PRIMARY KEY,
	tag	INTEGER NOT NULL DEFAULT (random()),
	movement_id INTEGER NOT NULL,
	subject_id INTEGER NOT NULL
);
INSERT INTO targets_log (movement_id, subject_id) VALUES (0, 0);
CREATE TRIGGER targets_log_ins AFTER INSERT ON targets BEGIN
	INSERT INTO targets_log (movement_id, subject_id)
	VALUES (NEW.movement_id, NEW.subject_id);
END;
CREATE TRIGGER targets_log_upd AFTER UPDATE ON targets BEGIN
	INSERT INTO targets_log (movement_id, subject_id)
	VALUES (OLD.movement_id, OLD.subject_id);
	INSERT INTO targets_log (movement_id, subject_id)
	SELECT NEW.movement_id, NEW.subject_id
	WHERE NEW.movement_id <> OLD.movement_id
	   OR NEW.subject_id <> OLD.subject_id;
END;
CREATE TRIGGER targets_log_del AFTER DELETE ON targets BEGIN
	INSERT INTO targets_log (movement_id, subject_id)
	VALUES (OLD.movement_id, OLD.subject_id);
END;
