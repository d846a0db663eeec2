"""THIDUA_TODAY=YYYY-MM-DD pins "today" (date_today()): the schedule's
default as-of day follows it; a value that is not a real date is ignored
with one warning naming it, and the command still succeeds."""
import datetime
import json

from testbed import TODAY, run


def as_of(db, today, lang=None):
    r = run("--format", "json", "schedule", db=db, lang=lang,
            env={"THIDUA_TODAY": today})
    assert r.code == 0, r
    return json.loads(r.out)["as_of"], r.err


def test_pinned_today(sqlite_db):
    assert as_of(sqlite_db, "2024-02-29") == ("2024-02-29", "")
    assert as_of(sqlite_db, TODAY) == (TODAY, "")


def test_a_bad_value_is_ignored_with_a_warning(sqlite_db):
    for bad in ("2023-02-29", "2024-13-01", "24-01-01", "2024-01-01x", "x"):
        before = datetime.datetime.now(datetime.timezone.utc).date()
        day, err = as_of(sqlite_db, bad, lang="en")
        after = datetime.datetime.now(datetime.timezone.utc).date()
        assert day in (before.isoformat(), after.isoformat()), (bad, day)
        assert err == f"thidua: THIDUA_TODAY={bad}: not a date YYYY-MM-DD," \
            " using the real date\n", (bad, err)
