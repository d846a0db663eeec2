"""Issue 22 (fast where users wait): a scoped request (a commander's, a
clerk's) that reads its whole subtree at once (its subject ids for
eligibility, its codes past the one-by-one limit for lists and reports)
reads it once per server while the eligibility tables' stamp holds
(h-scope.c): at a million people every request of a commander of 110,000
read it again, 0.15-0.2 s each. A person added to the subtree or moved out
of it is in, or out of, the next answer. The limit is set to 1 here, so
that every list reads the subtree whole."""
import pytest

from api_support import make_server, snapshot_counts, sql


@pytest.fixture(params=["sqlite", "pg"])
def srv(request, tmp_path, monkeypatch):
    monkeypatch.setenv("THIDUA_TEST_SCOPE_BULK_AFTER", "1")
    s = make_server(request.param, tmp_path)
    yield s
    assert s.stop() == 0, s.text()[-2000:]


def people_of(c):
    st, _, doc = c.get("/api/v1/people?limit=1000")
    assert st == 200, doc
    return {p["code"] for p in doc["items"]}


def eligible_subjects(c):
    st, _, doc = c.get("/api/v1/eligibility?year=2025")
    assert st == 200, doc
    return {r["subject"] for r in doc["results"]}


def test_kept_subtrees_follow_every_write(srv):
    s = srv
    admin, clerk = s.login("admin"), s.login("clerk")     # clerk: A1

    def counts():
        return snapshot_counts(admin, "scope")

    assert people_of(clerk) == {"P1", "P3"}
    subjects = eligible_subjects(clerk)
    assert {"P1", "P3"} <= subjects and "P2" not in subjects, subjects
    c0 = counts()
    assert people_of(clerk) == {"P1", "P3"}                # kept
    assert eligible_subjects(clerk) == subjects            # kept
    c1 = counts()
    assert c1 == (c0[0] + 2, c0[1]), (c0, c1)
    # a person joins A1's team: in the next list and report
    st, _, body = admin.post("/api/v1/people", {
        "code": "P9", "name": "Ngô Thị Chín", "unit": "A1T",
        "category": "employee", "joined": "2020-01-01"})
    assert st in (200, 201), body
    assert people_of(clerk) == {"P1", "P3", "P9"}
    assert "P9" in eligible_subjects(clerk)
    # her rating: a row placed by its subject's code, found in the codes
    # read again (a person's row is placed by its unit's)
    # (and P2's outside, so that the list asks more than one code: the
    # subtree read whole)
    st, _, body = admin.post("/api/v1/ratings", [
        {"year": 2025, "subject": p, "rating": "HTTNV"} for p in ("P9", "P2")])
    assert st == 201, body
    st, _, doc = clerk.get("/api/v1/ratings?limit=1000")
    got = {r["subject"] for r in doc["items"]}
    assert st == 200 and "P9" in got and "P2" not in got, doc
    c2 = counts()
    assert c2 == (c1[0], c1[1] + 3), (c1, c2)
    # P1 moves to A2: out of A1's next list
    st, _, body = admin.post("/api/v1/people", {
        "code": "P1", "name": "Nguyễn Văn An", "unit": "A2",
        "category": "defence_worker", "joined": "2015-03-01"})
    assert st in (200, 201), body
    assert people_of(clerk) == {"P3", "P9"}


@pytest.mark.parametrize("backend", ["sqlite", "pg"])
def test_kept_subtrees_see_another_programs_writes(backend, tmp_path,
                                                    monkeypatch):
    """A person moved into the subtree by another program (the sqlite3
    shell, psql), which thidua's generations do not see: on SQLite
    subject_log (migration 0016) does, and the subtrees are kept under its
    last row; on PostgreSQL migration 0022's triggers replace the
    generations."""
    monkeypatch.setenv("THIDUA_TEST_SCOPE_BULK_AFTER", "1")
    s = make_server(backend, tmp_path)
    try:
        admin, clerk = s.login("admin"), s.login("clerk")
        st, _, body = admin.post("/api/v1/ratings", [
            {"year": 2025, "subject": p, "rating": "HTTNV"}
            for p in ("P1", "P2", "P3")])
        assert st == 201, body

        def rated():
            st, _, doc = clerk.get("/api/v1/ratings?limit=1000")
            assert st == 200, doc
            return {r["subject"] for r in doc["items"]}

        assert rated() == {"P1", "P3"}
        assert rated() == {"P1", "P3"}                 # kept
        sql(s.db, "UPDATE people SET unit_id = (SELECT id FROM subjects "
            "WHERE code = 'A1') WHERE id = (SELECT id FROM subjects WHERE "
            "code = 'P2')")
        assert rated() == {"P1", "P2", "P3"}
    finally:
        assert s.stop() == 0, s.text()[-2000:]
