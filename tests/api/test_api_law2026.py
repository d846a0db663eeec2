"""Issue 19 over the API: the `service` kind written and read as JSON, and a
proposal's date of receipt ("received") in the body deciding the rule set
(the transition: both sets' verdicts kept on the candidate)."""


def test_service_kind_and_received(anysrv):
    admin = anysrv.login("admin")
    st, _, doc = admin.post("/api/v1/service", [
        {"person": "P3", "from": "2008-01-01", "to": "2009-12-31", "kind": "hardship"},
        {"person": "P3", "from": "2010-01-01", "kind": "regular"}])
    assert st in (200, 201), doc
    st, _, doc = admin.get("/api/v1/service")
    assert st == 200, doc
    rows = {x["from"]: x for x in doc["items"]}
    assert float(rows["2008-01-01"]["coefficient"]) == 2
    assert float(rows["2010-01-01"]["coefficient"]) == 1
    # P3 (soldier): 24 × 2 + 192 = 240 months, continuous: hạng Nhất's range
    st, _, doc = admin.post("/api/v1/proposals", {
        "year": 2025, "award": "HCCSVV1", "subjects": ["P3"],
        "received": "2026-09-15"})
    assert st == 201, doc
    assert doc["received"] == "2026-09-15"
    (c,) = doc["candidates"]
    assert c["verdict"] == "eligible"
    t = c["eligibility"]["transition"]
    assert t["in_force_on_receipt"] == "vn-2022" and t["decided_by"] == "vn-2022"
    assert set(t["by_rule_set"]) == {"vn-2022", "vn-2026"}
    st, _, doc = admin.post("/api/v1/proposals", {
        "year": 2025, "award": "HCCSVV1", "subjects": ["P3"],
        "received": "15/09/2026"})
    assert st == 400 and doc["error"]["field"] == "received", doc
