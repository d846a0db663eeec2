#!/bin/sh
# run.sh: what `make run` does: create ./thidua.db with the demo
# enterprise when absent, then serve the web app on 127.0.0.1:8080.
set -eu
DB=${THIDUA_DB:-thidua.db}
if [ ! -f "$DB" ]; then
	./thidua --db "$DB" init
	./thidua --db "$DB" demo || echo "run: demo not available yet"
fi
exec ./thidua --db "$DB" serve --listen "${LISTEN:-127.0.0.1:8080}"
