"""The award path end to end on both backends: proposal with dossiers,
a refused ineligible candidate and an override, council ballots under and
at the threshold, decisions with cash from the dated base salary, the
append-only ledger (verify, tampering detected, in-place edits refused),
revocation no longer counting, and the PDF and XLSX documents."""
import os
import sqlite3
import subprocess

import openpyxl
import pytest

from testbed import CAMPAIGN, decide_ldtt, j, run


def test_named_subjects_in_one_evaluation(pdb):
    """Several --subject are evaluated together; each candidate carries the
    same verdict as when named alone (listed by code); an ineligible or
    unknown one is refused with its own reasons and nothing is written."""
    alone = {code: j(run("--format", "json", "eligibility", "--year", "2025",
                         "--award", "LDTT", "--subject", code, db=pdb))["results"][0]
             for code in ("P1", "P2")}
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "LDTT", "--subject", "P2", "--subject", "P1", db=pdb))
    assert [c["subject"] for c in doc["candidates"]] == ["P1", "P2"]
    for c in doc["candidates"]:
        assert c["eligibility"] == alone[c["subject"]]
    r = run("propose", "--year", "2025", "--award", "LDTT", "--subject", "P1",
            "--subject", "P3", db=pdb)
    assert r.code == 1 and "P3" in r.err, r
    r = run("propose", "--year", "2025", "--award", "LDTT", "--subject", "P1",
            "--subject", "NOPE", db=pdb)
    assert r.code != 0 and "NOPE" in r.err, r
    r = run("propose", "--year", "2025", "--award", "LDTT", "--subject", "P1",
            "--subject", "P1", db=pdb)
    assert r.code == 2 and "P1" in r.err, r
    assert len(j(run("--format", "json", "proposal", "list", db=pdb))["proposals"]) == 1


def test_proposal_refusal_override_and_dossier(pdb):
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "LDTT", "--attach", "hoso/bao-cao.pdf",
                "--attach", "P1=hoso/P1-thanh-tich.pdf", db=pdb))
    assert isinstance(doc["proposal"], int)
    subs = [c["subject"] for c in doc["candidates"]]
    assert subs == ["P1", "P2"]            # P3: 3 months' tenure only
    p1 = doc["candidates"][0]
    assert p1["verdict"] == "eligible"
    assert p1["eligibility"]["verdict"] == "eligible"
    assert {"year": 2025, "rating": "HTXSNV"} in p1["summary"]["ratings"]
    assert p1["attachments"] == ["hoso/P1-thanh-tich.pdf"]
    assert doc["attachments"] == ["hoso/bao-cao.pdf"]
    # An ineligible subject is refused with its reasons; nothing written.
    r = run("propose", "--year", "2025", "--award", "LDTT",
            "--subject", "P3", db=pdb)
    assert r.code == 1, r
    assert "P3" in r.err and "6" in r.err
    r = run("--lang", "en", "propose", "--year", "2025", "--award", "LDTT",
            "--subject", "P3", db=pdb)
    assert r.code == 1 and "not eligible" in r.err, r
    lst = j(run("--format", "json", "proposal", "list", db=pdb))
    assert len(lst["proposals"]) == 1
    # An admin's written justification admits it, recorded.
    doc = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "LDTT", "--subject", "P3", "--override",
                "Chuyển công tác từ đơn vị bạn, đủ 12 tháng", db=pdb))
    c = doc["candidates"][0]
    assert c["verdict"] == "ineligible"
    assert c["override"].startswith("Chuyển công tác")
    # States: a draft cannot be decided or reviewed; return needs a reason.
    pid = doc["proposal"]
    r = run("decide", pid, "--number", "1/QĐ", "--date", "2025-12-20",
            "--signer", "X", db=pdb)
    assert r.code == 1, r
    assert run("proposal", "review", pid, db=pdb).code == 1
    assert run("proposal", "submit", pid, db=pdb).code == 0
    assert run("proposal", "return", pid, db=pdb).code == 2
    doc = j(run("--format", "json", "proposal", "return", pid, "--reason",
                "Thiếu biên bản họp", db=pdb))
    assert doc["state"] == "returned" and doc["reason"] == "Thiếu biên bản họp"


def test_decision_ballot_ledger_revocation(pdb, backend, tmp_path):
    doc, dec = decide_ldtt(pdb)
    assert [a["subject"] for a in dec["awarded"]] == ["P1", "P2"]
    assert dec["decision"]["base_salary"] == 2340000
    assert all(a["amount"] == 702000 for a in dec["awarded"])
    exp = run("export", "awards", db=pdb)
    assert "2025,P1,LDTT,12/QĐ-Z121,2025-12-20" in exp.out, exp
    # The same number cannot be used twice.
    doc2 = j(run("--format", "json", "propose", "--year", "2025", "--award",
                 "CSTDCS", db=pdb))
    assert [c["subject"] for c in doc2["candidates"]] == ["P1"]
    pid = doc2["proposal"]
    assert run("proposal", "submit", pid, db=pdb).code == 0
    # Under the 90 % threshold: 8 of 10 members.
    b = j(run("--format", "json", "ballot", pid, "--members", "10", "--yes",
              "8", "--present", "9", "--written", "1", db=pdb))
    assert b["ballots"][0]["passed"] is False
    assert b["ballots"][0]["min_pct_of_members"] == 90
    assert run("proposal", "review", pid, db=pdb).code == 0
    r = run("decide", pid, "--number", "13/QĐ-Z121", "--date", "2025-12-21",
            "--signer", "Đại tá Phạm Văn Bình", db=pdb)
    assert r.code == 1, r
    # Inconsistent counts are refused.
    assert run("ballot", pid, "--members", "10", "--yes", "11",
               db=pdb).code == 1
    b = j(run("--format", "json", "ballot", pid, "--members", "10", "--yes",
              "9", "--present", "8", "--written", "2", db=pdb))
    assert b["ballots"][0]["passed"] is True
    r = run("decide", pid, "--number", "12/QĐ-Z121", "--date", "2025-12-21",
            "--signer", "X", db=pdb)
    assert r.code == 1, r                  # number already used
    dec2 = j(run("--format", "json", "decide", pid, "--number", "13/QĐ-Z121",
                 "--date", "2025-12-21", "--signer", "Đại tá Phạm Văn Bình",
                 db=pdb))
    assert dec2["awarded"][0]["amount"] == 2340000
    # A collective's Giấy khen after 2026-07-01: 0.3 × 2,530,000 × 2.
    gk = j(run("--format", "json", "propose", "--year", "2025", "--award",
               "GK", "--subject", "A4", db=pdb))["proposal"]
    run("proposal", "submit", gk, db=pdb)
    run("proposal", "review", gk, db=pdb)
    dec3 = j(run("--format", "json", "decide", gk, "--number", "20/QĐ-Z121",
                 "--date", "2026-07-15", "--signer", "Giám đốc", db=pdb))
    assert dec3["decision"]["base_salary"] == 2530000
    assert dec3["awarded"][0]["amount"] == 1518000

    led = j(run("--format", "json", "ledger", "show", db=pdb))["entries"]
    csv = run("--format", "csv", "ledger", "show", db=pdb)
    assert csv.code == 0, csv
    lines = csv.out.splitlines()
    assert lines[0].startswith("seq,kind,decision,date,signer,year")
    assert len(lines) == 5 and lines[1].startswith("1,award,12/QĐ-Z121,")
    assert lines[1].endswith("," + led[0]["hash"])
    assert [e["seq"] for e in led] == [1, 2, 3, 4]
    assert led[1]["prev_hash"] == led[0]["hash"]
    assert run("ledger", "verify", db=pdb).code == 0
    # The decided CSTĐCS counts in later eligibility (BK in 2026 needs one
    # within 2 years); revoking it is a new entry, and then it no longer
    # counts.
    def bk2026():
        el = j(run("--format", "json", "eligibility", "--year", "2026",
                   "--subject", "P1", "--award", "BK", db=pdb))
        return el["results"][0]["verdict"]
    assert bk2026() == "eligible"
    r = j(run("--format", "json", "ledger", "revoke", "3", "--reason",
              "Kê khai không trung thực", db=pdb))
    assert r["kind"] == "revoke" and r["ref"] == 3 and r["amount"] == -2340000
    assert run("ledger", "revoke", "3", "--reason", "x", db=pdb).code == 1
    exp = run("export", "awards", db=pdb).out
    assert "2025,P1,CSTDCS" not in exp and "2025,P1,LDTT" in exp
    assert bk2026() == "ineligible"
    p1 = j(run("--format", "json", "ledger", "show", "--subject", "P1",
               db=pdb))["entries"]
    assert [e["revoked"] for e in p1] == [False, True, False]
    assert p1[-1]["kind"] == "revoke"
    assert run("ledger", "verify", db=pdb).code == 0

    # The store refuses in-place edits; editing behind its back is found.
    if backend == "sqlite":
        con = sqlite3.connect(pdb)
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("UPDATE ledger SET amount = 1 WHERE seq = 2")
        with pytest.raises(sqlite3.DatabaseError):
            con.execute("DELETE FROM ledger WHERE seq = 2")
        con.execute("DROP TRIGGER ledger_no_update")
        con.execute("UPDATE ledger SET amount = 99000000 WHERE seq = 2")
        con.commit()
        con.close()
    else:
        url = pdb
        bad = subprocess.run(["psql", "-q", url, "-c",
                              "UPDATE ledger SET amount = 1 WHERE seq = 2"],
                             capture_output=True, text=True)
        assert bad.returncode != 0 or "ERROR" in bad.stderr
        subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url, "-c",
                        "ALTER TABLE ledger DISABLE TRIGGER ledger_no_update;"
                        "UPDATE ledger SET amount = 99000000 WHERE seq = 2"],
                       check=True, capture_output=True)
    r = run("--lang", "en", "ledger", "verify", db=pdb)
    assert r.code == 1, r
    assert "entry 2" in r.err


def test_documents(pdb, tmp_path):
    doc, dec = decide_ldtt(pdb)
    pid = doc["proposal"]
    d = tmp_path / "qd.pdf"
    c = tmp_path / "gk.pdf"
    split = tmp_path / "split"
    assert run("print", "decision", pid, "-o", d, db=pdb).code == 0
    r = run("print", "certificates", pid, "-o", c, "--split", split, db=pdb)
    assert r.code == 0, r
    txt = subprocess.run(["pdftotext", d, "-"], capture_output=True,
                         text=True).stdout
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in txt
    assert "Độc lập - Tự do - Hạnh phúc" in txt
    assert "12/QĐ-Z121" in txt and "Nguyễn Thị Ánh Tuyết" in txt
    txt = subprocess.run(["pdftotext", c, "-"], capture_output=True,
                         text=True).stdout
    assert "Nguyễn Thị Ánh Tuyết" in txt and "Trần Văn Đức" in txt
    assert sorted(os.listdir(split)) == ["0001-P1.pdf", "0002-P2.pdf"]
    pages = subprocess.run(["pdftoppm", "-r", "20", "-png", c,
                            tmp_path / "pg"], capture_output=True)
    assert pages.returncode == 0
    assert len([f for f in os.listdir(tmp_path) if f.startswith("pg")]) == 2
    # XLSX: the decision's list and the year's report read back.
    lx = tmp_path / "ds.xlsx"
    assert run("print", "list", pid, "-o", lx, db=pdb).code == 0
    ws = openpyxl.load_workbook(lx).active
    rows = [r for r in ws.iter_rows(min_row=4, values_only=True) if r[1]]
    assert [(r[1], r[2], r[5]) for r in rows] == [
        ("P1", "Nguyễn Thị Ánh Tuyết", 702000),
        ("P2", "Trần Văn Đức", 702000)]
    rx = tmp_path / "bc.xlsx"
    r = run("--format", "xlsx", "report", "awards", "--year", "2025", "-o",
            rx, db=pdb)
    assert r.code == 0, r
    wb = openpyxl.load_workbook(rx)
    assert wb.sheetnames == ["Danh sách", "Theo đơn vị", "Nhiều năm"]
    by_unit = list(wb["Theo đơn vị"].iter_rows(min_row=2, values_only=True))
    assert by_unit == [("A4", "Phân xưởng A4", "LDTT", "Lao động tiên tiến",
                        2)]
    years = list(wb["Nhiều năm"].iter_rows(min_row=2, values_only=True))
    assert years == [(2025, "LDTT", "Lao động tiên tiến", 2)]
    # Not decided yet: a clear refusal.
    p2 = j(run("--format", "json", "propose", "--year", "2025", "--award",
               "GK", "--subject", "A4", db=pdb))["proposal"]
    assert run("print", "decision", p2, db=pdb).code == 1




def test_recognise_campaign(pdb, tmp_path):
    y = tmp_path / "dk.yaml"
    y.write_text(CAMPAIGN, encoding="utf-8")
    r = run("movement", "load", y, db=pdb)
    assert r.code == 0, r
    targets = tmp_path / "targets.csv"
    targets.write_text("movement,subject,criterion,target\n"
                       "DK-Q3-2025,P1,output,100\nDK-Q3-2025,P2,output,100\n"
                       "DK-Q3-2025,P3,output,100\n", encoding="utf-8")
    records = tmp_path / "records.csv"
    records.write_text("subject,metric,date,value\nP1,output,2025-08-01,90\n"
                       "P2,output,2025-08-01,60\nP3,output,2025-08-01,120\n",
                       encoding="utf-8")
    for kind, f in (("targets", targets), ("records", records)):
        r = run("import", kind, f, db=pdb)
        assert r.code == 0, r
    certs = tmp_path / "gk.pdf"
    doc = j(run("--format", "json", "recognise", "--movement", "DK-Q3-2025",
                "--top", "2", "--number", "30/QĐ-Z121", "--date",
                "2025-10-02", "--signer", "Giám đốc", "-o", certs, db=pdb))
    # The two best: P3 (120) and P1 (90); P3's yearly GK verdict is fine
    # too, and the campaign result is recorded for any that is not.
    assert sorted(a["subject"] for a in doc["awarded"]) == ["P1", "P3"]
    assert all(a["amount"] == 702000 for a in doc["awarded"])
    prop = j(run("--format", "json", "proposal", "show", doc["proposal"],
                 db=pdb))
    assert prop["movement"] == "DK-Q3-2025" and prop["award"] == "GK"
    assert prop["state"] == "decided"
    assert all(c["summary"]["campaign"]["movement"] == "DK-Q3-2025"
               for c in prop["candidates"])
    txt = subprocess.run(["pdftotext", certs, "-"], capture_output=True,
                         text=True).stdout
    assert "Lê Quốc Hưng" in txt and "DK-Q3-2025" in txt
    assert run("ledger", "verify", db=pdb).code == 0


def test_return_and_resubmit(pdb):
    """proposal return: only a submitted or reviewed proposal, with a
    reason; the returned one is not reviewed or decided, is submitted
    again, and shows the state and the reason in `proposal show`."""
    pid = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "LDTT", db=pdb))["proposal"]
    r = run("proposal", "return", pid, "--reason", "Sớm quá", db=pdb)
    assert r.code == 1, r                       # a draft is not returned
    assert j(run("--format", "json", "proposal", "show", pid,
                 db=pdb))["state"] == "draft"
    assert j(run("--format", "json", "proposal", "submit", pid,
                 db=pdb))["state"] == "submitted"
    assert j(run("--format", "json", "proposal", "review", pid,
                 db=pdb))["state"] == "reviewed"
    r = run("proposal", "return", pid, "--reason", "x" * 5000, db=pdb)
    assert r.code == 1 and "reason" in r.err, r
    doc = j(run("--format", "json", "proposal", "return", pid, "--reason",
                "Thiếu bản nhận xét", db=pdb))
    assert doc["state"] == "returned" and doc["reason"] == "Thiếu bản nhận xét"
    show = j(run("--format", "json", "proposal", "show", pid, db=pdb))
    assert show["state"] == "returned"
    assert run("proposal", "review", pid, db=pdb).code == 1
    r = run("decide", pid, "--number", "1/QĐ", "--date", "2025-12-20",
            "--signer", "X", db=pdb)
    assert r.code == 1, r
    assert run("proposal", "return", pid, "--reason", "Lần hai",
               db=pdb).code == 1            # already returned
    assert j(run("--format", "json", "proposal", "submit", pid,
                 db=pdb))["state"] == "submitted"
