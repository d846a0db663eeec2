-- 0020: the revoked awards, few, in an index of their own (partial), so
-- that a year's awards (of one award) are counted from the primary key
-- alone, less these: the count of an award list's pages (GET /awards?
-- year=&award=) looked up every row for its `revoked` flag, 0.33 s for a
-- year's 562,000 CSTT at a million people; 0.08 s this way
-- (src/store-import.c, store_page_year; issue 22).
CREATE INDEX awards_revoked ON awards (year, award) WHERE revoked <> 0;
