/* Unit tests for expr/symtab: OVN 23.03's symbols and the physical fields
 * they map onto. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "expr/lex.h"
#include "expr/symtab.h"
#include "util.h"

#include "symtab-fixture.h"

static const struct symtab_symbol *
sym(const char *name)
{
    const struct symtab_symbol *s = symtab_lookup(symtab, name);
    if (!s) {
        print_error("no symbol %s\n", name);
        fail();
    }
    return s;
}

/* Widths as OVN reports them in "N-bit constant is not compatible with
 * M-bit field F." */
static void
test_widths(void **state OVS_UNUSED)
{
    static const struct {
        const char *name;
        unsigned int width;
    } cases[] = {
        { "inport", 0 }, { "outport", 0 }, { "reg0", 32 }, { "reg9", 32 },
        { "xreg0", 64 }, { "xreg4", 64 }, { "xxreg0", 128 },
        { "xxreg1", 128 }, { "flags", 32 }, { "pkt.mark", 32 },
        { "ct_state", 32 }, { "ct_mark", 32 }, { "ct_label", 128 },
        { "eth.src", 48 }, { "eth.type", 16 }, { "vlan.tci", 16 },
        { "vlan.vid", 12 }, { "vlan.pcp", 3 }, { "ip.proto", 8 },
        { "ip.dscp", 6 }, { "ip.ecn", 2 }, { "ip.ttl", 8 }, { "ip.frag", 2 },
        { "ip4.src", 32 }, { "ip6.dst", 128 }, { "ip6.label", 20 },
        { "arp.op", 16 }, { "arp.sha", 48 }, { "rarp.spa", 32 },
        { "tcp.src", 16 }, { "tcp.flags", 12 }, { "udp.dst", 16 },
        { "sctp.src", 16 }, { "icmp4.type", 8 }, { "icmp6.code", 8 },
        { "nd.target", 128 }, { "nd.sll", 48 }, { "nd.tll", 48 },
        { "ct.trk", 1 }, { "ct.dnat", 1 }, { "flags.loopback", 1 },
        { "ct_mark.ecmp_reply_port", 16 }, { "ct_label.label", 32 },
        { "ct_label.ecmp_reply_eth", 48 }, { "eth.mcast", 1 },
        { "ip4", 1 }, { "nd", 1 }, { "icmp4.frag_mtu", 16 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        assert_int_equal(sym(cases[i].name)->width, cases[i].width);
    }
}

static void
test_absent(void **state OVS_UNUSED)
{
    /* Names that newer OVN has but 23.03 does not, and OpenFlow names. */
    static const char *const absent[] = {
        "reg10", "reg15", "xreg5", "xxreg2", "metadata", "flags.localnet",
        "flags.network_id", "ct_mark.allow_established",
        "ct_label.obs_point_id", "remote_outport", "from_evpn_vtep",
        "nd_ns_mcast", "nd.reserved", "ct_zone", "tun_id", "dl_src",
        "dhcp", "is_chassis_resident",
    };
    for (size_t i = 0; i < ARRAY_SIZE(absent); i++) {
        assert_null(symtab_lookup(symtab, absent[i]));
    }
}

static void
test_levels_and_access(void **state OVS_UNUSED)
{
    static const char *const nominal[] = {
        "inport", "outport", "eth.type", "ip.proto", "ip.dscp", "ip.ecn",
        "ip.ttl", "arp.op", "rarp.op", "icmp4.type", "icmp4.code",
        "icmp6.type", "icmp6.code",
        /* Nominal predicates. */
        "ip4", "ip6", "ip", "icmp4", "icmp6", "icmp", "igmp", "arp", "rarp",
        "nd", "nd_ns", "nd_na", "nd_rs", "nd_ra", "tcp", "udp", "sctp",
        "mldv1", "mldv2",
    };
    for (size_t i = 0; i < ARRAY_SIZE(nominal); i++) {
        assert_int_equal(sym(nominal[i])->level, SYMTAB_NOMINAL);
    }
    static const char *const boolean[] = {
        "eth.bcast", "eth.mcastv6", "vlan.present", "ip4.mcast",
        "ip4.src_mcast", "ip6.mcast", "ip6.mcast_flood", "ip.is_frag",
        "ip.first_frag",
    };
    for (size_t i = 0; i < ARRAY_SIZE(boolean); i++) {
        assert_int_equal(sym(boolean[i])->level, SYMTAB_BOOLEAN);
    }
    assert_int_equal(sym("eth.mcast")->kind, SYMTAB_SUBFIELD);
    assert_int_equal(sym("ip.frag")->level, SYMTAB_ORDINAL);

    assert_int_equal(sym("eth.type")->access, SYMTAB_RO);
    assert_int_equal(sym("tcp.flags")->access, SYMTAB_RO);
    assert_int_equal(sym("ct.new")->access, SYMTAB_RO);
    assert_int_equal(sym("ct_mark.blocked")->access, SYMTAB_RW_CT_COMMIT);
    assert_int_equal(sym("ct_label")->access, SYMTAB_RW_CT_COMMIT);
    assert_int_equal(sym("reg0")->access, SYMTAB_RW);
    assert_int_equal(sym("flags.loopback")->access, SYMTAB_RW);
    assert_int_equal(sym("eth.mcast")->access, SYMTAB_RW);
    assert_int_equal(sym("icmp6.frag_mtu")->access, SYMTAB_WO);
    assert_int_equal(sym("outport")->access, SYMTAB_RW);
}

/* Every predicate expansion and prerequisite lexes and names only known
 * symbols. */
static void
test_texts_lex(void **state OVS_UNUSED)
{
    for (size_t i = 0; i < symtab_count(symtab); i++) {
        const struct symtab_symbol *s = symtab_at(symtab, i);
        const char *texts[] = { s->prereqs, s->expansion };
        for (size_t j = 0; j < 2; j++) {
            struct lexer lexer;
            if (!texts[j]) {
                continue;
            }
            lexer_init(&lexer, texts[j]);
            while (lexer_get(&lexer) != LEX_T_END) {
                assert_int_not_equal(lexer.token.type, LEX_T_ERROR);
                if (lexer.token.type == LEX_T_ID) {
                    assert_non_null(symtab_lookup(symtab, lexer.token.s));
                }
            }
            lexer_destroy(&lexer);
        }
    }
    assert_null(symtab_at(symtab, symtab_count(symtab)));
}

static void
test_subfields(void **state OVS_UNUSED)
{
    unsigned int ofs;

    assert_ptr_equal(symtab_symbol_root(sym("reg0"), &ofs), sym("xxreg0"));
    assert_int_equal(ofs, 96);
    assert_ptr_equal(symtab_symbol_root(sym("reg9"), &ofs), sym("xreg4"));
    assert_int_equal(ofs, 0);
    assert_ptr_equal(symtab_symbol_root(sym("xreg3"), &ofs), sym("xxreg1"));
    assert_int_equal(ofs, 0);
    assert_ptr_equal(symtab_symbol_root(sym("ct.dnat"), &ofs),
                     sym("ct_state"));
    assert_int_equal(ofs, 7);
    assert_ptr_equal(symtab_symbol_root(sym("vlan.pcp"), &ofs),
                     sym("vlan.tci"));
    assert_int_equal(ofs, 13);
    assert_string_equal(sym("vlan.vid")->prereqs, "vlan.present");
    assert_string_equal(sym("ct.est")->prereqs, "ct.trk");
    assert_null(sym("ct.trk")->prereqs);
    assert_string_equal(sym("nd.sll")->prereqs, "nd_ns");
    assert_string_equal(sym("tcp.dst")->prereqs, "tcp");
}

static void
test_physical(void **state OVS_UNUSED)
{
    assert_int_equal(sym("tcp.src")->field, SYMTAB_F_TP_SRC);
    assert_int_equal(sym("udp.src")->field, SYMTAB_F_TP_SRC);
    assert_int_equal(sym("rarp.op")->field, SYMTAB_F_ARP_OP);
    assert_int_equal(sym("icmp6.type")->field, SYMTAB_F_ICMP_TYPE);
    assert_int_equal(sym("xxreg1")->field, SYMTAB_F_REG4);
    assert_int_equal(sym("xxreg1")->n_fields, 4);
    assert_string_equal(symtab_field_symbol(symtab, SYMTAB_F_REG0)->name,
                        "reg0");
    assert_string_equal(symtab_field_symbol(symtab, SYMTAB_F_REG9)->name,
                        "reg9");
    assert_string_equal(symtab_field_symbol(symtab, SYMTAB_F_TP_SRC)->name,
                        "tcp.src");
    assert_string_equal(symtab_field_symbol(symtab, SYMTAB_F_INPORT)->name,
                        "inport");
    assert_null(symtab_field_symbol(symtab, SYMTAB_F_DATAPATH));
    for (int f = 0; f < SYMTAB_N_FIELDS; f++) {
        assert_true(strlen(symtab_field_name(f)) > 0);
        if (f != SYMTAB_F_DATAPATH) {
            const struct symtab_symbol *s = symtab_field_symbol(symtab, f);
            assert_non_null(s);
            assert_int_equal(s->width, symtab_field_width(f));
        }
    }
}

static void
test_flow(void **state OVS_UNUSED)
{
    struct symtab_flow flow, copy;

    symtab_flow_init(&flow);
    symtab_flow_set(&flow, sym("xxreg0"),
                    u128_make(0x100000002ULL, 0x300000004ULL),
                    u128_low_mask(128));
    assert_true(u128_equals(flow.fields[SYMTAB_F_REG0], u128_from_u64(1)));
    assert_true(u128_equals(flow.fields[SYMTAB_F_REG3], u128_from_u64(4)));
    assert_true(u128_equals(symtab_flow_get(&flow, sym("reg1")),
                            u128_from_u64(2)));
    assert_true(u128_equals(symtab_flow_get(&flow, sym("xreg1")),
                            u128_from_u64(0x300000004ULL)));

    symtab_flow_set(&flow, sym("reg8"), u128_from_u64(0xabcd),
                    u128_from_u64(0xff00));
    assert_true(u128_equals(flow.fields[SYMTAB_F_REG8],
                            u128_from_u64(0xab00)));
    assert_true(u128_equals(symtab_flow_get(&flow, sym("xreg4")),
                            u128_make(0, 0xab0000000000ULL)));

    symtab_flow_set(&flow, sym("vlan.pcp"), u128_from_u64(5),
                    u128_low_mask(128));
    assert_true(u128_equals(flow.fields[SYMTAB_F_VLAN_TCI],
                            u128_from_u64(0xa000)));
    symtab_flow_set(&flow, sym("ct.trk"), u128_from_u64(1),
                    u128_from_u64(1));
    assert_true(u128_equals(flow.fields[SYMTAB_F_CT_STATE],
                            u128_from_u64(0x20)));

    symtab_flow_set_string(&flow, sym("outport"), "vm2");
    symtab_flow_clone(&copy, &flow);
    symtab_flow_set_string(&flow, sym("outport"), NULL);
    assert_null(symtab_flow_get_string(&flow, sym("outport")));
    assert_string_equal(symtab_flow_get_string(&copy, sym("outport")),
                        "vm2");
    symtab_flow_destroy(&flow);
    symtab_flow_destroy(&copy);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_absent),
        cmocka_unit_test(test_levels_and_access),
        cmocka_unit_test(test_texts_lex),
        cmocka_unit_test(test_subfields),
        cmocka_unit_test(test_physical),
        cmocka_unit_test(test_flow),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
