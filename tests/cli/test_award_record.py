"""The award record as the system of record (issue 17), on both backends:
every step of the award path leaves one audit entry, also from the CLI
(who: the OS user and host); the audit trail and the ledger refuse UPDATE
and DELETE; an import never replaces or revives what the ledger decided;
imported history says who imported it, when and from which file; the demo
never erases the audit trail or the ledger."""
import hashlib
import json
import os
import socket
import sqlite3
import subprocess

import pytest

from testbed import make_target, run

RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                     "proposal-rules.yaml")
UNITS = "code,name,parent,kind\nZ121,Nhà máy Z121,,enterprise\nA4,Phân xưởng A4,Z121,workshop\n"
PEOPLE = ("code,name,unit,category,joined\n"
          "P1,Nguyễn Thị Ánh Tuyết,A4,employee,2015-03-01\n"
          "P2,Trần Văn Đức,A4,employee,2016-03-01\n")
RATINGS = "year,subject,rating\n2025,P1,HTXSNV\n2025,P2,HTTNV\n2025,A4,HTTNV\n"


def j(r):
    assert r.code == 0, r
    return json.loads(r.out)


@pytest.fixture
def pdb(backend, tmp_path):
    t = make_target(backend, tmp_path)
    assert run("init", "--rules", RULES, db=t).code == 0
    for kind, text in (("units", UNITS), ("people", PEOPLE),
                       ("ratings", RATINGS)):
        f = tmp_path / f"{kind}.csv"
        f.write_text(text, encoding="utf-8")
        assert run("import", kind, f, db=t).code == 0
    return t


def audit(db, **kw):
    args = ["--format", "json", "audit", "--limit", "10000"]
    for k, v in kw.items():
        args += [f"--{k}", v]
    return j(run(*args, db=db))["items"]


def actions(db):
    return [(e["kind"], e["action"]) for e in reversed(audit(db))]


def sql(db, backend, stmt):
    """Run one statement behind the program's back; (ok, error text)."""
    if backend == "sqlite":
        con = sqlite3.connect(db)
        try:
            con.execute(stmt)
            con.commit()
            return True, ""
        except sqlite3.Error as e:
            return False, str(e)
        finally:
            con.close()
    url, _, opts = db.partition("?")
    schema = opts.split("search_path%3D")[1]
    p = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                        f"SET search_path TO {schema}; {stmt}"],
                       capture_output=True, text=True)
    return p.returncode == 0, p.stderr


def test_award_path_audited_from_the_cli(pdb, backend):
    before = len(audit(pdb))
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "CSTDCS", db=pdb))
    pid = str(doc["proposal"])
    assert run("proposal", "submit", pid, db=pdb).code == 0
    assert run("proposal", "return", pid, "--reason", "thiếu hồ sơ",
               db=pdb).code == 0
    assert run("proposal", "submit", pid, db=pdb).code == 0
    assert run("ballot", pid, "--members", "10", "--yes", "9", db=pdb).code == 0
    assert run("proposal", "review", pid, db=pdb).code == 0
    dec = j(run("--format", "json", "decide", pid, "--number", "7/QĐ-Z121",
                "--date", "2025-12-20", "--signer", "Giám đốc", db=pdb))
    seq = dec["awarded"][0]["ledger_seq"] if "ledger_seq" in dec["awarded"][0] \
        else j(run("--format", "json", "ledger", "show", db=pdb))["entries"][-1]["seq"]
    assert run("ledger", "revoke", seq, "--reason", "khai man",
               db=pdb).code == 0
    got = actions(pdb)[before:]
    assert got == [("proposals", "propose"), ("proposals", "submit"),
                   ("proposals", "return"), ("proposals", "submit"),
                   ("proposals", "ballot"), ("proposals", "review"),
                   ("proposals", "decide"), ("ledger", "revoke")], got
    entries = audit(pdb)
    who = f"@{socket.gethostname()}"
    assert all(e["actor"].endswith(who) and e["address"] == "cli"
               for e in entries[:8]), entries[:8]
    dec_entry = [e for e in entries if e["action"] == "decide"][0]
    assert dec_entry["subject"] == pid
    assert dec_entry["before"] == {"state": "reviewed"}
    assert dec_entry["after"]["number"] == "7/QĐ-Z121"
    assert [r["subject"] for r in dec_entry["after"]["recipients"]] == ["P1"]
    ret = [e for e in entries if e["action"] == "return"][0]
    assert ret["after"] == {"state": "returned", "reason": "thiếu hồ sơ"}
    rev = audit(pdb, subject="P1")[0]
    assert rev["action"] == "revoke" and rev["after"]["reason"] == "khai man"
    # A refused step leaves no entry.
    n = len(audit(pdb))
    assert run("proposal", "review", pid, db=pdb).code != 0
    assert len(audit(pdb)) == n


def test_audit_and_ledger_are_append_only(pdb, backend):
    j(run("--format", "json", "propose", "--year", "2025", "--award", "LDTT",
          db=pdb))
    assert audit(pdb)
    for stmt in ("UPDATE audit SET actor = 'nobody'", "DELETE FROM audit"):
        ok, why = sql(pdb, backend, stmt)
        assert not ok and "append-only" in why, (stmt, why)
    if backend == "pg":
        ok, why = sql(pdb, backend, "TRUNCATE audit")
        assert not ok and "append-only" in why, why
    # The statements did reach the table: an ordinary one goes through.
    ok, why = sql(pdb, backend, "UPDATE ratings SET rating = rating")
    assert ok, why


def test_import_never_overrides_the_ledger(pdb, backend, tmp_path):
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "LDTT", db=pdb))
    pid = str(doc["proposal"])
    for step in ("submit", "review"):
        assert run("proposal", step, pid, db=pdb).code == 0
    assert run("decide", pid, "--number", "12/QĐ-Z121", "--date",
               "2025-12-20", "--signer", "Giám đốc", db=pdb).code == 0
    exp = run("export", "awards", db=pdb).out
    assert "2025,P1,LDTT,12/QĐ-Z121,2025-12-20,,ledger,,,," in exp, exp
    # Read back as exported: accepted, nothing changes.
    f = tmp_path / "back.csv"
    f.write_text(exp, encoding="utf-8")
    assert run("import", "awards", f, db=pdb).code == 0
    assert run("export", "awards", db=pdb).out == exp
    # A different decision for a decided award: refused, naming the row.
    f.write_text("year,subject,award,decision,date\n"
                 "2025,P1,LDTT,99/QĐ-giả,2025-12-31\n", encoding="utf-8")
    r = run("import", "awards", f, db=pdb, lang="en")
    assert r.code == 1, r
    assert f"{f}:2" in r.err and "12/QĐ-Z121" in r.err and "revocation" in r.err
    # A revoked award is not granted again by an import.
    seq = j(run("--format", "json", "ledger", "show", "--subject", "P1",
                db=pdb))["entries"][0]["seq"]
    assert run("ledger", "revoke", seq, "--reason", "khai man", db=pdb).code == 0
    f.write_text("year,subject,award,decision,date\n"
                 "2025,P1,LDTT,12/QĐ-Z121,2025-12-20\n", encoding="utf-8")
    r = run("import", "awards", f, db=pdb, lang="en")
    assert r.code == 1 and "revoked" in r.err, r
    assert ",P1,LDTT," not in run("export", "awards", db=pdb).out
    # Earlier history imported by the administrator: stamped.
    text = "year,subject,award,decision,date\n2019,P2,LDTT,5/QĐ-2019,2019-12-20\n"
    f.write_text(text, encoding="utf-8")
    assert run("import", "awards", f, db=pdb).code == 0
    row = [x for x in j(run("--format", "json", "export", "awards", db=pdb))
           if x["year"] == "2019" or x["year"] == 2019][0]
    assert row["source"] == "import"
    assert row["imported_by"].endswith("@" + socket.gethostname())
    assert row["file"] == str(f)
    assert row["sha256"] == hashlib.sha256(text.encode()).hexdigest()
    imp = [e for e in audit(pdb) if e["kind"] == "awards"][0]
    assert imp["after"]["sha256"] == row["sha256"] and imp["after"]["rows"] == 1


def test_demo_keeps_the_audit_trail_and_the_ledger(sqlite_db, tmp_path):
    f = tmp_path / "u.csv"
    f.write_text("code,name\nX,Đơn vị thật\n", encoding="utf-8")
    assert run("import", "units", f, db=sqlite_db).code == 0
    kept = audit(sqlite_db)
    assert kept
    assert run("demo", "--force", db=sqlite_db).code == 0
    after = audit(sqlite_db)
    ids = {e["id"] for e in after}
    assert all(e["id"] in ids for e in kept)
    acts = [(e["kind"], e["action"]) for e in after]
    assert acts[0] == ("demo", "load"), acts
    assert acts[len(after) - len(kept) - 1] == ("demo", "wipe"), acts


def test_simultaneous_decisions_leave_one_chain(pdb, backend):
    """Two decisions at the same moment from two processes (as from two
    servers on one database): both recorded, one unforked chain."""
    pids = []
    for award in ("LDTT", "CSTDCS"):
        doc = j(run("--format", "json", "propose", "--year", "2025",
                    "--award", award, db=pdb))
        pid = str(doc["proposal"])
        for step in ("submit", "review"):
            assert run("proposal", step, pid, db=pdb).code == 0
        if award == "CSTDCS":
            assert run("ballot", pid, "--members", "10", "--yes", "10",
                       db=pdb).code == 0
        pids.append(pid)
    from testbed import BIN
    procs = [subprocess.Popen([BIN, "--db", pdb, "decide", pid, "--number",
                               f"{n}/QĐ-Z121", "--date", "2025-12-20",
                               "--signer", "Giám đốc"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
             for n, pid in enumerate(pids, start=40)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    led = j(run("--format", "json", "ledger", "show", db=pdb))["entries"]
    assert [e["seq"] for e in led] == list(range(1, len(led) + 1))
    assert len(led) == 3          # LDTT: P1, P2; CSTDCS: P1
    assert len({e["prev_hash"] for e in led}) == 3
    assert j(run("--format", "json", "ledger", "verify", db=pdb))["ok"] is True
