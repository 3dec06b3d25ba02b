/* symtab: the symbols of OVN 23.03's logical flow language, and the
 * physical fields they are made of.
 *
 * Two layers:
 *
 *   - Physical fields ('enum symtab_field') are what a packet key holds:
 *     Ethernet addresses, the L4 ports, ten 32-bit registers, conntrack
 *     state, the logical input and output port names...  This enumeration
 *     is stable: the pipeline engine and the datapath index their packet
 *     keys and field masks by it.  Several symbols may share a physical
 *     field (tcp.src, udp.src and sctp.src are all SYMTAB_F_TP_SRC;
 *     arp.op and rarp.op are both SYMTAB_F_ARP_OP; icmp4.type and
 *     icmp6.type are SYMTAB_F_ICMP_TYPE): their prerequisites keep them
 *     apart.
 *
 *   - Symbols ('struct symtab_symbol') are the names a match or an action
 *     uses.  There are three kinds:
 *       * fields: "eth.src", "inport", "xxreg0"...  An integer field is
 *         'width' bits wide and maps onto 'n_fields' consecutive physical
 *         fields: one for most, or 32-bit registers for xxreg0 (REG0..REG3,
 *         REG0 most significant), xxreg1 (REG4..REG7) and xreg4 (REG8,
 *         REG9).  A string field (width 0) holds a logical port name.
 *       * subfields: a bit range of another symbol, e.g. vlan.vid is
 *         vlan.tci[0..11], ct.trk is ct_state[5], reg0 is xxreg0[96..127],
 *         xreg0 is xxreg0[64..127] (as OVN defines them: OVN prints
 *         "reg0 == 1" annotated as "xxreg0[96..127] == 0x1").
 *       * predicates: a name for an expression, e.g. ip4 is
 *         "eth.type == 0x800", tcp is "ip.proto == 6".  A predicate acts
 *         like a 1-bit field in a match and cannot be assigned.
 *
 *     Every symbol may have prerequisites, an expression implied by its
 *     use: tcp.dst requires "tcp", which requires (through ip.proto) "ip".
 *
 * Level of measurement ('enum symtab_level'): a nominal field (eth.type,
 * ip.proto, ip.ttl, arp.op, icmp4.type, inport...) may only be tested for
 * equality, taking enclosing '!' into account, and has no subfields; an
 * ordinal field may be sliced and compared with < <= > >=.  A predicate is
 * nominal if its expansion names a nominal symbol directly, else boolean;
 * a nominal predicate may only be tested positively ("ip4", not "!ip4").
 *
 * Assignment ('enum symtab_access'): actions may assign SYMTAB_RW symbols
 * (and SYMTAB_WO ones, which matches cannot use); ct_mark, ct_label and
 * their subfields only inside "ct_commit { ... }" (SYMTAB_RW_CT_COMMIT);
 * eth.type, ip.proto, ip.frag, tcp.flags, ct_state and its subfields are
 * read-only.  (Pipeline rules, such as outport being read-only in the
 * egress pipeline, are the action parser's business.)
 *
 * docs/flow-language.md lists the table (a test keeps the two identical)
 * and says how each fact was established with the real OVN.
 *
 * Ownership and threads: symtab_create() builds an immutable table that
 * may be shared by any number of threads; symbols live as long as it.
 * 'struct symtab_flow' owns its port-name strings. */
#ifndef WEFT_EXPR_SYMTAB_H
#define WEFT_EXPR_SYMTAB_H 1

#include <stdbool.h>
#include <stddef.h>
#include "expr/u128.h"

/* Physical fields.  Widths in bits are in comments; 0 is a string. */
enum symtab_field {
    SYMTAB_F_DATAPATH,          /* 32: logical datapath key (no symbol). */
    SYMTAB_F_INPORT,            /* 0: logical input port name. */
    SYMTAB_F_OUTPORT,           /* 0: logical output port or mcast group. */
    SYMTAB_F_REG0,              /* 32 each: reg0..reg9. */
    SYMTAB_F_REG1,
    SYMTAB_F_REG2,
    SYMTAB_F_REG3,
    SYMTAB_F_REG4,
    SYMTAB_F_REG5,
    SYMTAB_F_REG6,
    SYMTAB_F_REG7,
    SYMTAB_F_REG8,
    SYMTAB_F_REG9,
    SYMTAB_F_FLAGS,             /* 32: logical flags (OVN's reg10). */
    SYMTAB_F_PKT_MARK,          /* 32. */
    SYMTAB_F_CT_STATE,          /* 32: OVS ct_state bits (new=0, est=1,
                                 * rel=2, rpl=3, inv=4, trk=5, snat=6,
                                 * dnat=7). */
    SYMTAB_F_CT_MARK,           /* 32. */
    SYMTAB_F_CT_LABEL,          /* 128. */
    SYMTAB_F_ETH_SRC,           /* 48. */
    SYMTAB_F_ETH_DST,           /* 48. */
    SYMTAB_F_ETH_TYPE,          /* 16. */
    SYMTAB_F_VLAN_TCI,          /* 16: PCP(3) CFI/present(1) VID(12). */
    SYMTAB_F_IP_PROTO,          /* 8. */
    SYMTAB_F_IP_DSCP,           /* 6. */
    SYMTAB_F_IP_ECN,            /* 2. */
    SYMTAB_F_IP_TTL,            /* 8: IPv4 TTL or IPv6 hop limit. */
    SYMTAB_F_IP_FRAG,           /* 2: bit 0 is-fragment, bit 1 later. */
    SYMTAB_F_IP4_SRC,           /* 32. */
    SYMTAB_F_IP4_DST,           /* 32. */
    SYMTAB_F_IP6_SRC,           /* 128. */
    SYMTAB_F_IP6_DST,           /* 128. */
    SYMTAB_F_IP6_LABEL,         /* 20. */
    SYMTAB_F_ARP_OP,            /* 16: arp.op, rarp.op. */
    SYMTAB_F_ARP_SPA,           /* 32. */
    SYMTAB_F_ARP_TPA,           /* 32. */
    SYMTAB_F_ARP_SHA,           /* 48. */
    SYMTAB_F_ARP_THA,           /* 48. */
    SYMTAB_F_TP_SRC,            /* 16: tcp.src, udp.src, sctp.src. */
    SYMTAB_F_TP_DST,            /* 16: tcp.dst, udp.dst, sctp.dst. */
    SYMTAB_F_TCP_FLAGS,         /* 12. */
    SYMTAB_F_ICMP_TYPE,         /* 8: icmp4.type, icmp6.type. */
    SYMTAB_F_ICMP_CODE,         /* 8: icmp4.code, icmp6.code. */
    SYMTAB_F_ICMP_FRAG_MTU,     /* 16: icmp4/6.frag_mtu (write-only). */
    SYMTAB_F_ND_TARGET,         /* 128. */
    SYMTAB_F_ND_SLL,            /* 48. */
    SYMTAB_F_ND_TLL,            /* 48. */
    SYMTAB_N_FIELDS
};

/* Returns the name of physical field 'f' ("ETH_SRC") and its width in bits
 * (0 for the string fields). */
const char *symtab_field_name(enum symtab_field f);
unsigned int symtab_field_width(enum symtab_field f);

enum symtab_kind {
    SYMTAB_FIELD,
    SYMTAB_SUBFIELD,
    SYMTAB_PREDICATE,
};

enum symtab_level {
    SYMTAB_NOMINAL,             /* Equality tests only, no slices. */
    SYMTAB_ORDINAL,             /* Bits addressable, all relations. */
    SYMTAB_BOOLEAN,             /* A predicate over ordinal fields only. */
};

enum symtab_access {
    SYMTAB_RO,                  /* Matches only. */
    SYMTAB_RW,                  /* Matches and assignments. */
    SYMTAB_RW_CT_COMMIT,        /* Assignable only inside ct_commit {}. */
    SYMTAB_WO,                  /* Assignments only (OVN-only fields). */
};

struct symtab_symbol {
    const char *name;
    enum symtab_kind kind;
    enum symtab_level level;
    enum symtab_access access;
    unsigned int width;         /* Bits; 0 for a string field; 1 for a
                                 * predicate. */
    const char *prereqs;        /* Prerequisite expression, or NULL. */

    /* SYMTAB_FIELD: the physical fields, most significant first. */
    enum symtab_field field;
    unsigned int n_fields;

    /* SYMTAB_SUBFIELD: bits 'ofs'...'ofs + width - 1' of 'parent' (which
     * may itself be a subfield, as reg0 of xxreg0). */
    const struct symtab_symbol *parent;
    unsigned int ofs;

    /* SYMTAB_PREDICATE: the expression the name stands for. */
    const char *expansion;
};

/* Returns the field that 'symbol' (a field or subfield) is part of, and in
 * '*ofs' the offset of 'symbol''s bit 0 in it. */
const struct symtab_symbol *symtab_symbol_root(const struct symtab_symbol *,
                                               unsigned int *ofs);

/* Is 'symbol' a string field (inport, outport)? */
static inline bool
symtab_symbol_is_string(const struct symtab_symbol *symbol)
{
    return symbol->kind == SYMTAB_FIELD && symbol->width == 0;
}

struct symtab;

/* Creates OVN 23.03's symbol table.  symtab_destroy() accepts NULL. */
struct symtab *symtab_create(void);
void symtab_destroy(struct symtab *);

/* Returns the symbol named 'name', or NULL. */
const struct symtab_symbol *symtab_lookup(const struct symtab *,
                                          const char *name);

/* Iteration in definition order: symbols 0...symtab_count() - 1. */
size_t symtab_count(const struct symtab *);
const struct symtab_symbol *symtab_at(const struct symtab *, size_t i);

/* Returns a symbol that names exactly physical field 'f' ("eth.src" for
 * SYMTAB_F_ETH_SRC, "reg0" for SYMTAB_F_REG0, "tcp.src" for
 * SYMTAB_F_TP_SRC, "arp.op" for SYMTAB_F_ARP_OP...), or NULL for
 * SYMTAB_F_DATAPATH. */
const struct symtab_symbol *symtab_field_symbol(const struct symtab *,
                                                enum symtab_field);

/* The values of the physical fields of one packet.  Integer fields use the
 * low bits of 'fields[f]' (bits above the field's width are zero); the
 * port names are owned strings or NULL (which compares equal to no name,
 * not even "").  The same structure holds a set of field masks:
 * symtab_flow_set(masks, symbol, all-ones, mask) ORs 'mask' in. */
struct symtab_flow {
    struct u128 fields[SYMTAB_N_FIELDS];
    char *inport;
    char *outport;
};

void symtab_flow_init(struct symtab_flow *);         /* All zero, no ports. */
void symtab_flow_destroy(struct symtab_flow *);
void symtab_flow_clone(struct symtab_flow *dst, const struct symtab_flow *);

/* Gets or sets the bits of integer 'symbol' (a field or subfield).
 * symtab_flow_set() changes only the bits set in 'mask' (in the symbol's
 * own bit numbering). */
struct u128 symtab_flow_get(const struct symtab_flow *,
                            const struct symtab_symbol *);
void symtab_flow_set(struct symtab_flow *, const struct symtab_symbol *,
                     struct u128 value, struct u128 mask);

/* Gets or sets string field 'symbol' (inport or outport).  The setter
 * copies 'name' (NULL clears it). */
const char *symtab_flow_get_string(const struct symtab_flow *,
                                   const struct symtab_symbol *);
void symtab_flow_set_string(struct symtab_flow *,
                            const struct symtab_symbol *, const char *name);

#endif
