#!/usr/bin/python3
"""bench_pipeline: the pipeline engine on the DESIGN.md §6 topology.

The real ovn-northd 23.03 compiles the topology of bench/northd (S
switches of P ports behind one router, a port group per switch with 3
ACLs; ~150k logical flows at 500 x 40) on ovsdb-server.  Then weft-trace
--bench loads that southbound database and reports:

  compile       time to compile every logical flow into the engine's
                indexed tables (ms), and the flow count
  packets/s     untraced runs of a routed, ACL-checked packet (TCP to port
                22 from ls0-p0 to ls1-p0: switch ingress with conntrack,
                the router, switch egress with the to-lport ACLs)

and, for reference, the wall time of one ovn-trace of the same packet and
of one weft-trace (both load the database and answer one packet).
stdlib only.

    /usr/bin/python3 bench/pipeline/bench_pipeline.py [--quick]
        [--switches N --ports N --packets N --weft-trace PATH --keep]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench", "northd"))

import bench_northd  # noqa: E402

FLOW = ('inport == "ls0-p0" && eth.src == 0a:00:00:00:00:00 && '
        'eth.dst == 0a:ff:00:00:00:00 && ip4.src == 10.0.0.10 && '
        'ip4.dst == 10.0.1.10 && ip.ttl == 64 && tcp.src == 40000 && '
        'tcp.dst == 22')


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--switches", type=int, default=500)
    p.add_argument("--ports", type=int, default=40)
    p.add_argument("--packets", type=int, default=100000)
    p.add_argument("--quick", action="store_true",
                   help="50 switches x 10 ports, 10000 packets")
    p.add_argument("--weft-trace", default=os.path.join(
        ROOT, "build", "cli", "weft-trace"))
    p.add_argument("--keep", action="store_true")
    args = p.parse_args()
    if args.quick:
        args.switches, args.ports, args.packets = 50, 10, 10000
    for tool in ("ovsdb-server", "ovsdb-tool", "ovn-northd", "ovn-nbctl",
                 "ovn-trace"):
        if not shutil.which(tool):
            sys.exit("bench_pipeline: %s not installed" % tool)
    if not os.access(args.weft_trace, os.X_OK):
        sys.exit("bench_pipeline: %s not built (scripts/build.sh)"
                 % args.weft_trace)
    ops = bench_northd.topology_ops(args.switches, args.ports)
    plane = bench_northd.Plane("peer", args)
    try:
        plane.start_db()
        bench_northd.transact(plane.sock("nb"), "OVN_Northbound", ops)
        plane.start_northd()
        plane.nbctl("--wait=sb", "--timeout=900", "sync")
        sb = "--db=" + plane.remote("sb")
        ct = ["--ct=new", "--ct=new"]
        t = time.time()
        peer = subprocess.run(["ovn-trace", sb, "--minimal"] + ct
                              + ["ls0", FLOW], capture_output=True,
                              text=True, timeout=900)
        peer_s = time.time() - t
        t = time.time()
        weft = subprocess.run([args.weft_trace, sb, "--minimal"] + ct
                              + ["--bench=%d" % args.packets, "ls0", FLOW],
                              capture_output=True, text=True, timeout=900)
        weft_s = time.time() - t
    finally:
        plane.stop()
    if weft.returncode != 0:
        sys.exit("weft-trace failed:\n" + weft.stderr)
    c = re.search(r"compile_ms=([0-9.]+) flows=(\d+)", weft.stderr)
    r = re.search(r"packets=(\d+) outputs=(\d+) seconds=([0-9.]+) "
                  r"pps=(\d+)", weft.stderr)
    d = re.search(r"db_load_ms=([0-9.]+) sb_to_input_ms=([0-9.]+)",
                  weft.stderr)
    same = peer.stdout.splitlines()[1:] == weft.stdout.splitlines()[1:]
    print("topology: %d switches x %d ports, %s logical flows"
          % (args.switches, args.ports, c.group(2)))
    print("weft-trace: SB replica load  %10.1f ms, to engine input %.1f ms"
          % (float(d.group(1)), float(d.group(2))))
    print("compile (weft engine):       %10.1f ms" % float(c.group(1)))
    print("routed+ACL packet, untraced: %10s packets/s (%s runs, %s "
          "outputs)" % (r.group(4), r.group(1), r.group(2)))
    print("one trace, wall (load+run):  ovn-trace %.2f s, weft-trace %.2f s"
          " (includes the %s runs above)" % (peer_s, weft_s, r.group(1)))
    print("same --minimal output as ovn-trace: %s" % ("yes" if same
                                                     else "NO"))
    if not same:
        print("--- ovn-trace\n%s--- weft-trace\n%s"
              % (peer.stdout, weft.stdout))


if __name__ == "__main__":
    main()
