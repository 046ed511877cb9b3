/*
 * The findings module's internals (findings.c): building a findings list. The checks
 * of every module append to one, then it is sorted and frozen. Internal; the public
 * read side is include/vipa/findings.h.
 */
#ifndef VIPA_FINDINGS_INTERNAL_H
#define VIPA_FINDINGS_INTERNAL_H

#include <stdatomic.h>

#include "store_internal.h"
#include "vipa/findings.h"

/* A finding as kept: its keys and the makings of its message, never the message itself
 * (a run of a province makes hundreds of thousands of findings, and their sentences
 * would be a large part of its memory). The message is the format replayed with the
 * captured arguments, formatted when asked for (vipa_finding_message and
 * vipa_finding_message_format, findings.c). */
typedef struct finding_rec {
    uint64_t subject_id;
    const char *format; /* the printf format of its sentence: a string literal, kept */
    int32_t year;
    uint32_t args;      /* offset into text: the arguments of `format`, captured */
    uint32_t prefix;    /* offset into text: what a copy's message starts with; VIPA_NO_TEXT */
    uint32_t expected, actual; /* offsets into text; VIPA_NO_TEXT when none */
    uint8_t rule, severity, subject_kind;
} finding_rec;

/* The message of a finding, cached the first time it is asked for: one slot per finding,
 * published atomically, as readers on many threads may ask at once. */
typedef _Atomic(char *) vipa__message_slot;

struct vipa_findings {
    vipa__allocator alloc;
    finding_rec *items;
    size_t count, capacity;
    vipa__arena text;    /* expected, actual, prefixes and captured arguments */
    uint32_t last_prefix; /* the prefix copied last, reused by the next copy that has it */
    _Atomic(vipa__message_slot *) messages; /* NULL until a message is asked for */
};

/* A finding to append; expected and actual may be NULL. */
typedef struct vipa__finding_in {
    vipa_rule rule;
    vipa_severity severity; /* VIPA_SEVERITY_NONE: the rule's own */
    vipa_subject_kind subject_kind;
    uint64_t subject_id;
    int year;
    const char *expected;
    const char *actual;
} vipa__finding_in;

/* A new, empty list using the given allocator; NULL when out of memory. */
vipa_findings *vipa__findings_new(const vipa__allocator *alloc);

/* Appends a finding whose message is `format` with its arguments; the rule ID and
 * clause are appended to the message, so every message cites them. The message is not
 * formatted now: `format` is kept (it must be a string literal, or live as long as the
 * list) and its arguments are captured (strings copied), to be replayed when the message
 * is asked for, with the same text vsnprintf gives, cut to the same length. The
 * conversions known are d i u o x X c s and %%, with flags, width and precision (also
 * '*') and the sizes hh h l ll j z t (not for c and s); any other gives VIPA_E_INVALID.
 * VIPA_OK, VIPA_E_INVALID, VIPA_E_NOMEM, or VIPA_E_LIMIT when the list's text would
 * pass its 4 GiB of offsets. Adding forgets the messages read so far (read messages only
 * from a finished list). */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int vipa__findings_add(vipa_findings *list, const vipa__finding_in *in, const char *format, ...);

/* Appends finding i of `from` (another list) to `list` with another year and its message
 * prefixed (the citation is kept, not repeated). VIPA_OK, VIPA_E_NOMEM or VIPA_E_LIMIT. */
int vipa__findings_copy(vipa_findings *list, const vipa_findings *from, size_t i, int year,
                        const char *prefix);

/* 1 when finding i of `a` and finding j of `b` have the same message, told without
 * formatting either (one format, the same captured arguments and prefix); 0 when they
 * may differ (then format them to know). */
int vipa__findings_same_message(const vipa_findings *a, size_t i, const vipa_findings *b, size_t j);

/* Sorts into the published order: rule, subject kind, subject id, year, message (the
 * messages formatted only to break ties of the other keys). Forgets the messages read. */
void vipa__findings_sort(vipa_findings *list);

#endif /* VIPA_FINDINGS_INTERNAL_H */
