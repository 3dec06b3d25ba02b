#include "hmap.h"

#include <string.h>

void
hmap_init(struct hmap *h)
{
    h->buckets = &h->one;
    h->one = NULL;
    h->mask = 0;
    h->n = 0;
}

void
hmap_destroy(struct hmap *h)
{
    if (h && h->buckets != &h->one) {
        free(h->buckets);
    }
}

void
hmap_clear(struct hmap *h)
{
    if (h->n) {
        h->n = 0;
        memset(h->buckets, 0, (h->mask + 1) * sizeof *h->buckets);
    }
}

void
hmap_swap(struct hmap *a, struct hmap *b)
{
    struct hmap tmp = *a;
    *a = *b;
    *b = tmp;
    hmap_moved(a);
    hmap_moved(b);
}

/* Fixes up 'h' after it was moved in memory with memcpy(). */
void
hmap_moved(struct hmap *h)
{
    if (!h->mask) {
        h->buckets = &h->one;
    }
}

static void
resize(struct hmap *h, size_t new_mask)
{
    struct hmap tmp;
    size_t i;

    hmap_init(&tmp);
    if (new_mask) {
        tmp.buckets = xcalloc(new_mask + 1, sizeof *tmp.buckets);
        tmp.mask = new_mask;
    }
    for (i = 0; i <= h->mask; i++) {
        struct hmap_node *node, *next;
        for (node = h->buckets[i]; node; node = next) {
            next = node->next;
            hmap_insert_fast(&tmp, node, node->hash);
        }
    }
    hmap_swap(h, &tmp);
    hmap_destroy(&tmp);
}

static size_t
calc_mask(size_t capacity)
{
    size_t mask = capacity / 2;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
#if SIZE_MAX > UINT32_MAX
    mask |= mask >> 32;
#endif
    /* Ensure at least 2 buckets per 4 nodes for small maps. */
    return mask ? mask : 0;
}

/* Smallest bucket array a map grows to from its inline bucket: maps of up
 * to 7 nodes (most JSON objects) then need no further resize. */
#define MIN_GROWN_MASK 3

void
hmap_expand(struct hmap *h)
{
    size_t new_mask = calc_mask(h->n);
    if (!h->mask && new_mask < MIN_GROWN_MASK) {
        new_mask = MIN_GROWN_MASK;
    }
    if (new_mask > h->mask) {
        resize(h, new_mask);
    }
}

void
hmap_shrink(struct hmap *h)
{
    size_t new_mask = calc_mask(h->n);
    if (new_mask < h->mask) {
        resize(h, new_mask);
    }
}

void
hmap_reserve(struct hmap *h, size_t n)
{
    size_t new_mask = calc_mask(n);
    if (new_mask > h->mask) {
        resize(h, new_mask);
    }
}

static struct hmap_node *
first_from(const struct hmap *h, size_t start)
{
    size_t i;
    for (i = start; i <= h->mask; i++) {
        if (h->buckets[i]) {
            return h->buckets[i];
        }
    }
    return NULL;
}

struct hmap_node *
hmap_first(const struct hmap *h)
{
    return first_from(h, 0);
}

struct hmap_node *
hmap_next(const struct hmap *h, const struct hmap_node *node)
{
    return node->next ? node->next : first_from(h, (node->hash & h->mask) + 1);
}
