/*
 * The ledger module: building a ledger (vipa_ledger_build: the rows that index payments,
 * linkages, households and share holders; the share register is ledger_equity.c's) and
 * the figures, queries and checks of a year built on them (dues, payments, income, the
 * exit standard, coverage; 一, 二(三), 四(四)). See include/vipa/ledger.h.
 */
#include <stdio.h>
#include <string.h>

#include "agreement_internal.h"
#include "ledger_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

/* ---- rows ---------------------------------------------------------------------------- */

typedef uint32_t (*group_fn)(const vipa_ctx *ctx, size_t item);

/* Mixed rows (vipa__rows): group g's range starts at its first member, or where the
 * next group's does when it has none; the last ends with the records. */
static void rows_mixed(vipa__rows *rows, const vipa_ctx *ctx, size_t groups, size_t count,
                       group_fn group_of)
{
    size_t next = 0; /* the first group whose start is not set yet */
    for (size_t i = 0; i < count; i++) {
        uint32_t g = group_of(ctx, i);
        while (g != VIPA_NO_INDEX && next <= g)
            rows->offsets[next++] = (uint32_t)i;
    }
    while (next <= groups)
        rows->offsets[next++] = (uint32_t)count;
    rows->mixed = 1;
}

/* Groups items 0..count-1 by group_of (VIPA_NO_INDEX: left out), keeping item order
 * within each group: a counting sort; no items array when the items come grouped
 * already, or, if `gaps` allows, grouped with records of no group between (vipa__rows). */
static int rows_build(const vipa__allocator *a, vipa__rows *rows, const vipa_ctx *ctx,
                      size_t groups, size_t count, group_fn group_of, int gaps)
{
    rows->offsets = vipa__calloc(a, groups + 1, sizeof *rows->offsets);
    if (!rows->offsets)
        return VIPA_E_NOMEM;
    int in_order = 1, ungrouped = 0; /* the grouped records in group order; any not */
    uint32_t last = 0;
    for (size_t i = 0; i < count; i++) {
        uint32_t g = group_of(ctx, i);
        ungrouped |= g == VIPA_NO_INDEX;
        if (g == VIPA_NO_INDEX)
            continue;
        in_order = in_order && g >= last;
        last = g;
        rows->offsets[g + 1]++;
    }
    if (in_order && ungrouped && gaps) {
        rows_mixed(rows, ctx, groups, count, group_of);
        return VIPA_OK;
    }
    for (size_t g = 0; g < groups; g++)
        rows->offsets[g + 1] += rows->offsets[g];
    uint32_t total = rows->offsets[groups];
    if (in_order && !ungrouped)
        return VIPA_OK; /* group g's members are records offsets[g] .. offsets[g + 1] */
    rows->items = vipa__calloc(a, (size_t)total + 1, sizeof *rows->items);
    if (!rows->items)
        return VIPA_E_NOMEM;
    /* Filling from the back moves each group's end down to its start, so offsets[g + 1]
     * ends as group g's start: shift them back by one. */
    for (size_t i = count; i-- > 0;) {
        uint32_t g = group_of(ctx, i);
        if (g != VIPA_NO_INDEX)
            rows->items[--rows->offsets[g + 1]] = (uint32_t)i;
    }
    memmove(rows->offsets, rows->offsets + 1, groups * sizeof *rows->offsets);
    rows->offsets[groups] = total;
    return VIPA_OK;
}

static void rows_free(const vipa__allocator *a, vipa__rows *rows)
{
    vipa__free(a, rows->offsets);
    vipa__free(a, rows->items);
    rows->offsets = rows->items = NULL;
}

static uint32_t linkage_of_payment(const vipa_ctx *ctx, size_t i)
{
    return vipa__payment_linkage(&ctx->payments.items[i]);
}

static uint32_t household_of_payment(const vipa_ctx *ctx, size_t i)
{
    return vipa__payment_household(ctx, &ctx->payments.items[i]);
}

static uint32_t household_of_linkage(const vipa_ctx *ctx, size_t i)
{
    return ctx->linkages.items[i].household;
}

static uint32_t village_of_household(const vipa_ctx *ctx, size_t i)
{
    return ctx->households.items[i].village;
}

static uint32_t agreement_of_linkage(const vipa_ctx *ctx, size_t i)
{
    return ctx->linkages.items[i].agreement;
}

static uint32_t entity_of_agreement(const vipa_ctx *ctx, size_t i)
{
    return ctx->agreements.items[i].entity;
}

/* ---- entities a household may hold shares in --------------------------------------------- */

/* Pairs (household, entity) from injections' households, contributions and transfers to
 * households, grouped by household: every way a household comes to hold shares. An
 * injection without its own list shares among its agreement's. */

static uint32_t transfer_receiver(const vipa_ctx *ctx, size_t i)
{
    return VIPA_TABLE_FIND(ctx->households, ctx->transfers.items[i].to_id);
}

static int build_share_entities(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    size_t households = ctx->households.count;
    vipa__rows *rows = &ledger->share_entities_by_household;
    rows->offsets = vipa__calloc(&ledger->alloc, households + 1, sizeof *rows->offsets);
    if (!rows->offsets)
        return VIPA_E_NOMEM;
    for (size_t i = 0; i < ctx->injections.count; i++)
        for (size_t k = 0; k < vipa__injection_household_count(ctx, &ctx->injections.items[i]); k++)
            rows->offsets[vipa__injection_household(ctx, &ctx->injections.items[i], k) + 1]++;
    for (size_t i = 0; i < ctx->contributions.count; i++)
        rows->offsets[ctx->contributions.items[i].household + 1]++;
    for (size_t i = 0; i < ctx->transfers.count; i++)
        if (ctx->transfers.items[i].to_kind == VIPA_HOLDER_HOUSEHOLD)
            rows->offsets[transfer_receiver(ctx, i) + 1]++;
    for (size_t g = 0; g < households; g++)
        rows->offsets[g + 1] += rows->offsets[g];
    rows->items = vipa__calloc(&ledger->alloc, (size_t)rows->offsets[households] + 1,
                               sizeof *rows->items);
    uint32_t *cursor = vipa__calloc(&ledger->alloc, households + 1, sizeof *cursor);
    if (!rows->items || !cursor) {
        vipa__free(&ledger->alloc, cursor);
        return VIPA_E_NOMEM;
    }
    memcpy(cursor, rows->offsets, (households + 1) * sizeof *cursor);
    for (size_t i = 0; i < ctx->injections.count; i++) {
        const injection_rec *in = &ctx->injections.items[i];
        for (size_t k = 0; k < vipa__injection_household_count(ctx, in); k++)
            rows->items[cursor[vipa__injection_household(ctx, in, k)]++] = in->entity;
    }
    for (size_t i = 0; i < ctx->contributions.count; i++)
        rows->items[cursor[ctx->contributions.items[i].household]++] =
            ctx->contributions.items[i].entity;
    for (size_t i = 0; i < ctx->transfers.count; i++)
        if (ctx->transfers.items[i].to_kind == VIPA_HOLDER_HOUSEHOLD)
            rows->items[cursor[transfer_receiver(ctx, i)]++] = ctx->transfers.items[i].entity;
    vipa__free(&ledger->alloc, cursor);
    return VIPA_OK;
}

/* ---- building ------------------------------------------------------------------------- */

static vipa_fen magnitude(vipa_fen v)
{
    return v < 0 ? (v == INT64_MIN ? INT64_MAX : -v) : v;
}

/* Every income sum is a sub-sum of a household's payments and other incomes, so when
 * the sum of their magnitudes fits, no income can overflow: checked once, here. */
static int check_income_sums(vipa_ledger *ledger)
{
    vipa_ctx *ctx = ledger->ctx;
    size_t households = ctx->households.count;
    vipa_fen *sum = vipa__calloc(&ledger->alloc, households + 1, sizeof *sum);
    if (!sum)
        return vipa__fail(ctx, VIPA_E_NOMEM, "ledger: out of memory checking income sums");
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->payments.count && rc == VIPA_OK; i++) {
        const payment_rec *p = &ctx->payments.items[i];
        uint32_t h = vipa__payment_household(ctx, p);
        rc = vipa_fen_add(&sum[h], sum[h], p->amount);
        if (rc != VIPA_OK)
            vipa__fail(ctx, VIPA_E_OVERFLOW, "household %llu: its payments sum beyond the "
                       "int64 range of fen", (unsigned long long)ctx->households.items[h].id);
    }
    for (size_t i = 0; i < ctx->incomes.count && rc == VIPA_OK; i++) {
        const income_rec *in = &ctx->incomes.items[i];
        uint32_t h = vipa__key_index(in->key);
        rc = vipa_fen_add(&sum[h], sum[h], magnitude(in->other));
        if (rc != VIPA_OK || in->other == INT64_MIN)
            rc = vipa__fail(ctx, VIPA_E_OVERFLOW, "household %llu: its payments and other "
                            "incomes sum beyond the int64 range of fen",
                            (unsigned long long)ctx->households.items[h].id);
    }
    vipa__free(&ledger->alloc, sum);
    return rc;
}

/* Whether each linkage's agreement lists its household, for every check of every year:
 * one pass over the agreements' households instead of a search per linkage and check. */
static int build_linkage_covered(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__rows *rows = &ledger->linkages_by_agreement;
    uint8_t *covered = vipa__calloc(&ledger->alloc, ctx->linkages.count + 1, 1);
    uint32_t *listed_by = vipa__calloc(&ledger->alloc, ctx->households.count + 1,
                                       sizeof *listed_by); /* agreement index + 1 */
    if (!covered || !listed_by) {
        vipa__free(&ledger->alloc, covered);
        vipa__free(&ledger->alloc, listed_by);
        return VIPA_E_NOMEM;
    }
    for (uint32_t a = 0; a < ctx->agreements.count; a++) {
        const agreement_rec *rec = &ctx->agreements.items[a];
        for (uint32_t i = 0; i < rec->household_len; i++)
            listed_by[ctx->agreement_households[rec->first_household + i]] = a + 1;
        for (uint32_t k = rows->offsets[a]; k < rows->offsets[a + 1]; k++) {
            uint32_t l = vipa__row(rows, k);
            covered[l] = listed_by[ctx->linkages.items[l].household] == a + 1;
        }
    }
    vipa__free(&ledger->alloc, listed_by);
    ledger->linkage_covered = covered;
    return VIPA_OK;
}

/* No arrays when a linkage's payments can be found among its household's few (see
 * vipa__linkage_payment_range); its own rows otherwise. */
static int build_payments_by_linkage(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__rows *by_household = &ledger->payments_by_household;
    int few = by_household->items == NULL; /* positions are payments, household by household */
    for (size_t h = 0; h < ctx->households.count && few; h++)
        few = by_household->offsets[h + 1] - by_household->offsets[h] <= VIPA_LINKAGE_SCAN_MAX;
    if (few) {
        ledger->payments_by_linkage.mixed = 1;
        return VIPA_OK;
    }
    return rows_build(&ledger->alloc, &ledger->payments_by_linkage, ctx, ctx->linkages.count,
                      ctx->payments.count, linkage_of_payment, 1);
}

static int build_rows(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__allocator *a = &ledger->alloc;
    /* Only the payments by linkage may be mixed: their one reader filters (a dividend
     * payment has no linkage); every other list's readers take each record of a range. */
    if (rows_build(a, &ledger->payments_by_household, ctx, ctx->households.count,
                   ctx->payments.count, household_of_payment, 0) != VIPA_OK ||
        build_payments_by_linkage(ledger) != VIPA_OK ||
        rows_build(a, &ledger->linkages_by_household, ctx, ctx->households.count,
                   ctx->linkages.count, household_of_linkage, 0) != VIPA_OK ||
        rows_build(a, &ledger->households_by_village, ctx, ctx->areas.count,
                   ctx->households.count, village_of_household, 0) != VIPA_OK ||
        rows_build(a, &ledger->agreements_by_entity, ctx, ctx->entities.count,
                   ctx->agreements.count, entity_of_agreement, 0) != VIPA_OK ||
        rows_build(a, &ledger->linkages_by_agreement, ctx, ctx->agreements.count,
                   ctx->linkages.count, agreement_of_linkage, 0) != VIPA_OK ||
        build_linkage_covered(ledger) != VIPA_OK || build_share_entities(ledger) != VIPA_OK)
        return vipa__fail(ledger->ctx, VIPA_E_NOMEM, "ledger: out of memory indexing records");
    return VIPA_OK;
}

void vipa_ledger_free(vipa_ledger *ledger)
{
    if (!ledger)
        return;
    vipa__ctx_borrow(ledger->ctx, -1);
    vipa__allocator a = ledger->alloc;
    vipa__equity_free(ledger);
    vipa__free(&a, ledger->terminated_on);
    vipa__free(&a, ledger->exit_years);
    rows_free(&a, &ledger->payments_by_linkage);
    rows_free(&a, &ledger->payments_by_household);
    rows_free(&a, &ledger->linkages_by_household);
    rows_free(&a, &ledger->households_by_village);
    rows_free(&a, &ledger->agreements_by_entity);
    rows_free(&a, &ledger->linkages_by_agreement);
    rows_free(&a, &ledger->share_entities_by_household);
    vipa__free(&a, ledger->linkage_covered);
    vipa__free(&a, ledger);
}

int vipa_ledger_build(vipa_ledger **out, vipa_ctx *ctx)
{
    if (!ctx)
        return VIPA_E_INVALID;
    if (!out)
        return vipa__fail(ctx, VIPA_E_INVALID, "ledger: the output pointer is NULL");
    *out = NULL;
    vipa_ledger *ledger = vipa__calloc(&ctx->alloc, 1, sizeof *ledger);
    if (!ledger)
        return vipa__fail(ctx, VIPA_E_NOMEM, "ledger: out of memory");
    ledger->alloc = ctx->alloc;
    ledger->ctx = ctx;
    vipa__ctx_borrow(ctx, +1); /* until vipa_ledger_free: the context may not change */
    int rc = check_income_sums(ledger);
    if (rc == VIPA_OK)
        rc = build_rows(ledger);
    if (rc == VIPA_OK)
        rc = vipa__equity_build(ledger);
    if (rc != VIPA_OK) {
        vipa_ledger_free(ledger);
        return rc;
    }
    *out = ledger;
    return vipa__succeed(ctx);
}

/* ---- figures --------------------------------------------------------------------------- */

/* Due in its years within its agreement's period, while the agreement is not terminated:
 * a terminated agreement is in force in no year from its termination's (四(五)). */
int vipa__linkage_due_in(const vipa_ledger *ledger, uint32_t linkage, int year)
{
    const vipa_ctx *ctx = ledger->ctx;
    const linkage_rec *l = &ctx->linkages.items[linkage];
    const agreement_rec *a = &ctx->agreements.items[l->agreement];
    vipa_date terminated = ledger->terminated_on ? ledger->terminated_on[l->agreement] : 0;
    return year >= l->from_year && year <= l->to_year &&
           !(a->start && a->end &&
             (year < vipa__year_of(a->start) || year > vipa__year_of(a->end))) &&
           !(terminated && vipa__year_of(terminated) <= year);
}

vipa_fen vipa__linkage_due(const vipa_ledger *ledger, uint32_t linkage, int year)
{
    const linkage_rec *l = &ledger->ctx->linkages.items[linkage];
    if (!vipa__linkage_due_in(ledger, linkage, year))
        return 0;
    vipa_fen due = l->amount;
    if (l->kind == VIPA_LINKAGE_WAGE && l->units > 0)
        vipa_fen_mul(&due, l->amount, l->units); /* checked when the linkage was added */
    else if (l->kind == VIPA_LINKAGE_LAND_RENT)
        vipa_fen_mul_area(&due, l->amount, l->units);
    return due;
}

int vipa__agreement_in_force(const vipa_ledger *ledger, uint32_t agreement, int year)
{
    const agreement_rec *a = &ledger->ctx->agreements.items[agreement];
    vipa_date terminated = ledger->terminated_on ? ledger->terminated_on[agreement] : 0;
    return a->signed_on && a->start && a->end && vipa__year_of(a->start) <= year &&
           year <= vipa__year_of(a->end) && !(terminated && vipa__year_of(terminated) <= year);
}

static int counts(const payment_rec *p, int year, vipa_date cutoff)
{
    return vipa__payment_year(p) == year && (!cutoff || vipa__payment_date(p) <= cutoff);
}

void vipa__linkage_payment_range(const vipa_ledger *ledger, uint32_t linkage, uint32_t *from,
                                 uint32_t *to)
{
    const vipa__rows *rows = &ledger->payments_by_linkage;
    uint32_t group = linkage;
    if (!rows->offsets) {
        rows = &ledger->payments_by_household;
        group = ledger->ctx->linkages.items[linkage].household;
    }
    *from = rows->offsets[group];
    *to = rows->offsets[group + 1];
}

const payment_rec *vipa__linkage_payment(const vipa_ledger *ledger, uint32_t linkage, uint32_t k)
{
    const vipa__rows *rows = &ledger->payments_by_linkage;
    uint32_t i = vipa__row(rows, k);
    if (rows->mixed && linkage_of_payment(ledger->ctx, i) != linkage)
        return NULL;
    return &ledger->ctx->payments.items[i];
}

/* Sums of counted payments never overflow: see check_income_sums. */
vipa_fen vipa__linkage_paid(const vipa_ledger *ledger, uint32_t linkage, int year, vipa_date cutoff)
{
    uint32_t from, to;
    vipa__linkage_payment_range(ledger, linkage, &from, &to);
    vipa_fen paid = 0;
    for (uint32_t k = from; k < to; k++) {
        const payment_rec *p = vipa__linkage_payment(ledger, linkage, k);
        if (p && counts(p, year, cutoff))
            paid += p->amount;
    }
    return paid;
}

vipa_fen vipa__dividend_paid(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                             int year, vipa_date cutoff)
{
    const vipa__rows *rows = &ledger->payments_by_household;
    vipa_fen paid = 0;
    for (uint32_t k = rows->offsets[household]; k < rows->offsets[household + 1]; k++) {
        const payment_rec *p = &ledger->ctx->payments.items[vipa__row(rows, k)];
        if (vipa__payment_is_dividend(p) && vipa__payment_entity(ledger->ctx, p) == entity &&
            counts(p, year, cutoff))
            paid += p->amount;
    }
    return paid;
}

vipa_fen vipa__household_income(const vipa_ledger *ledger, uint32_t household, int year,
                                vipa_date cutoff)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__rows *rows = &ledger->payments_by_household;
    vipa_fen income = 0;
    for (uint32_t k = rows->offsets[household]; k < rows->offsets[household + 1]; k++) {
        const payment_rec *p = &ctx->payments.items[vipa__row(rows, k)];
        if (counts(p, year, cutoff))
            income += p->amount;
    }
    if (ledger->year_cache.other && ledger->year_cache.year == year)
        return income + ledger->year_cache.other[household];
    uint32_t other = VIPA_TABLE_FIND(ctx->incomes, vipa__year_key(household, year));
    if (other != VIPA_NO_INDEX)
        income += ctx->incomes.items[other].other;
    return income;
}

/* An agreement of the entity in force in `year` that covers the household. */
static int entity_covers(const vipa_ledger *ledger, uint32_t entity, uint32_t household, int year)
{
    const vipa__rows *rows = &ledger->agreements_by_entity;
    for (uint32_t k = rows->offsets[entity]; k < rows->offsets[entity + 1]; k++) {
        uint32_t agreement = vipa__row(rows, k);
        if (vipa__agreement_in_force(ledger, agreement, year) &&
            vipa__agreement_covers(ledger->ctx, agreement, household))
            return 1;
    }
    return 0;
}

int vipa__household_covered(const vipa_ledger *ledger, uint32_t household, int year)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__rows *links = &ledger->linkages_by_household;
    for (uint32_t k = links->offsets[household]; k < links->offsets[household + 1]; k++) {
        const linkage_rec *l = &ctx->linkages.items[vipa__row(links, k)];
        if (year >= l->from_year && year <= l->to_year &&
            vipa__agreement_in_force(ledger, l->agreement, year) &&
            ledger->linkage_covered[vipa__row(links, k)])
            return 1;
    }
    /* A household holding shares is linked by a dividend linkage (二(三)). */
    const vipa__rows *shares = &ledger->share_entities_by_household;
    vipa_date year_end = (vipa_date)(year * 10000 + 1231);
    vipa__holder holder = vipa__holder_make(VIPA_HOLDER_HOUSEHOLD, household);
    for (uint32_t k = shares->offsets[household]; k < shares->offsets[household + 1]; k++) {
        uint32_t entity = vipa__row(shares, k);
        if (vipa__equity_holding(ledger, entity, holder, year_end) > 0 &&
            entity_covers(ledger, entity, household, year))
            return 1;
    }
    return 0;
}

int vipa__household_counts_for_coverage(const vipa_ledger *ledger, uint32_t household, int year)
{
    const household_rec *h = &ledger->ctx->households.items[household];
    int exited = ledger->exit_years ? ledger->exit_years[household] : h->exited_year;
    return h->willing && (exited == 0 || exited >= year);
}

void vipa__unlisted_holders(const vipa_ledger *ledger, uint32_t agreement,
                            void (*visit)(void *opaque, uint32_t agreement, uint32_t household),
                            void *opaque)
{
    const vipa_ctx *ctx = ledger->ctx;
    for (size_t i = 0; i < ledger->allocation_count; i++) {
        const allocation_rec *al = &ledger->allocations[i];
        if (vipa__holder_kind(al->holder) != VIPA_HOLDER_HOUSEHOLD)
            continue;
        uint32_t a = ctx->injections.items[al->injection].agreement;
        uint32_t h = vipa__holder_index(al->holder);
        if ((agreement == VIPA_NO_INDEX || a == agreement) && !vipa__agreement_covers(ctx, a, h))
            visit(opaque, a, h);
    }
    for (size_t i = 0; i < ctx->contributions.count; i++) {
        const contribution_rec *c = &ctx->contributions.items[i];
        if (c->agreement != VIPA_NO_INDEX &&
            (agreement == VIPA_NO_INDEX || c->agreement == agreement) &&
            !vipa__agreement_covers(ctx, c->agreement, c->household))
            visit(opaque, c->agreement, c->household);
    }
}

/* ---- public queries -------------------------------------------------------------------- */

static int find_id(uint32_t *index, uint32_t found)
{
    *index = found;
    return found == VIPA_NO_INDEX ? VIPA_E_NOT_FOUND : VIPA_OK;
}

int vipa_ledger_linkage_due(vipa_fen *due, const vipa_ledger *ledger, vipa_id linkage, int year)
{
    if (!due || !ledger)
        return VIPA_E_INVALID;
    uint32_t l;
    if (find_id(&l, VIPA_TABLE_FIND(ledger->ctx->linkages, linkage)) != VIPA_OK)
        return VIPA_E_NOT_FOUND;
    *due = vipa__linkage_due(ledger, l, year);
    return VIPA_OK;
}

int vipa_ledger_linkage_paid(vipa_fen *paid, const vipa_ledger *ledger, vipa_id linkage, int year,
                             vipa_date cutoff)
{
    if (!paid || !ledger)
        return VIPA_E_INVALID;
    uint32_t l;
    if (find_id(&l, VIPA_TABLE_FIND(ledger->ctx->linkages, linkage)) != VIPA_OK)
        return VIPA_E_NOT_FOUND;
    *paid = vipa__linkage_paid(ledger, l, year, cutoff);
    return VIPA_OK;
}

int vipa_ledger_dividend_paid(vipa_fen *paid, const vipa_ledger *ledger, vipa_id entity,
                              vipa_id household, int year, vipa_date cutoff)
{
    if (!paid || !ledger)
        return VIPA_E_INVALID;
    uint32_t e, h;
    if (find_id(&e, VIPA_TABLE_FIND(ledger->ctx->entities, entity)) != VIPA_OK ||
        find_id(&h, VIPA_TABLE_FIND(ledger->ctx->households, household)) != VIPA_OK)
        return VIPA_E_NOT_FOUND;
    *paid = vipa__dividend_paid(ledger, e, h, year, cutoff);
    return VIPA_OK;
}

int vipa_ledger_income(vipa_fen *income, const vipa_ledger *ledger, vipa_id household, int year,
                       vipa_date cutoff)
{
    if (!income || !ledger)
        return VIPA_E_INVALID;
    uint32_t h;
    if (find_id(&h, VIPA_TABLE_FIND(ledger->ctx->households, household)) != VIPA_OK)
        return VIPA_E_NOT_FOUND;
    *income = vipa__household_income(ledger, h, year, cutoff);
    return VIPA_OK;
}

int vipa__guarantees_held(const vipa_ledger *ledger, uint32_t h, int year)
{
    const vipa_ctx *ctx = ledger->ctx;
    if (!ctx->profile.require_guarantees)
        return 1;
    if (ledger->year_cache.held && ledger->year_cache.year == year)
        return (ledger->year_cache.held[h] & VIPA_YEAR_HELD) != 0;
    uint32_t a = VIPA_TABLE_FIND(ctx->assured, vipa__year_key(h, year));
    return a != VIPA_NO_INDEX &&
           vipa__assured_items(&ctx->assured.items[a]) == VIPA_ASSURED_ITEMS_ALL;
}

/* The exit standard (national rule the plan relies on): income ≥ line × members, and
 * with exit.require_guarantees every guarantee held that year. */
/* The line × members of a household's year: VIPA_OK, VIPA_E_NOT_FOUND, VIPA_E_OVERFLOW. */
static int line_total_of(const vipa_ledger *ledger, uint32_t h, int year, vipa_fen *total)
{
    const vipa_ctx *ctx = ledger->ctx;
    vipa_fen per_person;
    if (vipa__profile_line(&ctx->profile, year, &per_person) != VIPA_OK)
        return VIPA_E_NOT_FOUND; /* no line for the year: never a guess */
    if (vipa_fen_mul(total, per_person, ctx->households.items[h].members) != VIPA_OK)
        return VIPA_E_OVERFLOW;
    return VIPA_OK;
}

int vipa__meets_standard(const vipa_ledger *ledger, uint32_t h, int year, vipa_date cutoff,
                         int *meets, vipa_fen *line_total)
{
    vipa_fen total;
    int rc = line_total_of(ledger, h, year, &total);
    if (rc != VIPA_OK)
        return rc;
    *meets = vipa__standard_met(vipa__household_income(ledger, h, year, cutoff), total,
                                vipa__guarantees_held(ledger, h, year));
    if (line_total)
        *line_total = total;
    return VIPA_OK;
}

int vipa__exit_figures(const vipa_ledger *ledger, uint32_t h, int deadline, int year,
                       vipa_date cutoff, vipa__exit_check *out)
{
    memset(out, 0, sizeof *out);
    out->deadline = deadline;
    out->applies = deadline && deadline <= year;
    if (!out->applies) {
        out->passed = 1;
        return VIPA_OK;
    }
    /* Exited before the year: by the run's exits (the earlier of the recorded year and the
     * first year met), or on the record in the year itself (四(二) 脱贫期限). */
    int recorded = ledger->ctx->households.items[h].exited_year;
    int before = ledger->exit_years ? ledger->exit_years[h] : recorded;
    if (before && before < year)
        out->exited = before;
    else if (recorded && recorded <= year)
        out->exited = recorded;
    int rc = line_total_of(ledger, h, year, &out->line);
    if (rc != VIPA_OK)
        return rc;
    /* the figures vipa__meets_standard() compares, kept for the finding's numbers */
    out->income = vipa__household_income(ledger, h, year, cutoff);
    out->held = vipa__guarantees_held(ledger, h, year);
    out->passed = out->exited || vipa__standard_met(out->income, out->line, out->held);
    return VIPA_OK;
}

void vipa__task_figures(const vipa_ledger *ledger, uint32_t plan, int year, vipa_date cutoff,
                        vipa__task_check *out)
{
    const vipa_ctx *ctx = ledger->ctx;
    const plan_rec *p = &ctx->plans.items[plan];
    memset(out, 0, sizeof *out);
    out->passed = 1;
    for (uint32_t k = 0; k < p->task_len; k++) {
        const plan_task_rec *t = &ctx->plan_tasks[p->first_task + k];
        if (t->year != year || !t->has_income)
            continue;
        out->has_target = 1;
        out->target = t->income;
        out->income = vipa__household_income(ledger, vipa__plan_household(p), year, cutoff);
        out->passed = out->income >= out->target;
    }
}

int vipa_ledger_meets_standard(int *meets, vipa_fen *line_total, const vipa_ledger *ledger,
                               vipa_id household, int year, vipa_date cutoff)
{
    if (!meets || !ledger)
        return VIPA_E_INVALID;
    uint32_t h;
    if (find_id(&h, VIPA_TABLE_FIND(ledger->ctx->households, household)) != VIPA_OK)
        return VIPA_E_NOT_FOUND;
    return vipa__meets_standard(ledger, h, year, cutoff, meets, line_total);
}

int vipa_ledger_coverage(size_t *willing, size_t *covered, const vipa_ledger *ledger,
                         vipa_area_code village, int year)
{
    if (!willing || !covered || !ledger)
        return VIPA_E_INVALID;
    uint32_t v = vipa__area_find(ledger->ctx, village);
    if (v == VIPA_NO_INDEX || ledger->ctx->areas.items[v].level != VIPA_AREA_VILLAGE)
        return VIPA_E_NOT_FOUND;
    const vipa__rows *rows = &ledger->households_by_village;
    size_t w = 0, c = 0;
    for (uint32_t k = rows->offsets[v]; k < rows->offsets[v + 1]; k++) {
        uint32_t h = vipa__row(rows, k);
        if (vipa__household_counts_for_coverage(ledger, h, year)) {
            w++;
            c += (size_t)vipa__household_covered(ledger, h, year);
        }
    }
    *willing = w;
    *covered = c;
    return VIPA_OK;
}

/* ---- checks for a year --------------------------------------------------------------------- */

/* LINKAGE_UNDER_AGREEMENT (二(五); 四(二)): the agreement is signed, covers the household
 * and is in force in the year. */
int vipa__check_linkage_agreement(const vipa_ledger *ledger, uint32_t linkage, int year,
                                   vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    const linkage_rec *l = &ctx->linkages.items[linkage];
    const agreement_rec *a = &ctx->agreements.items[l->agreement];
    vipa__msg defect = !a->signed_on ? VIPA__MSG_T_NOT_SIGNED
                       : !ledger->linkage_covered[linkage]
                           ? VIPA__MSG_T_NOT_COVERING_HOUSEHOLD
                       : !vipa__agreement_in_force(ledger, l->agreement, year) ? VIPA__MSG_T_NOT_IN_FORCE
                                                                            : VIPA__MSG_COUNT;
    if (defect == VIPA__MSG_COUNT)
        return VIPA_OK;
    vipa__finding_in f = {VIPA_RULE_LINKAGE_UNDER_AGREEMENT, VIPA_SEVERITY_NONE,
                          VIPA_SUBJECT_LINKAGE, l->id, year, NULL, NULL};
    return VIPA__FINDING(list, &f, F_LINKAGE_NOT_IN_FORCE, (unsigned long long)l->id,
                         (unsigned long long)ctx->households.items[l->household].id,
                         (unsigned long long)a->id, VIPA__TERM(defect), year);
}

/* OBLIGATIONS_PAID (四(四)): every wage, rent and participation due is paid in full. */
int vipa__check_linkage_paid(const vipa_ledger *ledger, uint32_t linkage, int year,
                              vipa_date cutoff, vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    vipa_fen due = vipa__linkage_due(ledger, linkage, year);
    vipa_fen paid = vipa__linkage_paid(ledger, linkage, year, cutoff);
    if (paid >= due)
        return VIPA_OK;
    vipa__yuan_text expected = vipa__yuan(due), actual = vipa__yuan(paid);
    const linkage_rec *l = &ctx->linkages.items[linkage];
    vipa__finding_in f = {VIPA_RULE_OBLIGATIONS_PAID, VIPA_SEVERITY_NONE, VIPA_SUBJECT_LINKAGE,
                         l->id, year, expected.s, actual.s};
    /* The message says "land rent" where the contract's word is land_rent. */
    const void *kind = VIPA__TERM(l->kind == VIPA_LINKAGE_LAND_RENT ? VIPA__MSG_T_LAND_RENT
                                  : l->kind == VIPA_LINKAGE_WAGE   ? VIPA__MSG_T_WAGE
                                                                   : VIPA__MSG_T_PARTICIPATION);
    unsigned long long household = ctx->households.items[l->household].id;
    if (!cutoff)
        return VIPA__FINDING(list, &f, F_OBLIGATION_UNPAID, (unsigned long long)l->id, kind,
                             household, expected.s, year, actual.s);
    return VIPA__FINDING(list, &f, F_OBLIGATION_UNPAID_BY, (unsigned long long)l->id, kind,
                         household, expected.s, year, actual.s, vipa__day(cutoff).s);
}

static int check_linkages(const vipa_ledger *ledger, int year, vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    int rc = VIPA_OK;
    for (uint32_t i = 0; i < ctx->linkages.count && rc == VIPA_OK; i++) {
        const linkage_rec *l = &ctx->linkages.items[i];
        if (year >= l->from_year && year <= l->to_year)
            rc = vipa__check_linkage_agreement(ledger, i, year, list);
    }
    return rc;
}

int vipa__check_obligations(const vipa_ledger *ledger, int year, vipa_date cutoff,
                            vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    int rc = VIPA_OK;
    for (uint32_t i = 0; i < ctx->linkages.count && rc == VIPA_OK; i++)
        if (vipa__linkage_due_in(ledger, i, year))
            rc = vipa__check_linkage_paid(ledger, i, year, cutoff, list);
    return rc;
}

/* DIVIDEND_PAID_AS_AGREED (二(三)): every dividend due to a household is paid in full. */
int vipa__check_dividend(const vipa_ledger *ledger, uint32_t entity, uint32_t household, int year,
                         vipa_date cutoff, vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    vipa_fen due = vipa__dividend_due(ledger, entity, household, year);
    vipa_fen paid = vipa__dividend_paid(ledger, entity, household, year, cutoff);
    if (paid >= due)
        return VIPA_OK;
    vipa__yuan_text expected = vipa__yuan(due), actual = vipa__yuan(paid);
    vipa_id id = ctx->households.items[household].id;
    vipa__finding_in f = {VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SEVERITY_NONE,
                          VIPA_SUBJECT_HOUSEHOLD, id, year, expected.s, actual.s};
    vipa_fen agreed = vipa__agreed_dividend(ledger, entity, household, year);
    unsigned long long from = ctx->entities.items[entity].id;
    if (agreed == due && cutoff)
        return VIPA__FINDING(list, &f, F_DIVIDEND_UNPAID_AGREED_BY, (unsigned long long)id, year,
                             from, expected.s, actual.s, vipa__day(cutoff).s);
    if (agreed == due)
        return VIPA__FINDING(list, &f, F_DIVIDEND_UNPAID_AGREED, (unsigned long long)id, year,
                             from, expected.s, actual.s);
    if (cutoff)
        return VIPA__FINDING(list, &f, F_DIVIDEND_UNPAID_BY, (unsigned long long)id, year, from,
                             expected.s, actual.s, vipa__day(cutoff).s);
    return VIPA__FINDING(list, &f, F_DIVIDEND_UNPAID, (unsigned long long)id, year, from,
                         expected.s, actual.s);
}

static int check_dividends(const vipa_ledger *ledger, int year, vipa_date cutoff,
                           vipa_findings *list)
{
    dividend_pair *pairs = NULL;
    size_t n = 0;
    int rc = vipa__dividend_pairs(ledger, year, &pairs, &n);
    for (size_t i = 0; i < n && rc == VIPA_OK; i++)
        rc = vipa__check_dividend(ledger, pairs[i].entity, pairs[i].household, year, cutoff, list);
    vipa__free(&ledger->alloc, pairs);
    return rc;
}

int vipa__check_money_of_year(const vipa_ledger *ledger, int year, vipa_date cutoff,
                              vipa_findings *list)
{
    int rc = vipa__check_obligations(ledger, year, cutoff, list);
    return rc == VIPA_OK ? check_dividends(ledger, year, cutoff, list) : rc;
}

int vipa__year_complete(const vipa_ctx *ctx, int year)
{
    return !ctx->as_of || (vipa_date)(year * 10000 + 1231) <= ctx->as_of;
}

/* Marks (1) the villages that are the core village of an entity with an agreement in
 * force in the year: the villages COVERAGE_CORE_VILLAGE looks at. */
void vipa__active_core_villages(const vipa_ledger *ledger, int year, uint8_t *active)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__rows *rows = &ledger->agreements_by_entity;
    for (uint32_t e = 0; e < ctx->entities.count; e++) {
        for (uint32_t k = rows->offsets[e]; k < rows->offsets[e + 1]; k++) {
            if (vipa__agreement_in_force(ledger, vipa__row(rows, k), year)) {
                active[vipa__area_find(ctx, ctx->entities.items[e].core_village)] = 1;
                break;
            }
        }
    }
}

/* COVERAGE_CORE_VILLAGE (一; 二(三)): in a core village every willing, poor, not-yet-exited
 * household has a linkage under an agreement in force. The message names the households
 * left out (the first ten). */
enum { NAMED_MAX = 10 };

/* Keeps the NAMED_MAX smallest ids, ascending, so the message never depends on the order
 * the households were added in. */
static void keep_smallest(uint64_t *ids, size_t *count, uint64_t id)
{
    size_t at = *count < NAMED_MAX ? (*count)++ : NAMED_MAX;
    if (at == NAMED_MAX && id >= ids[NAMED_MAX - 1])
        return;
    if (at == NAMED_MAX)
        at = NAMED_MAX - 1;
    for (; at > 0 && ids[at - 1] > id; at--)
        ids[at] = ids[at - 1];
    ids[at] = id;
}

int vipa__check_village_coverage(const vipa_ledger *ledger, uint32_t village, int year,
                                  vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__rows *rows = &ledger->households_by_village;
    size_t willing = 0, covered = 0, named = 0;
    uint64_t left_out[NAMED_MAX];
    for (uint32_t k = rows->offsets[village]; k < rows->offsets[village + 1]; k++) {
        uint32_t h = vipa__row(rows, k);
        if (!vipa__household_counts_for_coverage(ledger, h, year))
            continue;
        willing++;
        if (vipa__household_covered(ledger, h, year))
            covered++;
        else
            keep_smallest(left_out, &named, ctx->households.items[h].id);
    }
    if (covered == willing)
        return VIPA_OK;
    char missing[NAMED_MAX * 22] = "";
    for (size_t i = 0, used = 0; i < named; i++)
        used += (size_t)snprintf(missing + used, sizeof missing - used, "%s%llu", i ? ", " : "",
                                 (unsigned long long)left_out[i]);
    char expected[24], actual[24];
    snprintf(expected, sizeof expected, "%zu", willing);
    snprintf(actual, sizeof actual, "%zu", covered);
    vipa_area_code code = ctx->areas.items[village].code;
    vipa__finding_in f = {VIPA_RULE_COVERAGE_CORE_VILLAGE, VIPA_SEVERITY_NONE, VIPA_SUBJECT_VILLAGE,
                          code, year, expected, actual};
    if (willing - covered > NAMED_MAX)
        return VIPA__FINDING(list, &f, F_COVERAGE_MORE, (unsigned long long)code, year, covered,
                             willing, missing);
    return VIPA__FINDING(list, &f, F_COVERAGE, (unsigned long long)code, year, covered, willing,
                         missing);
}

static int check_coverage(const vipa_ledger *ledger, int year, vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    uint8_t *active = vipa__calloc(&ledger->alloc, ctx->areas.count + 1, 1);
    if (!active)
        return VIPA_E_NOMEM;
    vipa__active_core_villages(ledger, year, active);
    int rc = VIPA_OK;
    for (uint32_t v = 0; v < ctx->areas.count && rc == VIPA_OK; v++)
        if (active[v])
            rc = vipa__check_village_coverage(ledger, v, year, list);
    vipa__free(&ledger->alloc, active);
    return rc;
}

int vipa_ledger_check(vipa_findings **out, const vipa_ledger *ledger, int year, vipa_date cutoff)
{
    if (!out)
        return VIPA_E_INVALID;
    *out = NULL;
    if (!ledger)
        return VIPA_E_INVALID;
    vipa_findings *list = vipa__findings_new(&ledger->alloc);
    if (!list)
        return VIPA_E_NOMEM;
    int rc = check_linkages(ledger, year, list);
    if (rc == VIPA_OK)
        rc = vipa__check_money_of_year(ledger, year, cutoff, list);
    if (rc == VIPA_OK)
        rc = check_coverage(ledger, year, list);
    if (rc == VIPA_OK)
        rc = vipa__equity_check(ledger, year, list);
    if (rc != VIPA_OK) {
        vipa_findings_free(list);
        return rc;
    }
    vipa__findings_sort(list);
    *out = list;
    return VIPA_OK;
}
