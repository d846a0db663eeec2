"""Issue 23: a download of every list. GET /api/v1/eligibility?format=csv|xlsx
(the CLI's CSV with each subject's name and unit after its code; the
workbook made by libxlsxwriter), and the rows
of the report documents (?format= on a route with rows: schedule, scores,
growth, movements, proposals, exemplars …) as CSV and XLSX. Each workbook
is opened with zipfile and its first sheet read with ElementTree, and its
rows are compared with the JSON document the same request gives without
?format=, on both backends."""
import csv
import io
import json
import re
import zipfile
import xml.etree.ElementTree as ET

import pytest

from api_support import PEOPLE, UNITS, cli

# code -> (name, unit) as the seed has them (a unit's "unit" is empty)
NAMES = {r["code"]: (r["name"], r.get("unit") or "")
         for text in (UNITS, PEOPLE) for r in csv.DictReader(io.StringIO(text))}
HEAD = ["subject", "name", "unit", "subject_kind", "award", "verdict",
        "based_on", "missing", "clauses"]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def col_index(ref):
    """'C7' -> 2 (the column's 0-based number)."""
    n = 0
    for ch in re.match(r"[A-Z]+", ref).group(0):
        n = n * 26 + ord(ch) - 64
    return n - 1


def sheet_rows(data):
    """The first sheet of an .xlsx as a list of rows of strings ('' empty)."""
    z = zipfile.ZipFile(io.BytesIO(data))
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for si in ET.fromstring(z.read("xl/sharedStrings.xml")).findall("m:si", NS):
            shared.append("".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")))
    sheet = ET.fromstring(z.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.findall("m:sheetData/m:row", NS):
        cells = {}
        for c in row.findall("m:c", NS):
            v = c.find("m:v", NS)
            is_ = c.find("m:is", NS)
            if c.get("t") == "s":
                val = shared[int(v.text)]
            elif c.get("t") == "inlineStr":
                val = "".join(t.text or "" for t in is_.iter(f"{{{NS['m']}}}t"))
            else:
                val = v.text if v is not None else ""
            cells[col_index(c.get("r"))] = val
        width = max(cells) + 1 if cells else 0
        rows.append([cells.get(i, "") for i in range(width)])
    return rows


def elig_data(srv):
    """Ratings that make some verdicts eligible (once per server)."""
    if getattr(srv, "elig_data", False):
        return
    c = srv.login("admin")
    st, _, body = c.post("/api/v1/ratings", raw=(
        "year,subject,rating\n2024,P1,HTXSNV\n2024,P2,HTTNV\n2024,P3,HTNV\n"
        "2024,A1,HTTNV\n").encode(), ctype="text/csv")
    assert st == 201, body
    srv.elig_data = True


def test_eligibility_xlsx_rows_match_the_json(srv):
    elig_data(srv)
    c = srv.login("admin")
    st, _, doc = c.get("/api/v1/eligibility?year=2024")
    assert st == 200 and doc["results"], doc
    st, h, data = c.get("/api/v1/eligibility?year=2024&format=xlsx", decode=False)
    assert st == 200, data[:300]
    assert h["content-type"] == XLSX
    assert h["content-disposition"] == 'attachment; filename="eligibility-2024.xlsx"'
    assert data[:2] == b"PK"
    rows = [r + [""] * (9 - len(r)) for r in sheet_rows(data)]
    assert rows[0] == HEAD
    assert [[r[0], r[3], r[4], r[5]] for r in rows[1:]] == [
        [x["subject"], x["subject_kind"], x["award"], x["verdict"]]
        for x in doc["results"]]
    # each subject's name and unit; what is missing, word for word as the JSON's list
    for r, x in zip(rows[1:], doc["results"]):
        assert (r[1], r[2]) == NAMES[x["subject"]], r
        assert r[7] == "; ".join(x["missing"]), (r, x)
    # some verdict of each kind the data has, not only one
    assert len({x["verdict"] for x in doc["results"]}) >= 2


def test_eligibility_csv_is_the_cli_csv_with_names(srv):
    elig_data(srv)
    c = srv.login("admin")
    st, h, data = c.get("/api/v1/eligibility?year=2024&format=csv", decode=False)
    assert st == 200 and h["content-type"].startswith("text/csv"), data[:300]
    assert h["content-disposition"] == 'attachment; filename="eligibility-2024.csv"'
    assert b"\r\n" in data
    got = list(csv.reader(io.StringIO(data.decode(), newline="")))
    want = list(csv.reader(io.StringIO(cli(srv.db, "eligibility", "--year", "2024",
                                           "--format", "csv").stdout)))
    assert got[0] == HEAD and len(got) == len(want) > 1
    # the CLI's row, with the subject's name and unit after its code
    for g, w in zip(got[1:], want[1:]):
        assert [g[0]] + g[3:] == w and (g[1], g[2]) == NAMES[g[0]], (g, w)


def test_eligibility_download_keeps_filters_and_scope(srv):
    elig_data(srv)
    c = srv.login("admin")
    st, _, doc = c.get("/api/v1/eligibility?year=2024&verdict=eligible")
    st, _, data = c.get("/api/v1/eligibility?year=2024&verdict=eligible"
                        "&format=xlsx", decode=False)
    assert st == 200
    rows = sheet_rows(data)[1:]
    assert doc["results"] and [r[0] for r in rows] == \
        [x["subject"] for x in doc["results"]]
    assert {r[5] for r in rows} == {"eligible"}
    # a scoped caller's download is their subtree's, as their JSON is
    v = srv.login("viewer")
    st, _, doc = v.get("/api/v1/eligibility?year=2024")
    st, _, data = v.get("/api/v1/eligibility?year=2024&format=csv", decode=False)
    got = list(csv.reader(io.StringIO(data.decode())))[1:]
    assert [r[0] for r in got] == [x["subject"] for x in doc["results"]]
    assert {r[0] for r in got} <= {"A1", "A1T", "P1", "P3", "A1X", "P9"}
    st, _, err = c.get("/api/v1/eligibility?year=2024&format=pdf")
    assert st == 400 and err["error"]["field"] == "format", err


def flat(x, prefix=""):
    """A row object flattened the way the download flattens it."""
    out = {}
    for k, v in x.items():
        name = prefix + k
        if isinstance(v, dict):
            out.update(flat(v, name + "."))
        elif v is None:
            continue
        elif isinstance(v, list):
            out[name] = "; ".join(
                e["text"] if isinstance(e, dict) and "text" in e else
                (e if isinstance(e, str) else json.dumps(e, separators=(",", ":"), ensure_ascii=False)) for e in v)
        elif isinstance(v, bool):
            out[name] = "true" if v else "false"
        else:
            out[name] = v
    return out


def same(a, b):
    """A cell (text) against a JSON value."""
    if isinstance(b, (int, float)) and not isinstance(b, bool):
        return float(a) == pytest.approx(float(b))
    return a == b


TASKS = ("tasks", "code,name,unit,quantity,start,due,product,customer,hard\n"
         "DL1,Cụm DL1,A1,100,2024-06-01,2024-06-20,,,1\n"
         "DL2,Cụm DL2,A2,50,2024-06-10,2024-07-10,,,0\n")


INDICATORS = ("year,unit,indicator,value\n2019,A2,turnover,100\n"
              "2020,A2,turnover,150\n2021,A2,turnover,240\n")


@pytest.mark.parametrize("path,key", [
    ("/api/v1/schedule?as_of=2024-06-30", "tasks"),
    ("/api/v1/reports/growth?from=2019&to=2021&unit=A2", "indicators"),
])
def test_report_rows_download(srv, path, key):
    c = srv.login("admin")
    if not getattr(srv, "dl_tasks", False):
        st, _, body = c.post("/api/v1/tasks", raw=TASKS[1].encode(),
                             ctype="text/csv")
        assert st == 201, body
        st, _, body = c.post("/api/v1/indicators", raw=INDICATORS.encode(),
                             ctype="text/csv")
        assert st == 201, body
        srv.dl_tasks = True
    st, _, doc = c.get(path)
    assert st == 200, doc
    want = [flat(x) for x in doc[key]]
    assert want, doc
    sep = "&" if "?" in path else "?"
    st, h, data = c.get(f"{path}{sep}format=csv", decode=False)
    assert st == 200 and h["content-type"].startswith("text/csv"), data[:300]
    got = list(csv.DictReader(io.StringIO(data.decode())))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        for k, v in w.items():
            assert same(g[k], v), (k, g[k], v)
    st, h, data = c.get(f"{path}{sep}format=xlsx", decode=False)
    assert st == 200 and h["content-type"] == XLSX and data[:2] == b"PK"
    rows = sheet_rows(data)
    head = rows[0]
    assert len(rows) - 1 == len(want)
    for r, w in zip(rows[1:], want):
        r = r + [""] * (len(head) - len(r))
        for k, v in w.items():
            assert same(r[head.index(k)], v), (k, r, v)


def test_schedule_download_has_the_tasks(srv):
    """Not an empty file that would match an empty list: the tasks are in it."""
    c = srv.login("admin")
    test_report_rows_download(srv, "/api/v1/schedule?as_of=2024-06-30", "tasks")
    st, _, data = c.get("/api/v1/schedule?as_of=2024-06-30&format=xlsx",
                        decode=False)
    codes = {r[0] for r in sheet_rows(data)[1:]}
    assert {"DL1", "DL2"} <= codes
    st, _, err = c.get("/api/v1/schedule?as_of=2024-06-30&format=ods")
    assert st == 400 and err["error"]["field"] == "format", err
    # a route without rows does not take format
    st, _, err = c.get("/api/v1/me?format=csv")
    assert st == 400, err


def test_an_empty_list_is_an_empty_file(srv):
    """No rows (no exemplars on the seed): a CSV of one empty line and a
    workbook that opens with no rows, not an error."""
    c = srv.login("admin")
    st, _, doc = c.get("/api/v1/exemplars")
    assert st == 200 and doc["exemplars"] == []
    st, _, data = c.get("/api/v1/exemplars?format=csv", decode=False)
    assert st == 200 and data == b"\r\n"
    st, h, data = c.get("/api/v1/exemplars?format=xlsx", decode=False)
    assert st == 200 and h["content-type"] == XLSX
    assert sheet_rows(data) == []


def test_openapi_documents_the_downloads(srv):
    st, _, doc = srv.client().get("/api/v1/openapi.json")
    assert st == 200
    params = {p["name"]: p for p in doc["paths"]["/api/v1/schedule"]["get"]["parameters"]}
    assert params["format"]["schema"]["enum"] == ["csv", "xlsx"]
    params = {p["name"] for p in doc["paths"]["/api/v1/eligibility"]["get"]["parameters"]}
    assert "format" in params
    params = {p["name"] for p in doc["paths"]["/api/v1/me"]["get"]["parameters"]}
    assert "format" not in params


def test_a_table_the_page_shows_back_as_a_workbook(srv):
    """POST /api/v1/xlsx: the rows a page builds itself (the rating grid),
    sent as CSV, come back as a workbook of the same cells; nothing is
    stored; a body that is not CSV or not UTF-8 is refused."""
    c = srv.login("viewer")
    table = ("subject,name,rating_2024\r\nP1,\"Nguyễn Văn An, tổ 1\",HTXSNV\r\n"
             "0042,\"dòng \"\"hai\"\"\",\r\n")
    st, h, data = c.request("POST", "/api/v1/xlsx?name=ratings-A1-2024",
                            raw=table.encode(), ctype="text/csv", decode=False)
    assert st == 200, data[:300]
    assert h["content-type"] == XLSX
    assert h["content-disposition"] == 'attachment; filename="ratings-A1-2024.xlsx"'
    assert sheet_rows(data) == [["subject", "name", "rating_2024"],
                                ["P1", "Nguyễn Văn An, tổ 1", "HTXSNV"],
                                ["0042", 'dòng "hai"']]
    st, _, err = c.request("POST", "/api/v1/xlsx", raw=b"a,b\r\n\xff\xfe,1\r\n",
                           ctype="text/csv")
    assert st == 400, err
    st, _, err = c.request("POST", "/api/v1/xlsx", raw=b'a,b\r\n"x,1\r\n',
                           ctype="text/csv")
    assert st == 400, err
    st, _, err = c.post("/api/v1/xlsx", {"rows": []})
    assert st == 415, err
    # a session's write needs its CSRF token, as every POST does
    st, _, err = c.request("POST", "/api/v1/xlsx", raw=table.encode(),
                           ctype="text/csv", csrf=False)
    assert st == 403, err
