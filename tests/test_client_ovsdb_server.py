"""Interop tests for weft's OVSDB client library (ovsdb/client*.c and the
generated nbrec bindings) against a live OVN_Northbound server.

The real ovsdb-server (OVS 3.1) is the reference peer; weft-db, when built,
is tested the same way.  A three-member ovsdb-server raft cluster on
loopback checks leader-only connections and resuming on another member.  The C side is tests/helpers/client-smoke.c
(weft-test-client), which prints "ok: STEP" for each check it passes.
Servers are started on a temporary database and stopped by PID.  Tests skip
when the server or the helper is missing.

Run with: /usr/bin/python3 -m pytest tests/test_client_ovsdb_server.py
"""

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time

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


class Cluster:
    """A three-member ovsdb-server cluster of OVN_Northbound on loopback
    TCP (raft) with a unix socket per member for clients.  Members are
    started in the foreground and stopped by PID."""

    def __init__(self, workdir):
        self.tool = weftlib.need_tool("ovsdb-tool")
        self.server = weftlib.need_tool("ovsdb-server")
        self.appctl = weftlib.need_tool("ovs-appctl")
        self.workdir = str(workdir)
        os.makedirs(self.workdir, exist_ok=True)
        self.sockdir = tempfile.mkdtemp(prefix="weft-cl-", dir="/tmp")
        self.procs = [None, None, None]

    def path(self, i, suffix):
        base = self.sockdir if suffix in ("sock", "ctl") else self.workdir
        return os.path.join(base, "s%d.%s" % (i, suffix))

    def remote(self, i):
        return "unix:" + self.path(i, "sock")

    def start(self):
        ports = free_ports(3)
        raft = ["tcp:127.0.0.1:%d" % p for p in ports]
        weftlib.run([self.tool, "create-cluster", self.path(0, "db"),
                     NB_SCHEMA, raft[0]])
        for i in (1, 2):
            weftlib.run([self.tool, "join-cluster", self.path(i, "db"),
                         "OVN_Northbound", raft[i], raft[0]])
        for i in range(3):
            self.start_member(i)
        deadline = time.monotonic() + 30
        while self.leader() is None:
            assert time.monotonic() < deadline, "cluster has no leader"
            time.sleep(0.1)

    def start_member(self, i):
        self.procs[i] = subprocess.Popen(
            [self.server, "--no-chdir", "--unixctl=" + self.path(i, "ctl"),
             "--log-file=" + self.path(i, "log"),
             "--remote=punix:" + self.path(i, "sock"), self.path(i, "db")],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        weftlib.wait_for_unix_socket(self.path(i, "sock"), self.procs[i])

    def leader(self):
        """Index of the member that is leader and sees all three, or
        None."""
        for i in range(3):
            if self.procs[i] is None:
                continue
            r = weftlib.run([self.appctl, "-t", self.path(i, "ctl"),
                             "cluster/status", "OVN_Northbound"],
                            check=False)
            if "Role: leader" in r.stdout and r.stdout.count("(") >= 3:
                return i
        return None

    def stop_member(self, i):
        proc, self.procs[i] = self.procs[i], None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop(self):
        for i in range(3):
            self.stop_member(i)
        shutil.rmtree(self.sockdir, ignore_errors=True)


def free_ports(n):
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@pytest.fixture
def cluster(tmp_path):
    c = Cluster(tmp_path / "cluster")
    try:
        c.start()
        yield c
    finally:
        c.stop()


def test_cluster_leader_only(cluster):
    """In leader-only mode the client passes over followers (told apart
    through _Server's Database table) and writes through the leader."""
    helper = weftlib.need_binary(HELPER)
    leader = cluster.leader()
    order = [i for i in range(3) if i != leader] + [leader]
    remotes = ",".join(cluster.remote(i) for i in order)
    r = weftlib.run([helper, "leader", remotes, "via-leader"], timeout=60)
    assert "leader %s via monitor_cond_since" % cluster.remote(leader) \
        in r.stdout
    assert "not the cluster leader" in r.stderr


def test_cluster_resume(cluster):
    """After losing its member, the client moves to another one and
    resumes from the last transaction id (monitor_cond_since found=true)
    instead of reloading everything."""
    helper = weftlib.need_binary(HELPER)
    leader = cluster.leader()
    followers = [i for i in range(3) if i != leader]
    remotes = ",".join(cluster.remote(i) for i in followers)
    proc = subprocess.Popen([helper, "follow", remotes, "later"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        cluster.stop_member(followers[0])
        weftlib.ovsdb_client("transact", cluster.remote(leader), json.dumps(
            ["OVN_Northbound", {"op": "insert", "table": "Logical_Switch",
                                "row": {"name": "later"}}]))
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, "stdout:\n%s\nstderr:\n%s" % (out, err)
    assert "seen later via monitor_cond_since" in out
    assert "connections 2 full-loads 1 resumes 1" in out
