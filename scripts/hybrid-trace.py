#!/usr/bin/python3
"""Traces a scenario on weft-northd's southbound database in which the
logical flows of every stage except the selected ones come from the real
ovn-northd.

    scripts/hybrid-trace.py tests/scenarios/acl-stateful.yaml \
        -s pre_acl -s acl ... [-a]

The scenario's topology is built twice, on ovsdb-server with ovn-northd
23.03 and on weft-db with weft-northd (WEFT_BUILD selects the build).
weft-northd is then stopped and, in weft's SB, the logical flows of the
stages whose name contains none of the -s strings are replaced by
ovn-northd's (datapaths matched by name, datapath groups expanded).
Every packet is traced with ovn-trace on that hybrid database and checked
against the catalogue.  So a pipeline module's stages can be checked
end to end while the other modules are still missing: the flows under
test are weft's, and so is everything else in SB (bindings, port groups,
address sets, multicast groups, load balancers).  A tool for writing
weft-northd's pipelines, not a test.
"""

import argparse
import json
import os
import sys
import tempfile

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests"))

import scenariolib  # noqa: E402
import weftlib  # noqa: E402

FLOW_COLS = ["_uuid", "logical_datapath", "logical_dp_group", "pipeline",
             "table_id", "priority", "match", "actions", "external_ids",
             "tags", "controller_meter"]


def _select(plane, table, columns):
    with weftlib.JsonRpcClient(plane.db.remote("sb")) as c:
        result = c.transact("OVN_Southbound", {
            "op": "select", "table": table, "where": [],
            "columns": columns})
    return result[0]["rows"]


def _set(value):
    if isinstance(value, list) and value[0] == "set":
        return value[1]
    return [value]


def _dp_names(plane):
    return {row["_uuid"][1]: dict(row["external_ids"][1])["name"]
            for row in _select(plane, "Datapath_Binding",
                               ["_uuid", "external_ids"])}


def _kept(row, stages):
    name = dict(row["external_ids"][1]).get("stage-name", "")
    return any(s in name for s in stages)


def ovn_flows(plane, stages):
    """ovn-northd's flows outside 'stages', one per datapath name."""
    names = _dp_names(plane)
    groups = {row["_uuid"][1]: [u[1] for u in _set(row["datapaths"])]
              for row in _select(plane, "Logical_DP_Group",
                                 ["_uuid", "datapaths"])}
    out = []
    for row in _select(plane, "Logical_Flow", FLOW_COLS):
        if _kept(row, stages):
            continue
        dps = [u[1] for u in _set(row["logical_datapath"])]
        for g in _set(row["logical_dp_group"]):
            dps += groups.get(g[1], [])
        for dp in dps:
            out.append((names[dp], row))
    return out


def graft(plane, flows, stages):
    """Replaces weft's flows outside 'stages' by 'flows'."""
    by_name = {name: uuid for uuid, name in _dp_names(plane).items()}
    ops = []
    for row in _select(plane, "Logical_Flow", FLOW_COLS):
        if not _kept(row, stages):
            ops.append({"op": "delete", "table": "Logical_Flow",
                        "where": [["_uuid", "==", row["_uuid"]]]})
    for name, row in flows:
        new = {k: row[k] for k in ("pipeline", "table_id", "priority",
                                   "match", "actions", "external_ids",
                                   "tags", "controller_meter")}
        new["logical_datapath"] = ["uuid", by_name[name]]
        ops.append({"op": "insert", "table": "Logical_Flow", "row": new})
    with weftlib.JsonRpcClient(plane.db.remote("sb")) as c:
        result = c.transact("OVN_Southbound", *ops)
    errors = [r for r in result if "error" in r]
    if errors:
        raise RuntimeError("grafting failed: %s" % json.dumps(errors)[:2000])
    return len(flows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("yaml")
    ap.add_argument("-s", "--stage", action="append", default=[],
                    required=True, help="keep weft's flows of the stages "
                    "whose name contains STAGE")
    ap.add_argument("-a", "--all", action="store_true",
                    help="print the trace of every packet")
    args = ap.parse_args()
    with open(args.yaml) as f:
        scenario = scenariolib.Scenario(os.path.basename(args.yaml),
                                        yaml.safe_load(f))
    bad = 0
    with tempfile.TemporaryDirectory(prefix="hybrid-trace-") as tmp:
        with scenariolib.ControlPlane(os.path.join(tmp, "ovn"),
                                      "ovsdb-server", "ovn") as plane:
            plane.load(scenario)
            flows = ovn_flows(plane, args.stage)
        with scenariolib.ControlPlane(os.path.join(tmp, "weft"), "weft-db",
                                      "weft") as plane:
            plane.load(scenario)
            plane.northd.stop()
            n = graft(plane, flows, args.stage)
            print("grafted %d flows of ovn-northd" % n)
            for i, pkt in enumerate(scenario.packets, 1):
                fate, text, warn = plane.trace(
                    pkt["dp"], pkt["flow"], pkt.get("ct") or (),
                    pkt.get("lb_dst"), pkt.get("select_id"))
                why = scenariolib.check_expect(fate, pkt["expect"])
                bad += why is not None or bool(warn)
                print("%3d %s %s\n    fate: %s" % (
                    i, "ok  " if why is None else "BAD ",
                    pkt.get("name", ""), scenariolib.format_fate(fate)))
                if why or args.all:
                    print("    " + (why or "") + "\n" + text)
                for w in warn:
                    print("    WARNING " + w)
    print("%d packet(s), %d unexpected" % (len(scenario.packets), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
