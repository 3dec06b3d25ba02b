/* list: an intrusive circular doubly linked list.
 *
 * A 'struct list' serves both as the list head and as the node embedded in
 * each element.  Not thread-safe. */
#ifndef WEFT_LIST_H
#define WEFT_LIST_H 1

#include <stdbool.h>
#include <stddef.h>
#include "util.h"

struct list {
    struct list *prev;
    struct list *next;
};

#define LIST_INITIALIZER(LIST) { LIST, LIST }

static inline void
list_init(struct list *l)
{
    l->prev = l->next = l;
}

static inline void
list_insert(struct list *before, struct list *elem)
{
    elem->prev = before->prev;
    elem->next = before;
    before->prev->next = elem;
    before->prev = elem;
}

static inline void list_push_back(struct list *l, struct list *e)
{
    list_insert(l, e);
}

static inline void list_push_front(struct list *l, struct list *e)
{
    list_insert(l->next, e);
}

static inline struct list *
list_remove(struct list *elem)
{
    elem->prev->next = elem->next;
    elem->next->prev = elem->prev;
    return elem->next;
}

static inline bool list_is_empty(const struct list *l)
{
    return l->next == l;
}

static inline struct list *
list_pop_front(struct list *l)
{
    struct list *front = l->next;
    list_remove(front);
    return front;
}

static inline size_t
list_size(const struct list *l)
{
    size_t n = 0;
    for (const struct list *e = l->next; e != l; e = e->next) {
        n++;
    }
    return n;
}

#define LIST_FOR_EACH(ITER, MEMBER, LIST)                                 \
    for (struct list *ITER##_ln_ = (LIST)->next;                          \
         ITER##_ln_ != (LIST)                                             \
         && ((ITER) = OBJECT_CONTAINING(ITER##_ln_, ITER, MEMBER), 1);    \
         ITER##_ln_ = ITER##_ln_->next)

#define LIST_FOR_EACH_SAFE(ITER, MEMBER, LIST)                            \
    for (struct list *ITER##_ln_ = (LIST)->next, *ITER##_nx_;             \
         ITER##_ln_ != (LIST)                                             \
         && ((ITER) = OBJECT_CONTAINING(ITER##_ln_, ITER, MEMBER),        \
             ITER##_nx_ = ITER##_ln_->next, 1);                           \
         ITER##_ln_ = ITER##_nx_)

#define LIST_FOR_EACH_POP(ITER, MEMBER, LIST)                             \
    while (!list_is_empty(LIST)                                           \
           && ((ITER) = OBJECT_CONTAINING(list_pop_front(LIST), ITER,     \
                                          MEMBER), 1))

#endif
