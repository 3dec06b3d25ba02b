"""weft-northd's logical router pipelines against the real ovn-northd.

test_router_flows: for each scenario with routers, the flows of every
lr_in_* / lr_out_* stage that weft-northd writes equal ovn-northd 23.03's
(datapath, stage, priority, match, actions), up to two documented
differences (docs/northd-facts.md, "Router pipeline"): ECMP group ids
and member ids, which ovn-northd numbers in hash order, are renumbered
in order of first use (groups) or left out (members) on both sides; and
router load balancer VIPs appear inline where
ovn-northd writes its "$_rtr_lb_N_ip4" address set.

test_router_fates: weft-northd's router flows put in place of
ovn-northd's in ovn-northd's southbound database (ovn-northd stopped,
its switch flows kept) give every packet of the scenario the fate the
catalogue expects: the router pipeline is right on its own, whatever the
state of the switch pipeline.

test_bad_rows: bad static routes, policies and NAT rows are logged with
their UUID and skipped; the good rows of the same router still compile.
"""

import os
import re

import pytest

import scenariolib
import weftlib

ROUTER_SCENARIOS = ["router-basic", "static-routes", "router-policies",
                    "router-chain", "reference-routing",
                    "nat-dgp-centralized", "nat-dgp-distributed",
                    "nat-gateway-router", "seed-vpc", "seed-genestack-dvr",
                    "acl-routed", "load-balancers", "route-tables"]

_FLOW = re.compile(r'\s+table=\s*\d+\s*\((\S+)\s*\), priority=(\d+)\s*, '
                   r'match=\((.*)\), action=\((.*)\)$')
_DP = re.compile(r'Datapath: "([^"]*)" \(\S+\)\s+Pipeline: (\S+)')


def router_flows(plane):
    """The set of (datapath, stage, priority, match, actions) of the
    router stages in 'plane''s southbound database, normalised."""
    out = plane.sbctl("lflow-list").stdout
    flows, dp = [], None
    for line in out.splitlines():
        m = _DP.match(line)
        if m:
            dp = m.group(1)
            continue
        m = _FLOW.match(line)
        if m and m.group(1).startswith("lr_"):
            flows.append((dp, m.group(1), int(m.group(2)), m.group(3),
                          m.group(4)))
    return _normalise(flows)


def _normalise(flows):
    # ECMP group ids in order of first use, per datapath and stage pair.
    ids = {}
    flows.sort(key=lambda f: (f[0], f[1] != "lr_in_ip_routing"
                              and f[1] != "lr_in_policy", f[3]))
    result = set()
    for dp, stage, prio, match, actions in flows:
        kind = "route" if "routing" in stage else "policy"

        def renum(m):
            key = (dp, kind, m.group(2))
            ids.setdefault(key, len([k for k in ids if k[:2] == key[:2]])
                           + 1)
            return "%s%d" % (m.group(1), ids[key])
        match = re.sub(r"(reg8\[0\.\.15\] == )(\d+)", renum, match)
        match = re.sub(r"reg8\[16\.\.31\] == \d+", "reg8[16..31] == M",
                       match)
        actions = re.sub(r"(reg8\[0\.\.15\] = )([1-9]\d*)", renum, actions)
        match = re.sub(r"(arp\.tpa|nd\.target) == (\$_rtr_lb_\d+_ip[46]"
                       r"|\{[0-9a-f.:, ]+\})(?=$| && is_chassis_resident)",
                       r"\1 == VIPS", match)
        result.add((dp, stage, prio, match, actions))
    return result


def _flows_of(tmp_path, name, northd, extra=""):
    scenario = {s.name: s for s in scenariolib.load_catalogue()}[name]
    if extra.startswith("#no-chassis"):
        # No chassis: every chassis feature counts as present
        # (ct_mark instead of ct_label, ct_lb_mark, LB related flows).
        scenario.sbctl = []
    if extra:
        scenario.nbctl = scenario.nbctl + scenariolib._command_lines(extra)
    with scenariolib.ControlPlane(tmp_path / northd,
                                  "ovsdb-server" if northd == "ovn"
                                  else "weft-db", northd) as plane:
        plane.load(scenario)
        return router_flows(plane)


@pytest.mark.parametrize("name", ROUTER_SCENARIOS)
def test_router_flows(tmp_path, name):
    ovn = _flows_of(tmp_path, name, "ovn")
    weft = _flows_of(tmp_path, name, "weft")
    assert ovn, "ovn-northd wrote no router flows"
    missing = sorted(ovn - weft)
    extra = sorted(weft - ovn)
    assert not missing and not extra, (
        "only in ovn-northd:\n  %s\nonly in weft-northd:\n  %s"
        % ("\n  ".join(map(str, missing)), "\n  ".join(map(str, extra))))


# Topologies outside the catalogue: a scenario's with more NB rows.
VARIANTS = {
    "gateway-mtu-and-ra": ("nat-dgp-centralized", """
set Logical_Router_Port lr0-lan ipv6_ra_configs:address_mode=slaac \
    ipv6_ra_configs:send_periodic=true ipv6_ra_configs:mtu=1450
set Logical_Router_Port lr0-lan2 ipv6_ra_configs:address_mode=dhcpv6_stateful
set Logical_Router_Port lr0-ext options:gateway_mtu=1400
"""),
    "no-always-learn-and-pkt-mark": ("router-policies", """
set Logical_Router lr0 options:always_learn_from_arp_request=false
lr-policy-add lr0 300 "ip4.dst == 203.0.113.0/24" allow pkt_mark=77
"""),
    "dynamic-neigh-routers": ("router-chain", """
set Logical_Router lr2 options:dynamic_neigh_routers=true
"""),
    "several-networks-per-port": ("router-basic", """
lrp-del lr0-sw2
lrp-add lr0 lr0-sw2 00:00:00:00:16:fe 10.0.22.1/24 10.0.23.1/24 fd22::1/64 \
    fd23::1/64
lsp-add sw1 vmx
lsp-set-addresses vmx "00:00:00:00:15:77 192.168.5.5 fd77::5"
lr-add lr9
lrp-add lr9 lr9-sw1 00:00:00:00:15:99 10.0.21.99/24
lsp-add sw1 sw1-lr9
lsp-set-type sw1-lr9 router
lsp-set-addresses sw1-lr9 router
lsp-set-options sw1-lr9 router-port=lr9-sw1
lrp-add lr9 lr9-x 00:00:00:00:15:98 10.9.0.1/24
lrp-set-enabled lr9-x disabled
"""),
    "dgp-load-balancers": ("nat-dgp-centralized", """
lb-add lbr 172.16.50.100:443 10.0.50.11:443,10.0.52.13:443 tcp
lb-add lbr2 172.16.50.101 10.0.50.11,10.0.52.13
lb-add lbr6 [2001:db8:50::100]:80 [fd50::11]:8080,[fd52::13]:8080 tcp
lr-lb-add lr0 lbr
lr-lb-add lr0 lbr2
lr-lb-add lr0 lbr6
"""),
    "ecmp-symmetric-reply": ("static-routes", """
set Logical_Router lr0 options:chassis=hv1
--ecmp-symmetric-reply lr-route-add lr0 7.7.7.0/24 172.16.1.254
--ecmp-symmetric-reply lr-route-add lr0 7.7.7.0/24 172.16.2.254
--ecmp-symmetric-reply lr-route-add lr0 2001:db7::/32 fd16:1::254
--ecmp-symmetric-reply lr-route-add lr0 2001:db7::/32 fd16:2::254
"""),
    "no-chassis-gateway-router": ("nat-gateway-router", "#no-chassis\n"),
    "no-chassis-dgp": ("nat-dgp-distributed", "#no-chassis\n"),
    "no-chassis-load-balancers": ("load-balancers", "#no-chassis\n"),
    "two-dgps": ("nat-dgp-centralized", """
ls-add ext2
lsp-add ext2 up2
lsp-set-addresses up2 "00:00:00:00:53:fe 172.16.53.254"
lrp-add lr0 lr0-ext2 00:00:00:00:53:01 172.16.53.1/24
lrp-set-gateway-chassis lr0-ext2 hv2 20
lsp-add ext2 ext2-lr0
lsp-set-type ext2-lr0 router
lsp-set-addresses ext2-lr0 router
lsp-set-options ext2-lr0 router-port=lr0-ext2
lr-nat-add lr0 snat 172.16.53.1 10.0.52.0/24
"""),
    "lb-skip-snat": ("load-balancers", """
lb-add lbs 172.16.70.103:80 10.0.71.21:80 tcp
set Load_Balancer lbs options:skip_snat=true
lr-lb-add lr0 lbs
"""),
    "lb-affinity": ("load-balancers", """
lb-add lba 172.16.70.104:80 10.0.71.21:80,10.0.72.22:80 tcp
set Load_Balancer lba options:affinity_timeout=60
lr-lb-add lr0 lba
"""),
    "bridged-dgp-and-ra-options": ("nat-dgp-centralized", """
set Logical_Router_Port lr0-ext options:redirect-type=bridged
set Logical_Router_Port lr0-lan options:reside-on-redirect-chassis=true
set Logical_Router_Port lr0-lan2 ipv6_ra_configs:address_mode=dhcpv6_stateless \
    ipv6_ra_configs:router_preference=HIGH ipv6_ra_configs:rdnss=fd52::53 \
    ipv6_ra_configs:dnssl=example.com
"""),
    "gateway-router-nat-options": ("nat-gateway-router", """
set Logical_Router gw options:dnat_force_snat_ip=172.16.40.1
lb-add lbg 172.16.40.200:80 10.0.40.11:80 tcp
lr-lb-add gw lbg
-- --id=@n create NAT type=snat external_ip=172.16.40.2 \
    logical_ip=10.0.52.0/24 external_port_range="1000-2000" \
    -- add Logical_Router gw nat @n
-- --id=@as create Address_Set name=allowed addresses=172.16.50.254 \
    -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.40.30 \
    logical_ip=10.0.40.11 allowed_ext_ips=@as -- add Logical_Router gw nat @n
-- --id=@as create Address_Set name=exempt addresses=172.16.50.253 \
    -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.40.31 \
    logical_ip=10.0.40.12 exempted_ext_ips=@as -- add Logical_Router gw nat @n
"""),
    "dgp-nat-options": ("nat-dgp-centralized", """
-- --id=@n create NAT type=snat external_ip=172.16.50.2 \
    logical_ip=10.0.52.0/24 external_port_range="1000-2000" \
    -- add Logical_Router lr0 nat @n
-- --id=@as create Address_Set name=allowed addresses=172.16.50.254 \
    -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.50.30 \
    logical_ip=10.0.50.11 allowed_ext_ips=@as -- add Logical_Router lr0 nat @n
-- --id=@as create Address_Set name=exempt addresses=172.16.50.253 \
    -- --id=@n create NAT type=dnat_and_snat external_ip=172.16.50.31 \
    logical_ip=10.0.52.13 exempted_ext_ips=@as -- add Logical_Router lr0 nat @n
"""),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_router_variants(tmp_path, variant):
    name, extra = VARIANTS[variant]
    extra = re.sub(r"\\\n\s*", "", extra)
    ovn = _flows_of(tmp_path, name, "ovn", extra)
    weft = _flows_of(tmp_path, name, "weft", extra)
    assert ovn
    assert ovn == weft, (
        "only in ovn-northd:\n  %s\nonly in weft-northd:\n  %s"
        % ("\n  ".join(map(str, sorted(ovn - weft))),
           "\n  ".join(map(str, sorted(weft - ovn)))))


def _select(plane, table, columns):
    with weftlib.JsonRpcClient(plane.db.remote("sb")) as c:
        result = c.transact("OVN_Southbound",
                            {"op": "select", "table": table, "where": [],
                             "columns": columns})
    return result[0]["rows"]


def _router_dps(plane):
    """{Datapath_Binding uuid: router name} of 'plane''s SB."""
    dps = {}
    for row in _select(plane, "Datapath_Binding", ["_uuid", "external_ids"]):
        ids = dict(row["external_ids"][1])
        if "logical-router" in ids:
            dps[row["_uuid"][1]] = ids["name"]
    return dps


def _uuids(datum):
    return [datum[1]] if datum[0] == "uuid" else [u[1] for u in datum[1]]


@pytest.mark.parametrize("name", ROUTER_SCENARIOS + ["arp-nd-responder"])
def test_router_fates(tmp_path, name):
    scenario = {s.name: s for s in scenariolib.load_catalogue()}[name]
    columns = ["pipeline", "table_id", "priority", "match", "actions"]
    with scenariolib.ControlPlane(tmp_path / "weft", "weft-db",
                                  "weft") as plane:
        plane.load(scenario)
        routers = _router_dps(plane)
        weft_flows = [
            (routers[f["logical_datapath"][1]], f)
            for f in _select(plane, "Logical_Flow",
                             ["logical_datapath"] + columns)
            if f["logical_datapath"][0] == "uuid"
            and f["logical_datapath"][1] in routers]
    assert weft_flows
    with scenariolib.ControlPlane(tmp_path / "ovn") as plane:
        plane.load(scenario)
        plane.northd.stop()
        routers = _router_dps(plane)
        by_name = {n: u for u, n in routers.items()}
        groups = {g["_uuid"][1]: _uuids(g["datapaths"])
                  for g in _select(plane, "Logical_DP_Group",
                                   ["_uuid", "datapaths"])}
        ops = []
        for f in _select(plane, "Logical_Flow",
                         ["_uuid", "logical_datapath", "logical_dp_group"]):
            dps = _uuids(f["logical_datapath"])
            for g in _uuids(f["logical_dp_group"]):
                dps += groups.get(g, [])
            if any(dp in routers for dp in dps):
                ops.append({"op": "delete", "table": "Logical_Flow",
                            "where": [["_uuid", "==", f["_uuid"]]]})
        for router, f in weft_flows:
            row = {c: f[c] for c in columns}
            row["logical_datapath"] = ["uuid", by_name[router]]
            ops.append({"op": "insert", "table": "Logical_Flow", "row": row})
        with weftlib.JsonRpcClient(plane.db.remote("sb")) as c:
            result = c.transact("OVN_Southbound", *ops)
        assert not [r for r in result if r and "error" in r], result[-2:]
        bad = []
        for pkt in scenario.packets:
            fate, text, _ = plane.trace(pkt["dp"], pkt["flow"],
                                        pkt.get("ct") or (),
                                        pkt.get("lb_dst"),
                                        pkt.get("select_id"))
            why = scenariolib.check_expect(fate, pkt["expect"])
            if why:
                bad.append("%s: %s\n%s" % (pkt.get("name"), why, text))
    assert not bad, "\n".join(bad)


BAD_ROWS = """\
ls-add sw
lr-add lr0
lrp-add lr0 lr0-sw 00:00:00:00:01:01 10.0.1.1/24 fd01::1/64
lsp-add sw sw-lr0
lsp-set-type sw-lr0 router
lsp-set-addresses sw-lr0 router
lsp-set-options sw-lr0 router-port=lr0-sw
lr-route-add lr0 10.9.0.0/16 10.0.1.254
lr-route-add lr0 10.8.0.0/16 192.0.2.1
lr-policy-add lr0 100 "ip4.dst == 10.7.0.0/16" drop
lr-policy-add lr0 90 "ip4.dst == 10.6.0.0/16" reroute 198.51.100.1
lr-nat-add lr0 snat 10.0.1.1 10.0.0.0/8
"""


def test_bad_rows(tmp_path):
    scenariolib.need_ovn()
    with scenariolib.ControlPlane(tmp_path, "weft-db", "weft") as plane:
        # One transaction, so that each warning is logged once and none
        # is lost to rate limiting.  Besides rows ovn-nbctl writes, rows
        # it would refuse: a route whose nexthop is of the other family,
        # a policy match that does not parse, a NAT with a bad address.
        argv = []
        for cmd in scenariolib._command_lines(BAD_ROWS):
            argv += ["--"] + cmd
        argv += ["--", "--id=@r", "create", "Logical_Router_Static_Route",
                 "ip_prefix=fd09\\:\\:/64", "nexthop=10.0.1.254",
                 "--", "add", "Logical_Router", "lr0", "static_routes", "@r",
                 "--", "--id=@p", "create", "Logical_Router_Policy",
                 "priority=80", 'match="ip4.dst == == 1"', "action=drop",
                 "--", "add", "Logical_Router", "lr0", "policies", "@p",
                 "--", "--id=@n", "create", "NAT", "type=snat",
                 "external_ip=not-an-ip", "logical_ip=10.0.0.0/8",
                 "--", "add", "Logical_Router", "lr0", "nat", "@n"]
        plane.nbctl(*argv)
        plane.nbctl("--wait=sb", "--timeout=30", "sync")
        flows = router_flows(plane)
        log = open(os.path.join(plane.northd.workdir,
                                "weft-northd.log")).read()
    matches = {(f[1], f[3]) for f in flows}
    assert ("lr_in_ip_routing", "reg7 == 0 && ip4.dst == 10.9.0.0/16") \
        in matches
    assert ("lr_in_policy", "ip4.dst == 10.7.0.0/16") in matches
    for bad in ("10.8.0.0/16", "fd09::/64"):
        assert not any(bad in m for _, m in matches), bad
    assert not any("10.6.0.0/16" in m or "== == 1" in m for _, m in matches)
    assert any(s == "lr_out_snat" for s, _ in matches)
    assert "nexthop 192.0.2.1 is not reachable" in log
    assert "nexthop 10.0.1.254 is not reachable" in log     # fd09::/64
    assert "nexthop 198.51.100.1 is not reachable" in log
    assert 'match "ip4.dst == == 1" does not parse' in log
    assert "external_ip not-an-ip" in log


def test_reference_topology(tmp_path):
    """The same comparison on northdlib's reference topology (multicast
    relay, a virtual port, a load balancer on a DGP router, an HA chassis
    group, a gateway router, a disabled router port)."""
    import northdlib
    flows = {}
    for northd, server in (("ovn", "ovsdb-server"), ("weft", "weft-db")):
        with scenariolib.ControlPlane(tmp_path / northd, server,
                                      northd) as plane:
            northdlib.build_topology(plane.db.remote("nb"),
                                     plane.db.remote("sb"))
            plane.nbctl("--wait=sb", "--timeout=30", "sync")
            flows[northd] = router_flows(plane)
    assert flows["ovn"]
    assert flows["ovn"] == flows["weft"], (
        "only in ovn-northd:\n  %s\nonly in weft-northd:\n  %s"
        % ("\n  ".join(map(str, sorted(flows["ovn"] - flows["weft"]))),
           "\n  ".join(map(str, sorted(flows["weft"] - flows["ovn"])))))
