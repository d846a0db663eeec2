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
-- one trigger a table, named by the generations it replaces
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN SELECT * FROM (VALUES
	    ('ratings', 'elig'), ('awards', 'elig'),
	    ('subjects', 'elig, elig-base'), ('units', 'elig, elig-base'),
	    ('people', 'elig, elig-base'), ('person_units', 'elig, elig-base'),
	    ('innovations', 'elig, elig-base'),
	    ('innovation_authors', 'elig, elig-base'),
	    ('discipline', 'elig, elig-base'), ('incidents', 'elig, elig-base'),
	    ('service', 'elig, elig-base'),
	    ('records', 'records'), ('targets', 'targets'),
	    ('movements', 'movement-defs'), ('movement_versions', 'movement-defs'),
	    ('movement_criteria', 'movement-defs'), ('pledges', 'movement-defs'),
	    ('metrics', 'movement-defs')) AS v (tbl, gens)
	LOOP
		EXECUTE format('CREATE TRIGGER raw_write AFTER INSERT OR UPDATE '
		    'OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE '
		    'FUNCTION thidua_raw_write(%s)', t.tbl,
		    (SELECT string_agg(quote_literal(g), ', ')
		     FROM unnest(string_to_array(t.gens, ', ')) AS g));
	END LOOP;
END
$$;
