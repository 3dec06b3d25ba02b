/* ovsdb/error: structured OVSDB errors (RFC 7047 §3.1 "error" objects).
 *
 * An error has a short 'tag' from RFC 7047's list ("constraint violation",
 * "referential integrity violation", "syntax error", ...) and optional
 * human-readable 'details'.  Functions return 'struct ovsdb_error *': NULL
 * for success, otherwise an error the caller owns and must destroy (or pass
 * on).  Formatting with ovsdb_error_to_string() gives "tag: details". */
#ifndef WEFT_OVSDB_ERROR_H
#define WEFT_OVSDB_ERROR_H 1

#include "util.h"

struct json;

struct ovsdb_error {
    char *tag;                  /* RFC 7047 error tag. */
    char *details;              /* Human-readable explanation, or NULL. */
    struct json *syntax;        /* Offending JSON, if any. */
};

struct ovsdb_error *ovsdb_error(const char *tag, const char *details, ...)
    PRINTF_FORMAT(2, 3) WARN_UNUSED;
struct ovsdb_error *ovsdb_syntax_error(const struct json *, const char *tag,
                                       const char *details, ...)
    PRINTF_FORMAT(3, 4) WARN_UNUSED;
struct ovsdb_error *ovsdb_io_error(int error, const char *details, ...)
    PRINTF_FORMAT(2, 3) WARN_UNUSED;
struct ovsdb_error *ovsdb_internal_error(const char *details, ...)
    PRINTF_FORMAT(1, 2) WARN_UNUSED;
/* Prefixes the details of 'error' with 'context: '. */
struct ovsdb_error *ovsdb_error_wrap(struct ovsdb_error *, const char *ctx,
                                     ...) PRINTF_FORMAT(2, 3);
struct ovsdb_error *ovsdb_error_clone(const struct ovsdb_error *);
void ovsdb_error_destroy(struct ovsdb_error *);
const char *ovsdb_error_get_tag(const struct ovsdb_error *);
/* Returns {"error": tag, "details": details}. */
struct json *ovsdb_error_to_json(const struct ovsdb_error *);
struct json *ovsdb_error_to_json_free(struct ovsdb_error *);
char *ovsdb_error_to_string(const struct ovsdb_error *);
char *ovsdb_error_to_string_free(struct ovsdb_error *);

#endif
