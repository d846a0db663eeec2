"""Issue 22 (fast where users wait) on PostgreSQL: a server there keeps the
eligibility snapshot's copy in memory (snapcache-elig.c, elig_cache_memory)
and, after a write of ratings or awards, reads again only the subjects
that migration 0023's log names since the copy, as a server on SQLite does
from elig_log, instead of loading the whole snapshot: at 100,000 people
the first request after a clerk's rating took 1 s, at a million ten.

Current must still mean current: after each kind of write of the two
tables, by this server or by psql (insert, update moving a row to another
subject, delete), the answer is the CLI's (which loads everything), and
the server did not load the snapshot whole (thidua_snapshot_total
{kind="elig"}: its hits are copies read and brought up to date). A
TRUNCATE, which no row trigger sees, sends the next request back to a
whole load. And the log is numbered in commit order: a transaction that
wrote ratings first but commits last is not passed over by a copy made
between the two commits."""
import json
import subprocess
import time

import pytest

from api_support import PG, cli, make_server, snapshot_counts, sql

pytestmark = pytest.mark.skipif(not PG, reason="needs THIDUA_TEST_PG")


@pytest.fixture
def srv(tmp_path):
    s = make_server("pg", tmp_path)
    yield s
    assert s.stop() == 0, s.text()[-2000:]


def twin(s, c):
    """The API's document for 2025, checked to be the CLI's now."""
    st, _, body = c.get("/api/v1/eligibility?year=2025")
    assert st == 200, body
    p = cli(s.db, "--format", "json", "eligibility", "--year", "2025",
            check=False)
    assert p.returncode == 0, p.stderr
    assert body == json.loads(p.stdout)
    return body


def verdicts(doc):
    return {(r["subject"], r["award"]): r["verdict"] for r in doc["results"]}


ID = "(SELECT id FROM subjects WHERE code = '{}')"


def sleeping(db, secs=30):
    """Wait until a session of db is in its pg_sleep (it has run what comes
    before it in its transaction), at most secs."""
    deadline = time.monotonic() + secs
    while time.monotonic() < deadline:
        if sql(db, "SELECT count(*) FROM pg_stat_activity WHERE state = "
               "'active' AND query LIKE '%pg_sleep(2)%' AND pid <> "
               "pg_backend_pid()")[0][0] != "0":
            return
        time.sleep(0.05)
    raise AssertionError("the session never reached its pg_sleep")


def test_writes_of_ratings_and_awards_reach_the_copy_by_the_log(srv):
    s, c = srv, srv.login("admin")
    d0 = twin(s, c)
    assert verdicts(d0)[("P2", "LDTT")] == "ineligible"
    h0, r0 = snapshot_counts(c, "elig")
    # by this server
    st, _, _ = c.post("/api/v1/ratings", {"year": 2025, "subject": "P2",
                                          "rating": "HTTNV"})
    assert st == 201
    d1 = twin(s, c)
    assert verdicts(d1)[("P2", "LDTT")] == "eligible"
    assert snapshot_counts(c, "elig") == (h0 + 1, r0)   # the copy, updated
    # by psql: a row moved to another subject (old and new keys logged)
    sql(s.db, "UPDATE ratings SET subject_id = " + ID.format("P1") +
        " WHERE year = 2025 AND subject_id = " + ID.format("P2"))
    d2 = twin(s, c)
    assert verdicts(d2)[("P2", "LDTT")] == "ineligible"
    assert verdicts(d2)[("P1", "CSTT")] == "eligible"
    assert snapshot_counts(c, "elig") == (h0 + 2, r0)
    # an award of the ledger's history, inserted, then deleted
    sql(s.db, "INSERT INTO awards (year, subject_id, award) VALUES "
        "(2024, " + ID.format("P2") + ", 'CSTDCS'), (2021, " +
        ID.format("P2") + ", 'BKBQP')")
    d3 = twin(s, c)
    assert d3 != d2
    sql(s.db, "DELETE FROM awards WHERE subject_id = " + ID.format("P2"))
    assert twin(s, c) == d2
    assert snapshot_counts(c, "elig") == (h0 + 4, r0)
    # TRUNCATE: no row is logged, the log is emptied: loaded whole
    sql(s.db, "INSERT INTO awards (year, subject_id, award) VALUES "
        "(2024, " + ID.format("P1") + ", 'LDTT')")
    twin(s, c)
    sql(s.db, "TRUNCATE awards")
    assert twin(s, c) == d2
    assert snapshot_counts(c, "elig")[1] == r0 + 1


def test_the_log_is_numbered_in_commit_order(srv):
    """T1, a session as thidua's are (thidua.writer on: it replaces the
    generations only at its commit), writes P2's rating and commits 2 s
    later; T2 (psql) writes P1's meanwhile. Were T2 numbered after T1 but
    committed first, a copy made between the two commits would stand at
    T2's number and never read T1's row: T2 waits for T1 instead (the
    log's lock)."""
    s, c = srv, srv.login("admin")
    twin(s, c)
    t1 = subprocess.Popen(
        ["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", s.db, "-c",
         "SET thidua.writer = 'on'; BEGIN; "
         "INSERT INTO ratings (year, subject_id, rating) VALUES "
         "(2025, " + ID.format("P2") + ", 'HTTNV'); SELECT pg_sleep(2); "
         "UPDATE generations SET n = (random() * 9.0e18)::bigint "
         "WHERE name = 'elig'; COMMIT;"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sleeping(s.db)      # T1 has written and holds its numbers
    t0 = time.monotonic()
    sql(s.db, "INSERT INTO ratings (year, subject_id, rating) VALUES "
        "(2025, " + ID.format("P1") + ", 'HTTNV')")
    waited = time.monotonic() - t0
    twin(s, c)          # a copy at the commit T2 is in
    out, err = t1.communicate(timeout=30)
    assert t1.returncode == 0, err
    v = verdicts(twin(s, c))
    assert (v[("P2", "LDTT")], v[("P1", "CSTT")]) == ("eligible", "eligible")
    assert waited > 0.3, waited     # T2 waited for T1's commit
    seqs = sql(s.db, "SELECT subject_id = " + ID.format("P2") +
               " FROM elig_log WHERE tbl = 'r' ORDER BY seq")
    assert [r[0] for r in seqs][-2:] == ["t", "f"], seqs


def test_another_programs_writer_and_a_server_never_deadlock(srv):
    """psql writes discipline (0022's trigger: the generations' rows,
    held to its commit), waits, then a person (0024's trigger: the logs'
    lock); the server meanwhile writes a person (the logs' lock, then the
    generations at its commit). Were the generations taken before the
    lock by one and after it by the other, each would wait for the other
    and PostgreSQL would abort one: 0024's version of 0022's trigger
    takes the lock first, so the server's write waits and both land."""
    s, c = srv, srv.login("admin")
    t1 = subprocess.Popen(
        ["psql", "-qAtX", "-v", "ON_ERROR_STOP=1", s.db, "-c",
         "BEGIN; INSERT INTO discipline (subject_id, form, from_date) "
         "VALUES (" + ID.format("P1") + ", 'reprimand', '2025-02-01'); "
         "SELECT pg_sleep(2); UPDATE people SET name = 'Nguyễn Văn Ân' "
         "WHERE id = " + ID.format("P1") + "; COMMIT;"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sleeping(s.db)      # psql holds the generations (and, now, the lock)
    st, _, body = c.post("/api/v1/people", {
        "code": "Q1", "name": "Trịnh Văn Mới", "unit": "A2",
        "category": "employee", "joined": "2020-01-01"})
    out, err = t1.communicate(timeout=30)
    assert t1.returncode == 0, err
    assert st == 201, body
    assert sql(s.db, "SELECT name FROM people WHERE id = " +
               ID.format("P1"))[0][0] == "Nguyễn Văn Ân"
    twin(s, c)
