"""The real ovn-trace 23.03 as an oracle for the action language.

ovn-trace parses every Logical_Flow of the southbound database when it
starts, logs "ACTIONS: parsing actions failed (ERROR)" for each flow whose
actions do not parse, and prints every action it executes in OVN's
canonical form.  This module puts hand-made flows into a scratch
southbound database served by the real ovsdb-server and reads both back:

    with Oracle(workdir) as o:
        errors = o.errors(["next;", "foo;"])      # {"foo;": "Syntax ..."}
        lines = o.trace("reg0 = 1; next;", "ip4") # ["reg0 = 0x1;", ...]

Used by tests/interop/test_expr_actions.py, and on its own to explore:

    /usr/bin/python3 tests/expr/ovn_actions_oracle.py errors 'foo;' ...
    /usr/bin/python3 tests/expr/ovn_actions_oracle.py trace ACTIONS [MICROFLOW]
"""

import os
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

import weftlib  # noqa: E402

SB_SCHEMA = "/usr/share/ovn/ovn-sb.ovsschema"

# Port p1 (key 1) and p2 (key 2) exist on the datapath; ovn-trace needs
# the input port of a microflow to exist.
PORTS = {"p1": ("00:00:00:00:00:01", "10.0.0.1"),
         "p2": ("00:00:00:00:00:02", "10.0.0.2")}

# The DHCP option tables ovn-northd 23.03 fills in (ovn-trace reads them to
# parse put_dhcp_opts and put_dhcpv6_opts).
DHCP_OPTIONS = [
    ("offerip", 0, "ipv4"), ("netmask", 1, "ipv4"), ("router", 3, "ipv4"),
    ("dns_server", 6, "ipv4"), ("log_server", 7, "ipv4"),
    ("lpr_server", 9, "ipv4"), ("hostname", 12, "str"),
    ("domain_name", 15, "str"), ("swap_server", 16, "ipv4"),
    ("ip_forward_enable", 19, "bool"), ("policy_filter", 21, "ipv4"),
    ("default_ttl", 23, "uint8"), ("mtu", 26, "uint16"),
    ("broadcast_address", 28, "ipv4"), ("router_discovery", 31, "bool"),
    ("router_solicitation", 32, "ipv4"), ("arp_cache_timeout", 35, "uint32"),
    ("ethernet_encap", 36, "bool"), ("tcp_ttl", 37, "uint8"),
    ("tcp_keepalive_interval", 38, "uint32"), ("nis_server", 41, "ipv4"),
    ("ntp_server", 42, "ipv4"), ("netbios_name_server", 44, "ipv4"),
    ("netbios_node_type", 46, "uint8"), ("lease_time", 51, "uint32"),
    ("server_id", 54, "ipv4"), ("T1", 58, "uint32"), ("T2", 59, "uint32"),
    ("tftp_server", 66, "host_id"), ("bootfile_name", 67, "str"),
    ("domain_search_list", 119, "domains"),
    ("classless_static_route", 121, "static_routes"),
    ("tftp_server_address", 150, "ipv4"), ("path_prefix", 210, "str"),
    ("ms_classless_static_route", 249, "static_routes"),
    ("wpad", 252, "str"), ("next_server", 253, "ipv4"),
    ("bootfile_name_alt", 254, "str"),
]
DHCPV6_OPTIONS = [
    ("server_id", 2, "mac"), ("ia_addr", 5, "ipv6"),
    ("dns_server", 23, "ipv6"), ("domain_search", 24, "str"),
]

WARN_RE = re.compile(r"\|ovntrace\|WARN\|(.*): parsing actions failed "
                     r"\((.*)\)$")


class Oracle:
    def __init__(self, workdir):
        self.workdir = str(workdir)
        self.trace_tool = weftlib.need_tool("ovn-trace")
        self.server = weftlib.OvsdbServer(os.path.join(self.workdir, "sb"),
                                          schemas={"sb": SB_SCHEMA})

    def __enter__(self):
        self.server.start()
        return self

    def __exit__(self, *exc):
        self.server.stop()

    def _transact(self, *ops):
        with weftlib.JsonRpcClient(self.server.remote()) as c:
            return c.transact("OVN_Southbound", *ops)

    def _reset(self, flows):
        """Replaces the database contents by one datapath "dp" per entry of
        'flows' (dp0, dp1, ...), each with ports p1 and p2 and the flows
        listed: (pipeline, table, actions, match)."""
        ops = [{"op": "delete", "table": t, "where": []}
               for t in ("Logical_Flow", "Port_Binding",
                         "Datapath_Binding", "DHCP_Options",
                         "DHCPv6_Options")]
        for table, options in (("DHCP_Options", DHCP_OPTIONS),
                               ("DHCPv6_Options", DHCPV6_OPTIONS)):
            for name, code, type_ in options:
                ops.append({"op": "insert", "table": table,
                            "row": {"name": name, "code": code,
                                    "type": type_}})
        for i, dp_flows in enumerate(flows):
            dp = "dp%d" % i
            ops.append({"op": "insert", "table": "Datapath_Binding",
                        "uuid-name": dp,
                        "row": {"tunnel_key": i + 1,
                                "external_ids": ["map", [["name", dp]]]}})
            for key, (name, (mac, ip)) in enumerate(sorted(PORTS.items())):
                ops.append({"op": "insert", "table": "Port_Binding",
                            "row": {"datapath": ["named-uuid", dp],
                                    "logical_port": name if i == 0 else
                                    "%s-%d" % (name, i),
                                    "tunnel_key": key + 1,
                                    "mac": "%s %s" % (mac, ip)}})
            for pipeline, table, actions, match in dp_flows:
                ops.append({"op": "insert", "table": "Logical_Flow",
                            "row": {"logical_datapath": ["named-uuid", dp],
                                    "pipeline": pipeline,
                                    "table_id": table, "priority": 100,
                                    "match": match, "actions": actions}})
        self._transact(*ops)

    def _run_trace(self, dp, microflow):
        env = dict(os.environ, OVN_SB_DB=self.server.remote())
        return weftlib.run([self.trace_tool, "--no-leader-only",
                            dp, microflow], check=False, env=env)

    def errors(self, actions_list, pipeline="ingress", table=0):
        """Returns {actions: error} for every string of 'actions_list' that
        ovn-trace fails to parse (in 'pipeline', at table 'table')."""
        unique = sorted(set(actions_list))
        self._reset([[(pipeline, table, a, "1") for a in unique]])
        r = self._run_trace("dp0", 'inport == "p1"')
        found = {}
        for line in r.stderr.splitlines():
            m = WARN_RE.search(line)
            if m:
                found[m.group(1)] = m.group(2)
        return found

    def trace(self, actions, microflow="1", pipeline="ingress", table=0):
        """Returns the top-level actions ovn-trace prints as it executes
        the actions of a single flow that matches everything."""
        self._reset([[(pipeline, table, actions, "1")]])
        mf = 'inport == "p1"' + ("" if microflow == "1"
                                 else " && " + microflow)
        r = self._run_trace("dp0", mf)
        for line in r.stderr.splitlines():
            m = WARN_RE.search(line)
            if m:
                raise ValueError(m.group(2))
        lines = r.stdout.splitlines()
        out = []
        for i, line in enumerate(lines):
            if re.match(r"\s*%d\. " % table, line):
                for body in lines[i + 1:]:
                    if re.match(r"\S", body):
                        break
                    # Top-level actions are indented by exactly 4 and end
                    # with ';'; sub-sections (clone, ct_next...) and
                    # comments are skipped.
                    if re.match(r"    \S.*;$", body) and \
                            not body[4:].startswith("/*"):
                        out.append(body[4:])
                break
        return out


def main(argv):
    tmp = tempfile.mkdtemp(prefix="weft-oracle.")
    try:
        with Oracle(tmp) as o:
            if argv[0] == "errors":
                errs = o.errors(argv[1:],
                                os.environ.get("PIPELINE", "ingress"),
                                int(os.environ.get("TABLE", "0")))
                for a in argv[1:]:
                    print("%s\n    -> %s" % (a, errs.get(a, "(parses)")))
            elif argv[0] == "fmt":
                mf = os.environ.get("MF", "ip4 && tcp")
                errs = o.errors(argv[1:])
                for a in argv[1:]:
                    if a in errs:
                        print("%-50s ERR %s" % (a, errs[a]))
                    else:
                        try:
                            out = " ".join(o.trace(a, mf))
                        except ValueError as e:
                            out = "?? %s" % e
                        print("%-50s  => %s" % (a, out))
            elif argv[0] == "raw":
                o._reset([[("ingress", 0, argv[1], "1")]])
                mf = 'inport == "p1"' + (" && " + argv[2] if len(argv) > 2
                                         else "")
                r = o._run_trace("dp0", mf)
                print(r.stdout + r.stderr)
            elif argv[0] == "trace":
                for line in o.trace(argv[1], *argv[2:]):
                    print(line)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
