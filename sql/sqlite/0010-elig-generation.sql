-- 0010: the "elig" generation: one stamp for every table the eligibility
-- snapshot reads (subjects, units, people, person_units, ratings, awards,
-- innovations, innovation_authors, discipline, incidents). Every store
-- write of those tables replaces it, so the snapshot's copy beside the
-- database (elig-cache.h) is current exactly while it is unchanged.
INSERT INTO generations (name, n) VALUES ('elig', random());
