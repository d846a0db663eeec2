"""GET /api/v1/search, what the web app's pickers ask: units and people by
code or name with case and accents optional, only within the caller's
scope; the metrics movements score; the awards of the rule set in force."""
import urllib.parse

import pytest

from api_support import Server, cli, make_server, snapshot_counts, sql


def search(c, **q):
    st, _, body = c.get("/api/v1/search?" + urllib.parse.urlencode(q))
    assert st == 200, body
    return [(i["type"], i["code"]) for i in body["items"]], body


@pytest.fixture(scope="module")
def admin(srv):
    return srv.login("admin")


@pytest.mark.parametrize("q", ["nguyen van an", "NGUYỄN VĂN AN", "Nguyễn  văn",
                               "an nguyen", "Nguye\u0302\u0303n Va\u0306n An"])
def test_names_are_found_without_accents_or_case(admin, q):
    found, _ = search(admin, q=q)
    assert ("person", "P1") in found


def test_d_with_stroke_and_words_in_any_order(admin):
    assert search(admin, q="cuong le")[0] == [("person", "P3")]
    assert search(admin, q="binh")[0] == [("person", "P2")]
    assert search(admin, q="xyz")[0] == []


def test_exact_code_first_and_type_filter(admin):
    found, body = search(admin, q="a1")
    assert found[0] == ("unit", "A1"), found
    assert ("unit", "A1T") in found
    people, body = search(admin, q="p", type="person")
    assert sorted(c for _, c in people) == ["P1", "P2", "P3"]
    assert {i["unit"] for i in body["items"]} == {"A1", "A2", "A1T"}
    units, _ = search(admin, q="phan xuong", type="unit")
    assert sorted(units) == [("unit", "A1"), ("unit", "A2")]


@pytest.mark.parametrize("login", ["clerk", "cmd", "viewer"])
def test_scoped_roles_find_only_their_subtree(srv, login):
    c = srv.login(login)
    found, _ = search(c, q="")
    assert sorted(found) == [("person", "P1"), ("person", "P3"),
                             ("unit", "A1"), ("unit", "A1T")]
    assert search(c, q="binh")[0] == []
    assert search(c, q="A2")[0] == []
    assert search(c, q="Z")[0] == []


def test_council_sees_everything(srv):
    found, _ = search(srv.login("council"), q="binh")
    assert found == [("person", "P2")]


def test_awards_of_the_rule_set_in_force(admin):
    found, body = search(admin, type="award", q="chien si thi dua co so", year=2024)
    assert found[0] == ("award", "CSTDCS")
    assert body["items"][0]["name"] == "Chiến sĩ thi đua cơ sở"
    every, _ = search(admin, type="award", year=2024, limit=100)
    assert ("award", "LDTT") in every and len(every) > 10


def test_metrics_of_the_movements_criteria(srv, admin):
    yaml = """code: PT-SEARCH
name: {vi: Phong trào thử, en: Test movement}
kind: regular
start: 2024-01-01
end: 2024-12-31
scope: Z
subjects: person
criteria:
  - {code: sl, name: {vi: "Sản lượng hoàn thành", en: Output}, metric: san_luong, weight: 1, scoring: {ratio: {cap: 1}}}
  - {code: sc, name: {vi: "Sự cố", en: Incidents}, metric: "@serious_incidents", veto: {max: 0, rating_cap: HTNV}}
"""
    st, _, body = admin.post("/api/v1/movements", {"yaml": yaml})
    assert st in (200, 201), body
    found, body = search(admin, type="metric", q="san luong")
    assert found == [("metric", "san_luong")]
    assert body["items"][0]["movement"] == "PT-SEARCH"
    assert body["items"][0]["name"] == "Sản lượng hoàn thành"
    # built-in metrics (@serious) are not entered as records
    assert all(not c.startswith("@") for _, c in search(admin, type="metric")[0])
    assert search(admin, type="metric", movement="OTHER")[0] == []


def test_bad_type_names_the_field(admin):
    st, _, body = admin.get("/api/v1/search?type=tasks")
    assert st == 400 and body["error"]["field"] == "type"
    st, _, body = admin.get("/api/v1/search?limit=1000")
    assert st == 400 and body["error"]["field"] == "limit"


def test_login_needed(srv):
    assert srv.client().get("/api/v1/search?q=a")[0] == 401


def test_codes_name_subjects_and_their_units(admin):
    st, _, body = admin.get("/api/v1/search?codes=P3,NOPE,A1T,Z")
    assert st == 200, body
    assert [(i["type"], i["code"]) for i in body["items"]] == [
        ("person", "P3"), ("unit", "A1T"), ("unit", "Z")]
    p3, a1t, z = body["items"]
    assert p3["name"] == "Lê Văn Cường" and p3["unit"] == "A1T"
    assert p3["unit_name"] == "Tổ A1T" and p3["category"] == "soldier"
    assert a1t["parent"] == "A1" and a1t["kind"] == "team"
    assert z["parent"] is None and z["parent_name"] is None
    assert body["total"] == 3


@pytest.mark.parametrize("login", ["clerk", "viewer"])
def test_codes_only_within_the_scope(srv, login):
    st, _, body = srv.login(login).get("/api/v1/search?codes=P1,P2,A2,A1T,Z")
    assert st == 200, body
    assert [i["code"] for i in body["items"]] == ["P1", "A1T"]


def test_me_names_the_tops_of_the_tree(srv, admin):
    st, _, me = admin.get("/api/v1/me")
    assert st == 200 and [r["code"] for r in me["roots"]] == ["Z"]
    st, _, me = srv.login("clerk").get("/api/v1/me")
    assert st == 200 and [r["code"] for r in me["roots"]] == ["A1"]
    assert me["roots"][0]["name"]


def test_a_person_written_is_found_by_the_next_search(admin):
    """The folded index follows the data: a write replaces it."""
    assert search(admin, q="trinh van moi")[0] == []
    st, _, body = admin.post("/api/v1/people", {
        "code": "Q9", "name": "Trịnh Văn Mới", "unit": "A2",
        "category": "employee", "joined": "2020-01-01"})
    assert st in (200, 201), body
    found, body = search(admin, q="trinh van moi")
    assert found == [("person", "Q9")]
    assert body["items"][0]["unit"] == "A2"


# The index follows writes (src/h-search.c) through subject_log
# (migration 0016 on SQLite, 0024 on PostgreSQL), read again only for the
# subjects written.
# Whatever the path, a search after a write answers what a server that
# never saw the index before answers.

def person(code, name, unit="A2"):
    return {"code": code, "name": name, "unit": unit,
            "category": "employee", "joined": "2020-01-01"}


def fresh(srv, tmp_path, **q):
    """What a server started now (its index built from scratch) answers."""
    other = Server(srv.db, str(tmp_path))
    try:
        return search(other.login("admin"), **q)[1]
    finally:
        assert other.stop() == 0


def test_people_written_through_the_api_are_found_and_never_stale(anysrv):
    c = anysrv.login("admin")
    assert search(c, q="an")[0]		# the index is built
    st, _, body = c.post("/api/v1/people", [person("Q1", "Trịnh Văn Mới"),
                                            person("Q2", "Đỗ Thị Hai", "A1T")])
    assert st == 201, body
    assert search(c, q="trinh van moi")[0] == [("person", "Q1")]
    found, body = search(c, q="do thi", type="person")
    assert found == [("person", "Q2")] and body["items"][0]["unit"] == "A1T"
    # written again: the old name is gone, the new unit is there
    st, _, body = c.post("/api/v1/people", person("Q1", "Trịnh Văn Cũ", "A1"))
    assert st == 201, body
    assert search(c, q="moi")[0] == []
    found, body = search(c, q="trinh")
    assert found == [("person", "Q1")] and body["items"][0]["unit"] == "A1"
    # the clerk (scope A1) finds Q1 and Q2 now, as the unit moved it in
    assert sorted(search(anysrv.login("clerk"), q="q")[0]) == [
        ("person", "Q1"), ("person", "Q2")]


def test_people_written_by_another_process_are_found(anysrv, tmp_path):
    c = anysrv.login("admin")
    assert search(c, q="an")[0]
    f = tmp_path / "people.csv"
    f.write_text("code,name,unit,category,joined\n"
                 "Q3,Phùng Văn Ba,A1,employee,2020-01-01\n", encoding="utf-8")
    cli(anysrv.db, "import", "people", str(f))
    assert search(c, q="phung van ba")[0] == [("person", "Q3")]
    f.write_text("code,name,parent,kind,bloc,military\n"
                 "A3,Phân xưởng Ba,Z,workshop,sx,1\n", encoding="utf-8")
    cli(anysrv.db, "import", "units", str(f))
    assert search(c, q="xuong ba")[0] == [("unit", "A3")]


@pytest.fixture
def sqlitesrv(tmp_path):
    s = make_server("sqlite", tmp_path)
    s.backend = "sqlite"
    yield s
    assert s.stop() == 0, s.text()[-2000:]


def test_a_bare_sql_write_is_seen(anysrv):
    """Not even a write outside thidua (the sqlite3 shell, psql) leaves the
    index stale: the log is kept by triggers, and the index read again
    only for the subjects it names (not built again whole)."""
    c = anysrv.login("admin")
    assert search(c, q="binh")[0] == [("person", "P2")]
    sql(anysrv.db, "UPDATE people SET name = 'Trần Thị Bông' WHERE id = "
        "(SELECT id FROM subjects WHERE code = 'P2')")
    assert search(c, q="binh")[0] == []
    assert search(c, q="bong")[0] == [("person", "P2")]
    sql(anysrv.db, "DELETE FROM person_units WHERE person_id = "
        "(SELECT id FROM subjects WHERE code = 'P2')")
    sql(anysrv.db, "DELETE FROM people WHERE id = "
        "(SELECT id FROM subjects WHERE code = 'P2')")
    assert search(c, q="bong")[0] == []
    assert snapshot_counts(c, "search")[1] == 1     # built once, followed


def test_after_writes_the_order_is_a_fresh_indexs(anysrv, tmp_path):
    """Namesakes and a new name among many (the order of a rank of more
    than 4,096 hits comes from the base's places): the same answer as a
    server that builds its index now."""
    c = anysrv.login("admin")
    f = tmp_path / "many.csv"
    f.write_text("code,name,unit,category,joined\n" + "".join(
        f"M{i:05d},Trần Văn {chr(65 + i % 26)}{i},A2,employee,2020-01-01\n"
        for i in range(4200)), encoding="utf-8")
    cli(anysrv.db, "import", "people", str(f))
    assert search(c, q="tran")[1]["total"] == 4201
    st, _, body = c.post("/api/v1/people", [
        person("Q4", "Nguyễn Văn An"), person("Q5", "Trần Văn A"),
        person("Q6", "Trần Văn B1"), person("M00001", "Trần Văn Z")])
    assert st == 201, body
    for q in ({"q": "tran", "limit": 100}, {"q": "nguyen van an"},
              {"q": "van", "limit": 100, "type": "person"}):
        found, body = search(c, **q)
        assert body == fresh(anysrv, tmp_path, **q), q
    assert ("person", "Q5") in search(c, q="tran", limit=100)[0]


def test_units_written_move_the_scope_with_them(anysrv, tmp_path):
    """A unit added, its person, then the unit moved to another branch:
    the clerk of A1 finds them while they are inside A1, then not."""
    admin, clerk = anysrv.login("admin"), anysrv.login("clerk")
    assert search(clerk, q="")[0]
    st, _, body = admin.post("/api/v1/units", {
        "code": "A1N", "name": "Tổ Mới", "parent": "A1", "kind": "team"})
    assert st == 201, body
    st, _, body = admin.post("/api/v1/people", person("Q7", "Hồ Văn Bảy",
                                                      "A1N"))
    assert st == 201, body
    assert sorted(search(clerk, q="to moi")[0]) == [("unit", "A1N")]
    found, body = search(clerk, q="ho van bay")
    assert found == [("person", "Q7")] and body["items"][0]["unit"] == "A1N"
    st, _, body = admin.post("/api/v1/units", {
        "code": "A1N", "name": "Tổ Mới Chuyển", "parent": "A2",
        "kind": "team"})
    assert st == 201, body
    assert search(clerk, q="to moi")[0] == []
    assert search(clerk, q="ho van bay")[0] == []
    assert search(admin, q="chuyen")[0] == [("unit", "A1N")]
    for q in ({"q": ""}, {"q": "moi"}, {"q": "a", "type": "unit"}):
        assert search(admin, **q)[1] == fresh(anysrv, tmp_path, **q), q


def test_a_long_log_is_cut_to_its_tail(sqlitesrv):
    """subject_log grown past 131,072 rows (bulk writes, the sqlite3
    shell) is cut at the next commit of the store to its last 4,096 rows,
    not emptied: an index a few rows behind goes on following it."""
    c = sqlitesrv.login("admin")
    sql(sqlitesrv.db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT "
        "i + 1 FROM n WHERE i < 140000) INSERT INTO subject_log "
        "(subject_id) SELECT 0 FROM n")
    assert search(c, q="an")[0]		# the index, at the log's end
    last = int(sql(sqlitesrv.db, "SELECT MAX(seq) FROM subject_log")[0][0])
    st, _, body = c.post("/api/v1/people", person("Q8", "Vũ Văn Tám"))
    assert st == 201, body
    n, lo, hi = map(int, sql(sqlitesrv.db, "SELECT COUNT(*), MIN(seq), "
                             "MAX(seq) FROM subject_log")[0])
    assert hi > last and lo <= last and hi - lo + 1 == n and n <= 4096 + 8
    assert search(c, q="vu van tam")[0] == [("person", "Q8")]
