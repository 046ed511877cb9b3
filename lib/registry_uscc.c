/* The registry module: the unified social credit code check of GB 32100-2015 (see
 * include/vipa/registry.h).
 * Pure: it needs no context, so an entity's code can be checked before it is added. */
#include <string.h>

#include "vipa/error.h"
#include "vipa/registry.h"

enum { USCC_LENGTH = 18, USCC_BASE = 31 };

/* The standard's character set; a character's value is its index. I, O, S, V and Z
 * are left out because they are easily confused with 1, 0, 5, U and 2. */
static const char alphabet[USCC_BASE + 1] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* Weights of positions 1..17: 3^(i-1) mod 31. */
static const int weights[USCC_LENGTH - 1] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                             29, 25, 13, 8,  24, 10, 30, 28};

static int fail(const char **why, int code, const char *reason)
{
    if (why)
        *why = reason;
    return code;
}

/* The value of c in the set, or -1. strchr would also match the terminating NUL. */
static int value_of(char c)
{
    const char *hit = c ? strchr(alphabet, c) : NULL;
    return hit ? (int)(hit - alphabet) : -1;
}

/* Reads all 18 characters into values; a reason for the first one outside the set. */
static const char *read_values(int values[USCC_LENGTH], const char *code)
{
    for (int i = 0; i < USCC_LENGTH; i++) {
        values[i] = value_of(code[i]);
        if (values[i] >= 0)
            continue;
        if (code[i] >= 'a' && code[i] <= 'z')
            return "lowercase letter: a credit code is written in capital letters only";
        return "character outside the code's set: only digits and capital letters, "
               "without I, O, S, V and Z, are used";
    }
    return NULL;
}

int vipa_uscc_check(const char *code, const char **why)
{
    if (why)
        *why = NULL;
    if (!code)
        return fail(why, VIPA_E_INVALID, "no code given");
    /* strnlen is POSIX, not C11: count at most one past the expected length by hand. */
    size_t length = 0;
    while (length <= USCC_LENGTH && code[length])
        length++;
    if (length != USCC_LENGTH)
        return fail(why, VIPA_E_PARSE, "wrong length: a credit code has exactly 18 characters");
    int values[USCC_LENGTH];
    const char *reason = read_values(values, code);
    if (reason)
        return fail(why, VIPA_E_PARSE, reason);
    int sum = 0;
    for (int i = 0; i < USCC_LENGTH - 1; i++)
        sum += values[i] * weights[i];
    /* The check value is 31 - (sum mod 31), where 31 itself is written as 0. */
    int check = (USCC_BASE - sum % USCC_BASE) % USCC_BASE;
    if (values[USCC_LENGTH - 1] != check)
        return fail(why, VIPA_E_RANGE,
                    "wrong check character: the 18th character does not match the first 17 "
                    "(GB 32100-2015), so the code has a typo or is not genuine");
    return VIPA_OK;
}
