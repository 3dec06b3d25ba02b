/* cli/table: the tables that "list" and "find" print, in ovs-vsctl's
 * output formats.
 *
 *     struct table t;
 *     table_init(&t);
 *     table_add_column(&t, "_uuid");  table_add_column(&t, "name");
 *     table_add_row(&t);
 *     table_add_cell_datum(&t, &datum, &type);   (or table_add_cell_text)
 *     ...
 *     table_format(&t, &style, &ds);
 *     table_destroy(&t);
 *
 * A cell is either plain text or an OVSDB datum with its type; a datum
 * cell is rendered at print time as --data asks (ovs-vsctl's string
 * syntax, bare, or JSON), and always as JSON in the JSON table format.
 *
 * Formats, as ovs-vsctl 3.1 prints them:
 *   list   per row, "heading" padded to 20 columns, ": ", the cell; rows
 *          separated by a blank line.
 *   table  headings, a line of dashes, then the rows; every column but
 *          the last padded to its widest cell.
 *   csv    RFC 4180: a cell is quoted when it contains a comma, a quote or
 *          a line break, with quotes doubled.
 *   json   one object {"data":[[cell...]...],"headings":[...]} on a line.
 *   html   <table border=1> with <tr>/<th>/<td>, cells HTML-escaped.
 *
 * A table owns its headings and cells.  Not thread-safe. */
#ifndef WEFT_CLI_TABLE_H
#define WEFT_CLI_TABLE_H 1

#include <stdbool.h>
#include <stddef.h>

struct ds;
struct json;
struct ovsdb_datum;
struct ovsdb_type;

enum table_format {
    TF_LIST,
    TF_TABLE,
    TF_CSV,
    TF_JSON,
    TF_HTML,
};

enum cell_format {
    CF_STRING,                  /* ovs-vsctl syntax: [a, b], {k=v}. */
    CF_BARE,                    /* a b, k=v: no punctuation or quotes. */
    CF_JSON,                    /* RFC 7047 JSON: ["set",["a","b"]]. */
};

struct table_style {
    enum table_format format;
    enum cell_format cell_format;
    bool headings;              /* Print the heading row? */
    bool pretty;                /* Indent the JSON format? */
};

#define TABLE_STYLE_DEFAULT { TF_LIST, CF_STRING, true, false }

struct table_cell {
    char *text;                 /* Plain text, or NULL for a datum. */
    struct json *json;          /* The datum as JSON, or NULL. */
    char *string;               /* The datum in CF_STRING syntax. */
    char *bare;                 /* The datum in CF_BARE syntax. */
};

struct table {
    char **headings;
    size_t n_columns;
    struct table_cell *cells;   /* n_rows * n_columns, row by row. */
    size_t n_rows;
    size_t n_cells;             /* Cells added so far. */
    size_t allocated_cells;
};

void table_init(struct table *);
void table_destroy(struct table *);
void table_add_column(struct table *, const char *heading);
/* Starts a new row; the following cells fill it from the left. */
void table_add_row(struct table *);
void table_add_cell_text(struct table *, const char *text);
void table_add_cell_datum(struct table *, const struct ovsdb_datum *,
                          const struct ovsdb_type *);

void table_format(const struct table *, const struct table_style *,
                  struct ds *);

/* Parses "--format" and "--data" arguments.  Return false if unknown. */
bool table_parse_format(const char *, enum table_format *);
bool table_parse_cell_format(const char *, enum cell_format *);

#endif
