"""Interop tests for ovsdb/log: database files move between weft and OVS.

Files written by the real ovsdb-tool and ovsdb-server (OVS 3.1) are read
with weft's log reader (through the weft-test-log-dump helper) and compared
with an independent Python parser; files written by weft's log writer are
read back by ovsdb-tool.  Torn tails and the lock file are checked against
the real tools too.  Tests skip when OVS or the helper is missing.
"""

import hashlib
import json
import os
import subprocess

import pytest

import weftlib

HELPER = "tests/helpers/weft-test-log-dump"

REF_NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema"

# Transactions exercising what the log format must carry: inserts, scalar
# and optional columns, set and map diffs, comments with escapes, deletes.
TXNS = [
    ["OVN_Northbound",
     {"op": "insert", "table": "Logical_Switch_Port", "uuid-name": "p",
      "row": {"name": "p1", "dynamic_addresses": "a", "tag_request": 5,
              "options": ["map", [["k", "v1"], ["z", "1"]]],
              "addresses": ["set", ["x", "y"]]}},
     {"op": "insert", "table": "Logical_Switch",
      "row": {"name": "ls1", "ports": ["named-uuid", "p"],
              "other_config": ["map", [["a", "1"], ["b", "2"]]]}},
     {"op": "comment", "comment": "hello \"world\"\n\u00e9\\"}],
    ["OVN_Northbound",
     {"op": "update", "table": "Logical_Switch_Port", "where": [],
      "row": {"dynamic_addresses": "b", "tag_request": 6,
              "options": ["map", [["k", "v2"], ["z", "1"]]]}},
     {"op": "update", "table": "Logical_Switch", "where": [],
      "row": {"other_config": ["map", [["a", "1"], ["c", "3"]]]}}],
    ["OVN_Northbound",
     {"op": "update", "table": "Logical_Switch_Port", "where": [],
      "row": {"dynamic_addresses": ["set", []], "addresses": ["set", []],
              "type": "router"}}],
    ["OVN_Northbound",
     {"op": "insert", "table": "Logical_Switch", "row": {"name": "ls2"}},
     {"op": "comment", "comment": "c1"},
     {"op": "comment", "comment": "c2"}],
    ["OVN_Northbound",
     {"op": "delete", "table": "Logical_Switch",
      "where": [["name", "==", "ls2"]]}],
]

SELECT_ALL = ["OVN_Northbound"] + [
    {"op": "select", "table": t, "where": []}
    for t in ("Logical_Switch", "Logical_Switch_Port")]


def parse_log(path):
    """Parses an OVSDB log file independently of weft: returns a list of
    (magic, header_offset, record_object), checking every record's length,
    SHA-1 and trailing newline."""
    with open(path, "rb") as f:
        data = f.read()
    records = []
    offset = 0
    while offset < len(data):
        nl = data.index(b"\n", offset)
        fields = data[offset:nl].decode().split(" ")
        assert len(fields) == 4, data[offset:nl]
        magic = " ".join(fields[:2])
        length, sha1 = int(fields[2]), fields[3]
        body = data[nl + 1:nl + 1 + length]
        assert len(body) == length
        assert hashlib.sha1(body).hexdigest() == sha1
        assert body.endswith(b"\n")
        records.append((magic, offset, json.loads(body)))
        offset = nl + 1 + length
    return records


def dump(path, expect_status=0):
    helper = weftlib.need_binary(HELPER)
    r = weftlib.run([helper, path], check=False)
    assert r.returncode == expect_status, r.stderr
    return [json.loads(line) for line in r.stdout.splitlines()], r.stderr


def nb_schema():
    if os.path.exists(REF_NB_SCHEMA):
        return REF_NB_SCHEMA
    return os.path.join(weftlib.SCHEMAS, "ovn-nb.ovsschema")


def ovsdb_tool(*args, check=True):
    tool = weftlib.need_tool("ovsdb-tool")
    return weftlib.run([tool] + list(args), check=check)


@pytest.fixture
def ovs_db(tmp_path):
    """An NB database written by ovsdb-tool: the schema plus TXNS."""
    weftlib.need_binary(HELPER)
    db = str(tmp_path / "ovs.db")
    ovsdb_tool("create", db, nb_schema())
    for txn in TXNS:
        ovsdb_tool("transact", db, json.dumps(txn))
    return db


def rows_without_version(query_output):
    result = json.loads(query_output)
    for table in result:
        for row in table["rows"]:
            del row["_version"]
        table["rows"].sort(key=lambda r: r["name"])
    return result


def test_read_ovsdb_tool_file(ovs_db):
    expected = [rec for _, _, rec in parse_log(ovs_db)]
    got, _ = dump(ovs_db)
    assert got == expected
    assert len(got) == 1 + len(TXNS)
    assert got[0]["name"] == "OVN_Northbound"
    assert all(rec.get("_is_diff") is True for rec in got[1:])
    assert got[1]["_comment"] == "hello \"world\"\n\u00e9\\"
    assert got[4]["_comment"] == "c1\nc2"


def test_read_compacted_file(ovs_db):
    ovsdb_tool("compact", ovs_db)
    expected = [rec for _, _, rec in parse_log(ovs_db)]
    got, _ = dump(ovs_db)
    assert got == expected
    assert len(got) == 2
    assert "_is_diff" not in got[1]


def test_read_ovsdb_server_file(tmp_path):
    """A file written by a running ovsdb-server, including its online
    compaction."""
    weftlib.need_binary(HELPER)
    server = weftlib.OvsdbServer(tmp_path / "srv", {"nb": nb_schema()})
    with server:
        for i, txn in enumerate(TXNS):
            server.client("transact", json.dumps(txn))
            if i == 2:
                server.appctl("ovsdb-server/compact")
    db = server.db_file("nb")
    expected = [rec for _, _, rec in parse_log(db)]
    got, _ = dump(db)
    assert got == expected
    assert got[1]["_comment"] == "compacting database online"


def test_weft_written_file_accepted_by_ovsdb_tool(ovs_db, tmp_path):
    helper = weftlib.need_binary(HELPER)
    copy = str(tmp_path / "copy.db")
    weftlib.run([helper, "--copy", ovs_db, copy])

    # Same records, framed the same way (checked by the Python parser).
    original = parse_log(ovs_db)
    written = parse_log(copy)
    assert [rec for _, _, rec in written] == [rec for _, _, rec in original]
    assert all(magic == "OVSDB JSON" for magic, _, _ in written)

    # ovsdb-tool reads it and finds the same database.
    assert (ovsdb_tool("show-log", copy).stdout
            == ovsdb_tool("show-log", ovs_db).stdout)
    assert ovsdb_tool("db-name", copy).stdout.strip() == "OVN_Northbound"
    assert (rows_without_version(ovsdb_tool("query", copy,
                                            json.dumps(SELECT_ALL)).stdout)
            == rows_without_version(ovsdb_tool("query", ovs_db,
                                               json.dumps(SELECT_ALL))
                                    .stdout))

    # ovsdb-tool appends to weft's file, and weft reads the result.
    ovsdb_tool("transact", copy, json.dumps(
        ["OVN_Northbound", {"op": "insert", "table": "Logical_Switch",
                            "row": {"name": "after"}}]))
    got, _ = dump(copy)
    assert got == [rec for _, _, rec in parse_log(copy)]
    assert len(got) == len(original) + 1


def test_torn_tail_interop(ovs_db):
    helper = weftlib.need_binary(HELPER)
    records = parse_log(ovs_db)
    last_offset = records[-1][1]
    size = os.path.getsize(ovs_db)
    os.truncate(ovs_db, size - 10)

    # ovsdb-tool refuses the torn file; weft reads the good records and
    # reports the bad tail distinctly.
    assert ovsdb_tool("show-log", ovs_db, check=False).returncode != 0
    got, err = dump(ovs_db, expect_status=2)
    assert got == [rec for _, _, rec in records[:-1]]
    assert "offset %d" % last_offset in err

    # weft drops the tail; ovsdb-tool then accepts the file.
    weftlib.run([helper, "--repair", ovs_db])
    assert os.path.getsize(ovs_db) == last_offset
    out = ovsdb_tool("show-log", ovs_db).stdout
    assert "record %d:" % (len(records) - 2) in out
    assert "record %d:" % (len(records) - 1) not in out


def test_lock_held_by_ovsdb_server(tmp_path):
    helper = weftlib.need_binary(HELPER)
    server = weftlib.OvsdbServer(tmp_path / "srv", {"nb": nb_schema()})
    with server:
        r = weftlib.run([helper, "--repair", server.db_file("nb")],
                        check=False)
        assert r.returncode == 1
        assert "in use" in r.stderr
        assert "process %d" % server.pid in r.stderr


def test_lock_held_by_weft(ovs_db):
    helper = weftlib.need_binary(HELPER)
    holder = subprocess.Popen([helper, "--hold", ovs_db],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              universal_newlines=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        r = ovsdb_tool("transact", ovs_db, json.dumps(["OVN_Northbound"]),
                       check=False)
        assert r.returncode != 0
        assert "lock" in r.stderr
    finally:
        holder.stdin.close()
        holder.wait(10)
    assert holder.returncode == 0
    ovsdb_tool("transact", ovs_db, json.dumps(["OVN_Northbound"]))
