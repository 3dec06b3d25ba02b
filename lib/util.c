#include "util.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void
util_assert_failure(const char *file, int line, const char *cond)
{
    fprintf(stderr, "%s:%d: assertion %s failed\n", file, line, cond);
    fflush(stderr);
    abort();
}

void
util_abort(const char *format, ...)
{
    va_list args;

    va_start(args, format);
    vfprintf(stderr, format, args);
    va_end(args);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

static void *
check_alloc(void *p)
{
    if (!p) {
        util_abort("virtual memory exhausted");
    }
    return p;
}

void *
xmalloc(size_t size)
{
    return check_alloc(malloc(size ? size : 1));
}

void *
xcalloc(size_t count, size_t size)
{
    return check_alloc(calloc(count ? count : 1, size ? size : 1));
}

void *
xzalloc(size_t size)
{
    return xcalloc(1, size);
}

void *
xrealloc(void *p, size_t size)
{
    return check_alloc(realloc(p, size ? size : 1));
}

void *
xmemdup(const void *p, size_t size)
{
    void *q = xmalloc(size);
    memcpy(q, p, size);
    return q;
}

char *
xmemdup0(const char *p, size_t length)
{
    char *q = xmalloc(length + 1);
    memcpy(q, p, length);
    q[length] = '\0';
    return q;
}

char *
xstrdup(const char *s)
{
    return xmemdup0(s, strlen(s));
}

char *
xvasprintf(const char *format, va_list args)
{
    va_list args2;
    char *s;
    int n;

    va_copy(args2, args);
    n = vsnprintf(NULL, 0, format, args);
    s = xmalloc(n + 1);
    vsnprintf(s, n + 1, format, args2);
    va_end(args2);
    return s;
}

char *
xasprintf(const char *format, ...)
{
    va_list args;
    char *s;

    va_start(args, format);
    s = xvasprintf(format, args);
    va_end(args);
    return s;
}

void *
x2nrealloc(void *base, size_t *allocated, size_t size)
{
    *allocated = *allocated ? *allocated * 2 : 4;
    return xrealloc(base, *allocated * size);
}

long long
time_msec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

long long
time_wall_msec(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

const char *
util_strerror(int error)
{
    return error == EOF ? "end of file" : strerror(error);
}

bool
str_to_llong(const char *s, int base, long long *value)
{
    char *tail;

    errno = 0;
    *value = strtoll(s, &tail, base);
    return !errno && tail != s && !*tail;
}

bool
str_to_uint(const char *s, int base, unsigned int *value)
{
    long long x;

    if (!str_to_llong(s, base, &x) || x < 0 || x > UINT_MAX) {
        return false;
    }
    *value = x;
    return true;
}

bool
str_to_double(const char *s, double *value)
{
    char *tail;

    errno = 0;
    *value = strtod(s, &tail);
    return !errno && tail != s && !*tail && isfinite(*value);
}

int
str_compare_ptrs(const void *a_, const void *b_)
{
    const char *const *a = a_;
    const char *const *b = b_;
    return strcmp(*a, *b);
}

bool
str_startswith(const char *s, const char *prefix)
{
    return !strncmp(s, prefix, strlen(prefix));
}

bool
str_endswith(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !memcmp(s + n - m, suffix, m);
}

bool
str_split_words(const char *s, char ***wordsp, size_t *np)
{
    size_t n = 0, allocated = 0;
    char **words = NULL;
    char *word = xmalloc(strlen(s) + 1);
    bool terminated = true;

    for (;;) {
        while (*s == ' ' || (*s >= '\t' && *s <= '\r')) {
            s++;
        }
        if (!*s) {
            break;
        }

        /* One word: up to unquoted white space or the end. */
        size_t len = 0;
        char quote = 0;
        for (; *s && (quote || !strchr(" \t\n\v\f\r", *s)); s++) {
            if (quote == '\'' && *s != '\'') {
                word[len++] = *s;
            } else if (*s == quote) {
                quote = 0;
            } else if (!quote && (*s == '\'' || *s == '"')) {
                quote = *s;
            } else if (*s == '\\' && s[1]) {
                word[len++] = *++s;
            } else if (*s != '\\') {
                word[len++] = *s;
            }
        }
        terminated = terminated && !quote;

        if (n + 1 >= allocated) {
            words = x2nrealloc(words, &allocated, sizeof *words);
        }
        words[n++] = xmemdup0(word, len);
    }
    free(word);
    if (n >= allocated) {
        words = x2nrealloc(words, &allocated, sizeof *words);
    }
    words[n] = NULL;
    *wordsp = words;
    *np = n;
    return terminated;
}

void
str_free_words(char **words)
{
    if (words) {
        for (char **w = words; *w; w++) {
            free(*w);
        }
        free(words);
    }
}
