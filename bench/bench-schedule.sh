#!/bin/sh
# bench/bench-schedule.sh: `thidua schedule --format json` end to end on a
# SQLite file of 1,000,000 tasks, 3,000,000 links (a layered graph) and
# about 30,000,000 progress rows, against the peer in the same run: the
# sqlite3 shell computing only each task's done quantity
#   SELECT task_id, SUM(quantity) FROM progress GROUP BY task_id
# Each side runs once to warm the page cache, then 3 times interleaved;
# the medians are printed as
#   bench schedule: ours=…s peer=…s ratio=…       (wall clock)
#   bench schedule-cpu: ours=…s peer=…s ratio=…   (CPU, all threads)
# ratio = peer / ours, so bigger is better for us (>= 1.0: we compute the
# whole schedule faster than SQLite sums the progress alone). Ours loads
# on two threads, so its wall clock needs both cores free.
# The store keeps progress_totals and the progress_by_day index (as the
# progress import does; gen-tasks fills them), so ours reads the totals
# and the recent rows; THIDUA_SCHED_FULLSCAN=1 in the environment gives
# the full-scan loader for comparison. The peer query is unchanged.
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

# one timed run: appends "wall cpu rss" (seconds, KiB) to file $1
timed() {
	f=$1; shift
	/usr/bin/time -f "%e %U %S %M" -o "$W/t" "$@" >/dev/null
	awk '{ printf "%s %.2f %d\n", $1, $2 + $3, $4 }' "$W/t" >> "$f"
}
ours() {
	timed "$1" "$BIN" --db "$W/b.db" schedule --as-of $AS_OF --format json
}
peer() {
	timed "$1" sqlite3 "$W/b.db" \
	    "SELECT task_id, SUM(quantity) FROM progress GROUP BY task_id"
}
# Sanity: ours is one JSON document with every task.
got=$("$BIN" --db "$W/b.db" schedule --as-of $AS_OF --format json |
    tr ',' '\n' | grep -c '{"task":')
[ "$got" = "$N" ] || { echo "bench schedule: expected $N tasks, got $got" >&2; exit 1; }
peer "$W/warm"; ours "$W/warm"
: > "$W/ours"; : > "$W/peer"
for i in 1 2 3; do
	ours "$W/ours"
	peer "$W/peer"
done
# median of column $2 of file $1
med() { awk -v c="$2" '{ print $c }' "$1" | sort -n | sed -n 2p; }
line() {
	awk -v n="$1" -v o="$2" -v p="$3" 'BEGIN {
	    printf "bench %s: ours=%.2fs peer=%.2fs ratio=%.2f\n", n, o, p, p / o }'
}
line schedule "$(med "$W/ours" 1)" "$(med "$W/peer" 1)"
# The same runs in CPU seconds (user + system, all threads): what the
# machine spends, whatever else runs on it.
line schedule-cpu "$(med "$W/ours" 2)" "$(med "$W/peer" 2)"
# peak memory of each side, the largest of its runs
rss() { sort -n -k 3 "$1" | tail -n 1 | awk '{ printf "%d", $3 / 1024 }'; }
echo "info schedule: peak RSS ours $(rss "$W/ours") MiB, peer $(rss "$W/peer") MiB ($N tasks)"
