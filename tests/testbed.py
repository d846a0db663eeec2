"""What the CLI and API tests share (tests/conftest.py makes fixtures of
it): the binary, the PostgreSQL test cluster, the pinned "today", a
runner that returns (exit status, stdout, stderr), and the small data
sets more than one test directory loads.

THIDUA_BIN, THIDUA_TEST_PG and THIDUA_TEST_TMP come from tests/run.sh.
tests/pytest.ini puts this directory on sys.path: `from testbed import run`."""
import json
import os
import sqlite3
import struct
import subprocess
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("THIDUA_BIN", os.path.join(ROOT, "build", "thidua"))
PG = os.environ.get("THIDUA_TEST_PG", "")

# No test depends on the real date: every thidua the tests start takes
# this as today (THIDUA_TODAY, read by date_today()), unless the caller
# pins another day.
TODAY = os.environ.setdefault("THIDUA_TODAY", "2026-12-04")


class Result:
    def __init__(self, p):
        self.code = p.returncode
        self.out = p.stdout
        self.err = p.stderr

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out}\nstderr: {self.err}>"


def run(*args, db=None, input=None, lang=None, env=None, cwd=None):
    cmd = [BIN]
    if db is not None:
        cmd += ["--db", db]
    if lang is not None:
        cmd += ["--lang", lang]
    cmd += [str(a) for a in args]
    e = dict(os.environ)
    e.pop("THIDUA_DB", None)
    if env:
        e.update(env)
    p = subprocess.run(cmd, input=input, capture_output=True, text=True,
                       env=e, cwd=cwd, timeout=600)
    return Result(p)


def pg_target():
    """A fresh, empty schema in the test cluster, as a connection URL."""
    if not PG:
        pytest.fail("THIDUA_TEST_PG is not set (run the tests with make test)")
    schema = "t" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", PG, "-c",
                    f"CREATE SCHEMA {schema}"], check=True, capture_output=True)
    sep = "&" if "?" in PG else "?"
    return f"{PG}{sep}options=-csearch_path%3D{schema}"


def make_target(backend, tmp_path):
    if backend == "sqlite":
        return str(tmp_path / f"t-{uuid.uuid4().hex[:8]}.db")
    return pg_target()


# A columnar copy's segment (src/snapcache-col.c): its 64-byte header,
# then rows of (subject, metric or criterion index, day, value).
COLFILE_HEAD = struct.Struct("<8sIIqQqqqq")  # magic, seg, nseg, gen, nrows,
                                             # lo, hi, log seq, log tag
COLFILE_ROW = struct.Struct("<iHHd")


def colfile_header(path):
    with open(path, "rb") as f:
        h = COLFILE_HEAD.unpack(f.read(COLFILE_HEAD.size))
    return {"magic": h[0], "seg": h[1], "nseg": h[2], "gen": h[3],
            "nrows": h[4], "lo": h[5], "hi": h[6], "seq": h[7], "tag": h[8]}


def colfile_rows(path):
    data = open(path, "rb").read()[64:]
    return [COLFILE_ROW.unpack_from(data, i)
            for i in range(0, len(data), COLFILE_ROW.size)]


def table_triggers(db, table):
    """(name, sql) of the triggers on a table of a SQLite file."""
    with sqlite3.connect(db) as c:
        return sorted(tuple(r) for r in c.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name = ?", (table,)))


def table_count(db, table):
    with sqlite3.connect(db) as c:
        return c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def query(db, sql):
    """The rows of a query on either backend (db a PostgreSQL URL or a
    SQLite file), each its columns as text joined by commas (NULL as an
    empty text, as psql prints it)."""
    if db.startswith("postgres"):
        return subprocess.run(["psql", "-At", "-F", ",", db, "-c", sql],
                              capture_output=True, text=True,
                              check=True).stdout.splitlines()
    con = sqlite3.connect(db)
    try:
        return [",".join("" if v is None else str(v) for v in r)
                for r in con.execute(sql)]
    finally:
        con.close()


def sqlite_shell(db, sql):
    """A writer behind thidua's back (as the sqlite3 shell): triggers
    fire, no generation replaced."""
    c = sqlite3.connect(db)
    c.executescript(sql)
    c.close()


def write(path, text, bom=False, crlf=False):
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)
    return str(path)


# The award path's data (the `pdb` fixture): a workshop A4 of Z121 with
# three people rated in 2025, under tests/cli/data/proposal-rules.yaml.
PROPOSAL_RULES = os.path.join(ROOT, "tests", "cli", "data", "proposal-rules.yaml")
PROPOSAL_UNITS = """code,name,parent,kind
Z121,Nhà máy Z121,,enterprise
A4,Phân xưởng A4,Z121,workshop
"""
PROPOSAL_PEOPLE = """code,name,unit,category,joined
P1,Nguyễn Thị Ánh Tuyết,A4,employee,2015-03-01
P2,Trần Văn Đức,A4,employee,2016-03-01
P3,Lê Quốc Hưng,A4,employee,2025-10-01
"""
PROPOSAL_RATINGS = """year,subject,rating
2025,P1,HTXSNV
2025,P2,HTTNV
2025,P3,HTTNV
2025,A4,HTTNV
"""


def proposal_db(backend, tmp_path):
    t = make_target(backend, tmp_path)
    r = run("init", "--rules", PROPOSAL_RULES, db=t)
    assert r.code == 0, r
    for kind, text in (("units", PROPOSAL_UNITS), ("people", PROPOSAL_PEOPLE),
                       ("ratings", PROPOSAL_RATINGS)):
        f = tmp_path / f"{kind}.csv"
        f.write_text(text, encoding="utf-8")
        r = run("import", kind, f, db=t)
        assert r.code == 0, r
    return t


def j(r):
    """A command's JSON output (it must have succeeded)."""
    assert r.code == 0, r
    return json.loads(r.out)


def decide_ldtt(db, number="12/QĐ-Z121", date="2025-12-20"):
    """Propose, submit, review and decide 2025's LDTT on the award data."""
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "LDTT", db=db))
    pid = doc["proposal"]
    assert j(run("--format", "json", "proposal", "submit", pid,
                 db=db))["state"] == "submitted"
    assert j(run("--format", "json", "proposal", "review", pid,
                 db=db))["state"] == "reviewed"
    dec = j(run("--format", "json", "decide", pid, "--number", number,
                "--date", date, "--signer", "Đại tá Phạm Văn Bình", db=db))
    return doc, dec


# A prompt-recognition campaign on the award path's data.
CAMPAIGN = """code: DK-Q3-2025
name: {vi: "Đợt thi đua đột kích quý III", en: "Q3 raid campaign"}
kind: campaign
start: 2025-07-01
end: 2025-09-30
scope: Z121
subjects: person
group_by: all
criteria:
  - code: output
    name: {vi: "Sản lượng", en: "Output"}
    metric: output
    aggregate: sum
    better: higher
    weight: 100
    scoring: {ratio: {cap: 1.2}}
"""


# Movements: tests/data/movements (units, people, incidents, records, the
# regular movement TDQT-2025 and its targets).
MOVEMENTS = os.path.join(ROOT, "tests", "data", "movements")


def seed_movements(db):
    for kind in ("units", "people", "incidents", "records"):
        r = run("import", kind, os.path.join(MOVEMENTS, f"{kind}.csv"), db=db)
        assert r.code == 0, r
    r = run("movement", "load", os.path.join(MOVEMENTS, "tdqt.yaml"), db=db)
    assert r.code == 0, r
    r = run("import", "targets", os.path.join(MOVEMENTS, "targets.csv"), db=db)
    assert r.code == 0, r


# A movement of every person of Z by two metrics (out: a sum, q: the
# last value), for the columnar copy's tests with many participants
# (test_colfile.py, test_records_delta.py).
BIG_MV = """code: BIG-2025
name: {vi: "Thi đua sản xuất 2025", en: "Production 2025"}
kind: regular
start: 2025-01-01
end: 2025-12-31
scope: Z
subjects: person
group_by: parent
criteria:
  - {code: out, metric: out, aggregate: sum, weight: 60, scoring: {ratio: {cap: 1.2}}}
  - {code: last, metric: q, aggregate: last, weight: 40, scoring: {ratio: {cap: 1.0}}}
"""


def seed_big_movement(db, tmp_path, records_of, n=5000):
    """Z with workshops A and B, n people N00000… shared between them, the
    movement BIG_MV with every person's targets, and the records
    records_of(i, code) gives for person i (lines of records.csv)."""
    units = ["code,name,parent,kind", "Z,Nhà máy,,enterprise",
             "A,Phân xưởng A,Z,workshop", "B,Phân xưởng B,Z,workshop"]
    people = ["code,name,unit,category,joined"]
    targets = ["movement,subject,criterion,target"]
    records = ["subject,metric,date,value"]
    for i in range(n):
        code = f"N{i:05d}"
        people.append(f"{code},Người {i},{'AB'[i % 2]},employee,2020-01-01")
        targets.append(f"BIG-2025,{code},out,{100 + i % 50}")
        targets.append(f"BIG-2025,{code},last,10")
        records += records_of(i, code)
    for kind, rows in (("units", units), ("people", people)):
        write(tmp_path / f"{kind}.csv", "\n".join(rows) + "\n")
        assert run("import", kind, tmp_path / f"{kind}.csv", db=db).code == 0
    write(tmp_path / "big.yaml", BIG_MV)
    assert run("movement", "load", tmp_path / "big.yaml", db=db).code == 0
    for kind, rows in (("targets", targets), ("records", records)):
        write(tmp_path / f"{kind}.csv", "\n".join(rows) + "\n")
        assert run("import", kind, tmp_path / f"{kind}.csv", db=db).code == 0


# Eligibility: tests/data/rules, a case for every award of the rules.
RULES_DATA = os.path.join(ROOT, "tests", "data", "rules")


def load_eligibility_data(t):
    for kind in ["units", "people", "ratings", "awards", "innovations",
                 "incidents", "discipline", "service"]:
        r = run("import", kind, os.path.join(RULES_DATA, kind + ".csv"), db=t)
        assert r.code == 0, r
    r = run("movement", "load", os.path.join(RULES_DATA, "movement.yaml"), db=t)
    assert r.code == 0, r
    for kind in ["targets", "records"]:
        r = run("import", kind, os.path.join(RULES_DATA, kind + ".csv"), db=t)
        assert r.code == 0, r


# Exemplars: hand-made ratings, innovations and an incident from which
# `exemplar discover` finds its candidates.
EXEMPLAR_UNITS = """code,name,parent,kind
Z,Nhà máy,,enterprise
A,Phân xưởng A,Z,workshop
B,Phân xưởng B,Z,workshop
"""
EXEMPLAR_PEOPLE = """code,name,unit,category,joined
P1,Nguyễn Văn An,A,defence_worker,2010-01-01
P2,Trần Thị Bình,A,employee,2010-01-01
P3,Lê Văn Cường,B,employee,2010-01-01
"""
EXEMPLAR_RATINGS = """year,subject,rating
2023,P1,HTXSNV
2024,P1,HTTNV
2025,P1,HTXSNV
2023,P2,HTXSNV
2024,P2,HTXSNV
2025,P2,HTXSNV
2023,P3,HTXSNV
2024,P3,HTXSNV
2025,P3,HTXSNV
2024,B,HTNV
2026,B,HTTNV
"""
EXEMPLAR_INNOVATIONS = """code,kind,title,year,level,authors
SK1,initiative,Cải tiến,2024,base,P1
SK3,initiative,Cải tiến 3,2025,base,P3
"""
EXEMPLAR_INCIDENTS = """unit,date,severity,description
B,2024-05-01,serious,Cháy
"""


def load_exemplar_data(db, tmp_path):
    for kind, text in (("units", EXEMPLAR_UNITS), ("people", EXEMPLAR_PEOPLE),
                       ("ratings", EXEMPLAR_RATINGS),
                       ("innovations", EXEMPLAR_INNOVATIONS),
                       ("incidents", EXEMPLAR_INCIDENTS)):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r


# One of each foundation kind, in import order (test_import.py,
# test_xlsx_export.py).
UNITS = """code,name,parent,kind,bloc,military
Z121,Công ty Hóa chất 21 (minh họa),,enterprise,,1
A1,Phân xưởng A1,Z121,workshop,sản xuất,
A4,"Phân xưởng A4, dây nổ",Z121,workshop,sản xuất,1
P-KT,Phòng Kỹ thuật,Z121,department,"cơ quan ""khối"" 2",0
T-A4-1,Tổ 1 A4,A4,team,,
"""
PEOPLE = """code,name,unit,category,joined,left
P001,Nguyễn Văn Đức,A1,officer,2010-03-01,
P002,Trần Thị Hằng,A4,employee,2015-07-15,
P003,Lê Quang Vũ,T-A4-1,defence_worker,2012-01-09,2024-05-31
"""
RATINGS = """year,subject,rating
2024,P001,HTXSNV
2024,P002,HTTNV
2024,A4,HTTNV
"""
INNOVATIONS = """code,kind,title,year,level,authors,benefit
SK-2024-01,initiative,"Cải tiến khuôn ép, giảm phế phẩm",2024,base,P001;P002,120000000
DT-2023-02,research,Nghiên cứu thuốc nổ nhũ tương,2023,ministry,P003,
"""
AWARDS = """year,subject,award,decision,date,based_on
2024,P001,CSTDCS,123/QĐ-Z121,2024-12-20,SK-2024-01
2024,A4,TTLDTT,,,
"""
DISCIPLINE = """subject,form,from,to
P002,reprimand,2023-02-01,2023-08-01
P003,pending,2024-03-01,
"""
INCIDENTS = """unit,date,severity,description
A4,2024-04-02,minor,Cháy nhỏ ở kho
"""
RECORDS = """subject,metric,date,value
A1,output,2024-01-31,1250.5
A1,output,2024-02-29,1300
P001,defects,2024-01-31,0
"""
INDICATORS = """year,unit,indicator,value
2014,Z121,production_value,1000
2018,Z121,production_value,1270
"""
TASKS = """code,name,unit,quantity,start,due,product,customer,hard
T1,Bán thành phẩm loại 07,A4,1000,2024-01-01,2024-03-31,BTP-07,Z1xx,1
T2,Lắp ráp,A1,500,2024-02-01,2024-04-30,,,0
T3,Giao hàng,A1,500,2024-05-01,2024-05-15,,Z199,
"""
LINKS = """task,depends_on,lag_days
T2,T1,2
T3,T2,
"""
PROGRESS = """task,date,quantity
T1,2024-01-02,10
T1,2024-01-03,12.5
"""

ORDER = [("units", UNITS), ("people", PEOPLE), ("ratings", RATINGS),
         ("innovations", INNOVATIONS), ("awards", AWARDS),
         ("discipline", DISCIPLINE), ("incidents", INCIDENTS),
         ("records", RECORDS), ("indicators", INDICATORS), ("tasks", TASKS),
         ("task-links", LINKS), ("progress", PROGRESS)]
