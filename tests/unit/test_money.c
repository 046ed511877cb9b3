/* Tests of include/vipa/money.h. Expected values are worked by hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"

__extension__ typedef unsigned __int128 u128;
__extension__ typedef __int128 i128;

static const vipa_fen UNTOUCHED = 424242;

/* ---- checked arithmetic ------------------------------------------------------- */

static void add_sub_mul_are_exact_or_refuse(void **state)
{
    (void)state;
    vipa_fen r = UNTOUCHED;
    assert_int_equal(vipa_fen_add(&r, 100, 250), VIPA_OK);
    assert_int_equal(r, 350);
    assert_int_equal(vipa_fen_add(&r, INT64_MIN, INT64_MAX), VIPA_OK);
    assert_int_equal(r, -1);
    assert_int_equal(vipa_fen_sub(&r, 5, 7), VIPA_OK);
    assert_int_equal(r, -2);
    assert_int_equal(vipa_fen_mul(&r, 360000, 12), VIPA_OK); /* 3600.00 × 12 = 43200.00 */
    assert_int_equal(r, 4320000);
    assert_int_equal(vipa_fen_mul(&r, -3, 4), VIPA_OK);
    assert_int_equal(r, -12);

    r = UNTOUCHED;
    assert_int_equal(vipa_fen_add(&r, INT64_MAX, 1), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_add(&r, INT64_MIN, -1), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_sub(&r, INT64_MIN, 1), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_sub(&r, 0, INT64_MIN), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_mul(&r, INT64_MAX, 2), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_mul(&r, INT64_MIN, -1), VIPA_E_OVERFLOW);
    assert_int_equal(r, UNTOUCHED);

    assert_int_equal(vipa_fen_add(NULL, 1, 2), VIPA_E_INVALID);
    assert_int_equal(vipa_fen_sub(NULL, 1, 2), VIPA_E_INVALID);
    assert_int_equal(vipa_fen_mul(NULL, 1, 2), VIPA_E_INVALID);
}

static void rates_round_half_away_from_zero(void **state)
{
    (void)state;
    vipa_fen r = UNTOUCHED;
    /* 70 % of 100000.00 yuan (三(二)): 7000000 fen. */
    assert_int_equal(vipa_fen_mul_bp(&r, 10000000, 7000), VIPA_OK);
    assert_int_equal(r, 7000000);
    /* 8 % of 123.45 = 9.876 yuan -> 988 fen. */
    assert_int_equal(vipa_fen_mul_bp(&r, 12345, 800), VIPA_OK);
    assert_int_equal(r, 988);
    /* Exactly half a fen goes away from zero, both signs. */
    assert_int_equal(vipa_fen_mul_bp(&r, 5, 5000), VIPA_OK);
    assert_int_equal(r, 3);
    assert_int_equal(vipa_fen_mul_bp(&r, -5, 5000), VIPA_OK);
    assert_int_equal(r, -3);
    assert_int_equal(vipa_fen_mul_bp(&r, 1, 4999), VIPA_OK);
    assert_int_equal(r, 0);
    assert_int_equal(vipa_fen_mul_bp(&r, INT64_MAX, 10000), VIPA_OK);
    assert_int_equal(r, INT64_MAX);
    assert_int_equal(vipa_fen_mul_bp(&r, INT64_MIN, 10000), VIPA_OK);
    assert_int_equal(r, INT64_MIN);

    r = UNTOUCHED;
    assert_int_equal(vipa_fen_mul_bp(&r, INT64_MAX, 10001), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_mul_bp(&r, INT64_MIN, -10000), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_mul_bp(&r, INT64_MIN, INT32_MIN), VIPA_E_OVERFLOW);
    assert_int_equal(r, UNTOUCHED);
    assert_int_equal(vipa_fen_mul_bp(NULL, 1, 1), VIPA_E_INVALID);
}

static void truncated_rate_rounds_toward_zero(void **state)
{
    (void)state;
    vipa_fen r = UNTOUCHED;
    /* 70 % of 100000.01 yuan = 70000.007 -> 7000000 fen; the collective gets 3000001. */
    assert_int_equal(vipa_fen_mul_bp_trunc(&r, 10000001, 7000), VIPA_OK);
    assert_int_equal(r, 7000000);
    assert_int_equal(vipa_fen_mul_bp_trunc(&r, 9, 5000), VIPA_OK);
    assert_int_equal(r, 4);
    assert_int_equal(vipa_fen_mul_bp_trunc(&r, -5, 5000), VIPA_OK);
    assert_int_equal(r, -2);
    r = UNTOUCHED;
    assert_int_equal(vipa_fen_mul_bp_trunc(&r, INT64_MAX, 20000), VIPA_E_OVERFLOW);
    assert_int_equal(r, UNTOUCHED);
    assert_int_equal(vipa_fen_mul_bp_trunc(NULL, 1, 1), VIPA_E_INVALID);
}

static void area_prices_round_half_away_from_zero(void **state)
{
    (void)state;
    vipa_fen r = UNTOUCHED;
    /* 2.50 mu at 500.00 yuan per mu = 1250.00 yuan. */
    assert_int_equal(vipa_fen_mul_area(&r, 50000, 250), VIPA_OK);
    assert_int_equal(r, 125000);
    /* 0.01 mu at 3.33 yuan = 0.0333 yuan -> 0.03; at 3.50 = 0.035 -> 0.04. */
    assert_int_equal(vipa_fen_mul_area(&r, 333, 1), VIPA_OK);
    assert_int_equal(r, 3);
    assert_int_equal(vipa_fen_mul_area(&r, 350, 1), VIPA_OK);
    assert_int_equal(r, 4);
    assert_int_equal(vipa_fen_mul_area(&r, -350, 1), VIPA_OK);
    assert_int_equal(r, -4);
    r = UNTOUCHED;
    assert_int_equal(vipa_fen_mul_area(&r, INT64_MAX, 200), VIPA_E_OVERFLOW);
    assert_int_equal(vipa_fen_mul_area(&r, INT64_MIN, INT64_MIN), VIPA_E_OVERFLOW);
    assert_int_equal(r, UNTOUCHED);
    assert_int_equal(vipa_fen_mul_area(NULL, 1, 1), VIPA_E_INVALID);
}

/* ---- yuan text ------------------------------------------------------------------- */

static void parse_accepts_yuan_with_up_to_two_decimals(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        vipa_fen fen;
    } cases[] = {
        {"3600.00", 360000},
        {"5", 500},
        {"-0.50", -50},
        {"0.5", 50},
        {"0", 0},
        {"-0", 0},
        {"007.1", 710},
        {"12000.05", 1200005},
        {"92233720368547758.07", INT64_MAX},
        {"-92233720368547758.08", INT64_MIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_fen r = UNTOUCHED;
        const char *why = "not reset";
        assert_int_equal(vipa_fen_parse(&r, cases[i].text, &why), VIPA_OK);
        assert_int_equal(r, cases[i].fen);
        assert_null(why);
        assert_int_equal(vipa_fen_parse(&r, cases[i].text, NULL), VIPA_OK);
    }
}

static void parse_refuses_with_a_reason_for_each_mistake(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int code;
        const char *reason_contains;
    } cases[] = {
        {"", VIPA_E_PARSE, "empty"},
        {"1.234", VIPA_E_PARSE, "more than two decimals"},
        {"1.000", VIPA_E_PARSE, "more than two decimals"},
        {"1.2.3", VIPA_E_PARSE, "second decimal point"},
        {"1..2", VIPA_E_PARSE, "second decimal point"},
        {"abc", VIPA_E_PARSE, "unexpected character"},
        {"+5", VIPA_E_PARSE, "unexpected character"},
        {" 5", VIPA_E_PARSE, "unexpected character"},
        {"5 ", VIPA_E_PARSE, "unexpected character"},
        {"1e3", VIPA_E_PARSE, "unexpected character"},
        {"--5", VIPA_E_PARSE, "unexpected character"},
        {"1,000.00", VIPA_E_PARSE, "unexpected character"},
        {"99999999999999999999999x", VIPA_E_PARSE, "unexpected character"},
        {"-", VIPA_E_PARSE, "no digits"},
        {".", VIPA_E_PARSE, "no digit before"},
        {".5", VIPA_E_PARSE, "no digit before"},
        {"5.", VIPA_E_PARSE, "followed by one or two digits"},
        {"92233720368547758.08", VIPA_E_OVERFLOW, "out of range"},
        {"-92233720368547758.09", VIPA_E_OVERFLOW, "out of range"},
        {"99999999999999999999999999999999999999999", VIPA_E_OVERFLOW, "out of range"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_fen r = UNTOUCHED;
        const char *why = NULL;
        assert_int_equal(vipa_fen_parse(&r, cases[i].text, &why), cases[i].code);
        assert_int_equal(r, UNTOUCHED);
        assert_non_null(why);
        assert_non_null(strstr(why, cases[i].reason_contains));
        assert_int_equal(vipa_fen_parse(&r, cases[i].text, NULL), cases[i].code);
    }
    vipa_fen r = UNTOUCHED;
    const char *why = NULL;
    assert_int_equal(vipa_fen_parse(&r, NULL, &why), VIPA_E_INVALID);
    assert_non_null(why);
    assert_int_equal(vipa_fen_parse(NULL, "1.00", NULL), VIPA_E_INVALID);
    assert_int_equal(r, UNTOUCHED);
}

static void format_writes_two_decimals(void **state)
{
    (void)state;
    char buf[VIPA_FEN_FORMAT_SIZE];
    assert_int_equal(vipa_fen_format(buf, sizeof buf, 123450), VIPA_OK);
    assert_string_equal(buf, "1234.50");
    assert_int_equal(vipa_fen_format(buf, sizeof buf, -5), VIPA_OK);
    assert_string_equal(buf, "-0.05");
    assert_int_equal(vipa_fen_format(buf, sizeof buf, 0), VIPA_OK);
    assert_string_equal(buf, "0.00");
    assert_int_equal(vipa_fen_format(buf, sizeof buf, -100), VIPA_OK);
    assert_string_equal(buf, "-1.00");
    assert_int_equal(vipa_fen_format(buf, sizeof buf, INT64_MAX), VIPA_OK);
    assert_string_equal(buf, "92233720368547758.07");
    assert_int_equal(vipa_fen_format(buf, sizeof buf, INT64_MIN), VIPA_OK);
    assert_string_equal(buf, "-92233720368547758.08");

    /* "0.00" needs 5 bytes with its NUL; 4 is refused and leaves "". */
    char small[5];
    assert_int_equal(vipa_fen_format(small, 5, 0), VIPA_OK);
    assert_string_equal(small, "0.00");
    assert_int_equal(vipa_fen_format(small, 4, 0), VIPA_E_RANGE);
    assert_string_equal(small, "");
    small[0] = 'x';
    assert_int_equal(vipa_fen_format(small, 0, 0), VIPA_E_RANGE);
    assert_int_equal(small[0], 'x');
    assert_int_equal(vipa_fen_format(NULL, 10, 0), VIPA_E_INVALID);
}

/* ---- a small deterministic generator for the property tests ----------------------- */

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void format_and_parse_round_trip(void **state)
{
    (void)state;
    uint64_t seed = 20161028;
    char buf[VIPA_FEN_FORMAT_SIZE];
    for (int i = 0; i < 100000; i++) {
        uint64_t bits = splitmix64(&seed);
        vipa_fen v = (vipa_fen)(bits >> (bits & 63)); /* every magnitude */
        if (bits & 64)
            v = -v;
        vipa_fen back = UNTOUCHED;
        assert_int_equal(vipa_fen_format(buf, sizeof buf, v), VIPA_OK);
        assert_int_equal(vipa_fen_parse(&back, buf, NULL), VIPA_OK);
        assert_int_equal(back, v);
    }
}

/* ---- the exact split ------------------------------------------------------------ */

static void split_and_check(vipa_fen total, const uint64_t *w, size_t n, const vipa_fen *expected)
{
    vipa_fen parts[16];
    assert_true(n <= 16);
    assert_int_equal(vipa_split(parts, total, w, n), VIPA_OK);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(parts[i], expected[i]);
}

static void split_worked_examples(void **state)
{
    (void)state;
    /* 三(二): 70 % of 100000.00 = 70000.00 over 3 households: 23333.34, 23333.33, 23333.33. */
    split_and_check(7000000, (const uint64_t[]){1, 1, 1}, 3,
                    (const vipa_fen[]){2333334, 2333333, 2333333});
    /* per_member with 4, 2, 3 members: 7000000 × 4/9 = 3111111 r 1/9, × 2/9 = 1555555 r 5/9,
     * × 3/9 = 2333333 r 3/9; one fen left, to the largest remainder (the 2-member house). */
    split_and_check(7000000, (const uint64_t[]){4, 2, 3}, 3,
                    (const vipa_fen[]){3111111, 1555556, 2333333});
    /* Equal remainders: ties go to the lower index. */
    split_and_check(2, (const uint64_t[]){1, 1, 1}, 3, (const vipa_fen[]){1, 1, 0});
    split_and_check(10, (const uint64_t[]){0, 1}, 2, (const vipa_fen[]){0, 10});
    /* A negative total is split by magnitude, then negated. */
    split_and_check(-2, (const uint64_t[]){1, 1, 1}, 3, (const vipa_fen[]){-1, -1, 0});
    /* Extremes: INT64_MAX = 2 × 4611686018427387903 + 1. */
    split_and_check(INT64_MAX, (const uint64_t[]){1, 1}, 2,
                    (const vipa_fen[]){4611686018427387904, 4611686018427387903});
    split_and_check(INT64_MIN, (const uint64_t[]){5}, 1, (const vipa_fen[]){INT64_MIN});
    /* Weights 2^63, 2^63, 1 (sum 2^64 + 1) over 100: 100 × 2^63 = 49 × (2^64 + 1) + (2^64 - 49),
     * 100 × 1 = 0 × (2^64 + 1) + 100; two fen left go to the two large remainders. */
    split_and_check(100, (const uint64_t[]){UINT64_C(1) << 63, UINT64_C(1) << 63, 1}, 3,
                    (const vipa_fen[]){50, 50, 0});
    split_and_check(0, (const uint64_t[]){3, 4}, 2, (const vipa_fen[]){0, 0});
}

static void split_refuses_undefined_splits(void **state)
{
    (void)state;
    vipa_fen parts[3] = {UNTOUCHED, UNTOUCHED, UNTOUCHED};
    const uint64_t zero[3] = {0, 0, 0};
    const uint64_t one[3] = {1, 1, 1};
    assert_int_equal(vipa_split(parts, 100, zero, 3), VIPA_E_INVALID);
    assert_int_equal(vipa_split(parts, 100, one, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_split(NULL, 100, one, 3), VIPA_E_INVALID);
    assert_int_equal(vipa_split(parts, 100, NULL, 3), VIPA_E_INVALID);
    for (int i = 0; i < 3; i++)
        assert_int_equal(parts[i], UNTOUCHED);
    /* So many parts that the scratch size overflows: refused as out of memory, not wrapped. */
    assert_int_equal(vipa_split(parts, 100, one, SIZE_MAX), VIPA_E_NOMEM);
}

/*
 * Hamilton's method on the 1790 US census, 120 seats: the example of COMAP,
 * "For All Practical Purposes". Populations and seats are the published table, not
 * values computed by this library; see the comment on each row for the source.
 */
#include "hamilton_1790.h"

static void split_reproduces_hamilton_1790(void **state)
{
    (void)state;
    uint64_t population[HAMILTON_STATES];
    vipa_fen seats[HAMILTON_STATES];
    uint64_t total_population = 0;
    for (size_t i = 0; i < HAMILTON_STATES; i++) {
        population[i] = hamilton_1790[i].population;
        total_population += population[i];
    }
    assert_int_equal(total_population, HAMILTON_TOTAL_POPULATION);
    assert_int_equal(vipa_split(seats, HAMILTON_SEATS, population, HAMILTON_STATES), VIPA_OK);
    for (size_t i = 0; i < HAMILTON_STATES; i++) {
        if (seats[i] != hamilton_1790[i].seats)
            fail_msg("%s: %lld seats, the published table has %d", hamilton_1790[i].state,
                     (long long)seats[i], hamilton_1790[i].seats);
    }
}

/* An independent reference: quotas by 128-bit division, then the leftover handed out by
 * repeated selection of the largest remaining remainder (lowest index on ties). */
static void reference_split(vipa_fen *out, vipa_fen total, const uint64_t *w, size_t n)
{
    u128 sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    u128 mag = total < 0 ? (u128)(0 - (uint64_t)total) : (u128)(uint64_t)total;
    u128 rem[16], share[16], given = 0;
    int chosen[16] = {0};
    for (size_t i = 0; i < n; i++) {
        share[i] = mag * w[i] / sum;
        rem[i] = mag * w[i] - share[i] * sum;
        given += share[i];
    }
    for (u128 left = mag - given; left > 0; left--) {
        size_t best = n;
        for (size_t i = 0; i < n; i++)
            if (!chosen[i] && (best == n || rem[i] > rem[best]))
                best = i;
        chosen[best] = 1;
        share[best]++;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = total < 0 ? (vipa_fen)(0 - (uint64_t)share[i]) : (vipa_fen)(uint64_t)share[i];
}

static uint64_t random_weight(uint64_t *seed)
{
    uint64_t r = splitmix64(seed);
    switch (r % 5) {
    case 0:
        return 0;
    case 1:
        return r % 10; /* small, many ties */
    case 2:
        return r >> 40;
    case 3:
        return (UINT64_C(1) << 63) - (r % 3); /* at the documented bound */
    default:
        return r;
    }
}

static vipa_fen random_total(uint64_t *seed)
{
    uint64_t r = splitmix64(seed);
    switch (r % 4) {
    case 0:
        return (vipa_fen)(r % 1000) - 500;
    case 1:
        return (r & 8) ? INT64_MAX : INT64_MIN;
    default:
        return (vipa_fen)(r >> (r % 64));
    }
}

static void split_property_conserves_and_matches_reference(void **state)
{
    (void)state;
    uint64_t seed = 98; /* 商政办发〔2016〕98号 */
    for (int round = 0; round < 100000; round++) {
        size_t n = 1 + splitmix64(&seed) % 16;
        uint64_t w[16];
        uint64_t nonzero = 0;
        for (size_t i = 0; i < n; i++)
            nonzero |= w[i] = random_weight(&seed);
        if (!nonzero)
            w[n - 1] = 1;
        vipa_fen total = random_total(&seed);

        vipa_fen parts[16], expected[16];
        assert_int_equal(vipa_split(parts, total, w, n), VIPA_OK);
        reference_split(expected, total, w, n);
        i128 sum = 0;
        for (size_t i = 0; i < n; i++) {
            sum += parts[i];
            if (parts[i] != expected[i])
                fail_msg("round %d part %zu: %lld, reference %lld", round, i,
                         (long long)parts[i], (long long)expected[i]);
            if (w[i] == 0)
                assert_int_equal(parts[i], 0);
        }
        assert_true(sum == total);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(add_sub_mul_are_exact_or_refuse),
        cmocka_unit_test(rates_round_half_away_from_zero),
        cmocka_unit_test(truncated_rate_rounds_toward_zero),
        cmocka_unit_test(area_prices_round_half_away_from_zero),
        cmocka_unit_test(parse_accepts_yuan_with_up_to_two_decimals),
        cmocka_unit_test(parse_refuses_with_a_reason_for_each_mistake),
        cmocka_unit_test(format_writes_two_decimals),
        cmocka_unit_test(format_and_parse_round_trip),
        cmocka_unit_test(split_worked_examples),
        cmocka_unit_test(split_refuses_undefined_splits),
        cmocka_unit_test(split_reproduces_hamilton_1790),
        cmocka_unit_test(split_property_conserves_and_matches_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
