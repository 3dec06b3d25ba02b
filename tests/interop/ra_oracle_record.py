import sys, time
from scapy.all import AsyncSniffer, Ether, IPv6, ICMPv6ND_RS, ICMPv6NDOptSrcLLAddr, Raw, conf, sendp
conf.verb = 0
MAC = "00:00:00:00:0a:01"; LLA = "fe80::200:ff:fe00:a01"
def rs(body):
    return Ether(src=MAC, dst="33:33:00:00:00:02")/IPv6(src=LLA, dst="ff02::2", hlim=255)/Raw(body)
cases = [("plain", bytes([133,0,0,0, 0,0,0,0])),
         ("slla", bytes([133,0,0,0, 0,0,0,0, 1,1]) + bytes.fromhex("00000000a01")if False else bytes([133,0,0,0,0,0,0,0,1,1,0,0,0,0,0x0a,0x01])),
         ]
from scapy.all import ICMPv6ND_RS
for name, body in cases:
    # Build with scapy so the checksum is right
    from scapy.all import IPv6, ICMPv6Unknown
    p = Ether(src=MAC, dst="33:33:00:00:00:02")/IPv6(src=LLA, dst="ff02::2", hlim=255, nh=58)/Raw(body)
    raw = bytes(p)
    # compute icmp checksum
    from scapy.layers.inet6 import in6_chksum
    ip = p[IPv6]
    c = in6_chksum(58, ip, body[:2] + b"\0\0" + body[4:])
    body2 = body[:2] + c.to_bytes(2, "big") + body[4:]
    p = Ether(src=MAC, dst="33:33:00:00:00:02")/IPv6(src=LLA, dst="ff02::2", hlim=255, nh=58)/Raw(body2)
    sn = AsyncSniffer(iface="ravm1", lfilter=lambda q: IPv6 in q and q[IPv6].nh == 58 and bytes(q[IPv6].payload)[:1] == b"\x86")
    sn.start(); time.sleep(0.3)
    sendp(p, iface="ravm1"); time.sleep(1.0)
    got = sn.stop()
    for g in got:
        print(name, body2.hex(), bytes(g).hex())
    if not got:
        print(name, body2.hex(), "-")
