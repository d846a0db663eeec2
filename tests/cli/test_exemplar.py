"""thidua exemplar on both backends: register, adopt (with the adopting
unit's ratings before and after), discover candidates from hand-made
data with reasons, and yearly maintenance warnings."""
import json

from testbed import load_exemplar_data as load_data, run

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
