/*
 * The published order of findings (rule, subject kind, subject id, year, message): the
 * sort of short and long lists (vipa__sort, the message read through the list's text)
 * against an independent reference, over lists with many ties, with memory or without.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "findings_internal.h"
#include "support.h"

/* What a finding is sorted by, kept by the test itself. */
typedef struct expected_finding {
    int rule, kind;
    uint64_t id;
    int year;
    char message[64];
} expected_finding;

static int reference_order(const void *a, const void *b)
{
    const expected_finding *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule - y->rule;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->year != y->year)
        return x->year - y->year;
    return strcmp(x->message, y->message);
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* n findings drawn from few rules, kinds, subjects and years, so that every key ties
 * often; `spread` bounds the subject ids (small: long runs of one subject). */
static void sorts_like_the_reference(size_t n, uint64_t spread, uint64_t seed)
{
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc);
    assert_non_null(list);
    expected_finding *want = calloc(n + 1, sizeof *want);
    assert_non_null(want);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_random(&seed);
        expected_finding *e = &want[i];
        e->rule = 1 + (int)(r % VIPA_RULE_COUNT);
        e->kind = 1 + (int)((r >> 8) % 4);
        e->id = (r >> 16) % spread + ((r >> 60) ? 0 : UINT64_C(1) << 40); /* wide ids too */
        e->year = 2016 + (int)((r >> 12) % 4);
        vipa__finding_in in = {(vipa_rule)e->rule, VIPA_SEVERITY_NONE, (vipa_subject_kind)e->kind,
                               e->id, e->year, NULL, NULL};
        assert_int_equal(vipa__findings_add(list, &in, "m%u", (unsigned)((r >> 24) % 7)),
                         VIPA_OK);
        /* the message as stored: the citation is appended */
        snprintf(e->message, sizeof e->message, "%s", vipa_finding_message(list, i));
    }
    qsort(want, n, sizeof *want, reference_order);
    vipa__findings_sort(list);
    assert_int_equal(vipa_findings_count(list), n);
    for (size_t i = 0; i < n; i++) {
        const expected_finding *e = &want[i];
        if ((int)vipa_finding_rule(list, i) != e->rule ||
            (int)vipa_finding_subject_kind(list, i) != e->kind ||
            vipa_finding_subject_id(list, i) != e->id || vipa_finding_year(list, i) != e->year ||
            strcmp(vipa_finding_message(list, i), e->message) != 0)
            fail_msg("n %zu: finding %zu is (%d, %d, %llu, %d, %s); the reference has (%d, %d, "
                     "%llu, %d, %s)", n, i, (int)vipa_finding_rule(list, i),
                     (int)vipa_finding_subject_kind(list, i),
                     (unsigned long long)vipa_finding_subject_id(list, i),
                     vipa_finding_year(list, i), vipa_finding_message(list, i), e->rule, e->kind,
                     (unsigned long long)e->id, e->year, e->message);
    }
    free(want);
    vipa_findings_free(list);
}

static void short_lists_sort_like_the_reference(void **state)
{
    (void)state;
    sorts_like_the_reference(0, 10, 1);
    sorts_like_the_reference(1, 10, 2);
    sorts_like_the_reference(300, 10, 3);
    sorts_like_the_reference(4095, 1000, 4);
}

static void long_lists_sort_like_the_reference(void **state)
{
    (void)state;
    sorts_like_the_reference(4096, 10, 5);
    sorts_like_the_reference(20000, 50, 6);         /* long runs of one subject */
    sorts_like_the_reference(50000, UINT32_MAX, 7); /* few ties on the subject */
}

/* 5,000 findings of few rules and subjects, the same for the same seed. */
static vipa_findings *tied_findings(const vipa__allocator *alloc)
{
    vipa_findings *list = vipa__findings_new(alloc);
    assert_non_null(list);
    uint64_t seed = 9;
    for (int i = 0; i < 5000; i++) {
        uint64_t r = next_random(&seed);
        vipa__finding_in in = {(vipa_rule)(1 + r % 5), VIPA_SEVERITY_NONE, VIPA_SUBJECT_HOUSEHOLD,
                               (r >> 8) % 100, 2017, NULL, NULL};
        assert_int_equal(vipa__findings_add(list, &in, "m%d", (int)(r >> 40) % 3), VIPA_OK);
    }
    return list;
}

/* Out of memory for the sort's scratch: the list is sorted in place into the same order,
 * finding for finding, and nothing leaks. */
static void list_sorts_the_same_when_memory_runs_out(void **state)
{
    (void)state;
    vipa__allocator plenty = vipa__alloc_default();
    vipa_findings *want = tied_findings(&plenty);
    vipa__findings_sort(want);
    test_allocator c = {-1, 0};
    vipa_ctx_options o = test_allocator_options(&c);
    vipa__allocator alloc = {o.malloc_fn, o.realloc_fn, o.free_fn, o.allocator_opaque};
    vipa_findings *list = tied_findings(&alloc);
    c.left = 0; /* the scratch is refused */
    vipa__findings_sort(list);
    assert_int_equal(vipa_findings_count(list), vipa_findings_count(want));
    for (size_t i = 0; i < vipa_findings_count(list); i++) {
        assert_int_equal(vipa_finding_rule(list, i), vipa_finding_rule(want, i));
        assert_int_equal(vipa_finding_subject_id(list, i), vipa_finding_subject_id(want, i));
        assert_string_equal(vipa_finding_message(list, i), vipa_finding_message(want, i));
    }
    vipa_findings_free(list);
    vipa_findings_free(want);
    assert_int_equal(c.live, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_lists_sort_like_the_reference),
        cmocka_unit_test(long_lists_sort_like_the_reference),
        cmocka_unit_test(list_sorts_the_same_when_memory_runs_out),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
