"""A write of targets reaches a movement's columnar targets copy beside a
SQLite database (src/snapcache-col.h) without throwing it away: triggers
(migration 0025) log the movement and subject of every targets row
written, by any writer, the sqlite3 shell included, and the next
evaluation reads those subjects' targets of the movement again and merges
them into the copy's scan in subject order (docs/movements.md, "How a
write reaches the copies"). The document is always that of a run without
a copy, byte for byte."""
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


def copies(db):
    return sorted(glob.glob(db + "-targets-*.[0-9]"))


def fresh(db, mv="TDQT-2025"):
    """The document of a run without a targets copy (put back after)."""
    segs = copies(db)
    for s in segs:
        os.rename(s, s + ".keep")
    try:
        return doc(db, mv)
    finally:
        for s in copies(db):
            os.unlink(s)
        for s in segs:
            os.replace(s + ".keep", s)


def same(a, b):
    """a == b, told cheaply: pytest's diff of two documents of thousands
    of subjects takes minutes."""
    if a == b:
        return True
    i = next(k for k in range(min(len(a), len(b)) + 1)
             if k == min(len(a), len(b)) or a[k] != b[k])
    print("documents differ at", i, repr(a[i - 80:i + 80]),
          repr(b[i - 80:i + 80]))
    return False


def last_log(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT seq, tag FROM targets_log ORDER BY seq DESC "
                         "LIMIT 1").fetchone()


def ids(db, *codes):
    with sqlite3.connect(db) as c:
        return [c.execute("SELECT id FROM subjects WHERE code = ?",
                          (code,)).fetchone()[0] for code in codes]


def mv_id(db, code):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT id FROM movements WHERE code = ?",
                         (code,)).fetchone()[0]


def rows(db, mv):
    out = []
    for seg in sorted(glob.glob(f"{db}-targets-{mv}.[0-9]")):
        out += colfile_rows(seg)
    return out


def triggers(db):
    return table_triggers(db, "targets")


def log_count(db):
    return table_count(db, "targets_log")


SECOND_MV = """code: KT-2025
name: {vi: "Thi đua kỹ thuật 2025", en: "Engineering 2025"}
kind: regular
start: 2025-01-01
end: 2025-12-31
scope: Z121
subjects: unit
group_by: bloc
criteria:
  - {code: output, metric: output, aggregate: sum, weight: 100, scoring: {ratio: {cap: 1.2}}}
"""


def test_every_writer_reaches_the_copy(sqlite_db, tmp_path):
    db = sqlite_db
    seed(db)
    write(tmp_path / "kt.yaml", SECOND_MV)
    assert run("movement", "load", tmp_path / "kt.yaml", db=db).code == 0
    write(tmp_path / "kt.csv", "movement,subject,criterion,target\n"
          "KT-2025,PX1,output,10\nKT-2025,PX2,output,20\n")
    assert run("import", "targets", tmp_path / "kt.csv", db=db).code == 0
    first = doc(db)
    mv = mv_id(db, "TDQT-2025")
    seg = f"{db}-targets-{mv}.0"
    made = header(seg)
    assert made["magic"] == b"THIDUAR2" and made["nseg"] == 1
    assert made["seq"] == last_log(db)[0]
    assert made["tag"] != last_log(db)[1]    # mixed with the movement's id
    px1, px2, px3, pkh = ids(db, "PX1", "PX2", "PX3", "PKH")
    kt = mv_id(db, "KT-2025")

    def imported():
        # thidua: a target written again with another value, a new
        # candidate (PKH had none), a new criterion for PX3
        write(tmp_path / "t.csv", "movement,subject,criterion,target\n"
              "TDQT-2025,PX2,output,650\nTDQT-2025,PKH,output,300\n"
              "TDQT-2025,PX3,defects,1\n")
        assert run("import", "targets", tmp_path / "t.csv", db=db).code == 0

    writes = [
        imported,
        # the sqlite3 shell, without replacing the generation
        lambda: shell(db, f"UPDATE targets SET target = target + 1 WHERE "
                      f"movement_id = {mv} AND subject_id = {px1}"),
        lambda: shell(db, f"DELETE FROM targets WHERE movement_id = {mv} "
                      f"AND subject_id = {px3} AND criterion = 'output'"),
        # every target of a subject gone: no longer a candidate
        lambda: shell(db, f"DELETE FROM targets WHERE movement_id = {mv} "
                      f"AND subject_id = {pkh}"),
        lambda: shell(db, f"INSERT INTO targets VALUES ({mv}, {pkh}, "
                      f"'output', 90) ON CONFLICT DO UPDATE SET target = 91"),
        lambda: shell(db, f"INSERT INTO targets VALUES ({mv}, {pkh}, "
                      f"'output', 90) ON CONFLICT DO UPDATE SET "
                      f"target = excluded.target + 5"),
        # a row moved from one subject to another
        lambda: shell(db, f"UPDATE targets SET subject_id = {pkh} WHERE "
                      f"movement_id = {mv} AND subject_id = {px1} AND "
                      f"criterion = 'defects'"),
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
        assert header(seg)["seq"] == made["seq"]
    assert len(set(docs)) == len(docs)     # every write changed the document
    # another movement's targets: this one's document and file as they were
    kt_doc = doc(db, "KT-2025")
    shell(db, f"UPDATE targets SET target = 15 WHERE movement_id = {kt}")
    assert doc(db) == docs[-1] and header(seg)["seq"] == made["seq"]
    assert doc(db, "KT-2025") == fresh(db, "KT-2025") != kt_doc
    res = {x["subject"]: x for x in json.loads(docs[-1])["results"]}
    crit = {c["criterion"]: c["target"] for c in res["PKH"]["criteria"]}
    assert crit["defects"] == 1 and crit["output"] == 95  # PX1's, +1; 90 + 5
    crit = {c["criterion"]: c["target"] for c in res["PX1"]["criteria"]}
    assert crit["defects"] is None and crit["output"] == 1001


def test_log_gone_or_stamp_replaced_by_hand(sqlite_db):
    """A copy the log does not reach back to is made again whole: the log
    emptied (as the store does past its limit), or the generation
    replaced by hand with no row logged."""
    db = sqlite_db
    seed(db)
    doc(db)
    mv = mv_id(db, "TDQT-2025")
    seg = f"{db}-targets-{mv}.0"
    px2, = ids(db, "PX2")
    shell(db, f"UPDATE targets SET target = 1 WHERE subject_id = {px2}; "
          "DELETE FROM targets_log; "
          "INSERT INTO targets_log (movement_id, subject_id) VALUES (0, 0)")
    now = doc(db)
    assert header(seg)["seq"] == last_log(db)[0]
    assert now == fresh(db)
    # the generation replaced by hand (docs/movements.md: a write with the
    # triggers off must do it): nothing logged, the copy is made again
    gen = header(seg)["gen"]
    c = sqlite3.connect(db)
    c.executescript("DROP TRIGGER targets_log_upd;"
                    f"UPDATE targets SET target = 2 WHERE subject_id = {px2};"
                    "UPDATE generations SET n = random() WHERE name = 'targets';")
    c.close()
    assert doc(db) == fresh(db)
    assert header(seg)["gen"] != gen
    assert [r[3] for r in rows(db, mv) if r[0] == px2] == [2.0]


def test_a_new_version_makes_the_copy_again(sqlite_db, tmp_path):
    """The stored criterion indices are those of the version the copy was
    made for: a copy of another version is not brought up to date (its
    mixed tag matches no row of the log), it is made again."""
    db = sqlite_db
    seed(db)
    doc(db)
    mv = mv_id(db, "TDQT-2025")
    seg = f"{db}-targets-{mv}.0"
    made = header(seg)
    px1, = ids(db, "PX1")
    text = open(os.path.join(os.path.dirname(__file__), "..", "data",
                             "movements", "tdqt.yaml"), encoding="utf-8").read()
    # the criteria in another order: defects first
    a, b = text.index("  - code: output"), text.index("  - code: defects")
    c = text.index("  - code: safety")
    write(tmp_path / "v2.yaml", text[:a] + text[b:c] + text[a:b] + text[c:])
    r = run("movement", "load", tmp_path / "v2.yaml", db=db)
    assert r.code == 0, r
    shell(db, f"UPDATE targets SET target = 1200 WHERE subject_id = {px1} "
          "AND criterion = 'output'")
    now = doc(db)
    assert now == fresh(db)
    assert header(seg)["seq"] == last_log(db)[0] != made["seq"]


def test_two_segments_merged_then_made_again(sqlite_db, tmp_path):
    """Two segments (enough candidates for the split load); a write in
    both segments' ranges is merged while reading, the files kept; a
    write of more than 4,096 of the movement's subjects makes the copy
    again whole."""
    db = sqlite_db
    n = 5000
    seed_big_movement(db, tmp_path, n=n, records_of=lambda i, code: [
        f"{code},out,2025-03-0{1 + i % 9},{i % 70}.1",
        f"{code},q,2025-11-30,{i % 11}"])
    first = doc(db, "BIG-2025")
    mv = mv_id(db, "BIG-2025")
    h0, h1 = (header(f"{db}-targets-{mv}.{s}") for s in (0, 1))
    assert h0["nseg"] == 2 and h0["hi"] == h1["lo"]
    shell(db, "UPDATE targets SET target = target * 2 WHERE subject_id IN "
          "(SELECT id FROM subjects WHERE code IN ('N00000', 'N02500', "
          "'N04999'))")
    shell(db, "DELETE FROM targets WHERE criterion = 'last' AND subject_id = "
          "(SELECT id FROM subjects WHERE code = 'N03000')")
    after = doc(db, "BIG-2025")
    assert same(after, fresh(db, "BIG-2025")) and after != first
    for s, h in ((0, h0), (1, h1)):
        assert header(f"{db}-targets-{mv}.{s}")["seq"] == h["seq"]
    res = {x["subject"]: x for x in json.loads(after)["results"]}
    crit = {c["criterion"]: c for c in res["N02500"]["criteria"]}
    assert crit["out"]["target"] == 2 * (100 + 2500 % 50)
    # 4,500 subjects written: made again whole at the log's last row. The
    # import ran with the log's triggers off (more than 4,096 subjects:
    # no copy could be brought up to date with it), made them again and
    # cut the log to one row of a new tag
    kept = triggers(db)
    lines = ["movement,subject,criterion,target"]
    lines += [f"BIG-2025,N{i:05d},out,{7 + i % 3}" for i in range(0, 4500)]
    write(tmp_path / "many.csv", "\n".join(lines) + "\n")
    before = last_log(db)
    assert run("import", "targets", tmp_path / "many.csv", db=db).code == 0
    assert triggers(db) == kept and log_count(db) == 1
    assert last_log(db)[0] >= before[0] and last_log(db)[1] != before[1]
    again = doc(db, "BIG-2025")
    assert same(again, fresh(db, "BIG-2025"))
    for s in (0, 1):
        assert header(f"{db}-targets-{mv}.{s}")["seq"] == last_log(db)[0]
    with sqlite3.connect(db) as c:
        table = [tuple(r) for r in c.execute(
            "SELECT subject_id, criterion, target FROM targets WHERE "
            "movement_id = ? ORDER BY subject_id, criterion", (mv,))]
    crits = {"out": 0, "last": 1}
    assert [(r[0], r[1], r[3]) for r in rows(db, mv)] == \
        [(s, crits[k], t) for s, k, t in table]
