#!/bin/sh
# bench-web.sh: the web app at a general department's size and at a
# ministry's: every page's first useful paint (bench/bench-web.mjs, a real
# Chromium) against the goal of one second, on organisations of 100,000
# and 1,000,000 people made by bench/gen-org.c (50,000 units). Each
# database is generated once into BENCH_DIR (or copied from
# BENCH_ORG_SRC, default /tmp/bench-eligibility, when bench-eligibility.sh
# made it there), then served from a copy: logging in writes a session.
# The account is an administrator (the whole tree in scope); then the
# same pages as a commander scoped to one general department (U00004),
# printed as …-LABEL-commander (BENCH_WEB_COMMANDER=0: not).
# Then, the pages warm, the search after a write: one person POSTed
# (/api/v1/people), the next /api/v1/search?q= that must find them and
# the /api/v1/search?codes= that names them (and the same q= again,
# warm), three times, medians, against
# a SQL LIKE scan of the people's names (the sqlite3 shell's own timer):
#   bench web-search-after-write-LABEL: ours=…ms peer=…ms ratio=…
# (ratio = peer / ours; the goal is ours under 100 ms).
#   BENCH_WEB_SIZES (default "100000 1000000"), BENCH_DIR (default
#   /tmp/bench-web), BENCH_WEB_RUNS (default 3)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${THIDUA_BIN:-$ROOT/build/thidua}
DIR=${BENCH_DIR:-/tmp/bench-web}
SRC=${BENCH_ORG_SRC:-/tmp/bench-eligibility}
SIZES=${BENCH_WEB_SIZES:-100000 1000000}
COMMANDER=${BENCH_WEB_COMMANDER:-1}
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

# median of three numbers
med3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }

# The search after a write of one person: BASE TOKEN DB LABEL.
search_after_write() {
	base=$1 tok=$2 db=$3 lab=$4 ours= codes= warm= peer= found=yes
	# (the pages ask codes= only: the index is built by this first q=)
	curl -sf -o /dev/null -H "Authorization: Bearer $tok" "$base/api/v1/search?q=a"
	for k in 1 2 3; do
		code=BW$$$k
		curl -sf -o /dev/null -H "Authorization: Bearer $tok" -H 'Content-Type: application/json' \
		    -d "{\"code\":\"$code\",\"name\":\"Vương Thị Mới $k\",\"unit\":\"U00002\",\"category\":\"employee\",\"joined\":\"2020-01-01\"}" \
		    "$base/api/v1/people"
		t=$(curl -sf -o "$DIR/saw.json" -w '%{time_total}' -H "Authorization: Bearer $tok" \
		    "$base/api/v1/search?q=vuong%20thi%20moi%20$k")
		grep -q "\"$code\"" "$DIR/saw.json" || found=no
		ours="$ours $t"
		w=$(curl -sf -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $tok" \
		    "$base/api/v1/search?q=vuong%20thi%20moi%20$k")
		warm="$warm $w"
		t=$(curl -sf -o "$DIR/saw.json" -w '%{time_total}' -H "Authorization: Bearer $tok" \
		    "$base/api/v1/search?codes=$code,U00002")
		grep -q "\"$code\"" "$DIR/saw.json" || found=no
		codes="$codes $t"
		t=$(printf '%s\n' '.timer on' "SELECT s.code, p.name FROM people p JOIN subjects s ON s.id = p.id WHERE p.name LIKE '%Vương Thị Mới $k%' LIMIT 20;" |
		    sqlite3 "$db" | awk '/^Run Time/ { print $4 }')
		peer="$peer $t"
	done
	o=$(med3 $ours) p=$(med3 $peer)
	echo "bench web-search-after-write-$lab: ours=$(ms "$o")ms peer=$(ms "$p")ms ratio=$(awk -v o="$o" -v p="$p" 'BEGIN { printf "%.2f", p / o }') (the next q= after POST /api/v1/people, peer a SQL LIKE over the names; the same q= again $(ms "$(med3 $warm)")ms; codes= $(ms "$(med3 $codes)")ms; found: $found; goal 100ms)"
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
	TOKEN=$("$BIN" --db "$WORK" token create bench-web 2>/dev/null)
	PORT=$(free_port 7)
	"$BIN" --db "$WORK" serve --listen 127.0.0.1:$PORT --web "$ROOT/web" 2>"$DIR/serve-$n.log" &
	SPID=$!
	for i in $(seq 1 300); do
		curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
		sleep 0.1
	done
	# the server's warm-up (src/h-warm.c) done first, as on a server that
	# has been up a minute: the pages are timed, not its start
	for i in $(seq 1 1200); do
		grep -Eq "warmed up|chuẩn bị sẵn" "$DIR/serve-$n.log" && break
		sleep 0.1
	done
	echo "info web-$label: $(grep -E "warmed up|chuẩn bị sẵn" "$DIR/serve-$n.log" || echo "no warm-up")"
	node "$ROOT/bench/bench-web.mjs" "http://127.0.0.1:$PORT" bench-web bench-password "$label"
	search_after_write "http://127.0.0.1:$PORT" "$TOKEN" "$WORK" "$label"
	# a commander of a general department (U00004: 110,000 people of a
	# million, 11,000 of 100,000), whose every list and report is its
	# subtree's: the costs an administrator never meets
	if [ "$COMMANDER" = 1 ]; then
		printf 'bench-password\n' | "$BIN" --db "$WORK" user add bench-cmd \
		    --role commander --unit U00004 >/dev/null
		node "$ROOT/bench/bench-web.mjs" "http://127.0.0.1:$PORT" bench-cmd bench-password "$label-commander"
	fi
	RSS=$(awk '/VmHWM/ { print $2 }' /proc/$SPID/status 2>/dev/null || echo 0)
	echo "bench web-server-peak-rss-$label: ours=$((RSS / 1024))MiB"
	kill $SPID 2>/dev/null || true
	wait $SPID 2>/dev/null || true
	SPID=
	rm -f "$WORK" "$WORK-wal" "$WORK-shm"
done
