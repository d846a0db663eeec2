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
# launch DIR SEED EXTRA-OPTIONS: start the cluster in DIR/data on a free
# loopback port and print the port. Ports come from below the kernel's
# ephemeral range (an outgoing connection's local port there makes bind
# fail even when nothing listens on it), and a port taken between the
# check and the bind is retried on the next one.
launch() {
	ldir=$1 seed=$2 extra=$3
	lo=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
	[ "$lo" -gt 21000 ] 2>/dev/null || lo=32768
	span=$((lo - 20000))
	port=$(( 20000 + seed % span ))
	tries=0
	while :; do
		while ss -ltn 2>/dev/null | grep -q ":$port "; do
			port=$(( 20000 + (port - 20000 + 1) % span ))
		done
		if as_pg "$PGBIN/pg_ctl" -D "$ldir/data" -l "$ldir/server.log" -w -t 60 \
			-o "-p $port -k $ldir -c listen_addresses=127.0.0.1 $extra" \
			start >/dev/null; then
			echo "$port"; return 0
		fi
		tries=$((tries + 1))
		if [ $tries -ge 20 ] || ! grep -q "Address already in use" "$ldir/server.log"; then
			cat "$ldir/server.log" >&2; return 1
		fi
		port=$(( 20000 + (port - 20000 + 97) % span ))
	done
}
case $cmd in
start)
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod a+rx "$(dirname "$dir")"; fi
	as_pg "$PGBIN/initdb" -D "$dir/data" -A trust -U thidua -E UTF8 \
		--locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	port=$(launch "$dir" $$ "-c fsync=off -c max_connections=200") || exit 1
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
	port=$(launch "$dir" $(($$ + 5003)) "-c hot_standby=on -c max_connections=200") || exit 1
	echo "postgresql://thidua@127.0.0.1:$port/thidua"
	;;
stop)
	as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pgtest.sh start|stop DIR" >&2; exit 2 ;;
esac
