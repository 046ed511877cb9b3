/*
 * The report written as it goes (issue #16): vipa_report_write() through a function,
 * vipa_report_json() into one text, both by the module's JSON writer (lib/scenario_json.c)
 * instead of a dumped jansson tree. Checked against an oracle that shares no code with
 * them: jansson itself, re-dumping the text it reads back (JSON_PRESERVE_ORDER with
 * JSON_COMPACT or JSON_INDENT(2), and the final "\n"), which must give the same bytes, on
 * every scenario of tests/scenarios/ that runs, on the bundled sample and on names full
 * of what JSON escapes. The text cut into pieces of 1 byte, of 7 and of the 64 KiB block
 * must join into exactly vipa_report_json()'s; and the error paths: NULL arguments,
 * unknown flags, a function that fails (never called again), an allocator that fails.
 */
#define _POSIX_C_SOURCE 200809L /* strdup, opendir */

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "scenario_internal.h" /* vipa__report_write: the text cut at any block size */
#include "vipa.h"
#include "fixture.h"
#include "support.h"

#ifndef VIPA_SOURCE_ROOT
#error "VIPA_SOURCE_ROOT must name the source tree"
#endif

/* ---- collecting the pieces ---------------------------------------------------------------- */

/* What a write function was given: the pieces joined, how many, the longest, and
 * whether one was empty or longer than the block. */
typedef struct pieces {
    char *text;
    size_t length, capacity;
    size_t calls, longest;
    size_t fail_at;        /* the call (1-based) that fails; 0: none */
    long *live, live_want; /* when not NULL: the blocks alive at each call must be these */
} pieces;

static int collect(void *opaque, const char *bytes, size_t length)
{
    pieces *p = opaque;
    p->calls++;
    assert_true(length > 0);
    if (p->live)
        assert_int_equal(*p->live, p->live_want);
    if (p->fail_at && p->calls > p->fail_at)
        fail_msg("called again after failing at call %zu", p->fail_at);
    if (p->fail_at && p->calls == p->fail_at)
        return p->calls % 2 ? -1 : 1; /* any non-zero value */
    if (p->length + length + 1 > p->capacity) {
        p->capacity = (p->length + length + 1) * 2;
        p->text = realloc(p->text, p->capacity);
        assert_non_null(p->text);
    }
    memcpy(p->text + p->length, bytes, length);
    p->length += length;
    p->text[p->length] = '\0';
    if (length > p->longest)
        p->longest = length;
    return 0;
}

static void pieces_free(pieces *p)
{
    free(p->text);
    memset(p, 0, sizeof *p);
}

/* ---- the oracles -------------------------------------------------------------------------- */

static char *report_json(const vipa_result *r, unsigned int flags, size_t *length)
{
    char *text = NULL;
    assert_int_equal(vipa_report_json(&text, length, r, flags), VIPA_OK);
    assert_non_null(text);
    assert_int_equal(strlen(text), *length);
    return text;
}

/* jansson's dump of the tree it reads from `text`, and "\n": the report's bytes as a
 * jansson tree once gave them. */
static char *jansson_redump(const char *text, size_t format)
{
    json_error_t error;
    json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &error);
    if (!root)
        fail_msg("the report is not JSON: %s (line %d, column %d)", error.text, error.line,
                 error.column);
    char *dumped = json_dumps(root, JSON_PRESERVE_ORDER | format);
    assert_non_null(dumped);
    json_decref(root);
    char *line = malloc(strlen(dumped) + 2);
    assert_non_null(line);
    strcpy(line, dumped);
    strcat(line, "\n");
    free(dumped);
    return line;
}

static void assert_same_text(const char *what, const char *got, size_t got_length,
                             const char *want, size_t want_length)
{
    if (got_length == want_length && memcmp(got, want, got_length) == 0)
        return;
    size_t at = 0;
    while (at < got_length && at < want_length && got[at] == want[at])
        at++;
    fail_msg("%s: %zu bytes, expected %zu; first difference at byte %zu: \"%.40s\" against "
             "\"%.40s\"", what, got_length, want_length, at, got + at, want + at);
}

/* The text cut in pieces of `block` bytes (0: vipa_report_write()'s own 64 KiB) joins
 * into `want`, each piece full but the last. */
static void assert_pieces_join(const vipa_result *r, unsigned int flags, size_t block,
                               const char *want, size_t want_length)
{
    pieces p = {0};
    int rc = block ? vipa__report_write(r, flags, block, collect, &p)
                   : vipa_report_write(r, flags, collect, &p);
    assert_int_equal(rc, VIPA_OK);
    size_t size = block ? block : VIPA__JSON_SINK_BYTES;
    assert_same_text("the pieces joined", p.text, p.length, want, want_length);
    assert_int_equal(p.calls, (want_length + size - 1) / size);
    assert_true(p.longest <= size);
    pieces_free(&p);
}

/* Every check of the file's header on one result; the pretty text's length. */
static size_t check_result(const vipa_result *r, const char *name)
{
    size_t pretty_length = 0, compact_length = 0;
    char *pretty = report_json(r, VIPA_REPORT_PRETTY, &pretty_length);
    char *compact = report_json(r, 0, &compact_length);
    char *want_pretty = jansson_redump(pretty, JSON_INDENT(2));
    char *want_compact = jansson_redump(pretty, JSON_COMPACT);
    print_message("%s: %zu bytes pretty, %zu compact\n", name, pretty_length, compact_length);
    assert_same_text("pretty against jansson", pretty, pretty_length, want_pretty,
                     strlen(want_pretty));
    assert_same_text("compact against jansson", compact, compact_length, want_compact,
                     strlen(want_compact));
    static const size_t blocks[] = {1, 7, 0};
    for (size_t b = 0; b < sizeof blocks / sizeof *blocks; b++) {
        assert_pieces_join(r, VIPA_REPORT_PRETTY, blocks[b], pretty, pretty_length);
        assert_pieces_join(r, 0, blocks[b], compact, compact_length);
    }
    free(want_pretty);
    free(want_compact);
    vipa_free(pretty);
    vipa_free(compact);
    return pretty_length;
}

/* The file loaded and run, checked; 0 when it does not load or run (the bad_ files). */
static int check_file(const char *path)
{
    vipa_ctx *ctx = NULL;
    vipa_result *r = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    int checked = vipa_scenario_load_file(ctx, path, NULL) == VIPA_OK &&
                  vipa_run(&r, ctx, NULL) == VIPA_OK;
    if (checked)
        check_result(r, strrchr(path, '/') + 1);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
    return checked;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void every_scenario_and_the_sample_match_jansson(void **state)
{
    (void)state;
    const char *dir = VIPA_SOURCE_ROOT "/tests/scenarios";
    DIR *d = opendir(dir);
    assert_non_null(d);
    char *names[256];
    size_t n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL && n < 256;) {
        size_t len = strlen(e->d_name);
        if (len > 5 && strcmp(e->d_name + len - 5, ".json") == 0)
            names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, by_name);
    size_t checked = 0;
    for (size_t i = 0; i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        checked += (size_t)check_file(path);
        free(names[i]);
    }
    assert_true(check_file(VIPA_SOURCE_ROOT "/examples/shangluo-sample.json"));
    print_message("%zu of %zu scenario files ran, and the sample\n", checked, n);
    assert_true(n >= 40);
    assert_true(checked >= 25);
}

/* ---- texts full of what JSON escapes -------------------------------------------------------- */

/* Valid UTF-8 with every byte a JSON string may escape: the quote, the backslash, every
 * C0 control; and what jansson leaves as it is: '/', DEL, C1 controls, U+2028, U+2029,
 * a byte-order mark, a character beyond the BMP, Chinese. */
static const char *const odd_texts[] = {
    "q\"uote\\back/slash \"\\\"",
    "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15"
    "\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f end",
    "DEL\x7f C1 \xc2\x80\xc2\x9f LS\xe2\x80\xa8PS\xe2\x80\xa9 BOM\xef\xbb\xbf",
    "\xf0\x9f\x98\x80 杏树园核桃专业合作社 é \x1b[31mred\x1b[0m\r\n",
};
enum { ODD = sizeof odd_texts / sizeof odd_texts[0] };

/*
 * Entities 1..4 in 杏树园村 (城关街道, whose designated industry is odd text 0), each named
 * with an odd text and working another odd text, each under an agreement with one
 * household naming the odd texts as its support measures; entity 4 meets no selection
 * criterion. Its findings quote the names and industries (一镇一业, the selection), its
 * disclosure lists the support measures.
 */
static vipa_ctx *new_odd_set(const vipa_ctx_options *options)
{
    vipa_ctx *ctx = fixture_new_ctx(options);
    const vipa_area_code places[4] = {SHANGZHOU, CHENGGUAN, XINGSHUYUAN, CG_205};
    fixture_add_places(ctx, places, 4, odd_texts[0]);
    static vipa_id households[ODD];
    for (size_t i = 0; i < ODD; i++) {
        vipa_id id = (vipa_id)(i + 1);
        vipa_entity e = fixture_entity(id, odd_texts[i], XINGSHUYUAN, odd_texts[(i + 1) % ODD]);
        if (i == ODD - 1)
            e.selection = 0;
        fixture_add_entity(ctx, e);
        households[i] = 1001 + (vipa_id)i;
        fixture_add_household(ctx, fixture_household(households[i], XINGSHUYUAN, 2));
        vipa_agreement a = fixture_agreement(id, id, &households[i], 1, 20161115);
        a.support = odd_texts;
        a.support_count = ODD;
        fixture_add_agreement(ctx, a);
        static const int task_years[] = {2017};
        fixture_add_plan(ctx, fixture_plan(households[i], id, 2018, task_years, 1));
    }
    return ctx;
}

static void odd_texts_are_escaped_as_jansson_escapes_them(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_odd_set(NULL);
    vipa_result *r = NULL;
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    check_result(r, "odd texts");
    size_t length = 0;
    char *pretty = report_json(r, VIPA_REPORT_PRETTY, &length);
    /* The odd texts are really in it: in the support measures and the findings. */
    assert_has(pretty, "\"q\\\"uote\\\\back/slash \\\"\\\\\\\"\"");
    assert_has(pretty, "\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r"
                       "\\u000E\\u000F\\u0010");
    assert_has(pretty, "\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F end");
    assert_has(pretty, "DEL\x7f C1 \xc2\x80\xc2\x9f LS\xe2\x80\xa8PS\xe2\x80\xa9 BOM\xef\xbb\xbf");
    assert_has(pretty, "\xf0\x9f\x98\x80 杏树园核桃专业合作社 é \\u001B[31mred");
    assert_has(pretty, "(q\\\"uote\\\\back/slash"); /* a name quoted by a finding's message */
    vipa_free(pretty);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* ---- the error paths ------------------------------------------------------------------------ */

typedef struct fixture {
    test_allocator alloc;
    vipa_ctx *ctx;
    vipa_result *result;
} fixture;

/* The odd data set in a counting allocator (that may be made to fail). */
static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->alloc.left = -1;
    vipa_ctx_options o = test_allocator_options(&f->alloc);
    f->ctx = new_odd_set(&o);
    assert_int_equal(vipa_run(&f->result, f->ctx, NULL), VIPA_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    vipa_result_free(f->result);
    vipa_ctx_free(f->ctx);
    assert_int_equal(f->alloc.live, 0);
    free(f);
    return 0;
}

static void null_arguments_and_unknown_flags_are_refused(void **state)
{
    fixture *f = *state;
    pieces p = {0};
    assert_int_equal(vipa_report_write(NULL, 0, collect, &p), VIPA_E_INVALID);
    assert_int_equal(vipa_report_write(f->result, 0, NULL, &p), VIPA_E_INVALID);
    assert_int_equal(vipa_report_write(NULL, 0, NULL, NULL), VIPA_E_INVALID);
    /* A flag this library does not know is refused, never silently ignored. */
    assert_int_equal(vipa_report_write(f->result, 2u, collect, &p), VIPA_E_INVALID);
    assert_int_equal(vipa_report_write(f->result, ~0u, collect, &p), VIPA_E_INVALID);
    assert_int_equal(vipa__report_write(f->result, 0, 0, collect, &p), VIPA_E_INVALID);
    assert_int_equal(p.calls, 0);
    assert_int_equal(vipa_report_write(f->result, 0, collect, &p), VIPA_OK);
    assert_true(p.calls >= 1);
    pieces_free(&p);
}

/* The function failing at its first call, and at a later one: VIPA_E_IO, the function
 * not called again, nothing left allocated. */
static void a_failing_write_stops_the_text_with_io(void **state)
{
    fixture *f = *state;
    const long live = f->alloc.live;
    static const size_t fail_at[] = {1, 2, 5};
    for (size_t i = 0; i < sizeof fail_at / sizeof *fail_at; i++) {
        pieces p = {0};
        p.fail_at = fail_at[i];
        assert_int_equal(vipa__report_write(f->result, VIPA_REPORT_PRETTY, 64, collect, &p),
                         VIPA_E_IO);
        assert_int_equal(p.calls, fail_at[i]);
        assert_int_equal(p.length, 64 * (fail_at[i] - 1)); /* the text's start, then none */
        assert_int_equal(f->alloc.live, live);
        pieces_free(&p);
    }
    /* vipa_report_write()'s own block: the first call fails. */
    pieces p = {0};
    p.fail_at = 1;
    assert_int_equal(vipa_report_write(f->result, 0, collect, &p), VIPA_E_IO);
    assert_int_equal(p.calls, 1);
    assert_int_equal(f->alloc.live, live);
    pieces_free(&p);
}

/* Memory is one block while the text is written, whatever its length: at every call the
 * result's allocator holds just one block more than before, and none after. */
static void the_text_takes_one_block(void **state)
{
    fixture *f = *state;
    const long live = f->alloc.live;
    pieces p = {0};
    p.live = &f->alloc.live;
    p.live_want = live + 1;
    assert_int_equal(vipa__report_write(f->result, VIPA_REPORT_PRETTY, 100, collect, &p),
                     VIPA_OK);
    assert_true(p.calls > 10);
    assert_int_equal(f->alloc.live, live);
    pieces_free(&p);
}

/* The result's allocator failing: VIPA_E_NOMEM before any call, nothing leaked; the
 * next allocation allowed, the whole text. */
static void a_failing_allocator_is_nomem_and_leaks_nothing(void **state)
{
    fixture *f = *state;
    const long live = f->alloc.live;
    for (unsigned int flags = 0; flags <= VIPA_REPORT_PRETTY; flags++) {
        pieces p = {0};
        f->alloc.left = 0;
        int rc = vipa_report_write(f->result, flags, collect, &p);
        f->alloc.left = -1;
        assert_int_equal(rc, VIPA_E_NOMEM);
        assert_int_equal(p.calls, 0);
        assert_int_equal(f->alloc.live, live);
        f->alloc.left = 1; /* the block is the only allocation */
        rc = vipa_report_write(f->result, flags, collect, &p);
        f->alloc.left = -1;
        assert_int_equal(rc, VIPA_OK);
        assert_int_equal(f->alloc.live, live);
        assert_true(p.length > 0 && p.text[p.length - 1] == '\n');
        pieces_free(&p);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_scenario_and_the_sample_match_jansson),
        cmocka_unit_test(odd_texts_are_escaped_as_jansson_escapes_them),
        cmocka_unit_test_setup_teardown(null_arguments_and_unknown_flags_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_failing_write_stops_the_text_with_io, setup, teardown),
        cmocka_unit_test_setup_teardown(the_text_takes_one_block, setup, teardown),
        cmocka_unit_test_setup_teardown(a_failing_allocator_is_nomem_and_leaks_nothing, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
