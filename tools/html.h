/* The HTML report of the `vipa` command (`vipa report`): a growable text buffer with
 * HTML escaping, and the page renderer. Nothing here is part of the library's API. */
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
} html_buf;

void html_init(html_buf *b);
void html_free(html_buf *b);

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

/* ---- report_html.c: the page ------------------------------------------------------- */

/* The number of buckets of the income histogram: [0, 0.25), [0.25, 0.5), ... [2.75, 3)
 * of income ÷ (poverty line × members), then 3 and above; the first bucket also holds
 * any negative income. */
#define REPORT_HIST_BUCKETS 13

/* Renders the whole page for the run of @p s into @p out. @p source names the scenario
 * on the page (escaped here). Returns 0, or -1 when out of memory. */
int report_html_render(html_buf *out, const cli_session *s, const report_names *names,
                       const char *source);

#endif /* VIPA_HTML_H */
