/* Tests of the storage primitives (lib/store_internal.h): growth, the id map with removal, the
 * text arena and the UTF-8 check. Internal, so tested through the static objects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store_internal.h"
#include "vipa/error.h"
#include "vipa/registry.h"

typedef struct rec {
    uint64_t key;
    uint32_t payload;
} rec;

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static void reserve_grows_and_refuses_absurd_sizes(void **state)
{
    (void)state;
    vipa__allocator a = vipa__alloc_default();
    void *items = NULL;
    size_t capacity = 0;
    assert_int_equal(vipa__reserve(&a, &items, &capacity, 3, sizeof(rec)), VIPA_OK);
    assert_true(capacity >= 3);
    size_t before = capacity;
    assert_int_equal(vipa__reserve(&a, &items, &capacity, before, sizeof(rec)), VIPA_OK);
    assert_int_equal(capacity, before); /* no growth when there is room */
    assert_int_equal(vipa__reserve(&a, &items, &capacity, before + 1, sizeof(rec)), VIPA_OK);
    assert_true(capacity >= 2 * before);
    assert_int_equal(vipa__reserve(&a, &items, &capacity, SIZE_MAX, sizeof(rec)), VIPA_E_LIMIT);
    vipa__free(&a, items);
}

/* The map against a plain array scan, through inserts and removals in random order:
 * backward-shift deletion must keep every remaining key findable. */
static void idmap_matches_a_linear_scan_through_removals(void **state)
{
    (void)state;
    enum { N = 5000 };
    vipa__allocator a = vipa__alloc_default();
    rec *records = calloc(N, sizeof *records);
    int *present = calloc(N, sizeof *present);
    assert_non_null(records);
    assert_non_null(present);
    vipa__idmap map = {NULL, 0, 0};
    vipa__keyed keyed = {records, sizeof *records};
    uint64_t seed = 7;
    for (uint32_t i = 0; i < N; i++) {
        /* Sequential ids (the common case) mixed with random ones. */
        records[i].key = (i % 3) ? 1000 + i : splitmix64(&seed) | 1;
        assert_int_equal(vipa__idmap_reserve(&a, &map, i + 1, keyed), VIPA_OK);
        vipa__idmap_insert(&map, keyed, records[i].key, i);
        present[i] = 1;
    }
    assert_int_equal(map.count, N);
    for (int round = 0; round < 3 * N; round++) {
        uint32_t i = (uint32_t)(splitmix64(&seed) % N);
        if (present[i]) {
            vipa__idmap_remove(&map, keyed, records[i].key);
            present[i] = 0;
        } else {
            vipa__idmap_insert(&map, keyed, records[i].key, i);
            present[i] = 1;
        }
        if (round % 500 == 0) {
            for (uint32_t j = 0; j < N; j++)
                assert_int_equal(vipa__idmap_find(&map, keyed, records[j].key),
                                 present[j] ? j : VIPA_NO_INDEX);
        }
    }
    assert_int_equal(vipa__idmap_find(&map, keyed, 0), VIPA_NO_INDEX);
    vipa__idmap_remove(&map, keyed, 0); /* absent: a no-op */
    vipa__idmap_free(&a, &map);
    vipa__idmap_free(&a, &map); /* twice is harmless */
    free(records);
    free(present);
}

static void idmap_empty_and_limits(void **state)
{
    (void)state;
    vipa__allocator a = vipa__alloc_default();
    vipa__idmap map = {NULL, 0, 0};
    rec r = {42, 0};
    vipa__keyed keyed = {&r, sizeof r};
    assert_int_equal(vipa__idmap_find(&map, keyed, 42), VIPA_NO_INDEX);
    assert_int_equal(vipa__idmap_reserve(&a, &map, (size_t)VIPA_RECORDS_MAX + 1, keyed),
                     VIPA_E_LIMIT);
    assert_null(map.slots);
}

static void arena_stores_resets_and_refuses(void **state)
{
    (void)state;
    vipa__allocator a = vipa__alloc_default();
    vipa__arena arena = {NULL, 0, 0};
    uint32_t first, second, none;
    assert_int_equal(vipa__arena_add(&a, &arena, "商州区", &first), VIPA_OK);
    size_t mark = arena.length;
    assert_int_equal(vipa__arena_add(&a, &arena, "walnut", &second), VIPA_OK);
    assert_int_equal(vipa__arena_add(&a, &arena, NULL, &none), VIPA_OK);
    assert_int_equal(none, VIPA_NO_TEXT);
    assert_null(vipa__arena_get(&arena, none));
    assert_string_equal(vipa__arena_get(&arena, first), "商州区");
    assert_string_equal(vipa__arena_get(&arena, second), "walnut");
    vipa__arena_reset(&arena, mark);
    uint32_t third;
    assert_int_equal(vipa__arena_add(&a, &arena, "chestnut", &third), VIPA_OK);
    assert_int_equal(third, second); /* the reset space is reused */
    assert_string_equal(vipa__arena_get(&arena, first), "商州区");
    vipa__arena_free(&a, &arena);
}

static void utf8_check_accepts_text_and_refuses_malformed_bytes(void **state)
{
    (void)state;
    assert_true(vipa__utf8_valid(""));
    assert_true(vipa__utf8_valid("Shangluo 商洛市 \xf0\x9f\x8c\xb0")); /* 4-byte chestnut emoji */
    assert_false(vipa__utf8_valid("\xff"));
    assert_false(vipa__utf8_valid("\xc0\xaf"));         /* overlong '/' */
    assert_false(vipa__utf8_valid("\xe5\x95"));         /* truncated 3-byte sequence */
    assert_false(vipa__utf8_valid("\xed\xa0\x80"));     /* UTF-16 surrogate U+D800 */
    assert_false(vipa__utf8_valid("\xf4\x90\x80\x80")); /* U+110000, past Unicode */
    assert_false(vipa__utf8_valid("\x80"));             /* lone continuation byte */
}

/* The reference order: (key, index) pairs by qsort, ties in index order. */
typedef struct pair {
    uint64_t key;
    uint32_t index;
} pair;

static int pair_order(const void *a, const void *b)
{
    const pair *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* vipa__order_by_key sorts by radix passes from 256 records on (by qsort below): both
 * give qsort's order over keys of every shape, repeated keys in index order. */
static void order_by_key_matches_qsort(void **state)
{
    (void)state;
    vipa__allocator a = vipa__alloc_default();
    const size_t sizes[] = {0, 1, 255, 256, 257, 5000, 70000};
    uint64_t seed = 11;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
        for (int shape = 0; shape < 4; shape++) {
            size_t n = sizes[si];
            rec *records = calloc(n + 1, sizeof *records);
            pair *want = calloc(n + 1, sizeof *want);
            assert_non_null(records);
            assert_non_null(want);
            for (size_t i = 0; i < n; i++) {
                uint64_t r = splitmix64(&seed);
                records[i].key = shape == 0   ? r                         /* all 8 bytes vary */
                                 : shape == 1 ? 1000000 + (n - i)          /* descending */
                                 : shape == 2 ? (r % 50) << 40             /* few, repeated */
                                              : (uint64_t)i << 56 | (r & 0xff); /* top byte */
                want[i] = (pair){records[i].key, (uint32_t)i};
            }
            qsort(want, n, sizeof *want, pair_order);
            uint32_t *order = NULL;
            assert_int_equal(vipa__order_by_key(&a, (vipa__keyed){records, sizeof *records}, n,
                                                &order),
                             VIPA_OK);
            for (size_t i = 0; i < n; i++)
                if (order[i] != want[i].index)
                    fail_msg("n %zu, shape %d: position %zu holds %u, qsort says %u", n, shape,
                             i, order[i], want[i].index);
            vipa__free(&a, order);
            free(records);
            free(want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reserve_grows_and_refuses_absurd_sizes),
        cmocka_unit_test(idmap_matches_a_linear_scan_through_removals),
        cmocka_unit_test(idmap_empty_and_limits),
        cmocka_unit_test(arena_stores_resets_and_refuses),
        cmocka_unit_test(utf8_check_accepts_text_and_refuses_malformed_bytes),
        cmocka_unit_test(order_by_key_matches_qsort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
