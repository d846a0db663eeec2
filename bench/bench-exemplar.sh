#!/bin/sh
# bench-exemplar.sh: exemplar discovery, end to end from a SQLite file,
# on bench-eligibility.sh's ministry-sized database (made by
# bench/gen-org.c if missing):
#   thidua exemplar discover --year Y --format json > /dev/null
# against the peer: one SQL query in the sqlite3 shell that finds the
# same candidates by the ratings rule (docs/exemplars.md: HTXSNV in at
# least two of the window's three years and at least HTTNV in each, an
# innovation authored in the window, or recorded with the unit, no
# discipline overlapping it, no serious incident in the unit's subtree)
# and prints their codes. The database has no movement, so ours decides by
# ratings too; the two lists of codes must be the same (checked: a
# difference stops the benchmark). Three runs each, interleaved, medians;
# ratio = peer / ours, bigger is better for us. Also printed: the yearly
# check of 20 registered exemplars (info: no peer does the same).
#   BENCH_PEOPLE (default 1000000), BENCH_DIR (default /tmp/bench-eligibility)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${THIDUA_BIN:-$ROOT/build/thidua}
PEOPLE=${BENCH_PEOPLE:-1000000}
DIR=${BENCH_DIR:-/tmp/bench-eligibility}
YEAR=2025
Y0=$((YEAR - 2))
DB=$DIR/org-$PEOPLE.db
mkdir -p "$DIR"
. "$ROOT/bench/common.sh"
org_db "$DB" "$PEOPLE"
cat > "$DIR/ex-peer.sql" <<SQL
WITH RECURSIVE bad(id) AS (
  SELECT unit_id FROM incidents WHERE severity = 'serious'
    AND date BETWEEN '$Y0-01-01' AND '$YEAR-12-31'
  UNION SELECT u.parent_id FROM bad JOIN units u ON u.id = bad.id
    WHERE u.parent_id IS NOT NULL),
inn(id) AS (
  SELECT a.person_id FROM innovations i
    JOIN innovation_authors a ON a.innovation_id = i.id
    WHERE i.year BETWEEN $Y0 AND $YEAR
  UNION SELECT unit_id FROM innovations
    WHERE unit_id IS NOT NULL AND year BETWEEN $Y0 AND $YEAR),
rt(id) AS (
  SELECT subject_id FROM ratings WHERE year BETWEEN $Y0 AND $YEAR
    GROUP BY subject_id
    HAVING SUM(rating = 'HTXSNV') >= 2
       AND SUM(rating IN ('HTXSNV', 'HTTNV')) = 3)
SELECT s.code FROM inn JOIN rt ON rt.id = inn.id
  JOIN subjects s ON s.id = inn.id
  LEFT JOIN people p ON p.id = inn.id
WHERE COALESCE(p.unit_id, s.id) NOT IN bad
  AND NOT EXISTS (SELECT 1 FROM discipline d WHERE d.subject_id = inn.id
    AND d.from_date <= '$YEAR-12-31'
    AND COALESCE(d.to_date, '9999-12-31') >= '$Y0-01-01')
ORDER BY s.code;
SQL
# The same candidates (the sanity check), which also warms the page cache.
"$BIN" --db "$DB" exemplar discover --year $YEAR --format json |
    /usr/bin/python3 -c 'import json, sys
for c in json.load(sys.stdin)["candidates"]: print(c["subject"])' > "$DIR/ex-ours.codes"
sqlite3 "$DB" < "$DIR/ex-peer.sql" > "$DIR/ex-peer.codes"
if ! cmp -s "$DIR/ex-ours.codes" "$DIR/ex-peer.codes"; then
	echo "bench-exemplar: ours and the peer's candidates differ:" >&2
	diff "$DIR/ex-ours.codes" "$DIR/ex-peer.codes" | head >&2
	exit 1
fi
for m in ours peer check; do
	: > "$DIR/ex-$m.wall"; : > "$DIR/ex-$m.cpu"; : > "$DIR/ex-$m.rss"
done
for i in 1 2 3; do
	measure ex-ours "$BIN" --db "$DB" exemplar discover --year $YEAR \
	    --format json > /dev/null
	measure ex-peer sqlite3 "$DB" < "$DIR/ex-peer.sql" > /dev/null
done
# The check: 20 exemplars registered on a copy (the generated file stays
# as generated), their statuses for the year.
cp "$DB" "$DIR/ex.db"
rm -f "$DIR/ex.db-wal" "$DIR/ex.db-shm"
head -n 20 "$DIR/ex-ours.codes" | while read -r c; do
	"$BIN" --db "$DIR/ex.db" exemplar add "$c" --field "Sáng kiến" \
	    --reason "bench" --since $Y0 --award LDTT > /dev/null
done
for i in 1 2 3; do
	measure ex-check "$BIN" --db "$DIR/ex.db" exemplar check --year $YEAR \
	    --format json > /dev/null 2>&1
done
rm -f "$DIR/ex.db" "$DIR/ex.db-wal" "$DIR/ex.db-shm"
OURS=$(median < "$DIR/ex-ours.wall")
PEER=$(median < "$DIR/ex-peer.wall")
CHECK=$(median < "$DIR/ex-check.wall")
echo "bench exemplar-discover: ours=${OURS}s peer=${PEER}s ratio=$(ratio "$PEER" "$OURS") ($(wc -l < "$DIR/ex-ours.codes") candidates of $PEOPLE people, the same as the peer's; peak RSS ours $(( $(sort -g "$DIR/ex-ours.rss" | tail -n 1) / 1024 )) MiB, peer $(( $(sort -g "$DIR/ex-peer.rss" | tail -n 1) / 1024 )) MiB)"
echo "info exemplar-check: 20 registered exemplars, their statuses for $YEAR: ${CHECK}s (peak RSS $(( $(sort -g "$DIR/ex-check.rss" | tail -n 1) / 1024 )) MiB)"
