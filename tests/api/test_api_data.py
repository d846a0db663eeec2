"""Data over the API: imports as JSON objects, arrays and CSV (all or
nothing, dry runs), lists with paging and filters, the audit trail, the
report twins (same JSON as the CLI), the OpenAPI document, and the whole
path once on PostgreSQL."""
import json
import signal

import pytest

from api_support import cli

RECORDS = [{"subject": "P1", "metric": "output", "date": f"2024-03-{d:02d}",
            "value": d} for d in range(1, 11)]


def test_import_array_then_list_with_paging(srv):
    c = srv.login("admin")
    st, _, body = c.post("/api/v1/records", RECORDS)
    assert st == 201 and body == {"kind": "records", "rows": 10,
                                  "written": 10, "dry_run": False}
    st, _, page = c.get("/api/v1/records?limit=4&offset=0&from=2024-03-01"
                        "&to=2024-03-31")
    assert st == 200 and page["total"] == 10 and len(page["items"]) == 4
    assert page["next_offset"] == 4
    seen = [x["date"] for x in page["items"]]
    while page["next_offset"] is not None:
        st, _, page = c.get("/api/v1/records?limit=4&from=2024-03-01"
                            f"&to=2024-03-31&offset={page['next_offset']}")
        seen += [x["date"] for x in page["items"]]
    assert sorted(seen) == [r["date"] for r in RECORDS]
    st, _, page = c.get("/api/v1/records?from=2024-03-05&to=2024-03-06")
    assert sorted(x["date"] for x in page["items"]) == ["2024-03-05",
                                                        "2024-03-06"]
    assert page["items"][0]["subject"] == "P1"


def test_all_or_nothing_and_dry_run(srv):
    c = srv.login("admin")
    before = c.get("/api/v1/indicators")[2]["total"]
    rows = [{"year": 2020, "unit": "Z", "indicator": "turnover", "value": 10},
            {"year": 2021, "unit": "NOPE", "indicator": "turnover", "value": 11}]
    st, _, body = c.post("/api/v1/indicators", rows)
    assert st == 400 and body["errors"][0]["field"] == "[1].unit"
    assert c.get("/api/v1/indicators")[2]["total"] == before
    st, _, body = c.post("/api/v1/indicators?dry_run=1", rows[:1])
    assert st == 200 and body["dry_run"] is True and body["written"] == 0
    assert c.get("/api/v1/indicators")[2]["total"] == before
    st, _, body = c.post("/api/v1/indicators?dry_run=1", rows)
    assert st == 400
    st, _, body = c.post("/api/v1/indicators", rows[0])     # one object
    assert st == 201 and body["written"] == 1
    assert c.get("/api/v1/indicators?year=2020")[2]["total"] == 1


def test_csv_body_on_the_same_endpoint(srv):
    c = srv.login("admin")
    csv = "year,subject,rating\n2019,P1,HTXSNV\n2019,P3,HTTNV\n"
    st, _, body = c.post("/api/v1/ratings", raw=csv.encode(), ctype="text/csv")
    assert st == 201 and body["written"] == 2, body
    st, _, body = c.post("/api/v1/ratings?dry_run=1",
                         raw=b"year,subject,rating\n2019,P1,BAD\n",
                         ctype="text/csv")
    assert st == 400 and body["errors"][0]["line"] == 2
    items = c.get("/api/v1/ratings?year=2019")[2]["items"]
    assert sorted((x["subject"], x["rating"]) for x in items) == [
        ("P1", "HTXSNV"), ("P3", "HTTNV")]


def test_every_write_is_audited(srv):
    c = srv.login("clerk")
    st, _, _ = c.post("/api/v1/ratings",
                      {"year": 2018, "subject": "P3", "rating": "HTNV"})
    assert st == 201
    a = srv.login("council")
    st, _, body = a.get("/api/v1/audit?subject=P3&limit=5")
    assert st == 200
    e = body["items"][0]
    assert e["actor"] == "clerk" and e["address"] == "127.0.0.1"
    assert e["action"] == "import" and e["kind"] == "ratings"
    assert e["after"] == {"year": "2018", "subject": "P3", "rating": "HTNV"}
    # An update shows the stored row before it.
    assert c.post("/api/v1/ratings", {"year": 2018, "subject": "P3",
                  "rating": "HTXSNV"})[0] == 201
    e2 = a.get("/api/v1/audit?subject=P3&limit=1")[2]["items"][0]
    assert e2["before"]["rating"] == "HTNV"
    assert e2["after"]["rating"] == "HTXSNV"
    # The one-record fast path records before and after too.
    rec = {"subject": "P3", "metric": "output", "date": "2018-05-05",
           "value": 7}
    assert c.post("/api/v1/records", rec)[0] == 201
    assert c.post("/api/v1/records", dict(rec, value=8))[0] == 201
    e3 = a.get("/api/v1/audit?subject=P3&limit=1")[2]["items"][0]
    assert e3["kind"] == "records" and e3["before"]["value"] == "7"
    assert e3["after"]["value"] == "8"
    e = e3
    # The CLI shows the same trail.
    p = cli(srv.db, "--format", "json", "audit", "--subject", "P3")
    assert json.loads(p.stdout)["items"][0] == e


def test_unit_summary_follows_writes(srv):
    c = srv.login("admin")
    st, _, s1 = c.get("/api/v1/units/A1/summary")
    assert st == 200 and s1["unit"] == "A1" and s1["units"] == 2
    assert s1["people"] == 2
    c.post("/api/v1/people", {"code": "P9", "name": "Phạm Văn Dũng",
           "unit": "A1T", "category": "employee", "joined": "2020-01-01"})
    st, _, s2 = c.get("/api/v1/units/A1/summary")
    assert s2["people"] == 3
    st, _, u = c.get("/api/v1/units/A1")
    assert u["parent"] == "Z" and [x["code"] for x in u["children"]] == ["A1T"]


def test_subject_and_year_filters_read_only_those_rows(srv):
    """?subject= (one subject's rows through its index) and ?year= (awards,
    ratings through the key) give the rows the whole list has for them."""
    c = srv.login("admin")
    st, _, body = c.post("/api/v1/ratings", [
        {"year": y, "subject": s, "rating": "HTTNV"}
        for y in (2022, 2023) for s in ("P1", "P2", "A1")])
    assert st == 201, body
    every = c.get("/api/v1/ratings?limit=10000")[2]["items"]
    for subject in ("P1", "A1"):
        st, _, page = c.get(f"/api/v1/ratings?subject={subject}&limit=10000")
        assert st == 200, page
        assert page["items"] == [x for x in every if x["subject"] == subject]
        assert page["total"] == len(page["items"]) > 0
    st, _, page = c.get("/api/v1/ratings?year=2023&limit=10000")
    assert page["items"] == [x for x in every if x["year"] == "2023"]
    st, _, page = c.get("/api/v1/ratings?year=2023&subject=P2")
    assert [(x["year"], x["subject"]) for x in page["items"]] == [("2023", "P2")]
    st, _, body = c.get("/api/v1/records?subject=P1")
    assert st == 400 and body["error"]["field"] == "subject"
    # a scoped caller's subject must lie in its subtree (A1: not P2)
    clerk = srv.login("clerk")
    assert clerk.get("/api/v1/ratings?subject=P1")[0] == 200
    assert clerk.get("/api/v1/ratings?subject=P2")[0] == 403


# (API path, CLI arguments, the list the document must not have empty)
REPORTS = [
    ("/api/v1/eligibility?year=2024", ["eligibility", "--year", "2024"],
     "results"),
    ("/api/v1/schedule?as_of=2024-06-30", ["schedule", "--as-of", "2024-06-30"],
     "tasks"),
    ("/api/v1/reports/growth?from=2019&to=2021",
     ["report", "growth", "--from", "2019", "--to", "2021"], "indicators"),
]
# What the twins report on: two key tasks with progress, and a workshop's
# turnover over the growth report's years.
TWIN_DATA = [
    ("tasks", "code,name,unit,quantity,start,due,product,customer,hard\n"
     "TW1,Cụm TW1,A1,100,2024-06-01,2024-06-20,,,1\n"
     "TW2,Cụm TW2,A2,50,2024-06-10,2024-07-10,,,0\n"),
    ("progress", "task,date,quantity\nTW1,2024-06-01,5\nTW1,2024-06-10,5\n"
     "TW2,2024-06-12,10\n"),
    ("indicators", "year,unit,indicator,value\n2019,A2,turnover,100\n"
     "2020,A2,turnover,150\n2021,A2,turnover,240\n"),
]


def twin_data(srv):
    if getattr(srv, "twin_data", False):
        return
    c = srv.login("admin")
    for kind, csv in TWIN_DATA:
        st, _, body = c.post(f"/api/v1/{kind}", raw=csv.encode(),
                             ctype="text/csv")
        assert st == 201, (kind, body)
    srv.twin_data = True


@pytest.mark.parametrize("path,args,key", REPORTS)
def test_report_twins_match_the_cli(srv, path, args, key):
    """The API's document is the CLI's, both succeed, and it has content."""
    twin_data(srv)
    c = srv.login("admin")
    st, _, body = c.get(path)
    assert st == 200, body
    p = cli(srv.db, "--format", "json", *args, check=False)
    assert p.returncode == 0, p.stderr
    assert body == json.loads(p.stdout)
    assert isinstance(body[key], list) and body[key], body


def test_scoped_report_keeps_only_the_subtree(srv):
    st, _, body = srv.login("viewer").get("/api/v1/eligibility?year=2024")
    assert st == 200
    assert body["results"]
    assert {r["subject"] for r in body["results"]} <= {"A1", "A1T", "P1", "P3",
                                                       "A1X", "P9"}


def test_eligibility_verdict_filter(srv):
    """?verdict= lists only those verdicts: the CLI's results, filtered; a
    scoped caller's filtered list is the subtree's part of it."""
    c = srv.login("admin")
    st, _, body = c.get("/api/v1/eligibility?year=2024&verdict=eligible,held")
    assert st == 200, body
    full = json.loads(cli(srv.db, "--format", "json", "eligibility", "--year",
                          "2024").stdout)
    assert body["year"] == 2024 and body["rule_set"] == full["rule_set"]
    assert body["results"] == [x for x in full["results"]
                               if x["verdict"] in ("eligible", "held")]
    # how many of each verdict, listed or not
    assert body["counts"] == {v: sum(x["verdict"] == v for x in full["results"])
                              for v in ("eligible", "ineligible", "over_quota", "held")}
    assert "counts" not in full
    st, _, body = c.get("/api/v1/eligibility?year=2024&verdict=ineligible")
    want = [x for x in full["results"] if x["verdict"] == "ineligible"]
    assert st == 200 and want and body["results"] == want
    assert len(want) < len(full["results"]) or \
        {x["verdict"] for x in full["results"]} == {"ineligible"}
    st, _, scoped = srv.login("viewer").get("/api/v1/eligibility?year=2024"
                                            "&verdict=ineligible")
    assert st == 200 and scoped["results"]
    assert scoped["results"] == [x for x in want if x["subject"] in
                                 {"A1", "A1T", "P1", "P3", "A1X", "P9"}]
    st, _, err = c.get("/api/v1/eligibility?year=2024&verdict=eligible,maybe")
    assert st == 400 and err["error"]["field"] == "verdict", err


def test_eligibility_limit_lists_the_first_subjects(srv):
    """?limit=N lists the results of the first N subjects that have one
    listed, in the document's order; the counts of a verdict filter still
    count every subject; "more" says whether any was left out (the
    dashboard asks for ten, where the whole list was 101 MB at a million
    people)."""
    c = srv.login("admin")
    for q in ("&verdict=ineligible", "&verdict=eligible,ineligible,held", ""):
        st, _, full = c.get(f"/api/v1/eligibility?year=2024{q}")
        assert st == 200 and full["results"], full
        order = []
        for x in full["results"]:
            if x["subject"] not in order:
                order.append(x["subject"])
        for n in (1, 2, len(order), len(order) + 5):
            st, _, lim = c.get(f"/api/v1/eligibility?year=2024{q}&limit={n}")
            assert st == 200, lim
            assert lim["results"] == [x for x in full["results"]
                                      if x["subject"] in order[:n]], (q, n)
            assert lim["more"] is (n < len(order)), (q, n, lim["more"])
            assert lim.get("counts") == full.get("counts")
    st, _, err = c.get("/api/v1/eligibility?year=2024&limit=0")
    assert st == 400 and err["error"]["field"] == "limit", err


def test_eligibility_pages_and_unit_subtree(srv):
    """?offset=O&limit=N is a page of the same list: the pages put end to
    end are the whole document's results, each but the last says "more";
    ?unit=X lists only X's subtree (the unit, its sub-units, their
    people), with counts of that subtree; a scoped caller's unit= outside
    its unit is 403 and a code that is no unit 404 (the council page and
    the rating grid ask a page and a unit, never the whole list)."""
    c = srv.login("admin")
    for q in ("&verdict=ineligible", ""):
        full = c.get(f"/api/v1/eligibility?year=2024{q}")[2]
        order = []
        for x in full["results"]:
            if x["subject"] not in order:
                order.append(x["subject"])
        assert len(order) >= 5, order
        for n in (1, 2, 3):
            got, off = [], 0
            while True:
                st, _, page = c.get(f"/api/v1/eligibility?year=2024{q}"
                                    f"&offset={off}&limit={n}")
                assert st == 200, page
                assert page["counts" if q else "year"] == full["counts" if q else "year"]
                subj = {x["subject"] for x in page["results"]}
                assert subj == set(order[off:off + n]), (q, n, off, subj)
                got += page["results"]
                off += n
                assert page["more"] is (off < len(order)), (q, n, off)
                if not page["more"]:
                    break
            assert got == full["results"], (q, n)
        st, _, past = c.get(f"/api/v1/eligibility?year=2024{q}&offset=99&limit=5")
        assert st == 200 and past["results"] == [] and past["more"] is False
        st, _, rest = c.get(f"/api/v1/eligibility?year=2024{q}&offset=2")
        assert st == 200 and rest["results"] == [
            x for x in full["results"] if x["subject"] in order[2:]], rest
    full = c.get("/api/v1/eligibility?year=2024")[2]
    # (the module's earlier tests add units and people: the tree as it is)
    parent = {u["code"]: u.get("parent") for u in
              c.get("/api/v1/units?limit=10000")[2]["items"]}
    home = {p["code"]: p["unit"] for p in
            c.get("/api/v1/people?limit=10000")[2]["items"]}

    def under(code, top):
        while code is not None and code != top:
            code = parent.get(code)
        return code == top

    for unit in ("A1", "A1T", "A2", "Z"):
        inside = {u for u in parent if under(u, unit)} | {
            p for p, u in home.items() if under(u, unit)}
        assert inside >= {unit}
        st, _, doc = c.get(f"/api/v1/eligibility?year=2024&unit={unit}")
        assert st == 200, doc
        assert doc["results"] == [x for x in full["results"]
                                  if x["subject"] in inside], (
            unit, {x["subject"] for x in doc["results"]} ^
            {x["subject"] for x in full["results"] if x["subject"] in inside})
        st, _, doc = c.get(f"/api/v1/eligibility?year=2024&unit={unit}"
                           "&verdict=eligible,ineligible,over_quota,held")
        n = sum(1 for x in full["results"] if x["subject"] in inside)
        assert sum(doc["counts"].values()) == n, (unit, doc["counts"])
    assert {x["subject"] for x in c.get(
        "/api/v1/eligibility?year=2024&unit=A2")[2]["results"]} >= {"A2", "P2"}
    st, _, err = c.get("/api/v1/eligibility?year=2024&unit=NOPE")
    assert st == 404 and err["error"]["field"] == "unit", err
    st, _, err = c.get("/api/v1/eligibility?year=2024&unit=P1")
    assert st == 404 and err["error"]["field"] == "unit", err
    clerk = srv.login("clerk")		# (scoped to A1)
    st, _, err = clerk.get("/api/v1/eligibility?year=2024&unit=A2")
    assert st == 403, err
    st, _, doc = clerk.get("/api/v1/eligibility?year=2024&unit=A1T")
    assert st == 200 and {x["subject"] for x in doc["results"]} == {
        x["subject"] for x in full["results"]
        if x["subject"] == "A1T" or home.get(x["subject"]) == "A1T"}
    # a scoped caller's list: its subtree as it is now (one query for
    # every subject's id, where each subject was looked up on its own),
    # paged and counted the same; one subject of it asked alone
    mine = {u for u in parent if under(u, "A1")} | {
        p for p, u in home.items() if under(u, "A1")}
    st, _, doc = clerk.get("/api/v1/eligibility?year=2024")
    assert st == 200 and doc["results"] == [
        x for x in full["results"] if x["subject"] in mine], doc
    st, _, doc = clerk.get("/api/v1/eligibility?year=2024&verdict="
                           "eligible,ineligible,over_quota,held&limit=2")
    assert sum(doc["counts"].values()) == sum(
        1 for x in full["results"] if x["subject"] in mine)
    st, _, doc = clerk.get("/api/v1/eligibility?year=2024&subject=P3")
    assert st == 200 and doc["results"] == [
        x for x in full["results"] if x["subject"] == "P3"], doc
    st, _, err = c.get("/api/v1/eligibility?year=2024&offset=-1")
    assert st == 400 and err["error"]["field"] == "offset", err


def test_openapi_lists_every_route(srv):
    st, _, doc = srv.client().get("/api/v1/openapi.json")
    assert st == 200 and doc["openapi"].startswith("3.")
    ops = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    expected = {
        ("GET", "/healthz"), ("GET", "/api/v1/openapi.json"),
        ("POST", "/api/v1/session"), ("DELETE", "/api/v1/session"),
        ("GET", "/api/v1/me"), ("GET", "/api/v1/eligibility"),
        ("GET", "/api/v1/schedule"), ("GET", "/api/v1/movements/{code}/scores"),
        ("GET", "/api/v1/reports/growth"), ("GET", "/api/v1/audit"),
        ("GET", "/api/v1/units/{code}"), ("GET", "/api/v1/units/{code}/summary"),
        ("GET", "/api/v1/{kind}"), ("POST", "/api/v1/{kind}"),
        ("GET", "/api/v1/movements"), ("GET", "/api/v1/movements/{code}"),
        ("GET", "/api/v1/rules"),
    }
    assert expected <= ops
    kinds = doc["paths"]["/api/v1/{kind}"]["get"]["parameters"][0]["schema"]["enum"]
    assert {"units", "people", "ratings", "records", "task-links"} <= set(kinds)
    # Every documented operation exists: none of them answers 404/405.
    c = srv.login("admin")
    for method, path in sorted(ops):
        if method != "GET":
            continue
        url = (path.replace("{kind}", "units").replace("{code}", "Z")
               .replace("/movements/Z", "/movements/NONE"))
        q = {"/api/v1/eligibility": "?year=2024",
             "/api/v1/reports/growth": "?from=2019&to=2020"}.get(path, "")
        st, _, body = c.get(url + q)
        assert st not in (405,), (url, body)
        assert st != 404 or body["error"]["field"], (url, body)


MOVEMENT = """code: TW-2024
name: {vi: "Đợt thi đua thử", en: "Trial campaign"}
kind: campaign
start: 2024-07-01
end: 2024-09-30
scope: Z
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


def test_movements_and_rules(srv, tmp_path):
    y = tmp_path / "tw.yaml"
    y.write_text(MOVEMENT, encoding="utf-8")
    cli(srv.db, "movement", "load", str(y))
    c = srv.login("viewer")
    st, _, body = c.get("/api/v1/movements")
    assert st == 200, body
    p = cli(srv.db, "--format", "json", "movement", "list")
    assert body == json.loads(p.stdout)
    assert "TW-2024" in json.dumps(body), body
    st, h, text = c.get("/api/v1/rules?year=2025")
    assert st == 200, text
    assert h["content-type"].startswith("text/plain") and b"LDTT" in text


def test_graceful_shutdown(tmp_path):
    from api_support import make_server
    s = make_server("sqlite", tmp_path)
    c = s.login("admin")
    assert c.post("/api/v1/ratings", {"year": 2017, "subject": "P1",
                  "rating": "HTTNV"})[0] == 201
    s.proc.send_signal(signal.SIGINT)
    assert s.proc.wait(timeout=30) == 0
    s.logf.close()
    assert "ratings" in s.text()
    # The committed write survived the shutdown.
    p = cli(s.db, "--format", "json", "export", "ratings")
    assert any(r["year"] in (2017, "2017") for r in json.loads(p.stdout))


def test_whole_path_on_both_backends(anysrv):
    c = anysrv.login("clerk")
    st, _, body = c.post("/api/v1/records", RECORDS[:3])
    assert st == 201, body
    st, _, page = c.get("/api/v1/records?unit=A1&limit=2")
    assert st == 200 and page["total"] == 3 and len(page["items"]) == 2
    st, _, _ = c.post("/api/v1/records", {"subject": "P2", "metric": "output",
                      "date": "2024-01-01", "value": 1})
    assert st == 403
    a = anysrv.login("admin")
    st, _, audit = a.get("/api/v1/audit?limit=10")
    # The newest entries: the admin's login, then the clerk's records.
    assert st == 200 and audit["items"][0]["action"] == "login"
    assert [x for x in audit["items"] if x["kind"] == "records"][0][
        "actor"] == "clerk"
    st, _, s = a.get("/api/v1/units/Z/summary")
    assert st == 200 and s["units"] == 4 and s["people"] == 3


def test_a_person_written_is_audited_with_the_stored_row(srv):
    """(Last in this file: it adds a person to the shared server.)
    The audit's before-row of a small write is read through the
    subject's index (audit.c, store_export_about), not the kind's whole
    export: a new person has none, an update shows the row it replaced,
    and the same for a discipline row keyed by its subject."""
    c = srv.login("admin")
    p = {"code": "P8", "name": "Đỗ Văn Em", "unit": "A1T",
         "category": "employee", "joined": "2021-03-01"}
    assert c.post("/api/v1/people", p)[0] == 201
    assert c.post("/api/v1/people", dict(p, name="Đỗ Văn Êm"))[0] == 201
    a = srv.login("council")
    st, _, body = a.get("/api/v1/audit?limit=500")
    assert st == 200
    mine = [x for x in body["items"] if x["kind"] == "people"
            and (x.get("after") or {}).get("code") == "P8"]
    assert len(mine) == 2
    # (the trail lists the newest first)
    upd, new = mine
    assert new["kind"] == "people" and new.get("before") is None
    assert new["after"]["name"] == "Đỗ Văn Em"
    assert upd["before"]["code"] == "P8" and upd["before"]["name"] == \
        "Đỗ Văn Em" and upd["before"]["unit"] == "A1T"
    assert upd["after"]["name"] == "Đỗ Văn Êm"
    d = {"subject": "P8", "form": "reprimand", "from": "2022-01-01"}
    assert c.post("/api/v1/discipline", d)[0] == 201
    assert c.post("/api/v1/discipline", dict(d, to="2022-06-30"))[0] == 201
    e = a.get("/api/v1/audit?subject=P8&limit=1")[2]["items"][0]
    assert e["kind"] == "discipline" and e["before"]["from"] == "2022-01-01"
    assert "to" not in e["before"] and e["after"]["to"] == "2022-06-30"
