#!/bin/sh
# pgtest.sh start|stop DIR: a private PostgreSQL cluster for the tests.
#   start DIR  initdb into DIR (as the postgres user when run as root),
#              start it on a free loopback port, print its URL on stdout.
#   standby DIR PORT
#              a streaming replica of the cluster on PORT (pg_basebackup
#              -R), started on a free port of its own; prints its URL.
#   stop DIR   stop it and remove DIR.
set -eu
cmd=$1 dir=$2
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$PGBIN" ] || { echo "pgtest: PostgreSQL binaries not found (make deps)" >&2; exit 1; }
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod a+rx "$(dirname "$dir")"; fi
	as_pg "$PGBIN/initdb" -D "$dir/data" -A trust -U thidua -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	port=$(( 20000 + $$ % 20000 ))
	while ss -ltn 2>/dev/null | grep -q ":$port "; do port=$((port + 1)); done
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U thidua thidua
	echo "postgresql://thidua@127.0.0.1:$port/thidua"
	;;
standby)
	pport=$3
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod a+rx "$(dirname "$dir")"; fi
	as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$pport" -U thidua \
		-D "$dir/data" -R -X stream -c fast >"$dir/basebackup.log" 2>&1 ||
		{ cat "$dir/basebackup.log" >&2; exit 1; }
	port=$(( 21000 + ($$ + 7) % 19000 ))
	while ss -ltn 2>/dev/null | grep -q ":$port "; do port=$((port + 1)); done
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=200" \
		start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
	echo "postgresql://thidua@127.0.0.1:$port/thidua"
	;;
stop)
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pgtest.sh start|stop DIR" >&2; exit 2 ;;
esac
