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
#include "seed_scenario.h"


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
            rc = vipa_scenario_load(ctx, seed_scenario, sizeof seed_scenario - 1, NULL);
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
