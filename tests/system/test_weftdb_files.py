"""Database files move both ways between weft-db and the real
ovsdb-server / ovsdb-tool."""

import json
import os

import pytest

import weftlib
from weftlib import JsonRpcClient

NB = "OVN_Northbound"


def dump(server):
    return weftlib.ovsdb_client("dump", server.remote("nb"), NB).stdout


def dump_json(server):
    return weftlib.ovsdb_client("--format=json", "dump", server.remote("nb"),
                                NB).stdout


def test_ovsdb_server_file_served_by_weft_db(tmp_path):
    nbctl = weftlib.need_tool("ovn-nbctl")
    schemas = {"nb": weftlib.DEFAULT_SCHEMAS["nb"]}
    real = weftlib.OvsdbServer(tmp_path / "real", schemas=schemas)
    real.start()
    try:
        base = [nbctl, "--db=" + real.remote("nb"), "--timeout=20"]
        weftlib.run(base + ["ls-add", "sw0", "--", "ls-add", "sw1",
                            "--", "lsp-add", "sw0", "p1",
                            "--", "lsp-add", "sw0", "p2",
                            "--", "lsp-add", "sw1", "p3",
                            "--", "lsp-set-addresses", "p1",
                            "00:00:00:00:00:01 10.0.0.1", "dynamic"])
        weftlib.run(base + ["set", "Logical_Switch", "sw0",
                            "other_config:a=1", "external_ids:x=y"])
        weftlib.run(base + ["lsp-del", "p2"])
        weftlib.run(base + ["lr-add", "r0", "--", "lrp-add", "r0", "rp",
                            "00:00:00:00:ff:01", "10.0.0.254/24"])
        weftlib.run(base + ["lr-nat-add", "r0", "snat", "172.16.0.100",
                            "10.0.0.0/24"])
        weftlib.run(base + ["remove", "Logical_Switch", "sw0",
                            "other_config", "a"])
        weftlib.run(base + ["acl-add", "sw1", "to-lport", "1001", "ip4",
                            "drop"])
        want = dump(real)
        want_json = dump_json(real)
    finally:
        # ovsdb-server re-raises SIGTERM after cleaning up.
        assert real.stop() in (0, -15)
    assert "sw0" in want and "172.16.0.100" in want

    weft = weftlib.WeftDb(tmp_path / "weft", schemas=schemas)
    os.makedirs(weft.workdir, exist_ok=True)
    os.replace(real.db_file("nb"), weft.db_file("nb"))
    weft.start()
    try:
        assert dump(weft) == want
        assert dump_json(weft) == want_json
        # And weft-db can keep writing to it.
        weftlib.run([nbctl, "--db=" + weft.remote("nb"), "--timeout=20",
                     "ls-add", "after"])
        assert "after" in dump(weft)
    finally:
        weft.stop()


def _weft_build_db(weft):
    c = JsonRpcClient(weft.remote("nb"))
    try:
        def tx(*ops):
            res = c.transact(NB, *ops)
            assert not any(r is not None and "error" in r for r in res), res
            return res
        tx(*[{"op": "insert", "table": "Logical_Switch_Port",
              "uuid-name": "p%d" % i,
              "row": {"name": "p%d" % i,
                      "addresses": ["set", ["00:00:00:00:00:%02x" % i]],
                      "options": ["map", [["k%d" % i, "v"]]]}}
             for i in range(6)],
           {"op": "insert", "table": "Logical_Switch",
            "row": {"name": "sw0",
                    "ports": ["set", [["named-uuid", "p%d" % i]
                                      for i in range(6)]],
                    "other_config": ["map", [["a", "1"], ["b", "2"]]],
                    "external_ids": ["map", [["e", "f"]]]}})
        tx({"op": "mutate", "table": "Logical_Switch",
            "where": [["name", "==", "sw0"]],
            "mutations": [["other_config", "delete", ["set", ["a"]]],
                          ["other_config", "insert", ["map", [["c", "3"]]]],
                          ["external_ids", "delete",
                           ["map", [["e", "f"]]]]]})
        tx({"op": "mutate", "table": "Logical_Switch_Port",
            "where": [["name", "==", "p1"]],
            "mutations": [["addresses", "insert",
                           ["set", ["dynamic", "router"]]],
                          ["addresses", "delete", "00:00:00:00:00:01"]]})
        tx({"op": "insert", "table": "Address_Set",
            "row": {"name": "as", "addresses":
                    ["set", ["10.0.0.%d" % i for i in range(50)]]}})
        tx({"op": "update", "table": "Logical_Switch_Port",
            "where": [["name", "==", "p2"]],
            "row": {"enabled": False, "tag_request": 7}})
        # Remove two ports from the switch: garbage-collected.
        sel = tx({"op": "select", "table": "Logical_Switch_Port",
                  "where": [["name", "includes", "p3"]],
                  "columns": ["_uuid"]},
                 {"op": "select", "table": "Logical_Switch_Port",
                  "where": [["name", "==", "p4"]], "columns": ["_uuid"]})
        gone = [s["rows"][0]["_uuid"] for s in sel]
        tx({"op": "mutate", "table": "Logical_Switch",
            "where": [["name", "==", "sw0"]],
            "mutations": [["ports", "delete", ["set", gone]]]})
        tx({"op": "insert", "table": "Logical_Switch",
            "row": {"name": "tmp"}})
        tx({"op": "delete", "table": "Logical_Switch",
            "where": [["name", "==", "tmp"]]})
    finally:
        c.close()


def _weft_more_changes(weft):
    c = JsonRpcClient(weft.remote("nb"))
    try:
        res = c.transact(NB,
                         {"op": "mutate", "table": "Address_Set",
                          "where": [],
                          "mutations": [["addresses", "delete",
                                         ["set", ["10.0.0.1",
                                                  "10.0.0.2"]]]]},
                         {"op": "insert", "table": "Logical_Router",
                          "row": {"name": "r-after-compact"}})
        assert not any("error" in r for r in res), res
    finally:
        c.close()


@pytest.mark.parametrize("compact", [False, True],
                         ids=["log", "compacted"])
def test_weft_db_file_served_by_ovsdb_server(tmp_path, compact):
    schemas = {"nb": weftlib.DEFAULT_SCHEMAS["nb"]}
    weft = weftlib.WeftDb(tmp_path / "weft", schemas=schemas)
    weft.start()
    try:
        _weft_build_db(weft)
        if compact:
            weft.appctl("ovsdb-server/compact")
            _weft_more_changes(weft)
        want = dump(weft)
        want_json = dump_json(weft)
    finally:
        assert weft.stop() == 0
    assert "p3" not in want and "tmp" not in want
    db = weft.db_file("nb")

    tool = weftlib.need_tool("ovsdb-tool")
    assert weftlib.run([tool, "db-is-standalone", db]).returncode == 0
    assert weftlib.run([tool, "db-name", db]).stdout.strip() == NB
    with open(schemas["nb"]) as f:
        version = json.load(f)["version"]
    assert weftlib.run([tool, "db-version", db]).stdout.strip() == version
    log = weftlib.run([tool, "show-log", db]).stdout
    assert "record 0:" in log
    if compact:
        assert "r-after-compact" in weftlib.run(
            [tool, "-mm", "show-log", db]).stdout

    real = weftlib.OvsdbServer(tmp_path / "real", schemas=schemas)
    os.makedirs(real.workdir, exist_ok=True)
    os.replace(db, real.db_file("nb"))
    real.start()
    try:
        assert dump(real) == want
        assert dump_json(real) == want_json
    finally:
        real.stop()
    # ovsdb-tool can also compact weft's file and the result still
    # matches.
    weftlib.run([tool, "compact", real.db_file("nb")])
    weft2 = weftlib.WeftDb(tmp_path / "weft2", schemas=schemas)
    os.makedirs(weft2.workdir, exist_ok=True)
    os.replace(real.db_file("nb"), weft2.db_file("nb"))
    weft2.start()
    try:
        assert dump(weft2) == want
    finally:
        weft2.stop()


def test_check_cluster_rejects_standalone(weft_db):
    """'ovsdb-tool check-cluster' is for clustered databases only; weft-db
    writes standalone files, which it must reject, as it does
    ovsdb-tool's own standalone files."""
    tool = weftlib.need_tool("ovsdb-tool")
    r = weftlib.run([tool, "check-cluster", weft_db.db_file("nb")],
                    check=False)
    assert r.returncode != 0
