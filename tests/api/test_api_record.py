"""The award record is the system of record (issue 17): award history
enters through the ledger or an administrator's import, stamped with who,
when and which file; council and movement ratings are the administrator's
to change; a scoped user changes a stored row only when it lies in their
subtree as it is and as it will be. On both backends."""
import hashlib
import json

import pytest
from api_support import cli

LOGINS = ("admin", "council", "cmd", "clerk", "viewer")


def awards(c):
    st, _, body = c.get("/api/v1/awards?limit=1000")
    assert st == 200, body
    return body["items"]


@pytest.fixture
def clients(anysrv):
    return {login: anysrv.login(login) for login in LOGINS}


def test_only_the_administrator_imports_award_history(anysrv, clients):
    row = {"year": 2026, "subject": "P3", "award": "BKTTG",
           "decision": "fake-1/QĐ"}
    csv = "year,subject,award,decision\n2026,P3,BKTTG,fake-2/QĐ\n"
    for login in ("council", "cmd", "clerk", "viewer"):
        c = clients[login]
        st, _, body = c.post("/api/v1/awards", row)
        assert st == 403, (login, body)
        assert body["error"]["code"] == "forbidden"
        st, _, body = c.request("POST", "/api/v1/awards", raw=csv.encode(),
                                headers={"Content-Type": "text/csv"})
        assert st == 403, (login, body)
        # A dry run is refused as well: nothing to learn from it either.
        assert c.post("/api/v1/awards?dry_run=1", row)[0] == 403
    # A Bearer token of a clerk is no way round it.
    tok = cli(anysrv.db, "token", "create", "clerk").stdout.split()[-1]
    st, _, body = anysrv.client(token=tok).post("/api/v1/awards", row)
    assert st == 403, body
    assert awards(clients["admin"]) == []
    assert "BKTTG" not in cli(anysrv.db, "export", "awards").stdout

    # The administrator's import works, and each row says where it came from.
    raw = json.dumps(row).encode()
    st, _, body = clients["admin"].request(
        "POST", "/api/v1/awards", raw=raw,
        headers={"Content-Type": "application/json"})
    assert st == 201, body
    st, _, body = clients["admin"].request(
        "POST", "/api/v1/awards", raw=csv.replace("P3", "P1").encode(),
        headers={"Content-Type": "text/csv"})
    assert st == 201, body
    got = {a["subject"]: a for a in awards(clients["admin"])}
    assert got["P3"]["source"] == "import"
    assert got["P3"]["imported_by"] == "admin"
    assert got["P3"]["sha256"] == hashlib.sha256(raw).hexdigest()
    assert got["P3"]["imported_at"].startswith("20")
    assert got["P1"]["file"] == "body.csv"
    assert got["P1"]["sha256"] == hashlib.sha256(
        csv.replace("P3", "P1").encode()).hexdigest()
    # The stamp is the importer's own, never the file's.
    forged = dict(row, subject="P2", imported_by="minister", source="import")
    st, _, body = clients["admin"].post("/api/v1/awards", forged)
    assert st == 201, body
    got = {a["subject"]: a for a in awards(clients["admin"])}
    assert got["P2"]["imported_by"] == "admin"
    # A row cannot claim to come from the ledger.
    st, _, body = clients["admin"].post(
        "/api/v1/awards", dict(row, subject="P2", award="GK", source="ledger"))
    assert st == 400 and body["error"]["field"] == "[0].source", body


def test_council_and_movement_ratings_are_the_administrators(clients):
    admin, clerk = clients["admin"], clients["clerk"]
    st, _, body = admin.post("/api/v1/ratings", [
        {"year": 2025, "subject": "P3", "rating": "HTXSNV", "source": "council"},
        {"year": 2025, "subject": "P1", "rating": "HTTNV", "source": "movement"},
        {"year": 2025, "subject": "A1T", "rating": "HTTNV"}])
    assert st == 201, body
    for subj in ("P3", "P1"):
        st, _, body = clerk.post("/api/v1/ratings", {
            "year": 2025, "subject": subj, "rating": "KHTNV"})
        assert st == 403, body
        assert body["error"]["field"] == "[0].source"
    # Nor can a clerk claim the council's word for a new rating.
    st, _, body = clerk.post("/api/v1/ratings", {
        "year": 2024, "subject": "P3", "rating": "HTXSNV", "source": "council"})
    assert st == 403, body
    # An ordinary rating of the clerk's own unit is still theirs.
    st, _, body = clerk.post("/api/v1/ratings", {
        "year": 2025, "subject": "A1T", "rating": "HTNV"})
    assert st == 201, body
    rows = {(r["year"], r["subject"]): r
            for r in admin.get("/api/v1/ratings?year=2025")[2]["items"]}
    assert rows[("2025", "P3")]["rating"] == "HTXSNV"
    assert rows[("2025", "P1")]["rating"] == "HTTNV"
    assert rows[("2025", "A1T")]["rating"] == "HTNV"
    # The administrator may still correct a council rating.
    st, _, body = admin.post("/api/v1/ratings", {
        "year": 2025, "subject": "P3", "rating": "HTTNV", "source": "council"})
    assert st == 201, body


def test_scope_holds_for_the_row_as_it_is(clients):
    admin, clerk = clients["admin"], clients["clerk"]
    theirs = {"code": "SK-B", "kind": "initiative", "title": "Sáng kiến của A2",
              "year": 2025, "level": "base", "authors": "P2", "benefit": 1000}
    assert admin.post("/api/v1/innovations", theirs)[0] == 201
    st, _, body = admin.post("/api/v1/innovation-details",
                             {"code": "SK-B", "unit": "A2"})
    assert st == 201, body
    # Listing one author of one's own does not make it one's own.
    st, _, body = clerk.post("/api/v1/innovations", dict(
        theirs, authors="P1;P2", level="national", benefit=9))
    assert st == 403, body
    assert body["error"]["code"] == "forbidden"
    st, _, body = clerk.post("/api/v1/innovation-details",
                             {"code": "SK-B", "unit": "A1"})
    assert st == 403, body
    items = admin.get("/api/v1/innovations")[2]["items"]
    row = [i for i in items if i["code"] == "SK-B"][0]
    assert row["authors"] == "P2" and row["level"] == "base"
    assert row["benefit"] == "1000"
    det = admin.get("/api/v1/innovation-details")[2]["items"]
    assert [d for d in det if d["code"] == "SK-B"][0]["unit"] == "A2"
    # A clerk's own innovation (every author in A1) stays theirs to edit,
    # and co-authors from elsewhere may be added to a new one.
    mine = dict(theirs, code="SK-A", authors="P1;P3", title="Của A1")
    assert clerk.post("/api/v1/innovations", mine)[0] == 201
    st, _, body = clerk.post("/api/v1/innovations", dict(mine, level="ministry"))
    assert st == 201, body
    st, _, body = clerk.post("/api/v1/innovations",
                             dict(mine, code="SK-AB", authors="P1;P2"))
    assert st == 201, body
    # ...but once it names an author of A2, it is no longer all theirs.
    st, _, body = clerk.post("/api/v1/innovations",
                             dict(mine, code="SK-AB", authors="P1"))
    assert st == 403, body


def audit(c, **q):
    qs = "&".join(f"{k}={v}" for k, v in q.items())
    st, _, body = c.get("/api/v1/audit?limit=10000" + ("&" + qs if qs else ""))
    assert st == 200, body
    return body["items"]


def test_award_path_and_logins_audited(anysrv, clients):
    admin, council = clients["admin"], clients["council"]
    st, _, body = admin.post("/api/v1/ratings", [
        {"year": 2025, "subject": "P1", "rating": "HTXSNV"},
        {"year": 2025, "subject": "P3", "rating": "HTTNV"}])
    assert st == 201, body
    n0 = len(audit(admin))
    st, _, prop = admin.post("/api/v1/proposals", {
        "year": 2025, "award": "GK", "subjects": ["P1", "P3"]})
    assert st == 201, prop
    pid = prop["proposal"]
    steps = [
        (admin, f"/api/v1/proposals/{pid}/submit", None, "submit"),
        (council, f"/api/v1/proposals/{pid}/ballots",
         {"members": 9, "yes": 8}, "ballot"),
        (council, f"/api/v1/proposals/{pid}/review", None, "review"),
        (admin, f"/api/v1/proposals/{pid}/decision",
         {"number": "3/QĐ-Z", "date": "2025-12-20", "signer": "Giám đốc"},
         "decide"),
    ]
    for c, path, body, action in steps:
        n = len(audit(admin))
        st, _, out = c.post(path, body)
        assert st in (200, 201), (path, out)
        new = audit(admin)[:len(audit(admin)) - n]
        assert [(e["action"], e["kind"]) for e in new] == [
            (action, "proposals")], new
        assert new[0]["subject"] == str(pid)
        assert new[0]["actor"] == ("admin" if c is admin else "council")
        assert new[0]["address"] == "127.0.0.1"
        if action == "ballot":     # one count for both candidates: one entry
            assert new[0]["after"]["candidates"] == ["P1", "P3"], new
    st, _, led = admin.get("/api/v1/ledger?subject=P1")
    seq = led["entries"][-1]["seq"]
    st, _, out = admin.post(f"/api/v1/ledger/{seq}/revoke",
                            {"reason": "khai man"})
    assert st == 201, out
    e = audit(admin, subject="P1")[0]
    assert e["action"] == "revoke" and e["kind"] == "ledger"
    assert e["before"]["seq"] == seq and e["after"]["reason"] == "khai man"
    assert len(audit(admin)) == n0 + 6
    # Five logins, good and bad: five entries.
    n = len(audit(admin))
    for pw in ("password-viewer", "wrong-1", "password-viewer", "wrong-2",
               "wrong-3"):
        st, _, _ = anysrv.client().post("/api/v1/session",
                                        {"login": "viewer", "password": pw})
        assert st in (200, 401)
    logins = audit(admin)[:len(audit(admin)) - n]
    assert sorted(e["action"] for e in logins) == [
        "login", "login", "login_failed", "login_failed", "login_failed"]
    assert all(e["subject"] == "viewer" and e["kind"] == "session"
               for e in logins)
    # A logout is audited too.
    v = anysrv.login("viewer")
    n = len(audit(admin))
    assert v.delete("/api/v1/session")[0] == 200
    out = audit(admin)[0]
    assert len(audit(admin)) == n + 1 and out["action"] == "logout"
    assert out["actor"] == "viewer"
