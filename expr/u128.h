/* u128: 128-bit unsigned integers for the flow language.
 *
 * The widest field of the flow language is 128 bits (ip6.src, xxreg0,
 * ct_label), so every constant, value and mask of the expression modules
 * is a 'struct u128'.  Bit 0 is the least significant bit of 'lo', bit 127
 * the most significant bit of 'hi', which is how OVN numbers the bits of
 * a field in a subfield such as ip6.dst[120..127].
 *
 * All functions are pure and inline.  Shift counts and bit indexes must be
 * in 0..128 (shifts) or 0..127 (bits); an out-of-range count yields 0 for
 * shifts, as a wider integer would. */
#ifndef WEFT_EXPR_U128_H
#define WEFT_EXPR_U128_H 1

#include <stdbool.h>
#include <stdint.h>

struct u128 {
    uint64_t hi;                /* Bits 64..127. */
    uint64_t lo;                /* Bits 0..63. */
};

static inline struct u128
u128_make(uint64_t hi, uint64_t lo)
{
    struct u128 x = { hi, lo };
    return x;
}

static inline struct u128
u128_zero(void)
{
    return u128_make(0, 0);
}

static inline struct u128
u128_from_u64(uint64_t lo)
{
    return u128_make(0, lo);
}

static inline bool
u128_is_zero(struct u128 x)
{
    return !x.hi && !x.lo;
}

static inline bool
u128_equals(struct u128 a, struct u128 b)
{
    return a.hi == b.hi && a.lo == b.lo;
}

static inline struct u128
u128_and(struct u128 a, struct u128 b)
{
    return u128_make(a.hi & b.hi, a.lo & b.lo);
}

static inline struct u128
u128_or(struct u128 a, struct u128 b)
{
    return u128_make(a.hi | b.hi, a.lo | b.lo);
}

static inline struct u128
u128_xor(struct u128 a, struct u128 b)
{
    return u128_make(a.hi ^ b.hi, a.lo ^ b.lo);
}

static inline struct u128
u128_not(struct u128 a)
{
    return u128_make(~a.hi, ~a.lo);
}

/* a & ~b. */
static inline struct u128
u128_andnot(struct u128 a, struct u128 b)
{
    return u128_make(a.hi & ~b.hi, a.lo & ~b.lo);
}

static inline struct u128
u128_shl(struct u128 x, unsigned int n)
{
    if (n == 0) {
        return x;
    } else if (n < 64) {
        return u128_make((x.hi << n) | (x.lo >> (64 - n)), x.lo << n);
    } else if (n < 128) {
        return u128_make(x.lo << (n - 64), 0);
    }
    return u128_zero();
}

static inline struct u128
u128_shr(struct u128 x, unsigned int n)
{
    if (n == 0) {
        return x;
    } else if (n < 64) {
        return u128_make(x.hi >> n, (x.lo >> n) | (x.hi << (64 - n)));
    } else if (n < 128) {
        return u128_make(0, x.hi >> (n - 64));
    }
    return u128_zero();
}

/* Returns a value with the low 'n_bits' bits set (0 <= n_bits <= 128). */
static inline struct u128
u128_low_mask(unsigned int n_bits)
{
    if (n_bits >= 128) {
        return u128_make(UINT64_MAX, UINT64_MAX);
    } else if (n_bits >= 64) {
        return u128_make(n_bits == 64 ? 0 : UINT64_MAX >> (128 - n_bits),
                         UINT64_MAX);
    }
    return u128_make(0, n_bits ? UINT64_MAX >> (64 - n_bits) : 0);
}

/* Returns bits 'ofs' through 'ofs + n_bits - 1' set. */
static inline struct u128
u128_range_mask(unsigned int ofs, unsigned int n_bits)
{
    return u128_shl(u128_low_mask(n_bits), ofs);
}

static inline bool
u128_get_bit(struct u128 x, unsigned int i)
{
    return i < 64 ? (x.lo >> i) & 1 : i < 128 ? (x.hi >> (i - 64)) & 1 : 0;
}

static inline struct u128
u128_bit(unsigned int i)
{
    return u128_shl(u128_from_u64(1), i);
}

/* Returns the number of significant bits in 'x': 0 for 0, 1 for 1, 128 if
 * bit 127 is set. */
static inline unsigned int
u128_n_bits(struct u128 x)
{
    return (x.hi ? 128 - __builtin_clzll(x.hi)
            : x.lo ? 64 - __builtin_clzll(x.lo) : 0);
}

/* Returns the index of the lowest set bit of 'x', or 128 if 'x' is 0. */
static inline unsigned int
u128_ctz(struct u128 x)
{
    return (x.lo ? __builtin_ctzll(x.lo)
            : x.hi ? 64 + __builtin_ctzll(x.hi) : 128);
}

static inline unsigned int
u128_popcount(struct u128 x)
{
    return __builtin_popcountll(x.hi) + __builtin_popcountll(x.lo);
}

/* Returns <0, 0, >0 as a is less than, equal to, greater than b. */
static inline int
u128_compare(struct u128 a, struct u128 b)
{
    if (a.hi != b.hi) {
        return a.hi < b.hi ? -1 : 1;
    }
    return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* True if the set bits of 'x' are one contiguous run (0 is not). */
static inline bool
u128_is_contiguous(struct u128 x)
{
    if (u128_is_zero(x)) {
        return false;
    }
    struct u128 run = u128_shr(x, u128_ctz(x));
    struct u128 plus1 = run.lo == UINT64_MAX
                        ? u128_make(run.hi + 1, 0)
                        : u128_make(run.hi, run.lo + 1);
    return u128_is_zero(u128_and(run, plus1));
}

/* Converts between 'x' and 16 bytes in network (big-endian) order. */
static inline struct u128
u128_from_be_bytes(const uint8_t b[16])
{
    uint64_t hi = 0, lo = 0;
    for (int i = 0; i < 8; i++) {
        hi = (hi << 8) | b[i];
        lo = (lo << 8) | b[i + 8];
    }
    return u128_make(hi, lo);
}

static inline void
u128_to_be_bytes(struct u128 x, uint8_t b[16])
{
    for (int i = 7; i >= 0; i--) {
        b[i] = x.hi & 0xff;
        b[i + 8] = x.lo & 0xff;
        x.hi >>= 8;
        x.lo >>= 8;
    }
}

#endif
