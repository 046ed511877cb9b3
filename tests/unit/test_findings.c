/*
 * Findings lists: the published order of findings (rule, subject kind, subject id, year,
 * message), the sort of short and long lists (vipa__sort, the messages formatted to break
 * ties) against an independent reference, over lists with many ties, with memory or
 * without; and the messages formatted on demand (issue #16): the replay of every
 * conversion gives vsnprintf's text, a long text is cut at a whole character, a copy
 * keeps its prefix, threads reading one list at once get one pointer per message, and an
 * allocator that refuses fails cleanly.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */

#include <limits.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <wchar.h>

#include <cmocka.h>

#include "findings_internal.h"
#include "support.h"

/* What a finding is sorted by, kept by the test itself. */
typedef struct expected_finding {
    int rule, kind;
    uint64_t id;
    int year;
    char message[64];
} expected_finding;

static int reference_order(const void *a, const void *b)
{
    const expected_finding *x = a, *y = b;
    if (x->rule != y->rule)
        return x->rule - y->rule;
    if (x->kind != y->kind)
        return x->kind - y->kind;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->year != y->year)
        return x->year - y->year;
    return strcmp(x->message, y->message);
}

static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* n findings drawn from few rules, kinds, subjects and years, so that every key ties
 * often; `spread` bounds the subject ids (small: long runs of one subject). */
static void sorts_like_the_reference(size_t n, uint64_t spread, uint64_t seed)
{
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc);
    assert_non_null(list);
    expected_finding *want = calloc(n + 1, sizeof *want);
    assert_non_null(want);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next_random(&seed);
        expected_finding *e = &want[i];
        e->rule = 1 + (int)(r % VIPA_RULE_COUNT);
        e->kind = 1 + (int)((r >> 8) % 4);
        e->id = (r >> 16) % spread + ((r >> 60) ? 0 : UINT64_C(1) << 40); /* wide ids too */
        e->year = 2016 + (int)((r >> 12) % 4);
        vipa__finding_in in = {(vipa_rule)e->rule, VIPA_SEVERITY_NONE, (vipa_subject_kind)e->kind,
                               e->id, e->year, NULL, NULL};
        assert_int_equal(vipa__findings_add_format(list, &in, "m%u", (unsigned)((r >> 24) % 7)),
                         VIPA_OK);
        /* the message as stored: the citation is appended */
        snprintf(e->message, sizeof e->message, "%s", vipa_finding_message(list, i));
    }
    qsort(want, n, sizeof *want, reference_order);
    vipa__findings_sort(list);
    assert_int_equal(vipa_findings_count(list), n);
    for (size_t i = 0; i < n; i++) {
        const expected_finding *e = &want[i];
        if ((int)vipa_finding_rule(list, i) != e->rule ||
            (int)vipa_finding_subject_kind(list, i) != e->kind ||
            vipa_finding_subject_id(list, i) != e->id || vipa_finding_year(list, i) != e->year ||
            strcmp(vipa_finding_message(list, i), e->message) != 0)
            fail_msg("n %zu: finding %zu is (%d, %d, %llu, %d, %s); the reference has (%d, %d, "
                     "%llu, %d, %s)", n, i, (int)vipa_finding_rule(list, i),
                     (int)vipa_finding_subject_kind(list, i),
                     (unsigned long long)vipa_finding_subject_id(list, i),
                     vipa_finding_year(list, i), vipa_finding_message(list, i), e->rule, e->kind,
                     (unsigned long long)e->id, e->year, e->message);
    }
    free(want);
    vipa_findings_free(list);
}

static void short_lists_sort_like_the_reference(void **state)
{
    (void)state;
    sorts_like_the_reference(0, 10, 1);
    sorts_like_the_reference(1, 10, 2);
    sorts_like_the_reference(300, 10, 3);
    sorts_like_the_reference(4095, 1000, 4);
}

static void long_lists_sort_like_the_reference(void **state)
{
    (void)state;
    sorts_like_the_reference(4096, 10, 5);
    sorts_like_the_reference(20000, 50, 6);         /* long runs of one subject */
    sorts_like_the_reference(50000, UINT32_MAX, 7); /* few ties on the subject */
}

/* 5,000 findings of few rules and subjects, the same for the same seed. */
static vipa_findings *tied_findings(const vipa__allocator *alloc)
{
    vipa_findings *list = vipa__findings_new(alloc);
    assert_non_null(list);
    uint64_t seed = 9;
    for (int i = 0; i < 5000; i++) {
        uint64_t r = next_random(&seed);
        vipa__finding_in in = {(vipa_rule)(1 + r % 5), VIPA_SEVERITY_NONE, VIPA_SUBJECT_HOUSEHOLD,
                               (r >> 8) % 100, 2017, NULL, NULL};
        assert_int_equal(vipa__findings_add_format(list, &in, "m%d", (int)(r >> 40) % 3), VIPA_OK);
    }
    return list;
}

/* Out of memory for the sort's scratch: the list is sorted in place into the same order,
 * finding for finding, and nothing leaks. */
static void list_sorts_the_same_when_memory_runs_out(void **state)
{
    (void)state;
    vipa__allocator plenty = vipa__alloc_default();
    vipa_findings *want = tied_findings(&plenty);
    vipa__findings_sort(want);
    test_allocator c = {-1, 0};
    vipa_ctx_options o = test_allocator_options(&c);
    vipa__allocator alloc = {o.malloc_fn, o.realloc_fn, o.free_fn, o.allocator_opaque};
    vipa_findings *list = tied_findings(&alloc);
    c.left = 0; /* the scratch is refused */
    vipa__findings_sort(list);
    assert_int_equal(vipa_findings_count(list), vipa_findings_count(want));
    for (size_t i = 0; i < vipa_findings_count(list); i++) {
        char message[VIPA_FINDING_MESSAGE_SIZE]; /* formatting one allocates nothing */
        assert_int_equal(vipa_finding_rule(list, i), vipa_finding_rule(want, i));
        assert_int_equal(vipa_finding_subject_id(list, i), vipa_finding_subject_id(want, i));
        assert_int_equal(vipa_finding_message_format(message, sizeof message, list, i), VIPA_OK);
        assert_string_equal(message, vipa_finding_message(want, i));
    }
    vipa_findings_free(list);
    vipa_findings_free(want);
    assert_int_equal(c.live, 0);
}

/* ---- messages on demand ----------------------------------------------------------------- */

static const vipa__finding_in a_finding = {VIPA_RULE_OBLIGATIONS_PAID, VIPA_SEVERITY_NONE,
                                           VIPA_SUBJECT_LINKAGE, 7, 2017, NULL, NULL};

/* Adds a finding with the format and arguments given, and writes into `want` the message
 * vsnprintf makes of them, with the citation. */
#define ADD_AND_EXPECT(list, wants, n, ...)                                                    \
    do {                                                                                       \
        assert_int_equal(vipa__findings_add_format(list, &a_finding, __VA_ARGS__), VIPA_OK);          \
        int n_ = snprintf(wants[n], sizeof wants[n], __VA_ARGS__);                             \
        assert_true(n_ >= 0 && (size_t)n_ < sizeof wants[n] - 40);                             \
        strcat(wants[n], " (OBLIGATIONS_PAID, 四(四))");                                       \
        (n)++;                                                                                 \
    } while (0)

static void expect_message(const vipa_findings *list, size_t i, const char *want)
{
    char buf[VIPA_FINDING_MESSAGE_SIZE];
    assert_string_equal(vipa_finding_message(list, i), want);
    assert_int_equal(vipa_finding_message_format(buf, sizeof buf, list, i), VIPA_OK);
    assert_string_equal(buf, want);
}

/* Every conversion the library's formats use, and the others vipa__findings_add knows,
 * with their flags, widths and precisions, replay to the bytes vsnprintf writes. */
static void every_conversion_replays_as_vsnprintf_writes_it(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc);
    assert_non_null(list);
    char want[24][512];
    const char *name = "示例合作社", *temporary = want[23];
    snprintf(want[23], sizeof want[23], "%s", "1234.50"); /* overwritten below: copied */
    /* 17 formats below, want[23] the temporary */
    size_t n = 0;
    ADD_AND_EXPECT(list, want, n, "%d %i %d %i", INT_MIN, INT_MAX, -1, 0);
    ADD_AND_EXPECT(list, want, n, "%u %o %x %X", UINT_MAX, 8u, 255u, 0xabcdu);
    ADD_AND_EXPECT(list, want, n, "%lld %llu %ld %lu", LLONG_MIN, ULLONG_MAX, LONG_MIN, ULONG_MAX);
    ADD_AND_EXPECT(list, want, n, "%zu %zd %jd %ju %td %tu", SIZE_MAX, (ssize_t)-5, INTMAX_MIN,
                   UINTMAX_MAX, (ptrdiff_t)-9, (ptrdiff_t)9);
    ADD_AND_EXPECT(list, want, n, "%hd %hu %hhd %hhu", 70000, 70000, 200, 300);
    ADD_AND_EXPECT(list, want, n, "%c%c %% 100%%", 'a', 'Z');
    ADD_AND_EXPECT(list, want, n, "[%5d|%-5d|%05d|%+d|% d|%#x|%#o|%-+8lld]", 42, 42, 42, 42, 42,
                   255u, 8u, -3LL);
    ADD_AND_EXPECT(list, want, n, "[%*d|%*d|%-*u|%.*d|%.*d]", 7, 1, -7, 2, 4, 3u, 5, 6, -1, 8);
    ADD_AND_EXPECT(list, want, n, "[%.*s|%.*s|%.2s|%10.3s|%-*.*s|%.s]", 3, "abcdef", -1, "abc",
                   "xyz", "abcdef", 6, 2, "uvw", "gone");
    ADD_AND_EXPECT(list, want, n, "town %.*s (%012llu) and %s", 15, name,
                   (unsigned long long)611002001000u, name);
    ADD_AND_EXPECT(list, want, n, "%s paid%s%s", temporary, "", " by 2018-02-15");
    ADD_AND_EXPECT(list, want, n, "no conversion at all");
    ADD_AND_EXPECT(list, want, n, "%s", "");
    ADD_AND_EXPECT(list, want, n, "%8.3d|%-8x|%+.0d|%.0d|%#.0o", -12, 5u, 0, 0, 0u);
    /* an integer is kept 7 bits a byte: the edges of one, two, nine and ten bytes, and
     * a width of each size before a string */
    ADD_AND_EXPECT(list, want, n, "%llu %llu %llu %llu %llu %llu %llu", 127ULL, 128ULL, 16383ULL,
                   16384ULL, (1ULL << 63) - 1, 1ULL << 63, 0ULL);
    ADD_AND_EXPECT(list, want, n, "[%*s|%*s|%lld]", 127, "a", -128, "b", -1LL);
    snprintf(want[23], sizeof want[23], "%s", "changed"); /* the list kept its own copy */
    for (size_t i = 0; i < n; i++)
        expect_message(list, i, want[i]);
    vipa_findings_free(list);
}

/* A conversion outside those known is refused, and the list is left as it was. */
static void unknown_conversions_are_refused(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc);
    assert_non_null(list);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%d kept", 1), VIPA_OK);
    size_t text = list->text.length;
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%s then %f", "a", 1.5), VIPA_E_INVALID);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%s then %p", "a", (void *)list),
                     VIPA_E_INVALID);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%d then %lc", 1, (wint_t)65),
                     VIPA_E_INVALID);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%s", "trailing %"), VIPA_OK);
    assert_int_equal(vipa_findings_count(list), 2);
    assert_int_equal(list->text.length, text + sizeof "trailing %");
    expect_message(list, 0, "1 kept (OBLIGATIONS_PAID, 四(四))");
    expect_message(list, 1, "trailing % (OBLIGATIONS_PAID, 四(四))");
    vipa_findings_free(list);
}

/* A sentence of 927 bytes or more is cut at the last whole UTF-8 character within them,
 * then cited: the length the messages were formatted at when they were stored. */
static void long_texts_are_cut_at_a_whole_character(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc);
    assert_non_null(list);
    char walnuts[400 * 3 + 1] = "";
    for (int i = 0; i < 400; i++)
        strcat(walnuts, "核");
    /* "ab" and 308 characters are 926 bytes; the 309th would end at byte 929 */
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "ab%s", walnuts), VIPA_OK);
    /* 927 bytes of sentence are kept whole; 928 are cut */
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%.*s", 927, walnuts), VIPA_OK);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "x%.*s", 927, walnuts), VIPA_OK);
    char want[VIPA_FINDING_MESSAGE_SIZE] = "ab";
    memcpy(want + 2, walnuts, 308 * 3);
    strcpy(want + 2 + 308 * 3, " (OBLIGATIONS_PAID, 四(四))");
    expect_message(list, 0, want);
    snprintf(want, sizeof want, "%.*s (OBLIGATIONS_PAID, 四(四))", 927, walnuts);
    expect_message(list, 1, want);
    snprintf(want, sizeof want, "x%.*s (OBLIGATIONS_PAID, 四(四))", 924, walnuts);
    expect_message(list, 2, want);
    /* the buffer must hold the whole text */
    char small[16] = "x";
    size_t length = strlen(vipa_finding_message(list, 0));
    assert_true(length < 1024);
    char *exact = malloc(length + 1);
    assert_non_null(exact);
    assert_int_equal(vipa_finding_message_format(exact, length + 1, list, 0), VIPA_OK);
    assert_int_equal(vipa_finding_message_format(exact, length, list, 0), VIPA_E_RANGE);
    assert_string_equal(exact, "");
    free(exact);
    assert_int_equal(vipa_finding_message_format(small, sizeof small, list, 3), VIPA_E_RANGE);
    assert_string_equal(small, "");
    assert_int_equal(vipa_finding_message_format(small, sizeof small, NULL, 0), VIPA_E_INVALID);
    assert_int_equal(vipa_finding_message_format(NULL, 0, list, 0), VIPA_E_INVALID);
    assert_string_equal(vipa_finding_message(list, 3), "");
    assert_string_equal(vipa_finding_message(NULL, 0), "");
    vipa_findings_free(list);
}

/* A copy has another year and its message prefixed; a copy of a copy has both prefixes;
 * expected and actual go with it; a prefix too long is cut byte-wise at 1,199 bytes with
 * the message, as the copies always were. */
static void copies_keep_their_prefix(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *from = vipa__findings_new(&alloc), *to = vipa__findings_new(&alloc),
                  *again = vipa__findings_new(&alloc);
    assert_true(from && to && again);
    vipa__finding_in in = a_finding;
    in.expected = "1250.00";
    in.actual = "1000.00";
    assert_int_equal(vipa__findings_add_format(from, &in, "linkage %llu: %s due, %s paid", 2ULL,
                                        in.expected, in.actual), VIPA_OK);
    assert_int_equal(vipa__findings_add_format(from, &a_finding, "%s", "second"), VIPA_OK);
    const char *own = "linkage 2: 1250.00 due, 1000.00 paid (OBLIGATIONS_PAID, 四(四))";
    expect_message(from, 0, own);
    const char *prefix = "evaluation of 2017 on 2018-01-31, agreement 1: ";
    assert_int_equal(vipa__findings_copy(to, from, 0, 2018, VIPA__MSG_Z_VERBATIM, prefix), VIPA_OK);
    assert_int_equal(vipa__findings_copy(to, from, 1, 2018, VIPA__MSG_Z_VERBATIM, prefix), VIPA_OK);
    assert_int_equal(to->items[0].prefix, to->items[1].prefix); /* one prefix kept for both */
    assert_int_equal(vipa__findings_copy(again, to, 0, 2019, VIPA__MSG_Z_VERBATIM, "re-check: "), VIPA_OK);
    char want[VIPA_FINDING_MESSAGE_SIZE];
    snprintf(want, sizeof want, "%s%s", prefix, own);
    expect_message(to, 0, want);
    expect_message(to, 1, "evaluation of 2017 on 2018-01-31, agreement 1: second "
                          "(OBLIGATIONS_PAID, 四(四))");
    assert_int_equal(vipa_finding_year(to, 0), 2018);
    assert_string_equal(vipa_finding_expected(to, 0), "1250.00");
    assert_string_equal(vipa_finding_actual(to, 0), "1000.00");
    assert_null(vipa_finding_expected(to, 1));
    snprintf(want, sizeof want, "re-check: %s%s", prefix, own);
    expect_message(again, 0, want);
    assert_int_equal(vipa_finding_year(again, 0), 2019);
    assert_int_equal(vipa_finding_subject_id(again, 0), 7);
    assert_string_equal(vipa_finding_actual(again, 0), "1000.00");
    /* 1,150 bytes of prefix leave 49 of the message; twice that leaves none */
    char longer[2 * 1150 + 1];
    memset(longer, 'p', sizeof longer - 1);
    longer[1150] = '\0';
    vipa_findings *cut = vipa__findings_new(&alloc);
    assert_non_null(cut);
    assert_int_equal(vipa__findings_copy(cut, from, 0, 2018, VIPA__MSG_Z_VERBATIM, longer), VIPA_OK);
    longer[1150] = 'p';
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(vipa__findings_copy(cut, from, 0, 2018, VIPA__MSG_Z_VERBATIM, longer), VIPA_OK);
    assert_int_equal(vipa__findings_copy(again, cut, 0, 2019, VIPA__MSG_Z_VERBATIM, "more: "), VIPA_OK);
    char whole[2 * VIPA_FINDING_MESSAGE_SIZE + 100]; /* then cut at 1,199 bytes */
    snprintf(whole, sizeof whole, "%.1150s%s", longer, own);
    whole[VIPA_FINDING_MESSAGE_SIZE - 1] = '\0';
    expect_message(cut, 0, whole);
    snprintf(whole, sizeof whole, "%.1199s", longer);
    expect_message(cut, 1, whole);
    snprintf(whole, sizeof whole, "more: %.1150s%s", longer, own);
    whole[VIPA_FINDING_MESSAGE_SIZE - 1] = '\0';
    expect_message(again, 1, whole);
    assert_int_equal(strlen(vipa_finding_message(again, 1)), VIPA_FINDING_MESSAGE_SIZE - 1);
    /* a finding with no arguments, in a list with no text at all */
    vipa_findings *bare = vipa__findings_new(&alloc);
    assert_non_null(bare);
    assert_int_equal(vipa__findings_add_format(bare, &a_finding, "no arguments"), VIPA_OK);
    assert_null(bare->text.bytes);
    expect_message(bare, 0, "no arguments (OBLIGATIONS_PAID, 四(四))");
    assert_int_equal(vipa__findings_copy(again, bare, 0, 2019, VIPA__MSG_Z_VERBATIM, "then: "), VIPA_OK);
    expect_message(again, 2, "then: no arguments (OBLIGATIONS_PAID, 四(四))");
    vipa_findings_free(bare);
    vipa_findings_free(cut);
    vipa_findings_free(again);
    vipa_findings_free(to);
    vipa_findings_free(from);
}

/* Expected and actual are kept once when the message's arguments hold the same bytes
 * (issue #16). The layout, from the capture's contract (messages.c, put_integer): an
 * integer in 7 bits a byte (2, 3 and 9 take one byte), a string as its bytes and a NUL.
 * So "linkage %llu: %s due, %s paid" with 2, "1250.00", "1000.00" captures 1 + 8 + 8 =
 * 17 bytes: "1250.00" at 1, "1000.00" at 9. */
static void expected_and_actual_share_the_captured_arguments(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc), *to = vipa__findings_new(&alloc);
    assert_true(list && to);
    vipa__finding_in in = a_finding;
    in.expected = "1250.00";
    in.actual = "1000.00";
    const char *format = "linkage %llu: %s due, %s paid";
    assert_int_equal(vipa__findings_add_format(list, &in, format, 2ULL, "1250.00", "1000.00"),
                     VIPA_OK);
    assert_int_equal(list->text.length, 17);
    assert_int_equal(list->items[0].expected, 1);
    assert_int_equal(list->items[0].actual, 9);
    /* the tail of an argument is the same string: "50.00" at 17 + 1 + 2 */
    in.expected = "50.00";
    in.actual = ""; /* any NUL of the arguments: the first ends "1250.00", at 17 + 8 */
    assert_int_equal(vipa__findings_add_format(list, &in, format, 3ULL, "1250.00", "1000.00"),
                     VIPA_OK);
    assert_int_equal(list->text.length, 34);
    assert_int_equal(list->items[1].expected, 17 + 3);
    assert_string_equal(vipa_finding_expected(list, 1), "50.00");
    assert_int_equal(list->items[1].actual, 17 + 8);
    assert_string_equal(vipa_finding_actual(list, 1), "");
    /* not among the arguments: stored after them, and an equal actual shares that copy;
     * the bytes of an earlier finding are not looked at */
    in.expected = in.actual = "1250.00";
    assert_int_equal(vipa__findings_add_format(list, &in, "household %llu", 9ULL), VIPA_OK);
    assert_int_equal(list->text.length, 34 + 1 + 8);
    assert_int_equal(list->items[2].expected, 35);
    assert_int_equal(list->items[2].actual, 35);
    /* longer than all the arguments, and none */
    in.expected = "1250.00 and more than the arguments hold";
    in.actual = NULL;
    assert_int_equal(vipa__findings_add_format(list, &in, "%s", "1250.00"), VIPA_OK);
    assert_int_equal(list->items[3].expected, 43 + 8);
    assert_int_equal(list->items[3].actual, VIPA_NO_TEXT);
    assert_string_equal(vipa_finding_expected(list, 3), in.expected);
    assert_null(vipa_finding_actual(list, 3));
    /* every text reads back as given, in the list and in a copy of it */
    const char *want[4][2] = {{"1250.00", "1000.00"}, {"50.00", ""}, {"1250.00", "1250.00"},
                              {"1250.00 and more than the arguments hold", NULL}};
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(vipa__findings_copy(to, list, i, 2018, VIPA__MSG_Z_VERBATIM, "re-check: "),
                         VIPA_OK);
        for (const vipa_findings *f = list; f; f = f == list ? to : NULL) {
            assert_string_equal(vipa_finding_expected(f, i), want[i][0]);
            if (want[i][1])
                assert_string_equal(vipa_finding_actual(f, i), want[i][1]);
            else
                assert_null(vipa_finding_actual(f, i));
        }
    }
    expect_message(list, 0, "linkage 2: 1250.00 due, 1000.00 paid (OBLIGATIONS_PAID, 四(四))");
    expect_message(to, 0, "re-check: linkage 2: 1250.00 due, 1000.00 paid "
                          "(OBLIGATIONS_PAID, 四(四))");
    /* the copy's texts lie within its own arguments: after copy 0's 17 bytes of
     * arguments comes its prefix, so expected and actual point into the 17 */
    assert_int_equal(to->items[0].expected, 1);
    assert_int_equal(to->items[0].actual, 9);
    vipa_findings_free(to);
    vipa_findings_free(list);
}

/* A finding's `added` index (what the year run's failed rows name it by) is 32 bits: a
 * list refuses its 2^32-th finding, nothing added; below that it takes them. The count
 * is set by hand, as 2^32 findings would be 160 GB. */
static void a_list_refuses_findings_past_32_bit_indexes(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc);
    assert_non_null(list);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "first"), VIPA_OK);
    assert_int_equal(list->items[0].added, 0);
    size_t text = list->text.length;
    list->count = UINT32_MAX;
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%s", "one too many"),
                     VIPA_E_LIMIT);
    vipa_findings *other = vipa__findings_new(&alloc);
    assert_non_null(other);
    assert_int_equal(vipa__findings_add_format(other, &a_finding, "elsewhere"), VIPA_OK);
    assert_int_equal(vipa__findings_copy(list, other, 0, 2018, VIPA__MSG_Z_VERBATIM, "x: "),
                     VIPA_E_LIMIT);
    /* A list is never copied into itself (its texts could move under the copy), nor
     * from past its end: refused, nothing added. */
    assert_int_equal(vipa__findings_copy(list, list, 0, 2018, VIPA__MSG_Z_VERBATIM, "x: "),
                     VIPA_E_INVALID);
    assert_int_equal(vipa__findings_copy(other, list, UINT32_MAX, 2018, VIPA__MSG_Z_VERBATIM,
                                         "x: "),
                     VIPA_E_INVALID);
    vipa_findings_free(other);
    assert_int_equal(list->count, UINT32_MAX);
    assert_int_equal(list->text.length, text);
    list->count = 1;
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "second"), VIPA_OK);
    assert_int_equal(list->items[1].added, 1);
    vipa_findings_free(list);
}

/* A copy reuses the prefix of the copy just before only when it is the same, told from
 * its message and arguments byte for byte (issue #16): arguments of the same length that
 * differ, a prefix met before but not last, and a copy whose finding has its own prefix
 * each get a prefix of their own, and every message reads as written. */
static void copies_reuse_only_the_same_prefix(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *from = vipa__findings_new(&alloc), *to = vipa__findings_new(&alloc),
                  *prefixed = vipa__findings_new(&alloc);
    assert_true(from && to && prefixed);
    assert_int_equal(vipa__findings_add_format(from, &a_finding, "%s", "one"), VIPA_OK);
    assert_int_equal(vipa__findings_add_format(from, &a_finding, "%s", "two"), VIPA_OK);
    assert_int_equal(vipa__findings_copy(prefixed, from, 0, 2018, VIPA__MSG_Z_VERBATIM, "x: "),
                     VIPA_OK);
    static const struct { int prefixed; size_t i; const char *prefix; } copies[] = {
        {0, 0, "x: "}, {0, 1, "x: "}, {0, 0, "y: "}, {0, 1, "x: "}, {1, 0, "x: "}, {1, 0, "x: "}};
    for (size_t k = 0; k < 6; k++)
        assert_int_equal(vipa__findings_copy(to, copies[k].prefixed ? prefixed : from, copies[k].i,
                                             2018, VIPA__MSG_Z_VERBATIM, copies[k].prefix),
                         VIPA_OK);
    const finding_rec *c = to->items;
    assert_int_equal(c[1].prefix, c[0].prefix);   /* x: after x: */
    assert_int_not_equal(c[2].prefix, c[1].prefix); /* y: after x: */
    assert_int_not_equal(c[3].prefix, c[2].prefix); /* x: after y: */
    assert_int_not_equal(c[3].prefix, c[0].prefix); /* met before, not last */
    assert_int_not_equal(c[4].prefix, c[3].prefix); /* its finding has "x: " already */
    assert_int_equal(c[5].prefix, c[4].prefix);   /* "x: x: " after "x: x: " */
    const char *want[] = {"x: one", "x: two", "y: one", "x: two", "x: x: one", "x: x: one"};
    for (size_t k = 0; k < 6; k++) {
        char text[64];
        snprintf(text, sizeof text, "%s (OBLIGATIONS_PAID, 四(四))", want[k]);
        expect_message(to, k, text);
    }
    vipa_findings_free(to);
    vipa_findings_free(prefixed);
    vipa_findings_free(from);
}

/* Findings that tie on rule, subject and year are ordered by their messages, whatever
 * their formats, copies and order of adding. */
static void ties_are_broken_by_the_message(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *from = vipa__findings_new(&alloc), *list = vipa__findings_new(&alloc);
    assert_true(from && list);
    assert_int_equal(vipa__findings_add_format(from, &a_finding, "%s", "b copied"), VIPA_OK);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "household %d", 12), VIPA_OK);
    assert_int_equal(vipa__findings_copy(list, from, 0, 2017, VIPA__MSG_Z_VERBATIM, "a: "), VIPA_OK);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "household %d", 2), VIPA_OK);
    assert_int_equal(vipa__findings_copy(list, from, 0, 2017, VIPA__MSG_Z_VERBATIM, "c: "), VIPA_OK);
    assert_int_equal(vipa__findings_add_format(list, &a_finding, "%s%c", "b", 'x'), VIPA_OK);
    /* one prefix starting the other: the messages decide */
    assert_int_equal(vipa__findings_copy(list, from, 0, 2017, VIPA__MSG_Z_VERBATIM, "pb"), VIPA_OK);
    assert_int_equal(vipa__findings_copy(list, from, 0, 2017, VIPA__MSG_Z_VERBATIM, "p"), VIPA_OK);
    assert_int_equal(vipa__findings_copy(list, from, 0, 2017, VIPA__MSG_Z_VERBATIM, "pbb"), VIPA_OK);
    const char *before = vipa_finding_message(list, 0); /* read, then forgotten by the sort */
    assert_string_equal(before, "household 12 (OBLIGATIONS_PAID, 四(四))");
    vipa__findings_sort(list);
    const char *order[] = {"a: b copied", "bx", "c: b copied", "household 12", "household 2",
                           "pb copied", "pbb copied", "pbbb copied"};
    assert_int_equal(vipa_findings_count(list), 8);
    for (size_t i = 0; i < 8; i++) {
        char want[128];
        snprintf(want, sizeof want, "%s (OBLIGATIONS_PAID, 四(四))", order[i]);
        expect_message(list, i, want);
    }
    vipa_findings_free(list);
    vipa_findings_free(from);
}

/* ---- many readers ------------------------------------------------------------------------ */

enum { READERS = 8, SHARED = 3000 };

typedef struct message_reader {
    const vipa_findings *list;
    pthread_barrier_t *start;
    size_t first; /* where this reader starts, so that readers meet on every message */
    const char *seen[SHARED];
} message_reader;

static void *read_messages(void *arg)
{
    message_reader *r = arg;
    pthread_barrier_wait(r->start);
    for (size_t k = 0; k < SHARED; k++) {
        size_t i = (r->first + k) % SHARED;
        r->seen[i] = vipa_finding_message(r->list, i);
    }
    return NULL;
}

/* Threads asking for the messages of one list at once, none asked before: each message
 * is made once for all of them, the same pointer and the same text for every reader. */
static void threads_reading_one_list_get_one_message_each(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *list = vipa__findings_new(&alloc);
    assert_non_null(list);
    for (int i = 0; i < SHARED; i++)
        assert_int_equal(vipa__findings_add_format(list, &a_finding, "household %d of %s", i,
                                            i % 2 ? "城关街道" : "杏树园村"), VIPA_OK);
    pthread_barrier_t start;
    assert_int_equal(pthread_barrier_init(&start, NULL, READERS), 0);
    static message_reader readers[READERS];
    pthread_t threads[READERS];
    for (int t = 0; t < READERS; t++) {
        readers[t].list = list;
        readers[t].start = &start;
        readers[t].first = (size_t)(t % 2) * SHARED / 2; /* two groups race on each message */
        assert_int_equal(pthread_create(&threads[t], NULL, read_messages, &readers[t]), 0);
    }
    for (int t = 0; t < READERS; t++)
        assert_int_equal(pthread_join(threads[t], NULL), 0);
    pthread_barrier_destroy(&start);
    for (size_t i = 0; i < SHARED; i++) {
        char want[128];
        snprintf(want, sizeof want, "household %zu of %s (OBLIGATIONS_PAID, 四(四))", i,
                 i % 2 ? "城关街道" : "杏树园村");
        assert_string_equal(readers[0].seen[i], want);
        for (int t = 1; t < READERS; t++)
            assert_ptr_equal(readers[t].seen[i], readers[0].seen[i]);
        assert_ptr_equal(vipa_finding_message(list, i), readers[0].seen[i]);
    }
    vipa_findings_free(list);
}

/* ---- out of memory ----------------------------------------------------------------------- */

/* Every allocation of adding, copying and reading failing in turn: VIPA_E_NOMEM and the
 * list as it was (or "" for a message), never a crash, nothing leaked. */
static void a_failing_allocator_fails_cleanly(void **state)
{
    (void)state;
    vipa__allocator plenty = vipa__alloc_default();
    vipa_findings *from = vipa__findings_new(&plenty);
    assert_non_null(from);
    vipa__finding_in in = a_finding;
    in.expected = "1250.00";
    assert_int_equal(vipa__findings_add_format(from, &in, "%s due", "1250.00"), VIPA_OK);
    int completed = 0;
    for (long k = 0; !completed && k < 10000; k++) {
        test_allocator c = {k, 0};
        vipa_ctx_options o = test_allocator_options(&c);
        vipa__allocator alloc = {o.malloc_fn, o.realloc_fn, o.free_fn, o.allocator_opaque};
        vipa_findings *list = vipa__findings_new(&alloc);
        int rc = list ? VIPA_OK : VIPA_E_NOMEM;
        for (int i = 0; i < 40 && rc == VIPA_OK; i++) {
            size_t count = vipa_findings_count(list);
            rc = i % 3 ? vipa__findings_add_format(list, &in, "linkage %d of %s", i, "示例合作社")
                       : vipa__findings_copy(list, from, 0, 2018, VIPA__MSG_Z_VERBATIM, i < 20 ? "a: " : "b: ");
            assert_int_equal(vipa_findings_count(list), count + (rc == VIPA_OK));
            if (rc != VIPA_OK)
                assert_int_equal(rc, VIPA_E_NOMEM);
        }
        if (rc == VIPA_OK) {
            vipa__findings_sort(list);
            completed = 1;
            for (size_t i = 0; i < 40; i++) {
                const char *m = vipa_finding_message(list, i);
                char want[VIPA_FINDING_MESSAGE_SIZE];
                assert_int_equal(vipa_finding_message_format(want, sizeof want, list, i), VIPA_OK);
                if (*m)
                    assert_string_equal(m, want);
                completed &= *m != '\0';
            }
        }
        vipa_findings_free(list);
        if (c.live != 0)
            fail_msg("allocation %ld failing leaked %ld blocks", k + 1, c.live);
    }
    assert_true(completed);
    vipa_findings_free(from);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(short_lists_sort_like_the_reference),
        cmocka_unit_test(long_lists_sort_like_the_reference),
        cmocka_unit_test(list_sorts_the_same_when_memory_runs_out),
        cmocka_unit_test(every_conversion_replays_as_vsnprintf_writes_it),
        cmocka_unit_test(unknown_conversions_are_refused),
        cmocka_unit_test(long_texts_are_cut_at_a_whole_character),
        cmocka_unit_test(copies_keep_their_prefix),
        cmocka_unit_test(copies_reuse_only_the_same_prefix),
        cmocka_unit_test(expected_and_actual_share_the_captured_arguments),
        cmocka_unit_test(a_list_refuses_findings_past_32_bit_indexes),
        cmocka_unit_test(ties_are_broken_by_the_message),
        cmocka_unit_test(threads_reading_one_list_get_one_message_each),
        cmocka_unit_test(a_failing_allocator_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
