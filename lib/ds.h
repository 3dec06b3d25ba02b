/* ds: a growable, always NUL-terminated string builder.
 *
 *     struct ds s = DS_EMPTY_INITIALIZER;
 *     ds_put_format(&s, "%d rows", n);
 *     puts(ds_cstr(&s));
 *     ds_destroy(&s);
 *
 * 'string' may be NULL while 'allocated' is 0; ds_cstr() never returns
 * NULL.  Not thread-safe. */
#ifndef WEFT_DS_H
#define WEFT_DS_H 1

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "util.h"

struct ds {
    char *string;       /* Contents, NUL-terminated when allocated. */
    size_t length;      /* Bytes used, excluding the NUL. */
    size_t allocated;   /* Bytes allocated, excluding room for the NUL. */
};

#define DS_EMPTY_INITIALIZER { NULL, 0, 0 }

void ds_init(struct ds *);
void ds_destroy(struct ds *);
void ds_clear(struct ds *);
void ds_truncate(struct ds *, size_t new_length);
void ds_reserve(struct ds *, size_t min_length);
char *ds_put_uninit(struct ds *, size_t n);
void ds_put_char__(struct ds *, char);
void ds_put_cstr(struct ds *, const char *);
void ds_put_buffer(struct ds *, const char *, size_t n);
void ds_put_format(struct ds *, const char *, ...) PRINTF_FORMAT(2, 3);
void ds_put_format_valist(struct ds *, const char *, va_list)
    PRINTF_FORMAT(2, 0);
void ds_put_char_multiple(struct ds *, char, size_t n);
/* Appends the low 'n' bytes of 'value', most significant first (network
 * byte order), for building packets. */
void ds_put_be(struct ds *, uint64_t value, size_t n);
/* Appends 'value' in decimal, as "%lld" would, without printf's cost. */
void ds_put_decimal(struct ds *, long long value);
void ds_chomp(struct ds *, int c);
char *ds_cstr(struct ds *);
const char *ds_cstr_ro(const struct ds *);
char *ds_steal_cstr(struct ds *);
int ds_get_line(struct ds *, FILE *);

static inline void
ds_put_char(struct ds *ds, char c)
{
    if (LIKELY(ds->length < ds->allocated)) {
        ds->string[ds->length++] = c;
        ds->string[ds->length] = '\0';
    } else {
        ds_put_char__(ds, c);
    }
}

#endif
