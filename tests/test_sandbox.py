"""The README's main job: scripts/sandbox.sh, run as the README says.

The script runs in a sandbox directory of the test's own
(WEFT_SANDBOX_DIR), with the binaries of the build under test
(WEFT_SANDBOX_BUILD, which also skips installing packages and building)
and without TCP remotes (WEFT_SANDBOX_TCP=no), so that it never clashes
with a sandbox a developer is running.  Its output must show the
reference topology and the three traces it promises: the SSH packet from
vm1 routed to vm2 (TTL decremented, MACs rewritten, let in by the
security group), the HTTP packet dropped by the group's ACL with the ACL
named, and the packet from outside to vm1's floating IP un-NATed and
delivered to vm1.  Then "scripts/sandbox.sh stop" must stop every
process it started.
"""

import os
import re
import signal
import subprocess
import time

import weftlib

SCRIPT = os.path.join(weftlib.ROOT, "scripts", "sandbox.sh")


def _sandbox(sbdir, *args, timeout=120):
    env = dict(os.environ, WEFT_SANDBOX_DIR=str(sbdir),
               WEFT_SANDBOX_BUILD=weftlib.build_dir(),
               WEFT_SANDBOX_TCP="no")
    # The script exports its own; the caller's must not leak in.
    for name in ("OVN_NB_DB", "OVN_SB_DB"):
        env.pop(name, None)
    return subprocess.run(["bash", SCRIPT] + list(args), env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=timeout)


def _sandbox_pids(sbdir):
    """PIDs of the live processes whose command line names 'sbdir'."""
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % entry, "rb") as f:
                cmdline = f.read().decode(errors="replace")
        except OSError:
            continue
        if str(sbdir) + "/" in cmdline and "sandbox.sh" not in cmdline:
            pids.append(int(entry))
    return pids


def _traces(stdout):
    """Splits the script's output at its "$ weft-trace ..." lines:
    returns [(command line, output)]."""
    parts = re.split(r"^\$ (weft-trace .*)$", stdout, flags=re.M)
    return [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]


def _check_ssh(cmd, text):
    """The summary of the SSH packet: routed by router1 into network2 and
    output to vm2 with the TTL decremented and both MACs rewritten."""
    assert "--summary" in cmd and "tcp.dst == 22" in cmd, cmd
    assert 'ingress(dp="router1", inport="router1-net1")' in text, text
    router = text[text.index('ingress(dp="router1"'):]
    for action in ("ip.ttl--;", "eth.src = 40:44:00:00:00:04;",
                   "eth.dst = 40:44:00:00:00:02;"):
        assert action in router, (action, text)
    egress = text[text.index(
        'egress(dp="network2", inport="net2-router1", outport="vm2")'):]
    assert '/* output to "vm2", type "" */' in egress, text
    assert "drop;" not in egress, text


def _check_http_minimal(cmd, text):
    """The minimal view of the HTTP packet: routed, then nothing leaves."""
    assert "--minimal" in cmd and "tcp.dst == 80" in cmd, cmd
    lines = text.strip().splitlines()
    assert lines[0].startswith("# tcp,") and "tp_dst=80" in lines[0], text
    assert lines[1:4] == ["ip.ttl--;", "eth.src = 40:44:00:00:00:04;",
                          "eth.dst = 40:44:00:00:00:02;"], text
    assert "output(" not in text, text


def _check_http_drop(cmd, text):
    """The last line of the HTTP packet's detailed trace: dropped by the
    security group's default deny, which it names."""
    assert "tcp.dst == 80" in cmd and "tail -n 1" in cmd, cmd
    line = text.strip().splitlines()[0]
    assert line.startswith('/* Dropped in the egress pipeline of '
                           '"network2", table '), line
    assert "(ls_out_acl)" in line, line
    assert ('ACL "to-lport 900 (outport == @sg_ssh && ip4) drop" on port '
            'group sg_ssh') in line, line
    assert re.search(r"by logical flow [0-9a-f]{8} ", line), line


def _check_fip(cmd, text):
    """From outside to the floating IP: DNAT to vm1's address, routed,
    output to vm1."""
    assert "--minimal" in cmd and "ip4.dst == 172.16.0.100" in cmd, cmd
    assert "ct_dnatin_czone(ip4.dst=192.168.0.11) {" in text, text
    inner = text[text.index("ct_dnatin_czone"):]
    for line in ("ip.ttl--;", "eth.src = 40:44:00:00:00:03;",
                 "eth.dst = 40:44:00:00:00:01;", 'output("vm1");'):
        assert line in inner, (line, text)


def test_sandbox(tmp_path):
    for prog in ("daemons/weft-db", "daemons/weft-northd", "cli/weft-nbctl",
                 "cli/weft-sbctl", "cli/weft-trace"):
        weftlib.need_binary(prog)
    sbdir = tmp_path / "sb"
    try:
        proc = _sandbox(sbdir)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        out = proc.stdout
        for name in ("weft-db", "weft-northd"):
            with open(str(sbdir / (name + ".pid"))) as f:
                pid = int(f.read())
            assert "%s pid %d" % (name, pid) in out, out
        started = _sandbox_pids(sbdir)
        assert len(started) == 2, started

        # The topology, as weft-nbctl show prints it.
        for name in ("network1", "network2", "public", "router1"):
            assert re.search(r'^(switch|router) \S+ \(%s\)$' % name, out,
                             re.M), out
        assert re.search(r"^Logical flows: .*= [1-9]\d*$", out, re.M), out

        traces = _traces(out)
        assert len(traces) == 4, out
        _check_ssh(*traces[0])
        _check_http_minimal(*traces[1])
        _check_http_drop(*traces[2])
        _check_fip(*traces[3])
        assert "(none: WEFT_SANDBOX_TCP=no)" in out, out

        # A second start restarts the sandbox cleanly (old daemons gone).
        proc = _sandbox(sbdir)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        restarted = _sandbox_pids(sbdir)
        assert len(restarted) == 2, restarted
        assert not set(restarted) & set(started), "old daemons survived"

        proc = _sandbox(sbdir, "stop")
        assert proc.returncode == 0, proc.stderr
        for name in ("weft-northd", "weft-db"):
            assert re.search(r"^sandbox: stopped %s \(pid \d+\)$" % name,
                             proc.stdout, re.M), proc.stdout
        deadline = time.time() + 5
        while _sandbox_pids(sbdir) and time.time() < deadline:
            time.sleep(0.1)
        assert _sandbox_pids(sbdir) == [], "left running"
        assert not list(sbdir.glob("*.pid"))
    finally:
        # Whatever happened above, nothing of the test's sandbox survives.
        _sandbox(sbdir, "stop")
        for pid in _sandbox_pids(sbdir):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


def test_sandbox_bad_argument():
    proc = subprocess.run(["bash", SCRIPT, "--bogus"],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True, timeout=30)
    assert proc.returncode != 0
    assert "unknown argument '--bogus'" in proc.stderr


def test_sandbox_help_documents_test_variables():
    proc = subprocess.run(["bash", SCRIPT, "--help"],
                          stdout=subprocess.PIPE, universal_newlines=True,
                          timeout=30)
    assert proc.returncode == 0
    for var in ("WEFT_SANDBOX_DIR", "WEFT_SANDBOX_BUILD", "WEFT_SANDBOX_TCP"):
        assert var in proc.stdout, proc.stdout
