"""The columnar copy of records beside a SQLite database (src/snapcache-col.h):
built by the first evaluation, read by the next ones while the records'
stamp is unchanged, brought up to date after a write of records (the
subjects written, from records_log: tests/cli/test_records_delta.py), and
never trusted when damaged, out of date or unable to hold a row."""
import json
import os
import sqlite3
import struct

from testbed import run, seed_big_movement, seed_movements as seed, write

HEADER = 64
ROW = struct.Struct("<iHHd")          # subject, metric, day, value


def evaluate(db):
    r = run("evaluate", "--movement", "TDQT-2025", "--format", "json", db=db)
    assert r.code == 0, r
    return json.loads(r.out)


def actual(doc, subject, criterion="output"):
    res = {x["subject"]: x for x in doc["results"]}
    return {c["criterion"]: c for c in res[subject]["criteria"]}[criterion]["actual"]


def stamp(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT n FROM generations WHERE name = 'records'").fetchone()[0]


def header(path):
    with open(path, "rb") as f:
        magic, seg, nseg, gen, nrows = struct.unpack("<8sIIqQ", f.read(32))
    return magic, seg, nseg, gen, nrows


def rows(path):
    with open(path, "rb") as f:
        f.seek(HEADER)
        data = f.read()
    return [ROW.unpack_from(data, i) for i in range(0, len(data), ROW.size)]


def tamper(seg, match, value):
    """Set the value of the first row of copy segment seg that match(row)
    accepts, keeping the stamp."""
    data = bytearray(open(seg, "rb").read())
    for i in range(HEADER, len(data), ROW.size):
        row = ROW.unpack_from(data, i)
        if match(*row):
            ROW.pack_into(data, i, *row[:3], value)
            open(seg, "wb").write(bytes(data))
            return
    raise AssertionError(f"no matching row in {seg}")


def ids(db):
    with sqlite3.connect(db) as c:
        subj = dict(c.execute("SELECT code, id FROM subjects"))
        met = dict(c.execute("SELECT code, id FROM metrics"))
    return subj, met


def test_built_then_read_then_rebuilt(sqlite_db, tmp_path):
    db = sqlite_db
    seed(db)
    seg = db + "-records.0"
    assert not os.path.exists(seg)
    first = evaluate(db)
    assert os.path.exists(seg)
    magic, s, nseg, gen, nrows = header(seg)
    assert magic == b"THIDUAR2" and s == 0 and nseg == 1
    assert gen == stamp(db)
    with sqlite3.connect(db) as c:
        assert nrows == c.execute("SELECT COUNT(*) FROM records").fetchone()[0]
        assert rows(seg) == [tuple(r) for r in c.execute(
            "SELECT subject_id, metric_id, day, value FROM records "
            "ORDER BY subject_id, metric_id, day")]
    # the second run reads the copy: the same document
    assert evaluate(db) == first
    assert actual(first, "PX2") == 400

    # proof that the copy is what is read: change one value in the file
    # (keeping its stamp) and the evaluation follows it
    subj, met = ids(db)
    tamper(seg, lambda sid, mid, day, v: sid == subj["PX2"] and mid == met["output"]
           and v == 400, 450.0)
    assert actual(evaluate(db), "PX2") == 450

    # an import of records replaces the stamp: PX2's rows are read again
    # from the database, the tampered value is gone and the new row counts
    old = stamp(db)
    write(tmp_path / "more.csv", "subject,metric,date,value\nPX2,output,2025-10-01,25\n")
    assert run("import", "records", tmp_path / "more.csv", db=db).code == 0
    assert stamp(db) != old
    doc = evaluate(db)
    assert actual(doc, "PX2") == 425


def test_failed_import_keeps_stamp(sqlite_db, tmp_path):
    db = sqlite_db
    seed(db)
    evaluate(db)
    old = stamp(db)
    write(tmp_path / "bad.csv", "subject,metric,date,value\nNOBODY,output,2025-10-01,1\n")
    assert run("import", "records", tmp_path / "bad.csv", db=db).code == 1
    assert stamp(db) == old               # nothing written, copy still current


def test_damaged_or_foreign_copy_is_not_trusted(sqlite_db):
    db = sqlite_db
    seed(db)
    want = evaluate(db)
    seg = db + "-records.0"
    # truncated: the size no longer matches the header's count
    data = open(seg, "rb").read()
    open(seg, "wb").write(data[:-ROW.size])
    assert evaluate(db) == want
    assert os.path.getsize(seg) == len(data)      # rebuilt whole
    # another stamp (a copy of some other database): rebuilt
    data = bytearray(open(seg, "rb").read())
    struct.pack_into("<q", data, 16, stamp(db) ^ 1)
    ROW.pack_into(data, HEADER, *ROW.unpack_from(data, HEADER)[:3], 1e9)
    open(seg, "wb").write(bytes(data))
    assert evaluate(db) == want
    assert header(seg)[3] == stamp(db)


def test_row_that_does_not_fit_means_no_copy(sqlite_db, tmp_path):
    db = sqlite_db
    seed(db)
    # a day before 1970 cannot be held in the copy's 16-bit day: the
    # evaluation still answers from the database, and writes no copy
    write(tmp_path / "old.csv", "subject,metric,date,value\nPX2,output,1969-12-31,7\n")
    assert run("import", "records", tmp_path / "old.csv", db=db).code == 0
    doc = evaluate(db)
    assert actual(doc, "PX2") == 400
    assert not os.path.exists(db + "-records.0")
    assert not [f for f in os.listdir(os.path.dirname(db)) if ".tmp" in f]


def target(doc, subject, criterion="output"):
    res = {x["subject"]: x for x in doc["results"]}
    return {c["criterion"]: c for c in res[subject]["criteria"]}[criterion]["target"]


def test_targets_copy(sqlite_db, tmp_path):
    db = sqlite_db
    seed(db)
    first = evaluate(db)
    with sqlite3.connect(db) as c:
        mv = c.execute("SELECT id FROM movements WHERE code = 'TDQT-2025'").fetchone()[0]
        tgen = c.execute("SELECT n FROM generations WHERE name = 'targets'").fetchone()[0]
        n = c.execute("SELECT COUNT(*) FROM targets WHERE movement_id = ?", (mv,)).fetchone()[0]
    seg = f"{db}-targets-{mv}.0"
    magic, s, nseg, gen, nrows = header(seg)
    assert magic == b"THIDUAR2" and nseg == 1 and nrows <= n and gen != tgen  # mixed with id, version
    assert target(first, "PX2") == 500
    # read from the copy: a changed target in the file shows
    subj, _ = ids(db)
    tamper(seg, lambda sid, crit, day, v: sid == subj["PX2"] and v == 500, 800.0)
    assert target(evaluate(db), "PX2") == 800
    # an import of targets replaces the stamp: rebuilt from the database
    write(tmp_path / "t.csv", "movement,subject,criterion,target\nTDQT-2025,PX2,output,520\n")
    assert run("import", "targets", tmp_path / "t.csv", db=db).code == 0
    assert target(evaluate(db), "PX2") == 520
    # so does a new version of the movement (its criteria are indexed)
    write(tmp_path / "t.csv", "movement,subject,criterion,target\nTDQT-2025,PX2,output,500\n")
    assert run("import", "targets", tmp_path / "t.csv", db=db).code == 0
    assert evaluate(db) == first
    before = header(seg)[3]
    src = open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "data", "movements", "tdqt.yaml")).read()
    write(tmp_path / "v2.yaml", src + "\n# v2\n")
    assert run("movement", "load", tmp_path / "v2.yaml", db=db).code == 0
    assert evaluate(db)["results"] == first["results"]
    assert header(seg)[3] != before


def test_two_segments_big_movement(sqlite_db, tmp_path):
    """Enough participants for the split load: two segments built by two
    connections on two threads, then read by two threads; the warm run
    answers exactly as the cold one, and both follow the database."""
    db = sqlite_db
    n = 5000
    seed_big_movement(db, tmp_path, n=n, records_of=lambda i, code: [
        f"{code},out,2024-12-31,999",          # outside the dates
        f"{code},out,2025-03-0{1 + i % 9},{i % 70}",
        f"{code},out,2025-07-15,{i % 40}",
        f"{code},q,2025-02-01,{i % 13}",
        f"{code},q,2025-11-30,{i % 11}"])      # the last one counts

    def big():
        r = run("evaluate", "--movement", "BIG-2025", "--format", "json", db=db)
        assert r.code == 0, r
        return json.loads(r.out)

    cold = big()
    assert header(db + "-records.0")[2] == 2 and header(db + "-records.1")[2] == 2
    with sqlite3.connect(db) as c:
        mv = c.execute("SELECT id FROM movements WHERE code = 'BIG-2025'").fetchone()[0]
        total = c.execute("SELECT COUNT(*) FROM records").fetchone()[0]
    assert header(f"{db}-targets-{mv}.1")[2] == 2
    assert header(db + "-records.0")[4] + header(db + "-records.1")[4] == total
    warm = big()
    assert warm == cold
    res = {x["subject"]: x for x in cold["results"]}
    assert len(res) == n
    for i in (0, 1, 2345, n - 1):
        crit = {c["criterion"]: c for c in res[f"N{i:05d}"]["criteria"]}
        assert crit["out"]["actual"] == i % 70 + i % 40
        assert crit["last"]["actual"] == i % 11
    # a record written after the copy was made counts at once
    write(tmp_path / "one.csv", "subject,metric,date,value\nN04999,out,2025-12-01,5\n")
    assert run("import", "records", tmp_path / "one.csv", db=db).code == 0
    crit = {c["criterion"]: c for c in
            {x["subject"]: x for x in big()["results"]}["N04999"]["criteria"]}
    assert crit["out"]["actual"] == 4999 % 70 + 4999 % 40 + 5
