/*
 * The registry module's internals (registry.c, registry_records.c): the context's
 * layout, the profile and every record kind as a compact array with an id → index hash
 * (the kinds the modules above add included), and the helpers every module that adds
 * records shares (failing with a message, all-or-nothing batches, record names, the
 * checks of one field). Internal; shared by the modules that read or add records.
 * Record structs put their key (a uint64_t) first, for vipa__idmap.
 */
#ifndef VIPA_REGISTRY_INTERNAL_H
#define VIPA_REGISTRY_INTERNAL_H

#include <stdarg.h>

#include "date_internal.h"
#include "money_internal.h"
#include "store_internal.h"
#include "vipa/agreement.h"
#include "vipa/ledger.h"
#include "vipa/registry.h"
#include "vocab_internal.h"

/* ---- profile -------------------------------------------------------------------- */

/* vipa__remainder_holder, the profile's own enumeration, lives in vocab_internal.h with
 * its words; `equity.allocation` is the public vipa_allocation. */

typedef struct vipa__line {
    int32_t year;
    vipa_fen per_person;
} vipa__line;

typedef struct vipa__profile {
    const char *name;
    vipa_bp poor_share_bp;
    /* equity.allocation: VIPA_ALLOCATION_PER_HOUSEHOLD or _PER_MEMBER, the values an
     * injection's own allocation takes, so an injection that defers to the profile
     * (VIPA_ALLOCATION_PROFILE) takes this value as it is. */
    vipa_allocation allocation;
    vipa__remainder_holder remainder_holder;
    int require_guarantees;
    vipa__line *lines; /* sorted by year */
    size_t line_count, line_capacity;
} vipa__profile;

/* ---- records ---------------------------------------------------------------------- */

typedef struct area_rec {
    vipa_area_code code;
    uint32_t name;     /* arena offset */
    uint32_t industry; /* arena offset, VIPA_NO_TEXT if none */
    uint8_t level;     /* vipa_area_level */
} area_rec;

typedef struct entity_rec {
    vipa_id id;
    vipa_area_code core_village;
    uint32_t name, industry, uscc; /* arena offsets */
    uint8_t kind;
    uint8_t selection;
} entity_rec;

/* 16 bytes: the record a province has millions of (24 with a byte or two per field; 8
 * bytes a household). Each field in the bits its range needs (docs/limits.md): an area
 * index is below VIPA_RECORDS_MAX = 2^27 - 1, a year 0 or 1900..9999 < 2^14, members and
 * labour 1..99 and 0..members < 2^7, a cause 1..11 < 2^4. A bit-field narrower than int
 * reads as an int. */
typedef struct household_rec {
    vipa_id id;
    unsigned int village : 27; /* index into areas */
    unsigned int cause : 4;
    unsigned int willing : 1;
    unsigned int exited_year : 14;
    unsigned int members : 7;
    unsigned int labour : 7;
} household_rec;
_Static_assert(VIPA_RECORDS_MAX < (1u << 27), "an area index fits a household's 27 bits");
_Static_assert(VIPA_YEAR_MAX < (1 << 14), "a year fits 14 bits");
_Static_assert(VIPA_MEMBERS_MAX < (1 << 7), "members fit 7 bits");
_Static_assert(VIPA_CAUSE_LACK_OF_DRIVE < (1 << 4), "a cause fits 4 bits");

/* 8 bytes, one a household and year in a province (16 with the guarantees in a byte of
 * their own beside the key): the key (vipa__year_key: a household index < 2^27 and a
 * year, 43 bits) above the five bits of the guarantees. The id map reads the key alone
 * (VIPA_KEYED shifts the guarantees out); vipa__assured_key and vipa__assured_items
 * read the two. */
enum { VIPA_ASSURED_ITEM_BITS = 5 };
typedef struct assured_rec {
    uint64_t key_items; /* vipa__year_key(household, year) << 5 | items */
} assured_rec;
_Static_assert(VIPA_ASSURED_ITEMS_ALL < (1 << VIPA_ASSURED_ITEM_BITS), "the guarantees fit 5 bits");
_Static_assert(VIPA_RECORDS_MAX < (1u << 27), "a household index fits 27 bits of a year key");

typedef struct agreement_rec {
    vipa_id id;
    vipa_area_code signer_area;
    int64_t household_count; /* -1: not stated */
    uint32_t entity;         /* index */
    uint32_t first_household, household_len; /* slice of ctx->agreement_households, sorted */
    uint32_t project_count, support_count;
    uint32_t first_support, support_len; /* slice of ctx->agreement_support; len 0: no texts */
    vipa_date start, end, signed_on;
    int32_t exit_deadline;
    int32_t dividend_bp; /* agreed annual dividend rate (二(三)); 0: none */
    uint8_t signer_level;
} agreement_rec;

/* 32 bytes, one per household and agreement: its household and agreement are read from
 * its key (vipa__plan_household, vipa__plan_agreement), not kept twice; the exit target
 * (0 or a year < 2^14) and the filing bits (three) share a word. */
typedef struct plan_rec {
    uint64_t key; /* vipa__plan_key: household index << 32 | agreement index */
    uint32_t industry_count, measure_count, person_task_count;
    uint32_t first_task, task_len; /* slice of ctx->plan_tasks, sorted by year */
    unsigned int exit_target : 14;
    unsigned int filed : 3;
} plan_rec;
_Static_assert(VIPA_FILED_ALL < (1 << 3), "the filing bits fit 3 bits");
_Static_assert(sizeof(plan_rec) == 32, "a plan in 32 bytes: one a household in a province");

/* A plan's key, from the indexes of its household and agreement: each a uint32_t index
 * below VIPA_RECORDS_MAX, so the two halves never overlap. */
static inline uint64_t vipa__plan_key(uint32_t household, uint32_t agreement)
{
    return (uint64_t)household << 32 | agreement;
}

static inline uint32_t vipa__plan_household(const plan_rec *p)
{
    return (uint32_t)(p->key >> 32);
}

static inline uint32_t vipa__plan_agreement(const plan_rec *p)
{
    return (uint32_t)p->key;
}

typedef struct plan_task_rec {
    int32_t year;
    uint8_t has_income; /* 0: the task states no income target */
    vipa_fen income;
} plan_task_rec;

/* ---- money records (ledger.c, ledger_equity.c) and evaluations (run.c) ------------------- */

/* Amount due per year is derived: WAGE with units > 0 is amount × units (days);
 * LAND_RENT is amount (per mu) × units (0.01 mu), half away from zero; otherwise amount. */
/* 32 bytes, three a household in a province: its years (< 2^14) and kind share a word. */
typedef struct linkage_rec {
    vipa_id id;
    vipa_fen amount;
    uint32_t household, agreement; /* indexes; the entity is the agreement's */
    uint32_t units;                /* days worked or area in 0.01 mu; 0 when unused */
    unsigned int from_year : 14;
    unsigned int to_year : 14;
    unsigned int kind : 4;         /* vipa_linkage_kind */
} linkage_rec;
_Static_assert(VIPA_LINKAGE_PARTICIPATION < (1 << 4), "a linkage kind fits 4 bits");

typedef struct injection_rec {
    vipa_id id;
    vipa_fen amount;
    uint32_t entity, agreement;
    uint32_t first_household, household_len; /* slice of ctx->injection_households; len 0: the agreement's */
    uint32_t first_weight;                   /* slice of ctx->injection_weights (VIPA_ALLOCATION_WEIGHTS) */
    vipa_date date;
    uint8_t allocation;                      /* vipa_allocation */
} injection_rec;

typedef struct contribution_rec {
    vipa_fen value;
    uint32_t household, entity, agreement; /* agreement VIPA_NO_INDEX when none */
    vipa_date date;
    uint8_t kind;
} contribution_rec;

typedef struct transfer_rec {
    uint64_t from_id, to_id;
    vipa_fen amount;
    uint32_t entity;
    vipa_date date;
    uint8_t from_kind, to_kind; /* vipa_holder_kind */
} transfer_rec;

typedef struct dividend_rec {
    uint64_t key; /* entity index << 16 | year */
    vipa_fen pool; /* VIPA_FEN_UNSET with a rate */
    int32_t rate_bp; /* -1 with a pool */
} dividend_rec;

/* 16 bytes (was 24): one per linkage-year in a province, so four a household and
 * millions in all. The amount, then one word of bits, read only through the accessors
 * below (vipa__payment_year, ...):
 *   bits  0..26  target: the linkage's index, or for a dividend the index of its entity
 *                and household in ctx->payment_dividends (both below VIPA_RECORDS_MAX)
 *   bit  27      1 for a dividend
 *   bits 28..40  the year the payment is for, less 1900 (a checked year, never 0)
 *   bits 41..62  the day paid as (year - 1900) << 9 | month << 5 | day, which orders as
 *                YYYYMMDD does and gives it back exactly
 * A linkage payment's household is its linkage's (the add takes no other), so it is not
 * stored; a dividend names an entity and a household, two indexes that do not fit beside
 * the rest, so they are kept apart: 8 bytes for one payment in four. A word of masks
 * rather than bit-fields: a uint64_t bit-field is a GCC extension (-Wpedantic). */
typedef struct payment_rec {
    vipa_fen amount;
    uint64_t bits;
} payment_rec;

/* A dividend payment's entity and household (indexes), in ctx->payment_dividends. */
typedef struct payment_dividend_rec {
    uint32_t entity, household;
} payment_dividend_rec;

#define VIPA_PAYMENT_TARGET_BITS 27
#define VIPA_PAYMENT_DIVIDEND_SHIFT 27
#define VIPA_PAYMENT_YEAR_SHIFT 28
#define VIPA_PAYMENT_YEAR_BITS 13
#define VIPA_PAYMENT_DATE_SHIFT 41
#define VIPA_PAYMENT_DATE_BITS 22
#define VIPA_PAYMENT_MASK(bits) ((UINT64_C(1) << (bits)) - 1)
_Static_assert(VIPA_RECORDS_MAX <= VIPA_PAYMENT_MASK(VIPA_PAYMENT_TARGET_BITS),
               "a linkage index, and the index of a dividend payment's pair (below the "
               "payments' count), fit a payment's 27 bits");
_Static_assert(VIPA_YEAR_MAX - VIPA_YEAR_MIN <= VIPA_PAYMENT_MASK(VIPA_PAYMENT_YEAR_BITS),
               "a payment's year less 1900 fits 13 bits");
_Static_assert(((VIPA_YEAR_MAX - VIPA_YEAR_MIN) << 9 | 12 << 5 | 31) <=
               VIPA_PAYMENT_MASK(VIPA_PAYMENT_DATE_BITS),
               "a packed day of 1900..9999 fits 22 bits");
_Static_assert(VIPA_PAYMENT_DATE_SHIFT + VIPA_PAYMENT_DATE_BITS <= 64 &&
               VIPA_PAYMENT_YEAR_SHIFT + VIPA_PAYMENT_YEAR_BITS <= VIPA_PAYMENT_DATE_SHIFT &&
               VIPA_PAYMENT_DIVIDEND_SHIFT < VIPA_PAYMENT_YEAR_SHIFT &&
               VIPA_PAYMENT_TARGET_BITS <= VIPA_PAYMENT_DIVIDEND_SHIFT,
               "a payment's fields do not overlap");
_Static_assert(sizeof(payment_rec) == 16, "a payment is 16 bytes");

typedef struct income_rec {
    uint64_t key; /* household index << 16 | year */
    vipa_fen other;
} income_rec;

/* A scheduled annual evaluation (四(五)) of a year, on a date; a re-check covers only
 * the agreements in rectification for the year. */
typedef struct evaluation_rec {
    vipa_date date;
    int32_t year;
    uint8_t recheck;
} evaluation_rec;

/* A growable array without an id map. */
#define VIPA_LIST(type)  \
    struct {             \
        type *items;     \
        size_t count;    \
        size_t capacity; \
    }

/* One record kind: items, count, capacity, and its id map. */
#define VIPA_TABLE(type) \
    struct {             \
        type *items;     \
        size_t count;    \
        size_t capacity; \
        vipa__idmap map;  \
    }

typedef VIPA_LIST(uint32_t) index_list;
typedef VIPA_LIST(uint64_t) weight_list;

/* ---- the record kinds ----------------------------------------------------------------- */

/*
 * Every record kind, one line each (as libuv's UV_HANDLE_TYPE_MAP). Generated from it:
 * the context's arrays and their mark, rollback and free (registry.c), what the batch
 * adds know of each kind (vipa__record_kinds), the vipa_<singular>_init functions
 * (init.c), the stamp's walk (run_stamp.c), the exporter's (scenario_export.c), the
 * loader's steps and top-level keys (scenario_load.c), and the adders of the limits and
 * properties tests. A new kind is one line here plus its own code: its add (validation),
 * its loader fields and descriptor, its export writer, its stamp row.
 *
 * The order is the scenario contract's: every record's references come before it. The
 * loader adds in this order, the exporter writes in it and the stamp hashes in it, so
 * the order is part of every exported text and stamp: a new kind goes after the kinds
 * its records name, and changes both (its key and its count are written even when 0).
 *
 * X(plural, singular, SINGULAR, storage, key, sizes, scenario):
 *   plural    the batch's name in messages, the context's field, vipa_ctx_add_<plural>
 *             and (own key) the scenario's top-level key
 *   singular  the public struct vipa_<singular>, the stored record <singular>_rec
 *   SINGULAR  VIPA_<SINGULAR>_VERSION, VIPA_<SINGULAR>_INIT and VIPA_KIND_<SINGULAR>
 *   storage   TABLE: with an id map on the record's field `key`; LIST: no id map (key none)
 *   sizes     sizeof each version of the public struct (registry.c), or NULL at version 1
 *   scenario  OWN_KEY: a top-level list of the scenario; NESTED: inside another kind's
 *             records (a household's "assured"), read and written by that kind's code
 */
#define VIPA_RECORD_KINDS(X)                                                              \
    X(areas,         area,         AREA,         TABLE, code, NULL,                  OWN_KEY) \
    X(entities,      entity,       ENTITY,       TABLE, id,   NULL,                  OWN_KEY) \
    X(households,    household,    HOUSEHOLD,    TABLE, id,   NULL,                  OWN_KEY) \
    X(assured,       assured,      ASSURED,      TABLE, key_items, NULL,             NESTED)  \
    X(agreements,    agreement,    AGREEMENT,    TABLE, id,   vipa__agreement_sizes, OWN_KEY) \
    X(plans,         plan,         PLAN,         TABLE, key,  NULL,                  OWN_KEY) \
    X(linkages,      linkage,      LINKAGE,      TABLE, id,   NULL,                  OWN_KEY) \
    X(injections,    injection,    INJECTION,    TABLE, id,   NULL,                  OWN_KEY) \
    X(contributions, contribution, CONTRIBUTION, LIST,  none, NULL,                  OWN_KEY) \
    X(transfers,     transfer,     TRANSFER,     LIST,  none, NULL,                  OWN_KEY) \
    X(dividends,     dividend,     DIVIDEND,     TABLE, key,  NULL,                  OWN_KEY) \
    X(payments,      payment,      PAYMENT,      LIST,  none, NULL,                  OWN_KEY) \
    X(incomes,       income,       INCOME,       TABLE, key,  NULL,                  OWN_KEY) \
    X(evaluations,   evaluation,   EVALUATION,   LIST,  none, NULL,                  OWN_KEY)

/* Each kind's index in vipa__record_kinds: VIPA_KIND_AREA, VIPA_KIND_ENTITY, ... */
#define VIPA_KIND_ENUM(plural, singular, SINGULAR, ...) VIPA_KIND_##SINGULAR,
enum { VIPA_RECORD_KINDS(VIPA_KIND_ENUM) VIPA_KIND_COUNT };
#undef VIPA_KIND_ENUM

#define VIPA_ERRMSG_SIZE 512

struct vipa_ctx {
    vipa__allocator alloc;
    vipa__profile profile;
    vipa__arena text;
    /* Each kind's records: VIPA_TABLE(area_rec) areas; ... */
#define VIPA_CTX_RECORDS(plural, singular, SINGULAR, storage, ...) \
    VIPA_##storage(singular##_rec) plural;
    VIPA_RECORD_KINDS(VIPA_CTX_RECORDS)
#undef VIPA_CTX_RECORDS
    /* The parts of records stored apart, each record holding its slice (first, len). */
    uint32_t *agreement_households;
    size_t agreement_household_count, agreement_household_capacity;
    index_list agreement_support; /* arena offsets of the support measures' texts */
    plan_task_rec *plan_tasks;
    size_t plan_task_count, plan_task_capacity;
    index_list injection_households; /* household indexes, as given */
    weight_list injection_weights;
    /* Each dividend payment's entity and household, in the order added (its `target`). */
    VIPA_LIST(payment_dividend_rec) payment_dividends;
    vipa_date as_of; /* the day the data were taken; 0: every year is complete */
    size_t borrowers; /* live ledgers (each result holds one) and forks, which read the
                       * records: the context refuses changes while any is alive; atomic,
                       * as a result may be freed on another thread than the context's */
    vipa_ctx *parent; /* a fork's (vipa_ctx_fork): whose records it reads; NULL otherwise */
    int errcode;
    char errmsg[VIPA_ERRMSG_SIZE];
    /* The name of the record a batch is adding, written out only when a message is
     * (vipa__record_name_later): what to write, and where. */
    struct {
        const char *kind, *first, *second;
        size_t index;
        uint64_t first_id, second_id;
        int pending;
        char text[96];
    } naming;
};

/* ---- helpers shared by the modules ----------------------------------------------- */

/* The key of a record that belongs to one year of another record (a household's
 * guarantees or other income of a year, an entity's dividend of a year): the other
 * record's index << 16 | the year, which fits 16 bits (1900..9999). */
static inline uint64_t vipa__year_key(uint32_t index, int year)
{
    return (uint64_t)index << 16 | (uint16_t)year;
}
_Static_assert(VIPA_YEAR_MAX <= UINT16_MAX, "a year fits the 16 bits of a year key");

static inline uint32_t vipa__key_index(uint64_t key)
{
    return (uint32_t)(key >> 16);
}

static inline int vipa__key_year(uint64_t key)
{
    return (int)(key & 0xffff);
}

/* A household's guarantees of a year as stored: its key (27 + 16 bits) above its items. */
static inline assured_rec vipa__assured(uint32_t household, int year, unsigned int items)
{
    return (assured_rec){vipa__year_key(household, year) << VIPA_ASSURED_ITEM_BITS | items};
}
_Static_assert(27 + 16 + VIPA_ASSURED_ITEM_BITS <= 64, "an assured record's key and items fit");

static inline uint64_t vipa__assured_key(const assured_rec *a)
{
    return a->key_items >> VIPA_ASSURED_ITEM_BITS;
}

static inline unsigned int vipa__assured_items(const assured_rec *a)
{
    return (unsigned int)(a->key_items & ((1u << VIPA_ASSURED_ITEM_BITS) - 1));
}

/* VIPA_OK if the context's records may change (it is no fork, and no ledger, result or
 * fork of it is alive), else fails with VIPA_E_STATE saying why: `what` is the change
 * refused ("add households"). */
int vipa__ctx_mutable(vipa_ctx *ctx, const char *what);

/* VIPA_OK if the context's profile may change (no ledger, result or fork of it is alive:
 * a fork's own profile may), else fails with VIPA_E_STATE as vipa__ctx_mutable does. */
int vipa__profile_mutable(vipa_ctx *ctx, const char *what);

/* Counts a ledger reading the context in (+1) or out (-1). */
void vipa__ctx_borrow(vipa_ctx *ctx, int delta);

/* Records the failure of the current call on ctx and returns code. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int vipa__fail(vipa_ctx *ctx, int code, const char *format, ...);
/* Marks the current call on ctx as successful and returns VIPA_OK. */
int vipa__succeed(vipa_ctx *ctx);

/* How far a table's keys sit above the field that shares their word: only a household's
 * guarantees keep one there. */
#define VIPA_KEY_SHIFT(table) \
    _Generic((table).items, assured_rec *: VIPA_ASSURED_ITEM_BITS, default: 0)
#define VIPA_KEYED(table) \
    ((vipa__keyed){(table).items, (uint32_t)sizeof *(table).items, VIPA_KEY_SHIFT(table)})

/* Reserves room for `more` records in a table (array and map); all or nothing. */
#define VIPA_TABLE_RESERVE(ctx, table, more)                                                 \
    vipa__table_reserve(&(ctx)->alloc, &(table).items, &(table).capacity,                  \
                        &(table).map, (table).count, (more), sizeof *(table).items,       \
                        VIPA_KEY_SHIFT(table))
int vipa__table_reserve(const vipa__allocator *a, void *items_field, size_t *capacity,
                        vipa__idmap *map, size_t count, size_t more, size_t item_size,
                        unsigned int key_shift);

/* Reserves room for `more` items in a list of records without ids (payments, transfers...):
 * VIPA_OK, VIPA_E_NOMEM, or VIPA_E_LIMIT past VIPA_RECORDS_MAX records like any kind. */
#define VIPA_LIST_RESERVE(ctx, list, more) \
    vipa__list_reserve(&(ctx)->alloc, &(list).items, &(list).capacity, (list).count, (more), \
                       sizeof *(list).items, VIPA_RECORDS_MAX)
/* The same for the parts of a record stored apart (an injection's households), bounded by
 * their uint32_t offsets only. */
#define VIPA_PARTS_RESERVE(ctx, list, more) \
    vipa__list_reserve(&(ctx)->alloc, &(list).items, &(list).capacity, (list).count, (more), \
                       sizeof *(list).items, UINT32_MAX)
int vipa__list_reserve(const vipa__allocator *a, void *items_field, size_t *capacity, size_t count,
                       size_t more, size_t item_size, size_t limit);

/* Index of a record by key, or VIPA_NO_INDEX. */
#define VIPA_TABLE_FIND(table, key) vipa__idmap_find(&(table).map, VIPA_KEYED(table), (key))

/* Appends a record whose room is reserved and whose key is not present. */
#define VIPA_TABLE_PUSH(table, record, key)                                                 \
    do {                                                                                    \
        (table).items[(table).count] = (record);                                            \
        vipa__idmap_insert(&(table).map, VIPA_KEYED(table), (key), (uint32_t)(table).count); \
        (table).count++;                                                                    \
    } while (0)

/* Takes back the records added since `count` (newest first), for all-or-nothing adds. */
#define VIPA_TABLE_TRUNCATE(table, old_count, key_field)                                    \
    do {                                                                                    \
        while ((table).count > (old_count)) {                                               \
            (table).count--;                                                                \
            vipa__idmap_remove(&(table).map, VIPA_KEYED(table),                             \
                               vipa__keyed_key(VIPA_KEYED(table), (uint32_t)(table).count)); \
        }                                                                                   \
    } while (0)

/* The same for a list: its count goes back. key_field is unused (a list has no map). */
#define VIPA_LIST_TRUNCATE(list, old_count, key_field) ((list).count = (old_count))

#define VIPA_TABLE_FREE(ctx, table)                 \
    do {                                            \
        vipa__free(&(ctx)->alloc, (table).items);  \
        vipa__idmap_free(&(ctx)->alloc, &(table).map); \
    } while (0)

#define VIPA_LIST_FREE(ctx, list) vipa__free(&(ctx)->alloc, (list).items)

/* Checks the version of record `index` of a batch of `kind` (e.g. "households"); the
 * library knows versions 1..known. Sets the error on failure. */
int vipa__check_version(vipa_ctx *ctx, const char *kind, size_t index, unsigned int version,
                        unsigned int known);

/* The poverty line per person of a year: VIPA_OK, or VIPA_E_NOT_FOUND (never a guess). */
int vipa__profile_line(const vipa__profile *profile, int year, vipa_fen *per_person);

/* Area index of a code, or VIPA_NO_INDEX. */
uint32_t vipa__area_find(const vipa_ctx *ctx, vipa_area_code code);

/* The ids of records by index, for writers that walk the stored records (stamp, export);
 * an agreement index of VIPA_NO_INDEX (none) gives 0. */
static inline uint64_t vipa__household_id(const vipa_ctx *ctx, uint32_t h)
{
    return ctx->households.items[h].id;
}

static inline uint64_t vipa__entity_id(const vipa_ctx *ctx, uint32_t e)
{
    return ctx->entities.items[e].id;
}

static inline uint64_t vipa__agreement_id(const vipa_ctx *ctx, uint32_t a)
{
    return a == VIPA_NO_INDEX ? 0 : ctx->agreements.items[a].id;
}

/* ---- a payment's fields (payment_rec) ------------------------------------------------ */

/* A payment as stored, from checked fields: a year and a real day of 1900..9999, and a
 * target below VIPA_RECORDS_MAX (the linkage's index, or the dividend's pair's). */
static inline payment_rec vipa__payment_pack(vipa_fen amount, uint32_t target, int is_dividend,
                                             int year, vipa_date date)
{
    uint64_t day = (uint64_t)(date / 10000 - VIPA_YEAR_MIN) << 9 |
                   (uint64_t)(date / 100 % 100) << 5 | (uint64_t)(date % 100);
    payment_rec p = {amount, (uint64_t)target |
                                 (uint64_t)(is_dividend != 0) << VIPA_PAYMENT_DIVIDEND_SHIFT |
                                 (uint64_t)(year - VIPA_YEAR_MIN) << VIPA_PAYMENT_YEAR_SHIFT |
                                 day << VIPA_PAYMENT_DATE_SHIFT};
    return p;
}

static inline int vipa__payment_is_dividend(const payment_rec *p)
{
    return (int)(p->bits >> VIPA_PAYMENT_DIVIDEND_SHIFT & 1);
}

/* The linkage's index, or the index of a dividend's pair in ctx->payment_dividends. */
static inline uint32_t vipa__payment_target(const payment_rec *p)
{
    return (uint32_t)(p->bits & VIPA_PAYMENT_MASK(VIPA_PAYMENT_TARGET_BITS));
}

/* The linkage paid under, or VIPA_NO_INDEX for a dividend. */
static inline uint32_t vipa__payment_linkage(const payment_rec *p)
{
    return vipa__payment_is_dividend(p) ? VIPA_NO_INDEX : vipa__payment_target(p);
}

/* The year the payment is for. */
static inline int vipa__payment_year(const payment_rec *p)
{
    return (int)(p->bits >> VIPA_PAYMENT_YEAR_SHIFT & VIPA_PAYMENT_MASK(VIPA_PAYMENT_YEAR_BITS)) +
           VIPA_YEAR_MIN;
}

/* The day paid, YYYYMMDD, exactly as added. */
static inline vipa_date vipa__payment_date(const payment_rec *p)
{
    uint32_t day = (uint32_t)(p->bits >> VIPA_PAYMENT_DATE_SHIFT);
    return (vipa_date)((day >> 9) + VIPA_YEAR_MIN) * 10000 + (vipa_date)(day >> 5 & 15) * 100 +
           (vipa_date)(day & 31);
}

/* A dividend payment's paying entity (index); only for a dividend. */
static inline uint32_t vipa__payment_entity(const vipa_ctx *ctx, const payment_rec *p)
{
    return ctx->payment_dividends.items[vipa__payment_target(p)].entity;
}

/* The household paid (index): a dividend's own, a linkage payment's linkage's. */
static inline uint32_t vipa__payment_household(const vipa_ctx *ctx, const payment_rec *p)
{
    uint32_t target = vipa__payment_target(p);
    return vipa__payment_is_dividend(p) ? ctx->payment_dividends.items[target].household
                                        : ctx->linkages.items[target].household;
}

/* The id a payment is made under: its linkage's, or a dividend's entity's. */
static inline uint64_t vipa__payment_under_id(const vipa_ctx *ctx, const payment_rec *p)
{
    return vipa__payment_is_dividend(p) ? vipa__entity_id(ctx, vipa__payment_entity(ctx, p))
                                        : ctx->linkages.items[vipa__payment_target(p)].id;
}

/* ---- all-or-nothing adds ------------------------------------------------------------ */

/* Record counts at a point in time: everything added since can be taken back. */
typedef struct vipa__mark {
#define VIPA_MARK_COUNT(plural, ...) size_t plural;
    VIPA_RECORD_KINDS(VIPA_MARK_COUNT) /* size_t areas; size_t entities; ... */
#undef VIPA_MARK_COUNT
    size_t agreement_households, agreement_support, plan_tasks;
    size_t injection_households, injection_weights, payment_dividends, text;
} vipa__mark;

vipa__mark vipa__ctx_mark(const vipa_ctx *ctx);
/* Takes back every record added since the mark (newest first). */
void vipa__ctx_rollback(vipa_ctx *ctx, const vipa__mark *mark);

/* A copy of the profile (its own lines), to put back with vipa__profile_restore, which
 * takes the copy over; free an unused copy's lines with vipa__free. VIPA_OK or NOMEM. */
int vipa__profile_save(const vipa_ctx *ctx, vipa__profile *copy);
void vipa__profile_restore(vipa_ctx *ctx, vipa__profile *saved);

/* What a batch add knows of a record kind, from the list (vipa__record_kinds, registry.c):
 * its name, struct and versions, and its reserve. A caller built against an older
 * header passes an array of older, shorter structs: the batch steps through it by the
 * size of the version the caller was built with (sizes[version - 1]) and hands the
 * kind's add a current struct whose newer fields keep their _INIT values (init). A kind
 * with one version has no sizes. */
typedef struct vipa__record_kind {
    const char *name;          /* as in messages: "households" */
    size_t item_size;          /* sizeof the current public struct */
    unsigned int known_version;
    const size_t *sizes;       /* [known_version]: sizeof each version's struct, or NULL */
    const void *init;          /* the current _INIT value */
    int (*reserve)(vipa_ctx *ctx, size_t n); /* room for n more records */
} vipa__record_kind;

extern const vipa__record_kind vipa__record_kinds[VIPA_KIND_COUNT];

/* sizeof each version of vipa_agreement (registry.c): the stride of a caller's array. */
extern const size_t vipa__agreement_sizes[VIPA_AGREEMENT_VERSION];

/* The largest public record struct a batch upgrades from an older version. */
#define VIPA_BATCH_ITEM_MAX 256

/* One kind's add of one record of a batch (its index): validate it fully, then append. */
typedef int (*vipa__add_one)(vipa_ctx *ctx, const void *item, size_t index);

/* Runs a batch of records of a kind (VIPA_KIND_HOUSEHOLD): on any failure every record
 * added by it is taken back, so the context is exactly as before, and the error names
 * the failing record. Every record of a batch has the version of the first (the
 * array's element type). */
int vipa__add_batch(vipa_ctx *ctx, int kind, vipa__add_one add_one, const void *items, size_t n);

/* The stages of asking ahead for the memory a record's add will read, each some records
 * before its add (15, 10, 5): the id map slots of its ids, then the records those slots
 * name, then the slot of a key made from a record found (the guarantees of a household's
 * index and a year). Each stage's reads arrive while the records between are added. */
enum { VIPA_AHEAD_SLOTS, VIPA_AHEAD_RECORDS, VIPA_AHEAD_KEYS, VIPA_AHEAD_STAGES };

/* Asks for the memory a record's add will read at one stage (vipa__idmap_prefetch,
 * vipa__idmap_prefetch_record): a hint with no effect on any result or on the context. */
typedef void (*vipa__add_ahead)(const vipa_ctx *ctx, const void *item, int stage);

/* vipa__add_batch with `ahead` called on each record at each stage before its add: on a
 * province, records name households and linkages in no order, so each lookup would wait
 * for memory; asked for early, the reads of several records overlap. */
int vipa__add_batch_ahead(vipa_ctx *ctx, int kind, vipa__add_one add_one, vipa__add_ahead ahead,
                          const void *items, size_t n);

/* Reports a failure to reserve room for n records of a kind. */
int vipa__reserve_failed(vipa_ctx *ctx, int rc, const char *kind, size_t n);

/* Fails with VIPA_E_NOT_FOUND, naming the record and the field, when a reference
 * (field `field`, value `id`) was not found. */
int vipa__need(vipa_ctx *ctx, uint32_t found, const char *where, const char *field, vipa_id id);

/* Validates non-empty UTF-8 text of a field. */
int vipa__check_text(vipa_ctx *ctx, const char *where, const char *field, const char *text);

/* Names record `index` of a batch of `kind` in messages, by its key: "households[3]
 * (id 1001)", an area by its code: "areas[0] (code 611002000000)". Returns buf. */
const char *vipa__record_name(char *buf, size_t size, const char *kind, size_t index, uint64_t id);

/* The name of vipa__record_name_refs for the record a batch is adding, in a buffer of the
 * context that vipa__fail fills before it writes a message: the pointer returned may go
 * wherever a message's record name goes, but is read only through vipa__fail (until
 * then it holds an earlier name). Naming each record before its checks, for a message it
 * almost never needs, was a seventh of loading a province even without snprintf. */
const char *vipa__record_name_later(vipa_ctx *ctx, const char *kind, size_t index,
                                    const char *first, uint64_t first_id, const char *second,
                                    uint64_t second_id);

/* Names a record by the ids it refers to, for a kind without an id of its own: "payments[3]"
 * (first NULL), "incomes[3] (household 1001)", "plans[3] (household 1001, agreement 7)"
 * (first and second name the ids; second NULL for one). Returns buf. */
const char *vipa__record_name_refs(char *buf, size_t size, const char *kind, size_t index,
                                   const char *first, uint64_t first_id, const char *second,
                                   uint64_t second_id);

/* The checks of one field that every kind of record shares; each fails with
 * VIPA_E_INVALID naming the record (`where`) and the field: an id is not 0; a year is
 * within VIPA_YEAR_RANGE; a date is a real day; the _or_zero forms also take 0, none. */
int vipa__check_id(vipa_ctx *ctx, const char *where, vipa_id id);
int vipa__check_year(vipa_ctx *ctx, const char *where, const char *field, int year);
int vipa__check_year_or_zero(vipa_ctx *ctx, const char *where, const char *field, int year);
int vipa__check_date(vipa_ctx *ctx, const char *where, const char *field, vipa_date date);
int vipa__check_date_or_zero(vipa_ctx *ctx, const char *where, const char *field, vipa_date date);

#endif /* VIPA_REGISTRY_INTERNAL_H */
