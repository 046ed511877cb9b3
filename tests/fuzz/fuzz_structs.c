/*
 * libFuzzer target: versioned record structs of every version through the C API (issue
 * #15). A program built against an older header passes arrays of its older, shorter
 * structs; the library must read them by their own stride, never past them, and load them
 * exactly as the equivalent current structs.
 *
 * The input bytes become batches of agreements (the one kind with two versions), each
 * given in a random version layout — version 1 packed at its own size in a buffer no
 * larger than the batch, or version 2 — sometimes with one record of another version, 0
 * or one newer than the library. Invariants, each an abort() with a line on stderr:
 *   - a batch in the version-1 layout loads into context A exactly as its current
 *     equivalent (no support texts, no dividend rate) loads into context B: same status,
 *     and after every batch the two contexts export the same bytes;
 *   - a batch whose records disagree on their version is refused with VIPA_E_VERSION and
 *     changes nothing;
 *   - vipa_agreement_init() of version v writes that version's bytes and not one more.
 * The version-1 buffers are heap blocks of exactly n × the version-1 size, so ASan sees
 * any read past them.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vipa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_structs: invariant broken: %s\n", what);
        abort();
    }
}

typedef struct input {
    const uint8_t *data;
    size_t size, at;
} input;

static uint8_t u8(input *in)
{
    return in->at < in->size ? in->data[in->at++] : 0;
}

/* The version-1 agreement: everything before `support`. */
#define V1_SIZE offsetof(vipa_agreement, support)
enum { BATCH_MAX = 8, HOUSEHOLDS = 6 };

static const vipa_area_code county = 611002000000u, town = 611002001000u,
                            village = 611002001204u;

/* A world agreements can refer to: three levels of areas, two entities, six households. */
static vipa_ctx *new_world(void)
{
    vipa_ctx *ctx = NULL;
    check(vipa_ctx_new(&ctx, NULL) == VIPA_OK, "context");
    vipa_area areas[3] = {VIPA_AREA_INIT, VIPA_AREA_INIT, VIPA_AREA_INIT};
    const vipa_area_code codes[3] = {county, town, village};
    const vipa_area_level levels[3] = {VIPA_AREA_COUNTY, VIPA_AREA_TOWN, VIPA_AREA_VILLAGE};
    for (int i = 0; i < 3; i++) {
        areas[i].code = codes[i];
        areas[i].level = levels[i];
        areas[i].name = "杏树园村";
    }
    check(vipa_ctx_add_areas(ctx, areas, 3) == VIPA_OK, "areas");
    vipa_entity e[2] = {VIPA_ENTITY_INIT, VIPA_ENTITY_INIT};
    for (int i = 0; i < 2; i++) {
        e[i].id = (vipa_id)i + 1;
        e[i].name = "合作社";
        e[i].kind = VIPA_ENTITY_COOPERATIVE;
        e[i].industry = "walnut";
        e[i].core_village = village;
    }
    check(vipa_ctx_add_entities(ctx, e, 2) == VIPA_OK, "entities");
    vipa_household h[HOUSEHOLDS];
    for (int i = 0; i < HOUSEHOLDS; i++) {
        h[i] = (vipa_household)VIPA_HOUSEHOLD_INIT;
        h[i].id = 1001 + (vipa_id)i;
        h[i].village = village;
        h[i].members = 1 + i % 4;
        h[i].cause = VIPA_CAUSE_ILLNESS;
        h[i].willing = 1;
    }
    check(vipa_ctx_add_households(ctx, h, HOUSEHOLDS) == VIPA_OK, "households");
    return ctx;
}

static char *export_of(vipa_ctx *ctx, size_t *length)
{
    char *json = NULL;
    check(vipa_scenario_export(&json, length, ctx, 0) == VIPA_OK, "export");
    return json;
}

static int same_export(vipa_ctx *a, vipa_ctx *b)
{
    size_t la = 0, lb = 0;
    char *ja = export_of(a, &la), *jb = export_of(b, &lb);
    int same = la == lb && memcmp(ja, jb, la) == 0;
    vipa_free(ja);
    vipa_free(jb);
    return same;
}

static vipa_date day(input *in)
{
    uint8_t b = u8(in);
    if (b >= 250)
        return b == 255 ? 0 : 20170230; /* none, or no day */
    return (2016 + b % 4) * 10000 + (1 + u8(in) % 12) * 100 + 1 + u8(in) % 28;
}

/* One agreement from the bytes; its households point into `ids` (its own row). */
static vipa_agreement agreement(input *in, vipa_id *ids)
{
    vipa_agreement a = VIPA_AGREEMENT_INIT;
    a.id = 1 + u8(in) % 12;
    a.entity = 1 + u8(in) % 3; /* 3: unknown */
    a.household_len = u8(in) % 4;
    for (size_t k = 0; k < a.household_len; k++)
        ids[k] = 1001 + u8(in) % (HOUSEHOLDS + 1);
    a.households = a.household_len ? ids : NULL;
    a.household_count = (int64_t)(u8(in) % 6) - 1;
    a.project_count = u8(in) % 3;
    a.support_count = u8(in) % 3;
    a.start = day(in);
    a.end = day(in);
    a.exit_deadline = u8(in) < 128 ? 0 : 2016 + u8(in) % 6;
    a.signed_on = day(in);
    a.signer_level = (vipa_signer_level)(u8(in) % 5);
    a.signer_area = a.signer_level == VIPA_SIGNER_VILLAGE ? village
                    : a.signer_level == VIPA_SIGNER_TOWN  ? town
                    : a.signer_level == VIPA_SIGNER_COUNTY ? county
                                                           : 0;
    return a;
}

/* The version-1 layout of a batch: n records of V1_SIZE bytes, in a block of exactly
 * that size. */
static unsigned char *pack_v1(const vipa_agreement *a, size_t n)
{
    unsigned char *block = malloc(n * V1_SIZE);
    check(block != NULL, "memory");
    for (size_t i = 0; i < n; i++) {
        vipa_agreement one = a[i];
        one.version = 1;
        memcpy(block + i * V1_SIZE, &one, V1_SIZE);
    }
    return block;
}

static void batch(input *in, vipa_ctx *v1_ctx, vipa_ctx *v2_ctx)
{
    size_t n = 1 + u8(in) % BATCH_MAX;
    vipa_agreement a[BATCH_MAX];
    vipa_id ids[BATCH_MAX][4];
    static const char *const texts[] = {"贴息贷款", "产业奖补", "", NULL};
    const char *support[BATCH_MAX][3];
    for (size_t i = 0; i < n; i++)
        a[i] = agreement(in, ids[i]);
    uint8_t how = u8(in);
    if (how % 3 == 0) {
        /* Version 1 into A, the same as current structs into B. */
        unsigned char *v1 = pack_v1(a, n);
        size_t odd = u8(in) < 32 ? u8(in) % n : BATCH_MAX; /* one record of another version */
        if (odd < n) {
            /* Record 0 sets the stride, so it may only claim a version the library refuses
             * there (0, 3): claiming 2 over version-1 bytes is a caller's lie it cannot
             * see. A later record may claim 2. */
            unsigned int other = odd == 0 ? (u8(in) % 2 ? 3 : 0) : (u8(in) % 2 ? 2 : 0);
            memcpy(v1 + odd * V1_SIZE, &other, sizeof other);
        }
        int rc1 = vipa_ctx_add_agreements(v1_ctx, (const vipa_agreement *)(void *)v1, n);
        free(v1);
        if (odd < n) {
            check(rc1 == VIPA_E_VERSION, "a batch of an unknown or mixed version is refused");
            check(same_export(v1_ctx, v2_ctx), "a refused batch changes nothing");
            return;
        }
        int rc2 = vipa_ctx_add_agreements(v2_ctx, a, n);
        check(rc1 == rc2, "version 1 and its current equivalent load alike");
    } else {
        /* Current structs with the version-2 fields into both. */
        for (size_t i = 0; i < n; i++) {
            a[i].dividend_bp = u8(in) < 200 ? (vipa_bp)(u8(in) * 10) : -1;
            for (size_t k = 0; k < a[i].support_count; k++)
                support[i][k] = texts[u8(in) % 4];
            a[i].support = u8(in) % 2 ? support[i] : NULL;
        }
        int rc1 = vipa_ctx_add_agreements(v1_ctx, a, n);
        int rc2 = vipa_ctx_add_agreements(v2_ctx, a, n);
        check(rc1 == rc2, "the same batch loads alike");
    }
    check(same_export(v1_ctx, v2_ctx), "the two contexts hold the same agreements");
}

/* vipa_agreement_init() writes each version's bytes and no more. */
static void initialiser(input *in)
{
    unsigned int version = u8(in) % 4;
    unsigned char block[sizeof(vipa_agreement) + 8];
    memset(block, 0xEE, sizeof block);
    int rc = vipa_agreement_init((vipa_agreement *)(void *)block, version);
    size_t written = version == 1 ? V1_SIZE : version == 2 ? sizeof(vipa_agreement) : 0;
    check((rc == VIPA_OK) == (written > 0), "init accepts versions 1 and 2 only");
    for (size_t i = written; i < sizeof block; i++)
        check(block[i] == 0xEE, "init writes nothing past its version's struct");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    input in = {data, size, 0};
    vipa_ctx *a = new_world(), *b = new_world();
    while (in.at < in.size) {
        if (u8(&in) < 16)
            initialiser(&in);
        else
            batch(&in, a, b);
    }
    vipa_ctx_free(a);
    vipa_ctx_free(b);
    return 0;
}
