/**
 * @file vipa/error.h
 * @brief Status codes, their names and their texts.
 *
 * Every function that can fail returns an `int`: #VIPA_OK (0) on success, a negative
 * `VIPA_E_*` code on failure. Codes are only ever appended, never renumbered. Functions
 * that work on a context also leave a detailed message there (which record, which
 * field, what was expected), read with `vipa_ctx_errmsg()`.
 */
#ifndef VIPA_ERROR_H
#define VIPA_ERROR_H

#include "common.h"

VIPA_BEGIN_DECL

/** @brief Status codes returned by every fallible function. Values never change. */
typedef enum vipa_status {
    VIPA_OK = 0,                /**< Success. */
    VIPA_E_INVALID = -1,        /**< An argument or field is invalid (NULL, malformed, inconsistent). */
    VIPA_E_NOMEM = -2,          /**< Memory could not be allocated; nothing was changed. */
    VIPA_E_OVERFLOW = -3,       /**< An amount or count would leave its integer range. */
    VIPA_E_NOT_FOUND = -4,      /**< A referenced record or value does not exist. */
    VIPA_E_EXISTS = -5,         /**< A record with that id or key already exists. */
    VIPA_E_RANGE = -6,          /**< A value is outside its allowed range, or a buffer is too small. */
    VIPA_E_PARSE = -7,          /**< Text (money, date, JSON) could not be parsed. */
    VIPA_E_VERSION = -8,        /**< A versioned struct has version 0 or one newer than the library. */
    VIPA_E_STATE = -9,          /**< The call is not allowed in the object's current state. */
    VIPA_E_IO = -10,            /**< Reading or writing a file failed. */
    VIPA_E_LIMIT = -11,         /**< A documented resource limit (size, count, nesting) was exceeded. */
    VIPA_STATUS_CODE_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_status;

/**
 * @brief A static English text describing a status code.
 * @param[in] code A #vipa_status value (any int is accepted).
 * @return A static NUL-terminated string, never NULL; "unknown error" for codes the
 *         library does not know.
 */
VIPA_API const char *vipa_strerror(int code);

/**
 * @brief The name of a status code as text, e.g. "VIPA_E_NOT_FOUND", for bindings and reports.
 * @param[in] code A #vipa_status value (any int is accepted).
 * @return A static NUL-terminated string, never NULL; "VIPA_E_UNKNOWN" for codes the
 *         library does not know.
 */
VIPA_API const char *vipa_error_name(int code);

/**
 * @brief The status code with the given name, the inverse of vipa_error_name().
 * @param[out] code Receives the code; unchanged on failure.
 * @param[in] name A name such as "VIPA_E_PARSE" or "VIPA_OK"; borrowed for the call.
 * @return #VIPA_OK; #VIPA_E_INVALID if an argument is NULL; #VIPA_E_NOT_FOUND if no
 *         code has that name.
 */
VIPA_API int vipa_error_from_name(int *code, const char *name);

VIPA_END_DECL

#endif /* VIPA_ERROR_H */
