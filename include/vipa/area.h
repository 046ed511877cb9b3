/**
 * @file vipa/area.h
 * @brief Statistical division codes (统计用区划代码), their hierarchy, and the signer rule.
 *
 * An area is a county (县/区), a town (镇/街道办) or a village (村/社区), named by its
 * 12-digit statistical division code: 6 county digits, 3 town digits, 3 village digits.
 * A town's code ends in 000 and a county's in 000000, so the level and the parents of a
 * code follow from its shape alone. Codes are held as integers (611002100201); their
 * text form is always the 12 digits.
 *
 * The functions here are pure: they need no context and are safe from any thread.
 */
#ifndef VIPA_AREA_H
#define VIPA_AREA_H

#include "common.h"

VIPA_BEGIN_DECL

/** @brief A 12-digit statistical division code held as an integer; 0 means "none". */
typedef uint64_t vipa_area_code;

/** @brief Buffer size for a code's text: 12 digits and the NUL. */
#define VIPA_AREA_CODE_SIZE 13

/** @brief The level of an area in the hierarchy county → town → village. */
typedef enum vipa_area_level {
    VIPA_AREA_NONE = 0,    /**< Not a level: no area, or an invalid code. */
    VIPA_AREA_COUNTY = 1,  /**< County or district (县/区): code ends in 000000. */
    VIPA_AREA_TOWN = 2,    /**< Town or sub-district (镇/街道办): code ends in 000. */
    VIPA_AREA_VILLAGE = 3, /**< Village or community (村/社区): the last 3 digits are not 000, the town's 3 before them neither. */
    VIPA_AREA_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_area_level;

/**
 * @brief Who signs the poverty-alleviation agreement with an entity (四(二), `SIGNER_LEVEL`).
 *
 * Fixed by the span of the entity's core village and the households' villages.
 */
typedef enum vipa_signer_level {
    VIPA_SIGNER_UNRECORDED = 0,   /**< No signer recorded (input only). */
    VIPA_SIGNER_VILLAGE = 1,      /**< One village: the village committee (村委会). */
    VIPA_SIGNER_TOWN = 2,         /**< Several villages in one town: the town government. */
    VIPA_SIGNER_COUNTY = 3,       /**< Several towns in one county: the county government. */
    VIPA_SIGNER_NOT_PROVIDED = 4, /**< Across counties: the plan provides no signer. */
    VIPA_SIGNER_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_signer_level;

/**
 * @brief Parses the 12-digit text of a code.
 * @param[out] out Receives the code; unchanged on failure.
 * @param[in] text NUL-terminated text of exactly 12 ASCII digits; borrowed for the call.
 * @return #VIPA_OK; #VIPA_E_INVALID if an argument is NULL; #VIPA_E_PARSE if the text
 *         is not exactly 12 digits; #VIPA_E_RANGE if the digits are no area of any
 *         level (see vipa_area_code_level()).
 */
VIPA_API int vipa_area_code_parse(vipa_area_code *out, const char *text);

/**
 * @brief Writes a code as its 12 digits.
 * @param[out] buf Receives the NUL-terminated text ("" on failure when @p size > 0).
 * @param[in] size Size of @p buf; #VIPA_AREA_CODE_SIZE is enough.
 * @param[in] code A code of some level.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p buf is NULL; #VIPA_E_RANGE if @p code is not
 *         a code of any level or @p size is too small.
 */
VIPA_API int vipa_area_code_format(char *buf, size_t size, vipa_area_code code);

/**
 * @brief The level a code's shape gives it.
 *
 * A valid code has exactly 12 digits (no leading zero) and non-zero county digits
 * (digits 5–6: a code whose first six digits end in 00 names a province or a city,
 * which the plan does not use). It is then a county when its last six digits are 0,
 * a town when only its last three are (and its town digits are not), and a village when
 * its last three digits and its town digits are both not 0; anything else is no area.
 * @param[in] code Candidate code.
 * @return The level, or #VIPA_AREA_NONE if the code is not an area of any level.
 */
VIPA_API vipa_area_level vipa_area_code_level(vipa_area_code code);

/**
 * @brief The code of the area at a higher (or the same) level that contains a code.
 * @param[out] out Receives the containing area's code; unchanged on failure.
 * @param[in] code A valid code.
 * @param[in] level The wanted level: the code's own or a higher one.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL or @p code is not a valid code;
 *         #VIPA_E_RANGE if @p level is not a level or is below the code's own level.
 */
VIPA_API int vipa_area_code_parent(vipa_area_code *out, vipa_area_code code,
                                   vipa_area_level level);

/**
 * @brief The signer rule of 四(二) (`SIGNER_LEVEL`): who signs with the entity.
 *
 * The span is the entity's core village together with every household's village
 * (the core village counts even when no household lives there). One village: that
 * village's committee. Several villages in one town: the town government. Several
 * towns in one county: the county government. Several counties: the plan provides
 * nothing, and the answer is #VIPA_SIGNER_NOT_PROVIDED with area 0, never a guess.
 * @param[out] level Receives the signing level; unchanged on failure.
 * @param[out] area Receives the signing area's code (0 for #VIPA_SIGNER_NOT_PROVIDED);
 *             unchanged on failure.
 * @param[in] core_village The entity's core village (a village code).
 * @param[in] villages The households' villages; borrowed for the call; may repeat.
 * @param[in] n Number of @p villages; may be 0 (then the span is the core village).
 * @return #VIPA_OK; #VIPA_E_INVALID if an output is NULL, @p villages is NULL with
 *         @p n > 0, or any code is not a village code.
 */
VIPA_API int vipa_signer_compute(vipa_signer_level *level, vipa_area_code *area,
                                 vipa_area_code core_village, const vipa_area_code *villages,
                                 size_t n);

/**
 * @brief The name of a signer level as used in reports: "village", "town", "county",
 *        "not_provided" ("unrecorded" for #VIPA_SIGNER_UNRECORDED).
 * @param[in] level A signer level.
 * @return A static string; "unknown" for a value that is no level.
 */
VIPA_API const char *vipa_signer_level_name(vipa_signer_level level);

/**
 * @brief The name of an area level: "county", "town", "village" ("none" for #VIPA_AREA_NONE).
 * @param[in] level An area level.
 * @return A static string; "unknown" for a value that is no level.
 */
VIPA_API const char *vipa_area_level_name(vipa_area_level level);

VIPA_END_DECL

#endif /* VIPA_AREA_H */
