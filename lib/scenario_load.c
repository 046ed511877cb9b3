/*
 * The scenario module: scenario JSON in, vipa_scenario_load() (docs/scenario.md, "The scenario").
 *
 * The text is never parsed whole: scenario_source.c finds where each top-level key's
 * value lies (or each run of JSON Lines), then this file decodes one record at a time with
 * jansson and reads it through a table of its kind's keys (key → how the value is read →
 * where it goes in the kind's public input struct); records are added CHUNK at a time
 * with the kind's public batch function, kinds in the order of VIPA_RECORD_KINDS whatever
 * their order in the text. So every rule on a record's content stays in the module that
 * owns the record, and the loader checks only JSON types and text forms (and an
 * injection's weights, to tell their rule in the scenario's words). A failed load is
 * taken back entirely (vipa__ctx_mark / vipa__ctx_rollback and a saved profile), across
 * every chunk added before the failure. vipa_scenario_load_file() reads a file the same
 * way through a window (scenario_source.c).
 *
 * Codes: VIPA_E_PARSE for JSON syntax, a wrong JSON type, a missing or unknown key, an
 * unknown word, an id that is not positive, or text of the wrong form; VIPA_E_RANGE
 * for an integer its field cannot hold (a year outside 1900..9999, a count beyond
 * int) and for a well-formed date or code that names no real day or area;
 * VIPA_E_OVERFLOW for money beyond int64 fen; VIPA_E_VERSION for a "vipa" format
 * version other than 1; otherwise the code of the add that refused a record, with its
 * message rewritten to name the record's JSON path and the scenario's keys and values
 * (name_json_record).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "registry_internal.h"
#include "scenario_internal.h"
#include "vipa/agreement.h"
#include "vipa/date.h"
#include "vipa/error.h"
#include "vipa/ledger.h"
#include "vipa/run.h"
#include "vipa/scenario.h"
#include "vocab_internal.h"

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* Words are read as their vocabulary's codes (vocab_internal.h): an enumeration's value,
 * a flag's bit number. */

/* ---- messages ------------------------------------------------------------------- */

/* A message being built. Appends stop at the context's message size, which would cut
 * the text there anyway, so nothing can overflow. */
typedef struct msg {
    char text[VIPA_ERRMSG_SIZE];
    size_t len;
} msg;

static void msg_vadd(msg *m, const char *format, va_list args)
{
    size_t room = sizeof m->text - m->len;
    if (room <= 1)
        return;
    int n = vsnprintf(m->text + m->len, room, format, args);
    if (n > 0 && (size_t)n < room)
        m->len += (size_t)n;
    else if (n > 0) /* cut, at a whole character: the message stays valid UTF-8 */
        m->text[m->len = vipa__utf8_whole(m->text, sizeof m->text - 1)] = '\0';
}

PRINTF_LIKE(2, 3) static void msg_add(msg *m, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    msg_vadd(m, format, args);
    va_end(args);
}

/* "a, b or c": the words of a vocabulary, in the order of their codes. */
static void msg_words(msg *m, vipa__vocab words)
{
    int end = vipa__vocab_end(words), listed = 0;
    while (end > 0 && !vipa__word(words, end - 1))
        end--;
    for (int code = 0; code < end; code++) {
        const char *word = vipa__word(words, code);
        if (word)
            msg_add(m, "%s%s", listed++ == 0 ? "" : code + 1 < end ? ", " : " or ", word);
    }
}

/* A JSON path, kept on the stack as the walk descends: a member (key) or an element
 * (index) of its parent. It is written out only when an error is reported. */
typedef struct jpath {
    const struct jpath *up;
    const char *key; /* member name; NULL for an array element */
    size_t index;
} jpath;

static void msg_path(msg *m, const jpath *p)
{
    if (!p)
        return;
    msg_path(m, p->up);
    if (p->key)
        msg_add(m, "%s%s", p->up ? "." : "", p->key);
    else
        msg_add(m, "[%zu]", p->index);
}

/* The loader: the context, the scratch memory of the records being read (the input
 * structs and their lists), freed once they are added, and the text they come from. */
typedef struct loader {
    vipa_ctx *ctx;
    void **blocks;
    size_t block_count, block_capacity;
    vipa__source *source;
    const vipa__layout *layout;
    /* JSON Lines: where the record being read starts (NO_RECORD: none), so that a
     * message can name its line; a batch add's failure names the line of its record. */
    uint64_t record_at;
    const uint64_t *chunk_starts;
} loader;

#define NO_RECORD UINT64_MAX

static void msg_begin(msg *m, const jpath *at)
{
    m->text[0] = '\0';
    m->len = 0;
    msg_path(m, at);
    msg_add(m, ": ");
}

static int msg_fail(loader *L, int code, const msg *m)
{
    if (!L->layout || !L->layout->lines || L->record_at == NO_RECORD)
        return vipa__fail(L->ctx, code, "%s", m->text);
    int line, column;
    vipa__source_position(L->source, L->record_at + 1, &line, &column);
    return vipa__fail(L->ctx, code, "line %d: %s", line, m->text);
}

PRINTF_LIKE(4, 5) static int fail_at(loader *L, const jpath *at, int code, const char *format, ...)
{
    msg m;
    msg_begin(&m, at);
    va_list args;
    va_start(args, format);
    msg_vadd(&m, format, args);
    va_end(args);
    return msg_fail(L, code, &m);
}

static const char *json_kind_name(const json_t *v)
{
    if (!v)
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a JSON fraction";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

static int fail_type(loader *L, const jpath *at, const json_t *v, const char *expected)
{
    return fail_at(L, at, VIPA_E_PARSE, "expected %s, not %s", expected, json_kind_name(v));
}

/* ---- scratch memory --------------------------------------------------------------- */

/* count × size bytes from the context's allocator, freed by scratch_release(); NULL
 * with the context's error set when it cannot be had. */
static void *scratch(loader *L, const jpath *at, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) {
        fail_at(L, at, VIPA_E_LIMIT, "%zu elements are too many to hold", count);
        return NULL;
    }
    void *blocks = L->blocks;
    int rc = vipa__reserve(&L->ctx->alloc, &blocks, &L->block_capacity, L->block_count + 1,
                           sizeof(void *));
    L->blocks = blocks;
    size_t bytes = count * size;
    void *p = rc == VIPA_OK ? vipa__malloc(&L->ctx->alloc, bytes > 0 ? bytes : 1) : NULL;
    if (!p) {
        fail_at(L, at, VIPA_E_NOMEM, "out of memory reading %zu elements", count);
        return NULL;
    }
    L->blocks[L->block_count++] = p;
    return p;
}

static void scratch_release(loader *L)
{
    while (L->block_count > 0)
        vipa__free(&L->ctx->alloc, L->blocks[--L->block_count]);
}

/* ---- fields: key → reader → place in the input struct ------------------------------ */

typedef enum ftype {
    F_ID,       /* positive integer → vipa_id */
    F_YEAR,     /* integer 1900..9999 → int */
    F_INT,      /* integer that fits an int → int (its range is the add's to check) */
    F_COUNT,    /* non-negative integer → int64_t (a stated count) */
    F_POSITIVE, /* positive integer → int64_t (days worked) */
    F_BP,       /* non-negative integer that fits → vipa_bp */
    F_MONEY,    /* decimal string in yuan or whole yuan → vipa_fen */
    F_CMU,      /* decimal string in mu or whole mu → int64_t in 0.01 mu */
    F_DATE,     /* "YYYY-MM-DD" → vipa_date */
    F_CODE,     /* 12-digit string → vipa_area_code */
    F_TEXT,     /* string → const char *, borrowed from the tree */
    F_BOOL,     /* true or false → int */
    F_WORD,     /* one of `words` → enum (int-sized), its value */
    F_STRINGS,  /* array of strings → size_t count */
    F_WORDS,    /* array of `words` (flags) → unsigned int bits, 1 << its bit */
    F_SKIP,     /* accepted here, read elsewhere */
    F_CUSTOM    /* read by the field's own function, given the whole record */
} ftype;

typedef struct field field;
typedef int (*reader)(loader *L, const jpath *at, json_t *v, const field *f, void *dst);

struct field {
    const char *key;
    ftype type;
    int required;
    size_t offset;             /* where the value goes (0 for F_CUSTOM: the record) */
    vipa__vocab words;          /* F_WORD, F_WORDS: the vocabulary (vocab_internal.h) */
    reader read;               /* F_CUSTOM */
    const char *expected;      /* F_CUSTOM: what the value should be */
    const char *range;         /* an integer field: its range as the add states it, for
                                * messages; NULL: its type's ("≥ 0" for a count) */
};

/* Offset of member m of struct s, refused at compile time unless m has type t, so a
 * table entry cannot write the wrong type. */
#define AT(s, m, t) (offsetof(s, m) + 0 * sizeof(&((s *)0)->m == (t *)0))
/* Offset of an enumeration member, refused unless it is int-sized (F_WORD writes an int). */
#define ENUM_AT(s, m) (offsetof(s, m) + 0 * sizeof(char[sizeof(((s *)0)->m) == sizeof(int) ? 1 : -1]))

enum { OPT = 0, REQ = 1 };
#define NO_WORDS VIPA_VOCAB_COUNT
#define FLD(key, type, req, off) {key, type, req, off, NO_WORDS, NULL, NULL, NULL}
#define ID(key, req, s, m) FLD(key, F_ID, req, AT(s, m, vipa_id))
#define YEAR(key, req, s, m) FLD(key, F_YEAR, req, AT(s, m, int))
#define INT(key, req, s, m, range) {key, F_INT, req, AT(s, m, int), NO_WORDS, NULL, NULL, range}
#define COUNT(key, s, m) FLD(key, F_COUNT, OPT, AT(s, m, int64_t))
#define POSITIVE(key, s, m, range)                                                                 \
    {key, F_POSITIVE, OPT, AT(s, m, int64_t), NO_WORDS, NULL, NULL, range}
#define BP(key, s, m) FLD(key, F_BP, OPT, AT(s, m, vipa_bp))
#define MONEY(key, req, s, m) FLD(key, F_MONEY, req, AT(s, m, vipa_fen))
#define CMU(key, s, m) FLD(key, F_CMU, OPT, AT(s, m, int64_t))
#define DATE(key, req, s, m) FLD(key, F_DATE, req, AT(s, m, vipa_date))
#define CODE(key, req, s, m) FLD(key, F_CODE, req, AT(s, m, vipa_area_code))
#define TEXT(key, req, s, m) FLD(key, F_TEXT, req, AT(s, m, const char *))
#define FLAG(key, req, s, m) FLD(key, F_BOOL, req, AT(s, m, int))
#define WORD(key, req, s, m, words) {key, F_WORD, req, ENUM_AT(s, m), words, NULL, NULL, NULL}
#define STRINGS(key, s, m) FLD(key, F_STRINGS, OPT, AT(s, m, size_t))
#define WORDS(key, s, m, words) {key, F_WORDS, OPT, AT(s, m, unsigned int), words, NULL, NULL, NULL}
#define SKIP(key) FLD(key, F_SKIP, OPT, 0)
#define CUSTOM(key, req, fn, expected) {key, F_CUSTOM, req, 0, NO_WORDS, fn, expected, NULL}
#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
/* The ranges the adds state for these fields (registry_records.c, ledger.c). */
#define MEMBER_RANGE "1.." VIPA__DIGITS(VIPA_MEMBERS_MAX)
#define DAYS_RANGE "1..366"

static const char money_expected[] =
    "money as a decimal string such as \"3600.00\" or whole yuan as an integer";

static const char *const type_expected[] = {
    [F_ID] = "a positive integer id",
    [F_YEAR] = "a year " VIPA_YEAR_RANGE " as an integer",
    [F_INT] = "an integer",
    [F_COUNT] = "a non-negative integer",
    [F_POSITIVE] = "a positive integer",
    [F_BP] = "basis points as a non-negative integer (7000 = 70 %)",
    [F_MONEY] = money_expected,
    [F_CMU] = "an area in mu as a decimal string such as \"2.50\" or whole mu as an integer",
    [F_DATE] = "a date as a string \"YYYY-MM-DD\"",
    [F_CODE] = "a 12-digit area code as a string such as \"611002001204\"",
    [F_TEXT] = "a string",
    [F_BOOL] = "true or false",
    [F_STRINGS] = "an array of strings",
    [F_SKIP] = "a value",
};

/* What a field's value should be, for messages. */
static void msg_expected(msg *m, const field *f)
{
    if (f->type == F_WORD || f->type == F_WORDS) {
        msg_add(m, "%s", f->type == F_WORD ? "one of " : "an array of words from ");
        msg_words(m, f->words);
    } else {
        msg_add(m, "%s", f->type == F_CUSTOM ? f->expected : type_expected[f->type]);
    }
}

static int fail_field_type(loader *L, const jpath *at, const json_t *v, const field *f)
{
    msg m;
    msg_begin(&m, at);
    msg_add(&m, "expected ");
    msg_expected(&m, f);
    msg_add(&m, ", not %s", json_kind_name(v));
    return msg_fail(L, VIPA_E_PARSE, &m);
}

/* ---- scalar readers: each checks the JSON type and form, then writes *dst ------------ */

static int get_integer(loader *L, const jpath *at, json_t *v, const field *f, json_int_t *out)
{
    if (!json_is_integer(v))
        return fail_field_type(L, at, v, f);
    *out = json_integer_value(v);
    return VIPA_OK;
}

static int read_id(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    (void)f;
    if (!json_is_integer(v))
        return fail_type(L, at, v, type_expected[F_ID]);
    json_int_t x = json_integer_value(v);
    if (x <= 0)
        return fail_at(L, at, VIPA_E_PARSE, "id %lld is not positive; expected a positive "
                       "integer id", (long long)x);
    vipa_id id = (vipa_id)x;
    memcpy(dst, &id, sizeof id);
    return VIPA_OK;
}

static int read_year(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    json_int_t x = 0;
    int rc = get_integer(L, at, v, f, &x);
    if (rc != VIPA_OK)
        return rc;
    if (!vipa__year_is_valid(x))
        return fail_at(L, at, VIPA_E_RANGE, "%lld is not a year " VIPA_YEAR_RANGE, (long long)x);
    int year = (int)x;
    memcpy(dst, &year, sizeof year);
    return VIPA_OK;
}

/* An integer within lo..hi, written as an int, an int64_t or a vipa_bp (by size). Out of
 * them, the message states the field's own range where it has one (as the add states
 * it: one field's range reads the same whichever refuses the value), else `range`, the
 * type's. */
static int read_bounded(loader *L, const jpath *at, json_t *v, const field *f, void *dst,
                        json_int_t lo, json_int_t hi, size_t size, const char *range)
{
    json_int_t x = 0;
    int rc = get_integer(L, at, v, f, &x);
    if (rc != VIPA_OK)
        return rc;
    if (x < lo || x > hi)
        return fail_at(L, at, VIPA_E_RANGE, "%lld is out of range; expected %s", (long long)x,
                       f && f->range ? f->range : range);
    if (size == sizeof(int64_t)) {
        int64_t wide = x;
        memcpy(dst, &wide, size);
    } else {
        int32_t narrow = (int32_t)x; /* int and vipa_bp are both 32 bits (checked below) */
        memcpy(dst, &narrow, size);
    }
    return VIPA_OK;
}
_Static_assert(sizeof(int) == sizeof(int32_t) && sizeof(vipa_bp) == sizeof(int32_t), "32-bit int");

static int read_int(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    return read_bounded(L, at, v, f, dst, INT32_MIN, INT32_MAX, sizeof(int),
                        "-2147483648..2147483647");
}

static int read_count(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    return read_bounded(L, at, v, f, dst, 0, INT64_MAX, sizeof(int64_t), "≥ 0");
}

static int read_positive(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    return read_bounded(L, at, v, f, dst, 1, INT64_MAX, sizeof(int64_t), "≥ 1");
}

static int read_bp(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    return read_bounded(L, at, v, f, dst, 0, INT32_MAX, sizeof(vipa_bp),
                        "0..2147483647 basis points");
}

/* Money and land area share one form: a decimal string with at most two decimals, or
 * a whole number, in hundredths. A JSON fraction is refused before its value is read,
 * so no amount ever passes through a double. */
static int read_hundredths(loader *L, const jpath *at, json_t *v, const field *f, void *dst,
                           const char *unit)
{
    int64_t out;
    if (json_is_real(v))
        return fail_at(L, at, VIPA_E_PARSE, "a JSON fraction is refused: write %s as a decimal "
                       "string such as \"%s\"", unit, f->type == F_CMU ? "2.50" : "3600.50");
    if (json_is_integer(v)) {
        json_int_t whole = json_integer_value(v);
        if (whole > INT64_MAX / 100 || whole < INT64_MIN / 100)
            return fail_at(L, at, VIPA_E_OVERFLOW, "%lld is out of range: at most "
                           "92233720368547758.07 either way", (long long)whole);
        out = (int64_t)whole * 100;
    } else if (json_is_string(v)) {
        const char *why = NULL;
        int rc = vipa_fen_parse(&out, json_string_value(v), &why);
        if (rc != VIPA_OK && f->type == F_CMU) /* the parser's reasons speak of money */
            return fail_at(L, at, rc, "\"%s\" is not an area in mu; expected digits with at "
                           "most two decimals, such as \"2.50\"", json_string_value(v));
        if (rc != VIPA_OK)
            return fail_at(L, at, rc, "\"%s\" is not %s: %s", json_string_value(v), unit,
                           why ? why : "unreadable");
    } else {
        return fail_field_type(L, at, v, f);
    }
    memcpy(dst, &out, sizeof out);
    return VIPA_OK;
}

static int read_money(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    return read_hundredths(L, at, v, f, dst, "money");
}

static int read_cmu(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    return read_hundredths(L, at, v, f, dst, "an area in mu");
}

static int read_date(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    if (!json_is_string(v))
        return fail_field_type(L, at, v, f);
    vipa_date date;
    int rc = vipa_date_parse(&date, json_string_value(v));
    if (rc == VIPA_E_RANGE)
        return fail_at(L, at, rc, "\"%s\" is not a real day (years " VIPA_YEAR_RANGE ")",
                       json_string_value(v));
    if (rc != VIPA_OK)
        return fail_at(L, at, rc, "\"%s\" is not a date; expected \"YYYY-MM-DD\"",
                       json_string_value(v));
    memcpy(dst, &date, sizeof date);
    return VIPA_OK;
}

static int read_code(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    if (!json_is_string(v))
        return fail_field_type(L, at, v, f);
    vipa_area_code code;
    int rc = vipa_area_code_parse(&code, json_string_value(v));
    if (rc == VIPA_E_RANGE)
        return fail_at(L, at, rc, "\"%s\" is no county, town or village code (6 county digits, "
                       "3 town, 3 village)", json_string_value(v));
    if (rc != VIPA_OK)
        return fail_at(L, at, rc, "\"%s\" is not a 12-digit area code", json_string_value(v));
    memcpy(dst, &code, sizeof code);
    return VIPA_OK;
}

static int read_text(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    if (!json_is_string(v))
        return fail_field_type(L, at, v, f);
    const char *text = json_string_value(v); /* jansson checked the UTF-8; no NUL inside */
    memcpy(dst, &text, sizeof text);
    return VIPA_OK;
}

static int read_bool(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    if (!json_is_boolean(v))
        return fail_field_type(L, at, v, f);
    int value = json_is_true(v);
    memcpy(dst, &value, sizeof value);
    return VIPA_OK;
}

/* The code of a word of the field's vocabulary; a failure names the words. */
static int find_word(loader *L, const jpath *at, json_t *v, const field *f, int *code)
{
    if (!json_is_string(v))
        return fail_field_type(L, at, v, f);
    const char *word = json_string_value(v);
    *code = vipa__word_code(f->words, word);
    if (*code >= 0)
        return VIPA_OK;
    msg m;
    msg_begin(&m, at);
    msg_add(&m, "unknown word \"%s\"; expected one of ", word);
    msg_words(&m, f->words);
    return msg_fail(L, VIPA_E_PARSE, &m);
}

static int read_word(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    int value, rc = find_word(L, at, v, f, &value);
    if (rc != VIPA_OK)
        return rc;
    memcpy(dst, &value, sizeof value);
    return VIPA_OK;
}

static int read_strings(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    if (!json_is_array(v))
        return fail_field_type(L, at, v, f);
    size_t n = json_array_size(v);
    for (size_t k = 0; k < n; k++) {
        jpath p = {at, NULL, k};
        if (!json_is_string(json_array_get(v, k)))
            return fail_type(L, &p, json_array_get(v, k), "a string");
    }
    memcpy(dst, &n, sizeof n);
    return VIPA_OK;
}

static int read_words(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    if (!json_is_array(v))
        return fail_field_type(L, at, v, f);
    unsigned int bits = 0;
    for (size_t k = 0; k < json_array_size(v); k++) {
        jpath p = {at, NULL, k};
        field one = *f;
        one.type = F_WORD;
        int bit = 0, rc = find_word(L, &p, json_array_get(v, k), &one, &bit);
        if (rc != VIPA_OK)
            return rc;
        bits |= 1u << bit; /* a word listed twice is still one level or item */
    }
    memcpy(dst, &bits, sizeof bits);
    return VIPA_OK;
}

static int read_nothing(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    (void)L, (void)at, (void)v, (void)f, (void)dst;
    return VIPA_OK;
}

static const reader readers[] = {
    [F_ID] = read_id,       [F_YEAR] = read_year,       [F_INT] = read_int,
    [F_COUNT] = read_count, [F_POSITIVE] = read_positive, [F_BP] = read_bp,
    [F_MONEY] = read_money, [F_CMU] = read_cmu,         [F_DATE] = read_date,
    [F_CODE] = read_code,   [F_TEXT] = read_text,       [F_BOOL] = read_bool,
    [F_WORD] = read_word,   [F_STRINGS] = read_strings, [F_WORDS] = read_words,
    [F_SKIP] = read_nothing,
};

/* ---- records ---------------------------------------------------------------------- */

static const field *find_field(const field *fields, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(fields[i].key, key) == 0)
            return &fields[i];
    return NULL;
}

/* Refuses any key the table does not know: a typo must not pass silently. */
static int check_keys(loader *L, const jpath *at, json_t *obj, const field *fields, size_t n)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        if (find_field(fields, n, key))
            continue;
        jpath p = {at, key, 0};
        msg m;
        msg_begin(&m, &p);
        msg_add(&m, "unknown key; expected one of ");
        for (size_t i = 0; i < n; i++)
            msg_add(&m, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", fields[i].key);
        return msg_fail(L, VIPA_E_PARSE, &m);
    }
    return VIPA_OK;
}

/* Reads one member; absent or null is "not given", an error only when required. */
static int read_member(loader *L, const jpath *at, json_t *obj, const field *f, void *record)
{
    json_t *v = json_object_get(obj, f->key);
    jpath p = {at, f->key, 0};
    if (!v || json_is_null(v)) {
        if (!f->required)
            return VIPA_OK;
        msg m;
        msg_begin(&m, &p);
        msg_add(&m, "%s; expected ", v ? "null" : "missing");
        msg_expected(&m, f);
        return msg_fail(L, VIPA_E_PARSE, &m);
    }
    reader read = f->type == F_CUSTOM ? f->read : readers[f->type];
    return read(L, &p, v, f, (char *)record + f->offset);
}

/* Reads an object through its field table into a record already set to its _INIT. */
static int read_record(loader *L, const jpath *at, json_t *obj, const field *fields, size_t n,
                       void *record)
{
    if (!json_is_object(obj))
        return fail_type(L, at, obj, "an object");
    int rc = check_keys(L, at, obj, fields, n);
    for (size_t i = 0; i < n && rc == VIPA_OK; i++)
        rc = read_member(L, at, obj, &fields[i], record);
    return rc;
}

/* A top-level list; absent or null reads as empty. */
/* ---- the records of a key, one at a time ----------------------------------------------- */

/* A kind's records as they stand in the text: the elements of its top-level array, or
 * its JSON Lines, decoded one at a time. `root` holds the kind's key only as a
 * placeholder (an empty array) or, when it is not an array, the value itself. */
typedef struct records {
    const char *key;
    size_t member;    /* the layout's member being read */
    uint64_t at, end; /* the next byte to read in it, and its end */
    int started;      /* the member's '[' is behind us */
    int need_comma;   /* an element was read: a ',' or the ']' comes next */
    size_t index;     /* the next element's index in the kind's list */
} records;

static int records_open(loader *L, json_t *root, const jpath *at, records *it)
{
    *it = (records){.key = at->key, .member = SIZE_MAX};
    json_t *list = json_object_get(root, at->key);
    if (list && !json_is_null(list) && !json_is_array(list))
        return fail_type(L, at, list, "an array of records");
    if (!list || json_is_null(list))
        it->member = L->layout->count; /* nothing to read */
    return VIPA_OK;
}

static int fail_source(loader *L, int rc, const char *why)
{
    return vipa__fail(L->ctx, rc, "%s", why);
}

/* Moves to the next member of the kind's key; 0 when there is none. */
static int next_member(loader *L, records *it)
{
    size_t i = it->member == SIZE_MAX ? 0 : it->member + 1;
    while (i < L->layout->count && strcmp(L->layout->members[i].key, it->key) != 0)
        i++;
    it->member = i;
    if (i >= L->layout->count)
        return 0;
    it->at = L->layout->members[i].start;
    it->end = L->layout->members[i].end;
    it->started = it->need_comma = 0;
    return 1;
}

/* The next element of the array the member holds; *value NULL at its ']'. */
static int next_element(loader *L, records *it, json_t **value)
{
    vipa__source *s = L->source;
    char why[VIPA_ERRMSG_SIZE];
    uint64_t pos = vipa__source_skip_space(s, it->started ? it->at : it->at + 1);
    it->started = 1;
    int c = vipa__source_byte(s, pos);
    if (c == ']') {
        it->at = it->end;
        return VIPA_OK;
    }
    if (it->need_comma) {
        if (c != ',') {
            int line, column;
            vipa__source_position(s, pos + 1, &line, &column);
            return vipa__fail(L->ctx, VIPA_E_PARSE, "line %d, column %d: ']' expected near "
                              "'%c'", line, column, c < 0x20 || c > 0x7e ? '?' : c);
        }
        pos = vipa__source_skip_space(s, pos + 1);
    }
    uint64_t end;
    int rc = vipa__skip_value(s, pos, 2, &end, why, sizeof why);
    if (rc == VIPA_OK)
        rc = vipa__decode(s, pos, end, value, why, sizeof why);
    if (rc != VIPA_OK)
        return fail_source(L, rc, why);
    L->record_at = pos;
    it->at = end;
    it->need_comma = 1;
    return VIPA_OK;
}

/* The record of the next non-blank JSON line of the member; *value NULL at its end. A
 * line is {"<key>": record}, nothing else. */
static int next_line(loader *L, records *it, json_t **value)
{
    vipa__source *s = L->source;
    char why[VIPA_ERRMSG_SIZE];
    while (it->at < it->end) {
        uint64_t start = it->at, end = vipa__source_line_end(s, start);
        it->at = end + 1;
        if (vipa__source_skip_space(s, start) >= end)
            continue;
        json_t *line;
        int rc = vipa__decode(s, start, end, &line, why, sizeof why);
        if (rc != VIPA_OK)
            return fail_source(L, rc, why);
        L->record_at = start;
        *value = json_object_get(line, it->key);
        if (!*value || json_object_size(line) != 1) {
            json_decref(line);
            *value = NULL;
            msg m = {"", 0};
            msg_add(&m, "a line holds one record, as {\"%s\": {...}}", it->key);
            return msg_fail(L, VIPA_E_PARSE, &m);
        }
        json_incref(*value);
        json_decref(line);
        return VIPA_OK;
    }
    return VIPA_OK;
}

/* The kind's next record (a new reference, the caller's to release); *value NULL after
 * the last. Its index in the kind's list is it->index - 1. */
static int records_next(loader *L, records *it, json_t **value)
{
    *value = NULL;
    for (;;) {
        if (it->member == SIZE_MAX || it->at >= it->end) {
            if (!next_member(L, it))
                return VIPA_OK;
        }
        int rc = L->layout->lines ? next_line(L, it, value) : next_element(L, it, value);
        if (rc != VIPA_OK)
            return rc;
        if (*value) {
            it->index++;
            return VIPA_OK;
        }
    }
}

/* ---- naming the failing record by its JSON path ------------------------------------ */

/* Where a record handed to a batch add came from: element `index` of the JSON list,
 * and for a household's guarantees, the year key under its "assured". */
typedef struct origin {
    size_t index;
    const char *year;
} origin;

/* The adds speak the C API's words: a struct field's name ("field to_year"), a value in
 * its C form, a rule in C terms. Each kind's table gives the scenario's words: `c` is
 * replaced by `json` wherever it stands as whole words, and `then`, if set, is added
 * after an index that follows it ("task_years[2]" → "tasks[2].year"). The tests of
 * test_scenario.c ("in the scenario's words") reach the entries a scenario can reach;
 * the others (exited_year, task_incomes, the counts...) name fields whose values the
 * loader's own checks keep from being refused by the add today. A rule that reads
 * differently in a scenario is checked by the loader itself (check_injection). */
typedef struct rewording {
    const char *c, *json, *then;
} rewording;

#define END_OF_WORDS {NULL, NULL, NULL}

static const rewording any_kind_words[] = {
    {"is missing or empty; expected text", "is empty; expected text", NULL}, /* no NULL text */
    END_OF_WORDS,
};

static const rewording household_words[] = {{"exited_year", "exited", NULL}, END_OF_WORDS};

static const rewording agreement_words[] = {
    {"field signer_area is 0;", "field signer.area is missing;", NULL},
    {"expected 0 (no area)", "expected no area", NULL},
    {"signer_area", "signer.area", NULL},
    {"signer_level", "signer.level", NULL},
    {"signed_on", "signed", NULL},
    {"household_len", "households", NULL},
    {"project_count", "projects", NULL},
    END_OF_WORDS,
};

static const rewording plan_words[] = {
    {"task_years", "tasks", ".year"},
    {"task_incomes", "tasks", ".income"},
    {"task_len", "tasks", NULL},
    {"industry_count", "industries", NULL},
    {"measure_count", "measures", NULL},
    {"person_task_count", "persons", NULL},
    END_OF_WORDS,
};

/* The area in mu, as the scenario gives it, not in hundredths. */
static const rewording linkage_words[] = {
    {"area_cmu 1..4294967295 (0.01 mu)", "area_mu 0.01..42949672.95", NULL},
    {"area_cmu", "area_mu", NULL},
    {"from_year", "from", NULL},
    {"to_year", "to", NULL},
    END_OF_WORDS,
};

/* A payment names its dividend's entity and household inside "dividend". */
static const rewording payment_words[] = {
    {"takes no entity or household; give either linkage or entity and household",
     "takes no dividend; give either linkage or dividend", NULL},
    {"a linkage, or an entity and a household for a dividend", "a linkage or a dividend", NULL},
    {"field entity", "field dividend.entity", NULL},
    {"field household", "field dividend.household", NULL},
    END_OF_WORDS,
};

static const rewording transfer_words[] = {
    {"from_kind", "from", NULL}, {"from_id", "from", NULL},
    {"to_kind", "to", NULL},     {"to_id", "to", NULL},
    END_OF_WORDS,
};

/* No rate is the absence of "rate_bp", not -1. */
static const rewording dividend_words[] = {{" with rate_bp -1", "", NULL}, END_OF_WORDS};

static const struct {
    const char *kind;
    const rewording *words;
} words_of_kinds[] = {
    {"households", household_words}, {"agreements", agreement_words},
    {"plans", plan_words},           {"linkages", linkage_words},
    {"payments", payment_words},     {"transfers", transfer_words},
    {"dividends", dividend_words},
};

/* The kind's own words; NULL for a kind whose messages need none of its own. */
static const rewording *words_of(const char *kind)
{
    for (size_t i = 0; i < sizeof words_of_kinds / sizeof *words_of_kinds; i++)
        if (strcmp(words_of_kinds[i].kind, kind) == 0)
            return words_of_kinds[i].words;
    return NULL;
}

static int is_word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The entry of `words` that stands at p as whole words, or NULL. */
static const rewording *reworded_at(const char *text, const char *p, const rewording *words)
{
    for (; words->c; words++) {
        size_t len = strlen(words->c);
        if (strncmp(p, words->c, len) != 0)
            continue;
        if (is_word_char(words->c[0]) && p > text && is_word_char(p[-1]))
            continue;
        if (is_word_char(words->c[len - 1]) && is_word_char(p[len]))
            continue;
        return words;
    }
    return NULL;
}

/* Appends `text` to m in the scenario's words. */
static void msg_reworded(msg *m, const char *text, const rewording *words)
{
    const char *p = text, *kept = text;
    while (*p) {
        const rewording *r = reworded_at(text, p, any_kind_words);
        if (!r && words)
            r = reworded_at(text, p, words);
        if (!r) {
            p++;
            continue;
        }
        msg_add(m, "%.*s%s", (int)(p - kept), kept, r->json);
        p += strlen(r->c);
        size_t digits = *p == '[' ? strspn(p + 1, "0123456789") : 0;
        if (r->then && digits > 0 && p[digits + 1] == ']') {
            msg_add(m, "%.*s%s", (int)digits + 2, p, r->then);
            p += digits + 2;
        }
        kept = p;
    }
    msg_add(m, "%s", kept);
}

/* A batch add names the failing record "<kind>[<batch index>] ..."; the author needs
 * its JSON path, which differs where records were reordered (areas) or flattened
 * (assured), and the scenario's words (above). Messages of another shape are left as
 * they are. */
static int name_json_record(loader *L, int rc, const char *kind, const char *json_kind,
                            const origin *origins, size_t base, size_t n)
{
    const char *text = vipa_ctx_errmsg(L->ctx);
    size_t len = strlen(kind), index = 0;
    if (strncmp(text, kind, len) != 0 || text[len] != '[')
        return rc;
    const char *p = text + len + 1;
    for (; *p >= '0' && *p <= '9' && index < n; p++)
        index = index * 10 + (size_t)(*p - '0');
    if (p == text + len + 1 || *p != ']' || index >= n)
        return rc;
    msg rest = {"", 0};
    msg_add(&rest, "%s", p + 1); /* copied: the context's message is rewritten below */
    jpath top = {NULL, json_kind, 0};
    jpath element = {&top, NULL, origins ? origins[index].index : base + index};
    if (L->chunk_starts)
        L->record_at = L->chunk_starts[origins ? origins[index].index - base : index];
    jpath member = {&element, "assured", 0};
    jpath year = {&member, origins ? origins[index].year : NULL, 0};
    msg m = {"", 0};
    msg_path(&m, origins && origins[index].year ? &year : &element);
    msg_reworded(&m, rest.text, words_of(kind));
    return msg_fail(L, rc, &m);
}

/* ---- record kinds read straight through their tables --------------------------------- */

typedef struct kind kind;
struct kind {
    const char *key;                 /* top-level key and batch kind, "entities" */
    const field *fields;
    size_t field_count;
    size_t size;                     /* sizeof the public input struct */
    const void *init;                /* its _INIT value */
    /* NULL, or a check across fields that the struct alone cannot express. */
    int (*check)(loader *L, const jpath *at, json_t *obj, const void *record);
    int (*add)(vipa_ctx *ctx, const void *records, size_t n);
    /* Reads and adds the kind's records: load_kind, or the kind's own. */
    int (*load)(loader *L, json_t *root, const kind *k);
};

/* Records are read and added CHUNK at a time: the text's values of one chunk are held
 * (the input structs point into them) until the chunk is added, then released. */
enum { CHUNK = 4096 };

/* Releases a chunk: its values and its scratch memory. */
static void release_chunk(loader *L, json_t **held, size_t n)
{
    for (size_t i = 0; i < n; i++)
        json_decref(held[i]);
    scratch_release(L);
    L->chunk_starts = NULL;
    L->record_at = NO_RECORD;
}

/* The failure of scratch(), which set the context's error. */
static int out_of_room(loader *L)
{
    int rc = vipa_ctx_errcode(L->ctx);
    return rc != VIPA_OK ? rc : VIPA_E_NOMEM;
}

/* Room for a chunk: its records, the values they come from and where those start. */
static int chunk_room(loader *L, const jpath *top, size_t size, char **records, json_t ***held,
                      uint64_t **starts)
{
    *records = scratch(L, top, CHUNK, size);
    /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers, each a value's */
    *held = *records ? scratch(L, top, CHUNK, sizeof **held) : NULL;
    *starts = *held ? scratch(L, top, CHUNK, sizeof **starts) : NULL;
    return *starts ? VIPA_OK : out_of_room(L);
}

/* The kind's next record, held at held[i] (the input structs point into it until it is
 * released) with where it starts at starts[i]; *obj NULL after the last. */
static int hold_next(loader *L, records *it, json_t **held, uint64_t *starts, size_t i,
                     json_t **obj)
{
    int rc = records_next(L, it, obj);
    if (rc == VIPA_OK && *obj) {
        held[i] = *obj;
        starts[i] = L->record_at;
    }
    return rc;
}

/* Reads up to CHUNK records of the kind into the chunk; *n of them. */
static int read_chunk(loader *L, records *it, const kind *k, const jpath *top, char *records,
                      json_t **held, uint64_t *starts, size_t *n)
{
    int rc = VIPA_OK;
    for (*n = 0; *n < CHUNK && rc == VIPA_OK; (*n)++) {
        json_t *obj;
        if ((rc = hold_next(L, it, held, starts, *n, &obj)) != VIPA_OK || !obj)
            break;
        jpath at = {top, NULL, it->index - 1};
        void *record = records + *n * k->size;
        memcpy(record, k->init, k->size);
        rc = read_record(L, &at, obj, k->fields, k->field_count, record);
        if (rc == VIPA_OK && k->check)
            rc = k->check(L, &at, obj, record);
    }
    return rc;
}

static int load_kind(loader *L, json_t *root, const kind *k)
{
    jpath top = {NULL, k->key, 0};
    records it;
    int rc = records_open(L, root, &top, &it);
    for (size_t n = CHUNK; rc == VIPA_OK && n == CHUNK;) {
        char *records;
        json_t **held;
        uint64_t *starts;
        size_t base = it.index;
        n = 0;
        if ((rc = chunk_room(L, &top, k->size, &records, &held, &starts)) != VIPA_OK)
            break;
        rc = read_chunk(L, &it, k, &top, records, held, starts, &n);
        L->chunk_starts = starts;
        if (rc == VIPA_OK && n > 0 && (rc = k->add(L->ctx, records, n)) != VIPA_OK)
            rc = name_json_record(L, rc, k->key, k->key, NULL, base, n);
        release_chunk(L, held, n);
    }
    return rc;
}

/* ---- areas, entities, households ------------------------------------------------------ */

static const field area_fields[] = {
    CODE("code", REQ, vipa_area, code),
    TEXT("name", REQ, vipa_area, name),
    WORD("level", REQ, vipa_area, level, VIPA_VOCAB_AREA_LEVEL),
    TEXT("industry", OPT, vipa_area, industry),
};

/* The eight criteria of 三(二), in the order of their bits; absent means not met. */
typedef struct selection_in {
    int met[VIPA_WORD_COUNT(VIPA_SELECTION_WORDS)];
} selection_in;

#define SELECTION_FIELD(name, bit, word) FLAG(word, OPT, selection_in, met[bit]),
static const field selection_fields[] = {VIPA_SELECTION_WORDS(SELECTION_FIELD)};

static int read_selection(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    (void)f;
    selection_in s = {{0}};
    int rc = read_record(L, at, v, selection_fields, COUNT_OF(selection_fields), &s);
    if (rc != VIPA_OK)
        return rc;
    vipa_entity *e = dst;
    for (unsigned i = 0; i < COUNT_OF(s.met); i++)
        if (s.met[i])
            e->selection |= 1u << i;
    return VIPA_OK;
}

static const field entity_fields[] = {
    ID("id", REQ, vipa_entity, id),
    TEXT("name", REQ, vipa_entity, name),
    WORD("kind", REQ, vipa_entity, kind, VIPA_VOCAB_ENTITY_KIND),
    TEXT("uscc", OPT, vipa_entity, uscc),
    CODE("core_village", REQ, vipa_entity, core_village),
    TEXT("industry", REQ, vipa_entity, industry),
    CUSTOM("selection", OPT, read_selection, "an object of criteria such as "
           "{\"well_managed\": true}"),
};

static const field household_fields[] = {
    ID("id", REQ, vipa_household, id),
    CODE("village", REQ, vipa_household, village),
    INT("members", REQ, vipa_household, members, MEMBER_RANGE),
    INT("labour", REQ, vipa_household, labour, "0..members"),
    WORD("cause", REQ, vipa_household, cause, VIPA_VOCAB_CAUSE),
    FLAG("willing", REQ, vipa_household, willing),
    YEAR("exited", OPT, vipa_household, exited_year),
    SKIP("assured"), /* read after the households are added, as their own records */
};

/* The order areas are added in: a parent before its children, so the JSON may list
 * them in any order; areas of one level keep their JSON order. */
typedef struct area_order {
    int level;
    size_t index;
} area_order;

static int by_level_then_index(const void *a, const void *b)
{
    const area_order *x = a, *y = b;
    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

static int add_sorted_areas(loader *L, const kind *k, const jpath *top, const vipa_area *parsed,
                            size_t n)
{
    area_order *order = scratch(L, top, n, sizeof *order);
    vipa_area *sorted = order ? scratch(L, top, n, sizeof *sorted) : NULL;
    origin *origins = sorted ? scratch(L, top, n, sizeof *origins) : NULL;
    if (!origins)
        return vipa_ctx_errcode(L->ctx);
    for (size_t i = 0; i < n; i++)
        order[i] = (area_order){(int)parsed[i].level, i};
    qsort(order, n, sizeof *order, by_level_then_index);
    for (size_t j = 0; j < n; j++) {
        sorted[j] = parsed[order[j].index];
        origins[j] = (origin){order[j].index, NULL};
    }
    int rc = k->add(L->ctx, sorted, n);
    return rc == VIPA_OK ? rc : name_json_record(L, rc, k->key, k->key, origins, 0, n);
}

/* Room for one more area in each of the arrays load_areas grows. */
static int area_room(loader *L, size_t n, vipa_area **parsed, size_t *cap_parsed, json_t ***held,
                     size_t *cap_held, uint64_t **starts, size_t *cap_starts)
{
    const vipa__allocator *a = &L->ctx->alloc;
    void *p = *parsed, *h = *held, *s = *starts;
    int rc = vipa__reserve(a, &p, cap_parsed, n + 1, sizeof **parsed);
    *parsed = p;
    if (rc == VIPA_OK) /* NOLINTNEXTLINE(bugprone-sizeof-expression): pointers */
        rc = vipa__reserve(a, &h, cap_held, n + 1, sizeof **held);
    *held = h;
    if (rc == VIPA_OK)
        rc = vipa__reserve(a, &s, cap_starts, n + 1, sizeof **starts);
    *starts = s;
    return rc == VIPA_OK ? rc : vipa__fail(L->ctx, rc, "areas: out of memory reading the areas");
}

/* Every area is read before any is added (a province has some thousands): they are
 * added parents first, whatever their order in the text. */
static int load_areas(loader *L, json_t *root, const kind *k)
{
    jpath top = {NULL, k->key, 0};
    records it;
    vipa_area *parsed = NULL;
    json_t **held = NULL;
    uint64_t *starts = NULL;
    size_t n = 0, cap_parsed = 0, cap_held = 0, cap_starts = 0;
    int rc = records_open(L, root, &top, &it);
    for (json_t *obj; rc == VIPA_OK; n++) {
        rc = area_room(L, n, &parsed, &cap_parsed, &held, &cap_held, &starts, &cap_starts);
        if (rc != VIPA_OK || !parsed || !held || !starts) {
            rc = rc != VIPA_OK ? rc : VIPA_E_NOMEM;
            break;
        }
        if ((rc = hold_next(L, &it, held, starts, n, &obj)) != VIPA_OK || !obj)
            break;
        jpath at = {&top, NULL, n};
        memcpy(&parsed[n], k->init, k->size);
        rc = read_record(L, &at, obj, k->fields, k->field_count, &parsed[n]);
    }
    L->chunk_starts = starts;
    if (rc == VIPA_OK && n > 0)
        rc = add_sorted_areas(L, k, &top, parsed, n);
    release_chunk(L, held, held ? n : 0);
    vipa__free(&L->ctx->alloc, parsed);
    vipa__free(&L->ctx->alloc, held);
    vipa__free(&L->ctx->alloc, starts);
    return rc;
}

static int fail_year_key(loader *L, const jpath *at)
{
    return fail_at(L, at, VIPA_E_PARSE, "expected a year " VIPA_YEAR_RANGE " as the key, such "
                   "as \"2017\"");
}

/* Number of guarantee records of a chunk of households: one per household and year
 * key; checks each "assured" is an object. */
static int count_assured(loader *L, const jpath *top, json_t **households, size_t base,
                         size_t n, size_t *total)
{
    *total = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *assured = json_object_get(households[i], "assured");
        jpath element = {top, NULL, base + i}, at = {&element, "assured", 0};
        if (assured && !json_is_null(assured) && !json_is_object(assured)) {
            L->record_at = L->chunk_starts[i];
            return fail_type(L, &at, assured, "an object of years, such as "
                             "{\"2017\": [\"food_clothing\", \"education\"]}");
        }
        *total += assured ? json_object_size(assured) : 0;
    }
    return VIPA_OK;
}

/* A household's "assured" (its guarantees by year), read by load_assured. */
static const field assured_fields[] = {
    {"assured", F_WORDS, OPT, 0, VIPA_VOCAB_ASSURED, NULL, NULL, NULL},
};

/* One household's guarantees, appended at records[*k]. */
static int read_assured(loader *L, const jpath *element, json_t *household, size_t i,
                        vipa_assured *records, origin *origins, size_t *k)
{
    json_t *assured = json_object_get(household, "assured"), *items;
    const char *key;
    jpath member = {element, "assured", 0};
    json_object_foreach(assured, key, items) {
        jpath at = {&member, key, 0};
        vipa_assured a = VIPA_ASSURED_INIT;
        a.year = vipa__year_of_text(key);
        if (a.year == 0)
            return fail_year_key(L, &at);
        int rc = read_words(L, &at, items, &assured_fields[0], &a.items);
        if (rc != VIPA_OK)
            return rc;
        a.household = (vipa_id)json_integer_value(json_object_get(household, "id"));
        records[*k] = a;
        origins[(*k)++] = (origin){i, key};
    }
    return VIPA_OK;
}

/* Reads up to CHUNK households again (their guarantees); *n of them. */
static int reread_households(loader *L, records *it, json_t **held, uint64_t *starts, size_t *n)
{
    int rc = VIPA_OK;
    json_t *obj;
    for (*n = 0; *n < CHUNK; (*n)++)
        if ((rc = hold_next(L, it, held, starts, *n, &obj)) != VIPA_OK || !obj)
            break;
    return rc;
}

/* One chunk of households' guarantees, read and added. */
static int add_assured_chunk(loader *L, const kind *k, const jpath *top, json_t **held,
                             size_t base, size_t n)
{
    size_t total = 0, added = 0;
    int rc = count_assured(L, top, held, base, n, &total);
    if (rc != VIPA_OK || total == 0)
        return rc;
    vipa_assured *records = scratch(L, top, total, sizeof *records);
    origin *origins = records ? scratch(L, top, total, sizeof *origins) : NULL;
    if (!origins)
        return vipa_ctx_errcode(L->ctx);
    for (size_t i = 0; i < n && rc == VIPA_OK; i++) {
        jpath element = {top, NULL, base + i};
        L->record_at = L->chunk_starts[i];
        rc = read_assured(L, &element, held[i], base + i, records, origins, &added);
    }
    if (rc == VIPA_OK && (rc = k->add(L->ctx, records, added)) != VIPA_OK)
        rc = name_json_record(L, rc, k->key, "households", origins, base, added);
    return rc;
}

/* Guarantees are records of their own, added after the households they belong to: the
 * households are read a second time, a chunk at a time. */
static int load_assured(loader *L, json_t *root, const kind *k)
{
    jpath top = {NULL, "households", 0};
    records it;
    int rc = records_open(L, root, &top, &it);
    for (size_t n = CHUNK; rc == VIPA_OK && n == CHUNK;) {
        /* NOLINTNEXTLINE(bugprone-sizeof-expression): an array of pointers */
        json_t **held = scratch(L, &top, CHUNK, sizeof *held);
        uint64_t *starts = held ? scratch(L, &top, CHUNK, sizeof *starts) : NULL;
        size_t base = it.index;
        n = 0;
        if (!held || !starts) {
            rc = out_of_room(L);
            break;
        }
        rc = reread_households(L, &it, held, starts, &n);
        L->chunk_starts = starts;
        if (rc == VIPA_OK)
            rc = add_assured_chunk(L, k, &top, held, base, n);
        release_chunk(L, held, n);
    }
    return rc;
}

/* ---- agreements and plans ------------------------------------------------------------- */

/* A list of ids, into scratch memory. */
static int read_id_list(loader *L, const jpath *at, json_t *v, const vipa_id **ids, size_t *len)
{
    if (!json_is_array(v))
        return fail_type(L, at, v, "an array of positive integer ids");
    size_t n = json_array_size(v);
    vipa_id *out = NULL;
    if (n > 0 && !(out = scratch(L, at, n, sizeof *out)))
        return vipa_ctx_errcode(L->ctx);
    for (size_t k = 0; k < n; k++) {
        jpath p = {at, NULL, k};
        int rc = read_id(L, &p, json_array_get(v, k), NULL, &out[k]);
        if (rc != VIPA_OK)
            return rc;
    }
    *ids = out;
    *len = n;
    return VIPA_OK;
}

static int read_agreement_households(loader *L, const jpath *at, json_t *v, const field *f,
                                     void *dst)
{
    vipa_agreement *a = dst;
    (void)f;
    return read_id_list(L, at, v, &a->households, &a->household_len);
}

/* The signer is read straight into the agreement's two signer fields. */
static const field signer_fields[] = {
    WORD("level", REQ, vipa_agreement, signer_level, VIPA_VOCAB_SIGNER_LEVEL),
    CODE("area", OPT, vipa_agreement, signer_area),
};

static int read_signer(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    (void)f;
    return read_record(L, at, v, signer_fields, COUNT_OF(signer_fields), dst);
}

/* The support measures' texts are kept: the disclosure list names them (五(五)). */
static int read_support(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    vipa_agreement *a = dst;
    int rc = read_strings(L, at, v, f, &a->support_count);
    if (rc != VIPA_OK || a->support_count == 0)
        return rc;
    const char **texts = scratch(L, at, a->support_count, sizeof *texts);
    if (!texts)
        return vipa_ctx_errcode(L->ctx);
    for (size_t k = 0; k < a->support_count; k++)
        texts[k] = json_string_value(json_array_get(v, k));
    a->support = texts;
    return VIPA_OK;
}

/* "support_count": the number of measures of an agreement whose texts were not kept (a
 * context filled through the C API with counts only exports this way, and reads back
 * the same). */
static int read_support_count(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    vipa_agreement *a = dst;
    int64_t n = 0;
    int rc = read_count(L, at, v, f, &n);
    if (rc == VIPA_OK && (uint64_t)n > SIZE_MAX)
        rc = fail_at(L, at, VIPA_E_RANGE, "%lld is more measures than fit", (long long)n);
    if (rc == VIPA_OK)
        a->support_count = (size_t)n;
    return rc;
}

/* The measures are given as texts or as a count, never both. */
static int check_agreement_support(loader *L, const jpath *at, json_t *obj, const void *record)
{
    (void)record;
    json_t *texts = json_object_get(obj, "support"), *count = json_object_get(obj, "support_count");
    if (!texts || json_is_null(texts) || !count || json_is_null(count))
        return VIPA_OK;
    jpath p = {at, "support_count", 0};
    return fail_at(L, &p, VIPA_E_PARSE, "given with \"support\"; expected the measures' texts "
                   "(\"support\") or, when the texts are not known, their number "
                   "(\"support_count\"), not both");
}

static const field agreement_fields[] = {
    ID("id", REQ, vipa_agreement, id),
    ID("entity", REQ, vipa_agreement, entity),
    CUSTOM("households", OPT, read_agreement_households, "an array of positive integer ids"),
    COUNT("household_count", vipa_agreement, household_count),
    STRINGS("projects", vipa_agreement, project_count),
    CUSTOM("support", OPT, read_support, "an array of strings"),
    CUSTOM("support_count", OPT, read_support_count, "a non-negative integer"),
    BP("dividend_bp", vipa_agreement, dividend_bp),
    DATE("start", OPT, vipa_agreement, start),
    DATE("end", OPT, vipa_agreement, end),
    YEAR("exit_deadline", OPT, vipa_agreement, exit_deadline),
    DATE("signed", OPT, vipa_agreement, signed_on),
    CUSTOM("signer", OPT, read_signer, "an object {\"level\": ..., \"area\": code}"),
};

/* An annual task (年度任务): its year, and optionally an income target and a text. */
typedef struct task_in {
    int year;
    vipa_fen income;
    const char *task;
} task_in;

static const field task_fields[] = {
    YEAR("year", REQ, task_in, year),
    MONEY("income", OPT, task_in, income),
    TEXT("task", OPT, task_in, task),
};

static int has_member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return v && !json_is_null(v);
}

/* Each task may state an income target or not (VIPA_FEN_UNSET). */
static int read_tasks(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    vipa_plan *plan = dst;
    if (!json_is_array(v))
        return fail_field_type(L, at, v, f);
    size_t n = json_array_size(v);
    int rc = VIPA_OK;
    if (n == 0)
        return rc;
    int *years = scratch(L, at, n, sizeof *years);
    vipa_fen *incomes = years ? scratch(L, at, n, sizeof *incomes) : NULL;
    if (!incomes)
        return vipa_ctx_errcode(L->ctx);
    for (size_t k = 0; k < n && rc == VIPA_OK; k++) {
        jpath p = {at, NULL, k};
        task_in t = {0, VIPA_FEN_UNSET, NULL};
        rc = read_record(L, &p, json_array_get(v, k), task_fields, COUNT_OF(task_fields), &t);
        jpath income = {&p, "income", 0};
        if (rc == VIPA_OK && has_member(json_array_get(v, k), "income") && t.income < 0)
            rc = fail_at(L, &income, VIPA_E_RANGE, "%s is negative; expected an income target "
                         "≥ 0.00", vipa__yuan(t.income).s);
        years[k] = t.year;
        incomes[k] = t.income;
    }
    plan->task_years = years;
    plan->task_incomes = incomes;
    plan->task_len = n;
    return rc;
}

/* A per-person task (逐人任务清单): a member number and what the member does. */
typedef struct person_in {
    int member;
    const char *task;
} person_in;

static const field person_fields[] = {
    INT("member", REQ, person_in, member, MEMBER_RANGE),
    TEXT("task", REQ, person_in, task),
};

static int read_persons(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    vipa_plan *plan = dst;
    if (!json_is_array(v))
        return fail_field_type(L, at, v, f);
    for (size_t k = 0; k < json_array_size(v); k++) {
        jpath p = {at, NULL, k}, member = {&p, "member", 0};
        person_in person = {0, NULL};
        int rc = read_record(L, &p, json_array_get(v, k), person_fields,
                             COUNT_OF(person_fields), &person);
        if (rc != VIPA_OK)
            return rc;
        if (person.member < 1 || person.member > VIPA_MEMBERS_MAX)
            return fail_at(L, &member, VIPA_E_RANGE, "%d is not a member number; expected "
                           MEMBER_RANGE, person.member);
    }
    plan->person_task_count = json_array_size(v);
    return VIPA_OK;
}

static const field plan_fields[] = {
    ID("household", REQ, vipa_plan, household),
    ID("agreement", REQ, vipa_plan, agreement),
    YEAR("exit_target", OPT, vipa_plan, exit_target),
    STRINGS("industries", vipa_plan, industry_count),
    STRINGS("measures", vipa_plan, measure_count),
    CUSTOM("tasks", OPT, read_tasks, "an array of tasks such as {\"year\": 2017, "
           "\"income\": \"12000.00\"}"),
    WORDS("filed", vipa_plan, filed, VIPA_VOCAB_FILED),
    CUSTOM("persons", OPT, read_persons, "an array such as {\"member\": 1, \"task\": \"...\"}"),
};

/* ---- money records ----------------------------------------------------------------------- */

static const field linkage_fields[] = {
    ID("id", REQ, vipa_linkage, id),
    WORD("kind", REQ, vipa_linkage, kind, VIPA_VOCAB_LINKAGE_KIND),
    ID("household", REQ, vipa_linkage, household),
    ID("entity", REQ, vipa_linkage, entity),
    ID("agreement", REQ, vipa_linkage, agreement),
    YEAR("from", REQ, vipa_linkage, from_year),
    YEAR("to", REQ, vipa_linkage, to_year),
    MONEY("annual", OPT, vipa_linkage, annual),
    POSITIVE("days", vipa_linkage, days, DAYS_RANGE),
    MONEY("daily_wage", OPT, vipa_linkage, daily_wage),
    CMU("area_mu", vipa_linkage, area_cmu),
    MONEY("rent_per_mu", OPT, vipa_linkage, rent_per_mu),
};

static int read_injection_households(loader *L, const jpath *at, json_t *v, const field *f,
                                     void *dst)
{
    vipa_injection *in = dst;
    (void)f;
    return read_id_list(L, at, v, &in->households, &in->household_len);
}

static int read_weights(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    vipa_injection *in = dst;
    if (!json_is_array(v))
        return fail_field_type(L, at, v, f);
    size_t n = json_array_size(v);
    uint64_t *weights = scratch(L, at, n, sizeof *weights);
    if (!weights)
        return vipa_ctx_errcode(L->ctx);
    for (size_t k = 0; k < n; k++) {
        jpath p = {at, NULL, k};
        json_t *w = json_array_get(v, k);
        if (!json_is_integer(w))
            return fail_type(L, &p, w, "a non-negative integer weight");
        if (json_integer_value(w) < 0)
            return fail_at(L, &p, VIPA_E_RANGE, "weight %lld is negative; expected ≥ 0",
                           (long long)json_integer_value(w));
        weights[k] = (uint64_t)json_integer_value(w);
    }
    in->weights = weights;
    return VIPA_OK;
}

/* The struct holds no count of weights: they pair with the listed households, so the
 * two lists must be as long as each other. Weights go with "allocation": "weights" and
 * the households they weigh: the add's rule, told here in the scenario's words (the add
 * speaks of NULL and of allocation 3), with its code. */
static int check_injection(loader *L, const jpath *at, json_t *obj, const void *record)
{
    const vipa_injection *in = record;
    json_t *weights = json_object_get(obj, "weights");
    int given = weights && !json_is_null(weights);
    jpath p = {at, "weights", 0}, households = {at, "households", 0};
    if (given && json_array_size(weights) != in->household_len)
        return fail_at(L, &p, VIPA_E_PARSE, "%zu weights for %zu listed households; expected "
                       "one weight per entry of \"households\", in its order",
                       json_array_size(weights), in->household_len);
    if (in->allocation != VIPA_ALLOCATION_WEIGHTS) {
        if (!given)
            return VIPA_OK;
        if (in->allocation == VIPA_ALLOCATION_PROFILE)
            return fail_at(L, &p, VIPA_E_INVALID, "given without an \"allocation\"; expected "
                           "weights only with \"allocation\": \"weights\"");
        return fail_at(L, &p, VIPA_E_INVALID, "given with \"allocation\": \"%s\"; expected "
                       "weights only with \"allocation\": \"weights\"",
                       vipa__word(VIPA_VOCAB_ALLOCATION, (int)in->allocation));
    }
    if (!given)
        return fail_at(L, &p, VIPA_E_INVALID, "missing; \"allocation\": \"weights\" needs one "
                       "weight per listed household");
    if (in->household_len == 0)
        return fail_at(L, &households, VIPA_E_INVALID, "none listed; \"allocation\": "
                       "\"weights\" needs the households listed, one per weight");
    return VIPA_OK;
}

static const field injection_fields[] = {
    ID("id", REQ, vipa_injection, id),
    ID("entity", REQ, vipa_injection, entity),
    ID("agreement", REQ, vipa_injection, agreement),
    DATE("date", REQ, vipa_injection, date),
    MONEY("amount", REQ, vipa_injection, amount),
    CUSTOM("households", OPT, read_injection_households, "an array of positive integer ids"),
    WORD("allocation", OPT, vipa_injection, allocation, VIPA_VOCAB_ALLOCATION),
    CUSTOM("weights", OPT, read_weights, "an array of non-negative integer weights"),
};

static const field contribution_fields[] = {
    ID("household", REQ, vipa_contribution, household),
    ID("entity", REQ, vipa_contribution, entity),
    ID("agreement", OPT, vipa_contribution, agreement),
    WORD("kind", REQ, vipa_contribution, kind, VIPA_VOCAB_CONTRIBUTION_KIND),
    MONEY("value", REQ, vipa_contribution, value),
    DATE("date", REQ, vipa_contribution, date),
};

/* A share holder: exactly one of {"household": id}, {"collective": code}, {"entity": id}. */
#define HOLDER_FIELD(name, code, word) SKIP(word),
static const field holder_fields[] = {VIPA_HOLDER_KIND_WORDS(HOLDER_FIELD)};

static int read_holder(loader *L, const jpath *at, json_t *v, vipa_holder_kind *kind,
                       uint64_t *id)
{
    static const char expected[] = "one holder: {\"household\": id}, {\"collective\": "
                                   "\"<village code>\"} or {\"entity\": id}";
    if (!json_is_object(v))
        return fail_type(L, at, v, expected);
    int rc = check_keys(L, at, v, holder_fields, COUNT_OF(holder_fields));
    if (rc != VIPA_OK)
        return rc;
    if (json_object_size(v) != 1)
        return fail_at(L, at, VIPA_E_PARSE, "%zu keys; expected %s", json_object_size(v), expected);
    const char *key = json_object_iter_key(json_object_iter(v));
    jpath p = {at, key, 0};
    json_t *value = json_object_iter_value(json_object_iter(v));
    /* The key is one of holder_fields, whose words check_keys let through. */
    *kind = (vipa_holder_kind)vipa__word_code(VIPA_VOCAB_HOLDER_KIND, key);
    if (*kind == VIPA_HOLDER_COLLECTIVE)
        return read_code(L, &p, value, &(field)CODE(key, REQ, vipa_area, code), id);
    return read_id(L, &p, value, NULL, id);
}

static int read_from(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    vipa_transfer *t = dst;
    (void)f;
    return read_holder(L, at, v, &t->from_kind, &t->from_id);
}

static int read_to(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    vipa_transfer *t = dst;
    (void)f;
    return read_holder(L, at, v, &t->to_kind, &t->to_id);
}

static const field transfer_fields[] = {
    ID("entity", REQ, vipa_transfer, entity),
    CUSTOM("from", REQ, read_from, "a holder such as {\"household\": 1001}"),
    CUSTOM("to", REQ, read_to, "a holder such as {\"household\": 1001}"),
    MONEY("amount", REQ, vipa_transfer, amount),
    DATE("date", REQ, vipa_transfer, date),
};

static const field dividend_fields[] = {
    ID("entity", REQ, vipa_dividend, entity),
    YEAR("year", REQ, vipa_dividend, year),
    BP("rate_bp", vipa_dividend, rate_bp),
    MONEY("pool", OPT, vipa_dividend, pool),
};

/* A dividend payment names its entity and household, read into the payment itself. */
static const field payee_fields[] = {
    ID("entity", REQ, vipa_payment, entity),
    ID("household", REQ, vipa_payment, household),
};

static int read_payee(loader *L, const jpath *at, json_t *v, const field *f, void *dst)
{
    (void)f;
    return read_record(L, at, v, payee_fields, COUNT_OF(payee_fields), dst);
}

static const field payment_fields[] = {
    ID("linkage", OPT, vipa_payment, linkage),
    CUSTOM("dividend", OPT, read_payee, "an object {\"entity\": id, \"household\": id}"),
    YEAR("year", REQ, vipa_payment, year),
    MONEY("amount", REQ, vipa_payment, amount),
    DATE("date", REQ, vipa_payment, date),
};

static const field income_fields[] = {
    ID("household", REQ, vipa_income, household),
    YEAR("year", REQ, vipa_income, year),
    MONEY("other", REQ, vipa_income, other),
};

static const field evaluation_fields[] = {
    YEAR("year", REQ, vipa_evaluation, year),
    DATE("date", REQ, vipa_evaluation, date),
    FLAG("recheck", OPT, vipa_evaluation, recheck),
};

/* ---- the kinds ----------------------------------------------------------------------- */

/* The batch functions take typed arrays; these adapt them to one signature, beside each
 * kind's _INIT value: batch_areas and init_areas, ... */
#define BATCH(plural, singular, SINGULAR, ...)                                    \
    static int batch_##plural(vipa_ctx *ctx, const void *records, size_t n)     \
    {                                                                           \
        return vipa_ctx_add_##plural(ctx, (const vipa_##singular *)records, n); \
    }                                                                           \
    static const vipa_##singular init_##plural = VIPA_##SINGULAR##_INIT;
VIPA_RECORD_KINDS(BATCH)
#undef BATCH

/* Each kind's reading, <singular>_kind: its fields, check and loader. */
#define KIND(name, fields, check, load) \
    {#name, fields, COUNT_OF(fields), sizeof init_##name, &init_##name, check, batch_##name, load}

static const kind area_kind = KIND(areas, area_fields, NULL, load_areas);
static const kind entity_kind = KIND(entities, entity_fields, NULL, load_kind);
static const kind household_kind = KIND(households, household_fields, NULL, load_kind);
static const kind assured_kind = KIND(assured, assured_fields, NULL, load_assured);
static const kind agreement_kind =
    KIND(agreements, agreement_fields, check_agreement_support, load_kind);
static const kind plan_kind = KIND(plans, plan_fields, NULL, load_kind);
static const kind linkage_kind = KIND(linkages, linkage_fields, NULL, load_kind);
static const kind injection_kind = KIND(injections, injection_fields, check_injection, load_kind);
static const kind contribution_kind = KIND(contributions, contribution_fields, NULL, load_kind);
static const kind transfer_kind = KIND(transfers, transfer_fields, NULL, load_kind);
static const kind dividend_kind = KIND(dividends, dividend_fields, NULL, load_kind);
static const kind payment_kind = KIND(payments, payment_fields, NULL, load_kind);
static const kind income_kind = KIND(incomes, income_fields, NULL, load_kind);
static const kind evaluation_kind = KIND(evaluations, evaluation_fields, NULL, load_kind);

/* ---- the profile ---------------------------------------------------------------------- */

/* A parameter setter failed: its message starts with the parameter's key; name the
 * JSON path instead. */
static int name_param_error(loader *L, int rc, const jpath *at, const char *key)
{
    const char *text = vipa_ctx_errmsg(L->ctx);
    size_t len = strlen(key);
    if (strncmp(text, key, len) == 0 && strncmp(text + len, ": ", 2) == 0)
        text += len + 2;
    msg m;
    msg_begin(&m, at);
    msg_add(&m, "%s", text); /* m is a copy: the context's message is rewritten below */
    return msg_fail(L, rc, &m);
}

static int set_lines(loader *L, const jpath *at, json_t *lines)
{
    if (!json_is_object(lines))
        return fail_type(L, at, lines, "an object of yearly lines such as {\"2017\": \"2952.00\"}");
    const char *key;
    json_t *value;
    json_object_foreach(lines, key, value) {
        jpath p = {at, key, 0};
        int year = vipa__year_of_text(key);
        if (year == 0)
            return fail_year_key(L, &p);
        vipa_fen line = 0; /* set by read_money on success; -O3 cannot tell */
        int rc = read_money(L, &p, value, &(field)MONEY(key, REQ, vipa_income, other), &line);
        char name[32];
        snprintf(name, sizeof name, "poverty_line.%d", year);
        if (rc == VIPA_OK && (rc = vipa_param_set_fen(L->ctx, name, line)) != VIPA_OK)
            return name_param_error(L, rc, &p, name);
        if (rc != VIPA_OK)
            return rc;
    }
    return VIPA_OK;
}

static int set_param(loader *L, const jpath *at, const char *key, json_t *v)
{
    int rc;
    if (strcmp(key, "poverty_line") == 0)
        return set_lines(L, at, v);
    if (strcmp(key, "equity.poor_share_bp") == 0) {
        if (!json_is_integer(v))
            return fail_type(L, at, v, "basis points as an integer (7000 = 70 %)");
        rc = vipa_param_set_int(L->ctx, key, json_integer_value(v));
    } else if (strcmp(key, "exit.require_guarantees") == 0) {
        if (!json_is_boolean(v))
            return fail_type(L, at, v, "true or false");
        rc = vipa_param_set_bool(L->ctx, key, json_is_true(v));
    } else {
        if (!json_is_string(v))
            return fail_type(L, at, v, "a word");
        rc = vipa_param_set_text(L->ctx, key, json_string_value(v));
    }
    return rc == VIPA_OK ? rc : name_param_error(L, rc, at, key);
}

static const field param_fields[] = {
    SKIP("equity.poor_share_bp"), SKIP("equity.allocation"), SKIP("equity.remainder_holder"),
    SKIP("exit.require_guarantees"), SKIP("poverty_line"),
};

static int set_params(loader *L, const jpath *at, json_t *params)
{
    if (!json_is_object(params))
        return fail_type(L, at, params, "an object of parameters");
    int rc = check_keys(L, at, params, param_fields, COUNT_OF(param_fields));
    const char *key;
    json_t *value;
    json_object_foreach(params, key, value) {
        jpath p = {at, key, 0};
        if (rc == VIPA_OK)
            rc = set_param(L, &p, key, value);
    }
    return rc;
}

typedef struct profile_in {
    const char *base;
} profile_in;

static const field profile_fields[] = {TEXT("base", OPT, profile_in, base), SKIP("params")};

static int load_profile(loader *L, json_t *root)
{
    jpath top = {NULL, "profile", 0};
    json_t *profile = json_object_get(root, "profile");
    if (!profile || json_is_null(profile))
        return VIPA_OK;
    profile_in in = {NULL};
    int rc = read_record(L, &top, profile, profile_fields, COUNT_OF(profile_fields), &in);
    if (rc != VIPA_OK)
        return rc;
    const char *name = vipa_profile_name(L->ctx);
    jpath base = {&top, "base", 0}, params = {&top, "params", 0};
    if (in.base && strcmp(in.base, name) != 0)
        return fail_at(L, &base, VIPA_E_INVALID, "the scenario is written for profile \"%s\" "
                       "but the context has profile \"%s\"; create the context with that "
                       "profile", in.base, name);
    json_t *values = json_object_get(profile, "params");
    return values && !json_is_null(values) ? set_params(L, &params, values) : VIPA_OK;
}

/* ---- the whole scenario ---------------------------------------------------------------- */

/* "as_of": the day the data were taken (vipa_ctx_set_as_of). */
typedef struct as_of_in {
    vipa_date as_of;
} as_of_in;

static const field as_of_field = DATE("as_of", OPT, as_of_in, as_of);

static int load_as_of(loader *L, json_t *root)
{
    as_of_in in = {0};
    int rc = read_member(L, NULL, root, &as_of_field, &in); /* absent or null: none */
    return rc == VIPA_OK && in.as_of ? vipa_ctx_set_as_of(L->ctx, in.as_of) : rc;
}

/* The order of the contract, the list's: every record's references are added before it.
 * {&area_kind, &entity_kind, ...} */
#define KIND_STEP(plural, singular, ...) &singular##_kind,
static const kind *const kinds[] = {VIPA_RECORD_KINDS(KIND_STEP)};
#undef KIND_STEP

/* The top level's keys; test scenarios' keys are accepted and ignored (see `vipa test`). */
typedef struct top_in {
    const char *expect_error;
    int findings_exact;
} top_in;

/* Each kind's top-level key, SKIP("areas"), ...: its records are read by its step. A
 * nested kind has none (a household's "assured" is a key of the household). */
#define TOP_KEY(plural, singular, SINGULAR, storage, key, sizes, scenario) \
    TOP_KEY_##scenario(plural)
#define TOP_KEY_OWN_KEY(plural) SKIP(#plural),
#define TOP_KEY_NESTED(plural)

static const field top_fields[] = {
    SKIP("vipa"), SKIP("as_of"), SKIP("profile"),
    VIPA_RECORD_KINDS(TOP_KEY)
    SKIP("expect"),
    TEXT("expect_error", OPT, top_in, expect_error),
    FLAG("findings_exact", OPT, top_in, findings_exact),
};

#undef TOP_KEY
#undef TOP_KEY_OWN_KEY
#undef TOP_KEY_NESTED

/* An object whose "vipa" is the format version 1, with known keys only. The version
 * is checked first: a newer file is better told so than told of its new keys. */
/* The top level of a scenario or a reform (@p kind): an object whose "vipa" is 1. Its
 * messages start with @p prefix ("" for a scenario, whose were written first). */
static int check_format(loader *L, json_t *root, const char *kind, const char *prefix,
                        const char *shape)
{
    if (!json_is_object(root))
        return vipa__fail(L->ctx, VIPA_E_PARSE, "%stop level: expected a JSON object "
                          "{\"vipa\": 1, %s}, not %s", prefix, shape, json_kind_name(root));
    json_t *version = json_object_get(root, "vipa");
    jpath at = {NULL, "vipa", 0};
    if (!version)
        return fail_at(L, &at, VIPA_E_PARSE, "missing; a %s starts with \"vipa\": 1, its "
                       "format version", kind);
    if (!json_is_integer(version))
        return fail_type(L, &at, version, "the format version 1 as an integer");
    if (json_integer_value(version) != 1)
        return fail_at(L, &at, VIPA_E_VERSION, "format version %lld is not supported; this "
                       "library reads version 1", (long long)json_integer_value(version));
    return VIPA_OK;
}

static int check_top(loader *L, json_t *root)
{
    int rc = check_format(L, root, "scenario", "", "...");
    if (rc != VIPA_OK)
        return rc;
    top_in ignored = {NULL, 0};
    return read_record(L, NULL, root, top_fields, COUNT_OF(top_fields), &ignored);
}

static int load_all(loader *L, json_t *root)
{
    vipa_ctx *ctx = L->ctx;
    if (vipa__ctx_mutable(ctx, "scenario") != VIPA_OK)
        return VIPA_E_STATE;
    vipa__profile saved;
    if (vipa__profile_save(ctx, &saved) != VIPA_OK)
        return vipa__fail(ctx, VIPA_E_NOMEM, "scenario: out of memory saving the profile");
    vipa__mark mark = vipa__ctx_mark(ctx);
    vipa_date as_of = ctx->as_of;
    int rc = load_profile(L, root);
    if (rc == VIPA_OK)
        rc = load_as_of(L, root);
    for (size_t i = 0; i < COUNT_OF(kinds) && rc == VIPA_OK; i++) {
        rc = kinds[i]->load(L, root, kinds[i]);
        scratch_release(L);
    }
    if (rc != VIPA_OK) {
        vipa__ctx_rollback(ctx, &mark);
        vipa__profile_restore(ctx, &saved);
        ctx->as_of = as_of;
        return rc;
    }
    vipa__free(&ctx->alloc, saved.lines);
    return vipa__succeed(ctx);
}

/* A whole text decoded at once, as jansson reports it: only for a small text whose top
 * level is not an object, so that what it is, or what is wrong with it, is told as such. */
static int parse_whole(loader *L, json_t **root)
{
    size_t got;
    const char *text = vipa__source_span(L->source, 0, (size_t)L->source->size, &got);
    if (!text)
        return vipa__fail(L->ctx, VIPA_E_IO, "scenario: the text cannot be read");
    json_error_t error;
    /* Duplicate keys are refused: which of two values was meant cannot be known. Any
     * value is decoded so that a top level other than an object is told as such. */
    *root = json_loadb(text, (size_t)L->source->size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                       &error);
    if (*root)
        return VIPA_OK;
    if (json_error_code(&error) == json_error_out_of_memory)
        return vipa__fail(L->ctx, VIPA_E_NOMEM, "scenario: out of memory parsing the JSON");
    return vipa__fail(L->ctx, VIPA_E_PARSE, "line %d, column %d: %s", error.line, error.column,
                      error.text);
}

/* The top-level keys whose values are lists of records, read one record at a time. */
#define RECORD_KEY(plural, singular, SINGULAR, storage, key, sizes, scenario) \
    RECORD_KEY_##scenario(plural)
#define RECORD_KEY_OWN_KEY(plural) #plural,
#define RECORD_KEY_NESTED(plural)
static const char *const record_keys[] = {VIPA_RECORD_KINDS(RECORD_KEY)};
#undef RECORD_KEY
#undef RECORD_KEY_OWN_KEY
#undef RECORD_KEY_NESTED

static int is_record_key(const char *key)
{
    for (size_t i = 0; i < COUNT_OF(record_keys); i++)
        if (strcmp(record_keys[i], key) == 0)
            return 1;
    return 0;
}

/* The value of a JSON Lines member that is not a record kind ("vipa", "profile"...):
 * its one line {"key": value}. */
static int line_member(loader *L, const vipa__member *m, json_t **value)
{
    records it = {.key = m->key, .member = (size_t)(m - L->layout->members), .at = m->start,
                  .end = m->end};
    int rc = next_line(L, &it, value);
    json_t *again = NULL;
    if (rc == VIPA_OK && *value && (rc = next_line(L, &it, &again)) == VIPA_OK && again) {
        json_decref(again);
        msg m2 = {"", 0};
        msg_add(&m2, "\"%s\" is given on two lines; a scenario has one", m->key);
        rc = msg_fail(L, VIPA_E_PARSE, &m2);
    }
    L->record_at = NO_RECORD;
    if (rc != VIPA_OK) {
        json_decref(*value);
        *value = NULL;
    }
    return rc;
}

/* The top level as an object of its small members (the version, the profile...), each
 * record kind's key holding an empty array in place of its records (or, if it is no
 * array, its value, for check_top and records_open to refuse). */
static int build_root(loader *L, json_t **root)
{
    char why[VIPA_ERRMSG_SIZE];
    *root = json_object();
    if (!*root)
        return vipa__fail(L->ctx, VIPA_E_NOMEM, "scenario: out of memory");
    for (size_t i = 0; i < L->layout->count; i++) {
        const vipa__member *m = &L->layout->members[i];
        json_t *value = NULL;
        int rc = VIPA_OK;
        if (L->layout->lines && json_object_get(*root, m->key) && !is_record_key(m->key)) {
            L->record_at = m->start;
            msg m2 = {"", 0};
            msg_add(&m2, "\"%s\" is given twice; a scenario has one", m->key);
            rc = msg_fail(L, VIPA_E_PARSE, &m2);
            L->record_at = NO_RECORD;
        } else if (is_record_key(m->key) &&
                   (L->layout->lines || vipa__source_byte(L->source, m->start) == '[')) {
            value = json_array();
        } else if (L->layout->lines) {
            rc = line_member(L, m, &value);
        } else if ((rc = vipa__decode(L->source, m->start, m->end, &value, why, sizeof why)) !=
                   VIPA_OK) {
            rc = fail_source(L, rc, why);
        }
        if (rc == VIPA_OK && json_object_set_new(*root, m->key, value) != 0)
            rc = vipa__fail(L->ctx, VIPA_E_NOMEM, "scenario: out of memory");
        if (rc != VIPA_OK)
            return rc;
    }
    return VIPA_OK;
}

/* A scenario from its source: the layout, the top level, then every record. */
static int load_source(vipa_ctx *ctx, vipa__source *source)
{
    /* The scan's message; it writes none when its own memory runs out. */
    char why[VIPA_ERRMSG_SIZE] = "scenario: out of memory reading where the records lie";
    vipa__layout layout = {NULL, 0, 0, 0};
    loader L = {ctx, NULL, 0, 0, source, &layout, NO_RECORD, NULL};
    json_t *root = NULL;
    int rc;
    uint64_t first = vipa__source_skip_space(source, 0);
    if (vipa__source_byte(source, first) != '{' && source->size <= VIPA__WHOLE_TEXT_BYTES) {
        rc = parse_whole(&L, &root);
    } else if ((rc = vipa__scan(source, &layout, why, sizeof why)) != VIPA_OK) {
        rc = fail_source(&L, rc, why);
    } else {
        rc = build_root(&L, &root);
    }
    if (rc == VIPA_OK)
        rc = check_top(&L, root);
    if (rc == VIPA_OK)
        rc = load_all(&L, root);
    vipa__free(&ctx->alloc, L.blocks);
    json_decref(root);
    vipa__layout_free(&layout, &ctx->alloc);
    vipa__source_close(source);
    return rc;
}

int vipa_scenario_load(vipa_ctx *ctx, const char *buffer, size_t length, const char **err)
{
    if (err)
        *err = NULL;
    if (!ctx) {
        if (err)
            *err = vipa_ctx_errmsg(NULL);
        return VIPA_E_INVALID;
    }
    int rc;
    if (!buffer) {
        rc = vipa__fail(ctx, VIPA_E_INVALID, "scenario: the buffer is NULL; expected JSON text");
    } else if (length > VIPA_SCENARIO_MAX_BYTES) { /* refused before a byte is read */
        rc = vipa__fail(ctx, VIPA_E_LIMIT, "scenario: %zu bytes is more than the limit of %zu "
                        "(VIPA_SCENARIO_MAX_BYTES)", length, VIPA_SCENARIO_MAX_BYTES);
    } else {
        vipa__source source;
        vipa__source_memory(&source, &ctx->alloc, buffer, length);
        rc = load_source(ctx, &source);
    }
    if (err && rc != VIPA_OK)
        *err = vipa_ctx_errmsg(ctx);
    return rc;
}

int vipa_scenario_load_file(vipa_ctx *ctx, const char *path, const char **err)
{
    if (err)
        *err = NULL;
    if (!ctx) {
        if (err)
            *err = vipa_ctx_errmsg(NULL);
        return VIPA_E_INVALID;
    }
    int rc;
    FILE *file = path ? vipa__source_open(path) : NULL;
    if (!path) {
        rc = vipa__fail(ctx, VIPA_E_INVALID, "scenario: the path is NULL; expected a file name");
    } else if (!file) {
        rc = vipa__fail(ctx, VIPA_E_IO, "scenario: %s cannot be opened: %s", path,
                        strerror(errno));
    } else {
        vipa__source source;
        rc = vipa__source_file(&source, &ctx->alloc, file);
        if (rc != VIPA_OK)
            rc = vipa__fail(ctx, rc, "scenario: %s is not a regular file (a file is read "
                            "twice: once for its layout, once for its records)", path);
        else
            rc = load_source(ctx, &source);
    }
    if (file)
        fclose(file);
    if (err && rc != VIPA_OK)
        *err = vipa_ctx_errmsg(ctx);
    return rc;
}

/* ---- reforms ------------------------------------------------------------------------------ */

/* A reform file is small: a handful of parameters and yearly lines. */
#define REFORM_MAX_BYTES ((size_t)1 << 20)

typedef struct reform_in {
    const char *name, *description;
} reform_in;

static const field reform_fields[] = {
    SKIP("vipa"), TEXT("name", OPT, reform_in, name),
    TEXT("description", OPT, reform_in, description), SKIP("params"),
};

/* {"vipa": 1, "name": ..., "description": ..., "params": {...}}: the version first, as for
 * a scenario, then the known keys, then the parameters (set_params), all on the profile
 * saved beforehand so that a failure leaves it as it was. */
static int load_reform(loader *L, json_t *root)
{
    int rc = check_format(L, root, "reform", "reform: ", "\"params\": {...}");
    if (rc != VIPA_OK)
        return rc;
    reform_in in = {NULL, NULL};
    rc = read_record(L, NULL, root, reform_fields, COUNT_OF(reform_fields), &in);
    json_t *params = json_object_get(root, "params");
    jpath where = {NULL, "params", 0};
    if (rc == VIPA_OK && !params)
        return fail_at(L, &where, VIPA_E_PARSE, "missing; a reform changes parameters, such "
                       "as {\"equity.poor_share_bp\": 8000}");
    if (rc != VIPA_OK)
        return rc;
    if (vipa__profile_mutable(L->ctx, "reform") != VIPA_OK)
        return VIPA_E_STATE;
    vipa__profile saved;
    if (vipa__profile_save(L->ctx, &saved) != VIPA_OK)
        return vipa__fail(L->ctx, VIPA_E_NOMEM, "reform: out of memory saving the profile");
    rc = set_params(L, &where, params);
    if (rc != VIPA_OK) {
        vipa__profile_restore(L->ctx, &saved);
        return rc;
    }
    vipa__free(&L->ctx->alloc, saved.lines);
    return vipa__succeed(L->ctx);
}

int vipa_reform_load(vipa_ctx *ctx, const char *buffer, size_t length, const char **err)
{
    if (err)
        *err = NULL;
    if (!ctx) {
        if (err)
            *err = vipa_ctx_errmsg(NULL);
        return VIPA_E_INVALID;
    }
    int rc;
    json_t *root = NULL;
    json_error_t error;
    if (!buffer) {
        rc = vipa__fail(ctx, VIPA_E_INVALID, "reform: the buffer is NULL; expected JSON text");
    } else if (length > REFORM_MAX_BYTES) {
        rc = vipa__fail(ctx, VIPA_E_LIMIT, "reform: %zu bytes is more than the limit of %zu; "
                        "a reform is a few parameters", length, REFORM_MAX_BYTES);
    } else if (!(root = json_loadb(buffer, length, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                                   &error))) {
        rc = json_error_code(&error) == json_error_out_of_memory
                 ? vipa__fail(ctx, VIPA_E_NOMEM, "reform: out of memory parsing the JSON")
                 : vipa__fail(ctx, VIPA_E_PARSE, "reform: line %d, column %d: %s", error.line,
                              error.column, error.text);
    } else {
        loader L = {ctx, NULL, 0, 0, NULL, NULL, NO_RECORD, NULL};
        rc = load_reform(&L, root);
        vipa__free(&ctx->alloc, L.blocks);
    }
    json_decref(root);
    if (err && rc != VIPA_OK)
        *err = vipa_ctx_errmsg(ctx);
    return rc;
}
