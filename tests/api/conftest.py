"""Fixtures for the API tests (helpers: api_support.py; the fixtures they
share with the CLI tests, `backend`, `db`, `pdb`: tests/conftest.py).

`srv` is one seeded server per test module and backend: a module's tests
that take it run on SQLite, then again on PostgreSQL (its own schema).
`anysrv` is a fresh seeded server per test, on each backend."""
import pytest

from api_support import make_server


@pytest.fixture(scope="module", params=["sqlite", "pg"])
def srv(request, tmp_path_factory):
    """One seeded server per test module on each backend."""
    s = make_server(request.param, tmp_path_factory.mktemp("api"))
    s.backend = request.param
    yield s
    assert s.stop() == 0, s.text()[-2000:]


@pytest.fixture
def anysrv(backend, tmp_path):
    """A fresh seeded server on each backend."""
    s = make_server(backend, tmp_path)
    s.backend = backend
    yield s
    assert s.stop() == 0, s.text()[-2000:]
