/*
 * The store module's internals (store.c): storage primitives of a context: the
 * allocator, growable arrays, the id → index hash and key order, a text arena, and
 * UTF-8 checks. Internal; never installed. (The context's error message is the
 * registry's: vipa__fail, registry_internal.h.)
 *
 * Records are kept compactly in arrays indexed by uint32_t, with an open-addressing
 * hash from id to index, so that 30 million households fit in a few hundred MiB.
 * Every add is all-or-nothing: capacity is reserved first (the only step that can run
 * out of memory), then records are written and, on a later validation failure, taken
 * back (vipa__idmap_remove, vipa__arena_reset).
 */
#ifndef VIPA_STORE_INTERNAL_H
#define VIPA_STORE_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "vipa/common.h"

/* ---- allocator ---------------------------------------------------------------- */

typedef struct vipa__allocator {
    void *(*malloc_fn)(void *opaque, size_t size);
    void *(*realloc_fn)(void *opaque, void *ptr, size_t size);
    void (*free_fn)(void *opaque, void *ptr);
    void *opaque;
} vipa__allocator;

/* The allocator of plain malloc/realloc/free. */
vipa__allocator vipa__alloc_default(void);
void *vipa__malloc(const vipa__allocator *a, size_t size);
void *vipa__calloc(const vipa__allocator *a, size_t count, size_t size);
void vipa__free(const vipa__allocator *a, void *ptr);

/* Allocates (memory NULL) or resizes memory to hand to the caller, who frees it with
 * vipa_free(): a block of the allocator `a` with a header before the pointer returned
 * that names `a`'s free function, because vipa_free() has no context argument. Like
 * realloc: NULL on failure (or a size overflow), memory then unchanged. The pointer
 * keeps malloc's alignment. */
void *vipa__handed_resize(const vipa__allocator *a, void *memory, size_t size);

/* Grows *items (of item_size bytes each) so it holds at least `need` items; the
 * capacity at least doubles (grows by an eighth past 64 MiB), so appends are amortised
 * O(1). VIPA_OK, VIPA_E_NOMEM or
 * VIPA_E_LIMIT (more than VIPA_RECORDS_MAX * 64 items or a size overflow). */
int vipa__reserve(const vipa__allocator *a, void **items, size_t *capacity, size_t need,
                  size_t item_size);

/* ---- id → index hash ------------------------------------------------------------ */

#define VIPA_NO_INDEX UINT32_MAX

/* Slots hold index + 1 (0 = empty) under a tag of a few bits of the key's hash; the key
 * of an index is read from the records themselves (a uint64_t at offset 0 of each record
 * of `stride` bytes), only when the tag matches, so the map costs 4 bytes a slot, 5.3 a
 * record at its maximum load of three quarters (twice that just after it doubles), and
 * a lookup reads one record (its own) at most, mostly. */
typedef struct vipa__idmap {
    uint32_t *slots;
    size_t mask; /* slot count - 1; slot count is a power of two, or 0 */
    size_t count;
} vipa__idmap;

/* Records of `stride` bytes from `base`, each with its key in the uint64_t at its offset
 * 0, shifted right by `shift` bits: a record may keep a small field of its own in the
 * bits below its key (a household's guarantees of a year, registry_internal.h), so the
 * map finds it by the key alone. Most records keep the key whole (shift 0). 16 bytes,
 * so that it is passed in two registers: every lookup takes one by value, and a struct
 * of three words goes through the stack (x86-64 System V). */
typedef struct vipa__keyed {
    const void *base;
    uint32_t stride; /* a record's size: a few dozen bytes */
    uint32_t shift;
} vipa__keyed;
_Static_assert(sizeof(vipa__keyed) <= 2 * sizeof(uint64_t), "a keyed array fits two registers");

/* The key of record `index`. */
uint64_t vipa__keyed_key(vipa__keyed records, uint32_t index);

/* Makes room for `total` keys without exceeding a load of three quarters; rehashes from
 * `records`. */
int vipa__idmap_reserve(const vipa__allocator *a, vipa__idmap *map, size_t total,
                        vipa__keyed records);
uint32_t vipa__idmap_find(const vipa__idmap *map, vipa__keyed records, uint64_t key);
/* Asks the processor for the slot where the lookup of key begins, so that a batch can
 * start the memory reads of its next records' lookups before it does this one's (a hint:
 * no effect on any result). */
void vipa__idmap_prefetch(const vipa__idmap *map, uint64_t key);
/* Asks for the record a lookup of key will compare (the first slot of its probe whose tag
 * matches), reading the slots: best once vipa__idmap_prefetch's slot has arrived. */
void vipa__idmap_prefetch_record(const vipa__idmap *map, vipa__keyed records, uint64_t key);
/* Needs room reserved; the key must not be present. */
void vipa__idmap_insert(vipa__idmap *map, vipa__keyed records, uint64_t key, uint32_t index);
/* Removes a present key (backward-shift deletion: no tombstones). */
void vipa__idmap_remove(vipa__idmap *map, vipa__keyed records, uint64_t key);
void vipa__idmap_free(const vipa__allocator *a, vipa__idmap *map);

/* The indexes 0..count-1 of keyed records in ascending key order, in a new array the
 * caller frees (vipa__free); VIPA_OK or VIPA_E_NOMEM. Lists sorted by id come from it. */
int vipa__order_by_key(const vipa__allocator *a, vipa__keyed records, size_t count,
                       uint32_t **order);

/* ---- sorting ------------------------------------------------------------------------ */

/* A comparator with the sort's context passed through: qsort() has none, which led to
 * copies of context into the items (a finding's message pointer) and to hand-written
 * sorts. Negative, 0 or positive as a sorts before, with or after b. */
typedef int (*vipa__compare_fn)(const void *a, const void *b, void *context);

/* Sorts items[0..count), of `size` bytes each, by `compare` (given `context`), stably:
 * items that compare equal keep their order, so the result is the one order the
 * comparator allows, on every platform, whatever the input order. A merge sort (as
 * libgit2's git__qsort_r, with a context; unlike qsort, stable everywhere) that merges
 * nothing when two runs are already in order, so sorted input costs count - 1
 * comparisons. Its scratch, count / 2 items, comes from `a` (from the stack for small
 * sorts); when `a` refuses it, the same order is reached in place, more slowly (a
 * rotation merge, O(count log² count)), so the sort never fails. */
void vipa__sort(const vipa__allocator *a, void *items, size_t count, size_t size,
                vipa__compare_fn compare, void *context);

/* 1 if items[0..count) are in the order of `compare` (each ≤ the next), else 0: a sort
 * can be skipped when the items come in order already, which for a comparator whose
 * equal items are interchangeable gives the same array qsort would. */
int vipa__is_sorted(const void *items, size_t count, size_t size,
                    int (*compare)(const void *, const void *));
/* vipa__is_sorted for a comparator of vipa__sort's kind, given `context`. */
int vipa__is_sorted_by(const void *items, size_t count, size_t size, vipa__compare_fn compare,
                       void *context);

/* ---- text arena --------------------------------------------------------------------- */

#define VIPA_NO_TEXT UINT32_MAX

/* NUL-terminated strings appended end to end, referred to by offset. */
typedef struct vipa__arena {
    char *bytes;
    size_t length;
    size_t capacity;
} vipa__arena;

/* Appends `size` bytes as they are (a captured argument need not be a string): VIPA_OK,
 * VIPA_E_NOMEM, or VIPA_E_LIMIT when the arena would reach VIPA_NO_TEXT bytes. */
int vipa__arena_put(const vipa__allocator *a, vipa__arena *arena, const void *bytes, size_t size);

/* Appends a copy of text (NULL stores nothing and gives VIPA_NO_TEXT). */
int vipa__arena_add(const vipa__allocator *a, vipa__arena *arena, const char *text,
                    uint32_t *offset);
const char *vipa__arena_get(const vipa__arena *arena, uint32_t offset);
void vipa__arena_reset(vipa__arena *arena, size_t length);
void vipa__arena_free(const vipa__allocator *a, vipa__arena *arena);

/* ---- text checks -------------------------------------------------------------------- */

/* 1 if text is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). */
int vipa__utf8_valid(const char *text);

/* The longest prefix of buf[0..length) that does not end inside a UTF-8 character: where
 * to cut a message that is too long. */
size_t vipa__utf8_whole(const char *buf, size_t length);

#endif /* VIPA_STORE_INTERNAL_H */
