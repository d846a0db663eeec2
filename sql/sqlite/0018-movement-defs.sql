-- 0018: a generation for what a movement's scores rest on besides its
-- records and targets: the movements, their versions and criteria, the
-- pledges and the metrics. Every write of those tables through the store
-- replaces it (src/store.c, gen_tables), so that a server's kept
-- eligibility evaluation (src/elig-svc.c) knows its movement scores are
-- current by stamps instead of evaluating every movement again at each
-- request (1.2 s a request for a regular movement of 110,000 people, at
-- a million people; issue 22).
INSERT INTO generations (name, n) VALUES ('movement-defs', random());
