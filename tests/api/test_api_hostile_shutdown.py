"""Issue 18, point 4: SIGTERM under load (large imports queued on the
writer, suspended requests, logins between their two writes) finishes or
refuses the work, frees nothing still in use (run under ASan by
`make test-asan`) and exits 0; every acknowledged import is there."""
import concurrent.futures
import json
import sqlite3
import time

from api_support import cli, make_server


def units_csv(prefix, n):
    rows = [f"{prefix}{i},Đơn vị {prefix} {i},Z" for i in range(n)]
    return ("code,name,parent\n" + "\n".join(rows) + "\n").encode()


def test_sigterm_under_load(tmp_path):
    s = make_server("sqlite", tmp_path)
    tok = json.loads(cli(s.db, "--format", "json", "token", "create",
                         "admin").stdout)["token"]
    acked = []

    def importer(k):
        c = s.client(token=tok)
        try:
            st, _, body = c.request("POST", "/api/v1/units",
                                    raw=units_csv(f"S{k}X", 20000),
                                    ctype="text/csv")
        except OSError:
            return None
        if st in (200, 201):
            acked.append(k)
        return st

    def login(_):
        try:
            return s.client().post("/api/v1/session", {
                "login": "clerk", "password": "password-clerk"})[0]
        except OSError:
            return None

    with concurrent.futures.ThreadPoolExecutor(16) as ex:
        futs = [ex.submit(importer, k) for k in range(8)]
        futs += [ex.submit(login, k) for k in range(8)]
        time.sleep(0.3)
        s.proc.send_signal(15)
        codes = [f.result() for f in futs]
    rc = s.stop()
    log = s.text()
    assert "AddressSanitizer" not in log and "runtime error" not in log, log[-4000:]
    assert rc == 0, log[-2000:]
    for c in codes:
        assert c in (None, 200, 201, 401, 429, 503), codes
    db = sqlite3.connect(s.db)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for k in acked:
        n = db.execute("SELECT COUNT(*) FROM subjects WHERE code LIKE ?",
                       (f"S{k}X%",)).fetchone()[0]
        assert n == 20000, (k, n)
    db.close()
