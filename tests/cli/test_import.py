"""Import and export of the organisation kinds on both backends: the
round trip is lossless and identical on SQLite and PostgreSQL, and every
refusal names file:line(:column), says why, and leaves the database
unchanged."""
import os
import re
import json

import pytest

from testbed import make_target, run, write
from testbed import (AWARDS, DISCIPLINE, INCIDENTS, INDICATORS,  # noqa: F401
                     INNOVATIONS, LINKS, ORDER, PEOPLE, PROGRESS, RATINGS,
                     RECORDS, TASKS, UNITS)


def load_all(db, tmp_path):
    for kind, text in ORDER:
        f = write(tmp_path / f"{kind}.csv", text)
        r = run("import", kind, f, db=db)
        assert r.code == 0, (kind, r)


def export_all(db, fmt="csv"):
    out = {}
    for kind, _ in ORDER:
        r = run("export", kind, "--format", fmt, db=db)
        assert r.code == 0, (kind, r)
        out[kind] = r.out
    return out


def unstamped(export):
    """An export pair (csv, json) without the awards' import times."""
    csv, js = (dict(x) for x in export)
    csv["awards"] = re.sub(r",20\d\d-\d\d-\d\dT[0-9:]+Z,", ",T,", csv["awards"])
    js["awards"] = re.sub(r'"imported_at": "[^"]*"', '"imported_at": "T"',
                          js["awards"])
    return csv, js


def test_round_trip_identical_on_both_backends(tmp_path):
    exports = []
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        load_all(db, tmp_path)
        first = export_all(db)
        # Re-import what was exported: nothing changes.
        for kind, _ in ORDER:
            f = write(tmp_path / f"re-{kind}.csv", first[kind])
            r = run("import", kind, f, db=db)
            assert r.code == 0, (kind, r)
        assert export_all(db) == first
        exports.append((first, export_all(db, "json")))
    # The two backends hold the same rows; when each import ran differs.
    assert unstamped(exports[0]) == unstamped(exports[1])
    csv_units = exports[0][0]["units"]
    assert "Công ty Hóa chất 21 (minh họa)" in csv_units
    assert '"Phân xưởng A4, dây nổ"' in csv_units
    assert '"cơ quan ""khối"" 2"' in csv_units
    # military defaults to the parent's
    assert "A1,Phân xưởng A1,Z121,workshop,sản xuất,1" in csv_units
    assert "SK-2024-01,initiative" in exports[0][0]["innovations"]
    assert "P001;P002,120000000" in exports[0][0]["innovations"]
    assert "A1,output,2024-01-31,1250.5" in exports[0][0]["records"]
    js = json.loads(exports[0][1]["people"])
    assert js[0] == {"code": "P001", "name": "Nguyễn Văn Đức", "unit": "A1",
                     "category": "officer", "joined": "2010-03-01",
                     "left": None, "moved": None, "sex": None}


def test_bom_and_crlf_accepted(db, tmp_path):
    f = write(tmp_path / "u.csv", UNITS, bom=True, crlf=True)
    r = run("import", "units", f, db=db)
    assert r.code == 0, r
    assert "5" in r.out
    r = run("export", "units", db=db)
    assert "Z121,Công ty Hóa chất 21 (minh họa),,enterprise,,1" in r.out


def test_transfer_keeps_history(sqlite_db, tmp_path):
    db = sqlite_db
    run("import", "units", write(tmp_path / "u.csv", UNITS), db=db)
    run("import", "people", write(tmp_path / "p.csv", PEOPLE), db=db)
    moved = "code,name,unit,category,joined,moved\nP001,Nguyễn Văn Đức,A4,officer,2010-03-01,2020-06-01\n"
    r = run("import", "people", write(tmp_path / "m.csv", moved), db=db)
    assert r.code == 0, r
    import sqlite3
    con = sqlite3.connect(db)
    rows = con.execute("SELECT u.code, from_date, to_date FROM person_units pu "
                       "JOIN subjects u ON u.id = pu.unit_id JOIN subjects s "
                       "ON s.id = pu.person_id WHERE s.code = 'P001' "
                       "ORDER BY from_date").fetchall()
    assert rows == [("A1", "2010-03-01", "2020-06-01"), ("A4", "2020-06-01", None)]


def snapshot(db):
    return export_all(db)


REFUSALS = [
    # (name, kind, csv text, expected location, expected reason fragment)
    ("bad quoting", "units", 'code,name\nX1,"unterminated\n', "x.csv:", "CSV"),
    ("quote inside field", "units", 'code,name\nX1,ab"c"d\n', "x.csv:2", "CSV"),
    ("wrong column count", "units", "code,name\nX1,a,b\n", "x.csv:2", "số cột"),
    ("unknown column", "units", "code,name,colour\nX1,a,red\n", "x.csv:1:3: colour", "không xác định"),
    ("missing column", "units", "code\nX1\n", "x.csv:1: name", "thiếu cột"),
    ("bad date", "people", "code,name,unit,category,joined\nX2,a,A1,officer,2010-02-30\n", "x.csv:2:5: joined", "2010-02-30"),
    ("unknown enum", "people", "code,name,unit,category,joined\nX2,a,A1,general,2010-02-01\n", "x.csv:2:4: category", "general"),
    ("missing reference", "people", "code,name,unit,category,joined\nX2,a,NOPE,officer,2010-02-01\n", "x.csv:2:3: unit", "NOPE"),
    ("person code equals unit code", "people", "code,name,unit,category,joined\nA4,a,A1,officer,2010-02-01\n", "x.csv:2:1: code", "A4"),
    ("unit code equals person code", "units", "code,name,parent\nP001,a,Z121\n", "x.csv:2:1: code", "P001"),
    ("parent cycle", "units", "code,name,parent\nZ121,a,T-A4-1\n", "x.csv:2:3: parent", "A4"),
    ("self parent", "units", "code,name,parent\nQ1,a,Q1\n", "x.csv:2:3: parent", "Q1"),
    ("bad code", "units", "code,name\nX 1,a\n", "x.csv:2:1: code", "X 1"),
    ("required value", "units", "code,name\nX1,\n", "x.csv:2:2: name", "thiếu giá trị"),
    ("bad number", "records", "subject,metric,date,value\nA1,output,2024-01-01,12a\n", "x.csv:2:4: value", "12a"),
    ("link cycle", "task-links", "task,depends_on\nT1,T3\n", "x.csv:", "T1"),
    ("empty file", "units", "", "x.csv:1", "rỗng"),
]


@pytest.mark.parametrize("name,kind,text,where,why", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refusals_leave_db_unchanged(db, tmp_path, name, kind, text, where, why):
    load_all(db, tmp_path)
    before = snapshot(db)
    f = write(tmp_path / "x.csv", text)
    r = run("import", kind, f, db=db)
    assert r.code == 1, r
    assert where in r.err, r
    assert why in r.err, r
    assert "không có gì được ghi" in r.err
    assert snapshot(db) == before


def test_invalid_utf8_located(db, tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b"code,name\nX1,ab\xff\xfecd\n")
    r = run("import", "units", str(p), db=db)
    assert r.code == 1, r
    assert "x.csv:2:6" in r.err and "UTF-8" in r.err


def test_link_cycle_names_tasks(db, tmp_path):
    load_all(db, tmp_path)
    r = run("import", "task-links", write(tmp_path / "x.csv", "task,depends_on\nT1,T3\n"), db=db)
    assert r.code == 1
    for t in ("T1", "T2", "T3"):
        assert t in r.err


def test_first_twenty_errors_reported_english(db, tmp_path):
    rows = "".join(f"X{i},a,A1,officer,2010-13-01\n" for i in range(30))
    f = write(tmp_path / "x.csv", "code,name,unit,category,joined\n" + rows)
    run("import", "units", write(tmp_path / "u.csv", UNITS), db=db)
    r = run("import", "people", f, db=db, lang="en")
    assert r.code == 1
    lines = [l for l in r.err.splitlines() if "invalid date" in l]
    assert len(lines) == 20
    assert "30 error(s) (first 20 shown); nothing was written" in r.err
    assert "x.csv:2:5: joined: invalid date '2010-13-01'" in r.err


def test_json_report_and_dry_run(db, tmp_path):
    f = write(tmp_path / "u.csv", UNITS)
    r = run("import", "units", f, "--dry-run", "--format", "json", db=db)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["ok"] and doc["dry_run"] and doc["rows"] == 5 and doc["written"] == 0
    assert run("export", "units", db=db).out.strip() == "code,name,parent,kind,bloc,military"
    bad = write(tmp_path / "b.csv", "code,name\nX1,\n")
    r = run("import", "units", bad, "--format", "json", db=db)
    assert r.code == 1
    doc = json.loads(r.out)
    assert doc["errors"][0]["line"] == 2 and doc["errors"][0]["field"] == "name"


def test_exit_codes(tmp_path):
    assert run("no-such-command").code == 2
    assert run("import", "units", db=str(tmp_path / "x.db")).code in (1, 2)
    db = str(tmp_path / "fresh.db")
    assert run("init", db=db).code == 0
    assert run("import", "units", db=db).code == 2
    assert run("import", "nokind", "f.csv", db=db).code == 2
    r = run("import", "units", str(tmp_path / "missing.csv"), db=db)
    assert r.code == 1 and "missing.csv" in r.err
    assert run("export", "units", "--format", "yaml", db=db).code == 2
    r = run("export", "units", db="postgresql://nobody@127.0.0.1:1/none")
    assert r.code == 3, r
    assert run("--help").code == 0
    assert "import" in run("import", "--help").out


def test_uninitialised_database_refused(tmp_path):
    db = str(tmp_path / "never.db")
    r = run("export", "units", db=db)
    assert r.code == 1
    assert "thidua init" in r.err
    import os
    assert not os.path.exists(db)


def test_full_disk_is_an_error(sqlite_db, tmp_path):
    run("import", "units", write(tmp_path / "u.csv", UNITS), db=sqlite_db)
    import subprocess, os
    from testbed import BIN
    with open("/dev/full", "w") as full:
        p = subprocess.run([BIN, "--db", sqlite_db, "export", "units"], stdout=full,
                           stderr=subprocess.PIPE, text=True)
    assert p.returncode == 3, p.stderr


def test_a_large_ratings_file_the_same_on_both_backends(tmp_path):
    """On PostgreSQL a file of ratings (32 rows or more) goes by COPY into
    a staging table and one merge, not a round trip a row (a year's
    ratings of a million people: 86 s -> 18 s). The rows stored must be
    those row by row gives, which SQLite keeps: the last row of a key
    wins, a source given is kept, an empty one is 'import', and a rating
    stored before is replaced (its source_ref with it)."""
    people = ["code,name,unit,category,joined,left"] + [
        f"Q{i:03d},Người {i},A{1 + i % 2},employee,2015-01-01,"
        for i in range(60)]
    units = ("code,name,parent,kind\nZ,Công ty,,enterprise\n"
             "A1,PX A1,Z,workshop\nA2,PX A2,Z,workshop\n")
    first = ["year,subject,rating,source"] + [
        f"2025,Q{i:03d},HTTNV," for i in range(60)]
    ratings = ["year,subject,rating,source"]
    for i in range(60):
        ratings.append(f"2025,Q{i:03d},{('HTNV', 'HTXSNV')[i % 2]},"
                       f"{'hand' if i % 3 == 0 else ''}")
        ratings.append(f"2024,Q{i:03d},KHTNV,")
    for i in range(0, 60, 7):	# a key again, later in the file: it wins
        ratings.append(f"2025,Q{i:03d},HTTNV,council")
    ratings.append("2025,A1,HTXSNV,")
    got = []
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        for kind, text in (("units", units), ("people", "\n".join(people)),
                           ("ratings", "\n".join(first)),
                           ("ratings", "\n".join(ratings))):
            f = write(tmp_path / f"{backend}-{kind}.csv", text + "\n")
            r = run("import", kind, f, db=db)
            assert r.code == 0, (backend, kind, r)
        r = run("export", "ratings", db=db)
        assert r.code == 0, r
        got.append(r.out)
    assert got[0] == got[1]
    rows = {tuple(line.split(",")[:2]): line.split(",")[2:]
            for line in got[0].splitlines()[1:]}
    assert len(rows) == 121
    assert rows[("2025", "Q007")] == ["HTTNV", "council"]
    assert rows[("2025", "Q003")] == ["HTXSNV", "hand"]
    assert rows[("2025", "Q002")] == ["HTNV", "import"]
    assert rows[("2024", "Q010")] == ["KHTNV", "import"]
    assert rows[("2025", "A1")] == ["HTXSNV", "import"]


def test_a_large_awards_file_the_same_on_both_backends(tmp_path):
    """Awards on PostgreSQL go the same way as ratings (32 rows or more:
    staged, one merge with the row-by-row rule): the later row of a key
    wins, empty cells are empty, and a row read back unchanged keeps the
    stamp (file) of the import that brought it while a changed one takes
    the new file's. The same rows on both backends."""
    people = ["code,name,unit,category,joined,left"] + [
        f"Q{i:03d},Người {i},A1,employee,2015-01-01," for i in range(50)]
    units = "code,name,parent,kind\nZ,Công ty,,enterprise\nA1,PX A1,Z,workshop\n"
    first = ["year,subject,award,decision,date,based_on"] + [
        f"2025,Q{i:03d},LDTT,{i}/QĐ-Z,2025-12-20," for i in range(50)]
    second = ["year,subject,award,decision,date,based_on"]
    for i in range(50):
        if i % 2:	# changed: another decision
            second.append(f"2025,Q{i:03d},LDTT,{i}/QĐ-Z-B,2025-12-21,")
        else:		# read back unchanged
            second.append(f"2025,Q{i:03d},LDTT,{i}/QĐ-Z,2025-12-20,")
        second.append(f"2024,Q{i:03d},CSTT,,,")
    second.append("2024,Q005,CSTT,9/QĐ-late,2024-12-01,")	# a key again: it wins
    got = []
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        (tmp_path / backend).mkdir()
        for name, kind, text in (("u", "units", units),
                                 ("p", "people", "\n".join(people)),
                                 ("first", "awards", "\n".join(first)),
                                 ("second", "awards", "\n".join(second))):
            f = write(tmp_path / backend / f"{name}.csv", text + "\n")
            r = run("import", kind, f, db=db)
            assert r.code == 0, (backend, kind, r)
        r = run("export", "awards", "--format", "json", db=db)
        assert r.code == 0, r
        rows = json.loads(r.out)
        rows = rows["awards"] if isinstance(rows, dict) else rows
        for a in rows:
            a.pop("imported_at", None)
            a["file"] = os.path.basename(a.get("file") or "")
        got.append(rows)
    assert got[0] == got[1]
    by = {(a["year"], a["subject"], a["award"]): a for a in got[0]}
    assert len(by) == 100
    k = lambda y, s, w: by[(y, s, w)] if (y, s, w) in by else by[(str(y), s, w)]
    assert k(2025, "Q001", "LDTT")["decision"] == "1/QĐ-Z-B"
    assert k(2025, "Q001", "LDTT")["file"] == "second.csv"
    assert k(2025, "Q002", "LDTT")["decision"] == "2/QĐ-Z"
    assert k(2025, "Q002", "LDTT")["file"] == "first.csv"
    assert k(2024, "Q005", "CSTT")["decision"] == "9/QĐ-late"
    assert not k(2024, "Q006", "CSTT").get("decision")


def elig_generation(db):
    """The "elig" generation (every snapshot of the database is keyed by it)."""
    if db.startswith("postgres"):
        import subprocess
        return subprocess.run(["psql", "-At", db, "-c", "SELECT n FROM generations "
                               "WHERE name = 'elig'"], capture_output=True,
                              text=True, check=True).stdout.strip()
    import sqlite3
    con = sqlite3.connect(db)
    try:
        return str(con.execute("SELECT n FROM generations WHERE name = 'elig'")
                   .fetchone()[0])
    finally:
        con.close()


def test_units_as_stored_write_nothing(db, tmp_path):
    """The unit tree re-imported as it is (kinds, blocs and military marks
    left empty take their defaults: other, none, the parent's) writes no
    row: no generation moves. A changed name, parent, kind, bloc or mark
    is written."""
    tree = ("code,name,parent,kind,bloc,military\nZ,Nhà máy,,enterprise,,1\n"
            "A,Phân xưởng A,Z,workshop,sx,\nB,Phòng B,Z,,,0\nT,Tổ T,A,team,,\n"
            "C,Phân xưởng C,Z,workshop,sx,\n")
    assert run("import", "units", write(tmp_path / "u.csv", tree), db=db).code == 0
    before = elig_generation(db), run("export", "units", db=db).out
    r = run("import", "units", write(tmp_path / "again.csv", tree), db=db)
    assert r.code == 0, r
    assert (elig_generation(db), run("export", "units", db=db).out) == before
    for old, new in (("Tổ T,A,team,,", "Tổ T,C,team,,"), ("Phòng B,Z,,,0", "Phòng B,Z,other,kt,0"),
                     ("Phòng B,Z,,,0", "Phòng B,Z,,,1"), ("Tổ T,A,team", "Tổ Tê,A,team"),
                     ("Phòng B,Z,,,0", "Phòng B,Z,department,,0")):
        gen = elig_generation(db)
        r = run("import", "units", write(tmp_path / "one.csv", tree.replace(old, new)),
                db=db)
        assert r.code == 0, r
        assert elig_generation(db) != gen, new
        r = run("import", "units", write(tmp_path / "back.csv", tree), db=db)
        assert r.code == 0 and run("export", "units", db=db).out == before[1], new


def test_codes_looked_up_by_the_batch(db, tmp_path):
    """A batch of a few rows looks up only the codes it names, 64 a query
    (store-import.c, store_load_subjects_of): each resolved whatever its
    place around a query's end, repeats and codes already met skipped,
    and an unknown one refused at its own line and column."""
    units = "code,name,parent,kind\nZ,Nhà máy,,enterprise\n" + "".join(
        f"W{u},Xưởng {u},Z,workshop\n" for u in range(1, 8))
    assert run("import", "units", write(tmp_path / "u.csv", units), db=db).code == 0
    people = "code,name,unit,category,joined\n" + "".join(
        f"Q{i:03d},Người {i},W{1 + i % 7},employee,2015-01-01\n" for i in range(200))
    assert run("import", "people", write(tmp_path / "p.csv", people), db=db).code == 0
    # 200 people and 7 units, each named twice and out of order: 414 codes
    # of which 207 to look up, across the ends of four queries
    order = [(i * 37) % 200 for i in range(200)]
    rows = [f"2024,Q{i:03d},{('HTXSNV', 'HTTNV', 'HTNV')[i % 3]}" for i in order]
    rows += [f"2024,W{u},HTTNV" for u in range(1, 8)]
    rows += [f"2023,Q{i:03d},HTNV" for i in reversed(order)]
    rows += [f"2023,W{u},HTXSNV" for u in range(7, 0, -1)]
    r = run("import", "ratings", write(tmp_path / "r.csv",
            "year,subject,rating\n" + "\n".join(rows) + "\n"), db=db)
    assert r.code == 0, r
    r = run("export", "ratings", db=db)
    assert r.code == 0, r
    got = sorted(r.out.splitlines()[1:])
    want = sorted([f"2024,Q{i:03d},{('HTXSNV', 'HTTNV', 'HTNV')[i % 3]}"
                   for i in range(200)] + [f"2024,W{u},HTTNV" for u in range(1, 8)]
                  + [f"2023,Q{i:03d},HTNV" for i in range(200)]
                  + [f"2023,W{u},HTXSNV" for u in range(1, 8)])
    assert [",".join(x.split(",")[:3]) for x in got] == want
    # the 65th code to look up unknown: refused at its line, nothing written
    bad = rows[:64] + ["2022,NOPE,HTNV"] + rows[64:130]
    before = run("export", "ratings", db=db).out
    r = run("import", "ratings", write(tmp_path / "b.csv",
            "year,subject,rating\n" + "\n".join(bad) + "\n"), db=db)
    assert r.code == 1, r
    assert "b.csv:66:2: subject" in r.err and "NOPE" in r.err, r.err
    assert run("export", "ratings", db=db).out == before
