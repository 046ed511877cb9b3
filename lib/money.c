/* The money module: exact money in fen, its yuan text and the exact split (see
 * include/vipa/money.h and money_internal.h). No floating point anywhere in this file. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "money_internal.h"
#include "vipa/error.h"

static int store_if_fits(vipa_fen *out, vipa__i128 value)
{
    if (value < INT64_MIN || value > INT64_MAX)
        return VIPA_E_OVERFLOW;
    *out = (vipa_fen)value;
    return VIPA_OK;
}

int vipa_fen_add(vipa_fen *out, vipa_fen a, vipa_fen b)
{
    if (!out)
        return VIPA_E_INVALID;
    return store_if_fits(out, (vipa__i128)a + b);
}

int vipa_fen_sub(vipa_fen *out, vipa_fen a, vipa_fen b)
{
    if (!out)
        return VIPA_E_INVALID;
    return store_if_fits(out, (vipa__i128)a - b);
}

int vipa_fen_mul(vipa_fen *out, vipa_fen a, int64_t n)
{
    if (!out)
        return VIPA_E_INVALID;
    return store_if_fits(out, (vipa__i128)a * n);
}

/* numerator / divisor with the magnitude rounded half away from zero, or truncated.
 * |numerator| < 2^126 for every caller, so negation cannot overflow. */
static int divide_rounded(vipa_fen *out, vipa__i128 numerator, int64_t divisor, int half_up)
{
    vipa__u128 magnitude = numerator < 0 ? (vipa__u128)(-numerator) : (vipa__u128)numerator;
    vipa__u128 quotient = magnitude / (vipa__u128)divisor;
    vipa__u128 remainder = magnitude % (vipa__u128)divisor;
    if (half_up && 2 * remainder >= (vipa__u128)divisor)
        quotient++;
    if (quotient > (vipa__u128)INT64_MAX + 1)
        return VIPA_E_OVERFLOW;
    vipa__i128 value = numerator < 0 ? -(vipa__i128)quotient : (vipa__i128)quotient;
    return store_if_fits(out, value);
}

int vipa_fen_mul_bp(vipa_fen *out, vipa_fen amount, vipa_bp rate)
{
    if (!out)
        return VIPA_E_INVALID;
    return divide_rounded(out, (vipa__i128)amount * rate, 10000, 1);
}

int vipa_fen_mul_bp_trunc(vipa_fen *out, vipa_fen amount, vipa_bp rate)
{
    if (!out)
        return VIPA_E_INVALID;
    return divide_rounded(out, (vipa__i128)amount * rate, 10000, 0);
}

int vipa_fen_mul_area(vipa_fen *out, vipa_fen per_mu, int64_t area_cmu)
{
    if (!out)
        return VIPA_E_INVALID;
    return divide_rounded(out, (vipa__i128)per_mu * area_cmu, 100, 1);
}

/* ---- yuan text ---------------------------------------------------------------- */

static int parse_fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

/* Digits of the amount as read so far; stops growing past any int64 so it cannot wrap. */
struct yuan_digits {
    vipa__u128 magnitude;
    int integer_digits;
    int decimals;
    int seen_dot;
};

static const char *scan_yuan(struct yuan_digits *d, const char *p)
{
    for (; *p; p++) {
        if (*p == '.') {
            if (d->seen_dot)
                return "a second decimal point: expected at most one '.'";
            if (d->integer_digits == 0)
                return "no digit before the decimal point: expected e.g. \"0.50\"";
            d->seen_dot = 1;
            continue;
        }
        if (*p < '0' || *p > '9')
            return "unexpected character: expected digits, an optional leading '-' and "
                   "at most two decimals, e.g. \"3600.00\"";
        if (d->seen_dot && ++d->decimals > 2)
            return "more than two decimals: amounts are whole fen (0.01 yuan)";
        if (!d->seen_dot)
            d->integer_digits++;
        if (d->magnitude <= (vipa__u128)UINT64_MAX)
            d->magnitude = d->magnitude * 10 + (vipa__u128)(*p - '0');
    }
    if (d->integer_digits == 0)
        return "no digits: expected an amount such as \"3600.00\"";
    if (d->seen_dot && d->decimals == 0)
        return "a decimal point must be followed by one or two digits";
    return NULL;
}

int vipa_fen_parse(vipa_fen *out, const char *text, const char **why)
{
    if (why)
        *why = NULL;
    if (!out || !text)
        return parse_fail(why, VIPA_E_INVALID, "no output or no text given");
    if (*text == '\0')
        return parse_fail(why, VIPA_E_PARSE, "empty amount: expected yuan such as \"3600.00\"");

    int negative = text[0] == '-';
    struct yuan_digits d = {0, 0, 0, 0};
    const char *reason = scan_yuan(&d, text + negative);
    if (reason)
        return parse_fail(why, VIPA_E_PARSE, reason);

    vipa__u128 fen = d.magnitude * (d.decimals == 2 ? 1 : d.decimals == 1 ? 10 : 100);
    vipa__u128 limit = negative ? (vipa__u128)INT64_MAX + 1 : (vipa__u128)INT64_MAX;
    if (d.magnitude > (vipa__u128)UINT64_MAX || fen > limit)
        return parse_fail(why, VIPA_E_OVERFLOW,
                          "amount out of range: at most 92233720368547758.07 yuan either way");
    *out = negative ? (vipa_fen)(-(vipa__i128)fen) : (vipa_fen)fen;
    return VIPA_OK;
}

int vipa_fen_format(char *buf, size_t size, vipa_fen amount)
{
    if (!buf)
        return VIPA_E_INVALID;
    /* Unsigned magnitude: -INT64_MIN does not fit in int64. */
    uint64_t magnitude = amount < 0 ? 0 - (uint64_t)amount : (uint64_t)amount;
    /* The text of "%s%" PRIu64 ".%02u", written from the right: every failed check of a
     * year run formats two amounts, so this is on the run's path. */
    char digits[VIPA_FEN_FORMAT_SIZE], text[VIPA_FEN_FORMAT_SIZE];
    int n = 0;
    digits[n++] = (char)('0' + magnitude % 10);
    digits[n++] = (char)('0' + magnitude / 10 % 10);
    digits[n++] = '.';
    uint64_t yuan = magnitude / 100;
    do {
        digits[n++] = (char)('0' + yuan % 10);
        yuan /= 10;
    } while (yuan);
    if (amount < 0)
        digits[n++] = '-';
    int length = n;
    for (int i = 0; i < n; i++)
        text[i] = digits[n - 1 - i];
    text[n] = '\0';
    if ((size_t)length >= size) {
        if (size > 0)
            buf[0] = '\0';
        return VIPA_E_RANGE;
    }
    for (int i = 0; i <= length; i++)
        buf[i] = text[i];
    return VIPA_OK;
}

vipa__yuan_text vipa__yuan(vipa_fen amount)
{
    vipa__yuan_text t = {""};
    vipa_fen_format(t.s, sizeof t.s, amount); /* the buffer always fits */
    return t;
}

/* ---- the exact split ------------------------------------------------------------ */

size_t vipa__split_scratch_size(size_t n)
{
    if (n == 0 || n > SIZE_MAX / sizeof(vipa__split_slot))
        return 0;
    return n * sizeof(vipa__split_slot);
}

/* Largest remainder first; equal remainders keep index order (ties to the lower index). */
static int by_remainder_then_index(const void *a, const void *b)
{
    const vipa__split_slot *x = a, *y = b;
    if (x->remainder != y->remainder)
        return x->remainder > y->remainder ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

int vipa__split_into(vipa_fen *parts, vipa_fen total, const uint64_t *weights, size_t n,
                     vipa__split_slot *scratch)
{
    if (n == 0 || !parts || !weights || !scratch)
        return VIPA_E_INVALID;
    vipa__u128 weight_sum = 0;
    for (size_t i = 0; i < n; i++)
        weight_sum += weights[i];
    if (weight_sum == 0)
        return VIPA_E_INVALID;

    /* |total| <= 2^63 and w < 2^64, so every product is below 2^127. */
    vipa__u128 magnitude = total < 0 ? 0 - (uint64_t)total : (uint64_t)total;
    vipa__u128 handed_out = 0;
    for (size_t i = 0; i < n; i++) {
        vipa__u128 product = magnitude * weights[i];
        scratch[i].floor_share = (uint64_t)(product / weight_sum);
        scratch[i].remainder = product % weight_sum;
        scratch[i].index = i;
        handed_out += scratch[i].floor_share;
    }
    size_t leftover = (size_t)(magnitude - handed_out); /* < n: each floor loses < 1 fen */
    if (leftover > 0)
        qsort(scratch, n, sizeof *scratch, by_remainder_then_index);

    for (size_t k = 0; k < n; k++) {
        vipa__u128 share = (vipa__u128)scratch[k].floor_share + (k < leftover);
        parts[scratch[k].index] = total < 0 ? (vipa_fen)(-(vipa__i128)share) : (vipa_fen)share;
    }
    return VIPA_OK;
}

int vipa_split(vipa_fen *parts, vipa_fen total, const uint64_t *weights, size_t n)
{
    if (n == 0 || !parts || !weights)
        return VIPA_E_INVALID;
    size_t bytes = vipa__split_scratch_size(n);
    vipa__split_slot *scratch = bytes ? malloc(bytes) : NULL;
    if (!scratch)
        return VIPA_E_NOMEM;
    int rc = vipa__split_into(parts, total, weights, n, scratch);
    free(scratch);
    return rc;
}
