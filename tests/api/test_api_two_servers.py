"""Two `thidua serve` processes on one PostgreSQL database behind nginx
(Debian's package) round-robin (issue 20): a login made through one works
through the other, CSRF included; writes acknowledged by either are
there; decisions made at the same moment through different servers leave
one unforked ledger; a write through one server is seen by the next
report from the other; single-record writes through both on the same rows
do not deadlock (issue 22)."""
import os
import random
import shutil
import socket
import subprocess
import threading
import time

import pytest

from api_support import Client, Server, cli, pg_target, seed, token


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


NGINX = """daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 256; }}
http {{
	log_format up '$upstream_addr $request';
	access_log {d}/access.log up;
	client_body_temp_path {d}/tmp;
	proxy_temp_path {d}/tmp;
	fastcgi_temp_path {d}/tmp;
	uwsgi_temp_path {d}/tmp;
	scgi_temp_path {d}/tmp;
	upstream thidua {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}
	server {{
		listen 127.0.0.1:{port};
		location / {{
			proxy_pass http://thidua;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_set_header X-Forwarded-For $remote_addr;
		}}
	}}
}}
"""


@pytest.fixture
def pair(tmp_path):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    assert os.path.exists(nginx), "nginx is not installed (make deps)"
    db = pg_target()
    seed(db, str(tmp_path))
    a, b = Server(db, str(tmp_path)), Server(db, str(tmp_path))
    d = tmp_path / "nginx"
    (d / "tmp").mkdir(parents=True)
    port = free_port()
    (d / "nginx.conf").write_text(NGINX.format(d=d, a=a.port, b=b.port,
                                               port=port))
    ng = subprocess.Popen([nginx, "-p", str(d), "-c", str(d / "nginx.conf")],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield db, a, b, port, d
    ng.terminate()
    ng.wait(timeout=30)
    assert a.stop() == 0, a.text()[-2000:]
    assert b.stop() == 0, b.text()[-2000:]


def login(port, who):
    c = Client(port)
    st, _, body = c.post("/api/v1/session", {"login": who,
                                             "password": f"password-{who}"})
    assert st == 200, body
    return c


def test_two_servers_one_database(pair):
    db, a, b, port, d = pair
    # A cookie session made through nginx: requests alternate between the
    # two servers, and every one is logged in, writes with CSRF too.
    c = login(port, "admin")
    for i in range(6):
        st, _, body = c.get("/api/v1/me")
        assert st == 200 and body["login"] == "admin", body
        st, _, body = c.post("/api/v1/ratings", {
            "year": 2020 + i, "subject": "P1", "rating": "HTTNV"})
        assert st == 201, body
    # Both servers answered logged-in requests (round-robin).
    log = [x for x in (d / "access.log").read_text().splitlines()
           if "/api/v1/session" not in x]
    for s in (a, b):
        assert any(x.startswith(f"127.0.0.1:{s.port} ") for x in log), log
    # The session made through nginx works directly on each server, and
    # so does its CSRF token.
    for i, s in enumerate((a, b)):
        direct = Client(s.port)
        direct.cookie, direct.csrf = c.cookie, c.csrf
        assert direct.get("/api/v1/me")[2]["login"] == "admin"
        st, _, body = direct.post("/api/v1/ratings", {
            "year": 2010 + i, "subject": "P3", "rating": "HTNV"})
        assert st == 201, body
        direct.csrf = "wrong"
        assert direct.post("/api/v1/ratings", {
            "year": 2010, "subject": "P3", "rating": "HTNV"})[0] == 403
    # Writes acknowledged by either are there.
    acked = []

    def writer(k):
        w = login(port, "clerk")
        for n in range(25):
            st, _, _ = w.post("/api/v1/records", {
                "subject": "P1", "metric": f"w{k}", "date":
                f"2025-01-{n + 1:02d}", "value": n})
            if st == 201:
                acked.append((k, n))

    ts = [threading.Thread(target=writer, args=(k,)) for k in range(4)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert len(acked) == 100
    st, _, body = c.get("/api/v1/records?limit=1000")
    assert st == 200 and body["total"] == 100, body
    # A write through one server is seen by the next report from the other.
    c.post("/api/v1/ratings", {"year": 2025, "subject": "P3",
                               "rating": "HTXSNV"})
    for s in (a, b):
        x = s.login("admin")
        st, _, e1 = x.get("/api/v1/eligibility?year=2025&subject=P3&award=GK")
        assert st == 200 and e1["results"][0]["verdict"] == "eligible", e1
    st, _, _ = a.login("admin").post("/api/v1/ratings", {
        "year": 2025, "subject": "P3", "rating": "KHTNV"})
    assert st == 201
    st, _, e2 = b.login("admin").get(
        "/api/v1/eligibility?year=2025&subject=P3&award=GK")
    assert e2["results"][0]["verdict"] == "ineligible", e2


def test_decisions_at_once_through_two_servers(pair):
    db, a, b, port, d = pair
    admin = login(port, "admin")
    rows = [{"year": 2025, "subject": s, "rating": "HTXSNV"}
            for s in ("P1", "P2", "P3")]
    assert admin.post("/api/v1/ratings", rows)[0] == 201
    pids = []
    for subj in (["P1"], ["P3"], ["P2"], ["P1", "P3"]):
        st, _, p = admin.post("/api/v1/proposals", {
            "year": 2025, "award": "GK", "subjects": subj})
        if st != 201:
            continue
        pid = p["proposal"]
        assert admin.post(f"/api/v1/proposals/{pid}/submit")[0] == 200
        assert admin.post(f"/api/v1/proposals/{pid}/review")[0] == 200
        pids.append(pid)
    assert len(pids) >= 3
    servers = [a.login("admin"), b.login("admin")]
    results = []

    def decide(i, pid):
        st, _, body = servers[i % 2].post(
            f"/api/v1/proposals/{pid}/decision",
            {"number": f"{50 + i}/QĐ-Z", "date": "2025-12-20",
             "signer": "Giám đốc"})
        results.append((st, body))

    ts = [threading.Thread(target=decide, args=(i, pid))
          for i, pid in enumerate(pids)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert all(st == 201 for st, _ in results), results
    st, _, led = admin.get("/api/v1/ledger")
    seqs = [e["seq"] for e in led["entries"]]
    assert seqs == list(range(1, len(seqs) + 1))
    assert len({e["prev_hash"] for e in led["entries"]}) == len(seqs)
    st, _, v = admin.get("/api/v1/ledger/verify")
    assert v["ok"] is True, v


def test_record_writes_through_two_servers_do_not_deadlock(tmp_path):
    """Each server runs the single-record POSTs it has queued as one
    batch, one transaction. Two servers' batches writing the same rows in
    different orders would each wait for a row the other holds: PostgreSQL
    finds that cycle only after deadlock_timeout and aborts one batch (it
    is then run again). So a batch takes its rows in the order of their
    keys. deadlock_timeout is 10 s for these servers' sessions: a request
    that took that long met a deadlock."""
    db = pg_target() + "%20-cdeadlock_timeout%3D10s"
    seed(db, str(tmp_path))
    tok = token(db, "writer", "admin")
    servers = [Server(db, str(tmp_path)), Server(db, str(tmp_path))]
    keys = [(s, m, d) for s in ("P1", "P2") for m in ("d1", "d2")
            for d in range(1, 4)]
    slow, statuses = [], []

    def writer(k):
        rnd = random.Random(k)
        c = Client(servers[k % 2].port, token=tok)
        for n in range(60):
            s, m, d = rnd.choice(keys)
            t0 = time.monotonic()
            st, _, _ = c.post("/api/v1/records", {
                "subject": s, "metric": m, "date": f"2025-03-{d:02d}",
                "value": n})
            statuses.append(st)
            if time.monotonic() - t0 > 5:
                slow.append((k, n, time.monotonic() - t0))

    try:
        ts = [threading.Thread(target=writer, args=(k,)) for k in range(24)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        assert statuses.count(201) == 24 * 60, statuses
        assert slow == [], slow
    finally:
        for s in servers:
            assert s.stop() == 0, s.text()[-2000:]
