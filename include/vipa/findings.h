/**
 * @file vipa/findings.h
 * @brief Findings: what the checks found, each with its rule, clause, subject and numbers.
 *
 * vipa_check() runs every check that needs only the records of the context (the
 * matching, agreement, plan and filing steps of 四). The findings come back as an
 * immutable list read through accessors, sorted by rule (catalogue order), then
 * subject kind, subject id and year, so the same records always give the same list,
 * whatever order they were added in. Any number of threads may read one list at once.
 */
#ifndef VIPA_FINDINGS_H
#define VIPA_FINDINGS_H

#include "common.h"
#include "registry.h"
#include "rules.h"

VIPA_BEGIN_DECL

/** @brief A buffer of this many bytes holds any finding's message with its NUL
 *         (vipa_finding_message_format()). */
#define VIPA_FINDING_MESSAGE_SIZE 1200

/** @brief An immutable list of findings. Freed by vipa_findings_free(). */
typedef struct vipa_findings vipa_findings;

/** @brief The kind of record a finding is about. */
typedef enum vipa_subject_kind {
    VIPA_SUBJECT_NONE = 0,       /**< No subject. */
    VIPA_SUBJECT_HOUSEHOLD = 1,  /**< A household: the id is its id. */
    VIPA_SUBJECT_AGREEMENT = 2,  /**< An agreement: the id is its id. */
    VIPA_SUBJECT_LINKAGE = 3,    /**< A benefit linkage: the id is its id. */
    VIPA_SUBJECT_INJECTION = 4,  /**< A fiscal equity injection: the id is its id. */
    VIPA_SUBJECT_ENTITY = 5,     /**< An operating entity: the id is its id. */
    VIPA_SUBJECT_VILLAGE = 6,    /**< A village: the id is its 12-digit code. */
    VIPA_SUBJECT_TOWN = 7,       /**< A town: the id is its 12-digit code. */
    VIPA_SUBJECT_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_subject_kind;

/**
 * @brief Runs every check that needs only the records and returns the findings:
 *        `ONE_TOWN_ONE_INDUSTRY`, `ENTITY_SELECTION`, `SIGNER_LEVEL`,
 *        `AGREEMENT_CONTENT`, `PLAN_PER_HOUSEHOLD`, `PLAN_INCOME_INDUSTRY`,
 *        `PLAN_FILED_3_LEVELS`, and `LINKAGE_UNDER_AGREEMENT` for linkages whose
 *        agreement is not signed, does not list the household or states no period.
 * @param[out] out Receives the list, owned by the caller and freed with
 *             vipa_findings_free(); set to NULL on failure.
 * @param[in,out] ctx The context; its records are not changed.
 * @return #VIPA_OK; #VIPA_E_INVALID if an argument is NULL; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_check(vipa_findings **out, vipa_ctx *ctx);

/**
 * @brief Frees a findings list. NULL is a no-op.
 * @param[in] findings The list; invalid after the call.
 */
VIPA_API void vipa_findings_free(vipa_findings *findings);

/**
 * @brief Number of findings in the list.
 * @param[in] findings The list.
 * @return The count; 0 if @p findings is NULL.
 */
VIPA_API size_t vipa_findings_count(const vipa_findings *findings);

/**
 * @brief Number of findings of a given severity or higher.
 * @param[in] findings The list.
 * @param[in] severity The lowest severity counted.
 * @return The count; 0 if @p findings is NULL.
 */
VIPA_API size_t vipa_findings_count_at_least(const vipa_findings *findings,
                                             vipa_severity severity);

/**
 * @brief The rule behind finding @p i.
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return The rule; #VIPA_RULE_NONE if @p findings is NULL or @p i is out of range.
 */
VIPA_API vipa_rule vipa_finding_rule(const vipa_findings *findings, size_t i);

/**
 * @brief The severity of finding @p i (usually its rule's; see vipa_rule_severity()).
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return The severity; #VIPA_SEVERITY_NONE if out of range.
 */
VIPA_API vipa_severity vipa_finding_severity(const vipa_findings *findings, size_t i);

/**
 * @brief The kind of record finding @p i is about.
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return The kind; #VIPA_SUBJECT_NONE if out of range.
 */
VIPA_API vipa_subject_kind vipa_finding_subject_kind(const vipa_findings *findings, size_t i);

/**
 * @brief The id of the record finding @p i is about (an area code for villages and towns).
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return The id; 0 if out of range.
 */
VIPA_API uint64_t vipa_finding_subject_id(const vipa_findings *findings, size_t i);

/**
 * @brief The year finding @p i concerns.
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return The year; 0 when the finding is about no particular year or out of range.
 */
VIPA_API int vipa_finding_year(const vipa_findings *findings, size_t i);

/**
 * @brief A sentence explaining finding @p i, citing its rule and clause (English, with
 *        Chinese names where the records have them; UTF-8).
 *
 * The list keeps what each sentence is made of, not the sentence: it is formatted the
 * first time it is asked for and kept from then on, so the list grows only by the
 * messages read (vipa_finding_message_format() writes one into a buffer of the caller's
 * instead, and keeps nothing). That first call allocates through the allocator of the
 * context the list came from; any number of threads may ask at once, and all get the
 * same pointer.
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return A string owned by the list, valid until vipa_findings_free(); "" if out of range,
 *         or if the memory for the message could not be allocated.
 */
VIPA_API const char *vipa_finding_message(const vipa_findings *findings, size_t i);

/**
 * @brief Writes the message of finding @p i (the text vipa_finding_message() returns)
 *        into a buffer, allocating nothing.
 * @param[out] buf Receives the NUL-terminated text; "" on failure when @p size > 0.
 * @param[in] size Size of @p buf in bytes; #VIPA_FINDING_MESSAGE_SIZE is always enough.
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return #VIPA_OK; #VIPA_E_INVALID if @p buf or @p findings is NULL; #VIPA_E_RANGE if
 *         @p i is out of range or @p size is too small for the text.
 */
VIPA_API int vipa_finding_message_format(char *buf, size_t size, const vipa_findings *findings,
                                         size_t i);

/**
 * @brief Writes the message of finding @p i in a language into a buffer, allocating
 *        nothing: "en" gives the text vipa_finding_message() returns; "zh" the same
 *        sentence in Chinese, formatted from the same data (amounts in yuan with two
 *        decimals, dates ISO), ending with its rule ID and clause as
 *        "（OBLIGATIONS_PAID，四(四)）". Names, amounts, ids and the expected and actual
 *        values quoted are the records' own, in either language.
 *
 * It reads the list only, so any number of threads may call it at once on a finished
 * list (as vipa_finding_message_format()).
 * @param[out] buf Receives the NUL-terminated UTF-8 text; "" on failure when @p size > 0.
 * @param[in] size Size of @p buf in bytes; #VIPA_FINDING_MESSAGE_SIZE is always enough.
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @param[in] lang "en" or "zh"; NULL is "en".
 * @return #VIPA_OK; #VIPA_E_INVALID if @p buf or @p findings is NULL or @p lang is neither
 *         "en" nor "zh"; #VIPA_E_RANGE if @p i is out of range or @p size is too small.
 */
VIPA_API int vipa_finding_message_format_lang(char *buf, size_t size,
                                              const vipa_findings *findings, size_t i,
                                              const char *lang);

/**
 * @brief The value the rule expected, as report text ("2000.00", "5", "town"...).
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return A string owned by the list, valid until vipa_findings_free(); NULL when the
 *         finding carries no number or out of range.
 */
VIPA_API const char *vipa_finding_expected(const vipa_findings *findings, size_t i);

/**
 * @brief The value found, as report text; NULL when the finding carries no number.
 * @param[in] findings The list.
 * @param[in] i Index, below vipa_findings_count().
 * @return A string owned by the list, valid until vipa_findings_free(); NULL when the
 *         finding carries no number or out of range.
 */
VIPA_API const char *vipa_finding_actual(const vipa_findings *findings, size_t i);

/**
 * @brief The name of a subject kind as reports spell it: "household", "agreement",
 *        "linkage", "injection", "entity", "village", "town".
 * @param[in] kind A subject kind.
 * @return A static string; NULL for #VIPA_SUBJECT_NONE or a value that is no kind.
 */
VIPA_API const char *vipa_subject_kind_name(vipa_subject_kind kind);

VIPA_END_DECL

#endif /* VIPA_FINDINGS_H */
