-- 0010: the "elig" generation (see sql/sqlite/0010-elig-generation.sql).
INSERT INTO generations (name, n) VALUES ('elig', (random() * 9.0e18)::bigint);
