#!/bin/sh
# bench-sizes.sh: the eligibility and evaluate benchmarks at 10,000,
# 100,000 and 1,000,000 people, with a unit per 30 people (a general
# department's proportion; the ministry-sized defaults keep 50,000 units
# whatever the people). Issue 22, point 6: fixed costs that vanish at a
# million must not dominate at ten thousand. Each line of the two scripts
# is printed with the size in its name, e.g. "bench eligibility@100k: …".
#   BENCH_SIZES (default "10000 100000 1000000"), BENCH_DIR (default
#   /tmp/bench-sizes), BENCH_PER (records per person and criterion for
#   evaluate, default 5). Runs of each measurement: 11 at 10k people or
#   fewer, 5 to 100k, else 3 (a 10k run takes 10-20 ms: the median of three
#   such moved a ratio by a fifth between two make bench).
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIZES=${BENCH_SIZES:-10000 100000 1000000}
DIR=${BENCH_DIR:-/tmp/bench-sizes}
mkdir -p "$DIR"
label() { awk -v n="$1" 'BEGIN { if (n % 1000000 == 0) printf "%dM", n / 1000000; else if (n % 1000 == 0) printf "%dk", n / 1000; else printf "%d", n }'; }
for p in $SIZES; do
	u=$((p / 30))
	[ "$u" -ge 5 ] || u=5
	l=$(label "$p")
	runs=3
	[ "$p" -gt 100000 ] || runs=5
	[ "$p" -gt 10000 ] || runs=11
	echo "== $p people, $u units"
	BENCH_PEOPLE=$p BENCH_UNITS=$u BENCH_DIR=$DIR BENCH_RUNS=$runs sh "$ROOT/bench/bench-eligibility.sh" 2>/dev/null |
	    sed "s/^bench \([^ :(]*\)/bench \1@$l/"
	PEOPLE=$p UNITS=$u PER=${BENCH_PER:-5} ODOO_PG=0 BENCH_DIR=$DIR KEEP=1 BENCH_RUNS=$runs \
	    sh "$ROOT/bench/bench-evaluate.sh" 2>/dev/null |
	    sed "s/^bench \([^ :(]*\)/bench \1@$l/"
done
