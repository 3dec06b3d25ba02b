/* ovsdb/execution: runs the operations of one "transact" request (RFC 7047
 * §4.1.3, §5.2) against a database.
 *
 * ovsdb_execute() returns the reply's result array: one element per
 * executed operation, stopping after the first failed one, plus one more
 * error if the commit itself fails.  If a "wait" operation's condition does
 * not hold yet and its timeout has not expired, nothing is changed, NULL is
 * returned and '*timeout_msec' says how much longer the request may wait
 * (LLONG_MAX for ever): the caller retries after the next commit. */
#ifndef WEFT_OVSDB_EXECUTION_H
#define WEFT_OVSDB_EXECUTION_H 1

#include <stdbool.h>

struct json;
struct ovsdb;

struct ovsdb_execute_options {
    bool read_only;             /* Refuse operations that write. */
    /* Returns true if the session owns lock 'name'. */
    bool (*has_lock)(const char *name, void *aux);
    void *aux;
    long long elapsed_msec;     /* Time since the request first arrived. */
};

struct json *ovsdb_execute(struct ovsdb *, const struct json *params,
                           const struct ovsdb_execute_options *,
                           long long *timeout_msec);

#endif
