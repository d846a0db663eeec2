"""Spreadsheet-safe CSV (issue 18, point 9): a text cell that a
spreadsheet would run as a formula (= + - @, tab, CR at the start) is
exported with a leading apostrophe and imported back to the same value;
numbers are decimal only (0x10, inf, nan refused with the cell's place)."""
import csv
import io
import json
import re

import pytest

from testbed import run, write

UNITS = "code,name,parent\nZ1,Công ty,\nA1,Phân xưởng A1,Z1\n"
NASTY = ["=1+1", '=HYPERLINK("http://x.invalid/","x")', "+SUM(1+1)",
         "-2+3", "@cmd", "\tTab", "\rCR", "'=quoted", "''+twice", "'plain",
         "-", "-5", "Nguyễn = Văn", "a,b"]


FORMULA = tuple("=+-@\t\r")


def spreadsheet_cell(v):
    """The documented form: a leading apostrophe before a formula start (or
    before apostrophes followed by one); a plain decimal number stays."""
    if v.lstrip("'").startswith(FORMULA):
        if v.startswith("'") or not re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", v):
            return "'" + v
    return v


def people_csv():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    w.writerow(["code", "name", "unit", "category", "joined"])
    for i, name in enumerate(NASTY):
        w.writerow([f"P{i:03d}", spreadsheet_cell(name), "A1", "employee",
                    "2015-01-01"])
    return out.getvalue()


def test_formula_cells_exported_as_text_and_read_back(db, tmp_path):
    assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=db).code == 0
    r = run("import", "people", write(tmp_path / "p.csv", people_csv()), db=db)
    assert r.code == 0, r
    # The importer reads the apostrophe form back to the value itself.
    js = json.loads(run("export", "people", "--format", "json", db=db).out)
    assert [p["name"] for p in js] == NASTY
    out = tmp_path / "export.csv"
    r = run("export", "people", "--output", out, db=db)
    assert r.code == 0, r
    text = out.read_bytes().decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    names = {row[0]: row[1] for row in rows[1:]}
    for i, name in enumerate(NASTY):
        cell = names[f"P{i:03d}"]
        assert cell == spreadsheet_cell(name), (name, cell)
        # What a spreadsheet sees: no cell starts a formula.
        assert not cell.startswith(FORMULA) or cell in ("-5",), cell
    assert names["P000"] == "'=1+1"
    assert names["P002"] == "'+SUM(1+1)"
    assert names["P008"] == "'''+twice"
    assert names["P007"] == "''=quoted"
    assert names["P009"] == "'plain"
    assert names["P011"] == "-5"
    # Re-import the export: every value is what it was, the file the same.
    r2 = run("import", "people", out, db=db)
    assert r2.code == 0, r2
    js2 = json.loads(run("export", "people", "--format", "json", db=db).out)
    assert [p["name"] for p in js2] == NASTY
    out2 = tmp_path / "export2.csv"
    assert run("export", "people", "--output", out2, db=db).code == 0
    assert out2.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("value", ["0x10", "inf", "nan", "-inf", "1e", "1.2.3",
                                   "--5", "0x1p3", "Infinity", "1_000"])
def test_numbers_decimal_only(db, tmp_path, value):
    assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=db).code == 0
    text = f"subject,metric,date,value\nA1,output,2024-01-31,1\nA1,output,2024-02-29,{value}\n"
    r = run("import", "records", write(tmp_path / "x.csv", text), db=db)
    assert r.code == 1, r
    assert "x.csv:3:4: value" in r.err, r
    assert run("export", "records", db=db).out.strip() == "subject,metric,date,value"


@pytest.mark.parametrize("value,stored", [("16", "16"), ("-2.5", "-2.5"),
                                          ("1e3", "1000"), ("+7", "7")])
def test_decimal_numbers_accepted(db, tmp_path, value, stored):
    assert run("import", "units", write(tmp_path / "u.csv", UNITS), db=db).code == 0
    text = f"subject,metric,date,value\nA1,output,2024-01-31,{value}\n"
    r = run("import", "records", write(tmp_path / "x.csv", text), db=db)
    assert r.code == 0, r
    out = run("export", "records", db=db).out
    assert f"A1,output,2024-01-31,{stored}" in out, out
