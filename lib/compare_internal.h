/*
 * The compare module's internals: what the JSON writer (compare_json.c) reads of a
 * comparison besides the public accessors (compare.c).
 */
#ifndef VIPA_COMPARE_INTERNAL_H
#define VIPA_COMPARE_INTERNAL_H

#include "registry_internal.h"
#include "vipa/compare.h"

/* The context run on a side (0 baseline, 1 reform): the profile the JSON sets beside the
 * other's. */
const vipa_ctx *vipa__comparison_context(const vipa_comparison *c, int side);

/* The allocator of the comparison and of the texts it hands out. */
const vipa__allocator *vipa__comparison_allocator(const vipa_comparison *c);

#endif /* VIPA_COMPARE_INTERNAL_H */
