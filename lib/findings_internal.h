/*
 * The findings module's internals (findings.c): building a findings list. The checks
 * of every module append to one, then it is sorted and frozen. Internal; the public
 * read side is include/vipa/findings.h.
 */
#ifndef VIPA_FINDINGS_INTERNAL_H
#define VIPA_FINDINGS_INTERNAL_H

#include "store_internal.h"
#include "vipa/findings.h"

typedef struct finding_rec {
    uint64_t subject_id;
    int32_t year;
    uint32_t message, expected, actual; /* offsets into text; VIPA_NO_TEXT when none */
    uint8_t rule, severity, subject_kind;
} finding_rec;

struct vipa_findings {
    vipa__allocator alloc;
    finding_rec *items;
    size_t count, capacity;
    vipa__arena text;
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

/* Appends a finding whose message is formatted from `format`; the rule ID and clause
 * are appended to the message, so every message cites them. VIPA_OK, VIPA_E_NOMEM, or
 * VIPA_E_LIMIT when the list's text would pass its 4 GiB of offsets. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int vipa__findings_add(vipa_findings *list, const vipa__finding_in *in, const char *format, ...);

/* Appends finding i of `from` to `list` with another year and its message prefixed
 * (the citation is kept, not repeated). VIPA_OK, VIPA_E_NOMEM or VIPA_E_LIMIT. */
int vipa__findings_copy(vipa_findings *list, const vipa_findings *from, size_t i, int year,
                        const char *prefix);

/* Sorts into the published order: rule, subject kind, subject id, year, message. */
void vipa__findings_sort(vipa_findings *list);

#endif /* VIPA_FINDINGS_INTERNAL_H */
