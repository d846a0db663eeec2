#!/bin/sh
# outputs.sh BIN DIR: run a fixed battery of commands on the demo enterprise
# with BIN and write every output to DIR, one file per command, so that two
# builds can be compared byte for byte (`diff -r DIR1 DIR2`). Used to show
# that a refactoring changed no output (issue 21): reports in every format,
# every export kind, rule sets, movements, the award path from proposal to
# PDF and XLSX, the ledger, the OpenAPI document and the API twins.
# Times that name the moment of the run (audit entries, ledger stamps,
# file times inside PDF and XLSX) are masked; nothing else is.
set -u
BIN=$(realpath "$1") OUT=$2
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cd "$W"
DB=$W/d.db
n=0
# out NAME CMD...: run one command, keep stdout, stderr and status.
out() {
	name=$1; shift
	n=$((n + 1))
	"$BIN" --db "$DB" "$@" >"$W/o" 2>"$W/e"
	rc=$?
	{ cat "$W/o"; echo "--- stderr"; cat "$W/e"; echo "--- exit $rc"; } |
		mask >"$OUT/$(printf '%03d' $n)-$name"
}
mask() {
	sed -E "s|$W|W|g" | sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9:]+)?/TIME/g;
		s/D:[0-9]{14}[^)]*/D:TIME/g'
}
# bin NAME FILE: a binary document, kept as its masked text where it has one.
keep() {
	n=$((n + 1))
	case $2 in
	*.pdf) strings -n 3 "$2" | mask ;;
	*.xlsx) unzip -p "$2" | mask ;;
	*) mask <"$2" ;;
	esac >"$OUT/$(printf '%03d' $n)-$1"
}

out init init
out demo demo
for f in json csv table; do
	out rules-list-$f --format $f rules list
	out movement-list-$f --format $f movement list
	out eligibility-$f --format $f eligibility --year 2025
	out eligibility-2026-$f --format $f eligibility --year 2026
	out schedule-$f --format $f schedule --as-of 2026-06-30
	out schedule-suggest-$f --format $f schedule --as-of 2026-06-30 --suggest-campaigns
	out growth-$f --format $f report growth --from 2020 --to 2026
	out growth-u-$f --format $f report growth --from 2024 --to 2026 --unit A1
	out innovations-$f --format $f report innovations
	out awards-$f --format $f report awards --year 2025 --from 2018
	out exemplars-$f --format $f exemplar list
	out discover-$f --format $f exemplar discover --year 2025
done
out rules-show rules show
out rules-show-json --format json rules show
out rules-show-2017 rules show --rule-set vn-2017
out rules-diff rules diff vn-2022 vn-2026
out elig-p --format json eligibility --year 2025 --subject P0013
out elig-asof --format json eligibility --year 2026 --as-of 2026-10-15
"$BIN" --db "$DB" --format json movement list >"$W/mv.json" 2>/dev/null
for m in $(python3 -c 'import json,sys
d=json.load(open(sys.argv[1]))
print(" ".join(x["code"] for x in d["movements"] if x["start"][:4] in ("2025","2026")))' "$W/mv.json"); do
	out show-$m --format json movement show "$m"
	for f in json csv table; do
		out evaluate-$m-$f --format $f evaluate --movement "$m" --as-of 2026-06-30
	done
	out pledges-$m --format json pledges --movement "$m"
	out rate-$m --format json rate --movement "$m" --year "$(echo "$m" | sed 's/.*-//')"
done
for k in units people ratings awards innovations discipline incidents records \
	service targets pledges tasks task-links progress indicators \
	innovation-details indicator-targets; do
	for f in csv json; do out export-$k-$f export $k --format $f; done
	"$BIN" --db "$DB" export $k --format xlsx --output "$W/$k.xlsx" >/dev/null 2>&1 &&
		keep export-$k.xlsx "$W/$k.xlsx"
done
# The award path.
out propose --format json propose --year 2025 --award LDTT
out propose2 --format json propose --year 2025 --award CSTDCS
out proposal-list --format json proposal list
out submit --format json proposal submit 1
out ballot --format json ballot 1 --members 10 --yes 9 --present 9 --written 1
out review --format json proposal review 1
out decide --format json decide 1 --number 12/QĐ-Z121 --date 2025-12-20 --signer "Đại tá Phạm Văn Bình"
out submit2 --format json proposal submit 2
out return --format json proposal return 2 --reason "thiếu hồ sơ"
out show1 --format json proposal show 1
out show2 --format json proposal show 2
out ledger-show ledger show
out ledger-show-json --format json ledger show
out ledger-verify ledger verify
out print-decision print decision 1 -o "$W/dec.pdf"
keep decision.pdf "$W/dec.pdf"
out print-cert print certificates 1 -o "$W/cert.pdf"
keep cert.pdf "$W/cert.pdf"
out print-list print list 1 -o "$W/list.xlsx"
keep list.xlsx "$W/list.xlsx"
out report-awards-xlsx report awards --year 2025 --format xlsx -o "$W/aw.xlsx"
keep awards.xlsx "$W/aw.xlsx"
out elig-after --format json eligibility --year 2025
out recognise-help recognise --help
out innovation-show --format json innovation show "$(
	"$BIN" --db "$DB" export innovations --format csv | sed -n 2p | cut -d, -f1)"
out check check
out bad-import import people /nonexistent.csv
printf 'code,name,unit\nX1,,NOPE\n' >"$W/bad.csv"
out bad-import2 import people "$W/bad.csv"
out bad-cmd nosuchcommand
out usage --help
# The API: the OpenAPI document and a few twins, read as the administrator.
printf 'secret-outputs-1\n' | "$BIN" --db "$DB" user add admin --role admin >/dev/null 2>&1
"$BIN" --db "$DB" serve --listen 127.0.0.1:0 >"$W/serve.log" 2>&1 &
spid=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's/.*127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$W/serve.log" | head -n 1)
	[ -n "$port" ] && break
	sleep 0.1
done
if [ -n "$port" ]; then
	tok=$("$BIN" --db "$DB" token create admin 2>/dev/null | tail -n 1)
	for p in /api/v1/openapi.json /api/v1/units /api/v1/people?limit=50 \
		"/api/v1/eligibility?year=2025" /api/v1/reports/growth \
		/api/v1/reports/innovations /api/v1/reports/awards /api/v1/rules \
		/api/v1/movements /api/v1/proposals /api/v1/ledger \
		"/api/v1/schedule?as-of=2026-06-30" /api/v1/exemplars; do
		n=$((n + 1))
		curl -s -H "Authorization: Bearer $tok" "http://127.0.0.1:$port$p" |
			mask >"$OUT/$(printf '%03d' $n)-api$(echo "$p" | tr '/?=&' '____')"
	done
fi
kill "$spid" 2>/dev/null
wait "$spid" 2>/dev/null
exit 0
