/* util: allocation that never fails, always-on assertions, small macros.
 *
 * Allocation failure aborts the process (STYLE.md habit 6): callers never
 * check for NULL from x*() functions.  Everything here is thread-safe. */
#ifndef WEFT_UTIL_H
#define WEFT_UTIL_H 1

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdlib.h>

#define ARRAY_SIZE(A) (sizeof (A) / sizeof (A)[0])
#define CONTAINER_OF(PTR, TYPE, MEMBER) \
    ((TYPE *) (void *) ((char *) (PTR) - offsetof(TYPE, MEMBER)))
#define OBJECT_CONTAINING(PTR, OBJ, MEMBER) \
    ((__typeof__(OBJ)) (void *) ((char *) (PTR) - offsetof(__typeof__(*(OBJ)), MEMBER)))
#define MIN(A, B) ((A) < (B) ? (A) : (B))
#define MAX(A, B) ((A) > (B) ? (A) : (B))
#define PRINTF_FORMAT(FMT, ARG1) __attribute__((format(printf, FMT, ARG1)))
#define NO_RETURN __attribute__((noreturn))
#define WARN_UNUSED __attribute__((warn_unused_result))
#define OVS_UNUSED __attribute__((unused))
/* Marks a deliberate fall-through between switch cases (gcc and clang). */
#define OVS_FALLTHROUGH __attribute__((fallthrough))
#define LIKELY(X) __builtin_expect(!!(X), 1)
#define UNLIKELY(X) __builtin_expect(!!(X), 0)

/* Always-on assertion: invariants are checked in release builds too. */
#define ASSERT(COND)                                                       \
    (LIKELY(COND) ? (void) 0                                               \
                  : util_assert_failure(__FILE__, __LINE__, #COND))

void util_assert_failure(const char *file, int line, const char *cond)
    NO_RETURN;
void util_abort(const char *format, ...) PRINTF_FORMAT(1, 2) NO_RETURN;

void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xzalloc(size_t);
void *xrealloc(void *, size_t);
void *xmemdup(const void *, size_t);
char *xstrdup(const char *);
char *xmemdup0(const char *, size_t);
char *xasprintf(const char *format, ...) PRINTF_FORMAT(1, 2);
char *xvasprintf(const char *format, va_list) PRINTF_FORMAT(1, 0);

/* Grows '*base', an array of '*allocated' elements of 'size' bytes each, so
 * that it holds at least one more element than it has now ('n'). */
void *x2nrealloc(void *base, size_t *allocated, size_t size);

/* Monotonic and wall-clock time in milliseconds. */
long long time_msec(void);
long long time_wall_msec(void);

/* Returns the error string for positive errno 'error', or "end of file" for
 * EOF (-1). */
const char *util_strerror(int error);

bool str_to_llong(const char *, int base, long long *);
bool str_to_uint(const char *, int base, unsigned int *);
bool str_to_double(const char *, double *);
bool str_startswith(const char *, const char *prefix);
/* qsort() comparison for an array of 'const char *', in strcmp() order. */
int str_compare_ptrs(const void *, const void *);
bool str_endswith(const char *, const char *suffix);
/* Splits 's' into words as a shell would, without expansions: words are
 * separated by white space; '...' quotes literally; "..." quotes with
 * backslash escapes; outside quotes a backslash escapes the next
 * character.  Stores a NULL-terminated array of owned words in '*wordsp'
 * and their count in '*np'; free them with str_free_words().  Returns
 * false if 's' ends inside a quoted string (the words are still stored, as
 * if the quote had been closed). */
bool str_split_words(const char *s, char ***wordsp, size_t *np);
void str_free_words(char **words);

#endif
