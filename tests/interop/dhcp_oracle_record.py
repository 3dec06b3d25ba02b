"""Records ovn-controller 23.03's DHCP replies for tests/interop/
test_trace_dhcp.py (not a test itself).

Run as root inside the network namespace holding the OVS internal port of
logical port "vm1" (or "sl") of the dhcp scenario, with the extra options
test_trace_dhcp.RICH_V4 / RICH_V6 set, on a chassis running
ovs-vswitchd (userspace datapath) and ovn-controller; docs/dhcp-facts.md
says how.  Prints one line per request: NAME PORT REQUEST-HEX REPLY-HEX
IP-DST (REPLY-HEX and IP-DST are "-" when no reply came).

    ip netns exec NS python3 dhcp_oracle_record.py vm1 >> data/...
"""

import struct
import sys
import time

from scapy.all import (AsyncSniffer, BOOTP, Ether, IP, IPv6, Raw, UDP,
                       conf, sendp)

conf.verb = 0
MACS = {"vm1": "00:00:00:00:0b:01", "sl": "00:00:00:00:0b:05"}
LLAS = {"vm1": "fe80::200:ff:fe00:b01", "sl": "fe80::200:ff:fe00:b05"}


def bootp(mac, opts, flags=0, ciaddr="0.0.0.0", **kw):
    hdr = bytes(BOOTP(op=1, chaddr=bytes.fromhex(mac.replace(":", "")),
                      xid=0x1234, flags=flags, ciaddr=ciaddr, **kw))[:236]
    return hdr + bytes([99, 130, 83, 99]) + opts


def opt6(code, value):
    return struct.pack("!HH", code, len(value)) + value


def dhcp6(mac, mtype, cid=True, ia=True):
    out = bytes([mtype, 0, 0x12, 0x34])
    if cid:
        out += opt6(1, bytes.fromhex("00030001" + mac.replace(":", "")))
    out += opt6(8, b"\0\0")
    if ia:
        out += opt6(3, struct.pack("!III", 7, 0, 0))
    return out


def requests(port):
    mac = MACS[port]
    v4 = [
        ("discover", bootp(mac, b"\x35\x01\x01\xff")),
        ("discover-broadcast", bootp(mac, b"\x35\x01\x01\xff",
                                     flags=0x8000)),
        ("discover-header", bootp(mac, b"\x35\x01\x01\x4d\x03foo\xff",
                                  hops=1, secs=5, giaddr="10.9.9.9",
                                  sname=b"srv", file=b"f.img")),
        ("request-selecting", bootp(mac, b"\x35\x01\x03\x32\x04"
                                    b"\x0a\x00\x0b\x0b\xff")),
        ("request-wrong-ip", bootp(mac, b"\x35\x01\x03\x32\x04"
                                   b"\x0a\x00\x0b\x63\xff")),
        ("request-renewing", bootp(mac, b"\x35\x01\x03\xff",
                                   ciaddr="10.0.11.11")),
        ("inform", bootp(mac, b"\x35\x01\x08\xff", ciaddr="10.0.11.11")),
        ("release", bootp(mac, b"\x35\x01\x07\xff", ciaddr="10.0.11.11")),
        ("decline", bootp(mac, b"\x35\x01\x04\xff")),
        ("offer-type", bootp(mac, b"\x35\x01\x02\xff")),
        ("no-type", bootp(mac, b"\xff")),
        ("no-end", bootp(mac, b"\x35\x01\x01")),
    ]
    v6 = [
        ("solicit", dhcp6(mac, 1)),
        ("request", dhcp6(mac, 3)),
        ("confirm", dhcp6(mac, 4)),
        ("renew", dhcp6(mac, 5)),
        ("rebind", dhcp6(mac, 6)),
        ("release", dhcp6(mac, 8)),
        ("decline", dhcp6(mac, 9)),
        ("information-request", dhcp6(mac, 11, ia=False)),
        ("information-request-ia", dhcp6(mac, 11)),
        ("solicit-no-client-id", dhcp6(mac, 1, cid=False)),
        ("solicit-no-ia", dhcp6(mac, 1, ia=False)),
    ]
    return v4, v6


def exchange(port, frame, sport):
    sniffer = AsyncSniffer(iface=port, filter="udp and src port %d" % sport)
    sniffer.start()
    time.sleep(0.3)
    sendp(frame, iface=port)
    time.sleep(1.0)
    for reply in sniffer.stop():
        ip = reply[IP] if IP in reply else reply[IPv6]
        return bytes(reply[UDP].payload).hex(), ip.dst
    return "-", "-"


def main():
    port = sys.argv[1]
    mac = MACS[port]
    v4, v6 = requests(port)
    for name, payload in v4:
        frame = (Ether(src=mac, dst="ff:ff:ff:ff:ff:ff")
                 / IP(src="0.0.0.0", dst="255.255.255.255", ttl=64)
                 / UDP(sport=68, dport=67) / Raw(payload))
        reply, dst = exchange(port, frame, 67)
        print("v4-%s %s %s %s %s" % (name, port, payload.hex(), reply, dst))
    for name, payload in v6:
        frame = (Ether(src=mac, dst="33:33:00:01:00:02")
                 / IPv6(src=LLAS[port], dst="ff02::1:2", hlim=1)
                 / UDP(sport=546, dport=547) / Raw(payload))
        reply, dst = exchange(port, frame, 547)
        print("v6-%s %s %s %s %s" % (name, port, payload.hex(), reply, dst))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
