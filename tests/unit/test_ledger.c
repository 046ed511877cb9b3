/*
 * Tests of the money flows of include/vipa/ledger.h: linkages, payments, other income,
 * income as of a cut-off, the exit standard, coverage and the checks of a year.
 * Every expected figure is worked by hand in the comments, from the policy text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"
#include "fixture.h"
#include "ledger_internal.h"

/* Every household here lives in 杏树园村. */
static void add_household(vipa_ctx *ctx, vipa_id id, int members, int willing, int exited)
{
    vipa_household h = fixture_household(id, XINGSHUYUAN, members);
    h.willing = willing;
    h.exited_year = exited;
    fixture_add_household(ctx, h);
}

static void add_agreement(vipa_ctx *ctx, vipa_id id, vipa_id entity, const vipa_id *households,
                          size_t n, vipa_date signed_on)
{
    fixture_add_agreement(ctx, fixture_agreement(id, entity, households, n, signed_on));
}

/*
 * The fixture (illustrative, in 商州区 城关街道):
 *   households 1001 (4 members, willing), 1002 (3, willing), 1003 (2, not willing),
 *   1004 (5, willing, exited in 2016), 1005 (1, willing) — all in 杏树园村;
 *   agreement 1 (signed 2016-11-15, 2016-11-01..2019-12-31) covers 1001 and 1002;
 *   agreement 2 (not signed) covers 1005.
 *   linkage 1: wage 3600.00 a year, 1001, 2017..2019
 *   linkage 2: land rent 2.50 mu × 500.00 = 1250.00 a year, 1001, 2017..2019
 *   linkage 3: participation 2000.00 a year, 1002, 2017..2018
 *   linkage 4: wage 120 days × 80.00 = 9600.00, 1002, 2017
 *   linkage 5: wage 1000.00, 1005, 2017, under the unsigned agreement 2
 *   payments for 2017: linkage 1 3600.00 on 2017-12-20; linkage 2 1250.00 on 2018-02-15
 *   (late); linkage 3 1000.00 on 2017-12-31 (short); linkage 4 9600.00 on 2017-11-30.
 *   other income 2017: 1001 8000.00, 1002 500.00. Guarantees 2017: 1001 all.
 */
static int setup(void **state)
{
    vipa_ctx *ctx = fixture_new_ctx(NULL);
    const vipa_area_code places[4] = {SHANGZHOU, CHENGGUAN, XINGSHUYUAN, CG_205};
    fixture_add_places(ctx, places, 4, "核桃");
    fixture_add_entity(ctx, fixture_entity(1, "杏树园核桃专业合作社", XINGSHUYUAN, "核桃"));
    fixture_add_entity(ctx, fixture_entity(2, "另一个合作社", XINGSHUYUAN, "核桃"));
    add_household(ctx, 1001, 4, 1, 0);
    add_household(ctx, 1002, 3, 1, 0);
    add_household(ctx, 1003, 2, 0, 0);
    add_household(ctx, 1004, 5, 1, 2016);
    add_household(ctx, 1005, 1, 1, 0);
    add_agreement(ctx, 1, 1, (const vipa_id[]){1001, 1002}, 2, 20161115);
    add_agreement(ctx, 2, 1, (const vipa_id[]){1005}, 1, 0);
    add_agreement(ctx, 3, 2, (const vipa_id[]){1001}, 1, 20161115);

    vipa_linkage ls[5];
    ls[0] = fixture_linkage(1, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2019, 360000);
    ls[1] = fixture_linkage(2, VIPA_LINKAGE_LAND_RENT, 1001, 1, 2017, 2019, VIPA_FEN_UNSET);
    ls[1].area_cmu = 250;
    ls[1].rent_per_mu = 50000;
    ls[2] = fixture_linkage(3, VIPA_LINKAGE_PARTICIPATION, 1002, 1, 2017, 2018, 200000);
    ls[3] = fixture_linkage(4, VIPA_LINKAGE_WAGE, 1002, 1, 2017, 2017, VIPA_FEN_UNSET);
    ls[3].days = 120;
    ls[3].daily_wage = 8000;
    ls[4] = fixture_linkage(5, VIPA_LINKAGE_WAGE, 1005, 2, 2017, 2017, 100000);
    assert_int_equal(vipa_ctx_add_linkages(ctx, ls, 5), VIPA_OK);

    const vipa_payment ps[] = {
        {VIPA_PAYMENT_VERSION, 1, 0, 0, 2017, 360000, 20171220},
        {VIPA_PAYMENT_VERSION, 2, 0, 0, 2017, 125000, 20180215},
        {VIPA_PAYMENT_VERSION, 3, 0, 0, 2017, 100000, 20171231},
        {VIPA_PAYMENT_VERSION, 4, 0, 0, 2017, 960000, 20171130},
    };
    assert_int_equal(vipa_ctx_add_payments(ctx, ps, 4), VIPA_OK);
    const vipa_income in[] = {{VIPA_INCOME_VERSION, 1001, 2017, 800000},
                              {VIPA_INCOME_VERSION, 1002, 2017, 50000}};
    assert_int_equal(vipa_ctx_add_incomes(ctx, in, 2), VIPA_OK);
    const vipa_assured as = {VIPA_ASSURED_VERSION, 1001, 2017, VIPA_ASSURED_ITEMS_ALL};
    assert_int_equal(vipa_ctx_add_assured(ctx, &as, 1), VIPA_OK);
    *state = ctx;
    return 0;
}

static int teardown(void **state)
{
    vipa_ctx_free(*state);
    return 0;
}

static vipa_ledger *build(vipa_ctx *ctx)
{
    vipa_ledger *ledger = NULL;
    assert_int_equal(vipa_ledger_build(&ledger, ctx), VIPA_OK);
    assert_non_null(ledger);
    return ledger;
}

static vipa_fen due_of(const vipa_ledger *l, vipa_id linkage, int year)
{
    vipa_fen v = -1;
    assert_int_equal(vipa_ledger_linkage_due(&v, l, linkage, year), VIPA_OK);
    return v;
}

static vipa_fen paid_of(const vipa_ledger *l, vipa_id linkage, int year, vipa_date cutoff)
{
    vipa_fen v = -1;
    assert_int_equal(vipa_ledger_linkage_paid(&v, l, linkage, year, cutoff), VIPA_OK);
    return v;
}

static vipa_fen income_of(const vipa_ledger *l, vipa_id household, int year, vipa_date cutoff)
{
    vipa_fen v = -1;
    assert_int_equal(vipa_ledger_income(&v, l, household, year, cutoff), VIPA_OK);
    return v;
}

static void dues_are_derived_per_kind_and_year(void **state)
{
    vipa_ledger *l = build(*state);
    assert_int_equal(due_of(l, 1, 2017), 360000);  /* wage, annual */
    assert_int_equal(due_of(l, 2, 2018), 125000);  /* 2.50 mu × 500.00 = 1250.00 */
    assert_int_equal(due_of(l, 3, 2018), 200000);  /* participation */
    assert_int_equal(due_of(l, 3, 2019), 0);       /* after its last year */
    assert_int_equal(due_of(l, 4, 2017), 960000);  /* 120 days × 80.00 = 9600.00 */
    assert_int_equal(due_of(l, 4, 2016), 0);       /* before its first year */
    vipa_fen v = 7;
    assert_int_equal(vipa_ledger_linkage_due(&v, l, 99, 2017), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_linkage_due(NULL, l, 1, 2017), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_linkage_due(&v, NULL, 1, 2017), VIPA_E_INVALID);
    assert_int_equal(v, 7);
    vipa_ledger_free(l);
    vipa_ledger_free(NULL);
}

/* A payment counts for the year it names, at an evaluation only when dated on or before
 * its date (DESIGN: "Semantics the fields carry"). The land rent of 2017 was paid on
 * 2018-02-15: in the year's figures, not at a 2018-01-31 cut-off. */
static void a_late_payment_counts_in_the_year_but_not_at_an_earlier_cutoff(void **state)
{
    vipa_ledger *l = build(*state);
    assert_int_equal(paid_of(l, 2, 2017, 0), 125000);
    assert_int_equal(paid_of(l, 2, 2017, 20180131), 0);
    assert_int_equal(paid_of(l, 2, 2017, 20180215), 125000); /* on the date itself: counts */
    assert_int_equal(paid_of(l, 2, 2018, 0), 0);             /* for another year: not */
    /* 1001's income 2017: 3600.00 + 1250.00 + 8000.00 other = 12850.00; at the cut-off
     * 3600.00 + 8000.00 = 11600.00. */
    assert_int_equal(income_of(l, 1001, 2017, 0), 1285000);
    assert_int_equal(income_of(l, 1001, 2017, 20180131), 1160000);
    /* 1002: 1000.00 + 9600.00 + 500.00 = 11100.00. */
    assert_int_equal(income_of(l, 1002, 2017, 0), 1110000);
    assert_int_equal(income_of(l, 1003, 2017, 0), 0);
    vipa_fen v = 3;
    assert_int_equal(vipa_ledger_income(&v, l, 9999, 2017, 0), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_linkage_paid(&v, l, 9999, 2017, 0), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 1, 1001, 2017, 0), VIPA_OK);
    assert_int_equal(v, 0);
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 9, 1001, 2017, 0), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 1, 9999, 2017, 0), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_income(NULL, l, 1001, 2017, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_linkage_paid(NULL, l, 1, 2017, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_dividend_paid(NULL, l, 1, 1001, 2017, 0), VIPA_E_INVALID);
    vipa_ledger_free(l);
}

/* The exit standard: income ≥ line × members, compared as totals; with
 * exit.require_guarantees also every guarantee held. Line 2017 = 2952.00 per person. */
static void the_exit_standard_with_and_without_guarantees(void **state)
{
    vipa_ctx *ctx = *state;
    vipa_ledger *l = build(ctx);
    int meets = -1;
    vipa_fen line = 0;
    /* 1001: 12850.00 ≥ 4 × 2952.00 = 11808.00, guarantees all held: meets. */
    assert_int_equal(vipa_ledger_meets_standard(&meets, &line, l, 1001, 2017, 0), VIPA_OK);
    assert_int_equal(line, 1180800);
    assert_int_equal(meets, 1);
    /* At the 2018-01-31 cut-off: 11600.00 < 11808.00: does not. */
    assert_int_equal(vipa_ledger_meets_standard(&meets, NULL, l, 1001, 2017, 20180131), VIPA_OK);
    assert_int_equal(meets, 0);
    /* 1002: 11100.00 ≥ 3 × 2952.00 = 8856.00, but no guarantees recorded: does not. */
    assert_int_equal(vipa_ledger_meets_standard(&meets, &line, l, 1002, 2017, 0), VIPA_OK);
    assert_int_equal(line, 885600);
    assert_int_equal(meets, 0);
    /* A year without a poverty line is an error, never a guess. */
    assert_int_equal(vipa_ledger_meets_standard(&meets, NULL, l, 1002, 2030, 0), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_meets_standard(&meets, NULL, l, 9999, 2017, 0), VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_meets_standard(NULL, NULL, l, 1002, 2017, 0), VIPA_E_INVALID);
    vipa_ledger_free(l);

    /* Without the guarantees requirement 1002 meets the standard on income alone. */
    assert_int_equal(vipa_param_set_bool(ctx, "exit.require_guarantees", 0), VIPA_OK);
    l = build(ctx);
    assert_int_equal(vipa_ledger_meets_standard(&meets, NULL, l, 1002, 2017, 0), VIPA_OK);
    assert_int_equal(meets, 1);
    vipa_ledger_free(l);
}

/* COVERAGE_CORE_VILLAGE (一; 二(三)) for 杏树园村 in 2017: willing, poor, not yet exited
 * are 1001, 1002 and 1005 (1003 is not willing, 1004 exited in 2016): 3. Covered are
 * 1001 and 1002 (linkages under the signed agreement 1); 1005's agreement 2 is not
 * signed, so it is not covered: 2 of 3. */
static void coverage_leaves_out_the_unwilling_and_the_exited(void **state)
{
    vipa_ledger *l = build(*state);
    size_t willing = 9, covered = 9;
    assert_int_equal(vipa_ledger_coverage(&willing, &covered, l, XINGSHUYUAN, 2017), VIPA_OK);
    assert_int_equal(willing, 3);
    assert_int_equal(covered, 2);
    /* 2019: 1002's linkages ended in 2018, so only 1001 is covered of the same three. */
    assert_int_equal(vipa_ledger_coverage(&willing, &covered, l, XINGSHUYUAN, 2019), VIPA_OK);
    assert_int_equal(willing, 3);
    assert_int_equal(covered, 1);
    /* 2020: agreement 1 is no longer in force: nobody is covered. */
    assert_int_equal(vipa_ledger_coverage(&willing, &covered, l, XINGSHUYUAN, 2020), VIPA_OK);
    assert_int_equal(covered, 0);
    assert_int_equal(vipa_ledger_coverage(&willing, &covered, l, CG_205, 2017), VIPA_OK);
    assert_int_equal(willing, 0);
    assert_int_equal(vipa_ledger_coverage(&willing, &covered, l, 611002001000u, 2017),
                     VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_coverage(&willing, &covered, l, 611002001299u, 2017),
                     VIPA_E_NOT_FOUND);
    assert_int_equal(vipa_ledger_coverage(NULL, &covered, l, XINGSHUYUAN, 2017), VIPA_E_INVALID);
    vipa_ledger_free(l);
}

static int has_finding(const vipa_findings *f, vipa_rule rule, vipa_subject_kind kind,
                       uint64_t id, const char *expected, const char *actual)
{
    for (size_t i = 0; i < vipa_findings_count(f); i++) {
        if (vipa_finding_rule(f, i) != rule || vipa_finding_subject_kind(f, i) != kind ||
            vipa_finding_subject_id(f, i) != id)
            continue;
        const char *e = vipa_finding_expected(f, i), *a = vipa_finding_actual(f, i);
        if ((!expected || (e && strcmp(e, expected) == 0)) &&
            (!actual || (a && strcmp(a, actual) == 0)))
            return 1;
    }
    return 0;
}

/* The checks of 2017 at the 2018-01-31 cut-off:
 *   LINKAGE_UNDER_AGREEMENT: linkage 5 (agreement 2 not signed);
 *   OBLIGATIONS_PAID: linkage 2 1250.00 due, 0.00 paid (late); linkage 3 2000.00 due,
 *     1000.00 paid; linkage 5 1000.00 due, 0.00 paid;
 *   COVERAGE_CORE_VILLAGE: 杏树园村 3 willing, 2 covered (1005 left out).
 * Five findings in all, each citing its clause. */
static void the_checks_of_a_year_at_a_cutoff(void **state)
{
    vipa_ledger *l = build(*state);
    vipa_findings *f = NULL;
    assert_int_equal(vipa_ledger_check(&f, l, 2017, 20180131), VIPA_OK);
    assert_int_equal(vipa_findings_count(f), 5);
    assert_true(has_finding(f, VIPA_RULE_LINKAGE_UNDER_AGREEMENT, VIPA_SUBJECT_LINKAGE, 5, NULL, NULL));
    assert_true(has_finding(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2, "1250.00", "0.00"));
    assert_true(has_finding(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 3, "2000.00", "1000.00"));
    assert_true(has_finding(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 5, "1000.00", "0.00"));
    assert_true(has_finding(f, VIPA_RULE_COVERAGE_CORE_VILLAGE, VIPA_SUBJECT_VILLAGE, XINGSHUYUAN,
                            "3", "2"));
    for (size_t i = 0; i < vipa_findings_count(f); i++) {
        assert_int_equal(vipa_finding_year(f, i), 2017);
        assert_int_equal(vipa_finding_severity(f, i), VIPA_SEVERITY_ERROR);
        assert_non_null(strstr(vipa_finding_message(f, i), vipa_rule_clause(vipa_finding_rule(f, i))));
    }
    /* Sorted by rule in catalogue order: coverage (1) first, obligations (12) last. */
    assert_int_equal(vipa_finding_rule(f, 0), VIPA_RULE_COVERAGE_CORE_VILLAGE);
    assert_int_equal(vipa_finding_rule(f, 4), VIPA_RULE_OBLIGATIONS_PAID);
    assert_non_null(strstr(vipa_finding_message(f, 0), "1005"));
    vipa_findings_free(f);

    /* With every payment counted, the late land rent is paid: four findings. */
    assert_int_equal(vipa_ledger_check(&f, l, 2017, 0), VIPA_OK);
    assert_int_equal(vipa_findings_count(f), 4);
    assert_false(has_finding(f, VIPA_RULE_OBLIGATIONS_PAID, VIPA_SUBJECT_LINKAGE, 2, NULL, NULL));
    vipa_findings_free(f);

    assert_int_equal(vipa_ledger_check(NULL, l, 2017, 0), VIPA_E_INVALID);
    f = (vipa_findings *)&f;
    assert_int_equal(vipa_ledger_check(&f, NULL, 2017, 0), VIPA_E_INVALID);
    assert_null(f);
    vipa_ledger_free(l);
}

/* Dividend payments added between the linkages' payments, which come in linkage order
 * (as a platform exports a household's payments): each linkage is paid only its own,
 * whichever way the ledger finds a linkage's payments (issue #16): among its household's
 * (no list: at most VIPA_LINKAGE_SCAN_MAX payments a household, in household order),
 * in ranges with the dividends between (mixed rows: a household with more), or in a
 * list of its own (payments out of linkage order). The setup's payments are linkages 1,
 * 2, 3, 4 (households 1001, 1001, 1002, 1002); added here: a 2018 dividend of 500.00 to
 * 1002, 300.00 for linkage 5 (1005) in 2017, a 2017 dividend of 70.00 to 1005: still
 * household by household. Neither linkage 4 nor 5 is due in 2018, and the
 * dividend of 2018 (after linkage 4's payment) must not list linkage 4 among 2018's
 * obligations. Figures by hand from setup(). */
enum { FOUND_AMONG_HOUSEHOLDS, FOUND_IN_MIXED_ROWS, FOUND_IN_A_LIST };

static void linkages_are_paid_their_own(vipa_ctx *ctx, int layout)
{
    const vipa_payment more[] = {
        {VIPA_PAYMENT_VERSION, 0, 1, 1002, 2018, 50000, 20181220},
        {VIPA_PAYMENT_VERSION, 5, 0, 0, 2017, 30000, 20171215},
        {VIPA_PAYMENT_VERSION, 0, 1, 1005, 2017, 7000, 20171220},
    };
    assert_int_equal(vipa_ctx_add_payments(ctx, more, 3), VIPA_OK);
    vipa_fen extra5 = 0, extra1 = 0;
    if (layout != FOUND_AMONG_HOUSEHOLDS) { /* 1005 gets more payments than are scanned */
        vipa_payment cent = {VIPA_PAYMENT_VERSION, 5, 0, 0, 2017, 1, 20171216};
        for (int i = 0; i < VIPA_LINKAGE_SCAN_MAX; i++, extra5++)
            assert_int_equal(vipa_ctx_add_payments(ctx, &cent, 1), VIPA_OK);
    }
    if (layout == FOUND_IN_A_LIST) { /* linkage 1 again: out of linkage order */
        vipa_payment p = {VIPA_PAYMENT_VERSION, 1, 0, 0, 2017, 100, 20171221};
        assert_int_equal(vipa_ctx_add_payments(ctx, &p, 1), VIPA_OK);
        extra1 = 100;
    }
    vipa_ledger *l = build(ctx);
    const vipa__rows *rows = &l->payments_by_linkage;
    assert_int_equal(rows->offsets == NULL, layout == FOUND_AMONG_HOUSEHOLDS);
    assert_int_equal(rows->items != NULL, layout == FOUND_IN_A_LIST);
    assert_int_equal(rows->mixed, layout != FOUND_IN_A_LIST);
    assert_int_equal(paid_of(l, 1, 2017, 0), 360000 + extra1);
    assert_int_equal(paid_of(l, 2, 2017, 0), 125000);
    assert_int_equal(paid_of(l, 2, 2017, 20180131), 0);
    assert_int_equal(paid_of(l, 3, 2017, 0), 100000);
    assert_int_equal(paid_of(l, 4, 2017, 0), 960000); /* not + 500.00 */
    assert_int_equal(paid_of(l, 4, 2018, 0), 0);
    assert_int_equal(paid_of(l, 5, 2017, 0), 30000 + extra5); /* not + 70.00 */
    assert_int_equal(paid_of(l, 5, 2017, 20171215), 30000);
    vipa_fen v = -1;
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 1, 1005, 2017, 0), VIPA_OK);
    assert_int_equal(v, 7000);
    /* 1002: 1000.00 + 9600.00 paid, 500.00 other; 1005: its linkage and the 70.00 */
    assert_int_equal(income_of(l, 1002, 2017, 0), 100000 + 960000 + 50000);
    assert_int_equal(income_of(l, 1002, 2018, 0), 50000);
    assert_int_equal(income_of(l, 1005, 2017, 0), 30000 + extra5 + 7000);
    vipa_ledger_free(l);

    vipa_result *r = NULL;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    int found5 = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        int year = vipa_result_year(r, y);
        for (size_t i = 0; i < vipa_result_year_obligation_count(r, y); i++) {
            vipa_id linkage = 0, household = 0;
            vipa_linkage_kind kind;
            vipa_fen due = -1, paid = -1;
            assert_int_equal(vipa_result_year_obligation(&linkage, &household, &kind, &due,
                                                         &paid, r, y, i),
                             VIPA_OK);
            if (year == 2018)
                assert_true(linkage != 4 && linkage != 5); /* neither due nor paid */
            if (year == 2017 && linkage == 5) {
                assert_int_equal(paid, 30000 + extra5);
                found5 = 1;
            }
        }
    }
    assert_true(found5);
    vipa_result_free(r);
}

static void payments_found_among_the_households(void **state)
{
    linkages_are_paid_their_own(*state, FOUND_AMONG_HOUSEHOLDS);
}

static void payments_found_in_mixed_rows(void **state)
{
    linkages_are_paid_their_own(*state, FOUND_IN_MIXED_ROWS);
}

static void payments_found_in_a_list(void **state)
{
    linkages_are_paid_their_own(*state, FOUND_IN_A_LIST);
}

/* ---- bad input: every error path, the context unchanged --------------------------------- */

static size_t payment_like_count(vipa_ctx *ctx)
{
    /* Payments have no count accessor of their own: their effect on 1001's 2017 income
     * is the observable state. */
    vipa_ledger *l = build(ctx);
    vipa_fen v = income_of(l, 1001, 2017, 0);
    vipa_ledger_free(l);
    return (size_t)v;
}

static void bad_linkages_are_refused(void **state)
{
    vipa_ctx *ctx = *state;
    struct {
        vipa_linkage l;
        int code;
        const char *mention;
    } cases[24];
    size_t n = 0;
#define CASE(stmt, rc, text)                                                             \
    do {                                                                                 \
        vipa_linkage l = fixture_linkage(10, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2018, 100); \
        stmt;                                                                            \
        cases[n++] = (__typeof__(cases[0])){l, rc, text};                                \
    } while (0)
    CASE(l.id = 0, VIPA_E_INVALID, "id");
    CASE(l.id = 1, VIPA_E_EXISTS, "exists");
    CASE(l.kind = VIPA_LINKAGE_NONE, VIPA_E_INVALID, "kind");
    CASE(l.kind = VIPA_LINKAGE_DIVIDEND, VIPA_E_INVALID, "kind");
    CASE(l.from_year = 2019, VIPA_E_INVALID, "field to_year 2018 is before field from_year 2019");
    CASE(l.from_year = 1899, VIPA_E_INVALID, "field from_year is 1899; expected a year 1900..9999");
    CASE(l.annual = VIPA_FEN_UNSET, VIPA_E_INVALID, "annual");
    CASE(l.annual = -1, VIPA_E_INVALID, "annual");
    CASE(l.days = 367; l.daily_wage = 1; l.annual = VIPA_FEN_UNSET, VIPA_E_INVALID, "days");
    CASE(l.days = 10; l.daily_wage = 1, VIPA_E_INVALID, "a wage by days takes no annual, area_cmu "
         "or rent_per_mu");
    CASE(l.days = 366; l.daily_wage = INT64_MAX / 100; l.annual = VIPA_FEN_UNSET,
         VIPA_E_OVERFLOW, "daily_wage");
    CASE(l.kind = VIPA_LINKAGE_LAND_RENT; l.annual = VIPA_FEN_UNSET, VIPA_E_INVALID,
         "land rent needs area_cmu 1..4294967295 (0.01 mu) and a rent_per_mu ≥ 0.00");
    CASE(l.kind = VIPA_LINKAGE_LAND_RENT; l.area_cmu = 100; l.rent_per_mu = 5, VIPA_E_INVALID, "annual");
    CASE(l.kind = VIPA_LINKAGE_LAND_RENT; l.annual = VIPA_FEN_UNSET; l.area_cmu = UINT32_MAX;
         l.rent_per_mu = INT64_MAX, VIPA_E_OVERFLOW, "rent_per_mu");
    CASE(l.kind = VIPA_LINKAGE_PARTICIPATION; l.days = 3, VIPA_E_INVALID,
         "an annual amount takes no days, daily_wage, area_cmu or rent_per_mu");
    CASE(l.household = 9999, VIPA_E_NOT_FOUND, "household 9999");
    CASE(l.entity = 99, VIPA_E_NOT_FOUND, "entity 99");
    CASE(l.agreement = 99, VIPA_E_NOT_FOUND, "agreement 99");
    CASE(l.agreement = 3, VIPA_E_INVALID, "agreement 3");
    CASE(l.to_year = 2020, VIPA_E_RANGE, "period");
    CASE(l.from_year = 2015, VIPA_E_RANGE, "period");
    CASE(l.version = 0, VIPA_E_VERSION, "version");
#undef CASE
    for (size_t i = 0; i < n; i++) {
        vipa_linkage batch[2] = {fixture_linkage(11, VIPA_LINKAGE_WAGE, 1002, 1, 2018, 2018, 5),
                                 cases[i].l};
        assert_int_equal(vipa_ctx_add_linkages(ctx, batch, 2), cases[i].code);
        assert_error_mentions(ctx, "linkages[1]", cases[i].mention);
    }
    /* Linkage 11 of every refused batch was taken back. */
    vipa_linkage ok = fixture_linkage(11, VIPA_LINKAGE_WAGE, 1002, 1, 2018, 2018, 5);
    assert_int_equal(vipa_ctx_add_linkages(ctx, &ok, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_add_linkages(NULL, &ok, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_linkages(ctx, NULL, 1), VIPA_E_INVALID);
}

static void bad_payments_and_incomes_are_refused(void **state)
{
    vipa_ctx *ctx = *state;
    size_t before = payment_like_count(ctx);
    const struct {
        vipa_payment p;
        int code;
        const char *mention;
    } cases[] = {
        {{VIPA_PAYMENT_VERSION, 99, 0, 0, 2017, 100, 20171220}, VIPA_E_NOT_FOUND, "linkage 99"},
        {{VIPA_PAYMENT_VERSION, 1, 0, 0, 2017, -1, 20171220}, VIPA_E_RANGE,
         "field amount is -0.01; expected an amount ≥ 0.00"},
        {{VIPA_PAYMENT_VERSION, 1, 0, 0, 2016, 100, 20171220}, VIPA_E_INVALID, "year"},
        {{VIPA_PAYMENT_VERSION, 1, 1, 1001, 2017, 100, 20171220}, VIPA_E_INVALID, "either"},
        {{VIPA_PAYMENT_VERSION, 0, 0, 0, 2017, 100, 20171220}, VIPA_E_INVALID, "linkage"},
        {{VIPA_PAYMENT_VERSION, 0, 9, 1001, 2017, 100, 20171220}, VIPA_E_NOT_FOUND, "entity 9"},
        {{VIPA_PAYMENT_VERSION, 0, 1, 9999, 2017, 100, 20171220}, VIPA_E_NOT_FOUND, "household 9999"},
        {{VIPA_PAYMENT_VERSION, 1, 0, 0, 2017, 100, 20170230}, VIPA_E_INVALID,
         "field date is 20170230; expected a real day (years 1900..9999)"},
        {{VIPA_PAYMENT_VERSION, 1, 0, 0, 1800, 100, 20171220}, VIPA_E_INVALID, "year"},
        {{0, 1, 0, 0, 2017, 100, 20171220}, VIPA_E_VERSION, "version"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        vipa_payment batch[2] = {{VIPA_PAYMENT_VERSION, 1, 0, 0, 2017, 777, 20171221}, cases[i].p};
        assert_int_equal(vipa_ctx_add_payments(ctx, batch, 2), cases[i].code);
        assert_error_mentions(ctx, "payments[1]", cases[i].mention);
        assert_int_equal(payment_like_count(ctx), before); /* the 7.77 was taken back */
    }
    const struct {
        vipa_income in;
        int code;
        const char *mention;
    } bad[] = {
        {{VIPA_INCOME_VERSION, 9999, 2017, 1}, VIPA_E_NOT_FOUND, "household 9999"},
        {{VIPA_INCOME_VERSION, 1001, 10000, 1}, VIPA_E_INVALID, "year"},
        {{VIPA_INCOME_VERSION, 1001, 2017, 1}, VIPA_E_EXISTS, "2017"},
        {{2, 1001, 2018, 1}, VIPA_E_VERSION, "version"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        vipa_income batch[2] = {{VIPA_INCOME_VERSION, 1003, 2017, 5}, bad[i].in};
        assert_int_equal(vipa_ctx_add_incomes(ctx, batch, 2), bad[i].code);
        assert_error_mentions(ctx, "incomes[1]", bad[i].mention);
    }
    vipa_income ok = {VIPA_INCOME_VERSION, 1003, 2017, 5};
    assert_int_equal(vipa_ctx_add_incomes(ctx, &ok, 1), VIPA_OK);
    assert_int_equal(vipa_ctx_add_payments(ctx, NULL, 1), VIPA_E_INVALID);
    assert_int_equal(vipa_ctx_add_incomes(NULL, &ok, 1), VIPA_E_INVALID);
}

/* A batch longer than the records a batch looks ahead (8) fails on its last record as it
 * fails on its first: named in full (index of two digits, an id of 20), everything taken
 * back, the id maps too (the same records are accepted afterwards). The messages are
 * written here from the formats of the checks ("%s: field %s: %s %llu is not in the
 * context", "%s: field amount is %s; expected an amount ≥ 0.00"). */
static void long_batches_name_the_failing_record_in_full(void **state)
{
    vipa_ctx *ctx = *state;
    const vipa_id far = UINT64_MAX; /* 18446744073709551615 */
    size_t before = payment_like_count(ctx);
    vipa_payment ps[20];
    for (size_t i = 0; i < 20; i++)
        ps[i] = (vipa_payment){VIPA_PAYMENT_VERSION, 1, 0, 0, 2017, 100, 20171221};
    ps[19].amount = -1;
    assert_int_equal(vipa_ctx_add_payments(ctx, ps, 20), VIPA_E_RANGE);
    assert_string_equal(vipa_ctx_errmsg(ctx),
                        "payments[19]: field amount is -0.01; expected an amount ≥ 0.00");
    assert_int_equal(payment_like_count(ctx), before);

    vipa_income in[20];
    for (size_t i = 0; i < 20; i++)
        in[i] = (vipa_income){VIPA_INCOME_VERSION, 1005, 2000 + (int)i, 100};
    in[19].household = far;
    assert_int_equal(vipa_ctx_add_incomes(ctx, in, 20), VIPA_E_NOT_FOUND);
    assert_string_equal(vipa_ctx_errmsg(ctx),
                        "incomes[19] (household 18446744073709551615): field household: "
                        "household 18446744073709551615 is not in the context");
    assert_int_equal(vipa_ctx_add_incomes(ctx, in, 19), VIPA_OK); /* none was kept */

    vipa_linkage ls[12];
    for (size_t i = 0; i < 12; i++)
        ls[i] = fixture_linkage(100 + i, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2017, 1000);
    ls[11].household = 9999;
    assert_int_equal(vipa_ctx_add_linkages(ctx, ls, 12), VIPA_E_NOT_FOUND);
    assert_string_equal(vipa_ctx_errmsg(ctx), "linkages[11] (id 111): field household: "
                                              "household 9999 is not in the context");
    assert_int_equal(vipa_ctx_add_linkages(ctx, ls, 11), VIPA_OK); /* none was kept */

    vipa_contribution c = VIPA_CONTRIBUTION_INIT;
    c.household = far;
    c.entity = 1;
    c.kind = VIPA_CONTRIBUTION_LAND;
    c.value = 100;
    c.date = 20170101;
    assert_int_equal(vipa_ctx_add_contributions(ctx, &c, 1), VIPA_E_NOT_FOUND);
    assert_string_equal(vipa_ctx_errmsg(ctx),
                        "contributions[0] (household 18446744073709551615, entity 1): field "
                        "household: household 18446744073709551615 is not in the context");

    vipa_plan p = VIPA_PLAN_INIT;
    p.household = far;
    p.agreement = 1;
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_E_NOT_FOUND);
    assert_string_equal(vipa_ctx_errmsg(ctx),
                        "plans[0] (household 18446744073709551615, agreement 1): field "
                        "household: household 18446744073709551615 is not in the context");
}

/* Sums that would overflow are refused when the ledger is built, naming the household,
 * and the context is left as it was. */
static void overflowing_sums_are_refused_at_build(void **state)
{
    vipa_ctx *ctx = *state;
    const vipa_payment huge[] = {
        {VIPA_PAYMENT_VERSION, 1, 0, 0, 2018, INT64_MAX / 2 + 1, 20181220},
        {VIPA_PAYMENT_VERSION, 2, 0, 0, 2019, INT64_MAX / 2 + 1, 20191220},
    };
    assert_int_equal(vipa_ctx_add_payments(ctx, huge, 2), VIPA_OK);
    vipa_ledger *l = (vipa_ledger *)&l;
    assert_int_equal(vipa_ledger_build(&l, ctx), VIPA_E_OVERFLOW);
    assert_null(l);
    assert_error_mentions(ctx, "household 1001", "int64");
    assert_int_equal(vipa_ledger_build(NULL, ctx), VIPA_E_INVALID);
    assert_int_equal(vipa_ledger_build(&l, NULL), VIPA_E_INVALID);
}

/* A household holding shares is linked to the entity by a dividend linkage (二(三)),
 * whether the shares came from an injection or a transfer. Agreement 4 (signed) covers
 * 1005, which has no linkage of its own; injection 1 (1000.00 under agreement 1, dated
 * 2017-03-01) gives 1001 and 1002 350.00 each (70 % = 700.00, split equally), and
 * 1001 transfers 100.00 of them to 1005 on 2017-06-01. 1005 then holds 100.00 at the end
 * of 2017, under an agreement in force that covers it: covered, so 3 of 3. */
static void shares_by_transfer_count_as_a_linkage_for_coverage(void **state)
{
    vipa_ctx *ctx = *state;
    add_agreement(ctx, 4, 1, (const vipa_id[]){1005}, 1, 20161115);
    vipa_injection in = VIPA_INJECTION_INIT;
    in.id = 1;
    in.entity = 1;
    in.agreement = 1;
    in.date = 20170301;
    in.amount = 100000;
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    vipa_transfer t = VIPA_TRANSFER_INIT;
    t.entity = 1;
    t.from_kind = VIPA_HOLDER_HOUSEHOLD;
    t.from_id = 1001;
    t.to_kind = VIPA_HOLDER_HOUSEHOLD;
    t.to_id = 1005;
    t.amount = 10000;
    t.date = 20170601;
    assert_int_equal(vipa_ctx_add_transfers(ctx, &t, 1), VIPA_OK);

    vipa_ledger *l = build(ctx);
    size_t willing = 0, covered = 0;
    assert_int_equal(vipa_ledger_coverage(&willing, &covered, l, XINGSHUYUAN, 2017), VIPA_OK);
    assert_int_equal(willing, 3);
    assert_int_equal(covered, 3);
    vipa_fen held = 0;
    assert_int_equal(vipa_ledger_holding(&held, l, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 20171231), VIPA_OK);
    assert_int_equal(held, 25000); /* 350.00 - 100.00 */
    vipa_ledger_free(l);

    /* With a 10 % poor share 1001 would have got 50.00 and could not have given 100.00:
     * the ledger refuses to carry negative shares, and says why. */
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 1000), VIPA_OK);
    l = (vipa_ledger *)&l;
    assert_int_equal(vipa_ledger_build(&l, ctx), VIPA_E_STATE);
    assert_null(l);
    assert_error_mentions(ctx, "household 1001", "equity.poor_share_bp");
}

/* ENTITY_SELECTION (三(二)) applies to an entity that receives fiscal equity, even
 * without a signed agreement: entity 3 misses the "willing" criterion. */
static void fiscal_equity_needs_the_selection_criteria(void **state)
{
    vipa_ctx *ctx = *state;
    vipa_entity e = VIPA_ENTITY_INIT;
    e.id = 3;
    e.name = "示例家庭农场";
    e.kind = VIPA_ENTITY_FAMILY_FARM;
    e.core_village = CG_205;
    e.industry = "核桃";
    e.selection = VIPA_SELECT_ALL & ~VIPA_SELECT_WILLING;
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
    add_agreement(ctx, 5, 3, (const vipa_id[]){1003}, 1, 0);
    vipa_findings *f = NULL;
    assert_int_equal(vipa_check(&f, ctx), VIPA_OK);
    assert_false(has_finding(f, VIPA_RULE_ENTITY_SELECTION, VIPA_SUBJECT_ENTITY, 3, NULL, NULL));
    vipa_findings_free(f);

    vipa_injection in = VIPA_INJECTION_INIT;
    in.id = 7;
    in.entity = 3;
    in.agreement = 5;
    in.date = 20170301;
    in.amount = 100000;
    assert_int_equal(vipa_ctx_add_injections(ctx, &in, 1), VIPA_OK);
    assert_int_equal(vipa_check(&f, ctx), VIPA_OK);
    assert_true(has_finding(f, VIPA_RULE_ENTITY_SELECTION, VIPA_SUBJECT_ENTITY, 3, "8", "7"));
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        if (vipa_finding_rule(f, i) == VIPA_RULE_ENTITY_SELECTION)
            assert_non_null(strstr(vipa_finding_message(f, i), "received fiscal equity"));
    vipa_findings_free(f);
}

/* ---- the stored payment: 16 bytes (issue #16) ------------------------------------------ */

/* The packed day orders as YYYYMMDD does and gives back the day exactly, across every
 * kind of boundary (day, month, year, century, leap day) and at both ends of the range;
 * the other fields come back exactly at their ends too: the largest amount, the last
 * index below VIPA_RECORDS_MAX = 134,217,727, the years 1900 and 9999. */
static void a_packed_payment_gives_back_every_field(void **state)
{
    (void)state;
    assert_int_equal(sizeof(payment_rec), 16);
    const vipa_date days[] = {19000101, 19000102, 19000131, 19000201, 19001231, 19010101,
                              19991231, 20000101, 20000228, 20000229, 20000301, 20161130,
                              20161201, 20171231, 20180101, 99981231, 99991201, 99991230,
                              99991231};
    for (size_t i = 0; i < sizeof days / sizeof days[0]; i++) {
        payment_rec p = vipa__payment_pack(0, 0, 0, 1900, days[i]);
        assert_int_equal(vipa__payment_date(&p), days[i]);
        if (i > 0) {
            payment_rec q = vipa__payment_pack(0, 0, 0, 1900, days[i - 1]);
            /* the packed days, compared as numbers, in the order of the list */
            assert_true(q.bits >> VIPA_PAYMENT_DATE_SHIFT < p.bits >> VIPA_PAYMENT_DATE_SHIFT);
        }
    }
    const struct {
        vipa_fen amount;
        uint32_t target;
        int dividend, year;
        vipa_date date;
    } edges[] = {
        {INT64_MAX, 134217726u, 1, 9999, 99991231},
        {INT64_MAX, 134217726u, 0, 9999, 19000101},
        {0, 0, 0, 1900, 19000101},
        {0, 0, 1, 1900, 99991231},
        {1, 134217725u, 0, 2017, 20180215},
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) {
        payment_rec p = vipa__payment_pack(edges[i].amount, edges[i].target, edges[i].dividend,
                                           edges[i].year, edges[i].date);
        assert_int_equal(p.amount, edges[i].amount);
        assert_int_equal(vipa__payment_target(&p), edges[i].target);
        assert_int_equal(vipa__payment_is_dividend(&p), edges[i].dividend);
        assert_int_equal(vipa__payment_linkage(&p),
                         edges[i].dividend ? VIPA_NO_INDEX : edges[i].target);
        assert_int_equal(vipa__payment_year(&p), edges[i].year);
        assert_int_equal(vipa__payment_date(&p), edges[i].date);
        assert_int_equal(p.bits >> 63, 0); /* 63 bits: the top one unused */
    }
}

/* An agreement in force over the whole range of years, 1900-01-01..9999-12-31, for 1003. */
static void add_agreement_of_every_year(vipa_ctx *ctx)
{
    vipa_agreement a = fixture_agreement(9, 1, (const vipa_id[]){1003}, 1, 19000101);
    a.start = 19000101;
    a.end = 99991231;
    a.exit_deadline = 9999;
    fixture_add_agreement(ctx, a);
    vipa_linkage l = fixture_linkage(90, VIPA_LINKAGE_WAGE, 1003, 9, 1900, 9999, 100);
    assert_int_equal(vipa_ctx_add_linkages(ctx, &l, 1), VIPA_OK);
}

static char *exported(vipa_ctx *ctx)
{
    char *text = NULL;
    assert_int_equal(vipa_scenario_export(&text, NULL, ctx, 0), VIPA_OK);
    return text;
}

/* Payments for 1900 and 9999 dated 1900-01-01 and 9999-12-31 (on time, 8099 years late,
 * 8099 years early) count in the year they name, at each cut-off as dated, and survive
 * an export and a load unchanged. Worked by hand: linkage 90 is paid 0.01 + 0.04 for
 * 1900 (0.01 by 1900-01-01), 0.02 + 0.08 for 9999 (0.08 by 9999-12-30); entity 2's
 * dividend to 1003 for 9999 is INT64_MAX - 15 fen, so 1003's income of 9999 is
 * 0.02 + 0.08 + (INT64_MAX - 15) = INT64_MAX - 5 fen, and its payments' magnitudes
 * sum to exactly INT64_MAX (no overflow at build). */
static void payments_at_the_ends_of_the_years_and_days(void **state)
{
    vipa_ctx *ctx = *state;
    add_agreement_of_every_year(ctx);
    size_t first = ctx->payments.count, pairs = ctx->payment_dividends.count;
    const vipa_payment ps[] = {
        {VIPA_PAYMENT_VERSION, 90, 0, 0, 1900, 1, 19000101},
        {VIPA_PAYMENT_VERSION, 90, 0, 0, 9999, 2, 99991231},
        {VIPA_PAYMENT_VERSION, 90, 0, 0, 1900, 4, 99991231},
        {VIPA_PAYMENT_VERSION, 90, 0, 0, 9999, 8, 19000101},
        {VIPA_PAYMENT_VERSION, 0, 2, 1003, 9999, INT64_MAX - 15, 99991231},
    };
    assert_int_equal(vipa_ctx_add_payments(ctx, ps, 5), VIPA_OK);
    assert_int_equal(ctx->payments.count, first + 5);
    assert_int_equal(ctx->payment_dividends.count, pairs + 1);
    uint32_t h1003 = VIPA_TABLE_FIND(ctx->households, 1003);
    for (size_t k = 0; k < 5; k++) {
        const payment_rec *p = &ctx->payments.items[first + k];
        assert_int_equal(p->amount, ps[k].amount);
        assert_int_equal(vipa__payment_year(p), ps[k].year);
        assert_int_equal(vipa__payment_date(p), ps[k].date);
        assert_int_equal(vipa__payment_household(ctx, p), h1003);
        assert_int_equal(vipa__payment_is_dividend(p), k == 4);
    }
    const payment_rec *d = &ctx->payments.items[first + 4];
    assert_int_equal(vipa__payment_target(d), pairs);
    assert_int_equal(vipa__payment_entity(ctx, d), VIPA_TABLE_FIND(ctx->entities, 2));

    vipa_ledger *l = build(ctx);
    assert_int_equal(paid_of(l, 90, 1900, 0), 5);
    assert_int_equal(paid_of(l, 90, 1900, 19000101), 1);
    assert_int_equal(paid_of(l, 90, 1900, 99991230), 1);
    assert_int_equal(paid_of(l, 90, 1900, 99991231), 5);
    assert_int_equal(paid_of(l, 90, 9999, 19000101), 8);
    assert_int_equal(paid_of(l, 90, 9999, 99991230), 8);
    assert_int_equal(paid_of(l, 90, 9999, 99991231), 10);
    assert_int_equal(paid_of(l, 90, 2017, 0), 0);
    vipa_fen v = -1;
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 2, 1003, 9999, 0), VIPA_OK);
    assert_int_equal(v, INT64_MAX - 15);
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 2, 1003, 9999, 99991230), VIPA_OK);
    assert_int_equal(v, 0);
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 1, 1003, 9999, 0), VIPA_OK);
    assert_int_equal(v, 0); /* entity 1 paid it nothing */
    assert_int_equal(vipa_ledger_dividend_paid(&v, l, 2, 1001, 9999, 0), VIPA_OK);
    assert_int_equal(v, 0); /* nor entity 2 another household */
    assert_int_equal(income_of(l, 1003, 9999, 0), INT64_MAX - 5);
    assert_int_equal(income_of(l, 1003, 1900, 0), 5);
    vipa_ledger_free(l);

    /* The export writes the days and years as added; loaded back, it writes the same. */
    char *text = exported(ctx);
    assert_has(text, "{\"linkage\":90,\"year\":1900,\"amount\":\"0.01\",\"date\":\"1900-01-01\"}");
    assert_has(text, "{\"linkage\":90,\"year\":1900,\"amount\":\"0.04\",\"date\":\"9999-12-31\"}");
    assert_has(text, "{\"linkage\":90,\"year\":9999,\"amount\":\"0.02\",\"date\":\"9999-12-31\"}");
    assert_has(text, "{\"linkage\":90,\"year\":9999,\"amount\":\"0.08\",\"date\":\"1900-01-01\"}");
    /* INT64_MAX - 15 = 9223372036854775792 fen */
    assert_has(text, "{\"dividend\":{\"entity\":2,\"household\":1003},\"year\":9999,"
                     "\"amount\":\"92233720368547757.92\",\"date\":\"9999-12-31\"}");
    vipa_ctx *again = fixture_new_ctx(NULL);
    const char *err = NULL;
    assert_int_equal(vipa_scenario_load(again, text, strlen(text), &err), VIPA_OK);
    char *text_again = exported(again);
    assert_string_equal(text, text_again);
    vipa_free(text);
    vipa_free(text_again);
    vipa_ctx_free(again);
}

/* A batch with a linkage payment and two dividend payments refused on its last record
 * takes all three back, the dividends' entities and households too: the context exports
 * the same bytes, and the same payments added again take the same places, so each
 * dividend's pair is its own (a pair left behind would shift them). A fork reads the
 * parent's pairs. */
static void a_refused_batch_takes_back_both_kinds_of_payment(void **state)
{
    vipa_ctx *ctx = *state;
    size_t payments = ctx->payments.count, pairs = ctx->payment_dividends.count;
    char *before = exported(ctx);
    const vipa_payment ps[] = {
        {VIPA_PAYMENT_VERSION, 1, 0, 0, 2018, 300000, 20181220},
        {VIPA_PAYMENT_VERSION, 0, 2, 1001, 2018, 4200, 20190110},
        {VIPA_PAYMENT_VERSION, 0, 1, 1002, 2018, 1700, 20190111},
        {VIPA_PAYMENT_VERSION, 0, 1, 9999, 2018, 100, 20190112},
    };
    assert_int_equal(vipa_ctx_add_payments(ctx, ps, 4), VIPA_E_NOT_FOUND);
    assert_error_mentions(ctx, "payments[3]", "household 9999");
    assert_int_equal(ctx->payments.count, payments);
    assert_int_equal(ctx->payment_dividends.count, pairs);
    char *after = exported(ctx);
    assert_string_equal(before, after);
    vipa_free(after);

    assert_int_equal(vipa_ctx_add_payments(ctx, ps, 3), VIPA_OK);
    assert_int_equal(ctx->payments.count, payments + 3);
    assert_int_equal(ctx->payment_dividends.count, pairs + 2);
    const payment_rec *p = &ctx->payments.items[payments];
    assert_int_equal(vipa__payment_linkage(&p[0]), VIPA_TABLE_FIND(ctx->linkages, 1));
    assert_int_equal(vipa__payment_household(ctx, &p[0]), VIPA_TABLE_FIND(ctx->households, 1001));
    assert_int_equal(vipa__payment_target(&p[1]), pairs);
    assert_int_equal(vipa__payment_entity(ctx, &p[1]), VIPA_TABLE_FIND(ctx->entities, 2));
    assert_int_equal(vipa__payment_household(ctx, &p[1]), VIPA_TABLE_FIND(ctx->households, 1001));
    assert_int_equal(vipa__payment_target(&p[2]), pairs + 1);
    assert_int_equal(vipa__payment_entity(ctx, &p[2]), VIPA_TABLE_FIND(ctx->entities, 1));
    assert_int_equal(vipa__payment_household(ctx, &p[2]), VIPA_TABLE_FIND(ctx->households, 1002));

    /* 1001's 2018: 3000.00 from linkage 1 and 42.00 from entity 2; 1002's: 17.00. */
    vipa_ctx *fork = NULL;
    assert_int_equal(vipa_ctx_fork(&fork, ctx), VIPA_OK);
    vipa_ctx *both[2] = {ctx, fork};
    for (size_t i = 0; i < 2; i++) {
        vipa_ledger *l = build(both[i]);
        vipa_fen v = -1;
        assert_int_equal(vipa_ledger_dividend_paid(&v, l, 2, 1001, 2018, 0), VIPA_OK);
        assert_int_equal(v, 4200);
        assert_int_equal(vipa_ledger_dividend_paid(&v, l, 1, 1002, 2018, 20190110), VIPA_OK);
        assert_int_equal(v, 0);
        assert_int_equal(vipa_ledger_dividend_paid(&v, l, 1, 1002, 2018, 20190111), VIPA_OK);
        assert_int_equal(v, 1700);
        assert_int_equal(income_of(l, 1001, 2018, 0), 304200);
        assert_int_equal(income_of(l, 1002, 2018, 0), 1700);
        vipa_ledger_free(l);
    }
    char *of_fork = exported(fork);
    char *of_parent = exported(ctx);
    assert_string_equal(of_fork, of_parent);
    vipa_free(of_fork);
    vipa_free(of_parent);
    vipa_ctx_free(fork);
    vipa_free(before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(dues_are_derived_per_kind_and_year, setup, teardown),
        cmocka_unit_test_setup_teardown(a_late_payment_counts_in_the_year_but_not_at_an_earlier_cutoff, setup, teardown),
        cmocka_unit_test_setup_teardown(the_exit_standard_with_and_without_guarantees, setup, teardown),
        cmocka_unit_test_setup_teardown(coverage_leaves_out_the_unwilling_and_the_exited, setup, teardown),
        cmocka_unit_test_setup_teardown(the_checks_of_a_year_at_a_cutoff, setup, teardown),
        cmocka_unit_test_setup_teardown(payments_found_among_the_households, setup, teardown),
        cmocka_unit_test_setup_teardown(payments_found_in_mixed_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(payments_found_in_a_list, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_linkages_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_payments_and_incomes_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(long_batches_name_the_failing_record_in_full, setup, teardown),
        cmocka_unit_test_setup_teardown(overflowing_sums_are_refused_at_build, setup, teardown),
        cmocka_unit_test_setup_teardown(shares_by_transfer_count_as_a_linkage_for_coverage, setup, teardown),
        cmocka_unit_test_setup_teardown(fiscal_equity_needs_the_selection_criteria, setup, teardown),
        cmocka_unit_test(a_packed_payment_gives_back_every_field),
        cmocka_unit_test_setup_teardown(payments_at_the_ends_of_the_years_and_days, setup, teardown),
        cmocka_unit_test_setup_teardown(a_refused_batch_takes_back_both_kinds_of_payment, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
