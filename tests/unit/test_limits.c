/*
 * The documented resource limits (docs/limits.md, issue #9): a count beyond
 * VIPA_RECORDS_MAX is refused by every add before a record is read, and the loader
 * refuses nesting beyond jansson's depth limit; each with a message naming what was
 * exceeded, and the context left as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry_internal.h" /* VIPA_RECORD_KINDS: every kind is tried */
#include "store_internal.h"
#include "vipa.h"
#include "seed_scenario.h"

/* Storage for one record of any kind: only its address is passed with a huge count,
 * so a correct add refuses before reading past it. vipa_area area; ... */
#define ONE_MEMBER(plural, singular, ...) vipa_##singular singular;
static union {
    VIPA_RECORD_KINDS(ONE_MEMBER)
} one;
#undef ONE_MEMBER

typedef int (*add_fn)(vipa_ctx *, size_t);

/* add_areas(ctx, n): vipa_ctx_add_areas(ctx, &one.area, n), ... */
#define ADDER(plural, singular, ...)                         \
    static int add_##plural(vipa_ctx *ctx, size_t n)        \
    {                                                        \
        return vipa_ctx_add_##plural(ctx, &one.singular, n); \
    }
VIPA_RECORD_KINDS(ADDER)
#undef ADDER

static const struct {
    const char *kind;
    add_fn add;
} adders[] = {
#define ADDER_ROW(plural, ...) {#plural, add_##plural},
    VIPA_RECORD_KINDS(ADDER_ROW)
#undef ADDER_ROW
};

/* A context with records of every kind and its export, to see that nothing changes. */
static vipa_ctx *seeded_ctx(char **dump)
{
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    assert_int_equal(vipa_scenario_load(ctx, seed_scenario, sizeof seed_scenario - 1, NULL),
                     VIPA_OK);
    char *json = NULL;
    size_t length = 0;
    assert_int_equal(vipa_scenario_export(&json, &length, ctx, 0), VIPA_OK);
    *dump = json;
    return ctx;
}

static void test_counts_beyond_the_maximum(void **state)
{
    (void)state;
    char *before;
    vipa_ctx *ctx = seeded_ctx(&before);
    const size_t sizes[] = {(size_t)VIPA_RECORDS_MAX + 1, SIZE_MAX / 2, SIZE_MAX};
    char limit[32];
    snprintf(limit, sizeof limit, "%u", VIPA_RECORDS_MAX);
    for (size_t k = 0; k < sizeof adders / sizeof adders[0]; k++) {
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            int rc = adders[k].add(ctx, sizes[s]);
            if (rc != VIPA_E_LIMIT)
                fail_msg("%s: %zu records gave %d (%s), not VIPA_E_LIMIT", adders[k].kind,
                         sizes[s], rc, vipa_ctx_errmsg(ctx));
            const char *msg = vipa_ctx_errmsg(ctx);
            if (!strstr(msg, adders[k].kind) || !strstr(msg, limit))
                fail_msg("%s: the message \"%s\" should name the kind and the limit",
                         adders[k].kind, msg);
        }
    }
    char *after = NULL;
    assert_int_equal(vipa_scenario_export(&after, NULL, ctx, 0), VIPA_OK);
    assert_string_equal(before, after);
    vipa_free(before);
    vipa_free(after);
    vipa_ctx_free(ctx);
}

/* An allocator that refuses any block above 64 MiB: a batch that passes the record limit
 * then fails where its room is reserved (VIPA_E_NOMEM), before a record is read, without
 * needing the gigabytes 2^27 records would take. */
enum { CAPPED_BYTES = 64 << 20 };

static void *capped_malloc(void *opaque, size_t size)
{
    (void)opaque;
    return size > CAPPED_BYTES ? NULL : malloc(size);
}

static void *capped_realloc(void *opaque, void *ptr, size_t size)
{
    (void)opaque;
    return size > CAPPED_BYTES ? NULL : realloc(ptr, size);
}

static void capped_free(void *opaque, void *ptr)
{
    (void)opaque;
    free(ptr);
}

/* How many records of each kind the context holds: counts[VIPA_KIND_AREA], ... */
static void kind_counts(const vipa_ctx *ctx, size_t counts[VIPA_KIND_COUNT])
{
    size_t k = 0;
#define COUNT_OF_KIND(plural, ...) counts[k++] = ctx->plural.count;
    VIPA_RECORD_KINDS(COUNT_OF_KIND)
#undef COUNT_OF_KIND
}

/* The limit is 2^27 - 1 = 134,217,727 (raised from 10^8 for the national register's 118
 * million payments): the most the id map's 27 bits of index + 1 hold. A batch that takes
 * a kind exactly to it passes the limit check (and fails only for want of memory, with
 * the "out of memory" message); one record more is VIPA_E_LIMIT naming the kind and the
 * limit. Either way nothing changes. */
static void test_the_limit_itself(void **state)
{
    (void)state;
    assert_int_equal(VIPA_RECORDS_MAX, 134217727u);
    assert_int_equal(VIPA_RECORDS_MAX, (1u << 27) - 1);
    vipa_ctx_options opts = VIPA_CTX_OPTIONS_INIT;
    opts.malloc_fn = capped_malloc;
    opts.realloc_fn = capped_realloc;
    opts.free_fn = capped_free;
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, &opts), VIPA_OK);
    assert_int_equal(vipa_scenario_load(ctx, seed_scenario, sizeof seed_scenario - 1, NULL),
                     VIPA_OK);
    char *before = NULL;
    assert_int_equal(vipa_scenario_export(&before, NULL, ctx, 0), VIPA_OK);
    size_t counts[VIPA_KIND_COUNT];
    kind_counts(ctx, counts);
    for (size_t k = 0; k < sizeof adders / sizeof adders[0]; k++) {
        size_t room = (size_t)134217727 - counts[k]; /* the limit, worked out by hand */
        int rc = adders[k].add(ctx, room);
        if (rc != VIPA_E_NOMEM || !strstr(vipa_ctx_errmsg(ctx), "out of memory") ||
            !strstr(vipa_ctx_errmsg(ctx), adders[k].kind))
            fail_msg("%s: %zu more records (to the limit) gave %d (%s), not VIPA_E_NOMEM from "
                     "the capped allocator", adders[k].kind, room, rc, vipa_ctx_errmsg(ctx));
        rc = adders[k].add(ctx, room + 1);
        if (rc != VIPA_E_LIMIT || !strstr(vipa_ctx_errmsg(ctx), adders[k].kind) ||
            !strstr(vipa_ctx_errmsg(ctx), "limit of 134217727 per kind"))
            fail_msg("%s: %zu more records (one past the limit) gave %d (%s), not VIPA_E_LIMIT "
                     "naming the kind and the limit", adders[k].kind, room + 1, rc,
                     vipa_ctx_errmsg(ctx));
    }
    size_t after_counts[VIPA_KIND_COUNT];
    kind_counts(ctx, after_counts);
    assert_memory_equal(counts, after_counts, sizeof counts);
    char *after = NULL;
    assert_int_equal(vipa_scenario_export(&after, NULL, ctx, 0), VIPA_OK);
    assert_string_equal(before, after);
    vipa_free(before);
    vipa_free(after);
    vipa_ctx_free(ctx);
}

/* `depth` opening brackets inside the areas list, then as many closing ones. */
static char *nested(size_t depth)
{
    const char head[] = "{\"vipa\": 1, \"areas\": ", tail[] = "}";
    size_t n = strlen(head) + 2 * depth + strlen(tail) + 1;
    char *text = malloc(n);
    assert_non_null(text);
    char *p = text;
    memcpy(p, head, strlen(head));
    p += strlen(head);
    memset(p, '[', depth);
    memset(p + depth, ']', depth);
    p += 2 * depth;
    memcpy(p, tail, sizeof tail);
    return text;
}

/* A household's guarantees of a year keep their items in the five bits below the key
 * (registry_internal.h): at the largest household index a context holds (2^27 - 2), the
 * first and last years and every item bit, the key (index << 16 | year) and the items
 * come back whole, and the id map reads the key alone. */
static void test_guarantees_keep_key_and_items_at_the_edges(void **state)
{
    (void)state;
    const uint32_t households[3] = {0, 1, VIPA_RECORDS_MAX - 1};
    const int years[2] = {1900, 9999};
    const unsigned int items[3] = {0, VIPA_ASSURED_WATER, VIPA_ASSURED_ITEMS_ALL};
    for (int h = 0; h < 3; h++)
        for (int y = 0; y < 2; y++)
            for (int i = 0; i < 3; i++) {
                assured_rec a = vipa__assured(households[h], years[y], items[i]);
                uint64_t key = vipa__assured_key(&a);
                assert_int_equal(vipa__key_index(key), households[h]);
                assert_int_equal(vipa__key_year(key), years[y]);
                assert_int_equal(vipa__assured_items(&a), items[i]);
                struct {
                    assured_rec *items;
                } table = {&a}; /* as the context's: VIPA_KEYED shifts the items out */
                assert_true(vipa__keyed_key(VIPA_KEYED(table), 0) == key);
            }
    /* 134217726 << 16 | 9999, then 5 bits of items: 0x1f ends the word. */
    assured_rec top = vipa__assured(VIPA_RECORDS_MAX - 1, 9999, VIPA_ASSURED_ITEMS_ALL);
    assert_true(top.key_items == ((((uint64_t)134217726 << 16) | 9999) << 5 | 0x1f));
    assert_int_equal(sizeof(assured_rec), 8);
}

static void test_nesting_beyond_the_parser_limit(void **state)
{
    (void)state;
    /* jansson's JSON_PARSER_MAX_DEPTH is 2048: one more level is refused as a parse error
     * with its position; 1,000,000 levels do not exhaust the stack. */
    const size_t depths[] = {2049, 100000, 1000000};
    for (size_t i = 0; i < sizeof depths / sizeof depths[0]; i++) {
        vipa_ctx *ctx = NULL;
        assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
        char *text = nested(depths[i]);
        const char *err = NULL;
        assert_int_equal(vipa_scenario_load(ctx, text, strlen(text), &err), VIPA_E_PARSE);
        assert_non_null(err);
        if (!strstr(err, "depth") || !strstr(err, "line 1"))
            fail_msg("depth %zu: the message \"%s\" names neither the cause nor the place",
                     depths[i], err);
        assert_int_equal(vipa_ctx_area_count(ctx), 0);
        free(text);
        vipa_ctx_free(ctx);
    }
    /* Within the limit the nesting is no problem of the parser's: the loader then says
     * what it expected of the areas. */
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    char *text = nested(2000);
    const char *err = NULL;
    assert_int_equal(vipa_scenario_load(ctx, text, strlen(text), &err), VIPA_E_PARSE);
    assert_non_null(strstr(err, "areas[0]"));
    assert_null(strstr(err, "depth"));
    free(text);
    vipa_ctx_free(ctx);
}

/* A message that echoes a long text is cut at a whole character, never inside one. */
static void test_long_messages_stay_utf8(void **state)
{
    (void)state;
    for (size_t pad = 0; pad < 3; pad++) { /* each way a 3-byte character can straddle */
        char text[4096];
        size_t n = (size_t)snprintf(text, sizeof text, "{\"vipa\": 1, \"areas\": [{\"code\": "
                                    "\"611002000000\", \"name\": \"x\", \"level\": \"%.*s",
                                    (int)pad, "ab");
        for (int i = 0; i < 400; i++)
            n += (size_t)snprintf(text + n, sizeof text - n, "贫");
        n += (size_t)snprintf(text + n, sizeof text - n, "\"}]}");
        vipa_ctx *ctx = NULL;
        assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
        const char *err = NULL;
        assert_int_equal(vipa_scenario_load(ctx, text, n, &err), VIPA_E_PARSE);
        assert_true(strlen(err) > 400); /* long enough to have been cut */
        assert_true(vipa__utf8_valid(err));
        vipa_ctx_free(ctx);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_beyond_the_maximum),
        cmocka_unit_test(test_the_limit_itself),
        cmocka_unit_test(test_guarantees_keep_key_and_items_at_the_edges),
        cmocka_unit_test(test_nesting_beyond_the_parser_limit),
        cmocka_unit_test(test_long_messages_stay_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
