/*
 * Comparisons (include/vipa/compare.h): forks, reforms and the rows that differ, on
 * scenarios whose figures are worked out by hand below from the plan and docs/scenario.md
 * (the allocation rule of 三(二), the exit standard of 四(二), the evaluation of 四(五)).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"

#define ROOT VIPA_SOURCE_ROOT "/"

static vipa_ctx *load(const char *relative)
{
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    const char *err = NULL;
    char path[512];
    snprintf(path, sizeof path, ROOT "%s", relative);
    int rc = vipa_scenario_load_file(ctx, path, &err);
    if (rc != VIPA_OK)
        fail_msg("%s: %s", path, err);
    return ctx;
}

static vipa_ctx *fork_of(vipa_ctx *ctx)
{
    vipa_ctx *fork = NULL;
    assert_int_equal(vipa_ctx_fork(&fork, ctx), VIPA_OK);
    assert_non_null(fork);
    return fork;
}

static vipa_comparison *compare(vipa_ctx *a, vipa_ctx *b)
{
    vipa_comparison *c = NULL;
    int rc = vipa_compare(&c, a, b, NULL);
    if (rc != VIPA_OK)
        fail_msg("compare: %s", vipa_ctx_errmsg(a));
    return c;
}

static vipa_change change(const vipa_comparison *c, vipa_table t, size_t i)
{
    vipa_change ch = VIPA_CHANGE_INIT;
    assert_int_equal(vipa_comparison_change(&ch, c, t, i), VIPA_OK);
    return ch;
}

static char *json(const vipa_comparison *c)
{
    char *text = NULL;
    assert_int_equal(vipa_comparison_json(&text, NULL, c, 0), VIPA_OK);
    return text;
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part))
        fail_msg("expected \"%s\" in: %.2000s", part, text);
}

/* Allocation change i: injection, holder, and the amounts on each side (-1: absent). */
static void assert_allocation(const vipa_comparison *c, size_t i, vipa_id injection,
                              vipa_holder_kind kind, uint64_t holder, vipa_fen before,
                              vipa_fen after)
{
    vipa_change ch = change(c, VIPA_TABLE_ALLOCATIONS, i);
    vipa_fen amounts[2] = {-1, -1};
    for (int side = 0; side < 2; side++) {
        if (ch.row[side] == VIPA_NO_ROW)
            continue;
        vipa_allocation_row row;
        assert_int_equal(vipa_result_allocation_row(&row, sizeof row,
                                                    vipa_comparison_result(c, side), ch.row[side]),
                         VIPA_OK);
        assert_int_equal(row.injection, injection);
        assert_int_equal(row.holder_kind, kind);
        assert_int_equal(row.holder, holder);
        amounts[side] = row.amount;
    }
    assert_int_equal(amounts[0], before);
    assert_int_equal(amounts[1], after);
}

/* ---- 三(二): the poor households' share, 70 % -> 80 % ---------------------------------------- */

/* equity_poor_share.json: injection 1 of 100,000.00 per household over 1001..1003 and
 * injection 2 of 10,000.01 per member (4, 3, 2 members). By hand, trunc to the fen, then
 * largest remainders, ties to the lower id:
 *   70 %: 1: 70,000.00 -> 23,333.33 each + 1 fen to 1001; collective 30,000.00.
 *         2: 7,000.00 -> 3,111.11 (4/9), 2,333.33 (3/9), 1,555.55 + 1 fen (.55 the largest
 *            remainder) = 1,555.56; collective 3,000.01.
 *   80 %: 1: 80,000.00 -> 26,666.66 each + 1 fen to 1001 and 1002 (equal remainders);
 *            collective 20,000.00.
 *         2: 8,000.00 (trunc of 8,000.008) -> 3,555.55 (.55), 2,666.66 (.66) + 1,
 *            1,777.77 (.77) + 1; collective 2,000.01. */
static void poor_share_70_to_80(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("tests/scenarios/equity_poor_share.json");
    vipa_ctx *reform = fork_of(ctx);
    assert_int_equal(vipa_param_set_int(reform, "equity.poor_share_bp", 8000), VIPA_OK);
    vipa_comparison *c = compare(ctx, reform);
    assert_int_equal(vipa_comparison_change_count(c, VIPA_TABLE_ALLOCATIONS), 8);
    assert_allocation(c, 0, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 2333334, 2666667);
    assert_allocation(c, 1, 1, VIPA_HOLDER_HOUSEHOLD, 1002, 2333333, 2666667);
    assert_allocation(c, 2, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 2333333, 2666666);
    assert_allocation(c, 3, 1, VIPA_HOLDER_COLLECTIVE, 611002001204, 3000000, 2000000);
    assert_allocation(c, 4, 2, VIPA_HOLDER_HOUSEHOLD, 1001, 311111, 355555);
    assert_allocation(c, 5, 2, VIPA_HOLDER_HOUSEHOLD, 1002, 233333, 266667);
    assert_allocation(c, 6, 2, VIPA_HOLDER_HOUSEHOLD, 1003, 155556, 177778);
    assert_allocation(c, 7, 2, VIPA_HOLDER_COLLECTIVE, 611002001204, 300001, 200001);
    /* The entity's equity is the same 110,000.01 either way: no disclosure change. */
    assert_int_equal(vipa_comparison_change_count(c, VIPA_TABLE_DISCLOSURE), 0);
    char *text = json(c);
    assert_contains(text, "\"params\":{\"equity.poor_share_bp\":[7000,8000]}");
    assert_contains(text, "\"households\":[\"77000.00\",\"88000.00\",\"11000.00\"]");
    assert_contains(text, "\"collectives\":[\"33000.01\",\"22000.01\",\"-11000.00\"]");
    assert_contains(text, "\"entities\":[\"0.00\",\"0.00\",\"0.00\"]");
    vipa_free(text);
    vipa_comparison_free(c);
    vipa_ctx_free(reform);
    vipa_ctx_free(ctx);
}

/* profile_allocation.json: injection 1 of 100,000.00 with no allocation of its own, so the
 * profile's equity.allocation decides. Per household: 23,333.34 / 23,333.33 / 23,333.33.
 * Per member (4, 3, 2): 70,000.00 × 4/9 = 31,111.11(.1), × 3/9 = 23,333.33(.3),
 * × 2/9 = 15,555.55(.5) + the 1 fen left (the largest remainder) = 15,555.56. 1002's part
 * is the same, so two rows change; the collective keeps 30,000.00. */
static void per_household_to_per_member(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("tests/compare/profile_allocation.json");
    vipa_ctx *reform = fork_of(ctx);
    assert_int_equal(vipa_param_set_text(reform, "equity.allocation", "per_member"), VIPA_OK);
    vipa_comparison *c = compare(ctx, reform);
    assert_int_equal(vipa_comparison_change_count(c, VIPA_TABLE_ALLOCATIONS), 2);
    assert_allocation(c, 0, 1, VIPA_HOLDER_HOUSEHOLD, 1001, 2333334, 3111111);
    assert_allocation(c, 1, 1, VIPA_HOLDER_HOUSEHOLD, 1003, 2333333, 1555556);
    char *text = json(c);
    assert_contains(text, "\"equity.allocation\":[\"per_household\",\"per_member\"]");
    assert_contains(text, "\"households\":[\"70000.00\",\"70000.00\",\"0.00\"]");
    vipa_free(text);
    vipa_comparison_free(c);
    vipa_ctx_free(reform);
    vipa_ctx_free(ctx);
}

/* ---- 四(二): the exit standard --------------------------------------------------------------- */

static vipa_household_row household_row(const vipa_comparison *c, int side, size_t i)
{
    vipa_household_row row;
    assert_int_equal(vipa_result_household_row(&row, sizeof row, vipa_comparison_result(c, side), i),
                     VIPA_OK);
    return row;
}

static vipa_year_evaluation_row evaluation_row(const vipa_comparison *c, int side,
                                               const vipa_change *ch)
{
    vipa_year_evaluation_row row;
    assert_int_equal(vipa_result_year_evaluation_row(&row, sizeof row,
                                                     vipa_comparison_result(c, side),
                                                     ch->year_index[side], ch->row[side]),
                     VIPA_OK);
    return row;
}

/* guarantees.json: line 2,952.00 in 2017. 1003 (1 member) earns 3,000.00 but lacks safe
 * water; its exit deadline is 2017 (its plan's target, earlier than the agreement's 2018).
 * Guarantees required: not exited, EXIT_BY_DEADLINE fails at the evaluation of 2017, the
 * agreement goes to rectification. Not required: 3,000.00 ≥ 2,952.00, exited in 2017, the
 * evaluation compliant (1001, 6,100.00 ≥ 5,904.00 with every guarantee, passes both ways). */
static void guarantees_off_moves_an_exit_and_an_outcome(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("tests/compare/guarantees.json");
    vipa_ctx *reform = fork_of(ctx);
    assert_int_equal(vipa_param_set_bool(reform, "exit.require_guarantees", 0), VIPA_OK);
    vipa_comparison *c = compare(ctx, reform);
    assert_int_equal(vipa_comparison_change_count(c, VIPA_TABLE_HOUSEHOLDS), 1);
    vipa_change ch = change(c, VIPA_TABLE_HOUSEHOLDS, 0);
    assert_int_equal(household_row(c, 0, ch.row[0]).household, 1003);
    assert_int_equal(household_row(c, 0, ch.row[0]).exit_year, 0);
    assert_int_equal(household_row(c, 1, ch.row[1]).exit_year, 2017);
    assert_int_equal(vipa_comparison_change_count(c, VIPA_TABLE_YEAR_EVALUATIONS), 1);
    ch = change(c, VIPA_TABLE_YEAR_EVALUATIONS, 0);
    assert_int_equal(ch.year, 2017);
    assert_int_equal(evaluation_row(c, 0, &ch).outcome, VIPA_OUTCOME_RECTIFICATION);
    assert_int_equal(evaluation_row(c, 1, &ch).outcome, VIPA_OUTCOME_COMPLIANT);
    assert_int_equal(evaluation_row(c, 1, &ch).failed_count, 0);
    /* In 2017 only 1003's figures move: its standard, not its income or line. */
    size_t in_2017 = 0;
    for (size_t i = 0; i < vipa_comparison_change_count(c, VIPA_TABLE_YEAR_HOUSEHOLDS); i++)
        in_2017 += change(c, VIPA_TABLE_YEAR_HOUSEHOLDS, i).year == 2017;
    assert_int_equal(in_2017, 1);
    char *text = json(c);
    assert_contains(text, "\"exit.require_guarantees\":[true,false]");
    assert_contains(text, "\"compliant\":[0,1,1],\"rectification\":[1,0,-1]");
    vipa_free(text);
    vipa_comparison_free(c);
    vipa_ctx_free(reform);
    vipa_ctx_free(ctx);
}

/* A line of 3,100.00 for 2017 only: 1001 (2 members, 6,100.00) falls below 6,200.00 and
 * does not exit in 2017; every household's 2017 line moves; other years keep theirs. */
static void a_new_poverty_line_for_one_year(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("tests/compare/guarantees.json");
    vipa_ctx *reform = fork_of(ctx);
    assert_int_equal(vipa_param_set_fen(reform, "poverty_line.2017", 310000), VIPA_OK);
    vipa_comparison *c = compare(ctx, reform);
    assert_int_equal(vipa_comparison_change_count(c, VIPA_TABLE_HOUSEHOLDS), 1);
    vipa_change ch = change(c, VIPA_TABLE_HOUSEHOLDS, 0);
    assert_int_equal(household_row(c, 0, ch.row[0]).household, 1001);
    assert_int_equal(household_row(c, 0, ch.row[0]).exit_year, 2017);
    assert_int_equal(household_row(c, 1, ch.row[1]).exit_year, 0);
    static const struct {
        vipa_id id;
        vipa_fen before, after;
        int meets_before, meets_after;
    } lines[] = {{1001, 590400, 620000, 1, 0}, {1002, 295200, 310000, 0, 0},
                 {1003, 295200, 310000, 0, 0}};
    size_t k = 0;
    for (size_t i = 0; i < vipa_comparison_change_count(c, VIPA_TABLE_YEAR_HOUSEHOLDS); i++) {
        ch = change(c, VIPA_TABLE_YEAR_HOUSEHOLDS, i);
        if (ch.year != 2017)
            continue;
        assert_true(k < 3);
        for (int side = 0; side < 2; side++) {
            vipa_year_household_row row;
            assert_int_equal(vipa_result_year_household_row(&row, sizeof row,
                                                            vipa_comparison_result(c, side),
                                                            ch.year_index[side], ch.row[side]),
                             VIPA_OK);
            assert_int_equal(row.household, lines[k].id);
            assert_int_equal(row.line, side ? lines[k].after : lines[k].before);
            assert_int_equal(row.meets_standard, side ? lines[k].meets_after : lines[k].meets_before);
        }
        k++;
    }
    assert_int_equal(k, 3);
    char *text = json(c);
    assert_contains(text, "\"params\":{\"poverty_line.2017\":[\"2952.00\",\"3100.00\"]}");
    vipa_free(text);
    vipa_comparison_free(c);
    vipa_ctx_free(reform);
    vipa_ctx_free(ctx);
}

/* ---- properties ------------------------------------------------------------------------------ */

static size_t total_changes(const vipa_comparison *c)
{
    size_t n = 0;
    for (int t = 1; t <= VIPA_TABLE_COUNT; t++)
        n += vipa_comparison_change_count(c, (vipa_table)t);
    return n;
}

/* With itself and with an unchanged fork: no change, and the same bytes either way. */
static void a_scenario_against_itself_has_no_change(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("examples/shangluo-sample.json");
    vipa_ctx *same = fork_of(ctx);
    vipa_comparison *self = compare(ctx, ctx), *forked = compare(ctx, same);
    assert_int_equal(total_changes(self), 0);
    assert_int_equal(total_changes(forked), 0);
    char *a = json(self), *b = json(forked);
    assert_string_equal(a, b);
    assert_contains(a, "\"params\":{}");
    assert_contains(a, "\"findings\":[]}}\n");
    vipa_free(a);
    vipa_free(b);
    vipa_comparison_free(self);
    vipa_comparison_free(forked);
    vipa_ctx_free(same);
    vipa_ctx_free(ctx);
}

/* Swapping the sides swaps every pair, table by table, change by change. */
static void swapping_the_sides_swaps_every_pair(void **state)
{
    (void)state;
    static const char *const reforms[][2] = {
        {"equity.poor_share_bp", "9000"},       {"equity.allocation", "per_member"},
        {"equity.remainder_holder", "entity"},  {"exit.require_guarantees", "0"},
        {"poverty_line.2017", "350000"},
    };
    vipa_ctx *ctx = load("examples/shangluo-sample.json");
    for (size_t r = 0; r < sizeof reforms / sizeof *reforms; r++) {
        vipa_ctx *reform = fork_of(ctx);
        const char *key = reforms[r][0], *value = reforms[r][1];
        switch (vipa_param_type_of(reform, key)) {
        case VIPA_PARAM_INT: vipa_param_set_int(reform, key, atoi(value)); break;
        case VIPA_PARAM_BOOL: vipa_param_set_bool(reform, key, atoi(value)); break;
        case VIPA_PARAM_FEN: vipa_param_set_fen(reform, key, atoll(value)); break;
        default: vipa_param_set_text(reform, key, value);
        }
        vipa_comparison *ab = compare(ctx, reform), *ba = compare(reform, ctx);
        /* Every injection of the sample states its own allocation: the profile's changes
         * nothing there; each other reform changes something. */
        assert_true(total_changes(ab) > 0 || strcmp(key, "equity.allocation") == 0);
        for (int t = 1; t <= VIPA_TABLE_COUNT; t++) {
            size_t n = vipa_comparison_change_count(ab, (vipa_table)t);
            assert_int_equal(vipa_comparison_change_count(ba, (vipa_table)t), n);
            for (size_t i = 0; i < n; i++) {
                vipa_change x = change(ab, (vipa_table)t, i), y = change(ba, (vipa_table)t, i);
                assert_int_equal(x.year, y.year);
                assert_int_equal(x.row[0], y.row[1]);
                assert_int_equal(x.row[1], y.row[0]);
                assert_int_equal(x.year_index[0], y.year_index[1]);
            }
        }
        vipa_comparison_free(ab);
        vipa_comparison_free(ba);
        vipa_ctx_free(reform);
    }
    vipa_ctx_free(ctx);
}

/* A fork and a second context loaded from the same file, given the same reform, compare
 * the same, byte for byte: the fork's shortcuts (its obligations' payments read once)
 * change nothing that an independent copy shows. */
static void a_fork_compares_as_an_independent_copy_does(void **state)
{
    (void)state;
    static const char *const reforms[] = {
        "{\"vipa\": 1, \"params\": {\"poverty_line\": {\"2017\": \"3500.00\"}}}",
        "{\"vipa\": 1, \"params\": {\"equity.poor_share_bp\": 9000}}",
    };
    vipa_ctx *ctx = load("examples/shangluo-sample.json");
    for (size_t k = 0; k < sizeof reforms / sizeof *reforms; k++) {
        vipa_ctx *fork = fork_of(ctx), *copy = load("examples/shangluo-sample.json");
        assert_int_equal(vipa_reform_load(fork, reforms[k], strlen(reforms[k]), NULL), VIPA_OK);
        assert_int_equal(vipa_reform_load(copy, reforms[k], strlen(reforms[k]), NULL), VIPA_OK);
        vipa_comparison *a = compare(ctx, fork), *b = compare(ctx, copy);
        assert_true(vipa_comparison_change_count(a, VIPA_TABLE_YEAR_OBLIGATIONS) > 0);
        char *ja = json(a), *jb = json(b);
        assert_string_equal(ja, jb);
        vipa_free(ja);
        vipa_free(jb);
        vipa_comparison_free(a);
        vipa_comparison_free(b);
        vipa_ctx_free(copy);
        vipa_ctx_free(fork);
    }
    vipa_ctx_free(ctx);
}

/* ---- forks ------------------------------------------------------------------------------------- */

static void a_fork_reads_its_parents_records_and_changes_only_its_profile(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("tests/scenarios/equity_poor_share.json");
    vipa_ctx *fork = fork_of(ctx);
    assert_int_equal(vipa_ctx_is_fork(fork), 1);
    assert_int_equal(vipa_ctx_is_fork(ctx), 0);
    assert_int_equal(vipa_ctx_is_fork(NULL), 0);
    assert_int_equal(vipa_ctx_household_count(fork), 3);
    /* Its records cannot change, nor its as_of, nor a scenario be loaded into it. */
    vipa_household h = VIPA_HOUSEHOLD_INIT;
    h.id = 9;
    assert_int_equal(vipa_ctx_add_households(fork, &h, 1), VIPA_E_STATE);
    assert_contains(vipa_ctx_errmsg(fork), "households: this context is a fork");
    assert_int_equal(vipa_ctx_set_as_of(fork, 20180101), VIPA_E_STATE);
    const char *scenario = "{\"vipa\": 1}";
    assert_int_equal(vipa_scenario_load(fork, scenario, strlen(scenario), NULL), VIPA_E_STATE);
    /* The parent is read by the fork: neither its records nor its parameters change. */
    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_E_STATE);
    assert_contains(vipa_ctx_errmsg(ctx), "1 result, ledger or fork of this context is alive");
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 8000), VIPA_E_STATE);
    /* The fork's parameters are its own. */
    assert_int_equal(vipa_param_set_int(fork, "equity.poor_share_bp", 8000), VIPA_OK);
    int64_t bp = 0;
    assert_int_equal(vipa_param_get_int(&bp, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 7000);
    /* A fork of a fork starts from its parent's profile. */
    vipa_ctx *grandchild = fork_of(fork);
    assert_int_equal(vipa_param_get_int(&bp, grandchild, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 8000);
    assert_int_equal(vipa_param_set_int(fork, "equity.poor_share_bp", 6000), VIPA_E_STATE);
    vipa_ctx_free(grandchild);
    vipa_ctx_free(fork);
    /* Once the fork is freed the parent changes again. */
    assert_int_equal(vipa_param_set_int(ctx, "equity.poor_share_bp", 8000), VIPA_OK);
    vipa_ctx_free(ctx);
}

static void fork_refuses_null(void **state)
{
    (void)state;
    vipa_ctx *out = (vipa_ctx *)1;
    assert_int_equal(vipa_ctx_fork(&out, NULL), VIPA_E_INVALID);
    assert_null(out);
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    assert_int_equal(vipa_ctx_fork(NULL, ctx), VIPA_E_INVALID);
    assert_contains(vipa_ctx_errmsg(ctx), "fork: the output pointer is NULL");
    vipa_ctx_free(ctx);
}

/* ---- reform files ---------------------------------------------------------------------------------- */

static int reform(vipa_ctx *ctx, const char *text, const char **err)
{
    return vipa_reform_load(ctx, text, strlen(text), err);
}

static void reform_files_set_parameters_all_or_nothing(void **state)
{
    (void)state;
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    const char *err = NULL;
    assert_int_equal(reform(ctx, "{\"vipa\": 1, \"name\": \"80 %\", \"description\": \"more\", "
                                 "\"params\": {\"equity.poor_share_bp\": 8000, \"poverty_line\": "
                                 "{\"2017\": \"3100.00\"}, \"exit.require_guarantees\": false}}",
                            &err),
                     VIPA_OK);
    assert_null(err);
    int64_t bp = 0;
    vipa_fen line = 0;
    assert_int_equal(vipa_param_get_int(&bp, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 8000);
    assert_int_equal(vipa_param_get_fen(&line, ctx, "poverty_line.2017"), VIPA_OK);
    assert_int_equal(line, 310000);
    /* A bad line after a good share: neither is set. */
    assert_int_equal(reform(ctx, "{\"vipa\": 1, \"params\": {\"equity.poor_share_bp\": 9000, "
                                 "\"poverty_line\": {\"2017\": \"-1.00\"}}}",
                            &err),
                     VIPA_E_RANGE);
    assert_contains(err, "params.poverty_line.2017");
    assert_int_equal(vipa_param_get_int(&bp, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 8000);
    vipa_ctx_free(ctx);
}

static void reform_files_refuse_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int rc;
        const char *message;
    } cases[] = {
        {"{\"vipa\": 1, \"params\": ", VIPA_E_PARSE, "reform: line 1, column"},
        {"[]", VIPA_E_PARSE, "reform: top level: expected a JSON object"},
        {"{\"params\": {}}", VIPA_E_PARSE, "vipa: missing; a reform starts with"},
        {"{\"vipa\": 2, \"params\": {}}", VIPA_E_VERSION, "format version 2 is not supported"},
        {"{\"vipa\": 1}", VIPA_E_PARSE, "params: missing"},
        {"{\"vipa\": 1, \"params\": {}, \"records\": []}", VIPA_E_PARSE, "records"},
        {"{\"vipa\": 1, \"params\": {\"equity.poor_share_bp\": \"8000\"}}", VIPA_E_PARSE,
         "params.equity.poor_share_bp"},
        {"{\"vipa\": 1, \"params\": {\"equity.poor_share_bp\": 10001}}", VIPA_E_RANGE,
         "10001 is out of range"},
        {"{\"vipa\": 1, \"params\": {\"equity.allocation\": \"weights\"}}", VIPA_E_RANGE,
         "params.equity.allocation"},
        {"{\"vipa\": 1, \"params\": {\"poverty_line\": {\"17\": \"1.00\"}}}", VIPA_E_PARSE,
         "params.poverty_line.17: expected a year 1900..9999"},
        {"{\"vipa\": 1, \"params\": {\"shares\": 1}}", VIPA_E_PARSE, "shares"},
        {"{\"vipa\": 1, \"vipa\": 1, \"params\": {}}", VIPA_E_PARSE, "duplicate"},
    };
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *err = NULL;
        int rc = reform(ctx, cases[i].text, &err);
        if (rc != cases[i].rc || !err || !strstr(err, cases[i].message))
            fail_msg("%s: got %d \"%s\"; expected %d and \"%s\"", cases[i].text, rc,
                     err ? err : "(null)", cases[i].rc, cases[i].message);
    }
    int64_t bp = 0;
    assert_int_equal(vipa_param_get_int(&bp, ctx, "equity.poor_share_bp"), VIPA_OK);
    assert_int_equal(bp, 7000);
    assert_int_equal(vipa_reform_load(ctx, NULL, 0, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_reform_load(NULL, "{}", 2, NULL), VIPA_E_INVALID);
    size_t big = ((size_t)1 << 20) + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    assert_int_equal(vipa_reform_load(ctx, huge, big, NULL), VIPA_E_LIMIT);
    free(huge);
    /* While a result of the context is alive its profile does not change. */
    vipa_result *r = NULL;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    assert_int_equal(reform(ctx, "{\"vipa\": 1, \"params\": {}}", NULL), VIPA_E_STATE);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ---- the comparison's own errors ------------------------------------------------------------------ */

/* 70 % gives the collective 30,000.00 of injection 1; a transfer of 25,000.00 of them to
 * 1003 holds at 70 % but not at 80 % (the collective then holds 20,000.00): the reform's
 * run fails, and the comparison with it, told as the reform's. */
static void a_reform_that_cannot_run_fails_the_comparison(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("tests/scenarios/equity_poor_share.json");
    vipa_transfer t = VIPA_TRANSFER_INIT;
    t.entity = 1;
    t.from_kind = VIPA_HOLDER_COLLECTIVE;
    t.from_id = 611002001204;
    t.to_kind = VIPA_HOLDER_HOUSEHOLD;
    t.to_id = 1003;
    t.amount = 2500000;
    t.date = 20171001;
    assert_int_equal(vipa_ctx_add_transfers(ctx, &t, 1), VIPA_OK);
    vipa_ctx *fork = fork_of(ctx);
    assert_int_equal(vipa_param_set_int(fork, "equity.poor_share_bp", 8000), VIPA_OK);
    vipa_comparison *c = (vipa_comparison *)1;
    assert_int_equal(vipa_compare(&c, ctx, fork, NULL), VIPA_E_STATE);
    assert_null(c);
    assert_contains(vipa_ctx_errmsg(ctx), "reform: entity 1: collective 611002001204 would hold");
    vipa_ctx_free(fork);
    vipa_ctx_free(ctx);
}

static int refuse(void *opaque, const char *bytes, size_t length)
{
    (void)bytes;
    (void)length;
    return ++*(int *)opaque > 2;
}

typedef struct sink {
    char *text;
    size_t length;
} sink;

static int keep(void *opaque, const char *bytes, size_t length)
{
    sink *s = opaque;
    char *grown = realloc(s->text, s->length + length + 1);
    if (!grown)
        return 1;
    memcpy(grown + s->length, bytes, length);
    s->length += length;
    grown[s->length] = '\0';
    s->text = grown;
    return 0;
}

static void comparison_accessors_refuse_bad_arguments(void **state)
{
    (void)state;
    vipa_ctx *ctx = load("examples/shangluo-sample.json");
    vipa_ctx *fork = fork_of(ctx);
    vipa_param_set_int(fork, "equity.poor_share_bp", 8000);
    vipa_comparison *c = NULL;
    assert_int_equal(vipa_compare(NULL, ctx, fork, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_compare(&c, NULL, fork, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_compare(&c, ctx, NULL, NULL), VIPA_E_INVALID);
    assert_contains(vipa_ctx_errmsg(ctx), "compare: the reform is NULL");
    vipa_run_options bad = VIPA_RUN_OPTIONS_INIT;
    bad.version = 99;
    assert_int_equal(vipa_compare(&c, ctx, fork, &bad), VIPA_E_VERSION);
    assert_null(c);
    c = compare(ctx, fork);
    size_t n = vipa_comparison_change_count(c, VIPA_TABLE_ALLOCATIONS);
    assert_true(n > 0);
    vipa_change ch = VIPA_CHANGE_INIT;
    assert_int_equal(vipa_comparison_change(&ch, c, VIPA_TABLE_ALLOCATIONS, n), VIPA_E_RANGE);
    assert_int_equal(vipa_comparison_change(&ch, c, VIPA_TABLE_NONE, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_change(&ch, c, (vipa_table)12, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_change(NULL, c, VIPA_TABLE_ALLOCATIONS, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_change(&ch, NULL, VIPA_TABLE_ALLOCATIONS, 0), VIPA_E_INVALID);
    ch.version = 0;
    assert_int_equal(vipa_comparison_change(&ch, c, VIPA_TABLE_ALLOCATIONS, 0), VIPA_E_VERSION);
    ch.version = VIPA_CHANGE_VERSION + 1;
    assert_int_equal(vipa_comparison_change(&ch, c, VIPA_TABLE_ALLOCATIONS, 0), VIPA_E_VERSION);
    assert_int_equal(vipa_comparison_change_count(NULL, VIPA_TABLE_ALLOCATIONS), 0);
    assert_int_equal(vipa_comparison_change_count(c, (vipa_table)0), 0);
    assert_null(vipa_comparison_result(c, 2));
    assert_null(vipa_comparison_result(NULL, 0));
    assert_null(vipa_table_name(VIPA_TABLE_NONE));
    assert_string_equal(vipa_table_name(VIPA_TABLE_YEAR_EVALUATIONS), "year_evaluations");
    /* The text: flags, NULLs, a write function that fails, and the same bytes both ways. */
    char *text = NULL;
    assert_int_equal(vipa_comparison_json(&text, NULL, c, 4), VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_json(NULL, NULL, c, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_write(c, 0, NULL, NULL), VIPA_E_INVALID);
    int calls = 0;
    assert_int_equal(vipa_comparison_write(c, VIPA_REPORT_PRETTY, refuse, &calls), VIPA_E_IO);
    size_t length = 0;
    assert_int_equal(vipa_comparison_json(&text, &length, c, VIPA_REPORT_PRETTY), VIPA_OK);
    assert_true(length > 65536 * 2); /* written in several blocks below */
    sink s = {NULL, 0};
    assert_int_equal(vipa_comparison_write(c, VIPA_REPORT_PRETTY, keep, &s), VIPA_OK);
    assert_int_equal(s.length, length);
    assert_string_equal(s.text, text);
    free(s.text);
    /* The summary: the same text up to "changes", every list of changes empty. */
    char *summary = NULL;
    assert_int_equal(vipa_comparison_json(&summary, NULL, c, VIPA_REPORT_PRETTY |
                                                             VIPA_COMPARISON_SUMMARY),
                     VIPA_OK);
    const char *cut = strstr(text, "\"changes\": {\n    \"signers\"");
    assert_non_null(cut);
    assert_int_equal(strncmp(summary, text, (size_t)(cut - text)), 0);
    assert_contains(summary, "\"allocations\": [],");
    assert_contains(summary, "\"findings\": []\n  }\n}\n");
    vipa_free(summary);
    /* One change: the element of the compact text, byte for byte. */
    char *whole = NULL, *one = NULL;
    assert_int_equal(vipa_comparison_json(&whole, NULL, c, 0), VIPA_OK);
    assert_int_equal(vipa_comparison_change_json(&one, &length, c, VIPA_TABLE_ALLOCATIONS, 0, 0),
                     VIPA_OK);
    assert_int_equal(length, strlen(one));
    assert_true(one[0] == '[' && one[length - 1] == ']');
    char *in_whole = strstr(whole, "\"allocations\":[");
    assert_non_null(in_whole);
    assert_int_equal(strncmp(in_whole + strlen("\"allocations\":["), one, length), 0);
    vipa_free(one);
    vipa_free(whole);
    assert_int_equal(vipa_comparison_change_json(&one, NULL, c, VIPA_TABLE_ALLOCATIONS, n, 0),
                     VIPA_E_RANGE);
    assert_null(one);
    assert_int_equal(vipa_comparison_change_json(&one, NULL, c, VIPA_TABLE_ALLOCATIONS, 0, 1),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_change_json(&one, NULL, c, VIPA_TABLE_NONE, 0, 0),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_change_json(NULL, NULL, c, VIPA_TABLE_ALLOCATIONS, 0, 0),
                     VIPA_E_INVALID);
    assert_int_equal(vipa_comparison_change_json(&one, NULL, NULL, VIPA_TABLE_ALLOCATIONS, 0, 0),
                     VIPA_E_INVALID);
    vipa_free(text);
    vipa_comparison_free(c);
    vipa_comparison_free(NULL);
    vipa_ctx_free(fork);
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(poor_share_70_to_80),
        cmocka_unit_test(per_household_to_per_member),
        cmocka_unit_test(guarantees_off_moves_an_exit_and_an_outcome),
        cmocka_unit_test(a_new_poverty_line_for_one_year),
        cmocka_unit_test(a_scenario_against_itself_has_no_change),
        cmocka_unit_test(swapping_the_sides_swaps_every_pair),
        cmocka_unit_test(a_fork_compares_as_an_independent_copy_does),
        cmocka_unit_test(a_fork_reads_its_parents_records_and_changes_only_its_profile),
        cmocka_unit_test(fork_refuses_null),
        cmocka_unit_test(reform_files_set_parameters_all_or_nothing),
        cmocka_unit_test(reform_files_refuse_bad_input),
        cmocka_unit_test(a_reform_that_cannot_run_fails_the_comparison),
        cmocka_unit_test(comparison_accessors_refuse_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
