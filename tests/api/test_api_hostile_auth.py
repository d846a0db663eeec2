"""Issue 18, points 1 and 5: fair login throttling per (account, address)
with growing delays, a ceiling per address for unknown accounts, the
failure counted before the answer, --trusted-proxy, --secure-cookies (and
X-Forwarded-Proto: https from the proxy), token expiry (token create
--days N) and a password change revoking tokens and sessions.

Clients connect from other loopback addresses (127.0.0.2, …) to stand
for different machines."""
import concurrent.futures
import json
import time

from api_support import cli, make_server, sql

BAD = {"login": "clerk", "password": "wrong-wrong"}
GOOD = {"login": "clerk", "password": "password-clerk"}


def test_owner_logs_in_from_elsewhere_while_attacker_waits(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        attacker = s.client(source="127.0.0.2")
        for _ in range(5):
            assert attacker.post("/api/v1/session", BAD)[0] == 401
        # The owner, at another address, is not locked out.
        owner = s.client(source="127.0.0.3")
        st, _, body = owner.post("/api/v1/session", GOOD)
        assert st == 200, body
        # The sixth attempt from the attacker's address waits (429), even
        # with the right password, and says for how long.
        st, h, body = attacker.post("/api/v1/session", BAD)
        assert st == 429 and body["error"]["code"] == "throttled", body
        assert 1 <= int(h["retry-after"]) <= 15
        assert attacker.post("/api/v1/session", GOOD)[0] == 429
    finally:
        assert s.stop() == 0


def test_delays_grow(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        c = s.client(source="127.0.0.2")
        for _ in range(5):
            assert c.post("/api/v1/session", BAD)[0] == 401
        st, h, _ = c.post("/api/v1/session", BAD)
        assert st == 429 and int(h["retry-after"]) <= 15
        # Pretend the wait is over: move the failures back in time.
        sql(s.db, "UPDATE login_failures SET at = at - 16")
        assert c.post("/api/v1/session", BAD)[0] == 401     # the sixth
        st, h, _ = c.post("/api/v1/session", BAD)
        assert st == 429 and 16 <= int(h["retry-after"]) <= 30, h
    finally:
        assert s.stop() == 0


def test_parallel_attempts_are_counted_before_the_answer(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        def attempt(_):
            return s.client(source="127.0.0.4").post("/api/v1/session", BAD)[0]

        with concurrent.futures.ThreadPoolExecutor(16) as ex:
            codes = list(ex.map(attempt, range(32)))
        assert codes.count(401) == 5, codes
        assert codes.count(429) == 27, codes
    finally:
        assert s.stop() == 0


def test_unknown_accounts_ceiling_per_address(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        c = s.client(source="127.0.0.5")
        for i in range(20):
            assert c.post("/api/v1/session", {"login": f"ghost{i}",
                          "password": "wrong-wrong"})[0] == 401
        st, h, _ = c.post("/api/v1/session", {"login": "ghost-x",
                          "password": "wrong-wrong"})
        assert st == 429 and int(h["retry-after"]) >= 1
        other = s.client(source="127.0.0.6")
        assert other.post("/api/v1/session", {"login": "ghost-x",
                          "password": "wrong-wrong"})[0] == 401
        assert c.post("/api/v1/session", GOOD)[0] == 200
    finally:
        assert s.stop() == 0


def test_trusted_proxy_forwarded_for(backend, tmp_path):
    s = make_server(backend, tmp_path, "--trusted-proxy", "127.0.0.1")
    try:
        proxy = s.client()                      # 127.0.0.1: the proxy
        xff = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
        for _ in range(5):
            assert proxy.post("/api/v1/session", BAD, headers=xff)[0] == 401
        st, _, _ = proxy.post("/api/v1/session", BAD, headers=xff)
        assert st == 429
        # Another client behind the same proxy is not affected.
        st, _, body = proxy.post("/api/v1/session", GOOD,
                                 headers={"X-Forwarded-For": "198.51.100.8"})
        assert st == 200, body
        # The session remembers the forwarded address.
        assert sql(s.db, "SELECT address FROM sessions")[0][0] == \
            "198.51.100.8"
        # A peer that is not the proxy cannot choose its address.
        direct = s.client(source="127.0.0.7")
        for i in range(5):
            h = {"X-Forwarded-For": f"192.0.2.{i}"}
            assert direct.post("/api/v1/session", BAD, headers=h)[0] == 401
        h = {"X-Forwarded-For": "192.0.2.99"}
        assert direct.post("/api/v1/session", BAD, headers=h)[0] == 429
    finally:
        assert s.stop() == 0


def test_trusted_proxy_must_be_an_address(tmp_path):
    db = str(tmp_path / "x.db")
    cli(db, "init")
    p = cli(db, "serve", "--listen", "127.0.0.1:0", "--trusted-proxy",
            "proxy.example", check=False)
    assert p.returncode == 2 and "--trusted-proxy" in p.stderr, p.stderr


def cookie_of(h):
    return h.get("set-cookie", "")


def test_secure_cookies_flag(backend, tmp_path):
    s = make_server(backend, tmp_path, "--secure-cookies")
    try:
        c = s.client()
        st, h, _ = c.post("/api/v1/session", GOOD)
        assert st == 200
        sc = cookie_of(h)
        assert sc.startswith("__Host-thidua_session="), sc
        attrs = [a.strip() for a in sc.split(";")]
        assert "Secure" in attrs and "HttpOnly" in attrs and "Path=/" in attrs
        assert not any(a.lower().startswith("domain") for a in attrs)
        assert c.get("/api/v1/me")[0] == 200
        # The unprefixed name is not a session here.
        value = c.cookie.split("=", 1)[1]
        c.cookie = "thidua_session=" + value
        assert c.get("/api/v1/me")[0] == 401
        c.cookie = "__Host-thidua_session=" + value
        st, h, _ = c.delete("/api/v1/session")
        assert st == 200 and cookie_of(h).startswith("__Host-thidua_session=;")
        assert "Secure" in cookie_of(h)
    finally:
        assert s.stop() == 0


def test_secure_cookies_behind_https_proxy(backend, tmp_path):
    s = make_server(backend, tmp_path, "--trusted-proxy", "127.0.0.1")
    try:
        https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.1"}
        c = s.client()
        st, h, _ = c.post("/api/v1/session", GOOD, headers=https)
        assert st == 200
        assert cookie_of(h).startswith("__Host-thidua_session=")
        assert "Secure" in cookie_of(h)
        assert c.get("/api/v1/me", headers=https)[0] == 200
        # Plain HTTP through the proxy: no Secure.
        c2 = s.client()
        st, h, _ = c2.post("/api/v1/session", GOOD,
                           headers={"X-Forwarded-Proto": "http"})
        assert st == 200 and cookie_of(h).startswith("thidua_session=")
        assert "Secure" not in cookie_of(h)
        # Not the proxy: X-Forwarded-Proto is ignored.
        c3 = s.client(source="127.0.0.9")
        st, h, _ = c3.post("/api/v1/session", GOOD,
                           headers={"X-Forwarded-Proto": "https"})
        assert st == 200 and cookie_of(h).startswith("thidua_session=")
    finally:
        assert s.stop() == 0


def test_token_days_and_expiry(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        p = cli(s.db, "--format", "json", "token", "create", "clerk")
        doc = json.loads(p.stdout)
        until = time.mktime(time.strptime(doc["expires_at"],
                                          "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        assert 364 * 86400 < until - time.time() <= 365 * 86400 + 5
        p = cli(s.db, "--format", "json", "token", "create", "clerk",
                "--days", "2")
        short = json.loads(p.stdout)
        until = time.mktime(time.strptime(short["expires_at"],
                                          "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
        assert 86400 < until - time.time() <= 2 * 86400 + 5
        assert s.client(token=short["token"]).get("/api/v1/me")[0] == 200
        for bad in ("0", "-1", "x", "99999"):
            p = cli(s.db, "token", "create", "clerk", "--days", bad,
                    check=False)
            assert p.returncode == 2, (bad, p.stderr)
        # An expired token is refused (expiry moved into the past).
        p = cli(s.db, "--format", "json", "token", "create", "viewer",
                "--days", "1")
        tok = json.loads(p.stdout)
        sql(s.db, f"UPDATE api_tokens SET expires_at = {int(time.time()) - 1}"
            f" WHERE id = {int(tok['id'])}")
        assert s.client(token=tok["token"]).get("/api/v1/me")[0] == 401
    finally:
        assert s.stop() == 0


def test_password_change_revokes_tokens_and_sessions(backend, tmp_path):
    s = make_server(backend, tmp_path)
    try:
        tok = json.loads(cli(s.db, "--format", "json", "token", "create",
                             "clerk").stdout)["token"]
        bearer = s.client(token=tok)
        assert bearer.get("/api/v1/me")[0] == 200
        browser = s.login("clerk")
        assert browser.get("/api/v1/me")[0] == 200
        other = s.login("viewer")
        cli(s.db, "user", "passwd", "clerk", input="a-new-password\n")
        time.sleep(1.5)           # the server's token cache lives 1 s
        assert bearer.get("/api/v1/me")[0] == 401
        assert browser.get("/api/v1/me")[0] == 401
        assert other.get("/api/v1/me")[0] == 200
        assert s.login("clerk", "a-new-password").get("/api/v1/me")[0] == 200
    finally:
        assert s.stop() == 0
