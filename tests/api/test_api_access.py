"""The permission matrix: each role × its own subtree / another subtree ×
read / write, decided by the dispatcher from the route table."""
import pytest

# role: (reads own, reads other, writes own, writes other, audit)
MATRIX = {
    "admin":   (True, True, True, True, True),
    "council": (True, True, False, False, True),
    "cmd":     (True, False, True, False, False),
    "clerk":   (True, False, True, False, False),
    "viewer":  (True, False, False, False, False),
}


@pytest.fixture(scope="module")
def clients(srv):
    return {login: srv.login(login) for login in MATRIX}


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_read_own_and_other_subtree(clients, login):
    own, other = MATRIX[login][0], MATRIX[login][1]
    c = clients[login]
    assert c.get("/api/v1/units/A1")[0] == (200 if own else 403)
    assert c.get("/api/v1/units/A1T/summary")[0] == (200 if own else 403)
    st, _, body = c.get("/api/v1/units/A2")
    assert st == (200 if other else 403), body
    if st == 403:
        assert body["error"]["code"] == "forbidden"
    st, _, _ = c.get("/api/v1/people?unit=A2")
    assert st == (200 if other else 403)


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_lists_are_filtered_to_the_subtree(clients, login):
    st, _, body = clients[login].get("/api/v1/people")
    assert st == 200
    codes = sorted(p["code"] for p in body["items"])
    assert codes == (["P1", "P2", "P3"] if MATRIX[login][1] else ["P1", "P3"])
    assert body["total"] == len(codes)


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_write_own_and_other_subtree(clients, login):
    c = clients[login]
    own_ok, other_ok = MATRIX[login][2], MATRIX[login][3]
    st, _, body = c.post("/api/v1/ratings",
                         {"year": 2022, "subject": "P3", "rating": "HTTNV"})
    assert st == (201 if own_ok else 403), body
    st, _, body = c.post("/api/v1/ratings",
                         [{"year": 2022, "subject": "P1", "rating": "HTTNV"},
                          {"year": 2022, "subject": "P2", "rating": "HTNV"}])
    assert st == (201 if other_ok else 403), body
    if st == 403 and own_ok:
        # Refused whole, the field names the row outside the subtree.
        assert body["error"]["field"] == "[1].subject"


def test_refused_batch_writes_nothing(clients):
    c = clients["clerk"]
    before = clients["admin"].get("/api/v1/ratings?year=2021")[2]["total"]
    st, _, _ = c.post("/api/v1/ratings",
                      [{"year": 2021, "subject": "P1", "rating": "HTTNV"},
                       {"year": 2021, "subject": "A2", "rating": "HTTNV"}])
    assert st == 403
    assert clients["admin"].get("/api/v1/ratings?year=2021")[2]["total"] == before


def test_scoped_user_cannot_create_units_outside(clients):
    c = clients["cmd"]
    st, _, body = c.post("/api/v1/units",
                         {"code": "A1X", "name": "Tổ mới", "parent": "A1"})
    assert st == 201, body
    st, _, body = c.post("/api/v1/units",
                         {"code": "A2X", "name": "Tổ lạ", "parent": "A2"})
    assert st == 403
    assert clients["admin"].get("/api/v1/units/A2X")[0] == 404
    # Moving a person out of reach is refused too.
    st, _, _ = c.post("/api/v1/people", {"code": "P1", "name": "Nguyễn Văn An",
                      "unit": "A2", "category": "defence_worker",
                      "joined": "2015-03-01"})
    assert st == 403
    # ... and so is pulling someone else's person (or unit) into reach.
    st, _, body = c.post("/api/v1/people", {"code": "P2", "name": "Trần Thị Bình",
                         "unit": "A1", "category": "employee",
                         "joined": "2016-05-01"})
    assert st == 403 and body["error"]["field"] == "[0].code"
    st, _, body = c.post("/api/v1/units", {"code": "A2", "name": "A2",
                         "parent": "A1"})
    assert st == 403
    st, _, p2 = clients["admin"].get("/api/v1/people?unit=A2")
    assert [p["code"] for p in p2["items"]] == ["P2"]


@pytest.mark.parametrize("login", sorted(MATRIX))
def test_audit_is_for_admin_and_council(clients, login):
    st, _, _ = clients[login].get("/api/v1/audit")
    assert st == (200 if MATRIX[login][4] else 403)


def test_query_scope_on_reports(clients):
    st, _, body = clients["viewer"].get("/api/v1/eligibility?year=2024&subject=P2")
    assert st in (403,), body
    st, _, _ = clients["viewer"].get("/api/v1/reports/growth?from=2020&to=2024&unit=A2")
    assert st == 403
