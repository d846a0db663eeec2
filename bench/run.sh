#!/bin/sh
# bench/run.sh: run every benchmark script bench/bench-*.sh in turn. Each
# prints lines "bench NAME: ours=… peer=… ratio=…"; those lines are also
# collected into bench/out/summary.txt.
set -u
cd "$(dirname "$0")/.."
mkdir -p bench/out
: > bench/out/summary.txt
for b in bench/bench-*.sh; do
	[ -f "$b" ] || continue
	echo "== $b"
	sh "$b" 2>&1 | tee bench/out/last.txt
	grep '^bench ' bench/out/last.txt >> bench/out/summary.txt
done
echo "== summary"
cat bench/out/summary.txt
