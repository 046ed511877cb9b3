/*
 * The ledger module's internals: the ledger's layout (figures derived from a context's
 * money records) and the functions its files share with each other and with the year
 * run. Internal; shared by ledger.c (adding linkages, payments, incomes), ledger_flows.c
 * (building a ledger; dues, payments, incomes, the exit standard, coverage and their
 * checks), ledger_equity.c (injections, contributions, transfers, the share register,
 * declared dividends) and ledger_dividends.c (the agreed dividend and the due), and read
 * by the run module (run_internal.h).
 *
 * A ledger borrows its context: it reads the context's record arrays, so it is valid
 * until the context is changed or freed. Everything it derives is computed once by
 * vipa_ledger_build() and never changed, so any number of threads may read it.
 */
#ifndef VIPA_LEDGER_INTERNAL_H
#define VIPA_LEDGER_INTERNAL_H

#include "registry_internal.h"
#include "findings_internal.h"
#include "vipa/ledger.h"

/* A holder of shares in one word: its kind (vipa_holder_kind, 0..3) in the top 2 bits
 * above the index of its record (a household, a village among the areas, or an entity),
 * instead of an 8-byte id and a kind byte: 8 bytes a record less in the allocations, the
 * share events and the dividend dues (issue #16). Every index is below VIPA_RECORDS_MAX
 * (27 bits). The register stays ordered by holder id: comparisons read the id through
 * the index (vipa__holder_compare). */
typedef uint32_t vipa__holder;

enum { VIPA__HOLDER_INDEX_BITS = 30 };
#define VIPA__HOLDER_INDEX_MASK ((1u << VIPA__HOLDER_INDEX_BITS) - 1u)

_Static_assert(VIPA_RECORDS_MAX <= VIPA__HOLDER_INDEX_MASK,
               "a holder's word holds the index of every record of its kind");
_Static_assert(VIPA_HOLDER_ENTITY <= 3,
               "a holder's word holds every holder kind in its 2 top bits");

static inline vipa__holder vipa__holder_make(unsigned kind, uint32_t index)
{
    return (vipa__holder)kind << VIPA__HOLDER_INDEX_BITS | (index & VIPA__HOLDER_INDEX_MASK);
}

static inline unsigned vipa__holder_kind(vipa__holder h)
{
    return h >> VIPA__HOLDER_INDEX_BITS;
}

static inline uint32_t vipa__holder_index(vipa__holder h)
{
    return h & VIPA__HOLDER_INDEX_MASK;
}

/* One part of an injection: shares allocated to one holder (三(二)). 16 bytes. */
typedef struct allocation_rec {
    vipa_fen amount;
    uint32_t injection; /* index */
    vipa__holder holder;
} allocation_rec;

/* A change of one holder's shares in one entity on one day, with the holder's balance
 * after it; sorted by (entity, holder kind, holder id, date) so a holding as of any day
 * is a binary search. The change itself is kept in `balance` only until the running
 * balances replace it (ledger_equity.c, run_balances): nothing reads it after, and 8
 * bytes an event less is 8 bytes a household on a province (issue #16). 24 bytes. */
typedef struct share_event {
    vipa_fen balance; /* the change, until run_balances makes it the balance after it */
    uint32_t entity;
    vipa_date date;
    vipa__holder holder;
} share_event;

/* A holder's dividend due from an entity for a year (二(三)); sorted by (entity, holder
 * kind, holder id, year). The entity is not stored: each entity's dues are one range of
 * the sorted dues (vipa_ledger.dues_of_entity). 16 bytes. */
typedef struct dividend_due {
    vipa_fen due;
    vipa__holder holder;
    uint16_t year;
} dividend_due;

_Static_assert(VIPA_YEAR_MAX <= UINT16_MAX, "a due's year holds every year");
_Static_assert(sizeof(allocation_rec) == 16 && sizeof(share_event) == 24 &&
                   sizeof(dividend_due) == 16,
               "the share register's records keep the sizes docs/performance.md measures");

/* A part of the shares an agreement with an agreed dividend rate (dividend_bp) gave a
 * household (二(三)): an allocation of one of its injections, with the running total of
 * the household's shares from that agreement up to it; sorted by (entity, holder id,
 * agreement id, date). Which years it is due in is asked with the due. */
typedef struct agreed_due {
    uint64_t holder_id;
    vipa_id agreement_id;
    vipa_fen shares;            /* running total from the agreement, to this part's date */
    uint32_t entity, agreement; /* indexes */
    vipa_date date;
} agreed_due;

/* Compressed rows: the members of group g are items[offsets[g] .. offsets[g + 1]), read
 * with vipa__row. items is NULL when every record is in a group and the records come
 * group by group (a province added household by household, agreement by agreement):
 * then the k-th member is record k itself, and the 4 bytes a record of the list are not
 * spent (40 bytes a household on the benchmark's province).
 *
 * mixed: items is NULL too, but records of no group lie between the groups' members
 * (a household's dividend payments among its linkages' payments, as the benchmark's
 * province and a platform's export give them): group g's range holds its members and
 * the ungrouped records up to the next group's first member, and a reader keeps only
 * its own (vipa__linkage_payment). Each ungrouped record is in one range, so a pass
 * over every group still reads each record once. Only rows built with gaps allowed
 * (payments_by_linkage) are ever mixed: 12 bytes a household less there (issue #16). */
typedef struct vipa__rows {
    uint32_t *offsets;
    uint32_t *items;
    uint8_t mixed;
} vipa__rows;

/* An offset is a record's position, up to the count of a kind (the end of the last range). */
_Static_assert(VIPA_RECORDS_MAX <= UINT32_MAX, "a row's offsets hold every record position");

static inline uint32_t vipa__row(const vipa__rows *rows, uint32_t k)
{
    return rows->items ? rows->items[k] : k;
}

struct vipa_ledger {
    vipa__allocator alloc;
    vipa_ctx *ctx; /* borrowed */

    /* ledger_equity.c */
    allocation_rec *allocations;
    size_t allocation_count;
    share_event *events;
    size_t event_count;
    dividend_due *dividend_dues;
    size_t dividend_due_count;
    size_t *dues_of_entity;       /* [entities + 1]: first due of each entity (dues by entity) */
    uint8_t households_by_id;     /* household index order is id order: compare indexes */
    agreed_due *agreed_dues;      /* ledger_dividends.c */
    size_t agreed_due_count;
    vipa_date *disqualified_from; /* per entity; 0 = not disqualified (set by the year run) */
    vipa_date *terminated_on;     /* per agreement, or NULL; 0 = in force (set by the year run) */
    uint16_t *exit_years;         /* per household, or NULL for the recorded exits (year run) */
    /* While the year run evaluates a year: each household's other income of it and whether
     * it holds every guarantee (bit VIPA_YEAR_HELD of held), computed once for all; the
     * queries below read them instead of looking each up. NULL: look up. */
    struct {
        int year;
        const vipa_fen *other;
        const uint8_t *held;
    } year_cache;

    /* ledger_flows.c */
    vipa__rows payments_by_linkage;
    vipa__rows payments_by_household;
    vipa__rows linkages_by_household;
    vipa__rows households_by_village; /* indexed by area */
    vipa__rows agreements_by_entity;
    vipa__rows linkages_by_agreement;
    vipa__rows share_entities_by_household; /* entities a household may hold shares in */
    uint8_t *linkage_covered; /* per linkage: its agreement lists its household (四(二)) */
};

/* ---- ledger_equity.c ------------------------------------------------------------------------- */

/* The households that share an injection's poor share: its own list, or else its
 * agreement's; the count, and the household index of member k. */
size_t vipa__injection_household_count(const vipa_ctx *ctx, const injection_rec *in);
uint32_t vipa__injection_household(const vipa_ctx *ctx, const injection_rec *in, size_t k);

/* Allocations, share events with balances, and dividend dues; sets ctx's error on failure. */
int vipa__equity_build(vipa_ledger *ledger);
void vipa__equity_free(vipa_ledger *ledger);

/* The id of a holder: a household's id, a village's code, an entity's id. */
uint64_t vipa__holder_id(const vipa_ctx *ctx, vipa__holder holder);

/* Orders two holders as (kind, id), reading the ids through the indexes. */
int vipa__holder_compare(const vipa_ledger *ledger, vipa__holder x, vipa__holder y);

/* Shares of a holder in an entity (index) at the end of a day. */
vipa_fen vipa__equity_holding(const vipa_ledger *ledger, uint32_t entity, vipa__holder holder,
                              vipa_date date);

/* The position in ledger->dividend_dues of a household's (index) due from an entity
 * (index) for a year, or SIZE_MAX when it has none. */
size_t vipa__equity_dividend_due_index(const vipa_ledger *ledger, uint32_t entity,
                                       uint32_t household, int year);

/* The dividend the entity declared for a household (index) for a year; 0 if none. */
vipa_fen vipa__equity_dividend_due(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                                   int year);

/* ---- ledger_dividends.c: the dividend due (二(三)) -------------------------------------------- */

/* The agreed dues of every agreement with a dividend_bp; sets ctx's error on failure. */
int vipa__agreed_dues_build(vipa_ledger *ledger);

/* The agreed floor for a household (index) from an entity (index) in a year: each of the
 * entity's agreements in force that year with a rate, in id order, on the shares its
 * injections gave the household still held on 31 December, half away from zero. */
vipa_fen vipa__agreed_dividend(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                               int year);

/* The dividend due (DIVIDEND_PAID_AS_AGREED, 二(三)): the declared one, never less than the
 * agreed floor. The one function every check, row and explanation asks. */
vipa_fen vipa__dividend_due(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                            int year);

/* 1 if a household (index) has a declared due from an entity (index) for a year, or
 * holds shares its agreements fix a rate on that year: a pair the year's rows list
 * whether or not it was paid. */
int vipa__dividend_listed(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                          int year);

/* An (entity, household) pair with a dividend in a year: indexes, ordered by the ids
 * read through them (8 bytes, not 24 with the two ids: issue #16). */
typedef struct dividend_pair {
    uint32_t entity, household;
} dividend_pair;

/* Every pair with a dividend in a year: a declared due, an agreed rate, or a payment;
 * sorted by (entity id, household id), each once. *out is freed by the caller (the
 * ledger's allocator); VIPA_OK or VIPA_E_NOMEM. */
int vipa__dividend_pairs(const vipa_ledger *ledger, int year, dividend_pair **out, size_t *count);

/* EQUITY_POOR_SHARE for injections dated in `year`, and DISQUALIFIED_NO_SUPPORT for
 * injections dated on or after their entity's disqualification (ledger_equity.c). VIPA_OK
 * or the list's failure (VIPA_E_NOMEM, VIPA_E_LIMIT). */
int vipa__equity_check(const vipa_ledger *ledger, int year, vipa_findings *list);

/* ---- ledger_flows.c: figures and checks ------------------------------------------------------ */

/* 1 if a linkage (index) is due in a year: one of its years, within its agreement's
 * period when the agreement states one (四(二) 时间; 四(四)), and before the year its
 * agreement was terminated in (by the year run, 四(五)). */
int vipa__linkage_due_in(const vipa_ledger *ledger, uint32_t linkage, int year);

/* The amount due under a linkage (index) in a year (OBLIGATIONS_PAID, 四(四)): 0 when it
 * is not due that year. */
vipa_fen vipa__linkage_due(const vipa_ledger *ledger, uint32_t linkage, int year);

/* 1 if an agreement (index) is signed, its period holds `year`, and it was not
 * terminated in or before that year. */
int vipa__agreement_in_force(const vipa_ledger *ledger, uint32_t agreement, int year);

/* Where a linkage's (index) payments lie: positions [*from, *to) of payments_by_linkage,
 * each read with vipa__linkage_payment. When the payments come household by household,
 * no household with more than VIPA_LINKAGE_SCAN_MAX of them, payments_by_linkage has no
 * arrays at all (offsets NULL, mixed): a linkage's range is its household's payments, at
 * most that many records read a query (12 bytes a household less on a province, issue #16). */
enum { VIPA_LINKAGE_SCAN_MAX = 64 };
void vipa__linkage_payment_range(const vipa_ledger *ledger, uint32_t linkage, uint32_t *from,
                                 uint32_t *to);

/* The payment at position k of a linkage's range, or NULL when that record is no payment
 * of the linkage (a range of mixed rows). */
const payment_rec *vipa__linkage_payment(const vipa_ledger *ledger, uint32_t linkage, uint32_t k);

/* Paid under a linkage (index) for a year, payments dated ≤ cutoff (0: all). */
vipa_fen vipa__linkage_paid(const vipa_ledger *ledger, uint32_t linkage, int year, vipa_date cutoff);

/* Dividend paid by an entity to a household (indexes) for a year, ≤ cutoff (0: all). */
vipa_fen vipa__dividend_paid(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                             int year, vipa_date cutoff);

/* A household's (index) income for a year; cannot overflow (checked when built). */
vipa_fen vipa__household_income(const vipa_ledger *ledger, uint32_t household, int year,
                                vipa_date cutoff);

enum { VIPA_YEAR_HELD = 4 }; /* a bit of year_cache.held */

/* The exit standard (national rule the plan relies on): income of the year ≥ the line ×
 * members, compared on totals, and every guarantee held when the profile requires them.
 * The one place the comparison is made. */
static inline int vipa__standard_met(vipa_fen income, vipa_fen line_total, int guarantees_held)
{
    return guarantees_held && income >= line_total;
}

/* 1 if a household (index) holds the five guarantees (两不愁三保障) in a year, or the
 * profile does not require them (exit.require_guarantees). */
int vipa__guarantees_held(const vipa_ledger *ledger, uint32_t household, int year);

/* The exit standard for a household (index) in a year as of a cut-off, as
 * vipa_ledger_meets_standard() gives it: VIPA_OK, VIPA_E_NOT_FOUND (no line for the year)
 * or VIPA_E_OVERFLOW; *meets and *line_total (if not NULL) are set only on VIPA_OK. */
int vipa__meets_standard(const vipa_ledger *ledger, uint32_t household, int year,
                         vipa_date cutoff, int *meets, vipa_fen *line_total);

/* EXIT_BY_DEADLINE's figures for a household (index) with an exit deadline, in the
 * evaluation of a year as of a cut-off (四(二); 四(三)). */
typedef struct vipa__exit_check {
    int deadline;          /* the household's exit deadline (0: none: nothing to check) */
    int applies;           /* the year is the deadline or later */
    int exited;            /* the year it exited by, before or in the evaluated year
                            * (recorded, or the standard met in an earlier year); 0 */
    vipa_fen income, line; /* of the evaluated year, as of the cut-off */
    int held;              /* its guarantees held that year (or not required) */
    int passed;            /* not due yet, exited, or the standard met as of the cut-off */
} vipa__exit_check;

/* Fills the figures; VIPA_OK, or VIPA_E_NOT_FOUND / VIPA_E_OVERFLOW as
 * vipa__meets_standard (which the year run has ruled out before it evaluates). */
int vipa__exit_figures(const vipa_ledger *ledger, uint32_t household, int deadline, int year,
                       vipa_date cutoff, vipa__exit_check *out);

/* PLAN_TASKS_MET's figures for a plan (index) in the evaluation of a year (四(三); 四(五)):
 * whether it sets an income target for the year, the target, and the household's
 * income of the year as of the cut-off. */
typedef struct vipa__task_check {
    int has_target;
    vipa_fen target, income;
    int passed; /* no target for the year, or income ≥ target */
} vipa__task_check;

void vipa__task_figures(const vipa_ledger *ledger, uint32_t plan, int year, vipa_date cutoff,
                        vipa__task_check *out);

/* 1 if a household (index) has a linkage (explicit, or shares) under an agreement in
 * force in `year` that covers it: what COVERAGE_CORE_VILLAGE counts. */
int vipa__household_covered(const vipa_ledger *ledger, uint32_t household, int year);

/* 1 if a household (index) is willing and not exited before `year` (its recorded exit,
 * or the year run's when ledger->exit_years is set). */
int vipa__household_counts_for_coverage(const vipa_ledger *ledger, uint32_t household, int year);

/* The checks of one record for a year as of a cut-off, appending findings of that year:
 * LINKAGE_UNDER_AGREEMENT and OBLIGATIONS_PAID for a linkage (index),
 * COVERAGE_CORE_VILLAGE for a village (area index). VIPA_OK or the list's failure
 * (VIPA_E_NOMEM, VIPA_E_LIMIT). */
int vipa__check_linkage_agreement(const vipa_ledger *ledger, uint32_t linkage, int year,
                                  vipa_findings *list);
int vipa__check_linkage_paid(const vipa_ledger *ledger, uint32_t linkage, int year,
                             vipa_date cutoff, vipa_findings *list);
int vipa__check_village_coverage(const vipa_ledger *ledger, uint32_t village, int year,
                                 vipa_findings *list);
/* Marks (1) in `active` (one byte per area) the core villages of entities with an
 * agreement in force in the year: the villages COVERAGE_CORE_VILLAGE looks at. */
void vipa__active_core_villages(const vipa_ledger *ledger, int year, uint8_t *active);

/* The households holding shares from an agreement (index; VIPA_NO_INDEX: every
 * agreement) that it does not list: allocated by an injection under it that names its
 * own households, or contributors under it. visit(opaque, agreement, household) for each
 * share, repeats included: every holder is owed its dividend (二(三)). */
void vipa__unlisted_holders(const vipa_ledger *ledger, uint32_t agreement,
                            void (*visit)(void *opaque, uint32_t agreement, uint32_t household),
                            void *opaque);

/* DIVIDEND_PAID_AS_AGREED for one household's (index) dividend from an entity (index). */
int vipa__check_dividend(const vipa_ledger *ledger, uint32_t entity, uint32_t household, int year,
                         vipa_date cutoff, vipa_findings *list);

/* OBLIGATIONS_PAID for every linkage due in a year, as of a cut-off (0: every payment). */
int vipa__check_obligations(const vipa_ledger *ledger, int year, vipa_date cutoff,
                            vipa_findings *list);

/* Every OBLIGATIONS_PAID and DIVIDEND_PAID_AS_AGREED of a year as of a cut-off (0: every
 * payment): the money owed for the year (四(四); 二(三)). VIPA_OK or an error of the list. */
int vipa__check_money_of_year(const vipa_ledger *ledger, int year, vipa_date cutoff,
                              vipa_findings *list);

/* 1 if a year ended on or before the context's as_of (every year when none is set). */
int vipa__year_complete(const vipa_ctx *ctx, int year);

/* The year of a date (YYYYMMDD). */
static inline int vipa__year_of(vipa_date date)
{
    return date / 10000;
}

#endif /* VIPA_LEDGER_INTERNAL_H */
