#!/usr/bin/python3
"""Compares the logical flows of weft-northd with the real ovn-northd's.

    scripts/lflow-diff.py tests/scenarios/acl-stateful.yaml \
        [-s STAGE]... [-d DATAPATH]... [--summary] [--ignore-defaults]

Builds the scenario's topology twice, on ovsdb-server with ovn-northd 23.03
and on weft-db with weft-northd (WEFT_BUILD selects the build, as for the
tests), and prints, stage by stage, the flows only one of them wrote:

    == sw0 ingress ls_in_l2_lkup (table 25)
    - ovn  50 (eth.dst == 00:00:00:00:00:01) outport = "vm1"; output;
    + weft 50 (eth.dst == 00:00:00:00:00:01) outport = "vm1"; next;

Flows are compared on (datapath, pipeline, table, priority, match,
actions); flows of datapath groups count once per datapath.  -s keeps the
stages whose name contains STAGE, -d the datapaths named DATAPATH;
--summary prints only per-stage counts.  Exit status 1 if any flow
differs.  A tool for writing weft-northd's pipelines, not a test.
"""

import argparse
import collections
import json
import os
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests"))

import scenariolib  # noqa: E402


def _rows(plane, table, columns):
    proc = plane.sbctl("--format=json", "--columns=" + ",".join(columns),
                       "list", table)
    data = json.loads(proc.stdout)
    return [dict(zip(data["headings"], row)) for row in data["data"]]


def _uuid(value):
    return value[1] if isinstance(value, list) and value[0] == "uuid" \
        else None


def _set(value):
    if isinstance(value, list) and value[0] == "set":
        return value[1]
    return [value]


def _map(value):
    return dict(value[1]) if isinstance(value, list) else {}


def dump_flows(plane):
    """{(dp, pipeline, table, stage): Counter((prio, match, actions))}"""
    names = {}
    for row in _rows(plane, "Datapath_Binding", ["_uuid", "external_ids"]):
        ids = _map(row["external_ids"])
        names[_uuid(row["_uuid"])] = ids.get("name", _uuid(row["_uuid"]))
    groups = {}
    for row in _rows(plane, "Logical_DP_Group", ["_uuid", "datapaths"]):
        groups[_uuid(row["_uuid"])] = [_uuid(v) for v in
                                       _set(row["datapaths"])]
    flows = collections.defaultdict(collections.Counter)
    cols = ["logical_datapath", "logical_dp_group", "pipeline", "table_id",
            "priority", "match", "actions", "external_ids"]
    for row in _rows(plane, "Logical_Flow", cols):
        dps = [_uuid(v) for v in _set(row["logical_datapath"]) if _uuid(v)]
        for g in _set(row["logical_dp_group"]):
            dps += groups.get(_uuid(g), [])
        stage = _map(row["external_ids"]).get("stage-name", "?")
        for dp in dps:
            key = (names.get(dp, dp), row["pipeline"], row["table_id"],
                   stage)
            flows[key][(row["priority"], row["match"], row["actions"])] += 1
    return flows


def _keep(key, args):
    dp, _, _, stage = key
    if args.stage and not any(s in stage for s in args.stage):
        return False
    return not args.datapath or dp in args.datapath


def compare(ovn, weft, args):
    n_diff = 0
    order = {"ingress": 0, "egress": 1}
    keys = sorted(set(ovn) | set(weft),
                  key=lambda k: (k[0], order.get(k[1], 2), k[2]))
    for key in keys:
        if not _keep(key, args):
            continue
        a, b = ovn.get(key, collections.Counter()), \
            weft.get(key, collections.Counter())
        only_a, only_b = a - b, b - a
        if args.ignore_defaults:
            only_a = collections.Counter({f: n for f, n in only_a.items()
                                          if f[0] != 0})
            only_b = collections.Counter({f: n for f, n in only_b.items()
                                          if f[0] != 0})
        if not only_a and not only_b:
            continue
        n_diff += sum(only_a.values()) + sum(only_b.values())
        dp, pipeline, table, stage = key
        print("== %s %s %s (table %d): ovn %d flows, weft %d, "
              "%d only in ovn, %d only in weft"
              % (dp, pipeline, stage, table, sum(a.values()),
                 sum(b.values()), sum(only_a.values()),
                 sum(only_b.values())))
        if args.summary:
            continue
        for sign, who, only in (("-", "ovn ", only_a), ("+", "weft", only_b)):
            for (prio, match, actions) in sorted(only, key=lambda f: (
                    -f[0], f[1], f[2])):
                print("%s %s %5d (%s) %s" % (sign, who, prio, match, actions))
    return n_diff


def main():
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0])
    ap.add_argument("yaml")
    ap.add_argument("-s", "--stage", action="append", default=[])
    ap.add_argument("-d", "--datapath", action="append", default=[])
    ap.add_argument("--summary", action="store_true")
    ap.add_argument("--ignore-defaults", action="store_true",
                    help="ignore priority-0 flows")
    args = ap.parse_args()

    with open(args.yaml) as f:
        scenario = scenariolib.Scenario(
            os.path.splitext(os.path.basename(args.yaml))[0],
            yaml.safe_load(f))
    with tempfile.TemporaryDirectory(prefix="lflow-diff-") as tmp:
        dumps = []
        for server, northd in (("ovsdb-server", "ovn"), ("weft-db", "weft")):
            with scenariolib.ControlPlane(os.path.join(tmp, northd), server,
                                          northd) as plane:
                plane.load(scenario)
                dumps.append(dump_flows(plane))
    n = compare(dumps[0], dumps[1], args)
    total = [sum(sum(c.values()) for k, c in d.items() if _keep(k, args))
             for d in dumps]
    print("%d flows differ (ovn %d, weft %d in the selected stages)"
          % (n, total[0], total[1]))
    return 1 if n else 0


if __name__ == "__main__":
    sys.exit(main())
