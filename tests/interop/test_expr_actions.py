"""Differential test of weft's action parser (expr/actions) against the
real ovn-trace 23.03.

The oracle (tests/expr/ovn_actions_oracle.py) writes action strings into a
scratch southbound database served by the real ovsdb-server and reads back
what ovn-trace says about them: the "parsing actions failed (ERROR)"
warning for a flow that does not parse, or the canonical form of each
action it executes.  weft's side is the weft-test-expr-actions helper.

  - Every input of tests/expr/actions-cases.txt (hand-written, good and
    bad) and of tests/expr/ovn-northd-23.03-actions.txt (every distinct
    action string the real ovn-northd wrote for a rich topology) must be
    accepted by both or rejected by both with the same message, in the
    ingress and in the egress pipeline.
  - For every input both accept, the actions ovn-trace executes must print
    exactly as weft formats them, for a packet built from the
    prerequisites weft computed (which therefore have to let the flow
    match).  ovn-trace 23.03 itself crashes on a few actions
    (put_nd_ra_opts, check_out_port_sec without an outport, loops through
    next(pipeline=ingress, table=0)); those are counted, not compared.
  - The two documented formatting differences (actions-format.c) are the
    only ones allowed.

Run:   /usr/bin/python3 -m pytest tests/interop/test_expr_actions.py
Skips unless the helper is built and OVN is installed.
"""

import os
import re
import subprocess
import sys

import pytest

import weftlib

sys.path.insert(0, os.path.join(weftlib.ROOT, "tests", "expr"))
import ovn_actions_oracle  # noqa: E402

CASES = os.path.join(weftlib.ROOT, "tests", "expr", "actions-cases.txt")
HARVEST = os.path.join(weftlib.ROOT, "tests", "expr",
                       "ovn-northd-23.03-actions.txt")

# Inputs whose canonical form deliberately differs from OVN's.
KNOWN_FORMAT_DIFFERENCES = {
    'bind_vport("a\\"b", inport);',          # weft escapes the quote.
    "set_meter(18446744073709551615);",      # OVN prints it signed: -1.
    "ct_commit(ct_mark=0/1);",               # OVN: "0/0x1" does not lex.
    "ct_commit(ct_label=0/1);",
    "fwd_group(liveness=true, childports=);",  # OVN: no "childports=".
    "fwd_group(childports=);",
    "fwd_group;",
}

# Prerequisites that imply IPv6, for building a packet.
V6 = {"ip6", "nd", "nd_ns", "nd_na", "nd_rs", "nd_ra", "icmp6", "mldv1",
      "mldv2"}
ND = {"nd", "nd_ns", "nd_na", "nd_rs", "nd_ra"}


def read_inputs(path):
    with open(path) as f:
        return [line.rstrip("\n") for line in f
                if line.strip() and not line.startswith("#")]


def weft_parse(inputs, *args):
    """Returns {input: "ERR msg" or ("OK", [actions], prereqs)}."""
    tool = weftlib.need_binary("tests/helpers/weft-test-expr-actions")
    r = weftlib.run([tool, "--split"] + list(args),
                    input="\n".join(inputs) + "\n")
    lines = r.stdout.splitlines()
    assert len(lines) == len(inputs)
    result = {}
    for inp, line in zip(inputs, lines):
        if line.startswith("OK "):
            body, prereqs = line[3:].split(" || ")
            result[inp] = ("OK", body.split(" @@ "), prereqs)
        else:
            assert line.startswith("ERR "), line
            result[inp] = line
    return result


@pytest.fixture(scope="module")
def oracle(tmp_path_factory):
    weftlib.need_tool("ovn-trace")
    o = ovn_actions_oracle.Oracle(tmp_path_factory.mktemp("oracle"))
    o.__enter__()
    yield o
    o.__exit__(None, None, None)


def compare_errors(oracle, inputs, pipeline):
    args = ["--egress"] if pipeline == "egress" else []
    weft = weft_parse(inputs, *args)
    ovn = oracle.errors(inputs, pipeline)
    diffs = []
    for inp in inputs:
        want = "ERR " + ovn[inp] if inp in ovn else "OK"
        got = weft[inp] if isinstance(weft[inp], str) else "OK"
        if got != want:
            diffs.append("%s\n  ovn-trace: %s\n  weft:      %s"
                         % (inp, want, got))
    assert not diffs, "\n".join(diffs)
    return sum(1 for inp in inputs if inp in ovn)


@pytest.mark.parametrize("pipeline", ["ingress", "egress"])
def test_cases_accepted_and_rejected_like_ovn(oracle, pipeline):
    inputs = read_inputs(CASES)
    n_errors = compare_errors(oracle, inputs, pipeline)
    # The case list exercises both sides.
    assert n_errors > 250
    assert len(inputs) - n_errors > 250


def test_harvest_parses_like_ovn(oracle):
    inputs = read_inputs(HARVEST)
    assert len(inputs) > 400
    assert compare_errors(oracle, inputs, "ingress") == 0


def microflow(prereqs):
    """A packet description (ovn-trace microflow) that satisfies the
    conjunction 'prereqs'."""
    toks = [t for t in prereqs.split(" && ") if t]
    s = set(toks)
    if s & V6:
        toks = [t for t in toks if t != "ip"] + ["ip6"]
    elif s & {"ip", "ip4", "tcp", "udp", "sctp", "icmp4", "igmp"}:
        toks = [t for t in toks if t != "ip"] + ["ip4"]
    if ("ip4" in toks or "ip6" in toks) and not s & ND:
        toks.append("ip.ttl == 64")
    return " && ".join(toks)


def traced_actions(oracle, actions, mf):
    """Runs ovn-trace on a flow with 'actions' for packet 'mf'; returns the
    top-level actions it printed, or None if it crashed or printed none."""
    oracle._reset([[("ingress", 0, actions, "1")]])
    r = oracle._run_trace("dp0", 'inport == "p1"' + (" && " + mf if mf
                                                      else ""))
    if r.returncode != 0:
        return None
    lines = r.stdout.splitlines()
    for i, line in enumerate(lines):
        if re.match(r"\s*0\. ", line):
            got = []
            for body in lines[i + 1:]:
                if re.match(r"\S", body):
                    break
                if (re.match(r"    \S.*;$", body)
                        and not body[4:].startswith("/*")):
                    got.append(body[4:])
            return got or None
    return None


@pytest.mark.parametrize("path,min_traced", [(CASES, 280), (HARVEST, 380)])
def test_format_matches_ovn_trace(oracle, path, min_traced):
    inputs = read_inputs(path)
    weft = weft_parse(inputs)
    diffs = []
    traced = 0
    for inp in inputs:
        if isinstance(weft[inp], str):
            continue
        _, acts, prereqs = weft[inp]
        got = traced_actions(oracle, inp, microflow(prereqs))
        if got is None:
            continue
        traced += 1
        if got != acts[:len(got)] and inp not in KNOWN_FORMAT_DIFFERENCES:
            diffs.append("%s\n  ovn-trace: %s\n  weft:      %s"
                         % (inp, got, acts[:len(got)]))
    assert not diffs, "\n".join(diffs)
    assert traced >= min_traced
