/**
 * @file vipa/money.h
 * @brief Exact money: checked arithmetic on fen, yuan text, and the exact split.
 *
 * Money is #vipa_fen, an integer count of fen (0.01 yuan). No function here touches a
 * floating-point number. Sums and products are checked and fail with #VIPA_E_OVERFLOW
 * instead of wrapping; where a product leaves a fraction of a fen the rounding is named
 * (half away from zero); where a total is divided, the parts sum exactly to the total.
 * The functions need no context and are safe to call from any thread.
 */
#ifndef VIPA_MONEY_H
#define VIPA_MONEY_H

#include "common.h"

VIPA_BEGIN_DECL

/**
 * @brief Buffer size that holds any formatted amount, including the sign and the NUL.
 *
 * The longest text is "-92233720368547758.08" (21 characters).
 */
#define VIPA_FEN_FORMAT_SIZE 24

/** @brief Marks a money field of an input struct as "not given" (a linkage's unused
 *  amounts, a dividend's pool when it has a rate, a plan task without an income target). */
#define VIPA_FEN_UNSET INT64_MIN

/**
 * @brief Adds two amounts.
 * @param[out] out Receives a + b; unchanged on failure.
 * @param[in] a First amount.
 * @param[in] b Second amount.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_OVERFLOW if the sum
 *         leaves the int64 range.
 */
VIPA_API int vipa_fen_add(vipa_fen *out, vipa_fen a, vipa_fen b);

/**
 * @brief Subtracts one amount from another.
 * @param[out] out Receives a - b; unchanged on failure.
 * @param[in] a Amount to subtract from.
 * @param[in] b Amount to subtract.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_OVERFLOW if the
 *         difference leaves the int64 range.
 */
VIPA_API int vipa_fen_sub(vipa_fen *out, vipa_fen a, vipa_fen b);

/**
 * @brief Multiplies an amount by a whole number (a count of days, members, years...).
 * @param[out] out Receives a × n; unchanged on failure.
 * @param[in] a Amount.
 * @param[in] n Whole-number factor.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_OVERFLOW if the product
 *         leaves the int64 range.
 */
VIPA_API int vipa_fen_mul(vipa_fen *out, vipa_fen a, int64_t n);

/**
 * @brief Applies a rate in basis points to an amount: amount × rate / 10000, rounded
 *        half away from zero to the fen.
 *
 * Used for rate dividends (二(三)) and the poor share of an injection (三(二)); the
 * latter rounds down instead and uses vipa_fen_mul_bp_trunc().
 * @param[out] out Receives the rounded product; unchanged on failure.
 * @param[in] amount Amount in fen.
 * @param[in] rate Rate in basis points (may be negative or above 10000).
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_OVERFLOW if the result
 *         leaves the int64 range.
 */
VIPA_API int vipa_fen_mul_bp(vipa_fen *out, vipa_fen amount, vipa_bp rate);

/**
 * @brief Applies a rate in basis points to an amount, rounded toward zero to the fen.
 *
 * This is the rounding 三(二) needs for the poor households' share of a fiscal equity
 * injection: 70 % of the amount, "rounded down to the fen" (toward zero), the rest to the remainder
 * holder, so the two parts always sum to the amount.
 * @param[out] out Receives the truncated product; unchanged on failure.
 * @param[in] amount Amount in fen.
 * @param[in] rate Rate in basis points (may be negative or above 10000).
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_OVERFLOW if the result
 *         leaves the int64 range.
 */
VIPA_API int vipa_fen_mul_bp_trunc(vipa_fen *out, vipa_fen amount, vipa_bp rate);

/**
 * @brief Prices an area: price per mu × area in 0.01 mu, rounded half away from zero.
 *
 * Land transfer rent (土地流转, 二(三)) is `area_mu` × `rent_per_mu`; the area is given
 * in hundredths of a mu so that it is exact too (2.50 mu = 250).
 * @param[out] out Receives per_mu × area_cmu / 100, rounded; unchanged on failure.
 * @param[in] per_mu Price of one mu, in fen.
 * @param[in] area_cmu Area in 0.01 mu.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_OVERFLOW if the result
 *         leaves the int64 range.
 */
VIPA_API int vipa_fen_mul_area(vipa_fen *out, vipa_fen per_mu, int64_t area_cmu);

/**
 * @brief Parses an amount in yuan, written as text, exactly.
 *
 * Accepted: an optional '-', one or more digits, then optionally '.' and one or two
 * digits: "3600.00", "5", "-0.50", "0.5". Nothing else is accepted: no '+', no blanks,
 * no exponent, no thousands separators, no third decimal (amounts are whole fen).
 * @param[out] out Receives the amount in fen; unchanged on failure.
 * @param[in] text NUL-terminated text; borrowed for the call.
 * @param[out] why If not NULL, receives on failure a static English sentence that says
 *             what was wrong and what was expected (set to NULL on success).
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out or @p text is NULL; #VIPA_E_PARSE for
 *         empty text, a stray character, a second '.', no digit, or three or more
 *         decimals; #VIPA_E_OVERFLOW if the amount leaves the int64 range of fen.
 */
VIPA_API int vipa_fen_parse(vipa_fen *out, const char *text, const char **why);

/**
 * @brief Formats an amount as yuan text with exactly two decimals: "1234.50", "-0.05".
 *
 * The text parses back to the same amount with vipa_fen_parse().
 * @param[out] buf Receives the NUL-terminated text; on #VIPA_E_RANGE it receives ""
 *             when @p size > 0.
 * @param[in] size Size of @p buf in bytes; #VIPA_FEN_FORMAT_SIZE is always enough.
 * @param[in] amount Amount in fen.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p buf is NULL; #VIPA_E_RANGE if @p size is too
 *         small for the text.
 */
VIPA_API int vipa_fen_format(char *buf, size_t size, vipa_fen amount);

/**
 * @brief Splits a total exactly among n weights (largest-remainder method).
 *
 * Part i first gets floor(|total| × w_i / Σw) fen; the fen left over (fewer than n) go
 * one each to the parts with the largest remainders, ties to the lower index. The parts
 * always sum exactly to @p total. A negative total is split by its magnitude and every
 * part negated, so the rule is symmetric. Intermediate products use 128-bit integers:
 * any int64 total and any uint64 weights are exact. This is the split behind the poor
 * share of 三(二) (`EQUITY_POOR_SHARE`) and pool dividends (二(三)). It allocates n
 * small records of scratch memory with malloc() and frees them before returning.
 * @param[out] parts Array of @p n amounts that receives the parts; unchanged on failure.
 * @param[in] total The amount to split.
 * @param[in] weights Array of @p n non-negative weights; borrowed for the call.
 * @param[in] n Number of parts.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p n is 0, an array is NULL, or every weight
 *         is 0; #VIPA_E_NOMEM if the scratch memory cannot be allocated.
 */
VIPA_API int vipa_split(vipa_fen *parts, vipa_fen total, const uint64_t *weights, size_t n);

VIPA_END_DECL

#endif /* VIPA_MONEY_H */
