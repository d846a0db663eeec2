"""The server's pool threads share the connections (issue 22, point 3):
a burst of connections opened at once, as wrk or a busy proxy opens them,
is spread evenly over the pool's threads (/metrics:
thidua_http_connections{thread}), and a client waiting in the kernel's
backlog while the server is at --max-conn gets in once a slot frees.
When the pool threads accepted for themselves, one of two took 54, 66
or 65 of 64 + 2 connections (p99 twice nginx's)."""
import os
import socket
import time

from api_support import make_server

BURST = 64


def pool_conns(s):
    """{thread: open connections} from /metrics, as the admin."""
    c = s.login("admin")
    st, _, body = c.request("GET", "/metrics", decode=False)
    assert st == 200, body
    got = {}
    for line in body.decode().splitlines():
        if line.startswith("thidua_http_connections{"):
            k, v = line.rsplit(" ", 1)
            got[k] = int(float(v))
    return got


def open_sockets(pid):
    """How many sockets the server process holds (/proc/PID/fd)."""
    n = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}").startswith("socket:"):
                n += 1
        except OSError:
            pass                # closed meanwhile
    return n


def healthz(sock):
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
        chunk = sock.recv(4096)
        assert chunk, data
        data += chunk
    assert data.startswith(b"HTTP/1.1 200"), data


def test_a_burst_of_connections_is_shared_evenly(tmp_path):
    s = make_server("sqlite", tmp_path, "--threads", "2")
    socks = []
    try:
        base = open_sockets(s.proc.pid)
        # non-blocking connects in a tight loop: all of them reach the
        # kernel's backlog before the server has looked at the first
        for _ in range(BURST):
            x = socket.socket()
            x.setblocking(False)
            x.connect_ex(("127.0.0.1", s.port))
            socks.append(x)
        # every one accepted and handed over before the first request: a
        # thread inside a slow handler (ASan, a busy machine) is rightly
        # passed over by the acceptor (pick_thread), which is not what
        # this test measures
        deadline = time.time() + 10
        while open_sockets(s.proc.pid) < base + BURST and \
                time.time() < deadline:
            time.sleep(0.02)
        time.sleep(0.1)
        for x in socks:
            x.setblocking(True)
            x.settimeout(10)
            healthz(x)          # accepted, and on the thread it stays on
        # the login and the scrape are one connection each, closed after
        deadline = time.time() + 5
        while True:
            got = pool_conns(s)
            if sum(got.values()) <= BURST + 1 or time.time() > deadline:
                break
            time.sleep(0.05)
        assert len(got) == 2, got
        assert sum(got.values()) == BURST + 1, got
        assert max(got.values()) - min(got.values()) <= 3, got
    finally:
        for x in socks:
            x.close()
        assert s.stop() == 0, s.text()[-2000:]


def test_at_max_conn_the_next_client_waits_then_gets_in(tmp_path):
    s = make_server("sqlite", tmp_path, "--threads", "2", "--max-conn", "4")
    socks = []
    try:
        for _ in range(4):
            x = socket.create_connection(("127.0.0.1", s.port))
            x.settimeout(10)
            healthz(x)
            socks.append(x)
        extra = socket.create_connection(("127.0.0.1", s.port))
        extra.settimeout(0.5)
        extra.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            early = extra.recv(100)
        except socket.timeout:
            early = None
        assert early is None, early     # neither answered nor refused
        socks.pop().close()             # a slot frees: the fifth gets in
        extra.settimeout(10)
        data = extra.recv(100)
        assert data.startswith(b"HTTP/1.1 200"), data
        extra.close()
    finally:
        for x in socks:
            x.close()
        assert s.stop() == 0, s.text()[-2000:]


def test_headers_of_12_kb_are_read_and_of_24_kb_refused(tmp_path):
    """A connection's memory (CONN_MEMORY, http.c) holds a request's
    headers: 12 KB of them (a long cookie jar) are read; 24 KB get 431."""
    s = make_server("sqlite", tmp_path)
    try:
        for pad, want in ((12 * 1024, b"HTTP/1.1 200"),
                          (24 * 1024, b"HTTP/1.1 431")):
            x = socket.create_connection(("127.0.0.1", s.port))
            x.settimeout(10)
            x.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: " +
                      b"a" * pad + b"\r\n\r\n")
            data = x.recv(100)
            assert data.startswith(want), (pad, data)
            x.close()
    finally:
        assert s.stop() == 0, s.text()[-2000:]
