/*
 * The scenario module: scenario JSON out, vipa_scenario_export() (docs/scenario.md,
 * "The scenario"), the inverse of vipa_scenario_load(): the profile's parameters and
 * every record of a context, written so that loading the text into a fresh context
 * gives the same records (the same input_sha256 stamp) and therefore the same report.
 *
 * The text is streamed into one buffer from the context's allocator (handed to the
 * caller, freed with vipa_free()) rather than built as a jansson tree: a province holds
 * tens of millions of records, and a tree would cost several times the context's own
 * memory. Every write goes through a writer whose first failure sticks (later writes do
 * nothing), so the record writers need no error plumbing.
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
#include "vipa/error.h"
#include "vipa/ledger.h"
#include "vipa/scenario.h"
#include "vocab_internal.h"

/* ---- the writer ------------------------------------------------------------------ */

enum { MAX_DEPTH = 8 };

typedef struct writer {
    const vipa__allocator *alloc; /* the context's */
    char *data;                   /* vipa__handed_resize(): freed with vipa_free() */
    size_t length, capacity;
    int pretty;
    int depth;
    int first[MAX_DEPTH]; /* no element written yet in the container at this depth */
    int rc;               /* the first failure; once set, writes do nothing */
    const char *why;      /* what failed, for the context's message */
} writer;

static void w_fail(writer *w, int rc, const char *why)
{
    if (w->rc == VIPA_OK) {
        w->rc = rc;
        w->why = why;
    }
}

/* Room for `more` bytes (and a NUL); the text may not outgrow what the loader reads. */
static int w_reserve(writer *w, size_t more)
{
    if (more > VIPA_SCENARIO_MAX_BYTES - w->length) {
        w_fail(w, VIPA_E_LIMIT, "the text would exceed VIPA_SCENARIO_MAX_BYTES, which "
               "vipa_scenario_load() refuses");
        return 0;
    }
    size_t need = w->length + more + 1;
    if (need <= w->capacity)
        return 1;
    size_t capacity = w->capacity ? w->capacity : 4096;
    while (capacity < need) /* need ≤ 2^31 + 1, but a 32-bit size_t cannot double that */
        capacity = capacity > SIZE_MAX / 2 ? need : capacity * 2;
    char *data = vipa__handed_resize(w->alloc, w->data, capacity);
    if (!data) {
        w_fail(w, VIPA_E_NOMEM, "out of memory");
        return 0;
    }
    w->data = data;
    w->capacity = capacity;
    return 1;
}

static void w_raw(writer *w, const char *bytes, size_t n)
{
    if (w->rc != VIPA_OK || !w_reserve(w, n))
        return;
    memcpy(w->data + w->length, bytes, n);
    w->length += n;
}

static void w_str(writer *w, const char *text)
{
    w_raw(w, text, strlen(text));
}

/* A new line indented to the current depth (pretty only). */
static void w_newline(writer *w, int depth)
{
    static const char spaces[2 * MAX_DEPTH] = "                ";
    if (!w->pretty)
        return;
    w_raw(w, "\n", 1);
    w_raw(w, spaces, 2 * (size_t)depth);
}

/* Before an element of the current container: a comma unless it is the first. */
static void w_item(writer *w)
{
    if (!w->first[w->depth])
        w_raw(w, ",", 1);
    w->first[w->depth] = 0;
    w_newline(w, w->depth);
}

/* Keys are the contract's static ASCII names: no escaping needed. */
static void w_key(writer *w, const char *key)
{
    w_item(w);
    w_raw(w, "\"", 1);
    w_str(w, key);
    w_str(w, w->pretty ? "\": " : "\":");
}

static void w_open(writer *w, char bracket)
{
    w_raw(w, &bracket, 1);
    if (w->depth + 1 >= MAX_DEPTH) { /* the shapes below nest 5 deep at most */
        w_fail(w, VIPA_E_INVALID, "nesting too deep (a library bug)");
        return;
    }
    w->first[++w->depth] = 1;
}

static void w_close(writer *w, char bracket)
{
    int empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        w_newline(w, w->depth);
    w_raw(w, &bracket, 1);
}

static void w_int(writer *w, long long value)
{
    char text[24];
    int n = snprintf(text, sizeof text, "%lld", value);
    w_raw(w, text, (size_t)n);
}

/* Ids, weights and counts: the loader reads JSON integers as signed 64-bit, so anything
 * above INT64_MAX cannot be written exactly (a wrapped value would name another record). */
static void w_uint(writer *w, uint64_t value)
{
    if (value > (uint64_t)INT64_MAX) {
        w_fail(w, VIPA_E_RANGE, "an id or weight is above INT64_MAX; JSON integers are "
               "signed 64-bit");
        return;
    }
    w_int(w, (long long)value);
}

static void w_bool(writer *w, int value)
{
    w_str(w, value ? "true" : "false");
}

/* One character of a JSON string: the quote, the backslash and the control characters
 * escaped, everything else (UTF-8 included) as it is. */
static void w_char(writer *w, unsigned char c)
{
    static const char short_escapes[] = "btn\0fr"; /* \b \t \n - \f \r for 8..13 */
    char escape[8];
    if (c == '"' || c == '\\') {
        escape[0] = '\\';
        escape[1] = (char)c;
        w_raw(w, escape, 2);
    } else if (c >= 8 && c <= 13 && c != 11) {
        escape[0] = '\\';
        escape[1] = short_escapes[c - 8];
        w_raw(w, escape, 2);
    } else if (c < 0x20) {
        snprintf(escape, sizeof escape, "\\u%04x", c);
        w_raw(w, escape, 6);
    } else {
        w_raw(w, (const char *)&c, 1);
    }
}

/* Text as a JSON string. Stored texts were checked at their add; a check here tells
 * damage (a library bug) apart from a failed allocation. */
static void w_text(writer *w, const char *text)
{
    if (!vipa__utf8_valid(text)) {
        w_fail(w, VIPA_E_INVALID, "a stored text is not UTF-8 (a library bug)");
        return;
    }
    w_raw(w, "\"", 1);
    for (const char *p = text; *p && w->rc == VIPA_OK; p++)
        w_char(w, (unsigned char)*p);
    w_raw(w, "\"", 1);
}

/* Money (and land in 0.01 mu) as decimal text with two decimals, never a JSON number. */
static void w_fen(writer *w, vipa_fen amount)
{
    char text[VIPA_FEN_FORMAT_SIZE];
    vipa_fen_format(text, sizeof text, amount); /* the buffer always fits */
    w_text(w, text);
}

static void w_code(writer *w, vipa_area_code code)
{
    char text[VIPA_AREA_CODE_SIZE];
    if (vipa_area_code_format(text, sizeof text, code) != VIPA_OK)
        w_fail(w, VIPA_E_INVALID, "a stored area code is no area (a library bug)");
    else
        w_text(w, text);
}

static void w_date(writer *w, vipa_date date)
{
    char text[VIPA_DATE_FORMAT_SIZE];
    if (vipa_date_format(text, sizeof text, date) != VIPA_OK)
        w_fail(w, VIPA_E_INVALID, "a stored date is no day (a library bug)");
    else
        w_text(w, text);
}

/* Members: key and value in one call. */
static void m_int(writer *w, const char *key, long long value)
{
    w_key(w, key);
    w_int(w, value);
}

static void m_id(writer *w, const char *key, uint64_t id)
{
    w_key(w, key);
    w_uint(w, id);
}

static void m_text(writer *w, const char *key, const char *text)
{
    w_key(w, key);
    w_text(w, text);
}

static void m_fen(writer *w, const char *key, vipa_fen amount)
{
    w_key(w, key);
    w_fen(w, amount);
}

static void m_code(writer *w, const char *key, vipa_area_code code)
{
    w_key(w, key);
    w_code(w, code);
}

static void m_date(writer *w, const char *key, vipa_date date)
{
    w_key(w, key);
    w_date(w, date);
}

static void m_bool(writer *w, const char *key, int value)
{
    w_key(w, key);
    w_bool(w, value);
}

/* An optional member: 0 means "not stated", and the loader reads an absent key as 0. */
static void m_date_if(writer *w, const char *key, vipa_date date)
{
    if (date)
        m_date(w, key, date);
}

static void m_year_if(writer *w, const char *key, int year)
{
    if (year)
        m_int(w, key, year);
}

/* The word of a stored value; a value with none is a damaged record, never written. */
static const char *word_of(writer *w, vipa__vocab vocab, int code)
{
    const char *word = vipa__word(vocab, code);
    if (!word)
        w_fail(w, VIPA_E_INVALID, "a stored value has no word in the scenario format (a "
               "library bug)");
    return word;
}

static void m_word(writer *w, const char *key, vipa__vocab vocab, int code)
{
    const char *word = word_of(w, vocab, code);
    if (word)
        m_text(w, key, word);
}

/* "key": ["word", ...] for the set bits of a flag set, in the order of the bits. */
static void m_flags(writer *w, const char *key, unsigned bits, vipa__vocab vocab)
{
    w_key(w, key);
    w_open(w, '[');
    for (int bit = 0; bit < vipa__vocab_end(vocab); bit++)
        if (bits & (1u << bit)) {
            w_item(w);
            w_text(w, vipa__word(vocab, bit));
        }
    w_close(w, ']');
}

/* Texts kept only as counts come back as that many placeholders: "project 1", ... */
static void m_placeholders(writer *w, const char *key, const char *word, uint32_t count)
{
    if (count == 0)
        return;
    w_key(w, key);
    w_open(w, '[');
    for (uint32_t k = 1; k <= count && w->rc == VIPA_OK; k++) {
        char text[32];
        snprintf(text, sizeof text, "%s %lu", word, (unsigned long)k);
        w_item(w);
        w_text(w, text);
    }
    w_close(w, ']');
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
typedef void (*row_fn)(writer *w, const vipa_ctx *ctx, uint32_t i, void *state);

/* "key": [record, ...] in key order. */
static void write_list(writer *w, const vipa_ctx *ctx, const char *list, size_t count, key_fn key,
                       row_fn row, void *state)
{
    uint32_t *order = NULL;
    w_key(w, list);
    w_open(w, '[');
    if (w->rc == VIPA_OK && order_rows(ctx, count, key, &order) != VIPA_OK)
        w_fail(w, VIPA_E_NOMEM, "out of memory");
    for (size_t k = 0; k < count && w->rc == VIPA_OK; k++) {
        w_item(w);
        w_open(w, '{');
        row(w, ctx, order[k], state);
        w_close(w, '}');
    }
    w_close(w, ']');
    vipa__free(&ctx->alloc, order);
}

/* Each kind of VIPA_RECORD_KINDS with a top-level key has its writer, write_<plural>;
 * this one is for a kind whose list needs only its key and row functions. */
#define SORTED_LIST_WRITER(plural, singular)                                                   \
    static void write_##plural(writer *w, const vipa_ctx *ctx)                                 \
    {                                                                                          \
        write_list(w, ctx, #plural, ctx->plural.count, singular##_key, singular##_row, NULL); \
    }

/* ---- the profile ------------------------------------------------------------------ */

/* Every parameter, defaults included, so the text does not depend on the defaults of
 * the library that reads it. */
static void write_profile(writer *w, const vipa_ctx *ctx)
{
    const vipa__profile *p = &ctx->profile;
    w_key(w, "profile");
    w_open(w, '{');
    m_text(w, "base", p->name);
    w_key(w, "params");
    w_open(w, '{');
    m_int(w, "equity.poor_share_bp", p->poor_share_bp);
    m_word(w, "equity.allocation", VIPA_VOCAB_PROFILE_ALLOCATION, (int)p->allocation);
    m_word(w, "equity.remainder_holder", VIPA_VOCAB_REMAINDER_HOLDER, (int)p->remainder_holder);
    m_bool(w, "exit.require_guarantees", p->require_guarantees);
    w_key(w, "poverty_line");
    w_open(w, '{');
    for (size_t i = 0; i < p->line_count; i++) {
        char year[16];
        snprintf(year, sizeof year, "%d", (int)p->lines[i].year);
        m_fen(w, year, p->lines[i].per_person);
    }
    w_close(w, '}');
    w_close(w, '}');
    w_close(w, '}');
}

/* ---- areas, entities, households -------------------------------------------------- */

static void area_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->areas.items[i].code; /* a parent's code is below its children's */
}

static void area_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const area_rec *a = &ctx->areas.items[i];
    (void)state;
    m_code(w, "code", a->code);
    m_text(w, "name", vipa__arena_get(&ctx->text, a->name));
    m_word(w, "level", VIPA_VOCAB_AREA_LEVEL, a->level);
    if (a->industry != VIPA_NO_TEXT)
        m_text(w, "industry", vipa__arena_get(&ctx->text, a->industry));
}

SORTED_LIST_WRITER(areas, area)

static void entity_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->entities.items[i].id;
}

/* Only the criteria met: the loader reads an absent criterion as not met. */
static void write_selection(writer *w, unsigned bits)
{
    if (bits == 0)
        return;
    w_key(w, "selection");
    w_open(w, '{');
    for (int bit = 0; bit < vipa__vocab_end(VIPA_VOCAB_SELECTION); bit++)
        if (bits & (1u << bit))
            m_bool(w, vipa__word(VIPA_VOCAB_SELECTION, bit), 1);
    w_close(w, '}');
}

static void entity_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const entity_rec *e = &ctx->entities.items[i];
    (void)state;
    m_id(w, "id", e->id);
    m_text(w, "name", vipa__arena_get(&ctx->text, e->name));
    m_word(w, "kind", VIPA_VOCAB_ENTITY_KIND, e->kind);
    if (e->uscc != VIPA_NO_TEXT)
        m_text(w, "uscc", vipa__arena_get(&ctx->text, e->uscc));
    m_code(w, "core_village", e->core_village);
    m_text(w, "industry", vipa__arena_get(&ctx->text, e->industry));
    write_selection(w, e->selection);
}

SORTED_LIST_WRITER(entities, entity)

static void household_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = vipa__household_id(ctx, i);
}

static void assured_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const assured_rec *a = &ctx->assured.items[i];
    key[0] = vipa__household_id(ctx, vipa__key_index(a->key));
    key[1] = (uint64_t)vipa__key_year(a->key);
}

/* The guarantees in (household id, year) order, walked alongside the households (also
 * in id order), so each household finds its own at the cursor. */
typedef struct assured_walk {
    uint32_t *order;
    size_t count, cursor;
} assured_walk;

static void write_assured(writer *w, const vipa_ctx *ctx, uint32_t household, assured_walk *aw)
{
    size_t end = aw->cursor;
    while (end < aw->count && vipa__key_index(ctx->assured.items[aw->order[end]].key) == household)
        end++;
    if (end == aw->cursor)
        return;
    w_key(w, "assured");
    w_open(w, '{');
    for (; aw->cursor < end; aw->cursor++) {
        const assured_rec *a = &ctx->assured.items[aw->order[aw->cursor]];
        char year[16];
        snprintf(year, sizeof year, "%d", vipa__key_year(a->key));
        m_flags(w, year, a->items, VIPA_VOCAB_ASSURED);
    }
    w_close(w, '}');
}

static void household_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const household_rec *h = &ctx->households.items[i];
    m_id(w, "id", h->id);
    m_code(w, "village", ctx->areas.items[h->village].code);
    m_int(w, "members", h->members);
    m_int(w, "labour", h->labour);
    m_word(w, "cause", VIPA_VOCAB_CAUSE, h->cause);
    m_bool(w, "willing", h->willing);
    m_year_if(w, "exited", h->exited_year);
    write_assured(w, ctx, i, state);
}

static void write_households(writer *w, const vipa_ctx *ctx)
{
    assured_walk aw = {NULL, ctx->assured.count, 0};
    if (order_rows(ctx, aw.count, assured_key, &aw.order) != VIPA_OK)
        w_fail(w, VIPA_E_NOMEM, "out of memory");
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
static void write_agreement_households(writer *w, const vipa_ctx *ctx, const agreement_rec *a,
                                       uint64_t *ids)
{
    for (uint32_t k = 0; k < a->household_len; k++)
        ids[k] = vipa__household_id(ctx, ctx->agreement_households[a->first_household + k]);
    if (a->household_len > 1)
        qsort(ids, a->household_len, sizeof *ids, by_u64);
    w_key(w, "households");
    w_open(w, '[');
    for (uint32_t k = 0; k < a->household_len; k++) {
        w_item(w);
        w_uint(w, ids[k]);
    }
    w_close(w, ']');
}

static void write_signer(writer *w, const agreement_rec *a)
{
    if (a->signer_level == VIPA_SIGNER_UNRECORDED)
        return;
    w_key(w, "signer");
    w_open(w, '{');
    m_word(w, "level", VIPA_VOCAB_SIGNER_LEVEL, a->signer_level);
    if (a->signer_area)
        m_code(w, "area", a->signer_area);
    w_close(w, '}');
}

/* The support measures' texts, as given. */
static void write_support(writer *w, const vipa_ctx *ctx, const agreement_rec *a)
{
    w_key(w, "support");
    w_open(w, '[');
    for (uint32_t k = 0; k < a->support_len; k++) {
        w_item(w);
        w_text(w, vipa__arena_get(&ctx->text, ctx->agreement_support.items[a->first_support + k]));
    }
    w_close(w, ']');
}

static void agreement_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const agreement_rec *a = &ctx->agreements.items[i];
    m_id(w, "id", a->id);
    m_id(w, "entity", vipa__entity_id(ctx, a->entity));
    write_agreement_households(w, ctx, a, state);
    if (a->household_count >= 0)
        m_int(w, "household_count", a->household_count);
    m_placeholders(w, "projects", "project", a->project_count);
    if (a->support_len)
        write_support(w, ctx, a);
    else if (a->support_count) /* counted, texts unknown: no placeholder may pose as one */
        m_int(w, "support_count", a->support_count);
    if (a->dividend_bp)
        m_int(w, "dividend_bp", a->dividend_bp);
    m_date_if(w, "start", a->start);
    m_date_if(w, "end", a->end);
    m_year_if(w, "exit_deadline", a->exit_deadline);
    m_date_if(w, "signed", a->signed_on);
    write_signer(w, a);
}

static void write_agreements(writer *w, const vipa_ctx *ctx)
{
    size_t longest = 0;
    for (size_t i = 0; i < ctx->agreements.count; i++)
        if (ctx->agreements.items[i].household_len > longest)
            longest = ctx->agreements.items[i].household_len;
    uint64_t *ids = vipa__calloc(&ctx->alloc, longest + 1, sizeof *ids);
    if (!ids)
        w_fail(w, VIPA_E_NOMEM, "out of memory");
    write_list(w, ctx, "agreements", ctx->agreements.count, agreement_key, agreement_row, ids);
    vipa__free(&ctx->alloc, ids);
}

static void plan_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const plan_rec *p = &ctx->plans.items[i];
    key[0] = vipa__household_id(ctx, p->household);
    key[1] = vipa__agreement_id(ctx, p->agreement);
}

/* Annual tasks as stored (sorted by year), each with its income target if it states one. */
static void write_tasks(writer *w, const vipa_ctx *ctx, const plan_rec *p)
{
    if (p->task_len == 0)
        return;
    w_key(w, "tasks");
    w_open(w, '[');
    for (uint32_t k = 0; k < p->task_len; k++) {
        const plan_task_rec *t = &ctx->plan_tasks[p->first_task + k];
        w_item(w);
        w_open(w, '{');
        m_int(w, "year", t->year);
        if (t->has_income)
            m_fen(w, "income", t->income);
        w_close(w, '}');
    }
    w_close(w, ']');
}

/* Per-person tasks are kept as a count: member 1, "task 1", "task 2", ... */
static void write_persons(writer *w, uint32_t count)
{
    if (count == 0)
        return;
    w_key(w, "persons");
    w_open(w, '[');
    for (uint32_t k = 1; k <= count && w->rc == VIPA_OK; k++) {
        char task[32];
        snprintf(task, sizeof task, "task %lu", (unsigned long)k);
        w_item(w);
        w_open(w, '{');
        m_int(w, "member", 1);
        m_text(w, "task", task);
        w_close(w, '}');
    }
    w_close(w, ']');
}

static void plan_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const plan_rec *p = &ctx->plans.items[i];
    (void)state;
    m_id(w, "household", vipa__household_id(ctx, p->household));
    m_id(w, "agreement", vipa__agreement_id(ctx, p->agreement));
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
static void write_linkage_amounts(writer *w, const linkage_rec *l)
{
    if (l->kind == VIPA_LINKAGE_LAND_RENT) {
        m_fen(w, "area_mu", (vipa_fen)l->units); /* 0.01 mu: the same two-decimal form */
        m_fen(w, "rent_per_mu", l->amount);
    } else if (l->kind == VIPA_LINKAGE_WAGE && l->units > 0) {
        m_int(w, "days", l->units);
        m_fen(w, "daily_wage", l->amount);
    } else {
        m_fen(w, "annual", l->amount);
    }
}

static void linkage_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const linkage_rec *l = &ctx->linkages.items[i];
    const agreement_rec *a = &ctx->agreements.items[l->agreement];
    (void)state;
    m_id(w, "id", l->id);
    m_word(w, "kind", VIPA_VOCAB_LINKAGE_KIND, l->kind);
    m_id(w, "household", vipa__household_id(ctx, l->household));
    m_id(w, "entity", vipa__entity_id(ctx, a->entity)); /* a linkage's entity is its agreement's */
    m_id(w, "agreement", a->id);
    m_int(w, "from", l->from_year);
    m_int(w, "to", l->to_year);
    write_linkage_amounts(w, l);
}

SORTED_LIST_WRITER(linkages, linkage)

static void injection_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    key[0] = ctx->injections.items[i].id;
}

/* Its own households in the order given (weights pair with them by position, and the
 * stamp hashes that order); none when it uses the agreement's. */
static void write_injection_households(writer *w, const vipa_ctx *ctx, const injection_rec *in)
{
    if (in->household_len == 0)
        return;
    w_key(w, "households");
    w_open(w, '[');
    for (uint32_t k = 0; k < in->household_len; k++) {
        w_item(w);
        uint32_t h = ctx->injection_households.items[in->first_household + k];
        w_uint(w, vipa__household_id(ctx, h));
    }
    w_close(w, ']');
    if (in->allocation != VIPA_ALLOCATION_WEIGHTS)
        return;
    w_key(w, "weights");
    w_open(w, '[');
    for (uint32_t k = 0; k < in->household_len; k++) {
        w_item(w);
        w_uint(w, ctx->injection_weights.items[in->first_weight + k]);
    }
    w_close(w, ']');
}

static void injection_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const injection_rec *in = &ctx->injections.items[i];
    (void)state;
    m_id(w, "id", in->id);
    m_id(w, "entity", vipa__entity_id(ctx, in->entity));
    m_id(w, "agreement", vipa__agreement_id(ctx, in->agreement));
    m_date(w, "date", in->date);
    m_fen(w, "amount", in->amount);
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

static void contribution_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const contribution_rec *c = &ctx->contributions.items[i];
    (void)state;
    m_id(w, "household", vipa__household_id(ctx, c->household));
    m_id(w, "entity", vipa__entity_id(ctx, c->entity));
    if (c->agreement != VIPA_NO_INDEX)
        m_id(w, "agreement", vipa__agreement_id(ctx, c->agreement));
    m_word(w, "kind", VIPA_VOCAB_CONTRIBUTION_KIND, c->kind);
    m_fen(w, "value", c->value);
    m_date(w, "date", c->date);
}

SORTED_LIST_WRITER(contributions, contribution)

/* {"household": id} | {"collective": "code"} | {"entity": id}. */
static void write_holder(writer *w, const char *key, unsigned kind, uint64_t id)
{
    w_key(w, key);
    w_open(w, '{');
    const char *word = word_of(w, VIPA_VOCAB_HOLDER_KIND, (int)kind);
    if (word && kind == VIPA_HOLDER_COLLECTIVE)
        m_code(w, word, id);
    else if (word)
        m_id(w, word, id);
    w_close(w, '}');
}

static void transfer_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const transfer_rec *t = &ctx->transfers.items[i];
    (void)state;
    m_id(w, "entity", vipa__entity_id(ctx, t->entity));
    write_holder(w, "from", t->from_kind, t->from_id);
    write_holder(w, "to", t->to_kind, t->to_id);
    m_fen(w, "amount", t->amount);
    m_date(w, "date", t->date);
}

/* Transfers keep the order they were added in. Each was checked against the transfers
 * already there (the giver never short on any day), so that order is sure to load
 * again; a sorted one is not: within a day, a giver may need a receipt that sorts after
 * its gift. The stamp hashes transfers in canonical order, so the round trip keeps it. */
static void write_transfers(writer *w, const vipa_ctx *ctx)
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

static void dividend_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const dividend_rec *d = &ctx->dividends.items[i];
    (void)state;
    m_id(w, "entity", vipa__entity_id(ctx, vipa__key_index(d->key)));
    m_int(w, "year", vipa__key_year(d->key));
    if (d->rate_bp >= 0)
        m_int(w, "rate_bp", d->rate_bp);
    else
        m_fen(w, "pool", d->pool);
}

SORTED_LIST_WRITER(dividends, dividend)

/* Linkage payments first (by linkage), then dividend payments (by entity, household). */
static void payment_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const payment_rec *p = &ctx->payments.items[i];
    key[0] = p->is_dividend;
    key[1] = p->is_dividend ? vipa__entity_id(ctx, p->target) : ctx->linkages.items[p->target].id;
    key[2] = vipa__household_id(ctx, p->household);
    key[3] = p->year;
    key[4] = (uint32_t)p->date;
    key[5] = signed_key(p->amount);
}

static void payment_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const payment_rec *p = &ctx->payments.items[i];
    (void)state;
    if (p->is_dividend) {
        w_key(w, "dividend");
        w_open(w, '{');
        m_id(w, "entity", vipa__entity_id(ctx, p->target));
        m_id(w, "household", vipa__household_id(ctx, p->household));
        w_close(w, '}');
    } else {
        m_id(w, "linkage", ctx->linkages.items[p->target].id);
    }
    m_int(w, "year", p->year);
    m_fen(w, "amount", p->amount);
    m_date(w, "date", p->date);
}

SORTED_LIST_WRITER(payments, payment)

static void income_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const income_rec *in = &ctx->incomes.items[i];
    key[0] = vipa__household_id(ctx, vipa__key_index(in->key));
    key[1] = (uint64_t)vipa__key_year(in->key);
}

static void income_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const income_rec *in = &ctx->incomes.items[i];
    (void)state;
    m_id(w, "household", vipa__household_id(ctx, vipa__key_index(in->key)));
    m_int(w, "year", vipa__key_year(in->key));
    m_fen(w, "other", in->other);
}

SORTED_LIST_WRITER(incomes, income)

static void evaluation_key(const vipa_ctx *ctx, uint32_t i, uint64_t key[KEYS])
{
    const evaluation_rec *e = &ctx->evaluations.items[i];
    key[0] = (uint32_t)e->year;
    key[1] = (uint32_t)e->date;
    key[2] = e->recheck;
}

static void evaluation_row(writer *w, const vipa_ctx *ctx, uint32_t i, void *state)
{
    const evaluation_rec *e = &ctx->evaluations.items[i];
    (void)state;
    m_int(w, "year", e->year);
    m_date(w, "date", e->date);
    m_bool(w, "recheck", e->recheck);
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

static void write_scenario(writer *w, const vipa_ctx *ctx)
{
    w_open(w, '{');
    m_int(w, "vipa", 1);
    m_date_if(w, "as_of", ctx->as_of);
    write_profile(w, ctx);
    VIPA_RECORD_KINDS(WRITE_KIND)
    w_close(w, '}');
    w_raw(w, "\n", 1);
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
    writer w = {.alloc = &ctx->alloc, .pretty = (flags & VIPA_REPORT_PRETTY) != 0, .first = {1}};
    write_scenario(&w, ctx);
    if (w.rc != VIPA_OK) {
        vipa_free(w.data);
        return vipa__fail(ctx, w.rc, "export: %s", w.why);
    }
    w.data[w.length] = '\0'; /* w_reserve always keeps room for it */
    *json = w.data;
    if (length)
        *length = w.length;
    return vipa__succeed(ctx);
}
