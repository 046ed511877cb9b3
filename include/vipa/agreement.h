/**
 * @file vipa/agreement.h
 * @brief Agreements (签订协议, 四(二)) and per-household assistance plans (制定方案, 四(三)).
 *
 * An agreement binds an entity to the poor households it will help: how many, with
 * which projects, for which period, by which exit deadline, with which government
 * support, signed by the party the span of villages calls for (`SIGNER_LEVEL`). Each
 * covered household then gets a plan: exit target, income industries, measures, yearly
 * tasks, filed at county, town and village level.
 *
 * What an agreement or plan leaves out is not an input error: it is what the checks
 * report (`AGREEMENT_CONTENT`, `PLAN_*`). Input errors are what makes a record
 * meaningless: unknown references, a period that ends before it starts, invalid dates.
 * Adds are all or none, as in vipa/registry.h.
 */
#ifndef VIPA_AGREEMENT_H
#define VIPA_AGREEMENT_H

#include "area.h"
#include "common.h"
#include "date.h"
#include "money.h"
#include "registry.h"

VIPA_BEGIN_DECL

/** @brief Version of #vipa_agreement this header describes. Version 2 appended
 *  `support` and `dividend_bp`; a version-1 array is still read with its own stride. */
#define VIPA_AGREEMENT_VERSION 2

/** @brief An agreement between an entity and a signing party, covering households. */
typedef struct vipa_agreement {
    /** Set to #VIPA_AGREEMENT_VERSION (done by #VIPA_AGREEMENT_INIT). */
    unsigned int version;
    /** Positive id, unique among agreements. */
    vipa_id id;
    /** The entity: already in the context. */
    vipa_id entity;
    /** The households it covers (包扶户): each already in the context, none twice; borrowed. */
    const vipa_id *households;
    /** Number of `households`. */
    size_t household_len;
    /** The number of households it states (包扶户数量); -1 when it states none. */
    int64_t household_count;
    /** Number of assistance projects it states (帮扶项目). */
    size_t project_count;
    /** Number of government support measures it states (支持政策措施). */
    size_t support_count;
    /** First day of its period, or 0 when it states none. */
    vipa_date start;
    /** Last day of its period, or 0 when it states none; not before `start`. */
    vipa_date end;
    /** The poverty-exit deadline (脱贫期限), a year, or 0 when it states none. */
    int exit_deadline;
    /** The day it was signed, or 0 if it is not signed. */
    vipa_date signed_on;
    /** The signing party recorded, or #VIPA_SIGNER_UNRECORDED. */
    vipa_signer_level signer_level;
    /** The recorded signing area's code (0 with #VIPA_SIGNER_UNRECORDED or
     *  #VIPA_SIGNER_NOT_PROVIDED); its shape must match `signer_level`. */
    vipa_area_code signer_area;
    /** Since version 2: the texts of its `support_count` government support measures
     *  (支持政策措施), each non-empty UTF-8, or NULL when only their number is known; the
     *  disclosure list (`DISCLOSURE`, 五(五)) names them. Borrowed: the library copies them. */
    const char *const *support;
    /** Since version 2: the agreed annual dividend rate (二(三) 每年按约定给贫困户分红) on the
     *  shares its injections gave, in basis points (800 = 8 %), 0 when it fixes none. For
     *  each year it is in force a holder of those shares is due at least this rate on them
     *  (`DIVIDEND_PAID_AS_AGREED`). */
    vipa_bp dividend_bp;
} vipa_agreement;

/** @brief Initialiser for #vipa_agreement. */
#define VIPA_AGREEMENT_INIT                                                                 \
    { VIPA_AGREEMENT_VERSION, 0, 0, NULL, 0, -1, 0, 0, 0, 0, 0, 0, VIPA_SIGNER_UNRECORDED, 0, \
      NULL, 0 }

/**
 * @brief Fills @p out as #VIPA_AGREEMENT_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_AGREEMENT_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_agreement_init(vipa_agreement *out, unsigned int version);

/**
 * @brief Adds agreements, all or none.
 * @param[in,out] ctx The context.
 * @param[in] agreements Array of @p n agreements, all of the same version; borrowed.
 * @param[in] n Number of agreements (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, id 0, a household listed twice, an invalid
 *         date, an exit deadline outside 1900..9999 other than 0, a signer level outside
 *         the enumeration, a signer area given with #VIPA_SIGNER_UNRECORDED or
 *         #VIPA_SIGNER_NOT_PROVIDED or whose level does not match, a household count below
 *         -1, a negative `dividend_bp`, a NULL or empty or non-UTF-8 support text);
 *         #VIPA_E_RANGE for a period ending before it starts; #VIPA_E_LIMIT for
 *         counts above UINT32_MAX; #VIPA_E_VERSION; #VIPA_E_EXISTS; #VIPA_E_NOT_FOUND for
 *         an unknown entity, household or signer area; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_agreements(vipa_ctx *ctx, const vipa_agreement *agreements, size_t n);

/**
 * @brief Number of agreements in the context.
 * @param[in] ctx The context.
 * @return The count; 0 if @p ctx is NULL.
 */
VIPA_API size_t vipa_ctx_agreement_count(const vipa_ctx *ctx);

/** @brief Levels at which a plan is filed (保存备案, 四(三)), as bits of vipa_plan::filed. */
enum vipa_filed_level {
    VIPA_FILED_COUNTY = 1 << 0,  /**< 县区 */
    VIPA_FILED_TOWN = 1 << 1,    /**< 镇(办) */
    VIPA_FILED_VILLAGE = 1 << 2, /**< 村(社区) */
    VIPA_FILED_ALL = 0x7         /**< All three levels, as 四(三) requires. */
};

/** @brief Version of #vipa_plan this header describes. */
#define VIPA_PLAN_VERSION 1

/** @brief A household's assistance plan (帮扶方案) under an agreement. */
typedef struct vipa_plan {
    /** Set to #VIPA_PLAN_VERSION (done by #VIPA_PLAN_INIT). */
    unsigned int version;
    /** The household: already in the context and covered by `agreement`. */
    vipa_id household;
    /** The agreement: already in the context. One plan per household and agreement. */
    vipa_id agreement;
    /** The exit target (脱贫目标), a year, or 0 when it states none. */
    int exit_target;
    /** Number of income-raising industries it names (增收产业; 四(三) asks for ≥ 1). */
    size_t industry_count;
    /** Number of assistance measures it states (帮扶措施). */
    size_t measure_count;
    /** Years of its annual tasks (年度任务), 1900..9999, each at most once; borrowed. */
    const int *task_years;
    /** Income target of each annual task in fen (≥ 0, or #VIPA_FEN_UNSET for a task that
     *  states none), parallel to `task_years`, or NULL when no task states one; borrowed.
     *  `PLAN_TASKS_MET` (四(三); 四(五)) checks each target in the evaluation of its year. */
    const vipa_fen *task_incomes;
    /** Number of annual tasks. */
    size_t task_len;
    /** Filing levels, as #vipa_filed_level bits. */
    unsigned int filed;
    /** Number of per-person tasks (逐人任务清单). */
    size_t person_task_count;
} vipa_plan;

/** @brief Initialiser for #vipa_plan. */
#define VIPA_PLAN_INIT { VIPA_PLAN_VERSION, 0, 0, 0, 0, 0, NULL, NULL, 0, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_PLAN_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_PLAN_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_plan_init(vipa_plan *out, unsigned int version);

/**
 * @brief Adds plans, all or none.
 * @param[in,out] ctx The context.
 * @param[in] plans Array of @p n plans, all of the same version; borrowed.
 * @param[in] n Number of plans (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, an exit target outside 1900..9999 other
 *         than 0, a task year out of range or repeated, a negative income, filing bits
 *         outside #VIPA_FILED_ALL, a household the agreement does not cover);
 *         #VIPA_E_LIMIT for counts above UINT32_MAX; #VIPA_E_VERSION; #VIPA_E_EXISTS for a
 *         second plan of the same
 *         household and agreement; #VIPA_E_NOT_FOUND for an unknown household or
 *         agreement; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_plans(vipa_ctx *ctx, const vipa_plan *plans, size_t n);

/**
 * @brief Number of plans in the context.
 * @param[in] ctx The context.
 * @return The count; 0 if @p ctx is NULL.
 */
VIPA_API size_t vipa_ctx_plan_count(const vipa_ctx *ctx);

VIPA_END_DECL

#endif /* VIPA_AGREEMENT_H */
