"""The innovation register on both backends: authors and their shares,
recognition date, applied scope, unit and benefit (innovation-details),
the awards that rest on an innovation, and `report innovations` grouped
by year, kind, level and unit."""
import json

from testbed import run, write

UNITS = """code,name,parent,kind
Z,Nhà máy,,enterprise
A1,Phân xưởng A1,Z,workshop
A4,Phân xưởng A4,Z,workshop
"""
PEOPLE = """code,name,unit,category,joined
P1,Nguyễn Văn An,A1,defence_worker,2010-01-01
P2,Trần Thị Bình,A4,employee,2012-01-01
P3,Lê Văn Cường,A4,officer,2005-01-01
"""
INNOVATIONS = """code,kind,title,year,level,authors,benefit
SK-1,initiative,Cải tiến đồ gá,2016,base,P1;P2,100000000
SK-2,initiative,Hợp lý hóa quy trình,2017,base,P2,50000000
DT-1,research,Nghiên cứu thuốc nổ nhũ tương,2016,ministry,P3;P1,
CKH-1,mechanisation,Cơ khí hóa khâu bện dây nổ,2017,national,P3,900000000
"""
DETAILS = """code,recognised_on,scope,unit,shares
SK-1,2016-06-01,Phân xưởng A1,A1,60;40
DT-1,2016-11-20,Tổng cục CNQP,,70;30
CKH-1,2017-09-09,Toàn Nhà máy,A4,100
"""
AWARDS = """year,subject,award,decision,date,based_on
2016,P1,CSTDCS,12/QĐ,2016-12-20,SK-1
2017,P2,CSTDCS,13/QĐ,2017-12-20,SK-2
"""


def load_data(db, tmp_path):
    for kind, text in (("units", UNITS), ("people", PEOPLE),
                       ("innovations", INNOVATIONS),
                       ("innovation-details", DETAILS), ("awards", AWARDS)):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r


def report(db, *args):
    r = run("report", "innovations", *args, "--format", "json", db=db)
    assert r.code == 0, r
    return json.loads(r.out)


def test_register_by_kind_and_level(db, tmp_path):
    load_data(db, tmp_path)
    d = report(db, "--by", "kind")
    assert (d["from"], d["to"], d["by"]) == (2016, 2017, "kind")
    assert [g["key"] for g in d["groups"]] == ["initiative", "research",
                                               "mechanisation"]
    assert d["total"]["count"] == 4
    assert d["total"]["benefit"] == 1050000000
    assert d["total"]["with_awards"] == 2
    assert d["groups"][0]["count"] == 2 and d["groups"][0]["with_awards"] == 2
    lv = report(db, "--by", "level")
    assert [(g["key"], g["count"]) for g in lv["groups"]] == [
        ("base", 2), ("ministry", 1), ("national", 1)]
    yr = report(db, "--by", "year", "--from", 2017, "--to", 2017)
    assert [(g["key"], g["count"]) for g in yr["groups"]] == [("2017", 2)]
    assert yr["groups"][0]["by_kind"] == {"initiative": 1, "research": 0,
                                          "mechanisation": 1}


def test_register_by_unit_and_details(db, tmp_path):
    load_data(db, tmp_path)
    d = report(db, "--by", "unit")
    # DT-1 has no unit of its own: its first author's (P3, A4)
    assert [(g["key"], g["count"]) for g in d["groups"]] == [("A1", 1),
                                                            ("A4", 3)]
    inv = {i["code"]: i for i in d["innovations"]}
    assert inv["SK-1"]["authors"] == [
        {"person": "P1", "name": "Nguyễn Văn An", "share": 60},
        {"person": "P2", "name": "Trần Thị Bình", "share": 40}]
    assert inv["SK-1"]["recognised_on"] == "2016-06-01"
    assert inv["SK-1"]["scope"] == "Phân xưởng A1"
    assert inv["SK-1"]["awards"] == [{"year": 2016, "subject": "P1",
                                      "award": "CSTDCS"}]
    assert inv["SK-2"]["authors"][0]["share"] is None
    assert inv["DT-1"]["benefit"] is None
    r = run("innovation", "show", "SK-1", "--format", "json", db=db)
    assert r.code == 0, r
    assert json.loads(r.out)["code"] == "SK-1"
    r = run("innovation", "show", "SK-1", db=db)
    assert "CSTDCS" in r.out and "60%" in r.out
    r = run("innovation", "show", "NOPE", db=db, lang="en")
    assert r.code == 1 and "no innovation" in r.err
    r = run("report", "innovations", "--by", "colour", db=db)
    assert r.code == 2
    r = run("report", "innovations", "--list", db=db)
    assert r.code == 0 and "CKH-1" in r.out


def test_details_refusals_and_round_trip(db, tmp_path):
    load_data(db, tmp_path)
    r = run("export", "innovation-details", db=db)
    assert r.code == 0, r
    before = r.out
    lines = r.out.splitlines()
    assert lines[0] == "code,recognised_on,scope,unit,shares"
    assert len(lines) == 4
    again = write(tmp_path / "again.csv", r.out)
    assert run("import", "innovation-details", again, db=db).code == 0
    assert run("export", "innovation-details", db=db).out == r.out
    for text, where in (
            ("code,shares\nSK-1,60;50\n", "100"),
            ("code,shares\nSK-1,100\n", "2"),
            ("code,shares\nSK-1,abc;1\n", "abc"),
            ("code,shares\nNOPE,100\n", "NOPE")):
        bad = write(tmp_path / "bad.csv", text)
        r = run("import", "innovation-details", bad, db=db)
        assert r.code == 1, (text, r)
        assert "bad.csv:2" in r.err and where in r.err, r
    # nothing was written by the refused files
    assert run("export", "innovation-details", db=db).out == before
    d = report(db)
    assert {i["code"]: i for i in d["innovations"]}["SK-1"]["authors"][1][
        "share"] == 40


def test_the_groups_alone_count_as_the_whole_report(db, tmp_path):
    """Without the rows (the CSV and table groups, the API's summary=1) the
    register reads no author but, by unit, the first author's unit of an
    innovation without its own (DT-1: P3's A4, not P1's A1), and the
    awards resting on innovations through their index (migration 0017):
    the same groups and totals as the whole JSON report."""
    load_data(db, tmp_path)
    for by in ("year", "kind", "level", "unit"):
        d = report(db, "--by", by)
        r = run("report", "innovations", "--by", by, "--format", "csv", db=db)
        assert r.code == 0, r
        lines = r.out.splitlines()
        assert lines[0].split(",")[0] == by
        got = [line.split(",") for line in lines[1:]]
        want = [[g["key"], str(g["count"]), str(g["by_kind"]["initiative"]),
                 str(g["by_kind"]["research"]),
                 str(g["by_kind"]["mechanisation"]), str(g["benefit"]),
                 str(g["with_awards"])] for g in d["groups"]]
        assert got == want, (by, got, want)
    assert [row.split(",")[:2] for row in run(
        "report", "innovations", "--by", "unit", "--format", "csv",
        db=db).out.splitlines()[1:]] == [["A1", "1"], ["A4", "3"]]
