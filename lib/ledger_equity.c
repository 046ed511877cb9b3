/*
 * The ledger module's equity: fiscal equity (折资入股, 三(二)), household capital (三(三)),
 * share transfers and declared dividends (二(三)): adding their records, the share
 * register and the declared dues a ledger derives from them, and the register's queries
 * and checks (see include/vipa/ledger.h). The due with its agreed floor is
 * ledger_dividends.c's.
 *
 * Nothing derived is stored in the context: an injection's allocation depends on the
 * profile (poor share, allocation rule, remainder holder), so it is computed when a
 * ledger is built, and again, for one holder, when a transfer is checked.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger_internal.h"
#include "vipa/date.h"
#include "vipa/error.h"
#include "vocab_internal.h"

enum { BP_WHOLE = 10000 };

/* ---- small shared pieces ---------------------------------------------------------- */

typedef struct holder_text {
    char s[48];
} holder_text;

/* "household 1001", "collective 611002001204", "entity 1": a checked holder's kind. */
static holder_text holder_name(unsigned kind, uint64_t id)
{
    holder_text t;
    const char *word = vipa__word(VIPA_VOCAB_HOLDER_KIND, (int)kind);
    if (kind == VIPA_HOLDER_COLLECTIVE)
        snprintf(t.s, sizeof t.s, "%s %012llu", word, (unsigned long long)id);
    else
        snprintf(t.s, sizeof t.s, "%s %llu", word ? word : "holder", (unsigned long long)id);
    return t;
}

static int check_positive(vipa_ctx *ctx, const char *at, const char *field, vipa_fen amount)
{
    if (amount <= 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s is %s; expected an amount above 0.00",
                          at, field, amount == VIPA_FEN_UNSET ? "not given" : vipa__yuan(amount).s);
    return VIPA_OK;
}

/* The index of an entity that must be in the context. */
static int need_entity(vipa_ctx *ctx, const char *at, vipa_id id, uint32_t *entity)
{
    *entity = VIPA_TABLE_FIND(ctx->entities, id);
    return vipa__need(ctx, *entity, at, "entity", id);
}

/* The index of an agreement that must be in the context and be the entity's. */
static int need_agreement_of(vipa_ctx *ctx, const char *at, vipa_id id, uint32_t entity,
                             uint32_t *agreement)
{
    *agreement = VIPA_TABLE_FIND(ctx->agreements, id);
    int rc = vipa__need(ctx, *agreement, at, "agreement", id);
    if (rc != VIPA_OK)
        return rc;
    uint32_t owner = ctx->agreements.items[*agreement].entity;
    if (owner != entity)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field agreement: agreement %llu is entity "
                          "%llu's; expected an agreement of entity %llu", at,
                          (unsigned long long)id, (unsigned long long)ctx->entities.items[owner].id,
                          (unsigned long long)ctx->entities.items[entity].id);
    return VIPA_OK;
}

static int compare_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Grows one array through an allocator so it holds `need` items. */
static int grow(const vipa__allocator *a, void *items_field, size_t *capacity, size_t need,
                size_t item_size)
{
    return vipa__list_reserve(a, items_field, capacity, 0, need, item_size, SIZE_MAX);
}

/* ---- an injection's households and the split of its poor share (三(二)) ------------- */

size_t vipa__injection_household_count(const vipa_ctx *ctx, const injection_rec *in)
{
    return in->household_len ? in->household_len
                             : ctx->agreements.items[in->agreement].household_len;
}

/* Household index k of an injection: its own list, or else its agreement's. */
uint32_t vipa__injection_household(const vipa_ctx *ctx, const injection_rec *in, size_t k)
{
    if (in->household_len)
        return ctx->injection_households.items[in->first_household + k];
    return ctx->agreement_households[ctx->agreements.items[in->agreement].first_household + k];
}

static vipa_allocation effective_allocation(const vipa_ctx *ctx, const injection_rec *in)
{
    if (in->allocation != VIPA_ALLOCATION_PROFILE)
        return (vipa_allocation)in->allocation;
    return ctx->profile.allocation; /* per household or per member */
}

static uint64_t household_weight(const vipa_ctx *ctx, const injection_rec *in, size_t k,
                                 uint32_t household)
{
    switch (effective_allocation(ctx, in)) {
    case VIPA_ALLOCATION_PER_MEMBER:
        return ctx->households.items[household].members;
    case VIPA_ALLOCATION_WEIGHTS:
        return ctx->injection_weights.items[in->first_weight + k];
    default:
        return 1;
    }
}

/* Who holds the rest of an injection: the profile's `equity.remainder_holder`. An
 * entity's core village is in the context (the entity's add needs it). */
static vipa__holder remainder_holder(const vipa_ctx *ctx, uint32_t entity)
{
    if (ctx->profile.remainder_holder == VIPA__REMAINDER_ENTITY)
        return vipa__holder_make(VIPA_HOLDER_ENTITY, entity);
    return vipa__holder_make(VIPA_HOLDER_COLLECTIVE,
                             vipa__area_find(ctx, ctx->entities.items[entity].core_village));
}

/* A household of a split: its id, index and weight, sorted by id so ties go to the
 * lower id. */
typedef struct split_member {
    uint64_t id;
    uint64_t weight;
    uint32_t index;
} split_member;

/* Scratch for splits, owned by whoever runs them (a context's add or a ledger's build),
 * grown to the largest split and reused, and freed with split_free. */
typedef struct split_space {
    const vipa__allocator *alloc;
    split_member *members;
    uint64_t *weights;
    vipa_fen *parts;
    vipa__split_slot *slots;
    size_t cap_members, cap_weights, cap_parts, cap_slots;
    size_t n;           /* parts of the last split */
    vipa_fen poor, rest; /* of the last injection split */
} split_space;

static int split_reserve(split_space *s, size_t n)
{
    if (grow(s->alloc, &s->members, &s->cap_members, n, sizeof *s->members) != VIPA_OK ||
        grow(s->alloc, &s->weights, &s->cap_weights, n, sizeof *s->weights) != VIPA_OK ||
        grow(s->alloc, &s->parts, &s->cap_parts, n, sizeof *s->parts) != VIPA_OK ||
        grow(s->alloc, &s->slots, &s->cap_slots, n, sizeof *s->slots) != VIPA_OK)
        return VIPA_E_NOMEM;
    return VIPA_OK;
}

static void split_free(split_space *s)
{
    vipa__free(s->alloc, s->members);
    vipa__free(s->alloc, s->weights);
    vipa__free(s->alloc, s->parts);
    vipa__free(s->alloc, s->slots);
}

static int by_member_id(const void *a, const void *b)
{
    const split_member *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Splits injection i: poor = amount × poor_share_bp rounded down (三(二)), divided
 * exactly among its households in id order; rest = amount − poor. The adds guarantee
 * at least one household and a non-zero weight sum, so only memory can fail. */
static int split_injection(const vipa_ctx *ctx, uint32_t i, split_space *s)
{
    const injection_rec *in = &ctx->injections.items[i];
    size_t n = vipa__injection_household_count(ctx, in);
    int rc = split_reserve(s, n);
    if (rc != VIPA_OK)
        return rc;
    for (size_t k = 0; k < n; k++) {
        uint32_t h = vipa__injection_household(ctx, in, k);
        s->members[k].id = ctx->households.items[h].id;
        s->members[k].index = h;
        s->members[k].weight = household_weight(ctx, in, k, h);
    }
    qsort(s->members, n, sizeof *s->members, by_member_id);
    for (size_t k = 0; k < n; k++)
        s->weights[k] = s->members[k].weight;
    s->n = n;
    if ((rc = vipa_fen_mul_bp_trunc(&s->poor, in->amount, ctx->profile.poor_share_bp)) != VIPA_OK)
        return rc;
    s->rest = in->amount - s->poor; /* 0 ≤ poor ≤ amount: the rate is 0..10000 bp */
    return vipa__split_into(s->parts, s->poor, s->weights, n, s->slots);
}

/* ---- injections ------------------------------------------------------------------- */

static int check_injection_fields(vipa_ctx *ctx, const char *at, const vipa_injection *in)
{
    int rc = vipa__check_id(ctx, at, in->id);
    if (rc != VIPA_OK)
        return rc;
    if (VIPA_TABLE_FIND(ctx->injections, in->id) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: field id: an injection with id %llu exists "
                          "already", at, (unsigned long long)in->id);
    if (in->agreement == 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field agreement is 0; expected the agreement "
                          "the injection serves", at);
    rc = check_positive(ctx, at, "amount", in->amount);
    if (rc == VIPA_OK)
        rc = vipa__check_date(ctx, at, "date", in->date);
    if (rc != VIPA_OK)
        return rc;
    int allocation = (int)in->allocation; /* the enum may be unsigned; any int may come */
    if (allocation < VIPA_ALLOCATION_PROFILE || allocation > VIPA_ALLOCATION_WEIGHTS)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field allocation is %d; expected profile, "
                          "per_household, per_member or weights (0..3)", at, allocation);
    return VIPA_OK;
}

static int check_injection_weights(vipa_ctx *ctx, const char *at, const vipa_injection *in)
{
    if (in->allocation != VIPA_ALLOCATION_WEIGHTS) {
        /* "profile" is the C API's name of the default, which a scenario leaves out. */
        if (in->weights)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: field weights is given but allocation is "
                              "%s; expected NULL unless allocation is weights (3)", at,
                              in->allocation == VIPA_ALLOCATION_PROFILE
                                  ? "profile"
                                  : vipa__word(VIPA_VOCAB_ALLOCATION, (int)in->allocation));
        return VIPA_OK;
    }
    if (!in->weights)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field weights is NULL; allocation weights "
                          "needs one weight per household", at);
    if (in->household_len == 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field households is empty; allocation "
                          "weights needs the households listed, one per weight", at);
    for (size_t k = 0; k < in->household_len; k++)
        if (in->weights[k] != 0)
            return VIPA_OK;
    return vipa__fail(ctx, VIPA_E_INVALID, "%s: field weights are all 0; expected at least one "
                      "positive weight to split the poor share by", at);
}

static int reserve_failed(vipa_ctx *ctx, int rc, const char *at, const char *field)
{
    if (rc == VIPA_E_LIMIT)
        return vipa__fail(ctx, rc, "%s: field %s is too long to store", at, field);
    return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory storing field %s", at, field);
}

/* Refuses a household listed twice. Sorting (index << 32 | position) puts a repeat
 * next to its first listing and still tells both positions. */
static int check_no_repeats(vipa_ctx *ctx, const char *at, const vipa_injection *in,
                            const uint32_t *slice)
{
    size_t n = in->household_len;
    uint64_t *keys = vipa__malloc(&ctx->alloc, n * sizeof *keys);
    if (!keys)
        return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory checking field households", at);
    for (size_t k = 0; k < n; k++)
        keys[k] = (uint64_t)slice[k] << 32 | k;
    qsort(keys, n, sizeof *keys, compare_u64);
    int rc = VIPA_OK;
    for (size_t k = 1; k < n && rc == VIPA_OK; k++)
        if (keys[k] >> 32 == keys[k - 1] >> 32)
            rc = vipa__fail(ctx, VIPA_E_INVALID, "%s: field households[%u]: household %llu is "
                            "listed twice (also households[%u]); expected each at most once", at,
                            (unsigned)(uint32_t)keys[k], (unsigned long long)
                            in->households[(uint32_t)keys[k]], (unsigned)(uint32_t)keys[k - 1]);
    vipa__free(&ctx->alloc, keys);
    return rc;
}

/* Writes the households' indexes, as given, after the stored ones; the stored count
 * moves only when the whole injection is accepted. */
static int collect_injection_households(vipa_ctx *ctx, const char *at, const vipa_injection *in,
                                        uint32_t agreement)
{
    size_t n = in->household_len;
    if (n == 0) {
        if (ctx->agreements.items[agreement].household_len == 0)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: no households to share the poor share: "
                              "field households is empty and agreement %llu lists none (三(二))",
                              at, (unsigned long long)in->agreement);
        return VIPA_OK;
    }
    if (!in->households)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field households is NULL but household_len "
                          "is %zu", at, n);
    if (n > UINT32_MAX - ctx->injection_households.count)
        return vipa__fail(ctx, VIPA_E_LIMIT, "%s: field households would take the context past "
                          "%lu stored injection households", at, (unsigned long)UINT32_MAX);
    int rc = VIPA_PARTS_RESERVE(ctx, ctx->injection_households, n);
    if (rc != VIPA_OK)
        return reserve_failed(ctx, rc, at, "households");
    uint32_t *slice = ctx->injection_households.items + ctx->injection_households.count;
    for (size_t k = 0; k < n; k++) {
        slice[k] = VIPA_TABLE_FIND(ctx->households, in->households[k]);
        if (slice[k] == VIPA_NO_INDEX)
            return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: field households[%zu]: household %llu "
                              "is not in the context", at, k,
                              (unsigned long long)in->households[k]);
    }
    return n > 1 ? check_no_repeats(ctx, at, in, slice) : VIPA_OK;
}

static int collect_injection_weights(vipa_ctx *ctx, const char *at, const vipa_injection *in)
{
    if (in->allocation != VIPA_ALLOCATION_WEIGHTS)
        return VIPA_OK;
    size_t n = in->household_len;
    if (n > UINT32_MAX - ctx->injection_weights.count)
        return vipa__fail(ctx, VIPA_E_LIMIT, "%s: field weights would take the context past %lu "
                          "stored weights", at, (unsigned long)UINT32_MAX);
    int rc = VIPA_PARTS_RESERVE(ctx, ctx->injection_weights, n);
    if (rc != VIPA_OK)
        return reserve_failed(ctx, rc, at, "weights");
    memcpy(ctx->injection_weights.items + ctx->injection_weights.count, in->weights,
           n * sizeof *in->weights);
    return VIPA_OK;
}

static int add_injection(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_injection *in = item;
    char at[96];
    vipa__record_name(at, sizeof at, "injections", index, in->id);
    uint32_t entity = VIPA_NO_INDEX, agreement = VIPA_NO_INDEX;
    int rc = check_injection_fields(ctx, at, in);
    if (rc == VIPA_OK)
        rc = need_entity(ctx, at, in->entity, &entity);
    if (rc == VIPA_OK)
        rc = need_agreement_of(ctx, at, in->agreement, entity, &agreement);
    if (rc == VIPA_OK)
        rc = check_injection_weights(ctx, at, in);
    if (rc == VIPA_OK)
        rc = collect_injection_households(ctx, at, in, agreement);
    if (rc == VIPA_OK)
        rc = collect_injection_weights(ctx, at, in);
    if (rc != VIPA_OK)
        return rc;
    injection_rec r = {in->id, in->amount, entity, agreement,
                       (uint32_t)ctx->injection_households.count, (uint32_t)in->household_len,
                       (uint32_t)ctx->injection_weights.count, in->date, (uint8_t)in->allocation};
    ctx->injection_households.count += in->household_len;
    if (in->allocation == VIPA_ALLOCATION_WEIGHTS)
        ctx->injection_weights.count += in->household_len;
    VIPA_TABLE_PUSH(ctx->injections, r, r.id);
    return VIPA_OK;
}

int vipa_ctx_add_injections(vipa_ctx *ctx, const vipa_injection *injections, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_INJECTION, add_injection, injections, n);
}

/* ---- contributions (三(三)) ----------------------------------------------------------- */

static int check_contribution_fields(vipa_ctx *ctx, const char *at, const vipa_contribution *c)
{
    int kind = (int)c->kind;
    if (kind < VIPA_CONTRIBUTION_LAND || kind > VIPA_CONTRIBUTION_CASH)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field kind is %d; expected land, technology, "
                          "resources, housing, labour or cash (1..6, 三(三))", at, kind);
    int rc = check_positive(ctx, at, "value", c->value);
    return rc == VIPA_OK ? vipa__check_date(ctx, at, "date", c->date) : rc;
}

static int add_contribution(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_contribution *c = item;
    char at[112];
    vipa__record_name_refs(at, sizeof at, "contributions", index, "household", c->household,
                           "entity", c->entity);
    uint32_t household = VIPA_TABLE_FIND(ctx->households, c->household);
    uint32_t entity = VIPA_NO_INDEX, agreement = VIPA_NO_INDEX;
    int rc = vipa__need(ctx, household, at, "household", c->household);
    if (rc == VIPA_OK)
        rc = need_entity(ctx, at, c->entity, &entity);
    if (rc == VIPA_OK && c->agreement != 0)
        rc = need_agreement_of(ctx, at, c->agreement, entity, &agreement);
    if (rc == VIPA_OK)
        rc = check_contribution_fields(ctx, at, c);
    if (rc != VIPA_OK)
        return rc;
    contribution_rec r = {c->value, household, entity, agreement, c->date, (uint8_t)c->kind};
    ctx->contributions.items[ctx->contributions.count++] = r;
    return VIPA_OK;
}

int vipa_ctx_add_contributions(vipa_ctx *ctx, const vipa_contribution *contributions, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_CONTRIBUTION, add_contribution, contributions, n);
}

/* ---- one holder's shares, from the records ---------------------------------------------- */

/* A dated change of one holder's shares. */
typedef struct dated_delta {
    vipa_date date;
    vipa_fen delta;
} dated_delta;

typedef struct delta_list {
    const vipa__allocator *alloc;
    dated_delta *items;
    size_t count, capacity;
} delta_list;

static int delta_push(delta_list *l, vipa_date date, vipa_fen delta)
{
    if (grow(l->alloc, &l->items, &l->capacity, l->count + 1, sizeof *l->items) != VIPA_OK)
        return VIPA_E_NOMEM;
    l->items[l->count].date = date;
    l->items[l->count].delta = delta;
    l->count++;
    return VIPA_OK;
}

/* A holder of shares in one entity (indexes are the context's). */
typedef struct holder_ref {
    uint32_t entity;
    uint8_t kind;
    uint64_t id;
    uint32_t household; /* index when kind is HOUSEHOLD */
} holder_ref;

/* The holder's part of injection i, if it has one (split runs only when needed). */
static int injection_part(const vipa_ctx *ctx, uint32_t i, const holder_ref *h, split_space *s,
                          delta_list *out)
{
    const injection_rec *in = &ctx->injections.items[i];
    vipa__holder rest = remainder_holder(ctx, in->entity);
    int is_household = 0;
    size_t n = h->kind == VIPA_HOLDER_HOUSEHOLD ? vipa__injection_household_count(ctx, in) : 0;
    for (size_t k = 0; k < n && !is_household; k++)
        is_household = vipa__injection_household(ctx, in, k) == h->household;
    if (!is_household &&
        !(vipa__holder_kind(rest) == h->kind && vipa__holder_id(ctx, rest) == h->id))
        return VIPA_OK;
    int rc = split_injection(ctx, i, s);
    if (rc != VIPA_OK)
        return rc;
    if (!is_household)
        return delta_push(out, in->date, s->rest);
    for (size_t k = 0; k < s->n; k++)
        if (s->members[k].id == h->id)
            return delta_push(out, in->date, s->parts[k]);
    return VIPA_OK;
}

/* Every recorded change of the holder's shares: injections, contributions, transfers. */
static int holder_deltas(const vipa_ctx *ctx, const holder_ref *h, split_space *s, delta_list *out)
{
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->injections.count && rc == VIPA_OK; i++)
        if (ctx->injections.items[i].entity == h->entity)
            rc = injection_part(ctx, (uint32_t)i, h, s, out);
    for (size_t i = 0; i < ctx->contributions.count && rc == VIPA_OK; i++) {
        const contribution_rec *c = &ctx->contributions.items[i];
        if (h->kind == VIPA_HOLDER_HOUSEHOLD && c->entity == h->entity &&
            c->household == h->household)
            rc = delta_push(out, c->date, c->value);
    }
    for (size_t i = 0; i < ctx->transfers.count && rc == VIPA_OK; i++) {
        const transfer_rec *t = &ctx->transfers.items[i];
        if (t->entity != h->entity)
            continue;
        if (t->from_kind == h->kind && t->from_id == h->id)
            rc = delta_push(out, t->date, -t->amount);
        if (rc == VIPA_OK && t->to_kind == h->kind && t->to_id == h->id)
            rc = delta_push(out, t->date, t->amount);
    }
    return rc;
}

static int by_delta_date(const void *a, const void *b)
{
    const dated_delta *x = a, *y = b;
    return (x->date > y->date) - (x->date < y->date);
}

/* The first day on or after `from` that ends with a negative balance, and the balance
 * then; 0 if none. Balances are summed in 128 bits: they cannot overflow here. */
static vipa_date first_negative_day(delta_list *l, vipa_date from, vipa__i128 *balance)
{
    if (l->count > 1)
        qsort(l->items, l->count, sizeof *l->items, by_delta_date);
    vipa__i128 sum = 0;
    for (size_t k = 0; k < l->count; k++) {
        sum += l->items[k].delta;
        int day_ends = k + 1 == l->count || l->items[k + 1].date != l->items[k].date;
        if (day_ends && l->items[k].date >= from && sum < 0) {
            *balance = sum;
            return l->items[k].date;
        }
    }
    return 0;
}

/* ---- transfers ----------------------------------------------------------------------- */

/* Checks one side of a transfer ("from" or "to") names a holder that exists. */
static int check_holder(vipa_ctx *ctx, const char *at, const char *side, int kind, uint64_t id,
                        uint32_t entity, uint32_t *household)
{
    if (kind < VIPA_HOLDER_HOUSEHOLD || kind > VIPA_HOLDER_ENTITY)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s_kind is %d; expected household, "
                          "collective or entity (1..3)", at, side, kind);
    if (kind == VIPA_HOLDER_HOUSEHOLD) {
        *household = VIPA_TABLE_FIND(ctx->households, id);
        if (*household == VIPA_NO_INDEX)
            return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: field %s_id: household %llu is not in "
                              "the context", at, side, (unsigned long long)id);
    } else if (kind == VIPA_HOLDER_COLLECTIVE) {
        if (vipa_area_code_level(id) != VIPA_AREA_VILLAGE)
            return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s_id: collective %012llu is not "
                              "a village code; a collective is named by its village's 12-digit "
                              "code", at, side, (unsigned long long)id);
        if (vipa__area_find(ctx, id) == VIPA_NO_INDEX)
            return vipa__fail(ctx, VIPA_E_NOT_FOUND, "%s: field %s_id: village %012llu is not "
                              "in the context", at, side, (unsigned long long)id);
    } else if (id != ctx->entities.items[entity].id) {
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field %s_id: entity %llu holds no shares of "
                          "entity %llu; an entity holds only its own shares", at, side,
                          (unsigned long long)id,
                          (unsigned long long)ctx->entities.items[entity].id);
    }
    return VIPA_OK;
}

static int check_transfer_fields(vipa_ctx *ctx, const char *at, const vipa_transfer *t,
                                 uint32_t entity, uint32_t *giver_household)
{
    uint32_t unused = VIPA_NO_INDEX;
    int rc = check_holder(ctx, at, "from", (int)t->from_kind, t->from_id, entity, giver_household);
    if (rc == VIPA_OK)
        rc = check_holder(ctx, at, "to", (int)t->to_kind, t->to_id, entity, &unused);
    if (rc != VIPA_OK)
        return rc;
    if (t->from_kind == t->to_kind && t->from_id == t->to_id)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: fields from and to both name %s; expected "
                          "two different holders", at, holder_name(t->from_kind, t->from_id).s);
    rc = check_positive(ctx, at, "amount", t->amount);
    return rc == VIPA_OK ? vipa__check_date(ctx, at, "date", t->date) : rc;
}

/* The giver must hold the shares on the transfer's day and keep a holding ≥ 0 on
 * every later day, given every transfer already recorded (this batch's included). */
static int check_transfer_holding(vipa_ctx *ctx, const char *at, const vipa_transfer *t,
                                  const holder_ref *giver)
{
    split_space s = {.alloc = &ctx->alloc};
    delta_list l = {.alloc = &ctx->alloc};
    int rc = holder_deltas(ctx, giver, &s, &l);
    if (rc == VIPA_OK)
        rc = delta_push(&l, t->date, -t->amount);
    vipa__i128 balance = 0;
    vipa_date short_day = rc == VIPA_OK ? first_negative_day(&l, t->date, &balance) : 0;
    split_free(&s);
    vipa__free(&ctx->alloc, l.items);
    if (rc != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_NOMEM, "%s: out of memory computing the giver's holding", at);
    if (short_day == 0)
        return VIPA_OK;
    vipa__i128 held = balance + t->amount; /* < amount ≤ INT64_MAX */
    vipa_fen shown = held < INT64_MIN ? INT64_MIN : (vipa_fen)held;
    return vipa__fail(ctx, VIPA_E_RANGE, "%s: field amount %s is more shares than held: %s holds "
                      "%s on %s without it; expected at most what the giver holds on the "
                      "transfer's date and on every later date", at, vipa__yuan(t->amount).s,
                      holder_name(t->from_kind, t->from_id).s, vipa__yuan(shown).s, vipa__day(short_day).s);
}

static int add_transfer(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_transfer *t = item;
    char at[96];
    vipa__record_name_refs(at, sizeof at, "transfers", index, "entity", t->entity, NULL, 0);
    holder_ref giver = {VIPA_NO_INDEX, (uint8_t)t->from_kind, t->from_id, VIPA_NO_INDEX};
    int rc = need_entity(ctx, at, t->entity, &giver.entity);
    if (rc == VIPA_OK)
        rc = check_transfer_fields(ctx, at, t, giver.entity, &giver.household);
    if (rc == VIPA_OK)
        rc = check_transfer_holding(ctx, at, t, &giver);
    if (rc != VIPA_OK)
        return rc;
    transfer_rec r = {t->from_id, t->to_id, t->amount, giver.entity, t->date,
                      (uint8_t)t->from_kind, (uint8_t)t->to_kind};
    ctx->transfers.items[ctx->transfers.count++] = r;
    return VIPA_OK;
}

int vipa_ctx_add_transfers(vipa_ctx *ctx, const vipa_transfer *transfers, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_TRANSFER, add_transfer, transfers, n);
}

/* ---- dividends (二(三)) ---------------------------------------------------------------- */

/* Exactly one of a rate (≥ 0, pool unset) and a pool (≥ 0, rate -1). */
static int check_rate_or_pool(vipa_ctx *ctx, const char *at, const vipa_dividend *d)
{
    int has_rate = d->rate_bp != -1, has_pool = d->pool != VIPA_FEN_UNSET;
    if (has_rate == has_pool)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: fields rate_bp and pool: %s given; expected "
                          "exactly one (a rate, or a pool with rate_bp -1)", at,
                          has_rate ? "both are" : "neither is");
    if (has_rate && d->rate_bp < 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field rate_bp is %ld; expected a rate ≥ 0 "
                          "basis points, or -1 with a pool", at, (long)d->rate_bp);
    if (has_pool && d->pool < 0)
        return vipa__fail(ctx, VIPA_E_INVALID, "%s: field pool is %s; expected an amount ≥ 0.00",
                          at, vipa__yuan(d->pool).s);
    return VIPA_OK;
}

static int add_dividend(vipa_ctx *ctx, const void *item, size_t index)
{
    const vipa_dividend *d = item;
    char at[96];
    snprintf(at, sizeof at, "dividends[%zu] (entity %llu, year %d)", index,
             (unsigned long long)d->entity, d->year);
    uint32_t entity = VIPA_NO_INDEX;
    int rc = need_entity(ctx, at, d->entity, &entity);
    if (rc != VIPA_OK)
        return rc;
    if ((rc = vipa__check_year(ctx, at, "year", d->year)) != VIPA_OK)
        return rc;
    if ((rc = check_rate_or_pool(ctx, at, d)) != VIPA_OK)
        return rc;
    dividend_rec r = {vipa__year_key(entity, d->year), d->pool, d->rate_bp};
    if (VIPA_TABLE_FIND(ctx->dividends, r.key) != VIPA_NO_INDEX)
        return vipa__fail(ctx, VIPA_E_EXISTS, "%s: field year: entity %llu has a dividend "
                          "for %d already; expected one per entity and year", at,
                          (unsigned long long)d->entity, d->year);
    VIPA_TABLE_PUSH(ctx->dividends, r, r.key);
    return VIPA_OK;
}

int vipa_ctx_add_dividends(vipa_ctx *ctx, const vipa_dividend *dividends, size_t n)
{
    return vipa__add_batch(ctx, VIPA_KIND_DIVIDEND, add_dividend, dividends, n);
}

/* ---- building: allocations ------------------------------------------------------------ */

typedef struct id_index {
    uint64_t id;
    uint32_t index;
} id_index;

static int by_id(const void *a, const void *b)
{
    const id_index *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* Injections in id order: the order of the allocations. */
static id_index *injections_by_id(const vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    id_index *order = vipa__calloc(&ledger->alloc, ctx->injections.count + 1, sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < ctx->injections.count; i++) {
        order[i].id = ctx->injections.items[i].id;
        order[i].index = (uint32_t)i;
    }
    qsort(order, ctx->injections.count, sizeof *order, by_id);
    return order;
}

/* Appends injection i's parts: households by id, then the remainder holder. */
static void emit_allocations(vipa_ledger *ledger, uint32_t i, const split_space *s)
{
    const vipa_ctx *ctx = ledger->ctx;
    allocation_rec *out = ledger->allocations + ledger->allocation_count;
    for (size_t k = 0; k < s->n; k++) {
        allocation_rec r = {s->parts[k], i,
                            vipa__holder_make(VIPA_HOLDER_HOUSEHOLD, s->members[k].index)};
        out[k] = r;
    }
    allocation_rec rest = {s->rest, i, remainder_holder(ctx, ctx->injections.items[i].entity)};
    out[s->n] = rest;
    ledger->allocation_count += s->n + 1;
}

static int build_allocations(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    size_t total = 0;
    for (size_t i = 0; i < ctx->injections.count; i++)
        total += vipa__injection_household_count(ctx, &ctx->injections.items[i]) + 1;
    id_index *order = injections_by_id(ledger);
    ledger->allocations = vipa__calloc(&ledger->alloc, total + 1, sizeof *ledger->allocations);
    split_space s = {.alloc = &ledger->alloc};
    int rc = order && ledger->allocations ? VIPA_OK : VIPA_E_NOMEM;
    for (size_t k = 0; k < ctx->injections.count && rc == VIPA_OK; k++) {
        rc = split_injection(ctx, order[k].index, &s);
        if (rc == VIPA_OK)
            emit_allocations(ledger, order[k].index, &s);
    }
    split_free(&s);
    vipa__free(&ledger->alloc, order);
    if (rc != VIPA_OK)
        return vipa__fail(ledger->ctx, rc == VIPA_E_NOMEM ? VIPA_E_NOMEM : VIPA_E_INVALID,
                          "ledger: %s splitting the poor shares of the injections (三(二))",
                          rc == VIPA_E_NOMEM ? "out of memory" : vipa_strerror(rc));
    return VIPA_OK;
}

/* ---- holders by index, ordered by id ----------------------------------------------------- */

uint64_t vipa__holder_id(const vipa_ctx *ctx, vipa__holder holder)
{
    uint32_t i = vipa__holder_index(holder);
    switch (vipa__holder_kind(holder)) {
    case VIPA_HOLDER_HOUSEHOLD:
        return ctx->households.items[i].id;
    case VIPA_HOLDER_COLLECTIVE:
        return ctx->areas.items[i].code;
    case VIPA_HOLDER_ENTITY:
        return ctx->entities.items[i].id;
    default:
        return 0;
    }
}

/* Two records of a kind have two ids, so equal words are the only equal holders. The
 * households of a province come in id order: their indexes then compare as their ids do,
 * without reading a household record per comparison. */
int vipa__holder_compare(const vipa_ledger *ledger, vipa__holder x, vipa__holder y)
{
    if (x == y)
        return 0;
    unsigned kx = vipa__holder_kind(x), ky = vipa__holder_kind(y);
    if (kx != ky)
        return kx < ky ? -1 : 1;
    if (kx == VIPA_HOLDER_HOUSEHOLD && ledger->households_by_id)
        return x < y ? -1 : 1;
    uint64_t a = vipa__holder_id(ledger->ctx, x), b = vipa__holder_id(ledger->ctx, y);
    return (a > b) - (a < b);
}

static int households_in_id_order(const vipa_ctx *ctx)
{
    for (size_t i = 1; i < ctx->households.count; i++)
        if (ctx->households.items[i - 1].id >= ctx->households.items[i].id)
            return 0;
    return 1;
}

static holder_text holder_word_name(const vipa_ctx *ctx, vipa__holder holder)
{
    return holder_name(vipa__holder_kind(holder), vipa__holder_id(ctx, holder));
}

/* ---- building: the share register ------------------------------------------------------ */

/* (entity, holder kind, holder id, date) order, then receipts before gifts (larger change
 * first; `balance` holds the change while the events are sorted), so a balance within a
 * day never dips below the day's closing one; events that tie on every field are
 * interchangeable. */
static int by_event(const void *a, const void *b, void *context)
{
    const share_event *x = a, *y = b;
    if (x->entity != y->entity)
        return x->entity < y->entity ? -1 : 1;
    int c = vipa__holder_compare(context, x->holder, y->holder);
    if (c != 0)
        return c;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->balance < y->balance) - (x->balance > y->balance);
}

static void push_event(vipa_ledger *ledger, uint32_t entity, vipa__holder holder,
                       vipa_date date, vipa_fen delta)
{
    share_event e = {delta, entity, date, holder};
    ledger->events[ledger->event_count++] = e;
}

/* A side of a transfer (checked when it was added: the holder is in the context). */
static vipa__holder transfer_holder(const vipa_ctx *ctx, uint32_t entity, unsigned kind,
                                    uint64_t id)
{
    if (kind == VIPA_HOLDER_HOUSEHOLD)
        return vipa__holder_make(kind, VIPA_TABLE_FIND(ctx->households, id));
    if (kind == VIPA_HOLDER_COLLECTIVE)
        return vipa__holder_make(kind, vipa__area_find(ctx, id));
    return vipa__holder_make(VIPA_HOLDER_ENTITY, entity); /* an entity holds only its own */
}

/* Allocations (a zero part changes nothing and makes no event), contributions, and
 * both sides of every transfer. */
static void collect_events(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    for (size_t k = 0; k < ledger->allocation_count; k++) {
        const allocation_rec *a = &ledger->allocations[k];
        const injection_rec *in = &ctx->injections.items[a->injection];
        if (a->amount != 0)
            push_event(ledger, in->entity, a->holder, in->date, a->amount);
    }
    for (size_t k = 0; k < ctx->contributions.count; k++) {
        const contribution_rec *c = &ctx->contributions.items[k];
        push_event(ledger, c->entity, vipa__holder_make(VIPA_HOLDER_HOUSEHOLD, c->household),
                   c->date, c->value);
    }
    for (size_t k = 0; k < ctx->transfers.count; k++) {
        const transfer_rec *t = &ctx->transfers.items[k];
        push_event(ledger, t->entity, transfer_holder(ctx, t->entity, t->from_kind, t->from_id),
                   t->date, -t->amount);
        push_event(ledger, t->entity, transfer_holder(ctx, t->entity, t->to_kind, t->to_id),
                   t->date, t->amount);
    }
}

static int same_holder(const share_event *x, const share_event *y)
{
    return x->entity == y->entity && x->holder == y->holder;
}

/* Running balance per holder, overflow-checked, in place: event k's change becomes its
 * balance once event k - 1's is made. Transfers were checked against the
 * profile of the day they were added; a profile changed since (a higher poor share,
 * another remainder holder) can leave a giver short, which is refused here rather than
 * carried as negative shares. Receipts come first within a day, so the closing
 * balance is the day's lowest. */
static int run_balances(vipa_ledger *ledger)
{
    for (size_t k = 0; k < ledger->event_count; k++) {
        share_event *e = &ledger->events[k];
        vipa_fen before = k > 0 && same_holder(e, e - 1) ? e[-1].balance : 0;
        unsigned long long entity = (unsigned long long)ledger->ctx->entities.items[e->entity].id;
        if (vipa_fen_add(&e->balance, before, e->balance) != VIPA_OK)
            return vipa__fail(ledger->ctx, VIPA_E_OVERFLOW, "entity %llu: the shares of %s sum "
                              "beyond the int64 range of fen on %s", entity,
                              holder_word_name(ledger->ctx, e->holder).s, vipa__day(e->date).s);
        if (e->balance < 0)
            return vipa__fail(ledger->ctx, VIPA_E_STATE, "entity %llu: %s would hold %s shares "
                              "on %s: its transfers exceed what it holds under the current "
                              "profile (was equity.poor_share_bp or equity.remainder_holder "
                              "changed after the transfers were added?)", entity,
                              holder_word_name(ledger->ctx, e->holder).s,
                              vipa__yuan(e->balance).s,
                              vipa__day(e->date).s);
    }
    return VIPA_OK;
}

static int build_events(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    size_t most = ledger->allocation_count + ctx->contributions.count + 2 * ctx->transfers.count;
    ledger->events = vipa__calloc(&ledger->alloc, most + 1, sizeof *ledger->events);
    if (!ledger->events)
        return vipa__fail(ledger->ctx, VIPA_E_NOMEM, "ledger: out of memory for the share "
                          "register");
    collect_events(ledger);
    /* Allocations come by injection and holder: often already in order. */
    if (!vipa__is_sorted_by(ledger->events, ledger->event_count, sizeof *ledger->events, by_event,
                     ledger))
        vipa__sort(&ledger->alloc, ledger->events, ledger->event_count, sizeof *ledger->events,
                   by_event, ledger);
    return run_balances(ledger);
}

/* First event of an entity, or event_count. */
static size_t first_event_of(const vipa_ledger *ledger, uint32_t entity)
{
    size_t lo = 0, hi = ledger->event_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ledger->events[mid].entity < entity)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ---- building: dividends due (二(三)) --------------------------------------------------- */

/* The holders of one entity with shares at the end of a day, in (kind, id) order. */
typedef struct holders {
    const vipa__allocator *alloc;
    share_event *items; /* holder and balance of each */
    uint64_t *weights;
    vipa_fen *parts;
    vipa__split_slot *slots;
    size_t count, cap_items, cap_weights, cap_parts, cap_slots;
} holders;

static int holders_push(holders *h, const share_event *last)
{
    size_t need = h->count + 1;
    if (grow(h->alloc, &h->items, &h->cap_items, need, sizeof *h->items) != VIPA_OK ||
        grow(h->alloc, &h->weights, &h->cap_weights, need, sizeof *h->weights) != VIPA_OK ||
        grow(h->alloc, &h->parts, &h->cap_parts, need, sizeof *h->parts) != VIPA_OK ||
        grow(h->alloc, &h->slots, &h->cap_slots, need, sizeof *h->slots) != VIPA_OK)
        return VIPA_E_NOMEM;
    h->items[h->count] = *last;
    h->weights[h->count] = (uint64_t)last->balance;
    h->count++;
    return VIPA_OK;
}

static void holders_free(holders *h)
{
    vipa__free(h->alloc, h->items);
    vipa__free(h->alloc, h->weights);
    vipa__free(h->alloc, h->parts);
    vipa__free(h->alloc, h->slots);
}

/* Fills h with the entity's holders whose balance at the end of `cutoff` is positive. */
static int holders_at(const vipa_ledger *ledger, uint32_t entity, vipa_date cutoff, holders *h)
{
    h->count = 0;
    const share_event *last = NULL;
    for (size_t k = first_event_of(ledger, entity);
         k < ledger->event_count && ledger->events[k].entity == entity; k++) {
        const share_event *e = &ledger->events[k];
        if (last && !same_holder(e, last) && last->balance > 0 && holders_push(h, last) != VIPA_OK)
            return VIPA_E_NOMEM;
        if (last && !same_holder(e, last))
            last = NULL;
        if (e->date <= cutoff)
            last = e;
    }
    if (last && last->balance > 0)
        return holders_push(h, last);
    return VIPA_OK;
}

static int dues_push(vipa_ledger *ledger, size_t *capacity, const share_event *holder, int year,
                     vipa_fen due)
{
    if (grow(&ledger->alloc, &ledger->dividend_dues, capacity, ledger->dividend_due_count + 1,
             sizeof *ledger->dividend_dues) != VIPA_OK)
        return VIPA_E_NOMEM;
    dividend_due d = {due, holder->holder, (uint16_t)year};
    ledger->dividend_dues[ledger->dividend_due_count++] = d;
    return VIPA_OK;
}

/* The dues of one dividend: a rate on each holding (half away from zero), or the pool
 * split exactly by holdings, ties to the lower (kind, id). */
static int dividend_dues_of(vipa_ledger *ledger, const dividend_rec *d, holders *h,
                            size_t *capacity)
{
    uint32_t entity = vipa__key_index(d->key);
    int year = vipa__key_year(d->key);
    if (holders_at(ledger, entity, (vipa_date)(year * 10000 + 1231), h) != VIPA_OK)
        return VIPA_E_NOMEM;
    if (h->count == 0)
        return VIPA_OK; /* nobody holds shares: nothing is due */
    int pool = d->rate_bp < 0;
    if (pool && vipa__split_into(h->parts, d->pool, h->weights, h->count, h->slots) != VIPA_OK)
        return VIPA_E_INVALID; /* cannot happen: every weight is positive */
    for (size_t k = 0; k < h->count; k++) {
        vipa_fen due = pool ? h->parts[k] : 0;
        if (!pool && vipa_fen_mul_bp(&due, h->items[k].balance, d->rate_bp) != VIPA_OK)
            return vipa__fail(ledger->ctx, VIPA_E_OVERFLOW, "entity %llu: the %d dividend of "
                              "%ld bp on the %s shares of %s does not fit in int64 fen",
                              (unsigned long long)ledger->ctx->entities.items[entity].id, year,
                              (long)d->rate_bp, vipa__yuan(h->items[k].balance).s,
                              holder_word_name(ledger->ctx, h->items[k].holder).s);
        if (dues_push(ledger, capacity, &h->items[k], year, due) != VIPA_OK)
            return VIPA_E_NOMEM;
    }
    return VIPA_OK;
}

/* Within an entity's range: (holder kind, holder id, year). */
static int by_due(const void *a, const void *b, void *context)
{
    const dividend_due *x = a, *y = b;
    int c = vipa__holder_compare(context, x->holder, y->holder);
    if (c != 0)
        return c;
    return (x->year > y->year) - (x->year < y->year);
}

/* The dividends in entity order (entity index << 32 | dividend index; input order within
 * an entity), so each entity's dues are made as one range and need not say their entity. */
static uint64_t *dividends_by_entity(const vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    uint64_t *order = vipa__malloc(&ledger->alloc, (ctx->dividends.count + 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < ctx->dividends.count; i++)
        order[i] = (uint64_t)vipa__key_index(ctx->dividends.items[i].key) << 32 | i;
    if (!vipa__is_sorted(order, ctx->dividends.count, sizeof *order, compare_u64))
        qsort(order, ctx->dividends.count, sizeof *order, compare_u64);
    return order;
}

/* Makes every entity's dues, entity by entity, and marks where each entity's begin. */
static int make_dues(vipa_ledger *ledger, const uint64_t *order)
{
    const vipa_ctx *ctx = ledger->ctx;
    holders h = {.alloc = &ledger->alloc};
    size_t capacity = 0;
    int rc = VIPA_OK;
    for (size_t k = 0; k < ctx->dividends.count && rc == VIPA_OK; k++) {
        rc = dividend_dues_of(ledger, &ctx->dividends.items[(uint32_t)order[k]], &h, &capacity);
        ledger->dues_of_entity[(order[k] >> 32) + 1] = ledger->dividend_due_count;
    }
    holders_free(&h);
    return rc;
}

/* Each entity's dues are a range of the sorted dues: a lookup searches only its own. */
static void sort_dues_of_each_entity(vipa_ledger *ledger)
{
    size_t *first = ledger->dues_of_entity;
    for (size_t e = 0; e < ledger->ctx->entities.count; e++) {
        if (first[e + 1] < first[e])
            first[e + 1] = first[e]; /* an entity without dues */
        size_t n = first[e + 1] - first[e];
        if (n < 2)
            continue; /* nothing to order; dividend_dues may even be NULL (no dues) */
        dividend_due *items = ledger->dividend_dues + first[e];
        if (!vipa__is_sorted_by(items, n, sizeof *items, by_due, ledger))
            vipa__sort(&ledger->alloc, items, n, sizeof *items, by_due, ledger);
    }
}

static int build_dues(vipa_ledger *ledger)
{
    const vipa_ctx *ctx = ledger->ctx;
    ledger->dues_of_entity = vipa__calloc(&ledger->alloc, ctx->entities.count + 1,
                                          sizeof *ledger->dues_of_entity);
    uint64_t *order = ledger->dues_of_entity ? dividends_by_entity(ledger) : NULL;
    int rc = order ? make_dues(ledger, order) : VIPA_E_NOMEM;
    vipa__free(&ledger->alloc, order);
    if (rc == VIPA_E_OVERFLOW)
        return rc; /* the message is set */
    if (rc != VIPA_OK)
        return vipa__fail(ledger->ctx, rc, "ledger: %s computing the dividends due (二(三))",
                          rc == VIPA_E_NOMEM ? "out of memory" : vipa_strerror(rc));
    sort_dues_of_each_entity(ledger);
    return VIPA_OK;
}

/* ---- building and freeing ------------------------------------------------------------------ */

int vipa__equity_build(vipa_ledger *ledger)
{
    ledger->households_by_id = (uint8_t)households_in_id_order(ledger->ctx);
    int rc = build_allocations(ledger);
    if (rc == VIPA_OK)
        rc = build_events(ledger);
    if (rc == VIPA_OK)
        rc = build_dues(ledger);
    if (rc == VIPA_OK)
        rc = vipa__agreed_dues_build(ledger);
    if (rc != VIPA_OK)
        return rc;
    /* Disqualification is decided by the year run (四(五)); a new ledger knows of none. */
    ledger->disqualified_from = vipa__calloc(&ledger->alloc, ledger->ctx->entities.count + 1,
                                             sizeof *ledger->disqualified_from);
    if (!ledger->disqualified_from)
        return vipa__fail(ledger->ctx, VIPA_E_NOMEM, "ledger: out of memory");
    return VIPA_OK;
}

void vipa__equity_free(vipa_ledger *ledger)
{
    if (!ledger)
        return;
    vipa__free(&ledger->alloc, ledger->allocations);
    vipa__free(&ledger->alloc, ledger->events);
    vipa__free(&ledger->alloc, ledger->dividend_dues);
    vipa__free(&ledger->alloc, ledger->dues_of_entity);
    vipa__free(&ledger->alloc, ledger->agreed_dues);
    ledger->agreed_dues = NULL;
    ledger->agreed_due_count = 0;
    vipa__free(&ledger->alloc, ledger->disqualified_from);
    ledger->allocations = NULL;
    ledger->events = NULL;
    ledger->dividend_dues = NULL;
    ledger->dues_of_entity = NULL;
    ledger->disqualified_from = NULL;
    ledger->allocation_count = ledger->event_count = ledger->dividend_due_count = 0;
}

/* ---- queries ---------------------------------------------------------------------------- */

/* Compares an event with a (entity, holder, date) key. */
static int event_vs_key(const vipa_ledger *ledger, const share_event *e, uint32_t entity,
                        vipa__holder holder, vipa_date date)
{
    if (e->entity != entity)
        return e->entity < entity ? -1 : 1;
    int c = vipa__holder_compare(ledger, e->holder, holder);
    if (c != 0)
        return c;
    return (e->date > date) - (e->date < date);
}

vipa_fen vipa__equity_holding(const vipa_ledger *ledger, uint32_t entity, vipa__holder holder,
                              vipa_date date)
{
    /* The first event after the key; the one before it, if the holder's, is the last
     * change on or before the day and carries the balance at its end. */
    size_t lo = 0, hi = ledger->event_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (event_vs_key(ledger, &ledger->events[mid], entity, holder, date) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return 0;
    const share_event *e = &ledger->events[lo - 1];
    return e->entity == entity && e->holder == holder ? e->balance : 0;
}

size_t vipa__equity_dividend_due_index(const vipa_ledger *ledger, uint32_t entity,
                                       uint32_t household, int year)
{
    if (!vipa__year_is_valid(year))
        return SIZE_MAX;
    dividend_due key = {0, vipa__holder_make(VIPA_HOLDER_HOUSEHOLD, household), (uint16_t)year};
    /* by_due's order within the entity's range. Unless households are in id order, each
     * comparison reads a household's id at random (a cache miss at 10^6): the search
     * narrows by comparisons only to DUE_SCAN dues, then scans them for the pair itself,
     * which needs no id (a household's holder and a year are the pair: ids are unique).
     * The lower bound of the key lies in [lo, hi]; a match, the first if repeated, is
     * there (issue #16: a third of the searches' time at 10^6). */
    enum { DUE_SCAN = 16 };
    void *context = (void *)ledger; /* by_due only reads it */
    size_t lo = ledger->dues_of_entity[entity], end = ledger->dues_of_entity[entity + 1];
    size_t hi = end;
    while (hi - lo > DUE_SCAN) {
        size_t mid = lo + (hi - lo) / 2;
        if (by_due(&ledger->dividend_dues[mid], &key, context) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t at = lo; at <= hi && at < end; at++) {
        const dividend_due *d = &ledger->dividend_dues[at];
        if (d->holder == key.holder && d->year == key.year)
            return at;
    }
    return SIZE_MAX;
}

vipa_fen vipa__equity_dividend_due(const vipa_ledger *ledger, uint32_t entity, uint32_t household,
                                   int year)
{
    size_t at = vipa__equity_dividend_due_index(ledger, entity, household, year);
    return at == SIZE_MAX ? 0 : ledger->dividend_dues[at].due;
}

/* ---- checks: EQUITY_POOR_SHARE (三(二)) and DISQUALIFIED_NO_SUPPORT (四(五)) ---------------- */

/* The allocations of an injection (id): a range of the id-ordered allocations. */
static size_t first_allocation_of(const vipa_ledger *ledger, vipa_id id)
{
    const injection_rec *items = ledger->ctx->injections.items;
    size_t lo = 0, hi = ledger->allocation_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (items[ledger->allocations[mid].injection].id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int poor_share_finding(vipa_findings *list, const injection_rec *in, vipa__msg what,
                              vipa_fen expected, vipa_fen actual)
{
    vipa__finding_in f = {VIPA_RULE_EQUITY_POOR_SHARE, VIPA_SEVERITY_ERROR,
                          VIPA_SUBJECT_INJECTION, in->id, vipa__year_of(in->date),
                          vipa__yuan(expected).s, vipa__yuan(actual).s};
    return VIPA__FINDING(list, &f, F_POOR_SHARE, (unsigned long long)in->id,
                         vipa__yuan(in->amount).s, vipa__day(in->date).s, VIPA__TERM(what),
                         f.actual, f.expected);
}

/* Recomputes the poor share without the construction's helpers: households' parts must
 * sum to trunc(amount × bp / 10000) and all parts to the amount. It guards the build. */
static int check_poor_share(const vipa_ledger *ledger, uint32_t i, vipa_findings *list)
{
    const injection_rec *in = &ledger->ctx->injections.items[i];
    vipa_bp bp = ledger->ctx->profile.poor_share_bp;
    vipa_fen poor = (vipa_fen)((vipa__i128)in->amount * bp / BP_WHOLE);
    vipa__i128 households = 0, all = 0;
    for (size_t k = first_allocation_of(ledger, in->id);
         k < ledger->allocation_count && ledger->allocations[k].injection == i; k++) {
        all += ledger->allocations[k].amount;
        if (vipa__holder_kind(ledger->allocations[k].holder) == VIPA_HOLDER_HOUSEHOLD)
            households += ledger->allocations[k].amount;
    }
    int rc = VIPA_OK;
    if (households != poor)
        rc = poor_share_finding(list, in, VIPA__MSG_T_HOUSEHOLDS_SHARES, poor, (vipa_fen)households);
    if (rc == VIPA_OK && all != in->amount)
        rc = poor_share_finding(list, in, VIPA__MSG_T_ALL_ALLOCATIONS, in->amount, (vipa_fen)all);
    return rc;
}

static int check_disqualified(const vipa_ledger *ledger, uint32_t i, vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    const injection_rec *in = &ctx->injections.items[i];
    vipa_date from = ledger->disqualified_from[in->entity];
    if (from == 0 || in->date < from)
        return VIPA_OK;
    const entity_rec *e = &ctx->entities.items[in->entity];
    vipa__finding_in f = {VIPA_RULE_DISQUALIFIED_NO_SUPPORT, VIPA_SEVERITY_ERROR,
                          VIPA_SUBJECT_INJECTION, in->id, vipa__year_of(in->date), NULL, NULL};
    return VIPA__FINDING(list, &f, F_DISQUALIFIED_INJECTION, (unsigned long long)in->id,
                         vipa__yuan(in->amount).s, vipa__day(in->date).s,
                         (unsigned long long)e->id, vipa__arena_get(&ctx->text, e->name),
                         vipa__day(from).s);
}

int vipa__equity_check(const vipa_ledger *ledger, int year, vipa_findings *list)
{
    const vipa_ctx *ctx = ledger->ctx;
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->injections.count && rc == VIPA_OK; i++) {
        if (year != 0 && vipa__year_of(ctx->injections.items[i].date) != year)
            continue;
        rc = check_poor_share(ledger, (uint32_t)i, list);
        if (rc == VIPA_OK)
            rc = check_disqualified(ledger, (uint32_t)i, list);
    }
    return rc; /* the list's own code: VIPA_E_NOMEM, or VIPA_E_LIMIT past its text's bound */
}

/* ---- public accessors: read the ledger, never write the context ------------------------------ */

/* The index of a holder named by its id, or VIPA_NO_INDEX when it is not in the context
 * or is another entity than the one held (an entity holds only its own shares). */
static uint32_t holder_index_of(const vipa_ctx *ctx, uint32_t entity, vipa_holder_kind kind,
                                uint64_t id)
{
    if (kind == VIPA_HOLDER_HOUSEHOLD)
        return VIPA_TABLE_FIND(ctx->households, id);
    if (kind == VIPA_HOLDER_COLLECTIVE)
        return vipa__area_find(ctx, id);
    return id == ctx->entities.items[entity].id ? entity : VIPA_NO_INDEX;
}

int vipa_ledger_holding(vipa_fen *shares, const vipa_ledger *ledger, vipa_id entity,
                        vipa_holder_kind kind, uint64_t holder, vipa_date date)
{
    int k = (int)kind;
    if (!shares || !ledger || k < VIPA_HOLDER_HOUSEHOLD || k > VIPA_HOLDER_ENTITY ||
        !vipa_date_is_valid(date))
        return VIPA_E_INVALID;
    uint32_t e = VIPA_TABLE_FIND(ledger->ctx->entities, entity);
    if (e == VIPA_NO_INDEX)
        return VIPA_E_NOT_FOUND;
    uint32_t index = holder_index_of(ledger->ctx, e, kind, holder);
    *shares = index == VIPA_NO_INDEX
                  ? 0 /* holds nothing: no event names it */
                  : vipa__equity_holding(ledger, e, vipa__holder_make((unsigned)kind, index), date);
    return VIPA_OK;
}

size_t vipa_ledger_allocation_count(const vipa_ledger *ledger)
{
    return ledger ? ledger->allocation_count : 0;
}

int vipa_ledger_allocation(vipa_id *injection, vipa_holder_kind *kind, uint64_t *holder,
                           vipa_fen *amount, const vipa_ledger *ledger, size_t i)
{
    if (!injection || !kind || !holder || !amount || !ledger)
        return VIPA_E_INVALID;
    if (i >= ledger->allocation_count)
        return VIPA_E_RANGE;
    const allocation_rec *a = &ledger->allocations[i];
    *injection = ledger->ctx->injections.items[a->injection].id;
    *kind = (vipa_holder_kind)vipa__holder_kind(a->holder);
    *holder = vipa__holder_id(ledger->ctx, a->holder);
    *amount = a->amount;
    return VIPA_OK;
}

int vipa_ledger_dividend_due(vipa_fen *due, const vipa_ledger *ledger, vipa_id entity,
                             vipa_id household, int year)
{
    if (!due || !ledger)
        return VIPA_E_INVALID;
    uint32_t e = VIPA_TABLE_FIND(ledger->ctx->entities, entity);
    uint32_t h = VIPA_TABLE_FIND(ledger->ctx->households, household);
    if (e == VIPA_NO_INDEX || h == VIPA_NO_INDEX)
        return VIPA_E_NOT_FOUND;
    *due = vipa__dividend_due(ledger, e, h, year);
    return VIPA_OK;
}
