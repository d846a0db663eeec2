#!/usr/bin/python3
"""post-latency.py PORT TOKEN YEAR OUT START EVERY (--count N | --while PID):
POST /api/v1/records one at a time on one kept-alive connection (as the
web app's browser does), one every EVERY milliseconds (or at once when
the last took longer: a steady stream of clerks, not a flood that takes
the report's core), and append each one's latency in seconds, from
the request's first byte sent to the response's last byte read, to OUT.
START numbers the records (each POST writes a record of its own).
--count N: N POSTs. --while PID: POSTs until process PID has exited.
Prints the number of POSTs made, then the number that failed (non-2xx or
a broken connection: a fresh connection is opened and the next goes on).

bench-after-write.sh part (b) used a fresh curl process for each POST:
the process's start and the connection's set-up fell inside the figure,
on a 2-core machine whose other core ran the report, and the p99 of the
same code moved from 1.4 to 2.8 ms between runs."""
import http.client
import json
import os
import sys
import time


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # (a child that exited and was not yet reaped is a zombie: gone)
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return False


def main():
    port, token, year, out, start = sys.argv[1:6]
    every = float(sys.argv[6]) / 1000
    mode, arg = sys.argv[7], int(sys.argv[8])
    n, year, fails = int(start), int(year), 0
    head = {"Authorization": "Bearer " + token,
            "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", int(port), timeout=60)
    lat = []
    made = 0
    due = time.monotonic()
    while (made < arg) if mode == "--count" else alive(arg):
        n += 1
        due += every
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        else:
            due -= wait	# (late: the stream goes on from now)
        body = json.dumps({
            "subject": "P%07d" % (n % 1000), "metric": "output",
            "date": "%d-%02d-%02d" % (year, 1 + n // 28 % 9, 1 + n % 28),
            "value": n})
        try:
            t0 = time.perf_counter()
            conn.request("POST", "/api/v1/records", body, head)
            r = conn.getresponse()
            r.read()
            t1 = time.perf_counter()
            if r.status // 100 == 2:
                lat.append(t1 - t0)
            else:
                fails += 1
        except (OSError, http.client.HTTPException):
            fails += 1
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", int(port),
                                              timeout=60)
        made += 1
    conn.close()
    with open(out, "a") as f:
        f.writelines("%.6f\n" % x for x in lat)
    print(made, fails)
    return 0


if __name__ == "__main__":
    sys.exit(main())
