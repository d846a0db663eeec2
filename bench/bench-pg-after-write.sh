#!/bin/sh
# bench-pg-after-write.sh: the first eligibility request after a write, on
# PostgreSQL, through a server (issue 22, point 1, on the ministry's
# backend). bench/gen-org.c's organisation (BENCH_PEOPLE, default 100,000,
# a unit per 30 people) is copied into a private PostgreSQL cluster; a
# `thidua serve` answers the dashboard's request (the year's CSTĐCS
# candidates, first page); then five rounds of: one rating POSTed, the
# same request (the first after the write: the snapshot kept in memory
# brought up to date from migration 0023's log), and again (kept).
#   bench eligibility-after-write-pg: ours=<the first request after the
#     write, median> peer=<psql: the same row written, then
#     bench-eligibility's one query on the same tables> ratio=peer/ours
# and, as information, the first request of all (the whole snapshot
# loaded: what every first request after a write cost before migration
# 0023), a kept answer, and the first after a write of discipline (a
# rebase: the people, ratings and awards carried, migration 0024's
# subject_log naming no person written, the rest loaded again).
#   BENCH_PEOPLE, BENCH_UNITS, BENCH_DIR (default /tmp/bench-pg-after-write)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=${THIDUA_BIN:-$ROOT/build/thidua}
PEOPLE=${BENCH_PEOPLE:-100000}
UNITS=${BENCH_UNITS:-$((PEOPLE / 30))}
DIR=${BENCH_DIR:-/tmp/bench-pg-after-write}
YEAR=2025
ROUNDS=5
mkdir -p "$DIR"
. "$ROOT/bench/common.sh"
DB=$DIR/org-$PEOPLE-u$UNITS-i.db
org_db "$DB" "$PEOPLE" "$UNITS"
SPID=
cleanup() {
	[ -z "$SPID" ] || { kill "$SPID" 2>/dev/null; wait "$SPID" 2>/dev/null; }
	sh "$ROOT/tools/pgtest.sh" stop "$DIR/pg" >/dev/null 2>&1 || :
}
trap cleanup EXIT INT TERM
rm -rf "$DIR/pg"
PG=$(sh "$ROOT/tools/pgtest.sh" start "$DIR/pg")
"$BIN" --db "$PG" init > /dev/null
# the tables the snapshot reads, by the columns both schemas have
for t in subjects units people person_units innovations innovation_authors \
    discipline incidents service ratings awards; do
	cols=$(sqlite3 "$DB" "SELECT group_concat(name, ',') FROM pragma_table_info('$t')")
	psql -qAtX "$PG" -c "SELECT column_name FROM information_schema.columns WHERE table_name = '$t' AND table_schema = current_schema()" > "$DIR/pcols"
	common=$(echo "$cols" | tr ',' '\n' | grep -Fxf "$DIR/pcols" | paste -sd, -)
	sqlite3 -csv "$DB" "SELECT $common FROM $t" |
	    psql -qX -v ON_ERROR_STOP=1 "$PG" -c "\\copy $t ($common) FROM STDIN CSV"
done
psql -qX "$PG" -c "ANALYZE" > /dev/null
printf 'bench-password\n' | "$BIN" --db "$PG" user add bench --role admin > /dev/null
TOKEN=$("$BIN" --db "$PG" token create bench 2>/dev/null | awk '{ print $NF }')
# (no warm-up: the first request is the whole load it stands for)
"$BIN" --db "$PG" serve --listen 127.0.0.1:0 --warm-up off > /dev/null 2> "$DIR/serve.log" &
SPID=$!
PORT=
for i in $(seq 1 100); do
	PORT=$(sed -n 's#.*http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$DIR/serve.log")
	[ -n "$PORT" ] && break
	sleep 0.1
done
[ -n "$PORT" ] || { echo "bench-pg-after-write: the server did not start" >&2; cat "$DIR/serve.log" >&2; exit 1; }
URL="http://127.0.0.1:$PORT/api/v1"
ask() {	# ask PATH: the request's seconds (a refusal stops the script)
	curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $TOKEN" "$URL/$1"
}
post() {	# post PATH JSON (a refusal is shown, and stops the script)
	curl -sS -o "$DIR/post.out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
	    -H 'Content-Type: application/json' -d "$2" "$URL/$1" > "$DIR/post.code"
	case $(cat "$DIR/post.code") in
	2*) ;;
	*) echo "bench-pg-after-write: POST $1 $2: $(cat "$DIR/post.code") $(cat "$DIR/post.out")" >&2; exit 1 ;;
	esac
}
Q="eligibility?year=$YEAR&award=CSTDCS&limit=25"
whole=$(ask "$Q")
kept=$(ask "$Q")
# (someone serving the whole year, rated, that the POSTs may rate again)
code=$(sqlite3 "$DB" "SELECT s.code FROM people p JOIN subjects s ON s.id = p.id JOIN ratings r ON r.subject_id = p.id AND r.year = $YEAR WHERE p.category = 'employee' AND p.joined <= '$YEAR-01-01' AND p.left_on IS NULL LIMIT 1 OFFSET $((PEOPLE / 10))")
: > "$DIR/after" ; : > "$DIR/again"; : > "$DIR/peer"
for r in HTTNV HTXSNV HTNV HTTNV HTXSNV; do
	post ratings "{\"year\":$YEAR,\"subject\":\"$code\",\"rating\":\"$r\"}"
	ask "$Q" >> "$DIR/after"
	ask "$Q" >> "$DIR/again"
done
post discipline "{\"subject\":\"$code\",\"form\":\"reprimand\",\"from\":\"$YEAR-03-01\",\"to\":\"$YEAR-04-01\"}"
rebased=$(ask "$Q")
# the peer: the same row by psql, then bench-eligibility's query
{
	echo "UPDATE ratings SET rating = 'HTTNV' WHERE year = $YEAR AND subject_id = (SELECT id FROM subjects WHERE code = '$code');"
	peer_query
} > "$DIR/peer.sql"
for i in 1 2 3; do
	t0=$(date +%s.%N)
	psql -qAtX "$PG" -f "$DIR/peer.sql" > /dev/null
	t1=$(date +%s.%N)
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }' >> "$DIR/peer"
done
after=$(median < "$DIR/after"); again=$(median < "$DIR/again"); peer=$(median < "$DIR/peer")
rss=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$SPID/status" 2>/dev/null || echo 0)
printf 'bench eligibility-after-write-pg (POST one rating, then the dashboard'"'"'s eligibility request, %d people on PostgreSQL, median of %d): ours=%.3fs peer=%.3fs ratio=%s (peer: the same row by psql, then bench-eligibility'"'"'s one query on PostgreSQL; the server'"'"'s peak RSS %d MiB)\n' \
    "$PEOPLE" "$ROUNDS" "$after" "$peer" "$(ratio "$peer" "$after")" "$rss"
printf 'info eligibility-pg: the first request (the whole snapshot loaded, as every first request after a write before migration 0023) %.3fs; kept %.3fs; after a write, again (kept) %.3fs; the first after a write of discipline (rebased: people, ratings and awards carried, the rest loaded again) %.3fs\n' \
    "$whole" "$kept" "$again" "$rebased"
