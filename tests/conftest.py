"""Fixtures the CLI and API tests share (helpers: tests/testbed.py).

A test that takes `backend`, `db` or `pdb` runs once on SQLite and once
on PostgreSQL (a fresh schema in the private cluster).

A skip not declared in tests/skips.txt is a failure."""
import fnmatch
import os

import pytest

from testbed import (load_exemplar_data, make_target, proposal_db, run,
                     seed_movements)


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


@pytest.fixture
def pdb(backend, tmp_path):
    """The award path's data (testbed.PROPOSAL_*) on each backend."""
    return proposal_db(backend, tmp_path)


@pytest.fixture
def movement_db(db):
    """`db` with tests/data/movements loaded (the movement TDQT-2025)."""
    seed_movements(db)
    return db


@pytest.fixture
def exemplar_db(db, tmp_path):
    """`db` with the exemplar data (testbed.EXEMPLAR_*) loaded."""
    load_exemplar_data(db, tmp_path)
    return db


def declared_skips():
    """The node-id patterns of tests/skips.txt (its pytest lines)."""
    out = []
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)),
                           "skips.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and \
                    not line.startswith(("e2e:", "unit:")):
                out.append(line.split("\t")[0].strip())
    return out


DECLARED = declared_skips()


def undeclared(report):
    if not report.skipped or hasattr(report, "wasxfail"):
        return False
    return not any(fnmatch.fnmatchcase(report.nodeid, p) for p in DECLARED)


def fail_undeclared(report):
    why = report.longrepr[2] if isinstance(report.longrepr, tuple) else \
        str(report.longrepr)
    report.outcome = "failed"
    report.longrepr = (f"skipped ({why}) but not declared in tests/skips.txt:"
                       f" {report.nodeid}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if undeclared(report):
        fail_undeclared(report)


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    outcome = yield
    report = outcome.get_result()
    if undeclared(report):
        fail_undeclared(report)
