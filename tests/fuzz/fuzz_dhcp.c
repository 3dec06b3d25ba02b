/* fuzz_dhcp: libFuzzer target for dhcp_parse() and dhcp6_parse()
 * (lib/dhcp.c), which read the DHCP requests the datapath hands to
 * put_dhcp_opts.
 *
 * The first byte picks the parser (even: DHCPv4, odd: DHCPv6); the rest is
 * the UDP payload, copied to a buffer of exactly its size so that a
 * sanitizer sees any read past the end.  A message that parses is
 * formatted; a DHCPv4 one is also built again from what was parsed
 * (header and every option) and parsed back, which must succeed with the
 * same header and options: what the responder writes, a client reads. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dhcp.h"
#include "ds.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_v4_round_trip(const struct dhcp_msg *m)
{
    struct ds b = DS_EMPTY_INITIALIZER;
    dhcp_put_header(&b, m);
    for (size_t i = 0; i < m->n_options; i++) {
        dhcp_put_option(&b, m->options[i].code, m->options[i].data,
                        m->options[i].len);
    }
    dhcp_put_end(&b);
    struct dhcp_msg again;
    char *error = dhcp_parse(b.string, b.length, &again);
    if (error || again.xid != m->xid || again.n_options != m->n_options
        || strcmp(again.file, m->file) || strcmp(again.sname, m->sname)) {
        abort();
    }
    for (size_t i = 0; i < m->n_options; i++) {
        const struct dhcp_option *a = &m->options[i], *b2 = &again.options[i];
        if (a->code != b2->code || a->len != b2->len
            || (a->len && memcmp(a->data, b2->data, a->len))) {
            abort();
        }
    }
    dhcp_msg_destroy(&again);
    ds_destroy(&b);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) {
        return 0;
    }
    bool v6 = data[0] & 1;
    size_t n = size - 1;
    uint8_t *copy = xmalloc(n ? n : 1);
    memcpy(copy, data + 1, n);
    struct ds s = DS_EMPTY_INITIALIZER;
    char *error;
    if (v6) {
        struct dhcp6_msg m;
        error = dhcp6_parse(copy, n, &m);
        if (!error) {
            dhcp6_msg_format(&m, &s);
        }
    } else {
        struct dhcp_msg m;
        error = dhcp_parse(copy, n, &m);
        if (!error) {
            dhcp_msg_format(&m, &s);
            check_v4_round_trip(&m);
            dhcp_msg_destroy(&m);
        }
    }
    free(error);
    ds_destroy(&s);
    free(copy);
    return 0;
}
