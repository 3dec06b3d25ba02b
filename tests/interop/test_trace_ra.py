"""weft-trace --ra: put_nd_ra_opts() builds ovn-controller's Router
Advertisement.

ovn-trace 23.03 aborts on put_nd_ra_opts, so these Router Solicitations
are traced by weft-trace alone.  The RAs recorded from ovn-controller 23.03
(data/ra-ovn-controller-23.03.txt, tests/interop/ra_oracle_record.py, on
the topology ORACLE_NBCTL with each of CONFIGS) are replayed with
--payload on the SB of the real ovn-northd (on ovsdb-server) and of
weft-northd (on weft-db) and must come out byte for byte; the RA of the
ipv6-ra scenario is decoded with scapy.
"""

import os
import re

import pytest

import scenariolib
import weftlib

scapy_all = pytest.importorskip("scapy.all")

RECORDED = os.path.join(os.path.dirname(__file__), "data",
                        "ra-ovn-controller-23.03.txt")
ORACLE_NBCTL = """\
ls-add sw0
lsp-add sw0 ravm1
lsp-set-addresses ravm1 "00:00:00:00:0a:01 fd00:1::11"
lr-add r0
lrp-add r0 r0-sw0 00:00:00:00:0a:ff 10.0.10.1/24 fd00:1::1/64 fd00:2::1/64
lsp-add sw0 sw0-r0
lsp-set-type sw0-r0 router
lsp-set-addresses sw0-r0 router
lsp-set-options sw0-r0 router-port=r0-sw0
"""
CONFIGS = {
    "rich": ["address_mode=slaac", "mtu=1400", "rdnss=fd00:1::53",
             'dnssl="a.example.com,b.org"', "router_preference=HIGH",
             'route_info="HIGH-aef1::11/48,LOW-aef2::11/96"'],
    "stateful": ["address_mode=dhcpv6_stateful", "router_preference=LOW",
                 "mtu=1000"],
    "stateless": ["address_mode=dhcpv6_stateless", "router_preference=LOW",
                  "mtu=1000"],
    "blanks": ["address_mode=slaac", 'dnssl="a.example.com, b.example.com"',
               'route_info="MEDIUM-::/0,LOW-aef3::/64,HIGH-aef4::/65"',
               'rdnss="fd00::1"'],
}
ORACLE_FLOW = ('inport == "ravm1" && eth.src == 00:00:00:00:0a:01 && '
               'eth.dst == 33:33:00:00:00:02 && ip6.src == '
               'fe80::200:ff:fe00:a01 && ip6.dst == ff02::2 && nd_rs')
SCENARIO_FLOW = ('inport == "vm1" && eth.src == 00:00:00:00:0c:01 && '
                 'eth.dst == 33:33:00:00:00:02 && ip6.src == '
                 'fe80::200:ff:fe00:c01 && ip6.dst == ff02::2 && nd_rs')
SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}


def recorded():
    with open(RECORDED) as f:
        return [line.split() for line in f
                if line.strip() and not line.startswith("#")]


def weft_trace(plane, dp, flow, *options):
    argv = [weftlib.need_binary("cli/weft-trace"),
            "--db=" + plane.db.remote("sb"), "--minimal"] + list(options)
    return weftlib.run(argv + [dp, flow], check=False)


def frames(text):
    return {m.group(1): bytes.fromhex(m.group(2))
            for m in re.finditer(r'^# frame "([^"]+)": ([0-9a-f]+)$', text,
                                 re.M)}


@pytest.mark.parametrize("northd", ["ovn", "weft"])
def test_recorded_ras(northd, tmp_path):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    rows = recorded()
    assert len(rows) >= 5
    scenario = scenariolib.Scenario("ra-oracle", {"nbctl": ORACLE_NBCTL})
    with scenariolib.ControlPlane(tmp_path, SERVER[northd], northd) as p:
        p.load(scenario)
        for config, name, rs_hex, ra_hex in rows:
            p.nbctl("clear", "Logical_Router_Port", "r0-sw0",
                    "ipv6_ra_configs")
            p.nbctl("set", "Logical_Router_Port", "r0-sw0",
                    *["ipv6_ra_configs:" + kv for kv in CONFIGS[config]])
            p.nbctl("--wait=sb", "--timeout=30", "sync")
            proc = weft_trace(p, "sw0", ORACLE_FLOW, "--frame-hex",
                              "--payload=" + rs_hex[8:])
            assert proc.returncode == 0, proc.stderr
            got = frames(proc.stdout).get("ravm1")
            assert got == bytes.fromhex(ra_hex), \
                "%s %s:\n%s" % (config, name, proc.stdout)


@pytest.mark.parametrize("northd", ["ovn", "weft"])
def test_scenario_ra_decoded(northd, tmp_path):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    scenario = {s.name: s for s in scenariolib.load_catalogue()}["ipv6-ra"]
    with scenariolib.ControlPlane(tmp_path, SERVER[northd], northd) as p:
        p.load(scenario)
        proc = weft_trace(p, "sw0", SCENARIO_FLOW, "--ra", "--frame-hex")
        assert proc.returncode == 0, proc.stderr
        assert "carries Router Advertisement" in proc.stdout
        pkt = scapy_all.Ether(frames(proc.stdout)["vm1"])
        ip6 = pkt[scapy_all.IPv6]
        assert (pkt.src, pkt.dst) == ("00:00:00:00:0c:f0",
                                      "00:00:00:00:0c:01")
        assert (ip6.src, ip6.dst, ip6.hlim) == (
            "fe80::200:ff:fe00:cf0", "fe80::200:ff:fe00:c01", 255)
        ra = pkt[scapy_all.ICMPv6ND_RA]
        raw = bytes(ra)
        ra.cksum = None
        assert bytes(scapy_all.IPv6(bytes(ip6))[scapy_all.ICMPv6ND_RA]) \
            == raw, "checksum"
        check = scapy_all.Ether(bytes(pkt))
        assert check[scapy_all.ICMPv6ND_RA].cksum == \
            scapy_all.Ether(frames(proc.stdout)["vm1"])[
                scapy_all.ICMPv6ND_RA].cksum
        assert (ra.chlim, ra.M, ra.O, ra.prf, ra.routerlifetime) == (
            255, 0, 0, 1, 65535)
        assert ra[scapy_all.ICMPv6NDOptSrcLLAddr].lladdr == \
            "00:00:00:00:0c:f0"
        assert ra[scapy_all.ICMPv6NDOptMTU].mtu == 1400
        assert ra[scapy_all.ICMPv6NDOptRDNSS].dns == ["fd0c:1::53"]
        assert ra[scapy_all.ICMPv6NDOptDNSSL].searchlist == [
            "a.example.com.", "b.org."]
        prefixes = [(o.prefix, o.prefixlen, o.L, o.A) for o in
                    ra.iterpayloads()
                    if isinstance(o, scapy_all.ICMPv6NDOptPrefixInfo)]
        assert prefixes == [("fd0c:1::", 64, 1, 1), ("fd0c:9::", 64, 1, 1)]
        routes = [(o.prefix, o.plen, o.prf) for o in ra.iterpayloads()
                  if isinstance(o, scapy_all.ICMPv6NDOptRouteInfo)]
        assert routes == [("aef1::", 48, 1), ("aef2::", 96, 3)]

        # dhcpv6_stateful on sw1: M set, prefix without A, LOW.
        flow1 = SCENARIO_FLOW.replace('"vm1"', '"vm2"').replace(
            "0c:01", "0c:02").replace("fe00:c01", "fe00:c02")
        proc = weft_trace(p, "sw1", flow1, "--ra", "--frame-hex")
        ra = scapy_all.Ether(frames(proc.stdout)["vm2"])[
            scapy_all.ICMPv6ND_RA]
        assert (ra.M, ra.O, ra.prf) == (1, 0, 3)
        assert ra[scapy_all.ICMPv6NDOptPrefixInfo].A == 0

        # A microflow that is no RS: --ra refuses it.
        proc = weft_trace(p, "sw0", SCENARIO_FLOW.replace(
            "nd_rs", "nd_ra"), "--ra")
        assert proc.returncode != 0
        assert "not an ICMPv6 Router Solicitation" in proc.stderr
