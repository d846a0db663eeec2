"""Logging in and out, cookies, CSRF, API tokens, session expiry and
login throttling against a real `thidua serve`."""
import time

from api_support import cli, make_server


def test_login_sets_strict_httponly_cookie(srv):
    c = srv.client()
    st, h, body = c.post("/api/v1/session",
                         {"login": "clerk", "password": "password-clerk"})
    assert st == 200
    cookie = h["set-cookie"]
    assert cookie.startswith("thidua_session=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert body["user"] == {"login": "clerk", "role": "clerk", "unit": "A1"}
    assert len(body["csrf"]) >= 32
    st, _, me = c.get("/api/v1/me")
    assert st == 200 and me["role"] == "clerk" and me["csrf"] == body["csrf"]


def test_wrong_password_and_unknown_login_are_401(srv):
    c = srv.client()
    for login, pw in (("clerk", "nope-nope"), ("ghost", "whatever1")):
        st, h, body = c.post("/api/v1/session", {"login": login, "password": pw})
        assert st == 401
        assert body["error"]["code"] == "unauthorized"
        assert "set-cookie" not in h


def test_no_login_is_401(srv):
    c = srv.client()
    for path in ("/api/v1/me", "/api/v1/units", "/api/v1/audit"):
        st, _, body = c.get(path)
        assert st == 401, path
        assert body["error"]["code"] == "unauthorized"


def test_cookie_write_needs_csrf_token(srv):
    c = srv.login("admin")
    row = {"year": 2024, "subject": "P1", "rating": "HTTNV"}
    st, _, body = c.post("/api/v1/ratings", row, csrf=False)
    assert st == 403 and body["error"]["code"] == "csrf"
    st, _, body = c.post("/api/v1/ratings", row,
                         headers={"X-CSRF-Token": "x" * 43}, csrf=False)
    assert st == 403 and body["error"]["code"] == "csrf"
    st, _, body = c.post("/api/v1/ratings", row)
    assert st == 201, body
    # A cookie alone cannot write; reading needs no token.
    st, _, _ = c.get("/api/v1/ratings")
    assert st == 200


def test_logout_ends_the_session(srv):
    c = srv.login("viewer")
    old = c.cookie
    st, h, _ = c.delete("/api/v1/session")
    assert st == 200 and "Max-Age=0" in h["set-cookie"]
    c.cookie = old            # replaying the old cookie must not work
    st, _, _ = c.get("/api/v1/me")
    assert st == 401


def test_bearer_token_create_use_revoke(srv):
    p = cli(srv.db, "token", "create", "clerk")
    token = p.stdout.strip()
    assert len(token) == 43
    c = srv.client(token=token)
    st, _, me = c.get("/api/v1/me")
    assert st == 200 and me["login"] == "clerk" and "csrf" not in me
    # Scripts write without CSRF.
    st, _, body = c.post("/api/v1/ratings",
                         {"year": 2023, "subject": "P1", "rating": "HTNV"})
    assert st == 201, body
    cli(srv.db, "token", "revoke", token)
    time.sleep(1.1)           # another process revoked it: within 1 s
    st, _, body = c.get("/api/v1/me")
    assert st == 401 and body["error"]["code"] == "unauthorized"


def test_revoke_by_number_and_bad_tokens(srv):
    p = cli(srv.db, "--format", "json", "token", "create", "viewer")
    import json
    doc = json.loads(p.stdout)
    c = srv.client(token=doc["token"])
    assert c.get("/api/v1/me")[0] == 200
    cli(srv.db, "token", "revoke", str(doc["id"]))
    time.sleep(1.1)
    assert c.get("/api/v1/me")[0] == 401
    assert srv.client(token="not-a-token").get("/api/v1/me")[0] == 401
    st, _, _ = srv.client().get("/api/v1/me",
                                headers={"Authorization": "Basic YTpi"})
    assert st == 401


def test_disabled_account_loses_sessions_and_tokens(srv):
    cli(srv.db, "user", "add", "temp", "--role", "viewer", "--unit", "A2",
        input="password-temp\n")
    c = srv.login("temp")
    token = cli(srv.db, "token", "create", "temp").stdout.strip()
    cli(srv.db, "user", "disable", "temp")
    time.sleep(1.1)
    assert c.get("/api/v1/me")[0] == 401
    assert srv.client(token=token).get("/api/v1/me")[0] == 401
    st, _, _ = srv.client().post("/api/v1/session",
                                 {"login": "temp", "password": "password-temp"})
    assert st == 401


def test_session_idle_and_absolute_expiry(backend, tmp_path):
    s = make_server(backend, tmp_path, "--session-idle", "1",
                    "--session-max", "3")
    try:
        c = s.login("clerk")
        assert c.get("/api/v1/me")[0] == 200
        time.sleep(2.2)
        assert c.get("/api/v1/me")[0] == 401       # idle too long
        c = s.login("clerk")
        for _ in range(4):                         # active, but too old
            time.sleep(0.9)
            c.get("/api/v1/me")
        assert c.get("/api/v1/me")[0] == 401
    finally:
        assert s.stop() == 0


def test_login_throttling_per_account(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        c = s.client()
        for _ in range(5):
            st, _, _ = c.post("/api/v1/session",
                              {"login": "clerk", "password": "wrong-wrong"})
            assert st == 401
        st, h, body = c.post("/api/v1/session",
                             {"login": "clerk", "password": "password-clerk"})
        assert st == 429 and body["error"]["code"] == "throttled"
        assert 1 <= int(h["retry-after"]) <= 300
        # Another account is not locked out by clerk's failures.
        assert c.post("/api/v1/session", {"login": "viewer",
                      "password": "password-viewer"})[0] == 200
    finally:
        assert s.stop() == 0


def test_login_throttling_per_address(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        c = s.client()
        for i in range(20):
            st, _, _ = c.post("/api/v1/session",
                              {"login": f"nobody{i}", "password": "wrong-wrong"})
            assert st == 401
        st, h, _ = c.post("/api/v1/session",
                          {"login": "nobody-else", "password": "wrong-wrong"})
        assert st == 429 and "retry-after" in h
        # The ceiling is for unknown accounts: a real one still logs in
        # from that address (issue 18: behind a proxy all share one).
        assert c.post("/api/v1/session", {"login": "admin",
                      "password": "password-admin"})[0] == 200
    finally:
        assert s.stop() == 0


def test_me_says_what_the_caller_may_do(srv):
    """GET /api/v1/me "may": METHOD PATH of every route the caller's role
    passes, derived from the route table ({kind} spelt out per kind)."""
    may = {}
    for login in ("admin", "council", "cmd", "clerk", "viewer"):
        st, _, me = srv.login(login).get("/api/v1/me")
        assert st == 200 and me["login"] == login, me
        may[login] = set(me["may"])
    assert "GET /api/v1/me" in may["viewer"]
    assert "POST /api/v1/session" not in may["admin"]   # needs no login
    assert "POST /api/v1/awards" in may["admin"]        # the admin's alone
    assert "POST /api/v1/awards" not in may["clerk"]
    assert "POST /api/v1/records" in may["clerk"]
    assert "POST /api/v1/records" not in may["viewer"]
    assert "POST /api/v1/proposals" in may["cmd"]
    assert "POST /api/v1/proposals" not in may["council"]
    assert "POST /api/v1/proposals/{id}/ballots" in may["council"]
    assert "POST /api/v1/proposals/{id}/decision" in may["admin"]
    assert "POST /api/v1/proposals/{id}/decision" not in may["council"]
    assert "GET /api/v1/proposals" not in may["clerk"]
    assert may["viewer"] < may["clerk"] < may["admin"]
    # "locked": the rows only the administrator changes (h-kinds.c's guards)
    for login, want in (("admin", {}), ("clerk", {"ratings": {"source": [
            "council", "movement"]}}), ("viewer", {"ratings": {"source": [
            "council", "movement"]}})):
        assert srv.login(login).get("/api/v1/me")[2]["locked"] == want, login


def test_session_max_alone(backend, tmp_path):
    """--session-max S ends a session S seconds after login however busy
    it is (the idle limit stays the default); a bad value is refused."""
    s = make_server(backend, tmp_path, "--session-max", "2")
    try:
        c = s.login("clerk")
        assert c.get("/api/v1/me")[0] == 200
        time.sleep(1.0)
        assert c.get("/api/v1/me")[0] == 200     # busy and young
        for _ in range(4):                       # busy (the checks may lag
            time.sleep(0.75)                     # a second), but 4 s old
            c.get("/api/v1/me")
        assert c.get("/api/v1/me")[0] == 401
        assert s.login("clerk").get("/api/v1/me")[0] == 200
    finally:
        assert s.stop() == 0
    for bad in ("x", "0", "-5"):
        p = cli(s.db, "serve", "--listen", "127.0.0.1:0", "--session-max", bad,
                check=False)
        assert p.returncode == 2, (bad, p.stderr)


def test_user_passwd(backend, tmp_path):
    """thidua user passwd LOGIN: the new password from stdin logs in, the
    old one no longer does; a short one and an unknown login are refused;
    no password on stdin: one is generated, printed once, and works."""
    s = make_server(backend, tmp_path)
    try:
        c = s.client()
        cli(s.db, "user", "passwd", "viewer", input="viewer-new-pass\n")
        st, _, _ = c.post("/api/v1/session", {"login": "viewer",
                                              "password": "password-viewer"})
        assert st == 401
        assert s.login("viewer", "viewer-new-pass").get("/api/v1/me")[0] == 200
        p = cli(s.db, "user", "passwd", "viewer", input="short\n", check=False)
        assert p.returncode == 1 and "8" in p.stderr, p.stderr
        assert s.login("viewer", "viewer-new-pass").get("/api/v1/me")[0] == 200
        p = cli(s.db, "user", "passwd", "nobody", input="long-enough-1\n",
                check=False)
        assert p.returncode == 1 and "nobody" in p.stderr, p.stderr
        p = cli(s.db, "user", "passwd", "viewer", input="")
        generated = p.stdout.strip().split()[-1]
        assert len(generated) >= 12, p.stdout
        assert s.login("viewer", generated).get("/api/v1/me")[0] == 200
        st, _, _ = c.post("/api/v1/session", {"login": "viewer",
                                              "password": "viewer-new-pass"})
        assert st == 401
    finally:
        assert s.stop() == 0
