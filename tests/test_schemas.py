"""Compatibility tests for weft's OVSDB schemas (schemas/*.ovsschema).

Each weft schema is compared against the schema installed by the upstream
OVN 23.03 / OVS 3.1 Debian packages, with schemas/check-compat.py and with
ovsdb-tool itself.  Tests skip when the reference schema or ovsdb-tool is
not installed.

Run with: /usr/bin/python3 -m pytest tests/test_schemas.py
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCHEMAS = os.path.join(ROOT, "schemas")
CHECKER = os.path.join(SCHEMAS, "check-compat.py")

# (weft schema file, reference schema, database name, schema version)
PAIRS = [
    ("ovn-nb.ovsschema", "/usr/share/ovn/ovn-nb.ovsschema",
     "OVN_Northbound", "7.0.0"),
    ("ovn-sb.ovsschema", "/usr/share/ovn/ovn-sb.ovsschema",
     "OVN_Southbound", "20.27.0"),
    ("vswitch.ovsschema", "/usr/share/openvswitch/vswitch.ovsschema",
     "Open_vSwitch", "8.3.1"),
]
IDS = [p[0] for p in PAIRS]


def weft_path(name):
    return os.path.join(SCHEMAS, name)


def need_reference(ref):
    if not os.path.exists(ref):
        pytest.skip("reference schema %s not installed" % ref)


def need_ovsdb_tool():
    tool = shutil.which("ovsdb-tool")
    if tool is None:
        pytest.skip("ovsdb-tool not installed")
    return tool


@pytest.mark.parametrize("weft,ref,name,version", PAIRS, ids=IDS)
def test_schema_is_plain_json(weft, ref, name, version):
    with open(weft_path(weft)) as f:
        schema = json.load(f)
    assert schema["name"] == name
    assert schema["version"] == version
    assert "cksum" not in schema


@pytest.mark.parametrize("weft,ref,name,version", PAIRS, ids=IDS)
def test_check_compat(weft, ref, name, version):
    need_reference(ref)
    r = subprocess.run([sys.executable, CHECKER, "--require-all-tables",
                        weft_path(weft), ref],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    assert r.returncode == 0, r.stdout


def test_check_compat_detects_differences(tmp_path):
    """The checker must notice a changed type and a missing column."""
    weft, ref = PAIRS[0][0], PAIRS[0][1]
    need_reference(ref)
    with open(weft_path(weft)) as f:
        schema = json.load(f)
    acl = schema["tables"]["ACL"]["columns"]
    acl["priority"]["type"]["key"]["maxInteger"] = 65535
    del acl["label"]
    mutated = tmp_path / "mutated.ovsschema"
    mutated.write_text(json.dumps(schema))
    r = subprocess.run([sys.executable, CHECKER, str(mutated), ref],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True)
    assert r.returncode == 1
    assert "ACL column priority: type differs" in r.stdout
    assert "ACL column label: missing from weft" in r.stdout


@pytest.mark.parametrize("weft,ref,name,version", PAIRS, ids=IDS)
def test_ovsdb_tool_create(weft, ref, name, version, tmp_path):
    tool = need_ovsdb_tool()
    path = weft_path(weft)
    db = str(tmp_path / "weft.db")

    def out(*args):
        return subprocess.check_output([tool] + list(args),
                                       universal_newlines=True).strip()

    subprocess.check_call([tool, "create", db, path])
    assert out("schema-name", path) == name
    assert out("schema-version", path) == version
    assert out("db-name", db) == name
    assert out("db-version", db) == version


@pytest.mark.parametrize("weft,ref,name,version", PAIRS, ids=IDS)
def test_ovsdb_tool_equal_to_reference(weft, ref, name, version, tmp_path):
    """ovsdb-tool's own schema comparison finds no difference.

    "needs-conversion" compares the canonical form of two schemas, cksum
    included, so the reference's cksum is dropped first.
    """
    need_reference(ref)
    tool = need_ovsdb_tool()
    with open(ref) as f:
        ref_schema = json.load(f)
    ref_schema.pop("cksum", None)
    ref_copy = tmp_path / "reference.ovsschema"
    ref_copy.write_text(json.dumps(ref_schema))
    db = str(tmp_path / "weft.db")
    subprocess.check_call([tool, "create", db, weft_path(weft)])
    r = subprocess.check_output([tool, "needs-conversion", db, str(ref_copy)],
                                universal_newlines=True).strip()
    assert r == "no"
