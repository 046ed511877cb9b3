/* The registry module's core: the context (new, free, counts, as_of), the profile and its
 * parameters, the poverty line (see include/vipa/registry.h), and what every module that
 * adds records shares (registry_internal.h): the context's error message, table room,
 * all-or-nothing batches, record names and the checks of one field. Adding areas,
 * entities, households and guarantees is registry_records.c. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry_internal.h"
#include "vipa.h" /* every kind's public struct, for vipa__record_kinds */
#include "vocab_internal.h"

/* ---- errors ----------------------------------------------------------------------- */

int vipa__fail(vipa_ctx *ctx, int code, const char *format, ...)
{
    if (ctx->naming.pending) { /* the message may name the record being added */
        vipa__record_name_refs(ctx->naming.text, sizeof ctx->naming.text, ctx->naming.kind,
                               ctx->naming.index, ctx->naming.first, ctx->naming.first_id,
                               ctx->naming.second, ctx->naming.second_id);
        ctx->naming.pending = 0;
    }
    va_list args;
    va_start(args, format);
    int used = vsnprintf(ctx->errmsg, sizeof ctx->errmsg, format, args);
    va_end(args);
    /* A message echoing a long text is cut at a whole character: it stays valid UTF-8 for
     * the report, the Python bindings and any JSON it is put into. */
    if (used >= (int)sizeof ctx->errmsg)
        ctx->errmsg[vipa__utf8_whole(ctx->errmsg, sizeof ctx->errmsg - 1)] = '\0';
    ctx->errcode = code;
    return code;
}

int vipa__succeed(vipa_ctx *ctx)
{
    ctx->errmsg[0] = '\0';
    ctx->errcode = VIPA_OK;
    return VIPA_OK;
}

const char *vipa_ctx_errmsg(const vipa_ctx *ctx)
{
    return ctx ? ctx->errmsg : "no context (NULL)";
}

int vipa_ctx_errcode(const vipa_ctx *ctx)
{
    return ctx ? ctx->errcode : VIPA_E_INVALID;
}

int vipa__check_version(vipa_ctx *ctx, const char *kind, size_t index, unsigned int version,
                        unsigned int known)
{
    if (version == 0 || version > known)
        return vipa__fail(ctx, VIPA_E_VERSION,
                          "%s[%zu]: struct version %u is not supported; expected 1..%u "
                          "(initialise with the _INIT macro)",
                          kind, index, version, known);
    return VIPA_OK;
}

/* ---- tables ----------------------------------------------------------------------- */

int vipa__table_reserve(const vipa__allocator *a, void *items_field, size_t *capacity,
                        vipa__idmap *map, size_t count, size_t more, size_t item_size,
                        unsigned int key_shift)
{
    if (more > VIPA_RECORDS_MAX || count + more > VIPA_RECORDS_MAX)
        return VIPA_E_LIMIT;
    void *items;
    memcpy(&items, items_field, sizeof items);
    int rc = vipa__reserve(a, &items, capacity, count + more, item_size);
    memcpy(items_field, &items, sizeof items);
    if (rc != VIPA_OK)
        return rc;
    return vipa__idmap_reserve(a, map, count + more, (vipa__keyed){items, (uint32_t)item_size, key_shift});
}

int vipa__list_reserve(const vipa__allocator *a, void *items_field, size_t *capacity, size_t count,
                       size_t more, size_t item_size, size_t limit)
{
    if (more > limit || count + more > limit)
        return VIPA_E_LIMIT;
    void *items;
    memcpy(&items, items_field, sizeof items);
    int rc = vipa__reserve(a, &items, capacity, count + more, item_size);
    memcpy(items_field, &items, sizeof items);
    return rc;
}

int vipa__reserve_failed(vipa_ctx *ctx, int rc, const char *kind, size_t n)
{
    if (rc == VIPA_E_LIMIT)
        return vipa__fail(ctx, rc, "%s: adding %zu records would exceed the limit of %u per kind",
                          kind, n, VIPA_RECORDS_MAX);
    return vipa__fail(ctx, rc, "%s: out of memory reserving room for %zu records", kind, n);
}

uint32_t vipa__area_find(const vipa_ctx *ctx, vipa_area_code code)
{
    return VIPA_TABLE_FIND(ctx->areas, code);
}

int vipa__need(vipa_ctx *ctx, uint32_t found, const char *where, const char *field, vipa_id id)
{
    if (found == VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: field %s: %s %llu is not in the context",
                          where, field, field, (unsigned long long)id);
    return VIPA_OK;
}

int vipa__check_text(vipa_ctx *ctx, const char *where, const char *field, const char *text)
{
    if (!text || !*text)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s is missing or empty; expected text",
                          where, field);
    if (!vipa__utf8_valid(text))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s is not valid UTF-8", where, field);
    return VIPA_OK;
}

/* Appends text at buf[*used], as much of it as fits before the last byte. */
static void append_text(char *buf, size_t size, size_t *used, const char *text)
{
    while (*text && *used + 1 < size)
        buf[(*used)++] = *text++;
}

static void append_number(char *buf, size_t size, size_t *used, uint64_t n)
{
    char digits[24];
    size_t k = sizeof digits;
    digits[--k] = '\0';
    do
        digits[--k] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    append_text(buf, size, used, digits + k);
}

/* Written out by hand rather than with snprintf(): every record of a batch is named
 * before it is checked (for a message it will almost never need), and snprintf() was a
 * tenth of the time of loading a province. Same text, cut at the buffer's end. */
const char *vipa__record_name(char *buf, size_t size, const char *kind, size_t index, uint64_t id)
{
    return vipa__record_name_refs(buf, size, kind, index,
                                  strcmp(kind, "areas") == 0 ? "code" : "id", id, NULL, 0);
}

const char *vipa__record_name_later(vipa_ctx *ctx, const char *kind, size_t index,
                                    const char *first, uint64_t first_id, const char *second,
                                    uint64_t second_id)
{
    ctx->naming.kind = kind;
    ctx->naming.index = index;
    ctx->naming.first = first;
    ctx->naming.first_id = first_id;
    ctx->naming.second = second;
    ctx->naming.second_id = second_id;
    ctx->naming.pending = 1;
    return ctx->naming.text;
}

const char *vipa__record_name_refs(char *buf, size_t size, const char *kind, size_t index,
                                   const char *first, uint64_t first_id, const char *second,
                                   uint64_t second_id)
{
    size_t used = 0;
    if (size == 0)
        return buf;
    append_text(buf, size, &used, kind);
    append_text(buf, size, &used, "[");
    append_number(buf, size, &used, index);
    append_text(buf, size, &used, "]");
    if (first) {
        append_text(buf, size, &used, " (");
        append_text(buf, size, &used, first);
        append_text(buf, size, &used, " ");
        append_number(buf, size, &used, first_id);
        if (second) {
            append_text(buf, size, &used, ", ");
            append_text(buf, size, &used, second);
            append_text(buf, size, &used, " ");
            append_number(buf, size, &used, second_id);
        }
        append_text(buf, size, &used, ")");
    }
    buf[used] = '\0';
    return buf;
}

int vipa__check_id(vipa_ctx *ctx, const char *where, vipa_id id)
{
    if (id == 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field id is 0; expected a positive id", where);
    return VIPA_OK;
}

int vipa__check_year(vipa_ctx *ctx, const char *where, const char *field, int year)
{
    if (!vipa__year_is_valid(year))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s is %d; expected a year "
                          VIPA_YEAR_RANGE, where, field, year);
    return VIPA_OK;
}

int vipa__check_year_or_zero(vipa_ctx *ctx, const char *where, const char *field, int year)
{
    if (year != 0 && !vipa__year_is_valid(year))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s is %d; expected a year "
                          VIPA_YEAR_RANGE " or 0 for none", where, field, year);
    return VIPA_OK;
}

int vipa__check_date(vipa_ctx *ctx, const char *where, const char *field, vipa_date date)
{
    if (!vipa_date_is_valid(date))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s is %s; expected a real day "
                          "(years " VIPA_YEAR_RANGE ")", where, field, vipa__day(date).s);
    return VIPA_OK;
}

int vipa__check_date_or_zero(vipa_ctx *ctx, const char *where, const char *field, vipa_date date)
{
    if (date != 0 && !vipa_date_is_valid(date))
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s is %s; expected a real day "
                          "(years " VIPA_YEAR_RANGE "), or 0 for none", where, field,
                          vipa__day(date).s);
    return VIPA_OK;
}

/* ---- all-or-nothing batches --------------------------------------------------------- */

vipa__mark vipa__ctx_mark(const vipa_ctx *ctx)
{
    vipa__mark m;
#define MARK(plural, ...) m.plural = ctx->plural.count;
    VIPA_RECORD_KINDS(MARK)
#undef MARK
    m.agreement_households = ctx->agreement_household_count;
    m.agreement_support = ctx->agreement_support.count;
    m.plan_tasks = ctx->plan_task_count;
    m.injection_households = ctx->injection_households.count;
    m.injection_weights = ctx->injection_weights.count;
    m.payment_dividends = ctx->payment_dividends.count;
    m.text = ctx->text.length;
    return m;
}

void vipa__ctx_rollback(vipa_ctx *ctx, const vipa__mark *m)
{
    /* VIPA_TABLE_TRUNCATE(ctx->areas, m->areas, code); ... VIPA_LIST_TRUNCATE(...); */
#define TRUNCATE(plural, singular, SINGULAR, storage, key, ...) \
    VIPA_##storage##_TRUNCATE(ctx->plural, m->plural, key);
    VIPA_RECORD_KINDS(TRUNCATE)
#undef TRUNCATE
    ctx->agreement_household_count = m->agreement_households;
    ctx->agreement_support.count = m->agreement_support;
    ctx->plan_task_count = m->plan_tasks;
    ctx->injection_households.count = m->injection_households;
    ctx->injection_weights.count = m->injection_weights;
    ctx->payment_dividends.count = m->payment_dividends;
    vipa__arena_reset(&ctx->text, m->text);
}

int vipa__profile_save(const vipa_ctx *ctx, vipa__profile *copy)
{
    *copy = ctx->profile;
    copy->lines = NULL;
    copy->line_capacity = 0;
    void *lines = NULL;
    if (vipa__reserve(&ctx->alloc, &lines, &copy->line_capacity, ctx->profile.line_count,
                      sizeof(vipa__line)) != VIPA_OK)
        return VIPA_E_NOMEM;
    copy->lines = lines;
    if (ctx->profile.line_count)
        memcpy(copy->lines, ctx->profile.lines, ctx->profile.line_count * sizeof(vipa__line));
    return VIPA_OK;
}

void vipa__profile_restore(vipa_ctx *ctx, vipa__profile *saved)
{
    vipa__free(&ctx->alloc, ctx->profile.lines);
    ctx->profile = *saved;
    saved->lines = NULL;
}

/* Results, ledgers and forks read the context's arrays, which an add may move: a change
 * under them would leave them reading freed memory (as libuv refuses a busy handle,
 * UV_EBUSY). */
int vipa__profile_mutable(vipa_ctx *ctx, const char *what)
{
    size_t alive = __atomic_load_n(&ctx->borrowers, __ATOMIC_ACQUIRE);
    if (alive == 0)
        return VIPA_OK;
    return vipa__fail(ctx, VIPA_E_STATE, "%s: %zu result%s, ledger%s or fork%s of this context "
                      "%s alive and read%s it; free %s (vipa_result_free, vipa_ledger_free, "
                      "vipa_ctx_free) before changing the context", what, alive,
                      alive == 1 ? "" : "s", alive == 1 ? "" : "s", alive == 1 ? "" : "s",
                      alive == 1 ? "is" : "are", alive == 1 ? "s" : "", alive == 1 ? "it" : "them");
}

/* A fork reads its parent's records in place: they are the parent's to change. */
int vipa__ctx_mutable(vipa_ctx *ctx, const char *what)
{
    if (ctx->parent)
        return vipa__fail(ctx, VIPA_E_STATE, "%s: this context is a fork (vipa_ctx_fork) and "
                          "reads its parent's records; only its parameters can change: "
                          "change the parent once the fork is freed", what);
    return vipa__profile_mutable(ctx, what);
}

void vipa__ctx_borrow(vipa_ctx *ctx, int delta)
{
    if (delta > 0)
        __atomic_add_fetch(&ctx->borrowers, 1, __ATOMIC_ACQ_REL);
    else
        __atomic_sub_fetch(&ctx->borrowers, 1, __ATOMIC_ACQ_REL);
}

/* ---- the kinds ------------------------------------------------------------------------ */

/* Version 1 ended at signer_area, a 64-bit field, so its size is where support starts. */
const size_t vipa__agreement_sizes[VIPA_AGREEMENT_VERSION] = {offsetof(vipa_agreement, support),
                                                             sizeof(vipa_agreement)};
_Static_assert(offsetof(vipa_agreement, support) % _Alignof(vipa_area_code) == 0,
               "the version-1 agreement ends where version 2's fields begin");

/* Each kind's _INIT value, which a batch copies into its buffer of VIPA_BATCH_ITEM_MAX
 * bytes: static const vipa_area area_init = VIPA_AREA_INIT; ... */
#define INIT_VALUE(plural, singular, SINGULAR, ...)                         \
    static const vipa_##singular singular##_init = VIPA_##SINGULAR##_INIT; \
    _Static_assert(sizeof(vipa_##singular) <= VIPA_BATCH_ITEM_MAX, #singular " fits");
VIPA_RECORD_KINDS(INIT_VALUE)
#undef INIT_VALUE

/* Each kind's reserve: room for n more records in its table (array and map) or list. */
#define RESERVE(plural, singular, SINGULAR, storage, ...)     \
    static int reserve_##plural(vipa_ctx *ctx, size_t n)      \
    {                                                         \
        return VIPA_##storage##_RESERVE(ctx, ctx->plural, n); \
    }
VIPA_RECORD_KINDS(RESERVE)
#undef RESERVE

/* {"areas", sizeof(vipa_area), VIPA_AREA_VERSION, NULL, &area_init, reserve_areas}, ... */
#define KIND(plural, singular, SINGULAR, storage, key, sizes, ...)                       \
    {#plural, sizeof(vipa_##singular), VIPA_##SINGULAR##_VERSION, sizes, &singular##_init, \
     reserve_##plural},
const vipa__record_kind vipa__record_kinds[VIPA_KIND_COUNT] = {VIPA_RECORD_KINDS(KIND)};
#undef KIND

/* The stride of the caller's array: the size of the struct of its version. */
static size_t batch_stride(const vipa__record_kind *k, unsigned int version)
{
    return k->sizes ? k->sizes[version - 1] : k->item_size;
}

/* Record i of a batch as the current struct: the caller's own when it is current, else
 * a copy of its fields over the _INIT value (the newer fields keep their defaults). */
static const void *batch_item(const vipa__record_kind *k, const void *items, size_t i,
                              unsigned int version, void *upgraded)
{
    size_t stride = batch_stride(k, version);
    const void *item = (const char *)items + i * stride;
    if (version == k->known_version)
        return item;
    memcpy(upgraded, k->init, k->item_size);
    memcpy(upgraded, item, stride);
    return upgraded;
}

/* How many records ahead a batch asks for the memory of each stage of a record's
 * lookups (VIPA_AHEAD_SLOTS ...): enough for a stage's reads to arrive (~100 ns each)
 * while the records between are added, the stages far enough apart that each finds the
 * one before it arrived. */
enum { AHEAD_MAX = 15 };
static const size_t ahead_by[VIPA_AHEAD_STAGES] = {AHEAD_MAX, 10, 5};

int vipa__add_batch(vipa_ctx *ctx, int kind, vipa__add_one add_one, const void *items, size_t n)
{
    return vipa__add_batch_ahead(ctx, kind, add_one, NULL, items, n);
}

int vipa__add_batch_ahead(vipa_ctx *ctx, int kind, vipa__add_one add_one, vipa__add_ahead ahead,
                          const void *items, size_t n)
{
    const vipa__record_kind *k = &vipa__record_kinds[kind];
    if (!ctx)
        return VIPA_E_INVALID;
    if (n == 0)
        return vipa__succeed(ctx);
    if (!items)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: the array is NULL but its length is %zu",
                          k->name, n);
    int rc = vipa__ctx_mutable(ctx, k->name);
    if (rc != VIPA_OK)
        return rc;
    rc = k->reserve(ctx, n);
    if (rc != VIPA_OK)
        return vipa__reserve_failed(ctx, rc, k->name, n);
    unsigned int version; /* of the caller's struct type, which sets the stride */
    memcpy(&version, items, sizeof version);
    if ((rc = vipa__check_version(ctx, k->name, 0, version, k->known_version)) != VIPA_OK)
        return rc;
    /* One struct type per array: every record's version first, so that a mixed array is
     * told as such whatever else is wrong with its records. */
    for (size_t i = 1; i < n; i++) {
        unsigned int own;
        memcpy(&own, (const char *)items + i * batch_stride(k, version), sizeof own);
        if ((rc = vipa__check_version(ctx, k->name, i, own, k->known_version)) != VIPA_OK)
            return rc;
        if (own != version)
            return vipa__fail(ctx, VIPA_E_VERSION, "%s[%zu]: struct version %u differs from "
                              "the first record's %u; expected one version in a batch (an "
                              "array of one struct type)", k->name, i, own, version);
    }
    vipa__mark mark = vipa__ctx_mark(ctx);
    _Alignas(16) unsigned char upgraded[VIPA_BATCH_ITEM_MAX];
    if (version != k->known_version)
        ahead = NULL; /* it reads the current struct's fields */
    size_t stride = batch_stride(k, version);
    /* Step t adds record t - AHEAD_MAX and looks ahead at record t - AHEAD_MAX + ahead_by[s]
     * for each stage s, from the first steps (records to come only) to the last. */
    for (size_t t = ahead ? 0 : AHEAD_MAX; t < n + AHEAD_MAX; t++) {
        for (int stage = 0; ahead && stage < VIPA_AHEAD_STAGES; stage++) {
            size_t j = t + ahead_by[stage];
            if (j >= AHEAD_MAX && j - AHEAD_MAX < n)
                ahead(ctx, (const char *)items + (j - AHEAD_MAX) * stride, stage);
        }
        if (t < AHEAD_MAX)
            continue;
        size_t i = t - AHEAD_MAX;
        const void *item = batch_item(k, items, i, version, upgraded);
        rc = add_one(ctx, item, i);
        if (rc != VIPA_OK) {
            vipa__ctx_rollback(ctx, &mark);
            return rc;
        }
    }
    return vipa__succeed(ctx);
}

/* ---- context ---------------------------------------------------------------------- */

/* Reference poverty lines of docs/policy.md ("The exit standard"), per person per year in current prices; each to
 * be confirmed by the platform that uses them (national standard, not in the plan). */
static const vipa__line shangluo_2016_lines[] = {
    {2015, 285500}, {2016, 295200}, {2017, 295200},
    {2018, 299500}, {2019, 321800}, {2020, 400000},
};

static int load_profile(vipa_ctx *ctx, const char *name)
{
    if (name && strcmp(name, "shangluo-2016") != 0)
        return vipa__fail(ctx, VIPA_E_NOT_FOUND,
                          "profile \"%s\" is not built in; expected \"shangluo-2016\"", name);
    vipa__profile *p = &ctx->profile;
    p->name = "shangluo-2016";
    p->poor_share_bp = 7000; /* 三(二): 70 % of fiscal equity as the poor households' shares */
    p->allocation = VIPA_ALLOCATION_PER_HOUSEHOLD;
    p->remainder_holder = VIPA__REMAINDER_VILLAGE_COLLECTIVE;
    p->require_guarantees = 1;
    size_t n = sizeof shangluo_2016_lines / sizeof shangluo_2016_lines[0];
    void *lines = NULL;
    if (vipa__reserve(&ctx->alloc, &lines, &p->line_capacity, n, sizeof(vipa__line)) != VIPA_OK)
        return VIPA_E_NOMEM;
    p->lines = lines;
    memcpy(p->lines, shangluo_2016_lines, sizeof shangluo_2016_lines);
    p->line_count = n;
    return VIPA_OK;
}

static int allocator_from_options(vipa__allocator *a, const vipa_ctx_options *options)
{
    *a = vipa__alloc_default();
    if (!options)
        return VIPA_OK;
    if (options->version == 0 || options->version > VIPA_CTX_OPTIONS_VERSION)
        return VIPA_E_VERSION;
    int set = !!options->malloc_fn + !!options->realloc_fn + !!options->free_fn;
    if (set == 0)
        return VIPA_OK;
    if (set != 3)
        return VIPA_E_INVALID;
    a->malloc_fn = options->malloc_fn;
    a->realloc_fn = options->realloc_fn;
    a->free_fn = options->free_fn;
    a->opaque = options->allocator_opaque;
    return VIPA_OK;
}

int vipa_ctx_new(vipa_ctx **out, const vipa_ctx_options *options)
{
    if (!out)
        return VIPA_E_INVALID;
    *out = NULL;
    vipa__allocator alloc;
    int rc = allocator_from_options(&alloc, options);
    if (rc != VIPA_OK)
        return rc;
    vipa_ctx *ctx = vipa__calloc(&alloc, 1, sizeof *ctx);
    if (!ctx)
        return VIPA_E_NOMEM;
    ctx->alloc = alloc;
    rc = load_profile(ctx, options ? options->profile : NULL);
    if (rc != VIPA_OK) {
        vipa_ctx_free(ctx);
        return rc;
    }
    vipa__succeed(ctx);
    *out = ctx;
    return VIPA_OK;
}

int vipa_ctx_fork(vipa_ctx **out, vipa_ctx *parent)
{
    if (out)
        *out = NULL;
    if (!parent)
        return VIPA_E_INVALID;
    if (!out)
        return vipa__fail(parent, VIPA_E_INVALID, "fork: the output pointer is NULL");
    vipa_ctx *fork = vipa__calloc(&parent->alloc, 1, sizeof *fork);
    if (!fork)
        return vipa__fail(parent, VIPA_E_NOMEM, "fork: out of memory");
    /* Every record array, map and text is the parent's, read in place; the profile is
     * the fork's own copy. */
    *fork = *parent;
    if (vipa__profile_save(parent, &fork->profile) != VIPA_OK) {
        vipa__free(&parent->alloc, fork);
        return vipa__fail(parent, VIPA_E_NOMEM, "fork: out of memory copying the profile");
    }
    fork->borrowers = 0;
    fork->parent = parent;
    vipa__ctx_borrow(parent, +1); /* until vipa_ctx_free(fork): the records may not change */
    vipa__succeed(fork);
    *out = fork;
    return vipa__succeed(parent);
}

int vipa_ctx_is_fork(const vipa_ctx *ctx)
{
    return ctx && ctx->parent ? 1 : 0;
}

void vipa_ctx_free(vipa_ctx *ctx)
{
    if (!ctx)
        return;
    vipa__allocator alloc = ctx->alloc;
    vipa__free(&alloc, ctx->profile.lines);
    if (ctx->parent) { /* the records are the parent's */
        vipa__ctx_borrow(ctx->parent, -1);
        vipa__free(&alloc, ctx);
        return;
    }
    vipa__arena_free(&alloc, &ctx->text);
#define FREE(plural, singular, SINGULAR, storage, ...) VIPA_##storage##_FREE(ctx, ctx->plural);
    VIPA_RECORD_KINDS(FREE) /* VIPA_TABLE_FREE(ctx, ctx->areas); ... */
#undef FREE
    vipa__free(&alloc, ctx->agreement_households);
    vipa__free(&alloc, ctx->agreement_support.items);
    vipa__free(&alloc, ctx->plan_tasks);
    vipa__free(&alloc, ctx->injection_households.items);
    vipa__free(&alloc, ctx->injection_weights.items);
    vipa__free(&alloc, ctx->payment_dividends.items);
    vipa__free(&alloc, ctx);
}

size_t vipa_ctx_area_count(const vipa_ctx *ctx)
{
    return ctx ? ctx->areas.count : 0;
}

size_t vipa_ctx_entity_count(const vipa_ctx *ctx)
{
    return ctx ? ctx->entities.count : 0;
}

size_t vipa_ctx_household_count(const vipa_ctx *ctx)
{
    return ctx ? ctx->households.count : 0;
}

/* ---- profile parameters ------------------------------------------------------------- */

const char *vipa_profile_name(const vipa_ctx *ctx)
{
    return ctx ? ctx->profile.name : NULL;
}

/* "poverty_line.<year>" with a valid four-digit year: its year, else 0. */
static int poverty_line_year(const char *key)
{
    static const char prefix[] = "poverty_line.";
    if (strncmp(key, prefix, sizeof prefix - 1) != 0)
        return 0;
    return vipa__year_of_text(key + sizeof prefix - 1);
}

static vipa_param_type type_of_key(const char *key)
{
    if (strcmp(key, "equity.poor_share_bp") == 0)
        return VIPA_PARAM_INT;
    if (strcmp(key, "exit.require_guarantees") == 0)
        return VIPA_PARAM_BOOL;
    if (strcmp(key, "equity.allocation") == 0 || strcmp(key, "equity.remainder_holder") == 0)
        return VIPA_PARAM_TEXT;
    if (poverty_line_year(key))
        return VIPA_PARAM_FEN;
    return VIPA_PARAM_NONE;
}

vipa_param_type vipa_param_type_of(const vipa_ctx *ctx, const char *key)
{
    return ctx && key ? type_of_key(key) : VIPA_PARAM_NONE;
}

/* For messages only: the parameter types have no word in the contract (the bindings
 * spell them int, bool, text, fen). */
static const char *const param_type_names[] = {
    [VIPA_PARAM_NONE] = "none", [VIPA_PARAM_INT] = "integer", [VIPA_PARAM_BOOL] = "boolean",
    [VIPA_PARAM_TEXT] = "word", [VIPA_PARAM_FEN] = "amount",
};

/* Checks the key exists and has the type the caller's function handles. */
static int check_key(vipa_ctx *ctx, const char *key, vipa_param_type wanted)
{
    if (!key)
        return vipa__fail(ctx, VIPA_E_INVALID, "parameter key is NULL");
    vipa_param_type type = type_of_key(key);
    if (type == VIPA_PARAM_NONE)
        return vipa__fail(ctx, VIPA_E_INVALID,
                          "unknown parameter \"%s\"; expected equity.poor_share_bp, "
                          "equity.allocation, equity.remainder_holder, "
                          "exit.require_guarantees or poverty_line.<year>", key);
    if (type != wanted)
        return vipa__fail(ctx, VIPA_E_INVALID, "parameter \"%s\" is a%s %s, not a%s %s", key,
                          type == VIPA_PARAM_INT ? "n" : "", param_type_names[type],
                          wanted == VIPA_PARAM_INT ? "n" : "", param_type_names[wanted]);
    return VIPA_OK;
}

int vipa_param_set_int(vipa_ctx *ctx, const char *key, int64_t value)
{
    if (!ctx)
        return VIPA_E_INVALID;
    int rc = check_key(ctx, key, VIPA_PARAM_INT);
    if (rc != VIPA_OK)
        return rc;
    if (vipa__profile_mutable(ctx, key) != VIPA_OK)
        return VIPA_E_STATE;
    if (value < 0 || value > 10000)
        return vipa__fail(ctx, VIPA_E_RANGE,
                          "equity.poor_share_bp: %lld is out of range; expected 0..10000 "
                          "basis points (三(二) sets 7000, 70 %%)", (long long)value);
    ctx->profile.poor_share_bp = (vipa_bp)value;
    return vipa__succeed(ctx);
}

int vipa_param_get_int(int64_t *value, vipa_ctx *ctx, const char *key)
{
    if (!ctx)
        return VIPA_E_INVALID;
    if (!value)
        return vipa__fail(ctx, VIPA_E_INVALID, "output for parameter value is NULL");
    int rc = check_key(ctx, key, VIPA_PARAM_INT);
    if (rc != VIPA_OK)
        return rc;
    *value = ctx->profile.poor_share_bp;
    return vipa__succeed(ctx);
}

int vipa_param_set_bool(vipa_ctx *ctx, const char *key, int value)
{
    if (!ctx)
        return VIPA_E_INVALID;
    int rc = check_key(ctx, key, VIPA_PARAM_BOOL);
    if (rc != VIPA_OK)
        return rc;
    if (vipa__profile_mutable(ctx, key) != VIPA_OK)
        return VIPA_E_STATE;
    if (value != 0 && value != 1)
        return vipa__fail(ctx, VIPA_E_RANGE, "%s: %d is not a boolean; expected 0 or 1", key, value);
    ctx->profile.require_guarantees = value;
    return vipa__succeed(ctx);
}

int vipa_param_get_bool(int *value, vipa_ctx *ctx, const char *key)
{
    if (!ctx)
        return VIPA_E_INVALID;
    if (!value)
        return vipa__fail(ctx, VIPA_E_INVALID, "output for parameter value is NULL");
    int rc = check_key(ctx, key, VIPA_PARAM_BOOL);
    if (rc != VIPA_OK)
        return rc;
    *value = ctx->profile.require_guarantees;
    return vipa__succeed(ctx);
}

/* The vocabulary of a text parameter's words (its values are their codes). */
static vipa__vocab text_param_words(const char *key)
{
    return strcmp(key, "equity.allocation") == 0 ? VIPA_VOCAB_PROFILE_ALLOCATION
                                                 : VIPA_VOCAB_REMAINDER_HOLDER;
}

int vipa_param_set_text(vipa_ctx *ctx, const char *key, const char *value)
{
    if (!ctx)
        return VIPA_E_INVALID;
    int rc = check_key(ctx, key, VIPA_PARAM_TEXT);
    if (rc != VIPA_OK)
        return rc;
    if (vipa__profile_mutable(ctx, key) != VIPA_OK)
        return VIPA_E_STATE;
    vipa__vocab words = text_param_words(key);
    int code = vipa__word_code(words, value);
    int first = words == VIPA_VOCAB_PROFILE_ALLOCATION ? VIPA_ALLOCATION_PER_HOUSEHOLD : 0;
    if (code < 0)
        return vipa__fail(ctx, VIPA_E_RANGE, "%s: \"%s\" is not allowed; expected \"%s\" or \"%s\"",
                          key, value ? value : "(NULL)", vipa__word(words, first),
                          vipa__word(words, first + 1));
    if (words == VIPA_VOCAB_PROFILE_ALLOCATION)
        ctx->profile.allocation = (vipa_allocation)code;
    else
        ctx->profile.remainder_holder = (vipa__remainder_holder)code;
    return vipa__succeed(ctx);
}

int vipa_param_get_text(const char **value, vipa_ctx *ctx, const char *key)
{
    if (!ctx)
        return VIPA_E_INVALID;
    if (!value)
        return vipa__fail(ctx, VIPA_E_INVALID, "output for parameter value is NULL");
    int rc = check_key(ctx, key, VIPA_PARAM_TEXT);
    if (rc != VIPA_OK)
        return rc;
    *value = text_param_words(key) == VIPA_VOCAB_PROFILE_ALLOCATION
                 ? vipa__word(VIPA_VOCAB_PROFILE_ALLOCATION, (int)ctx->profile.allocation)
                 : vipa__word(VIPA_VOCAB_REMAINDER_HOLDER, (int)ctx->profile.remainder_holder);
    return vipa__succeed(ctx);
}

/* Position of year in the sorted lines: its index if present, else where it goes. */
static size_t line_position(const vipa__profile *p, int year, int *found)
{
    size_t lo = 0, hi = p->line_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->lines[mid].year < year)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < p->line_count && p->lines[lo].year == year;
    return lo;
}

int vipa_param_set_fen(vipa_ctx *ctx, const char *key, vipa_fen value)
{
    if (!ctx)
        return VIPA_E_INVALID;
    int rc = check_key(ctx, key, VIPA_PARAM_FEN);
    if (rc != VIPA_OK)
        return rc;
    if (vipa__profile_mutable(ctx, key) != VIPA_OK)
        return VIPA_E_STATE;
    if (value < 0)
        return vipa__fail(ctx, VIPA_E_RANGE, "%s: a poverty line cannot be negative", key);
    vipa__profile *p = &ctx->profile;
    int year = poverty_line_year(key), found;
    size_t at = line_position(p, year, &found);
    if (!found) {
        void *lines = p->lines;
        rc = vipa__reserve(&ctx->alloc, &lines, &p->line_capacity, p->line_count + 1,
                           sizeof(vipa__line));
        p->lines = lines;
        if (rc != VIPA_OK)
            return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory", key);
        memmove(&p->lines[at + 1], &p->lines[at], (p->line_count - at) * sizeof(vipa__line));
        p->line_count++;
        p->lines[at].year = year;
    }
    p->lines[at].per_person = value;
    return vipa__succeed(ctx);
}

int vipa__profile_line(const vipa__profile *profile, int year, vipa_fen *per_person)
{
    int found;
    size_t at = line_position(profile, year, &found);
    if (!found)
        return VIPA_E_NOT_FOUND;
    *per_person = profile->lines[at].per_person;
    return VIPA_OK;
}

static int get_line(vipa_fen *value, vipa_ctx *ctx, int year)
{
    if (vipa__profile_line(&ctx->profile, year, value) != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_NOT_FOUND,
                          "no poverty line is set for %d; set the parameter poverty_line.%d "
                          "(yuan per person per year, current prices)", year, year);
    return vipa__succeed(ctx);
}

int vipa_param_get_fen(vipa_fen *value, vipa_ctx *ctx, const char *key)
{
    if (!ctx)
        return VIPA_E_INVALID;
    if (!value)
        return vipa__fail(ctx, VIPA_E_INVALID, "output for parameter value is NULL");
    int rc = check_key(ctx, key, VIPA_PARAM_FEN);
    if (rc != VIPA_OK)
        return rc;
    return get_line(value, ctx, poverty_line_year(key));
}

int vipa_ctx_set_as_of(vipa_ctx *ctx, vipa_date as_of)
{
    if (!ctx)
        return VIPA_E_INVALID;
    if (vipa__ctx_mutable(ctx, "as_of") != VIPA_OK)
        return VIPA_E_STATE;
    if (as_of != 0 && !vipa_date_is_valid(as_of))
        return vipa__fail(ctx, VIPA_E_INVALID, "as_of: %s is not a real day (years "
                          VIPA_YEAR_RANGE "); expected a real day, or 0 for none",
                          vipa__day(as_of).s);
    ctx->as_of = as_of;
    return vipa__succeed(ctx);
}

vipa_date vipa_ctx_as_of(const vipa_ctx *ctx)
{
    return ctx ? ctx->as_of : 0;
}

int vipa_poverty_line(vipa_fen *value, vipa_ctx *ctx, int year)
{
    if (!ctx)
        return VIPA_E_INVALID;
    if (!value)
        return vipa__fail(ctx, VIPA_E_INVALID, "output for the poverty line is NULL");
    if (!vipa__year_is_valid(year))
        return vipa__fail(ctx, VIPA_E_NOT_FOUND, "no poverty line for year %d; years are "
                          VIPA_YEAR_RANGE, year);
    return get_line(value, ctx, year);
}
