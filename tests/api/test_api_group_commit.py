"""Issue 22, point 4: single records are committed in batches without a
savepoint per job (http.c's run_plain). A record whose write fails midway
(here its audit row, refused by a trigger after the record itself was
written) must take nothing of itself into the database and nothing away
from the records batched with it: the batch runs again, each job in its
savepoint. Every acknowledged record is stored and audited, none of the
refused ones is. On both backends. And the WAL behind the group commit
stays short (the checkpointer's frames)."""
import concurrent.futures
import datetime
import json
import os
import threading

import pytest

from api_support import cli, make_server, records_of, sql

CLIENTS = 16
PER_CLIENT = 60
BAD = "P2"

TRIGGER = {
    "sqlite": [
        f"CREATE TRIGGER t_fail BEFORE INSERT ON audit WHEN NEW.subject = "
        f"'{BAD}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END",
    ],
    "pg": [
        "CREATE FUNCTION t_fail() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF NEW.subject = '{BAD}' THEN RAISE EXCEPTION "
        "'refused by the test'; END IF; RETURN NEW; END $$",
        "CREATE TRIGGER t_fail BEFORE INSERT ON audit FOR EACH ROW "
        "EXECUTE FUNCTION t_fail()",
    ],
}


def day(k, i):
    return (datetime.date(1980, 1, 1) +
            datetime.timedelta(days=k * PER_CLIENT + i)).isoformat()


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_a_record_failing_midway_spoils_no_other(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        for q in TRIGGER[backend]:
            sql(s.db, q)
        tok = json.loads(cli(s.db, "--format", "json", "token", "create",
                             "admin").stdout)["token"]
        acked, refused, other = {}, [], []
        lock = threading.Lock()

        def writer(k):
            c = s.client(token=tok)
            for i in range(PER_CLIENT):
                subject = ("P1", BAD, "P3")[(k + i) % 3]
                rec = {"subject": subject, "metric": "batch",
                       "date": day(k, i), "value": k * 1000 + i}
                st, _, body = c.post("/api/v1/records", rec)
                with lock:
                    if st == 201:
                        acked[(subject, rec["date"])] = rec["value"]
                    elif subject == BAD and st == 500:
                        refused.append(rec["date"])
                    else:
                        other.append((subject, st, body))

        with concurrent.futures.ThreadPoolExecutor(CLIENTS) as ex:
            for f in [ex.submit(writer, k) for k in range(CLIENTS)]:
                f.result()
        assert not other, other[:5]
        assert refused and all(k[0] != BAD for k in acked)
        assert len(acked) + len(refused) == CLIENTS * PER_CLIENT

        c = s.client(token=tok)
        got = records_of(c, "batch")
        assert got == {k: float(v) for k, v in acked.items()}
        audited = sql(s.db, "SELECT subject, after FROM audit WHERE kind = "
                      "'records' AND after LIKE '%\"batch\"%'")
        assert sorted(a[0] for a in audited) == sorted(k[0] for k in acked)
        # the writes went in batches of several (else nothing was shared)
        st, _, text = c.request("GET", "/metrics", decode=False)
        assert st == 200
        n = jobs = 0
        for line in text.decode().splitlines():
            if line.startswith("thidua_writer_batch_jobs_count"):
                n = float(line.split()[1])
            elif line.startswith("thidua_writer_batch_jobs_sum"):
                jobs = float(line.split()[1])
        assert n > 0 and jobs / n > 1.0, (jobs, n)
    finally:
        assert s.stop() == 0, s.text()[-2000:]


def test_the_wal_stays_short(tmp_path):
    """The server's checkpointer copies the WAL back every 150 frames
    (http.c's CKPT_FRAMES), so the WAL, reused from its start after each
    checkpoint, stays a few hundred pages long under a stream of writes:
    a long checkpoint's fsync of the database held the commits' fsyncs
    behind it (p99 8.5-10.4 ms at 1000 frames, 6.8-6.9 ms at 150, under
    bench-http.sh's 64 connections). 600 records, one request each, from
    4 clients, write over a thousand frames."""
    s = make_server("sqlite", tmp_path)
    try:
        tok = json.loads(cli(s.db, "--format", "json", "token", "create",
                             "admin").stdout)["token"]
        bad = []

        def writer(k):
            c = s.client(token=tok)
            for i in range(150):
                st, _, body = c.post("/api/v1/records", {
                    "subject": ("P1", "P3")[i % 2], "metric": "wal",
                    "date": (datetime.date(1990, 1, 1) + datetime.timedelta(
                        days=k * 150 + i)).isoformat(), "value": i})
                if st != 201:
                    bad.append((st, body))

        with concurrent.futures.ThreadPoolExecutor(4) as ex:
            for f in [ex.submit(writer, k) for k in range(4)]:
                f.result()
        assert not bad, bad[:3]
        wal = os.path.getsize(s.db + "-wal")
        page = 4096 + 24        # (a frame: its header and one page)
        # (about 170 frames here, 1,030 at 1000 a checkpoint; room for a
        # checkpointer slowed on a busy machine)
        assert wal < 800 * page, wal
        c = s.client(token=tok)
        assert len(records_of(c, "wal")) == 600
    finally:
        assert s.stop() == 0, s.text()[-2000:]
