"""The Python 'ovs' library's IDL (python3-openvswitch) against weft-db."""

import time

import pytest

import weftlib

ovs_idl = pytest.importorskip("ovs.db.idl",
                              reason="python3-openvswitch not installed")
import ovs.db.schema  # noqa: E402
import ovs.json  # noqa: E402
import ovs.poller  # noqa: E402

NB_SCHEMA = weftlib.DEFAULT_SCHEMAS["nb"]
Transaction = ovs_idl.Transaction


def make_idl(remote):
    helper = ovs_idl.SchemaHelper(location=NB_SCHEMA)
    helper.register_all()
    return ovs_idl.Idl(remote, helper)


def run_until(idl, pred, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        idl.run()
        if pred():
            return
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        poller = ovs.poller.Poller()
        idl.wait(poller)
        poller.timer_wait(100)
        poller.block()


def commit(idl, txn, timeout=10.0):
    deadline = time.monotonic() + timeout
    while True:
        status = txn.commit()
        if status != Transaction.INCOMPLETE:
            return status
        if time.monotonic() > deadline:
            raise AssertionError("transaction did not complete")
        idl.run()
        poller = ovs.poller.Poller()
        idl.wait(poller)
        txn.wait(poller)
        poller.timer_wait(100)
        poller.block()


def switches(idl):
    return {r.name: r for r in idl.tables["Logical_Switch"].rows.values()}


@pytest.fixture
def idl(weft_db):
    i = make_idl(weft_db.remote())
    try:
        run_until(i, i.has_ever_connected, what="initial connection")
        yield i
    finally:
        i.close()


def test_registers_all_tables(idl):
    schema = ovs.db.schema.DbSchema.from_json(
        ovs.json.from_file(NB_SCHEMA))
    assert set(idl.tables) == set(schema.tables)
    assert all(len(t.rows) == 0 for name, t in idl.tables.items()
               if name != "NB_Global")


def test_insert_switch_with_ports(idl):
    txn = Transaction(idl)
    ls = txn.insert(idl.tables["Logical_Switch"])
    ls.name = "sw0"
    ports = []
    for i in range(3):
        p = txn.insert(idl.tables["Logical_Switch_Port"])
        p.name = "sw0-p%d" % i
        p.addresses = ["00:00:00:00:00:0%d 10.0.0.%d" % (i + 1, i + 1)]
        ports.append(p)
    ls.ports = ports
    ls.external_ids = {"owner": "idl"}
    status = commit(idl, txn)
    assert status == Transaction.SUCCESS, txn.get_error()
    real = txn.get_insert_uuid(ls.uuid)
    assert real is not None

    run_until(idl, lambda: "sw0" in switches(idl), what="own change")
    sw = switches(idl)["sw0"]
    assert sw.uuid == real
    assert sorted(p.name for p in sw.ports) == ["sw0-p0", "sw0-p1",
                                                "sw0-p2"]
    assert sw.external_ids == {"owner": "idl"}
    assert len(idl.tables["Logical_Switch_Port"].rows) == 3


def test_sees_other_clients_change(weft_db, idl):
    nbctl = weftlib.need_tool("ovn-nbctl")
    weftlib.run([nbctl, "--db=" + weft_db.remote(), "--timeout=20",
                 "ls-add", "from-nbctl", "--", "lsp-add", "from-nbctl",
                 "nbp1", "--", "lsp-set-addresses", "nbp1",
                 "00:00:00:00:01:01 192.168.0.5"])
    run_until(idl, lambda: "from-nbctl" in switches(idl),
              what="ovn-nbctl's switch")
    sw = switches(idl)["from-nbctl"]
    assert [p.name for p in sw.ports] == ["nbp1"]
    assert sw.ports[0].addresses == ["00:00:00:00:01:01 192.168.0.5"]

    weftlib.run([nbctl, "--db=" + weft_db.remote(), "--timeout=20",
                 "ls-del", "from-nbctl"])
    run_until(idl, lambda: "from-nbctl" not in switches(idl),
              what="ovn-nbctl's delete")
    assert len(idl.tables["Logical_Switch_Port"].rows) == 0


def test_verify_conflict_try_again(weft_db, idl):
    nbctl = weftlib.need_tool("ovn-nbctl")
    txn = Transaction(idl)
    ls = txn.insert(idl.tables["Logical_Switch"])
    ls.name = "v"
    assert commit(idl, txn) == Transaction.SUCCESS
    run_until(idl, lambda: "v" in switches(idl))

    row = switches(idl)["v"]
    txn = Transaction(idl)
    row.verify("other_config")
    row.external_ids = {"mine": "1"}
    # Another client changes the verified column before we commit; our
    # IDL has not seen it (no idl.run() in between).
    weftlib.run([nbctl, "--db=" + weft_db.remote(), "--timeout=20",
                 "set", "Logical_Switch", "v", "other_config:x=y"])
    status = commit(idl, txn)
    assert status == Transaction.TRY_AGAIN

    # After catching up, the retried transaction succeeds.
    run_until(idl, lambda: switches(idl)["v"].other_config == {"x": "y"})
    row = switches(idl)["v"]
    txn = Transaction(idl)
    row.verify("other_config")
    row.external_ids = {"mine": "1"}
    assert commit(idl, txn) == Transaction.SUCCESS
    run_until(idl, lambda: switches(idl)["v"].external_ids == {"mine": "1"})
