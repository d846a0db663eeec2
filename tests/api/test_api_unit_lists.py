"""Issue 22 (fast where users wait): a list of an import kind for a unit's
subtree (GET /api/v1/{kind}?unit=, or a scoped account's own subtree) is
read through the subtree's indexes (store_export_unit) instead of a scan
of the whole table: a workshop's innovations took 6.9 s at a million
people, its ratings 17.8 s. Whatever path the store takes (the subtree's,
or the scan for a subtree of over a quarter of the units, the root), the
rows must be exactly those the scan gave: the kind's rows whose subject
(person or unit; innovations: any author) lies in the subtree, in the
export's order, an innovation showing only its authors inside. Checked
here for every unit of a 14-unit tree, every subject-keyed kind, JSON and
CSV, as the admin with ?unit= and as a clerk scoped to a workshop, on both
backends, against the whole list filtered here. A1's subtree holds 4 of
the 15 units, more than a quarter: it is scanned, like the root's, but
unlike the root's its rows are each looked up (a subtree that holds every
unit looks none up: h-kinds.c, export_in_root)."""
import csv
import io
import os
from urllib.parse import urlencode

import pytest

from api_support import PEOPLE, UNITS, Server, cli, pg_target, seed

MORE_UNITS = """code,name,parent,kind,bloc,military
A1U,Tổ A1U,A1,team,sx,1
A1TN,Nhóm A1TN,A1T,team,sx,1
A2T,Tổ A2T,A2,team,sx,1
A3,Phân xưởng A3,Z,workshop,sx,1
A3T,Tổ A3T,A3,team,sx,1
A4,Phân xưởng A4,Z,workshop,sx,0
A4T,Tổ A4T,A4,team,sx,0
A5,Phân xưởng A5,Z,workshop,sx,1
A5T,Tổ A5T,A5,team,sx,1
A6,Phân xưởng A6,Z,workshop,sx,1
A6T,Tổ A6T,A6,team,sx,1
"""
MORE_PEOPLE = """code,name,unit,category,joined
P4,Phạm Thị Dung,A1U,employee,2017-02-01
P5,Hoàng Văn Em,A3T,defence_worker,2012-06-01
P6,Vũ Thị Phượng,A4,employee,2019-09-01
P7,Đặng Văn Giang,A5T,soldier,2020-01-15
P8,Bùi Thị Hoa,A6,officer,2010-04-01
P9,Ngô Văn Ích,A1TN,employee,2021-03-01
"""
FILES = {
    "ratings": "year,subject,rating\n" + "".join(
        f"{y},{s},{r}\n" for y in (2024, 2025)
        for s, r in (("P1", "HTXSNV"), ("P2", "HTTNV"), ("P3", "HTNV"),
                     ("P4", "HTTNV"), ("P5", "HTXSNV"), ("P6", "HTTNV"),
                     ("P7", "KHTNV"), ("P8", "HTTNV"), ("A1", "HTXSNV"),
                     ("A1T", "HTTNV"), ("A3", "HTTNV"), ("Z", "HTXSNV")))
    # (rated in 2024 only: A1TN's summary is of 2024, the others' 2025)
    + "2024,P9,HTTNV\n",
    "awards": "year,subject,award\n2024,P1,LDTT\n2024,P5,LDTT\n2024,P9,LDTT\n"
              "2025,P3,CSTT\n2025,P6,LDTT\n2024,A1,TTLDTT\n",
    "discipline": "subject,form,from,to\nP4,reprimand,2024-03-01,2024-09-01\n"
                  "P7,warning,2025-01-10,\nP2,pending,2025-02-01,\n",
    "service": "person,from,to,kind,coefficient\nP1,2010-01-01,,hardship,2\n"
               "P5,2008-01-01,2012-12-31,regular,\nP8,2005-01-01,,regular,\n",
    "incidents": "unit,date,severity,description\nA1T,2025-03-04,minor,trượt\n"
                 "A3,2025-05-06,serious,cháy\nA6T,2024-11-12,minor,ngã\n",
    "innovations": "code,kind,title,year,level,authors\n"
                   "I1,initiative,Cải tiến khuôn ép,2025,base,P1;P5\n"
                   "I2,research,Đề tài ngòi nổ,2024,ministry,P3\n"
                   "I3,mechanisation,Cơ giới hóa đóng gói,2025,base,P6;P7;P2\n"
                   "I4,initiative,Sáng kiến an toàn,2025,base,P8\n"
                   "I5,initiative,Hai tổ một xưởng,2025,base,P4;P3\n",
}
KINDS = ["units", "people", "ratings", "awards", "discipline", "service",
         "incidents", "innovations"]
# the column that places a row in the tree, per kind
PLACE = {"units": "code", "people": "unit", "ratings": "subject",
         "awards": "subject", "discipline": "subject", "service": "person",
         "incidents": "unit"}


def tree():
    """unit -> parent, person -> unit, from the CSVs the server was given."""
    parent, home = {}, {}
    for text in (UNITS, MORE_UNITS):
        for r in csv.DictReader(io.StringIO(text)):
            parent[r["code"]] = r["parent"] or None
    for text in (PEOPLE, MORE_PEOPLE):
        for r in csv.DictReader(io.StringIO(text)):
            home[r["code"]] = r["unit"]
    return parent, home


def subtree(unit, parent):
    """The units at or under unit."""
    out = set()
    for u in parent:
        x = u
        while x is not None and x != unit:
            x = parent[x]
        if x == unit:
            out.add(u)
    return out


def inside(code, units, home):
    """Whether a subject (unit or person) code lies in the units given."""
    return code in units or home.get(code) in units


def expected(kind, rows, units, home):
    """The whole list's rows a scope over units sees, as the scan gives."""
    if kind != "innovations":
        return [r for r in rows if inside(r.get(PLACE[kind]), units, home)]
    out = []
    for r in rows:
        mine = [a for a in r.get("authors", "").split(";")
                if inside(a, units, home)]
        if mine:
            out.append(dict(r, authors=";".join(mine)))
    return out


def items(c, kind, **q):
    """Every row of a paged list (pages of 3, so paging is exercised)."""
    got, offset = [], 0
    while True:
        st, _, body = c.get(f"/api/v1/{kind}?" +
                            urlencode(dict(q, limit=3, offset=offset)))
        assert st == 200, (kind, q, body)
        got += body["items"]
        if body["next_offset"] is None:
            assert body["total"] == len(got), (kind, q, body)
            return got
        offset = body["next_offset"]


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def unitsrv(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("unitlists")
    db = str(tmp / "api.db") if request.param == "sqlite" else pg_target()
    seed(db, str(tmp))
    for kind, text in [("units", MORE_UNITS), ("people", MORE_PEOPLE)] + \
            list(FILES.items()):
        f = os.path.join(str(tmp), f"more-{kind}.csv")
        with open(f, "w", encoding="utf-8") as fh:
            fh.write(text)
        cli(db, "import", kind, f)
    s = Server(db, str(tmp))
    yield s
    assert s.stop() == 0, s.text()[-2000:]


def test_every_unit_lists_the_rows_of_its_subtree(unitsrv):
    parent, home = tree()
    c = unitsrv.login("admin")
    for kind in KINDS:
        whole = items(c, kind)
        assert whole, kind
        for unit in parent:
            units = subtree(unit, parent)
            want = expected(kind, whole, units, home)
            assert items(c, kind, unit=unit) == want, (kind, unit)
            # a year's rows where the kind has years
            if kind in ("ratings", "awards", "innovations"):
                assert items(c, kind, unit=unit, year=2025) == [
                    r for r in want if r["year"] == "2025"], (kind, unit)


def test_a_scoped_clerk_sees_its_subtree_the_same_way(unitsrv):
    parent, home = tree()
    admin = unitsrv.login("admin")
    clerk = unitsrv.login("clerk")          # scoped to A1
    for kind in KINDS:
        whole = items(admin, kind)
        want = expected(kind, whole, subtree("A1", parent), home)
        assert items(clerk, kind) == want, kind
        assert items(clerk, kind, unit="A1T") == expected(
            kind, whole, subtree("A1T", parent), home), kind


def csv_rows(c, query):
    st, _, body = c.request("GET", query, decode=False)
    assert st == 200, (query, body)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    return [{k: v for k, v in r.items() if v != ""} for r in rows]


def test_the_csv_download_of_a_subtree_is_its_rows(unitsrv):
    """The admin's download (?unit=) is the file import reads back: an
    innovation with an author inside keeps all its authors. A scoped
    clerk's shows only the authors inside, as its JSON list does (it named
    co-authors outside the subtree before)."""
    parent, home = tree()
    c = unitsrv.login("admin")
    clerk = unitsrv.login("clerk")          # scoped to A1
    for kind in KINDS:
        whole = items(c, kind)
        for unit in ("A1", "A3", "Z"):
            want = expected(kind, whole, subtree(unit, parent), home)
            if kind == "innovations":
                codes = {r["code"] for r in want}
                want = [r for r in whole if r["code"] in codes]
            assert csv_rows(c, f"/api/v1/{kind}?unit={unit}&format=csv") \
                == want, (kind, unit)
        assert csv_rows(clerk, f"/api/v1/{kind}?format=csv") == expected(
            kind, whole, subtree("A1", parent), home), kind


def test_every_units_summary_counts_its_subtree(unitsrv):
    """GET /units/{code}/summary: the root's (every unit: counted without
    gathering its subjects, 13 s -> 1 s at a million people) and every
    other unit's (through the subtree) equal the counts made here; A1TN,
    rated in 2024 only, is summed for its own latest year, not the
    table's."""
    parent, home = tree()
    c = unitsrv.login("admin")
    ratings, awards = items(c, "ratings"), items(c, "awards")
    for unit in parent:
        units = subtree(unit, parent)
        mine = [r for r in ratings if inside(r["subject"], units, home)]
        year = max((int(r["year"]) for r in mine), default=None)
        counts = {}
        for r in mine:
            if int(r["year"]) == year:
                counts[r["rating"]] = counts.get(r["rating"], 0) + 1
        want = {"unit": unit, "units": len(units),
                "people": sum(1 for p, u in home.items() if u in units),
                "year": year, "ratings": counts,
                "awards": sum(1 for a in awards if int(a["year"]) == year
                              and inside(a["subject"], units, home))}
        st, _, got = c.get(f"/api/v1/units/{unit}/summary")
        assert st == 200 and got == want, (unit, got, want)
        if unit == "A1TN":
            assert got["year"] == 2024 and got["ratings"], got


def test_awards_list_by_award(unitsrv):
    """GET /awards?award=X: that award's rows only, with year= and unit=
    and paged, its total theirs, and its download the same rows (the
    council page asks an award's first 25 decided, where it fetched the
    year's awards of every kind: 895,000 rows at a million people); a
    kind without an award column is 400 naming award."""
    parent, home = tree()
    c = unitsrv.login("admin")
    every = items(c, "awards")
    assert len({a["award"] for a in every}) >= 3
    for award in ("LDTT", "CSTT", "TTLDTT", "HCLD3"):
        for q in ({}, {"year": 2024}, {"unit": "A1"},
                  {"unit": "A1", "year": 2024}, {"unit": "A3", "year": 2024}):
            want = [a for a in every if a["award"] == award
                    and ("year" not in q or int(a["year"]) == q["year"])
                    and ("unit" not in q or inside(
                        a["subject"], subtree(q["unit"], parent), home))]
            assert items(c, "awards", award=award, **q) == want, (award, q)
            st, _, page = c.get("/api/v1/awards?" + urlencode(
                dict(q, award=award, limit=1)))
            assert st == 200 and page["total"] == len(want), (award, q, page)
        assert csv_rows(c, f"/api/v1/awards?format=csv&award={award}") == [
            {k: v for k, v in a.items() if v != ""} for a in every
            if a["award"] == award]
    # a subtree's rows of one year (read with the year in the query)
    ratings = items(c, "ratings")
    for unit in ("A1", "A3", "A1T"):
        for kind, rows in (("ratings", ratings), ("awards", every)):
            for year in (2024, 2025):
                assert items(c, kind, unit=unit, year=year) == [
                    x for x in rows if int(x["year"]) == year and inside(
                        x["subject"], subtree(unit, parent), home)], (
                    kind, unit, year)
    st, _, err = c.get("/api/v1/ratings?award=LDTT")
    assert st == 400 and err["error"]["field"] == "award", err


def test_scope_read_whole_equals_one_by_one(unitsrv, tmp_path, monkeypatch):
    """A scoped request that asks about many subjects reads its subtree's
    codes at once past a threshold (h-scope.c: 4,096 one by one, then
    the whole subtree in one query; a commander of 110,000 at a million
    people waited 17 s) and answers exactly as one by one: a second server
    on the same database switching after the first subject gives every
    scoped report and list the same."""
    st, _, body = unitsrv.login("admin").post("/api/v1/records", [
        {"subject": p, "metric": "scope_out", "date": "2025-02-0%d" % d,
         "value": d} for p in ("P1", "P2", "P3", "P4", "P5", "A1", "A3")
        for d in (1, 2)])
    assert st == 201, body
    parent, home = tree()
    monkeypatch.setenv("THIDUA_TEST_SCOPE_BULK_AFTER", "1")
    bulk = Server(unitsrv.db, str(tmp_path))
    monkeypatch.delenv("THIDUA_TEST_SCOPE_BULK_AFTER")
    try:
        for login in ("clerk", "cmd", "viewer"):
            one, whole = unitsrv.login(login), bulk.login(login)
            for q in ("innovations?limit=1000", "reports/innovations?by=unit",
                      "reports/innovations?by=kind",
                      "exemplars/discover?year=2025",
                      "eligibility?year=2025", "eligibility?year=2024",
                      "awards?limit=1000", "ratings?limit=1000",
                      "people?limit=1000", "innovations?format=csv",
                      "records?limit=1000", "records?format=csv"):
                a = one.request("GET", "/api/v1/" + q, decode=False)
                b = whole.request("GET", "/api/v1/" + q, decode=False)
                assert a[0] == 200 and a[0] == b[0] and a[2] == b[2], (
                    login, q, a[2][:300], b[2][:300])
            # and right: the records of the subtree's subjects, only those
            mine = subtree("A1", parent)
            got = {x["subject"] for x in whole.get(
                "/api/v1/records?limit=1000")[2]["items"]}
            want = {x for x in ("P1", "P2", "P3", "P4", "P5", "A1", "A3")
                    if inside(x, mine, home)}
            assert got == want and "P2" not in got, (login, got, want)
    finally:
        assert bulk.stop() == 0, bulk.text()[-2000:]
