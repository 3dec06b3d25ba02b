"""weft-nbctl's --wait=sb|hv, sync and --print-wait-time against the REAL
ovn-northd (OVN 23.03), with ovn-nbctl run the same way for comparison.

One server (weft-db, and for comparison ovsdb-server) serves both the
northbound and the southbound database, from OVN's own schemas, and the
real ovn-northd compiles one into the other.  Each test runs once with
weft-nbctl and once with ovn-nbctl and asserts the same things:

  * `--wait=sb ls-add / lsp-add / sync` return only after northd has
    written the southbound database: the Datapath_Binding / Port_Binding
    rows are there the moment the command exits, and NB_Global sb_cfg has
    reached nb_cfg, which each run bumped by exactly 1;
  * `--print-wait-time` prints the wait's three (or four) lines;
  * `--wait=hv` with a fake chassis (Chassis + Chassis_Private rows, whose
    nb_cfg the test bumps as ovn-controller would) waits until hv_cfg
    catches up, and `--timeout` ends the wait with SIGALRM when nobody
    bumps it.

Also: OVN_NBCTL_OPTIONS and the "Options:" section of --help against
ovn-nbctl, and weft-nbctl's deliberate difference with --dry-run.
Facts: docs/nbctl-facts.md section 8.

Run:    /usr/bin/python3 -m pytest tests/interop/test_nbctl_wait.py
"""

import contextlib
import os
import re
import signal
import subprocess
import time

import pytest

import weftlib
from test_ovn_nbctl_northd import Northd, OVN_SCHEMAS, _need_ovn

TOOLS = ["weft-nbctl", "ovn-nbctl"]
SERVERS = ["weft-db", "ovsdb-server"]

WAIT_TIME_RE = re.compile(
    r"Time spent on processing nb_cfg (\d+):\n"
    r"\tovn-northd delay before processing:\t(-?\d+)ms\n"
    r"\tovn-northd completion:\t\t\t(-?\d+)ms\n"
    r"(?:\tovn-controller\(s\) completion:\t\t(-?\d+)ms\n)?\Z")
ALARM_RE = re.compile(r"\A\d{4}-\d\d-\d\dT[\d:]+Z\|\d+\|fatal_signal\|WARN\|"
                      r"terminating with signal 14 \(Alarm clock\)\n\Z")


def _tool_path(name):
    if name == "weft-nbctl":
        return weftlib.need_binary("cli/weft-nbctl")
    return weftlib.need_tool(name)


@pytest.fixture(scope="module", params=SERVERS)
def central(request, tmp_path_factory):
    """A server with OVN's NB and SB and the real ovn-northd on it."""
    _need_ovn()
    workdir = tmp_path_factory.mktemp(request.param)
    cls = weftlib.WeftDb if request.param == "weft-db" else \
        weftlib.OvsdbServer
    server = cls(workdir / "db", schemas=OVN_SCHEMAS)
    northd = Northd(workdir / "northd", server.remote("nb"),
                    server.remote("sb"))
    server.northd = northd
    with weftlib.running(server, northd):
        # ovn-northd creates NB_Global soon after it connects.
        deadline = time.time() + 30
        while not _select(server, "nb", "NB_Global", ["nb_cfg"]):
            assert time.time() < deadline, "ovn-northd made no NB_Global"
            time.sleep(0.1)
        yield server
        assert northd.proc.poll() is None, northd.output()
        assert server.proc.poll() is None, server.output()


@pytest.fixture(params=TOOLS)
def nbctl(request, central):
    """Runs the tool under test against 'central': nbctl(*args) returns
    the CompletedProcess (text)."""
    tool = _tool_path(request.param)

    def run(*args, check=True, timeout=30, env=None):
        return weftlib.run([tool, "--db=" + central.remote("nb")]
                           + list(args), check=check, timeout=timeout,
                           env=env)
    run.tool = tool
    run.name = request.param
    return run


def _select(server, db, table, columns, where=()):
    name = "OVN_Northbound" if db == "nb" else "OVN_Southbound"
    with weftlib.JsonRpcClient(server.remote(db)) as c:
        result = c.transact(name, {"op": "select", "table": table,
                                   "where": list(where),
                                   "columns": list(columns)})
    return result[0]["rows"]


def _nb_global(server):
    rows = _select(server, "nb", "NB_Global",
                   ["nb_cfg", "sb_cfg", "hv_cfg", "nb_cfg_timestamp",
                    "sb_cfg_timestamp", "hv_cfg_timestamp"])
    assert len(rows) == 1
    return rows[0]


def _sb_transact(server, *ops):
    with weftlib.JsonRpcClient(server.remote("sb")) as c:
        result = c.transact("OVN_Southbound", *ops)
    for r in result:
        assert "error" not in r, result
    return result


def _datapath_names(server):
    names = set()
    for row in _select(server, "sb", "Datapath_Binding", ["external_ids"]):
        names.update(v for k, v in row["external_ids"][1] if k == "name")
    return names


def _port_bindings(server):
    return {row["logical_port"]
            for row in _select(server, "sb", "Port_Binding",
                               ["logical_port"])}


@contextlib.contextmanager
def _paused(daemon):
    """Stops 'daemon' (which this test started) with SIGSTOP for the
    duration of the block."""
    os.kill(daemon.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(daemon.pid, signal.SIGCONT)


def _popen(nbctl, central, *args):
    return subprocess.Popen([nbctl.tool, "--db=" + central.remote("nb"),
                             "--timeout=30"] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)


def _finish(proc, timeout=20):
    """Waits for 'proc' to exit; returns (status, stdout, stderr)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, err


def test_wait_sb_blocks_until_northd(central, nbctl):
    """With northd stopped, the command commits and keeps waiting; once
    northd runs again, it returns only after the SB rows are written."""
    sw = "paused-" + nbctl.name
    before = _nb_global(central)["nb_cfg"]
    with _paused(central.northd):
        proc = _popen(nbctl, central, "--wait=sb", "ls-add", sw, "--",
                      "lsp-add", sw, sw + "-p1")
        _wait_for(lambda: _nb_global(central)["nb_cfg"] == before + 1)
        time.sleep(0.5)
        assert proc.poll() is None, proc.communicate()
        assert sw not in _datapath_names(central)
    # No polling here: the rows must be there as soon as the tool exits.
    status, out, err = _finish(proc)
    assert (status, out, err) == (0, "", "")
    assert sw in _datapath_names(central)
    assert sw + "-p1" in _port_bindings(central)
    g = _nb_global(central)
    assert g["nb_cfg"] == before + 1 and g["sb_cfg"] >= before + 1


def test_wait_sb_returns_after_northd(central, nbctl):
    sw = "sw-" + nbctl.name
    before = _nb_global(central)["nb_cfg"]

    nbctl("--wait=sb", "ls-add", sw)
    assert sw in _datapath_names(central)
    g = _nb_global(central)
    assert g["nb_cfg"] == before + 1
    assert g["sb_cfg"] >= g["nb_cfg"]

    for port in ("p1", "p2"):
        name = "%s-%s" % (sw, port)
        nbctl("--wait=sb", "lsp-add", sw, name)
        assert name in _port_bindings(central)
    g = _nb_global(central)
    assert g["nb_cfg"] == before + 3
    assert g["sb_cfg"] >= g["nb_cfg"]

    # A change without --wait: no bump; "sync" then waits for it anyway.
    nbctl("lsp-add", sw, sw + "-p3")
    assert _nb_global(central)["nb_cfg"] == before + 3
    nbctl("--wait=sb", "sync")
    assert sw + "-p3" in _port_bindings(central)
    g = _nb_global(central)
    assert g["nb_cfg"] == before + 4 and g["sb_cfg"] >= before + 4

    # Nothing changes: no bump, no wait.
    nbctl("--wait=sb", "--may-exist", "ls-add", sw)
    nbctl("--wait=sb", "ls-list")
    assert _nb_global(central)["nb_cfg"] == before + 4


def test_print_wait_time(central, nbctl):
    r = nbctl("--wait=sb", "--print-wait-time", "sync")
    m = WAIT_TIME_RE.match(r.stdout)
    assert m and m.group(4) is None, r.stdout
    g = _nb_global(central)
    assert int(m.group(1)) == g["nb_cfg"]
    delay, done = int(m.group(2)), int(m.group(3))
    # Both measured from the same start, by northd's clock (this host).
    assert -50 <= delay <= done < 20000, r.stdout
    assert done - delay == g["sb_cfg_timestamp"] - g["nb_cfg_timestamp"]

    # Output of the commands comes first.
    sw = "pwt-" + nbctl.name
    r = nbctl("--wait=sb", "--print-wait-time", "ls-add", sw, "--",
              "ls-list")
    head, _, tail = r.stdout.partition("Time spent")
    assert "(%s)\n" % sw in head
    assert WAIT_TIME_RE.match("Time spent" + tail), r.stdout

    # No change, or no wait: nothing printed about waiting.
    assert "Time spent" not in nbctl("--wait=sb", "--print-wait-time",
                                     "ls-list").stdout
    assert nbctl("--print-wait-time", "sync").stdout == ""


class FakeChassis:
    """A Chassis with its Chassis_Private row, whose nb_cfg the test
    copies from SB_Global, as ovn-controller does once it has caught up."""

    def __init__(self, server, name):
        self.server, self.name = server, name
        _sb_transact(server,
                     {"op": "insert", "table": "Encap", "uuid-name": "e",
                      "row": {"type": "geneve", "ip": "127.0.0.1",
                              "chassis_name": name}},
                     {"op": "insert", "table": "Chassis", "uuid-name": "c",
                      "row": {"name": name, "hostname": name,
                              "encaps": ["named-uuid", "e"]}},
                     {"op": "insert", "table": "Chassis_Private",
                      "row": {"name": name,
                              "chassis": ["named-uuid", "c"]}})

    def catch_up(self):
        """Sets Chassis_Private nb_cfg to SB_Global nb_cfg; returns it."""
        rows = _select(self.server, "sb", "SB_Global", ["nb_cfg"])
        nb_cfg = rows[0]["nb_cfg"]
        _sb_transact(self.server,
                     {"op": "update", "table": "Chassis_Private",
                      "where": [["name", "==", self.name]],
                      "row": {"nb_cfg": nb_cfg,
                              "nb_cfg_timestamp": int(time.time() * 1000)}})
        return nb_cfg

    def delete(self):
        _sb_transact(self.server,
                     {"op": "delete", "table": "Chassis_Private",
                      "where": [["name", "==", self.name]]},
                     {"op": "delete", "table": "Chassis",
                      "where": [["name", "==", self.name]]})


def _wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_wait_hv_with_fake_chassis(central, nbctl):
    chassis = FakeChassis(central, "hv-" + nbctl.name)
    try:
        nbctl("--wait=sb", "sync")
        chassis.catch_up()
        _wait_for(lambda: _nb_global(central)["hv_cfg"]
                  >= _nb_global(central)["nb_cfg"])

        # The command waits for the chassis, not just for northd.
        sw = "hvsw-" + nbctl.name
        proc = _popen(nbctl, central, "--wait=hv", "--print-wait-time",
                      "ls-add", sw)
        try:
            _wait_for(lambda: sw in _datapath_names(central))
            _wait_for(lambda: _nb_global(central)["sb_cfg"]
                      >= _nb_global(central)["nb_cfg"])
            time.sleep(1.0)
            assert proc.poll() is None, proc.communicate()
            g = _nb_global(central)
            assert g["hv_cfg"] < g["nb_cfg"]
            bumped = chassis.catch_up()
        finally:
            status, out, err = _finish(proc)
        assert status == 0, err
        g = _nb_global(central)
        assert bumped == g["nb_cfg"] and g["hv_cfg"] >= g["nb_cfg"]
        m = WAIT_TIME_RE.match(out)
        assert m and m.group(4) is not None, out
        assert int(m.group(1)) == g["nb_cfg"]
        # The chassis answered a second or more after the commit.
        assert 900 <= int(m.group(4)) < 30000, out

        # Nobody bumps the chassis: --timeout ends the wait with SIGALRM,
        # after the change was committed and northd processed it.
        before = _nb_global(central)["nb_cfg"]
        r = nbctl("--timeout=2", "--wait=hv", "sync", check=False)
        assert r.returncode == -14, r
        assert ALARM_RE.match(r.stderr), r.stderr
        assert r.stdout == ""
        g = _nb_global(central)
        assert g["nb_cfg"] == before + 1 and g["sb_cfg"] >= before + 1
        assert g["hv_cfg"] < g["nb_cfg"]

        # --wait=sb does not care about the chassis.
        nbctl("--timeout=20", "--wait=sb", "sync")
    finally:
        chassis.delete()
    # Without chassis, northd sets hv_cfg itself.
    nbctl("--timeout=20", "--wait=hv", "sync")


def test_dry_run_does_not_wait(central):
    """ovn-nbctl --dry-run --wait=sb waits forever for an nb_cfg it never
    commits; weft-nbctl neither bumps nb_cfg nor waits."""
    tool = _tool_path("weft-nbctl")
    before = _nb_global(central)["nb_cfg"]
    for args in (["sync"], ["ls-add", "dry"]):
        r = weftlib.run([tool, "--db=" + central.remote("nb"), "--timeout=5",
                         "--dry-run", "--wait=sb"] + args)
        assert r.stdout == "" and r.stderr == ""
    assert _nb_global(central)["nb_cfg"] == before
    assert "dry" not in _datapath_names(central)


# OVN_NBCTL_OPTIONS: words split as a shell would, taken before the command
# line's options, which win.
ENV_CASES = [
    ("--oneline", ["ls-list", "--", "ls-list"]),
    ("--wait=sb --print-wait-time", ["sync"]),
    ("--wait=sb --timeout=20", ["--no-wait", "--print-wait-time", "sync"]),
    ("--format=csv   --no-headings\t--columns=name",
     ["list", "Logical_Switch", "sw-env"]),
    ("'--columns=name' \"--format=\"csv", ["list", "Logical_Switch",
                                           "sw-env"]),
    ("--bogus", ["ls-list"]),
    ("--wait=sb 'x", ["--no-wait", "sync"]),
    ("--wait=bogus", ["ls-list"]),
    ("ls-list", ["sync"]),
    ("--may-exist", ["ls-add", "sw-env"]),
]
VLOG_RE = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+Z\|\d+\|", re.M)
TIME_RE = re.compile(r"-?\d+ms$", re.M)
UUID_RE = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")


def _normalize(r):
    def norm(text):
        text = re.sub(r"\b(ovn|weft)-nbctl: ", "TOOL: ", text)
        text = VLOG_RE.sub("", text)
        text = re.sub(r"nb_cfg \d+:", "nb_cfg N:", text)
        return UUID_RE.sub("UUID", TIME_RE.sub("Tms", text))
    return r.returncode, norm(r.stdout), norm(r.stderr)


@pytest.mark.parametrize("value,args", ENV_CASES,
                         ids=[v for v, _ in ENV_CASES])
def test_options_env(central, value, args):
    env = dict(os.environ, OVN_NBCTL_OPTIONS=value)
    env.pop("OVN_NB_DB", None)
    weftlib.run([_tool_path("ovn-nbctl"), "--db=" + central.remote("nb"),
                 "--may-exist", "ls-add", "sw-env"])
    results = []
    for name in TOOLS:
        r = weftlib.run([_tool_path(name), "--db=" + central.remote("nb")]
                        + args, check=False, env=env, timeout=30)
        results.append(_normalize(r))
    assert results[0] == results[1]


def _options_section(text):
    start = text.index("\nOptions:\n")
    return text[start:text.index("\n\n", start + 1)]


def test_help_options_section():
    env = dict(os.environ)
    for var in ("OVN_NB_DB", "OVN_RUNDIR", "OVN_NBCTL_OPTIONS"):
        env.pop(var, None)
    real = weftlib.run([_tool_path("ovn-nbctl"), "--help"], env=env).stdout
    weft = weftlib.run([_tool_path("weft-nbctl"), "--help"], env=env).stdout
    assert "--wait=hv" in real
    assert _options_section(weft) == _options_section(real)
