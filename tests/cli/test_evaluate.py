"""thidua evaluate on both backends: the contract's JSON, the table and
CSV, mid-campaign standing, prompt recognition (--top), a movement of
people listed in Vietnamese name order, and refusals."""
import csv
import io
import json

from testbed import MOVEMENTS, run, seed_movements as seed, write

DATA = MOVEMENTS

PEOPLE_MV = """code: LDG-2025
name: {vi: "Lao động giỏi, lao động sáng tạo 2025", en: "Excellent Labour 2025"}
kind: thematic
start: 2025-01-01
end: 2025-06-30
scope: Z121
subjects: person
group_by: all
criteria:
  - code: quality
    metric: quality
    aggregate: avg
    weight: 50
    scoring: {ratio: {cap: 1.0}}
  - code: ideas
    metric: "@innovations"
    weight: 50
    scoring: {bands: [[2, 1.0], [1, 0.6]]}
"""


def test_json_contract(db):
    seed(db)
    r = run("evaluate", "--movement", "TDQT-2025", "--format", "json", db=db)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["movement"] == "TDQT-2025" and doc["as_of"] == "2025-12-31"
    assert doc["provisional"] is False
    res = {x["subject"]: x for x in doc["results"]}
    # participants: the scope's subtree with a target (not OUT, not PKH)
    assert set(res) == {"PX1", "PX2", "PX3", "PKT"}
    for x in doc["results"]:
        assert set(x) >= {"subject", "group", "score", "rank", "rating", "vetoed", "criteria"}
        for c in x["criteria"]:
            assert set(c) >= {"criterion", "actual", "target", "points"}
    px2 = res["PX2"]
    out = px2["criteria"][0]
    # the 2024-12-31 record is outside the dates: 400 of 500
    assert out["actual"] == 400 and out["target"] == 500 and out["points"] == 32
    assert px2["score"] == 70 and px2["rating"] == "HTTNV" and px2["rank"] == 2
    # PX1 scores highest in its bloc but a serious incident in T11 vetoes it
    px1 = res["PX1"]
    assert px1["vetoed"] is True and px1["rating"] == "KHTNV" and px1["rank"] == 3
    assert px1["score"] > px2["score"]
    assert "safety" in px1["veto_reason"]
    assert px1["criteria"][0]["reason"] == "capped" and px1["criteria"][0]["points"] == 48
    # a missing ratio target is reported, not guessed
    pkt = res["PKT"]["criteria"][0]
    assert pkt["target"] is None and pkt["points"] is None
    assert pkt["reason"] == "missing_target"
    assert res["PKT"]["group"] == "cq" and res["PX3"]["group"] == "sx"
    assert res["PX3"]["met_all"] is True and res["PX3"]["score"] == 100


def test_as_of_and_formats(db):
    seed(db)
    r = run("evaluate", "--movement", "TDQT-2025", "--as-of", "2025-06-30",
            "--format", "json", db=db)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert doc["provisional"] is True and doc["as_of"] == "2025-06-30"
    assert 0.49 < doc["pro_rata"] < 0.5
    px1 = next(x for x in doc["results"] if x["subject"] == "PX1")
    out = px1["criteria"][0]
    assert out["actual"] == 600                      # the September record not yet
    assert abs(out["target"] - 1000 * doc["pro_rata"]) < 1e-3
    r = run("evaluate", "--movement", "TDQT-2025", "--as-of", "2025-06-30", db=db)
    assert r.code == 0 and "TẠM TÍNH" in r.out, r
    r = run("--lang", "en", "evaluate", "--movement", "TDQT-2025", "--as-of",
            "2025-06-30", db=db)
    assert "PROVISIONAL" in r.out, r
    r = run("evaluate", "--movement", "TDQT-2025", "--format", "csv", db=db)
    assert r.code == 0, r
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert [x["subject"] for x in rows] == ["PKT", "PX3", "PX2", "PX1"]
    assert rows[2]["output_actual"] == "400" and rows[3]["vetoed"] == "1"
    # after the end: the end
    doc = json.loads(run("evaluate", "--movement", "TDQT-2025", "--as-of",
                         "2026-03-01", "--format", "json", db=db).out)
    assert doc["as_of"] == "2025-12-31" and doc["provisional"] is False


def test_top(db):
    seed(db)
    r = run("evaluate", "--movement", "TDQT-2025", "--top", "1", "--format", "json", db=db)
    assert r.code == 0, r
    doc = json.loads(r.out)
    got = {(x["group"], x["subject"]): (x["top"], x["met_all"]) for x in doc["results"]}
    assert got == {("cq", "PKT"): (True, False), ("sx", "PX3"): (True, True)}
    r = run("evaluate", "--movement", "TDQT-2025", "--top", "1", db=db)
    assert r.code == 0 and "PX3" in r.out


def test_errors(db):
    seed(db)
    r = run("evaluate", "--movement", "NOPE", db=db)
    assert r.code == 1 and "NOPE" in r.err
    r = run("evaluate", "--movement", "TDQT-2025", "--as-of", "2025-02-31", db=db)
    assert r.code == 2 and "2025-02-31" in r.err
    r = run("evaluate", "--movement", "TDQT-2025", "--as-of", "2024-06-01", db=db)
    assert r.code == 1
    assert run("evaluate", db=db).code == 2
    assert run("evaluate", "--movement", "TDQT-2025", "--top", "0", db=db).code == 2


def test_people_vietnamese_order(db, tmp_path):
    seed(db)
    write(tmp_path / "i.csv", "code,kind,title,year,level,authors\n"
          "SK1,initiative,Cải tiến,2025,base,P01;P02\n"
          "SK2,initiative,Khác,2025,base,P01\n"
          "SK3,initiative,Cũ,2024,base,P03\n")
    assert run("import", "innovations", str(tmp_path / "i.csv"), db=db).code == 0
    assert run("movement", "load", write(tmp_path / "p.yaml", PEOPLE_MV), db=db).code == 0
    write(tmp_path / "t.csv", "movement,subject,criterion,target\n" + "".join(
        f"LDG-2025,{p},quality,90\n" for p in ("P01", "P02", "P03", "P04", "P05")))
    assert run("import", "targets", str(tmp_path / "t.csv"), db=db).code == 0
    write(tmp_path / "q.csv", "subject,metric,date,value\n"
          "P01,quality,2025-02-01,80\nP01,quality,2025-03-01,100\n"
          "P02,quality,2025-02-01,90\nP03,quality,2025-07-01,100\n")
    assert run("import", "records", str(tmp_path / "q.csv"), db=db).code == 0
    doc = json.loads(run("evaluate", "--movement", "LDG-2025", "--format", "json", db=db).out)
    res = {x["subject"]: x for x in doc["results"]}
    assert res["P01"]["criteria"][0]["actual"] == 90          # avg of 80 and 100
    assert res["P01"]["criteria"][1]["actual"] == 2            # SK1 and SK2
    assert res["P02"]["criteria"][1]["actual"] == 1
    assert res["P03"]["criteria"][0]["actual"] is None         # July: outside
    assert res["P03"]["criteria"][1]["points"] == 0            # none: past the bands
    assert res["P01"]["rank"] == 1
    # the table lists people by given name, then the rest
    r = run("evaluate", "--movement", "LDG-2025", db=db)
    assert r.code == 0, r
    order = [ln.split()[1] for ln in r.out.splitlines() if ln[:1].isdigit()]
    # Lê Văn An, Trần Thị An, Phạm Thị Ánh, Nguyễn Văn Bình, Đỗ Văn Cường
    assert order == ["P03", "P02", "P04", "P01", "P05"]


TASKS_MV = """code: OT
name: Đúng hạn
kind: campaign
start: 2025-01-01
end: 2025-06-30
scope: Z121
subjects: unit
criteria:
  - {code: ontime, metric: "@ontime_tasks", weight: 50, scoring: {ratio: {cap: 1}}}
  - {code: late, metric: "@late_tasks", better: lower, weight: 50,
     scoring: {bands: [[0, 1.0], [1, 0.5]]}}
"""


def test_task_metrics(db, tmp_path):
    """@ontime_tasks / @late_tasks come from the schedule area's fair blame,
    a unit counting its subtree."""
    seed(db)
    write(tmp_path / "t.csv", "code,name,unit,quantity,start,due\n"
          "T1,Ngòi nổ,PX2,100,2025-01-01,2025-02-01\n"
          "T2,Dây nổ,PX2,100,2025-01-01,2025-03-01\n"
          "T3,Kíp,PX3,10,2025-01-01,2025-02-15\n")
    write(tmp_path / "p.csv", "task,date,quantity\n"
          "T1,2025-01-20,100\nT2,2025-03-10,100\nT3,2025-02-10,10\n")
    assert run("import", "tasks", str(tmp_path / "t.csv"), db=db).code == 0
    assert run("import", "progress", str(tmp_path / "p.csv"), db=db).code == 0
    assert run("movement", "load", write(tmp_path / "ot.yaml", TASKS_MV), db=db).code == 0
    write(tmp_path / "tg.csv", "movement,subject,criterion,target\n"
          "OT,PX2,ontime,2\nOT,PX3,ontime,1\nOT,Z121,ontime,3\n")
    assert run("import", "targets", str(tmp_path / "tg.csv"), db=db).code == 0
    doc = json.loads(run("evaluate", "--movement", "OT", "--format", "json", db=db).out)
    got = {x["subject"]: [c["actual"] for c in x["criteria"]] for x in doc["results"]}
    assert got == {"PX2": [1, 1], "PX3": [1, 0], "Z121": [2, 1]}
    assert [x["subject"] for x in doc["results"]] == ["PX3", "Z121", "PX2"]


STAYS_MV = """code: LDG-STAYS
name: {vi: "Lao động giỏi nửa đầu 2025", en: "Excellent Labour, first half of 2025"}
kind: thematic
start: 2025-01-01
end: 2025-06-30
scope: Z121
subjects: person
group_by: parent
criteria:
  - {code: quality, metric: quality, aggregate: avg, weight: 100,
     scoring: {ratio: {cap: 1.0}}}
"""


def test_people_grouped_by_their_unit_of_the_period(db, tmp_path):
    """A person's unit in a movement is their last stay begun by its end
    and not ended before its start (docs/movements.md, group_by): on SQLite
    the people and their stays are two streams merged in C, on PostgreSQL
    one query with a subquery a person; both must give the same units."""
    seed(db)
    moves = (("P01", "PX3", "2025-03-01"),   # mid-period: the new unit
             ("P02", "PX3", "2025-08-01"),   # after the end: the old one
             ("P04", "PX1", "2024-12-01"),   # before the start: the new one
             ("P05", "PX3", "2025-06-30"),   # on the last day: the new one
             ("P03", "PX2", "2025-02-01"),   # twice in the period:
             ("P03", "PX3", "2025-05-01"))   # the last one
    names = {"P01": "Nguyễn Văn Bình", "P02": "Trần Thị An", "P03": "Lê Văn An",
             "P04": "Phạm Thị Ánh", "P05": "Đỗ Văn Cường"}
    joined = {"P01": "2015-03-01", "P02": "2018-06-01", "P03": "2010-01-01",
              "P04": "2019-01-01", "P05": "2020-01-01"}
    for i, (p, unit, day) in enumerate(moves):
        f = write(tmp_path / f"m{i}.csv", "code,name,unit,category,joined,moved\n"
                  f"{p},{names[p]},{unit},employee,{joined[p]},{day}\n")
        r = run("import", "people", f, db=db)
        assert r.code == 0, r
    assert run("movement", "load", write(tmp_path / "s.yaml", STAYS_MV), db=db).code == 0
    write(tmp_path / "t.csv", "movement,subject,criterion,target\n" + "".join(
        f"LDG-STAYS,{p},quality,90\n" for p in names))
    assert run("import", "targets", str(tmp_path / "t.csv"), db=db).code == 0
    doc = json.loads(run("evaluate", "--movement", "LDG-STAYS", "--format", "json",
                         db=db).out)
    group = {x["subject"]: x["group"] for x in doc["results"]}
    assert group == {"P01": "PX3", "P02": "PX1", "P03": "PX3", "P04": "PX1",
                     "P05": "PX3"}, group
