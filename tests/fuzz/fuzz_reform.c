/*
 * libFuzzer target: any bytes as a reform file (vipa_reform_load) on a fork of a small
 * scenario with equity, exits and an evaluation. A reform that loads must compare with
 * its parent without a crash or a leak, and its comparison JSON be written; one that is
 * refused must say why and leave the fork's profile as it was: the comparison with the
 * parent then lists no change.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vipa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* tests/compare/guarantees.json with the first injection of equity_poor_share.json. */
static const char scenario[] =
    "{\"vipa\":1,\"as_of\":\"2018-03-31\",\"profile\":{\"base\":\"shangluo-2016\",\"params\":{\"exit.require_guarantees\":true,"
    "\"poverty_line\":{\"2017\":\"2952.00\"}}},\"areas\":[{\"code\":\"611002000000\",\"name\":\"商州区\","
    "\"level\":\"county\"},{\"code\":\"611002001000\",\"name\":\"城关街道\",\"level\":\"town\",\"industry\":\"walnut\"}"
    ",{\"code\":\"611002001204\",\"name\":\"杏树园村\",\"level\":\"village\"}],\"entities\":[{\"id\":1,"
    "\"name\":\"杏树园核桃专业合作社\",\"kind\":\"cooperative\",\"core_village\":\"611002001204\","
    "\"industry\":\"walnut\",\"selection\":{\"well_managed\":true,\"profitable\":true,\"financially_strong\":true,"
    "\"socially_responsible\":true,\"trustworthy\":true,\"wide_coverage\":true,\"sustainable\":true,"
    "\"willing\":true}}],\"households\":[{\"id\":1001,\"village\":\"611002001204\",\"members\":2,"
    "\"labour\":1,\"cause\":\"illness\",\"willing\":true,\"assured\":{\"2017\":[\"food_clothing\",\"education\","
    "\"medical\",\"housing\",\"water\"]}},{\"id\":1002,\"village\":\"611002001204\",\"members\":1,\"labour\":1,"
    "\"cause\":\"lack_of_skills\",\"willing\":true},{\"id\":1003,\"village\":\"611002001204\",\"members\":1,"
    "\"labour\":1,\"cause\":\"lack_of_water\",\"willing\":true,\"assured\":{\"2017\":[\"food_clothing\","
    "\"education\",\"medical\",\"housing\"]}}],\"agreements\":[{\"id\":1,\"entity\":1,\"households\":["
    "1001,1002,1003],\"household_count\":3,\"projects\":[\"核桃提质增效\"],\"support\":["
    "\"产业奖补\"],\"start\":\"2017-01-01\",\"end\":\"2019-12-31\",\"exit_deadline\":2018,\"signed\":\"2016-12-15\","
    "\"signer\":{\"level\":\"village\",\"area\":\"611002001204\"}}],\"plans\":[{\"household\":1001,"
    "\"agreement\":1,\"exit_target\":2017,\"industries\":[\"walnut\"],\"measures\":[\"合作社务工\"]"
    ",\"tasks\":[{\"year\":2017}],\"filed\":[\"county\",\"town\",\"village\"]},{\"household\":1002,"
    "\"agreement\":1,\"exit_target\":2018,\"industries\":[\"walnut\"],\"measures\":[\"合作社务工\"]"
    ",\"tasks\":[{\"year\":2017},{\"year\":2018}],\"filed\":[\"county\",\"town\",\"village\"]},{\"household\":1003,"
    "\"agreement\":1,\"exit_target\":2017,\"industries\":[\"walnut\"],\"measures\":[\"合作社务工\"]"
    ",\"tasks\":[{\"year\":2017}],\"filed\":[\"county\",\"town\",\"village\"]}],\"linkages\":[{\"id\":1,"
    "\"kind\":\"wage\",\"household\":1001,\"entity\":1,\"agreement\":1,\"from\":2017,\"to\":2019,\"annual\":\"3600.00\"}"
    ",{\"id\":2,\"kind\":\"wage\",\"household\":1002,\"entity\":1,\"agreement\":1,\"from\":2017,\"to\":2017,"
    "\"annual\":\"1000.00\"},{\"id\":3,\"kind\":\"wage\",\"household\":1003,\"entity\":1,\"agreement\":1,"
    "\"from\":2017,\"to\":2017,\"annual\":\"3000.00\"}],\"payments\":[{\"linkage\":1,\"year\":2017,"
    "\"amount\":\"3600.00\",\"date\":\"2017-12-20\"},{\"linkage\":1,\"year\":2017,\"amount\":\"500.00\","
    "\"date\":\"2017-12-28\"},{\"linkage\":2,\"year\":2017,\"amount\":\"1000.00\",\"date\":\"2017-12-20\"}"
    ",{\"linkage\":3,\"year\":2017,\"amount\":\"3000.00\",\"date\":\"2017-12-20\"}],\"incomes\":[{\"household\":1001,"
    "\"year\":2017,\"other\":\"2000.00\"}],\"evaluations\":[{\"year\":2017,\"date\":\"2018-01-31\"}"
    "],\"injections\":[{\"id\":1,\"entity\":1,\"agreement\":1,\"date\":\"2017-03-01\",\"amount\":\"100000.00\","
    "\"households\":[1003,1002,1001]}]}";

static size_t changes(const vipa_comparison *c)
{
    size_t n = 0;
    for (int t = 1; t <= VIPA_TABLE_COUNT; t++)
        n += vipa_comparison_change_count(c, (vipa_table)t);
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static vipa_ctx *ctx; /* loaded once: the fuzzer calls this millions of times */
    if (!ctx && (vipa_ctx_new(&ctx, NULL) != VIPA_OK ||
                 vipa_scenario_load(ctx, scenario, sizeof scenario - 1, NULL) != VIPA_OK))
        abort();
    vipa_ctx *fork = NULL;
    if (vipa_ctx_fork(&fork, ctx) != VIPA_OK)
        return 0;
    const char *err = NULL;
    int loaded = vipa_reform_load(fork, (const char *)data, size, &err) == VIPA_OK;
    if (!loaded && (!err || !*err))
        abort(); /* a refusal must explain itself */
    vipa_comparison *c = NULL;
    if (vipa_compare(&c, ctx, fork, NULL) == VIPA_OK) {
        if (!loaded && changes(c) != 0)
            abort(); /* a refused reform changed the profile */
        char *json = NULL;
        if (vipa_comparison_json(&json, NULL, c, VIPA_REPORT_PRETTY) == VIPA_OK)
            vipa_free(json);
    } else if (!loaded) {
        abort(); /* the unchanged fork must run as its parent does */
    }
    vipa_comparison_free(c);
    vipa_ctx_free(fork);
    return 0;
}
