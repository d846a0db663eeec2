"""thidua report growth on both backends: the contract's JSON (ratio, CAGR,
year-over-year ratios, rising every year), targets and their attainment,
the table and CSV renderings, and clear refusals."""
import csv
import io
import json

from testbed import run, write

UNITS = """code,name,parent,kind
Z,Nhà máy minh họa,,enterprise
W,Phân xưởng,Z,workshop
"""
INDICATORS = """year,unit,indicator,value
2014,Z,production_value,1000
2015,Z,production_value,1060
2016,Z,production_value,1130
2017,Z,production_value,1200
2018,Z,production_value,1270
2014,Z,turnover,500
2015,Z,turnover,520
2016,Z,turnover,510
2017,Z,turnover,560
2018,Z,turnover,595
2014,W,production_value,10
2018,W,production_value,30
"""
TARGETS = """year,unit,indicator,target
2018,Z,production_value,1250
2018,Z,turnover,600
"""


def load_data(db, tmp_path):
    for kind, text in (("units", UNITS), ("indicators", INDICATORS),
                       ("indicator-targets", TARGETS)):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r


def test_growth_json(db, tmp_path):
    load_data(db, tmp_path)
    r = run("report", "growth", "--from", 2014, "--to", 2018,
            "--format", "json", db=db)
    assert r.code == 0, r
    d = json.loads(r.out)
    assert (d["from"], d["to"], d["unit"]) == (2014, 2018, "Z")
    pv, to = d["indicators"]
    assert pv["indicator"] == "production_value"
    assert pv["from_value"] == 1000 and pv["to_value"] == 1270
    assert pv["ratio"] == 1.27
    assert pv["cagr"] == 0.0616
    assert [y["year"] for y in pv["yoy"]] == [2015, 2016, 2017, 2018]
    assert pv["yoy"][0]["ratio"] == 1.06
    assert pv["rising_every_year"] is True
    assert pv["targets"] == [{"year": 2018, "target": 1250, "actual": 1270,
                              "attainment": 1.016, "met": True}]
    # a dip in 2016 breaks "rising every year"
    assert to["indicator"] == "turnover"
    assert to["ratio"] == 1.19
    assert to["rising_every_year"] is False
    assert [y["rose"] for y in to["yoy"]] == [True, False, True, True]
    assert to["targets"][0]["met"] is False


def test_growth_unit_table_csv(db, tmp_path):
    load_data(db, tmp_path)
    r = run("report", "growth", "--from", 2014, "--to", 2018, "--unit", "W",
            "--format", "json", db=db)
    d = json.loads(r.out)
    assert d["unit"] == "W"
    assert d["indicators"][0]["ratio"] == 3
    assert d["indicators"][0]["yoy"] == []
    assert d["indicators"][0]["rising_every_year"] is False
    r = run("report", "growth", "--from", 2014, "--to", 2018, db=db)
    assert r.code == 0, r
    assert "production_value" in r.out and "1.27" in r.out
    r = run("report", "growth", "--from", 2014, "--to", 2018,
            "--format", "csv", db=db)
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert rows[0]["indicator"] == "production_value"
    assert rows[0]["ratio"] == "1.27" and rows[0]["attainment"] == "1.016"
    assert rows[1]["rising_every_year"] == "0"


def test_growth_refusals(db, tmp_path):
    load_data(db, tmp_path)
    r = run("report", "growth", "--from", 2018, "--to", 2014, db=db)
    assert r.code == 2 and "2018" in r.err
    r = run("report", "growth", "--from", 2014, db=db)
    assert r.code == 2
    r = run("report", "growth", "--from", 2014, "--to", 2018, "--unit",
            "NOPE", db=db, lang="en")
    assert r.code == 1 and "no such unit" in r.err and "NOPE" in r.err
    r = run("report", "growth", "--from", 2014, "--to", 2018, "--unit",
            "NOPE", db=db)
    assert r.code == 1 and "không có đơn vị" in r.err
    r = run("report", "nothing", db=db)
    assert r.code == 2


def test_indicator_targets_round_trip(db, tmp_path):
    load_data(db, tmp_path)
    r = run("export", "indicator-targets", db=db)
    assert r.code == 0, r
    assert r.out.splitlines() == ["year,unit,indicator,target",
                                  "2018,Z,production_value,1250",
                                  "2018,Z,turnover,600"]
    bad = write(tmp_path / "bad.csv",
                "year,unit,indicator,target\n2018,NOPE,turnover,1\n")
    r = run("import", "indicator-targets", bad, db=db)
    assert r.code == 1 and "bad.csv:2" in r.err
