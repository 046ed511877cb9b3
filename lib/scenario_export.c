/*
 * The scenario module: scenario JSON out, vipa_scenario_export() (docs/scenario.md,
 * "The scenario"), the inverse of vipa_scenario_load(): the profile's parameters and
 * every record of a context, written so that loading the text into a fresh context
 * gives the same records (the same input_sha256 stamp) and therefore the same report.
 *
 * The text is streamed into one buffer from the context's allocator (handed to the
 * caller, freed with vipa_free()) rather than built as a jansson tree: a province holds
 * tens of millions of records, and a tree would cost several times the context's own
 * memory. Every write goes through the module's JSON writer (scenario_json.c, shared
 * with the report) in buffer mode, whose first failure sticks (later writes do nothing),
 * so the record writers need no error plumbing.
 *
 * Order: records sorted by id, or by their natural key for kinds without one, so the
 * same records always give the same bytes whatever order they were added in; share
 * transfers are the exception and keep the order they were added in (see write_transfers).
 * Sorting sorts uint32 indexes (4 bytes a record, and 2 of the sort's scratch) with
 * vipa__sort, whose comparator is given the context and the kind's key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry_internal.h"
#include "scenario_internal.h"
#include "vipa/error.h"
#include "vipa/ledger.h"
#include "vipa/scenario.h"
#include "vocab_internal.h"

/* ---- members of the scenario's own forms -------------------------------------------- */

/* An optional member: 0 means "not stated", and the loader reads an absent key as 0. */
static void m_date_if(vipa__json *w, const char *key, vipa_date date)
{
    if (date)
        vipa__json_member_date(w, key, date);
}

static void m_year_if(vipa__json *w, const char *key, int year)
{
    if (year)
        vipa__json_member_int(w, key, year);
}

/* The word of a stored value; a value with none is a damaged record, never written. */
static const char *word_of(vipa__json *w, vipa__vocab vocab, int code)
{
    const char *word = vipa__word(vocab, code);
    if (!word)
        vipa__json_fail(w, VIPA_E_INVALID, "a stored value has no word in the scenario format (a "
               "library bug)");
    return word;
}

static void m_word(vipa__json *w, const char *key, vipa__vocab vocab, int code)
{
    const char *word = word_of(w, vocab, code);
    if (word)
        vipa__json_member_text(w, key, word);
}

/* "key": ["word", ...] for the set bits of a flag set, in the order of the bits. */
static void m_flags(vipa__json *w, const char *key, unsigned bits, vipa__vocab vocab)
{
    vipa__json_key(w, key);
    vipa__json_open(w, '[');
    for (int bit = 0; bit < vipa__vocab_end(vocab); bit++)
        if (bits & (1u << bit)) {
            vipa__json_item(w);
            vipa__json_text(w, vipa__word(vocab, bit));
        }
    vipa__json_close(w, ']');
}

/* Texts kept only as counts come back as that many placeholders: "project 1", ... */
static void m_placeholders(vipa__json *w, const char *key, const char *word, uint32_t count)
{
    if (count == 0)
        return;
    vipa__json_key(w, key);
    vipa__json_open(w, '[');
    for (uint32_t k = 1; k <= count && w->rc == VIPA_OK; k++) {
        char text[32];
        snprintf(text, sizeof text, "%s %lu", word, (unsigned long)k);
        vipa__json_item(w);
        vipa__json_text(w, text);
    }
    vipa__json_close(w, ']');
}

/* ---- ordering --------------------------------------------------------------------- */

enum { KEYS = 6 };

/* The sort key of record i of a kind, most significant first. */
typedef void (*key_fn)(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS]);

/* What the comparator of record indexes needs: the records and their kind's key. */
typedef struct row_order {
    const vipa_ctx *ctx;
    key_fn key;
} row_order;

/* Ties (identical keys, so identical text) keep the index order: vipa__sort is stable. */
static int by_row_key(const void *a, const void *b, void *context)
{
    const row_order *o = context;
    uint64_t x[KEYS] = {0}, y[KEYS] = {0};
    o->key(o->ctx, *(const uint32_t *)a, x);
    o->key(o->ctx, *(const uint32_t *)b, y);
    for (int k = 0; k < KEYS; k++)
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    return 0;
}

/* The indexes 0..count-1 sorted by key, in *order (the context's allocator; the
 * caller frees it); NULL key keeps the order of adding. VIPA_OK or VIPA_E_NOMEM. */
static int order_rows(const vipa_ctx *ctx, size_t count, key_fn key, uint32_t **order)
{
    uint32_t *v = vipa__calloc(&ctx->alloc, count + 1, sizeof *v);
    *order = v;
    if (!v)
        return VIPA_E_NOMEM;
    for (size_t i = 0; i < count; i++)
        v[i] = (uint32_t)i; /* record indexes are uint32_t throughout the context */
    if (key) {
        row_order o = {ctx, key};
        vipa__sort(&ctx->alloc, v, count, sizeof *v, by_row_key, &o);
    }
    return VIPA_OK;
}

/* Signed values in an unsigned key, order kept: flip the sign bit. */
static uint64_t signed_key(int64_t v)
{
    return (uint64_t)v ^ (UINT64_C(1) << 63);
}

/* ---- one list per kind ------------------------------------------------------------ */

/* Writes one record (index i); `state` is the kind's own, or NULL. */
typedef void (*row_fn)(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state);

/* "key": [record, ...] in key order. */
static void write_list(vipa__json *w, const vipa_ctx *ctx, const char *list, size_t count,
                       key_fn key, row_fn row, void *state)
{
    uint32_t *order = NULL;
    vipa__json_key(w, list);
    vipa__json_open(w, '[');
    if (w->rc == VIPA_OK && order_rows(ctx, count, key, &order) != VIPA_OK)
        vipa__json_fail(w, VIPA_E_NOMEM, "out of memory");
    for (size_t k = 0; k < count && w->rc == VIPA_OK; k++) {
        vipa__json_item(w);
        vipa__json_open(w, '{');
        row(w, ctx, order[k], state);
        vipa__json_close(w, '}');
    }
    vipa__json_close(w, ']');
    vipa__free(&ctx->alloc, order);
}

/* Each kind of VIPA_RECORD_KINDS with a top-level key has its writer, write_<plural>;
 * this one is for a kind whose list needs only its key and row functions. */
#define SORTED_LIST_WRITER(plural, singular)                                                   \
    static void write_##plural(vipa__json *w, const vipa_ctx *ctx)                                 \
    {                                                                                          \
        write_list(w, ctx, #plural, ctx->plural.count, singular##_key, singular##_row, NULL); \
    }

/* ---- the profile ------------------------------------------------------------------ */

/* Every parameter, defaults included, so the text does not depend on the defaults of
 * the library that reads it. */
static void write_profile(vipa__json *w, const vipa_ctx *ctx)
{
    const vipa__profile *p = &ctx->profile;
    vipa__json_key(w, "profile");
    vipa__json_open(w, '{');
    vipa__json_member_text(w, "base", p->name);
    vipa__json_key(w, "params");
    vipa__json_open(w, '{');
    vipa__json_member_int(w, "equity.poor_share_bp", p->poor_share_bp);
    m_word(w, "equity.allocation", VIPA_VOCAB_PROFILE_ALLOCATION, (int)p->allocation);
    m_word(w, "equity.remainder_holder", VIPA_VOCAB_REMAINDER_HOLDER, (int)p->remainder_holder);
    vipa__json_member_bool(w, "exit.require_guarantees", p->require_guarantees);
    vipa__json_key(w, "poverty_line");
    vipa__json_open(w, '{');
    for (size_t i = 0; i < p->line_count; i++) {
        char year[16];
        snprintf(year, sizeof year, "%d", (int)p->lines[i].year);
        vipa__json_member_fen(w, year, p->lines[i].per_person);
    }
    vipa__json_close(w, '}');
    vipa__json_close(w, '}');
    vipa__json_close(w, '}');
}

/* ---- areas, entities, households -------------------------------------------------- */

static void area_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->areas.items[i].code; /* a parent's code is below its children's */
}

static void area_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const area_rec *a = &ctx->areas.items[i];
    (void)state;
    vipa__json_member_code(w, "code", a->code);
    vipa__json_member_text(w, "name", vipa__arena_get(&ctx->text, a->name));
    m_word(w, "level", VIPA_VOCAB_AREA_LEVEL, a->level);
    if (a->industry != VIPA_NO_TEXT)
        vipa__json_member_text(w, "industry", vipa__arena_get(&ctx->text, a->industry));
}

SORTED_LIST_WRITER(areas, area)

static void entity_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->entities.items[i].id;
}

/* Only the criteria met: the loader reads an absent criterion as not met. */
static void write_selection(vipa__json *w, unsigned bits)
{
    if (bits == 0)
        return;
    vipa__json_key(w, "selection");
    vipa__json_open(w, '{');
    for (int bit = 0; bit < vipa__vocab_end(VIPA_VOCAB_SELECTION); bit++)
        if (bits & (1u << bit))
            vipa__json_member_bool(w, vipa__word(VIPA_VOCAB_SELECTION, bit), 1);
    vipa__json_close(w, '}');
}

static void entity_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const entity_rec *e = &ctx->entities.items[i];
    (void)state;
    vipa__json_member_id(w, "id", e->id);
    vipa__json_member_text(w, "name", vipa__arena_get(&ctx->text, e->name));
    m_word(w, "kind", VIPA_VOCAB_ENTITY_KIND, e->kind);
    if (e->uscc != VIPA_NO_TEXT)
        vipa__json_member_text(w, "uscc", vipa__arena_get(&ctx->text, e->uscc));
    vipa__json_member_code(w, "core_village", e->core_village);
    vipa__json_member_text(w, "industry", vipa__arena_get(&ctx->text, e->industry));
    write_selection(w, e->selection);
}

SORTED_LIST_WRITER(entities, entity)

static void household_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = vipa__household_id(ctx, i);
}

static void assured_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    uint64_t own = vipa__assured_key(&ctx->assured.items[i]);
    key[0] = vipa__household_id(ctx, vipa__key_index(own));
    key[1] = (uint64_t)vipa__key_year(own);
}

/* The guarantees in (household id, year) order, walked alongside the households (also
 * in id order), so each household finds its own at the cursor. */
typedef struct assured_walk {
    uint32_t *order;
    size_t count, cursor;
} assured_walk;

static void write_assured(vipa__json *w, const vipa_ctx *ctx, uint32_t household, assured_walk *aw)
{
    size_t end = aw->cursor;
    while (end < aw->count &&
           vipa__key_index(vipa__assured_key(&ctx->assured.items[aw->order[end]])) == household)
        end++;
    if (end == aw->cursor)
        return;
    vipa__json_key(w, "assured");
    vipa__json_open(w, '{');
    for (; aw->cursor < end; aw->cursor++) {
        const assured_rec *a = &ctx->assured.items[aw->order[aw->cursor]];
        char year[16];
        snprintf(year, sizeof year, "%d", vipa__key_year(vipa__assured_key(a)));
        m_flags(w, year, vipa__assured_items(a), VIPA_VOCAB_ASSURED);
    }
    vipa__json_close(w, '}');
}

static void household_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const household_rec *h = &ctx->households.items[i];
    vipa__json_member_id(w, "id", h->id);
    vipa__json_member_code(w, "village", ctx->areas.items[h->village].code);
    vipa__json_member_int(w, "members", h->members);
    vipa__json_member_int(w, "labour", h->labour);
    m_word(w, "cause", VIPA_VOCAB_CAUSE, h->cause);
    vipa__json_member_bool(w, "willing", h->willing);
    m_year_if(w, "exited", h->exited_year);
    write_assured(w, ctx, i, state);
}

static void write_households(vipa__json *w, const vipa_ctx *ctx)
{
    assured_walk aw = {NULL, ctx->assured.count, 0};
    if (order_rows(ctx, aw.count, assured_key, &aw.order) != VIPA_OK)
        vipa__json_fail(w, VIPA_E_NOMEM, "out of memory");
    write_list(w, ctx, "households", ctx->households.count, household_key, household_row, &aw);
    vipa__free(&ctx->alloc, aw.order);
}

/* ---- agreements and plans ------------------------------------------------------------- */

static void agreement_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->agreements.items[i].id;
}

static int by_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* An agreement's households by id; `ids` holds room for the longest list. */
static void write_agreement_households(vipa__json *w, const vipa_ctx *ctx, const agreement_rec *a,
                                       uint64_t *ids)
{
    for (uint32_t k = 0; k < a->household_len; k++)
        ids[k] = vipa__household_id(ctx, ctx->agreement_households[a->first_household + k]);
    if (a->household_len > 1)
        qsort(ids, a->household_len, sizeof *ids, by_u64);
    vipa__json_key(w, "households");
    vipa__json_open(w, '[');
    for (uint32_t k = 0; k < a->household_len; k++) {
        vipa__json_item(w);
        vipa__json_uint(w, ids[k]);
    }
    vipa__json_close(w, ']');
}

static void write_signer(vipa__json *w, const agreement_rec *a)
{
    if (a->signer_level == VIPA_SIGNER_UNRECORDED)
        return;
    vipa__json_key(w, "signer");
    vipa__json_open(w, '{');
    m_word(w, "level", VIPA_VOCAB_SIGNER_LEVEL, a->signer_level);
    if (a->signer_area)
        vipa__json_member_code(w, "area", a->signer_area);
    vipa__json_close(w, '}');
}

/* The support measures' texts, as given. */
static void write_support(vipa__json *w, const vipa_ctx *ctx, const agreement_rec *a)
{
    vipa__json_key(w, "support");
    vipa__json_open(w, '[');
    for (uint32_t k = 0; k < a->support_len; k++) {
        vipa__json_item(w);
        uint32_t text = ctx->agreement_support.items[a->first_support + k];
        vipa__json_text(w, vipa__arena_get(&ctx->text, text));
    }
    vipa__json_close(w, ']');
}

static void agreement_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const agreement_rec *a = &ctx->agreements.items[i];
    vipa__json_member_id(w, "id", a->id);
    vipa__json_member_id(w, "entity", vipa__entity_id(ctx, a->entity));
    write_agreement_households(w, ctx, a, state);
    if (a->household_count >= 0)
        vipa__json_member_int(w, "household_count", a->household_count);
    m_placeholders(w, "projects", "project", a->project_count);
    if (a->support_len)
        write_support(w, ctx, a);
    else if (a->support_count) /* counted, texts unknown: no placeholder may pose as one */
        vipa__json_member_int(w, "support_count", a->support_count);
    if (a->dividend_bp)
        vipa__json_member_int(w, "dividend_bp", a->dividend_bp);
    m_date_if(w, "start", a->start);
    m_date_if(w, "end", a->end);
    m_year_if(w, "exit_deadline", a->exit_deadline);
    m_date_if(w, "signed", a->signed_on);
    write_signer(w, a);
}

static void write_agreements(vipa__json *w, const vipa_ctx *ctx)
{
    size_t longest = 0;
    for (size_t i = 0; i < ctx->agreements.count; i++)
        if (ctx->agreements.items[i].household_len > longest)
            longest = ctx->agreements.items[i].household_len;
    uint64_t *ids = vipa__calloc(&ctx->alloc, longest + 1, sizeof *ids);
    if (!ids)
        vipa__json_fail(w, VIPA_E_NOMEM, "out of memory");
    write_list(w, ctx, "agreements", ctx->agreements.count, agreement_key, agreement_row, ids);
    vipa__free(&ctx->alloc, ids);
}

static void plan_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const plan_rec *p = &ctx->plans.items[i];
    key[0] = vipa__household_id(ctx, vipa__plan_household(p));
    key[1] = vipa__agreement_id(ctx, vipa__plan_agreement(p));
}

/* Annual tasks as stored (sorted by year), each with its income target if it states one. */
static void write_tasks(vipa__json *w, const vipa_ctx *ctx, const plan_rec *p)
{
    if (p->task_len == 0)
        return;
    vipa__json_key(w, "tasks");
    vipa__json_open(w, '[');
    for (uint32_t k = 0; k < p->task_len; k++) {
        const plan_task_rec *t = &ctx->plan_tasks[p->first_task + k];
        vipa__json_item(w);
        vipa__json_open(w, '{');
        vipa__json_member_int(w, "year", t->year);
        if (t->has_income)
            vipa__json_member_fen(w, "income", t->income);
        vipa__json_close(w, '}');
    }
    vipa__json_close(w, ']');
}

/* Per-person tasks are kept as a count: member 1, "task 1", "task 2", ... */
static void write_persons(vipa__json *w, uint32_t count)
{
    if (count == 0)
        return;
    vipa__json_key(w, "persons");
    vipa__json_open(w, '[');
    for (uint32_t k = 1; k <= count && w->rc == VIPA_OK; k++) {
        char task[32];
        snprintf(task, sizeof task, "task %lu", (unsigned long)k);
        vipa__json_item(w);
        vipa__json_open(w, '{');
        vipa__json_member_int(w, "member", 1);
        vipa__json_member_text(w, "task", task);
        vipa__json_close(w, '}');
    }
    vipa__json_close(w, ']');
}

static void plan_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const plan_rec *p = &ctx->plans.items[i];
    (void)state;
    vipa__json_member_id(w, "household", vipa__household_id(ctx, vipa__plan_household(p)));
    vipa__json_member_id(w, "agreement", vipa__agreement_id(ctx, vipa__plan_agreement(p)));
    m_year_if(w, "exit_target", p->exit_target);
    m_placeholders(w, "industries", "industry", p->industry_count);
    m_placeholders(w, "measures", "measure", p->measure_count);
    write_tasks(w, ctx, p);
    if (p->filed)
        m_flags(w, "filed", p->filed, VIPA_VOCAB_FILED);
    write_persons(w, p->person_task_count);
}

SORTED_LIST_WRITER(plans, plan)

/* ---- linkages and equity ------------------------------------------------------------ */

static void linkage_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->linkages.items[i].id;
}

/* The amount fields of the kind: units > 0 make a wage one by days (see linkage_rec). */
static void write_linkage_amounts(vipa__json *w, const linkage_rec *l)
{
    if (l->kind == VIPA_LINKAGE_LAND_RENT) {
        /* 0.01 mu: the same two-decimal form */
        vipa__json_member_fen(w, "area_mu", (vipa_fen)l->units);
        vipa__json_member_fen(w, "rent_per_mu", l->amount);
    } else if (l->kind == VIPA_LINKAGE_WAGE && l->units > 0) {
        vipa__json_member_int(w, "days", l->units);
        vipa__json_member_fen(w, "daily_wage", l->amount);
    } else {
        vipa__json_member_fen(w, "annual", l->amount);
    }
}

static void linkage_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const linkage_rec *l = &ctx->linkages.items[i];
    const agreement_rec *a = &ctx->agreements.items[l->agreement];
    (void)state;
    vipa__json_member_id(w, "id", l->id);
    m_word(w, "kind", VIPA_VOCAB_LINKAGE_KIND, l->kind);
    vipa__json_member_id(w, "household", vipa__household_id(ctx, l->household));
    /* a linkage's entity is its agreement's */
    vipa__json_member_id(w, "entity", vipa__entity_id(ctx, a->entity));
    vipa__json_member_id(w, "agreement", a->id);
    vipa__json_member_int(w, "from", l->from_year);
    vipa__json_member_int(w, "to", l->to_year);
    write_linkage_amounts(w, l);
}

SORTED_LIST_WRITER(linkages, linkage)

static void injection_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->injections.items[i].id;
}

/* Its own households in the order given (weights pair with them by position, and the
 * stamp hashes that order); none when it uses the agreement's. */
static void write_injection_households(vipa__json *w, const vipa_ctx *ctx, const injection_rec *in)
{
    if (in->household_len == 0)
        return;
    vipa__json_key(w, "households");
    vipa__json_open(w, '[');
    for (uint32_t k = 0; k < in->household_len; k++) {
        vipa__json_item(w);
        uint32_t h = ctx->injection_households.items[in->first_household + k];
        vipa__json_uint(w, vipa__household_id(ctx, h));
    }
    vipa__json_close(w, ']');
    if (in->allocation != VIPA_ALLOCATION_WEIGHTS)
        return;
    vipa__json_key(w, "weights");
    vipa__json_open(w, '[');
    for (uint32_t k = 0; k < in->household_len; k++) {
        vipa__json_item(w);
        vipa__json_uint(w, ctx->injection_weights.items[in->first_weight + k]);
    }
    vipa__json_close(w, ']');
}

static void injection_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const injection_rec *in = &ctx->injections.items[i];
    (void)state;
    vipa__json_member_id(w, "id", in->id);
    vipa__json_member_id(w, "entity", vipa__entity_id(ctx, in->entity));
    vipa__json_member_id(w, "agreement", vipa__agreement_id(ctx, in->agreement));
    vipa__json_member_date(w, "date", in->date);
    vipa__json_member_fen(w, "amount", in->amount);
    if (in->allocation != VIPA_ALLOCATION_PROFILE) /* absent: as the profile says */
        m_word(w, "allocation", VIPA_VOCAB_ALLOCATION, in->allocation);
    write_injection_households(w, ctx, in);
}

SORTED_LIST_WRITER(injections, injection)

static void contribution_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const contribution_rec *c = &ctx->contributions.items[i];
    key[0] = vipa__household_id(ctx, c->household);
    key[1] = vipa__entity_id(ctx, c->entity);
    key[2] = (uint32_t)c->date;
    key[3] = c->kind;
    key[4] = vipa__agreement_id(ctx, c->agreement);
    key[5] = signed_key(c->value);
}

static void contribution_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const contribution_rec *c = &ctx->contributions.items[i];
    (void)state;
    vipa__json_member_id(w, "household", vipa__household_id(ctx, c->household));
    vipa__json_member_id(w, "entity", vipa__entity_id(ctx, c->entity));
    if (c->agreement != VIPA_NO_INDEX)
        vipa__json_member_id(w, "agreement", vipa__agreement_id(ctx, c->agreement));
    m_word(w, "kind", VIPA_VOCAB_CONTRIBUTION_KIND, c->kind);
    vipa__json_member_fen(w, "value", c->value);
    vipa__json_member_date(w, "date", c->date);
}

SORTED_LIST_WRITER(contributions, contribution)

/* {"household": id} | {"collective": "code"} | {"entity": id}. */
static void write_holder(vipa__json *w, const char *key, unsigned kind, uint64_t id)
{
    vipa__json_key(w, key);
    vipa__json_open(w, '{');
    const char *word = word_of(w, VIPA_VOCAB_HOLDER_KIND, (int)kind);
    if (word && kind == VIPA_HOLDER_COLLECTIVE)
        vipa__json_member_code(w, word, id);
    else if (word)
        vipa__json_member_id(w, word, id);
    vipa__json_close(w, '}');
}

static void transfer_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const transfer_rec *t = &ctx->transfers.items[i];
    (void)state;
    vipa__json_member_id(w, "entity", vipa__entity_id(ctx, t->entity));
    write_holder(w, "from", t->from_kind, t->from_id);
    write_holder(w, "to", t->to_kind, t->to_id);
    vipa__json_member_fen(w, "amount", t->amount);
    vipa__json_member_date(w, "date", t->date);
}

/* Transfers keep the order they were added in. Each was checked against the transfers
 * already there (the giver never short on any day), so that order is sure to load
 * again; a sorted one is not: within a day, a giver may need a receipt that sorts after
 * its gift. The stamp hashes transfers in canonical order, so the round trip keeps it. */
static void write_transfers(vipa__json *w, const vipa_ctx *ctx)
{
    write_list(w, ctx, "transfers", ctx->transfers.count, NULL, transfer_row, NULL);
}

/* ---- dividends, payments, incomes, evaluations ---------------------------------------- */

static void dividend_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const dividend_rec *d = &ctx->dividends.items[i];
    key[0] = vipa__entity_id(ctx, vipa__key_index(d->key));
    key[1] = (uint64_t)vipa__key_year(d->key);
}

static void dividend_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const dividend_rec *d = &ctx->dividends.items[i];
    (void)state;
    vipa__json_member_id(w, "entity", vipa__entity_id(ctx, vipa__key_index(d->key)));
    vipa__json_member_int(w, "year", vipa__key_year(d->key));
    if (d->rate_bp >= 0)
        vipa__json_member_int(w, "rate_bp", d->rate_bp);
    else
        vipa__json_member_fen(w, "pool", d->pool);
}

SORTED_LIST_WRITER(dividends, dividend)

/* Linkage payments first (by linkage), then dividend payments (by entity, household). */
static void payment_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const payment_rec *p = &ctx->payments.items[i];
    key[0] = (uint64_t)vipa__payment_is_dividend(p);
    key[1] = vipa__payment_under_id(ctx, p);
    key[2] = vipa__household_id(ctx, vipa__payment_household(ctx, p));
    key[3] = (uint64_t)vipa__payment_year(p);
    key[4] = (uint32_t)vipa__payment_date(p);
    key[5] = signed_key(p->amount);
}

static void payment_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const payment_rec *p = &ctx->payments.items[i];
    (void)state;
    if (vipa__payment_is_dividend(p)) {
        vipa__json_key(w, "dividend");
        vipa__json_open(w, '{');
        vipa__json_member_id(w, "entity", vipa__entity_id(ctx, vipa__payment_entity(ctx, p)));
        vipa__json_member_id(w, "household",
                             vipa__household_id(ctx, vipa__payment_household(ctx, p)));
        vipa__json_close(w, '}');
    } else {
        vipa__json_member_id(w, "linkage", ctx->linkages.items[vipa__payment_target(p)].id);
    }
    vipa__json_member_int(w, "year", vipa__payment_year(p));
    vipa__json_member_fen(w, "amount", p->amount);
    vipa__json_member_date(w, "date", vipa__payment_date(p));
}

SORTED_LIST_WRITER(payments, payment)

static void income_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const income_rec *in = &ctx->incomes.items[i];
    key[0] = vipa__household_id(ctx, vipa__key_index(in->key));
    key[1] = (uint64_t)vipa__key_year(in->key);
}

static void income_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const income_rec *in = &ctx->incomes.items[i];
    (void)state;
    vipa__json_member_id(w, "household", vipa__household_id(ctx, vipa__key_index(in->key)));
    vipa__json_member_int(w, "year", vipa__key_year(in->key));
    vipa__json_member_fen(w, "other", in->other);
}

SORTED_LIST_WRITER(incomes, income)

static void evaluation_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const evaluation_rec *e = &ctx->evaluations.items[i];
    key[0] = (uint32_t)e->year;
    key[1] = (uint32_t)e->date;
    key[2] = e->recheck;
}

static void evaluation_row(vipa__json *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const evaluation_rec *e = &ctx->evaluations.items[i];
    (void)state;
    vipa__json_member_int(w, "year", e->year);
    vipa__json_member_date(w, "date", e->date);
    vipa__json_member_bool(w, "recheck", e->recheck);
}

SORTED_LIST_WRITER(evaluations, evaluation)

/* ---- the whole scenario ------------------------------------------------------------------ */

/* Placeholders are at least 11 bytes each ("project 1" and its quotes and comma): a
 * count the loader could never read back is refused before any of it is written. */
static int placeholders_fit(const vipa_ctx *ctx)
{
    uint64_t total = 0;
    for (size_t i = 0; i < ctx->agreements.count; i++)
        total += ctx->agreements.items[i].project_count;
    for (size_t i = 0; i < ctx->plans.count; i++)
        total += (uint64_t)ctx->plans.items[i].industry_count + ctx->plans.items[i].measure_count +
                 ctx->plans.items[i].person_task_count;
    return total <= VIPA_SCENARIO_MAX_BYTES / 11;
}

/* Every kind in the list's order (the loader's), so references come before what refers
 * to them: write_areas(w, ctx); ...; a nested kind is written inside its parent's records
 * (a household's guarantees in write_households). */
#define WRITE_KIND(plural, singular, SINGULAR, storage, key, sizes, scenario) \
    WRITE_##scenario(plural)
#define WRITE_OWN_KEY(plural) write_##plural(w, ctx);
#define WRITE_NESTED(plural)

static void write_scenario(vipa__json *w, const vipa_ctx *ctx)
{
    vipa__json_open(w, '{');
    vipa__json_member_int(w, "vipa", 1);
    m_date_if(w, "as_of", ctx->as_of);
    write_profile(w, ctx);
    VIPA_RECORD_KINDS(WRITE_KIND)
    vipa__json_close(w, '}');
    vipa__json_raw(w, "\n", 1);
}

#undef WRITE_KIND
#undef WRITE_OWN_KEY
#undef WRITE_NESTED

int vipa_scenario_export(char **json, size_t *length, vipa_ctx *ctx, unsigned int flags)
{
    if (length)
        *length = 0;
    if (!json)
        return ctx ? vipa__fail(ctx, VIPA_E_INVALID, "export: the output pointer is NULL")
                   : VIPA_E_INVALID;
    *json = NULL;
    if (!ctx)
        return VIPA_E_INVALID;
    /* Unknown flag bits are refused, so a flag added later is never silently ignored. */
    if (flags & ~VIPA_REPORT_PRETTY)
        return vipa__fail(ctx, VIPA_E_INVALID, "export: unknown flag bits 0x%x; expected "
                          "VIPA_REPORT_PRETTY or 0", flags & ~VIPA_REPORT_PRETTY);
    if (!placeholders_fit(ctx))
        return vipa__fail(ctx, VIPA_E_LIMIT, "export: the counts of projects, "
                          "industries, measures and per-person tasks need more text than "
                          "VIPA_SCENARIO_MAX_BYTES, which vipa_scenario_load() refuses");
    /* The exporter's \u escapes stay in lower-case hex, as it has always written them. */
    vipa__json w;
    vipa__json_to_buffer(&w, &ctx->alloc, (flags & VIPA_REPORT_PRETTY) ? VIPA__JSON_PRETTY : 0,
                         VIPA_SCENARIO_MAX_BYTES, "the text would exceed "
                         "VIPA_SCENARIO_MAX_BYTES, which vipa_scenario_load() refuses");
    write_scenario(&w, ctx);
    int rc = vipa__json_end(&w, json, length);
    return rc != VIPA_OK ? vipa__fail(ctx, rc, "export: %s", w.why) : vipa__succeed(ctx);
}
