"""weft-trace answers get_fdb() and lookup_fdb() from the SB FDB table.

On the l2-unknown scenario (switch sw0 with "unknown" ports gw and mixed),
built by the real ovn-northd (on ovsdb-server) and by weft-northd (on
weft-db), learnt MACs are inserted into FDB with ovn-sbctl; then for
packets to and from them weft-trace and ovn-trace must print the same
trace in every format: unicast to a learnt MAC goes to its port only (not
to every unknown port), and lookup_fdb() says whether the source was
learnt on the input port.
"""

import re

import pytest

import scenariolib
import weftlib

SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}
SCENARIO = {s.name: s for s in scenariolib.load_catalogue()}["l2-unknown"]

# MAC learnt -> the port it was learnt on.
LEARNT = {"00:00:00:00:99:99": "gw", "00:00:00:00:99:77": "mixed"}

FLOWS = [
    # To a learnt MAC: only its port (without FDB: both unknown ports).
    ('inport == "vm1" && eth.src == 00:00:00:00:02:01 && eth.dst == '
     '00:00:00:00:99:99 && ip4.src == 10.0.2.11 && ip4.dst == 8.8.8.8 && '
     'ip.ttl == 64', ["gw"]),
    ('inport == "vm1" && eth.src == 00:00:00:00:02:01 && eth.dst == '
     '00:00:00:00:99:77 && ip4.src == 10.0.2.11 && ip4.dst == 8.8.8.8 && '
     'ip.ttl == 64', ["mixed"]),
    # Not learnt: still both.
    ('inport == "vm1" && eth.src == 00:00:00:00:02:01 && eth.dst == '
     '00:00:00:00:99:55 && ip4.src == 10.0.2.11 && ip4.dst == 8.8.8.8 && '
     'ip.ttl == 64', ["gw", "mixed"]),
    # From a learnt MAC on its own port (lookup_fdb finds it), and on the
    # other unknown port (it does not).
    ('inport == "gw" && eth.src == 00:00:00:00:99:99 && eth.dst == '
     '00:00:00:00:02:01 && ip4.src == 8.8.8.8 && ip4.dst == 10.0.2.11 && '
     'ip.ttl == 64', ["vm1"]),
    ('inport == "mixed" && eth.src == 00:00:00:00:99:99 && eth.dst == '
     '00:00:00:00:02:01 && ip4.src == 8.8.8.8 && ip4.dst == 10.0.2.11 && '
     'ip.ttl == 64', ["vm1"]),
]


def _strip(text):
    """Drops ovn-northd's source locations, "(northd.c:8373)"."""
    return re.sub(r" \(northd\.c:\d+\)", "", text)


def _lines(text):
    return "\n".join(line.strip() for line in text.splitlines())


def keys(plane):
    """sw0's tunnel key and its ports' keys, from the SB."""
    sb = plane.sbctl("--bare", "--columns=tunnel_key", "find",
                     "Datapath_Binding", "external_ids:name=sw0").stdout
    ports = {}
    for name in set(LEARNT.values()):
        ports[name] = int(plane.sbctl(
            "--bare", "--columns=tunnel_key", "find", "Port_Binding",
            "logical_port=" + name).stdout)
    return int(sb), ports


@pytest.mark.parametrize("northd", ["ovn", "weft"])
def test_fdb(northd, tmp_path):
    scenariolib.need_ovn()
    trace = weftlib.need_binary("cli/weft-trace")
    with scenariolib.ControlPlane(tmp_path, SERVER[northd], northd) as plane:
        plane.load(SCENARIO)
        dp_key, ports = keys(plane)
        for mac, port in LEARNT.items():
            plane.sbctl("create", "FDB", 'mac="%s"' % mac,
                        "dp_key=%d" % dp_key, "port_key=%d" % ports[port])
        db = "--db=" + plane.db.remote("sb")
        seen_found = seen_failed = False
        for flow, expected in FLOWS:
            fate, _, _ = plane.trace("sw0", flow)
            assert sorted(o[1] for o in fate) == expected, flow
            for fmt in ("--minimal", "--summary", "--detailed"):
                real = weftlib.run([weftlib.need_tool("ovn-trace"), db, fmt,
                                    "sw0", flow]).stdout
                weft = weftlib.run([trace, db, fmt, "sw0", flow]).stdout
                if fmt == "--detailed":
                    # Indentation of fanned-out sections is cli/trace.c's
                    # business (another work item); the lines must match.
                    real, weft = (_lines(real), _lines(weft))
                assert _strip(weft) == _strip(real), \
                    "%s %s\novn-trace:\n%s\nweft-trace:\n%s" % (
                        fmt, flow, real, weft)
            seen_found |= "found in FDB" in weft
            seen_failed |= "lookup mac failed" in weft
        assert seen_found and seen_failed
