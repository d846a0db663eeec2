"""Issue 18, point 8: crash safety. 16 clients write records concurrently
(the group commit's path) while the server is killed with SIGKILL; after a
restart every write that got a 2xx is there with its value, SQLite's
`PRAGMA integrity_check` is ok and `thidua ledger verify` holds. On both
backends."""
import concurrent.futures
import datetime
import json
import signal
import sqlite3
import threading
import time

import pytest

from api_support import Server, cli, make_server, records_of

CLIENTS = 16
PER_CLIENT = 400


def day(k, i):
    return (datetime.date(1990, 1, 1) +
            datetime.timedelta(days=k * PER_CLIENT + i)).isoformat()


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_kill_9_loses_no_acknowledged_write(backend, tmp_path):
    s = make_server(backend, tmp_path)
    tok = json.loads(cli(s.db, "--format", "json", "token", "create",
                         "admin").stdout)["token"]
    acked, lock = {}, threading.Lock()
    killed = threading.Event()

    def writer(k):
        c = s.client(token=tok)
        subject = ("P1", "P2", "P3")[k % 3]
        for i in range(PER_CLIENT):
            if killed.is_set():
                return
            rec = {"subject": subject, "metric": "crash", "date": day(k, i),
                   "value": k * 10000 + i}
            try:
                st, _, _ = c.post("/api/v1/records", rec)
            except OSError:
                return
            if 200 <= st < 300:
                with lock:
                    acked[(subject, rec["date"])] = rec["value"]

    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as ex:
        futs = [ex.submit(writer, k) for k in range(CLIENTS)]
        deadline = time.time() + 60
        while len(acked) < 300 and time.time() < deadline:
            time.sleep(0.02)
        s.proc.send_signal(signal.SIGKILL)
        killed.set()
        for f in futs:
            f.result()
    s.proc.wait()
    s.logf.close()
    assert len(acked) >= 300, len(acked)

    if backend == "sqlite":
        db = sqlite3.connect(s.db)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
    # a restart: the server opens the database again and serves it
    s2 = Server(s.db, str(tmp_path))
    try:
        c = s2.client(token=tok)
        st, _, body = c.get("/api/v1/records?limit=1")
        assert st == 200, body
        got = records_of(c, "crash")
    finally:
        assert s2.stop() == 0, s2.text()[-2000:]
    missing = [k for k in acked if k not in got]
    assert not missing, (len(missing), missing[:10])
    assert all(got[k] == v for k, v in acked.items())
    r = cli(s.db, "--format", "json", "ledger", "verify")
    assert json.loads(r.stdout)["ok"] is True, r.stdout
