/* Unit tests for expr/lex: the flow language's tokens.  The expected
 * results, including the error messages, are what OVN 23.03's ovn-trace
 * does with the same text. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ds.h"
#include "expr/lex.h"
#include "util.h"

/* Lexes 'input' and returns its tokens formatted and separated by spaces,
 * an error token as error("MESSAGE") (after which lexing stops). */
static char *
lex_all(const char *input)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    struct lexer lexer;

    lexer_init(&lexer, input);
    while (lexer_get(&lexer) != LEX_T_END) {
        if (s.length) {
            ds_put_char(&s, ' ');
        }
        lex_token_format(&lexer.token, &s);
        if (lexer.token.type == LEX_T_ERROR) {
            break;
        }
    }
    lexer_destroy(&lexer);
    return ds_steal_cstr(&s);
}

static void
check_lex(const char *input, const char *expected)
{
    char *actual = lex_all(input);
    if (strcmp(actual, expected)) {
        print_error("input:    %s\nexpected: %s\nactual:   %s\n",
                    input, expected, actual);
        fail();
    }
    free(actual);
}

/* Lexes the single token in 'input'. */
static void
lex_one(const char *input, struct lex_token *token)
{
    struct lexer lexer;

    lexer_init(&lexer, input);
    lexer_get(&lexer);
    lex_token_clone(token, &lexer.token);
    assert_int_equal(lexer_get(&lexer), LEX_T_END);
    lexer_destroy(&lexer);
}

static void
test_ids_and_punctuation(void **state OVS_UNUSED)
{
    check_lex("ip4.src==10.0.0.1&&tcp", "ip4.src == 10.0.0.1 && tcp");
    check_lex("( ) { } [ ] , ; = == != < <= > >= ! && || .. : - -- <->",
              "( ) { } [ ] , ; = == != < <= > >= ! && || .. : - -- <->");
    check_lex("reg0[1..2]", "reg0 [ 1 .. 2 ]");
    check_lex("reg0[1 .. 2]", "reg0 [ 1 .. 2 ]");
    check_lex("_a a1.b2_c3 a..b A", "_a a1.b2_c3 a..b A");
    check_lex("a-b", "a - b");
    check_lex("ip.ttl--;", "ip.ttl -- ;");
    check_lex("eth.dst<->eth.src", "eth.dst <-> eth.src");
    check_lex("->", "- >");
    check_lex("1_2", "1 _2");
    check_lex("$as1 @pg1 ^var $a.b @_x", "$as1 @pg1 ^var $a.b @_x");
    check_lex("x // comment\ny", "x y");
    check_lex("x /* c */ y /**/z", "x y z");
    check_lex("\t\n\r\f\vx", "x");
    check_lex("", "");
}

static void
test_lex_errors(void **state OVS_UNUSED)
{
    check_lex("a & b", "a error(\"`&' is only valid as part of `&&'.\")");
    check_lex("a | b", "a error(\"`|' is only valid as part of `||'.\")");
    check_lex(".a", "error(\"`.' is only valid as part of `..' or a "
              "number.\")");
    check_lex(".5", "error(\"`.' is only valid as part of `..' or a "
              "number.\")");
    check_lex("1 /", "1 error(\"`/' is only valid as part of `//' or "
              "`/*'.\")");
    check_lex("x /* y", "x error(\"`/*' without matching `*/'.\")");
    check_lex("#", "error(\"Invalid character `#' in input.\")");
    check_lex("+", "error(\"Invalid character `+' in input.\")");
    check_lex("'x'", "error(\"Invalid character `'' in input.\")");
    /* OVN prints bad bytes as signed decimals after "0x". */
    check_lex("\x01", "error(\"Invalid byte 0x1 in input.\")");
    check_lex("\x1f", "error(\"Invalid byte 0x31 in input.\")");
    check_lex("\x7f", "error(\"Invalid byte 0x127 in input.\")");
    check_lex("\xc3\xa9", "error(\"Invalid byte 0x-61 in input.\")");
    check_lex("\xff", "error(\"Invalid byte 0x-1 in input.\")");
    check_lex("$", "error(\"`$' must be followed by a valid identifier.\")");
    check_lex("$1a", "error(\"`$' must be followed by a valid "
              "identifier.\")");
    check_lex("@ x", "error(\"`@' must be followed by a valid "
              "identifier.\")");
    check_lex("@1_pg1", "error(\"`@' must be followed by a valid "
              "identifier.\")");
    check_lex("^", "error(\"`^' must be followed by a valid "
              "identifier.\")");
}

static void
test_numbers(void **state OVS_UNUSED)
{
    check_lex("0 1 80 0x50 0X12 0xAb", "0 1 80 0x50 0x12 0xab");
    check_lex("18446744073709551615", "18446744073709551615");
    check_lex("10.0.0.1 255.255.255.255", "10.0.0.1 255.255.255.255");
    check_lex("fe80::1 ::1 :: abc:: dead:beef::1 ::1abc",
              "fe80::1 ::1 :: abc:: dead:beef::1 ::1abc");
    check_lex("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8");
    check_lex("::ffff:1.2.3.4", "::ffff:1.2.3.4");
    check_lex("fe80:0::1", "fe80::1");
    check_lex("aa:bb:cc:dd:ee:ff AA:BB:CC:DD:EE:FF 00:00:00:00:00:00",
              "aa:bb:cc:dd:ee:ff aa:bb:cc:dd:ee:ff 00:00:00:00:00:00");

    /* Where numbers end. */
    check_lex("1..5", "1 .. 5");
    check_lex("1...2", "1 .. error(\"`.' is only valid as part of `..' or "
              "a number.\")");
    check_lex("1.2.3.4..5", "1.2.3.4 .. 5");
    check_lex("0x1..2", "0x1 .. 2");
    check_lex("::1..2", "::1 .. 2");
    check_lex("10.0.0.1:80", "10.0.0.1 : 80");
    check_lex("10.0.0.1:", "10.0.0.1 :");
    check_lex("::ffff:1.2.3.4:80", "::ffff:1.2.3.4 : 80");
    check_lex("[fe80::1]:80", "[ fe80::1 ] : 80");
    check_lex("x::1", "x ::1");
    check_lex("abg::1", "abg ::1");
    check_lex("ip4:", "ip4 :");
    check_lex("face", "face");
    check_lex("ab.cd", "ab.cd");
    check_lex(":", ":");
    check_lex("1.2.3.4/8.8.8.8:80", "0.0.0.0/8.8.8.8 : 80");
}

static void
test_number_errors(void **state OVS_UNUSED)
{
    static const char *const invalid[] = {
        "12a", "1.2.3", "256.1.1.1", "1.2.3.4.5", "01.2.3.4", "010.1.2.3",
        "1:2:3:4:5:6", "1:2:3:4:5", "1:2:3:4:5:6:7", "100:2:3:4:5:6",
        "1:::2", "a:b:c:d:e:f", "1:2:3:4:5:6:7:8:9", "::ffff:1.2.3",
        "ab:cd", "a:b", "::x", ":::", "ab::g", "1.2", "1.",
        "aa:bb:cc:dd:ee:ff:00", "ab:cd:ef:01:23:45abc", "1e3", "1:2",
        "10.0.0.1/24:80", "10.0.0.1/24.0",
    };
    for (size_t i = 0; i < ARRAY_SIZE(invalid); i++) {
        check_lex(invalid[i], "error(\"Invalid numeric constant.\")");
    }

    check_lex("012", "error(\"Decimal constants must not have leading "
              "zeros.\")");
    check_lex("00", "error(\"Decimal constants must not have leading "
              "zeros.\")");
    check_lex("18446744073709551616", "error(\"Decimal constants must be "
              "less than 2**64.\")");
    check_lex("99999999999999999999", "error(\"Decimal constants must be "
              "less than 2**64.\")");
    check_lex("0x", "error(\"Hex digits expected following 0x.\")");
    check_lex("0xg", "error(\"Invalid syntax in hexadecimal constant.\")");
    check_lex("0x12abz", "error(\"Invalid syntax in hexadecimal "
              "constant.\")");
    check_lex("0x1.2", "error(\"Invalid syntax in hexadecimal constant.\")");
    check_lex("0x1:2", "error(\"Invalid syntax in hexadecimal constant.\")");

    struct ds s = DS_EMPTY_INITIALIZER;
    ds_put_cstr(&s, "0x");
    ds_put_char_multiple(&s, 'f', 256);
    struct lex_token token;
    lex_one(ds_cstr(&s), &token);
    assert_int_equal(token.type, LEX_T_INTEGER);
    assert_int_equal(token.n_bits, 1024);
    assert_true(u128_equals(token.value, u128_low_mask(128)));
    lex_token_destroy(&token);

    ds_put_char(&s, 'f');
    check_lex(ds_cstr(&s), "error(\"Hexadecimal constant requires more than "
              "1024 bits.\")");
    ds_clear(&s);
    ds_put_cstr(&s, "0x0000");
    ds_put_char_multiple(&s, 'f', 256);
    lex_one(ds_cstr(&s), &token);
    assert_int_equal(token.type, LEX_T_INTEGER);
    lex_token_destroy(&token);
    ds_destroy(&s);
}

static void
test_masks(void **state OVS_UNUSED)
{
    check_lex("1/2", "0/2");
    check_lex("0x5/0x3", "0x1/0x3");
    check_lex("10.0.0.1/24", "10.0.0.0/24");
    check_lex("10.0.0.1/0", "0.0.0.0/0");
    check_lex("10.0.0.1/32", "10.0.0.1/32");
    check_lex("1.2.3.4/255.255.0.0", "1.2.0.0/255.255.0.0");
    check_lex("1.2.3.4/0.255.0.255", "0.2.0.4/0.255.0.255");
    check_lex("fe80::1/64", "fe80::/64");
    check_lex("::1/ffff::", "::/ffff::");
    check_lex("01:02:03:04:05:06/ff:ff:ff:00:00:00",
              "01:02:03:00:00:00/ff:ff:ff:00:00:00");
    check_lex("1//2", "1");
    check_lex("1/*x*/", "1");

    static const char *const incompatible[] = {
        "5/0x3", "0x5/3", "0x5/1.2.3.4", "1.2.3.4/0x3", "1.2.3.4/33",
        "::1/129", "01:02:03:04:05:06/24", "01:02:03:04:05:06/0x3",
        "1/0x1", "0x10000/0",
    };
    for (size_t i = 0; i < ARRAY_SIZE(incompatible); i++) {
        check_lex(incompatible[i], "error(\"Value and mask have "
                  "incompatible formats.\")");
    }
    check_lex("1/", "error(\"Integer constant expected.\")");
    check_lex("5/ 3", "error(\"Integer constant expected.\")");
    check_lex("10.0.0.1/-1", "error(\"Integer constant expected.\")");
    check_lex("1/012", "error(\"Decimal constants must not have leading "
              "zeros.\")");
}

/* 'n_bits' is what OVN checks against a field's width. */
static void
test_n_bits(void **state OVS_UNUSED)
{
    static const struct {
        const char *input;
        unsigned int n_bits;
    } cases[] = {
        { "0", 0 }, { "5", 3 }, { "0x00000000000000000001", 1 },
        { "0xfffffffff", 36 }, { "18446744073709551615", 64 },
        { "1.2.3.4", 32 }, { "0.0.0.1", 32 }, { "::1", 128 }, { "::", 128 },
        { "00:00:00:00:00:01", 48 },
        { "0x1/0x10001", 17 }, { "0x0/0x10000", 17 },
        { "0x1ffffffff/0x1", 1 }, { "0.0.0.0/0", 0 },
        { "0.0.0.1/0.0.0.1", 1 }, { "::1/::1", 1 }, { "10.0.0.0/8", 32 },
        { "::/0", 0 }, { "fe80::/10", 128 },
    };
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        struct lex_token token;
        lex_one(cases[i].input, &token);
        if (token.n_bits != cases[i].n_bits) {
            print_error("%s: n_bits %u, expected %u\n", cases[i].input,
                        token.n_bits, cases[i].n_bits);
            fail();
        }
        lex_token_destroy(&token);
    }
}

static void
test_values(void **state OVS_UNUSED)
{
    struct lex_token t;

    lex_one("fe80::1", &t);
    assert_int_equal(t.format, LEX_F_IPV6);
    assert_true(u128_equals(t.value, u128_make(0xfe80000000000000ULL, 1)));
    lex_token_destroy(&t);

    lex_one("10.0.0.0/8", &t);
    assert_int_equal(t.type, LEX_T_MASKED_INTEGER);
    assert_int_equal(t.format, LEX_F_IPV4);
    assert_int_equal(t.mask_format, LEX_F_DECIMAL);
    assert_true(u128_equals(t.value, u128_from_u64(0x0a000000)));
    assert_true(u128_equals(t.mask, u128_from_u64(0xff000000)));
    lex_token_destroy(&t);

    lex_one("50:54:00:00:00:01", &t);
    assert_int_equal(t.format, LEX_F_ETHERNET);
    assert_true(u128_equals(t.value, u128_from_u64(0x505400000001ULL)));
    lex_token_destroy(&t);

    lex_one("0x1000000020000000300000004", &t);
    assert_true(u128_equals(t.value, u128_make(0x100000002ULL,
                                               0x300000004ULL)));
    lex_token_destroy(&t);
}

static void
test_strings(void **state OVS_UNUSED)
{
    check_lex("\"vm1\" \"\"", "\"vm1\" \"\"");
    check_lex("\"vm\\u0031\"", "\"vm1\"");
    check_lex("\"a\\tb\\\"\\\\\\/\"", "\"a\\tb\\\"\\\\/\"");
    check_lex("\"\\ud834\\udd1e\"", "\"\xf0\x9d\x84\x9e\"");
    check_lex("\"\\udc00\"", "\"\xed\xb0\x80\"");
    check_lex("\"a\nb\"", "\"a\\nb\"");
    check_lex("\"a\xffz\"", "\"a\xffz\"");
    check_lex("\"vm", "error(\"Input ends inside quoted string.\")");
    check_lex("\"a\\", "error(\"Input ends inside quoted string.\")");
    check_lex("\"\\\"", "error(\"Input ends inside quoted string.\")");
    check_lex("\"a\\qb\"", "error(\"bad escape \\q\")");
    check_lex("\"\\U0041\"", "error(\"bad escape \\U\")");
    check_lex("\"\\u12g4\"", "error(\"malformed \\u escape\")");
    check_lex("\"\\u12\"", "error(\"quoted string ends within \\u "
              "escape\")");
    check_lex("\"\\u\"", "error(\"quoted string ends within \\u escape\")");
    check_lex("\"\\u0000\"", "error(\"null bytes not supported in quoted "
              "strings\")");
    check_lex("\"\\ud800\"", "error(\"malformed escaped surrogate pair\")");
    check_lex("\"\\ud800x\"", "error(\"malformed escaped surrogate pair\")");
    check_lex("\"\\ud800\\u0041\"", "error(\"second half of escaped "
              "surrogate pair is not trailing surrogate\")");
}

static void
test_offsets_and_errors(void **state OVS_UNUSED)
{
    struct lexer lexer;

    lexer_init(&lexer, "  reg10 == 0x0001 ");
    assert_int_equal(lexer_get(&lexer), LEX_T_ID);
    assert_int_equal(lexer.token.start, 2);
    assert_int_equal(lexer.token.end, 7);
    assert_int_equal(lexer_lookahead(&lexer), LEX_T_EQ);
    assert_int_equal(lexer.token.type, LEX_T_ID);
    lexer_syntax_error(&lexer, "expecting %s", "field name");
    lexer_syntax_error(&lexer, "second error is ignored");
    char *error = lexer_steal_error(&lexer);
    assert_string_equal(error, "Syntax error at `reg10' expecting field "
                        "name.");
    free(error);

    assert_true(lexer_match(&lexer, LEX_T_ID));
    assert_false(lexer_match(&lexer, LEX_T_NE));
    assert_true(lexer_force_match(&lexer, LEX_T_EQ));
    assert_false(lexer_force_end(&lexer));
    error = lexer_steal_error(&lexer);
    assert_string_equal(error, "Syntax error at `0x0001' expecting end of "
                        "input.");
    assert_int_equal(lexer.error_pos, 11);
    free(error);
    assert_false(lexer_is_int(&lexer));
    lexer_get(&lexer);
    assert_false(lexer_force_match(&lexer, LEX_T_RPAREN));
    error = lexer_steal_error(&lexer);
    assert_string_equal(error, "Syntax error at end of input expecting "
                        "`)'.");
    free(error);
    assert_int_equal(lexer_get(&lexer), LEX_T_END);
    lexer_destroy(&lexer);

    lexer_init(&lexer, "12ab");
    lexer_get(&lexer);
    lexer_syntax_error(&lexer, "expecting constant");
    assert_string_equal(lexer.error, "Invalid numeric constant.");
    lexer_destroy(&lexer);

    lexer_init(&lexer, "31 2147483648 0x1 abc");
    int value;
    lexer_get(&lexer);
    assert_true(lexer_get_int(&lexer, &value));
    assert_int_equal(value, 31);
    assert_false(lexer_force_int(&lexer, &value));
    assert_string_equal(lexer.error, "Syntax error at `2147483648' "
                        "expecting small integer.");
    lexer_get(&lexer);
    assert_false(lexer_is_int(&lexer));
    lexer_get(&lexer);
    assert_true(lexer_is_id(&lexer, "abc"));
    assert_true(lexer_match_id(&lexer, "abc"));
    assert_int_equal(lexer.token.type, LEX_T_END);
    lexer_destroy(&lexer);
}

/* Any input lexes to a finite token sequence without crashing. */
static void
test_random_bytes(void **state OVS_UNUSED)
{
    static const char alphabet[] = "0123456789abcdefxyz.:/*\"\\u$@^[]{}()"
                                   "=!<>&|-;, \n\x01\xc3";
    uint32_t seed = 12345;

    for (int round = 0; round < 20000; round++) {
        char buf[24];
        size_t n = round % (sizeof buf - 1);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245 + 12345;
            buf[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        buf[n] = '\0';

        struct lexer lexer;
        size_t last_end = 0;
        lexer_init(&lexer, buf);
        for (int i = 0; lexer_get(&lexer) != LEX_T_END; i++) {
            if (i > (int) n || lexer.token.start < last_end) {
                print_error("bad token offsets lexing \"%s\"\n", buf);
                fail();
            }
            assert_true(lexer.token.end <= n);
            last_end = lexer.token.end;
            struct ds s = DS_EMPTY_INITIALIZER;
            lex_token_format(&lexer.token, &s);
            ds_destroy(&s);
        }
        lexer_destroy(&lexer);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids_and_punctuation),
        cmocka_unit_test(test_lex_errors),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_errors),
        cmocka_unit_test(test_masks),
        cmocka_unit_test(test_n_bits),
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_offsets_and_errors),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
