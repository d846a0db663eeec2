#!/bin/sh
# bench-http-pg.sh: acknowledged record writes (POST /api/v1/records, one record
# per request, wrk on loopback, 64 connections) on PostgreSQL, through two
# `thidua serve` processes behind nginx round-robin against one server
# alone (the peer), on one private PostgreSQL cluster, in the same run:
#   bench http-post-record-pg-2x: ours=<two servers> peer=<one server>
# ratio = ours/peer (above 1: the second server adds throughput; the private
# cluster of tools/pgtest.sh runs with fsync=off: not a durability figure). Three
# runs each, medians. BENCH_DURATION (s, default 10), BENCH_RUNS (3).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${THIDUA_BIN:-$ROOT/build/thidua}
DUR=${BENCH_DURATION:-10}
RUNS=${BENCH_RUNS:-3}
TMP=$(mktemp -d /tmp/bench-http-pg.XXXXXX)
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	sh tools/pgtest.sh stop "$TMP/pg" >/dev/null 2>&1
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

free_port() {
	p=$((30000 + $$ % 20000 + $1))
	while ss -ltn 2>/dev/null | grep -q ":$p "; do p=$((p + 1)); done
	echo $p
}
wait_up() {
	for i in $(seq 1 100); do
		curl -sf "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

DB=$(sh tools/pgtest.sh start "$TMP/pg")
cc -O2 -o "$TMP/gen-http" bench/gen-http.c
"$TMP/gen-http" "$TMP"
"$BIN" --db "$DB" init >/dev/null 2>&1
for k in units people; do "$BIN" --db "$DB" import $k "$TMP/$k.csv" >/dev/null; done
printf 'bench-password\n' | "$BIN" --db "$DB" user add bench --role admin >/dev/null
TOKEN=$("$BIN" --db "$DB" token create bench 2>/dev/null | awk '{ print $NF }')

SERVERS=
# Each server on a free port of its own choosing (--listen …:0); SP gets it.
start_server() {
	"$BIN" --db "$DB" serve --listen 127.0.0.1:0 --max-conn-per-ip 1024 \
		>/dev/null 2>"$TMP/serve-$1.log" &
	PIDS="$PIDS $!"
	SERVERS="$SERVERS $!"
	SP=
	for i in $(seq 1 100); do
		SP=$(sed -n 's#.*http://127.0.0.1:\([0-9]*\)/.*#\1#p' "$TMP/serve-$1.log")
		[ -n "$SP" ] && return 0
		sleep 0.1
	done
	return 1
}
start_server 1; P1=$SP
start_server 2; P2=$SP
PN=$(free_port 3)
mkdir -p "$TMP/nginx/tmp"
UPSTREAMS="server 127.0.0.1:$P1; server 127.0.0.1:$P2;"
[ -n "${BENCH_ONE_UPSTREAM:-}" ] && UPSTREAMS="server 127.0.0.1:$P1;"
cat > "$TMP/nginx/nginx.conf" <<NGX
worker_processes 1;
daemon off;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log crit;
events { worker_connections 4096; }
http {
	access_log off;
	client_body_temp_path $TMP/nginx/tmp;
	proxy_temp_path $TMP/nginx/tmp;
	fastcgi_temp_path $TMP/nginx/tmp;
	uwsgi_temp_path $TMP/nginx/tmp;
	scgi_temp_path $TMP/nginx/tmp;
	upstream thidua { $UPSTREAMS keepalive 64; }
	server {
		listen 127.0.0.1:$PN;
		location / {
			proxy_pass http://thidua;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
		}
	}
}
NGX
nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -e "$TMP/nginx/error.log" &
PIDS="$PIDS $!"
wait_up $PN

cat > "$TMP/post.lua" <<'LUA'
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
request = function()
	n = n + 1
	local id = math.random(1, 2000)
	local body = string.format('{"subject":"P%05d","metric":"m%d",' ..
	    '"date":"2025-%02d-%02d","value":%d}', id, math.random(1, 20),
	    1 + math.floor(n / 28) % 12, 1 + (n % 28), n)
	return wrk.format(nil, nil, nil, body)
end
LUA
rate() { wrk -t2 -c64 -d${DUR}s -H "Authorization: Bearer $TOKEN" \
	-s "$TMP/post.lua" "$1" | awk '/Requests\/sec/ { print $2 }'; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: > "$TMP/one"; : > "$TMP/two"
for i in $(seq 1 "$RUNS"); do
	rate "http://127.0.0.1:$P1/api/v1/records" >> "$TMP/one"
	rate "http://127.0.0.1:$PN/api/v1/records" >> "$TMP/two"
done
ONE=$(median < "$TMP/one"); TWO=$(median < "$TMP/two")
awk -v o="$TWO" -v p="$ONE" 'BEGIN {
	printf "bench http-post-record-pg-2x: ours=%.0fwrites/s peer=%.0fwrites/s ratio=%.2f (two servers behind nginx against one, one PostgreSQL; the bench cluster runs with fsync=off, so these writes are not durable)\n", o, p, o / p }'
# Peak memory of each server (VmHWM), read while they still run.
rss=
for p in $SERVERS; do
	rss="$rss $(awk '/^VmHWM:/ { printf "%d", $2 / 1024 }' "/proc/$p/status" 2>/dev/null || echo '?')MiB"
done
echo "info http-post-record-pg-2x: peak RSS of the servers:$rss"
