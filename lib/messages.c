/* The message catalogue (see messages_internal.h): the templates in both languages, and
 * the capture of a message's arguments and their replay into either language's text. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "messages_internal.h"
#include "vipa/error.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct entry {
    const char *text[2]; /* by vipa__lang */
} entry;

#define ENTRY(id, en, zh) [VIPA__MSG_##id] = {{en, zh}},
static const entry catalogue[] = {VIPA_MESSAGES(ENTRY)};
#undef ENTRY
_Static_assert(COUNT_OF(catalogue) == VIPA__MSG_COUNT, "an entry for every message");
_Static_assert(VIPA__MSG_COUNT <= UINT16_MAX, "an id fits the 16 bits a term keeps");

/* Conversions read per template, and positions a Chinese template may name. */
enum { SPEC_MAX = 32, CONVERSIONS_MAX = 24 };

int vipa__lang_of(const char *lang, vipa__lang *out)
{
    if (!lang || strcmp(lang, "en") == 0)
        *out = VIPA__LANG_EN;
    else if (strcmp(lang, "zh") == 0)
        *out = VIPA__LANG_ZH;
    else
        return VIPA_E_INVALID;
    return VIPA_OK;
}

const char *vipa__msg_template(vipa__msg id, vipa__lang lang)
{
    if ((unsigned)id >= VIPA__MSG_COUNT || (lang != VIPA__LANG_EN && lang != VIPA__LANG_ZH))
        return NULL;
    return catalogue[id].text[lang];
}

void vipa__terms_add(vipa__terms *terms, vipa__msg id)
{
    if (terms->count < VIPA__TERMS_MAX)
        terms->ids[terms->count++] = (uint16_t)id;
}

/* ---- conversion specifications ------------------------------------------------------- */

/* One conversion specification of a template, as printf reads it. */
typedef struct conversion {
    const char *at;     /* its '%' */
    const char *body;   /* what follows the '%' and its "N$" */
    size_t length;      /* from the '%' to its letter, both included */
    long precision;     /* a precision written in the template; -1 when none */
    int position;       /* N of "%N$", 0 when sequential */
    int width_star;     /* 1: the width is an int argument */
    int precision_star; /* 1: the precision is an int argument */
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

/* "N$" at *p (N from 1 to CONVERSIONS_MAX), stepped over; 0 when there is none. */
static int read_position(const char **p)
{
    const char *q = *p;
    int n = 0;
    while (is_digit(*q) && n <= CONVERSIONS_MAX)
        n = n * 10 + (*q++ - '0');
    if (q == *p || *q != '$' || n < 1 || n > CONVERSIONS_MAX)
        return 0;
    *p = q + 1;
    return n;
}

/* Reads the specification starting at the '%' at p. 1 when it is one the catalogue
 * knows (see messages_internal.h), else 0. */
static int read_conversion(const char *p, conversion *c)
{
    const char *q = p + 1;
    *c = (conversion){.at = p, .body = q, .precision = -1};
    c->position = read_position(&q);
    c->body = q;
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
    if (c->position && (c->width_star || c->precision_star))
        return 0; /* a positional conversion takes its value only */
    if (c->letter == 'p')
        return q == c->body; /* a term list is written as it is: no flag, width or size */
    return is_integer(c->letter) || ((c->letter == 'c' || c->letter == 's') && !c->size);
}

/* ---- capturing the arguments --------------------------------------------------------- */

typedef struct sink {
    const vipa__allocator *alloc;
    vipa__arena *text;
} sink;

/* Appends bytes to the text (a captured argument need not be a string). */
static int put(sink *s, const void *bytes, size_t size)
{
    return vipa__arena_put(s->alloc, s->text, bytes, size);
}

/* An integer is kept as its 64 bits (a signed one as int64_t, an unsigned one as
 * uint64_t), 7 to a byte from the lowest, the top bit of each byte saying another
 * follows: ids, years and counts take 1 to 4 bytes instead of 8 (about 16 bytes a
 * finding, issue #16); a negative number takes 10. Read back by take_integer. */
static int put_integer(sink *s, uint64_t bits)
{
    unsigned char bytes[10];
    size_t n = 0;
    do {
        bytes[n] = (unsigned char)(bits & 0x7f);
        bits >>= 7;
        bytes[n] |= bits ? 0x80 : 0;
        n++;
    } while (bits);
    return put(s, bytes, n);
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
static int put_string(sink *s, const char *text, long precision)
{
    if (!text)
        text = "(null)";
    size_t length = strlen(text);
    if (precision >= 0 && (size_t)precision < length)
        length = (size_t)precision;
    int rc = put(s, text, length);
    return rc != VIPA_OK ? rc : put(s, "", 1);
}

/* A term list: its separator, its count and its ids, 16 bits each; ids beyond the
 * catalogue are kept as none. */
static int put_terms(sink *s, const vipa__terms *terms)
{
    uint16_t head[2] = {0, 0};
    if (!terms)
        return put(s, head, sizeof head);
    head[0] = terms->sep < VIPA__MSG_COUNT ? terms->sep : 0;
    head[1] = terms->count < VIPA__TERMS_MAX ? terms->count : VIPA__TERMS_MAX;
    int rc = put(s, head, sizeof head);
    for (uint16_t i = 0; i < head[1] && rc == VIPA_OK; i++) {
        uint16_t id = terms->ids[i] < VIPA__MSG_COUNT ? terms->ids[i] : (uint16_t)VIPA__MSG_COUNT;
        rc = put(s, &id, sizeof id);
    }
    return rc;
}

/* Captures the arguments of one conversion, its '*' width and precision first. */
static int capture_one(sink *s, const conversion *c, va_list *args)
{
    int rc = VIPA_OK;
    long precision = c->precision;
    if (c->width_star)
        rc = put_integer(s, (uint64_t)(int64_t)va_arg(*args, int));
    if (c->precision_star && rc == VIPA_OK) {
        precision = va_arg(*args, int);
        rc = put_integer(s, (uint64_t)(int64_t)precision);
    }
    if (rc != VIPA_OK)
        return rc;
    switch (c->letter) {
    case 's': return put_string(s, va_arg(*args, const char *), precision);
    case 'p': return put_terms(s, va_arg(*args, const void *));
    case 'c': return put_integer(s, (uint64_t)(int64_t)va_arg(*args, int));
    case 'd':
    case 'i': return put_integer(s, signed_argument(c->size, args));
    default: return put_integer(s, unsigned_argument(c->size, args));
    }
}

int vipa__msg_capture(const vipa__allocator *alloc, vipa__arena *text, vipa__msg id,
                      va_list *args)
{
    return vipa__fmt_capture(alloc, text, vipa__msg_template(id, VIPA__LANG_EN), args);
}

int vipa__fmt_capture(const vipa__allocator *alloc, vipa__arena *text, const char *format,
                      va_list *args)
{
    if (!format)
        return VIPA_E_INVALID;
    sink s = {alloc, text};
    for (const char *p = strchr(format, '%'); p; p = strchr(p, '%')) {
        conversion c;
        if (!read_conversion(p, &c) || c.position)
            return VIPA_E_INVALID; /* the unit test keeps every English template readable */
        int rc = c.letter == '%' ? VIPA_OK : capture_one(&s, &c, args);
        if (rc != VIPA_OK)
            return rc;
        p += c.length;
    }
    return VIPA_OK;
}

int vipa__fmt_has_terms(const char *format)
{
    conversion c;
    for (const char *p = strchr(format, '%'); p; p = strchr(p + (c.length ? c.length : 1), '%'))
        if (read_conversion(p, &c) && c.letter == 'p')
            return 1;
        else if (!c.length)
            break;
    return 0;
}

/* ---- the captured arguments, read back ---------------------------------------------- */

/* An integer as put_integer keeps it: at most 10 bytes, the last without its top bit. */
static uint64_t take_integer(const char **args)
{
    const unsigned char *p = (const unsigned char *)*args;
    uint64_t bits = 0;
    unsigned shift = 0;
    for (; *p & 0x80 && shift < 63; p++, shift += 7)
        bits |= (uint64_t)(*p & 0x7f) << shift;
    bits |= (uint64_t)(*p & 0x7f) << shift;
    *args = (const char *)(p + 1);
    return bits;
}

/* Steps over the integers of a conversion's '*' width and precision. */
static void skip_stars(const conversion *c, const char **args)
{
    for (int k = 0; k < c->width_star + c->precision_star; k++)
        take_integer(args);
}

static const char *take_string(const char **args)
{
    const char *text = *args;
    *args += strlen(text) + 1;
    return text;
}

static uint16_t take_u16(const char **args)
{
    uint16_t v;
    memcpy(&v, *args, sizeof v);
    *args += sizeof v;
    return v;
}

/* Steps over the value of conversion c (not its stars). */
static void skip_value(const conversion *c, const char **args)
{
    if (c->letter == 's') {
        take_string(args);
    } else if (c->letter == 'p') {
        take_u16(args);
        *args += (size_t)take_u16(args) * sizeof(uint16_t);
    } else {
        take_integer(args);
    }
}

size_t vipa__msg_captured_size(vipa__msg id, const char *args)
{
    return vipa__fmt_captured_size(vipa__msg_template(id, VIPA__LANG_EN), args);
}

size_t vipa__fmt_captured_size(const char *format, const char *args)
{
    const char *end = args;
    conversion c;
    for (const char *p = format ? strchr(format, '%') : NULL; p; p = strchr(p + c.length, '%')) {
        read_conversion(p, &c);
        if (c.letter == '%')
            continue;
        skip_stars(&c, &end);
        skip_value(&c, &end);
    }
    return (size_t)(end - args);
}

/* ---- replaying them ------------------------------------------------------------------ */

static size_t room(const vipa__text_out *o)
{
    return o->length < o->size ? o->size - o->length : 0;
}

void vipa__text_bytes(vipa__text_out *o, const char *bytes, size_t n)
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
static void out_format(vipa__text_out *o, const char *format, ...)
{
    size_t left = room(o);
    va_list args;
    va_start(args, format);
    int n = vsnprintf(left ? o->buf + o->length : NULL, left, format, args);
    va_end(args);
    o->length += n > 0 ? (size_t)n : 0;
}

/* The specification of c as it is replayed: its "N$" left out, each '*' replaced by its
 * captured value (a negative precision left out, as printf ignores it; a negative width
 * is the '-' flag and the width, as printf reads it), and an integer's size ll, the size
 * it is kept in. */
static void replay_spec(char *spec, size_t size, const conversion *c, const char **args)
{
    vipa__text_out o = {spec, size, 0};
    const char *letter = c->at + c->length - 1;
    vipa__text_bytes(&o, "%", 1);
    for (const char *q = c->body; q < letter; q++) {
        if (*q == '.' && q[1] == '*') {
            long long precision = (long long)(int64_t)take_integer(args);
            if (precision >= 0)
                out_format(&o, ".%lld", precision);
            q++;
        } else if (*q == '*') {
            out_format(&o, "%lld", (long long)(int64_t)take_integer(args));
        } else if (!is_size(*q)) {
            vipa__text_bytes(&o, q, 1);
        }
    }
    vipa__text_bytes(&o, is_integer(*letter) ? "ll" : "", is_integer(*letter) ? 2 : 0);
    vipa__text_bytes(&o, letter, 1);
}

static void replay_terms(vipa__text_out *o, const char **args, vipa__lang lang)
{
    uint16_t sep = take_u16(args), count = take_u16(args);
    for (uint16_t i = 0; i < count; i++) {
        const char *term = vipa__msg_template((vipa__msg)take_u16(args), lang);
        const char *between = vipa__msg_template((vipa__msg)sep, lang);
        if (i > 0 && between)
            vipa__text_bytes(o, between, strlen(between));
        if (term)
            vipa__text_bytes(o, term, strlen(term));
    }
}

/* Writes one conversion with its captured arguments, and steps over them. */
static void replay_one(vipa__text_out *o, const conversion *c, const char **args, vipa__lang lang)
{
    char spec[SPEC_MAX + 48];
    if (c->letter == 'p') {
        replay_terms(o, args, lang);
        return;
    }
    replay_spec(spec, sizeof spec, c, args);
    switch (c->letter) {
    case 's': out_format(o, spec, take_string(args)); break;
    case 'c': out_format(o, spec, (int)(int64_t)take_integer(args)); break;
    case 'd':
    case 'i': out_format(o, spec, (long long)(int64_t)take_integer(args)); break;
    default: out_format(o, spec, (unsigned long long)take_integer(args)); break;
    }
}

/* Where the value of each conversion of the English template of `id` lies in `args`
 * (after its stars): values[k] for the conversion at position k + 1. Returns the count. */
static int locate_values(const char *format, const char *args, const char **values)
{
    int n = 0;
    conversion c;
    for (const char *p = strchr(format, '%'); p && n < CONVERSIONS_MAX; p = strchr(p + c.length, '%')) {
        read_conversion(p, &c);
        if (c.letter == '%')
            continue;
        skip_stars(&c, &args);
        values[n++] = args;
        skip_value(&c, &args);
    }
    return n;
}

void vipa__msg_replay(vipa__text_out *o, vipa__msg id, const char *args, vipa__lang lang)
{
    vipa__fmt_replay(o, vipa__msg_template(id, VIPA__LANG_EN), vipa__msg_template(id, lang), args,
                     lang);
}

void vipa__fmt_replay(vipa__text_out *o, const char *english, const char *format,
                      const char *args, vipa__lang lang)
{
    const char *p = format;
    if (!p || !english)
        return;
    const char *values[CONVERSIONS_MAX];
    int located = -1; /* the values are found when a positional conversion first needs them */
    for (const char *at = strchr(p, '%'); at; at = strchr(p, '%')) {
        conversion c;
        if (!read_conversion(at, &c))
            return; /* cannot happen: the unit test reads every template */
        vipa__text_bytes(o, p, (size_t)(at - p));
        if (c.letter == '%') {
            vipa__text_bytes(o, "%", 1);
        } else if (c.position) {
            if (located < 0)
                located = locate_values(english, args, values);
            const char *value = c.position <= located ? values[c.position - 1] : NULL;
            if (value)
                replay_one(o, &c, &value, lang);
        } else {
            replay_one(o, &c, &args, lang);
        }
        p = at + c.length;
    }
    vipa__text_bytes(o, p, strlen(p));
}

int vipa__msg_format(char *buf, size_t size, const vipa__allocator *alloc, vipa__lang lang,
                     vipa__msg id, ...)
{
    vipa__arena scratch = {NULL, 0, 0};
    va_list args;
    va_start(args, id);
    int rc = vipa__msg_capture(alloc, &scratch, id, &args);
    va_end(args);
    if (rc == VIPA_OK && !vipa__msg_template(id, lang))
        rc = VIPA_E_INVALID;
    if (rc != VIPA_OK) {
        vipa__arena_free(alloc, &scratch);
        if (size)
            buf[0] = '\0';
        return rc;
    }
    vipa__text_out o = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    vipa__msg_replay(&o, id, scratch.bytes ? scratch.bytes : "", lang);
    vipa__arena_free(alloc, &scratch);
    return o.length > INT32_MAX ? INT32_MAX : (int)o.length;
}

/* ---- signatures, for the unit test ---------------------------------------------------- */

/* The token of a conversion's value: class letter, then its size letter if any. */
static void value_token(vipa__text_out *o, const conversion *c)
{
    char token[3] = {0, 0, 0};
    token[0] = c->letter == 'd' || c->letter == 'i' ? 'i' : is_integer(c->letter) ? 'u' : c->letter;
    token[1] = c->size;
    vipa__text_bytes(o, token, strlen(token));
}

int vipa__msg_signature(char *buf, size_t size, const char *template_text)
{
    vipa__text_out o = {buf, size, 0};
    const conversion *by_position[CONVERSIONS_MAX] = {NULL};
    conversion seen[CONVERSIONS_MAX];
    int sequential = 0, positional = 0, highest = 0;
    if (size)
        buf[0] = '\0';
    if (!template_text)
        return -1;
    for (const char *p = strchr(template_text, '%'); p; p = strchr(p, '%')) {
        conversion c;
        if (!read_conversion(p, &c))
            return (size ? buf[0] = '\0' : 0), -1;
        p += c.length;
        if (c.letter == '%')
            continue;
        if (!c.position) {
            sequential++;
            vipa__text_bytes(&o, sequential > 1 ? " " : "", sequential > 1);
            vipa__text_bytes(&o, c.width_star ? "*" : "", (size_t)c.width_star);
            vipa__text_bytes(&o, c.precision_star ? "*" : "", (size_t)c.precision_star);
            value_token(&o, &c);
            continue;
        }
        int k = c.position - 1;
        if (positional >= CONVERSIONS_MAX)
            return (size ? buf[0] = '\0' : 0), -1;
        seen[positional] = c;
        if (by_position[k] && (by_position[k]->letter != c.letter || by_position[k]->size != c.size))
            return (size ? buf[0] = '\0' : 0), -1; /* one position, two types */
        by_position[k] = &seen[positional++];
        highest = c.position > highest ? c.position : highest;
    }
    if (sequential && positional)
        return (size ? buf[0] = '\0' : 0), -1;
    for (int k = 0; k < highest; k++) {
        if (!by_position[k])
            return (size ? buf[0] = '\0' : 0), -1;
        vipa__text_bytes(&o, k ? " " : "", k > 0);
        value_token(&o, by_position[k]);
    }
    return 0;
}
