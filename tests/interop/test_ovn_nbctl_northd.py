"""The real ovn-nbctl and ovn-northd (OVN 23.03) on weft-db, compared with
the same on the real ovsdb-server: the same NB topology must yield the
same southbound logical flows and port bindings."""

import collections
import os
import re

import pytest

import weftlib

OVN_SCHEMAS = {"nb": "/usr/share/ovn/ovn-nb.ovsschema",
               "sb": "/usr/share/ovn/ovn-sb.ovsschema"}


def _need_ovn():
    for tool in ("ovn-nbctl", "ovn-sbctl", "ovn-northd"):
        weftlib.need_tool(tool)
    for path in OVN_SCHEMAS.values():
        if not os.path.exists(path):
            pytest.skip("%s missing (OVN not installed)" % path)


class Northd(weftlib.Daemon):
    name = "ovn-northd"

    def __init__(self, workdir, nb, sb):
        super().__init__(workdir)
        self.nb, self.sb = nb, sb

    def _argv(self):
        return [weftlib.need_tool("ovn-northd"), "--no-chdir",
                "--unixctl=" + self.ctl,
                "--log-file=" + os.path.join(self.workdir, "northd.log"),
                "--ovnnb-db=" + self.nb, "--ovnsb-db=" + self.sb]


TOPOLOGY = []
for _s in range(2):
    TOPOLOGY.append(["ls-add", "sw%d" % _s])
    for _p in range(1, 4):
        _name = "sw%d-p%d" % (_s, _p)
        TOPOLOGY.append(["lsp-add", "sw%d" % _s, _name])
        TOPOLOGY.append(["lsp-set-addresses", _name,
                         "00:00:00:00:%02x:%02x 10.0.%d.%d"
                         % (_s, _p + 1, _s, _p + 1)])
    TOPOLOGY.append(["lsp-add", "sw%d" % _s, "sw%d-r0" % _s])
    TOPOLOGY.append(["lsp-set-type", "sw%d-r0" % _s, "router"])
    TOPOLOGY.append(["lsp-set-addresses", "sw%d-r0" % _s, "router"])
    TOPOLOGY.append(["lsp-set-options", "sw%d-r0" % _s,
                     "router-port=r0-sw%d" % _s])
TOPOLOGY += [
    ["lr-add", "r0"],
    ["lrp-add", "r0", "r0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24"],
    ["lrp-add", "r0", "r0-sw1", "00:00:00:00:ff:02", "10.0.1.1/24"],
    ["lrp-add", "r0", "r0-public", "00:00:00:00:ff:03", "172.16.0.1/24"],
    ["lrp-set-gateway-chassis", "r0-public", "hv1", "20"],
    ["ls-add", "public"],
    ["lsp-add", "public", "public-r0"],
    ["lsp-set-type", "public-r0", "router"],
    ["lsp-set-addresses", "public-r0", "router"],
    ["lsp-set-options", "public-r0", "router-port=r0-public"],
    ["lsp-add", "public", "ln-public"],
    ["lsp-set-type", "ln-public", "localnet"],
    ["lsp-set-addresses", "ln-public", "unknown"],
    ["lsp-set-options", "ln-public", "network_name=phys"],
    ["lr-nat-add", "r0", "snat", "172.16.0.100", "10.0.0.0/24"],
    ["lr-nat-add", "r0", "dnat_and_snat", "172.16.0.110", "10.0.0.2"],
    ["lr-route-add", "r0", "0.0.0.0/0", "172.16.0.254"],
    ["acl-add", "sw0", "from-lport", "1002", "ip4 && tcp.dst==22",
     "allow-related"],
    ["acl-add", "sw0", "to-lport", "1001", "ip4", "drop"],
    ["create", "Address_Set", "name=as1",
     'addresses="10.0.0.2","10.0.1.2"'],
    ["pg-add", "pg1", "sw0-p1", "sw1-p1"],
    ["acl-add", "pg1", "to-lport", "1003",
     "outport == @pg1 && ip4.src == $as1", "allow"],
    ["lb-add", "lb0", "172.16.0.200:80", "10.0.0.2:8080,10.0.1.2:8080",
     "tcp"],
    ["ls-lb-add", "sw0", "lb0"],
    ["lr-lb-add", "r0", "lb0"],
]

UUID_RX = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
                     r"[0-9a-f]{12}")
COOKIE_RX = re.compile(r"uuid=0x[0-9a-f]+")


def build_and_collect(nb_remote, sb_remote, workdir):
    nbctl = weftlib.need_tool("ovn-nbctl")
    sbctl = weftlib.need_tool("ovn-sbctl")
    northd = Northd(os.path.join(workdir, "northd"), nb_remote, sb_remote)
    northd.start()
    try:
        base = [nbctl, "--db=" + nb_remote, "--timeout=30"]
        # A few separate invocations (each a transaction), then the rest
        # in one.
        for cmd in TOPOLOGY[:6]:
            weftlib.run(base + cmd, timeout=40)
        argv = list(base)
        for cmd in TOPOLOGY[6:]:
            argv += cmd + ["--"]
        weftlib.run(argv[:-1], timeout=40)
        weftlib.run(base + ["--wait=sb", "sync"], timeout=40)
        sb = [sbctl, "--db=" + sb_remote, "--timeout=30"]
        lflows = weftlib.run(sb + ["lflow-list"], timeout=40).stdout
        pbs = weftlib.run(sb + ["--format=csv", "--no-headings",
                                "--columns=logical_port,type,tunnel_key,"
                                "datapath", "list", "Port_Binding"],
                          timeout=40).stdout
        dps = weftlib.run(sb + ["--format=csv", "--no-headings",
                                "--columns=_uuid,external_ids",
                                "list", "Datapath_Binding"],
                          timeout=40).stdout
        assert northd.proc.poll() is None, northd.output()
    finally:
        northd.stop()
    return lflows, pbs, dps


def norm_lflows(text):
    lines = []
    for line in text.splitlines():
        line = COOKIE_RX.sub("uuid=X", line)
        line = UUID_RX.sub("UUID", line)
        lines.append(line.rstrip())
    return sorted(lines)


def norm_port_bindings(pbs, dps):
    dp_name = {}
    for line in dps.splitlines():
        uuid, ext = line.split(",", 1)
        m = re.search(r'name=(?:\\?")?([\w-]+)', ext)
        dp_name[uuid] = m.group(1) if m else uuid
    rows = []
    for line in pbs.splitlines():
        port, typ, key, dp = line.split(",")
        rows.append((port.strip('"'), typ.strip('"'), int(key),
                     dp_name.get(dp, dp)))
    return sorted(rows)


@pytest.fixture
def results(tmp_path):
    _need_ovn()
    out = {}
    real = weftlib.OvsdbServer(tmp_path / "real", schemas=OVN_SCHEMAS)
    real.start()
    try:
        out["real"] = build_and_collect(real.remote("nb"), real.remote("sb"),
                                        str(tmp_path / "real"))
    finally:
        real.stop()
    weft = weftlib.WeftDb(tmp_path / "weft", schemas=OVN_SCHEMAS)
    weft.start()
    try:
        out["weft"] = build_and_collect(weft.remote("nb"), weft.remote("sb"),
                                        str(tmp_path / "weft"))
        assert weft.proc.poll() is None, weft.output()
    finally:
        weft.stop()
    return out


def test_lflows_identical(results):
    real = norm_lflows(results["real"][0])
    weft = norm_lflows(results["weft"][0])
    assert len(real) > 300, "topology produced too few flows"
    # Sanity: the features of the topology are there.
    text = "\n".join(real)
    for needle in ("172.16.0.110", "172.16.0.200", "tcp.dst==22",
                   "ct_snat", "$as1"):
        assert needle in text, needle
    if real != weft:
        missing = collections.Counter(real) - collections.Counter(weft)
        extra = collections.Counter(weft) - collections.Counter(real)
        raise AssertionError(
            "lflow-list differs: %d lines only with ovsdb-server, %d only "
            "with weft-db\nonly real: %s\nonly weft: %s"
            % (sum(missing.values()), sum(extra.values()),
               list(missing)[:10], list(extra)[:10]))


def test_port_bindings_identical(results):
    real = norm_port_bindings(results["real"][1], results["real"][2])
    weft = norm_port_bindings(results["weft"][1], results["weft"][2])
    assert len(real) >= 10
    # Port names, types and datapaths are identical.
    assert [r[:2] + r[3:] for r in real] == [r[:2] + r[3:] for r in weft]
    # Tunnel keys: northd allocates them in its hash-table iteration
    # order, which depends on the (random) row UUIDs, so only the set of
    # keys used in each datapath must agree.
    def keys(rows):
        d = collections.defaultdict(set)
        for port, typ, key, dp in rows:
            d[dp].add(key)
        return dict(d)
    assert keys(real) == keys(weft)
