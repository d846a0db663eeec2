"""libpq, libmicrohttpd, libxlsxwriter, libzip and ICU are opened on first
use (src/dynlib.h): a command on SQLite maps none of them, nor the
libraries they bring (Kerberos, LDAP, GnuTLS, minizip, the C++ library),
which made every start 8 ms slower; a command on PostgreSQL opens libpq,
`serve` libmicrohttpd and ICU, an XLSX export libxlsxwriter, an XLSX
import libzip, and the first non-ASCII name normalised or sorted ICU. The loader's own
trace (LD_DEBUG=files) says what a one-shot command opened; a running
server's /proc/PID/maps says what it holds."""
import importlib.util
import os

from testbed import run

_here = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "api_support", os.path.join(_here, "..", "api", "api_support.py"))
_api = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_api)

HEAVY = ("libpq.so", "libmicrohttpd.so", "libgssapi_krb5.so", "libldap",
         "libgnutls.so", "libxlsxwriter.so", "libzip.so", "libminizip.so",
         "libicuuc.so", "libicui18n.so")
# (not libstdc++, which ICU brings: UBSan's runtime needs it too)


def opened(db, *args, input=None):
    """The libraries the loader opened while `thidua --db DB ARGS` ran."""
    r = run(*args, db=db, env={"LD_DEBUG": "files"}, input=input)
    assert r.code == 0, r
    return {line.split("file=", 1)[1].split()[0]
            for line in r.err.splitlines() if "file=" in line}


def test_a_sqlite_command_opens_neither(sqlite_db):
    libs = opened(sqlite_db, "check")
    assert libs, "LD_DEBUG=files said nothing: the check cannot fail"
    assert "libsqlite3.so.0" in libs
    for heavy in HEAVY:
        assert not [x for x in libs if x.startswith(heavy)], (heavy, sorted(libs))


def test_a_postgresql_command_opens_libpq(backend, db):
    libs = opened(db, "check")
    has_pq = any(x.startswith("libpq.so") for x in libs)
    assert has_pq == (backend == "pg"), sorted(libs)
    assert not any(x.startswith("libmicrohttpd.so") for x in libs)


def test_serve_holds_libmicrohttpd(sqlite_db, tmp_path):
    s = _api.Server(sqlite_db, str(tmp_path))
    try:
        maps = open(f"/proc/{s.proc.pid}/maps", encoding="utf-8").read()
    finally:
        assert s.stop() == 0
    assert "libmicrohttpd.so" in maps
    assert "libicui18n.so" in maps	# (at the start, not at a request's first name)
    assert "libpq.so" not in maps


def test_xlsx_opens_its_libraries_when_asked(sqlite_db, tmp_path):
    book = tmp_path / "units.xlsx"
    out = opened(sqlite_db, "export", "units", "--format", "xlsx", "-o", book)
    assert any(x.startswith("libxlsxwriter.so") for x in out), sorted(out)
    assert not any(x.startswith("libzip.so") for x in out), sorted(out)
    back = opened(sqlite_db, "import", "units", book)
    assert any(x.startswith("libzip.so") for x in back), sorted(back)
    assert not any(x.startswith("libxlsxwriter.so") for x in back), sorted(back)


def test_icu_opens_with_the_first_name_that_needs_it(sqlite_db, tmp_path):
    ascii_units = tmp_path / "u.csv"
    ascii_units.write_text("code,name,parent,kind\nZ121,Nha may Z121,,enterprise\n")
    libs = opened(sqlite_db, "import", "units", ascii_units)
    assert not any(x.startswith("libicu") for x in libs), sorted(libs)
    # a name in NFD (a + circumflex, o + horn + hook) is stored in NFC: ICU did it
    nfd = tmp_path / "n.csv"
    nfd.write_text("code,name,parent,kind\nA4,Pha\u0302n xu\u031bo\u031b\u0309ng A4,Z121,workshop\n",
                   encoding="utf-8")
    libs = opened(sqlite_db, "import", "units", nfd)
    assert any(x.startswith("libicui18n.so") for x in libs), sorted(libs)
    r = run("export", "units", db=sqlite_db)
    assert r.code == 0, r
    assert "Ph\u00e2n x\u01b0\u1edfng A4" in r.out, r.out
