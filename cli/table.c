/* Output tables for the generic database commands; see table.h. */
#include "cli/table.h"

#include <string.h>
#include "ds.h"
#include "json.h"
#include "util.h"
#include "ovsdb/datum.h"

void
table_init(struct table *t)
{
    memset(t, 0, sizeof *t);
}

static void
cell_destroy(struct table_cell *cell)
{
    free(cell->text);
    json_destroy(cell->json);
    free(cell->string);
    free(cell->bare);
}

void
table_destroy(struct table *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->n_columns; i++) {
        free(t->headings[i]);
    }
    free(t->headings);
    for (size_t i = 0; i < t->n_cells; i++) {
        cell_destroy(&t->cells[i]);
    }
    free(t->cells);
}

void
table_add_column(struct table *t, const char *heading)
{
    ASSERT(!t->n_rows);
    t->headings = xrealloc(t->headings,
                           (t->n_columns + 1) * sizeof *t->headings);
    t->headings[t->n_columns++] = xstrdup(heading);
}

void
table_add_row(struct table *t)
{
    ASSERT(t->n_cells == t->n_rows * t->n_columns);
    t->n_rows++;
}

static struct table_cell *
table_add_cell__(struct table *t)
{
    ASSERT(t->n_rows && t->n_cells < t->n_rows * t->n_columns);
    if (t->n_cells >= t->allocated_cells) {
        t->cells = x2nrealloc(t->cells, &t->allocated_cells,
                              sizeof *t->cells);
    }
    struct table_cell *cell = &t->cells[t->n_cells++];
    memset(cell, 0, sizeof *cell);
    return cell;
}

void
table_add_cell_text(struct table *t, const char *text)
{
    table_add_cell__(t)->text = xstrdup(text);
}

void
table_add_cell_datum(struct table *t, const struct ovsdb_datum *datum,
                     const struct ovsdb_type *type)
{
    struct table_cell *cell = table_add_cell__(t);
    struct ds s = DS_EMPTY_INITIALIZER;

    cell->json = ovsdb_datum_to_json(datum, type);
    ovsdb_datum_to_string(datum, type, &s);
    cell->string = ds_steal_cstr(&s);
    ovsdb_datum_to_bare(datum, type, &s);
    cell->bare = ds_steal_cstr(&s);
}

/* The text of 'cell' in 'format' (JSON text for CF_JSON).  The caller must
 * free it. */
static char *
cell_to_text(const struct table_cell *cell, enum cell_format format)
{
    if (cell->text) {
        return xstrdup(cell->text);
    }
    switch (format) {
    case CF_STRING:
        return xstrdup(cell->string);
    case CF_BARE:
        return xstrdup(cell->bare);
    case CF_JSON:
        return json_to_string(cell->json, JSSF_SORT);
    }
    util_abort("bad cell format %d", format);
}

static const struct table_cell *
table_cell(const struct table *t, size_t row, size_t column)
{
    return &t->cells[row * t->n_columns + column];
}

static void
format_list(const struct table *t, const struct table_style *style,
            struct ds *out)
{
    for (size_t r = 0; r < t->n_rows; r++) {
        if (r) {
            ds_put_char(out, '\n');
        }
        for (size_t c = 0; c < t->n_columns; c++) {
            char *text = cell_to_text(table_cell(t, r, c),
                                      style->cell_format);
            if (style->headings) {
                ds_put_format(out, "%-20s: ", t->headings[c]);
            }
            ds_put_format(out, "%s\n", text);
            free(text);
        }
    }
}

static void
put_padded_line(struct ds *out, char **texts, const size_t *widths,
                size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (c) {
            ds_put_char(out, ' ');
        }
        /* The last column is not padded. */
        ds_put_format(out, "%-*s", c + 1 < n ? (int) widths[c] : 0,
                      texts[c]);
    }
    ds_put_char(out, '\n');
}

static void
format_table(const struct table *t, const struct table_style *style,
             struct ds *out)
{
    size_t n = t->n_columns;
    size_t *widths = xcalloc(n ? n : 1, sizeof *widths);
    char **texts = xcalloc(t->n_rows * n + 1, sizeof *texts);

    for (size_t c = 0; c < n; c++) {
        widths[c] = style->headings ? strlen(t->headings[c]) : 0;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < n; c++) {
            char *text = cell_to_text(table_cell(t, r, c),
                                      style->cell_format);
            texts[r * n + c] = text;
            widths[c] = MAX(widths[c], strlen(text));
        }
    }
    if (style->headings) {
        char **dashes = xcalloc(n ? n : 1, sizeof *dashes);
        put_padded_line(out, t->headings, widths, n);
        for (size_t c = 0; c < n; c++) {
            dashes[c] = xmalloc(widths[c] + 1);
            memset(dashes[c], '-', widths[c]);
            dashes[c][widths[c]] = '\0';
        }
        put_padded_line(out, dashes, widths, n);
        for (size_t c = 0; c < n; c++) {
            free(dashes[c]);
        }
        free(dashes);
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        put_padded_line(out, &texts[r * n], widths, n);
    }
    for (size_t i = 0; i < t->n_rows * n; i++) {
        free(texts[i]);
    }
    free(texts);
    free(widths);
}

static void
put_csv_cell(struct ds *out, const char *s)
{
    if (!s[strcspn(s, "\",\r\n")]) {
        ds_put_cstr(out, s);
        return;
    }
    ds_put_char(out, '"');
    for (; *s; s++) {
        if (*s == '"') {
            ds_put_char(out, '"');
        }
        ds_put_char(out, *s);
    }
    ds_put_char(out, '"');
}

static void
format_csv(const struct table *t, const struct table_style *style,
           struct ds *out)
{
    if (style->headings) {
        for (size_t c = 0; c < t->n_columns; c++) {
            if (c) {
                ds_put_char(out, ',');
            }
            put_csv_cell(out, t->headings[c]);
        }
        ds_put_char(out, '\n');
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        for (size_t c = 0; c < t->n_columns; c++) {
            char *text = cell_to_text(table_cell(t, r, c),
                                      style->cell_format);
            if (c) {
                ds_put_char(out, ',');
            }
            put_csv_cell(out, text);
            free(text);
        }
        ds_put_char(out, '\n');
    }
}

static void
format_json(const struct table *t, bool pretty, struct ds *out)
{
    struct json *obj = json_object_create();
    struct json *headings = json_array_create_empty();
    struct json *data = json_array_create_empty();

    for (size_t c = 0; c < t->n_columns; c++) {
        json_array_add(headings, json_string_create(t->headings[c]));
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        struct json *row = json_array_create_empty();
        for (size_t c = 0; c < t->n_columns; c++) {
            const struct table_cell *cell = table_cell(t, r, c);
            json_array_add(row, cell->json ? json_clone(cell->json)
                                           : json_string_create(cell->text));
        }
        json_array_add(data, row);
    }
    json_object_put(obj, "data", data);
    json_object_put(obj, "headings", headings);
    char *s = json_to_string(obj, JSSF_SORT | (pretty ? JSSF_PRETTY : 0));
    ds_put_format(out, "%s\n", s);
    free(s);
    json_destroy(obj);
}

static void
put_html_escaped(struct ds *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': ds_put_cstr(out, "&amp;"); break;
        case '<': ds_put_cstr(out, "&lt;"); break;
        case '>': ds_put_cstr(out, "&gt;"); break;
        case '"': ds_put_cstr(out, "&quot;"); break;
        default: ds_put_char(out, *s); break;
        }
    }
}

static void
format_html(const struct table *t, const struct table_style *style,
            struct ds *out)
{
    ds_put_cstr(out, "<table border=1>\n");
    if (style->headings) {
        ds_put_cstr(out, "  <tr>\n");
        for (size_t c = 0; c < t->n_columns; c++) {
            ds_put_cstr(out, "    <th>");
            put_html_escaped(out, t->headings[c]);
            ds_put_cstr(out, "</th>\n");
        }
        ds_put_cstr(out, "  </tr>\n");
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        ds_put_cstr(out, "  <tr>\n");
        for (size_t c = 0; c < t->n_columns; c++) {
            char *text = cell_to_text(table_cell(t, r, c),
                                      style->cell_format);
            ds_put_cstr(out, "    <td>");
            put_html_escaped(out, text);
            ds_put_cstr(out, "</td>\n");
            free(text);
        }
        ds_put_cstr(out, "  </tr>\n");
    }
    ds_put_cstr(out, "</table>\n");
}

void
table_format(const struct table *t, const struct table_style *style,
             struct ds *out)
{
    switch (style->format) {
    case TF_LIST:
        format_list(t, style, out);
        break;
    case TF_TABLE:
        format_table(t, style, out);
        break;
    case TF_CSV:
        format_csv(t, style, out);
        break;
    case TF_JSON:
        format_json(t, style->pretty, out);
        break;
    case TF_HTML:
        format_html(t, style, out);
        break;
    }
}

bool
table_parse_format(const char *s, enum table_format *format)
{
    static const char *const names[] = { "list", "table", "csv", "json",
                                         "html" };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(s, names[i])) {
            *format = (enum table_format) i;
            return true;
        }
    }
    return false;
}

bool
table_parse_cell_format(const char *s, enum cell_format *format)
{
    static const char *const names[] = { "string", "bare", "json" };
    for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
        if (!strcmp(s, names[i])) {
            *format = (enum cell_format) i;
            return true;
        }
    }
    return false;
}
