/* Tests of vipa_uscc_check (include/vipa/registry.h): the check character of the unified
 * social credit code, GB 32100-2015. Expected values are worked by hand in the comments.
 *
 * Character values: 0-9 are 0-9, then A10 B11 C12 D13 E14 F15 G16 H17 J18 K19 L20 M21
 * N22 P23 Q24 R25 T26 U27 W28 X29 Y30 (no I, O, S, V, Z).
 * Weights of positions 1..17, 3^(i-1) mod 31: 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28.
 * Check value = 31 - (sum mod 31), with 31 written as 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa/error.h"
#include "vipa/registry.h"

/* Published codes, each with its weighted sum of the first 17 characters (zero terms left
 * out) and the check it gives. */
static const char *const genuine[] = {
    /* The standard's worked example: 9·1 + 1·3 + 3·9 + 5·27 + 1·26 + M21·20 + 1·8
     * + Y30·30 + 4·28 = 9+3+27+135+26+420+8+900+112 = 1640; 1640 = 52·31 + 28;
     * 31 - 28 = 3: "3". */
    "91350100M000100Y43",
    /* Huawei Technologies (zh.wikipedia): 9+3+36+108+78+20+261+50+26+72+80+60+28 = 831;
     * 831 = 26·31 + 25; 31 - 25 = 6: "6". */
    "914403001922038216",
    /* Tsinghua University: 1·1+2·3+1·9+4·20+6·10+2·30+4·28 = 1+6+9+80+60+60+112 = 328;
     * 328 = 10·31 + 18; 31 - 18 = 13: "D". */
    "12100000400000624D",
    /* BYD: 9+3+36+108+78+20+261+50+39+8+168+40+150+224 = 1194; 1194 = 38·31 + 16;
     * 31 - 16 = 15: "F". */
    "91440300192317458F",
    /* Beijing Baidu Netcom: 9+3+9+27+160+50+13+40+90+84 = 485; 485 = 15·31 + 20;
     * 31 - 20 = 11: "B". */
    "91110000802100433B",
    /* 中航重机: 9+3+45+54+40+29+100+52+24+96+10+120+168 = 750; 750 = 24·31 + 6;
     * 31 - 6 = 25: "R". */
    "91520000214434146R",
    /* The published-but-invalid 91410100779423456X below, with its true check: the sum is
     * 9+3+36+27+26+140+203+225+52+16+72+40+150+168 = 1167 = 37·31 + 20; 31 - 20 = 11: "B". */
    "91410100779423456B",
    /* Made-up bodies for the ends of the check range. All zeros: sum 0, 31 - 0 = 31,
     * written 0. A 1 at positions 1 and 16: sum 1 + 30 = 31 ≡ 0, again check 0. */
    "000000000000000000",
    "100000000000000100",
    /* A 1 at position 1 only: sum 1, check 30: "Y", the last character of the set. */
    "10000000000000000Y",
};

static void genuine_codes_pass(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof genuine / sizeof genuine[0]; i++) {
        const char *why = "not reset";
        if (vipa_uscc_check(genuine[i], &why) != VIPA_OK)
            fail_msg("%s: %s", genuine[i], why ? why : "(no reason)");
        assert_null(why);
        assert_int_equal(vipa_uscc_check(genuine[i], NULL), VIPA_OK);
    }
}

/*
 * One character changed, so the check no longer matches. Changing position i by d moves
 * the sum by w_i·d; 31 is prime and neither w_i (a power of 3) nor d (1..30) is a
 * multiple of it, so the sum's residue, and the check, always changes. Worked through:
 */
static const char *const corrupted[] = {
    /* Example, position 4: 5 → 6 adds 27: 1667 = 53·31 + 24, check 7, not 3. */
    "91360100M000100Y43",
    /* Example, the check itself: 3 → 4. */
    "91350100M000100Y44",
    /* Huawei, position 1: 9 → 8 takes 1: 830 = 26·31 + 24, check 7, not 6. */
    "814403001922038216",
    /* Tsinghua, position 9: 4 → 5 adds 20: 348 = 11·31 + 7, check 24 = Q, not D. */
    "12100000500000624D",
    /* BYD, position 17: 8 → 9 adds 28: 1222 = 39·31 + 13, check 18 = J, not F. */
    "91440300192317459F",
    /* Baidu, position 3: 1 → 7 adds 54: 539 = 17·31 + 12, check 19 = K, not B. */
    "91710000802100433B",
    /* 中航重机, position 12: 4 → 3 takes 13: 737 = 23·31 + 24, check 7, not R. */
    "91520000214334146R",
    /* Published with X, but the check of its body is B (1167, above). */
    "91410100779423456X",
    /* Two adjacent characters swapped (Huawei, positions 5-6: 0 3 → 3 0):
     * the sum changes by 3·19 - 3·26 = -21, so 810 = 26·31 + 4, check 27 = U, not 6. */
    "914430001922038216",
};

static void corrupted_codes_fail_the_check(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof corrupted / sizeof corrupted[0]; i++) {
        const char *why = NULL;
        if (vipa_uscc_check(corrupted[i], &why) != VIPA_E_RANGE)
            fail_msg("%s: expected VIPA_E_RANGE", corrupted[i]);
        assert_non_null(why);
        assert_non_null(strstr(why, "check character"));
        assert_int_equal(vipa_uscc_check(corrupted[i], NULL), VIPA_E_RANGE);
    }
}

static void wrong_lengths_fail_to_parse(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "",
        "91350100M000100Y4",   /* 17: the check character missing */
        "91350100M000100Y430", /* 19: one too many */
        "91350100M000100Y43 ", /* trailing space */
        "9",
        "91350100M000100Y4391350100M000100Y43", /* twice over */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = NULL;
        assert_int_equal(vipa_uscc_check(cases[i], &why), VIPA_E_PARSE);
        assert_non_null(why);
        assert_non_null(strstr(why, "18"));
        assert_int_equal(vipa_uscc_check(cases[i], NULL), VIPA_E_PARSE);
    }
}

static void characters_outside_the_set_fail_to_parse(void **state)
{
    (void)state;
    static const char *const cases[] = {
        "91350100M000100Y4Z", /* Z as the check character: Z is not in the set */
        "91350100I000100Y43", /* I, O, S, V are not in it either */
        "91350100O000100Y43",
        "91350100S000100Y43",
        "91350100V000100Y43",
        "91350100-000100Y43",
        " 1350100M000100Y43",
        "91350100M000100Y4\x7f",
        "9135010\xc3\xa9M000100Y4", /* é in UTF-8: 18 bytes, two of them not in the set */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = NULL;
        if (vipa_uscc_check(cases[i], &why) != VIPA_E_PARSE)
            fail_msg("case %zu: expected VIPA_E_PARSE", i);
        assert_non_null(why);
        assert_non_null(strstr(why, "I, O, S, V and Z"));
    }
}

static void lowercase_letters_are_refused(void **state)
{
    (void)state;
    /* Tsinghua's code with a lowercase check "d", and the example with "m" and "y". */
    static const char *const cases[] = {"12100000400000624d", "91350100m000100y43",
                                        "91350100M000100y43"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *why = NULL;
        assert_int_equal(vipa_uscc_check(cases[i], &why), VIPA_E_PARSE);
        assert_non_null(why);
        assert_non_null(strstr(why, "capital"));
    }
}

static void reasons_are_distinct_and_null_is_refused(void **state)
{
    (void)state;
    const char *length = NULL, *set = NULL, *lower = NULL, *check = NULL, *null = NULL;
    assert_int_equal(vipa_uscc_check("9135", &length), VIPA_E_PARSE);
    assert_int_equal(vipa_uscc_check("91350100M000100Y4Z", &set), VIPA_E_PARSE);
    assert_int_equal(vipa_uscc_check("91350100m000100Y43", &lower), VIPA_E_PARSE);
    assert_int_equal(vipa_uscc_check("91350100M000100Y44", &check), VIPA_E_RANGE);
    assert_int_equal(vipa_uscc_check(NULL, &null), VIPA_E_INVALID);
    const char *all[] = {length, set, lower, check, null};
    for (size_t i = 0; i < 5; i++) {
        assert_non_null(all[i]);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(all[i], all[j]);
    }
    assert_int_equal(vipa_uscc_check(NULL, NULL), VIPA_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(genuine_codes_pass),
        cmocka_unit_test(corrupted_codes_fail_the_check),
        cmocka_unit_test(wrong_lengths_fail_to_parse),
        cmocka_unit_test(characters_outside_the_set_fail_to_parse),
        cmocka_unit_test(lowercase_letters_are_refused),
        cmocka_unit_test(reasons_are_distinct_and_null_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
