/*
 * The run module's reproducibility stamp of a result: library version, profile, the SHA-256 of the
 * profile's parameters, and the SHA-256 of the input records in canonical order (so
 * the same records added in another order hash the same). SHA-256 is libmd's.
 *
 * Canonical order: each record kind, in the order of VIPA_RECORD_KINDS, becomes fixed
 * rows of up to seven big-endian 64-bit fields holding ids (never indexes), sorted
 * bytewise; then each row is hashed, followed by its variable parts (texts, household
 * lists) in a fixed form.
 */
#include <sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

enum { FIELDS = 7, ROW_BYTES = 64, KEY_BYTES = FIELDS * 8 };

static void to_hex(const uint8_t digest[SHA256_DIGEST_LENGTH], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        hex[(size_t)2 * i] = digits[digest[i] >> 4];
        hex[(size_t)2 * i + 1] = digits[digest[i] & 15];
    }
    hex[64] = '\0';
}

void vipa__sha256_hex(const void *data, size_t length, char hex[65])
{
    SHA2_CTX sha;
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256Init(&sha);
    SHA256Update(&sha, data, length);
    SHA256Final(digest, &sha);
    to_hex(digest, hex);
}

static void put_u64(uint8_t *out, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        out[i] = (uint8_t)v;
}

static void feed_u64(SHA2_CTX *sha, uint64_t v)
{
    uint8_t bytes[8];
    put_u64(bytes, v);
    SHA256Update(sha, bytes, sizeof bytes);
}

/* A text as its length and bytes, so "ab"+"c" and "a"+"bc" differ; NULL as length 2^64-1. */
static void feed_text(SHA2_CTX *sha, const char *text)
{
    feed_u64(sha, text ? strlen(text) : UINT64_MAX);
    if (text)
        SHA256Update(sha, (const uint8_t *)text, strlen(text));
}

/* ---- the profile ------------------------------------------------------------------------- */

static void profile_sha256(vipa_result *r)
{
    const vipa__profile *p = &r->ctx->profile;
    SHA2_CTX sha;
    SHA256Init(&sha);
    char line[96];
    int n = snprintf(line, sizeof line,
                     "profile=%s\nequity.poor_share_bp=%d\nequity.allocation=%s\n", p->name,
                     (int)p->poor_share_bp,
                     vipa__word(VIPA_VOCAB_PROFILE_ALLOCATION, (int)p->allocation));
    SHA256Update(&sha, (const uint8_t *)line, (size_t)n);
    n = snprintf(line, sizeof line, "equity.remainder_holder=%s\nexit.require_guarantees=%s\n",
                 vipa__word(VIPA_VOCAB_REMAINDER_HOLDER, (int)p->remainder_holder),
                 p->require_guarantees ? "true" : "false");
    SHA256Update(&sha, (const uint8_t *)line, (size_t)n);
    for (size_t i = 0; i < p->line_count; i++) {
        char yuan[VIPA_FEN_FORMAT_SIZE];
        vipa_fen_format(yuan, sizeof yuan, p->lines[i].per_person);
        n = snprintf(line, sizeof line, "poverty_line.%d=%s\n", (int)p->lines[i].year, yuan);
        SHA256Update(&sha, (const uint8_t *)line, (size_t)n);
    }
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256Final(digest, &sha);
    to_hex(digest, r->profile_sha256);
}

/* ---- rows of each record kind -------------------------------------------------------------- */

typedef void (*row_fn)(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS]);
typedef int (*extra_fn)(const vipa_ctx *ctx, size_t i, SHA2_CTX *sha);

/* How a kind's records are hashed (<singular>_stamp, one per kind of VIPA_RECORD_KINDS):
 * its fixed row, then its variable parts (texts, household lists) or NULL. */
typedef struct stamp_kind {
    row_fn row;
    extra_fn extra;
} stamp_kind;

static void area_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    f[0] = ctx->areas.items[i].code;
    f[1] = ctx->areas.items[i].level;
}

static int area_texts(const vipa_ctx *ctx, size_t i, SHA2_CTX *sha)
{
    feed_text(sha, vipa__arena_get(&ctx->text, ctx->areas.items[i].name));
    feed_text(sha, vipa__arena_get(&ctx->text, ctx->areas.items[i].industry));
    return VIPA_OK;
}

static const stamp_kind area_stamp = {area_fields, area_texts};

static void entity_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const entity_rec *e = &ctx->entities.items[i];
    f[0] = e->id;
    f[1] = e->kind;
    f[2] = e->core_village;
    f[3] = e->selection;
}

static int entity_texts(const vipa_ctx *ctx, size_t i, SHA2_CTX *sha)
{
    const entity_rec *e = &ctx->entities.items[i];
    feed_text(sha, vipa__arena_get(&ctx->text, e->name));
    feed_text(sha, vipa__arena_get(&ctx->text, e->industry));
    feed_text(sha, vipa__arena_get(&ctx->text, e->uscc));
    return VIPA_OK;
}

static const stamp_kind entity_stamp = {entity_fields, entity_texts};

static void household_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const household_rec *h = &ctx->households.items[i];
    f[0] = h->id;
    f[1] = ctx->areas.items[h->village].code;
    f[2] = (uint64_t)h->members << 8 | h->labour;
    f[3] = (uint64_t)h->cause << 8 | h->willing;
    f[4] = h->exited_year;
}

static const stamp_kind household_stamp = {household_fields, NULL};

static void assured_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const assured_rec *a = &ctx->assured.items[i];
    f[0] = vipa__household_id(ctx, vipa__key_index(vipa__assured_key(a)));
    f[1] = (uint64_t)vipa__key_year(vipa__assured_key(a));
    f[2] = vipa__assured_items(a);
}

static const stamp_kind assured_stamp = {assured_fields, NULL};

static void agreement_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const agreement_rec *a = &ctx->agreements.items[i];
    f[0] = a->id;
    f[1] = vipa__entity_id(ctx, a->entity);
    f[2] = (uint64_t)a->household_count;
    f[3] = (uint64_t)a->project_count << 32 | a->support_count;
    f[4] = (uint64_t)(uint32_t)a->start << 32 | (uint32_t)a->end;
    f[5] = (uint64_t)(uint32_t)a->signed_on << 32 | (uint32_t)a->exit_deadline;
    f[6] = (uint64_t)a->signer_level << 56 | a->signer_area;
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* An agreement's households as sorted ids: its slice is sorted by index, not by id. */
static int agreement_households(const vipa_ctx *ctx, size_t i, SHA2_CTX *sha)
{
    const agreement_rec *a = &ctx->agreements.items[i];
    uint64_t *ids = vipa__calloc(&ctx->alloc, (size_t)a->household_len + 1, sizeof *ids);
    if (!ids)
        return VIPA_E_NOMEM;
    for (uint32_t k = 0; k < a->household_len; k++)
        ids[k] = vipa__household_id(ctx, ctx->agreement_households[a->first_household + k]);
    qsort(ids, a->household_len, sizeof *ids, by_id);
    feed_u64(sha, a->household_len);
    for (uint32_t k = 0; k < a->household_len; k++)
        feed_u64(sha, ids[k]);
    vipa__free(&ctx->alloc, ids);
    /* Since 0.2: the agreed dividend rate and the support measures' texts. */
    feed_u64(sha, (uint64_t)(uint32_t)a->dividend_bp);
    feed_u64(sha, a->support_len);
    for (uint32_t k = 0; k < a->support_len; k++)
        feed_text(sha, vipa__arena_get(&ctx->text,
                                       ctx->agreement_support.items[a->first_support + k]));
    return VIPA_OK;
}

static const stamp_kind agreement_stamp = {agreement_fields, agreement_households};

static void plan_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const plan_rec *p = &ctx->plans.items[i];
    f[0] = vipa__household_id(ctx, vipa__plan_household(p));
    f[1] = vipa__agreement_id(ctx, vipa__plan_agreement(p));
    f[2] = (uint64_t)(uint32_t)p->exit_target;
    f[3] = (uint64_t)p->industry_count << 32 | p->measure_count;
    f[4] = (uint64_t)p->person_task_count << 8 | p->filed;
}

static int plan_tasks(const vipa_ctx *ctx, size_t i, SHA2_CTX *sha)
{
    const plan_rec *p = &ctx->plans.items[i];
    feed_u64(sha, p->task_len);
    for (uint32_t k = 0; k < p->task_len; k++) {
        const plan_task_rec *t = &ctx->plan_tasks[p->first_task + k];
        feed_u64(sha, (uint64_t)(uint32_t)t->year << 8 | t->has_income);
        feed_u64(sha, (uint64_t)t->income);
    }
    return VIPA_OK;
}

static const stamp_kind plan_stamp = {plan_fields, plan_tasks};

static void linkage_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const linkage_rec *l = &ctx->linkages.items[i];
    f[0] = l->id;
    f[1] = l->kind;
    f[2] = vipa__household_id(ctx, l->household);
    f[3] = vipa__agreement_id(ctx, l->agreement);
    f[4] = (uint64_t)l->from_year << 16 | l->to_year;
    f[5] = (uint64_t)l->amount;
    f[6] = l->units;
}

static const stamp_kind linkage_stamp = {linkage_fields, NULL};

static void injection_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const injection_rec *in = &ctx->injections.items[i];
    f[0] = in->id;
    f[1] = vipa__entity_id(ctx, in->entity);
    f[2] = vipa__agreement_id(ctx, in->agreement);
    f[3] = (uint32_t)in->date;
    f[4] = (uint64_t)in->amount;
    f[5] = in->allocation;
    f[6] = in->household_len;
}

/* Its own households as given, with their weights (the order pairs them). */
static int injection_households(const vipa_ctx *ctx, size_t i, SHA2_CTX *sha)
{
    const injection_rec *in = &ctx->injections.items[i];
    for (uint32_t k = 0; k < in->household_len; k++) {
        uint32_t h = ctx->injection_households.items[in->first_household + k];
        feed_u64(sha, vipa__household_id(ctx, h));
        if (in->allocation == VIPA_ALLOCATION_WEIGHTS)
            feed_u64(sha, ctx->injection_weights.items[in->first_weight + k]);
    }
    return VIPA_OK;
}

static const stamp_kind injection_stamp = {injection_fields, injection_households};

static void contribution_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const contribution_rec *c = &ctx->contributions.items[i];
    f[0] = vipa__household_id(ctx, c->household);
    f[1] = vipa__entity_id(ctx, c->entity);
    f[2] = vipa__agreement_id(ctx, c->agreement);
    f[3] = c->kind;
    f[4] = (uint64_t)c->value;
    f[5] = (uint32_t)c->date;
}

static const stamp_kind contribution_stamp = {contribution_fields, NULL};

static void transfer_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const transfer_rec *t = &ctx->transfers.items[i];
    f[0] = vipa__entity_id(ctx, t->entity);
    f[1] = (uint32_t)t->date;
    f[2] = t->from_kind;
    f[3] = t->from_id;
    f[4] = t->to_kind;
    f[5] = t->to_id;
    f[6] = (uint64_t)t->amount;
}

static const stamp_kind transfer_stamp = {transfer_fields, NULL};

static void dividend_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const dividend_rec *d = &ctx->dividends.items[i];
    f[0] = vipa__entity_id(ctx, vipa__key_index(d->key));
    f[1] = (uint64_t)vipa__key_year(d->key);
    f[2] = (uint64_t)(int64_t)d->rate_bp;
    f[3] = (uint64_t)d->pool;
}

static const stamp_kind dividend_stamp = {dividend_fields, NULL};

static void payment_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const payment_rec *p = &ctx->payments.items[i];
    f[0] = (uint64_t)vipa__payment_is_dividend(p);
    f[1] = vipa__payment_under_id(ctx, p);
    f[2] = vipa__household_id(ctx, vipa__payment_household(ctx, p));
    f[3] = (uint64_t)vipa__payment_year(p);
    f[4] = (uint32_t)vipa__payment_date(p);
    f[5] = (uint64_t)p->amount;
}

static const stamp_kind payment_stamp = {payment_fields, NULL};

static void income_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const income_rec *in = &ctx->incomes.items[i];
    f[0] = vipa__household_id(ctx, vipa__key_index(in->key));
    f[1] = (uint64_t)vipa__key_year(in->key);
    f[2] = (uint64_t)in->other;
}

static const stamp_kind income_stamp = {income_fields, NULL};

static void evaluation_fields(const vipa_ctx *ctx, size_t i, uint64_t f[FIELDS])
{
    const evaluation_rec *e = &ctx->evaluations.items[i];
    f[0] = (uint64_t)(uint32_t)e->year;
    f[1] = (uint32_t)e->date;
    f[2] = e->recheck;
}

static const stamp_kind evaluation_stamp = {evaluation_fields, NULL};

/* ---- hashing a kind ---------------------------------------------------------------------- */

/* Rows compared bytewise, by their indexes (the sort's context is the rows). */
static int by_row(const void *a, const void *b, void *context)
{
    const uint8_t *rows = context;
    return memcmp(rows + (size_t)*(const uint32_t *)a * KEY_BYTES,
                  rows + (size_t)*(const uint32_t *)b * KEY_BYTES, KEY_BYTES);
}

/* The kind's rows are written once and their indexes sorted (stably: equal rows keep the
 * records' order, in which their variable parts are hashed), not rows carrying their
 * index sorted whole: at 4 million payments that is 224 MB of rows and 16 MB of order
 * (issue #16), against 256 MB of rows and the 64 MB of pointers qsort sorted them by. */
static int hash_kind(const vipa_ctx *ctx, SHA2_CTX *sha, const char *tag, size_t count,
                     const stamp_kind *how)
{
    uint8_t *rows = vipa__calloc(&ctx->alloc, count + 1, KEY_BYTES);
    uint32_t *order = vipa__malloc(&ctx->alloc, (count + 1) * sizeof *order);
    int rc = rows && order ? VIPA_OK : VIPA_E_NOMEM;
    for (size_t i = 0; rc == VIPA_OK && i < count; i++) {
        uint64_t f[FIELDS] = {0};
        how->row(ctx, i, f);
        for (int k = 0; k < FIELDS; k++)
            put_u64(rows + i * KEY_BYTES + (size_t)k * 8, f[k]);
        order[i] = (uint32_t)i; /* count <= VIPA_RECORDS_MAX < 2^32 */
    }
    if (rc == VIPA_OK) {
        vipa__sort(&ctx->alloc, order, count, sizeof *order, by_row, rows);
        feed_text(sha, tag);
        feed_u64(sha, count);
    }
    for (size_t i = 0; rc == VIPA_OK && i < count; i++) {
        SHA256Update(sha, rows + (size_t)order[i] * KEY_BYTES, KEY_BYTES);
        if (how->extra && how->extra(ctx, order[i], sha) != VIPA_OK)
            rc = VIPA_E_NOMEM;
    }
    vipa__free(&ctx->alloc, order);
    vipa__free(&ctx->alloc, rows);
    return rc;
}
_Static_assert(VIPA_RECORDS_MAX <= UINT32_MAX, "a record's index fits the hash's order");

int vipa__input_sha256(const vipa_ctx *c, char hex[65])
{
    /* Every kind in the list's order, which the digests depend on: {"areas", count, how}. */
    const struct {
        const char *tag;
        size_t count;
        const stamp_kind *how;
    } kinds[] = {
#define STAMP_KIND(plural, singular, ...) {#plural, c->plural.count, &singular##_stamp},
        VIPA_RECORD_KINDS(STAMP_KIND)
#undef STAMP_KIND
    };
    SHA2_CTX sha;
    SHA256Init(&sha);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (hash_kind(c, &sha, kinds[k].tag, kinds[k].count, kinds[k].how))
            return VIPA_E_NOMEM;
    feed_text(&sha, "as_of"); /* the day the data were taken decides what is complete */
    feed_u64(&sha, (uint64_t)(uint32_t)c->as_of);
    uint8_t digest[SHA256_DIGEST_LENGTH];
    SHA256Final(digest, &sha);
    to_hex(digest, hex);
    return VIPA_OK;
}

void vipa__stamp(vipa_result *r, const char *input_sha256)
{
    snprintf(r->library, sizeof r->library, "%s", vipa_version_string());
    snprintf(r->profile, sizeof r->profile, "%s", r->ctx->profile.name);
    profile_sha256(r);
    snprintf(r->input_sha256, sizeof r->input_sha256, "%s", input_sha256);
}
