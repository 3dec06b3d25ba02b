#!/usr/bin/python3
"""Compare a weft OVSDB schema against a reference (upstream) schema.

Usage: check-compat.py [--require-all-tables] [--quiet] WEFT_SCHEMA REFERENCE_SCHEMA

Both schemas are normalised before comparison, so purely syntactic
differences do not count: "type": "string" is the same as
{"key": {"type": "string"}, "min": 1, "max": 1}, an omitted refType on a
reference is "strong", an omitted isRoot is false (or true for every table
when no table of the schema sets it, as ovsdb-server does), enum atoms are
compared as sets, indexes as sets of column sets, and so on.

Errors (exit status 1):
  * different database name or version;
  * a table or column of the weft schema that the reference lacks;
  * a column of a weft table missing from weft (partial column sets break
    OVN's and OVS's IDL clients);
  * any difference in column type, ephemeral, mutable, isRoot, indexes or
    maxRows;
  * a refTable in the weft schema naming a table the weft schema lacks;
  * unknown or malformed members in the weft schema.

Informational only: reference tables that the weft schema does not define
(errors instead with --require-all-tables).

Only the standard library is used.
"""

import json
import sys

ATOMIC_TYPES = ("integer", "real", "boolean", "string", "uuid")
INT64_MIN = -(2 ** 63)
INT64_MAX = 2 ** 63 - 1
UINT_MAX = 2 ** 32 - 1

SCHEMA_MEMBERS = {"name", "version", "cksum", "tables"}
TABLE_MEMBERS = {"columns", "maxRows", "isRoot", "indexes"}
COLUMN_MEMBERS = {"type", "ephemeral", "mutable"}
TYPE_MEMBERS = {"key", "value", "min", "max"}
BASE_MEMBERS = {"type", "enum", "minInteger", "maxInteger", "minReal",
                "maxReal", "minLength", "maxLength", "refTable", "refType"}


class SchemaError(Exception):
    pass


def _check_members(obj, allowed, where, problems):
    if not isinstance(obj, dict):
        problems.append("%s: expected a JSON object" % where)
        return
    for k in obj:
        if k not in allowed:
            problems.append("%s: unknown member %r" % (where, k))


def _atom_set(enum, where, problems):
    """Normalise an enum (an atom or ["set", [atoms]]) to a sorted tuple."""
    if isinstance(enum, list):
        if len(enum) == 2 and enum[0] == "set" and isinstance(enum[1], list):
            atoms = enum[1]
        else:
            problems.append("%s: malformed enum %r" % (where, enum))
            return ()
    else:
        atoms = [enum]
    return tuple(sorted(set(json.dumps(a, sort_keys=True) for a in atoms)))


def norm_base(base, where, problems):
    """Return a canonical tuple describing a base type."""
    if isinstance(base, str):
        base = {"type": base}
    if not isinstance(base, dict):
        problems.append("%s: base type must be a string or object" % where)
        return ("<invalid>",)
    _check_members(base, BASE_MEMBERS, where, problems)
    t = base.get("type")
    if t not in ATOMIC_TYPES:
        problems.append("%s: bad atomic type %r" % (where, t))
    out = [("type", t)]
    if "enum" in base:
        out.append(("enum", _atom_set(base["enum"], where, problems)))
    if t == "integer":
        lo = base.get("minInteger", INT64_MIN)
        hi = base.get("maxInteger", INT64_MAX)
        if lo != INT64_MIN:
            out.append(("minInteger", lo))
        if hi != INT64_MAX:
            out.append(("maxInteger", hi))
    elif t == "real":
        if "minReal" in base:
            out.append(("minReal", float(base["minReal"])))
        if "maxReal" in base:
            out.append(("maxReal", float(base["maxReal"])))
    elif t == "string":
        lo = base.get("minLength", 0)
        hi = base.get("maxLength", UINT_MAX)
        if lo != 0:
            out.append(("minLength", lo))
        if hi != UINT_MAX:
            out.append(("maxLength", hi))
    elif t == "uuid":
        if "refTable" in base:
            out.append(("refTable", base["refTable"]))
            rt = base.get("refType", "strong")
            if rt not in ("strong", "weak"):
                problems.append("%s: bad refType %r" % (where, rt))
            out.append(("refType", rt))
        elif "refType" in base:
            problems.append("%s: refType without refTable" % where)
    valid = {"integer": ("minInteger", "maxInteger"),
             "real": ("minReal", "maxReal"),
             "string": ("minLength", "maxLength"),
             "uuid": ("refTable", "refType")}.get(t, ())
    for k in BASE_MEMBERS - {"type", "enum"}:
        if k in base and k not in valid:
            problems.append("%s: %s not valid for type %r" % (where, k, t))
    return tuple(out)


def norm_type(typ, where, problems):
    """Return a canonical tuple (key, value, min, max) for a column type."""
    if isinstance(typ, str):
        typ = {"key": typ}
    if not isinstance(typ, dict):
        problems.append("%s: type must be a string or object" % where)
        return ("<invalid>",)
    _check_members(typ, TYPE_MEMBERS, where, problems)
    if "key" not in typ:
        problems.append("%s: type lacks a key" % where)
        return ("<invalid>",)
    key = norm_base(typ["key"], where + " key", problems)
    value = None
    if "value" in typ:
        value = norm_base(typ["value"], where + " value", problems)
    mn = typ.get("min", 1)
    mx = typ.get("max", 1)
    if mn not in (0, 1):
        problems.append("%s: min must be 0 or 1" % where)
    if mx != "unlimited" and (not isinstance(mx, int) or mx < 1):
        problems.append("%s: bad max %r" % (where, mx))
    return (key, value, mn, mx)


def fmt_base(b):
    if b is None:
        return "-"
    d = dict(b)
    parts = [str(d.pop("type"))]
    for k, v in d.items():
        if k == "enum":
            v = "{" + ",".join(json.loads(a) if isinstance(json.loads(a), str)
                               else a for a in v) + "}"
        parts.append("%s=%s" % (k, v))
    return " ".join(parts)


def fmt_type(t):
    if len(t) != 4:
        return "<invalid>"
    key, value, mn, mx = t
    s = "key(%s)" % fmt_base(key)
    if value is not None:
        s += " value(%s)" % fmt_base(value)
    return s + " min=%s max=%s" % (mn, mx)


def normalise(schema, label, problems):
    """Turn a parsed schema into {table: {...}} with canonical values."""
    _check_members(schema, SCHEMA_MEMBERS, label, problems)
    tables = schema.get("tables")
    if not isinstance(tables, dict):
        problems.append("%s: missing or bad 'tables'" % label)
        return {}
    any_root = any(isinstance(t, dict) and "isRoot" in t
                   for t in tables.values())
    out = {}
    for tname, tab in tables.items():
        where = "%s: table %s" % (label, tname)
        _check_members(tab, TABLE_MEMBERS, where, problems)
        if not isinstance(tab, dict):
            continue
        cols = {}
        for cname, col in tab.get("columns", {}).items():
            cwhere = "%s column %s" % (where, cname)
            _check_members(col, COLUMN_MEMBERS, cwhere, problems)
            if not isinstance(col, dict) or "type" not in col:
                problems.append("%s: missing type" % cwhere)
                continue
            cols[cname] = {
                "type": norm_type(col["type"], cwhere, problems),
                "ephemeral": bool(col.get("ephemeral", False)),
                "mutable": bool(col.get("mutable", True)),
            }
        indexes = frozenset(frozenset(ix) for ix in tab.get("indexes", []))
        for ix in indexes:
            for c in ix:
                if c not in cols:
                    problems.append("%s: index names unknown column %r"
                                    % (where, c))
        out[tname] = {
            "columns": cols,
            "isRoot": bool(tab.get("isRoot", False)) if any_root else True,
            "maxRows": tab.get("maxRows"),
            "indexes": indexes,
        }
    return out


def fmt_indexes(ix):
    return "[" + ", ".join("[" + ", ".join(sorted(i)) + "]"
                           for i in sorted(ix, key=sorted)) + "]"


def referenced_tables(col):
    t = col["type"]
    if len(t) != 4:
        return []
    refs = []
    for b in (t[0], t[1]):
        if b is not None:
            d = dict(b)
            if "refTable" in d:
                refs.append(d["refTable"])
    return refs


def compare(weft_raw, ref_raw, require_all_tables=False):
    """Return (errors, infos) lists of strings."""
    errors, infos = [], []
    if weft_raw.get("name") != ref_raw.get("name"):
        errors.append("database name: weft %r, reference %r"
                      % (weft_raw.get("name"), ref_raw.get("name")))
    if weft_raw.get("version") != ref_raw.get("version"):
        errors.append("version: weft %r, reference %r"
                      % (weft_raw.get("version"), ref_raw.get("version")))
    if "cksum" in weft_raw:
        infos.append("weft schema carries a cksum member")

    weft = normalise(weft_raw, "weft", errors)
    ref_problems = []
    ref = normalise(ref_raw, "reference", ref_problems)
    infos.extend("reference: " + p for p in ref_problems)

    for tname in sorted(weft):
        wt = weft[tname]
        for cname in sorted(wt["columns"]):
            for r in referenced_tables(wt["columns"][cname]):
                if r not in weft:
                    errors.append("table %s column %s: refTable %s is not "
                                  "defined in the weft schema"
                                  % (tname, cname, r))
        if tname not in ref:
            errors.append("table %s: not in the reference schema" % tname)
            continue
        rt = ref[tname]
        for cname in sorted(set(wt["columns"]) | set(rt["columns"])):
            wc = wt["columns"].get(cname)
            rc = rt["columns"].get(cname)
            if rc is None:
                errors.append("table %s column %s: not in the reference"
                              % (tname, cname))
                continue
            if wc is None:
                errors.append("table %s column %s: missing from weft "
                              "(reference type %s)"
                              % (tname, cname, fmt_type(rc["type"])))
                continue
            if wc["type"] != rc["type"]:
                errors.append("table %s column %s: type differs: weft %s, "
                              "reference %s"
                              % (tname, cname, fmt_type(wc["type"]),
                                 fmt_type(rc["type"])))
            for attr in ("ephemeral", "mutable"):
                if wc[attr] != rc[attr]:
                    errors.append("table %s column %s: %s differs: weft %s, "
                                  "reference %s" % (tname, cname, attr,
                                                    wc[attr], rc[attr]))
        if wt["isRoot"] != rt["isRoot"]:
            errors.append("table %s: isRoot differs: weft %s, reference %s"
                          % (tname, wt["isRoot"], rt["isRoot"]))
        if wt["maxRows"] != rt["maxRows"]:
            errors.append("table %s: maxRows differs: weft %s, reference %s"
                          % (tname, wt["maxRows"], rt["maxRows"]))
        if wt["indexes"] != rt["indexes"]:
            errors.append("table %s: indexes differ: weft %s, reference %s"
                          % (tname, fmt_indexes(wt["indexes"]),
                             fmt_indexes(rt["indexes"])))

    for tname in sorted(set(ref) - set(weft)):
        msg = "table %s: in the reference but not in weft" % tname
        (errors if require_all_tables else infos).append(msg)
    return errors, infos


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SchemaError("%s: %s" % (path, e))


def main(argv):
    args = [a for a in argv[1:] if not a.startswith("--")]
    opts = set(a for a in argv[1:] if a.startswith("--"))
    unknown = opts - {"--require-all-tables", "--quiet", "--help"}
    if "--help" in opts:
        print(__doc__)
        return 0
    if unknown or len(args) != 2:
        sys.stderr.write("usage: %s [--require-all-tables] [--quiet] "
                         "WEFT_SCHEMA REFERENCE_SCHEMA\n" % argv[0])
        return 2
    try:
        weft_raw = load(args[0])
        ref_raw = load(args[1])
    except SchemaError as e:
        sys.stderr.write("check-compat: %s\n" % e)
        return 2
    if not isinstance(weft_raw, dict) or not isinstance(ref_raw, dict):
        sys.stderr.write("check-compat: schemas must be JSON objects\n")
        return 2

    errors, infos = compare(weft_raw, ref_raw,
                            "--require-all-tables" in opts)
    if "--quiet" not in opts:
        for i in infos:
            print("info: " + i)
    for e in errors:
        print("error: " + e)
    ntab = len(weft_raw.get("tables", {}))
    ncol = sum(len(t.get("columns", {}))
               for t in weft_raw.get("tables", {}).values()
               if isinstance(t, dict))
    status = "OK" if not errors else "FAILED (%d errors)" % len(errors)
    print("%s vs %s: %d tables, %d columns: %s"
          % (args[0], args[1], ntab, ncol, status))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
