"""Soak (issue 18, point 10): `make soak MINUTES=N` runs mixed reads and
writes against a real `thidua serve` (SQLite, or PostgreSQL with
THIDUA_TEST_PG) for N minutes while sampling the server's resident memory
and open file descriptors (/proc/PID/status VmRSS, /proc/PID/fd). It fails
when either keeps growing: after a warm-up (the first quarter), the last
third of the samples must not sit above the middle third by more than
RSS_SLACK (10 % + 8 MiB) or FD_SLACK descriptors, and the last sample must
not be the run's maximum by that margin. Requests must all succeed (no 5xx).
Prints one line per sample and a verdict; exit 0 or 1."""
import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "api"))
from api_support import cli, make_server  # noqa: E402

FD_SLACK = 8


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def nfds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Load:
    """Mixed traffic: lists, reports, search, logins, record writes."""

    def __init__(self, srv, token):
        self.srv, self.token = srv, token
        self.stop = threading.Event()
        self.errors, self.n, self.lock = [], 0, threading.Lock()

    def one(self, c, rnd, k):
        r = rnd.random()
        if r < 0.35:
            i = rnd.randrange(100000)
            d = time.strftime("%Y-%m-%d", time.gmtime(946684800 + i * 86400))
            st, _, body = c.post("/api/v1/records", {
                "subject": rnd.choice(("P1", "P2", "P3")),
                "metric": f"soak{k}", "date": d, "value": i})
        elif r < 0.55:
            st, _, body = c.get("/api/v1/records?limit=50&offset="
                                f"{rnd.randrange(200)}")
        elif r < 0.70:
            st, _, body = c.get("/api/v1/eligibility?year=2025&subject=P1")
        elif r < 0.80:
            st, _, body = c.get("/api/v1/search?q=nguy&type=person")
        elif r < 0.90:
            v = self.srv.client()
            st, _, body = v.post("/api/v1/session", {
                "login": "viewer", "password": "password-viewer"})
            if st == 200:
                v.get("/api/v1/me")
                st, _, body = v.delete("/api/v1/session")
        else:
            st, _, body = c.get("/api/v1/units/A1/summary")
        return st, body

    def worker(self, k):
        rnd = random.Random(k)
        c = self.srv.client(token=self.token)
        while not self.stop.is_set():
            try:
                st, body = self.one(c, rnd, k)
            except OSError as ex:
                st, body = 599, str(ex)
            with self.lock:
                self.n += 1
                if st >= 500 and st != 503:
                    self.errors.append((st, body))


def grows(samples, slack_fn):
    """True when the last third sits above the middle third by the slack."""
    n = len(samples)
    mid, last = samples[n // 3: 2 * n // 3], samples[2 * n // 3:]
    if not mid or not last:
        return False
    base = statistics.median(mid)
    return statistics.median(last) > base + slack_fn(base) and \
        samples[-1] > max(mid) + slack_fn(base)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=5)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--backend", default="pg" if os.environ.get(
        "THIDUA_TEST_PG") else "sqlite")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="thidua-soak.")

    class P(str):
        def __truediv__(self, other):
            return os.path.join(self, other)
    srv = make_server(a.backend, P(tmp))
    token = json.loads(cli(srv.db, "--format", "json", "token", "create",
                           "admin").stdout)["token"]
    load = Load(srv, token)
    threads = [threading.Thread(target=load.worker, args=(k,), daemon=True)
               for k in range(a.clients)]
    for t in threads:
        t.start()
    total = a.minutes * 60
    every = max(1.0, total / 120)
    warm = total / 4
    t0 = time.time()
    rss, fds = [], []
    try:
        while time.time() - t0 < total:
            time.sleep(every)
            r, f = rss_kib(srv.proc.pid), nfds(srv.proc.pid)
            el = time.time() - t0
            print(f"soak: {el:7.1f}s rss {r / 1024:8.1f} MiB fds {f:4d} "
                  f"requests {load.n}", flush=True)
            if el >= warm:
                rss.append(r)
                fds.append(f)
    finally:
        load.stop.set()
        for t in threads:
            t.join(timeout=60)
        rc = srv.stop()
    bad = []
    if rc != 0:
        bad.append(f"server exit status {rc}")
    if load.errors:
        bad.append(f"{len(load.errors)} failed requests, e.g. {load.errors[0]}")
    if grows(rss, lambda b: b * 0.10 + 8192):
        bad.append(f"RSS keeps growing: {rss[len(rss) // 3] // 1024} → "
                   f"{rss[-1] // 1024} MiB")
    if grows(fds, lambda b: FD_SLACK):
        bad.append(f"open fds keep growing: {fds[len(fds) // 3]} → {fds[-1]}")
    if len(rss) < 6:
        bad.append("too few samples (run longer)")
    print(f"soak: {load.n} requests in {total:.0f}s; "
          + ("FAILED: " + "; ".join(bad) if bad else "ok: RSS and fds flat"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
