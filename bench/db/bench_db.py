#!/usr/bin/python3
"""bench_db: weft-db against ovsdb-server 3.1, measured in the same run.

Parts (each starts both servers fresh in a temporary directory and stops
them by PID at the end):
  (a) txn1     one client, N sequential one-row insert transactions
  (b) txn16    16 connections, one outstanding insert each (selectors)
  (c) bulk     one transaction inserting 100k rows, send -> reply
  (d) fanout   100 monitor_cond clients; one writer commits; time until
               all 100 saw the update (median over ~50 commits)

stdlib only.  See README.md.
"""
import argparse
import json
import os
import selectors
import shutil
import socket
import statistics
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


def row(i):
    return {"name": "row-%d" % i, "n": i, "flag": i % 2 == 0,
            "ids": ["map", [["k", str(i)]]]}


def insert_req(i, rid):
    return {"id": rid, "method": "transact",
            "params": ["Bench", {"op": "insert", "table": "T",
                                 "row": row(i)}]}


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

    def cpu(self):
        """User+system CPU seconds used so far by the server."""
        with open("/proc/%d/stat" % self.proc.pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

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


# ----------------------------------------------------------------- client

class Conn:
    """A blocking JSON-RPC connection that splits the stream into objects."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.connect(path)
        self.buf = b""
        self.dec = json.JSONDecoder()
        self.pending = []

    def send(self, msg):
        self.s.sendall(json.dumps(msg).encode())

    def _split(self):
        """Moves complete objects from self.buf to self.pending."""
        text = self.buf.decode()
        pos = 0
        while True:
            while pos < len(text) and text[pos] in " \t\r\n":
                pos += 1
            if pos == len(text):
                break
            try:
                obj, end = self.dec.raw_decode(text, pos)
            except ValueError:
                break
            self.pending.append(obj)
            pos = end
        self.buf = text[pos:].encode()

    def feed(self, data):
        self.buf += data
        # Cheap test first: a reply cannot be complete without a '}'.
        if data.rstrip().endswith(b"}"):
            self._split()

    def recv(self):
        while not self.pending:
            data = self.s.recv(1 << 20)
            if not data:
                raise EOFError("server closed connection")
            self.feed(data)
        return self.pending.pop(0)

    def call(self, msg):
        """Sends a request and returns its reply, answering echo."""
        self.send(msg)
        while True:
            r = self.recv()
            if r.get("method") == "echo":
                self.send({"id": r["id"], "result": r["params"],
                           "error": None})
            elif r.get("id") == msg["id"]:
                return r

    def close(self):
        self.s.close()


def check_ok(reply):
    res = reply.get("result")
    if reply.get("error") or not isinstance(res, list) or any(
            isinstance(r, dict) and "error" in r for r in res):
        raise RuntimeError("transaction failed: %s" % str(reply)[:300])


# ------------------------------------------------------------------ parts

def part_txn1(srv, n):
    c = Conn(srv.sock)
    c.call(insert_req(-1, "warm"))
    t0 = time.perf_counter()
    for i in range(n):
        check_ok(c.call(insert_req(i, i)))
    dt = time.perf_counter() - t0
    c.close()
    return {"txn_per_s": n / dt, "seconds": dt, "n": n}


def part_txnN(srv, n_conns, n):
    """n_conns connections, each with one request outstanding at a time,
    driven from one selectors loop; n transactions in total."""
    sel = selectors.DefaultSelector()
    conns = [Conn(srv.sock) for _ in range(n_conns)]
    for c in conns:
        c.call(insert_req(-1, "warm"))
        c.s.setblocking(False)
        sel.register(c.s, selectors.EVENT_READ, c)
    reqs = [json.dumps(insert_req(i, i)).encode() for i in range(n)]
    sent = 0
    done = 0
    cpu0_srv = srv.cpu()
    cpu0_drv = time.process_time()
    t0 = time.perf_counter()
    for c in conns:
        if sent < n:
            c.s.sendall(reqs[sent])
            sent += 1
    while done < n:
        for key, _ in sel.select():
            c = key.data
            c.feed(c.s.recv(1 << 20))
            while c.pending:
                r = c.pending.pop(0)
                if r.get("method") == "echo":
                    c.send({"id": r["id"], "result": r["params"],
                            "error": None})
                    continue
                check_ok(r)
                done += 1
                if sent < n:
                    c.s.setblocking(True)
                    c.s.sendall(reqs[sent])
                    c.s.setblocking(False)
                    sent += 1
    dt = time.perf_counter() - t0
    drv_cpu = time.process_time() - cpu0_drv
    srv_cpu = srv.cpu() - cpu0_srv
    for c in conns:
        sel.unregister(c.s)
        c.close()
    return {"txn_per_s": n / dt, "seconds": dt, "n": n,
            "server_cpu_frac": srv_cpu / dt, "driver_cpu_frac": drv_cpu / dt}


def part_bulk(srv, n):
    c = Conn(srv.sock)
    ops = [{"op": "insert", "table": "T", "row": row(i)} for i in range(n)]
    payload = json.dumps({"id": 1, "method": "transact",
                          "params": ["Bench"] + ops}).encode()
    c.call(insert_req(-1, "warm"))
    t0 = time.perf_counter()
    c.s.sendall(payload)
    r = c.recv()
    dt = time.perf_counter() - t0
    check_ok(r)
    c.close()
    return {"seconds": dt, "rows_per_s": n / dt, "n": n,
            "request_mb": len(payload) / 1e6}


def part_fanout(srv, n_clients, n_commits):
    sel = selectors.DefaultSelector()
    mons = []
    for i in range(n_clients):
        c = Conn(srv.sock)
        r = c.call({"id": "m", "method": "monitor_cond",
                    "params": ["Bench", "mon", {"T": [{"columns":
                                                       ["name", "n"]}]}]})
        if r.get("error"):
            raise RuntimeError("monitor_cond failed: %s" % r)
        c.s.setblocking(False)
        sel.register(c.s, selectors.EVENT_READ, c)
        mons.append(c)
    writer = Conn(srv.sock)
    lat = []
    for k in range(n_commits):
        waiting = set(range(n_clients))
        index = {id(c): i for i, c in enumerate(mons)}
        t0 = time.perf_counter()
        writer.send(insert_req(k, k))
        while waiting:
            events = sel.select(10)
            if not events:
                raise RuntimeError("%d monitors got no update in 10 s"
                                   % len(waiting))
            for key, _ in events:
                c = key.data
                c.feed(c.s.recv(1 << 20))
                while c.pending:
                    m = c.pending.pop(0)
                    if m.get("method") in ("update", "update2", "update3"):
                        waiting.discard(index[id(c)])
                    elif m.get("method") == "echo":
                        c.s.setblocking(True)
                        c.send({"id": m["id"], "result": m["params"],
                                "error": None})
                        c.s.setblocking(False)
        lat.append(time.perf_counter() - t0)
        check_ok(writer.recv())
    for c in mons:
        sel.unregister(c.s)
        c.close()
    writer.close()
    return {"median_ms": statistics.median(lat) * 1e3,
            "p90_ms": sorted(lat)[int(len(lat) * 0.9)] * 1e3,
            "n_clients": n_clients, "n_commits": n_commits}


# ------------------------------------------------------------------- main

def run_part(name, fn, weft_db, *args):
    out = {}
    for kind in ("weft", "ovsdb-server"):
        srv = Server(kind, weft_db)
        try:
            out[kind] = fn(srv, *args)
        finally:
            srv.stop()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--weft-db", default=os.path.join(
        ROOT, "build", "daemons", "weft-db"))
    ap.add_argument("--quick", action="store_true",
                    help="small sizes, a smoke run of a few seconds")
    ap.add_argument("--json", metavar="FILE", help="also write results")
    ap.add_argument("--parts", default="txn1,txn16,bulk,fanout")
    args = ap.parse_args()
    if not shutil.which("ovsdb-server"):
        sys.exit("ovsdb-server not found")
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
        r = run_part(name, fn, args.weft_db, *fargs)
        w, p = r["weft"][key], r["ovsdb-server"][key]
        speedup = (w / p) if higher else (p / w)
        r["speedup"] = speedup
        results[name] = r
        print("%-8s %14.3f %14.3f %8.2fx  %s" % (name, w, p, speedup, unit))
        if name == "txn16":
            for kind in ("weft", "ovsdb-server"):
                print("         %s: server CPU %.0f%%, driver CPU %.0f%%"
                      % (kind, 100 * r[kind]["server_cpu_frac"],
                         100 * r[kind]["driver_cpu_frac"]))
        sys.stdout.flush()
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"quick": args.quick, "sizes": sizes,
                       "results": results}, f, indent=2)


if __name__ == "__main__":
    main()
