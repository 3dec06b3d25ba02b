#!/usr/bin/python3
"""Traces a scenario's packets with the real ovn-northd and ovn-trace.

    scripts/scenario-trace.py tests/scenarios/acl.yaml [-a] [-d N] [-k NAME]

Prints each packet's fate and whether it is what the catalogue expects;
the ovn-trace --minimal text of mismatches (of every packet with -a), the
detailed trace of packet N (1-based, repeatable) with -d, and only the
packets whose name contains NAME with -k.  A tool for writing scenarios;
tests/interop/test_scenarios.py is the test.
"""

import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests"))

import scenariolib  # noqa: E402
import weftlib  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("yaml")
    ap.add_argument("-a", "--all", action="store_true")
    ap.add_argument("-d", "--detailed", type=int, action="append",
                    default=[])
    ap.add_argument("-k", "--keyword")
    ap.add_argument("--lflows", action="store_true",
                    help="print ovn-sbctl lflow-list")
    args = ap.parse_args()
    import yaml
    with open(args.yaml) as f:
        scenario = scenariolib.Scenario(os.path.basename(args.yaml),
                                        yaml.safe_load(f))
    bad = 0
    start = time.time()
    with tempfile.TemporaryDirectory() as tmp:
        with scenariolib.ControlPlane(tmp) as plane:
            plane.load(scenario)
            if args.lflows:
                print(plane.sbctl("lflow-list").stdout)
            for i, pkt in enumerate(scenario.packets, 1):
                if args.keyword and args.keyword not in pkt.get("name", ""):
                    continue
                fate, text, warn = plane.trace(
                    pkt["dp"], pkt["flow"], pkt.get("ct") or (),
                    pkt.get("lb_dst"), pkt.get("select_id"))
                why = scenariolib.check_expect(fate, pkt["expect"])
                bad += why is not None
                print("%3d %s %s\n    fate: %s" % (
                    i, "ok  " if why is None else "BAD ",
                    pkt.get("name", ""), scenariolib.format_fate(fate)))
                if why or args.all:
                    print("    " + (why or "") + "\n" + text)
                for w in warn:
                    print("    WARNING " + w)
                if i in args.detailed:
                    argv = ["--db=" + plane.db.remote("sb")]
                    argv += ["--ct=" + c for c in pkt.get("ct") or ()]
                    if pkt.get("lb_dst"):
                        argv.append("--lb-dst=%s" % pkt["lb_dst"])
                    sid = pkt.get("select_id")
                    if isinstance(sid, list):
                        sid = sid[0]
                    if sid is not None:
                        argv.append("--select-id=%s" % sid)
                    print(weftlib.run([weftlib.need_tool("ovn-trace")] + argv
                                      + [pkt["dp"], pkt["flow"]],
                                      check=False).stdout)
    print("%d packet(s), %d unexpected, %.1f s"
          % (len(scenario.packets), bad, time.time() - start))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
