"""weft-trace --dhcp: put_dhcp_opts / put_dhcpv6_opts build the real reply.

On the SB of the dhcp scenario (tests/scenarios/dhcp.yaml), built by the
real ovn-northd (on ovsdb-server) and by weft-northd (on weft-db),
weft-trace --dhcp gives the engine a DHCP request made from the microflow;
the reply leaves with the output and --frame-hex prints the frame.  The
frame is decoded with scapy and checked against the DHCP_Options row the
scenario configured (read back with ovn-nbctl): message type, yiaddr,
router, netmask, lease time, server id, DNS, MTU, domain name, and the
Ethernet/IP/UDP headers with valid checksums.  Without --dhcp the fate is
ovn-trace's, and with --dhcp it goes to the same ports.
"""

import re

import pytest

import scenariolib
import weftlib

scapy_all = pytest.importorskip("scapy.all")

SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}
SCENARIO = {s.name: s for s in scenariolib.load_catalogue()}["dhcp"]
PACKETS = {p["name"]: p for p in SCENARIO.packets}
DISCOVER = PACKETS["DHCPDISCOVER from vm1 is answered with its address "
                   "and options"]
SOLICIT = PACKETS["DHCPv6 SOLICIT from vm1 is answered with its address"]
STATELESS = PACKETS["DHCPv6 from the stateless port gets options but no "
                    "address"]


@pytest.fixture(scope="module", params=["ovn", "weft"])
def plane(request, tmp_path_factory):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    northd = request.param
    with scenariolib.ControlPlane(tmp_path_factory.mktemp(northd),
                                  SERVER[northd], northd) as p:
        p.load(SCENARIO)
        yield p


def weft_trace(plane, pkt, *options, fmt="--minimal"):
    argv = [weftlib.need_binary("cli/weft-trace"),
            "--db=" + plane.db.remote("sb"), fmt] + list(options)
    proc = weftlib.run(argv + [pkt["dp"], pkt["flow"]], check=False)
    return proc


def frames(text):
    """The frames weft-trace --frame-hex printed, by port."""
    return {m.group(1): bytes.fromhex(m.group(2))
            for m in re.finditer(r'^# frame "([^"]+)": ([0-9a-f]+)$', text,
                                 re.M)}


def v4_options(plane):
    """The options of the scenario's IPv4 DHCP_Options row."""
    for uuid in plane.nbctl("dhcp-options-list").stdout.split():
        cidr = plane.nbctl("get", "DHCP_Options", uuid, "cidr").stdout
        if "10.0.11.0/24" in cidr:
            out = plane.nbctl("dhcp-options-get-options", uuid).stdout
            return dict(line.split("=", 1) for line in out.splitlines())
    raise AssertionError("no IPv4 DHCP_Options row")


def dhcp_opts(pkt):
    return {o[0]: o[1:] for o in pkt[scapy_all.DHCP].options
            if isinstance(o, tuple)}


def check_checksums(frame):
    """Scapy recomputes the checksums it is told are missing: they must
    equal the ones weft wrote."""
    pkt = scapy_all.Ether(frame)
    again = pkt.copy()
    if scapy_all.IP in again:
        del again[scapy_all.IP].chksum
    del again[scapy_all.UDP].chksum
    again = scapy_all.Ether(bytes(again))
    if scapy_all.IP in pkt:
        assert pkt[scapy_all.IP].chksum == again[scapy_all.IP].chksum
    assert pkt[scapy_all.UDP].chksum == again[scapy_all.UDP].chksum
    assert pkt[scapy_all.UDP].len == len(pkt[scapy_all.UDP])


def test_discover_offer(plane):
    proc = weft_trace(plane, DISCOVER, "--dhcp", "--frame-hex")
    assert proc.returncode == 0, proc.stderr
    got = frames(proc.stdout)
    assert list(got) == ["vm1"]
    pkt = scapy_all.Ether(got["vm1"])
    check_checksums(got["vm1"])
    row = v4_options(plane)
    assert pkt.src == row["server_mac"]
    assert pkt.dst == "00:00:00:00:0b:01"
    assert pkt[scapy_all.IP].src == row["server_id"]
    assert pkt[scapy_all.IP].dst == "10.0.11.11"
    assert pkt[scapy_all.IP].ttl == 64
    assert (pkt[scapy_all.UDP].sport, pkt[scapy_all.UDP].dport) == (67, 68)
    bootp = pkt[scapy_all.BOOTP]
    assert bootp.op == 2
    assert bootp.yiaddr == "10.0.11.11"
    assert bootp.chaddr[:6] == bytes.fromhex("00000000 0b01")
    assert bootp.xid == 0x774674
    opts = dhcp_opts(pkt)
    assert opts["message-type"] == (2,)
    assert opts["router"] == (row["router"],)
    assert opts["subnet_mask"] == ("255.255.255.0",)
    assert opts["lease_time"] == (int(row["lease_time"]),)
    assert opts["server_id"] == (row["server_id"],)
    assert opts["interface-mtu"] == (int(row["mtu"]),)
    assert opts["name_server"] == ("8.8.8.8", "1.1.1.1")
    assert opts["domain"] == (b"example.org",)
    # The decoded summary follows the trace.
    assert ('/* output("vm1") carries DHCPOFFER xid 0x00774674, yiaddr '
            '10.0.11.11, ' in proc.stdout)


def test_fate_unchanged(plane):
    """Without --dhcp, weft-trace's fate is ovn-trace's; with --dhcp the
    reply goes to the same port, only ip4.dst (set by put_dhcp_opts, as
    ovn-controller does) differs."""
    args = (DISCOVER["dp"], DISCOVER["flow"])
    real, _, _ = plane.trace(*args)
    plain = weft_trace(plane, DISCOVER)
    assert scenariolib.parse_minimal(plain.stdout) == real
    assert "carries" not in plain.stdout
    with_dhcp = scenariolib.parse_minimal(
        weft_trace(plane, DISCOVER, "--dhcp").stdout)
    assert [o[1] for o in with_dhcp] == [o[1] for o in real] == ["vm1"]
    assert "ip4.dst = 10.0.11.11;" in weft_trace(plane, DISCOVER,
                                                 "--dhcp").stdout


def test_request_ack_nak(plane):
    proc = weft_trace(plane, DISCOVER, "--dhcp=request:10.0.11.11",
                      "--frame-hex")
    pkt = scapy_all.Ether(frames(proc.stdout)["vm1"])
    assert dhcp_opts(pkt)["message-type"] == (5,)
    assert pkt[scapy_all.BOOTP].yiaddr == "10.0.11.11"

    proc = weft_trace(plane, DISCOVER, "--dhcp=request:10.0.11.99",
                      "--frame-hex")
    pkt = scapy_all.Ether(frames(proc.stdout)["vm1"])
    opts = dhcp_opts(pkt)
    # As ovn-controller: only the message type, sent to the offer.
    assert opts["message-type"] == (6,)
    assert set(opts) == {"message-type"}
    assert pkt[scapy_all.BOOTP].yiaddr == "0.0.0.0"
    assert pkt[scapy_all.IP].dst == "10.0.11.11"

    # DHCPINFORM: an ACK without address or lease.
    proc = weft_trace(plane, DISCOVER, "--dhcp=inform", "--frame-hex")
    pkt = scapy_all.Ether(frames(proc.stdout)["vm1"])
    opts = dhcp_opts(pkt)
    assert opts["message-type"] == (5,)
    assert "lease_time" not in opts and "router" in opts


def test_not_answered(plane):
    """A DHCPRELEASE, and a payload that is not DHCP, get result 0: the
    packet is forwarded as ordinary traffic, its payload unchanged."""
    flood = ["dyn", "sl", "vm2", "vm3"]
    proc = weft_trace(plane, DISCOVER, "--dhcp=release", "--frame-hex")
    fate = scenariolib.parse_minimal(proc.stdout)
    assert sorted(o[1] for o in fate) == flood
    pkt = scapy_all.Ether(frames(proc.stdout)["vm2"])
    assert dhcp_opts(pkt)["message-type"] == (7,)
    assert pkt[scapy_all.BOOTP].op == 1

    for payload in ("", "00", "01" * 239, "02" * 300):
        proc = weft_trace(plane, DISCOVER, "--payload=" + payload)
        assert proc.returncode == 0, proc.stderr
        fate = scenariolib.parse_minimal(proc.stdout)
        assert sorted(o[1] for o in fate) == flood

    proc = weft_trace(plane, DISCOVER, "--payload=0g")
    assert proc.returncode != 0 and "bad hex byte" in proc.stderr
    proc = weft_trace(plane, DISCOVER, "--dhcp=bogus")
    assert proc.returncode != 0 and "unknown DHCP message type" in proc.stderr


def test_solicit_advertise(plane):
    proc = weft_trace(plane, SOLICIT, "--dhcp", "--frame-hex")
    assert proc.returncode == 0, proc.stderr
    frame = frames(proc.stdout)["vm1"]
    check_checksums(frame)
    pkt = scapy_all.Ether(frame)
    assert pkt.src == "00:00:00:00:0b:fe"
    assert pkt.dst == "00:00:00:00:0b:01"
    ip6 = pkt[scapy_all.IPv6]
    assert ip6.src == "fe80::200:ff:fe00:bfe"
    assert ip6.dst == "fe80::200:ff:fe00:b01"
    assert (pkt[scapy_all.UDP].sport, pkt[scapy_all.UDP].dport) == (547, 546)
    assert scapy_all.DHCP6_Advertise in pkt
    assert pkt[scapy_all.DHCP6_Advertise].trid == 0x774674
    assert pkt[scapy_all.DHCP6OptServerId].duid.lladdr == "00:00:00:00:0b:fe"
    assert pkt[scapy_all.DHCP6OptClientId].duid.lladdr == "00:00:00:00:0b:01"
    assert pkt[scapy_all.DHCP6OptIAAddress].addr == "fd11::11"
    assert pkt[scapy_all.DHCP6OptDNSServers].dnsservers == ["fd11::53"]

    proc = weft_trace(plane, SOLICIT, "--dhcp=request", "--frame-hex")
    pkt = scapy_all.Ether(frames(proc.stdout)["vm1"])
    assert scapy_all.DHCP6_Reply in pkt

    # The stateless port: options, no address.
    proc = weft_trace(plane, STATELESS, "--dhcp", "--frame-hex")
    pkt = scapy_all.Ether(frames(proc.stdout)["sl"])
    assert scapy_all.DHCP6OptIA_NA not in pkt
    assert pkt[scapy_all.DHCP6OptServerId].duid.lladdr == "00:00:00:00:0b:fd"
    assert pkt[scapy_all.DHCP6OptDNSServers].dnsservers == ["fd11::54"]


# --- Byte for byte against ovn-controller ---------------------------------

# The options added to the scenario's rows when the replies in
# data/dhcp-ovn-controller-23.03.txt were recorded: every kind of DHCPv4
# option value (numbers, booleans, strings, host ids, address lists,
# classless routes, domain lists) and the pseudo-options next_server and
# bootfile_name_alt.
RICH_V4 = [
    'options:classless_static_route={30.0.0.0/24,10.0.11.4, '
    '0.0.0.0/0,10.0.11.1}',
    "options:T1=1000", "options:T2=2000", "options:next_server=10.0.11.5",
    'options:bootfile_name="\\"pxelinux.0\\""',
    'options:bootfile_name_alt="\\"ipxe.efi\\""',
    'options:tftp_server="\\"tftp.example.org\\""',
    'options:domain_search_list="\\"a.org,b.example.org\\""',
    'options:wpad="\\"http://wpad/wpad.dat\\""',
    "options:ip_forward_enable=1", "options:default_ttl=100",
    "options:ntp_server=10.0.11.7", "options:arp_cache_timeout=42",
    "options:ms_classless_static_route={40.0.0.0/8,10.0.11.4}",
    'options:path_prefix="\\"/tftp\\""',
    "options:tftp_server_address=10.0.11.8", "options:netbios_node_type=2",
]
RICH_V6 = ['options:domain_search="\\"a.org,b.example.org\\""',
           'options:dns_server="{fd11::53, fd11::54}"']
RECORDED = weftlib.os.path.join(weftlib.os.path.dirname(__file__), "data",
                                "dhcp-ovn-controller-23.03.txt")
MACS = {"vm1": "00:00:00:00:0b:01", "sl": "00:00:00:00:0b:05"}


def recorded():
    with open(RECORDED) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.split()


def recorded_flow(name, port):
    mac = MACS[port]
    if name.startswith("v4-"):
        return ('inport == "%s" && eth.src == %s && eth.dst == '
                'ff:ff:ff:ff:ff:ff && ip4.src == 0.0.0.0 && ip4.dst == '
                '255.255.255.255 && ip.ttl == 64 && udp.src == 68 && '
                'udp.dst == 67' % (port, mac))
    lla = "fe80::200:ff:fe00:%s" % mac.replace(":", "")[-4:].lstrip("0")
    return ('inport == "%s" && eth.src == %s && eth.dst == '
            '33:33:00:01:00:02 && ip6.src == %s && ip6.dst == ff02::1:2 && '
            'ip.ttl == 1 && udp.src == 546 && udp.dst == 547'
            % (port, mac, lla))


@pytest.fixture(scope="module", params=["ovn", "weft"])
def rich_plane(request, tmp_path_factory):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    northd = request.param
    with scenariolib.ControlPlane(tmp_path_factory.mktemp("rich-" + northd),
                                  SERVER[northd], northd) as p:
        p.load(SCENARIO)
        v4 = p.nbctl("--bare", "--columns=_uuid", "find", "DHCP_Options",
                     "cidr=10.0.11.0/24").stdout.split()
        v6 = p.nbctl("--bare", "--columns=_uuid", "find", "DHCP_Options",
                     'options:server_id="00:00:00:00:0b:fe"',
                     'cidr="fd11::/64"').stdout.split()
        assert len(v4) == 1 and len(v6) == 1
        p.nbctl("set", "DHCP_Options", v4[0], *RICH_V4)
        p.nbctl("set", "DHCP_Options", v6[0], *RICH_V6)
        p.nbctl("--wait=sb", "sync")
        yield p


def test_bytes_as_ovn_controller(rich_plane):
    """weft builds the very bytes ovn-controller 23.03 sent for each
    recorded request, to the same address; and answers none of the
    requests ovn-controller left unanswered."""
    errors, n = [], 0
    for name, port, request, reply, dst in recorded():
        n += 1
        pkt = {"dp": "sw0", "flow": recorded_flow(name, port)}
        proc = weft_trace(rich_plane, pkt, "--payload=" + request,
                          "--frame-hex")
        assert proc.returncode == 0, proc.stderr
        frame = frames(proc.stdout).get(port)
        if reply == "-":
            if frame is not None:
                errors.append("%s: weft answered, ovn-controller did not"
                              % name)
            continue
        if frame is None:
            errors.append("%s: no reply from weft" % name)
            continue
        got = scapy_all.Ether(frame)
        ip = got[scapy_all.IP] if scapy_all.IP in got else got[scapy_all.IPv6]
        if bytes(got[scapy_all.UDP].payload).hex() != reply:
            errors.append("%s: payload differs\n  ovn:  %s\n  weft: %s"
                          % (name, reply,
                             bytes(got[scapy_all.UDP].payload).hex()))
        if ip.dst != dst:
            errors.append("%s: sent to %s, ovn-controller to %s"
                          % (name, ip.dst, dst))
    assert n >= 30
    assert not errors, "\n".join(errors)
