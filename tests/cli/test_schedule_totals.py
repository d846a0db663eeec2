"""The schedule's progress from the maintained totals (progress_totals,
migration 0008, plus the rows of recent days) gives byte for byte the
document of the full scan (THIDUA_SCHED_FULLSCAN=1), on both backends,
over generated data: whole and fractional quantities, tasks done long
ago, recently, or after as_of, stalled tasks, re-imported rows with new
values, and a task whose quantity changed after its progress. And the
totals stay exact when a row is imported again with a new value."""
import datetime
import random
import sqlite3

from testbed import make_target, run, write

UNITS = """code,name,parent,kind
Z121,Nhà máy Z121,,enterprise
A1,Phân xưởng A1,Z121,workshop
"""
DAY0 = datetime.date(2025, 1, 1)


def day(n):
    return (DAY0 + datetime.timedelta(days=n)).isoformat()


def gen(seed, n=240):
    rnd = random.Random(seed)
    tasks, links, prog = [], [], {}
    for i in range(n):
        start = rnd.randrange(0, 120)
        dur = rnd.randrange(5, 40)
        qty = rnd.choice([rnd.randrange(1, 400), rnd.randrange(1, 400) + 0.5])
        tasks.append(f"K{i:04d},Task {i},A1,{qty},{day(start)},"
                     f"{day(start + dur - 1)},,,{i % 2}")
        if i and rnd.random() < 0.5:
            links.append(f"K{i:04d},K{rnd.randrange(0, i):04d},{i % 3}")
        rate = rnd.choice([1, 3, 7, 0.1, 2.25, 12])
        stop = start + rnd.randrange(0, 150)
        for d in range(start, stop):
            if rnd.random() < 0.8:
                prog[(i, d)] = rate
    return tasks, links, prog


def prog_csv(prog):
    return "task,date,quantity\n" + "".join(
        f"K{i:04d},{day(d)},{q}\n" for (i, d), q in sorted(prog.items()))


def load(db, tmp_path, tasks, links, prog):
    for kind, text in (("units", UNITS),
                       ("tasks", "code,name,unit,quantity,start,due,product,"
                        "customer,hard\n" + "\n".join(tasks) + "\n"),
                       ("task-links", "task,depends_on,lag_days\n" +
                        "\n".join(links) + "\n"),
                       ("progress", prog_csv(prog))):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r


def both_paths(db, as_of, window):
    args = ("schedule", "--as-of", as_of, "--window", window,
            "--format", "json")
    fast = run(*args, db=db)
    full = run(*args, db=db, env={"THIDUA_SCHED_FULLSCAN": "1"})
    assert fast.code == 0 and full.code == 0, (fast, full)
    return fast.out, full.out


def test_totals_path_matches_full_scan(backend, tmp_path):
    db = make_target(backend, tmp_path)
    assert run("init", db=db).code == 0
    tasks, links, prog = gen(7)
    load(db, tmp_path, tasks, links, prog)
    # Rows imported again with new values (some down, some up, some
    # fractional), and a task's quantity changed after its progress.
    rnd = random.Random(8)
    again = {k: rnd.choice([0, 1, 5, 0.3]) for k in rnd.sample(
        sorted(prog), 300)}
    r = run("import", "progress", write(tmp_path / "again.csv",
            prog_csv(again)), db=db)
    assert r.code == 0, r
    tasks[3] = tasks[3].replace(tasks[3].split(",")[3], "17", 1)
    r = run("import", "tasks", write(tmp_path / "t2.csv",
            "code,name,unit,quantity,start,due,product,customer,hard\n" +
            tasks[3] + "\n"), db=db)
    assert r.code == 0, r
    last = max(d for _, d in prog)
    seen = set()
    for as_of, window in ((last, 14), (last + 30, 14), (last - 10, 7),
                          (last - 55, 21), (100, 14), (20, 3), (-5, 14)):
        fast, full = both_paths(db, day(as_of), str(window))
        assert fast == full, (as_of, window)
        seen.add(fast)
    assert len(seen) == 7   # the dates do give different pictures
    assert '"done"' in fast


def test_totals_exact_after_reimport(tmp_path):
    db = make_target("sqlite", tmp_path)
    assert run("init", db=db).code == 0
    tasks = ["A,Task A,A1,10,2025-01-01,2025-01-10,,,0",
             "B,Task B,A1,5,2025-01-01,2025-01-10,,,0"]
    load(db, tmp_path, tasks, [], {})
    text = "task,date,quantity\nA,2025-01-01,4\nA,2025-01-02,4\n" \
        "A,2025-01-03,4\nB,2025-01-04,2\n"
    assert run("import", "progress", write(tmp_path / "p1.csv", text),
               db=db).code == 0
    text = "task,date,quantity\nA,2025-01-02,1\nA,2025-01-05,2.5\n"
    assert run("import", "progress", write(tmp_path / "p2.csv", text),
               db=db).code == 0
    con = sqlite3.connect(db)
    got = con.execute("SELECT t.code, total, first_day, last_day, rows, "
                      "inexact, finish_day, finish_qty FROM progress_totals "
                      "JOIN tasks t ON t.id = task_id ORDER BY t.code"
                      ).fetchall()
    want = con.execute("SELECT t.code, SUM(p.quantity), MIN(p.day), MAX(p.day), "
                       "COUNT(*) FROM progress p JOIN tasks t ON t.id = p.task_id "
                       "GROUP BY t.code ORDER BY t.code").fetchall()
    con.close()
    d0 = (DAY0 - datetime.date(1970, 1, 1)).days
    assert [g[:5] for g in got] == want
    # A: 4, 1, 4, 2.5 = 11.5, one fractional row, reached 10 on Jan 5.
    assert got[0] == ("A", 11.5, d0, d0 + 4, 4, 1, d0 + 4, 10.0)
    # B: 2 of 5, never finished.
    assert got[1] == ("B", 2.0, d0 + 3, d0 + 3, 1, 0, None, 5.0)
