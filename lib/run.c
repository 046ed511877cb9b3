/*
 * The run module's year run (四(五)): scheduled evaluations as records, and vipa_run(), which
 * performs them in date order (compliant, rectification, restored, terminated),
 * disqualifies, and fills the result (see include/vipa/run.h). The result's lists are
 * assembled in run_result.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement_internal.h"
#include "run_internal.h"
#include "vipa/error.h"

/* The plain evaluation (recheck 0) or the re-check (1) of a year already scheduled, or
 * NULL. */
static const evaluation_rec *scheduled(const vipa_ctx *ctx, int year, int recheck)
{
    for (size_t i = 0; i < ctx->evaluations.count; i++) {
        const evaluation_rec *r = &ctx->evaluations.items[i];
        if (r->year == year && r->recheck == recheck)
            return r;
    }
    return NULL;
}

/* 四(五): each year is evaluated early the next year (每年初) once, and re-checked at most
 * once after that, for what the evaluation put in rectification. */
static int check_sequence(vipa_ctx *ctx, const char *at, const vipa_evaluation *e)
{
    const char *what = e->recheck ? "re-check" : "evaluation";
    if (scheduled(ctx, e->year, e->recheck))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: the %s of %d is scheduled already; expected "
                          "at most one evaluation and one re-check of a year (四(五))", at, what,
                          e->year);
    const evaluation_rec *plain = e->recheck ? scheduled(ctx, e->year, 0) : NULL;
    if (e->recheck && !plain)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: a re-check of %d needs the evaluation of %d "
                          "before it; list that evaluation first", at, e->year, e->year);
    if (plain && e->date <= plain->date)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: the re-check of %d on %s is not after the "
                          "evaluation it re-checks, on %s", at, e->year, vipa__day(e->date).s,
                          vipa__day(plain->date).s);
    return VIPA_OK;
}

static int add_evaluation(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_evaluation *e = item;
    char at[64];
    snprintf(at, sizeof at, "evaluations[%zu]", index);
    int rc = vipa__check_year(ctx, at, "year", e->year);
    if (rc != VIPA_OK)
        return rc;
    if (!vipa_date_is_valid(e->date) || e->date / 10000 <= e->year)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field date %s is not a real day after %d; "
                          "the evaluation of a year is held early the next year or later "
                          "(每年初, 四(五))", at, vipa__day(e->date).s, e->year);
    if (e->recheck != 0 && e->recheck != 1)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field recheck is %d; expected 0 or 1", at,
                          e->recheck);
    if ((rc = check_sequence(ctx, at, e)) != VIPA_OK)
        return rc;
    evaluation_rec r = {e->date, e->year, (uint8_t)e->recheck};
    ctx->evaluations.items[ctx->evaluations.count++] = r;
    return VIPA_OK;
}

int vipa_ctx_add_evaluations(vipa_ctx *ctx, const vipa_evaluation *evaluations, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_EVALUATION, add_evaluation, evaluations, n);
}

/* ---- the run's state ---------------------------------------------------------------- */

typedef struct run_state {
    vipa_ctx *ctx;
    vipa_ledger *ledger;
    vipa_result *result;
    const vipa_run_options *options;
    uint8_t *rectification; /* [year index × agreements]: in rectification for the year */
    uint32_t *evaluated;    /* [year index × entities]: plain evaluations of its agreements */
    uint32_t *compliant;    /* [year index × entities]: of those, compliant */
    uint32_t *plans;        /* [ctx->agreement_households]: each covered household's plan
                             * under the agreement (VIPA_NO_INDEX: none), looked up once */
    vipa__rows other_holders; /* per agreement: households holding shares from it that it
                              * does not list, each once */
    char input_sha256[65];    /* hashed first, "" when the options skip it */
} run_state;

static void progress(const run_state *s, const char *phase, uint64_t done, uint64_t total)
{
    if (s->options && s->options->progress)
        s->options->progress(s->options->progress_opaque, phase, done, total);
}

/* ---- one agreement at one evaluation --------------------------------------------------- */

uint32_t vipa__plan_of(const vipa_ctx *ctx, uint32_t agreement, uint32_t household)
{
    return VIPA_TABLE_FIND(ctx->plans, vipa__plan_key(household, agreement));
}

/* EXIT_BY_DEADLINE (四(二); 四(三)): by its deadline under the agreement (the earlier of the
 * agreement's and its plan's), a household has exited. `plan`: its plan under the
 * agreement. */
static int check_exit_by_deadline(const run_state *s, uint32_t agreement, uint32_t household,
                                  uint32_t plan, int year, vipa_date cutoff, vipa_findings *list)
{
    vipa__exit_check x;
    int deadline = vipa__exit_deadline(s->ctx, agreement, plan);
    if (vipa__exit_figures(s->ledger, household, deadline, year, cutoff, &x) != VIPA_OK)
        return VIPA_E_INVALID; /* cannot happen: lines and products were checked before */
    if (x.passed)
        return VIPA_OK;
    vipa_id id = s->ctx->households.items[household].id;
    vipa__yuan_text expected = vipa__yuan(x.line), actual = vipa__yuan(x.income);
    vipa__msg why = x.income >= x.line ? VIPA__MSG_T_GUARANTEES_NOT_HELD : VIPA__MSG_T_BELOW_LINE;
    vipa__finding_in f = {VIPA_RULE_EXIT_BY_DEADLINE, VIPA_SEVERITY_NONE, VIPA_SUBJECT_HOUSEHOLD,
                          id, year, expected.s, actual.s};
    return VIPA__FINDING(list, &f, F_EXIT_NOT_BY_DEADLINE, (unsigned long long)id, deadline, year,
                         actual.s, expected.s, VIPA__TERM(why));
}

/* PLAN_TASKS_MET (四(三) 年度任务; 四(五) 按期完成目标任务): the plan's income target of the
 * year is reached as of the cut-off. */
static int check_plan_tasks(const run_state *s, uint32_t plan, int year, vipa_date cutoff,
                            vipa_findings *list)
{
    if (plan == VIPA_NO_INDEX)
        return VIPA_OK;
    vipa__task_check t;
    vipa__task_figures(s->ledger, plan, year, cutoff, &t);
    if (t.passed)
        return VIPA_OK;
    const plan_rec *p = &s->ctx->plans.items[plan];
    vipa_id id = s->ctx->households.items[vipa__plan_household(p)].id;
    vipa_id agreement = s->ctx->agreements.items[vipa__plan_agreement(p)].id;
    vipa__yuan_text expected = vipa__yuan(t.target), actual = vipa__yuan(t.income);
    vipa__finding_in f = {VIPA_RULE_PLAN_TASKS_MET, VIPA_SEVERITY_NONE, VIPA_SUBJECT_HOUSEHOLD, id,
                          year, expected.s, actual.s};
    return VIPA__FINDING(list, &f, F_PLAN_TASK, (unsigned long long)id, year,
                              (unsigned long long)agreement, expected.s, year, actual.s);
}

/* Every linkage under the agreement due in the year, whether or not the agreement lists
 * its household (LINKAGE_UNDER_AGREEMENT then says so): its checks as of the cut-off. */
static int check_agreement_linkages(const run_state *s, uint32_t agreement, int year,
                                    vipa_date cutoff, vipa_findings *list)
{
    const vipa__rows *rows = &s->ledger->linkages_by_agreement;
    for (uint32_t k = rows->offsets[agreement]; k < rows->offsets[agreement + 1]; k++) {
        uint32_t l = vipa__row(rows, k);
        const linkage_rec *rec = &s->ctx->linkages.items[l];
        if (year < rec->from_year || year > rec->to_year)
            continue;
        int rc = vipa__check_linkage_agreement(s->ledger, l, year, list);
        if (rc == VIPA_OK)
            rc = vipa__check_linkage_paid(s->ledger, l, year, cutoff, list);
        if (rc != VIPA_OK)
            return rc;
    }
    return VIPA_OK;
}

/* The households it covers that are linked in the year are at least those promised
 * (对照产业扶贫协议, 四(五)); cited as EVALUATION_OUTCOME: the evaluation's own check. */
static int check_promised(const run_state *s, uint32_t agreement, int year, vipa_findings *list)
{
    const agreement_rec *a = &s->ctx->agreements.items[agreement];
    size_t promised = vipa__households_promised(a);
    size_t linked = vipa__households_linked(s->ledger, agreement, year);
    if (linked >= promised)
        return VIPA_OK;
    char expected[24], actual[24];
    snprintf(expected, sizeof expected, "%zu", promised);
    snprintf(actual, sizeof actual, "%zu", linked);
    vipa__finding_in f = {VIPA_RULE_EVALUATION_OUTCOME, VIPA_SEVERITY_ERROR, VIPA_SUBJECT_AGREEMENT,
                          a->id, year, expected, actual};
    return VIPA__FINDING(list, &f, F_PROMISED, (unsigned long long)a->id, promised, linked,
                         year);
}

int vipa__household_linked(const vipa_ledger *ledger, uint32_t agreement, uint32_t household,
                           int year)
{
    const vipa_ctx *ctx = ledger->ctx;
    const vipa__rows *rows = &ledger->linkages_by_household;
    for (uint32_t k = rows->offsets[household]; k < rows->offsets[household + 1]; k++) {
        const linkage_rec *l = &ctx->linkages.items[vipa__row(rows, k)];
        if (l->agreement == agreement && year >= l->from_year && year <= l->to_year)
            return 1;
    }
    vipa_date year_end = (vipa_date)(year * 10000 + 1231);
    return vipa__equity_holding(ledger, ctx->agreements.items[agreement].entity,
                                vipa__holder_make(VIPA_HOLDER_HOUSEHOLD, household), year_end) > 0;
}

size_t vipa__households_linked(const vipa_ledger *ledger, uint32_t agreement, int year)
{
    const vipa_ctx *ctx = ledger->ctx;
    const agreement_rec *a = &ctx->agreements.items[agreement];
    size_t linked = 0;
    for (uint32_t i = 0; i < a->household_len; i++)
        linked += (size_t)vipa__household_linked(
            ledger, agreement, ctx->agreement_households[a->first_household + i], year);
    return linked;
}

static int check_household(const run_state *s, uint32_t agreement, uint32_t household,
                           uint32_t plan, int year, vipa_date cutoff, vipa_findings *list)
{
    uint32_t entity = s->ctx->agreements.items[agreement].entity;
    int rc = vipa__check_dividend(s->ledger, entity, household, year, cutoff, list);
    if (rc == VIPA_OK)
        rc = check_exit_by_deadline(s, agreement, household, plan, year, cutoff, list);
    if (rc == VIPA_OK)
        rc = check_plan_tasks(s, plan, year, cutoff, list);
    return rc;
}

/* DIVIDEND_PAID_AS_AGREED for the holders of shares from the agreement that it does not
 * list (an injection's own households, contributions under it): every holder counts. */
static int check_other_holders(const run_state *s, uint32_t agreement, int year,
                               vipa_date cutoff, vipa_findings *list)
{
    const vipa__rows *rows = &s->other_holders;
    uint32_t entity = s->ctx->agreements.items[agreement].entity;
    int rc = VIPA_OK;
    for (uint32_t k = rows->offsets[agreement]; k < rows->offsets[agreement + 1] && rc == VIPA_OK;
         k++)
        rc = vipa__check_dividend(s->ledger, entity, vipa__row(rows, k), year, cutoff, list);
    return rc;
}

/* Every check of one agreement for a year as of a cut-off (see run.h), into `list`. */
static int check_agreement_year(const run_state *s, uint32_t agreement, int year,
                                vipa_date cutoff, vipa_findings *list)
{
    const vipa_ctx *ctx = s->ctx;
    const agreement_rec *a = &ctx->agreements.items[agreement];
    const uint32_t *plans = s->plans + a->first_household;
    int rc = vipa__check_agreement(ctx, agreement, plans, list);
    if (rc == VIPA_OK)
        rc = check_agreement_linkages(s, agreement, year, cutoff, list);
    if (rc != VIPA_OK)
        return rc;
    for (uint32_t i = 0; i < a->household_len && rc == VIPA_OK; i++) {
        uint32_t household = ctx->agreement_households[a->first_household + i];
        rc = check_household(s, agreement, household, plans[i], year, cutoff, list);
    }
    if (rc == VIPA_OK)
        rc = check_other_holders(s, agreement, year, cutoff, list);
    uint32_t core = vipa__area_find(ctx, ctx->entities.items[a->entity].core_village);
    if (rc == VIPA_OK)
        rc = vipa__check_village_coverage(s->ledger, core, year, list);
    return rc == VIPA_OK ? check_promised(s, agreement, year, list) : rc;
}

/* ---- recording an evaluation --------------------------------------------------------- */

/* The evaluation's row in its year, with its failed checks; each failed check also
 * becomes a finding of the run, its message prefixed with the evaluation. */
static int record_evaluation(run_state *s, year_block *block, uint32_t agreement,
                             const evaluation_rec *e, vipa_outcome outcome,
                             const vipa_findings *failed)
{
    vipa_result *r = s->result;
    const agreement_rec *a = &s->ctx->agreements.items[agreement];
    evaluation_row *row = VIPA_ROWS_PUSH(&r->alloc, block->evaluations);
    if (!row)
        return VIPA_E_NOMEM;
    row->agreement = a->id;
    row->entity = s->ctx->entities.items[a->entity].id;
    row->date = e->date;
    row->recheck = e->recheck;
    row->outcome = (uint8_t)outcome;
    row->first_failed = (uint32_t)r->failed.count;
    row->failed_count = (uint32_t)failed->count;
    vipa__day_text day = vipa__day(e->date);
    unsigned long long id = (unsigned long long)a->id;
    for (size_t i = 0; i < failed->count; i++) {
        failed_row *fr = VIPA_ROWS_PUSH(&r->alloc, r->failed);
        if (!fr)
            return VIPA_E_NOMEM;
        int rc = e->recheck
                     ? VIPA__FINDING_COPY(r->findings, failed, i, e->year, P_RECHECK, e->year, day.s, id)
                     : VIPA__FINDING_COPY(r->findings, failed, i, e->year, P_EVALUATION, e->year,
                                          day.s, id);
        if (rc != VIPA_OK)
            return rc;
        /* the copy is the row: its rule, subject, expected and actual are f's */
        fr->finding = (uint32_t)(r->findings->count - 1);
    }
    vipa__finding_in notice = {VIPA_RULE_EVALUATION_OUTCOME, VIPA_SEVERITY_NOTICE,
                               VIPA_SUBJECT_AGREEMENT, a->id, e->year, NULL,
                               vipa_outcome_name(outcome)};
    static const vipa__msg outcome_terms[] = {
        [VIPA_OUTCOME_COMPLIANT] = VIPA__MSG_T_COMPLIANT,
        [VIPA_OUTCOME_RECTIFICATION] = VIPA__MSG_T_RECTIFICATION,
        [VIPA_OUTCOME_RESTORED] = VIPA__MSG_T_RESTORED,
        [VIPA_OUTCOME_TERMINATED] = VIPA__MSG_T_TERMINATED};
    const void *word = VIPA__TERM(outcome_terms[outcome]);
    size_t n = failed->count;
    if (e->recheck)
        return n == 1 ? VIPA__FINDING(r->findings, &notice, F_OUTCOME_RECHECK_ONE, e->year, day.s,
                                      id, word, n)
                      : VIPA__FINDING(r->findings, &notice, F_OUTCOME_RECHECK_MANY, e->year, day.s,
                                      id, word, n);
    return n == 1 ? VIPA__FINDING(r->findings, &notice, F_OUTCOME_EVALUATION_ONE, e->year, day.s,
                                  id, word, n)
                  : VIPA__FINDING(r->findings, &notice, F_OUTCOME_EVALUATION_MANY, e->year, day.s,
                                  id, word, n);
}

/* ---- performing the evaluations ------------------------------------------------------- */

static vipa_outcome decide(const evaluation_rec *e, size_t failed)
{
    if (!e->recheck)
        return failed ? VIPA_OUTCOME_RECTIFICATION : VIPA_OUTCOME_COMPLIANT;
    return failed ? VIPA_OUTCOME_TERMINATED : VIPA_OUTCOME_RESTORED;
}

/* What an outcome changes: rectification is remembered for the re-check; termination
 * ends the agreement and disqualifies the entity from that day (四(五)). */
static void apply_outcome(run_state *s, size_t y, uint32_t agreement, const evaluation_rec *e,
                          vipa_outcome outcome)
{
    size_t agreements = s->ctx->agreements.count, entities = s->ctx->entities.count;
    uint32_t entity = s->ctx->agreements.items[agreement].entity;
    uint8_t *rect = &s->rectification[y * agreements + agreement];
    if (!e->recheck) {
        s->evaluated[y * entities + entity]++;
        s->compliant[y * entities + entity] += outcome == VIPA_OUTCOME_COMPLIANT;
    }
    *rect = outcome == VIPA_OUTCOME_RECTIFICATION;
    if (outcome == VIPA_OUTCOME_TERMINATED) {
        s->ledger->terminated_on[agreement] = e->date;
        vipa_date *disqualified = &s->ledger->disqualified_from[entity];
        if (!*disqualified || e->date < *disqualified)
            *disqualified = e->date;
    }
}

static int evaluate_agreement(run_state *s, size_t y, uint32_t agreement, const evaluation_rec *e)
{
    vipa_findings *failed = vipa__findings_new(&s->result->alloc);
    if (!failed)
        return VIPA_E_NOMEM;
    int rc = check_agreement_year(s, agreement, e->year, e->date, failed);
    if (rc == VIPA_OK) {
        vipa__findings_sort(failed);
        vipa_outcome outcome = decide(e, failed->count);
        rc = record_evaluation(s, &s->result->years[y], agreement, e, outcome, failed);
        apply_outcome(s, y, agreement, e, outcome);
    }
    vipa_findings_free(failed);
    return rc;
}

/* A plain evaluation of a year checks every agreement in force in it, whatever its date
 * (a late evaluation of an earlier year still finds an agreement terminated since); a
 * re-check, those its year's evaluation put in rectification. */
static int perform(run_state *s, const evaluation_rec *e)
{
    int y = vipa__result_year_index(s->result, e->year);
    const year_block *b = &s->result->years[y];
    s->ledger->year_cache.year = b->year;
    s->ledger->year_cache.other = b->other;
    s->ledger->year_cache.held = b->held;
    size_t agreements = s->ctx->agreements.count;
    for (uint32_t a = 0; a < agreements; a++) {
        int due = e->recheck ? s->rectification[(size_t)y * agreements + a]
                             : vipa__agreement_in_force(s->ledger, a, e->year);
        if (!due)
            continue;
        int rc = evaluate_agreement(s, (size_t)y, a, e);
        if (rc != VIPA_OK)
            return vipa__fail(s->ctx, rc, "run: %s evaluating agreement %llu for %d",
                              rc == VIPA_E_NOMEM ? "out of memory" : vipa_strerror(rc),
                              (unsigned long long)s->ctx->agreements.items[a].id, e->year);
    }
    return VIPA_OK;
}

/* Date order; on the same day the plain evaluation before its re-check, then by year. */
static int by_date(const void *a, const void *b)
{
    const evaluation_rec *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->recheck != y->recheck)
        return x->recheck < y->recheck ? -1 : 1;
    return (x->year > y->year) - (x->year < y->year);
}

static int perform_evaluations(run_state *s)
{
    const vipa_ctx *ctx = s->ctx;
    size_t n = ctx->evaluations.count;
    if (n == 0)
        return VIPA_OK;
    evaluation_rec *order = vipa__calloc(&ctx->alloc, n + 1, sizeof *order);
    if (!order)
        return vipa__fail(s->ctx, VIPA_E_NOMEM, "run: out of memory ordering evaluations");
    memcpy(order, ctx->evaluations.items, n * sizeof *order);
    qsort(order, n, sizeof *order, by_date);
    int rc = VIPA_OK;
    for (size_t i = 0; i < n && rc == VIPA_OK; i++) {
        progress(s, "evaluations", i, n);
        rc = perform(s, &order[i]);
    }
    vipa__free(&ctx->alloc, order);
    return rc;
}

/* ---- the run ----------------------------------------------------------------------------- */

static void count_holder(void *opaque, uint32_t agreement, uint32_t household)
{
    run_state *s = opaque;
    (void)household;
    s->other_holders.offsets[agreement + 1]++;
}

static void place_holder(void *opaque, uint32_t agreement, uint32_t household)
{
    run_state *s = opaque;
    s->other_holders.items[s->other_holders.offsets[agreement]++] = household;
}

static int by_index(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* s->other_holders: per agreement, its unlisted holders in index order, each once. */
static int build_other_holders(run_state *s)
{
    const vipa__allocator *a = &s->result->alloc;
    size_t agreements = s->ctx->agreements.count;
    vipa__rows *rows = &s->other_holders;
    rows->offsets = vipa__calloc(a, agreements + 2, sizeof *rows->offsets);
    if (!rows->offsets)
        return VIPA_E_NOMEM;
    vipa__unlisted_holders(s->ledger, VIPA_NO_INDEX, count_holder, s);
    for (size_t g = 0; g < agreements; g++)
        rows->offsets[g + 1] += rows->offsets[g];
    rows->items = vipa__calloc(a, (size_t)rows->offsets[agreements] + 1, sizeof *rows->items);
    if (!rows->items)
        return VIPA_E_NOMEM;
    vipa__unlisted_holders(s->ledger, VIPA_NO_INDEX, place_holder, s); /* offsets end at the ends */
    memmove(rows->offsets + 1, rows->offsets, agreements * sizeof *rows->offsets);
    rows->offsets[0] = 0;
    uint32_t kept = 0;
    for (size_t g = 0; g < agreements; g++) {
        uint32_t from = rows->offsets[g], to = rows->offsets[g + 1];
        if (to - from > 1)
            qsort(rows->items + from, to - from, sizeof *rows->items, by_index);
        rows->offsets[g] = kept;
        for (uint32_t k = from; k < to; k++)
            if (k == from || rows->items[k] != rows->items[k - 1])
                rows->items[kept++] = rows->items[k];
    }
    rows->offsets[agreements] = kept;
    return VIPA_OK;
}

static int allocate_state(run_state *s)
{
    const vipa_ctx *ctx = s->ctx;
    const vipa__allocator *a = &s->result->alloc;
    size_t years = s->result->year_count;
    s->rectification = vipa__calloc(a, years * ctx->agreements.count + 1, 1);
    s->evaluated = vipa__calloc(a, years * ctx->entities.count + 1, sizeof *s->evaluated);
    s->compliant = vipa__calloc(a, years * ctx->entities.count + 1, sizeof *s->compliant);
    s->ledger->terminated_on = vipa__calloc(a, ctx->agreements.count + 1, sizeof(vipa_date));
    s->plans = vipa__malloc(a, (ctx->agreement_household_count + 1) * sizeof *s->plans);
    if (!s->rectification || !s->evaluated || !s->compliant || !s->ledger->terminated_on ||
        !s->plans)
        return vipa__fail(s->ctx, VIPA_E_NOMEM, "run: out of memory");
    /* Each plan to its household's place in its agreement's sorted slice: there is one plan
     * per household and agreement, and only for a household the agreement covers. */
    for (size_t i = 0; i < ctx->agreement_household_count; i++)
        s->plans[i] = VIPA_NO_INDEX;
    for (uint32_t i = 0; i < ctx->plans.count; i++) {
        const plan_rec *p = &ctx->plans.items[i];
        uint32_t household = vipa__plan_household(p);
        const agreement_rec *ag = &ctx->agreements.items[vipa__plan_agreement(p)];
        const uint32_t *slice = ctx->agreement_households + ag->first_household;
        uint32_t lo = 0, hi = ag->household_len;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (slice[mid] < household)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < ag->household_len && slice[lo] == household)
            s->plans[ag->first_household + lo] = i;
    }
    if (build_other_holders(s) != VIPA_OK)
        return vipa__fail(s->ctx, VIPA_E_NOMEM, "run: out of memory");
    return VIPA_OK;
}

static void free_state(run_state *s)
{
    const vipa__allocator *a = &s->result->alloc;
    vipa__free(a, s->other_holders.offsets);
    vipa__free(a, s->other_holders.items);
    vipa__free(a, s->rectification);
    vipa__free(a, s->evaluated);
    vipa__free(a, s->compliant);
    vipa__free(a, s->plans);
}

static int run_phases(run_state *s)
{
    vipa_result *r = s->result;
    int rc = vipa__result_years(r);
    if (rc == VIPA_OK)
        rc = allocate_state(s);
    progress(s, "households", 0, 1);
    if (rc == VIPA_OK)
        rc = vipa__result_household_years(r);
    progress(s, "checks", 0, 1);
    if (rc == VIPA_OK && (rc = vipa__check_records(s->ctx, s->plans, r->findings)) != VIPA_OK)
        rc = vipa__fail(s->ctx, rc, "run: %s keeping the findings of the records",
                        vipa_strerror(rc));
    if (rc == VIPA_OK)
        rc = perform_evaluations(s);
    vipa__result_year_scratch_free(r);
    progress(s, "result", 0, 1);
    if (rc == VIPA_OK)
        rc = vipa__result_lists(r, s->evaluated, s->compliant);
    if (rc == VIPA_OK)
        vipa__stamp(r, s->input_sha256);
    progress(s, "done", 1, 1);
    return rc;
}

int vipa_run(vipa_result **out, vipa_ctx *ctx, const vipa_run_options *options)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return VIPA_E_INVALID;
    if (!out)
        return vipa__fail(ctx, VIPA_E_INVALID, "run: the output pointer is NULL");
    *out = NULL;
    if (options && (options->version == 0 || options->version > VIPA_RUN_OPTIONS_VERSION))
        return vipa__fail(ctx, VIPA_E_VERSION, "run: options version %u is not supported; "
                          "expected 1..%u", options->version, VIPA_RUN_OPTIONS_VERSION);
    run_state s = {.ctx = ctx, .options = options};
    progress(&s, "ledger", 0, 1);
    int rc = VIPA_OK;
    if (!(options && (options->flags & VIPA_RUN_NO_INPUT_HASH)) &&
        vipa__input_sha256(ctx, s.input_sha256) != VIPA_OK)
        rc = vipa__fail(ctx, VIPA_E_NOMEM, "run: out of memory hashing the input");
    if (rc == VIPA_OK)
        rc = vipa__result_new(&s.result, ctx);
    if (rc == VIPA_OK) {
        s.ledger = s.result->ledger;
        rc = run_phases(&s);
        free_state(&s);
    }
    if (rc != VIPA_OK) {
        vipa_result_free(s.result);
        return rc;
    }
    *out = s.result;
    return vipa__succeed(ctx);
}
