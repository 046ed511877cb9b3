/*
 * The agreement module's internals: the checks that need only the records
 * (agreement_check.c; vipa_check(), include/vipa/findings.h), and the agreement queries
 * they and the year run share (agreement.c). Internal; never installed.
 *
 * Agreement and household arguments are indexes into ctx->agreements and
 * ctx->households (not ids): callers already hold indexes, and the queries must stay
 * cheap enough to run once per household of a province.
 */
#ifndef VIPA_AGREEMENT_INTERNAL_H
#define VIPA_AGREEMENT_INTERNAL_H

#include "registry_internal.h"
#include "findings_internal.h"

/* 1 if the agreement lists the household, else 0. A binary search: an agreement's
 * households are kept as a sorted slice of ctx->agreement_households. */
int vipa__agreement_covers(const vipa_ctx *ctx, uint32_t agreement, uint32_t household);

/* The signer 四(二) calls for (`SIGNER_LEVEL`): the span of the entity's core village
 * and the households' villages. Same result as vipa_signer_compute() on those villages,
 * computed in one pass without allocating. Never UNRECORDED; area 0 with NOT_PROVIDED. */
void vipa__agreement_signer(const vipa_ctx *ctx, uint32_t agreement, vipa_signer_level *level,
                            vipa_area_code *area);

/* The number of households an agreement promises to drive (包扶户数量, 四(二)): the count
 * it states, else the households it lists. The evaluation checks it against those linked. */
static inline size_t vipa__households_promised(const agreement_rec *a)
{
    return a->household_count >= 0 ? (size_t)a->household_count : a->household_len;
}

/* A household's poverty-exit deadline under an agreement (EXIT_BY_DEADLINE, 四(二); 四(三)):
 * the earlier of the agreement's deadline (脱贫期限) and its plan's exit target (`plan`: its
 * plan under the agreement, or VIPA_NO_INDEX), either left out when not stated; 0 when
 * neither states one. The plan may be more ambitious than the agreement, never less. */
int vipa__exit_deadline(const vipa_ctx *ctx, uint32_t agreement, uint32_t plan);

/* Appends to `list` the findings of every records-only rule (all of year 0):
 * ONE_TOWN_ONE_INDUSTRY, ENTITY_SELECTION, SIGNER_LEVEL, AGREEMENT_CONTENT,
 * PLAN_PER_HOUSEHOLD, PLAN_INCOME_INDUSTRY, PLAN_FILED_3_LEVELS, EXIT_BY_DEADLINE (a plan
 * targeting exit after its agreement's deadline), LINKAGE_UNDER_AGREEMENT. Does not sort. `plans`: the plan index (VIPA_NO_INDEX for none)
 * of each entry of ctx->agreement_households under its agreement, or NULL to look them up.
 * VIPA_OK, or the list's failure: VIPA_E_NOMEM, or VIPA_E_LIMIT past its text's bound (the
 * list may then hold part of the findings; the context is never changed, and its error
 * is not set). */
int vipa__check_records(vipa_ctx *ctx, const uint32_t *plans, vipa_findings *list);

/* The records-only checks of one agreement (index), as its evaluation needs them:
 * AGREEMENT_CONTENT, and PLAN_PER_HOUSEHOLD, PLAN_INCOME_INDUSTRY, PLAN_FILED_3_LEVELS and
 * EXIT_BY_DEADLINE (target after deadline) for its households' plans under it. `plans`: the plan index (VIPA_NO_INDEX for none)
 * of each of its households under it, in the order of its households, or NULL to look
 * them up. Findings of year 0. VIPA_OK or the list's failure (VIPA_E_NOMEM, VIPA_E_LIMIT). */
int vipa__check_agreement(const vipa_ctx *ctx, uint32_t agreement, const uint32_t *plans,
                          vipa_findings *list);

#endif /* VIPA_AGREEMENT_INTERNAL_H */
