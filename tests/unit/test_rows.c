/*
 * The row accessors (issue #15): on the bundled sample, every row of every list read
 * into a struct holds what the accessor with one output per field gives; a caller's
 * shorter struct (an older header) is filled to its size and not one byte further; a
 * longer one gets zeros past the library's fields; bad arguments are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"

#ifndef VIPA_SOURCE_ROOT
#error "VIPA_SOURCE_ROOT must name the source tree"
#endif

typedef struct fixture {
    vipa_ctx *ctx;
    vipa_result *result;
} fixture;

static int setup(void **state)
{
    FILE *f = fopen(VIPA_SOURCE_ROOT "/examples/shangluo-sample.json", "rb");
    assert_non_null(f);
    static char json[1 << 20];
    size_t n = fread(json, 1, sizeof json, f);
    fclose(f);
    assert_true(n > 0 && n < sizeof json);
    fixture *fx = calloc(1, sizeof *fx);
    assert_int_equal(vipa_ctx_new(&fx->ctx, NULL), VIPA_OK);
    assert_int_equal(vipa_scenario_load(fx->ctx, json, n, NULL), VIPA_OK);
    assert_int_equal(vipa_run(&fx->result, fx->ctx, NULL), VIPA_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    vipa_result_free(fx->result);
    vipa_ctx_free(fx->ctx);
    free(fx);
    return 0;
}

static void whole_run_rows_match_their_accessors(void **state)
{
    const vipa_result *r = ((fixture *)*state)->result;
    for (size_t i = 0; i < vipa_result_signer_count(r); i++) {
        vipa_signer_row row;
        vipa_id a;
        vipa_signer_level level;
        vipa_area_code area;
        assert_int_equal(vipa_result_signer_row(&row, sizeof row, r, i), VIPA_OK);
        assert_int_equal(vipa_result_signer(&a, &level, &area, r, i), VIPA_OK);
        assert_true(row.agreement == a && row.level == level && row.area == area);
    }
    for (size_t i = 0; i < vipa_result_allocation_count(r); i++) {
        vipa_allocation_row row;
        vipa_id in;
        vipa_holder_kind kind;
        uint64_t holder;
        vipa_fen amount;
        assert_int_equal(vipa_result_allocation_row(&row, sizeof row, r, i), VIPA_OK);
        assert_int_equal(vipa_result_allocation(&in, &kind, &holder, &amount, r, i), VIPA_OK);
        assert_true(row.injection == in && row.holder_kind == kind && row.holder == holder &&
                    row.amount == amount);
    }
    for (size_t i = 0; i < vipa_result_household_count(r); i++) {
        vipa_household_row row;
        vipa_id id;
        int exit_year;
        assert_int_equal(vipa_result_household_row(&row, sizeof row, r, i), VIPA_OK);
        assert_int_equal(vipa_result_household(&id, &exit_year, r, i), VIPA_OK);
        assert_true(row.household == id && row.exit_year == exit_year);
    }
    for (size_t i = 0; i < vipa_result_entity_count(r); i++) {
        vipa_entity_row row;
        vipa_id id;
        vipa_entity_status status;
        vipa_date on;
        size_t favoured;
        assert_int_equal(vipa_result_entity_row(&row, sizeof row, r, i), VIPA_OK);
        assert_int_equal(vipa_result_entity(&id, &status, &on, &favoured, r, i), VIPA_OK);
        assert_true(row.entity == id && row.status == status && row.disqualified_on == on &&
                    row.favoured_count == favoured);
    }
    for (size_t i = 0; i < vipa_result_disclosure_count(r); i++) {
        vipa_disclosure_row row;
        vipa_id e;
        vipa_fen equity;
        size_t households;
        assert_int_equal(vipa_result_disclosure_row(&row, sizeof row, r, i), VIPA_OK);
        assert_int_equal(vipa_result_disclosure(&e, &equity, &households, r, i), VIPA_OK);
        assert_true(row.entity == e && row.equity == equity && row.households == households &&
                    row.support_count == vipa_result_disclosure_support_count(r, i));
    }
}

static void year_rows_match_their_accessors(void **state)
{
    const vipa_result *r = ((fixture *)*state)->result;
    size_t rows = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_household_count(r, y); i++, rows++) {
            vipa_year_household_row row;
            vipa_id h;
            vipa_fen income, line;
            int meets;
            assert_int_equal(vipa_result_year_household_row(&row, sizeof row, r, y, i), VIPA_OK);
            assert_int_equal(vipa_result_year_household(&h, &income, &line, &meets, r, y, i),
                             VIPA_OK);
            assert_true(row.household == h && row.income == income && row.line == line &&
                        row.meets_standard == meets);
        }
        for (size_t i = 0; i < vipa_result_year_dividend_count(r, y); i++, rows++) {
            vipa_year_dividend_row row;
            vipa_id e, h;
            vipa_fen due, paid;
            assert_int_equal(vipa_result_year_dividend_row(&row, sizeof row, r, y, i), VIPA_OK);
            assert_int_equal(vipa_result_year_dividend(&e, &h, &due, &paid, r, y, i), VIPA_OK);
            assert_true(row.entity == e && row.household == h && row.due == due &&
                        row.paid == paid);
        }
        for (size_t i = 0; i < vipa_result_year_obligation_count(r, y); i++, rows++) {
            vipa_year_obligation_row row;
            vipa_id l, h;
            vipa_linkage_kind kind;
            vipa_fen due, paid;
            assert_int_equal(vipa_result_year_obligation_row(&row, sizeof row, r, y, i), VIPA_OK);
            assert_int_equal(vipa_result_year_obligation(&l, &h, &kind, &due, &paid, r, y, i),
                             VIPA_OK);
            assert_true(row.linkage == l && row.household == h && row.kind == kind &&
                        row.due == due && row.paid == paid);
        }
        for (size_t i = 0; i < vipa_result_year_coverage_count(r, y); i++, rows++) {
            vipa_year_coverage_row row;
            vipa_area_code v;
            size_t willing, covered;
            assert_int_equal(vipa_result_year_coverage_row(&row, sizeof row, r, y, i), VIPA_OK);
            assert_int_equal(vipa_result_year_coverage(&v, &willing, &covered, r, y, i), VIPA_OK);
            assert_true(row.village == v && row.willing == willing && row.covered == covered);
        }
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++, rows++) {
            vipa_year_evaluation_row row;
            vipa_id a, e;
            vipa_date date;
            int recheck;
            vipa_outcome outcome;
            assert_int_equal(vipa_result_year_evaluation_row(&row, sizeof row, r, y, i), VIPA_OK);
            assert_int_equal(vipa_result_year_evaluation(&a, &e, &date, &recheck, &outcome, r,
                                                         y, i), VIPA_OK);
            assert_true(row.agreement == a && row.entity == e && row.date == date &&
                        row.recheck == recheck && row.outcome == outcome &&
                        row.failed_count == vipa_result_year_failed_count(r, y, i));
            for (size_t k = 0; k < row.failed_count; k++) {
                vipa_year_failed_row f;
                vipa_rule rule;
                vipa_subject_kind sk;
                uint64_t subject;
                const char *ex, *ac;
                assert_int_equal(vipa_result_year_failed_row(&f, sizeof f, r, y, i, k), VIPA_OK);
                assert_int_equal(vipa_result_year_failed(&rule, &sk, &subject, &ex, &ac, r, y, i,
                                                         k), VIPA_OK);
                assert_true(f.rule == rule && f.subject_kind == sk && f.subject == subject &&
                            f.expected == ex && f.actual == ac);
            }
        }
    }
    assert_true(rows > 500); /* the sample's lists are not empty */
}

/* An older caller's shorter row: filled to its size, the byte after it untouched. A
 * newer caller's longer row: zeros after the library's fields. */
static void a_row_is_filled_to_the_callers_size(void **state)
{
    const vipa_result *r = ((fixture *)*state)->result;
    unsigned char buffer[sizeof(vipa_year_obligation_row) + 16];
    size_t short_size = offsetof(vipa_year_obligation_row, paid);
    memset(buffer, 0xEE, sizeof buffer);
    assert_int_equal(vipa_result_year_obligation_row((vipa_year_obligation_row *)(void *)buffer,
                                                     short_size, r, 1, 0), VIPA_OK);
    for (size_t b = short_size; b < sizeof buffer; b++)
        assert_int_equal(buffer[b], 0xEE);
    vipa_year_obligation_row full;
    assert_int_equal(vipa_result_year_obligation_row(&full, sizeof full, r, 1, 0), VIPA_OK);
    assert_memory_equal(buffer, &full, short_size);

    memset(buffer, 0xEE, sizeof buffer);
    assert_int_equal(vipa_result_year_obligation_row((vipa_year_obligation_row *)(void *)buffer,
                                                     sizeof buffer, r, 1, 0), VIPA_OK);
    for (size_t b = sizeof full; b < sizeof buffer; b++)
        assert_int_equal(buffer[b], 0);
}

static void bad_arguments_are_refused(void **state)
{
    const vipa_result *r = ((fixture *)*state)->result;
    vipa_household_row row;
    memset(&row, 0x5A, sizeof row);
    vipa_household_row before = row;
    assert_int_equal(vipa_result_household_row(NULL, sizeof row, r, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_household_row(&row, 0, r, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_household_row(&row, sizeof row, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_result_household_row(&row, sizeof row, r,
                                               vipa_result_household_count(r)), VIPA_E_RANGE);
    assert_memory_equal(&row, &before, sizeof row);
    vipa_year_failed_row f;
    assert_int_equal(vipa_result_year_failed_row(&f, sizeof f, r, 99, 0, 0), VIPA_E_RANGE);
    vipa_year_coverage_row c;
    assert_int_equal(vipa_result_year_coverage_row(&c, sizeof c, r, 0, 9999), VIPA_E_RANGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_run_rows_match_their_accessors),
        cmocka_unit_test(year_rows_match_their_accessors),
        cmocka_unit_test(a_row_is_filled_to_the_callers_size),
        cmocka_unit_test(bad_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
