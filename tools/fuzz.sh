#!/bin/sh
# fuzz.sh BUILD SECONDS NAME...: run each libFuzzer harness BUILD/fuzz/fuzz-NAME
# for SECONDS seconds over a scratch corpus seeded from tests/fuzz/corpus/NAME.
# A crashing input is written to tests/fuzz/crashers/NAME/ (commit it: `make
# test` replays it from then on) and the run fails.
set -u
build=$1 secs=$2
shift 2
status=0
for name in "$@"; do
	work="$build/fuzz/corpus-$name"
	crash="tests/fuzz/crashers/$name"
	mkdir -p "$work" "$crash"
	echo "fuzz: $name for ${secs}s"
	if ! "$build/fuzz/fuzz-$name" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$crash/" "$work" "tests/fuzz/corpus/$name" \
		>"$build/fuzz/$name.log" 2>&1; then
		tail -n 40 "$build/fuzz/$name.log"
		echo "fuzz: $name FAILED; the input is in $crash/" >&2
		status=1
	else
		grep -E '^stat::number_of_executed_units' "$build/fuzz/$name.log" || true
	fi
	rmdir "$crash" 2>/dev/null || true
done
exit $status
