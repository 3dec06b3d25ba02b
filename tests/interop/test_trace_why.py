"""weft-trace says why a packet was dropped (cli/trace-why.c).

On the SB built by the real ovn-northd (on ovsdb-server) and by
weft-northd (on weft-db), the last line of weft-trace --detailed for a
dropped packet names, besides the stage and the logical flow, the object
behind it: the ACL with its priority, match and port group, the port
security entry, the missing route, the router policy, the discard route.
Without access to the northbound database the line still names the stage
and the flow, and says the database could not be reached.
"""

import re

import pytest

import scenariolib
import weftlib

SCENARIOS = {s.name: s for s in scenariolib.load_catalogue()}
SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}

# (scenario, packet name, regex the drop line must match).
CASES = [
    ("acl-port-groups", "guest SSH to web1 is denied",
     r'\(ls_out_acl\): dropped by ACL "to-lport 900 \(outport == @web && '
     r'ip\) drop" on port group web, by logical flow [0-9a-f]{8} '),
    ("port-security", "vm1 spoofing its MAC",
     r'\(ls_in_apply_port_sec\): dropped by the port security of "vm1" '
     r'\(port_security "00:00:00:00:04:01 10.0.4.11"\): eth.src '
     r'00:00:00:00:04:99 ip4.src 10.0.4.11 not allowed, by logical flow '),
    ("port-security", "egress to vm1 for another IP is dropped",
     r'\(ls_out_apply_port_sec\): dropped by the port security of "vm1" '
     r'.*ip4.dst 10.0.4.99 not allowed, by logical flow '),
    ("reference-routing", "no route to 10.9.9.9",
     r'\(lr_in_ip_routing\): no route to 10.9.9.9 in router "router1", '
     r'by logical flow '),
    ("router-policies", "vm1 to db dropped at 1000",
     r'\(lr_in_policy\): dropped by router policy "1000 ip4.src == '
     r'10.0.30.11 && ip4.dst == 10.0.31.11 drop" of router lr0, '
     r'by logical flow '),
    ("static-routes", "the discard route drops",
     r'\(lr_in_ip_routing\): dropped by static route "203.0.113.0/24 '
     r'discard dst-ip" of router lr0, by logical flow '),
    ("acl-default-drop", "other UDP to a2 is dropped by default",
     r'\(ls_out_acl\): dropped by the default ACL action .*'
     r'default_acl_drop.*, by logical flow '),
]


def find_packet(name, pkt_name):
    for pkt in SCENARIOS[name].packets:
        if pkt.get("name") == pkt_name:
            return pkt
    raise AssertionError("%s has no packet %r" % (name, pkt_name))


def last_line(plane, pkt, nb_remote):
    argv = [weftlib.need_binary("cli/weft-trace"),
            "--db=" + plane.db.remote("sb"), "--nb-db=" + nb_remote,
            "--detailed"]
    argv += ["--ct=" + flags for flags in pkt.get("ct") or ()]
    proc = weftlib.run(argv + [pkt["dp"], pkt["flow"]], check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip().splitlines()[-1]


def _params():
    for northd in SERVER:
        for name in sorted({c[0] for c in CASES}):
            yield pytest.param(northd, name, id="%s-%s" % (northd, name))


@pytest.mark.parametrize("northd,name", list(_params()))
def test_drop_says_why(northd, name, tmp_path):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    with scenariolib.ControlPlane(tmp_path, SERVER[northd],
                                  northd) as plane:
        plane.load(SCENARIOS[name])
        errors = []
        for scenario, pkt_name, regex in CASES:
            if scenario != name:
                continue
            pkt = find_packet(name, pkt_name)
            line = last_line(plane, pkt, plane.db.remote("nb"))
            if not (line.startswith("/* Dropped in the ")
                    and re.search(regex, line)):
                errors.append("%s:\n  %s\n  wanted /%s/"
                              % (pkt_name, line, regex))
        assert not errors, "\n".join(errors)


def test_without_nb_names_stage_and_flow(tmp_path):
    """No northbound database: the ACL drop still names stage, flow and
    row, and says the database was not reachable."""
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    with scenariolib.ControlPlane(tmp_path, "ovsdb-server", "ovn") as plane:
        plane.load(SCENARIOS["acl-port-groups"])
        pkt = find_packet("acl-port-groups", "guest SSH to web1 is denied")
        line = last_line(plane, pkt, "unix:%s/no-such.sock" % tmp_path)
        assert re.match(r'/\* Dropped in the egress pipeline of "sw0", '
                        r'table \d+ \(ls_out_acl\): dropped by flow '
                        r'\(northbound database not reachable: .+\), '
                        r'by logical flow [0-9a-f]{8} \(.*\), from '
                        r'northbound row [0-9a-f]{8}\. \*/$', line), line
    # Port security needs only the southbound database.
    (tmp_path / "ps").mkdir()
    with scenariolib.ControlPlane(tmp_path / "ps", "ovsdb-server",
                                  "ovn") as plane:
        plane.load(SCENARIOS["port-security"])
        pkt = find_packet("port-security", "vm1 spoofing its MAC")
        line = last_line(plane, pkt, "unix:%s/no-such.sock" % tmp_path)
        assert 'port security of "vm1"' in line, line
