/* The store module: storage primitives of a context (see store_internal.h). */
#include <stdlib.h>
#include <string.h>

#include "store_internal.h"
#include "vipa/error.h"
#include "vipa/registry.h"

/* ---- allocator ---------------------------------------------------------------- */

static void *std_malloc(void *opaque, size_t size)
{
    (void)opaque;
    return malloc(size);
}

static void *std_realloc(void *opaque, void *ptr, size_t size)
{
    (void)opaque;
    return realloc(ptr, size);
}

static void std_free(void *opaque, void *ptr)
{
    (void)opaque;
    free(ptr);
}

vipa__allocator vipa__alloc_default(void)
{
    vipa__allocator a = {std_malloc, std_realloc, std_free, NULL};
    return a;
}

void *vipa__malloc(const vipa__allocator *a, size_t size)
{
    return a->malloc_fn(a->opaque, size ? size : 1);
}

void *vipa__calloc(const vipa__allocator *a, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    /* With the default allocator, calloc: fresh pages come zeroed from the system, so a
     * large array is not written twice (and touched only where it is used). */
    if (a->malloc_fn == std_malloc)
        return calloc(count ? count : 1, size ? size : 1);
    void *p = vipa__malloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

void vipa__free(const vipa__allocator *a, void *ptr)
{
    if (ptr)
        a->free_fn(a->opaque, ptr);
}

/* ---- memory handed to the caller ---------------------------------------------------- */

/* Where a block handed to the caller goes back to: its allocator's free function. The
 * members of max_align_t (long long, long double) give the header its alignment, so the
 * memory after it is as aligned as malloc's; 16 bytes on x86-64. */
typedef union handed_header {
    struct {
        void (*free_fn)(void *opaque, void *ptr);
        void *opaque;
    } owner;
    long long align_integer;
    long double align_float;
} handed_header;

void *vipa__handed_resize(const vipa__allocator *a, void *memory, size_t size)
{
    if (size > SIZE_MAX - sizeof(handed_header))
        return NULL;
    handed_header *h = memory ? (handed_header *)memory - 1 : NULL;
    h = a->realloc_fn(a->opaque, h, size + sizeof *h);
    if (!h)
        return NULL;
    h->owner.free_fn = a->free_fn;
    h->owner.opaque = a->opaque;
    return h + 1;
}

/* Memory handed to the caller carries its allocator (vipa__handed_resize), so it goes back
 * to the right one: the context's, or under the default allocator the C runtime of the
 * library, not of the program (another malloc, another DLL heap). */
void vipa_free(void *memory)
{
    if (!memory)
        return;
    handed_header *h = (handed_header *)memory - 1;
    h->owner.free_fn(h->owner.opaque, h);
}

/* ---- growable arrays ---------------------------------------------------------------- */

/* Past 64 MiB an array grows by an eighth, not double: its room not yet used is address
 * space (what `prlimit --as` limits) and, at 3×10^7 households, doubling left 2.1 GB of
 * it in the context's arrays against 0.34 GB (docs/performance.md, "National scale
 * (0.5)"). Appends stay amortised O(1), and the default allocator's realloc of a block
 * that large moves pages (mremap), not bytes. */
#define GROW_SLOWER ((size_t)64 << 20)

int vipa__reserve(const vipa__allocator *a, void **items, size_t *capacity, size_t need,
                  size_t item_size)
{
    if (need <= *capacity)
        return VIPA_OK;
    if (need > (size_t)VIPA_RECORDS_MAX * 64)
        return VIPA_E_LIMIT;
    size_t grown = *capacity < 8 ? 8 : *capacity;
    while (grown < need)
        grown = grown > SIZE_MAX / 2           ? need
                : grown < GROW_SLOWER / item_size ? grown * 2
                                               : grown + grown / 8;
    if (grown > SIZE_MAX / item_size)
        return VIPA_E_LIMIT;
    void *p = a->realloc_fn(a->opaque, *items, grown * item_size);
    if (!p)
        return VIPA_E_NOMEM;
    *items = p;
    *capacity = grown;
    return VIPA_OK;
}

/* ---- id → index hash ------------------------------------------------------------ */

/* splitmix64's finaliser: ids are often sequential, so they must be mixed. */
static uint64_t hash_key(uint64_t key)
{
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9u;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebu;
    key ^= key >> 31;
    return key;
}

static uint64_t key_at(vipa__keyed records, uint32_t index)
{
    uint64_t key;
    memcpy(&key, (const char *)records.base + (size_t)index * records.stride, sizeof key);
    return key >> records.shift;
}

uint64_t vipa__keyed_key(vipa__keyed records, uint32_t index)
{
    return key_at(records, index);
}

/* A slot holds index + 1 in its low bits and, in its top bits, a tag: the top bits of the
 * key's hash (its low bits choose the slot, so the two are independent). A probe compares
 * the tag first and reads the record's key only when it matches: a slot that holds
 * another key costs no trip to the records (one in 2^TAG_BITS does), so a lookup of a
 * missing key touches the slots alone and a lookup of a present one touches the slots
 * and its own record: on a province, whose ids come in no order, each such trip is a
 * cache miss (docs/performance.md, "After 0.4"). */
enum { TAG_BITS = 5, INDEX_BITS = 32 - TAG_BITS };
#define INDEX_MASK ((UINT32_C(1) << INDEX_BITS) - 1)
/* The last record's index + 1 is the count itself, which may reach INDEX_MASK but not the
 * tag's bits (VIPA_RECORDS_MAX is 2^27 - 1: the national register's payments need it). */
_Static_assert(VIPA_RECORDS_MAX <= INDEX_MASK, "index + 1 of every record fits below the tag");

static uint32_t tag_of(uint64_t hash)
{
    return (uint32_t)(hash >> (64 - TAG_BITS)) << INDEX_BITS;
}

static uint32_t slot_index(uint32_t slot)
{
    return (slot & INDEX_MASK) - 1;
}

static void place(uint32_t *slots, size_t mask, uint64_t hash, uint32_t index)
{
    size_t s = (size_t)(hash & mask);
    while (slots[s])
        s = (s + 1) & mask;
    slots[s] = tag_of(hash) | (index + 1);
}

/* How far ahead a rehash asks for the record of a slot: the slots come in order, the
 * records they name in no order, so each read would otherwise wait for memory. */
enum { REHASH_AHEAD = 16 };

/* A map holds keys up to three quarters of its slots (it held half until 0.6): at 10^6
 * households the linkages' 3 million keys fit 2^22 slots instead of 2^23, 16 bytes a
 * household less. Linear probing at that load expects 2.5 slots read to find a key and
 * 8.5 to miss one (Knuth), 16 slots to a 64-byte line, so a probe mostly stays in the line
 * where it began, and a slot of another key rarely costs a trip to its record (its tag
 * differs, but for one in 2^TAG_BITS). Measured at 10^6, the adds of linkages and
 * payments (the only ones whose map shrank) got no slower against the other kinds' in the
 * same processes: fewer and smaller rehashes pay for the longer probes; a loop of lookups
 * alone, without the adds' look-ahead, is slower (docs/performance.md, "0.6: the record
 * layout"). Below a load of one, a probe always ends at an empty slot. */
static size_t max_load(size_t slot_count)
{
    return slot_count / 4 * 3;
}

int vipa__idmap_reserve(const vipa__allocator *a, vipa__idmap *map, size_t total,
                        vipa__keyed records)
{
    size_t slots_now = map->slots ? map->mask + 1 : 0;
    if (total <= max_load(slots_now))
        return VIPA_OK;
    if (total > VIPA_RECORDS_MAX)
        return VIPA_E_LIMIT;
    size_t wanted = 16;
    while (max_load(wanted) < total)
        wanted *= 2;
    uint32_t *slots = vipa__calloc(a, wanted, sizeof *slots);
    if (!slots)
        return VIPA_E_NOMEM;
    for (size_t s = 0; s < slots_now; s++) {
        if (s + REHASH_AHEAD < slots_now && map->slots[s + REHASH_AHEAD])
            __builtin_prefetch((const char *)records.base +
                               (size_t)slot_index(map->slots[s + REHASH_AHEAD]) * records.stride);
        if (map->slots[s]) {
            uint32_t index = slot_index(map->slots[s]);
            place(slots, wanted - 1, hash_key(key_at(records, index)), index);
        }
    }
    vipa__free(a, map->slots);
    map->slots = slots;
    map->mask = wanted - 1;
    return VIPA_OK;
}

/* The slot of a key, or the empty slot where its probe ends. */
static size_t probe(const vipa__idmap *map, vipa__keyed records, uint64_t key)
{
    uint64_t hash = hash_key(key);
    size_t s = (size_t)(hash & map->mask);
    uint32_t tag = tag_of(hash);
    for (; map->slots[s]; s = (s + 1) & map->mask) {
        uint32_t slot = map->slots[s];
        if ((slot & ~INDEX_MASK) == tag && key_at(records, slot_index(slot)) == key)
            break;
    }
    return s;
}

uint32_t vipa__idmap_find(const vipa__idmap *map, vipa__keyed records, uint64_t key)
{
    if (!map->slots)
        return VIPA_NO_INDEX;
    uint32_t slot = map->slots[probe(map, records, key)];
    return slot ? slot_index(slot) : VIPA_NO_INDEX;
}

void vipa__idmap_prefetch(const vipa__idmap *map, uint64_t key)
{
    if (map->slots)
        __builtin_prefetch(&map->slots[(size_t)(hash_key(key) & map->mask)]);
}

void vipa__idmap_prefetch_record(const vipa__idmap *map, vipa__keyed records, uint64_t key)
{
    if (!map->slots)
        return;
    uint64_t hash = hash_key(key);
    uint32_t tag = tag_of(hash);
    for (size_t s = (size_t)(hash & map->mask); map->slots[s]; s = (s + 1) & map->mask) {
        if ((map->slots[s] & ~INDEX_MASK) == tag) {
            __builtin_prefetch((const char *)records.base +
                               (size_t)slot_index(map->slots[s]) * records.stride);
            return;
        }
    }
}

void vipa__idmap_insert(vipa__idmap *map, vipa__keyed records, uint64_t key, uint32_t index)
{
    (void)records;
    place(map->slots, map->mask, hash_key(key), index);
    map->count++;
}

void vipa__idmap_remove(vipa__idmap *map, vipa__keyed records, uint64_t key)
{
    if (!map->slots)
        return;
    size_t s = probe(map, records, key);
    if (!map->slots[s])
        return;
    /* Backward shift: pull later entries of the probe run into the hole when their
     * home slot does not lie cyclically in (hole, current]. */
    size_t hole = s;
    for (size_t next = (hole + 1) & map->mask; map->slots[next]; next = (next + 1) & map->mask) {
        size_t home = (size_t)(hash_key(key_at(records, slot_index(map->slots[next]))) & map->mask);
        size_t from_hole = (next - hole) & map->mask;
        size_t from_home = (next - home) & map->mask;
        if (from_home >= from_hole) {
            map->slots[hole] = map->slots[next];
            hole = next;
        }
    }
    map->slots[hole] = 0;
    map->count--;
}

void vipa__idmap_free(const vipa__allocator *a, vipa__idmap *map)
{
    vipa__free(a, map->slots);
    map->slots = NULL;
    map->mask = 0;
    map->count = 0;
}

typedef struct key_index {
    uint64_t key;
    uint32_t index;
} key_index;

static int by_key(const void *a, const void *b, void *context)
{
    (void)context;
    const key_index *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Below this many records a comparison sort is as fast as the radix passes. */
enum { RADIX_MIN = 256 };

/* Sorts pairs[0..count) by key, ties in index order: a stable LSD radix sort, one pass
 * per key byte that is not the same in every key, through `spare` (count pairs). The
 * order is exactly by_key's, in O(count) instead of O(count log count). Returns the
 * array that holds the result (pairs or spare). A tool beside vipa__sort, not a second
 * one: it orders only 64-bit keys, in linear time, for the id orders of a run (millions
 * of households); vipa__sort orders anything a comparator can. */
static key_index *radix_sort(key_index *pairs, key_index *spare, size_t count)
{
    size_t histogram[8][256];
    memset(histogram, 0, sizeof histogram);
    for (size_t i = 0; i < count; i++) {
        uint64_t key = pairs[i].key;
        for (int b = 0; b < 8; b++)
            histogram[b][(key >> (8 * b)) & 0xff]++;
    }
    key_index *from = pairs, *to = spare;
    for (int b = 0; b < 8; b++) {
        size_t offset = 0, *bucket = histogram[b];
        int trivial = 0;
        for (int v = 0; v < 256 && !trivial; v++)
            trivial = bucket[v] == count;
        if (trivial)
            continue; /* every key has the same byte here: the pass would change nothing */
        for (int v = 0; v < 256; v++) {
            size_t n = bucket[v];
            bucket[v] = offset;
            offset += n;
        }
        for (size_t i = 0; i < count; i++)
            to[bucket[(from[i].key >> (8 * b)) & 0xff]++] = from[i];
        key_index *t = from;
        from = to;
        to = t;
    }
    return from;
}

/* Sorts items[0..count) by their upper 32 bits, ties in input order: the stable LSD
 * passes of radix_sort over bytes 4..7 only (the lower half is the index, in order
 * already). Returns the array that holds the result (items or spare). */
static uint64_t *radix_sort_upper(uint64_t *items, uint64_t *spare, size_t count)
{
    size_t histogram[4][256];
    memset(histogram, 0, sizeof histogram);
    for (size_t i = 0; i < count; i++)
        for (int b = 0; b < 4; b++)
            histogram[b][(items[i] >> (32 + 8 * b)) & 0xff]++;
    uint64_t *from = items, *to = spare;
    for (int b = 0; b < 4; b++) {
        size_t offset = 0, *bucket = histogram[b];
        int trivial = 0;
        for (int v = 0; v < 256 && !trivial; v++)
            trivial = bucket[v] == count;
        if (trivial)
            continue;
        for (int v = 0; v < 256; v++) {
            size_t n = bucket[v];
            bucket[v] = offset;
            offset += n;
        }
        for (size_t i = 0; i < count; i++)
            to[bucket[(from[i] >> (32 + 8 * b)) & 0xff]++] = from[i];
        uint64_t *t = from;
        from = to;
        to = t;
    }
    return from;
}

enum { NARROW_PARTS = 8 };

static int by_packed(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Puts each packed key in its part (the top bits of its distance from the smallest) in
 * place, by cycles of swaps; `start` gets each part's first position (NARROW_PARTS + 1). */
static void distribute(uint64_t *packed, size_t count, int shift, size_t *start)
{
    size_t next[NARROW_PARTS] = {0};
    memset(start, 0, (NARROW_PARTS + 1) * sizeof *start);
    for (size_t i = 0; i < count; i++)
        start[(packed[i] >> 32 >> shift) + 1]++;
    for (int p = 0; p < NARROW_PARTS; p++) {
        start[p + 1] += start[p];
        next[p] = start[p];
    }
    for (int p = 0; p < NARROW_PARTS; p++)
        while (next[p] < start[p + 1]) {
            uint64_t v = packed[next[p]];
            size_t q = (size_t)(v >> 32 >> shift);
            if (q == (size_t)p) {
                next[p]++;
                continue;
            }
            packed[next[p]] = packed[next[q]];
            packed[next[q]++] = v;
        }
}

/* Equal keys by index, as a stable sort leaves them (the parts' distribution is not
 * stable); an id table's keys are unique, so this finds nothing to do there. */
static void ties_by_index(uint64_t *packed, size_t count)
{
    for (size_t i = 0, j; i < count; i = j) {
        for (j = i + 1; j < count && packed[j] >> 32 == packed[i] >> 32; j++)
            ;
        if (j - i > 1)
            qsort(packed + i, j - i, sizeof *packed, by_packed);
    }
}

/* The order of keys that all lie within 2^32 of the smallest (a province's ids, 1..2N):
 * each key's distance from the smallest above its index in one uint64_t, sorted by the
 * upper half. 8 bytes an item instead of a pair's 16. The items are first put in
 * NARROW_PARTS ranges of their distance in place, and each range sorted with a spare
 * of its own size; the order is then written over the sorted keys and their room
 * trimmed: 8 bytes an item and the widest range's spare at most (9 for keys spread
 * evenly, 16 if all fall in one range), against 16 with one spare for all (the year
 * run's order of 3 million linkages by id was the peak of its memory, issue #16). The
 * same order as the pairs': by key, ties by index. */
static int order_narrow(const vipa__allocator *a, vipa__keyed records, size_t count,
                        uint64_t smallest, uint64_t largest, uint32_t **order)
{
    uint64_t *packed = vipa__malloc(a, count * sizeof *packed);
    if (!packed)
        return VIPA_E_NOMEM;
    for (size_t i = 0; i < count; i++)
        packed[i] = (key_at(records, (uint32_t)i) - smallest) << 32 | (uint64_t)i;
    int shift = 0;
    while (((largest - smallest) >> shift) >= NARROW_PARTS)
        shift++;
    size_t start[NARROW_PARTS + 1], widest = 0;
    distribute(packed, count, shift, start);
    for (int p = 0; p < NARROW_PARTS; p++)
        widest = start[p + 1] - start[p] > widest ? start[p + 1] - start[p] : widest;
    uint64_t *spare = vipa__malloc(a, (widest + 1) * sizeof *spare);
    if (!spare) {
        vipa__free(a, packed);
        return VIPA_E_NOMEM;
    }
    for (int p = 0; p < NARROW_PARTS; p++) {
        uint64_t *part = packed + start[p];
        size_t n = start[p + 1] - start[p];
        if (radix_sort_upper(part, spare, n) != part)
            memcpy(part, spare, n * sizeof *part);
    }
    vipa__free(a, spare);
    ties_by_index(packed, count);
    /* index i's 4 bytes go where key i/2 was, read already (byte copies: no aliasing) */
    unsigned char *bytes = (unsigned char *)packed;
    for (size_t i = 0; i < count; i++) {
        uint64_t v;
        memcpy(&v, bytes + i * sizeof v, sizeof v);
        uint32_t index = (uint32_t)v;
        memcpy(bytes + i * sizeof index, &index, sizeof index);
    }
    uint32_t *fitted = a->realloc_fn(a->opaque, packed, (count + 1) * sizeof *fitted);
    *order = fitted ? fitted : (uint32_t *)(void *)packed;
    return VIPA_OK;
}

int vipa__order_by_key(const vipa__allocator *a, vipa__keyed records, size_t count,
                       uint32_t **order)
{
    *order = NULL;
    if (count >= RADIX_MIN && count <= VIPA_RECORDS_MAX) {
        uint64_t smallest = UINT64_MAX, largest = 0;
        for (size_t i = 0; i < count; i++) {
            uint64_t key = key_at(records, (uint32_t)i);
            smallest = key < smallest ? key : smallest;
            largest = key > largest ? key : largest;
        }
        if (largest - smallest <= UINT32_MAX)
            return order_narrow(a, records, count, smallest, largest, order);
    }
    if (count > SIZE_MAX / sizeof(key_index) - 1)
        return VIPA_E_NOMEM;
    key_index *pairs = vipa__malloc(a, (count + 1) * sizeof *pairs);
    key_index *spare = count >= RADIX_MIN ? vipa__malloc(a, (count + 1) * sizeof *spare) : NULL;
    *order = vipa__malloc(a, (count + 1) * sizeof **order);
    if (!pairs || !*order || (count >= RADIX_MIN && !spare)) {
        vipa__free(a, pairs);
        vipa__free(a, spare);
        vipa__free(a, *order);
        *order = NULL;
        return VIPA_E_NOMEM;
    }
    for (size_t i = 0; i < count; i++)
        pairs[i] = (key_index){key_at(records, (uint32_t)i), (uint32_t)i};
    const key_index *sorted = pairs;
    if (count >= RADIX_MIN)
        sorted = radix_sort(pairs, spare, count);
    else
        vipa__sort(a, pairs, count, sizeof *pairs, by_key, NULL);
    for (size_t i = 0; i < count; i++)
        (*order)[i] = sorted[i].index;
    vipa__free(a, pairs);
    vipa__free(a, spare);
    return VIPA_OK;
}

int vipa__is_sorted(const void *items, size_t count, size_t size,
                    int (*compare)(const void *, const void *))
{
    const char *p = items;
    for (size_t i = 1; i < count; i++, p += size)
        if (compare(p, p + size) > 0)
            return 0;
    return 1;
}

int vipa__is_sorted_by(const void *items, size_t count, size_t size, vipa__compare_fn compare,
                       void *context)
{
    const char *p = items;
    for (size_t i = 1; i < count; i++, p += size)
        if (compare(p, p + size, context) > 0)
            return 0;
    return 1;
}

/* ---- sorting ------------------------------------------------------------------------ */

/* One sort's arguments, fixed for the whole sort. */
typedef struct sorter {
    size_t size;
    vipa__compare_fn compare;
    void *context;
    char *scratch; /* count / 2 + 1 items, or NULL: sort in place */
} sorter;

/* Below this many items, insertion sort: fewer moves than merging. */
enum { INSERTION_MAX = 12 };

static int before(const sorter *s, const void *a, const void *b)
{
    return s->compare(a, b, s->context) < 0;
}

/* Copies one item; the common sizes as fixed-size copies the compiler inlines, since a
 * merge moves every item once per level. */
static inline void copy_item(char *to, const char *from, size_t size)
{
    switch (size) {
    case 4: memcpy(to, from, 4); break;
    case 8: memcpy(to, from, 8); break;
    case 16: memcpy(to, from, 16); break;
    case 24: memcpy(to, from, 24); break;
    case 32: memcpy(to, from, 32); break;
    default: memcpy(to, from, size); break;
    }
}

static void swap_bytes(char *a, char *b, size_t n)
{
    char t[64];
    while (n) {
        size_t k = n < sizeof t ? n : sizeof t;
        memcpy(t, a, k);
        memcpy(a, b, k);
        memcpy(b, t, k);
        a += k;
        b += k;
        n -= k;
    }
}

/* Insertion sort of base[0..n); each item moves past those strictly after it, so equal
 * items keep their order. With scratch the item waits there while the others shift. */
static void insertion_sort(const sorter *s, char *base, size_t n)
{
    size_t z = s->size;
    for (size_t i = 1; i < n; i++) {
        char *item = base + i * z;
        if (!before(s, item, item - z))
            continue;
        if (!s->scratch) {
            for (char *p = item; p > base && before(s, p, p - z); p -= z)
                swap_bytes(p - z, p, z);
            continue;
        }
        memcpy(s->scratch, item, z);
        char *hole = item - z;
        while (hole > base && before(s, s->scratch, hole - z))
            hole -= z;
        memmove(hole + z, hole, (size_t)(item - hole));
        memcpy(hole, s->scratch, z);
    }
}

/* Merges the sorted runs base[0..half) and base[half..n): the left run waits in the
 * scratch, and each place takes the right item only when it is strictly before the left
 * one (stable). The right run's tail is already in place. */
static void merge_buffered(const sorter *s, char *base, size_t half, size_t n)
{
    size_t z = s->size;
    memcpy(s->scratch, base, half * z);
    char *left = s->scratch, *left_end = s->scratch + half * z;
    char *right = base + half * z, *right_end = base + n * z, *out = base;
    while (left < left_end && right < right_end) {
        if (before(s, right, left)) {
            copy_item(out, right, z);
            right += z;
        } else {
            copy_item(out, left, z);
            left += z;
        }
        out += z;
    }
    memcpy(out, left, (size_t)(left_end - left));
}

/* Swaps the blocks base[a..m) and base[m..b) (a rotation by swaps of equal blocks). */
static void rotate(const sorter *s, char *base, size_t a, size_t m, size_t b)
{
    size_t z = s->size, i = m - a, j = b - m;
    while (i != j) {
        if (i > j) {
            swap_bytes(base + (m - i) * z, base + m * z, j * z);
            i -= j;
        } else {
            swap_bytes(base + (m - i) * z, base + (m + j - i) * z, i * z);
            j -= i;
        }
    }
    swap_bytes(base + (m - i) * z, base + m * z, i * z);
}

/* Merges the sorted runs base[a..m) and base[m..b) in place, stably: SymMerge (Kim and
 * Kutzner 2004, as Go's sort.Stable), which splits both runs where a rotation puts them
 * in order and recurses on each side. O(log n) deep. */
static void merge_in_place(const sorter *s, char *base, size_t a, size_t m, size_t b)
{
    size_t z = s->size;
    if (m - a == 1) { /* one left item: it goes before the first right item not before it */
        size_t i = m, j = b;
        while (i < j) {
            size_t h = i + (j - i) / 2;
            if (before(s, base + h * z, base + a * z))
                i = h + 1;
            else
                j = h;
        }
        for (size_t k = a; k + 1 < i; k++)
            swap_bytes(base + k * z, base + (k + 1) * z, z);
        return;
    }
    if (b - m == 1) { /* one right item: it goes after the last left item not after it */
        size_t i = a, j = m;
        while (i < j) {
            size_t h = i + (j - i) / 2;
            if (!before(s, base + m * z, base + h * z))
                i = h + 1;
            else
                j = h;
        }
        for (size_t k = m; k > i; k--)
            swap_bytes(base + k * z, base + (k - 1) * z, z);
        return;
    }
    size_t mid = a + (b - a) / 2, n = mid + m, start, r;
    if (m > mid) {
        start = n - b;
        r = mid;
    } else {
        start = a;
        r = m;
    }
    size_t p = n - 1;
    while (start < r) {
        size_t c = start + (r - start) / 2;
        if (!before(s, base + (p - c) * z, base + c * z))
            start = c + 1;
        else
            r = c;
    }
    size_t end = n - start;
    if (start < m && m < end)
        rotate(s, base, start, m, end);
    if (a < start && start < mid)
        merge_in_place(s, base, a, start, mid);
    if (mid < end && end < b)
        merge_in_place(s, base, mid, end, b);
}

/* Sorts base[0..n): halves sorted, then merged unless already in order. */
static void merge_sort(const sorter *s, char *base, size_t n)
{
    if (n <= INSERTION_MAX) {
        insertion_sort(s, base, n);
        return;
    }
    size_t half = n / 2, z = s->size;
    merge_sort(s, base, half);
    merge_sort(s, base + half * z, n - half);
    if (!before(s, base + half * z, base + (half - 1) * z))
        return; /* the runs are in order already: presorted input is linear */
    if (s->scratch)
        merge_buffered(s, base, half, n);
    else
        merge_in_place(s, base, 0, half, n);
}

void vipa__sort(const vipa__allocator *a, void *items, size_t count, size_t size,
                vipa__compare_fn compare, void *context)
{
    if (count < 2 || size == 0)
        return;
    /* Scratch for the left half of the largest merge and one item of insertion sort. */
    union {
        max_align_t align; /* the comparator reads items in the scratch */
        char bytes[1024];
    } small;
    size_t items_needed = count / 2 + 1;
    sorter s = {size, compare, context, NULL};
    if (items_needed <= sizeof small.bytes / size)
        s.scratch = small.bytes;
    else if (items_needed <= SIZE_MAX / size)
        s.scratch = vipa__malloc(a, items_needed * size); /* NULL: in place */
    merge_sort(&s, items, count);
    if (s.scratch != small.bytes)
        vipa__free(a, s.scratch);
}

/* ---- text arena --------------------------------------------------------------------- */

int vipa__arena_put(const vipa__allocator *a, vipa__arena *arena, const void *bytes, size_t size)
{
    if (arena->length + size >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    void *room = arena->bytes;
    int rc = vipa__reserve(a, &room, &arena->capacity, arena->length + size, 1);
    if (rc != VIPA_OK)
        return rc;
    arena->bytes = room;
    if (size)
        memcpy(arena->bytes + arena->length, bytes, size);
    arena->length += size;
    return VIPA_OK;
}

int vipa__arena_add(const vipa__allocator *a, vipa__arena *arena, const char *text,
                    uint32_t *offset)
{
    if (!text) {
        *offset = VIPA_NO_TEXT;
        return VIPA_OK;
    }
    size_t at = arena->length;
    int rc = vipa__arena_put(a, arena, text, strlen(text) + 1);
    if (rc == VIPA_OK)
        *offset = (uint32_t)at;
    return rc;
}

const char *vipa__arena_get(const vipa__arena *arena, uint32_t offset)
{
    return offset == VIPA_NO_TEXT ? NULL : arena->bytes + offset;
}

void vipa__arena_reset(vipa__arena *arena, size_t length)
{
    arena->length = length;
}

void vipa__arena_free(const vipa__allocator *a, vipa__arena *arena)
{
    vipa__free(a, arena->bytes);
    arena->bytes = NULL;
    arena->length = arena->capacity = 0;
}

/* ---- text checks -------------------------------------------------------------------- */

/* Length of the UTF-8 sequence starting at p, or 0 if it is malformed. */
static size_t utf8_sequence(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    size_t len;
    uint32_t cp;
    if ((p[0] & 0xe0) == 0xc0) {
        len = 2;
        cp = p[0] & 0x1f;
    } else if ((p[0] & 0xf0) == 0xe0) {
        len = 3;
        cp = p[0] & 0x0f;
    } else if ((p[0] & 0xf8) == 0xf0) {
        len = 4;
        cp = p[0] & 0x07;
    } else {
        return 0;
    }
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        cp = cp << 6 | (p[i] & 0x3f);
    }
    static const uint32_t smallest[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < smallest[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return len;
}

int vipa__utf8_valid(const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        size_t len = utf8_sequence(p);
        if (!len)
            return 0;
        p += len;
    }
    return 1;
}

/* The longest prefix of buf[0..length) that does not end inside a UTF-8 character. */
size_t vipa__utf8_whole(const char *buf, size_t length)
{
    size_t lead = length;
    while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xc0) == 0x80)
        lead--;
    if (lead == 0)
        return length;
    unsigned char first = (unsigned char)buf[lead - 1];
    size_t need = first >= 0xf0 ? 4 : first >= 0xe0 ? 3 : first >= 0xc0 ? 2 : 1;
    return length - (lead - 1) < need ? lead - 1 : length;
}
