"""thidua export KIND --format xlsx for every import kind: cells carry
their column's type (numbers as numbers, days as dates, codes with leading
zeros as text) and `thidua import KIND FILE.xlsx` of each workbook into a
fresh database gives back the same rows, on SQLite and PostgreSQL."""
import datetime
import os
import subprocess

import openpyxl

from testbed import ORDER, PEOPLE, UNITS, make_target, run, write


# A leading-zero code and a name that looks like a number: both stay text.
PEOPLE = PEOPLE + "0042,2024,A1,employee,2019-02-28,\n"
ORDER = [(k, PEOPLE if k == "people" else t) for k, t in ORDER]


def csv_all(db):
    out = {}
    for kind, _ in ORDER:
        r = run("export", kind, db=db)
        assert r.code == 0, (kind, r)
        out[kind] = r.out
    # An award's provenance (who imported it, when, from which file) is
    # stamped by each import, never taken from the file: compare the rest.
    out["awards"] = "\n".join(",".join(line.split(",")[:7])
                              for line in out["awards"].splitlines())
    return out


def test_xlsx_round_trip_is_lossless(db, tmp_path, backend):
    for kind, text in ORDER:
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, (kind, r)
    before = csv_all(db)
    files = {}
    for kind, _ in ORDER:
        files[kind] = tmp_path / f"out-{kind}.xlsx"
        r = run("export", kind, "--format", "xlsx", "-o", files[kind], db=db)
        assert r.code == 0, (kind, r)
        assert files[kind].read_bytes()[:2] == b"PK"
    (tmp_path / "other").mkdir()
    other = make_target(backend, tmp_path / "other")
    assert run("init", db=other).code == 0
    for kind, _ in ORDER:
        r = run("import", kind, files[kind], db=other)
        assert r.code == 0, (kind, r)
    assert csv_all(other) == before
    # Re-importing into the same database changes nothing either.
    for kind, _ in ORDER:
        assert run("import", kind, files[kind], db=db).code == 0
    assert csv_all(db) == before


def test_cells_are_typed(db, tmp_path):
    for kind, text in ORDER:
        assert run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db).code == 0
    f = tmp_path / "people.xlsx"
    assert run("export", "people", "--format", "xlsx", "-o", f, db=db).code == 0
    ws = openpyxl.load_workbook(f).active
    head = [c.value for c in ws[1]]
    assert head[:5] == ["code", "name", "unit", "category", "joined"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["0042"][1] == "2024"                      # text, not a number
    assert rows["0042"][4] == datetime.datetime(2019, 2, 28)  # a real date
    assert rows["P003"][5] == datetime.datetime(2024, 5, 31)
    assert rows["P001"][5] is None                         # empty stays empty
    f = tmp_path / "records.xlsx"
    assert run("export", "records", "--format", "xlsx", "-o", f, db=db).code == 0
    vals = [r[3] for r in openpyxl.load_workbook(f).active.iter_rows(min_row=2, values_only=True)]
    assert 1250.5 in vals and all(isinstance(v, (int, float)) for v in vals)


def test_xlsx_to_standard_output(sqlite_db, tmp_path):
    assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=sqlite_db).code == 0
    p = subprocess.run([os.environ.get("THIDUA_BIN", "build/thidua"), "--db", sqlite_db,
                        "export", "units", "--format", "xlsx"], capture_output=True)
    assert p.returncode == 0 and p.stdout[:2] == b"PK"
    (tmp_path / "u.xlsx").write_bytes(p.stdout)
    ws = openpyxl.load_workbook(tmp_path / "u.xlsx").active
    assert "Z121" in [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
