"""Differential test of weft-sbctl's own commands (init, show, chassis-add,
chassis-del, lsp-bind, lsp-unbind, lflow-list / dump-flows, count-flows)
against the real ovn-sbctl 23.03.

Part 1 (chassis and binding commands) reuses the harness of
test_dbctl_generic.py: the same command lines run through ovn-sbctl on
ovsdb-server and through weft-sbctl on weft-db, both loaded with SETUP, and
exit status, stdout and stderr must agree (UUIDs, tool name and vlog
prefixes normalised); a failing command must leave both databases
unchanged, and the final contents must agree.  Steps flagged SHOW compare
"show" output with chassis blocks, encaps and ports in canonical order
(ovn-sbctl prints them in hash order).

Part 2 (logical flows): the real ovn-nbctl builds two switches and a
router with NAT, ACLs and a load balancer, the real ovn-northd compiles
them into the southbound database on ovsdb-server (until "ovn-nbctl
--wait=sb sync" returns), a few hand-made rows are added (datapaths named
only by name2 or not at all, a flow on both a datapath and a group, ties
broken by actions), and weft-db serves a copy of that database file.  Both
sides then hold the very same rows and UUIDs, and every lflow-list /
dump-flows / count-flows line must print the same.

Run:   /usr/bin/python3 -m pytest tests/interop/test_sbctl.py
Skips unless weft-sbctl and weft-db are built and OVN is installed.
"""

import os
import re
import shlex
import shutil

import pytest

import weftlib
import test_dbctl_generic as generic
import test_ovn_nbctl_northd as northd_test

SB_SCHEMA = "/usr/share/ovn/ovn-sb.ovsschema"
NB_SCHEMA = "/usr/share/ovn/ovn-nb.ovsschema"

_u, _set, _map = generic._u, generic._set, generic._map

SETUP = [
    ("SB_Global", "g", {}),
    ("Chassis", "ch0", {"name": "ch0", "hostname": "host0",
                        "encaps": _set("e0")}),
    ("Encap", "e0", {"type": "geneve", "ip": "192.168.0.10",
                     "chassis_name": "ch0",
                     "options": _map({"csum": "true"})}),
    ("Chassis_Private", "cp0", {"name": "ch0", "chassis": _u("ch0")}),
    ("Chassis_Private", "cpx", {"name": "chx"}),
    ("Datapath_Binding", "dp1", {"tunnel_key": 1,
                                 "external_ids": _map({"name": "ls1"})}),
    ("Port_Binding", "lp1", {"logical_port": "lp1", "datapath": _u("dp1"),
                             "tunnel_key": 1,
                             "external_ids": _map({"name": "alias1"})}),
    ("Port_Binding", "lp2", {"logical_port": "lp2", "datapath": _u("dp1"),
                             "tunnel_key": 2}),
    ("Port_Binding", "lp3", {"logical_port": "lp3", "datapath": _u("dp1"),
                             "tunnel_key": 3, "chassis": _u("ch0"),
                             "up": True}),
    ("Port_Binding", "lpq", {"logical_port": "p:q", "datapath": _u("dp1"),
                             "tunnel_key": 4, "up": False}),
]

SHOW = "SHOW"
# The server refuses the transaction: only that it does, with exit status 1
# and the database unchanged, is compared, not the server's wording (the
# reason weft-db gives differs from ovsdb-server's, which is weft-db's
# concern, not the tool's).
TXNERR = "TXNERR"
U = generic.U

SCRIPTS = {
    "chassis_add": [
        ("show", SHOW),
        "init",
        "chassis-add ch1 geneve 10.0.0.1",
        ("show", SHOW),
        "chassis-add ch1 geneve 10.0.0.1",
        "chassis-add ch1 vxlan 10.0.0.9",
        "--may-exist chassis-add ch1 vxlan 10.0.0.2",
        "chassis-add ch2 geneve,vxlan,stt 10.0.0.2",
        "chassis-add ch3 vxlan,,geneve,vxlan, 10.0.0.3",
        "chassis-add 1abc geneve 10.0.0.5",
        ("--columns=type,ip,options,chassis_name list Encap", U),
        ("show", SHOW),
        ("chassis-add ch4 bogus 10.0.0.4", TXNERR),
        ("chassis-add ch4 '' 10.0.0.4", TXNERR),
        ("chassis-add ch4 'geneve, vxlan' 10.0.0.4", TXNERR),
        ("chassis-add ch4 geneve 192.168.0.10", TXNERR),
        "chassis-add n1 geneve 10.1.0.1 -- chassis-add n1 vxlan 10.1.0.2",
        "--may-exist chassis-add n2 geneve 10.2.0.1 -- "
        "--may-exist chassis-add n2 vxlan 10.2.0.2",
        "--columns=name,hostname,encaps,other_config list Chassis n2",
        "--dry-run chassis-add dr geneve 10.3.0.1",
        "--columns=name list Chassis dr",
        ("--columns=name list Chassis", U),
    ],
    "chassis_del": [
        "chassis-add ch1 geneve,vxlan 10.0.0.1",
        "chassis-del ch9",
        "--if-exists chassis-del ch9",
        "chassis-del host0",
        "chassis-del {U:Chassis:name=ch1}",
        "chassis-del chx",
        "chassis-del ch1",
        ("--columns=type,ip list Encap", U),
        "chassis-del ch0",
        ("--columns=name,chassis list Chassis_Private", U),
        "--columns=logical_port,chassis,up list Port_Binding lp3",
        ("show", SHOW),
        "chassis-add ch1 geneve 10.0.0.1 -- chassis-del ch1 -- "
        "chassis-add ch1 vxlan 10.0.0.2",
        "--columns=type,ip list Encap",
        "chassis-del ch1 -- chassis-del ch1",
        "chassis-del ch1 -- list Encap",
        "--columns=name list Chassis",
    ],
    "lsp_bind": [
        "lsp-bind lp1 ch0",
        "--columns=logical_port,chassis,up list Port_Binding lp1",
        ("show", SHOW),
        "lsp-bind lp1 ch0",
        "--may-exist lsp-bind lp1 ch0",
        "chassis-add ch1 vxlan 10.0.0.1",
        "lsp-bind lp1 ch1",
        "--may-exist lsp-bind lp1 ch1",
        "lsp-bind lp9 ch0",
        "lsp-bind lp2 ch9",
        "lsp-bind lp9 ch9",
        "--may-exist lsp-bind lp1 ch9",
        "lsp-bind alias1 ch0",
        "lsp-bind {U:Port_Binding:logical_port=lp2} ch0",
        "lsp-bind lp2 {U:Chassis:name=ch1}",
        "lsp-bind lp2 host0",
        "lsp-bind p:q ch1",
        "--columns=logical_port,chassis,up list Port_Binding p:q",
        ("show", SHOW),
        "chassis-add n1 geneve 10.1.0.1 -- lsp-bind lp2 n1",
        "--columns=logical_port,up list Port_Binding lp2",
        "chassis-add n2 geneve 10.1.0.2 -- lsp-bind lp2 n2",
        "lsp-bind lp2 n2 -- chassis-del n2",
        ("show", SHOW),
    ],
    "lsp_unbind": [
        "lsp-unbind lp3",
        "--columns=logical_port,chassis,up list Port_Binding lp3",
        "lsp-unbind lp3",
        "lsp-unbind p:q",
        "--columns=logical_port,chassis,up list Port_Binding p:q",
        "lsp-unbind lp9",
        "--if-exists lsp-unbind lp9",
        "lsp-unbind alias1",
        "lsp-unbind {U:Port_Binding:logical_port=lp1}",
        "lsp-bind lp1 ch0 -- lsp-unbind lp1 -- lsp-bind lp1 ch0",
        "--columns=logical_port,up list Port_Binding lp1",
        "lsp-bind lp2 ch0 -- set Port_Binding lp2 up=false -- "
        "lsp-unbind lp2",
        "--columns=logical_port,chassis,up list Port_Binding lp2",
        ("show", SHOW),
    ],
    "show": [
        "--oneline show -- show",
        "chassis-add ch1 geneve,vxlan 10.0.0.1",
        "set Chassis ch1 'hostname=\"h 1\"' other_config:a=b "
        "external_ids:c=d",
        "clear Encap {U:Encap:type=vxlan} options",
        "set Encap {U:Encap:type=vxlan} 'ip=\"\"'",
        "chassis-add 'c \"q' stt 10.0.0.2",
        "lsp-bind p:q ch1",
        "lsp-bind lp2 'c \"q'",
        ("show", SHOW),
    ],
    "connection_ssl": generic.CONNECTION_SSL_SCRIPT + [
        "set-connection ptcp:2 ptcp:1 -- set Connection ptcp:1 "
        "read_only=true role=abc",
        "get-connection",
        "get SB_Global . connections ssl",
    ],
    "lflow_empty": [
        "lflow-list",
        "count-flows",
        "lflow-list ls1",
        "count-flows ls1",
        "--uuid dump-flows 0",
        "lflow-list nosuch",
    ],
    "usage": [
        "chassis-add a b",
        "chassis-add a b c d",
        "chassis-del",
        "chassis-del a b",
        "lsp-bind lp1",
        "lsp-bind lp1 ch0 x",
        "lsp-unbind",
        "lsp-unbind lp1 lp2",
        "show extra",
        "init extra",
        "--if-exists chassis-add a geneve 1.1.1.1",
        "--may-exist chassis-del ch0",
        "--if-exists lsp-bind lp1 ch0",
        "--may-exist lsp-unbind lp1",
        "--uuid show",
        "--uuid count-flows",
        "--filter=Chassis show",
        "count-flows a b",
        "-- --may-exist chassis-add ch0 geneve 1.1.1.1 -- show",
        ("show", "NODB"),
        ("show", SHOW, "ENV"),
    ],
}


# --- Part 1: the harness of test_dbctl_generic.py, with "show" ordering.

def _items(lines, indent):
    """Splits 'lines' into items: a line indented by exactly 'indent'
    spaces plus the more indented lines after it."""
    items = []
    for line in lines:
        if len(line) - len(line.lstrip(" ")) == indent or not items:
            items.append([line])
        else:
            items[-1].append(line)
    return items


def _sort_runs(items):
    """Sorts each run of consecutive items of the same kind (their first
    word: hostname:, Encap, Port_Binding), keeping the runs in order."""
    out, run = [], []
    for item in items:
        if run and item[0].split()[0] != run[0][0].split()[0]:
            out += sorted(run)
            run = []
        run.append(item)
    return out + sorted(run)


def canonical_show(text):
    """'show' output with chassis blocks sorted, and within each, encaps
    and ports sorted."""
    blocks = []
    for block in _items(text.splitlines(), 0):
        inner = _sort_runs(_items(block[1:], 4))
        blocks.append([block[0]] + [line for item in inner for line in item])
    return "".join(line + "\n" for block in sorted(blocks) for line in block)


TXN_ERROR_RE = re.compile(r"(transaction error: ).*$", re.M)


class SbSide(generic.Side):
    def normalize(self, rc, out, err, words, flags):
        if SHOW in flags:
            out = canonical_show(out)
        if TXNERR in flags:
            err = TXN_ERROR_RE.sub(r"\1<reason>", err)
        return super().normalize(rc, out, err, words, flags)


def _need_sbctl():
    tool = weftlib.need_tool("ovn-sbctl")
    weft = weftlib.need_binary("cli/weft-sbctl")
    if not os.path.exists(SB_SCHEMA):
        pytest.skip("%s missing" % SB_SCHEMA)
    return tool, weft


@pytest.fixture(scope="module")
def sides(tmp_path_factory):
    tool, weft_tool = _need_sbctl()
    base = tmp_path_factory.mktemp("sbctl")
    real = weftlib.OvsdbServer(base / "real", {"sb": SB_SCHEMA})
    weft = weftlib.WeftDb(base / "weft", {"sb": SB_SCHEMA})
    real.start()
    try:
        weft.start()
    except BaseException:
        real.stop(check=False)
        raise
    yield (SbSide("sb", real, tool, SETUP),
           SbSide("sb", weft, weft_tool, SETUP))
    try:
        real.stop()
    finally:
        weft.stop()


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_sbctl_commands(sides, name):
    generic._run_script(sides[0], sides[1], SCRIPTS[name])


def test_canonical_show():
    text = ("Chassis b\n    Encap vxlan\n        ip: \"2\"\n"
            "    Encap geneve\n        ip: \"1\"\n    Port_Binding z\n"
            "    Port_Binding a\nChassis a\n    hostname: h\n")
    assert canonical_show(text) == (
        "Chassis a\n    hostname: h\nChassis b\n    Encap geneve\n"
        "        ip: \"1\"\n    Encap vxlan\n        ip: \"2\"\n"
        "    Port_Binding a\n    Port_Binding z\n")


# --- Part 2: logical flows compiled by the real ovn-northd.

TOPOLOGY = [
    "ls-add sw0", "ls-add sw1", "lr-add r0",
    "lsp-add sw0 p1", "lsp-set-addresses p1 '00:00:00:00:00:01 10.0.0.2'",
    "lsp-add sw1 p2", "lsp-set-addresses p2 '00:00:00:00:00:02 10.0.1.2'",
    "lrp-add r0 r0-sw0 00:00:00:00:ff:01 10.0.0.1/24",
    "lrp-add r0 r0-sw1 00:00:00:00:ff:02 10.0.1.1/24",
    "lsp-add sw0 sw0-r0", "lsp-set-type sw0-r0 router",
    "lsp-set-addresses sw0-r0 router",
    "lsp-set-options sw0-r0 router-port=r0-sw0",
    "lsp-add sw1 sw1-r0", "lsp-set-type sw1-r0 router",
    "lsp-set-addresses sw1-r0 router",
    "lsp-set-options sw1-r0 router-port=r0-sw1",
    "lr-nat-add r0 dnat_and_snat 172.16.0.110 10.0.0.2",
    "lr-nat-add r0 snat 172.16.0.100 10.0.1.0/24",
    "acl-add sw0 from-lport 1002 'ip4 && tcp.dst==22' allow-related",
    "acl-add sw1 to-lport 1001 ip4 drop",
    "lb-add lb0 172.16.0.200:80 10.0.0.2:8080,10.0.1.2:8080 tcp",
    "ls-lb-add sw0 lb0",
]


def _extra_rows(dp_sw1):
    """Hand-made rows that exercise what northd's output does not: a
    datapath named only by name2, one with no name, one sharing sw1's
    name, an alias for sw1, flows on both a datapath and a group, and
    flows ordered only by their actions."""
    flow = {"pipeline": "ingress", "table_id": 3, "priority": 7,
            "external_ids": _map({"stage-name": "x_stage"})}
    ops = [
        {"op": "mutate", "table": "Datapath_Binding",
         "where": [["_uuid", "==", ["uuid", dp_sw1]]],
         "mutations": [["external_ids", "insert",
                        _map({"name2": "alias1"})]]},
        {"op": "insert", "table": "Datapath_Binding", "uuid-name": "d2",
         "row": {"tunnel_key": 100,
                 "external_ids": _map({"name2": "only2"})}},
        {"op": "insert", "table": "Datapath_Binding", "uuid-name": "d0",
         "row": {"tunnel_key": 101}},
        {"op": "insert", "table": "Datapath_Binding", "uuid-name": "dd",
         "row": {"tunnel_key": 102,
                 "external_ids": _map({"name": "dup"})}},
        {"op": "insert", "table": "Datapath_Binding",
         "row": {"tunnel_key": 103,
                 "external_ids": _map({"name": "dup"})}},
        {"op": "insert", "table": "Logical_DP_Group", "uuid-name": "g",
         "row": {"datapaths": _set("d2", "d0")}},
    ]
    rows = [dict(flow, logical_datapath=_u("d2"), logical_dp_group=_u("g"),
                 match="both", actions="both;"),
            dict(flow, logical_datapath=_u("dd"), logical_dp_group=_u("g"),
                 match="three", actions="three;"),
            dict(flow, match="none", actions="none;")]
    for actions in ("z;", "a;", "zz;", "y;"):
        rows.append(dict(flow, logical_datapath=_u("d0"), pipeline="egress",
                         table_id=32, priority=65535, match="m",
                         actions=actions))
    rows.append(dict(flow, logical_datapath=_u("d2"), table_id=0,
                     external_ids=_map({"stage-name":
                                        "a_very_long_stage_name_here"}),
                     match="long", actions="next;"))
    ops += [{"op": "insert", "table": "Logical_Flow", "row": r}
            for r in rows]
    return ops


def _build_southbound(base):
    """Runs the real northd over TOPOLOGY on an ovsdb-server serving NB
    and SB, stops northd and adds _extra_rows().  Returns the server."""
    for tool in ("ovn-nbctl", "ovn-northd"):
        weftlib.need_tool(tool)
    if not os.path.exists(NB_SCHEMA):
        pytest.skip("%s missing" % NB_SCHEMA)
    server = weftlib.OvsdbServer(base / "real",
                                 {"sb": SB_SCHEMA, "nb": NB_SCHEMA})
    server.start()
    try:
        _run_northd(base, server)
        with weftlib.JsonRpcClient(server.remote("sb")) as c:
            rows = c.transact("OVN_Southbound", {
                "op": "select", "table": "Datapath_Binding", "where": [],
                "columns": ["_uuid", "external_ids"]})[0]["rows"]
            uuids = {dict(r["external_ids"][1]).get("name"): r["_uuid"][1]
                     for r in rows}
            result = c.transact("OVN_Southbound",
                                *_extra_rows(uuids["sw1"]))
            assert not [r for r in result if r and "error" in r], result
    except BaseException:
        server.stop(check=False)
        raise
    return server, uuids


def _run_northd(base, server):
    """Loads TOPOLOGY into the NB of 'server' and runs the real northd
    until the SB reflects it."""
    northd = northd_test.Northd(base / "northd", server.remote("nb"),
                                server.remote("sb"))
    northd.start()
    try:
        nbctl = [weftlib.need_tool("ovn-nbctl"),
                 "--db=" + server.remote("nb"), "--timeout=30"]
        argv = list(nbctl)
        for cmd in TOPOLOGY:
            argv += shlex.split(cmd) + ["--"]
        weftlib.run(argv[:-1], timeout=40)
        weftlib.run(nbctl + ["--wait=sb", "sync"], timeout=40)
    finally:
        northd.stop()


@pytest.fixture(scope="module")
def lflow_sides(tmp_path_factory):
    tool, weft_tool = _need_sbctl()
    base = tmp_path_factory.mktemp("lflow")
    real, uuids = _build_southbound(base)
    try:
        os.makedirs(str(base / "weft"))
        shutil.copy(real.db_file("sb"), str(base / "weft" / "sb.db"))
        weft = weftlib.WeftDb(base / "weft", {"sb": SB_SCHEMA})
        weft.start()
    except BaseException:
        real.stop(check=False)
        raise
    yield (SbSide("sb", real, tool, []), SbSide("sb", weft, weft_tool, []),
           uuids)
    try:
        real.stop()
    finally:
        weft.stop()


def _flow_uuids(side):
    with weftlib.JsonRpcClient(side.remote) as c:
        rows = c.transact("OVN_Southbound", {
            "op": "select", "table": "Logical_Flow", "where": [],
            "columns": ["_uuid"]})[0]["rows"]
    return sorted(r["_uuid"][1] for r in rows)


def _lflow_steps(uuids, flows):
    zero = [u for u in flows if u.startswith("0")][:1]
    other = [u for u in flows if not u.startswith("0")]
    sw0 = uuids["sw0"]
    steps = [
        "lflow-list", "dump-flows", "--uuid lflow-list",
        "lflow-list sw0", "lflow-list sw1", "dump-flows r0",
        "--uuid dump-flows r0", "lflow-list " + sw0,
        "lflow-list " + sw0.upper(), "lflow-list " + sw0[:4],
        "lflow-list alias1", "lflow-list only2", "lflow-list dup",
        "lflow-list " + uuids["sw1"][:3],
        "--uuid lflow-list %s %s" % (other[0][:8], other[1][:3]),
        "--uuid lflow-list sw0 %s 0x%s" % (other[2], other[3][:8]),
        "--uuid lflow-list r0 " + other[4],
        "--uuid lflow-list 0X" + other[5][:6],
        "lflow-list " + other[6][:8].upper(),
        "lflow-list %s-" % other[7][:8],
        "lflow-list 0", "lflow-list 00",
        "lflow-list nosuch", "lflow-list sw0 nosuch", "lflow-list ''",
        "lflow-list 0x", "lflow-list -", "lflow-list 0-",
        "lflow-list %s--" % other[0][:8], "lflow-list %s00" % other[0],
        "lflow-list 0x0" + other[0][:8], "lflow-list sw0 sw1",
        "--oneline lflow-list r0",
        "count-flows", "count-flows sw0", "count-flows r0",
        "count-flows nosuch", "count-flows " + other[0][:8],
        "count-flows only2", "count-flows dup", "count-flows alias1",
        "lflow-list sw0 -- count-flows sw1 -- show",
    ]
    if zero:
        z = zero[0]
        stripped = z.lstrip("0")
        steps += ["--uuid lflow-list " + z[:8],
                  "--uuid lflow-list " + stripped[:6],
                  "--uuid lflow-list 0x" + stripped[:6],
                  "--uuid lflow-list 0000" + stripped[:4]]
    return steps


def test_lflow_commands(lflow_sides):
    real, weft, uuids = lflow_sides
    flows = _flow_uuids(real)
    assert _flow_uuids(weft) == flows
    assert len(flows) > 250, "northd produced too few flows"
    failures = []
    for line in _lflow_steps(uuids, flows):
        words = shlex.split(line)
        r = real.normalize(*real.run(words, set()), words, set())
        w = weft.normalize(*weft.run(words, set()), words, set())
        if r != w:
            failures.append("$ %s\n--- real rc=%s\n%s%s--- weft rc=%s\n%s%s"
                            % (line, r[0], r[1][:3000], r[2], w[0],
                               w[1][:3000], w[2]))
    assert not failures, ("%d mismatch(es):\n\n" % len(failures)
                          + "\n\n".join(failures))
