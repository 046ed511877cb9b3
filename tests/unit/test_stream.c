/*
 * The streaming loader (lib/scenario_source.c, lib/scenario_load.c; docs/scenario.md),
 * adversarially: vipa_scenario_load() of a buffer and vipa_scenario_load_file() of the
 * same bytes, a scenario with its keys in another order and the same scenario as JSON
 * Lines must all give the same records, told by vipa_scenario_export() (the same records
 * give the same bytes). Syntax errors are checked against jansson reading the whole
 * document at once (the oracle the streaming loader replaced); loads of more than one
 * chunk of records (4,096) against counts and JSON paths worked out here; and the file
 * errors and odd bytes a file from elsewhere may hold. Every failed load must leave the
 * context exactly as a fresh one (its export compared with a fresh context's).
 *
 * Every expected value is worked out here, from the text the test builds, never copied
 * from what the loader printed.
 */
#define _GNU_SOURCE /* mkstemp, mkdtemp, mkfifo, nanosleep, pthreads */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "vipa.h"

#ifndef VIPA_SOURCE_ROOT
#error "VIPA_SOURCE_ROOT must name the source tree"
#endif

#define SCENARIOS VIPA_SOURCE_ROOT "/tests/scenarios"
#define SAMPLE VIPA_SOURCE_ROOT "/examples/shangluo-sample.json"

/* ---- small helpers ------------------------------------------------------------------ */

/* Under valgrind (scripts/test runs the unit tests so, some 100 times slower) the loops
 * over every byte take every 13th, and each generated province is loaded in two of its
 * four forms: the paths are all still taken, for memory errors and leaks. */
static int thorough(void)
{
    return !RUNNING_ON_VALGRIND;
}

static size_t stride(void)
{
    return thorough() ? 1 : 13;
}

/* A growable text. */
typedef struct text {
    char *data;
    size_t len, cap;
} text;

static void text_addn(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        t->data = realloc(t->data, cap);
        assert_non_null(t->data);
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

static void text_add(text *t, const char *s)
{
    text_addn(t, s, strlen(s));
}

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void text_addf(text *t, const char *format, ...)
{
    char buf[1024];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(buf, sizeof buf, format, args);
    va_end(args);
    assert_true(n >= 0 && (size_t)n < sizeof buf);
    text_addn(t, buf, (size_t)n);
}

static void text_free(text *t)
{
    free(t->data);
    *t = (text){NULL, 0, 0};
}

static text read_path(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    text t = {NULL, 0, 0};
    char buf[65536];
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;)
        text_addn(&t, buf, n);
    fclose(f);
    assert_non_null(t.data);
    return t;
}

/* Writes bytes to a new temporary file; its name into path (unlink it after). */
static void write_temp(char path[64], const char *data, size_t len)
{
    snprintf(path, 64, "/tmp/vipa-stream-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    for (size_t done = 0; done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        assert_true(n > 0);
        done += (size_t)n;
    }
    assert_int_equal(close(fd), 0);
}

static int starts_with(const char *s, const char *prefix)
{
    return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static int contains(const char *s, const char *part)
{
    return s && strstr(s, part) != NULL;
}

/* The export of a fresh context: what a context is after a failed load. */
static char *empty_export;

static char *export_of(vipa_ctx *ctx)
{
    char *json = NULL;
    size_t len = 0;
    assert_int_equal(vipa_scenario_export(&json, &len, ctx, 0), VIPA_OK);
    assert_int_equal(strlen(json), len);
    return json;
}

static void assert_empty(vipa_ctx *ctx)
{
    assert_int_equal(vipa_ctx_area_count(ctx), 0);
    assert_int_equal(vipa_ctx_entity_count(ctx), 0);
    assert_int_equal(vipa_ctx_household_count(ctx), 0);
    assert_int_equal(vipa_ctx_agreement_count(ctx), 0);
    assert_int_equal(vipa_ctx_plan_count(ctx), 0);
    char *json = export_of(ctx);
    assert_string_equal(json, empty_export);
    vipa_free(json);
}

/* What a load into a fresh context gave: its code, message and, on success, export. */
typedef struct outcome {
    int rc;
    char msg[512];
    char *export; /* vipa_free() */
    size_t areas, entities, households;
} outcome;

static void finish(outcome *o, vipa_ctx *ctx, int rc, const char *err)
{
    o->rc = rc;
    o->export = NULL;
    o->msg[0] = '\0';
    o->areas = vipa_ctx_area_count(ctx);
    o->entities = vipa_ctx_entity_count(ctx);
    o->households = vipa_ctx_household_count(ctx);
    if (rc == VIPA_OK) {
        assert_null(err);
        o->export = export_of(ctx);
    } else {
        assert_non_null(err);
        assert_string_equal(err, vipa_ctx_errmsg(ctx));
        snprintf(o->msg, sizeof o->msg, "%s", err);
        assert_empty(ctx); /* all or nothing */
    }
    vipa_ctx_free(ctx);
}

static outcome load_buffer(const char *data, size_t len)
{
    vipa_ctx *ctx;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    const char *err = NULL;
    int rc = vipa_scenario_load(ctx, data, len, &err);
    outcome o;
    finish(&o, ctx, rc, err);
    return o;
}

static outcome load_path(const char *path)
{
    vipa_ctx *ctx;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    const char *err = NULL;
    int rc = vipa_scenario_load_file(ctx, path, &err);
    outcome o;
    finish(&o, ctx, rc, err);
    return o;
}

/* The same bytes through a temporary file. */
static outcome load_as_file(const char *data, size_t len)
{
    char path[64];
    write_temp(path, data, len);
    outcome o = load_path(path);
    unlink(path);
    return o;
}

static void outcome_free(outcome *o)
{
    vipa_free(o->export);
    o->export = NULL;
}

/* Two outcomes alike: the same code and message, or the same records. */
static void assert_alike(const outcome *a, const outcome *b, const char *what)
{
    if (a->rc != b->rc || strcmp(a->msg, b->msg) != 0)
        print_error("%s: %d \"%s\" vs %d \"%s\"\n", what, a->rc, a->msg, b->rc, b->msg);
    assert_int_equal(a->rc, b->rc);
    assert_string_equal(a->msg, b->msg);
    if (a->rc == VIPA_OK)
        assert_string_equal(a->export, b->export);
}

/* Loads text both ways: the buffer's code and message (copied into msg); 1 when the file
 * gave the same. Nothing is left to free, so that a failed assertion after it leaks
 * nothing either. */
static int both_ways(const char *data, size_t len, int *rc, char msg[512])
{
    outcome b = load_buffer(data, len), f = load_as_file(data, len);
    int same = b.rc == f.rc && strcmp(b.msg, f.msg) == 0 &&
               (b.rc != VIPA_OK || strcmp(b.export, f.export) == 0);
    if (!same)
        print_error("buffer %d \"%s\" vs file %d \"%s\"\n", b.rc, b.msg, f.rc, f.msg);
    *rc = b.rc;
    snprintf(msg, 512, "%s", b.msg);
    outcome_free(&b);
    outcome_free(&f);
    return same;
}

/* Loads text both ways, expecting the failure `code` with the same message both ways;
 * the message is copied into msg. */
static void expect_failure_both(const char *data, size_t len, int code, char msg[512])
{
    int rc;
    int same = both_ways(data, len, &rc, msg);
    if (rc != code)
        print_error("expected %s, got %s: %s\n", vipa_error_name(code), vipa_error_name(rc),
                    msg);
    assert_int_equal(rc, code);
    assert_true(same);
}

/* "line L, column C" as jansson reports the first syntax error of the whole text. */
static int jansson_position(const char *data, size_t len, char out[64], json_error_t *e)
{
    json_t *v = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, e);
    if (v) {
        json_decref(v);
        return 0;
    }
    snprintf(out, 64, "line %d, column %d", e->line, e->column);
    return 1;
}

/* ---- the scenarios of tests/scenarios/ ---------------------------------------------- */

static char *names[256];
static size_t name_count;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_bad(const char *name)
{
    return strncmp(name, "bad_", 4) == 0;
}

static int group_setup(void **state)
{
    (void)state;
    vipa_ctx *ctx;
    if (vipa_ctx_new(&ctx, NULL) != VIPA_OK)
        return -1;
    char *json = NULL;
    int rc = vipa_scenario_export(&json, NULL, ctx, 0);
    vipa_ctx_free(ctx);
    if (rc != VIPA_OK)
        return -1;
    empty_export = json;
    DIR *d = opendir(SCENARIOS);
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0 && name_count < 256)
            names[name_count++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, name_count, sizeof *names, by_name);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < name_count; i++)
        free(names[i]);
    vipa_free(empty_export);
    return 0;
}

static text read_scenario(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", SCENARIOS, name);
    return read_path(path);
}

/* Every scenario that loads (the good ones and the sample), one at a time: fn(name, text). */
static size_t each_good(void (*fn)(const char *name, const text *t))
{
    size_t n = 0;
    for (size_t i = 0; i < name_count; i++) {
        if (is_bad(names[i]))
            continue;
        text t = read_scenario(names[i]);
        fn(names[i], &t);
        text_free(&t);
        n++;
    }
    text t = read_path(SAMPLE);
    fn("shangluo-sample.json", &t);
    text_free(&t);
    return n + 1;
}

/* The record kinds of docs/scenario.md ("Top level"), each an array of records. */
static const char *const record_keys[] = {
    "areas", "entities", "injections", "households", "agreements", "plans", "linkages",
    "contributions", "transfers", "dividends", "payments", "incomes", "evaluations",
};

static int is_record_key(const char *key)
{
    for (size_t i = 0; i < sizeof record_keys / sizeof *record_keys; i++)
        if (strcmp(key, record_keys[i]) == 0)
            return 1;
    return 0;
}

/* Kinds whose records' order matters (docs/scenario.md: evaluations, a re-check after the
 * plain one; share transfers, each checked against those before it). */
static int order_matters(const char *key)
{
    return strcmp(key, "evaluations") == 0 || strcmp(key, "transfers") == 0;
}

static json_t *parse(const text *t)
{
    json_error_t e;
    json_t *root = json_loadb(t->data, t->len, JSON_REJECT_DUPLICATES, &e);
    if (!root)
        print_error("jansson: line %d, column %d: %s\n", e.line, e.column, e.text);
    assert_non_null(root);
    assert_true(json_is_object(root));
    return root;
}

/* The scenario with its top-level keys in the reverse of the text's order. */
static text reversed_keys(const text *t)
{
    json_t *root = parse(t), *rev = json_object();
    const char *keys[64];
    size_t n = 0;
    for (void *it = json_object_iter(root); it; it = json_object_iter_next(root, it)) {
        assert_true(n < 64);
        keys[n++] = json_object_iter_key(it);
    }
    for (size_t i = n; i-- > 0;)
        json_object_set(rev, keys[i], json_object_get(root, keys[i]));
    /* jansson keeps the text's order (keys[0] is the text's first key), and insertion
     * order: the first key of the text is now the last. */
    const char *first = strchr(t->data, '"');
    assert_non_null(first);
    assert_int_equal(strncmp(first + 1, keys[0], strlen(keys[0])), 0);
    assert_int_equal(first[1 + strlen(keys[0])], '"');
    void *last = NULL;
    for (void *it = json_object_iter(rev); it; it = json_object_iter_next(rev, it))
        last = it;
    assert_string_equal(json_object_iter_key(last), keys[0]);
    char *s = json_dumps(rev, JSON_PRESERVE_ORDER | JSON_INDENT(1));
    assert_non_null(s);
    text out = {NULL, 0, 0};
    text_add(&out, s);
    free(s);
    json_decref(rev);
    json_decref(root);
    return out;
}

/* One line of JSON Lines: its key and its text (a compact {"key": value}). */
typedef struct jline {
    const char *key;
    char *line;
} jline;

static char *one_line(const char *key, json_t *value)
{
    json_t *o = json_object();
    json_object_set(o, key, value);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
    assert_non_null(s);
    assert_null(strchr(s, '\n'));
    json_decref(o);
    return s;
}

enum line_order { REVERSED, INTERLEAVED };

/* The scenario as JSON Lines: one line per record, {"<kind>": record}, one line for each
 * other key (vipa, profile, as_of, and the keys of test scenarios), in the order asked:
 * REVERSED, every line in the reverse of the text's order, except that the records of a
 * kind whose order matters keep theirs among the places their kind takes; INTERLEAVED,
 * one line of each key in turn, the last key first, so that no two lines of a kind
 * stand together while another kind has lines left. `eol` ends each line. */
static text json_lines(const text *t, enum line_order order, const char *eol)
{
    json_t *root = parse(t);
    size_t cap = 64, n = 0, group_count = 0;
    jline *lines = malloc(cap * sizeof *lines);
    size_t group_start[64], group_len[64];
    for (void *it = json_object_iter(root); it; it = json_object_iter_next(root, it)) {
        const char *key = json_object_iter_key(it);
        json_t *value = json_object_iter_value(it);
        assert_true(group_count < 64);
        group_start[group_count] = n;
        size_t count = !is_record_key(key) ? 1
                       : json_is_array(value) ? json_array_size(value)
                       : !json_is_null(value); /* null: none */
        for (size_t i = 0; i < count; i++) {
            if (n == cap)
                lines = realloc(lines, (cap *= 2) * sizeof *lines);
            json_t *v = is_record_key(key) && json_is_array(value) ? json_array_get(value, i)
                                                                 : value;
            lines[n++] = (jline){key, one_line(key, v)};
        }
        group_len[group_count++] = count;
    }
    jline *ordered = malloc(n * sizeof *ordered);
    if (order == REVERSED) {
        for (size_t i = 0; i < n; i++)
            ordered[i] = lines[n - 1 - i];
        for (size_t g = 0; g < group_count; g++) {
            if (!order_matters(lines[group_start[g]].key))
                continue;
            size_t next = group_start[g]; /* the kind's records in their order, in its places */
            for (size_t i = 0; i < n; i++)
                if (ordered[i].key == lines[group_start[g]].key)
                    ordered[i] = lines[next++];
        }
    } else {
        size_t taken[64] = {0}, k = 0;
        while (k < n)
            for (size_t g = group_count; g-- > 0;)
                if (taken[g] < group_len[g])
                    ordered[k++] = lines[group_start[g] + taken[g]++];
    }
    text out = {NULL, 0, 0};
    for (size_t i = 0; i < n; i++) {
        text_add(&out, ordered[i].line);
        text_add(&out, eol);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i].line);
    free(lines);
    free(ordered);
    json_decref(root);
    return out;
}

/* ---- 1. equivalence ----------------------------------------------------------------- */

static void buffer_and_file_one(const char *name, const text *t)
{
    outcome b = load_buffer(t->data, t->len), f = load_as_file(t->data, t->len);
    if (b.rc != VIPA_OK)
        print_error("%s: %s\n", name, b.msg);
    assert_int_equal(b.rc, VIPA_OK);
    assert_alike(&b, &f, name);
    outcome_free(&b);
    outcome_free(&f);
}

static void buffer_and_file_give_the_same_records(void **state)
{
    (void)state;
    size_t n = each_good(buffer_and_file_one);
    assert_true(n >= 30);
}

static void reversed_one(const char *name, const text *t)
{
    text rev = reversed_keys(t);
    outcome a = load_buffer(t->data, t->len), b = load_buffer(rev.data, rev.len),
            c = load_as_file(rev.data, rev.len);
    assert_int_equal(a.rc, VIPA_OK);
    assert_alike(&a, &b, name);
    assert_alike(&a, &c, name);
    outcome_free(&a);
    outcome_free(&b);
    outcome_free(&c);
    text_free(&rev);
}

static void keys_in_reverse_order_give_the_same_records(void **state)
{
    (void)state;
    each_good(reversed_one);
}

static void json_lines_one(const char *name, const text *t)
{
    outcome a = load_buffer(t->data, t->len);
    assert_int_equal(a.rc, VIPA_OK);
    const enum line_order orders[] = {REVERSED, INTERLEAVED};
    for (size_t i = 0; i < 2; i++) {
        text lines = json_lines(t, orders[i], "\n");
        outcome b = load_buffer(lines.data, lines.len), c = load_as_file(lines.data, lines.len);
        char what[256];
        snprintf(what, sizeof what, "%s as JSON Lines (%s)", name,
                 i == 0 ? "reversed" : "interleaved");
        assert_alike(&a, &b, what);
        assert_alike(&a, &c, what);
        outcome_free(&b);
        outcome_free(&c);
        text_free(&lines);
    }
    outcome_free(&a);
}

static void json_lines_give_the_same_records(void **state)
{
    (void)state;
    each_good(json_lines_one);
}

static void bad_scenarios_fail_alike_from_buffer_and_file(void **state)
{
    (void)state;
    size_t bad = 0, refused = 0;
    for (size_t i = 0; i < name_count; i++) {
        if (!is_bad(names[i]))
            continue;
        text t = read_scenario(names[i]);
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", SCENARIOS, names[i]);
        outcome b = load_buffer(t.data, t.len), f = load_path(path);
        assert_alike(&b, &f, names[i]);
        /* Some fail only at the run (bad_no_poverty_line: no line for a year); the rest
         * are refused by the load. */
        if (b.rc != VIPA_OK)
            refused++;
        else
            print_message("%s loads (it fails at the run)\n", names[i]);
        bad++;
        outcome_free(&b);
        outcome_free(&f);
        text_free(&t);
    }
    print_message("%zu bad scenarios, %zu refused by the load alike from buffer and file\n",
                  bad, refused);
    assert_true(bad >= 15 && refused >= bad - 2);
}

/* ---- 2. syntax errors against jansson on the whole document ---------------------------- */

#define ORACLE_FILE SCENARIOS "/obligations_paid.json"

/* Loads the bytes into ctx, which must be empty before and after a failure. */
static int load_into(vipa_ctx *ctx, const char *data, size_t len, const char **err)
{
    *err = NULL;
    return vipa_scenario_load(ctx, data, len, err);
}

/* "line L, column C" of a message, or 0. */
static int message_position(const char *msg, int *line, int *column)
{
    return sscanf(msg, "line %d, column %d:", line, column) == 2;
}

/* Cuts obligations_paid.json after every byte: each proper prefix but the one that ends at
 * the object's '}' is malformed. The loader
 * must refuse each as a syntax error, at the line and column where jansson, reading the
 * whole prefix, stops; and leave the context empty. One class differs, reported and
 * counted apart: a cut inside a multi-byte UTF-8 character, where jansson stops at
 * the character it cannot decode ("unable to decode byte 0xe5", not counting it) and
 * the loader, which only skips strings, tells a value not closed at the end of the text,
 * one column further (the partial character counted). */
static void every_truncation_fails_where_jansson_does(void **state)
{
    (void)state;
    text t = read_scenario("obligations_paid.json");
    vipa_ctx *ctx;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    size_t failing = 0, same_position = 0, split_character = 0, other = 0, whole = 0;
    for (size_t n = 0; n < t.len; n += stride()) {
        char at[64];
        json_error_t e;
        const char *err;
        int rc = load_into(ctx, t.data, n, &err);
        if (!jansson_position(t.data, n, at, &e)) { /* the object without the last '\n' */
            assert_int_equal(rc, VIPA_OK);
            whole++;
            vipa_ctx_free(ctx);
            assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
            continue;
        }
        failing++;
        if (rc != VIPA_E_PARSE)
            print_error("cut at %zu: %s, %s (jansson: %s: %s)\n", n, vipa_error_name(rc),
                        err ? err : "", at, e.text);
        assert_int_equal(rc, VIPA_E_PARSE);
        size_t k = strlen(at);
        int line = 0, column = 0;
        int split = n > 0 && ((unsigned char)t.data[n] & 0xC0) == 0x80;
        if (starts_with(err, at) && err[k] == ':') {
            same_position++;
        } else if (split && message_position(err, &line, &column) && line == e.line &&
                   column == e.column + 1) {
            if (split_character++ < 2)
                print_message("cut at %zu inside a character: loader \"%s\", jansson "
                              "\"%s: %s\"\n", n, err, at, e.text);
        } else {
            other++;
            print_error("cut at %zu (...%.12s|): loader \"%s\", jansson \"%s: %s\"\n", n,
                        n > 12 ? t.data + n - 12 : t.data, err, at, e.text);
        }
        if (n % 97 == 0)
            assert_empty(ctx);
        else
            assert_int_equal(vipa_ctx_area_count(ctx), 0);
    }
    assert_empty(ctx);
    print_message("%zu truncations refused: %zu at jansson's line and column, %zu inside a "
                  "UTF-8 character one column further, %zu otherwise\n", failing,
                  same_position, split_character, other);
    if (thorough()) {
        assert_int_equal(whole, 1); /* the file ends "}\n" */
        assert_int_equal(failing, t.len - 1);
    }
    assert_int_equal(other, 0);
    assert_int_equal(same_position + split_character, failing);
    vipa_ctx_free(ctx);
    text_free(&t);
}

/* obligations_paid.json without its "expect" (half the file, and none of the records):
 * cut before the key, the object closed on its own line. */
static text oracle_records(void)
{
    text t = read_scenario("obligations_paid.json");
    char *cut = strstr(t.data, ",\n  \"expect\"");
    assert_non_null(cut);
    t.len = (size_t)(cut - t.data);
    text_add(&t, "\n}\n");
    char at[64];
    json_error_t e;
    assert_false(jansson_position(t.data, t.len, at, &e)); /* still JSON */
    return t;
}

/* Replaces the byte at every position of oracle_records() with each of `}` `]` `,` `"`
 * `x` NUL. Where jansson refuses the whole text, the loader must refuse it as a syntax
 * error and leave the context empty; where jansson reads it, the loader may accept or
 * refuse it (counted, and it must not crash). */
static void every_replaced_byte_fails_where_jansson_does(void **state)
{
    (void)state;
    text t = oracle_records();
    static const char bytes[] = {'}', ']', ',', '"', 'x', '\0'};
    vipa_ctx *ctx;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    size_t refused = 0, same_position = 0, valid = 0, valid_ok = 0;
    for (size_t b = 0; b < sizeof bytes; b++) {
        for (size_t i = b % stride(); i < t.len; i += stride()) {
            char saved = t.data[i];
            if (saved == bytes[b])
                continue;
            t.data[i] = bytes[b];
            char at[64];
            json_error_t e;
            const char *err;
            int jansson_refuses = jansson_position(t.data, t.len, at, &e);
            int rc = load_into(ctx, t.data, t.len, &err);
            if (!jansson_refuses) {
                valid++;
                if (rc == VIPA_OK) { /* a name or a word changed, say: a new context */
                    valid_ok++;
                    vipa_ctx_free(ctx);
                    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
                } else {
                    assert_int_equal(vipa_ctx_area_count(ctx), 0);
                }
                t.data[i] = saved;
                continue;
            }
            refused++;
            if (rc != VIPA_E_PARSE)
                print_error("byte %zu '%c' -> 0x%02x: %s \"%s\" (jansson: %s: %s)\n", i, saved,
                            (unsigned)(unsigned char)bytes[b], vipa_error_name(rc),
                            err ? err : "", at, e.text);
            assert_int_equal(rc, VIPA_E_PARSE);
            size_t k = strlen(at);
            same_position += starts_with(err, at) && err[k] == ':';
            if (i % 101 == 0)
                assert_empty(ctx);
            else
                assert_int_equal(vipa_ctx_area_count(ctx), 0);
            t.data[i] = saved;
        }
    }
    assert_empty(ctx);
    /* Not asserted: where the first error lies differs by design (the scan checks only
     * brackets and strings before the records are decoded one at a time). */
    print_message("%zu replacements jansson refuses, all VIPA_E_PARSE (%zu at jansson's line "
                  "and column); %zu jansson reads, %zu of them load\n",
                  refused, same_position, valid, valid_ok);
    assert_true(refused > 5000 / stride() && valid > 1000 / stride() && valid_ok > 100 / stride());
    vipa_ctx_free(ctx);
    text_free(&t);
}

/* The first error in reading order is the one reported (docs/scenario.md, "Errors"): a
 * value the loader refuses (as_of, read before any record) comes before a syntax error
 * inside a later kind's records, which only that kind's reading finds; brackets and
 * strings that do not close are found by the scan, before anything is read. */
static void the_first_error_in_reading_order_is_reported(void **state)
{
    (void)state;
    /* as_of 2017-02-30 is no day; the entities end with a trailing comma (line 6). */
    static const char doc[] =
        "{\"vipa\": 1,\n"
        "\"as_of\": \"2017-02-30\",\n"
        "\"areas\": [{\"code\": \"611002000000\", \"name\": \"商州区\", \"level\": \"county\"}],\n"
        "\"entities\": [\n"
        "  {\"id\": 1, \"name\": \"e\", \"kind\": \"park\", \"core_village\": \"611002001204\", \"industry\": \"walnut\"},\n"
        "]}\n";
    char msg[512];
    expect_failure_both(doc, sizeof doc - 1, VIPA_E_RANGE, msg);
    assert_true(starts_with(msg, "as_of: "));
    /* With a real day, the syntax error is reported, where jansson reports it. */
    char fixed[sizeof doc];
    memcpy(fixed, doc, sizeof doc);
    memcpy(strstr(fixed, "2017-02-30"), "2017-02-28", 10);
    expect_failure_both(fixed, sizeof fixed - 1, VIPA_E_PARSE, msg);
    assert_true(starts_with(msg, "line 6, column 1: "));
}

/* ---- 3. more than one chunk of records ------------------------------------------------ */

enum { HOUSEHOLDS = 10000 };

static const char *const causes[] = {
    "illness", "disability", "schooling", "disaster", "lack_of_land", "lack_of_water",
    "lack_of_skills", "lack_of_labour", "lack_of_capital", "poor_transport", "lack_of_drive",
};

/* Household i, unless `change` gives it another text (the record's object). */
typedef struct change {
    long index;
    const char *record;
} change;

static void household(text *t, long i, const change *c)
{
    if (c && c->index == i) {
        text_add(t, c->record);
        return;
    }
    int members = 1 + (int)(i % 5);
    text_addf(t, "{\"id\": %ld, \"village\": \"611002001204\", \"members\": %d, \"labour\": %d, "
              "\"cause\": \"%s\", \"willing\": %s", 100000 + i, members, (int)(i % 2),
              causes[i % 11], i % 3 ? "true" : "false");
    if (i % 1000 == 7)
        text_add(t, ", \"assured\": {\"2017\": [\"food_clothing\", \"water\"]}");
    text_add(t, "}");
}

static const char *const areas[] = {
    "{\"code\": \"611002000000\", \"name\": \"商州区\", \"level\": \"county\"}",
    "{\"code\": \"611002001000\", \"name\": \"城关街道\", \"level\": \"town\"}",
    "{\"code\": \"611002001204\", \"name\": \"杏树园村\", \"level\": \"village\"}",
};
static const char entity[] = "{\"id\": 1, \"name\": \"合作社\", \"kind\": \"cooperative\", "
                             "\"core_village\": \"611002001204\", \"industry\": \"walnut\"}";

/* The scenario object: one household a line. */
static text generated(const change *c)
{
    text t = {NULL, 0, 0};
    text_addf(&t, "{\"vipa\": 1,\n\"areas\": [%s,\n%s,\n%s],\n\"entities\": [%s],\n"
              "\"households\": [\n", areas[0], areas[1], areas[2], entity);
    for (long i = 0; i < HOUSEHOLDS; i++) {
        household(&t, i, c);
        text_add(&t, i + 1 < HOUSEHOLDS ? ",\n" : "\n");
    }
    text_add(&t, "]}\n");
    return t;
}

/* The same as JSON Lines, the households first: household i on line i + 1, then the
 * version on line HOUSEHOLDS + 1, the areas on the three after it, the entity last. */
static text generated_lines(const change *c)
{
    text t = {NULL, 0, 0};
    for (long i = 0; i < HOUSEHOLDS; i++) {
        text_add(&t, "{\"households\": ");
        household(&t, i, c);
        text_add(&t, "}\n");
    }
    text_add(&t, "{\"vipa\": 1}\n");
    for (size_t i = 0; i < 3; i++)
        text_addf(&t, "{\"areas\": %s}\n", areas[i]);
    text_addf(&t, "{\"entities\": %s}\n", entity);
    return t;
}

static void households_beyond_one_chunk_all_load(void **state)
{
    (void)state;
    text obj = generated(NULL), lines = generated_lines(NULL);
    /* A file larger than the file reader's first window (1 MiB): read in more than one. */
    assert_true(obj.len > ((size_t)1 << 20) && lines.len > ((size_t)1 << 20));
    outcome a = load_buffer(obj.data, obj.len), d = load_as_file(lines.data, lines.len);
    assert_int_equal(a.rc, VIPA_OK);
    assert_int_equal(a.households, HOUSEHOLDS);
    assert_int_equal(a.areas, 3);
    assert_int_equal(a.entities, 1);
    assert_alike(&a, &d, "object vs JSON Lines file");
    if (thorough()) {
        outcome b = load_as_file(obj.data, obj.len), c = load_buffer(lines.data, lines.len);
        assert_alike(&a, &b, "object: buffer vs file");
        assert_alike(&a, &c, "object vs JSON Lines");
        outcome_free(&b);
        outcome_free(&c);
    }
    /* Every household is in the export, the last one and its guarantees too: the export's
     * "households" counted by jansson. */
    json_t *root = json_loads(a.export, 0, NULL);
    assert_non_null(root);
    json_t *hh = json_object_get(root, "households");
    assert_int_equal(json_array_size(hh), HOUSEHOLDS);
    size_t with_assured = 0;
    for (size_t i = 0; i < json_array_size(hh); i++)
        with_assured += json_object_get(json_array_get(hh, i), "assured") != NULL;
    assert_int_equal(with_assured, HOUSEHOLDS / 1000); /* i % 1000 == 7: 7, 1007, ..., 9007 */
    json_decref(root);
    outcome_free(&a);
    outcome_free(&d);
    text_free(&obj);
    text_free(&lines);
}

/* A failure from the changed household, in both forms, buffer and file: the code, the
 * JSON path households[index] and in JSON Lines "line <index + 1>: " first. */
static void expect_message(const outcome *o, int code, const char *begin, const char *also)
{
    if (o->rc != code || !starts_with(o->msg, begin) || !contains(o->msg, also))
        print_error("%s \"%s\"; expected %s, %s ... %s\n", vipa_error_name(o->rc), o->msg,
                    vipa_error_name(code), begin, also);
    assert_int_equal(o->rc, code);
    assert_true(starts_with(o->msg, begin));
    assert_true(contains(o->msg, also));
}

/* A failure from the changed household, in both forms (the object from a buffer, JSON
 * Lines from a file; `each_way` and thorough: each from both): the code, the JSON path
 * households[index] and in JSON Lines "line <index + 1>: " first. */
static void expect_household_failure(const change *c, int code, const char *also, int each_way)
{
    char path[64], line[128];
    snprintf(path, sizeof path, "households[%ld]", c->index);
    snprintf(line, sizeof line, "line %ld: %s", c->index + 1, path);
    text obj = generated(c), lines = generated_lines(c);
    outcome a = load_buffer(obj.data, obj.len), d = load_as_file(lines.data, lines.len);
    expect_message(&a, code, path, also);
    expect_message(&d, code, line, also);
    if (each_way && thorough()) {
        outcome b = load_as_file(obj.data, obj.len), e = load_buffer(lines.data, lines.len);
        assert_alike(&a, &b, "object: buffer vs file");
        assert_alike(&d, &e, "JSON Lines: file vs buffer");
        outcome_free(&b);
        outcome_free(&e);
    }
    outcome_free(&a);
    outcome_free(&d);
    text_free(&obj);
    text_free(&lines);
}

static void a_duplicate_past_the_first_chunk_is_named(void **state)
{
    (void)state;
    /* Element 4100 takes the id of element 5 (100005), added with the first chunk. */
    const change dup = {4100, "{\"id\": 100005, \"village\": \"611002001204\", \"members\": 1, "
                              "\"labour\": 0, \"cause\": \"illness\", \"willing\": true}"};
    expect_household_failure(&dup, VIPA_E_EXISTS, "100005", 1);
    /* Element 4096, the second chunk's first, takes the id of 4095, the first's last. */
    const change edge = {4096, "{\"id\": 104095, \"village\": \"611002001204\", \"members\": 1, "
                               "\"labour\": 0, \"cause\": \"illness\", \"willing\": true}"};
    expect_household_failure(&edge, VIPA_E_EXISTS, "104095", 0);
    if (!thorough())
        return;
    /* Element 8200 takes the id of 8199, in the same (third) chunk. */
    const change same = {8200, "{\"id\": 108199, \"village\": \"611002001204\", \"members\": 1, "
                               "\"labour\": 0, \"cause\": \"illness\", \"willing\": true}"};
    expect_household_failure(&same, VIPA_E_EXISTS, "108199", 0);
}

static void a_bad_field_in_the_last_chunk_is_named(void **state)
{
    (void)state;
    /* A word the loader refuses while reading the record. */
    const change word = {9999, "{\"id\": 109999, \"village\": \"611002001204\", \"members\": 1, "
                               "\"labour\": 0, \"cause\": \"gout\", \"willing\": true}"};
    expect_household_failure(&word, VIPA_E_PARSE, "households[9999].cause", 1);
    /* A rule the add refuses (labour above members), named back to its element. */
    const change labour = {9999, "{\"id\": 109999, \"village\": \"611002001204\", \"members\": 2, "
                                 "\"labour\": 3, \"cause\": \"illness\", \"willing\": true}"};
    expect_household_failure(&labour, VIPA_E_INVALID, "labour", 0);
    /* A guarantee read in the second pass over the households, in the third chunk. */
    const change assured = {9999, "{\"id\": 109999, \"village\": \"611002001204\", "
                                  "\"members\": 1, \"labour\": 0, \"cause\": \"illness\", "
                                  "\"willing\": true, \"assured\": {\"2017\": [\"wifi\"]}}"};
    expect_household_failure(&assured, VIPA_E_PARSE, "households[9999].assured.2017", 0);
    if (!thorough())
        return;
    /* The last record of the first chunk and the first of the second. */
    const change last = {4095, "{\"id\": 104095, \"village\": \"611002001204\", \"members\": 1, "
                               "\"labour\": 0, \"cause\": \"gout\", \"willing\": true}"};
    expect_household_failure(&last, VIPA_E_PARSE, "households[4095].cause", 0);
    const change first = {4096, "{\"id\": 104096, \"village\": \"611002001204\", \"members\": 1, "
                                "\"labour\": 0, \"cause\": \"gout\", \"willing\": true}"};
    expect_household_failure(&first, VIPA_E_PARSE, "households[4096].cause", 0);
}

/* ---- 4. file errors ------------------------------------------------------------------- */

static void a_missing_path_or_a_directory_is_an_io_error(void **state)
{
    (void)state;
    outcome o = load_path("/tmp/vipa-stream-no-such-dir/none.json");
    assert_int_equal(o.rc, VIPA_E_IO);
    assert_true(contains(o.msg, "/tmp/vipa-stream-no-such-dir/none.json"));
    o = load_path(SCENARIOS);
    assert_int_equal(o.rc, VIPA_E_IO);
    assert_true(contains(o.msg, "not a regular file"));
}

/* Opens the FIFO for writing once a reader is blocked in open() on it (the writer end
 * then succeeds), unless the load returned first: a load that blocks is let go. */
typedef struct fifo_watch {
    const char *path;
    atomic_int done;      /* the load returned */
    atomic_int unblocked; /* a reader was waiting and the writer let it go */
} fifo_watch;

static void *watch_fifo(void *arg)
{
    fifo_watch *w = arg;
    struct timespec tick = {0, 10 * 1000 * 1000};
    for (int i = 0; i < 300 && !w->done; i++) { /* 3 s */
        nanosleep(&tick, NULL);
        if (i < 100) /* give a correct load a whole second to return */
            continue;
        int fd = open(w->path, O_WRONLY | O_NONBLOCK); /* ENXIO while no reader */
        if (fd >= 0) {
            w->unblocked = 1;
            close(fd);
            break;
        }
    }
    return NULL;
}

static void a_fifo_is_an_io_error_without_blocking(void **state)
{
    (void)state;
    char dir[] = "/tmp/vipa-stream-fifo-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);

    /* With a writer open, fopen() does not wait: the check of the file's kind refuses it. */
    int writer = open(path, O_RDWR | O_NONBLOCK);
    assert_true(writer >= 0);
    outcome o = load_path(path);
    assert_int_equal(o.rc, VIPA_E_IO);
    assert_true(contains(o.msg, "not a regular file"));
    close(writer);

    /* Without one, opening for reading waits for a writer: the load must not. */
    fifo_watch w = {path, 0, 0};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, watch_fifo, &w), 0);
    alarm(60); /* should everything else fail, fail rather than hang */
    o = load_path(path);
    w.done = 1;
    pthread_join(thread, NULL);
    alarm(0);
    unlink(path);
    rmdir(dir);
    if (w.unblocked)
        print_error("vipa_scenario_load_file() of a FIFO with no writer blocked in open() "
                    "until a writer came (let go after 1 s): %s\n", o.msg);
    /* At a85d168 the file was opened with fopen(), which waits here for a writer
     * (fixed by b327b0e: opened with O_NONBLOCK, then refused by its kind). */
    assert_false(w.unblocked);
    assert_int_equal(o.rc, VIPA_E_IO);
    assert_true(contains(o.msg, "not a regular file"));
}

static void null_arguments_are_invalid(void **state)
{
    (void)state;
    vipa_ctx *ctx;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    const char *err = NULL;
    assert_int_equal(vipa_scenario_load_file(ctx, NULL, &err), VIPA_E_INVALID);
    assert_non_null(err);
    assert_true(contains(err, "NULL"));
    assert_empty(ctx);
    assert_int_equal(vipa_scenario_load_file(ctx, NULL, NULL), VIPA_E_INVALID);
    err = NULL;
    assert_int_equal(vipa_scenario_load_file(NULL, ORACLE_FILE, &err), VIPA_E_INVALID);
    assert_non_null(err);
    assert_int_equal(vipa_scenario_load_file(NULL, NULL, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_scenario_load(NULL, "{}", 2, NULL), VIPA_E_INVALID);
    vipa_ctx_free(ctx);
}

static void an_empty_file_is_a_syntax_error_at_its_start(void **state)
{
    (void)state;
    char msg[512];
    expect_failure_both("", 0, VIPA_E_PARSE, msg);
    assert_true(starts_with(msg, "line 1, column 0: "));
    /* Only white space: the end is on line 3, after one character of it. */
    expect_failure_both(" \n\t\n ", 5, VIPA_E_PARSE, msg);
    assert_true(starts_with(msg, "line 3, column 1: "));
}

/* ---- 5. odd bytes ---------------------------------------------------------------------- */

/* A small scenario: the areas of one village, an entity and two households. */
static const char small[] =
    "{\"vipa\": 1,\n"
    "\"profile\": {\"base\": \"shangluo-2016\"},\n"
    "\"as_of\": \"2019-02-28\",\n"
    "\"areas\": [{\"code\": \"611002001204\", \"name\": \"杏树园村\", \"level\": \"village\"},\n"
    "  {\"code\": \"611002001000\", \"name\": \"城关街道\", \"level\": \"town\"},\n"
    "  {\"code\": \"611002000000\", \"name\": \"商州区\", \"level\": \"county\"}],\n"
    "\"entities\": [{\"id\": 1, \"name\": \"合作社\", \"kind\": \"cooperative\", "
    "\"core_village\": \"611002001204\", \"industry\": \"walnut\"}],\n"
    "\"households\": [{\"id\": 1001, \"village\": \"611002001204\", \"members\": 2, "
    "\"labour\": 1, \"cause\": \"illness\", \"willing\": true},\n"
    "  {\"id\": 1002, \"village\": \"611002001204\", \"members\": 3, \"labour\": 0, "
    "\"cause\": \"disability\", \"willing\": false}]}\n";

/* The same as JSON Lines, the lines below joined by `eol`, each with `pad` after it. */
static const char *const small_lines[] = {
    "{\"households\": {\"id\": 1002, \"village\": \"611002001204\", \"members\": 3, "
    "\"labour\": 0, \"cause\": \"disability\", \"willing\": false}}",
    "{\"areas\": {\"code\": \"611002000000\", \"name\": \"商州区\", \"level\": \"county\"}}",
    "{\"vipa\": 1}",
    "{\"households\": {\"id\": 1001, \"village\": \"611002001204\", \"members\": 2, "
    "\"labour\": 1, \"cause\": \"illness\", \"willing\": true}}",
    "{\"as_of\": \"2019-02-28\"}",
    "{\"areas\": {\"code\": \"611002001204\", \"name\": \"杏树园村\", \"level\": \"village\"}}",
    "{\"entities\": {\"id\": 1, \"name\": \"合作社\", \"kind\": \"cooperative\", "
    "\"core_village\": \"611002001204\", \"industry\": \"walnut\"}}",
    "{\"profile\": {\"base\": \"shangluo-2016\"}}",
    "{\"areas\": {\"code\": \"611002001000\", \"name\": \"城关街道\", \"level\": \"town\"}}",
};
enum { SMALL_LINES = sizeof small_lines / sizeof *small_lines };

static text lines_of(const char *const *lines, size_t n, const char *eol, const char *pad)
{
    text t = {NULL, 0, 0};
    for (size_t i = 0; i < n; i++) {
        text_add(&t, lines[i]);
        text_add(&t, pad);
        text_add(&t, eol);
    }
    return t;
}

/* The object scenario with every "\n" made `eol`. */
static text with_eol(const char *s, const char *eol)
{
    text t = {NULL, 0, 0};
    for (const char *p = s; *p; p++) {
        if (*p == '\n')
            text_add(&t, eol);
        else
            text_addn(&t, p, 1);
    }
    return t;
}

static char *small_export(void)
{
    outcome o = load_buffer(small, sizeof small - 1);
    assert_int_equal(o.rc, VIPA_OK);
    return o.export;
}

/* Loads both ways and compares with the small scenario's records. */
static void expect_small(const text *t, const char *what)
{
    char *want = small_export();
    outcome b = load_buffer(t->data, t->len), f = load_as_file(t->data, t->len);
    if (b.rc != VIPA_OK)
        print_error("%s: %s\n", what, b.msg);
    assert_int_equal(b.rc, VIPA_OK);
    assert_alike(&b, &f, what);
    assert_string_equal(b.export, want);
    outcome_free(&b);
    outcome_free(&f);
    vipa_free(want);
}

static void a_byte_order_mark_is_refused_as_jansson_refuses_it(void **state)
{
    (void)state;
    text t = {NULL, 0, 0};
    text_add(&t, "\xEF\xBB\xBF");
    text_add(&t, small);
    char msg[512], at[64];
    json_error_t e;
    assert_true(jansson_position(t.data, t.len, at, &e)); /* jansson reads no BOM */
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    print_message("BOM: \"%s\" (jansson: %s: %s)\n", msg, at, e.text);
    assert_true(starts_with(msg, at));
    text_free(&t);
    text lines = lines_of(small_lines, SMALL_LINES, "\n", "");
    t = (text){NULL, 0, 0};
    text_add(&t, "\xEF\xBB\xBF");
    text_add(&t, lines.data);
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    assert_true(starts_with(msg, "line 1, column 1"));
    text_free(&t);
    text_free(&lines);
}

static void crlf_blank_lines_and_trailing_space_load(void **state)
{
    (void)state;
    text t = with_eol(small, "\r\n");
    expect_small(&t, "object, CRLF");
    text_free(&t);
    t = lines_of(small_lines, SMALL_LINES, "\n", "");
    expect_small(&t, "JSON Lines");
    text_free(&t);
    t = lines_of(small_lines, SMALL_LINES, "\r\n", "");
    expect_small(&t, "JSON Lines, CRLF");
    text_free(&t);
    t = lines_of(small_lines, SMALL_LINES, "\n\n  \t\n\r\n", " \t ");
    expect_small(&t, "JSON Lines, blank lines and trailing space");
    text_free(&t);
    /* Blank lines first, leading space on a line, no newline after the last. */
    t = (text){NULL, 0, 0};
    text_add(&t, "\n \n");
    for (size_t i = 0; i < SMALL_LINES; i++) {
        text_add(&t, i % 2 ? "   " : "");
        text_add(&t, small_lines[i]);
        if (i + 1 < SMALL_LINES)
            text_add(&t, "\n");
    }
    expect_small(&t, "JSON Lines, leading blank lines and space, no final newline");
    text_free(&t);
}

static void a_json_line_of_two_keys_is_refused_with_its_line(void **state)
{
    (void)state;
    const char *lines[SMALL_LINES];
    memcpy(lines, small_lines, sizeof lines);
    char msg[512];
    /* Line 4: a household line with the as_of of line 5 in it as well. */
    lines[3] = "{\"households\": {\"id\": 1001, \"village\": \"611002001204\", \"members\": 2, "
               "\"labour\": 1, \"cause\": \"illness\", \"willing\": true}, \"as_of\": "
               "\"2019-02-28\"}";
    lines[4] = "";
    text t = lines_of(lines, SMALL_LINES, "\n", "");
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    print_message("two keys on line 4: %s\n", msg);
    assert_true(starts_with(msg, "line 4: "));
    text_free(&t);
    /* Line 8: the profile line with a second key. */
    memcpy(lines, small_lines, sizeof lines);
    lines[7] = "{\"profile\": {\"base\": \"shangluo-2016\"}, \"vipa\": 1}";
    t = lines_of(lines, SMALL_LINES, "\n", "");
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    print_message("two keys on line 8: %s\n", msg);
    assert_true(starts_with(msg, "line 8: "));
    text_free(&t);
}

static void a_json_lines_key_given_twice_is_refused(void **state)
{
    (void)state;
    char msg[512];
    const char *lines[SMALL_LINES + 1];
    /* "vipa" on line 3 and again on line 10 (apart). */
    memcpy(lines, small_lines, sizeof small_lines);
    lines[SMALL_LINES] = "{\"vipa\": 1}";
    text t = lines_of(lines, SMALL_LINES + 1, "\n", "");
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    print_message("vipa on lines 3 and 10: %s\n", msg);
    assert_true(starts_with(msg, "line 10: "));
    assert_true(contains(msg, "\"vipa\""));
    text_free(&t);
    /* On lines 3 and 4 (together). */
    lines[0] = small_lines[0];
    lines[1] = small_lines[1];
    lines[2] = "{\"vipa\": 1}";
    lines[3] = "{\"vipa\": 1}";
    memcpy(lines + 4, small_lines + 3, (SMALL_LINES - 3) * sizeof *lines);
    t = lines_of(lines, SMALL_LINES + 1, "\n", "");
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    print_message("vipa on lines 3 and 4: %s\n", msg);
    assert_true(starts_with(msg, "line 4: "));
    assert_true(contains(msg, "\"vipa\""));
    text_free(&t);
    /* Two versions that differ: refused all the same. */
    lines[3] = "{\"vipa\": 2}";
    t = lines_of(lines, SMALL_LINES + 1, "\n", "");
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    text_free(&t);
}

/* Names holding what a bracket-counting scan must not take for structure. */
static const char *const odd_names[] = {"a]}\"{[b", "\\", "x\\\\\"]", "}\\\"]\\\\"};
static const char odd_json[4][32] = {"\"a]}\\\"{[b\"", "\"\\\\\"", "\"x\\\\\\\\\\\"]\"",
                                     "\"}\\\\\\\"]\\\\\\\\\""};

static void strings_with_brackets_quotes_and_backslashes_load(void **state)
{
    (void)state;
    /* The JSON spellings above are the names' own (checked by jansson first). */
    for (size_t i = 0; i < 4; i++) {
        json_t *v = json_loads(odd_json[i], JSON_DECODE_ANY, NULL);
        assert_non_null(v);
        assert_string_equal(json_string_value(v), odd_names[i]);
        json_decref(v);
    }
    text obj = {NULL, 0, 0}, lines = {NULL, 0, 0};
    text_add(&obj, "{\"vipa\": 1, \"areas\": [\n");
    static const char *const codes[] = {"611002000000", "611002001000", "611002001204"};
    static const char *const levels[] = {"county", "town", "village"};
    for (size_t i = 0; i < 3; i++) {
        char area[256];
        snprintf(area, sizeof area, "{\"code\": \"%s\", \"name\": %s, \"level\": \"%s\"}",
                 codes[i], odd_json[i], levels[i]);
        text_addf(&obj, "%s%s\n", area, i < 2 ? "," : "");
        text_addf(&lines, "{\"areas\": %s}\n", area);
    }
    char ent[256];
    snprintf(ent, sizeof ent, "{\"id\": 1, \"name\": %s, \"kind\": \"park\", \"core_village\": "
             "\"611002001204\", \"industry\": %s}", odd_json[3], odd_json[0]);
    text_addf(&obj, "], \"entities\": [%s]}", ent);
    text_addf(&lines, "{\"entities\": %s}\n{\"vipa\": 1}\n", ent);
    const text *forms[] = {&obj, &lines};
    for (size_t f = 0; f < 2; f++) {
        outcome b = load_buffer(forms[f]->data, forms[f]->len),
                fl = load_as_file(forms[f]->data, forms[f]->len);
        if (b.rc != VIPA_OK)
            print_error("%s\n", b.msg);
        assert_int_equal(b.rc, VIPA_OK);
        assert_alike(&b, &fl, f ? "JSON Lines" : "object");
        json_t *root = json_loads(b.export, 0, NULL);
        json_t *a = json_object_get(root, "areas"), *e = json_object_get(root, "entities");
        assert_int_equal(json_array_size(a), 3);
        for (size_t i = 0; i < 3; i++) { /* exported by code: county, town, village */
            json_t *area = json_array_get(a, i);
            assert_string_equal(json_string_value(json_object_get(area, "code")), codes[i]);
            assert_string_equal(json_string_value(json_object_get(area, "name")), odd_names[i]);
        }
        json_t *e0 = json_array_get(e, 0);
        assert_string_equal(json_string_value(json_object_get(e0, "name")), odd_names[3]);
        assert_string_equal(json_string_value(json_object_get(e0, "industry")), odd_names[0]);
        json_decref(root);
        outcome_free(&b);
        outcome_free(&fl);
    }
    text_free(&obj);
    text_free(&lines);
}

/* Top-level keys spelled with escapes are the keys jansson decodes: the scan must read
 * them so, for the members, for duplicates and in JSON Lines. */
static void escaped_keys_are_the_keys_they_spell(void **state)
{
    (void)state;
    text t = {NULL, 0, 0};
    /* "\u0076ipa" is "vipa", "\u0061reas" "areas", "househ\u006flds" "households". */
    const char *p = strstr(small, "\"areas\""), *q = strstr(small, "\"households\"");
    text_add(&t, "{\"\\u0076ipa\"");
    text_addn(&t, small + strlen("{\"vipa\""), (size_t)(p - small) - strlen("{\"vipa\""));
    text_add(&t, "\"\\u0061reas\"");
    text_addn(&t, p + strlen("\"areas\""), (size_t)(q - p) - strlen("\"areas\""));
    text_add(&t, "\"househ\\u006flds\"");
    text_add(&t, q + strlen("\"households\""));
    expect_small(&t, "escaped keys");
    text_free(&t);
    /* JSON Lines, each key escaped. */
    t = (text){NULL, 0, 0};
    for (size_t i = 0; i < SMALL_LINES; i++) {
        text_add(&t, "{\"\\u00");
        char hex[3];
        snprintf(hex, sizeof hex, "%02x", (unsigned)small_lines[i][2]);
        text_add(&t, hex);
        text_add(&t, small_lines[i] + 3);
        text_add(&t, "\n");
    }
    expect_small(&t, "escaped keys in JSON Lines");
    text_free(&t);
    /* "vipa" and "\u0076ipa": one key twice, refused as jansson refuses it. */
    static const char twice[] = "{\"vipa\": 1, \"\\u0076ipa\": 1}";
    char msg[512], at[64];
    json_error_t e;
    assert_true(jansson_position(twice, sizeof twice - 1, at, &e));
    expect_failure_both(twice, sizeof twice - 1, VIPA_E_PARSE, msg);
    assert_true(contains(msg, "duplicate"));
    assert_true(starts_with(msg, at));
    /* A record kind twice, apart: its lists are not joined. */
    static const char lists[] = "{\"vipa\": 1,\n\"areas\": [],\n\"households\": [],\n"
                                "\"\\u0061reas\": []}";
    assert_true(jansson_position(lists, sizeof lists - 1, at, &e));
    expect_failure_both(lists, sizeof lists - 1, VIPA_E_PARSE, msg);
    assert_true(contains(msg, "duplicate"));
    assert_true(starts_with(msg, at));
    /* A NUL in a key: jansson refuses it; the key is not "vipa" cut short. */
    static const char nul[] = "{\"vipa\\u0000x\": 1, \"vipa\": 1}";
    assert_true(jansson_position(nul, sizeof nul - 1, at, &e));
    expect_failure_both(nul, sizeof nul - 1, VIPA_E_PARSE, msg);
    print_message("a NUL in a key: %s (jansson: %s: %s)\n", msg, at, e.text);
}

static void a_top_level_other_than_an_object_is_refused(void **state)
{
    (void)state;
    static const char *const tops[] = {"[]", "[{\"vipa\": 1}]", "42", "null", "\"vipa\"",
                                       "true", "  \n [ ] \n"};
    static const char *const kinds[] = {"an array", "an array", "an integer", "null",
                                        "a string", "a boolean", "an array"};
    for (size_t i = 0; i < sizeof tops / sizeof *tops; i++) {
        char msg[512];
        expect_failure_both(tops[i], strlen(tops[i]), VIPA_E_PARSE, msg);
        if (!starts_with(msg, "top level") || !contains(msg, kinds[i]))
            print_error("%s: %s\n", tops[i], msg);
        assert_true(starts_with(msg, "top level"));
        assert_true(contains(msg, kinds[i]));
    }
    /* Past 1 MiB the text is not decoded whole: an array is refused where it starts. */
    text big = {NULL, 0, 0};
    char spaces[4096];
    memset(spaces, ' ', sizeof spaces);
    for (size_t i = 0; i < 257; i++)
        text_addn(&big, spaces, sizeof spaces);
    text_add(&big, "[]");
    char msg[512];
    expect_failure_both(big.data, big.len, VIPA_E_PARSE, msg);
    print_message("[] after 1 MiB of spaces: %s\n", msg);
    assert_true(starts_with(msg, "line 1, column "));
    text_free(&big);
}

/* {"vipa": 1, "areas": [{"code": ... "name": <inner>}]}: the name at depth 4 of the
 * document (object 1, areas 2, the record 3), `arrays` arrays opened there and `inner`
 * in the innermost ("" for an empty one). */
static text deep(size_t arrays, const char *key, const char *inner)
{
    text t = {NULL, 0, 0};
    if (strcmp(key, "areas") == 0)
        text_add(&t, "{\"vipa\": 1, \"areas\": [{\"code\": \"611002000000\", \"level\": "
                     "\"county\", \"name\": ");
    else
        text_addf(&t, "{\"vipa\": 1, \"%s\": ", key);
    for (size_t i = 0; i < arrays; i++)
        text_add(&t, "[");
    text_add(&t, inner);
    for (size_t i = 0; i < arrays; i++)
        text_add(&t, "]");
    text_add(&t, strcmp(key, "areas") == 0 ? "}]}" : "}");
    return t;
}

static void nesting_beyond_jansson_is_refused_where_jansson_refuses_it(void **state)
{
    (void)state;
    char msg[512], at[64];
    json_error_t e;
    /* 2,049 levels: the object, areas, the record and 2,046 arrays. */
    text t = deep(2046, "areas", "");
    assert_true(jansson_position(t.data, t.len, at, &e));
    assert_true(contains(e.text, "maximum parsing depth"));
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    print_message("2049 levels in a record: %s\n", msg);
    assert_true(starts_with(msg, at));
    assert_true(contains(msg, "maximum parsing depth"));
    assert_true(starts_with(msg, "line 1, column "));
    text_free(&t);
    /* 2,048 levels: jansson reads it; the loader refuses the name as no string, not for
     * its depth. */
    t = deep(2045, "areas", "");
    assert_false(jansson_position(t.data, t.len, at, &e));
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    assert_false(contains(msg, "maximum parsing depth"));
    assert_true(starts_with(msg, "areas[0].name: "));
    text_free(&t);
    /* The same in JSON Lines, on line 2: {"areas": {"name": [...]}} nests two levels
     * less than the scenario object did. */
    t = (text){NULL, 0, 0};
    text_add(&t, "{\"vipa\": 1}\n{\"areas\": {\"code\": \"611002000000\", \"name\": ");
    for (int i = 0; i < 2047; i++)
        text_add(&t, "[");
    for (int i = 0; i < 2047; i++)
        text_add(&t, "]");
    text_add(&t, ", \"level\": \"county\"}}\n");
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    print_message("2049 levels on a JSON line: %s\n", msg);
    assert_true(starts_with(msg, "line 2, column "));
    assert_true(contains(msg, "maximum parsing depth"));
    text_free(&t);
}

static void a_scalar_beyond_jansson_depth_is_refused(void **state)
{
    (void)state;
    char msg[512], at[64];
    json_error_t e;
    /* jansson counts a scalar as a level of its own: "expect" (depth 2) holding 2,047
     * arrays (to depth 2,048) around 0 (depth 2,049) is refused on the whole text. */
    text t = deep(2047, "expect", "0");
    assert_true(jansson_position(t.data, t.len, at, &e));
    assert_true(contains(e.text, "maximum parsing depth"));
    /* The scan counts the levels of the whole text, a scalar in the deepest container
     * included (found by this test: "expect" decoded alone is only 2,048 deep). */
    int rc, same = both_ways(t.data, t.len, &rc, msg);
    text_free(&t);
    print_message("a scalar at depth 2049 in \"expect\": %s \"%s\" (jansson: %s: %s)\n",
                  vipa_error_name(rc), msg, at, e.text);
    assert_true(same);
    assert_int_equal(rc, VIPA_E_PARSE);
    assert_true(contains(msg, "maximum parsing depth"));
    assert_true(starts_with(msg, at)); /* where jansson stops */
    /* A string there, the same. */
    t = deep(2047, "expect", "\"deep\"");
    int refused = jansson_position(t.data, t.len, at, &e);
    same = both_ways(t.data, t.len, &rc, msg);
    text_free(&t);
    assert_true(refused && same);
    assert_int_equal(rc, VIPA_E_PARSE);
    assert_true(contains(msg, "maximum parsing depth"));
}

static void trailing_garbage_is_refused(void **state)
{
    (void)state;
    char msg[512];
    static const char *const tails[] = {"x", "}", "]", ",", "{}", "\n{\"vipa\": 1}", "\"",
                                        "0"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        text t = {NULL, 0, 0};
        text_add(&t, small);
        text_add(&t, tails[i]);
        char at[64];
        json_error_t e;
        assert_true(jansson_position(t.data, t.len, at, &e));
        expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
        if (!starts_with(msg, at))
            print_message("tail %s: \"%s\" (jansson: %s: %s)\n", tails[i], msg, at, e.text);
        assert_true(contains(msg, "end of file expected"));
        text_free(&t);
    }
    /* A NUL after the object. */
    text t = {NULL, 0, 0};
    text_add(&t, small);
    text_addn(&t, "\0", 1);
    expect_failure_both(t.data, t.len, VIPA_E_PARSE, msg);
    text_free(&t);
    /* A one-key object on one line, then something that is no JSON line. */
    static const char *const after_one_key[] = {"{\"vipa\": 1} x", "{\"vipa\": 1}\nx",
                                                "{\"vipa\": 1}\n[]", "{\"vipa\": 1}}"};
    for (size_t i = 0; i < sizeof after_one_key / sizeof *after_one_key; i++) {
        expect_failure_both(after_one_key[i], strlen(after_one_key[i]), VIPA_E_PARSE, msg);
        print_message("%s: %s\n", after_one_key[i], msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buffer_and_file_give_the_same_records),
        cmocka_unit_test(keys_in_reverse_order_give_the_same_records),
        cmocka_unit_test(json_lines_give_the_same_records),
        cmocka_unit_test(bad_scenarios_fail_alike_from_buffer_and_file),
        cmocka_unit_test(every_truncation_fails_where_jansson_does),
        cmocka_unit_test(every_replaced_byte_fails_where_jansson_does),
        cmocka_unit_test(the_first_error_in_reading_order_is_reported),
        cmocka_unit_test(households_beyond_one_chunk_all_load),
        cmocka_unit_test(a_duplicate_past_the_first_chunk_is_named),
        cmocka_unit_test(a_bad_field_in_the_last_chunk_is_named),
        cmocka_unit_test(a_missing_path_or_a_directory_is_an_io_error),
        cmocka_unit_test(a_fifo_is_an_io_error_without_blocking),
        cmocka_unit_test(null_arguments_are_invalid),
        cmocka_unit_test(an_empty_file_is_a_syntax_error_at_its_start),
        cmocka_unit_test(a_byte_order_mark_is_refused_as_jansson_refuses_it),
        cmocka_unit_test(crlf_blank_lines_and_trailing_space_load),
        cmocka_unit_test(a_json_line_of_two_keys_is_refused_with_its_line),
        cmocka_unit_test(a_json_lines_key_given_twice_is_refused),
        cmocka_unit_test(strings_with_brackets_quotes_and_backslashes_load),
        cmocka_unit_test(escaped_keys_are_the_keys_they_spell),
        cmocka_unit_test(a_top_level_other_than_an_object_is_refused),
        cmocka_unit_test(nesting_beyond_jansson_is_refused_where_jansson_refuses_it),
        cmocka_unit_test(a_scalar_beyond_jansson_depth_is_refused),
        cmocka_unit_test(trailing_garbage_is_refused),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
