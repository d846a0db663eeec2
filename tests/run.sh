#!/bin/sh
# tests/run.sh BUILD: run every test suite against a private PostgreSQL
# cluster started here and stopped on exit, then print one closing line
# "N passed, M failed". Exit status 0 only when nothing failed.
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
pass=0 fail=0
cleanup() { sh tools/pgtest.sh stop "$TMP/pg" >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM

if ! THIDUA_TEST_PG=$(sh tools/pgtest.sh start "$TMP/pg"); then
	echo "tests: cannot start PostgreSQL" >&2
	echo "0 passed, 1 failed"
	exit 1
fi
export THIDUA_TEST_PG
echo "tests: PostgreSQL at $THIDUA_TEST_PG"

# cmocka: each binary prints "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)"
for t in "$BUILD"/tests/test-*; do
	[ -x "$t" ] || continue
	out=$("$t" 2>&1); rc=$?
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
	p=${p:-0}; f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; fi
	pass=$((pass + p)); fail=$((fail + f))
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

# pytest: CLI and API black-box tests, one run per directory (each has
# its own conftest.py)
for d in tests/cli tests/api; do
	ls "$d"/test_*.py >/dev/null 2>&1 || continue
	/usr/bin/python3 -m pytest -q -p no:cacheprovider "$d" >"$TMP/pytest.out" 2>&1
	rc=$?
	tail -n 40 "$TMP/pytest.out"
	line=$(grep -E '[0-9]+ (passed|failed|error)' "$TMP/pytest.out" | tail -n 1)
	p=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) passed.*/\1/p')
	f=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) failed.*/\1/p')
	e=$(echo "$line" | sed -n 's/.*\b\([0-9][0-9]*\) error.*/\1/p')
	p=${p:-0}; f=${f:-0}; e=${e:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ] && [ "$e" = 0 ]; then f=1; fi
	echo "pytest $d: $p passed, $f failed, $e errors"
	pass=$((pass + p)); fail=$((fail + f + e))
done

# browser tests
if ls tests/e2e/*.test.mjs >/dev/null 2>&1 && [ -z "${THIDUA_SKIP_E2E:-}" ]; then
	node --test --test-reporter=tap tests/e2e/ >"$TMP/e2e.out" 2>&1
	rc=$?
	grep -E '^# (pass|fail)|^not ok' "$TMP/e2e.out"
	p=$(sed -n 's/^# pass \([0-9]*\)/\1/p' "$TMP/e2e.out" | tail -n 1)
	f=$(sed -n 's/^# fail \([0-9]*\)/\1/p' "$TMP/e2e.out" | tail -n 1)
	p=${p:-0}; f=${f:-0}
	if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; tail -n 60 "$TMP/e2e.out"; fi
	[ "$f" != 0 ] && tail -n 80 "$TMP/e2e.out"
	pass=$((pass + p)); fail=$((fail + f))
fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
