/*
 * Every explanation agrees with the decision it explains (issue #14, "one place per
 * rule"): on every scenario of tests/scenarios/, on the bundled sample and on generated
 * provinces, each check an agreement's explanation computes (OBLIGATIONS_PAID,
 * DIVIDEND_PAID_AS_AGREED, EXIT_BY_DEADLINE, PLAN_TASKS_MET, COVERAGE_CORE_VILLAGE, the
 * promised count) fails exactly when the evaluation lists that rule and subject among
 * its failed checks, with the same figure; and each household's explained exit standard
 * is the year's figure (met or not, and the income).
 *
 * The explanation and the run are written apart (run_explain.c, run.c, run_result.c), so a
 * rule computed twice and drifting would show here.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gen.h"
#include "vipa.h"

#ifndef VIPA_SOURCE_ROOT
#error "VIPA_SOURCE_ROOT must name the source tree"
#endif

/* The rules whose failures an agreement's explanation decides from figures. The
 * records-only ones (AGREEMENT_CONTENT, PLAN_*, LINKAGE_UNDER_AGREEMENT and a plan's
 * target after its agreement's deadline) are copied into it, not recomputed. */
static int explained(vipa_rule rule, const char *expected)
{
    switch (rule) {
    case VIPA_RULE_OBLIGATIONS_PAID:
    case VIPA_RULE_DIVIDEND_PAID_AS_AGREED:
    case VIPA_RULE_PLAN_TASKS_MET:
    case VIPA_RULE_COVERAGE_CORE_VILLAGE:
    case VIPA_RULE_EVALUATION_OUTCOME:
        return 1;
    case VIPA_RULE_EXIT_BY_DEADLINE: /* money, not the records finding's years */
        return expected && strchr(expected, '.') != NULL;
    default:
        return 0;
    }
}

/* The decided steps of one evaluation: those after the cut-off step dated `date`, up to
 * the next cut-off. */
typedef struct verdict {
    vipa_rule rule;
    vipa_subject_kind kind;
    uint64_t subject;
    vipa_fen amount;
    int passed;
} verdict;

static size_t verdicts_of(const vipa_explanation *x, vipa_date date, verdict *out, size_t max)
{
    size_t n = 0, steps = vipa_explanation_step_count(x);
    int inside = 0;
    for (size_t i = 0; i < steps; i++) {
        vipa_step_kind kind;
        vipa_rule rule;
        vipa_fen amount;
        vipa_date on;
        const char *text;
        assert_int_equal(vipa_explanation_step(&kind, &rule, &amount, &on, &text, x, i), VIPA_OK);
        if (kind == VIPA_STEP_CUTOFF)
            inside = on == date;
        verdict v = {rule, VIPA_SUBJECT_NONE, 0, amount, 0};
        if (!inside || vipa_explanation_verdict(&v.passed, &v.kind, &v.subject, x, i) != VIPA_OK)
            continue;
        assert_true(n < max);
        out[n++] = v;
    }
    return n;
}

static void yuan(char *buf, vipa_fen amount)
{
    assert_int_equal(vipa_fen_format(buf, VIPA_FEN_FORMAT_SIZE, amount), VIPA_OK);
}

enum { VERDICTS_MAX = 1 << 16 };

static const char *current = "?"; /* the scenario being compared, for messages */

/* One evaluation of an agreement: its failed checks against the explanation's verdicts. */
static void check_evaluation(const vipa_result *r, size_t y, size_t i, verdict *v, size_t *checks)
{
    vipa_id agreement, entity;
    vipa_date date;
    int recheck;
    vipa_outcome outcome;
    int year = vipa_result_year(r, y);
    assert_int_equal(vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &outcome,
                                                 r, y, i), VIPA_OK);
    vipa_explanation *x = NULL;
    assert_int_equal(vipa_explain_agreement(&x, r, agreement, year), VIPA_OK);
    size_t n = verdicts_of(x, date, v, VERDICTS_MAX);
    size_t failed = vipa_result_year_failed_count(r, y, i), decided_failures = 0;
    for (size_t k = 0; k < failed; k++) {
        vipa_rule rule;
        vipa_subject_kind kind;
        uint64_t subject;
        const char *expected, *actual;
        assert_int_equal(vipa_result_year_failed(&rule, &kind, &subject, &expected, &actual, r,
                                                 y, i, k), VIPA_OK);
        if (!explained(rule, expected))
            continue;
        decided_failures++;
        size_t m = 0;
        while (m < n && !(v[m].rule == rule && v[m].kind == kind && v[m].subject == subject &&
                          !v[m].passed))
            m++;
        if (m == n)
            fail_msg("%s: agreement %llu, %d, evaluation on %ld: failed %s of %s %llu is not a "
                     "failed step of its explanation", current, (unsigned long long)agreement, year,
                     (long)date, vipa_rule_id(rule), vipa_subject_kind_name(kind),
                     (unsigned long long)subject);
        char amount[VIPA_FEN_FORMAT_SIZE];
        yuan(amount, v[m].amount);
        /* Dues are the expected amount; incomes the actual one. */
        if (rule == VIPA_RULE_OBLIGATIONS_PAID || rule == VIPA_RULE_DIVIDEND_PAID_AS_AGREED)
            assert_string_equal(amount, expected);
        if (rule == VIPA_RULE_EXIT_BY_DEADLINE || rule == VIPA_RULE_PLAN_TASKS_MET)
            assert_string_equal(amount, actual);
    }
    *checks += n; /* every verdict: the passed ones were matched against no failed check */
    size_t step_failures = 0;
    for (size_t m = 0; m < n; m++)
        step_failures += !v[m].passed;
    if (step_failures != decided_failures)
        fail_msg("%s: agreement %llu, %d, evaluation on %ld: the explanation fails %zu checks, "
                 "the evaluation %zu", current, (unsigned long long)agreement, year, (long)date,
                 step_failures, decided_failures);
    vipa_explanation_free(x);
}

/* One household's year: the explained exit standard is the year's figure. */
static void check_household_year(const vipa_result *r, size_t y, size_t i, size_t *checks)
{
    vipa_id id;
    vipa_fen income, line;
    int meets, found = 0, year = vipa_result_year(r, y);
    assert_int_equal(vipa_result_year_household(&id, &income, &line, &meets, r, y, i), VIPA_OK);
    vipa_explanation *x = NULL;
    assert_int_equal(vipa_explain_household(&x, r, id, year), VIPA_OK);
    for (size_t s = 0; s < vipa_explanation_step_count(x); s++) {
        vipa_step_kind kind;
        vipa_rule rule;
        vipa_fen amount;
        vipa_date on;
        const char *text;
        int passed;
        vipa_subject_kind about;
        uint64_t subject;
        assert_int_equal(vipa_explanation_step(&kind, &rule, &amount, &on, &text, x, s), VIPA_OK);
        if (kind != VIPA_STEP_STANDARD ||
            vipa_explanation_verdict(&passed, &about, &subject, x, s) != VIPA_OK)
            continue;
        found = 1;
        assert_int_equal(about, VIPA_SUBJECT_HOUSEHOLD);
        assert_int_equal(subject, id);
        if (passed != meets || amount != income)
            fail_msg("%s: household %llu, %d: explained %s with income %lld, figured %s with %lld",
                     current, (unsigned long long)id, year, passed ? "met" : "not met", (long long)amount,
                     meets ? "met" : "not met", (long long)income);
    }
    assert_true(found);
    vipa_explanation_free(x);
    (*checks)++;
}

/* Every evaluation and (up to `households` per year) every household year of a result. */
static size_t check_result(const vipa_result *r, size_t households)
{
    verdict *v = malloc(VERDICTS_MAX * sizeof *v);
    assert_non_null(v);
    size_t checks = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++)
            check_evaluation(r, y, i, v, &checks);
        size_t n = vipa_result_year_household_count(r, y);
        for (size_t i = 0; i < n && i < households; i++)
            check_household_year(r, y, i, &checks);
    }
    free(v);
    return checks;
}

static char *slurp(const char *path, size_t *length)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    char *buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *length = (size_t)size;
    return buf;
}

/* Loads and runs a scenario file; 0 when it is meant to be refused (expect_error). */
static size_t check_file(const char *path)
{
    size_t length;
    char *json = slurp(path, &length);
    current = path;
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    size_t checks = 0;
    vipa_result *r = NULL;
    if (vipa_scenario_load(ctx, json, length, NULL) == VIPA_OK && vipa_run(&r, ctx, NULL) == VIPA_OK) {
        checks = check_result(r, SIZE_MAX);
        vipa_result_free(r);
    } else {
        assert_non_null(strstr(json, "\"expect_error\"")); /* only the bad inputs fail */
    }
    vipa_ctx_free(ctx);
    free(json);
    return checks;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void every_scenario_and_the_sample(void **state)
{
    (void)state;
    const char *dir = VIPA_SOURCE_ROOT "/tests/scenarios";
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[512];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 && n < 512)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    size_t checks = 0;
    for (size_t i = 0; i < n; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        checks += check_file(path);
        free(names[i]);
    }
    checks += check_file(VIPA_SOURCE_ROOT "/examples/shangluo-sample.json");
    print_message("%zu scenario files and the sample: %zu decisions compared\n", n, checks);
    assert_true(n >= 40);
    assert_true(checks > 1000);
}

/* A province from the benchmark's generator (bench/gen.h): every kind of linkage, late
 * and short payments, dividends, plans with income tasks, an evaluation and a re-check. */
static void load_generated(vipa_ctx *ctx, uint64_t households, uint64_t seed)
{
    vipa_fen line;
    assert_int_equal(vipa_poverty_line(&line, ctx, GEN_YEAR), VIPA_OK);
    gen g;
    assert_int_equal(gen_init(&g, households, seed, line), VIPA_OK);
    vipa_area *areas = NULL;
    size_t n_areas = 0;
    char *names = NULL;
    assert_int_equal(gen_areas(&g, &areas, &n_areas, &names), VIPA_OK);
    assert_int_equal(vipa_ctx_add_areas(ctx, areas, n_areas), VIPA_OK);
    gen_batch b;
    memset(&b, 0, sizeof b);
    assert_int_equal(gen_batch_make(&g, 0, g.agreements, &b), VIPA_OK);
    assert_int_equal(vipa_ctx_add_entities(ctx, b.entities, b.na), VIPA_OK);
    assert_int_equal(vipa_ctx_add_households(ctx, b.households, b.nh), VIPA_OK);
    assert_int_equal(vipa_ctx_add_agreements(ctx, b.agreements, b.na), VIPA_OK);
    assert_int_equal(vipa_ctx_add_plans(ctx, b.plans, b.nh), VIPA_OK);
    assert_int_equal(vipa_ctx_add_assured(ctx, b.assured, b.nh), VIPA_OK);
    assert_int_equal(vipa_ctx_add_incomes(ctx, b.incomes, b.nh), VIPA_OK);
    assert_int_equal(vipa_ctx_add_linkages(ctx, b.linkages, b.nl), VIPA_OK);
    assert_int_equal(vipa_ctx_add_injections(ctx, b.injections, b.na), VIPA_OK);
    assert_int_equal(vipa_ctx_add_dividends(ctx, b.dividends, b.na), VIPA_OK);
    assert_int_equal(vipa_ctx_add_payments(ctx, b.payments, b.np), VIPA_OK);
    vipa_evaluation e[2];
    gen_evaluations(e);
    assert_int_equal(vipa_ctx_add_evaluations(ctx, e, 2), VIPA_OK);
    gen_batch_free(&b);
    free(areas);
    free(names);
    gen_free(&g);
}

static void generated_provinces(void **state)
{
    (void)state;
    static const uint64_t seeds[] = {1, 2, 3};
    for (size_t s = 0; s < sizeof seeds / sizeof seeds[0]; s++) {
        vipa_ctx *ctx = NULL;
        assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
        load_generated(ctx, 3000, seeds[s]);
        current = "a generated province";
        vipa_result *r = NULL;
        assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
        size_t checks = check_result(r, 300);
        print_message("province of 3000 households, seed %llu: %zu decisions compared\n",
                      (unsigned long long)seeds[s], checks);
        assert_true(checks > 100);
        vipa_result_free(r);
        vipa_ctx_free(ctx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_scenario_and_the_sample),
        cmocka_unit_test(generated_provinces),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
