/* Text for a terminal: what a scenario says (names, industries, support, and the
 * library's messages that quote them) must not reach a terminal as control sequences
 * (an OSC that retitles the window, a CSI that clears the screen, a BEL). Control
 * characters are shown escaped instead; every other character, Chinese included,
 * passes unchanged. JSON and HTML output escape in their own ways and do not use this. */
#define _POSIX_C_SOURCE 200809L

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Longest escape written for one character: "\u009f" (6) or "\x1b" (4). */
#define ESC_MAX 8

/* The code point of the well-formed UTF-8 sequence at @p s and its length, or 0 when
 * the bytes there are none (a stray continuation byte, an overlong form, a surrogate,
 * beyond U+10FFFF, or cut short by the end of the text). */
static size_t utf8_char(const unsigned char *s, uint32_t *cp)
{
    size_t n;
    uint32_t v, min;
    if (s[0] < 0x80)
        return (*cp = s[0]), 1;
    if ((s[0] & 0xE0) == 0xC0)
        n = 2, v = s[0] & 0x1Fu, min = 0x80;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, v = s[0] & 0x0Fu, min = 0x800;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4, v = s[0] & 0x07u, min = 0x10000;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        v = (v << 6) | (s[i] & 0x3Fu);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

/* The shown form of the character at @p s (not at its end): into @p out, with its
 * length in *out_len. Returns how many bytes of @p s it stands for. C0 controls and DEL
 * become \xHH (the newline stays when @p keep_newlines), C1 controls \u00HH, and a byte
 * that is not UTF-8 \xHH; everything else is copied. */
static size_t shown(char out[ESC_MAX], size_t *out_len, const unsigned char *s, int keep_newlines)
{
    uint32_t cp = 0;
    size_t n = utf8_char(s, &cp);
    if (n == 0 || cp == 0x7F || (cp < 0x20 && !(cp == '\n' && keep_newlines))) {
        *out_len = (size_t)snprintf(out, ESC_MAX, "\\x%02x", (unsigned)s[0]);
        return 1;
    }
    if (cp >= 0x80 && cp <= 0x9F) {
        *out_len = (size_t)snprintf(out, ESC_MAX, "\\u%04x", (unsigned)cp);
        return n;
    }
    memcpy(out, s, n);
    *out_len = n;
    return n;
}

char *cli_escape(const char *text, int keep_newlines)
{
    const unsigned char *s = (const unsigned char *)text;
    char one[ESC_MAX];
    size_t size = 1, len;
    for (size_t i = 0; s[i] != '\0';) {
        i += shown(one, &len, s + i, keep_newlines);
        size += len;
    }
    char *copy = malloc(size);
    if (copy == NULL)
        return NULL;
    char *p = copy;
    for (size_t i = 0; s[i] != '\0';) {
        i += shown(one, &len, s + i, keep_newlines);
        memcpy(p, one, len);
        p += len;
    }
    *p = '\0';
    return copy;
}

void cli_fputs_escaped(const char *text, int keep_newlines, FILE *out)
{
    const unsigned char *s = (const unsigned char *)text;
    char one[ESC_MAX];
    size_t len;
    for (size_t i = 0; s[i] != '\0';) {
        i += shown(one, &len, s + i, keep_newlines);
        fwrite(one, 1, len, out);
    }
}

void cli_errorf(const char *fmt, ...)
{
    /* Formatted whole first: the arguments (file names, the library's messages quoting
     * the scenario) are what may hold control characters. */
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    char *text = small, *big = NULL;
    if ((size_t)n >= sizeof small && (big = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(big, (size_t)n + 1, fmt, ap);
        va_end(ap);
        text = big;
    } /* else: out of memory, the message is shown cut short rather than not at all */
    size_t len = strlen(text), flen = strlen(fmt);
    int newline = flen > 0 && fmt[flen - 1] == '\n';
    if (newline && len > 0 && text[len - 1] == '\n')
        text[len - 1] = '\0';
    char *shown_text = cli_escape(text, 0);
    if (shown_text != NULL) {
        fprintf(stderr, "%s%s", shown_text, newline ? "\n" : ""); /* one line, one write */
    } else {
        cli_fputs_escaped(text, 0, stderr);
        if (newline)
            fputc('\n', stderr);
    }
    free(shown_text);
    free(big);
}
