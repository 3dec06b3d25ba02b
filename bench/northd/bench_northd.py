#!/usr/bin/python3
"""bench_northd: weft-northd against ovn-northd 23.03, measured in one run.

The topology (DESIGN.md §6): S switches (default 500) of P ports (default
40) behind one router, one port group per switch holding its ports, with 3
ACLs (about 100k logical flows in OVN).  It is loaded into a fresh NB in
one transaction, then for each northd (each on its own database server:
ovn-northd on ovsdb-server, weft-northd on weft-db):

  first sync    northd started on the loaded NB -> "--wait=sb sync"
                returns: the whole SB written and committed (s)
  recompute     a forced full recompute, the northd's own compute time
                (ovn-northd: stopwatch ovnnb_db_run Maximum after a reset;
                weft-northd: northd/stats "longest" after northd/stats-clear:
                the longest run the action caused) (ms, median of --repeat)
  peak RSS      the northd process's VmHWM after the above (MB); also its
                VmRSS right after the first sync and at the end (MB)
  add port      one lsp-add with --wait=sb: the northd's compute time for
                the change (ms) and the command's wall time (ms)
  add PG port   one port created, added to ls0 and to its port group pg0
                in one --wait=sb transaction (OpenStack's sequence):
                compute (ms) and wall time (ms)
  flows         Logical_Flow rows in SB

and prints each figure with the ratio peer/weft (>1: weft is better).
stdlib only.  See README.md.
"""
import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OVN_SCHEMAS = {"nb": "/usr/share/ovn/ovn-nb.ovsschema",
               "sb": "/usr/share/ovn/ovn-sb.ovsschema"}


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- topology

def topology_ops(n_switches, n_ports):
    """The OVSDB operations that create the benchmark topology."""
    ops = [{"op": "insert", "table": "NB_Global", "row": {}}]
    router_ports = []
    for s in range(n_switches):
        subnet = "10.%d.%d" % (s // 250, s % 250)
        lsps = []
        for p in range(n_ports):
            name = "ls%d-p%d" % (s, p)
            mac = "0a:00:%02x:%02x:%02x:%02x" % (s >> 8, s & 255, p >> 8,
                                                 p & 255)
            ops.append({"op": "insert", "table": "Logical_Switch_Port",
                        "uuid-name": "lsp_%d_%d" % (s, p),
                        "row": {"name": name,
                                "addresses": "%s %s.%d" % (mac, subnet,
                                                           p + 10)}})
            lsps.append(["named-uuid", "lsp_%d_%d" % (s, p)])
        rp = "ls%d-lr0" % s
        ops.append({"op": "insert", "table": "Logical_Switch_Port",
                    "uuid-name": "rsp_%d" % s,
                    "row": {"name": rp, "type": "router",
                            "addresses": "router",
                            "options": ["map", [["router-port",
                                                 "lr0-ls%d" % s]]]}})
        ops.append({"op": "insert", "table": "Logical_Router_Port",
                    "uuid-name": "lrp_%d" % s,
                    "row": {"name": "lr0-ls%d" % s,
                            "mac": "0a:ff:00:00:%02x:%02x" % (s >> 8,
                                                              s & 255),
                            "networks": subnet + ".1/24"}})
        router_ports.append(["named-uuid", "lrp_%d" % s])
        ops.append({"op": "insert", "table": "Logical_Switch",
                    "row": {"name": "ls%d" % s,
                            "ports": ["set", lsps
                                      + [["named-uuid", "rsp_%d" % s]]]}})
        acls = []
        for i, (direction, prio, match, action) in enumerate([
                ("from-lport", 1002, "inport == @pg%d && ip4" % s,
                 "allow-related"),
                ("to-lport", 1002,
                 "outport == @pg%d && ip4 && tcp.dst == 22" % s,
                 "allow-related"),
                ("to-lport", 1001, "outport == @pg%d && ip4" % s,
                 "drop")]):
            ops.append({"op": "insert", "table": "ACL",
                        "uuid-name": "acl_%d_%d" % (s, i),
                        "row": {"direction": direction, "priority": prio,
                                "match": match, "action": action}})
            acls.append(["named-uuid", "acl_%d_%d" % (s, i)])
        ops.append({"op": "insert", "table": "Port_Group",
                    "row": {"name": "pg%d" % s, "ports": ["set", lsps],
                            "acls": ["set", acls]}})
    ops.append({"op": "insert", "table": "Logical_Router",
                "row": {"name": "lr0", "ports": ["set", router_ports]}})
    return ops


def transact(sock_path, db, ops, timeout=600):
    """One JSON-RPC transact over a unix socket; raises on any error."""
    request = json.dumps({"method": "transact", "params": [db] + ops,
                          "id": 1}).encode()
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(sock_path)
        s.sendall(request)
        decoder = json.JSONDecoder()
        buf = ""
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                raise RuntimeError("connection closed before the reply")
            buf += chunk.decode()
            try:
                reply, _ = decoder.raw_decode(buf.lstrip())
            except ValueError:
                continue
            if reply.get("id") != 1:
                buf = ""
                continue
            break
    if reply.get("error"):
        raise RuntimeError("transact failed: %s" % reply["error"])
    for result in reply["result"]:
        if result and "error" in result:
            raise RuntimeError("transact failed: %s" % result)


# ---------------------------------------------------------------- processes

def run(argv, timeout=900):
    return subprocess.run(argv, check=True, capture_output=True, text=True,
                          timeout=timeout).stdout


def wait_for(path, timeout=30):
    deadline = time.time() + timeout
    while not os.path.exists(path):
        if time.time() > deadline:
            raise RuntimeError("%s did not appear" % path)
        time.sleep(0.05)


class Plane:
    """A database server with NB and SB and a northd, in a temp dir."""

    def __init__(self, kind, args):
        self.kind = kind
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="bench-northd-%s-" % kind)
        self.procs = []

    def sock(self, db):
        return os.path.join(self.dir, db + ".sock")

    def remote(self, db):
        return "unix:" + self.sock(db)

    def start_db(self):
        dbs = []
        for name, schema in OVN_SCHEMAS.items():
            path = os.path.join(self.dir, name + ".db")
            if self.kind == "weft":
                run([self.args.weft_db, "create", path, schema])
            else:
                run(["ovsdb-tool", "create", path, schema])
            dbs.append(path)
        remotes = ["--remote=punix:" + self.sock(n) for n in OVN_SCHEMAS]
        ctl = os.path.join(self.dir, "db.ctl")
        if self.kind == "weft":
            argv = [self.args.weft_db, "--unixctl=" + ctl] + remotes + dbs
        else:
            argv = ["ovsdb-server", "--no-chdir", "--unixctl=" + ctl,
                    "--log-file=" + os.path.join(self.dir, "db.log")] \
                + remotes + dbs
        self._spawn(argv, "db.out")
        for name in OVN_SCHEMAS:
            wait_for(self.sock(name))

    def start_northd(self):
        self.ctl = os.path.join(self.dir, "northd.ctl")
        binary = self.args.weft_northd if self.kind == "weft" \
            else "ovn-northd"
        argv = [binary, "--unixctl=" + self.ctl,
                "--log-file=" + os.path.join(self.dir, "northd.log"),
                "--ovnnb-db=" + self.remote("nb"),
                "--ovnsb-db=" + self.remote("sb")]
        if self.kind != "weft":
            argv.insert(1, "--no-chdir")
        self.northd = self._spawn(argv, "northd.out")
        wait_for(self.ctl)

    def _spawn(self, argv, out):
        with open(os.path.join(self.dir, out), "w") as f:
            proc = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, cwd=self.dir)
        self.procs.append(proc)
        return proc

    def nbctl(self, *args):
        return run(["ovn-nbctl", "--db=" + self.remote("nb")] + list(args))

    def appctl(self, *args):
        tool = self.args.weft_appctl if self.kind == "weft" else "ovn-appctl"
        return run([tool, "-t", self.ctl] + list(args))

    def peak_rss_mb(self, field="VmHWM"):
        with open("/proc/%d/status" % self.northd.pid) as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024.0
        return float("nan")

    def n_flows(self):
        out = run(["ovn-sbctl", "--db=" + self.remote("sb"),
                   "count-flows"])
        m = re.search(r"Total number of logical flows = (\d+)", out)
        return int(m.group(1)) if m else -1

    def compute_ms(self, action):
        """Runs 'action' (which must make northd compute once) and returns
        northd's own compute time for it, in ms."""
        if self.kind == "weft":
            # Like the peer's stopwatch Maximum: the longest run since
            # the reset, over every run the action triggered (the change
            # itself and the echoes of northd's own writes).
            self.appctl("northd/stats-clear")
            action()
            out = self.appctl("northd/stats")
            m = re.search(r"last recompute time:\s*[0-9.]+\s*ms "
                          r"\(longest ([0-9.]+) ms\)", out)
            if not m:
                raise RuntimeError("unexpected northd/stats output:\n"
                                   + out)
            return float(m.group(1))
        self.appctl("stopwatch/reset", "ovnnb_db_run")
        action()
        out = self.appctl("stopwatch/show", "ovnnb_db_run")
        m = re.search(r"Maximum: ([0-9.]+) msec", out)
        return float(m.group(1))

    def stop(self):
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        if not self.args.keep:
            shutil.rmtree(self.dir, ignore_errors=True)


def measure(kind, args, ops):
    plane = Plane(kind, args)
    try:
        plane.start_db()
        t = time.time()
        transact(plane.sock("nb"), "OVN_Northbound", ops)
        log("%s: NB loaded in %.1f s" % (kind, time.time() - t))
        t = time.time()
        plane.start_northd()
        plane.nbctl("--wait=sb", "--timeout=900", "sync")
        first_sync = time.time() - t
        log("%s: first sync %.2f s" % (kind, first_sync))
        synced_rss = plane.peak_rss_mb("VmRSS")

        def recompute():
            plane.appctl("inc-engine/recompute")
            plane.nbctl("--wait=sb", "--timeout=900", "sync")
        recomputes = [plane.compute_ms(recompute)
                      for _ in range(args.repeat)]
        adds, walls = [], []
        for i in range(args.repeat):
            def add_port(i=i):
                t0 = time.time()
                plane.nbctl("--wait=sb", "--timeout=900", "lsp-add", "ls0",
                            "new%d" % i, "--", "lsp-set-addresses",
                            "new%d" % i, "0a:aa:00:00:00:%02x 10.0.0.%d"
                            % (i, 200 + i))
                walls.append((time.time() - t0) * 1000)
            adds.append(plane.compute_ms(add_port))
        pg_adds, pg_walls = [], []
        for i in range(args.repeat):
            def add_pg_port(i=i):
                # As OpenStack does: the port and its security group
                # membership in one transaction.
                t0 = time.time()
                plane.nbctl("--wait=sb", "--timeout=900", "--id=@p",
                            "create", "Logical_Switch_Port",
                            "name=newpg%d" % i,
                            'addresses="0a:ab:00:00:00:%02x 10.0.0.%d"'
                            % (i, 220 + i), "--", "add", "Logical_Switch",
                            "ls0", "ports", "@p", "--", "add", "Port_Group",
                            "pg0", "ports", "@p")
                pg_walls.append((time.time() - t0) * 1000)
            pg_adds.append(plane.compute_ms(add_pg_port))
        return {"first_sync_s": first_sync,
                "add_pg_port_ms": statistics.median(pg_adds),
                "add_pg_port_wall_ms": statistics.median(pg_walls),
                "recompute_ms": statistics.median(recomputes),
                "peak_rss_mb": plane.peak_rss_mb(),
                "synced_rss_mb": synced_rss,
                "end_rss_mb": plane.peak_rss_mb("VmRSS"),
                "add_port_ms": statistics.median(adds),
                "add_port_wall_ms": statistics.median(walls),
                "flows": plane.n_flows()}
    finally:
        plane.stop()


def main():
    build = os.path.join(ROOT, "build")
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--switches", type=int, default=500)
    p.add_argument("--ports", type=int, default=40)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--quick", action="store_true",
                   help="50 switches x 10 ports, one repetition")
    p.add_argument("--weft-db", default=os.path.join(build, "daemons",
                                                     "weft-db"))
    p.add_argument("--weft-northd", default=os.path.join(build, "daemons",
                                                         "weft-northd"))
    p.add_argument("--weft-appctl", default=os.path.join(build, "cli",
                                                         "weft-appctl"))
    p.add_argument("--json", help="also write the figures to this file")
    p.add_argument("--keep", action="store_true",
                   help="keep the temporary directories")
    p.add_argument("--weft-only", action="store_true",
                   help="measure weft-northd alone (no ratios: for "
                   "development, not for reporting)")
    args = p.parse_args()
    if args.quick:
        args.switches, args.ports, args.repeat = 50, 10, 1
    for tool in ("ovsdb-server", "ovsdb-tool", "ovn-northd", "ovn-nbctl",
                 "ovn-sbctl", "ovn-appctl"):
        if not shutil.which(tool):
            sys.exit("bench_northd: %s not installed (apt-get install "
                     "ovn-central)" % tool)
    ops = topology_ops(args.switches, args.ports)
    log("topology: %d switches x %d ports, %d operations"
        % (args.switches, args.ports, len(ops)))

    results = {} if args.weft_only else {"peer": measure("peer", args, ops)}
    have_weft = all(os.access(getattr(args, a), os.X_OK)
                    for a in ("weft_db", "weft_northd", "weft_appctl"))
    if have_weft:
        results["weft"] = measure("weft", args, ops)
    else:
        log("weft-northd not built: measuring the peer only")
    report(results, args)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


def report(results, args):
    rows = [("first SB sync", "first_sync_s", "s"),
            ("full recompute", "recompute_ms", "ms"),
            ("peak RSS", "peak_rss_mb", "MB"),
            ("RSS after first sync", "synced_rss_mb", "MB"),
            ("RSS at the end", "end_rss_mb", "MB"),
            ("add one port (compute)", "add_port_ms", "ms"),
            ("add one port (--wait=sb wall)", "add_port_wall_ms", "ms"),
            ("add port + to its PG (compute)", "add_pg_port_ms", "ms"),
            ("add port + to its PG (wall)", "add_pg_port_wall_ms", "ms"),
            ("logical flows", "flows", "")]
    peer, weft = results.get("peer"), results.get("weft")
    print("bench/northd: %d switches x %d ports, 1 router, a port group "
          "and 3 ACLs per switch" % (args.switches, args.ports))
    print("%-32s %14s %14s %10s" % ("", "ovn-northd", "weft-northd",
                                    "peer/weft"))
    for label, key, unit in rows:
        p, w, ratio = "-", "-", "-"
        if peer:
            p = "%.2f %s" % (peer[key], unit) if unit else str(peer[key])
        if weft:
            w = "%.2f %s" % (weft[key], unit) if unit else str(weft[key])
            if peer and unit and weft[key] > 0:
                ratio = "%.1fx" % (peer[key] / weft[key])
        print("%-32s %14s %14s %10s" % (label, p, w, ratio))


if __name__ == "__main__":
    main()
