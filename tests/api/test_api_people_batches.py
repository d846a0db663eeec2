"""People imported through the API in batches big enough for PostgreSQL's
staged path (32 rows or more: COPY into a temporary table, set-based
writes; store-import.c), one after another on the server's long-lived
connection: each batch written whole, every row audited, a batch as
stored writing no row, and a commander's batch that would move a person
out of the commander's subtree refused whole."""
import sqlite3
import subprocess


def batch(first, n, unit, moved=""):
    head = "code,name,unit,category,joined,left,moved,sex\n"
    return (head + "".join(
        f"B{i:03d},Người {i},{unit(i)},employee,2020-0{1 + i % 9}-01,,{moved},\n"
        for i in range(first, first + n))).encode()


def people(c):
    st, _, body = c.get("/api/v1/people?limit=10000")
    assert st == 200
    return {p["code"]: p for p in body["items"]}


def audited(c):
    st, _, body = c.get("/api/v1/audit?limit=10000")
    assert st == 200
    return sum(1 for x in body["items"] if x["kind"] == "people")


def stays(srv, code):
    sql = ("SELECT u.code, pu.from_date FROM person_units pu JOIN subjects s "
           "ON s.id = pu.person_id JOIN subjects u ON u.id = pu.unit_id "
           f"WHERE s.code = '{code}' ORDER BY pu.from_date")
    if srv.backend == "pg":
        out = subprocess.run(["psql", "-At", "-F", ",", srv.db, "-c", sql],
                             capture_output=True, text=True, check=True).stdout
        return [tuple(x.split(",")) for x in out.split()]
    con = sqlite3.connect(srv.db)
    try:
        return list(con.execute(sql))
    finally:
        con.close()


def test_batches_one_after_another(anysrv):
    c = anysrv.login("admin")
    post = lambda body: c.post("/api/v1/people", raw=body, ctype="text/csv")
    st, _, body = post(batch(0, 40, lambda i: "A1" if i % 2 else "A2"))
    assert st == 201 and body["written"] == 40, body
    n = audited(c)
    # the same 40 with ten of them moved to A2 on a day, then again as is
    moved = batch(0, 40, lambda i: "A2", moved="2024-09-01")
    st, _, body = post(moved)
    assert st == 201 and body["written"] == 40, body
    seen = people(c)
    assert all(seen[f"B{i:03d}"]["unit"] == "A2" for i in range(40))
    assert stays(anysrv, "B001") == [("A1", "2020-02-01"), ("A2", "2024-09-01")]
    assert stays(anysrv, "B002") == [("A2", "2020-03-01")]
    assert audited(c) == n + 40
    st, _, body = post(moved)
    assert st == 201 and body["written"] == 40, body
    assert people(c) == seen and stays(anysrv, "B001")[-1] == ("A2", "2024-09-01")
    # 40 more, the server's connection staging again after two commits
    st, _, body = post(batch(40, 40, lambda i: "A1T"))
    assert st == 201 and body["written"] == 40, body
    assert people(c)["B079"]["unit"] == "A1T" and len(people(c)) == len(seen) + 40


def test_a_commanders_batch_moving_someone_out_is_refused_whole(anysrv):
    admin = anysrv.login("admin")
    st, _, _ = admin.post("/api/v1/people", raw=batch(0, 40, lambda i: "A1T"),
                          ctype="text/csv")
    assert st == 201
    before = people(admin), stays(anysrv, "B005")
    cmd = anysrv.login("cmd")      # commander of A1 (A1T within it)
    st, _, body = cmd.post("/api/v1/people", raw=batch(
        0, 40, lambda i: "A2" if i == 5 else "A1", moved="2024-09-01"),
        ctype="text/csv")
    assert st == 403, body
    assert (people(admin), stays(anysrv, "B005")) == before
    # within the subtree the same batch is written
    st, _, body = cmd.post("/api/v1/people", raw=batch(
        0, 40, lambda i: "A1", moved="2024-09-01"), ctype="text/csv")
    assert st == 201 and body["written"] == 40, body
    assert stays(anysrv, "B005") == [("A1T", "2020-06-01"), ("A1", "2024-09-01")]
