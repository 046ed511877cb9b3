/*
 * Tests of the equity part of include/vipa/ledger.h (lib/ledger_equity.c): fiscal-fund equity
 * injections and the 70 % poor share (三(二)), household capital (三(三)), share
 * transfers, the share register, and dividends (二(三)); the EQUITY_POOR_SHARE and
 * DISQUALIFIED_NO_SUPPORT checks. Every expected figure is worked by hand in the
 * comments; every refusal is checked for its code, a message naming the record and
 * the field, and a context left exactly as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "money_internal.h"
#include "ledger_internal.h"
#include "vipa.h"
#include "fixture.h"

#define CG_299 UINT64_C(611002001299) /* a village code the context does not hold */

static const vipa_fen UNTOUCHED = 424242;

/* ---- fixture ------------------------------------------------------------------------ */

/* 商州区, 城关街道, 杏树园村 (core village of entity 1), 示例村 (of entity 2). */
static void add_areas(vipa_ctx *ctx)
{
    const vipa_area_code places[4] = {SHANGZHOU, CHENGGUAN, XINGSHUYUAN, CG_205};
    fixture_add_places(ctx, places, 4, NULL);
}

/* Entities here work 核桃. */
static void add_entity(vipa_ctx *ctx, vipa_id id, const char *name, vipa_area_code core)
{
    fixture_add_entity(ctx, fixture_entity(id, name, core, "核桃"));
}

/* Households here are poor through illness. */
static void add_household(vipa_ctx *ctx, vipa_id id, vipa_area_code village, int members)
{
    vipa_household h = fixture_household(id, village, members);
    h.cause = VIPA_CAUSE_ILLNESS;
    fixture_add_household(ctx, h);
}

/* Agreements here are signed on 2016-11-15. */
static void add_agreement(vipa_ctx *ctx, vipa_id id, vipa_id entity, const vipa_id *households,
                          size_t n)
{
    fixture_add_agreement(ctx, fixture_agreement(id, entity, households, n, 20161115));
}

/* Listed out of id order on purpose: allocations must come out by household id. */
static const vipa_id agreement1_households[3] = {1003, 1001, 1002};
static const vipa_id agreement2_households[2] = {1004, 1001};

/* Entity 1 (core 杏树园村) with agreement 1 over 1001 (4 members), 1002 (2) and 1003 (3),
 * all of 杏树园村, and agreement 3 over nobody; entity 2 (core 611002001205) with
 * agreement 2 over 1004 (5 members, of 611002001205) and 1001. */
static vipa_ctx *new_world(void)
{
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx);
    add_entity(ctx, 1, "杏树园核桃专业合作社", XINGSHUYUAN);
    add_entity(ctx, 2, "示例村香菇合作社", CG_205);
    add_household(ctx, 1001, XINGSHUYUAN, 4);
    add_household(ctx, 1002, XINGSHUYUAN, 2);
    add_household(ctx, 1003, XINGSHUYUAN, 3);
    add_household(ctx, 1004, CG_205, 5);
    add_agreement(ctx, 1, 1, agreement1_households, 3);
    add_agreement(ctx, 2, 2, agreement2_households, 2);
    add_agreement(ctx, 3, 1, NULL, 0);
    return ctx;
}

static vipa_contribution contribution(vipa_id household, vipa_id entity, vipa_fen value,
                                      vipa_date date)
{
    vipa_contribution c = VIPA_CONTRIBUTION_INIT;
    c.household = household;
    c.entity = entity;
    c.kind = VIPA_CONTRIBUTION_LAND;
    c.value = value;
    c.date = date;
    return c;
}

static vipa_transfer transfer(vipa_id entity, vipa_holder_kind from_kind, uint64_t from_id,
                              vipa_holder_kind to_kind, uint64_t to_id, vipa_fen amount,
                              vipa_date date)
{
    vipa_transfer t = VIPA_TRANSFER_INIT;
    t.entity = entity;
    t.from_kind = from_kind;
    t.from_id = from_id;
    t.to_kind = to_kind;
    t.to_id = to_id;
    t.amount = amount;
    t.date = date;
    return t;
}

static vipa_dividend rate_dividend(vipa_id entity, int year, vipa_bp rate)
{
    vipa_dividend d = VIPA_DIVIDEND_INIT;
    d.entity = entity;
    d.year = year;
    d.rate_bp = rate;
    return d;
}

static vipa_dividend pool_dividend(vipa_id entity, int year, vipa_fen pool)
{
    vipa_dividend d = VIPA_DIVIDEND_INIT;
    d.entity = entity;
    d.year = year;
    d.pool = pool;
    return d;
}

static vipa_ledger *build(vipa_ctx *ctx)
{
    vipa_ledger *ledger = NULL;
    assert_int_equal(vipa_ledger_build(&ledger, ctx), VIPA_OK);
    assert_non_null(ledger);
    return ledger;
}

static void expect_allocation(const vipa_ledger *ledger, size_t i, vipa_id injection_id,
                              vipa_holder_kind kind, uint64_t holder, vipa_fen amount)
{
    vipa_id got_injection = 0;
    vipa_holder_kind got_kind = VIPA_HOLDER_NONE;
    uint64_t got_holder = 0;
    vipa_fen got_amount = UNTOUCHED;
    assert_int_equal(vipa_ledger_allocation(&got_injection, &got_kind, &got_holder, &got_amount,
                                            ledger, i),
                     VIPA_OK);
    assert_int_equal(got_injection, injection_id);
    assert_int_equal(got_kind, kind);
    assert_int_equal(got_holder, holder);
    assert_int_equal(got_amount, amount);
}

static vipa_fen holding(const vipa_ledger *ledger, vipa_id entity, vipa_holder_kind kind,
                        uint64_t holder, vipa_date date)
{
    vipa_fen shares = UNTOUCHED;
    assert_int_equal(vipa_ledger_holding(&shares, ledger, entity, kind, holder, date), VIPA_OK);
    return shares;
}

static vipa_fen household_due(const vipa_ledger *ledger, vipa_id entity, vipa_id household,
                              int year)
{
    vipa_fen due = UNTOUCHED;
    assert_int_equal(vipa_ledger_dividend_due(&due, ledger, entity, household, year), VIPA_OK);
    return due;
}

/* The entity (index) of due k: the range of dues_of_entity that holds it. */
static uint32_t due_entity(const vipa_ledger *ledger, size_t k)
{
    uint32_t e = 0;
    while (ledger->dues_of_entity[e + 1] <= k)
        e++;
    return e;
}

/* The due of any holder, read from the ledger's sorted dues (collectives and entities
 * have no public accessor); -1 when the holder has no due listed. */
static vipa_fen any_due(const vipa_ledger *ledger, vipa_id entity, vipa_holder_kind kind,
                        uint64_t holder, int year)
{
    for (size_t k = 0; k < ledger->dividend_due_count; k++) {
        const dividend_due *d = &ledger->dividend_dues[k];
        if (ledger->ctx->entities.items[due_entity(ledger, k)].id == entity &&
            vipa__holder_kind(d->holder) == (unsigned)kind &&
            vipa__holder_id(ledger->ctx, d->holder) == holder && d->year == year)
            return d->due;
    }
    return -1;
}

static void assert_refused(const vipa_ctx *ctx, int rc, int code, const char *record,
                           const char *field)
{
    assert_int_equal(rc, code);
    assert_int_equal(vipa_ctx_errcode(ctx), code);
    const char *msg = vipa_ctx_errmsg(ctx);
    if (!strstr(msg, record) || (field && !strstr(msg, field)))
        fail_msg("message \"%s\" should name \"%s\" and \"%s\"", msg, record, field ? field : "");
}

/* What the adds may change; compared before and after a refusal. */
typedef struct snapshot {
    size_t injections, injection_households, injection_weights;
    size_t contributions, transfers, dividends;
} snapshot;

static snapshot snap(const vipa_ctx *ctx)
{
    snapshot s = {ctx->injections.count, ctx->injection_households.count,
                  ctx->injection_weights.count, ctx->contributions.count, ctx->transfers.count,
                  ctx->dividends.count};
    return s;
}

static void assert_unchanged(const vipa_ctx *ctx, snapshot before)
{
    snapshot now = snap(ctx);
    assert_int_equal(now.injections, before.injections);
    assert_int_equal(now.injection_households, before.injection_households);
    assert_int_equal(now.injection_weights, before.injection_weights);
    assert_int_equal(now.contributions, before.contributions);
    assert_int_equal(now.transfers, before.transfers);
    assert_int_equal(now.dividends, before.dividends);
}

/* ---- allocation of an injection (三(二)) ------------------------------------------------- */

/* 100000.00 yuan under agreement 1, per household (the profile's default):
 * poor share = 10000000 fen × 7000 / 10000 = 7000000 fen (70000.00), split 3 ways:
 * 7000000 / 3 = 2333333 rest 1, equal remainders, so the spare fen goes to the lowest
 * id: 1001 → 23333.34, 1002 and 1003 → 23333.33; the other 30 % (30000.00) to the
 * collective of the core village 杏树园村 611002001204. */
static void poor_share_is_70_percent_per_household(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_injection in = fixture_injection(1, 1, 1, 20161201, 10000000);
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    assert_string_equal(vipa_ctx_errmsg(ctx), "");
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(vipa_ledger_allocation_count(ledger), 4);
    expect_allocation(ledger, 0, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 2333334);
    expect_allocation(ledger, 1, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 2333333);
    expect_allocation(ledger, 2, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 2333333);
    expect_allocation(ledger, 3, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 3000000);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* 100000.00 per member: 1001 has 4, 1002 2, 1003 3 members (9 in all) of 70000.00:
 * 7000000×4/9 = 3111111 rest 1; ×2/9 = 1555555 rest 5; ×3/9 = 2333333 rest 3; the
 * floors leave 1 fen, which goes to the largest rest (1002): 31111.11 / 15555.56 /
 * 23333.33, and 30000.00 to the collective. The same follows from the profile's
 * `equity.allocation` = per_member with allocation PROFILE. */
static void poor_share_per_member(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    static const vipa_id households[3] = {1002, 1003, 1001};
    vipa_injection in = fixture_injection(2, 1, 1, 20161201, 10000000);
    in.households = households;
    in.household_len = 3;
    in.allocation = VIPA_ALLOCATION_PER_MEMBER;
    vipa_injection by_profile = fixture_injection(3, 1, 1, 20161201, 10000000);
    assert_int_equal(vipa_param_set_text(ctx, "equity.allocation", "per_member"), VIPA_OK);
    vipa_injection both[2] = {in, by_profile};
    assert_int_equal(vipa_ctx_add_injections(ctx, both, 2), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(vipa_ledger_allocation_count(ledger), 8);
    for (vipa_id id = 2; id <= 3; id++) {
        size_t at = (size_t)(id - 2) * 4;
        expect_allocation(ledger, at + 0, id, VIPA_HOLDER_HOUSEHOLD, 1001, 3111111);
        expect_allocation(ledger, at + 1, id, VIPA_HOLDER_HOUSEHOLD, 1002, 1555556);
        expect_allocation(ledger, at + 2, id, VIPA_HOLDER_HOUSEHOLD, 1003, 2333333);
        expect_allocation(ledger, at + 3, id, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 3000000);
    }
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* Explicit weights, given in the households' order [1003, 1001, 1002] = [6, 2, 3] (sum
 * 11), on 100.00: poor 7000 fen. 7000×2/11 = 1272 rest 8 (1001); ×3/11 = 1909 rest 1
 * (1002); ×6/11 = 3818 rest 2 (1003); floors 6999, the spare fen to rest 8: 12.73 /
 * 19.09 / 38.18; 30.00 to the collective.
 * Weights [1, 1, 0] for [1001, 1002, 1003] on 10.01 (1001 fen): poor = trunc(700.7) =
 * 700, 350 / 350 / 0, rest 301; the zero part is still listed. */
static void poor_share_by_explicit_weights(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    static const vipa_id households[3] = {1003, 1001, 1002};
    static const uint64_t weights[3] = {6, 2, 3};
    static const vipa_id in_order[3] = {1001, 1002, 1003};
    static const uint64_t one_zero[3] = {1, 1, 0};
    vipa_injection a = fixture_injection(7, 1, 1, 20170101, 10000);
    a.households = households;
    a.household_len = 3;
    a.allocation = VIPA_ALLOCATION_WEIGHTS;
    a.weights = weights;
    vipa_injection b = fixture_injection(4, 1, 1, 20170101, 1001);
    b.households = in_order;
    b.household_len = 3;
    b.allocation = VIPA_ALLOCATION_WEIGHTS;
    b.weights = one_zero;
    vipa_injection both[2] = {a, b};
    assert_int_equal(vipa_ctx_add_injections(ctx, both, 2), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(vipa_ledger_allocation_count(ledger), 8);
    /* Injection 4 first: allocations follow injection ids, not the order of adding. */
    expect_allocation(ledger, 0, 4, VIPA_HOLDER_HOUSEHOLD, 1001, 350);
    expect_allocation(ledger, 1, 4, VIPA_HOLDER_HOUSEHOLD, 1002, 350);
    expect_allocation(ledger, 2, 4, VIPA_HOLDER_HOUSEHOLD, 1003, 0);
    expect_allocation(ledger, 3, 4, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 301);
    expect_allocation(ledger, 4, 7, VIPA_HOLDER_HOUSEHOLD, 1001, 1273);
    expect_allocation(ledger, 5, 7, VIPA_HOLDER_HOUSEHOLD, 1002, 1909);
    expect_allocation(ledger, 6, 7, VIPA_HOLDER_HOUSEHOLD, 1003, 3818);
    expect_allocation(ledger, 7, 7, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 3000);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* 100000.01 = 10000001 fen: 70 % is 7000000.7 fen, rounded down to 7000000 (70000.00);
 * the remainder takes the odd fen: 3000001 (30000.01). */
static void amount_that_does_not_divide(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_injection in = fixture_injection(1, 1, 1, 20161201, 10000001);
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    expect_allocation(ledger, 0, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 2333334);
    expect_allocation(ledger, 1, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 2333333);
    expect_allocation(ledger, 2, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 2333333);
    expect_allocation(ledger, 3, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 3000001);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* The profile is read when the ledger is built. poor_share_bp 6000 and remainder
 * holder "entity": 60 % of 100000.00 = 60000.00, 20000.00 each; 40000.00 to entity 1.
 * poor_share_bp 10000: 100000.00 over 3 = 3333334 / 3333333 / 3333333, and the empty
 * remainder is still listed, as 0.00. */
static void profile_sets_share_and_remainder_holder(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_injection in = fixture_injection(1, 1, 1, 20161201, 10000000);
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 6000), VIPA_OK);
    assert_int_equal(vipa_param_set_text(ctx, "equity.remainder_holder", "entity"), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    expect_allocation(ledger, 0, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 2000000);
    expect_allocation(ledger, 1, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 2000000);
    expect_allocation(ledger, 2, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 2000000);
    expect_allocation(ledger, 3, 1, VIPA_HOLDER_ENTITY, 1, 4000000);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_ENTITY, 1, 20161201), 4000000);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 20161201), 0);
    vipa_ledger_free(ledger);

    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 10000), VIPA_OK);
    ledger = build(ctx);
    assert_int_equal(vipa_ledger_allocation_count(ledger), 4);
    expect_allocation(ledger, 0, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 3333334);
    expect_allocation(ledger, 1, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 3333333);
    expect_allocation(ledger, 2, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 3333333);
    expect_allocation(ledger, 3, 1, VIPA_HOLDER_ENTITY, 1, 0);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* ---- holdings, contributions (三(三)) ------------------------------------------------------ */

/* Shares are held from the injection's date: nothing on 2016-11-30, 23333.34 for 1001
 * on 2016-12-01 and after. A contribution of land valued 5000.00 by 1002 on 2017-01-01
 * raises its 23333.33 to 28333.33 from that day. Entity 2's holders are unaffected. */
static void holdings_before_on_and_after(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_injection in = fixture_injection(1, 1, 1, 20161201, 10000000);
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    vipa_contribution c = contribution(1002, 1, 500000, 20170101);
    c.agreement = 1;
    assert_int_equal(vipa_ctx_add_contributions(ctx, &c, 1), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20161130), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20161201), 2333334);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 99991231), 2333334);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 20161130), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 20161201), 3000000);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 20161231), 2333333);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 20170101), 2833333);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1004, 20170101), 0);
    assert_int_equal(holding(ledger, 2, VIPA_HOLDER_HOUSEHOLD, 1001, 20170101), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_ENTITY, 1, 20170101), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 987654, 20170101), 0);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* ---- transfers ------------------------------------------------------------------------ */

static int add_transfer(vipa_ctx *ctx, vipa_transfer t)
{
    return vipa_ctx_add_transfers(ctx, &t, 1);
}

/* After the 100000.00 injection of 2016-12-01 (1001: 23333.34, 1002 and 1003: 23333.33,
 * collective 30000.00). */
static vipa_ctx *world_with_injection(void)
{
    vipa_ctx *ctx = new_world();
    vipa_injection in = fixture_injection(1, 1, 1, 20161201, 10000000);
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    return ctx;
}

/* 1001 gives 1000.00 to 1002 on 2017-03-01: 23333.34 − 1000.00 = 22333.34 and
 * 23333.33 + 1000.00 = 24333.33 from that day; the day before is untouched. */
static void transfer_moves_shares_from_its_date(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    assert_int_equal(add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1001,
                                                VIPA_HOLDER_HOUSEHOLD, 1002, 100000, 20170301)),
                     VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20170228), 2333334);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 20170228), 2333333);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20170301), 2233334);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 20170301), 2433333);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* 1003 holds 23333.33: giving 30000.00 is refused, and so is giving anything on
 * 2016-11-30, before the injection, when it holds 0.00. */
static void transfer_of_more_than_held_is_refused(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    snapshot before = snap(ctx);
    int rc = add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1003, VIPA_HOLDER_HOUSEHOLD,
                                        1001, 3000000, 20170401));
    assert_refused(ctx, rc, VIPA_E_RANGE, "transfers[0] (entity 1)", "more shares than held");
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "holds 23333.33 on 2017-04-01"));
    assert_unchanged(ctx, before);

    rc = add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1001, VIPA_HOLDER_HOUSEHOLD, 1002,
                                    1, 20161130));
    assert_refused(ctx, rc, VIPA_E_RANGE, "transfers[0] (entity 1)", "holds 0.00 on 2016-11-30");
    assert_unchanged(ctx, before);

    /* Exactly what is held passes, and leaves 1003 with nothing. */
    assert_int_equal(add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1003,
                                                VIPA_HOLDER_HOUSEHOLD, 1001, 2333333, 20170401)),
                     VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 20170401), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20170401), 4666667);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* 1003 (23333.33) gives 20000.00 to the collective on 2017-06-01, keeping 3333.33. A new
 * transfer of 5000.00 on 2017-03-01 is covered that day, but would leave
 * 23333.33 − 5000.00 − 20000.00 = −1666.67 on 2017-06-01: refused, naming 3333.33 held
 * there. 3333.33 itself passes. */
static void transfer_that_overdraws_a_later_one_is_refused(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    assert_int_equal(add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1003,
                                                VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 2000000,
                                                20170601)),
                     VIPA_OK);
    snapshot before = snap(ctx);
    int rc = add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1003, VIPA_HOLDER_HOUSEHOLD,
                                        1001, 500000, 20170301));
    assert_refused(ctx, rc, VIPA_E_RANGE, "transfers[0] (entity 1)", "holds 3333.33 on 2017-06-01");
    assert_unchanged(ctx, before);
    assert_int_equal(add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1003,
                                                VIPA_HOLDER_HOUSEHOLD, 1001, 333333, 20170301)),
                     VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    /* 1003: 2333333 − 333333 = 2000000 on 2017-03-01, then 0 from 2017-06-01. */
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 20170531), 2000000);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 20170601), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 20170601), 5000000);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* Earlier transfers of the same batch count, later ones do not: the collective (30000.00)
 * gives 30000.00 to 1001 on 2017-08-01, then 1001 (23333.34 + 30000.00 = 53333.34) gives
 * it all to the entity on 2017-08-02. In the other order the first one (index 0) is
 * refused, and neither is kept. */
static void transfers_of_a_batch_count_in_order(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    vipa_transfer x = transfer(1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, VIPA_HOLDER_HOUSEHOLD, 1001,
                               3000000, 20170801);
    vipa_transfer y = transfer(1, VIPA_HOLDER_HOUSEHOLD, 1001, VIPA_HOLDER_ENTITY, 1, 5333334,
                               20170802);
    vipa_transfer reversed[2] = {y, x};
    snapshot before = snap(ctx);
    int rc = vipa_ctx_add_transfers(ctx, reversed, 2);
    assert_refused(ctx, rc, VIPA_E_RANGE, "transfers[0] (entity 1)",
                   "holds 23333.34 on 2017-08-02");
    assert_unchanged(ctx, before);

    vipa_transfer in_order[2] = {x, y};
    assert_int_equal(vipa_ctx_add_transfers(ctx, in_order, 2), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20170801), 5333334);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20170802), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 20170801), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_ENTITY, 1, 20170802), 5333334);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* A collective of another village may receive shares and pass them on. */
static void collective_of_another_village_holds_shares(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    vipa_transfer t[2] = {
        transfer(1, VIPA_HOLDER_HOUSEHOLD, 1002, VIPA_HOLDER_COLLECTIVE, CG_205, 33333, 20170105),
        transfer(1, VIPA_HOLDER_COLLECTIVE, CG_205, VIPA_HOLDER_HOUSEHOLD, 1004, 33333, 20170106),
    };
    assert_int_equal(vipa_ctx_add_transfers(ctx, t, 2), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_COLLECTIVE, CG_205, 20170105), 33333);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_COLLECTIVE, CG_205, 20170106), 0);
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1004, 20170106), 33333);
    /* 2333333 − 33333 = 2300000. */
    assert_int_equal(holding(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 20170106), 2300000);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* ---- dividends (二(三)) ------------------------------------------------------------------ */

/* 8 % (800 bp) for 2017 on the holdings of 31 December 2017:
 * 1001: 2333334 × 800 / 10000 = 186666.72 → 186667 fen (1866.67);
 * 1002, 1003: 2333333 × 800 / 10000 = 186666.64 → 186667 (1866.67);
 * collective: 3000000 × 0.08 = 240000 (2400.00).
 * 1001 gives all its 23333.34 to 1002 on 2018-01-01: 2017 is untouched; for 2018 at
 * 800 bp 1001 is owed nothing and 1002 (4666667) 373333.36 → 373333 (3733.33).
 * A 2015 dividend finds no holders: no dues. */
static void rate_dividend_on_holdings_of_31_december(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    assert_int_equal(add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1001,
                                                VIPA_HOLDER_HOUSEHOLD, 1002, 2333334, 20180101)),
                     VIPA_OK);
    vipa_dividend d[3] = {rate_dividend(1, 2017, 800), rate_dividend(1, 2018, 800),
                          rate_dividend(1, 2015, 800)};
    assert_int_equal(vipa_ctx_add_dividends(ctx, d, 3), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(household_due(ledger, 1, 1001, 2017), 186667);
    assert_int_equal(household_due(ledger, 1, 1002, 2017), 186667);
    assert_int_equal(household_due(ledger, 1, 1003, 2017), 186667);
    assert_int_equal(any_due(ledger, 1, VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 2017), 240000);
    assert_int_equal(household_due(ledger, 1, 1001, 2018), 0);
    assert_int_equal(any_due(ledger, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 2018), -1);
    assert_int_equal(household_due(ledger, 1, 1002, 2018), 373333);
    assert_int_equal(household_due(ledger, 1, 1001, 2015), 0);
    assert_int_equal(household_due(ledger, 1, 1001, 2016), 0); /* no dividend that year */
    assert_int_equal(household_due(ledger, 2, 1001, 2017), 0); /* no shares in entity 2 */
    /* 2017: 4 holders; 2018: 1002, 1003 and the collective; 2015: none. */
    assert_int_equal(ledger->dividend_due_count, 7);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* A household's due is found among many dues of its entity, households out of id order
 * (the search then compares ids, and scans the last few dues for the pair: issue #16).
 * 40 households 2040, 2039, ..., 2001 (added in that order) share an injection of
 * 400000.00 under agreement 4: 70 % is 280000.00, 7000.00 each (700000 fen). 10 %
 * (1000 bp) for 2016 and 2017: 70000 fen each; 2017 gives 1000.00 of its shares to 2023
 * on 2017-06-01, so for 2017 2017 is owed 600000 × 10 % = 60000 and 2023 80000. Entity
 * 1's dues: 40 households and the collective, two years each (82, far beyond a scan). */
static void dividend_due_among_many_households_out_of_id_order(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_id ids[40];
    for (int i = 0; i < 40; i++) {
        ids[i] = (vipa_id)(2040 - i);
        add_household(ctx, ids[i], XINGSHUYUAN, 1 + i % 4);
    }
    add_agreement(ctx, 4, 1, ids, 40);
    vipa_injection in = fixture_injection(2, 1, 4, 20161201, 40000000);
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    assert_int_equal(add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 2017,
                                                VIPA_HOLDER_HOUSEHOLD, 2023, 100000, 20170601)),
                     VIPA_OK);
    vipa_dividend d[2] = {rate_dividend(1, 2016, 1000), rate_dividend(1, 2017, 1000)};
    assert_int_equal(vipa_ctx_add_dividends(ctx, d, 2), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(ledger->households_by_id, 0);
    assert_int_equal(ledger->dues_of_entity[1] - ledger->dues_of_entity[0], 82);
    for (vipa_id h = 2001; h <= 2040; h++) {
        vipa_fen due_2017 = h == 2017 ? 60000 : h == 2023 ? 80000 : 70000;
        assert_int_equal(household_due(ledger, 1, h, 2016), 70000);
        assert_int_equal(household_due(ledger, 1, h, 2017), due_2017);
        assert_int_equal(household_due(ledger, 1, h, 2018), 0); /* no dividend that year */
        assert_int_equal(household_due(ledger, 1, h, 2015), 0);
        assert_int_equal(household_due(ledger, 2, h, 2016), 0); /* no shares in entity 2 */
        /* the same as a scan of every due (a second method) */
        assert_int_equal(any_due(ledger, 1, VIPA_HOLDER_HOUSEHOLD, h, 2017), due_2017);
    }
    assert_int_equal(household_due(ledger, 1, 1001, 2016), 0); /* holds nothing */
    assert_int_equal(household_due(ledger, 1, 1001, 9999), 0);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* The ledger's year checks of dividends (DIVIDEND_PAID_AS_AGREED, 二(三)): with the
 * 2017 rate dividend above (1866.67 due to each of 1001, 1002 and 1003), 1001 paid in
 * full before the cut-off, 1002 1000.00 of it, 1003 in full but after the cut-off: two
 * failures as of 2018-01-31 (1866.67 expected, 1000.00 and 0.00 paid), one (1002) once
 * every payment counts. */
static void ledger_check_finds_dividends_unpaid(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    assert_int_equal(add_transfer(ctx, transfer(1, VIPA_HOLDER_HOUSEHOLD, 1001,
                                                VIPA_HOLDER_HOUSEHOLD, 1002, 2333334, 20180101)),
                     VIPA_OK);
    vipa_dividend d = rate_dividend(1, 2017, 800);
    assert_int_equal(vipa_ctx_add_dividends(ctx, &d, 1), VIPA_OK);
    vipa_payment p[3];
    const vipa_id to[3] = {1001, 1002, 1003};
    const vipa_fen paid[3] = {186667, 100000, 186667};
    const vipa_date on[3] = {20180110, 20180110, 20180215};
    for (int i = 0; i < 3; i++) {
        p[i] = (vipa_payment)VIPA_PAYMENT_INIT;
        p[i].entity = 1;
        p[i].household = to[i];
        p[i].year = 2017;
        p[i].amount = paid[i];
        p[i].date = on[i];
    }
    assert_int_equal(vipa_ctx_add_payments(ctx, p, 3), VIPA_OK);
    vipa_ledger *ledger = build(ctx);

    vipa_findings *f = NULL;
    assert_int_equal(vipa_ledger_check(&f, ledger, 2017, 20180131), VIPA_OK);
    size_t n = 0;
    for (size_t i = 0; i < vipa_findings_count(f); i++) {
        if (vipa_finding_rule(f, i) != VIPA_RULE_DIVIDEND_PAID_AS_AGREED)
            continue;
        uint64_t who = vipa_finding_subject_id(f, i);
        assert_int_equal(vipa_finding_subject_kind(f, i), VIPA_SUBJECT_HOUSEHOLD);
        assert_true(who == 1002 || who == 1003);
        assert_string_equal(vipa_finding_expected(f, i), "1866.67");
        assert_string_equal(vipa_finding_actual(f, i), who == 1002 ? "1000.00" : "0.00");
        n++;
    }
    assert_int_equal(n, 2);
    vipa_findings_free(f);

    assert_int_equal(vipa_ledger_check(&f, ledger, 2017, 0), VIPA_OK);
    n = 0;
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        n += vipa_finding_rule(f, i) == VIPA_RULE_DIVIDEND_PAID_AS_AGREED;
    assert_int_equal(n, 1); /* 1002 only */
    vipa_findings_free(f);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* A pool of 100.00 over three holdings of 500.00 each (contributions to entity 2):
 * 10000 / 3 = 3333 rest 1 each; the spare fen goes to the lowest position (1001):
 * 33.34 / 33.33 / 33.33, summing to 100.00 exactly. A 0.01 pool goes to 1001 alone. */
static void pool_dividend_is_split_exactly(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_contribution c[3] = {contribution(1004, 2, 50000, 20170501),
                              contribution(1002, 2, 50000, 20170501),
                              contribution(1001, 2, 50000, 20170501)};
    assert_int_equal(vipa_ctx_add_contributions(ctx, c, 3), VIPA_OK);
    vipa_dividend d[2] = {pool_dividend(2, 2017, 10000), pool_dividend(2, 2018, 1)};
    assert_int_equal(vipa_ctx_add_dividends(ctx, d, 2), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    assert_int_equal(household_due(ledger, 2, 1001, 2017), 3334);
    assert_int_equal(household_due(ledger, 2, 1002, 2017), 3333);
    assert_int_equal(household_due(ledger, 2, 1004, 2017), 3333);
    assert_int_equal(household_due(ledger, 2, 1001, 2018), 1);
    assert_int_equal(household_due(ledger, 2, 1002, 2018), 0);
    assert_int_equal(household_due(ledger, 1, 1001, 2017), 0);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* ---- refusals ---------------------------------------------------------------------------- */

/* Adds one injection as the second of a batch whose first is valid, and checks the
 * refusal takes both back. */
static void refuse_injection(vipa_ctx *ctx, vipa_injection bad, int code, const char *field)
{
    const char *kind_at_1 = "injections[1]";
    vipa_injection batch[2] = {fixture_injection(50, 1, 1, 20170101, 100), bad};
    snapshot before = snap(ctx);
    int rc = vipa_ctx_add_injections(ctx, batch, 2);
    char record[64];
    snprintf(record, sizeof record, "injections[1] (id %llu)", (unsigned long long)bad.id);
    /* A bad version is refused before the record is read: the message names its place. */
    assert_refused(ctx, rc, code, code == VIPA_E_VERSION ? kind_at_1 : record, field);
    assert_unchanged(ctx, before);
}

static void injection_refusals(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    static const vipa_id unknown[2] = {1001, 4242};
    static const vipa_id twice[3] = {1001, 1002, 1001};
    static const vipa_id one[1] = {1001};
    static const uint64_t zeros[1] = {0};
    static const uint64_t w[1] = {1};
    vipa_injection in = fixture_injection(0, 1, 1, 20170101, 100);
    refuse_injection(ctx, in, VIPA_E_INVALID, "field id");
    in = fixture_injection(1, 1, 1, 20170101, 100);
    refuse_injection(ctx, in, VIPA_E_EXISTS, "field id");
    in = fixture_injection(50, 1, 1, 20170101, 100); /* the batch's own first record */
    refuse_injection(ctx, in, VIPA_E_EXISTS, "field id");
    in = fixture_injection(9, 77, 1, 20170101, 100);
    refuse_injection(ctx, in, VIPA_E_NOT_FOUND, "field entity");
    in = fixture_injection(9, 1, 0, 20170101, 100);
    refuse_injection(ctx, in, VIPA_E_INVALID, "field agreement");
    in = fixture_injection(9, 1, 77, 20170101, 100);
    refuse_injection(ctx, in, VIPA_E_NOT_FOUND, "field agreement");
    in = fixture_injection(9, 1, 2, 20170101, 100); /* agreement 2 is entity 2's */
    refuse_injection(ctx, in, VIPA_E_INVALID, "field agreement");
    in = fixture_injection(9, 1, 1, 20170101, 0);
    refuse_injection(ctx, in, VIPA_E_INVALID, "field amount");
    in = fixture_injection(9, 1, 1, 20170101, -100);
    refuse_injection(ctx, in, VIPA_E_INVALID, "field amount");
    in = fixture_injection(9, 1, 1, 20170229, 100); /* 2017 is not a leap year */
    refuse_injection(ctx, in, VIPA_E_INVALID, "field date");
    in = fixture_injection(9, 1, 1, 20170101, 100);
    in.allocation = (vipa_allocation)4;
    refuse_injection(ctx, in, VIPA_E_INVALID, "field allocation");
    in = fixture_injection(9, 1, 1, 20170101, 100);
    in.households = unknown;
    in.household_len = 2;
    refuse_injection(ctx, in, VIPA_E_NOT_FOUND, "field households[1]");
    in.households = twice;
    in.household_len = 3;
    refuse_injection(ctx, in, VIPA_E_INVALID, "field households[2]");
    in.households = NULL;
    refuse_injection(ctx, in, VIPA_E_INVALID, "field households");
    in = fixture_injection(9, 1, 1, 20170101, 100);
    in.allocation = VIPA_ALLOCATION_WEIGHTS;
    in.households = one;
    in.household_len = 1;
    refuse_injection(ctx, in, VIPA_E_INVALID, "field weights"); /* missing */
    in.weights = zeros;
    refuse_injection(ctx, in, VIPA_E_INVALID, "field weights"); /* all zero */
    in.weights = w;
    in.household_len = 0;
    in.households = NULL;
    refuse_injection(ctx, in, VIPA_E_INVALID, "field households"); /* weights need a list */
    in = fixture_injection(9, 1, 1, 20170101, 100);
    in.weights = w;
    refuse_injection(ctx, in, VIPA_E_INVALID, "field weights"); /* not asked for */
    in = fixture_injection(9, 1, 3, 20170101, 100); /* agreement 3 lists nobody */
    refuse_injection(ctx, in, VIPA_E_INVALID, "no households to share the poor share");
    in = fixture_injection(9, 1, 1, 20170101, 100);
    in.version = 0;
    refuse_injection(ctx, in, VIPA_E_VERSION, "version");
    in.version = VIPA_INJECTION_VERSION + 1;
    refuse_injection(ctx, in, VIPA_E_VERSION, "version");

    assert_int_equal(vipa_ctx_add_injections(ctx, NULL, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_injections(NULL, &in, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_injections(ctx, NULL, 0), VIPA_OK);

    /* Nothing of the refused batches stayed: the same ids are still free. */
    vipa_injection ok[2] = {fixture_injection(50, 1, 1, 20170101, 100),
                            fixture_injection(9, 1, 3, 20170101, 100)};
    ok[1].households = one;
    ok[1].household_len = 1;
    assert_int_equal(vipa_ctx_add_injections(ctx, ok, 2), VIPA_OK);
    assert_int_equal(ctx->injections.count, 3);
    vipa_ctx_free(ctx);
}

static void refuse_contribution(vipa_ctx *ctx, vipa_contribution bad, int code, const char *field)
{
    const char *kind_at_1 = "contributions[1]";
    vipa_contribution batch[2] = {contribution(1001, 1, 100, 20170101), bad};
    snapshot before = snap(ctx);
    int rc = vipa_ctx_add_contributions(ctx, batch, 2);
    char record[96];
    snprintf(record, sizeof record, "contributions[1] (household %llu, entity %llu)",
             (unsigned long long)bad.household, (unsigned long long)bad.entity);
    /* A bad version is refused before the record is read: the message names its place. */
    assert_refused(ctx, rc, code, code == VIPA_E_VERSION ? kind_at_1 : record, field);
    assert_unchanged(ctx, before);
}

static void contribution_refusals(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_contribution c = contribution(4242, 1, 100, 20170101);
    refuse_contribution(ctx, c, VIPA_E_NOT_FOUND, "field household");
    c = contribution(1001, 77, 100, 20170101);
    refuse_contribution(ctx, c, VIPA_E_NOT_FOUND, "field entity");
    c = contribution(1001, 1, 100, 20170101);
    c.agreement = 77;
    refuse_contribution(ctx, c, VIPA_E_NOT_FOUND, "field agreement");
    c.agreement = 2; /* entity 2's */
    refuse_contribution(ctx, c, VIPA_E_INVALID, "field agreement");
    c = contribution(1001, 1, 100, 20170101);
    c.kind = VIPA_CONTRIBUTION_NONE;
    refuse_contribution(ctx, c, VIPA_E_INVALID, "field kind");
    c.kind = (vipa_contribution_kind)7;
    refuse_contribution(ctx, c, VIPA_E_INVALID, "field kind");
    c = contribution(1001, 1, 0, 20170101);
    refuse_contribution(ctx, c, VIPA_E_INVALID, "field value");
    c = contribution(1001, 1, 100, 0);
    refuse_contribution(ctx, c, VIPA_E_INVALID, "field date");
    c = contribution(1001, 1, 100, 20170101);
    c.version = 2;
    refuse_contribution(ctx, c, VIPA_E_VERSION, "version");

    /* Every kind of 三(三) is accepted, with or without the entity's agreement. */
    vipa_contribution all[6];
    for (int k = 0; k < 6; k++) {
        all[k] = contribution(1001, 1, 100, 20170101);
        all[k].kind = (vipa_contribution_kind)(k + 1);
        all[k].agreement = k % 2 ? 1 : 0;
    }
    assert_int_equal(vipa_ctx_add_contributions(ctx, all, 6), VIPA_OK);
    assert_int_equal(ctx->contributions.count, 6);
    assert_int_equal(ctx->contributions.items[0].agreement, VIPA_NO_INDEX);
    vipa_ctx_free(ctx);
}

static void refuse_transfer(vipa_ctx *ctx, vipa_transfer bad, int code, const char *field)
{
    const char *kind_at_1 = "transfers[1]";
    vipa_transfer batch[2] = {transfer(1, VIPA_HOLDER_HOUSEHOLD, 1001, VIPA_HOLDER_HOUSEHOLD, 1002,
                                       1, 20170101),
                              bad};
    snapshot before = snap(ctx);
    int rc = vipa_ctx_add_transfers(ctx, batch, 2);
    char record[64];
    snprintf(record, sizeof record, "transfers[1] (entity %llu)", (unsigned long long)bad.entity);
    /* A bad version is refused before the record is read: the message names its place. */
    assert_refused(ctx, rc, code, code == VIPA_E_VERSION ? kind_at_1 : record, field);
    assert_unchanged(ctx, before);
}

static void transfer_refusals(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    const vipa_holder_kind HH = VIPA_HOLDER_HOUSEHOLD, CO = VIPA_HOLDER_COLLECTIVE;
    refuse_transfer(ctx, transfer(77, HH, 1001, HH, 1002, 1, 20170101), VIPA_E_NOT_FOUND,
                    "field entity");
    refuse_transfer(ctx, transfer(1, VIPA_HOLDER_NONE, 1001, HH, 1002, 1, 20170101),
                    VIPA_E_INVALID, "field from_kind");
    refuse_transfer(ctx, transfer(1, HH, 1001, (vipa_holder_kind)4, 1002, 1, 20170101),
                    VIPA_E_INVALID, "field to_kind");
    refuse_transfer(ctx, transfer(1, HH, 4242, HH, 1002, 1, 20170101), VIPA_E_NOT_FOUND,
                    "field from_id: household 4242 is not in the context");
    refuse_transfer(ctx, transfer(1, HH, 1001, HH, 4242, 1, 20170101), VIPA_E_NOT_FOUND,
                    "field to_id");
    refuse_transfer(ctx, transfer(1, HH, 1001, CO, CHENGGUAN, 1, 20170101), VIPA_E_INVALID,
                    "field to_id: collective 611002001000 is not a village code"); /* a town */
    refuse_transfer(ctx, transfer(1, HH, 1001, CO, CG_299, 1, 20170101), VIPA_E_NOT_FOUND,
                    "field to_id");
    refuse_transfer(ctx, transfer(1, HH, 1001, VIPA_HOLDER_ENTITY, 2, 1, 20170101),
                    VIPA_E_INVALID, "field to_id: entity 2 holds no shares of entity 1");
    refuse_transfer(ctx, transfer(1, HH, 1001, HH, 1001, 1, 20170101), VIPA_E_INVALID,
                    "fields from and to");
    refuse_transfer(ctx, transfer(1, HH, 1001, HH, 1002, 0, 20170101), VIPA_E_INVALID,
                    "field amount");
    refuse_transfer(ctx, transfer(1, HH, 1001, HH, 1002, 1, 20171301), VIPA_E_INVALID,
                    "field date is 20171301; expected a real day (years 1900..9999)");
    refuse_transfer(ctx, transfer(1, HH, 1004, HH, 1002, 1, 20170101), VIPA_E_RANGE,
                    "field amount"); /* 1004 holds nothing in entity 1 */
    vipa_transfer t = transfer(1, HH, 1001, HH, 1002, 1, 20170101);
    t.version = 0;
    refuse_transfer(ctx, t, VIPA_E_VERSION, "version");
    vipa_ctx_free(ctx);
}

static void refuse_dividend(vipa_ctx *ctx, vipa_dividend bad, int code, const char *field)
{
    const char *kind_at_1 = "dividends[1]";
    vipa_dividend batch[2] = {rate_dividend(1, 2030, 100), bad};
    snapshot before = snap(ctx);
    int rc = vipa_ctx_add_dividends(ctx, batch, 2);
    char record[64];
    snprintf(record, sizeof record, "dividends[1] (entity %llu, year %d)",
             (unsigned long long)bad.entity, bad.year);
    /* A bad version is refused before the record is read: the message names its place. */
    assert_refused(ctx, rc, code, code == VIPA_E_VERSION ? kind_at_1 : record, field);
    assert_unchanged(ctx, before);
}

static void dividend_refusals(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    assert_int_equal(vipa_ctx_add_dividends(ctx, (vipa_dividend[]){rate_dividend(1, 2017, 800)}, 1),
                     VIPA_OK);
    refuse_dividend(ctx, rate_dividend(77, 2017, 800), VIPA_E_NOT_FOUND, "field entity");
    refuse_dividend(ctx, rate_dividend(1, 1899, 800), VIPA_E_INVALID,
                    "field year is 1899; expected a year 1900..9999");
    refuse_dividend(ctx, rate_dividend(1, 10000, 800), VIPA_E_INVALID, "field year");
    vipa_dividend d = VIPA_DIVIDEND_INIT; /* neither rate nor pool */
    d.entity = 1;
    d.year = 2018;
    refuse_dividend(ctx, d, VIPA_E_INVALID, "rate_bp and pool");
    d.rate_bp = 800;
    d.pool = 100;
    refuse_dividend(ctx, d, VIPA_E_INVALID, "rate_bp and pool");
    refuse_dividend(ctx, rate_dividend(1, 2018, -2), VIPA_E_INVALID,
                    "field rate_bp is -2; expected a rate ≥ 0 basis points, or -1 with a pool");
    refuse_dividend(ctx, pool_dividend(1, 2018, -1), VIPA_E_INVALID,
                    "field pool is -0.01; expected an amount ≥ 0.00");
    refuse_dividend(ctx, rate_dividend(1, 2017, 500), VIPA_E_EXISTS, "2017");
    refuse_dividend(ctx, pool_dividend(1, 2030, 100), VIPA_E_EXISTS, "2030"); /* its own batch */
    d = rate_dividend(1, 2018, 800);
    d.version = 9;
    refuse_dividend(ctx, d, VIPA_E_VERSION, "version");
    /* A rate of 0 and a pool of 0.00 are dividends too; entity 2 may use 2017. */
    vipa_dividend ok[3] = {rate_dividend(1, 2018, 0), pool_dividend(1, 2019, 0),
                           pool_dividend(2, 2017, 100)};
    assert_int_equal(vipa_ctx_add_dividends(ctx, ok, 3), VIPA_OK);
    assert_int_equal(ctx->dividends.count, 4);
    vipa_ctx_free(ctx);
}

/* ---- accessors --------------------------------------------------------------------------- */

/* Refusals leave outputs as they were and never touch the context's error. */
static void accessors_refuse_bad_arguments(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    vipa_ledger *ledger = build(ctx);
    vipa_fen out = UNTOUCHED;
    const vipa_holder_kind HH = VIPA_HOLDER_HOUSEHOLD;
    assert_int_equal(vipa_ledger_holding(NULL, ledger, 1, HH, 1001, 20170101), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_holding(&out, NULL, 1, HH, 1001, 20170101), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_holding(&out, ledger, 1, VIPA_HOLDER_NONE, 1001, 20170101),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_holding(&out, ledger, 1, (vipa_holder_kind)4, 1, 20170101),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_holding(&out, ledger, 1, HH, 1001, 20170230), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_holding(&out, ledger, 77, HH, 1001, 20170101), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_dividend_due(NULL, ledger, 1, 1001, 2017), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_dividend_due(&out, NULL, 1, 1001, 2017), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_dividend_due(&out, ledger, 77, 1001, 2017), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_dividend_due(&out, ledger, 1, 4242, 2017), VIPA_E_NOT_FOUND);
    assert_int_equal(out, UNTOUCHED);

    vipa_id inj = 99;
    vipa_holder_kind kind = VIPA_HOLDER_NONE;
    uint64_t holder = 99;
    assert_int_equal(vipa_ledger_allocation(&inj, &kind, &holder, &out, ledger, 4), VIPA_E_RANGE);
    assert_int_equal(vipa_ledger_allocation(NULL, &kind, &holder, &out, ledger, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_allocation(&inj, NULL, &holder, &out, ledger, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_allocation(&inj, &kind, NULL, &out, ledger, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_allocation(&inj, &kind, &holder, NULL, ledger, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_allocation(&inj, &kind, &holder, &out, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(inj, 99);
    assert_int_equal(kind, VIPA_HOLDER_NONE);
    assert_int_equal(holder, 99);
    assert_int_equal(out, UNTOUCHED);
    assert_int_equal(vipa_ledger_allocation_count(NULL), 0);

    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    assert_string_equal(vipa_ctx_errmsg(ctx), "");
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* ---- build failures ----------------------------------------------------------------------- */

/* Two injections of the largest amount, all to 1001: 70 % of INT64_MAX twice does not
 * fit in int64 fen, so the build fails naming the entity and frees what it made. */
static void build_reports_overflow(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    static const vipa_id one[1] = {1001};
    vipa_injection in[2] = {fixture_injection(1, 1, 1, 20170101, INT64_MAX),
                            fixture_injection(2, 1, 1, 20170102, INT64_MAX)};
    in[0].households = in[1].households = one;
    in[0].household_len = in[1].household_len = 1;
    assert_int_equal(vipa_ctx_add_injections(ctx, in, 2), VIPA_OK);
    vipa_ledger *ledger = NULL;
    assert_int_equal(vipa_ledger_build(&ledger, ctx), VIPA_E_OVERFLOW);
    assert_null(ledger);
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "entity 1"));
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "household 1001"));
    vipa_ctx_free(ctx);
}

/* 1001 alone holds 70 % of INT64_MAX fen; a rate of 200 % doubles it past int64. */
static void dividend_overflow_names_the_entity(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    static const vipa_id one[1] = {1001};
    vipa_injection in = fixture_injection(1, 1, 1, 20170101, INT64_MAX);
    in.households = one;
    in.household_len = 1;
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    vipa_dividend d = rate_dividend(1, 2017, 20000);
    assert_int_equal(vipa_ctx_add_dividends(ctx, &d, 1), VIPA_OK);
    vipa_ledger *ledger = NULL;
    assert_int_equal(vipa_ledger_build(&ledger, ctx), VIPA_E_OVERFLOW);
    assert_null(ledger);
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "entity 1"));
    vipa_ctx_free(ctx);
}

/* ---- checks: EQUITY_POOR_SHARE (三(二)) and DISQUALIFIED_NO_SUPPORT (四(五)) -------------------- */

static vipa_findings *check(const vipa_ledger *ledger, int year)
{
    vipa_findings *list = vipa__findings_new(&ledger->alloc);
    assert_non_null(list);
    assert_int_equal(vipa__equity_check(ledger, year, list), VIPA_OK);
    return list;
}

/* A correct register gives no EQUITY_POOR_SHARE finding. With one household's part
 * tampered (23333.34 → 23333.35, 1 fen more), the households sum to 70000.01 where
 * 70000.00 is due, and all parts to 100000.01 where 100000.00 is: two errors. */
static void poor_share_check_guards_the_construction(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    vipa_ledger *ledger = build(ctx);
    vipa_findings *list = check(ledger, 2016);
    assert_int_equal(vipa_findings_count(list), 0);
    vipa_findings_free(list);

    ledger->allocations[0].amount += 1;
    list = check(ledger, 2016);
    assert_int_equal(vipa_findings_count(list), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(vipa_finding_rule(list, i), VIPA_RULE_EQUITY_POOR_SHARE);
        assert_int_equal(vipa_finding_severity(list, i), VIPA_SEVERITY_ERROR);
        assert_int_equal(vipa_finding_subject_kind(list, i), VIPA_SUBJECT_INJECTION);
        assert_int_equal(vipa_finding_subject_id(list, i), 1);
        assert_int_equal(vipa_finding_year(list, i), 2016);
        assert_non_null(strstr(vipa_finding_message(list, i), "EQUITY_POOR_SHARE"));
    }
    assert_string_equal(vipa_finding_expected(list, 0), "70000.00");
    assert_string_equal(vipa_finding_actual(list, 0), "70000.01");
    assert_string_equal(vipa_finding_expected(list, 1), "100000.00");
    assert_string_equal(vipa_finding_actual(list, 1), "100000.01");
    vipa_findings_free(list);

    /* Only injections dated in the year are checked; 0 checks them all. */
    list = check(ledger, 2017);
    assert_int_equal(vipa_findings_count(list), 0);
    vipa_findings_free(list);
    list = check(ledger, 0);
    assert_int_equal(vipa_findings_count(list), 2);
    vipa_findings_free(list);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* Entity 1 disqualified from 2018-01-31: the injection of 2016-12-01 stands, the one of
 * 2018-01-31 (that very day) and the one of 2018-06-01 are breaches, each in its year. */
static void disqualified_entity_receives_no_new_equity(void **state)
{
    (void)state;
    vipa_ctx *ctx = world_with_injection();
    vipa_injection later[2] = {fixture_injection(2, 1, 1, 20180131, 100000),
                               fixture_injection(3, 1, 1, 20180601, 100000)};
    assert_int_equal(vipa_ctx_add_injections(ctx, later, 2), VIPA_OK);
    vipa_ledger *ledger = build(ctx);
    for (size_t e = 0; e < ctx->entities.count; e++)
        assert_int_equal(ledger->disqualified_from[e], 0); /* none until the year run decides */
    vipa_findings *list = check(ledger, 0);
    assert_int_equal(vipa_findings_count(list), 0);
    vipa_findings_free(list);

    ledger->disqualified_from[0] = 20180131; /* entity 1 has index 0 */
    list = check(ledger, 2018);
    assert_int_equal(vipa_findings_count(list), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(vipa_finding_rule(list, i), VIPA_RULE_DISQUALIFIED_NO_SUPPORT);
        assert_int_equal(vipa_finding_severity(list, i), VIPA_SEVERITY_ERROR);
        assert_int_equal(vipa_finding_subject_kind(list, i), VIPA_SUBJECT_INJECTION);
        assert_int_equal(vipa_finding_subject_id(list, i), i + 2);
        assert_int_equal(vipa_finding_year(list, i), 2018);
        const char *msg = vipa_finding_message(list, i);
        assert_non_null(strstr(msg, "entity 1"));
        assert_non_null(strstr(msg, "2018-01-31"));
        assert_non_null(strstr(msg, "DISQUALIFIED_NO_SUPPORT"));
    }
    vipa_findings_free(list);
    list = check(ledger, 2016);
    assert_int_equal(vipa_findings_count(list), 0);
    vipa_findings_free(list);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
}

/* ---- running out of memory ------------------------------------------------------------------ */

/* An allocator that fails once its budget of allocations is spent. */
typedef struct budget {
    long left;
} budget;

static void *budget_malloc(void *opaque, size_t size)
{
    budget *b = opaque;
    if (b->left == 0)
        return NULL;
    b->left -= b->left > 0;
    return test_malloc(size);
}

static void *budget_realloc(void *opaque, void *ptr, size_t size)
{
    budget *b = opaque;
    if (b->left == 0)
        return NULL;
    b->left -= b->left > 0;
    return test_realloc(ptr, size);
}

static void budget_free(void *opaque, void *ptr)
{
    (void)opaque;
    test_free(ptr);
}

static vipa_ctx *world_on_budget(budget *b)
{
    vipa_ctx_options options = VIPA_CTX_OPTIONS_INIT;
    options.malloc_fn = budget_malloc;
    options.realloc_fn = budget_realloc;
    options.free_fn = budget_free;
    options.allocator_opaque = b;
    vipa_ctx *ctx = fixture_new_ctx(&options);
    add_areas(ctx);
    add_entity(ctx, 1, "杏树园核桃专业合作社", XINGSHUYUAN);
    add_household(ctx, 1001, XINGSHUYUAN, 4);
    add_household(ctx, 1002, XINGSHUYUAN, 2);
    add_household(ctx, 1003, XINGSHUYUAN, 3);
    add_agreement(ctx, 1, 1, agreement1_households, 3);
    return ctx;
}

/* The adds and the build under every budget from 0 up: each step succeeds or fails
 * with VIPA_E_NOMEM, leaving the context as it was; some budget is enough. */
static int equity_steps(vipa_ctx *ctx)
{
    static const vipa_id households[3] = {1002, 1001, 1003};
    static const uint64_t weights[3] = {1, 2, 3};
    vipa_injection in = fixture_injection(1, 1, 1, 20161201, 10000000);
    in.households = households;
    in.household_len = 3;
    in.allocation = VIPA_ALLOCATION_WEIGHTS;
    in.weights = weights;
    vipa_contribution c = contribution(1001, 1, 500, 20170101);
    vipa_transfer t = transfer(1, VIPA_HOLDER_HOUSEHOLD, 1001, VIPA_HOLDER_HOUSEHOLD, 1002, 500,
                               20170102);
    vipa_dividend d[2] = {rate_dividend(1, 2017, 800), pool_dividend(1, 2018, 100)};
    snapshot before = snap(ctx);
    int rc = vipa_ctx_add_injections(ctx, &in, 1);
    if (rc == VIPA_OK)
        rc = vipa_ctx_add_contributions(ctx, &c, 1);
    if (rc == VIPA_OK)
        rc = vipa_ctx_add_transfers(ctx, &t, 1);
    if (rc == VIPA_OK)
        rc = vipa_ctx_add_dividends(ctx, d, 2);
    if (rc != VIPA_OK) {
        /* The failed add kept nothing: each count is as before or holds its whole batch. */
        assert_int_equal(rc, VIPA_E_NOMEM);
        snapshot now = snap(ctx);
        assert_true(now.injections == before.injections || now.injections == 1);
        assert_true(now.injection_households == 0 || now.injection_households == 3);
        assert_true(now.injection_weights == 0 || now.injection_weights == 3);
        assert_true(now.contributions <= 1 && now.transfers <= 1);
        assert_true(now.dividends == 0 || now.dividends == 2);
        assert_true(now.transfers == 0 || now.contributions == 1);
        return rc;
    }
    vipa_ledger *ledger = NULL;
    rc = vipa_ledger_build(&ledger, ctx);
    if (rc != VIPA_OK) {
        assert_int_equal(rc, VIPA_E_NOMEM);
        assert_null(ledger);
        return rc;
    }
    vipa_ledger_free(ledger);
    return VIPA_OK;
}

/* ---- the register by holder index, in holder id order (issue #16) ------------------------ */

/* A holder's word gives back its kind and index at both ends of their ranges: every kind
 * 0..3 with index 0 and the last index below VIPA_RECORDS_MAX = 134,217,727; and a kind
 * orders before the next whatever the indexes. */
static void a_holder_word_gives_back_kind_and_index(void **state)
{
    (void)state;
    const uint32_t indexes[] = {0, 1, 134217725u, 134217726u};
    for (unsigned kind = 0; kind <= 3; kind++)
        for (size_t k = 0; k < sizeof indexes / sizeof indexes[0]; k++) {
            vipa__holder h = vipa__holder_make(kind, indexes[k]);
            assert_int_equal(vipa__holder_kind(h), kind);
            assert_int_equal(vipa__holder_index(h), indexes[k]);
            if (kind > 0)
                assert_true(vipa__holder_make(kind - 1, 134217726u) < vipa__holder_make(kind, 0));
        }
}

/* Entity 1 (core 杏树园村) and households 1001..1004 of 杏树园村 under agreement 1, added
 * in id order or in the reverse, with the villages 示例村 and 杏树园村 in that order (code
 * order is the reverse); an injection, a transfer to the collective of 示例村 and one to
 * the entity, a pool dividend that does not split evenly and a rate dividend. */
static vipa_ctx *world_in_order(int reversed)
{
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    const vipa_area_code places[4] = {SHANGZHOU, CHENGGUAN, CG_205, XINGSHUYUAN};
    fixture_add_places(ctx, places, 4, NULL);
    add_entity(ctx, 1, "杏树园核桃专业合作社", XINGSHUYUAN);
    for (vipa_id k = 0; k < 4; k++)
        add_household(ctx, reversed ? 1004 - k : 1001 + k, XINGSHUYUAN, 1 + (int)k % 2);
    const vipa_id members[4] = {1002, 1004, 1001, 1003};
    add_agreement(ctx, 1, 1, members, 4);
    vipa_injection in = fixture_injection(1, 1, 1, 20170301, 1000003);
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    vipa_transfer t[2] = {
        transfer(1, VIPA_HOLDER_HOUSEHOLD, 1003, VIPA_HOLDER_COLLECTIVE, CG_205, 1000, 20170601),
        transfer(1, VIPA_HOLDER_HOUSEHOLD, 1002, VIPA_HOLDER_ENTITY, 1, 777, 20170601)};
    assert_int_equal(vipa_ctx_add_transfers(ctx, t, 2), VIPA_OK);
    vipa_dividend d[2] = {pool_dividend(1, 2017, 100007), rate_dividend(1, 2018, 333)};
    assert_int_equal(vipa_ctx_add_dividends(ctx, d, 2), VIPA_OK);
    return ctx;
}

/* The same register, event for event and due for due, and the same allocations in the
 * same order, whichever order the households and villages were added in: the order is
 * the ids' (the households 1001..1004 first, by id), not the indexes'. */
static void the_register_is_in_id_order_whatever_the_index_order(void **state)
{
    (void)state;
    vipa_ctx *a = world_in_order(0), *b = world_in_order(1);
    vipa_ledger *la = build(a), *lb = build(b);
    assert_false(lb->households_by_id);
    assert_int_equal(la->allocation_count, lb->allocation_count);
    for (size_t i = 0; i < la->allocation_count; i++) {
        vipa_id ia = 0, ib = 0;
        vipa_holder_kind ka = VIPA_HOLDER_NONE, kb = VIPA_HOLDER_NONE;
        uint64_t ha = 0, hb = 0;
        vipa_fen fa = 0, fb = 0;
        assert_int_equal(vipa_ledger_allocation(&ia, &ka, &ha, &fa, la, i), VIPA_OK);
        assert_int_equal(vipa_ledger_allocation(&ib, &kb, &hb, &fb, lb, i), VIPA_OK);
        assert_true(ia == ib && ka == kb && ha == hb && fa == fb);
        if (i < 4)
            assert_true(ka == VIPA_HOLDER_HOUSEHOLD && ha == 1001 + i);
    }
    assert_int_equal(la->event_count, lb->event_count);
    for (size_t k = 0; k < la->event_count; k++) {
        const share_event *x = &la->events[k], *y = &lb->events[k];
        assert_int_equal(vipa__holder_kind(x->holder), vipa__holder_kind(y->holder));
        assert_int_equal(vipa__holder_id(a, x->holder), vipa__holder_id(b, y->holder));
        assert_true(x->entity == y->entity && x->date == y->date && x->balance == y->balance);
        if (k > 0 && x->entity == x[-1].entity &&
            vipa__holder_kind(x->holder) == vipa__holder_kind(x[-1].holder))
            assert_true(vipa__holder_id(a, x[-1].holder) <= vipa__holder_id(a, x->holder));
    }
    assert_int_equal(la->dividend_due_count, lb->dividend_due_count);
    /* both years: 4 households, the 2 collectives and the entity hold shares */
    assert_int_equal(la->dividend_due_count, 2 * 7);
    for (size_t k = 0; k < la->dividend_due_count; k++) {
        const dividend_due *x = &la->dividend_dues[k], *y = &lb->dividend_dues[k];
        assert_int_equal(vipa__holder_kind(x->holder), vipa__holder_kind(y->holder));
        assert_int_equal(vipa__holder_id(a, x->holder), vipa__holder_id(b, y->holder));
        assert_true(x->due == y->due && x->year == y->year);
    }
    for (vipa_id h = 1001; h <= 1004; h++)
        for (int year = 2017; year <= 2018; year++) {
            assert_true(household_due(la, 1, h, year) == household_due(lb, 1, h, year));
            assert_true(household_due(la, 1, h, year) > 0);
        }
    /* The year's (entity, household) pairs, indexes in household id order too. */
    for (int w = 0; w < 2; w++) {
        const vipa_ledger *l = w ? lb : la;
        dividend_pair *pairs = NULL;
        size_t n = 0;
        assert_int_equal(vipa__dividend_pairs(l, 2017, &pairs, &n), VIPA_OK);
        assert_int_equal(n, 4);
        for (size_t k = 0; k < n; k++) {
            assert_int_equal(pairs[k].entity, 0);
            assert_int_equal(l->ctx->households.items[pairs[k].household].id, 1001 + k);
        }
        vipa__free(&l->alloc, pairs);
    }
    const uint64_t villages[2] = {XINGSHUYUAN, CG_205};
    for (size_t v = 0; v < 2; v++) {
        assert_true(holding(la, 1, VIPA_HOLDER_COLLECTIVE, villages[v], 20171231) ==
                    holding(lb, 1, VIPA_HOLDER_COLLECTIVE, villages[v], 20171231));
        assert_true(holding(la, 1, VIPA_HOLDER_COLLECTIVE, villages[v], 20171231) > 0);
    }
    assert_int_equal(holding(lb, 1, VIPA_HOLDER_COLLECTIVE, CG_205, 20171231), 1000);
    assert_int_equal(holding(lb, 1, VIPA_HOLDER_ENTITY, 1, 20171231), 777);
    assert_int_equal(holding(lb, 1, VIPA_HOLDER_ENTITY, 2, 20171231), 0); /* not entity 1 */
    assert_int_equal(holding(lb, 1, VIPA_HOLDER_HOUSEHOLD, 1005, 20171231), 0); /* no such */
    assert_int_equal(holding(lb, 1, VIPA_HOLDER_COLLECTIVE, CG_299, 20171231), 0);
    vipa_ledger_free(la);
    vipa_ledger_free(lb);
    vipa_ctx_free(a);
    vipa_ctx_free(b);
}


static void equity_fails_cleanly_without_memory(void **state)
{
    (void)state;
    int succeeded = 0;
    for (long allowance = 0; allowance < 400 && !succeeded; allowance++) {
        budget b = {-1}; /* unlimited while the world is built */
        vipa_ctx *ctx = world_on_budget(&b);
        b.left = allowance;
        succeeded = equity_steps(ctx) == VIPA_OK;
        vipa_ctx_free(ctx);
    }
    assert_true(succeeded);
}

/* ---- property: no fen is lost or made ------------------------------------------------------- */

/* splitmix64: a seeded, reproducible stream (the seed is fixed, so is every round). */
typedef struct rng {
    uint64_t state;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static uint64_t below(rng *r, uint64_t n)
{
    return next(r) % n;
}

enum { HOUSEHOLDS = 6, ROUNDS = 1000 };

static vipa_date random_date(rng *r)
{
    return (vipa_date)((2016 + (int)below(r, 4)) * 10000 + (1 + (int)below(r, 12)) * 100 +
                       1 + (int)below(r, 28));
}

/* A world with entities 1 (core 杏树园村) and 2 (core 611002001205), households
 * 1001..1006 of random sizes, and agreement e of entity e over a random non-empty set. */
static vipa_ctx *random_world(rng *r)
{
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx);
    add_entity(ctx, 1, "杏树园核桃专业合作社", XINGSHUYUAN);
    add_entity(ctx, 2, "示例村香菇合作社", CG_205);
    for (vipa_id h = 0; h < HOUSEHOLDS; h++)
        add_household(ctx, 1001 + h, h % 2 ? CG_205 : XINGSHUYUAN, 1 + (int)below(r, 9));
    for (vipa_id e = 1; e <= 2; e++) {
        vipa_id members[HOUSEHOLDS];
        size_t n = 0;
        for (vipa_id h = 0; h < HOUSEHOLDS; h++)
            if (below(r, 2) || (n == 0 && h == HOUSEHOLDS - 1))
                members[n++] = 1001 + h;
        add_agreement(ctx, e, e, members, n);
    }
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", (int64_t)below(r, 10001)),
                     VIPA_OK);
    assert_int_equal(vipa_param_set_text(ctx, "equity.remainder_holder",
                                         below(r, 2) ? "entity" : "village_collective"), VIPA_OK);
    assert_int_equal(vipa_param_set_text(ctx, "equity.allocation",
                                         below(r, 2) ? "per_member" : "per_household"), VIPA_OK);
    return ctx;
}

/* Sums of a round, in 128 bits so that the checks cannot overflow themselves. */
typedef struct totals {
    vipa__i128 injected, contributed;
    int transfers_kept, transfers_refused;
} totals;

static void random_injections(vipa_ctx *ctx, rng *r, totals *t)
{
    int n = 1 + (int)below(r, 4);
    for (int k = 0; k < n; k++) {
        vipa_id entity = 1 + below(r, 2);
        vipa_injection in = fixture_injection((vipa_id)k + 1, entity, entity, random_date(r),
                                      1 + (vipa_fen)below(r, 1000000000));
        vipa_id households[HOUSEHOLDS];
        uint64_t weights[HOUSEHOLDS];
        in.allocation = (vipa_allocation)below(r, 4);
        if (in.allocation == VIPA_ALLOCATION_WEIGHTS || below(r, 2)) {
            for (size_t h = 0; h < HOUSEHOLDS; h++)
                if (below(r, 2) || (in.household_len == 0 && h == HOUSEHOLDS - 1)) {
                    weights[in.household_len] = below(r, 4) + (in.household_len == 0);
                    households[in.household_len++] = 1001 + h;
                }
            in.households = households;
        }
        if (in.allocation == VIPA_ALLOCATION_WEIGHTS)
            in.weights = weights;
        assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
        t->injected += in.amount;
    }
}

static void random_contributions(vipa_ctx *ctx, rng *r, totals *t)
{
    int n = (int)below(r, 4);
    for (int k = 0; k < n; k++) {
        vipa_contribution c = contribution(1001 + below(r, HOUSEHOLDS), 1 + below(r, 2),
                                           1 + (vipa_fen)below(r, 100000000), random_date(r));
        assert_int_equal(vipa_ctx_add_contributions(ctx, &c, 1), VIPA_OK);
        t->contributed += c.value;
    }
}

static void random_holder(rng *r, vipa_id entity, vipa_holder_kind *kind, uint64_t *id)
{
    switch (below(r, 4)) {
    case 0:
        *kind = VIPA_HOLDER_COLLECTIVE;
        *id = below(r, 2) ? XINGSHUYUAN : CG_205;
        break;
    case 1:
        *kind = VIPA_HOLDER_ENTITY;
        *id = entity;
        break;
    default:
        *kind = VIPA_HOLDER_HOUSEHOLD;
        *id = 1001 + below(r, HOUSEHOLDS);
    }
}

/* Transfers of random size: kept when the giver holds them, else refused with
 * VIPA_E_RANGE and nothing kept. */
static void random_transfers(vipa_ctx *ctx, rng *r, totals *t)
{
    int n = (int)below(r, 6);
    for (int k = 0; k < n; k++) {
        vipa_transfer tr = transfer(1 + below(r, 2), VIPA_HOLDER_NONE, 0, VIPA_HOLDER_NONE, 0,
                                    1 + (vipa_fen)below(r, 30000000), random_date(r));
        random_holder(r, tr.entity, &tr.from_kind, &tr.from_id);
        do
            random_holder(r, tr.entity, &tr.to_kind, &tr.to_id);
        while (tr.to_kind == tr.from_kind && tr.to_id == tr.from_id);
        size_t before = ctx->transfers.count;
        int rc = vipa_ctx_add_transfers(ctx, &tr, 1);
        if (rc == VIPA_OK) {
            t->transfers_kept++;
        } else {
            assert_int_equal(rc, VIPA_E_RANGE);
            assert_int_equal(ctx->transfers.count, before);
            t->transfers_refused++;
        }
    }
}

static void random_dividends(vipa_ctx *ctx, rng *r)
{
    for (vipa_id e = 1; e <= 2; e++)
        for (int year = 2016; year <= 2019; year++) {
            if (below(r, 3) == 0)
                continue;
            vipa_dividend d = below(r, 2) ? rate_dividend(e, year, (vipa_bp)below(r, 3000))
                                          : pool_dividend(e, year, (vipa_fen)below(r, 10000000));
            assert_int_equal(vipa_ctx_add_dividends(ctx, &d, 1), VIPA_OK);
        }
}

/* Σ allocations = Σ injections, and each injection's households get exactly
 * trunc(amount × bp / 10000). */
static void allocations_conserve(const vipa_ledger *ledger, const totals *t)
{
    const vipa_ctx *ctx = ledger->ctx;
    vipa__i128 all = 0;
    for (size_t k = 0; k < ledger->allocation_count; k++)
        all += ledger->allocations[k].amount;
    assert_true(all == t->injected);
    for (size_t i = 0; i < ctx->injections.count; i++) {
        const injection_rec *in = &ctx->injections.items[i];
        vipa__i128 poor = 0;
        for (size_t k = 0; k < ledger->allocation_count; k++)
            if (ledger->allocations[k].injection == i &&
                vipa__holder_kind(ledger->allocations[k].holder) == VIPA_HOLDER_HOUSEHOLD)
                poor += ledger->allocations[k].amount;
        assert_true(poor == (vipa__i128)in->amount * ctx->profile.poor_share_bp / 10000);
    }
}

/* Every holder's final balance is ≥ 0 and they sum to injections + contributions. */
static void balances_conserve(const vipa_ledger *ledger, const totals *t)
{
    vipa__i128 sum = 0;
    for (vipa_id e = 1; e <= 2; e++) {
        uint64_t ids[HOUSEHOLDS + 3];
        vipa_holder_kind kinds[HOUSEHOLDS + 3];
        for (size_t h = 0; h < HOUSEHOLDS; h++) {
            kinds[h] = VIPA_HOLDER_HOUSEHOLD;
            ids[h] = 1001 + h;
        }
        kinds[HOUSEHOLDS] = kinds[HOUSEHOLDS + 1] = VIPA_HOLDER_COLLECTIVE;
        ids[HOUSEHOLDS] = XINGSHUYUAN;
        ids[HOUSEHOLDS + 1] = CG_205;
        kinds[HOUSEHOLDS + 2] = VIPA_HOLDER_ENTITY;
        ids[HOUSEHOLDS + 2] = e;
        for (size_t k = 0; k < HOUSEHOLDS + 3; k++) {
            vipa_fen end = holding(ledger, e, kinds[k], ids[k], 99991231);
            assert_true(end >= 0);
            sum += end;
        }
    }
    assert_true(sum == t->injected + t->contributed);
    /* Kept transfers never leave a holder short: every day ends with a balance >= 0. */
    for (size_t k = 0; k < ledger->event_count; k++) {
        const share_event *e = &ledger->events[k], *f = e + 1;
        int day_ends = k + 1 == ledger->event_count || f->entity != e->entity ||
                       f->holder != e->holder ||
                       f->date != e->date;
        assert_true(!day_ends || e->balance >= 0);
    }
}

/* Pool dues sum exactly to the pool (when anyone holds shares); rate dues are each
 * holding × rate, half away from zero, recomputed here in 128 bits. */
static void dues_conserve(const vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    for (size_t i = 0; i < ctx->dividends.count; i++) {
        const dividend_rec *d = &ctx->dividends.items[i];
        uint32_t entity = (uint32_t)(d->key >> 16);
        int year = (int)(d->key & 0xffff);
        vipa__i128 sum = 0;
        size_t holders = 0;
        for (size_t k = 0; k < ledger->dividend_due_count; k++) {
            const dividend_due *due = &ledger->dividend_dues[k];
            if (due_entity(ledger, k) != entity || due->year != year)
                continue;
            holders++;
            sum += due->due;
            vipa_fen held = vipa__equity_holding(ledger, entity, due->holder,
                                                 (vipa_date)(year * 10000 + 1231));
            assert_true(held > 0);
            if (d->rate_bp >= 0)
                assert_true(due->due == ((vipa__i128)held * d->rate_bp + 5000) / 10000);
        }
        if (d->rate_bp < 0 && holders > 0)
            assert_true(sum == d->pool);
    }
}

static void no_fen_is_lost_or_made(void **state)
{
    (void)state;
    rng r = {20161028}; /* the plan's date: any fixed seed reproduces every round */
    totals all = {0, 0, 0, 0};
    for (int round = 0; round < ROUNDS; round++) {
        vipa_ctx *ctx = random_world(&r);
        totals t = {0, 0, 0, 0};
        random_injections(ctx, &r, &t);
        random_contributions(ctx, &r, &t);
        random_transfers(ctx, &r, &t);
        random_dividends(ctx, &r);
        vipa_ledger *ledger = build(ctx);
        allocations_conserve(ledger, &t);
        balances_conserve(ledger, &t);
        dues_conserve(ledger);
        vipa_findings *list = check(ledger, 0);
        assert_int_equal(vipa_findings_count(list), 0);
        vipa_findings_free(list);
        vipa_ledger_free(ledger);
        vipa_ctx_free(ctx);
        all.transfers_kept += t.transfers_kept;
        all.transfers_refused += t.transfers_refused;
    }
    /* Both paths of the holding check were exercised. */
    assert_true(all.transfers_kept > 100);
    assert_true(all.transfers_refused > 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(poor_share_is_70_percent_per_household),
        cmocka_unit_test(poor_share_per_member),
        cmocka_unit_test(poor_share_by_explicit_weights),
        cmocka_unit_test(amount_that_does_not_divide),
        cmocka_unit_test(profile_sets_share_and_remainder_holder),
        cmocka_unit_test(holdings_before_on_and_after),
        cmocka_unit_test(transfer_moves_shares_from_its_date),
        cmocka_unit_test(transfer_of_more_than_held_is_refused),
        cmocka_unit_test(transfer_that_overdraws_a_later_one_is_refused),
        cmocka_unit_test(transfers_of_a_batch_count_in_order),
        cmocka_unit_test(collective_of_another_village_holds_shares),
        cmocka_unit_test(rate_dividend_on_holdings_of_31_december),
        cmocka_unit_test(dividend_due_among_many_households_out_of_id_order),
        cmocka_unit_test(ledger_check_finds_dividends_unpaid),
        cmocka_unit_test(pool_dividend_is_split_exactly),
        cmocka_unit_test(injection_refusals),
        cmocka_unit_test(contribution_refusals),
        cmocka_unit_test(transfer_refusals),
        cmocka_unit_test(dividend_refusals),
        cmocka_unit_test(accessors_refuse_bad_arguments),
        cmocka_unit_test(build_reports_overflow),
        cmocka_unit_test(dividend_overflow_names_the_entity),
        cmocka_unit_test(poor_share_check_guards_the_construction),
        cmocka_unit_test(disqualified_entity_receives_no_new_equity),
        cmocka_unit_test(equity_fails_cleanly_without_memory),
        cmocka_unit_test(no_fen_is_lost_or_made),
        cmocka_unit_test(a_holder_word_gives_back_kind_and_index),
        cmocka_unit_test(the_register_is_in_id_order_whatever_the_index_order),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
