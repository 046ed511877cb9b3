/* Tests of vipa_check() and the findings list (include/vipa/findings.h), and of the
 * internal signer of an agreement (lib/agreement_internal.h). A small hand-built 商洛 data set; each
 * expected finding is worked out by hand from the clause it comes from, in comments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "agreement_internal.h"
#include "findings_internal.h"
#include "vipa.h"
#include "support.h"
#include "fixture.h"

enum { NONE = -1 };

/* ---- building the data set ---------------------------------------------------------- */

/* The nine places of fixture.h; 城关街道 and 黑山镇 designate the given industries (NULL:
 * none); 景村镇 designates none. */
static vipa_ctx *new_ctx_with(const vipa_ctx_options *options, const char *chengguan_industry,
                              const char *heishan_industry)
{
    vipa_ctx *ctx = fixture_new_ctx(options);
    const vipa_area_code places[9] = {SHANGZHOU, CHENGGUAN, HEISHAN, XINGSHUYUAN, CG_205,
                                      DONGCHUAN, LUONAN, JINGCUN, JC_201};
    vipa_area areas[9];
    for (int i = 0; i < 9; i++)
        areas[i] = fixture_area(places[i], places[i] == CHENGGUAN ? chengguan_industry
                                           : places[i] == HEISHAN ? heishan_industry
                                                                  : NULL);
    assert_int_equal(vipa_ctx_add_areas(ctx, areas, 9), VIPA_OK);
    return ctx;
}

static vipa_ctx *new_ctx(const char *chengguan_industry, const char *heishan_industry)
{
    return new_ctx_with(NULL, chengguan_industry, heishan_industry);
}

static vipa_entity entity(vipa_id id, const char *name, vipa_area_code core, const char *industry,
                          unsigned int selection)
{
    vipa_entity e = fixture_entity(id, name, core, industry);
    e.selection = selection;
    return e;
}

static void add_entity(vipa_ctx *ctx, vipa_id id, vipa_area_code core, const char *industry,
                       unsigned int selection)
{
    fixture_add_entity(ctx, entity(id, "商洛示例合作社", core, industry, selection));
}

/* Households here have three members. */
static vipa_household household(vipa_id id, vipa_area_code village)
{
    return fixture_household(id, village, 3);
}

static void add_household(vipa_ctx *ctx, vipa_id id, vipa_area_code village)
{
    fixture_add_household(ctx, household(id, village));
}

/* An agreement that states everything 四(二) asks for, with 2 projects; signed unless
 * signed_on is 0, with no signer recorded (set signer_level/area to record one). */
static vipa_agreement agreement(vipa_id id, vipa_id entity_id, const vipa_id *households,
                                size_t n, vipa_date signed_on)
{
    vipa_agreement a = fixture_agreement(id, entity_id, households, n, signed_on);
    a.project_count = 2;
    return a;
}

static const int one_task_year[1] = {2017};

/* A plan that states everything 四(三) asks for, filed at all three levels. */
static vipa_plan plan(vipa_id household_id, vipa_id agreement_id)
{
    return fixture_plan(household_id, agreement_id, 2017, one_task_year, 1);
}

static vipa_findings *check(vipa_ctx *ctx)
{
    vipa_findings *list = NULL;
    assert_int_equal(vipa_check(&list, ctx), VIPA_OK);
    assert_non_null(list);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    return list;
}

/* ---- reading the findings ------------------------------------------------------------ */

/* Findings of one rule are contiguous in the sorted list. */
static size_t count_rule(const vipa_findings *list, vipa_rule rule)
{
    size_t n = 0;
    for (size_t i = 0; i < vipa_findings_count(list); i++)
        n += vipa_finding_rule(list, i) == rule;
    return n;
}

/* Index of the k-th finding (from 0) of a rule about a subject; NONE if absent. */
static long find_nth(const vipa_findings *list, vipa_rule rule, vipa_subject_kind kind,
                     uint64_t id, int k)
{
    for (size_t i = 0; i < vipa_findings_count(list); i++)
        if (vipa_finding_rule(list, i) == rule && vipa_finding_subject_kind(list, i) == kind &&
            vipa_finding_subject_id(list, i) == id && k-- == 0)
            return (long)i;
    return NONE;
}

static long find(const vipa_findings *list, vipa_rule rule, vipa_subject_kind kind, uint64_t id)
{
    return find_nth(list, rule, kind, id, 0);
}

static void assert_lacks(const char *text, const char *part)
{
    if (strstr(text, part))
        fail_msg("\"%s\" contains \"%s\"", text, part);
}

/* Checks one finding's severity, expected and actual (NULL: none) and message parts. */
static void assert_finding(const vipa_findings *list, long i, vipa_severity severity,
                           const char *expected, const char *actual, const char *part)
{
    assert_true(i != NONE);
    assert_int_equal(vipa_finding_severity(list, (size_t)i), severity);
    assert_int_equal(vipa_finding_year(list, (size_t)i), 0);
    if (expected)
        assert_string_equal(vipa_finding_expected(list, (size_t)i), expected);
    else
        assert_null(vipa_finding_expected(list, (size_t)i));
    if (actual)
        assert_string_equal(vipa_finding_actual(list, (size_t)i), actual);
    else
        assert_null(vipa_finding_actual(list, (size_t)i));
    if (part)
        assert_has(vipa_finding_message(list, (size_t)i), part);
}

/* ---- the clean data set: nothing to find --------------------------------------------- */

/* 城关街道 designates 核桃 (walnut) and 黑山镇 香菇 (mushroom). Entity 1 works walnut
 * in 杏树园村, meets all eight criteria, and signed agreement 10 with 1001 and 1002
 * (both of 杏树园村) through 杏树园村's committee: one village, so the village signs
 * (四(二)). The agreement states all of 四(二); each household has a full plan filed
 * at three levels (四(三)). Entity 2 works mushroom in 东川村, as 黑山镇 designates.
 * 景村镇 designates nothing, but hosts no entity, so 二(二) asks nothing of it. */
static vipa_ctx *new_clean_world(void)
{
    vipa_ctx *ctx = new_ctx("核桃", "香菇");
    add_entity(ctx, 1, XINGSHUYUAN, "核桃", VIPA_SELECT_ALL);
    add_entity(ctx, 2, DONGCHUAN, "香菇", VIPA_SELECT_ALL);
    add_household(ctx, 1001, XINGSHUYUAN);
    add_household(ctx, 1002, XINGSHUYUAN);
    static const vipa_id both[2] = {1001, 1002};
    vipa_agreement a = agreement(10, 1, both, 2, 20161115);
    a.signer_level = VIPA_SIGNER_VILLAGE;
    a.signer_area = XINGSHUYUAN;
    fixture_add_agreement(ctx, a);
    fixture_add_plan(ctx, plan(1001, 10));
    fixture_add_plan(ctx, plan(1002, 10));
    return ctx;
}

static void clean_world_has_no_findings(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_clean_world();
    vipa_findings *list = check(ctx);
    assert_int_equal(vipa_findings_count(list), 0);
    assert_int_equal(vipa_findings_count_at_least(list, VIPA_SEVERITY_NOTICE), 0);
    vipa_findings_free(list);
    /* An empty context has nothing to find either. */
    vipa_ctx *empty = NULL;
    assert_int_equal(vipa_ctx_new(&empty, NULL), VIPA_OK);
    list = check(empty);
    assert_int_equal(vipa_findings_count(list), 0);
    vipa_findings_free(list);
    vipa_ctx_free(empty);
    vipa_ctx_free(ctx);
}

/* ---- ONE_TOWN_ONE_INDUSTRY (二(二)) -------------------------------------------------- */

/* 城关街道 designates walnut; 黑山镇 nothing. Entity 1 (杏树园村, walnut): fine.
 * Entities 2 and 3 sit in 东川村, so 黑山镇 hosts entities with no designation: one
 * warning for the town (not one per entity), and no notice for either, as there is no
 * designation to differ from. Entity 4 (示例村 of 城关街道) works mushroom: a notice,
 * expected walnut, actual mushroom. 景村镇 designates nothing but hosts no one: silent.
 * Sorted by subject kind, entity (5) before town (7). */
static void one_town_one_industry(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx("核桃", NULL);
    add_entity(ctx, 1, XINGSHUYUAN, "核桃", VIPA_SELECT_ALL);
    add_entity(ctx, 2, DONGCHUAN, "香菇", 0);
    add_entity(ctx, 3, DONGCHUAN, "核桃", 0);
    add_entity(ctx, 4, CG_205, "香菇", 0);
    vipa_findings *list = check(ctx);

    assert_int_equal(vipa_findings_count(list), 2);
    assert_int_equal(count_rule(list, VIPA_RULE_ONE_TOWN_ONE_INDUSTRY), 2);
    assert_int_equal(find(list, VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, VIPA_SUBJECT_ENTITY, 4), 0);
    assert_finding(list, 0, VIPA_SEVERITY_NOTICE, "核桃", "香菇", "entity 4");
    assert_has(vipa_finding_message(list, 0), "城关街道 (611002001000)");
    assert_has(vipa_finding_message(list, 0), "(ONE_TOWN_ONE_INDUSTRY, 二(二))");

    assert_int_equal(find(list, VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, VIPA_SUBJECT_TOWN, HEISHAN), 1);
    assert_finding(list, 1, VIPA_SEVERITY_WARNING, NULL, NULL, "黑山镇 (611002107000)");
    assert_has(vipa_finding_message(list, 1), "二(二)");
    assert_int_equal(find(list, VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, VIPA_SUBJECT_TOWN, JINGCUN), NONE);
    assert_int_equal(find(list, VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, VIPA_SUBJECT_ENTITY, 1), NONE);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* A long name is quoted whole up to 120 bytes, cut before a character it would split:
 * "é" (2 bytes) then 50 × "村" (3 bytes each) is 152 bytes; byte 120 falls inside the
 * 40th 村 (bytes 119..121), so 119 bytes are quoted: "é" and 39 村. */
static void long_names_are_cut_at_a_character(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx("核桃", NULL);
    char name[160] = "\xc3\xa9";
    for (int i = 0; i < 50; i++)
        strcat(name, "村");
    vipa_entity e = entity(4, name, CG_205, "香菇", 0);
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
    vipa_findings *list = check(ctx);
    assert_int_equal(vipa_findings_count(list), 1);
    char quoted[160];
    snprintf(quoted, sizeof quoted, "(%.119s) works", name);
    assert_has(vipa_finding_message(list, 0), quoted);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* ---- ENTITY_SELECTION (三(二)) ------------------------------------------------------- */

/* Entity 1 meets all eight and signed: nothing. Entity 2 misses profitable (bit 1) and
 * willing (bit 7) and signed two agreements: one warning, 6 of 8. Entity 3 meets none
 * but its only agreement is unsigned; entity 4 meets none and has no agreement: both
 * silent, as 三(二) selects the entities that are supported. Entity 5 meets only
 * well_managed and signed: 1 of 8, the other seven named. */
static void entity_selection(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx("核桃", "香菇");
    add_entity(ctx, 1, XINGSHUYUAN, "核桃", VIPA_SELECT_ALL);
    add_entity(ctx, 2, XINGSHUYUAN, "核桃",
               VIPA_SELECT_ALL & ~(unsigned)(VIPA_SELECT_PROFITABLE | VIPA_SELECT_WILLING));
    add_entity(ctx, 3, XINGSHUYUAN, "核桃", 0);
    add_entity(ctx, 4, XINGSHUYUAN, "核桃", 0);
    add_entity(ctx, 5, XINGSHUYUAN, "核桃", VIPA_SELECT_WELL_MANAGED);
    fixture_add_agreement(ctx, agreement(11, 1, NULL, 0, 20161115));
    fixture_add_agreement(ctx, agreement(21, 2, NULL, 0, 20161115));
    fixture_add_agreement(ctx, agreement(22, 2, NULL, 0, 20170105));
    fixture_add_agreement(ctx, agreement(31, 3, NULL, 0, 0));
    fixture_add_agreement(ctx, agreement(51, 5, NULL, 0, 20161201));
    vipa_findings *list = check(ctx);

    assert_int_equal(vipa_findings_count(list), 2);
    long i = find(list, VIPA_RULE_ENTITY_SELECTION, VIPA_SUBJECT_ENTITY, 2);
    assert_int_equal(i, 0);
    assert_finding(list, i, VIPA_SEVERITY_WARNING, "8", "6", "missing: profitable, willing (");
    assert_has(vipa_finding_message(list, 0), "(ENTITY_SELECTION, 三(二))");
    assert_lacks(vipa_finding_message(list, 0), "well_managed");

    i = find(list, VIPA_RULE_ENTITY_SELECTION, VIPA_SUBJECT_ENTITY, 5);
    assert_int_equal(i, 1);
    assert_finding(list, i, VIPA_SEVERITY_WARNING, "8", "1",
                   "missing: profitable, financially_strong, socially_responsible, trustworthy, "
                   "wide_coverage, sustainable, willing");
    assert_int_equal(find(list, VIPA_RULE_ENTITY_SELECTION, VIPA_SUBJECT_ENTITY, 3), NONE);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* ---- SIGNER_LEVEL (四(二)): the computed signer ---------------------------------------- */

/* Households: 1001 of 杏树园村, 1002 of 示例村 (城关街道), 1003 of 东川村 (黑山镇, 商州区),
 * 1004 of 景村镇's 示例村 (洛南县). Entity 1's core village is 杏树园村. */
static vipa_ctx *new_signer_world(void)
{
    vipa_ctx *ctx = new_ctx("核桃", "香菇");
    add_entity(ctx, 1, XINGSHUYUAN, "核桃", VIPA_SELECT_ALL);
    add_entity(ctx, 2, JC_201, "香菇", VIPA_SELECT_ALL);
    add_household(ctx, 1001, XINGSHUYUAN);
    add_household(ctx, 1002, CG_205);
    add_household(ctx, 1003, DONGCHUAN);
    add_household(ctx, 1004, JC_201);
    return ctx;
}

static const struct signer_case {
    vipa_id agreement, entity;
    vipa_id households[3];
    size_t n;
    vipa_signer_level level;
    vipa_area_code area;
} signer_cases[] = {
    /* All in the core village: its committee (村委会). */
    {41, 1, {1001}, 1, VIPA_SIGNER_VILLAGE, XINGSHUYUAN},
    /* No household: the span is the core village alone. */
    {42, 1, {0}, 0, VIPA_SIGNER_VILLAGE, XINGSHUYUAN},
    /* 杏树园村 and 示例村, both of 城关街道: the town government. */
    {43, 1, {1001, 1002}, 2, VIPA_SIGNER_TOWN, CHENGGUAN},
    /* The one household lives in 示例村, outside the core village: the core still
     * counts, so two villages of 城关街道, the town. */
    {44, 1, {1002}, 1, VIPA_SIGNER_TOWN, CHENGGUAN},
    /* 杏树园村 (城关街道) and 东川村 (黑山镇), both of 商州区: the county government. */
    {45, 1, {1001, 1003}, 2, VIPA_SIGNER_COUNTY, SHANGZHOU},
    /* Only 东川村's household, core in 杏树园村: two towns, the county again. */
    {46, 1, {1003}, 1, VIPA_SIGNER_COUNTY, SHANGZHOU},
    /* 商州区 and 洛南县: across counties the plan names no one; area 0. */
    {47, 1, {1001, 1004}, 2, VIPA_SIGNER_NOT_PROVIDED, 0},
    {48, 1, {1004, 1002, 1003}, 3, VIPA_SIGNER_NOT_PROVIDED, 0},
    /* Entity 2's core is in 洛南县 too: one village there. */
    {49, 2, {1004}, 1, VIPA_SIGNER_VILLAGE, JC_201},
};
enum { SIGNER_CASES = sizeof signer_cases / sizeof signer_cases[0] };

static vipa_area_code village_of(vipa_id household_id)
{
    switch (household_id) {
    case 1001:
        return XINGSHUYUAN;
    case 1002:
        return CG_205;
    case 1003:
        return DONGCHUAN;
    default:
        return JC_201;
    }
}

/* Each case by hand, and the same as the public vipa_signer_compute() on the villages. */
static void signer_is_computed_from_the_span(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_signer_world();
    for (int c = 0; c < SIGNER_CASES; c++) {
        const struct signer_case *sc = &signer_cases[c];
        fixture_add_agreement(ctx, agreement(sc->agreement, sc->entity, sc->households, sc->n, 0));
    }
    for (int c = 0; c < SIGNER_CASES; c++) {
        const struct signer_case *sc = &signer_cases[c];
        vipa_signer_level level = VIPA_SIGNER_UNRECORDED;
        vipa_area_code area = 1;
        vipa__agreement_signer(ctx, (uint32_t)c, &level, &area);
        if (level != sc->level || area != sc->area)
            fail_msg("agreement %d: %s %llu, expected %s %llu", (int)sc->agreement,
                     vipa_signer_level_name(level), (unsigned long long)area,
                     vipa_signer_level_name(sc->level), (unsigned long long)sc->area);

        vipa_area_code villages[3];
        for (size_t h = 0; h < sc->n; h++)
            villages[h] = village_of(sc->households[h]);
        vipa_area_code core = sc->entity == 1 ? XINGSHUYUAN : JC_201;
        vipa_signer_level public_level = VIPA_SIGNER_UNRECORDED;
        vipa_area_code public_area = 1;
        assert_int_equal(vipa_signer_compute(&public_level, &public_area, core, villages, sc->n),
                         VIPA_OK);
        assert_int_equal(level, public_level);
        assert_true(area == public_area);
    }
    vipa_ctx_free(ctx);
}

/* ---- SIGNER_LEVEL (四(二)): the findings --------------------------------------------- */

static vipa_agreement signed_with(vipa_id id, const vipa_id *households, size_t n,
                                  vipa_signer_level level, vipa_area_code area, vipa_date signed_on)
{
    vipa_agreement a = agreement(id, 1, households, n, signed_on);
    a.signer_level = level;
    a.signer_area = area;
    return a;
}

/* Agreements of entity 1 (core 杏树园村):
 *   51 {1001, 1002} span 城关街道, recorded 杏树园村's committee → error, expected
 *      "town 611002001000", actual "village 611002001204";
 *   52 same span, recorded 黑山镇 (right level, wrong town) → error, actual
 *      "town 611002107000";
 *   53 same span, recorded 城关街道 → right, nothing;
 *   54 same span, no signer recorded → nothing to compare;
 *   55 {1001, 1004} across 商州区 and 洛南县, unrecorded → warning, expected
 *      "not_provided", actual none;
 *   56 same, recorded 商州区 → warning, actual "county 611002000000";
 *   57 unsigned, span town, recorded village → nothing: only signed agreements;
 *   58 across counties, recorded not_provided → warning, actual "not_provided";
 *   59 {1001} one village, recorded not_provided → error, expected
 *      "village 611002001204", actual "not_provided". */
static void signer_level_findings(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_signer_world();
    static const vipa_id town_span[2] = {1001, 1002}, across[2] = {1001, 1004}, one[1] = {1001};
    const vipa_date s = 20161115;
    vipa_agreement batch[9] = {
        signed_with(51, town_span, 2, VIPA_SIGNER_VILLAGE, XINGSHUYUAN, s),
        signed_with(52, town_span, 2, VIPA_SIGNER_TOWN, HEISHAN, s),
        signed_with(53, town_span, 2, VIPA_SIGNER_TOWN, CHENGGUAN, s),
        signed_with(54, town_span, 2, VIPA_SIGNER_UNRECORDED, 0, s),
        signed_with(55, across, 2, VIPA_SIGNER_UNRECORDED, 0, s),
        signed_with(56, across, 2, VIPA_SIGNER_COUNTY, SHANGZHOU, s),
        signed_with(57, town_span, 2, VIPA_SIGNER_VILLAGE, XINGSHUYUAN, 0),
        signed_with(58, across, 2, VIPA_SIGNER_NOT_PROVIDED, 0, s),
        signed_with(59, one, 1, VIPA_SIGNER_NOT_PROVIDED, 0, s),
    };
    assert_int_equal(vipa_ctx_add_agreements(ctx, batch, 9), VIPA_OK);
    vipa_findings *list = check(ctx);

    assert_int_equal(count_rule(list, VIPA_RULE_SIGNER_LEVEL), 6);
    const vipa_subject_kind A = VIPA_SUBJECT_AGREEMENT;
    assert_finding(list, find(list, VIPA_RULE_SIGNER_LEVEL, A, 51), VIPA_SEVERITY_ERROR,
                   "town 611002001000", "village 611002001204", "(SIGNER_LEVEL, 四(二))");
    assert_finding(list, find(list, VIPA_RULE_SIGNER_LEVEL, A, 52), VIPA_SEVERITY_ERROR,
                   "town 611002001000", "town 611002107000", "agreement 52");
    assert_int_equal(find(list, VIPA_RULE_SIGNER_LEVEL, A, 53), NONE);
    assert_int_equal(find(list, VIPA_RULE_SIGNER_LEVEL, A, 54), NONE);
    assert_finding(list, find(list, VIPA_RULE_SIGNER_LEVEL, A, 55), VIPA_SEVERITY_WARNING,
                   "not_provided", NULL, "no signer across counties");
    assert_finding(list, find(list, VIPA_RULE_SIGNER_LEVEL, A, 56), VIPA_SEVERITY_WARNING,
                   "not_provided", "county 611002000000", "四(二)");
    assert_int_equal(find(list, VIPA_RULE_SIGNER_LEVEL, A, 57), NONE);
    assert_finding(list, find(list, VIPA_RULE_SIGNER_LEVEL, A, 58), VIPA_SEVERITY_WARNING,
                   "not_provided", "not_provided", NULL);
    assert_finding(list, find(list, VIPA_RULE_SIGNER_LEVEL, A, 59), VIPA_SEVERITY_ERROR,
                   "village 611002001204", "not_provided", NULL);
    /* Three errors, three warnings: at least warning counts all six of this rule. */
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* ---- AGREEMENT_CONTENT (四(二)) ------------------------------------------------------ */

/* 61 signed, states nothing: five defects (count, projects, period, deadline, support),
 *    one finding each.
 * 62 signed, states 3 households but lists 2: expected "2", actual "3".
 * 63 signed, start but no end: one finding, the period.
 * 64 unsigned, states nothing: silent (only a signed agreement must state them).
 * 65 signed and complete: silent.
 * 66 signed, states 0 and lists none: the count matches, silent. */
static void agreement_content(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_signer_world();
    static const vipa_id two[2] = {1001, 1002}, one[1] = {1001};
    vipa_agreement bare = VIPA_AGREEMENT_INIT; /* count -1, nothing stated */
    bare.id = 61;
    bare.entity = 1;
    bare.households = one;
    bare.household_len = 1;
    bare.signed_on = 20161115;
    fixture_add_agreement(ctx, bare);
    vipa_agreement overstated = agreement(62, 1, two, 2, 20161115);
    overstated.household_count = 3;
    fixture_add_agreement(ctx, overstated);
    vipa_agreement open_ended = agreement(63, 1, one, 1, 20161115);
    open_ended.end = 0;
    fixture_add_agreement(ctx, open_ended);
    bare.id = 64;
    bare.signed_on = 0;
    fixture_add_agreement(ctx, bare);
    fixture_add_agreement(ctx, agreement(65, 1, one, 1, 20161115));
    fixture_add_agreement(ctx, agreement(66, 1, NULL, 0, 20161115));
    vipa_findings *list = check(ctx);

    const vipa_rule R = VIPA_RULE_AGREEMENT_CONTENT;
    const vipa_subject_kind A = VIPA_SUBJECT_AGREEMENT;
    assert_int_equal(count_rule(list, R), 7);
    const char *defects[5] = {"number of households (包扶户数量)", "assistance projects (帮扶项目)",
                              "period (时间): neither start nor end", "poverty-exit deadline (脱贫期限)",
                              "government support measures (支持政策措施)"};
    for (int d = 0; d < 5; d++) {
        int seen = 0;
        for (int k = 0; k < 5; k++) {
            long i = find_nth(list, R, A, 61, k);
            assert_finding(list, i, VIPA_SEVERITY_ERROR, NULL, NULL, "(AGREEMENT_CONTENT, 四(二))");
            seen += strstr(vipa_finding_message(list, (size_t)i), defects[d]) != NULL;
        }
        assert_int_equal(seen, 1);
    }
    assert_int_equal(find_nth(list, R, A, 61, 5), NONE);
    assert_finding(list, find(list, R, A, 62), VIPA_SEVERITY_ERROR, "2", "3", "states 3 households");
    assert_int_equal(find_nth(list, R, A, 62, 1), NONE);
    assert_finding(list, find(list, R, A, 63), VIPA_SEVERITY_ERROR, NULL, NULL, "no end");
    assert_int_equal(find_nth(list, R, A, 63, 1), NONE);
    assert_int_equal(find(list, R, A, 64), NONE);
    assert_int_equal(find(list, R, A, 65), NONE);
    assert_int_equal(find(list, R, A, 66), NONE);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* ---- PLAN_PER_HOUSEHOLD (四(三)) ----------------------------------------------------- */

/* Signed 70 covers 1001..1004 (all of 杏树园村); signed 72 covers 1002; unsigned 71
 * covers 1001 and 1005.
 *   1001: full plan under 70 → nothing; its plan under 71 lacks an exit target, but 71
 *         is unsigned → nothing.
 *   1002: no plan under 70, none under 72 → two findings, one naming each agreement.
 *   1003: a plan with no exit target, measures or tasks → one finding naming all three.
 *   1004: a plan with no tasks only → one finding naming the tasks alone.
 *   1005: no plan, but only under unsigned 71 → nothing. */
static void plan_per_household(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx("核桃", "香菇");
    add_entity(ctx, 1, XINGSHUYUAN, "核桃", VIPA_SELECT_ALL);
    for (vipa_id h = 1001; h <= 1005; h++)
        add_household(ctx, h, XINGSHUYUAN);
    static const vipa_id four[4] = {1001, 1002, 1003, 1004}, only_1002[1] = {1002},
                         unsigned_pair[2] = {1001, 1005};
    fixture_add_agreement(ctx, agreement(70, 1, four, 4, 20161115));
    fixture_add_agreement(ctx, agreement(71, 1, unsigned_pair, 2, 0));
    fixture_add_agreement(ctx, agreement(72, 1, only_1002, 1, 20161120));
    fixture_add_plan(ctx, plan(1001, 70));
    vipa_plan no_target = plan(1001, 71);
    no_target.exit_target = 0;
    fixture_add_plan(ctx, no_target);
    vipa_plan empty = plan(1003, 70);
    empty.exit_target = 0;
    empty.measure_count = 0;
    empty.task_len = 0;
    fixture_add_plan(ctx, empty);
    vipa_plan no_tasks = plan(1004, 70);
    no_tasks.task_years = NULL;
    no_tasks.task_len = 0;
    fixture_add_plan(ctx, no_tasks);
    vipa_findings *list = check(ctx);

    const vipa_rule R = VIPA_RULE_PLAN_PER_HOUSEHOLD;
    const vipa_subject_kind H = VIPA_SUBJECT_HOUSEHOLD;
    assert_int_equal(count_rule(list, R), 4);
    assert_int_equal(vipa_findings_count(list), 4);
    assert_int_equal(find(list, R, H, 1001), NONE);
    /* Same subject: ordered by message, "...agreement 70..." before "...agreement 72...". */
    assert_finding(list, find_nth(list, R, H, 1002, 0), VIPA_SEVERITY_ERROR, NULL, NULL,
                   "signed agreement 70");
    assert_finding(list, find_nth(list, R, H, 1002, 1), VIPA_SEVERITY_ERROR, NULL, NULL,
                   "signed agreement 72");
    long i = find(list, R, H, 1003);
    assert_finding(list, i, VIPA_SEVERITY_ERROR, NULL, NULL, "(PLAN_PER_HOUSEHOLD, 四(三))");
    assert_has(vipa_finding_message(list, (size_t)i),
               "exit target (脱贫目标), measures (帮扶措施), annual tasks (年度任务)");
    i = find(list, R, H, 1004);
    assert_finding(list, i, VIPA_SEVERITY_ERROR, NULL, NULL, "states no annual tasks");
    assert_lacks(vipa_finding_message(list, (size_t)i), "measures");
    assert_int_equal(find(list, R, H, 1005), NONE);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* ---- PLAN_INCOME_INDUSTRY and PLAN_FILED_3_LEVELS (四(三)) ----------------------------- */

/* Under signed 80: 1001 names no industry → error, expected "1", actual "0"; 1002 names
 * two → nothing. Under unsigned 81: 1003 names none → error too: every plan on record
 * must name one (确保每个贫困户至少有1个增收产业). */
static void plan_income_industry(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx("核桃", "香菇");
    add_entity(ctx, 1, XINGSHUYUAN, "核桃", VIPA_SELECT_ALL);
    for (vipa_id h = 1001; h <= 1003; h++)
        add_household(ctx, h, XINGSHUYUAN);
    static const vipa_id pair[2] = {1001, 1002}, third[1] = {1003};
    fixture_add_agreement(ctx, agreement(80, 1, pair, 2, 20161115));
    fixture_add_agreement(ctx, agreement(81, 1, third, 1, 0));
    vipa_plan none = plan(1001, 80);
    none.industry_count = 0;
    fixture_add_plan(ctx, none);
    vipa_plan two = plan(1002, 80);
    two.industry_count = 2;
    fixture_add_plan(ctx, two);
    none = plan(1003, 81);
    none.industry_count = 0;
    fixture_add_plan(ctx, none);
    vipa_findings *list = check(ctx);

    const vipa_rule R = VIPA_RULE_PLAN_INCOME_INDUSTRY;
    assert_int_equal(vipa_findings_count(list), 2);
    assert_finding(list, find(list, R, VIPA_SUBJECT_HOUSEHOLD, 1001), VIPA_SEVERITY_ERROR, "1",
                   "0", "(PLAN_INCOME_INDUSTRY, 四(三))");
    assert_finding(list, find(list, R, VIPA_SUBJECT_HOUSEHOLD, 1003), VIPA_SEVERITY_ERROR, "1",
                   "0", "agreement 81");
    assert_int_equal(find(list, R, VIPA_SUBJECT_HOUSEHOLD, 1002), NONE);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* Under signed 90: 1001 filed at county and village → actual "county,village", the
 * town missing; 1002 filed nowhere → actual "", all three missing; 1003 at all three →
 * nothing; 1004 at town only → actual "town", county and village missing. */
static void plan_filed_3_levels(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx("核桃", "香菇");
    add_entity(ctx, 1, XINGSHUYUAN, "核桃", VIPA_SELECT_ALL);
    for (vipa_id h = 1001; h <= 1004; h++)
        add_household(ctx, h, XINGSHUYUAN);
    static const vipa_id four[4] = {1001, 1002, 1003, 1004};
    fixture_add_agreement(ctx, agreement(90, 1, four, 4, 20161115));
    const unsigned int filed[4] = {VIPA_FILED_COUNTY | VIPA_FILED_VILLAGE, 0, VIPA_FILED_ALL,
                                   VIPA_FILED_TOWN};
    for (int k = 0; k < 4; k++) {
        vipa_plan p = plan((vipa_id)(1001 + k), 90);
        p.filed = filed[k];
        fixture_add_plan(ctx, p);
    }
    vipa_findings *list = check(ctx);

    const vipa_rule R = VIPA_RULE_PLAN_FILED_3_LEVELS;
    const vipa_subject_kind H = VIPA_SUBJECT_HOUSEHOLD;
    assert_int_equal(vipa_findings_count(list), 3);
    assert_finding(list, find(list, R, H, 1001), VIPA_SEVERITY_ERROR, "county,town,village",
                   "county,village", "not filed (保存备案) at town level");
    assert_finding(list, find(list, R, H, 1002), VIPA_SEVERITY_ERROR, "county,town,village", "",
                   "at county, town, village level");
    assert_int_equal(find(list, R, H, 1003), NONE);
    assert_finding(list, find(list, R, H, 1004), VIPA_SEVERITY_ERROR, "county,town,village",
                   "town", "at county, village level (PLAN_FILED_3_LEVELS, 四(三))");
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/* ---- the order of the list ----------------------------------------------------------- */

/* A data set that sets off every rule, added in the given order or reversed: entities,
 * households, agreements (and each one's households) and plans. Areas keep their
 * parent-first order, which the registry requires. */
static vipa_ctx *new_mixed_world(int reversed, const vipa_ctx_options *options)
{
    vipa_ctx *ctx = new_ctx_with(options, "核桃", NULL);
    vipa_entity entities[3] = {
        entity(1, "杏树园核桃专业合作社", XINGSHUYUAN, "核桃", VIPA_SELECT_ALL),
        entity(2, "东川香菇家庭农场", DONGCHUAN, "香菇", VIPA_SELECT_WELL_MANAGED),
        entity(3, "示例村香菇大户", CG_205, "香菇", VIPA_SELECT_ALL & ~(unsigned)VIPA_SELECT_WILLING),
    };
    vipa_household households[5] = {
        household(1001, XINGSHUYUAN), household(1002, XINGSHUYUAN), household(1003, CG_205),
        household(1004, DONGCHUAN), household(1005, JC_201),
    };
    static const vipa_id forward_a[3] = {1001, 1002, 1003}, backward_a[3] = {1003, 1002, 1001};
    static const vipa_id forward_b[2] = {1004, 1005}, backward_b[2] = {1005, 1004};
    vipa_agreement agreements[3] = {
        agreement(101, 1, reversed ? backward_a : forward_a, 3, 20161115),
        agreement(102, 2, reversed ? backward_b : forward_b, 2, 20161120),
        agreement(103, 3, NULL, 0, 20161125),
    };
    agreements[0].signer_level = VIPA_SIGNER_VILLAGE; /* the span is 城关街道: wrong */
    agreements[0].signer_area = XINGSHUYUAN;
    agreements[0].household_count = 4;
    agreements[1].project_count = 0;
    vipa_plan plans[4] = {plan(1001, 101), plan(1002, 101), plan(1004, 102), plan(1005, 102)};
    plans[0].filed = VIPA_FILED_TOWN;
    plans[1].industry_count = 0;
    plans[2].measure_count = 0;
    plans[3].filed = 0;
    plans[3].industry_count = 0;
    if (reversed) {
        for (int i = 2; i >= 0; i--)
            assert_int_equal(vipa_ctx_add_entities(ctx, &entities[i], 1), VIPA_OK);
        for (int i = 4; i >= 0; i--)
            assert_int_equal(vipa_ctx_add_households(ctx, &households[i], 1), VIPA_OK);
        for (int i = 2; i >= 0; i--)
            fixture_add_agreement(ctx, agreements[i]);
        for (int i = 3; i >= 0; i--)
            fixture_add_plan(ctx, plans[i]);
    } else {
        assert_int_equal(vipa_ctx_add_entities(ctx, entities, 3), VIPA_OK);
        assert_int_equal(vipa_ctx_add_households(ctx, households, 5), VIPA_OK);
        assert_int_equal(vipa_ctx_add_agreements(ctx, agreements, 3), VIPA_OK);
        assert_int_equal(vipa_ctx_add_plans(ctx, plans, 4), VIPA_OK);
    }
    return ctx;
}

static int compare_findings(const vipa_findings *list, size_t a, size_t b)
{
    if (vipa_finding_rule(list, a) != vipa_finding_rule(list, b))
        return vipa_finding_rule(list, a) < vipa_finding_rule(list, b) ? -1 : 1;
    if (vipa_finding_subject_kind(list, a) != vipa_finding_subject_kind(list, b))
        return vipa_finding_subject_kind(list, a) < vipa_finding_subject_kind(list, b) ? -1 : 1;
    if (vipa_finding_subject_id(list, a) != vipa_finding_subject_id(list, b))
        return vipa_finding_subject_id(list, a) < vipa_finding_subject_id(list, b) ? -1 : 1;
    if (vipa_finding_year(list, a) != vipa_finding_year(list, b))
        return vipa_finding_year(list, a) < vipa_finding_year(list, b) ? -1 : 1;
    return strcmp(vipa_finding_message(list, a), vipa_finding_message(list, b));
}

static void assert_same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_true(a == b);
    else
        assert_string_equal(a, b);
}

/* The mixed world, worked by hand, in the published order:
 *  ONE_TOWN_ONE_INDUSTRY: entity 3 works 香菇 in 城关街道 (walnut) → notice; 黑山镇
 *     hosts entity 2 with no designation → warning.                                  (2)
 *  ENTITY_SELECTION: entity 2 (1 of 8) and entity 3 (7 of 8), both signed.          (2)
 *  SIGNER_LEVEL: 101 spans 杏树园村 and 示例村 → town 611002001000, recorded village:
 *     error; 102 spans 东川村 (商州区) and 景村镇's 示例村 (洛南县) → warning.           (2)
 *  AGREEMENT_CONTENT: 101 states 4, lists 3; 102 states no projects.                 (2)
 *  PLAN_PER_HOUSEHOLD: 1003 has no plan under 101; 1004's plan has no measures.       (2)
 *  PLAN_INCOME_INDUSTRY: 1002 and 1005.                                              (2)
 *  PLAN_FILED_3_LEVELS: 1001 (town only) and 1005 (none).                            (2)
 * 14 findings: notices 1 (entity 3), warnings 1 + 2 + 1 = 4 (黑山镇, the selections,
 * agreement 102's signer), errors 1 + 2 + 2 + 2 + 2 = 9; so 13 at least warnings. */
static void list_is_sorted_and_independent_of_adding_order(void **state)
{
    (void)state;
    vipa_ctx *forward = new_mixed_world(0, NULL), *backward = new_mixed_world(1, NULL);
    vipa_findings *a = check(forward), *b = check(backward);
    assert_int_equal(vipa_findings_count(a), 14);
    assert_int_equal(vipa_findings_count_at_least(a, VIPA_SEVERITY_NOTICE), 14);
    assert_int_equal(vipa_findings_count_at_least(a, VIPA_SEVERITY_WARNING), 13);
    assert_int_equal(vipa_findings_count_at_least(a, VIPA_SEVERITY_ERROR), 9);
    const vipa_rule rules[7] = {VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, VIPA_RULE_ENTITY_SELECTION,
                                VIPA_RULE_SIGNER_LEVEL, VIPA_RULE_AGREEMENT_CONTENT,
                                VIPA_RULE_PLAN_PER_HOUSEHOLD, VIPA_RULE_PLAN_INCOME_INDUSTRY,
                                VIPA_RULE_PLAN_FILED_3_LEVELS};
    for (int r = 0; r < 7; r++)
        assert_int_equal(count_rule(a, rules[r]), 2);
    /* Spot checks of the hand-worked order: the first is the notice about entity 3,
     * the last 1005's filing. */
    assert_int_equal(vipa_finding_subject_kind(a, 0), VIPA_SUBJECT_ENTITY);
    assert_int_equal(vipa_finding_subject_id(a, 0), 3);
    assert_int_equal(vipa_finding_subject_kind(a, 1), VIPA_SUBJECT_TOWN);
    assert_int_equal(vipa_finding_subject_id(a, 13), 1005);
    assert_int_equal(vipa_finding_rule(a, 13), VIPA_RULE_PLAN_FILED_3_LEVELS);

    for (size_t i = 0; i < vipa_findings_count(a); i++) {
        if (i > 0)
            assert_true(compare_findings(a, i - 1, i) < 0);
        /* Every message cites its rule and clause. */
        char cite[64];
        vipa_rule rule = vipa_finding_rule(a, i);
        snprintf(cite, sizeof cite, "(%s, %s)", vipa_rule_id(rule), vipa_rule_clause(rule));
        assert_has(vipa_finding_message(a, i), cite);
        assert_int_equal(vipa_finding_year(a, i), 0);
    }
    assert_int_equal(vipa_findings_count(b), vipa_findings_count(a));
    for (size_t i = 0; i < vipa_findings_count(a); i++) {
        assert_int_equal(vipa_finding_rule(a, i), vipa_finding_rule(b, i));
        assert_int_equal(vipa_finding_severity(a, i), vipa_finding_severity(b, i));
        assert_int_equal(vipa_finding_subject_kind(a, i), vipa_finding_subject_kind(b, i));
        assert_true(vipa_finding_subject_id(a, i) == vipa_finding_subject_id(b, i));
        assert_int_equal(vipa_finding_year(a, i), vipa_finding_year(b, i));
        assert_string_equal(vipa_finding_message(a, i), vipa_finding_message(b, i));
        assert_same_text(vipa_finding_expected(a, i), vipa_finding_expected(b, i));
        assert_same_text(vipa_finding_actual(a, i), vipa_finding_actual(b, i));
    }
    vipa_findings_free(a);
    vipa_findings_free(b);
    vipa_ctx_free(forward);
    vipa_ctx_free(backward);
}

/* ---- accessors ---------------------------------------------------------------------- */

/* With the list of one_town_one_industry: [0] notice about entity 4, [1] warning about
 * 黑山镇. Index 2 is out of range; a NULL list reads as empty. */
static void accessors_read_and_refuse_out_of_range(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx("核桃", NULL);
    add_entity(ctx, 2, DONGCHUAN, "香菇", 0);
    add_entity(ctx, 4, CG_205, "香菇", 0);
    vipa_findings *list = check(ctx);
    assert_int_equal(vipa_findings_count(list), 2);
    assert_int_equal(vipa_findings_count_at_least(list, VIPA_SEVERITY_NOTICE), 2);
    assert_int_equal(vipa_findings_count_at_least(list, VIPA_SEVERITY_WARNING), 1);
    assert_int_equal(vipa_findings_count_at_least(list, VIPA_SEVERITY_ERROR), 0);

    assert_int_equal(vipa_finding_rule(list, 0), VIPA_RULE_ONE_TOWN_ONE_INDUSTRY);
    assert_int_equal(vipa_finding_severity(list, 0), VIPA_SEVERITY_NOTICE);
    assert_int_equal(vipa_finding_subject_kind(list, 0), VIPA_SUBJECT_ENTITY);
    assert_true(vipa_finding_subject_id(list, 0) == 4);
    assert_int_equal(vipa_finding_year(list, 0), 0);
    assert_string_equal(vipa_finding_expected(list, 0), "核桃");
    assert_string_equal(vipa_finding_actual(list, 0), "香菇");
    assert_int_equal(vipa_finding_subject_kind(list, 1), VIPA_SUBJECT_TOWN);
    assert_true(vipa_finding_subject_id(list, 1) == HEISHAN);
    assert_null(vipa_finding_expected(list, 1));
    assert_null(vipa_finding_actual(list, 1));

    const vipa_findings *lists[2] = {list, NULL};
    const size_t indexes[2] = {2, 0};
    for (int k = 0; k < 2; k++) {
        assert_int_equal(vipa_finding_rule(lists[k], indexes[k]), VIPA_RULE_NONE);
        assert_int_equal(vipa_finding_severity(lists[k], indexes[k]), VIPA_SEVERITY_NONE);
        assert_int_equal(vipa_finding_subject_kind(lists[k], indexes[k]), VIPA_SUBJECT_NONE);
        assert_true(vipa_finding_subject_id(lists[k], indexes[k]) == 0);
        assert_int_equal(vipa_finding_year(lists[k], indexes[k]), 0);
        assert_string_equal(vipa_finding_message(lists[k], indexes[k]), "");
        assert_null(vipa_finding_expected(lists[k], indexes[k]));
        assert_null(vipa_finding_actual(lists[k], indexes[k]));
    }
    assert_int_equal(vipa_finding_rule(list, SIZE_MAX), VIPA_RULE_NONE);
    assert_int_equal(vipa_findings_count(NULL), 0);
    assert_int_equal(vipa_findings_count_at_least(NULL, VIPA_SEVERITY_NOTICE), 0);

    const char *names[8] = {NULL,     "household", "agreement", "linkage",
                            "injection", "entity", "village",   "town"};
    for (int kind = 0; kind < 8; kind++) {
        if (names[kind])
            assert_string_equal(vipa_subject_kind_name((vipa_subject_kind)kind), names[kind]);
        else
            assert_null(vipa_subject_kind_name((vipa_subject_kind)kind));
    }
    assert_null(vipa_subject_kind_name((vipa_subject_kind)8));
    assert_null(vipa_subject_kind_name((vipa_subject_kind)-1));

    vipa_findings_free(list);
    vipa_findings_free(NULL);
    vipa_ctx_free(ctx);
}

/* ---- vipa_check's own errors ---------------------------------------------------------- */

static void check_refuses_null_arguments(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_clean_world();
    vipa_findings *list = (vipa_findings *)&list; /* not NULL, to see it reset */
    assert_int_equal(vipa_check(&list, NULL), VIPA_E_INVALID);
    assert_null(list);
    assert_int_equal(vipa_check(NULL, ctx), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_INVALID);
    assert_has(vipa_ctx_errmsg(ctx), "output");
    assert_int_equal(vipa_check(NULL, NULL), VIPA_E_INVALID);
    /* A later success clears the error; the records are untouched by checking. */
    list = check(ctx);
    assert_string_equal(vipa_ctx_errmsg(ctx), "");
    assert_int_equal(vipa_ctx_agreement_count(ctx), 1);
    assert_int_equal(vipa_ctx_plan_count(ctx), 2);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}


/* With every budget from 0 up, vipa_check fails with VIPA_E_NOMEM, NULL and no leak
 * (cmocka's allocator checks), until one is enough for all 14 findings of the mixed
 * world. */
static void check_fails_cleanly_without_memory(void **state)
{
    (void)state;
    test_allocator b = {-1, 0}; /* unlimited while the world is built */
    vipa_ctx_options options = test_allocator_options(&b);
    vipa_ctx *ctx = new_mixed_world(0, &options);

    int failures = 0;
    vipa_findings *list = NULL;
    for (long allowance = 0; allowance < 1000; allowance++) {
        b.left = allowance;
        list = (vipa_findings *)&list;
        int rc = vipa_check(&list, ctx);
        if (rc == VIPA_OK)
            break;
        failures++;
        assert_int_equal(rc, VIPA_E_NOMEM);
        assert_null(list);
        assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_NOMEM);
        assert_has(vipa_ctx_errmsg(ctx), "vipa_check");
    }
    /* Budget 0 fails at the list itself; some budget is enough for all 14. */
    assert_true(failures > 1);
    assert_non_null(list);
    assert_int_equal(vipa_findings_count(list), 14);
    vipa_findings_free(list);
    vipa_ctx_free(ctx);
}

/*
 * A findings list fails for want of room in two ways: memory (VIPA_E_NOMEM, the failing
 * allocator tests) and its text's 4 GiB of offsets (VIPA_E_LIMIT). The checks pass the
 * list's code up unchanged (issue #15): a list whose text is one byte short of its bound
 * refuses the first finding with VIPA_E_LIMIT, and so does every check that adds one.
 */
static void a_full_list_gives_limit_not_nomem(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_mixed_world(0, NULL);
    vipa_findings *full = NULL;
    assert_int_equal(vipa_check(&full, ctx), VIPA_OK); /* the world has findings */
    assert_true(vipa_findings_count(full) > 0);
    /* Pretend the text is at its bound: nothing is written past the check. */
    size_t length = full->text.length;
    full->text.length = VIPA_NO_TEXT - 1;
    size_t count = full->count;
    assert_int_equal(vipa__check_records(ctx, NULL, full), VIPA_E_LIMIT);
    assert_int_equal(vipa__check_agreement(ctx, 0, NULL, full), VIPA_E_LIMIT);
    assert_int_equal(full->count, count); /* nothing half added */
    full->text.length = length;
    vipa_findings_free(full);
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clean_world_has_no_findings),
        cmocka_unit_test(a_full_list_gives_limit_not_nomem),
        cmocka_unit_test(one_town_one_industry),
        cmocka_unit_test(long_names_are_cut_at_a_character),
        cmocka_unit_test(entity_selection),
        cmocka_unit_test(signer_is_computed_from_the_span),
        cmocka_unit_test(signer_level_findings),
        cmocka_unit_test(agreement_content),
        cmocka_unit_test(plan_per_household),
        cmocka_unit_test(plan_income_industry),
        cmocka_unit_test(plan_filed_3_levels),
        cmocka_unit_test(list_is_sorted_and_independent_of_adding_order),
        cmocka_unit_test(accessors_read_and_refuse_out_of_range),
        cmocka_unit_test(check_refuses_null_arguments),
        cmocka_unit_test(check_fails_cleanly_without_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
