"""The scenario catalogue: topologies, packets and their expected fates.

A scenario (tests/scenarios/*.yaml) is an operator script plus packets:

    description: what the scenario covers
    nbctl: |              # ovn-nbctl commands, one per line (no "ovn-nbctl")
      ls-add sw0
      lsp-add sw0 vm1
    sbctl: |              # optional: ovn-sbctl commands run once northd has
      chassis-add hv1 geneve 127.0.0.1    # written the bindings
      lsp-bind vm1 hv1
    packets:
      - name: vm1 to vm2 on the same switch
        dp: sw0           # datapath the trace starts in
        flow: inport == "vm1" && eth.src == ... && eth.dst == ...
        ct: [new]         # optional --ct flags, in order
        lb_dst: 10.0.0.5:80   # optional --lb-dst (backend a ct_lb picks)
        select_id: 2      # optional --select-id (the member a select()
                          # picks); a list traces once per id and the
                          # fate is all their outputs together (ECMP
                          # member numbers follow row UUIDs, so only the
                          # set of next hops is stable)
        expect: [vm2]     # or "drop", or a list of outputs:
      - ...
        expect:
          - port: vm3
            via: [icmp4]                 # generated packets, outermost first
            headers: {ip.ttl: 63}        # subset of the final changed fields
            unchanged: [ip4.src]         # fields the pipeline must not change

A packet's *fate* is what OVN's ovn-trace --minimal says happens to it: the
set of outputs, each with the port, the packet-generating actions it came
through (arp, icmp4, nd_na, ...) and the final value of every header field
that was changed on the way (registers and flags are not header fields
and are left out).  An empty set is a drop.  The options of a
put_dhcp_opts / put_dhcpv6_opts action count as fields named
"put_dhcp_opts.OPTION" ("put_dhcpv6_opts.OPTION"), so that the offered
address and every option are part of the fate.  The catalogue's
'expect' is checked against the real ovn-northd's southbound database;
weft-northd must give every packet the same fate (tests/interop/
test_scenarios.py).

scripts/scenario-trace.py traces one scenario file and shows each fate
and the ovn-trace text of mismatches (for writing scenarios);
docs/scenario-facts.md lists what the catalogue found out about 23.03.

ControlPlane starts a database server (ovsdb-server or weft-db) serving
NB and SB, and a northd (the real ovn-northd or weft-northd) on it.
"""

import glob
import ipaddress
import os
import re
import shlex

import pytest
import yaml

import weftlib

ROOT = weftlib.ROOT
CATALOGUE = os.path.join(ROOT, "tests", "scenarios")
OVN_SCHEMAS = {"nb": "/usr/share/ovn/ovn-nb.ovsschema",
               "sb": "/usr/share/ovn/ovn-sb.ovsschema"}

# Nested blocks in ovn-trace's minimal output that make a new packet; any
# other block (clone, ct_dnat, ct_snat, ct_lb_mark, ...) acts on a copy of
# the packet it is given.
GENERATORS = {"arp", "nd_ns", "nd_na", "nd_na_router", "icmp4",
              "icmp4_error", "icmp6", "icmp6_error", "tcp_reset",
              "sctp_abort", "reject", "put_dhcp_opts", "put_dhcpv6_opts"}

# The keys a packet and one of its expected outputs may have.
PACKET_KEYS = {"name", "dp", "flow", "ct", "lb_dst", "select_id", "expect"}
OUTPUT_KEYS = {"port", "via", "headers", "unchanged"}

# Fields whose values ovn-trace may print as integers but are addresses.
IP4_FIELDS = {"ip4.src", "ip4.dst", "arp.spa", "arp.tpa"}
IP6_FIELDS = {"ip6.src", "ip6.dst", "nd.target"}
MAC_FIELDS = {"eth.src", "eth.dst", "arp.sha", "arp.tha", "nd.sll",
              "nd.tll"}


class Scenario:
    def __init__(self, name, data):
        self.name = name
        self.description = data.get("description", "")
        self.nbctl = _command_lines(data.get("nbctl", ""))
        self.sbctl = _command_lines(data.get("sbctl", ""))
        self.packets = []
        for i, pkt in enumerate(data.get("packets") or []):
            for key in ("dp", "flow", "expect"):
                if key not in pkt:
                    raise ValueError("%s: packet %d lacks '%s'"
                                     % (name, i + 1, key))
            unknown = set(pkt) - PACKET_KEYS
            expect = pkt["expect"]
            for item in expect if isinstance(expect, list) else ():
                if isinstance(item, dict):
                    unknown |= set(item) - OUTPUT_KEYS
            if unknown:
                raise ValueError("%s: packet %d has unknown key(s) %s"
                                 % (name, i + 1, ", ".join(sorted(unknown))))
            self.packets.append(pkt)


def _command_lines(text):
    lines = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            lines.append(shlex.split(line))
    return lines


def load_catalogue():
    """Returns every scenario of tests/scenarios, sorted by name."""
    scenarios = []
    for path in sorted(glob.glob(os.path.join(CATALOGUE, "*.yaml"))):
        name = os.path.splitext(os.path.basename(path))[0]
        with open(path) as f:
            scenarios.append(Scenario(name, yaml.safe_load(f)))
    return scenarios


# --- Daemons -------------------------------------------------------------

class _Northd(weftlib.Daemon):
    def __init__(self, workdir, nb, sb):
        super().__init__(workdir)
        self.nb, self.sb = nb, sb

    def _common_args(self):
        return ["--unixctl=" + self.ctl,
                "--log-file=" + os.path.join(self.workdir,
                                             self.name + ".log"),
                "--ovnnb-db=" + self.nb, "--ovnsb-db=" + self.sb]


class OvnNorthd(_Northd):
    """The real ovn-northd 23.03."""
    name = "ovn-northd"

    def _argv(self):
        return [weftlib.need_tool("ovn-northd"), "--no-chdir"] \
            + self._common_args()


class WeftNorthd(_Northd):
    """weft-northd, with ovn-northd's command line."""
    name = "weft-northd"

    def _argv(self):
        return [weftlib.need_binary("daemons/weft-northd")] \
            + self._common_args()


def need_ovn():
    for tool in ("ovn-nbctl", "ovn-sbctl", "ovn-northd", "ovn-trace"):
        weftlib.need_tool(tool)
    for path in OVN_SCHEMAS.values():
        if not os.path.exists(path):
            pytest.skip("%s missing (OVN not installed)" % path)


class ControlPlane:
    """NB and SB on 'server' ("ovsdb-server" or "weft-db") with 'northd'
    ("ovn" or "weft") compiling between them.  A context manager."""

    def __init__(self, workdir, server="ovsdb-server", northd="ovn"):
        need_ovn()
        workdir = str(workdir)
        cls = weftlib.OvsdbServer if server == "ovsdb-server" \
            else weftlib.WeftDb
        self.db = cls(os.path.join(workdir, server), OVN_SCHEMAS)
        ncls = OvnNorthd if northd == "ovn" else WeftNorthd
        # Constructing WeftNorthd checks nothing yet; _argv() skips if the
        # binary is missing, so check here before starting anything.
        if northd == "weft":
            weftlib.need_binary("daemons/weft-northd")
        self.northd = ncls(os.path.join(workdir, ncls.name),
                           self.db.remote("nb"), self.db.remote("sb"))

    def __enter__(self):
        self.db.start()
        try:
            self.northd.start()
        except BaseException:
            self.db.stop(check=False)
            raise
        return self

    def __exit__(self, *exc):
        weftlib.stop_all([self.northd, self.db])

    def _tool(self, tool, db, args, check=True, timeout=60):
        argv = [weftlib.need_tool(tool), "--db=" + self.db.remote(db)]
        return weftlib.run(argv + list(args), check=check, timeout=timeout)

    def nbctl(self, *args, **kw):
        return self._tool("ovn-nbctl", "nb", args, **kw)

    def sbctl(self, *args, **kw):
        return self._tool("ovn-sbctl", "sb", args, **kw)

    def load(self, scenario):
        """Builds 'scenario''s topology and waits for northd to compile
        it."""
        for argv in scenario.nbctl:
            self.nbctl(*argv)
        self.nbctl("--wait=sb", "--timeout=30", "sync")
        for argv in scenario.sbctl:
            self.sbctl(*argv)
        if scenario.sbctl:
            self.nbctl("--wait=sb", "--timeout=30", "sync")

    def trace(self, dp, flow, ct=(), lb_dst=None, select_id=None):
        """Runs ovn-trace --minimal and returns (fate, output, warnings).
        With a list of 'select_id's, traces once per id and returns the
        outputs of all of them as one fate."""
        if isinstance(select_id, list):
            fate, texts, warnings = (), [], []
            for sid in select_id:
                f, t, w = self.trace(dp, flow, ct, lb_dst, sid)
                fate += f
                texts.append("--select-id=%s\n%s" % (sid, t))
                warnings += w
            return tuple(sorted(fate)), "".join(texts), warnings
        argv = ["--db=" + self.db.remote("sb"), "--minimal"]
        argv += ["--ct=" + flags for flags in ct]
        if lb_dst is not None:
            argv.append("--lb-dst=%s" % lb_dst)
        if select_id is not None:
            argv.append("--select-id=%s" % select_id)
        proc = weftlib.run([weftlib.need_tool("ovn-trace")] + argv
                           + [dp, flow], check=False)
        if proc.returncode != 0:
            raise AssertionError("ovn-trace %s %r failed:\n%s"
                                 % (dp, flow, proc.stderr))
        return parse_minimal(proc.stdout), proc.stdout, flow_warnings(
            proc.stderr)


def flow_warnings(stderr):
    """The lines in which ovn-trace rejected a logical flow."""
    return [line for line in stderr.splitlines()
            if "parsing expression failed" in line
            or "parsing actions failed" in line]


# --- Fates ---------------------------------------------------------------

_ASSIGN = re.compile(r"^([a-z0-9_.]+(?:\[[0-9.]+\])?) = (.+);$")
_OUTPUT = re.compile(r'^output\("([^"]+)"\);$')
_BLOCK = re.compile(r"^([a-z0-9_]+)\s*(\((.*)\))?.*\{$")
_OF_TTL = re.compile(r"nw_ttl=(\d+)")
# Assignments that ovn-trace --minimal may print but that change logical
# metadata (registers, flags), not the packet.
_METADATA = re.compile(
    r"^(x{0,2}reg\d+|flags|inport|outport|ct_state|ct_mark|ct_label)(\b|\[)")
_DHCP = re.compile(r"^(put_dhcp_opts|put_dhcpv6_opts)\((.*)\);$")


def normalize_value(field, value):
    """Brings the same value printed two ways to one spelling."""
    value = value.strip()
    if value.startswith('"') and value.endswith('"'):
        return value[1:-1]
    try:
        number = int(value, 0)
    except ValueError:
        number = None
    if number is not None:
        if field in IP4_FIELDS:
            return str(ipaddress.IPv4Address(number))
        if field in IP6_FIELDS:
            return str(ipaddress.IPv6Address(number))
        if field in MAC_FIELDS:
            return ":".join("%02x" % b for b in number.to_bytes(6, "big"))
        return str(number)
    for cls in (ipaddress.IPv4Address, ipaddress.IPv6Address):
        try:
            return str(cls(value))
        except ValueError:
            pass
    return value.lower()


def _nat_assignments(inner):
    """Field changes written inside a ct block's parentheses, as in
    "ct_snat_in_czone(ip4.src=172.16.0.100)"."""
    changes = {}
    inner = re.sub(r"/\*.*?\*/", "", inner or "")
    for part in inner.split(","):
        if "=" in part:
            field, value = part.split("=", 1)
            if not _METADATA.match(field.strip()):
                changes[field.strip()] = value.strip()
    return changes


def _split_top(text):
    """Splits 'text' at the commas that are outside braces and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, c in enumerate(text):
        if c == '"' and (i == 0 or text[i - 1] != "\\"):
            quoted = not quoted
        elif not quoted and c == "{":
            depth += 1
        elif not quoted and c == "}":
            depth -= 1
        elif not quoted and depth == 0 and c == ",":
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _dhcp_options(action, args):
    """The options of a put_dhcp_opts or put_dhcpv6_opts line as fields
    "put_dhcp_opts.NAME" (the reply ovn-trace makes carries them)."""
    fields = {}
    for part in _split_top(args):
        name, _, value = part.partition("=")
        field = "%s.%s" % (action, name.strip())
        fields[field] = normalize_value(field, value)
    return fields


def parse_minimal(text):
    """Returns the fate of ovn-trace --minimal output 'text': a sorted
    tuple of (via, port, headers) where 'via' is the tuple of generating
    actions, and 'headers' a sorted tuple of (field, value) changes."""
    lines = text.splitlines()
    ttl = None
    if lines and lines[0].startswith("#"):
        m = _OF_TTL.search(lines[0])
        ttl = int(m.group(1)) if m else None
    outputs = []
    stack = []
    fields, via = {}, ()
    for line in lines[1:]:
        line = line.strip()
        if not line or line.startswith("/*"):
            continue
        m = _OUTPUT.match(line)
        if m:
            outputs.append((via, m.group(1),
                            tuple(sorted(fields.items()))))
            continue
        if line == "};":
            if stack:
                fields, via = stack.pop()
            continue
        m = _BLOCK.match(line)
        if m:
            stack.append((fields, via))
            fields = dict(fields)
            kind = m.group(1)
            if kind in GENERATORS:
                via = via + (kind,)
            else:
                for f, v in _nat_assignments(m.group(3)).items():
                    fields[f] = normalize_value(f, v)
            continue
        m = _DHCP.match(line)
        if m:
            fields.update(_dhcp_options(m.group(1), m.group(2)))
            continue
        if line == "ip.ttl--;":
            current = fields.get("ip.ttl")
            base = int(current) if current is not None else ttl
            fields["ip.ttl"] = str(base - 1) if base is not None \
                else "ttl-1"
            continue
        m = _ASSIGN.match(line)
        if m and not _METADATA.match(m.group(1)):
            fields[m.group(1)] = normalize_value(m.group(1), m.group(2))
    return tuple(sorted(outputs))


def format_fate(fate):
    if not fate:
        return "drop"
    parts = []
    for via, port, headers in fate:
        text = port
        if via:
            text = "/".join(via) + " -> " + text
        if headers:
            text += " [%s]" % ", ".join("%s=%s" % h for h in headers)
        parts.append(text)
    return "; ".join(parts)


def check_expect(fate, expect):
    """Returns None if 'fate' is what the catalogue's 'expect' says, else a
    message saying how it differs."""
    if expect == "drop":
        return None if not fate else "expected drop"
    if isinstance(expect, str):
        expect = [expect]
    wanted = []
    for item in expect:
        if isinstance(item, str):
            item = {"port": item}
        wanted.append(item)
    if len(wanted) != len(fate):
        return "expected %d output(s)" % len(wanted)
    remaining = list(fate)
    for item in wanted:
        match = None
        for out in remaining:
            if _output_matches(out, item):
                match = out
                break
        if match is None:
            return "no output matches %r" % (item,)
        remaining.remove(match)
    return None


def _output_matches(out, item):
    via, port, headers = out
    if port != item["port"]:
        return False
    if "via" in item and tuple(item["via"]) != via:
        return False
    have = dict(headers)
    for field, value in (item.get("headers") or {}).items():
        if have.get(field) != normalize_value(field, str(value)):
            return False
    return not any(field in have for field in item.get("unchanged") or ())


_ALL_BANNERS = {"# Detailed trace.": "detailed", "# Summary trace.": "summary",
                "# Minimal trace.": "minimal"}
_SHORT_UUID = re.compile(r"\buuid [0-9a-f]{8}\b")


def split_trace_all(text):
    """Splits the output of ovn-trace --all (or weft-trace --all) into
    {"packet", "detailed", "summary", "minimal"} texts, for comparing them
    byte by byte: the minimal text starts with the packet line, as
    ovn-trace --minimal prints it (parse_minimal() reads it); lflow UUIDs
    are normalised; weft-trace's "/* Dropped in ... */" line (with the
    blank line before it), which ovn-trace does not print, is left out."""
    parts = {"packet": "", "detailed": "", "summary": "", "minimal": ""}
    current = "packet"
    lines = text.splitlines(True)
    for n, line in enumerate(lines):
        if line.rstrip("\n") in _ALL_BANNERS:
            current = _ALL_BANNERS[line.rstrip("\n")]
            continue
        if line.startswith("/* Dropped in "):
            if parts[current].endswith("\n\n"):
                parts[current] = parts[current][:-1]
            continue
        parts[current] += line
    for key in ("detailed", "summary"):
        parts[key] = weftlib.normalize_uuids(_SHORT_UUID.sub(
            "uuid <lflow>", parts[key]))
    parts["minimal"] = parts["packet"] + parts["minimal"]
    return parts
