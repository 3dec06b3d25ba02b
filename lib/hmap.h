/* hmap: an intrusive hash map with chaining.
 *
 * The caller embeds a 'struct hmap_node' in each element and supplies the
 * hash value; the map never computes hashes and never owns elements.  A
 * lookup walks the bucket comparing hashes, then the caller compares keys:
 *
 *     HMAP_FOR_EACH_WITH_HASH (row, node, uuid_hash(&id), &table->rows) {
 *         if (uuid_equals(&row->uuid, &id)) { ... }
 *     }
 *
 * The bucket array doubles when the map holds more than two elements per
 * bucket (leaving the inline single bucket, it grows straight to four) and
 * halves when it holds fewer than one per four.  Not thread-safe. */
#ifndef WEFT_HMAP_H
#define WEFT_HMAP_H 1

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "util.h"

struct hmap_node {
    uint32_t hash;              /* Hash value supplied by the caller. */
    struct hmap_node *next;     /* Next node in the same bucket. */
};

struct hmap {
    struct hmap_node **buckets; /* 'mask + 1' bucket heads. */
    struct hmap_node *one;      /* Inline storage when mask == 0. */
    size_t mask;                /* Number of buckets minus one. */
    size_t n;                   /* Number of nodes. */
};

#define HMAP_INITIALIZER(HMAP) { (struct hmap_node **) &(HMAP)->one, NULL, 0, 0 }

void hmap_init(struct hmap *);
void hmap_destroy(struct hmap *);
void hmap_clear(struct hmap *);
void hmap_swap(struct hmap *, struct hmap *);
void hmap_moved(struct hmap *);
void hmap_expand(struct hmap *);
void hmap_shrink(struct hmap *);
void hmap_reserve(struct hmap *, size_t capacity);

static inline size_t hmap_count(const struct hmap *h) { return h->n; }
static inline bool hmap_is_empty(const struct hmap *h) { return !h->n; }

static inline void
hmap_insert_fast(struct hmap *h, struct hmap_node *node, uint32_t hash)
{
    struct hmap_node **bucket = &h->buckets[hash & h->mask];
    node->hash = hash;
    node->next = *bucket;
    *bucket = node;
    h->n++;
}

static inline void
hmap_insert(struct hmap *h, struct hmap_node *node, uint32_t hash)
{
    hmap_insert_fast(h, node, hash);
    if (h->n / 2 > h->mask) {
        hmap_expand(h);
    }
}

static inline void
hmap_remove(struct hmap *h, struct hmap_node *node)
{
    struct hmap_node **p = &h->buckets[node->hash & h->mask];
    while (*p != node) {
        p = &(*p)->next;
    }
    *p = node->next;
    h->n--;
}

static inline struct hmap_node *
hmap_first_with_hash(const struct hmap *h, uint32_t hash)
{
    struct hmap_node *node = h->buckets[hash & h->mask];
    while (node && node->hash != hash) {
        node = node->next;
    }
    return node;
}

static inline struct hmap_node *
hmap_next_with_hash(const struct hmap_node *node)
{
    uint32_t hash = node->hash;
    for (node = node->next; node && node->hash != hash; node = node->next) {
        continue;
    }
    return (struct hmap_node *) node;
}

struct hmap_node *hmap_first(const struct hmap *);
struct hmap_node *hmap_next(const struct hmap *, const struct hmap_node *);

/* Iteration.  NODE is a pointer to the element type; MEMBER names its
 * embedded hmap_node. */

#define HMAP_FOR_EACH_WITH_HASH(NODE, MEMBER, HASH, HMAP)                 \
    for (struct hmap_node *NODE##_hn_ = hmap_first_with_hash(HMAP, HASH); \
         NODE##_hn_ && ((NODE) = OBJECT_CONTAINING(NODE##_hn_, NODE,     \
                                                   MEMBER), 1);           \
         NODE##_hn_ = hmap_next_with_hash(NODE##_hn_))

#define HMAP_FOR_EACH(NODE, MEMBER, HMAP)                                 \
    for (struct hmap_node *NODE##_hn_ = hmap_first(HMAP);                \
         NODE##_hn_ && ((NODE) = OBJECT_CONTAINING(NODE##_hn_, NODE,     \
                                                   MEMBER), 1);           \
         NODE##_hn_ = hmap_next(HMAP, NODE##_hn_))

/* Safe against removal (and freeing) of NODE during the loop body. */
#define HMAP_FOR_EACH_SAFE(NODE, MEMBER, HMAP)                            \
    for (struct hmap_node *NODE##_hn_ = hmap_first(HMAP), *NODE##_nx_;   \
         NODE##_hn_                                                       \
         && ((NODE) = OBJECT_CONTAINING(NODE##_hn_, NODE, MEMBER),       \
             NODE##_nx_ = hmap_next(HMAP, NODE##_hn_), 1);               \
         NODE##_hn_ = NODE##_nx_)

/* State of a HMAP_FOR_EACH_POP loop. */
struct hmap_pop_state {
    size_t bucket;              /* Where the scan for the next node resumes. */
    size_t n_left;              /* Node count after the previous pop. */
    struct hmap_node *node;     /* The node just popped. */
};

/* Removes and returns a node of 'h', or NULL if 'h' is empty, for
 * HMAP_FOR_EACH_POP.  Resuming the scan where the previous pop stopped
 * makes popping every node linear in the number of buckets.  If the map
 * grew in between (the loop body inserted) or the scan reaches the end
 * with nodes left (the map was resized), it starts over from the first
 * bucket, so no node is missed. */
static inline struct hmap_node *
hmap_pop_next(struct hmap *h, struct hmap_pop_state *st)
{
    if (h->n > st->n_left) {
        st->bucket = 0;
    }
    for (int pass = 0; h->n && pass < 2; pass++, st->bucket = 0) {
        for (; st->bucket <= h->mask; st->bucket++) {
            struct hmap_node *node = h->buckets[st->bucket];
            if (node) {
                h->buckets[st->bucket] = node->next;
                st->n_left = --h->n;
                return node;
            }
        }
    }
    return NULL;
}

/* Removes each node from HMAP as it is visited. */
#define HMAP_FOR_EACH_POP(NODE, MEMBER, HMAP)                             \
    for (struct hmap_pop_state NODE##_ps_ = { 0, (HMAP)->n, NULL };       \
         (NODE##_ps_.node = hmap_pop_next(HMAP, &NODE##_ps_)) != NULL     \
         && ((NODE) = OBJECT_CONTAINING(NODE##_ps_.node, NODE, MEMBER),  \
             1);)

#endif
