#!/bin/sh
# tests/run.sh BUILD: run every test suite against a private PostgreSQL
# cluster started here and stopped on exit, then print one closing line
# "N passed, M failed, K skipped". Exit status 0 only when nothing failed.
# A skip must be declared in tests/skips.txt (ID and why); one that is not
# counts as a failure too.
#   cmocka unit and store tests: BUILD/tests/test-*
#   CLI and API tests (pytest):  tests/cli, tests/api
#   fuzz corpus replay:          BUILD/fuzz/replay-* over tests/fuzz/corpus
#                                and tests/fuzz/crashers (one test each)
#   browser tests (node --test): tests/e2e
set -u
BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
export THIDUA_BIN=${THIDUA_BIN:-$ROOT/$BUILD/thidua}
case $THIDUA_BIN in /*) ;; *) THIDUA_BIN=$ROOT/$THIDUA_BIN ;; esac
TMP=$(mktemp -d /tmp/thidua-test.XXXXXX)
export THIDUA_TEST_TMP=$TMP
pass=0 fail=0 skip=0
export THIDUA_TODAY=${THIDUA_TODAY:-2026-12-04}	# no test depends on the real date

# declared ID: true when tests/skips.txt declares the skip ID
declared() {
	tab=$(printf '\t')
	grep -v '^#' tests/skips.txt | while IFS=$tab read -r pat _; do
		[ -n "$pat" ] || continue
		# shellcheck disable=SC2254
		case $1 in $pat) echo yes; break ;; esac
	done | grep -q yes
}
cleanup() { sh tools/pgtest.sh stop "$TMP/pg" >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

if ! THIDUA_TEST_PG=$(sh tools/pgtest.sh start "$TMP/pg"); then
	echo "tests: cannot start PostgreSQL" >&2
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
fi
export THIDUA_TEST_PG
echo "tests: PostgreSQL at $THIDUA_TEST_PG"

# cmocka: each binary prints "[  PASSED  ] N test(s)." / "[  FAILED  ] N
# test(s)" / "[  SKIPPED ] N test(s)", and "[  SKIPPED ] NAME" for each skip
for t in "$BUILD"/tests/test-*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	s=$(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	for name in $(printf '%s\n' "$out" | sed -n 's/^\[  SKIPPED \] \([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' | sort -u); do
		declared "unit:${t##*/}:$name" && continue
		echo "undeclared skip: unit:${t##*/}:$name (tests/skips.txt)"; f=$((f + 1))
	done
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	if [ "$f" != 0 ]; then printf '%s\n' "$out"; echo "FAIL $t"; else echo "ok   $t ($p)"; fi
done

# fuzz harnesses as plain replay binaries: every seed and every committed
# crasher must run through without a crash (or a sanitizer's abort)
for t in "$BUILD"/fuzz/replay-*; do
	[ -x "$t" ] || continue
	name=${t##*/replay-}
	if out=$("$t" "tests/fuzz/corpus/$name" "tests/fuzz/crashers/$name" 2>&1); then
		pass=$((pass + 1)); echo "ok   $out"
	else
		fail=$((fail + 1)); printf '%s\n' "$out" | tail -n 40; echo "FAIL $t"
	fi
done

# pytest: CLI and API black-box tests, one run per directory (tests/
# conftest.py holds the shared fixtures, each directory may add its own;
# it fails an undeclared skip itself)
for d in tests/cli tests/api; do
	ls "$d"/test_*.py >/dev/null 2>&1 || continue
	t0=$(date +%s)
	/usr/bin/python3 -m pytest -q -p no:cacheprovider "$d" >"$TMP/pytest.out" 2>&1
	rc=$?
	t1=$(date +%s)
	tail -n 40 "$TMP/pytest.out"
	line=$(grep -E '[0-9]+ (passed|failed|error|skipped)' "$TMP/pytest.out" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) failed.*/\1/p')
	e=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) error.*/\1/p')
	s=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) skipped.*/\1/p')
	p=${p:-0}; f=${f:-0}; e=${e:-0}; s=${s:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ] && [ "$e" = 0 ]; then f=1; fi
	echo "pytest $d: $p passed, $f failed, $e errors, $s skipped ($((t1 - t0)) s)"
	pass=$((pass + p)); fail=$((fail + f + e)); skip=$((skip + s))
done

# browser tests
if ls tests/e2e/*.test.mjs >/dev/null 2>&1 && [ -z "${THIDUA_SKIP_E2E:-}" ]; then
	node --test --test-reporter=tap tests/e2e/ >"$TMP/e2e.out" 2>&1
	rc=$?
	grep -E '^# (pass|fail|skip)|^not ok' "$TMP/e2e.out"
	p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$TMP/e2e.out" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$TMP/e2e.out" | tail -n 1)
	s=$(sed -n 's/^# skip\(ped\)\{0,1\} \([0-9]*\)/\2/p' "$TMP/e2e.out" | tail -n 1)
	p=${p:-0}; f=${f:-0}; s=${s:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; tail -n 60 "$TMP/e2e.out"; fi
	[ "$f" != 0 ] && tail -n 80 "$TMP/e2e.out"
	# a skipped test: "ok N - NAME # SKIP why" under its file's subtest
	sed -n 's/^ *ok [0-9]* - \(.*\) # SKIP.*/\1/p' "$TMP/e2e.out" >"$TMP/e2e.skips"
	while IFS= read -r name; do
		declared "e2e:$name" && continue
		echo "undeclared skip: e2e:$name (tests/skips.txt)"; fail=$((fail + 1))
	done <"$TMP/e2e.skips"
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
fi

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
