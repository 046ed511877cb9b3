/* The findings module: findings lists, building, sorting and reading (see
 * include/vipa/findings.h and findings_internal.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "findings_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

vipa_findings *vipa__findings_new(const vipa__allocator *alloc)
{
    vipa_findings *list = vipa__calloc(alloc, 1, sizeof *list);
    if (list)
        list->alloc = *alloc;
    return list;
}

void vipa_findings_free(vipa_findings *list)
{
    if (!list)
        return;
    vipa__allocator alloc = list->alloc;
    vipa__free(&alloc, list->items);
    vipa__arena_free(&alloc, &list->text);
    vipa__free(&alloc, list);
}

/* The message with " (RULE_ID, clause)" appended, so every finding cites both. A long
 * message is cut at a UTF-8 character boundary, leaving room for the citation. */
static int format_message(char *buf, size_t size, vipa_rule rule, const char *format, va_list args)
{
    enum { CITATION_ROOM = 96 };
    int used = vsnprintf(buf, size - CITATION_ROOM, format, args);
    if (used < 0)
        return VIPA_E_INVALID;
    size_t at = (size_t)used < size - CITATION_ROOM ? (size_t)used
                                                    : vipa__utf8_whole(buf, size - CITATION_ROOM - 1);
    snprintf(buf + at, size - at, " (%s, %s)", vipa_rule_id(rule), vipa_rule_clause(rule));
    return VIPA_OK;
}

/* Appends a finding whose full message is ready. */
static int append(vipa_findings *list, const vipa__finding_in *in, const char *message)
{
    void *items = list->items;
    int rc = vipa__reserve(&list->alloc, &items, &list->capacity, list->count + 1, sizeof(finding_rec));
    list->items = items;
    if (rc != VIPA_OK)
        return rc;
    size_t mark = list->text.length;
    finding_rec r = {in->subject_id, in->year, 0, 0, 0, (uint8_t)in->rule,
                     (uint8_t)(in->severity ? in->severity : vipa_rule_severity(in->rule)),
                     (uint8_t)in->subject_kind};
    if ((rc = vipa__arena_add(&list->alloc, &list->text, message, &r.message)) != VIPA_OK ||
        (rc = vipa__arena_add(&list->alloc, &list->text, in->expected, &r.expected)) != VIPA_OK ||
        (rc = vipa__arena_add(&list->alloc, &list->text, in->actual, &r.actual)) != VIPA_OK) {
        vipa__arena_reset(&list->text, mark);
        return rc;
    }
    list->items[list->count++] = r;
    return VIPA_OK;
}

int vipa__findings_add(vipa_findings *list, const vipa__finding_in *in, const char *format, ...)
{
    char message[1024];
    va_list args;
    va_start(args, format);
    int rc = format_message(message, sizeof message, in->rule, format, args);
    va_end(args);
    return rc != VIPA_OK ? rc : append(list, in, message);
}

int vipa__findings_copy(vipa_findings *list, const vipa_findings *from, size_t i, int year,
                        const char *prefix)
{
    const finding_rec *f = &from->items[i];
    vipa__finding_in in = {(vipa_rule)f->rule, (vipa_severity)f->severity,
                           (vipa_subject_kind)f->subject_kind, f->subject_id, year,
                           vipa__arena_get(&from->text, f->expected),
                           vipa__arena_get(&from->text, f->actual)};
    /* snprintf("%s%s") written out: the same bytes, cut at the same length. */
    char message[1200];
    const char *text = vipa__arena_get(&from->text, f->message);
    size_t p = strlen(prefix), t = strlen(text);
    if (p > sizeof message - 1)
        p = sizeof message - 1;
    if (t > sizeof message - 1 - p)
        t = sizeof message - 1 - p;
    memcpy(message, prefix, p);
    memcpy(message + p, text, t);
    message[p + t] = '\0';
    return append(list, &in, message);
}

/* The message is the last key, so the order never depends on the order of adding; the
 * list's text (the context) holds it. */
static int by_published_order(const void *a, const void *b, void *text)
{
    const finding_rec *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule < y->rule ? -1 : 1;
    if (x->subject_kind != y->subject_kind)
        return x->subject_kind < y->subject_kind ? -1 : 1;
    if (x->subject_id != y->subject_id)
        return x->subject_id < y->subject_id ? -1 : 1;
    if (x->year != y->year)
        return x->year < y->year ? -1 : 1;
    return strcmp(vipa__arena_get(text, x->message), vipa__arena_get(text, y->message));
}

/* Findings equal in every key (the same message about the same subject and year) keep
 * the order they were added in: the sort is stable. */
void vipa__findings_sort(vipa_findings *list)
{
    vipa__sort(&list->alloc, list->items, list->count, sizeof *list->items, by_published_order,
               &list->text);
}

/* ---- reading ------------------------------------------------------------------------ */

static const finding_rec *at(const vipa_findings *list, size_t i)
{
    return list && i < list->count ? &list->items[i] : NULL;
}

size_t vipa_findings_count(const vipa_findings *list)
{
    return list ? list->count : 0;
}

size_t vipa_findings_count_at_least(const vipa_findings *list, vipa_severity severity)
{
    size_t n = 0;
    for (size_t i = 0; list && i < list->count; i++)
        n += list->items[i].severity >= (uint8_t)severity;
    return n;
}

vipa_rule vipa_finding_rule(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? (vipa_rule)f->rule : VIPA_RULE_NONE;
}

vipa_severity vipa_finding_severity(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? (vipa_severity)f->severity : VIPA_SEVERITY_NONE;
}

vipa_subject_kind vipa_finding_subject_kind(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? (vipa_subject_kind)f->subject_kind : VIPA_SUBJECT_NONE;
}

uint64_t vipa_finding_subject_id(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? f->subject_id : 0;
}

int vipa_finding_year(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? f->year : 0;
}

const char *vipa_finding_message(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? vipa__arena_get(&list->text, f->message) : "";
}

const char *vipa_finding_expected(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? vipa__arena_get(&list->text, f->expected) : NULL;
}

const char *vipa_finding_actual(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    return f ? vipa__arena_get(&list->text, f->actual) : NULL;
}

const char *vipa_subject_kind_name(vipa_subject_kind kind)
{
    return vipa__word(VIPA_VOCAB_SUBJECT_KIND, (int)kind);
}
