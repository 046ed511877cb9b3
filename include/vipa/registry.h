/**
 * @file vipa/registry.h
 * @brief The context: the profile and its parameters, areas, entities and households.
 *
 * A #vipa_ctx holds every record of one plan's data set. Records are added through
 * versioned input structs, alone or in batches (one call per kind loads a province).
 * Every add validates the whole input before it changes anything: on failure the
 * context is exactly as before and vipa_ctx_errmsg() names the record, the field and
 * what was expected. Ids are unique per kind (#VIPA_E_EXISTS); a reference to an id
 * or area that is not there is #VIPA_E_NOT_FOUND. The library copies what it keeps:
 * every pointer in an input struct is borrowed for the duration of the call only.
 *
 * No personal data is needed or kept: households are ids, villages and counts.
 */
#ifndef VIPA_REGISTRY_H
#define VIPA_REGISTRY_H

#include "area.h"
#include "common.h"
#include "date.h"
#include "money.h"

VIPA_BEGIN_DECL

/** @brief The opaque context. Created by vipa_ctx_new(), freed by vipa_ctx_free(). */
typedef struct vipa_ctx vipa_ctx;

/* ---- context ------------------------------------------------------------------- */

/** @brief Version of #vipa_ctx_options this header describes. */
#define VIPA_CTX_OPTIONS_VERSION 1

/**
 * @brief Options for vipa_ctx_new(). Initialise with #VIPA_CTX_OPTIONS_INIT, then set
 *        what differs; fields are only ever appended.
 */
typedef struct vipa_ctx_options {
    /** Set to #VIPA_CTX_OPTIONS_VERSION (done by #VIPA_CTX_OPTIONS_INIT). */
    unsigned int version;
    /** Built-in profile to start from; NULL or "shangluo-2016" (the only one so far). */
    const char *profile;
    /** Allocator, as in zlib and SQLite: all three set, or all NULL for malloc/realloc/free.
     *  Every allocation the library makes for the context and what is made from it goes
     *  through them, the texts handed to the caller included (docs/limits.md lists what
     *  cannot); vipa_free() gives a text back through free_fn, so the three must stay
     *  usable until the last text is freed, even after vipa_ctx_free().
     *  malloc_fn returns NULL on failure; the library then fails with #VIPA_E_NOMEM. */
    void *(*malloc_fn)(void *opaque, size_t size);
    /** Resizes a block from malloc_fn or realloc_fn (ptr may be NULL); NULL on failure. */
    void *(*realloc_fn)(void *opaque, void *ptr, size_t size);
    /** Frees a block from malloc_fn or realloc_fn (ptr may be NULL). */
    void (*free_fn)(void *opaque, void *ptr);
    /** Passed unchanged to the allocator functions. */
    void *allocator_opaque;
} vipa_ctx_options;

/** @brief Initialiser for #vipa_ctx_options: the defaults. */
#define VIPA_CTX_OPTIONS_INIT { VIPA_CTX_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL }

/**
 * @brief Fills @p out as #VIPA_CTX_OPTIONS_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_CTX_OPTIONS_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_ctx_options_init(vipa_ctx_options *out, unsigned int version);

/**
 * @brief Creates an empty context with a built-in profile.
 * @param[out] out Receives the new context, owned by the caller and freed with
 *             vipa_ctx_free(); set to NULL on failure.
 * @param[in] options Options, borrowed for the call; NULL for the defaults.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL or the allocator is only partly
 *         set; #VIPA_E_VERSION if the options' version is 0 or newer than the library;
 *         #VIPA_E_NOT_FOUND if the profile is not built in; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_ctx_new(vipa_ctx **out, const vipa_ctx_options *options);

/**
 * @brief Frees a context and everything it owns. NULL is a no-op.
 * @param[in] ctx The context; invalid after the call.
 */
VIPA_API void vipa_ctx_free(vipa_ctx *ctx);

/**
 * @brief The detail of the last failure of a call on this context.
 * @param[in] ctx The context (NULL gives a static text saying so).
 * @return A NUL-terminated UTF-8 message naming the record, the field and what was
 *         expected; "" if the last call succeeded. Owned by the context, valid until
 *         the next call on it.
 */
VIPA_API const char *vipa_ctx_errmsg(const vipa_ctx *ctx);

/**
 * @brief The status code of the last call on this context (#VIPA_OK after a success).
 * @param[in] ctx The context (NULL gives #VIPA_E_INVALID).
 * @return The code the last call returned.
 */
VIPA_API int vipa_ctx_errcode(const vipa_ctx *ctx);

/**
 * @brief Creates a context that reads @p parent's records in place and starts from a copy
 *        of its profile and `as_of`: a reform is its parameters changed.
 *
 * The fork's parameters change as any context's do (vipa_param_set_int(), ...,
 * vipa_reform_load() of scenario.h); its records do not: adding records, setting `as_of` or loading a
 * scenario into a fork fails with #VIPA_E_STATE. While the fork is alive the parent
 * counts it as a reader, as it does a result: the parent's records and parameters cannot
 * change (#VIPA_E_STATE) until vipa_ctx_free() frees the fork, which must come before the
 * parent's. A fork costs its profile, not its records. Runs of the fork and of its
 * parent may go on in different threads at once.
 * @param[out] out Receives the fork, freed with vipa_ctx_free(); NULL on failure.
 * @param[in,out] parent The context; a fork may be forked again. Its error is set.
 * @return #VIPA_OK; #VIPA_E_INVALID if an argument is NULL; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_ctx_fork(vipa_ctx **out, vipa_ctx *parent);

/**
 * @brief Whether a context is a fork (vipa_ctx_fork()).
 * @param[in] ctx The context.
 * @return 1 for a fork, 0 otherwise (and for NULL).
 */
VIPA_API int vipa_ctx_is_fork(const vipa_ctx *ctx);

/* ---- profile parameters --------------------------------------------------------- */

/** @brief The type of a profile parameter's value. */
typedef enum vipa_param_type {
    VIPA_PARAM_NONE = 0,  /**< Not a parameter. */
    VIPA_PARAM_INT = 1,   /**< An integer (`equity.poor_share_bp`, 0..10000). */
    VIPA_PARAM_BOOL = 2,  /**< 0 or 1 (`exit.require_guarantees`). */
    VIPA_PARAM_TEXT = 3,  /**< One of a fixed set of words (`equity.allocation`, `equity.remainder_holder`). */
    VIPA_PARAM_FEN = 4,   /**< An amount in fen, ≥ 0 (`poverty_line.<year>`, per person per year). */
    VIPA_PARAM_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_param_type;

/**
 * @brief The name of the profile the context started from, e.g. "shangluo-2016".
 * @param[in] ctx The context.
 * @return A static string; NULL if @p ctx is NULL.
 */
VIPA_API const char *vipa_profile_name(const vipa_ctx *ctx);

/**
 * @brief The type of a parameter key.
 * @param[in] ctx The context.
 * @param[in] key A key: `equity.poor_share_bp`, `equity.allocation`,
 *            `equity.remainder_holder`, `exit.require_guarantees` or
 *            `poverty_line.<year>` (year 1900..9999).
 * @return The type; #VIPA_PARAM_NONE for an unknown key or NULL arguments.
 */
VIPA_API vipa_param_type vipa_param_type_of(const vipa_ctx *ctx, const char *key);

/**
 * @brief Sets an integer parameter (`equity.poor_share_bp`: 0..10000 basis points, 三(二)).
 * @param[in,out] ctx The context.
 * @param[in] key The key; borrowed.
 * @param[in] value The value.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type; #VIPA_E_RANGE if the value is out of range. The context is
 *         unchanged on failure.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_param_set_int(vipa_ctx *ctx, const char *key, int64_t value);

/**
 * @brief Reads an integer parameter.
 * @param[out] value Receives the value; unchanged on failure.
 * @param[in,out] ctx The context (its error message is set on failure).
 * @param[in] key The key; borrowed.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type.
 */
VIPA_API int vipa_param_get_int(int64_t *value, vipa_ctx *ctx, const char *key);

/**
 * @brief Sets a boolean parameter (`exit.require_guarantees`).
 * @param[in,out] ctx The context.
 * @param[in] key The key; borrowed.
 * @param[in] value 0 or 1.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type; #VIPA_E_RANGE if @p value is neither 0 nor 1.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_param_set_bool(vipa_ctx *ctx, const char *key, int value);

/**
 * @brief Reads a boolean parameter.
 * @param[out] value Receives 0 or 1; unchanged on failure.
 * @param[in,out] ctx The context (its error message is set on failure).
 * @param[in] key The key; borrowed.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type.
 */
VIPA_API int vipa_param_get_bool(int *value, vipa_ctx *ctx, const char *key);

/**
 * @brief Sets a word parameter: `equity.allocation` ("per_household" or "per_member")
 *        or `equity.remainder_holder` ("village_collective" or "entity").
 * @param[in,out] ctx The context.
 * @param[in] key The key; borrowed.
 * @param[in] value The word; borrowed.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type; #VIPA_E_RANGE if the word is not one the key allows.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_param_set_text(vipa_ctx *ctx, const char *key, const char *value);

/**
 * @brief Reads a word parameter.
 * @param[out] value Receives a static string; unchanged on failure.
 * @param[in,out] ctx The context (its error message is set on failure).
 * @param[in] key The key; borrowed.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type.
 */
VIPA_API int vipa_param_get_text(const char **value, vipa_ctx *ctx, const char *key);

/**
 * @brief Sets an amount parameter: `poverty_line.<year>`, the line per person for that
 *        year in current prices (national standard; not in the plan).
 * @param[in,out] ctx The context.
 * @param[in] key The key; borrowed.
 * @param[in] value The amount in fen, ≥ 0.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type; #VIPA_E_RANGE if @p value is negative; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_param_set_fen(vipa_ctx *ctx, const char *key, vipa_fen value);

/**
 * @brief Reads an amount parameter.
 * @param[out] value Receives the amount; unchanged on failure.
 * @param[in,out] ctx The context (its error message is set on failure).
 * @param[in] key The key; borrowed.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, an unknown key or a key of
 *         another type; #VIPA_E_NOT_FOUND for a poverty line of a year that has none,
 *         with a message naming the key to set.
 */
VIPA_API int vipa_param_get_fen(vipa_fen *value, vipa_ctx *ctx, const char *key);

/**
 * @brief The poverty line per person of a year: `poverty_line.<year>`.
 * @param[out] value Receives the line in fen; unchanged on failure.
 * @param[in,out] ctx The context (its error message is set on failure).
 * @param[in] year The year.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_NOT_FOUND if no line
 *         is set for @p year (never a guess), the message naming the key to set.
 */
VIPA_API int vipa_poverty_line(vipa_fen *value, vipa_ctx *ctx, int year);

/**
 * @brief Sets the day the data were taken (`as_of`). Year Y is complete when it ended on
 *        or before that day (Y-12-31 ≤ as_of); the year run checks the money owed for
 *        every complete year (`OBLIGATIONS_PAID`, `DIVIDEND_PAID_AS_AGREED`, 四(四), 二(三)),
 *        counting the payments dated up to it. With none set (0, the default) every year
 *        is complete and every payment counts.
 * @param[in,out] ctx The context.
 * @param[in] as_of A real day YYYYMMDD in 1900..9999, or 0 for none.
 * @return #VIPA_OK; #VIPA_E_INVALID for a NULL context or a day that does not exist
 *         (the context unchanged).
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_set_as_of(vipa_ctx *ctx, vipa_date as_of);

/**
 * @brief The day the data were taken, as set by vipa_ctx_set_as_of().
 * @param[in] ctx The context.
 * @return The day, or 0 when none is set or @p ctx is NULL.
 */
VIPA_API vipa_date vipa_ctx_as_of(const vipa_ctx *ctx);

/* ---- areas ---------------------------------------------------------------------- */

/** @brief Version of #vipa_area this header describes. */
#define VIPA_AREA_VERSION 1

/** @brief An area to add: a county, a town or a village. */
typedef struct vipa_area {
    /** Set to #VIPA_AREA_VERSION (done by #VIPA_AREA_INIT). */
    unsigned int version;
    /** The 12-digit code; its shape must give `level`. */
    vipa_area_code code;
    /** The declared level; must match the code's shape. */
    vipa_area_level level;
    /** Name in UTF-8 (e.g. "商州区"), non-empty; borrowed for the call. */
    const char *name;
    /** For a town: its designated core industry (一镇一业, 二(二)), or NULL; must be
     *  NULL for other levels. UTF-8, borrowed for the call. */
    const char *industry;
} vipa_area;

/** @brief Initialiser for #vipa_area. */
#define VIPA_AREA_INIT { VIPA_AREA_VERSION, 0, VIPA_AREA_NONE, NULL, NULL }

/**
 * @brief Fills @p out as #VIPA_AREA_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_AREA_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_area_init(vipa_area *out, unsigned int version);

/**
 * @brief Adds areas, all or none. A town's county and a village's town and county
 *        must exist already or come earlier in the same batch.
 * @param[in,out] ctx The context.
 * @param[in] areas Array of @p n areas, all of the same version; borrowed.
 * @param[in] n Number of areas (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, bad UTF-8, empty name, level and code
 *         disagree, industry on a non-town); #VIPA_E_VERSION; #VIPA_E_EXISTS for a code
 *         already present; #VIPA_E_NOT_FOUND for a missing parent; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_areas(vipa_ctx *ctx, const vipa_area *areas, size_t n);

/**
 * @brief Number of areas in the context.
 * @param[in] ctx The context.
 * @return The count; 0 if @p ctx is NULL.
 */
VIPA_API size_t vipa_ctx_area_count(const vipa_ctx *ctx);

/* ---- entities ------------------------------------------------------------------- */

/** @brief The five kinds of operating entity (经营主体) the plan names (一). */
typedef enum vipa_entity_kind {
    VIPA_ENTITY_NONE = 0,          /**< Not a kind. */
    VIPA_ENTITY_ENTERPRISE = 1,    /**< Poverty-alleviation enterprise (扶贫企业). */
    VIPA_ENTITY_PARK = 2,          /**< Agricultural park (农业园区). */
    VIPA_ENTITY_COOPERATIVE = 3,   /**< Specialised cooperative (专业合作社). */
    VIPA_ENTITY_FAMILY_FARM = 4,   /**< Family farm (家庭农场). */
    VIPA_ENTITY_LARGE_GROWER = 5,  /**< Large grower (产业大户). */
    VIPA_ENTITY_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_entity_kind;

/** @brief Selection criteria of 三(二) (`ENTITY_SELECTION`), as bits of vipa_entity::selection. */
enum vipa_selection_flag {
    VIPA_SELECT_WELL_MANAGED = 1 << 0,         /**< 管理规范 */
    VIPA_SELECT_PROFITABLE = 1 << 1,           /**< 经营效益好 */
    VIPA_SELECT_FINANCIALLY_STRONG = 1 << 2,   /**< 经济实力强 */
    VIPA_SELECT_SOCIALLY_RESPONSIBLE = 1 << 3, /**< 社会责任心强 */
    VIPA_SELECT_TRUSTWORTHY = 1 << 4,          /**< 扶贫诚信度高 */
    VIPA_SELECT_WIDE_COVERAGE = 1 << 5,        /**< 覆盖贫困户广 */
    VIPA_SELECT_SUSTAINABLE = 1 << 6,          /**< 可持续发展能力强 */
    VIPA_SELECT_WILLING = 1 << 7,              /**< 有带动贫困对象脱贫增收意愿 */
    VIPA_SELECT_ALL = 0xff                     /**< All eight criteria met. */
};

/** @brief Version of #vipa_entity this header describes. */
#define VIPA_ENTITY_VERSION 1

/** @brief An operating entity to add. */
typedef struct vipa_entity {
    /** Set to #VIPA_ENTITY_VERSION (done by #VIPA_ENTITY_INIT). */
    unsigned int version;
    /** Positive id, unique among entities. */
    vipa_id id;
    /** Name in UTF-8, non-empty; borrowed for the call. */
    const char *name;
    /** One of the five kinds. */
    vipa_entity_kind kind;
    /** Unified social credit code (统一社会信用代码, GB 32100-2015), 18 characters with a
     *  valid check character, or NULL when not known; borrowed for the call. */
    const char *uscc;
    /** The core village (核心村): a village already in the context. */
    vipa_area_code core_village;
    /** The industry it works, in UTF-8, non-empty; borrowed for the call. */
    const char *industry;
    /** The selection criteria met, as #vipa_selection_flag bits. */
    unsigned int selection;
} vipa_entity;

/** @brief Initialiser for #vipa_entity. */
#define VIPA_ENTITY_INIT { VIPA_ENTITY_VERSION, 0, NULL, VIPA_ENTITY_NONE, NULL, 0, NULL, 0 }

/**
 * @brief Fills @p out as #VIPA_ENTITY_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_ENTITY_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_entity_init(vipa_entity *out, unsigned int version);

/**
 * @brief Adds entities, all or none.
 * @param[in,out] ctx The context.
 * @param[in] entities Array of @p n entities, all of the same version; borrowed.
 * @param[in] n Number of entities (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, id 0, bad kind, bad UTF-8, empty name or
 *         industry, selection bits outside #VIPA_SELECT_ALL, a malformed USCC or one
 *         whose check character is wrong); #VIPA_E_VERSION; #VIPA_E_EXISTS;
 *         #VIPA_E_NOT_FOUND for a core village that is not a village of the context;
 *         #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_entities(vipa_ctx *ctx, const vipa_entity *entities, size_t n);

/**
 * @brief Number of entities in the context.
 * @param[in] ctx The context.
 * @return The count; 0 if @p ctx is NULL.
 */
VIPA_API size_t vipa_ctx_entity_count(const vipa_ctx *ctx);

/**
 * @brief Checks a unified social credit code (GB 32100-2015): 18 characters of the
 *        31-character set (digits and capitals without I, O, S, V, Z) whose last one is
 *        the check character of the first 17 (weights 3^(i-1) mod 31).
 * @param[in] code NUL-terminated text; borrowed for the call.
 * @param[out] why If not NULL, receives a static sentence saying what is wrong (NULL
 *             when valid).
 * @return #VIPA_OK if valid; #VIPA_E_INVALID if @p code is NULL; #VIPA_E_PARSE if it is
 *         not 18 characters of the set; #VIPA_E_RANGE if the check character is wrong.
 */
VIPA_API int vipa_uscc_check(const char *code, const char **why);

/* ---- households ----------------------------------------------------------------- */

/** @brief Cause of poverty (致贫原因): the 11 codes of 建档立卡, 01–11 in order. */
typedef enum vipa_cause {
    VIPA_CAUSE_NONE = 0,            /**< Not a cause. */
    VIPA_CAUSE_ILLNESS = 1,         /**< 因病 */
    VIPA_CAUSE_DISABILITY = 2,      /**< 因残 */
    VIPA_CAUSE_SCHOOLING = 3,       /**< 因学 */
    VIPA_CAUSE_DISASTER = 4,        /**< 因灾 */
    VIPA_CAUSE_LACK_OF_LAND = 5,    /**< 缺土地 */
    VIPA_CAUSE_LACK_OF_WATER = 6,   /**< 缺水 */
    VIPA_CAUSE_LACK_OF_SKILLS = 7,  /**< 缺技术 */
    VIPA_CAUSE_LACK_OF_LABOUR = 8,  /**< 缺劳力 */
    VIPA_CAUSE_LACK_OF_CAPITAL = 9, /**< 缺资金 */
    VIPA_CAUSE_POOR_TRANSPORT = 10, /**< 交通条件落后 */
    VIPA_CAUSE_LACK_OF_DRIVE = 11,  /**< 自身发展动力不足 */
    VIPA_CAUSE_MAX_ENUM = 0x7fffffff /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_cause;

/** @brief Version of #vipa_household this header describes. */
#define VIPA_HOUSEHOLD_VERSION 1

/** @brief A registered poor household (贫困户) to add. No names, no ID numbers. */
typedef struct vipa_household {
    /** Set to #VIPA_HOUSEHOLD_VERSION (done by #VIPA_HOUSEHOLD_INIT). */
    unsigned int version;
    /** Positive id, unique among households. */
    vipa_id id;
    /** Its village: a village already in the context. */
    vipa_area_code village;
    /** Number of members, 1..#VIPA_MEMBERS_MAX. */
    int members;
    /** Members able to work, 0..members. */
    int labour;
    /** The main cause of poverty. */
    vipa_cause cause;
    /** 1 if it wants to develop an industry (有产业发展意愿), else 0. */
    int willing;
    /** The year it exited poverty, if it exited before the data set's years; 0 if not. */
    int exited_year;
} vipa_household;

/** @brief Initialiser for #vipa_household. */
#define VIPA_HOUSEHOLD_INIT { VIPA_HOUSEHOLD_VERSION, 0, 0, 0, 0, VIPA_CAUSE_NONE, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_HOUSEHOLD_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_HOUSEHOLD_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_household_init(vipa_household *out, unsigned int version);

/** @brief Largest number of members a household may have. */
#define VIPA_MEMBERS_MAX 99

/**
 * @brief Adds households, all or none: the batch path that loads a province in one call.
 * @param[in,out] ctx The context.
 * @param[in] households Array of @p n households, all of the same version; borrowed.
 * @param[in] n Number of households (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, id 0, members or labour out of range,
 *         bad cause, willing not 0/1, exit year outside 1900..9999); #VIPA_E_VERSION;
 *         #VIPA_E_EXISTS; #VIPA_E_NOT_FOUND for a village not in the context;
 *         #VIPA_E_LIMIT beyond #VIPA_RECORDS_MAX; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_households(vipa_ctx *ctx, const vipa_household *households, size_t n);

/**
 * @brief Number of households in the context.
 * @param[in] ctx The context.
 * @return The count; 0 if @p ctx is NULL.
 */
VIPA_API size_t vipa_ctx_household_count(const vipa_ctx *ctx);

/**
 * @brief Most records of one kind a context holds: 2^27 - 1, the most an id map slot of
 *        the library can name (it keeps the index + 1 in 27 bits under a 5-bit tag). The
 *        national register held 29.48 million households in 2014: at four payments a
 *        household that is 118 million payments, past the 10^8 of 0.4 and below this.
 *        Every `vipa_ctx_add_*` function returns #VIPA_E_LIMIT, before reading a record,
 *        for a batch that would take its kind past it (docs/limits.md).
 */
#define VIPA_RECORDS_MAX 134217727u

/** @brief Guarantees of the exit standard (两不愁三保障 and safe water), as bits. */
enum vipa_assured_item {
    VIPA_ASSURED_FOOD_CLOTHING = 1 << 0, /**< 不愁吃、不愁穿 */
    VIPA_ASSURED_EDUCATION = 1 << 1,     /**< 义务教育有保障 */
    VIPA_ASSURED_MEDICAL = 1 << 2,       /**< 基本医疗有保障 */
    VIPA_ASSURED_HOUSING = 1 << 3,       /**< 住房安全有保障 */
    VIPA_ASSURED_WATER = 1 << 4,         /**< 饮水安全有保障 */
    VIPA_ASSURED_ITEMS_ALL = 0x1f,       /**< Every guarantee held: the five bits of `items`. */
    /** @deprecated Alias of #VIPA_ASSURED_ITEMS_ALL, kept for the API: a flag that read
     *  like #VIPA_ASSURED_INIT and #VIPA_ASSURED_VERSION, the struct's macros. */
    VIPA_ASSURED_ALL = VIPA_ASSURED_ITEMS_ALL
};

/** @brief Version of #vipa_assured this header describes. */
#define VIPA_ASSURED_VERSION 1

/** @brief The guarantees a household held in a year. */
typedef struct vipa_assured {
    /** Set to #VIPA_ASSURED_VERSION (done by #VIPA_ASSURED_INIT). */
    unsigned int version;
    /** The household: already in the context. */
    vipa_id household;
    /** The year, 1900..9999; one record per household and year. */
    int year;
    /** The guarantees held, as #vipa_assured_item bits. */
    unsigned int items;
} vipa_assured;

/** @brief Initialiser for #vipa_assured. */
#define VIPA_ASSURED_INIT { VIPA_ASSURED_VERSION, 0, 0, 0 }

/**
 * @brief Fills @p out as #VIPA_ASSURED_INIT does, for callers that cannot use C macros (other
 *        languages' FFIs), in the libgit2 `*_options_init` style.
 * @param[out] out The struct to fill: one of the version given, whose fields (and no byte
 *             past them) are written.
 * @param[in] version The version the caller was built with, #VIPA_ASSURED_VERSION.
 * @return #VIPA_OK; #VIPA_E_INVALID if @p out is NULL; #VIPA_E_VERSION for version 0 or
 *         one newer than the library (@p out unchanged).
 */
VIPA_API int vipa_assured_init(vipa_assured *out, unsigned int version);

/**
 * @brief Records which guarantees households held in which years, all or none.
 * @param[in,out] ctx The context.
 * @param[in] assured Array of @p n records, all of the same version; borrowed.
 * @param[in] n Number of records (0 is a no-op).
 * @return #VIPA_OK; #VIPA_E_INVALID (NULL, year out of range, unknown bits);
 *         #VIPA_E_VERSION; #VIPA_E_NOT_FOUND for an unknown household; #VIPA_E_EXISTS
 *         for a second record of the same household and year; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_ctx_add_assured(vipa_ctx *ctx, const vipa_assured *assured, size_t n);

VIPA_END_DECL

#endif /* VIPA_REGISTRY_H */
