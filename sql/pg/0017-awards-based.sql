-- 0017: the awards that rest on innovations (based_on set), found by an
-- index of their own instead of a scan of every award: the innovation
-- register reads them at each report (src/store-innovation.c, Q_BASED),
-- a few among millions (7.3 million awards at a million people: 3.6 s a
-- report before, issue 22). Partial: only those rows are in it.
CREATE INDEX awards_based ON awards (year)
	WHERE based_on IS NOT NULL AND based_on <> '';
