"""Issue 18, point 3: a viewer of one workshop gets no person's record
outside their subtree from any endpoint. On the Z121 demo, every GET route
of the OpenAPI document is walked as a viewer of A1, with and without
`year`, path parameters filled with codes of every kind (the viewer's own,
another workshop's, people on both sides); no code of a person outside A1's
subtree may appear anywhere in any answer."""
import json
import re
import sqlite3
from urllib.parse import quote

from api_support import Server, cli, make_server, pg_target, sql

SUBTREE = """WITH RECURSIVE t(id) AS (
  SELECT u.id FROM units u JOIN subjects s ON s.id = u.id WHERE s.code = 'A1'
  UNION SELECT u.id FROM units u JOIN t ON u.parent_id = t.id)"""


def people(db, inside):
    """Codes of people ever (or never) placed in A1's subtree."""
    q = SUBTREE + """
  SELECT s.code FROM people p JOIN subjects s ON s.id = p.id
  WHERE """ + ("" if inside else "NOT ") + """(p.unit_id IN (SELECT id FROM t)
    OR EXISTS (SELECT 1 FROM person_units pu WHERE pu.person_id = p.id
    AND pu.unit_id IN (SELECT id FROM t)))"""
    return {r[0] for r in sql(db, q)}


KINDS = ["units", "people", "ratings", "awards", "innovations", "discipline",
         "incidents", "records", "service", "targets", "pledges", "tasks",
         "task-links", "progress", "indicators", "innovation-details",
         "indicator-targets"]


def ids(db, q):
    try:
        return [str(r[0]) for r in sql(db, q)]
    except (sqlite3.Error, RuntimeError):
        return []


def fills(db):
    """Values for each path parameter (by the path's first segment) and
    for each query parameter (by name)."""
    inside = sorted(people(db, True))[:2]
    outside = sorted(people(db, False))[:2]
    units = ["A1", "A1-T1", "A2", "A2-T1", "Z121"]
    subjects = units + inside + outside
    movements = ids(db, "SELECT code FROM movements WHERE subjects = 'person'"
                    " ORDER BY code DESC LIMIT 2") + ids(
        db, "SELECT code FROM movements WHERE subjects = 'unit' LIMIT 1")
    tasks = ids(db, "SELECT s.code FROM tasks t JOIN subjects s ON s.id = t.id"
                " LIMIT 3") or ids(db, "SELECT code FROM tasks LIMIT 3")
    path = {"units": units, "movements": movements,
            "exemplars": ids(db, "SELECT id FROM exemplars LIMIT 4"),
            "proposals": ids(db, "SELECT id FROM proposals LIMIT 4"),
            "": KINDS}
    query = {"subject": subjects, "unit": units, "q": ["P0", "Nguyễn", "A2"],
             "award": ["LDTT", "CSTD", "BK_TTCP"], "task": tasks,
             "movement": movements, "by": ["unit", "person", "year"],
             "verdict": ["eligible", "ineligible", "held"],
             "type": ["person", "unit", "movement"],
             "limit": ["100"], "from": ["2014"], "to": ["2019"]}
    return path, query


def urls(path, params, fill_path, fill_query):
    """Every URL to try for one GET route."""
    if "{" in path:
        seg = path.split("/")[3] if path.count("/") > 3 and \
            not path.split("/")[3].startswith("{") else ""
        bases = [re.sub(r"\{[^}]+\}", v, path, count=1)
                 for v in fill_path.get(seg, [])]
    else:
        bases = [path]
    names = [p["name"] for p in params if p["in"] == "query"]
    out = []
    for b in bases:
        out += [b, b + "?year=2018", b + "?year=2019"]
        for n in names:
            for v in fill_query.get(n, []):
                out.append(f"{b}?{n}={quote(v)}&year=2018")
                out.append(f"{b}?{n}={quote(v)}")
    return out


def test_viewer_of_a1_sees_no_foreign_person(backend, tmp_path):
    db = str(tmp_path / "demo.db") if backend == "sqlite" else pg_target()
    cli(db, "init")
    cli(db, "demo")
    cli(db, "user", "add", "viewer", "--role", "viewer", "--unit", "A1",
        input="password-viewer\n")
    foreign = people(db, False)
    inside = people(db, True)
    assert len(foreign) > 100 and len(inside) > 20
    fill_path, fill_query = fills(db)
    s = Server(db, str(tmp_path))
    try:
        c = s.login("viewer")
        st, _, spec = c.get("/api/v1/openapi.json")
        assert st == 200
        pat = re.compile(r"\b(" + "|".join(sorted(map(re.escape, foreign)))
                         + r")\b")
        ipat = re.compile(r"\b(" + "|".join(sorted(map(re.escape, inside)))
                          + r")\b")
        leaks, seen, ok, routes_inside = [], 0, 0, set()
        for path, ops in sorted(spec["paths"].items()):
            if "get" not in ops:
                continue
            params = ops["get"].get("parameters", [])
            for u in urls(path, params, fill_path, fill_query):
                st, _, body = c.get(u)
                assert st < 500, (u, st, body)
                seen += 1
                ok += st == 200
                text = body.decode("utf-8", "replace") if isinstance(
                    body, bytes) else json.dumps(body, ensure_ascii=False)
                if st == 200 and ipat.search(text):
                    routes_inside.add(path)
                # a code the caller sent may be echoed in an error
                for m in pat.finditer(text):
                    if m.group(1) not in u:
                        leaks.append((u, st, m.group(1), text[
                            max(0, m.start() - 120):m.end() + 60]))
                        break
        assert seen > 300 and ok > 150, (seen, ok)
        # the walk does reach people's records: the viewer's own people
        for r in ("/api/v1/exemplars/discover", "/api/v1/reports/innovations",
                  "/api/v1/eligibility", "/api/v1/{kind}"):
            assert r in routes_inside, sorted(routes_inside)
        # what the enterprise announces stays: a movement's ranking of units
        mv = fill_path["movements"][-1]
        st, _, doc = c.get(f"/api/v1/movements/{mv}/scores")
        assert st == 200 and {"A1", "A2", "A9"} <= {
            x["subject"] for x in doc["results"]}, doc
        st, _, doc = c.get("/api/v1/exemplars")
        assert st == 200 and doc["exemplars"]
        assert not leaks, "\n".join(map(repr, leaks[:40])) + \
            f"\n({len(leaks)} leaks)"
    finally:
        assert s.stop() == 0, s.text()[-2000:]


def test_dry_run_says_nothing_outside(backend, tmp_path):
    """A clerk of A1: a dry run naming P2 (of A2) is refused exactly like one
    naming a code that does not exist; P3 (inside) passes."""
    s = make_server(backend, tmp_path)
    try:
        c = s.login("clerk")

        def dry(subject):
            st, _, doc = c.post("/api/v1/ratings?dry_run=1", [
                {"year": 2024, "subject": subject, "rating": "HTXSNV"}])
            text = json.dumps(doc, ensure_ascii=False).replace(subject, "X")
            return st, text

        assert dry("P3")[0] == 200
        st, outside = dry("P2")
        assert st == 400 and (st, outside) == dry("NOBODY"), outside
        st, _, doc = c.post("/api/v1/innovations?dry_run=1", [
            {"code": "SKX", "kind": "initiative", "title": "t", "year": 2024,
             "level": "base", "authors": "P3;P2"}])
        assert st == 400 and "P2" in json.dumps(doc), doc
        # the administrator's dry run still knows P2
        a = s.login("admin")
        st, _, doc = a.post("/api/v1/ratings?dry_run=1", [
            {"year": 2024, "subject": "P2", "rating": "HTXSNV"}])
        assert st == 200, doc
    finally:
        assert s.stop() == 0, s.text()[-2000:]
