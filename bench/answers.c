/* Comparing and printing the answers of the implementations (see answers.h). */
#include "answers.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

void answers_agreement(answers *a, uint64_t id, const uint64_t failed_evaluation[CHECK_KINDS],
                       const uint64_t failed_recheck[CHECK_KINDS])
{
    uint64_t first = 0, second = 0;
    for (int k = 0; k < CHECK_KINDS; k++) {
        first += failed_evaluation[k];
        a->failed[0][k] += failed_evaluation[k];
    }
    int outcome = VIPA_OUTCOME_COMPLIANT;
    if (first) {
        a->outcomes[VIPA_OUTCOME_RECTIFICATION]++;
        for (int k = 0; k < CHECK_KINDS; k++) {
            second += failed_recheck[k];
            a->failed[1][k] += failed_recheck[k];
        }
        outcome = second ? VIPA_OUTCOME_TERMINATED : VIPA_OUTCOME_RESTORED;
    }
    a->outcomes[outcome]++;
    a->agreement_digest += agreement_digest(id, first, second, outcome);
}

/* The fields in one table: name, offset, signed. */
#define FIELD(name, member, is_signed) {name, offsetof(answers, member), is_signed}
static const struct field {
    const char *name;
    size_t offset;
    int is_signed;
} fields[ANSWERS_FIELDS] = {
    FIELD("households", households, 0),
    FIELD("income_sum", income_sum, 1),
    FIELD("line_sum", line_sum, 1),
    FIELD("meets", meets, 0),
    FIELD("household_digest", household_digest, 0),
    FIELD("linkage_due_sum", linkage_due_sum, 1),
    FIELD("dividend_due_sum", dividend_due_sum, 1),
    FIELD("dividend_paid_sum", dividend_paid_sum, 1),
    FIELD("failed_obligations", failed[0][0], 0),
    FIELD("failed_dividends", failed[0][1], 0),
    FIELD("failed_exit", failed[0][2], 0),
    FIELD("failed_tasks", failed[0][3], 0),
    FIELD("recheck_failed_obligations", failed[1][0], 0),
    FIELD("recheck_failed_dividends", failed[1][1], 0),
    FIELD("recheck_failed_exit", failed[1][2], 0),
    FIELD("recheck_failed_tasks", failed[1][3], 0),
    FIELD("failed_other", failed_other, 0),
    FIELD("compliant", outcomes[VIPA_OUTCOME_COMPLIANT], 0),
    FIELD("rectification", outcomes[VIPA_OUTCOME_RECTIFICATION], 0),
    FIELD("restored", outcomes[VIPA_OUTCOME_RESTORED], 0),
    FIELD("terminated", outcomes[VIPA_OUTCOME_TERMINATED], 0),
    FIELD("agreement_digest", agreement_digest, 0),
    FIELD("outcome_mismatch", outcomes[VIPA_OUTCOME_NONE], 0),
};

static uint64_t get(const answers *a, size_t i)
{
    uint64_t v;
    memcpy(&v, (const char *)a + fields[i].offset, sizeof v);
    return v;
}

int answers_equal(const answers *a, const answers *b, const char *name_a, const char *name_b,
                  FILE *out)
{
    int equal = 1;
    for (size_t i = 0; i < ANSWERS_FIELDS; i++) {
        uint64_t x = get(a, i), y = get(b, i);
        if (x == y)
            continue;
        equal = 0;
        if (fields[i].is_signed)
            fprintf(out, "  %s: %s %" PRId64 " vs %s %" PRId64 "\n", fields[i].name, name_a,
                    (int64_t)x, name_b, (int64_t)y);
        else
            fprintf(out, "  %s: %s %" PRIu64 " vs %s %" PRIu64 "\n", fields[i].name, name_a, x,
                    name_b, y);
    }
    return equal;
}

void answers_json(const answers *a, FILE *out)
{
    for (size_t i = 0; i < ANSWERS_FIELDS; i++) {
        uint64_t v = get(a, i);
        /* Digests as strings: JSON readers may hold numbers in doubles. */
        if (strstr(fields[i].name, "digest"))
            fprintf(out, "%s\"%s\": \"%016" PRIx64 "\"", i ? ", " : "", fields[i].name, v);
        else if (fields[i].is_signed)
            fprintf(out, "%s\"%s\": %" PRId64, i ? ", " : "", fields[i].name, (int64_t)v);
        else
            fprintf(out, "%s\"%s\": %" PRIu64, i ? ", " : "", fields[i].name, v);
    }
}

int answers_parse_line(answers *a, const char *key, const char *value, unsigned *seen)
{
    for (size_t i = 0; i < ANSWERS_FIELDS; i++) {
        if (strcmp(key, fields[i].name) != 0)
            continue;
        char *end;
        uint64_t v = fields[i].is_signed ? (uint64_t)strtoll(value, &end, 10)
                                         : strtoull(value, &end, 10);
        if (end == value)
            return 0;
        memcpy((char *)a + fields[i].offset, &v, sizeof v);
        *seen |= 1u << i;
        return 1;
    }
    return 0;
}
