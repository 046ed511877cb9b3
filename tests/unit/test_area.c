/* Tests of include/vipa/area.h. Expected values are worked by hand in the comments.
 *
 * Real codes of Shangluo (统计用区划代码), split as CCCCCC TTT VVV:
 *   611002 000 000  商州区 (Shangzhou district), a county
 *   611002 001 000  城关街道, a town of 商州区
 *   611002 001 204  杏树园村, a village of 城关街道
 *   611002 107 206  东川村, a village of town 611002107000
 *   611021 000 000  洛南县 (Luonan county)
 *   611026 101 210  朱家湾村 of 营盘镇, 柞水县 (Zhashui county)
 * Other village codes below are made up for their shape only; the functions look at
 * nothing but the digits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa/area.h"
#include "vipa/error.h"

static const vipa_area_code UNTOUCHED = 424242;

#define SHANGZHOU UINT64_C(611002000000)
#define CHENGGUAN UINT64_C(611002001000)
#define XINGSHUYUAN UINT64_C(611002001204)
#define DONGCHUAN_TOWN UINT64_C(611002107000)
#define DONGCHUAN UINT64_C(611002107206)
#define LUONAN UINT64_C(611021000000)
#define ZHUJIAWAN UINT64_C(611026101210)

/* ---- levels ------------------------------------------------------------------- */

static void level_follows_the_shape_of_the_code(void **state)
{
    (void)state;
    /* Last six digits 0: a county. */
    assert_int_equal(vipa_area_code_level(SHANGZHOU), VIPA_AREA_COUNTY);
    assert_int_equal(vipa_area_code_level(LUONAN), VIPA_AREA_COUNTY);
    /* Last three 0, town digits 001 / 107: a town. */
    assert_int_equal(vipa_area_code_level(CHENGGUAN), VIPA_AREA_TOWN);
    assert_int_equal(vipa_area_code_level(DONGCHUAN_TOWN), VIPA_AREA_TOWN);
    /* Village digits 204 / 206 / 210 under a non-zero town: a village. */
    assert_int_equal(vipa_area_code_level(XINGSHUYUAN), VIPA_AREA_VILLAGE);
    assert_int_equal(vipa_area_code_level(DONGCHUAN), VIPA_AREA_VILLAGE);
    assert_int_equal(vipa_area_code_level(ZHUJIAWAN), VIPA_AREA_VILLAGE);
    /* The extremes of the 12-digit range with county digits set. */
    assert_int_equal(vipa_area_code_level(UINT64_C(100001000000)), VIPA_AREA_COUNTY);
    assert_int_equal(vipa_area_code_level(UINT64_C(999999999999)), VIPA_AREA_VILLAGE);
    assert_int_equal(vipa_area_code_level(UINT64_C(999999999000)), VIPA_AREA_TOWN);
    /* Town 001 village 001: the smallest non-zero parts. */
    assert_int_equal(vipa_area_code_level(UINT64_C(611002001001)), VIPA_AREA_VILLAGE);
}

static void level_is_none_for_codes_of_no_level(void **state)
{
    (void)state;
    static const vipa_area_code bad[] = {
        0,                             /* "none" */
        UINT64_C(611000000000),        /* 商洛市 (the city): county digits 00 */
        UINT64_C(610000000000),        /* 陕西省 (the province): county digits 00 */
        UINT64_C(611000001204),        /* county digits 00 under a town and village */
        UINT64_C(61100200100),         /* 11 digits */
        UINT64_C(99999999999),         /* largest 11-digit number */
        UINT64_C(100000000000),        /* 12 digits but county digits 00 */
        UINT64_C(6110020012040),       /* 13 digits */
        UINT64_C(1000000000000),       /* smallest 13-digit number */
        UINT64_C(611002000201),        /* village digits 201 but town digits 000 */
        UINT64_MAX,
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(vipa_area_code_level(bad[i]), VIPA_AREA_NONE);
}

static void level_names(void **state)
{
    (void)state;
    assert_string_equal(vipa_area_level_name(VIPA_AREA_NONE), "none");
    assert_string_equal(vipa_area_level_name(VIPA_AREA_COUNTY), "county");
    assert_string_equal(vipa_area_level_name(VIPA_AREA_TOWN), "town");
    assert_string_equal(vipa_area_level_name(VIPA_AREA_VILLAGE), "village");
    assert_string_equal(vipa_area_level_name((vipa_area_level)4), "unknown");
    assert_string_equal(vipa_area_level_name((vipa_area_level)-1), "unknown");

    assert_string_equal(vipa_signer_level_name(VIPA_SIGNER_UNRECORDED), "unrecorded");
    assert_string_equal(vipa_signer_level_name(VIPA_SIGNER_VILLAGE), "village");
    assert_string_equal(vipa_signer_level_name(VIPA_SIGNER_TOWN), "town");
    assert_string_equal(vipa_signer_level_name(VIPA_SIGNER_COUNTY), "county");
    assert_string_equal(vipa_signer_level_name(VIPA_SIGNER_NOT_PROVIDED), "not_provided");
    assert_string_equal(vipa_signer_level_name((vipa_signer_level)5), "unknown");
    assert_string_equal(vipa_signer_level_name((vipa_signer_level)-1), "unknown");
}

/* ---- text ------------------------------------------------------------------------ */

static void parse_reads_twelve_digits(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        vipa_area_code code;
    } cases[] = {
        {"611002000000", SHANGZHOU},
        {"611002001000", CHENGGUAN},
        {"611002001204", XINGSHUYUAN},
        {"611002107206", DONGCHUAN},
        {"611021000000", LUONAN},
        {"611026101210", ZHUJIAWAN},
        {"999999999999", UINT64_C(999999999999)},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_area_code c = UNTOUCHED;
        assert_int_equal(vipa_area_code_parse(&c, cases[i].text), VIPA_OK);
        assert_true(c == cases[i].code);
    }
}

static void parse_refuses_other_text(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int code;
    } cases[] = {
        /* Not twelve ASCII digits: VIPA_E_PARSE. */
        {"61100200100", VIPA_E_PARSE},    /* 11 digits */
        {"6110020012040", VIPA_E_PARSE},  /* 13 digits */
        {"61100200120a", VIPA_E_PARSE},   /* a letter in 12th place */
        {" 611002001204", VIPA_E_PARSE},  /* leading space */
        {"611002001204 ", VIPA_E_PARSE},  /* trailing space */
        {"+61100200120", VIPA_E_PARSE},
        {"-61100200120", VIPA_E_PARSE},
        {"611002-001-204", VIPA_E_PARSE},
        {"", VIPA_E_PARSE},
        {"\xef\xbc\x96" "11002001204", VIPA_E_PARSE}, /* fullwidth 6 */
        /* Twelve digits, but no area of any level: VIPA_E_RANGE. */
        {"611000000000", VIPA_E_RANGE},   /* the city */
        {"610000000000", VIPA_E_RANGE},   /* the province */
        {"611002000201", VIPA_E_RANGE},   /* village digits without town digits */
        {"000000000000", VIPA_E_RANGE},
        {"061100200120", VIPA_E_RANGE},   /* leading zero: an 11-digit value */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_area_code c = UNTOUCHED;
        if (vipa_area_code_parse(&c, cases[i].text) != cases[i].code)
            fail_msg("\"%s\": expected %d", cases[i].text, cases[i].code);
        assert_true(c == UNTOUCHED);
    }
    vipa_area_code c = UNTOUCHED;
    assert_int_equal(vipa_area_code_parse(&c, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_area_code_parse(NULL, "611002001204"), VIPA_E_INVALID);
    assert_true(c == UNTOUCHED);
}

static void format_writes_twelve_digits(void **state)
{
    (void)state;
    char buf[VIPA_AREA_CODE_SIZE];
    assert_int_equal(VIPA_AREA_CODE_SIZE, 13);
    assert_int_equal(vipa_area_code_format(buf, sizeof buf, SHANGZHOU), VIPA_OK);
    assert_string_equal(buf, "611002000000");
    assert_int_equal(vipa_area_code_format(buf, sizeof buf, CHENGGUAN), VIPA_OK);
    assert_string_equal(buf, "611002001000");
    assert_int_equal(vipa_area_code_format(buf, sizeof buf, XINGSHUYUAN), VIPA_OK);
    assert_string_equal(buf, "611002001204");
    assert_int_equal(vipa_area_code_format(buf, sizeof buf, ZHUJIAWAN), VIPA_OK);
    assert_string_equal(buf, "611026101210");
    assert_int_equal(vipa_area_code_format(buf, sizeof buf, UINT64_C(100001000000)), VIPA_OK);
    assert_string_equal(buf, "100001000000");

    /* 12 bytes cannot hold 12 digits and the NUL: refused, left as "". */
    memset(buf, 'x', sizeof buf);
    assert_int_equal(vipa_area_code_format(buf, VIPA_AREA_CODE_SIZE - 1, XINGSHUYUAN),
                     VIPA_E_RANGE);
    assert_string_equal(buf, "");
    buf[0] = 'x';
    assert_int_equal(vipa_area_code_format(buf, 0, XINGSHUYUAN), VIPA_E_RANGE);
    assert_int_equal(buf[0], 'x');
    /* Codes of no level are not written. */
    static const vipa_area_code bad[] = {0, UINT64_C(611000000000), UINT64_C(61100200100),
                                         UINT64_C(611002000201), UINT64_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(buf, 'x', sizeof buf);
        assert_int_equal(vipa_area_code_format(buf, sizeof buf, bad[i]), VIPA_E_RANGE);
        assert_string_equal(buf, "");
    }
    assert_int_equal(vipa_area_code_format(NULL, 13, XINGSHUYUAN), VIPA_E_INVALID);
}

/* ---- parents ------------------------------------------------------------------- */

static void parent_zeroes_the_lower_digits(void **state)
{
    (void)state;
    vipa_area_code p = UNTOUCHED;
    /* 东川村 611002 107 206: its town keeps 611002107 and zeroes 206; its county keeps
     * 611002 and zeroes 107206; its own level is itself. */
    assert_int_equal(vipa_area_code_parent(&p, DONGCHUAN, VIPA_AREA_TOWN), VIPA_OK);
    assert_true(p == DONGCHUAN_TOWN);
    assert_int_equal(vipa_area_code_parent(&p, DONGCHUAN, VIPA_AREA_COUNTY), VIPA_OK);
    assert_true(p == SHANGZHOU);
    assert_int_equal(vipa_area_code_parent(&p, DONGCHUAN, VIPA_AREA_VILLAGE), VIPA_OK);
    assert_true(p == DONGCHUAN);
    /* 杏树园村 → 城关街道 → 商州区. */
    assert_int_equal(vipa_area_code_parent(&p, XINGSHUYUAN, VIPA_AREA_TOWN), VIPA_OK);
    assert_true(p == CHENGGUAN);
    assert_int_equal(vipa_area_code_parent(&p, CHENGGUAN, VIPA_AREA_COUNTY), VIPA_OK);
    assert_true(p == SHANGZHOU);
    assert_int_equal(vipa_area_code_parent(&p, CHENGGUAN, VIPA_AREA_TOWN), VIPA_OK);
    assert_true(p == CHENGGUAN);
    /* 朱家湾村 611026 101 210: 营盘镇 611026101000, 柞水县 611026000000. */
    assert_int_equal(vipa_area_code_parent(&p, ZHUJIAWAN, VIPA_AREA_TOWN), VIPA_OK);
    assert_true(p == UINT64_C(611026101000));
    assert_int_equal(vipa_area_code_parent(&p, ZHUJIAWAN, VIPA_AREA_COUNTY), VIPA_OK);
    assert_true(p == UINT64_C(611026000000));
    assert_int_equal(vipa_area_code_parent(&p, LUONAN, VIPA_AREA_COUNTY), VIPA_OK);
    assert_true(p == LUONAN);
}

static void parent_refuses_lower_levels_and_invalid_codes(void **state)
{
    (void)state;
    vipa_area_code p = UNTOUCHED;
    /* A lower level than the code's own, or no level at all: VIPA_E_RANGE. */
    assert_int_equal(vipa_area_code_parent(&p, CHENGGUAN, VIPA_AREA_VILLAGE), VIPA_E_RANGE);
    assert_int_equal(vipa_area_code_parent(&p, SHANGZHOU, VIPA_AREA_TOWN), VIPA_E_RANGE);
    assert_int_equal(vipa_area_code_parent(&p, SHANGZHOU, VIPA_AREA_VILLAGE), VIPA_E_RANGE);
    assert_int_equal(vipa_area_code_parent(&p, DONGCHUAN, VIPA_AREA_NONE), VIPA_E_RANGE);
    assert_int_equal(vipa_area_code_parent(&p, DONGCHUAN, (vipa_area_level)4), VIPA_E_RANGE);
    assert_int_equal(vipa_area_code_parent(&p, DONGCHUAN, (vipa_area_level)-1), VIPA_E_RANGE);
    /* A code of no level, or no output: VIPA_E_INVALID. */
    assert_int_equal(vipa_area_code_parent(&p, 0, VIPA_AREA_COUNTY), VIPA_E_INVALID);
    assert_int_equal(vipa_area_code_parent(&p, UINT64_C(611000000000), VIPA_AREA_COUNTY),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_area_code_parent(&p, UINT64_C(611002000201), VIPA_AREA_COUNTY),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_area_code_parent(&p, UINT64_C(61100200100), VIPA_AREA_COUNTY),
                     VIPA_E_INVALID);
    assert_true(p == UNTOUCHED);
    assert_int_equal(vipa_area_code_parent(NULL, DONGCHUAN, VIPA_AREA_TOWN), VIPA_E_INVALID);
}

/* ---- the signer rule of 四(二) ----------------------------------------------------- */

/* Runs the rule and checks both outputs. */
static void expect_signer(vipa_area_code core, const vipa_area_code *villages, size_t n,
                          vipa_signer_level level, vipa_area_code area)
{
    vipa_signer_level got_level = (vipa_signer_level)99;
    vipa_area_code got_area = UNTOUCHED;
    assert_int_equal(vipa_signer_compute(&got_level, &got_area, core, villages, n), VIPA_OK);
    assert_int_equal(got_level, level);
    assert_true(got_area == area);
}

static void signer_one_village_is_the_village_committee(void **state)
{
    (void)state;
    /* 四(二): 经营主体与贫困户在同一个村的，由村委会签订. Core and every household in
     * 杏树园村, repeated: the span is one village. */
    const vipa_area_code same[] = {XINGSHUYUAN, XINGSHUYUAN, XINGSHUYUAN};
    expect_signer(XINGSHUYUAN, same, 3, VIPA_SIGNER_VILLAGE, XINGSHUYUAN);
    expect_signer(XINGSHUYUAN, same, 1, VIPA_SIGNER_VILLAGE, XINGSHUYUAN);
    /* No households: the span is the core village alone (area.h), so its committee. */
    expect_signer(DONGCHUAN, NULL, 0, VIPA_SIGNER_VILLAGE, DONGCHUAN);
    expect_signer(DONGCHUAN, same, 0, VIPA_SIGNER_VILLAGE, DONGCHUAN);
}

static void signer_villages_of_one_town_is_the_town(void **state)
{
    (void)state;
    /* 四(二): 涉及多村不跨镇的，由镇政府签订. 611002107201 is another village of town
     * 611002107000 (same first nine digits as 东川村 611002107206). */
    const vipa_area_code b = UINT64_C(611002107201);
    const vipa_area_code mixed[] = {DONGCHUAN, b, b, DONGCHUAN};
    expect_signer(DONGCHUAN, mixed, 4, VIPA_SIGNER_TOWN, DONGCHUAN_TOWN);
    /* The core village counts even when no household lives there: core 东川村, every
     * household in village b of the same town: two villages, one town. */
    const vipa_area_code only_b[] = {b, b, b};
    expect_signer(DONGCHUAN, only_b, 3, VIPA_SIGNER_TOWN, DONGCHUAN_TOWN);
    expect_signer(DONGCHUAN, only_b, 1, VIPA_SIGNER_TOWN, DONGCHUAN_TOWN);
    /* 朱家湾村 611026101210 with 611026101001 of the same town 营盘镇 611026101000. */
    const vipa_area_code yingpan[] = {UINT64_C(611026101001)};
    expect_signer(ZHUJIAWAN, yingpan, 1, VIPA_SIGNER_TOWN, UINT64_C(611026101000));
}

static void signer_towns_of_one_county_is_the_county(void **state)
{
    (void)state;
    /* 四(二): 涉及多镇不跨县区的，由县区政府签订. Core 杏树园村 (town 001), households in
     * 东川村 (town 107) and 杏树园村: two towns of 商州区 611002, whose code ends 000000. */
    const vipa_area_code two_towns[] = {XINGSHUYUAN, DONGCHUAN, XINGSHUYUAN};
    expect_signer(XINGSHUYUAN, two_towns, 3, VIPA_SIGNER_COUNTY, SHANGZHOU);
    /* The widest pair decides, wherever it stands in the list: town, then county. */
    const vipa_area_code widening[] = {UINT64_C(611002001205), DONGCHUAN};
    expect_signer(XINGSHUYUAN, widening, 2, VIPA_SIGNER_COUNTY, SHANGZHOU);
    const vipa_area_code narrowing[] = {DONGCHUAN, UINT64_C(611002001205), XINGSHUYUAN};
    expect_signer(XINGSHUYUAN, narrowing, 3, VIPA_SIGNER_COUNTY, SHANGZHOU);
}

static void signer_across_counties_is_not_provided(void **state)
{
    (void)state;
    /* 四(二) names no signer for a span beyond one county: NOT_PROVIDED, area 0, never a
     * guess. 611021100201 is a village of 洛南县 611021; the core is in 商州区 611002. */
    const vipa_area_code luonan[] = {UINT64_C(611021100201)};
    expect_signer(XINGSHUYUAN, luonan, 1, VIPA_SIGNER_NOT_PROVIDED, 0);
    /* 商州区 and 柞水县 (朱家湾村), with a same-village household listed first. */
    const vipa_area_code zhashui[] = {XINGSHUYUAN, ZHUJIAWAN, DONGCHUAN};
    expect_signer(XINGSHUYUAN, zhashui, 3, VIPA_SIGNER_NOT_PROVIDED, 0);
    /* The cross-county village first, the same village after: still not provided. */
    const vipa_area_code first[] = {ZHUJIAWAN, XINGSHUYUAN};
    expect_signer(XINGSHUYUAN, first, 2, VIPA_SIGNER_NOT_PROVIDED, 0);
    /* Equal town and village digits in different counties are different villages:
     * 611002107206 and 611021107206 share "107206" but not the county 611002/611021. */
    const vipa_area_code twin[] = {UINT64_C(611021107206)};
    expect_signer(DONGCHUAN, twin, 1, VIPA_SIGNER_NOT_PROVIDED, 0);
}

static void signer_refuses_codes_that_are_not_villages(void **state)
{
    (void)state;
    vipa_signer_level level = (vipa_signer_level)99;
    vipa_area_code area = UNTOUCHED;
    /* A town code passed as a household's village (城关街道 611002001000). */
    const vipa_area_code town[] = {XINGSHUYUAN, CHENGGUAN};
    assert_int_equal(vipa_signer_compute(&level, &area, XINGSHUYUAN, town, 2), VIPA_E_INVALID);
    /* A county, a code of no level, 0. */
    const vipa_area_code county[] = {SHANGZHOU};
    assert_int_equal(vipa_signer_compute(&level, &area, XINGSHUYUAN, county, 1), VIPA_E_INVALID);
    const vipa_area_code no_level[] = {UINT64_C(611002000201)};
    assert_int_equal(vipa_signer_compute(&level, &area, XINGSHUYUAN, no_level, 1),
                     VIPA_E_INVALID);
    const vipa_area_code zero[] = {XINGSHUYUAN, 0};
    assert_int_equal(vipa_signer_compute(&level, &area, XINGSHUYUAN, zero, 2), VIPA_E_INVALID);
    /* The core itself a town, a county or none, even with no households. */
    assert_int_equal(vipa_signer_compute(&level, &area, CHENGGUAN, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_signer_compute(&level, &area, SHANGZHOU, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_signer_compute(&level, &area, 0, NULL, 0), VIPA_E_INVALID);
    /* A bad village after a cross-county one is still refused: all codes are checked
     * before any answer is given. */
    const vipa_area_code late[] = {ZHUJIAWAN, CHENGGUAN};
    assert_int_equal(vipa_signer_compute(&level, &area, XINGSHUYUAN, late, 2), VIPA_E_INVALID);
    assert_int_equal(level, 99);
    assert_true(area == UNTOUCHED);
}

static void signer_refuses_null_arguments(void **state)
{
    (void)state;
    vipa_signer_level level = (vipa_signer_level)99;
    vipa_area_code area = UNTOUCHED;
    const vipa_area_code one[] = {XINGSHUYUAN};
    assert_int_equal(vipa_signer_compute(NULL, &area, XINGSHUYUAN, one, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_signer_compute(&level, NULL, XINGSHUYUAN, one, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_signer_compute(&level, &area, XINGSHUYUAN, NULL, 1), VIPA_E_INVALID);
    assert_int_equal(level, 99);
    assert_true(area == UNTOUCHED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(level_follows_the_shape_of_the_code),
        cmocka_unit_test(level_is_none_for_codes_of_no_level),
        cmocka_unit_test(level_names),
        cmocka_unit_test(parse_reads_twelve_digits),
        cmocka_unit_test(parse_refuses_other_text),
        cmocka_unit_test(format_writes_twelve_digits),
        cmocka_unit_test(parent_zeroes_the_lower_digits),
        cmocka_unit_test(parent_refuses_lower_levels_and_invalid_codes),
        cmocka_unit_test(signer_one_village_is_the_village_committee),
        cmocka_unit_test(signer_villages_of_one_town_is_the_town),
        cmocka_unit_test(signer_towns_of_one_county_is_the_county),
        cmocka_unit_test(signer_across_counties_is_not_provided),
        cmocka_unit_test(signer_refuses_codes_that_are_not_villages),
        cmocka_unit_test(signer_refuses_null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
