/**
 * @file vipa/date.h
 * @brief Calendar dates as exact integers (YYYYMMDD), parsed from and written as ISO 8601.
 *
 * Agreements are signed, injections made and payments dated on days; the evaluation of
 * a year counts only payments dated on or before its date (四(五)). A #vipa_date is the
 * integer YYYYMMDD (2016-11-15 is 20161115), so dates compare with `<` and print
 * readably in a debugger. 0 means "no date". Only real calendar days of the proleptic
 * Gregorian calendar in years 1900..9999 are valid.
 */
#ifndef VIPA_DATE_H
#define VIPA_DATE_H

#include "common.h"

VIPA_BEGIN_DECL

/** @brief A calendar day as the integer YYYYMMDD; 0 means "no date". */
typedef int32_t vipa_date;

/** @brief Buffer size that holds a formatted date "YYYY-MM-DD" with its NUL. */
#define VIPA_DATE_FORMAT_SIZE 11

/**
 * @brief Makes a date from its parts, checking that the day exists.
 * @param[out] out Receives the date; unchanged on failure.
 * @param[in] year Year, 1900..9999.
 * @param[in] month Month, 1..12.
 * @param[in] day Day of the month, 1..28/29/30/31 as the month has.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_RANGE if the day does
 *         not exist (2017-02-29, month 13, year 1899...).
 */
VIPA_API int vipa_date_make(vipa_date *out, int year, int month, int day);

/**
 * @brief Parses an ISO 8601 calendar date, exactly "YYYY-MM-DD".
 * @param[out] out Receives the date; unchanged on failure.
 * @param[in] text NUL-terminated text; borrowed for the call.
 * @return #VIPA_OK; #VIPA_E_INVALID if an argument is NULL; #VIPA_E_PARSE if the text
 *         is not of the form YYYY-MM-DD; #VIPA_E_RANGE if it has that form but the day
 *         does not exist.
 */
VIPA_API int vipa_date_parse(vipa_date *out, const char *text);

/**
 * @brief Writes a date as "YYYY-MM-DD".
 * @param[out] buf Receives the NUL-terminated text ("" on failure when @p size > 0).
 * @param[in] size Size of @p buf; #VIPA_DATE_FORMAT_SIZE is enough.
 * @param[in] date A valid date.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p buf is NULL; #VIPA_E_RANGE if @p date is not
 *         a valid date or @p size is too small.
 */
VIPA_API int vipa_date_format(char *buf, size_t size, vipa_date date);

/**
 * @brief Tells whether an integer is a valid date (a real day, years 1900..9999).
 * @param[in] date Candidate YYYYMMDD integer.
 * @return 1 if valid, 0 otherwise (0 itself, "no date", is not a valid date).
 */
VIPA_API int vipa_date_is_valid(vipa_date date);

VIPA_END_DECL

#endif /* VIPA_DATE_H */
