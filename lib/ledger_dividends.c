/*
 * The ledger module's dividend due to a household (二(三) 每年按约定给贫困户分红): what the
 * entity declared for the year (ledger_equity.c), and never less than the rate its
 * agreements fix (`dividend_bp`) on the shares their injections gave, for each year an
 * agreement is in force. This file holds the agreed part, the one function every caller
 * asks for the due, vipa__dividend_due(), and the (entity, household) pairs that have a
 * dividend in a year (vipa__dividend_pairs, vipa__dividend_listed).
 */
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"
#include "vipa/error.h"

/* ---- building: the shares each agreement's injections gave ---------------------------- */

/* The agreed parts' order: (entity, household id, agreement id, date), so a household's
 * shares from one agreement are a run of parts with a running total, and its agreements
 * come in id order. */
static int by_agreed(const void *a, const void *b)
{
    const agreed_due *x = a, *y = b;
    if (x->entity != y->entity)
        return x->entity < y->entity ? -1 : 1;
    if (x->holder_id != y->holder_id)
        return x->holder_id < y->holder_id ? -1 : 1;
    if (x->agreement_id != y->agreement_id)
        return x->agreement_id < y->agreement_id ? -1 : 1;
    return (x->date > y->date) - (x->date < y->date);
}

static int same_group(const agreed_due *x, const agreed_due *y)
{
    return x->entity == y->entity && x->holder_id == y->holder_id && x->agreement == y->agreement;
}

static int has_rate(const vipa_ctx *ctx, uint32_t agreement)
{
    const agreement_rec *a = &ctx->agreements.items[agreement];
    return a->dividend_bp > 0 && a->start && a->end;
}

/* Every allocation to a household from an injection under an agreement with a rate. */
static int collect_parts(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    size_t n = 0;
    for (size_t i = 0; i < ledger->allocation_count; i++) {
        const allocation_rec *al = &ledger->allocations[i];
        n += vipa__holder_kind(al->holder) == VIPA_HOLDER_HOUSEHOLD &&
             has_rate(ctx, ctx->injections.items[al->injection].agreement);
    }
    if (n == 0)
        return VIPA_OK;
    ledger->agreed_dues = vipa__calloc(&ledger->alloc, n, sizeof *ledger->agreed_dues);
    if (!ledger->agreed_dues)
        return VIPA_E_NOMEM;
    for (size_t i = 0; i < ledger->allocation_count; i++) {
        const allocation_rec *al = &ledger->allocations[i];
        const injection_rec *in = &ctx->injections.items[al->injection];
        if (vipa__holder_kind(al->holder) == VIPA_HOLDER_HOUSEHOLD && has_rate(ctx, in->agreement))
            ledger->agreed_dues[ledger->agreed_due_count++] = (agreed_due){
                vipa__holder_id(ctx, al->holder), ctx->agreements.items[in->agreement].id,
                al->amount,
                in->entity, in->agreement, in->date};
    }
    qsort(ledger->agreed_dues, n, sizeof *ledger->agreed_dues, by_agreed);
    return VIPA_OK;
}

static int floor_overflow(vipa_ledger *ledger, const agreed_due *d)
{
    return vipa__fail(ledger->ctx, VIPA_E_OVERFLOW, "agreement %llu: the agreed dividend "
                      "(dividend_bp %ld) on the %s yuan of shares of household %llu does not "
                      "fit in int64 fen with the household's other agreed dividends",
                      (unsigned long long)d->agreement_id,
                      (long)ledger->ctx->agreements.items[d->agreement].dividend_bp,
                      vipa__yuan(d->shares).s, (unsigned long long)d->holder_id);
}

/* Each part's shares become the running total of its group; the floors of a household's
 * groups on their totals must fit when summed, so vipa__agreed_dividend() never overflows
 * (a total only grows with the date, and a floor on fewer shares is smaller). */
static int running_totals(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    vipa_fen floors = 0;
    for (size_t i = 0; i < ledger->agreed_due_count; i++) {
        agreed_due *d = &ledger->agreed_dues[i];
        int continues = i > 0 && same_group(d - 1, d);
        if (i > 0 && (d[-1].entity != d->entity || d[-1].holder_id != d->holder_id))
            floors = 0;
        if (continues && vipa_fen_add(&d->shares, d[-1].shares, d->shares) != VIPA_OK)
            return floor_overflow(ledger, d);
        int last = i + 1 == ledger->agreed_due_count || !same_group(d, d + 1);
        vipa_fen floor;
        if (last && (vipa_fen_mul_bp(&floor, d->shares,
                                     ctx->agreements.items[d->agreement].dividend_bp) != VIPA_OK ||
                     vipa_fen_add(&floors, floors, floor) != VIPA_OK))
            return floor_overflow(ledger, d);
    }
    return VIPA_OK;
}

int vipa__agreed_dues_build(vipa_ledger *ledger)
{
    int rc = collect_parts(ledger);
    if (rc == VIPA_E_NOMEM)
        return vipa__fail(ledger->ctx, rc, "ledger: out of memory computing the agreed "
                          "dividends (二(三))");
    return rc == VIPA_OK ? running_totals(ledger) : rc; /* VIPA_E_OVERFLOW names the agreement */
}

/* ---- queries -------------------------------------------------------------------------- */

/* The first part of (entity, household id), or agreed_due_count. */
static size_t first_agreed(const vipa_ledger *ledger, uint32_t entity, uint64_t holder)
{
    agreed_due key = {holder, 0, 0, entity, 0, 0};
    size_t lo = 0, hi = ledger->agreed_due_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (by_agreed(&ledger->agreed_dues[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The agreement's shares held from it at the end of the year, in the group starting at
 * `i`; *next is the next group's start. 0 when its period does not hold the year. */
static vipa_fen group_shares(const vipa_ledger *ledger, size_t i, int year, size_t *next)
{
    const agreed_due *d = ledger->agreed_dues;
    const agreement_rec *a = &ledger->ctx->agreements.items[d[i].agreement];
    vipa_date year_end = (vipa_date)(year * 10000 + 1231);
    vipa_fen shares = 0;
    size_t k = i;
    for (; k < ledger->agreed_due_count && same_group(&d[i], &d[k]); k++)
        if (d[k].date <= year_end)
            shares = d[k].shares; /* running total to that part */
    *next = k;
    int in_period = year >= vipa__year_of(a->start) && year <= vipa__year_of(a->end);
    return in_period ? shares : 0;
}

vipa_fen vipa__agreed_dividend(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                               int year)
{
    if (ledger->agreed_due_count == 0)
        return 0;
    const vipa_ctx *ctx = ledger->ctx;
    uint64_t id = ctx->households.items[household].id;
    vipa_fen floor = 0, balance = -1;
    for (size_t i = first_agreed(ledger, entity, id), next;
         i < ledger->agreed_due_count && ledger->agreed_dues[i].entity == entity &&
         ledger->agreed_dues[i].holder_id == id;
         i = next) {
        uint32_t agreement = ledger->agreed_dues[i].agreement;
        vipa_fen shares = group_shares(ledger, i, year, &next);
        if (shares <= 0 || !vipa__agreement_in_force(ledger, agreement, year))
            continue;
        if (balance < 0) /* shares given away since are no longer held (二(三) 按股分红) */
            balance = vipa__equity_holding(ledger, entity,
                                           vipa__holder_make(VIPA_HOLDER_HOUSEHOLD, household),
                                           (vipa_date)(year * 10000 + 1231));
        vipa_fen held = shares < balance ? shares : balance, part;
        balance -= held;
        vipa_fen_mul_bp(&part, held, ctx->agreements.items[agreement].dividend_bp);
        floor += part; /* within the sum checked by running_totals */
    }
    return floor;
}

vipa_fen vipa__dividend_due(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                            int year)
{
    vipa_fen declared = vipa__equity_dividend_due(ledger, entity, household, year);
    vipa_fen agreed = vipa__agreed_dividend(ledger, entity, household, year);
    return declared > agreed ? declared : agreed;
}

/* ---- the dividends of a year ---------------------------------------------------------- */

/* (entity id, household id), read through the indexes; equal indexes are equal ids. */
static int by_pair(const void *a, const void *b, void *context)
{
    const dividend_pair *x = a, *y = b;
    const vipa_ctx *ctx = context;
    if (x->entity != y->entity) {
        vipa_id e = ctx->entities.items[x->entity].id, f = ctx->entities.items[y->entity].id;
        return e < f ? -1 : 1;
    }
    if (x->household == y->household)
        return 0;
    vipa_id h = ctx->households.items[x->household].id, k = ctx->households.items[y->household].id;
    return h < k ? -1 : 1;
}


typedef struct pair_list {
    const vipa_ledger *ledger;
    dividend_pair *items;
    size_t count, capacity;
} pair_list;

static int pair_add(pair_list *list, uint32_t entity, uint32_t household)
{
    void *items = list->items;
    if (vipa__reserve(&list->ledger->alloc, &items, &list->capacity, list->count + 1,
                      sizeof *list->items) != VIPA_OK)
        return VIPA_E_NOMEM;
    list->items = items;
    list->items[list->count++] = (dividend_pair){entity, household};
    return VIPA_OK;
}

int vipa__dividend_listed(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                          int year)
{
    if (vipa__equity_dividend_due_index(ledger, entity, household, year) != SIZE_MAX)
        return 1;
    uint64_t id = ledger->ctx->households.items[household].id;
    for (size_t i = first_agreed(ledger, entity, id), next;
         i < ledger->agreed_due_count && ledger->agreed_dues[i].entity == entity &&
         ledger->agreed_dues[i].holder_id == id;
         i = next)
        if (group_shares(ledger, i, year, &next) > 0)
            return 1;
    return 0;
}

/* Appends to `list` the pairs of a year that have no declared due: an agreed rate on
 * shares held, or a payment without either. */
static int extra_pairs(const vipa_ledger *ledger, int year, pair_list *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    int rc = VIPA_OK;
    for (size_t i = 0, next; i < ledger->agreed_due_count && rc == VIPA_OK; i = next) {
        const agreed_due *d = &ledger->agreed_dues[i];
        uint32_t h = VIPA_TABLE_FIND(ctx->households, d->holder_id);
        if (group_shares(ledger, i, year, &next) > 0 &&
            vipa__equity_dividend_due_index(ledger, d->entity, h, year) == SIZE_MAX)
            rc = pair_add(list, d->entity, h);
    }
    for (size_t i = 0; i < ctx->payments.count && rc == VIPA_OK; i++) {
        const payment_rec *p = &ctx->payments.items[i];
        if (!vipa__payment_is_dividend(p) || vipa__payment_year(p) != year)
            continue;
        uint32_t entity = vipa__payment_entity(ctx, p), household = vipa__payment_household(ctx, p);
        if (!vipa__dividend_listed(ledger, entity, household, year))
            rc = pair_add(list, entity, household);
    }
    return rc;
}

/* Sorts a list by (entity id, household id) unless it is, and drops repeats. */
static void sort_unique(pair_list *list)
{
    const vipa_ctx *ctx = list->ledger->ctx;
    if (list->count > 1 &&
        !vipa__is_sorted_by(list->items, list->count, sizeof *list->items, by_pair, (void *)ctx))
        vipa__sort(&list->ledger->alloc, list->items, list->count, sizeof *list->items, by_pair,
                   (void *)ctx);
    size_t kept = 0;
    for (size_t i = 0; i < list->count; i++)
        if (kept == 0 || list->items[i].entity != list->items[kept - 1].entity ||
            list->items[i].household != list->items[kept - 1].household)
            list->items[kept++] = list->items[i];
    list->count = kept;
}

/* The households' declared dues of a year as pairs, in one block of their exact size:
 * no room left by doubling under the run's peak (issue #16). */
static int declared_pairs(const vipa_ledger *ledger, int year, pair_list *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    size_t n = 0;
    for (size_t i = 0; i < ledger->dividend_due_count; i++)
        n += ledger->dividend_dues[i].year == year &&
             vipa__holder_kind(ledger->dividend_dues[i].holder) == VIPA_HOLDER_HOUSEHOLD;
    if (n > 0 && !(list->items = vipa__malloc(&ledger->alloc, n * sizeof *list->items)))
        return VIPA_E_NOMEM;
    list->capacity = n;
    for (uint32_t e = 0; e < ctx->entities.count; e++)
        for (size_t i = ledger->dues_of_entity[e]; i < ledger->dues_of_entity[e + 1]; i++) {
            const dividend_due *d = &ledger->dividend_dues[i];
            if (d->year == year && vipa__holder_kind(d->holder) == VIPA_HOLDER_HOUSEHOLD)
                (void)pair_add(list, e, vipa__holder_index(d->holder)); /* within the room */
        }
    return VIPA_OK;
}

/* The declared dues of a province come sorted (by entity, then holder): only the few
 * pairs without one are sorted, then merged in. */
int vipa__dividend_pairs(const vipa_ledger *ledger, int year, dividend_pair **out, size_t *count)
{
    const vipa_ctx *ctx = ledger->ctx;
    pair_list declared = {ledger, NULL, 0, 0}, extra = {ledger, NULL, 0, 0};
    int rc = declared_pairs(ledger, year, &declared);
    if (rc == VIPA_OK)
        rc = extra_pairs(ledger, year, &extra);
    if (rc == VIPA_OK && extra.count == 0) {
        /* A province's pairs are its declared dues alone: no merged copy (at the run's
         * peak a copy is 8 bytes a household more; docs/performance.md, "National
         * scale (0.5)"). */
        sort_unique(&declared);
        *out = declared.items;
        *count = declared.count;
        return VIPA_OK;
    }
    size_t total = declared.count + extra.count;
    dividend_pair *merged = rc == VIPA_OK ? vipa__malloc(&ledger->alloc, (total + 1) * sizeof *merged)
                                          : NULL;
    if (!merged) {
        vipa__free(&ledger->alloc, declared.items);
        vipa__free(&ledger->alloc, extra.items);
        return VIPA_E_NOMEM;
    }
    sort_unique(&declared);
    sort_unique(&extra); /* disjoint from the declared ones */
    size_t a = 0, b = 0, n = 0;
    while (a < declared.count || b < extra.count)
        merged[n++] = b == extra.count || (a < declared.count &&
                                           by_pair(&declared.items[a], &extra.items[b],
                                                   (void *)ctx) < 0)
                          ? declared.items[a++]
                          : extra.items[b++];
    vipa__free(&ledger->alloc, declared.items);
    vipa__free(&ledger->alloc, extra.items);
    *out = merged;
    *count = n;
    return VIPA_OK;
}
