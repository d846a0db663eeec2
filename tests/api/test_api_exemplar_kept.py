"""Issue 22 (fast where users wait): a server keeps the candidates its last
exemplar discoveries found (exemplar-svc.c, exemplar_keep) and answers the
next GET /api/v1/exemplars/discover from them while the eligibility
tables and the movements are unchanged: at a million people each visit of
the exemplars page read a three-year window of every subject (2.5-3.6 s),
a kept discovery answers in about 13 ms. Current must mean current: after
a write of ratings (through this server, or by the sqlite3 shell), of a
name, of discipline, the next answer is the CLI's; the register (who is
registered) and the answer's language and scope are the request's own.
On both backends (on PostgreSQL the stamp is the generations, which
another program's writes replace by migration 0022's triggers)."""
import json

from api_support import Server, snapshot_counts, sql, token
from testbed import run


def cli_json(db, *args):
    r = run("--format", "json", *args, db=db)
    assert r.code == 0, r
    return json.loads(r.out)


def found_counts(s, admin):
    """(answers from kept candidates, discoveries made) from /metrics."""
    return snapshot_counts(s.client(token=admin), "ex-found")


def test_kept_candidates_follow_every_write(exemplar_db, tmp_path):
    db = exemplar_db
    admin = token(db, "admin", "admin")
    council = token(db, "council", "council")
    viewer = token(db, "viewer", "viewer", "--unit", "B")
    q = "/api/v1/exemplars/discover?year=2025"
    s = Server(db, str(tmp_path))

    def twin(tok=admin, lang=None):
        """The server's discovery, checked to be the CLI's now."""
        st, _, doc = s.client(token=tok, lang=lang).request("GET", q)
        assert st == 200, doc
        args = ("--lang", "en") if lang == "en" else ()
        assert doc == cli_json(db, *args, "exemplar", "discover",
                               "--year", "2025"), doc
        return doc

    def expect(hits, made):
        got = found_counts(s, admin)
        assert got == (hits, made), got

    try:
        h0, m0 = found_counts(s, admin)
        d = twin()
        assert [c["subject"] for c in d["candidates"]] == ["P1"], d
        expect(h0, m0 + 1)
        assert twin() == d                       # nothing written: kept
        expect(h0 + 1, m0 + 1)
        # the reasons in the request's language, from the same candidates
        en = twin(lang="en")
        assert en["candidates"][0]["reasons"] != d["candidates"][0]["reasons"]
        expect(h0 + 2, m0 + 1)
        # a viewer of B: P1 (of A) is no candidate of theirs
        st, doc = s.call(viewer, "GET", q)
        assert st == 200 and doc["candidates"] == [], doc
        expect(h0 + 3, m0 + 1)
        # registered: read at each answer, not kept
        st, ex = s.call(council, "POST", "/api/v1/exemplars", {
            "subject": "P1", "field": "Cải tiến kỹ thuật",
            "reason": "Ba năm liền dẫn đầu", "since": 2025})
        assert st == 201, ex
        assert twin()["candidates"][0]["registered"] is True
        expect(h0 + 4, m0 + 1)
        # a rating through this server: P2 keeps a standard, but has no
        # innovation; P1 rated down is no candidate any more
        st, doc = s.call(admin, "POST", "/api/v1/ratings",
                         {"year": 2025, "subject": "P1", "rating": "HTNV"})
        assert st == 201, doc
        assert twin()["candidates"] == []
        expect(h0 + 4, m0 + 2)
        # by another program (the sqlite3 shell, psql), which thidua's
        # generations do not see: on SQLite elig_log does, on PostgreSQL
        # migration 0022's triggers replace them
        sql(db, "UPDATE ratings SET rating = 'HTXSNV' WHERE year = 2025 "
            "AND subject_id = (SELECT id FROM subjects WHERE code = 'P1')")
        assert [c["subject"] for c in twin()["candidates"]] == ["P1"]
        expect(h0 + 4, m0 + 3)
        # a new name: the next answer shows it
        st, doc = s.call(admin, "POST", "/api/v1/people", {
            "code": "P1", "name": "Nguyễn Văn Ân", "unit": "A",
            "category": "defence_worker", "joined": "2010-01-01"})
        assert st in (200, 201), doc
        assert twin()["candidates"][0]["name"] == "Nguyễn Văn Ân"
        expect(h0 + 4, m0 + 4)
        # discipline in the window: no candidate
        st, doc = s.call(admin, "POST", "/api/v1/discipline", {
            "subject": "P1", "form": "reprimand", "from": "2024-02-01",
            "to": "2024-08-01"})
        assert st == 201, doc
        assert twin()["candidates"] == []
        expect(h0 + 4, m0 + 5)
        assert twin()["candidates"] == []        # current again: kept
        expect(h0 + 5, m0 + 5)
    finally:
        rc = s.stop()
    assert rc == 0, s.text()[-3000:]


def test_kept_innovation_summaries_follow_every_write(exemplar_db, tmp_path):
    """The exemplars page's innovation summary (the totals and groups,
    summary=1: the same for every caller and language) is kept the same
    way, current while the eligibility tables' stamp holds: 0.6-1.4 s at
    each visit at a million people before."""
    db = exemplar_db
    admin = token(db, "admin", "admin")
    viewer = token(db, "viewer", "viewer", "--unit", "B")
    s = Server(db, str(tmp_path))

    def twin(by, tok=admin):
        st, _, doc = s.client(token=tok).request(
            "GET", f"/api/v1/reports/innovations?by={by}&summary=1")
        assert st == 200, doc
        full = cli_json(db, "report", "innovations", "--by", by)
        assert doc == {k: v for k, v in full.items()
                       if k != "innovations"}, doc
        return doc

    def expect(hits, made):
        got = snapshot_counts(s.client(token=admin), "innov-kept")
        assert got == (hits, made), got

    try:
        d = twin("kind")
        expect(0, 1)
        assert twin("kind") == d                  # kept
        expect(1, 1)
        assert twin("kind", viewer) == d          # the same for a viewer
        expect(2, 1)
        twin("unit")                              # another grouping
        expect(2, 2)
        # a new innovation through the server: counted at the next answer
        st, doc = s.call(admin, "POST", "/api/v1/innovations", {
            "code": "SK9", "kind": "research", "title": "Đề tài mới",
            "year": 2025, "level": "base", "authors": "P2"})
        assert st == 201, doc
        d2 = twin("kind")
        assert d2["total"]["count"] == d["total"]["count"] + 1, (d, d2)
        expect(2, 3)
        # an award resting on it (by another process, the CLI)
        f = tmp_path / "a.csv"
        f.write_text("year,subject,award,based_on\n2025,P2,CSTDCS,SK9\n",
                     encoding="utf-8")
        assert run("import", "awards", str(f), db=db).code == 0
        d3 = twin("kind")
        assert d3["total"]["with_awards"] == d2["total"]["with_awards"] + 1
        expect(2, 4)
        assert twin("kind") == d3
        expect(3, 4)
    finally:
        rc = s.stop()
    assert rc == 0, s.text()[-3000:]


def test_kept_check_windows_follow_the_register_and_writes(exemplar_db,
                                                           tmp_path):
    """The yearly check of the register (GET /exemplars/check) reads the
    window of every subject too (2.5-3 s at a million people at each
    visit of the page): the server keeps the registered exemplars' windows
    under the register's standards while the eligibility tables' stamp
    holds. The statuses are the CLI's in either language; a new exemplar,
    a changed standard or a rating written makes the next check read
    again."""
    db = exemplar_db
    admin = token(db, "admin", "admin")
    council = token(db, "council", "council")
    q = "/api/v1/exemplars/check?year=2025"
    s = Server(db, str(tmp_path))

    def twin(lang=None):
        st, _, doc = s.client(token=admin, lang=lang).request("GET", q)
        assert st == 200, doc
        args = ("--lang", "en") if lang == "en" else ()
        assert doc == cli_json(db, *args, "exemplar", "check", "--year",
                               "2025"), doc
        return doc

    def expect(hits, made):
        got = snapshot_counts(s.client(token=admin), "ex-check")
        assert got == (hits, made), got

    def register(subject, field, **kw):
        st, ex = s.call(council, "POST", "/api/v1/exemplars", {
            "subject": subject, "field": field, "reason": "Dẫn đầu",
            "since": 2024, **kw})
        # (the exemplar just registered, not the first of the register)
        assert st == 201 and ex["subject"] == subject, ex

    try:
        register("P1", "Cải tiến kỹ thuật")
        d = twin()
        assert [r["status"] for r in d["results"]] == ["ok"], d
        expect(0, 1)
        assert twin() == d                       # kept
        expect(1, 1)
        en = twin("en")                          # kept, reasons in English
        assert en["results"][0]["reasons"] != d["results"][0]["reasons"]
        expect(2, 1)
        # another exemplar: the register's standards changed
        register("P3", "An toàn", min_rating="HTXSNV")
        d = twin()
        assert [r["subject"] for r in d["results"]] == ["P1", "P3"], d
        expect(2, 2)
        # P1 rated down this year: slipping, read again
        st, doc = s.call(admin, "POST", "/api/v1/ratings",
                         {"year": 2025, "subject": "P1", "rating": "HTNV"})
        assert st == 201, doc
        d = twin()
        assert d["results"][0]["status"] == "slipping", d
        expect(2, 3)
        assert twin() == d
        expect(3, 3)
    finally:
        rc = s.stop()
    assert rc == 0, s.text()[-3000:]
