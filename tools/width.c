/* Display width of UTF-8 text, without the locale: tables of Chinese names and clauses
 * must line up the same way in every environment (a C locale would call them 1 or -1
 * column wide). East Asian Wide and Fullwidth characters take 2 columns, combining
 * marks and zero-width characters none, everything else 1. */
#include <stdint.h>

#include "cli.h"

struct range {
    uint32_t first, last;
};

/* East Asian Wide (W) and Fullwidth (F) blocks of Unicode, coarsened to blocks: the
 * characters a poverty-alleviation record can hold (CJK, kana, hangul, fullwidth
 * punctuation such as （）；、。) and emoji. */
static const struct range wide[] = {
    {0x1100, 0x115F},   {0x231A, 0x231B},   {0x2329, 0x232A},   {0x2E80, 0x303E},
    {0x3041, 0x33FF},   {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
    {0xA960, 0xA97F},   {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
    {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F},
    {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
};

/* Combining marks and zero-width format characters. */
static const struct range zero[] = {
    {0x0300, 0x036F}, {0x200B, 0x200F}, {0x2028, 0x202E}, {0x2060, 0x2064},
    {0x20D0, 0x20FF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F}, {0xFEFF, 0xFEFF},
};

static int in(const struct range *r, size_t n, uint32_t c)
{
    for (size_t i = 0; i < n; i++)
        if (c >= r[i].first && c <= r[i].last)
            return 1;
    return 0;
}

static size_t char_width(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7F && c < 0xA0))
        return 0;
    if (in(zero, sizeof zero / sizeof zero[0], c))
        return 0;
    return in(wide, sizeof wide / sizeof wide[0], c) ? 2 : 1;
}

/* Decodes one UTF-8 sequence at @p s; a malformed byte decodes as itself (1 column),
 * so broken text still gets a width instead of derailing the table. */
static size_t decode(const unsigned char *s, uint32_t *c)
{
    size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
             : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0)
        return (*c = 0xFFFD), 1;
    uint32_t v = n == 1 ? s[0] : (uint32_t)(s[0] & (0x7F >> n));
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return (*c = 0xFFFD), 1;
        v = (v << 6) | (s[i] & 0x3F);
    }
    *c = v;
    return n;
}

size_t cli_display_width(const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t width = 0;
    while (*s != '\0') {
        uint32_t c;
        s += decode(s, &c);
        width += char_width(c);
    }
    return width;
}
