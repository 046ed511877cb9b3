/*
 * What every implementation of the year computes, reduced to totals and digests that
 * must agree to the fen: vipa, the stream floor, SQLite, numpy (issue #8).
 *
 * Per household of the year: income (every payment for the year and other income), the
 * line (poverty line × members) and the exit standard (income ≥ line and every guarantee
 * held). Per agreement, at the evaluation's cut-off and, for those in rectification, at
 * the re-check's: the failed checks of OBLIGATIONS_PAID (a linkage due vs paid by the
 * cut-off), DIVIDEND_PAID_AS_AGREED (a household's dividend due vs paid by the cut-off),
 * EXIT_BY_DEADLINE (a household whose deadline, the earlier of the agreement's exit
 * deadline and its plan's exit target, is the year or before meets the standard as of
 * the cut-off) and PLAN_TASKS_MET (a household whose plan under the agreement sets an
 * income target for the year has, as of the cut-off, at least that income: payments for
 * the year dated by the cut-off plus other income), and the outcome.
 *
 * Digests are sums mod 2^64 of gen_mix() chains (numpy computes the same in uint64):
 *   household: mix(mix(mix(id) + income) + 2 × line + meets)
 *   agreement: mix(mix(mix(id) + failed at the evaluation) + 8 × failed at the re-check
 *              + final outcome), the re-check's count 0 when there was none.
 */
#ifndef VIPA_BENCH_ANSWERS_H
#define VIPA_BENCH_ANSWERS_H

#include <stdint.h>
#include <stdio.h>

#include "gen.h"

enum {
    CHECK_OBLIGATIONS = 0, CHECK_DIVIDENDS = 1, CHECK_EXIT = 2, CHECK_TASKS = 3, CHECK_KINDS = 4
};

typedef struct answers {
    uint64_t households;           /* household rows of the year */
    int64_t income_sum, line_sum;
    uint64_t meets;
    uint64_t household_digest;
    int64_t linkage_due_sum;       /* every linkage's due for the year */
    int64_t dividend_due_sum;      /* every household's dividend due for the year */
    int64_t dividend_paid_sum;     /* every dividend payment for the year */
    uint64_t failed[2][CHECK_KINDS]; /* [evaluation, re-check][kind] */
    uint64_t failed_other;         /* failed checks of any other rule: none expected */
    uint64_t outcomes[5];          /* evaluation rows by vipa_outcome; [0]: rows whose outcome
                                    * does not follow from their failed checks (none expected) */
    uint64_t agreement_digest;
} answers;

static inline uint64_t household_digest(uint64_t id, int64_t income, int64_t line, int meets)
{
    return gen_mix(gen_mix(gen_mix(id) + (uint64_t)income) + 2 * (uint64_t)line +
                   (uint64_t)meets);
}

static inline uint64_t agreement_digest(uint64_t id, uint64_t failed_evaluation,
                                        uint64_t failed_recheck, int final_outcome)
{
    return gen_mix(gen_mix(gen_mix(id) + failed_evaluation) + 8 * failed_recheck +
                   (uint64_t)final_outcome);
}

/* Adds one agreement's evaluation (and re-check, when failed_evaluation > 0). */
void answers_agreement(answers *a, uint64_t id, const uint64_t failed_evaluation[CHECK_KINDS],
                       const uint64_t failed_recheck[CHECK_KINDS]);

/* Prints the differences of b from a (named) to out; returns 1 when equal. */
int answers_equal(const answers *a, const answers *b, const char *name_a, const char *name_b,
                  FILE *out);

/* Writes the answers as JSON members ("households": ..., ...) without braces. */
void answers_json(const answers *a, FILE *out);

/* Reads "key value" lines (the numpy peer's output) into a; 1 if every field was read. */
int answers_parse_line(answers *a, const char *key, const char *value, unsigned *seen);
enum { ANSWERS_FIELDS = 23 };

#endif /* VIPA_BENCH_ANSWERS_H */
