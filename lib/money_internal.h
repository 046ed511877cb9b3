/*
 * The money module's internals (money.c), shared with the modules above it and the unit
 * tests; never installed. Nothing here is exported: the library is built with hidden
 * visibility and only VIPA_API declarations of include/vipa/ reach the dynamic symbol
 * table.
 */
#ifndef VIPA_MONEY_INTERNAL_H
#define VIPA_MONEY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "vipa/money.h"

/* 128-bit intermediates keep money products exact (GCC and Clang; not ISO C). */
__extension__ typedef __int128 vipa__i128;
__extension__ typedef unsigned __int128 vipa__u128;

/* One entry of the exact split's scratch space: floor share, remainder, position. */
typedef struct vipa__split_slot {
    vipa__u128 remainder;
    uint64_t floor_share;
    size_t index;
} vipa__split_slot;

/* Bytes of scratch vipa__split_into() needs for n parts, or 0 if that overflows. */
size_t vipa__split_scratch_size(size_t n);

/* The exact split of vipa_split(), with caller-provided scratch (so a context can use
 * its own allocator); scratch holds vipa__split_scratch_size(n) bytes. */
int vipa__split_into(vipa_fen *parts, vipa_fen total, const uint64_t *weights, size_t n,
                     vipa__split_slot *scratch);

/* An amount as yuan text by value, for messages: vipa__yuan(2333334).s is "23333.34". */
typedef struct vipa__yuan_text {
    char s[VIPA_FEN_FORMAT_SIZE];
} vipa__yuan_text;
vipa__yuan_text vipa__yuan(vipa_fen amount);

#endif /* VIPA_MONEY_INTERNAL_H */
