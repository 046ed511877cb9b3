/* The date module: calendar dates as YYYYMMDD integers and their text (see
 * include/vipa/date.h), and the years a date may have, checked and read from text
 * (date_internal.h). */
#include <stdio.h>
#include "date_internal.h"
#include "vipa/date.h"
#include "vipa/error.h"

enum { ISO_LENGTH = 10 };

/* Proleptic Gregorian: 1900 is not a leap year, 2000 is. */
static int is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && is_leap(year))
        return 29;
    return days[month - 1];
}

/* Checked before any table lookup, so month and day may be anything an int holds. */
static int day_exists(int year, int month, int day)
{
    if (!vipa__year_is_valid(year) || month < 1 || month > 12)
        return 0;
    return day >= 1 && day <= days_in_month(year, month);
}

int vipa_date_make(vipa_date *out, int year, int month, int day)
{
    if (!out)
        return VIPA_E_INVALID;
    if (!day_exists(year, month, day))
        return VIPA_E_RANGE;
    *out = (vipa_date)(year * 10000 + month * 100 + day);
    return VIPA_OK;
}

int vipa_date_is_valid(vipa_date date)
{
    /* A negative or zero integer would otherwise split into negative parts. */
    if (date <= 0)
        return 0;
    return day_exists(date / 10000, date / 100 % 100, date % 100);
}

/* The value of text[from..from+count) when all are ASCII digits, else -1. */
static int read_digits(const char *text, int from, int count)
{
    int value = 0;
    for (int i = from; i < from + count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

int vipa__year_of_text(const char *text)
{
    /* A NUL is no digit, so a short text stops at its end before text[4] is read. */
    int year = read_digits(text, 0, 4);
    return year >= 0 && text[4] == '\0' && vipa__year_is_valid(year) ? year : 0;
}

int vipa_date_parse(vipa_date *out, const char *text)
{
    if (!out || !text)
        return VIPA_E_INVALID;
    /* Fields are read left to right and a NUL is no digit, so a short text stops at its
     * end before the next field is read; only then is text[10] known to exist. */
    int year = read_digits(text, 0, 4);
    if (year < 0 || text[4] != '-')
        return VIPA_E_PARSE;
    int month = read_digits(text, 5, 2);
    if (month < 0 || text[7] != '-')
        return VIPA_E_PARSE;
    int day = read_digits(text, 8, 2);
    if (day < 0 || text[ISO_LENGTH] != '\0')
        return VIPA_E_PARSE;
    return vipa_date_make(out, year, month, day);
}

/* Writes value as exactly count digits, most significant first. */
static void write_digits(char *to, int value, int count)
{
    for (int i = count - 1; i >= 0; i--) {
        to[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

int vipa_date_format(char *buf, size_t size, vipa_date date)
{
    if (!buf)
        return VIPA_E_INVALID;
    if (!vipa_date_is_valid(date) || size < VIPA_DATE_FORMAT_SIZE) {
        if (size > 0)
            buf[0] = '\0';
        return VIPA_E_RANGE;
    }
    write_digits(buf, date / 10000, 4);
    buf[4] = '-';
    write_digits(buf + 5, date / 100 % 100, 2);
    buf[7] = '-';
    write_digits(buf + 8, date % 100, 2);
    buf[ISO_LENGTH] = '\0';
    return VIPA_OK;
}

vipa__day_text vipa__day(vipa_date date)
{
    vipa__day_text t = {""};
    if (vipa_date_format(t.s, sizeof t.s, date) != VIPA_OK)
        snprintf(t.s, sizeof t.s, "%ld", (long)date);
    return t;
}
