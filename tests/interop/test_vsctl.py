"""Differential test of weft-vsctl's own commands (init, show, emer-reset,
add-br, del-br, list-br, br-exists, br-to-vlan, br-to-parent,
br-set-external-id, br-get-external-id, list-ports, add-port, add-bond,
del-port, port-to-br, list-ifaces, iface-to-br, add-aa-mapping,
del-aa-mapping, get-aa-mapping) against the real ovs-vsctl
3.1, plus the reconfiguration wait (next_cfg / cur_cfg).

The scripts run, with --no-wait, through ovs-vsctl on ovsdb-server (with
OVS's own vswitch schema) and through weft-vsctl on weft-db (with weft's),
using the harness of test_dbctl_generic.py: for every command line, exit
status, stdout and stderr must be equal after normalising UUIDs, the tool
name and vlog prefixes; a failing command must leave both databases
unchanged; at the end both databases must hold the same rows.

"show" prints bridges, ports and interfaces in the order of their UUIDs,
which differ between the two servers, so for steps flagged SHOW the
sibling blocks of each kind are sorted before comparing.

The wait tests run each scenario on both sides too: a background run
without --no-wait must bump next_cfg, wait while cur_cfg is behind (the
test plays the switch daemon by writing cur_cfg), and then report the
interfaces that got no ofport, exactly as ovs-vsctl does.

Run:   /usr/bin/python3 -m pytest tests/interop/test_vsctl.py
Skips unless weft-vsctl, weft-db and Open vSwitch are available.
WEFTCTL_SELFTEST=1 runs the real tool on both sides (harness check).
"""

import os
import subprocess
import time

import pytest

import weftlib
import test_dbctl_generic as generic

U = generic.U
SHOW = "SHOW"

REAL_SCHEMA = "/usr/share/openvswitch/vswitch.ovsschema"
WEFT_SCHEMA = os.path.join(weftlib.SCHEMAS, "vswitch.ovsschema")

_u, _set, _map, _sset = generic._u, generic._set, generic._map, generic._sset

# --- Initial database contents, per script.

OVS_ONLY = [("Open_vSwitch", "ovs", {})]

RICH = [
    ("Open_vSwitch", "ovs", {
        "bridges": _set("br0", "br1"), "manager_options": _set("mgr"),
        "ssl": _u("ssl"), "other_config": _map({"a": "b"}),
        "external_ids": _map({"system-id": "hv1"})}),
    ("Bridge", "br0", {
        "name": "br0", "ports": _set("port0"), "controller": _set("c1"),
        "fail_mode": "secure", "mirrors": _set("m1"), "netflow": _u("nf"),
        "sflow": _u("sf"), "ipfix": _u("ipx"), "flood_vlans": 5,
        "other_config": _map({"hwaddr": "00:11:22:33:44:55", "y": "z"}),
        "external_ids": _map({"bridge-id": "b0"})}),
    ("Bridge", "br1", {"name": "br1", "ports": _set("port1"),
                       "other_config": _map({"y": "z"})}),
    ("Port", "port0", {"name": "port0", "interfaces": _set("if0"),
                       "qos": _u("q1"), "other_config": _map({"a": "b"}),
                       "tag": 4}),
    ("Port", "port1", {"name": "br1", "interfaces": _set("if1")}),
    ("Interface", "if0", {"name": "if0", "type": "internal",
                          "other_config": _map({"a": "b"}),
                          "options": _map({"x": "y"})}),
    ("Interface", "if1", {"name": "br1", "type": "internal"}),
    ("QoS", "q1", {"type": "linux-htb"}),
    ("Controller", "c1", {"target": "tcp:1.1.1.1:6653"}),
    ("Manager", "mgr", {"target": "ptcp:6640"}),
    ("SSL", "ssl", {"private_key": "a", "certificate": "b",
                    "ca_cert": "c"}),
    ("Mirror", "m1", {"name": "m1"}),
    ("NetFlow", "nf", {"targets": "1.2.3.4:5566"}),
    ("sFlow", "sf", {"targets": "1.2.3.4:6343"}),
    ("IPFIX", "ipx", {"targets": "1.2.3.4:4739"}),
]

# Every column "show" prints, set; and columns it leaves out.
SHOW_ALL = [
    ("Open_vSwitch", "ovs", {
        "bridges": _set("br0", "br1"),
        "manager_options": _set("mgr1", "mgr2"), "ovs_version": "3.1.0",
        "external_ids": _map({"system-id": "hv1"}), "cur_cfg": 3,
        "next_cfg": 3, "db_version": "8.3.1"}),
    ("Manager", "mgr1", {"target": "ptcp:6640", "is_connected": True}),
    ("Manager", "mgr2", {"target": "tcp:10.0.0.1:6640",
                         "is_connected": False}),
    ("Bridge", "br0", {
        "name": "br0", "ports": _set("port0", "port1", "bond"),
        "controller": _set("c1", "c2"), "fail_mode": "secure",
        "datapath_type": "netdev", "stp_enable": True,
        "external_ids": _map({"a": "b"})}),
    ("Bridge", "br1", {"name": "br1", "ports": _set("lp1"),
                       "datapath_type": ""}),
    ("Controller", "c1", {"target": "tcp:1.2.3.4:6653",
                          "is_connected": True}),
    ("Controller", "c2", {"target": "unix:/tmp/x y"}),
    ("Port", "port0", {"name": "br0", "interfaces": _set("if0")}),
    ("Port", "port1", {"name": "tun0", "interfaces": _set("if1"),
                       "tag": 0, "trunks": _sset(1, 2, 3),
                       "other_config": _map({"x": "y"})}),
    ("Port", "bond", {"name": "bond 0", "interfaces": _set("e1", "e2"),
                      "bond_mode": "balance-slb", "lacp": "active"}),
    ("Port", "lp1", {"name": "br1", "interfaces": _set("if2")}),
    ("Interface", "if0", {"name": "br0", "type": "internal",
                          "ofport": 65534, "mtu": 1500}),
    ("Interface", "if1", {"name": "tun0", "type": "geneve",
                          "options": _map({"remote_ip": "10.0.0.2",
                                           "key": "flow"}),
                          "bfd_status": _map({"state": "up"}),
                          "error": "could not open network device"}),
    ("Interface", "e1", {"name": "e1", "mac_in_use": "00:00:00:00:00:01"}),
    ("Interface", "e2", {"name": "e2", "admin_state": "up"}),
    ("Interface", "if2", {"name": "br1", "type": "internal"}),
]

# --- Scripts: (initial contents, steps).  Steps as in
# test_dbctl_generic.py, plus the SHOW flag.

SCRIPTS = {
    # The reference documents' chassis set-up, inspection and tear-down.
    "reference": (OVS_ONLY, [
        "init",
        "add-br br-int -- set Bridge br-int fail-mode=secure "
        "datapath_type=netdev",
        "add-port br-int vm1 -- set Interface vm1 type=internal -- "
        "set Interface vm1 external_ids:iface-id=vm1",
        "add-port br-int vm2 -- set Interface vm2 type=internal -- "
        "set Interface vm2 external_ids:iface-id=vm2",
        "add-port br-int vif1 -- set Interface vif1 "
        "external-ids:iface-id=lp1",
        "set open . external-ids:system-id=hv1 "
        "external-ids:ovn-remote=tcp:127.0.0.1:6642 "
        "external-ids:ovn-encap-type=geneve "
        "external-ids:ovn-encap-ip=127.0.0.1 external-ids:ovn-bridge=br-int",
        "set open . external-ids:ovn-bridge-mappings=external:br-ext",
        "get Open_vSwitch . external_ids",
        "get Open_vSwitch . external-ids:system-id",
        "get Open_vSwitch . external-ids:ovn-bridge-mappings",
        ("show", SHOW),
        "list-br",
        "list-ports br-int",
        "list-ifaces br-int",
        "port-to-br vm1",
        "iface-to-br vm2",
        "br-exists br-int",
        "br-exists br-ext",
        "add-br br-ext -- add-port br-ext veth-wan-ovs",
        "br-exists br-ext",
        "list-ports br-ext",
        ("show", SHOW),
        "get Interface vm1 type external_ids ofport",
        "--columns=name,type,external_ids list Interface vm1",
        "--columns=name,fail_mode,datapath_type list Bridge br-int",
        "del-port vm1",
        "del-port br-int vm2",
        "--if-exists del-port vm1",
        "list-ports br-int",
        "del-br br-ext",
        "list-br",
        ("show", SHOW),
        "del-br br-int",
        ("show", SHOW),
        ("--columns=name find Interface", U),
    ]),
    # Managers, controllers, fail modes and SSL.
    "connections": (OVS_ONLY, [
        "init",
        "add-br br0",
        "add-br fk br0 10",
        "get-manager",
        "get-ssl",
        "del-ssl",
        "set-manager ptcp:6640 bogus tcp:1.2.3.4:6640",
        "get-manager",
        "--inactivity-probe=5 set-manager ptcp:1",
        "get Manager ptcp:1 inactivity_probe",
        "get-manager x",
        "set-manager",
        "del-manager",
        "get-manager",
        "get-controller br0",
        "set-controller br0 tcp:1.2.3.4 ptcp:5 punix:/x xx",
        "get-controller br0",
        "get-controller fk",
        "set-controller fk tcp:1",
        "del-controller fk",
        "get-controller nobr",
        "--inactivity-probe=3 set-controller br0 tcp:1.1.1.1",
        "get Controller tcp:1.1.1.1 inactivity_probe",
        "del-controller br0",
        "get-controller br0",
        "set-controller br0",
        "get-controller br0",
        "get-fail-mode br0",
        "set-fail-mode br0 secure",
        "get-fail-mode fk",
        "set-fail-mode br0 bogus",
        "set-fail-mode br0",
        "set-fail-mode fk standalone",
        "del-fail-mode fk",
        "del-fail-mode br0",
        "get-fail-mode br0",
        "set-ssl a b c",
        "get-ssl",
        "set-ssl a b c d",
        "--bootstrap set-ssl x y z",
        "get-ssl",
        "get SSL . private_key bootstrap_ca_cert",
        "del-ssl",
        "get-ssl",
        "set-manager ptcp:9 -- set-controller br0 tcp:9 -- "
        "set-fail-mode br0 standalone",
        ("show", SHOW),
        "emer-reset",
        "get-manager",
        "get-controller br0",
        "get-fail-mode br0",
    ]),
    # A fresh database: the first command creates the Open_vSwitch row.
    "fresh": ([], [
        "init",
        "show",
        "get Open_vSwitch . bridges next_cfg cur_cfg",
        "init",
        "--columns=bridges,cur_cfg,next_cfg,ovs_version list Open_vSwitch",
    ]),
    "fresh_add_br": ([], [
        "add-br br0",
        ("show", SHOW),
    ]),
    # "show" prints the row it creates under the uuid the client chose,
    # which is not the one the server gives it.
    "fresh_show": ([], [
        "show",
        "get Open_vSwitch . _uuid",
        "show",
    ]),
    "show": (SHOW_ALL, [
        ("show", SHOW),
        ("--oneline show", SHOW),
        "list-ports br0",
        "list-ifaces br0",
        "port-to-br 'bond 0'",
        "--columns=name list Bridge .",
    ]),
    "bridges": (OVS_ONLY, [
        "add-br br0",
        "add-br br0",
        "--may-exist add-br br0",
        "add-br br1 br0 5",
        "add-br br1 br0 5",
        "--may-exist add-br br1 br0 5",
        "--may-exist add-br br1 br0 6",
        "--may-exist add-br br1 br2 5",
        "--may-exist add-br br0 br1 5",
        "--may-exist add-br br1",
        "--may-exist add-br br1 br0 99999",
        "add-br br2 br1 7",
        "add-br br2 nosuch 7",
        "add-br br2 br0 4096",
        "add-br br2 br0 -1",
        "add-br br2 br0 abc",
        "add-br br3 br0 5x",
        "add-br br3 br0 ' 8'",
        "add-br br4 br0 +9",
        "add-br br5 br0 0",
        "add-br",
        "add-br a b",
        "add-br a b c d",
        "list-br",
        "--real list-br",
        "--fake list-br",
        "--real --fake list-br",
        "list-br x",
        "br-to-vlan br0",
        "br-to-vlan br1",
        "br-to-vlan br2",
        "br-to-vlan br3",
        "br-to-vlan nosuch",
        "br-to-parent br0",
        "br-to-parent br1",
        "br-to-parent nosuch",
        "br-exists br0",
        "br-exists br1",
        "br-exists nosuch",
        "br-exists",
        "br-exists a b",
        "--columns=name,fake_bridge,tag list Port br1",
        "--columns=name,type list Interface br1",
        ("show", SHOW),
        "br-set-external-id br0 bridge-id b0",
        "br-set-external-id br1 k v",
        "br-set-external-id br1 k2 'v 2'",
        "br-get-external-id br0",
        "br-get-external-id br1",
        "br-get-external-id br1 k",
        "br-get-external-id br1 k2",
        "br-get-external-id br1 nokey",
        "br-get-external-id br0 bridge-id",
        "get Port br1 external_ids",
        "get Bridge br0 external_ids",
        "br-set-external-id br1 k",
        "br-get-external-id br1",
        "br-set-external-id br0 bridge-id",
        "br-get-external-id br0",
        "br-set-external-id nosuch k v",
        "br-get-external-id nosuch",
        "br-set-external-id br0",
        "br-get-external-id br0 k v",
        "--oneline br-get-external-id br1",
        "add-port br1 p1",
        "add-port br0 p2 tag=5",
        "add-port br0 p3",
        "list-ports br0",
        "list-ports br1",
        "del-br br1",
        "list-br",
        "list-ports br0",
        ("--columns=name find Port", U),
        "-- --id=@b get Bridge br0 -- --id=@f create "
        "Flow_Sample_Collector_Set id=1 bridge=@b",
        "del-br br0",
        "list-br",
        "list Flow_Sample_Collector_Set",
        ("--columns=name find Port", U),
        ("--columns=name find Interface", U),
        "del-br nosuch",
        "--if-exists del-br nosuch",
        "del-br",
        "del-br a b",
    ]),
    "ports": (OVS_ONLY, [
        "add-br br0 -- add-br br1 br0 9 -- add-br br2",
        "add-port br0 p1",
        "add-port br0 p1",
        "add-port br2 p1",
        "--may-exist add-port br0 p1",
        "--may-exist add-port br2 p1",
        "--may-exist add-port br1 p1",
        "--may-exist add-port br0 br0",
        "add-br p1",
        "add-br p1 br0 99999",
        "add-br p1 nosuch 9",
        "add-port br0 br0",
        "add-port br0 br1",
        "add-port nosuch p9",
        "add-port nosuch p1",
        "add-port br0",
        "add-port br0 p2 tag=9 other_config:a=b",
        "port-to-br p2",
        "list-ports br1",
        "add-port br0 p3 nosuch=1",
        "add-port br0 p3 tag=abc",
        "add-port br0 p3 tag=9999",
        "add-port br0 p3 'external_ids:\"a b\"=\"c d\"' trunks=1,2",
        "add-port br0 p4 name=p5",
        "iface-to-br p4",
        "port-to-br p5",
        "port-to-br p4",
        "add-port br1 p6",
        "add-port br1 p7 tag=3",
        "list-ports br0",
        "list-ports br1",
        "list-ports br2",
        "list-ports nosuch",
        "list-ifaces br0",
        "list-ifaces br1",
        "list-ifaces nosuch",
        "port-to-br p6",
        "port-to-br p7",
        "port-to-br br1",
        "port-to-br br0",
        "port-to-br nosuch",
        "iface-to-br p6",
        "iface-to-br nosuch",
        "iface-to-br br0",
        "--columns=name,tag,trunks,other_config,external_ids,"
        "bond_fake_iface,fake_bridge list Port p2 p3 p6 p7",
        "add-bond br0 bond0 e1",
        "add-bond br0 bond0 e1 e2",
        "add-bond br0 bond1 e1 e3",
        "add-bond br0 bond1 e3 e3",
        "add-port br0 e1",
        "add-port br0 bond0",
        "--may-exist add-port br0 bond0",
        "--may-exist add-bond br0 bond0 e1 e2",
        "--may-exist add-bond br0 bond0 e2 e1",
        "--may-exist add-bond br0 bond0 e1 e3",
        "--may-exist add-bond br2 bond0 e1 e2",
        "--may-exist add-bond br0 p1 e1 e2",
        "--may-exist --fake-iface add-bond br0 bond0 e1 e3",
        "--fake-iface add-bond br0 bond2 e5 e6 lacp=active",
        "--columns=name,bond_fake_iface,lacp list Port bond2",
        "add-bond br0 b9 e9 tag=1",
        "add-bond br0 b9 e9 e10=x tag=1",
        "add-bond br0 b9 e7 e8 nosuch=1",
        "add-bond br1 b10 e11 e12",
        "port-to-br b10",
        "iface-to-br e12",
        "list-ifaces br1",
        "add-port br0 'p 1' -- add-port br0 'q\"x'",
        "list-ports br0",
        "--may-exist add-port br2 'p 1' 'other_config:a=\"b c\"' \"a'b\" "
        "'x\\y' ''",
        "--may-exist add-port br2 'q\"x'",
        ("show", SHOW),
        "del-port",
        "del-port nosuch",
        "--if-exists del-port nosuch",
        "del-port br0 nosuch",
        "--if-exists del-port br0 nosuch",
        "--if-exists del-port nosuchbr nosuch",
        "del-port nosuchbr p1",
        "del-port nosuchbr nosuch",
        "del-port br2 p1",
        "del-port br1 p1",
        "del-port br1 p6 x",
        "del-port br0 br0",
        "del-port br0",
        "del-port br1",
        "del-port br2 br0",
        "del-port br0 br1",
        "--with-iface del-port br0",
        "--if-exists del-port br0",
        "del-port e1",
        "--with-iface del-port e1",
        "list-ports br0",
        "--with-iface del-port br0 p4",
        "--with-iface del-port br0 p4",
        "--if-exists --with-iface del-port br0 p4",
        "del-port br0 p6",
        "del-port br0 p2",
        "del-port br1 p6",
        "del-port br0 p3",
        "del-port p7",
        "list-ports br0",
        "list-ports br1",
        ("--columns=name find Interface", U),
        ("show", SHOW),
    ]),
    "emer_reset": (RICH, [
        "emer-reset",
        "--columns=name,controller,fail_mode,mirrors,netflow,sflow,ipfix,"
        "flood_vlans,other_config,external_ids list Bridge br0 br1",
        "get Open_vSwitch . manager_options ssl other_config external_ids",
        "get Port port0 other_config qos tag",
        "get Interface if0 other_config options type",
        "list Controller",
        "list Manager",
        "list SSL",
        "list Mirror",
        "list NetFlow",
        "list sFlow",
        "list IPFIX",
        "--columns=type list QoS",
        "emer-reset",
        "emer-reset x",
        ("show", SHOW),
    ]),
    "sequences": (OVS_ONLY, [
        "add-br br0 -- add-port br0 p1 -- list-ports br0 -- port-to-br p1",
        "add-br br9 -- add-port nosuch p1",
        "list-br",
        "br-exists nosuch -- add-br x",
        "add-br x -- br-exists nosuch",
        "list-br -- br-exists br0 -- list-ports br0 -- br-to-vlan br0",
        "add-port br0 p2 -- del-port p2 -- list-ports br0",
        "del-port p1 -- add-port br0 p1 -- list-ports br0",
        "del-br br0 -- add-br br0 -- list-ports br0",
        "add-br b1 -- add-br b2 b1 10 -- add-port b2 v1 -- list-ports b1 "
        "-- list-ports b2 -- port-to-br v1 -- br-to-parent b2",
        "del-br b1 -- list-br",
        "add-port br0 p5 -- set Port p5 tag=7 -- get Port p5 tag",
        "--dry-run add-br dry -- list-br",
        "list-br",
        "--oneline list-br -- list-ports br0",
        "--if-exists del-br nosuch -- --may-exist add-br br0 -- list-br",
        "add-port br0 z1 -- add-port br0 z1",
        "add-br q -- add-br q",
        "add-bond br0 bz a1 a2 -- add-port br0 a1",
        "--bare --columns=name list Bridge br0 -- list-ports br0",
        "add-br br0 -- add-port br0 p9",
        "list-ports br0",
    ]),
    "bad_input": (OVS_ONLY, [
        "add-br br0",
        "--if-exists add-br br9",
        "--may-exist del-br br0",
        "--real list-ports br0",
        "--with-iface add-port br0 x",
        "--fake-iface add-port br0 x",
        "list-ports",
        "list-ports a b",
        "port-to-br",
        "iface-to-br",
        "list-ifaces",
        "br-to-vlan",
        "br-to-parent a b",
        "init x",
        "show x",
        "add-bond br0",
        "add-bond br0 b",
        "add-bond br0 b e1",
        "nosuch-cmd",
        "add-br br0 --may-exist",
        "-- add-br",
        "del-port br0 p1 p2",
        "br-set-external-id br0 k v x",
        ("list-br", "NODB"),
        ("add-port br0 p1", "NODB"),
        "list-br",
    ]),
    # Auto-Attach mappings (docs/vsctl-facts.md): the numbers are read
    # like strtoull(), the ranges are left to the server.
    "aa_mapping": (OVS_ONLY, [
        "add-br br0 -- add-br br1 br0 10",
        "get-aa-mapping br0",
        "add-aa-mapping br0 100 10",
        "get-aa-mapping br0",
        "list AutoAttach",
        "get Bridge br0 auto_attach",
        # A mapped I-SID keeps the lower of the two VLANs.
        "add-aa-mapping br0 100 11",
        "add-aa-mapping br0 5 7",
        "add-aa-mapping br0 5 6",
        "add-aa-mapping br0 5 8",
        "add-aa-mapping br0 200 10",
        "get-aa-mapping br0",
        "add-aa-mapping br0 100 9 -- get-aa-mapping br0",
        "add-aa-mapping br0 100 10 -- add-aa-mapping br0 100 12",
        "get-aa-mapping br0",
        "add-aa-mapping br0 16777215 4095",
        "add-aa-mapping br0 0 0",
        "add-aa-mapping br0 16777216 1",
        "add-aa-mapping br0 1 4096",
        "add-aa-mapping br0 -1 1",
        "add-aa-mapping br0 -5 1",
        "add-aa-mapping br0 4294967297 1",
        "add-aa-mapping br0 18446744073709551617 2",
        "add-aa-mapping br0 18446744073709551615 1",
        "add-aa-mapping br0 3 4294967298",
        "add-aa-mapping br0 x 1",
        "add-aa-mapping br0 1 x",
        "add-aa-mapping br0 x y",
        "add-aa-mapping br0 '' 1",
        "add-aa-mapping nobr x 1",
        "add-aa-mapping br0 7x 1",
        "add-aa-mapping br0 ' 8' 1",
        "add-aa-mapping br0 '\t9' 2",
        "add-aa-mapping br0 0x10 1",
        "add-aa-mapping br0 +5 +6",
        "add-aa-mapping br0 -18446744073709551615 3",
        "add-aa-mapping nobr 1 1",
        "add-aa-mapping br1 1 1",
        "get-aa-mapping br1",
        "get-aa-mapping nobr",
        "get-aa-mapping br0",
        "del-aa-mapping br0 100 10",
        "get-aa-mapping br0",
        "del-aa-mapping br0 100 10",
        "del-aa-mapping br0 5 8",
        "del-aa-mapping br0 x 8",
        "del-aa-mapping br0 5 x",
        "del-aa-mapping nobr 5 7",
        "del-aa-mapping nobr x 7",
        "del-aa-mapping br1 5 7",
        "get-aa-mapping br0",
        "add-br br2",
        "del-aa-mapping br2 5 7",
        "get-aa-mapping br2",
        "add-aa-mapping br2 50 1 -- add-aa-mapping br2 51 2 -- "
        "get-aa-mapping br2",
        "del-aa-mapping br2 50 1 -- del-aa-mapping br2 51 2",
        ("list AutoAttach", U),
        ("find AutoAttach mappings={}", U),
        "del-br br2",
        "list AutoAttach",
        "--if-exists del-aa-mapping br0 1 1",
        "--may-exist add-aa-mapping br0 1 1",
        "add-aa-mapping br0 1",
        "add-aa-mapping br0 1 2 3",
        "del-aa-mapping br0",
        "get-aa-mapping",
        "get-aa-mapping br0 1",
        "add-aa-mapping br0 9 9 -- add-aa-mapping br0 8 9999",
        "add-aa-mapping br0 1 -1",
        "get-aa-mapping br0",
        "del-br br0",
        "list AutoAttach",
    ]),
}


# --- Harness.

class VsSide(generic.Side):
    """A generic.Side whose normalisation also sorts "show" output; its
    'setup' is set per script."""

    def normalize(self, rc, out, err, words, flags):
        if SHOW in flags and "--oneline" in words:
            out = canonical_show(out.rstrip("\n").replace("\\n", "\n")
                                 + "\n").rstrip("\n").replace("\n", "\\n")
            out += "\n"
        elif SHOW in flags:
            out = canonical_show(out)
        return super().normalize(rc, out, err, words, flags)


# Rows that "show" prints in UUID order.
_SHOW_BLOCKS = ("Bridge ", "Port ", "Interface ", "Controller ",
                "Manager ")


def canonical_show(text):
    """Sorts each run of sibling blocks of one kind ("Port ...", with
    everything indented under it) in "show" output."""
    lines = text.split("\n")
    trail = lines[-1] == ""
    if trail:
        lines.pop()

    def parse(i, indent):
        """Parses the lines from 'i' indented at least 'indent' into a
        list of (line, children); returns it and the next index."""
        nodes = []
        while i < len(lines):
            depth = len(lines[i]) - len(lines[i].lstrip(" "))
            if depth < indent:
                break
            line = lines[i]
            children, i = parse(i + 1, depth + 1)
            nodes.append((line, children))
        return nodes, i

    def render(nodes):
        out = []
        for line, children in nodes:
            out.append(line)
            out.extend(render(children))
        return out

    def canon(nodes):
        nodes = [(line, canon(children)) for line, children in nodes]
        result, run = [], []
        for node in nodes + [None]:
            kind = None
            if node is not None:
                kind = next((k for k in _SHOW_BLOCKS
                             if node[0].lstrip(" ").startswith(k)), None)
            if run and (kind is None or kind != run[0][0]):
                run.sort(key=lambda kn: "\n".join(render([kn[1]])))
                result.extend(n for _, n in run)
                run = []
            if node is None:
                break
            if kind:
                run.append((kind, node))
            else:
                result.append(node)
        return result

    nodes, _ = parse(0, 0)
    out = "\n".join(render(canon(nodes)))
    return out + ("\n" if trail else "")


def _weft_vsctl():
    if generic.SELFTEST:
        return weftlib.need_tool("ovs-vsctl")
    return weftlib.need_binary("cli/weft-vsctl")


@pytest.fixture(scope="module")
def sides(tmp_path_factory):
    """(real side, weft side), shared by the module's tests."""
    real_tool = weftlib.need_tool("ovs-vsctl")
    if not os.path.exists(REAL_SCHEMA):
        pytest.skip("%s missing" % REAL_SCHEMA)
    weft_tool = _weft_vsctl()
    base = tmp_path_factory.mktemp("vsctl")
    real = weftlib.OvsdbServer(base / "real", {"vs": REAL_SCHEMA})
    if generic.SELFTEST:
        other = weftlib.OvsdbServer(base / "other", {"vs": REAL_SCHEMA})
    else:
        other = weftlib.WeftDb(base / "weft", {"vs": WEFT_SCHEMA})
    with weftlib.running(real, other):
        yield (VsSide("vs", real, real_tool, OVS_ONLY),
               VsSide("vs", other, weft_tool, OVS_ONLY))


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_vsctl_script(sides, name):
    real, weft = sides
    setup, script = SCRIPTS[name]
    real.setup = weft.setup = setup
    generic._run_script(real, weft, script)


def test_canonical_show():
    text = ("u\n    Bridge b\n        Port y\n            Interface y\n"
            "        fail_mode: secure\n        Port x\n"
            "    Bridge a\n        Port z\n    ovs_version: \"1\"\n")
    assert canonical_show(text) == (
        "u\n    Bridge a\n        Port z\n    Bridge b\n        Port y\n"
        "            Interface y\n        fail_mode: secure\n"
        "        Port x\n    ovs_version: \"1\"\n")


# --- The reconfiguration wait.

def _cfg(side):
    rows = side.rpc({"op": "select", "table": "Open_vSwitch", "where": [],
                     "columns": ["next_cfg", "cur_cfg"]})[0]["rows"]
    assert len(rows) == 1
    return rows[0]["next_cfg"], rows[0]["cur_cfg"]


def _set_cur_cfg(side, value):
    side.rpc({"op": "update", "table": "Open_vSwitch", "where": [],
              "row": {"cur_cfg": value}})


def _set_iface(side, name, row):
    side.rpc({"op": "update", "table": "Interface",
              "where": [["name", "==", name]], "row": row})


def _vsctl(side, *args, env=None, timeout=10):
    argv = [side.tool, "--db=" + side.remote] + list(args)
    return weftlib.run(argv, check=False, env=env, timeout=timeout)


def _start(side, *args):
    env = dict(os.environ, OVS_LOGDIR="/tmp/weft-vsctl-logdir")
    return subprocess.Popen([side.tool, "--db=" + side.remote] + list(args),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            universal_newlines=True, env=env)


def _wait_for(predicate, what, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting for " + what
        time.sleep(0.02)


def _finish(proc, timeout=15):
    try:
        out, err = proc.communicate(timeout=timeout)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out, err


def _both(sides, setup, scenario):
    """Runs scenario(side) on both sides from 'setup' and checks that the
    normalised results are equal.  Returns the weft side's result."""
    results = []
    for side in sides:
        side.setup = setup
        side.reset()
        rc, out, err = scenario(side)
        results.append(side.normalize(rc, out, err, [], set()))
    assert results[0] == results[1], \
        "real: %r\nweft: %r" % (results[0], results[1])
    return results[1]


def test_wait_bumps_next_cfg_and_waits_for_cur_cfg(sides):
    def scenario(side):
        assert _cfg(side) == (0, 0)
        proc = _start(side, "--timeout=20", "add-port", "br0", "w1", "--",
                      "add-bond", "br0", "b1", "x1", "x2", "--",
                      "list-ports", "br0")
        try:
            _wait_for(lambda: _cfg(side)[0] == 1, "next_cfg 1")
            # The switch has not caught up: still waiting.
            time.sleep(0.3)
            assert proc.poll() is None
            _set_iface(side, "x1", {"ofport": 7})
            _set_iface(side, "w1", {"error": "boom"})
            _set_cur_cfg(side, 0)
            time.sleep(0.3)
            assert proc.poll() is None
            _set_cur_cfg(side, 1)
        finally:
            result = _finish(proc)
        assert _cfg(side) == (1, 1)
        return result

    rc, out, err = _both(sides, RICH_WAIT, scenario)
    assert rc == 0
    assert out == "b1\nport0\nw1\n"
    assert err == (
        "TOOL: Error detected while setting up 'w1': boom.  See "
        "ovs-vswitchd log for details.\n"
        "TOOL: Error detected while setting up 'x2'.  See ovs-vswitchd log "
        "for details.\n"
        "TOOL: The default log directory is \"/tmp/weft-vsctl-logdir\".\n")


# br0 with one port, and the Open_vSwitch row.
RICH_WAIT = [
    ("Open_vSwitch", "ovs", {"bridges": _set("br0")}),
    ("Bridge", "br0", {"name": "br0", "ports": _set("port0")}),
    ("Port", "port0", {"name": "port0", "interfaces": _set("if0")}),
    ("Interface", "if0", {"name": "port0", "ofport": 1}),
]


def test_no_wait_when_nothing_changes(sides):
    """Read-only runs, runs that change nothing and failing runs neither
    bump next_cfg nor wait (no daemon: a wait would time out)."""
    def scenario(side):
        log = ""
        for args in (["list-br"], ["show"], ["br-exists", "br0"],
                     ["--may-exist", "add-br", "br0"],
                     ["--may-exist", "add-port", "br0", "port0"],
                     ["br-exists", "nosuch"], ["add-br", "br0"],
                     ["--if-exists", "del-br", "nosuch"], ["init"],
                     ["get", "Open_vSwitch", ".", "cur_cfg"]):
            r = _vsctl(side, "--timeout=5", *args)
            log += "$ %s\n%s%s[rc=%d]\n" % (" ".join(args), r.stdout,
                                             r.stderr, r.returncode)
        assert _cfg(side) == (0, 0)
        return 0, "", log

    _both(sides, RICH_WAIT, scenario)


def test_wait_times_out_without_switch(sides):
    """With no daemon to catch up, --timeout ends the wait the way it ends
    ovs-vsctl's: SIGALRM, after the change was committed."""
    def scenario(side):
        start = time.monotonic()
        r = _vsctl(side, "--timeout=1", "add-br", "br9")
        assert time.monotonic() - start < 8
        assert _cfg(side) == (1, 0)
        assert _vsctl(side, "--no-wait", "br-exists", "br9").returncode == 0
        # ovs-vsctl loses its buffered stdout when killed; weft-vsctl
        # flushes it before waiting, so only rc and stderr are compared.
        return r.returncode, "", r.stderr

    rc, out, err = _both(sides, RICH_WAIT, scenario)
    assert rc == -14
    assert "terminating with signal 14" in err


def test_wait_on_fresh_database(sides):
    """On an empty database the run creates the Open_vSwitch row and bumps
    next_cfg of that new row in the same transaction."""
    def scenario(side):
        proc = _start(side, "--timeout=20", "init")
        try:
            _wait_for(lambda: side.rpc({"op": "select",
                                        "table": "Open_vSwitch",
                                        "where": []})[0]["rows"],
                      "the Open_vSwitch row")
            assert _cfg(side) == (1, 0)
            time.sleep(0.3)
            assert proc.poll() is None
            _set_cur_cfg(side, 1)
        finally:
            result = _finish(proc)
        return result

    assert _both(sides, [], scenario) == (0, "", "")


# A port listed by two bridges and an interface listed by two ports.
INCONSISTENT = [
    ("Open_vSwitch", "ovs", {"bridges": _set("br0", "br1")}),
    ("Bridge", "br0", {"name": "br0", "ports": _set("px", "pa", "pb")}),
    ("Bridge", "br1", {"name": "br1", "ports": _set("px")}),
    ("Port", "px", {"name": "px", "interfaces": _set("ix")}),
    ("Port", "pa", {"name": "pa", "interfaces": _set("ia", "ib")}),
    ("Port", "pb", {"name": "pb", "interfaces": _set("ib")}),
    ("Interface", "ix", {"name": "ix"}),
    ("Interface", "ia", {"name": "ia"}),
    ("Interface", "ib", {"name": "ib"}),
]


def test_inconsistent_database_warns_once(sides):
    """Which bridge (port) gets a doubly listed port (interface) depends on
    UUID order, so each side is checked against itself: one warning of
    each kind, and the listings agree with the warnings."""
    for side in sides:
        side.setup = INCONSISTENT
        side.reset()
        r = _vsctl(side, "--no-wait", "list-ports", "br0", "--",
                   "list-ports", "br1", "--", "list-ifaces", "br0", "--",
                   "port-to-br", "px")
        assert r.returncode == 0, r.stderr
        err = generic.VLOG_RE.sub(lambda m: m.group(2) + "|", r.stderr)
        lines = err.splitlines()
        assert len(lines) == 2, err
        port_warn = [l for l in lines if "port is in multiple" in l]
        iface_warn = [l for l in lines if "interface is in multiple" in l]
        assert len(port_warn) == len(iface_warn) == 1, err
        # "(later and first)": the first listing wins.
        first_br = port_warn[0].split(" and ")[1].rstrip(")")
        assert port_warn[0] == ("WARN|px: port is in multiple bridges "
                                "(%s and %s)"
                                % ({"br0": "br1", "br1": "br0"}[first_br],
                                   first_br))
        assert iface_warn[0] in (
            "WARN|ib: interface is in multiple ports (pa and pb)",
            "WARN|ib: interface is in multiple ports (pb and pa)")
        out = r.stdout.split("\n")
        br0_ports = ["pa", "pb"] + (["px"] if first_br == "br0" else [])
        br1_ports = ["px"] if first_br == "br1" else []
        ifaces = ["ia", "ib"] + (["ix"] if first_br == "br0" else [])
        assert out == br0_ports + br1_ports + ifaces + [first_br, ""], \
            (side.tool, r.stdout, r.stderr)
