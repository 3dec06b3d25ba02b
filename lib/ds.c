#include "ds.h"

#include <string.h>

void
ds_init(struct ds *ds)
{
    ds->string = NULL;
    ds->length = 0;
    ds->allocated = 0;
}

void
ds_destroy(struct ds *ds)
{
    if (ds) {
        free(ds->string);
    }
}

void
ds_clear(struct ds *ds)
{
    ds->length = 0;
    if (ds->string) {
        ds->string[0] = '\0';
    }
}

void
ds_truncate(struct ds *ds, size_t new_length)
{
    if (ds->length > new_length) {
        ds->length = new_length;
        ds->string[new_length] = '\0';
    }
}

void
ds_reserve(struct ds *ds, size_t min_length)
{
    if (min_length > ds->allocated || !ds->string) {
        ds->allocated += MAX(min_length, ds->allocated);
        ds->allocated = MAX(8, ds->allocated);
        ds->string = xrealloc(ds->string, ds->allocated + 1);
    }
}

char *
ds_put_uninit(struct ds *ds, size_t n)
{
    ds_reserve(ds, ds->length + n);
    ds->length += n;
    ds->string[ds->length] = '\0';
    return &ds->string[ds->length - n];
}

void
ds_put_char__(struct ds *ds, char c)
{
    *ds_put_uninit(ds, 1) = c;
}

void
ds_put_buffer(struct ds *ds, const char *s, size_t n)
{
    if (n) {
        memcpy(ds_put_uninit(ds, n), s, n);
    }
}

void
ds_put_be(struct ds *ds, uint64_t value, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        ds_put_char(ds, (char) ((value >> (8 * i)) & 0xff));
    }
}

void
ds_put_cstr(struct ds *ds, const char *s)
{
    ds_put_buffer(ds, s, strlen(s));
}

void
ds_put_decimal(struct ds *ds, long long value)
{
    unsigned long long u = value < 0 ? -(unsigned long long) value
                                     : (unsigned long long) value;
    char buf[24];
    char *p = buf + sizeof buf;

    do {
        *--p = '0' + u % 10;
        u /= 10;
    } while (u);
    if (value < 0) {
        *--p = '-';
    }
    ds_put_buffer(ds, p, buf + sizeof buf - p);
}

void
ds_put_char_multiple(struct ds *ds, char c, size_t n)
{
    memset(ds_put_uninit(ds, n), c, n);
}

void
ds_put_format_valist(struct ds *ds, const char *format, va_list args)
{
    va_list args2;
    size_t available;
    int needed;

    va_copy(args2, args);
    available = ds->string ? ds->allocated - ds->length + 1 : 0;
    needed = vsnprintf(ds->string ? &ds->string[ds->length] : NULL,
                       available, format, args);
    if (needed < 0) {
        needed = 0;
    }
    if ((size_t) needed < available) {
        ds->length += needed;
    } else {
        ds_reserve(ds, ds->length + needed);
        available = ds->allocated - ds->length + 1;
        vsnprintf(&ds->string[ds->length], available, format, args2);
        ds->length += needed;
    }
    va_end(args2);
}

void
ds_put_format(struct ds *ds, const char *format, ...)
{
    va_list args;

    va_start(args, format);
    ds_put_format_valist(ds, format, args);
    va_end(args);
}

void
ds_chomp(struct ds *ds, int c)
{
    if (ds->length > 0 && ds->string[ds->length - 1] == (char) c) {
        ds->string[--ds->length] = '\0';
    }
}

char *
ds_cstr(struct ds *ds)
{
    if (!ds->string) {
        ds_reserve(ds, 0);
    }
    ds->string[ds->length] = '\0';
    return ds->string;
}

const char *
ds_cstr_ro(const struct ds *ds)
{
    return ds_cstr((struct ds *) ds);
}

char *
ds_steal_cstr(struct ds *ds)
{
    char *s = ds_cstr(ds);
    ds_init(ds);
    return s;
}

/* Reads one line from 'file' into 'ds', without the newline.  Returns 0 on
 * success, EOF at end of file with nothing read. */
int
ds_get_line(struct ds *ds, FILE *file)
{
    ds_clear(ds);
    for (;;) {
        int c = getc(file);
        if (c == EOF) {
            return ds->length ? 0 : EOF;
        } else if (c == '\n') {
            return 0;
        }
        ds_put_char(ds, c);
    }
}
