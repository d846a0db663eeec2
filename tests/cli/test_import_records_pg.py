"""records on PostgreSQL go straight into the table by binary COPY while
they are checked, and through a staging table where a key may already be
stored or repeats (store-import.c). The rows a sequence of imports leaves
are those the SQLite path leaves (the reference, unchanged); a refusal
anywhere in the stream writes nothing; a key another writer stores while
the COPY runs is updated, not a failure."""
import datetime
import subprocess
import time

from testbed import make_target, run, write

UNITS = "code,name,parent,kind\nZ,Nhà máy,,enterprise\nA,Phân xưởng A,Z,workshop\n"
PEOPLE = ("code,name,unit,category,joined\n"
          "P1,Một,A,employee,2010-01-01\nP2,Hai,A,employee,2010-01-01\n"
          "P3,Ba,A,employee,2010-01-01\n")

FIRST = "subject,metric,date,value\n" + "".join(
    f"{p},output,2024-01-{d:02d},{d}.5\n" for p in ("P1", "P2") for d in range(1, 11))

# Each kind of row the writer tells apart: a stored key with a new value,
# days before and after the stored ones, a key twice in the file (the
# later wins), a new key out of date order, a new metric, a stored key
# twice, a unit's record.
SECOND = """subject,metric,date,value
P1,output,2024-01-05,500
P1,output,2023-12-31,-1
P1,output,2024-02-01,7
P1,output,2024-02-01,8
P1,output,2024-01-20,9
P1,output,2024-01-15,10
P3,scrap,2024-01-01,0.25
P2,output,2024-01-03,1e3
P2,output,2024-01-03,1001
P2,output,2024-01-11,3
A,output,2024-01-01,42
"""


def fresh_db(backend, tmp_path):
    db = make_target(backend, tmp_path)
    assert run("init", db=db).code == 0
    for kind, text in (("units", UNITS), ("people", PEOPLE)):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r
    return db


def pg(db, sql):
    return subprocess.run(["psql", "-At", db, "-c", sql], capture_output=True,
                          text=True, check=True).stdout.strip()


def stamps(db):
    """The records generation and the number of import audit entries."""
    return (pg(db, "SELECT n FROM generations WHERE name = 'records'"),
            pg(db, "SELECT COUNT(*) FROM audit WHERE action = 'import'"))


def records(db):
    r = run("export", "records", db=db)
    assert r.code == 0, r
    return r.out


def other_writer(db):
    """Another session storing P1's output of 2024-03-01 and holding its
    transaction open for 2 s (0.8 s given to it to begin): the key an
    import started meanwhile meets at its commit."""
    day = (datetime.date(2024, 3, 1) - datetime.date(1970, 1, 1)).days
    other = subprocess.Popen(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", db, "-c",
         f"BEGIN; INSERT INTO records SELECT id, (SELECT id FROM metrics "
         f"WHERE code = 'output'), {day}, 1 FROM subjects WHERE code = 'P1'; "
         f"SELECT pg_sleep(2); COMMIT;"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.8)
    return other


def test_sequence_leaves_the_rows_sqlite_leaves(tmp_path):
    out = []
    for backend in ("sqlite", "pg"):
        db = fresh_db(backend, tmp_path)
        for i, text in enumerate((FIRST, SECOND, FIRST)):
            before = stamps(db) if backend == "pg" else None
            r = run("import", "records", write(tmp_path / f"r{i}.csv", text), db=db)
            assert r.code == 0, r
            out.append(records(db))
            if before:
                # the snapshot copies see the write; the audit has it
                after = stamps(db)
                assert after[0] != before[0]
                assert int(after[1]) == int(before[1]) + 1
    assert out[:3] == out[3:]
    second = out[1]
    assert "P1,output,2024-01-05,500\n" in second
    assert "P1,output,2023-12-31,-1\n" in second
    assert "P1,output,2024-02-01,8\n" in second
    assert "P1,output,2024-02-01,7\n" not in second
    assert "P2,output,2024-01-03,1001\n" in second
    assert "P3,scrap,2024-01-01,0.25\n" in second
    assert second.count("\n") == 1 + 20 + 7
    # the first file again puts its values back, the others stay
    assert "P1,output,2024-01-05,5.5\n" in out[2]
    assert "P1,output,2024-01-20,9\n" in out[2]


def test_refusal_late_in_the_stream_writes_nothing(tmp_path):
    db = fresh_db("pg", tmp_path)
    r = run("import", "records", write(tmp_path / "a.csv", FIRST), db=db)
    assert r.code == 0, r
    before = records(db), stamps(db)
    # Runs of rows (32768 at a time) and many COPY buffers (64 kB) go to
    # the server before the bad row; new metrics and new days among them.
    rows = [f"P{1 + n % 3},m{n % 2},{datetime.date(1900, 1, 1) + datetime.timedelta(n // 3)},{n}"
            for n in range(100000)]
    rows[90000] = "P1,output,2024-01-02,12a"
    r = run("import", "records", write(tmp_path / "x.csv",
            "subject,metric,date,value\n" + "\n".join(rows) + "\n"), db=db)
    assert r.code == 1, r
    assert "x.csv:90002:4: value" in r.err, r
    assert "12a" in r.err
    assert "không có gì được ghi" in r.err
    assert (records(db), stamps(db)) == before
    assert pg(db, "SELECT string_agg(code, ',') FROM metrics") == "output"


def test_key_stored_meanwhile_is_updated(tmp_path):
    db = fresh_db("pg", tmp_path)
    r = run("import", "records", write(tmp_path / "a.csv", FIRST), db=db)
    assert r.code == 0, r
    # Another writer stores P1's 2024-03-01 after our import read the
    # stored days and before it commits: the COPY meets the key, the rows
    # go through the staging table instead.
    other = other_writer(db)
    r = run("import", "records", write(tmp_path / "b.csv",
            "subject,metric,date,value\nP1,output,2024-02-29,6\n"
            "P1,output,2024-03-01,77\nP1,output,2024-03-02,78\n"), db=db)
    assert other.wait(30) == 0, other.stderr.read()
    assert r.code == 0, r
    out = records(db)
    for row in ("P1,output,2024-02-29,6", "P1,output,2024-03-01,77",
                "P1,output,2024-03-02,78", "P1,output,2024-01-10,10.5"):
        assert row + "\n" in out, out
    assert out.count("\n") == 1 + 20 + 3


def many(n, bad=None):
    rows = [f"P{1 + k % 3},output,{datetime.date(1900, 1, 1) + datetime.timedelta(k // 3)},{k}"
            for k in range(n)]
    for k, text in (bad or {}).items():
        rows[k] = text
    return "subject,metric,date,value\n" + "\n".join(rows) + "\n"


# Refusals past the first run of rows (32768) say what the whole-file path
# says: a malformed CSV alone, else the rows with a wrong number of fields
# (no cell checked), else the cells.
LATE = [
    ("cell then field count", many(70000, {3: "P1,output,1900-01-02,x",
                                           60000: "P1,output,1950-01-01"})),
    ("cell then quote", many(70000, {3: "P1,output,1900-01-02,x",
                                     60000: 'P1,output,1950-01-01,"1'})),
    ("cells in two runs", many(70000, {3: "P1,output,1900-01-02,x",
                                       40000: "P9,output,1950-01-01,1"})),
]


def test_late_refusals_as_on_sqlite(tmp_path):
    for name, text in LATE:
        f = write(tmp_path / "x.csv", text)
        said = []
        for backend in ("sqlite", "pg"):
            db = fresh_db(backend, tmp_path)
            r = run("import", "records", f, db=db)
            assert r.code == 1, (name, r)
            assert records(db) == "subject,metric,date,value\n", name
            said.append(r.err)
        assert said[0] == said[1], name
    assert "x.csv:5:4: value" in said[0] and "x.csv:40002:1: subject" in said[0]


def test_key_stored_meanwhile_in_a_long_file(tmp_path):
    """The COPY fails runs of rows after it started, with metrics added
    since the savepoint: all of it through the staging table, the metrics
    added again; the rows are those SQLite keeps for the same writes."""
    rows = ["P1,output,2024-03-01,77"]
    rows += [f"P{2 + k % 2},new1,{datetime.date(1900, 1, 1) + datetime.timedelta(k // 2)},{k}"
             for k in range(40000)]
    rows += [f"P1,new2,{datetime.date(1900, 1, 1) + datetime.timedelta(k)},{k}.5"
             for k in range(30000)]
    text = "subject,metric,date,value\n" + "\n".join(rows) + "\n"
    other_row = "subject,metric,date,value\nP1,output,2024-03-01,1\n"
    out = []
    for backend in ("sqlite", "pg"):
        db = fresh_db(backend, tmp_path)
        assert run("import", "records", write(tmp_path / "a.csv", FIRST), db=db).code == 0
        if backend == "sqlite":
            assert run("import", "records", write(tmp_path / "o.csv", other_row), db=db).code == 0
            r = run("import", "records", write(tmp_path / "b.csv", text), db=db)
        else:
            other = other_writer(db)
            r = run("import", "records", write(tmp_path / "b.csv", text), db=db)
            assert other.wait(30) == 0, other.stderr.read()
        assert r.code == 0, r
        out.append(records(db))
    assert out[0] == out[1]
    assert "P1,output,2024-03-01,77\n" in out[1]
    assert out[1].count("\n") == 1 + 20 + 70001


def key_oid(db):
    return pg(db, "SELECT 'records_pkey'::regclass::oid")


def test_load_into_an_empty_table_builds_the_key_once(tmp_path):
    """A first run of 10,000 rows or more into an empty records table: the
    key dropped, the rows copied, the key built again (a new index), then
    the staged rows merged; the rows are those SQLite keeps, the key
    refuses a duplicate afterwards."""
    rows = [f"P{1 + k % 3},output,{datetime.date(1900, 1, 1) + datetime.timedelta(k // 3)},{k}"
            for k in range(30000)]
    rows[20000] = "P1,output,1900-01-02,-7"   # a key of the file again: later wins
    rows.append("P2,output,1900-01-01,0.5")   # out of order, after the run
    text = "subject,metric,date,value\n" + "\n".join(rows) + "\n"
    out = []
    for backend in ("sqlite", "pg"):
        db = fresh_db(backend, tmp_path)
        before = key_oid(db) if backend == "pg" else None
        r = run("import", "records", write(tmp_path / "big.csv", text), db=db)
        assert r.code == 0, r
        out.append(records(db))
        if before:
            assert key_oid(db) != before
            dup = subprocess.run(
                ["psql", "-At", db, "-c", "INSERT INTO records SELECT subject_id, "
                 "metric_id, day, 1 FROM records LIMIT 1"], capture_output=True, text=True)
            assert dup.returncode != 0 and "records_pkey" in dup.stderr, dup
    assert out[0] == out[1]
    assert "P1,output,1900-01-02,-7\n" in out[1]
    assert "P2,output,1900-01-01,0.5\n" in out[1]
    assert out[1].count("\n") == 1 + 30000 - 1   # row 20000's own key replaced


def test_load_into_a_table_being_read_keeps_the_key(tmp_path):
    """Another session reading records (its lock held): the key is not
    dropped (no wait for the reader), the rows go in through it."""
    db = fresh_db("pg", tmp_path)
    before = key_oid(db)
    reader = subprocess.Popen(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", db, "-c",
         "BEGIN; SELECT COUNT(*) FROM records; SELECT pg_sleep(6); COMMIT;"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.8)
    t0 = time.monotonic()
    r = run("import", "records", write(tmp_path / "big.csv", many(20000)), db=db)
    took = time.monotonic() - t0
    assert reader.wait(30) == 0, reader.stderr.read()
    assert r.code == 0, r
    assert took < 4.5, took                  # it did not wait for the reader
    assert key_oid(db) == before
    assert records(db).count("\n") == 1 + 20000


def test_large_file_digest_in_the_audit(tmp_path):
    """A source of a megabyte or more has its digest made on a thread
    while the rows go: the audit entry still carries the file's own."""
    import hashlib
    import json
    import sqlite3
    text = many(60000)
    assert len(text.encode()) >= 1 << 20
    want = hashlib.sha256(text.encode()).hexdigest()
    for backend in ("sqlite", "pg"):
        db = fresh_db(backend, tmp_path)
        r = run("import", "records", write(tmp_path / "big.csv", text), db=db)
        assert r.code == 0, r
        q = "SELECT after FROM audit WHERE action = 'import' ORDER BY id DESC LIMIT 1"
        if backend == "pg":
            after = pg(db, q)
        else:
            with sqlite3.connect(db) as con:
                after = con.execute(q).fetchone()[0]
        assert json.loads(after)["sha256"] == want, (backend, after)


def test_refusal_in_an_empty_table_load_keeps_the_key(tmp_path):
    """A refusal after the key was dropped and rows copied: nothing
    written, the key the one it was (the drop undone with the rest)."""
    db = fresh_db("pg", tmp_path)
    before = key_oid(db), stamps(db)
    r = run("import", "records", write(tmp_path / "x.csv",
            many(60000, {50000: "P1,output,2024-01-02,12a"})), db=db)
    assert r.code == 1, r
    assert "x.csv:50002:4: value" in r.err, r
    assert (key_oid(db), stamps(db)) == before
    assert records(db) == "subject,metric,date,value\n"
