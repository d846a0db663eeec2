"""A write of records reaches the columnar copy beside a SQLite database
(src/snapcache-col.h) without throwing it away: triggers (migration 0015)
log the subject of every records row written, by any writer, the sqlite3
shell included, and the next evaluation reads those subjects' rows again
and merges them into the copy's scan in key order (docs/movements.md,
"How a write reaches the copies"). The document is always that of a run
without a copy, byte for byte."""
import glob
import json
import os
import sqlite3

from testbed import (colfile_header as header, colfile_rows, run,
                     seed_big_movement, seed_movements as seed,
                     sqlite_shell as shell, table_count, table_triggers,
                     write)



def doc(db, mv="TDQT-2025"):
    r = run("evaluate", "--movement", mv, "--format", "json", db=db)
    assert r.code == 0, r
    return r.out


def fresh(db, mv="TDQT-2025"):
    """The document of a run without a records copy (put back after)."""
    segs = glob.glob(db + "-records.*")
    for s in segs:
        os.rename(s, s + ".keep")
    try:
        return doc(db, mv)
    finally:
        for s in glob.glob(db + "-records.*"):
            if not s.endswith(".keep"):
                os.unlink(s)
        for s in segs:
            os.replace(s + ".keep", s)


def last_log(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT seq, tag FROM records_log ORDER BY seq DESC "
                         "LIMIT 1").fetchone()


def rows(db):
    out = []
    for seg in sorted(glob.glob(db + "-records.[0-9]")):
        out += colfile_rows(seg)
    return out


def table(db):
    with sqlite3.connect(db) as c:
        return [tuple(r) for r in c.execute(
            "SELECT subject_id, metric_id, day, value FROM records "
            "ORDER BY subject_id, metric_id, day")]


def test_every_writer_reaches_the_copy(sqlite_db, tmp_path):
    db = sqlite_db
    seed(db)
    first = doc(db)
    seg = db + "-records.0"
    made = header(seg)
    assert made["magic"] == b"THIDUAR2"
    assert (made["seq"], made["tag"]) == last_log(db)
    with sqlite3.connect(db) as c:
        px2 = c.execute("SELECT id FROM subjects WHERE code = 'PX2'").fetchone()[0]
        px3 = c.execute("SELECT id FROM subjects WHERE code = 'PX3'").fetchone()[0]
        out = c.execute("SELECT id FROM metrics WHERE code = 'output'").fetchone()[0]
    def imported():
        write(tmp_path / "r.csv", "subject,metric,date,value\n"
              "PX2,output,2025-10-01,25\nPX3,output,2025-03-31,7\n")
        assert run("import", "records", tmp_path / "r.csv", db=db).code == 0

    writes = [
        # thidua: a new row and one written again with another value
        imported,
        # the sqlite3 shell, without replacing the generation
        lambda: shell(db, f"INSERT INTO records VALUES ({px3}, {out}, 20300, 11)"),
        lambda: shell(db, f"UPDATE records SET value = value + 1 "
                      f"WHERE subject_id = {px2} AND metric_id = {out}"),
        lambda: shell(db, f"DELETE FROM records WHERE subject_id = {px3} "
                      f"AND day = 20300"),
        lambda: shell(db, f"INSERT INTO records VALUES ({px2}, {out}, 20400, 3) "
                      f"ON CONFLICT DO UPDATE SET value = 4"),
        lambda: shell(db, f"INSERT INTO records VALUES ({px2}, {out}, 20400, 3) "
                      f"ON CONFLICT DO UPDATE SET value = excluded.value + 5"),
    ]
    docs = [first]
    for w in writes:
        before = last_log(db)
        w()
        assert last_log(db) != before      # the trigger logged the write
        now = doc(db)
        assert now == fresh(db)
        docs.append(now)
        # brought up to date in memory: the file is the one made first
        # (a few subjects behind; rewritten from 4,096 on)
        assert header(seg)["seq"] == made["seq"]
    assert len(set(docs)) == len(docs)     # every write changed the document
    assert doc(db) == docs[-1]


def test_log_gone_or_stamp_replaced_by_hand(sqlite_db, tmp_path):
    """A copy the log does not reach back to is made again whole: the log
    emptied (as the store does past its limit), or the generation
    replaced by hand with no row logged."""
    db = sqlite_db
    seed(db)
    doc(db)
    seg = db + "-records.0"
    with sqlite3.connect(db) as c:
        px2 = c.execute("SELECT id FROM subjects WHERE code = 'PX2'").fetchone()[0]
    shell(db, f"UPDATE records SET value = 1 WHERE subject_id = {px2}; "
          "DELETE FROM records_log; "
          "INSERT INTO records_log (subject_id) VALUES (0)")
    now = doc(db)
    assert (header(seg)["seq"], header(seg)["tag"]) == last_log(db)
    assert now == fresh(db)
    assert rows(db) == table(db)
    # the generation replaced by hand (docs/movements.md: a write with the
    # triggers off must do it): nothing logged, the copy is made again
    gen = header(seg)["gen"]
    c = sqlite3.connect(db)
    c.executescript("DROP TRIGGER records_log_upd;"
                    f"UPDATE records SET value = 2 WHERE subject_id = {px2};"
                    "UPDATE generations SET n = random() WHERE name = 'records';")
    c.close()
    assert doc(db) == fresh(db)
    assert header(seg)["gen"] != gen and rows(db) == table(db)


def test_big_write_rewrites_two_segments(sqlite_db, tmp_path):
    """Two segments (enough participants for the split load); a write of
    more than 4,096 subjects, in both segments' ranges, is merged into a
    new copy made at the log's last row: its rows are the table's."""
    db = sqlite_db
    n = 5000
    seed_big_movement(db, tmp_path, n=n, records_of=lambda i, code: [
        f"{code},out,2025-03-0{1 + i % 9},{i % 70}.1",
        f"{code},q,2025-02-01,{i % 13}",
        f"{code},q,2025-11-30,{i % 11}"])
    doc(db, "BIG-2025")
    h0, h1 = header(db + "-records.0"), header(db + "-records.1")
    assert h0["nseg"] == 2 and h0["hi"] == h1["lo"]
    # a few subjects in each segment: merged while reading, file kept
    shell(db, "UPDATE records SET value = value * 2 WHERE subject_id IN "
          "(SELECT id FROM subjects WHERE code IN ('N00000', 'N02500', 'N04999'))")
    assert doc(db, "BIG-2025") == fresh(db, "BIG-2025")
    assert header(db + "-records.1")["seq"] == h1["seq"]
    # a new day for 4,500 people (some new keys between existing ones, a
    # q row moved to a later day): the merged rows make a new copy
    day = ["subject,metric,date,value"]
    for i in range(0, n, 10):
        day += [f"N{i + k:05d},out,2025-03-05,{k}.25" for k in range(9)]
    write(tmp_path / "day.csv", "\n".join(day) + "\n")
    assert run("import", "records", tmp_path / "day.csv", db=db).code == 0
    shell(db, "UPDATE records SET day = day + 1 WHERE metric_id = "
          "(SELECT id FROM metrics WHERE code = 'q') AND subject_id % 7 = 0 "
          "AND day > 20400")
    after = doc(db, "BIG-2025")
    for s in (0, 1):
        h = header(f"{db}-records.{s}")
        assert (h["seq"], h["tag"]) == last_log(db)
        assert (h["lo"], h["hi"]) == ((h0["lo"], h0["hi"]), (h1["lo"], h1["hi"]))[s]
    assert rows(db) == table(db)
    assert after == fresh(db, "BIG-2025")
    assert doc(db, "BIG-2025") == after
    res = {x["subject"]: x for x in json.loads(after)["results"]}
    crit = {c["criterion"]: c for c in res["N00010"]["criteria"]}
    assert crit["out"]["actual"] == 10.1 + 0.25        # k = 0 on its day


def triggers(db):
    return table_triggers(db, "records")


def log_count(db):
    return table_count(db, "records_log")


def test_first_load_into_an_empty_table_is_not_logged(sqlite_db, tmp_path):
    """A load of 4,096 rows or more into an empty records table drops the
    log's triggers for the load and makes them again in its transaction,
    the log cut to one row of a new tag (docs/movements.md): nothing a
    copy could use is lost, any copy is made again whole, and the next
    writes are logged as before; a big load into a table that has rows is
    logged row by row."""
    db = sqlite_db
    seed(db)
    doc(db)                                     # a copy of 8 rows
    shell(db, "DELETE FROM records;")
    kept = triggers(db)
    assert [n for n, _ in kept] == ["records_log_del", "records_log_ins",
                                    "records_log_upd"]
    seq0, tag0 = last_log(db)
    lines = ["subject,metric,date,value"]
    for day in range(730):                      # 2024 and 2025
        d = f"{2024 + day // 365}-{1 + (day % 365) // 31 % 12:02d}-" \
            f"{1 + (day % 365) % 28:02d}"
        for s in ("PX1", "PX2", "PX3", "PKT"):
            lines.append(f"{s},output,{d},{day % 97}")
            lines.append(f"{s},defects,{d},{day % 5}")
    csv = tmp_path / "big.csv"
    csv.write_text("\n".join(lines) + "\n")
    r = run("import", "records", str(csv), db=db)
    assert r.code == 0, r
    assert triggers(db) == kept
    assert log_count(db) == 1
    seq1, tag1 = last_log(db)
    assert seq1 >= seq0 and tag1 != tag0
    assert doc(db) == fresh(db)
    assert rows(db) == table(db)
    # the triggers are back: a one-row write is logged and merged
    write(tmp_path / "one.csv", "subject,metric,date,value\n"
          "PX2,output,2025-06-01,12345\n")
    r = run("import", "records", str(tmp_path / "one.csv"), db=db)
    assert r.code == 0, r
    assert log_count(db) == 2
    assert doc(db) == fresh(db)
    # a big load into a table with rows: logged row by row
    r = run("import", "records", str(csv), db=db)
    assert r.code == 0, r
    assert log_count(db) == 2 + len(lines) - 1
    assert doc(db) == fresh(db)
    assert rows(db) == table(db)
