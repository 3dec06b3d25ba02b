"""The real ovsdb-client (OVS 3.1) against weft-db."""

import json
import os
import subprocess
import time

import pytest

import weftlib
from weftlib import JsonRpcClient

NB = "OVN_Northbound"
NB_SCHEMA = weftlib.DEFAULT_SCHEMAS["nb"]


def transact(db, *ops, check=True):
    r = db.client("transact", json.dumps([NB] + list(ops)), check=check,
                  timeout=20)
    return json.loads(r.stdout) if r.stdout.strip() else None, r


def test_list_dbs(weft_db):
    dbs = weft_db.client("list-dbs").stdout.split()
    assert "OVN_Northbound" in dbs
    assert "_Server" in dbs


def test_get_schema_equals_file(weft_db, ovsdb_server):
    """get-schema returns the schema file's content, in the canonical form
    ovsdb-server uses (defaults such as "max": 1 and "refType": "strong"
    omitted, enums sorted): compare with the real server and with the
    file as normalised by the ovs Python library."""
    got = json.loads(weft_db.client("get-schema", NB).stdout)
    assert got == json.loads(ovsdb_server.client("get-schema", NB).stdout)
    try:
        import ovs.db.schema
    except ImportError:
        pytest.skip("python3-openvswitch not installed")
    with open(NB_SCHEMA) as f:
        want = ovs.db.schema.DbSchema.from_json(json.load(f)).to_json()
    assert ovs.db.schema.DbSchema.from_json(got).to_json() == want


def test_get_schema_version(weft_db):
    with open(NB_SCHEMA) as f:
        want = json.load(f)["version"]
    assert weft_db.client("get-schema-version", NB).stdout.strip() == want


def test_list_tables_and_columns(weft_db, ovsdb_server):
    with open(NB_SCHEMA) as f:
        schema = json.load(f)
    out = weft_db.client("list-tables", NB).stdout
    tables = {l.strip() for l in out.splitlines()[2:] if l.strip()}
    assert tables == set(schema["tables"])
    # The same lines as with the real server.  (The order is ovsdb-client's
    # hash-table order, which depends on the order of the members in the
    # get_schema reply, which RFC 7047 leaves open: compare sorted.)
    assert sorted(out.splitlines()) == sorted(
        ovsdb_server.client("list-tables", NB).stdout.splitlines())
    cols = weft_db.client("list-columns", NB, "Logical_Switch").stdout
    assert sorted(cols.splitlines()) == sorted(ovsdb_server.client(
        "list-columns", NB, "Logical_Switch").stdout.splitlines())
    for c in schema["tables"]["Logical_Switch"]["columns"]:
        assert c in cols


def test_transact_basic_ops(weft_db):
    res, _ = transact(
        weft_db,
        {"op": "insert", "table": "Logical_Switch_Port",
         "row": {"name": "p1", "addresses": ["set", ["00:00:00:00:00:01"]]},
         "uuid-name": "p1"},
        {"op": "insert", "table": "Logical_Switch",
         "row": {"name": "sw0", "ports": ["named-uuid", "p1"]},
         "uuid-name": "sw"})
    assert len(res) == 2 and all("uuid" in r for r in res)
    sw_uuid = res[1]["uuid"][1]

    res, _ = transact(weft_db, {"op": "select", "table": "Logical_Switch",
                                "where": [["name", "==", "sw0"]],
                                "columns": ["name", "ports", "_uuid"]})
    rows = res[0]["rows"]
    assert len(rows) == 1
    assert rows[0]["name"] == "sw0"
    assert rows[0]["_uuid"] == ["uuid", sw_uuid]
    assert rows[0]["ports"][0] == "uuid"

    res, _ = transact(weft_db, {"op": "update", "table": "Logical_Switch",
                                "where": [["name", "==", "sw0"]],
                                "row": {"other_config":
                                        ["map", [["k", "v"]]]}})
    assert res == [{"count": 1}]
    res, _ = transact(weft_db, {"op": "mutate", "table": "Logical_Switch",
                                "where": [["_uuid", "==", ["uuid", sw_uuid]]],
                                "mutations": [["external_ids", "insert",
                                               ["map", [["a", "b"]]]]]})
    assert res == [{"count": 1}]
    res, _ = transact(weft_db,
                      {"op": "wait", "table": "Logical_Switch",
                       "timeout": 0, "where": [["name", "==", "sw0"]],
                       "columns": ["external_ids", "other_config"],
                       "until": "==",
                       "rows": [{"external_ids": ["map", [["a", "b"]]],
                                 "other_config": ["map", [["k", "v"]]]}]})
    assert res == [{}]
    # A wait that does not hold with timeout 0 fails with "timed out".
    res, _ = transact(weft_db,
                      {"op": "wait", "table": "Logical_Switch",
                       "timeout": 0, "where": [["name", "==", "sw0"]],
                       "columns": ["name"], "until": "==",
                       "rows": [{"name": "other"}]})
    assert res[0]["error"] == "timed out"

    res, _ = transact(weft_db, {"op": "delete", "table": "Logical_Switch",
                                "where": [["name", "==", "sw0"]]})
    assert res == [{"count": 1}]
    # The port was only referenced from the switch: garbage-collected.
    res, _ = transact(weft_db, {"op": "select", "table":
                                "Logical_Switch_Port", "where": []})
    assert res[0]["rows"] == []


def _error_of(res):
    errs = [r for r in res if r is not None and "error" in r]
    assert errs, res
    return errs[0]


def test_transact_unknown_table(weft_db):
    res, _ = transact(weft_db, {"op": "insert", "table": "Nope", "row": {}},
                      check=False)
    err = _error_of(res)
    # ovsdb-server 3.1 says "syntax error" here; the exact code is checked
    # in tests/system/test_weftdb_bad_input.py.
    assert err["error"] in ("unknown table", "syntax error")
    assert "Nope" in err["details"]


def test_transact_bad_enum(weft_db):
    res, _ = transact(weft_db, {"op": "insert", "table": "ACL",
                                "row": {"action": "frobnicate",
                                        "direction": "from-lport",
                                        "match": "ip4", "priority": 1}},
                      check=False)
    assert _error_of(res)["error"] == "constraint violation"


def test_transact_referential_integrity(weft_db):
    res, _ = transact(weft_db, {"op": "insert", "table": "Logical_Switch",
                                "row": {"name": "x", "ports":
                                        ["uuid", "5b3b2b9c-1111-4ee2-a25f-"
                                                 "2c7bb3c5e9d1"]}},
                      check=False)
    assert _error_of(res)["error"] == "referential integrity violation"


def test_transact_duplicate_index(weft_db):
    # Logical_Switch_Port's "name" is an index; ports must be referenced
    # (root-less table) so that they survive the commit.
    res, _ = transact(
        weft_db,
        {"op": "insert", "table": "Logical_Switch_Port",
         "row": {"name": "dup"}, "uuid-name": "a"},
        {"op": "insert", "table": "Logical_Switch_Port",
         "row": {"name": "dup"}, "uuid-name": "b"},
        {"op": "insert", "table": "Logical_Switch",
         "row": {"name": "s", "ports": ["set", [["named-uuid", "a"],
                                                ["named-uuid", "b"]]]}},
        check=False)
    err = _error_of(res)
    assert err["error"] == "constraint violation"
    assert "dup" in err.get("details", "")
    res, _ = transact(weft_db, {"op": "select", "table": "Logical_Switch",
                                "where": []})
    assert res[0]["rows"] == []


def _monitor(db, *args):
    tool = weftlib.need_tool("ovsdb-client")
    out = open(os.path.join(db.workdir, "monitor-%d.out" % time.time_ns()),
               "w+")
    p = subprocess.Popen([tool, "--format=json"]
                         + list(args[:1]) + [db.remote()] + list(args[1:]),
                         stdout=out, stderr=subprocess.STDOUT)
    return p, out


def _wait_output(out, pred, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        out.seek(0)
        text = out.read()
        objs = []
        dec = json.JSONDecoder()
        s = text.strip()
        while s:
            try:
                o, end = dec.raw_decode(s)
            except ValueError:
                break
            objs.append(o)
            s = s[end:].strip()
        if pred(objs):
            return objs
        time.sleep(0.1)
    raise AssertionError("monitor output did not match:\n" + text)


def _rows(objs):
    """(action, name) pairs from ovsdb-client --format=json monitor
    output."""
    pairs = []
    for o in objs:
        h = o.get("headings", [])
        for row in o.get("data", []):
            d = dict(zip(h, row))
            pairs.append((d.get("action"), d.get("name")))
    return pairs


def _stop(p, out):
    p.kill()
    p.wait()
    out.close()


def test_monitor(weft_db):
    transact(weft_db, {"op": "insert", "table": "Logical_Switch",
                       "row": {"name": "initial"}})
    p, out = _monitor(weft_db, "monitor", NB, "Logical_Switch", "name")
    try:
        _wait_output(out, lambda o: ("initial", "initial") in _rows(o))
        transact(weft_db, {"op": "insert", "table": "Logical_Switch",
                           "row": {"name": "new"}})
        _wait_output(out, lambda o: ("insert", "new") in _rows(o))
        transact(weft_db, {"op": "update", "table": "Logical_Switch",
                           "where": [["name", "==", "new"]],
                           "row": {"name": "renamed"}})
        _wait_output(out, lambda o: ("new", "renamed") in _rows(o)
                     and ("old", "new") in _rows(o))
        transact(weft_db, {"op": "delete", "table": "Logical_Switch",
                           "where": [["name", "==", "initial"]]})
        _wait_output(out, lambda o: ("delete", "initial") in _rows(o))
        assert p.poll() is None
    finally:
        _stop(p, out)


def test_monitor_cond(weft_db):
    transact(weft_db,
             {"op": "insert", "table": "Logical_Switch", "row": {"name": "a1"}},
             {"op": "insert", "table": "Logical_Switch", "row": {"name": "b1"}})
    cond = json.dumps([["name", "==", "a1"], ["name", "==", "a2"]])
    p, out = _monitor(weft_db, "monitor-cond", NB, cond, "Logical_Switch",
                      "name")
    try:
        _wait_output(out, lambda o: ("initial", "a1") in _rows(o))
        transact(weft_db,
                 {"op": "insert", "table": "Logical_Switch",
                  "row": {"name": "b2"}},
                 {"op": "insert", "table": "Logical_Switch",
                  "row": {"name": "a2"}})
        objs = _wait_output(out, lambda o: ("insert", "a2") in _rows(o))
        names = {n for _, n in _rows(objs)}
        assert "b1" not in names and "b2" not in names
    finally:
        _stop(p, out)


TOPOLOGY_TXNS = [
    [{"op": "insert", "table": "Logical_Switch_Port",
      "row": {"name": "lsp%d" % i,
              "addresses": ["set", ["00:00:00:00:00:0%d 10.0.0.%d"
                                    % (i, i)]],
              "external_ids": ["map", [["idx", str(i)]]]},
      "uuid-name": "p%d" % i} for i in range(1, 4)]
    + [{"op": "insert", "table": "Logical_Switch",
        "row": {"name": "sw0", "ports": ["set", [["named-uuid", "p%d" % i]
                                                 for i in range(1, 4)]],
                "other_config": ["map", [["subnet", "10.0.0.0/24"]]]}}],
    [{"op": "insert", "table": "Logical_Router",
      "row": {"name": "r0", "nat": ["named-uuid", "n"]}},
     {"op": "insert", "table": "NAT", "uuid-name": "n",
      "row": {"type": "snat", "external_ip": "172.16.0.100",
              "logical_ip": "10.0.0.0/24"}},
     {"op": "insert", "table": "Address_Set",
      "row": {"name": "as1", "addresses": ["set", ["10.0.0.1", "10.0.0.2"]]}}],
    [{"op": "mutate", "table": "Logical_Switch",
      "where": [["name", "==", "sw0"]],
      "mutations": [["other_config", "insert", ["map", [["x", "y"]]]],
                    ["other_config", "delete", ["set", ["subnet"]]]]},
     {"op": "mutate", "table": "Address_Set", "where": [],
      "mutations": [["addresses", "delete", "10.0.0.1"]]},
     {"op": "update", "table": "Logical_Switch_Port",
      "where": [["name", "==", "lsp2"]], "row": {"enabled": False}},
     {"op": "delete", "table": "Logical_Switch_Port",
      "where": [["name", "==", "lsp3"]]},
     {"op": "mutate", "table": "Logical_Switch",
      "where": [["name", "==", "sw0"]],
      "mutations": [["ports", "delete", ["set", []]]]}],
]


def _fix_dangling(txns):
    """Deleting lsp3 directly while sw0 still refers to it is a referential
    integrity error; instead remove it from sw0 (the port is then
    garbage-collected)."""
    last = txns[-1]
    last[3] = {"op": "select", "table": "Logical_Switch_Port", "where": []}
    return txns


def _dump_tables(server):
    """Returns {table caption: sorted list of rows with UUIDs removed}."""
    raw = weftlib.ovsdb_client("--format=json", "dump", server.remote(),
                               NB).stdout
    dec = json.JSONDecoder()
    s = raw.strip()
    tables = {}
    while s:
        o, end = dec.raw_decode(s)
        s = s[end:].strip()
        for t in (o if isinstance(o, list) else [o]):
            rows = [weftlib.normalize_uuids(json.dumps(r), None)
                    for r in t["data"]]
            rows = [_strip_uuid(r) for r in rows]
            tables[t["caption"]] = (t["headings"], sorted(rows))
    return tables, raw


def _strip_uuid(text):
    import re
    return re.sub(r"<uuid\d+>", "<uuid>", text)


def test_dump_matches_ovsdb_server(weft_db, ovsdb_server):
    txns = _fix_dangling([list(t) for t in TOPOLOGY_TXNS])
    for server in (weft_db, ovsdb_server):
        c = JsonRpcClient(server.remote())
        try:
            for t in txns:
                res = c.transact(NB, *t)
                assert not any(r is not None and "error" in r for r in res), \
                    res
        finally:
            c.close()
    w, wraw = _dump_tables(weft_db)
    o, oraw = _dump_tables(ovsdb_server)
    assert sorted(w) == sorted(o)
    for table in o:
        assert w[table] == o[table], table
    # UUID-normalised text dumps (first-appearance order) agree in shape.
    assert len(wraw.splitlines()) == len(oraw.splitlines())


@pytest.mark.parametrize("server", ["weft_db", "ovsdb_server"])
def test_lock_steal_unlock(request, server):
    remote = request.getfixturevalue(server).remote()
    a = JsonRpcClient(remote)
    b = JsonRpcClient(remote)
    try:
        assert a.call("lock", ["L"])["result"] == {"locked": True}
        assert b.call("lock", ["L"])["result"] == {"locked": False}
        # As in ovsdb-server, a session that holds or waits for a lock
        # must unlock it before a new "lock" or "steal".
        err = b.call("steal", ["L"])["error"]
        assert err["error"] == "syntax error"
        assert err["details"] == 'must issue "unlock" before new "steal"'
        assert b.call("unlock", ["L"])["result"] == {}
        assert b.call("steal", ["L"])["result"] == {"locked": True}
        a.sock.settimeout(5)
        msg = a.recv() if not a.notifications else a.notifications.pop(0)
        if msg["method"] == "locked" and server == "ovsdb_server":
            # ovsdb-server 3.1 repeats "locked" to the owner when a waiter
            # unlocks; weft-db does not.
            msg = a.recv() if not a.notifications else a.notifications.pop(0)
        assert msg["method"] == "stolen" and msg["params"] == ["L"]
        assert b.call("unlock", ["L"])["result"] == {}
        # a's stolen request is gone; a fresh lock succeeds again.
        assert a.call("unlock", ["L"])["result"] == {}
        assert a.call("lock", ["L"])["result"] == {"locked": True}
    finally:
        a.close()
        b.close()


def test_ovsdb_client_lock_tool(weft_db):
    tool = weftlib.need_tool("ovsdb-client")
    p = subprocess.Popen([tool, "lock", weft_db.remote(), "mylock"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         universal_newlines=True)
    try:
        time.sleep(1.0)
        assert p.poll() is None, p.stderr.read()
        b = JsonRpcClient(weft_db.remote())
        try:
            assert b.call("lock", ["mylock"])["result"] == {"locked": False}
        finally:
            b.close()
    finally:
        p.kill()
        p.wait()
