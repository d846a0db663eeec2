# bench/common.sh: what the benchmark scripts share (sourced, not run:
# bench/run.sh runs bench/bench-*.sh). Each sets ROOT, BIN, DIR and YEAR
# first.

# The median of the numbers on stdin (the middle one; of an even count,
# the upper middle).
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# peer / ours to two decimals (0 when ours is 0): bigger is better for us.
ratio() { awk -v p="$1" -v o="$2" 'BEGIN { printf "%.2f", (o > 0 ? p / o : 0) }'; }

# org_db DB PEOPLE [UNITS]: bench/gen-org.c's organisation at DB (UNITS
# units, default 50,000), made once (DB.done says how), then migrated to
# this binary's schema.
org_db() {
	_db=$1 _people=$2 _units=${3:-}
	cc -O2 -o "$DIR/gen-org" "$ROOT/bench/gen-org.c" -lsqlite3
	if [ ! -s "$_db.done" ]; then
		rm -f "$_db" "$_db-wal" "$_db-shm"
		"$BIN" --db "$_db" init 2>/dev/null
		_start=$(date +%s)
		"$DIR/gen-org" "$_db" $YEAR "$_people" $_units
		echo "generated $_people people, ${_units:-50000} units in $(( $(date +%s) - _start ))s: $(du -h "$_db" | cut -f1)" > "$_db.done"
	fi
	cat "$_db.done"
	"$BIN" --db "$_db" init > /dev/null
}

# measure NAME CMD [ARG...]: one measured run of CMD: wall seconds to
# $DIR/NAME.wall, CPU seconds (user + system, every thread) to NAME.cpu,
# peak RSS (KiB) to NAME.rss; in milliseconds (bench/measure.py:
# /usr/bin/time's hundredths made the 10,000-people ratios 0.50 or 1.00
# by rounding).
measure() {
	_name=$1
	shift
	/usr/bin/python3 "$ROOT/bench/measure.py" "$DIR/$_name.out" "$@"
	read -r _secs _usr _sys _rss < "$DIR/$_name.out"
	awk -v w="$_secs" 'BEGIN { printf "%.3f\n", w }' >> "$DIR/$_name.wall"
	awk -v u="$_usr" -v s="$_sys" 'BEGIN { printf "%.3f\n", u + s }' >> "$DIR/$_name.cpu"
	echo "$_rss" >> "$DIR/$_name.rss"
}

# peer_query: the peers' one set-based query for $YEAR (bench-eligibility.sh,
# bench-after-write.sh, bench-pg-after-write.sh): only the simplest rule
# (LĐTT: rating >= HTTNV, tenure >= 6 months, no discipline), a verdict per
# employee; the same SQL on SQLite and PostgreSQL.
peer_query() {
	cat <<SQL
SELECT s.code,
       CASE WHEN r.rating IN ('HTXSNV', 'HTTNV')
             AND p.joined <= '$YEAR-07-01'
             AND NOT EXISTS (SELECT 1 FROM discipline d
                             WHERE d.subject_id = p.id AND d.form <> 'pending'
                               AND d.from_date <= '$YEAR-12-31'
                               AND (d.to_date IS NULL OR d.to_date >= '$YEAR-01-01'))
            THEN 'eligible' ELSE 'ineligible' END
FROM people p
JOIN subjects s ON s.id = p.id
LEFT JOIN ratings r ON r.subject_id = p.id AND r.year = $YEAR
WHERE p.category = 'employee' AND p.joined <= '$YEAR-12-31'
  AND (p.left_on IS NULL OR p.left_on >= '$YEAR-01-01');
SQL
}
