/*
 * The scenario module's reading of text in place (see scenario_internal.h): a memory
 * buffer, or a file read through a window that grows to the largest value decoded, and
 * the scan that finds the top-level members (or the runs of JSON Lines) without decoding
 * them. Values are only skipped here, by their brackets and strings; jansson decodes
 * each record later and reports whatever is malformed inside it. This is what keeps a
 * scenario of any size within the loaded context plus one window of memory.
 */
#define _POSIX_C_SOURCE 200809L /* fseeko, fileno */

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario_internal.h"
#include "vipa/error.h"

enum { WINDOW_MIN = 1 << 20, SCAN_SPAN = 1 << 16 };

/* ---- the source ------------------------------------------------------------------- */

void vipa__source_memory(vipa__source *s, const vipa__allocator *a, const char *text, size_t length)
{
    *s = (vipa__source){.alloc = a, .memory = text, .size = length};
}

FILE *vipa__source_open(const char *path)
{
    /* Not blocking: opening a FIFO without a writer would wait forever; the source then
     * refuses whatever is not a regular file. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    FILE *file = fdopen(fd, "rb");
    if (!file) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    return file;
}

int vipa__source_file(vipa__source *s, const vipa__allocator *a, FILE *file)
{
    *s = (vipa__source){.alloc = a, .file = file};
    struct stat st;
    /* The scan reads the file once, the loader again at each member: a pipe cannot be
     * read twice, and a file growing meanwhile would be read inconsistently. */
    if (fstat(fileno(file), &st) != 0 || !S_ISREG(st.st_mode))
        return VIPA_E_IO;
    s->size = (uint64_t)st.st_size;
    return VIPA_OK;
}

void vipa__source_close(vipa__source *s)
{
    vipa__free(s->alloc, s->window);
    s->window = NULL;
    s->window_len = s->window_cap = 0;
}

static const char *fail_source(vipa__source *s, int code)
{
    if (s->failed == VIPA_OK)
        s->failed = code;
    return NULL;
}

/* Reads the window anew from `at`, large enough for `need` bytes. */
static const char *refill(vipa__source *s, uint64_t at, size_t need)
{
    if (need > VIPA__VALUE_MAX_BYTES)
        return fail_source(s, VIPA_E_LIMIT);
    if (need > s->window_cap || !s->window) {
        size_t cap = need > WINDOW_MIN ? need : WINDOW_MIN;
        char *grown = vipa__malloc(s->alloc, cap);
        if (!grown)
            return fail_source(s, VIPA_E_NOMEM);
        vipa__free(s->alloc, s->window);
        s->window = grown;
        s->window_cap = cap;
    }
    uint64_t left = s->size - at;
    size_t want = left < s->window_cap ? (size_t)left : s->window_cap;
    if (fseeko(s->file, (off_t)at, SEEK_SET) != 0 || fread(s->window, 1, want, s->file) != want)
        return fail_source(s, VIPA_E_IO); /* also a file cut short since it was sized */
    s->window_at = at;
    s->window_len = want;
    return s->window;
}

const char *vipa__source_span(vipa__source *s, uint64_t at, size_t want, size_t *got)
{
    *got = 0;
    if (s->failed != VIPA_OK)
        return NULL;
    if (at >= s->size)
        return s->memory ? s->memory + s->size : "";
    uint64_t left = s->size - at;
    size_t need = left < want ? (size_t)left : want;
    if (s->memory) {
        *got = left > SIZE_MAX ? SIZE_MAX : (size_t)left;
        return s->memory + at;
    }
    int inside = at >= s->window_at && at - s->window_at + need <= s->window_len && s->window;
    const char *base = inside ? s->window + (at - s->window_at) : refill(s, at, need);
    if (base)
        *got = s->window_len - (size_t)(at - s->window_at);
    return base;
}

int vipa__source_byte(vipa__source *s, uint64_t at)
{
    size_t got;
    const char *p = vipa__source_span(s, at, 1, &got);
    return p && got > 0 ? (unsigned char)*p : -1;
}

static int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

uint64_t vipa__source_skip_space(vipa__source *s, uint64_t at)
{
    for (;;) {
        size_t got;
        const char *p = vipa__source_span(s, at, SCAN_SPAN, &got);
        if (!p || got == 0)
            return at < s->size && s->failed == VIPA_OK ? at : s->size;
        size_t i = 0;
        while (i < got && is_space((unsigned char)p[i]))
            i++;
        at += i;
        if (i < got)
            return at;
    }
}

/* UTF-8 continuation bytes in p[0, n): a loop the compiler vectorises. */
static size_t continuation_bytes(const char *p, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += ((unsigned char)p[i] >> 6) == 2;
    return count;
}

void vipa__source_position(vipa__source *s, uint64_t at, int *line, int *column)
{
    long long lines = 1, chars = 0;
    for (uint64_t pos = 0; pos < at && pos < s->size;) {
        size_t got;
        const char *p = vipa__source_span(s, pos, SCAN_SPAN, &got);
        if (!p || got == 0)
            break;
        size_t n = at - pos < got ? (size_t)(at - pos) : got, from = 0;
        for (const char *nl; (nl = memchr(p + from, '\n', n - from)) != NULL;) {
            lines++;
            chars = 0;
            from = (size_t)(nl - p) + 1;
        }
        /* characters since the last newline: bytes that start one, as jansson counts */
        chars += (long long)(n - from - continuation_bytes(p + from, n - from));
        pos += n;
    }
    *line = lines > INT32_MAX ? INT32_MAX : (int)lines;
    *column = chars > INT32_MAX ? INT32_MAX : (int)chars;
}

/* ---- messages --------------------------------------------------------------------- */

/* "line L, column C: ..." for the character that ends at `at` (exclusive). */
static int fail_at_byte(vipa__source *s, uint64_t at, char *why, size_t why_size,
                        const char *format, ...)
{
    int line, column;
    vipa__source_position(s, at, &line, &column);
    int used = snprintf(why, why_size, "line %d, column %d: ", line, column);
    if (used > 0 && (size_t)used < why_size) {
        va_list args;
        va_start(args, format);
        vsnprintf(why + used, why_size - (size_t)used, format, args);
        va_end(args);
    }
    return VIPA_E_PARSE;
}

/* What stands at `at`, for "near ..." in a message: the character, or the end. */
static const char *near(vipa__source *s, uint64_t at, char buf[8])
{
    int c = vipa__source_byte(s, at);
    if (c < 0)
        return "end of file";
    if (c < 0x20 || c >= 0x7f)
        snprintf(buf, 8, "\\x%02x", (unsigned)(unsigned char)c);
    else
        snprintf(buf, 8, "'%c'", c);
    return buf;
}

static int source_failure(vipa__source *s, char *why, size_t why_size)
{
    const char *text = s->failed == VIPA_E_NOMEM  ? "out of memory reading the text"
                       : s->failed == VIPA_E_LIMIT ? "a value is larger than 256 MiB "
                                                     "(VIPA__VALUE_MAX_BYTES)"
                                                   : "the file cannot be read";
    snprintf(why, why_size, "scenario: %s", text);
    return s->failed;
}

/* ---- skipping values -------------------------------------------------------------- */

/* jansson's message for the bytes [start, end), which are malformed. */
static int decode_error(vipa__source *s, uint64_t start, uint64_t end, char *why,
                        size_t why_size)
{
    json_t *value = NULL;
    int rc = vipa__decode(s, start, end, &value, why, why_size);
    json_decref(value);
    if (rc == VIPA_OK) { /* cannot be: a bracket of the wrong kind never decodes */
        snprintf(why, why_size, "scenario: malformed JSON");
        rc = VIPA_E_PARSE;
    }
    return rc == VIPA_E_PARSE ? -1 : (s->failed = s->failed ? s->failed : rc, 0);
}

/* The bytes that matter to skip_nested, in a string and outside one. */
static const unsigned char in_string_class[256] = {['"'] = 1, ['\\'] = 1};
static const unsigned char outside_class[256] = {['"'] = 1, ['{'] = 1, ['}'] = 1,
                                                 ['['] = 1, [']'] = 1};

/* In the deepest container jansson allows, any value is one level too many: everything
 * but spaces and separators matters. */
static const unsigned char separator_class[256] = {[' '] = 1, ['\t'] = 1, ['\n'] = 1,
                                                   ['\r'] = 1, [','] = 1, [':'] = 1};

/* jansson's JSON_PARSER_MAX_DEPTH: the nesting a whole document may reach (each value
 * counts a level, the scalars inside the deepest container included). */
enum { MAX_DEPTH = 2048 };

/* The end of a string, array or object starting at `at` within `depth` levels of
 * nesting, by brackets and strings. A bracket that closes the wrong kind, or nesting
 * beyond jansson's limit, is told as jansson tells it for the whole document (a
 * wrong bracket by jansson itself, from `at` to that byte). 1: found; 0: not closed
 * before the end (or a read failed); -1: malformed, `why` set. */
static int skip_nested(vipa__source *s, uint64_t at, int depth, uint64_t *end, char *why,
                       size_t why_size)
{
    unsigned char open[MAX_DEPTH / 8 + 1] = {0}; /* bit set: an array is open at that level */
    int level = 0, in_string = 0, escaped = 0;
    for (uint64_t pos = at;;) {
        size_t got;
        const char *p = vipa__source_span(s, pos, SCAN_SPAN, &got);
        if (!p || got == 0)
            return 0;
        for (size_t i = 0; i < got; i++) {
            /* Straight over what changes nothing: in a string, all but '"' and '\\';
             * outside, all but quotes and brackets. */
            int deepest = !in_string && level > 0 && depth + level == MAX_DEPTH;
            const unsigned char *class = in_string ? in_string_class : outside_class;
            if (deepest)
                while (i < got && separator_class[(unsigned char)p[i]])
                    i++;
            else
                while (i < got && !class[(unsigned char)p[i]] && !escaped)
                    i++;
            if (i == got)
                break;
            char c = p[i];
            if (deepest && c != '}' && c != ']') /* a value one level too deep */
                return fail_at_byte(s, pos + i + 1, why, why_size,
                                    "maximum parsing depth reached"), -1;
            if (in_string) {
                if (escaped)
                    escaped = 0;
                else if (c == '\\')
                    escaped = 1;
                else if (c == '"' && (in_string = 0, level == 0))
                    return *end = pos + i + 1, 1;
            } else if (c == '"') {
                in_string = 1;
            } else if (c == '{' || c == '[') {
                if (depth + level + 1 > MAX_DEPTH) /* jansson's words, at the same place */
                    return fail_at_byte(s, pos + i + 1, why, why_size,
                                        "maximum parsing depth reached"), -1;
                level++;
                if (c == '[')
                    open[level / 8] |= (unsigned char)(1u << (level % 8));
                else
                    open[level / 8] &= (unsigned char)~(1u << (level % 8));
            } else if (c == '}' || c == ']') {
                int array = (open[level / 8] >> (level % 8)) & 1;
                if (level == 0 || array != (c == ']'))
                    return decode_error(s, at, pos + i + 1, why, why_size);
                if (--level == 0)
                    return *end = pos + i + 1, 1;
            }
        }
        pos += got;
    }
}

int vipa__skip_value(vipa__source *s, uint64_t at, int depth, uint64_t *end, char *why,
                     size_t why_size)
{
    *end = at;
    int c = vipa__source_byte(s, at);
    if (c == '"' || c == '{' || c == '[') {
        int found = skip_nested(s, at, depth, end, why, why_size);
        if (found != 0)
            return found > 0 ? VIPA_OK : VIPA_E_PARSE;
        if (s->failed != VIPA_OK)
            return source_failure(s, why, why_size);
        int line, column; /* where the value opens: the end is where jansson would stop */
        vipa__source_position(s, at + 1, &line, &column);
        return fail_at_byte(s, s->size, why, why_size, "%s not closed before the end of the "
                            "text (it opens at line %d, column %d)",
                            c == '"' ? "a string" : c == '{' ? "an object" : "an array", line,
                            column);
    }
    /* A number or a literal (or a stray character, which jansson then names): up to the
     * next separator. */
    uint64_t pos = at;
    for (int b = c; b >= 0 && !is_space(b) && b != ',' && b != ']' && b != '}' && b != ':';
         b = vipa__source_byte(s, ++pos)) {
    }
    *end = pos > at ? pos : at + 1;
    if (*end > s->size)
        *end = s->size;
    return s->failed != VIPA_OK ? source_failure(s, why, why_size) : VIPA_OK;
}

int vipa__decode(vipa__source *s, uint64_t start, uint64_t end, json_t **value, char *why,
                 size_t why_size)
{
    *value = NULL;
    size_t got;
    const char *p = vipa__source_span(s, start, (size_t)(end - start), &got);
    if (!p)
        return source_failure(s, why, why_size);
    json_error_t error;
    *value = json_loadb(p, (size_t)(end - start), JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                        &error);
    if (*value)
        return VIPA_OK;
    if (json_error_code(&error) == json_error_out_of_memory) {
        snprintf(why, why_size, "scenario: out of memory parsing the JSON");
        return VIPA_E_NOMEM;
    }
    uint64_t at = start + (error.position > 0 ? (uint64_t)error.position : 0);
    return fail_at_byte(s, at, why, why_size, "%s", error.text);
}

/* ---- the layout ------------------------------------------------------------------- */

void vipa__layout_free(vipa__layout *layout, const vipa__allocator *a)
{
    for (size_t i = 0; i < layout->count; i++)
        vipa__free(a, layout->members[i].key);
    vipa__free(a, layout->members);
    *layout = (vipa__layout){NULL, 0, 0, 0};
}

static int add_member(vipa__source *s, vipa__layout *layout, const char *key, uint64_t start,
                      uint64_t end)
{
    void *members = layout->members;
    int rc = vipa__reserve(s->alloc, &members, &layout->capacity, layout->count + 1,
                           sizeof *layout->members);
    layout->members = members;
    size_t len = strlen(key);
    char *copy = rc == VIPA_OK ? vipa__malloc(s->alloc, len + 1) : NULL;
    if (!copy)
        return VIPA_E_NOMEM;
    memcpy(copy, key, len + 1);
    layout->members[layout->count++] = (vipa__member){copy, start, end};
    return VIPA_OK;
}

/* A key string at `at`, decoded by jansson into buf; *end is past its closing quote. */
static int read_key(vipa__source *s, uint64_t at, uint64_t *end, char *buf, size_t size,
                    char *why, size_t why_size)
{
    char shown[8];
    if (vipa__source_byte(s, at) != '"')
        return fail_at_byte(s, at + 1, why, why_size, "string or '}' expected near %s",
                            near(s, at, shown));
    json_t *key;
    int rc = vipa__skip_value(s, at, 1, end, why, why_size);
    if (rc == VIPA_OK)
        rc = vipa__decode(s, at, *end, &key, why, why_size);
    if (rc != VIPA_OK)
        return rc;
    const char *text = json_string_value(key);
    size_t len = text ? json_string_length(key) : 0;
    /* Every key the format knows is short: a longer one is unknown, and kept whole
     * enough for the message that says so. */
    snprintf(buf, size, "%s", text ? text : "");
    if (len >= size && size > 4)
        memcpy(buf + size - 4, "...", 4);
    json_decref(key);
    return VIPA_OK;
}

static int find_member(const vipa__layout *layout, const char *key)
{
    for (size_t i = 0; i < layout->count; i++)
        if (strcmp(layout->members[i].key, key) == 0)
            return 1;
    return 0;
}

enum { KEY_SIZE = 64 };

/* The members of one top-level object starting at `at`; *end is past its '}'. */
static int scan_object(vipa__source *s, uint64_t at, vipa__layout *layout, uint64_t *end,
                       char *why, size_t why_size)
{
    char key[KEY_SIZE], shown[8];
    uint64_t pos = vipa__source_skip_space(s, at + 1);
    if (vipa__source_byte(s, pos) == '}')
        return *end = pos + 1, VIPA_OK;
    for (;;) {
        uint64_t after = pos, value_end = pos;
        int rc = read_key(s, pos, &after, key, sizeof key, why, why_size);
        if (rc != VIPA_OK)
            return rc;
        if (find_member(layout, key))
            return fail_at_byte(s, after, why, why_size, "duplicate object key near '\"%s\"'",
                                key);
        pos = vipa__source_skip_space(s, after);
        if (vipa__source_byte(s, pos) != ':')
            return fail_at_byte(s, pos + 1, why, why_size, "':' expected near %s",
                                near(s, pos, shown));
        pos = vipa__source_skip_space(s, pos + 1);
        if (pos >= s->size)
            return fail_at_byte(s, pos, why, why_size, "unexpected token near end of file");
        if ((rc = vipa__skip_value(s, pos, 1, &value_end, why, why_size)) != VIPA_OK ||
            (rc = add_member(s, layout, key, pos, value_end)) != VIPA_OK)
            return rc;
        pos = vipa__source_skip_space(s, value_end);
        int c = vipa__source_byte(s, pos);
        if (c == '}')
            return *end = pos + 1, VIPA_OK;
        if (c != ',')
            return fail_at_byte(s, pos + 1, why, why_size, "'}' expected near %s",
                                near(s, pos, shown));
        pos = vipa__source_skip_space(s, pos + 1);
    }
}

/* The end of the line starting at `at`: its '\n', or the end of the text. */
uint64_t vipa__source_line_end(vipa__source *s, uint64_t at)
{
    for (uint64_t pos = at;;) {
        size_t got;
        const char *p = vipa__source_span(s, pos, SCAN_SPAN, &got);
        if (!p || got == 0)
            return s->size;
        const char *nl = memchr(p, '\n', got);
        if (nl)
            return pos + (uint64_t)(nl - p);
        pos += got;
    }
}

/* JSON Lines: each non-blank line {"key": value}; consecutive lines of one key make one
 * member. Only the key is read here; the loader decodes each line whole. */
static int scan_lines(vipa__source *s, vipa__layout *layout, char *why, size_t why_size)
{
    char key[KEY_SIZE], shown[8];
    for (uint64_t at = 0; at < s->size;) {
        uint64_t end = vipa__source_line_end(s, at), pos = vipa__source_skip_space(s, at), after = at;
        if (pos >= end) { /* a blank line */
            at = end + 1;
            continue;
        }
        if (vipa__source_byte(s, pos) != '{')
            return fail_at_byte(s, pos + 1, why, why_size, "a line of JSON Lines is an object "
                                "{\"key\": value}, not %s", near(s, pos, shown));
        int rc = read_key(s, vipa__source_skip_space(s, pos + 1), &after, key, sizeof key, why,
                          why_size);
        if (rc != VIPA_OK)
            return rc;
        vipa__member *last = layout->count ? &layout->members[layout->count - 1] : NULL;
        if (last && strcmp(last->key, key) == 0)
            last->end = end;
        else if ((rc = add_member(s, layout, key, at, end)) != VIPA_OK)
            return rc;
        at = end + 1;
    }
    return s->failed != VIPA_OK ? source_failure(s, why, why_size) : VIPA_OK;
}

int vipa__scan(vipa__source *s, vipa__layout *layout, char *why, size_t why_size)
{
    *layout = (vipa__layout){NULL, 0, 0, 0};
    char shown[8];
    uint64_t at = vipa__source_skip_space(s, 0), end = 0;
    if (vipa__source_byte(s, at) != '{') {
        if (s->failed != VIPA_OK)
            return source_failure(s, why, why_size);
        return fail_at_byte(s, at < s->size ? at + 1 : at, why, why_size,
                            "'{' expected near %s", near(s, at, shown));
    }
    int rc = scan_object(s, at, layout, &end, why, why_size);
    if (rc != VIPA_OK)
        return s->failed != VIPA_OK ? source_failure(s, why, why_size) : rc;
    uint64_t rest = vipa__source_skip_space(s, end);
    if (rest >= s->size)
        return s->failed != VIPA_OK ? source_failure(s, why, why_size) : VIPA_OK;
    /* More after the object: JSON Lines if the first line was one member. */
    if (layout->count != 1 || vipa__source_line_end(s, at) != vipa__source_line_end(s, end - 1))
        return fail_at_byte(s, rest + 1, why, why_size, "end of file expected near %s",
                            near(s, rest, shown));
    vipa__layout_free(layout, s->alloc);
    layout->lines = 1;
    return scan_lines(s, layout, why, why_size);
}
