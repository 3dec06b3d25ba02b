/* ovsdb/string-pool: shares equal short strings among datums (see the
 * header). */
#include "ovsdb/string-pool.h"

#include <string.h>
#include "hash.h"
#include "json.h"
#include "util.h"
#include "ovsdb/datum.h"

struct string_pool_node {
    struct hmap_node node;      /* In pool->strings, by hash_string(). */
    struct json *s;             /* A JSON_STRING; the pool's reference. */
};

#define SWEEP_MIN 1024

void
string_pool_init(struct string_pool *pool)
{
    hmap_init(&pool->strings);
    pool->sweep_at = SWEEP_MIN;
}

void
string_pool_destroy(struct string_pool *pool)
{
    struct string_pool_node *n;

    if (!pool) {
        return;
    }
    HMAP_FOR_EACH_POP (n, node, &pool->strings) {
        json_destroy(n->s);
        free(n);
    }
    hmap_destroy(&pool->strings);
}

size_t
string_pool_count(const struct string_pool *pool)
{
    return hmap_count(&pool->strings);
}

/* Drops the strings that only the pool refers to. */
static void
sweep(struct string_pool *pool)
{
    struct string_pool_node *n;

    HMAP_FOR_EACH_SAFE (n, node, &pool->strings) {
        if (n->s->count == 1) {
            hmap_remove(&pool->strings, &n->node);
            json_destroy(n->s);
            free(n);
        }
    }
    pool->sweep_at = MAX(SWEEP_MIN, 2 * hmap_count(&pool->strings));
}

/* Points '*sp' at the pooled string equal to it. */
static void
pool_string(struct string_pool *pool, struct json **sp)
{
    struct json *s = *sp;
    size_t len = strnlen(s->string, STRING_POOL_MAX_LEN + 1);

    if (len > STRING_POOL_MAX_LEN) {
        return;
    }
    uint32_t hash = hash_bytes(s->string, len, 0);
    struct string_pool_node *n;
    HMAP_FOR_EACH_WITH_HASH (n, node, hash, &pool->strings) {
        if (!strcmp(n->s->string, s->string)) {
            if (n->s != s) {
                json_destroy(s);
                *sp = json_clone(n->s);
            }
            return;
        }
    }
    if (hmap_count(&pool->strings) >= pool->sweep_at) {
        sweep(pool);
    }
    n = xmalloc(sizeof *n);
    n->s = json_clone(s);
    hmap_insert(&pool->strings, &n->node, hash);
}

void
string_pool_datum(struct string_pool *pool, struct ovsdb_datum *datum,
                  const struct ovsdb_type *type)
{
    if (type->key.type == OVSDB_TYPE_STRING) {
        for (size_t i = 0; i < datum->n; i++) {
            pool_string(pool, &datum->keys[i].s);
        }
    }
    if (type->value.type == OVSDB_TYPE_STRING) {
        for (size_t i = 0; i < datum->n; i++) {
            pool_string(pool, &datum->values[i].s);
        }
    }
}
