/*
 * The run module's internals: the result's layout, every list the report contract
 * names, sorted by id (then year), built once by vipa_run() and never changed.
 * Internal; shared by run.c (the run), run_result.c (building the lists, the
 * accessors), run_explain.c (explanations) and run_stamp.c (the stamp). The report
 * (scenario_report.c) reads a result only through the public accessors.
 */
#ifndef VIPA_RUN_INTERNAL_H
#define VIPA_RUN_INTERNAL_H

#include "ledger_internal.h"
#include "vipa/run.h"

typedef struct signer_row {
    vipa_id agreement;
    vipa_area_code area;
    uint8_t level;
} signer_row;

typedef struct entity_row {
    vipa_id id;
    vipa_date disqualified_on;
    uint32_t first_favoured, favoured_count; /* slice of result->favoured_years */
} entity_row;

typedef struct disclosure_row {
    vipa_id entity;
    vipa_fen equity;
    size_t households;
    uint32_t first_support, support_count; /* slice of result->support (text offsets) */
} disclosure_row;

/* Indexes, not ids (read from the context): the year's dividend_pair itself, which the
 * block takes (fill_dividends). The due and the paid are figured when read, as an
 * obligation's are (dividend_due, dividend_paid): 8 bytes a row, not 24 (issue #16). */
typedef dividend_pair dividend_row;

typedef struct coverage_row {
    vipa_area_code village;
    size_t willing, covered;
} coverage_row;

/* A failed check of an evaluation: the finding the run made of it, which holds its rule,
 * subject, expected and actual (4 bytes a failed check, not a copy of them in 24: issue
 * #16). The index the finding was added at until the findings are sorted, then where the
 * sort moved it (sort_findings, run_result.c); read through vipa__failed. */
typedef struct failed_row {
    uint32_t finding;
} failed_row;
_Static_assert(sizeof ((failed_row *)0)->finding == sizeof ((finding_rec *)0)->added,
               "a failed row holds every index a findings list gives (it refuses past 2^32 - 1)");

typedef struct evaluation_row {
    vipa_id agreement, entity;
    vipa_date date;
    uint32_t first_failed, failed_count; /* slice of result->failed */
    uint8_t recheck, outcome;
} evaluation_row;

#define VIPA_ROWS(type)  \
    struct {             \
        type *items;     \
        size_t count;    \
        size_t capacity; \
    }

typedef struct year_block {
    int year;
    uint8_t complete; /* ended on or before the context's as_of (all when none) */
    /* The linkages due or paid in the year, by id (indexes): their rows are figured when
     * read, from the ledger (vipa_result_year_obligation). */
    uint32_t *obligations;
    size_t obligation_count;
    /* The figures of the households not exited before the year, by id, one compact entry
     * a household (issue #16: 12 bytes, not the 32 of an id, an income, a line and a
     * flag): its index with YEAR_ROW_MEETS set when it meets the standard, and its income.
     * Its id is read from the context and its line is per_person × members when read
     * (the run has checked that product fits for every household before it got here). */
    uint32_t *household_rows;
    vipa_fen *household_incomes;
    size_t household_count;
    VIPA_ROWS(dividend_row) dividends;
    VIPA_ROWS(coverage_row) coverage;
    VIPA_ROWS(evaluation_row) evaluations;
    /* While the run evaluates (freed by vipa__result_year_scratch_free): each household's
     * other income of the year and whether it holds every guarantee the standard needs
     * (bit YEAR_HELD of held); NULL when not computed. per_person: the year's line
     * (kept: the household rows' lines are figured from it). */
    vipa_fen *other;
    uint8_t *held;
    vipa_fen per_person;
} year_block;

enum { YEAR_FIGURED = 1, YEAR_MEETS = 2, YEAR_HELD = VIPA_YEAR_HELD };

/* The bit of a household row that says it meets the standard: above every index. */
#define YEAR_ROW_MEETS (1u << 31)
_Static_assert(VIPA_RECORDS_MAX < YEAR_ROW_MEETS, "a household index leaves the row's top bit");

/* Frees every year's other and held (the evaluations are done). */
void vipa__result_year_scratch_free(vipa_result *result);

struct vipa_result {
    vipa__allocator alloc;
    vipa_ctx *ctx;       /* borrowed: explanations read its records */
    vipa_date as_of;     /* the context's as_of when it ran: what its figures count to */
    vipa_ledger *ledger; /* owned: the figures behind every list */
    char library[16], profile[32], profile_sha256[65], input_sha256[65];
    VIPA_ROWS(signer_row) signers;
    /* The households by id (indexes): the result's household list, each read with its id
     * from the context and its exit year from ledger->exit_years (no copy of either). */
    uint32_t *household_order;
    size_t household_count;
    VIPA_ROWS(entity_row) entities;
    VIPA_ROWS(int32_t) favoured_years;
    VIPA_ROWS(disclosure_row) disclosure;
    VIPA_ROWS(uint32_t) support; /* offsets into ctx->text of the disclosed measures */
    VIPA_ROWS(failed_row) failed;
    year_block *years;
    size_t year_count;
    vipa_findings *findings;
};

/* The text at an offset of a failed check's finding (expected, actual): NULL for none. */
static inline const char *vipa__failed_text(const vipa_result *result, uint32_t offset)
{
    return vipa__arena_get(&result->findings->text, offset);
}

/* Failed check k (of result->failed): its finding. */
static inline const finding_rec *vipa__failed(const vipa_result *result, size_t k)
{
    return &result->findings->items[result->failed.items[k].finding];
}

/* Grows a VIPA_ROWS list by one and returns the new slot (zeroed), or NULL. */
#define VIPA_ROWS_PUSH(alloc, rows)                                                        \
    (vipa__list_reserve((alloc), &(rows).items, &(rows).capacity, (rows).count, 1,         \
                        sizeof *(rows).items, SIZE_MAX) == VIPA_OK                         \
         ? memset(&(rows).items[(rows).count++], 0, sizeof *(rows).items)                  \
         : NULL)

/* ---- building (run_result.c), in the order vipa_run() calls them ------------------------ */

/* A new result for ctx: its ledger built, an empty findings list. Sets ctx's error. */
int vipa__result_new(vipa_result **out, vipa_ctx *ctx);

/* The years of the run: every year with a linkage due, a declared or agreed dividend, a
 * plan task, a payment, other income or an evaluation; each must have a poverty line
 * (VIPA_E_NOT_FOUND naming the parameter otherwise). */
int vipa__result_years(vipa_result *result);

/* Each year's household figures at the final count, and the exit years they give
 * (ledger->exit_years), in ascending years so an exited household leaves later years. */
int vipa__result_household_years(vipa_result *result);

/* Every other list (signers, households, entities with favoured years from the counts of
 * plain and compliant evaluations per year × entity, disclosure, dividends, coverage),
 * the DISQUALIFIED_NO_SUPPORT and DISCLOSURE findings, and the final sorting. */
int vipa__result_lists(vipa_result *result, const uint32_t *evaluated, const uint32_t *compliant);

/* ---- the evaluation's own rules (run.c), shared with explanations ------------------- */

/* The plan (index) of a household (index) under an agreement (index), or VIPA_NO_INDEX. */
uint32_t vipa__plan_of(const vipa_ctx *ctx, uint32_t agreement, uint32_t household);

/* 1 if a household (index) is linked to the agreement's entity in the year: a linkage
 * under the agreement due that year, or shares in the entity at the end of the year. */
int vipa__household_linked(const vipa_ledger *ledger, uint32_t agreement, uint32_t household,
                           int year);

/* How many of the households an agreement (index) lists are linked to its entity in the
 * year (vipa__household_linked): what the evaluation compares with the promised count. */
size_t vipa__households_linked(const vipa_ledger *ledger, uint32_t agreement, int year);

/* Index of a year in the result, or -1 (run_result.c). */
int vipa__result_year_index(const vipa_result *result, int year);

/* The SHA-256 of a context's records in canonical order, as 64 lowercase hex digits
 * (run_stamp.c): VIPA_OK or VIPA_E_NOMEM. The year run hashes before it builds anything,
 * so the hash's rows (56 bytes a record of the largest kind) come and go while only the
 * context is held, not on top of the result (issue #16). */
int vipa__input_sha256(const vipa_ctx *ctx, char hex[65]);

/* Fills the stamp (run_stamp.c): library, profile, profile_sha256, and the input hash
 * computed before ("" when skipped). */
void vipa__stamp(vipa_result *result, const char *input_sha256);

/* The SHA-256 of data as 64 lowercase hex digits (run_stamp.c). */
void vipa__sha256_hex(const void *data, size_t length, char hex[65]);

#endif /* VIPA_RUN_INTERNAL_H */
