/* Tests of include/vipa/error.h: every code has a distinct name and text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"

static const struct {
    int code;
    const char *name;
} known[] = {
    {VIPA_OK, "VIPA_OK"},
    {VIPA_E_INVALID, "VIPA_E_INVALID"},
    {VIPA_E_NOMEM, "VIPA_E_NOMEM"},
    {VIPA_E_OVERFLOW, "VIPA_E_OVERFLOW"},
    {VIPA_E_NOT_FOUND, "VIPA_E_NOT_FOUND"},
    {VIPA_E_EXISTS, "VIPA_E_EXISTS"},
    {VIPA_E_RANGE, "VIPA_E_RANGE"},
    {VIPA_E_PARSE, "VIPA_E_PARSE"},
    {VIPA_E_VERSION, "VIPA_E_VERSION"},
    {VIPA_E_STATE, "VIPA_E_STATE"},
    {VIPA_E_IO, "VIPA_E_IO"},
    {VIPA_E_LIMIT, "VIPA_E_LIMIT"},
};
enum { KNOWN = sizeof known / sizeof known[0] };

static void codes_keep_their_published_values(void **state)
{
    (void)state;
    /* The values are ABI: bindings and stored reports rely on them. */
    assert_int_equal(VIPA_OK, 0);
    assert_int_equal(VIPA_E_INVALID, -1);
    assert_int_equal(VIPA_E_NOMEM, -2);
    assert_int_equal(VIPA_E_OVERFLOW, -3);
    assert_int_equal(VIPA_E_NOT_FOUND, -4);
    assert_int_equal(VIPA_E_EXISTS, -5);
    assert_int_equal(VIPA_E_RANGE, -6);
    assert_int_equal(VIPA_E_PARSE, -7);
    assert_int_equal(VIPA_E_VERSION, -8);
    assert_int_equal(VIPA_E_STATE, -9);
    assert_int_equal(VIPA_E_IO, -10);
    assert_int_equal(VIPA_E_LIMIT, -11);
}

static void every_code_has_its_name_and_a_distinct_text(void **state)
{
    (void)state;
    for (int i = 0; i < KNOWN; i++) {
        assert_string_equal(vipa_error_name(known[i].code), known[i].name);
        const char *text = vipa_strerror(known[i].code);
        assert_non_null(text);
        assert_string_not_equal(text, "unknown error");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(text, vipa_strerror(known[j].code));
    }
}

static void names_map_back_to_codes(void **state)
{
    (void)state;
    for (int i = 0; i < KNOWN; i++) {
        int code = 12345;
        assert_int_equal(vipa_error_from_name(&code, known[i].name), VIPA_OK);
        assert_int_equal(code, known[i].code);
    }
}

static void unknown_codes_and_names_are_reported_not_crashed(void **state)
{
    (void)state;
    assert_string_equal(vipa_strerror(1), "unknown error");
    assert_string_equal(vipa_strerror(-999), "unknown error");
    assert_string_equal(vipa_strerror(INT32_MIN), "unknown error");
    assert_string_equal(vipa_error_name(-999), "VIPA_E_UNKNOWN");

    int code = 7;
    assert_int_equal(vipa_error_from_name(&code, "VIPA_E_NOPE"), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_error_from_name(&code, ""), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_error_from_name(&code, "vipa_e_parse"), VIPA_E_NOT_FOUND);
    assert_int_equal(code, 7);
    assert_int_equal(vipa_error_from_name(NULL, "VIPA_OK"), VIPA_E_INVALID);
    assert_int_equal(vipa_error_from_name(&code, NULL), VIPA_E_INVALID);
    assert_int_equal(code, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_keep_their_published_values),
        cmocka_unit_test(every_code_has_its_name_and_a_distinct_text),
        cmocka_unit_test(names_map_back_to_codes),
        cmocka_unit_test(unknown_codes_and_names_are_reported_not_crashed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
