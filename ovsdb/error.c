#include "ovsdb/error.h"

#include <stdarg.h>
#include <string.h>
#include "ds.h"
#include "json.h"

static struct ovsdb_error *
error_create_valist(const char *tag, const char *details, va_list args)
    PRINTF_FORMAT(2, 0);

static struct ovsdb_error *
error_create_valist(const char *tag, const char *details, va_list args)
{
    struct ovsdb_error *error = xmalloc(sizeof *error);
    error->tag = xstrdup(tag);
    error->details = details ? xvasprintf(details, args) : NULL;
    error->syntax = NULL;
    return error;
}

struct ovsdb_error *
ovsdb_error(const char *tag, const char *details, ...)
{
    struct ovsdb_error *error;
    va_list args;

    va_start(args, details);
    error = error_create_valist(tag, details, args);
    va_end(args);
    return error;
}

struct ovsdb_error *
ovsdb_syntax_error(const struct json *json, const char *tag,
                   const char *details, ...)
{
    struct ovsdb_error *error;
    va_list args;

    va_start(args, details);
    error = error_create_valist(tag ? tag : "syntax error", details, args);
    va_end(args);
    if (json) {
        error->syntax = json_clone(json);
    }
    return error;
}

struct ovsdb_error *
ovsdb_io_error(int errnum, const char *details, ...)
{
    struct ovsdb_error *error;
    va_list args;
    char *msg;

    va_start(args, details);
    msg = xvasprintf(details, args);
    va_end(args);
    error = ovsdb_error("I/O error", "%s (%s)", msg, util_strerror(errnum));
    free(msg);
    return error;
}

struct ovsdb_error *
ovsdb_internal_error(const char *details, ...)
{
    struct ovsdb_error *error;
    va_list args;

    va_start(args, details);
    error = error_create_valist("internal error", details, args);
    va_end(args);
    return error;
}

struct ovsdb_error *
ovsdb_error_wrap(struct ovsdb_error *error, const char *ctx, ...)
{
    va_list args;
    char *prefix, *details;

    if (!error) {
        return NULL;
    }
    va_start(args, ctx);
    prefix = xvasprintf(ctx, args);
    va_end(args);
    details = error->details ? xasprintf("%s: %s", prefix, error->details)
                             : xstrdup(prefix);
    free(prefix);
    free(error->details);
    error->details = details;
    return error;
}

struct ovsdb_error *
ovsdb_error_clone(const struct ovsdb_error *old)
{
    struct ovsdb_error *error = xmalloc(sizeof *error);
    error->tag = xstrdup(old->tag);
    error->details = old->details ? xstrdup(old->details) : NULL;
    error->syntax = old->syntax ? json_clone(old->syntax) : NULL;
    return error;
}

void
ovsdb_error_destroy(struct ovsdb_error *error)
{
    if (error) {
        free(error->tag);
        free(error->details);
        json_destroy(error->syntax);
        free(error);
    }
}

const char *
ovsdb_error_get_tag(const struct ovsdb_error *error)
{
    return error->tag;
}

struct json *
ovsdb_error_to_json(const struct ovsdb_error *error)
{
    struct json *json = json_object_create();
    json_object_put_string(json, "error", error->tag);
    if (error->details) {
        json_object_put_string(json, "details", error->details);
    }
    if (error->syntax) {
        json_object_put_nocopy(json, xstrdup("syntax"),
                               json_string_create_nocopy(
                                   json_to_string(error->syntax, 0)));
    }
    return json;
}

struct json *
ovsdb_error_to_json_free(struct ovsdb_error *error)
{
    struct json *json = ovsdb_error_to_json(error);
    ovsdb_error_destroy(error);
    return json;
}

char *
ovsdb_error_to_string(const struct ovsdb_error *error)
{
    struct ds ds = DS_EMPTY_INITIALIZER;
    if (error->syntax) {
        char *s = json_to_string(error->syntax, 0);
        ds_put_format(&ds, "syntax \"%s\": ", s);
        free(s);
    }
    ds_put_cstr(&ds, error->tag);
    if (error->details) {
        ds_put_format(&ds, ": %s", error->details);
    }
    return ds_steal_cstr(&ds);
}

char *
ovsdb_error_to_string_free(struct ovsdb_error *error)
{
    char *s = ovsdb_error_to_string(error);
    ovsdb_error_destroy(error);
    return s;
}
