"""The field mask of the pipeline engine is safe for a flow cache.

For every packet of the scenario catalogue, on the southbound database of
the real ovn-northd and of weft-northd, weft-trace --check-mask runs the
packet, then flips header bits outside the result's mask (each alone, all
at once, random subsets) and runs again: each result must be what the
datapath's cache would make of the first one (same outputs with the same
changed fields, unchanged ones passed through; same drops).
pipeline/pipeline-maskcheck.c does the flipping; this test drives it and
test_mask_summary prints the average mask size.
"""

import re

import pytest

import scenariolib
import weftlib

SCENARIOS = {s.name: s for s in scenariolib.load_catalogue()}
SERVER = {"ovn": "ovsdb-server", "weft": "weft-db"}
_BITS = {}

_MASK_LINE = re.compile(r"^# mask: (\d+) header bits; (\d+) flipped runs, "
                        r"(\d+) unsafe$", re.M)


def check_mask(plane, pkt):
    """Runs weft-trace --check-mask on 'pkt' (once per --select-id);
    returns [(bits, runs, unsafe, output)]."""
    exe = weftlib.need_binary("cli/weft-trace")
    sids = pkt.get("select_id")
    results = []
    for sid in sids if isinstance(sids, list) else [sids]:
        argv = [exe, "--db=" + plane.db.remote("sb"), "--minimal",
                "--check-mask"]
        argv += ["--ct=" + flags for flags in pkt.get("ct") or ()]
        if pkt.get("lb_dst") is not None:
            argv.append("--lb-dst=%s" % pkt["lb_dst"])
        if sid is not None:
            argv.append("--select-id=%s" % sid)
        proc = weftlib.run(argv + [pkt["dp"], pkt["flow"]], check=False,
                           timeout=300)
        m = _MASK_LINE.search(proc.stdout)
        assert m, "no mask line:\n%s%s" % (proc.stdout, proc.stderr)
        bits, runs, unsafe = (int(g) for g in m.groups())
        assert proc.returncode == (1 if unsafe else 0), proc.stderr
        results.append((bits, runs, unsafe, proc.stdout))
    return results


@pytest.mark.parametrize("northd,name", [
    pytest.param(n, s, id="%s-%s" % (n, s))
    for n in SERVER for s in sorted(SCENARIOS)])
def test_mask_is_safe(northd, name, tmp_path):
    scenariolib.need_ovn()
    weftlib.need_binary("cli/weft-trace")
    scenario = SCENARIOS[name]
    errors = []
    with scenariolib.ControlPlane(tmp_path, SERVER[northd],
                                  northd) as plane:
        plane.load(scenario)
        for i, pkt in enumerate(scenario.packets, 1):
            for bits, runs, unsafe, out in check_mask(plane, pkt):
                _BITS.setdefault(northd, []).append(bits)
                # Something was flipped: a mask never covers everything.
                assert runs > 1, out
                if unsafe:
                    errors.append("packet %d %r (%s %s):\n%s" % (
                        i, pkt.get("name", ""), pkt["dp"], pkt["flow"],
                        "\n".join(line for line in out.splitlines()
                                  if line.startswith(("# mask",
                                                      "unsafe")))))
    assert not errors, "\n".join(errors)


def test_mask_summary():
    """Prints the average mask size (runs after test_mask_is_safe)."""
    if not _BITS:
        pytest.skip("no mask checked")
    for northd, bits in sorted(_BITS.items()):
        print("\nfield mask on the SB of %s-northd: %.1f header bits on "
              "average over %d runs (min %d, max %d)"
              % (northd, sum(bits) / len(bits), len(bits), min(bits),
                 max(bits)))
