"""pytest fixtures shared by weft's Python tests.  See weftlib.py."""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import weftlib  # noqa: E402

# Data directories that hold no tests: fuzz corpora and crash inputs can be
# large and change while a fuzzer runs.
collect_ignore = ["fuzz/corpus", "fuzz/crashes"]


def pytest_report_header(config):
    return "weft build directory: %s" % weftlib.build_dir()


@pytest.fixture
def weft_build():
    """The build directory tests take binaries from."""
    return weftlib.build_dir()


@pytest.fixture
def weft_db(tmp_path):
    """A running weft-db serving fresh NB and SB databases (skips if
    weft-db is not built)."""
    db = weftlib.WeftDb(tmp_path / "weft-db")
    db.start()
    yield db
    db.stop()


@pytest.fixture
def ovsdb_server(tmp_path):
    """A running ovsdb-server serving fresh NB and SB databases made from
    weft's schemas (skips if OVS is not installed)."""
    server = weftlib.OvsdbServer(tmp_path / "ovsdb-server")
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_weft_db(tmp_path):
    """A factory for weft-db instances with custom schemas or options:
    make_weft_db(schemas={"nb": path}, extra_args=[...]).  Every instance
    it made is stopped at teardown."""
    made = []

    def make(schemas=None, extra_args=(), start=True):
        db = weftlib.WeftDb(tmp_path / ("weft-db-%d" % len(made)), schemas,
                            extra_args)
        made.append(db)
        return db.start() if start else db

    yield make
    weftlib.stop_all(made)
