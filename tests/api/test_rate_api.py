"""The year's ratings from a regular movement over HTTP (both backends):
GET /api/v1/movements/{code}/ratings?year= is the diff `thidua rate`
prints, POST applies it (admin) and leaves an audit entry; ratings set
by hand or by the council are kept; bad years and movements are named."""
import json

from api_support import Server, token
from testbed import run, write


def test_rate_over_http(movement_db, tmp_path):
    db = movement_db
    write(tmp_path / "r.csv", "year,subject,rating,source\n"
          "2025,PX2,HTXSNV,hand\n2025,PX3,HTNV,import\n2025,PKT,HTTNV,council\n")
    assert run("import", "ratings", str(tmp_path / "r.csv"), db=db).code == 0
    admin = token(db, "admin", "admin")
    council = token(db, "council", "council")
    s = Server(db, str(tmp_path))
    try:
        path = "/api/v1/movements/TDQT-2025/ratings"
        st, doc = s.call(council, "GET", path + "?year=2025")
        cli = json.loads(run("rate", "--movement", "TDQT-2025", "--year", "2025",
                             "--format", "json", db=db).out)
        assert st == 200 and doc == cli, doc
        assert {x["subject"]: x["action"] for x in doc["results"]} == \
            {"PX1": "new", "PX2": "kept", "PX3": "change", "PKT": "kept"}
        # the changes only, a page at a time (the movements page asks the
        # first 20; the whole diff was 14 MB for 110,000 people): the
        # counts stay every action's
        changed = [x for x in doc["results"] if x["action"] != "same"]
        assert len(changed) >= 2
        got = []
        for off in range(0, len(changed) + 1):
            st, page = s.call(council, "GET", path +
                              f"?year=2025&changes=1&limit=1&offset={off}")
            assert st == 200 and page["counts"] == doc["counts"], page
            assert page["total"] == len(changed), page
            got += page["results"]
        assert got == changed
        st, page = s.call(council, "GET", path + "?year=2025&limit=2")
        assert page["results"] == doc["results"][:2]
        assert page["total"] == len(doc["results"])
        st, doc2 = s.call(council, "GET", path + "?year=2024")
        assert st == 400, doc2
        st, doc = s.call(council, "GET", path)
        assert st == 400 and doc["error"]["field"] == "year", doc
        st, doc = s.call(council, "GET", "/api/v1/movements/NOPE/ratings?year=2025")
        assert st == 404, doc
        st, doc = s.call(council, "POST", path, {"year": 2025})
        assert st == 403, doc
        assert "2025,PX3,HTNV,import" in run("export", "ratings", db=db).out
        st, doc = s.call(admin, "POST", path, {"year": 2025})
        assert st == 200 and doc["applied"] is True, doc
        out = run("export", "ratings", db=db).out
        assert "2025,PX3,HTXSNV,movement" in out and "2025,PX1,KHTNV,movement" in out
        assert "2025,PX2,HTXSNV,hand" in out and "2025,PKT,HTTNV,council" in out
        st, aud = s.call(admin, "GET", "/api/v1/audit?subject=TDQT-2025")
        assert st == 200
        (entry,) = [i for i in aud["items"] if i["action"] == "rate"]
        assert entry["actor"] == "admin" and entry["kind"] == "ratings"
    finally:
        rc = s.stop()
    assert rc == 0, s.text()[-3000:]
