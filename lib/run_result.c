/*
 * The run module's result: building its lists (sorted by id, then year) and reading them
 * through the accessors of include/vipa/run.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agreement_internal.h"
#include "run_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

/* ---- creation ----------------------------------------------------------------------- */

int vipa__result_new(vipa_result **out, vipa_ctx *ctx)
{
    vipa_result *r = vipa__calloc(&ctx->alloc, 1, sizeof *r);
    if (!r)
        return vipa__fail(ctx, VIPA_E_NOMEM, "run: out of memory");
    r->alloc = ctx->alloc;
    r->ctx = ctx;
    r->as_of = ctx->as_of;
    int rc = vipa_ledger_build(&r->ledger, ctx);
    if (rc == VIPA_OK && !(r->findings = vipa__findings_new(&r->alloc)))
        rc = vipa__fail(ctx, VIPA_E_NOMEM, "run: out of memory");
    if (rc != VIPA_OK) {
        vipa_result_free(r);
        return rc;
    }
    *out = r;
    return VIPA_OK;
}

static void free_year(const vipa__allocator *a, year_block *b)
{
    vipa__free(a, b->obligations);
    vipa__free(a, b->other);
    vipa__free(a, b->held);
    vipa__free(a, b->household_rows);
    vipa__free(a, b->household_incomes);
    vipa__free(a, b->dividends.items);
    vipa__free(a, b->coverage.items);
    vipa__free(a, b->evaluations.items);
}

void vipa_result_free(vipa_result *r)
{
    if (!r)
        return;
    vipa__allocator a = r->alloc;
    vipa_ledger_free(r->ledger);
    vipa_findings_free(r->findings);
    for (size_t y = 0; y < r->year_count; y++)
        free_year(&a, &r->years[y]);
    vipa__free(&a, r->years);
    vipa__free(&a, r->signers.items);
    vipa__free(&a, r->household_order);
    vipa__free(&a, r->entities.items);
    vipa__free(&a, r->favoured_years.items);
    vipa__free(&a, r->disclosure.items);
    vipa__free(&a, r->support.items);
    vipa__free(&a, r->failed.items);
    vipa__free(&a, r);
}

/* ---- years ------------------------------------------------------------------------- */

int vipa__result_year_index(const vipa_result *r, int year)
{
    for (size_t y = 0; y < r->year_count; y++)
        if (r->years[y].year == year)
            return (int)y;
    return -1;
}

enum {
    FIRST_YEAR = VIPA_YEAR_MIN,
    YEAR_SPAN = VIPA_YEAR_MAX - VIPA_YEAR_MIN + 1,
    VIPA_RUN_YEARS_MAX = 100
};

static void mark_year(uint8_t *seen, int year)
{
    seen[year - FIRST_YEAR] = 1;
}

static void mark_years(uint8_t *seen, int from, int to)
{
    for (int year = from; year <= to; year++)
        mark_year(seen, year);
}

/* The years with a linkage due (its years within its agreement's period) or an agreed
 * dividend rate in force (the period of an agreement with dividend_bp). */
static void mark_agreed_years(const vipa_ctx *ctx, uint8_t *seen)
{
    for (size_t i = 0; i < ctx->linkages.count; i++) {
        const linkage_rec *l = &ctx->linkages.items[i];
        const agreement_rec *a = &ctx->agreements.items[l->agreement];
        int from = l->from_year, to = l->to_year;
        if (a->start && a->end) {
            from = from > vipa__year_of(a->start) ? from : vipa__year_of(a->start);
            to = to < vipa__year_of(a->end) ? to : vipa__year_of(a->end);
        }
        mark_years(seen, from, to);
    }
    for (size_t i = 0; i < ctx->agreements.count; i++) {
        const agreement_rec *a = &ctx->agreements.items[i];
        if (a->dividend_bp > 0 && a->start && a->end)
            mark_years(seen, vipa__year_of(a->start), vipa__year_of(a->end));
    }
}

int vipa__result_years(vipa_result *r)
{
    vipa_ctx *ctx = r->ctx;
    uint8_t seen[YEAR_SPAN] = {0};
    for (size_t i = 0; i < ctx->evaluations.count; i++)
        mark_year(seen, ctx->evaluations.items[i].year);
    for (size_t i = 0; i < ctx->payments.count; i++)
        mark_year(seen, vipa__payment_year(&ctx->payments.items[i]));
    for (size_t i = 0; i < ctx->incomes.count; i++)
        mark_year(seen, vipa__key_year(ctx->incomes.items[i].key));
    for (size_t i = 0; i < ctx->dividends.count; i++)
        mark_year(seen, vipa__key_year(ctx->dividends.items[i].key));
    for (size_t i = 0; i < ctx->plan_task_count; i++)
        mark_year(seen, ctx->plan_tasks[i].year);
    mark_agreed_years(ctx, seen);
    size_t count = 0;
    int first = 0, last = 0;
    for (int y = 0; y < YEAR_SPAN; y++)
        if (seen[y]) {
            first = first ? first : FIRST_YEAR + y;
            last = FIRST_YEAR + y;
            count++;
        }
    /* Every year is figured for every household: a span of centuries (a linkage or an
     * agreement "from 1900 to 9999") would multiply the memory a run takes by it. */
    if (count > VIPA_RUN_YEARS_MAX)
        return vipa__fail(ctx, VIPA_E_LIMIT, "run: the records make %zu years of the run "
                          "(%d..%d: linkage, agreement and task years, payments, evaluations); "
                          "a run figures at most %d", count, first, last, VIPA_RUN_YEARS_MAX);
    r->years = vipa__calloc(&r->alloc, count + 1, sizeof *r->years);
    if (!r->years)
        return vipa__fail(ctx, VIPA_E_NOMEM, "run: out of memory");
    for (int y = 0; y < YEAR_SPAN; y++) {
        if (!seen[y])
            continue;
        vipa_fen line;
        if (vipa__profile_line(&ctx->profile, FIRST_YEAR + y, &line) != VIPA_OK)
            return vipa__fail(ctx, VIPA_E_NOT_FOUND, "run: %d has records but no poverty line; "
                              "set the parameter poverty_line.%d (yuan per person per year)",
                              FIRST_YEAR + y, FIRST_YEAR + y);
        year_block *b = &r->years[r->year_count++];
        b->year = FIRST_YEAR + y;
        b->complete = (uint8_t)vipa__year_complete(ctx, b->year);
    }
    return VIPA_OK;
}

/* ---- household figures and exits ------------------------------------------------------- */

/* A household's exit is the earlier of its recorded exit year and the first year it
 * meets the standard; years are figured in ascending order. */
static void note_exit(uint16_t *exit, int year)
{
    if (!*exit || year < *exit)
        *exit = (uint16_t)year;
}

/* Room for a year's household rows, sized exactly: `rows` is counted before. */
static int reserve_household_rows(vipa_result *r, year_block *b, size_t rows)
{
    b->household_rows = vipa__malloc(&r->alloc, (rows + 1) * sizeof *b->household_rows);
    b->household_incomes = vipa__malloc(&r->alloc, (rows + 1) * sizeof *b->household_incomes);
    if (!b->household_rows || !b->household_incomes)
        return vipa__fail(r->ctx, VIPA_E_NOMEM, "run: out of memory");
    return VIPA_OK;
}

static void push_household_row(year_block *b, uint32_t h, vipa_fen income, int meets)
{
    b->household_rows[b->household_count] = h | (meets ? YEAR_ROW_MEETS : 0);
    b->household_incomes[b->household_count++] = income;
}

/* One household's figures of a year; an exit the first year it meets the standard. Room
 * for the row is reserved by the caller. */
static int household_year(vipa_result *r, year_block *b, uint32_t h, vipa_fen per_person)
{
    vipa_ctx *ctx = r->ctx;
    uint16_t *exit = &r->ledger->exit_years[h];
    if (*exit && *exit < b->year)
        return VIPA_OK; /* exited before: no longer poor */
    const household_rec *rec = &ctx->households.items[h];
    vipa_fen income = vipa__household_income(r->ledger, h, b->year, 0), line;
    if (vipa_fen_mul(&line, per_person, rec->members) != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_OVERFLOW, "household %llu: the poverty line × %u members "
                          "does not fit", (unsigned long long)rec->id, rec->members);
    int meets = vipa__standard_met(income, line, vipa__guarantees_held(r->ledger, h, b->year));
    push_household_row(b, h, income, meets);
    if (meets)
        note_exit(exit, b->year);
    return VIPA_OK;
}

/* Figures of one year for every household not exited before it, computed in index order
 * (the records' own order: payments, other incomes and guarantees are read sequentially)
 * and emitted in id order. Same rows and exits as household_year() over the id order,
 * which remains the path when a line × members could overflow (it names the household).
 * The year's other incomes and guarantees stay in the block for the evaluations. */
static int household_year_fast(vipa_result *r, year_block *b, const uint32_t *order,
                               vipa_fen per_person, vipa_fen *incomes)
{
    vipa_ctx *ctx = r->ctx;
    const vipa_ledger *l = r->ledger;
    uint16_t *exits = l->exit_years;
    size_t n = ctx->households.count;
    b->other = vipa__calloc(&r->alloc, n + 1, sizeof *b->other);
    b->held = vipa__malloc(&r->alloc, n + 1);
    if (!b->other || !b->held)
        return vipa__fail(ctx, VIPA_E_NOMEM, "run: out of memory");
    b->per_person = per_person;
    uint8_t *flags = b->held;
    memset(flags, ctx->profile.require_guarantees ? 0 : YEAR_HELD, n);
    for (size_t i = 0; i < ctx->incomes.count; i++) {
        const income_rec *in = &ctx->incomes.items[i];
        if (vipa__key_year(in->key) == b->year)
            b->other[vipa__key_index(in->key)] = in->other;
    }
    if (ctx->profile.require_guarantees)
        for (size_t i = 0; i < ctx->assured.count; i++) {
            const assured_rec *as = &ctx->assured.items[i];
            uint64_t key = vipa__assured_key(as);
            if (vipa__key_year(key) == b->year && vipa__assured_items(as) == VIPA_ASSURED_ITEMS_ALL)
                flags[vipa__key_index(key)] |= YEAR_HELD;
        }
    /* The year's payments in one sequential pass; a household's partial sums are bounded
     * by its whole sum of magnitudes, so they cannot overflow (see check_income_sums in
     * ledger_flows.c). */
    memcpy(incomes, b->other, n * sizeof *incomes);
    for (size_t i = 0; i < ctx->payments.count; i++) {
        const payment_rec *p = &ctx->payments.items[i];
        if (vipa__payment_year(p) == b->year)
            incomes[vipa__payment_household(ctx, p)] += p->amount;
    }
    size_t rows = 0;
    for (size_t h = 0; h < n; h++) {
        if (exits[h] && exits[h] < b->year)
            continue; /* exited before: no longer poor */
        vipa_fen income = incomes[h];
        vipa_fen line = per_person * ctx->households.items[h].members; /* checked by the caller */
        int meets = vipa__standard_met(income, line, (flags[h] & YEAR_HELD) != 0);
        flags[h] |= (uint8_t)(YEAR_FIGURED | (meets ? YEAR_MEETS : 0));
        if (meets)
            note_exit(&exits[h], b->year);
        rows++;
    }
    int rc = reserve_household_rows(r, b, rows);
    if (rc != VIPA_OK)
        return rc;
    for (size_t k = 0; k < n; k++) {
        uint32_t h = order[k];
        if (flags[h] & YEAR_FIGURED)
            push_household_row(b, h, incomes[h], (flags[h] & YEAR_MEETS) != 0);
    }
    return VIPA_OK;
}

void vipa__result_year_scratch_free(vipa_result *r)
{
    memset(&r->ledger->year_cache, 0, sizeof r->ledger->year_cache);
    for (size_t y = 0; y < r->year_count; y++) {
        vipa__free(&r->alloc, r->years[y].other);
        vipa__free(&r->alloc, r->years[y].held);
        r->years[y].other = NULL;
        r->years[y].held = NULL;
    }
}

int vipa__result_household_years(vipa_result *r)
{
    vipa_ctx *ctx = r->ctx;
    size_t n = ctx->households.count;
    r->ledger->exit_years = vipa__calloc(&r->alloc, n + 1, sizeof *r->ledger->exit_years);
    if (!r->ledger->exit_years ||
        vipa__order_by_key(&r->alloc, VIPA_KEYED(ctx->households), n, &r->household_order) !=
            VIPA_OK)
        return vipa__fail(ctx, VIPA_E_NOMEM, "run: out of memory");
    const uint32_t *order = r->household_order;
    for (size_t h = 0; h < n; h++)
        r->ledger->exit_years[h] = ctx->households.items[h].exited_year;
    vipa_fen *incomes = vipa__malloc(&r->alloc, (n + 1) * sizeof *incomes);
    if (!incomes)
        return vipa__fail(ctx, VIPA_E_NOMEM, "run: out of memory");
    int rc = VIPA_OK;
    for (size_t y = 0; y < r->year_count && rc == VIPA_OK; y++) {
        vipa_fen per_person = 0;
        vipa__profile_line(&ctx->profile, r->years[y].year, &per_person);
        r->years[y].per_person = per_person;
        if (per_person <= INT64_MAX / VIPA_MEMBERS_MAX) {
            rc = household_year_fast(r, &r->years[y], order, per_person, incomes);
            continue;
        }
        /* The rare path (a line that could overflow): room for every household. */
        rc = reserve_household_rows(r, &r->years[y], n);
        for (size_t k = 0; k < n && rc == VIPA_OK; k++)
            rc = household_year(r, &r->years[y], order[k], per_person);
    }
    vipa__free(&r->alloc, incomes);
    return rc;
}

/* ---- the lists of the whole run --------------------------------------------------------- */

static int fill_signers(vipa_result *r, const uint32_t *agreement_order)
{
    const vipa_ctx *ctx = r->ctx;
    for (size_t k = 0; k < ctx->agreements.count; k++) {
        uint32_t a = agreement_order[k];
        signer_row *row = VIPA_ROWS_PUSH(&r->alloc, r->signers);
        if (!row)
            return VIPA_E_NOMEM;
        vipa_signer_level level;
        vipa__agreement_signer(ctx, a, &level, &row->area);
        row->agreement = ctx->agreements.items[a].id;
        row->level = (uint8_t)level;
    }
    return VIPA_OK;
}

/* The household list is the id order vipa__result_household_years made (ids from the
 * context, exit years from the ledger): nothing to copy. */
static int fill_households(vipa_result *r)
{
    r->household_count = r->ctx->households.count;
    return VIPA_OK;
}

/* The day of a year's plain evaluation, or 0 (at most one, vipa_ctx_add_evaluations). */
static vipa_date plain_evaluation_day(const vipa_ctx *ctx, int year)
{
    for (size_t i = 0; i < ctx->evaluations.count; i++)
        if (ctx->evaluations.items[i].year == year && !ctx->evaluations.items[i].recheck)
            return ctx->evaluations.items[i].date;
    return 0;
}

/* Favoured for a year (予以倾斜, 四(五)): every agreement the year's evaluation looked at
 * compliant, and the entity not disqualified on or before that day (DISQUALIFIED_NO_SUPPORT),
 * whatever the order of evaluations held that same day. */
static int favoured(const vipa_result *r, size_t y, uint32_t entity, const uint32_t *evaluated,
                    const uint32_t *compliant)
{
    size_t at = y * r->ctx->entities.count + entity;
    vipa_date disqualified = r->ledger->disqualified_from[entity];
    return evaluated[at] && compliant[at] == evaluated[at] &&
           !(disqualified && disqualified <= plain_evaluation_day(r->ctx, r->years[y].year));
}

static int fill_entities(vipa_result *r, const uint32_t *entity_order, const uint32_t *evaluated,
                         const uint32_t *compliant)
{
    size_t entities = r->ctx->entities.count;
    for (size_t k = 0; k < entities; k++) {
        uint32_t e = entity_order[k];
        entity_row *row = VIPA_ROWS_PUSH(&r->alloc, r->entities);
        if (!row)
            return VIPA_E_NOMEM;
        row->id = r->ctx->entities.items[e].id;
        row->disqualified_on = r->ledger->disqualified_from[e];
        row->first_favoured = (uint32_t)r->favoured_years.count;
        for (size_t y = 0; y < r->year_count; y++) {
            if (!favoured(r, y, e, evaluated, compliant))
                continue;
            int32_t *year = VIPA_ROWS_PUSH(&r->alloc, r->favoured_years);
            if (!year)
                return VIPA_E_NOMEM;
            *year = r->years[y].year;
            row->favoured_count++;
        }
    }
    return VIPA_OK;
}

/* ---- disclosure (五(五)) ---------------------------------------------------------------- */

static int by_entity(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* For each entity, the distinct households tied to it by a linkage or by shares it may
 * hold (五(五)): household by household, the entities of its ties, each counted once. */
static int count_driven(const vipa_result *r, size_t *driven)
{
    const vipa_ctx *ctx = r->ctx;
    const vipa__rows *links = &r->ledger->linkages_by_household;
    const vipa__rows *shares = &r->ledger->share_entities_by_household;
    size_t households = ctx->households.count, widest = 0;
    for (size_t h = 0; h < households; h++) {
        size_t ties = (size_t)(links->offsets[h + 1] - links->offsets[h]) +
                      (shares->offsets[h + 1] - shares->offsets[h]);
        widest = ties > widest ? ties : widest;
    }
    uint32_t *entities = vipa__malloc(&r->alloc, (widest + 1) * sizeof *entities);
    if (!entities)
        return VIPA_E_NOMEM;
    for (size_t h = 0; h < households; h++) {
        size_t n = 0;
        for (uint32_t k = links->offsets[h]; k < links->offsets[h + 1]; k++) {
            uint32_t agreement = ctx->linkages.items[vipa__row(links, k)].agreement;
            entities[n++] = ctx->agreements.items[agreement].entity;
        }
        for (uint32_t k = shares->offsets[h]; k < shares->offsets[h + 1]; k++)
            entities[n++] = vipa__row(shares, k);
        if (n > 1)
            qsort(entities, n, sizeof *entities, by_entity);
        for (size_t i = 0; i < n; i++)
            if (i == 0 || entities[i] != entities[i - 1])
                driven[entities[i]]++;
    }
    vipa__free(&r->alloc, entities);
    return VIPA_OK;
}

static int by_agreement_id(const void *a, const void *b)
{
    vipa_id x = *(const vipa_id *)a, y = *(const vipa_id *)b;
    return (x > y) - (x < y);
}

static int support_listed(const vipa_result *r, const disclosure_row *row, const char *text)
{
    for (uint32_t k = 0; k < row->support_count; k++)
        if (strcmp(vipa__arena_get(&r->ctx->text, r->support.items[row->first_support + k]),
                   text) == 0)
            return 1;
    return 0;
}

/* The support measures the entity's agreements name (支持政策措施, 四(二)), in agreement id
 * order then as listed, each text once. */
static int disclose_support(vipa_result *r, uint32_t e, disclosure_row *row)
{
    const vipa_ctx *ctx = r->ctx;
    const vipa__rows *rows = &r->ledger->agreements_by_entity;
    size_t n = rows->offsets[e + 1] - rows->offsets[e];
    row->first_support = (uint32_t)r->support.count;
    if (n == 0)
        return VIPA_OK;
    vipa_id *ids = vipa__malloc(&r->alloc, n * sizeof *ids);
    if (!ids)
        return VIPA_E_NOMEM;
    for (size_t k = 0; k < n; k++)
        ids[k] = ctx->agreements.items[vipa__row(rows, rows->offsets[e] + k)].id;
    qsort(ids, n, sizeof *ids, by_agreement_id);
    int rc = VIPA_OK;
    for (size_t k = 0; k < n && rc == VIPA_OK; k++) {
        const agreement_rec *a = &ctx->agreements.items[VIPA_TABLE_FIND(ctx->agreements, ids[k])];
        for (uint32_t t = 0; t < a->support_len && rc == VIPA_OK; t++) {
            uint32_t text = ctx->agreement_support.items[a->first_support + t];
            if (support_listed(r, row, vipa__arena_get(&ctx->text, text)))
                continue;
            uint32_t *slot = VIPA_ROWS_PUSH(&r->alloc, r->support);
            if (!slot)
                rc = VIPA_E_NOMEM;
            else {
                *slot = text;
                row->support_count++;
            }
        }
    }
    vipa__free(&r->alloc, ids);
    return rc;
}

static int disclose(vipa_result *r, uint32_t e, vipa_fen equity, size_t households)
{
    disclosure_row *row = VIPA_ROWS_PUSH(&r->alloc, r->disclosure);
    if (!row)
        return VIPA_E_NOMEM;
    row->entity = r->ctx->entities.items[e].id;
    row->equity = equity;
    row->households = households;
    if (disclose_support(r, e, row) != VIPA_OK)
        return VIPA_E_NOMEM;
    if (!equity && !households && !row->support_count)
        return VIPA_OK;
    char amount[VIPA_FEN_FORMAT_SIZE], support[VIPA_ERRMSG_SIZE] = "";
    vipa_fen_format(amount, sizeof amount, equity);
    for (uint32_t k = 0, used = 0; k < row->support_count; k++) {
        const char *text = vipa__arena_get(&r->ctx->text, r->support.items[row->first_support + k]);
        if (used + strlen(text) + 8 >= sizeof support) { /* whole texts only: valid UTF-8 */
            snprintf(support + used, sizeof support - used, "%s", k ? "、…" : "…");
            break;
        }
        used += (uint32_t)snprintf(support + used, sizeof support - used, "%s%s", k ? "、" : "",
                                   text);
    }
    vipa__finding_in f = {VIPA_RULE_DISCLOSURE, VIPA_SEVERITY_NOTICE, VIPA_SUBJECT_ENTITY,
                          row->entity, 0, NULL, NULL};
    /* A message longer than the findings keep is cut there, at a whole character. */
    unsigned long long id = (unsigned long long)row->entity;
    if (!support[0])
        return households == 1
                   ? VIPA__FINDING(r->findings, &f, F_DISCLOSURE_ONE_NONE, id, amount, households)
                   : VIPA__FINDING(r->findings, &f, F_DISCLOSURE_MANY_NONE, id, amount, households);
    return households == 1
               ? VIPA__FINDING(r->findings, &f, F_DISCLOSURE_ONE, id, amount, households, support)
               : VIPA__FINDING(r->findings, &f, F_DISCLOSURE_MANY, id, amount, households, support);
}

static int fill_disclosure(vipa_result *r, const uint32_t *entity_order)
{
    const vipa_ctx *ctx = r->ctx;
    size_t entities = ctx->entities.count;
    vipa_fen *equity = vipa__calloc(&r->alloc, entities + 1, sizeof *equity);
    size_t *driven = vipa__calloc(&r->alloc, entities + 1, sizeof *driven);
    int rc = equity && driven ? count_driven(r, driven) : VIPA_E_NOMEM;
    for (size_t i = 0; i < ctx->injections.count && rc == VIPA_OK; i++) {
        const injection_rec *in = &ctx->injections.items[i];
        if (vipa_fen_add(&equity[in->entity], equity[in->entity], in->amount) != VIPA_OK)
            rc = vipa__fail(r->ctx, VIPA_E_OVERFLOW, "entity %llu: its fiscal equity sums beyond "
                            "the int64 range", (unsigned long long)ctx->entities.items[in->entity].id);
    }
    for (size_t k = 0; k < entities && rc == VIPA_OK; k++)
        rc = disclose(r, entity_order[k], equity[entity_order[k]], driven[entity_order[k]]);
    vipa__free(&r->alloc, equity);
    vipa__free(&r->alloc, driven);
    return rc;
}

/* ---- dividends and coverage of each year ------------------------------------------------ */

/* Every dividend of the year (二(三)): declared, agreed or paid, by entity then household.
 * The rows are the pairs, which the block takes: a row's due (vipa__dividend_due) and
 * paid by as_of are figured when read (row_due, row_paid), as an obligation's
 * are, from the ledger the run left, which nothing changes after (issue #16). */
static void fill_dividends(year_block *b, dividend_pair *pairs, size_t n)
{
    b->dividends.items = pairs;
    b->dividends.count = b->dividends.capacity = n;
}

static vipa_fen row_due(const vipa_result *r, const year_block *b, const dividend_row *row)
{
    return vipa__dividend_due(r->ledger, row->entity, row->household, b->year);
}

static vipa_fen row_paid(const vipa_result *r, const year_block *b, const dividend_row *row)
{
    return vipa__dividend_paid(r->ledger, row->entity, row->household, b->year, r->as_of);
}

/* Bits, one an item: what the year's evaluations already reported. */
static void set_bit(uint8_t *bits, size_t i)
{
    bits[i / 8] |= (uint8_t)(1u << (i % 8));
}

static int bit(const uint8_t *bits, size_t i)
{
    return bits[i / 8] >> (i % 8) & 1;
}

/* The dividend row of an (entity id, household id) pair, or SIZE_MAX: the rows are sorted
 * by the two ids. */
static size_t dividend_row_of(const vipa_result *r, const year_block *b, vipa_id entity,
                              vipa_id household)
{
    const vipa_ctx *ctx = r->ctx;
    size_t lo = 0, hi = b->dividends.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const dividend_row *row = &b->dividends.items[mid];
        vipa_id e = ctx->entities.items[row->entity].id, h = ctx->households.items[row->household].id;
        if (e < entity || (e == entity && h < household))
            lo = mid + 1;
        else
            hi = mid;
    }
    const dividend_row *row = lo < b->dividends.count ? &b->dividends.items[lo] : NULL;
    return row && ctx->entities.items[row->entity].id == entity &&
                   ctx->households.items[row->household].id == household
               ? lo
               : SIZE_MAX;
}

/* Marks each linkage (bit of `linkages`) and dividend row (bit of `dividends`) whose
 * shortfall as of as_of an evaluation of the year already reported, due and paid alike
 * (its failed check's expected and actual). Bits, not a sorted list of the shortfalls:
 * that list was 40 bytes a failed money check at the run's peak (issue #16). */
static void mark_reported(const vipa_result *r, const year_block *b, uint8_t *linkages,
                          uint8_t *dividends)
{
    const vipa_ctx *ctx = r->ctx;
    for (size_t i = 0; i < b->evaluations.count; i++) {
        const evaluation_row *ev = &b->evaluations.items[i];
        for (uint32_t k = 0; k < ev->failed_count; k++) {
            const finding_rec *f = vipa__failed(r, ev->first_failed + k);
            vipa_fen due, paid;
            if ((f->rule != VIPA_RULE_OBLIGATIONS_PAID &&
                 f->rule != VIPA_RULE_DIVIDEND_PAID_AS_AGREED) ||
                vipa_fen_parse(&due, vipa__failed_text(r, f->expected), NULL) != VIPA_OK ||
                vipa_fen_parse(&paid, vipa__failed_text(r, f->actual), NULL) != VIPA_OK)
                continue;
            if (f->rule == VIPA_RULE_OBLIGATIONS_PAID) {
                uint32_t l = VIPA_TABLE_FIND(ctx->linkages, f->subject_id);
                if (l != VIPA_NO_INDEX && vipa__linkage_due(r->ledger, l, b->year) == due &&
                    vipa__linkage_paid(r->ledger, l, b->year, r->as_of) == paid)
                    set_bit(linkages, l);
                continue;
            }
            size_t d = dividend_row_of(r, b, ev->entity, f->subject_id);
            if (d != SIZE_MAX && row_due(r, b, &b->dividends.items[d]) == due &&
                row_paid(r, b, &b->dividends.items[d]) == paid)
                set_bit(dividends, d);
        }
    }
}

/* The money owed for a complete year (OBLIGATIONS_PAID, 四(四); DIVIDEND_PAID_AS_AGREED,
 * 二(三)), whether or not an evaluation was held: a shortfall as of as_of is a finding of
 * the year, unless an evaluation of the year reported the same shortfall, due and paid
 * alike (then it is already there, with its cut-off). */
static int check_complete_year(vipa_result *r, const year_block *b)
{
    const vipa_ledger *l = r->ledger;
    const vipa_ctx *ctx = r->ctx;
    size_t linkage_bytes = ctx->linkages.count / 8 + 1;
    uint8_t *known = vipa__calloc(&r->alloc, linkage_bytes + b->dividends.count / 8 + 1, 1);
    if (!known)
        return VIPA_E_NOMEM;
    uint8_t *known_dividends = known + linkage_bytes;
    mark_reported(r, b, known, known_dividends);
    int rc = VIPA_OK;
    for (uint32_t i = 0; i < ctx->linkages.count && rc == VIPA_OK; i++) {
        if (!vipa__linkage_due_in(l, i, b->year))
            continue;
        vipa_fen due = vipa__linkage_due(l, i, b->year);
        vipa_fen paid = vipa__linkage_paid(l, i, b->year, r->as_of);
        if (paid < due && !bit(known, i))
            rc = vipa__check_linkage_paid(l, i, b->year, r->as_of, r->findings);
    }
    /* The year's dividend rows, due and paid as of as_of. */
    for (size_t i = 0; i < b->dividends.count && rc == VIPA_OK; i++) {
        const dividend_row *row = &b->dividends.items[i];
        if (row_paid(r, b, row) < row_due(r, b, row) && !bit(known_dividends, i))
            rc = vipa__check_dividend(l, row->entity, row->household, b->year, r->as_of,
                                      r->findings);
    }
    vipa__free(&r->alloc, known);
    return rc;
}

/* The linkages due or paid in the year (四(四)), in id order (`by_id`: every linkage's
 * index by id). */
static int fill_obligations(vipa_result *r, year_block *b, const uint32_t *by_id)
{
    const vipa_ctx *ctx = r->ctx;
    size_t n = ctx->linkages.count;
    b->obligations = vipa__malloc(&r->alloc, (n + 1) * sizeof *b->obligations);
    if (!b->obligations)
        return VIPA_E_NOMEM;
    for (size_t k = 0; k < n; k++) {
        uint32_t l = by_id[k];
        int listed = vipa__linkage_due_in(r->ledger, l, b->year);
        uint32_t from, to;
        vipa__linkage_payment_range(r->ledger, l, &from, &to);
        for (uint32_t j = from; j < to && !listed; j++) {
            const payment_rec *p = vipa__linkage_payment(r->ledger, l, j);
            listed = p && vipa__payment_year(p) == b->year;
        }
        if (listed)
            b->obligations[b->obligation_count++] = l;
    }
    return VIPA_OK;
}

static int by_village(const void *a, const void *b)
{
    const coverage_row *x = a, *y = b;
    return (x->village > y->village) - (x->village < y->village);
}

static int fill_coverage(vipa_result *r, year_block *b, uint8_t *active)
{
    const vipa_ctx *ctx = r->ctx;
    memset(active, 0, ctx->areas.count + 1);
    vipa__active_core_villages(r->ledger, b->year, active);
    for (uint32_t v = 0; v < ctx->areas.count; v++) {
        if (!active[v])
            continue;
        coverage_row *row = VIPA_ROWS_PUSH(&r->alloc, b->coverage);
        if (!row)
            return VIPA_E_NOMEM;
        row->village = ctx->areas.items[v].code;
        vipa_ledger_coverage(&row->willing, &row->covered, r->ledger, row->village, b->year);
    }
    if (b->coverage.count > 1)
        qsort(b->coverage.items, b->coverage.count, sizeof *b->coverage.items, by_village);
    return VIPA_OK;
}

static int by_evaluation_row(const void *a, const void *b)
{
    const evaluation_row *x = a, *y = b;
    if (x->agreement != y->agreement)
        return x->agreement < y->agreement ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->recheck > y->recheck) - (x->recheck < y->recheck);
}

/* Every year's obligations, from the linkages in id order, which is freed before the
 * years' other lists are made: this is the run's peak, and each transient held through
 * it is paid for at 3×10^7 households (docs/performance.md, "National scale (0.5)"). */
static int fill_years_obligations(vipa_result *r)
{
    uint32_t *linkages = NULL;
    int rc = vipa__order_by_key(&r->alloc, VIPA_KEYED(r->ctx->linkages), r->ctx->linkages.count,
                                &linkages);
    for (size_t y = 0; y < r->year_count && rc == VIPA_OK; y++)
        rc = fill_obligations(r, &r->years[y], linkages);
    vipa__free(&r->alloc, linkages);
    return rc;
}

/* A year's dividends, from its (entity, household) pairs, which become its rows. The
 * ledger allocates with the context's allocator, as the result does (vipa_ledger_build). */
static int fill_year_dividends(vipa_result *r, year_block *b)
{
    dividend_pair *pairs = NULL;
    size_t n = 0;
    int rc = vipa__dividend_pairs(r->ledger, b->year, &pairs, &n);
    if (rc == VIPA_OK)
        fill_dividends(b, pairs, n);
    return rc;
}

/* Each year's lists, and for a complete year the money owed for it, whether or not an
 * evaluation was held (OBLIGATIONS_PAID, DIVIDEND_PAID_AS_AGREED): unpaid money never
 * passes silently. */
static int fill_years(vipa_result *r)
{
    const vipa_ctx *ctx = r->ctx;
    int rc = fill_years_obligations(r);
    uint8_t *active = rc == VIPA_OK ? vipa__calloc(&r->alloc, ctx->areas.count + 1, 1) : NULL;
    if (rc == VIPA_OK && !active)
        rc = VIPA_E_NOMEM;
    for (size_t y = 0; y < r->year_count && rc == VIPA_OK; y++) {
        year_block *b = &r->years[y];
        rc = fill_year_dividends(r, b);
        if (rc == VIPA_OK)
            rc = fill_coverage(r, b, active);
        if (rc == VIPA_OK && b->complete)
            rc = check_complete_year(r, b);
        if (b->evaluations.count > 1)
            qsort(b->evaluations.items, b->evaluations.count, sizeof *b->evaluations.items,
                  by_evaluation_row);
    }
    vipa__free(&r->alloc, active);
    return rc;
}

/* ---- support to a disqualified entity (四(五)) ----------------------------------------- */

static int flag_late_agreements(vipa_result *r)
{
    const vipa_ctx *ctx = r->ctx;
    for (size_t i = 0; i < ctx->agreements.count; i++) {
        const agreement_rec *a = &ctx->agreements.items[i];
        vipa_date from = r->ledger->disqualified_from[a->entity];
        if (!from || !a->signed_on || a->signed_on < from)
            continue;
        char signed_on[VIPA_DATE_FORMAT_SIZE], since[VIPA_DATE_FORMAT_SIZE];
        vipa_date_format(signed_on, sizeof signed_on, a->signed_on);
        vipa_date_format(since, sizeof since, from);
        vipa__finding_in f = {VIPA_RULE_DISQUALIFIED_NO_SUPPORT, VIPA_SEVERITY_NONE,
                              VIPA_SUBJECT_AGREEMENT, a->id, a->signed_on / 10000, NULL, NULL};
        int rc = VIPA__FINDING(r->findings, &f, F_LATE_AGREEMENT, (unsigned long long)a->id,
                               signed_on, (unsigned long long)ctx->entities.items[a->entity].id,
                               since);
        if (rc != VIPA_OK)
            return rc;
    }
    return VIPA_OK;
}

/* Sorts the findings into the published order, and points each failed row at where its
 * finding went (failed_row: it named the index the finding was added at). The room for
 * the moves is taken first, so running out of memory leaves the result unsorted and
 * whole (the run then fails). */
static int sort_findings(vipa_result *r)
{
    vipa_findings *list = r->findings;
    uint32_t *moved = vipa__malloc(&r->alloc, (list->count + 1) * sizeof *moved);
    if (!moved)
        return vipa__fail(r->ctx, VIPA_E_NOMEM, "run: %s building the result",
                          vipa_strerror(VIPA_E_NOMEM));
    vipa__findings_sort(list);
    for (size_t j = 0; j < list->count; j++)
        moved[list->items[j].added] = (uint32_t)j;
    for (size_t k = 0; k < r->failed.count; k++)
        r->failed.items[k].finding = moved[r->failed.items[k].finding];
    vipa__free(&r->alloc, moved);
    return VIPA_OK;
}

int vipa__result_lists(vipa_result *r, const uint32_t *evaluated, const uint32_t *compliant)
{
    const vipa_ctx *ctx = r->ctx;
    uint32_t *agreements = NULL, *entities = NULL;
    int rc = vipa__order_by_key(&r->alloc, VIPA_KEYED(ctx->agreements), ctx->agreements.count,
                                &agreements);
    if (rc == VIPA_OK)
        rc = vipa__order_by_key(&r->alloc, VIPA_KEYED(ctx->entities), ctx->entities.count,
                                &entities);
    if (rc == VIPA_OK)
        rc = fill_signers(r, agreements);
    if (rc == VIPA_OK)
        rc = fill_households(r);
    if (rc == VIPA_OK)
        rc = fill_entities(r, entities, evaluated, compliant);
    if (rc == VIPA_OK)
        rc = fill_disclosure(r, entities);
    if (rc == VIPA_OK)
        rc = fill_years(r);
    if (rc == VIPA_OK)
        rc = vipa__equity_check(r->ledger, 0, r->findings);
    if (rc == VIPA_OK)
        rc = flag_late_agreements(r);
    vipa__free(&r->alloc, agreements);
    vipa__free(&r->alloc, entities);
    if (rc == VIPA_E_NOMEM || rc == VIPA_E_LIMIT) /* room: memory, or a list's 4 GiB of text */
        return vipa__fail(r->ctx, rc, "run: %s building the result", vipa_strerror(rc));
    if (rc != VIPA_OK)
        return rc; /* the error is set where it was found */
    return sort_findings(r);
}

/* ---- reading ----------------------------------------------------------------------------- */

const char *vipa_result_stamp(const vipa_result *r, const char *field)
{
    if (!r || !field)
        return NULL;
    if (strcmp(field, "library") == 0)
        return r->library;
    if (strcmp(field, "profile") == 0)
        return r->profile;
    if (strcmp(field, "profile_sha256") == 0)
        return r->profile_sha256;
    if (strcmp(field, "input_sha256") == 0)
        return r->input_sha256;
    return NULL;
}

const vipa_findings *vipa_result_findings(const vipa_result *r)
{
    return r ? r->findings : NULL;
}

const char *vipa_outcome_name(vipa_outcome outcome)
{
    return vipa__word(VIPA_VOCAB_OUTCOME, (int)outcome);
}

const char *vipa_entity_status_name(vipa_entity_status status)
{
    return vipa__word(VIPA_VOCAB_ENTITY_STATUS, (int)status);
}

/* Checks an accessor's arguments: outputs non-NULL, index in range. */
static int access(const vipa_result *r, int outputs_given, size_t i, size_t count)
{
    if (!r || !outputs_given)
        return VIPA_E_INVALID;
    return i < count ? VIPA_OK : VIPA_E_RANGE;
}

size_t vipa_result_signer_count(const vipa_result *r)
{
    return r ? r->signers.count : 0;
}

int vipa_result_signer(vipa_id *agreement, vipa_signer_level *level, vipa_area_code *area,
                       const vipa_result *r, size_t i)
{
    int rc = access(r, agreement && level && area, i, vipa_result_signer_count(r));
    if (rc != VIPA_OK)
        return rc;
    const signer_row *row = &r->signers.items[i];
    *agreement = row->agreement;
    *level = (vipa_signer_level)row->level;
    *area = row->area;
    return VIPA_OK;
}

size_t vipa_result_allocation_count(const vipa_result *r)
{
    return r ? vipa_ledger_allocation_count(r->ledger) : 0;
}

int vipa_result_allocation(vipa_id *injection, vipa_holder_kind *kind, uint64_t *holder,
                           vipa_fen *amount, const vipa_result *r, size_t i)
{
    if (!r)
        return VIPA_E_INVALID;
    return vipa_ledger_allocation(injection, kind, holder, amount, r->ledger, i);
}

size_t vipa_result_household_count(const vipa_result *r)
{
    return r ? r->household_count : 0;
}

int vipa_result_household(vipa_id *id, int *exit_year, const vipa_result *r, size_t i)
{
    int rc = access(r, id && exit_year, i, vipa_result_household_count(r));
    if (rc != VIPA_OK)
        return rc;
    uint32_t h = r->household_order[i];
    *id = r->ctx->households.items[h].id;
    *exit_year = r->ledger->exit_years[h];
    return VIPA_OK;
}

size_t vipa_result_entity_count(const vipa_result *r)
{
    return r ? r->entities.count : 0;
}

int vipa_result_entity(vipa_id *id, vipa_entity_status *status, vipa_date *disqualified_on,
                       size_t *favoured_count, const vipa_result *r, size_t i)
{
    int rc = access(r, id && status && disqualified_on && favoured_count, i,
                    vipa_result_entity_count(r));
    if (rc != VIPA_OK)
        return rc;
    const entity_row *row = &r->entities.items[i];
    *id = row->id;
    *status = row->disqualified_on ? VIPA_ENTITY_STATUS_DISQUALIFIED : VIPA_ENTITY_STATUS_ACTIVE;
    *disqualified_on = row->disqualified_on;
    *favoured_count = row->favoured_count;
    return VIPA_OK;
}

int vipa_result_entity_favoured(int *year, const vipa_result *r, size_t i, size_t k)
{
    int rc = access(r, year != NULL, i, vipa_result_entity_count(r));
    if (rc != VIPA_OK)
        return rc;
    const entity_row *row = &r->entities.items[i];
    if (k >= row->favoured_count)
        return VIPA_E_RANGE;
    *year = r->favoured_years.items[row->first_favoured + k];
    return VIPA_OK;
}

size_t vipa_result_disclosure_count(const vipa_result *r)
{
    return r ? r->disclosure.count : 0;
}

int vipa_result_disclosure(vipa_id *entity, vipa_fen *equity, size_t *households,
                           const vipa_result *r, size_t i)
{
    int rc = access(r, entity && equity && households, i, vipa_result_disclosure_count(r));
    if (rc != VIPA_OK)
        return rc;
    *entity = r->disclosure.items[i].entity;
    *equity = r->disclosure.items[i].equity;
    *households = r->disclosure.items[i].households;
    return VIPA_OK;
}

size_t vipa_result_year_count(const vipa_result *r)
{
    return r ? r->year_count : 0;
}

int vipa_result_year(const vipa_result *r, size_t y)
{
    return r && y < r->year_count ? r->years[y].year : 0;
}

static const year_block *block(const vipa_result *r, size_t y)
{
    return r && y < r->year_count ? &r->years[y] : NULL;
}

size_t vipa_result_year_household_count(const vipa_result *r, size_t y)
{
    const year_block *b = block(r, y);
    return b ? b->household_count : 0;
}

int vipa_result_year_household(vipa_id *household, vipa_fen *income, vipa_fen *line,
                               int *meets_standard, const vipa_result *r, size_t y, size_t i)
{
    int rc = access(r, household && income && line && meets_standard, i,
                    vipa_result_year_household_count(r, y));
    if (rc != VIPA_OK)
        return rc;
    const year_block *b = &r->years[y];
    uint32_t h = b->household_rows[i] & ~YEAR_ROW_MEETS;
    const household_rec *rec = &r->ctx->households.items[h];
    if (vipa_fen_mul(line, b->per_person, rec->members) != VIPA_OK)
        return VIPA_E_OVERFLOW; /* cannot happen: the run checked every row's line */
    *household = rec->id;
    *income = b->household_incomes[i];
    *meets_standard = (b->household_rows[i] & YEAR_ROW_MEETS) != 0;
    return VIPA_OK;
}

size_t vipa_result_year_dividend_count(const vipa_result *r, size_t y)
{
    const year_block *b = block(r, y);
    return b ? b->dividends.count : 0;
}

int vipa_result_year_dividend(vipa_id *entity, vipa_id *household, vipa_fen *due, vipa_fen *paid,
                              const vipa_result *r, size_t y, size_t i)
{
    int rc = access(r, entity && household && due && paid, i,
                    vipa_result_year_dividend_count(r, y));
    if (rc != VIPA_OK)
        return rc;
    const year_block *b = &r->years[y];
    const dividend_row *row = &b->dividends.items[i];
    *entity = r->ctx->entities.items[row->entity].id;
    *household = r->ctx->households.items[row->household].id;
    *due = row_due(r, b, row);
    *paid = row_paid(r, b, row);
    return VIPA_OK;
}

size_t vipa_result_year_coverage_count(const vipa_result *r, size_t y)
{
    const year_block *b = block(r, y);
    return b ? b->coverage.count : 0;
}

int vipa_result_year_coverage(vipa_area_code *village, size_t *willing, size_t *covered,
                              const vipa_result *r, size_t y, size_t i)
{
    int rc = access(r, village && willing && covered, i, vipa_result_year_coverage_count(r, y));
    if (rc != VIPA_OK)
        return rc;
    const coverage_row *row = &r->years[y].coverage.items[i];
    *village = row->village;
    *willing = row->willing;
    *covered = row->covered;
    return VIPA_OK;
}

size_t vipa_result_year_evaluation_count(const vipa_result *r, size_t y)
{
    const year_block *b = block(r, y);
    return b ? b->evaluations.count : 0;
}

int vipa_result_year_evaluation(vipa_id *agreement, vipa_id *entity, vipa_date *date,
                                int *recheck, vipa_outcome *outcome, const vipa_result *r,
                                size_t y, size_t i)
{
    int rc = access(r, agreement && entity && date && recheck && outcome, i,
                    vipa_result_year_evaluation_count(r, y));
    if (rc != VIPA_OK)
        return rc;
    const evaluation_row *row = &r->years[y].evaluations.items[i];
    *agreement = row->agreement;
    *entity = row->entity;
    *date = row->date;
    *recheck = row->recheck;
    *outcome = (vipa_outcome)row->outcome;
    return VIPA_OK;
}

size_t vipa_result_year_failed_count(const vipa_result *r, size_t y, size_t i)
{
    const year_block *b = block(r, y);
    return b && i < b->evaluations.count ? b->evaluations.items[i].failed_count : 0;
}

int vipa_result_year_failed(vipa_rule *rule, vipa_subject_kind *subject_kind,
                            uint64_t *subject_id, const char **expected, const char **actual,
                            const vipa_result *r, size_t y, size_t i, size_t k)
{
    int rc = access(r, rule && subject_kind && subject_id && expected && actual, k,
                    vipa_result_year_failed_count(r, y, i));
    if (rc != VIPA_OK)
        return rc;
    const finding_rec *row = vipa__failed(r, r->years[y].evaluations.items[i].first_failed + k);
    *rule = (vipa_rule)row->rule;
    *subject_kind = (vipa_subject_kind)row->subject_kind;
    *subject_id = row->subject_id;
    *expected = vipa__failed_text(r, row->expected);
    *actual = vipa__failed_text(r, row->actual);
    return VIPA_OK;
}

int vipa_result_year_complete(const vipa_result *r, size_t y)
{
    const year_block *b = block(r, y);
    return b ? b->complete : 0;
}

size_t vipa_result_year_obligation_count(const vipa_result *r, size_t y)
{
    const year_block *b = block(r, y);
    return b ? b->obligation_count : 0;
}

int vipa_result_year_obligation(vipa_id *linkage, vipa_id *household, vipa_linkage_kind *kind,
                                vipa_fen *due, vipa_fen *paid, const vipa_result *r, size_t y,
                                size_t i)
{
    int rc = access(r, linkage && household && kind && due && paid, i,
                    vipa_result_year_obligation_count(r, y));
    if (rc != VIPA_OK)
        return rc;
    const vipa_ctx *ctx = r->ctx;
    uint32_t l = r->years[y].obligations[i];
    const linkage_rec *rec = &ctx->linkages.items[l];
    int year = r->years[y].year;
    *linkage = rec->id;
    *household = ctx->households.items[rec->household].id;
    *kind = (vipa_linkage_kind)rec->kind;
    *due = vipa__linkage_due(r->ledger, l, year);
    *paid = vipa__linkage_paid(r->ledger, l, year, r->as_of);
    return VIPA_OK;
}

size_t vipa_result_disclosure_support_count(const vipa_result *r, size_t i)
{
    return r && i < r->disclosure.count ? r->disclosure.items[i].support_count : 0;
}

const char *vipa_result_disclosure_support(const vipa_result *r, size_t i, size_t k)
{
    if (k >= vipa_result_disclosure_support_count(r, i))
        return NULL;
    uint32_t text = r->support.items[r->disclosure.items[i].first_support + k];
    return vipa__arena_get(&r->ctx->text, text);
}

/* ---- rows ---------------------------------------------------------------------------- */

/* Copies a filled row into the caller's, up to the size it was built with; a newer,
 * longer row of the caller's gets zeros past the library's fields. */
static int give_row(void *out, size_t out_size, const void *row, size_t row_size, int rc)
{
    if (rc != VIPA_OK)
        return rc;
    memcpy(out, row, out_size < row_size ? out_size : row_size);
    if (out_size > row_size)
        memset((char *)out + row_size, 0, out_size - row_size);
    return VIPA_OK;
}

int vipa_result_signer_row(vipa_signer_row *row, size_t row_size, const vipa_result *result,
                           size_t i)
{
    vipa_signer_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_signer(&r.agreement, &r.level, &r.area, result, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_allocation_row(vipa_allocation_row *row, size_t row_size, const vipa_result *result,
                               size_t i)
{
    vipa_allocation_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_allocation(&r.injection, &r.holder_kind, &r.holder, &r.amount, result, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_household_row(vipa_household_row *row, size_t row_size, const vipa_result *result,
                              size_t i)
{
    vipa_household_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_household(&r.household, &r.exit_year, result, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_entity_row(vipa_entity_row *row, size_t row_size, const vipa_result *result,
                           size_t i)
{
    vipa_entity_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_entity(
        &r.entity, &r.status, &r.disqualified_on, &r.favoured_count, result, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_disclosure_row(vipa_disclosure_row *row, size_t row_size, const vipa_result *result,
                               size_t i)
{
    vipa_disclosure_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_disclosure(&r.entity, &r.equity, &r.households, result, i);
    r.support_count = vipa_result_disclosure_support_count(result, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_year_household_row(vipa_year_household_row *row, size_t row_size,
                                   const vipa_result *result, size_t y, size_t i)
{
    vipa_year_household_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_year_household(
        &r.household, &r.income, &r.line, &r.meets_standard, result, y, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_year_dividend_row(vipa_year_dividend_row *row, size_t row_size,
                                  const vipa_result *result, size_t y, size_t i)
{
    vipa_year_dividend_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_year_dividend(&r.entity, &r.household, &r.due, &r.paid, result, y, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_year_obligation_row(vipa_year_obligation_row *row, size_t row_size,
                                    const vipa_result *result, size_t y, size_t i)
{
    vipa_year_obligation_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_year_obligation(
        &r.linkage, &r.household, &r.kind, &r.due, &r.paid, result, y, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_year_coverage_row(vipa_year_coverage_row *row, size_t row_size,
                                  const vipa_result *result, size_t y, size_t i)
{
    vipa_year_coverage_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_year_coverage(&r.village, &r.willing, &r.covered, result, y, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_year_evaluation_row(vipa_year_evaluation_row *row, size_t row_size,
                                    const vipa_result *result, size_t y, size_t i)
{
    vipa_year_evaluation_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_year_evaluation(
        &r.agreement, &r.entity, &r.date, &r.recheck, &r.outcome, result, y, i);
    r.failed_count = vipa_result_year_failed_count(result, y, i);
    return give_row(row, row_size, &r, sizeof r, rc);
}

int vipa_result_year_failed_row(vipa_year_failed_row *row, size_t row_size,
                                const vipa_result *result, size_t y, size_t i, size_t k)
{
    vipa_year_failed_row r;
    memset(&r, 0, sizeof r);
    if (!row || row_size == 0)
        return VIPA_E_INVALID;
    int rc = vipa_result_year_failed(
        &r.rule, &r.subject_kind, &r.subject, &r.expected, &r.actual, result, y, i, k);
    return give_row(row, row_size, &r, sizeof r, rc);
}
