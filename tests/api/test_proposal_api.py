"""The award path over the HTTP API of `thidua serve` (both backends): the
same JSON documents as the CLI, roles (a viewer cannot propose, the
council records ballots), a refused ineligible candidate, and the ledger
read and verified over HTTP."""
import json
import re

from api_support import Server, token
from testbed import CAMPAIGN, run


def test_api_award_path(pdb, tmp_path):
    admin = token(pdb, "admin", "admin")
    council = token(pdb, "council", "council")
    viewer = token(pdb, "viewer", "viewer", "--unit", "A4")
    cmd = token(pdb, "cmd", "commander", "--unit", "A4")
    s = Server(pdb, str(tmp_path))
    try:
        st, doc = s.call(viewer, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "LDTT"})
        assert st == 403, doc
        # A commander: only listed subjects inside their unit.
        st, doc = s.call(cmd, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "GK"})
        assert st == 403, doc
        st, doc = s.call(cmd, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "GK", "subjects": ["Z121"]})
        assert st == 403 and "Z121" in doc["error"]["message"], doc
        st, doc = s.call(cmd, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "LDTT", "subjects": ["P3"],
                          "override": "Đề nghị đặc cách"})
        assert st == 403 and doc["error"]["field"] == "override", doc
        st, doc = s.call(cmd, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "GK", "subjects": ["P2"]})
        assert st == 201 and doc["candidates"][0]["subject"] == "P2", doc
        st, doc = s.call(cmd, "POST", f"/api/v1/proposals/{doc['proposal']}"
                         "/submit")
        assert st == 403, doc
        st, doc = s.call(admin, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "LDTT", "subjects": ["P3"]})
        assert st == 400 and "P3" in doc["error"]["message"], doc
        # bodies go through the route table's field specs
        st, doc = s.call(admin, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "LDTT", "subject": ["P3"]})
        assert st == 400 and doc["error"]["code"] == "unknown_field" \
            and doc["error"]["field"] == "subject", doc
        st, doc = s.call(admin, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "LDTT", "subjects": "P3"})
        assert st == 400 and doc["error"]["field"] == "subjects", doc
        st, doc = s.call(admin, "POST", "/api/v1/proposals",
                         {"year": 2025, "award": "CSTDCS",
                          "subjects": ["P1"], "override": "Thử nghiệm"})
        assert st == 201, doc
        pid = doc["proposal"]
        # Same document as the CLI's.
        cli = json.loads(run("--format", "json", "proposal", "show", pid,
                             db=pdb).out)
        st, api = s.call(council, "GET", f"/api/v1/proposals/{pid}")
        assert st == 200 and api == cli
        st, doc = s.call(admin, "POST", f"/api/v1/proposals/{pid}/submit")
        assert st == 200 and doc["state"] == "submitted", doc
        st, doc = s.call(council, "POST", f"/api/v1/proposals/{pid}/ballots",
                         {"members": 10, "yes": 8})
        assert st == 201 and doc["ballots"][0]["passed"] is False, doc
        st, doc = s.call(council, "POST", f"/api/v1/proposals/{pid}/ballots",
                         {"members": 10, "yes": 10})
        assert st == 201 and doc["ballots"][0]["passed"] is True, doc
        st, doc = s.call(council, "POST", f"/api/v1/proposals/{pid}/review")
        assert st == 200 and doc["state"] == "reviewed", doc
        st, doc = s.call(council, "POST", f"/api/v1/proposals/{pid}/decision",
                         {"number": "5/QĐ", "date": "2025-12-20",
                          "signer": "Giám đốc"})
        assert st == 403, doc
        st, doc = s.call(admin, "POST", f"/api/v1/proposals/{pid}/decision",
                         {"number": "5/QĐ", "date": "2025-12-20",
                          "signer": "Giám đốc"})
        assert st == 201 and doc["awarded"][0]["amount"] == 2340000, doc
        # the printable documents, the same bytes as `thidua print`
        for name, ctype, magic in (
                ("decision.pdf", "application/pdf", b"%PDF-"),
                ("certificates.pdf", "application/pdf", b"%PDF-"),
                ("list.xlsx", "application/vnd.openxmlformats-officedocument."
                 "spreadsheetml.sheet", b"PK\x03\x04")):
            st, h, body = s.raw(council, f"/api/v1/proposals/{pid}/{name}")
            assert st == 200 and h["content-type"] == ctype, (st, h, body[:200])
            assert body.startswith(magic) and len(body) > 1000
            stem, ext = name.split(".")
            assert h["content-disposition"] == \
                f'attachment; filename="{stem}-{pid}.{ext}"'
        cli_pdf = tmp_path / "cli-certificates.pdf"
        assert run("print", "certificates", pid, "-o", cli_pdf, db=pdb).code == 0
        st, h, body = s.raw(council, f"/api/v1/proposals/{pid}/certificates.pdf")
        strip = re.compile(rb"/(CreationDate|ModDate|ID) ?(\([^)]*\)|\[[^]]*\])")
        assert strip.sub(b"", body) == strip.sub(b"", cli_pdf.read_bytes())
        st, _, _ = s.raw(council, f"/api/v1/proposals/{pid + 1000}/decision.pdf")
        assert st == 404
        st, _, _ = s.raw(council, f"/api/v1/proposals/{pid}/minutes.pdf")
        assert st == 404
        st, led = s.call(council, "GET", "/api/v1/ledger?subject=P1")
        assert st == 200 and led["entries"][0]["decision"] == "5/QĐ"
        st, v = s.call(council, "GET", "/api/v1/ledger/verify")
        assert st == 200 and v["ok"] is True and v["entries"] == 1
        assert v["first_bad"] is None and v["head"] == led["entries"][0]["hash"]
        st, doc = s.call(council, "POST", "/api/v1/ledger/1/revoke",
                         {"reason": "Sai sót hồ sơ"})
        assert st == 403, doc
        st, doc = s.call(admin, "POST", "/api/v1/ledger/1/revoke", {})
        assert st == 400, doc
        st, doc = s.call(admin, "POST", "/api/v1/ledger/1/revoke",
                         {"reason": "Sai sót hồ sơ"})
        assert st == 201 and doc["kind"] == "revoke" and doc["ref"] == 1
        st, v = s.call(council, "GET", "/api/v1/ledger/verify")
        assert v["ok"] is True and v["entries"] == 2
        st, lst = s.call(council, "GET", "/api/v1/proposals?year=2025")
        assert st == 200 and [p["state"] for p in lst["proposals"]] == \
            ["decided", "draft"]
        # documents: only of a decided proposal, only for the council's roles
        (draft,) = [p["proposal"] for p in lst["proposals"] if p["state"] == "draft"]
        st, _, body = s.raw(council, f"/api/v1/proposals/{draft}/decision.pdf")
        assert st == 400 and json.loads(body)["error"]["field"] == "proposal", body
        st, _, _ = s.raw(viewer, f"/api/v1/proposals/{pid}/decision.pdf")
        assert st == 403
    finally:
        rc = s.stop()
    assert rc == 0, s.text()[-3000:]


def test_api_recognise(pdb, tmp_path):
    """Prompt recognition over HTTP (POST /api/v1/movements/{code}/recognise):
    the campaign's best become a decided Giấy khen proposal at once, the
    same document as `thidua recognise`; admin only; bad input named."""
    y = tmp_path / "dk.yaml"
    y.write_text(CAMPAIGN, encoding="utf-8")
    assert run("movement", "load", y, db=pdb).code == 0
    for kind, text in (
            ("targets", "movement,subject,criterion,target\n"
             "DK-Q3-2025,P1,output,100\nDK-Q3-2025,P2,output,100\n"
             "DK-Q3-2025,P3,output,100\n"),
            ("records", "subject,metric,date,value\nP1,output,2025-08-01,90\n"
             "P2,output,2025-08-01,60\nP3,output,2025-08-01,120\n")):
        f = tmp_path / f"{kind}.csv"
        f.write_text(text, encoding="utf-8")
        assert run("import", kind, f, db=pdb).code == 0
    admin = token(pdb, "admin", "admin")
    council = token(pdb, "council", "council")
    body = {"top": 2, "number": "30/QĐ-Z121", "date": "2025-10-02",
            "signer": "Giám đốc"}
    s = Server(pdb, str(tmp_path))
    try:
        st, doc = s.call(council, "POST", "/api/v1/movements/DK-Q3-2025/recognise", body)
        assert st == 403, doc
        st, doc = s.call(admin, "POST", "/api/v1/movements/DK-Q3-2025/recognise",
                         {**body, "top": -1})
        assert st == 400 and doc["error"]["field"] == "top", doc
        st, doc = s.call(admin, "POST", "/api/v1/movements/NOPE/recognise", body)
        assert st in (400, 404), doc
        st, doc = s.call(admin, "POST", "/api/v1/movements/DK-Q3-2025/recognise", body)
        assert st == 201, doc
        assert sorted(a["subject"] for a in doc["awarded"]) == ["P1", "P3"]
        st, prop = s.call(council, "GET", f"/api/v1/proposals/{doc['proposal']}")
        assert st == 200 and prop["state"] == "decided" and prop["award"] == "GK"
        assert prop["movement"] == "DK-Q3-2025"
        st, h, pdf = s.raw(council, f"/api/v1/proposals/{doc['proposal']}/certificates.pdf")
        assert st == 200 and pdf.startswith(b"%PDF-")
        st, v = s.call(council, "GET", "/api/v1/ledger/verify")
        assert v["ok"] is True and v["entries"] == 2
    finally:
        rc = s.stop()
    assert rc == 0, s.text()[-3000:]
