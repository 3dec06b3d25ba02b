"""weft-db durability: SIGKILL during a write storm loses no acknowledged
transaction; a torn tail is dropped; corruption in the middle is a clean
error."""

import os
import random
import re
import signal
import subprocess
import threading
import time

import weftlib
from weftlib import JsonRpcClient

NB = "OVN_Northbound"
NB_ONLY = {"nb": weftlib.DEFAULT_SCHEMAS["nb"]}


def names_in(db):
    c = JsonRpcClient(db.remote("nb"))
    try:
        res = c.transact(NB, {"op": "select", "table": "Logical_Switch",
                              "where": [], "columns": ["name"]})
        return {r["name"] for r in res[0]["rows"]}
    finally:
        c.close()


def storm(remote, prefix, acked, stop):
    """Inserts one switch per transaction until the connection dies or
    'stop' is set, adding each acknowledged name to 'acked'."""
    try:
        c = JsonRpcClient(remote, timeout=5)
    except OSError:
        return
    i = 0
    try:
        while not stop.is_set():
            name = "%s-%d" % (prefix, i)
            i += 1
            res = c.transact(NB, {"op": "insert", "table": "Logical_Switch",
                                  "row": {"name": name}})
            if res and "uuid" in res[0]:
                acked.append(name)
    except (OSError, EOFError, ValueError):
        pass
    finally:
        c.close()


def test_sigkill_write_storm(tmp_path):
    workdir = tmp_path / "db"
    rng = random.Random(os.getpid() ^ int(time.time()))
    all_acked = []
    start = time.monotonic()
    for round_ in range(20):
        db = weftlib.WeftDb(workdir, schemas=NB_ONLY)
        db.start()
        try:
            # Everything acknowledged in earlier rounds survived restart.
            present = names_in(db)
            missing = [n for n in all_acked if n not in present]
            assert not missing, ("round %d: %d acknowledged names lost, "
                                 "e.g. %s" % (round_, len(missing),
                                              missing[:5]))
            acked = []
            stop = threading.Event()
            t = threading.Thread(target=storm,
                                 args=(db.remote("nb"), "r%d" % round_,
                                       acked, stop))
            t.start()
            time.sleep(rng.uniform(0.02, 0.3))
            db.proc.send_signal(signal.SIGKILL)
            db.proc.wait(5)
            stop.set()
            t.join(10)
            assert not t.is_alive()
            all_acked += acked
        finally:
            db.stop()
    db = weftlib.WeftDb(workdir, schemas=NB_ONLY)
    db.start()
    try:
        present = names_in(db)
    finally:
        db.stop()
    missing = [n for n in all_acked if n not in present]
    assert not missing, "%d acknowledged names lost" % len(missing)
    assert len(all_acked) > 20, "write storm acknowledged too little"
    assert time.monotonic() - start < 90


RECORD_RX = re.compile(rb"OVSDB JSON (\d+) [0-9a-f]{40}\n")


def records(data):
    """[(header offset, body offset, body length)] of each record."""
    out = []
    pos = 0
    while pos < len(data):
        m = RECORD_RX.match(data, pos)
        assert m, "unparsable record at %d" % pos
        n = int(m.group(1))
        out.append((pos, m.end(), n))
        pos = m.end() + n   # the length includes the body's final "\n"
    return out


def build_file(tmp_path, count):
    db = weftlib.WeftDb(tmp_path / "orig", schemas=NB_ONLY)
    db.start()
    try:
        c = JsonRpcClient(db.remote("nb"))
        try:
            for i in range(count):
                c.transact(NB, {"op": "insert", "table": "Logical_Switch",
                                "row": {"name": "n%d" % i}})
        finally:
            c.close()
    finally:
        db.stop()
    with open(db.db_file("nb"), "rb") as f:
        return f.read()


def test_torn_tail_dropped(tmp_path):
    data = build_file(tmp_path, 5)
    recs = records(data)
    assert len(recs) == 6   # the schema, then 5 transactions
    last_hdr = recs[-1][0]
    rng = random.Random(1234)
    cuts = sorted({last_hdr + 1, last_hdr + 20, recs[-1][1] + 1,
                   len(data) - 1}
                  | {rng.randrange(last_hdr + 1, len(data) - 1)
                     for _ in range(4)})
    for i, cut in enumerate(cuts):
        db = weftlib.WeftDb(tmp_path / ("cut%d" % i), schemas=NB_ONLY)
        os.makedirs(db.workdir, exist_ok=True)
        with open(db.db_file("nb"), "wb") as f:
            f.write(data[:cut])
        db.start()
        try:
            assert names_in(db) == {"n0", "n1", "n2", "n3"}, cut
            # And the database is writable after the torn tail.
            c = JsonRpcClient(db.remote("nb"))
            try:
                res = c.transact(NB, {"op": "insert",
                                      "table": "Logical_Switch",
                                      "row": {"name": "later"}})
                assert "uuid" in res[0]
            finally:
                c.close()
            out = db.output()
        finally:
            db.stop()
        assert re.search(r"WARN.*(torn|drop)", out), \
            "no warning about the torn tail at offset %d:\n%s" % (cut, out)
        db = weftlib.WeftDb(tmp_path / ("cut%d" % i), schemas=NB_ONLY)
        db.start()
        try:
            assert names_in(db) == {"n0", "n1", "n2", "n3", "later"}
        finally:
            db.stop()


def test_garbage_in_middle_record_is_an_error(tmp_path):
    data = build_file(tmp_path, 5)
    recs = records(data)
    _, body, n = recs[3]
    bad = bytearray(data)
    bad[body + n // 2: body + n // 2 + 4] = b"\x00#@!"
    path = os.path.join(str(tmp_path), "bad.db")
    with open(path, "wb") as f:
        f.write(bad)
    binary = weftlib.need_weft_db()
    sockdir = tmp_path / "s"
    os.makedirs(sockdir)
    env = dict(os.environ, WEFT_RUNDIR=str(sockdir),
               WEFT_LOGDIR=str(tmp_path))
    try:
        r = subprocess.run([binary, "--unixctl=" + str(sockdir / "c.ctl"),
                            "--remote=punix:" + str(sockdir / "s.sock"),
                            path],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=10, env=env)
    except subprocess.TimeoutExpired:
        raise AssertionError("weft-db served a database with a corrupt "
                             "record in the middle")
    assert r.returncode == 1, (r.returncode, r.stderr)
    assert path in r.stderr or "bad.db" in r.stderr, r.stderr
    # The file was not modified (not truncated at the bad record).
    with open(path, "rb") as f:
        assert f.read() == bytes(bad)
