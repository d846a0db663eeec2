"""The server's warm-up (src/h-warm.c, `serve --warm-up auto|on|off`): as
it starts, on a thread of its own, the server makes what the first
requests would otherwise wait for (at a million people 3.7 s for the
first eligibility, 4.6 s for the exemplars' discovery, 1.5 s for the
first search): the latest rated year's eligibility of every award, that
year's exemplar candidates and the search index. The first requests are
then answered from them, each the CLI's answer for the same question; a
request for one award is answered from the evaluation of every award.
`auto` does it only from 50,000 subjects up, `off` never; a stop waits
for the step under way and skips the rest. After it, a write of the
snapshot's tables has them made again once writes are quiet."""
import json
import os
import time

import pytest

from api_support import Server, cli, snapshot_counts, yielded
from testbed import load_eligibility_data, pg_target, run

YEAR = "2025"       # the latest rated year of tests/data/rules
DONE = ("warmed up for", "đã chuẩn bị sẵn cho năm")


def server(tmp_path, *extra, env=None, backend="sqlite"):
    db = str(tmp_path / "warm.db") if backend == "sqlite" else pg_target()
    cli(db, "init")
    load_eligibility_data(db)
    cli(db, "user", "add", "admin", "--role", "admin",
        input="password-admin\n")
    old = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        return Server(db, str(tmp_path), *extra)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def wait_for(s, texts, secs=30):
    deadline = time.time() + secs
    while time.time() < deadline:
        if any(t in s.text() for t in texts):
            return True
        time.sleep(0.05)
    return False


def awards_of(db):
    doc = json.loads(cli(db, "--format", "json", "eligibility", "--year",
                         YEAR).stdout)
    return sorted({r["award"] for r in doc["results"]})


# (on PostgreSQL too: its snapshot's copy kept in memory, migration 0023)
BACKENDS = pytest.mark.parametrize("backend", ["sqlite", "pg"])


@BACKENDS
def test_on_makes_the_first_answers_before_anyone_asks(tmp_path, backend):
    s = server(tmp_path, "--warm-up", "on", backend=backend)
    try:
        assert wait_for(s, DONE), s.text()
        line = [x for x in s.text().splitlines() if any(t in x for t in DONE)]
        assert f" {YEAR} (" in line[0], line
        c = s.login("admin")
        # made once, by the warm-up, before any request
        assert snapshot_counts(c, "elig-kept") == (0, 1)
        assert snapshot_counts(c, "ex-found")[1] == 1
        awards = awards_of(s.db)
        assert len(awards) > 3, awards
        for a in awards:
            st, _, body = c.get(f"/api/v1/eligibility?year={YEAR}&award={a}")
            assert st == 200, body
            want = json.loads(cli(s.db, "--format", "json", "eligibility",
                                  "--year", YEAR, "--award", a).stdout)
            assert body == want, a
        # every one of them from the warm-up's evaluation of every award
        assert snapshot_counts(c, "elig-kept") == (len(awards), 1)
        st, _, _ = c.get(f"/api/v1/exemplars/discover?year={YEAR}")
        assert st == 200
        assert snapshot_counts(c, "ex-found") == (1, 1)
    finally:
        assert s.stop() == 0, s.text()[-2000:]


def test_off_and_auto_below_its_size_make_nothing(tmp_path):
    for mode in ("off", "auto"):
        (tmp_path / mode).mkdir()
        s = server(tmp_path / mode, "--warm-up", mode)
        try:
            time.sleep(1.0)     # (on, the same data is warm in 0.1 s)
            assert not any(t in s.text() for t in DONE), s.text()
            c = s.login("admin")
            assert snapshot_counts(c, "elig-kept") == (0, 0), mode
            st, _, _ = c.get(f"/api/v1/eligibility?year={YEAR}&award=LDTT")
            assert st == 200
            assert snapshot_counts(c, "elig-kept") == (0, 1), mode
        finally:
            assert s.stop() == 0, s.text()[-2000:]


def test_a_stop_waits_for_the_step_under_way(tmp_path):
    # the snapshot's load made slow (store-elig.c), so the stop comes
    # while the warm-up's first step is under way
    s = server(tmp_path, "--warm-up", "on",
               env={"THIDUA_TEST_LOAD_PAUSE_MS": "1500"})
    time.sleep(0.3)
    t0 = time.monotonic()
    assert s.stop() == 0, s.text()[-2000:]
    waited = time.monotonic() - t0
    done = [x for x in s.text().splitlines() if any(t in x for t in DONE)]
    # the eligibility finished, the rest was skipped
    assert len(done) == 1, s.text()
    assert ("eligibility" in done[0] or "xét điều kiện" in done[0]), done
    assert "search" not in done[0] and "tìm kiếm" not in done[0], done
    assert 0.5 < waited < 20, waited


def test_a_bad_value_is_refused(tmp_path):
    db = str(tmp_path / "bad.db")
    cli(db, "init")
    r = run("serve", "--listen", "127.0.0.1:0", "--warm-up", "maybe", db=db)
    assert r.code == 2, r
    assert "--warm-up" in r.err, r


def wait_counts(c, kind, misses, secs=30):
    deadline = time.time() + secs
    while time.time() < deadline:
        got = snapshot_counts(c, kind)
        if got[1] >= misses:
            return got
        time.sleep(0.1)
    return snapshot_counts(c, kind)


@BACKENDS
def test_made_again_after_writes(tmp_path, backend):
    """After the warm-up the thread stays: once a write of the tables the
    eligibility snapshot reads (here a rating, through the API) has been
    followed by half a second without another, the latest year's
    eligibility and exemplar candidates are made again unasked, and the
    next request is answered from them, with the rating written. Writes
    of other tables (the login's session) make nothing again. The
    snapshot is not loaded whole again: its copy is brought up to date
    from the log of ratings and awards."""
    s = server(tmp_path, "--warm-up", "on", backend=backend)
    try:
        assert wait_for(s, DONE), s.text()
        c = s.login("admin")
        time.sleep(1.0)
        assert snapshot_counts(c, "elig-kept") == (0, 1)
        assert snapshot_counts(c, "ex-found")[1] == 1
        before = json.loads(cli(s.db, "--format", "json", "eligibility",
                                "--year", YEAR, "--award", "LDTT").stdout)
        st, _, body = c.post("/api/v1/ratings",
                             {"year": int(YEAR), "subject": "A4",
                              "rating": "HTXSNV"})
        assert st == 201, body
        assert wait_counts(c, "elig-kept", 2) == (0, 2)
        assert wait_counts(c, "ex-found", 2)[1] == 2
        st, _, body = c.get(f"/api/v1/eligibility?year={YEAR}&award=LDTT")
        assert st == 200, body
        assert snapshot_counts(c, "elig-kept") == (1, 2)    # made, not again
        assert snapshot_counts(c, "elig") == (1, 1)     # the copy, updated
        want = json.loads(cli(s.db, "--format", "json", "eligibility",
                              "--year", YEAR, "--award", "LDTT").stdout)
        assert body == want and body != before
        time.sleep(1.0)             # nothing written since: nothing made
        assert snapshot_counts(c, "elig-kept") == (1, 2)
    finally:
        assert s.stop() == 0, s.text()[-2000:]


def test_a_request_waits_for_what_is_being_made(tmp_path):
    """A request that finds no evaluation kept, while one it could be
    answered from is being made (here by the warm-up after a person is
    hired, its load of the snapshot made slow), waits for it and takes it
    instead of making the same one beside it: whichever of the two starts
    first makes it, the other takes it, so one is made (a hit and a
    rebuild more), not two."""
    s = server(tmp_path, "--warm-up", "on",
               env={"THIDUA_TEST_LOAD_PAUSE_MS": "1500"})
    try:
        assert wait_for(s, DONE, 60), s.text()
        c = s.login("admin")
        assert snapshot_counts(c, "elig-kept") == (0, 1)
        st, _, body = c.post("/api/v1/people",
                             {"code": "A9", "name": "Ngô Văn Mới",
                              "unit": "A", "category": "employee",
                              "joined": "2020-01-01"})
        assert st in (200, 201), body
        time.sleep(1.0)     # (the warm-up's load under way: 0.5 s, 1.5 s)
        st, _, body = c.get(f"/api/v1/eligibility?year={YEAR}&award=LDTT")
        assert st == 200, body
        deadline = time.time() + 30
        while sum(snapshot_counts(c, "elig-kept")) < 3 and \
                time.time() < deadline:
            time.sleep(0.1)
        assert snapshot_counts(c, "elig-kept") == (1, 2)
        want = json.loads(cli(s.db, "--format", "json", "eligibility",
                              "--year", YEAR, "--award", "LDTT").stdout)
        assert body == want
    finally:
        assert s.stop() == 0, s.text()[-2000:]


def report_threads_seen(pid):
    """The server's threads below its own priority (par.h's background:
    the report pool's workers, which stay once made, and the runner
    threads the reports run on, src/http-runner.c)."""
    def nice(path):
        with open(path) as f:
            # (the command name may hold spaces: fields after its ')')
            return int(f.read().rsplit(")", 1)[1].split()[16])
    base = nice(f"/proc/{pid}/stat")
    return sum(1 for t in os.listdir(f"/proc/{pid}/task")
               if nice(f"/proc/{pid}/task/{t}/stat") > base)


def test_report_threads_cap_a_reports_threads(tmp_path):
    """`--report-threads N`: a report loads and evaluates on N threads (its
    own and a pool of N - 1), below the requests' priority (by default as
    many as the cores, one fewer while writes flow: the next test). A pool
    worker stays once made, so after one report the pool's size shows,
    beside the one runner thread (--report-requests 1) the report ran on."""
    for n, workers in (("1", 0), ("3", 2)):
        (tmp_path / n).mkdir()
        s = server(tmp_path / n, "--warm-up", "off", "--report-threads", n,
                   "--report-requests", "1")
        try:
            c = s.login("admin")
            st, _, body = c.get(f"/api/v1/eligibility?year={YEAR}")
            assert st == 200, body
            assert report_threads_seen(s.proc.pid) == workers + 1, n
        finally:
            assert s.stop() == 0, s.text()[-2000:]
    db = str(tmp_path / "1" / "warm.db")
    for bad in ("-1", "65", "two"):
        r = cli(db, "serve", "--report-threads", bad, check=False)
        assert r.returncode == 2 and "--report-threads" in r.stderr, \
            (bad, r.returncode, r.stderr)


def test_reports_leave_a_core_to_flowing_writes(tmp_path):
    """While writes are flowing (four answered within a second) a report
    leaves one core idle: the parts it would hand to the last idle worker
    (here the snapshot's side load on a second connection) it runs itself,
    counted in /metrics. After one write, or none, it has every worker (a
    clerk's write and the report asked right after are not a flow). The
    answers are the CLI's either way."""
    s = server(tmp_path, "--warm-up", "off", "--report-threads", "2")
    hired = iter(range(100))

    def hire():
        k = next(hired)
        st, _, body = c.post("/api/v1/people", {
            "code": f"H{k}", "name": f"Ngô Văn Mới {k}", "unit": "A",
            "category": "employee", "joined": "2020-01-01"})
        assert st in (200, 201), body

    def report():
        st, _, body = c.get(f"/api/v1/eligibility?year={YEAR}")
        assert st == 200, body
        want = json.loads(cli(s.db, "--format", "json", "eligibility",
                              "--year", YEAR).stdout)
        assert body == want
    try:
        c = s.login("admin")
        hire()
        report()
        assert yielded(c) == 0      # one write: the pool's worker taken
        for _ in range(4):
            hire()
        report()
        n = yielded(c)
        assert n > 0
        time.sleep(1.2)             # the flow over: the worker again
        hire()
        report()
        assert yielded(c) == n
    finally:
        assert s.stop() == 0, s.text()[-2000:]
