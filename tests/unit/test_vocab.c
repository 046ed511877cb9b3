/* Tests of lib/vocab.c: the vocabulary of the scenario and report contract
 * (docs/scenario.md), and the public *_name() functions that return its words. */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vipa.h"
#include "vocab_internal.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Every line of every list, with its enumerator's name as the compiler spells it. */
typedef struct line {
    const char *enumerator;
    int code;
    const char *word;
} line;

#define LINE(name, code, word) {#name, code, word},
#define LINES(id, name, list, first, kind) static const line id##_lines[] = {list(LINE)};
VIPA_VOCABULARIES(LINES)

typedef struct listed {
    vipa__vocab vocab;
    const char *name;
    const line *lines;
    size_t count;
    int first;
} listed;

#define LISTED(id, name, list, first, kind) {id, name, id##_lines, COUNT_OF(id##_lines), first},
static const listed lists[] = {VIPA_VOCABULARIES(LISTED)};

/* "VIPA_CAUSE_LACK_OF_LAND" ends in "_LACK_OF_LAND", the word in capitals. */
static int name_ends_in_word(const char *enumerator, const char *word)
{
    size_t n = strlen(enumerator), w = strlen(word);
    if (w + 1 > n || enumerator[n - w - 1] != '_')
        return 0;
    for (size_t i = 0; i < w; i++)
        if (enumerator[n - w + i] != toupper((unsigned char)word[i]))
            return 0;
    return 1;
}

static void every_word_is_spelt_as_its_enumerator_ends(void **state)
{
    (void)state;
    for (size_t v = 0; v < COUNT_OF(lists); v++)
        for (size_t i = 0; i < lists[v].count; i++) {
            const line *l = &lists[v].lines[i];
            if (!name_ends_in_word(l->enumerator, l->word))
                fail_msg("%s: %s has the word \"%s\"", lists[v].name, l->enumerator, l->word);
        }
}

static void every_line_is_in_its_table_both_ways(void **state)
{
    (void)state;
    assert_int_equal(COUNT_OF(lists), VIPA_VOCAB_COUNT);
    for (size_t v = 0; v < COUNT_OF(lists); v++) {
        const listed *x = &lists[v];
        assert_int_equal(x->vocab, (vipa__vocab)v);
        assert_string_equal(vipa__vocab_name(x->vocab), x->name);
        assert_int_equal(vipa__vocab_end(x->vocab), x->first + (int)x->count);
        for (size_t i = 0; i < x->count; i++) {
            assert_string_equal(vipa__word(x->vocab, x->lines[i].code), x->lines[i].word);
            assert_int_equal(vipa__word_code(x->vocab, x->lines[i].word), x->lines[i].code);
        }
        for (int code = 0; code < x->first; code++)
            assert_null(vipa__word(x->vocab, code));
    }
}

static void codes_and_words_outside_give_nothing(void **state)
{
    (void)state;
    for (int v = 0; v < VIPA_VOCAB_COUNT; v++) {
        assert_null(vipa__word((vipa__vocab)v, -1));
        assert_null(vipa__word((vipa__vocab)v, vipa__vocab_end((vipa__vocab)v)));
        assert_int_equal(vipa__word_code((vipa__vocab)v, NULL), -1);
        assert_int_equal(vipa__word_code((vipa__vocab)v, ""), -1);
    }
    assert_null(vipa__word(VIPA_VOCAB_AREA_LEVEL, VIPA_AREA_NONE));
    assert_null(vipa__word(VIPA_VOCAB_SIGNER_LEVEL, VIPA_SIGNER_UNRECORDED));
    assert_null(vipa__word(VIPA_VOCAB_LINKAGE_KIND, VIPA_LINKAGE_DIVIDEND));
    assert_null(vipa__word(VIPA_VOCAB_ALLOCATION, VIPA_ALLOCATION_PROFILE));
    assert_null(vipa__word(VIPA_VOCAB_COUNT, 1));
    assert_null(vipa__word((vipa__vocab)-1, 1));
    assert_null(vipa__vocab_name(VIPA_VOCAB_COUNT));
    assert_int_equal(vipa__vocab_end(VIPA_VOCAB_COUNT), 0);
    assert_int_equal(vipa__word_code(VIPA_VOCAB_COUNT, "county"), -1);
    /* Exact: the contract's words are lower case, and "dividend" is no linkage kind. */
    assert_int_equal(vipa__word_code(VIPA_VOCAB_AREA_LEVEL, "County"), -1);
    assert_int_equal(vipa__word_code(VIPA_VOCAB_LINKAGE_KIND, "dividend"), -1);
    assert_int_equal(vipa__word_code(VIPA_VOCAB_CAUSE, "lack_of_land"), VIPA_CAUSE_LACK_OF_LAND);
}

static void sets_of_flags_are_listed_by_bit(void **state)
{
    (void)state;
    assert_true(vipa__vocab_is_bits(VIPA_VOCAB_SELECTION));
    assert_true(vipa__vocab_is_bits(VIPA_VOCAB_ASSURED));
    assert_true(vipa__vocab_is_bits(VIPA_VOCAB_FILED));
    assert_false(vipa__vocab_is_bits(VIPA_VOCAB_CAUSE));
    assert_false(vipa__vocab_is_bits(VIPA_VOCAB_COUNT));
    assert_int_equal(vipa__vocab_end(VIPA_VOCAB_SELECTION), 8);
    assert_int_equal(1u << vipa__word_code(VIPA_VOCAB_ASSURED, "water"), VIPA_ASSURED_WATER);
    assert_string_equal(vipa__word(VIPA_VOCAB_FILED, 0), "county"); /* 县区 first (四(三)) */
}

/* The public names are the vocabulary's words, the very same strings. */
static void public_names_are_the_vocabulary(void **state)
{
    (void)state;
    for (int v = VIPA_AREA_COUNTY; v <= VIPA_AREA_VILLAGE; v++)
        assert_ptr_equal(vipa_area_level_name((vipa_area_level)v),
                         vipa__word(VIPA_VOCAB_AREA_LEVEL, v));
    for (int v = VIPA_SIGNER_VILLAGE; v <= VIPA_SIGNER_NOT_PROVIDED; v++)
        assert_ptr_equal(vipa_signer_level_name((vipa_signer_level)v),
                         vipa__word(VIPA_VOCAB_SIGNER_LEVEL, v));
    for (int v = VIPA_OUTCOME_COMPLIANT; v <= VIPA_OUTCOME_TERMINATED; v++)
        assert_ptr_equal(vipa_outcome_name((vipa_outcome)v), vipa__word(VIPA_VOCAB_OUTCOME, v));
    for (int v = VIPA_ENTITY_STATUS_ACTIVE; v <= VIPA_ENTITY_STATUS_DISQUALIFIED; v++)
        assert_ptr_equal(vipa_entity_status_name((vipa_entity_status)v),
                         vipa__word(VIPA_VOCAB_ENTITY_STATUS, v));
    for (int v = VIPA_SUBJECT_HOUSEHOLD; v <= VIPA_SUBJECT_TOWN; v++)
        assert_ptr_equal(vipa_subject_kind_name((vipa_subject_kind)v),
                         vipa__word(VIPA_VOCAB_SUBJECT_KIND, v));
    for (int v = VIPA_SEVERITY_NOTICE; v <= VIPA_SEVERITY_ERROR; v++)
        assert_ptr_equal(vipa_severity_name((vipa_severity)v), vipa__word(VIPA_VOCAB_SEVERITY, v));
    for (int v = VIPA_LINKAGE_WAGE; v <= VIPA_LINKAGE_PARTICIPATION; v++)
        assert_ptr_equal(vipa_linkage_kind_name((vipa_linkage_kind)v),
                         vipa__word(VIPA_VOCAB_LINKAGE_KIND, v));
    for (int v = VIPA_HOLDER_HOUSEHOLD; v <= VIPA_HOLDER_ENTITY; v++)
        assert_ptr_equal(vipa_holder_kind_name((vipa_holder_kind)v),
                         vipa__word(VIPA_VOCAB_HOLDER_KIND, v));
    /* As docs/scenario.md spells them (a second source beside the vocabulary). */
    assert_string_equal(vipa_linkage_kind_name(VIPA_LINKAGE_LAND_RENT), "land_rent");
    assert_string_equal(vipa_holder_kind_name(VIPA_HOLDER_COLLECTIVE), "collective");
}

/* What the public names give where the contract has no word, as they always have. */
static void public_names_outside_the_vocabulary(void **state)
{
    (void)state;
    assert_string_equal(vipa_area_level_name(VIPA_AREA_NONE), "none");
    assert_string_equal(vipa_area_level_name((vipa_area_level)4), "unknown");
    assert_string_equal(vipa_area_level_name((vipa_area_level)-1), "unknown");
    assert_string_equal(vipa_signer_level_name(VIPA_SIGNER_UNRECORDED), "unrecorded");
    assert_string_equal(vipa_signer_level_name((vipa_signer_level)5), "unknown");
    assert_string_equal(vipa_signer_level_name(VIPA_SIGNER_MAX_ENUM), "unknown");
    assert_null(vipa_outcome_name(VIPA_OUTCOME_NONE));
    assert_null(vipa_outcome_name((vipa_outcome)5));
    assert_null(vipa_entity_status_name(VIPA_ENTITY_STATUS_NONE));
    assert_null(vipa_entity_status_name((vipa_entity_status)3));
    assert_null(vipa_subject_kind_name(VIPA_SUBJECT_NONE));
    assert_null(vipa_subject_kind_name((vipa_subject_kind)8));
    assert_null(vipa_severity_name(VIPA_SEVERITY_NONE));
    assert_null(vipa_severity_name((vipa_severity)-1));
    assert_null(vipa_severity_name(VIPA_SEVERITY_MAX_ENUM));
    assert_null(vipa_linkage_kind_name(VIPA_LINKAGE_NONE));
    assert_null(vipa_linkage_kind_name(VIPA_LINKAGE_DIVIDEND)); /* never a linkage record */
    assert_null(vipa_linkage_kind_name((vipa_linkage_kind)-1));
    assert_null(vipa_holder_kind_name(VIPA_HOLDER_NONE));
    assert_null(vipa_holder_kind_name(VIPA_HOLDER_MAX_ENUM));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_word_is_spelt_as_its_enumerator_ends),
        cmocka_unit_test(every_line_is_in_its_table_both_ways),
        cmocka_unit_test(codes_and_words_outside_give_nothing),
        cmocka_unit_test(sets_of_flags_are_listed_by_bit),
        cmocka_unit_test(public_names_are_the_vocabulary),
        cmocka_unit_test(public_names_outside_the_vocabulary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
