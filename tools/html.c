/* A growable text buffer with HTML escaping, for `vipa report`. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

void html_init(html_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
    b->put = NULL;
    b->sink = NULL;
    b->flushed = 0;
    b->put_failed = 0;
}

void html_set_sink(html_buf *b, cli_put_fn put, void *sink)
{
    b->put = put;
    b->sink = sink;
}

int html_flush(html_buf *b)
{
    if (b->put == NULL || b->failed || b->len == 0)
        return b->failed ? -1 : 0;
    if (b->put(b->sink, b->data, b->len) != 0) {
        b->failed = 1;
        b->put_failed = 1;
        return -1;
    }
    b->flushed += b->len;
    b->len = 0;
    b->data[0] = '\0';
    return 0;
}

size_t html_size(const html_buf *b)
{
    return b->flushed + b->len;
}

void html_free(html_buf *b)
{
    free(b->data);
    html_init(b);
}

/* Makes room for @p more bytes and the NUL; returns 0, or -1 (and sets failed). */
static int reserve(html_buf *b, size_t more)
{
    if (b->failed)
        return -1;
    if (more >= SIZE_MAX / 2 - b->len) {
        b->failed = 1;
        return -1;
    }
    size_t need = b->len + more + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap == 0 ? 4096 : b->cap;
    while (cap < need)
        cap *= 2;
    char *bigger = realloc(b->data, cap);
    if (bigger == NULL) {
        b->failed = 1;
        return -1;
    }
    b->data = bigger;
    b->cap = cap;
    return 0;
}

static void append(html_buf *b, const char *bytes, size_t n)
{
    if (reserve(b, n) != 0)
        return;
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    if (b->put != NULL && b->len >= HTML_FLUSH_BYTES)
        html_flush(b);
}

void html_raw(html_buf *b, const char *markup)
{
    append(b, markup, strlen(markup));
}

void html_printf(html_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if (reserve(b, (size_t)n) != 0)
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    if (b->put != NULL && b->len >= HTML_FLUSH_BYTES)
        html_flush(b);
}

/* Length of the well-formed UTF-8 sequence at @p s (1..4), or 0 when it is not one
 * (overlong forms, surrogates and code points above U+10FFFF are not). */
static size_t utf8_sequence(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

void html_text(html_buf *b, const char *text)
{
    if (text == NULL)
        return;
    const unsigned char *s = (const unsigned char *)text;
    const unsigned char *run = s; /* start of the bytes copied as they are */
    while (*s != '\0') {
        const char *ref = NULL;
        size_t skip = 1;
        switch (*s) {
        case '&': ref = "&amp;"; break;
        case '<': ref = "&lt;"; break;
        case '>': ref = "&gt;"; break;
        case '"': ref = "&quot;"; break;
        case '\'': ref = "&#39;"; break;
        default:
            if ((*s < 0x20 && *s != '\t' && *s != '\n') || *s == 0x7F) {
                ref = "\xEF\xBF\xBD"; /* U+FFFD */
            } else {
                size_t n = utf8_sequence(s);
                if (n == 0)
                    ref = "\xEF\xBF\xBD";
                else
                    skip = n;
            }
        }
        if (ref != NULL) {
            append(b, (const char *)run, (size_t)(s - run));
            html_raw(b, ref);
            s += skip;
            run = s;
        } else {
            s += skip;
        }
    }
    append(b, (const char *)run, (size_t)(s - run));
}
