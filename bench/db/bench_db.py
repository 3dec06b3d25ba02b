#!/usr/bin/python3
"""bench_db: weft-db against ovsdb-server 3.1, measured in the same run.

Parts (each starts both servers fresh in a temporary directory and stops
them by PID at the end):
  (a) txn1     one client, N sequential one-row insert transactions
  (b) txn16    16 connections, one outstanding insert each
  (c) bulk     one transaction inserting 100k rows, send -> reply
  (d) fanout   100 monitor_cond clients; one writer commits; time until
               all 100 saw the update (median over ~50 commits)

The load comes from bench-db-driver (driver.c, built with weft); this
script only sets up the servers and reports.  stdlib only.  See README.md.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

SCHEMA = {
    "name": "Bench", "version": "1.0.0",
    "tables": {
        "T": {
            "isRoot": True,
            "columns": {
                "name": {"type": "string"},
                "n": {"type": "integer"},
                "flag": {"type": "boolean"},
                "ids": {"type": {"key": "string", "value": "string",
                                 "min": 0, "max": "unlimited"}},
            },
        },
    },
}


# ---------------------------------------------------------------- servers

class Server:
    """One database server process in its own temporary directory."""

    def __init__(self, kind, weft_db):
        self.kind = kind
        self.dir = tempfile.mkdtemp(prefix="bench-db-%s-" % kind)
        self.sock = os.path.join(self.dir, "db.sock")
        schema = os.path.join(self.dir, "bench.ovsschema")
        db = os.path.join(self.dir, "bench.db")
        with open(schema, "w") as f:
            json.dump(SCHEMA, f)
        if kind == "weft":
            subprocess.check_call([weft_db, "create", db, schema])
            cmd = [weft_db, "--remote=punix:" + self.sock,
                   "--unixctl=" + os.path.join(self.dir, "ctl"), db]
        else:
            subprocess.check_call(["ovsdb-tool", "create", db, schema])
            cmd = ["ovsdb-server", "--remote=punix:" + self.sock,
                   "--unixctl=" + os.path.join(self.dir, "ctl"),
                   "--pidfile=" + os.path.join(self.dir, "pid"),
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

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# ------------------------------------------------------------------ parts
#
# The timed loops run in bench-db-driver (driver.c): a Python driver
# saturates before either server does.  Each part runs it against one
# server and reads the JSON object it prints.

def drive(driver, *args):
    out = subprocess.run([driver] + [str(a) for a in args], check=True,
                         stdout=subprocess.PIPE, timeout=600).stdout
    return json.loads(out)


def part_txn1(driver, srv, n):
    return drive(driver, "txn", srv.sock, 1, n, srv.proc.pid)


def part_txnN(driver, srv, n_conns, n):
    """n_conns connections, each with one request outstanding at a time;
    n transactions in total."""
    return drive(driver, "txn", srv.sock, n_conns, n, srv.proc.pid)


def part_bulk(driver, srv, n):
    return drive(driver, "bulk", srv.sock, n)


def part_fanout(driver, srv, n_clients, n_commits):
    return drive(driver, "fanout", srv.sock, n_clients, n_commits)


# ------------------------------------------------------------------- main

def run_part(fn, weft_db, driver, repeat, key, *args):
    """Runs 'fn' 'repeat' times on each server, alternating servers so that
    drift in the machine's speed affects both, and keeps for each server
    the run with the median figure 'key' (all runs are in "runs")."""
    runs = {"weft": [], "ovsdb-server": []}
    for _ in range(repeat):
        for kind in ("weft", "ovsdb-server"):
            srv = Server(kind, weft_db)
            try:
                runs[kind].append(fn(driver, srv, *args))
            finally:
                srv.stop()
    out = {}
    for kind, rs in runs.items():
        out[kind] = dict(sorted(rs, key=lambda r: r[key])[len(rs) // 2])
        out[kind]["runs"] = [r[key] for r in rs]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weft-db", default=os.path.join(
        ROOT, "build", "daemons", "weft-db"))
    ap.add_argument("--driver", default=os.path.join(
        ROOT, "build", "bench", "db", "bench-db-driver"),
                    help="the C load generator (built with weft)")
    ap.add_argument("--quick", action="store_true",
                    help="small sizes, a smoke run of a few seconds")
    ap.add_argument("--json", metavar="FILE", help="also write results")
    ap.add_argument("--parts", default="txn1,txn16,bulk,fanout")
    ap.add_argument("--repeat", type=int, metavar="N",
                    help="runs per part and server, median reported "
                    "(default 3, 1 with --quick)")
    args = ap.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    if not shutil.which("ovsdb-server"):
        sys.exit("ovsdb-server not found")
    if not os.access(args.driver, os.X_OK):
        sys.exit("%s not found: build weft first (ninja -C build)"
                 % args.driver)
    if args.quick:
        sizes = dict(txn1=500, txn16=1000, bulk=5000, fanout=(20, 10))
    else:
        sizes = dict(txn1=20000, txn16=40000, bulk=100000, fanout=(100, 50))

    parts = args.parts.split(",")
    results = {}
    # (name, function, args, figure key, higher is better, unit)
    table = [
        ("txn1", part_txn1, (sizes["txn1"],), "txn_per_s", True, "txn/s"),
        ("txn16", part_txnN, (16, sizes["txn16"]), "txn_per_s", True,
         "txn/s"),
        ("bulk", part_bulk, (sizes["bulk"],), "seconds", False, "s"),
        ("fanout", part_fanout, sizes["fanout"], "median_ms", False, "ms"),
    ]
    print("%-8s %14s %14s %9s  %s" % ("part", "weft", "ovsdb-server",
                                      "speedup", "unit"))
    for name, fn, fargs, key, higher, unit in table:
        if name not in parts:
            continue
        r = run_part(fn, args.weft_db, args.driver, repeat, key, *fargs)
        w, p = r["weft"][key], r["ovsdb-server"][key]
        speedup = (w / p) if higher else (p / w)
        r["speedup"] = speedup
        results[name] = r
        print("%-8s %14.3f %14.3f %8.2fx  %s" % (name, w, p, speedup, unit))
        if name in ("txn1", "txn16"):
            for kind in ("weft", "ovsdb-server"):
                print("         %s: server CPU %.0f%%, driver CPU %.0f%%"
                      % (kind, 100 * r[kind]["server_cpu_frac"],
                         100 * r[kind]["driver_cpu_frac"]))
        sys.stdout.flush()
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"quick": args.quick, "sizes": sizes,
                       "repeat": repeat, "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
