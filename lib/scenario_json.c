/*
 * The scenario module: the JSON writer of the scenario (scenario_export.c) and the report
 * (scenario_report.c), declared in scenario_internal.h. It writes the text as it goes, in
 * the layout of jansson's dump (JSON_COMPACT, or JSON_INDENT(2)), so that a text once
 * dumped by jansson keeps its bytes: one text, whole, in a block handed to the caller
 * (buffer mode), or a fixed block given to the caller's function each time it fills
 * (sink mode), so memory does not grow with the text.
 *
 * Every write goes through write_bytes(); the first failure sticks (w->rc), and every
 * later write does nothing, so a writer of records checks nothing until the end.
 */
#include <stdio.h>
#include <string.h>

#include "scenario_internal.h"
#include "vipa/error.h"
#include "vipa/money.h"

/* ---- the two modes --------------------------------------------------------------------- */

static void start(vipa__json *w, const vipa__allocator *a, unsigned options)
{
    memset(w, 0, sizeof *w);
    w->alloc = a;
    w->options = options;
    w->first[0] = 1;
    w->rc = VIPA_OK;
}

void vipa__json_to_buffer(vipa__json *w, const vipa__allocator *a, unsigned options, size_t limit,
                          const char *limit_why)
{
    start(w, a, options);
    /* One byte is always kept for the NUL, so the length never reaches SIZE_MAX. */
    w->limit = limit ? limit : SIZE_MAX - 1;
    w->limit_why = limit_why ? limit_why : "the text is too long";
}

void vipa__json_to_sink(vipa__json *w, const vipa__allocator *a, unsigned options, size_t block,
                        vipa__json_sink sink, void *opaque)
{
    start(w, a, options);
    w->sink = sink;
    w->opaque = opaque;
    w->data = vipa__malloc(a, block);
    w->capacity = w->data ? block : 0;
    if (!w->data)
        vipa__json_fail(w, VIPA_E_NOMEM, "out of memory");
}

void vipa__json_fail(vipa__json *w, int rc, const char *why)
{
    if (w->rc == VIPA_OK) {
        w->rc = rc;
        w->why = why;
    }
}

/* Buffer mode: room for `more` bytes (and a NUL), growing geometrically, within the
 * limit. 1, or 0 with the failure set. */
static int reserve(vipa__json *w, size_t more)
{
    if (more > w->limit - w->length) {
        vipa__json_fail(w, VIPA_E_LIMIT, w->limit_why);
        return 0;
    }
    size_t need = w->length + more + 1;
    if (need <= w->capacity)
        return 1;
    size_t capacity = w->capacity ? w->capacity : 4096;
    while (capacity < need) /* a 32-bit size_t cannot always double */
        capacity = capacity > SIZE_MAX / 2 ? need : capacity * 2;
    char *data = vipa__handed_resize(w->alloc, w->data, capacity);
    if (!data) {
        vipa__json_fail(w, VIPA_E_NOMEM, "out of memory");
        return 0;
    }
    w->data = data;
    w->capacity = capacity;
    return 1;
}

/* Sink mode: the block so far to the sink, which is never called again once it failed. */
static void flush(vipa__json *w)
{
    if (w->rc != VIPA_OK || w->length == 0)
        return;
    if (w->sink(w->opaque, w->data, w->length) != 0)
        vipa__json_fail(w, VIPA_E_IO, "the output's write function failed");
    w->length = 0;
}

static void write_bytes(vipa__json *w, const char *bytes, size_t n)
{
    if (w->rc != VIPA_OK)
        return;
    if (!w->sink) {
        if (reserve(w, n)) {
            memcpy(w->data + w->length, bytes, n);
            w->length += n;
        }
        return;
    }
    while (n > 0 && w->rc == VIPA_OK) {
        if (w->length == w->capacity)
            flush(w);
        size_t room = w->capacity - w->length, k = n < room ? n : room;
        memcpy(w->data + w->length, bytes, k);
        w->length += k;
        bytes += k;
        n -= k;
    }
}

int vipa__json_end(vipa__json *w, char **text, size_t *length)
{
    if (text)
        *text = NULL;
    if (length)
        *length = 0;
    if (w->sink) {
        flush(w);
        vipa__free(w->alloc, w->data);
    } else if (w->rc == VIPA_OK && reserve(w, 0) && text) {
        w->data[w->length] = '\0'; /* reserve() always keeps room for it */
        *text = w->data;
        if (length)
            *length = w->length;
    } else {
        vipa_free(w->data);
    }
    w->data = NULL;
    w->length = w->capacity = 0;
    return w->rc;
}

/* ---- layout ------------------------------------------------------------------------------ */

void vipa__json_raw(vipa__json *w, const char *bytes, size_t n)
{
    write_bytes(w, bytes, n);
}

static void write_str(vipa__json *w, const char *text)
{
    write_bytes(w, text, strlen(text));
}

/* A new line indented to `depth` (pretty only), as JSON_INDENT(2). */
static void newline(vipa__json *w, int depth)
{
    static const char spaces[2 * VIPA__JSON_MAX_DEPTH + 1] = "                                ";
    if (!(w->options & VIPA__JSON_PRETTY))
        return;
    write_bytes(w, "\n", 1);
    write_bytes(w, spaces, 2 * (size_t)depth);
}

void vipa__json_item(vipa__json *w)
{
    if (!w->first[w->depth])
        write_bytes(w, ",", 1);
    w->first[w->depth] = 0;
    newline(w, w->depth);
}

void vipa__json_key(vipa__json *w, const char *key)
{
    vipa__json_item(w);
    write_bytes(w, "\"", 1);
    write_str(w, key);
    write_str(w, (w->options & VIPA__JSON_PRETTY) ? "\": " : "\":");
}

void vipa__json_open(vipa__json *w, char bracket)
{
    write_bytes(w, &bracket, 1);
    if (w->depth + 1 >= VIPA__JSON_MAX_DEPTH) { /* the shapes written nest 8 deep at most */
        vipa__json_fail(w, VIPA_E_INVALID, "nesting too deep (a library bug)");
        return;
    }
    w->first[++w->depth] = 1;
}

/* An empty container closes on its line: "[]", "{}", as jansson writes them. */
void vipa__json_close(vipa__json *w, char bracket)
{
    int empty = w->first[w->depth];
    if (w->depth > 0)
        w->depth--;
    if (!empty)
        newline(w, w->depth);
    write_bytes(w, &bracket, 1);
}

/* ---- values ------------------------------------------------------------------------------ */

void vipa__json_null(vipa__json *w)
{
    write_str(w, "null");
}

void vipa__json_int(vipa__json *w, long long value)
{
    char text[24];
    int n = snprintf(text, sizeof text, "%lld", value); /* jansson's JSON_INTEGER_FORMAT */
    write_bytes(w, text, (size_t)n);
}

void vipa__json_uint(vipa__json *w, uint64_t value)
{
    if (value > (uint64_t)INT64_MAX) {
        vipa__json_fail(w, VIPA_E_RANGE, "an id or weight is above INT64_MAX; JSON integers "
                        "are signed 64-bit");
        return;
    }
    vipa__json_int(w, (long long)value);
}

void vipa__json_bool(vipa__json *w, int value)
{
    write_str(w, value ? "true" : "false");
}

/* The escape of a byte that a JSON string may not hold as it is: the quote, the
 * backslash, a C0 control. jansson 2.14's dump (dump_string) writes \b \t \n \f \r for
 * theirs and \u00XX in upper-case hex for the other controls, and nothing else escaped
 * without JSON_ENSURE_ASCII or JSON_ESCAPE_SLASH: not '/', not DEL, not U+2028. */
static void write_escape(vipa__json *w, unsigned char c)
{
    static const char short_escapes[] = "btn\0fr"; /* \b \t \n - \f \r for 8..13 */
    const char *hex = (w->options & VIPA__JSON_UPPER_HEX) ? "0123456789ABCDEF"
                                                          : "0123456789abcdef";
    if (c == '"' || c == '\\') {
        const char escape[2] = {'\\', (char)c};
        write_bytes(w, escape, 2);
    } else if (c >= 8 && c <= 13 && c != 11) {
        const char escape[2] = {'\\', short_escapes[c - 8]};
        write_bytes(w, escape, 2);
    } else {
        const char escape[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        write_bytes(w, escape, 6);
    }
}

static int needs_escape(unsigned char c)
{
    return c == '"' || c == '\\' || c < 0x20;
}

/* The text written in runs: the bytes between two escapes in one write. */
void vipa__json_text(vipa__json *w, const char *text)
{
    if (!text) {
        vipa__json_null(w);
        return;
    }
    if (!vipa__utf8_valid(text)) {
        vipa__json_fail(w, VIPA_E_INVALID, "a stored text is not UTF-8 (a library bug)");
        return;
    }
    write_bytes(w, "\"", 1);
    const char *run = text, *p = text;
    for (; *p && w->rc == VIPA_OK; p++) {
        if (!needs_escape((unsigned char)*p))
            continue;
        write_bytes(w, run, (size_t)(p - run));
        write_escape(w, (unsigned char)*p);
        run = p + 1;
    }
    write_bytes(w, run, (size_t)(p - run));
    write_bytes(w, "\"", 1);
}

void vipa__json_fen(vipa__json *w, vipa_fen amount)
{
    char text[VIPA_FEN_FORMAT_SIZE];
    vipa_fen_format(text, sizeof text, amount); /* the buffer always fits */
    vipa__json_text(w, text);
}

void vipa__json_code(vipa__json *w, vipa_area_code code)
{
    char text[VIPA_AREA_CODE_SIZE];
    if (vipa_area_code_format(text, sizeof text, code) != VIPA_OK)
        vipa__json_fail(w, VIPA_E_INVALID, "a stored area code is no area (a library bug)");
    else
        vipa__json_text(w, text);
}

void vipa__json_date(vipa__json *w, vipa_date date)
{
    char text[VIPA_DATE_FORMAT_SIZE];
    if (vipa_date_format(text, sizeof text, date) != VIPA_OK)
        vipa__json_fail(w, VIPA_E_INVALID, "a stored date is no day (a library bug)");
    else
        vipa__json_text(w, text);
}

/* ---- members ----------------------------------------------------------------------------- */

void vipa__json_member_int(vipa__json *w, const char *key, long long value)
{
    vipa__json_key(w, key);
    vipa__json_int(w, value);
}

void vipa__json_member_id(vipa__json *w, const char *key, uint64_t id)
{
    vipa__json_key(w, key);
    vipa__json_uint(w, id);
}

void vipa__json_member_bool(vipa__json *w, const char *key, int value)
{
    vipa__json_key(w, key);
    vipa__json_bool(w, value);
}

void vipa__json_member_text(vipa__json *w, const char *key, const char *text)
{
    vipa__json_key(w, key);
    vipa__json_text(w, text);
}

void vipa__json_member_fen(vipa__json *w, const char *key, vipa_fen amount)
{
    vipa__json_key(w, key);
    vipa__json_fen(w, amount);
}

void vipa__json_member_code(vipa__json *w, const char *key, vipa_area_code code)
{
    vipa__json_key(w, key);
    vipa__json_code(w, code);
}

void vipa__json_member_date(vipa__json *w, const char *key, vipa_date date)
{
    vipa__json_key(w, key);
    vipa__json_date(w, date);
}
