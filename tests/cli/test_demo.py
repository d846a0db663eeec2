"""thidua demo on both backends: the Z121 demo loads in seconds, is marked
illustrative, reproduces the article's 2018/2014 ratios, refuses to
overwrite data without --force, and gives non-empty, plausible schedule,
eligibility, movement, innovation and exemplar reports."""
import json
import time

from testbed import TODAY, run


def test_demo_article_figures_and_reports(db):
    t0 = time.time()
    r = run("demo", db=db)
    assert r.code == 0, r
    assert time.time() - t0 < 60
    assert "MINH HỌA" in r.out
    # the article's ratios, 2018 over 2014
    r = run("report", "growth", "--from", 2014, "--to", 2018,
            "--format", "json", db=db)
    assert r.code == 0, r
    ratios = {i["indicator"]: i["ratio"] for i in json.loads(r.out)["indicators"]}
    assert ratios["production_value"] == 1.27
    assert ratios["turnover"] == 1.19
    assert ratios["value_added"] == 1.15
    assert ratios["budget_payment"] == 1.29
    assert ratios["average_income"] == 1.1
    g = json.loads(r.out)["indicators"]
    assert all(i["rising_every_year"] for i in g)
    r = run("report", "growth", "--from", 2014, "--to", 2018, db=db)
    for x in ("1.27", "1.19", "1.15", "1.29", "1.10"):
        assert x in r.out
    # exports 2014–2018: about VND 160 billion (values in VND million)
    r = run("export", "indicators", "--format", "json", db=db)
    rows = json.loads(r.out)
    exports = sum(float(x["value"]) for x in rows
                  if x["indicator"] == "export_value"
                  and 2014 <= int(x["year"]) <= 2018)
    assert 150000 <= exports <= 165000
    # the article's counts of 2014–2019
    r = run("report", "innovations", "--from", 2014, "--to", 2019,
            "--by", "kind", "--format", "json", db=db)
    kinds = {g["key"]: g["count"] for g in json.loads(r.out)["groups"]}
    assert kinds["research"] == 85 and kinds["mechanisation"] == 38
    assert kinds["initiative"] > 100
    # the enterprise's recognitions
    r = run("export", "awards", "--format", "json", db=db)
    aw = json.loads(r.out)
    z = {(int(a["year"]), a["award"]) for a in aw if a["subject"] == "Z121"}
    assert {(2015, "CTDTC"), (2018, "CTDTC"), (2016, "HCBVTQ2"),
            (2017, "BKBQP")} <= z
    # some CSTĐCS rest on an innovation
    assert any(a["award"] == "CSTDCS" and a["based_on"] for a in aw)
    # this year's schedule: a hard task at risk holding up Z113's order
    r = run("schedule", "--format", "json", db=db)
    assert r.code == 0, r
    tasks = json.loads(r.out)["tasks"]
    year = int(TODAY[:4])        # the demo is built around the pinned today
    first = [t for t in tasks if t["task"] == f"K{year}-01"][0]
    assert first["status"] == "at_risk" and first["impacts"]
    assert {t["status"] for t in tasks} >= {"at_risk", "late", "stalled",
                                            "on_track", "done"}
    # this year's eligibility is interesting: CSTĐCS eligible, some held
    r = run("eligibility", "--year", year, "--award", "CSTDCS",
            "--format", "json", db=db)
    assert r.code == 0, r
    verdicts = [x["verdict"] for x in json.loads(r.out)["results"]]
    assert "eligible" in verdicts and "ineligible" in verdicts
    assert "held" in verdicts
    # the year's regular movement ranks the workshops
    r = run("evaluate", "--movement", f"TDQT-{year - 1}", "--format", "json",
            db=db)
    assert r.code == 0, r
    assert len(json.loads(r.out)["results"]) == 9
    # exemplars: registered, adopted, checked, discovered
    r = run("exemplar", "list", "--format", "json", db=db)
    ex = json.loads(r.out)["exemplars"]
    assert len(ex) >= 2 and ex[0]["adoptions"] >= 1
    r = run("exemplar", "discover", "--year", year - 1, "--format", "json",
            db=db, lang="en")
    found = json.loads(r.out)
    assert found["candidates"] and found["basis"] == "movement"
    # the workshops are ranked in the regular movement every year: each
    # unit candidate's first reason is its ranks (the ranks were found
    # for one subject only when fill_ranks' code map stopped at its first)
    units = [c for c in found["candidates"] if c["subject_kind"] == "unit"]
    assert len(units) >= 2, found
    for c in units:
        assert c["reasons"][0].startswith(
            "rank in the regular movement, 3 years running: "), c
    r = run("exemplar", "check", "--year", year, "--format", "json", db=db)
    status = [x["status"] for x in json.loads(r.out)["results"]]
    assert status.count("ok") == 2 and "slipping" in status


def test_demo_refuses_then_force(db):
    assert run("demo", db=db).code == 0
    r = run("demo", db=db, lang="en")
    assert r.code == 1 and "--force" in r.err
    before = run("export", "people", db=db).out
    r = run("demo", "--force", "--format", "json", db=db)
    assert r.code == 0, r
    d = json.loads(r.out)
    assert d["illustrative"] is True and d["rows"]["people"] >= 1400
    # deterministic: the same people again
    assert run("export", "people", db=db).out == before


def test_demo_refuses_foreign_data(sqlite_db, tmp_path):
    from testbed import write
    f = write(tmp_path / "u.csv", "code,name\nX,Đơn vị thật\n")
    assert run("import", "units", f, db=sqlite_db).code == 0
    r = run("demo", db=sqlite_db)
    assert r.code == 1
    assert run("export", "units", db=sqlite_db).out.splitlines()[1:] == [
        "X,Đơn vị thật,,other,,0"]
    r = run("demo", "--force", db=sqlite_db)
    assert r.code == 0, r
    units = run("export", "units", db=sqlite_db).out
    assert "Đơn vị thật" not in units and "Z121" in units
