"""Differential test of the generic database commands (list, find, get,
set, add, remove, clear, create, destroy, wait-until and their options) of
weft-nbctl / weft-sbctl / weft-vsctl against the real ovn-nbctl /
ovn-sbctl / ovs-vsctl.

Each script starts from the same database contents (loaded with one raw
OVSDB transaction into both servers), then runs the same command lines
through the real tool on ovsdb-server and through the weft tool on
weft-db.  For every command line it compares exit status, stdout and
stderr, after normalising:

  * UUIDs -> <uuidN>, numbered per script and per side: rows loaded by the
    setup transaction get <uuid0>.. in insertion order, other UUIDs are
    numbered in order of first appearance;
  * the tool name ("ovn-nbctl: " vs "weft-nbctl: " etc.);
  * vlog prefixes on stderr ("2026-...Z|00002|module|WARN|" -> "WARN|");
  * the row order of one list/find command's output (unspecified: hash
    order in the real tools), for steps marked unordered.

After a command that fails on the real side, both databases must be
unchanged; at the end of each script the two databases must hold the same
rows (UUIDs normalised).

Run:   /usr/bin/python3 -m pytest tests/interop/test_dbctl_generic.py
Skips unless weft-nbctl / weft-sbctl / weft-vsctl are built.

Transcript of the real tools' (normalised) output for every step:
       WEFTCTL_SELFTEST=1 WEFTCTL_VERBOSE=1 /usr/bin/python3 -m pytest -s \
           tests/interop/test_dbctl_generic.py

Self-test of this file's logic (both sides real tools on two
ovsdb-servers; needs no weft binary):
       WEFTCTL_SELFTEST=1 /usr/bin/python3 -m pytest tests/interop/test_dbctl_generic.py
"""

import json
import os
import re
import shlex

import pytest

import weftlib

SELFTEST = bool(os.environ.get("WEFTCTL_SELFTEST"))
# WEFTCTL_VERBOSE=1 (with pytest -s) prints every step's normalised real
# output: a readable transcript of what the real tools do.
VERBOSE = bool(os.environ.get("WEFTCTL_VERBOSE"))

# kind -> (real tool, weft binary, database name, real schema, weft schema)
KINDS = {
    "nb": ("ovn-nbctl", "cli/weft-nbctl", "OVN_Northbound",
           "/usr/share/ovn/ovn-nb.ovsschema",
           os.path.join(weftlib.SCHEMAS, "ovn-nb.ovsschema")),
    "sb": ("ovn-sbctl", "cli/weft-sbctl", "OVN_Southbound",
           "/usr/share/ovn/ovn-sb.ovsschema",
           os.path.join(weftlib.SCHEMAS, "ovn-sb.ovsschema")),
    "vs": ("ovs-vsctl", "cli/weft-vsctl", "Open_vSwitch",
           "/usr/share/openvswitch/vswitch.ovsschema",
           os.path.join(weftlib.SCHEMAS, "vswitch.ovsschema")),
}

ENV_VAR = {"nb": "OVN_NB_DB", "sb": "OVN_SB_DB", "vs": None}

NO_SUCH_SOCKET = "/tmp/weft-dbctl-test-no-such.sock"

UUID_RE = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                     r"[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
VLOG_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z\|\d+\|"
                     r"[A-Za-z0-9_]+\|(EMER|ERR|WARN|INFO|DBG)\|", re.M)
TOOL_RE = re.compile(r"\b(ovn-nbctl|ovn-sbctl|ovs-vsctl|weft-nbctl|"
                     r"weft-sbctl|weft-vsctl): ")


def _u(name):
    return ["named-uuid", name]


def _set(*names):
    return ["set", [_u(n) for n in names]]


def _map(d):
    return ["map", [[k, v] for k, v in d.items()]]


def _sset(*vals):
    return ["set", list(vals)]


# --- Initial database contents (one insert per row, "uuid-name" = row id).

SETUP = {
    "nb": [
        ("NB_Global", "g", {"connections": _set("conn")}),
        ("Connection", "conn", {"target": "ptcp:6641"}),
        ("Logical_Switch", "sw0", {
            "name": "sw0",
            "external_ids": _map({"a b": "c d", "foo": "bar",
                                  "neutron:network_name": "net0"}),
            "other_config": _map({"mcast_snoop": "true"}),
            "ports": _set("p1", "p2"), "acls": _set("acl1")}),
        ("Logical_Switch", "sw1", {"name": "sw1", "ports": _set("p3")}),
        ("Logical_Switch_Port", "p1", {
            "name": "p1", "addresses": "00:00:00:00:00:01 10.0.0.1",
            "external_ids": _map({"neutron:port_name": "np1"}),
            "dhcpv4_options": _u("dhcp1")}),
        ("Logical_Switch_Port", "p2", {
            "name": "p2", "addresses": _sset("a b", "c"),
            "tag_request": 5, "enabled": True,
            "external_ids": _map({"k": "v"})}),
        ("Logical_Switch_Port", "p3", {
            "name": "p3", "tag_request": 10, "enabled": False}),
        ("DHCP_Options", "dhcp1", {
            "cidr": "10.0.0.0/24",
            "options": _map({"lease_time": "3600"})}),
        ("ACL", "acl1", {"name": "acl1", "direction": "to-lport",
                         "action": "allow", "match": "ip4",
                         "priority": 100}),
        ("Logical_Router", "r0", {
            "name": "r0",
            "external_ids": _map({"neutron:router_name": "nr0"}),
            "ports": _set("lrp0"), "nat": _set("nat1"),
            "static_routes": _set("route1")}),
        ("Logical_Router_Port", "lrp0", {
            "name": "lrp0", "mac": "00:00:00:00:ff:01",
            "networks": "10.0.0.1/24"}),
        ("NAT", "nat1", {"external_ip": "172.16.0.10",
                         "logical_ip": "10.0.0.2", "type": "snat"}),
        ("Logical_Router_Static_Route", "route1", {
            "ip_prefix": "0.0.0.0/0", "nexthop": "172.16.0.254"}),
        ("Address_Set", "as1", {"name": "as1",
                                "addresses": _sset("10.0.0.1", "10.0.0.2")}),
        ("Port_Group", "pg1", {"name": "pg1", "ports": _set("p1")}),
        ("Load_Balancer", "lb0", {
            "name": "lb0", "vips": _map({"172.16.0.200:80": "10.0.0.2:80"}),
            "health_check": _set("hc1")}),
        ("Load_Balancer_Health_Check", "hc1", {"vip": "172.16.0.200:80"}),
        ("HA_Chassis_Group", "hag", {"name": "hag",
                                     "ha_chassis": _set("hac")}),
        ("HA_Chassis", "hac", {"chassis_name": "hv1", "priority": 10}),
        ("Meter", "m1", {"name": "m1", "unit": "pktps",
                         "bands": _set("band1")}),
        ("Meter_Band", "band1", {"action": "drop", "rate": 10}),
    ],
    "sb": [
        ("SB_Global", "g", {}),
        ("Chassis", "ch1", {"name": "ch1", "hostname": "host1",
                            "encaps": _set("enc1")}),
        ("Encap", "enc1", {"type": "geneve", "ip": "192.168.0.1",
                           "chassis_name": "ch1"}),
        ("Chassis_Private", "chp1", {"name": "ch1"}),
        ("Datapath_Binding", "dp1", {
            "tunnel_key": 1,
            "external_ids": _map({"name": "ls1", "logical-switch": "lsx"})}),
        ("Datapath_Binding", "dp2", {
            "tunnel_key": 2,
            "external_ids": _map({"name2": "lr-alias",
                                  "logical-router": "lry"})}),
        ("Port_Binding", "pb1", {
            "logical_port": "lp1", "datapath": _u("dp1"), "tunnel_key": 1,
            "external_ids": _map({"name": "pbname"})}),
        ("Port_Binding", "pb2", {
            "logical_port": "lp2", "datapath": _u("dp1"), "tunnel_key": 2,
            "mac": _sset("00:00:00:00:00:02 10.0.0.2")}),
        ("MAC_Binding", "mb1", {"logical_port": "lp1", "ip": "10.0.0.9",
                                "mac": "00:00:00:00:00:09",
                                "datapath": _u("dp1")}),
        ("Logical_Flow", "lf1", {
            "logical_datapath": _u("dp1"), "pipeline": "ingress",
            "table_id": 0, "priority": 100, "match": "1",
            "actions": "next;"}),
        ("Address_Set", "as1", {"name": "as1", "addresses": _sset("1.1.1.1")}),
        ("RBAC_Role", "role", {"name": "ovn-controller",
                               "permissions": ["map", [["Chassis",
                                                        _u("perm")]]]}),
        ("RBAC_Permission", "perm", {"table": "Chassis",
                                     "authorization": "name",
                                     "insert_delete": True,
                                     "update": _sset("nb_cfg",
                                                     "external_ids")}),
    ],
    "vs": [
        ("Open_vSwitch", "ovs", {"bridges": _set("br0", "br1"),
                                 "manager_options": _set("mgr")}),
        ("Bridge", "br0", {"name": "br0", "ports": _set("port0"),
                           "controller": _set("c1"), "netflow": _u("nf"),
                           "sflow": _u("sf"), "ipfix": _u("ipx"),
                           "external_ids": _map({"bridge-id": "b0"})}),
        ("Bridge", "br1", {"name": "br1", "controller": _set("c2", "c3")}),
        ("Port", "port0", {"name": "port0", "interfaces": _set("if0"),
                           "qos": _u("q1")}),
        ("Interface", "if0", {"name": "if0", "type": "internal",
                              "ofport_request": 5}),
        ("QoS", "q1", {"type": "linux-htb",
                       "queues": ["map", [[0, _u("queue0")]]]}),
        ("Queue", "queue0", {"other_config": _map({"max-rate": "1000"})}),
        ("Controller", "c1", {"target": "tcp:1.1.1.1:6653"}),
        ("Controller", "c2", {"target": "tcp:2.2.2.2:6653"}),
        ("Controller", "c3", {"target": "tcp:3.3.3.3:6653"}),
        ("NetFlow", "nf", {"targets": "1.2.3.4:5566"}),
        ("sFlow", "sf", {"targets": "1.2.3.4:6343"}),
        ("IPFIX", "ipx", {"targets": "1.2.3.4:4739"}),
        ("Manager", "mgr", {"target": "ptcp:6640"}),
        ("Flow_Sample_Collector_Set", "fscs", {"id": 7,
                                               "bridge": _u("br0")}),
    ],
}


# --- Scripts.  A step is a command line (shlex-split; global options such
# as --db are added by the harness) or a tuple (command line, flags) with
# flags from:
#   "U"        output of this single list/find is compared as a multiset of
#              records (list/bare), rows (table/csv) or json data rows
#   "ENV"      run without --db, with OVN_NB_DB/OVN_SB_DB set instead
#   "NODB"     run with --db pointing at a socket that does not exist
#   "SLOW"     larger timeout (wait-until timeouts)
# {U:Table:col=value} in a command line is replaced with that row's UUID
# (on each side); {U8:...}, {U4:...}, {U3:...} with a prefix of it;
# {UU:...} with the UUID in upper case.

U = "U"

NB_SCRIPTS = {
    "list_default": [
        "list Logical_Switch sw0",
        "list Logical_Switch_Port p2",
        "list NB_Global .",
        ("list Logical_Switch", U),
        ("list Logical_Switch_Port", U),
        "list Logical_Switch sw0 sw1",
        "list Mirror",
        "list DHCP_Options",
        "list Load_Balancer lb0",
    ],
    "list_columns": [
        "--columns=name,ports,external_ids list Logical_Switch sw0",
        "--columns=NAME,_uuid list logical-switch sw0",
        "--columns=n list Logical_Switch sw1",
        ("--columns=name,tag_request,enabled find Logical_Switch_Port", U),
        "--columns=name,name list Logical_Switch sw0",
        "--columns=load_balancer list Logical_Switch sw0",
    ],
    "format_table": [
        "--format=table list Logical_Switch sw0",
        ("--format=table --columns=name,external_ids,ports "
         "list Logical_Switch", U),
        ("--format=table --columns=ports,name list Logical_Switch", U),
        ("-f table --columns=name,tag_request,addresses "
         "list Logical_Switch_Port", U),
        "--format=table --columns=name list Mirror",
        "--format=table list Mirror",
        "--format=table --no-headings --columns=name,external_ids "
        "list Logical_Switch sw0",
        "--format=table --data=json --columns=name,external_ids "
        "list Logical_Switch sw0",
        "--format=table --data=bare --columns=name,external_ids,ports "
        "list Logical_Switch sw0",
    ],
    "format_csv": [
        "--format=csv list Logical_Switch sw0",
        ("--format=csv --columns=name,external_ids list Logical_Switch", U),
        "--format=csv --no-headings --columns=name,external_ids "
        "list Logical_Switch sw0",
        "--format=csv --columns=name list Mirror",
        "--format=csv --data=json --columns=name,addresses "
        "list Logical_Switch_Port p2",
        "--format=csv --data=bare --columns=name,addresses "
        "list Logical_Switch_Port p2",
    ],
    "format_json": [
        "--format=json list Logical_Switch sw0",
        ("--format=json --columns=name,ports list Logical_Switch", U),
        "--format=json --columns=name list Mirror",
        "--format=json --pretty --columns=name,ports list Logical_Switch sw1",
        "--format=json --pretty --columns=name list Mirror",
        "--format=json --no-headings --columns=name list Logical_Switch sw0",
        "--format=json --data=bare --columns=name,external_ids "
        "list Logical_Switch sw0",
        "--format=json --columns=name,tag_request,enabled,addresses "
        "list Logical_Switch_Port p2",
        "--format=json --columns=name,tag_request,enabled,addresses "
        "list Logical_Switch_Port p1",
    ],
    "format_data": [
        "--data=bare --columns=name,external_ids,ports list Logical_Switch sw0",
        "--data=json --columns=name,external_ids,ports list Logical_Switch sw0",
        "--data=string --columns=name,external_ids list Logical_Switch sw0",
        "-d json list Logical_Switch_Port p2",
        "-d bare list Logical_Switch_Port p2",
        "--data=json list NB_Global .",
    ],
    "format_bare": [
        "--bare --columns=name,external_ids list Logical_Switch sw0",
        "--bare list Logical_Switch_Port p2",
        ("--bare --columns=name find Logical_Switch", U),
        "--bare --columns=_uuid list Logical_Switch sw1",
        "--no-headings --columns=name,external_ids list Logical_Switch sw0",
        "--no-headings list Logical_Switch_Port p3",
        "--format=list --columns=name list Logical_Switch sw1",
    ],
    "sequences_output": [
        # Per-command options: before the first command they belong to it
        # only; blank lines separate list outputs across commands.
        "--columns=name list Logical_Switch sw0 -- list Logical_Switch sw1",
        "--columns=name list Logical_Switch sw0 -- --columns=_uuid "
        "list Logical_Switch sw1 -- get Logical_Switch sw0 name",
        "--columns=name list Mirror -- list Logical_Switch sw1 -- "
        "list Mirror -- --columns=name list Logical_Switch sw0",
        "--format=table --columns=name list Logical_Switch sw0 -- "
        "--columns=name,tag_request list Logical_Switch_Port p2",
        "--format=csv --columns=name list Logical_Switch sw0 -- "
        "--columns=name list Logical_Switch sw1",
        "--format=json --columns=name list Logical_Switch sw0 -- "
        "--columns=name list Logical_Switch sw1",
        "--bare --columns=name list Logical_Switch sw0 -- "
        "--columns=name list Logical_Switch sw1",
        "--columns=name find Logical_Switch name=sw0 -- "
        "--columns=name find Logical_Switch name=sw1",
        "--if-exists list Logical_Switch nosuch -- list Logical_Switch sw1",
        "--if-exists list Logical_Switch nosuch -- "
        "list Logical_Switch nosuch2",
    ],
    "get": [
        "get Logical_Switch sw0 name external_ids ports",
        "get Logical_Switch sw0 external_ids:foo",
        "get Logical_Switch sw0 'external_ids:\"a b\"'",
        "get Logical_Switch sw0 external_ids:neutron:network_name",
        "get Logical_Switch sw0 'external_ids:\"neutron:network_name\"'",
        "get Logical_Switch sw0 external_ids:missing",
        "--if-exists get Logical_Switch sw0 external_ids:missing",
        "--if-exists get Logical_Switch nosuch name",
        "get Logical_Switch nosuch name",
        "get Logical_Switch_Port p2 tag_request enabled addresses type up",
        "get Logical_Switch_Port p1 enabled tag_request addresses",
        "get Logical_Switch_Port p3 enabled",
        "--data=json get Logical_Switch sw0 name external_ids external_ids:foo",
        "--bare get Logical_Switch sw0 name ports",
        "--format=json get Logical_Switch sw0 name",
        "get Logical_Switch sw0 name:foo",
        "get Logical_Switch_Port p2 addresses:x",
        "get Logical_Switch sw0 name:foo:bar",
        "get NB_Global . _uuid",
        "get Logical_Switch sw0 _uuid",
        "--id=@x get Logical_Switch sw0",
        "--id=@x get Logical_Switch sw0 name",
        "get Logical_Switch sw0 name name",
        "get Logical_Switch sw0",
        "get Logical_Switch sw0 nosuchcol",
        "get Logical_Switch sw0 load",
        "get Logical_Switch sw0 EXTERNAL-IDS:foo",
        "get DHCP_Options p1 options:lease_time",
        "get Meter m1 bands",
        "get Meter_Band {U:Meter_Band:action=drop} rate",
        "get Logical_Router r0 ports nat static_routes",
    ],
    "values": [
        "set Logical_Switch sw1 external_ids:x=1 external_ids:y=true "
        "external_ids:z=a-b external_ids:w=a_b external_ids:v=a.b "
        "external_ids:u=1a external_ids:t=-1 external_ids:s=a:b "
        "external_ids:r=a/b 'external_ids:q=[a]' external_ids:p=ab1 "
        "external_ids:o=false external_ids:n=a=b 'external_ids:B=_x' "
        "'external_ids:e=\"\"' 'external_ids:A=\"quoted \\\" x\"'",
        "get Logical_Switch sw1 external_ids",
        "list Logical_Switch sw1",
        "--format=csv --columns=external_ids list Logical_Switch sw1",
        "--format=json --columns=external_ids list Logical_Switch sw1",
        "--bare --columns=external_ids list Logical_Switch sw1",
        "get Logical_Switch sw1 external_ids:e external_ids:A external_ids:y",
        "set Logical_Switch_Port p3 'addresses=\"x y\",\"\",\"true\",abc'",
        "get Logical_Switch_Port p3 addresses",
        "set Logical_Switch_Port p3 'options={a=b, \"c d\"=\"1\"}'",
        "get Logical_Switch_Port p3 options",
        "set Logical_Switch_Port p3 'options={}'",
        "get Logical_Switch_Port p3 options",
        "set Logical_Switch_Port p3 'addresses=[]'",
        "get Logical_Switch_Port p3 addresses",
        "set Logical_Switch_Port p3 enabled=yes",
        "get Logical_Switch_Port p3 enabled",
        "set Logical_Switch_Port p3 enabled=TRUE",
        "set Logical_Switch_Port p3 tag_request=0x10",
        "get Logical_Switch_Port p3 tag_request",
        "set Logical_Switch_Port p3 tag_request=-0",
        "get Logical_Switch_Port p3 tag_request",
    ],
    "find_operators": [
        ("--columns=name find Logical_Switch_Port tag_request=5", U),
        ("--columns=name find Logical_Switch_Port tag_request!=5", U),
        ("--columns=name find Logical_Switch_Port tag_request<10", U),
        ("--columns=name find Logical_Switch_Port tag_request>5", U),
        ("--columns=name find Logical_Switch_Port tag_request<=5", U),
        ("--columns=name find Logical_Switch_Port tag_request>=5", U),
        ("--columns=name find Logical_Switch_Port enabled=true", U),
        ("--columns=name find Logical_Switch_Port enabled!=true", U),
        ("--columns=name find Logical_Switch_Port enabled=[]", U),
        ("--columns=name find Logical_Switch_Port enabled{=}[]", U),
        ("--columns=name find Logical_Switch_Port enabled{=}true", U),
        ("--columns=name find Logical_Switch_Port enabled{!=}true", U),
        ("--columns=name find Logical_Switch_Port addresses{>=}c", U),
        ("--columns=name find Logical_Switch_Port addresses{>}c", U),
        ("--columns=name find Logical_Switch_Port "
         "'addresses{<=}\"c\",\"a b\",d'", U),
        ("--columns=name find Logical_Switch_Port "
         "'addresses{<}\"c\",\"a b\"'", U),
        ("--columns=name find Logical_Switch_Port addresses{in}c", U),
        ("--columns=name find Logical_Switch_Port "
         "'addresses{in}\"c\",\"a b\"'", U),
        ("--columns=name find Logical_Switch_Port addresses{not-in}c", U),
        ("--columns=name find Logical_Switch_Port addresses{not-in}zz", U),
        ("--columns=name find Logical_Switch_Port addresses=c", U),
        ("--columns=name find Logical_Switch_Port addresses<c", U),
        ("--columns=name find Logical_Switch_Port external_ids:k=v", U),
        ("--columns=name find Logical_Switch_Port external_ids:k!=v", U),
        ("--columns=name find Logical_Switch_Port external_ids:k<w", U),
        ("--columns=name find Logical_Switch_Port external_ids{>=}k=v", U),
        ("--columns=name find Logical_Switch_Port 'external_ids{=}{}'", U),
        ("--columns=name find Logical_Switch_Port 'external_ids={}'", U),
        ("--columns=name find Logical_Switch_Port "
         "'external_ids{!=}{}'", U),
        ("--columns=name find Logical_Switch_Port name=p1", U),
        ("--columns=name find Logical_Switch_Port name<p2", U),
        ("--columns=name find Logical_Switch_Port name>p1", U),
        ("--columns=name find Logical_Switch_Port name>=p2", U),
        ("--columns=name find Logical_Switch_Port name{<}p1", U),
        ("--columns=name find Logical_Switch_Port name{<=}p1", U),
        ("--columns=name find Logical_Switch_Port 'type=\"\"'", U),
        ("--columns=name find Logical_Switch_Port name{in}p1", U),
        ("--columns=name find Logical_Switch_Port name!=p1 "
         "tag_request>=0", U),
        ("--columns=name find Logical_Switch_Port", U),
        ("--columns=name find Logical_Switch ports{>=}"
         "{U:Logical_Switch_Port:name=p1}", U),
        ("--columns=name find Logical_Switch "
         "external_ids:neutron:network_name=net0", U),
        ("--columns=name find Logical_Switch "
         "'external_ids:\"neutron:network_name\"=net0'", U),
        ("--columns=name find Logical_Switch 'external_ids:\"a b\"=\"c d\"'",
         U),
        "find Logical_Switch name=sw0 --columns=name",
        ("--columns=name find Logical_Switch_Port NAME=p1", U),
        ("--format=table --columns=name,tag_request "
         "find Logical_Switch_Port tag_request>=0", U),
        "find Logical_Switch_Port name=nosuch",
        "--format=table find Logical_Switch_Port name=nosuch",
    ],
    "find_errors": [
        "find Logical_Switch_Port 'enabled={}'",
        "find Logical_Switch_Port name{in}p1,p2",
        "find Logical_Switch_Port name",
        "find Logical_Switch_Port name~p1",
        "find Logical_Switch_Port tag_request=abc",
        "find Logical_Switch_Port nosuch=1",
        "find Logical_Switch_Port name:x=1",
        "find Nosuch name=1",
        "find",
    ],
    "create": [
        "create Logical_Switch name=sw9 external_ids:a=b "
        "'other_config={x=y}'",
        "list Logical_Switch sw9",
        "--id=@p create Logical_Switch_Port name=p9 "
        "'addresses=\"a b\",c' -- add Logical_Switch sw9 ports @p",
        "get Logical_Switch sw9 ports",
        "list Logical_Switch_Port p9",
        "--id=@a create Address_Set name=as9",
        "get Address_Set as9 name",
        "create ACL direction=to-lport action=allow match=1 priority=1",
        ("--columns=priority find ACL", U),
        "--id=@p create Logical_Switch_Port name=q",
        "find Logical_Switch_Port name=q",
        "create Logical_Switch nosuchcol=1",
        "create Logical_Switch name",
        "create Logical_Switch_Port name=bad tag_request=99999",
        "create Nosuch name=x",
        "create NB_Global",
        "create Logical_Switch",
        "--columns=name,external_ids find Logical_Switch 'name=\"\"'",
    ],
    "id_sequences": [
        "--id=@lrp create Logical_Router_Port name=lrp9 "
        "mac='\"00:00:00:00:ff:09\"' networks='\"10.9.0.1/24\"' -- "
        "--id=@lr create Logical_Router name=r9 ports=@lrp",
        "get Logical_Router r9 ports",
        "get Logical_Router_Port lrp9 mac networks",
        "--id=@p create Logical_Switch_Port name=p8 -- add Logical_Switch "
        "sw0 ports @p -- set Logical_Switch_Port p8 external_ids:x=y -- "
        "get Logical_Switch_Port p8 name",
        "get Logical_Switch_Port p8 external_ids",
        "--id=@s get Logical_Switch_Port p3 -- add Logical_Switch sw0 "
        "ports @s",
        "get Logical_Switch sw0 ports",
        "--id=@q get Logical_Switch sw1 -- set Logical_Switch sw0 "
        "external_ids:peer=@q",
        "get Logical_Switch sw0 external_ids:peer",
        "--id=@a create Logical_Switch_Port name=pa -- --id=@b create "
        "Logical_Switch_Port name=pb -- set Logical_Switch sw1 "
        "ports=@a,@b",
        "--columns=name,ports list Logical_Switch sw1",
        ("--columns=name find Logical_Switch_Port", U),
        "--id=@a create Logical_Switch name=a -- --id=@a create "
        "Logical_Switch name=b",
        "--id=x create Logical_Switch name=c",
        "add Logical_Switch sw0 ports @nosuch",
        "set Logical_Switch sw0 ports=@nosuch",
        "--id=@x --if-exists get Logical_Switch sw0",
        "--id=@p create Logical_Switch_Port name=pz -- "
        "get Logical_Switch_Port @p name",
        "--columns=name,ports list Logical_Switch sw1",
        # A long sequence (the reference topology in one transaction).
        "-- --id=@v1 create Logical_Switch_Port name=v1 "
        "addresses='\"40:44:00:00:00:01 192.168.0.11\"' "
        "-- --id=@s1 create Logical_Switch_Port name=n1r type=router "
        "addresses=router options:router-port=r1n1 "
        "-- create Logical_Switch name=network1 ports=@v1,@s1 "
        "-- --id=@v2 create Logical_Switch_Port name=v2 "
        "-- --id=@s2 create Logical_Switch_Port name=n2r type=router "
        "-- create Logical_Switch name=network2 ports=@v2,@s2 "
        "-- --id=@p1 create Logical_Router_Port name=r1n1 "
        "mac='\"40:44:00:00:00:03\"' networks=192.168.0.1/24 "
        "-- --id=@p2 create Logical_Router_Port name=r1n2 "
        "mac='\"40:44:00:00:00:04\"' networks=192.168.1.1/24 "
        "-- create Logical_Router name=router1 ports=@p1,@p2 "
        "-- get Logical_Switch network1 name -- get Logical_Router router1 "
        "name",
        ("--columns=name,ports list Logical_Switch", U),
        ("--columns=name,mac,networks list Logical_Router_Port", U),
        # A MAC must be quoted: ':' ends an unquoted string.
        "set Logical_Router_Port r1n1 mac=40:44:00:00:00:09",
        "set Logical_Router_Port r1n1 networks=10.0.0.1/24,10.1.0.1/24",
        "get Logical_Router_Port r1n1 mac networks",
    ],
    "modify": [
        "set Logical_Switch sw0 external_ids:x=1 external_ids:x=2",
        "get Logical_Switch sw0 external_ids",
        "set Logical_Switch sw0 'external_ids={}' name=sw0b",
        "list Logical_Switch sw0b",
        "set Logical_Switch sw0b name=sw0 'external_ids={a=b, c=d}'",
        "add Logical_Switch sw0 external_ids foo=baz new=1 a=z",
        "get Logical_Switch sw0 external_ids",
        "remove Logical_Switch sw0 external_ids foo new=2",
        "get Logical_Switch sw0 external_ids",
        "remove Logical_Switch sw0 external_ids new=1 nosuchkey",
        "get Logical_Switch sw0 external_ids",
        "add Logical_Switch_Port p1 addresses x y",
        "get Logical_Switch_Port p1 addresses",
        "add Logical_Switch_Port p1 addresses x",
        "remove Logical_Switch_Port p1 addresses x notthere",
        "get Logical_Switch_Port p1 addresses",
        "add Logical_Switch_Port p1 tag_request 7",
        "get Logical_Switch_Port p1 tag_request",
        "add Logical_Switch_Port p1 tag_request 8",
        "get Logical_Switch_Port p1 tag_request",
        "remove Logical_Switch_Port p1 tag_request 7",
        "get Logical_Switch_Port p1 tag_request",
        "clear Logical_Switch sw0 external_ids",
        "clear Logical_Switch_Port p2 addresses tag_request enabled",
        "list Logical_Switch_Port p2",
        "clear Logical_Switch_Port p1 name",
        "clear Logical_Switch_Port p1 type",
        "remove Logical_Switch_Port p1 name p1",
        "remove Logical_Switch_Port p1 type '\"\"'",
        "remove Logical_Switch_Port p1 type nomatch",
        "set Logical_Switch_Port p1 tag_request=abc",
        "set Logical_Switch_Port p1 tag_request=5000",
        "set Logical_Switch_Port p1 tag_request=1,2",
        "set Logical_Switch_Port p1 'tag_request=[1,2]'",
        "set Logical_Switch_Port p1 type=bogus",
        "get Logical_Switch_Port p1 type",
        "set ACL acl1 direction=sideways",
        "set ACL acl1 priority=100000",
        "set Logical_Switch sw0 name:foo=bar",
        "set Logical_Switch_Port p1 addresses:foo=bar",
        "set Logical_Switch sw0 external_ids=foo",
        "set Logical_Switch sw0 _uuid={U:Logical_Switch:name=sw0}",
        "set Logical_Switch sw0",
        "set Logical_Switch sw0 name",
        "add Logical_Switch sw0 external_ids",
        "add Logical_Switch sw0 external_ids 'a b=zz'",
        "--if-exists set Logical_Switch nosuch name=a",
        "--if-exists add Logical_Switch nosuch external_ids a=b",
        "--if-exists remove Logical_Switch nosuch external_ids a",
        "--if-exists clear Logical_Switch nosuch external_ids",
        "set Logical_Switch nosuch name=a",
        "set Logical_Switch sw0 external_ids:k=v -- set Logical_Switch "
        "nosuch name=a",
        "get Logical_Switch sw0 external_ids",
    ],
    "destroy": [
        "destroy Logical_Switch nosuch",
        "--if-exists destroy Logical_Switch nosuch",
        "--all destroy Logical_Switch sw0",
        "destroy Logical_Switch",
        ("--columns=name list Logical_Switch", U),
        "destroy Logical_Switch sw1",
        ("--columns=name list Logical_Switch", U),
        ("--columns=name list Logical_Switch_Port", U),
        "destroy Address_Set as1 -- destroy Port_Group pg1",
        "list Address_Set",
        "--all destroy Load_Balancer",
        "list Load_Balancer",
        "list Load_Balancer_Health_Check",
        "destroy Logical_Switch_Port p1",
        "destroy NB_Global .",
        "list NB_Global",
    ],
    "naming": [
        "--columns=name list Logical_Switch sw0",
        "--columns=name list Logical_Switch net0",
        "--columns=name list Logical_Switch_Port np1",
        "--columns=name list Logical_Router nr0",
        "--columns=name list Logical_Router_Port lrp0",
        "--columns=cidr list DHCP_Options p1",
        "--columns=cidr list DHCP_Options np1",
        "--columns=cidr list DHCP_Options p2",
        "--columns=logical_ip list NAT 172.16.0.10",
        "--columns=target list Connection ptcp:6641",
        "--columns=chassis_name list HA_Chassis hv1",
        "--columns=name list HA_Chassis_Group hag",
        "--columns=name list ACL acl1",
        "--columns=name list Address_Set as1",
        "--columns=name list Port_Group pg1",
        "--columns=name list Load_Balancer lb0",
        "--columns=vip list Load_Balancer_Health_Check 172.16.0.200:80",
        "--columns=name list Meter m1",
        "--columns=rate list Meter_Band .",
        "--columns=ip_prefix list Logical_Router_Static_Route .",
        "--columns=name list Logical_Router .",
        "--columns=name list Logical_Switch .",
        "--columns=name list ACL .",
        "--columns=name list Mirror .",
        "--columns=name list NB_Global .",
        "--columns=name list Logical_Switch {U:Logical_Switch:name=sw1}",
        "--columns=name list Logical_Switch {UU:Logical_Switch:name=sw1}",
        "--columns=name list Logical_Switch {U8:Logical_Switch:name=sw1}",
        "--columns=name list Logical_Switch {U4:Logical_Switch:name=sw1}",
        "--columns=name list Logical_Switch {U3:Logical_Switch:name=sw1}",
        "--columns=name list Logical_Switch_Port {U:Logical_Switch:name=sw1}",
        "--columns=name list Logical_Switch SW0",
        "--columns=name list Logical_Switch nosuch",
        "--columns=name list Logical_Switch_Port sw0",
        "--columns=nexthop list Logical_Router_Static_Route 0.0.0.0/0",
        "--columns=name list Meter_Band drop",
        "--columns=name list Logical_Switch @sw0",
    ],
    "names_matching": [
        "--columns=name list logical_switch sw0",
        "--columns=name list LOGICAL-SWITCH sw0",
        "--columns=name list Logical_Switch_ p1",
        "--columns=name list LOGICAL_SWITCH_P p1",
        "--columns=name list Logical_S sw0",
        "--columns=name list Logical sw0",
        "--columns=name list Foo",
        "--columns=name list nb_g .",
        "--columns=nam list Logical_Switch sw0",
        "--columns=load list Logical_Switch sw0",
        "--columns=foo list Logical_Switch sw0",
        "--columns=external-ids list Logical_Switch sw0",
        "get Logical_Switch sw0 Other_Config:mcast_snoop",
        "get Logical_Switch sw0 other_config:MCAST_SNOOP",
    ],
    "errors": [
        "bogus-cmd",
        "list",
        "get Logical_Switch",
        "get",
        "--bogus list Logical_Switch",
        "list Logical_Switch --bogus",
        "-- --bogus list Logical_Switch",
        "list Logical_Switch sw0 --columns=name",
        "list Logical_Switch sw0 extra",
        "--columns=name get Logical_Switch sw0 name",
        "--if-exists wait-until Logical_Switch sw0",
        "--all list Logical_Switch",
        "--format=bogus list Logical_Switch sw0",
        "--data=bogus list Logical_Switch sw0",
        # "list T R --" and "a -- -- b" are left out: ovn-nbctl 23.03 then
        # prints nothing for the commands (an empty command seems to shift
        # its outputs); weft skips empty commands and prints the output.
        "-- list Logical_Switch sw0",
        "set Logical_Switch sw0 name=x -- bogus",
        "set Logical_Switch sw0 name=x -- get Logical_Switch nosuch name",
        "--columns=name list Logical_Switch sw0",
    ],
    "wait_until": [
        "wait-until Logical_Switch sw0",
        "wait-until Logical_Switch sw0 name=sw0",
        "wait-until Logical_Switch sw0 external_ids:foo=bar 'ports{>=}[]'",
        "wait-until Logical_Switch_Port p2 tag_request>=5 enabled=true",
        "wait-until NB_Global .",
        "wait-until Logical_Switch sw0 -- get Logical_Switch sw0 name",
        "wait-until Logical_Switch sw0 nosuchcol=1",
        "wait-until",
        ("--timeout=1 wait-until Logical_Switch sw0 name=zzz", "SLOW"),
        ("--timeout=1 wait-until Logical_Switch nosuch", "SLOW"),
    ],
    "environment": [
        ("get Logical_Switch sw0 name", "ENV"),
        ("list Logical_Switch sw0", "NODB"),
        ("--timeout=2 list Logical_Switch sw0", "NODB"),
    ],
}

SB_SCRIPTS = {
    "naming": [
        "--columns=tunnel_key list Datapath_Binding ls1",
        "--columns=tunnel_key list Datapath_Binding lr-alias",
        "--columns=tunnel_key list Datapath_Binding lsx",
        "--columns=tunnel_key list Datapath_Binding lry",
        "--columns=tunnel_key list Datapath_Binding 1",
        "--columns=tunnel_key list Port_Binding lp1",
        "--columns=tunnel_key list Port_Binding pbname",
        "--columns=ip list MAC_Binding lp1",
        "--columns=name list Chassis ch1",
        "--columns=name list Chassis host1",
        "--columns=name list Chassis_Private ch1",
        "--columns=ip list Encap ch1",
        "--columns=ip list Encap .",
        "--columns=name list Address_Set as1",
        "--columns=name list RBAC_Role ovn-controller",
        "--columns=table list RBAC_Permission Chassis",
        "--columns=match list Logical_Flow .",
        "--columns=nb_cfg list SB_Global .",
        "--columns=tunnel_key list Port_Binding .",
        "--columns=logical_port list Port_Binding {U:Port_Binding:logical_port=lp2}",
        "--columns=logical_port list Port_Binding {U8:Port_Binding:logical_port=lp2}",
    ],
    "list_formats": [
        "list Port_Binding lp1",
        ("list Datapath_Binding", U),
        ("--format=table --columns=logical_port,tunnel_key,mac "
         "list Port_Binding", U),
        ("--format=csv --columns=logical_port,tunnel_key,mac "
         "list Port_Binding", U),
        ("--format=json --columns=logical_port,datapath list Port_Binding",
         U),
        "--bare --columns=logical_port,mac list Port_Binding lp2",
        "list RBAC_Role .",
        "list RBAC_Permission .",
        "get RBAC_Role . permissions permissions:Chassis",
        # Not "list Logical_Flow": ovn-sbctl 23.03's built-in schema has a
        # Logical_Flow "hash" column that the schema file it serves (and
        # weft's, identical to it) lacks, so it prints "hash : 0" last.
        "--columns=actions,external_ids,logical_datapath,logical_dp_group,"
        "match,pipeline,priority,table_id,tags list Logical_Flow",
        "list Chassis ch1",
    ],
    "find_modify": [
        ("--columns=logical_port find Port_Binding tunnel_key>1", U),
        ("--columns=logical_port find Port_Binding "
         "datapath={U:Datapath_Binding:tunnel_key=1}", U),
        ("--columns=tunnel_key find Datapath_Binding "
         "external_ids:name=ls1", U),
        "set Port_Binding lp2 tunnel_key=99999",
        "set Port_Binding lp2 tunnel_key=9 external_ids:name=n2",
        "get Port_Binding n2 tunnel_key",
        "set Logical_Flow . pipeline=sideways",
        "set Logical_Flow . table_id=99",
        "--id=@dp create Datapath_Binding tunnel_key=5 "
        "external_ids:name=ls5",
        "--columns=tunnel_key list Datapath_Binding ls5",
        "destroy Datapath_Binding ls5",
        "clear Port_Binding lp1 external_ids",
        "clear Port_Binding lp1 datapath",
        "list Foo",
        "get Chassis ch1 nosuch",
        "wait-until Chassis ch1 hostname=host1",
        "destroy Chassis ch1",
        "list Encap",
    ],
}

VS_SCRIPTS = {
    "naming": [
        "--columns=name list Bridge br0",
        "--columns=name list Port port0",
        "--columns=name list Interface if0",
        "--columns=target list Controller br0",
        "--columns=target list Controller br1",
        "--columns=targets list NetFlow br0",
        "--columns=targets list sFlow br0",
        "--columns=targets list IPFIX br0",
        "--columns=type list QoS port0",
        "--columns=id list Flow_Sample_Collector_Set 7",
        "--columns=id list Flow_Sample_Collector_Set 07",
        "--columns=id list Flow_Sample_Collector_Set br0",
        "--columns=target list Manager ptcp:6640",
        "--columns=other_config list Queue .",
        "--columns=other_config list Queue 0",
        "--columns=bridges list Open_vSwitch .",
        "--columns=target list Controller tcp:1.1.1.1:6653",
        "--columns=name list Bridge .",
        "get Controller br0 target",
    ],
    "list_formats": [
        "list Bridge br0",
        "list Interface if0",
        ("--columns=name,controller list Bridge", U),
        ("--format=table --columns=name,ports,controller list Bridge", U),
        "--format=csv list QoS port0",
        "--format=json list QoS port0",
        "--bare --columns=name,external_ids list Bridge br0",
        "get Bridge br0 external_ids:bridge-id",
        "get Bridge br0 other_config:x",
        "--if-exists get Bridge br0 other_config:x",
        "get QoS port0 queues queues:0",
        "get Interface if0 ofport_request type",
    ],
    "modify": [
        "--id=@c create Controller target='\"tcp:9.9.9.9:6653\"' -- "
        "set Bridge br1 controller=@c",
        "get Controller br1 target",
        "--id=@c create Controller target='\"tcp:8.8.8.8:6653\"'",
        "create Controller target='\"tcp:7.7.7.7:6653\"'",
        ("--columns=target list Controller", U),
        "-- --id=@b get Bridge br0 -- --id=@f create "
        "Flow_Sample_Collector_Set id=8 bridge=@b",
        "get Flow_Sample_Collector_Set 8 bridge",
        "-- --id=@f create Flow_Sample_Collector_Set id=9 bridge=@b "
        "-- --id=@b get Bridge br0",
        "set Interface if0 ofport_request=70000",
        "set Interface if0 type=bogus",
        "set Bridge br0 fail_mode=sideways",
        "add Bridge br0 external_ids a=1 b=2",
        "remove Bridge br0 external_ids bridge-id",
        "get Bridge br0 external_ids",
        "clear Bridge br0 netflow sflow ipfix",
        "list NetFlow",
        "clear Port port0 interfaces",
        "destroy Controller br1",
        ("--columns=target list Controller", U),
        "--all destroy Manager",
        "get Open_vSwitch . manager_options",
        "wait-until Bridge br0 name=br0",
        "wait-until Open_vSwitch .",
    ],
}

SCRIPTS = {"nb": NB_SCRIPTS, "sb": SB_SCRIPTS, "vs": VS_SCRIPTS}


# The connection and SSL commands, as ovn-nbctl and ovn-sbctl share them
# (test_nbctl.py and test_sbctl.py each add their own database's checks).
CONNECTION_SSL_SCRIPT = [
    "get-connection",
    "get-ssl",
    "del-ssl",
    "del-connection",
    "set-connection ptcp:6641 b a",
    "get-connection",
    "--inactivity-probe=12x set-connection ptcp:1 tcp:2",
    "get-connection",
    "get Connection ptcp:1 inactivity_probe",
    "--inactivity-probe=-5 set-connection punix:/x",
    "get Connection punix:/x inactivity_probe",
    "set-connection",
    "get-connection extra",
    "set-connection ptcp ssl:x unix:/y pssl: tcpx:1",
    "get-connection",
    "set-ssl a b",
    "set-ssl k c ca",
    "get-ssl",
    "--bootstrap set-ssl k c ca TLSv1.2 HIGH",
    "get-ssl",
    "get SSL . ssl_protocols ssl_ciphers bootstrap_ca_cert",
    "set-ssl 1 2 3 4 5 6",
    "del-ssl",
    "get-ssl",
    "del-connection",
    "get-connection",
    "set-connection ptcp:5 -- get-connection",
]


# --- The harness.


class Side:
    """One database server plus the tool that talks to it."""

    def __init__(self, kind, server, tool, setup=None):
        self.kind = kind
        self.server = server
        self.tool = tool
        # (table, row id, row) triples reset() loads; SETUP[kind] if None.
        self.setup = SETUP[kind] if setup is None else setup
        self.dbname = KINDS[kind][2]
        self.remote = server.remote(kind)
        self.uuids = {}        # uuid -> placeholder
        self.expanded = {}     # UUID prefix put in a command -> its token
        self.setup_uuids = []  # in SETUP order
        self._tables = None

    def rpc(self, *ops):
        with weftlib.JsonRpcClient(self.remote) as c:
            return c.transact(self.dbname, *ops)

    def tables(self):
        if self._tables is None:
            with weftlib.JsonRpcClient(self.remote) as c:
                reply = c.call("get_schema", [self.dbname])
            self._tables = sorted(reply["result"]["tables"])
        return self._tables

    def reset(self):
        """Replaces the database contents with self.setup."""
        ops = [{"op": "delete", "table": t, "where": []}
               for t in self.tables()]
        for table, name, row in self.setup:
            ops.append({"op": "insert", "table": table, "row": row,
                        "uuid-name": name})
        result = self.rpc(*ops)
        errors = [r for r in result if r and "error" in r]
        assert not errors, "setup transaction failed: %s" % result
        inserted = [r["uuid"][1] for r in result if r and "uuid" in r]
        assert len(inserted) == len(self.setup)
        self.setup_uuids = inserted
        self.uuids = {u: "<uuid%d>" % i for i, u in enumerate(inserted)}

    def snapshot(self):
        """All rows of all tables, for equality checks on this side."""
        tables = self.tables()
        result = self.rpc(*[{"op": "select", "table": t, "where": []}
                            for t in tables])
        snap = {}
        for t, r in zip(tables, result):
            rows = []
            for row in r["rows"]:
                row = dict(row)
                row.pop("_version", None)
                rows.append(row)
            snap[t] = rows
        return snap

    def find_uuid(self, table, col, value):
        where = [[col, "==", _parse_scalar(value)]]
        rows = self.rpc({"op": "select", "table": table, "where": where,
                         "columns": ["_uuid"]})[0]["rows"]
        assert len(rows) == 1, "%s %s=%s: %d rows" % (table, col, value,
                                                       len(rows))
        return rows[0]["_uuid"][1]

    def expand(self, word):
        def repl(m):
            kind, table, cond = m.group(1), m.group(2), m.group(3)
            col, value = cond.split("=", 1)
            u = self.find_uuid(table, col, value)
            if kind == "UU":
                return u.upper()
            if kind == "U":
                return u
            prefix = u[:int(kind[1:])]
            self.expanded[prefix] = m.group(0)
            return prefix
        return re.sub(r"\{(U|UU|U\d+):([A-Za-z_]+):([^}]*)\}", repl, word)

    def argv(self, words, flags):
        argv = [self.tool]
        env = dict(os.environ)
        for var in ("OVN_NB_DB", "OVN_SB_DB", "OVS_RUNDIR", "OVN_RUNDIR"):
            env.pop(var, None)
        if "ENV" in flags:
            env[ENV_VAR[self.kind]] = self.remote
        elif "NODB" in flags:
            argv.append("--db=unix:" + NO_SUCH_SOCKET)
        else:
            argv.append("--db=" + self.remote)
        if self.kind == "vs":
            argv.append("--no-wait")
        return argv + [self.expand(w) for w in words], env

    def run(self, words, flags):
        argv, env = self.argv(words, flags)
        r = weftlib.run(argv, check=False, env=env,
                        timeout=20 if "SLOW" in flags else 10)
        return r.returncode, r.stdout, r.stderr

    # Normalisation.

    def number(self, text):
        def repl(m):
            u = m.group(0).lower()
            if u not in self.uuids:
                self.uuids[u] = "<uuid%d>" % len(self.uuids)
            return self.uuids[u]
        return UUID_RE.sub(repl, text)

    def sort_key(self, text):
        """'text' with known UUIDs replaced by their placeholders and unknown
        ones by <uuid?>: independent of this side's UUID values."""
        return UUID_RE.sub(lambda m: self.uuids.get(m.group(0).lower(),
                                                    "<uuid?>"), text)

    def canonical_order(self, out, words):
        """Sorts the records of the output of one list/find command."""
        fmt = "list"
        for i, w in enumerate(words):
            if w.startswith("--format="):
                fmt = w.split("=", 1)[1]
            elif w in ("-f",) and i + 1 < len(words):
                fmt = words[i + 1]
            elif w == "--bare":
                fmt = "list"
        if fmt == "json":
            if not out.strip():
                return out
            obj = json.loads(out)
            obj["data"].sort(key=lambda row: self.sort_key(json.dumps(row)))
            return json.dumps(obj, separators=(",", ":")) + "\n"
        if fmt in ("table", "csv"):
            lines = out.split("\n")
            headed = "--no-headings" not in words
            nhead = (2 if fmt == "table" else 1) if headed else 0
            if len(lines) <= nhead:
                return out
            trail = lines[-1] == ""
            body = lines[nhead:-1] if trail else lines[nhead:]
            body.sort(key=self.sort_key)
            return "\n".join(lines[:nhead] + body) + ("\n" if trail else "")
        # list format: records separated by one empty line.
        if not out:
            return out
        recs = out.rstrip("\n").split("\n\n")
        recs.sort(key=self.sort_key)
        return "\n\n".join(recs) + "\n"

    def normalize(self, rc, out, err, words, flags):
        for prefix, token in self.expanded.items():
            rx = r"(?<![0-9a-fA-F-])%s(?![0-9a-fA-F-])" % re.escape(prefix)
            out = re.sub(rx, token, out)
            err = re.sub(rx, token, err)
        self.expanded = {}
        if U in flags:
            out = self.canonical_order(out, words)
        out = _sort_uuid_sets(self.number(out))
        err = _sort_uuid_sets(self.number(err))
        err = TOOL_RE.sub("TOOL: ", err)
        err = VLOG_RE.sub(lambda m: m.group(2) + "|", err)
        err = err.replace(self.remote, "<remote>")
        return rc, out, err

    def normalized_snapshot(self):
        """The whole database with setup UUIDs as placeholders and other
        UUIDs as <new>; rows sorted."""
        known = {u: "<uuid%d>" % i for i, u in enumerate(self.setup_uuids)}

        def norm(v):
            return UUID_RE.sub(lambda m: known.get(m.group(0).lower(),
                                                   "<new>"), v)
        def canon(v):
            if isinstance(v, list) and len(v) == 2 and v[0] == "set":
                return ["set", sorted((canon(x) for x in v[1]),
                                      key=json.dumps)]
            if isinstance(v, list):
                return [canon(x) for x in v]
            if isinstance(v, dict):
                return {k: canon(x) for k, x in v.items()}
            return v
        snap = {}
        for t, rows in self.snapshot().items():
            snap[t] = sorted(json.dumps(canon(json.loads(
                norm(json.dumps(r)))), sort_keys=True) for r in rows)
        return snap


_UUID_SEQ_RE = re.compile(r"<uuid\d+>(?:(?:, | )<uuid\d+>)+")
_UUID_JSON_SEQ_RE = re.compile(r'\["uuid","<uuid\d+>"\]'
                               r'(?:,\["uuid","<uuid\d+>"\])+')
_NUM_RE = re.compile(r"<uuid(\d+)>")


def _sort_uuid_sets(text):
    """Sorts runs of UUID placeholders ("[<uuid5>, <uuid4>]", bare
    "<uuid5> <uuid4>", json '["uuid","<uuid5>"],["uuid","<uuid4>"]'):
    the tools print set elements in UUID order, which differs between
    servers."""
    def key(item):
        return int(_NUM_RE.search(item).group(1))

    def plain(m):
        run = m.group(0)
        sep = ", " if ", " in run else " "
        return sep.join(sorted(run.split(sep), key=key))

    def js(m):
        items = re.findall(r'\["uuid","<uuid\d+>"\]', m.group(0))
        return ",".join(sorted(items, key=key))
    return _UUID_SEQ_RE.sub(plain, _UUID_JSON_SEQ_RE.sub(js, text))


def _parse_scalar(v):
    if re.fullmatch(r"-?\d+", v):
        return int(v)
    if v in ("true", "false"):
        return v == "true"
    return v


def _steps(script):
    for step in script:
        if isinstance(step, tuple):
            yield step[0], set(step[1:])
        else:
            yield step, set()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """For each kind, (real side server, weft side server), started on
    first use and shared by the module's tests (each test resets the
    database contents)."""
    made = {}

    def get(kind):
        if kind in made:
            return made[kind]
        real_tool, weft_rel, _, real_schema, weft_schema = KINDS[kind]
        tool = weftlib.need_tool(real_tool)
        if not os.path.exists(real_schema):
            pytest.skip("%s missing" % real_schema)
        if SELFTEST:
            weft_tool = tool
        else:
            weft_tool = weftlib.need_binary(weft_rel)
        base = tmp_path_factory.mktemp("dbctl-" + kind)
        real = weftlib.OvsdbServer(base / "real", {kind: real_schema})
        real.start()
        if SELFTEST:
            other = weftlib.OvsdbServer(base / "other", {kind: real_schema})
        else:
            other = weftlib.WeftDb(base / "weft", {kind: weft_schema})
        try:
            other.start()
        except BaseException:
            real.stop(check=False)
            raise
        made[kind] = (Side(kind, real, tool), Side(kind, other, weft_tool))
        return made[kind]

    yield get
    errors = []
    for real, weft in made.values():
        for side in (real, weft):
            try:
                side.server.stop()
            except AssertionError as e:
                errors.append(str(e))
    assert not errors, "\n".join(errors)


def _run_script(real, weft, script):
    real.reset()
    weft.reset()
    failures = []
    for line, flags in _steps(script):
        words = shlex.split(line)
        before_real = before_weft = None
        checks_db = "NODB" not in flags
        if checks_db:
            before_real = real.snapshot()
            before_weft = weft.snapshot()
        r = real.run(words, flags)
        w = weft.run(words, flags)
        nr = real.normalize(*r, words, flags)
        nw = weft.normalize(*w, words, flags)
        if VERBOSE:
            print("$ %s\n%s%s[rc=%s]" % (line, nr[1], nr[2], nr[0]))
        if nr != nw:
            failures.append(
                "$ %s\n--- real: rc=%s\n%s%s--- weft: rc=%s\n%s%s"
                % (line, nr[0], _show("stdout", nr[1]), _show("stderr", nr[2]),
                   nw[0], _show("stdout", nw[1]), _show("stderr", nw[2])))
        if checks_db and r[0] != 0:
            assert real.snapshot() == before_real, \
                "real tool changed the database in failing step: %s" % line
            if weft.snapshot() != before_weft:
                failures.append("$ %s\nweft changed the database although "
                                "the command failed" % line)
    sr, sw = real.normalized_snapshot(), weft.normalized_snapshot()
    if sr != sw:
        diffs = []
        for t in sorted(set(sr) | set(sw)):
            if sr.get(t) != sw.get(t):
                diffs.append("table %s:\n  real: %s\n  weft: %s"
                             % (t, sr.get(t), sw.get(t)))
        failures.append("final database contents differ:\n"
                        + "\n".join(diffs))
    assert not failures, ("%d mismatch(es):\n\n" % len(failures)
                          + "\n\n".join(failures))


def _show(name, text):
    if not text:
        return ""
    return "[%s]\n%s%s" % (name, text, "" if text.endswith("\n") else
                           "\n[no newline at end]\n")


def _params():
    for kind, scripts in SCRIPTS.items():
        for name in scripts:
            yield pytest.param(kind, name, id="%s-%s" % (kind, name))


@pytest.mark.parametrize("kind,name", list(_params()))
def test_dbctl_generic(servers, kind, name):
    real, weft = servers(kind)
    _run_script(real, weft, SCRIPTS[kind][name])


def test_uuid_normalisation_is_consistent():
    """The same UUID maps to the same placeholder across steps, and the
    first new UUID after setup gets the next number."""
    class FakeServer:
        def remote(self, kind):
            return "unix:/nonexistent"
    side = Side("nb", FakeServer(), "ovn-nbctl")
    side.uuids = {"00000000-0000-0000-0000-000000000001": "<uuid0>"}
    a = "8e1b5d40-0000-4000-8000-000000000000"
    b = "1a2b3c4d-0000-4000-8000-000000000000"
    out1 = side.normalize(0, "%s\n" % a, "", [], set())[1]
    out2 = side.normalize(0, "[%s, %s, 00000000-0000-0000-0000-000000000001]"
                          % (b, a.upper()), "", [], set())[1]
    assert out1 == "<uuid1>\n"
    # Set elements are sorted by placeholder (their printed order follows
    # the UUID values, which differ between servers).
    assert out2 == "[<uuid0>, <uuid1>, <uuid2>]"
    err = side.normalize(
        1, "", "2026-11-21T15:15:14Z|00002|db_ctl_base|WARN|x\n"
        "ovn-nbctl: no row\n", [], set())[2]
    assert err == "WARN|x\nTOOL: no row\n"
