/* lex: the lexer of OVN's logical flow language (matches and actions).
 *
 * A 'struct lexer' turns a NUL-terminated string into tokens, one at a
 * time.  The current token is 'lexer->token'; lexer_get() moves to the next
 * one and lexer_lookahead() peeks at the one after it.  Every token records
 * its byte range in the input ('start', 'end'), so an error can quote the
 * text the user wrote: lexer_syntax_error() produces OVN's messages, e.g.
 *
 *     Syntax error at `reg10' expecting field name.
 *     Syntax error at end of input expecting `)'.
 *
 * Use:
 *
 *     struct lexer lexer;
 *     lexer_init(&lexer, "ip4.src == 10.0.0.0/8 && tcp.dst == 80");
 *     lexer_get(&lexer);                          (first token)
 *     while (lexer.token.type != LEX_T_END && !lexer.error) {
 *         ...
 *         lexer_get(&lexer);
 *     }
 *     char *error = lexer_steal_error(&lexer);     (NULL if none)
 *     lexer_destroy(&lexer);
 *
 * Tokens (OVN 23.03's lexical syntax, learnt from the real ovn-trace):
 *
 *   - Identifiers: [A-Za-z_][A-Za-z0-9_.]* ("ip4.src", "ct.trk",
 *     "put_dhcp_opts").
 *   - Integers: decimal (< 2**64, no leading zeros), hexadecimal "0x..."
 *     (up to 1024 bits), IPv4 "10.0.0.1", IPv6 "fe80::1" (anything
 *     inet_pton() accepts), Ethernet "00:11:22:33:44:55" (exactly two hex
 *     digits per byte).  Any of them may be followed directly by "/MASK"
 *     in the same format; an IPv4 or IPv6 value also takes a decimal prefix
 *     length ("10.0.0.0/8").  A masked constant is LEX_T_MASKED_INTEGER
 *     with the value already ANDed with the mask.  An address followed by
 *     ":" ends before it, so "10.0.0.1:80" is INTEGER COLON INTEGER (the
 *     action language's ip:port); "[fd00::1]:80" uses brackets.
 *   - Strings: JSON syntax ("vm1", "a\u0062"), unescaped into 's'.
 *   - "$name" (address set), "@name" (port group), "^name" (chassis
 *     template variable).
 *   - Punctuation: ( ) { } [ ] , ; = == != < <= > >= ! && || .. : - --
 *     and <-> .
 *   - Comments "// ..." to the end of the line and "/ * ... * /" (without
 *     the spaces) are skipped like white space.
 *
 * Anything else is a LEX_T_ERROR token whose 's' is OVN's message for it
 * ("Invalid numeric constant.", "Input ends inside quoted string.", ...).
 * The lexer never fails otherwise: any byte string lexes to a finite
 * sequence of tokens ending in LEX_T_END.
 *
 * Ownership: the lexer does not own 'input', which must outlive it.  The
 * lexer owns its current token and its error; lexer_destroy() frees both.
 * A 'struct lex_token' copied out with lex_token_clone() is the caller's,
 * to free with lex_token_destroy().  Not thread-safe; no global state. */
#ifndef WEFT_EXPR_LEX_H
#define WEFT_EXPR_LEX_H 1

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include "expr/u128.h"
#include "util.h"

struct ds;

enum lex_type {
    LEX_T_END,                  /* End of input. */
    LEX_T_ERROR,                /* Invalid input; 's' is the message. */

    /* Tokens with data. */
    LEX_T_ID,                   /* Identifier: 's'. */
    LEX_T_STRING,               /* Quoted string: 's', unescaped. */
    LEX_T_INTEGER,              /* 'value', 'format', 'n_bits'. */
    LEX_T_MASKED_INTEGER,       /* Also 'mask', 'mask_format'. */
    LEX_T_MACRO,                /* $name: 's' is the name. */
    LEX_T_PORT_GROUP,           /* @name: 's' is the name. */
    LEX_T_TEMPLATE,             /* ^name: 's' is the name. */

    /* Punctuation. */
    LEX_T_LPAREN,               /* ( */
    LEX_T_RPAREN,               /* ) */
    LEX_T_LCURLY,               /* { */
    LEX_T_RCURLY,               /* } */
    LEX_T_LSQUARE,              /* [ */
    LEX_T_RSQUARE,              /* ] */
    LEX_T_EQ,                   /* == */
    LEX_T_NE,                   /* != */
    LEX_T_LT,                   /* < */
    LEX_T_LE,                   /* <= */
    LEX_T_GT,                   /* > */
    LEX_T_GE,                   /* >= */
    LEX_T_LOG_NOT,              /* ! */
    LEX_T_LOG_AND,              /* && */
    LEX_T_LOG_OR,               /* || */
    LEX_T_ELLIPSIS,             /* .. */
    LEX_T_COMMA,                /* , */
    LEX_T_SEMICOLON,            /* ; */
    LEX_T_EQUALS,               /* = */
    LEX_T_EXCHANGE,             /* <-> */
    LEX_T_DECREMENT,            /* -- */
    LEX_T_COLON,                /* : */
    LEX_T_HYPHEN,               /* - */
};

/* How an integer constant was written, kept so that it can be printed back
 * the same way. */
enum lex_format {
    LEX_F_DECIMAL,              /* 80 */
    LEX_F_HEXADECIMAL,          /* 0x50 */
    LEX_F_IPV4,                 /* 10.0.0.1 */
    LEX_F_IPV6,                 /* fe80::1 */
    LEX_F_ETHERNET,             /* 00:00:00:00:00:01 */
};

/* Width in bits of the addresses written in 'format', or 0 for decimal and
 * hexadecimal. */
unsigned int lex_format_width(enum lex_format);

struct lex_token {
    enum lex_type type;
    size_t start;               /* Byte offset of the token in the input. */
    size_t end;                 /* Byte offset just past the token. */

    /* LEX_T_ID, LEX_T_STRING, LEX_T_MACRO, LEX_T_PORT_GROUP,
     * LEX_T_TEMPLATE: the text (owned, NUL-terminated).  LEX_T_ERROR: the
     * error message (owned).  Otherwise NULL. */
    char *s;

    /* LEX_T_INTEGER and LEX_T_MASKED_INTEGER.  Only the low 128 bits of
     * longer hexadecimal constants are kept; 'n_bits' still says how wide
     * they were, so that they are rejected for every field. */
    enum lex_format format;     /* How 'value' was written. */
    struct u128 value;          /* For a masked constant, already masked. */
    struct u128 mask;           /* All ones for LEX_T_INTEGER. */
    enum lex_format mask_format;/* LEX_F_DECIMAL for an IP prefix length,
                                 * else the same as 'format'. */
    unsigned int n_bits;        /* Bits the constant needs, as OVN counts
                                 * them: the mask's significant bits if
                                 * masked, else 32/128/48 for IPv4/IPv6/
                                 * Ethernet, else the value's significant
                                 * bits (up to 1024). */
};

void lex_token_init(struct lex_token *);
void lex_token_destroy(struct lex_token *);
void lex_token_clone(struct lex_token *dst, const struct lex_token *src);
void lex_token_swap(struct lex_token *, struct lex_token *);

/* Appends 'token' to 's' in the syntax that lexes back to the same token
 * (quoting and escaping strings, formatting integers as written). */
void lex_token_format(const struct lex_token *, struct ds *s);

/* Appends 'value' as it would be written in 'format' (IPv4 uses the low
 * 32 bits, Ethernet the low 48).  A decimal value wider than 64 bits is
 * written in hexadecimal, since the lexer could not read it back. */
void lex_value_format(struct u128 value, enum lex_format, struct ds *);

/* Appends "VALUE/MASK" as a masked token would be written; an IP mask in
 * LEX_F_DECIMAL 'mask_format' that is a prefix is written as its length,
 * and an all-ones mask is omitted. */
void lex_masked_format(struct u128 value, struct u128 mask,
                       enum lex_format format, enum lex_format mask_format,
                       unsigned int width, struct ds *);

/* Returns a name for 'type' as OVN's messages quote it, e.g. "`)'" for
 * LEX_T_RPAREN or "integer" for LEX_T_INTEGER. */
const char *lex_type_to_string(enum lex_type);

struct lexer {
    const char *input;          /* Not owned; NUL-terminated. */
    size_t pos;                 /* Offset just past the current token. */
    struct lex_token token;     /* The current token. */
    char *error;                /* The first error reported, or NULL. */
    size_t error_pos;           /* Offset of the token it was reported at,
                                 * for pointing at it ("^~~~"). */
};

void lexer_init(struct lexer *, const char *input);
void lexer_destroy(struct lexer *);

/* Moves to the next token and returns its type.  Tokens after LEX_T_END
 * are LEX_T_END again.  Reading a LEX_T_ERROR token records its message
 * as the lexer's error (unless one is recorded already): OVN reports an
 * invalid token in preference to whatever the parser makes of it. */
enum lex_type lexer_get(struct lexer *);

/* Returns the type of the token after the current one, without moving. */
enum lex_type lexer_lookahead(const struct lexer *);

/* If the current token has 'type', moves past it and returns true;
 * otherwise returns false. */
bool lexer_match(struct lexer *, enum lex_type);

/* Like lexer_match(), but on mismatch reports "Syntax error at ...
 * expecting `X'." and returns false. */
bool lexer_force_match(struct lexer *, enum lex_type);

/* If the current token is the identifier 'id', moves past it and returns
 * true. */
bool lexer_match_id(struct lexer *, const char *id);

/* Is the current token the identifier 'id'? */
bool lexer_is_id(const struct lexer *, const char *id);

/* Is the current token a "small integer": an unmasked decimal constant
 * below 2**31?  lexer_get_int() also stores it and moves past it;
 * lexer_force_int() reports "expecting small integer" if not. */
bool lexer_is_int(const struct lexer *);
bool lexer_get_int(struct lexer *, int *value);
bool lexer_force_int(struct lexer *, int *value);

/* Is the current token the end of the input?  lexer_force_end() reports
 * "expecting end of input" if not. */
bool lexer_force_end(struct lexer *);

/* Records an error, unless one is already recorded (the first error is the
 * one reported).  lexer_syntax_error() formats OVN's syntax error about the
 * current token: "Syntax error at `TEXT' expecting MESSAGE." ("at end of
 * input" at the end, "." without 'message' if NULL); if the current token
 * is a LEX_T_ERROR, its own message is recorded instead. */
void lexer_error(struct lexer *, const char *message, ...)
    PRINTF_FORMAT(2, 3);
void lexer_syntax_error(struct lexer *, const char *message, ...)
    PRINTF_FORMAT(2, 3);

/* Returns the recorded error (owned by the caller) and clears it. */
char *lexer_steal_error(struct lexer *);

/* Appends the input text of the current token to 's'. */
void lexer_token_text(const struct lexer *, struct ds *s);

#endif
