/* pipeline-private: the compiled form shared by the pipeline's files.
 *
 * pipeline-compile.c builds it from a 'struct pipeline_input';
 * pipeline-classify.c indexes each table's conjunctions;
 * pipeline-execute.c and pipeline-actions.c run packets through it;
 * pipeline-trace.c records and prints traces. */
#ifndef WEFT_PIPELINE_PRIVATE_H
#define WEFT_PIPELINE_PRIVATE_H 1

#include "hmap.h"
#include "shash.h"
#include "pipeline/pipeline.h"

struct ds;

/* The most tables a pipeline may have (table ids are below this). */
#define PL_MAX_TABLES 64

struct pl_datapath;

/* One port_security entry, parsed at compile time: "MAC [IP...]" (at
 * most 16 addresses of each family are kept). */
struct pl_ps_entry {
    uint64_t mac;
    struct u128 ip4[16], ip4_mask[16];
    size_t n_ip4;
    struct u128 ip6[16], ip6_mask[16];
    size_t n_ip6;
};

/* Parses 'text' into 'e'; false if its MAC is bad (the entry is then
 * ignored, so the port admits nothing through it). */
bool pl_ps_parse(const char *text, struct pl_ps_entry *e);

struct pl_port {
    char *name;
    uint32_t key;
    struct pl_datapath *dp;
    char *type;
    char *peer;
    char *distributed_port;
    char **port_security;
    size_t n_port_security;
    struct pl_ps_entry *ps;         /* The valid entries, parsed. */
    size_t n_ps;
};

struct pl_mcgroup {
    char *name;
    uint32_t key;
    char **ports;
    size_t n_ports;
};

/* A logical flow, shared by the datapaths of its group. */
struct pl_flow {
    size_t seq;                     /* Input order: ties go to the first. */
    enum actions_pipeline pipeline;
    unsigned int table;
    unsigned int priority;
    char *match;
    char *uuid;
    char *stage_name;
    char *source;
    char *stage_hint;
    struct action_list actions;
};

/* One (field, mask) a conjunction consults, for the result's mask. */
struct pl_field_mask {
    enum symtab_field field;
    struct u128 mask;
};

/* A conjunction of a flow's match in one datapath. */
/* "field & mask == value" on one physical field. */
struct pl_guard {
    enum symtab_field field;
    struct u128 mask;
    struct u128 value;
};
#define PL_MAX_GUARDS 4

struct pl_conj {
    const struct pl_flow *flow;
    const struct expr *expr;        /* Conjunction (or whole expression
                                     * for a flow whose normal form was
                                     * too big). */
    struct pl_field_mask *masks;    /* Of the comparisons, atom by atom: */
    size_t n_masks;
    size_t *atom_ends;              /* Atom i's end in 'masks'. */
    size_t n_atoms;                 /* Top-level atoms of 'expr'. */
    struct pl_guard guards[PL_MAX_GUARDS];  /* Equalities it requires. */
    size_t n_guards;
    bool key_only;                  /* Matching the key is matching all of
                                     * it: no evaluation needed. */
};

/* An entry of a subtable: 'conj' filed under key 'value'. */
struct pl_entry {
    struct hmap_node node;
    struct u128 value;              /* Masked value (integer key). */
    const char *string;             /* Port name (string key). */
    const struct pl_conj *conj;
};

/* All entries keyed on one field under one mask. */
struct pl_subtable {
    enum symtab_field field;
    bool is_string;
    struct u128 mask;
    unsigned int max_priority;
    /* Equalities that every entry requires (eth.type == 0x86dd for
     * ip6.dst keys...): a packet failing one cannot match any entry, so
     * the lookup skips the subtable on that field's bits alone. */
    struct pl_guard guards[PL_MAX_GUARDS];
    size_t n_guards;
    bool has_entries;
    struct hmap entries;
};

struct pl_table {
    struct pl_subtable **subtables; /* Pointers: each holds an hmap. */
    size_t n_subtables;
    size_t allocated_subtables;
    const struct pl_conj **wild;    /* No usable key. */
    size_t n_wild;
    size_t allocated_wild;
    unsigned int max_wild_priority;
};

struct pl_datapath {
    struct hmap_node node;          /* In 'struct pipeline' by key. */
    uint32_t key;
    char *name;
    bool is_router;
    bool is_gateway_router;         /* Has an l3gateway port. */
    struct pl_table tables[2][PL_MAX_TABLES];
    struct shash mcgroups;          /* Name -> struct pl_mcgroup. */
    char *stages[2][PL_MAX_TABLES]; /* Stage name of each table seen. */
};

struct pl_mac_binding {
    struct hmap_node node;
    char *port;
    struct u128 ip;
    int family;
    uint64_t mac;
};

/* A learnt MAC (FDB): 'mac' is behind 'port' in datapath 'dp_key'. */
struct pl_fdb {
    struct hmap_node node;
    uint32_t dp_key;
    uint64_t mac;
    const struct pl_port *port;
};

/* DNS records (pipeline-dns.c): 'name' -> 'value' in datapath
 * 'dp_key'.  The input and the compiled pipeline
 * hold the same structure. */
struct pl_dns_record {
    struct hmap_node node;
    uint32_t dp_key;
    char *name;                     /* As given. */
    char *value;                    /* Addresses, or a name for PTR. */
};
struct pl_dns {
    struct hmap records;
};
void pl_dns_init(struct pl_dns *);
void pl_dns_destroy(struct pl_dns *);
void pl_dns_add(struct pl_dns *, const uint32_t *dp_keys, size_t n_dp_keys,
                const char *const *names, const char *const *values,
                size_t n_records);
void pl_dns_clone(struct pl_dns *dst, const struct pl_dns *src);
/* The value of the record that 'name', lower-cased, names in datapath
 * 'dp_key', or NULL. */
const char *pl_dns_find(const struct pl_dns *, uint32_t dp_key,
                        const char *name);

/* What the expression parser's set callbacks get: the pipeline and the
 * datapath whose port groups "@name" means (0: unscoped names only). */
struct pl_env_aux {
    const struct pipeline *pl;
    uint32_t dp_key;
};

struct pipeline {
    const struct symtab *symtab;
    struct pl_env_aux env_aux;      /* For pipeline_expr_env(). */
    struct hmap datapaths;          /* struct pl_datapath by key. */
    struct shash ports;             /* Name -> struct pl_port. */
    struct hmap mac_bindings;       /* By port and ip. */
    struct hmap fdbs;               /* struct pl_fdb by datapath and MAC. */
    struct pl_dns dns;              /* DNS records, for dns_lookup(). */
    struct shash addr_sets;         /* Name -> struct expr_const_set. */
    struct shash port_groups;       /* Name -> struct expr_const_set. */

    struct pl_flow **flows;
    size_t n_flows;
    struct pl_conj **conjs;         /* All, for freeing. */
    size_t n_conjs;
    size_t allocated_conjs;
    struct expr **exprs;            /* Owned normal forms. */
    size_t n_exprs;
    size_t allocated_exprs;

    char **errors;
    size_t n_errors;
    size_t allocated_errors;
};

struct pl_datapath *pl_datapath_find(const struct pipeline *, uint32_t key);
const struct pl_port *pl_port_find(const struct pipeline *,
                                   const char *name);
const struct pl_mac_binding *pl_mac_binding_find(const struct pipeline *,
                                                 const char *port,
                                                 int family, struct u128 ip);
const struct pl_fdb *pl_fdb_find(const struct pipeline *, uint32_t dp_key,
                                 uint64_t mac);

/* Classifier (pipeline-classify.c). */
void pl_table_init(struct pl_table *);
void pl_table_destroy(struct pl_table *);
void pl_table_insert(struct pl_table *, struct pl_conj *);
/* Orders a table for lookup once every conjunction is inserted. */
void pl_table_finish(struct pl_table *);
/* Returns the highest-priority conjunction of 'table' that 'flow'
 * satisfies, or NULL.  ORs the fields consulted into 'mask'. */
const struct pl_conj *pl_table_lookup(const struct pl_table *,
                                      const struct symtab_flow *flow,
                                      struct symtab_flow *mask);
void pl_conj_compute_masks(struct pl_conj *);

/* Trace tree (pipeline-trace.c). */
struct pipeline_trace_node *pl_trace_add(struct pipeline_trace_node *super,
                                         enum pipeline_trace_type,
                                         const char *format, ...)
    PRINTF_FORMAT(3, 4);
void pl_trace_node_destroy(struct pipeline_trace_node *);

/* Formats the value of 'n_bits' bits of 'symbol' as ovn-trace prints an
 * assigned value (MACs, IP addresses, decimal). */
void pl_format_value(const struct symtab_symbol *, unsigned int n_bits,
                     struct u128 value, struct ds *);

#endif
