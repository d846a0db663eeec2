"""Vietnamese text as people type it: every text that enters (CSV from the
CLI or the API, JSON rows, JSON object bodies) is stored in Unicode NFC,
so a name typed decomposed and the same name typed precomposed are one
name, found by either spelling (and by neither accent)."""
import json
import os
import unicodedata
import urllib.parse

from api_support import cli

PRE = "Nguyễn Thị Lan"
DEC = unicodedata.normalize("NFD", PRE)
assert PRE != DEC and unicodedata.normalize("NFC", DEC) == PRE


def names(c, *codes):
    st, _, body = c.get("/api/v1/people?limit=10000")
    assert st == 200, body
    by = {p["code"]: p["name"] for p in body["items"]}
    return [by.get(x) for x in codes]


def test_csv_from_the_cli_is_stored_nfc(srv, tmp_path):
    f = tmp_path / "people.csv"
    f.write_text("code,name,unit,category,joined\n"
                 f"N1,{PRE},A1,employee,2020-01-01\n"
                 f"N2,{DEC},A1,employee,2020-01-01\n", encoding="utf-8")
    cli(srv.db, "import", "people", str(f))
    out = json.loads(cli(srv.db, "--format", "json", "export", "people").stdout)
    by = {p["code"]: p["name"] for p in out}
    assert by["N1"] == by["N2"] == PRE
    assert by["N2"].encode() == PRE.encode()


def test_json_rows_and_csv_bodies_are_stored_nfc(srv):
    admin = srv.login("admin")
    # Python's json escapes every non-ASCII character: \u0302 etc. arrive escaped
    st, _, body = admin.post("/api/v1/people", [
        {"code": "N3", "name": DEC, "unit": "A2", "category": "employee", "joined": "2021-01-01"}])
    assert st == 201, body
    csv = f"code,name,unit,category,joined\nN4,{DEC},A2,employee,2021-01-01\n"
    st, _, body = admin.request("POST", "/api/v1/people", raw=csv.encode(), ctype="text/csv")
    assert st == 201, body
    assert names(admin, "N3", "N4") == [PRE, PRE]


def test_one_name_found_by_either_spelling(srv):
    admin = srv.login("admin")
    for q in (PRE, DEC, "nguyen thi lan", DEC.upper()):
        st, _, body = admin.get("/api/v1/search?type=person&" + urllib.parse.urlencode({"q": q}))
        assert st == 200
        found = {i["code"] for i in body["items"]}
        assert {"N1", "N2", "N3", "N4"} <= found, (q, found)
        assert all(i["name"] == PRE for i in body["items"] if i["code"] in ("N1", "N2", "N3", "N4"))


def test_object_bodies_free_text_is_nfc(srv):
    admin = srv.login("admin")
    reason = unicodedata.normalize("NFD", "Điển hình về tiết kiệm vật tư")
    st, _, body = admin.post("/api/v1/exemplars", {
        "subject": "P1", "field": unicodedata.normalize("NFD", "Sản xuất"), "reason": reason, "since": 2020})
    assert st == 201, body
    st, _, body = admin.get("/api/v1/exemplars")
    assert st == 200
    items = body.get("exemplars") or body.get("items")
    mine = [x for x in items if x.get("subject") == "P1"]
    assert mine and mine[0]["field"] == "Sản xuất"
    assert mine[0]["reason"] == unicodedata.normalize("NFC", reason)
