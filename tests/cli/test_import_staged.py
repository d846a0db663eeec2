"""Staged imports on PostgreSQL. A batch of 32 rows or more of units,
discipline, incidents, service, indicators, tasks, task links, progress,
innovations or pledges goes by COPY into a staging table and is written
by a few set-based statements (store-import.c: write_units_staged,
write_staged, write_innovations_staged; store-movement.c: stage_kind),
not a round trip a row; SQLite, and smaller batches, go row by row.
Whatever the path, a sequence of imports must leave what row by row
leaves: the same rows, the same ids in the same order (new codes get
theirs as row by row gives them), the last of a key's rows winning, a
unit's empty military mark taken from its parent as it is when the unit
is written, and a file as stored writing nothing (no generation moves)."""

from testbed import CAMPAIGN, make_target, query, run, write

UHEAD = "code,name,parent,kind,bloc,military\n"

# Children before their parents; a military workshop (M) whose teams take
# its mark unless they give one; blocs; an empty kind (other).
UNITS1 = UHEAD + "".join(
    [f"T{i:02d},Tổ {i},{'W' + str(i % 6)},team,,{'0' if i % 7 == 0 else ''}\n"
     for i in range(30)]
    + [f"W{w},Phân xưởng {w},{'M' if w == 5 else 'Z'},{'workshop' if w % 2 else ''},"
       f"{'B' + str(w) if w % 3 == 0 else ''},\n" for w in range(6)]
    + ["M,Khối quân sự,Z,department,,1\n", "Z,Nhà máy,,enterprise,,\n"])

# No unit twice: renames, moves (to a military parent and away from one,
# the mark then taken from the new parent), M no longer military with
# only some of its subtree listed, blocs cleared, kinds given and cleared,
# rows as stored, and new units under stored and new parents.
UNITS2 = UHEAD + "".join(
    [f"T{i:02d},Tổ {i},W5,team,,\n" for i in range(0, 6)]             # moved under W5
    + [f"T{i:02d},Tổ {i} (mới),{'W' + str(i % 6)},team,,\n" for i in range(6, 12)]
    + [f"T{i:02d},Tổ {i},{'W' + str(i % 6)},team,,{'0' if i % 7 == 0 else ''}\n"
       for i in range(12, 20)]                                       # as stored
    + ["W5,Phân xưởng 5,M,workshop,,\n", "M,Khối quân sự,Z,department,,0\n",
       "W3,Phân xưởng 3,Z,,,\n", "W0,Phân xưởng 0,Z,workshop,X,\n"]
    + [f"N{i:02d},Mới {i},{'N00' if i else 'W5'},team,,\n" for i in range(1, 8)]
    + ["N00,Mới 0,W5,workshop,,\n"]
    + [f"S{i:02d},Tổ mới {i},{'W' + str(i % 6)},,,\n" for i in range(6)])

# A unit twice (row by row on PostgreSQL too): the second row wins.
UNITS3 = UHEAD + "".join(
    ["T20,Tổ 20 lần 1,W1,team,,\n"]
    + [f"R{i:02d},Tổ R{i},W{i % 6},team,,\n" for i in range(35)]
    + ["T20,Tổ 20 lần 2,W2,team,,1\n"])

UNIT_IDS = "SELECT code FROM subjects WHERE kind = 'unit' ORDER BY id"
GENERATIONS = "SELECT name || '=' || n FROM generations ORDER BY name"


def export(db, kind):
    r = run("export", kind, db=db)
    assert r.code == 0, r
    return r.out


def test_staged_units_leave_what_row_by_row_leaves(tmp_path):
    seen = {}
    for backend in ("sqlite", "pg"):
        db = make_target(backend, tmp_path)
        assert run("init", db=db).code == 0
        out = []
        for i, text in enumerate((UNITS1, UNITS2, UNITS3)):
            r = run("import", "units", write(tmp_path / f"u{i}.csv", text), db=db)
            assert r.code == 0, r
            out.append((export(db, "units"), query(db, UNIT_IDS)))
            # the same file again: every row as stored, nothing written
            # (but the third, whose T20's first row is not)
            gens = query(db, GENERATIONS)
            r = run("import", "units", write(tmp_path / f"u{i}.csv", text), db=db)
            assert r.code == 0, r
            assert i == 2 or query(db, GENERATIONS) == gens, (backend, i)
            assert export(db, "units") == out[-1][0]
        seen[backend] = out
    assert seen["pg"] == seen["sqlite"]
    first, second, third = (x[0] for x in seen["pg"])
    # a team takes its military parent's mark, unless it gives its own
    assert "T05,Tổ 5,W5,team,,1\n" in first and "T07,Tổ 7,W1,team,,0\n" in first
    assert "W5,Phân xưởng 5,M,workshop,,1\n" in first
    assert "W4,Phân xưởng 4,Z,other,,0\n" in first
    # M no longer military: W5 (listed after it) takes 0, and so do the
    # teams moved under W5 (listed before it, written after it), and T17,
    # listed as it was; T23, stored under W5 and not listed, keeps its 1
    assert "M,Khối quân sự,Z,department,,0\n" in second
    assert "W5,Phân xưởng 5,M,workshop,,0\n" in second
    assert "T00,Tổ 0,W5,team,,0\n" in second and "N03,Mới 3,N00,team,,0\n" in second
    assert "T17,Tổ 17,W5,team,,0\n" in second
    assert "T23,Tổ 23,W5,team,,1\n" in second
    assert "W0,Phân xưởng 0,Z,workshop,X,0\n" in second
    assert "W3,Phân xưởng 3,Z,other,,0\n" in second
    assert "T20,Tổ 20 lần 2,W2,team,,1\n" in third
    # new codes got their ids parents first, as row by row gives them
    ids = seen["pg"][0][1]
    assert ids.index("Z") < ids.index("M") < ids.index("W5") < ids.index("T05")


# Rows of the other staged kinds, keys repeated (the last row wins) and
# stored rows updated by the second file.
def staged_files(n=40):
    units = UHEAD + "Z,Nhà máy,,enterprise,,\n" + "".join(
        f"W{w},Phân xưởng {w},Z,workshop,,\n" for w in range(4))
    people = "code,name,unit,category,joined\n" + "".join(
        f"P{i:02d},Người {i},W{i % 4},employee,2015-01-01\n" for i in range(n))
    disc = ["subject,form,from,to\n" + "".join(
        f"P{i % 30:02d},{('reprimand', 'warning', 'pending')[i % 3]},2024-0{1 + i % 5}-01,"
        f"{'' if i % 4 else '2024-12-31'}\n" for i in range(n)),
        "subject,form,from,to\n" + "".join(
        f"P{i % 30:02d},{('reprimand', 'warning', 'pending')[i % 3]},2024-0{1 + i % 5}-01,"
        f"2025-0{1 + i % 9}-15\n" for i in range(n))]
    inc = ["unit,date,severity,description\n" + "".join(
        f"W{i % 4},2024-0{1 + i % 9}-1{i % 7},{('minor', 'serious')[i % 2]},"
        f"\"Sự cố {i}, kho\"\n" for i in range(n)),
        "unit,date,severity,description\n" + "".join(
        f"W{i % 4},2024-0{1 + i % 9}-1{i % 7},serious,{'' if i % 2 else 'Lần 2'}\n"
        for i in range(n))]
    ind = ["year,unit,indicator,value\n" + "".join(
        f"{2020 + i % 5},W{i % 4},{('revenue', 'profit')[i % 2]},{i * 1.5}\n"
        for i in range(n)),
        "year,unit,indicator,value\n" + "".join(
        f"{2020 + i % 5},W{i % 4},{('revenue', 'profit')[i % 2]},{i * 1e-3:.7g}\n"
        for i in range(n))]
    tasks = ["code,name,unit,quantity,start,due,product,customer,hard\n" + "".join(
        f"K{(i * 7) % 35:02d},Việc {i},W{i % 4},{100 + i},2024-01-0{1 + i % 9},"
        f"2024-03-{10 + i % 18},{'SP' + str(i) if i % 3 else ''},,{'' if i % 2 else '1'}\n"
        for i in range(n)),
        "code,name,unit,quantity,start,due,product,customer,hard\n" + "".join(
        f"K{(i * 11) % 45:02d},Việc {i} (sửa),W{(i + 1) % 4},{50.5 + i},2024-02-01,"
        f"2024-04-01,,Z1{i},0\n" for i in range(45))]
    links = ["task,depends_on,lag_days\n" + "".join(
        f"K{i % 34 + 1:02d},K{i % 34:02d},{'' if i % 3 else i}\n" for i in range(n)),
        "task,depends_on,lag_days\n" + "".join(
        f"K{i % 34 + 1:02d},K{i % 34:02d},{i % 5}\n" for i in range(n))]
    prog = ["task,date,quantity\n" + "".join(
        f"K{i % 12:02d},2024-01-{1 + i % 20:02d},{i + 0.25}\n" for i in range(n)),
        "task,date,quantity\n" + "".join(
        f"K{i % 12:02d},2024-01-{1 + i % 25:02d},{i * 2}\n" for i in range(n))]
    svc = ["person,from,to,kind,coefficient\n" + "".join(
        f"P{i % 30:02d},20{10 + i % 3}-01-01,{'' if i % 2 else '2019-12-31'},"
        f"{('hardship', 'combat', 'normal')[i % 3]},{'' if i % 4 else '1.5'}\n"
        for i in range(n)),
        "person,from,to,kind,coefficient\n" + "".join(
        f"P{i % 30:02d},20{10 + i % 3}-01-01,,{('normal', 'hardship')[i % 2]},"
        f"{'' if i % 3 else '0.75'}\n" for i in range(n))]
    return units, people, [("discipline", disc), ("incidents", inc),
                           ("service", svc),
                           ("indicators", ind), ("tasks", tasks),
                           ("task-links", links), ("progress", prog)]


TASK_IDS = "SELECT code FROM tasks ORDER BY id"
TOTALS = ("SELECT t.code || ':' || p.total || ':' || p.first_day || ':' || "
          "p.last_day || ':' || p.rows || ':' || COALESCE(p.finish_day, -1) "
          "FROM progress_totals p JOIN tasks t ON t.id = p.task_id ORDER BY t.code")


def organisation(backend, tmp_path):
    """A new database of backend with staged_files' units and people."""
    units, people, _ = staged_files()
    db = make_target(backend, tmp_path)
    assert run("init", db=db).code == 0
    for kind, text in (("units", units), ("people", people)):
        r = run("import", kind, write(tmp_path / f"{kind}.csv", text), db=db)
        assert r.code == 0, r
    return db


def test_staged_rows_leave_what_row_by_row_leaves(tmp_path):
    kinds = staged_files()[2]
    seen = {}
    for backend in ("sqlite", "pg"):
        db = organisation(backend, tmp_path)
        out = []
        for kind, files in kinds:
            for i, text in enumerate(files):
                r = run("import", kind, write(tmp_path / f"{kind}{i}.csv", text),
                        db=db)
                assert r.code == 0, (kind, r)
                out.append((kind, i, export(db, kind)))
        out.append(("ids", query(db, TASK_IDS)))
        out.append(("totals", query(db, TOTALS)))
        seen[backend] = out
    assert seen["pg"] == seen["sqlite"]
    got = {(x[0], x[1]): x[2] for x in seen["pg"] if len(x) == 3}
    # the last of a key's rows won, over both files (a model of both kinds)
    for kind, nkey in (("discipline", 3), ("incidents", 2)):
        want = {}
        for text in dict(kinds)[kind]:
            for line in text.splitlines()[1:]:
                cells = line.replace('"Sự cố', 'Sự cố').replace(', kho"', ' kho').split(",")
                want[tuple(cells[:nkey])] = cells
        body = got[(kind, 1)].replace('"Sự cố', 'Sự cố').replace(', kho"', ' kho')
        assert sorted(body.splitlines()[1:]) == sorted(",".join(c) for c in want.values())
    assert "K07,Việc 36,W0,136," in got[("tasks", 0)]
    assert "K07,Việc 1," not in got[("tasks", 0)]


def innovation_files(n=40):
    head = "code,kind,title,year,level,authors,benefit\n"
    kinds, levels = ("initiative", "research", "mechanisation"), ("base", "ministry", "national")
    first = head + "".join(
        f"SK{(i * 7) % 36:02d},{kinds[i % 3]},Sáng kiến {i},{2020 + i % 6},{levels[i % 3]},"
        f"P{i % 40:02d};P{(i * 3) % 40:02d};P{i % 40:02d},{'' if i % 4 else i * 1000}\n"
        for i in range(n))
    # authors replaced, dropped to one, benefits cleared, new codes
    second = head + "".join(
        f"SK{(i * 5) % 45:02d},{kinds[(i + 1) % 3]},Sáng kiến {i} (sửa),{2021 + i % 5},"
        f"{levels[(i + 2) % 3]},P{(i * 7) % 40:02d}{'' if i % 3 else ';P00'},"
        f"{'' if i % 2 else i}\n" for i in range(n))
    return first, second


INNOV_IDS = "SELECT code FROM innovations ORDER BY id"
AUTHORS = ("SELECT i.code || ':' || s.code || ':' || a.pos FROM innovation_authors a "
           "JOIN innovations i ON i.id = a.innovation_id "
           "JOIN subjects s ON s.id = a.person_id ORDER BY i.code, a.pos")


def test_staged_innovations_leave_what_row_by_row_leaves(tmp_path):
    seen = {}
    for backend in ("sqlite", "pg"):
        db = organisation(backend, tmp_path)
        out = []
        for i, text in enumerate(innovation_files()):
            r = run("import", "innovations", write(tmp_path / f"i{i}.csv", text), db=db)
            assert r.code == 0, r
            out.append((export(db, "innovations"), query(db, INNOV_IDS),
                        query(db, AUTHORS)))
        seen[backend] = out
    assert seen["pg"] == seen["sqlite"]
    first = seen["pg"][0][2]
    # SK07 is on the rows of i = 1 and i = 37, whose authors are
    # P37;P31;P37: the last row wins, and a person twice is an author once
    assert [x for x in first if x.startswith("SK07:")] == ["SK07:P37:0", "SK07:P31:1"]
    assert [x for x in first if x.startswith("SK00:")] == ["SK00:P36:0", "SK00:P28:1"]


# testbed's campaign, over staged_files' organisation
PLEDGE_MOVEMENT = CAMPAIGN.replace("scope: Z121", "scope: Z")


def test_staged_pledges_leave_what_row_by_row_leaves(tmp_path):
    """Pledges (store-movement.c, stage_kind): 32 rows or more by COPY and
    one merge on PostgreSQL, the last of a subject's rows winning."""
    head = "movement,subject,award,by,note\n"
    files = [head + "".join(
        f"DK-Q3-2025,P{i % 36:02d},{'' if i % 3 else 'LDTT'},{'' if i % 2 else '2025-11-30'},"
        f"{'Đăng ký lần ' + str(i) if i % 4 else ''}\n" for i in range(40)),
        head + "".join(f"DK-Q3-2025,P{(i * 7) % 40:02d},CSTDCS,2025-12-{1 + i % 28:02d},\n"
                       for i in range(40))]
    seen = {}
    for backend in ("sqlite", "pg"):
        db = organisation(backend, tmp_path)
        r = run("movement", "load", write(tmp_path / "mv.yaml", PLEDGE_MOVEMENT), db=db)
        assert r.code == 0, r
        out = []
        for i, text in enumerate(files):
            r = run("import", "pledges", write(tmp_path / f"pl{i}.csv", text), db=db)
            assert r.code == 0, r
            out.append(export(db, "pledges"))
        seen[backend] = out
    assert seen["pg"] == seen["sqlite"]
    first = seen["pg"][0]
    # P03 is on the rows of i = 3 and i = 39: the last wins
    assert "DK-Q3-2025,P03,LDTT,,Đăng ký lần 39\n" in first
    assert len(first.splitlines()) == 1 + 36
