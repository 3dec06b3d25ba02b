/* northd/keys: tunnel key sets and allocation (see keys.h). */
#include "northd/keys.h"

#include <string.h>
#include "util.h"

#define BITS_PER_WORD (8 * sizeof(unsigned long))

void
keys_init(struct keys *k)
{
    k->bits = NULL;
    k->n_words = 0;
    k->n = 0;
}

void
keys_destroy(struct keys *k)
{
    if (k) {
        free(k->bits);
        keys_init(k);
    }
}

void
keys_clear(struct keys *k)
{
    if (k->bits) {
        memset(k->bits, 0, k->n_words * sizeof *k->bits);
    }
    k->n = 0;
}

static void
keys_reserve(struct keys *k, uint32_t key)
{
    size_t need = key / BITS_PER_WORD + 1;

    if (need > k->n_words) {
        size_t n = MAX(need, 2 * k->n_words);
        k->bits = xrealloc(k->bits, n * sizeof *k->bits);
        memset(&k->bits[k->n_words], 0,
               (n - k->n_words) * sizeof *k->bits);
        k->n_words = n;
    }
}

bool
keys_contains(const struct keys *k, uint32_t key)
{
    size_t w = key / BITS_PER_WORD;

    return w < k->n_words
           && (k->bits[w] & (1UL << (key % BITS_PER_WORD))) != 0;
}

bool
keys_add(struct keys *k, uint32_t key)
{
    if (keys_contains(k, key)) {
        return false;
    }
    keys_reserve(k, key);
    k->bits[key / BITS_PER_WORD] |= 1UL << (key % BITS_PER_WORD);
    k->n++;
    return true;
}

void
keys_remove(struct keys *k, uint32_t key)
{
    if (keys_contains(k, key)) {
        k->bits[key / BITS_PER_WORD] &= ~(1UL << (key % BITS_PER_WORD));
        k->n--;
    }
}

/* Returns the first free key in [lo, hi], or 0.  Skips whole words of
 * used keys, so a dense space is scanned quickly. */
static uint32_t
first_free(const struct keys *k, uint32_t lo, uint32_t hi)
{
    uint32_t key = lo;

    while (key <= hi) {
        size_t w = key / BITS_PER_WORD;
        if (w >= k->n_words) {
            return key;
        }
        if (k->bits[w] == ~0UL) {
            key = (uint32_t) ((w + 1) * BITS_PER_WORD);
            continue;
        }
        if (!(k->bits[w] & (1UL << (key % BITS_PER_WORD)))) {
            return key;
        }
        key++;
    }
    return 0;
}

uint32_t
keys_allocate(struct keys *k, uint32_t min, uint32_t max, uint32_t hint)
{
    uint32_t key = 0;

    if (min == 0 || min > max) {
        return 0;
    }
    if (hint < min || hint > max) {
        hint = min - 1;
    }
    if (hint < max) {
        key = first_free(k, hint + 1, max);
    }
    if (!key && hint >= min) {
        key = first_free(k, min, hint);
    }
    if (key) {
        keys_add(k, key);
    }
    return key;
}
