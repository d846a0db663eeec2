"""The innovation register and advanced examples over the HTTP API (both
backends): the same documents as `thidua report innovations` and
`thidua exemplar … --format json` (a viewer's without the authors
outside their subtree), the council registers an exemplar and
an adoption, a viewer reads but may not write, bad input is named."""
import json

from api_support import Server, token
from testbed import run


def cli_json(db, *args):
    r = run("--format", "json", *args, db=db)
    assert r.code == 0, r
    return json.loads(r.out)


def test_register_over_http(exemplar_db, tmp_path):
    db = exemplar_db
    admin = token(db, "admin", "admin")
    council = token(db, "council", "council")
    viewer = token(db, "viewer", "viewer", "--unit", "A")
    s = Server(db, str(tmp_path))
    try:
        full = cli_json(db, "report", "innovations", "--by", "kind")
        st, doc = s.call(admin, "GET", "/api/v1/reports/innovations?by=kind")
        assert st == 200 and doc == full
        # a viewer of A: the whole register, but no author outside A (P3)
        st, doc = s.call(viewer, "GET", "/api/v1/reports/innovations?by=kind")
        assert st == 200 and doc["total"] == full["total"]
        assert doc["total"]["count"] == 2 and doc["groups"] == full["groups"]
        assert {i["code"]: [a["person"] for a in i["authors"]]
                for i in doc["innovations"]} == {"SK1": ["P1"], "SK3": []}
        # summary=1 (the web page's): the same without the rows
        st, doc = s.call(admin, "GET",
                         "/api/v1/reports/innovations?by=kind&summary=1")
        assert st == 200 and "innovations" not in doc
        assert doc == {k: v for k, v in full.items() if k != "innovations"}
        st, doc = s.call(viewer, "GET", "/api/v1/reports/innovations?by=colour")
        assert st == 400 and doc["error"]["field"] == "by", doc
        st, doc = s.call(viewer, "GET", "/api/v1/exemplars/discover?year=2025")
        assert st == 200 and doc == cli_json(db, "exemplar", "discover", "--year", "2025")
        assert [c["subject"] for c in doc["candidates"]] == ["P1"]
        st, doc = s.call(viewer, "GET", "/api/v1/exemplars/discover")
        assert st == 400 and doc["error"]["field"] == "year", doc
        new = {"subject": "P1", "field": "Cải tiến kỹ thuật",
               "reason": "Ba năm liền dẫn đầu, có sáng kiến", "since": 2025}
        st, doc = s.call(viewer, "POST", "/api/v1/exemplars", new)
        assert st == 403, doc
        st, doc = s.call(council, "POST", "/api/v1/exemplars", {**new, "colour": 1})
        assert st == 400 and doc["error"]["field"] == "colour", doc
        st, doc = s.call(council, "POST", "/api/v1/exemplars", {**new, "subject": "NOBODY"})
        assert st in (400, 404), doc
        st, ex = s.call(council, "POST", "/api/v1/exemplars", new)
        assert st == 201 and ex["subject"] == "P1" and ex["since"] == 2025, ex
        st, doc = s.call(admin, "POST", f"/api/v1/exemplars/{ex['id']}/adoptions",
                         {"unit": "B", "date": "2025-03-01", "practice": "Quy trình 5S"})
        assert st == 201 and doc["adoptions"] == 1, doc
        assert doc["adoption_list"][0]["unit"] == "B", doc
        st, doc = s.call(viewer, "GET", f"/api/v1/exemplars/{ex['id']}")
        assert st == 200 and doc == cli_json(db, "exemplar", "show", str(ex["id"]))
        st, doc = s.call(viewer, "GET", "/api/v1/exemplars/999")
        assert st == 404, doc
        st, doc = s.call(viewer, "GET", "/api/v1/exemplars")
        assert st == 200 and doc == cli_json(db, "exemplar", "list")
        st, doc = s.call(viewer, "GET", "/api/v1/exemplars/check?year=2025")
        assert st == 200 and doc == cli_json(db, "exemplar", "check", "--year", "2025")
        assert doc["results"][0]["status"] == "ok"
    finally:
        rc = s.stop()
    assert rc == 0, s.text()[-3000:]
