#include "shash.h"

#include <stdlib.h>
#include <string.h>
#include "hash.h"

static uint32_t
hash_name(const char *name, size_t len)
{
    return hash_bytes(name, len, 0);
}

/* A node made by shash_add() keeps its name in the same allocation, just
 * after the node; shash_add_nocopy() nodes point to a separate one. */
static char *
inline_name(const struct shash_node *node)
{
    return (char *) (node + 1);
}

static void
node_free(struct shash_node *node)
{
    if (node->name != inline_name(node)) {
        free(node->name);
    }
    free(node);
}

/* Returns a node named by the 'len' bytes at 'name', with the name in the
 * same allocation, not yet in a map. */
static struct shash_node *
node_create(const char *name, size_t len, const void *data)
{
    struct shash_node *node = xmalloc(sizeof *node + len + 1);

    node->name = inline_name(node);
    memcpy(node->name, name, len);
    node->name[len] = '\0';
    node->data = (void *) data;
    return node;
}

void
shash_init(struct shash *sh)
{
    hmap_init(&sh->map);
}

void
shash_destroy(struct shash *sh)
{
    if (sh) {
        shash_clear(sh);
        hmap_destroy(&sh->map);
    }
}

void
shash_destroy_free_data(struct shash *sh)
{
    if (sh) {
        shash_clear_free_data(sh);
        hmap_destroy(&sh->map);
    }
}

void
shash_clear(struct shash *sh)
{
    struct shash_node *node;

    HMAP_FOR_EACH_POP (node, node, &sh->map) {
        node_free(node);
    }
}

void
shash_swap(struct shash *a, struct shash *b)
{
    hmap_swap(&a->map, &b->map);
}

void
shash_clear_free_data(struct shash *sh)
{
    struct shash_node *node;

    HMAP_FOR_EACH_POP (node, node, &sh->map) {
        free(node->data);
        node_free(node);
    }
}

struct shash_node *
shash_add_nocopy(struct shash *sh, char *name, const void *data)
{
    struct shash_node *node = xmalloc(sizeof *node);
    node->name = name;
    node->data = (void *) data;
    hmap_insert(&sh->map, &node->node, hash_name(name, strlen(name)));
    return node;
}

struct shash_node *
shash_add(struct shash *sh, const char *name, const void *data)
{
    size_t len = strlen(name);
    struct shash_node *node = node_create(name, len, data);

    hmap_insert(&sh->map, &node->node, hash_name(name, len));
    return node;
}

struct shash_node *
shash_add_once_len(struct shash *sh, const char *name, size_t len,
                   const void *data)
{
    uint32_t hash = hash_name(name, len);
    struct shash_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, node, hash, &sh->map) {
        if (!strncmp(node->name, name, len) && !node->name[len]) {
            return NULL;
        }
    }
    node = node_create(name, len, data);
    hmap_insert(&sh->map, &node->node, hash);
    return node;
}

bool
shash_add_once(struct shash *sh, const char *name, const void *data)
{
    if (shash_find(sh, name)) {
        return false;
    }
    shash_add(sh, name, data);
    return true;
}

void *
shash_replace(struct shash *sh, const char *name, const void *data)
{
    struct shash_node *node = shash_find(sh, name);
    if (!node) {
        shash_add(sh, name, data);
        return NULL;
    }
    void *old = node->data;
    node->data = (void *) data;
    return old;
}

void
shash_delete(struct shash *sh, struct shash_node *node)
{
    hmap_remove(&sh->map, &node->node);
    node_free(node);
}

char *
shash_steal(struct shash *sh, struct shash_node *node)
{
    char *name = (node->name == inline_name(node) ? xstrdup(node->name)
                  : node->name);
    hmap_remove(&sh->map, &node->node);
    free(node);
    return name;
}

struct shash_node *
shash_find_len(const struct shash *sh, const char *name, size_t len)
{
    struct shash_node *node;

    HMAP_FOR_EACH_WITH_HASH (node, node, hash_name(name, len), &sh->map) {
        if (!strncmp(node->name, name, len) && !node->name[len]) {
            return node;
        }
    }
    return NULL;
}

struct shash_node *
shash_find(const struct shash *sh, const char *name)
{
    return shash_find_len(sh, name, strlen(name));
}

void *
shash_find_data(const struct shash *sh, const char *name)
{
    struct shash_node *node = shash_find(sh, name);
    return node ? node->data : NULL;
}

void *
shash_find_and_delete(struct shash *sh, const char *name)
{
    struct shash_node *node = shash_find(sh, name);
    if (!node) {
        return NULL;
    }
    void *data = node->data;
    shash_delete(sh, node);
    return data;
}

struct shash_node *
shash_first(const struct shash *sh)
{
    struct hmap_node *n = hmap_first(&sh->map);
    return n ? CONTAINER_OF(n, struct shash_node, node) : NULL;
}

static int
compare_nodes_by_name(const void *a_, const void *b_)
{
    const struct shash_node *const *a = a_;
    const struct shash_node *const *b = b_;
    return strcmp((*a)->name, (*b)->name);
}

/* Returns a newly allocated array of the nodes of 'sh' sorted by name, or
 * NULL if 'sh' is empty.  The caller must free the array. */
const struct shash_node **
shash_sort(const struct shash *sh)
{
    size_t n = shash_count(sh), i = 0;
    if (!n) {
        return NULL;
    }
    const struct shash_node **nodes = xmalloc(n * sizeof *nodes);
    struct shash_node *node;
    SHASH_FOR_EACH (node, sh) {
        nodes[i++] = node;
    }
    qsort(nodes, n, sizeof *nodes, compare_nodes_by_name);
    return nodes;
}
