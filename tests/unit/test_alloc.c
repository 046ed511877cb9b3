/*
 * Out of memory anywhere (issue #9): an allocator that fails at the k-th allocation,
 * for every k along a full load, run, report, explanation and check, shows no crash, no
 * leak (every block given back), and a context left as it was by the failing call.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"
#include "support.h"

/* The seed scenario of the fuzzer: every record kind, an evaluation and a re-check. */
static const char scenario[] =
    "{ \"vipa\": 1,\n"
    "  \"areas\": [ { \"code\": \"611002000000\", \"name\": \"商州区\", \"level\": \"county\" },\n"
    "             { \"code\": \"611002001000\", \"name\": \"城关街道\", \"level\": \"town\", \"industry\": \"核桃\" },\n"
    "             { \"code\": \"611002001204\", \"name\": \"杏树园村\", \"level\": \"village\" } ],\n"
    "  \"entities\": [ { \"id\": 1, \"name\": \"示例合作社\", \"kind\": \"cooperative\", \"core_village\": \"611002001204\",\n"
    "                  \"industry\": \"核桃\", \"selection\": { \"well_managed\": true, \"profitable\": true } } ],\n"
    "  \"households\": [ { \"id\": 1001, \"village\": \"611002001204\", \"members\": 4, \"labour\": 2, \"cause\": \"illness\",\n"
    "                    \"willing\": true, \"exited\": null, \"assured\": { \"2017\": [\"food_clothing\",\"education\",\"medical\",\"housing\",\"water\"] } },\n"
    "                  { \"id\": 1002, \"village\": \"611002001204\", \"members\": 2, \"labour\": 1, \"cause\": \"lack_of_skills\",\n"
    "                    \"willing\": true, \"exited\": null } ],\n"
    "  \"agreements\": [ { \"id\": 1, \"entity\": 1, \"households\": [1001, 1002], \"household_count\": 2,\n"
    "                    \"projects\": [\"核桃种植\"], \"support\": [\"贴息贷款\"], \"start\": \"2016-11-01\", \"end\": \"2019-12-31\",\n"
    "                    \"exit_deadline\": 2018, \"signed\": \"2016-11-15\", \"signer\": { \"level\": \"village\", \"area\": \"611002001204\" } } ],\n"
    "  \"plans\": [ { \"household\": 1001, \"agreement\": 1, \"exit_target\": 2017, \"industries\": [\"核桃\"], \"measures\": [\"务工\"],\n"
    "               \"tasks\": [ { \"year\": 2017, \"income\": \"12000.00\" } ], \"filed\": [\"county\",\"town\",\"village\"],\n"
    "               \"persons\": [ { \"member\": 1, \"task\": \"务工\" } ] } ],\n"
    "  \"linkages\": [ { \"id\": 1, \"kind\": \"wage\", \"household\": 1001, \"entity\": 1, \"agreement\": 1, \"from\": 2017, \"to\": 2019, \"annual\": \"3600.00\" },\n"
    "                { \"id\": 2, \"kind\": \"land_rent\", \"household\": 1002, \"entity\": 1, \"agreement\": 1, \"from\": 2017, \"to\": 2018,\n"
    "                  \"area_mu\": \"2.50\", \"rent_per_mu\": \"500.00\" },\n"
    "                { \"id\": 3, \"kind\": \"participation\", \"household\": 1002, \"entity\": 1, \"agreement\": 1, \"from\": 2017, \"to\": 2017, \"annual\": 2000 } ],\n"
    "  \"injections\": [ { \"id\": 1, \"entity\": 1, \"agreement\": 1, \"date\": \"2016-12-01\", \"amount\": \"100000.00\", \"allocation\": \"per_member\" } ],\n"
    "  \"contributions\": [ { \"household\": 1001, \"entity\": 1, \"kind\": \"land\", \"value\": \"5000.00\", \"date\": \"2017-01-01\" } ],\n"
    "  \"dividends\": [ { \"entity\": 1, \"year\": 2017, \"rate_bp\": 800 } ],\n"
    "  \"payments\": [ { \"linkage\": 1, \"year\": 2017, \"amount\": \"3600.00\", \"date\": \"2017-12-20\" },\n"
    "                { \"linkage\": 2, \"year\": 2017, \"amount\": \"1250.00\", \"date\": \"2018-02-20\" },\n"
    "                { \"dividend\": { \"entity\": 1, \"household\": 1001 }, \"year\": 2017, \"amount\": \"4000.00\", \"date\": \"2018-01-10\" } ],\n"
    "  \"incomes\": [ { \"household\": 1001, \"year\": 2017, \"other\": \"8000.00\" } ],\n"
    "  \"evaluations\": [ { \"year\": 2017, \"date\": \"2018-01-31\" }, { \"year\": 2017, \"date\": \"2018-04-30\", \"recheck\": true } ]\n"
    "}\n";

static size_t records(const vipa_ctx *ctx)
{
    return vipa_ctx_area_count(ctx) + vipa_ctx_entity_count(ctx) +
           vipa_ctx_household_count(ctx) + vipa_ctx_agreement_count(ctx) +
           vipa_ctx_plan_count(ctx);
}

static int explain_agreement(const vipa_result *r)
{
    vipa_explanation *x = NULL;
    int rc = vipa_explain_agreement(&x, r, 1, 2017);
    vipa_explanation_free(x);
    return rc;
}

/* Everything a caller does with a loaded context; VIPA_OK or the first failure. */
static int use(vipa_ctx *ctx)
{
    vipa_result *r = NULL;
    int rc = vipa_run(&r, ctx, NULL);
    if (rc != VIPA_OK)
        return rc;
    char *json = NULL;
    vipa_explanation *x = NULL;
    vipa_findings *f = NULL;
    if ((rc = vipa_report_json(&json, NULL, r, 0)) == VIPA_OK &&
        (rc = vipa_explain_household(&x, r, 1001, 2017)) == VIPA_OK &&
        (rc = explain_agreement(r)) == VIPA_OK)
        rc = vipa_check(&f, ctx);
    vipa_free(json);
    vipa_explanation_free(x);
    vipa_findings_free(f);
    vipa_result_free(r);
    return rc;
}

static void every_allocation_may_fail(void **state)
{
    (void)state;
    int completed = 0;
    long k;
    for (k = 1; !completed && k < 100000; k++) {
        test_allocator c = {k - 1, 0}; /* the k-th allocation fails */
        vipa_ctx_options o = test_allocator_options(&c);
        vipa_ctx *ctx = NULL;
        int rc = vipa_ctx_new(&ctx, &o);
        if (rc == VIPA_OK) {
            rc = vipa_scenario_load(ctx, scenario, sizeof scenario - 1, NULL);
            if (rc != VIPA_OK)
                assert_int_equal(records(ctx), 0); /* a failed load changes nothing */
            else
                rc = use(ctx);
            if (rc == VIPA_OK)
                completed = 1;
        }
        if (rc != VIPA_OK) {
            if (rc != VIPA_E_NOMEM)
                fail_msg("allocation %ld failing gave %s: %s", k, vipa_error_name(rc),
                         vipa_ctx_errmsg(ctx));
        }
        vipa_ctx_free(ctx);
        if (c.live != 0)
            fail_msg("allocation %ld failing leaked %ld blocks", k, c.live);
    }
    assert_true(completed);
    print_message("every one of %ld allocations failed in turn: clean\n", k - 2);
    assert_true(k > 50); /* the sweep went through many failure points */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_allocation_may_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
