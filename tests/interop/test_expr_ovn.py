"""weft's match language (expr/) against the real OVN 23.03.

1. Every match that the real ovn-northd writes into the southbound
   Logical_Flow table for a rich topology (switches, routers, ACLs on port
   groups with address sets, NAT, load balancers, DHCP, DNS, gateways,
   IPv6 RA, multicast, QoS, policies) must parse, annotate and normalize
   in weft, and the normal form must agree with the annotated expression
   (weft-test-expr normalize checks that on random packets).

2. ovn-trace reads a packet description ("microflow") with OVN's parser:
   for a few hundred descriptions, including wrong ones, weft must give
   the same verdict and the same error message, and for the accepted ones
   the same packet (fields compared with ovn-trace's OpenFlow rendering).

Skips if OVN or weft-test-expr is missing."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

import pytest

import weftlib

OVN_SCHEMAS = {"nb": "/usr/share/ovn/ovn-nb.ovsschema",
               "sb": "/usr/share/ovn/ovn-sb.ovsschema"}


def _need_ovn():
    for tool in ("ovn-nbctl", "ovn-sbctl", "ovn-northd", "ovn-trace",
                 "ovn-appctl"):
        weftlib.need_tool(tool)
    for path in OVN_SCHEMAS.values():
        if not os.path.exists(path):
            pytest.skip("%s missing (OVN not installed)" % path)


def _tool():
    return weftlib.need_binary("tests/helpers/weft-test-expr")


class Northd(weftlib.Daemon):
    name = "ovn-northd"

    def __init__(self, workdir, nb, sb):
        super().__init__(workdir)
        self.nb, self.sb = nb, sb

    def _argv(self):
        return [weftlib.need_tool("ovn-northd"), "--no-chdir",
                "--unixctl=" + self.ctl,
                "--log-file=" + os.path.join(self.workdir, "northd.log"),
                "--ovnnb-db=" + self.nb, "--ovnsb-db=" + self.sb]


# The topology, as ovn-nbctl commands.
def _topology():
    cmds = [
        ["ls-add", "sw0"], ["ls-add", "sw1"], ["ls-add", "public"],
        ["lsp-add", "sw0", "vm1"],
        ["lsp-set-addresses", "vm1", "50:54:00:00:00:01 10.0.0.2 fd00::2"],
        ["lsp-set-port-security", "vm1",
         "50:54:00:00:00:01 10.0.0.2 fd00::2"],
        ["lsp-add", "sw0", "vm2"],
        ["lsp-set-addresses", "vm2", "50:54:00:00:00:02 10.0.0.3"],
        ["lsp-add", "sw0", "vm3"], ["lsp-set-addresses", "vm3", "dynamic"],
        ["lsp-add", "sw0", "vm4"], ["lsp-set-addresses", "vm4", "unknown"],
        ["lsp-add", "sw1", "vm5"],
        ["lsp-set-addresses", "vm5", "50:54:00:00:01:05 10.0.1.5 fd01::5"],
        ["lsp-add", "sw1", "vvip"], ["lsp-set-type", "vvip", "virtual"],
        ["lsp-set-options", "vvip", "virtual-ip=10.0.1.100",
         "virtual-parents=vm5"],
        ["lsp-add", "sw1", "lport1"], ["lsp-set-type", "lport1", "localport"],
        ["lsp-set-addresses", "lport1", "50:54:00:00:01:09 10.0.1.9"],
        ["lsp-add", "sw1", "ext1"], ["lsp-set-type", "ext1", "external"],
        ["lsp-set-addresses", "ext1", "50:54:00:00:01:0a 10.0.1.10"],
        ["set", "Logical_Switch", "sw0", "other_config:subnet=10.0.0.0/24",
         "other_config:mcast_snoop=true", "other_config:mcast_querier=true"],
        ["lr-add", "r0"],
        ["lrp-add", "r0", "r0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24",
         "fd00::1/64"],
        ["lrp-add", "r0", "r0-sw1", "00:00:00:00:ff:02", "10.0.1.1/24",
         "fd01::1/64"],
        ["lrp-add", "r0", "r0-public", "00:00:00:00:ff:03", "172.16.0.1/24",
         "2001:db8::1/64"],
        ["lrp-set-gateway-chassis", "r0-public", "hv1", "20"],
        ["set", "Logical_Router_Port", "r0-sw0",
         "ipv6_ra_configs:address_mode=slaac",
         "ipv6_ra_configs:send_periodic=true"],
    ]
    for sw, lrp in (("sw0", "r0-sw0"), ("sw1", "r0-sw1"),
                    ("public", "r0-public")):
        p = sw + "-r0"
        cmds += [["lsp-add", sw, p], ["lsp-set-type", p, "router"],
                 ["lsp-set-addresses", p, "router"],
                 ["lsp-set-options", p, "router-port=" + lrp]]
    cmds += [
        ["lsp-add", "public", "ln-public"],
        ["lsp-set-type", "ln-public", "localnet"],
        ["lsp-set-addresses", "ln-public", "unknown"],
        ["lsp-set-options", "ln-public", "network_name=phys"],
        ["lr-nat-add", "r0", "snat", "172.16.0.100", "10.0.0.0/24"],
        ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.110", "10.0.0.2"],
        ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.111", "10.0.1.5",
         "vm5", "00:00:00:00:ee:05"],
        ["lr-nat-add", "r0", "dnat", "172.16.0.112", "10.0.0.3"],
        ["lr-nat-add", "r0", "snat", "2001:db8::100", "fd00::/64"],
        ["lr-route-add", "r0", "0.0.0.0/0", "172.16.0.254"],
        ["lr-route-add", "r0", "192.168.0.0/16", "10.0.1.50"],
        ["--ecmp", "lr-route-add", "r0", "192.168.0.0/16", "10.0.1.51"],
        ["lr-route-add", "r0", "::/0", "2001:db8::fe"],
        ["--policy=src-ip", "lr-route-add", "r0", "10.0.1.0/24",
         "10.0.1.52"],
        ["lr-policy-add", "r0", "100",
         "ip4.src == 10.0.0.0/24 && ip4.dst == 10.0.1.0/24", "allow"],
        ["lr-policy-add", "r0", "90", "ip4.dst == 8.8.8.8", "reroute",
         "10.0.1.52"],
        ["lr-policy-add", "r0", "80", "ip4.src == 10.0.0.3", "drop"],
        ["create", "Address_Set", "name=as1",
         'addresses="10.0.0.2","10.0.1.2","10.0.0.0/28"'],
        ["create", "Address_Set", "name=as6",
         'addresses="fd00::2","fd01::/64"'],
        ["create", "Address_Set", "name=asmac",
         'addresses="50:54:00:00:00:01"'],
        ["pg-add", "pg1", "vm1", "vm5"], ["pg-add", "pg2", "vm2"],
        ["acl-add", "sw0", "from-lport", "1002", "ip4 && tcp.dst==22",
         "allow-related"],
        ["acl-add", "sw0", "to-lport", "1001", "ip4 && icmp4", "drop"],
        ["acl-add", "sw0", "to-lport", "1000",
         "ip6 && udp.dst == {53, 67, 68}", "allow"],
        ["acl-add", "sw0", "from-lport", "999",
         "ip4.src == $as1 && 1000 <= tcp.dst <= 2000", "allow"],
        ["acl-add", "sw0", "from-lport", "998", "eth.src == $asmac",
         "allow"],
        ["acl-add", "sw0", "from-lport", "997",
         "ip6.src == $as6 && !ct.new", "reject"],
        ["acl-add", "pg1", "to-lport", "1003",
         "outport == @pg1 && ip4.src == $as1", "allow"],
        ["acl-add", "pg1", "from-lport", "1004",
         "inport == @pg1 && ip4.dst == $pg2_ip4", "allow-related"],
        ["acl-add", "pg2", "to-lport", "1005",
         "outport == @pg2 && ip6 && ip6.src == $pg1_ip6",
         "allow-stateless"],
        ["meter-add", "m1", "drop", "10", "pktps"],
        ["--log", "--severity=alert", "--name=acl-log", "--meter=m1",
         "acl-add", "sw1", "to-lport", "1006", "tcp && tcp.flags == 0x2",
         "drop"],
        ["acl-add", "sw1", "from-lport", "1007",
         "(ip4.src == 10.0.1.0/24 || ip4.src == 10.0.2.0/24) && "
         "reg0[0..3] != 5", "allow"],
        ["acl-add", "sw1", "from-lport", "1008",
         "!(udp.src == 53 && ip4.src != {10.0.0.1, 10.0.0.2}) && "
         "eth.src[40] == 0", "allow"],
        ["lb-add", "lb0", "172.16.0.200:80", "10.0.0.2:8080,10.0.1.2:8080",
         "tcp"],
        ["lb-add", "lb1", "172.16.0.201", "10.0.0.3,10.0.1.5"],
        ["lb-add", "lb6", "[2001:db8::200]:80",
         "[fd00::2]:8080,[fd01::5]:8080", "tcp"],
        ["lb-add", "lbu", "172.16.0.202:53", "10.0.0.2:53", "udp"],
        ["ls-lb-add", "sw0", "lb0"], ["ls-lb-add", "sw0", "lb6"],
        ["ls-lb-add", "sw1", "lbu"],
        ["lr-lb-add", "r0", "lb0"], ["lr-lb-add", "r0", "lb1"],
        ["lr-lb-add", "r0", "lb6"],
        ["qos-add", "sw0", "from-lport", "100", "ip4.src == 10.0.0.2",
         "dscp=10", "rate=1000"],
        ["lr-add", "gw"],
        ["set", "Logical_Router", "gw", "options:chassis=hv2",
         "options:lb_force_snat_ip=router_ip"],
        ["lrp-add", "gw", "gw-public", "00:00:00:00:aa:01", "172.16.1.1/24"],
        ["lrp-add", "gw", "gw-join", "00:00:00:00:aa:02", "100.64.0.1/16"],
        ["lr-nat-add", "gw", "snat", "172.16.1.100", "10.0.0.0/8"],
        ["lr-lb-add", "gw", "lb0"],
        ["ls-add", "join"],
    ]
    for sw, p, lrp in (("join", "join-gw", "gw-join"),
                       ("public", "public-gw", "gw-public")):
        cmds += [["lsp-add", sw, p], ["lsp-set-type", p, "router"],
                 ["lsp-set-addresses", p, "router"],
                 ["lsp-set-options", p, "router-port=" + lrp]]
    cmds += [
        ["set", "Logical_Switch_Port", "vm2", "options:requested-chassis=hv1"],
        ["lr-add", "r1"],
        ["lrp-add", "r1", "r1-sw1", "00:00:00:00:ff:11", "10.0.1.254/24"],
        ["set", "Logical_Router", "r1", "options:chassis=hv1"],
    ]
    return cmds


def _build(nbctl):
    argv = list(nbctl)
    for cmd in _topology():
        argv += cmd + ["--"]
    weftlib.run(argv[:-1], timeout=60)
    d4 = weftlib.run(nbctl + [
        "create", "DHCP_Options", "cidr=10.0.0.0/24",
        'options="lease_time"="3600" "router"="10.0.0.1" '
        '"server_id"="10.0.0.1" "server_mac"="00:00:00:00:ff:01" '
        '"dns_server"="{8.8.8.8,8.8.4.4}" "domain_name"="\\"ovn.org\\""'],
        timeout=60).stdout.strip()
    d6 = weftlib.run(nbctl + ["create", "DHCP_Options", 'cidr="fd00::/64"',
                              'options="server_id"="00:00:00:00:ff:01"'],
                     timeout=60).stdout.strip()
    dns = weftlib.run(nbctl + [
        "create", "DNS",
        'records={"vm1.ovn.org"="10.0.0.2 fd00::2", '
        '"vm2.ovn.org"="10.0.0.3"}'], timeout=60).stdout.strip()
    weftlib.run(nbctl + ["lsp-set-dhcpv4-options", "vm1", d4, "--",
                         "lsp-set-dhcpv4-options", "vm2", d4, "--",
                         "lsp-set-dhcpv6-options", "vm1", d6, "--",
                         "add", "Logical_Switch", "sw0", "dns_records", dns],
                timeout=60)
    weftlib.run(nbctl + ["--wait=sb", "sync"], timeout=60)


def _sb_json(sbctl, table, columns):
    out = weftlib.run(sbctl + ["--format=json", "--columns=" + columns,
                               "list", table], timeout=60).stdout
    doc = json.loads(out)
    return [dict(zip(doc["headings"], row)) for row in doc["data"]]


def _atoms(datum):
    """The atoms of an OVSDB JSON datum (a set or a single atom)."""
    if isinstance(datum, list) and datum and datum[0] == "set":
        return datum[1]
    return [datum]


@pytest.fixture(scope="module")
def ovn(tmp_path_factory):
    """The real ovsdb-server and ovn-northd with the topology loaded.
    Yields a dict: 'sbctl' argv, 'sb' remote, 'addr_sets' name -> list,
    'port_groups' name -> list of ports (per-datapath groups merged)."""
    _need_ovn()
    tmp = tmp_path_factory.mktemp("expr-ovn")
    server = weftlib.OvsdbServer(tmp / "db", schemas=OVN_SCHEMAS)
    northd = Northd(str(tmp / "northd"), server.remote("nb"),
                    server.remote("sb"))
    with weftlib.running(server, northd):
        nbctl = [weftlib.need_tool("ovn-nbctl"), "--db=" + server.remote("nb"),
                 "--timeout=60"]
        sbctl = [weftlib.need_tool("ovn-sbctl"), "--db=" + server.remote("sb"),
                 "--timeout=60"]
        _build(nbctl)
        addr_sets = {r["name"]: _atoms(r["addresses"])
                     for r in _sb_json(sbctl, "Address_Set", "name,addresses")}
        port_groups = {}
        for r in _sb_json(sbctl, "Port_Group", "name,ports"):
            name = r["name"].split("_", 1)[1]
            port_groups.setdefault(name, []).extend(_atoms(r["ports"]))
        yield {"sbctl": sbctl, "sb": server.remote("sb"), "tmp": tmp,
               "addr_sets": addr_sets, "port_groups": port_groups}


def _set_args(ovn, port_groups=True):
    args = []
    for name, values in sorted(ovn["addr_sets"].items()):
        if values:
            args += ["--as", "%s=%s" % (name, ",".join(values))]
        else:
            args += ["--as", name + "="]
    if port_groups:
        for name, ports in sorted(ovn["port_groups"].items()):
            args += ["--pg", "%s=%s" % (name, ",".join(ports))]
    return args


def _run_tool(args, lines):
    proc = subprocess.run([_tool()] + args, input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=600)
    for marker in weftlib.SANITIZER_MARKERS:
        assert marker not in proc.stderr, proc.stderr
    out = proc.stdout.splitlines()
    assert len(out) == len(lines), proc.stderr
    return out


def test_every_northd_match_normalizes(ovn):
    flows = _sb_json(ovn["sbctl"], "Logical_Flow", "match")
    matches = sorted({f["match"] for f in flows})
    assert len(flows) > 450 and len(matches) > 350, \
        "topology produced too few flows"
    # The features the topology is for are there.
    text = "\n".join(matches)
    for needle in ("@pg1", "$as1", "$pg2_ip4", "is_chassis_resident",
                   "nd_ns", "ip4.mcast", "ct.new", "reg0[0..3] != 5",
                   "ip6.dst == {", "$_rtr_lb"):
        assert needle in text, needle

    out = _run_tool(_set_args(ovn) + ["--stats", "normalize"], matches)
    failures = [(m, o) for m, o in zip(matches, out) if not o.startswith("ok")]
    assert not failures, "%d of %d matches failed, e.g. %s" % (
        len(failures), len(matches), failures[:5])
    # Sanity on the figures: most matches are one conjunction.
    n = [int(o.split()[1]) for o in out]
    assert sum(1 for x in n if x == 1) > len(n) * 3 // 4
    assert max(n) >= 2


# --- Microflows: weft against ovn-trace.

MICROFLOWS = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                          "expr-microflows.txt")


class Trace:
    """ovn-trace in daemon mode, so that each trace is one ovn-appctl
    round trip instead of a database download.  Stopped by its PID."""

    def __init__(self, workdir, sb):
        self.ctl = os.path.join(tempfile.mkdtemp(prefix="weft-",
                                                         dir="/tmp"),
                                "trace.ctl")
        self.pidfile = os.path.join(workdir, "trace.pid")
        weftlib.run([weftlib.need_tool("ovn-trace"), "--db=" + sb,
                     "--unixctl=" + self.ctl, "--detach", "--no-chdir",
                     "--pidfile=" + self.pidfile,
                     "--log-file=" + os.path.join(workdir, "trace.log")])
        with open(self.pidfile) as f:
            self.pid = int(f.read())
        weftlib.wait_for_unix_socket(self.ctl)

    def trace(self, flow):
        r = weftlib.run([weftlib.need_tool("ovn-appctl"), "-t", self.ctl,
                         "trace", "--minimal", "sw0", flow], check=False)
        return (r.stdout + r.stderr).strip()

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        for _ in range(100):
            try:
                os.kill(self.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        shutil.rmtree(os.path.dirname(self.ctl), ignore_errors=True)


# OpenFlow field name (in ovn-trace's "# ..." line) -> weft physical field.
OF_FIELDS = {
    "reg0": "REG0", "reg1": "REG1", "reg2": "REG2", "reg3": "REG3",
    "reg4": "REG4", "reg5": "REG5", "reg6": "REG6", "reg7": "REG7",
    "reg8": "REG8", "reg9": "REG9", "reg10": "FLAGS", "pkt_mark": "PKT_MARK",
    "ct_mark": "CT_MARK", "ct_label": "CT_LABEL", "dl_src": "ETH_SRC",
    "dl_dst": "ETH_DST", "dl_type": "ETH_TYPE", "vlan_tci": "VLAN_TCI",
    "nw_src": "IP4_SRC", "nw_dst": "IP4_DST", "ipv6_src": "IP6_SRC",
    "ipv6_dst": "IP6_DST", "ipv6_label": "IP6_LABEL", "nw_proto": "IP_PROTO",
    "nw_ecn": "IP_ECN", "nw_ttl": "IP_TTL", "arp_spa": "ARP_SPA",
    "arp_tpa": "ARP_TPA", "arp_op": "ARP_OP", "arp_sha": "ARP_SHA",
    "arp_tha": "ARP_THA", "tp_src": "TP_SRC", "tp_dst": "TP_DST",
    "icmp_type": "ICMP_TYPE", "icmp_code": "ICMP_CODE",
    "nd_target": "ND_TARGET", "nd_sll": "ND_SLL", "nd_tll": "ND_TLL",
}
OF_PROTOCOLS = {
    "ip": (0x800, None), "ipv6": (0x86dd, None), "tcp": (0x800, 6),
    "tcp6": (0x86dd, 6), "udp": (0x800, 17), "udp6": (0x86dd, 17),
    "sctp": (0x800, 132), "sctp6": (0x86dd, 132), "icmp": (0x800, 1),
    "icmp6": (0x86dd, 58), "arp": (0x806, None), "rarp": (0x8035, None),
}
CT_STATE_BITS = {"new": 0x01, "est": 0x02, "rel": 0x04, "rpl": 0x08,
                 "inv": 0x10, "trk": 0x20, "snat": 0x40, "dnat": 0x80}
TCP_FLAG_BITS = {"fin": 0x1, "syn": 0x2, "rst": 0x4, "psh": 0x8,
                 "ack": 0x10, "urg": 0x20, "ece": 0x40, "cwr": 0x80,
                 "ns": 0x100}


def _of_value(text):
    if re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", text):
        return int(text.replace(":", ""), 16)
    if re.fullmatch(r"\d+\.\d+\.\d+\.\d+", text):
        return int.from_bytes(bytes(int(x) for x in text.split(".")), "big")
    if ":" in text:
        import ipaddress
        return int(ipaddress.IPv6Address(text))
    return int(text, 0)


def _of_fields(line):
    """The packet that ovn-trace's '# FLOW' line describes, as weft field
    name -> value (fields it leaves out are absent)."""
    fields = {}
    vid = pcp = None
    for item in line[1:].strip().split(","):
        if "=" not in item:
            dl_type, proto = OF_PROTOCOLS[item]
            fields["ETH_TYPE"] = dl_type
            if proto is not None:
                fields["IP_PROTO"] = proto
            continue
        key, value = item.split("=", 1)
        if key == "ct_state":
            fields["CT_STATE"] = sum(CT_STATE_BITS[b]
                                     for b in value.split("|"))
        elif key == "tcp_flags":
            fields["TCP_FLAGS"] = (0 if value == "0" else
                                   sum(TCP_FLAG_BITS[b]
                                       for b in value.split("|")))
        elif key == "nw_frag":
            fields["IP_FRAG"] = {"no": 0, "first": 1, "<error>": 2,
                                 "later": 3}[value]
        elif key == "dl_vlan":
            vid = int(value)
        elif key == "dl_vlan_pcp":
            pcp = int(value)
        elif key in OF_FIELDS:
            fields[OF_FIELDS[key]] = _of_value(value)
    if vid is not None:
        fields["VLAN_TCI"] = 0x1000 | vid | (pcp << 13)
    return fields


def _weft_fields(line):
    fields = {}
    for item in line.split():
        key, value = item.split("=", 1)
        if key not in ("inport", "outport"):
            fields[key] = int(value, 16)
    return fields


def _verdict(text):
    for line in text.splitlines():
        if line.startswith("error parsing flow: "):
            return "error: " + line[len("error parsing flow: "):]
        if line.startswith("#"):
            return line
    return "unexpected: " + text


def test_microflows_match_ovn_trace(ovn):
    with open(MICROFLOWS) as f:
        cases = [l.rstrip("\n") for l in f
                 if l.strip() and not l.startswith("#")]
    flows = ['inport == "vm1" && (%s)' % c for c in cases]
    flows += ['inport == "vm1" && %s' % c for c in cases[:40]]
    # weft is given the address sets but not the port groups: ovn-trace
    # does not know SB port groups by their NB names either.
    mine = _run_tool(_set_args(ovn, port_groups=False) + ["microflow"], flows)

    trace = Trace(str(ovn["tmp"]), ovn["sb"])
    try:
        theirs = [_verdict(trace.trace(flow)) for flow in flows]
    finally:
        trace.stop()

    mismatches = []
    n_ok = 0
    for flow, w, o in zip(flows, mine, theirs):
        if o.startswith("#") and not w.startswith("error: "):
            want, got = _of_fields(o), _weft_fields(w)
            # ovn-trace leaves ip.dscp and ip.ecn out of the packet it
            # builds (nw_tos=0,nw_ecn=0 whatever the description says), so
            # they are not compared.
            got.pop("IP_DSCP", None)
            got.pop("IP_ECN", None)
            want.pop("IP_ECN", None)
            keys = set(want) | set(got)
            if any(want.get(k, 0) != got.get(k, 0) for k in keys):
                mismatches.append((flow, o, w))
            n_ok += 1
        elif o != w:
            mismatches.append((flow, o, w))
    assert not mismatches, "%d of %d microflows differ, e.g.:\n%s" % (
        len(mismatches), len(flows),
        "\n".join("%s\n  ovn-trace: %s\n  weft:      %s" % m
                  for m in mismatches[:8]))
    assert n_ok > 80 and len(flows) - n_ok > 150


def test_docs_symbol_table():
    """docs/flow-language.md ends with the symbol table, exactly as
    'weft-test-expr symtab' prints it."""
    out = weftlib.run([_tool(), "symtab"]).stdout
    doc = os.path.join(weftlib.ROOT, "docs", "flow-language.md")
    with open(doc) as f:
        text = f.read()
    table = text[text.index("| symbol | kind |"):]
    assert table == out
