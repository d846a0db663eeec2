#!/bin/sh
# bench-web.sh: the web app at a general department's size and at a
# ministry's: every page's first useful paint (bench/bench-web.mjs, a real
# Chromium) against the goal of one second, on organisations of 100,000
# and 1,000,000 people made by bench/gen-org.c (50,000 units). Each
# database is generated once into BENCH_DIR (or copied from
# BENCH_ORG_SRC, default /tmp/bench-eligibility, when bench-eligibility.sh
# made it there), then served from a copy: logging in writes a session.
# The account is an administrator (the whole tree in scope).
#   BENCH_WEB_SIZES (default "100000 1000000"), BENCH_DIR (default
#   /tmp/bench-web), BENCH_WEB_RUNS (default 3)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${THIDUA_BIN:-$ROOT/build/thidua}
DIR=${BENCH_DIR:-/tmp/bench-web}
SRC=${BENCH_ORG_SRC:-/tmp/bench-eligibility}
SIZES=${BENCH_WEB_SIZES:-100000 1000000}
mkdir -p "$DIR"
if [ ! -d "$ROOT/node_modules/playwright-core" ] || [ ! -x "${THIDUA_CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "bench-web: skipped (needs node_modules/playwright-core and chromium)"
	exit 0
fi
cc -O2 -o "$DIR/gen-org" "$ROOT/bench/gen-org.c" -lsqlite3

free_port() {
	p=$((30000 + $$ % 20000 + $1))
	while ss -ltn 2>/dev/null | grep -q ":$p "; do p=$((p + 1)); done
	echo $p
}

SPID=
trap '[ -n "$SPID" ] && kill $SPID 2>/dev/null; true' EXIT INT TERM
for n in $SIZES; do
	case $n in
	*000000) label=$((n / 1000000))M ;;
	*000) label=$((n / 1000))k ;;
	*) label=$n ;;
	esac
	DB=$DIR/org-$n.db
	if [ ! -s "$DB.done" ]; then
		rm -f "$DB" "$DB-wal" "$DB-shm"
		if [ -s "$SRC/org-$n.db.done" ]; then
			cp "$SRC/org-$n.db" "$DB"
		else
			"$BIN" --db "$DB" init 2>/dev/null
			"$DIR/gen-org" "$DB" 2025 "$n"
		fi
		echo "$n people" > "$DB.done"
	fi
	# the served copy, with a fresh account (a session row is written)
	WORK=$DIR/web-$n.db
	rm -f "$WORK" "$WORK-wal" "$WORK-shm"
	cp "$DB" "$WORK"
	printf 'bench-password\n' | "$BIN" --db "$WORK" user add bench-web --role admin >/dev/null
	PORT=$(free_port 7)
	"$BIN" --db "$WORK" serve --listen 127.0.0.1:$PORT --web "$ROOT/web" 2>"$DIR/serve-$n.log" &
	SPID=$!
	for i in $(seq 1 300); do
		curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	node "$ROOT/bench/bench-web.mjs" "http://127.0.0.1:$PORT" bench-web bench-password "$label"
	RSS=$(awk '/VmHWM/ { print $2 }' /proc/$SPID/status 2>/dev/null || echo 0)
	echo "bench web-server-peak-rss-$label: ours=$((RSS / 1024))MiB"
	kill $SPID 2>/dev/null || true
	wait $SPID 2>/dev/null || true
	SPID=
	rm -f "$WORK" "$WORK-wal" "$WORK-shm"
done
