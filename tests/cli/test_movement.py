"""Movements through the CLI on both backends: movement load/list/show,
validation errors with FILE:LINE:COLUMN in both languages, the targets
and pledges kinds (import, export round trip, refusals), the pledges
report, and rate with its provenance rules."""
import json
import os

from testbed import MOVEMENTS, run, seed_movements as seed, write

DATA = MOVEMENTS


def test_load_list_show(db):
    seed(db)
    r = run("--format", "json", "movement", "list", db=db)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert [m["code"] for m in doc["movements"]] == ["TDQT-2025"]
    assert doc["movements"][0]["version"] == 1
    r = run("movement", "show", "TDQT-2025", "--format", "json", db=db)
    assert r.code == 0, r
    m = json.loads(r.out)
    assert m["kind"] == "regular" and m["scope"] == "Z121"
    assert m["group_by"] == "bloc"
    assert [c["code"] for c in m["criteria"]] == ["output", "defects", "safety"]
    assert m["criteria"][0]["scoring"] == {"ratio": {"cap": 1.2}}
    assert m["criteria"][1]["scoring"] == {"bands": [[0, 1], [2, 0.5], [5, 0]]}
    assert m["criteria"][2]["veto"] == {"max": 0, "rating_cap": "KHTNV"}
    assert m["criteria"][2]["metric"] == "@serious_incidents"
    # reloading the same file adds no version
    assert run("movement", "load", os.path.join(DATA, "tdqt.yaml"), db=db).code == 0
    m = json.loads(run("movement", "show", "TDQT-2025", "--format", "json", db=db).out)
    assert m["version"] == 1
    # human table
    r = run("movement", "show", "TDQT-2025", db=db)
    assert r.code == 0 and "output" in r.out


def test_load_errors(sqlite_db, tmp_path):
    with open(os.path.join(DATA, "tdqt.yaml"), encoding="utf-8") as f:
        good = f.read()
    cases = [
        (good.replace("group_by: bloc", "group_by: bloc\ncolour: red"), ":9:1:", "colour"),
        (good.replace("weight: 40", "weight: heavy"), ":16:13:", "weight"),
        (good.replace("start: 2025-01-01", "start: 2025-13-01"), ":4:8:", "start"),
        (good.replace("scope: Z121", "scope: NOWHERE"), ":6:8:", "scope"),
        (good.replace("weight: 20", "weight: -5"), ":22:13:", "weight"),
        (good.replace("end: 2025-12-31", "end: 2024-12-31"), ":5:6:", "end"),
    ]
    for text, where, field in cases:
        p = write(tmp_path / "m.yaml", text)
        r = run("movement", "load", p, db=sqlite_db)
        assert r.code == 1, (text, r)
        assert where in r.err and field in r.err, r
    # English
    p = write(tmp_path / "m.yaml", good.replace("kind: regular", "kind: sprint"))
    r = run("--lang", "en", "movement", "load", p, db=sqlite_db)
    assert r.code == 1 and "invalid value 'sprint'" in r.err, r
    # nothing stored by any failed load
    doc = json.loads(run("--format", "json", "movement", "list", db=sqlite_db).out)
    assert doc["movements"] == []
    assert run("movement", "load", str(tmp_path / "absent.yaml"), db=sqlite_db).code == 1
    assert run("movement", "frobnicate", db=sqlite_db).code == 2


def test_targets_pledges_kinds(db, tmp_path):
    seed(db)
    r = run("export", "targets", db=db)
    assert r.code == 0, r
    lines = r.out.strip().splitlines()
    assert lines[0] == "movement,subject,criterion,target"
    assert "TDQT-2025,PX1,output,1000" in lines
    # round trip: re-importing the export changes nothing
    p = write(tmp_path / "t.csv", r.out)
    assert run("import", "targets", p, db=db).code == 0
    assert run("export", "targets", db=db).out == r.out
    # refusals name the line and column, nothing written
    bad = write(tmp_path / "bad.csv", "movement,subject,criterion,target\n"
                "TDQT-2025,PX1,output,5\n"
                "NOPE,PX1,output,1\n"
                "TDQT-2025,PX1,speed,1\n"
                "TDQT-2025,P01,output,1\n")
    r = run("import", "targets", bad, db=db)
    assert r.code == 1, r
    assert "bad.csv:3" in r.err and "bad.csv:4" in r.err and "bad.csv:5" in r.err, r
    assert "TDQT-2025,PX1,output,1000" in run("export", "targets", db=db).out
    # a key repeated in one file: its last row wins (PostgreSQL loads
    # targets by COPY and one upsert, SQLite row by row)
    rep = write(tmp_path / "rep.csv", "movement,subject,criterion,target\n"
                "TDQT-2025,PX1,output,1100\n"
                "TDQT-2025,PX2,output,510\n"
                "TDQT-2025,PX1,output,1200\n")
    assert run("import", "targets", rep, db=db).code == 0
    out = run("export", "targets", db=db).out
    assert "TDQT-2025,PX1,output,1200" in out and "TDQT-2025,PX2,output,510" in out
    assert "TDQT-2025,PX1,output,1100" not in out
    # pledges
    pl = write(tmp_path / "pl.csv", "movement,subject,award,by,note\n"
               "TDQT-2025,PX1,TTLDXS,2025-12-31,Đăng ký Tập thể lao động xuất sắc\n"
               "TDQT-2025,PKT,,,\n")
    assert run("import", "pledges", pl, db=db).code == 0
    r = run("export", "pledges", "--format", "json", db=db)
    assert r.code == 0, r
    rows = json.loads(r.out)
    assert {x["subject"] for x in rows} == {"PX1", "PKT"}
    r = run("pledges", "--movement", "TDQT-2025", "--format", "json", db=db)
    assert r.code == 0, r
    doc = json.loads(r.out)
    assert [x["subject"] for x in doc["registered"]] == ["PKT", "PX1"]
    assert doc["registered"][1]["award"] == "TTLDXS"
    # OUT is outside the scope; the rest of Z121's subtree has not registered
    assert [x["subject"] for x in doc["missing"]] == ["PKH", "PX2", "PX3", "T11", "Z121"]
    r = run("pledges", "--movement", "TDQT-2025", db=db)
    assert r.code == 0 and "  PX2 " in r.out and "  PX1 " not in r.out
    assert run("pledges", "--movement", "NOPE", db=db).code == 1


def test_rate(db, tmp_path):
    seed(db)
    write(tmp_path / "r.csv", "year,subject,rating,source\n"
          "2025,PX2,HTXSNV,hand\n2025,PX3,HTNV,import\n2025,PKT,HTTNV,council\n")
    assert run("import", "ratings", str(tmp_path / "r.csv"), db=db).code == 0
    r = run("rate", "--movement", "TDQT-2025", "--year", "2025", "--format", "json", db=db)
    assert r.code == 0, r
    doc = json.loads(r.out)
    act = {x["subject"]: x["action"] for x in doc["results"]}
    assert act == {"PX1": "new", "PX2": "kept", "PX3": "change", "PKT": "kept"}
    assert not doc["applied"]
    # not applied: nothing changed
    assert "2025,PX3,HTNV,import" in run("export", "ratings", db=db).out
    r = run("rate", "--movement", "TDQT-2025", "--year", "2025", "--apply", db=db)
    assert r.code == 0, r
    out = run("export", "ratings", db=db).out
    assert "2025,PX3,HTXSNV,movement" in out
    assert "2025,PX1,KHTNV,movement" in out        # vetoed by the incident
    assert "2025,PX2,HTXSNV,hand" in out
    assert "2025,PKT,HTTNV,council" in out
    # one audit entry in the same transaction: who applied which document
    r = run("audit", "--subject", "TDQT-2025", "--format", "json", db=db)
    assert r.code == 0, r
    (entry,) = [i for i in json.loads(r.out)["items"] if i["action"] == "rate"]
    assert entry["kind"] == "ratings" and entry["address"] == "cli", entry
    assert entry["after"]["applied"] is True
    assert run("rate", "--movement", "TDQT-2025", "--year", "2024", db=db).code == 1
    assert run("rate", "--movement", "TDQT-2025", db=db).code == 2
