"""Issue 18, point 6: PostgreSQL faults under a running server. A private
cluster (tools/pgtest.sh) is restarted (`pg_ctl restart -m fast`) and later
stopped under `thidua serve`: no request gets a 500 or libpq's text; reads
after a restart succeed (retried once on a fresh connection); a write is
201 or an honest 503 (outcome unknown is said so); during an outage every
request is 503 with our message and Retry-After; once the cluster is back
everything works again. Each connection runs with synchronous_commit = on
and a statement_timeout (seen in the cluster's statement log)."""
import glob
import json
import os
import subprocess
import uuid

import pytest

from api_support import ROOT, Server, cli, seed

PGTEST = os.path.join(ROOT, "tools", "pgtest.sh")
LIBPQ_WORDS = ("server closed", "terminating connection", "could not connect",
               "no connection to the server", "Connection refused",
               "FATAL", "SSL SYSCALL")


def pg_ctl(datadir, *args):
    pgbin = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    log = os.path.join(os.path.dirname(datadir), "server.log")
    cmd = [os.path.join(pgbin, "pg_ctl"), "-D", datadir, "-l", log, "-w",
           "-t", "60"] + list(args)
    if os.getuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--"] + cmd
    # the postmaster keeps no pipe of ours open (its output goes to log)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=120)
    assert p.returncode == 0, (args, open(log).read()[-2000:])


@pytest.fixture
def cluster(tmp_path):
    base = os.environ.get("THIDUA_TEST_TMP") or str(tmp_path)
    d = os.path.join(base, "pgf-" + uuid.uuid4().hex[:6])
    p = subprocess.run(["sh", PGTEST, "start", d], capture_output=True,
                       text=True)
    assert p.returncode == 0, p.stderr
    try:
        yield p.stdout.strip(), os.path.join(d, "data")
    finally:
        subprocess.run(["sh", PGTEST, "stop", d], capture_output=True)


def no_driver_text(st, body):
    text = json.dumps(body) if not isinstance(body, bytes) else body.decode(
        "utf-8", "replace")
    assert st != 500, (st, text)
    for w in LIBPQ_WORDS:
        assert w not in text, (st, text)


def rating(c, subject, year):
    return c.post("/api/v1/ratings", [{"year": year, "subject": subject,
                                       "rating": "HTXSNV"}])


def test_restart_and_outage_under_a_server(cluster, tmp_path):
    url, datadir = cluster
    seed(url, str(tmp_path))
    # every statement into the cluster's log: the session settings show
    p = subprocess.run(["psql", "-q", url, "-c",
                        "ALTER SYSTEM SET log_statement = 'all'", "-c",
                        "SELECT pg_reload_conf()"], capture_output=True)
    assert p.returncode == 0, p.stderr
    tok = json.loads(cli(url, "--format", "json", "token", "create",
                         "admin").stdout)["token"]
    s = Server(url, str(tmp_path))
    try:
        c = s.client(token=tok)
        # several connections: readers of the pool and the writer
        for _ in range(8):
            st, _, body = c.get("/api/v1/people")
            assert st == 200, body
        st, _, body = rating(c, "P1", 2020)
        assert st == 201, body

        pg_ctl(datadir, "restart", "-m", "fast")
        # reads: retried once on a fresh connection, so all succeed
        for _ in range(12):
            st, _, body = c.get("/api/v1/people")
            no_driver_text(st, body)
            assert st == 200, body
            st, _, body = c.get("/api/v1/units/A1")
            assert st == 200, body
        # a write after the restart: the writer's connection is mended first
        st, _, body = rating(c, "P1", 2021)
        no_driver_text(st, body)
        assert st == 201, body

        # a restart between a write and the next: 201 or an honest 503
        pg_ctl(datadir, "restart", "-m", "fast")
        st, hdrs, body = rating(c, "P2", 2021)
        no_driver_text(st, body)
        assert st in (201, 503), body
        st, _, body = rating(c, "P2", 2022)
        assert st == 201, body

        # an outage: 503 with our message and Retry-After, never a 500
        pg_ctl(datadir, "stop", "-m", "fast")
        for path in ("/api/v1/people", "/api/v1/units/A1"):
            st, hdrs, body = c.get(path)
            no_driver_text(st, body)
            assert st == 503 and "retry-after" in hdrs, (st, body)
            assert body["error"]["code"] == "unavailable", body
        st, hdrs, body = rating(c, "P1", 2023)
        no_driver_text(st, body)
        assert st == 503, body
        st, _, body = s.client().post("/api/v1/session", {
            "login": "admin", "password": "password-admin"})
        no_driver_text(st, body)
        assert st == 503, body

        port = url.rsplit(":", 1)[1].split("/")[0]
        pg_ctl(datadir, "start", "-o", f"-p {port} -k "
               f"{os.path.dirname(datadir)} -c listen_addresses=127.0.0.1 "
               "-c fsync=off -c max_connections=200")
        st, _, body = c.get("/api/v1/people")
        assert st == 200, (body, s.text()[-3000:])
        st, _, body = rating(c, "P1", 2024)
        assert st == 201, body
        st, _, body = c.get("/api/v1/ratings?limit=100")
        got = {(r["subject"], r["year"]) for r in body["items"]}
        assert {("P1", "2020"), ("P1", "2021"), ("P2", "2022"),
                ("P1", "2024")} <= got, got
        assert ("P1", "2023") not in got
        with open(os.path.join(os.path.dirname(datadir), "server.log"),
                  errors="replace") as fh:
            pglog = fh.read()
        assert "SET synchronous_commit = on" in pglog
        assert "set_config('statement_timeout'" in pglog
    finally:
        assert s.stop() == 0, s.text()[-3000:]
    log = s.text()
    assert "AddressSanitizer" not in log and "runtime error" not in log
