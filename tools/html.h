/* The HTML report of the `vipa` command (`vipa report`): a growable text buffer with
 * HTML escaping, kept whole or flushed to a file as it grows (report.h has the pages).
 * Nothing here is part of the library's API. */
#ifndef VIPA_HTML_H
#define VIPA_HTML_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* ---- html.c: the buffer ------------------------------------------------------------ */

/* A growable, NUL-terminated text. Errors are sticky: after an allocation failure
 * further appends are ignored and `failed` is set, so callers check once at the end. */
typedef struct html_buf {
    char *data;
    size_t len;
    size_t cap;
    int failed;
    /* With a sink (html_set_sink()), the text goes to put() whenever it passes
     * HTML_FLUSH_BYTES, so that a page of any size takes that much memory. */
    cli_put_fn put;
    void *sink;
    size_t flushed;  /* bytes already given to put() */
    int put_failed;  /* put() refused bytes (the sink keeps the error) */
} html_buf;

#define HTML_FLUSH_BYTES 65536

void html_init(html_buf *b);
void html_free(html_buf *b);

/* Sends the text to @p put from now on (what is held goes at the next flush). */
void html_set_sink(html_buf *b, cli_put_fn put, void *sink);
/* Gives what is held to the sink; 0, or -1 when it refused it (failed is then set). */
int html_flush(html_buf *b);
/* The bytes of the text so far: those flushed and those held. */
size_t html_size(const html_buf *b);

/* Appends markup as is: only ever static text or text already escaped. */
void html_raw(html_buf *b, const char *markup);

/* Appends printf-formatted markup. Arguments must be numbers or static text: any text
 * that comes from the input goes through html_text() instead. */
void html_printf(html_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends @p text escaped for element content and double-quoted attribute values:
 * & < > " ' become references, control characters (other than tab and newline) and
 * bytes that are not UTF-8 become U+FFFD. NULL appends nothing. */
void html_text(html_buf *b, const char *text);

#endif /* VIPA_HTML_H */
