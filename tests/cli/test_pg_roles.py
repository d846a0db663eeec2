"""Two PostgreSQL roles (docs/postgresql.md): an owner role that owns the
schema and runs `thidua init`, and a serving role given its rights with
`init --grant ROLE`, which runs the everyday commands and `thidua serve`
but cannot rewrite the ledger, the decisions or the audit trail: no
UPDATE, DELETE or TRUNCATE, and not being the owner, no ALTER TABLE …
DISABLE TRIGGER or DROP TRIGGER. PostgreSQL only (SQLite has no roles).

Each test makes its own schema, owned by a fresh NOSUPERUSER owner role,
and a fresh LOGIN serving role (the test cluster trusts 127.0.0.1)."""
import importlib.util
import json
import os
import subprocess
import urllib.parse
import uuid

import pytest

from testbed import PG, run

_here = os.path.dirname(os.path.abspath(__file__))


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# The API tests' server by path (tests/api is not on sys.path when
# tests/cli runs alone).
_api = _load("api_support", os.path.join(_here, "..", "api", "api_support.py"))

RULES = os.path.join(_here, "data", "proposal-rules.yaml")
UNITS = """code,name,parent,kind
Z121,Nhà máy Z121,,enterprise
A4,Phân xưởng A4,Z121,workshop
"""
PEOPLE = """code,name,unit,category,joined
P1,Nguyễn Thị Ánh Tuyết,A4,employee,2015-03-01
P2,Trần Văn Đức,A4,employee,2016-03-01
"""
RATINGS = """year,subject,rating
2025,P1,HTXSNV
2025,P2,HTTNV
"""


def url_as(role, schema):
    """The test cluster's URL, connecting as ROLE with SCHEMA first."""
    u = urllib.parse.urlsplit(PG)
    host = u.netloc.rsplit("@", 1)[-1]
    q = "options=-csearch_path%3D" + schema
    return urllib.parse.urlunsplit((u.scheme, f"{role}@{host}", u.path, q, ""))


def psql(url, sql):
    return subprocess.run(["psql", "-q", "-X", "-tA", "-v", "ON_ERROR_STOP=1", url,
                           "-c", sql], capture_output=True, text=True,
                          timeout=60)


class Roles:
    def __init__(self):
        h = uuid.uuid4().hex[:10]
        self.owner, self.app, self.schema = "o" + h, "a" + h, "s" + h
        r = psql(PG, f"CREATE ROLE {self.owner} LOGIN NOSUPERUSER; "
                 f"CREATE ROLE {self.app} LOGIN NOSUPERUSER; "
                 f"CREATE SCHEMA {self.schema} AUTHORIZATION {self.owner}")
        assert r.returncode == 0, r.stderr
        self.own_url = url_as(self.owner, self.schema)
        self.app_url = url_as(self.app, self.schema)

    def drop(self):
        psql(PG, f"DROP SCHEMA {self.schema} CASCADE; "
             f"DROP OWNED BY {self.app}; DROP ROLE {self.app}; "
             f"DROP ROLE {self.owner}")


@pytest.fixture
def roles():
    if not PG:
        pytest.fail("THIDUA_TEST_PG is not set (run the tests with make test)")
    r = Roles()
    yield r
    r.drop()


@pytest.fixture
def granted(roles, tmp_path):
    """Initialised by the owner with the proposal rules, the app role
    granted, and a small organisation imported by the app role."""
    r = run("init", "--rules", RULES, "--grant", roles.app, db=roles.own_url)
    assert r.code == 0, r
    assert roles.app in r.err
    for kind, text in (("units", UNITS), ("people", PEOPLE),
                       ("ratings", RATINGS)):
        f = tmp_path / f"{kind}.csv"
        f.write_text(text, encoding="utf-8")
        r = run("import", kind, f, db=roles.app_url)
        assert r.code == 0, r
    return roles


def j(r):
    assert r.code == 0, r
    return json.loads(r.out)


def decide(db, number="12/QĐ-Z121"):
    """propose → submit → ballot → review → decide, as the role of DB."""
    pid = j(run("--format", "json", "propose", "--year", "2025", "--award",
                "LDTT", db=db))["proposal"]
    assert j(run("--format", "json", "proposal", "submit", pid,
                 db=db))["state"] == "submitted"
    b = j(run("--format", "json", "ballot", pid, "--members", "10", "--yes",
              "9", "--present", "9", db=db))
    assert all(x["passed"] for x in b["ballots"])
    assert j(run("--format", "json", "proposal", "review", pid,
                 db=db))["state"] == "reviewed"
    dec = j(run("--format", "json", "decide", pid, "--number", number,
                "--date", "2025-12-20", "--signer", "Đại tá Phạm Văn Bình",
                db=db))
    return dec


def test_everyday_commands_as_the_serving_role(granted, tmp_path):
    """The award path, a revocation, rules load and a user, all as the
    serving role; its `init` on a current schema changes nothing, and it
    may not grant."""
    app = granted.app_url
    dec = decide(app)
    assert [a["subject"] for a in dec["awarded"]] == ["P1", "P2"]
    assert run("ledger", "verify", db=app).code == 0
    r = j(run("--format", "json", "ledger", "revoke", "1", "--reason",
              "Kê khai không trung thực", db=app))
    assert r["kind"] == "revoke" and r["ref"] == 1
    r = run("--lang", "en", "ledger", "verify", db=app)
    assert r.code == 0 and "3 entries" in r.out, r
    r = run("rules", "load", RULES, db=app)
    assert r.code == 0, r
    r = run("user", "add", "boss", "--role", "admin", db=app,
            input="password-boss\n")
    assert r.code == 0, r
    before = psql(app, "SELECT count(*) FROM schema_migrations").stdout
    r = run("--lang", "en", "init", db=app)
    assert r.code == 0 and "up to date" in r.err, r
    assert psql(app, "SELECT count(*) FROM schema_migrations").stdout == before
    r = run("--lang", "en", "init", "--grant", granted.app, db=app)
    assert r.code == 1 and "owning the schema" in r.err, r


def refused(url, sql, why):
    r = psql(url, sql)
    assert r.returncode != 0 and why in r.stderr, (sql, r.stdout, r.stderr)


def test_serving_role_cannot_rewrite_history(granted):
    """Every way of changing ledger, decisions or audit fails for the
    serving role on the grant itself (permission denied, must be owner),
    not on a trigger; the owner may switch the trigger off, so the test
    tells the two roles apart; ordinary writes succeed."""
    app, own = granted.app_url, granted.own_url
    decide(app)
    assert psql(app, "SELECT count(*) FROM audit").stdout.split() != ["0"]
    refused(app, "ALTER TABLE ledger DISABLE TRIGGER ALL", "must be owner")
    refused(app, "ALTER TABLE ledger DISABLE TRIGGER USER", "must be owner")
    refused(app, "DROP TRIGGER ledger_no_update ON ledger", "must be owner")
    refused(app, "DROP TABLE ledger", "must be owner")
    refused(app, "DELETE FROM ledger", "permission denied")
    refused(app, "UPDATE ledger SET amount = 1 WHERE seq = 2",
            "permission denied")
    refused(app, "TRUNCATE ledger", "permission denied")
    refused(app, "CREATE TRIGGER t BEFORE INSERT ON ledger FOR EACH ROW "
            "EXECUTE FUNCTION ledger_append_only()", "permission denied")
    refused(app, "DELETE FROM decisions", "permission denied")
    refused(app, "UPDATE decisions SET signer = 'X'", "permission denied")
    refused(app, "DELETE FROM audit", "permission denied")
    refused(app, "UPDATE audit SET actor = 'X'", "permission denied")
    refused(app, "TRUNCATE audit", "permission denied")
    refused(app, "DELETE FROM schema_migrations", "permission denied")
    refused(app, "CREATE TABLE mine (x int)", "permission denied")
    # Ordinary writes, and appending, work.
    r = psql(app, "UPDATE units SET name = name WHERE kind = 'workshop'; "
             "INSERT INTO audit (at, actor, address, action, kind) "
             "VALUES (0, 'test', '-', 'test', 'test')")
    assert r.returncode == 0, r.stderr
    # The owner can do what the serving role cannot (rolled back).
    r = psql(own, "BEGIN; ALTER TABLE ledger DISABLE TRIGGER USER; "
             "UPDATE ledger SET amount = 1 WHERE seq = 2; ROLLBACK")
    assert r.returncode == 0, r.stderr
    assert run("ledger", "verify", db=app).code == 0


def test_grants_cover_new_tables_and_are_reapplied(granted):
    """A table a later migration adds is not the serving role's until the
    owner's next `init`, which grants again every role granted before;
    --revoke takes everything back and the role is then forgotten."""
    app, own = granted.app_url, granted.own_url
    assert psql(own, "CREATE TABLE later (x int)").returncode == 0
    refused(app, "INSERT INTO later VALUES (1)", "permission denied")
    r = run("--lang", "en", "init", db=own)
    assert r.code == 0 and f"granted again to the serving role {granted.app}" \
        in r.err, r
    r = psql(app, "INSERT INTO later VALUES (1); UPDATE later SET x = 2; "
             "DELETE FROM later")
    assert r.returncode == 0, r.stderr
    refused(app, "DELETE FROM ledger", "permission denied")
    # Running the grant twice is the same as once.
    assert run("init", "--grant", granted.app, db=own).code == 0
    refused(app, "DELETE FROM audit", "permission denied")
    r = run("init", "--revoke", granted.app, db=own)
    assert r.code == 0, r
    assert run("export", "units", db=app).code != 0
    r = run("--lang", "en", "init", db=own)
    assert r.code == 0 and granted.app not in r.err, r


def test_refused_grants(roles, tmp_path):
    """A missing role, a superuser, the owner itself, a role that could
    still delete from the ledger through PUBLIC, and SQLite."""
    own = roles.own_url
    assert run("init", db=own).code == 0
    r = run("--lang", "en", "init", "--grant", "nobody_" + roles.app, db=own)
    assert r.code == 1 and "no such PostgreSQL role" in r.err, r
    su = urllib.parse.urlsplit(PG).username
    r = run("--lang", "en", "init", "--grant", su, db=own)
    assert r.code == 1 and "superuser" in r.err, r
    r = run("--lang", "en", "init", "--grant", roles.owner, db=own)
    assert r.code == 1 and "owns the tables" in r.err, r
    assert psql(own, "GRANT DELETE ON ledger TO PUBLIC").returncode == 0
    r = run("--lang", "en", "init", "--grant", roles.app, db=own)
    assert r.code == 1 and "ledger" in r.err, r
    # Refused whole: the role got nothing.
    refused(roles.app_url, f"SELECT 1 FROM {roles.schema}.subjects",
            "permission denied")
    r = run("--lang", "en", "init", "--grant", roles.app,
            db=str(tmp_path / "x.db"))
    assert r.code == 2 and "SQLite has no roles" in r.err, r


def test_schema_behind_or_missing(roles):
    """The serving role never tries DDL: on an empty schema or one older
    than the binary it is told to run init as the owner."""
    app, own = roles.app_url, roles.own_url
    assert psql(PG, f"GRANT USAGE ON SCHEMA {roles.schema} TO {roles.app}"
                ).returncode == 0
    r = run("--lang", "en", "init", db=app)
    assert r.code == 1 and "run: thidua init with the owner" in r.err, r
    assert psql(own, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                "current_schema()").stdout.split() == ["0"]
    assert run("init", "--grant", roles.app, db=own).code == 0
    assert run("export", "units", db=app).code == 0
    # Pretend the binary is newer than the schema.
    assert psql(own, "DELETE FROM schema_migrations WHERE version = "
                "(SELECT max(version) FROM schema_migrations)").returncode == 0
    for args in (("export", "units"), ("init",), ("serve", "--listen",
                                                  "127.0.0.1:0")):
        r = run("--lang", "en", *args, db=app)
        assert r.code == 1, (args, r)
        assert "does not own the schema" in r.err and "owner" in r.err, r
    # The owner may still use it (and would upgrade it).
    assert run("export", "units", db=own).code == 0


def test_serve_as_the_serving_role(granted, tmp_path):
    """`thidua serve` runs as the serving role: a login and a write, which
    also appends to the audit trail."""
    app = granted.app_url
    r = run("user", "add", "clerk", "--role", "admin", db=app,
            input="password-clerk\n")
    assert r.code == 0, r
    n0 = int(psql(app, "SELECT count(*) FROM audit").stdout.split()[0])
    s = _api.Server(app, str(tmp_path))
    try:
        c = s.login("clerk")
        st, _, body = c.post("/api/v1/ratings",
                             {"year": 2024, "subject": "P1", "rating": "HTTNV"})
        assert st == 201, body
    finally:
        assert s.stop() == 0, s.text()[-2000:]
    assert int(psql(app, "SELECT count(*) FROM audit").stdout.split()[0]) > n0


def test_first_load_of_many_people_as_the_serving_role(roles, tmp_path):
    """A first load of 20,000 people would drop and make again the keys of
    people and person_units (store-import.c, people_bare_begin); the
    serving role may not alter them, so its load keeps them and checks
    the rows one by one, written all the same."""
    r = run("init", "--grant", roles.app, db=roles.own_url)
    assert r.code == 0, r
    f = tmp_path / "units.csv"
    f.write_text(UNITS, encoding="utf-8")
    assert run("import", "units", f, db=roles.app_url).code == 0
    oids = ("SELECT string_agg(oid::text, ',' ORDER BY oid) FROM pg_constraint "
            "WHERE conrelid IN ('people'::regclass, 'person_units'::regclass)")
    before = psql(roles.app_url, oids).stdout
    f = tmp_path / "people.csv"
    f.write_text("code,name,unit,category,joined\n" + "".join(
        f"M{i:05d},Người {i},A4,employee,2020-01-01\n" for i in range(20000)),
        encoding="utf-8")
    r = run("import", "people", f, db=roles.app_url)
    assert r.code == 0, r
    assert psql(roles.app_url, "SELECT count(*) FROM people").stdout.strip() == "20000"
    assert psql(roles.app_url, oids).stdout == before
