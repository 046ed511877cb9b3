/*
 * The date module's internals (date.c), shared with the modules above it; never
 * installed.
 */
#ifndef VIPA_DATE_INTERNAL_H
#define VIPA_DATE_INTERNAL_H

#include "vipa/date.h"

/* A date as "YYYY-MM-DD" by value, for messages; an invalid one as its number. */
typedef struct vipa__day_text {
    char s[24];
} vipa__day_text;
vipa__day_text vipa__day(vipa_date date);

#endif /* VIPA_DATE_INTERNAL_H */
