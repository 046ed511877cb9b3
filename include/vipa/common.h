/**
 * @file vipa/common.h
 * @brief Export macro, C/C++ linkage guards, version macros and the base types.
 *
 * Every other public header includes this one. It holds nothing that depends on the
 * policy: the library's identity (its version) and the units every module shares.
 */
#ifndef VIPA_COMMON_H
#define VIPA_COMMON_H

#include <stddef.h>
#include <stdint.h>

/** @cond VIPA_INTERNAL */
#if defined(VIPA_BUILDING_LIBRARY) && defined(__GNUC__)
#define VIPA_API __attribute__((visibility("default")))
#else
#define VIPA_API
#endif

#ifdef __cplusplus
#define VIPA_BEGIN_DECL extern "C" {
#define VIPA_END_DECL }
#else
#define VIPA_BEGIN_DECL
#define VIPA_END_DECL
#endif
/** @endcond */

/** @brief Major version of the headers; the soname carries it (`libvipa.so.0`). */
#define VIPA_VERSION_MAJOR 0
/** @brief Minor version of the headers: incremented when functions are added. */
#define VIPA_VERSION_MINOR 5
/** @brief Patch version of the headers: incremented for fixes without API change. */
#define VIPA_VERSION_PATCH 1
/** @brief The version of the headers as text, "MAJOR.MINOR.PATCH". */
#define VIPA_VERSION_STRING "0.5.1"

/**
 * @brief Encodes a version as one comparable integer, MAJOR*1000000 + MINOR*1000 + PATCH.
 * @param a Major version.
 * @param b Minor version (0..999).
 * @param c Patch version (0..999).
 */
#define VIPA_VERSION_ENCODE(a, b, c) ((a) * 1000000L + (b) * 1000L + (c))

/** @brief The version of the headers as one integer (see VIPA_VERSION_ENCODE()). */
#define VIPA_VERSION_NUMBER \
    VIPA_VERSION_ENCODE(VIPA_VERSION_MAJOR, VIPA_VERSION_MINOR, VIPA_VERSION_PATCH)

/**
 * @brief True when the headers are at least version a.b.c, for compile-time feature tests.
 * @param a Major version.
 * @param b Minor version.
 * @param c Patch version.
 */
#define VIPA_VERSION_CHECK(a, b, c) (VIPA_VERSION_NUMBER >= VIPA_VERSION_ENCODE(a, b, c))

/**
 * @brief An amount of money in fen (分, 0.01 yuan). Never a floating-point number.
 *
 * Every sum and product of amounts in the library is overflow-checked
 * (#VIPA_E_OVERFLOW), never wrapped.
 */
typedef int64_t vipa_fen;

/** @brief A rate in basis points: 10000 bp = 100.00 %. The 70 % poor share of 三(二) is 7000. */
typedef int32_t vipa_bp;

/** @brief A record identifier. Valid ids are positive; 0 means "none". */
typedef uint64_t vipa_id;

VIPA_BEGIN_DECL

/**
 * @brief The version of the library actually loaded, as one integer.
 *
 * Compare it with #VIPA_VERSION_NUMBER to detect headers newer than the library.
 * @return The encoded version (see VIPA_VERSION_ENCODE()).
 */
VIPA_API long vipa_version_number(void);

/**
 * @brief The version of the library actually loaded, as text.
 * @return A static, NUL-terminated string such as "0.1.0"; never NULL, never freed.
 */
VIPA_API const char *vipa_version_string(void);

/**
 * @brief Frees memory the library handed to the caller: the text of vipa_report_json()
 *        and of vipa_scenario_export(). NULL is a no-op.
 *
 * The memory goes back to the allocator it came from, the context's
 * (`vipa_ctx_options`), which must therefore stay usable until the memory is freed, even
 * after vipa_ctx_free(). Never pass it to free(): the block does not start at the
 * pointer handed out.
 * @param[in] memory What vipa_report_json() or vipa_scenario_export() returned, or NULL.
 */
VIPA_API void vipa_free(void *memory);

VIPA_END_DECL

#endif /* VIPA_COMMON_H */
