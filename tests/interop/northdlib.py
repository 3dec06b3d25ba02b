"""Helpers for the weft-northd interop tests: the northd daemons, the
reference topology, and a normalised snapshot of the southbound
database.

    real = weftlib.OvsdbServer(...); real.start()
    northd = OvnNorthd(workdir, real.remote("nb"), real.remote("sb"))
    northd.start()
    build_topology(real.remote("nb"), real.remote("sb"))
    snap = sb_snapshot(real.remote("sb"))     # {table: [row, ...]}
"""

import json
import os
import re
import time

import weftlib


def need_ovn():
    for tool in ("ovn-nbctl", "ovn-sbctl", "ovn-northd", "ovn-appctl"):
        weftlib.need_tool(tool)


class WeftNorthd(weftlib.Daemon):
    """weft-northd connected to 'nb' and 'sb' (remote lists)."""

    name = "weft-northd"

    def __init__(self, workdir, nb, sb, extra_args=()):
        self.binary = weftlib.need_binary("daemons/weft-northd")
        super().__init__(workdir)
        self.nb, self.sb = nb, sb
        self.extra_args = list(extra_args)
        self.log_path = os.path.join(self.workdir, "weft-northd.log")

    def _argv(self):
        return [self.binary, "--unixctl=" + self.ctl,
                "--log-file=" + self.log_path,
                "--ovnnb-db=" + self.nb, "--ovnsb-db=" + self.sb,
                "-vnorthd_session:file:dbg"] + self.extra_args

    def appctl(self, *args, check=True, timeout=30):
        tool = weftlib.need_weft_appctl()
        return weftlib.run([tool, "-t", self.ctl] + list(args), check=check,
                           timeout=timeout)

    def log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except OSError:
            return ""


class OvnNorthd(weftlib.Daemon):
    """The real ovn-northd connected to 'nb' and 'sb'."""

    name = "ovn-northd"

    def __init__(self, workdir, nb, sb):
        super().__init__(workdir)
        self.nb, self.sb = nb, sb

    def _argv(self):
        return [weftlib.need_tool("ovn-northd"), "--no-chdir",
                "--unixctl=" + self.ctl,
                "--log-file=" + os.path.join(self.workdir, "northd.log"),
                "--ovnnb-db=" + self.nb, "--ovnsb-db=" + self.sb]

    def appctl(self, *args, check=True, timeout=30):
        tool = weftlib.need_tool("ovn-appctl")
        return weftlib.run([tool, "-t", self.ctl] + list(args), check=check,
                           timeout=timeout)


def start_weft_northd(tmp_path, dbclass=weftlib.WeftDb):
    """Starts a database server of 'dbclass' (NB and SB) and weft-northd
    on it, under 'tmp_path'; returns (db, northd), both running."""
    db = dbclass(tmp_path / "db")
    db.start()
    northd = WeftNorthd(tmp_path / "northd", db.remote("nb"),
                        db.remote("sb"))
    try:
        northd.start()
    except BaseException:
        db.stop(check=False)
        raise
    return db, northd


def nbctl(nb, *args, wait=True, check=True):
    argv = [weftlib.need_tool("ovn-nbctl"), "--db=" + nb, "--timeout=30"]
    if wait:
        argv.append("--wait=sb")
    return weftlib.run(argv + list(args), check=check, timeout=40)


def sbctl(sb, *args, check=True):
    return weftlib.run([weftlib.need_tool("ovn-sbctl"), "--db=" + sb,
                        "--timeout=30"] + list(args), check=check,
                       timeout=40)


def nbctl_chain(nb, commands, wait=True):
    """Runs 'commands' (lists of words) as one ovn-nbctl transaction."""
    argv = []
    for cmd in commands:
        argv += cmd + ["--"]
    return nbctl(nb, *argv[:-1], wait=wait)


# The reference topology: every feature the bindings depend on.  Each
# entry is one ovn-nbctl transaction, run with --wait=sb so that both
# northds see the same sequence of changes (tunnel keys follow it).
def _router_lsp(ls, name, lrp, extra=()):
    return [["lsp-add", ls, name], ["lsp-set-type", name, "router"],
            ["lsp-set-addresses", name, "router"],
            ["lsp-set-options", name, "router-port=" + lrp] + list(extra)]


TOPOLOGY = [
    [["ls-add", "sw0"]],
    [["lsp-add", "sw0", "vm1"],
     ["lsp-set-addresses", "vm1", "00:00:00:00:00:01 10.0.0.11"],
     ["lsp-set-port-security", "vm1", "00:00:00:00:00:01 10.0.0.11"]],
    [["lsp-add", "sw0", "vm2"],
     ["lsp-set-addresses", "vm2", "00:00:00:00:00:02 10.0.0.12 fd00::12"],
     ["set", "Logical_Switch_Port", "vm2", "external_ids:foo=bar"]],
    [["lsp-add", "sw0", "vm3"], ["lsp-set-addresses", "vm3", "unknown"],
     ["lsp-set-enabled", "vm3", "disabled"]],
    [["lsp-add", "sw0", "cont1", "vm1", "42"],
     ["lsp-set-addresses", "cont1", "00:00:00:00:01:01 10.0.0.21"]],
    [["lsp-add", "sw0", "cont2", "vm1", "0"],
     ["lsp-set-addresses", "cont2", "00:00:00:00:01:02 10.0.0.22"]],
    [["lsp-add", "sw0", "lp0"], ["lsp-set-type", "lp0", "localport"],
     ["lsp-set-addresses", "lp0", "00:00:00:00:00:0a 10.0.0.10"]],
    _router_lsp("sw0", "sw0-r0", "r0-sw0"),
    [["ls-add", "sw1"],
     ["set", "Logical_Switch", "sw1",
      "external_ids:neutron\\:network_name=net1"]],
    [["lsp-add", "sw1", "vm4"],
     ["lsp-set-addresses", "vm4", "00:00:00:00:00:04 10.0.1.14"],
     ["lsp-set-options", "vm4", "requested-chassis=hv2",
      "mcast_flood=true"]],
    _router_lsp("sw1", "sw1-r0", "r0-sw1"),
    [["ls-add", "public"]],
    [["lsp-add", "public", "ln-public"],
     ["lsp-set-type", "ln-public", "localnet"],
     ["lsp-set-addresses", "ln-public", "unknown"],
     ["lsp-set-options", "ln-public", "network_name=phys"],
     ["set", "Logical_Switch_Port", "ln-public", "tag_request=100"]],
    _router_lsp("public", "public-r0", "r0-public", ["nat-addresses=router"]),
    [["lr-add", "r0"]],
    [["lrp-add", "r0", "r0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24",
      "fd00::1/64"]],
    [["lrp-add", "r0", "r0-sw1", "00:00:00:00:ff:02", "10.0.1.1/24"]],
    [["lrp-add", "r0", "r0-public", "00:00:00:00:ff:03", "172.16.0.1/24"],
     ["set", "Logical_Router_Port", "r0-public", "external_ids:x=y"]],
    [["lrp-set-gateway-chassis", "r0-public", "hv1", "20"],
     ["lrp-set-gateway-chassis", "r0-public", "hv2", "10"]],
    [["lr-nat-add", "r0", "snat", "172.16.0.100", "10.0.0.0/24"]],
    [["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.110", "10.0.0.11"]],
    [["lr-route-add", "r0", "0.0.0.0/0", "172.16.0.254"]],
    [["ls-add", "ext"]],
    [["lsp-add", "ext", "ln-ext"], ["lsp-set-type", "ln-ext", "localnet"],
     ["lsp-set-addresses", "ln-ext", "unknown"],
     ["lsp-set-options", "ln-ext", "network_name=physext"]],
    _router_lsp("ext", "ext-r1", "r1-ext"),
    [["lr-add", "r1"],
     ["set", "Logical_Router", "r1",
      "external_ids:neutron\\:router_name=router1"]],
    [["lrp-add", "r1", "r1-ext", "00:00:00:00:ee:01", "192.168.100.1/24"]],
    [["ha-chassis-group-add", "hag1"],
     ["ha-chassis-group-add-chassis", "hag1", "hv1", "30"],
     ["ha-chassis-group-add-chassis", "hag1", "hv3", "20"]],
    [["set", "Logical_Router_Port", "r1-ext", "ha_chassis_group=@hag"]],
    [["lrp-add", "r0", "r0-r1", "00:00:00:00:aa:01", "10.255.0.1/30",
      "peer=r1-r0"]],
    [["lrp-add", "r1", "r1-r0", "00:00:00:00:aa:02", "10.255.0.2/30",
      "peer=r0-r1"]],
    [["ls-add", "join"]],
    _router_lsp("join", "join-r0", "r0-join"),
    _router_lsp("join", "join-gw0", "gw0-join"),
    [["lrp-add", "r0", "r0-join", "00:00:00:00:bb:01", "100.64.0.1/24"]],
    [["lr-add", "gw0"], ["set", "Logical_Router", "gw0", "options:chassis=hv3"]],
    [["lrp-add", "gw0", "gw0-join", "00:00:00:00:bb:02", "100.64.0.2/24"]],
    [["lr-nat-add", "gw0", "snat", "100.64.0.2", "10.0.0.0/16"]],
    [["lsp-add", "sw1", "ext1"], ["lsp-set-type", "ext1", "external"],
     ["lsp-set-addresses", "ext1", "00:00:00:00:00:e1 10.0.1.50"],
     ["set", "Logical_Switch_Port", "ext1", "ha_chassis_group=@hag"]],
    [["create", "Address_Set", "name=as1",
      'addresses="10.0.0.11","10.0.1.14"']],
    [["create", "Address_Set", "name=as_empty"]],
    [["pg-add", "pg1", "vm1", "vm4"]],
    [["pg-add", "pg2", "vm2"]],
    [["pg-add", "pg_empty"]],
    [["acl-add", "pg1", "to-lport", "1003",
      "outport == @pg1 && ip4.src == $as1", "allow-related"]],
    [["acl-add", "pg2", "from-lport", "1002", "inport == @pg2 && ip4",
      "drop"]],
    [["acl-add", "sw0", "from-lport", "1001", "ip4", "allow"]],
    [["meter-add", "m1", "drop", "100", "pktps"]],
    [["meter-add", "m2", "drop", "2000", "kbps", "300"]],
    [["set", "Logical_Switch", "sw1", "other_config:mcast_snoop=true",
      "other_config:mcast_idle_timeout=100"]],
    # Distributed NAT, a load balancer VIP, multicast relay and flooding.
    # DNS records: one row on two switches (a name with capitals kept as
    # it is), one on no switch (no SB row), one empty.
    [["--id=@d", "create", "DNS",
      'records={"vm1.ovn.test"="10.0.0.11", "Mixed.Ovn.Test"="10.0.0.12"}',
      "external_ids:owner=test"],
     ["add", "Logical_Switch", "sw0", "dns_records", "@d"],
     ["add", "Logical_Switch", "sw1", "dns_records", "@d"],
     ["create", "DNS", 'records={"nowhere.test"="10.9.9.9"}'],
     ["--id=@e", "create", "DNS", "records={}"],
     ["add", "Logical_Switch", "public", "dns_records", "@e"]],
    [["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.120", "10.0.0.12", "vm2",
      "00:00:00:00:00:f2"]],
    [["lb-add", "lb0", "172.16.0.200:80", "10.0.0.11:8080", "tcp"],
     ["lr-lb-add", "r0", "lb0"]],
    [["set", "Logical_Router", "r0", "options:mcast_relay=true"],
     ["set", "Logical_Router_Port", "r0-sw1", "options:mcast_flood=true"],
     ["set", "Logical_Switch_Port", "vm2",
      "options:mcast_flood_reports=true"]],
    # A virtual port, requested tunnel keys, a disabled router port.
    [["lsp-add", "sw0", "vip0"], ["lsp-set-type", "vip0", "virtual"],
     ["lsp-set-addresses", "vip0", "00:00:00:00:00:0f 10.0.0.15"],
     ["lsp-set-options", "vip0", "virtual-ip=10.0.0.15",
      "virtual-parents=vm1,vm2"]],
    [["ls-add", "sw9"], ["set", "Logical_Switch", "sw9",
                         "other_config:requested-tnl-key=100"]],
    [["lsp-add", "sw9", "p9"], ["lsp-set-options", "p9",
                                "requested-tnl-key=77"]],
    [["lrp-add", "r1", "r1-off", "00:00:00:00:ee:09", "192.168.9.1/24"],
     ["lrp-set-enabled", "r1-off", "disabled"]],
]


def build_topology(nb, sb):
    """Creates three chassis in SB and the reference topology in NB."""
    for i in (1, 2, 3):
        sbctl(sb, "chassis-add", "hv%d" % i, "geneve", "192.168.0.%d" % i)
    hag = None
    for step in TOPOLOGY:
        cmds = []
        for cmd in step:
            if hag:
                cmd = [w.replace("@hag", hag) for w in cmd]
            cmds.append(cmd)
        nbctl_chain(nb, cmds)
        if step[0][0] == "ha-chassis-group-add":
            hag = nbctl(nb, "--bare", "--columns=_uuid", "find",
                        "HA_Chassis_Group", "name=hag1",
                        wait=False).stdout.strip()
    nbctl(nb, "dhcp-options-create", "10.0.0.0/24")
    dhcp = nbctl(nb, "--bare", "--columns=_uuid", "find", "DHCP_Options",
                 'cidr="10.0.0.0/24"', wait=False).stdout.strip()
    nbctl(nb, "dhcp-options-set-options", dhcp, "lease_time=3600",
          "router=10.0.0.1", "server_id=10.0.0.1",
          "server_mac=00:00:00:00:ff:01")
    nbctl(nb, "lsp-set-dhcpv4-options", "vm1", dhcp)


# Southbound snapshot.

UUID_RX = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                     r"[0-9a-f]{12}$")

# Tables northd does not write, or whose rows are compared inside others.
SKIP_TABLES = {"Logical_Flow", "Logical_DP_Group", "Chassis", "Encap",
               "Chassis_Private", "HA_Chassis", "Meter_Band", "Connection",
               "SSL"}


def select_all(remote, db):
    """Returns {table: {uuid: row}} with the raw OVSDB JSON values."""
    with weftlib.JsonRpcClient(remote) as c:
        schema = c.call("get_schema", [db])["result"]
        tables = sorted(schema["tables"])
        results = c.transact(db, *[{"op": "select", "table": t,
                                    "where": []} for t in tables])
    return {t: {r["_uuid"][1]: r for r in res["rows"]}
            for t, res in zip(tables, results)}


def _label(table, row):
    if table == "Datapath_Binding":
        return "DP:" + dict(row["external_ids"][1]).get("name", "?")
    for col in ("name", "logical_port", "table"):
        if isinstance(row.get(col), str):
            return "%s:%s" % (table, row[col])
    return None


def _elements(value):
    if isinstance(value, list) and value[0] == "set":
        return value[1]
    return [value]


def sb_snapshot(remote, skip=None):
    """The SB contents northd writes, as {table: sorted list of rows},
    with references replaced by names, random values by placeholders,
    and nothing that depends on UUIDs.  'skip' lists the tables left out
    (default SKIP_TABLES)."""
    skip = SKIP_TABLES if skip is None else skip
    data = select_all(remote, "OVN_Southbound")
    labels = {}
    for table, rows in data.items():
        for uuid, row in rows.items():
            label = _label(table, row)
            if label:
                labels[uuid] = label
    inline = {"HA_Chassis": data["HA_Chassis"],
              "Meter_Band": data["Meter_Band"]}

    def conv(value):
        if isinstance(value, list):
            if value[0] == "uuid":
                u = value[1]
                for rows in inline.values():
                    if u in rows:
                        return norm_row(rows[u])
                return labels.get(u, "UUID")
            if value[0] == "set":
                return sorted((conv(x) for x in value[1]), key=json.dumps)
            if value[0] == "map":
                return {str(conv(k)): conv(v) for k, v in value[1]}
        if isinstance(value, str) and UUID_RX.match(value):
            return "UUID"
        return value

    def norm_row(row):
        return {k: conv(v) for k, v in row.items()
                if k not in ("_uuid", "_version")}

    snap = {}
    for table, rows in data.items():
        if table in skip:
            continue
        out = []
        for row in rows.values():
            r = norm_row(row)
            _normalize_special(table, r)
            out.append(json.dumps(r, sort_keys=True))
        if out:
            snap[table] = sorted(out)
    return snap


def _sort_ips(entry):
    words = entry.split(" ")
    tail = [w for w in words[1:] if w.startswith("is_chassis_resident")]
    ips = sorted(w for w in words[1:] if w not in tail)
    return " ".join(words[:1] + ips + tail)


def _normalize_special(table, r):
    if table == "SB_Global":
        opts = r.get("options", {})
        for key in ("mac_prefix", "svc_monitor_mac"):
            if key in opts:
                opts[key] = "RANDOM"
        if "northd_internal_version" in opts:
            opts["northd_internal_version"] = "VERSION"
        r["nb_cfg"] = "N"       # How many syncs each side ran.
    elif table == "Address_Set" and r.get("name") == "svc_monitor_mac":
        r["addresses"] = "RANDOM"
    elif table == "Port_Binding":
        nat = r.get("nat_addresses")
        if isinstance(nat, str):
            r["nat_addresses"] = _sort_ips(nat)
        elif nat:
            r["nat_addresses"] = sorted(_sort_ips(e) for e in nat)


def diff_snapshots(a, b):
    """Returns a readable description of the differences, or ''."""
    lines = []
    for table in sorted(set(a) | set(b)):
        ra, rb = set(a.get(table, [])), set(b.get(table, []))
        for row in sorted(ra - rb):
            lines.append("only in first  %s: %s" % (table, row))
        for row in sorted(rb - ra):
            lines.append("only in second %s: %s" % (table, row))
    return "\n".join(lines)


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(0.05)
