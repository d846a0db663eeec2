"""thidua eligibility: the default rule set's awards on a small enterprise
(tests/data/rules), one eligible and one ineligible case per award, the
contract's JSON shape, the same verdicts on SQLite and PostgreSQL, and
refusals."""
import json
import os

import pytest

from conftest import make_target, run

DATA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "data", "rules")

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
    ("HCCSVV2", "K5", "K4"),       # 15 years
    ("HCCSVV1", "K5", "K4"),       # 20 years
]


def load(t):
    for kind in ["units", "people", "ratings", "awards", "innovations",
                 "incidents", "discipline"]:
        r = run("import", kind, os.path.join(DATA, kind + ".csv"), db=t)
        assert r.code == 0, r
    r = run("movement", "load", os.path.join(DATA, "movement.yaml"), db=t)
    assert r.code == 0, r
    for kind in ["targets", "records"]:
        r = run("import", kind, os.path.join(DATA, kind + ".csv"), db=t)
        assert r.code == 0, r


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
