-- 0023: PostgreSQL's log of ratings and awards rows written, as SQLite's
-- (sql/sqlite/0014-elig-log.sql), so that a server on PostgreSQL brings
-- the eligibility snapshot it keeps up to date by reading again only the
-- subjects written since (src/snapcache-elig.c) instead of loading it
-- whole after each write (issue 22).
--
-- A reader takes the log's last seq as part of its stamp and later reads
-- the rows after it, so seq must grow in commit order, which a sequence
-- alone does not give (a transaction may take 10, another 11 and commit
-- first: a reader then sees 11 and never 10). Each writing statement
-- therefore takes a transaction-scoped advisory lock before it takes its
-- numbers: a second writer of ratings or awards waits until the first has
-- committed (its rows then visible) before numbering its own. The lock is
-- released after the commit is visible (PostgreSQL ends the transaction
-- in the process array before it releases locks).
--
-- Rows are written by statement-level triggers with transition tables:
-- one INSERT … SELECT a statement, whatever its rows (a COPY of a million
-- ratings: one). An UPDATE logs the old keys and the new ones (a superset
-- of SQLite's triggers: a key written twice is read again once). TRUNCATE
-- cannot be logged row by row: it empties the log and leaves a mark of a
-- new tag, so that no copy made before is brought up to date from it.
-- The log is cut to its last 131,072 rows when it holds twice that (a
-- copy older than its first row is loaded whole).
CREATE TABLE elig_log (
	seq	bigint PRIMARY KEY,
	tag	bigint NOT NULL DEFAULT (random() * 9.0e18)::bigint,
	tbl	text NOT NULL CHECK (tbl IN ('r', 'a')),
	subject_id bigint NOT NULL,
	year	integer NOT NULL,
	based	integer NOT NULL DEFAULT 0
);
CREATE SEQUENCE elig_log_seq;

-- The lock every writer of the log takes first (its key: "elig_log").
CREATE FUNCTION elig_log_lock() RETURNS void LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock(x'656c69675f6c6f67'::bigint);
$$;

CREATE FUNCTION elig_log_cut() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	lo bigint;
	hi bigint;
BEGIN
	SELECT min(seq) INTO lo FROM elig_log;
	SELECT max(seq) INTO hi FROM elig_log;
	IF hi - lo > 262144 THEN
		DELETE FROM elig_log WHERE seq <= hi - 131072;
	END IF;
END
$$;

-- The keys of old_rows and new_rows logged as TG_ARGV[0] ('r' or 'a'),
-- each with whether it rests on innovations (TG_ARGV[1]: an expression of
-- the row, '0' for ratings), after the lock; then the cut.
CREATE FUNCTION elig_log_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	keys text := format('SELECT subject_id, year, %s AS based FROM ',
	    TG_ARGV[1]);
BEGIN
	PERFORM elig_log_lock();
	EXECUTE format('INSERT INTO elig_log (seq, tbl, subject_id, year, '
	    'based) SELECT nextval(''elig_log_seq''), %L, subject_id, year, '
	    'based FROM (%s) AS k', TG_ARGV[0],
	    CASE TG_OP WHEN 'INSERT' THEN keys || 'new_rows'
	    WHEN 'DELETE' THEN keys || 'old_rows'
	    ELSE keys || 'old_rows UNION ' || keys || 'new_rows' END);
	PERFORM elig_log_cut();
	RETURN NULL;
END
$$;

CREATE FUNCTION elig_log_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM elig_log_lock();
	DELETE FROM elig_log;
	INSERT INTO elig_log (seq, tbl, subject_id, year)
	VALUES (nextval('elig_log_seq'), 'r', 0, 0);
	RETURN NULL;
END
$$;

-- four triggers a table: elig_log_ratings_ins, _upd, _del, _trunc …
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES ('ratings', 'r', '0'), ('awards', 'a',
	    '(COALESCE(based_on, '''') <> '''')::integer'))
	    AS v (tbl, tag, based)
	LOOP
		EXECUTE format('CREATE TRIGGER elig_log_%1$s_ins AFTER INSERT '
		    'ON %1$I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT '
		    'EXECUTE FUNCTION elig_log_rows(%2$L, %3$L)', t.tbl, t.tag,
		    t.based);
		EXECUTE format('CREATE TRIGGER elig_log_%1$s_upd AFTER UPDATE '
		    'ON %1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS '
		    'new_rows FOR EACH STATEMENT EXECUTE FUNCTION '
		    'elig_log_rows(%2$L, %3$L)', t.tbl, t.tag, t.based);
		EXECUTE format('CREATE TRIGGER elig_log_%1$s_del AFTER DELETE '
		    'ON %1$I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT '
		    'EXECUTE FUNCTION elig_log_rows(%2$L, %3$L)', t.tbl, t.tag,
		    t.based);
		EXECUTE format('CREATE TRIGGER elig_log_%1$s_trunc AFTER TRUNCATE '
		    'ON %1$I FOR EACH STATEMENT EXECUTE FUNCTION '
		    'elig_log_truncated()', t.tbl);
	END LOOP;
END
$$;
