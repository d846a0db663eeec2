"""The ledger's anchor routes: GET /api/v1/ledger/head (as `thidua ledger
head --format json`) and GET /api/v1/ledger/verify?head=SEQ:HASH (as
`ledger verify --head`), for admin and council only. The server's ledger is
empty: its head is seq 0 and 64 zeros; the CLI tests cover a real chain."""
import json

from api_support import cli

ZERO = "0" * 64


def test_head_and_verify_with_head(anysrv):
    admin = anysrv.login("admin")
    st, _, doc = admin.get("/api/v1/ledger/head")
    assert st == 200, doc
    assert doc == {"seq": 0, "hash": ZERO}
    assert doc == json.loads(cli(anysrv.db, "--format", "json", "ledger",
                                 "head").stdout)
    st, _, doc = admin.get(f"/api/v1/ledger/verify?head=0:{ZERO}")
    assert st == 200 and doc["ok"] is True, doc
    assert doc["anchor"] == {"seq": 0, "hash": ZERO, "held": True,
                             "signed_at": None, "key": None}
    st, _, doc = admin.get("/api/v1/ledger/verify")
    assert st == 200 and doc["anchor"] is None and doc["head_seq"] is None
    # A head this ledger never reached: the check runs, "ok" says no.
    st, _, doc = admin.get("/api/v1/ledger/verify?head=3:" + "A" * 64)
    assert st == 200, doc
    assert doc["ok"] is False and doc["first_bad"] == 1
    assert doc["anchor"]["held"] is False and doc["anchor"]["hash"] == "a" * 64
    for bad in ("3", "3:abc", "x:" + ZERO, "1:" + "g" * 64):
        st, _, doc = admin.get("/api/v1/ledger/verify?head=" + bad)
        assert st == 400, (bad, doc)
        assert doc["error"]["field"] == "head", doc
    council = anysrv.login("council")
    assert council.get("/api/v1/ledger/head")[0] == 200
    assert council.get(f"/api/v1/ledger/verify?head=0:{ZERO}")[0] == 200
    for login in ("viewer", "clerk", "cmd"):
        c = anysrv.login(login)
        assert c.get("/api/v1/ledger/head")[0] == 403, login
        assert c.get(f"/api/v1/ledger/verify?head=0:{ZERO}")[0] == 403, login
