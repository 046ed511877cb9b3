/* Tests of include/vipa/agreement.h: adding agreements (四(二)) and plans (四(三)).
 * Every refusal is checked for its code, for a message that names the record and the
 * field, and for leaving the context exactly as it was. Expected values are worked by
 * hand in the comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "agreement_internal.h"
#include "registry_internal.h"
#include "vipa.h"
#include "support.h"
#include "fixture.h"

#define TOO_MANY ((size_t)UINT32_MAX + 1)

/* ---- fixture ------------------------------------------------------------------- */

/* 商州区; 城关街道 with 杏树园村 and 示例村; 黑山镇 with 东川村. Entity 1 in 杏树园村;
 * households 1001 and 1002 in 杏树园村, 1003 in 东川村, each of 4 members, 2 working,
 * poor through illness. */
static vipa_ctx *new_world_with(const vipa_ctx_options *options)
{
    vipa_ctx *ctx = fixture_new_ctx(options);
    const vipa_area_code places[6] = {SHANGZHOU, CHENGGUAN, HEISHAN, XINGSHUYUAN, CG_205,
                                      DONGCHUAN};
    fixture_add_places(ctx, places, 6, NULL);
    fixture_add_entity(ctx, fixture_entity(1, "杏树园核桃专业合作社", XINGSHUYUAN, "核桃"));
    const vipa_id ids[3] = {1001, 1002, 1003};
    const vipa_area_code villages[3] = {XINGSHUYUAN, XINGSHUYUAN, DONGCHUAN};
    for (int i = 0; i < 3; i++) {
        vipa_household h = fixture_household(ids[i], villages[i], 4);
        h.labour = 2;
        h.cause = VIPA_CAUSE_ILLNESS;
        fixture_add_household(ctx, h);
    }
    return ctx;
}

static vipa_ctx *new_world(void)
{
    return new_world_with(NULL);
}

static const vipa_id two_households[2] = {1002, 1001};

/* A complete, signed agreement of entity 1 covering 1001 and 1002, signed by 杏树园村's
 * committee (both households and the core village are in 杏树园村: 四(二)). */
static vipa_agreement valid_agreement(vipa_id id)
{
    vipa_agreement a = fixture_agreement(id, 1, two_households, 2, 20161115);
    a.signer_level = VIPA_SIGNER_VILLAGE;
    a.signer_area = XINGSHUYUAN;
    return a;
}

static const int task_years[2] = {2018, 2017};
static const vipa_fen task_incomes[2] = {1300000, 1200000}; /* 13000.00 and 12000.00 yuan */

static vipa_plan valid_plan(vipa_id household, vipa_id agreement)
{
    vipa_plan p = fixture_plan(household, agreement, 2017, task_years, 2);
    p.task_incomes = task_incomes;
    p.person_task_count = 4;
    return p;
}

/* What an add may change; compared before and after a refusal. */
typedef struct snapshot {
    size_t agreements, plans, agreement_households, plan_tasks;
} snapshot;

static snapshot snap(const vipa_ctx *ctx)
{
    snapshot s = {vipa_ctx_agreement_count(ctx), vipa_ctx_plan_count(ctx),
                  ctx->agreement_household_count, ctx->plan_task_count};
    return s;
}

static void assert_unchanged(const vipa_ctx *ctx, snapshot before)
{
    snapshot now = snap(ctx);
    assert_int_equal(now.agreements, before.agreements);
    assert_int_equal(now.plans, before.plans);
    assert_int_equal(now.agreement_households, before.agreement_households);
    assert_int_equal(now.plan_tasks, before.plan_tasks);
}

static void assert_message_has(const vipa_ctx *ctx, const char *part)
{
    const char *msg = vipa_ctx_errmsg(ctx);
    if (!strstr(msg, part))
        fail_msg("message \"%s\" does not contain \"%s\"", msg, part);
}

/* Adds one bad agreement: refused with `code`, the message naming "agreements[0] (id
 * N)" and `field`, nothing changed. */
static void refuse_agreement(vipa_ctx *ctx, vipa_agreement bad, int code, const char *field)
{
    snapshot before = snap(ctx);
    char record[64];
    snprintf(record, sizeof record, "agreements[0] (id %llu)", (unsigned long long)bad.id);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &bad, 1), code);
    assert_int_equal(vipa_ctx_errcode(ctx), code);
    assert_message_has(ctx, record);
    assert_message_has(ctx, field);
    assert_unchanged(ctx, before);
}

static void refuse_plan(vipa_ctx *ctx, vipa_plan bad, int code, const char *field)
{
    snapshot before = snap(ctx);
    char record[96];
    snprintf(record, sizeof record, "plans[0] (household %llu, agreement %llu)",
             (unsigned long long)bad.household, (unsigned long long)bad.agreement);
    assert_int_equal(vipa_ctx_add_plans(ctx, &bad, 1), code);
    assert_int_equal(vipa_ctx_errcode(ctx), code);
    assert_message_has(ctx, record);
    assert_message_has(ctx, field);
    assert_unchanged(ctx, before);
}

/* ---- agreements: accepted ------------------------------------------------------- */

static void agreement_is_added_and_counted(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    assert_int_equal(vipa_ctx_agreement_count(ctx), 0);
    vipa_agreement a = valid_agreement(7);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    assert_string_equal(vipa_ctx_errmsg(ctx), "");
    assert_int_equal(vipa_ctx_agreement_count(ctx), 1);
    /* Its two households take two places of the flat array. */
    assert_int_equal(ctx->agreement_household_count, 2);
    /* An empty batch is a no-op, even with a NULL array. */
    assert_int_equal(vipa_ctx_add_agreements(ctx, NULL, 0), VIPA_OK);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 1);
    vipa_ctx_free(ctx);

    assert_int_equal(vipa_ctx_agreement_count(NULL), 0);
    assert_int_equal(vipa_ctx_add_agreements(NULL, &a, 1), VIPA_E_INVALID);
}

/* What an agreement leaves out is for AGREEMENT_CONTENT to report, not an input error:
 * an unsigned agreement with no households, count, period or signer is accepted. */
static void agreement_may_leave_content_out(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement a = VIPA_AGREEMENT_INIT;
    a.id = 8;
    a.entity = 1;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    /* Edges that are valid: a one-day period on 29 February of a leap year, a stated
     * count of 0, the largest storable counts, the year range's ends. */
    vipa_agreement b = valid_agreement(9);
    b.start = b.end = 20160229;
    b.household_count = 0;
    b.project_count = UINT32_MAX;
    b.support_count = UINT32_MAX;
    b.exit_deadline = 9999;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &b, 1), VIPA_OK);
    b.id = 10;
    b.exit_deadline = 1900;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &b, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 3);
    vipa_ctx_free(ctx);
}

/* Every signer shape that matches its level, each area in the context. */
static void agreement_accepts_each_signer_shape(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    const vipa_signer_level levels[5] = {VIPA_SIGNER_UNRECORDED, VIPA_SIGNER_VILLAGE,
                                         VIPA_SIGNER_TOWN, VIPA_SIGNER_COUNTY,
                                         VIPA_SIGNER_NOT_PROVIDED};
    const vipa_area_code areas[5] = {0, XINGSHUYUAN, CHENGGUAN, SHANGZHOU, 0};
    for (int i = 0; i < 5; i++) {
        vipa_agreement a = valid_agreement((vipa_id)(20 + i));
        a.signer_level = levels[i];
        a.signer_area = areas[i];
        assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    }
    assert_int_equal(vipa_ctx_agreement_count(ctx), 5);
    vipa_ctx_free(ctx);
}

/* Households are stored as a sorted slice: 1003, 1001, 1002 were added in that order
 * (indexes 2, 0, 1), so the slice holds 0, 1, 2; "covers" finds exactly those. */
static void agreement_households_are_sorted_and_searchable(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement first = valid_agreement(7); /* 1002, 1001 → indexes 1, 0 */
    first.signed_on = 0;
    const vipa_id three[3] = {1003, 1001, 1002};
    vipa_agreement second = valid_agreement(8);
    second.households = three;
    second.household_len = 3;
    second.signer_level = VIPA_SIGNER_UNRECORDED;
    second.signer_area = 0;
    vipa_agreement empty = valid_agreement(9);
    empty.household_len = 0;
    empty.households = NULL;
    vipa_agreement batch[3] = {first, second, empty};
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 3), VIPA_OK);

    assert_int_equal(ctx->agreement_household_count, 5);
    const uint32_t expected[5] = {0, 1, 0, 1, 2};
    for (int i = 0; i < 5; i++)
        assert_int_equal(ctx->agreement_households[i], expected[i]);
    assert_int_equal(ctx->agreements.items[1].first_household, 2);
    assert_int_equal(ctx->agreements.items[1].household_len, 3);

    /* Agreement index 0 covers households 0 and 1, not 2 (1003 in 东川村). */
    assert_true(vipa__agreement_covers(ctx, 0, 0));
    assert_true(vipa__agreement_covers(ctx, 0, 1));
    assert_false(vipa__agreement_covers(ctx, 0, 2));
    assert_true(vipa__agreement_covers(ctx, 1, 2));
    assert_true(vipa__agreement_covers(ctx, 1, 0));
    /* The empty agreement covers no one. */
    assert_false(vipa__agreement_covers(ctx, 2, 0));
    vipa_ctx_free(ctx);
}

/* ---- agreements: refused -------------------------------------------------------- */

static void agreement_refuses_bad_ids_and_references(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement a = valid_agreement(0);
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field id");

    a = valid_agreement(7);
    a.entity = 99;
    refuse_agreement(ctx, a, VIPA_E_NOT_FOUND, "field entity: entity 99");

    a = valid_agreement(7);
    a.households = NULL;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field households is NULL");

    /* The second household, 1999, was never added. */
    const vipa_id unknown[2] = {1001, 1999};
    a = valid_agreement(7);
    a.households = unknown;
    refuse_agreement(ctx, a, VIPA_E_NOT_FOUND, "field households[1]: household 1999");

    const vipa_id twice[3] = {1001, 1002, 1001};
    a = valid_agreement(7);
    a.households = twice;
    a.household_len = 3;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "lists household 1001 twice");

    /* Now the good one with the same id goes in; a second copy is refused. */
    a = valid_agreement(7);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    refuse_agreement(ctx, a, VIPA_E_EXISTS, "field id");
    assert_int_equal(vipa_ctx_agreement_count(ctx), 1);
    vipa_ctx_free(ctx);
}

static void agreement_refuses_bad_counts(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement a = valid_agreement(7);
    a.household_count = -2;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field household_count is -2");

    /* Counts are stored in 32 bits: 2^32 is one too many. household_len is refused
     * before the (two-element) array is read. */
    a = valid_agreement(7);
    a.household_len = TOO_MANY;
    refuse_agreement(ctx, a, VIPA_E_LIMIT, "field household_len");
    a = valid_agreement(7);
    a.project_count = TOO_MANY;
    refuse_agreement(ctx, a, VIPA_E_LIMIT, "field project_count");
    a = valid_agreement(7);
    a.support_count = TOO_MANY;
    refuse_agreement(ctx, a, VIPA_E_LIMIT, "field support_count");

    a = valid_agreement(7);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    vipa_ctx_free(ctx);
}

static void agreement_refuses_bad_dates(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement a = valid_agreement(7);
    a.start = 20170229; /* 2017 is no leap year: shown as given, being no date */
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field start is 20170229; expected a real day "
                     "(years 1900..9999), or 0 for none");
    a = valid_agreement(7);
    a.end = 20191301; /* month 13 */
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field end");
    a = valid_agreement(7);
    a.signed_on = -20161115;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signed_on");
    a = valid_agreement(7);
    a.signed_on = 18991231; /* before 1900 */
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signed_on");

    /* A period that ends the day before it starts is a range error. */
    a = valid_agreement(7);
    a.start = 20161101;
    a.end = 20161031;
    refuse_agreement(ctx, a, VIPA_E_RANGE, "field end 2016-10-31 is before field start 2016-11-01");

    a = valid_agreement(7);
    a.exit_deadline = 1899;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field exit_deadline is 1899");
    a.exit_deadline = 10000;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field exit_deadline is 10000");
    a.exit_deadline = -2018;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field exit_deadline");

    a = valid_agreement(7);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    vipa_ctx_free(ctx);
}

static void agreement_refuses_bad_signers(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement a = valid_agreement(7);
    a.signer_level = (vipa_signer_level)5;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signer_level is 5");
    a.signer_level = (vipa_signer_level)-1;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signer_level is -1");

    /* With no signer, or none provided, there is no area to name. */
    a = valid_agreement(7);
    a.signer_level = VIPA_SIGNER_UNRECORDED;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signer_area");
    a.signer_level = VIPA_SIGNER_NOT_PROVIDED;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signer_area is 611002001204; expected 0 "
                     "(no area) with signer_level not_provided");

    /* The area's shape must be the level's: a town for a village signer, etc. */
    a = valid_agreement(7);
    a.signer_area = CHENGGUAN;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signer_area 611002001000 is not a village");
    a.signer_level = VIPA_SIGNER_TOWN;
    a.signer_area = XINGSHUYUAN;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "is not a town");
    a.signer_level = VIPA_SIGNER_COUNTY;
    a.signer_area = CHENGGUAN;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "is not a county");
    a.signer_area = 0;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field signer_area is 0; signer_level county needs "
                     "a county code");

    /* Well shaped but absent: 611002001299 and 洛南县 611021000000 were never added. */
    a = valid_agreement(7);
    a.signer_area = UINT64_C(611002001299);
    refuse_agreement(ctx, a, VIPA_E_NOT_FOUND, "field signer_area: village 611002001299");
    a.signer_level = VIPA_SIGNER_COUNTY;
    a.signer_area = UINT64_C(611021000000);
    refuse_agreement(ctx, a, VIPA_E_NOT_FOUND, "field signer_area: county 611021000000");

    a = valid_agreement(7);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    vipa_ctx_free(ctx);
}

static void agreement_refuses_bad_versions_and_arrays(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    /* A struct of unknown version cannot be read further, not even its id: the
     * message names the record by its place and the field "version". */
    snapshot before = snap(ctx);
    vipa_agreement a = valid_agreement(7);
    a.version = 0;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_E_VERSION);
    assert_message_has(ctx, "agreements[0]: struct version 0");
    /* Version 2 (support texts, dividend_bp) is the current one since issue #14; 3 is
     * from a newer header than this library knows. */
    assert_int_equal(VIPA_AGREEMENT_VERSION, 2);
    a.version = VIPA_AGREEMENT_VERSION + 1;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_E_VERSION);
    assert_message_has(ctx, "agreements[0]: struct version 3");
    assert_unchanged(ctx, before);

    assert_int_equal(vipa_ctx_add_agreements(ctx, NULL, 2), VIPA_E_INVALID);
    assert_message_has(ctx, "agreements");
    assert_unchanged(ctx, before);
    vipa_ctx_free(ctx);
}

/* A batch of three whose third fails (unknown entity) keeps none of the three, and
 * their households leave the flat array; the same ids then go in. */
static void agreement_batch_is_all_or_nothing(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement batch[3] = {valid_agreement(7), valid_agreement(8), valid_agreement(9)};
    batch[2].entity = 2;
    snapshot before = snap(ctx);
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 3), VIPA_E_NOT_FOUND);
    assert_message_has(ctx, "agreements[2] (id 9)");
    assert_message_has(ctx, "entity 2");
    assert_unchanged(ctx, before);
    assert_int_equal(ctx->agreement_household_count, 0);

    /* The second repeats the first's id: the batch sees its own earlier records. */
    batch[2].entity = 1;
    batch[1].id = 7;
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 3), VIPA_E_EXISTS);
    assert_message_has(ctx, "agreements[1] (id 7)");
    assert_unchanged(ctx, before);

    batch[1].id = 8;
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 3), VIPA_OK);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 3);
    assert_int_equal(ctx->agreement_household_count, 6);
    vipa_ctx_free(ctx);
}

/* ---- plans: accepted ------------------------------------------------------------ */

/* Agreements 7 (1001, 1002; signed) and 8 (1001, 1003; unsigned). */
static vipa_ctx *new_world_with_agreements(void)
{
    vipa_ctx *ctx = new_world();
    const vipa_id other[2] = {1003, 1001};
    vipa_agreement batch[2] = {valid_agreement(7), valid_agreement(8)};
    batch[1].households = other;
    batch[1].signed_on = 0;
    batch[1].signer_level = VIPA_SIGNER_UNRECORDED;
    batch[1].signer_area = 0;
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 2), VIPA_OK);
    return ctx;
}

/* Tasks are stored sorted by year: 2018, 2017 given, 2017, 2018 kept, each with its
 * own income (12000.00 with 2017). A household may have a plan under each agreement. */
static void plan_is_added_with_sorted_tasks(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world_with_agreements();
    assert_int_equal(vipa_ctx_plan_count(ctx), 0);
    vipa_plan p = valid_plan(1001, 7);
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_plan_count(ctx), 1);
    assert_int_equal(ctx->plan_task_count, 2);
    assert_int_equal(ctx->plan_tasks[0].year, 2017);
    assert_int_equal(ctx->plan_tasks[0].income, 1200000);
    assert_int_equal(ctx->plan_tasks[0].has_income, 1);
    assert_int_equal(ctx->plan_tasks[1].year, 2018);
    assert_int_equal(ctx->plan_tasks[1].income, 1300000);

    /* Same household, other agreement: another key. Tasks without incomes. */
    p = valid_plan(1001, 8);
    p.task_incomes = NULL;
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
    assert_int_equal(ctx->plan_tasks[2].has_income, 0);
    /* A plan that states nothing is accepted: PLAN_* report what it lacks. */
    vipa_plan bare = VIPA_PLAN_INIT;
    bare.household = 1003;
    bare.agreement = 8;
    assert_int_equal(vipa_ctx_add_plans(ctx, &bare, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_plan_count(ctx), 3);
    assert_int_equal(ctx->plan_task_count, 4);
    /* Each plan's household and agreement, read from its key: 1001 and 1003 are
     * households 0 and 2, agreements 7 and 8 are 0 and 1. */
    const uint32_t households[3] = {0, 0, 2}, agreements[3] = {0, 1, 1};
    for (int i = 0; i < 3; i++) {
        assert_int_equal(vipa__plan_household(&ctx->plans.items[i]), households[i]);
        assert_int_equal(vipa__plan_agreement(&ctx->plans.items[i]), agreements[i]);
    }
    assert_int_equal(vipa_ctx_add_plans(ctx, NULL, 0), VIPA_OK);
    vipa_ctx_free(ctx);

    assert_int_equal(vipa_ctx_plan_count(NULL), 0);
    assert_int_equal(vipa_ctx_add_plans(NULL, &p, 1), VIPA_E_INVALID);
}

/* A plan keeps its household and agreement in its key only: each half comes back
 * whole up to the largest index a context holds (VIPA_RECORDS_MAX - 1 = 2^27 - 2) and
 * beyond, to the largest a uint32_t holds, with the other half at either edge. */
static void plan_key_keeps_both_indexes_to_the_limit(void **state)
{
    (void)state;
    const uint32_t edges[4] = {0, 1, VIPA_RECORDS_MAX - 1, UINT32_MAX};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            plan_rec p = {.key = vipa__plan_key(edges[i], edges[j])};
            assert_int_equal(vipa__plan_household(&p), edges[i]);
            assert_int_equal(vipa__plan_agreement(&p), edges[j]);
        }
    plan_rec top = {.key = vipa__plan_key(VIPA_RECORDS_MAX - 1, 0)};
    assert_int_equal(top.key, (uint64_t)134217726 << 32);
    assert_int_equal(sizeof(plan_rec), 32);
}

/* ---- plans: refused ------------------------------------------------------------- */

static void plan_refuses_bad_references(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world_with_agreements();
    refuse_plan(ctx, valid_plan(1999, 7), VIPA_E_NOT_FOUND, "field household: household 1999");
    refuse_plan(ctx, valid_plan(1001, 99), VIPA_E_NOT_FOUND, "field agreement: agreement 99");
    /* 1003 lives in 东川村 and is listed by agreement 8 only (四(三): plans follow the
     * agreement). */
    refuse_plan(ctx, valid_plan(1003, 7), VIPA_E_INVALID,
                "field household: agreement 7 does not cover household 1003");

    vipa_plan good = valid_plan(1001, 7);
    assert_int_equal(vipa_ctx_add_plans(ctx, &good, 1), VIPA_OK);
    refuse_plan(ctx, valid_plan(1001, 7), VIPA_E_EXISTS, "one plan per household and agreement");
    vipa_ctx_free(ctx);
}

static void plan_refuses_bad_fields(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world_with_agreements();
    vipa_plan p = valid_plan(1001, 7);
    p.exit_target = 1899;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field exit_target is 1899");
    p.exit_target = 10000;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field exit_target is 10000");

    p = valid_plan(1001, 7);
    p.task_years = NULL;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field task_years is NULL");

    const int early[2] = {2017, 1899};
    p = valid_plan(1001, 7);
    p.task_years = early;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field task_years[1] is 1899");
    const int late[2] = {10000, 2017};
    p.task_years = late;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field task_years[0] is 10000");

    const int repeated[3] = {2017, 2018, 2017};
    const vipa_fen three_incomes[3] = {1, 2, 3};
    p = valid_plan(1001, 7);
    p.task_years = repeated;
    p.task_incomes = three_incomes;
    p.task_len = 3;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field task_years repeats year 2017");

    const vipa_fen negative[2] = {-1, 100};
    p = valid_plan(1001, 7);
    p.task_incomes = negative;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field task_incomes[0] is -1 fen");

    p = valid_plan(1001, 7);
    p.filed = VIPA_FILED_ALL | 0x8;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field filed is 0xf");

    snapshot before = snap(ctx);
    p = valid_plan(1001, 7);
    p.version = 0;
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_E_VERSION);
    assert_message_has(ctx, "plans[0]: struct version 0");
    assert_unchanged(ctx, before);

    /* The same plan, corrected, goes in. */
    p = valid_plan(1001, 7);
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
    vipa_ctx_free(ctx);
}

static void plan_refuses_counts_beyond_32_bits(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world_with_agreements();
    vipa_plan p = valid_plan(1001, 7);
    p.industry_count = TOO_MANY;
    refuse_plan(ctx, p, VIPA_E_LIMIT, "field industry_count");
    p = valid_plan(1001, 7);
    p.measure_count = TOO_MANY;
    refuse_plan(ctx, p, VIPA_E_LIMIT, "field measure_count");
    p = valid_plan(1001, 7);
    p.person_task_count = TOO_MANY;
    refuse_plan(ctx, p, VIPA_E_LIMIT, "field person_task_count");
    /* Refused before the two-element arrays are read. */
    p = valid_plan(1001, 7);
    p.task_len = TOO_MANY;
    refuse_plan(ctx, p, VIPA_E_LIMIT, "field task_len");

    p = valid_plan(1001, 7);
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
    vipa_ctx_free(ctx);
}

/* A batch whose third plan fails keeps none, nor their tasks. */
static void plan_batch_is_all_or_nothing(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world_with_agreements();
    vipa_plan batch[3] = {valid_plan(1001, 7), valid_plan(1002, 7), valid_plan(1003, 7)};
    snapshot before = snap(ctx);
    assert_int_equal(vipa_ctx_add_plans(ctx, batch, 3), VIPA_E_INVALID);
    assert_message_has(ctx, "plans[2] (household 1003, agreement 7)");
    assert_unchanged(ctx, before);

    /* Two plans of the same household and agreement in one batch: the second is a
     * repeat of a record the same batch added. */
    batch[2] = valid_plan(1001, 7);
    assert_int_equal(vipa_ctx_add_plans(ctx, batch, 3), VIPA_E_EXISTS);
    assert_message_has(ctx, "plans[2] (household 1001, agreement 7)");
    assert_unchanged(ctx, before);

    batch[2] = valid_plan(1003, 8);
    assert_int_equal(vipa_ctx_add_plans(ctx, batch, 3), VIPA_OK);
    assert_int_equal(vipa_ctx_plan_count(ctx), 3);
    assert_int_equal(ctx->plan_task_count, 6);
    vipa_ctx_free(ctx);
}

/* ---- version 2: support texts and the agreed dividend rate (issue #14) ------------- */

/* The texts of the support measures are copied (the caller's buffer may change after),
 * in their order, after those of earlier agreements; NULL texts with a count keep only
 * the number (support_len 0); dividend_bp is kept, 0 meaning none. */
static void agreement_keeps_support_texts_and_dividend_rate(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    char first[32];
    snprintf(first, sizeof first, "%s", "贴息贷款");
    const char *texts[2] = {first, "技术培训"};
    vipa_agreement a = valid_agreement(7);
    a.support = texts;
    a.support_count = 2;
    a.dividend_bp = 800; /* 8 % */
    vipa_agreement b = valid_agreement(8); /* support_count 1, no texts; no rate */
    vipa_agreement batch[2] = {a, b};
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 2), VIPA_OK);
    snprintf(first, sizeof first, "%s", "changed");

    const agreement_rec *r = &ctx->agreements.items[0];
    assert_int_equal(r->support_count, 2);
    assert_int_equal(r->support_len, 2);
    assert_int_equal(r->dividend_bp, 800);
    assert_int_equal(ctx->agreement_support.count, 2);
    assert_string_equal(vipa__arena_get(&ctx->text, ctx->agreement_support.items[r->first_support]),
                        "贴息贷款");
    assert_string_equal(
        vipa__arena_get(&ctx->text, ctx->agreement_support.items[r->first_support + 1]), "技术培训");
    r = &ctx->agreements.items[1];
    assert_int_equal(r->support_count, 1);
    assert_int_equal(r->support_len, 0);
    assert_int_equal(r->dividend_bp, 0);
    vipa_ctx_free(ctx);
}

/* A negative dividend_bp; a support list whose text is NULL or empty (support_count
 * texts are read when support is given): VIPA_E_INVALID naming the field, nothing kept,
 * not even the texts before the bad one. */
static void agreement_refuses_bad_rate_and_support_texts(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement a = valid_agreement(7);
    a.dividend_bp = -1;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "field dividend_bp is -1");

    const char *with_null[2] = {"贴息贷款", NULL};
    a = valid_agreement(7);
    a.support = with_null;
    a.support_count = 2;
    size_t texts = ctx->agreement_support.count;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "support[1]");
    assert_int_equal(ctx->agreement_support.count, texts);

    const char *with_empty[1] = {""};
    a = valid_agreement(7);
    a.support = with_empty;
    a.support_count = 1;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "support[0]");

    const char *not_utf8[1] = {"\xff\xfe"};
    a.support = not_utf8;
    refuse_agreement(ctx, a, VIPA_E_INVALID, "support[0]");
    assert_int_equal(ctx->agreement_support.count, texts);

    /* The same agreement, corrected, goes in; so does a rate of 0 (none). */
    const char *good[1] = {"贴息贷款"};
    a.support = good;
    a.dividend_bp = 0;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    assert_int_equal(ctx->agreement_support.count, texts + 1);
    vipa_ctx_free(ctx);
}

/* An array is of one struct type, so of one version: a version-2 array whose second
 * record says version 1 is refused (VIPA_E_VERSION), the first record taken back too. */
static void agreement_batch_of_mixed_versions_is_refused(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world();
    vipa_agreement batch[2] = {valid_agreement(7), valid_agreement(8)};
    batch[1].version = 1;
    snapshot before = snap(ctx);
    assert_int_equal(batch[0].version, 2);
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 2), VIPA_E_VERSION);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_VERSION);
    assert_message_has(ctx, "agreements[1]");
    assert_message_has(ctx, "version 1");
    assert_unchanged(ctx, before);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 0);
    batch[1].version = VIPA_AGREEMENT_VERSION;
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 2), VIPA_OK);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 2);
    vipa_ctx_free(ctx);
}

/* Since issue #14 each task may state an income target or not: VIPA_FEN_UNSET marks a
 * task without one (accepted, no target); any other negative value is refused. The
 * tasks 2018 (UNSET) and 2017 (12000.00) are kept sorted: 2017 with its target, 2018
 * without. */
static void plan_task_incomes_may_be_unset(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_world_with_agreements();
    const vipa_fen mixed[2] = {VIPA_FEN_UNSET, 1200000};
    vipa_plan p = valid_plan(1001, 7);
    p.task_incomes = mixed;
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
    assert_int_equal(ctx->plan_task_count, 2);
    assert_int_equal(ctx->plan_tasks[0].year, 2017);
    assert_int_equal(ctx->plan_tasks[0].has_income, 1);
    assert_int_equal(ctx->plan_tasks[0].income, 1200000);
    assert_int_equal(ctx->plan_tasks[1].year, 2018);
    assert_int_equal(ctx->plan_tasks[1].has_income, 0);

    /* One above VIPA_FEN_UNSET (INT64_MIN + 1) is a negative amount, not the marker. */
    const vipa_fen almost[2] = {100, VIPA_FEN_UNSET + 1};
    p = valid_plan(1002, 7);
    p.task_incomes = almost;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field task_incomes[1]");
    const vipa_fen minus_one[2] = {-1, VIPA_FEN_UNSET};
    p.task_incomes = minus_one;
    refuse_plan(ctx, p, VIPA_E_INVALID, "field task_incomes[0] is -1 fen");
    /* Both unset: no target at all, like task_incomes NULL. */
    const vipa_fen none[2] = {VIPA_FEN_UNSET, VIPA_FEN_UNSET};
    p.task_incomes = none;
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
    assert_int_equal(ctx->plan_tasks[2].has_income, 0);
    assert_int_equal(ctx->plan_tasks[3].has_income, 0);
    vipa_ctx_free(ctx);
}

/* ---- running out of memory --------------------------------------------------------- */


/* With every budget from 0 up, the adds either fail with VIPA_E_NOMEM leaving the
 * context as it was, or succeed; some budget is enough. */
static void adds_fail_cleanly_without_memory(void **state)
{
    (void)state;
    int succeeded = 0;
    for (long allowance = 0; allowance < 200 && !succeeded; allowance++) {
        test_allocator b = {-1, 0}; /* unlimited while the world is built */
        vipa_ctx_options options = test_allocator_options(&b);
        vipa_ctx *ctx = new_world_with(&options);
        b.left = allowance;

        vipa_agreement agreements[3] = {valid_agreement(7), valid_agreement(8), valid_agreement(9)};
        vipa_plan plans[2] = {valid_plan(1001, 7), valid_plan(1002, 7)};
        snapshot before = snap(ctx);
        int rc = vipa_ctx_add_agreements(ctx, agreements, 3);
        if (rc == VIPA_OK)
            rc = vipa_ctx_add_plans(ctx, plans, 2);
        if (rc == VIPA_OK) {
            succeeded = 1;
            assert_int_equal(vipa_ctx_plan_count(ctx), 2);
        } else {
            assert_int_equal(rc, VIPA_E_NOMEM);
            /* Either the agreements failed (nothing new) or the plans did (no plan). */
            assert_int_equal(vipa_ctx_plan_count(ctx), before.plans);
            assert_true(vipa_ctx_agreement_count(ctx) == 0 || vipa_ctx_agreement_count(ctx) == 3);
        }
        vipa_ctx_free(ctx);
    }
    assert_true(succeeded);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agreement_is_added_and_counted),
        cmocka_unit_test(agreement_may_leave_content_out),
        cmocka_unit_test(agreement_accepts_each_signer_shape),
        cmocka_unit_test(agreement_households_are_sorted_and_searchable),
        cmocka_unit_test(agreement_refuses_bad_ids_and_references),
        cmocka_unit_test(agreement_refuses_bad_counts),
        cmocka_unit_test(agreement_refuses_bad_dates),
        cmocka_unit_test(agreement_refuses_bad_signers),
        cmocka_unit_test(agreement_refuses_bad_versions_and_arrays),
        cmocka_unit_test(agreement_batch_is_all_or_nothing),
        cmocka_unit_test(plan_is_added_with_sorted_tasks),
        cmocka_unit_test(plan_key_keeps_both_indexes_to_the_limit),
        cmocka_unit_test(plan_refuses_bad_references),
        cmocka_unit_test(plan_refuses_bad_fields),
        cmocka_unit_test(plan_refuses_counts_beyond_32_bits),
        cmocka_unit_test(plan_batch_is_all_or_nothing),
        cmocka_unit_test(agreement_keeps_support_texts_and_dividend_rate),
        cmocka_unit_test(agreement_refuses_bad_rate_and_support_texts),
        cmocka_unit_test(agreement_batch_of_mixed_versions_is_refused),
        cmocka_unit_test(plan_task_incomes_may_be_unset),
        cmocka_unit_test(adds_fail_cleanly_without_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
