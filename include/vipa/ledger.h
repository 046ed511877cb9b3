/**
 * @file vipa/ledger.h
 * @brief The money flows: benefit linkages, fiscal equity and shares, dividends,
 *        payments, household income and the exit standard.
 *
 * Records (linkages, injections, contributions, share transfers, dividends, payments,
 * other incomes) are added to the context like the others: versioned structs, all or
 * none, every field validated. Figures are never stored: a #vipa_ledger, built from
 * the context in one pass, derives them (dues from linkages, shares from injections
 * and contributions, dividends from shares, income from payments) and answers for any
 * year and cut-off date. Every amount is exact (fen); every split sums to its whole.
 *
 * Clauses: linkages 一 and 二(三); fiscal equity and the 70 % poor share 三(二);
 * household capital 三(三); payments 四(四); the exit standard is the national rule
 * the plan relies on (docs/policy.md, "The exit standard").
 */
#ifndef VIPA_LEDGER_H
#define VIPA_LEDGER_H

#include "common.h"
#include "date.h"
#include "findings.h"
#include "money.h"
#include "registry.h"

VIPA_BEGIN_DECL

/* ---- linkages ------------------------------------------------------------------- */

/** @brief The forms of benefit linkage (利益联结) of 一 and 二(三). */
typedef enum vipa_linkage_kind {
    VIPA_LINKAGE_NONE = 0,          /**< Not a kind. */
    VIPA_LINKAGE_WAGE = 1,          /**< Wages for joining and working (入社务工/务工就业). */
    VIPA_LINKAGE_LAND_RENT = 2,     /**< Land transfer rent (土地流转). */
    VIPA_LINKAGE_PARTICIPATION = 3, /**< Participation in operations, incl. order production (参与经营). */
    VIPA_LINKAGE_DIVIDEND = 4,      /**< Dividends on shares (入股分红): derived from holdings, never added. */
    VIPA_LINKAGE_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_linkage_kind;

/**
 * @brief A linkage kind as the scenario and the report spell it: "wage", "land_rent",
 *        "participation" (since 0.4).
 * @param[in] kind A kind.
 * @return A static string; NULL for #VIPA_LINKAGE_DIVIDEND (derived from holdings, never a
 *         linkage record) and for a value that is no kind.
 */
VIPA_API const char *vipa_linkage_kind_name(vipa_linkage_kind kind);

/** @brief Version of #vipa_linkage this header describes. */
#define VIPA_LINKAGE_VERSION 1

/**
 * @brief A benefit linkage between an entity and a household, under an agreement.
 *
 * The amount due each year from `from_year` to `to_year` is derived: a wage is
 * `annual`, or `days` × `daily_wage`; land rent is `area_cmu` (0.01 mu) ×
 * `rent_per_mu`, half away from zero to the fen; participation is `annual`.
 * Fields a kind does not use must stay as #VIPA_LINKAGE_INIT leaves them.
 */
typedef struct vipa_linkage {
    /** Set to #VIPA_LINKAGE_VERSION (done by #VIPA_LINKAGE_INIT). */
    unsigned int version;
    /** Positive id, unique among linkages. */
    vipa_id id;
    /** Wage, land rent or participation. */
    vipa_linkage_kind kind;
    /** The household: already in the context. */
    vipa_id household;
    /** The entity: already in the context, and the agreement's entity. */
    vipa_id entity;
    /** The agreement it falls under: already in the context. */
    vipa_id agreement;
    /** First year it is due, 1900..9999, within the agreement's period when it has one. */
    int from_year;
    /** Last year it is due, not before `from_year`, within the agreement's period. */
    int to_year;
    /** Wage or participation per year, ≥ 0; #VIPA_FEN_UNSET otherwise. */
    vipa_fen annual;
    /** Wage as days worked per year (> 0) with `daily_wage`; 0 otherwise. */
    int64_t days;
    /** Wage per day, ≥ 0, with `days`; #VIPA_FEN_UNSET otherwise. */
    vipa_fen daily_wage;
    /** Land rent: area transferred in 0.01 mu (> 0); 0 otherwise. */
    int64_t area_cmu;
    /** Land rent per mu per year, ≥ 0; #VIPA_FEN_UNSET otherwise. */
    vipa_fen rent_per_mu;
} vipa_linkage;

/** @brief Initialiser for #vipa_linkage. */
#define VIPA_LINKAGE_INIT                                                                  \
    { VIPA_LINKAGE_VERSION, 0, VIPA_LINKAGE_NONE, 0, 0, 0, 0, 0, VIPA_FEN_UNSET, 0,        \
      VIPA_FEN_UNSET, 0, VIPA_FEN_UNSET }

/**
 * @brief Fills @p out as #VIPA_LINKAGE_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_LINKAGE_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_linkage_init(vipa_linkage *out, unsigned int version);

/**
 * @brief Adds linkages, all or none.
 * @param[in,out] ctx The context.
 * @param[in] linkages Array of @p n linkages, all of the same version; borrowed.
 * @param[in] n Number of linkages (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, id 0, kind, years, amounts missing, negative
 *         or given for another kind, an entity that is not the agreement's);
 *         #VIPA_E_RANGE for years outside the agreement's period; #VIPA_E_OVERFLOW when
 *         the yearly due does not fit; #VIPA_E_VERSION; #VIPA_E_EXISTS;
 *         #VIPA_E_NOT_FOUND for an unknown household, entity or agreement; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_linkages(vipa_ctx *ctx, const vipa_linkage *linkages, size_t n);

/* ---- fiscal equity, contributions, transfers ---------------------------------------- */

/** @brief How the poor share of an injection is split among its households (三(二)). */
typedef enum vipa_allocation {
    VIPA_ALLOCATION_PROFILE = 0,       /**< As the profile's `equity.allocation` says. */
    VIPA_ALLOCATION_PER_HOUSEHOLD = 1, /**< Equal per household. */
    VIPA_ALLOCATION_PER_MEMBER = 2,    /**< In proportion to members. */
    VIPA_ALLOCATION_WEIGHTS = 3,       /**< In proportion to explicit weights. */
    VIPA_ALLOCATION_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_allocation;

/** @brief Version of #vipa_injection this header describes. */
#define VIPA_INJECTION_VERSION 1

/**
 * @brief A fiscal-fund equity injection (财政扶贫资金折资入股, 三(二)).
 *
 * The poor share (`equity.poor_share_bp` of `amount`, rounded down to the fen)
 * becomes shares of the households, split exactly (vipa_split()); the rest goes to
 * the remainder holder (`equity.remainder_holder`: the village collective of the
 * entity's core village, or the entity). Shares are held from `date`.
 */
typedef struct vipa_injection {
    /** Set to #VIPA_INJECTION_VERSION (done by #VIPA_INJECTION_INIT). */
    unsigned int version;
    /** Positive id, unique among injections. */
    vipa_id id;
    /** The entity that receives it: already in the context. */
    vipa_id entity;
    /** The agreement it serves: already in the context, the entity's. */
    vipa_id agreement;
    /** The day the funds became equity. */
    vipa_date date;
    /** The amount, > 0. */
    vipa_fen amount;
    /** The households that share the poor share, each at most once; NULL with
     *  `household_len` 0 for the agreement's households. Borrowed. */
    const vipa_id *households;
    /** Number of `households`. */
    size_t household_len;
    /** How the poor share is split. */
    vipa_allocation allocation;
    /** With #VIPA_ALLOCATION_WEIGHTS: one weight per household (not all 0); else NULL. Borrowed. */
    const uint64_t *weights;
} vipa_injection;

/** @brief Initialiser for #vipa_injection. */
#define VIPA_INJECTION_INIT \
    { VIPA_INJECTION_VERSION, 0, 0, 0, 0, 0, NULL, 0, VIPA_ALLOCATION_PROFILE, NULL }

/**
 * @brief Fills @p out as #VIPA_INJECTION_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_INJECTION_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_injection_init(vipa_injection *out, unsigned int version);

/**
 * @brief Adds injections, all or none.
 * @param[in,out] ctx The context.
 * @param[in] injections Array of @p n injections, all of the same version; borrowed.
 * @param[in] n Number of injections (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, id 0, amount ≤ 0, date, a household twice,
 *         weights missing, all zero or given without #VIPA_ALLOCATION_WEIGHTS, an
 *         agreement of another entity, no households at all); #VIPA_E_LIMIT beyond 2^32
 *         stored households or weights; #VIPA_E_VERSION; #VIPA_E_EXISTS;
 *         #VIPA_E_NOT_FOUND; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_injections(vipa_ctx *ctx, const vipa_injection *injections, size_t n);

/** @brief What a household puts in as capital (三(三)). */
typedef enum vipa_contribution_kind {
    VIPA_CONTRIBUTION_NONE = 0,       /**< Not a kind. */
    VIPA_CONTRIBUTION_LAND = 1,       /**< 土地 */
    VIPA_CONTRIBUTION_TECHNOLOGY = 2, /**< 技术 */
    VIPA_CONTRIBUTION_RESOURCES = 3,  /**< 资源 */
    VIPA_CONTRIBUTION_HOUSING = 4,    /**< 房屋 */
    VIPA_CONTRIBUTION_LABOUR = 5,     /**< 劳动力 */
    VIPA_CONTRIBUTION_CASH = 6,       /**< 现金 */
    VIPA_CONTRIBUTION_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_contribution_kind;

/** @brief Version of #vipa_contribution this header describes. */
#define VIPA_CONTRIBUTION_VERSION 1

/** @brief A household's capital contribution to an entity, valued in fen, held from its date. */
typedef struct vipa_contribution {
    /** Set to #VIPA_CONTRIBUTION_VERSION (done by #VIPA_CONTRIBUTION_INIT). */
    unsigned int version;
    /** The household: already in the context. */
    vipa_id household;
    /** The entity: already in the context. */
    vipa_id entity;
    /** The agreement it falls under, the entity's, or 0. */
    vipa_id agreement;
    /** What was contributed. */
    vipa_contribution_kind kind;
    /** Its value in shares, > 0. */
    vipa_fen value;
    /** The day the shares are held from. */
    vipa_date date;
} vipa_contribution;

/** @brief Initialiser for #vipa_contribution. */
#define VIPA_CONTRIBUTION_INIT \
    { VIPA_CONTRIBUTION_VERSION, 0, 0, 0, VIPA_CONTRIBUTION_NONE, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_CONTRIBUTION_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_CONTRIBUTION_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_contribution_init(vipa_contribution *out, unsigned int version);

/**
 * @brief Adds contributions, all or none.
 * @param[in,out] ctx The context.
 * @param[in] contributions Array of @p n contributions, all of the same version; borrowed.
 * @param[in] n Number of contributions (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, kind, value ≤ 0, date, an agreement of
 *         another entity); #VIPA_E_VERSION; #VIPA_E_NOT_FOUND; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_contributions(vipa_ctx *ctx, const vipa_contribution *contributions,
                                        size_t n);

/** @brief Who holds shares in an entity. */
typedef enum vipa_holder_kind {
    VIPA_HOLDER_NONE = 0,       /**< No holder. */
    VIPA_HOLDER_HOUSEHOLD = 1,  /**< A household: the id is its id. */
    VIPA_HOLDER_COLLECTIVE = 2, /**< A village collective (村集体): the id is the village's code. */
    VIPA_HOLDER_ENTITY = 3,     /**< The entity itself: the id is the entity's id. */
    VIPA_HOLDER_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_holder_kind;

/**
 * @brief A holder kind as the report spells a holder's key: "household", "collective",
 *        "entity" (since 0.4).
 * @param[in] kind A kind.
 * @return A static string; NULL for a value that is no kind.
 */
VIPA_API const char *vipa_holder_kind_name(vipa_holder_kind kind);

/** @brief Version of #vipa_transfer this header describes. */
#define VIPA_TRANSFER_VERSION 1

/** @brief An explicit transfer of shares in an entity from one holder to another. */
typedef struct vipa_transfer {
    /** Set to #VIPA_TRANSFER_VERSION (done by #VIPA_TRANSFER_INIT). */
    unsigned int version;
    /** The entity whose shares move: already in the context. */
    vipa_id entity;
    /** Kind of the holder giving shares. */
    vipa_holder_kind from_kind;
    /** Id of the holder giving shares (a code for a collective). */
    uint64_t from_id;
    /** Kind of the holder receiving shares. */
    vipa_holder_kind to_kind;
    /** Id of the holder receiving shares. */
    uint64_t to_id;
    /** Shares moved, in fen, > 0 and at most what the giver holds on `date`. */
    vipa_fen amount;
    /** The day the shares move. */
    vipa_date date;
} vipa_transfer;

/** @brief Initialiser for #vipa_transfer. */
#define VIPA_TRANSFER_INIT \
    { VIPA_TRANSFER_VERSION, 0, VIPA_HOLDER_NONE, 0, VIPA_HOLDER_NONE, 0, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_TRANSFER_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_TRANSFER_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_transfer_init(vipa_transfer *out, unsigned int version);

/**
 * @brief Adds share transfers, all or none. Each must leave the giver with no negative
 *        holding on its date or on any later date (later transfers included).
 * @param[in,out] ctx The context.
 * @param[in] transfers Array of @p n transfers, all of the same version; borrowed.
 * @param[in] n Number of transfers (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, holder kinds, giver = receiver, amount ≤ 0,
 *         date, a collective id that is not a village code, an entity holder other than
 *         the transfer's entity); #VIPA_E_RANGE for more shares than the giver holds
 *         (under the current profile); #VIPA_E_VERSION; #VIPA_E_NOT_FOUND for an unknown
 *         entity or holder; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_transfers(vipa_ctx *ctx, const vipa_transfer *transfers, size_t n);

/* ---- dividends, payments, other income ----------------------------------------------- */

/** @brief Version of #vipa_dividend this header describes. */
#define VIPA_DIVIDEND_VERSION 1

/**
 * @brief An entity's dividend for a year (每年按约定给贫困户分红, 二(三)): either a rate on
 *        the shares held on 31 December (each holder's due half away from zero), or a
 *        pool split exactly over all holders by their shares on 31 December.
 */
typedef struct vipa_dividend {
    /** Set to #VIPA_DIVIDEND_VERSION (done by #VIPA_DIVIDEND_INIT). */
    unsigned int version;
    /** The entity: already in the context. One dividend per entity and year. */
    vipa_id entity;
    /** The year, 1900..9999. */
    int year;
    /** The rate in basis points, ≥ 0; -1 when a pool is given instead. */
    vipa_bp rate_bp;
    /** The pool, ≥ 0; #VIPA_FEN_UNSET when a rate is given instead. */
    vipa_fen pool;
} vipa_dividend;

/** @brief Initialiser for #vipa_dividend. */
#define VIPA_DIVIDEND_INIT { VIPA_DIVIDEND_VERSION, 0, 0, -1, VIPA_FEN_UNSET }

/**
 * @brief Fills @p out as #VIPA_DIVIDEND_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_DIVIDEND_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_dividend_init(vipa_dividend *out, unsigned int version);

/**
 * @brief Adds dividends, all or none.
 * @param[in,out] ctx The context.
 * @param[in] dividends Array of @p n dividends, all of the same version; borrowed.
 * @param[in] n Number of dividends (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, year, neither or both of rate and pool, a
 *         negative one); #VIPA_E_VERSION; #VIPA_E_EXISTS for a second dividend of the
 *         entity in the year; #VIPA_E_NOT_FOUND; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_dividends(vipa_ctx *ctx, const vipa_dividend *dividends, size_t n);

/** @brief Version of #vipa_payment this header describes. */
#define VIPA_PAYMENT_VERSION 1

/**
 * @brief A payment for a year: under a linkage, or of a household's dividend from an
 *        entity. It counts in the year it names; for an evaluation, only when dated on
 *        or before the evaluation's date.
 */
typedef struct vipa_payment {
    /** Set to #VIPA_PAYMENT_VERSION (done by #VIPA_PAYMENT_INIT). */
    unsigned int version;
    /** The linkage paid under; 0 for a dividend payment. */
    vipa_id linkage;
    /** For a dividend payment: the paying entity; 0 otherwise. */
    vipa_id entity;
    /** For a dividend payment: the household paid; 0 otherwise. */
    vipa_id household;
    /** The year the payment is for: one the linkage is due in. */
    int year;
    /** The amount, ≥ 0. */
    vipa_fen amount;
    /** The day it was paid. */
    vipa_date date;
} vipa_payment;

/** @brief Initialiser for #vipa_payment. */
#define VIPA_PAYMENT_INIT { VIPA_PAYMENT_VERSION, 0, 0, 0, 0, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_PAYMENT_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_PAYMENT_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_payment_init(vipa_payment *out, unsigned int version);

/**
 * @brief Adds payments, all or none: the batch path for millions of payments.
 * @param[in,out] ctx The context.
 * @param[in] payments Array of @p n payments, all of the same version; borrowed.
 * @param[in] n Number of payments (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, both or neither of linkage and dividend
 *         fields, a year the linkage is not due in, date); #VIPA_E_RANGE for a negative
 *         amount; #VIPA_E_VERSION; #VIPA_E_NOT_FOUND for an unknown linkage, entity or
 *         household; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_payments(vipa_ctx *ctx, const vipa_payment *payments, size_t n);

/** @brief Version of #vipa_income this header describes. */
#define VIPA_INCOME_VERSION 1

/** @brief A household's other net income for a year (not from the linkages). */
typedef struct vipa_income {
    /** Set to #VIPA_INCOME_VERSION (done by #VIPA_INCOME_INIT). */
    unsigned int version;
    /** The household: already in the context. One record per household and year. */
    vipa_id household;
    /** The year, 1900..9999. */
    int year;
    /** Other net income (may be negative: a loss). */
    vipa_fen other;
} vipa_income;

/** @brief Initialiser for #vipa_income. */
#define VIPA_INCOME_INIT { VIPA_INCOME_VERSION, 0, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_INCOME_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_INCOME_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_income_init(vipa_income *out, unsigned int version);

/**
 * @brief Adds other incomes, all or none.
 * @param[in,out] ctx The context.
 * @param[in] incomes Array of @p n incomes, all of the same version; borrowed.
 * @param[in] n Number of incomes (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, year); #VIPA_E_VERSION; #VIPA_E_EXISTS for a
 *         second record of the household and year; #VIPA_E_NOT_FOUND; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_incomes(vipa_ctx *ctx, const vipa_income *incomes, size_t n);

/* ---- the ledger: figures derived from the records ---------------------------------- */

/** @brief Figures derived from a context's records; immutable once built, so any
 *  number of threads may read it at once. */
typedef struct vipa_ledger vipa_ledger;

/**
 * @brief Builds the ledger of a context in one pass: allocations of every injection,
 *        the share register, dividends due, and indexes of payments and incomes.
 *
 * The ledger borrows the context: it is valid until the context is changed (a record
 * added, a parameter set) or freed, and must be freed before then.
 * @param[out] out Receives the ledger, owned by the caller and freed with
 *             vipa_ledger_free(); NULL on failure.
 * @param[in,out] ctx The context (its error is set on failure).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_OVERFLOW when a sum
 *         does not fit (the message names the record); #VIPA_E_STATE when a share
 *         transfer leaves its giver short under the current profile (a poor share or
 *         remainder holder changed after the transfer was added); #VIPA_E_NOMEM.
 */
VIPA_API int vipa_ledger_build(vipa_ledger **out, vipa_ctx *ctx);

/**
 * @brief Frees a ledger. NULL is a no-op.
 * @param[in] ledger The ledger; invalid after the call.
 */
VIPA_API void vipa_ledger_free(vipa_ledger *ledger);

/**
 * @brief The amount due under a linkage in a year (`OBLIGATIONS_PAID`, 四(四)): 0 outside
 *        its years, outside its agreement's period when the agreement states one, and
 *        (for a result's ledger) from the year its agreement was terminated.
 * @param[out] due Receives the amount; unchanged on failure.
 * @param[in] ledger The ledger.
 * @param[in] linkage The linkage's id.
 * @param[in] year The year.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an
 *         unknown linkage.
 */
VIPA_API int vipa_ledger_linkage_due(vipa_fen *due, const vipa_ledger *ledger, vipa_id linkage,
                                     int year);

/**
 * @brief The amount paid under a linkage for a year, counting payments dated on or
 *        before @p cutoff (0: every payment).
 * @param[out] paid Receives the amount; unchanged on failure.
 * @param[in] ledger The ledger.
 * @param[in] linkage The linkage's id.
 * @param[in] year The year paid for.
 * @param[in] cutoff The last payment date counted, or 0 for none.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an
 *         unknown linkage.
 */
VIPA_API int vipa_ledger_linkage_paid(vipa_fen *paid, const vipa_ledger *ledger, vipa_id linkage,
                                      int year, vipa_date cutoff);

/**
 * @brief The dividend an entity owes a household for a year (`DIVIDEND_PAID_AS_AGREED`,
 *        二(三)): the dividend the entity declared on the shares held on 31 December, never
 *        less than the rate (`dividend_bp`) of each of its agreements in force that year on
 *        the shares that agreement's injections gave the household and it still holds
 *        (agreements in id order, half away from zero); 0 without either.
 * @param[out] due Receives the amount; unchanged on failure.
 * @param[in] ledger The ledger.
 * @param[in] entity The entity's id.
 * @param[in] household The household's id.
 * @param[in] year The year.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an
 *         unknown entity or household.
 */
VIPA_API int vipa_ledger_dividend_due(vipa_fen *due, const vipa_ledger *ledger, vipa_id entity,
                                      vipa_id household, int year);

/**
 * @brief The dividend an entity paid a household for a year, counting payments dated
 *        on or before @p cutoff (0: every payment).
 * @param[out] paid Receives the amount; unchanged on failure.
 * @param[in] ledger The ledger.
 * @param[in] entity The entity's id.
 * @param[in] household The household's id.
 * @param[in] year The year paid for.
 * @param[in] cutoff The last payment date counted, or 0 for none.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an
 *         unknown entity or household.
 */
VIPA_API int vipa_ledger_dividend_paid(vipa_fen *paid, const vipa_ledger *ledger, vipa_id entity,
                                       vipa_id household, int year, vipa_date cutoff);

/**
 * @brief A household's income for a year: every payment for the year (all kinds),
 *        dated on or before @p cutoff (0: all), plus its other income.
 * @param[out] income Receives the amount; unchanged on failure.
 * @param[in] ledger The ledger.
 * @param[in] household The household's id.
 * @param[in] year The year.
 * @param[in] cutoff The last payment date counted, or 0 for none.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an
 *         unknown household; #VIPA_E_OVERFLOW if the sum does not fit.
 */
VIPA_API int vipa_ledger_income(vipa_fen *income, const vipa_ledger *ledger, vipa_id household,
                                int year, vipa_date cutoff);

/**
 * @brief Whether a household meets the exit standard in a year: income ≥ the year's
 *        poverty line × members (totals compared, never per-capita roundings) and, when
 *        `exit.require_guarantees` is set, every guarantee held that year.
 * @param[out] meets Receives 1 or 0; unchanged on failure.
 * @param[out] line_total If not NULL, receives the line × members it was compared with.
 * @param[in] ledger The ledger.
 * @param[in] household The household's id.
 * @param[in] year The year.
 * @param[in] cutoff The last payment date counted, or 0 for none.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for an
 *         unknown household or a year without a poverty line (never a guess);
 *         #VIPA_E_OVERFLOW.
 */
VIPA_API int vipa_ledger_meets_standard(int *meets, vipa_fen *line_total, const vipa_ledger *ledger,
                                        vipa_id household, int year, vipa_date cutoff);

/**
 * @brief The shares a holder has in an entity at the end of a day.
 * @param[out] shares Receives the holding in fen; unchanged on failure.
 * @param[in] ledger The ledger.
 * @param[in] entity The entity's id.
 * @param[in] kind The holder's kind.
 * @param[in] holder The holder's id (a village code for a collective).
 * @param[in] date The day.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, a bad kind or date;
 *         #VIPA_E_NOT_FOUND for an unknown entity.
 */
VIPA_API int vipa_ledger_holding(vipa_fen *shares, const vipa_ledger *ledger, vipa_id entity,
                                 vipa_holder_kind kind, uint64_t holder, vipa_date date);

/**
 * @brief Number of allocations (every injection's parts, households and remainder).
 * @param[in] ledger The ledger.
 * @return The count; 0 if @p ledger is NULL.
 */
VIPA_API size_t vipa_ledger_allocation_count(const vipa_ledger *ledger);

/**
 * @brief Allocation @p i, in order of injection id, then households by id, then the
 *        remainder holder.
 * @param[out] injection Receives the injection's id.
 * @param[out] kind Receives the holder's kind.
 * @param[out] holder Receives the holder's id (a code for a collective).
 * @param[out] amount Receives the shares allocated, in fen.
 * @param[in] ledger The ledger.
 * @param[in] i Index below vipa_ledger_allocation_count().
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_RANGE if @p i is out
 *         of range. Outputs are unchanged on failure.
 */
VIPA_API int vipa_ledger_allocation(vipa_id *injection, vipa_holder_kind *kind, uint64_t *holder,
                                    vipa_fen *amount, const vipa_ledger *ledger, size_t i);

/**
 * @brief Coverage of a core village in a year (`COVERAGE_CORE_VILLAGE`, 一; 二(三)): its
 *        poor, not-yet-exited households willing to develop an industry, and how many
 *        of them have a linkage due that year under a signed agreement in force.
 * @param[out] willing Receives the number of willing households.
 * @param[out] covered Receives the number of those covered.
 * @param[in] ledger The ledger.
 * @param[in] village The village's code.
 * @param[in] year The year.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND for a
 *         village not in the context. Outputs are unchanged on failure.
 */
VIPA_API int vipa_ledger_coverage(size_t *willing, size_t *covered, const vipa_ledger *ledger,
                                  vipa_area_code village, int year);

/**
 * @brief Checks the money rules for a year as of a cut-off date and returns the
 *        findings: `LINKAGE_UNDER_AGREEMENT`, `EQUITY_POOR_SHARE`,
 *        `DIVIDEND_PAID_AS_AGREED`, `OBLIGATIONS_PAID`, `COVERAGE_CORE_VILLAGE`.
 * @param[out] out Receives the list, owned by the caller, freed with vipa_findings_free().
 * @param[in] ledger The ledger.
 * @param[in] year The year checked.
 * @param[in] cutoff The last payment date counted, or 0 for none.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_ledger_check(vipa_findings **out, const vipa_ledger *ledger, int year,
                               vipa_date cutoff);

VIPA_END_DECL

#endif /* VIPA_LEDGER_H */
