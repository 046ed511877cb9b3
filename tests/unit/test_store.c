/* Tests of the storage primitives (lib/store_internal.h): growth, the id map with removal, the
 * text arena, the UTF-8 check and the library's one sort. Internal, so tested through the
 * static objects. */
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
    /* Items of 1 MiB: doubling from 8 up to 64 of them (64 MiB), then an eighth at a time
     * (64 + 8 = 72), so that unused room stays within an eighth of a large array. */
    items = NULL;
    capacity = 0;
    assert_int_equal(vipa__reserve(&a, &items, &capacity, 33, (size_t)1 << 20), VIPA_OK);
    assert_int_equal(capacity, 64);
    assert_int_equal(vipa__reserve(&a, &items, &capacity, 65, (size_t)1 << 20), VIPA_OK);
    assert_int_equal(capacity, 72);
    assert_int_equal(vipa__reserve(&a, &items, &capacity, 73, (size_t)1 << 20), VIPA_OK);
    assert_int_equal(capacity, 81);
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
    vipa__keyed keyed = {records, sizeof *records, 0};
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

/* The id map's hash, written out again (splitmix64's finaliser, lib/store.c), to pick keys
 * whose probes begin in the same slot. */
static uint64_t map_hash(uint64_t key)
{
    key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9u;
    key = (key ^ (key >> 27)) * 0x94d049bb133111ebu;
    return key ^ (key >> 31);
}

/* The next key after *from whose home slot in a map of `slots` slots is `home`. */
static uint64_t key_at_home(uint64_t *from, size_t slots, size_t home)
{
    while (map_hash(++*from) % slots != home)
        ;
    return *from;
}

/* Every key of the records is found at its index, and `absent` is not. */
static void assert_all_found(const vipa__idmap *map, vipa__keyed keyed, const rec *records,
                             const int *present, uint32_t n, uint64_t absent)
{
    for (uint32_t i = 0; i < n; i++)
        assert_int_equal(vipa__idmap_find(map, keyed, records[i].key),
                         present[i] ? i : VIPA_NO_INDEX);
    assert_int_equal(vipa__idmap_find(map, keyed, absent), VIPA_NO_INDEX);
}

/* A map of 64 slots filled to its maximum load, 48 keys (three quarters), 49 needing 128
 * slots; the keys in two runs that collide: 16 whose probes begin in the last slot (so
 * the run wraps around to slot 0) and 16 in slot 1, inside the first run's wrap, then 16
 * more anywhere. Each colliding key is removed from the middle of its run (backward
 * shift) and put back, every key checked after each step, and a missing key whose probe
 * begins in the crowded slots must still end (a quarter of the slots stay empty). */
static void idmap_at_its_maximum_load_with_colliding_keys(void **state)
{
    (void)state;
    enum { SLOTS = 64, N = 48 };
    vipa__allocator a = vipa__alloc_default();
    rec records[N + 1];
    int present[N];
    uint64_t next = 0;
    for (uint32_t i = 0; i < N; i++) {
        records[i].key = i < 16   ? key_at_home(&next, SLOTS, SLOTS - 1)
                         : i < 32 ? key_at_home(&next, SLOTS, 1)
                                  : key_at_home(&next, SLOTS, (size_t)(i * 7 % SLOTS));
        records[i].payload = i;
        present[i] = 1;
    }
    uint64_t absent = key_at_home(&next, SLOTS, SLOTS - 1);
    vipa__keyed keyed = {records, sizeof *records, 0};
    vipa__idmap map = {NULL, 0, 0};
    assert_int_equal(vipa__idmap_reserve(&a, &map, 12, keyed), VIPA_OK);
    assert_int_equal(map.mask + 1, 16); /* 12 keys: three quarters of 16 */
    assert_int_equal(vipa__idmap_reserve(&a, &map, 13, keyed), VIPA_OK);
    assert_int_equal(map.mask + 1, 32);
    assert_int_equal(vipa__idmap_reserve(&a, &map, N, keyed), VIPA_OK);
    assert_int_equal(map.mask + 1, SLOTS);
    for (uint32_t i = 0; i < N; i++)
        vipa__idmap_insert(&map, keyed, records[i].key, i);
    assert_int_equal(map.count, N);
    uint32_t *slots = map.slots;
    assert_int_equal(vipa__idmap_reserve(&a, &map, N, keyed), VIPA_OK);
    assert_ptr_equal(map.slots, slots); /* full, not grown */
    assert_all_found(&map, keyed, records, present, N, absent);

    /* Out of the middle of each run and back, then a whole run out and back in reverse. */
    const uint32_t middles[] = {7, 0, 15, 23, 16, 31, 40};
    for (size_t m = 0; m < sizeof middles / sizeof middles[0]; m++) {
        uint32_t i = middles[m];
        vipa__idmap_remove(&map, keyed, records[i].key);
        present[i] = 0;
        assert_all_found(&map, keyed, records, present, N, absent);
        vipa__idmap_insert(&map, keyed, records[i].key, i);
        present[i] = 1;
        assert_all_found(&map, keyed, records, present, N, absent);
    }
    for (uint32_t i = 0; i < 16; i++) {
        vipa__idmap_remove(&map, keyed, records[i].key);
        present[i] = 0;
        assert_all_found(&map, keyed, records, present, N, absent);
    }
    for (uint32_t i = 16; i-- > 0;) {
        vipa__idmap_insert(&map, keyed, records[i].key, i);
        present[i] = 1;
    }
    assert_int_equal(map.count, N);
    assert_all_found(&map, keyed, records, present, N, absent);

    /* One key more: 128 slots, every key rehashed from the records. */
    records[N].key = absent;
    assert_int_equal(vipa__idmap_reserve(&a, &map, N + 1, keyed), VIPA_OK);
    assert_int_equal(map.mask + 1, 2 * SLOTS);
    vipa__idmap_insert(&map, keyed, absent, N);
    for (uint32_t i = 0; i <= N; i++)
        assert_int_equal(vipa__idmap_find(&map, keyed, records[i].key), i);
    vipa__idmap_free(&a, &map);
}

static void *refuse_every_malloc(void *opaque, size_t size)
{
    (void)opaque;
    (void)size;
    return NULL;
}

static void idmap_empty_and_limits(void **state)
{
    (void)state;
    vipa__allocator a = vipa__alloc_default();
    vipa__idmap map = {NULL, 0, 0};
    rec r = {42, 0};
    vipa__keyed keyed = {&r, sizeof r, 0};
    assert_int_equal(vipa__idmap_find(&map, keyed, 42), VIPA_NO_INDEX);
    assert_int_equal(vipa__idmap_reserve(&a, &map, (size_t)VIPA_RECORDS_MAX + 1, keyed),
                     VIPA_E_LIMIT);
    assert_null(map.slots);
    /* 2^27 - 1 records are within what a slot can name: refused only by an allocator
     * that cannot give the 2^28 slots (1 GiB) they need at a load of three quarters at
     * most (2^27 slots hold 100,663,296 keys). */
    vipa__allocator refusing = a;
    refusing.malloc_fn = refuse_every_malloc;
    assert_int_equal(vipa__idmap_reserve(&refusing, &map, (size_t)134217727, keyed),
                     VIPA_E_NOMEM);
    assert_null(map.slots);
    assert_int_equal(vipa__idmap_reserve(&refusing, &map, (size_t)134217728, keyed),
                     VIPA_E_LIMIT);
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
        for (int shape = 0; shape < 6; shape++) {
            size_t n = sizes[si];
            rec *records = calloc(n + 1, sizeof *records);
            pair *want = calloc(n + 1, sizeof *want);
            assert_non_null(records);
            assert_non_null(want);
            for (size_t i = 0; i < n; i++) {
                uint64_t r = splitmix64(&seed);
                /* Shapes 1, 4 and 5 lie within 2^32 of their smallest key (the packed
                 * radix path); 5 spans exactly 2^32 - 1 when n > 2, its ends pinned. */
                records[i].key = shape == 0   ? r                         /* all 8 bytes vary */
                                 : shape == 1 ? 1000000 + (n - i)          /* descending */
                                 : shape == 2 ? (r % 50) << 40             /* few, repeated */
                                 : shape == 3 ? (uint64_t)i << 56 | (r & 0xff) /* top byte */
                                 : shape == 4 ? UINT64_MAX - 2000 + r % 1000 /* repeated, high */
                                 : i == 0     ? 5
                                 : i == 1     ? 5 + (uint64_t)UINT32_MAX
                                              : 5 + r % ((uint64_t)UINT32_MAX + 1);
                want[i] = (pair){records[i].key, (uint32_t)i};
            }
            qsort(want, n, sizeof *want, pair_order);
            uint32_t *order = NULL;
            assert_int_equal(vipa__order_by_key(&a, (vipa__keyed){records, sizeof *records, 0}, n,
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

/* ---- vipa__sort ------------------------------------------------------------------------- */

/* An item of the sort tests: `size` bytes holding a key, the item's place in the input
 * and a fill made from that place, so a torn or duplicated item shows. */
typedef struct sort_case {
    size_t size;
    uint64_t modulus; /* keys compare modulo it (the context's), so many tie */
    long comparisons;
} sort_case;

static uint64_t item_key(const void *item)
{
    uint64_t key;
    memcpy(&key, item, sizeof key);
    return key;
}

static uint32_t item_place(const void *item)
{
    uint32_t place;
    memcpy(&place, (const char *)item + 8, sizeof place);
    return place;
}

static void make_item(char *item, size_t size, uint64_t key, uint32_t place)
{
    memcpy(item, &key, sizeof key);
    memcpy(item + 8, &place, sizeof place);
    for (size_t b = 12; b < size; b++)
        item[b] = (char)(place * 31 + b);
}

/* Keys modulo the context's modulus: the comparator needs its context. */
static int by_key_modulo(const void *a, const void *b, void *context)
{
    sort_case *c = context;
    c->comparisons++;
    uint64_t x = item_key(a) % c->modulus, y = item_key(b) % c->modulus;
    return x < y ? -1 : x > y;
}

/* The stable order, independently: (key, place) pairs by qsort, ties by place. */
typedef struct keyed_place {
    uint64_t key;
    uint32_t place;
} keyed_place;

static int keyed_place_order(const void *a, const void *b)
{
    const keyed_place *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->place < y->place ? -1 : x->place > y->place;
}

static void *refuse_malloc(void *opaque, size_t size)
{
    (void)size;
    ++*(long *)opaque;
    return NULL;
}

static void *count_malloc(void *opaque, size_t size)
{
    ++*(long *)opaque;
    return malloc(size);
}

static void *plain_realloc(void *opaque, void *ptr, size_t size)
{
    (void)opaque;
    return realloc(ptr, size);
}

static void plain_free(void *opaque, void *ptr)
{
    (void)opaque;
    free(ptr);
}

enum { SHAPE_TIES, SHAPE_WIDE, SHAPE_SORTED, SHAPE_REVERSED, SHAPE_EQUAL, SHAPES };

/* Sorts n items of one size and shape, with scratch (refuse 0) or in place (refuse 1),
 * and checks the result against the stable reference, item by item and byte by byte.
 * Returns the allocations the sort asked for. */
static long sort_and_check(size_t n, size_t size, int shape, int refuse, uint64_t *seed)
{
    long asked = 0;
    vipa__allocator a = {refuse ? refuse_malloc : count_malloc, plain_realloc, plain_free, &asked};
    sort_case c = {size, shape == SHAPE_TIES ? 7 : UINT64_MAX, 0};
    char *items = malloc(n * size + 1);
    keyed_place *want = malloc((n + 1) * sizeof *want);
    assert_non_null(items);
    assert_non_null(want);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = splitmix64(seed);
        uint64_t key = shape == SHAPE_SORTED     ? i / 3
                       : shape == SHAPE_REVERSED ? n - i / 3
                       : shape == SHAPE_EQUAL    ? 42
                                                 : r;
        make_item(items + i * size, size, key, (uint32_t)i);
        want[i] = (keyed_place){key % c.modulus, (uint32_t)i};
    }
    qsort(want, n, sizeof *want, keyed_place_order);
    vipa__sort(&a, items, n, size, by_key_modulo, &c);
    char *expected = malloc(size);
    assert_non_null(expected);
    for (size_t i = 0; i < n; i++) {
        const char *item = items + i * size;
        make_item(expected, size, item_key(item), want[i].place);
        if (item_place(item) != want[i].place || memcmp(item, expected, size) != 0)
            fail_msg("n %zu, size %zu, shape %d, %s: position %zu holds item %u, the stable "
                     "order says %u", n, size, shape, refuse ? "in place" : "with scratch", i,
                     item_place(item), want[i].place);
    }
    if (shape == SHAPE_SORTED || shape == SHAPE_EQUAL)
        assert_true(c.comparisons <= (long)n); /* in order already: no merging */
    free(expected);
    free(items);
    free(want);
    return asked;
}

/* The sort gives the one stable order of its comparator (checked against qsort of
 * (key, place) pairs) for 0, 1, a few and many items, every shape and item size, with
 * scratch from the allocator, from the stack, or none (an allocator that refuses): in
 * place, the same order. The comparator reads the modulus from the context. */
static void sort_is_stable_and_matches_a_reference(void **state)
{
    (void)state;
    const size_t counts[] = {0, 1, 2, 3, 12, 13, 31, 100, 1000, 20000};
    const size_t sizes[] = {12, 16, 40, 200};
    uint64_t seed = 17;
    for (size_t ci = 0; ci < sizeof counts / sizeof counts[0]; ci++)
        for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
            for (int shape = 0; shape < SHAPES; shape++)
                for (int refuse = 0; refuse <= 1; refuse++) {
                    size_t n = counts[ci], size = sizes[si];
                    long asked = sort_and_check(n, size, shape, refuse, &seed);
                    /* scratch of n / 2 + 1 items: from the stack up to 1 KiB, else asked
                     * of the allocator once (freed: the sort ends with nothing live) */
                    long expected = n >= 2 && (n / 2 + 1) * size > 1024;
                    assert_int_equal(asked, expected);
                }
}

/* Large: 300,000 items with scratch (15 levels of merges), 50,000 in place (kept
 * moderate: the unit tests also run under valgrind). */
static void sort_handles_large_counts(void **state)
{
    (void)state;
    uint64_t seed = 23;
    sort_and_check(300000, 16, SHAPE_TIES, 0, &seed);
    sort_and_check(300000, 24, SHAPE_WIDE, 0, &seed);
    sort_and_check(50000, 16, SHAPE_TIES, 1, &seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reserve_grows_and_refuses_absurd_sizes),
        cmocka_unit_test(idmap_matches_a_linear_scan_through_removals),
        cmocka_unit_test(idmap_empty_and_limits),
        cmocka_unit_test(idmap_at_its_maximum_load_with_colliding_keys),
        cmocka_unit_test(arena_stores_resets_and_refuses),
        cmocka_unit_test(utf8_check_accepts_text_and_refuses_malformed_bytes),
        cmocka_unit_test(order_by_key_matches_qsort),
        cmocka_unit_test(sort_is_stable_and_matches_a_reference),
        cmocka_unit_test(sort_handles_large_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
