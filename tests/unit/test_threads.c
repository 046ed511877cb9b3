/*
 * Threads (docs/threading.md): separate contexts run in parallel, and many threads
 * read one shared result at once, asking for its findings' messages, which are formatted
 * when first asked for, all at the same time. Run under ThreadSanitizer by scripts/test, where any
 * data race fails the test; in the other builds it checks the answers agree.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"
#include "fixture.h"

enum { THREADS = 4, ROUNDS = 3 };

/* A small data set: one agreement, two households, a wage linkage and its late payment
 * (rectification, then restored at the re-check). */
static vipa_ctx *build(void)
{
    vipa_ctx *ctx = NULL;
    if (vipa_ctx_new(&ctx, NULL) != VIPA_OK)
        return NULL;
    const vipa_area areas[] = {fixture_area(SHANGZHOU, NULL), fixture_area(CHENGGUAN, "核桃"),
                               fixture_area(XINGSHUYUAN, NULL)};
    vipa_entity e = fixture_entity(1, "示例合作社", XINGSHUYUAN, "核桃");
    vipa_household hs[2];
    for (int i = 0; i < 2; i++) {
        hs[i] = fixture_household(1001 + (vipa_id)i, XINGSHUYUAN, 3);
        hs[i].cause = VIPA_CAUSE_ILLNESS;
    }
    const vipa_id covered[] = {1001, 1002};
    vipa_agreement a = fixture_agreement(1, 1, covered, 2, 20161115);
    a.exit_deadline = 2019;
    vipa_linkage l = fixture_linkage(1, VIPA_LINKAGE_WAGE, 1001, 1, 2017, 2017, 360000);
    const vipa_payment p = {VIPA_PAYMENT_VERSION, 1, 0, 0, 2017, 360000, 20180215};
    const vipa_evaluation ev[] = {{VIPA_EVALUATION_VERSION, 2017, 20180131, 0},
                                  {VIPA_EVALUATION_VERSION, 2017, 20180430, 1}};
    if (vipa_ctx_add_areas(ctx, areas, 3) || vipa_ctx_add_entities(ctx, &e, 1) ||
        vipa_ctx_add_households(ctx, hs, 2) || vipa_ctx_add_agreements(ctx, &a, 1) ||
        vipa_ctx_add_linkages(ctx, &l, 1) || vipa_ctx_add_payments(ctx, &p, 1) ||
        vipa_ctx_add_evaluations(ctx, ev, 2)) {
        vipa_ctx_free(ctx);
        return NULL;
    }
    return ctx;
}

/* A digest of what a reader sees: outcomes, failed counts, findings and one explanation. */
static unsigned long summarise(const vipa_result *r)
{
    unsigned long h = 5381;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++) {
            vipa_id ag, en;
            vipa_date date;
            int recheck;
            vipa_outcome outcome;
            vipa_result_year_evaluation(&ag, &en, &date, &recheck, &outcome, r, y, i);
            h = h * 33 + (unsigned long)outcome + vipa_result_year_failed_count(r, y, i);
        }
    }
    const vipa_findings *f = vipa_result_findings(r);
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        for (const char *c = vipa_finding_message(f, i); *c; c++)
            h = h * 33 + (unsigned char)*c;
    vipa_explanation *x = NULL;
    if (vipa_explain_household(&x, r, 1001, 2017) == VIPA_OK)
        for (const char *c = vipa_explanation_text(x); *c; c++)
            h = h * 33 + (unsigned char)*c;
    vipa_explanation_free(x);
    return h;
}

static void *run_own_context(void *arg)
{
    unsigned long *digest = arg;
    for (int round = 0; round < ROUNDS; round++) {
        vipa_ctx *ctx = build();
        vipa_result *r = NULL;
        if (!ctx || vipa_run(&r, ctx, NULL) != VIPA_OK) {
            *digest = 0;
        } else {
            *digest = summarise(r);
        }
        vipa_result_free(r);
        vipa_ctx_free(ctx);
    }
    return NULL;
}

static void separate_contexts_run_in_parallel(void **state)
{
    (void)state;
    pthread_t threads[THREADS];
    unsigned long digests[THREADS] = {0};
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, run_own_context, &digests[i]), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        assert_true(digests[i] != 0);
        assert_true(digests[i] == digests[0]);
    }
}

/* Forks (vipa_ctx_fork) of one context, each run and compared with the parent on its own
 * thread while the parent is run on this one: they read the same records. */
typedef struct forked {
    vipa_ctx *fork;
    unsigned long digest;
    size_t changes;
} forked;

static void *run_fork(void *arg)
{
    forked *f = arg;
    for (int round = 0; round < ROUNDS; round++) {
        vipa_result *r = NULL;
        f->digest = vipa_run(&r, f->fork, NULL) == VIPA_OK ? summarise(r) : 0;
        vipa_result_free(r);
    }
    return NULL;
}

static void forks_run_beside_their_parent(void **state)
{
    (void)state;
    vipa_ctx *ctx = build();
    assert_non_null(ctx);
    pthread_t threads[THREADS];
    forked forks[THREADS];
    for (int i = 0; i < THREADS; i++) {
        forks[i].fork = NULL;
        assert_int_equal(vipa_ctx_fork(&forks[i].fork, ctx), VIPA_OK);
        /* Half the forks set a line under which 1001 (3 members, 3,600.00) stays poor. */
        if (i % 2)
            assert_int_equal(vipa_param_set_fen(forks[i].fork, "poverty_line.2017", 500000),
                             VIPA_OK);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, run_fork, &forks[i]), 0);
    vipa_result *r = NULL;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    unsigned long parent = summarise(r);
    vipa_result_free(r);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        assert_true(forks[i].digest != 0);
        assert_true((forks[i].digest == parent) == (i % 2 == 0));
        vipa_ctx_free(forks[i].fork);
    }
    vipa_ctx_free(ctx);
}

typedef struct reader {
    const vipa_result *result;
    unsigned long digest;
} reader;

static void *read_shared(void *arg)
{
    reader *rd = arg;
    for (int round = 0; round < ROUNDS; round++)
        rd->digest = summarise(rd->result);
    return NULL;
}

static void many_readers_share_one_result(void **state)
{
    (void)state;
    vipa_ctx *ctx = build();
    assert_non_null(ctx);
    vipa_result *r = NULL;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    unsigned long expected = summarise(r);
    pthread_t threads[THREADS];
    reader readers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        readers[i] = (reader){r, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, read_shared, &readers[i]), 0);
    }
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);
    for (int i = 0; i < THREADS; i++)
        assert_true(readers[i].digest == expected);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

enum { MESSAGES_MAX = 64 };

typedef struct first_reader {
    const vipa_findings *findings;
    pthread_barrier_t *start;
    const char *seen[MESSAGES_MAX];
} first_reader;

static void *read_messages_first(void *arg)
{
    first_reader *rd = arg;
    pthread_barrier_wait(rd->start);
    for (size_t i = 0; i < vipa_findings_count(rd->findings) && i < MESSAGES_MAX; i++)
        rd->seen[i] = vipa_finding_message(rd->findings, i);
    return NULL;
}

/* No message read before: the readers, released at once, race to format each one, and
 * every reader gets the one copy kept, the text vipa_finding_message_format() writes. */
static void readers_race_to_the_first_messages(void **state)
{
    (void)state;
    vipa_ctx *ctx = build();
    assert_non_null(ctx);
    vipa_result *r = NULL;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    const vipa_findings *f = vipa_result_findings(r);
    size_t n = vipa_findings_count(f);
    assert_true(n > 0 && n <= MESSAGES_MAX);
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, THREADS), 0);
    pthread_t threads[THREADS];
    first_reader readers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        readers[t] = (first_reader){f, &start, {NULL}};
        assert_int_equal(pthread_create(&threads[t], NULL, read_messages_first, &readers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++)
        assert_int_equal(pthread_join(threads[t], NULL), 0);
    pthread_barrier_destroy(&start);
    for (size_t i = 0; i < n; i++) {
        char want[VIPA_FINDING_MESSAGE_SIZE];
        assert_int_equal(vipa_finding_message_format(want, sizeof want, f, i), VIPA_OK);
        assert_string_equal(readers[0].seen[i], want);
        for (int t = 1; t < THREADS; t++)
            assert_ptr_equal(readers[t].seen[i], readers[0].seen[i]);
    }
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(separate_contexts_run_in_parallel),
        cmocka_unit_test(forks_run_beside_their_parent),
        cmocka_unit_test(many_readers_share_one_result),
        cmocka_unit_test(readers_race_to_the_first_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
