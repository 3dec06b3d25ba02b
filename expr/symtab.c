/* symtab: OVN 23.03's symbol table.  See symtab.h.
 *
 * The table below was established against the real OVN 23.03: which names
 * exist and which do not (ovn-trace's "Syntax error at `flags.localnet'
 * expecting field name."), widths (its "N-bit constant is not compatible
 * with M-bit field F." messages), nominal fields ("Cannot select subfield
 * of nominal field F."), prerequisites and subfield layout (the annotated
 * expression in its "Constraints are ambiguous: ..." messages), and which
 * symbols actions may assign ("Field F is not modifiable.", "Predicate
 * symbol P used where lvalue required."). */
#include "expr/symtab.h"

#include <string.h>

#include "expr/lex.h"
#include "shash.h"
#include "util.h"

static const struct {
    const char *name;
    unsigned int width;
} fields[SYMTAB_N_FIELDS] = {
    [SYMTAB_F_DATAPATH] = { "DATAPATH", 32 },
    [SYMTAB_F_INPORT] = { "INPORT", 0 },
    [SYMTAB_F_OUTPORT] = { "OUTPORT", 0 },
    [SYMTAB_F_REG0] = { "REG0", 32 },
    [SYMTAB_F_REG1] = { "REG1", 32 },
    [SYMTAB_F_REG2] = { "REG2", 32 },
    [SYMTAB_F_REG3] = { "REG3", 32 },
    [SYMTAB_F_REG4] = { "REG4", 32 },
    [SYMTAB_F_REG5] = { "REG5", 32 },
    [SYMTAB_F_REG6] = { "REG6", 32 },
    [SYMTAB_F_REG7] = { "REG7", 32 },
    [SYMTAB_F_REG8] = { "REG8", 32 },
    [SYMTAB_F_REG9] = { "REG9", 32 },
    [SYMTAB_F_FLAGS] = { "FLAGS", 32 },
    [SYMTAB_F_PKT_MARK] = { "PKT_MARK", 32 },
    [SYMTAB_F_CT_STATE] = { "CT_STATE", 32 },
    [SYMTAB_F_CT_MARK] = { "CT_MARK", 32 },
    [SYMTAB_F_CT_LABEL] = { "CT_LABEL", 128 },
    [SYMTAB_F_ETH_SRC] = { "ETH_SRC", 48 },
    [SYMTAB_F_ETH_DST] = { "ETH_DST", 48 },
    [SYMTAB_F_ETH_TYPE] = { "ETH_TYPE", 16 },
    [SYMTAB_F_VLAN_TCI] = { "VLAN_TCI", 16 },
    [SYMTAB_F_IP_PROTO] = { "IP_PROTO", 8 },
    [SYMTAB_F_IP_DSCP] = { "IP_DSCP", 6 },
    [SYMTAB_F_IP_ECN] = { "IP_ECN", 2 },
    [SYMTAB_F_IP_TTL] = { "IP_TTL", 8 },
    [SYMTAB_F_IP_FRAG] = { "IP_FRAG", 2 },
    [SYMTAB_F_IP4_SRC] = { "IP4_SRC", 32 },
    [SYMTAB_F_IP4_DST] = { "IP4_DST", 32 },
    [SYMTAB_F_IP6_SRC] = { "IP6_SRC", 128 },
    [SYMTAB_F_IP6_DST] = { "IP6_DST", 128 },
    [SYMTAB_F_IP6_LABEL] = { "IP6_LABEL", 20 },
    [SYMTAB_F_ARP_OP] = { "ARP_OP", 16 },
    [SYMTAB_F_ARP_SPA] = { "ARP_SPA", 32 },
    [SYMTAB_F_ARP_TPA] = { "ARP_TPA", 32 },
    [SYMTAB_F_ARP_SHA] = { "ARP_SHA", 48 },
    [SYMTAB_F_ARP_THA] = { "ARP_THA", 48 },
    [SYMTAB_F_TP_SRC] = { "TP_SRC", 16 },
    [SYMTAB_F_TP_DST] = { "TP_DST", 16 },
    [SYMTAB_F_TCP_FLAGS] = { "TCP_FLAGS", 12 },
    [SYMTAB_F_ICMP_TYPE] = { "ICMP_TYPE", 8 },
    [SYMTAB_F_ICMP_CODE] = { "ICMP_CODE", 8 },
    [SYMTAB_F_ICMP_FRAG_MTU] = { "ICMP_FRAG_MTU", 16 },
    [SYMTAB_F_ND_TARGET] = { "ND_TARGET", 128 },
    [SYMTAB_F_ND_SLL] = { "ND_SLL", 48 },
    [SYMTAB_F_ND_TLL] = { "ND_TLL", 48 },
};

const char *
symtab_field_name(enum symtab_field f)
{
    return f < SYMTAB_N_FIELDS ? fields[f].name : "<invalid>";
}

unsigned int
symtab_field_width(enum symtab_field f)
{
    return f < SYMTAB_N_FIELDS ? fields[f].width : 0;
}

/* One symbol definition.  'parent' names a subfield's parent; the rest is
 * as in 'struct symtab_symbol'.  A predicate's level is computed. */
struct symtab_def {
    const char *name;
    enum symtab_kind kind;
    enum symtab_level level;
    enum symtab_access access;
    unsigned int width;
    const char *prereqs;
    enum symtab_field field;
    unsigned int n_fields;
    const char *parent;
    unsigned int ofs;
    const char *expansion;
};

#define FIELD(NAME, F, LEVEL, ACCESS, PREREQS)                          \
    { NAME, SYMTAB_FIELD, SYMTAB_##LEVEL, SYMTAB_##ACCESS, 0, PREREQS,  \
      SYMTAB_F_##F, 1, NULL, 0, NULL }
#define REGS(NAME, F, N)                                                \
    { NAME, SYMTAB_FIELD, SYMTAB_ORDINAL, SYMTAB_RW, 32 * (N), NULL,    \
      SYMTAB_F_##F, N, NULL, 0, NULL }
#define SUB(NAME, PARENT, LO, HI, PREREQS)                              \
    { NAME, SYMTAB_SUBFIELD, SYMTAB_ORDINAL, SYMTAB_RO, (HI) - (LO) + 1, \
      PREREQS, SYMTAB_F_DATAPATH, 0, PARENT, LO, NULL }
#define PRED(NAME, EXPANSION)                                           \
    { NAME, SYMTAB_PREDICATE, SYMTAB_BOOLEAN, SYMTAB_RO, 1, NULL,       \
      SYMTAB_F_DATAPATH, 0, NULL, 0, EXPANSION }

static const struct symtab_def symtab_defs[] = {
    /* Logical ports. */
    FIELD("inport", INPORT, NOMINAL, RW, NULL),
    FIELD("outport", OUTPORT, NOMINAL, RW, NULL),

    /* Registers.  OVN defines the 128-bit ones as fields and the narrower
     * ones as their subfields, reg0 being the most significant word. */
    REGS("xxreg0", REG0, 4),
    REGS("xxreg1", REG4, 4),
    SUB("xreg0", "xxreg0", 64, 127, NULL),
    SUB("xreg1", "xxreg0", 0, 63, NULL),
    SUB("xreg2", "xxreg1", 64, 127, NULL),
    SUB("xreg3", "xxreg1", 0, 63, NULL),
    REGS("xreg4", REG8, 2),
    SUB("reg0", "xxreg0", 96, 127, NULL),
    SUB("reg1", "xxreg0", 64, 95, NULL),
    SUB("reg2", "xxreg0", 32, 63, NULL),
    SUB("reg3", "xxreg0", 0, 31, NULL),
    SUB("reg4", "xxreg1", 96, 127, NULL),
    SUB("reg5", "xxreg1", 64, 95, NULL),
    SUB("reg6", "xxreg1", 32, 63, NULL),
    SUB("reg7", "xxreg1", 0, 31, NULL),
    SUB("reg8", "xreg4", 32, 63, NULL),
    SUB("reg9", "xreg4", 0, 31, NULL),

    /* Logical flags. */
    FIELD("flags", FLAGS, ORDINAL, RW, NULL),
    SUB("flags.loopback", "flags", 0, 0, NULL),
    SUB("flags.force_snat_for_dnat", "flags", 2, 2, NULL),
    SUB("flags.force_snat_for_lb", "flags", 3, 3, NULL),
    SUB("flags.skip_snat_for_lb", "flags", 9, 9, NULL),
    SUB("flags.use_snat_zone", "flags", 11, 11, NULL),

    FIELD("pkt.mark", PKT_MARK, ORDINAL, RW, NULL),

    /* Connection tracking. */
    FIELD("ct_mark", CT_MARK, ORDINAL, RW_CT_COMMIT, NULL),
    SUB("ct_mark.blocked", "ct_mark", 0, 0, NULL),
    SUB("ct_mark.natted", "ct_mark", 1, 1, NULL),
    SUB("ct_mark.skip_snat", "ct_mark", 2, 2, NULL),
    SUB("ct_mark.force_snat", "ct_mark", 3, 3, NULL),
    SUB("ct_mark.ecmp_reply_port", "ct_mark", 16, 31, NULL),
    FIELD("ct_label", CT_LABEL, ORDINAL, RW_CT_COMMIT, NULL),
    SUB("ct_label.blocked", "ct_label", 0, 0, NULL),
    SUB("ct_label.natted", "ct_label", 1, 1, NULL),
    SUB("ct_label.skip_snat", "ct_label", 2, 2, NULL),
    SUB("ct_label.force_snat", "ct_label", 3, 3, NULL),
    SUB("ct_label.ecmp_reply_eth", "ct_label", 32, 79, NULL),
    SUB("ct_label.ecmp_reply_port", "ct_label", 80, 95, NULL),
    SUB("ct_label.label", "ct_label", 96, 127, NULL),
    FIELD("ct_state", CT_STATE, ORDINAL, RO, NULL),
    SUB("ct.trk", "ct_state", 5, 5, NULL),
    SUB("ct.new", "ct_state", 0, 0, "ct.trk"),
    SUB("ct.est", "ct_state", 1, 1, "ct.trk"),
    SUB("ct.rel", "ct_state", 2, 2, "ct.trk"),
    SUB("ct.rpl", "ct_state", 3, 3, "ct.trk"),
    SUB("ct.inv", "ct_state", 4, 4, "ct.trk"),
    SUB("ct.dnat", "ct_state", 7, 7, "ct.trk"),
    SUB("ct.snat", "ct_state", 6, 6, "ct.trk"),

    /* Ethernet. */
    FIELD("eth.src", ETH_SRC, ORDINAL, RW, NULL),
    FIELD("eth.dst", ETH_DST, ORDINAL, RW, NULL),
    FIELD("eth.type", ETH_TYPE, NOMINAL, RO, NULL),
    PRED("eth.bcast", "eth.dst == ff:ff:ff:ff:ff:ff"),
    SUB("eth.mcast", "eth.dst", 40, 40, NULL),
    PRED("eth.mcastv6", "eth.dst[32..47] == 0x3333"),

    /* VLAN. */
    FIELD("vlan.tci", VLAN_TCI, ORDINAL, RW, NULL),
    PRED("vlan.present", "vlan.tci[12]"),
    SUB("vlan.pcp", "vlan.tci", 13, 15, "vlan.present"),
    SUB("vlan.vid", "vlan.tci", 0, 11, "vlan.present"),

    /* IP. */
    PRED("ip4", "eth.type == 0x800"),
    PRED("ip6", "eth.type == 0x86dd"),
    PRED("ip", "ip4 || ip6"),
    FIELD("ip.proto", IP_PROTO, NOMINAL, RO, "ip"),
    FIELD("ip.dscp", IP_DSCP, NOMINAL, RW, "ip"),
    FIELD("ip.ecn", IP_ECN, NOMINAL, RW, "ip"),
    FIELD("ip.ttl", IP_TTL, NOMINAL, RW, "ip"),
    FIELD("ip.frag", IP_FRAG, ORDINAL, RO, "ip"),
    PRED("ip.is_frag", "ip.frag[0]"),
    PRED("ip.later_frag", "ip.frag[1]"),
    PRED("ip.first_frag", "ip.is_frag && !ip.later_frag"),
    FIELD("ip4.src", IP4_SRC, ORDINAL, RW, "ip4"),
    FIELD("ip4.dst", IP4_DST, ORDINAL, RW, "ip4"),
    PRED("ip4.src_mcast", "ip4.src[28..31] == 0xe"),
    PRED("ip4.mcast", "eth.mcast && ip4.dst[28..31] == 0xe"),
    FIELD("ip6.src", IP6_SRC, ORDINAL, RW, "ip6"),
    FIELD("ip6.dst", IP6_DST, ORDINAL, RW, "ip6"),
    FIELD("ip6.label", IP6_LABEL, ORDINAL, RW, "ip6"),
    PRED("ip6.mcast_rsvd",
         "ip6.dst[116..127] == 0xff0 && ip6.dst[0..111] == 0x0"),
    PRED("ip6.mcast_all_nodes", "ip6.dst == ff01::1 || ip6.dst == ff02::1"),
    PRED("ip6.mcast_all_rtrs",
         "ip6.dst == ff01::2 || ip6.dst == ff02::2 || ip6.dst == ff05::2"),
    PRED("ip6.mcast_sol_node", "ip6.dst == ff02::1:ff00:0000/104"),
    PRED("ip6.mcast_flood",
         "eth.mcastv6 && (ip6.mcast_rsvd || ip6.mcast_all_nodes || "
         "ip6.mcast_all_rtrs || ip6.mcast_sol_node)"),
    PRED("ip6.mcast", "eth.mcastv6 && ip6.dst[120..127] == 0xff"),

    /* ICMP. */
    PRED("icmp4", "ip4 && ip.proto == 1"),
    FIELD("icmp4.type", ICMP_TYPE, NOMINAL, RW, "icmp4"),
    FIELD("icmp4.code", ICMP_CODE, NOMINAL, RW, "icmp4"),
    FIELD("icmp4.frag_mtu", ICMP_FRAG_MTU, NOMINAL, WO, "icmp4"),
    PRED("icmp6", "ip6 && ip.proto == 58"),
    FIELD("icmp6.type", ICMP_TYPE, NOMINAL, RW, "icmp6"),
    FIELD("icmp6.code", ICMP_CODE, NOMINAL, RW, "icmp6"),
    FIELD("icmp6.frag_mtu", ICMP_FRAG_MTU, NOMINAL, WO, "icmp6"),
    PRED("icmp", "icmp4 || icmp6"),
    PRED("igmp", "ip4 && ip.proto == 2"),
    PRED("mldv1", "ip6.src == fe80::/10 && icmp6.type == {130, 131, 132}"),
    PRED("mldv2", "ip6.dst == ff02::16 && icmp6.type == 143"),

    /* ARP and RARP share their physical fields. */
    PRED("arp", "eth.type == 0x806"),
    FIELD("arp.op", ARP_OP, NOMINAL, RW, "arp"),
    FIELD("arp.spa", ARP_SPA, ORDINAL, RW, "arp"),
    FIELD("arp.tpa", ARP_TPA, ORDINAL, RW, "arp"),
    FIELD("arp.sha", ARP_SHA, ORDINAL, RW, "arp"),
    FIELD("arp.tha", ARP_THA, ORDINAL, RW, "arp"),
    PRED("rarp", "eth.type == 0x8035"),
    FIELD("rarp.op", ARP_OP, NOMINAL, RW, "rarp"),
    FIELD("rarp.spa", ARP_SPA, ORDINAL, RW, "rarp"),
    FIELD("rarp.tpa", ARP_TPA, ORDINAL, RW, "rarp"),
    FIELD("rarp.sha", ARP_SHA, ORDINAL, RW, "rarp"),
    FIELD("rarp.tha", ARP_THA, ORDINAL, RW, "rarp"),

    /* IPv6 neighbor discovery. */
    PRED("nd", "icmp6.type == {135, 136} && icmp6.code == 0 && "
         "ip.ttl == 255"),
    PRED("nd_ns", "icmp6.type == 135 && icmp6.code == 0 && ip.ttl == 255"),
    PRED("nd_na", "icmp6.type == 136 && icmp6.code == 0 && ip.ttl == 255"),
    PRED("nd_rs", "icmp6.type == 133 && icmp6.code == 0 && ip.ttl == 255"),
    PRED("nd_ra", "icmp6.type == 134 && icmp6.code == 0 && ip.ttl == 255"),
    FIELD("nd.target", ND_TARGET, ORDINAL, RW, "nd"),
    FIELD("nd.sll", ND_SLL, ORDINAL, RW, "nd_ns"),
    FIELD("nd.tll", ND_TLL, ORDINAL, RW, "nd_na"),

    /* Transport.  The three protocols share their port fields. */
    PRED("tcp", "ip.proto == 6"),
    FIELD("tcp.src", TP_SRC, ORDINAL, RW, "tcp"),
    FIELD("tcp.dst", TP_DST, ORDINAL, RW, "tcp"),
    FIELD("tcp.flags", TCP_FLAGS, ORDINAL, RO, "tcp"),
    PRED("udp", "ip.proto == 17"),
    FIELD("udp.src", TP_SRC, ORDINAL, RW, "udp"),
    FIELD("udp.dst", TP_DST, ORDINAL, RW, "udp"),
    PRED("sctp", "ip.proto == 132"),
    FIELD("sctp.src", TP_SRC, ORDINAL, RW, "sctp"),
    FIELD("sctp.dst", TP_DST, ORDINAL, RW, "sctp"),
};

struct symtab {
    struct symtab_symbol *symbols;  /* In definition order. */
    size_t n_symbols;
    struct shash by_name;           /* Name -> symbol. */
    const struct symtab_symbol *by_field[SYMTAB_N_FIELDS];
};

/* Computes predicate 'p''s level: nominal if its expansion names a nominal
 * symbol (already defined), else boolean. */
static enum symtab_level
symtab_predicate_level(const struct symtab *symtab,
                       const struct symtab_symbol *p)
{
    enum symtab_level level = SYMTAB_BOOLEAN;
    struct lexer lexer;

    lexer_init(&lexer, p->expansion);
    while (lexer_get(&lexer) != LEX_T_END) {
        ASSERT(lexer.token.type != LEX_T_ERROR);
        if (lexer.token.type == LEX_T_ID) {
            const struct symtab_symbol *s = symtab_lookup(symtab,
                                                          lexer.token.s);
            ASSERT(s);
            if (s->level == SYMTAB_NOMINAL) {
                level = SYMTAB_NOMINAL;
            }
        }
    }
    lexer_destroy(&lexer);
    return level;
}

static void
symtab_add(struct symtab *symtab, const struct symtab_def *def)
{
    struct symtab_symbol *s = &symtab->symbols[symtab->n_symbols++];

    s->name = def->name;
    s->kind = def->kind;
    s->level = def->level;
    s->access = def->access;
    s->width = def->width;
    s->prereqs = def->prereqs;
    s->field = def->field;
    s->n_fields = def->n_fields;
    s->parent = NULL;
    s->ofs = def->ofs;
    s->expansion = def->expansion;

    if (s->kind == SYMTAB_FIELD && s->n_fields == 1) {
        s->width = symtab_field_width(s->field);
    } else if (s->kind == SYMTAB_SUBFIELD) {
        s->parent = symtab_lookup(symtab, def->parent);
        ASSERT(s->parent && s->ofs + s->width <= s->parent->width);
        s->access = s->parent->access;
    } else if (s->kind == SYMTAB_PREDICATE) {
        s->level = symtab_predicate_level(symtab, s);
    }
    ASSERT(shash_add_once(&symtab->by_name, s->name, s));
}

/* Records, for each physical field, a symbol that names exactly it. */
static void
symtab_index_fields(struct symtab *symtab)
{
    for (size_t i = 0; i < symtab->n_symbols; i++) {
        const struct symtab_symbol *s = &symtab->symbols[i];
        const struct symtab_symbol *root;
        unsigned int ofs;

        if (s->kind == SYMTAB_PREDICATE) {
            continue;
        }
        root = symtab_symbol_root(s, &ofs);
        if (root->n_fields == 1 && ofs == 0) {
            if (!symtab->by_field[root->field]) {
                symtab->by_field[root->field] = s;
            }
        } else if (s->width == 32 && ofs % 32 == 0) {
            /* A 32-bit register: field + (n_fields - 1 - ofs / 32). */
            enum symtab_field f = root->field + root->n_fields - 1 - ofs / 32;
            if (!symtab->by_field[f]) {
                symtab->by_field[f] = s;
            }
        }
    }
}

struct symtab *
symtab_create(void)
{
    struct symtab *symtab = xzalloc(sizeof *symtab);

    symtab->symbols = xcalloc(ARRAY_SIZE(symtab_defs),
                              sizeof *symtab->symbols);
    shash_init(&symtab->by_name);
    for (size_t i = 0; i < ARRAY_SIZE(symtab_defs); i++) {
        symtab_add(symtab, &symtab_defs[i]);
    }
    symtab_index_fields(symtab);
    return symtab;
}

void
symtab_destroy(struct symtab *symtab)
{
    if (symtab) {
        shash_destroy(&symtab->by_name);
        free(symtab->symbols);
        free(symtab);
    }
}

const struct symtab_symbol *
symtab_lookup(const struct symtab *symtab, const char *name)
{
    return shash_find_data(&symtab->by_name, name);
}

size_t
symtab_count(const struct symtab *symtab)
{
    return symtab->n_symbols;
}

const struct symtab_symbol *
symtab_at(const struct symtab *symtab, size_t i)
{
    return i < symtab->n_symbols ? &symtab->symbols[i] : NULL;
}

const struct symtab_symbol *
symtab_field_symbol(const struct symtab *symtab, enum symtab_field f)
{
    return f < SYMTAB_N_FIELDS ? symtab->by_field[f] : NULL;
}

const struct symtab_symbol *
symtab_symbol_root(const struct symtab_symbol *symbol, unsigned int *ofs)
{
    *ofs = 0;
    while (symbol->kind == SYMTAB_SUBFIELD) {
        *ofs += symbol->ofs;
        symbol = symbol->parent;
    }
    return symbol;
}

/* Flows. */

void
symtab_flow_init(struct symtab_flow *flow)
{
    memset(flow, 0, sizeof *flow);
}

void
symtab_flow_destroy(struct symtab_flow *flow)
{
    if (flow) {
        free(flow->inport);
        free(flow->outport);
        flow->inport = flow->outport = NULL;
    }
}

void
symtab_flow_clone(struct symtab_flow *dst, const struct symtab_flow *src)
{
    *dst = *src;
    dst->inport = src->inport ? xstrdup(src->inport) : NULL;
    dst->outport = src->outport ? xstrdup(src->outport) : NULL;
}

/* Returns field 'root''s whole value. */
static struct u128
symtab_flow_get_root(const struct symtab_flow *flow,
                     const struct symtab_symbol *root)
{
    struct u128 value = u128_zero();

    for (unsigned int i = 0; i < root->n_fields; i++) {
        value = u128_or(u128_shl(value, 32), flow->fields[root->field + i]);
    }
    return value;
}

struct u128
symtab_flow_get(const struct symtab_flow *flow,
                const struct symtab_symbol *symbol)
{
    unsigned int ofs;
    const struct symtab_symbol *root = symtab_symbol_root(symbol, &ofs);

    ASSERT(root->kind == SYMTAB_FIELD && root->width);
    return u128_and(u128_shr(symtab_flow_get_root(flow, root), ofs),
                    u128_low_mask(symbol->width));
}

void
symtab_flow_set(struct symtab_flow *flow, const struct symtab_symbol *symbol,
                struct u128 value, struct u128 mask)
{
    unsigned int ofs;
    const struct symtab_symbol *root = symtab_symbol_root(symbol, &ofs);

    ASSERT(root->kind == SYMTAB_FIELD && root->width);
    mask = u128_shl(u128_and(mask, u128_low_mask(symbol->width)), ofs);
    value = u128_and(u128_shl(value, ofs), mask);
    if (root->n_fields == 1) {
        struct u128 *f = &flow->fields[root->field];
        *f = u128_or(u128_andnot(*f, mask), value);
        return;
    }

    /* 32-bit registers, the last one holding the low bits. */
    for (unsigned int i = root->n_fields; i-- > 0; ) {
        struct u128 *f = &flow->fields[root->field + i];
        struct u128 m32 = u128_and(mask, u128_low_mask(32));
        *f = u128_or(u128_andnot(*f, m32), u128_and(value, m32));
        mask = u128_shr(mask, 32);
        value = u128_shr(value, 32);
    }
}

const char *
symtab_flow_get_string(const struct symtab_flow *flow,
                       const struct symtab_symbol *symbol)
{
    ASSERT(symtab_symbol_is_string(symbol));
    return symbol->field == SYMTAB_F_INPORT ? flow->inport : flow->outport;
}

void
symtab_flow_set_string(struct symtab_flow *flow,
                       const struct symtab_symbol *symbol, const char *name)
{
    ASSERT(symtab_symbol_is_string(symbol));
    char **p = symbol->field == SYMTAB_F_INPORT ? &flow->inport
                                                : &flow->outport;
    free(*p);
    *p = name ? xstrdup(name) : NULL;
}
