"""weft-northd's switch port/address stages against ovn-northd 23.03.

The scenario catalogue (test_scenarios.py) checks packet fates; these
tests check the flows themselves, for features the catalogue does not
exercise: every flow of the port security, FDB, ARP/ND responder, DHCP,
DNS, external port, L2 lookup and L2 unknown stages must be the same on
both, tags:in_out_port included (up to the order of the elements of a
{set}, which ovn-northd writes in hash order), dynamic addresses must be allocated alike, and bad NB rows
must be logged and skipped while the rest compiles.
"""

import importlib.util
import json
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                ".."))

import scenariolib  # noqa: E402
import weftlib  # noqa: E402

_HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    "lflow_diff", os.path.join(_HERE, "..", "..", "scripts", "lflow-diff.py"))
lflow_diff = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lflow_diff)

STAGES = ("ls_in_check_port_sec", "ls_in_apply_port_sec",
          "ls_in_lookup_fdb", "ls_in_put_fdb", "ls_in_arp_rsp",
          "ls_in_dhcp_options", "ls_in_dhcp_response", "ls_in_dns_lookup",
          "ls_in_dns_response", "ls_in_external_port", "ls_in_l2_lkup",
          "ls_in_l2_unknown", "ls_out_check_port_sec",
          "ls_out_apply_port_sec")

# Features beyond the catalogue, IPv4 and IPv6.  (At most one forwarding
# group per switch: ovn-northd 23.03 writes flows for only one of
# several, and hung with three.)
TOPOLOGIES = {
    "ports": """
        ls-add sw0
        set Logical_Switch sw0 other_config:mcast_snoop=true other_config:vlan-passthru=true
        lsp-add sw0 vm1
        lsp-set-addresses vm1 "00:00:00:00:a0:01 10.0.20.11 fd20::11"
        lsp-set-options vm1 hostname=myhost qdisc_queue_id=5
        lsp-add sw0 vm2
        lsp-set-addresses vm2 "00:00:00:00:a0:02 10.0.20.12"
        lsp-set-options vm2 mcast_flood=true
        lsp-add sw0 lp
        lsp-set-type lp localport
        lsp-set-addresses lp "00:00:00:00:a0:03 10.0.20.13"
        lsp-add sw0 vip
        lsp-set-type vip virtual
        lsp-set-addresses vip "00:00:00:00:a0:04 10.0.20.14"
        lsp-set-options vip virtual-ip=10.0.20.14 virtual-parents=vm1,vm2
        lsp-add sw0 vip6
        lsp-set-type vip6 virtual
        lsp-set-options vip6 virtual-ip=fd20::14 virtual-parents=vm1
        lsp-add sw0 rtr
        lsp-set-type rtr router
        lsp-set-addresses rtr router
        lsp-set-options rtr router-port=nowhere
        -- --id=@d create DHCP_Options cidr=10.0.20.0/24 options='{server_id="10.0.20.1", server_mac="00:00:00:00:a0:fe", lease_time="3600", router="10.0.20.1"}' -- set Logical_Switch_Port vm1 dhcpv4_options=@d -- set Logical_Switch_Port vm2 dhcpv4_options=@d
        -- --id=@d create DHCP_Options cidr='"fd20::/64"' options='{server_id="00:00:00:00:a0:fe"}' -- set Logical_Switch_Port vm1 dhcpv6_options=@d
        -- --id=@r create DNS records='{"vm1.ovn.org"="10.0.20.11 fd20::11"}' -- add Logical_Switch sw0 dns_records @r
        ls-add ext
        lsp-add ext ln
        lsp-set-type ln localnet
        lsp-set-addresses ln unknown
        lsp-set-options ln network_name=phys qdisc_queue_id=7
        lsp-add ext e1
        lsp-set-type e1 external
        lsp-set-addresses e1 "00:00:00:00:b0:01 10.0.30.11 fd30::11"
        -- --id=@g create HA_Chassis_Group name=g1 -- set Logical_Switch_Port e1 ha_chassis_group=@g
        -- --id=@d create DHCP_Options cidr=10.0.30.0/24 options='{server_id="10.0.30.1", server_mac="00:00:00:00:b0:fe", lease_time="3600"}' -- set Logical_Switch_Port e1 dhcpv4_options=@d
        lsp-add ext vmx
        lsp-set-addresses vmx "00:00:00:00:b0:02 10.0.30.12 fd30::12"
        lsp-set-port-security vmx "00:00:00:00:b0:02 10.0.30.12 fd30::12"
        lsp-add ext off
        lsp-set-addresses off "00:00:00:00:b0:03 10.0.30.13"
        lsp-set-enabled off disabled
        lsp-add ext u
        lsp-set-addresses u "00:00:00:00:b0:04" unknown
        lsp-add ext vt
        lsp-set-type vt vtep
        lsp-set-options vt vtep-physical-switch=br0 vtep-logical-switch=l0
        lr-add r
        lrp-add r r-ext 00:00:00:00:b0:fe 10.0.30.1/24 fd30::1/64
        lsp-add ext ext-r
        lsp-set-type ext-r router
        lsp-set-addresses ext-r router
        lsp-set-options ext-r router-port=r-ext arp_proxy="10.0.30.200 10.0.99.0/24"
        fwd-group-add fg2 ext 10.0.30.101 00:00:00:00:b0:65 vmx u
    """,
    "mcast-and-down-ports": """
        set NB_Global . options:ignore_lsp_down=false
        ls-add a
        set Logical_Switch a other_config:mcast_snoop=true
        lsp-add a a1
        lsp-set-addresses a1 "00:00:00:00:a0:01 10.0.20.11 fd20::11"
        lsp-add a lp1
        lsp-set-type lp1 localport
        lsp-set-addresses lp1 "00:00:00:00:a0:02 10.0.20.12 fd20::12"
        ls-add b
        set Logical_Switch b other_config:mcast_snoop=true other_config:mcast_flood_unregistered=true
        lsp-add b b1
        ls-add c
        set Logical_Switch c other_config:mcast_snoop=true
        lsp-add c c1
        lr-add r
        set Logical_Router r options:mcast_relay=true
        lrp-add r r-c 00:00:00:00:c0:fe 10.0.60.1/24 fd60::1/64
        lsp-add c c-r
        lsp-set-type c-r router
        lsp-set-addresses c-r router
        lsp-set-options c-r router-port=r-c
        ls-add d
        set Logical_Switch d other_config:mcast_snoop=true
        lsp-add d d1
        lsp-set-options d1 mcast_flood=true
        lrp-add r r-d 00:00:00:00:d0:fe 10.0.70.1/24
        lsp-add d d-r
        lsp-set-type d-r router
        lsp-set-addresses d-r router
        lsp-set-options d-r router-port=r-d
        lsp-set-enabled d-r disabled
        ls-add join
        lsp-add join j-r
        lsp-set-type j-r router
        lsp-set-addresses j-r 00:00:00:00:e0:fe
        lsp-set-options j-r router-port=r-j
        lrp-add r r-j 00:00:00:00:e0:fe 100.64.0.1/24 fd64::1/64
    """,
    "port-types": """
        ls-add sw0
        lsp-add sw0 vm1
        lsp-set-addresses vm1 "00:00:00:00:a0:01 10.0.20.11 fd20::11"
        lsp-add sw0 l2g
        lsp-set-type l2g l2gateway
        lsp-set-addresses l2g "00:00:00:00:a0:05 10.0.20.15 fd20::15"
        lsp-set-options l2g network_name=phys l2gateway-chassis=hv1
        lsp-add sw0 lp
        lsp-set-type lp localport
        lsp-set-addresses lp "00:00:00:00:a0:03 10.0.20.13"
        lsp-add sw0 rem
        lsp-set-type rem remote
        lsp-set-addresses rem "00:00:00:00:a0:06 10.0.20.16"
        lsp-add sw0 c1 vm1 7
        lsp-set-addresses c1 "00:00:00:00:a0:07 10.0.20.17"
        -- --id=@d create DHCP_Options cidr=10.0.20.0/24 options='{server_id="10.0.20.1", server_mac="00:00:00:00:a0:fe", lease_time="3600"}' -- set Logical_Switch_Port lp dhcpv4_options=@d -- set Logical_Switch_Port l2g dhcpv4_options=@d -- set Logical_Switch_Port rem dhcpv4_options=@d -- set Logical_Switch_Port c1 dhcpv4_options=@d
        -- --id=@d create DHCP_Options cidr='"fd20::/64"' options='{server_id="00:00:00:00:a0:fe", dhcpv6_stateless="true"}' -- set Logical_Switch_Port l2g dhcpv6_options=@d
        lsp-add sw0 u2
        lsp-set-addresses u2 unknown "00:00:00:00:a0:0a 10.0.20.10 fd20::10"
        lsp-add sw0 vt
        lsp-set-type vt vtep
        lsp-set-addresses vt unknown
        lsp-set-options vt vtep-physical-switch=br0 vtep-logical-switch=l0
        ls-add sw1
        lsp-add sw1 x1
        lsp-set-addresses x1 unknown
        lsp-set-enabled x1 disabled
        lsp-add sw0 multi
        lsp-set-addresses multi "00:00:00:00:a0:08 10.0.20.18" "00:00:00:00:a0:09 10.0.20.19 fd20::19"
        lsp-set-port-security multi "00:00:00:00:a0:08 10.0.20.18"
        --liveness fwd-group-add fg1 sw0 10.0.20.100 00:00:00:00:a0:64 vm1 multi
    """,
    "gateway-ports": """
        ls-add lan
        lsp-add lan ln
        lsp-set-type ln localnet
        lsp-set-addresses ln unknown
        lsp-set-options ln network_name=phys
        lsp-add lan vm1
        lsp-set-addresses vm1 "00:00:00:00:a0:01 10.0.20.11"
        ls-add ext
        lsp-add ext ln2
        lsp-set-type ln2 localnet
        lsp-set-addresses ln2 unknown
        lsp-set-options ln2 network_name=phys
        lr-add lr0
        lrp-add lr0 lr0-lan 00:00:00:00:a0:fe 10.0.20.1/24 fd20::1/64
        lrp-set-options lr0-lan reside-on-redirect-chassis=true
        lrp-add lr0 lr0-ext 00:00:00:00:b0:fe 172.16.0.1/24
        lrp-set-gateway-chassis lr0-ext hv1 10
        lsp-add lan lan-lr0
        lsp-set-type lan-lr0 router
        lsp-set-addresses lan-lr0 router
        lsp-set-options lan-lr0 router-port=lr0-lan
        lsp-add ext ext-lr0
        lsp-set-type ext-lr0 router
        lsp-set-addresses ext-lr0 router
        lsp-set-options ext-lr0 router-port=lr0-ext
        lr-nat-add lr0 dnat_and_snat 172.16.0.50 10.0.20.11 vm1 00:00:00:00:b0:50
        lr-add lr1
        lrp-add lr1 lr1-lan 00:00:00:00:a1:fe 10.0.20.2/24
        lsp-add lan lan-lr1
        lsp-set-type lan-lr1 router
        lsp-set-addresses lan-lr1 router
        lsp-set-options lan-lr1 router-port=lr1-lan
    """,
    "dynamic": """
        set NB_Global . options:mac_prefix=0a:00:00
        ls-add s1
        set Logical_Switch s1 other_config:subnet=10.0.1.0/24 other_config:ipv6_prefix=fd01::
        lsp-add s1 a
        lsp-set-addresses a dynamic
        lsp-add s1 st
        lsp-set-addresses st "00:00:00:00:00:09 10.0.1.3"
        lsp-add s1 d
        lsp-set-addresses d "0a:00:00:00:00:33 dynamic"
        lsp-add s1 j
        lsp-set-addresses j "dynamic 10.0.1.77"
        -- --id=@d create DHCP_Options cidr=10.0.1.0/24 options='{server_id="10.0.1.1", server_mac="00:00:00:00:01:fe", lease_time="60"}' -- set Logical_Switch_Port a dhcpv4_options=@d
        ls-add s2
        set Logical_Switch s2 other_config:subnet=192.168.7.128/25 other_config:exclude_ips="192.168.7.130 192.168.7.132..192.168.7.134"
        lsp-add s2 e
        lsp-set-addresses e dynamic
        lsp-add s2 f
        lsp-set-addresses f dynamic
        ls-add s3
        lsp-add s3 g
        lsp-set-addresses g dynamic
        ls-add s4
        set Logical_Switch s4 other_config:ipv6_prefix=fd04::
        lsp-add s4 h
        lsp-set-addresses h dynamic
        ls-add s5
        set Logical_Switch s5 other_config:subnet=10.0.5.0/24 other_config:mac_only=true
        lsp-add s5 m
        lsp-set-addresses m dynamic
    """,
}


def _scenario(name, text):
    return scenariolib.Scenario(name, {"description": name, "nbctl": text,
                                       "packets": []})


def _normalize(text):
    """Sorts the elements of each innermost {...} set."""
    def sort_set(m):
        items = sorted(x.strip() for x in m.group(1).split(","))
        return "{" + ", ".join(items) + "}"
    return re.sub(r"\{([^{}]*)\}", sort_set, text)


def _my_flows(plane):
    """{(dp, pipeline, stage, priority, match, actions, in_out_port)} of
    the tested stages; a flow of a datapath group counts for each of its
    datapaths."""
    rows = lflow_diff._rows
    names = {lflow_diff._uuid(r["_uuid"]):
             lflow_diff._map(r["external_ids"]).get("name")
             for r in rows(plane, "Datapath_Binding",
                           ["_uuid", "external_ids"])}
    groups = {lflow_diff._uuid(r["_uuid"]):
              [lflow_diff._uuid(v) for v in lflow_diff._set(r["datapaths"])]
              for r in rows(plane, "Logical_DP_Group",
                            ["_uuid", "datapaths"])}
    flows = set()
    for r in rows(plane, "Logical_Flow",
                  ["logical_datapath", "logical_dp_group", "pipeline",
                   "priority", "match", "actions", "external_ids", "tags"]):
        stage = lflow_diff._map(r["external_ids"]).get("stage-name")
        if stage not in STAGES:
            continue
        dps = [lflow_diff._uuid(v)
               for v in lflow_diff._set(r["logical_datapath"])
               if lflow_diff._uuid(v)]
        for g in lflow_diff._set(r["logical_dp_group"]):
            dps += groups.get(lflow_diff._uuid(g), [])
        port = lflow_diff._map(r["tags"]).get("in_out_port")
        for dp in dps:
            flows.add((names.get(dp), r["pipeline"], stage, r["priority"],
                       _normalize(r["match"]), r["actions"], port))
    return flows


def _dynamic_addresses(plane):
    out = plane.nbctl("--format=json", "--columns=name,dynamic_addresses",
                      "list", "Logical_Switch_Port").stdout
    rows = json.loads(out)["data"]
    return {name: (dyn if isinstance(dyn, str) else "")
            for name, dyn in rows}


def _build(tmp_path, kind, text):
    server = "ovsdb-server" if kind == "ovn" else "weft-db"
    plane = scenariolib.ControlPlane(tmp_path / kind, server, kind)
    return plane, _scenario("t", text)


@pytest.mark.parametrize("name", sorted(TOPOLOGIES))
def test_same_flows_as_ovn_northd(name, tmp_path):
    scenariolib.need_ovn()
    weftlib.need_binary("daemons/weft-northd")
    results = {}
    for kind in ("ovn", "weft"):
        plane, scenario = _build(tmp_path, kind, TOPOLOGIES[name])
        with plane:
            plane.load(scenario)
            results[kind] = (_my_flows(plane), _dynamic_addresses(plane))
    (ovn, ovn_dyn), (weft, weft_dyn) = results["ovn"], results["weft"]
    assert ovn, "ovn-northd wrote no flows in the tested stages"
    only_ovn = sorted(ovn - weft)
    only_weft = sorted(weft - ovn)
    assert not only_ovn and not only_weft, \
        "only ovn:\n%s\nonly weft:\n%s" % (
            "\n".join(map(str, only_ovn)), "\n".join(map(str, only_weft)))
    assert weft_dyn == ovn_dyn


def test_dynamic_addresses_stay(tmp_path):
    """An allocation survives later changes; a new port gets the next
    free address, and a freed one is reused only after."""
    scenariolib.need_ovn()
    weftlib.need_binary("daemons/weft-northd")
    plane, scenario = _build(tmp_path, "weft", TOPOLOGIES["dynamic"])
    with plane:
        plane.load(scenario)
        before = _dynamic_addresses(plane)
        assert before["a"] == "0a:00:00:00:01:03 10.0.1.2 " \
                              "fd01::800:ff:fe00:103"
        plane.nbctl("--wait=sb", "lsp-add", "s1", "z", "--",
                    "lsp-set-addresses", "z", "dynamic")
        plane.nbctl("--wait=sb", "lsp-set-addresses", "st",
                    "00:00:00:00:00:09 10.0.1.9")
        after = _dynamic_addresses(plane)
        for port, addrs in before.items():
            assert after[port] == addrs, port
        assert after["z"].split()[1] == "10.0.1.5", after["z"]
        plane.nbctl("--wait=sb", "lsp-set-addresses", "a",
                    "00:00:00:00:01:aa 10.0.1.2")
        assert _dynamic_addresses(plane)["a"] == ""


def test_bad_rows_are_logged_and_skipped(tmp_path):
    scenariolib.need_ovn()
    weftlib.need_binary("daemons/weft-northd")
    text = """
        ls-add sw0
        set Logical_Switch sw0 other_config:subnet=10.0.0.0/33 other_config:ipv6_prefix=zz::
        lsp-add sw0 vm1
        lsp-set-addresses vm1 "00:00:00:00:00:01 10.0.0.11"
        lsp-add sw0 vm2
        lsp-set-addresses vm2 "00:00:00:00:00:02 10.0.0.12"
        lsp-add sw0 dyn
        lsp-set-addresses dyn dynamic
        -- --id=@d create DHCP_Options cidr=bogus options='{server_id="10.0.0.1", server_mac="00:00:00:00:00:fe", lease_time="60"}' -- set Logical_Switch_Port vm1 dhcpv4_options=@d
        -- --id=@d create DHCP_Options cidr=10.0.0.0/24 options='{server_id="10.0.0.1", server_mac="00:00:00:00:00:fe", lease_time="60"}' -- set Logical_Switch_Port vm2 dhcpv4_options=@d
        lsp-add sw0 vip
        lsp-set-type vip virtual
        lsp-set-options vip virtual-ip=not-an-ip virtual-parents=vm1
        lr-add r
        lrp-add r r-sw0 00:00:00:00:00:fe 10.0.0.1/24
        lsp-add sw0 sw0-r
        lsp-set-type sw0-r router
        lsp-set-addresses sw0-r router
        lsp-set-options sw0-r router-port=r-sw0 arp_proxy="10.0.0.200 nonsense"
    """
    plane, scenario = _build(tmp_path, "weft", text)
    with plane:
        plane.load(scenario)
        flows = _my_flows(plane)
        log = open(os.path.join(plane.northd.workdir,
                                "weft-northd.log")).read()
    for needle in ("bad cidr", "bogus", "other_config:subnet",
                   "other_config:ipv6_prefix", "bad virtual-ip",
                   "bad arp_proxy address \"nonsense\""):
        assert needle in log, needle
    stages = {(f[2], f[4]) for f in flows}
    assert len(flows) > 30
    # The rest compiled: vm2's DHCP, vm1's ARP reply, the good arp_proxy
    # address, L2 lookup of every port.
    assert any(s == "ls_in_dhcp_options" and '"vm2"' in m
               for s, m in stages)
    assert not any(s == "ls_in_dhcp_options" and '"vm1"' in m
                   for s, m in stages)
    assert ("ls_in_arp_rsp", "arp.tpa == 10.0.0.11 && arp.op == 1") \
        in stages
    assert ("ls_in_arp_rsp", "arp.op == 1 && arp.tpa == {10.0.0.200}") \
        in stages
    assert ("ls_in_l2_lkup", "eth.dst == 00:00:00:00:00:02") in stages
