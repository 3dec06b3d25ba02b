/* fuzz_ip_endpoint: libFuzzer target for ip_endpoint_parse() (lib/packets.c),
 * which weft-nbctl uses to read load balancer VIPs and backends.
 *
 * The input is the text to parse (a NUL is added).  A successful parse is
 * formatted and the formatted text parsed again, which must succeed and
 * give the same endpoint: what weft-nbctl writes, it must read back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "packets.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool
same_endpoint(const struct ip_endpoint *a, const struct ip_endpoint *b)
{
    return (a->family == b->family && a->port == b->port
            && a->scope_id == b->scope_id
            && (a->family == AF_INET
                ? !memcmp(&a->ip4, &b->ip4, sizeof a->ip4)
                : !memcmp(&a->ip6, &b->ip6, sizeof a->ip6)));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xmemdup0((const char *) data, size);
    struct ip_endpoint ep, again;
    struct ds ds = DS_EMPTY_INITIALIZER;
    bool quiet;
    char *error = ip_endpoint_parse(text, &ep, &quiet);

    if (!error) {
        ip_endpoint_format(&ep, &ds);
        error = ip_endpoint_parse(ds_cstr(&ds), &again, &quiet);
        if (error || !same_endpoint(&ep, &again)) {
            abort();
        }
    }
    free(error);
    ds_destroy(&ds);
    free(text);
    return 0;
}
