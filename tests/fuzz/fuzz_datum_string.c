/* fuzz_datum_string: libFuzzer target for ovs-vsctl's value syntax
 * (ovsdb/datum-string.c), which weft-nbctl, weft-sbctl and weft-vsctl use
 * to read every value an operator types.
 *
 * The input is split at its first byte: that byte picks one of the column
 * types below (and is otherwise ignored), the rest is the text to parse.
 * A successful parse is printed back in both output syntaxes and the
 * printed text is parsed again, which must succeed and give an equal
 * datum: what the tools print, they must be able to read. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "json.h"
#include "util.h"
#include "ovsdb/datum.h"
#include "ovsdb/error.h"
#include "ovsdb/types.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Column types like the ones in OVN's and OVS's schemas. */
static const char *const type_jsons[] = {
    "\"string\"",
    "{\"key\": \"integer\", \"min\": 0, \"max\": \"unlimited\"}",
    "{\"key\": {\"type\": \"integer\", \"minInteger\": 0,"
    " \"maxInteger\": 4095}, \"min\": 0, \"max\": 1}",
    "{\"key\": \"string\", \"value\": \"string\", \"min\": 0,"
    " \"max\": \"unlimited\"}",
    "{\"key\": \"boolean\", \"min\": 0, \"max\": 1}",
    "{\"key\": {\"type\": \"uuid\", \"refTable\": \"T\"}, \"min\": 0,"
    " \"max\": \"unlimited\"}",
    "{\"key\": {\"type\": \"string\", \"enum\": [\"set\","
    " [\"from-lport\", \"to-lport\"]]}}",
    "{\"key\": \"real\", \"min\": 0, \"max\": 3}",
    "{\"key\": \"integer\", \"value\": {\"type\": \"uuid\"}, \"min\": 0,"
    " \"max\": \"unlimited\"}",
};

static struct ovsdb_type types[ARRAY_SIZE(type_jsons)];
static bool types_parsed;

static void
parse_types(void)
{
    for (size_t i = 0; i < ARRAY_SIZE(type_jsons); i++) {
        struct json *json = json_from_string(type_jsons[i], NULL);
        struct ovsdb_error *error = ovsdb_type_from_json(&types[i], json);
        if (error) {
            abort();
        }
        json_destroy(json);
    }
    types_parsed = true;
}

/* Parses what was printed: it must read back as the same datum. */
static void
check_round_trip(const struct ovsdb_datum *datum,
                 const struct ovsdb_type *type)
{
    struct ovsdb_symbol_table symtab;
    struct ds s = DS_EMPTY_INITIALIZER;
    struct ovsdb_datum again;

    ovsdb_datum_to_string(datum, type, &s);
    ovsdb_symbol_table_init(&symtab);
    char *error = ovsdb_datum_from_string(&again, type, ds_cstr(&s),
                                          &symtab);
    if (error || !ovsdb_datum_equals(datum, &again, type)) {
        abort();
    }
    ovsdb_datum_destroy(&again, type);
    ovsdb_symbol_table_destroy(&symtab);
    ds_clear(&s);
    ovsdb_datum_to_bare(datum, type, &s);
    ds_destroy(&s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!types_parsed) {
        parse_types();
    }
    if (!size) {
        return 0;
    }

    const struct ovsdb_type *type = &types[data[0] % ARRAY_SIZE(types)];
    char *text = xmemdup0((const char *) data + 1, size - 1);
    struct ovsdb_symbol_table symtab;
    struct ovsdb_datum datum;

    ovsdb_symbol_table_init(&symtab);
    char *error = ovsdb_datum_from_string(&datum, type, text, &symtab);
    if (!error) {
        check_round_trip(&datum, type);
        ovsdb_datum_destroy(&datum, type);
    }
    free(error);
    ovsdb_symbol_table_destroy(&symtab);
    free(text);
    return 0;
}
