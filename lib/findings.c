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

/* A finding's message: its format with the arguments, cut to BASE_SIZE - CITATION_ROOM - 1
 * bytes at a whole UTF-8 character, then " (RULE_ID, clause)"; a copy's message is its
 * prefix and that, cut to VIPA_FINDING_MESSAGE_SIZE - 1 bytes. These are the sizes the
 * messages were formatted at when they were stored whole, so the texts are the same. */
enum { BASE_SIZE = 1024, CITATION_ROOM = 96, SPEC_MAX = 32 };

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
    vipa__arena_free(&alloc, &list->text);
    vipa__free(&alloc, list);
}

/* ---- conversion specifications ------------------------------------------------------- */

/* One conversion specification of a format, as printf reads it. */
typedef struct conversion {
    const char *at;     /* its '%' */
    size_t length;      /* from the '%' to its letter, both included */
    int width_star;     /* 1: the width is an int argument */
    int precision_star; /* 1: the precision is an int argument */
    long precision;     /* a precision written in the format; -1 when none */
    char size;          /* 'H' for hh, 'q' for ll, else h, l, j, z, t or 0 */
    char letter;
} conversion;

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_flag(char c)
{
    return c == '-' || c == '+' || c == ' ' || c == '#' || c == '0';
}

static int is_integer(char letter)
{
    switch (letter) {
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': return 1;
    default: return 0;
    }
}

static int is_size(char c)
{
    switch (c) {
    case 'h': case 'l': case 'j': case 'z': case 't': return 1;
    default: return 0;
    }
}

/* The size modifier at *p, stepped over: hh and ll as one letter ('H', 'q'). */
static char read_size(const char **p)
{
    char c = **p;
    if (!is_size(c))
        return 0;
    (*p)++;
    if ((c == 'h' || c == 'l') && **p == c) {
        (*p)++;
        return c == 'h' ? 'H' : 'q';
    }
    return c;
}

/* Reads the specification starting at the '%' at p. 1 when it is one the findings know
 * (see vipa__findings_add), else 0. */
static int read_conversion(const char *p, conversion *c)
{
    const char *q = p + 1;
    *c = (conversion){p, 0, 0, 0, -1, 0, 0};
    while (is_flag(*q))
        q++;
    if (*q == '*')
        c->width_star = 1, q++;
    while (is_digit(*q))
        q++;
    if (*q == '.') {
        q++;
        if (*q == '*')
            c->precision_star = 1, q++;
        else
            for (c->precision = 0; is_digit(*q); q++)
                c->precision = c->precision < 100000000 ? c->precision * 10 + (*q - '0')
                                                        : c->precision;
    }
    c->size = read_size(&q);
    c->letter = *q;
    c->length = (size_t)(q - p) + (*q != '\0');
    if (c->length > SPEC_MAX || !c->letter)
        return 0;
    if (c->letter == '%')
        return c->length == 2;
    return is_integer(c->letter) || ((c->letter == 'c' || c->letter == 's') && !c->size);
}

/* ---- capturing the arguments --------------------------------------------------------- */

/* Appends bytes to the list's text (a captured argument need not be a string). */
static int put(vipa_findings *list, const void *bytes, size_t size)
{
    vipa__arena *t = &list->text;
    if (t->length + size >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    void *room = t->bytes;
    int rc = vipa__reserve(&list->alloc, &room, &t->capacity, t->length + size, 1);
    if (rc != VIPA_OK)
        return rc;
    t->bytes = room;
    if (size)
        memcpy(t->bytes + t->length, bytes, size);
    t->length += size;
    return VIPA_OK;
}

/* An integer is kept in 8 bytes: a signed one as int64_t, an unsigned one as uint64_t. */
static int put_integer(vipa_findings *list, uint64_t bits)
{
    return put(list, &bits, sizeof bits);
}

static uint64_t signed_argument(char size, va_list *args)
{
    switch (size) {
    case 'H': return (uint64_t)(int64_t)(signed char)va_arg(*args, int);
    case 'h': return (uint64_t)(int64_t)(short)va_arg(*args, int);
    case 'l': return (uint64_t)(int64_t)va_arg(*args, long);
    case 'q': return (uint64_t)(int64_t)va_arg(*args, long long);
    case 'j': return (uint64_t)(int64_t)va_arg(*args, intmax_t);
    case 'z': return (uint64_t)va_arg(*args, size_t); /* its signed type: the same bits */
    case 't': return (uint64_t)(int64_t)va_arg(*args, ptrdiff_t);
    default: return (uint64_t)(int64_t)va_arg(*args, int);
    }
}

static uint64_t unsigned_argument(char size, va_list *args)
{
    switch (size) {
    case 'H': return (unsigned char)va_arg(*args, unsigned);
    case 'h': return (unsigned short)va_arg(*args, unsigned);
    case 'l': return va_arg(*args, unsigned long);
    case 'q': return va_arg(*args, unsigned long long);
    case 'j': return va_arg(*args, uintmax_t);
    case 'z': return va_arg(*args, size_t);
    case 't': return (uint64_t)va_arg(*args, ptrdiff_t);
    default: return va_arg(*args, unsigned);
    }
}

/* A string argument: the bytes printf would print of it (a precision cuts it), then a
 * NUL. A NULL string is kept as glibc prints it. */
static int put_string(vipa_findings *list, const char *text, long precision)
{
    if (!text)
        text = "(null)";
    size_t length = strlen(text);
    if (precision >= 0 && (size_t)precision < length)
        length = (size_t)precision;
    int rc = put(list, text, length);
    return rc != VIPA_OK ? rc : put(list, "", 1);
}

/* Captures the arguments of one conversion, its '*' width and precision first. */
static int capture_one(vipa_findings *list, const conversion *c, va_list *args)
{
    int rc = VIPA_OK;
    long precision = c->precision;
    if (c->width_star)
        rc = put_integer(list, (uint64_t)(int64_t)va_arg(*args, int));
    if (c->precision_star && rc == VIPA_OK) {
        precision = va_arg(*args, int);
        rc = put_integer(list, (uint64_t)(int64_t)precision);
    }
    if (rc != VIPA_OK)
        return rc;
    switch (c->letter) {
    case 's': return put_string(list, va_arg(*args, const char *), precision);
    case 'c': return put_integer(list, (uint64_t)(int64_t)va_arg(*args, int));
    case 'd':
    case 'i': return put_integer(list, signed_argument(c->size, args));
    default: return put_integer(list, unsigned_argument(c->size, args));
    }
}

/* Captures every argument of `format` into the list's text; VIPA_E_INVALID for a
 * conversion the findings do not know. */
static int capture(vipa_findings *list, const char *format, va_list *args)
{
    for (const char *p = strchr(format, '%'); p; p = strchr(p, '%')) {
        conversion c;
        if (!read_conversion(p, &c))
            return VIPA_E_INVALID;
        int rc = c.letter == '%' ? VIPA_OK : capture_one(list, &c, args);
        if (rc != VIPA_OK)
            return rc;
        p += c.length;
    }
    return VIPA_OK;
}

/* ---- replaying them ------------------------------------------------------------------ */

/* Where f's captured arguments start (a list whose findings have none may have no text). */
static const char *arguments_of(const vipa_findings *list, const finding_rec *f)
{
    return list->text.bytes ? list->text.bytes + f->args : "";
}

/* Text written as vsnprintf writes it: at most size - 1 bytes and a NUL, while `length`
 * counts the whole text. */
typedef struct text_out {
    char *buf;
    size_t size, length;
} text_out;

static size_t room(const text_out *o)
{
    return o->length < o->size ? o->size - o->length : 0;
}

static void out_bytes(text_out *o, const char *bytes, size_t n)
{
    size_t left = room(o);
    if (left) {
        size_t k = n < left - 1 ? n : left - 1;
        memcpy(o->buf + o->length, bytes, k);
        o->buf[o->length + k] = '\0';
    }
    o->length += n;
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void out_format(text_out *o, const char *format, ...)
{
    size_t left = room(o);
    va_list args;
    va_start(args, format);
    int n = vsnprintf(left ? o->buf + o->length : NULL, left, format, args);
    va_end(args);
    o->length += n > 0 ? (size_t)n : 0;
}

static uint64_t take_integer(const char **args)
{
    uint64_t bits;
    memcpy(&bits, *args, sizeof bits);
    *args += sizeof bits;
    return bits;
}

static const char *take_string(const char **args)
{
    const char *text = *args;
    *args += strlen(text) + 1;
    return text;
}

/* The specification of c as it is replayed: each '*' replaced by its captured value (a
 * negative precision left out, as printf ignores it; a negative width is the '-' flag and
 * the width, as printf reads it), and an integer's size ll, the size it is kept in. */
static void replay_spec(char *spec, size_t size, const conversion *c, const char **args)
{
    text_out o = {spec, size, 0};
    const char *letter = c->at + c->length - 1;
    for (const char *q = c->at; q < letter; q++) {
        if (*q == '.' && q[1] == '*') {
            long long precision = (long long)(int64_t)take_integer(args);
            if (precision >= 0)
                out_format(&o, ".%lld", precision);
            q++;
        } else if (*q == '*') {
            out_format(&o, "%lld", (long long)(int64_t)take_integer(args));
        } else if (!is_size(*q)) {
            out_bytes(&o, q, 1);
        }
    }
    out_bytes(&o, is_integer(*letter) ? "ll" : "", is_integer(*letter) ? 2 : 0);
    out_bytes(&o, letter, 1);
}

/* Writes one conversion with its captured arguments, and steps over them. */
static void replay_one(text_out *o, const conversion *c, const char **args)
{
    char spec[SPEC_MAX + 48];
    replay_spec(spec, sizeof spec, c, args);
    switch (c->letter) {
    case 's': out_format(o, spec, take_string(args)); break;
    case 'c': out_format(o, spec, (int)(int64_t)take_integer(args)); break;
    case 'd':
    case 'i': out_format(o, spec, (long long)(int64_t)take_integer(args)); break;
    default: out_format(o, spec, (unsigned long long)take_integer(args)); break;
    }
}

/* `format` with the arguments captured at `args`, into o. The format was read at
 * capture, so every conversion is known. */
static void replay(text_out *o, const char *format, const char *args)
{
    const char *p = format;
    for (const char *at = strchr(p, '%'); at; at = strchr(p, '%')) {
        conversion c;
        read_conversion(at, &c);
        out_bytes(o, p, (size_t)(at - p));
        if (c.letter == '%')
            out_bytes(o, "%", 1);
        else
            replay_one(o, &c, &args);
        p = at + c.length;
    }
    out_bytes(o, p, strlen(p));
}

/* The bytes of the captured arguments of a finding, for a copy: 8 for each integer
 * (and each '*'), a string's and its NUL. */
static size_t captured_size(const vipa_findings *list, const finding_rec *f)
{
    const char *args = arguments_of(list, f), *end = args;
    conversion c;
    for (const char *p = strchr(f->format, '%'); p; p = strchr(p + c.length, '%')) {
        read_conversion(p, &c);
        if (c.letter == '%')
            continue;
        end += (size_t)(c.width_star + c.precision_star) * sizeof(uint64_t);
        end += c.letter == 's' ? strlen(end) + 1 : sizeof(uint64_t);
    }
    return (size_t)(end - args);
}

/* A finding's own message (without a copy's prefix) into buf[BASE_SIZE]: the sentence cut
 * at a UTF-8 character boundary, leaving room for the citation, then the citation.
 * Returns its length. */
static size_t own_message(char *buf, const vipa_findings *list, const finding_rec *f)
{
    text_out o = {buf, BASE_SIZE - CITATION_ROOM, 0};
    buf[0] = '\0';
    replay(&o, f->format, arguments_of(list, f));
    size_t at = o.length < o.size ? o.length : vipa__utf8_whole(buf, o.size - 1);
    vipa_rule rule = (vipa_rule)f->rule;
    int n = snprintf(buf + at, BASE_SIZE - at, " (%s, %s)", vipa_rule_id(rule),
                     vipa_rule_clause(rule));
    size_t length = at + (n > 0 ? (size_t)n : 0);
    return length < BASE_SIZE ? length : BASE_SIZE - 1;
}

/* The message of finding f into buf[VIPA_FINDING_MESSAGE_SIZE]; returns its length. A
 * copy's prefix and message are cut at the buffer's size, byte-wise, as they always were. */
static size_t compose(char *buf, const vipa_findings *list, const finding_rec *f)
{
    if (f->prefix == VIPA_NO_TEXT)
        return own_message(buf, list, f);
    char own[BASE_SIZE];
    size_t t = own_message(own, list, f);
    const char *prefix = vipa__arena_get(&list->text, f->prefix);
    size_t p = strlen(prefix);
    if (p > VIPA_FINDING_MESSAGE_SIZE - 1)
        p = VIPA_FINDING_MESSAGE_SIZE - 1;
    if (t > VIPA_FINDING_MESSAGE_SIZE - 1 - p)
        t = VIPA_FINDING_MESSAGE_SIZE - 1 - p;
    memcpy(buf, prefix, p);
    memcpy(buf + p, own, t);
    buf[p + t] = '\0';
    return p + t;
}

/* ---- building ------------------------------------------------------------------------ */

/* Room for one more finding, and the messages read so far forgotten. */
static int make_room(vipa_findings *list)
{
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

/* Stores expected and actual, and appends r with them. */
static int append(vipa_findings *list, finding_rec r, const char *expected, const char *actual,
                  size_t mark)
{
    int rc;
    if ((rc = vipa__arena_add(&list->alloc, &list->text, expected, &r.expected)) != VIPA_OK ||
        (rc = vipa__arena_add(&list->alloc, &list->text, actual, &r.actual)) != VIPA_OK)
        return roll_back(list, mark, rc);
    list->items[list->count++] = r;
    return VIPA_OK;
}

int vipa__findings_add(vipa_findings *list, const vipa__finding_in *in, const char *format, ...)
{
    int rc = make_room(list);
    if (rc != VIPA_OK)
        return rc;
    size_t mark = list->text.length;
    if (mark >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    finding_rec r = {in->subject_id, format, in->year, (uint32_t)mark, VIPA_NO_TEXT,
                     VIPA_NO_TEXT, VIPA_NO_TEXT, (uint8_t)in->rule,
                     (uint8_t)(in->severity ? in->severity : vipa_rule_severity(in->rule)),
                     (uint8_t)in->subject_kind};
    va_list args;
    va_start(args, format);
    rc = capture(list, format, &args);
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

/* The prefix of a copy of f: `prefix` and f's own prefix, cut as the message would cut
 * them. The prefix of the copy before is reused when it is the same (the failed checks
 * of one evaluation share one). */
static int copy_prefix(vipa_findings *list, const vipa_findings *from, const finding_rec *f,
                       const char *prefix, uint32_t *offset)
{
    char both[VIPA_FINDING_MESSAGE_SIZE];
    const char *before = vipa__arena_get(&from->text, f->prefix);
    if (before) {
        size_t p = length_within(prefix, sizeof both - 1);
        size_t b = length_within(before, sizeof both - 1 - p);
        memcpy(both, prefix, p);
        memcpy(both + p, before, b);
        both[p + b] = '\0';
        prefix = both;
    } else if (length_within(prefix, sizeof both) > sizeof both - 1) {
        memcpy(both, prefix, sizeof both - 1);
        both[sizeof both - 1] = '\0';
        prefix = both;
    }
    const char *last = vipa__arena_get(&list->text, list->last_prefix);
    if (last && strcmp(last, prefix) == 0) {
        *offset = list->last_prefix;
        return VIPA_OK;
    }
    int rc = vipa__arena_add(&list->alloc, &list->text, prefix, offset);
    if (rc == VIPA_OK)
        list->last_prefix = *offset;
    return rc;
}

/* Copies f's captured arguments to the end of the list's text. */
static int copy_arguments(vipa_findings *list, const vipa_findings *from, const finding_rec *f)
{
    size_t size = captured_size(from, f);
    if (list->text.length + size >= VIPA_NO_TEXT)
        return VIPA_E_LIMIT;
    void *room = list->text.bytes;
    int rc = vipa__reserve(&list->alloc, &room, &list->text.capacity, list->text.length + size, 1);
    list->text.bytes = room;
    if (rc != VIPA_OK)
        return rc;
    if (size)
        memcpy(list->text.bytes + list->text.length, arguments_of(from, f), size);
    list->text.length += size;
    return VIPA_OK;
}

int vipa__findings_copy(vipa_findings *list, const vipa_findings *from, size_t i, int year,
                        const char *prefix)
{
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
    if ((rc = copy_arguments(list, from, f)) != VIPA_OK ||
        (rc = copy_prefix(list, from, f, prefix, &r.prefix)) != VIPA_OK)
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
    compose(mx, list, x);
    compose(my, list, y);
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

/* The same message without formatting either: one format (a literal, so one pointer),
 * the same captured arguments byte for byte and the same prefix. A comparison pairs the
 * findings of two runs, most of them unchanged, so this spares formatting both. */
int vipa__findings_same_message(const vipa_findings *a, size_t i, const vipa_findings *b, size_t j)
{
    const finding_rec *x = &a->items[i], *y = &b->items[j];
    if (x->format != y->format || (x->prefix == VIPA_NO_TEXT) != (y->prefix == VIPA_NO_TEXT))
        return 0;
    if (x->prefix != VIPA_NO_TEXT &&
        strcmp(vipa__arena_get(&a->text, x->prefix), vipa__arena_get(&b->text, y->prefix)) != 0)
        return 0;
    size_t n = captured_size(a, x);
    return n == captured_size(b, y) && memcmp(arguments_of(a, x), arguments_of(b, y), n) == 0;
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

int vipa_finding_message_format(char *buf, size_t size, const vipa_findings *list, size_t i)
{
    if (!buf || !list) {
        if (buf && size > 0)
            buf[0] = '\0';
        return VIPA_E_INVALID;
    }
    char message[VIPA_FINDING_MESSAGE_SIZE];
    const finding_rec *f = at(list, i);
    size_t length = f ? compose(message, list, f) : 0;
    if (!f || length >= size) {
        if (size > 0)
            buf[0] = '\0';
        return VIPA_E_RANGE;
    }
    memcpy(buf, message, length + 1);
    return VIPA_OK;
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
    size_t length = compose(message, list, f);
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
