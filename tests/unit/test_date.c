/* Tests of include/vipa/date.h. Expected values are worked by hand in the comments. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa/date.h"
#include "vipa/error.h"

static const vipa_date UNTOUCHED = 4242;

/* ---- vipa_date_make ----------------------------------------------------------- */

static void make_builds_yyyymmdd(void **state)
{
    (void)state;
    vipa_date d = UNTOUCHED;
    /* The agreement example of docs/scenario.md: signed 2016-11-15. */
    assert_int_equal(vipa_date_make(&d, 2016, 11, 15), VIPA_OK);
    assert_int_equal(d, 20161115);
    /* The plan's own date, 2016-10-28. */
    assert_int_equal(vipa_date_make(&d, 2016, 10, 28), VIPA_OK);
    assert_int_equal(d, 20161028);
    /* The ends of the range: 1900-01-01 and 9999-12-31. */
    assert_int_equal(vipa_date_make(&d, 1900, 1, 1), VIPA_OK);
    assert_int_equal(d, 19000101);
    assert_int_equal(vipa_date_make(&d, 9999, 12, 31), VIPA_OK);
    assert_int_equal(d, 99991231);
    /* 30-day months end on the 30th. */
    assert_int_equal(vipa_date_make(&d, 2017, 4, 30), VIPA_OK);
    assert_int_equal(d, 20170430);
    assert_int_equal(vipa_date_make(&d, 2017, 12, 31), VIPA_OK);
    assert_int_equal(d, 20171231);
}

static void make_follows_gregorian_leap_years(void **state)
{
    (void)state;
    vipa_date d = UNTOUCHED;
    /* 2000: divisible by 400, so leap despite being a century. */
    assert_int_equal(vipa_date_make(&d, 2000, 2, 29), VIPA_OK);
    assert_int_equal(d, 20000229);
    /* 2016: divisible by 4, not by 100: leap. */
    assert_int_equal(vipa_date_make(&d, 2016, 2, 29), VIPA_OK);
    assert_int_equal(d, 20160229);
    /* 2400: divisible by 400: leap. */
    assert_int_equal(vipa_date_make(&d, 2400, 2, 29), VIPA_OK);
    assert_int_equal(d, 24000229);

    d = UNTOUCHED;
    /* 1900 and 2100: divisible by 100 but not by 400: not leap. */
    assert_int_equal(vipa_date_make(&d, 1900, 2, 29), VIPA_E_RANGE);
    assert_int_equal(vipa_date_make(&d, 2100, 2, 29), VIPA_E_RANGE);
    /* 2017: not divisible by 4. */
    assert_int_equal(vipa_date_make(&d, 2017, 2, 29), VIPA_E_RANGE);
    /* No February has a 30th. */
    assert_int_equal(vipa_date_make(&d, 2016, 2, 30), VIPA_E_RANGE);
    assert_int_equal(d, UNTOUCHED);
    assert_int_equal(vipa_date_make(&d, 2017, 2, 28), VIPA_OK);
    assert_int_equal(d, 20170228);
}

static void make_refuses_days_that_do_not_exist(void **state)
{
    (void)state;
    static const int bad[][3] = {
        {2016, 13, 1},       /* month 13 */
        {2016, 0, 1},        /* month 0 */
        {2016, 1, 0},        /* day 0 */
        {2016, 1, 32},       /* January has 31 days */
        {2016, 4, 31},       /* April has 30 */
        {2016, 6, 31},       /* June has 30 */
        {2016, 9, 31},       /* September has 30 */
        {2016, 11, 31},      /* November has 30 */
        {1899, 12, 31},      /* the day before the range */
        {10000, 1, 1},       /* the day after it */
        {0, 1, 1},           /* year 0 */
        {-2016, 1, 1},       /* negative year */
        {2016, -1, 1},       /* negative month */
        {2016, 1, -1},       /* negative day */
        {INT_MAX, INT_MAX, INT_MAX}, /* must not overflow year*10000 */
        {INT_MIN, INT_MIN, INT_MIN},
        {2016, 1, INT_MAX},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vipa_date d = UNTOUCHED;
        assert_int_equal(vipa_date_make(&d, bad[i][0], bad[i][1], bad[i][2]), VIPA_E_RANGE);
        assert_int_equal(d, UNTOUCHED);
    }
    /* A NULL output is an invalid argument, whether or not the day exists. */
    assert_int_equal(vipa_date_make(NULL, 2016, 11, 15), VIPA_E_INVALID);
    assert_int_equal(vipa_date_make(NULL, 2016, 13, 1), VIPA_E_INVALID);
}

/* ---- vipa_date_is_valid -------------------------------------------------------- */

static void is_valid_accepts_real_days_only(void **state)
{
    (void)state;
    assert_true(vipa_date_is_valid(20161115));
    assert_true(vipa_date_is_valid(20160229)); /* 2016 leap */
    assert_true(vipa_date_is_valid(20000229)); /* 2000 leap (÷400) */
    assert_true(vipa_date_is_valid(19000101)); /* first day */
    assert_true(vipa_date_is_valid(99991231)); /* last day */
    assert_true(vipa_date_is_valid(20170131));

    assert_false(vipa_date_is_valid(0));         /* "no date" */
    assert_false(vipa_date_is_valid(20170229));  /* 2017 not leap */
    assert_false(vipa_date_is_valid(19000229));  /* 1900 not leap (÷100, not ÷400) */
    assert_false(vipa_date_is_valid(18991231));  /* before the range */
    assert_false(vipa_date_is_valid(100000101)); /* year 10000 */
    assert_false(vipa_date_is_valid(20161301));  /* month 13 */
    assert_false(vipa_date_is_valid(20160001));  /* month 0 */
    assert_false(vipa_date_is_valid(20160100));  /* day 0 */
    assert_false(vipa_date_is_valid(20160132));  /* day 32 */
    assert_false(vipa_date_is_valid(20160431));  /* April 31 */
    assert_false(vipa_date_is_valid(2016115));   /* seven digits: year 201 */
    assert_false(vipa_date_is_valid(-20161115)); /* negative: parts would be negative */
    assert_false(vipa_date_is_valid(INT32_MAX));
    assert_false(vipa_date_is_valid(INT32_MIN));
}

/*
 * Every candidate (year, month 0..13, day 0..32) over the whole range: the number of
 * valid days must be the calendar's own count, worked out independently:
 *   years 1900..9999 = 8100; multiples of 4 = (9996 - 1900) / 4 + 1 = 2025;
 *   of 100 = 1900..9900 = 81; of 400 = 2000..9600 = 20; leap years = 2025 - 81 + 20 = 1964;
 *   days = 8100 × 365 + 1964 = 2958464.
 * Every valid day also survives format then parse unchanged, and agrees with make.
 */
static void every_day_of_the_range_is_counted_and_round_trips(void **state)
{
    (void)state;
    long valid = 0;
    char buf[VIPA_DATE_FORMAT_SIZE];
    for (int year = 1900; year <= 9999; year++) {
        for (int month = 0; month <= 13; month++) {
            for (int day = 0; day <= 32; day++) {
                vipa_date d = year * 10000 + month * 100 + day;
                vipa_date made = UNTOUCHED, back = UNTOUCHED;
                int ok = vipa_date_is_valid(d);
                assert_int_equal(vipa_date_make(&made, year, month, day),
                                 ok ? VIPA_OK : VIPA_E_RANGE);
                if (!ok)
                    continue;
                valid++;
                assert_int_equal(made, d);
                assert_int_equal(vipa_date_format(buf, sizeof buf, d), VIPA_OK);
                assert_int_equal(vipa_date_parse(&back, buf), VIPA_OK);
                assert_int_equal(back, d);
            }
        }
    }
    assert_int_equal(valid, 2958464);
}

/* ---- vipa_date_parse ------------------------------------------------------------- */

static void parse_reads_iso_dates(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        vipa_date date;
    } cases[] = {
        {"2016-11-15", 20161115},
        {"2016-02-29", 20160229}, /* 2016 is leap */
        {"2000-02-29", 20000229}, /* 2000 is leap */
        {"1900-01-01", 19000101},
        {"9999-12-31", 99991231},
        {"2018-01-31", 20180131}, /* the evaluation date of docs/scenario.md's example */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_date d = UNTOUCHED;
        assert_int_equal(vipa_date_parse(&d, cases[i].text), VIPA_OK);
        assert_int_equal(d, cases[i].date);
    }
}

static void parse_refuses_other_forms_and_missing_days(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int code;
    } cases[] = {
        /* The form is wrong: VIPA_E_PARSE. */
        {"2016-1-01", VIPA_E_PARSE},   /* one-digit month */
        {"2016-01-1", VIPA_E_PARSE},   /* one-digit day */
        {"16-01-01", VIPA_E_PARSE},    /* two-digit year */
        {"2016/01/01", VIPA_E_PARSE},  /* slashes */
        {"2016.01.01", VIPA_E_PARSE},
        {"20160101", VIPA_E_PARSE},    /* basic ISO form, no dashes */
        {"2016-01-01 ", VIPA_E_PARSE}, /* trailing space */
        {"2016-01-01x", VIPA_E_PARSE}, /* trailing character */
        {"2016-01-011", VIPA_E_PARSE}, /* trailing digit */
        {"2016-01-01T00:00", VIPA_E_PARSE},
        {" 2016-01-01", VIPA_E_PARSE}, /* leading space */
        {"+016-01-01", VIPA_E_PARSE},
        {"-016-01-01", VIPA_E_PARSE},
        {"2016-0a-01", VIPA_E_PARSE},
        {"2016--1-01", VIPA_E_PARSE},
        {"2016-01-+1", VIPA_E_PARSE},
        {"", VIPA_E_PARSE},
        {"2016", VIPA_E_PARSE},        /* ends before each field ... */
        {"2016-", VIPA_E_PARSE},
        {"2016-0", VIPA_E_PARSE},
        {"2016-01", VIPA_E_PARSE},
        {"2016-01-", VIPA_E_PARSE},
        {"2016-01-0", VIPA_E_PARSE},   /* ... and inside it */
        {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x91\xef\xbc\x96-01-01", VIPA_E_PARSE}, /* fullwidth 2016 */
        /* The form is right but the day does not exist: VIPA_E_RANGE. */
        {"2017-02-29", VIPA_E_RANGE},  /* 2017 is not leap */
        {"1900-02-29", VIPA_E_RANGE},  /* 1900 is not leap */
        {"2016-13-01", VIPA_E_RANGE},  /* month 13 */
        {"2016-00-10", VIPA_E_RANGE},  /* month 0 */
        {"2016-01-00", VIPA_E_RANGE},  /* day 0 */
        {"2016-04-31", VIPA_E_RANGE},
        {"1899-12-31", VIPA_E_RANGE},  /* year 1899 */
        {"0000-01-01", VIPA_E_RANGE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_date d = UNTOUCHED;
        if (vipa_date_parse(&d, cases[i].text) != cases[i].code)
            fail_msg("\"%s\": expected %d", cases[i].text, cases[i].code);
        assert_int_equal(d, UNTOUCHED);
    }
    vipa_date d = UNTOUCHED;
    assert_int_equal(vipa_date_parse(&d, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_date_parse(NULL, "2016-11-15"), VIPA_E_INVALID);
    assert_int_equal(d, UNTOUCHED);
}

/* ---- vipa_date_format ------------------------------------------------------------ */

static void format_writes_yyyy_mm_dd(void **state)
{
    (void)state;
    char buf[VIPA_DATE_FORMAT_SIZE];
    assert_int_equal(vipa_date_format(buf, sizeof buf, 20161115), VIPA_OK);
    assert_string_equal(buf, "2016-11-15");
    /* Months and days below 10 keep their leading zero. */
    assert_int_equal(vipa_date_format(buf, sizeof buf, 20170105), VIPA_OK);
    assert_string_equal(buf, "2017-01-05");
    assert_int_equal(vipa_date_format(buf, sizeof buf, 19000101), VIPA_OK);
    assert_string_equal(buf, "1900-01-01");
    assert_int_equal(vipa_date_format(buf, sizeof buf, 99991231), VIPA_OK);
    assert_string_equal(buf, "9999-12-31");
    assert_int_equal(vipa_date_format(buf, sizeof buf, 20160229), VIPA_OK);
    assert_string_equal(buf, "2016-02-29");

    /* A larger buffer is fine; exactly 11 bytes (10 characters and the NUL) is enough. */
    char big[32];
    assert_int_equal(vipa_date_format(big, sizeof big, 20161028), VIPA_OK);
    assert_string_equal(big, "2016-10-28");
    assert_int_equal(VIPA_DATE_FORMAT_SIZE, 11);
}

static void format_refuses_small_buffers_and_invalid_dates(void **state)
{
    (void)state;
    char buf[VIPA_DATE_FORMAT_SIZE];
    /* 10 bytes cannot hold the 10 characters and the NUL: refused, and left as "". */
    memset(buf, 'x', sizeof buf);
    assert_int_equal(vipa_date_format(buf, VIPA_DATE_FORMAT_SIZE - 1, 20161115), VIPA_E_RANGE);
    assert_string_equal(buf, "");
    memset(buf, 'x', sizeof buf);
    assert_int_equal(vipa_date_format(buf, 1, 20161115), VIPA_E_RANGE);
    assert_string_equal(buf, "");
    /* Size 0: nothing may be written at all. */
    buf[0] = 'x';
    assert_int_equal(vipa_date_format(buf, 0, 20161115), VIPA_E_RANGE);
    assert_int_equal(buf[0], 'x');

    /* Not a date: 0, 2017-02-29, month 13, year 1899, negative. */
    static const vipa_date bad[] = {0, 20170229, 20161301, 18991231, -20161115, INT32_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(buf, 'x', sizeof buf);
        assert_int_equal(vipa_date_format(buf, sizeof buf, bad[i]), VIPA_E_RANGE);
        assert_string_equal(buf, "");
    }
    assert_int_equal(vipa_date_format(NULL, 11, 20161115), VIPA_E_INVALID);
    assert_int_equal(vipa_date_format(NULL, 0, 20161115), VIPA_E_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(make_builds_yyyymmdd),
        cmocka_unit_test(make_follows_gregorian_leap_years),
        cmocka_unit_test(make_refuses_days_that_do_not_exist),
        cmocka_unit_test(is_valid_accepts_real_days_only),
        cmocka_unit_test(every_day_of_the_range_is_counted_and_round_trips),
        cmocka_unit_test(parse_reads_iso_dates),
        cmocka_unit_test(parse_refuses_other_forms_and_missing_days),
        cmocka_unit_test(format_writes_yyyy_mm_dd),
        cmocka_unit_test(format_refuses_small_buffers_and_invalid_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
