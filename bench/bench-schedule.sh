#!/bin/sh
# bench/bench-schedule.sh: `thidua schedule --format json` end to end on a
# SQLite file of 1,000,000 tasks, 3,000,000 links (a layered graph) and
# about 30,000,000 progress rows, against the peer in the same run: the
# sqlite3 shell computing only each task's done quantity
#   SELECT task_id, SUM(quantity) FROM progress GROUP BY task_id
# Each side runs once to warm the page cache, then 3 times interleaved;
# the medians are printed as
#   bench schedule: ours=…s peer=…s ratio=…
# ratio = peer / ours, so bigger is better for us (>= 1.0: we compute the
# whole schedule faster than SQLite sums the progress alone).
# Scale with BENCH_TASKS (default 1000000; links = 3 x tasks).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${THIDUA_BIN:-$ROOT/build/thidua}
N=${BENCH_TASKS:-1000000}
AS_OF_DAY=21647			# 2029-04-08: layer 60 of 100 under way
AS_OF=2029-04-08
W=$(mktemp -d /tmp/bench-schedule.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM

cc -O2 -o "$W/gen-tasks" bench/gen-tasks.c -lsqlite3
"$BIN" --db "$W/b.db" init >/dev/null
"$W/gen-tasks" "$W/b.db" "$N" $((N * 3)) 48 $AS_OF_DAY >&2

now() { date +%s%N; }
ours() {
	"$BIN" --db "$W/b.db" schedule --as-of $AS_OF --format json >/dev/null
}
peer() {
	sqlite3 "$W/b.db" \
	    "SELECT task_id, SUM(quantity) FROM progress GROUP BY task_id" >/dev/null
}
# Sanity: ours is one JSON document with every task.
got=$("$BIN" --db "$W/b.db" schedule --as-of $AS_OF --format json |
    grep -o '{"task":' | wc -l)
[ "$got" = "$N" ] || { echo "bench schedule: expected $N tasks, got $got" >&2; exit 1; }
peer; ours
: > "$W/ours"; : > "$W/peer"
for i in 1 2 3; do
	t0=$(now); ours; t1=$(now); peer; t2=$(now)
	echo $((t1 - t0)) >> "$W/ours"
	echo $((t2 - t1)) >> "$W/peer"
done
rss=$(/usr/bin/time -f %M "$BIN" --db "$W/b.db" schedule --as-of $AS_OF \
    --format json 2>&1 >/dev/null | tail -n 1)
med() { sort -n "$1" | sed -n 2p; }
o=$(med "$W/ours"); p=$(med "$W/peer")
awk -v o="$o" -v p="$p" 'BEGIN { printf "bench schedule: ours=%.2fs peer=%.2fs ratio=%.2f\n", o / 1e9, p / 1e9, p / o }'
echo "# schedule: max RSS ${rss} KiB for $N tasks, $((N * 3)) links" >&2
