#!/usr/bin/python3
"""Generates typed C bindings for the OVSDB client from an .ovsschema.

Usage: codegen.py SCHEMA PREFIX OUT.h OUT.c

For each table T of the schema, with PREFIX "nbrec" and T
"Logical_Switch_Port", the header declares:

  struct nbrec_logical_switch_port      header_ (the generic row) first, then
                                        one typed field per column
  NBREC_LOGICAL_SWITCH_PORT_COL_NAME    column indexes (enum)
  NBREC_LOGICAL_SWITCH_PORT_FOR_EACH(row, client)           iteration
  NBREC_LOGICAL_SWITCH_PORT_FOR_EACH_TRACKED(row, client)   change tracking
  nbrec_logical_switch_port_first/next/get_for_uuid/table
  nbrec_logical_switch_port_get_COL(row)            typed accessor
  nbrec_logical_switch_port_is_new/is_deleted/is_updated
  nbrec_logical_switch_port_insert(txn) / _delete(txn, row)
  nbrec_logical_switch_port_set_COL(txn, row, ...)  whole-value writes
  nbrec_logical_switch_port_verify_COL(txn, row)
  nbrec_logical_switch_port_update_COL_addvalue/_delvalue (sets),
                                      _setkey/_delkey (maps): mutations

and 'PREFIX_idl_class', the descriptor ovsdb_client_create() takes.

Typed fields by column type (see enum ovsdb_client_field_kind):

  exactly one value           int64_t, double, bool, const char *,
                              struct uuid, or a row pointer for references
  optional string (0..1)      const char *, NULL when empty
  optional reference (0..1)   row pointer, NULL when empty or dangling
  other sets                  pointer + size_t n_COL (row pointers for
                              references, dangling ones left out)
  maps                        const struct ovsdb_datum *; for string maps
                              PREFIX_T_get_COL_value(row, key) looks up

Only the Python standard library is used, and the output depends only on
the schema, so generation is fast and reproducible.
"""

import json
import sys

C_KEYWORDS = set("""auto break case char const continue default do double
else enum extern float for goto if inline int long register restrict return
short signed sizeof static struct switch typedef union unsigned void volatile
while bool true false""".split())

ATOMIC_C = {
    "integer": "int64_t",
    "real": "double",
    "boolean": "bool",
    "string": "const char *",
    "uuid": "struct uuid",
}

SCALAR_KIND = {
    "integer": "OVSDB_FIELD_INTEGER",
    "real": "OVSDB_FIELD_REAL",
    "boolean": "OVSDB_FIELD_BOOLEAN",
    "string": "OVSDB_FIELD_STRING",
    "uuid": "OVSDB_FIELD_UUID",
}

ARRAY_KIND = {
    "integer": "OVSDB_FIELD_INTEGERS",
    "real": "OVSDB_FIELD_REALS",
    "boolean": "OVSDB_FIELD_BOOLEANS",
    "string": "OVSDB_FIELD_STRINGS",
    "uuid": "OVSDB_FIELD_UUIDS",
}


def c_ident(name):
    """A C identifier for an OVSDB name."""
    return name + "_" if name in C_KEYWORDS else name


class BaseType:
    def __init__(self, json_):
        if isinstance(json_, str):
            json_ = {"type": json_}
        self.type = json_["type"]
        self.ref_table = json_.get("refTable")
        self.ref_type = json_.get("refType", "strong")
        self.enum = json_.get("enum")

    def describe(self):
        if self.ref_table:
            weak = "weak " if self.ref_type == "weak" else ""
            return "%sreference to %s" % (weak, self.ref_table)
        return self.type


class Type:
    def __init__(self, json_):
        if isinstance(json_, str):
            json_ = {"key": json_}
        self.key = BaseType(json_["key"])
        self.value = BaseType(json_["value"]) if "value" in json_ else None
        self.n_min = json_.get("min", 1)
        n_max = json_.get("max", 1)
        self.n_max = None if n_max == "unlimited" else n_max

    def is_map(self):
        return self.value is not None

    def is_scalar(self):
        return not self.is_map() and self.n_min == 1 and self.n_max == 1

    def is_optional_scalar(self):
        return not self.is_map() and self.n_min == 0 and self.n_max == 1

    def describe(self):
        if self.is_scalar():
            return self.key.describe()
        if self.is_optional_scalar():
            return "optional " + self.key.describe()
        bounds = "%d to %s" % (self.n_min, "any" if self.n_max is None
                               else self.n_max)
        if self.is_map():
            return "map (%s) of %s to %s" % (bounds, self.key.describe(),
                                             self.value.describe())
        return "set (%s) of %s" % (bounds, self.key.describe())


class Gen:
    def __init__(self, schema, prefix):
        self.schema = schema
        self.prefix = prefix
        self.PREFIX = prefix.upper()
        self.tables = sorted(schema["tables"])
        self.table_index = {t: i for i, t in enumerate(self.tables)}

    # Names.

    def sname(self, table):
        """struct/function stem, e.g. nbrec_logical_switch_port."""
        return "%s_%s" % (self.prefix, table.lower())

    def mname(self, table):
        return self.sname(table).upper()

    def columns(self, table):
        cols = self.schema["tables"][table]["columns"]
        return [(name, Type(cols[name]["type"])) for name in sorted(cols)]

    def col_enum(self, table, column):
        return "%s_COL_%s" % (self.mname(table), column.upper())

    # C types of values passed to and read from the bindings.

    def atom_c(self, base):
        """C type of one atom, as setters take it."""
        if base.ref_table and base.ref_table in self.table_index:
            return "const struct %s *" % self.sname(base.ref_table)
        return ATOMIC_C[base.type]

    def atom_param(self, base):
        """Parameter type for a single atom (uuids by pointer)."""
        if base.type == "uuid" and not self.is_ref(base):
            return "const struct uuid *"
        return self.atom_c(base)

    def is_ref(self, base):
        return bool(base.ref_table) and base.ref_table in self.table_index

    def field(self, type_):
        """(kind, field C type, has count) of a column's typed field."""
        key = type_.key
        if type_.is_map():
            return "OVSDB_FIELD_MAP", "const struct ovsdb_datum *", False
        if type_.is_scalar():
            if self.is_ref(key):
                return "OVSDB_FIELD_REF", self.atom_c(key), False
            return SCALAR_KIND[key.type], ATOMIC_C[key.type], False
        if type_.is_optional_scalar() and key.type == "string":
            return "OVSDB_FIELD_OPT_STRING", "const char *", False
        if type_.is_optional_scalar() and self.is_ref(key):
            return "OVSDB_FIELD_REF", self.atom_c(key), False
        if self.is_ref(key):
            return "OVSDB_FIELD_REFS", self.array_c(key), True
        return ARRAY_KIND[key.type], self.array_c(key), True

    def array_c(self, base):
        """C type of an array of atoms ("const char **", ...)."""
        if base.type == "string":
            return "const char **"
        if self.is_ref(base):
            return self.atom_c(base) + "*"
        return "const %s *" % ATOMIC_C[base.type]


def decl(ctype, name):
    """Declares 'name' of C type 'ctype' ("const char *" + "x")."""
    return ctype + name if ctype.endswith("*") else "%s %s" % (ctype, name)


def emit_header(g, out, schema_file):
    w = out.append
    guard = "WEFT_%s_IDL_H" % g.PREFIX
    w("/* Generated by ovsdb/codegen.py from %s (%s %s).  Do not edit.\n"
      " *\n"
      " * Typed bindings for the OVSDB client: see ovsdb/client.h,\n"
      " * ovsdb/client-txn.h and the comment at the top of codegen.py. */"
      % (schema_file, g.schema["name"], g.schema.get("version", "")))
    w("#ifndef %s\n#define %s 1\n" % (guard, guard))
    w("#include <stdbool.h>\n#include <stddef.h>\n#include <stdint.h>")
    w('#include "ovsdb/client.h"\n#include "ovsdb/client-txn.h"\n')
    w("extern const struct ovsdb_client_class %s_idl_class;\n" % g.prefix)
    w("enum %s_table_id {" % g.prefix)
    for t in g.tables:
        w("    %s_TABLE_%s," % (g.PREFIX, t.upper()))
    w("    %s_N_TABLES\n};\n" % g.PREFIX)
    for t in g.tables:
        w("struct %s;" % g.sname(t))
    w("")
    for t in g.tables:
        emit_table_header(g, t, w)
    w("#endif /* %s */" % guard)


def emit_table_header(g, t, w):
    s, m = g.sname(t), g.mname(t)
    cols = g.columns(t)
    w("/* Table %s. */\n" % t)
    w("struct %s {" % s)
    w("    struct ovsdb_client_row header_;  /* Generic row: must be first. */")
    for name, type_ in cols:
        kind, ctype, counted = g.field(type_)
        w("    %s;  /* %s */" % (decl(ctype, c_ident(name)), type_.describe()))
        if counted:
            w("    size_t n_%s;" % name)
    w("};\n")
    w("enum {\n    %s_COL_UUID,\n    %s_COL_VERSION," % (m, m))
    for name, _ in cols:
        w("    %s," % g.col_enum(t, name))
    w("    %s_N_COLUMNS\n};\n" % m)

    w("struct ovsdb_client_table *%s_table(const struct ovsdb_client *);" % s)
    w("const struct %s *%s_first(const struct ovsdb_client *);" % (s, s))
    w("const struct %s *%s_next(const struct %s *);" % (s, s, s))
    w("const struct %s *%s_get_for_uuid(const struct ovsdb_client *,\n"
      "    const struct uuid *);" % (s, s))
    w("#define %s_FOR_EACH(ROW, CLIENT) \\\n"
      "    for ((ROW) = %s_first(CLIENT); (ROW); (ROW) = %s_next(ROW))"
      % (m, s, s))
    w("#define %s_FOR_EACH_TRACKED(ROW, CLIENT) \\\n"
      "    LIST_FOR_EACH (ROW, header_.track_node, \\\n"
      "                   &%s_table(CLIENT)->track_list)" % (m, s))
    w("static inline bool\n%s_is_new(const struct %s *row)\n{\n"
      "    return ovsdb_client_row_is_new(&row->header_);\n}" % (s, s))
    w("static inline bool\n%s_is_deleted(const struct %s *row)\n{\n"
      "    return ovsdb_client_row_is_deleted(&row->header_);\n}" % (s, s))
    w("static inline bool\n%s_is_updated(const struct %s *row, "
      "unsigned int column)\n{\n"
      "    return ovsdb_client_row_is_updated(&row->header_, column);\n}"
      % (s, s))
    for name, type_ in cols:
        _, ctype, _ = g.field(type_)
        w("static inline %s\n%s_get_%s(const struct %s *row)\n{\n"
          "    return row->%s;\n}" % (ctype, s, name, s, c_ident(name)))
        if (type_.is_map() and type_.key.type == "string"
                and type_.value.type == "string"):
            w("static inline const char *\n%s_get_%s_value(const struct %s "
              "*row, const char *key)\n{\n"
              "    return ovsdb_client_smap_get(row->%s, key);\n}"
              % (s, name, s, c_ident(name)))
    w("")
    w("struct %s *%s_insert(struct ovsdb_client_txn *);" % (s, s))
    w("void %s_delete(struct ovsdb_client_txn *, const struct %s *);"
      % (s, s))
    for name, type_ in cols:
        for proto in setter_protos(g, t, name, type_):
            w(proto + ";")
    w("")


def setter_protos(g, t, name, type_):
    """Prototypes (without ';') of the writers of one column."""
    s = g.sname(t)
    head = "void\n%s_%%s(struct ovsdb_client_txn *txn, const struct %s *row" \
        % (s, s)
    protos = []
    key = type_.key
    if type_.is_scalar():
        protos.append((head % ("set_" + name))
                      + ", %s)" % decl(g.atom_param(key), "value"))
    elif type_.is_optional_scalar() and (key.type == "string"
                                         or g.is_ref(key)):
        protos.append((head % ("set_" + name))
                      + ", %s)" % decl(g.atom_c(key), "value"))
    elif type_.is_map():
        protos.append((head % ("set_" + name))
                      + ", %s, %s, size_t n)"
                      % (decl(g.array_c(key), "keys"),
                         decl(g.array_c(type_.value), "values")))
    else:
        protos.append((head % ("set_" + name))
                      + ", %s, size_t n)" % decl(g.array_c(key), "values"))
    protos.append(head % ("verify_" + name) + ")")
    if type_.is_map():
        protos.append((head % ("update_%s_setkey" % name))
                      + ", %s, %s)" % (decl(g.atom_param(key), "key"),
                                       decl(g.atom_param(type_.value),
                                            "value")))
        protos.append((head % ("update_%s_delkey" % name))
                      + ", %s)" % decl(g.atom_param(key), "key"))
    elif not type_.is_scalar() and not type_.is_optional_scalar():
        for op in ("addvalue", "delvalue"):
            protos.append((head % ("update_%s_%s" % (name, op)))
                          + ", %s)" % decl(g.atom_param(key), "value"))
    return protos


def emit_source(g, out, header_name, schema_text):
    w = out.append
    w("/* Generated by ovsdb/codegen.py.  Do not edit. */")
    w('#include "%s"\n' % header_name)
    w("#include <stddef.h>\n")
    w("static const char schema_json[] =")
    for line in schema_text.splitlines():
        w('    "%s\\n"' % c_escape(line))
    w("    ;\n")
    for t in g.tables:
        emit_column_classes(g, t, w)
    w("static const struct ovsdb_client_table_class table_classes[] = {")
    for t in g.tables:
        w('    { "%s", sizeof(struct %s), %s_columns,\n'
          "      ARRAY_SIZE(%s_columns) }," % (t, g.sname(t), g.sname(t),
                                               g.sname(t)))
    w("};\n")
    w("const struct ovsdb_client_class %s_idl_class = {\n"
      '    "%s", schema_json, table_classes, ARRAY_SIZE(table_classes),\n'
      "};\n" % (g.prefix, g.schema["name"]))
    for t in g.tables:
        emit_table_source(g, t, w)


def c_escape(s):
    return s.replace("\\", "\\\\").replace('"', '\\"')


def emit_column_classes(g, t, w):
    s = g.sname(t)
    w("static const struct ovsdb_client_column_class %s_columns[] = {" % s)
    w('    { "_uuid", OVSDB_FIELD_NONE, 0, 0, -1 },')
    w('    { "_version", OVSDB_FIELD_NONE, 0, 0, -1 },')
    for name, type_ in g.columns(t):
        kind, _, counted = g.field(type_)
        ref = type_.key.ref_table
        ref_index = g.table_index[ref] if ref in g.table_index else -1
        n_off = "offsetof(struct %s, n_%s)" % (s, name) if counted else "0"
        w('    { "%s", %s, offsetof(struct %s, %s), %s, %d },'
          % (name, kind, s, c_ident(name), n_off, ref_index))
    w("};\n")


def emit_table_source(g, t, w):
    s, m = g.sname(t), g.mname(t)
    w("struct ovsdb_client_table *\n%s_table(const struct ovsdb_client "
      "*client)\n{\n    return ovsdb_client_get_table_by_class(\n"
      "        client, &table_classes[%s_TABLE_%s]);\n}\n"
      % (s, g.PREFIX, t.upper()))
    w("const struct %s *\n%s_first(const struct ovsdb_client *client)\n{\n"
      "    return (const struct %s *) ovsdb_client_table_first(\n"
      "        %s_table(client));\n}\n" % (s, s, s, s))
    w("const struct %s *\n%s_next(const struct %s *row)\n{\n"
      "    return (const struct %s *) ovsdb_client_table_next(&row->header_);"
      "\n}\n" % (s, s, s, s))
    w("const struct %s *\n%s_get_for_uuid(const struct ovsdb_client *client,"
      "\n    const struct uuid *uuid)\n{\n"
      "    return (const struct %s *) ovsdb_client_table_find(\n"
      "        %s_table(client), uuid);\n}\n" % (s, s, s, s))
    w("struct %s *\n%s_insert(struct ovsdb_client_txn *txn)\n{\n"
      "    return (struct %s *) ovsdb_client_txn_insert(\n"
      "        txn, %s_table(ovsdb_client_txn_get_client(txn)));\n}\n"
      % (s, s, s, s))
    w("void\n%s_delete(struct ovsdb_client_txn *txn, const struct %s *row)"
      "\n{\n    ovsdb_client_txn_delete(txn, &row->header_);\n}\n" % (s, s))
    for name, type_ in g.columns(t):
        emit_column_writers(g, t, name, type_, w)


def emit_column_writers(g, t, name, type_, w):
    col = g.col_enum(t, name)
    protos = setter_protos(g, t, name, type_)
    key = type_.key
    # Whole-value setter.
    if type_.is_scalar():
        ptr = "value" if g.atom_param(key) == "const struct uuid *" \
            else "&value"
        w(protos[0] + "\n{\n    ovsdb_client_txn_write_c(txn, &row->header_,"
          " %s, %s, NULL, 1);\n}\n" % (col, ptr))
    elif type_.is_optional_scalar() and (key.type == "string"
                                         or g.is_ref(key)):
        w(protos[0] + "\n{\n    ovsdb_client_txn_write_c(txn, &row->header_,"
          " %s, &value, NULL, value != NULL);\n}\n" % col)
    elif type_.is_map():
        w(protos[0] + "\n{\n    ovsdb_client_txn_write_c(txn, &row->header_,"
          " %s, keys, values, n);\n}\n" % col)
    else:
        w(protos[0] + "\n{\n    ovsdb_client_txn_write_c(txn, &row->header_,"
          " %s, values, NULL, n);\n}\n" % col)
    w(protos[1] + "\n{\n    ovsdb_client_txn_verify(txn, &row->header_, %s);"
      "\n}\n" % col)
    # Mutations.
    kp = "key" if g.atom_param(key) == "const struct uuid *" else "&key"
    vp = "value" if g.atom_param(key) == "const struct uuid *" else "&value"
    if type_.is_map():
        mvp = "value" if g.atom_param(type_.value) == "const struct uuid *" \
            else "&value"
        w(protos[2] + "\n{\n    ovsdb_client_txn_mutate_c(txn, &row->header_,"
          " %s, OVSDB_MUTATE_SETKEY, %s, %s);\n}\n" % (col, kp, mvp))
        w(protos[3] + "\n{\n    ovsdb_client_txn_mutate_c(txn, &row->header_,"
          " %s, OVSDB_MUTATE_DELKEY, %s, NULL);\n}\n" % (col, kp))
    elif len(protos) > 2:
        w(protos[2] + "\n{\n    ovsdb_client_txn_mutate_c(txn, &row->header_,"
          " %s, OVSDB_MUTATE_ADD, %s, NULL);\n}\n" % (col, vp))
        w(protos[3] + "\n{\n    ovsdb_client_txn_mutate_c(txn, &row->header_,"
          " %s, OVSDB_MUTATE_DEL, %s, NULL);\n}\n" % (col, vp))


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 1
    schema_file, prefix, out_h, out_c = argv[1:]
    with open(schema_file) as f:
        schema_text = f.read()
    g = Gen(json.loads(schema_text), prefix)

    out = []
    emit_header(g, out, schema_file.split("/")[-1])
    with open(out_h, "w") as f:
        f.write("\n".join(out) + "\n")

    out = []
    emit_source(g, out, out_h.split("/")[-1], schema_text)
    with open(out_c, "w") as f:
        f.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
