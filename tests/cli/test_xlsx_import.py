"""thidua import KIND FILE.xlsx: the first sheet of a workbook saved by a
spreadsheet program (openpyxl here: shared strings, dates as serial numbers
with a date format, a leading-zero code as text) imports the same rows as
the equivalent CSV; a bad cell is named FILE:SHEET!CELL, nothing written."""
import datetime
import json
import os
import subprocess

import openpyxl

BIN = os.environ.get("THIDUA_BIN", "build/thidua")

UNITS = "code,name,parent,kind,bloc,military\nZ,Nhà máy Z,,enterprise,,1\nA1,Phân xưởng A1,Z,workshop,sx,1\n"
ROWS = [("0042", "Nguyễn Thị Lan", "A1", datetime.date(2015, 3, 1), "employee"),
        ("P7", "Trần Văn Bình", "A1", datetime.date(1999, 12, 31), "defence_worker"),
        ("P8", "Lê Thu Hà", "Z", datetime.date(2024, 2, 29), "soldier")]


def run(db, *args, check=True):
    p = subprocess.run([BIN, "--db", db, *map(str, args)], capture_output=True, text=True, timeout=60)
    if check:
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    return p


def fresh(tmp_path, name):
    db = str(tmp_path / f"{name}.db")
    run(db, "init")
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    run(db, "import", "units", tmp_path / "units.csv")
    return db


def workbook(path, rows, sheet="Sheet1", blank_at=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(["code", "name", "unit", "joined", "category"])
    for i, r in enumerate(rows):
        if blank_at is not None and i == blank_at:
            ws.append([])
        ws.append(list(r))
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
        for c in row:
            if isinstance(c.value, datetime.date):
                c.number_format = "dd/mm/yyyy"
    wb.save(path)


def people(db):
    return sorted(json.loads(run(db, "--format", "json", "export", "people").stdout), key=lambda p: p["code"])


def test_xlsx_imports_the_same_rows_as_the_csv(tmp_path):
    x = tmp_path / "people.xlsx"
    workbook(x, ROWS)
    a = fresh(tmp_path, "a")
    out = run(a, "import", "people", x)
    assert "3" in out.stdout
    csv = tmp_path / "people.csv"
    csv.write_text("code,name,unit,joined,category\n" + "".join(
        f"{c},{n},{u},{d.isoformat()},{k}\n" for c, n, u, d, k in ROWS), encoding="utf-8")
    b = fresh(tmp_path, "b")
    run(b, "import", "people", csv)
    assert people(a) == people(b)
    got = {p["code"]: p for p in people(a)}
    assert got["0042"]["joined"] == "2015-03-01"      # leading zero kept, serial → date
    assert got["P8"]["joined"] == "2024-02-29"


def test_a_bad_cell_is_named_by_sheet_and_cell(tmp_path):
    rows = list(ROWS) + [("P9", "Đỗ Văn Cường", "A1", "31/02/2020", "employee")]
    x = tmp_path / "people.xlsx"
    # header row 1, data rows 2, 3, a blank row 4, then rows 5, 6 and the bad one at 6?
    workbook(x, rows, sheet="Nhân sự", blank_at=1)
    db = fresh(tmp_path, "c")
    p = run(db, "import", "people", x, check=False)
    assert p.returncode != 0
    # rows: 1 header, 2 0042, 3 blank, 4 P7, 5 P8, 6 P9 (the bad date in column D)
    assert f"{x}:Nhân sự!D6: joined:" in p.stderr, p.stderr
    assert people(db) == []


def test_not_a_workbook(tmp_path):
    x = tmp_path / "people.xlsx"
    x.write_text("code,name\n", encoding="utf-8")
    db = fresh(tmp_path, "d")
    p = run(db, "import", "people", x, check=False)
    assert p.returncode != 0 and "xlsx" in p.stderr


def test_issue_23_words_people_xlsx_sheet1_d7(tmp_path):
    """Issue 23's own words: `thidua import people people.xlsx`, a bad cell
    reported as `people.xlsx:Sheet1!D7` (the file as it was named)."""
    rows = list(ROWS) + [("P9", "Đỗ Văn Cường", "A1", datetime.date(2020, 1, 2), "employee"),
                         ("P10", "Vũ Thị Mai", "A1", datetime.date(2021, 5, 6), "employee"),
                         ("P11", "Phạm Văn Đức", "A1", "2021-02-30", "employee")]
    workbook(tmp_path / "people.xlsx", rows)     # header 1, rows 2..7: the bad date in D7
    db = fresh(tmp_path, "e")
    p = subprocess.run([BIN, "--db", db, "import", "people", "people.xlsx"], cwd=tmp_path,
                       capture_output=True, text=True, timeout=60)
    assert p.returncode != 0
    assert "people.xlsx:Sheet1!D7: joined:" in p.stderr, p.stderr
    assert people(db) == []


def test_a_decomposed_name_in_a_workbook_is_stored_nfc(tmp_path):
    """A name typed decomposed (NFD) in a spreadsheet is stored as the same
    name typed precomposed, as from CSV (textnorm.h)."""
    import unicodedata
    pre = "Nguyễn Thị Lan"
    dec = unicodedata.normalize("NFD", pre)
    assert dec != pre
    x = tmp_path / "people.xlsx"
    workbook(x, [("N1", pre, "A1", datetime.date(2020, 1, 1), "employee"),
                 ("N2", dec, "A1", datetime.date(2020, 1, 1), "employee")])
    db = fresh(tmp_path, "f")
    run(db, "import", "people", x)
    got = {p["code"]: p["name"] for p in people(db)}
    assert got["N1"] == got["N2"] == pre
    assert got["N2"].encode() == pre.encode()
