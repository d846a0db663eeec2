"""thidua schedule on both backends: the contract's JSON document, the
statuses, a chain where only the first task is slow (the others at risk,
caused by it, and listed in its impacts), --unit over the subtree while
propagation uses the whole graph, table and CSV, bilingual errors with
the right exit codes, and suggested campaigns that `thidua movement
load` and `thidua import targets` accept."""
import csv
import io
import json

import pytest

from testbed import make_target, run, write

UNITS = """code,name,parent,kind
Z121,Nhà máy Z121,,enterprise
A1,Phân xưởng A1,Z121,workshop
A2,Phân xưởng A2,Z121,workshop
T2,Tổ 2 của A2,A2,team
X,Nhà máy khách hàng,,enterprise
"""
# A (A1) feeds B (A2) feeds C (T2, under A2); C feeds the customer's D
# (unit X) after a 3-day lag. E is independent and done on time.
TASKS = """code,name,unit,quantity,start,due,product,customer,hard
A,Bán thành phẩm A,A1,100,2025-06-01,2025-06-10,kíp nổ,,1
B,Cụm B,A2,100,2025-06-11,2025-06-20,,,0
C,Sản phẩm C,T2,100,2025-06-21,2025-06-30,,Nhà máy X,1
D,Lắp ráp D,X,50,2025-07-04,2025-07-10,,,0
E,Dây nổ E,A1,20,2025-05-20,2025-06-03,dây nổ,,0
"""
LINKS = """task,depends_on,lag_days
B,A,0
C,B,0
D,C,3
"""
# A: 5 a day for 5 days (needs 10); E: done on 2025-06-03.
PROGRESS = """task,date,quantity
A,2025-06-01,5
A,2025-06-02,5
A,2025-06-03,5
A,2025-06-04,5
A,2025-06-05,5
E,2025-05-20,10
E,2025-06-03,10
"""
KEYS = {"task", "unit", "quantity", "done", "planned_to_date", "due",
        "forecast_finish", "slip_days", "status", "caused_by", "impacts"}


@pytest.fixture
def sdb(db, tmp_path):
    for kind, text in (("units", UNITS), ("tasks", TASKS),
                       ("task-links", LINKS), ("progress", PROGRESS)):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r
    return db


def schedule(db, *args):
    r = run("schedule", "--as-of", "2025-06-05", "--format", "json", *args,
            db=db)
    assert r.code == 0, r
    return json.loads(r.out)


def by_task(doc):
    return {t["task"]: t for t in doc["tasks"]}


def test_json_document(sdb):
    doc = schedule(sdb)
    assert doc["as_of"] == "2025-06-05"
    t = by_task(doc)
    assert set(t) == {"A", "B", "C", "D", "E"}
    for x in doc["tasks"]:
        assert KEYS <= set(x), x
    a = t["A"]
    assert (a["unit"], a["quantity"], a["done"]) == ("A1", 100, 25)
    assert a["planned_to_date"] == 50
    assert a["due"] == "2025-06-10"
    # 75 left at 5 a day from 2025-06-06: 15 days
    assert a["forecast_finish"] == "2025-06-20"
    assert a["slip_days"] == 10
    assert a["status"] == "at_risk"
    assert a["caused_by"] == []
    assert a["impacts"] == ["B", "C", "D"]
    for k in ("B", "C", "D"):
        assert t[k]["status"] == "at_risk"
        assert t[k]["caused_by"] == ["A"]
        assert t[k]["slip_days"] == 10
        assert t[k]["impacts"] == []
    # D waits for C (2025-07-10) plus 3 days: starts 2025-07-14
    assert t["D"]["forecast_finish"] == "2025-07-20"
    assert t["E"]["status"] == "done"
    assert t["E"]["forecast_finish"] == "2025-06-03"
    assert t["E"]["slip_days"] == 0
    # hard first, then the biggest slip; done last
    assert [x["task"] for x in doc["tasks"]] == ["A", "C", "B", "D", "E"]


def test_statuses_over_time(sdb):
    t = by_task(schedule(sdb, "--as-of", "2025-06-25"))
    assert t["A"]["status"] == "late"     # due passed, not done
    # no progress inside 14 days, started 24 days ago: stalled wins over
    # at_risk; C and D have not started: never stalled
    t = by_task(schedule(sdb, "--as-of", "2025-06-09"))
    assert t["A"]["status"] == "at_risk"
    assert t["C"]["status"] == "at_risk"
    t = by_task(schedule(sdb, "--as-of", "2025-06-10", "--window", "5"))
    assert t["A"]["status"] == "stalled"
    assert t["A"]["forecast_finish"] is None   # no pace: no finite forecast
    assert t["A"]["slip_days"] is None
    assert t["B"]["forecast_finish"] is None
    assert t["B"]["caused_by"] == ["A"]
    assert t["D"]["status"] == "at_risk"


def test_unit_subtree(sdb):
    doc = schedule(sdb, "--unit", "A2")
    assert [x["task"] for x in doc["tasks"]] == ["C", "B"]
    assert by_task(doc)["C"]["caused_by"] == ["A"]


def test_same_on_both_backends(tmp_path):
    docs = []
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        for kind, text in (("units", UNITS), ("tasks", TASKS),
                           ("task-links", LINKS), ("progress", PROGRESS)):
            r = run("import", kind, write(tmp_path / f"{kind}.csv", text),
                    db=db)
            assert r.code == 0, r
        docs.append(schedule(db))
    assert docs[0] == docs[1]


def test_table_and_csv(sdb):
    r = run("schedule", "--as-of", "2025-06-05", db=sdb, lang="en")
    assert r.code == 0, r
    lines = r.out.splitlines()
    assert lines[0].startswith("Key-task schedule as of 2025-06-05")
    rows = [ln.split()[0] for ln in lines[2:]]
    assert rows == ["A", "C", "B", "D", "E"]
    assert "at risk" in lines[2]
    r = run("schedule", "--as-of", "2025-06-05", "--format", "csv", db=sdb)
    assert r.code == 0, r
    rows = list(csv.DictReader(io.StringIO(r.out)))
    assert rows[0]["task"] == "A"
    assert rows[0]["impacts"] == "B;C;D"
    assert rows[1]["caused_by"] == "A"


def test_errors(sdb):
    r = run("schedule", "--as-of", "2025-13-01", db=sdb, lang="en")
    assert r.code == 2 and "--as-of" in r.err and "bad date" in r.err
    r = run("schedule", "--unit", "NOPE", db=sdb)
    assert r.code == 1 and "NOPE" in r.err and "không có đơn vị" in r.err
    r = run("schedule", "--unit", "NOPE", db=sdb, lang="en")
    assert r.code == 1 and "no such unit" in r.err
    r = run("schedule", "--window", "0", db=sdb, lang="en")
    assert r.code == 2 and "--window" in r.err
    r = run("schedule", "extra", db=sdb)
    assert r.code == 2


def test_suggested_campaign_loads(sdb, tmp_path):
    r = run("schedule", "--as-of", "2025-06-05", "--suggest-campaigns",
            db=sdb)
    assert r.code == 0, r
    yaml = r.out
    assert "kind: campaign" in yaml and "scope: A1" in yaml
    # hard C is at risk too, but it cannot begin before its due date
    # (it waits for A through B): no campaign of its unit can help, so
    # only A gets one.
    assert yaml.count("\ncode: ") == 1
    r = run("schedule", "--as-of", "2025-06-05", "--suggest-campaigns",
            "--format", "json", db=sdb)
    doc = json.loads(r.out)
    (c,) = doc["campaigns"]
    assert c["task"] == "A" and c["days"] == 5 and c["daily_target"] == 15
    assert c["movement"]["scope"] == "A1"
    assert c["yaml"] == yaml
    r = run("schedule", "--as-of", "2025-06-05", "--suggest-campaigns",
            "--format", "csv", db=sdb)
    targets = r.out
    assert targets.splitlines()[1] == f"{c['movement']['code']},A1,output,15"
    r = run("movement", "load", write(tmp_path / "c.yaml", yaml), db=sdb)
    assert r.code == 0, r
    r = run("import", "targets", write(tmp_path / "t.csv", targets), db=sdb)
    assert r.code == 0, r
    r = run("evaluate", "--movement", c["movement"]["code"], "--format",
            "json", db=sdb)
    assert r.code == 0, r
    ev = json.loads(r.out)
    assert ev["results"][0]["subject"] == "A1"
    assert ev["results"][0]["criteria"][0]["target"] == 15


def test_big_same_on_both_backends(tmp_path):
    """40,000 tasks: big enough for the two-thread SQLite loader and the
    two-thread rendering; PostgreSQL loads serially. Same document."""
    n = 40000
    tasks = ["code,name,unit,quantity,start,due,hard"]
    links = ["task,depends_on,lag_days"]
    prog = ["task,date,quantity"]
    for i in range(n):
        g, k = divmod(i, 100)           # chains of 100 tasks, 3 days each
        start = 3 * k
        tasks.append(f"K{i:05d},Việc {i},{'A1' if g % 2 else 'T2'},30,"
                     f"2025-01-{1 + start % 28:02d},"
                     f"2025-01-{3 + start % 28:02d},{int(i % 7 == 0)}")
        if k and start % 28 <= 25 and (start - 3) % 28 <= 25:
            links.append(f"K{i:05d},K{i - 1:05d},{i % 2}")
        if k < 3:
            for d in range(1, 4):
                prog.append(f"K{i:05d},2025-01-{start % 28 + d:02d},"
                            f"{10 if i % 5 else 4}")
    docs = []
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        for kind, rows in (("units", None), ("tasks", tasks),
                           ("task-links", links), ("progress", prog)):
            text = UNITS if rows is None else "\n".join(rows) + "\n"
            r = run("import", kind, write(tmp_path / f"{kind}.csv", text),
                    db=db)
            assert r.code == 0, r
        docs.append(schedule(db, "--as-of", "2025-01-10"))
        r = run("schedule", "--as-of", "2025-01-10", "--format", "csv",
                db=db)
        assert r.code == 0 and len(r.out.splitlines()) == n + 1
    assert len(docs[0]["tasks"]) == n
    assert docs[0] == docs[1]
    st = {t["status"] for t in docs[0]["tasks"]}
    assert {"done", "late", "at_risk"} <= st
    assert any(t["impacts"] for t in docs[0]["tasks"])
