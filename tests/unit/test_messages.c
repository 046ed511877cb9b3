/* The message catalogue (lib/messages.c): every Chinese template takes the English one's
 * arguments; every finding and explanation step of the scenarios and the sample comes out
 * in Chinese with no English word left; a few Chinese sentences worked out by hand. */
#define _GNU_SOURCE
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "findings_internal.h"
#include "messages_internal.h"
#include "vipa.h"

#define NAME_(id, en, zh) [VIPA__MSG_##id] = #id,
static const char *const names[] = {VIPA_MESSAGES(NAME_)};
#undef NAME_

/* The English signature with the stars left out: what a positional template names. */
static void without_stars(char *out, const char *signature)
{
    for (; *signature; signature++)
        if (*signature != '*')
            *out++ = *signature;
    *out = '\0';
}

static void every_pair_takes_the_same_arguments(void **state)
{
    (void)state;
    for (int id = 0; id < VIPA__MSG_COUNT; id++) {
        const char *en = vipa__msg_template((vipa__msg)id, VIPA__LANG_EN);
        const char *zh = vipa__msg_template((vipa__msg)id, VIPA__LANG_ZH);
        char se[256], sz[256], bare[256];
        if (vipa__msg_signature(se, sizeof se, en) != 0)
            fail_msg("%s: the English template is malformed", names[id]);
        if (vipa__msg_signature(sz, sizeof sz, zh) != 0)
            fail_msg("%s: the Chinese template is malformed or leaves a position out", names[id]);
        without_stars(bare, se);
        int positional = strchr(zh, '$') != NULL;
        if (strchr(en, '$'))
            fail_msg("%s: the English template is positional", names[id]);
        if (strcmp(positional ? bare : se, sz) != 0)
            fail_msg("%s: English takes (%s), Chinese (%s)", names[id], se, sz);
        /* a term is a word or fragment: no argument, so it is written as it stands */
        if (names[id][0] == 'T' && (strchr(en, '%') || strchr(zh, '%')))
            fail_msg("%s: a term takes no argument", names[id]);
    }
}

/* The signature reader itself, on templates whose answer is known. */
static void signatures_are_read_as_printf_reads_them(void **state)
{
    (void)state;
    char s[64];
    assert_int_equal(vipa__msg_signature(s, sizeof s, "a %d %s %.*s %012llu %zu %p %%"), 0);
    assert_string_equal(s, "i s *s uq uz p");
    assert_int_equal(vipa__msg_signature(s, sizeof s, "%2$s then %1$llu and %2$s"), 0);
    assert_string_equal(s, "uq s");
    assert_int_equal(vipa__msg_signature(s, sizeof s, "%1$d %s"), -1);       /* mixed */
    assert_int_equal(vipa__msg_signature(s, sizeof s, "%1$d %3$d"), -1);     /* a gap */
    assert_int_equal(vipa__msg_signature(s, sizeof s, "%1$d %1$s"), -1);     /* two types */
    assert_int_equal(vipa__msg_signature(s, sizeof s, "%1$.*s"), -1);        /* a star */
    assert_int_equal(vipa__msg_signature(s, sizeof s, "%f"), -1);
    assert_int_equal(vipa__msg_signature(s, sizeof s, "%5p"), -1);
    assert_int_equal(vipa__msg_signature(s, sizeof s, NULL), -1);
    assert_string_equal(s, "");
}

/* The contract's words a step quotes as a failed check's expected and actual values (the
 * report's values, kept as they are in every language): filing and signer levels, outcomes. */
static int is_value_word(const char *p, size_t n)
{
    static const char *const words[] = {"county", "town", "village", "not_provided",
                                        "compliant", "rectification", "restored", "terminated"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && strncmp(p, words[i], n) == 0)
            return 1;
    return 0;
}

/* A run of three or more ASCII letters that is not a rule ID (capitals and '_'), nor the
 * parameter name poverty_line that a step cites, nor a value word after 应为/实为, nor
 * inside “quotes” (the records' own industries): an English word left in Chinese. */
static const char *english_word(const char *text)
{
    for (const char *p = text; *p;) {
        if (strncmp(p, "“", strlen("“")) == 0 && strstr(p, "”")) { /* a record's own text */
            p = strstr(p, "”") + strlen("”");
            continue;
        }
        const char *q = p;
        int lower = 0;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || *q == '_') {
            lower |= *q >= 'a' && *q <= 'z';
            q++;
        }
        if (q - p >= 3 && lower && !(q - p == 12 && strncmp(p, "poverty_line", 12) == 0) &&
            !is_value_word(p, (size_t)(q - p)))
            return p;
        p = q > p ? q : p + 1;
    }
    return NULL;
}

static void expect_chinese(const char *what, const char *text)
{
    const char *word = english_word(text);
    if (word)
        fail_msg("%s has English left at \"%.40s\": %s", what, word, text);
}

static int checked_findings, checked_steps;

static void explain_all(const vipa_result *r, const char *file)
{
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        int year = vipa_result_year(r, y);
        for (vipa_id id = 1; id < 3000; id++) {
            for (int agreement = 0; agreement < 2; agreement++) {
                vipa_explanation *x = NULL;
                int rc = agreement ? (id < 100 ? vipa_explain_agreement(&x, r, id, year)
                                               : VIPA_E_NOT_FOUND)
                                   : vipa_explain_household(&x, r, id, year);
                if (rc != VIPA_OK)
                    continue;
                char what[300];
                snprintf(what, sizeof what, "%s: explanation of %llu in %d", file,
                         (unsigned long long)id, year);
                expect_chinese(what, vipa_explanation_text_lang(x, "zh"));
                for (size_t i = 0; i < vipa_explanation_step_count(x); i++) {
                    const char *zh = vipa_explanation_step_text(x, i, "zh");
                    assert_non_null(zh);
                    expect_chinese(what, zh);
                    checked_steps++;
                    /* English is the text the step has always had */
                    vipa_step_kind kind;
                    vipa_rule rule;
                    vipa_fen amount;
                    vipa_date date;
                    const char *en;
                    assert_int_equal(vipa_explanation_step(&kind, &rule, &amount, &date, &en, x, i),
                                     VIPA_OK);
                    assert_string_equal(vipa_explanation_step_text(x, i, "en"), en);
                    assert_string_equal(vipa_explanation_step_text(x, i, NULL), en);
                }
                assert_string_equal(vipa_explanation_text_lang(x, "en"), vipa_explanation_text(x));
                vipa_explanation_free(x);
            }
        }
    }
}

/* Loads and runs one file; 0 when it is not a scenario that runs (a bad_ one). */
static int check_file(const char *path, const char *file)
{
    vipa_ctx *ctx = NULL;
    vipa_result *r = NULL;
    const char *err = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    if (vipa_scenario_load_file(ctx, path, &err) != VIPA_OK || vipa_run(&r, ctx, NULL) != VIPA_OK) {
        vipa_ctx_free(ctx);
        return 0;
    }
    const vipa_findings *f = vipa_result_findings(r);
    for (size_t i = 0; i < vipa_findings_count(f); i++) {
        char zh[VIPA_FINDING_MESSAGE_SIZE], en[VIPA_FINDING_MESSAGE_SIZE], what[300];
        assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, f, i, "zh"), VIPA_OK);
        assert_int_equal(vipa_finding_message_format_lang(en, sizeof en, f, i, "en"), VIPA_OK);
        assert_string_equal(en, vipa_finding_message(f, i));
        snprintf(what, sizeof what, "%s: finding %zu", file, i);
        expect_chinese(what, zh);
        checked_findings++;
    }
    explain_all(r, file);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
    return 1;
}

static void every_finding_and_step_comes_out_in_chinese(void **state)
{
    (void)state;
    const char *dir = VIPA_SOURCE_ROOT "/tests/scenarios";
    DIR *d = opendir(dir);
    assert_non_null(d);
    int files = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t n = strlen(e->d_name);
        if (n < 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        files += check_file(path, e->d_name);
    }
    closedir(d);
    files += check_file(VIPA_SOURCE_ROOT "/examples/shangluo-sample.json", "sample");
    assert_true(files > 20);
    /* every kind of message is exercised somewhere: the counts are not trivial */
    assert_true(checked_findings > 200);
    assert_true(checked_steps > 1000);
}

/* Finding i of the sample whose English message starts with `start`. */
static size_t find_message(const vipa_findings *f, const char *start)
{
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        if (strncmp(vipa_finding_message(f, i), start, strlen(start)) == 0)
            return i;
    fail_msg("no finding starts with %s", start);
    return 0;
}

/* Sentences worked out by hand from the sample: linkage 227 (wage of household 1005)
 * was due 900.00 for 2016 and paid 600.00 (its payments in the file); agreement 6 is
 * signed by the town 611002107000 where its span is one village 611002107291. */
static void chinese_sentences_by_hand(void **state)
{
    (void)state;
    vipa_ctx *ctx = NULL;
    vipa_result *r = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    assert_int_equal(vipa_scenario_load_file(ctx, VIPA_SOURCE_ROOT "/examples/shangluo-sample.json",
                                             NULL), VIPA_OK);
    assert_int_equal(vipa_run(&r, ctx, NULL), VIPA_OK);
    const vipa_findings *f = vipa_result_findings(r);
    char zh[VIPA_FINDING_MESSAGE_SIZE];
    size_t i = find_message(f, "linkage 227 (wage) of household 1005");
    assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, f, i, "zh"), VIPA_OK);
    assert_string_equal(zh, "贫困户 1005 的利益联结 227（务工工资）：2016 年应付 900.00 元，实付 "
                            "600.00 元（OBLIGATIONS_PAID，四(四)）");
    i = find_message(f, "agreement 6 is signed by town");
    assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, f, i, "zh"), VIPA_OK);
    assert_string_equal(zh, "协议 6 由镇政府（611002107000）签订，但按其经营主体核心村和所包扶"
                            "贫困户所在村的范围，应由村委会（611002107291）签订（SIGNER_LEVEL，四(二)）");
    /* a copy: the evaluation's prefix in Chinese too */
    i = find_message(f, "re-check of 2017 on 2018-04-30, agreement 3: linkage 72");
    assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, f, i, "zh"), VIPA_OK);
    assert_string_equal(zh, "2018-04-30 对协议 3 的 2017 年度复核：贫困户 1306 的利益联结 72（务工工资）"
                            "：2017 年应付 4300.00 元，截至 2018-04-30 实付 0.00 元"
                            "（OBLIGATIONS_PAID，四(四)）");
    /* errors: an unknown language, a buffer too small, NULL */
    assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, f, i, "fr"), VIPA_E_INVALID);
    assert_string_equal(zh, "");
    assert_int_equal(vipa_finding_message_format_lang(zh, 10, f, i, "zh"), VIPA_E_RANGE);
    assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, f, 1u << 30, "zh"),
                     VIPA_E_RANGE);
    assert_int_equal(vipa_finding_message_format_lang(NULL, 0, f, i, "zh"), VIPA_E_INVALID);
    assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, NULL, 0, "zh"), VIPA_E_INVALID);
    /* an explanation's step in Chinese; the languages an explanation refuses */
    vipa_explanation *x = NULL;
    assert_int_equal(vipa_explain_agreement(&x, r, 1, 2017), VIPA_OK);
    assert_string_equal(vipa_explanation_step_text(x, 1, "zh"),
                        "贫困户 1001 的利益联结 1：2017 年应付 5100.00 元，截至 2018-01-31 实付 "
                        "5100.00 元：通过（OBLIGATIONS_PAID，四(四)）");
    assert_null(vipa_explanation_step_text(x, 1, "ZH"));
    assert_null(vipa_explanation_step_text(x, vipa_explanation_step_count(x), "zh"));
    assert_null(vipa_explanation_step_text(NULL, 0, "zh"));
    assert_null(vipa_explanation_text_lang(x, "de"));
    assert_string_equal(vipa_explanation_text_lang(NULL, "zh"), "");
    assert_int_equal(strncmp(vipa_explanation_text_lang(x, "zh"), "协议 1，2017 年\n", 20), 0);
    vipa_explanation_free(x);
    vipa_result_free(r);
    vipa_ctx_free(ctx);
}

/* A copy of a copy carries both prefixes in Chinese, outermost first; the English is as
 * before. */
static void copies_of_copies_keep_both_prefixes(void **state)
{
    (void)state;
    vipa__allocator alloc = vipa__alloc_default();
    vipa_findings *a = vipa__findings_new(&alloc), *b = vipa__findings_new(&alloc),
                  *c = vipa__findings_new(&alloc);
    assert_true(a && b && c);
    vipa__finding_in in = {VIPA_RULE_OBLIGATIONS_PAID, VIPA_SEVERITY_NONE, VIPA_SUBJECT_AGREEMENT,
                           9, 2017, NULL, NULL};
    assert_int_equal(VIPA__FINDING(a, &in, F_PROMISED, 9ULL, (size_t)3, (size_t)2, 2017), VIPA_OK);
    assert_int_equal(VIPA__FINDING_COPY(b, a, 0, 2017, P_EVALUATION, 2017, "2018-01-31", 9ULL),
                     VIPA_OK);
    assert_int_equal(VIPA__FINDING_COPY(c, b, 0, 2017, P_RECHECK, 2017, "2018-04-30", 9ULL), VIPA_OK);
    char zh[VIPA_FINDING_MESSAGE_SIZE];
    assert_string_equal(vipa_finding_message(c, 0),
                        "re-check of 2017 on 2018-04-30, agreement 9: evaluation of 2017 on "
                        "2018-01-31, agreement 9: agreement 9 promised to drive 3 households; 2 "
                        "were linked to the entity in 2017 (OBLIGATIONS_PAID, 四(四))");
    assert_int_equal(vipa_finding_message_format_lang(zh, sizeof zh, c, 0, "zh"), VIPA_OK);
    assert_string_equal(zh, "2018-04-30 对协议 9 的 2017 年度复核：2018-01-31 对协议 9 的 2017 年度绩效"
                            "评估：协议 9 承诺带动贫困户 3 户；2017 年与经营主体建立利益联结的为 2 户"
                            "（OBLIGATIONS_PAID，四(四)）");
    vipa_findings_free(a);
    vipa_findings_free(b);
    vipa_findings_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_pair_takes_the_same_arguments),
        cmocka_unit_test(signatures_are_read_as_printf_reads_them),
        cmocka_unit_test(every_finding_and_step_comes_out_in_chinese),
        cmocka_unit_test(chinese_sentences_by_hand),
        cmocka_unit_test(copies_of_copies_keep_both_prefixes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
