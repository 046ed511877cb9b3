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

/* A finding's message: its template with the arguments, cut to BASE_SIZE - CITATION_ROOM - 1
 * bytes at a whole UTF-8 character, then " (RULE_ID, clause)"; a copy's message is its
 * prefix and that, cut to VIPA_FINDING_MESSAGE_SIZE - 1 bytes. These are the sizes the
 * messages were formatted at when they were stored whole, so the texts are the same. */
enum { BASE_SIZE = 1024, CITATION_ROOM = 96 };

vipa_findings *vipa__findings_new(const vipa__allocator *alloc)
{
    vipa_findings *list = vipa__calloc(alloc, 1, sizeof *list);
    if (list) {
        list->alloc = *alloc;
        list->last_prefix = VIPA_NO_TEXT;
        atomic_init(&list->messages, NULL);
    }
    return list;
}

/* Frees the messages formatted so far: the list is changing, and its indexes with it. */
static void forget_messages(vipa_findings *list)
{
    vipa__message_slot *slots = atomic_load_explicit(&list->messages, memory_order_acquire);
    if (!slots)
        return;
    for (size_t i = 0; i < list->count; i++)
        vipa__free(&list->alloc, atomic_load_explicit(&slots[i], memory_order_relaxed));
    vipa__free(&list->alloc, slots);
    atomic_store_explicit(&list->messages, NULL, memory_order_relaxed);
}

void vipa_findings_free(vipa_findings *list)
{
    if (!list)
        return;
    vipa__allocator alloc = list->alloc;
    forget_messages(list);
    vipa__free(&alloc, list->items);
    vipa__free(&alloc, list->formats);
    vipa__arena_free(&alloc, &list->text);
    vipa__free(&alloc, list);
}

/* The English template of f, which its arguments were captured with. */
static const char *english_of(const vipa_findings *list, const finding_rec *f)
{
    if (f->message < VIPA__MSG_COUNT)
        return vipa__msg_template((vipa__msg)f->message, VIPA__LANG_EN);
    return list->formats[f->message - VIPA__MSG_COUNT];
}

/* The template of f in `lang`: a format outside the catalogue is English in every language. */
static const char *template_of(const vipa_findings *list, const finding_rec *f, vipa__lang lang)
{
    if (f->message < VIPA__MSG_COUNT)
        return vipa__msg_template((vipa__msg)f->message, lang);
    return list->formats[f->message - VIPA__MSG_COUNT];
}

/* The message number of `format` in the list, added if new. */
static int format_number(vipa_findings *list, const char *format, uint16_t *message)
{
    size_t k = 0;
    while (k < list->format_count && list->formats[k] != format)
        k++;
    if (k == list->format_count) {
        if (VIPA__MSG_COUNT + k >= UINT16_MAX)
            return VIPA_E_LIMIT;
        void *items = list->formats;
        int rc = vipa__reserve(&list->alloc, &items, &list->format_capacity, k + 1, sizeof format);
        list->formats = items;
        if (rc != VIPA_OK)
            return rc;
        list->formats[list->format_count++] = format;
    }
    *message = (uint16_t)(VIPA__MSG_COUNT + k);
    return VIPA_OK;
}

/* Where f's captured arguments start (a list whose findings have none may have no text). */
static const char *arguments_of(const vipa_findings *list, const finding_rec *f)
{
    return list->text.bytes ? list->text.bytes + f->args : "";
}

/* Appends bytes to the list's text (a prefix's messages are not strings). */
static int put(vipa_findings *list, const void *bytes, size_t size)
{
    return vipa__arena_put(&list->alloc, &list->text, bytes, size);
}

/* A finding's own message (without a copy's prefix) in `lang` into buf[BASE_SIZE]: the
 * sentence cut at a UTF-8 character boundary, leaving room for the citation, then the
 * citation. Returns its length. */
static size_t own_message(char *buf, const vipa_findings *list, const finding_rec *f,
                          vipa__lang lang)
{
    vipa__text_out o = {buf, BASE_SIZE - CITATION_ROOM, 0};
    buf[0] = '\0';
    vipa__fmt_replay(&o, english_of(list, f), template_of(list, f, lang), arguments_of(list, f),
                     lang);
    size_t at = o.length < o.size ? o.length : vipa__utf8_whole(buf, o.size - 1);
    vipa_rule rule = (vipa_rule)f->rule;
    int n = snprintf(buf + at, BASE_SIZE - at, vipa__msg_template(VIPA__MSG_F_CITATION, lang),
                     vipa_rule_id(rule), vipa_rule_clause(rule));
    size_t length = at + (n > 0 ? (size_t)n : 0);
    return length < BASE_SIZE ? length : BASE_SIZE - 1;
}

/* The end of a copy's English prefix at `blob`: where the prefix's messages start. */
static const char *prefix_messages(const char *blob)
{
    return blob + strlen(blob) + 1;
}

/* The bytes of the prefix's messages at `messages` (the count byte included). */
static size_t prefix_messages_size(const char *messages)
{
    const char *p = messages + 1;
    for (unsigned k = 0; k < (unsigned char)messages[0]; k++) {
        uint16_t id;
        memcpy(&id, p, sizeof id);
        p += sizeof id;
        p += vipa__msg_captured_size((vipa__msg)id, p);
    }
    return (size_t)(p - messages);
}

/* A copy's prefix in `lang` into o: its messages replayed, outermost first. */
static void prefix_text(vipa__text_out *o, const char *blob, vipa__lang lang)
{
    const char *messages = prefix_messages(blob), *p = messages + 1;
    for (unsigned k = 0; k < (unsigned char)messages[0]; k++) {
        uint16_t id;
        memcpy(&id, p, sizeof id);
        p += sizeof id;
        vipa__msg_replay(o, (vipa__msg)id, p, lang);
        p += vipa__msg_captured_size((vipa__msg)id, p);
    }
}

/* The message of finding f in `lang` into buf[VIPA_FINDING_MESSAGE_SIZE]; returns its
 * length. A copy's English prefix and message are cut at the buffer's size, byte-wise, as
 * they always were; the other language's at a whole UTF-8 character. */
static size_t compose(char *buf, const vipa_findings *list, const finding_rec *f, vipa__lang lang)
{
    if (f->prefix == VIPA_NO_TEXT)
        return own_message(buf, list, f, lang);
    char own[BASE_SIZE];
    size_t t = own_message(own, list, f, lang);
    const char *blob = vipa__arena_get(&list->text, f->prefix);
    if (lang != VIPA__LANG_EN) {
        vipa__text_out o = {buf, VIPA_FINDING_MESSAGE_SIZE, 0};
        buf[0] = '\0';
        prefix_text(&o, blob, lang);
        vipa__text_bytes(&o, own, t);
        return o.length < o.size ? o.length : vipa__utf8_whole(buf, o.size - 1);
    }
    size_t p = strlen(blob);
    if (p > VIPA_FINDING_MESSAGE_SIZE - 1)
        p = VIPA_FINDING_MESSAGE_SIZE - 1;
    if (t > VIPA_FINDING_MESSAGE_SIZE - 1 - p)
        t = VIPA_FINDING_MESSAGE_SIZE - 1 - p;
    memcpy(buf, blob, p);
    memcpy(buf + p, own, t);
    buf[p + t] = '\0';
    return p + t;
}

/* ---- building ------------------------------------------------------------------------ */

/* Room for one more finding, and the messages read so far forgotten. */
static int make_room(vipa_findings *list)
{
    if (list->count >= UINT32_MAX)
        return VIPA_E_LIMIT; /* every finding's `added` index fits in 32 bits */
    forget_messages(list);
    void *items = list->items;
    int rc = vipa__reserve(&list->alloc, &items, &list->capacity, list->count + 1, sizeof(finding_rec));
    list->items = items;
    return rc;
}

/* Takes back the text added since `mark` after a failure. */
static int roll_back(vipa_findings *list, size_t mark, int rc)
{
    vipa__arena_reset(&list->text, mark);
    if (list->last_prefix != VIPA_NO_TEXT && list->last_prefix >= mark)
        list->last_prefix = VIPA_NO_TEXT;
    return rc;
}

/* Stores `text` (expected or actual; NULL: none) at *offset, or points at the same bytes
 * among those this finding has put in the list's text since `mark`: a money check's
 * expected and actual are also arguments of its message, captured as the string and
 * its NUL, so each is kept once (about 20 bytes a finding of a province's 377,000,
 * issue #16). Any place the bytes and their NUL are found reads back as the same string.
 * Nothing this finding put there is changed after it is appended, and a roll-back takes
 * it all back together. */
static int keep_text(vipa_findings *list, size_t mark, const char *text, uint32_t *offset)
{
    if (text) {
        size_t n = strlen(text) + 1, end = list->text.length;
        for (size_t at = mark; n <= end - at; at++)
            if (memcmp(list->text.bytes + at, text, n) == 0) {
                *offset = (uint32_t)at; /* below the list's length: a valid offset */
                return VIPA_OK;
            }
    }
    return vipa__arena_add(&list->alloc, &list->text, text, offset);
}

/* Stores expected and actual, and appends r with them. */
static int append(vipa_findings *list, finding_rec r, const char *expected, const char *actual,
                  size_t mark)
{
    int rc;
    if ((rc = keep_text(list, mark, expected, &r.expected)) != VIPA_OK ||
        (rc = keep_text(list, mark, actual, &r.actual)) != VIPA_OK)
        return roll_back(list, mark, rc);
    r.added = (uint32_t)list->count;
    list->items[list->count++] = r;
    return VIPA_OK;
}

/* A finding's record, its arguments to be captured at `mark` of the list's text. */
static finding_rec new_record(const vipa__finding_in *in, size_t mark, uint16_t message)
{
    finding_rec r = {in->subject_id, in->year, (uint32_t)mark, VIPA_NO_TEXT,
                     VIPA_NO_TEXT, VIPA_NO_TEXT, 0 /* added: set by append */, message,
                     (uint8_t)in->rule,
                     (uint8_t)(in->severity ? in->severity : vipa_rule_severity(in->rule)),
                     (uint8_t)in->subject_kind};
    return r;
}

int vipa__findings_add(vipa_findings *list, const vipa__finding_in *in, vipa__msg message, ...)
{
    int rc = make_room(list);
    if (rc != VIPA_OK)
        return rc;
    size_t mark = list->text.length;
    if (mark >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    finding_rec r = new_record(in, mark, (uint16_t)message);
    va_list args;
    va_start(args, message);
    rc = vipa__msg_capture(&list->alloc, &list->text, message, &args);
    va_end(args);
    return rc != VIPA_OK ? roll_back(list, mark, rc) : append(list, r, in->expected, in->actual, mark);
}

int vipa__findings_add_format(vipa_findings *list, const vipa__finding_in *in, const char *format,
                              ...)
{
    if (vipa__fmt_has_terms(format))
        return VIPA_E_INVALID;
    int rc = make_room(list);
    uint16_t message = 0;
    if (rc == VIPA_OK)
        rc = format_number(list, format, &message);
    if (rc != VIPA_OK)
        return rc;
    size_t mark = list->text.length;
    if (mark >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    finding_rec r = new_record(in, mark, message);
    va_list args;
    va_start(args, format);
    rc = vipa__fmt_capture(&list->alloc, &list->text, format, &args);
    va_end(args);
    return rc != VIPA_OK ? roll_back(list, mark, rc) : append(list, r, in->expected, in->actual, mark);
}

/* strlen, counting at most `max` bytes (strnlen is POSIX, not C11). */
static size_t length_within(const char *text, size_t max)
{
    size_t n = 0;
    while (n < max && text[n])
        n++;
    return n;
}

/* The English prefix of a copy: `prefix` and f's own prefix, cut as the message would cut
 * them, into both[VIPA_FINDING_MESSAGE_SIZE]. */
static void english_prefix(char *both, const char *prefix, const char *before)
{
    size_t p = length_within(prefix, VIPA_FINDING_MESSAGE_SIZE - 1);
    size_t b = before ? length_within(before, VIPA_FINDING_MESSAGE_SIZE - 1 - p) : 0;
    memcpy(both, prefix, p);
    if (b)
        memcpy(both + p, before, b);
    both[p + b] = '\0';
}

static int from_prefixed(const vipa_findings *from, const finding_rec *f)
{
    return vipa__arena_get(&from->text, f->prefix) != NULL;
}

/* Whether the copy before had just this one message (`id`, the arguments captured at
 * list->text from `captured`) as its whole prefix: then its English text, the message
 * replayed, is this copy's too, and copy_prefix's comparison below would reuse it. Said
 * from the bytes alone, without replaying the message (the failed checks of one
 * evaluation share a prefix: issue #16, replaying it was a twentieth of the run). */
static int same_as_last_prefix(const vipa_findings *list, vipa__msg id, size_t captured,
                               size_t args_size)
{
    const char *last = vipa__arena_get(&list->text, list->last_prefix);
    if (!last)
        return 0;
    const char *messages = prefix_messages(last);
    uint16_t last_id;
    memcpy(&last_id, messages + 1, sizeof last_id);
    return (unsigned char)messages[0] == 1 && last_id == (uint16_t)id &&
           vipa__msg_captured_size(id, messages + 1 + sizeof last_id) == args_size &&
           memcmp(messages + 1 + sizeof last_id, list->text.bytes + captured, args_size) == 0;
}

/* The prefix of a copy of f (see finding_rec): its English text, then its message (`id`
 * with the arguments already captured at list->text from `captured`) and f's own prefix's
 * messages. The prefix of the copy before is reused when it is the same (the failed checks
 * of one evaluation share one). */
static int copy_prefix(vipa_findings *list, const vipa_findings *from, const finding_rec *f,
                       vipa__msg id, size_t captured, uint32_t *offset)
{
    size_t args_size = list->text.length - captured;
    if (!from_prefixed(from, f) && same_as_last_prefix(list, id, captured, args_size)) {
        list->text.length = captured;
        *offset = list->last_prefix;
        return VIPA_OK;
    }
    char english[VIPA_FINDING_MESSAGE_SIZE];
    vipa__text_out o = {english, sizeof english, 0};
    english[0] = '\0';
    vipa__msg_replay(&o, id, list->text.bytes + captured, VIPA__LANG_EN);
    const char *before = vipa__arena_get(&from->text, f->prefix);
    char both[VIPA_FINDING_MESSAGE_SIZE];
    english_prefix(both, english, before);
    const char *before_messages = before ? prefix_messages(before) : NULL;
    unsigned char count = (unsigned char)(1 + (before_messages ? (unsigned char)before_messages[0] : 0));
    if (count == 0)
        return VIPA_E_LIMIT; /* 255 prefixes deep: no copy goes there */
    uint16_t id16 = (uint16_t)id;
    size_t english_size = strlen(both) + 1;
    size_t before_size = before_messages ? prefix_messages_size(before_messages) - 1 : 0;
    size_t size = english_size + 1 + sizeof id16 + args_size + before_size;
    if (captured + size >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    void *room = list->text.bytes;
    int rc = vipa__reserve(&list->alloc, &room, &list->text.capacity, captured + size, 1);
    if (rc != VIPA_OK)
        return rc;
    list->text.bytes = room;
    /* the prefix, whole, takes the place of the arguments captured for it */
    char *out = list->text.bytes + captured;
    memmove(out + english_size + 1 + sizeof id16, out, args_size);
    memcpy(out, both, english_size);
    out[english_size] = (char)count;
    memcpy(out + english_size + 1, &id16, sizeof id16);
    if (before_size)
        memcpy(out + english_size + 1 + sizeof id16 + args_size, before_messages + 1, before_size);
    list->text.length = captured + size;
    const char *mine = list->text.bytes + captured;
    const char *last = vipa__arena_get(&list->text, list->last_prefix);
    if (last && strcmp(last, mine) == 0) {
        const char *lm = prefix_messages(last), *mm = prefix_messages(mine);
        size_t n = prefix_messages_size(lm);
        if (n == prefix_messages_size(mm) && memcmp(lm, mm, n) == 0) {
            list->text.length = captured;
            *offset = list->last_prefix;
            return VIPA_OK;
        }
    }
    *offset = (uint32_t)captured;
    list->last_prefix = *offset;
    return VIPA_OK;
}

/* Copies f's captured arguments to the end of the list's text. */
static int copy_arguments(vipa_findings *list, const vipa_findings *from, const finding_rec *f)
{
    size_t size = vipa__fmt_captured_size(english_of(from, f), arguments_of(from, f));
    return put(list, arguments_of(from, f), size);
}

int vipa__findings_copy(vipa_findings *list, const vipa_findings *from, size_t i, int year,
                        vipa__msg prefix, ...)
{
    /* From another list only: a copy within one list would read texts its own growth
     * may have moved. */
    if (list == from || i >= from->count)
        return VIPA_E_INVALID;
    int rc = make_room(list);
    if (rc != VIPA_OK)
        return rc;
    const finding_rec *f = &from->items[i];
    size_t mark = list->text.length;
    if (mark >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    finding_rec r = *f;
    r.year = year;
    r.args = (uint32_t)mark;
    if (f->message >= VIPA__MSG_COUNT &&
        (rc = format_number(list, english_of(from, f), &r.message)) != VIPA_OK)
        return rc;
    if ((rc = copy_arguments(list, from, f)) != VIPA_OK)
        return roll_back(list, mark, rc);
    size_t captured = list->text.length;
    va_list args;
    va_start(args, prefix);
    rc = vipa__msg_capture(&list->alloc, &list->text, prefix, &args);
    va_end(args);
    if (rc != VIPA_OK || (rc = copy_prefix(list, from, f, prefix, captured, &r.prefix)) != VIPA_OK)
        return roll_back(list, mark, rc);
    return append(list, r, vipa__arena_get(&from->text, f->expected),
                  vipa__arena_get(&from->text, f->actual), mark);
}

/* ---- sorting ------------------------------------------------------------------------- */

/* Two copies whose prefixes differ where both have a byte are ordered by their prefixes
 * alone (the evaluation and the re-check of one year, say), without formatting either
 * message: 1 when they are, with *order as strcmp would give. */
static int prefixes_decide(const vipa_findings *list, const finding_rec *x, const finding_rec *y,
                           int *order)
{
    if (x->prefix == VIPA_NO_TEXT || y->prefix == VIPA_NO_TEXT || x->prefix == y->prefix)
        return 0;
    const unsigned char *p = (const unsigned char *)vipa__arena_get(&list->text, x->prefix);
    const unsigned char *q = (const unsigned char *)vipa__arena_get(&list->text, y->prefix);
    while (*p && *p == *q)
        p++, q++;
    if (!*p || !*q)
        return 0; /* one prefix starts the other: the messages decide */
    *order = *p < *q ? -1 : 1;
    return 1;
}

/* The message is the last key, so the order never depends on the order of adding; the
 * list (the context) makes the messages of two findings that tie on every other key. */
static int by_published_order(const void *a, const void *b, void *list)
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
    int order;
    if (prefixes_decide(list, x, y, &order))
        return order;
    char mx[VIPA_FINDING_MESSAGE_SIZE], my[VIPA_FINDING_MESSAGE_SIZE];
    compose(mx, list, x, VIPA__LANG_EN);
    compose(my, list, y, VIPA__LANG_EN);
    return strcmp(mx, my);
}

/* Findings equal in every key (the same message about the same subject and year) keep
 * the order they were added in: the sort is stable. */
void vipa__findings_sort(vipa_findings *list)
{
    forget_messages(list);
    vipa__sort(&list->alloc, list->items, list->count, sizeof *list->items, by_published_order,
               list);
}

/* The same message without formatting either: one template (the catalogue's, or a
 * literal: one pointer), the same captured arguments byte for byte and the same prefix.
 * A comparison pairs the findings of two runs, most of them unchanged, so this spares
 * formatting both. */
int vipa__findings_same_message(const vipa_findings *a, size_t i, const vipa_findings *b, size_t j)
{
    const finding_rec *x = &a->items[i], *y = &b->items[j];
    const char *format = english_of(a, x);
    if (format != english_of(b, y) || (x->prefix == VIPA_NO_TEXT) != (y->prefix == VIPA_NO_TEXT))
        return 0;
    if (x->prefix != VIPA_NO_TEXT &&
        strcmp(vipa__arena_get(&a->text, x->prefix), vipa__arena_get(&b->text, y->prefix)) != 0)
        return 0;
    size_t n = vipa__fmt_captured_size(format, arguments_of(a, x));
    return n == vipa__fmt_captured_size(format, arguments_of(b, y)) &&
           memcmp(arguments_of(a, x), arguments_of(b, y), n) == 0;
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

int vipa_finding_message_format_lang(char *buf, size_t size, const vipa_findings *list, size_t i,
                                     const char *lang)
{
    vipa__lang l;
    if (!buf || !list || vipa__lang_of(lang, &l) != VIPA_OK) {
        if (buf && size > 0)
            buf[0] = '\0';
        return VIPA_E_INVALID;
    }
    char message[VIPA_FINDING_MESSAGE_SIZE];
    const finding_rec *f = at(list, i);
    size_t length = f ? compose(message, list, f, l) : 0;
    if (!f || length >= size) {
        if (size > 0)
            buf[0] = '\0';
        return VIPA_E_RANGE;
    }
    memcpy(buf, message, length + 1);
    return VIPA_OK;
}

int vipa_finding_message_format(char *buf, size_t size, const vipa_findings *list, size_t i)
{
    return vipa_finding_message_format_lang(buf, size, list, i, NULL);
}

/* The slots of the messages asked for, made by the first reader to ask: readers racing
 * to make them publish one, and the others free theirs. The list is otherwise immutable
 * while it is read, so the slots are the one thing readers write. */
static vipa__message_slot *message_slots(const vipa_findings *list)
{
    vipa_findings *cache = (vipa_findings *)list; /* the cache is atomic; nothing else changes */
    vipa__message_slot *slots = atomic_load_explicit(&cache->messages, memory_order_acquire);
    if (slots)
        return slots;
    vipa__message_slot *mine = vipa__malloc(&cache->alloc, list->count * sizeof *mine);
    if (!mine)
        return NULL;
    for (size_t i = 0; i < list->count; i++)
        atomic_init(&mine[i], NULL);
    if (atomic_compare_exchange_strong_explicit(&cache->messages, &slots, mine,
                                                memory_order_acq_rel, memory_order_acquire))
        return mine;
    vipa__free(&cache->alloc, mine);
    return slots;
}

/* Formatted the first time it is asked for, then kept: the same pointer for every reader,
 * on every thread, until the list is freed. Readers racing on one message each format
 * it; one copy is published, the others are freed. */
const char *vipa_finding_message(const vipa_findings *list, size_t i)
{
    const finding_rec *f = at(list, i);
    vipa__message_slot *slots = f ? message_slots(list) : NULL;
    if (!slots)
        return "";
    char *kept = atomic_load_explicit(&slots[i], memory_order_acquire);
    if (kept)
        return kept;
    char message[VIPA_FINDING_MESSAGE_SIZE];
    size_t length = compose(message, list, f, VIPA__LANG_EN);
    char *mine = vipa__malloc(&list->alloc, length + 1);
    if (!mine)
        return "";
    memcpy(mine, message, length + 1);
    if (atomic_compare_exchange_strong_explicit(&slots[i], &kept, mine, memory_order_acq_rel,
                                                memory_order_acquire))
        return mine;
    vipa__free(&list->alloc, mine);
    return kept;
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
