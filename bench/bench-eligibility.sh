#!/bin/sh
# bench-eligibility.sh: the complete default rule set (every award, every
# subject, explanations included) for one year on a ministry-sized
# organisation, end to end from a SQLite file:
#   thidua eligibility --year Y --format json > /dev/null
# against the peer: one set-based SQL query in the sqlite3 shell that
# computes only the simplest rule (LĐTT: rating ≥ HTTNV, tenure ≥ 6
# months, no discipline) for the same year and prints a verdict per
# employee. RUNS (three) runs each, medians. ratio = peer / ours, so bigger is
# better for us. Wall time is printed, and CPU time (user + system, all
# threads) as the -cpu lines, since the machine is shared and its load
# inflates wall time. Also printed: the default table output, the
# snapshot load and the in-memory engine (wall, from --timing) against
# the same peer, clause evaluations per second, peak memory (max RSS).
# Ours is measured RUNS (three) times cold (the snapshot's copy beside the
# database deleted before each: loaded from SQLite and the copy written)
# and RUNS times warm (read from the copy);
# and, for comparison on the peer's own ground, with --award LDTT (the
# same single rule, still with every explanation).
#   BENCH_PEOPLE (default 1000000), BENCH_UNITS (default 50000),
#   BENCH_DIR (default /tmp/bench-eligibility), BENCH_RUNS (runs of each,
#   default 3); bench-sizes.sh runs it at 10k, 100k and 1M people with a
#   unit per 30 people (and more runs of the smaller: a run of 10k people
#   takes 12 ms, and the median of three moved by a fifth between two
#   make bench).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${THIDUA_BIN:-$ROOT/build/thidua}
PEOPLE=${BENCH_PEOPLE:-1000000}
UNITS=${BENCH_UNITS:-50000}
DIR=${BENCH_DIR:-/tmp/bench-eligibility}
YEAR=2025
RUNS=${BENCH_RUNS:-3}
# (-i: innovations in proportion to people, 0.3 each; files made before
# that held 300,000 whatever the people)
if [ "$UNITS" = 50000 ]; then DB=$DIR/org-$PEOPLE.db; else DB=$DIR/org-$PEOPLE-u$UNITS-i.db; fi
mkdir -p "$DIR"
. "$ROOT/bench/common.sh"
org_db "$DB" "$PEOPLE" "$UNITS"
peer_query > "$DIR/peer.sql"
# The schema up to date (migration 0010 gives the snapshot's copy its stamp).
"$BIN" --db "$DB" init > /dev/null
for m in ours table peer cold ldtt; do : > "$DIR/$m.wall"; : > "$DIR/$m.cpu"; : > "$DIR/$m.rss"; done
: > "$DIR/load" ; : > "$DIR/eval"
# Cold: no copy of the snapshot beside the database (a first run, or one
# after a write the copy cannot be brought up to date from): loaded from
# SQLite, copy written. RUNS times (the copy deleted before each), median.
# The database in the page cache first, as a write just before leaves it
# (the peer runs after these, on pages they read in).
cat "$DB" > /dev/null
for i in $(seq 1 "$RUNS"); do
	rm -f "$DB-elig-$YEAR"
	sync	# (a quiet disk: the copy the run before wrote, out now)
	measure cold "$BIN" --db "$DB" eligibility --year $YEAR --format json \
	    --timing > /dev/null 2> "$DIR/timing-cold.out"
	cat "$DIR/timing-cold.out" >&2
done
for i in $(seq 1 "$RUNS"); do
	measure ours "$BIN" --db "$DB" eligibility --year $YEAR --format json \
	    --timing > /dev/null 2> "$DIR/timing.out"
	sed -n 's/.*load=\([0-9.]*\)s.*/\1/p' "$DIR/timing.out" >> "$DIR/load"
	sed -n 's/.*eval=\([0-9.]*\)s.*/\1/p' "$DIR/timing.out" >> "$DIR/eval"
	cat "$DIR/timing.out" >&2
	measure table "$BIN" --db "$DB" eligibility --year $YEAR > /dev/null
	measure peer sqlite3 "$DB" < "$DIR/peer.sql" > /dev/null
	measure ldtt "$BIN" --db "$DB" eligibility --year $YEAR --format json \
	    --award LDTT > /dev/null
done
for m in ours table peer cold ldtt; do
	eval "${m}_wall=\$(median < \"\$DIR/\$m.wall\")"
	eval "${m}_cpu=\$(median < \"\$DIR/\$m.cpu\")"
	eval "${m}_rss=\$(sort -g \"\$DIR/\$m.rss\" | tail -n 1)"
done
load=$(median < "$DIR/load"); evl=$(median < "$DIR/eval")
echo "bench eligibility: ours=${ours_wall}s peer=${peer_wall}s ratio=$(ratio "$peer_wall" "$ours_wall")"
echo "bench eligibility-cpu: ours=${ours_cpu}s peer=${peer_cpu}s ratio=$(ratio "$peer_cpu" "$ours_cpu")"
echo "bench eligibility-cold (no snapshot copy: loaded from SQLite, copy written): ours=${cold_wall}s peer=${peer_wall}s ratio=$(ratio "$peer_wall" "$cold_wall")"
echo "bench eligibility-ldtt-only (--award LDTT: the peer's one rule, with explanations): ours=${ldtt_wall}s peer=${peer_wall}s ratio=$(ratio "$peer_wall" "$ldtt_wall")"
echo "bench eligibility-table: ours=${table_wall}s peer=${peer_wall}s ratio=$(ratio "$peer_wall" "$table_wall")"
echo "bench eligibility-table-cpu: ours=${table_cpu}s peer=${peer_cpu}s ratio=$(ratio "$peer_cpu" "$table_cpu")"
echo "bench eligibility-snapshot-load: ours=${load}s peer=${peer_wall}s ratio=$(ratio "$peer_wall" "$load")"
echo "bench eligibility-engine: ours=${evl}s peer=${peer_wall}s ratio=$(ratio "$peer_wall" "$evl")"
echo "info eligibility: cold $(tail -n 1 "$DIR/timing-cold.out")"
echo "info eligibility: peak RSS json $((ours_rss / 1024)) MiB, cold $((cold_rss / 1024)) MiB, table $((table_rss / 1024)) MiB, peer $((peer_rss / 1024)) MiB; $(tail -n 1 "$DIR/timing.out")"
# The document's size and hash: a refactoring must leave it byte-identical.
"$BIN" --db "$DB" eligibility --year $YEAR --format json > "$DIR/doc.json"
echo "info eligibility: JSON document $(wc -c < "$DIR/doc.json" | awk '{ printf "%.0f", $1 / 1048576 }') MiB, sha256 $(sha256sum < "$DIR/doc.json" | cut -c1-64)"
rm -f "$DIR/doc.json"
