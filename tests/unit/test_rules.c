/* Tests of include/vipa/rules.h. The expected catalogue is copied from the rule table
 * of docs/policy.md (the contract), not from the library. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa/error.h"
#include "vipa/rules.h"

static const struct {
    vipa_rule rule;
    const char *id;
    const char *clause;
    vipa_severity severity;
} expected[] = {
    {VIPA_RULE_COVERAGE_CORE_VILLAGE, "COVERAGE_CORE_VILLAGE", "一; 二(三)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, "ONE_TOWN_ONE_INDUSTRY", "二(二)", VIPA_SEVERITY_WARNING},
    {VIPA_RULE_ENTITY_SELECTION, "ENTITY_SELECTION", "三(二)", VIPA_SEVERITY_WARNING},
    {VIPA_RULE_LINKAGE_UNDER_AGREEMENT, "LINKAGE_UNDER_AGREEMENT", "二(五); 四(二)",
     VIPA_SEVERITY_ERROR},
    {VIPA_RULE_EQUITY_POOR_SHARE, "EQUITY_POOR_SHARE", "三(二)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_SIGNER_LEVEL, "SIGNER_LEVEL", "四(二)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_AGREEMENT_CONTENT, "AGREEMENT_CONTENT", "四(二)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_PLAN_PER_HOUSEHOLD, "PLAN_PER_HOUSEHOLD", "四(三)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_PLAN_INCOME_INDUSTRY, "PLAN_INCOME_INDUSTRY", "四(三)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_PLAN_FILED_3_LEVELS, "PLAN_FILED_3_LEVELS", "四(三)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_DIVIDEND_PAID_AS_AGREED, "DIVIDEND_PAID_AS_AGREED", "二(三)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_OBLIGATIONS_PAID, "OBLIGATIONS_PAID", "四(四)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_EXIT_BY_DEADLINE, "EXIT_BY_DEADLINE", "四(二); 四(三)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_EVALUATION_OUTCOME, "EVALUATION_OUTCOME", "四(五)", VIPA_SEVERITY_NOTICE},
    {VIPA_RULE_DISQUALIFIED_NO_SUPPORT, "DISQUALIFIED_NO_SUPPORT", "四(五)", VIPA_SEVERITY_ERROR},
    {VIPA_RULE_DISCLOSURE, "DISCLOSURE", "五(五)", VIPA_SEVERITY_NOTICE},
    /* Appended in 0.2 (issue #14): the plan's annual income tasks, checked by the
     * evaluation of their year. */
    {VIPA_RULE_PLAN_TASKS_MET, "PLAN_TASKS_MET", "四(三); 四(五)", VIPA_SEVERITY_ERROR},
};
enum { EXPECTED_COUNT = sizeof expected / sizeof expected[0] };

/* Values that are no rule: below, at and beyond the ends of the enum. */
static const int not_rules[] = {0, -1, VIPA_RULE_COUNT + 1, 1000, INT32_MIN};

static void catalogue_has_seventeen_rules_in_order(void **state)
{
    (void)state;
    /* docs/policy.md: "The catalogue has 17 rules"; PLAN_TASKS_MET was appended as 17. */
    assert_int_equal(VIPA_RULE_COUNT, 17);
    assert_int_equal(EXPECTED_COUNT, VIPA_RULE_COUNT);
    assert_int_equal(VIPA_RULE_PLAN_TASKS_MET, 17);
    /* docs/policy.md lists them in enum order. */
    for (int i = 0; i < EXPECTED_COUNT; i++)
        assert_int_equal(expected[i].rule, i + 1);
}

/* vipa_rule_count(): the catalogue of the library loaded at run time, 17 in 0.2; every
 * value 1..count is a rule, count + 1 is none. */
static void rule_count_at_run_time(void **state)
{
    (void)state;
    assert_int_equal(vipa_rule_count(), 17);
    assert_int_equal(vipa_rule_count(), VIPA_RULE_COUNT);
    for (int r = 1; r <= vipa_rule_count(); r++)
        assert_non_null(vipa_rule_id((vipa_rule)r));
    assert_null(vipa_rule_id((vipa_rule)(vipa_rule_count() + 1)));
    /* The rule appended last, as the catalogue of docs/policy.md gives it. */
    assert_string_equal(vipa_rule_id(VIPA_RULE_PLAN_TASKS_MET), "PLAN_TASKS_MET");
    assert_string_equal(vipa_rule_clause(VIPA_RULE_PLAN_TASKS_MET), "四(三); 四(五)");
    assert_int_equal(vipa_rule_severity(VIPA_RULE_PLAN_TASKS_MET), VIPA_SEVERITY_ERROR);
    vipa_rule r = VIPA_RULE_NONE;
    assert_int_equal(vipa_rule_from_id(&r, "PLAN_TASKS_MET"), VIPA_OK);
    assert_int_equal(r, VIPA_RULE_PLAN_TASKS_MET);
}

static void ids_clauses_and_severities_match_the_policy(void **state)
{
    (void)state;
    for (int i = 0; i < EXPECTED_COUNT; i++) {
        vipa_rule r = expected[i].rule;
        assert_non_null(vipa_rule_id(r));
        assert_string_equal(vipa_rule_id(r), expected[i].id);
        assert_non_null(vipa_rule_clause(r));
        assert_string_equal(vipa_rule_clause(r), expected[i].clause);
        assert_int_equal(vipa_rule_severity(r), expected[i].severity);
    }
    /* The four that are not errors, named once more as the catalogue gives them. */
    assert_int_equal(vipa_rule_severity(VIPA_RULE_ONE_TOWN_ONE_INDUSTRY), VIPA_SEVERITY_WARNING);
    assert_int_equal(vipa_rule_severity(VIPA_RULE_ENTITY_SELECTION), VIPA_SEVERITY_WARNING);
    assert_int_equal(vipa_rule_severity(VIPA_RULE_EVALUATION_OUTCOME), VIPA_SEVERITY_NOTICE);
    assert_int_equal(vipa_rule_severity(VIPA_RULE_DISCLOSURE), VIPA_SEVERITY_NOTICE);
    /* The clause of a two-clause rule is one string, "; "-separated, ASCII parentheses:
     * 四 is E5 9B 9B, 二 E4 BA 8C, 三 E4 B8 89 in UTF-8. */
    assert_memory_equal(vipa_rule_clause(VIPA_RULE_EXIT_BY_DEADLINE),
                        "\xe5\x9b\x9b(\xe4\xba\x8c); \xe5\x9b\x9b(\xe4\xb8\x89)", 18);
}

static void every_id_round_trips(void **state)
{
    (void)state;
    for (int i = 0; i < EXPECTED_COUNT; i++) {
        vipa_rule r = VIPA_RULE_NONE;
        assert_int_equal(vipa_rule_from_id(&r, expected[i].id), VIPA_OK);
        assert_int_equal(r, expected[i].rule);
        /* And through the library's own spelling. */
        r = VIPA_RULE_NONE;
        assert_int_equal(vipa_rule_from_id(&r, vipa_rule_id(expected[i].rule)), VIPA_OK);
        assert_int_equal(r, expected[i].rule);
    }
}

static void from_id_refuses_unknown_ids(void **state)
{
    (void)state;
    static const char *const unknown[] = {
        "", "NOPE", "signer_level" /* IDs are exact: no case folding */, "Signer_Level",
        "SIGNER_LEVEL " /* trailing space */, " SIGNER_LEVEL", "SIGNER", "SIGNER_LEVELS",
        "VIPA_RULE_SIGNER_LEVEL", "NONE",
    };
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        vipa_rule r = VIPA_RULE_DISCLOSURE;
        assert_int_equal(vipa_rule_from_id(&r, unknown[i]), VIPA_E_NOT_FOUND);
        assert_int_equal(r, VIPA_RULE_DISCLOSURE);
    }
    vipa_rule r = VIPA_RULE_DISCLOSURE;
    assert_int_equal(vipa_rule_from_id(&r, NULL), VIPA_E_INVALID);
    assert_int_equal(vipa_rule_from_id(NULL, "SIGNER_LEVEL"), VIPA_E_INVALID);
    assert_int_equal(r, VIPA_RULE_DISCLOSURE);
}

/* True when every byte is printable ASCII. */
static int is_printable_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

/* True when some byte is above ASCII (Chinese text in UTF-8) and none is a control. */
static int has_non_ascii_and_no_control(const char *s)
{
    int high = 0;
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20)
            return 0;
        high |= (unsigned char)*s >= 0x80;
    }
    return high;
}

static void summaries_exist_in_both_languages(void **state)
{
    (void)state;
    for (int i = 0; i < EXPECTED_COUNT; i++) {
        vipa_rule r = expected[i].rule;
        const char *en = vipa_rule_summary(r, "en");
        const char *zh = vipa_rule_summary(r, "zh");
        assert_non_null(en);
        assert_non_null(zh);
        /* NULL means English. */
        assert_ptr_equal(vipa_rule_summary(r, NULL), en);
        /* One line each, English in ASCII, Chinese with CJK characters. */
        assert_true(strlen(en) > 20);
        assert_true(strlen(zh) > 20);
        assert_true(is_printable_ascii(en));
        assert_true(has_non_ascii_and_no_control(zh));
        /* No two rules share a summary. */
        for (int j = 0; j < i; j++) {
            assert_string_not_equal(en, vipa_rule_summary(expected[j].rule, "en"));
            assert_string_not_equal(zh, vipa_rule_summary(expected[j].rule, "zh"));
        }
    }
    /* Spot checks against the plan's words: 70% in 三(二), 三级 filing in 四(三). */
    assert_non_null(strstr(vipa_rule_summary(VIPA_RULE_EQUITY_POOR_SHARE, "zh"), "70%"));
    assert_non_null(strstr(vipa_rule_summary(VIPA_RULE_EQUITY_POOR_SHARE, "en"), "70%"));
    assert_non_null(strstr(vipa_rule_summary(VIPA_RULE_PLAN_FILED_3_LEVELS, "zh"), "三级"));
    assert_non_null(strstr(vipa_rule_summary(VIPA_RULE_SIGNER_LEVEL, "zh"), "村委会"));
}

static void summary_refuses_other_languages(void **state)
{
    (void)state;
    static const char *const langs[] = {"", "EN", "ZH", "fr", "zh-CN", "zh_CN", "en-US",
                                        "english", "e", "zhx"};
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
        assert_null(vipa_rule_summary(VIPA_RULE_SIGNER_LEVEL, langs[i]));
}

static void values_that_are_no_rule_give_nothing(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof not_rules / sizeof not_rules[0]; i++) {
        vipa_rule r = (vipa_rule)not_rules[i];
        assert_null(vipa_rule_id(r));
        assert_null(vipa_rule_clause(r));
        assert_int_equal(vipa_rule_severity(r), VIPA_SEVERITY_NONE);
        assert_null(vipa_rule_summary(r, "en"));
        assert_null(vipa_rule_summary(r, "zh"));
        assert_null(vipa_rule_summary(r, NULL));
        assert_null(vipa_rule_summary(r, "fr"));
    }
}

static void severity_names(void **state)
{
    (void)state;
    assert_string_equal(vipa_severity_name(VIPA_SEVERITY_NOTICE), "notice");
    assert_string_equal(vipa_severity_name(VIPA_SEVERITY_WARNING), "warning");
    assert_string_equal(vipa_severity_name(VIPA_SEVERITY_ERROR), "error");
    assert_null(vipa_severity_name(VIPA_SEVERITY_NONE));
    assert_null(vipa_severity_name((vipa_severity)4));
    assert_null(vipa_severity_name((vipa_severity)-1));
    /* Every rule's severity has a name. */
    for (int i = 0; i < EXPECTED_COUNT; i++)
        assert_non_null(vipa_severity_name(vipa_rule_severity(expected[i].rule)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(catalogue_has_seventeen_rules_in_order),
        cmocka_unit_test(rule_count_at_run_time),
        cmocka_unit_test(ids_clauses_and_severities_match_the_policy),
        cmocka_unit_test(every_id_round_trips),
        cmocka_unit_test(from_id_refuses_unknown_ids),
        cmocka_unit_test(summaries_exist_in_both_languages),
        cmocka_unit_test(summary_refuses_other_languages),
        cmocka_unit_test(values_that_are_no_rule_give_nothing),
        cmocka_unit_test(severity_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
