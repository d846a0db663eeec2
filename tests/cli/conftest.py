"""Shared fixtures for the CLI tests: the binary, fresh databases on both
backends, and a runner that returns (exit status, stdout, stderr).

THIDUA_BIN, THIDUA_TEST_PG and THIDUA_TEST_TMP come from tests/run.sh.
A test that takes the `db` fixture runs once on SQLite and once on
PostgreSQL (a fresh schema in the private cluster)."""
import os
import subprocess
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("THIDUA_BIN", os.path.join(ROOT, "build", "thidua"))
PG = os.environ.get("THIDUA_TEST_PG", "")


class Result:
    def __init__(self, p):
        self.code = p.returncode
        self.out = p.stdout
        self.err = p.stderr

    def __repr__(self):
        return f"<exit {self.code}\nstdout: {self.out}\nstderr: {self.err}>"


def run(*args, db=None, input=None, lang=None, env=None, cwd=None):
    cmd = [BIN]
    if db is not None:
        cmd += ["--db", db]
    if lang is not None:
        cmd += ["--lang", lang]
    cmd += [str(a) for a in args]
    e = dict(os.environ)
    e.pop("THIDUA_DB", None)
    if env:
        e.update(env)
    p = subprocess.run(cmd, input=input, capture_output=True, text=True,
                       env=e, cwd=cwd, timeout=600)
    return Result(p)


def pg_target():
    """A fresh, empty schema in the test cluster, as a connection URL."""
    if not PG:
        pytest.fail("THIDUA_TEST_PG is not set (run the tests with make test)")
    schema = "c" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", PG, "-c",
                    f"CREATE SCHEMA {schema}"], check=True, capture_output=True)
    sep = "&" if "?" in PG else "?"
    return f"{PG}{sep}options=-csearch_path%3D{schema}"


def make_target(backend, tmp_path):
    if backend == "sqlite":
        return str(tmp_path / f"t-{uuid.uuid4().hex[:8]}.db")
    return pg_target()


@pytest.fixture(params=["sqlite", "pg"])
def backend(request):
    return request.param


@pytest.fixture
def db(backend, tmp_path):
    """An initialised database on each backend."""
    t = make_target(backend, tmp_path)
    r = run("init", db=t)
    assert r.code == 0, r
    return t


@pytest.fixture
def sqlite_db(tmp_path):
    t = make_target("sqlite", tmp_path)
    r = run("init", db=t)
    assert r.code == 0, r
    return t


def write(path, text, bom=False, crlf=False):
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode("utf-8")
    if bom:
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as f:
        f.write(data)
    return str(path)
