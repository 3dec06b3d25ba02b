/* Unit tests for expr/expr: parsing, annotation, normalization,
 * evaluation and formatting of match expressions.  Expected messages and
 * annotated forms are what OVN 23.03's ovn-trace prints for the same
 * input (tests/interop/test_expr_trace.py checks many more against the
 * real tool). */

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ds.h"
#include "expr/expr.h"
#include "util.h"

static struct symtab *symtab;
static struct expr_const_set as1, as_small, pg1;
static struct expr_env env;

static const struct expr_const_set *
addr_set(const void *aux OVS_UNUSED, const char *name)
{
    return (!strcmp(name, "as1") ? &as1
            : !strcmp(name, "s") ? &as_small : NULL);
}

static const struct expr_const_set *
port_group(const void *aux OVS_UNUSED, const char *name)
{
    return !strcmp(name, "pg1") ? &pg1 : NULL;
}

static void
add_integer(struct expr_const_set *set, const char *s)
{
    char *error = expr_const_set_add_integer(set, s);
    assert_null(error);
}

static int
setup(void **state OVS_UNUSED)
{
    symtab = symtab_create();
    expr_const_set_init(&as1, false);
    add_integer(&as1, "10.0.0.0/28");
    add_integer(&as1, "10.0.0.2");
    add_integer(&as1, "10.0.1.2");
    expr_const_set_init(&as_small, false);
    add_integer(&as_small, "1");
    add_integer(&as_small, "4/6");
    expr_const_set_init(&pg1, true);
    expr_const_set_add_string(&pg1, "a");
    expr_const_set_add_string(&pg1, "b");
    env = (struct expr_env) { symtab, addr_set, port_group, NULL };
    return 0;
}

static int
teardown(void **state OVS_UNUSED)
{
    expr_const_set_destroy(&as1);
    expr_const_set_destroy(&as_small);
    expr_const_set_destroy(&pg1);
    symtab_destroy(symtab);
    return 0;
}

static struct expr *
parse_ok(const char *s)
{
    char *error;
    struct expr *e = expr_parse_string(s, &env, &error);
    if (!e) {
        print_error("%s: %s\n", s, error);
        fail();
    }
    return e;
}

static char *
format(const struct expr *e, bool ovn)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    if (ovn) {
        expr_format_ovn(e, &s);
    } else {
        expr_format(e, &s);
    }
    return ds_steal_cstr(&s);
}

static void
check_string(const char *what, const char *input, const char *actual,
             const char *expected)
{
    if (strcmp(actual, expected)) {
        print_error("%s of: %s\nexpected: %s\nactual:   %s\n", what, input,
                    expected, actual);
        fail();
    }
}

/* Parsing and printing back. */

static void
check_round_trip(const char *input, const char *expected)
{
    struct expr *e = parse_ok(input);
    char *s = format(e, false);
    check_string("format", input, s, expected);

    struct expr *again = parse_ok(s);
    if (!expr_equals(e, again)) {
        char *s2 = format(again, false);
        print_error("%s reparsed as %s\n", s, s2);
        free(s2);
        fail();
    }
    expr_destroy(again);
    expr_destroy(e);
    free(s);
}

static void
test_round_trips(void **state OVS_UNUSED)
{
    static const char *const cases[][2] = {
        { "ip4.src == 10.0.0.0/8 && tcp.dst == {80, 443}",
          "ip4.src == 10.0.0.0/8 && tcp.dst == {80, 443}" },
        { "inport == \"vm1\" && eth.src == 50:54:00:00:00:01",
          "inport == \"vm1\" && eth.src == 50:54:00:00:00:01" },
        { "1 < reg0 <= 5", "reg0 > 1 && reg0 <= 5" },
        { "5 > reg0 >= 1", "reg0 < 5 && reg0 >= 1" },
        { "80 == tcp.dst", "tcp.dst == 80" },
        { "!(inport != \"a\")", "inport == \"a\"" },
        { "reg0[4] == 2", "reg0[4] == 0" },
        { "reg0[4]", "reg0[4]" },
        { "ct.trk && !ct.new", "ct.trk && !ct.new" },
        { "!ct.est", "!ct.est" },
        { "ct.est == 0", "ct.est == 0" },
        { "ip4 && ip4 == 1 && ip4 != 0", "ip4 && ip4 && ip4 != 0" },
        { "reg0[0..7] == 0x5/0xf", "reg0[0..7] == 0x5/0xf" },
        { "eth.dst == 01:00:00:00:00:00/01:00:00:00:00:00",
          "eth.dst == 01:00:00:00:00:00/01:00:00:00:00:00" },
        { "ip6.dst == fe80::1/64", "ip6.dst == fe80::/64" },
        { "is_chassis_resident(\"cr-lrp\") || !is_chassis_resident(\"x\")",
          "is_chassis_resident(\"cr-lrp\") || !is_chassis_resident(\"x\")" },
        { "(ip4 || ip6) && (tcp || udp)", "(ip4 || ip6) && (tcp || udp)" },
        { "!(tcp.src == 1 || udp.src == 2)",
          "tcp.src != 1 && udp.src != 2" },
        { "reg0 != {1, 2}", "reg0 != 1 && reg0 != 2" },
        { "ip4.src == $as1", "ip4.src == {10.0.0.0/28, 10.0.0.2, 10.0.1.2}" },
        { "outport == @pg1", "outport == {\"a\", \"b\"}" },
        { "outport == {@pg1, \"c\"}", "outport == {\"a\", \"b\", \"c\"}" },
        { "ip4.src == {}", NULL },
        { "1", "1" },
        { "0 || 1 && 1", NULL },
        { "(0 || reg0 == 1) && 1", "(0 || reg0 == 1) && 1" },
        { "outport == \"a\\u0062\\n\"", "outport == \"ab\\n\"" },
        { "xxreg0 == 0x1000000020000000300000004",
          "xxreg0 == 0x1000000020000000300000004" },
        { "reg0 == 0/0", "reg0 == 0/0" },
        { "ip4.src == $empty", NULL },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        if (cases[i][1]) {
            check_round_trip(cases[i][0], cases[i][1]);
        }
    }
}

/* Error messages. */

static void
check_error(const char *input, const char *expected)
{
    char *error;
    struct expr *e = expr_parse_string(input, &env, &error);
    if (e || !error) {
        print_error("%s: parsed, expected error %s\n", input, expected);
        fail();
    }
    check_string("error", input, error, expected);
    free(error);
}

static void
test_errors(void **state OVS_UNUSED)
{
    static const char *const cases[][2] = {
        { "foo == 1", "Syntax error at `foo' expecting field name." },
        { "reg10 == 1", "Syntax error at `reg10' expecting field name." },
        { "eth.type != 0x800", "Nominal field eth.type may only be tested "
          "for equality (taking enclosing `!' operators into account)." },
        { "!(inport == \"a\")", "Nominal field inport may only be tested "
          "for equality (taking enclosing `!' operators into account)." },
        { "eth.type != {0x800}", "Nominal field eth.type may only be tested "
          "for equality (taking enclosing `!' operators into account)." },
        { "tcp.src", "Explicit `!= 0' is required for inequality test of "
          "multibit field against 0." },
        { "reg0 <-> 1", "Explicit `!= 0' is required for inequality test "
          "of multibit field against 0." },
        { "inport", "Syntax error at end of input expecting relational "
          "operator." },
        { "reg0 == 1 || reg1 == 2 && reg2 == 3",
          "&& and || must be parenthesized when used together." },
        { "!reg0 == 1", "Missing parentheses around operand of !." },
        { "!!ct.trk", "Syntax error at `!' expecting constant." },
        { "ip4 == 0", "Nominal predicate ip4 may only be tested positively, "
          "e.g. `ip4' or `ip4 == 1' but not `!ip4' or `ip4 == 0'." },
        { "!ip", "Nominal predicate ip may only be tested positively, "
          "e.g. `ip' or `ip == 1' but not `!ip' or `ip == 0'." },
        { "ip4 == {0, 1}", "Nominal predicate ip4 may only be tested "
          "positively, e.g. `ip4' or `ip4 == 1' but not `!ip4' or "
          "`ip4 == 0'." },
        { "ip4 < 1", "Only == and != operators may be used with nominal "
          "field ip4." },
        { "outport < \"a\"", "Only == and != operators may be used with "
          "nominal field outport." },
        { "reg0 < 5/3", "Only == and != operators may be used with masked "
          "constants.  Consider using subfields instead (e.g. "
          "eth.src[0..15] > 0x1111 in place of eth.src > "
          "00:00:00:00:11:11/00:00:00:00:ff:ff)." },
        { "reg0 < {1}", "Only == and != operators may be used with value "
          "sets." },
        { "reg0 < {5/3}", "Only == and != operators may be used with value "
          "sets." },
        { "ip4.src < $as1", "Only == and != operators may be used with "
          "masked constants.  Consider using subfields instead (e.g. "
          "eth.src[0..15] > 0x1111 in place of eth.src > "
          "00:00:00:00:11:11/00:00:00:00:ff:ff)." },
        { "1 < reg0 > 5", "Range expressions must have the form `x < field "
          "< y' or `x > field > y', with each `<' optionally replaced by "
          "`<=' or `>' by `>=')." },
        { "1 == reg0 == 1", "Range expressions must have the form `x < "
          "field < y' or `x > field > y', with each `<' optionally "
          "replaced by `<=' or `>' by `>=')." },
        { "1 == 1", "Syntax error at `1' expecting field name." },
        { "reg0 == reg1", "Syntax error at `reg1' expecting constant." },
        { "reg0 == {}", "Syntax error at `}' expecting constant." },
        { "reg0 == {1,,2}", "Syntax error at `,' expecting constant." },
        { "reg0 == {1", "Syntax error at end of input expecting constant." },
        { "outport == {\"a\", 1}", "Syntax error at `1' expecting string." },
        { "reg0 == {1, \"a\"}", "Syntax error at `\"a\"' expecting "
          "integer." },
        { "outport == 1", "String field outport is not compatible with "
          "integer constant." },
        { "reg0 == \"x\"", "Integer field reg0 is not compatible with "
          "string constant." },
        { "outport == $as1", "String field outport is not compatible with "
          "integer constant." },
        { "reg0 == $nope", "Syntax error at `$nope' expecting address set "
          "name." },
        { "outport == @nope", "Syntax error at `@nope' expecting port group "
          "name." },
        { "reg0 == ^x", "Syntax error at `^x' expecting constant." },
        { "tcp.src == 1.2.3.4", "32-bit constant is not compatible with "
          "16-bit field tcp.src." },
        { "reg0 == ::1", "128-bit constant is not compatible with 32-bit "
          "field reg0." },
        { "vlan.pcp == 8", "4-bit constant is not compatible with 3-bit "
          "field vlan.pcp." },
        { "ct.trk == 2", "2-bit constant is not compatible with 1-bit field "
          "ct.trk." },
        { "reg0 == 0x1/0x1ffffffff", "33-bit constant is not compatible "
          "with 32-bit field reg0." },
        { "ip4.src == $s", NULL },
        { "reg0[2..1] == 1", "Invalid bit range 2 to 1." },
        { "reg0[32] == 1", "Cannot select bits 32 to 32 of 32-bit field "
          "reg0." },
        { "vlan.vid[12]", "Cannot select bits 12 to 12 of 12-bit field "
          "vlan.vid." },
        { "reg0[] == 1", "Syntax error at `]' expecting small integer." },
        { "reg0[0x1..0x2] == 1", "Syntax error at `0x1' expecting small "
          "integer." },
        { "reg0[1", "Syntax error at end of input expecting `]'." },
        { "inport[0] == 1", "Cannot select subfield of string field "
          "inport." },
        { "eth.type[0] == 1", "Cannot select subfield of nominal field "
          "eth.type." },
        { "is_chassis_resident(vm1)", "Syntax error at `vm1' expecting "
          "string." },
        { "is_chassis_resident(\"a\", \"b\")", "Syntax error at `,' "
          "expecting `)'." },
        { "is_chassis_resident", "Syntax error at `is_chassis_resident' "
          "expecting field name." },
        { "foo(\"x\")", "parsing function name" },
        { "(reg0 == 1", "Syntax error at end of input expecting `)'." },
        { "reg0 == 1)", "Syntax error at `)' expecting end of input." },
        { "()", "Syntax error at `)' expecting constant." },
        { "", "Syntax error at end of input expecting constant." },
        { "reg0 == 1 2", "Syntax error at `2' expecting end of input." },
        { "reg0 == 12a", "Invalid numeric constant." },
        { "reg0 == 1 # c", "Invalid character `#' in input." },
        { "2", "Syntax error at end of input expecting relational "
          "operator." },
        { "!1 == reg0", "Missing parentheses around operand of !." },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        if (cases[i][1]) {
            check_error(cases[i][0], cases[i][1]);
        }
    }

    /* Nesting is bounded. */
    struct ds deep = DS_EMPTY_INITIALIZER;
    ds_put_char_multiple(&deep, '(', 200);
    ds_put_cstr(&deep, "ct.trk");
    ds_put_char_multiple(&deep, ')', 200);
    check_error(ds_cstr(&deep), "Parentheses nested too deeply (more than "
                "128 levels).");
    ds_destroy(&deep);
}

/* Annotation, printed as OVN prints it. */

static void
check_annotate(const char *input, const char *expected)
{
    struct expr *e = parse_ok(input);
    char *error;
    e = expr_annotate(e, symtab, &error);
    assert_non_null(e);
    char *s = format(e, true);
    check_string("annotation", input, s, expected);
    free(s);
    expr_destroy(e);
}

static void
test_annotate(void **state OVS_UNUSED)
{
    static const char *const cases[][2] = {
        { "tcp.src == 80", "tcp.src == 0x50 && ip.proto == 0x6 && "
          "(eth.type == 0x800 || eth.type == 0x86dd)" },
        { "tcp.src == {1, 2}", "(tcp.src == 0x1 || tcp.src == 0x2) && "
          "ip.proto == 0x6 && (eth.type == 0x800 || eth.type == 0x86dd)" },
        { "tcp.src != {1, 2}", "tcp.src != 0x1 && tcp.src != 0x2 && "
          "ip.proto == 0x6 && (eth.type == 0x800 || eth.type == 0x86dd)" },
        { "(tcp.src == 1 || udp.src == 2)", "(tcp.src == 0x1 && ip.proto == "
          "0x6 && (eth.type == 0x800 || eth.type == 0x86dd)) || (udp.src "
          "== 0x2 && ip.proto == 0x11 && (eth.type == 0x800 || eth.type == "
          "0x86dd))" },
        { "reg0 == {1, 2} && reg1 == {3, 4}", "(xxreg0[96..127] == 0x1 || "
          "xxreg0[96..127] == 0x2) && (xxreg0[64..95] == 0x3 || "
          "xxreg0[64..95] == 0x4)" },
        { "reg8 == 1 && reg9 == 2 && xreg0 == 3", "xreg4[32..63] == 0x1 && "
          "xreg4[0..31] == 0x2 && xxreg0[64..127] == 0x3" },
        { "vlan.vid == {1, 2}", "(vlan.tci[0..11] == 0x1 || vlan.tci[0..11] "
          "== 0x2) && vlan.tci[12]" },
        { "ct.new == {0, 1}", "(!ct_state[0] || ct_state[0]) && "
          "ct_state[5]" },
        { "ip4.src == $as1", "(ip4.src[4..31] == 0xa00000 || ip4.src == "
          "0xa000002 || ip4.src == 0xa000102) && eth.type == 0x800" },
        { "!ip.later_frag", "!ip.frag[1] || (eth.type != 0x800 && eth.type "
          "!= 0x86dd)" },
        { "ip.first_frag", "ip.frag[0] && (eth.type == 0x800 || eth.type == "
          "0x86dd) && (!ip.frag[1] || (eth.type != 0x800 && eth.type != "
          "0x86dd))" },
        { "ip4.mcast == 0", "!eth.dst[40] || ip4.dst[28..31] != 0xe || "
          "eth.type != 0x800" },
        { "!eth.bcast", "eth.dst != 0xffffffffffff" },
        { "ip6.mcast_rsvd", "ip6.dst[116..127] == 0xff0 && ip6.dst[0..111] "
          "== 0 && eth.type == 0x86dd" },
        { "nd.sll == 1", "nd.sll == 0x1 && icmp6.type == 0x87 && eth.type == "
          "0x86dd && ip.proto == 0x3a && (eth.type == 0x800 || eth.type == "
          "0x86dd) && icmp6.code == 0 && eth.type == 0x86dd && ip.proto == "
          "0x3a && (eth.type == 0x800 || eth.type == 0x86dd) && ip.ttl == "
          "0xff && (eth.type == 0x800 || eth.type == 0x86dd)" },
        { "tcp.src == 0.0.0.0/0", "tcp.src == 0/0 && ip.proto == 0x6 && "
          "(eth.type == 0x800 || eth.type == 0x86dd)" },
        { "reg0 == 1.2.3.4/0.255.0.255", "xxreg0 == "
          "0x20004000000000000000000000000/0xff00ff000000000000000000000000" },
        { "ct.trk < 1", "ct_state[5] < 0x1" },
        { "reg0[3] <= 0", "xxreg0[99] <= 0" },
        { "reg0[3..4] == 0/2", "!xxreg0[100]" },
        { "reg0[0..3] > 5", "xxreg0[96..99] > 0x5" },
        { "outport == \"vm1\" && is_chassis_resident(\"vm1\")",
          "outport == \"vm1\" && is_chassis_resident(\"vm1\")" },
        { "ip4 && 0", "eth.type == 0x800 && 0" },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        check_annotate(cases[i][0], cases[i][1]);
    }
}

/* Normalization. */

static struct expr *
normalize_ok(const char *input, size_t max)
{
    char *error;
    struct expr *e = expr_annotate(parse_ok(input), symtab, &error);
    assert_non_null(e);
    assert_int_equal(expr_normalize(&e, max), 0);
    assert_true(expr_is_normal(e));
    return e;
}

static void
check_normalize(const char *input, size_t n_conj, const char *expected)
{
    struct expr *e = normalize_ok(input, 10000);
    char *s = format(e, false);
    check_string("normal form", input, s, expected);
    assert_int_equal(expr_n_conjunctions(e), n_conj);
    free(s);
    expr_destroy(e);
}

static void
test_normalize(void **state OVS_UNUSED)
{
    check_normalize("tcp.dst == 80", 1, "eth.type == {0x800, 0x86dd} && "
                    "ip.proto == 6 && tcp.dst == 80");
    check_normalize("ip4 && tcp.dst == 80", 1, "eth.type == 0x800 && "
                    "ip.proto == 6 && tcp.dst == 80");
    check_normalize("outport == @pg1 && ip4.src == $as1", 1,
                    "outport == {\"a\", \"b\"} && eth.type == 0x800 && "
                    "ip4.src == {10.0.0.0/28, 10.0.0.2, 10.0.1.2}");
    check_normalize("ip4.src == $as1 && ip4.src == 10.0.1.0/24", 1,
                    "eth.type == 0x800 && ip4.src == 10.0.1.2");
    check_normalize("reg0 == 1 && reg0 == 2", 0, "0");
    check_normalize("ip4 && ip6", 0, "0");
    check_normalize("1", 1, "1");
    check_normalize("reg0[0..3] == 1 && reg0[4..7] == 2", 1,
                    "xxreg0[96..103] == 0x21");
    check_normalize("reg0[0..1] <= 1", 1, "xxreg0[96..97] == {0, 1}");
    check_normalize("reg0[0..1] > 2", 1, "xxreg0[96..97] == 3");
    check_normalize("(ct.trk && ct.new) || (ct.trk && ct.est)", 1,
                    "ct_state == {0x21/0x21, 0x22/0x22}");
    check_normalize("(ct.new || ct.est) && ct.trk && ct.rpl", 1,
                    "ct_state == {0x29/0x29, 0x2a/0x2a}");
    check_normalize("(ct.new && ip4) || ct.est", 2,
                    "ct_state == 0x22/0x22 || (ct_state == 0x21/0x21 && "
                    "eth.type == 0x800)");
    check_normalize("inport == \"a\" && inport == \"b\"", 0, "0");
    check_normalize("inport == @pg1 && inport == \"b\"", 1,
                    "inport == \"b\"");
    check_normalize("outport == \"a\" || outport == \"b\"", 1,
                    "outport == {\"a\", \"b\"}");
    check_normalize("is_chassis_resident(\"a\") && "
                    "!is_chassis_resident(\"a\")", 0, "0");
    check_normalize("tcp.src != 1 && tcp", 1, "eth.type == {0x800, 0x86dd} "
                    "&& ip.proto == 6 && (tcp.src[0] == 0 || tcp.src[1] || "
                    "tcp.src[2] || tcp.src[3] || tcp.src[4] || tcp.src[5] || "
                    "tcp.src[6] || tcp.src[7] || tcp.src[8] || tcp.src[9] || "
                    "tcp.src[10] || tcp.src[11] || tcp.src[12] || tcp.src[13] "
                    "|| tcp.src[14] || tcp.src[15])");

    /* Walking the form. */
    struct expr *e = normalize_ok("(reg0 == 1 && reg1 == 2) || tcp", 10);
    assert_int_equal(expr_n_conjunctions(e), 2);
    const struct expr *c = expr_conjunction(e, 1);
    assert_int_equal(expr_n_atoms(c), 2);
    assert_true(expr_is_set(expr_atom(c, 0)));
    expr_destroy(e);

    /* Explosion is bounded. */
    struct ds s = DS_EMPTY_INITIALIZER;
    for (int i = 0; i < 12; i++) {
        ds_put_format(&s, "%s(reg%d[%d] || pkt.mark[%d])", i ? " && " : "",
                      i % 8, i, i);
    }
    char *error;
    e = expr_annotate(parse_ok(ds_cstr(&s)), symtab, &error);
    assert_int_equal(expr_normalize(&e, 1000), E2BIG);
    assert_int_equal(expr_normalize(&e, 10000), 0);
    assert_int_equal(expr_n_conjunctions(e), 4096);
    expr_destroy(e);
    ds_destroy(&s);
}

/* Microflows, as ovn-trace reads them. */

static void
test_microflow(void **state OVS_UNUSED)
{
    struct symtab_flow flow;
    char *error;

    symtab_flow_init(&flow);
    error = expr_parse_microflow("inport == \"vm1\" && eth.src == "
                                 "50:54:00:00:00:01 && ip4.src == 10.0.0.2 "
                                 "&& ip.ttl == 64 && tcp.dst == 80",
                                 &env, NULL, NULL, &flow);
    assert_null(error);
    assert_string_equal(flow.inport, "vm1");
    assert_null(flow.outport);
    assert_true(u128_equals(flow.fields[SYMTAB_F_ETH_TYPE],
                            u128_from_u64(0x800)));
    assert_true(u128_equals(flow.fields[SYMTAB_F_IP_PROTO],
                            u128_from_u64(6)));
    assert_true(u128_equals(flow.fields[SYMTAB_F_IP4_SRC],
                            u128_from_u64(0x0a000002)));
    assert_true(u128_equals(flow.fields[SYMTAB_F_TP_DST],
                            u128_from_u64(80)));
    assert_true(u128_equals(flow.fields[SYMTAB_F_IP_TTL],
                            u128_from_u64(64)));
    symtab_flow_destroy(&flow);

    static const char *const errors[][2] = {
        { "tcp", "Constraints are ambiguous: ip.proto == 0x6 && (eth.type "
          "== 0x800 || eth.type == 0x86dd)." },
        { "ip4 && ip6", "Constraints are contradictory." },
        { "!is_chassis_resident(\"x\")", "Constraints are contradictory." },
        { "reg0 == {1, 2} && reg1 == {3, 4}", "Constraints are ambiguous: "
          "(xxreg0[96..127] == 0x1 || xxreg0[96..127] == 0x2) && "
          "(xxreg0[64..95] == 0x3 || xxreg0[64..95] == 0x4)." },
        { "foo", "Syntax error at `foo' expecting field name." },
    };
    for (size_t i = 0; i < ARRAY_SIZE(errors); i++) {
        symtab_flow_init(&flow);
        error = expr_parse_microflow(errors[i][0], &env, NULL, NULL, &flow);
        assert_non_null(error);
        check_string("microflow", errors[i][0], error, errors[i][1]);
        free(error);
        symtab_flow_destroy(&flow);
    }

    /* Alternatives that contradict the rest leave one. */
    symtab_flow_init(&flow);
    error = expr_parse_microflow("(tcp.src == 1 || udp.src == 2) && tcp && "
                                 "ip6", &env, NULL, NULL, &flow);
    assert_null(error);
    assert_true(u128_equals(flow.fields[SYMTAB_F_TP_SRC], u128_from_u64(1)));
    symtab_flow_destroy(&flow);
}

/* Exhaustive comparison over a small domain: random expressions on
 * a = reg0[0..2], b = reg0[3..4], flags.loopback, vlan.present (a
 * predicate on vlan.tci[12]), outport in {a, b, c, none} and two
 * is_chassis_resident() conditions.  Each is evaluated for all 2048
 * assignments, parsed, annotated, simplified and normalized, and compared
 * with the generator's own evaluation. */

enum ref_type { REF_BITS, REF_PORT, REF_RESIDENT, REF_CONST, REF_AND,
                REF_OR, REF_NOT };

struct ref {
    enum ref_type type;
    unsigned int mask, value;   /* REF_BITS: (x & mask) == value over the
                                 * 8-bit assignment. */
    int port;                   /* REF_PORT: 0..2, REF_RESIDENT: 0..1. */
    bool constant;              /* REF_CONST. */
    struct ref *a, *b;
};

/* An assignment: bits 0-4 reg0, bit 5 flags.loopback, bit 6
 * vlan.present, bit 7 resident("a"), bit 8 resident("b"); port 0-3. */
struct assignment {
    unsigned int bits;
    int port;
};

static struct ref *
ref_new(enum ref_type type)
{
    struct ref *r = xzalloc(sizeof *r);
    r->type = type;
    return r;
}

static void
ref_destroy(struct ref *r)
{
    if (r) {
        ref_destroy(r->a);
        ref_destroy(r->b);
        free(r);
    }
}

static bool
ref_eval(const struct ref *r, const struct assignment *x)
{
    switch (r->type) {
    case REF_BITS: return (x->bits & r->mask) == r->value;
    case REF_PORT: return x->port == r->port;
    case REF_RESIDENT: return (x->bits >> (7 + r->port)) & 1;
    case REF_CONST: return r->constant;
    case REF_AND: return ref_eval(r->a, x) && ref_eval(r->b, x);
    case REF_OR: return ref_eval(r->a, x) || ref_eval(r->b, x);
    case REF_NOT: return !ref_eval(r->a, x);
    }
    return false;
}

struct gen {
    uint32_t seed;
    bool has_predicate;
};

static unsigned int
gen_rand(struct gen *g, unsigned int n)
{
    g->seed = g->seed * 1103515245 + 12345;
    return (g->seed >> 16) % n;
}

static struct ref *
ref_or(struct ref *a, struct ref *b)
{
    if (!a) {
        return b;
    }
    struct ref *r = ref_new(REF_OR);
    r->a = a;
    r->b = b;
    return r;
}

static struct ref *
ref_bits(unsigned int mask, unsigned int value)
{
    struct ref *r = ref_new(REF_BITS);
    r->mask = mask;
    r->value = value & mask;
    return r;
}

/* "v relop c" for a field of 'width' bits at bit 'ofs', as a reference
 * tree: a disjunction of the values that satisfy it. */
static struct ref *
ref_relop(unsigned int ofs, unsigned int width, const char *relop,
          unsigned int c)
{
    struct ref *r = NULL;
    for (unsigned int v = 0; v < (1u << width); v++) {
        bool t = (!strcmp(relop, "==") ? v == c : !strcmp(relop, "!=") ? v != c
                  : !strcmp(relop, "<") ? v < c : !strcmp(relop, "<=") ? v <= c
                  : !strcmp(relop, ">") ? v > c : v >= c);
        if (t) {
            r = ref_or(r, ref_bits(((1u << width) - 1) << ofs, v << ofs));
        }
    }
    if (!r) {
        r = ref_new(REF_CONST);
    }
    return r;
}

static const char *const relops[] = { "==", "!=", "<", "<=", ">", ">=" };

/* A random leaf, written into 's', in a context that negates it if
 * 'negated' (nominal outport may only be tested positively). */
static struct ref *
gen_leaf(struct gen *g, bool negated, struct ds *s)
{
    static const char *const fields[] = { "reg0[0..2]", "reg0[3..4]" };
    unsigned int f = gen_rand(g, 2), ofs = f ? 3 : 0, width = f ? 2 : 3;
    const char *relop = relops[gen_rand(g, 6)];
    unsigned int c = gen_rand(g, 1u << width);
    struct ref *r;

    switch (gen_rand(g, 12)) {
    case 0:
        ds_put_format(s, "%s %s %u", fields[f], relop, c);
        return ref_relop(ofs, width, relop, c);
    case 1:
        ds_put_format(s, "%u %s %s", c, relop, fields[f]);
        r = ref_relop(ofs, width, relop, c);
        if (strcmp(relop, "==") && strcmp(relop, "!=")) {
            /* "c < f" is "f > c". */
            ref_destroy(r);
            static const char *const rev[] = { "==", "!=", ">", ">=", "<",
                                               "<=" };
            for (int i = 0; i < 6; i++) {
                if (!strcmp(relop, relops[i])) {
                    r = ref_relop(ofs, width, rev[i], c);
                }
            }
        }
        return r;
    case 2: {
        unsigned int c2 = gen_rand(g, 1u << width);
        ds_put_format(s, "%s == {%u, %u}", fields[f], c, c2);
        return ref_or(ref_relop(ofs, width, "==", c),
                      ref_relop(ofs, width, "==", c2));
    }
    case 3:
        ds_put_format(s, "%s != {%u}", fields[f], c);
        return ref_relop(ofs, width, "!=", c);
    case 4:
        /* $s is {1, 4/6}. */
        ds_put_cstr(s, "reg0[0..2] == $s");
        return ref_or(ref_bits(7, 1), ref_bits(6, 4));
    case 5: {
        unsigned int bit = gen_rand(g, 5);
        ds_put_format(s, "%sreg0[%u]", c & 1 ? "!" : "", bit);
        r = ref_bits(1u << bit, (c & 1 ? 0 : 1) << bit);
        return r;
    }
    case 6: {
        unsigned int m = gen_rand(g, 32), v = gen_rand(g, 32);
        ds_put_format(s, "reg0 == 0x%x/0x%x", v, m);
        return ref_bits(m, v);
    }
    case 7:
        ds_put_cstr(s, c & 1 ? "!flags.loopback" : "flags.loopback");
        return ref_bits(1 << 5, c & 1 ? 0 : 1 << 5);
    case 8:
        g->has_predicate = true;
        ds_put_cstr(s, c & 1 ? "!vlan.present" : "vlan.present");
        return ref_bits(1 << 6, c & 1 ? 0 : 1 << 6);
    case 9: {
        /* Positive in effect: != under an odd number of '!'. */
        int port = gen_rand(g, 3);
        r = ref_new(REF_PORT);
        r->port = port;
        if (c & 1) {
            ds_put_format(s, "outport %s @pg1", negated ? "!=" : "==");
            struct ref *r2 = ref_new(REF_PORT);
            r->port = 0;
            r2->port = 1;
            r = ref_or(r, r2);
        } else {
            ds_put_format(s, "outport %s \"%c\"", negated ? "!=" : "==",
                          'a' + port);
        }
        if (negated) {
            struct ref *n = ref_new(REF_NOT);
            n->a = r;
            r = n;
        }
        return r;
    }
    case 10:
        r = ref_new(REF_RESIDENT);
        r->port = c & 1;
        ds_put_format(s, "is_chassis_resident(\"%c\")", 'a' + r->port);
        return r;
    default:
        r = ref_new(REF_CONST);
        r->constant = c & 1;
        ds_put_format(s, "%u", c & 1);
        return r;
    }
}

static struct ref *
gen_expr(struct gen *g, int depth, bool negated, struct ds *s)
{
    unsigned int kind = depth > 0 ? gen_rand(g, 5) : 0;
    struct ref *r;

    if (kind <= 1) {
        return gen_leaf(g, negated, s);
    } else if (kind == 2) {
        ds_put_cstr(s, "!(");
        r = ref_new(REF_NOT);
        r->a = gen_expr(g, depth - 1, !negated, s);
        ds_put_char(s, ')');
        return r;
    }
    r = ref_new(kind == 3 ? REF_AND : REF_OR);
    ds_put_char(s, '(');
    r->a = gen_expr(g, depth - 1, negated, s);
    ds_put_cstr(s, kind == 3 ? " && " : " || ");
    r->b = gen_expr(g, depth - 1, negated, s);
    ds_put_char(s, ')');
    return r;
}

static bool
resident(const void *aux OVS_UNUSED, const char *port)
{
    const struct assignment *x = aux;
    return (x->bits >> (7 + (port[0] - 'a'))) & 1;
}

static void
set_assignment(struct symtab_flow *flow, const struct assignment *x)
{
    static const char *const names[] = { "a", "b", "c", NULL };
    const struct symtab_symbol *reg0 = symtab_lookup(symtab, "reg0");

    symtab_flow_set(flow, reg0, u128_from_u64(x->bits & 31),
                    u128_from_u64(31));
    flow->fields[SYMTAB_F_FLAGS] = u128_from_u64((x->bits >> 5) & 1);
    flow->fields[SYMTAB_F_VLAN_TCI] = u128_from_u64(((x->bits >> 6) & 1)
                                                    << 12);
    symtab_flow_set_string(flow, symtab_lookup(symtab, "outport"),
                           names[x->port]);
}

/* Checks 'e' against 'r' on every assignment. */
static void
check_exhaustive(const char *what, const char *text, const struct expr *e,
                 const struct ref *r)
{
    for (unsigned int bits = 0; bits < 512; bits++) {
        for (int port = 0; port < 4; port++) {
            struct assignment x = { bits, port };
            struct symtab_flow flow;
            symtab_flow_init(&flow);
            set_assignment(&flow, &x);
            bool expected = ref_eval(r, &x);
            bool actual = expr_evaluate(e, &flow, resident, &x);
            symtab_flow_destroy(&flow);
            if (expected != actual) {
                char *s = format(e, false);
                print_error("%s of %s\n  (%s)\n  is %d for bits 0x%x port "
                            "%d, expected %d\n", what, text, s, actual,
                            bits, port, expected);
                free(s);
                fail();
            }
        }
    }
}

static void
test_exhaustive(void **state OVS_UNUSED)
{
    struct gen g = { .seed = 42 };

    for (int round = 0; round < 600; round++) {
        struct ds text = DS_EMPTY_INITIALIZER;
        g.has_predicate = false;
        struct ref *r = gen_expr(&g, 4, false, &text);
        const char *s = ds_cstr(&text);

        struct expr *e = parse_ok(s);
        if (!g.has_predicate) {
            check_exhaustive("parse", s, e, r);
        }

        /* What expr_format() prints parses back to the same. */
        char *printed = format(e, false);
        struct expr *again = parse_ok(printed);
        assert_true(expr_equals(e, again));
        expr_destroy(again);
        free(printed);

        char *error;
        e = expr_annotate(e, symtab, &error);
        assert_non_null(e);
        check_exhaustive("annotate", s, e, r);

        e = expr_simplify(e);
        check_exhaustive("simplify", s, e, r);

        assert_int_equal(expr_normalize(&e, 100000), 0);
        assert_true(expr_is_normal(e));
        check_exhaustive("normalize", s, e, r);

        /* And so does the normal form. */
        printed = format(e, false);
        again = expr_annotate(parse_ok(printed), symtab, &error);
        assert_non_null(again);
        check_exhaustive("reparsed normal form", s, again, r);
        expr_destroy(again);
        free(printed);

        expr_destroy(e);
        ref_destroy(r);
        ds_destroy(&text);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trips),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_annotate),
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_microflow),
        cmocka_unit_test(test_exhaustive),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
