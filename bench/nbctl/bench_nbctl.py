#!/usr/bin/python3
"""bench_nbctl: one weft-nbctl command against one ovn-nbctl command on a
large northbound database, measured in the same run.

Each invocation of an nbctl tool connects, loads what it needs of the
database, runs its commands in one transaction and exits; on a big NB the
loading dominates.  This benchmark builds an NB of 500 switches x 40 ports
(20,000 logical switch ports) on weft-db and on ovsdb-server (one JSON-RPC
transaction each), then times single commands (process start to exit),
for every combination of tool and server, so that the tool's share and the
server's share can be told apart:

    weft-nbctl on weft-db        ovn-nbctl on ovsdb-server   (end to end)
    weft-nbctl on ovsdb-server   ovn-nbctl on weft-db        (cross)

stdlib only.  See README.md.
"""
import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema"

SERVERS = ("weft-db", "ovsdb-server")
TOOLS = ("weft-nbctl", "ovn-nbctl")


# ---------------------------------------------------------------- servers

class Server:
    """One database server process serving an empty NB (OVN's schema) in
    its own temporary directory; stopped by PID."""

    def __init__(self, kind, weft_db):
        self.kind = kind
        self.dir = tempfile.mkdtemp(prefix="bench-nbctl-%s-" % kind)
        self.sock = os.path.join(self.dir, "nb.sock")
        db = os.path.join(self.dir, "nb.db")
        ctl = os.path.join(self.dir, "ctl")
        if kind == "weft-db":
            subprocess.check_call([weft_db, "create", db, NB_SCHEMA])
            cmd = [weft_db, "--remote=punix:" + self.sock,
                   "--unixctl=" + ctl, db]
        else:
            subprocess.check_call(["ovsdb-tool", "create", db, NB_SCHEMA])
            cmd = ["ovsdb-server", "--remote=punix:" + self.sock,
                   "--unixctl=" + ctl,
                   "--log-file=" + os.path.join(self.dir, "log"),
                   "-vconsole:off", db]
        self.log = open(os.path.join(self.dir, "stderr"), "w")
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=self.log)
        deadline = time.time() + 10
        while not os.path.exists(self.sock):
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("%s did not start, see %s"
                                   % (kind, self.dir))
            time.sleep(0.01)

    @property
    def remote(self):
        return "unix:" + self.sock

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def transact(sock_path, ops, timeout=600):
    """Sends one "transact" on a fresh connection; returns the result
    list.  Raises RuntimeError if the server reports an error."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(sock_path)
    try:
        s.sendall(json.dumps({"method": "transact", "id": 1,
                              "params": ["OVN_Northbound"] + ops}).encode())
        decoder = json.JSONDecoder()
        buf = b""
        while True:
            data = s.recv(1 << 20)
            if not data:
                raise RuntimeError("connection closed")
            buf += data
            try:
                msg, _ = decoder.raw_decode(buf.decode())
            except ValueError:
                continue
            if msg.get("id") == 1:
                break
    finally:
        s.close()
    if msg.get("error"):
        raise RuntimeError(msg["error"])
    for r in msg["result"]:
        if r and "error" in r:
            raise RuntimeError(r)
    return msg["result"]


def topology_ops(n_switches, n_ports):
    """One transaction: NB_Global and n_switches switches of n_ports ports,
    each port with a MAC and an IP, as a CMS would create them."""
    ops = [{"op": "insert", "table": "NB_Global", "row": {}}]
    for s in range(n_switches):
        ports = []
        for p in range(n_ports):
            name = "lsp%d_%d" % (s, p)
            ops.append({"op": "insert", "table": "Logical_Switch_Port",
                        "uuid-name": name,
                        "row": {"name": "ls%d-p%d" % (s, p),
                                "addresses": "00:00:%02x:%02x:%02x:%02x "
                                "10.%d.%d.%d" % (s >> 8, s & 255, p >> 8,
                                                 p & 255, s >> 8, s & 255,
                                                 p + 2),
                                "external_ids": ["map", [
                                    ["neutron:port_name", "port-%d-%d"
                                     % (s, p)]]]}})
            ports.append(["named-uuid", name])
        ops.append({"op": "insert", "table": "Logical_Switch",
                    "row": {"name": "ls%d" % s,
                            "ports": ["set", ports]}})
    return ops


# ---------------------------------------------------------------- timing

# Command name -> function(run number) giving the command's arguments.
# Every lsp-add and set changes the database (new name, new value).
COMMANDS = {
    "lsp-add": lambda tool, i: ["lsp-add", "ls0", "new-%s-%d" % (tool, i)],
    "ls-list": lambda tool, i: ["ls-list"],
    "set": lambda tool, i: ["set", "Logical_Switch_Port", "ls1-p1",
                            "external_ids:bench=%s-%d" % (tool, i)],
    "lsp-get-up": lambda tool, i: ["lsp-get-up", "ls2-p2"],
}


def cpu_seconds(pid):
    """CPU seconds that process 'pid' (a single thread) has used, from the
    scheduler's nanosecond count (/proc/PID/stat counts 10 ms ticks)."""
    with open("/proc/%d/schedstat" % pid) as f:
        return int(f.read().split()[0]) / 1e9


def time_command(tool_path, server, args):
    """Runs the tool once against 'server'.  Returns (wall-clock seconds
    from process start to exit, the tool's CPU seconds, the server's CPU
    seconds meanwhile)."""
    argv = [tool_path, "--db=" + server.remote, "--no-wait",
            "--timeout=600"] + args
    env = dict(os.environ)
    for var in ("OVN_NB_DB", "OVN_NBCTL_OPTIONS", "OVN_NB_DAEMON"):
        env.pop(var, None)
    server_cpu = cpu_seconds(server.proc.pid)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    server_cpu = cpu_seconds(server.proc.pid) - server_cpu
    err = proc.stderr.read().decode()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError("%s failed: %s" % (" ".join(argv), err))
    return elapsed, usage.ru_utime + usage.ru_stime, server_cpu


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weft-db", default=os.path.join(
        ROOT, "build", "daemons", "weft-db"))
    ap.add_argument("--weft-nbctl", default=os.path.join(
        ROOT, "build", "cli", "weft-nbctl"))
    ap.add_argument("--switches", type=int, default=500)
    ap.add_argument("--ports", type=int, default=40,
                    help="ports per switch")
    ap.add_argument("--repeat", type=int, default=7, metavar="N",
                    help="runs per command, tool and server; the median "
                    "is reported (default 7)")
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--quick", action="store_true",
                    help="50 x 40 ports, 3 runs: a smoke run")
    ap.add_argument("--json", metavar="FILE", help="also write results")
    args = ap.parse_args()
    if args.quick:
        args.switches, args.repeat = 50, 3
    for prog in ("ovsdb-server", "ovsdb-tool", "ovn-nbctl"):
        if not shutil.which(prog):
            sys.exit("%s not found" % prog)
    for path in (args.weft_db, args.weft_nbctl):
        if not os.access(path, os.X_OK):
            sys.exit("%s not found: build weft first (scripts/build.sh)"
                     % path)
    if not os.path.exists(NB_SCHEMA):
        sys.exit("%s not found (install ovn-common)" % NB_SCHEMA)
    tools = {"weft-nbctl": args.weft_nbctl,
             "ovn-nbctl": shutil.which("ovn-nbctl")}
    commands = args.commands.split(",")

    n_lsp = args.switches * args.ports
    print("NB: %d switches x %d ports = %d logical switch ports; "
          "median of %d runs" % (args.switches, args.ports, n_lsp,
                                 args.repeat))
    ops = topology_ops(args.switches, args.ports)
    servers = {}
    results = {"load_s": {}, "times": {}}
    try:
        for kind in SERVERS:
            servers[kind] = Server(kind, args.weft_db)
            start = time.perf_counter()
            transact(servers[kind].sock, ops)
            results["load_s"][kind] = time.perf_counter() - start
        print("load (one transaction): weft-db %.2f s, ovsdb-server %.2f s"
              % (results["load_s"]["weft-db"],
                 results["load_s"]["ovsdb-server"]))

        # Runs alternate over the four combinations, so that a drift in
        # the machine's speed affects all of them.
        runs = {(c, t, s): [] for c in commands for t in TOOLS
                for s in SERVERS}
        for c in commands:
            for i in range(args.repeat):
                for t in TOOLS:
                    for s in SERVERS:
                        runs[c, t, s].append(time_command(
                            tools[t], servers[s], COMMANDS[c](t, i)))
    finally:
        for srv in servers.values():
            srv.stop()

    # Per combination: median wall ms, median tool CPU ms, median server
    # CPU ms.
    med = {k: [1000 * statistics.median(r[j] for r in v) for j in range(3)]
           for k, v in runs.items()}
    print()
    print("%-11s %-24s %9s %9s %9s   %s" % ("command", "tool@server",
                                            "wall ms", "tool cpu",
                                            "srv cpu", "wall ms of each run"))
    for c in commands:
        for t in TOOLS:
            for s in SERVERS:
                w, tc, sc = med[c, t, s]
                print("%-11s %-24s %9.1f %9.1f %9.1f   %s"
                      % (c, "%s@%s" % (t, s), w, tc, sc,
                         " ".join("%.0f" % (1000 * r[0])
                                  for r in runs[c, t, s])))
                results["times"]["%s %s@%s" % (c, t, s)] = {
                    "wall_ms": w, "tool_cpu_ms": tc, "server_cpu_ms": sc,
                    "runs": [[1000 * x for x in r] for r in runs[c, t, s]]}
    print()
    print("speedups, ovn/weft (>1: weft faster); wall-clock, and in "
          "brackets CPU (tool + server)")
    print("%-11s %17s %17s %17s %17s" % ("command", "end-to-end",
                                         "tool@ovsdb-server",
                                         "tool@weft-db", "server(ovn-nbctl)"))
    results["speedups"] = {}

    def ratio(a, b):
        """(wall, cpu) ratios of combination a over combination b."""
        return (med[a][0] / med[b][0],
                (med[a][1] + med[a][2]) / max(med[b][1] + med[b][2], 0.1))
    for c in commands:
        sp = {
            "end_to_end": ratio((c, "ovn-nbctl", "ovsdb-server"),
                                (c, "weft-nbctl", "weft-db")),
            "tool_on_ovsdb_server": ratio((c, "ovn-nbctl", "ovsdb-server"),
                                          (c, "weft-nbctl", "ovsdb-server")),
            "tool_on_weft_db": ratio((c, "ovn-nbctl", "weft-db"),
                                     (c, "weft-nbctl", "weft-db")),
            "server_with_ovn_nbctl": ratio((c, "ovn-nbctl", "ovsdb-server"),
                                           (c, "ovn-nbctl", "weft-db")),
        }
        results["speedups"][c] = sp
        print("%-11s" % c + "".join("%8.2fx (%5.2fx)" % v
                                    for v in sp.values()))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"switches": args.switches, "ports": args.ports,
                       "repeat": args.repeat, "results": results}, f,
                      indent=2)


if __name__ == "__main__":
    main()
