"""Operations (issue 20): install like a Debian program, settings from a
file and the environment, backup while serving and restore, `check`.
The server and the installed binary are real; PostgreSQL is the test
cluster's."""
import os
import shutil
import subprocess
import threading
import time
import urllib.request

import pytest

from api_support import BIN, PG, ROOT, Server, cli, seed, make_server  # noqa: F401


def run(*args, env=None, cwd=None, check=False):
    e = dict(os.environ)
    e.pop("THIDUA_DB", None)
    if env:
        e.update(env)
    p = subprocess.run([BIN] + [str(a) for a in args], capture_output=True,
                       text=True, env=e, cwd=cwd, timeout=300)
    if check:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def test_install_and_serve_from_anywhere(tmp_path):
    dest = tmp_path / "x"
    p = subprocess.run(["make", "-s", "install", f"DESTDIR={dest}",
                        "PREFIX=/usr"], cwd=ROOT, capture_output=True,
                       text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    usr = dest / "usr"
    binary = usr / "bin" / "thidua"
    for f in ("share/thidua/web/index.html", "share/thidua/rules/vn-2022.yaml",
              "share/man/man1/thidua.1", "lib/systemd/system/thidua.service",
              "share/doc/thidua/examples/nginx-thidua.conf",
              "share/doc/thidua/examples/thidua.conf"):
        assert (usr / f).is_file(), f
    unit = (usr / "lib/systemd/system/thidua.service").read_text()
    assert "ExecStart=/usr/bin/thidua serve" in unit
    for opt in ("NoNewPrivileges=yes", "ProtectSystem=strict",
                "PrivateTmp=yes", "ReadWritePaths=/var/lib/thidua",
                "User=thidua"):
        assert opt in unit, opt
    # The man page reads (mdoc).
    man = subprocess.run(["groff", "-k", "-mandoc", "-Tutf8", "-P-cbou", "-ww",
                          str(usr / "share/man/man1/thidua.1")],
                         capture_output=True, text=True)
    assert man.returncode == 0 and "SYNOPSIS" in man.stdout, man.stderr
    assert "backup" in man.stdout and "THIDUA_DB" in man.stdout
    # Run from /, far from the source tree: it finds its web app.
    db = tmp_path / "inst.db"
    assert subprocess.run([str(binary), "--db", str(db), "init"],
                          capture_output=True, cwd="/").returncode == 0
    log = open(tmp_path / "serve.log", "w")
    proc = subprocess.Popen([str(binary), "--db", str(db), "serve",
                             "--listen", "127.0.0.1:0"], cwd="/",
                            stdout=subprocess.DEVNULL, stderr=log)
    try:
        port = None
        for _ in range(200):
            text = open(tmp_path / "serve.log").read()
            if "http://127.0.0.1:" in text:
                port = text.split("http://127.0.0.1:")[1].split("/")[0]
                break
            time.sleep(0.05)
        assert port, open(tmp_path / "serve.log").read()
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/").read()
        assert b"<html" in page.lower()
        with open(usr / "share/thidua/web/index.html", "rb") as fh:
            assert page == fh.read()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def test_settings_file_environment_and_flags(tmp_path):
    a, b, c = (tmp_path / f"{n}.db" for n in "abc")
    for db in (a, b, c):
        run("--db", db, "init", check=True)
    p = subprocess.run([BIN, "--db", str(a), "user", "add", "only-in-a",
                        "--role", "admin"], input="password-only\n",
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    conf = tmp_path / "thidua.conf"
    conf.write_text(f"# settings\ndb = {a}\nlang = en\n"
                    "listen = 127.0.0.1:0\nmax-body = 1000\n"
                    "secure-cookies = yes  # behind TLS\n")
    # The file: database and language.
    p = run("--config", conf, "--format", "json", "check")
    assert p.returncode == 0, p.stderr
    p = run("--config", conf, "user", "list")
    assert "only-in-a" in p.stdout, p
    # The environment wins over the file, a flag over both.
    p = run("--config", conf, "user", "list", env={"THIDUA_DB": str(b)})
    assert p.returncode == 0 and "only-in-a" not in p.stdout, p
    p = run("--config", conf, "--db", c, "user", "list",
            env={"THIDUA_DB": str(b)})
    assert p.returncode == 0 and "only-in-a" not in p.stdout, p
    p = run("--config", conf, "--db", a, "user", "list",
            env={"THIDUA_DB": str(b)})
    assert "only-in-a" in p.stdout, p
    p = run("--config", conf, "check", "--bogus")
    assert p.returncode == 2 and "unknown option" in p.stderr, p
    # serve takes its settings from the file: the body limit applies.
    s = subprocess.Popen([BIN, "--config", str(conf), "serve"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    try:
        line = ""
        for _ in range(200):
            line = s.stderr.readline()
            if "http://127.0.0.1:" in line:
                break
        port = line.split("http://127.0.0.1:")[1].split("/")[0]
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/session", data=b"x" * 5000,
            headers={"Content-Type": "application/json"}, method="POST")
        try:
            urllib.request.urlopen(req)
            status = 200
        except urllib.error.HTTPError as err:
            status = err.code
        assert status == 413
        # A boolean setting: session cookies are Secure, __Host- prefixed.
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/session",
            data=b'{"login": "only-in-a", "password": "password-only"}',
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req) as resp:
            cookie = resp.headers["Set-Cookie"]
        assert cookie.startswith("__Host-thidua_session=") and "Secure" in cookie
    finally:
        s.terminate()
        s.wait(timeout=30)
    # A mistake in the file is named by line.
    conf.write_text("db = x\nlisten: 1\n")
    p = run("--config", conf, "check")
    assert p.returncode == 1 and f"{conf}:2" in p.stderr, p
    conf.write_text("db = x\nbogus = 1\n")
    p = run("--config", conf, "check")
    assert p.returncode == 1 and "bogus" in p.stderr, p
    p = run("--config", tmp_path / "missing.conf", "check")
    assert p.returncode == 1, p


RATINGS = "year,subject,rating\n2025,P1,HTXSNV\n2025,P2,HTTNV\n2025,P3,HTTNV\n"


def test_backup_while_serving_restore_and_check(tmp_path):
    srv = make_server("sqlite", tmp_path)
    try:
        f = tmp_path / "r.csv"
        f.write_text(RATINGS)
        cli(srv.db, "import", "ratings", f)
        c = srv.login("admin")
        acked, stop = [], threading.Event()

        def writer():
            w = srv.login("clerk")
            d = 0
            while not stop.is_set() and d < 3000:
                d += 1
                day = f"2024-{1 + d // 28 % 12:02d}-{1 + d % 28:02d}"
                st, _, _ = w.post("/api/v1/records", {
                    "subject": "P1", "metric": f"m{d // 336}", "date": day,
                    "value": d})
                if st == 201:
                    acked.append(d)

        t = threading.Thread(target=writer)
        t.start()
        while len(acked) < 20:
            time.sleep(0.01)
        before = len(acked)
        out = tmp_path / "b.db"
        p = run("--db", srv.db, "--format", "json", "backup", out)
        stop.set()
        t.join()
        assert p.returncode == 0, p.stderr
        assert '"method": "sqlite3_backup (online)"' in p.stdout
        elig = run("--db", srv.db, "--format", "json", "eligibility",
                   "--year", "2025", check=True).stdout
        # A second backup to the same file is refused without --force.
        assert run("--db", srv.db, "backup", out).returncode == 1
    finally:
        assert srv.stop() == 0
    new = tmp_path / "restored.db"
    p = run("--db", new, "--format", "json", "restore", out)
    assert p.returncode == 0, p.stderr
    assert '"ok": true' in p.stdout
    assert run("--db", new, "check").returncode == 0
    assert run("--db", new, "--format", "json", "eligibility", "--year",
               "2025", check=True).stdout == elig
    last = run("--db", new, "--format", "json", "audit", "--limit", "1",
               check=True).stdout
    assert '"action":"restore"' in last.replace(" ", "") and str(out) in last
    n = run("--db", new, "--format", "json", "export", "records",
            check=True).stdout.count('"subject"')
    assert before <= n <= len(acked), (before, n, len(acked))
    # Restoring over data is refused unless --force.
    p = run("--db", new, "restore", out)
    assert p.returncode == 1 and "--force" in p.stderr
    assert run("--db", new, "restore", out, "--force").returncode == 0
    # check finds a damaged ledger (an entry whose hash does not hold).
    import sqlite3
    con = sqlite3.connect(new)
    con.execute("INSERT INTO ledger (seq, kind, decision, date, signer, year, "
                "subject, award, amount, based_on, ref, reason, prev_hash, "
                "hash) VALUES (1, 'award', 'X/1', '2025-12-20', 'x', 2025, "
                "'P1', 'GK', 0, '', NULL, '', ?, 'forged')", ("0" * 64,))
    con.commit()
    con.close()
    p = run("--db", new, "check")
    assert p.returncode == 1 and "ledger" in p.stderr, p


def test_backup_and_restore_on_postgresql(tmp_path):
    if not PG:
        pytest.fail("THIDUA_TEST_PG is not set")
    from api_support import pg_target
    src = pg_target()
    seed(src, str(tmp_path))
    f = tmp_path / "r.csv"
    f.write_text(RATINGS)
    cli(src, "import", "ratings", f)
    out = tmp_path / "pg.dump"
    p = run("--db", src, "--format", "json", "backup", out)
    assert p.returncode == 0 and "pg_dump" in p.stdout, p
    elig = run("--db", src, "--format", "json", "eligibility", "--year",
               "2025", check=True).stdout
    # Into a new database of the same cluster, the same schema name.
    name = "r" + os.urandom(4).hex()
    base, _, opts = src.partition("?")
    subprocess.run(["psql", "-q", PG, "-c", f"CREATE DATABASE {name}"],
                   check=True, capture_output=True)
    dst = base.rsplit("/", 1)[0] + "/" + name + "?" + opts
    p = run("--db", dst, "restore", out)
    assert p.returncode == 0, p
    assert run("--db", dst, "check").returncode == 0
    assert run("--db", dst, "--format", "json", "eligibility", "--year",
               "2025", check=True).stdout == elig
    assert run("--db", src, "restore", out).returncode == 1


def scrape(c):
    st, hdrs, body = c.request("GET", "/metrics")
    assert st == 200, body
    assert hdrs["content-type"].startswith("text/plain")
    text = body.decode() if isinstance(body, bytes) else body
    values = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            k, v = line.rsplit(" ", 1)
            values[k] = float(v)
    return text, values


def test_readyz_and_metrics(anysrv):
    c = anysrv.client()
    st, _, body = c.get("/readyz")
    assert st == 200 and body["ok"] is True, body
    assert c.get("/healthz")[0] == 200
    assert c.get("/metrics")[0] == 401
    assert anysrv.login("clerk").get("/metrics")[0] == 403
    admin = anysrv.login("admin")
    text, v0 = scrape(admin)
    for family in ("thidua_http_requests_total", "thidua_http_request_duration_seconds",
                   "thidua_writer_batch_jobs", "thidua_writer_commit_seconds",
                   "thidua_writer_queue_wait_seconds", "thidua_snapshot_total",
                   "thidua_sessions", "process_resident_memory_bytes"):
        assert f"# TYPE {family} " in text, family
    me = 'thidua_http_requests_total{route="GET /api/v1/me",status="200"}'
    for _ in range(3):
        assert admin.get("/api/v1/me")[0] == 200
    assert admin.post("/api/v1/ratings", {"year": 2025, "subject": "P1",
                                          "rating": "HTTNV"})[0] == 201
    assert admin.get("/api/v1/eligibility?year=2025&subject=P1")[0] == 200
    _, v1 = scrape(admin)
    assert v1[me] - v0.get(me, 0) == 3
    assert v1["thidua_writer_batch_jobs_count"] > v0["thidua_writer_batch_jobs_count"]
    assert v1["thidua_writer_commit_seconds_count"] > v0["thidua_writer_commit_seconds_count"]
    snaps = lambda v: sum(x for k, x in v.items() if k.startswith(  # noqa: E731
        'thidua_snapshot_total{kind="elig"'))
    assert snaps(v1) > snaps(v0)
    assert v1["thidua_sessions"] >= 2
    lat = 'thidua_http_request_duration_seconds_count{route="GET /api/v1/me"}'
    assert v1[lat] - v0.get(lat, 0) == 3
