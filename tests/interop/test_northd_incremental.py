"""weft-northd's incremental paths against its own full recompute.

weft-northd recomputes everything only when it must: a change to plain
VIF switch ports alone takes the incremental port path, and the echoes
of its own writes take no compile at all (northd/northd.h).  The full
recompute stays the reference:

  - test_incremental_matches_full: a topology with routers, port groups,
    ACLs, DHCP and a localnet switch, then a seeded random sequence of NB
    changes (VIF ports added, deleted, readdressed, secured, disabled,
    given options or DHCPv4/DHCPv6 options; ports joining and leaving
    port groups, alone or created in the same transaction; ACLs added to
    and deleted from a port group or a switch), mixed with changes that
    force a full run.  After every third step (--wait=sb) a forced full
    recompute must write nothing: the incremental result is what a full
    run gives, also after a chain of incremental runs.  Most steps must
    have taken the incremental path (northd/stats), so the test cannot
    pass by always falling back, and each port group, DHCP and ACL step
    that should be incremental must have been.
  - test_fallbacks: the changes that must fall back to a full run (a
    switch's first ACL or first allow-related one, a port group with ACLs
    gaining or losing a switch) do, and their neighbours do not.
  - test_one_change_one_compile: one --wait=sb lsp-add costs exactly one
    compile; the echoes of weft-northd's own transactions are skipped.
  - test_stats_clear: northd/stats-clear resets the longest run.

Each runs on weft-db and on ovsdb-server (whose update echoes weft-northd
must recognise as well).
"""

import random
import re
import time

import pytest

import weftlib
from northdlib import nbctl, need_ovn, select_all, start_weft_northd


@pytest.fixture(params=["weft-db", "ovsdb-server"])
def setup(tmp_path, request):
    need_ovn()
    dbclass = (weftlib.WeftDb if request.param == "weft-db"
               else weftlib.OvsdbServer)
    db, northd = start_weft_northd(tmp_path, dbclass)
    yield db, northd
    weftlib.stop_all([northd, db])


def runs(northd):
    """(full, incremental, skipped) run counts from northd/stats."""
    stats = northd.appctl("northd/stats").stdout
    m = re.search(r"runs: full (\d+), incremental (\d+), skipped (\d+)",
                  stats)
    assert m, stats
    return tuple(int(x) for x in m.groups())


def topology(nb):
    cmds = [
        ["ls-add", "sw0"], ["ls-add", "sw1"], ["ls-add", "pub"],
        ["lr-add", "r0"],
        ["lrp-add", "r0", "r0-sw0", "00:00:00:00:ff:01", "10.0.0.1/24",
         "fd00::1/64"],
        ["lrp-add", "r0", "r0-sw1", "00:00:00:00:ff:02", "10.0.1.1/24"],
        ["lrp-add", "r0", "r0-pub", "00:00:00:00:ff:03", "172.16.0.1/24"],
        ["lsp-add", "sw0", "sw0-r0"], ["lsp-set-type", "sw0-r0", "router"],
        ["lsp-set-addresses", "sw0-r0", "router"],
        ["lsp-set-options", "sw0-r0", "router-port=r0-sw0"],
        ["lsp-add", "sw1", "sw1-r0"], ["lsp-set-type", "sw1-r0", "router"],
        ["lsp-set-addresses", "sw1-r0", "router"],
        ["lsp-set-options", "sw1-r0", "router-port=r0-sw1"],
        ["lsp-add", "pub", "pub-r0"], ["lsp-set-type", "pub-r0", "router"],
        ["lsp-set-addresses", "pub-r0", "router"],
        ["lsp-set-options", "pub-r0", "router-port=r0-pub"],
        ["lsp-add", "pub", "ln"], ["lsp-set-type", "ln", "localnet"],
        ["lsp-set-addresses", "ln", "unknown"],
        ["lsp-set-options", "ln", "network_name=phys"],
        ["lsp-add", "sw0", "a1"],
        ["lsp-set-addresses", "a1", "00:00:00:00:01:01 10.0.0.11"],
        ["lsp-add", "sw1", "b1"],
        ["lsp-set-addresses", "b1", "00:00:00:00:02:01 10.0.1.11"],
        ["pg-add", "pg1", "a1", "b1"],
        ["pg-add", "pg2"],
        ["acl-add", "pg1", "to-lport", "1003", "outport == @pg1 && ip4",
         "allow-related"],
        ["acl-add", "sw0", "from-lport", "1001", "ip4", "allow"],
        ["lr-nat-add", "r0", "snat", "172.16.0.100", "10.0.0.0/24"],
    ]
    argv = []
    for c in cmds:
        argv += c + ["--"]
    nbctl(nb, *argv[:-1])
    uuid = nbctl(nb, "create", "DHCP_Options", "cidr=10.0.0.0/24",
                 'options="lease_time"="3600" "router"="10.0.0.1" '
                 '"server_id"="10.0.0.1" "server_mac"="00:00:00:00:ff:01"'
                 ).stdout.strip()
    nbctl(nb, "lsp-add", "sw0", "d1", "--", "lsp-set-addresses", "d1",
          "00:00:00:00:01:99 10.0.0.99", "--", "lsp-set-dhcpv4-options",
          "d1", uuid)
    uuid6 = nbctl(nb, "create", "DHCP_Options", "cidr=fd00\\:\\:/64",
                  'options="server_id"="00:00:00:00:ff:01"').stdout.strip()
    return uuid, uuid6


class Steps:
    """Random NB changes; 'ports' are the VIFs the steps own."""

    def __init__(self, nb, seed, dhcp=(None, None)):
        self.nb = nb
        self.dhcp = dhcp        # DHCPv4 and DHCPv6 DHCP_Options uuids.
        self.with_dhcp = set()  # (port, "dhcpv4"/"dhcpv6") set.
        self.acls = set()       # (entity, direction, priority, match)
        self.rng = random.Random(seed)
        self.ports = {}         # name -> switch
        self.next = 1
        self.n_full_steps = 0
        # Owned VIFs in each port group.  pg1 (ACLs, allow-related) also
        # always holds a1 (sw0) and b1 (sw1); pg2 has no ACLs.
        self.pgs = {"pg1": set(), "pg2": set()}
        self.base = {"pg1": ["a1", "b1"], "pg2": []}
        self.b1_in_pg1 = True
        self.expect = None      # "incremental": the step must be.

    def pg_set(self, pg):
        return ["pg-set-ports", pg] + self.base[pg] + sorted(self.pgs[pg])

    def pg_step(self, r):
        """Port group membership: incremental unless a group with ACLs
        gains or loses a switch (pg1 on "pub", or b1 back on sw1)."""
        pg = "pg1" if r < 0.5 else "pg2"
        self.expect = "incremental"
        if pg == "pg1" and not self.b1_in_pg1:
            self.expect = None
            self.b1_in_pg1 = True
        if r < 0.25 or 0.5 <= r < 0.75:
            # A new port joins its group in the same transaction.
            sw = self.rng.choice(["sw0", "sw1"] if pg == "pg1"
                                 else ["sw0", "sw1", "pub"])
            name = "v%d" % self.next
            addr = self.addr(sw)
            self.ports[name] = sw
            self.pgs[pg].add(name)
            return (["lsp-add", sw, name, "--", "lsp-set-addresses", name,
                     addr, "--"] + self.pg_set(pg))
        # An existing port joins or leaves.
        name = self.vif()
        if pg == "pg1" and self.ports[name] == "pub":
            self.n_full_steps += 1
            self.expect = None
        if name in self.pgs[pg]:
            self.pgs[pg].discard(name)
        else:
            self.pgs[pg].add(name)
        return self.pg_set(pg)

    def dhcp_step(self, r):
        """Ports with DHCPv4/DHCPv6 options: always incremental."""
        self.expect = "incremental"
        v = "dhcpv4" if r < 0.6 else "dhcpv6"
        uuid = self.dhcp[0] if v == "dhcpv4" else self.dhcp[1]
        if r < 0.3:
            sw = self.rng.choice(["sw0", "sw1", "pub"])
            name = "v%d" % self.next
            self.ports[name] = sw
            self.with_dhcp.add((name, v))
            return ["lsp-add", sw, name, "--", "lsp-set-addresses", name,
                    self.addr(sw), "--", "lsp-set-%s-options" % v, name,
                    uuid]
        name = self.vif()
        had = (name, v) in self.with_dhcp
        if self.rng.random() < 0.3:
            self.with_dhcp.discard((name, v))
            if not had:
                self.expect = None      # No change: no run.
            return ["lsp-set-%s-options" % v, name]     # Cleared.
        self.with_dhcp.add((name, v))
        if had:
            self.expect = None
        return ["lsp-set-%s-options" % v, name, uuid]

    def acl_step(self, r):
        """ACLs added to and deleted from pg1, sw0 and sw1, which are
        stateful already (pg1 has an allow-related ACL and spans both
        switches while b1 is in it): incremental."""
        self.expect = "incremental" if self.b1_in_pg1 else None
        if self.acls and r < 0.4:
            acl = self.rng.choice(sorted(self.acls))
            self.acls.discard(acl)
            return ["acl-del"] + list(acl)
        self.next += 1
        entity = self.rng.choice(["pg1", "sw0", "sw1"])
        direction = self.rng.choice(["from-lport", "to-lport"])
        port = "inport" if direction == "from-lport" else "outport"
        match = self.rng.choice([
            "%s == @pg1 && ip4 && tcp.dst == %d" % (port, self.next),
            "ip4.src == $pg1_ip4 && udp.dst == %d" % self.next,
            "ip6 && icmp6"])
        acl = (entity, direction, str(1000 + self.next % 1000), match)
        self.acls.add(acl)
        action = self.rng.choice(["allow", "allow-related", "drop",
                                  "reject", "allow-stateless"])
        extra = []
        if self.rng.random() < 0.3:
            extra = ["--log", "--name=acl%d" % self.next]
        if extra:
            extra = ["--"] + extra
        return extra + ["acl-add"] + list(acl[:3]) + [match, action]

    def addr(self, sw):
        n = self.next
        self.next += 1
        net = "10.0.0" if sw == "sw0" else "10.0.1"
        a = "00:00:00:10:%02x:%02x %s.%d" % (n // 256, n % 256, net,
                                            20 + n % 200)
        if self.rng.random() < 0.3:
            a += " fd00::%x" % (0x100 + n)
        return a

    def vif(self):
        return self.rng.choice(sorted(self.ports))

    def step(self):
        self.expect = None
        r = self.rng.random()
        if self.ports and r < 0.25:
            return self.pg_step(r / 0.25)
        if self.ports and self.dhcp[0] and r < 0.37:
            return self.dhcp_step((r - 0.25) / 0.12)
        if r < 0.47:
            return self.acl_step((r - 0.37) / 0.1)
        r = self.rng.random()
        if not self.ports or r < 0.3:
            sw = self.rng.choice(["sw0", "sw1", "pub"])
            name = "v%d" % self.next
            cmd = ["lsp-add", sw, name, "--", "lsp-set-addresses", name,
                   self.addr(sw)]
            if self.rng.random() < 0.3:
                cmd += ["--", "lsp-set-port-security", name,
                        self.addr(sw)]
            self.ports[name] = sw
            return cmd
        name = self.vif()
        if r < 0.45:
            del self.ports[name]
            for members in self.pgs.values():
                members.discard(name)
            return ["lsp-del", name]
        if r < 0.6:
            return ["lsp-set-addresses", name, self.addr(self.ports[name])]
        if r < 0.68:
            return ["lsp-set-port-security", name,
                    self.addr(self.ports[name])]
        if r < 0.76:
            return ["lsp-set-enabled", name,
                    self.rng.choice(["enabled", "disabled"])]
        if r < 0.84:
            return ["lsp-set-options", name,
                    self.rng.choice(["qdisc_queue_id=5",
                                     "requested-chassis=hv1",
                                     "mcast_flood=true", "foo=bar"])]
        if r < 0.87:
            # Addresses with "unknown" change the switch's _MC_unknown:
            # a full run.
            return ["lsp-set-addresses", name, "unknown"]
        self.n_full_steps += 1
        k = self.rng.randrange(4)
        if k == 0:
            # pg1 without b1 for a while: it leaves sw1 (the next pg1
            # step brings b1 back).
            self.pgs["pg1"] = {name}
            self.b1_in_pg1 = False
            return ["pg-set-ports", "pg1", "a1", name]
        if k == 1:
            self.next += 1
            return ["acl-add", "sw1", "to-lport", str(1000 + self.next),
                    'outport == "%s"' % name, "drop"]
        if k == 2:
            return ["set", "Logical_Switch", self.ports[name],
                    "external_ids:step=%d" % self.next]
        self.next += 1
        return ["lr-route-add", "r0", "192.168.%d.0/24" % (self.next % 250),
                "10.0.1.%d" % (2 + self.next % 200)]


def sb_rows(sb):
    rows = select_all(sb, "OVN_Southbound")
    rows.pop("SB_Global", None)     # nb_cfg moves with every sync.
    return rows


def full_writes_nothing(sb, northd, nb, label):
    """Forces a full recompute; fails if it changes SB."""
    incremental = sb_rows(sb)
    northd.appctl("inc-engine/recompute")
    nbctl(nb, "sync")
    full = sb_rows(sb)
    for table in full:
        if incremental[table] != full[table]:
            gone = set(incremental[table]) - set(full[table])
            new = set(full[table]) - set(incremental[table])
            changed = [u for u in set(full[table]) & set(
                incremental[table]) if full[table][u] !=
                incremental[table][u]]
            pytest.fail("%s: a full run rewrote %s: deleted %s, "
                        "inserted %s, changed %s"
                        % (label, table,
                           [incremental[table][u] for u in gone][:3],
                           [full[table][u] for u in new][:3],
                           [(incremental[table][u], full[table][u])
                            for u in changed][:3]))


def assert_no_failed_txn(northd):
    """A failed transaction makes weft-northd recompute in full, which
    would hide an incremental run's bad write: there must be none."""
    failed = [l for l in northd.log().splitlines()
              if "transaction failed" in l]
    assert not failed, failed[:3]


def test_incremental_matches_full(setup):
    db, northd = setup
    nb, sb = db.remote("nb"), db.remote("sb")
    dhcp = topology(nb)
    steps = Steps(nb, seed=20231103, dhcp=dhcp)
    start = runs(northd)
    n_steps = 100
    n_expected_incr = 0
    for i in range(n_steps):
        cmd = steps.step()
        before = runs(northd)
        nbctl(nb, *cmd)
        if steps.expect == "incremental":
            full, incr, _ = (b - a for a, b in zip(before, runs(northd)))
            assert (full, incr) == (0, 1), (i, cmd, full, incr)
            n_expected_incr += 1
        if i % 3 == 2 or i == n_steps - 1:
            # Not after every step: runs that build on incremental runs
            # (rows they inserted, adopted) must be checked too.
            full_writes_nothing(sb, northd, nb, "steps %d-%d, last %s"
                                % (i - i % 3, i, cmd))
    full, incr, _ = (b - a for a, b in zip(start, runs(northd)))
    # Each third step: a forced recompute.  The changes that force a
    # full run are a minority.
    assert full >= n_steps // 3
    assert incr >= 0.7 * n_steps, (full, incr, steps.n_full_steps)
    assert n_expected_incr >= 0.2 * n_steps, n_expected_incr
    assert_no_failed_txn(northd)


def test_fallbacks(setup):
    """Changes the incremental path must leave to a full run (a switch's
    ACL facts or a port group's span with ACLs change), and their
    neighbours that it takes."""
    db, northd = setup
    nb, sb = db.remote("nb"), db.remote("sb")
    topology(nb)
    cases = [
        # pub has no ACL: its first one changes its other ACL stages.
        (["acl-add", "pub", "from-lport", "1000", "ip4", "allow"], "full"),
        (["acl-add", "pub", "from-lport", "1001", "ip6", "drop"], "incr"),
        # pub's first allow-related ACL makes it stateful.
        (["acl-add", "pub", "to-lport", "1002", "tcp", "allow-related"],
         "full"),
        (["acl-del", "pub", "to-lport", "1002", "tcp"], "full"),
        (["acl-del", "pub", "from-lport", "1001", "ip6"], "incr"),
        (["acl-del", "pub"], "full"),
        # pg1 (ACLs) gains a switch; pg2 (none) may.
        (["lsp-add", "pub", "p1", "--", "lsp-set-addresses", "p1",
          "00:00:00:00:09:01 172.16.0.9", "--", "pg-set-ports", "pg1",
          "a1", "b1", "p1"], "full"),
        (["pg-set-ports", "pg1", "a1", "b1"], "full"),
        (["pg-set-ports", "pg2", "p1"], "incr"),
        (["lsp-set-addresses", "p1", "00:00:00:00:09:01 172.16.0.10"],
         "incr"),
        (["pg-set-ports", "pg2", "p1", "a1"], "incr"),
        (["pg-set-ports", "pg2", "a1"], "incr"),
        (["pg-set-ports", "pg2", "p1", "a1"], "incr"),
        # pg2 gains its first ACL: sw0 and pub change facts.
        (["acl-add", "pg2", "to-lport", "1003", "ip4", "allow"], "full"),
        (["pg-set-ports", "pg2", "p1"], "full"),
    ]
    for i, (cmd, kind) in enumerate(cases):
        before = runs(northd)
        nbctl(nb, *cmd)
        full, incr, _ = (b - a for a, b in zip(before, runs(northd)))
        assert (full, incr) == ((1, 0) if kind == "full" else (0, 1)), \
            (cmd, full, incr)
        if i == len(cases) - 1 or cases[i + 1][1] == "full":
            # Before a full run hides what incremental runs left.
            full_writes_nothing(sb, northd, nb, str(cmd))
    assert_no_failed_txn(northd)


def test_one_change_one_compile(setup):
    db, northd = setup
    nb = db.remote("nb")
    topology(nb)
    nbctl(nb, "sync")
    time.sleep(0.5)
    before = runs(northd)
    nbctl(nb, "lsp-add", "sw0", "new1", "--", "lsp-set-addresses", "new1",
          "00:00:00:00:07:01 10.0.0.71")
    time.sleep(1.0)             # Room for the echoes to come back.
    after = runs(northd)
    full, incr, skipped = (b - a for a, b in zip(before, after))
    assert (full, incr) == (0, 1), (before, after)
    assert skipped >= 1         # The echo of the SB and NB writes.
    stats = northd.appctl("northd/stats").stdout
    assert re.search(r"last incremental run time: \d+\.\d+ ms", stats)

    # A port created into its switch and its port group in one
    # transaction, as OpenStack does: one incremental compile too.
    before = runs(northd)
    nbctl(nb, "--id=@p", "create", "Logical_Switch_Port", "name=new2",
          'addresses="00:00:00:00:07:02 10.0.0.72"', "--", "add",
          "Logical_Switch", "sw0", "ports", "@p", "--", "add", "Port_Group",
          "pg1", "ports", "@p")
    time.sleep(1.0)
    after = runs(northd)
    full, incr, skipped = (b - a for a, b in zip(before, after))
    assert (full, incr) == (0, 1), (before, after)
    assert skipped >= 1
    sb = select_all(db.remote("sb"), "OVN_Southbound")
    sets = {r["name"]: r["addresses"] for r in sb["Address_Set"].values()}
    assert "10.0.0.72" in sets["pg1_ip4"][1], sets["pg1_ip4"]


def test_stats_clear(setup):
    db, northd = setup
    nb = db.remote("nb")
    topology(nb)
    stats = northd.appctl("northd/stats").stdout
    assert not re.search(r"\(longest 0\.000 ms\)", stats.splitlines()[3])
    northd.appctl("northd/stats-clear")
    stats = northd.appctl("northd/stats").stdout
    assert "last recompute time" in stats
    line = [l for l in stats.splitlines()
            if l.startswith("last recompute time")][0]
    assert line.endswith("(longest 0.000 ms)"), line
    nbctl(nb, "lsp-add", "sw0", "new2")
    stats = northd.appctl("northd/stats").stdout
    line = [l for l in stats.splitlines()
            if l.startswith("last recompute time")][0]
    assert not line.endswith("(longest 0.000 ms)"), line
