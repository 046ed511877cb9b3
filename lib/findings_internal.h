/*
 * The findings module's internals (findings.c): building a findings list. The checks
 * of every module append to one, then it is sorted and frozen. Internal; the public
 * read side is include/vipa/findings.h.
 */
#ifndef VIPA_FINDINGS_INTERNAL_H
#define VIPA_FINDINGS_INTERNAL_H

#include <stdatomic.h>

#include "messages_internal.h"
#include "store_internal.h"
#include "vipa/findings.h"

/* A finding as kept: its keys and the makings of its message, never the message itself
 * (a run of a province makes hundreds of thousands of findings, and their sentences
 * would be a large part of its memory). The message is its catalogue entry
 * (messages_internal.h) replayed with the captured arguments, in English or Chinese,
 * formatted when asked for (vipa_finding_message, vipa_finding_message_format and
 * vipa_finding_message_format_lang, findings.c). */
typedef struct finding_rec {
    uint64_t subject_id;
    int32_t year;
    uint32_t args;      /* offset into text: the arguments of `message`, captured */
    /* Offset into text: what a copy's message starts with, VIPA_NO_TEXT when none: the
     * English prefix (a string), then the prefixes' messages for the other language: a
     * count byte and that many (16-bit id, captured arguments), outermost first. */
    uint32_t prefix;
    uint32_t expected, actual; /* offsets into text; VIPA_NO_TEXT when none */
    /* Its index when it was added (the list refuses more than UINT32_MAX findings): the
     * year run's failed rows name their findings by it, and by where the sort moved
     * them after it (run_result.c). It takes 4 of the record's 7 bytes of padding. */
    uint32_t added;
    uint16_t message;   /* its vipa__msg; from VIPA__MSG_COUNT on, a format outside the catalogue */
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
    const char **formats; /* the formats outside the catalogue, by message - VIPA__MSG_COUNT */
    size_t format_count, format_capacity;
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

/* Appends a finding whose message is catalogue entry `message` with its arguments; the
 * rule ID and clause are appended to the message, so every message cites them. The message
 * is not formatted now: its arguments are captured (strings copied), to be replayed in
 * either language when the message is asked for, with the same text vsnprintf gives of the
 * English template, cut to the same length. Use through VIPA__FINDING, which checks the
 * arguments against the English template at compile time. VIPA_OK, VIPA_E_INVALID,
 * VIPA_E_NOMEM, or VIPA_E_LIMIT when the list's text would pass its 4 GiB of offsets.
 * Adding forgets the messages read so far (read messages only from a finished list). */
int vipa__findings_add(vipa_findings *list, const vipa__finding_in *in, vipa__msg message, ...);

/* Appends a finding whose message is `format`, a printf format outside the catalogue (a
 * string literal, or one that lives as long as the list), in English in every language:
 * for tests of the replay. As vipa__findings_add otherwise; VIPA_E_LIMIT past 65,000 formats. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int vipa__findings_add_format(vipa_findings *list, const vipa__finding_in *in, const char *format,
                              ...);

/* vipa__findings_add(list, in, VIPA__MSG_<id>, ...), its arguments checked. */
#define VIPA__FINDING(list, in, id, ...)                                                         \
    (VIPA__MSG_CHECK(id, __VA_ARGS__), vipa__findings_add(list, in, VIPA__MSG_##id, __VA_ARGS__))

/* Appends finding i of `from` (another list) to `list` with another year and its message
 * prefixed by catalogue entry `prefix` with its arguments (the citation is kept, not
 * repeated). VIPA_OK, VIPA_E_INVALID, VIPA_E_NOMEM or VIPA_E_LIMIT. Use through
 * VIPA__FINDING_COPY. */
int vipa__findings_copy(vipa_findings *list, const vipa_findings *from, size_t i, int year,
                        vipa__msg prefix, ...);
#define VIPA__FINDING_COPY(list, from, i, year, id, ...)                                         \
    (VIPA__MSG_CHECK(id, __VA_ARGS__),                                                           \
     vipa__findings_copy(list, from, i, year, VIPA__MSG_##id, __VA_ARGS__))

/* 1 when finding i of `a` and finding j of `b` have the same message, told without
 * formatting either (one format, the same captured arguments and prefix); 0 when they
 * may differ (then format them to know). */
int vipa__findings_same_message(const vipa_findings *a, size_t i, const vipa_findings *b, size_t j);

/* Sorts into the published order: rule, subject kind, subject id, year, message (the
 * messages formatted only to break ties of the other keys). Forgets the messages read. */
void vipa__findings_sort(vipa_findings *list);

#endif /* VIPA_FINDINGS_INTERNAL_H */
