/* Tests of include/vipa/common.h: version macros and functions, base types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"

static void version_macros_agree_with_library(void **state)
{
    (void)state;
    assert_int_equal(vipa_version_number(), VIPA_VERSION_NUMBER);
    assert_string_equal(vipa_version_string(), VIPA_VERSION_STRING);
    /* The meson project version is the single source; the header must follow it. */
    assert_string_equal(VIPA_VERSION_STRING, VIPA_MESON_VERSION);
    /* 0.5.1 (issue #16: the records laid out anew, no API change): 0 × 1000000 + 5 × 1000
     * + 1 = 5001. */
    assert_string_equal(VIPA_VERSION_STRING, "0.5.1");
    assert_int_equal(VIPA_VERSION_NUMBER, 5001L);
}

static void version_check_compares_as_numbers(void **state)
{
    (void)state;
    /* The headers are 0.5.1 (5001): at least 0.4.x, 0.5.0 and 0.5.1, not 0.5.2, 0.6.0 or 1.0.0. */
    assert_true(VIPA_VERSION_CHECK(0, 0, 0));
    assert_true(VIPA_VERSION_CHECK(0, 1, 0));
    assert_true(VIPA_VERSION_CHECK(0, 1, 1));
    assert_true(VIPA_VERSION_CHECK(0, 1, 999));
    assert_true(VIPA_VERSION_CHECK(0, 2, 0));
    assert_true(VIPA_VERSION_CHECK(0, 2, 999));
    assert_true(VIPA_VERSION_CHECK(0, 3, 0));
    assert_true(VIPA_VERSION_CHECK(0, 3, 1));
    assert_true(VIPA_VERSION_CHECK(0, 3, 999));
    assert_true(VIPA_VERSION_CHECK(0, 4, 0));
    assert_true(VIPA_VERSION_CHECK(0, 4, 1));
    assert_true(VIPA_VERSION_CHECK(0, 4, 999));
    assert_true(VIPA_VERSION_CHECK(0, 5, 0));
    assert_true(VIPA_VERSION_CHECK(0, 5, 1));
    assert_false(VIPA_VERSION_CHECK(0, 5, 2));
    assert_false(VIPA_VERSION_CHECK(0, 6, 0));
    assert_false(VIPA_VERSION_CHECK(1, 0, 0));
    assert_int_equal(VIPA_VERSION_ENCODE(1, 2, 3), 1002003L);
}

static void base_types_have_their_widths(void **state)
{
    (void)state;
    assert_int_equal(sizeof(vipa_fen), 8);
    assert_int_equal(sizeof(vipa_bp), 4);
    assert_int_equal(sizeof(vipa_id), 8);
    assert_true((vipa_fen)-1 < 0);
    assert_true((vipa_id)-1 > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(version_macros_agree_with_library),
        cmocka_unit_test(version_check_compares_as_numbers),
        cmocka_unit_test(base_types_have_their_widths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
