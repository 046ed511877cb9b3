/**
 * @file vipa/run.h
 * @brief The year run: annual evaluations (四(五)), rectification, re-checks, termination
 *        and disqualification, and the result that holds every figure, decision and
 *        finding, explained to the fen.
 *
 * Evaluations are records like the others: a year, a date, and whether it is a
 * re-check. vipa_run() runs them in date order (a plain evaluation before a re-check
 * on the same day) and computes everything the report contract lists.
 *
 * **A plain evaluation of year Y on date D** checks every agreement in force in Y
 * (signed, its period holding Y, not terminated on or before D), counting only payments
 * dated on or before D. Its checks, each with its rule and clause:
 * `AGREEMENT_CONTENT`; `PLAN_PER_HOUSEHOLD`, `PLAN_INCOME_INDUSTRY`,
 * `PLAN_FILED_3_LEVELS` for the plans of its households under it;
 * `LINKAGE_UNDER_AGREEMENT` and `OBLIGATIONS_PAID` for its linkages due in Y;
 * `DIVIDEND_PAID_AS_AGREED` for the dividends its entity owes its households for Y;
 * `EXIT_BY_DEADLINE` for its households whose exit target (the plan's, else the
 * agreement's deadline) is Y or earlier: each must meet the exit standard in Y as of D;
 * `COVERAGE_CORE_VILLAGE` for its entity's core village in Y; and, cited as
 * `EVALUATION_OUTCOME`, that the households it covers that are linked to the entity in
 * Y (by a linkage under it due in Y, or by shares in the entity at the end of Y) are at
 * least the number it promised. All pass: **compliant**. Any fails: **rectification**,
 * with every failed check (rule, subject, expected, actual).
 *
 * **A re-check of year Y on date D** covers only the agreements in rectification for Y,
 * with the same checks as of D: all pass, **restored**; any fails, **terminated** on D,
 * and the entity is **disqualified** from D. A restored agreement is not favoured for
 * Y: favoured support goes to those who met their targets on time (按期完成). An entity
 * is favoured for Y when every agreement of it evaluated for Y was compliant.
 * `DISQUALIFIED_NO_SUPPORT` then flags injections dated on or after the disqualification
 * and agreements of the entity signed on or after it.
 *
 * The result is immutable: any number of threads may read it at once. It reads the
 * context's records for explanations, so it must be freed before the context is changed
 * or freed. Lists are sorted by id (then year), so the same records always give the
 * same result, whatever order they were added in.
 */
#ifndef VIPA_RUN_H
#define VIPA_RUN_H

#include "area.h"
#include "common.h"
#include "date.h"
#include "findings.h"
#include "ledger.h"
#include "registry.h"

VIPA_BEGIN_DECL

/* ---- evaluations ---------------------------------------------------------------- */

/** @brief Version of #vipa_evaluation this header describes. */
#define VIPA_EVALUATION_VERSION 1

/** @brief A scheduled evaluation of a year (绩效评估, 四(五)). */
typedef struct vipa_evaluation {
    /** Set to #VIPA_EVALUATION_VERSION (done by #VIPA_EVALUATION_INIT). */
    unsigned int version;
    /** The year evaluated, 1900..9999. */
    int year;
    /** The day it is held: after the year (每年初, early the next year, or later); payments
     *  dated later do not count. */
    vipa_date date;
    /** 1 for a re-check after rectification (整改), 0 for the plain evaluation. */
    int recheck;
} vipa_evaluation;

/** @brief Initialiser for #vipa_evaluation. */
#define VIPA_EVALUATION_INIT { VIPA_EVALUATION_VERSION, 0, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_EVALUATION_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_EVALUATION_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_evaluation_init(vipa_evaluation *out, unsigned int version);

/**
 * @brief Schedules evaluations, all or none.
 * @param[in,out] ctx The context.
 * @param[in] evaluations Array of @p n evaluations, all of the same version; borrowed.
 * @param[in] n Number of evaluations (0 is a no-op).
 *
 * Each year has at most one plain evaluation and at most one re-check, and the re-check
 * comes after the plain evaluation of its year: scheduled before it (in an earlier batch
 * or earlier in this one) and dated after it (四(五)).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, year, an invalid date or one not after the
 *         year, recheck not 0/1, a second evaluation or re-check of a year, a re-check
 *         without the evaluation of its year before it); #VIPA_E_VERSION; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_evaluations(vipa_ctx *ctx, const vipa_evaluation *evaluations, size_t n);

/* ---- running -------------------------------------------------------------------- */

/** @brief The outcome of one agreement at one evaluation. */
typedef enum vipa_outcome {
    VIPA_OUTCOME_NONE = 0,          /**< Not an outcome. */
    VIPA_OUTCOME_COMPLIANT = 1,     /**< Every check passed: favoured support (予以倾斜). */
    VIPA_OUTCOME_RECTIFICATION = 2, /**< A check failed: rectification required (督促整改). */
    VIPA_OUTCOME_RESTORED = 3,      /**< Re-check passed: back in force, not favoured for the year. */
    VIPA_OUTCOME_TERMINATED = 4,    /**< Re-check failed: terminated (解除协议), entity disqualified. */
    VIPA_OUTCOME_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_outcome;

/** @brief An entity's standing after the run. */
typedef enum vipa_entity_status {
    VIPA_ENTITY_STATUS_NONE = 0,         /**< Not a status. */
    VIPA_ENTITY_STATUS_ACTIVE = 1,       /**< Not disqualified. */
    VIPA_ENTITY_STATUS_DISQUALIFIED = 2, /**< Disqualified from support (取消资格, 四(五)). */
    /** Not a value: keeps the type 32 bits wide in every ABI. */
    VIPA_ENTITY_STATUS_MAX_ENUM = 0x7fffffff,
    /* The spellings of 0.1, kept for the API and the ABI: they read like values of
     * vipa_status, the error codes. Equal values, so either spelling may be used. */
    /** @deprecated Alias of #VIPA_ENTITY_STATUS_NONE. */
    VIPA_STATUS_NONE = VIPA_ENTITY_STATUS_NONE,
    /** @deprecated Alias of #VIPA_ENTITY_STATUS_ACTIVE. */
    VIPA_STATUS_ACTIVE = VIPA_ENTITY_STATUS_ACTIVE,
    /** @deprecated Alias of #VIPA_ENTITY_STATUS_DISQUALIFIED. */
    VIPA_STATUS_DISQUALIFIED = VIPA_ENTITY_STATUS_DISQUALIFIED,
    /** @deprecated Alias of #VIPA_ENTITY_STATUS_MAX_ENUM. */
    VIPA_STATUS_MAX_ENUM = VIPA_ENTITY_STATUS_MAX_ENUM
} vipa_entity_status;

/** @brief Receives progress of a long run: a phase name, work done and the total. */
typedef void (*vipa_progress_fn)(void *opaque, const char *phase, uint64_t done, uint64_t total);

/** @brief Skip the input hash of the stamp (input_sha256 is then ""), for benchmarks. */
#define VIPA_RUN_NO_INPUT_HASH 1u

/** @brief Version of #vipa_run_options this header describes. */
#define VIPA_RUN_OPTIONS_VERSION 1

/** @brief Options of vipa_run(). */
typedef struct vipa_run_options {
    /** Set to #VIPA_RUN_OPTIONS_VERSION (done by #VIPA_RUN_OPTIONS_INIT). */
    unsigned int version;
    /** Called at phase boundaries and every so many records; NULL for none. It runs
     *  on the calling thread and must not call into the context. */
    vipa_progress_fn progress;
    /** Passed to @c progress unchanged. */
    void *progress_opaque;
    /** #VIPA_RUN_NO_INPUT_HASH or 0. */
    unsigned int flags;
} vipa_run_options;

/** @brief Initialiser for #vipa_run_options. */
#define VIPA_RUN_OPTIONS_INIT { VIPA_RUN_OPTIONS_VERSION, NULL, NULL, 0 }

/**
 * @brief Fills @p out as #VIPA_RUN_OPTIONS_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_RUN_OPTIONS_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_run_options_init(vipa_run_options *out, unsigned int version);

/** @brief The result of a run: immutable, read through accessors, freed by vipa_result_free(). */
typedef struct vipa_result vipa_result;

/**
 * @brief Runs the year: every scheduled evaluation in date order, and every figure.
 * @param[out] out Receives the result, owned by the caller and freed with
 *             vipa_result_free() before the context is changed or freed; NULL on failure.
 * @param[in,out] ctx The context; its records are not changed (its error is set on failure).
 * @param[in] options Options, borrowed for the call; NULL for the defaults.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_VERSION for options of
 *         an unknown version; #VIPA_E_NOT_FOUND for a year without a poverty line
 *         (the message names the parameter to set); #VIPA_E_OVERFLOW; #VIPA_E_STATE
 *         (see vipa_ledger_build()); #VIPA_E_NOMEM.
 */
VIPA_API int vipa_run(vipa_result **out, vipa_ctx *ctx, const vipa_run_options *options);

/**
 * @brief Frees a result. NULL is a no-op.
 * @param[in] result The result; invalid after the call.
 */
VIPA_API void vipa_result_free(vipa_result *result);

/* ---- the stamp ------------------------------------------------------------------------ */

/**
 * @brief The reproducibility stamp: library version, profile, and the SHA-256 of the
 *        profile's parameters and of the input records in canonical order (so the same
 *        records added in another order hash the same).
 * @param[in] result The result.
 * @param[in] field "library", "profile", "profile_sha256" or "input_sha256".
 * @return A string owned by the result (64 lowercase hex digits for the hashes; "" for
 *         an input hash skipped with #VIPA_RUN_NO_INPUT_HASH); NULL for NULL arguments or
 *         an unknown field.
 */
VIPA_API const char *vipa_result_stamp(const vipa_result *result, const char *field);

/* ---- lists of the whole run ------------------------------------------------------------ */

/**
 * @brief Number of agreements with their computed signer (`SIGNER_LEVEL`, 四(二)).
 * @param[in] result The result.
 * @return The count; 0 if @p result is NULL.
 */
VIPA_API size_t vipa_result_signer_count(const vipa_result *result);

/**
 * @brief Signer @p i, by agreement id: the party 四(二) calls for.
 * @param[out] agreement Receives the agreement's id.
 * @param[out] level Receives the level (#VIPA_SIGNER_NOT_PROVIDED across counties).
 * @param[out] area Receives the signing area's code (0 when not provided).
 * @param[in] result The result.
 * @param[in] i Index below vipa_result_signer_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE for @p i out of range.
 */
VIPA_API int vipa_result_signer(vipa_id *agreement, vipa_signer_level *level, vipa_area_code *area,
                                const vipa_result *result, size_t i);

/**
 * @brief Number of allocations of fiscal equity (三(二)).
 * @param[in] result The result.
 * @return The count; 0 if @p result is NULL.
 */
VIPA_API size_t vipa_result_allocation_count(const vipa_result *result);

/**
 * @brief Allocation @p i: by injection id, then households by id, then the remainder holder.
 * @param[out] injection Receives the injection's id.
 * @param[out] kind Receives the holder's kind.
 * @param[out] holder Receives the holder's id (a village code for a collective).
 * @param[out] amount Receives the shares in fen.
 * @param[in] result The result.
 * @param[in] i Index below vipa_result_allocation_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE for @p i out of range.
 */
VIPA_API int vipa_result_allocation(vipa_id *injection, vipa_holder_kind *kind, uint64_t *holder,
                                    vipa_fen *amount, const vipa_result *result, size_t i);

/**
 * @brief Number of households, each with its exit year.
 * @param[in] result The result.
 * @return The count; 0 if @p result is NULL.
 */
VIPA_API size_t vipa_result_household_count(const vipa_result *result);

/**
 * @brief Household @p i by id, with the year it exited poverty: the recorded exit year,
 *        else the first year of the run in which it met the exit standard, else 0.
 * @param[out] id Receives the household's id.
 * @param[out] exit_year Receives the exit year, or 0 when it has not exited.
 * @param[in] result The result.
 * @param[in] i Index below vipa_result_household_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE for @p i out of range.
 */
VIPA_API int vipa_result_household(vipa_id *id, int *exit_year, const vipa_result *result,
                                   size_t i);

/**
 * @brief Number of entities, each with its status and favoured years.
 * @param[in] result The result.
 * @return The count; 0 if @p result is NULL.
 */
VIPA_API size_t vipa_result_entity_count(const vipa_result *result);

/**
 * @brief Entity @p i by id: its status and how many years it is favoured for.
 * @param[out] id Receives the entity's id.
 * @param[out] status Receives #VIPA_ENTITY_STATUS_ACTIVE or #VIPA_ENTITY_STATUS_DISQUALIFIED.
 * @param[out] disqualified_on Receives the date of disqualification, or 0.
 * @param[out] favoured_count Receives the number of favoured years.
 * @param[in] result The result.
 * @param[in] i Index below vipa_result_entity_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE for @p i out of range.
 */
VIPA_API int vipa_result_entity(vipa_id *id, vipa_entity_status *status, vipa_date *disqualified_on,
                                size_t *favoured_count, const vipa_result *result, size_t i);

/**
 * @brief The @p k-th year (ascending) entity @p i is favoured for (予以倾斜, 四(五)).
 * @param[out] year Receives the year.
 * @param[in] result The result.
 * @param[in] i Entity index below vipa_result_entity_count().
 * @param[in] k Index below the entity's favoured_count.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE out of range.
 */
VIPA_API int vipa_result_entity_favoured(int *year, const vipa_result *result, size_t i, size_t k);

/**
 * @brief Number of entries of the disclosure list (公示公告, 五(五)).
 * @param[in] result The result.
 * @return The count; 0 if @p result is NULL.
 */
VIPA_API size_t vipa_result_disclosure_count(const vipa_result *result);

/**
 * @brief Disclosure entry @p i by entity id: the fiscal equity it received (the sum of
 *        its injections) and the households it drives (distinct households linked to it
 *        by a linkage or by shares).
 * @param[out] entity Receives the entity's id.
 * @param[out] equity Receives the fiscal equity in fen.
 * @param[out] households Receives the number of households.
 * @param[in] result The result.
 * @param[in] i Index below vipa_result_disclosure_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE for @p i out of range.
 */
VIPA_API int vipa_result_disclosure(vipa_id *entity, vipa_fen *equity, size_t *households,
                                    const vipa_result *result, size_t i);

/**
 * @brief Number of support measures disclosure entry @p i names: the distinct texts of the
 *        government support measures (支持政策措施) its entity's agreements state (五(五)),
 *        in agreement id order, then as listed.
 * @param[in] result The result.
 * @param[in] i A disclosure index.
 * @return The count; 0 if @p result is NULL, @p i out of range, or the agreements gave
 *         only the number of their measures.
 */
VIPA_API size_t vipa_result_disclosure_support_count(const vipa_result *result, size_t i);

/**
 * @brief Support measure @p k of disclosure entry @p i (UTF-8).
 * @param[in] result The result.
 * @param[in] i A disclosure index.
 * @param[in] k An index below vipa_result_disclosure_support_count().
 * @return The text, owned by the context behind @p result (valid while the result is);
 *         NULL for a NULL result or an index out of range.
 */
VIPA_API const char *vipa_result_disclosure_support(const vipa_result *result, size_t i, size_t k);

/**
 * @brief Every finding of the run: those of the records (year 0), the failed checks of
 *        each evaluation, an `EVALUATION_OUTCOME` notice per agreement and evaluation,
 *        `DISQUALIFIED_NO_SUPPORT`, and a `DISCLOSURE` notice per supported entity.
 * @param[in] result The result.
 * @return The list, owned by the result (do not free it); NULL if @p result is NULL.
 */
VIPA_API const vipa_findings *vipa_result_findings(const vipa_result *result);

/* ---- per year --------------------------------------------------------------------------- */

/**
 * @brief Number of years the result has figures for: every year evaluated, paid for, or
 *        with other income recorded.
 * @param[in] result The result.
 * @return The count; 0 if @p result is NULL.
 */
VIPA_API size_t vipa_result_year_count(const vipa_result *result);

/**
 * @brief The year at index @p y (ascending).
 * @param[in] result The result.
 * @param[in] y Index below vipa_result_year_count().
 * @return The year; 0 if out of range.
 */
VIPA_API int vipa_result_year(const vipa_result *result, size_t y);

/**
 * @brief Number of households with figures in year @p y: those not exited before it.
 * @param[in] result The result.
 * @param[in] y Year index.
 * @return The count; 0 if out of range.
 */
VIPA_API size_t vipa_result_year_household_count(const vipa_result *result, size_t y);

/**
 * @brief Household figures @p i of year @p y, by id: income (every payment for the year
 *        and other income), the line (poverty line × members) and the exit standard.
 * @param[out] household Receives the household's id.
 * @param[out] income Receives its income for the year.
 * @param[out] line Receives the poverty line × members.
 * @param[out] meets_standard Receives 1 if it meets the exit standard, else 0.
 * @param[in] result The result.
 * @param[in] y Year index.
 * @param[in] i Index below vipa_result_year_household_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE out of range.
 */
VIPA_API int vipa_result_year_household(vipa_id *household, vipa_fen *income, vipa_fen *line,
                                        int *meets_standard, const vipa_result *result, size_t y,
                                        size_t i);

/**
 * @brief Number of dividends due or paid in year @p y (二(三)).
 * @param[in] result The result.
 * @param[in] y Year index.
 * @return The count; 0 if out of range.
 */
VIPA_API size_t vipa_result_year_dividend_count(const vipa_result *result, size_t y);

/**
 * @brief Dividend @p i of year @p y, by entity then household: due (the declared dividend,
 *        never less than the agreed rate, `DIVIDEND_PAID_AS_AGREED`, 二(三)) and paid
 *        (payments dated up to the `as_of` the context had when it ran; all without one).
 * @param[out] entity Receives the entity's id.
 * @param[out] household Receives the household's id.
 * @param[out] due Receives the amount due.
 * @param[out] paid Receives the amount paid for the year.
 * @param[in] result The result.
 * @param[in] y Year index.
 * @param[in] i Index below vipa_result_year_dividend_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE out of range.
 */
VIPA_API int vipa_result_year_dividend(vipa_id *entity, vipa_id *household, vipa_fen *due,
                                       vipa_fen *paid, const vipa_result *result, size_t y,
                                       size_t i);

/**
 * @brief Whether year @p y is complete: it ended on or before the context's `as_of`
 *        (vipa_ctx_set_as_of()), or no `as_of` is set. The money owed for a complete year
 *        is checked whether or not an evaluation was held (`OBLIGATIONS_PAID`,
 *        `DIVIDEND_PAID_AS_AGREED`; 四(四), 二(三)).
 * @param[in] result The result.
 * @param[in] y A year index.
 * @return 1 complete, 0 not (also for a NULL result or an index out of range).
 */
VIPA_API int vipa_result_year_complete(const vipa_result *result, size_t y);

/**
 * @brief Number of linkages due or paid for in year @p y (四(四)): due in one of their
 *        years within their agreement's period and before the year the agreement was
 *        terminated in (四(五)), or with a payment for the year.
 * @param[in] result The result.
 * @param[in] y A year index.
 * @return The count; 0 if @p result is NULL or @p y out of range.
 */
VIPA_API size_t vipa_result_year_obligation_count(const vipa_result *result, size_t y);

/**
 * @brief Obligation @p i of year @p y, by linkage id: what was due under the linkage for
 *        the year (`OBLIGATIONS_PAID`, 四(四)) and what was paid for it, payments dated up
 *        to the `as_of` the context had when it ran (all when none was set).
 * @param[out] linkage Receives the linkage id.
 * @param[out] household Receives its household's id.
 * @param[out] kind Receives its kind (wage, land rent, participation).
 * @param[out] due Receives the amount due for the year (0 when it is only paid for).
 * @param[out] paid Receives the amount paid for the year.
 * @param[in] result The result.
 * @param[in] y A year index.
 * @param[in] i An index below vipa_result_year_obligation_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for a NULL argument; #VIPA_E_RANGE for an index out of
 *         range (outputs unchanged).
 */
VIPA_API int vipa_result_year_obligation(vipa_id *linkage, vipa_id *household,
                                         vipa_linkage_kind *kind, vipa_fen *due, vipa_fen *paid,
                                         const vipa_result *result, size_t y, size_t i);

/**
 * @brief Number of core villages with coverage figures in year @p y: the core villages of
 *        entities with an agreement in force (`COVERAGE_CORE_VILLAGE`, 一; 二(三)).
 * @param[in] result The result.
 * @param[in] y Year index.
 * @return The count; 0 if out of range.
 */
VIPA_API size_t vipa_result_year_coverage_count(const vipa_result *result, size_t y);

/**
 * @brief Coverage @p i of year @p y, by village code.
 * @param[out] village Receives the village's code.
 * @param[out] willing Receives the willing, poor, not-yet-exited households.
 * @param[out] covered Receives how many of those are linked.
 * @param[in] result The result.
 * @param[in] y Year index.
 * @param[in] i Index below vipa_result_year_coverage_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE out of range.
 */
VIPA_API int vipa_result_year_coverage(vipa_area_code *village, size_t *willing, size_t *covered,
                                       const vipa_result *result, size_t y, size_t i);

/**
 * @brief Number of agreement evaluations of year @p y (plain and re-checks).
 * @param[in] result The result.
 * @param[in] y Year index.
 * @return The count; 0 if out of range.
 */
VIPA_API size_t vipa_result_year_evaluation_count(const vipa_result *result, size_t y);

/**
 * @brief Evaluation @p i of year @p y, by agreement id then date (a plain evaluation
 *        before a re-check of the same day).
 * @param[out] agreement Receives the agreement's id.
 * @param[out] entity Receives its entity's id.
 * @param[out] date Receives the evaluation's date (its cut-off).
 * @param[out] recheck Receives 1 for a re-check, else 0.
 * @param[out] outcome Receives the outcome.
 * @param[in] result The result.
 * @param[in] y Year index.
 * @param[in] i Index below vipa_result_year_evaluation_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE out of range.
 */
VIPA_API int vipa_result_year_evaluation(vipa_id *agreement, vipa_id *entity, vipa_date *date,
                                         int *recheck, vipa_outcome *outcome,
                                         const vipa_result *result, size_t y, size_t i);

/**
 * @brief Number of failed checks of evaluation @p i of year @p y.
 * @param[in] result The result.
 * @param[in] y Year index.
 * @param[in] i Evaluation index.
 * @return The count; 0 if out of range.
 */
VIPA_API size_t vipa_result_year_failed_count(const vipa_result *result, size_t y, size_t i);

/**
 * @brief Failed check @p k of evaluation @p i of year @p y: rule, subject, and the
 *        expected and actual values as report text (NULL where the check has no number).
 * @param[out] rule Receives the rule.
 * @param[out] subject_kind Receives the subject's kind.
 * @param[out] subject_id Receives the subject's id (a code for a village).
 * @param[out] expected Receives the expected value, owned by the result, or NULL.
 * @param[out] actual Receives the actual value, owned by the result, or NULL.
 * @param[in] result The result.
 * @param[in] y Year index.
 * @param[in] i Evaluation index.
 * @param[in] k Index below vipa_result_year_failed_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE out of range.
 */
VIPA_API int vipa_result_year_failed(vipa_rule *rule, vipa_subject_kind *subject_kind,
                                     uint64_t *subject_id, const char **expected,
                                     const char **actual, const vipa_result *result, size_t y,
                                     size_t i, size_t k);


/* ---- rows (since 0.2) ------------------------------------------------------------ */

/*
 * Every list of a result can also be read a row at a time into a struct: the row
 * accessors take the struct's size, so that fields appended to a row in a later release
 * need no new function, and a program built against an older header (a shorter struct)
 * is filled up to its size and not one byte further. The accessors with one output
 * parameter per field above stay, unchanged.
 */
/** @brief A row of the result: an agreement's computed signer (四(二), `SIGNER_LEVEL`).
 *  Fields are only appended. */
typedef struct vipa_signer_row {
    /** The agreement's id. */
    vipa_id agreement;
    /** The party 四(二) calls for. */
    vipa_signer_level level;
    /** The signing area's code (0 across counties). */
    vipa_area_code area;
} vipa_signer_row;

/**
 * @brief Reads agreement @p i's computed signer (四(二), `SIGNER_LEVEL`) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_signer_row(vipa_signer_row *row, size_t row_size,
                                    const vipa_result *result, size_t i);
/** @brief A row of the result: an allocation of fiscal equity (三(二)).
 *  Fields are only appended. */
typedef struct vipa_allocation_row {
    /** The injection's id. */
    vipa_id injection;
    /** Who holds the shares. */
    vipa_holder_kind holder_kind;
    /** The holder: a household id, a village code or an entity id. */
    uint64_t holder;
    /** The shares in fen. */
    vipa_fen amount;
} vipa_allocation_row;

/**
 * @brief Reads allocation @p i of fiscal equity (三(二)) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_allocation_row(vipa_allocation_row *row, size_t row_size,
                                        const vipa_result *result, size_t i);
/** @brief A row of the result: a household with its exit year. Fields are only appended. */
typedef struct vipa_household_row {
    /** The household's id. */
    vipa_id household;
    /** The year it exited poverty: the earlier of the recorded one and the first year it
     *  met the standard; 0 if neither. */
    int exit_year;
} vipa_household_row;

/**
 * @brief Reads household @p i with its exit year into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_household_row(vipa_household_row *row, size_t row_size,
                                       const vipa_result *result, size_t i);
/** @brief A row of the result: an entity's status and favoured years (四(五)).
 *  Fields are only appended. */
typedef struct vipa_entity_row {
    /** The entity's id. */
    vipa_id entity;
    /** Active or disqualified. */
    vipa_entity_status status;
    /** The day it was disqualified, or 0. */
    vipa_date disqualified_on;
    /** How many years it is favoured for (vipa_result_entity_favoured()). */
    size_t favoured_count;
} vipa_entity_row;

/**
 * @brief Reads entity @p i: its status and favoured years (四(五)) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_entity_row(vipa_entity_row *row, size_t row_size,
                                    const vipa_result *result, size_t i);
/** @brief A row of the result: an entry of the disclosure list (五(五)).
 *  Fields are only appended. */
typedef struct vipa_disclosure_row {
    /** The entity's id. */
    vipa_id entity;
    /** The fiscal equity it received. */
    vipa_fen equity;
    /** The households it drives. */
    size_t households;
    /** The support measures its agreements name (vipa_result_disclosure_support()). */
    size_t support_count;
} vipa_disclosure_row;

/**
 * @brief Reads disclosure entry @p i (五(五)) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_disclosure_row(vipa_disclosure_row *row, size_t row_size,
                                        const vipa_result *result, size_t i);
/** @brief A row of the result: a household's figures of a year. Fields are only appended. */
typedef struct vipa_year_household_row {
    /** The household's id. */
    vipa_id household;
    /** Its income of the year (every payment for it, other income). */
    vipa_fen income;
    /** The poverty line × its members. */
    vipa_fen line;
    /** 1 if it meets the exit standard that year. */
    int meets_standard;
} vipa_year_household_row;

/**
 * @brief Reads household figures @p i of year @p y into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] y Index (see the accessor of the same list above).
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_year_household_row(vipa_year_household_row *row, size_t row_size,
                                            const vipa_result *result, size_t y, size_t i);
/** @brief A row of the result: a dividend of a year (二(三)). Fields are only appended. */
typedef struct vipa_year_dividend_row {
    /** The paying entity's id. */
    vipa_id entity;
    /** The household's id. */
    vipa_id household;
    /** Due: declared, never below the agreed rate. */
    vipa_fen due;
    /** Paid, by the run's as_of. */
    vipa_fen paid;
} vipa_year_dividend_row;

/**
 * @brief Reads dividend @p i of year @p y (二(三)) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] y Index (see the accessor of the same list above).
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_year_dividend_row(vipa_year_dividend_row *row, size_t row_size,
                                           const vipa_result *result, size_t y, size_t i);
/** @brief A row of the result: a linkage's due and paid of a year (四(四)).
 *  Fields are only appended. */
typedef struct vipa_year_obligation_row {
    /** The linkage's id. */
    vipa_id linkage;
    /** Its household's id. */
    vipa_id household;
    /** Wage, land rent or participation. */
    vipa_linkage_kind kind;
    /** Due for the year. */
    vipa_fen due;
    /** Paid for the year, by the run's as_of. */
    vipa_fen paid;
} vipa_year_obligation_row;

/**
 * @brief Reads obligation @p i of year @p y (四(四)) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] y Index (see the accessor of the same list above).
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_year_obligation_row(vipa_year_obligation_row *row, size_t row_size,
                                             const vipa_result *result, size_t y, size_t i);
/** @brief A row of the result: a core village's coverage of a year (一; 二(三)).
 *  Fields are only appended. */
typedef struct vipa_year_coverage_row {
    /** The core village's code. */
    vipa_area_code village;
    /** Its willing poor households not exited. */
    size_t willing;
    /** Of those, the ones linked under an agreement in force. */
    size_t covered;
} vipa_year_coverage_row;

/**
 * @brief Reads coverage @p i of year @p y (一; 二(三)) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] y Index (see the accessor of the same list above).
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_year_coverage_row(vipa_year_coverage_row *row, size_t row_size,
                                           const vipa_result *result, size_t y, size_t i);
/** @brief A row of the result: an agreement's evaluation of a year (四(五)).
 *  Fields are only appended. */
typedef struct vipa_year_evaluation_row {
    /** The agreement's id. */
    vipa_id agreement;
    /** Its entity's id. */
    vipa_id entity;
    /** The day it was held. */
    vipa_date date;
    /** 1 for a re-check. */
    int recheck;
    /** Its outcome. */
    vipa_outcome outcome;
    /** Its failed checks (vipa_result_year_failed_row()). */
    size_t failed_count;
} vipa_year_evaluation_row;

/**
 * @brief Reads evaluation @p i of year @p y (四(五)) into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] y Index (see the accessor of the same list above).
 * @param[in] i Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_year_evaluation_row(vipa_year_evaluation_row *row, size_t row_size,
                                             const vipa_result *result, size_t y, size_t i);
/** @brief A row of the result: a failed check of an evaluation. Fields are only appended. */
typedef struct vipa_year_failed_row {
    /** The rule that failed. */
    vipa_rule rule;
    /** What it is about. */
    vipa_subject_kind subject_kind;
    /** Its id (a village's code). */
    uint64_t subject;
    /** What the rule expects, as text, or NULL; owned by the result. */
    const char *expected;
    /** What was found, as text, or NULL; owned by the result. */
    const char *actual;
} vipa_year_failed_row;

/**
 * @brief Reads failed check @p k of evaluation @p i of year @p y into @p row.
 * @param[out] row Receives the row; unchanged on failure.
 * @param[in] row_size `sizeof *row` as the caller was built with: at most that many bytes
 *            are written (zeros past the library's fields when it is larger).
 * @param[in] result The result.
 * @param[in] y Index (see the accessor of the same list above).
 * @param[in] i Index (see the accessor of the same list above).
 * @param[in] k Index (see the accessor of the same list above).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a @p row_size of 0;
 *         #VIPA_E_RANGE for an index out of range.
 */
VIPA_API int vipa_result_year_failed_row(vipa_year_failed_row *row, size_t row_size,
                                         const vipa_result *result, size_t y, size_t i, size_t k);

/**
 * @brief The name of an outcome as reports spell it: "compliant", "rectification",
 *        "restored", "terminated".
 * @param[in] outcome An outcome.
 * @return A static string; NULL for a value that is no outcome.
 */
VIPA_API const char *vipa_outcome_name(vipa_outcome outcome);

/**
 * @brief The name of an entity status as reports spell it: "active", "disqualified".
 * @param[in] status A status.
 * @return A static string; NULL for a value that is no status.
 */
VIPA_API const char *vipa_entity_status_name(vipa_entity_status status);

/* ---- explanations ------------------------------------------------------------------------ */

/** @brief A structured trace of every number behind a household's or agreement's result. */
typedef struct vipa_explanation vipa_explanation;

/** @brief What a step of an explanation is. */
typedef enum vipa_step_kind {
    VIPA_STEP_NONE = 0,     /**< Not a kind. */
    VIPA_STEP_CUTOFF = 1,   /**< The cut-off date used (an evaluation's date). */
    VIPA_STEP_DUE = 2,      /**< An amount due (a linkage or a dividend) for the year. */
    VIPA_STEP_PAYMENT = 3,  /**< A payment, with its date and whether it counted. */
    VIPA_STEP_INCOME = 4,   /**< Other income, or the income total. */
    VIPA_STEP_LINE = 5,     /**< The poverty line × members. */
    VIPA_STEP_STANDARD = 6, /**< The exit standard and the guarantees. */
    VIPA_STEP_CHECK = 7,    /**< A check of an evaluation, passed or failed. */
    VIPA_STEP_OUTCOME = 8,  /**< The outcome of an evaluation. */
    VIPA_STEP_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_step_kind;

/**
 * @brief Explains a household's year: its dues, every payment with its date (and whether
 *        it counted at each evaluation's cut-off), other income, the income total, the
 *        line × members, the guarantees, the exit standard and the checks on it.
 * @param[out] out Receives the explanation, owned by the caller and freed with
 *             vipa_explanation_free(); NULL on failure.
 * @param[in] result The result.
 * @param[in] household The household's id.
 * @param[in] year The year.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an unknown
 *         household or a year the result has no figures for; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_explain_household(vipa_explanation **out, const vipa_result *result,
                                    vipa_id household, int year);

/**
 * @brief Explains an agreement's year: each evaluation's cut-off, every check with its
 *        rule, clause and numbers, and the outcome.
 * @param[out] out Receives the explanation, owned by the caller and freed with
 *             vipa_explanation_free(); NULL on failure.
 * @param[in] result The result.
 * @param[in] agreement The agreement's id.
 * @param[in] year The year.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an unknown
 *         agreement or a year the result has no figures for; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_explain_agreement(vipa_explanation **out, const vipa_result *result,
                                    vipa_id agreement, int year);

/**
 * @brief Frees an explanation. NULL is a no-op.
 * @param[in] explanation The explanation; invalid after the call.
 */
VIPA_API void vipa_explanation_free(vipa_explanation *explanation);

/**
 * @brief Number of steps of an explanation.
 * @param[in] explanation The explanation.
 * @return The count; 0 if @p explanation is NULL.
 */
VIPA_API size_t vipa_explanation_step_count(const vipa_explanation *explanation);

/**
 * @brief Step @p i of an explanation.
 * @param[out] kind Receives what the step is.
 * @param[out] rule Receives the rule it applies, or #VIPA_RULE_NONE.
 * @param[out] amount Receives its amount in fen (0 when it has none).
 * @param[out] date Receives its date (0 when it has none).
 * @param[out] text Receives a sentence describing it with the rule's clause, owned by the
 *             explanation.
 * @param[in] explanation The explanation.
 * @param[in] i Index below vipa_explanation_step_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE out of range.
 */
VIPA_API int vipa_explanation_step(vipa_step_kind *kind, vipa_rule *rule, vipa_fen *amount,
                                   vipa_date *date, const char **text,
                                   const vipa_explanation *explanation, size_t i);

/**
 * @brief What step @p i decides, when it applies a rule to figures: a check of an
 *        evaluation computed from the same figures the run decided with (kind
 *        #VIPA_STEP_CHECK), or the exit standard of a year (#VIPA_STEP_STANDARD).
 *        The evaluation's own list of failed checks, repeated as steps, decides nothing.
 * @param[out] passed Receives 1 passed (standard met), 0 failed (not met).
 * @param[out] kind Receives what the decision is about (household, linkage, village, agreement).
 * @param[out] subject Receives its id (a village's code).
 * @param[in] explanation The explanation.
 * @param[in] i Index below vipa_explanation_step_count().
 * @return #VIPA_OK; #VIPA_E_NOT_FOUND for a step that decides nothing; #VIPA_E_INVALID for
 *         NULL arguments; #VIPA_E_RANGE out of range (outputs unchanged on failure).
 */
VIPA_API int vipa_explanation_verdict(int *passed, vipa_subject_kind *kind, uint64_t *subject,
                                      const vipa_explanation *explanation, size_t i);

/**
 * @brief The explanation rendered as text a county official can read: one numbered
 *        line per step, amounts in yuan, dates in ISO form, each rule with its clause.
 * @param[in] explanation The explanation.
 * @return A NUL-terminated UTF-8 string owned by the explanation; "" if NULL.
 */
VIPA_API const char *vipa_explanation_text(const vipa_explanation *explanation);

/**
 * @brief The text of step @p i of an explanation in a language: "en" gives the text
 *        vipa_explanation_step() gives; "zh" the same step in Chinese, from the same
 *        figures (amounts in yuan with two decimals, dates ISO), ending with its rule ID and
 *        clause as "（OBLIGATIONS_PAID，四(四)）" when it has a rule.
 *
 * Both languages are formatted when the explanation is built: reading them allocates
 * nothing, and any number of threads may read one explanation at once.
 * @param[in] explanation The explanation.
 * @param[in] i Index below vipa_explanation_step_count().
 * @param[in] lang "en" or "zh"; NULL is "en".
 * @return A NUL-terminated UTF-8 string owned by the explanation; NULL if @p explanation
 *         is NULL, @p i is out of range or @p lang is neither "en" nor "zh".
 */
VIPA_API const char *vipa_explanation_step_text(const vipa_explanation *explanation, size_t i,
                                                const char *lang);

/**
 * @brief The explanation rendered as text in a language: its title, then one numbered
 *        line per step (the text vipa_explanation_step_text() gives in @p lang). "en" gives
 *        the text vipa_explanation_text() gives.
 *
 * Formatted when the explanation is built, as vipa_explanation_step_text().
 * @param[in] explanation The explanation.
 * @param[in] lang "en" or "zh"; NULL is "en".
 * @return A NUL-terminated UTF-8 string owned by the explanation; "" if @p explanation is
 *         NULL; NULL if @p lang is neither "en" nor "zh".
 */
VIPA_API const char *vipa_explanation_text_lang(const vipa_explanation *explanation,
                                                const char *lang);

VIPA_END_DECL

#endif /* VIPA_RUN_H */
