/* northd/arena: bump allocation for one recompute (see arena.h). */
#include "northd/arena.h"

#include <string.h>
#include "util.h"

#define ARENA_ALIGN 16
#define ARENA_CHUNK (256 * 1024)

struct arena_chunk {
    struct arena_chunk *next;
    size_t size;                /* Usable bytes after the header. */
    /* Data follows, aligned to ARENA_ALIGN. */
};

#define HEADER_SIZE \
    ((sizeof(struct arena_chunk) + ARENA_ALIGN - 1) & ~(size_t) (ARENA_ALIGN - 1))

void
arena_init(struct arena *a)
{
    a->chunks = a->spare = NULL;
    a->next = NULL;
    a->left = 0;
    a->n_bytes = 0;
}

static void
free_list(struct arena_chunk *c)
{
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
}

void
arena_destroy(struct arena *a)
{
    if (a) {
        free_list(a->chunks);
        free_list(a->spare);
        arena_init(a);
    }
}

void
arena_clear(struct arena *a)
{
    while (a->chunks) {
        struct arena_chunk *c = a->chunks;
        a->chunks = c->next;
        if (c->size == ARENA_CHUNK) {
            c->next = a->spare;
            a->spare = c;
        } else {
            free(c);            /* An oversized one-off. */
        }
    }
    a->next = NULL;
    a->left = 0;
    a->n_bytes = 0;
}

static void
new_chunk(struct arena *a, size_t need)
{
    struct arena_chunk *c;

    if (need <= ARENA_CHUNK && a->spare) {
        c = a->spare;
        a->spare = c->next;
    } else {
        size_t size = need <= ARENA_CHUNK ? ARENA_CHUNK : need;
        c = xmalloc(HEADER_SIZE + size);
        c->size = size;
    }
    c->next = a->chunks;
    a->chunks = c;
    a->next = (char *) c + HEADER_SIZE;
    a->left = c->size;
}

void *
arena_alloc(struct arena *a, size_t size)
{
    void *p;

    size = (size + ARENA_ALIGN - 1) & ~(size_t) (ARENA_ALIGN - 1);
    if (!size) {
        size = ARENA_ALIGN;
    }
    if (size > a->left) {
        new_chunk(a, size);
    }
    p = a->next;
    a->next += size;
    a->left -= size;
    a->n_bytes += size;
    return p;
}

void *
arena_zalloc(struct arena *a, size_t size)
{
    return memset(arena_alloc(a, size), 0, size);
}

void *
arena_memdup(struct arena *a, const void *p, size_t size)
{
    return memcpy(arena_alloc(a, size), p, size);
}

char *
arena_strdup(struct arena *a, const char *s)
{
    return arena_memdup(a, s, strlen(s) + 1);
}
