"""people imports. On PostgreSQL a batch of 32 rows or more goes by COPY
into a staging table and is written by a few set-based statements
(store-import.c, write_people_staged), a batch naming a person twice or
smaller row by row; SQLite goes row by row, a row as stored left alone.
Whatever the path, a sequence of imports leaves the people and the stays
(person_units) that SQLite's row-by-row path leaves: transfers with and
without a day, a day before joining, a move back on a stay's first day,
new people, rows unchanged, a name, leaving day or sex changed."""
import sqlite3
import subprocess
import time

from testbed import make_target, query, run, write

UNITS = ("code,name,parent,kind\nZ,Nhà máy,,enterprise\n"
         "A,Phân xưởng A,Z,workshop\nB,Phân xưởng B,Z,workshop\n")
HEAD = "code,name,unit,category,joined,left,moved,sex\n"


def row(code, unit="A", joined="2010-01-01", left="", moved="", sex="",
        name=None, category="employee"):
    return (f"{code},{name or 'Người ' + code},{unit},{category},{joined},"
            f"{left},{moved},{sex}\n")


# 40 people, joined on different days, some with a leaving day or a sex.
FIRST = HEAD + "".join(
    row(f"P{i:02d}", "A" if i % 3 else "B", f"20{10 + i % 10}-0{1 + i % 9}-15",
        "2024-06-30" if i % 11 == 0 else "", "", ("male", "female", "")[i % 3])
    for i in range(1, 41))

# Every kind of row (no person twice: the staged path).
SECOND = HEAD + "".join([
    *(row(f"P{i:02d}", "A" if i % 3 else "B", f"20{10 + i % 10}-0{1 + i % 9}-15",
          "2024-06-30" if i % 11 == 0 else "", "", ("male", "female", "")[i % 3])
      for i in range(1, 11)),                        # unchanged
    row("P11", "B", "2011-03-15"),                   # A -> B, no day: today
    row("P13", "B", "2013-05-15", moved="2020-06-01"),  # A -> B on a day
    row("P14", "B", "2014-06-15", moved="1999-01-01"),  # A -> B before joining
    row("P16", "A", "2016-08-15", sex="female", name="Đổi Tên"),  # the name only
    row("P17", "A", "2017-09-15", left="2025-01-31"),  # a leaving day
    row("P19", "A", "2019-02-15", sex="male"),       # the sex only
    row("P18", "B", "2018-02-15", sex="male"),       # the joining day only
    row("P21", "B", "2011-04-15", sex="male", category="officer"),  # the category only
    row("P20", "A", "2010-03-15", moved="2021-01-01"),  # same unit, a day given
    row("P22", "A", "2012-05-15", moved="2015-01-01"),  # A -> A: no new stay
    row("P23", "A", "2013-06-15", moved="2015-01-01"),  # A -> A
    row("P25", "B", "2015-08-15", moved="2015-01-01"),  # A -> B before joining
    row("P26", "B", "2016-09-15", moved="2022-02-02"),  # A -> B
    row("P29", "A", "2019-03-15", moved="2023-03-03"),  # A -> A
    row("P30", "A", "2010-04-15", moved="2023-03-03"),  # B -> A
    *(row(f"N{i:02d}", "AB"[i % 2], "2024-01-0" + str(1 + i % 9),
          moved="2024-05-05" if i % 2 else "", sex="male" if i % 3 else "")
      for i in range(1, 21)),                        # new people
])

# P13 back to A on its B stay's first day, P26 on again, new N21..N40:
# more than 32 rows with nobody twice.
THIRD = HEAD + "".join([
    row("P13", "A", "2013-05-15", moved="2020-06-01"),
    row("P26", "A", "2016-09-15", moved="2024-04-04"),
    *(row(f"N{i:02d}", "B", "2025-02-0" + str(1 + i % 9)) for i in range(21, 41)),
    *(row(f"P{i:02d}", "B", "2010-01-01") for i in range(31, 41)),
])

# A person twice (row by row on PostgreSQL too), then a small batch.
FOURTH = HEAD + "".join([
    row("P31", "A", "2010-01-01", moved="2025-05-05"),
    *(row(f"N{i:02d}", "A", "2025-02-0" + str(1 + i % 9), moved="2025-06-06")
      for i in range(21, 56)),
    row("P31", "B", "2010-01-01", moved="2025-07-07"),
])
FIFTH = HEAD + row("P01", "B", "2011-02-15", moved="2026-01-01") + row("X1", "B")

STAYS = ("SELECT s.code, u.code, pu.from_date, COALESCE(pu.to_date, '') "
         "FROM person_units pu JOIN subjects s ON s.id = pu.person_id "
         "JOIN subjects u ON u.id = pu.unit_id ORDER BY 1, 3")


def pg(db, sql):
    return subprocess.run(["psql", "-At", "-F", ",", db, "-c", sql],
                          capture_output=True, text=True, check=True).stdout


def stays(backend, db):
    return "".join(r + "\n" for r in query(db, STAYS))


def people(db):
    r = run("export", "people", db=db)
    assert r.code == 0, r
    return r.out


def test_staged_people_leave_what_row_by_row_leaves(tmp_path):
    seen = {}
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        r = run("import", "units", write(tmp_path / "u.csv", UNITS), db=db)
        assert r.code == 0, r
        out = []
        for i, text in enumerate((FIRST, SECOND, THIRD, FOURTH, FIFTH)):
            r = run("import", "people", write(tmp_path / f"p{i}.csv", text),
                    db=db)
            assert r.code == 0, r
            out.append((people(db), stays(backend, db)))
        if backend == "pg":
            # one audit entry an import, as row by row
            assert pg(db, "SELECT COUNT(*) FROM audit WHERE action = 'import' "
                      "AND kind = 'people'").strip() == "5"
        seen[backend] = out
    assert seen["pg"] == seen["sqlite"]
    after = seen["pg"][1][1]
    # (the tests' today, THIDUA_TODAY, is the day P11's transfer opens)
    assert "P13,A,2013-05-15,2020-06-01\nP13,B,2020-06-01,\n" in after
    assert "P14,B,2014-06-15,\n" in after and "P14,A" not in after
    assert after.count("P22,") == 1 and after.count("P20,") == 1
    assert "N01,B,2024-01-02,\n" in after
    third = seen["pg"][2][1]
    assert "P13,A,2020-06-01,\n" in third and "P13,B" not in third
    fourth = seen["pg"][3][1]
    assert "P31,A,2025-05-05,2025-07-07\nP31,B,2025-07-07,\n" in fourth
    assert "Đổi Tên" in seen["pg"][1][0]
    assert "P11,A,2011-03-15,2026-12-04\nP11,B,2026-12-04,\n" in after


def test_staged_refusal_writes_nothing(tmp_path):
    """A batch big enough to be staged with one refused row (a unit's
    code as a person's) leaves people and stays as they were."""
    db = make_target("pg", tmp_path)
    assert run("init", db=db).code == 0
    assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=db).code == 0
    assert run("import", "people", write(tmp_path / "p.csv", FIRST), db=db).code == 0
    before = people(db), stays("pg", db)
    bad = SECOND.replace("N05,", "A,")   # a unit's code as a person's
    r = run("import", "people", write(tmp_path / "bad.csv", bad), db=db)
    assert r.code == 1, r
    assert (people(db), stays("pg", db)) == before


# A first load of 20,000 people or more: without the foreign keys and the
# indexes but the unique ones while the rows go in, all made again before
# the commit (store-import.c, people_bare_begin).
BARE = 20000
# (sorted by the text itself: inside an aggregate, ORDER BY 1 sorts by the
# constant 1, that is not at all, and the order then followed the plan)
KEYS = ("SELECT string_agg(k, ',' ORDER BY k) FROM "
        "(SELECT conrelid::regclass || ' ' || conname AS k "
        "FROM (SELECT conrelid, conname FROM pg_constraint WHERE conrelid IN "
        "('people'::regclass, 'person_units'::regclass) UNION ALL "
        "SELECT indrelid, indexrelid::regclass::text FROM pg_index WHERE indrelid IN "
        "('people'::regclass, 'person_units'::regclass)) c) k")

# (an index built again has another oid: which load ran bare)
OIDS = ("SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid::regclass::text) "
        "FROM pg_index WHERE NOT indisunique AND indrelid IN "
        "('people'::regclass, 'person_units'::regclass)")


def many(n, unit="A"):
    return HEAD + "".join(row(f"M{i:06d}", unit if i % 7 else "B",
                              f"20{10 + i % 15}-0{1 + i % 9}-1{i % 10}")
                          for i in range(n))


def test_first_load_of_many_people(tmp_path):
    seen = {}
    keys = None
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=db).code == 0
        if backend == "pg":
            keys, oids = pg(db, KEYS), pg(db, OIDS)
        out = []
        for i, text in enumerate((many(BARE), many(BARE + 5, "B"))):
            r = run("import", "people", write(tmp_path / f"m{i}.csv", text), db=db)
            assert r.code == 0, r
            out.append((people(db), stays(backend, db)))
            if backend == "pg":
                # the first load ran bare, the second (people stored) not
                now = pg(db, OIDS)
                assert (now != oids) == (i == 0), (i, oids, now)
                oids = now
        seen[backend] = out
        if backend == "pg":
            # every key and index as before the load, and checked: a person
            # in no unit cannot be written
            assert pg(db, KEYS) == keys
            assert "people_unit_id_fkey" in keys and "people_unit_current" in keys
            bad = subprocess.run(["psql", "-At", db, "-c",
                                  "INSERT INTO person_units VALUES ((SELECT MIN(id) "
                                  "FROM people), 999999, '2030-01-01')"],
                                 capture_output=True, text=True)
            assert bad.returncode != 0 and "foreign key" in bad.stderr, bad
    assert seen["pg"] == seen["sqlite"]
    assert seen["pg"][1][1].count("\n") > BARE + 5


def test_first_load_beside_a_reader_keeps_the_keys(tmp_path):
    """Another session reading person_units: the tables cannot be locked,
    so the keys stay and the rows are checked one by one; the load is
    written all the same."""
    db = make_target("pg", tmp_path)
    assert run("init", db=db).code == 0
    assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=db).code == 0
    keys, oids = pg(db, KEYS), pg(db, OIDS)
    # (the reader stays in its transaction until the import is done: 30 s
    # unless ended by the test)
    reader = subprocess.Popen(
        ["psql", "-q", "-v", "ON_ERROR_STOP=1", db, "-c",
         "BEGIN; LOCK TABLE person_units IN ACCESS SHARE MODE; "
         "SELECT pg_sleep(30) AS import_reader; COMMIT;"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.8)
    r = run("import", "people", write(tmp_path / "m.csv", many(BARE)), db=db)
    waited = reader.poll() is not None
    pg(db, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
       "WHERE query LIKE '%AS import_reader%' AND pid <> pg_backend_pid()")
    reader.wait(30)
    assert not waited, "the import waited for the reader"
    assert r.code == 0, r
    assert (pg(db, KEYS), pg(db, OIDS)) == (keys, oids)
    assert pg(db, "SELECT COUNT(*) FROM people").strip() == str(BARE)


def generation(backend, db):
    sql = "SELECT n FROM generations WHERE name = 'elig'"
    if backend == "pg":
        return pg(db, sql).strip()
    con = sqlite3.connect(db)
    try:
        return str(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def test_rows_as_stored_write_nothing(backend, tmp_path):
    """The roster imported again as it is writes no row: no generation
    moves, so every snapshot and its copy stay current (on SQLite the log
    the copy is rebased from gets no row). One change is written."""
    db = make_target(backend, tmp_path)
    assert run("init", db=db).code == 0
    assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=db).code == 0
    assert run("import", "people", write(tmp_path / "p.csv", FIRST), db=db).code == 0
    before = generation(backend, db), people(db), stays(backend, db)
    log = None if backend == "pg" else sqlite3.connect(db).execute(
        "SELECT COUNT(*) FROM subject_log").fetchone()[0]
    r = run("import", "people", write(tmp_path / "again.csv", FIRST), db=db)
    assert r.code == 0, r
    assert (generation(backend, db), people(db), stays(backend, db)) == before
    if backend == "sqlite":
        assert sqlite3.connect(db).execute(
            "SELECT COUNT(*) FROM subject_log").fetchone()[0] == log
    one = FIRST.replace("Người P07,", "Người Bảy,")
    r = run("import", "people", write(tmp_path / "one.csv", one), db=db)
    assert r.code == 0, r
    assert generation(backend, db) != before[0]
    assert "Người Bảy" in people(db)
