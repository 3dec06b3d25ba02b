/* northd/options: reading string-to-string map columns (options,
 * other_config, external_ids) the way OVN does.
 *
 *     if (options_get_bool(nbsp->options, "mcast_flood", false)) ...
 *     int t = options_get_int(ls->other_config, "mcast_table_size", 2048);
 *
 * A boolean with default false is true only if the value is "true", one
 * with default true is false only if it is "false" (case-insensitive, as
 * OVN's smap_get_bool()); an integer that does not parse gives the default.
 * Header-only; thread-safe. */
#ifndef WEFT_NORTHD_OPTIONS_H
#define WEFT_NORTHD_OPTIONS_H 1

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include "util.h"
#include "ovsdb/client.h"

static inline const char *
options_get(const struct ovsdb_datum *map, const char *key)
{
    return map ? ovsdb_client_smap_get(map, key) : NULL;
}

static inline const char *
options_get_def(const struct ovsdb_datum *map, const char *key,
                const char *def)
{
    const char *s = options_get(map, key);
    return s ? s : def;
}

static inline bool
options_get_bool(const struct ovsdb_datum *map, const char *key, bool def)
{
    const char *s = options_get(map, key);

    if (!s) {
        return def;
    }
    return def ? strcasecmp(s, "false") != 0 : !strcasecmp(s, "true");
}

static inline long long
options_get_int(const struct ovsdb_datum *map, const char *key,
                long long def)
{
    const char *s = options_get(map, key);
    long long value;

    return s && str_to_llong(s, 10, &value) ? value : def;
}

#endif
