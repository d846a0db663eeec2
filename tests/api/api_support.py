"""Helpers for the API tests (their fixtures: tests/api/conftest.py): a
real `thidua serve` on a free loopback port over a fresh database
(SQLite, or PostgreSQL via THIDUA_TEST_PG), seeded with a small unit tree
and one account per role, and a tiny HTTP client on the standard library
(http.client) that keeps a session like a browser or sends a bearer token.

Tree: Z (root) > A1 > A1T; Z > A2. People P1 (A1), P2 (A2), P3 (A1T).
Accounts (password "password-<login>"): admin, council, cmd (commander,
A1), clerk (clerk, A1), viewer (viewer, A1)."""
import http.client
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

# tests/ holds the helpers the CLI tests share (pytest puts it on sys.path;
# tests/soak/soak.py imports this file outside pytest).
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from testbed import BIN, PG, ROOT, pg_target  # noqa: E402,F401

UNITS = """code,name,parent,kind,bloc,military
Z,Nhà máy Z121,,enterprise,,1
A1,Phân xưởng A1,Z,workshop,sx,1
A1T,Tổ A1T,A1,team,sx,1
A2,Phân xưởng A2,Z,workshop,sx,1
"""
PEOPLE = """code,name,unit,category,joined
P1,Nguyễn Văn An,A1,defence_worker,2015-03-01
P2,Trần Thị Bình,A2,employee,2016-05-01
P3,Lê Văn Cường,A1T,soldier,2018-01-01
"""
ROLES = [("admin", "admin", None), ("council", "council", None),
         ("cmd", "commander", "A1"), ("clerk", "clerk", "A1"),
         ("viewer", "viewer", "A1")]


def cli(db, *args, input=None, check=True):
    p = subprocess.run([BIN, "--db", db] + [str(a) for a in args],
                       input=input, capture_output=True, text=True, timeout=120)
    if check:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def sql(db, query):
    """The rows of one SQL statement on db (a SQLite file or a PostgreSQL
    URL), each a list of strings (None for NULL); a failure raises."""
    if db.startswith("postgres"):
        p = subprocess.run(["psql", "-qAtX", "-F", "\t", "-P", "null=\\N",
                            "-v", "ON_ERROR_STOP=1", db, "-c", query],
                           capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError(p.stderr)
        return [[None if c == "\\N" else c for c in line.split("\t")]
                for line in p.stdout.splitlines()]
    con = sqlite3.connect(db)
    try:
        rows = [[None if c is None else str(c) for c in r]
                for r in con.execute(query)]
        con.commit()
    finally:
        con.close()
    return rows


def seed(db, tmp):
    cli(db, "init")
    for kind, text in (("units", UNITS), ("people", PEOPLE)):
        f = os.path.join(tmp, kind + ".csv")
        with open(f, "w", encoding="utf-8") as fh:
            fh.write(text)
        cli(db, "import", kind, f)
    for login, role, unit in ROLES:
        args = ["user", "add", login, "--role", role]
        if unit:
            args += ["--unit", unit]
        cli(db, *args, input=f"password-{login}\n")


class Server:
    def __init__(self, db, tmp, *extra):
        self.db = db
        self.log = os.path.join(tmp, f"serve-{uuid.uuid4().hex[:6]}.log")
        self.logf = open(self.log, "w")
        self.proc = subprocess.Popen(
            [BIN, "--db", db, "serve", "--listen", "127.0.0.1:0"] + list(extra),
            stdout=subprocess.DEVNULL, stderr=self.logf)
        deadline = time.time() + 20
        self.port = None
        while time.time() < deadline and self.port is None:
            m = re.search(r"http://127\.0\.0\.1:(\d+)/", self.text())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        assert self.port, self.text()

    def text(self):
        with open(self.log, encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def stop(self):
        """SIGTERM; returns the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()
        if self.proc.returncode != 0:
            # on a failed stop, the server's own last words (pytest shows
            # them with the failure)
            sys.stderr.write(f"serve exited {self.proc.returncode}; its log "
                             f"ends:\n{self.text()[-3000:]}\n")
        return self.proc.returncode

    def client(self, **kw):
        return Client(self.port, **kw)

    def call(self, token, method, path, body=None):
        """One request with a bearer token: (status, JSON body)."""
        st, _, doc = self.client(token=token).request(method, path, body)
        return st, doc

    def raw(self, token, path):
        """GET path with a bearer token: (status, headers, body bytes)."""
        return self.client(token=token).request("GET", path, decode=False)

    def login(self, login, password=None, **kw):
        c = self.client(**kw)
        st, _, body = c.post("/api/v1/session", {
            "login": login, "password": password or f"password-{login}"})
        assert st == 200, body
        return c


def snapshot_counts(c, kind):
    """(hit, rebuild) of thidua_snapshot_total{kind=KIND} from /metrics,
    asked by client c (an administrator's): answers from what the server
    kept, and those it made again."""
    st, _, body = c.request("GET", "/metrics", decode=False)
    assert st == 200, body
    got = {"hit": 0, "rebuild": 0}
    for line in body.decode().splitlines():
        if line.startswith(f'thidua_snapshot_total{{kind="{kind}"'):
            got["rebuild" if "rebuild" in line else "hit"] = int(
                float(line.rsplit(" ", 1)[1]))
    return got["hit"], got["rebuild"]


def yielded(c):
    """thidua_report_parts_yielded_total from /metrics, asked by client c
    (an administrator's): parts of reports run by their own thread while
    writes flowed (par_yield_to, par.h)."""
    st, _, body = c.request("GET", "/metrics", decode=False)
    assert st == 200, body
    for line in body.decode().splitlines():
        if line.startswith("thidua_report_parts_yielded_total "):
            return int(float(line.split()[1]))
    raise AssertionError("no thidua_report_parts_yielded_total")


def token(db, login, role, *unit):
    """A new account LOGIN with ROLE (and --unit U) and an API token for it."""
    cli(db, "user", "add", login, "--role", role, *unit,
        input=f"password-{login}\n")
    return cli(db, "token", "create", login).stdout.strip().split()[-1]


class Client:
    """Keeps the session cookie and CSRF token like a browser would."""

    def __init__(self, port, token=None, lang=None, source=None):
        self.port = port
        self.cookie = None
        self.csrf = None
        self.token = token
        self.lang = lang
        self.source = source      # local address to connect from (127.0.0.N)

    def request(self, method, path, body=None, headers=None, raw=None,
                ctype="application/json", csrf=True, decode=True):
        """(status, headers, body): the body parsed as JSON when it is
        JSON and decode is true, else its bytes."""
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60,
            source_address=(self.source, 0) if self.source else None)
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        if self.lang:
            h["Accept-Language"] = self.lang
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h.setdefault("X-CSRF-Token", self.csrf)
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
        if data is not None:
            h.setdefault("Content-Type", ctype)
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        payload = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        conn.close()
        sc = hdrs.get("set-cookie")
        m = re.match(r"((?:__Host-)?thidua_session)=([^;]*)", sc or "")
        if m:
            self.cookie = f"{m.group(1)}={m.group(2)}" if m.group(2) else None
        try:
            doc = json.loads(payload) if payload and decode else None
        except ValueError:
            doc = payload
        if not decode:
            doc = payload
        if isinstance(doc, dict) and "csrf" in doc and path == "/api/v1/session":
            self.csrf = doc["csrf"]
        return r.status, hdrs, doc

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def records_of(client, metric):
    """Every record of metric the client may read, paged through
    GET /api/v1/records: {(subject, date): value}."""
    got, offset = {}, 0
    while True:
        st, _, body = client.get(f"/api/v1/records?limit=1000&offset={offset}")
        assert st == 200, body
        for r in body["items"]:
            if r["metric"] == metric:
                got[(r["subject"], r["date"])] = float(r["value"])
        if body["next_offset"] is None:
            return got
        offset = body["next_offset"]


def make_server(backend, tmp_path, *extra):
    db = str(tmp_path / "api.db") if backend == "sqlite" else pg_target()
    seed(db, str(tmp_path))
    return Server(db, str(tmp_path), *extra)

