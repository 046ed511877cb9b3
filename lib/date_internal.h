/*
 * The date module's internals (date.c), shared with the modules above it; never
 * installed.
 */
#ifndef VIPA_DATE_INTERNAL_H
#define VIPA_DATE_INTERNAL_H

#include "vipa/date.h"

/* The years of a valid date (include/vipa/date.h): the library's one statement of the
 * range, for every year field it checks and every message that names the range. */
#define VIPA_YEAR_MIN 1900
#define VIPA_YEAR_MAX 9999
/* The range as message text, "1900..9999", spelled from the two numbers above. */
#define VIPA_YEAR_RANGE VIPA__DIGITS(VIPA_YEAR_MIN) ".." VIPA__DIGITS(VIPA_YEAR_MAX)

/* The digits of a numeric macro as a string literal, for messages: VIPA__DIGITS(VIPA_YEAR_MIN)
 * is "1900". */
#define VIPA__DIGITS(number) VIPA__DIGITS_OF(number)
#define VIPA__DIGITS_OF(number) #number

/* 1 if year is within VIPA_YEAR_MIN..VIPA_YEAR_MAX (any integer, such as a JSON one). */
static inline int vipa__year_is_valid(long long year)
{
    return year >= VIPA_YEAR_MIN && year <= VIPA_YEAR_MAX;
}

/* The year a text is, written as exactly four ASCII digits and nothing after them
 * ("2017"), when it is valid; else 0. For keys that name a year ("poverty_line.2017"). */
int vipa__year_of_text(const char *text);

/* A date as "YYYY-MM-DD" by value, for messages; an invalid one as its number. */
typedef struct vipa__day_text {
    char s[24];
} vipa__day_text;
vipa__day_text vipa__day(vipa_date date);

#endif /* VIPA_DATE_INTERNAL_H */
