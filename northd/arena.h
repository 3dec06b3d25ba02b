/* northd/arena: a bump allocator for the state of one recompute.
 *
 * A recompute builds hundreds of thousands of small objects (ports, their
 * addresses, logical flows) and drops them all at its end.  Allocating
 * them from an arena makes each allocation a pointer increment and the
 * drop one call, and arena_clear() keeps the memory for the next
 * recompute, so a steady-state recompute calls malloc() for almost
 * nothing:
 *
 *     struct arena a;
 *     arena_init(&a);
 *     struct port *p = arena_zalloc(&a, sizeof *p);
 *     p->name = arena_strdup(&a, name);
 *     ...
 *     arena_clear(&a);        frees every object at once, keeps the chunks
 *     arena_destroy(&a);      gives the chunks back
 *
 * Objects are 16-byte aligned.  An object cannot be freed or grown
 * individually (allocate the final size, or use malloc for arrays that
 * grow).  Not thread-safe. */
#ifndef WEFT_NORTHD_ARENA_H
#define WEFT_NORTHD_ARENA_H 1

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *chunks;     /* In use, newest first. */
    struct arena_chunk *spare;      /* Cleared, for reuse. */
    char *next;                     /* Free space in chunks[0]. */
    size_t left;
    size_t n_bytes;                 /* Allocated since the last clear. */
};

void arena_init(struct arena *);
void arena_destroy(struct arena *);
void arena_clear(struct arena *);

void *arena_alloc(struct arena *, size_t);
void *arena_zalloc(struct arena *, size_t);
void *arena_memdup(struct arena *, const void *, size_t);
char *arena_strdup(struct arena *, const char *);

#endif
