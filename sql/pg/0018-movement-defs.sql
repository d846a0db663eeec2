-- 0018: a generation for what a movement's scores rest on besides its
-- records and targets (see sql/sqlite/0018-movement-defs.sql).
INSERT INTO generations (name, n)
VALUES ('movement-defs', (random() * 9.0e18)::bigint);
