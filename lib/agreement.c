/* The agreement module: agreements (签订协议, 四(二)) and assistance plans (制定方案, 四(三))
 * (see include/vipa/agreement.h), and the queries on a stored agreement that the checks
 * and the year run share: the households it covers, who should sign it. Each add
 * validates one record fully, then appends it; vipa__add_batch takes the whole batch
 * back on the first failure.
 *
 * Only what makes a record meaningless is refused here. What an agreement or plan
 * leaves out (no count, no period, no filing...) is stored as given: reporting it is
 * the job of the checks in agreement_check.c. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement_internal.h"
#include "area_internal.h"
#include "vipa/date.h"
#include "vipa/error.h"

/* ---- shared checks -------------------------------------------------------------- */

/* Counts are stored as uint32_t to keep the records small. */
static int check_count_fits(vipa_ctx *ctx, const char *at, const char *field, size_t count)
{
    if (count > UINT32_MAX)
        return vipa__fail(ctx, VIPA_E_LIMIT, "%s: field %s is %zu; at most %lu are supported",
                          at, field, count, (unsigned long)UINT32_MAX);
    return VIPA_OK;
}

/* Grows a flat uint32-offset array so that `more` items fit after `count`. */
static int reserve_slice(const vipa__allocator *a, void *items_field, size_t *capacity,
                         size_t count, size_t more, size_t item_size)
{
    /* slices start at a uint32_t offset */
    return vipa__list_reserve(a, items_field, capacity, count, more, item_size, UINT32_MAX);
}

static int slice_failed(vipa_ctx *ctx, int rc, const char *at, const char *field)
{
    if (rc == VIPA_E_LIMIT)
        return vipa__fail(ctx, rc, "%s: field %s would take the context past %lu stored items",
                          at, field, (unsigned long)UINT32_MAX);
    return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory storing field %s", at, field);
}

static int compare_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static int compare_task_year(const void *a, const void *b)
{
    int32_t x = ((const plan_task_rec *)a)->year, y = ((const plan_task_rec *)b)->year;
    return (x > y) - (x < y);
}

/* ---- agreements ----------------------------------------------------------------- */

static int check_agreement_id(vipa_ctx *ctx, const char *at, vipa_id id)
{
    int rc = vipa__check_id(ctx, at, id);
    if (rc != VIPA_OK)
        return rc;
    if (VIPA_TABLE_FIND(ctx->agreements, id) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: field id: an agreement with id %llu exists "
                          "already", at, (unsigned long long)id);
    return VIPA_OK;
}

static int check_agreement_counts(vipa_ctx *ctx, const char *at, const vipa_agreement *a)
{
    int rc;
    if ((rc = check_count_fits(ctx, at, "household_len", a->household_len)) != VIPA_OK ||
        (rc = check_count_fits(ctx, at, "project_count", a->project_count)) != VIPA_OK ||
        (rc = check_count_fits(ctx, at, "support_count", a->support_count)) != VIPA_OK)
        return rc;
    if (!a->households && a->household_len > 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field households is NULL but household_len "
                          "is %zu", at, a->household_len);
    if (a->household_count < -1)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field household_count is %lld; expected a "
                          "count ≥ 0, or -1 when the agreement states none", at,
                          (long long)a->household_count);
    return VIPA_OK;
}

static int check_agreement_dates(vipa_ctx *ctx, const char *at, const vipa_agreement *a)
{
    int rc;
    if ((rc = vipa__check_date_or_zero(ctx, at, "start", a->start)) != VIPA_OK ||
        (rc = vipa__check_date_or_zero(ctx, at, "end", a->end)) != VIPA_OK ||
        (rc = vipa__check_date_or_zero(ctx, at, "signed_on", a->signed_on)) != VIPA_OK)
        return rc;
    /* YYYYMMDD integers of valid days order like the days themselves. */
    if (a->start != 0 && a->end != 0 && a->end < a->start)
        return vipa__fail(ctx, VIPA_E_RANGE, "%s: field end %s is before field start %s; "
                          "expected a period that ends on or after its first day", at,
                          vipa__day(a->end).s, vipa__day(a->start).s);
    return vipa__check_year_or_zero(ctx, at, "exit_deadline", a->exit_deadline);
}

/* The area level a recorded signer must have; NONE for the levels that name no area. */
static vipa_area_level signer_area_level(vipa_signer_level level)
{
    switch (level) {
    case VIPA_SIGNER_VILLAGE:
        return VIPA_AREA_VILLAGE;
    case VIPA_SIGNER_TOWN:
        return VIPA_AREA_TOWN;
    case VIPA_SIGNER_COUNTY:
        return VIPA_AREA_COUNTY;
    default:
        return VIPA_AREA_NONE;
    }
}

static int check_signer(vipa_ctx *ctx, const char *at, const vipa_agreement *a)
{
    /* Cast first: the enum may be unsigned, and a caller may pass any int. */
    int level = (int)a->signer_level;
    if (level < VIPA_SIGNER_UNRECORDED || level > VIPA_SIGNER_NOT_PROVIDED)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field signer_level is %d; expected "
                          "unrecorded, village, town, county or not_provided (0..4)", at, level);
    vipa_area_level wanted = signer_area_level(a->signer_level);
    if (wanted == VIPA_AREA_NONE) {
        if (a->signer_area != 0)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: field signer_area is %012llu; expected 0 "
                              "(no area) with signer_level %s", at,
                              (unsigned long long)a->signer_area,
                              vipa_signer_level_name(a->signer_level));
        return VIPA_OK;
    }
    if (a->signer_area == 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field signer_area is 0; signer_level %s "
                          "needs a %s code", at, vipa_signer_level_name(a->signer_level),
                          vipa_area_level_name(wanted));
    if (vipa_area_code_level(a->signer_area) != wanted)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field signer_area %012llu is not a %s code; "
                          "signer_level %s needs one", at, (unsigned long long)a->signer_area,
                          vipa_area_level_name(wanted), vipa_signer_level_name(a->signer_level));
    if (vipa__area_find(ctx, a->signer_area) == VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: field signer_area: %s %012llu is not in "
                          "the context; add it to the areas first", at,
                          vipa_area_level_name(wanted), (unsigned long long)a->signer_area);
    return VIPA_OK;
}

/* Writes the households' indexes after the stored slices, sorted, and checks them; the
 * stored count only moves when the whole agreement is accepted. */
static int collect_households(vipa_ctx *ctx, const char *at, const vipa_agreement *a)
{
    if (a->household_len == 0)
        return VIPA_OK; /* the array may not exist yet: no pointer arithmetic on NULL */
    int rc = reserve_slice(&ctx->alloc, &ctx->agreement_households,
                           &ctx->agreement_household_capacity, ctx->agreement_household_count,
                           a->household_len, sizeof *ctx->agreement_households);
    if (rc != VIPA_OK)
        return slice_failed(ctx, rc, at, "households");
    uint32_t *slice = ctx->agreement_households + ctx->agreement_household_count;
    for (size_t i = 0; i < a->household_len; i++) {
        slice[i] = VIPA_TABLE_FIND(ctx->households, a->households[i]);
        if (slice[i] == VIPA_NO_INDEX)
            return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: field households[%zu]: household %llu "
                              "is not in the context", at, i,
                              (unsigned long long)a->households[i]);
    }
    /* Sorted, a repeat is next to its twin, and "covers" is a binary search. */
    if (a->household_len > 1) /* with none, slice may be NULL */
        qsort(slice, a->household_len, sizeof *slice, compare_u32);
    for (size_t i = 1; i < a->household_len; i++)
        if (slice[i] == slice[i - 1])
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: field households lists household %llu "
                              "twice; expected each household once", at,
                              (unsigned long long)ctx->households.items[slice[i]].id);
    return VIPA_OK;
}

/* Stores the support measures' texts after the stored ones; the count moves only when
 * the whole agreement is accepted (add_agreement). */
static int collect_support(vipa_ctx *ctx, const char *at, const vipa_agreement *a)
{
    if (!a->support || a->support_count == 0)
        return VIPA_OK;
    int rc = VIPA_PARTS_RESERVE(ctx, ctx->agreement_support, a->support_count);
    if (rc != VIPA_OK)
        return slice_failed(ctx, rc, at, "support");
    uint32_t *slice = ctx->agreement_support.items + ctx->agreement_support.count;
    for (size_t i = 0; i < a->support_count; i++) {
        char field[40];
        snprintf(field, sizeof field, "support[%zu]", i);
        if ((rc = vipa__check_text(ctx, at, field, a->support[i])) != VIPA_OK)
            return rc;
        if (vipa__arena_add(&ctx->alloc, &ctx->text, a->support[i], &slice[i]) != VIPA_OK)
            return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory storing field %s", at, field);
    }
    return VIPA_OK;
}

static int check_agreement(vipa_ctx *ctx, const char *at, const vipa_agreement *a, uint32_t *entity)
{
    int rc = check_agreement_id(ctx, at, a->id);
    if (rc != VIPA_OK)
        return rc;
    *entity = VIPA_TABLE_FIND(ctx->entities, a->entity);
    if ((rc = vipa__need(ctx, *entity, at, "entity", a->entity)) != VIPA_OK ||
        (rc = check_agreement_counts(ctx, at, a)) != VIPA_OK ||
        (rc = check_agreement_dates(ctx, at, a)) != VIPA_OK ||
        (rc = check_signer(ctx, at, a)) != VIPA_OK)
        return rc;
    if (a->dividend_bp < 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field dividend_bp is %ld; expected basis "
                          "points ≥ 0 (800 = 8 %%), or 0 when it fixes no dividend", at,
                          (long)a->dividend_bp);
    if ((rc = collect_support(ctx, at, a)) != VIPA_OK)
        return rc;
    return collect_households(ctx, at, a);
}

static int add_agreement(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_agreement *a = item;
    char at[64];
    vipa__record_name(at, sizeof at, "agreements", index, a->id);
    uint32_t entity;
    int rc = check_agreement(ctx, at, a, &entity);
    if (rc != VIPA_OK)
        return rc;
    agreement_rec r = {
        .id = a->id,
        .signer_area = a->signer_area,
        .household_count = a->household_count,
        .entity = entity,
        .first_household = (uint32_t)ctx->agreement_household_count,
        .household_len = (uint32_t)a->household_len,
        .project_count = (uint32_t)a->project_count,
        .support_count = (uint32_t)a->support_count,
        .first_support = (uint32_t)ctx->agreement_support.count,
        .support_len = a->support ? (uint32_t)a->support_count : 0,
        .start = a->start,
        .end = a->end,
        .signed_on = a->signed_on,
        .exit_deadline = a->exit_deadline,
        .dividend_bp = a->dividend_bp,
        .signer_level = (uint8_t)a->signer_level,
    };
    ctx->agreement_household_count += a->household_len;
    ctx->agreement_support.count += r.support_len;
    VIPA_TABLE_PUSH(ctx->agreements, r, r.id);
    return VIPA_OK;
}

int vipa_ctx_add_agreements(vipa_ctx *ctx, const vipa_agreement *agreements, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_AGREEMENT, add_agreement, agreements, n);
}

size_t vipa_ctx_agreement_count(const vipa_ctx *ctx)
{
    return ctx ? ctx->agreements.count : 0;
}

/* ---- what an agreement covers and who signs it ---------------------------------- */

int vipa__agreement_covers(const vipa_ctx *ctx, uint32_t agreement, uint32_t household)
{
    const agreement_rec *a = &ctx->agreements.items[agreement];
    if (a->household_len == 0)
        return 0; /* the slice may be NULL */
    /* A binary search written out: it runs for every linkage and coverage check of a
     * year, where bsearch's call through a comparator per probe costs more than the rest. */
    const uint32_t *slice = ctx->agreement_households + a->first_household;
    uint32_t lo = 0, hi = a->household_len;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (slice[mid] < household)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < a->household_len && slice[lo] == household;
}

void vipa__agreement_signer(const vipa_ctx *ctx, uint32_t agreement, vipa_signer_level *level,
                            vipa_area_code *area)
{
    const agreement_rec *a = &ctx->agreements.items[agreement];
    vipa_area_code core = ctx->entities.items[a->entity].core_village;
    /* The core village is in the span even when no household lives there, so comparing
     * each household's village with it alone gives the whole span. */
    vipa_signer_level widest = VIPA_SIGNER_VILLAGE;
    for (uint32_t i = 0; i < a->household_len && widest != VIPA_SIGNER_NOT_PROVIDED; i++) {
        uint32_t household = ctx->agreement_households[a->first_household + i];
        uint32_t village = ctx->households.items[household].village;
        vipa_signer_level pair = vipa__signer_of_pair(core, ctx->areas.items[village].code);
        if (pair > widest)
            widest = pair;
    }
    *level = widest;
    *area = vipa__signing_area(core, widest);
}

/* ---- plans ---------------------------------------------------------------------- */

/* Finds the plan's household and agreement and checks the agreement covers it. */
static int resolve_plan_refs(vipa_ctx *ctx, const char *at, const vipa_plan *p, uint64_t *key)
{
    uint32_t household = VIPA_TABLE_FIND(ctx->households, p->household);
    int rc = vipa__need(ctx, household, at, "household", p->household);
    if (rc != VIPA_OK)
        return rc;
    uint32_t agreement = VIPA_TABLE_FIND(ctx->agreements, p->agreement);
    if ((rc = vipa__need(ctx, agreement, at, "agreement", p->agreement)) != VIPA_OK)
        return rc;
    if (!vipa__agreement_covers(ctx, agreement, household))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field household: agreement %llu does not "
                          "cover household %llu; a plan follows the agreement (四(三))", at,
                          (unsigned long long)p->agreement, (unsigned long long)p->household);
    *key = vipa__plan_key(household, agreement);
    if (VIPA_TABLE_FIND(ctx->plans, *key) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: a plan of this household under this "
                          "agreement exists already; expected one plan per household and "
                          "agreement", at);
    return VIPA_OK;
}

static int check_plan_fields(vipa_ctx *ctx, const char *at, const vipa_plan *p)
{
    int rc;
    if ((rc = vipa__check_year_or_zero(ctx, at, "exit_target", p->exit_target)) != VIPA_OK ||
        (rc = check_count_fits(ctx, at, "industry_count", p->industry_count)) != VIPA_OK ||
        (rc = check_count_fits(ctx, at, "measure_count", p->measure_count)) != VIPA_OK ||
        (rc = check_count_fits(ctx, at, "person_task_count", p->person_task_count)) != VIPA_OK ||
        (rc = check_count_fits(ctx, at, "task_len", p->task_len)) != VIPA_OK)
        return rc;
    if (p->filed & ~(unsigned)VIPA_FILED_ALL)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field filed is 0x%x; expected bits of "
                          "county, town and village (0x%x at most)", at, p->filed,
                          (unsigned)VIPA_FILED_ALL);
    if (!p->task_years && p->task_len > 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field task_years is NULL but task_len is %zu",
                          at, p->task_len);
    return VIPA_OK;
}

static int check_task(vipa_ctx *ctx, const char *at, const vipa_plan *p, size_t i)
{
    if (!vipa__year_is_valid(p->task_years[i]))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field task_years[%zu] is %d; expected a "
                          "year " VIPA_YEAR_RANGE, at, i, p->task_years[i]);
    if (p->task_incomes && p->task_incomes[i] < 0 && p->task_incomes[i] != VIPA_FEN_UNSET)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field task_incomes[%zu] is %lld fen; "
                          "expected an income target ≥ 0, or VIPA_FEN_UNSET for none", at, i,
                          (long long)p->task_incomes[i]);
    return VIPA_OK;
}

/* Writes the tasks after the stored ones, sorted by year (so a repeat is next to its
 * twin, and the year run can search them); the count moves only on acceptance. */
static int collect_tasks(vipa_ctx *ctx, const char *at, const vipa_plan *p)
{
    if (p->task_len == 0)
        return VIPA_OK; /* the array may not exist yet: no pointer arithmetic on NULL */
    int rc = reserve_slice(&ctx->alloc, &ctx->plan_tasks, &ctx->plan_task_capacity,
                           ctx->plan_task_count, p->task_len, sizeof *ctx->plan_tasks);
    if (rc != VIPA_OK)
        return slice_failed(ctx, rc, at, "task_years");
    plan_task_rec *slice = ctx->plan_tasks + ctx->plan_task_count;
    for (size_t i = 0; i < p->task_len; i++) {
        if ((rc = check_task(ctx, at, p, i)) != VIPA_OK)
            return rc;
        int has_income = p->task_incomes && p->task_incomes[i] != VIPA_FEN_UNSET;
        plan_task_rec t = {p->task_years[i], (uint8_t)has_income,
                           has_income ? p->task_incomes[i] : 0};
        slice[i] = t;
    }
    if (p->task_len > 1)
        qsort(slice, p->task_len, sizeof *slice, compare_task_year);
    for (size_t i = 1; i < p->task_len; i++)
        if (slice[i].year == slice[i - 1].year)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: field task_years repeats year %ld; "
                              "expected each year at most once", at, (long)slice[i].year);
    return VIPA_OK;
}

static int add_plan(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_plan *p = item;
    const char *at = vipa__record_name_later(ctx, "plans", index, "household", p->household,
                                             "agreement", p->agreement);
    uint64_t key = 0;
    int rc = resolve_plan_refs(ctx, at, p, &key);
    if (rc == VIPA_OK)
        rc = check_plan_fields(ctx, at, p);
    if (rc == VIPA_OK)
        rc = collect_tasks(ctx, at, p);
    if (rc != VIPA_OK)
        return rc;
    plan_rec r = {
        .key = key,
        .industry_count = (uint32_t)p->industry_count,
        .measure_count = (uint32_t)p->measure_count,
        .person_task_count = (uint32_t)p->person_task_count,
        .first_task = (uint32_t)ctx->plan_task_count,
        .task_len = (uint32_t)p->task_len,
        .exit_target = (unsigned)p->exit_target,
        .filed = p->filed,
    };
    ctx->plan_task_count += p->task_len;
    VIPA_TABLE_PUSH(ctx->plans, r, r.key);
    return VIPA_OK;
}

static void plan_ahead(const vipa_ctx *ctx, const void *item, int stage)
{
    const vipa_plan *p = item;
    if (stage == VIPA_AHEAD_SLOTS) {
        vipa__idmap_prefetch(&ctx->households.map, p->household);
    } else if (stage == VIPA_AHEAD_RECORDS) {
        vipa__idmap_prefetch_record(&ctx->households.map, VIPA_KEYED(ctx->households),
                                    p->household);
    } else {
        uint32_t household = VIPA_TABLE_FIND(ctx->households, p->household);
        uint32_t agreement = VIPA_TABLE_FIND(ctx->agreements, p->agreement);
        if (household != VIPA_NO_INDEX && agreement != VIPA_NO_INDEX)
            vipa__idmap_prefetch(&ctx->plans.map, vipa__plan_key(household, agreement));
    }
}

int vipa_ctx_add_plans(vipa_ctx *ctx, const vipa_plan *plans, size_t n)
{
    return vipa__add_batch_ahead(ctx, VIPA_KIND_PLAN, add_plan, plan_ahead, plans, n);
}

size_t vipa_ctx_plan_count(const vipa_ctx *ctx)
{
    return ctx ? ctx->plans.count : 0;
}
