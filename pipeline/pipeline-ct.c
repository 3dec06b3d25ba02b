/* pipeline-ct: the conntrack model's flags, as ovn-trace's --ct reads and
 * prints them. */
#include "pipeline/pipeline.h"

#include <inttypes.h>
#include <string.h>

#include "ds.h"
#include "util.h"

static const char *const ct_flag_names[8] = {
    "new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
};

char *
pipeline_ct_parse_flags(const char *s, uint32_t *bits)
{
    *bits = PIPELINE_CS_TRK;
    char *copy = xstrdup(s);
    char *save = NULL;
    char *error = NULL;
    for (char *tok = strtok_r(copy, ", ", &save); tok;
         tok = strtok_r(NULL, ", ", &save)) {
        size_t i;
        for (i = 0; i < ARRAY_SIZE(ct_flag_names); i++) {
            if (!strcmp(tok, ct_flag_names[i])) {
                *bits |= 1u << i;
                break;
            }
        }
        if (i == ARRAY_SIZE(ct_flag_names)) {
            error = xasprintf("%s: unknown connection tracking state flag",
                              tok);
            break;
        }
    }
    free(copy);
    return error;
}

void
pipeline_ct_format_flags(uint32_t bits, struct ds *s)
{
    bool first = true;
    for (size_t i = 0; i < ARRAY_SIZE(ct_flag_names); i++) {
        if (bits & (1u << i)) {
            ds_put_format(s, "%s%s", first ? "" : "|", ct_flag_names[i]);
            first = false;
        }
    }
}

uint32_t
pipeline_ct_list_lookup(void *list_, size_t n, bool *is_default)
{
    const struct pipeline_ct_list *list = list_;
    *is_default = n >= list->n_states;
    return *is_default ? list->dflt : list->states[n];
}
