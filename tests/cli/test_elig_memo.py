"""The eligibility engine sorts results into classes by keys of what they
depend on (src/elig-class.c) and the writer formats each class once and
copies it for the other subjects of the class (src/elig-svc.c, "Texts of
result classes"); clause explanations are remembered the same way
(src/elig.c). A key that missed a fact would give one subject another's
sentence, evidence or missing item. So: on an enterprise where many people share
ratings, awards, joining days and innovations that do or do not count,
every subject's results in the whole year's document (written with those
memories) must equal the results of that subject asked alone, in JSON and
in the table, in Vietnamese and in English."""
import json
import random

import pytest

from testbed import make_target, run, write

RATINGS = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]
JOINED = ["1995-03-01", "2005-07-15", "2015-01-01", "2024-04-02", "2025-02-10",
          "2025-04-02"]


def enterprise(tmp_path):
    """A deterministic enterprise of 420 people with repeated patterns."""
    rnd = random.Random(20251127)
    units = ["code,name,parent,kind,military", "Z,Công ty Z,,enterprise,0"]
    for u in "ABCD":
        units.append(f"{u},Phân xưởng {u},Z,workshop,{1 if u == 'D' else 0}")
    people = ["code,name,unit,category,joined"]
    ratings = ["year,subject,rating"]
    awards = ["year,subject,award,decision,date,based_on"]
    innov = ["code,kind,title,year,level,authors"]
    disc = ["subject,form,from,to"]
    for i in range(420):
        code = f"Q{i:03d}"
        people.append(f"{code},Người {i},{'ABCD'[i % 4]},"
                      f"{'employee' if i % 5 else 'officer'},{JOINED[i % len(JOINED)]}")
        pattern = rnd.randrange(6)          # few rating histories, shared
        for y in range(2016, 2026):
            ratings.append(f"{y},{code},{RATINGS[(pattern + (y % 3 == 0) * (i % 2)) % 4]}")
        for y in range(2019, 2025):
            if (i + y) % 3 == 0:
                awards.append(f"{y},{code},CSTDCS,QD-{y}/{i},{y}-12-20,")
            elif (i + y) % 3 == 1:
                awards.append(f"{y},{code},LDTT,QD-{y}/{i},{y}-12-20,")
        if i % 50 == 7:
            awards.append(f"2020,{code},BKBQP,QD-20/B{i},2020-12-20,")
        if i % 4 == 1:   # innovations that count for some clauses and not others
            level = ["base", "ministry", "national"][i % 3]
            kind = ["initiative", "research", "mechanisation"][i % 3]
            year = [2016, 2024, 2025][(i // 4) % 3]
            innov.append(f"SK-{i},{kind},Sáng kiến {i},{year},{level},{code}")
        if i % 37 == 3:
            disc.append(f"{code},reprimand,2025-03-01,2025-09-01")
        if i % 53 == 5:
            disc.append(f"{code},warning,2019-03-01,2019-09-01")
    db = make_target("sqlite", tmp_path)
    assert run("init", db=db).code == 0
    for kind, rows in [("units", units), ("people", people), ("ratings", ratings),
                       ("awards", awards), ("innovations", innov),
                       ("discipline", disc)]:
        r = run("import", kind, write(tmp_path / f"{kind}.csv", "\n".join(rows) + "\n"),
                db=db)
        assert r.code == 0, r
    return db


@pytest.fixture(scope="module")
def ent(tmp_path_factory):
    return enterprise(tmp_path_factory.mktemp("memo"))


def table_blocks(out):
    """The table's results by subject: lines from a subject's first line on."""
    blocks, cur = {}, None
    for line in out.splitlines():
        if line and not line.startswith(" "):
            cur = line.split()[0]
        if cur is not None:
            blocks.setdefault(cur, []).append(line)
    return blocks


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_whole_document_equals_each_subject_alone(ent, lang):
    r = run("eligibility", "--year", "2025", "--format", "json", db=ent, lang=lang)
    assert r.code == 0, r
    whole = {}
    for x in json.loads(r.out)["results"]:
        whole.setdefault(x["subject"], []).append(x)
    assert len(whole) == 425
    t = run("eligibility", "--year", "2025", db=ent, lang=lang)
    assert t.code == 0, t
    tables = table_blocks(t.out)
    # the repeated patterns must really repeat (or nothing was remembered)
    texts = [json.dumps(x["clauses"]) for xs in whole.values() for x in xs]
    assert len(set(texts)) < len(texts) / 2
    for subject in sorted(whole)[::3] + ["Z", "A", "D"]:
        one = run("eligibility", "--year", "2025", "--format", "json",
                  "--subject", subject, db=ent, lang=lang)
        assert one.code == 0, one
        assert json.loads(one.out)["results"] == whole[subject], subject
        one = run("eligibility", "--year", "2025", "--subject", subject,
                  db=ent, lang=lang)
        assert one.code == 0, one
        assert table_blocks(one.out)[subject] == tables[subject], subject


@pytest.mark.parametrize("fmt", ["json", "table", "csv"])
@pytest.mark.parametrize("rule_set", ["vn-2022", "vn-2017"])
def test_compiled_keys_equal_result_keys(ent, fmt, rule_set):
    """The engine compiles each award's result key into steps
    (src/elig-class.c); with THIDUA_CHECK_KEYS set it also works out every
    key clause by clause (result_key) and aborts on any difference. The
    document must not change either."""
    args = ("eligibility", "--year", "2025", "--format", fmt, "--rule-set", rule_set)
    plain = run(*args, db=ent)
    assert plain.code == 0, plain
    checked = run(*args, db=ent, env={"THIDUA_CHECK_KEYS": "1"})
    assert checked.code == 0, checked
    assert checked.out == plain.out
