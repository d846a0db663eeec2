"""Issue 18, point 2: slow and large clients. A request's whole time is
limited (--request-time), a Content-Length over the limit is refused
before the body is read, a body is not buffered for a caller who is not
logged in (the login aside), the server-wide budget for buffered bodies
answers 503 + Retry-After when spent, and 200 connections trickling bytes
neither stop /healthz nor grow the server."""
import json
import socket
import threading
import time

from api_support import cli, make_server


def raw(port, head, body=b"", source=None, timeout=10):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    s.sendall(head.encode() + body)
    return s


def read_status(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    line = data.split(b"\r\n", 1)[0].decode()
    return int(line.split()[1]) if line.startswith("HTTP/") else None, data


def token(s, login="admin"):
    return json.loads(cli(s.db, "--format", "json", "token", "create",
                          login).stdout)["token"]


def test_content_length_refused_before_the_body(tmp_path):
    s = make_server("sqlite", tmp_path)
    try:
        tok = token(s)
        # 100 MB announced, nothing sent: the answer comes at once.
        c = raw(s.port, "POST /api/v1/units HTTP/1.1\r\nHost: x\r\n"
                f"Authorization: Bearer {tok}\r\n"
                "Content-Type: application/json\r\n"
                "Content-Length: 100000000\r\n\r\n")
        st, _ = read_status(c)
        assert st == 413
        c.close()
        # The login takes at most 4 KiB.
        c = raw(s.port, "POST /api/v1/session HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/json\r\nContent-Length: 5000\r\n\r\n")
        assert read_status(c)[0] == 413
        c.close()
        # A static path takes no body.
        c = raw(s.port, "POST /index.html HTTP/1.1\r\nHost: x\r\n"
                "Content-Length: 10\r\n\r\n")
        assert read_status(c)[0] == 413
        c.close()
    finally:
        assert s.stop() == 0


def test_no_body_buffered_without_a_login(tmp_path):
    s = make_server("sqlite", tmp_path)
    try:
        # 1 MB announced by nobody: 401 before a byte of it is sent.
        c = raw(s.port, "POST /api/v1/units HTTP/1.1\r\nHost: x\r\n"
                "Content-Type: application/json\r\n"
                "Content-Length: 1000000\r\n\r\n")
        st, data = read_status(c)
        assert st == 401, data
        c.close()
        c = raw(s.port, "POST /api/v1/units HTTP/1.1\r\nHost: x\r\n"
                "Authorization: Bearer not-a-token\r\n"
                "Content-Type: application/json\r\n"
                "Transfer-Encoding: chunked\r\n\r\n")
        assert read_status(c)[0] == 401
        c.close()
    finally:
        assert s.stop() == 0


def test_body_budget_answers_503(tmp_path):
    s = make_server("sqlite", tmp_path, "--body-budget", "100000")
    try:
        tok = token(s)
        head = ("POST /api/v1/units HTTP/1.1\r\nHost: x\r\n"
                f"Authorization: Bearer {tok}\r\n"
                "Content-Type: application/json\r\nContent-Length: 80000\r\n\r\n")
        first = raw(s.port, head, b"[" + b" " * 1000)     # holds 80000
        time.sleep(0.5)
        second = raw(s.port, head)
        st, data = read_status(second)
        assert st == 503, data
        assert b"Retry-After: 5" in data or b"retry-after: 5" in data.lower()
        second.close()
        # The first finishes; its bytes return to the budget.
        body = b"[" + b" " * 1000
        rest = (b'{"code":"B1","name":"x","parent":"Z"}]').ljust(80000 - len(body))
        first.sendall(rest)
        st, data = read_status(first)
        assert st == 201, data
        first.close()
        # The bytes return when the first request has ended (after its
        # answer is sent): a third may need a moment to fit again.
        for _ in range(50):
            third = raw(s.port, head, body + rest)
            st = read_status(third)[0]
            third.close()
            if st != 503:
                break
            time.sleep(0.1)
        assert st == 201
    finally:
        assert s.stop() == 0


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_trickling_clients(tmp_path):
    s = make_server("sqlite", tmp_path, "--request-time", "4")
    socks = []
    stop = threading.Event()
    try:
        for i in range(200):
            c = socket.create_connection(("127.0.0.1", s.port), timeout=30)
            c.sendall(b"POST /api/v1/units HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            socks.append(c)

        def trickle():
            while not stop.is_set():
                for c in socks:
                    try:
                        c.send(b"a")
                    except OSError:
                        pass
                stop.wait(0.5)

        t = threading.Thread(target=trickle)
        t.start()
        worst = 0.0
        for _ in range(5):
            t0 = time.monotonic()
            h = socket.create_connection(("127.0.0.1", s.port), timeout=10)
            h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            st, _ = read_status(h)
            h.close()
            worst = max(worst, time.monotonic() - t0)
            assert st == 200
            time.sleep(0.3)
        assert worst < 1.0, worst
        assert rss_kib(s.proc.pid) < 200 * 1024
        # Past --request-time the server has closed every one of them.
        deadline = time.monotonic() + 20
        closed = 0
        for c in socks:
            c.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                while True:
                    d = c.recv(4096)
                    if not d:
                        break
            except (ConnectionResetError, BrokenPipeError):
                pass
            except socket.timeout:
                continue
            closed += 1
        assert closed == len(socks), closed
        stop.set()
        t.join()
        # The server is still well.
        h = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        h.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert read_status(h)[0] == 200
        h.close()
    finally:
        stop.set()
        for c in socks:
            c.close()
        assert s.stop() == 0
