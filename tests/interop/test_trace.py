"""Differential test of weft-trace against OVN's ovn-trace.

For every scenario of the catalogue (tests/scenarios/*.yaml), the real
ovn-northd 23.03 compiles the topology on ovsdb-server; then every packet
is traced by ovn-trace --minimal and by weft-trace --minimal on the SAME
southbound database, and the two fates (tests/scenariolib.py
parse_minimal(), run on both outputs) must be equal.  When the fate is a
drop, weft-trace --detailed must end by naming the pipeline, table and
stage where the packet died.

Packets whose fates do not match yet are listed in NOT_YET with the reason;
the list is strict: a packet that starts matching must be taken off it.
test_summary prints the count matching / total.

Both tools run with --all, so the detailed, summary and minimal texts are
compared too (scenariolib.split_trace_all(): lflow UUIDs normalised,
weft-trace's own drop explanation left out): they must be byte-identical
except for the packets of TEXT_DIFFERS, whose differences are not layout
but a different flow matched on the way to the same fate; that list is
strict too.  scripts/trace-compare.py measures the same over the whole
catalogue and writes the diffs.
"""

import difflib
import re

import pytest

import scenariolib
import weftlib

SCENARIOS = {s.name: s for s in scenariolib.load_catalogue()}

# (scenario, packet number starting at 1) -> why weft-trace differs.
NOT_YET = {
}

# (scenario, packet) -> (formats whose text differs, why).  The same on
# both northds' southbounds.
_MCAST_ND = ("ovn-trace matches an IPv6 ND packet's egress by other flows "
             "than eth.mcast ones (nd, check_out_port_sec)")
_ND_NS = ("ovn-trace does not show lr_out_snat's nd_ns flow and takes a "
          "neighbour solicitation's eth.mcast flows differently")
_CT_PATCH = ("conntrack state across a patch port: ovn-trace keeps ct.trk, "
             "weft clears it, so another ls_in_acl_hint flow matches")
TEXT_DIFFERS = {
    ("arp-nd-responder", 9): ({"detailed", "summary"}, _MCAST_ND),
    ("arp-nd-responder", 10): ({"detailed", "summary"}, _MCAST_ND),
    ("switch-extras", 4): ({"detailed", "summary"}, _MCAST_ND),
    ("router-basic", 35): ({"detailed", "summary"}, _ND_NS),
    ("static-routes", 25): ({"detailed", "summary"}, _ND_NS),
    ("seed-vpc", 1): ({"detailed", "summary"}, _CT_PATCH),
    ("seed-vpc", 2): ({"detailed", "summary"}, _CT_PATCH),
    ("load-balancers", 10): ({"detailed", "summary", "minimal"},
                             "reply through ct_dnat then ct_lb: ovn-trace "
                             "sees ct.est|rpl and runs chk_lb_hairpin"),
}
TEXT_FORMATS = ("detailed", "summary", "minimal")

_RESULTS = {}
_SAME_TEXT = {}


def weft_trace(plane, dp, flow, ct=(), lb_dst=None, select_id=None,
               fmt="--minimal"):
    """Runs weft-trace like ControlPlane.trace() runs ovn-trace; returns
    (fate, output)."""
    if isinstance(select_id, list):
        fate, texts = (), []
        for sid in select_id:
            f, t = weft_trace(plane, dp, flow, ct, lb_dst, sid, fmt)
            fate += f
            texts.append("--select-id=%s\n%s" % (sid, t))
        return tuple(sorted(fate)), "".join(texts)
    argv = [weftlib.need_binary("cli/weft-trace"),
            "--db=" + plane.db.remote("sb"), fmt]
    argv += ["--ct=" + flags for flags in ct]
    if lb_dst is not None:
        argv.append("--lb-dst=%s" % lb_dst)
    if select_id is not None:
        argv.append("--select-id=%s" % select_id)
    proc = weftlib.run(argv + [dp, flow], check=False)
    if proc.returncode != 0:
        raise AssertionError("weft-trace %s %r failed:\n%s"
                             % (dp, flow, proc.stderr))
    return scenariolib.parse_minimal(proc.stdout), proc.stdout


def trace_texts(exe, plane, pkt):
    """Runs 'exe' (ovn-trace or weft-trace) --all on 'pkt', once per
    --select-id if a list; returns {format: text} with the texts of the
    runs joined."""
    sids = pkt.get("select_id")
    texts = dict.fromkeys(TEXT_FORMATS, "")
    fate, raw = (), ""
    for sid in sids if isinstance(sids, list) else [sids]:
        argv = [exe, "--db=" + plane.db.remote("sb"), "--all"]
        argv += ["--ct=" + flags for flags in pkt.get("ct") or ()]
        if pkt.get("lb_dst") is not None:
            argv.append("--lb-dst=%s" % pkt["lb_dst"])
        if sid is not None:
            argv.append("--select-id=%s" % sid)
        proc = weftlib.run(argv + [pkt["dp"], pkt["flow"]], check=False)
        assert proc.returncode == 0, proc.stderr
        split = scenariolib.split_trace_all(proc.stdout)
        for f in TEXT_FORMATS:
            texts[f] += split[f]
        fate += scenariolib.parse_minimal(split["minimal"])
        raw += proc.stdout
    return tuple(sorted(fate)), texts, raw


def compare_texts(name, i, real, mine):
    """Returns what is wrong with the texts 'real' and 'mine' of packet
    'i': a difference not listed in TEXT_DIFFERS, or a listed one that is
    gone; and the set of formats whose texts differ."""
    differ = {f for f in TEXT_FORMATS if real[f] != mine[f]}
    expected, _ = TEXT_DIFFERS.get((name, i), (set(), ""))
    problems = []
    for f in sorted(differ - expected):
        problems.append("packet %d: --%s text differs:\n%s" % (
            i, f, "".join(difflib.unified_diff(
                real[f].splitlines(True), mine[f].splitlines(True),
                "ovn-trace", "weft-trace"))))
    for f in sorted(expected - differ):
        problems.append("packet %d: --%s text is now identical; take it "
                        "off TEXT_DIFFERS" % (i, f))
    return problems, differ


def _params():
    for northd in ("ovn", "weft"):
        for name in sorted(SCENARIOS):
            yield pytest.param(northd, name, id="%s-%s" % (northd, name))


# The southbound database each packet is traced on: the real ovn-northd's
# (on ovsdb-server) or weft-northd's (on weft-db).
SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}


@pytest.mark.parametrize("northd,name", list(_params()))
def test_trace(northd, name, tmp_path):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    scenario = SCENARIOS[name]
    errors, unexpected_pass = [], []
    with scenariolib.ControlPlane(tmp_path, SERVER[northd],
                                  northd) as plane:
        plane.load(scenario)
        for i, pkt in enumerate(scenario.packets, 1):
            real, real_texts, real_text = trace_texts(
                weftlib.need_tool("ovn-trace"), plane, pkt)
            weft, weft_texts, weft_text = trace_texts(
                weftlib.need_binary("cli/weft-trace"), plane, pkt)
            ok = real == weft
            text_problems, differ = compare_texts(name, i, real_texts,
                                                  weft_texts)
            errors += text_problems
            _SAME_TEXT[(northd, name, i)] = differ
            if ok and not weft:
                # Every drop names where it happened: the detailed view
                # (first in --all) ends with it.
                ok = bool(re.search(r'^/\* Dropped in the (ingress|egress) '
                                    r'pipeline of "[^"]+", table \d+ '
                                    r'\([a-z0-9_]+\): .*, by logical flow '
                                    r'[0-9a-f]{8} .*\n# Summary trace\.$',
                                    weft_text, re.M))
            _RESULTS[(northd, name, i)] = ok
            why = NOT_YET.get((name, i))
            if ok and why:
                unexpected_pass.append("packet %d %r now matches; take it "
                                       "off NOT_YET" % (i, pkt.get("name")))
            elif not ok and not why:
                errors.append(
                    "packet %d %r\n  %s %s\n  ovn-trace:  %s\n%s"
                    "  weft-trace: %s\n%s"
                    % (i, pkt.get("name", ""), pkt["dp"], pkt["flow"],
                       scenariolib.format_fate(real), real_text,
                       scenariolib.format_fate(weft), weft_text))
    assert not errors and not unexpected_pass, \
        "\n".join(unexpected_pass + errors)


def test_summary():
    """Reports the count of packets matching (runs after test_trace)."""
    if not _RESULTS:
        pytest.skip("no trace ran")
    n_ok = sum(_RESULTS.values())
    for northd in SERVER:
        mine = [key for key in _RESULTS if key[0] == northd]
        print("\nweft-trace matches ovn-trace on %d of %d packets on the "
              "SB of %s-northd (identical text: %s)"
              % (sum(_RESULTS[k] for k in mine), len(mine), northd,
                 ", ".join("%s %d" % (f, sum(
                     f not in _SAME_TEXT.get(k, {f}) for k in mine))
                     for f in TEXT_FORMATS)))
    assert n_ok + len(NOT_YET) >= len(_RESULTS)


def test_drop_names_stage(tmp_path):
    """A dropped packet's detailed trace ends with where and why."""
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    scenario = SCENARIOS["port-security"]
    with scenariolib.ControlPlane(tmp_path, "ovsdb-server", "ovn") as plane:
        plane.load(scenario)
        for pkt in scenario.packets:
            if pkt["expect"] == "drop":
                fate, text = weft_trace(plane, pkt["dp"], pkt["flow"],
                                        pkt.get("ct") or (),
                                        fmt="--detailed")
                assert fate == ()
                last = text.strip().splitlines()[-1]
                assert last.startswith("/* Dropped in "), text
                assert "table " in last and "(ls_in_" in last, last
                break
        else:
            pytest.fail("port-security has no dropped packet")


def test_bad_microflow(tmp_path):
    scenariolib.need_ovn()
    exe = weftlib.need_binary("cli/weft-trace")
    scenario = SCENARIOS["l2-switching"]
    with scenariolib.ControlPlane(tmp_path, "ovsdb-server", "ovn") as plane:
        plane.load(scenario)
        proc = weftlib.run([exe, "--db=" + plane.db.remote("sb"),
                            scenario.packets[0]["dp"], "inport == "],
                           check=False)
        assert proc.returncode != 0
        assert "weft-trace: " in proc.stderr and "Syntax error" \
            in proc.stderr, proc.stderr
        proc = weftlib.run([exe, "--db=" + plane.db.remote("sb"),
                            "no-such-dp", "ip4"], check=False)
        assert proc.returncode != 0
        assert "unknown datapath" in proc.stderr or "ambiguous" \
            in proc.stderr, proc.stderr


def test_all_formats_text(tmp_path):
    """For a plain switched packet, weft-trace --all prints exactly what
    ovn-trace --all prints: packet line, detailed, summary, minimal."""
    scenariolib.need_ovn()
    exe = weftlib.need_binary("cli/weft-trace")
    scenario = SCENARIOS["l2-switching"]
    pkt = scenario.packets[0]
    with scenariolib.ControlPlane(tmp_path, "ovsdb-server", "ovn") as plane:
        plane.load(scenario)
        argv = ["--db=" + plane.db.remote("sb"), "--all", pkt["dp"],
                pkt["flow"]]
        real = weftlib.run([weftlib.need_tool("ovn-trace")] + argv)
        weft = weftlib.run([exe] + argv)
    assert weft.stdout == real.stdout, \
        "ovn-trace:\n%s\nweft-trace:\n%s" % (real.stdout, weft.stdout)


@pytest.mark.parametrize("flow,message,caret", [
    ('inport == "vm1" && ip4.src == 10.0.0.300',
     "Invalid numeric constant.", "ip4.src == ^~~~~~~~~~"),
    ('inport == "vm1" && eth.dst = 00:00:00:00:00:01',
     "Syntax error at `=' expecting relational operator.", "eth.dst ^"),
    ('inport == "vm1" && foo.bar == 1',
     "Syntax error at `foo.bar' expecting field name.", "&& ^~~~~~~"),
    ('inport == "vm1" && (ip4', "expecting `)'.", "(ip4^"),
])
def test_microflow_errors_point_at_the_token(tmp_path, flow, message,
                                            caret):
    """A bad microflow is refused with OVN's message and the microflow
    shown with the offending token underlined."""
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    with scenariolib.ControlPlane(tmp_path, "weft-db", "weft") as plane:
        plane.load(SCENARIOS["l2-switching"])
        proc = weftlib.run([weftlib.need_binary("cli/weft-trace"),
                            "--db=" + plane.db.remote("sb"), "sw0", flow],
                           check=False)
    assert proc.returncode != 0 and proc.stdout == ""
    lines = proc.stderr.splitlines()
    assert lines[0].startswith("weft-trace: ")
    assert message in lines[0], proc.stderr
    assert lines[1] == "  " + flow, proc.stderr
    # The caret line, laid under the microflow: what precedes the caret
    # in 'caret' must be what the microflow has just before that column.
    col = lines[2].index("^")
    before, mark = caret.split("^")
    assert flow[:col - 2].endswith(before), proc.stderr
    assert lines[2][col:] == "^" + mark, proc.stderr
