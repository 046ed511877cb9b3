/*
 * The seed scenario of the fuzzer as a C string: every record kind, an evaluation and a
 * re-check. Shared by the tests that need a context holding a little of everything.
 */
#ifndef VIPA_TEST_SEED_SCENARIO_H
#define VIPA_TEST_SEED_SCENARIO_H

static const char seed_scenario[] =
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

#endif /* VIPA_TEST_SEED_SCENARIO_H */
