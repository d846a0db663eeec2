-- 0022: a write by another program than thidua (psql, a script) of a
-- table that a generation stands for replaces that generation, as
-- thidua's own writes do (src/store.c, gen_tables): what a server keeps
-- between requests (src/elig-svc.c, src/snapcache-kept.h: evaluations,
-- exemplar candidates, movement scores ...) is then never older than the
-- data on PostgreSQL either. thidua's sessions set thidua.writer
-- (src/store-pg.c) and replace the generations themselves at the commit,
-- in name order, so that two servers' batches never deadlock on their
-- rows; a statement-level trigger costs another program's statement one
-- UPDATE, whatever the rows it wrote.
CREATE FUNCTION thidua_raw_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF COALESCE(current_setting('thidua.writer', true), '') = 'on' THEN
		RETURN NULL;
	END IF;
	UPDATE generations SET n = (random() * 9.0e18)::bigint
	WHERE name = ANY (TG_ARGV);
	RETURN NULL;
END
$$;
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON ratings FOR EACH STATEMENT EXECUTE FUNCTION thidua_raw_write('elig');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON awards FOR EACH STATEMENT EXECUTE FUNCTION thidua_raw_write('elig');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON subjects FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON units FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON people FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON person_units FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON innovations FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON innovation_authors FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON discipline FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON incidents FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON service FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('elig', 'elig-base');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON records FOR EACH STATEMENT EXECUTE FUNCTION thidua_raw_write('records');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON targets FOR EACH STATEMENT EXECUTE FUNCTION thidua_raw_write('targets');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON movements FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('movement-defs');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON movement_versions FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('movement-defs');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON movement_criteria FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('movement-defs');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON pledges FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('movement-defs');
CREATE TRIGGER raw_write AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE
    ON metrics FOR EACH STATEMENT
    EXECUTE FUNCTION thidua_raw_write('movement-defs');
