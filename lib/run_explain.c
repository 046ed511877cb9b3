/*
 * The run module's explanations: every number behind a household's or an agreement's year, as
 * structured steps with their rule and clause, and as text a county official can read
 * (see include/vipa/run.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agreement_internal.h"
#include "messages_internal.h"
#include "run_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

enum { VERDICT_NONE = 0, VERDICT_FAILED = 1, VERDICT_PASSED = 2 };

typedef struct step {
    vipa_fen amount;
    vipa_date date;
    uint64_t subject_id; /* what a decided step is about */
    uint32_t text[2];    /* offsets into the explanation's arena, by vipa__lang */
    uint8_t kind, rule, subject_kind;
    uint8_t verdict; /* VERDICT_NONE, or what a step that decides found */
} step;

struct vipa_explanation {
    vipa__allocator alloc;
    VIPA_ROWS(step) steps;
    vipa__arena text;
    vipa__arena scratch; /* the arguments of the step being added */
    char *rendered[2];   /* by vipa__lang */
    int failed; /* an allocation failed while building: the whole explanation fails */
};

/* The room a step's text had when it was formatted into a buffer of this size: a longer
 * one is cut there, as it always was. */
enum { STEP_SIZE = 768 };

/* ---- building -------------------------------------------------------------------------- */

/* A step's text in `lang` into text[STEP_SIZE]: message `id` with the arguments captured
 * in the scratch arena, then ": " and `where` when there is one, cut at the buffer (the
 * Chinese at a whole character), then the rule's ID and clause when they fit. */
static void step_text(char *text, const vipa_explanation *e, vipa__lang lang, vipa_rule rule,
                      const char *where, vipa__msg id)
{
    vipa__text_out o = {text, STEP_SIZE, 0};
    text[0] = '\0';
    vipa__msg_replay(&o, id, e->scratch.bytes ? e->scratch.bytes : "", lang);
    if (where && *where) {
        const char *sep = vipa__msg_template(VIPA__MSG_T_SEP_WHERE, lang);
        vipa__text_bytes(&o, sep, strlen(sep));
        vipa__text_bytes(&o, where, strlen(where));
    }
    size_t n = o.length;
    if (n >= STEP_SIZE && lang != VIPA__LANG_EN)
        text[vipa__utf8_whole(text, STEP_SIZE - 1)] = '\0';
    if (rule != VIPA_RULE_NONE && n < STEP_SIZE)
        snprintf(text + n, STEP_SIZE - n, vipa__msg_template(VIPA__MSG_S_CITATION, lang),
                 vipa_rule_id(rule), vipa_rule_clause(rule));
}

/* Appends a step: message `id` with its arguments, in each language, and ": " and the
 * language's `where` (either may be NULL) after it. Use through STEP and STEP_WHERE, which
 * check the arguments against the English template. */
static void add_step(vipa_explanation *e, vipa_step_kind kind, vipa_rule rule, vipa_fen amount,
                     vipa_date date, const char *where_en, const char *where_zh, vipa__msg id, ...)
{
    if (e->failed)
        return;
    vipa__arena_reset(&e->scratch, 0);
    va_list args;
    va_start(args, id);
    int rc = vipa__msg_capture(&e->alloc, &e->scratch, id, &args);
    va_end(args);
    step *s = rc == VIPA_OK ? VIPA_ROWS_PUSH(&e->alloc, e->steps) : NULL;
    const char *where[2] = {where_en, where_zh};
    for (int lang = VIPA__LANG_EN; s && lang <= VIPA__LANG_ZH; lang++) {
        char text[STEP_SIZE];
        step_text(text, e, (vipa__lang)lang, rule, where[lang], id);
        if (vipa__arena_add(&e->alloc, &e->text, text, &s->text[lang]) != VIPA_OK) {
            e->steps.count--;
            s = NULL;
        }
    }
    if (!s) {
        e->failed = 1;
        return;
    }
    s->kind = (uint8_t)kind;
    s->rule = (uint8_t)rule;
    s->amount = amount;
    s->date = date;
    s->verdict = VERDICT_NONE;
    s->subject_kind = VIPA_SUBJECT_NONE;
    s->subject_id = 0;
}

#define STEP(e, kind, rule, amount, date, id, ...)                                               \
    (VIPA__MSG_CHECK(id, __VA_ARGS__),                                                           \
     add_step(e, kind, rule, amount, date, NULL, NULL, VIPA__MSG_##id, __VA_ARGS__))
#define STEP_WHERE(e, kind, rule, amount, date, where_en, where_zh, id, ...)                     \
    (VIPA__MSG_CHECK(id, __VA_ARGS__),                                                           \
     add_step(e, kind, rule, amount, date, where_en, where_zh, VIPA__MSG_##id, __VA_ARGS__))

/* A term of a step's message, by its id. */
#define TERM(id) VIPA__TERM(VIPA__MSG_##id)

static vipa__msg subject_term(uint8_t kind)
{
    static const vipa__msg terms[] = {
        [VIPA_SUBJECT_HOUSEHOLD] = VIPA__MSG_T_SUBJECT_HOUSEHOLD,
        [VIPA_SUBJECT_AGREEMENT] = VIPA__MSG_T_SUBJECT_AGREEMENT,
        [VIPA_SUBJECT_LINKAGE] = VIPA__MSG_T_SUBJECT_LINKAGE,
        [VIPA_SUBJECT_INJECTION] = VIPA__MSG_T_SUBJECT_INJECTION,
        [VIPA_SUBJECT_ENTITY] = VIPA__MSG_T_SUBJECT_ENTITY,
        [VIPA_SUBJECT_VILLAGE] = VIPA__MSG_T_SUBJECT_VILLAGE,
        [VIPA_SUBJECT_TOWN] = VIPA__MSG_T_SUBJECT_TOWN};
    return kind < sizeof terms / sizeof terms[0] && terms[kind] ? terms[kind] : VIPA__MSG_COUNT;
}

static vipa__msg outcome_term(uint8_t outcome)
{
    static const vipa__msg terms[] = {
        [VIPA_OUTCOME_COMPLIANT] = VIPA__MSG_T_COMPLIANT,
        [VIPA_OUTCOME_RECTIFICATION] = VIPA__MSG_T_RECTIFICATION,
        [VIPA_OUTCOME_RESTORED] = VIPA__MSG_T_RESTORED,
        [VIPA_OUTCOME_TERMINATED] = VIPA__MSG_T_TERMINATED};
    return outcome < sizeof terms / sizeof terms[0] && terms[outcome] ? terms[outcome]
                                                                      : VIPA__MSG_COUNT;
}

/* "passed" or "failed", as a term of a step. */
#define VERDICT(passed) VIPA__TERM((passed) ? VIPA__MSG_T_PASSED : VIPA__MSG_T_FAILED)

/* Records the decision of the step just added: what it is about and whether it passed,
 * from the same figures the year run decides with (see vipa_explanation_verdict()). */
static void decided(vipa_explanation *e, int passed, vipa_subject_kind kind, uint64_t id)
{
    if (e->failed || e->steps.count == 0)
        return;
    step *s = &e->steps.items[e->steps.count - 1];
    s->verdict = passed ? VERDICT_PASSED : VERDICT_FAILED;
    s->subject_kind = (uint8_t)kind;
    s->subject_id = id;
}

static unsigned long long hid(const vipa_ctx *ctx, uint32_t h)
{
    return (unsigned long long)ctx->households.items[h].id;
}

/* A record to list, with the key that orders it: lists in explanations follow ids,
 * never the order records were added in. */
typedef struct keyed_item {
    uint64_t key[3];
    uint32_t index;
} keyed_item;

static int by_keys(const void *a, const void *b, void *context)
{
    (void)context;
    const keyed_item *x = a, *y = b;
    for (int k = 0; k < 3; k++)
        if (x->key[k] != y->key[k])
            return x->key[k] < y->key[k] ? -1 : 1;
    return 0;
}

/* A growable list of keyed items; on allocation failure the explanation fails. */
typedef VIPA_ROWS(keyed_item) keyed_list;

static void keyed_add(vipa_explanation *e, keyed_list *list, uint64_t k0, uint64_t k1,
                      uint64_t k2, uint32_t index)
{
    keyed_item *item = VIPA_ROWS_PUSH(&e->alloc, *list);
    if (!item) {
        e->failed = 1;
        return;
    }
    *item = (keyed_item){{k0, k1, k2}, index};
}

/* Items of equal keys keep the order they were added in (vipa__sort is stable). */
static void keyed_sort(const vipa_explanation *e, keyed_list *list)
{
    vipa__sort(&e->alloc, list->items, list->count, sizeof *list->items, by_keys, NULL);
}

/* ---- a household's year ------------------------------------------------------------------- */

/* How the due of a linkage is made up, e.g. "120 days × 80.00". */
static void linkage_due_step(vipa_explanation *e, const vipa_result *r, uint32_t l, int year)
{
    const linkage_rec *rec = &r->ctx->linkages.items[l];
    vipa_fen due = vipa__linkage_due(r->ledger, l, year);
    unsigned long long id = (unsigned long long)rec->id;
    if (rec->kind == VIPA_LINKAGE_WAGE && rec->units)
        STEP(e, VIPA_STEP_DUE, VIPA_RULE_OBLIGATIONS_PAID, due, 0, S_DUE_WAGE, id, rec->units,
             vipa__yuan(rec->amount).s, vipa__yuan(due).s, year);
    else if (rec->kind == VIPA_LINKAGE_LAND_RENT)
        STEP(e, VIPA_STEP_DUE, VIPA_RULE_OBLIGATIONS_PAID, due, 0, S_DUE_LAND_RENT, id,
             rec->units / 100, rec->units % 100, vipa__yuan(rec->amount).s, vipa__yuan(due).s,
             year);
    else
        STEP(e, VIPA_STEP_DUE, VIPA_RULE_OBLIGATIONS_PAID, due, 0, S_DUE_OTHER, id,
             VIPA__TERM(rec->kind == VIPA_LINKAGE_WAGE ? VIPA__MSG_T_WAGE : VIPA__MSG_T_PARTICIPATION),
             vipa__yuan(due).s, year);
}

/* How a dividend's due is made up (二(三)): the declared dividend and the agreed floor. */
static void dividend_due_step(vipa_explanation *e, const vipa_result *r, uint32_t entity,
                              uint32_t h, int year)
{
    vipa_fen declared = vipa__equity_dividend_due(r->ledger, entity, h, year);
    vipa_fen agreed = vipa__agreed_dividend(r->ledger, entity, h, year);
    vipa_fen due = vipa__dividend_due(r->ledger, entity, h, year);
    STEP(e, VIPA_STEP_DUE, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, due, 0, S_DUE_DIVIDEND, year,
             (unsigned long long)r->ctx->entities.items[entity].id, year,
             vipa__yuan(declared).s, vipa__yuan(agreed).s, vipa__yuan(due).s);
}

static void household_dues(vipa_explanation *e, const vipa_result *r, uint32_t h, int year)
{
    const vipa_ctx *ctx = r->ctx;
    const vipa__rows *rows = &r->ledger->linkages_by_household;
    keyed_list list = {NULL, 0, 0};
    for (uint32_t k = rows->offsets[h]; k < rows->offsets[h + 1]; k++) {
        const linkage_rec *l = &ctx->linkages.items[vipa__row(rows, k)];
        if (vipa__linkage_due_in(r->ledger, vipa__row(rows, k), year))
            keyed_add(e, &list, l->id, 0, 0, vipa__row(rows, k));
    }
    keyed_sort(e, &list);
    for (size_t i = 0; i < list.count; i++)
        linkage_due_step(e, r, list.items[i].index, year);
    list.count = 0;
    /* The entities it has a dividend of the year from, as the year's rows list them: a
     * due or agreed rate on shares it may hold, or a payment. Its own records only. */
    const vipa__rows *shares = &r->ledger->share_entities_by_household;
    for (uint32_t k = shares->offsets[h]; k < shares->offsets[h + 1]; k++)
        if (vipa__dividend_listed(r->ledger, vipa__row(shares, k), h, year))
            keyed_add(e, &list, ctx->entities.items[vipa__row(shares, k)].id, 0, 0, vipa__row(shares, k));
    const vipa__rows *paid = &r->ledger->payments_by_household;
    for (uint32_t k = paid->offsets[h]; k < paid->offsets[h + 1]; k++) {
        const payment_rec *p = &ctx->payments.items[vipa__row(paid, k)];
        if (vipa__payment_is_dividend(p) && vipa__payment_year(p) == year) {
            uint32_t entity = vipa__payment_entity(ctx, p);
            keyed_add(e, &list, ctx->entities.items[entity].id, 0, 0, entity);
        }
    }
    keyed_sort(e, &list);
    for (size_t i = 0; i < list.count; i++)
        if (i == 0 || list.items[i].key[0] != list.items[i - 1].key[0])
            dividend_due_step(e, r, list.items[i].index, h, year);
    vipa__free(&e->alloc, list.items);
}

/* The cut-offs of the year's evaluations, for saying where each payment counted. */
typedef struct cutoffs {
    vipa_date dates[16];
    size_t count;
} cutoffs;

static int by_cutoff(const void *a, const void *b, void *context)
{
    (void)context;
    vipa_date x = *(const vipa_date *)a, y = *(const vipa_date *)b;
    return x < y ? -1 : x > y;
}

static cutoffs year_cutoffs(const vipa_result *r, int year)
{
    cutoffs c = {{0}, 0};
    for (size_t i = 0; i < r->ctx->evaluations.count && c.count < 16; i++) {
        const evaluation_rec *ev = &r->ctx->evaluations.items[i];
        if (ev->year == year)
            c.dates[c.count++] = ev->date;
    }
    vipa__sort(&r->alloc, c.dates, c.count, sizeof *c.dates, by_cutoff, NULL); /* no scratch: few */
    return c;
}

/* Where a payment counted, in `lang`: "counted by the cut-off D; after the cut-off E". */
static void counted_where(char *buf, size_t size, const vipa_explanation *e, vipa__lang lang,
                          const cutoffs *c, vipa_date paid_on)
{
    const char *sep = vipa__msg_template(VIPA__MSG_T_SEP_LIST, lang);
    buf[0] = '\0';
    for (size_t i = 0; i < c->count; i++) {
        char item[96];
        const char *day = vipa__day(c->dates[i]).s;
        if (paid_on <= c->dates[i])
            VIPA__MSG_FORMAT(item, sizeof item, &e->alloc, lang, S_COUNTED_BY, day);
        else
            VIPA__MSG_FORMAT(item, sizeof item, &e->alloc, lang, S_AFTER_CUTOFF, day);
        size_t used = strlen(buf);
        snprintf(buf + used, size - used, "%s%s", used ? sep : "", item);
    }
}

static void payment_step(vipa_explanation *e, const vipa_result *r, const payment_rec *p,
                         const cutoffs *c)
{
    const vipa_ctx *ctx = r->ctx;
    vipa_date date = vipa__payment_date(p);
    int year = vipa__payment_year(p);
    char where[256], where_zh[512];
    counted_where(where, sizeof where, e, VIPA__LANG_EN, c, date);
    counted_where(where_zh, sizeof where_zh, e, VIPA__LANG_ZH, c, date);
    if (vipa__payment_is_dividend(p))
        STEP_WHERE(e, VIPA_STEP_PAYMENT, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, p->amount, date,
                   where, where_zh, S_PAYMENT_DIVIDEND, vipa__yuan(p->amount).s,
                   (unsigned long long)ctx->entities.items[vipa__payment_entity(ctx, p)].id, year,
                   vipa__day(date).s);
    else
        STEP_WHERE(e, VIPA_STEP_PAYMENT, VIPA_RULE_OBLIGATIONS_PAID, p->amount, date, where,
                   where_zh, S_PAYMENT, vipa__yuan(p->amount).s,
                   (unsigned long long)ctx->linkages.items[vipa__payment_target(p)].id, year,
                   vipa__day(date).s);
}

/* The household's payments for the year by date, then kind, payer and amount. */
static void household_payments(vipa_explanation *e, const vipa_result *r, uint32_t h, int year,
                               const cutoffs *c)
{
    const vipa_ctx *ctx = r->ctx;
    const vipa__rows *rows = &r->ledger->payments_by_household;
    keyed_list list = {NULL, 0, 0};
    for (uint32_t k = rows->offsets[h]; k < rows->offsets[h + 1]; k++) {
        const payment_rec *p = &ctx->payments.items[vipa__row(rows, k)];
        int dividend = vipa__payment_is_dividend(p);
        uint64_t payer = dividend ? ctx->entities.items[vipa__payment_entity(ctx, p)].id
                                  : ctx->linkages.items[vipa__payment_target(p)].id;
        if (vipa__payment_year(p) == year)
            keyed_add(e, &list, (uint64_t)(uint32_t)vipa__payment_date(p) << 1 | (uint64_t)dividend,
                      payer, (uint64_t)p->amount, vipa__row(rows, k));
    }
    keyed_sort(e, &list);
    for (size_t i = 0; i < list.count; i++)
        payment_step(e, r, &ctx->payments.items[list.items[i].index], c);
    vipa__free(&e->alloc, list.items);
}

/* 1 if an agreement covering the household sets it an exit deadline of `year` or
 * earlier: then EXIT_BY_DEADLINE applies to it in the year. */
static int exit_due(const vipa_result *r, uint32_t h, int year)
{
    const vipa_ctx *ctx = r->ctx;
    for (uint32_t a = 0; a < ctx->agreements.count; a++) {
        int deadline = vipa__agreement_covers(ctx, a, h)
                           ? vipa__exit_deadline(ctx, a, vipa__plan_of(ctx, a, h))
                           : 0;
        if (deadline && deadline <= year)
            return 1;
    }
    return 0;
}

static void household_standard(vipa_explanation *e, const vipa_result *r, uint32_t h, int year,
                               const cutoffs *c)
{
    const vipa_ctx *ctx = r->ctx;
    const household_rec *rec = &ctx->households.items[h];
    uint32_t other = VIPA_TABLE_FIND(ctx->incomes, vipa__year_key(h, year));
    vipa_fen other_income = other == VIPA_NO_INDEX ? 0 : ctx->incomes.items[other].other;
    STEP(e, VIPA_STEP_INCOME, VIPA_RULE_NONE, other_income, 0, S_OTHER_INCOME, year,
         vipa__yuan(other_income).s);
    vipa_fen income = vipa__household_income(r->ledger, h, year, 0);
    STEP(e, VIPA_STEP_INCOME, VIPA_RULE_NONE, income, 0, S_INCOME, year, vipa__yuan(income).s);
    vipa_fen per_person = 0, line = 0;
    vipa__profile_line(&ctx->profile, year, &per_person);
    vipa_fen_mul(&line, per_person, rec->members);
    STEP(e, VIPA_STEP_LINE, VIPA_RULE_NONE, line, 0, S_LINE, year, vipa__yuan(per_person).s,
         rec->members, vipa__yuan(line).s, year);
    int held = vipa__guarantees_held(r->ledger, h, year);
    STEP(e, VIPA_STEP_STANDARD, VIPA_RULE_NONE, income, 0, S_STANDARD, year,
         vipa__yuan(income).s, income >= line ? "≥" : "<", vipa__yuan(line).s,
         VIPA__TERM(!ctx->profile.require_guarantees ? VIPA__MSG_T_NOT_REQUIRED
                    : held                           ? VIPA__MSG_T_ALL_HELD
                                                     : VIPA__MSG_T_NOT_ALL_HELD),
         VIPA__TERM(vipa__standard_met(income, line, held) ? VIPA__MSG_T_MET : VIPA__MSG_T_NOT_MET));
    decided(e, vipa__standard_met(income, line, held), VIPA_SUBJECT_HOUSEHOLD, rec->id);
    vipa_rule rule = exit_due(r, h, year) ? VIPA_RULE_EXIT_BY_DEADLINE : VIPA_RULE_NONE;
    for (size_t i = 0; i < c->count; i++) {
        vipa_fen at = vipa__household_income(r->ledger, h, year, c->dates[i]);
        STEP(e, VIPA_STEP_CUTOFF, rule, at, c->dates[i], S_CUTOFF_INCOME, vipa__day(c->dates[i]).s,
             vipa__yuan(at).s, at >= line ? "≥" : "<", vipa__yuan(line).s);
    }
}

/* The failed checks of the year's evaluations that are about this household or its
 * linkages. */
static void household_checks(vipa_explanation *e, const vipa_result *r, uint32_t h, int yi)
{
    const vipa_ctx *ctx = r->ctx;
    const year_block *b = &r->years[yi];
    vipa_id id = ctx->households.items[h].id;
    for (size_t i = 0; i < b->evaluations.count; i++) {
        const evaluation_row *ev = &b->evaluations.items[i];
        for (uint32_t k = 0; k < ev->failed_count; k++) {
            const finding_rec *f = vipa__failed(r, ev->first_failed + k);
            int about = f->subject_kind == VIPA_SUBJECT_HOUSEHOLD && f->subject_id == id;
            if (f->subject_kind == VIPA_SUBJECT_LINKAGE) {
                uint32_t l = VIPA_TABLE_FIND(ctx->linkages, f->subject_id);
                about = l != VIPA_NO_INDEX && ctx->linkages.items[l].household == h;
            }
            if (!about)
                continue;
            const char *ex = vipa__failed_text(r, f->expected);
            const char *ac = vipa__failed_text(r, f->actual);
            STEP(e, VIPA_STEP_CHECK, (vipa_rule)f->rule, 0, ev->date, S_HOUSEHOLD_CHECK,
                 VIPA__TERM(ev->recheck ? VIPA__MSG_T_RECHECK : VIPA__MSG_T_EVALUATION),
                 (unsigned long long)ev->agreement, vipa__day(ev->date).s,
                 VIPA__TERM(subject_term(f->subject_kind)), (unsigned long long)f->subject_id,
                 ex ? ex : "-", ac ? ac : "-");
        }
    }
}

/* ---- an agreement's year ------------------------------------------------------------------ */

/* Its households by id. */
static void agreement_households(vipa_explanation *e, const vipa_result *r, uint32_t a,
                                 keyed_list *list)
{
    const vipa_ctx *ctx = r->ctx;
    const agreement_rec *ag = &ctx->agreements.items[a];
    for (uint32_t i = 0; i < ag->household_len; i++) {
        uint32_t h = ctx->agreement_households[ag->first_household + i];
        keyed_add(e, list, ctx->households.items[h].id, 0, 0, h);
    }
    keyed_sort(e, list);
}

/* Every linkage under the agreement due in the year, whether or not the agreement lists
 * its household, by id: due and paid by the cut-off (as the evaluation checks them). */
static void agreement_obligations(vipa_explanation *e, const vipa_result *r, uint32_t a,
                                  int year, vipa_date cutoff)
{
    const vipa_ctx *ctx = r->ctx;
    const vipa__rows *rows = &r->ledger->linkages_by_agreement;
    keyed_list list = {NULL, 0, 0};
    for (uint32_t k = rows->offsets[a]; k < rows->offsets[a + 1]; k++)
        if (vipa__linkage_due_in(r->ledger, vipa__row(rows, k), year))
            keyed_add(e, &list, ctx->linkages.items[vipa__row(rows, k)].id, 0, 0, vipa__row(rows, k));
    keyed_sort(e, &list);
    for (size_t i = 0; i < list.count; i++) {
        uint32_t l = list.items[i].index;
        vipa_fen due = vipa__linkage_due(r->ledger, l, year);
        vipa_fen paid = vipa__linkage_paid(r->ledger, l, year, cutoff);
        STEP(e, VIPA_STEP_CHECK, VIPA_RULE_OBLIGATIONS_PAID, due, cutoff, S_OBLIGATION,
             (unsigned long long)list.items[i].key[0], hid(ctx, ctx->linkages.items[l].household),
             vipa__yuan(due).s, year, vipa__yuan(paid).s, vipa__day(cutoff).s,
             VERDICT(paid >= due));
        decided(e, paid >= due, VIPA_SUBJECT_LINKAGE, list.items[i].key[0]);
    }
    vipa__free(&e->alloc, list.items);
}

static void household_dividend(vipa_explanation *e, const vipa_result *r, uint32_t a, uint32_t h,
                               int year, vipa_date cutoff)
{
    uint32_t entity = r->ctx->agreements.items[a].entity;
    vipa_fen due = vipa__dividend_due(r->ledger, entity, h, year);
    if (!due)
        return;
    vipa_fen paid = vipa__dividend_paid(r->ledger, entity, h, year, cutoff);
    STEP(e, VIPA_STEP_CHECK, VIPA_RULE_DIVIDEND_PAID_AS_AGREED, due, cutoff, S_DIVIDEND, year,
         hid(r->ctx, h), vipa__yuan(due).s, vipa__yuan(paid).s, vipa__day(cutoff).s,
         VERDICT(paid >= due));
    decided(e, paid >= due, VIPA_SUBJECT_HOUSEHOLD, hid(r->ctx, h));
}

typedef struct holder_visit {
    vipa_explanation *e;
    const vipa_result *r;
    uint32_t agreement;
    int year;
    vipa_date cutoff;
} holder_visit;

static void holder_dividend(void *opaque, uint32_t agreement, uint32_t household)
{
    holder_visit *v = opaque;
    if (agreement == v->agreement)
        household_dividend(v->e, v->r, agreement, household, v->year, v->cutoff);
}

/* The dividends of the holders of shares from the agreement that it does not list. */
static void other_holders_dividends(vipa_explanation *e, const vipa_result *r, uint32_t a,
                                    int year, vipa_date cutoff)
{
    holder_visit v = {e, r, a, year, cutoff};
    vipa__unlisted_holders(r->ledger, a, holder_dividend, &v);
}

static void household_exit(vipa_explanation *e, const vipa_result *r, uint32_t a, uint32_t h,
                           int year, vipa_date cutoff)
{
    vipa__exit_check x;
    int deadline = vipa__exit_deadline(r->ctx, a, vipa__plan_of(r->ctx, a, h));
    if (vipa__exit_figures(r->ledger, h, deadline, year, cutoff, &x) != VIPA_OK || !x.applies)
        return;
    if (x.exited) {
        STEP(e, VIPA_STEP_CHECK, VIPA_RULE_EXIT_BY_DEADLINE, x.income, cutoff, S_EXITED,
             hid(r->ctx, h), deadline, x.exited);
        decided(e, 1, VIPA_SUBJECT_HOUSEHOLD, hid(r->ctx, h));
        return;
    }
    if (x.passed || x.income < x.line)
        STEP(e, VIPA_STEP_CHECK, VIPA_RULE_EXIT_BY_DEADLINE, x.income, cutoff, S_EXIT,
             hid(r->ctx, h), deadline, vipa__yuan(x.income).s, vipa__day(cutoff).s,
             vipa__yuan(x.line).s, VERDICT(x.passed));
    else
        STEP(e, VIPA_STEP_CHECK, VIPA_RULE_EXIT_BY_DEADLINE, x.income, cutoff, S_EXIT_GUARANTEES,
             hid(r->ctx, h), deadline, vipa__yuan(x.income).s, vipa__day(cutoff).s,
             vipa__yuan(x.line).s, VERDICT(x.passed));
    decided(e, x.passed, VIPA_SUBJECT_HOUSEHOLD, hid(r->ctx, h));
}

static void household_task(vipa_explanation *e, const vipa_result *r, uint32_t a, uint32_t h,
                           int year, vipa_date cutoff)
{
    uint32_t plan = vipa__plan_of(r->ctx, a, h);
    vipa__task_check t;
    if (plan == VIPA_NO_INDEX)
        return;
    vipa__task_figures(r->ledger, plan, year, cutoff, &t);
    if (!t.has_target)
        return;
    STEP(e, VIPA_STEP_CHECK, VIPA_RULE_PLAN_TASKS_MET, t.income, cutoff, S_TASK, hid(r->ctx, h),
         year, vipa__yuan(t.income).s, vipa__day(cutoff).s, vipa__yuan(t.target).s,
         VERDICT(t.passed));
    decided(e, t.passed, VIPA_SUBJECT_HOUSEHOLD, hid(r->ctx, h));
}

static void agreement_totals(vipa_explanation *e, const vipa_result *r, uint32_t a, int year,
                             vipa_date cutoff)
{
    const vipa_ctx *ctx = r->ctx;
    const agreement_rec *ag = &ctx->agreements.items[a];
    vipa_area_code village = ctx->entities.items[ag->entity].core_village;
    size_t willing = 0, covered = 0;
    vipa_ledger_coverage(&willing, &covered, r->ledger, village, year);
    STEP(e, VIPA_STEP_CHECK, VIPA_RULE_COVERAGE_CORE_VILLAGE, 0, cutoff, S_COVERAGE,
         (unsigned long long)village, year, covered, willing, VERDICT(covered == willing));
    decided(e, covered == willing, VIPA_SUBJECT_VILLAGE, village);
    size_t linked = vipa__households_linked(r->ledger, a, year);
    size_t promised = vipa__households_promised(ag);
    STEP(e, VIPA_STEP_CHECK, VIPA_RULE_EVALUATION_OUTCOME, 0, cutoff, S_LINKED, year, linked,
         promised, VERDICT(linked >= promised));
    decided(e, linked >= promised, VIPA_SUBJECT_AGREEMENT, ag->id);
}

static void evaluation_steps(vipa_explanation *e, const vipa_result *r, uint32_t a,
                             const evaluation_row *ev, int year, const keyed_list *households)
{
    STEP(e, VIPA_STEP_CUTOFF, VIPA_RULE_EVALUATION_OUTCOME, 0, ev->date, S_EVALUATION_CUTOFF,
         VIPA__TERM(ev->recheck ? VIPA__MSG_T_RECHECK : VIPA__MSG_T_EVALUATION), year,
         vipa__day(ev->date).s, vipa__day(ev->date).s);
    agreement_obligations(e, r, a, year, ev->date);
    for (size_t i = 0; i < households->count; i++) {
        uint32_t h = households->items[i].index;
        household_dividend(e, r, a, h, year, ev->date);
        household_exit(e, r, a, h, year, ev->date);
        household_task(e, r, a, h, year, ev->date);
    }
    other_holders_dividends(e, r, a, year, ev->date);
    agreement_totals(e, r, a, year, ev->date);
    for (uint32_t k = 0; k < ev->failed_count; k++) {
        const finding_rec *f = vipa__failed(r, ev->first_failed + k);
        const char *ex = vipa__failed_text(r, f->expected);
        const char *ac = vipa__failed_text(r, f->actual);
        STEP(e, VIPA_STEP_CHECK, (vipa_rule)f->rule, 0, ev->date, S_FAILED,
             VIPA__TERM(subject_term(f->subject_kind)), (unsigned long long)f->subject_id,
             ex ? ex : "-", ac ? ac : "-");
    }
    if (ev->failed_count == 1)
        STEP(e, VIPA_STEP_OUTCOME, VIPA_RULE_EVALUATION_OUTCOME, 0, ev->date, S_OUTCOME_ONE,
             VIPA__TERM(outcome_term(ev->outcome)), ev->failed_count);
    else
        STEP(e, VIPA_STEP_OUTCOME, VIPA_RULE_EVALUATION_OUTCOME, 0, ev->date, S_OUTCOME_MANY,
             VIPA__TERM(outcome_term(ev->outcome)), ev->failed_count);
}

/* ---- rendering and the public functions --------------------------------------------------- */

static void render(vipa_explanation *e, vipa__lang lang, const char *title)
{
    size_t size = strlen(title) + 2;
    for (size_t i = 0; i < e->steps.count; i++)
        size += strlen(vipa__arena_get(&e->text, e->steps.items[i].text[lang])) + 16;
    char *rendered = vipa__malloc(&e->alloc, size);
    e->rendered[lang] = rendered;
    if (!rendered) {
        e->failed = 1;
        return;
    }
    size_t used = (size_t)snprintf(rendered, size, "%s\n", title);
    for (size_t i = 0; i < e->steps.count && used < size; i++)
        used += (size_t)snprintf(rendered + used, size - used, "%3zu. %s\n", i + 1,
                                 vipa__arena_get(&e->text, e->steps.items[i].text[lang]));
}

static vipa_explanation *new_explanation(const vipa_result *r)
{
    vipa_explanation *e = vipa__calloc(&r->alloc, 1, sizeof *e);
    if (e)
        e->alloc = r->alloc;
    return e;
}

/* Hands the explanation over, or frees it when building ran out of memory. */
static int finish(vipa_explanation **out, vipa_explanation *e, const char *const title[2])
{
    if (!e->failed)
        render(e, VIPA__LANG_EN, title[VIPA__LANG_EN]);
    if (!e->failed)
        render(e, VIPA__LANG_ZH, title[VIPA__LANG_ZH]);
    vipa__arena_free(&e->alloc, &e->scratch);
    if (e->failed) {
        vipa_explanation_free(e);
        return VIPA_E_NOMEM;
    }
    *out = e;
    return VIPA_OK;
}

int vipa_explain_household(vipa_explanation **out, const vipa_result *r, vipa_id household,
                           int year)
{
    if (!out)
        return VIPA_E_INVALID;
    *out = NULL;
    if (!r)
        return VIPA_E_INVALID;
    uint32_t h = VIPA_TABLE_FIND(r->ctx->households, household);
    int yi = vipa__result_year_index(r, year);
    if (h == VIPA_NO_INDEX || yi < 0)
        return VIPA_E_NOT_FOUND;
    vipa_explanation *e = new_explanation(r);
    if (!e)
        return VIPA_E_NOMEM;
    cutoffs c = year_cutoffs(r, year);
    household_dues(e, r, h, year);
    household_payments(e, r, h, year, &c);
    household_standard(e, r, h, year, &c);
    household_checks(e, r, h, yi);
    char en[96], zh[96];
    VIPA__MSG_FORMAT(en, sizeof en, &e->alloc, VIPA__LANG_EN, X_TITLE_HOUSEHOLD,
                     (unsigned long long)household, year);
    VIPA__MSG_FORMAT(zh, sizeof zh, &e->alloc, VIPA__LANG_ZH, X_TITLE_HOUSEHOLD,
                     (unsigned long long)household, year);
    return finish(out, e, (const char *const[2]){en, zh});
}

int vipa_explain_agreement(vipa_explanation **out, const vipa_result *r, vipa_id agreement,
                           int year)
{
    if (!out)
        return VIPA_E_INVALID;
    *out = NULL;
    if (!r)
        return VIPA_E_INVALID;
    uint32_t a = VIPA_TABLE_FIND(r->ctx->agreements, agreement);
    int yi = vipa__result_year_index(r, year);
    if (a == VIPA_NO_INDEX || yi < 0)
        return VIPA_E_NOT_FOUND;
    vipa_explanation *e = new_explanation(r);
    if (!e)
        return VIPA_E_NOMEM;
    const year_block *b = &r->years[yi];
    keyed_list households = {NULL, 0, 0};
    agreement_households(e, r, a, &households);
    for (size_t i = 0; i < b->evaluations.count; i++)
        if (b->evaluations.items[i].agreement == agreement)
            evaluation_steps(e, r, a, &b->evaluations.items[i], year, &households);
    vipa__free(&e->alloc, households.items);
    char en[96], zh[96];
    VIPA__MSG_FORMAT(en, sizeof en, &e->alloc, VIPA__LANG_EN, X_TITLE_AGREEMENT,
                     (unsigned long long)agreement, year);
    VIPA__MSG_FORMAT(zh, sizeof zh, &e->alloc, VIPA__LANG_ZH, X_TITLE_AGREEMENT,
                     (unsigned long long)agreement, year);
    return finish(out, e, (const char *const[2]){en, zh});
}

void vipa_explanation_free(vipa_explanation *e)
{
    if (!e)
        return;
    vipa__allocator a = e->alloc;
    vipa__free(&a, e->steps.items);
    vipa__arena_free(&a, &e->text);
    vipa__arena_free(&a, &e->scratch);
    vipa__free(&a, e->rendered[VIPA__LANG_EN]);
    vipa__free(&a, e->rendered[VIPA__LANG_ZH]);
    vipa__free(&a, e);
}

size_t vipa_explanation_step_count(const vipa_explanation *e)
{
    return e ? e->steps.count : 0;
}

int vipa_explanation_step(vipa_step_kind *kind, vipa_rule *rule, vipa_fen *amount,
                          vipa_date *date, const char **text, const vipa_explanation *e, size_t i)
{
    if (!kind || !rule || !amount || !date || !text || !e)
        return VIPA_E_INVALID;
    if (i >= e->steps.count)
        return VIPA_E_RANGE;
    const step *s = &e->steps.items[i];
    *kind = (vipa_step_kind)s->kind;
    *rule = (vipa_rule)s->rule;
    *amount = s->amount;
    *date = s->date;
    *text = vipa__arena_get(&e->text, s->text[VIPA__LANG_EN]);
    return VIPA_OK;
}

int vipa_explanation_verdict(int *passed, vipa_subject_kind *kind, uint64_t *subject,
                             const vipa_explanation *e, size_t i)
{
    if (!passed || !kind || !subject || !e)
        return VIPA_E_INVALID;
    if (i >= e->steps.count)
        return VIPA_E_RANGE;
    const step *s = &e->steps.items[i];
    if (s->verdict == VERDICT_NONE)
        return VIPA_E_NOT_FOUND;
    *passed = s->verdict == VERDICT_PASSED;
    *kind = (vipa_subject_kind)s->subject_kind;
    *subject = s->subject_id;
    return VIPA_OK;
}

const char *vipa_explanation_text(const vipa_explanation *e)
{
    return e && e->rendered[VIPA__LANG_EN] ? e->rendered[VIPA__LANG_EN] : "";
}

const char *vipa_explanation_text_lang(const vipa_explanation *e, const char *lang)
{
    vipa__lang l;
    if (vipa__lang_of(lang, &l) != VIPA_OK)
        return NULL;
    return e && e->rendered[l] ? e->rendered[l] : "";
}

const char *vipa_explanation_step_text(const vipa_explanation *e, size_t i, const char *lang)
{
    vipa__lang l;
    if (!e || i >= e->steps.count || vipa__lang_of(lang, &l) != VIPA_OK)
        return NULL;
    return vipa__arena_get(&e->text, e->steps.items[i].text[l]);
}
