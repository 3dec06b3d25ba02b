"""Interop tests for weft's OVSDB client library (ovsdb/client*.c and the
generated nbrec bindings) against a live OVN_Northbound server.

The real ovsdb-server (OVS 3.1) is the reference peer; weft-db, when built,
is tested the same way.  The C side is tests/helpers/client-smoke.c
(weft-test-client), which prints "ok: STEP" for each check it passes.
Servers are started on a temporary database and stopped by PID.  Tests skip
when the server or the helper is missing.

Run with: /usr/bin/python3 -m pytest tests/test_client_ovsdb_server.py
"""

import json
import os
import subprocess

import pytest

import weftlib

HELPER = "tests/helpers/weft-test-client"
NB_SCHEMA = os.path.join(weftlib.SCHEMAS, "ovn-nb.ovsschema")

SMOKE_STEPS = [
    "connected",
    "typed insert appears in replica",
    "other client's change tracked",
    "verify conflict gives try-again",
    "retry after catching up succeeds",
    "concurrent map mutations merge",
    "increment returns the new value",
    "monitor condition narrows the replica",
]


@pytest.fixture(params=["ovsdb-server", "weft-db"])
def nb_server(request, tmp_path):
    """A server with a fresh OVN_Northbound database."""
    cls = weftlib.OvsdbServer if request.param == "ovsdb-server" \
        else weftlib.WeftDb
    server = cls(tmp_path / request.param, schemas={"nb": NB_SCHEMA})
    server.start()
    yield server
    server.stop()


def select(server, table, columns):
    """Rows of 'table' as the server itself reports them (ovsdb-client)."""
    txn = json.dumps(["OVN_Northbound", {"op": "select", "table": table,
                                         "where": [], "columns": columns}])
    out = server.client("transact", txn).stdout
    return json.loads(out)[0]["rows"]


def test_smoke(nb_server):
    helper = weftlib.need_binary(HELPER)
    r = weftlib.run([helper, "smoke", nb_server.remote("nb")], check=False,
                    timeout=120)
    steps = [line[4:] for line in r.stdout.splitlines()
             if line.startswith("ok: ")]
    assert r.returncode == 0, "stdout:\n%s\nstderr:\n%s" % (r.stdout,
                                                            r.stderr)
    assert steps == SMOKE_STEPS
    assert "method: monitor_cond_since" in r.stdout

    # What the helper wrote is really in the database.
    switches = {row["name"]: row for row in
                select(nb_server, "Logical_Switch", ["name", "other_config"])}
    assert set(switches) == {"smoke-ls", "smoke-ls2"}
    assert sorted(switches["smoke-ls"]["other_config"][1]) == [
        ["ka", "1"], ["kb", "2"], ["subnet", "10.0.0.0/24"]]
    ports = select(nb_server, "Logical_Switch_Port", ["name", "addresses"])
    assert ports == [{"name": "smoke-p1",
                      "addresses": "00:00:00:00:00:0a 10.0.0.10"}]
    assert select(nb_server, "NB_Global", ["nb_cfg"]) == [{"nb_cfg": 1}]


def test_reconnect_after_server_restart(nb_server):
    """The client reconnects with backoff after the server restarts and
    reconciles its replica: a row added meanwhile is tracked as new."""
    helper = weftlib.need_binary(HELPER)
    nb_server.client("transact", json.dumps(
        ["OVN_Northbound", {"op": "insert", "table": "Logical_Switch",
                            "row": {"name": "before"}}]))
    proc = subprocess.Popen([helper, "follow", nb_server.remote("nb"),
                             "after"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        nb_server.stop()
        os.makedirs(nb_server.sockdir, exist_ok=True)
        nb_server.start()
        nb_server.client("transact", json.dumps(
            ["OVN_Northbound", {"op": "insert", "table": "Logical_Switch",
                                "row": {"name": "after"}}]))
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, "stdout:\n%s\nstderr:\n%s" % (out, err)
    assert "seen after via monitor_cond_since" in out
