/*
 * The ledger module's flow records: adding linkages, payments and other incomes (一,
 * 二(三), 四(四); see include/vipa/ledger.h). Each add validates one record fully, then
 * appends it. What a ledger derives from them (dues, payments, incomes, the exit
 * standard, coverage) is ledger_flows.c; fiscal equity and shares are ledger_equity.c.
 */
#include <stdio.h>
#include <string.h>

#include "agreement_internal.h"
#include "ledger_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

/* ---- linkages --------------------------------------------------------------------------- */

/* The kind's amount fields: exactly the ones it uses, each in range. Fills amount/units. */
static int linkage_amounts(vipa_ctx *ctx, const char *at, const vipa_linkage *l, linkage_rec *r)
{
    int wage_by_days = l->kind == VIPA_LINKAGE_WAGE && l->days != 0;
    int uses_annual = l->kind == VIPA_LINKAGE_PARTICIPATION ||
                      (l->kind == VIPA_LINKAGE_WAGE && !wage_by_days);
    if (uses_annual) {
        if (l->annual == VIPA_FEN_UNSET || l->annual < 0)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: field annual is missing or negative; "
                              "expected the amount due per year%s", at,
                              l->kind == VIPA_LINKAGE_WAGE ? " (or days and daily_wage)" : "");
        if (l->days || l->daily_wage != VIPA_FEN_UNSET || l->area_cmu ||
            l->rent_per_mu != VIPA_FEN_UNSET)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: an annual amount takes no days, "
                              "daily_wage, area_cmu or rent_per_mu", at);
        r->amount = l->annual;
        return VIPA_OK;
    }
    if (wage_by_days) {
        if (l->days < 1 || l->days > 366 || l->daily_wage == VIPA_FEN_UNSET || l->daily_wage < 0)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: a wage by days needs days 1..366 and a "
                              "daily_wage ≥ 0.00", at);
        if (l->annual != VIPA_FEN_UNSET || l->area_cmu || l->rent_per_mu != VIPA_FEN_UNSET)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: a wage by days takes no annual, "
                              "area_cmu or rent_per_mu", at);
        r->amount = l->daily_wage;
        r->units = (uint32_t)l->days;
        vipa_fen due;
        if (vipa_fen_mul(&due, l->daily_wage, l->days) != VIPA_OK)
            return vipa__fail(ctx, VIPA_E_OVERFLOW, "%s: days × daily_wage does not fit", at);
        return VIPA_OK;
    }
    if (l->area_cmu < 1 || l->area_cmu > UINT32_MAX || l->rent_per_mu == VIPA_FEN_UNSET ||
        l->rent_per_mu < 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: land rent needs area_cmu 1..%lu (0.01 mu) "
                          "and a rent_per_mu ≥ 0.00", at, (unsigned long)UINT32_MAX);
    if (l->annual != VIPA_FEN_UNSET || l->days || l->daily_wage != VIPA_FEN_UNSET)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: land rent takes no annual, days or "
                          "daily_wage", at);
    r->amount = l->rent_per_mu;
    r->units = (uint32_t)l->area_cmu;
    vipa_fen due;
    if (vipa_fen_mul_area(&due, l->rent_per_mu, l->area_cmu) != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_OVERFLOW, "%s: area_cmu × rent_per_mu does not fit", at);
    return VIPA_OK;
}

/* The linkage's references: household, entity, and an agreement of that entity whose
 * period (when it states one) holds the linkage's years. */
static int linkage_references(vipa_ctx *ctx, const char *at, const vipa_linkage *l, linkage_rec *r)
{
    r->household = VIPA_TABLE_FIND(ctx->households, l->household);
    uint32_t entity = VIPA_TABLE_FIND(ctx->entities, l->entity);
    r->agreement = VIPA_TABLE_FIND(ctx->agreements, l->agreement);
    int rc;
    if ((rc = vipa__need(ctx, r->household, at, "household", l->household)) != VIPA_OK ||
        (rc = vipa__need(ctx, entity, at, "entity", l->entity)) != VIPA_OK ||
        (rc = vipa__need(ctx, r->agreement, at, "agreement", l->agreement)) != VIPA_OK)
        return rc;
    const agreement_rec *a = &ctx->agreements.items[r->agreement];
    if (a->entity != entity)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: agreement %llu is not entity %llu's", at,
                          (unsigned long long)l->agreement, (unsigned long long)l->entity);
    if (a->start && a->end &&
        (l->from_year < vipa__year_of(a->start) || l->to_year > vipa__year_of(a->end)))
        return vipa__fail(ctx, VIPA_E_RANGE, "%s: years %d..%d fall outside agreement %llu's "
                          "period %d..%d", at, l->from_year, l->to_year,
                          (unsigned long long)l->agreement, vipa__year_of(a->start),
                          vipa__year_of(a->end));
    return VIPA_OK;
}

static int add_linkage(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_linkage *l = item;
    const char *at = vipa__record_name_later(ctx, "linkages", index, "id", l->id, NULL, 0);
    int rc = vipa__check_id(ctx, at, l->id);
    if (rc != VIPA_OK)
        return rc;
    if (VIPA_TABLE_FIND(ctx->linkages, l->id) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: a linkage with this id exists already", at);
    if (l->kind < VIPA_LINKAGE_WAGE || l->kind > VIPA_LINKAGE_PARTICIPATION)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field kind is %d; expected wage, land_rent "
                          "or participation (dividends follow from shares)", at, (int)l->kind);
    if ((rc = vipa__check_year(ctx, at, "from_year", l->from_year)) != VIPA_OK ||
        (rc = vipa__check_year(ctx, at, "to_year", l->to_year)) != VIPA_OK)
        return rc;
    if (l->to_year < l->from_year)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field to_year %d is before field from_year %d",
                          at, l->to_year, l->from_year);
    linkage_rec r = {.id = l->id, .from_year = (unsigned)l->from_year,
                     .to_year = (unsigned)l->to_year, .kind = (unsigned)l->kind};
    if ((rc = linkage_amounts(ctx, at, l, &r)) != VIPA_OK ||
        (rc = linkage_references(ctx, at, l, &r)) != VIPA_OK)
        return rc;
    VIPA_TABLE_PUSH(ctx->linkages, r, r.id);
    return VIPA_OK;
}

static void linkage_ahead(const vipa_ctx *ctx, const void *item, int stage)
{
    const vipa_linkage *l = item;
    if (stage == VIPA_AHEAD_SLOTS) {
        vipa__idmap_prefetch(&ctx->linkages.map, l->id);
        vipa__idmap_prefetch(&ctx->households.map, l->household);
    } else if (stage == VIPA_AHEAD_RECORDS) {
        vipa__idmap_prefetch_record(&ctx->households.map, VIPA_KEYED(ctx->households),
                                    l->household);
    }
}

int vipa_ctx_add_linkages(vipa_ctx *ctx, const vipa_linkage *linkages, size_t n)
{
    return vipa__add_batch_ahead(ctx, VIPA_KIND_LINKAGE, add_linkage, linkage_ahead, linkages, n);
}

/* ---- payments ----------------------------------------------------------------------------- */

/* The linkage paid under (its index, the payment's target). A payment under a linkage
 * names no household: it is always the linkage's, which the stored payment reads back
 * from the linkage instead of keeping a copy. */
static int payment_to_linkage(vipa_ctx *ctx, const char *at, const vipa_payment *p,
                              uint32_t *linkage)
{
    if (p->entity || p->household)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: a payment under a linkage takes no entity "
                          "or household; give either linkage or entity and household", at);
    *linkage = VIPA_TABLE_FIND(ctx->linkages, p->linkage);
    int rc = vipa__need(ctx, *linkage, at, "linkage", p->linkage);
    if (rc != VIPA_OK)
        return rc;
    const linkage_rec *l = &ctx->linkages.items[*linkage];
    if (p->year < l->from_year || p->year > l->to_year)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field year is %d but linkage %llu is due "
                          "only in %d..%d", at, p->year, (unsigned long long)p->linkage,
                          l->from_year, l->to_year);
    return VIPA_OK;
}

/* A dividend's entity and household (indexes), and room to keep them apart: the stored
 * payment's target is their place in ctx->payment_dividends, taken only by add_payment
 * once the whole payment is accepted. */
static int payment_of_dividend(vipa_ctx *ctx, const char *at, const vipa_payment *p,
                               payment_dividend_rec *d)
{
    if (!p->entity || !p->household)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: a payment needs a linkage, or an entity and "
                          "a household for a dividend", at);
    d->entity = VIPA_TABLE_FIND(ctx->entities, p->entity);
    d->household = VIPA_TABLE_FIND(ctx->households, p->household);
    int rc = vipa__need(ctx, d->entity, at, "entity", p->entity);
    if (rc == VIPA_OK)
        rc = vipa__need(ctx, d->household, at, "household", p->household);
    if (rc != VIPA_OK)
        return rc;
    /* Never past the limit: one pair a payment, and the payments are within it. */
    rc = VIPA_LIST_RESERVE(ctx, ctx->payment_dividends, 1);
    if (rc != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory storing its entity and household",
                          at);
    return VIPA_OK;
}

static int add_payment(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_payment *p = item;
    const char *at = vipa__record_name_later(ctx, "payments", index, NULL, 0, NULL, 0);
    int rc = vipa__check_year(ctx, at, "year", p->year);
    if (rc != VIPA_OK || (rc = vipa__check_date(ctx, at, "date", p->date)) != VIPA_OK)
        return rc;
    if (p->amount < 0)
        return vipa__fail(ctx, VIPA_E_RANGE, "%s: field amount is %s; expected an amount ≥ 0.00",
                          at, vipa__yuan(p->amount).s);
    if (p->linkage) {
        uint32_t linkage = VIPA_NO_INDEX;
        if ((rc = payment_to_linkage(ctx, at, p, &linkage)) != VIPA_OK)
            return rc;
        ctx->payments.items[ctx->payments.count++] =
            vipa__payment_pack(p->amount, linkage, 0, p->year, p->date);
        return VIPA_OK;
    }
    payment_dividend_rec d;
    if ((rc = payment_of_dividend(ctx, at, p, &d)) != VIPA_OK)
        return rc;
    uint32_t pair = (uint32_t)ctx->payment_dividends.count;
    ctx->payment_dividends.items[ctx->payment_dividends.count++] = d;
    ctx->payments.items[ctx->payments.count++] =
        vipa__payment_pack(p->amount, pair, 1, p->year, p->date);
    return VIPA_OK;
}

static void payment_ahead(const vipa_ctx *ctx, const void *item, int stage)
{
    const vipa_payment *p = item;
    if (stage == VIPA_AHEAD_SLOTS && p->linkage) {
        vipa__idmap_prefetch(&ctx->linkages.map, p->linkage);
    } else if (stage == VIPA_AHEAD_SLOTS) {
        vipa__idmap_prefetch(&ctx->entities.map, p->entity);
        vipa__idmap_prefetch(&ctx->households.map, p->household);
    } else if (stage == VIPA_AHEAD_RECORDS && p->linkage) {
        vipa__idmap_prefetch_record(&ctx->linkages.map, VIPA_KEYED(ctx->linkages), p->linkage);
    } else if (stage == VIPA_AHEAD_RECORDS) {
        vipa__idmap_prefetch_record(&ctx->households.map, VIPA_KEYED(ctx->households),
                                    p->household);
    }
}

int vipa_ctx_add_payments(vipa_ctx *ctx, const vipa_payment *payments, size_t n)
{
    return vipa__add_batch_ahead(ctx, VIPA_KIND_PAYMENT, add_payment, payment_ahead, payments, n);
}

/* ---- other incomes ------------------------------------------------------------------------ */

static int add_income(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_income *in = item;
    const char *at =
        vipa__record_name_later(ctx, "incomes", index, "household", in->household, NULL, 0);
    uint32_t household = VIPA_TABLE_FIND(ctx->households, in->household);
    int rc = vipa__need(ctx, household, at, "household", in->household);
    if (rc != VIPA_OK || (rc = vipa__check_year(ctx, at, "year", in->year)) != VIPA_OK)
        return rc;
    income_rec r = {vipa__year_key(household, in->year), in->other};
    if (VIPA_TABLE_FIND(ctx->incomes, r.key) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: the other income of %d is recorded already",
                          at, in->year);
    VIPA_TABLE_PUSH(ctx->incomes, r, r.key);
    return VIPA_OK;
}

static void income_ahead(const vipa_ctx *ctx, const void *item, int stage)
{
    const vipa_income *in = item;
    if (stage == VIPA_AHEAD_SLOTS) {
        vipa__idmap_prefetch(&ctx->households.map, in->household);
    } else if (stage == VIPA_AHEAD_RECORDS) {
        vipa__idmap_prefetch_record(&ctx->households.map, VIPA_KEYED(ctx->households),
                                    in->household);
    } else {
        uint32_t household = VIPA_TABLE_FIND(ctx->households, in->household);
        if (household != VIPA_NO_INDEX)
            vipa__idmap_prefetch(&ctx->incomes.map, vipa__year_key(household, in->year));
    }
}

int vipa_ctx_add_incomes(vipa_ctx *ctx, const vipa_income *incomes, size_t n)
{
    return vipa__add_batch_ahead(ctx, VIPA_KIND_INCOME, add_income, income_ahead, incomes, n);
}

/* ---- names -------------------------------------------------------------------------------- */

const char *vipa_linkage_kind_name(vipa_linkage_kind kind)
{
    return vipa__word(VIPA_VOCAB_LINKAGE_KIND, (int)kind);
}

const char *vipa_holder_kind_name(vipa_holder_kind kind)
{
    return vipa__word(VIPA_VOCAB_HOLDER_KIND, (int)kind);
}
