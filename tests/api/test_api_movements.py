"""Movements through the API: suggested raid campaigns for an at-risk hard
task (GET /api/v1/schedule/suggestions, the same document as the CLI),
loading a movement from YAML (POST /api/v1/movements: YAML or JSON body,
audited, errors with the YAML line and column, roles and unit scope),
then its targets and its standings."""
import json
import os
import re

import pytest

from api_support import cli

# Hard task A (workshop A1) makes 5 a day but needs 10: at risk on
# 2025-06-05; its raid campaign is scoped to A1.
TASKS = """code,name,unit,quantity,start,due,hard
A,Bán thành phẩm A,A1,100,2025-06-01,2025-06-10,1
"""
PROGRESS = "task,date,quantity\n" + "".join(
    f"A,2025-06-0{d},5\n" for d in range(1, 6))
AS_OF = "2025-06-05"


@pytest.fixture(scope="module")
def admin(srv):
    c = srv.login("admin")
    for kind, text in (("tasks", TASKS), ("progress", PROGRESS)):
        st, _, body = c.post(f"/api/v1/{kind}", raw=text.encode(),
                             ctype="text/csv")
        assert st == 201, body
    return c


@pytest.fixture(scope="module")
def suggestion(admin):
    st, _, doc = admin.get(f"/api/v1/schedule/suggestions?as_of={AS_OF}&task=A")
    assert st == 200, doc
    (c,) = doc["campaigns"]
    return c


def test_suggestions_match_the_cli(srv, admin, suggestion):
    p = cli(srv.db, "schedule", "--as-of", AS_OF, "--suggest-campaigns",
            "--format", "json")
    assert json.loads(p.stdout)["campaigns"] == [suggestion]
    assert suggestion["task"] == "A" and suggestion["unit"] == "A1"
    assert suggestion["daily_target"] == 15
    assert suggestion["movement"]["scope"] == "A1"
    st, _, doc = admin.get("/api/v1/schedule/suggestions?task=nope!")
    assert st == 400 and doc["error"]["field"] == "task"


def test_scoped_reader_sees_only_its_subtree(srv, admin, suggestion):
    viewer = srv.login("viewer")            # viewer of A1
    st, _, doc = viewer.get(f"/api/v1/schedule/suggestions?as_of={AS_OF}")
    assert st == 200 and [c["task"] for c in doc["campaigns"]] == ["A"]
    c = srv.client()
    assert c.get("/api/v1/schedule/suggestions")[0] == 401


def test_launch_campaign_as_commander(srv, admin, suggestion):
    cmd = srv.login("cmd")                  # commander of A1
    code = suggestion["movement"]["code"]
    st, _, doc = cmd.post("/api/v1/movements",
                          raw=suggestion["yaml"].encode(),
                          ctype="application/yaml")
    assert st == 201, doc
    assert doc["code"] == code and doc["scope"] == "A1"
    st, _, doc = cmd.post("/api/v1/targets", suggestion["targets"])
    assert st == 201, doc
    st, _, ev = cmd.get(f"/api/v1/movements/{code}/scores?as_of=2025-06-10")
    assert st == 200, ev
    assert ev["results"][0]["subject"] == "A1"
    assert ev["results"][0]["criteria"][0]["target"] == 15
    st, _, doc = admin.get("/api/v1/movements")
    assert code in [m["code"] for m in doc["movements"]]
    # audited: who, what, and the movement as stored after
    st, _, doc = admin.get(f"/api/v1/audit?subject={code}")
    (entry,) = [i for i in doc["items"] if i["kind"] == "movements"]
    assert entry["actor"] == "cmd" and entry["action"] == "load"
    assert entry["before"] is None
    after = entry["after"]
    after = json.loads(after) if isinstance(after, str) else after
    assert after["code"] == code


def test_edit_by_json_body_adds_a_version(srv, admin, suggestion):
    code = suggestion["movement"]["code"]
    yaml = suggestion["yaml"].replace("Đột kích", "Đợt đột kích", 1)
    for body, want in (({"yaml": yaml}, 200), ({"yaml": yaml}, 200)):
        st, _, doc = admin.post("/api/v1/movements", body)
        assert st in (200, 201) and doc["code"] == code, doc
    st, _, doc = admin.get(f"/api/v1/movements/{code}")
    assert st == 200 and doc["name"]["vi"].startswith("Đợt đột kích")
    assert doc["version"] >= 2


def test_yaml_error_names_line_and_field(srv, admin, suggestion):
    lines = suggestion["yaml"].split("\n")
    i = next(n for n, s in enumerate(lines) if s.startswith("kind:"))
    lines[i] = "kind: sometimes"
    st, _, doc = admin.post("/api/v1/movements", raw="\n".join(lines).encode(),
                            ctype="text/yaml")
    assert st == 400, doc
    err = doc["error"]
    assert err["code"] == "bad_input" and err["field"] == "kind"
    assert f"movement.yaml:{i + 1}:" in err["message"]
    st, _, doc = admin.post("/api/v1/movements", raw=b"code: [unclosed",
                            ctype="application/yaml")
    assert st == 400 and re.match(r"movement\.yaml:\d+:\d+: ",
                                  doc["error"]["message"]), doc
    # English on request
    en = srv.login("admin", lang="en")
    st, _, doc = en.post("/api/v1/movements",
                         raw="\n".join(lines).encode(), ctype="text/yaml")
    assert st == 400 and doc["error"]["field"] == "kind"
    st, _, doc = admin.post("/api/v1/movements", raw=b"x", ctype="text/plain")
    assert st == 415, doc
    st, _, doc = admin.post("/api/v1/movements", {"yml": "x"})
    assert st == 400 and doc["error"]["code"] == "unknown_field"


@pytest.mark.parametrize("login", ["viewer", "clerk", "council"])
def test_roles_that_may_not_load(srv, admin, suggestion, login):
    c = srv.login(login)
    st, _, doc = c.post("/api/v1/movements", raw=suggestion["yaml"].encode(),
                        ctype="application/yaml")
    assert st == 403 and doc["error"]["code"] == "forbidden", doc


def test_commander_outside_the_subtree(srv, admin, suggestion):
    cmd = srv.login("cmd")                  # A1: may not scope a movement at A2
    yaml = suggestion["yaml"].replace("scope: A1", "scope: A2").replace(
        suggestion["movement"]["code"], "DK-OTHER")
    st, _, doc = cmd.post("/api/v1/movements", raw=yaml.encode(),
                          ctype="application/yaml")
    assert st == 403 and doc["error"]["field"] == "scope", doc
    # nor take over a movement stored at A2 by moving it into A1
    st, _, doc = admin.post("/api/v1/movements", raw=yaml.encode(),
                            ctype="application/yaml")
    assert st == 201, doc
    st, _, doc = cmd.post("/api/v1/movements", raw=yaml.replace(
        "scope: A2", "scope: A1").encode(), ctype="application/yaml")
    assert st == 403 and doc["error"]["field"] == "scope", doc
    st, _, doc = admin.get("/api/v1/movements/DK-OTHER")
    assert doc["scope"] == "A2"


def test_load_on_both_backends(anysrv):
    c = anysrv.login("admin")
    for kind, text in (("tasks", TASKS), ("progress", PROGRESS)):
        st, _, body = c.post(f"/api/v1/{kind}", raw=text.encode(),
                             ctype="text/csv")
        assert st == 201, body
    st, _, doc = c.get(f"/api/v1/schedule/suggestions?as_of={AS_OF}")
    assert st == 200 and [x["task"] for x in doc["campaigns"]] == ["A"], doc
    (s,) = doc["campaigns"]
    st, _, mv = c.post("/api/v1/movements", {"yaml": s["yaml"]})
    assert st == 201 and mv["code"] == s["movement"]["code"], mv
    yaml = """code: TD-2025
name: {vi: "Thi đua năm 2025", en: "Emulation 2025"}
kind: regular
start: 2025-01-01
end: 2025-12-31
scope: Z
subjects: unit
criteria:
  - code: output
    metric: output
    aggregate: sum
    better: higher
    weight: 100
    scoring: {ratio: {cap: 1.2}}
"""
    st, _, doc = c.post("/api/v1/movements", raw=yaml.encode(),
                        ctype="application/yaml")
    assert st == 201, doc
    st, _, doc = c.post("/api/v1/movements", {"yaml": yaml})
    assert st == 200 and doc["version"] == 1, doc
    st, _, doc = c.post("/api/v1/movements", raw=b"code: TD-2025\nkind: x\n",
                        ctype="application/yaml")
    assert st == 400 and "movement.yaml:" in doc["error"]["message"], doc


COPY_MV = """code: COPY-2025
name: {vi: "Sản lượng 2025", en: "Output 2025"}
kind: regular
start: 2025-01-01
end: 2025-12-31
scope: Z
subjects: unit
group_by: all
criteria:
  - {code: out, metric: out_copy, aggregate: sum, weight: 100, scoring: {ratio: {cap: 1.0}}}
"""


def test_scores_follow_single_record_writes(srv, admin):
    """The standings come from the columnar copy beside the SQLite file
    once it exists (src/snapcache-col.h; PostgreSQL has none); a record
    written through the API (the single-object fast path) replaces the
    records' stamp, so the next standing counts it."""
    st, _, doc = admin.post("/api/v1/movements", raw=COPY_MV.encode(),
                            ctype="application/yaml")
    assert st == 201, doc
    st, _, doc = admin.post("/api/v1/targets", [
        {"movement": "COPY-2025", "subject": "A1", "criterion": "out", "target": 100},
        {"movement": "COPY-2025", "subject": "A2", "criterion": "out", "target": 100}])
    assert st == 201, doc

    def actual(unit):
        st, _, ev = admin.get("/api/v1/movements/COPY-2025/scores")
        assert st == 200, ev
        (r,) = [x for x in ev["results"] if x["subject"] == unit]
        return r["criteria"][0]["actual"]

    rec = {"subject": "A1", "metric": "out_copy", "date": "2025-04-01", "value": 30}
    assert admin.post("/api/v1/records", rec)[0] == 201
    assert actual("A1") == 30
    if srv.backend == "sqlite":           # the copy beside the SQLite file
        assert os.path.exists(srv.db + "-records.0")
    rec = {"subject": "A1", "metric": "out_copy", "date": "2025-05-01", "value": 12}
    assert admin.post("/api/v1/records", rec)[0] == 201
    assert actual("A1") == 42
    rec["value"] = 2                      # the same key again: an update
    assert admin.post("/api/v1/records", rec)[0] in (200, 201)
    assert actual("A1") == 32
    assert actual("A2") == 0


PEOPLE_MV = """code: PG-2025
name: {vi: "Thi đua cá nhân 2025", en: "People 2025"}
kind: regular
start: 2025-01-01
end: 2025-12-31
scope: Z
subjects: person
group_by: parent
criteria:
  - {code: out, metric: out_people, aggregate: sum, weight: 100, scoring: {ratio: {cap: 1.0}}}
"""


def test_scores_paged_ranked_and_by_unit(srv, admin):
    """GET /movements/{code}/scores?top=&limit=&offset=&unit=: the
    participants ranked top or better, a page of them with "total", a
    unit's subtree; the pages end to end are the whole list, every score
    and rank the whole evaluation's (the pages the web app asks, where it
    read 26 MB for a movement of 110,000 people). /targets?movement= is
    one movement's targets."""
    st, _, doc = admin.post("/api/v1/movements", raw=PEOPLE_MV.encode(),
                            ctype="application/yaml")
    assert st in (200, 201), doc
    people = [p["code"] for p in admin.get("/api/v1/people?limit=1000")[2]["items"]]
    assert len(people) >= 3
    st, _, doc = admin.post("/api/v1/targets", [
        {"movement": "PG-2025", "subject": p, "criterion": "out",
         "target": 100} for p in people])
    assert st == 201, doc
    st, _, doc = admin.post("/api/v1/records", [
        {"subject": p, "metric": "out_people", "date": "2025-03-01",
         "value": 10 * (i + 1)} for i, p in enumerate(people)])
    assert st == 201, doc
    url = "/api/v1/movements/PG-2025/scores"
    whole = admin.get(url)[2]
    assert "total" not in whole and len(whole["results"]) == len(people)
    for n in (1, 2, len(people)):
        got, off = [], 0
        while True:
            st, _, page = admin.get(f"{url}?limit={n}&offset={off}")
            assert st == 200 and page["total"] == len(people), page
            assert page["results"] == whole["results"][off:off + n]
            got += page["results"]
            off += n
            if off >= page["total"]:
                break
        assert got == whole["results"]
    st, _, top = admin.get(f"{url}?top=1")
    assert top["results"] == [x for x in whole["results"] if x["rank"] <= 1]
    assert top["total"] == len(top["results"])
    st, _, top = admin.get(f"{url}?top=1&limit=1")
    assert top["results"] == [x for x in whole["results"] if x["rank"] <= 1][:1]
    for unit in ("A1", "A2", "Z"):
        st, _, part = admin.get(f"{url}?unit={unit}")
        want = {p["code"] for p in admin.get(
            f"/api/v1/people?unit={unit}&limit=1000")[2]["items"]}
        assert st == 200 and part["results"] == [
            x for x in whole["results"] if x["subject"] in want], unit
    st, _, err = admin.get(f"{url}?unit=NOPE")
    assert st == 404 and err["error"]["field"] == "unit", err
    st, _, err = admin.get(f"{url}?limit=0")
    assert st == 400 and err["error"]["field"] == "limit", err
    st, _, tg = admin.get("/api/v1/targets?movement=PG-2025&limit=2")
    assert st == 200 and tg["total"] == len(people) and len(tg["items"]) == 2
    assert all(x["movement"] == "PG-2025" for x in tg["items"])
    st, _, err = admin.get("/api/v1/ratings?movement=PG-2025")
    assert st == 400 and err["error"]["field"] == "movement", err
