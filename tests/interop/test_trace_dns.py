"""weft-trace --dns: dns_lookup() answers from the SB DNS records.

On the SB of the dns scenario (tests/scenarios/dns.yaml) built by the real
ovn-northd (on ovsdb-server) and by weft-northd (on weft-db), weft-trace --dns gives the engine a DNS query
made from the microflow; the reply leaves on the querying port and
--frame-hex prints the frame, which is decoded with scapy (headers swapped
by ls_in_dns_response, valid checksums, the answers of the DNS row).  The
queries recorded from ovn-controller 23.03 (data/dns-ovn-controller-23.03
.txt, tests/interop/dns_oracle_record.py) are replayed with --payload and
must get the very same bytes, or no reply where ovn-controller gave none.
Without a payload the fate is ovn-trace's (no answer).
"""

import os
import re

import pytest

import scenariolib
import weftlib

scapy_all = pytest.importorskip("scapy.all")

SCENARIO = {s.name: s for s in scenariolib.load_catalogue()}["dns"]
RECORDED = os.path.join(os.path.dirname(__file__), "data",
                        "dns-ovn-controller-23.03.txt")
FLOW4 = ('inport == "vm1" && eth.src == 00:00:00:00:0d:01 && eth.dst == '
         '00:00:00:00:0d:fe && ip4.src == 10.0.13.11 && ip4.dst == 10.0.13.1'
         ' && ip.ttl == 64 && udp.src == 33333 && udp.dst == 53')
FLOW6 = ('inport == "vm1" && eth.src == 00:00:00:00:0d:01 && eth.dst == '
         '00:00:00:00:0d:fe && ip6.src == fd13::11 && ip6.dst == fd13::1'
         ' && ip.ttl == 64 && udp.src == 33333 && udp.dst == 53')


SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}


@pytest.fixture(scope="module", params=["ovn", "weft"])
def plane(request, tmp_path_factory):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    northd = request.param
    with scenariolib.ControlPlane(tmp_path_factory.mktemp("dns-" + northd),
                                  SERVER[northd], northd) as p:
        p.load(SCENARIO)
        yield p


def weft_trace(plane, flow, *options, fmt="--minimal"):
    argv = [weftlib.need_binary("cli/weft-trace"),
            "--db=" + plane.db.remote("sb"), fmt] + list(options)
    return weftlib.run(argv + ["sw0", flow], check=False)


def frames(text):
    return {m.group(1): bytes.fromhex(m.group(2))
            for m in re.finditer(r'^# frame "([^"]+)": ([0-9a-f]+)$', text,
                                 re.M)}


def reply(plane, flow, *options):
    proc = weft_trace(plane, flow, "--frame-hex", *options)
    assert proc.returncode == 0, proc.stderr
    frame = frames(proc.stdout).get("vm1")
    assert frame is not None, proc.stdout
    return scapy_all.Ether(frame), proc.stdout


def check_checksums(pkt):
    l3 = scapy_all.IP if scapy_all.IP in pkt else scapy_all.IPv6
    again = pkt.copy()
    if l3 is scapy_all.IP:
        del again[scapy_all.IP].chksum
    del again[scapy_all.UDP].chksum
    again = scapy_all.Ether(bytes(again))
    if l3 is scapy_all.IP:
        assert again[scapy_all.IP].chksum == pkt[scapy_all.IP].chksum
    assert again[scapy_all.UDP].chksum == pkt[scapy_all.UDP].chksum


def test_a_reply(plane):
    pkt, text = reply(plane, FLOW4, "--dns=vm1.ovn.test")
    assert "dns_lookup" in weft_trace(plane, FLOW4, "--dns=vm1.ovn.test",
                                      fmt="--detailed").stdout
    assert pkt.src == "00:00:00:00:0d:fe" and pkt.dst == "00:00:00:00:0d:01"
    assert pkt[scapy_all.IP].src == "10.0.13.1"
    assert pkt[scapy_all.IP].dst == "10.0.13.11"
    assert pkt[scapy_all.UDP].sport == 53
    assert pkt[scapy_all.UDP].dport == 33333
    dns = pkt[scapy_all.DNS]
    assert dns.qr == 1 and dns.rd == 1 and dns.id == 33333
    assert dns.ancount == 1
    assert dns.qd.qname == b"vm1.ovn.test."
    assert dns.an.rrname == b"vm1.ovn.test."
    assert dns.an.type == 1 and dns.an.ttl == 3600
    assert dns.an.rdata == "10.0.13.11"
    check_checksums(pkt)
    assert "DNS response id 0x8235: vm1.ovn.test A? -> vm1.ovn.test A " \
        "10.0.13.11 ttl 3600" in text


def test_aaaa_reply_over_ipv6(plane):
    pkt, _ = reply(plane, FLOW6, "--dns=multi.ovn.test")
    assert pkt[scapy_all.IPv6].src == "fd13::1"
    assert pkt[scapy_all.IPv6].dst == "fd13::11"
    dns = pkt[scapy_all.DNS]
    assert dns.ancount == 2
    assert [dns.an[i].rdata for i in range(2)] == ["fd13::31", "fd13::32"]
    assert all(dns.an[i].type == 28 for i in range(2))
    check_checksums(pkt)


def test_ptr_and_any(plane):
    pkt, _ = reply(plane, FLOW4, "--dns=10.0.13.11:ptr")
    dns = pkt[scapy_all.DNS]
    assert dns.qd.qname == b"11.13.0.10.in-addr.arpa."
    assert dns.an.type == 12 and dns.an.rdata == b"vm1.ovn.test."
    pkt, _ = reply(plane, FLOW4, "--dns=vm2.ovn.test:any")
    dns = pkt[scapy_all.DNS]
    assert [dns.an[i].rdata for i in range(3)] == [
        "10.0.13.12", "10.0.13.22", "fd13::12"]


def test_fate_unchanged(plane):
    """No payload, or a name without a record: dns_lookup answers nothing
    and the query goes on (here: to an unknown MAC, dropped), as
    ovn-trace says."""
    for options in ([], ["--dns=nope.ovn.test"],
                    ["--dns=Mixed.OVN.test"]):
        proc = weft_trace(plane, FLOW4, "--frame-hex", *options,
                          fmt="--summary")
        assert proc.returncode == 0, proc.stderr
        assert not frames(proc.stdout)
        assert "output(" not in proc.stdout
    ovn = weftlib.run(["ovn-trace", "--db=" + plane.db.remote("sb"),
                       "--summary", "sw0", FLOW4], check=False)
    assert "output(" not in ovn.stdout and "dns_lookup" in ovn.stdout


def test_bad_option(plane):
    proc = weft_trace(plane, FLOW4, "--dns=vm1.ovn.test:bogus")
    assert proc.returncode != 0
    assert "unknown query type" in proc.stderr
    proc = weft_trace(plane, FLOW4, "--dns=a..b")
    assert proc.returncode != 0 and "label of 0 bytes" in proc.stderr


def recorded():
    with open(RECORDED) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                yield line.split()


def test_bytes_as_ovn_controller(plane):
    """weft builds the very bytes ovn-controller 23.03 sent for each
    recorded query, and answers none of those it left unanswered."""
    errors, n = [], 0
    for name, fam, query, want in recorded():
        n += 1
        proc = weft_trace(plane, FLOW4 if fam == "v4" else FLOW6,
                          "--payload=" + query, "--frame-hex")
        assert proc.returncode == 0, proc.stderr
        frame = frames(proc.stdout).get("vm1")
        if want == "-":
            if frame is not None:
                errors.append("%s %s: weft answered, ovn-controller did "
                              "not" % (name, fam))
            continue
        if frame is None:
            errors.append("%s %s: no reply from weft" % (name, fam))
            continue
        got = bytes(scapy_all.Ether(frame)[scapy_all.UDP].payload).hex()
        if got != want:
            errors.append("%s %s: payload differs\n  ovn:  %s\n  weft: %s"
                          % (name, fam, want, got))
    assert n >= 60
    assert not errors, "\n".join(errors)
