/* lex: the lexer of OVN's logical flow language.  See lex.h.
 *
 * Numbers are the subtle part.  A number is scanned as a "run" of
 * characters and then classified:
 *
 *   - The run starts at a digit, at "::", or at an identifier made only of
 *     hex digits that is followed by ':' (so "fe80::1" and "aa:bb:..." are
 *     numbers but "x::1" is the identifier "x" followed by "::1").
 *   - It continues over letters, digits, '.' (unless the next character is
 *     another '.', so "1..5" is INTEGER ELLIPSIS INTEGER) and ':' (until the
 *     run has contained a '.', so "10.0.0.1:80" stops before the ':').
 *   - The run is then hexadecimal ("0x..."), Ethernet, IPv6, IPv4 or
 *     decimal, tried in that order, or else "Invalid numeric constant.".
 *
 * These rules reproduce what OVN 23.03's ovn-trace accepts and rejects for
 * every case we tried (see tests/unit/test-expr-lex.c). */
#include "expr/lex.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

#include "ds.h"
#include "json.h"
#include "util.h"

/* The widest hexadecimal constant OVN's lexer accepts. */
#define LEX_MAX_HEX_BITS 1024

unsigned int
lex_format_width(enum lex_format format)
{
    switch (format) {
    case LEX_F_IPV4: return 32;
    case LEX_F_IPV6: return 128;
    case LEX_F_ETHERNET: return 48;
    case LEX_F_DECIMAL:
    case LEX_F_HEXADECIMAL:
    default:
        return 0;
    }
}

void
lex_token_init(struct lex_token *token)
{
    memset(token, 0, sizeof *token);
    token->type = LEX_T_END;
}

void
lex_token_destroy(struct lex_token *token)
{
    if (token) {
        free(token->s);
        token->s = NULL;
    }
}

void
lex_token_clone(struct lex_token *dst, const struct lex_token *src)
{
    *dst = *src;
    dst->s = src->s ? xstrdup(src->s) : NULL;
}

void
lex_token_swap(struct lex_token *a, struct lex_token *b)
{
    struct lex_token tmp = *a;
    *a = *b;
    *b = tmp;
}

/* Character classes. */

static bool
lex_is_id1(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool
lex_is_idn(int c)
{
    return lex_is_id1(c) || (c >= '0' && c <= '9') || c == '.';
}

static bool
lex_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool
lex_is_alnum(int c)
{
    return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
            || lex_is_digit(c));
}

static int
lex_hexit_value(int c)
{
    return (c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
            : -1);
}

static void
lex_error(struct lex_token *token, const char *format, ...)
    PRINTF_FORMAT(2, 3);

static void
lex_error(struct lex_token *token, const char *format, ...)
{
    va_list args;

    free(token->s);
    va_start(args, format);
    token->s = xvasprintf(format, args);
    va_end(args);
    token->type = LEX_T_ERROR;
}

/* Number runs and their classification. */

/* Does a number start at 'p'?  See the comment at the top of the file. */
static bool
lex_is_number_start(const char *p)
{
    if (lex_is_digit(*p) || (p[0] == ':' && p[1] == ':')) {
        return true;
    }
    if (lex_hexit_value(*p) < 0) {
        return false;
    }
    while (lex_hexit_value(*p) >= 0) {
        p++;
    }
    return *p == ':';
}

/* Returns the length of the number run at 'p'. */
static size_t
lex_number_run(const char *p)
{
    const char *start = p;
    bool saw_dot = false;

    for (;;) {
        if (lex_is_alnum(*p)) {
            p++;
        } else if (*p == '.' && p[1] != '.') {
            saw_dot = true;
            p++;
        } else if (*p == ':' && !saw_dot) {
            p++;
        } else {
            return p - start;
        }
    }
}

static bool
lex_parse_hex(const char *run, size_t len, struct lex_token *token)
{
    const char *p = run + 2, *end = run + len;

    if (p == end) {
        lex_error(token, "Hex digits expected following 0x.");
        return false;
    }
    for (const char *q = p; q < end; q++) {
        if (lex_hexit_value(*q) < 0) {
            lex_error(token, "Invalid syntax in hexadecimal constant.");
            return false;
        }
    }
    while (p < end && *p == '0') {
        p++;
    }

    size_t n_digits = end - p;
    unsigned int n_bits = 0;
    if (n_digits) {
        if (n_digits > LEX_MAX_HEX_BITS / 4) {
            n_bits = LEX_MAX_HEX_BITS + 1;
        } else {
            n_bits = 4 * (n_digits - 1) + (32 - __builtin_clz(
                                               lex_hexit_value(*p)));
        }
    }
    if (n_bits > LEX_MAX_HEX_BITS) {
        lex_error(token, "Hexadecimal constant requires more than %d bits.",
                  LEX_MAX_HEX_BITS);
        return false;
    }

    struct u128 value = u128_zero();
    for (const char *q = n_digits > 32 ? end - 32 : p; q < end; q++) {
        value = u128_or(u128_shl(value, 4),
                        u128_from_u64(lex_hexit_value(*q)));
    }
    token->format = LEX_F_HEXADECIMAL;
    token->value = value;
    token->n_bits = n_bits;
    return true;
}

static bool
lex_parse_mac(const char *run, size_t len, struct u128 *value)
{
    uint64_t mac = 0;

    if (len != 17) {
        return false;
    }
    for (int i = 0; i < 6; i++) {
        const char *p = run + 3 * i;
        int hi = lex_hexit_value(p[0]), lo = lex_hexit_value(p[1]);
        if (hi < 0 || lo < 0 || (i < 5 && p[2] != ':')) {
            return false;
        }
        mac = (mac << 8) | (hi << 4) | lo;
    }
    *value = u128_from_u64(mac);
    return true;
}

static bool
lex_parse_ip(const char *run, size_t len, int family, struct u128 *value)
{
    char buf[64];
    uint8_t bytes[16];

    if (len >= sizeof buf) {
        return false;
    }
    memcpy(buf, run, len);
    buf[len] = '\0';
    if (inet_pton(family, buf, bytes) != 1) {
        return false;
    }
    if (family == AF_INET) {
        *value = u128_from_u64(((uint32_t) bytes[0] << 24) | (bytes[1] << 16)
                               | (bytes[2] << 8) | bytes[3]);
    } else {
        *value = u128_from_be_bytes(bytes);
    }
    return true;
}

static bool
lex_parse_decimal(const char *run, size_t len, struct lex_token *token)
{
    uint64_t value = 0;

    for (size_t i = 0; i < len; i++) {
        if (!lex_is_digit(run[i])) {
            lex_error(token, "Invalid numeric constant.");
            return false;
        }
    }
    if (len > 1 && run[0] == '0') {
        lex_error(token, "Decimal constants must not have leading zeros.");
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned int digit = run[i] - '0';
        if (value > (UINT64_MAX - digit) / 10) {
            lex_error(token, "Decimal constants must be less than 2**64.");
            return false;
        }
        value = value * 10 + digit;
    }
    token->format = LEX_F_DECIMAL;
    token->value = u128_from_u64(value);
    token->n_bits = u128_n_bits(token->value);
    return true;
}

/* Classifies the number run of 'len' bytes at 'run' into 'token''s format,
 * value and n_bits.  Returns false after making 'token' an error. */
static bool
lex_parse_number(const char *run, size_t len, struct lex_token *token)
{
    struct u128 value;

    if (len >= 2 && run[0] == '0' && (run[1] == 'x' || run[1] == 'X')) {
        return lex_parse_hex(run, len, token);
    } else if (lex_parse_mac(run, len, &value)) {
        token->format = LEX_F_ETHERNET;
    } else if (lex_parse_ip(run, len, AF_INET6, &value)) {
        token->format = LEX_F_IPV6;
    } else if (lex_parse_ip(run, len, AF_INET, &value)) {
        token->format = LEX_F_IPV4;
    } else {
        return lex_parse_decimal(run, len, token);
    }
    token->value = value;
    token->n_bits = lex_format_width(token->format);
    return true;
}

/* Combines 'token' (the value) with 'mask' (the mask's token).  Returns
 * false after making 'token' an error. */
static bool
lex_apply_mask(struct lex_token *token, const struct lex_token *mask)
{
    unsigned int width = lex_format_width(token->format);

    if (mask->format == token->format) {
        /* A hexadecimal mask may be wider than the 128 bits kept. */
        token->mask = mask->value;
        token->n_bits = (mask->format == LEX_F_HEXADECIMAL ? mask->n_bits
                         : u128_n_bits(mask->value));
    } else if ((token->format == LEX_F_IPV4 || token->format == LEX_F_IPV6)
               && mask->format == LEX_F_DECIMAL
               && u128_compare(mask->value, u128_from_u64(width)) <= 0) {
        unsigned int plen = mask->value.lo;
        token->mask = u128_range_mask(width - plen, plen);
        token->n_bits = u128_n_bits(token->mask);
    } else {
        lex_error(token, "Value and mask have incompatible formats.");
        return false;
    }
    token->type = LEX_T_MASKED_INTEGER;
    token->mask_format = mask->format;
    token->value = u128_and(token->value, token->mask);
    return true;
}

/* Lexes a number at 'p' (where lex_is_number_start() is true) into
 * 'token', including any "/MASK".  Returns the position after it. */
static const char *
lex_number(const char *p, struct lex_token *token)
{
    size_t len = lex_number_run(p);

    token->type = LEX_T_INTEGER;
    token->mask = u128_low_mask(128);
    if (!lex_parse_number(p, len, token)) {
        return p + len;
    }
    token->mask_format = token->format;
    p += len;
    if (*p != '/' || p[1] == '/' || p[1] == '*') {
        return p;
    }

    p++;
    if (!lex_is_number_start(p)) {
        lex_error(token, "Integer constant expected.");
        return p;
    }

    struct lex_token mask;
    lex_token_init(&mask);
    len = lex_number_run(p);
    if (!lex_parse_number(p, len, &mask)) {
        lex_error(token, "%s", mask.s);
    } else {
        lex_apply_mask(token, &mask);
    }
    lex_token_destroy(&mask);
    return p + len;
}

/* Strings. */

/* Reads 4 hex digits at 'p' into '*c'. */
static bool
lex_parse_hex4(const char *p, unsigned int *c)
{
    *c = 0;
    for (int i = 0; i < 4; i++) {
        int h = lex_hexit_value(p[i]);
        if (h < 0) {
            return false;
        }
        *c = (*c << 4) | h;
    }
    return true;
}

static void
lex_put_utf8(struct ds *s, unsigned int c)
{
    if (c < 0x80) {
        ds_put_char(s, c);
    } else if (c < 0x800) {
        ds_put_char(s, 0xc0 | (c >> 6));
        ds_put_char(s, 0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
        ds_put_char(s, 0xe0 | (c >> 12));
        ds_put_char(s, 0x80 | ((c >> 6) & 0x3f));
        ds_put_char(s, 0x80 | (c & 0x3f));
    } else {
        ds_put_char(s, 0xf0 | (c >> 18));
        ds_put_char(s, 0x80 | ((c >> 12) & 0x3f));
        ds_put_char(s, 0x80 | ((c >> 6) & 0x3f));
        ds_put_char(s, 0x80 | (c & 0x3f));
    }
}

/* Decodes the \u escape at 'p' (just after the 'u') in a string whose
 * contents end at 'end'.  Returns the position after it, or NULL after
 * storing an error message in '*errorp'. */
static const char *
lex_unescape_u(const char *p, const char *end, struct ds *s,
               const char **errorp)
{
    unsigned int c, c2;

    if (end - p < 4) {
        *errorp = "quoted string ends within \\u escape";
        return NULL;
    } else if (!lex_parse_hex4(p, &c)) {
        *errorp = "malformed \\u escape";
        return NULL;
    } else if (!c) {
        *errorp = "null bytes not supported in quoted strings";
        return NULL;
    }
    p += 4;
    if (c >= 0xd800 && c <= 0xdbff) {
        if (end - p < 6 || p[0] != '\\' || p[1] != 'u'
            || !lex_parse_hex4(p + 2, &c2)) {
            *errorp = "malformed escaped surrogate pair";
            return NULL;
        } else if (c2 < 0xdc00 || c2 > 0xdfff) {
            *errorp = "second half of escaped surrogate pair is not "
                      "trailing surrogate";
            return NULL;
        }
        c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
        p += 6;
    }
    lex_put_utf8(s, c);
    return p;
}

/* Unescapes the string contents from 'p' to 'end' into 'token'. */
static void
lex_unescape(const char *p, const char *end, struct lex_token *token)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    const char *error = NULL;

    while (p < end) {
        if (*p != '\\') {
            ds_put_char(&s, *p++);
            continue;
        }
        p++;
        switch (*p) {
        case '"': case '\\': case '/': ds_put_char(&s, *p); break;
        case 'b': ds_put_char(&s, '\b'); break;
        case 'f': ds_put_char(&s, '\f'); break;
        case 'n': ds_put_char(&s, '\n'); break;
        case 'r': ds_put_char(&s, '\r'); break;
        case 't': ds_put_char(&s, '\t'); break;
        case 'u':
            p = lex_unescape_u(p + 1, end, &s, &error);
            if (!p) {
                lex_error(token, "%s", error);
                ds_destroy(&s);
                return;
            }
            continue;
        default:
            lex_error(token, "bad escape \\%c", *p);
            ds_destroy(&s);
            return;
        }
        p++;
    }
    token->type = LEX_T_STRING;
    token->s = ds_steal_cstr(&s);
}

/* Lexes the string whose opening quote is at 'p'. */
static const char *
lex_string(const char *p, struct lex_token *token)
{
    const char *start = p + 1;

    for (p = start; *p != '"'; p++) {
        if (*p == '\0' || (*p == '\\' && *++p == '\0')) {
            lex_error(token, "Input ends inside quoted string.");
            return p;
        }
    }
    lex_unescape(start, p, token);
    return p + 1;
}

/* Identifiers and sigils. */

static const char *
lex_id(const char *p, struct lex_token *token)
{
    const char *start = p;

    while (lex_is_idn(*p)) {
        p++;
    }
    token->type = LEX_T_ID;
    token->s = xmemdup0(start, p - start);
    return p;
}

/* Lexes "$name", "@name" or "^name" with the sigil at 'p'. */
static const char *
lex_sigil(const char *p, enum lex_type type, struct lex_token *token)
{
    if (!lex_is_id1(p[1])) {
        lex_error(token, "`%c' must be followed by a valid identifier.", *p);
        return p + 1;
    }
    p = lex_id(p + 1, token);
    token->type = type;
    return p;
}

/* White space and comments. */

static const char *
lex_skip_space(const char *p, struct lex_token *token)
{
    for (;;) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'
            || *p == '\f' || *p == '\v') {
            p++;
        } else if (p[0] == '/' && p[1] == '/') {
            p += 2;
            while (*p && *p != '\n') {
                p++;
            }
        } else if (p[0] == '/' && p[1] == '*') {
            const char *close = strstr(p + 2, "*/");
            if (!close) {
                lex_error(token, "`/*' without matching `*/'.");
                return p;
            }
            p = close + 2;
        } else {
            return p;
        }
    }
}

/* Punctuation: returns the position after the token at 'p' or NULL if
 * there is none there. */
static const char *
lex_punct(const char *p, struct lex_token *token)
{
#define LEX_ONE(C, T) case C: token->type = T; return p + 1
#define LEX_TWO(C2, T2, T1) \
    token->type = p[1] == C2 ? T2 : T1; return p + 1 + (p[1] == C2)

    switch (*p) {
    LEX_ONE('(', LEX_T_LPAREN);
    LEX_ONE(')', LEX_T_RPAREN);
    LEX_ONE('{', LEX_T_LCURLY);
    LEX_ONE('}', LEX_T_RCURLY);
    LEX_ONE('[', LEX_T_LSQUARE);
    LEX_ONE(']', LEX_T_RSQUARE);
    LEX_ONE(',', LEX_T_COMMA);
    LEX_ONE(';', LEX_T_SEMICOLON);
    LEX_ONE(':', LEX_T_COLON);
    case '=': LEX_TWO('=', LEX_T_EQ, LEX_T_EQUALS);
    case '!': LEX_TWO('=', LEX_T_NE, LEX_T_LOG_NOT);
    case '>': LEX_TWO('=', LEX_T_GE, LEX_T_GT);
    case '-': LEX_TWO('-', LEX_T_DECREMENT, LEX_T_HYPHEN);
    case '<':
        if (p[1] == '-' && p[2] == '>') {
            token->type = LEX_T_EXCHANGE;
            return p + 3;
        }
        LEX_TWO('=', LEX_T_LE, LEX_T_LT);
    default:
        return NULL;
    }
#undef LEX_ONE
#undef LEX_TWO
}

/* Reports the invalid byte at 'p' as OVN does: "&&", "||", ".." and comments
 * have their own messages; other printable characters are quoted; any
 * other byte is printed as OVN prints it, as a signed decimal after "0x"
 * (so 0xc3 is "0x-61"). */
static const char *
lex_invalid(const char *p, struct lex_token *token)
{
    switch (*p) {
    case '&':
        if (p[1] != '&') {
            lex_error(token, "`&' is only valid as part of `&&'.");
            return p + 1;
        }
        token->type = LEX_T_LOG_AND;
        return p + 2;
    case '|':
        if (p[1] != '|') {
            lex_error(token, "`|' is only valid as part of `||'.");
            return p + 1;
        }
        token->type = LEX_T_LOG_OR;
        return p + 2;
    case '.':
        if (p[1] != '.') {
            lex_error(token, "`.' is only valid as part of `..' or a number.");
            return p + 1;
        }
        token->type = LEX_T_ELLIPSIS;
        return p + 2;
    case '/':
        lex_error(token, "`/' is only valid as part of `//' or `/*'.");
        return p + 1;
    default:
        if (*p >= 0x20 && *p < 0x7f) {
            lex_error(token, "Invalid character `%c' in input.", *p);
        } else {
            lex_error(token, "Invalid byte 0x%d in input.",
                      (int) (signed char) *p);
        }
        return p + 1;
    }
}

/* Scans one token starting at offset 'pos' of 'input' into 'token' (which
 * must be initialized; its old contents are freed).  Returns the offset
 * just past the token. */
static size_t
lex_scan(const char *input, size_t pos, struct lex_token *token)
{
    const char *p;

    lex_token_destroy(token);
    lex_token_init(token);
    p = lex_skip_space(input + pos, token);
    token->start = p - input;
    if (token->type == LEX_T_ERROR) {
        p += strlen(p);
    } else if (*p == '\0') {
        token->type = LEX_T_END;
    } else if (lex_is_number_start(p)) {
        p = lex_number(p, token);
    } else if (lex_is_id1(*p)) {
        p = lex_id(p, token);
    } else if (*p == '"') {
        p = lex_string(p, token);
    } else if (*p == '$') {
        p = lex_sigil(p, LEX_T_MACRO, token);
    } else if (*p == '@') {
        p = lex_sigil(p, LEX_T_PORT_GROUP, token);
    } else if (*p == '^') {
        p = lex_sigil(p, LEX_T_TEMPLATE, token);
    } else {
        const char *q = lex_punct(p, token);
        p = q ? q : lex_invalid(p, token);
    }
    token->end = p - input;
    return token->end;
}

/* Formatting. */

void
lex_value_format(struct u128 value, enum lex_format format, struct ds *s)
{
    uint8_t bytes[16];
    char buf[INET6_ADDRSTRLEN];

    switch (format) {
    case LEX_F_DECIMAL:
        if (!value.hi) {
            ds_put_format(s, "%llu", (unsigned long long) value.lo);
            break;
        }
        OVS_FALLTHROUGH;
    case LEX_F_HEXADECIMAL:
        if (value.hi) {
            ds_put_format(s, "0x%llx%016llx", (unsigned long long) value.hi,
                          (unsigned long long) value.lo);
        } else {
            ds_put_format(s, "0x%llx", (unsigned long long) value.lo);
        }
        break;
    case LEX_F_IPV4:
        ds_put_format(s, "%u.%u.%u.%u", (unsigned) (value.lo >> 24) & 0xff,
                      (unsigned) (value.lo >> 16) & 0xff,
                      (unsigned) (value.lo >> 8) & 0xff,
                      (unsigned) value.lo & 0xff);
        break;
    case LEX_F_IPV6:
        u128_to_be_bytes(value, bytes);
        inet_ntop(AF_INET6, bytes, buf, sizeof buf);
        ds_put_cstr(s, buf);
        break;
    case LEX_F_ETHERNET:
        for (int i = 5; i >= 0; i--) {
            ds_put_format(s, "%02x%s", (unsigned) (value.lo >> (8 * i)) & 0xff,
                          i ? ":" : "");
        }
        break;
    }
}

void
lex_masked_format(struct u128 value, struct u128 mask,
                  enum lex_format format, enum lex_format mask_format,
                  unsigned int width, struct ds *s)
{
    lex_value_format(value, format, s);
    if (width && u128_equals(mask, u128_low_mask(width))) {
        return;
    }

    ds_put_char(s, '/');
    unsigned int fw = lex_format_width(format);
    if (fw && mask_format == LEX_F_DECIMAL) {
        unsigned int plen = u128_popcount(mask);
        if (u128_equals(mask, u128_range_mask(fw - plen, plen))) {
            ds_put_format(s, "%u", plen);
            return;
        }
        mask_format = format;
    }
    lex_value_format(mask, mask_format, s);
}

const char *
lex_type_to_string(enum lex_type type)
{
    switch (type) {
    case LEX_T_END: return "end of input";
    case LEX_T_ERROR: return "error";
    case LEX_T_ID: return "identifier";
    case LEX_T_STRING: return "string";
    case LEX_T_INTEGER: return "integer";
    case LEX_T_MASKED_INTEGER: return "masked integer";
    case LEX_T_MACRO: return "address set";
    case LEX_T_PORT_GROUP: return "port group";
    case LEX_T_TEMPLATE: return "template";
    case LEX_T_LPAREN: return "`('";
    case LEX_T_RPAREN: return "`)'";
    case LEX_T_LCURLY: return "`{'";
    case LEX_T_RCURLY: return "`}'";
    case LEX_T_LSQUARE: return "`['";
    case LEX_T_RSQUARE: return "`]'";
    case LEX_T_EQ: return "`=='";
    case LEX_T_NE: return "`!='";
    case LEX_T_LT: return "`<'";
    case LEX_T_LE: return "`<='";
    case LEX_T_GT: return "`>'";
    case LEX_T_GE: return "`>='";
    case LEX_T_LOG_NOT: return "`!'";
    case LEX_T_LOG_AND: return "`&&'";
    case LEX_T_LOG_OR: return "`||'";
    case LEX_T_ELLIPSIS: return "`..'";
    case LEX_T_COMMA: return "`,'";
    case LEX_T_SEMICOLON: return "`;'";
    case LEX_T_EQUALS: return "`='";
    case LEX_T_EXCHANGE: return "`<->'";
    case LEX_T_DECREMENT: return "`--'";
    case LEX_T_COLON: return "`:'";
    case LEX_T_HYPHEN: return "`-'";
    }
    return "unknown token";
}

/* The punctuation text of 'type' ("(" for LEX_T_LPAREN). */
static const char *
lex_punct_text(enum lex_type type)
{
    static const char *const texts[] = {
        [LEX_T_LPAREN] = "(", [LEX_T_RPAREN] = ")", [LEX_T_LCURLY] = "{",
        [LEX_T_RCURLY] = "}", [LEX_T_LSQUARE] = "[", [LEX_T_RSQUARE] = "]",
        [LEX_T_EQ] = "==", [LEX_T_NE] = "!=", [LEX_T_LT] = "<",
        [LEX_T_LE] = "<=", [LEX_T_GT] = ">", [LEX_T_GE] = ">=",
        [LEX_T_LOG_NOT] = "!", [LEX_T_LOG_AND] = "&&", [LEX_T_LOG_OR] = "||",
        [LEX_T_ELLIPSIS] = "..", [LEX_T_COMMA] = ",", [LEX_T_SEMICOLON] = ";",
        [LEX_T_EQUALS] = "=", [LEX_T_EXCHANGE] = "<->",
        [LEX_T_DECREMENT] = "--", [LEX_T_COLON] = ":", [LEX_T_HYPHEN] = "-",
    };
    return type < ARRAY_SIZE(texts) && texts[type] ? texts[type] : "";
}

void
lex_token_format(const struct lex_token *token, struct ds *s)
{
    switch (token->type) {
    case LEX_T_END:
        ds_put_cstr(s, "$");
        break;
    case LEX_T_ERROR:
        ds_put_format(s, "error(\"%s\")", token->s);
        break;
    case LEX_T_ID:
        ds_put_cstr(s, token->s);
        break;
    case LEX_T_STRING:
        json_string_escape(token->s, s);
        break;
    case LEX_T_INTEGER:
        lex_value_format(token->value, token->format, s);
        break;
    case LEX_T_MASKED_INTEGER:
        lex_masked_format(token->value, token->mask, token->format,
                          token->mask_format, 0, s);
        break;
    case LEX_T_MACRO:
        ds_put_format(s, "$%s", token->s);
        break;
    case LEX_T_PORT_GROUP:
        ds_put_format(s, "@%s", token->s);
        break;
    case LEX_T_TEMPLATE:
        ds_put_format(s, "^%s", token->s);
        break;
    default:
        ds_put_cstr(s, lex_punct_text(token->type));
        break;
    }
}

/* The lexer. */

void
lexer_init(struct lexer *lexer, const char *input)
{
    lexer->input = input;
    lexer->pos = 0;
    lex_token_init(&lexer->token);
    lexer->error = NULL;
    lexer->error_pos = 0;
}

void
lexer_destroy(struct lexer *lexer)
{
    if (lexer) {
        lex_token_destroy(&lexer->token);
        free(lexer->error);
        lexer->error = NULL;
    }
}

enum lex_type
lexer_get(struct lexer *lexer)
{
    lexer->pos = lex_scan(lexer->input, lexer->pos, &lexer->token);
    if (lexer->token.type == LEX_T_ERROR) {
        /* As in OVN, an invalid token is the error as soon as it is read,
         * even if the parser then finds another problem first. */
        lexer_error(lexer, "%s", lexer->token.s);
    }
    return lexer->token.type;
}

enum lex_type
lexer_lookahead(const struct lexer *lexer)
{
    struct lex_token next;

    lex_token_init(&next);
    lex_scan(lexer->input, lexer->pos, &next);
    enum lex_type type = next.type;
    lex_token_destroy(&next);
    return type;
}

bool
lexer_match(struct lexer *lexer, enum lex_type type)
{
    if (lexer->token.type == type) {
        lexer_get(lexer);
        return true;
    }
    return false;
}

bool
lexer_force_match(struct lexer *lexer, enum lex_type type)
{
    if (lexer_match(lexer, type)) {
        return true;
    }
    lexer_syntax_error(lexer, "expecting %s", lex_type_to_string(type));
    return false;
}

bool
lexer_is_id(const struct lexer *lexer, const char *id)
{
    return lexer->token.type == LEX_T_ID && !strcmp(lexer->token.s, id);
}

bool
lexer_match_id(struct lexer *lexer, const char *id)
{
    if (lexer_is_id(lexer, id)) {
        lexer_get(lexer);
        return true;
    }
    return false;
}

bool
lexer_is_int(const struct lexer *lexer)
{
    const struct lex_token *t = &lexer->token;
    return (t->type == LEX_T_INTEGER && t->format == LEX_F_DECIMAL
            && !t->value.hi && t->value.lo < (1u << 31));
}

bool
lexer_get_int(struct lexer *lexer, int *value)
{
    if (lexer_is_int(lexer)) {
        *value = lexer->token.value.lo;
        lexer_get(lexer);
        return true;
    }
    *value = 0;
    return false;
}

bool
lexer_force_int(struct lexer *lexer, int *value)
{
    if (lexer_get_int(lexer, value)) {
        return true;
    }
    lexer_syntax_error(lexer, "expecting small integer");
    return false;
}

bool
lexer_force_end(struct lexer *lexer)
{
    if (lexer->token.type == LEX_T_END) {
        return true;
    }
    lexer_syntax_error(lexer, "expecting end of input");
    return false;
}

void
lexer_error(struct lexer *lexer, const char *message, ...)
{
    va_list args;

    if (lexer->error) {
        return;
    }
    va_start(args, message);
    lexer->error = xvasprintf(message, args);
    va_end(args);
    lexer->error_pos = lexer->token.start;
}

void
lexer_token_text(const struct lexer *lexer, struct ds *s)
{
    const struct lex_token *t = &lexer->token;
    ds_put_buffer(s, lexer->input + t->start, t->end - t->start);
}

void
lexer_syntax_error(struct lexer *lexer, const char *message, ...)
{
    struct ds s = DS_EMPTY_INITIALIZER;
    va_list args;

    if (lexer->error) {
        return;
    }
    lexer->error_pos = lexer->token.start;
    if (lexer->token.type == LEX_T_ERROR) {
        lexer->error = xstrdup(lexer->token.s);
        return;
    }
    ds_put_cstr(&s, "Syntax error at ");
    if (lexer->token.type == LEX_T_END) {
        ds_put_cstr(&s, "end of input");
    } else {
        ds_put_char(&s, '`');
        lexer_token_text(lexer, &s);
        ds_put_char(&s, '\'');
    }
    if (message) {
        ds_put_char(&s, ' ');
        va_start(args, message);
        ds_put_format_valist(&s, message, args);
        va_end(args);
    }
    ds_put_char(&s, '.');
    lexer->error = ds_steal_cstr(&s);
}

char *
lexer_steal_error(struct lexer *lexer)
{
    char *error = lexer->error;
    lexer->error = NULL;
    return error;
}
