/* shash: a map from strings to opaque pointers, built on hmap.
 *
 * Keys are copied (into the node's own allocation, except with
 * shash_add_nocopy(), which takes a malloc'd key); data pointers are not
 * owned.  Not thread-safe. */
#ifndef WEFT_SHASH_H
#define WEFT_SHASH_H 1

#include "hmap.h"

struct shash_node {
    struct hmap_node node;
    char *name;                 /* Owned copy of the key; free it only
                                 * through this module. */
    void *data;                 /* Not owned. */
};

struct shash {
    struct hmap map;
};

#define SHASH_INITIALIZER(SHASH) { HMAP_INITIALIZER(&(SHASH)->map) }

#define SHASH_FOR_EACH(NODE, SHASH) \
    HMAP_FOR_EACH (NODE, node, &(SHASH)->map)
#define SHASH_FOR_EACH_SAFE(NODE, SHASH) \
    HMAP_FOR_EACH_SAFE (NODE, node, &(SHASH)->map)

void shash_init(struct shash *);
void shash_destroy(struct shash *);
void shash_destroy_free_data(struct shash *);
void shash_clear(struct shash *);
void shash_clear_free_data(struct shash *);
void shash_swap(struct shash *, struct shash *);
static inline size_t shash_count(const struct shash *sh)
{
    return hmap_count(&sh->map);
}
static inline bool shash_is_empty(const struct shash *sh)
{
    return hmap_is_empty(&sh->map);
}
struct shash_node *shash_add(struct shash *, const char *, const void *);
struct shash_node *shash_add_nocopy(struct shash *, char *, const void *);
bool shash_add_once(struct shash *, const char *, const void *);
/* Adds the name given by 'len' bytes at 'name' (no NUL needed) and returns
 * the new node, or returns NULL if the name is already present. */
struct shash_node *shash_add_once_len(struct shash *, const char *name,
                                      size_t len, const void *);
void *shash_replace(struct shash *, const char *, const void *);
void shash_delete(struct shash *, struct shash_node *);
char *shash_steal(struct shash *, struct shash_node *);
struct shash_node *shash_find(const struct shash *, const char *);
struct shash_node *shash_find_len(const struct shash *, const char *,
                                  size_t);
void *shash_find_data(const struct shash *, const char *);
void *shash_find_and_delete(struct shash *, const char *);
struct shash_node *shash_first(const struct shash *);
const struct shash_node **shash_sort(const struct shash *);

#endif
