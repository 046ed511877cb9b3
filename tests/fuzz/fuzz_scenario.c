/*
 * libFuzzer target: any bytes as a scenario. A load either succeeds, and then the run,
 * the report and an explanation must not crash or leak, or fails, and then the context
 * must be exactly as before (empty) with a message that says why.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vipa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const vipa_result *r)
{
    char *json = NULL;
    if (vipa_report_json(&json, NULL, r, 0) == VIPA_OK)
        vipa_free(json);
    vipa_id household = 0;
    int exit_year = 0;
    if (vipa_result_year_count(r) && vipa_result_household(&household, &exit_year, r, 0) == VIPA_OK) {
        vipa_explanation *x = NULL;
        if (vipa_explain_household(&x, r, household, vipa_result_year(r, 0)) == VIPA_OK)
            vipa_explanation_free(x);
    }
}

static int context_is_empty(const vipa_ctx *ctx)
{
    return vipa_ctx_area_count(ctx) == 0 && vipa_ctx_entity_count(ctx) == 0 &&
           vipa_ctx_household_count(ctx) == 0 && vipa_ctx_agreement_count(ctx) == 0 &&
           vipa_ctx_plan_count(ctx) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    vipa_ctx *ctx = NULL;
    if (vipa_ctx_new(&ctx, NULL) != VIPA_OK)
        return 0;
    const char *err = NULL;
    if (vipa_scenario_load(ctx, (const char *)data, size, &err) == VIPA_OK) {
        vipa_result *r = NULL;
        if (vipa_run(&r, ctx, NULL) == VIPA_OK)
            exercise(r);
        vipa_result_free(r);
    } else if (!err || !*err || !context_is_empty(ctx)) {
        abort(); /* a refusal must explain itself and change nothing */
    }
    vipa_ctx_free(ctx);
    return 0;
}
