"""weft-northd's ACL, QoS and switch load balancer stages against the real
ovn-northd 23.03 (northd/acl.c, northd/ls-lb.c).

test_flows_match_ovn: each topology of tests/interop/northd-acl/ is
compiled by ovn-northd (on ovsdb-server) and by weft-northd (on weft-db);
the logical flows of the stages weft's ACL and load balancer modules own
must be the same (datapath, pipeline, table, priority, match, actions).
The scenario catalogue covers the common cases; these topologies cover
the corners (reject and log forms, labels, apply-after-lb, DHCP reply
flows, affinity, old chassis features...).

test_sb_load_balancers_match_ovn: SB Load_Balancer rows as ovn-northd's.

test_hybrid_fates: the catalogue scenarios of these stages traced on
weft's SB whose other stages carry ovn-northd's flows (see
scripts/hybrid-trace.py): what will pass once the switch and router
pipeline modules are complete.

test_bad_rows_skipped: an ACL or QoS rule whose match does not parse and
a load balancer VIP or backend that does not parse are logged with the
row and left out, and the rest compiles.
"""

import collections
import glob
import json
import os
import re

import pytest
import yaml

import scenariolib

HERE = os.path.dirname(os.path.abspath(__file__))
TOPOLOGIES = sorted(glob.glob(os.path.join(HERE, "northd-acl", "*.yaml")))

STAGES = ("pre_acl", "pre_lb", "pre_stateful", "acl_hint", "_acl",
          "acl_after_lb", "stateful", "qos_mark", "qos_meter",
          "lb_aff_check", "_lb", "lb_aff_learn", "hairpin")


def _owned(stage):
    return stage.startswith("ls_") and any(s in stage for s in STAGES)


def _rows(plane, table, columns):
    proc = plane.sbctl("--format=json", "--columns=" + ",".join(columns),
                       "list", table)
    data = json.loads(proc.stdout)
    return [dict(zip(data["headings"], row)) for row in data["data"]]


def _set(value):
    if isinstance(value, list) and value[0] == "set":
        return value[1]
    return [value]


def _uuid(value):
    return value[1] if isinstance(value, list) and value[0] == "uuid" \
        else None


def _lb_names(plane):
    """Replaces NB Load_Balancer uuids in flow text by the names."""
    names = {_uuid(r["_uuid"]): r["name"]
             for r in json_rows(plane, "Load_Balancer")}
    return lambda text: re.sub(
        r'load_balancer = "([-0-9a-f]{36})"',
        lambda m: 'load_balancer = "%s"' % names.get(m.group(1), "?"), text)


def dump(plane):
    """Counter of (datapath name, pipeline, table, priority, match,
    actions, controller_meter) of the owned stages (load balancer uuids
    made names)."""
    lb_names = _lb_names(plane)
    names = {}
    for row in _rows(plane, "Datapath_Binding", ["_uuid", "external_ids"]):
        names[_uuid(row["_uuid"])] = dict(row["external_ids"][1])["name"]
    groups = {_uuid(r["_uuid"]): [_uuid(v) for v in _set(r["datapaths"])]
              for r in _rows(plane, "Logical_DP_Group",
                             ["_uuid", "datapaths"])}
    flows = collections.Counter()
    for row in _rows(plane, "Logical_Flow",
                     ["logical_datapath", "logical_dp_group", "pipeline",
                      "table_id", "priority", "match", "actions",
                      "controller_meter", "external_ids"]):
        stage = dict(row["external_ids"][1]).get("stage-name", "")
        if not _owned(stage):
            continue
        dps = [_uuid(v) for v in _set(row["logical_datapath"]) if _uuid(v)]
        for g in _set(row["logical_dp_group"]):
            dps += groups.get(_uuid(g), [])
        for dp in dps:
            flows[(names[dp], row["pipeline"], row["table_id"],
                   row["priority"], row["match"],
                   lb_names(row["actions"]),
                   str(_set(row["controller_meter"])))] += 1
    return flows


def _load(path):
    with open(path) as f:
        return scenariolib.Scenario(os.path.basename(path), yaml.safe_load(f))


@pytest.mark.parametrize("path", TOPOLOGIES,
                         ids=[os.path.basename(p)[:-5] for p in TOPOLOGIES])
def test_flows_match_ovn(path, tmp_path):
    scenario = _load(path)
    dumps = []
    for server, northd in (("ovsdb-server", "ovn"), ("weft-db", "weft")):
        with scenariolib.ControlPlane(tmp_path / northd, server,
                                      northd) as plane:
            plane.load(scenario)
            dumps.append(dump(plane))
    ovn, weft = dumps
    assert sum(ovn.values()) > 20       # The stages were found at all.
    only_ovn, only_weft = ovn - weft, weft - ovn
    assert not only_ovn and not only_weft, (
        "only in ovn-northd:\n  %s\nonly in weft-northd:\n  %s"
        % ("\n  ".join(map(str, sorted(only_ovn))),
           "\n  ".join(map(str, sorted(only_weft)))))


BAD = """
ls-add sw0
lsp-add sw0 vm1
lsp-set-addresses vm1 "00:00:00:00:01:01 10.0.0.11"
acl-add sw0 from-lport 1000 'inport == "vm1" && tcp.dst == 22' drop
acl-add sw0 from-lport 1001 'inport == "vm1" && tcp.dst == ' drop
acl-add sw0 to-lport 1002 'no.such.field == 1' allow-related
qos-add sw0 from-lport 100 'inport == "vm1" && ip4.dst == 300.1.1.1' dscp=10
qos-add sw0 from-lport 101 'inport == "vm1" && udp' dscp=12
lb-add lb0 10.0.0.100:80 10.0.0.11:80,10.0.0.12:80
set Load_Balancer lb0 vips:"10.0.0.101\\:80"="10.0.0.13:80,junk"
set Load_Balancer lb0 vips:"10.0.0.300\\:80"="10.0.0.14:80"
ls-lb-add sw0 lb0
"""


def test_bad_rows_skipped(tmp_path):
    scenario = scenariolib.Scenario("bad", {"nbctl": BAD})
    with scenariolib.ControlPlane(tmp_path, "weft-db", "weft") as plane:
        plane.load(scenario)
        flows = dump(plane)
        nb_rows = json.loads(plane.nbctl(
            "--format=json", "--columns=_uuid,match", "list", "ACL").stdout)
        log_path = os.path.join(plane.northd.workdir,
                                plane.northd.name + ".log")
        with open(log_path) as f:
            log = f.read()
    matches = {f[4] for f in flows}
    actions = {f[5] for f in flows}
    # The good rows compiled (the switch is stateful: a load balancer).
    assert 'reg0[9] == 1 && (inport == "vm1" && tcp.dst == 22)' in matches
    assert 'inport == "vm1" && udp' in matches
    assert ("reg0[1] = 0; ct_lb_mark(backends=10.0.0.11:80,10.0.0.12:80);"
            in actions)
    assert "reg0[1] = 0; ct_lb_mark(backends=10.0.0.13:80);" in actions
    # The bad ones did not, and each is logged with its row.
    assert not any("tcp.dst == )" in m or "no.such.field" in m
                   or "300.1.1.1" in m or "10.0.0.300" in m
                   for m in matches)
    bad = [uuid[1] for uuid, match in nb_rows["data"]
           if "tcp.dst == 22" not in match]
    assert len(bad) == 2
    for uuid in bad:
        assert uuid in log, "no warning naming ACL %s" % uuid
    assert "does not parse" in log
    assert 'bad backend "junk"' in log
    assert "bad VIP" in log


def sb_load_balancers(plane):
    """{name: (vips, protocol, options, sorted datapath names)} of SB
    Load_Balancer, datapath groups expanded."""
    names = {_uuid(r["_uuid"]): dict(r["external_ids"][1])["name"]
             for r in _rows(plane, "Datapath_Binding",
                            ["_uuid", "external_ids"])}
    groups = {_uuid(r["_uuid"]): [_uuid(v) for v in _set(r["datapaths"])]
              for r in _rows(plane, "Logical_DP_Group",
                             ["_uuid", "datapaths"])}
    nb = {}
    out = {}
    for r in _rows(plane, "Load_Balancer",
                   ["name", "vips", "protocol", "options", "datapaths",
                    "datapath_group", "external_ids"]):
        dps = [_uuid(v) for v in _set(r["datapaths"]) if _uuid(v)]
        for g in _set(r["datapath_group"]):
            dps += groups.get(_uuid(g), [])
        nb[r["name"]] = dict(r["external_ids"][1]).get("lb_id")
        out[r["name"]] = (sorted(map(tuple, r["vips"][1])),
                          _set(r["protocol"]),
                          sorted(map(tuple, r["options"][1])),
                          sorted(names[d] for d in dps))
    return out, nb


@pytest.mark.parametrize("path", [
    os.path.join(HERE, "northd-acl", "lb-edge.yaml"),
    os.path.join(HERE, "..", "scenarios", "load-balancers.yaml")],
    ids=["lb-edge", "load-balancers"])
def test_sb_load_balancers_match_ovn(path, tmp_path):
    scenario = _load(path)
    got = []
    for server, northd in (("ovsdb-server", "ovn"), ("weft-db", "weft")):
        with scenariolib.ControlPlane(tmp_path / northd, server,
                                      northd) as plane:
            plane.load(scenario)
            lbs, lb_ids = sb_load_balancers(plane)
            nb_ids = {r["name"]: _uuid(r["_uuid"])
                      for r in json_rows(plane, "Load_Balancer")}
            assert lb_ids == {n: nb_ids[n] for n in lb_ids}
            got.append(lbs)
    assert got[0], "ovn-northd wrote no Load_Balancer row"
    assert got[0] == got[1]


def json_rows(plane, table):
    data = json.loads(plane.nbctl("--format=json", "--columns=_uuid,name",
                                  "list", table).stdout)
    return [dict(zip(data["headings"], row)) for row in data["data"]]


# The stages northd/acl.c and northd/ls-lb.c write (names contain one).
WEFT_STAGES = ["ls_in_pre", "ls_out_pre_acl", "ls_out_pre_lb",
               "ls_out_pre_stateful", "ls_in_acl", "ls_out_acl", "ls_in_qos",
               "ls_out_qos", "ls_in_lb", "ls_in_stateful", "ls_out_stateful",
               "ls_in_nat_hairpin", "ls_in_hairpin"]
HYBRID_SCENARIOS = ["acl-stateless", "acl-stateful", "acl-reject",
                    "acl-port-groups", "acl-routed", "acl-default-drop",
                    "acl-after-lb", "qos", "load-balancers"]


def _hybrid_module():
    import importlib.util
    path = os.path.join(HERE, "..", "..", "scripts", "hybrid-trace.py")
    spec = importlib.util.spec_from_file_location("hybrid_trace", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("name", HYBRID_SCENARIOS)
def test_hybrid_fates(name, tmp_path):
    """weft's southbound database with weft's flows in the ACL, QoS and
    load balancer stages and ovn-northd's in the others (the switch and
    router stages other modules write) gives every packet of the scenario
    the catalogue's fate."""
    hybrid = _hybrid_module()
    scenario = _load(os.path.join(HERE, "..", "scenarios", name + ".yaml"))
    with scenariolib.ControlPlane(tmp_path / "ovn", "ovsdb-server",
                                  "ovn") as plane:
        plane.load(scenario)
        flows = hybrid.ovn_flows(plane, WEFT_STAGES)
    assert flows
    errors = []
    with scenariolib.ControlPlane(tmp_path / "weft", "weft-db",
                                  "weft") as plane:
        plane.load(scenario)
        plane.northd.stop()
        hybrid.graft(plane, flows, WEFT_STAGES)
        for pkt in scenario.packets:
            fate, text, warn = plane.trace(
                pkt["dp"], pkt["flow"], pkt.get("ct") or (),
                pkt.get("lb_dst"), pkt.get("select_id"))
            why = scenariolib.check_expect(fate, pkt["expect"])
            if why or warn:
                errors.append("%s: %s %s\n%s" % (pkt.get("name"), why,
                                                 warn, text))
    assert not errors, "\n".join(errors)
