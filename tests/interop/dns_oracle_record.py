"""Records ovn-controller 23.03's DNS replies for tests/interop/
test_trace_dns.py (not a test itself).

Run as root inside the network namespace holding the OVS internal port of
logical port "vm1" of the dns scenario (tests/scenarios/dns.yaml), on a
chassis running ovs-vswitchd (userspace datapath) and ovn-controller;
docs/dns-facts.md says how.  Prints one line per query: NAME FAMILY
QUERY-HEX REPLY-HEX (REPLY-HEX is "-" when no reply came).

    ip netns exec NS python3 dns_oracle_record.py vm1 >> data/...
"""

import struct
import sys
import time

from scapy.all import (AsyncSniffer, Ether, IP, IPv6, Raw, UDP, conf,
                       sendp)

conf.verb = 0
MAC = "00:00:00:00:0d:01"
IP4 = "10.0.13.11"
IP6 = "fd13::11"


def qname(name):
    out = b""
    for label in name.split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(name, qtype, qid=0x1234, flags=0x0100, qclass=1, extra=b"",
          counts=None):
    qd, an, ns, ar = counts or (1, 0, 0, 0)
    return (struct.pack("!HHHHHH", qid, flags, qd, an, ns, ar)
            + qname(name) + struct.pack("!HH", qtype, qclass) + extra)


OPT_RR = b"\0" + struct.pack("!HHIH", 41, 4096, 0, 0)


def queries():
    q = [
        ("a", query("vm1.ovn.test", 1)),
        ("aaaa", query("vm1.ovn.test", 28)),
        ("a-upper", query("VM1.Ovn.Test", 1)),
        ("a-two", query("vm2.ovn.test", 1)),
        ("aaaa-two", query("multi.ovn.test", 28)),
        ("a-multi", query("multi.ovn.test", 1)),
        ("any", query("vm1.ovn.test", 255)),
        ("mx", query("vm1.ovn.test", 15)),
        ("ptr", query("11.13.0.10.in-addr.arpa", 12)),
        ("ptr-a", query("11.13.0.10.in-addr.arpa", 1)),
        ("a-unknown", query("nope.ovn.test", 1)),
        ("a-short", query("vm1", 1)),
        ("a-no-rd", query("vm1.ovn.test", 1, flags=0)),
        ("a-edns", query("vm1.ovn.test", 1, extra=OPT_RR,
                         counts=(1, 0, 0, 1))),
        ("a-response", query("vm1.ovn.test", 1, flags=0x8100)),
        ("a-opcode2", query("vm1.ovn.test", 1, flags=0x1100)),
        ("a-class-ch", query("vm1.ovn.test", 1, qclass=3)),
        ("a-qd2", query("vm1.ovn.test", 1, counts=(2, 0, 0, 0))
         + qname("vm2.ovn.test") + struct.pack("!HH", 1, 1)),
        ("a-qd0", struct.pack("!HHHHHH", 0x1234, 0x0100, 0, 0, 0, 0)),
        ("a-trailing", query("vm1.ovn.test", 1) + b"\xde\xad"),
        ("a-truncated", query("vm1.ovn.test", 1)[:20]),
        ("a-pointer", struct.pack("!HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0)
         + b"\xc0\x0c" + struct.pack("!HH", 1, 1)),
        ("header-only", b"\x12\x34\x01\x00"),
        ("a-an1", query("vm1.ovn.test", 1, counts=(1, 1, 0, 0))),
        ("a-ns1", query("vm1.ovn.test", 1, counts=(1, 0, 1, 0))),
        ("a-ar1-junk", query("vm1.ovn.test", 1, extra=b"\xde\xad",
                             counts=(1, 0, 0, 1))),
        ("a-mixed-record", query("mixed.ovn.test", 1)),
        ("a-mixed-record-exact", query("Mixed.OVN.test", 1)),
        ("a-tc", query("vm1.ovn.test", 1, flags=0x0300)),
        ("a-rcode", query("vm1.ovn.test", 1, flags=0x0103)),
        ("a-id0", query("vm1.ovn.test", 1, qid=0)),
    ]
    return q


def exchange(port, frame):
    sniffer = AsyncSniffer(iface=port, filter="udp and src port 53")
    sniffer.start()
    time.sleep(0.3)
    sendp(frame, iface=port)
    time.sleep(0.8)
    for reply in sniffer.stop():
        return bytes(reply[UDP].payload).hex()
    return "-"


def main():
    port = sys.argv[1]
    for name, payload in queries():
        for fam in ("v4", "v6"):
            if fam == "v4":
                l3 = IP(src=IP4, dst="10.0.13.1", ttl=64)
            else:
                l3 = IPv6(src=IP6, dst="fd13::1", hlim=64)
            frame = (Ether(src=MAC, dst="00:00:00:00:0d:fe") / l3
                     / UDP(sport=33333, dport=53) / Raw(payload))
            reply = exchange(port, frame)
            print("%s %s %s %s" % (name, fam, payload.hex(), reply))
            sys.stdout.flush()


if __name__ == "__main__":
    main()
