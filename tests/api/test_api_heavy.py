"""Issue 22, point 3: heavy requests (reports, downloads, documents) run on
runner threads of their own (src/http-runner.c), their connection
suspended meanwhile, so the request threads keep answering everybody
else's light requests. With one request thread (the default on 2 cores:
two of them answered the summary GETs at a p99 of 7 ms, one at 3.6-4.2
ms, nginx 4.3), a report used to hold that thread for its whole length,
and with it every other connection the thread served.

THIDUA_TEST_LOAD_PAUSE_MS holds a cold report's snapshot load open (as a
million people's load takes seconds: src/store-elig.c)."""
import os
import threading
import time

from api_support import Server, cli
from test_api_cold_report import YEAR, generate

PAUSE_MS = 2500


def make_db(tmp_path):
    db = str(tmp_path / "heavy.db")
    cli(db, "init")
    generate(db, 2000)
    cli(db, "user", "add", "admin", "--role", "admin",
        input="password-admin\n")
    return db


def cold_copy_gone(db):
    copy = f"{db}-elig-{YEAR}"
    if os.path.exists(copy):
        os.unlink(copy)


def gauge(c, name):
    st, _, body = c.request("GET", "/metrics", decode=False)
    assert st == 200, body
    for line in body.decode().splitlines():
        if line.startswith(name + " "):
            return int(float(line.split()[1]))
    raise AssertionError(f"{name} not in /metrics")


def test_light_requests_go_on_while_a_report_runs(tmp_path, monkeypatch):
    db = make_db(tmp_path)
    cold_copy_gone(db)
    monkeypatch.setenv("THIDUA_TEST_LOAD_PAUSE_MS", str(PAUSE_MS))
    srv = Server(db, str(tmp_path), "--threads", "1", "--warm-up", "off")
    try:
        c = srv.login("admin")
        w = srv.login("admin")      # (one request thread: the same one)
        got = {}

        def report():
            t0 = time.monotonic()
            got["st"], _, got["body"] = c.get(
                f"/api/v1/eligibility?year={YEAR}&award=LDTT")
            got["secs"] = time.monotonic() - t0

        th = threading.Thread(target=report)
        th.start()
        time.sleep(0.4)             # the report's load is open by now
        lat = []
        while th.is_alive():
            t0 = time.monotonic()
            st, _, body = w.get("/api/v1/me")
            lat.append(time.monotonic() - t0)
            assert st == 200, body
            time.sleep(0.02)
        th.join()
        assert got["st"] == 200, got["body"]
        assert got["secs"] >= PAUSE_MS / 1000, got["secs"]
        # each answered at once, not after the report (2.5 s)
        assert len(lat) >= 10, lat
        assert max(lat) < 1.0, sorted(lat)[-5:]
        assert got["body"]["results"], got["body"]
    finally:
        assert srv.stop() == 0, srv.text()[-2000:]


def test_heavy_requests_beyond_the_runners_wait_their_turn(
        tmp_path, monkeypatch):
    """--report-requests 1: a second report waits for the first (the
    gauges thidua_http_heavy_waiting and _running say so), then both
    answer, the same document."""
    db = make_db(tmp_path)
    cold_copy_gone(db)
    monkeypatch.setenv("THIDUA_TEST_LOAD_PAUSE_MS", str(PAUSE_MS))
    srv = Server(db, str(tmp_path), "--report-requests", "1",
                 "--warm-up", "off")
    try:
        clients = [srv.login("admin") for _ in range(2)]
        m = srv.login("admin")
        got = [None, None]

        def report(i):
            t0 = time.monotonic()
            st, _, body = clients[i].get(
                f"/api/v1/eligibility?year={YEAR}&award=LDTT")
            got[i] = (st, body, time.monotonic() - t0)

        first = threading.Thread(target=report, args=(0,))
        first.start()
        time.sleep(0.4)
        second = threading.Thread(target=report, args=(1,))
        second.start()
        deadline = time.monotonic() + 2
        waiting = 0
        while waiting == 0 and time.monotonic() < deadline:
            waiting = gauge(m, "thidua_http_heavy_waiting")
            time.sleep(0.05)
        assert waiting == 1
        assert gauge(m, "thidua_http_heavy_running") == 1
        first.join()
        second.join()
        assert got[0][0] == 200 and got[1][0] == 200, got
        assert got[0][1] == got[1][1]
        assert got[0][2] >= PAUSE_MS / 1000, got[0][2]
        assert gauge(m, "thidua_http_heavy_waiting") == 0
        assert gauge(m, "thidua_http_heavy_running") == 0
    finally:
        assert srv.stop() == 0, srv.text()[-2000:]
