#!/usr/bin/python3
"""Measures how much of weft-trace's text is byte-identical to ovn-trace's.

    scripts/trace-compare.py [-n ovn|weft] [-k SCENARIO] [--diffs DIR]
                             [--json FILE]

For every packet of the scenario catalogue (tests/scenarios), on the
southbound database of the real ovn-northd (on ovsdb-server) and of
weft-northd (on weft-db), runs ovn-trace --all and weft-trace --all on the
same database and compares the detailed, summary and minimal texts after
normalising lflow UUIDs and dropping weft-trace's own "/* Dropped in ...
*/" explanation (scenariolib.split_trace_all()).  Prints the share of
byte-identical texts per format and northd; --diffs writes a unified diff
of every differing text to DIR; --json writes the keys
("northd/scenario/packet") of the differing texts per format.  Uses the
binaries of $WEFT_BUILD (default build-asan/, else build/).
"""

import argparse
import difflib
import json
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests"))

import scenariolib  # noqa: E402
import weftlib  # noqa: E402

FORMATS = ("detailed", "summary", "minimal")
SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}


def trace_all(exe, plane, pkt):
    """Runs 'exe' --all on 'pkt' (once per --select-id if a list) and
    returns the split texts."""
    sids = pkt.get("select_id")
    sids = sids if isinstance(sids, list) else [sids]
    parts = {f: "" for f in FORMATS}
    for sid in sids:
        argv = [exe, "--db=" + plane.db.remote("sb"), "--all"]
        argv += ["--ct=" + c for c in pkt.get("ct") or ()]
        if pkt.get("lb_dst") is not None:
            argv.append("--lb-dst=%s" % pkt["lb_dst"])
        if sid is not None:
            argv.append("--select-id=%s" % sid)
        proc = weftlib.run(argv + [pkt["dp"], pkt["flow"]], check=False)
        split = scenariolib.split_trace_all(proc.stdout + proc.stderr)
        for f in FORMATS:
            parts[f] += split[f]
    return parts


def compare_scenario(northd, scenario, tmp, diffs, different):
    ovn = weftlib.need_tool("ovn-trace")
    weft = weftlib.binary("cli/weft-trace")
    same = {f: 0 for f in FORMATS}
    with scenariolib.ControlPlane(tmp, SERVER[northd], northd) as plane:
        plane.load(scenario)
        for i, pkt in enumerate(scenario.packets, 1):
            real = trace_all(ovn, plane, pkt)
            mine = trace_all(weft, plane, pkt)
            key = "%s/%s/%d" % (northd, scenario.name, i)
            for f in FORMATS:
                if real[f] == mine[f]:
                    same[f] += 1
                    continue
                different[f].append(key)
                if diffs:
                    name = "%s-%s.diff" % (key.replace("/", "-"), f)
                    with open(os.path.join(diffs, name), "w") as out:
                        out.write("# %s %s\n" % (pkt["dp"], pkt["flow"]))
                        out.writelines(difflib.unified_diff(
                            real[f].splitlines(True),
                            mine[f].splitlines(True),
                            "ovn-trace", "weft-trace"))
    return same


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n")[0])
    ap.add_argument("-n", "--northd", choices=sorted(SERVER),
                    action="append")
    ap.add_argument("-k", "--keyword", help="scenarios whose name has it")
    ap.add_argument("--diffs", metavar="DIR")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    if not weftlib.binary("cli/weft-trace"):
        sys.exit("trace-compare: weft-trace not built in %s"
                 % weftlib.build_dir())
    if args.diffs:
        os.makedirs(args.diffs, exist_ok=True)
    scenarios = [s for s in scenariolib.load_catalogue()
                 if not args.keyword or args.keyword in s.name]
    different = {f: [] for f in FORMATS}
    start = time.time()
    for northd in args.northd or sorted(SERVER):
        total, same = 0, {f: 0 for f in FORMATS}
        for scenario in scenarios:
            with tempfile.TemporaryDirectory() as tmp:
                got = compare_scenario(northd, scenario, tmp, args.diffs,
                                       different)
            total += len(scenario.packets)
            for f in FORMATS:
                same[f] += got[f]
        print("%s-northd SB, %d packets: identical text %s"
              % (northd, total, ", ".join(
                  "%s %d (%.1f%%)" % (f, same[f],
                                      100.0 * same[f] / max(total, 1))
                  for f in FORMATS)))
    print("%.0f s" % (time.time() - start))
    if args.json:
        with open(args.json, "w") as out:
            json.dump(different, out, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
