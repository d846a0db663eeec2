"""A year's ratings are counted by rating from an index that holds both
(migration 0019): the root's unit summary, on the administrator's
dashboard after every write of ratings, took 1.2 s at a million people
looking up each of the year's rows, 0.1 s with it. The query is read
from src/store-unit.c, so the test follows the code: SQLite's plan for
it on a fresh database must be a search of the covering index."""
import os
import re
import subprocess

from testbed import ROOT, run


def c_string(name):
    src = open(os.path.join(ROOT, "src", "store-unit.c"), encoding="utf-8").read()
    m = re.search(r"static const char %s\[\] =\s*((?:\"[^\"]*\"\s*)+);" % name, src)
    assert m, name
    return "".join(re.findall(r"\"([^\"]*)\"", m.group(1)))


def test_the_root_summary_counts_ratings_from_the_index(tmp_path):
    db = str(tmp_path / "ix.db")
    assert run("init", db=db).code == 0
    sql = c_string("SQL_RATINGS_ALL").replace("$1", "2025")
    assert "GROUP BY" in sql, sql
    plan = subprocess.run(["sqlite3", db, "EXPLAIN QUERY PLAN " + sql],
                          capture_output=True, text=True, check=True).stdout
    assert "COVERING INDEX ratings_year_rating" in plan, plan


def subtree_prefix():
    src = open(os.path.join(ROOT, "src", "store-unit.h"), encoding="utf-8").read()
    m = re.search(r"#define STORE_SQL_SUBTREE\s*\\\n((?:\s*\"[^\"]*\"\s*\\?\n)+)", src)
    assert m
    return "".join(re.findall(r"\"([^\"]*)\"", m.group(1)))


def subtree_sql(src, name):
    m = re.search(r"static const char %s\[\] = STORE_SQL_SUBTREE\s*"
                  r"((?:\"[^\"]*\"\s*)+);" % name, src)
    assert m, name
    return subtree_prefix() + "".join(re.findall(r"\"([^\"]*)\"", m.group(1)))


def subtree_plan(tmp_path, name, **params):
    """SQLite's plan, on a fresh database, for the store-unit.c statement
    name (STORE_SQL_SUBTREE and its own text), with params put for $N;
    and that SQL."""
    db = str(tmp_path / "ix.db")
    assert run("init", db=db).code == 0
    src = open(os.path.join(ROOT, "src", "store-unit.c"), encoding="utf-8").read()
    sql = subtree_sql(src, name)
    for k, v in params.items():
        sql = sql.replace("$" + k[1:], v)
    plan = subprocess.run(["sqlite3", db, "EXPLAIN QUERY PLAN " + sql],
                          capture_output=True, text=True, check=True).stdout
    return plan, sql


def test_a_subtree_summary_does_not_count_everyone(tmp_path):
    """A unit's summary (a commander's dashboard) counts its subtree's
    ratings of a year by looking up each of its subjects: with the
    (year, rating) index SQLite once counted the whole organisation's
    ratings of the year through it and kept the subtree's (1.0 s against
    0.36 s for a commander of 110,000 at a million people)."""
    plan, sql = subtree_plan(tmp_path, "SQL_YEAR", p1="1", p2="2025")
    assert "ratings_year_rating" not in plan, plan
    # each of the subtree's subjects looked up with the year, by either key
    assert "SCAN subj" in plan, plan
    assert re.search(r"SEARCH r USING (COVERING )?INDEX \S+ \((subject_id=\? "
                     r"AND year=\?|year=\? AND subject_id=\?)\)", plan), plan


def test_the_root_summary_counts_awards_from_the_keys(tmp_path):
    """The year's awards (the root's summary): the primary key counted,
    less the revoked from their own index, no row looked up (migration
    0020; 0.6 s -> 0.06 s for a year's 895,000 at a million people)."""
    db = str(tmp_path / "ix.db")
    assert run("init", db=db).code == 0
    sql = c_string("SQL_AWARDS_ALL").replace("$1", "2025")
    plan = subprocess.run(["sqlite3", db, "EXPLAIN QUERY PLAN " + sql],
                          capture_output=True, text=True, check=True).stdout
    assert "COVERING INDEX sqlite_autoindex_awards_1" in plan, plan
    assert "INDEX awards_revoked" in plan, plan


def test_a_subtree_summary_gathers_its_subjects_once(tmp_path):
    """A unit's summary reads its subtree's ratings and awards of the year
    in one statement, its subjects gathered once for both (they took 0.12
    s each time for a commander of 110,000 at a million people)."""
    plan, sql = subtree_plan(tmp_path, "SQL_YEAR", p1="1", p2="2025")
    assert "ratings" in sql and "awards" in sql, sql
    assert plan.count("MATERIALIZE subj") == 1, plan


def test_a_subtree_counts_its_people_from_their_own_index(tmp_path):
    """The people still serving in a subtree are counted from migration
    0021's index of them by unit (partial: left_on empty), no person's
    row read (0.29 s -> 0.03 s for a commander of 110,000 at a million
    people)."""
    plan, _ = subtree_plan(tmp_path, "SQL_COUNTS", p1="1")
    assert "SEARCH p USING INDEX people_unit_current (unit_id=?)" in plan, plan
