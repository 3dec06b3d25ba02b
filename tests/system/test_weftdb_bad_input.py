"""weft-db facing bad clients: malformed JSON, invalid transactions,
oversized messages, unknown methods.  The server answers or drops only the
offending connection and keeps serving everyone else."""

import socket
import time

import pytest

import weftlib
from weftlib import JsonRpcClient

NB = "OVN_Northbound"
# The default limit is 1 GiB (JSONRPC_DEFAULT_MAX_MSG_SIZE), large enough
# for a northd's first write of a big SB; the oversize test lowers it with
# weft-db's --max-message-size so that it need not send a gigabyte.
MAX_MSG = 64 * 1024 * 1024


def alive(db):
    assert db.proc.poll() is None, "weft-db died:\n" + db.output()
    c = JsonRpcClient(db.remote())
    try:
        r = c.call("list_dbs", [])
        assert "OVN_Northbound" in r["result"]
    finally:
        c.close()


def closed_or_error(c, timeout=5):
    """True if the server closed 'c' (EOF/reset), or sends a message
    carrying an error."""
    c.sock.settimeout(timeout)
    try:
        msg = c.recv()
    except (EOFError, ConnectionResetError, BrokenPipeError):
        return True
    return msg.get("error") is not None


@pytest.mark.parametrize("garbage", [
    b"{]", b"not json at all", b'{"method": "list_dbs", "params": [], '
    b'"id": 1 ,,}', b"\xff\xfe\x00garbage", b"[1, 2, 3]", b"42",
    b'{"method": 7, "params": [], "id": 1}',
    b'{"method": "list_dbs", "params": {}, "id": 1}',
], ids=["brackets", "text", "commas", "binary", "array", "number",
        "method-type", "params-type"])
def test_malformed_json(weft_db, garbage):
    bystander = JsonRpcClient(weft_db.remote())
    c = JsonRpcClient(weft_db.remote())
    try:
        c.send_raw(garbage)
        assert closed_or_error(c)
        # The other client, connected before, is still served.
        assert bystander.call("list_dbs", [])["error"] is None
    finally:
        c.close()
        bystander.close()
    alive(weft_db)


BAD_TXNS = {
    "unknown-op": [NB, {"op": "frobnicate", "table": "Logical_Switch"}],
    "missing-table": [NB, {"op": "insert", "row": {"name": "x"}}],
    "unknown-table": [NB, {"op": "select", "table": "Nope", "where": []}],
    "unknown-column": [NB, {"op": "insert", "table": "Logical_Switch",
                            "row": {"nope": "x"}}],
    "wrong-type": [NB, {"op": "insert", "table": "Logical_Switch",
                        "row": {"name": 5}}],
    "wrong-set-type": [NB, {"op": "insert", "table": "Logical_Switch",
                            "row": {"ports": ["set", ["x"]]}}],
    "bad-uuid": [NB, {"op": "select", "table": "Logical_Switch",
                      "where": [["_uuid", "==", ["uuid", "not-a-uuid"]]]}],
    "bad-named-uuid": [NB, {"op": "insert", "table": "Logical_Switch",
                            "row": {"ports": ["named-uuid", "nobody"]}}],
    "bad-where": [NB, {"op": "select", "table": "Logical_Switch",
                       "where": [["name", "~~", "x"]]}],
    "op-not-object": [NB, "insert"],
    "unknown-db": ["Nope", {"op": "select", "table": "Logical_Switch",
                            "where": []}],
    "no-db": [],
    "bad-mutator": [NB, {"op": "mutate", "table": "Logical_Switch",
                         "where": [], "mutations": [["name", "+=", 1]]}],
}


def shape(reply):
    """What must match between weft-db and ovsdb-server: the top-level
    error, or each operation's error code."""
    if reply.get("error") is not None:
        err = reply["error"]
        return ("error", err.get("error") if isinstance(err, dict) else err)
    return ("result", [r.get("error") if isinstance(r, dict) else r
                       for r in reply["result"]])


@pytest.mark.parametrize("name", list(BAD_TXNS))
def test_invalid_transaction(weft_db, ovsdb_server, name):
    params = BAD_TXNS[name]
    w = JsonRpcClient(weft_db.remote())
    o = JsonRpcClient(ovsdb_server.remote())
    try:
        wr = w.call("transact", params)
        orr = o.call("transact", params)
        # It is an error, with a proper error object.
        if wr.get("error") is None:
            errs = [r for r in wr["result"] if r and "error" in r]
            assert errs, wr
            assert all(isinstance(e["error"], str) for e in errs)
        else:
            assert wr.get("result") is None
        assert shape(orr) != ("result", [None])
        # The same error as ovsdb-server 3.1 gives.
        assert shape(wr) == shape(orr), (wr, orr)
        # An error object where ovsdb-server sends one, a plain string
        # (such as "unknown database") where it does.
        assert isinstance(wr.get("error"), dict) == \
            isinstance(orr.get("error"), dict), (wr, orr)
        # The connection is still usable.
        assert w.call("list_dbs", [])["error"] is None
    finally:
        w.close()
        o.close()
    alive(weft_db)


def test_parse_error_details(weft_db, ovsdb_server):
    """A malformed operation is reported in ovsdb-server's words, naming
    the operation's position in the request."""
    ops = [{"op": "select", "table": "Logical_Switch", "where": []},
           {"op": "insert", "table": "Nope", "row": {}}]
    for remote in (weft_db.remote(), ovsdb_server.remote()):
        with JsonRpcClient(remote) as c:
            err = c.call("transact", [NB] + ops)["result"][1]
            assert err["error"] == "syntax error"
            assert err["details"] == ("Parsing ovsdb operation 2 of 2 "
                                      "failed: No table named Nope.")


# Requests to methods other than "transact" that ovsdb-server 3.1 refuses,
# sent in order on one connection.
BAD_REQUESTS = [
    ("get_schema", []),
    ("get_schema", ["Nope"]),
    ("monitor", []),
    ("monitor", ["Nope", None, {}]),
    ("monitor_cond", ["Nope", None, {}]),
    ("monitor_cond_since", ["Nope", None, {}, None]),
    ("monitor", [NB, "m", {}]),
    ("monitor_cond", [NB, "m", {}]),
    ("monitor_cond_change", ["m"]),
    ("monitor_cond_change", ["nope", "nope", {}]),
    ("monitor_cancel", []),
    ("monitor_cancel", ["nope"]),
    ("lock", []),
    ("lock", ["L"]),
    ("lock", ["L"]),
    ("steal", ["L"]),
    ("unlock", [5]),
    ("unlock", ["other"]),
    ("set_db_change_aware", [5]),
]


def test_bad_requests_like_ovsdb_server(weft_db, ovsdb_server):
    """The same replies as ovsdb-server 3.1, error objects and plain-string
    errors alike (the key order aside)."""
    replies = {}
    for name, server in (("weft", weft_db), ("ovsdb", ovsdb_server)):
        with JsonRpcClient(server.remote()) as c:
            replies[name] = [c.call(m, p) for m, p in BAD_REQUESTS]
    for req, w, o in zip(BAD_REQUESTS, replies["weft"], replies["ovsdb"]):
        assert w.get("error") == o.get("error"), (req, w, o)
        assert w.get("result") == o.get("result"), (req, w, o)


def test_unknown_method(weft_db):
    c = JsonRpcClient(weft_db.remote())
    try:
        r = c.call("no_such_method", [])
        assert r["result"] is None
        assert r["error"] == "unknown method"
        assert c.call("list_dbs", [])["error"] is None
    finally:
        c.close()
    alive(weft_db)


@pytest.fixture
def small_limit_db(tmp_path):
    db = weftlib.WeftDb(tmp_path / "weft-db",
                        extra_args=["--max-message-size=%d" % MAX_MSG])
    db.start()
    yield db
    db.stop()


def test_max_message_size_option(tmp_path):
    for bad in ("0", "12", "abc", "1e9", "-5"):
        proc = weftlib.run([weftlib.need_binary("daemons/weft-db"),
                            "--max-message-size=" + bad,
                            str(tmp_path / "none.db")], check=False)
        assert proc.returncode == 1
        assert "--max-message-size=%s: expected a number of bytes" % bad \
            in proc.stderr


def test_oversized_message(small_limit_db):
    weft_db = small_limit_db
    bystander = JsonRpcClient(weft_db.remote())
    c = JsonRpcClient(weft_db.remote(), timeout=30)
    start = time.monotonic()
    try:
        head = b'{"method":"echo","id":1,"params":["'
        chunk = b"a" * (1 << 20)
        sent = 0
        try:
            c.send_raw(head)
            while sent < MAX_MSG + (1 << 20):
                c.sock.sendall(chunk)
                sent += len(chunk)
            c.send_raw(b'"]}')
        except (BrokenPipeError, ConnectionResetError):
            pass   # the server stopped reading: fine
        assert closed_or_error(c, timeout=20)
        assert time.monotonic() - start < 30
        assert bystander.call("list_dbs", [])["error"] is None
    finally:
        c.close()
        bystander.close()
    alive(weft_db)


def test_just_under_limit_message_accepted(weft_db):
    """A large (8 MiB) but legal message works."""
    c = JsonRpcClient(weft_db.remote(), timeout=30)
    try:
        big = "b" * (8 << 20)
        r = c.call("echo", [big])
        assert r["error"] is None and r["result"] == [big]
    finally:
        c.close()
    alive(weft_db)


def test_half_message_then_disconnect(weft_db):
    for _ in range(20):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(weft_db.remote()[5:])
        s.sendall(b'{"method":"transact","params":["OVN_Northbound",'
                  b'{"op":"insert","table":"Logical_Switch","row":{"na')
        s.close()
    alive(weft_db)
