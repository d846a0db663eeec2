"""Issue 19, the law in force on the day a dossier is decided, on both
backends: whole-life windows (ever, once refused at proposal, decision and
import), service history (the `service` kind, sex, continuous periods,
coefficients, the service medals' ranges), vn-2026 and the transition
(propose --received, eligibility --as-of), rules list / diff, unclipped
movement scores, a movement without ratings, a person's unit by the
transfer history, and rule-file errors listed in one pass."""
import json

from testbed import run, write


def j(r):
    assert r.code == 0, r
    return json.loads(r.out)


def imp(db, tmp_path, kind, text):
    r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
    assert r.code == 0, r


def org(db, tmp_path):
    imp(db, tmp_path, "units", "code,name,kind,military\nU1,Đơn vị 1,enterprise,1\n"
        "U2,Đơn vị 2,workshop,1\n")
    imp(db, tmp_path, "people", "code,name,unit,category,joined,sex\n"
        "S17,Lính 17 năm,U1,professional_soldier,2008-06-01,male\n"
        "OLD,Sĩ quan 26 năm,U1,officer,2000-01-01,\n"
        "ALL3,Đủ ba hạng,U1,soldier,2000-01-01,female\n"
        "BRK,Có gián đoạn,U1,professional_soldier,2006-01-01,\n"
        "HARD,Vùng khó khăn,U1,professional_soldier,2014-01-01,\n")


def verdicts(db, *args, year="2025"):
    doc = j(run("eligibility", "--year", year, "--format", "json", *args, db=db))
    return doc, {(x["subject"], x["award"]): x for x in doc["results"]}


def test_lifetime_medals_are_not_given_twice(db, tmp_path):
    org(db, tmp_path)
    imp(db, tmp_path, "awards", "year,subject,award,decision,date\n"
        "2012,OLD,HCQKQT,QD-12/2012,2012-05-01\n"
        "2010,ALL3,HCCSVV3,QD-1,2010-01-01\n2012,ALL3,HCCSVV2,QD-2,2012-01-01\n"
        "2014,ALL3,HCCSVV1,QD-3,2014-01-01\n")
    _, v = verdicts(db)
    # HCQKQT of 2012 is outside the 12 years of the window: still held
    assert v[("OLD", "HCQKQT")]["verdict"] == "ineligible"
    assert "HCQKQT: 1 lần từ trước đến 2025" in json.dumps(
        v[("OLD", "HCQKQT")], ensure_ascii=False)
    for a in ("HCCSVV1", "HCCSVV2", "HCCSVV3"):
        assert v[("ALL3", a)]["verdict"] == "ineligible", a
    assert v[("ALL3", "HCQKQT")]["verdict"] == "eligible"
    # once: refused at import (another year), naming the earlier decision
    r = run("import", "awards", write(tmp_path / "a2.csv",
            "year,subject,award,decision,date\n2025,OLD,HCQKQT,QD-9,2025-05-01\n"),
            db=db, lang="en")
    assert r.code == 1 and "QD-12/2012" in r.err and "only once" in r.err, r
    # ... and twice in one file
    r = run("import", "awards", write(tmp_path / "a3.csv",
            "year,subject,award,decision\n2020,S17,HCCSVV3,A\n2021,S17,HCCSVV3,B\n"),
            db=db, lang="en")
    assert r.code == 1 and "only once" in r.err, r
    # at proposal, even with an administrator's override
    r = run("propose", "--year", "2025", "--award", "HCQKQT", "--subject", "OLD",
            "--override", "x", db=db, lang="en")
    assert r.code == 1 and "QD-12/2012" in r.err, r


def test_once_refused_at_decision(db, tmp_path):
    org(db, tmp_path)
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "HCQKQT", "--subject", "OLD", db=db))
    pid = doc["proposal"]
    # history arriving after the proposal: a grant of 2019
    imp(db, tmp_path, "awards", "year,subject,award,decision,date\n"
        "2019,OLD,HCQKQT,QD-7/2019,2019-07-01\n")
    assert run("proposal", "submit", pid, db=db).code == 0
    assert run("proposal", "review", pid, db=db).code == 0
    r = run("decide", pid, "--number", "1/QĐ", "--date", "2025-12-20",
            "--signer", "X", db=db, lang="en")
    assert r.code == 1 and "QD-7/2019" in r.err, r


def test_service_history_and_medal_ranges(db, tmp_path):
    org(db, tmp_path)
    _, v = verdicts(db)
    # 17 years, no medal: hạng Nhì, not hạng Ba (ranges 10–<15, 15–<20, ≥ 20)
    assert v[("S17", "HCCSVV2")]["verdict"] == "eligible"
    assert v[("S17", "HCCSVV3")]["verdict"] == "ineligible"
    assert v[("S17", "HCCSVV1")]["verdict"] == "ineligible"
    assert v[("OLD", "HCCSVV1")]["verdict"] == "eligible"
    assert v[("OLD", "HCQKQT")]["verdict"] == "eligible"
    # a 2-year break: continuous counts only the period after it (13 years)
    imp(db, tmp_path, "service", "person,from,to,kind,coefficient\n"
        "BRK,2006-01-01,2009-12-31,regular,\nBRK,2012-01-01,,regular,\n"
        "HARD,2014-01-01,2015-12-31,hardship,\nHARD,2016-01-01,,regular,\n")
    _, v = verdicts(db)
    assert v[("BRK", "HCCSVV3")]["verdict"] == "eligible"
    assert v[("BRK", "HCCSVV2")]["verdict"] == "ineligible"
    assert "168 " in v[("BRK", "HCCSVV3")]["clauses"][0]["text"]
    # two years at a hardship posting count as four: 24 × 2 + 120 = 168
    assert "168 " in v[("HARD", "HCCSVV3")]["clauses"][0]["text"]
    assert v[("HARD", "HCCSVV3")]["verdict"] == "eligible"
    # export round trip: the coefficient defaults from the kind
    r = run("export", "service", db=db)
    assert r.code == 0 and "HARD,2014-01-01,2015-12-31,hardship,2\n" in r.out, r
    r = run("export", "people", db=db)
    assert "S17,Lính 17 năm,U1,professional_soldier,2008-06-01,,,male" in r.out


def test_summed_periods_and_thresholds_by_sex(db, tmp_path):
    org(db, tmp_path)
    imp(db, tmp_path, "service", "person,from,to,kind\n"
        "BRK,2006-01-01,2009-12-31,regular\nBRK,2012-01-01,,regular\n")
    rules = write(tmp_path / "r.yaml", """rule_set: t-sex
effective: 2000-01-01
ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}
awards:
  - code: KNC
    name: {vi: "Kỷ niệm chương", en: "Commemorative medal"}
    family: commendation
    subject: person
    level: ministry
    once: true
    basis: "R: 25 years for men, 20 for women (a community reading)"
    require:
      - tenure: {min_months: 300, female_min_months: 240}
      - not: {award: {code: KNC, ever: true}}
  - code: SUM
    name: {vi: "Cộng dồn", en: "Summed"}
    family: commendation
    subject: person
    level: base
    basis: "test"
    require:
      - tenure: {min_months: 215, coefficients: {regular: 1}}
""")
    assert run("rules", "load", rules, db=db).code == 0
    _, v = verdicts(db, "--rule-set", "t-sex")
    assert v[("ALL3", "KNC")]["verdict"] == "eligible"     # a woman, 26 years
    assert v[("S17", "KNC")]["verdict"] == "ineligible"    # a man, 17 years
    # summed: 48 + 168 = 216 months, the break not counted
    assert v[("BRK", "SUM")]["verdict"] == "eligible"


def test_vn2026_list_diff_and_as_of(db, tmp_path):
    org(db, tmp_path)
    doc, _ = verdicts(db, year="2026")
    assert doc["rule_set"] == "vn-2026"
    doc, _ = verdicts(db, "--as-of", "2026-09-30")
    assert doc["rule_set"] == "vn-2022"
    doc, _ = verdicts(db, "--as-of", "2026-10-01")
    assert doc["rule_set"] == "vn-2026"
    doc, _ = verdicts(db, "--as-of", "2026-10-01", "--rule-set", "vn-2017")
    assert doc["rule_set"] == "vn-2017"
    sets = j(run("--format", "json", "rules", "list", db=db))["rule_sets"]
    assert sets[-2:] == [
        {"rule_set": "vn-2022", "effective": "2024-01-01", "until": "2026-09-30"},
        {"rule_set": "vn-2026", "effective": "2026-10-01", "until": None}]
    r = run("rules", "diff", "vn-2022", "vn-2026", db=db)
    assert r.code == 0 and "~ HCQKQT" in r.out and "+ KTCD" in r.out, r
    assert "(R)" in r.out
    r = run("rules", "show", "--rule-set", "vn-2026", db=db)
    assert r.out.count("Luật 06/2026/QH16") >= 21
    assert "thematic" in r.out
    assert run("rules", "diff", "vn-2022", db=db).code == 2


def test_transition_takes_the_more_favourable(db, tmp_path):
    org(db, tmp_path)
    # vn-2026 made stricter for HCCSVV2 (as an administrator would once the
    # amended text is read): the dossier received before 2026-10-01 keeps
    # the 2022 verdict, which is the more favourable
    stricter = write(tmp_path / "s.yaml", """rule_set: vn-2026
effective: 2026-10-01
ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}
awards:
  - code: HCCSVV2
    name: {vi: "Huy chương Chiến sĩ vẻ vang hạng Nhì", en: "Glorious Soldier Medal, Second Class"}
    family: commendation
    subject: person
    categories: [officer, professional_soldier, soldier]
    level: national
    once: true
    basis: "test: stricter"
    require:
      - tenure: {min_months: 400}
""")
    assert run("rules", "load", stricter, db=db).code == 0
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "HCCSVV2", "--subject", "S17", "--received", "2026-09-15", db=db))
    assert doc["received"] == "2026-09-15"
    (c,) = doc["candidates"]
    assert c["verdict"] == "eligible"
    t = c["eligibility"]["transition"]
    assert t["in_force_on_receipt"] == "vn-2022" and t["in_force_now"] == "vn-2026"
    assert t["decided_by"] == "vn-2022"
    assert t["by_rule_set"]["vn-2022"]["verdict"] == "eligible"
    assert t["by_rule_set"]["vn-2026"]["verdict"] == "ineligible"
    # received after the effective date: vn-2026 alone, and it refuses
    r = run("propose", "--year", "2025", "--award", "HCCSVV2", "--subject",
            "S17", "--received", "2026-10-02", db=db)
    assert r.code == 1, r
    # a bad date is the user's error
    r = run("propose", "--year", "2025", "--award", "HCCSVV2", "--subject",
            "S17", "--received", "2026-13-01", db=db)
    assert r.code == 1 and "received" in r.err, r


def test_rule_file_errors_in_one_pass(db, tmp_path):
    bad = write(tmp_path / "bad.yaml", """rule_set: bad
effective: 2024-01-01
ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}
awards:
  - code: A
    name: {vi: a, en: a}
    family: titel
    subject: person
    level: base
    basis: x
    require:
      - rating: {min: HTTNV, foo: 1}
      - tenure: {min_months: abc}
  - code: B
    name: {vi: b, en: b}
    family: title
    subject: person
    level: base
    basis: x
    require:
      - award: {code: ZZ, ever: true}
""")
    r = run("rules", "load", bad, db=db, lang="en")
    assert r.code == 1, r
    for where in ("bad.yaml:7:13: family:", "bad.yaml:12:30:", "bad.yaml:13:30: min_months:",
                  "bad.yaml:21:23: code:"):
        assert where in r.err, (where, r.err)


MV = """code: M-2025
name: {vi: "Thi đua 2025", en: "Emulation 2025"}
kind: regular
start: 2025-01-01
end: 2025-12-31
scope: U1
subjects: person
group_by: parent
criteria:
  - {code: out, metric: out, aggregate: sum, weight: 50, scoring: {ratio: {cap: 1.2}}}
  - {code: q, metric: q, aggregate: sum, weight: 50, scoring: {ratio: {cap: 1.0}}}
"""


def test_scores_not_clipped_and_units_of_the_period(db, tmp_path):
    org(db, tmp_path)
    # S17 moved to U2 on 2026-03-01: in the 2025 movement still in U1
    imp(db, tmp_path, "people", "code,name,unit,category,joined,moved\n"
        "S17,Lính 17 năm,U2,professional_soldier,2008-06-01,2026-03-01\n")
    assert run("movement", "load", write(tmp_path / "m.yaml", MV), db=db).code == 0
    imp(db, tmp_path, "targets", "movement,subject,criterion,target\n"
        "M-2025,S17,out,100\nM-2025,S17,q,10\nM-2025,OLD,out,100\nM-2025,OLD,q,10\n")
    imp(db, tmp_path, "records", "subject,metric,date,value\n"
        "S17,out,2025-06-01,150\nS17,q,2025-06-01,10\n"
        "OLD,out,2025-06-01,100\nOLD,q,2025-06-01,10\n")
    doc = j(run("evaluate", "--movement", "M-2025", "--format", "json", db=db))
    res = {x["subject"]: x for x in doc["results"]}
    # 100 × (50 × 1.2 + 50 × 1) / 100 = 110, not 100
    assert res["S17"]["score"] == 110 and res["OLD"]["score"] == 100
    assert res["S17"]["rank"] == 1
    assert res["S17"]["group"] == res["OLD"]["group"]


def test_movement_without_ratings_takes_the_rule_sets(db, tmp_path):
    org(db, tmp_path)
    rules = write(tmp_path / "thr.yaml", """rule_set: thr
effective: 2025-06-01
ratings: {HTXSNV: 95, HTTNV: 80, HTNV: 60}
awards:
  - code: GK
    name: {vi: "Giấy khen", en: "Certificate"}
    family: commendation
    subject: [person, unit]
    level: base
    basis: "test"
    require:
      - rating: {min: HTTNV}
""")
    assert run("rules", "load", rules, db=db).code == 0
    assert run("movement", "load", write(tmp_path / "m.yaml", MV), db=db).code == 0
    imp(db, tmp_path, "targets", "movement,subject,criterion,target\n"
        "M-2025,OLD,out,100\nM-2025,OLD,q,10\n")
    imp(db, tmp_path, "records", "subject,metric,date,value\n"
        "OLD,out,2025-06-01,92\nOLD,q,2025-06-01,9.2\n")
    doc = j(run("evaluate", "--movement", "M-2025", "--format", "json", db=db))
    (x,) = doc["results"]
    # 92: HTXSNV under the fixed 90/70/50, HTTNV under the set's 95/80/60
    assert x["score"] == 92 and x["rating"] == "HTTNV", x


def test_movement_file_errors_in_one_pass(db, tmp_path):
    bad = write(tmp_path / "mv.yaml", """code: M-1
name: {vi: a, en: b}
kind: regulr
start: 2025-01-01
end: 2025-13-31
scope: Z121
subjects: unit
colour: red
criteria:
  - code: out
    metric: output
    weight: heavy
    scoring: {ratio: {cap: 1.2}}
  - code: q
    metric: q
    wieght: 10
    scoring: {ratio: {cap: 1}}
""")
    r = run("movement", "load", bad, db=db, lang="en")
    assert r.code == 1, r
    for where in ("mv.yaml:8:1: colour:", "mv.yaml:3:7: kind:", "mv.yaml:5:6: end:",
                  "mv.yaml:12:13: weight:", "mv.yaml:16:5: wieght:"):
        assert where in r.err, (where, r.err)
