/*
 * The records the unit tests build their data sets from, in one place: the places
 * (real codes and names of 商州区 and 洛南县, 商洛市; the villages marked illustrative are
 * invented, with codes of the right shape) and one builder per record kind, filled with
 * what 四(二) and 四(三) ask for and the values most tests use. A test that needs another
 * value sets that field of the record it got; what each test's data set is stays written
 * in the test. The fixture_add_* helpers add one record and assert that it was taken:
 * include after <cmocka.h>. The builders assert nothing (a thread may call them).
 */
#ifndef VIPA_TEST_FIXTURE_H
#define VIPA_TEST_FIXTURE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vipa.h"

/* ---- places ------------------------------------------------------------------------ */

#define SHANGZHOU UINT64_C(611002000000)   /* 商州区 (county) */
#define CHENGGUAN UINT64_C(611002001000)   /* 城关街道 (town) */
#define HEISHAN UINT64_C(611002107000)     /* 黑山镇 (town) */
#define XINGSHUYUAN UINT64_C(611002001204) /* 杏树园村, 城关街道 */
#define CG_205 UINT64_C(611002001205)      /* 示例村 of 城关街道 (illustrative) */
#define DONGCHUAN UINT64_C(611002107206)   /* 东川村, 黑山镇 */
#define LUONAN UINT64_C(611021000000)      /* 洛南县 (county) */
#define JINGCUN UINT64_C(611021101000)     /* 景村镇 (town) */
#define JC_201 UINT64_C(611021101201)      /* 示例村 of 景村镇 (illustrative) */

/* The place with this code as an area record, designating @p industry (NULL: none); a
 * code not listed above gives an area of no level, which the library refuses. */
static inline vipa_area fixture_area(vipa_area_code code, const char *industry)
{
    static const struct {
        vipa_area_code code;
        vipa_area_level level;
        const char *name;
    } places[] = {
        {SHANGZHOU, VIPA_AREA_COUNTY, "商州区"},   {CHENGGUAN, VIPA_AREA_TOWN, "城关街道"},
        {HEISHAN, VIPA_AREA_TOWN, "黑山镇"},       {XINGSHUYUAN, VIPA_AREA_VILLAGE, "杏树园村"},
        {CG_205, VIPA_AREA_VILLAGE, "示例村"},     {DONGCHUAN, VIPA_AREA_VILLAGE, "东川村"},
        {LUONAN, VIPA_AREA_COUNTY, "洛南县"},      {JINGCUN, VIPA_AREA_TOWN, "景村镇"},
        {JC_201, VIPA_AREA_VILLAGE, "示例村"},
    };
    vipa_area a = VIPA_AREA_INIT;
    a.code = code;
    for (size_t i = 0; i < sizeof places / sizeof places[0]; i++)
        if (places[i].code == code) {
            a.level = places[i].level;
            a.name = places[i].name;
        }
    a.industry = industry;
    return a;
}

/* Adds the places @p codes in that order (parents first), 城关街道 designating
 * @p chengguan_industry (NULL: none) and no other place designating any. */
static inline void fixture_add_places(vipa_ctx *ctx, const vipa_area_code *codes, size_t n,
                                      const char *chengguan_industry)
{
    for (size_t i = 0; i < n; i++) {
        vipa_area a = fixture_area(codes[i], codes[i] == CHENGGUAN ? chengguan_industry : NULL);
        assert_int_equal(vipa_ctx_add_areas(ctx, &a, 1), VIPA_OK);
    }
}

/* ---- the registry --------------------------------------------------------------------- */

/* A new context (@p options NULL: the defaults). */
static inline vipa_ctx *fixture_new_ctx(const vipa_ctx_options *options)
{
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, options), VIPA_OK);
    assert_non_null(ctx);
    return ctx;
}

/* A cooperative of @p core working @p industry that meets all eight criteria (二(二)). */
static inline vipa_entity fixture_entity(vipa_id id, const char *name, vipa_area_code core,
                                         const char *industry)
{
    vipa_entity e = VIPA_ENTITY_INIT;
    e.id = id;
    e.name = name;
    e.kind = VIPA_ENTITY_COOPERATIVE;
    e.core_village = core;
    e.industry = industry;
    e.selection = VIPA_SELECT_ALL;
    return e;
}

static inline void fixture_add_entity(vipa_ctx *ctx, vipa_entity e)
{
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
}

/* A household of @p members people, one of them working, poor for lack of skills (缺技术),
 * willing to take part, not exited. */
static inline vipa_household fixture_household(vipa_id id, vipa_area_code village, int members)
{
    vipa_household h = VIPA_HOUSEHOLD_INIT;
    h.id = id;
    h.village = village;
    h.members = members;
    h.labour = 1;
    h.cause = VIPA_CAUSE_LACK_OF_SKILLS;
    h.willing = 1;
    return h;
}

static inline void fixture_add_household(vipa_ctx *ctx, vipa_household h)
{
    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_OK);
}

/* ---- agreements and plans --------------------------------------------------------------- */

/* An agreement of @p entity that states what 四(二) asks for: its households (the count
 * as listed), 1 project, 1 support measure by number, the period 2016-11-01..2019-12-31,
 * the exit deadline 2018; signed on @p signed_on (0: not signed), no signer recorded. */
static inline vipa_agreement fixture_agreement(vipa_id id, vipa_id entity,
                                               const vipa_id *households, size_t n,
                                               vipa_date signed_on)
{
    vipa_agreement a = VIPA_AGREEMENT_INIT;
    a.id = id;
    a.entity = entity;
    a.households = households;
    a.household_len = n;
    a.household_count = (int64_t)n;
    a.project_count = 1;
    a.support_count = 1;
    a.start = 20161101;
    a.end = 20191231;
    a.exit_deadline = 2018;
    a.signed_on = signed_on;
    return a;
}

static inline void fixture_add_agreement(vipa_ctx *ctx, vipa_agreement a)
{
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
}

/* A plan that states what 四(三) asks for: the exit target, 1 income industry, 2
 * measures, the annual tasks of @p task_years (borrowed), filed at county, town and
 * village. */
static inline vipa_plan fixture_plan(vipa_id household, vipa_id agreement, int exit_target,
                                     const int *task_years, size_t task_len)
{
    vipa_plan p = VIPA_PLAN_INIT;
    p.household = household;
    p.agreement = agreement;
    p.exit_target = exit_target;
    p.industry_count = 1;
    p.measure_count = 2;
    p.task_years = task_years;
    p.task_len = task_len;
    p.filed = VIPA_FILED_ALL;
    return p;
}

static inline void fixture_add_plan(vipa_ctx *ctx, vipa_plan p)
{
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
}

/* ---- the ledger --------------------------------------------------------------------- */

/* A linkage of entity 1 with an annual amount, due @p from..@p to. */
static inline vipa_linkage fixture_linkage(vipa_id id, vipa_linkage_kind kind, vipa_id household,
                                           vipa_id agreement, int from, int to, vipa_fen annual)
{
    vipa_linkage l = VIPA_LINKAGE_INIT;
    l.id = id;
    l.kind = kind;
    l.household = household;
    l.entity = 1;
    l.agreement = agreement;
    l.from_year = from;
    l.to_year = to;
    l.annual = annual;
    return l;
}

/* An injection of fiscal funds into @p entity for @p agreement's households, allocated as
 * the profile says. */
static inline vipa_injection fixture_injection(vipa_id id, vipa_id entity, vipa_id agreement,
                                               vipa_date date, vipa_fen amount)
{
    vipa_injection in = VIPA_INJECTION_INIT;
    in.id = id;
    in.entity = entity;
    in.agreement = agreement;
    in.date = date;
    in.amount = amount;
    return in;
}

/* ---- assertions ------------------------------------------------------------------------ */

/* Fails the test unless @p text (NULL fails) contains @p part. */
static inline void assert_has(const char *text, const char *part)
{
    if (!text || !strstr(text, part))
        fail_msg("\"%s\" does not contain \"%s\"", text ? text : "(NULL)", part);
}

/* Fails the test unless the context's message mentions @p a and, when not NULL, @p b. */
static inline void assert_error_mentions(const vipa_ctx *ctx, const char *a, const char *b)
{
    const char *msg = vipa_ctx_errmsg(ctx);
    if (!strstr(msg, a) || (b && !strstr(msg, b)))
        fail_msg("message \"%s\" should mention \"%s\"%s%s", msg, a, b ? " and " : "", b ? b : "");
}

#endif /* VIPA_TEST_FIXTURE_H */
