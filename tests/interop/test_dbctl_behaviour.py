"""Behaviour of the generic database commands that one command line at a
time cannot show: a wait-until that really waits for another client's
change, --dry-run, --oneline and the OVN_NB_DB variable.  Each test runs
the same steps with the real ovn-nbctl on ovsdb-server and with
weft-nbctl on weft-db, and checks both the same way."""

import os
import subprocess
import time

import pytest

import weftlib


def _sides(weft_db, ovsdb_server):
    weft = weftlib.need_binary("cli/weft-nbctl", "weft-nbctl not built")
    real = weftlib.need_tool("ovn-nbctl")
    return [("weft", weft, weft_db), ("real", real, ovsdb_server)]


def _nbctl(tool, server, *args, check=True):
    return weftlib.run([tool, "--db=" + server.remote("nb")] + list(args),
                       check=check)


def test_wait_until_waits_for_change(weft_db, ovsdb_server):
    for name, tool, server in _sides(weft_db, ovsdb_server):
        waiter = subprocess.Popen(
            [tool, "--db=" + server.remote("nb"), "--timeout=20",
             "wait-until", "Logical_Switch", "sw5", "other_config:ready=yes",
             "--", "get", "Logical_Switch", "sw5", "name"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # The row does not exist yet, then exists without the key: the
            # waiter must still be waiting after each step.
            time.sleep(0.5)
            assert waiter.poll() is None, name
            _nbctl(tool, server, "create", "Logical_Switch", "name=sw5")
            time.sleep(0.5)
            assert waiter.poll() is None, name
            _nbctl(tool, server, "set", "Logical_Switch", "sw5",
                   "other_config:ready=yes")
            out, err = waiter.communicate(timeout=15)
        finally:
            if waiter.poll() is None:
                waiter.kill()
                waiter.wait()
        assert waiter.returncode == 0, (name, err)
        assert out == "sw5\n", name


def test_dry_run_changes_nothing(weft_db, ovsdb_server):
    for name, tool, server in _sides(weft_db, ovsdb_server):
        before = _nbctl(tool, server, "--bare", "--columns=name", "list",
                        "Logical_Switch").stdout
        r = _nbctl(tool, server, "--dry-run", "create", "Logical_Switch",
                   "name=dry")
        assert r.returncode == 0 and len(r.stdout.strip()) == 36, name
        after = _nbctl(tool, server, "--bare", "--columns=name", "list",
                       "Logical_Switch").stdout
        assert before == after, name


def test_oneline(weft_db, ovsdb_server):
    outputs = {}
    for name, tool, server in _sides(weft_db, ovsdb_server):
        _nbctl(tool, server, "create", "Logical_Switch", "name=one",
               "external_ids:a=b", "external_ids:c=d")
        r = _nbctl(tool, server, "--oneline", "--columns=name,external_ids",
                   "list", "Logical_Switch", "one", "--", "get",
                   "Logical_Switch", "one", "name", "external_ids:c")
        outputs[name] = r.stdout
    # A table is printed as it is; other output takes one line per
    # command, its line breaks written as "\n".
    assert outputs["weft"] == outputs["real"]
    assert outputs["weft"].endswith("}\none\\nd\n")


def test_env_variable_names_the_database(weft_db, ovsdb_server):
    for name, tool, server in _sides(weft_db, ovsdb_server):
        env = dict(os.environ, OVN_NB_DB=server.remote("nb"))
        r = weftlib.run([tool, "get", "NB_Global", ".", "nb_cfg"], env=env)
        assert r.stdout == "0\n", name
