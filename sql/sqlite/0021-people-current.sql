-- 0021: the people still serving (left_on empty), by unit, in an index of
-- their own (partial): a unit's summary counts its subtree's by looking
-- up each unit here, where it read every person's row for left_on (0.29
-- s of a commander's dashboard after a write at a million people, 0.03 s
-- this way; src/store-unit.c, SQL_COUNTS; issue 22).
CREATE INDEX people_unit_current ON people (unit_id) WHERE left_on IS NULL;
