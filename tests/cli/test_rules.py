"""thidua rules load / show and init's default rule set."""
import os
import sqlite3

from testbed import run

GOOD = """rule_set: test-2026
effective: 2026-10-01
ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}
awards:
  - code: LDTT
    name: {vi: "Lao động tiên tiến", en: "Advanced Worker"}
    family: title
    subject: person
    level: base
    basis: "Luật 06/2026/QH16 (thử)"
    cash: {coefficient: 0.3}
    require:
      - rating: {min: HTXSNV}
"""


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return str(p)


def rule_sets(path):
    with sqlite3.connect(path) as c:
        return c.execute("SELECT code, effective, loaded_at FROM rule_sets "
                         "ORDER BY effective").fetchall()


def test_init_loads_default_once(sqlite_db):
    before = rule_sets(sqlite_db)
    assert [(c, e) for c, e, _ in before] == [("vn-2017", "2017-09-15"),
                                               ("vn-2022", "2024-01-01"),
                                               ("vn-2026", "2026-10-01")]
    r = run("init", db=sqlite_db, lang="en")
    assert r.code == 0, r
    assert r.out == "" and "rule" not in r.err.lower(), r
    assert rule_sets(sqlite_db) == before
    r = run("rules", "show", "--year", "2025", db=sqlite_db)
    assert r.code == 0 and "vn-2022" in r.out
    for code in ["LDTT", "CSTT", "CSTDCS", "CSTDTQ", "CSTDTQG", "TTLDTT", "DVTT",
                 "TTLDXS", "DVQT", "CTDTC", "GK", "BKBQP", "BKTTG", "HCLD3",
                 "HCBVTQ3", "HCQKQT", "HCCSVV3", "HCCSVV2", "HCCSVV1"]:
        assert "\n" + code + " — " in r.out, code


def test_init_adds_the_old_set_to_an_existing_database(sqlite_db):
    # a database initialised before vn-2017 existed: init re-run adds it
    with sqlite3.connect(sqlite_db) as c:
        c.execute("DELETE FROM rule_sets WHERE code = 'vn-2017'")
    r = run("init", db=sqlite_db)
    assert r.code == 0, r
    assert [c for c, _, _ in rule_sets(sqlite_db)] == ["vn-2017", "vn-2022", "vn-2026"]


def test_show_both_sets(db):
    r = run("rules", "show", "--year", "2019", db=db, lang="en")
    assert r.code == 0 and "vn-2017 (effective 2017-09-15)" in r.out
    for code in ["LDTT", "CSTT", "CSTDCS", "BKTTG", "HCCSVV1"]:
        assert "\n" + code + " — " in r.out, code
    r = run("rules", "show", "LDTT", "--year", "2023", db=db, lang="en")
    assert "vn-2017" in r.out and "tenure ≥ 10 months" in r.out
    assert "Quota: ≤ 70 % of members in each enterprise" in r.out
    assert "NĐ 91/2017/NĐ-CP" in r.out
    r = run("rules", "show", "LDTT", "--year", "2024", db=db, lang="en")
    assert "vn-2022" in r.out and "tenure ≥ 6 months" in r.out
    r = run("rules", "show", "--rule-set", "vn-2017", "CSTDCS", db=db, lang="en")
    assert r.code == 0 and "vn-2017" in r.out and "rating ≥ HTXSNV" not in r.out
    r = run("rules", "show", "--rule-set", "vn-2022", "CSTDCS", db=db, lang="en")
    assert r.code == 0 and "rating ≥ HTXSNV" in r.out


def test_init_without_source_tree(tmp_path):
    t = str(tmp_path / "x.db")
    r = run("init", db=t, cwd="/")
    assert r.code == 0, r
    assert run("rules", "show", "CSTDCS", db=t, cwd="/").code == 0
    assert run("rules", "show", "CSTDCS", "--year", "2019", db=t, cwd="/").code == 0


def test_load_and_versions(db, tmp_path):
    f = write(tmp_path, "new.yaml", GOOD)
    r = run("rules", "load", f, db=db)
    assert r.code == 0, r
    r = run("rules", "load", f, db=db, lang="en")
    assert r.code == 0 and "unchanged" in r.err
    # in force by year: 2025 under vn-2022, 2026 under the new set
    r = run("rules", "show", "LDTT", "--year", "2026", db=db)
    assert "test-2026" in r.out and "HTXSNV" in r.out
    r = run("rules", "show", "LDTT", "--year", "2025", db=db)
    assert "vn-2022" in r.out
    r = run("rules", "show", "--rule-set", "vn-2022", "BKBQP", db=db, lang="en")
    assert "unused by CSTDCS" in r.out


def test_load_refusals(db, tmp_path):
    cases = [
        (GOOD.replace("    level: base\n", "    level: base\n    colour: red\n"),
         ":10:5:", "unknown key for an award: colour"),
        (GOOD.replace("rating: {min: HTXSNV}", "ratting: {min: HTXSNV}"),
         ":13:9:", "unknown clause kind: ratting"),
        (GOOD.replace("rating: {min: HTXSNV}", "award: {code: CSTDCS}"),
         ":13:23:", "unknown award code: CSTDCS"),
        (GOOD.replace("rating: {min: HTXSNV}", "tenure: {min_months: six}"),
         ":13:30:", "a whole number is expected"),
        (GOOD.replace("rating: {min: HTXSNV}", "award: {code: B}") +
         GOOD[GOOD.index("  - code: LDTT"):].replace("code: LDTT", "code: B", 1)
         .replace("rating: {min: HTXSNV}", "award: {code: LDTT}"),
         ":5:11:", "cycle between awards: LDTT → B → LDTT"),
    ]
    for i, (text, where, why) in enumerate(cases):
        f = write(tmp_path, f"bad{i}.yaml", text)
        r = run("rules", "load", f, db=db, lang="en")
        assert r.code == 1, (i, r)
        assert f + where in r.err and why in r.err, (i, r.err)
    r = run("rules", "load", str(tmp_path / "missing.yaml"), db=db)
    assert r.code == 1
    r = run("rules", "show", "NOPE", db=db)
    assert r.code == 1
    r = run("rules", db=db)
    assert r.code == 2
