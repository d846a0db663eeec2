#!/bin/sh
# bench-decide.sh: decide an LĐTT proposal of 10,000 people (ledger
# entries, awards history, one transaction) and print their 10,000
# certificates into one PDF, against poppler's pdftoppm rendering the
# same PDF (at 30 dpi) as a sanity peer. Goal: under 10 s for 10,000.
# pdftoppm needs about 40 ms a page here, so it renders the first 1,000
# pages and its time is scaled to N pages (linear: every page is alike).
# Three runs each on fresh copies of the same database; medians.
# ratio = peer / ours: bigger is better for us.
#   bench decide:       ours = decide + print certificates
#   bench decide-print: ours = print certificates only
# Also prints the certificate pages per second and the CPU time (user +
# sys) of decide + print, which a busy machine does not inflate.
set -eu
cd "$(dirname "$0")/.."
N=${BENCH_DECIDE_N:-10000}
BIN=${THIDUA_BIN:-$(pwd)/thidua}
RULES=$(pwd)/tests/cli/data/proposal-rules.yaml
W=$(mktemp -d /tmp/bench-decide.XXXXXX)
trap 'rm -rf "$W"' EXIT INT TERM
cc -O2 -o "$W/gen" bench/gen-decide.c
"$W/gen" "$W" "$N" 2025
DB=$W/base.db
"$BIN" --db "$DB" init --rules "$RULES" >/dev/null
for k in units people ratings; do
	"$BIN" --db "$DB" import "$k" "$W/$k.csv" >/dev/null
done
"$BIN" --db "$DB" propose --year 2025 --award LDTT >/dev/null
"$BIN" --db "$DB" proposal submit 1 >/dev/null
"$BIN" --db "$DB" proposal review 1 >/dev/null

PP=$((N < 1000 ? N : 1000))
now() { date +%s.%N; }
median() { sort -g | sed -n 2p; }
: > "$W/ours"; : > "$W/print"; : > "$W/peer"; : > "$W/cpu"; : > "$W/rss"
for run in 1 2 3; do
	cp "$DB" "$W/r.db"
	t0=$(now)
	/usr/bin/time -f "%U %S %M" -o "$W/cpu1" "$BIN" --db "$W/r.db" decide 1 \
	    --number "1/QĐ-Z121" --date 2025-12-20 \
	    --signer "Đại tá Phạm Văn Bình" >/dev/null
	t1=$(now)
	/usr/bin/time -f "%U %S %M" -o "$W/cpu2" "$BIN" --db "$W/r.db" print \
	    certificates 1 -o "$W/gk.pdf" >/dev/null
	t2=$(now)
	cat "$W/cpu1" "$W/cpu2" | awk '{ s += $1 + $2 } END { printf "%.3f\n", s }' >> "$W/cpu"
	cat "$W/cpu1" "$W/cpu2" | awk '{ print $3 }' >> "$W/rss"
	echo "$t0 $t2" | awk '{ printf "%.3f\n", $2 - $1 }' >> "$W/ours"
	echo "$t1 $t2" | awk '{ printf "%.3f\n", $2 - $1 }' >> "$W/print"
	pages=$(pdfinfo "$W/gk.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	[ "$pages" = "$N" ] || { echo "bench decide: expected $N pages, got $pages" >&2; exit 1; }
	t3=$(now)
	pdftoppm -r 30 -png -l "$PP" "$W/gk.pdf" "$W/pg" 2>/dev/null
	t4=$(now)
	rm -f "$W"/pg*.png
	echo "$t3 $t4 $N $PP" | awk '{ printf "%.3f\n", ($2 - $1) * $3 / $4 }' >> "$W/peer"
done
ours=$(median < "$W/ours"); prt=$(median < "$W/print"); peer=$(median < "$W/peer")
echo "bench decide: ours=${ours}s peer=${peer}s ratio=$(echo "$peer $ours" | awk '{ printf "%.2f", $1 / $2 }')"
echo "bench decide-print: ours=${prt}s peer=${peer}s ratio=$(echo "$peer $prt" | awk '{ printf "%.2f", $1 / $2 }')"
echo "certificates: $N pages, $(echo "$N $prt" | awk '{ printf "%.0f", $1 / $2 }') pages/s (print only, wall clock)"
echo "cpu: decide + print $(median < "$W/cpu")s user+sys; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "info decide: peak RSS $(( $(sort -g "$W/rss" | tail -n 1) / 1024 )) MiB (decide or print, the larger)"
