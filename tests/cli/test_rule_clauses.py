"""Rule-set clauses no other test reaches, on both backends, each with a
subject that meets it and one that does not: `all` (every child, not any
of them), an innovations clause's `min_benefit` (an innovation worth less
does not count) and a score clause's `min_points` (the movement's score,
not the rank)."""
import json

from testbed import run, seed_movements, write

RULES = """rule_set: test-clauses
effective: 2025-01-01
ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}
awards:
  - code: AX
    name: {vi: "Thử all", en: "All test"}
    family: title
    subject: person
    level: base
    basis: "thử"
    cash: {coefficient: 0.3}
    require:
      - all:
          - rating: {min: HTXSNV}
          - innovations: {min_level: base, min_count: 1, within_years: 1}
  - code: BX
    name: {vi: "Thử min_benefit", en: "Benefit test"}
    family: title
    subject: person
    level: base
    basis: "thử"
    cash: {coefficient: 0.3}
    require:
      - innovations: {min_level: base, min_count: 1, within_years: 1, min_benefit: 1000000}
  - code: SX
    name: {vi: "Thử min_points", en: "Points test"}
    family: title
    subject: unit
    level: base
    basis: "thử"
    cash: {coefficient: 0.3}
    require:
      - score: {movement: TDQT-2025, min_points: 80}
"""
# P01: HTXSNV and an innovation worth 5,000,000; P02: HTXSNV, no
# innovation; P03: HTTNV and an innovation worth 100.
RATINGS = "year,subject,rating\n2025,P01,HTXSNV\n2025,P02,HTXSNV\n2025,P03,HTTNV\n"
INNOVATIONS = ("code,kind,title,year,level,authors,benefit\n"
               "SK1,initiative,Cải tiến A,2025,base,P01,5000000\n"
               "SK2,initiative,Cải tiến B,2025,base,P03,100\n")


def verdicts(db, award):
    r = run("--format", "json", "eligibility", "--year", "2025", "--rule-set",
            "test-clauses", "--award", award, db=db)
    assert r.code == 0, r
    return {x["subject"]: x["verdict"] for x in json.loads(r.out)["results"]}


def test_all_min_benefit_min_points(db, tmp_path):
    seed_movements(db)
    for kind, text in (("ratings", RATINGS), ("innovations", INNOVATIONS)):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r
    r = run("rules", "load", write(tmp_path / "r.yaml", RULES), db=db)
    assert r.code == 0, r
    # all: only P01 has both; `any` would also take P02 and P03
    ax = verdicts(db, "AX")
    assert ax["P01"] == "eligible"
    assert ax["P02"] == "ineligible" and ax["P03"] == "ineligible"
    # min_benefit: P03's innovation of 100 does not count
    bx = verdicts(db, "BX")
    assert bx["P01"] == "eligible" and bx["P03"] == "ineligible"
    assert bx["P02"] == "ineligible"
    # min_points 80 on TDQT-2025 (PX3 100, PX1 96.67, PX2 70, PKT 0):
    # PX2 ranks second but has too few points
    scores = {x["subject"]: x["score"] for x in json.loads(run(
        "evaluate", "--movement", "TDQT-2025", "--format", "json",
        db=db).out)["results"]}
    assert scores["PX2"] == 70 and scores["PX3"] == 100
    sx = verdicts(db, "SX")
    assert sx["PX3"] == "eligible" and sx["PX1"] == "eligible"
    assert sx["PX2"] == "ineligible" and sx["PKT"] == "ineligible"
