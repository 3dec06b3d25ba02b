/* northd/keys: sets of tunnel keys and the allocation rule ovn-northd
 * follows, so that weft-northd hands out the same keys.
 *
 * A 'struct keys' is the set of keys in use in one key space: datapath
 * keys (1 .. 2^24 - 1 - 65535, the rest being reserved for
 * interconnection), the port keys of one datapath (1 .. 32767) or its
 * multicast group keys (32768 .. 65535).  It is a bitmap that grows to
 * the largest key added, so a space with a few small keys stays small.
 *
 * Allocation.  keys_allocate() returns the first free key after 'hint',
 * wrapping around from 'max' to 'min'.  ovn-northd 23.03 (observed, see
 * docs/northd-facts.md) allocates
 *
 *     datapath keys   with hint 0 on every recompute: the lowest free key;
 *     port keys       with hint = the largest key of the datapath's ports
 *                     that keep theirs, then the last key handed out: so a
 *                     port added after a deleted one gets a new key rather
 *                     than the deleted port's, until the space wraps.
 *
 * Keys already in the southbound database are added first (keys_add())
 * so that existing datapaths and ports keep theirs across recomputes and
 * restarts; only new ones are allocated.
 *
 * Not thread-safe. */
#ifndef WEFT_NORTHD_KEYS_H
#define WEFT_NORTHD_KEYS_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Key spaces (inclusive bounds). */
#define KEYS_DP_MIN 1
#define KEYS_DP_MAX ((1u << 24) - 1 - 65535)    /* 16711680 */
#define KEYS_DP_VXLAN_MAX 4095
#define KEYS_PORT_MIN 1
#define KEYS_PORT_MAX 32767
#define KEYS_MCAST_MIN 32768
#define KEYS_MCAST_MAX 65535

struct keys {
    unsigned long *bits;        /* Bit k set: key k in use. */
    size_t n_words;             /* Allocated words of 'bits'. */
    size_t n;                   /* Number of keys in use. */
};

void keys_init(struct keys *);
void keys_destroy(struct keys *);
void keys_clear(struct keys *);

/* Marks 'key' used.  Returns false (and changes nothing) if it already
 * was. */
bool keys_add(struct keys *, uint32_t key);
void keys_remove(struct keys *, uint32_t key);
bool keys_contains(const struct keys *, uint32_t key);
static inline size_t keys_count(const struct keys *k) { return k->n; }

/* Marks and returns the first free key in (hint, max], else in
 * [min, hint]; returns 0 if all of [min, max] are used.  'hint' outside
 * [min, max] counts as min - 1 (start at 'min'). */
uint32_t keys_allocate(struct keys *, uint32_t min, uint32_t max,
                       uint32_t hint);

#endif
