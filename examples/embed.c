/*
 * Embedding libvipa in a platform, step by step (docs/guide.md walks through it):
 *
 *   1. context       vipa_ctx_new(): one per data set, holding the profile and records
 *   2. records       vipa_ctx_add_*(): what the platform's database holds, in batches
 *   3. run           vipa_run(): every evaluation of the year, in date order
 *   4. results       vipa_result_*(): coverage, outcomes, status, disclosure, findings
 *   5. explanations  vipa_explain_*(): every number behind a result, with its clause
 *
 * The data: one cooperative in 杏树园村 has signed an agreement with two poor households.
 * Household 1001 works for it (wage 3,600.00 a year); household 1002 has transferred
 * 2.50 mu of land to it (rent 500.00 per mu). The 2017 rent is short by 250.00 at the
 * evaluation of 2018-01-31, so the agreement goes into rectification (督促整改); the
 * rest is paid on 2018-03-01, so the re-check of 2018-04-30 restores it. The program
 * checks that this is what the library finds, and exits 1 if it is not, so the test
 * suite can run it.
 *
 * Build against an installed library:  cc embed.c $(pkg-config --cflags --libs vipa)
 */
#include <stdio.h>
#include <stdlib.h>

#include <vipa.h>

/* Stops the program with the library's detail when a call fails: in a platform, this is
 * where a record would be reported back to the user, naming what was wrong. */
#define CHECK(ctx, call)                                                                  \
    do {                                                                                  \
        int rc_ = (call);                                                                 \
        if (rc_ != VIPA_OK) {                                                             \
            fprintf(stderr, "%s failed: %s: %s\n", #call, vipa_error_name(rc_),           \
                    (ctx) != NULL ? vipa_ctx_errmsg(ctx) : vipa_strerror(rc_));           \
            exit(1);                                                                      \
        }                                                                                 \
    } while (0)

/* Area codes: 12-digit statistical division codes (county, town, village). */
#define SHANGZHOU 611002000000ULL
#define CHENGGUAN 611002001000ULL
#define XINGSHUYUAN 611002001204ULL

static vipa_date day(int year, int month, int dd)
{
    vipa_date d = 0;
    CHECK(NULL, vipa_date_make(&d, year, month, dd));
    return d;
}

/* ---- 2. records --------------------------------------------------------------------- */

static void add_records(vipa_ctx *ctx)
{
    /* Areas, then everything that refers to them. Strings are borrowed for the call:
     * the library copies what it keeps. */
    vipa_area areas[3] = {VIPA_AREA_INIT, VIPA_AREA_INIT, VIPA_AREA_INIT};
    areas[0].code = SHANGZHOU, areas[0].level = VIPA_AREA_COUNTY, areas[0].name = "商州区";
    areas[1].code = CHENGGUAN, areas[1].level = VIPA_AREA_TOWN, areas[1].name = "城关街道";
    areas[1].industry = "核桃"; /* 一镇一业: the town's designated industry */
    areas[2].code = XINGSHUYUAN, areas[2].level = VIPA_AREA_VILLAGE, areas[2].name = "杏树园村";
    CHECK(ctx, vipa_ctx_add_areas(ctx, areas, 3));

    vipa_entity coop = VIPA_ENTITY_INIT;
    coop.id = 1;
    coop.name = "杏树园核桃专业合作社";
    coop.kind = VIPA_ENTITY_COOPERATIVE;
    coop.core_village = XINGSHUYUAN;
    coop.industry = "核桃";
    coop.selection = VIPA_SELECT_ALL; /* meets the eight criteria of 三(二) */
    CHECK(ctx, vipa_ctx_add_entities(ctx, &coop, 1));

    vipa_household hh[2] = {VIPA_HOUSEHOLD_INIT, VIPA_HOUSEHOLD_INIT};
    hh[0].id = 1001, hh[0].village = XINGSHUYUAN, hh[0].members = 2, hh[0].labour = 1;
    hh[0].cause = VIPA_CAUSE_ILLNESS, hh[0].willing = 1;
    hh[1].id = 1002, hh[1].village = XINGSHUYUAN, hh[1].members = 3, hh[1].labour = 2;
    hh[1].cause = VIPA_CAUSE_LACK_OF_SKILLS, hh[1].willing = 1;
    CHECK(ctx, vipa_ctx_add_households(ctx, hh, 2));

    /* 两不愁三保障: both households hold every guarantee in 2017. */
    vipa_assured assured[2] = {VIPA_ASSURED_INIT, VIPA_ASSURED_INIT};
    assured[0].household = 1001, assured[0].year = 2017, assured[0].items = VIPA_ASSURED_ITEMS_ALL;
    assured[1].household = 1002, assured[1].year = 2017, assured[1].items = VIPA_ASSURED_ITEMS_ALL;
    CHECK(ctx, vipa_ctx_add_assured(ctx, assured, 2));

    /* The agreement (四(二)): one village, so the village committee signs. */
    static const vipa_id covered[2] = {1001, 1002};
    vipa_agreement ag = VIPA_AGREEMENT_INIT;
    ag.id = 1;
    ag.entity = 1;
    ag.households = covered;
    ag.household_len = 2;
    ag.household_count = 2;
    ag.project_count = 1; /* e.g. 核桃提质增效 */
    ag.support_count = 1; /* e.g. 产业奖补 */
    ag.start = day(2016, 12, 1);
    ag.end = day(2019, 12, 31);
    ag.exit_deadline = 2018;
    ag.signed_on = day(2016, 11, 15);
    ag.signer_level = VIPA_SIGNER_VILLAGE;
    ag.signer_area = XINGSHUYUAN;
    CHECK(ctx, vipa_ctx_add_agreements(ctx, &ag, 1));

    /* One plan per household (四(三)), filed at county, town and village. */
    static const int task_years[1] = {2017};
    vipa_plan plans[2] = {VIPA_PLAN_INIT, VIPA_PLAN_INIT};
    for (int i = 0; i < 2; i++) {
        plans[i].household = covered[i];
        plans[i].agreement = 1;
        plans[i].industry_count = 1;
        plans[i].measure_count = 1;
        plans[i].task_years = task_years;
        plans[i].task_len = 1;
        plans[i].filed = VIPA_FILED_ALL;
    }
    plans[0].exit_target = 2017;
    plans[1].exit_target = 2018;
    CHECK(ctx, vipa_ctx_add_plans(ctx, plans, 2));

    /* Benefit linkages (二(三)): money is in fen, 0.01 yuan; land in 0.01 mu. */
    vipa_linkage lk[2] = {VIPA_LINKAGE_INIT, VIPA_LINKAGE_INIT};
    lk[0].id = 1, lk[0].kind = VIPA_LINKAGE_WAGE, lk[0].household = 1001;
    lk[0].entity = 1, lk[0].agreement = 1, lk[0].from_year = 2017, lk[0].to_year = 2017;
    lk[0].annual = 360000; /* 3,600.00 a year */
    lk[1].id = 2, lk[1].kind = VIPA_LINKAGE_LAND_RENT, lk[1].household = 1002;
    lk[1].entity = 1, lk[1].agreement = 1, lk[1].from_year = 2017, lk[1].to_year = 2017;
    lk[1].area_cmu = 250;     /* 2.50 mu */
    lk[1].rent_per_mu = 50000; /* 500.00 per mu: 1,250.00 due */
    CHECK(ctx, vipa_ctx_add_linkages(ctx, lk, 2));

    /* Payments count for the year they name, at an evaluation only if dated by then. */
    vipa_payment pay[3] = {VIPA_PAYMENT_INIT, VIPA_PAYMENT_INIT, VIPA_PAYMENT_INIT};
    pay[0].linkage = 1, pay[0].year = 2017, pay[0].amount = 360000, pay[0].date = day(2017, 12, 20);
    pay[1].linkage = 2, pay[1].year = 2017, pay[1].amount = 100000, pay[1].date = day(2017, 12, 20);
    pay[2].linkage = 2, pay[2].year = 2017, pay[2].amount = 25000, pay[2].date = day(2018, 3, 1);
    CHECK(ctx, vipa_ctx_add_payments(ctx, pay, 3));

    vipa_income other[2] = {VIPA_INCOME_INIT, VIPA_INCOME_INIT};
    other[0].household = 1001, other[0].year = 2017, other[0].other = 300000;
    other[1].household = 1002, other[1].year = 2017, other[1].other = 600000;
    CHECK(ctx, vipa_ctx_add_incomes(ctx, other, 2));

    /* The annual evaluation of 2017 (四(五)) and its re-check after rectification. */
    vipa_evaluation ev[2] = {VIPA_EVALUATION_INIT, VIPA_EVALUATION_INIT};
    ev[0].year = 2017, ev[0].date = day(2018, 1, 31);
    ev[1].year = 2017, ev[1].date = day(2018, 4, 30), ev[1].recheck = 1;
    CHECK(ctx, vipa_ctx_add_evaluations(ctx, ev, 2));
}

/* ---- 4. results ------------------------------------------------------------------------ */

/* Prints the results; returns the outcomes of agreement 1 in date order, for the check. */
static size_t print_results(const vipa_result *res, vipa_outcome outcomes[4])
{
    size_t seen = 0;
    char a[VIPA_FEN_FORMAT_SIZE], b[VIPA_FEN_FORMAT_SIZE], d[VIPA_DATE_FORMAT_SIZE];
    printf("stamp: library %s, profile %s, input %.16s...\n", vipa_result_stamp(res, "library"),
           vipa_result_stamp(res, "profile"), vipa_result_stamp(res, "input_sha256"));
    for (size_t y = 0; y < vipa_result_year_count(res); y++) {
        int year = vipa_result_year(res, y);
        for (size_t i = 0; i < vipa_result_year_household_count(res, y); i++) {
            vipa_id id;
            vipa_fen income, line;
            int meets;
            CHECK(NULL, vipa_result_year_household(&id, &income, &line, &meets, res, y, i));
            vipa_fen_format(a, sizeof a, income);
            vipa_fen_format(b, sizeof b, line);
            printf("%d household %llu: income %s, line x members %s, %s\n", year,
                   (unsigned long long)id, a, b, meets ? "meets the exit standard" : "not yet");
        }
        for (size_t i = 0; i < vipa_result_year_coverage_count(res, y); i++) {
            vipa_area_code village;
            size_t willing, covered;
            CHECK(NULL, vipa_result_year_coverage(&village, &willing, &covered, res, y, i));
            printf("%d coverage of village %llu: %zu of %zu willing households linked\n", year,
                   (unsigned long long)village, covered, willing);
        }
        for (size_t i = 0; i < vipa_result_year_evaluation_count(res, y); i++) {
            vipa_id agreement, entity;
            vipa_date date;
            int recheck;
            vipa_outcome outcome;
            CHECK(NULL, vipa_result_year_evaluation(&agreement, &entity, &date, &recheck,
                                                    &outcome, res, y, i));
            vipa_date_format(d, sizeof d, date);
            printf("%d %s of agreement %llu on %s: %s\n", year, recheck ? "re-check" : "evaluation",
                   (unsigned long long)agreement, d, vipa_outcome_name(outcome));
            if (agreement == 1 && seen < 4)
                outcomes[seen++] = outcome;
            for (size_t k = 0; k < vipa_result_year_failed_count(res, y, i); k++) {
                vipa_rule rule;
                vipa_subject_kind kind;
                uint64_t subject;
                const char *expected, *actual;
                CHECK(NULL, vipa_result_year_failed(&rule, &kind, &subject, &expected, &actual,
                                                    res, y, i, k));
                printf("    failed %s (%s): %s %llu, expected %s, actual %s\n", vipa_rule_id(rule),
                       vipa_rule_clause(rule), vipa_subject_kind_name(kind),
                       (unsigned long long)subject, expected ? expected : "-",
                       actual ? actual : "-");
            }
        }
    }
    for (size_t i = 0; i < vipa_result_entity_count(res); i++) {
        vipa_id id;
        vipa_entity_status status;
        vipa_date on;
        size_t favoured;
        CHECK(NULL, vipa_result_entity(&id, &status, &on, &favoured, res, i));
        printf("entity %llu: %s, favoured for %zu year(s)\n", (unsigned long long)id,
               vipa_entity_status_name(status), favoured);
    }
    const vipa_findings *f = vipa_result_findings(res);
    printf("findings: %zu (%zu of severity error)\n", vipa_findings_count(f),
           vipa_findings_count_at_least(f, VIPA_SEVERITY_ERROR));
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        if (vipa_finding_severity(f, i) == VIPA_SEVERITY_ERROR)
            printf("  %s: %s\n", vipa_rule_id(vipa_finding_rule(f, i)), vipa_finding_message(f, i));
    return seen;
}

int main(void)
{
    /* 1. The context: the default profile shangluo-2016 (70 % poor share, the built-in
     *    poverty lines: 2,952.00 per person for 2017). */
    vipa_ctx *ctx = NULL;
    CHECK(NULL, vipa_ctx_new(&ctx, NULL));
    printf("libvipa %s, profile %s\n", vipa_version_string(), vipa_profile_name(ctx));

    /* 2. The records. (A platform that keeps scenario JSON would call
     *    vipa_scenario_load() instead: the same records, the same checks.) */
    add_records(ctx);
    printf("records: %zu households, %zu agreements, %zu plans\n", vipa_ctx_household_count(ctx),
           vipa_ctx_agreement_count(ctx), vipa_ctx_plan_count(ctx));

    /* 3. The run. The result reads the context's records: free it first. */
    vipa_result *res = NULL;
    CHECK(ctx, vipa_run(&res, ctx, NULL));

    /* 4. The results. */
    vipa_outcome outcomes[4] = {VIPA_OUTCOME_NONE};
    size_t n = print_results(res, outcomes);

    /* 5. Explanations: every number behind household 1002's year and the agreement's. */
    vipa_explanation *x = NULL;
    CHECK(NULL, vipa_explain_household(&x, res, 1002, 2017));
    printf("\nWhy household 1002 is where it is in 2017:\n%s", vipa_explanation_text(x));
    vipa_explanation_free(x);
    CHECK(NULL, vipa_explain_agreement(&x, res, 1, 2017));
    printf("\nWhy agreement 1 is where it is in 2017:\n%s", vipa_explanation_text(x));
    vipa_explanation_free(x);

    /* The report JSON, as `vipa run --json` prints it, for a platform to store. */
    char *json = NULL;
    size_t length = 0;
    CHECK(NULL, vipa_report_json(&json, &length, res, 0));
    printf("\nreport JSON: %zu bytes\n", length);
    vipa_free(json);

    vipa_result_free(res);
    vipa_ctx_free(ctx);

    /* What the scenario is built to show: rectification, then restored. */
    int ok = n == 2 && outcomes[0] == VIPA_OUTCOME_RECTIFICATION &&
             outcomes[1] == VIPA_OUTCOME_RESTORED;
    printf("%s: agreement 1 went into rectification and was restored\n", ok ? "OK" : "UNEXPECTED");
    return ok ? 0 : 1;
}
