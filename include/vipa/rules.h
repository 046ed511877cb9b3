/**
 * @file vipa/rules.h
 * @brief The rule catalogue: every rule of the plan the library checks, with its clause.
 *
 * Rule IDs are a contract (`docs/policy.md`): findings, reports, tests and documentation use
 * them verbatim. The catalogue is static data; these functions need no context and are
 * safe from any thread.
 */
#ifndef VIPA_RULES_H
#define VIPA_RULES_H

#include "common.h"

VIPA_BEGIN_DECL

/** @brief The rules of the catalogue, in the catalogue's order. Values never change. */
typedef enum vipa_rule {
    VIPA_RULE_NONE = 0,                    /**< No rule (an invalid value). */
    VIPA_RULE_COVERAGE_CORE_VILLAGE = 1,   /**< 一; 二(三): every willing poor household of a core village linked. */
    VIPA_RULE_ONE_TOWN_ONE_INDUSTRY = 2,   /**< 二(二): one designated industry per town. */
    VIPA_RULE_ENTITY_SELECTION = 3,        /**< 三(二): supported entities meet the selection criteria. */
    VIPA_RULE_LINKAGE_UNDER_AGREEMENT = 4, /**< 二(五); 四(二): every linkage under a signed agreement. */
    VIPA_RULE_EQUITY_POOR_SHARE = 5,       /**< 三(二): 70 % of fiscal equity as poor households' shares. */
    VIPA_RULE_SIGNER_LEVEL = 6,            /**< 四(二): the signing party follows the span. */
    VIPA_RULE_AGREEMENT_CONTENT = 7,       /**< 四(二): what a signed agreement states. */
    VIPA_RULE_PLAN_PER_HOUSEHOLD = 8,      /**< 四(三): a plan for every covered household. */
    VIPA_RULE_PLAN_INCOME_INDUSTRY = 9,    /**< 四(三): at least one income-raising industry. */
    VIPA_RULE_PLAN_FILED_3_LEVELS = 10,    /**< 四(三): plans filed at county, town and village. */
    VIPA_RULE_DIVIDEND_PAID_AS_AGREED = 11,/**< 二(三): dividends paid in full each year, never below the agreed rate. */
    VIPA_RULE_OBLIGATIONS_PAID = 12,       /**< 四(四): wages, rent, participation paid in full. */
    VIPA_RULE_EXIT_BY_DEADLINE = 13,       /**< 四(二); 四(三): exited by the earlier of the agreement's deadline and the plan's target. */
    VIPA_RULE_EVALUATION_OUTCOME = 14,     /**< 四(五): the outcome of each annual evaluation. */
    VIPA_RULE_DISQUALIFIED_NO_SUPPORT = 15,/**< 四(五): no equity, agreement or favour for a disqualified entity. */
    VIPA_RULE_DISCLOSURE = 16,             /**< 五(五): the public-disclosure list. */
    VIPA_RULE_PLAN_TASKS_MET = 17,         /**< 四(三); 四(五): each annual income task met (since 0.2). */
    VIPA_RULE_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_rule;

/** @brief Number of rules in the catalogue this header describes (the highest #vipa_rule
 *  value). A newer library may know more: ask vipa_rule_count() at run time. */
#define VIPA_RULE_COUNT 17

/**
 * @brief Number of rules in the catalogue of the library loaded at run time (the highest
 *        #vipa_rule value): rules are only appended, so 1..vipa_rule_count() are all valid.
 * @return The count (17 in 0.2).
 */
VIPA_API int vipa_rule_count(void);

/** @brief How serious a finding is. */
typedef enum vipa_severity {
    VIPA_SEVERITY_NONE = 0,    /**< No severity (an invalid value). */
    VIPA_SEVERITY_NOTICE = 1,  /**< Information a reviewer wants to see. */
    VIPA_SEVERITY_WARNING = 2, /**< The plan asks for it but leaves room. */
    VIPA_SEVERITY_ERROR = 3,   /**< A breach of the plan. */
    VIPA_SEVERITY_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_severity;

/**
 * @brief The rule's ID as the catalogue spells it, e.g. "SIGNER_LEVEL".
 * @param[in] rule A rule.
 * @return A static string; NULL if @p rule is not in the catalogue.
 */
VIPA_API const char *vipa_rule_id(vipa_rule rule);

/**
 * @brief The clause of the plan the rule comes from, e.g. "四(二)" (UTF-8).
 * @param[in] rule A rule.
 * @return A static string; NULL if @p rule is not in the catalogue.
 */
VIPA_API const char *vipa_rule_clause(vipa_rule rule);

/**
 * @brief The rule's severity in the catalogue (a finding may carry a lower one, such
 *        as the notice of `ONE_TOWN_ONE_INDUSTRY` for an entity outside its town's industry).
 * @param[in] rule A rule.
 * @return The severity; #VIPA_SEVERITY_NONE if @p rule is not in the catalogue.
 */
VIPA_API vipa_severity vipa_rule_severity(vipa_rule rule);

/**
 * @brief A one-line summary of what the rule checks.
 * @param[in] rule A rule.
 * @param[in] lang "zh" for Chinese (UTF-8) or "en" for English; NULL means "en".
 * @return A static string; NULL if @p rule is not in the catalogue or @p lang is
 *         neither "zh" nor "en".
 */
VIPA_API const char *vipa_rule_summary(vipa_rule rule, const char *lang);

/**
 * @brief Looks a rule up by its ID.
 * @param[out] rule Receives the rule; unchanged on failure.
 * @param[in] id A rule ID such as "OBLIGATIONS_PAID"; borrowed for the call.
 * @return #VIPA_OK; #VIPA_E_INVALID if an argument is NULL; #VIPA_E_NOT_FOUND if no
 *         rule has that ID.
 */
VIPA_API int vipa_rule_from_id(vipa_rule *rule, const char *id);

/**
 * @brief The name of a severity as reports spell it: "notice", "warning", "error".
 * @param[in] severity A severity.
 * @return A static string; NULL for a value that is no severity.
 */
VIPA_API const char *vipa_severity_name(vipa_severity severity);

VIPA_END_DECL

#endif /* VIPA_RULES_H */
