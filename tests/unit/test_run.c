/*
 * Tests of the year run (include/vipa/run.h): vipa_run(), the result's accessors, the
 * reproducibility stamp and the explanations. Every data set is built through the
 * public API only, and every expected figure is worked out by hand in the comments,
 * from the policy (商政办发〔2016〕98号, above all 四(五)), docs/policy.md's evaluation and
 * exit standard, and the file comment of run.h; never copied from the program's output.
 *
 * The place is real: 商州区 (611002000000), 城关街道 (611002001000, core industry 核桃)
 * and 杏树园村 (611002001204). 示例村 (611002001205), the entities, households and every
 * amount are illustrative. The profile is the default shangluo-2016: poverty line 2017 =
 * 2952.00 and 2018 = 2995.00 per person, exit.require_guarantees set, 70 % poor share,
 * per-household allocation, remainder to the village collective of the core village.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"
#include "registry_internal.h" /* only to read how many evaluations are scheduled */
#include "fixture.h"

#define SIGNED_ON 20161115   /* agreements are signed on 2016-11-15 */
#define EVALUATED 20180131   /* the plain evaluation of 2017 (每年初, 四(五)) */
#define LATE 20180215        /* after the evaluation, before the re-check */
#define RECHECKED 20180430   /* the re-check of 2017 after rectification (整改) */

enum { NONE = -1 };

/* ---- small assertions ---------------------------------------------------------------- */

/* 1 if `amount` ("0.00") occurs in text as a whole number, not inside "10.00" or "0.001". */
static int has_amount(const char *text, const char *amount)
{
    size_t n = strlen(amount);
    for (const char *at = text ? strstr(text, amount) : NULL; at; at = strstr(at + 1, amount)) {
        int digit_before = at > text && ((at[-1] >= '0' && at[-1] <= '9') || at[-1] == '.' ||
                                         at[-1] == '-');
        int digit_after = at[n] >= '0' && at[n] <= '9';
        if (!digit_before && !digit_after)
            return 1;
    }
    return 0;
}

static void assert_has_amount(const char *text, const char *amount)
{
    if (!has_amount(text, amount))
        fail_msg("\"%s\" does not state the amount %s", text ? text : "(NULL)", amount);
}

static void assert_same_text(const char *a, const char *b)
{
    if (a == NULL || b == NULL)
        assert_true(a == b);
    else
        assert_string_equal(a, b);
}

/* NULL, or exactly `text`: for numbers a failed check may or may not carry. */
static void assert_null_or(const char *value, const char *text)
{
    if (value)
        assert_string_equal(value, text);
}

static void assert_hex64(const char *s)
{
    assert_non_null(s);
    assert_int_equal(strlen(s), 64);
    for (const char *c = s; *c; c++)
        if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
            fail_msg("\"%s\" is not 64 lowercase hex digits", s);
}

/* ---- records ------------------------------------------------------------------------- */

static void add_areas(vipa_ctx *ctx, int shuffled)
{
    const vipa_area county = fixture_area(SHANGZHOU, NULL);
    const vipa_area town = fixture_area(CHENGGUAN, "核桃");
    const vipa_area villages[2] = {fixture_area(XINGSHUYUAN, NULL), fixture_area(CG_205, NULL)};
    if (!shuffled) {
        const vipa_area all[4] = {county, town, villages[0], villages[1]};
        assert_int_equal(vipa_ctx_add_areas(ctx, all, 4), VIPA_OK);
        return;
    }
    /* Parents must come first; the villages come in the other order. */
    const vipa_area reversed[2] = {villages[1], villages[0]};
    assert_int_equal(vipa_ctx_add_areas(ctx, &county, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_add_areas(ctx, &town, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_add_areas(ctx, reversed, 2), VIPA_OK);
}

/* A cooperative working 核桃 (its town's industry, 二(二)), meeting all eight criteria. */
static vipa_entity entity(vipa_id id, vipa_area_code core)
{
    const char *name = id == 1 ? "杏树园核桃专业合作社" : "示例村核桃家庭农场";
    vipa_entity e = fixture_entity(id, name, core, "核桃");
    e.kind = id == 1 ? VIPA_ENTITY_COOPERATIVE : VIPA_ENTITY_FAMILY_FARM;
    return e;
}

static vipa_household household(vipa_id id, vipa_area_code village, int members, int willing,
                                int exited)
{
    vipa_household h = fixture_household(id, village, members);
    h.willing = willing;
    h.exited_year = exited;
    return h;
}

/* An agreement of entity 1 stating all that 四(二) asks: households (count = listed),
 * 2 projects, 1 support measure, the period 2016-11-01..2019-12-31, the deadline 2018;
 * signed 2016-11-15 by the recorded party. */
static vipa_agreement agreement(vipa_id id, const vipa_id *households, size_t n,
                                vipa_signer_level level, vipa_area_code area)
{
    vipa_agreement a = fixture_agreement(id, 1, households, n, SIGNED_ON);
    a.project_count = 2;
    a.signer_level = level;
    a.signer_area = area;
    return a;
}

static const int task_years[2] = {2017, 2018};

/* A plan stating all that 四(三) asks: exit target, 1 income industry, 2 measures, tasks
 * for 2017 and 2018, filed at county, town and village. */
static vipa_plan plan(vipa_id household_id, vipa_id agreement_id, int target)
{
    vipa_plan p = fixture_plan(household_id, agreement_id, target, task_years, 2);
    p.person_task_count = 1;
    return p;
}

static vipa_payment pay(vipa_id linkage_id, int year, vipa_fen amount, vipa_date date)
{
    vipa_payment p = VIPA_PAYMENT_INIT;
    p.linkage = linkage_id;
    p.year = year;
    p.amount = amount;
    p.date = date;
    return p;
}

static vipa_payment pay_dividend(vipa_id household_id, int year, vipa_fen amount, vipa_date date)
{
    vipa_payment p = VIPA_PAYMENT_INIT;
    p.entity = 1;
    p.household = household_id;
    p.year = year;
    p.amount = amount;
    p.date = date;
    return p;
}

static void add_payment(vipa_ctx *ctx, vipa_payment p)
{
    assert_int_equal(vipa_ctx_add_payments(ctx, &p, 1), VIPA_OK);
}

static void add_income(vipa_ctx *ctx, vipa_id household_id, int year, vipa_fen other)
{
    vipa_income in = {VIPA_INCOME_VERSION, household_id, year, other};
    assert_int_equal(vipa_ctx_add_incomes(ctx, &in, 1), VIPA_OK);
}

static void add_assured(vipa_ctx *ctx, vipa_id household_id, int year, unsigned int items)
{
    vipa_assured a = {VIPA_ASSURED_VERSION, household_id, year, items};
    assert_int_equal(vipa_ctx_add_assured(ctx, &a, 1), VIPA_OK);
}

static vipa_evaluation evaluation(int year, vipa_date date, int recheck)
{
    vipa_evaluation e = VIPA_EVALUATION_INIT;
    e.year = year;
    e.date = date;
    e.recheck = recheck;
    return e;
}

static void add_evaluation(vipa_ctx *ctx, int year, vipa_date date, int recheck)
{
    vipa_evaluation e = evaluation(year, date, recheck);
    assert_int_equal(vipa_ctx_add_evaluations(ctx, &e, 1), VIPA_OK);
}

static vipa_injection injection(vipa_id id, vipa_id agreement_id, vipa_date date, vipa_fen amount)
{
    vipa_injection in = fixture_injection(id, 1, agreement_id, date, amount);
    in.allocation = VIPA_ALLOCATION_PER_HOUSEHOLD;
    return in;
}

/* ---- the base world of cases 1 to 5 --------------------------------------------------- */

/*
 * Entity 1, 杏树园核桃专业合作社 (core village 杏树园村, industry 核桃 as 城关街道
 * designates, all eight criteria of 三(二)). In 杏树园村: households 1001 (4 members) and
 * 1002 (3 members), poor and willing. Agreement 1 (entity 1) covers both, states 2
 * households, projects, support, the period 2016-11-01..2019-12-31 and the deadline 2018,
 * and is signed 2016-11-15 by 杏树园村's committee: the span is one village (四(二)).
 * Plans under it, complete and filed at three levels (四(三)): 1001 targets exit in 2017,
 * 1002 in 2018.
 *   linkage 1: wage 9000.00 a year to 1001, 2017..2019;
 *   linkage 2: participation 1234.50 a year to 1002, 2017..2018.
 * 1001 holds every guarantee in 2017 and has `other_1001` other income for 2017.
 * No evaluation and no payment: each case adds its own.
 */
static vipa_ctx *new_base_world(vipa_fen other_1001)
{
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx, 0);
    vipa_entity e = entity(1, XINGSHUYUAN);
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
    fixture_add_household(ctx, fixture_household(1001, XINGSHUYUAN, 4));
    fixture_add_household(ctx, fixture_household(1002, XINGSHUYUAN, 3));
    static const vipa_id both[2] = {1001, 1002};
    vipa_agreement a = agreement(1, both, 2, VIPA_SIGNER_VILLAGE, XINGSHUYUAN);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    fixture_add_plan(ctx, plan(1001, 1, 2017));
    fixture_add_plan(ctx, plan(1002, 1, 2018));
    vipa_linkage ls[2] = {
        fixture_linkage(1, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2019, 900000),
        fixture_linkage(2, VIPA_LINKAGE_PARTICIPATION, 1002, 1, 2017, 2018, 123450),
    };
    assert_int_equal(vipa_ctx_add_linkages(ctx, ls, 2), VIPA_OK);
    add_income(ctx, 1001, 2017, other_1001);
    add_assured(ctx, 1001, 2017, VIPA_ASSURED_ITEMS_ALL);
    return ctx;
}

/* Case 1's world: both linkages paid in full before the evaluation of 2018-01-31, and
 * 3000.00 other income for 1001. 1001's income 2017 = 9000.00 + 3000.00 = 12000.00
 * ≥ 4 × 2952.00 = 11808.00, with every guarantee: it meets the exit standard.
 * The data were taken on 2018-04-30 (as_of, the day of the re-check slot): 2017 is
 * complete (2017-12-31 ≤ 2018-04-30), 2018 and 2019 are not, so the money of 2018 and
 * 2019, not yet owed in full, is not checked (issue #14). */
static vipa_ctx *new_compliant_world(void)
{
    vipa_ctx *ctx = new_base_world(300000);
    assert_int_equal(vipa_ctx_set_as_of(ctx, RECHECKED), VIPA_OK);
    add_payment(ctx, pay(1, 2017, 900000, 20171220));
    add_payment(ctx, pay(2, 2017, 123450, 20171225));
    add_evaluation(ctx, 2017, EVALUATED, 0);
    return ctx;
}

static vipa_result *run_with(vipa_ctx *ctx, const vipa_run_options *options)
{
    vipa_result *r = NULL;
    int rc = vipa_run(&r, ctx, options);
    if (rc != VIPA_OK)
        fail_msg("vipa_run returned %d: %s", rc, vipa_ctx_errmsg(ctx));
    assert_non_null(r);
    return r;
}

static vipa_result *run(vipa_ctx *ctx)
{
    return run_with(ctx, NULL);
}

/* ---- reading the result ---------------------------------------------------------------- */

static size_t year_index(const vipa_result *r, int year)
{
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        if (vipa_result_year(r, y) == year)
            return y;
    fail_msg("the result has no figures for %d", year);
    return 0;
}

static void assert_evaluation(const vipa_result *r, size_t y, size_t i, vipa_id agreement_id,
                              vipa_date date, int recheck, vipa_outcome outcome)
{
    vipa_id a = 0, e = 0;
    vipa_date d = 0;
    int re = -1;
    vipa_outcome o = VIPA_OUTCOME_NONE;
    assert_int_equal(vipa_result_year_evaluation(&a, &e, &d, &re, &o, r, y, i), VIPA_OK);
    assert_int_equal(a, agreement_id);
    assert_int_equal(e, 1); /* every agreement here is entity 1's */
    assert_int_equal(d, date);
    assert_int_equal(re, recheck);
    if (o != outcome)
        fail_msg("agreement %llu on %ld: outcome %s, expected %s", (unsigned long long)a,
                 (long)d, vipa_outcome_name(o) ? vipa_outcome_name(o) : "?",
                 vipa_outcome_name(outcome));
}

static void assert_failed(const vipa_result *r, size_t y, size_t i, size_t k, vipa_rule rule,
                          vipa_subject_kind kind, uint64_t id, const char *expected,
                          const char *actual)
{
    vipa_rule ru = VIPA_RULE_NONE;
    vipa_subject_kind sk = VIPA_SUBJECT_NONE;
    uint64_t sid = 0;
    const char *ex = NULL, *ac = NULL;
    assert_int_equal(vipa_result_year_failed(&ru, &sk, &sid, &ex, &ac, r, y, i, k), VIPA_OK);
    if (ru != rule)
        fail_msg("failed check %zu: rule %s, expected %s", k,
                 vipa_rule_id(ru) ? vipa_rule_id(ru) : "?", vipa_rule_id(rule));
    assert_int_equal(sk, kind);
    assert_int_equal(sid, id);
    assert_same_text(ex, expected);
    assert_same_text(ac, actual);
}

static void assert_year_household(const vipa_result *r, size_t y, size_t i, vipa_id id,
                                  vipa_fen income, vipa_fen line, int meets)
{
    vipa_id h = 0;
    vipa_fen in = -1, li = -1;
    int m = -1;
    assert_int_equal(vipa_result_year_household(&h, &in, &li, &m, r, y, i), VIPA_OK);
    assert_int_equal(h, id);
    assert_int_equal(in, income);
    assert_int_equal(li, line);
    assert_int_equal(m, meets);
}

static void assert_coverage(const vipa_result *r, size_t y, size_t i, vipa_area_code village,
                            size_t willing, size_t covered)
{
    vipa_area_code v = 0;
    size_t w = 99, c = 99;
    assert_int_equal(vipa_result_year_coverage(&v, &w, &c, r, y, i), VIPA_OK);
    assert_int_equal(v, village);
    assert_int_equal(w, willing);
    assert_int_equal(c, covered);
}

static void assert_entity(const vipa_result *r, size_t i, vipa_id id, vipa_entity_status status,
                          vipa_date disqualified_on, size_t favoured)
{
    vipa_id e = 0;
    vipa_entity_status s = VIPA_ENTITY_STATUS_NONE;
    vipa_date d = -1;
    size_t f = 99;
    assert_int_equal(vipa_result_entity(&e, &s, &d, &f, r, i), VIPA_OK);
    assert_int_equal(e, id);
    assert_int_equal(s, status);
    assert_int_equal(d, disqualified_on);
    assert_int_equal(f, favoured);
}

/* The exit year of a household, from vipa_result_household. */
static int exit_year_of(const vipa_result *r, vipa_id id)
{
    for (size_t i = 0; i < vipa_result_household_count(r); i++) {
        vipa_id h = 0;
        int year = -1;
        assert_int_equal(vipa_result_household(&h, &year, r, i), VIPA_OK);
        if (h == id)
            return year;
    }
    fail_msg("household %llu is not in the result", (unsigned long long)id);
    return -1;
}

/* Index of the k-th finding (from 0) of a rule about a subject in a year (year < 0: any). */
static long find_nth(const vipa_findings *f, vipa_rule rule, vipa_subject_kind kind, uint64_t id,
                     int year, int k)
{
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        if (vipa_finding_rule(f, i) == rule && vipa_finding_subject_kind(f, i) == kind &&
            vipa_finding_subject_id(f, i) == id && (year < 0 || vipa_finding_year(f, i) == year) &&
            k-- == 0)
            return (long)i;
    return NONE;
}

static long find_finding(const vipa_findings *f, vipa_rule rule, vipa_subject_kind kind,
                         uint64_t id, int year)
{
    return find_nth(f, rule, kind, id, year, 0);
}

static size_t count_findings(const vipa_findings *f, vipa_rule rule, vipa_subject_kind kind,
                             uint64_t id)
{
    size_t n = 0;
    while (find_nth(f, rule, kind, id, -1, (int)n) != NONE)
        n++;
    return n;
}

/* ======================================================================================
 * Case 1: a compliant agreement.
 * ====================================================================================== */

/*
 * The compliant world, evaluated for 2017 on 2018-01-31, with a re-check scheduled on
 * 2018-04-30. The plain evaluation checks agreement 1 (signed, its period holds 2017):
 *   AGREEMENT_CONTENT: count 2 = 2 listed, projects, support, period, deadline: passes.
 *   PLAN_*: both plans complete, one industry each, filed at 3 levels: pass.
 *   LINKAGE_UNDER_AGREEMENT: linkages 1 and 2 under the signed agreement 1 that covers
 *     their households, in force in 2017: pass.
 *   OBLIGATIONS_PAID at the cut-off: linkage 1 9000.00 due, 9000.00 paid 2017-12-20;
 *     linkage 2 1234.50 due, 1234.50 paid 2017-12-25: pass.
 *   DIVIDEND_PAID_AS_AGREED: no dividend: nothing due.
 *   EXIT_BY_DEADLINE: only 1001's target (2017) is due: 9000.00 + 3000.00 = 12000.00 ≥
 *     4 × 2952.00 = 11808.00, all guarantees held: passes. 1002 targets 2018.
 *   COVERAGE_CORE_VILLAGE, 杏树园村: willing 1001, 1002; both linked: 2 of 2.
 *   households linked ≥ promised: 2 ≥ 2.
 * → compliant, no failed check. The re-check covers only agreements in rectification:
 * none, so 2017 has one evaluation. Entity 1: every agreement evaluated for 2017 was
 * compliant → favoured for 2017 (予以倾斜, 四(五)); active.
 * 1002: 1234.50 < 3 × 2952.00 = 8856.00 (and no guarantees): not exited.
 * The years of the run (issue #14): 2017 (payments, evaluation, tasks), 2018 (linkages 1
 * and 2 due, tasks of both plans), 2019 (linkage 1 due: 2017..2019 within the period
 * ending 2019-12-31) = 3 years, 2017 first. As of 2018-04-30 only 2017 is complete, and
 * its money is paid in full, so no OBLIGATIONS_PAID finding of any year.
 */
static void compliant_agreement_is_favoured(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_compliant_world();
    add_evaluation(ctx, 2017, RECHECKED, 1);
    vipa_result *r = run(ctx);

    assert_int_equal(vipa_result_year_count(r), 3);
    assert_int_equal(vipa_result_year(r, 0), 2017);
    assert_int_equal(vipa_result_year(r, 1), 2018);
    assert_int_equal(vipa_result_year(r, 2), 2019);
    assert_int_equal(vipa_result_year_evaluation_count(r, 1), 0);
    assert_int_equal(vipa_result_year_evaluation_count(r, 2), 0);
    assert_int_equal(vipa_result_year_evaluation_count(r, 0), 1);
    assert_evaluation(r, 0, 0, 1, EVALUATED, 0, VIPA_OUTCOME_COMPLIANT);
    assert_int_equal(vipa_result_year_failed_count(r, 0, 0), 0);

    assert_int_equal(vipa_result_entity_count(r), 1);
    assert_entity(r, 0, 1, VIPA_ENTITY_STATUS_ACTIVE, 0, 1);
    int year = 0;
    assert_int_equal(vipa_result_entity_favoured(&year, r, 0, 0), VIPA_OK);
    assert_int_equal(year, 2017);

    /* Coverage row: 杏树园村, 2 willing, 2 covered. */
    assert_int_equal(vipa_result_year_coverage_count(r, 0), 1);
    assert_coverage(r, 0, 0, XINGSHUYUAN, 2, 2);

    /* Figures: 1001 12000.00 vs 11808.00, meets; 1002 1234.50 vs 8856.00, does not. */
    assert_int_equal(vipa_result_year_household_count(r, 0), 2);
    assert_year_household(r, 0, 0, 1001, 1200000, 1180800, 1);
    assert_year_household(r, 0, 1, 1002, 123450, 885600, 0);
    assert_int_equal(exit_year_of(r, 1001), 2017);
    assert_int_equal(exit_year_of(r, 1002), 0);

    /* One EVALUATION_OUTCOME notice (one agreement, one evaluation of it); nothing of
     * warning or error severity anywhere: the records are clean too. */
    const vipa_findings *f = vipa_result_findings(r);
    assert_non_null(f);
    long i = find_finding(f, VIPA_RULE_EVALUATION_OUTCOME, VIPA_SUBJECT_AGREEMENT, 1, 2017);
    assert_true(i != NONE);
    assert_int_equal(vipa_finding_severity(f, (size_t)i), VIPA_SEVERITY_NOTICE);
    assert_true(strlen(vipa_finding_message(f, (size_t)i)) > 0);
    assert_int_equal(count_findings(f, VIPA_RULE_EVALUATION_OUTCOME, VIPA_SUBJECT_AGREEMENT, 1), 1);
    assert_int_equal(vipa_findings_count_at_least(f, VIPA_SEVERITY_WARNING), 0);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ======================================================================================
 * Case 2: a late payment → rectification → restored, not favoured.
 * ====================================================================================== */

/*
 * As the compliant world, but linkage 2's 1234.50 for 2017 is paid on 2018-02-15: after
 * the evaluation of 2018-01-31, before the re-check of 2018-04-30.
 *   Evaluation 2018-01-31: OBLIGATIONS_PAID for linkage 2: 1234.50 due, 0.00 paid by the
 *     cut-off → fails; every other check as in case 1 passes (1001: 12000.00 ≥ 11808.00;
 *     coverage 2 of 2, since coverage counts linkages due, not paid) → rectification,
 *     exactly one failed check: OBLIGATIONS_PAID, linkage 2, "1234.50" / "0.00".
 *   Re-check 2018-04-30: the payment of 2018-02-15 now counts: 1234.50 paid → restored.
 * Entity 1 is not favoured for 2017: a restored agreement is not (按期完成, 四(五)).
 * It stays active: nothing was terminated.
 */
static vipa_ctx *new_late_payment_world(void)
{
    vipa_ctx *ctx = new_base_world(300000);
    add_payment(ctx, pay(1, 2017, 900000, 20171220));
    add_payment(ctx, pay(2, 2017, 123450, LATE));
    add_evaluation(ctx, 2017, EVALUATED, 0);
    add_evaluation(ctx, 2017, RECHECKED, 1);
    return ctx;
}

static void late_payment_is_rectified_then_restored(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_late_payment_world();
    vipa_result *r = run(ctx);

    size_t y = year_index(r, 2017);
    /* By agreement id, then date: the plain evaluation, then the re-check. */
    assert_int_equal(vipa_result_year_evaluation_count(r, y), 2);
    assert_evaluation(r, y, 0, 1, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(vipa_result_year_failed_count(r, y, 0), 1);
    assert_failed(r, y, 0, 0, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2, "1234.50",
                  "0.00");
    assert_evaluation(r, y, 1, 1, RECHECKED, 1, VIPA_OUTCOME_RESTORED);
    assert_int_equal(vipa_result_year_failed_count(r, y, 1), 0);

    assert_entity(r, 0, 1, VIPA_ENTITY_STATUS_ACTIVE, 0, 0);
    int year = 0;
    assert_int_equal(vipa_result_entity_favoured(&year, r, 0, 0), VIPA_E_RANGE);

    /* The year's figures count every payment: 1002's income is 1234.50. */
    assert_year_household(r, y, 1, 1002, 123450, 885600, 0);

    /* The failed check is a finding of 2017; one outcome notice per evaluation of it. */
    const vipa_findings *f = vipa_result_findings(r);
    long i = find_finding(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2, 2017);
    assert_true(i != NONE);
    assert_int_equal(vipa_finding_severity(f, (size_t)i), VIPA_SEVERITY_ERROR);
    assert_string_equal(vipa_finding_expected(f, (size_t)i), "1234.50");
    assert_string_equal(vipa_finding_actual(f, (size_t)i), "0.00");
    assert_int_equal(count_findings(f, VIPA_RULE_EVALUATION_OUTCOME, VIPA_SUBJECT_AGREEMENT, 1), 2);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ======================================================================================
 * Case 3: termination and disqualification.
 * ====================================================================================== */

/*
 * As case 2, but linkage 2's 1234.50 is never paid.
 *   Evaluation 2018-01-31: OBLIGATIONS_PAID linkage 2 "1234.50" / "0.00" → rectification.
 *   Re-check 2018-04-30: still 0.00 paid → terminated on 2018-04-30 (解除协议), and entity
 *     1 disqualified from 2018-04-30 (取消资格, 四(五)). The only failed check is the same.
 * Then, of entity 1 (10000.00 each, under agreement 1):
 *   injection 11 on 2018-04-29: before the disqualification → not flagged;
 *   injection 12 on 2018-04-30: on its day ("on or after") → DISQUALIFIED_NO_SUPPORT;
 *   injection 13 on 2018-05-10: after it → DISQUALIFIED_NO_SUPPORT.
 * And agreement 2 of entity 1, signed 2018-06-01 (period 2018-06-01..2020-12-31, so not
 * in force in 2017) with household 1003 of 示例村: signed after → DISQUALIFIED_NO_SUPPORT.
 * Agreement 1 (signed 2016) is not flagged. The injections and agreement 2 add no
 * figures to 2017 (shares from 2018).
 * The years of the run (issue #14): 2017; 2018 (linkages 1 and 2 run in 2018 within
 * agreement 1's period, the plans' tasks); 2019 (linkage 1's last year, within the period
 * ending 2019-12-31) = 3, listed from the records whatever the termination later makes
 * due. The injections and agreement 2 add no year: no dividend declared or agreed
 * (dividend_bp 0), and agreement 2 has no linkage; its plan's tasks (2017, 2018) are
 * years already.
 */
static void failed_recheck_terminates_and_disqualifies(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_base_world(300000);
    add_payment(ctx, pay(1, 2017, 900000, 20171220));
    add_evaluation(ctx, 2017, EVALUATED, 0);
    add_evaluation(ctx, 2017, RECHECKED, 1);
    vipa_injection ins[3] = {injection(11, 1, 20180429, 1000000),
                             injection(12, 1, RECHECKED, 1000000),
                             injection(13, 1, 20180510, 1000000)};
    assert_int_equal(vipa_ctx_add_injections(ctx, ins, 3), VIPA_OK);
    fixture_add_household(ctx, fixture_household(1003, CG_205, 1));
    static const vipa_id later[1] = {1003};
    /* 杏树园村 (core) and 示例村: two villages of 城关街道, the town signs (四(二)). */
    vipa_agreement a = agreement(2, later, 1, VIPA_SIGNER_TOWN, CHENGGUAN);
    a.start = 20180601;
    a.end = 20201231;
    a.exit_deadline = 2020;
    a.signed_on = 20180601;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    fixture_add_plan(ctx, plan(1003, 2, 2020));
    vipa_result *r = run(ctx);

    assert_int_equal(vipa_result_year_count(r), 3);
    assert_int_equal(vipa_result_year(r, 0), 2017);
    size_t y = year_index(r, 2017);
    assert_int_equal(vipa_result_year_evaluation_count(r, y), 2);
    assert_evaluation(r, y, 0, 1, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(vipa_result_year_failed_count(r, y, 0), 1);
    assert_failed(r, y, 0, 0, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2, "1234.50",
                  "0.00");
    assert_evaluation(r, y, 1, 1, RECHECKED, 1, VIPA_OUTCOME_TERMINATED);
    assert_int_equal(vipa_result_year_failed_count(r, y, 1), 1);
    assert_failed(r, y, 1, 0, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2, "1234.50",
                  "0.00");

    assert_int_equal(vipa_result_entity_count(r), 1);
    assert_entity(r, 0, 1, VIPA_ENTITY_STATUS_DISQUALIFIED, RECHECKED, 0);

    const vipa_findings *f = vipa_result_findings(r);
    const vipa_rule D = VIPA_RULE_DISQUALIFIED_NO_SUPPORT;
    assert_int_equal(find_finding(f, D, VIPA_SUBJECT_INJECTION, 11, -1), NONE);
    long i = find_finding(f, D, VIPA_SUBJECT_INJECTION, 12, -1);
    assert_true(i != NONE);
    assert_int_equal(vipa_finding_severity(f, (size_t)i), VIPA_SEVERITY_ERROR);
    assert_true(find_finding(f, D, VIPA_SUBJECT_INJECTION, 13, -1) != NONE);
    assert_true(find_finding(f, D, VIPA_SUBJECT_AGREEMENT, 2, -1) != NONE);
    assert_int_equal(find_finding(f, D, VIPA_SUBJECT_AGREEMENT, 1, -1), NONE);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ======================================================================================
 * Case 4: coverage of the core village.
 * ====================================================================================== */

/*
 * The compliant world plus household 1003 of 杏树园村 (3 members, poor, willing), with no
 * linkage and in no agreement. COVERAGE_CORE_VILLAGE (一; 二(三)) for 杏树园村 in 2017:
 * willing, poor, not exited: 1001, 1002, 1003 = 3; linked under an agreement in force:
 * 1001 (linkage 1), 1002 (linkage 2) = 2. Expected "3", actual "2": the only failed check
 * (everything else passes as in case 1) → rectification; entity 1 not favoured.
 * 1003's figures: income 0.00, line 3 × 2952.00 = 8856.00, does not meet.
 */
static void coverage_leaves_out_a_willing_household(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_compliant_world();
    fixture_add_household(ctx, fixture_household(1003, XINGSHUYUAN, 3));
    vipa_result *r = run(ctx);

    size_t y = year_index(r, 2017);
    assert_int_equal(vipa_result_year_evaluation_count(r, y), 1);
    assert_evaluation(r, y, 0, 1, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(vipa_result_year_failed_count(r, y, 0), 1);
    assert_failed(r, y, 0, 0, VIPA_RULE_COVERAGE_CORE_VILLAGE, VIPA_SUBJECT_VILLAGE, XINGSHUYUAN,
                  "3", "2");
    assert_int_equal(vipa_result_year_coverage_count(r, y), 1);
    assert_coverage(r, y, 0, XINGSHUYUAN, 3, 2);
    assert_entity(r, 0, 1, VIPA_ENTITY_STATUS_ACTIVE, 0, 0);
    assert_int_equal(vipa_result_year_household_count(r, y), 3);
    assert_year_household(r, y, 2, 1003, 0, 885600, 0);

    const vipa_findings *f = vipa_result_findings(r);
    long i =
        find_finding(f, VIPA_RULE_COVERAGE_CORE_VILLAGE, VIPA_SUBJECT_VILLAGE, XINGSHUYUAN, 2017);
    assert_true(i != NONE);
    assert_string_equal(vipa_finding_expected(f, (size_t)i), "3");
    assert_string_equal(vipa_finding_actual(f, (size_t)i), "2");
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ======================================================================================
 * Case 5: the exit deadline at the cut-off, met in the year's figures.
 * ====================================================================================== */

/*
 * The base world with 2000.00 other income for 1001 (4 members, plan target 2017):
 *   linkage 1: 9000.00 paid 2017-12-20, and a year-end bonus of 1000.00 under it paid on
 *     2018-02-15 (after the evaluation);
 *   linkage 2: 1234.50 paid 2017-12-25.
 * Evaluation of 2017 on 2018-01-31:
 *   OBLIGATIONS_PAID: linkage 1 9000.00 due, 9000.00 paid by the cut-off; linkage 2
 *     1234.50 / 1234.50: pass.
 *   EXIT_BY_DEADLINE (四(二); 四(三)) for 1001, target 2017: income as of 2018-01-31 =
 *     9000.00 + 2000.00 = 11000.00 < 4 × 2952.00 = 11808.00 → fails.
 *   Coverage 2 of 2, linked 2 ≥ 2: pass. → rectification, one failed check.
 * The year's figures count every payment: 9000.00 + 1000.00 + 2000.00 = 12000.00 ≥
 * 11808.00 with every guarantee → meets_standard 1, and 1001's exit year is 2017.
 */
static vipa_ctx *new_deadline_world(void)
{
    vipa_ctx *ctx = new_base_world(200000);
    add_payment(ctx, pay(1, 2017, 900000, 20171220));
    add_payment(ctx, pay(1, 2017, 100000, LATE));
    add_payment(ctx, pay(2, 2017, 123450, 20171225));
    add_evaluation(ctx, 2017, EVALUATED, 0);
    return ctx;
}

static void exit_deadline_fails_at_the_cutoff_but_year_figures_meet(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_deadline_world();
    vipa_result *r = run(ctx);

    size_t y = year_index(r, 2017);
    assert_int_equal(vipa_result_year_evaluation_count(r, y), 1);
    assert_evaluation(r, y, 0, 1, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(vipa_result_year_failed_count(r, y, 0), 1);
    vipa_rule rule = VIPA_RULE_NONE;
    vipa_subject_kind kind = VIPA_SUBJECT_NONE;
    uint64_t id = 0;
    const char *expected = NULL, *actual = NULL;
    assert_int_equal(vipa_result_year_failed(&rule, &kind, &id, &expected, &actual, r, y, 0, 0),
                     VIPA_OK);
    assert_int_equal(rule, VIPA_RULE_EXIT_BY_DEADLINE);
    assert_int_equal(kind, VIPA_SUBJECT_HOUSEHOLD);
    assert_int_equal(id, 1001);
    /* If the check carries numbers they are the line × members and the income at the
     * cut-off. */
    assert_null_or(expected, "11808.00");
    assert_null_or(actual, "11000.00");

    assert_year_household(r, y, 0, 1001, 1200000, 1180800, 1);
    assert_int_equal(exit_year_of(r, 1001), 2017);
    assert_entity(r, 0, 1, VIPA_ENTITY_STATUS_ACTIVE, 0, 0);

    const vipa_findings *f = vipa_result_findings(r);
    long i = find_finding(f, VIPA_RULE_EXIT_BY_DEADLINE, VIPA_SUBJECT_HOUSEHOLD, 1001, 2017);
    assert_true(i != NONE);
    assert_int_equal(vipa_finding_severity(f, (size_t)i), VIPA_SEVERITY_ERROR);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ======================================================================================
 * Cases 6 and 7: the figures world, and the same records in another order.
 * ====================================================================================== */

/*
 * The figures world (illustrative), all of entity 1 (core village 杏树园村):
 *   households: 1001 (4 members), 1002 (3), 1003 (2) of 杏树园村, willing;
 *     1004 (1 member, willing) of 示例村; 1005 (2 members, unwilling) of 示例村, exited 2016.
 *   agreement 1 covers 1001, 1002, 1003: one village, 杏树园村's committee signs;
 *   agreement 2 covers 1004: 杏树园村 (core) and 示例村 are two villages of 城关街道, so the
 *     town government signs (四(二)). Both signed 2016-11-15, period 2016-11-01..2019-12-31.
 *   plans: 1001 → 2017, 1002 → 2018, 1003 → 2018 (agreement 1); 1004 → 2017 (agreement 2).
 *   linkages: 1 wage 9000.00 to 1001 (2017..2019); 2 land rent 2.50 mu × 500.00 = 1250.00
 *     to 1002 (2017..2019); 3 participation 2000.00 to 1004 (2017..2018, agreement 2).
 *   injection 1: 100000.00 into entity 1 under agreement 1 on 2017-03-01, per household;
 *     its households are agreement 1's: 1001, 1002, 1003.
 *   contribution: 1002 puts in land worth 5000.00 on 2017-06-01 (三(三)).
 *   dividend: entity 1, 2017, 800 bp of the shares held on 2017-12-31.
 *   payments for 2017: linkage 1 9000.00, linkage 2 1250.00, linkage 3 2000.00 (all
 *     2017-12-20); dividends 1001 1866.67 (2017-12-28), 1002 2266.67 (2018-01-20),
 *     1003 1000.00 (2018-01-20, short). For 2018: linkage 2 1250.00 (2018-11-30).
 *   other income 2017: 1001 1500.00, 1002 6000.00, 1003 -500.00 (a loss), 1004 1000.00;
 *     2018: 1002 8000.00.
 *   guarantees 2017: all for 1001, 1003, 1004; all but safe housing for 1002; 2018: all
 *     for 1002.
 *   the plain evaluation of 2017 on 2018-01-31.
 *   the data were taken on 2018-11-30 (as_of, the day of the last payment): 2017 is
 *     complete, 2018 and 2019 are not (issue #14).
 * `extras` adds entity 2 (示例村, no agreement) and the re-check of 2018-04-30; `shuffled`
 * adds every kind in another order, in several batches, the kinds themselves interleaved
 * otherwise, and lists agreement 1's households in another order.
 */

/* The records of one kind, added in order in one batch, or reversed in batches of 2. */
typedef int (*add_fn)(vipa_ctx *ctx, const void *items, size_t n);

static void add_all(vipa_ctx *ctx, add_fn add, const void *items, size_t size, size_t n,
                    int shuffled)
{
    if (!shuffled) {
        assert_int_equal(add(ctx, items, n), VIPA_OK);
        return;
    }
    _Alignas(max_align_t) unsigned char reversed[4096];
    assert_true(n * size <= sizeof reversed);
    for (size_t i = 0; i < n; i++)
        memcpy(reversed + i * size, (const unsigned char *)items + (n - 1 - i) * size, size);
    for (size_t k = 0; k < n; k += 2)
        assert_int_equal(add(ctx, reversed + k * size, n - k < 2 ? n - k : 2), VIPA_OK);
}

/* Typed adds behind one signature, for add_all. */
#define ADDER(name, add) \
    static int name(vipa_ctx *c, const void *p, size_t n) { return add(c, p, n); }
ADDER(add_entities_, vipa_ctx_add_entities)
ADDER(add_households_, vipa_ctx_add_households)
ADDER(add_assured_, vipa_ctx_add_assured)
ADDER(add_agreements_, vipa_ctx_add_agreements)
ADDER(add_plans_, vipa_ctx_add_plans)
ADDER(add_linkages_, vipa_ctx_add_linkages)
ADDER(add_injections_, vipa_ctx_add_injections)
ADDER(add_contributions_, vipa_ctx_add_contributions)
ADDER(add_dividends_, vipa_ctx_add_dividends)
ADDER(add_payments_, vipa_ctx_add_payments)
ADDER(add_incomes_, vipa_ctx_add_incomes)
ADDER(add_evaluations_, vipa_ctx_add_evaluations)
#undef ADDER

#define ADD_ALL(ctx, fn, array, shuffled) \
    add_all((ctx), (fn), (array), sizeof (array)[0], sizeof(array) / sizeof (array)[0], (shuffled))

static vipa_ctx *new_figures_world(int shuffled, int extras)
{
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx, shuffled);

    const vipa_entity entities[2] = {entity(1, XINGSHUYUAN), entity(2, CG_205)};
    const vipa_household households[5] = {
        household(1001, XINGSHUYUAN, 4, 1, 0), household(1002, XINGSHUYUAN, 3, 1, 0),
        household(1003, XINGSHUYUAN, 2, 1, 0), household(1004, CG_205, 1, 1, 0),
        household(1005, CG_205, 2, 0, 2016),
    };
    const unsigned int no_housing = VIPA_ASSURED_ITEMS_ALL & ~(unsigned int)VIPA_ASSURED_HOUSING;
    const vipa_assured assured[5] = {
        {VIPA_ASSURED_VERSION, 1001, 2017, VIPA_ASSURED_ITEMS_ALL},
        {VIPA_ASSURED_VERSION, 1002, 2017, no_housing},
        {VIPA_ASSURED_VERSION, 1002, 2018, VIPA_ASSURED_ITEMS_ALL},
        {VIPA_ASSURED_VERSION, 1003, 2017, VIPA_ASSURED_ITEMS_ALL},
        {VIPA_ASSURED_VERSION, 1004, 2017, VIPA_ASSURED_ITEMS_ALL},
    };
    static const vipa_id in_order[3] = {1001, 1002, 1003}, mixed[3] = {1003, 1001, 1002};
    static const vipa_id only_1004[1] = {1004};
    const vipa_agreement agreements[2] = {
        agreement(1, shuffled ? mixed : in_order, 3, VIPA_SIGNER_VILLAGE, XINGSHUYUAN),
        agreement(2, only_1004, 1, VIPA_SIGNER_TOWN, CHENGGUAN),
    };
    const vipa_plan plans[4] = {plan(1001, 1, 2017), plan(1002, 1, 2018), plan(1003, 1, 2018),
                                plan(1004, 2, 2017)};
    vipa_linkage linkages[3] = {
        fixture_linkage(1, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2019, 900000),
        fixture_linkage(2, VIPA_LINKAGE_LAND_RENT, 1002, 1, 2017, 2019, VIPA_FEN_UNSET),
        fixture_linkage(3, VIPA_LINKAGE_PARTICIPATION, 1004, 2, 2017, 2018, 200000),
    };
    linkages[1].area_cmu = 250;     /* 2.50 mu */
    linkages[1].rent_per_mu = 50000; /* 500.00 per mu */
    const vipa_injection injections[1] = {injection(1, 1, 20170301, 10000000)};
    vipa_contribution contribution = VIPA_CONTRIBUTION_INIT;
    contribution.household = 1002;
    contribution.entity = 1;
    contribution.agreement = 1;
    contribution.kind = VIPA_CONTRIBUTION_LAND;
    contribution.value = 500000;
    contribution.date = 20170601;
    const vipa_contribution contributions[1] = {contribution};
    vipa_dividend dividend = VIPA_DIVIDEND_INIT;
    dividend.entity = 1;
    dividend.year = 2017;
    dividend.rate_bp = 800;
    const vipa_dividend dividends[1] = {dividend};
    const vipa_payment payments[7] = {
        pay(1, 2017, 900000, 20171220),          pay(2, 2017, 125000, 20171220),
        pay(3, 2017, 200000, 20171220),          pay_dividend(1001, 2017, 186667, 20171228),
        pay_dividend(1002, 2017, 226667, 20180120), pay_dividend(1003, 2017, 100000, 20180120),
        pay(2, 2018, 125000, 20181130),
    };
    const vipa_income incomes[5] = {
        {VIPA_INCOME_VERSION, 1001, 2017, 150000}, {VIPA_INCOME_VERSION, 1002, 2017, 600000},
        {VIPA_INCOME_VERSION, 1002, 2018, 800000}, {VIPA_INCOME_VERSION, 1003, 2017, -50000},
        {VIPA_INCOME_VERSION, 1004, 2017, 100000},
    };
    const vipa_evaluation evaluations[2] = {evaluation(2017, EVALUATED, 0),
                                            evaluation(2017, RECHECKED, 1)};
    size_t n_entities = extras ? 2 : 1, n_evaluations = extras ? 2 : 1;
    assert_int_equal(vipa_ctx_set_as_of(ctx, 20181130), VIPA_OK);

    if (!shuffled) {
        add_all(ctx, add_entities_, entities, sizeof entities[0], n_entities, 0);
        ADD_ALL(ctx, add_households_, households, 0);
        ADD_ALL(ctx, add_assured_, assured, 0);
        ADD_ALL(ctx, add_agreements_, agreements, 0);
        ADD_ALL(ctx, add_plans_, plans, 0);
        ADD_ALL(ctx, add_linkages_, linkages, 0);
        ADD_ALL(ctx, add_injections_, injections, 0);
        ADD_ALL(ctx, add_contributions_, contributions, 0);
        ADD_ALL(ctx, add_dividends_, dividends, 0);
        ADD_ALL(ctx, add_payments_, payments, 0);
        ADD_ALL(ctx, add_incomes_, incomes, 0);
        add_all(ctx, add_evaluations_, evaluations, sizeof evaluations[0], n_evaluations, 0);
    } else {
        /* Evaluations and households first, entities after incomes and guarantees,
         * dividends before the shares they are paid on: only references constrain, and
         * a re-check follows its year's plain evaluation (四(五); issue #14), so the
         * evaluations keep their order, one batch each. */
        for (size_t k = 0; k < n_evaluations; k++)
            assert_int_equal(vipa_ctx_add_evaluations(ctx, &evaluations[k], 1), VIPA_OK);
        ADD_ALL(ctx, add_households_, households, 1);
        ADD_ALL(ctx, add_incomes_, incomes, 1);
        ADD_ALL(ctx, add_assured_, assured, 1);
        add_all(ctx, add_entities_, entities, sizeof entities[0], n_entities, 1);
        ADD_ALL(ctx, add_dividends_, dividends, 1);
        ADD_ALL(ctx, add_agreements_, agreements, 1);
        ADD_ALL(ctx, add_linkages_, linkages, 1);
        ADD_ALL(ctx, add_payments_, payments, 1);
        ADD_ALL(ctx, add_contributions_, contributions, 1);
        ADD_ALL(ctx, add_injections_, injections, 1);
        ADD_ALL(ctx, add_plans_, plans, 1);
    }
    return ctx;
}

/*
 * Case 6, worked by hand.
 *
 * Signers (SIGNER_LEVEL, 四(二)), by agreement: 1 → village 611002001204; 2 → town
 * 611002001000 (core 杏树园村 + 示例村, one town).
 *
 * Allocations of injection 1 (三(二)): poor share = 100000.00 × 7000 bp = 70000.00
 * (exact). Per household over 1001, 1002, 1003: 7000000 fen / 3 = 2333333 rest 1; the
 * three remainders tie, the fen goes to the lowest id: 1001 23333.34, 1002 23333.33,
 * 1003 23333.33 (sum 70000.00). The rest, 100000.00 − 70000.00 = 30000.00, to the
 * village collective of the core village 611002001204. Four rows, households by id,
 * then the collective.
 *
 * Shares on 2017-12-31: 1001 23333.34; 1002 23333.33 + 5000.00 land = 28333.33;
 * 1003 23333.33. Dividend 800 bp, each half away from zero (二(三)):
 *   1001: 2333334 × 800 / 10000 = 186666.72 fen → 186667 = 1866.67;
 *   1002: 2833333 × 800 / 10000 = 226666.64 fen → 226667 = 2266.67;
 *   1003: 2333333 × 800 / 10000 = 186666.64 fen → 186667 = 1866.67.
 * (The collective's 30000.00 × 8 % = 2400.00 is no household's, so not in the list of
 * households' dividends.) Paid: 1866.67, 2266.67, 1000.00. 2018 declares no dividend.
 *
 * Households with figures in 2017 (1005 exited in 2016, before it):
 *   1001: 9000.00 + 1866.67 + 1500.00 = 12366.67; line 4 × 2952.00 = 11808.00; all
 *         guarantees → meets.
 *   1002: 1250.00 (2.50 mu × 500.00) + 2266.67 + 6000.00 = 9516.67; line 3 × 2952.00 =
 *         8856.00; income enough, but safe housing is not assured → does not meet.
 *   1003: 1000.00 − 500.00 = 500.00; line 2 × 2952.00 = 5904.00 → does not meet.
 *   1004: 2000.00 + 1000.00 = 3000.00; line 1 × 2952.00 = 2952.00; all → meets.
 * Exit years: 1001 2017, 1002 2018 (below), 1003 none (0), 1004 2017, 1005 2016 (recorded).
 * Households with figures in 2018: not exited before 2018: 1002 and 1003.
 *   1002: 1250.00 + 8000.00 = 9250.00; line 3 × 2995.00 = 8985.00; all → meets.
 *   1003: 0.00; line 2 × 2995.00 = 5990.00 → does not meet.
 *
 * Coverage (一; 二(三)): the core village of entity 1 (agreements in force in both years)
 *   2017: 杏树园村 willing and not exited before 2017: 1001, 1002, 1003 = 3; linked: 1001
 *         (linkage 1), 1002 (linkage 2), 1003 (shares at the end of 2017, 二(三)) = 3.
 *   2018: 1001 exited in 2017, so 1002 and 1003 = 2; 1002 (linkage 2, due 2018), 1003
 *         (shares at the end of 2018) = 2. 示例村 is no entity's core village: no row.
 *
 * Evaluation of 2017 on 2018-01-31 (paid by then: everything but 1003's 866.67):
 *   agreement 1: DIVIDEND_PAID_AS_AGREED household 1003 "1866.67" / "1000.00" fails;
 *     1001 exits by its target (12366.67 ≥ 11808.00 at the cut-off); coverage 3 of 3;
 *     linked 3 ≥ 3 (1003 by shares) → rectification, that one failed check.
 *   agreement 2: linkage 3 paid; no dividend owed to its household 1004; 1004 (target
 *     2017) has 3000.00 ≥ 2952.00 at the cut-off, all guarantees; coverage of 杏树园村
 *     3 of 3; linked 1 ≥ 1 → compliant.
 *   Entity 1 is not favoured for 2017 (agreement 1 was not compliant); active.
 *
 * Disclosure (五(五)): entity 1, equity = its injections = 100000.00 (the contribution
 * is the household's, not fiscal equity); households driven: 1001, 1002, 1003 (shares),
 * 1004 (linkage 3) = 4.
 *
 * Years (issue #14): 2017, 2018 (linkages due, paid for, other income, tasks) and 2019:
 * linkages 1 and 2 run 2017..2019 within both agreements' period ending 2019-12-31.
 * Households with figures in 2019: not exited before 2019: 1003 only: 0.00; line
 * 2 × 3218.00 = 6436.00 → does not meet. Coverage 2019 of 杏树园村: willing and not
 * exited before 2019: 1003 = 1; covered by its shares = 1. No dividend, no evaluation.
 * As of 2018-11-30 only 2017 is complete. Its money (every payment dated by 2018-11-30):
 * linkages 1, 2, 3 paid in full; dividends 1001 and 1002 paid in full, 1003 1000.00 of
 * 1866.67: the same shortfall, "1866.67" / "1000.00", that the evaluation of 2017 reported
 * with its cut-off 2018-01-31 (the rest was never paid), so the year's check adds no second
 * finding: the evaluation's copy says it once.
 * Error findings: that one (the records are clean; 2018 and 2019 are not complete).
 */
static void year_figures_dividends_allocations_signers_disclosure(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_figures_world(0, 0);
    vipa_result *r = run(ctx);

    /* Signers. */
    assert_int_equal(vipa_result_signer_count(r), 2);
    vipa_id agreement_id = 0;
    vipa_signer_level level = VIPA_SIGNER_UNRECORDED;
    vipa_area_code area = 0;
    assert_int_equal(vipa_result_signer(&agreement_id, &level, &area, r, 0), VIPA_OK);
    assert_int_equal(agreement_id, 1);
    assert_int_equal(level, VIPA_SIGNER_VILLAGE);
    assert_int_equal(area, XINGSHUYUAN);
    assert_int_equal(vipa_result_signer(&agreement_id, &level, &area, r, 1), VIPA_OK);
    assert_int_equal(agreement_id, 2);
    assert_int_equal(level, VIPA_SIGNER_TOWN);
    assert_int_equal(area, CHENGGUAN);

    /* Allocations. */
    const struct {
        vipa_holder_kind kind;
        uint64_t holder;
        vipa_fen amount;
    } parts[4] = {{VIPA_HOLDER_HOUSEHOLD, 1001, 2333334},
                  {VIPA_HOLDER_HOUSEHOLD, 1002, 2333333},
                  {VIPA_HOLDER_HOUSEHOLD, 1003, 2333333},
                  {VIPA_HOLDER_COLLECTIVE, XINGSHUYUAN, 3000000}};
    assert_int_equal(vipa_result_allocation_count(r), 4);
    for (size_t i = 0; i < 4; i++) {
        vipa_id in = 0;
        vipa_holder_kind kind = VIPA_HOLDER_NONE;
        uint64_t holder = 0;
        vipa_fen amount = 0;
        assert_int_equal(vipa_result_allocation(&in, &kind, &holder, &amount, r, i), VIPA_OK);
        assert_int_equal(in, 1);
        assert_int_equal(kind, parts[i].kind);
        assert_int_equal(holder, parts[i].holder);
        assert_int_equal(amount, parts[i].amount);
    }

    /* Years 2017, 2018 and 2019; only 2017 complete as of 2018-11-30. */
    assert_int_equal(vipa_result_year_count(r), 3);
    assert_int_equal(vipa_result_year(r, 0), 2017);
    assert_int_equal(vipa_result_year(r, 1), 2018);
    assert_int_equal(vipa_result_year(r, 2), 2019);
    assert_int_equal(vipa_result_year_complete(r, 0), 1);
    assert_int_equal(vipa_result_year_complete(r, 1), 0);
    assert_int_equal(vipa_result_year_complete(r, 2), 0);

    /* Household figures. */
    assert_int_equal(vipa_result_year_household_count(r, 0), 4);
    assert_year_household(r, 0, 0, 1001, 1236667, 1180800, 1);
    assert_year_household(r, 0, 1, 1002, 951667, 885600, 0);
    assert_year_household(r, 0, 2, 1003, 50000, 590400, 0);
    assert_year_household(r, 0, 3, 1004, 300000, 295200, 1);
    assert_int_equal(vipa_result_year_household_count(r, 1), 2);
    assert_year_household(r, 1, 0, 1002, 925000, 898500, 1);
    assert_year_household(r, 1, 1, 1003, 0, 599000, 0);
    assert_int_equal(vipa_result_year_household_count(r, 2), 1);
    assert_year_household(r, 2, 0, 1003, 0, 643600, 0);

    assert_int_equal(vipa_result_household_count(r), 5);
    const int exits[5] = {2017, 2018, 0, 2017, 2016};
    for (size_t i = 0; i < 5; i++) {
        vipa_id id = 0;
        int year = -1;
        assert_int_equal(vipa_result_household(&id, &year, r, i), VIPA_OK);
        assert_int_equal(id, 1001 + i);
        assert_int_equal(year, exits[i]);
    }

    /* Dividends of 2017, by entity then household; none in 2018. */
    const vipa_fen due[3] = {186667, 226667, 186667}, paid[3] = {186667, 226667, 100000};
    assert_int_equal(vipa_result_year_dividend_count(r, 0), 3);
    for (size_t i = 0; i < 3; i++) {
        vipa_id e = 0, h = 0;
        vipa_fen d = -1, p = -1;
        assert_int_equal(vipa_result_year_dividend(&e, &h, &d, &p, r, 0, i), VIPA_OK);
        assert_int_equal(e, 1);
        assert_int_equal(h, 1001 + i);
        assert_int_equal(d, due[i]);
        assert_int_equal(p, paid[i]);
    }
    assert_int_equal(vipa_result_year_dividend_count(r, 1), 0);
    assert_int_equal(vipa_result_year_dividend_count(r, 2), 0);

    /* Coverage. */
    assert_int_equal(vipa_result_year_coverage_count(r, 0), 1);
    assert_coverage(r, 0, 0, XINGSHUYUAN, 3, 3);
    assert_int_equal(vipa_result_year_coverage_count(r, 1), 1);
    assert_coverage(r, 1, 0, XINGSHUYUAN, 2, 2);
    assert_int_equal(vipa_result_year_coverage_count(r, 2), 1);
    assert_coverage(r, 2, 0, XINGSHUYUAN, 1, 1);

    /* Evaluations. */
    assert_int_equal(vipa_result_year_evaluation_count(r, 0), 2);
    assert_evaluation(r, 0, 0, 1, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(vipa_result_year_failed_count(r, 0, 0), 1);
    assert_failed(r, 0, 0, 0, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SUBJECT_HOUSEHOLD, 1003,
                  "1866.67", "1000.00");
    assert_evaluation(r, 0, 1, 2, EVALUATED, 0, VIPA_OUTCOME_COMPLIANT);
    assert_int_equal(vipa_result_year_failed_count(r, 0, 1), 0);
    assert_int_equal(vipa_result_year_evaluation_count(r, 1), 0);
    assert_int_equal(vipa_result_year_evaluation_count(r, 2), 0);
    assert_entity(r, 0, 1, VIPA_ENTITY_STATUS_ACTIVE, 0, 0);

    /* Disclosure. */
    assert_int_equal(vipa_result_disclosure_count(r), 1);
    vipa_id e = 0;
    vipa_fen equity = 0;
    size_t driven = 0;
    assert_int_equal(vipa_result_disclosure(&e, &equity, &driven, r, 0), VIPA_OK);
    assert_int_equal(e, 1);
    assert_int_equal(equity, 10000000);
    assert_int_equal(driven, 4);

    const vipa_findings *f = vipa_result_findings(r);
    assert_int_equal(vipa_findings_count_at_least(f, VIPA_SEVERITY_WARNING), 1);
    assert_int_equal(count_findings(f, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SUBJECT_HOUSEHOLD,
                                    1003), 1);
    for (int k = 0; k < 1; k++) {
        long i = find_nth(f, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SUBJECT_HOUSEHOLD, 1003,
                          2017, k);
        assert_true(i != NONE);
        assert_int_equal(vipa_finding_severity(f, (size_t)i), VIPA_SEVERITY_ERROR);
        assert_string_equal(vipa_finding_expected(f, (size_t)i), "1866.67");
        assert_string_equal(vipa_finding_actual(f, (size_t)i), "1000.00");
    }
    /* The one finding is the evaluation's copy, naming the evaluation and its cut-off; the
     * year's own check (it would end "paid by 2018-11-30") found the same figures. */
    int year_check = 0, evaluation_copy = 0;
    for (int k = 0; k < 1; k++) {
        const char *m = vipa_finding_message(
            f, (size_t)find_nth(f, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SUBJECT_HOUSEHOLD,
                                1003, 2017, k));
        year_check += strstr(m, "evaluation of") == NULL &&
                      strstr(m, " paid by 2018-11-30 (DIVIDEND_PAID_AS_AGREED") != NULL;
        evaluation_copy += strstr(m, "evaluation of 2017 on 2018-01-31") != NULL &&
                           strstr(m, " paid by 2018-01-31 (DIVIDEND_PAID_AS_AGREED") != NULL;
    }
    assert_int_equal(year_check, 0);
    assert_int_equal(evaluation_copy, 1);
    assert_true(find_finding(f, VIPA_RULE_DISCLOSURE, VIPA_SUBJECT_ENTITY, 1, -1) != NONE);
    assert_int_equal(find_finding(f, VIPA_RULE_EQUITY_POOR_SHARE, VIPA_SUBJECT_INJECTION, 1, -1),
                     NONE);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ---- comparing two results accessor by accessor ------------------------------------------ */

static void assert_same_lists(const vipa_result *a, const vipa_result *b)
{
    assert_int_equal(vipa_result_signer_count(a), vipa_result_signer_count(b));
    for (size_t i = 0; i < vipa_result_signer_count(a); i++) {
        vipa_id ia = 0, ib = 0;
        vipa_signer_level la = 0, lb = 0;
        vipa_area_code aa = 0, ab = 0;
        assert_int_equal(vipa_result_signer(&ia, &la, &aa, a, i), VIPA_OK);
        assert_int_equal(vipa_result_signer(&ib, &lb, &ab, b, i), VIPA_OK);
        assert_true(ia == ib && la == lb && aa == ab);
    }
    assert_int_equal(vipa_result_allocation_count(a), vipa_result_allocation_count(b));
    for (size_t i = 0; i < vipa_result_allocation_count(a); i++) {
        vipa_id ia = 0, ib = 0;
        vipa_holder_kind ka = 0, kb = 0;
        uint64_t ha = 0, hb = 0;
        vipa_fen ma = 0, mb = 0;
        assert_int_equal(vipa_result_allocation(&ia, &ka, &ha, &ma, a, i), VIPA_OK);
        assert_int_equal(vipa_result_allocation(&ib, &kb, &hb, &mb, b, i), VIPA_OK);
        assert_true(ia == ib && ka == kb && ha == hb && ma == mb);
    }
    assert_int_equal(vipa_result_household_count(a), vipa_result_household_count(b));
    for (size_t i = 0; i < vipa_result_household_count(a); i++) {
        vipa_id ia = 0, ib = 0;
        int ya = 0, yb = 0;
        assert_int_equal(vipa_result_household(&ia, &ya, a, i), VIPA_OK);
        assert_int_equal(vipa_result_household(&ib, &yb, b, i), VIPA_OK);
        assert_true(ia == ib && ya == yb);
    }
    assert_int_equal(vipa_result_entity_count(a), vipa_result_entity_count(b));
    for (size_t i = 0; i < vipa_result_entity_count(a); i++) {
        vipa_id ia = 0, ib = 0;
        vipa_entity_status sa = 0, sb = 0;
        vipa_date da = 0, db = 0;
        size_t fa = 0, fb = 0;
        assert_int_equal(vipa_result_entity(&ia, &sa, &da, &fa, a, i), VIPA_OK);
        assert_int_equal(vipa_result_entity(&ib, &sb, &db, &fb, b, i), VIPA_OK);
        assert_true(ia == ib && sa == sb && da == db && fa == fb);
        for (size_t k = 0; k < fa; k++) {
            int ya = 0, yb = 0;
            assert_int_equal(vipa_result_entity_favoured(&ya, a, i, k), VIPA_OK);
            assert_int_equal(vipa_result_entity_favoured(&yb, b, i, k), VIPA_OK);
            assert_int_equal(ya, yb);
        }
    }
    assert_int_equal(vipa_result_disclosure_count(a), vipa_result_disclosure_count(b));
    for (size_t i = 0; i < vipa_result_disclosure_count(a); i++) {
        vipa_id ea = 0, eb = 0;
        vipa_fen qa = 0, qb = 0;
        size_t ha = 0, hb = 0;
        assert_int_equal(vipa_result_disclosure(&ea, &qa, &ha, a, i), VIPA_OK);
        assert_int_equal(vipa_result_disclosure(&eb, &qb, &hb, b, i), VIPA_OK);
        assert_true(ea == eb && qa == qb && ha == hb);
    }
}

static void assert_same_year(const vipa_result *a, const vipa_result *b, size_t y)
{
    assert_int_equal(vipa_result_year(a, y), vipa_result_year(b, y));
    assert_int_equal(vipa_result_year_household_count(a, y),
                     vipa_result_year_household_count(b, y));
    for (size_t i = 0; i < vipa_result_year_household_count(a, y); i++) {
        vipa_id ha = 0, hb = 0;
        vipa_fen ia = 0, ib = 0, la = 0, lb = 0;
        int ma = 0, mb = 0;
        assert_int_equal(vipa_result_year_household(&ha, &ia, &la, &ma, a, y, i), VIPA_OK);
        assert_int_equal(vipa_result_year_household(&hb, &ib, &lb, &mb, b, y, i), VIPA_OK);
        assert_true(ha == hb && ia == ib && la == lb && ma == mb);
    }
    assert_int_equal(vipa_result_year_dividend_count(a, y), vipa_result_year_dividend_count(b, y));
    for (size_t i = 0; i < vipa_result_year_dividend_count(a, y); i++) {
        vipa_id ea = 0, eb = 0, ha = 0, hb = 0;
        vipa_fen da = 0, db = 0, pa = 0, pb = 0;
        assert_int_equal(vipa_result_year_dividend(&ea, &ha, &da, &pa, a, y, i), VIPA_OK);
        assert_int_equal(vipa_result_year_dividend(&eb, &hb, &db, &pb, b, y, i), VIPA_OK);
        assert_true(ea == eb && ha == hb && da == db && pa == pb);
    }
    assert_int_equal(vipa_result_year_coverage_count(a, y), vipa_result_year_coverage_count(b, y));
    for (size_t i = 0; i < vipa_result_year_coverage_count(a, y); i++) {
        vipa_area_code va = 0, vb = 0;
        size_t wa = 0, wb = 0, ca = 0, cb = 0;
        assert_int_equal(vipa_result_year_coverage(&va, &wa, &ca, a, y, i), VIPA_OK);
        assert_int_equal(vipa_result_year_coverage(&vb, &wb, &cb, b, y, i), VIPA_OK);
        assert_true(va == vb && wa == wb && ca == cb);
    }
    assert_int_equal(vipa_result_year_evaluation_count(a, y),
                     vipa_result_year_evaluation_count(b, y));
    for (size_t i = 0; i < vipa_result_year_evaluation_count(a, y); i++) {
        vipa_id aa = 0, ab = 0, ea = 0, eb = 0;
        vipa_date da = 0, db = 0;
        int ra = 0, rb = 0;
        vipa_outcome oa = 0, ob = 0;
        assert_int_equal(vipa_result_year_evaluation(&aa, &ea, &da, &ra, &oa, a, y, i), VIPA_OK);
        assert_int_equal(vipa_result_year_evaluation(&ab, &eb, &db, &rb, &ob, b, y, i), VIPA_OK);
        assert_true(aa == ab && ea == eb && da == db && ra == rb && oa == ob);
        assert_int_equal(vipa_result_year_failed_count(a, y, i),
                         vipa_result_year_failed_count(b, y, i));
        for (size_t k = 0; k < vipa_result_year_failed_count(a, y, i); k++) {
            vipa_rule ua = 0, ub = 0;
            vipa_subject_kind ka = 0, kb = 0;
            uint64_t sa = 0, sb = 0;
            const char *xa = NULL, *xb = NULL, *ta = NULL, *tb = NULL;
            assert_int_equal(vipa_result_year_failed(&ua, &ka, &sa, &xa, &ta, a, y, i, k), VIPA_OK);
            assert_int_equal(vipa_result_year_failed(&ub, &kb, &sb, &xb, &tb, b, y, i, k), VIPA_OK);
            assert_true(ua == ub && ka == kb && sa == sb);
            assert_same_text(xa, xb);
            assert_same_text(ta, tb);
        }
    }
}

static void assert_same_findings(const vipa_findings *a, const vipa_findings *b)
{
    assert_int_equal(vipa_findings_count(a), vipa_findings_count(b));
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
}

/* The explanation texts of every household with figures and every agreement evaluated. */
static void assert_same_explanations(const vipa_result *a, const vipa_result *b, size_t y)
{
    int year = vipa_result_year(a, y);
    for (size_t i = 0; i < vipa_result_year_household_count(a, y); i++) {
        vipa_id h = 0;
        vipa_fen income = 0, line = 0;
        int meets = 0;
        assert_int_equal(vipa_result_year_household(&h, &income, &line, &meets, a, y, i), VIPA_OK);
        vipa_explanation *xa = NULL, *xb = NULL;
        assert_int_equal(vipa_explain_household(&xa, a, h, year), VIPA_OK);
        assert_int_equal(vipa_explain_household(&xb, b, h, year), VIPA_OK);
        assert_string_equal(vipa_explanation_text(xa), vipa_explanation_text(xb));
        vipa_explanation_free(xa);
        vipa_explanation_free(xb);
    }
    for (size_t i = 0; i < vipa_result_year_evaluation_count(a, y); i++) {
        vipa_id ag = 0, e = 0;
        vipa_date d = 0;
        int re = 0;
        vipa_outcome o = 0;
        assert_int_equal(vipa_result_year_evaluation(&ag, &e, &d, &re, &o, a, y, i), VIPA_OK);
        vipa_explanation *xa = NULL, *xb = NULL;
        assert_int_equal(vipa_explain_agreement(&xa, a, ag, year), VIPA_OK);
        assert_int_equal(vipa_explain_agreement(&xb, b, ag, year), VIPA_OK);
        assert_string_equal(vipa_explanation_text(xa), vipa_explanation_text(xb));
        vipa_explanation_free(xa);
        vipa_explanation_free(xb);
    }
}

static void assert_same_results(const vipa_result *a, const vipa_result *b)
{
    const char *ha = vipa_result_stamp(a, "input_sha256");
    const char *hb = vipa_result_stamp(b, "input_sha256");
    assert_hex64(ha);
    assert_string_equal(ha, hb);
    assert_string_equal(vipa_result_stamp(a, "profile_sha256"),
                        vipa_result_stamp(b, "profile_sha256"));
    assert_same_lists(a, b);
    assert_int_equal(vipa_result_year_count(a), vipa_result_year_count(b));
    for (size_t y = 0; y < vipa_result_year_count(a); y++) {
        assert_same_year(a, b, y);
        assert_same_explanations(a, b, y);
    }
    assert_same_findings(vipa_result_findings(a), vipa_result_findings(b));
}

/*
 * Case 7: the figures world with entity 2 and the re-check, built in order in one batch
 * per kind, and shuffled (each kind reversed, in batches of two, the kinds interleaved
 * differently, agreement 1's households listed 1003, 1001, 1002). Lists are sorted by id
 * and the input hash is taken in canonical order (run.h), so the two results must be
 * identical, accessor by accessor, finding by finding, stamp included.
 * Anchors, so the comparison is not of two empty results: the re-check of 2018-04-30
 * still sees 1003's dividend short (1000.00 of 1866.67) → agreement 1 terminated and
 * entity 1 disqualified on 2018-04-30; 2017 then has three evaluations (agreement 1
 * plain and re-check, agreement 2 plain); the entities are 1 and 2.
 */
static void same_result_whatever_the_order_of_adding(void **state)
{
    (void)state;
    for (int extras = 0; extras < 2; extras++) {
        vipa_ctx *forward = new_figures_world(0, extras), *shuffled = new_figures_world(1, extras);
        vipa_result *a = run(forward), *b = run(shuffled);
        assert_same_results(a, b);
        assert_true(vipa_findings_count(vipa_result_findings(a)) > 0);
        assert_int_equal(vipa_result_allocation_count(a), 4);
        if (extras) {
            size_t y = year_index(a, 2017);
            assert_int_equal(vipa_result_year_evaluation_count(a, y), 3);
            assert_evaluation(a, y, 1, 1, RECHECKED, 1, VIPA_OUTCOME_TERMINATED);
            assert_int_equal(vipa_result_entity_count(a), 2);
            assert_entity(a, 0, 1, VIPA_ENTITY_STATUS_DISQUALIFIED, RECHECKED, 0);
        }
        vipa_result_free(a);
        vipa_result_free(b);
        vipa_ctx_free(forward);
        vipa_ctx_free(shuffled);
    }
}

/* ======================================================================================
 * Case 8: the stamp.
 * ====================================================================================== */

/* library "0.5.1" (VIPA_VERSION_STRING; 0.5.1 since issue #16's record layout), profile "shangluo-2016", both hashes 64
 * lowercase hex digits. The profile hash follows the parameters (equity.poor_share_bp
 * 7000 → 6000 changes it; back to 7000 restores it; poverty_line.2017 changes it) while
 * the records, and so the input hash, stay the same; a new record changes the input
 * hash. VIPA_RUN_NO_INPUT_HASH gives "". */
static void stamp_names_library_profile_and_hashes(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_compliant_world();
    vipa_result *r = run(ctx);
    assert_string_equal(vipa_result_stamp(r, "library"), "0.5.1");
    assert_string_equal(vipa_result_stamp(r, "library"), VIPA_VERSION_STRING);
    assert_string_equal(vipa_result_stamp(r, "profile"), "shangluo-2016");
    char profile[65], input[65];
    assert_hex64(vipa_result_stamp(r, "profile_sha256"));
    assert_hex64(vipa_result_stamp(r, "input_sha256"));
    snprintf(profile, sizeof profile, "%s", vipa_result_stamp(r, "profile_sha256"));
    snprintf(input, sizeof input, "%s", vipa_result_stamp(r, "input_sha256"));
    assert_null(vipa_result_stamp(r, "nonsense"));
    assert_null(vipa_result_stamp(r, NULL));
    assert_null(vipa_result_stamp(NULL, "library"));
    vipa_result_free(r);

    /* The same again: the same stamp. */
    r = run(ctx);
    assert_string_equal(vipa_result_stamp(r, "profile_sha256"), profile);
    assert_string_equal(vipa_result_stamp(r, "input_sha256"), input);
    vipa_result_free(r);

    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 6000), VIPA_OK);
    r = run(ctx);
    assert_hex64(vipa_result_stamp(r, "profile_sha256"));
    assert_true(strcmp(vipa_result_stamp(r, "profile_sha256"), profile) != 0);
    assert_string_equal(vipa_result_stamp(r, "input_sha256"), input);
    vipa_result_free(r);

    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 7000), VIPA_OK);
    r = run(ctx);
    assert_string_equal(vipa_result_stamp(r, "profile_sha256"), profile);
    vipa_result_free(r);

    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2017", 300000), VIPA_OK);
    r = run(ctx);
    assert_true(strcmp(vipa_result_stamp(r, "profile_sha256"), profile) != 0);
    vipa_result_free(r);
    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2017", 295200), VIPA_OK);

    vipa_run_options options = VIPA_RUN_OPTIONS_INIT;
    options.flags = VIPA_RUN_NO_INPUT_HASH;
    r = run_with(ctx, &options);
    assert_string_equal(vipa_result_stamp(r, "input_sha256"), "");
    assert_string_equal(vipa_result_stamp(r, "profile_sha256"), profile);
    assert_string_equal(vipa_result_stamp(r, "library"), "0.5.1");
    vipa_result_free(r);

    /* One more record: another input. */
    add_income(ctx, 1002, 2017, 100);
    r = run(ctx);
    assert_hex64(vipa_result_stamp(r, "input_sha256"));
    assert_true(strcmp(vipa_result_stamp(r, "input_sha256"), input) != 0);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ======================================================================================
 * Case 9: error paths.
 * ====================================================================================== */

static void run_refuses_bad_arguments(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_compliant_world();
    vipa_result *r = (vipa_result *)&r; /* not NULL, to see it reset */
    assert_int_equal(vipa_run(&r, NULL, NULL), VIPA_E_INVALID);
    assert_null(r);
    assert_int_equal(vipa_run(NULL, ctx, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_INVALID);

    vipa_run_options options = VIPA_RUN_OPTIONS_INIT;
    const unsigned int versions[2] = {0, VIPA_RUN_OPTIONS_VERSION + 1};
    for (int k = 0; k < 2; k++) {
        options.version = versions[k];
        r = (vipa_result *)&r;
        assert_int_equal(vipa_run(&r, ctx, &options), VIPA_E_VERSION);
        assert_null(r);
        assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_VERSION);
    }
    /* A success afterwards clears the error. */
    r = run(ctx);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    vipa_result_free(r);
    vipa_result_free(NULL);
    vipa_ctx_free(ctx);
}

/* A poverty line so high that line × members could overflow for the largest households
 * (above INT64_MAX / VIPA_MEMBERS_MAX per person) takes the run's checked path: a
 * household of 3 at 3,000,000,000,000,000,000 fen a person still fits (9 × 10^18 ≤
 * INT64_MAX ≈ 9.22 × 10^18), one of 4 does not and is named; the exit check of the
 * evaluation gives the same answer as the figures. */
static void run_with_a_poverty_line_near_the_int64_limit(void **state)
{
    (void)state;
    const vipa_fen huge = 3000000000000000000;
    for (int members = 3; members <= 4; members++) {
        vipa_ctx *ctx = fixture_new_ctx(NULL);
        add_areas(ctx, 0);
        vipa_entity e = entity(1, XINGSHUYUAN);
        assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
        fixture_add_household(ctx, fixture_household(1001, XINGSHUYUAN, 1));
        fixture_add_household(ctx, fixture_household(1002, XINGSHUYUAN, members));
        static const vipa_id both[2] = {1001, 1002};
        vipa_agreement a = agreement(1, both, 2, VIPA_SIGNER_VILLAGE, XINGSHUYUAN);
        a.exit_deadline = 2017;
        assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
        fixture_add_plan(ctx, plan(1001, 1, 2017));
        fixture_add_plan(ctx, plan(1002, 1, 2017));
        vipa_linkage l = fixture_linkage(1, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2017, 900000);
        assert_int_equal(vipa_ctx_add_linkages(ctx, &l, 1), VIPA_OK);
        add_payment(ctx, pay(1, 2017, 900000, 20171220));
        add_evaluation(ctx, 2017, EVALUATED, 0);
        assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2017", huge), VIPA_OK);

        vipa_result *r = NULL;
        int rc = vipa_run(&r, ctx, NULL);
        if (members == 4) {
            assert_int_equal(rc, VIPA_E_OVERFLOW);
            assert_null(r);
            assert_has(vipa_ctx_errmsg(ctx), "household 1002");
            vipa_ctx_free(ctx);
            continue;
        }
        assert_int_equal(rc, VIPA_OK);
        size_t y = year_index(r, 2017);
        assert_year_household(r, y, 0, 1001, 900000, huge, 0);
        assert_year_household(r, y, 1, 1002, 0, 3 * huge, 0);
        /* Both targets of 2017 missed: two EXIT_BY_DEADLINE failures, the agreement in
         * rectification. */
        const vipa_findings *f = vipa_result_findings(r);
        assert_int_equal(count_findings(f, VIPA_RULE_EXIT_BY_DEADLINE, VIPA_SUBJECT_HOUSEHOLD,
                                        1001), 1);
        assert_int_equal(count_findings(f, VIPA_RULE_EXIT_BY_DEADLINE, VIPA_SUBJECT_HOUSEHOLD,
                                        1002), 1);
        vipa_result_free(r);
        vipa_ctx_free(ctx);
    }
}

/* A payment for 2030, for which the profile has no poverty line: the run cannot decide
 * the exit standard of 2030 and must say which parameter to set, never guess. Once
 * poverty_line.2030 is set, the run succeeds and has figures for 2030. */
static void run_needs_a_poverty_line_for_every_year(void **state)
{
    (void)state;
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx, 0);
    vipa_entity e = entity(1, XINGSHUYUAN);
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
    fixture_add_household(ctx, fixture_household(1001, XINGSHUYUAN, 4));
    static const vipa_id one[1] = {1001};
    vipa_agreement a = agreement(1, one, 1, VIPA_SIGNER_VILLAGE, XINGSHUYUAN);
    a.end = 20301231;
    a.exit_deadline = 2030;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    fixture_add_plan(ctx, plan(1001, 1, 2030));
    vipa_linkage l = fixture_linkage(1, VIPA_LINKAGE_WAGE, 1001, 1, 2030, 2030, 900000);
    assert_int_equal(vipa_ctx_add_linkages(ctx, &l, 1), VIPA_OK);
    add_payment(ctx, pay(1, 2030, 900000, 20301220));

    vipa_result *r = (vipa_result *)&r;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_E_NOT_FOUND);
    assert_null(r);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_NOT_FOUND);
    assert_has(vipa_ctx_errmsg(ctx), "poverty_line.2030");

    /* 4000.00 per person: 4 × 4000.00 = 16000.00 > 9000.00, and no guarantees. */
    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2030", 400000), VIPA_OK);
    r = run(ctx);
    size_t y = year_index(r, 2030);
    assert_year_household(r, y, 0, 1001, 900000, 1600000, 0);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* Every accessor refuses a NULL result or output, and an index out of range, as run.h
 * documents; on the compliant world (3 years: 2017, 2018, 2019, so year index 3 is out
 * of range; in 2017 1 evaluation with no failed check, 2 households, 1 coverage row;
 * 1 entity favoured once, no allocation, no dividend). */
static void accessors_refuse_null_and_out_of_range(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_compliant_world();
    vipa_result *r = run(ctx);
    vipa_id id = 0, id2 = 0;
    vipa_fen fen = 0, fen2 = 0;
    vipa_date date = 0;
    vipa_area_code code = 0;
    vipa_signer_level level = 0;
    vipa_holder_kind holder_kind = 0;
    vipa_entity_status status = 0;
    vipa_outcome outcome = 0;
    vipa_rule rule = 0;
    vipa_subject_kind subject = 0;
    uint64_t u = 0;
    const char *ex = NULL, *ac = NULL;
    size_t n = 0, n2 = 0;
    int year = 0, flag = 0;

    /* Counts of a NULL result, or out of range, are 0; findings of NULL are NULL. */
    assert_int_equal(vipa_result_signer_count(NULL), 0);
    assert_int_equal(vipa_result_allocation_count(NULL), 0);
    assert_int_equal(vipa_result_household_count(NULL), 0);
    assert_int_equal(vipa_result_entity_count(NULL), 0);
    assert_int_equal(vipa_result_disclosure_count(NULL), 0);
    assert_int_equal(vipa_result_year_count(NULL), 0);
    assert_null(vipa_result_findings(NULL));
    assert_int_equal(vipa_result_year(NULL, 0), 0);
    assert_int_equal(vipa_result_year_count(r), 3);
    assert_int_equal(vipa_result_year(r, 3), 0);
    assert_int_equal(vipa_result_year_household_count(NULL, 0), 0);
    assert_int_equal(vipa_result_year_household_count(r, 3), 0);
    assert_int_equal(vipa_result_year_dividend_count(r, 3), 0);
    assert_int_equal(vipa_result_year_coverage_count(r, 3), 0);
    assert_int_equal(vipa_result_year_evaluation_count(r, 3), 0);
    assert_int_equal(vipa_result_year_failed_count(r, 3, 0), 0);
    assert_int_equal(vipa_result_year_failed_count(r, 0, 1), 0);
    assert_int_equal(vipa_result_year_failed_count(NULL, 0, 0), 0);

    /* Whole-run lists. */
    assert_int_equal(vipa_result_signer_count(r), 1);
    assert_int_equal(vipa_result_signer(&id, &level, &code, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_signer(NULL, &level, &code, r, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_signer(&id, &level, &code, r, 1), VIPA_E_RANGE);
    assert_int_equal(vipa_result_allocation_count(r), 0);
    assert_int_equal(vipa_result_allocation(&id, &holder_kind, &u, &fen, r, 0), VIPA_E_RANGE);
    assert_int_equal(vipa_result_allocation(&id, &holder_kind, &u, &fen, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_allocation(&id, NULL, &u, &fen, r, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_household(&id, &year, r, 2), VIPA_E_RANGE);
    assert_int_equal(vipa_result_household(&id, &year, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_household(&id, NULL, r, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_entity(&id, &status, &date, &n, r, 1), VIPA_E_RANGE);
    assert_int_equal(vipa_result_entity(&id, &status, &date, &n, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_entity(&id, &status, NULL, &n, r, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_entity_favoured(&year, r, 0, 1), VIPA_E_RANGE);
    assert_int_equal(vipa_result_entity_favoured(&year, r, 1, 0), VIPA_E_RANGE);
    assert_int_equal(vipa_result_entity_favoured(NULL, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_entity_favoured(&year, NULL, 0, 0), VIPA_E_INVALID);
    size_t disclosures = vipa_result_disclosure_count(r);
    assert_int_equal(vipa_result_disclosure(&id, &fen, &n, r, disclosures), VIPA_E_RANGE);
    assert_int_equal(vipa_result_disclosure(&id, &fen, &n, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_disclosure(&id, NULL, &n, r, 0), VIPA_E_INVALID);

    /* Per year. */
    assert_int_equal(vipa_result_year_household(&id, &fen, &fen2, &flag, r, 0, 2), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_household(&id, &fen, &fen2, &flag, r, 3, 0), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_household(&id, &fen, &fen2, &flag, NULL, 0, 0),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_household(&id, &fen, &fen2, NULL, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_dividend(&id, &id2, &fen, &fen2, r, 0, 0), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_dividend(&id, &id2, &fen, &fen2, r, 3, 0), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_dividend(&id, &id2, &fen, NULL, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_coverage(&code, &n, &n2, r, 0, 1), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_coverage(&code, &n, &n2, r, 3, 0), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_coverage(&code, NULL, &n2, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_coverage(&code, &n, &n2, NULL, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_evaluation(&id, &id2, &date, &flag, &outcome, r, 0, 1),
                     VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_evaluation(&id, &id2, &date, &flag, &outcome, r, 3, 0),
                     VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_evaluation(&id, &id2, &date, &flag, NULL, r, 0, 0),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_evaluation(&id, &id2, &date, &flag, &outcome, NULL, 0, 0),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_failed(&rule, &subject, &u, &ex, &ac, r, 0, 0, 0),
                     VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_failed(&rule, &subject, &u, &ex, &ac, r, 0, 1, 0),
                     VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_failed(&rule, &subject, &u, &ex, &ac, r, 3, 0, 0),
                     VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_failed(&rule, &subject, &u, &ex, NULL, r, 0, 0, 0),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_failed(&rule, &subject, &u, &ex, &ac, NULL, 0, 0, 0),
                     VIPA_E_INVALID);

    /* Outcome names as reports spell them. */
    assert_string_equal(vipa_outcome_name(VIPA_OUTCOME_COMPLIANT), "compliant");
    assert_string_equal(vipa_outcome_name(VIPA_OUTCOME_RECTIFICATION), "rectification");
    assert_string_equal(vipa_outcome_name(VIPA_OUTCOME_RESTORED), "restored");
    assert_string_equal(vipa_outcome_name(VIPA_OUTCOME_TERMINATED), "terminated");
    assert_null(vipa_outcome_name(VIPA_OUTCOME_NONE));
    assert_null(vipa_outcome_name((vipa_outcome)5));
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* vipa_ctx_add_evaluations refuses, all or none: a year outside 1900..9999, a date that
 * is no real day or not after the year (每年初, 四(五)), recheck other than 0/1, a version
 * it does not know, a second plain evaluation of the year (VIPA_E_INVALID since issue
 * #14, no longer VIPA_E_EXISTS). Each refused batch leaves no trace: the run afterwards
 * has figures for 2017 (payments) but no evaluation, and the plain evaluation of the
 * first slot can then be added (it would be refused as a second one had it been kept). */
static void add_evaluations_refuses_bad_input(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_base_world(300000);
    add_payment(ctx, pay(1, 2017, 900000, 20171220));
    add_payment(ctx, pay(2, 2017, 123450, 20171225));
    const struct {
        vipa_evaluation e;
        int code;
        const char *mention;
    } cases[] = {
        {{VIPA_EVALUATION_VERSION, 1899, 20180131, 0}, VIPA_E_INVALID,
         "field year is 1899; expected a year 1900..9999"},
        {{VIPA_EVALUATION_VERSION, 10000, 20180131, 0}, VIPA_E_INVALID, "year"},
        {{VIPA_EVALUATION_VERSION, 2017, 20161231, 0}, VIPA_E_INVALID, "date"},
        {{VIPA_EVALUATION_VERSION, 2017, 20170101, 0}, VIPA_E_INVALID, "date"},
        {{VIPA_EVALUATION_VERSION, 2017, 20171231, 0}, VIPA_E_INVALID, "date"},
        {{VIPA_EVALUATION_VERSION, 2017, 20180230, 0}, VIPA_E_INVALID, "date"},
        {{VIPA_EVALUATION_VERSION, 2017, 0, 0}, VIPA_E_INVALID, "date"},
        {{VIPA_EVALUATION_VERSION, 2017, 20180131, 2}, VIPA_E_INVALID, "recheck"},
        {{VIPA_EVALUATION_VERSION, 2017, 20180131, -1}, VIPA_E_INVALID, "recheck"},
        {{VIPA_EVALUATION_VERSION, 2017, 20180131, 0}, VIPA_E_INVALID, "evaluations[1]"},
        {{VIPA_EVALUATION_VERSION, 2017, 20180301, 0}, VIPA_E_INVALID, "evaluations[1]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_evaluation batch[2] = {evaluation(2017, EVALUATED, 0), cases[i].e};
        assert_int_equal(vipa_ctx_add_evaluations(ctx, batch, 2), cases[i].code);
        assert_has(vipa_ctx_errmsg(ctx), "evaluations[1]");
        assert_has(vipa_ctx_errmsg(ctx), cases[i].mention);
    }
    const unsigned int versions[2] = {0, VIPA_EVALUATION_VERSION + 1};
    for (int k = 0; k < 2; k++) {
        vipa_evaluation e = evaluation(2017, EVALUATED, 0);
        e.version = versions[k];
        assert_int_equal(vipa_ctx_add_evaluations(ctx, &e, 1), VIPA_E_VERSION);
        assert_has(vipa_ctx_errmsg(ctx), "version");
    }
    vipa_evaluation e = evaluation(2017, EVALUATED, 0);
    assert_int_equal(vipa_ctx_add_evaluations(NULL, &e, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_evaluations(ctx, NULL, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_evaluations(ctx, &e, 0), VIPA_OK);

    /* Nothing was kept. */
    vipa_result *r = run(ctx);
    size_t y = year_index(r, 2017);
    assert_int_equal(vipa_result_year_evaluation_count(r, y), 0);
    vipa_result_free(r);

    /* Now the plain evaluation goes in once; twice is refused (one plain evaluation a
     * year); a re-check the same day is not after it, refused; on 2018-04-30 it goes in.
     * With nothing in rectification the re-check evaluates nothing: one evaluation,
     * compliant (as case 1). */
    assert_int_equal(vipa_ctx_add_evaluations(ctx, &e, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_add_evaluations(ctx, &e, 1), VIPA_E_INVALID);
    e.recheck = 1;
    assert_int_equal(vipa_ctx_add_evaluations(ctx, &e, 1), VIPA_E_INVALID);
    e.date = RECHECKED;
    assert_int_equal(vipa_ctx_add_evaluations(ctx, &e, 1), VIPA_OK);
    r = run(ctx);
    y = year_index(r, 2017);
    assert_int_equal(vipa_result_year_evaluation_count(r, y), 1);
    assert_evaluation(r, y, 0, 1, EVALUATED, 0, VIPA_OUTCOME_COMPLIANT);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* Adds one evaluation batch that must be refused with VIPA_E_INVALID, naming `record`,
 * and leave the scheduled evaluations as they were (the count stays). */
static void refuse_evaluations(vipa_ctx *ctx, const vipa_evaluation *batch, size_t n,
                               const char *record)
{
    size_t before = ctx->evaluations.count;
    assert_int_equal(vipa_ctx_add_evaluations(ctx, batch, n), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_INVALID);
    assert_has(vipa_ctx_errmsg(ctx), record);
    assert_int_equal(ctx->evaluations.count, before);
}

/*
 * The order of evaluations (四(五), issue #14): the evaluation of year Y is held after Y
 * (每年初), once; a re-check at most once, after the plain evaluation of its year: listed
 * after it (an earlier batch or earlier in the same one) and dated strictly after it.
 * Each breach is VIPA_E_INVALID with nothing added:
 *   2017 on 2017-12-31 (in the year); a second plain evaluation of 2017 (2018-03-01);
 *   a second re-check of 2017 (2018-06-01); a re-check of 2018 with no evaluation of 2018;
 *   the re-check of 2018 on the day of its evaluation (2019-01-31) or before it
 *   (2019-01-15, after the year but before the evaluation it would re-check);
 *   a batch listing the re-check of 2019 before its evaluation; a batch whose second
 *   record (a re-check on the day of the first) fails keeps neither.
 * Accepted: 2017 on 2018-01-31, its re-check on 2018-04-30; 2018 on 2019-01-31, its
 * re-check on 2019-02-01 (the next day); 2019 on 2020-01-01 (the first day after the
 * year) then its re-check on 2020-01-02, in one batch: 6 in all.
 */
static void evaluation_sequence_is_enforced(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_base_world(300000);
    assert_int_equal(ctx->evaluations.count, 0);

    vipa_evaluation in_year = evaluation(2017, 20171231, 0);
    refuse_evaluations(ctx, &in_year, 1, "evaluations[0]");
    add_evaluation(ctx, 2017, EVALUATED, 0);
    assert_int_equal(ctx->evaluations.count, 1);

    vipa_evaluation second_plain = evaluation(2017, 20180301, 0);
    refuse_evaluations(ctx, &second_plain, 1, "evaluations[0]");

    add_evaluation(ctx, 2017, RECHECKED, 1);
    assert_int_equal(ctx->evaluations.count, 2);
    vipa_evaluation second_recheck = evaluation(2017, 20180601, 1);
    refuse_evaluations(ctx, &second_recheck, 1, "evaluations[0]");

    vipa_evaluation orphan = evaluation(2018, 20190430, 1);
    refuse_evaluations(ctx, &orphan, 1, "evaluations[0]");

    add_evaluation(ctx, 2018, 20190131, 0);
    vipa_evaluation same_day = evaluation(2018, 20190131, 1);
    refuse_evaluations(ctx, &same_day, 1, "evaluations[0]");
    vipa_evaluation before_plain = evaluation(2018, 20190115, 1);
    refuse_evaluations(ctx, &before_plain, 1, "evaluations[0]");
    add_evaluation(ctx, 2018, 20190201, 1);
    assert_int_equal(ctx->evaluations.count, 4);

    vipa_evaluation reversed[2] = {evaluation(2019, 20200430, 1), evaluation(2019, 20200101, 0)};
    refuse_evaluations(ctx, reversed, 2, "evaluations[0]");
    vipa_evaluation half_good[2] = {evaluation(2019, 20200101, 0), evaluation(2019, 20200101, 1)};
    refuse_evaluations(ctx, half_good, 2, "evaluations[1]");
    vipa_evaluation in_order[2] = {evaluation(2019, 20200101, 0), evaluation(2019, 20200102, 1)};
    assert_int_equal(vipa_ctx_add_evaluations(ctx, in_order, 2), VIPA_OK);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    assert_int_equal(ctx->evaluations.count, 6);
    vipa_ctx_free(ctx);
}

/* vipa_ctx_set_as_of / vipa_ctx_as_of: none (0) by default; a real day is kept; 0 clears
 * it; a day that does not exist is VIPA_E_INVALID naming as_of, the day set before kept;
 * a NULL context is VIPA_E_INVALID and reads as 0. */
static void as_of_is_set_checked_and_read(void **state)
{
    (void)state;
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    assert_int_equal(vipa_ctx_as_of(ctx), 0);
    assert_int_equal(vipa_ctx_set_as_of(ctx, RECHECKED), VIPA_OK);
    assert_int_equal(vipa_ctx_as_of(ctx), RECHECKED);
    assert_int_equal(vipa_ctx_set_as_of(ctx, 0), VIPA_OK);
    assert_int_equal(vipa_ctx_as_of(ctx), 0);
    assert_int_equal(vipa_ctx_set_as_of(ctx, 20160229), VIPA_OK); /* 2016 is a leap year */
    assert_int_equal(vipa_ctx_as_of(ctx), 20160229);

    /* 2017-02-29 (no leap year), month 13, day 0, day 32, negative, before 1900. */
    const vipa_date bad[6] = {20170229, 20181301, 20180100, 20180132, -20180430, 18991231};
    for (size_t i = 0; i < 6; i++) {
        assert_int_equal(vipa_ctx_set_as_of(ctx, bad[i]), VIPA_E_INVALID);
        assert_int_equal(vipa_ctx_errcode(ctx), VIPA_E_INVALID);
        assert_has(vipa_ctx_errmsg(ctx), "as_of");
        assert_has(vipa_ctx_errmsg(ctx), "is not a real day (years 1900..9999); expected a "
                   "real day, or 0 for none");
        assert_int_equal(vipa_ctx_as_of(ctx), 20160229);
    }
    /* A success clears the error. */
    assert_int_equal(vipa_ctx_set_as_of(ctx, 99991231), VIPA_OK);
    assert_int_equal(vipa_ctx_errcode(ctx), VIPA_OK);
    assert_int_equal(vipa_ctx_as_of(ctx), 99991231);

    assert_int_equal(vipa_ctx_set_as_of(NULL, RECHECKED), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_as_of(NULL), 0);
    vipa_ctx_free(ctx);
}

static void assert_obligation(const vipa_result *r, size_t y, size_t i, vipa_id linkage_id,
                              vipa_id household_id, vipa_linkage_kind kind, vipa_fen due,
                              vipa_fen paid)
{
    vipa_id l = 0, h = 0;
    vipa_linkage_kind k = 0;
    vipa_fen d = -1, p = -1;
    assert_int_equal(vipa_result_year_obligation(&l, &h, &k, &d, &p, r, y, i), VIPA_OK);
    assert_int_equal(l, linkage_id);
    assert_int_equal(h, household_id);
    assert_int_equal(k, kind);
    assert_int_equal(d, due);
    assert_int_equal(p, paid);
}

/* 1 if some finding of a rule, linkage subject and year has these numbers and a message
 * containing `part`. */
static int has_obligation_finding(const vipa_findings *f, vipa_id linkage_id, int year,
                                  const char *expected, const char *actual, const char *part)
{
    for (int k = 0;; k++) {
        long i = find_nth(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, linkage_id, year, k);
        if (i == NONE)
            return 0;
        if (strcmp(vipa_finding_expected(f, (size_t)i), expected) == 0 &&
            strcmp(vipa_finding_actual(f, (size_t)i), actual) == 0 &&
            strstr(vipa_finding_message(f, (size_t)i), part))
            return 1;
    }
}

/* A year's obligations are listed by linkage id whatever order the linkages were added in
 * (the result keeps no list while they are linkages 0, 1, 2... in index order, and makes
 * one at the first that is not). Linkages added as 9 (wage 1000.00 to 1001, 2017), 4
 * (participation 500.00 to 1002, 2017..2018), 6 (wage 700.00 to 1002, 2018), none paid;
 * as_of 2017-06-30, so neither year is complete and no finding is made:
 *   2017: (4, 1002, participation, 500.00, 0.00), (9, 1001, wage, 1000.00, 0.00);
 *   2018: (4, 1002, participation, 500.00, 0.00), (6, 1002, wage, 700.00, 0.00). */
static void year_obligations_by_id_whatever_the_order_added(void **state)
{
    (void)state;
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx, 0);
    vipa_entity e = entity(1, XINGSHUYUAN);
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
    fixture_add_household(ctx, fixture_household(1001, XINGSHUYUAN, 2));
    fixture_add_household(ctx, fixture_household(1002, XINGSHUYUAN, 3));
    static const vipa_id both[2] = {1001, 1002};
    vipa_agreement a = agreement(1, both, 2, VIPA_SIGNER_VILLAGE, XINGSHUYUAN);
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    const vipa_linkage_kind W = VIPA_LINKAGE_WAGE, P = VIPA_LINKAGE_PARTICIPATION;
    vipa_linkage l[3] = {fixture_linkage(9, W, 1001, 1, 2017, 2017, 100000),
                         fixture_linkage(4, P, 1002, 1, 2017, 2018, 50000),
                         fixture_linkage(6, W, 1002, 1, 2018, 2018, 70000)};
    assert_int_equal(vipa_ctx_add_linkages(ctx, l, 3), VIPA_OK);
    assert_int_equal(vipa_ctx_set_as_of(ctx, 20170630), VIPA_OK);
    vipa_result *r = run(ctx);
    size_t y2017 = year_index(r, 2017), y2018 = year_index(r, 2018);
    assert_int_equal(vipa_result_year_obligation_count(r, y2017), 2);
    assert_obligation(r, y2017, 0, 4, 1002, P, 50000, 0);
    assert_obligation(r, y2017, 1, 9, 1001, W, 100000, 0);
    assert_int_equal(vipa_result_year_obligation_count(r, y2018), 2);
    assert_obligation(r, y2018, 0, 4, 1002, P, 50000, 0);
    assert_obligation(r, y2018, 1, 6, 1002, W, 70000, 0);
    vipa_id id = 0;
    vipa_linkage_kind k = 0;
    vipa_fen d = 0, p = 0;
    assert_int_equal(vipa_result_year_obligation(&id, &id, &k, &d, &p, r, y2018, 2), VIPA_E_RANGE);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/*
 * The money of each year (四(四), issue #14), on the compliant world (as_of 2018-04-30):
 *   linkage 1: wage 9000.00 a year to 1001, 2017..2019; linkage 2: participation 1234.50
 *   a year to 1002, 2017..2018; agreement 1's period 2016-11-01..2019-12-31 holds them.
 *   Paid for 2017: 9000.00 (2017-12-20) and 1234.50 (2017-12-25).
 * Years 2017, 2018, 2019; complete: 2017 only (2018-12-31 > 2018-04-30).
 * Obligations, one row per linkage due or paid for in the year, by linkage id:
 *   2017: (1, 1001, wage, 9000.00, 9000.00), (2, 1002, participation, 1234.50, 1234.50);
 *   2018: (1, 1001, wage, 9000.00, 0.00), (2, 1002, participation, 1234.50, 0.00);
 *   2019: (1, 1001, wage, 9000.00, 0.00) (linkage 2 ends in 2018).
 * No OBLIGATIONS_PAID finding: 2017 is paid, 2018 and 2019 are not complete.
 *
 * Then the data of 2019-06-30: 9000.00 for linkage 1 of 2018 paid 2018-12-20; 1234.50 for
 * linkage 2 of 2018 paid 2019-07-01 (after as_of: not counted); and linkage 3,
 * participation 500.00 a year to 1002 for 2019 only under agreement 1.
 *   Years: 2017, 2018, 2019. Complete: 2017, 2018 (2018-12-31 ≤ 2019-06-30); not 2019.
 *   2018: (1, …, 9000.00, 9000.00), (2, …, 1234.50, 0.00) → OBLIGATIONS_PAID linkage 2 of
 *     2018, "1234.50" / "0.00", its text ending "paid by 2019-06-30"; none for linkage 1.
 *   2019: (1, …, 9000.00, 0.00), (3, 1002, participation, 500.00, 0.00); no finding.
 * And with no as_of (0): every year complete, every payment counts:
 *   2018: linkage 2 paid 1234.50: no finding; 2019: linkage 1 9000.00 due, 0.00 paid and
 *   linkage 3 500.00 due, 0.00 paid → OBLIGATIONS_PAID of 2019 for each, "9000.00" /
 *   "0.00" and "500.00" / "0.00", with no " by " date.
 */
static void year_obligations_and_completeness(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_compliant_world();
    vipa_result *r = run(ctx);
    assert_int_equal(vipa_result_year_count(r), 3);
    assert_int_equal(vipa_result_year_complete(r, 0), 1);
    assert_int_equal(vipa_result_year_complete(r, 1), 0);
    assert_int_equal(vipa_result_year_complete(r, 2), 0);
    assert_int_equal(vipa_result_year_complete(r, 3), 0);
    assert_int_equal(vipa_result_year_complete(NULL, 0), 0);

    const vipa_linkage_kind W = VIPA_LINKAGE_WAGE, P = VIPA_LINKAGE_PARTICIPATION;
    assert_int_equal(vipa_result_year_obligation_count(r, 0), 2);
    assert_obligation(r, 0, 0, 1, 1001, W, 900000, 900000);
    assert_obligation(r, 0, 1, 2, 1002, P, 123450, 123450);
    assert_int_equal(vipa_result_year_obligation_count(r, 1), 2);
    assert_obligation(r, 1, 0, 1, 1001, W, 900000, 0);
    assert_obligation(r, 1, 1, 2, 1002, P, 123450, 0);
    assert_int_equal(vipa_result_year_obligation_count(r, 2), 1);
    assert_obligation(r, 2, 0, 1, 1001, W, 900000, 0);
    assert_int_equal(count_findings(vipa_result_findings(r), VIPA_RULE_OBLIGATIONS_PAID,
                                     VIPA_SUBJECT_LINKAGE, 1), 0);
    assert_int_equal(count_findings(vipa_result_findings(r), VIPA_RULE_OBLIGATIONS_PAID,
                                    VIPA_SUBJECT_LINKAGE, 2), 0);

    /* The accessor: counts of a NULL result or a year out of range are 0; NULL outputs
     * or result are INVALID, an index out of range RANGE, the outputs untouched. */
    assert_int_equal(vipa_result_year_obligation_count(NULL, 0), 0);
    assert_int_equal(vipa_result_year_obligation_count(r, 3), 0);
    vipa_id l = 77, h = 77;
    vipa_linkage_kind k = (vipa_linkage_kind)77;
    vipa_fen d = 77, p = 77;
    assert_int_equal(vipa_result_year_obligation(NULL, &h, &k, &d, &p, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_obligation(&l, NULL, &k, &d, &p, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_obligation(&l, &h, NULL, &d, &p, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_obligation(&l, &h, &k, NULL, &p, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_obligation(&l, &h, &k, &d, NULL, r, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_obligation(&l, &h, &k, &d, &p, NULL, 0, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_year_obligation(&l, &h, &k, &d, &p, r, 0, 2), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_obligation(&l, &h, &k, &d, &p, r, 2, 1), VIPA_E_RANGE);
    assert_int_equal(vipa_result_year_obligation(&l, &h, &k, &d, &p, r, 3, 0), VIPA_E_RANGE);
    assert_true(l == 77 && h == 77 && k == (vipa_linkage_kind)77 && d == 77 && p == 77);
    vipa_result_free(r);

    add_payment(ctx, pay(1, 2018, 900000, 20181220));
    add_payment(ctx, pay(2, 2018, 123450, 20190701));
    vipa_linkage third = fixture_linkage(3, P, 1002, 1, 2019, 2019, 50000);
    assert_int_equal(vipa_ctx_add_linkages(ctx, &third, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_set_as_of(ctx, 20190630), VIPA_OK);
    r = run(ctx);
    assert_int_equal(vipa_result_year_count(r), 3);
    const int complete[3] = {1, 1, 0};
    for (size_t y = 0; y < 3; y++)
        assert_int_equal(vipa_result_year_complete(r, y), complete[y]);
    assert_int_equal(vipa_result_year_obligation_count(r, 1), 2);
    assert_obligation(r, 1, 0, 1, 1001, W, 900000, 900000);
    assert_obligation(r, 1, 1, 2, 1002, P, 123450, 0);
    assert_int_equal(vipa_result_year_obligation_count(r, 2), 2);
    assert_obligation(r, 2, 0, 1, 1001, W, 900000, 0);
    assert_obligation(r, 2, 1, 3, 1002, P, 50000, 0);
    const vipa_findings *f = vipa_result_findings(r);
    assert_int_equal(count_findings(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 1), 0);
    assert_int_equal(count_findings(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2), 1);
    assert_int_equal(count_findings(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 3), 0);
    long i = find_finding(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2, 2018);
    assert_true(i != NONE);
    assert_int_equal(vipa_finding_severity(f, (size_t)i), VIPA_SEVERITY_ERROR);
    assert_true(has_obligation_finding(f, 2, 2018, "1234.50", "0.00",
                                       " paid by 2019-06-30 (OBLIGATIONS_PAID"));
    vipa_result_free(r);

    assert_int_equal(vipa_ctx_set_as_of(ctx, 0), VIPA_OK);
    r = run(ctx);
    for (size_t y = 0; y < 3; y++)
        assert_int_equal(vipa_result_year_complete(r, y), 1);
    assert_obligation(r, 1, 1, 2, 1002, P, 123450, 123450);
    f = vipa_result_findings(r);
    assert_int_equal(count_findings(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2), 0);
    assert_int_equal(count_findings(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 1), 1);
    assert_true(has_obligation_finding(f, 1, 2019, "9000.00", "0.00",
                                       " 0.00 paid (OBLIGATIONS_PAID"));
    assert_int_equal(count_findings(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 3), 1);
    assert_true(has_obligation_finding(f, 3, 2019, "500.00", "0.00",
                                       " 0.00 paid (OBLIGATIONS_PAID"));
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/*
 * The support measures of the disclosure list (五(五), issue #14). Entities 1 (杏树园村),
 * 2 (示例村) and 3 (杏树园村, nothing at all). Agreements, added in the order 3, 1, 2, 4:
 *   3 (entity 1): "产业奖补", "技术培训";
 *   1 (entity 1): "贴息贷款", "技术培训";
 *   2 (entity 1): 2 measures given by number only (support NULL);
 *   4 (entity 2): "技术培训".
 * None lists a household, no linkage, no equity. Distinct texts in agreement id order,
 * then as listed, the first occurrence kept:
 *   entity 1: 贴息贷款, 技术培训 (agreement 1), nothing from 2, 产业奖补 (3; its 技术培训 is
 *     a repeat) = 3 texts;
 *   entity 2: 技术培训 = 1; entity 3: none = 0.
 * Each of entities 1 and 2 is on the list only for the measures its agreements name:
 * a DISCLOSURE notice each; entity 3, with no equity, household or measure, has none.
 * The texts are copied when added: the caller's buffer changed afterwards does not show.
 */
static void disclosure_names_support_measures(void **state)
{
    (void)state;
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx, 0);
    vipa_entity es[3] = {entity(1, XINGSHUYUAN), entity(2, CG_205), entity(3, XINGSHUYUAN)};
    es[2].name = "杏树园核桃产业大户";
    es[2].kind = VIPA_ENTITY_LARGE_GROWER;
    assert_int_equal(vipa_ctx_add_entities(ctx, es, 3), VIPA_OK);
    char loan[32];
    snprintf(loan, sizeof loan, "%s", "贴息贷款");
    const char *support_3[2] = {"产业奖补", "技术培训"};
    const char *support_1[2] = {loan, "技术培训"};
    const char *support_4[1] = {"技术培训"};
    vipa_agreement as[4] = {
        agreement(3, NULL, 0, VIPA_SIGNER_VILLAGE, XINGSHUYUAN),
        agreement(1, NULL, 0, VIPA_SIGNER_VILLAGE, XINGSHUYUAN),
        agreement(2, NULL, 0, VIPA_SIGNER_VILLAGE, XINGSHUYUAN),
        agreement(4, NULL, 0, VIPA_SIGNER_VILLAGE, CG_205),
    };
    as[0].support = support_3;
    as[0].support_count = 2;
    as[1].support = support_1;
    as[1].support_count = 2;
    as[2].support_count = 2;
    as[3].entity = 2;
    as[3].support = support_4;
    as[3].support_count = 1;
    assert_int_equal(vipa_ctx_add_agreements(ctx, as, 4), VIPA_OK);
    snprintf(loan, sizeof loan, "%s", "changed");
    vipa_result *r = run(ctx);

    assert_int_equal(vipa_result_disclosure_count(r), 3);
    vipa_id e = 0;
    vipa_fen equity = -1;
    size_t driven = 99;
    assert_int_equal(vipa_result_disclosure(&e, &equity, &driven, r, 0), VIPA_OK);
    assert_true(e == 1 && equity == 0 && driven == 0);
    assert_int_equal(vipa_result_disclosure_support_count(r, 0), 3);
    assert_string_equal(vipa_result_disclosure_support(r, 0, 0), "贴息贷款");
    assert_string_equal(vipa_result_disclosure_support(r, 0, 1), "技术培训");
    assert_string_equal(vipa_result_disclosure_support(r, 0, 2), "产业奖补");
    assert_null(vipa_result_disclosure_support(r, 0, 3));
    assert_int_equal(vipa_result_disclosure(&e, &equity, &driven, r, 1), VIPA_OK);
    assert_int_equal(e, 2);
    assert_int_equal(vipa_result_disclosure_support_count(r, 1), 1);
    assert_string_equal(vipa_result_disclosure_support(r, 1, 0), "技术培训");
    assert_null(vipa_result_disclosure_support(r, 1, 1));
    assert_int_equal(vipa_result_disclosure(&e, &equity, &driven, r, 2), VIPA_OK);
    assert_int_equal(e, 3);
    assert_int_equal(vipa_result_disclosure_support_count(r, 2), 0);
    assert_null(vipa_result_disclosure_support(r, 2, 0));

    /* NULL result or an index out of range: 0 and NULL. */
    assert_int_equal(vipa_result_disclosure_support_count(NULL, 0), 0);
    assert_int_equal(vipa_result_disclosure_support_count(r, 3), 0);
    assert_null(vipa_result_disclosure_support(NULL, 0, 0));
    assert_null(vipa_result_disclosure_support(r, 3, 0));

    const vipa_findings *f = vipa_result_findings(r);
    assert_true(find_finding(f, VIPA_RULE_DISCLOSURE, VIPA_SUBJECT_ENTITY, 1, -1) != NONE);
    assert_true(find_finding(f, VIPA_RULE_DISCLOSURE, VIPA_SUBJECT_ENTITY, 2, -1) != NONE);
    assert_int_equal(find_finding(f, VIPA_RULE_DISCLOSURE, VIPA_SUBJECT_ENTITY, 3, -1), NONE);
    long i = find_finding(f, VIPA_RULE_DISCLOSURE, VIPA_SUBJECT_ENTITY, 1, -1);
    assert_has(vipa_finding_message(f, (size_t)i), "贴息贷款");
    assert_int_equal(vipa_finding_severity(f, (size_t)i), VIPA_SEVERITY_NOTICE);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/*
 * Favour and a disqualification on the day of the evaluation (四(五); DISQUALIFIED_NO_
 * SUPPORT: "from the day it is disqualified (that day included) ... favoured for no
 * year"; issue #14: favoured for Y iff ... not disqualified on or before that
 * evaluation's date).
 * Entity 1, household 1001 (4 members) of 杏树园村, agreement 1 as usual but with the
 * exit deadline 2020 (plan target 2020), so no exit is due in 2017 or 2018.
 * Linkage 1: wage 9000.00 a year to 1001, 2017..2019. Paid: 4500.00 for 2017
 * (2017-12-20, short), 9000.00 for 2018 (2018-12-20).
 *   Evaluation of 2017 on 2018-01-31: OBLIGATIONS_PAID "9000.00" / "4500.00" →
 *     rectification (coverage 1 of 1, linked 1 ≥ 1 pass).
 *   Evaluation of 2018 on 2019-01-31: agreement 1 is in force in 2018 (whatever its
 *     later termination); 9000.00 paid of 9000.00, coverage 1 of 1, linked 1 ≥ 1 →
 *     compliant.
 *   Re-check of 2017, still 4500.00 → terminated, entity 1 disqualified from its date.
 * (a) Re-check on 2019-02-01, the day after the evaluation of 2018: on 2019-01-31 the
 *     entity was qualified → favoured for 2018 (and not 2017: rectification).
 * (b) Re-check on 2019-01-31, the day of the evaluation of 2018: disqualified on that
 *     evaluation's date → favoured for no year.
 */
static void favour_is_withheld_when_disqualified_on_the_evaluation_day(void **state)
{
    (void)state;
    const vipa_date rechecks[2] = {20190201, 20190131};
    const size_t favoured[2] = {1, 0};
    for (int k = 0; k < 2; k++) {
        vipa_ctx *ctx = fixture_new_ctx(NULL);
        add_areas(ctx, 0);
        vipa_entity e = entity(1, XINGSHUYUAN);
        assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
        fixture_add_household(ctx, fixture_household(1001, XINGSHUYUAN, 4));
        static const vipa_id one[1] = {1001};
        vipa_agreement a = agreement(1, one, 1, VIPA_SIGNER_VILLAGE, XINGSHUYUAN);
        a.exit_deadline = 2020;
        assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
        fixture_add_plan(ctx, plan(1001, 1, 2020));
        vipa_linkage l = fixture_linkage(1, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2019, 900000);
        assert_int_equal(vipa_ctx_add_linkages(ctx, &l, 1), VIPA_OK);
        add_payment(ctx, pay(1, 2017, 450000, 20171220));
        add_payment(ctx, pay(1, 2018, 900000, 20181220));
        add_evaluation(ctx, 2017, EVALUATED, 0);
        add_evaluation(ctx, 2018, 20190131, 0);
        add_evaluation(ctx, 2017, rechecks[k], 1);
        vipa_result *r = run(ctx);

        size_t y = year_index(r, 2017);
        assert_int_equal(vipa_result_year_evaluation_count(r, y), 2);
        assert_evaluation(r, y, 0, 1, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
        assert_evaluation(r, y, 1, 1, rechecks[k], 1, VIPA_OUTCOME_TERMINATED);
        y = year_index(r, 2018);
        assert_int_equal(vipa_result_year_evaluation_count(r, y), 1);
        assert_evaluation(r, y, 0, 1, 20190131, 0, VIPA_OUTCOME_COMPLIANT);
        vipa_id id = 0;
        vipa_entity_status status = VIPA_ENTITY_STATUS_NONE;
        vipa_date since = 0;
        size_t years = 99;
        assert_int_equal(vipa_result_entity(&id, &status, &since, &years, r, 0), VIPA_OK);
        if (years != favoured[k])
            fail_msg("re-check on %ld, disqualified from %ld: favoured for %zu years, expected %zu",
                     (long)rechecks[k], (long)since, years, favoured[k]);
        assert_entity(r, 0, 1, VIPA_ENTITY_STATUS_DISQUALIFIED, rechecks[k], favoured[k]);
        if (favoured[k]) {
            int year = 0;
            assert_int_equal(vipa_result_entity_favoured(&year, r, 0, 0), VIPA_OK);
            assert_int_equal(year, 2018);
        }
        vipa_result_free(r);
        vipa_ctx_free(ctx);
    }
}

static void assert_dividend(const vipa_result *r, size_t y, size_t i, vipa_id household_id,
                            vipa_fen due, vipa_fen paid)
{
    vipa_id e = 0, h = 0;
    vipa_fen d = -1, p = -1;
    assert_int_equal(vipa_result_year_dividend(&e, &h, &d, &p, r, y, i), VIPA_OK);
    assert_int_equal(e, 1);
    assert_int_equal(h, household_id);
    assert_int_equal(d, due);
    assert_int_equal(p, paid);
}

/*
 * The agreed dividend (二(三) 每年按约定给贫困户分红; agreement dividend_bp, issue #14): for
 * each year an agreement with a rate is in force, a household holding shares its
 * injections gave is due at least the rate on them (capped by its balance, agreements in
 * id order), and the dividend due is the greater of that and the one declared.
 *   Households 1001 (4 members), 1002 (3) of 杏树园村, 1003 (2) of 示例村; entity 1.
 *   Agreement 1: 1001, 1002; period 2017-01-01..2018-12-31; dividend_bp 800 (8 %).
 *   Agreement 2: 1001; period 2017-01-01..2019-12-31; dividend_bp 1000 (10 %).
 *   Both: exit deadline 2020 (plans target 2020), signed 2016-11-15 (agreement 2 spans
 *   杏树园村 only; so does 1; the village signs).
 *   Injection 1 (agreement 1, 2017-03-01, 10000.00, per household over 1001, 1002):
 *     poor share 7000.00 → 3500.00 each; 3000.00 to 杏树园村's collective.
 *   Injection 3 (agreement 1, 2017-05-01, 1000.00, households [1003]): 700.00 to 1003
 *     (not listed by agreement 1), 300.00 to the collective.
 *   Injection 2 (agreement 2, 2018-03-01, 2000.00): 1400.00 to 1001, 600.00 to the
 *     collective.
 *   Transfer: 1001 gives 4000.00 of its shares to the collective on 2018-06-01.
 *   Declared: entity 1, 2017, 500 bp. Paid for 2017: 1001 175.00, 1002 280.00 (both
 *   2017-12-28); nothing else. Evaluation of 2017 on 2018-01-31. No as_of.
 * Dues, half away from zero:
 *   2017: 1001: declared 3500.00 × 5 % = 175.00; agreed: agreement 1 3500.00 × 8 % =
 *         280.00 (agreement 2 gave nothing by 2017-12-31) → 280.00. 1002: the same,
 *         280.00. 1003: declared 700.00 × 5 % = 35.00, agreed 700.00 × 8 % = 56.00 → 56.00.
 *   2018 (nothing declared): 1001 holds 3500.00 + 1400.00 − 4000.00 = 900.00 on
 *         2018-12-31: agreement 1 takes min(3500.00, 900.00) = 900.00 × 8 % = 72.00, which
 *         leaves agreement 2 none of its 1400.00 → 72.00. 1002 280.00; 1003 56.00.
 *   2019: agreement 1's period is over: only agreement 2, on min(1400.00, 900.00) =
 *         900.00 × 10 % = 90.00 for 1001; 1002 and 1003 are due nothing (no row).
 *   The collective has no agreed floor (households only).
 * Years: 2017 (declared, tasks, evaluation), 2018 (agreement 1 in force, tasks), 2019
 * (agreement 2 in force with a rate) = 3, every one complete.
 * Evaluation of 2017, agreement 1: DIVIDEND_PAID_AS_AGREED 1001 "280.00" / "175.00" and,
 * for 1003 that holds shares from its injection 3 though not listed, "56.00" / "0.00";
 * 1002 paid in full; coverage of 杏树园村 2 of 2 (by shares), linked 2 ≥ 2 →
 * rectification with those 2 failed checks. Agreement 2: 1001 "280.00" / "175.00" (its
 * entity's due) → rectification, 1 failed check.
 * DIVIDEND_PAID_AS_AGREED findings: the evaluations' copies (1001 twice, 1003 once) and
 * the year checks of what no evaluation reported with the same figures (2017: none, both
 * shortfalls are the evaluation's, same entity, due and paid; 2018: 1001, 1002, 1003;
 * 2019: 1001): 1001 4, 1002 1, 1003 2.
 */
static void agreed_dividend_is_a_floor(void **state)
{
    (void)state;
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    add_areas(ctx, 0);
    vipa_entity e = entity(1, XINGSHUYUAN);
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
    fixture_add_household(ctx, fixture_household(1001, XINGSHUYUAN, 4));
    fixture_add_household(ctx, fixture_household(1002, XINGSHUYUAN, 3));
    fixture_add_household(ctx, fixture_household(1003, CG_205, 2));
    static const vipa_id both[2] = {1001, 1002}, first[1] = {1001}, third[1] = {1003};
    vipa_agreement as[2] = {agreement(1, both, 2, VIPA_SIGNER_VILLAGE, XINGSHUYUAN),
                            agreement(2, first, 1, VIPA_SIGNER_VILLAGE, XINGSHUYUAN)};
    as[0].end = 20181231;
    as[0].dividend_bp = 800;
    as[1].dividend_bp = 1000;
    for (int k = 0; k < 2; k++) {
        as[k].start = 20170101;
        as[k].exit_deadline = 2020;
    }
    assert_int_equal(vipa_ctx_add_agreements(ctx, as, 2), VIPA_OK);
    fixture_add_plan(ctx, plan(1001, 1, 2020));
    fixture_add_plan(ctx, plan(1002, 1, 2020));
    fixture_add_plan(ctx, plan(1001, 2, 2020));
    vipa_injection ins[3] = {injection(1, 1, 20170301, 1000000), injection(2, 2, 20180301, 200000),
                             injection(3, 1, 20170501, 100000)};
    ins[2].households = third;
    ins[2].household_len = 1;
    assert_int_equal(vipa_ctx_add_injections(ctx, ins, 3), VIPA_OK);
    vipa_transfer t = VIPA_TRANSFER_INIT;
    t.entity = 1;
    t.from_kind = VIPA_HOLDER_HOUSEHOLD;
    t.from_id = 1001;
    t.to_kind = VIPA_HOLDER_COLLECTIVE;
    t.to_id = XINGSHUYUAN;
    t.amount = 400000;
    t.date = 20180601;
    assert_int_equal(vipa_ctx_add_transfers(ctx, &t, 1), VIPA_OK);
    vipa_dividend d = VIPA_DIVIDEND_INIT;
    d.entity = 1;
    d.year = 2017;
    d.rate_bp = 500;
    assert_int_equal(vipa_ctx_add_dividends(ctx, &d, 1), VIPA_OK);
    add_payment(ctx, pay_dividend(1001, 2017, 17500, 20171228));
    add_payment(ctx, pay_dividend(1002, 2017, 28000, 20171228));
    add_evaluation(ctx, 2017, EVALUATED, 0);
    vipa_result *r = run(ctx);

    assert_int_equal(vipa_result_year_count(r), 3);
    assert_int_equal(vipa_result_year(r, 2), 2019);
    assert_int_equal(vipa_result_year_dividend_count(r, 0), 3);
    assert_dividend(r, 0, 0, 1001, 28000, 17500);
    assert_dividend(r, 0, 1, 1002, 28000, 28000);
    assert_dividend(r, 0, 2, 1003, 5600, 0);
    assert_int_equal(vipa_result_year_dividend_count(r, 1), 3);
    assert_dividend(r, 1, 0, 1001, 7200, 0);
    assert_dividend(r, 1, 1, 1002, 28000, 0);
    assert_dividend(r, 1, 2, 1003, 5600, 0);
    assert_int_equal(vipa_result_year_dividend_count(r, 2), 1);
    assert_dividend(r, 2, 0, 1001, 9000, 0);

    assert_int_equal(vipa_result_year_evaluation_count(r, 0), 2);
    assert_evaluation(r, 0, 0, 1, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(vipa_result_year_failed_count(r, 0, 0), 2);
    assert_failed(r, 0, 0, 0, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SUBJECT_HOUSEHOLD, 1001,
                  "280.00", "175.00");
    assert_failed(r, 0, 0, 1, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SUBJECT_HOUSEHOLD, 1003,
                  "56.00", "0.00");
    assert_evaluation(r, 0, 1, 2, EVALUATED, 0, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(vipa_result_year_failed_count(r, 0, 1), 1);
    assert_failed(r, 0, 1, 0, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, VIPA_SUBJECT_HOUSEHOLD, 1001,
                  "280.00", "175.00");

    const vipa_findings *f = vipa_result_findings(r);
    const vipa_rule D = VIPA_RULE_DIVIDEND_PAID_AS_AGREED;
    assert_int_equal(count_findings(f, D, VIPA_SUBJECT_HOUSEHOLD, 1001), 4);
    assert_int_equal(count_findings(f, D, VIPA_SUBJECT_HOUSEHOLD, 1002), 1);
    assert_int_equal(count_findings(f, D, VIPA_SUBJECT_HOUSEHOLD, 1003), 2);
    long i = find_finding(f, D, VIPA_SUBJECT_HOUSEHOLD, 1001, 2019);
    assert_true(i != NONE);
    assert_string_equal(vipa_finding_expected(f, (size_t)i), "90.00");
    assert_string_equal(vipa_finding_actual(f, (size_t)i), "0.00");
    i = find_finding(f, D, VIPA_SUBJECT_HOUSEHOLD, 1002, 2018);
    assert_true(i != NONE);
    assert_string_equal(vipa_finding_expected(f, (size_t)i), "280.00");
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

typedef struct progress_log {
    size_t calls;
    size_t bad_phases;
    size_t bad_counts;
} progress_log;

static void on_progress(void *opaque, const char *phase, uint64_t done, uint64_t total)
{
    progress_log *log = opaque;
    log->calls++;
    if (!phase || !*phase)
        log->bad_phases++;
    if (total != 0 && done > total)
        log->bad_counts++;
}

/* The progress callback is called, with its opaque pointer, a phase name each time, and
 * work done never beyond the total (when a total is known). */
static void progress_is_reported(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_figures_world(0, 1);
    progress_log log = {0, 0, 0};
    vipa_run_options options = VIPA_RUN_OPTIONS_INIT;
    options.progress = on_progress;
    options.progress_opaque = &log;
    vipa_result *r = run_with(ctx, &options);
    assert_true(log.calls >= 1);
    assert_int_equal(log.bad_phases, 0);
    assert_int_equal(log.bad_counts, 0);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ======================================================================================
 * Case 10: explanations.
 * ====================================================================================== */

static long find_step(const vipa_explanation *x, vipa_step_kind kind, vipa_rule rule,
                      vipa_fen amount, vipa_date date)
{
    for (size_t i = 0; i < vipa_explanation_step_count(x); i++) {
        vipa_step_kind k = 0;
        vipa_rule ru = 0;
        vipa_fen a = 0;
        vipa_date d = 0;
        const char *text = NULL;
        assert_int_equal(vipa_explanation_step(&k, &ru, &a, &d, &text, x, i), VIPA_OK);
        if (k == kind && (rule == VIPA_RULE_NONE || ru == rule) &&
            (amount == VIPA_FEN_UNSET || a == amount) && (date < 0 || d == date))
            return (long)i;
    }
    return NONE;
}

static void assert_step(const vipa_explanation *x, vipa_step_kind kind, vipa_rule rule,
                        vipa_fen amount, vipa_date date)
{
    if (find_step(x, kind, rule, amount, date) == NONE)
        fail_msg("no step of kind %d, rule %d, amount %lld, date %ld in:\n%s", (int)kind,
                 (int)rule, (long long)amount, (long)date, vipa_explanation_text(x));
}

static const char *step_text(const vipa_explanation *x, long i)
{
    vipa_step_kind k = 0;
    vipa_rule ru = 0;
    vipa_fen a = 0;
    vipa_date d = 0;
    const char *text = NULL;
    assert_true(i != NONE);
    assert_int_equal(vipa_explanation_step(&k, &ru, &a, &d, &text, x, (size_t)i), VIPA_OK);
    return text;
}

/*
 * Household 1001 of case 5, year 2017. The numbers behind its result:
 *   cut-off: the evaluation of 2018-01-31;
 *   due: linkage 1, wage 9000.00;
 *   payments: 9000.00 on 2017-12-20 (counted at the cut-off), 1000.00 on 2018-02-15 (not);
 *   other income 2000.00; total 9000.00 + 1000.00 + 2000.00 = 12000.00, of which
 *     11000.00 by the cut-off;
 *   line × members: 4 × 2952.00 = 11808.00;
 *   EXIT_BY_DEADLINE (四(二); 四(三)): 11000.00 < 11808.00 at the cut-off → failed.
 */
static void explain_household_lists_every_number(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_deadline_world();
    vipa_result *r = run(ctx);
    vipa_explanation *x = NULL;
    assert_int_equal(vipa_explain_household(&x, r, 1001, 2017), VIPA_OK);
    assert_non_null(x);

    const vipa_fen ANY = VIPA_FEN_UNSET;
    assert_step(x, VIPA_STEP_CUTOFF, VIPA_RULE_NONE, ANY, EVALUATED);
    assert_step(x, VIPA_STEP_DUE, VIPA_RULE_NONE, 900000, -1);
    assert_step(x, VIPA_STEP_PAYMENT, VIPA_RULE_NONE, 900000, 20171220);
    assert_step(x, VIPA_STEP_PAYMENT, VIPA_RULE_NONE, 100000, LATE);
    assert_step(x, VIPA_STEP_INCOME, VIPA_RULE_NONE, 200000, -1);  /* other income */
    assert_step(x, VIPA_STEP_INCOME, VIPA_RULE_NONE, 1200000, -1); /* the total */
    assert_step(x, VIPA_STEP_LINE, VIPA_RULE_NONE, 1180800, -1);
    assert_step(x, VIPA_STEP_CHECK, VIPA_RULE_EXIT_BY_DEADLINE, ANY, -1);
    assert_has(step_text(x, find_step(x, VIPA_STEP_CHECK, VIPA_RULE_EXIT_BY_DEADLINE, ANY, -1)),
               "四(二); 四(三)");
    for (size_t i = 0; i < vipa_explanation_step_count(x); i++)
        assert_true(strlen(step_text(x, (long)i)) > 0);

    const char *text = vipa_explanation_text(x);
    const char *amounts[] = {"9000.00", "1000.00", "2000.00", "12000.00",
                             "11000.00", "2952.00", "11808.00"};
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++)
        assert_has_amount(text, amounts[i]);
    const char *parts[] = {"2017-12-20", "2018-02-15", "2018-01-31", "EXIT_BY_DEADLINE",
                           "四(二); 四(三)"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        assert_has(text, parts[i]);

    /* The step accessor refuses NULL and out of range. */
    vipa_step_kind k = 0;
    vipa_rule ru = 0;
    vipa_fen a = 0;
    vipa_date d = 0;
    const char *t = NULL;
    size_t n = vipa_explanation_step_count(x);
    assert_int_equal(vipa_explanation_step(&k, &ru, &a, &d, &t, x, n), VIPA_E_RANGE);
    assert_int_equal(vipa_explanation_step(&k, &ru, &a, &d, NULL, x, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_explanation_step(&k, &ru, &a, &d, &t, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_explanation_step_count(NULL), 0);
    assert_string_equal(vipa_explanation_text(NULL), "");
    vipa_explanation_free(x);
    vipa_explanation_free(NULL);

    /* 1002 targets exit in 2018: EXIT_BY_DEADLINE does not apply to it in 2017 (run.h:
     * only households whose exit target is the year or earlier), so no step of its
     * explanation applies that rule. Its figures: 1234.50 against 3 × 2952.00 = 8856.00. */
    assert_int_equal(vipa_explain_household(&x, r, 1002, 2017), VIPA_OK);
    assert_step(x, VIPA_STEP_LINE, VIPA_RULE_NONE, 885600, -1);
    for (size_t i = 0; i < vipa_explanation_step_count(x); i++) {
        vipa_step_kind kind = 0;
        vipa_rule rule = 0;
        vipa_fen amount = 0;
        vipa_date date = 0;
        const char *line = NULL;
        assert_int_equal(vipa_explanation_step(&kind, &rule, &amount, &date, &line, x, i), VIPA_OK);
        if (rule == VIPA_RULE_EXIT_BY_DEADLINE)
            fail_msg("step %zu applies EXIT_BY_DEADLINE to 1002, whose target is 2018: %s", i,
                     line);
    }
    vipa_explanation_free(x);

    /* Unknown household or year: NOT_FOUND; NULL: INVALID; the output NULL each time. */
    x = (vipa_explanation *)&x;
    assert_int_equal(vipa_explain_household(&x, r, 9999, 2017), VIPA_E_NOT_FOUND);
    assert_null(x);
    x = (vipa_explanation *)&x;
    assert_int_equal(vipa_explain_household(&x, r, 1001, 2016), VIPA_E_NOT_FOUND);
    assert_null(x);
    x = (vipa_explanation *)&x;
    assert_int_equal(vipa_explain_household(&x, NULL, 1001, 2017), VIPA_E_INVALID);
    assert_null(x);
    assert_int_equal(vipa_explain_household(NULL, r, 1001, 2017), VIPA_E_INVALID);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/*
 * Agreement 1 of case 2, year 2017: the cut-offs 2018-01-31 and 2018-04-30;
 * OBLIGATIONS_PAID (四(四)) for linkage 2: 1234.50 due, 0.00 paid at the first (failed);
 * the outcomes: rectification, then restored. "Every check with its rule, clause and
 * numbers" (run.h) includes the checks that passed: at 2018-01-31, EXIT_BY_DEADLINE for
 * 1001 (target 2017): 9000.00 + 3000.00 = 12000.00 ≥ 4 × 2952.00 = 11808.00.
 */
static void explain_agreement_lists_checks_and_outcomes(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_late_payment_world();
    vipa_result *r = run(ctx);
    vipa_explanation *x = NULL;
    assert_int_equal(vipa_explain_agreement(&x, r, 1, 2017), VIPA_OK);
    assert_non_null(x);

    const vipa_fen ANY = VIPA_FEN_UNSET;
    assert_step(x, VIPA_STEP_CUTOFF, VIPA_RULE_NONE, ANY, EVALUATED);
    assert_step(x, VIPA_STEP_CUTOFF, VIPA_RULE_NONE, ANY, RECHECKED);
    assert_step(x, VIPA_STEP_OUTCOME, VIPA_RULE_NONE, ANY, -1);
    /* Some OBLIGATIONS_PAID step states 1234.50 due and 0.00 paid. */
    int found = 0;
    for (int k = 0; k < (int)vipa_explanation_step_count(x); k++) {
        vipa_step_kind kind = 0;
        vipa_rule rule = 0;
        vipa_fen amount = 0;
        vipa_date date = 0;
        const char *text = NULL;
        assert_int_equal(vipa_explanation_step(&kind, &rule, &amount, &date, &text, x, (size_t)k),
                         VIPA_OK);
        if (kind == VIPA_STEP_CHECK && rule == VIPA_RULE_OBLIGATIONS_PAID &&
            has_amount(text, "1234.50") && has_amount(text, "0.00"))
            found = 1;
    }
    if (!found)
        fail_msg("no OBLIGATIONS_PAID step with 1234.50 and 0.00 in:\n%s",
                 vipa_explanation_text(x));
    long exit_check = find_step(x, VIPA_STEP_CHECK, VIPA_RULE_EXIT_BY_DEADLINE, ANY, EVALUATED);
    if (exit_check == NONE)
        fail_msg("no EXIT_BY_DEADLINE check of 2018-01-31 (1001: 12000.00 >= 11808.00) in:\n%s",
                 vipa_explanation_text(x));
    assert_has_amount(step_text(x, exit_check), "12000.00");
    assert_has_amount(step_text(x, exit_check), "11808.00");

    const char *text = vipa_explanation_text(x);
    assert_has_amount(text, "1234.50");
    const char *parts[] = {"OBLIGATIONS_PAID", "四(四)", "2018-01-31", "2018-04-30",
                           "rectification", "restored"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        assert_has(text, parts[i]);
    vipa_explanation_free(x);

    x = (vipa_explanation *)&x;
    assert_int_equal(vipa_explain_agreement(&x, r, 99, 2017), VIPA_E_NOT_FOUND);
    assert_null(x);
    x = (vipa_explanation *)&x;
    assert_int_equal(vipa_explain_agreement(&x, r, 1, 2016), VIPA_E_NOT_FOUND);
    assert_null(x);
    x = (vipa_explanation *)&x;
    assert_int_equal(vipa_explain_agreement(&x, NULL, 1, 2017), VIPA_E_INVALID);
    assert_null(x);
    assert_int_equal(vipa_explain_agreement(NULL, r, 1, 2017), VIPA_E_INVALID);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/*
 * Results and ledgers read the context's arrays, which an add may reallocate: while one is
 * alive every change is refused with VIPA_E_STATE (issue #15), naming how many are alive,
 * and the context is unchanged; once they are freed the same change succeeds.
 */
static void context_refuses_changes_under_its_results(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_compliant_world();
    size_t households = vipa_ctx_household_count(ctx);
    vipa_date as_of = vipa_ctx_as_of(ctx);
    vipa_result *r = run(ctx);
    vipa_household h = household(1099, XINGSHUYUAN, 2, 1, 0);
    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_E_STATE);
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "households: 1 result, ledger or fork of "
                                                 "this context is alive"));
    assert_int_equal(vipa_ctx_household_count(ctx), households);
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 6000), VIPA_E_STATE);
    assert_int_equal(vipa_param_set_bool(ctx, "exit.require_guarantees", 0), VIPA_E_STATE);
    assert_int_equal(vipa_param_set_fen(ctx, "poverty_line.2017", 300000), VIPA_E_STATE);
    assert_int_equal(vipa_param_set_text(ctx, "equity.allocation", "per_member"), VIPA_E_STATE);
    assert_int_equal(vipa_ctx_set_as_of(ctx, 20180101), VIPA_E_STATE);
    assert_int_equal(vipa_ctx_as_of(ctx), as_of);
    const char *json = "{ \"vipa\": 1 }";
    assert_int_equal(vipa_scenario_load(ctx, json, strlen(json), NULL), VIPA_E_STATE);
    int64_t share = 0;
    assert_int_equal(vipa_param_get_int(&share, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(share, 7000); /* reading is no change */

    /* A second result and a ledger: three alive. */
    vipa_result *r2 = run(ctx);
    vipa_ledger *l = NULL;
    assert_int_equal(vipa_ledger_build(&l, ctx), VIPA_OK);
    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_E_STATE);
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "3 results, ledgers or forks of this "
                                                 "context are alive"));
    vipa_result_free(r);
    vipa_result_free(r2);
    assert_int_equal(vipa_ctx_set_as_of(ctx, 20180101), VIPA_E_STATE); /* the ledger */
    vipa_ledger_free(l);

    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_household_count(ctx), households + 1);
    assert_int_equal(vipa_ctx_set_as_of(ctx, 20180101), VIPA_OK);
    /* A run that fails frees its ledger: nothing stays borrowed. 2030 has no line. */
    vipa_evaluation late = VIPA_EVALUATION_INIT;
    late.year = 2030, late.date = 20310131;
    assert_int_equal(vipa_ctx_add_evaluations(ctx, &late, 1), VIPA_OK);
    vipa_result *none = NULL;
    assert_int_equal(vipa_run(&none, ctx, NULL), VIPA_E_NOT_FOUND);
    assert_null(none);
    vipa_household h2 = household(1098, XINGSHUYUAN, 2, 1, 0);
    assert_int_equal(vipa_ctx_add_households(ctx, &h2, 1), VIPA_OK);
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compliant_agreement_is_favoured),
        cmocka_unit_test(late_payment_is_rectified_then_restored),
        cmocka_unit_test(failed_recheck_terminates_and_disqualifies),
        cmocka_unit_test(coverage_leaves_out_a_willing_household),
        cmocka_unit_test(exit_deadline_fails_at_the_cutoff_but_year_figures_meet),
        cmocka_unit_test(year_figures_dividends_allocations_signers_disclosure),
        cmocka_unit_test(same_result_whatever_the_order_of_adding),
        cmocka_unit_test(stamp_names_library_profile_and_hashes),
        cmocka_unit_test(run_refuses_bad_arguments),
        cmocka_unit_test(run_needs_a_poverty_line_for_every_year),
        cmocka_unit_test(run_with_a_poverty_line_near_the_int64_limit),
        cmocka_unit_test(accessors_refuse_null_and_out_of_range),
        cmocka_unit_test(add_evaluations_refuses_bad_input),
        cmocka_unit_test(evaluation_sequence_is_enforced),
        cmocka_unit_test(as_of_is_set_checked_and_read),
        cmocka_unit_test(year_obligations_and_completeness),
        cmocka_unit_test(year_obligations_by_id_whatever_the_order_added),
        cmocka_unit_test(disclosure_names_support_measures),
        cmocka_unit_test(favour_is_withheld_when_disqualified_on_the_evaluation_day),
        cmocka_unit_test(agreed_dividend_is_a_floor),
        cmocka_unit_test(progress_is_reported),
        cmocka_unit_test(explain_household_lists_every_number),
        cmocka_unit_test(explain_agreement_lists_checks_and_outcomes),
        cmocka_unit_test(context_refuses_changes_under_its_results),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
