"""The scenario catalogue (tests/scenarios/, see tests/scenariolib.py).

test_oracle: the real ovn-northd 23.03 compiles each scenario's topology
and OVN's ovn-trace gives every packet the fate the catalogue expects.
This checks the catalogue itself (and the fate parser).

test_weft_northd: weft-northd on weft-db compiles the same topology; OVN's
own ovn-trace must load weft's southbound database without rejecting a
flow and give every packet the same fate as on the real ovn-northd's.
"""

import pytest

import scenariolib
import weftlib

SCENARIOS = {s.name: s for s in scenariolib.load_catalogue()}

# Scenarios weft-northd is known not to compile correctly yet, with why.
# Strict: a scenario that starts passing must be taken off this list.
NOT_YET = {
}


def _weft_params():
    for name in sorted(SCENARIOS):
        why = NOT_YET.get(name)
        marks = [pytest.mark.xfail(reason=why, strict=True)] if why else []
        yield pytest.param(name, marks=marks)


def _trace_all(plane, scenario):
    """Loads 'scenario' into 'plane' and returns ([fate...], [text...],
    [warning...]) for its packets."""
    plane.load(scenario)
    fates, texts, warnings = [], [], []
    for pkt in scenario.packets:
        fate, text, warn = plane.trace(pkt["dp"], pkt["flow"],
                                       pkt.get("ct") or (),
                                       pkt.get("lb_dst"),
                                       pkt.get("select_id"))
        fates.append(fate)
        texts.append(text)
        warnings.extend(warn)
    return fates, texts, sorted(set(warnings))


_ORACLE = {}


def _oracle(name, tmp_path_factory):
    """The real ovn-northd's fates for scenario 'name', computed once per
    session."""
    if name not in _ORACLE:
        workdir = tmp_path_factory.mktemp("oracle-" + name)
        with scenariolib.ControlPlane(workdir, "ovsdb-server",
                                      "ovn") as plane:
            _ORACLE[name] = _trace_all(plane, SCENARIOS[name])
    return _ORACLE[name]


def _describe(pkt, fate, text):
    return ("packet %r\n  %s %s\n  fate: %s\n  ovn-trace --minimal:\n%s"
            % (pkt.get("name", ""), pkt["dp"], pkt["flow"],
               scenariolib.format_fate(fate), text))


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_oracle(name, tmp_path_factory):
    scenariolib.need_ovn()
    scenario = SCENARIOS[name]
    fates, texts, warnings = _oracle(name, tmp_path_factory)
    assert not warnings, "ovn-trace rejected flows of ovn-northd:\n" \
        + "\n".join(warnings)
    errors = []
    for pkt, fate, text in zip(scenario.packets, fates, texts):
        why = scenariolib.check_expect(fate, pkt["expect"])
        if why:
            errors.append("%s: %s" % (why, _describe(pkt, fate, text)))
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("name", list(_weft_params()))
def test_weft_northd(name, tmp_path_factory):
    scenariolib.need_ovn()
    weftlib.need_binary("daemons/weft-northd")
    scenario = SCENARIOS[name]
    real_fates, real_texts, _ = _oracle(name, tmp_path_factory)
    workdir = tmp_path_factory.mktemp("weft-" + name)
    with scenariolib.ControlPlane(workdir, "weft-db", "weft") as plane:
        fates, texts, warnings = _trace_all(plane, scenario)
    assert not warnings, "ovn-trace rejected flows of weft-northd:\n" \
        + "\n".join(warnings)
    errors = []
    for pkt, fate, text, real_fate, real_text in zip(
            scenario.packets, fates, texts, real_fates, real_texts):
        if fate != real_fate:
            errors.append("weft: %s\nreal: %s"
                          % (_describe(pkt, fate, text),
                             _describe(pkt, real_fate, real_text)))
    assert not errors, "\n".join(errors)


def test_fate_parser():
    text = """# ip,reg14=0x1,nw_ttl=64,nw_frag=no
ip.ttl--;
eth.src = 00:00:00:00:FF:02;
arp {
    eth.dst = ff:ff:ff:ff:ff:ff;
    arp.tpa = 0xa000163;
    output("vm3");
};
ct_dnat_in_czone(ip4.dst=10.0.0.11) {
    reg0[6] = 0;
    xxreg0 = 0x1;
    flags.loopback = 1;
    output("vm1");
};
ct_next(ct_state=est|rpl|trk /* default (use --ct to customize) */) {
    output("vm2");
};
"""
    fate = scenariolib.parse_minimal(text)
    assert fate == (
        ((), "vm1", (("eth.src", "00:00:00:00:ff:02"),
                     ("ip.ttl", "63"), ("ip4.dst", "10.0.0.11"))),
        ((), "vm2", (("eth.src", "00:00:00:00:ff:02"), ("ip.ttl", "63"))),
        (("arp",), "vm3", (("arp.tpa", "10.0.1.99"),
                           ("eth.dst", "ff:ff:ff:ff:ff:ff"),
                           ("eth.src", "00:00:00:00:ff:02"),
                           ("ip.ttl", "63")))), fate
    assert scenariolib.check_expect(fate, "drop") == "expected drop"
    assert scenariolib.check_expect(
        fate, ["vm1", "vm2", {"port": "vm3", "via": ["arp"],
                              "headers": {"arp.tpa": "10.0.1.99"}}]) is None
    assert scenariolib.check_expect(fate, ["vm1", "vm2", "vm4"])
    assert scenariolib.check_expect(fate, [
        {"port": "vm1", "unchanged": ["ip4.src", "ip6.dst"]},
        "vm2", "vm3"]) is None
    assert scenariolib.check_expect(fate, [
        {"port": "vm1", "unchanged": ["ip4.dst"]}, "vm2", "vm3"])
    assert scenariolib.check_expect((), "drop") is None


def test_fate_parser_dhcp():
    text = """# udp,reg14=0x1,nw_src=0.0.0.0,nw_ttl=64,tp_src=68,tp_dst=67
/* We assume that this packet is DHCPDISCOVER or DHCPREQUEST. */;
put_dhcp_opts(offerip = 10.0.11.11, dns_server = {8.8.8.8, 1.1.1.1}, \
domain_name = "a,b", lease_time = 3600);
eth.src = 00:00:00:00:0b:fe;
udp.src = 67;
output("vm1");
"""
    fate = scenariolib.parse_minimal(text)
    assert fate == (
        ((), "vm1", (("eth.src", "00:00:00:00:0b:fe"),
                     ("put_dhcp_opts.dns_server", "{8.8.8.8, 1.1.1.1}"),
                     ("put_dhcp_opts.domain_name", "a,b"),
                     ("put_dhcp_opts.lease_time", "3600"),
                     ("put_dhcp_opts.offerip", "10.0.11.11"),
                     ("udp.src", "67"))),), fate
    assert scenariolib.check_expect(fate, [{
        "port": "vm1",
        "headers": {"put_dhcp_opts.offerip": "10.0.11.11"}}]) is None
    assert scenariolib.check_expect(fate, [{
        "port": "vm1",
        "headers": {"put_dhcp_opts.offerip": "10.0.11.12"}}])
