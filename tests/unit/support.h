/*
 * What several unit tests share: an allocator that runs out of memory on demand, to
 * test every VIPA_E_NOMEM path (zlib- and SQLite-style injection through
 * vipa_ctx_options). Include after <cmocka.h>: it allocates with cmocka's test_malloc,
 * so a leak also fails the test.
 */
#ifndef VIPA_TEST_SUPPORT_H
#define VIPA_TEST_SUPPORT_H

#include "vipa.h"

/* Allocations left before every further one fails (-1: no limit), and blocks alive. */
typedef struct test_allocator {
    long left;
    long live;
} test_allocator;

static int test_allocator_spend(test_allocator *a)
{
    if (a->left == 0)
        return 0;
    if (a->left > 0)
        a->left--;
    return 1;
}

static void *test_allocator_malloc(void *opaque, size_t size)
{
    test_allocator *a = opaque;
    void *p = test_allocator_spend(a) ? test_malloc(size) : NULL;
    a->live += p != NULL;
    return p;
}

static void *test_allocator_realloc(void *opaque, void *ptr, size_t size)
{
    test_allocator *a = opaque;
    void *p = test_allocator_spend(a) ? test_realloc(ptr, size) : NULL;
    a->live += p && !ptr;
    return p;
}

static void test_allocator_free(void *opaque, void *ptr)
{
    test_allocator *a = opaque;
    a->live -= ptr != NULL;
    test_free(ptr);
}

/* Context options that allocate through `a`. */
static vipa_ctx_options test_allocator_options(test_allocator *a)
{
    vipa_ctx_options o = VIPA_CTX_OPTIONS_INIT;
    o.malloc_fn = test_allocator_malloc;
    o.realloc_fn = test_allocator_realloc;
    o.free_fn = test_allocator_free;
    o.allocator_opaque = a;
    return o;
}

#endif /* VIPA_TEST_SUPPORT_H */
