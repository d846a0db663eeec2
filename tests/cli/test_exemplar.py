"""thidua exemplar on both backends: register, adopt (with the adopting
unit's ratings before and after), discover candidates from hand-made
data with reasons, and yearly maintenance warnings."""
import json

from testbed import load_exemplar_data as load_data, run, write

def test_discover(db, tmp_path):
    load_data(db, tmp_path)
    r = run("exemplar", "discover", "--year", 2025, "--format", "json", db=db)
    assert r.code == 0, r
    d = json.loads(r.out)
    assert d["year"] == 2025 and d["from"] == 2023
    # P2: no innovation; P3: a serious incident in B in 2024
    assert [c["subject"] for c in d["candidates"]] == ["P1"]
    assert len(d["candidates"][0]["reasons"]) >= 3
    r = run("exemplar", "discover", "--year", 2025, db=db, lang="en")
    assert "P1" in r.out and "recognised innovations" in r.out


def test_discover_reads_the_window_of_its_innovators(db, tmp_path):
    """Discovery reads only the units and the people who authored an
    innovation in the window (store-exemplar.h, EXW_INNOVATORS): an
    innovation of the window's first year counts, a second author's
    too; one of the year before the window does not."""
    load_data(db, tmp_path)
    people = "code,name,unit,category,joined\n" + "".join(
        f"{c},Người {c},A,employee,2010-01-01\n" for c in ("P4", "P5", "P6"))
    ratings = "year,subject,rating\n2022,P5,HTXSNV\n" + "".join(
        f"{y},{c},HTXSNV\n" for c in ("P4", "P5", "P6") for y in (2023, 2024, 2025))
    innov = ("code,kind,title,year,level,authors\n"
             "SK4,initiative,Đầu cửa sổ,2023,base,P4\n"
             "SK5,initiative,Trước cửa sổ,2022,base,P5\n"
             "SK6,research,Đồng tác giả,2025,base,P2;P6\n")
    for kind, text in (("people", people), ("ratings", ratings),
                       ("innovations", innov)):
        r = run("import", kind, write(tmp_path / f"more-{kind}.csv", text), db=db)
        assert r.code == 0, r
    r = run("exemplar", "discover", "--year", 2025, "--format", "json", db=db)
    assert r.code == 0, r
    found = {c["subject"]: c for c in json.loads(r.out)["candidates"]}
    # P2 (now an author, HTXSNV every year, no incident in A) joins P1
    assert sorted(found) == ["P1", "P2", "P4", "P6"]
    assert found["P4"]["name"] == "Người P4"
    # a year earlier the window holds P5's innovation, and P5 is one
    r = run("exemplar", "discover", "--year", 2024, "--format", "json", db=db)
    assert "P5" in [c["subject"] for c in json.loads(r.out)["candidates"]]


def test_register_adopt_check(db, tmp_path):
    load_data(db, tmp_path)
    r = run("exemplar", "add", "P1", "--field", "Sáng kiến", "--reason",
            "Nhiều sáng kiến làm lợi", "--since", 2025, "--format", "json",
            db=db)
    assert r.code == 0, r
    eid = json.loads(r.out)["id"]
    r = run("exemplar", "add", "P1", "--field", "Sáng kiến", "--reason", "x",
            "--since", 2025, db=db)
    assert r.code == 1
    r = run("exemplar", "add", "P1", "--field", "Khác", "--since", 2025,
            db=db)
    assert r.code == 2 and "--reason" in r.err
    r = run("exemplar", "adopt", eid, "--unit", "B", "--date", "2025-03-01",
            "--practice", "Đồ gá mới", db=db)
    assert r.code == 0, r
    r = run("exemplar", "adopt", eid, "--unit", "NOPE", "--date",
            "2025-03-01", db=db)
    assert r.code == 1
    r = run("exemplar", "adopt", 999, "--unit", "B", "--date", "2025-03-01",
            db=db)
    assert r.code == 1
    r = run("exemplar", "show", eid, "--format", "json", db=db)
    d = json.loads(r.out)
    ad = d["adoption_list"][0]
    assert ad["unit"] == "B" and ad["practice"] == "Đồ gá mới"
    assert ad["before"]["year"] == 2024 and ad["before"]["rating"] == "HTNV"
    assert ad["after"]["year"] == 2026 and ad["after"]["rating"] == "HTTNV"
    r = run("exemplar", "list", "--format", "json", db=db)
    assert json.loads(r.out)["exemplars"][0]["adoptions"] == 1
    r = run("exemplar", "check", "--year", 2025, "--format", "json", db=db)
    assert json.loads(r.out)["results"][0]["status"] == "ok"
    # 2026: P1 has no rating yet → slipping, with a warning
    r = run("exemplar", "check", "--year", 2026, db=db, lang="en")
    assert r.code == 0 and "WARNING" in r.out and "warning" in r.err
    r = run("exemplar", "check", "--year", 2027, "--format", "json", db=db)
    assert json.loads(r.out)["results"][0]["status"] == "lapsed"
    assert run("exemplar", "frobnicate", db=db).code == 2
    assert run("exemplar", "show", "abc", db=db).code == 2


def test_check_many_standards_at_once(db, tmp_path):
    """One check of several exemplars whose standards name different
    awards (read in one pass over the window, where each exemplar read the
    whole window again: 3.8 s each at a million people): each is judged
    by its own award, held or not in the last year (slipping when it was
    held the year before)."""
    load_data(db, tmp_path)
    f = tmp_path / "awards.csv"
    f.write_text("year,subject,award\n2023,P1,LDTT\n2024,P1,LDTT\n"
                 "2025,P1,LDTT\n2024,P1,CSTT\n", encoding="utf-8")
    assert run("import", "awards", str(f), db=db).code == 0
    ids = {}
    for key, subject, award in (("none", "P1", None), ("ldtt", "P1", "LDTT"),
                                ("cstt", "P1", "CSTT"), ("p2", "P2", "LDTT")):
        args = ["exemplar", "add", subject, "--field", f"Chuẩn {key}",
                "--reason", "thử", "--since", 2023, "--format", "json"]
        if award:
            args += ["--award", award]
        r = run(*args, db=db)
        assert r.code == 0, r
        ids[key] = json.loads(r.out)["id"]
    r = run("exemplar", "check", "--year", 2025, "--format", "json", db=db,
            lang="en")
    got = {x["id"]: x for x in json.loads(r.out)["results"]}
    award = "did not hold the standard's award"
    reasons = {k: got[i]["reasons"] for k, i in ids.items()}
    assert award not in reasons["none"] and award not in reasons["ldtt"]
    assert reasons["ldtt"] == reasons["none"]
    assert got[ids["ldtt"]]["status"] == got[ids["none"]]["status"]
    assert award in reasons["cstt"], reasons["cstt"]    # not in 2025
    assert award in reasons["p2"], reasons["p2"]
    assert got[ids["cstt"]]["status"] == (
        "slipping" if got[ids["none"]]["status"] == "ok" else "lapsed")
