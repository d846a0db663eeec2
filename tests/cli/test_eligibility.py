"""thidua eligibility: the default rule set's awards on a small enterprise
(tests/data/rules), one eligible and one ineligible case per award, the
contract's JSON shape, the same verdicts on SQLite and PostgreSQL, and
refusals."""
import json

import pytest

from testbed import RULES_DATA, load_eligibility_data as load, make_target, run, write

DATA = RULES_DATA

# (award, eligible subject, ineligible subject): built from RULES.md's wording
CASES = [
    ("LDTT", "A1", "A4"),          # HTNV is not enough
    ("CSTT", "M2", "M4"),          # joined 2025-04-02: one day short of 9 months
    ("CSTDCS", "A1", "A2"),        # LDTT + HTXSNV / LDTT without the extra
    ("CSTDTQ", "L1", "L2"),        # 3 consecutive CSTDCS + ministry innovation / 2024 missing
    ("CSTDTQG", "L3", "L1"),       # CSTDTQ twice in 6 years + national innovation
    ("TTLDTT", "A", "B"),          # > 50 % of members LDTT / 1 of 3
    ("DVTT", "M", "N"),            # military unit; N: 1 of 2 is not > 50 %
    ("TTLDXS", "A", "B"),          # HTXSNV, 100 % ≥ HTNV, 75 % LDTT, a CSTDCS
    ("DVQT", "M", "N"),            # N had a serious incident
    ("CTDTC", "A", "M"),           # TTLDXS/DVQT and rank 1 in the regular movement
    ("GK", "A2", "A4"),
    ("BKBQP", "L4", "L2"),         # 2 x HTXSNV + 2 unused initiatives
    ("BKTTG", "L5", "L4"),         # BKBQP 2019, then 6 x HTTNV and 3 x CSTDCS
    ("HCLD3", "L6", "L5"),         # BKTTG 2019, then 5+ years, 1 HTXSNV, 3 x CSTDCS
    ("HCBVTQ3", "K1", "K2"),
    ("HCQKQT", "K3", "K2"),        # 25 years of service
    ("HCCSVV3", "K4", "K5"),       # K5 already holds it (2021)
    ("HCCSVV2", "K6", "K5"),       # 15 to under 20 years (K5 has 21: hạng Nhất's range)
    ("HCCSVV1", "K5", "K6"),       # 20 years or more
    ("HCCSVV2", "K7", "K4"),       # continuous since 2010 (the break before not counted): 16 years
    ("HCCSVV2", "K8", "K4"),       # 2 hardship years count 4: 24 × 2 + 144 = 192 months
]


def verdicts(t, *args, lang=None):
    r = run("eligibility", "--year", "2025", "--format", "json", *args, db=t,
            lang=lang)
    assert r.code == 0, r
    return json.loads(r.out)


@pytest.fixture
def org(db):
    load(db)
    return db


def test_every_default_award(org):
    doc = verdicts(org)
    got = {(x["subject"], x["award"]): x["verdict"] for x in doc["results"]}
    for award, yes, no in CASES:
        assert got.get((yes, award)) == "eligible", (award, yes)
        assert got.get((no, award)) == "ineligible", (award, no)
    # a pending case open at the year's end holds every verdict
    assert {v for (s, a), v in got.items() if s == "B1"} == {"held"}


def test_contract_shape(org):
    doc = verdicts(org)
    assert set(doc) == {"year", "rule_set", "results"}
    assert doc["year"] == 2025 and doc["rule_set"] == "vn-2022"
    for x in doc["results"]:
        assert set(x) == {"subject", "subject_kind", "award", "verdict",
                          "clauses", "based_on", "missing"}
        assert x["verdict"] in ("eligible", "ineligible", "over_quota", "held")
        assert x["subject_kind"] in ("person", "unit")
        for c in x["clauses"]:
            assert set(c) == {"clause", "ok", "text", "evidence"}
            assert isinstance(c["ok"], bool) and c["text"]
        if x["verdict"] == "ineligible":
            assert x["missing"], x
    # fit: employees never get CSTT, soldiers never LDTT, civil units never DVQT
    kinds = {(x["subject"], x["award"]) for x in doc["results"]}
    assert ("A1", "CSTT") not in kinds and ("M1", "LDTT") not in kinds
    assert ("A", "DVQT") not in kinds and ("M", "TTLDXS") not in kinds


def test_explanations(org):
    x = verdicts(org, "--subject", "L2", "--award", "CSTDTQ", lang="en")["results"][0]
    assert x["verdict"] == "ineligible"
    assert "needs CSTDCS in 2026–2027 to make 3 consecutive years" in x["missing"]
    x = verdicts(org, "--subject", "A", "--award", "TTLDXS")["results"][0]
    texts = " | ".join(c["text"] for c in x["clauses"])
    assert "3/4 = 75.0 % ≥ 70.0 %" in texts
    x = verdicts(org, "--subject", "L4", "--award", "BKBQP")["results"][0]
    assert sorted(x["based_on"]) == ["SK-L4a", "SK-L4b"]
    x = verdicts(org, "--subject", "N", "--award", "DVQT", lang="en")["results"][0]
    assert any("N 2025-05-12 (serious)" in e for c in x["clauses"] for e in c["evidence"])


def test_same_verdicts_on_both_backends(tmp_path):
    docs = []
    for backend in ("sqlite", "pg"):
        t = make_target(backend, tmp_path)
        assert run("init", db=t).code == 0
        load(t)
        docs.append(verdicts(t))
    key = lambda x: (x["subject"], x["award"])
    assert sorted(docs[0]["results"], key=key) == sorted(docs[1]["results"], key=key)


def test_table_and_csv(org):
    r = run("eligibility", "--year", "2025", "--subject", "A1", db=org)
    assert r.code == 0 and "CSTDCS" in r.out and "✓" in r.out
    r = run("eligibility", "--year", "2025", "--format", "csv", db=org)
    lines = r.out.splitlines()
    assert lines[0] == "subject,subject_kind,award,verdict,based_on,missing,clauses"
    assert len(lines) == 1 + len(verdicts(org)["results"])


def test_refusals(org):
    r = run("eligibility", db=org)
    assert r.code == 2 and "--year" in r.err
    r = run("eligibility", "--year", "2025", "--award", "NOPE", db=org, lang="en")
    assert r.code == 1 and "NOPE" in r.err
    r = run("eligibility", "--year", "2025", "--subject", "X9", db=org, lang="en")
    assert r.code == 1 and "X9" in r.err
    r = run("eligibility", "--year", "2025", "--rule-set", "nope", db=org)
    assert r.code == 1


# --- the previous regime, rules/vn-2017.yaml (years 2017-2023) -------------
# One civil enterprise, rated in 2019 (vn-2017) and 2025 (vn-2022). F1-F6
# (HTNV) keep the LDTT candidates under vn-2017's 70 % quota; I and I2 both
# have a 2019 initiative, so the CSTDCS quota (10 % of 15 rated) admits one.
# Q (not rated, so outside the quotas) holds CSTDTQ in 2016 and 2018.
OLD = {
    "units": "code,name,parent,kind,military\n"
             "Z,Công ty Z,,enterprise,0\nA,Phân xưởng A,Z,workshop,0\n",
    "people": "code,name,unit,category,joined\n"
              + "".join(f"E{i},Nhân viên E{i},A,employee,2010-01-01\n" for i in range(1, 5))
              + "".join(f"F{i},Nhân viên F{i},A,employee,2010-01-01\n" for i in range(1, 7))
              + "T19,Mới tuyển 2019,A,employee,2019-05-01\n"
                "T25,Mới tuyển 2025,A,employee,2025-05-01\n"
                "X,Xuất sắc không sáng kiến,A,employee,2010-01-01\n"
                "I,Có sáng kiến,A,employee,2010-01-01\n"
                "I2,Có sáng kiến 2,A,employee,2010-01-01\n"
                "R,Bị khiển trách,A,employee,2010-01-01\n"
                "D,Công nhân quốc phòng,A,defence_worker,2010-01-01\n"
                "Q,Sĩ quan,A,officer,2000-01-01\n",
    "ratings": "year,subject,rating\n" + "".join(
        f"{y},{s},{r}\n" for y in (2019, 2025) for s, r in
        [(f"E{i}", "HTTNV") for i in range(1, 5)] + [(f"F{i}", "HTNV") for i in range(1, 7)]
        + [("T19" if y == 2019 else "T25", "HTTNV"), ("X", "HTXSNV"), ("I", "HTTNV"),
           ("I2", "HTTNV"), ("R", "HTTNV"), ("D", "HTTNV"), ("Z", "HTTNV"), ("A", "HTTNV")]),
    "innovations": "code,kind,title,year,level,authors\n"
                   "SK-I19,initiative,Sáng kiến 2019,2019,base,I\n"
                   "SK-I2,initiative,Sáng kiến khác 2019,2019,base,I2\n"
                   "SK-I25,initiative,Sáng kiến 2025,2025,base,I\n"
                   "SK-Q,research,Đề tài cấp nhà nước,2018,national,Q\n",
    "awards": "year,subject,award,decision,date,based_on\n"
              "2016,Q,CSTDTQ,QD-16,2016-12-20,\n2018,Q,CSTDTQ,QD-18,2018-12-20,\n",
    "discipline": "subject,form,from,to\n"
                  "R,reprimand,2019-03-01,2019-09-30\nR,reprimand,2025-03-01,2025-09-30\n",
}


@pytest.fixture
def old(db, tmp_path):
    for kind, text in OLD.items():
        p = tmp_path / (kind + ".csv")
        p.write_text(text, encoding="utf-8")
        r = run("import", kind, str(p), db=db)
        assert r.code == 0, r
    return db


def year_doc(t, year, *args, lang=None):
    r = run("eligibility", "--year", year, "--format", "json", *args, db=t, lang=lang)
    assert r.code == 0, r
    return json.loads(r.out)


def year_verdicts(t, year):
    return {(x["subject"], x["award"]): x for x in year_doc(t, year)["results"]}


def test_rule_set_in_force_by_year(old):
    for year, code in [(2017, "vn-2017"), (2019, "vn-2017"), (2023, "vn-2017"),
                       (2024, "vn-2022"), (2025, "vn-2022")]:
        assert year_doc(old, year)["rule_set"] == code, year
    r = run("eligibility", "--year", "2016", db=old, lang="en")
    assert r.code == 1 and "no rule set in force on 2016-12-31" in r.err
    # --rule-set still picks another set for a year
    assert year_doc(old, 2025, "--rule-set", "vn-2017")["rule_set"] == "vn-2017"


def test_tenure_ten_months_before_2024(old):
    # joined 8 months before the year's end: < 10 under NĐ 91, >= 6 since 2024
    v19, v25 = year_verdicts(old, 2019), year_verdicts(old, 2025)
    assert v19[("T19", "LDTT")]["verdict"] == "ineligible"
    assert v25[("T25", "LDTT")]["verdict"] == "eligible"
    assert v19[("E1", "LDTT")]["verdict"] == v25[("E1", "LDTT")]["verdict"] == "eligible"
    x = year_doc(old, 2019, "--subject", "T19", "--award", "LDTT", lang="en")["results"][0]
    assert any("8 months (needs 10)" in c["text"] for c in x["clauses"]), x


def test_cstdcs_needs_an_initiative_before_2024(old):
    v19, v25 = year_verdicts(old, 2019), year_verdicts(old, 2025)
    # X: LDTT and HTXSNV, no initiative: enough since 2024, not under NĐ 91
    assert v19[("X", "LDTT")]["verdict"] == "eligible"
    assert v19[("X", "CSTDCS")]["verdict"] == "ineligible"
    assert v25[("X", "CSTDCS")]["verdict"] == "eligible"
    x = year_doc(old, 2019, "--subject", "X", "--award", "CSTDCS", lang="en")["results"][0]
    failed = [c for c in x["clauses"] if not c["ok"]]
    assert [c["clause"] for c in failed] == ["innovations"], x
    assert "Innovations at base level or above in 2019: 0 (needs 1)" in failed[0]["text"]
    assert x["missing"] == ["needs 1 more innovation(s) at base level or above in 2019"]
    # an initiative makes it; TT 151's quota (10 % of 15 rated = 1) ranks
    # the second candidate (by code, no movement score) over the quota
    assert v19[("I", "CSTDCS")]["verdict"] == "eligible"
    assert v19[("I", "CSTDCS")]["based_on"] == ["SK-I19"]
    assert v19[("I2", "CSTDCS")]["verdict"] == "over_quota"
    assert v25[("I2", "CSTDCS")]["verdict"] == "ineligible"   # no 2025 initiative
    # vn-2022's two innovation alternatives name their kinds, so they read
    # differently (initiatives or mechanisation / research), both languages
    x = year_doc(old, 2025, "--subject", "I2", "--award", "CSTDCS", lang="en")["results"][0]
    (alt,) = [c for c in x["clauses"] if c["clause"] == "any"]
    assert any(e.startswith("✗ Initiatives or mechanisation works at base level")
               for e in alt["evidence"]), alt
    assert any(e.startswith("✗ Research projects at base level") for e in alt["evidence"])
    assert "needs 1 more innovation(s) (research projects) at base level" in x["missing"][-1]
    x = year_doc(old, 2025, "--subject", "I2", "--award", "CSTDCS")["results"][0]
    (alt,) = [c for c in x["clauses"] if c["clause"] == "any"]
    assert any(e.startswith("✗ Sáng kiến, cơ giới hoá cấp cơ sở") for e in alt["evidence"])
    assert any(e.startswith("✗ Đề tài khoa học cấp cơ sở") for e in alt["evidence"])
    assert "cần thêm 1 sáng kiến/cơ giới hoá cấp cơ sở" in x["missing"][-1]


def test_reprimand_bars_ldtt_in_both_sets(old):
    # NĐ 91: khiển trách or above excludes LĐTT; vn-2022 lists the same forms
    for year in (2019, 2025):
        x = year_verdicts(old, year)[("R", "LDTT")]
        assert x["verdict"] == "ineligible", year
        assert [c["clause"] for c in x["clauses"] if not c["ok"]] == ["no_discipline"]


def test_defence_workers_title_by_regime(old):
    # TT 151: factory CNVCQP get LĐTT; Law 06/2022 Đ.24: they get CSTT
    v19, v25 = year_verdicts(old, 2019), year_verdicts(old, 2025)
    assert v19[("D", "LDTT")]["verdict"] == "eligible" and ("D", "CSTT") not in v19
    assert v25[("D", "CSTT")]["verdict"] == "eligible" and ("D", "LDTT") not in v25


def test_cstdtqg_the_year_after_the_second_cstdtq(old):
    # TT 151: CSTĐ toàn quốc in the year right after the 2nd CSTĐ toàn quân
    got = {y: year_verdicts(old, y)[("Q", "CSTDTQG")] for y in (2018, 2019, 2020)}
    assert got[2019]["verdict"] == "eligible" and got[2019]["based_on"] == ["SK-Q"]
    assert got[2018]["verdict"] == got[2020]["verdict"] == "ineligible"
    assert [c["clause"] for c in got[2018]["clauses"] if not c["ok"]] == ["not"]
    assert [c["clause"] for c in got[2020]["clauses"] if not c["ok"]] == ["award"]


MEMBERS_RULES = """\
rule_set: test-members
effective: 2024-01-01
ratings: {HTXSNV: 90, HTTNV: 70, HTNV: 50}
awards:
  - code: LDTT
    name: {vi: "Lao động tiên tiến", en: "Advanced Worker"}
    family: title
    subject: person
    level: base
    basis: "Luật TĐKT 2022, Điều 24"
    require:
      - rating: {min: HTTNV}
  - code: TT
    name: {vi: "Tập thể lao động tiên tiến", en: "Advanced Collective"}
    family: title
    subject: unit
    level: base
    basis: "Luật TĐKT 2022, Điều 27"
    require:
      - members: {award: LDTT, min_pct: 50}
"""


def test_unit_award_counts_this_years_person_award(db, tmp_path):
    """A unit award whose members clause reads a person award decided just
    before it in the same run (no innovations, no quota in between): the
    members are counted only once every person's verdict is in, whichever
    order the engine takes the subjects in."""
    from testbed import write
    assert run("rules", "load", write(tmp_path / "r.yaml", MEMBERS_RULES), db=db).code == 0
    people = ["code,name,unit,category,joined"]
    ratings = ["year,subject,rating"]
    for u, rating in [("A", "HTTNV"), ("B", "HTNV")]:
        for i in range(3):
            people.append(f"{u}{i},Người {u}{i},{u},employee,2010-01-01")
            ratings.append(f"2025,{u}{i},{rating}")
    for kind, rows in [("units", ["code,name,parent,kind,military",
                                  "Z,Công ty,,enterprise,0", "A,A,Z,workshop,0",
                                  "B,B,Z,workshop,0"]),
                       ("people", people), ("ratings", ratings)]:
        r = run("import", kind, write(tmp_path / f"{kind}.csv", "\n".join(rows) + "\n"),
                db=db)
        assert r.code == 0, r
    doc = verdicts(db, "--rule-set", "test-members")
    got = {(x["subject"], x["award"]): x["verdict"] for x in doc["results"]}
    assert got[("A", "TT")] == "eligible"
    assert got[("B", "TT")] == "ineligible"
    assert got[("Z", "TT")] == "eligible"      # 3 of 6 = 50 %


def test_members_not_meeting_in_the_peoples_order_with_moves(db, tmp_path):
    """A unit's members are filed once per person (under the one unit of a
    person who stayed all year, under every unit of the year of one who
    moved); the members listed as not meeting a members clause are still
    the first five in the people's order, those who moved in or out during
    the year among them, and a person who moved counts once above; a unit
    whose own list alone has six not meeting it shows its first five."""
    from testbed import write
    people = ["code,name,unit,category,joined"]
    ratings = ["year,subject,rating"]
    for i in range(20):
        people.append(f"P{i:02d},Người {i},{'AB'[i % 2]},employee,2010-01-01")
        # two in three are HTNV: no LDTT, so not meeting TTLDTT's members clause
        ratings.append(f"2025,P{i:02d},{'HTTNV' if i % 3 == 2 else 'HTNV'}")
    for i in range(20, 26):     # C: six, none of them LDTT, no one moved
        people.append(f"P{i:02d},Người {i},C,employee,2010-01-01")
        ratings.append(f"2025,P{i:02d},HTNV")
    moves = ["code,name,unit,category,joined,moved"]
    for i, to in [(4, "B"), (7, "A"), (11, "A"), (16, "B")]:
        moves.append(f"P{i:02d},Người {i},{to},employee,2010-01-01,2025-07-01")
    for kind, name, rows in [
            ("units", "units", ["code,name,parent,kind,military",
                                "Z,Công ty,,enterprise,0", "A,A,Z,workshop,0",
                                "B,B,Z,workshop,0", "C,C,Z,workshop,0"]),
            ("people", "people", people), ("people", "moves", moves),
            ("ratings", "ratings", ratings)]:
        r = run("import", kind, write(tmp_path / f"{name}.csv", "\n".join(rows) + "\n"),
                db=db)
        assert r.code == 0, r
    doc = verdicts(db, "--award", "TTLDTT", lang="en")
    shown = {}
    for x in doc["results"]:
        if x["award"] == "TTLDTT":
            (cl,) = [c for c in x["clauses"] if c["clause"] == "members"]
            shown[x["subject"]] = (cl["text"], cl["evidence"])
    expect = {
        # A: its own all year (even), P04 and P16 until July, P07 and P11 from July
        "A": ("4/12", ["P00", "P04", "P06", "P07", "P10"]),
        # B: its own (odd), P07 and P11 until July, P04 and P16 from July
        "B": ("3/12", ["P01", "P03", "P04", "P07", "P09"]),
        "C": ("0/6", ["P20", "P21", "P22", "P23", "P24"]),
        "Z": ("6/26", ["P00", "P01", "P03", "P04", "P06"]),
    }
    for unit, (count, first) in expect.items():
        text, evidence = shown[unit]
        assert f": {count} = " in text, (unit, text)
        assert evidence == [f"not met: {p}" for p in first], (unit, evidence)


def test_an_innovation_an_award_rests_on_is_used(org, tmp_path):
    # L4's two initiatives make BKBQP (CASES); once the 2024 CSTĐCS rests
    # on SK-L4a, that one is used (unused_by: [CSTDCS]) and one is left.
    # The snapshot marks it from the award's based_on at the end of its
    # load (src/store-elig.c, finish_side), the copy then read as it is.
    p = write(tmp_path / "awards.csv", "year,subject,award,decision,date,based_on\n"
              "2024,L4,CSTDCS,QD-24/1,2024-12-20,SK-L4a\n")
    r = run("import", "awards", p, db=org)
    assert r.code == 0, r
    for _ in ("loaded", "copy"):
        (x,) = verdicts(org, "--subject", "L4", "--award", "BKBQP",
                        lang="en")["results"]
        assert x["verdict"] == "ineligible", x
        (c,) = [c for c in x["clauses"] if c["clause"] == "innovations"]
        assert not c["ok"] and any(e.startswith("SK-L4a: already used for")
                                   for e in c["evidence"]), c
