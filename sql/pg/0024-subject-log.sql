-- 0024: PostgreSQL's log of the subjects whose subjects, units, people or
-- person_units rows are written, as SQLite's (sql/sqlite/0016-subject-log.sql),
-- whoever writes (a server, another thidua, psql): the server's search
-- index (src/h-search.c) and scoped subtrees (src/h-scope.c) follow it
-- instead of being built again after each write, and the eligibility
-- snapshot's copy in memory is rebased on it after a write of people (the
-- people read again by id, store-elig.c: people_ok).
--
-- Numbered in commit order as elig_log (0023) is, under the same lock
-- (elig_log_lock: one lock for both logs, so a transaction writing both
-- takes it once), by statement-level triggers with transition tables.
-- Every writer takes that lock before the generations' rows: thidua's
-- sessions replace the generations at their commit, after any statement
-- that took it; another program's statements replace them in 0022's
-- trigger, which now takes the lock first (below). In one order for all,
-- two writers cannot each hold what the other waits for. A subject's first row (INSERT INTO
-- subjects) is not logged: it is in no index before its units or people
-- row, which is. TRUNCATE empties the log but for a mark of a new tag
-- (an index older than it is built again whole). Cut to its last 4,096
-- rows when it holds more than 131,072, as SQLite's is at a commit. Row 1
-- is a mark (subject 0), so that the log is never empty.
CREATE TABLE subject_log (
	seq	bigint PRIMARY KEY,
	tag	bigint NOT NULL DEFAULT (random() * 9.0e18)::bigint,
	subject_id bigint NOT NULL
);
CREATE SEQUENCE subject_log_seq;
INSERT INTO subject_log (seq, subject_id) VALUES (nextval('subject_log_seq'), 0);

-- The ids of old_rows and new_rows (by TG_ARGV[0], the column: id or
-- person_id), logged after the lock; then the cut.
CREATE FUNCTION subject_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	lo bigint;
	hi bigint;
BEGIN
	PERFORM elig_log_lock();
	IF TG_OP = 'INSERT' THEN
		EXECUTE format('INSERT INTO subject_log (seq, subject_id) '
		    'SELECT nextval(''subject_log_seq''), %I FROM new_rows',
		    TG_ARGV[0]);
	ELSIF TG_OP = 'DELETE' THEN
		EXECUTE format('INSERT INTO subject_log (seq, subject_id) '
		    'SELECT nextval(''subject_log_seq''), %I FROM old_rows',
		    TG_ARGV[0]);
	ELSE
		EXECUTE format('INSERT INTO subject_log (seq, subject_id) '
		    'SELECT nextval(''subject_log_seq''), k FROM (SELECT %1$I '
		    'AS k FROM old_rows UNION SELECT %1$I FROM new_rows) AS u',
		    TG_ARGV[0]);
	END IF;
	SELECT min(seq) INTO lo FROM subject_log;
	SELECT max(seq) INTO hi FROM subject_log;
	IF hi - lo > 131072 THEN
		DELETE FROM subject_log WHERE seq <= hi - 4096;
	END IF;
	RETURN NULL;
END
$$;

CREATE FUNCTION subject_log_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM elig_log_lock();
	DELETE FROM subject_log;
	INSERT INTO subject_log (seq, subject_id)
	VALUES (nextval('subject_log_seq'), 0);
	RETURN NULL;
END
$$;

-- subject_log_TABLE_ins, _upd, _del, _trunc (subjects: no _ins)
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('subjects', 'id'), ('units', 'id'),
	    ('people', 'id'), ('person_units', 'person_id')) AS v (tbl, col)
	LOOP
		IF t.tbl <> 'subjects' THEN
			EXECUTE format('CREATE TRIGGER subject_log_%1$s_ins AFTER '
			    'INSERT ON %1$I REFERENCING NEW TABLE AS new_rows FOR '
			    'EACH STATEMENT EXECUTE FUNCTION subject_log_rows(%2$L)',
			    t.tbl, t.col);
		END IF;
		EXECUTE format('CREATE TRIGGER subject_log_%1$s_upd AFTER UPDATE '
		    'ON %1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS '
		    'new_rows FOR EACH STATEMENT EXECUTE FUNCTION '
		    'subject_log_rows(%2$L)', t.tbl, t.col);
		EXECUTE format('CREATE TRIGGER subject_log_%1$s_del AFTER DELETE '
		    'ON %1$I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
		    'EXECUTE FUNCTION subject_log_rows(%2$L)', t.tbl, t.col);
		EXECUTE format('CREATE TRIGGER subject_log_%1$s_trunc AFTER '
		    'TRUNCATE ON %1$I FOR EACH STATEMENT EXECUTE FUNCTION '
		    'subject_log_truncated()', t.tbl);
	END LOOP;
END
$$;

-- 0022's trigger for another program's writes: the log's lock first (see
-- above), then the generations.
CREATE OR REPLACE FUNCTION thidua_raw_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF COALESCE(current_setting('thidua.writer', true), '') = 'on' THEN
		RETURN NULL;
	END IF;
	PERFORM elig_log_lock();
	UPDATE generations SET n = (random() * 9.0e18)::bigint
	WHERE name = ANY (TG_ARGV);
	RETURN NULL;
END
$$;
