"""The eligibility snapshot's copy beside a SQLite database
(src/snapcache-elig.h): written by the first evaluation of a year, read by
the next ones while the "elig" stamp is unchanged, replaced after every
write of a table the snapshot reads (each import kind, rate --apply, a
decision), and never trusted when damaged, of another year or of another
rule set. A write of ratings or awards alone does not throw the copy
away: the rows written since it (elig_log) are read again into it
(snapcache-elig.h). The verdicts are always those of a run without a
copy, byte for byte."""
import datetime
import json
import os
import random
import signal
import sqlite3
import struct
import subprocess
import time

from testbed import (BIN, PROPOSAL_PEOPLE, PROPOSAL_RATINGS, PROPOSAL_RULES,
                     PROPOSAL_UNITS, RULES_DATA as DATA, decide_ldtt,
                     load_eligibility_data as load, make_target, run,
                     seed_movements, write)

HEADER = struct.Struct("<8sIiqQ13Qqqqqq")  # magic, version, year, gen, fp,
                                           # counts, base, log seq, log tag,
                                           # subject_log's seq and tag
C_ALEN, C_NUNIT, C_NPERSON, C_NSUBJ, C_NAUTH = 0, 1, 2, 3, 7
NY = 12                                  # years of history in a snapshot
HTXSNV = 4                               # enum rating


def doc(db, *args, year="2025"):
    r = run("eligibility", "--year", year, "--format", "json", *args, db=db)
    assert r.code == 0, r
    return r.out


def verdict(out, subject, award):
    (x,) = [x for x in json.loads(out)["results"]
            if x["subject"] == subject and x["award"] == award]
    return x["verdict"]


def stamp(db):
    """What a copy is current at: the "elig" and "elig-base" generations
    and the last row of elig_log (seq, tag)."""
    with sqlite3.connect(db) as c:
        g = dict(c.execute("SELECT name, n FROM generations"))
        last = c.execute("SELECT seq, tag FROM elig_log ORDER BY seq DESC "
                         "LIMIT 1").fetchone() or (0, 0)
    return (g["elig"], g["elig-base"]) + tuple(last)


def copy_stamp(path):
    h = header(path)
    return (h["gen"], h["base"], h["seq"], h["tag"])


def fresh(db, *args, year="2025"):
    """The document of a run without a copy (the copy is put back after)."""
    path = f"{db}-elig-{year}"
    os.rename(path, path + ".keep")
    try:
        return doc(db, *args, year=year)
    finally:
        os.replace(path + ".keep", path)


def fresh_copy(db, year="2025"):
    """The document of a run without a copy, and the copy that run wrote
    (the copy is put back after)."""
    path = f"{db}-elig-{year}"
    os.rename(path, path + ".keep")
    try:
        out = doc(db, year=year)
        made = open(path, "rb").read()
        return out, made
    finally:
        os.replace(path + ".keep", path)


# The copy's arrays in file order (snapcache-elig.c): (name, bytes an
# element, count: a header count's index, or (index, times, plus), and for
# C structs their layout, read field by field: padding is not compared).
# Counts: 0 arena, 1 units, 2 people, 3 subjects, 4 innovations,
# 5 incidents, 6 stays, 7 authorships, 8 discipline, 9-11 derived, 12 service.
DISC, INC, SVC = "<iiB3x", "<iiB3x", "<iiIf"
ROWS = [("arena", 1, 0), ("code", 4, 3), ("rating", 1, (3, NY, 0)),
        ("hist", 8, (3, NY, 0)), ("parent", 4, 1), ("ukind", 1, 1),
        ("military", 1, 1), ("category", 1, 2), ("joined", 4, 2),
        ("left", 4, 2), ("home", 4, 2), ("stay_off", 4, (2, 1, 1)),
        ("stay", 4, 6), ("icode", 4, 4), ("iyear", 2, 4), ("ilevel", 1, 4),
        ("ikind", 1, 4), ("ibenefit", 8, 4), ("iused", 8, 4),
        ("auth_off", 4, (2, 1, 1)), ("auth", 4, 7), ("disc_off", 4, (3, 1, 1)),
        ("disc", 12, 8, DISC), ("inc", 12, 5, INC), ("ever", 8, 3),
        ("ever_rt", 1, 3), ("sex", 1, 2), ("svc_off", 4, (2, 1, 1)),
        ("svc", 16, 12, SVC), ("sid", 8, 3), ("dir_off", 4, (1, 1, 1)),
        ("dir", 4, 9), ("ext_off", 4, (1, 1, 1)), ("ext", 4, 10),
        ("sub_off", 4, (1, 1, 1)), ("sub", 4, 11), ("nmem", 4, 1),
        ("joined_ymd", 4, 2), ("authp", 4, 7), ("held", 1, 3),
        ("hist_y", 8, 3), ("joined_text", 10, 2)]


def rows(data):
    """Every array of a copy (its bytes), but that what points into the
    arena (whose order follows the order codes are read in) is its text:
    the subjects' codes, the innovations' and the service kinds'."""
    n = HEADER.unpack_from(data)[5:18]
    off, out = (HEADER.size + 63) // 64 * 64, {}
    for name, size, c, *fmt in ROWS:
        count = n[c] if isinstance(c, int) else n[c[0]] * c[1] + c[2]
        raw = bytes(data[off:off + count * size])
        out[name] = [struct.unpack_from(fmt[0], raw, i * size)
                     for i in range(count)] if fmt else raw
        off += span(count, size)
    assert off == len(data)
    arena = out.pop("arena")

    def text(o):
        return arena[o:arena.index(b"\0", o)]
    for name in ("code", "icode"):
        out[name] = [text(o) for o in
                     struct.unpack(f"<{len(out[name]) // 4}I", out[name])]
    out["svc"] = [(f, t, text(k), c) for f, t, k, c in out["svc"]]
    return out


def header(path):
    with open(path, "rb") as f:
        h = HEADER.unpack(f.read(HEADER.size))
    return {"magic": h[0], "year": h[2], "gen": h[3], "counts": h[5:18],
            "base": h[18], "seq": h[19], "tag": h[20]}


def span(count, size):
    """The bytes an array takes in the copy: its elements, a spare one,
    zeros up to the next 64-byte boundary."""
    return ((count + 1) * size + 63) // 64 * 64


def locate(data, subject):
    """A copy's counts, where its codes start and subject's index."""
    n = HEADER.unpack_from(data)[5:18]
    off = (HEADER.size + 63) // 64 * 64     # arrays start on 64-byte boundaries
    arena = bytes(data[off:off + n[C_ALEN]])
    off += span(n[C_ALEN], 1)
    codes = struct.unpack_from(f"<{n[C_NSUBJ]}I", data, off)
    s = [arena[o:arena.index(b"\0", o)].decode() for o in codes].index(subject)
    return n, off, s


def set_rating(path, subject, rating):
    """Set subject's rating of the copy's year in the copy itself."""
    data = bytearray(open(path, "rb").read())
    n, off, s = locate(data, subject)
    off += span(n[C_NSUBJ], 4)
    data[off + s * NY + NY - 1] = rating
    open(path, "wb").write(bytes(data))


def set_person_joined(path, subject, y, m, d):
    """Set subject's joining day in the copy's rows (a day number since
    1970-01-01), where a rebase carries it from (not the derived arrays):
    after codes, ratings, ledger, parent, unit kind, military and category
    comes joined, 4 bytes per person."""
    data = bytearray(open(path, "rb").read())
    n, off, s = locate(data, subject)
    off += (span(n[C_NSUBJ], 4) + span(n[C_NSUBJ] * NY, 1) +
            span(n[C_NSUBJ] * NY, 8) + span(n[C_NUNIT], 4) +
            2 * span(n[C_NUNIT], 1) + span(n[C_NPERSON], 1))
    day = (datetime.date(y, m, d) - datetime.date(1970, 1, 1)).days
    struct.pack_into("<i", data, off + (s - n[C_NUNIT]) * 4, day)
    open(path, "wb").write(bytes(data))


def set_joined(path, subject, y, m, d):
    """Set subject's joining day in the copy's derived arrays. The last
    are: the joining days as (year * 12 + month - 1) << 5 | day per person,
    the packed authorships, held (a byte per subject), the year's ledger
    (8 bytes per subject), the joining days as text (10 bytes per person)."""
    data = bytearray(open(path, "rb").read())
    n, _, s = locate(data, subject)
    p = s - n[C_NUNIT]
    text = len(data) - span(n[C_NPERSON], 10)
    ymd = (text - span(n[C_NSUBJ], 8) - span(n[C_NSUBJ], 1) -
           span(n[C_NAUTH], 4) - span(n[C_NPERSON], 4))
    struct.pack_into("<I", data, ymd + p * 4, (y * 12 + m - 1) << 5 | d)
    data[text + p * 10:text + p * 10 + 10] = f"{y:04d}-{m:02d}-{d:02d}".encode()
    open(path, "wb").write(bytes(data))


def org(tmp_path):
    db = make_target("sqlite", tmp_path)
    assert run("init", db=db).code == 0
    load(db)
    return db


def test_written_then_read(tmp_path):
    db = org(tmp_path)
    path = db + "-elig-2025"
    assert not os.path.exists(path)
    first = doc(db)
    h = header(path)
    assert h["magic"] == b"THIDUAE6" and h["year"] == 2025
    assert copy_stamp(path) == stamp(db)
    assert h["counts"][C_NSUBJ] == h["counts"][C_NUNIT] + h["counts"][C_NPERSON] > 0
    assert doc(db) == first
    d, base = os.path.split(db)
    assert [f for f in os.listdir(d) if f.startswith(base + "-elig-")] == \
        [base + "-elig-2025"]                 # no temporary file left behind
    # What is read is the copy: a rating changed in it changes the verdict
    # (A4 is HTNV, not enough for LDTT) while the stamp is the same.
    assert verdict(first, "A4", "LDTT") == "ineligible"
    set_rating(path, "A4", HTXSNV)
    assert verdict(doc(db), "A4", "LDTT") == "eligible"
    # --subject, --award and the table read the same copy
    r = run("eligibility", "--year", "2025", "--subject", "A4", "--award",
            "LDTT", db=db)
    assert r.code == 0 and "ĐỦ ĐIỀU KIỆN" in r.out, r


def copies(db):
    d, base = os.path.split(db)
    return sorted(f for f in os.listdir(d) if f.startswith(base + "-elig-"))


def test_a_report_killed_while_its_copy_is_written(tmp_path):
    """The CLI writes the copy on a thread beside its report (snapcache-
    elig.h, elig_cache_beside), into a file with no name until it is
    whole: the report is out before the copy is in place, and a report
    killed meanwhile (a SIGPIPE from `| head`, a kill) leaves neither a
    copy nor a temporary file; the next report writes the copy whole."""
    db = org(tmp_path)
    first = doc(db)
    os.remove(db + "-elig-2025")
    env = dict(os.environ, THIDUA_TEST_COPY_PAUSE_MS="4000")
    env.pop("THIDUA_DB", None)
    t0 = time.monotonic()
    p = subprocess.Popen([BIN, "--db", db, "eligibility", "--year", "2025",
                          "--format", "json"], stdout=subprocess.PIPE, env=env)
    out = b""
    while not out.endswith(b"]}\n"):
        chunk = p.stdout.read1(65536)
        assert chunk, out[-200:]
        out += chunk
    # the whole report, with the copy's writer held before putting it in
    # place: not waited for, and no file of it to be seen
    assert time.monotonic() - t0 < 3.5
    assert out.decode() == first
    assert p.poll() is None and copies(db) == []
    p.kill()
    assert p.wait(timeout=30) == -signal.SIGKILL
    assert copies(db) == []
    # the next report writes the copy whole, and reads it after
    assert doc(db) == first and copies(db) == [os.path.basename(db) + "-elig-2025"]
    assert copy_stamp(db + "-elig-2025") == stamp(db)
    assert doc(db) == first


def test_each_import_kind_replaces_the_stamp(tmp_path):
    """A write of any table the snapshot reads (re-importing the same
    file is a write, but units and people as stored are not written
    again: test_import.py, test_import_people.py) leaves the copy out of
    date; records do not."""
    db = org(tmp_path)
    doc(db)
    for kind in ["units", "people", "ratings", "awards", "innovations",
                 "incidents", "discipline"]:
        before = stamp(db)
        path = os.path.join(DATA, kind + ".csv")
        if kind in ("units", "people"):	# one renamed: a write
            with open(path, encoding="utf-8") as f:
                lines = f.read().splitlines(True)
            first = lines[1].split(",")
            first[1] = "Tên Mới"
            lines[1] = ",".join(first)
            path = write(tmp_path / "people.csv", "".join(lines))
        r = run("import", kind, path, db=db)
        assert r.code == 0, r
        assert stamp(db) != before, kind
    before = stamp(db)
    assert run("import", "records", os.path.join(DATA, "records.csv"), db=db).code == 0
    assert stamp(db) == before


def test_a_change_is_seen_at_once(tmp_path):
    db = org(tmp_path)
    first = doc(db)
    assert verdict(first, "A4", "LDTT") == "ineligible"
    write(tmp_path / "r.csv", "year,subject,rating\n2025,A4,HTXSNV\n")
    assert run("import", "ratings", str(tmp_path / "r.csv"), db=db).code == 0
    after = doc(db)
    assert verdict(after, "A4", "LDTT") == "eligible"
    # the copy was brought up to date in memory, not thrown away: one
    # rating with its subject's rating of the year neither coming nor
    # going leaves the file as it was (the next run reads the log again)
    assert copy_stamp(db + "-elig-2025")[1] == stamp(db)[1]
    assert copy_stamp(db + "-elig-2025")[2] < stamp(db)[2]
    assert after == fresh(db)


def test_failed_import_keeps_the_stamp(tmp_path):
    db = org(tmp_path)
    doc(db)
    before = stamp(db)
    write(tmp_path / "r.csv", "year,subject,rating\n2025,A4,HTXSNV\n2025,NOPE,HTNV\n")
    assert run("import", "ratings", str(tmp_path / "r.csv"), db=db).code != 0
    assert stamp(db) == before
    assert verdict(doc(db), "A4", "LDTT") == "ineligible"


def test_damaged_foreign_and_other_rule_set(tmp_path):
    db = org(tmp_path)
    path = db + "-elig-2025"
    good = doc(db)
    # truncated: rebuilt, same verdicts
    data = open(path, "rb").read()
    open(path, "wb").write(data[:-3])
    assert doc(db) == good
    assert os.path.getsize(path) == len(data)
    # a copy of another year under this year's name: not trusted
    doc(db, year="2024")
    os.replace(db + "-elig-2024", path)
    assert doc(db) == good
    # nonsense: not trusted
    open(path, "wb").write(b"THIDUAE6" + b"\xff" * 200)
    assert doc(db) == good
    # another rule set's awards: its own copy, then back
    old = doc(db, "--rule-set", "vn-2017")
    assert old == fresh(db, "--rule-set", "vn-2017")
    assert doc(db) == good


def test_rate_and_decision_replace_the_stamp(tmp_path):
    db = make_target("sqlite", tmp_path)
    assert run("init", db=db).code == 0
    seed_movements(db)
    doc(db)
    before = stamp(db)
    r = run("rate", "--movement", "TDQT-2025", "--year", "2025", "--apply", db=db)
    assert r.code == 0, r
    assert stamp(db) != before
    assert doc(db) == fresh(db)

    db = make_target("sqlite", tmp_path)
    assert run("init", "--rules", PROPOSAL_RULES, db=db).code == 0
    for kind, text in (("units", PROPOSAL_UNITS), ("people", PROPOSAL_PEOPLE),
                       ("ratings", PROPOSAL_RATINGS)):
        write(tmp_path / f"{kind}.csv", text)
        assert run("import", kind, str(tmp_path / f"{kind}.csv"), db=db).code == 0
    doc(db)
    before = stamp(db)
    decide_ldtt(db)
    assert stamp(db) != before
    assert doc(db) == fresh(db)


def test_derived_arrays_are_read_from_the_copy(tmp_path):
    """What every run builds from the rows (members, joining days as
    year/month/day, holds) is kept in the copy and read from it: a joining
    day written into the copy shows, and a run without the copy builds the
    arrays again from the rows."""
    db = org(tmp_path)
    good = doc(db)
    path = db + "-elig-2025"
    subject = [x["subject"] for x in json.loads(good)["results"]
               if x["award"] == "LDTT" and x["verdict"] == "eligible"][0]
    set_joined(path, subject, 2025, 12, 1)
    (x,) = [x for x in json.loads(doc(db))["results"]
            if x["subject"] == subject and x["award"] == "LDTT"]
    assert x["verdict"] == "ineligible"
    assert any("2025-12-01" in e for c in x["clauses"] for e in c["evidence"])
    assert fresh(db) == good


# One write of each table the snapshot reads, each changing the document:
# (kind, CSV). After each, the document read through the copy must be the
# one of a run without it, byte for byte, and differ from the one before
# (a write whose part of the copy is not brought up to date fails here).
WRITES = [
    ("ratings", "year,subject,rating\n2025,A4,HTXSNV\n"),
    ("ratings", "year,subject,rating\n2025,A1,KHTNV\n2024,A2,HTNV\n"),
    ("ratings", "year,subject,rating\n2013,A3,HTXSNV\n2025,K6,HTXSNV\n"),
    ("awards", "year,subject,award,decision,date,based_on\n"
               "2024,A1,CSTDCS,QD-24/7,2024-12-20,\n"),
    ("awards", "year,subject,award,decision,date,based_on\n"
               "2025,L4,CSTDCS,QD-25/7,2025-12-20,SK-L4b\n"),
    ("people", "code,name,unit,category,joined\n"
               "A2,Trần Thị Bình,A,employee,2025-09-01\n"),
    ("units", "code,name,parent,kind,military\nA,Phân xưởng A,Z,workshop,1\n"),
    ("innovations", "code,kind,title,year,level,authors\n"
                    "SK-A1,initiative,Cải tiến mới,2025,ministry,A1\n"),
    ("incidents", "unit,date,severity,description\nA,2025-03-02,serious,Sự cố\n"),
    ("discipline", "subject,form,from,to\nA3,warning,2025-02-01,\n"),
    ("service", "person,from,to,kind,coefficient\nA1,2010-01-01,,hardship,2\n"),
]


def test_each_write_reaches_the_copy(tmp_path):
    db = org(tmp_path)
    path = db + "-elig-2025"
    before = doc(db)
    for i, (kind, text) in enumerate(WRITES):
        write(tmp_path / f"w{i}.csv", text)
        r = run("import", kind, str(tmp_path / f"w{i}.csv"), db=db)
        assert r.code == 0, (kind, r)
        after = doc(db)
        assert after != before, (kind, text)
        mine = open(path, "rb").read()
        out, made = fresh_copy(db)
        assert after == out, (kind, text)
        if copy_stamp(path) == stamp(db):  # written again: as a whole load
            assert rows(mine) == rows(made), (kind, text)
        assert doc(db) == after            # and again, from what was left
        before = after


def sql(db, *stmts):
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("BEGIN")
    for x in stmts:
        c.execute(x)
    c.execute("COMMIT")
    c.close()


def test_ratings_and_awards_written_by_sql(tmp_path):
    """Rows deleted and updated behind thidua's back reach the copy
    through the log's triggers, even with no generation replaced."""
    db = org(tmp_path)
    first = doc(db)
    path = db + "-elig-2025"
    kept = copy_stamp(path)
    # a rating of the year gone: the members are derived again, the copy
    # written back at the new stamp
    sql(db, "DELETE FROM ratings WHERE year = 2025 AND subject_id = "
            "(SELECT id FROM subjects WHERE code = 'A1')")
    after = doc(db)
    assert after != first and after == fresh(db)
    assert copy_stamp(path) == stamp(db) and copy_stamp(path)[1] == kept[1]
    # an award revoked and one moved to another year
    sql(db, "UPDATE awards SET revoked = 1 WHERE award = 'CSTDCS' AND "
            "subject_id = (SELECT id FROM subjects WHERE code = 'L2')",
            "UPDATE awards SET year = 2022 WHERE year = 2024 AND "
            "subject_id = (SELECT id FROM subjects WHERE code = 'L1')")
    again = doc(db)
    assert again != after and again == fresh(db)


def test_a_pruned_or_foreign_log_loads_whole(tmp_path):
    """A copy whose log row is gone (the store empties the log at a commit
    leaving more than 131,072 rows) or names another history is loaded
    whole, never patched wrongly."""
    db = org(tmp_path)
    doc(db)
    path = db + "-elig-2025"
    old = open(path, "rb").read()
    # 140,000 rows of the log behind thidua's back, then a write of
    # thidua's, whose commit empties the log
    sql(db, *["UPDATE ratings SET rating = rating"] * 1430)
    write(tmp_path / "r.csv", "year,subject,rating\n2025,A4,HTXSNV\n")
    assert run("import", "ratings", str(tmp_path / "r.csv"), db=db).code == 0
    with sqlite3.connect(db) as c:
        n, first = c.execute("SELECT COUNT(*), MIN(seq) FROM elig_log").fetchone()
    assert n < 10 and first > header(path)["seq"] + 131072
    after = doc(db)
    assert verdict(after, "A4", "LDTT") == "eligible"
    assert after == fresh(db)
    assert copy_stamp(path) == stamp(db)        # loaded whole, written
    # the old copy again, its log row's tag changed: another history
    open(path, "wb").write(old)
    seq = header(path)["seq"]
    sql(db, f"INSERT INTO elig_log (seq, tag, tbl, subject_id, year) "
            f"VALUES ({seq}, 7, 'r', 0, 2025) ON CONFLICT (seq) DO UPDATE "
            f"SET tag = 7")
    assert doc(db) == after
    assert copy_stamp(path) == stamp(db)


def test_another_table_written_rebases_the_copy(tmp_path):
    """A write of another table than ratings and awards (here a person
    added) loads those tables again but takes each subject's ratings and
    awards from the copy by its store id, without reading the two largest
    tables, and the people subject_log does not name since the copy from
    it too (store-elig.h: a rebase). Shown by a rating and a joining day
    planted in the copy: both are carried through the write, and the copy
    is written again at the new stamp; without the copy the store's rows
    are read."""
    db = org(tmp_path)
    first = doc(db)
    path = db + "-elig-2025"
    assert verdict(first, "A4", "LDTT") == "ineligible"
    assert verdict(first, "A1", "LDTT") == "eligible"
    set_rating(path, "A4", HTXSNV)
    set_person_joined(path, "A1", 2025, 9, 1)
    write(tmp_path / "p.csv", "code,name,unit,category,joined\n"
                              "A9,Ngô Văn Mới,A,employee,2020-01-01\n")
    assert run("import", "people", str(tmp_path / "p.csv"), db=db).code == 0
    after = doc(db)
    assert verdict(after, "A4", "LDTT") == "eligible"      # carried
    assert verdict(after, "A1", "LDTT") == "ineligible"    # carried
    assert verdict(after, "A9", "LDTT") == "ineligible"    # the new person
    assert copy_stamp(path) == stamp(db)
    assert doc(db) == after
    again = fresh(db)
    assert verdict(again, "A4", "LDTT") == "ineligible"
    assert verdict(again, "A1", "LDTT") == "eligible"


def test_a_rebase_reads_the_log_and_the_subjects_new_to_the_year(tmp_path):
    """Between two runs, ratings and awards written (the log) together with
    people: one who left before the year (every later subject's place in
    the arrays moves up), and one who joins the year whose ratings and
    awards were written while they were outside it (not in the copy: read
    again by index). The document is that of a run without the copy."""
    db = org(tmp_path)
    doc(db)

    def imp(kind, text):
        write(tmp_path / "w.csv", text)
        r = run("import", kind, str(tmp_path / "w.csv"), db=db)
        assert r.code == 0, (kind, r)

    imp("people", "code,name,unit,category,joined\n"
                  "Q1,Mai Văn Sau,B,employee,2026-02-01\n")
    imp("ratings", "year,subject,rating\n2024,Q1,HTXSNV\n2025,Q1,HTXSNV\n")
    imp("awards", "year,subject,award,decision,date,based_on\n"
                  "2024,Q1,LDTT,QD-24/9,2024-12-20,\n")
    before = doc(db)
    assert '"Q1"' not in before
    imp("ratings", "year,subject,rating\n2025,A4,HTXSNV\n2025,B2,KHTNV\n")
    imp("people", "code,name,unit,category,joined,left\n"
                  "A1,Nguyễn Văn An,A,employee,2010-01-01,2024-06-30\n"
                  "Q1,Mai Văn Sau,B,employee,2019-01-01,\n")
    after = doc(db)
    assert after == fresh(db)
    assert '"A1"' not in after
    assert verdict(after, "A4", "LDTT") == "eligible"
    assert verdict(after, "Q1", "LDTT") == "eligible"
    assert copy_stamp(path := db + "-elig-2025") == stamp(db), path


def test_random_writes_reach_the_copy(tmp_path):
    """Rebases, deltas and whole loads one after another: a fixed random
    sequence of writes (people hired, moved, leaving and coming back,
    units, ratings, awards, discipline, innovations, incidents), one to
    three between two runs; each document read through the copy is that of
    a run without it, and each copy written again has the same arrays as
    the one a run without it writes."""
    db = org(tmp_path)
    doc(db)
    rnd = random.Random(22)
    units = ["A", "B", "M", "N", "L", "K"]
    people = {c: u for c, u in [("A1", "A"), ("A2", "A"), ("A3", "A"),
                                ("B1", "B"), ("B2", "B"), ("K2", "K"),
                                ("L1", "L"), ("M1", "M")]}
    ratings = ["HTXSNV", "HTTNV", "HTNV", "KHTNV"]

    def imp(kind, text):
        write(tmp_path / "w.csv", text)
        r = run("import", kind, str(tmp_path / "w.csv"), db=db)
        assert r.code == 0, (kind, text, r)
        return f"{kind}: {text.splitlines()[1]}"

    def one(i):
        k = rnd.randrange(8)
        c = rnd.choice(sorted(people))
        if k == 0:                          # a hire
            c = f"R{i}"
            people[c] = rnd.choice(units)
            return imp("people", "code,name,unit,category,joined,sex\n"
                       f"{c},Người {i},{people[c]},employee,"
                       f"20{rnd.randrange(10, 26)}-0{rnd.randrange(1, 10)}-01,"
                       f"{rnd.choice(['male', 'female', ''])}\n")
        if k == 1:                          # a transfer
            people[c] = rnd.choice(units)
            return imp("people", "code,name,unit,category,joined,moved\n"
                       f"{c},Người {c},{people[c]},employee,2005-01-01,"
                       f"2025-0{rnd.randrange(1, 10)}-15\n")
        if k == 2:                          # leaving, or coming back
            left = rnd.choice(["2024-03-31", "2025-06-30", ""])
            return imp("people", "code,name,unit,category,joined,left\n"
                       f"{c},Người {c},{people[c]},employee,2005-01-01,"
                       f"{left}\n")
        if k == 3:
            return imp("ratings", "year,subject,rating\n"
                       f"{rnd.choice([2011, 2023, 2024, 2025])},{c},"
                       f"{rnd.choice(ratings)}\n")
        if k == 4:
            return imp("awards", "year,subject,award,decision,date,based_on\n"
                       f"{rnd.choice([2010, 2022, 2023, 2024])},{c},LDTT,"
                       f"QD-R{i},2024-12-20,\n")
        if k == 5:
            return imp("discipline", "subject,form,from,to\n"
                       f"{c},warning,2025-0{rnd.randrange(1, 10)}-01,\n")
        if k == 6:
            return imp("innovations", "code,kind,title,year,level,authors\n"
                       f"SK-R{i},initiative,Sáng kiến {i},2025,"
                       f"{rnd.choice(['base', 'ministry'])},{c}\n")
        if rnd.randrange(2):
            return imp("incidents", "unit,date,severity,description\n"
                       f"{rnd.choice(units)},2025-0{rnd.randrange(1, 10)}-02,"
                       f"{rnd.choice(['serious', 'minor'])},Sự cố {i}\n")
        return imp("units", "code,name,parent,kind,military\n"
                   f"{rnd.choice(units)},Đơn vị,Z,workshop,"
                   f"{rnd.randrange(2)}\n")

    path, rebuilt = db + "-elig-2025", 0
    for i in range(30):
        done = [one(i * 10 + j) for j in range(rnd.randrange(1, 4))]
        after = doc(db)
        written = copy_stamp(path) == stamp(db)
        mine = open(path, "rb").read()
        out, made = fresh_copy(db)
        assert after == out, done
        if written:                 # the same arrays as a whole load's
            rebuilt += 1
            assert rows(mine) == rows(made), done
    assert rebuilt >= 15
