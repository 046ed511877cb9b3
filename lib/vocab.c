/*
 * The vocabulary's tables (see vocab_internal.h): one per enumeration, built from its
 * list and checked against the public headers at compile time, line by line.
 */
#include <string.h>

#include "vocab_internal.h"

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A table entry: an enumeration's word at its enumerator, a flag's at its bit's number. */
#define VALUES_ENTRY(name, code, word) [name] = (word),
#define BITS_ENTRY(name, code, word) [code] = (word),

/* Every line pinned: the enumerator has the value, or is the bit, that its line says. */
#define VALUES_PIN(name, code, word)                                                         \
    _Static_assert((name) == (code),                                                         \
                   #name " is " #code ": the value its word \"" word "\" stands for");
#define BITS_PIN(name, code, word)                                                           \
    _Static_assert((name) == 1u << (code),                                                   \
                   #name " is bit " #code ": the bit its word \"" word "\" stands for");

/* The table `id`'s words, its lines pinned, and its codes without a gap from `first`
 * (a word left out, or a code given twice, makes the count differ). */
#define TABLE(id, name, list, first, kind)                                                   \
    static const char *const id##_words[] = {list(kind##_ENTRY)};                            \
    list(kind##_PIN)                                                                         \
    _Static_assert(COUNT_OF(id##_words) == (first) + VIPA_WORD_COUNT(list),                  \
                   name ": codes from " #first " without a gap");

VIPA_VOCABULARIES(TABLE)

/* A set of flags has a word for every bit of its _ALL, and no more. */
_Static_assert(VIPA_SELECT_ALL == (1u << COUNT_OF(VIPA_VOCAB_SELECTION_words)) - 1,
               "a word for every selection criterion");
_Static_assert(VIPA_ASSURED_ITEMS_ALL == (1u << COUNT_OF(VIPA_VOCAB_ASSURED_words)) - 1,
               "a word for every guarantee");
_Static_assert(VIPA_FILED_ALL == (1u << COUNT_OF(VIPA_VOCAB_FILED_words)) - 1,
               "a word for every filing level");

typedef struct vocabulary {
    const char *name;
    const char *const *words;
    int end;  /* the table's length: one past the highest code */
    int bits; /* codes are bit numbers */
} vocabulary;

#define IS_BITS_VALUES 0
#define IS_BITS_BITS 1
#define DESCRIBE(id, name, list, first, kind)                                                \
    [id] = {name, id##_words, (int)COUNT_OF(id##_words), IS_BITS_##kind},

static const vocabulary vocabularies[] = {VIPA_VOCABULARIES(DESCRIBE)};
_Static_assert(COUNT_OF(vocabularies) == VIPA_VOCAB_COUNT, "a table for every vocabulary");

static const vocabulary *find(vipa__vocab vocab)
{
    /* Any int may come in an enum: compare as unsigned so a negative one is refused. */
    return (unsigned)vocab < VIPA_VOCAB_COUNT ? &vocabularies[vocab] : NULL;
}

const char *vipa__word(vipa__vocab vocab, int code)
{
    const vocabulary *v = find(vocab);
    return v && code >= 0 && code < v->end ? v->words[code] : NULL;
}

int vipa__word_code(vipa__vocab vocab, const char *word)
{
    const vocabulary *v = find(vocab);
    if (!v || !word)
        return -1;
    for (int code = 0; code < v->end; code++)
        if (v->words[code] && strcmp(v->words[code], word) == 0)
            return code;
    return -1;
}

int vipa__vocab_end(vipa__vocab vocab)
{
    const vocabulary *v = find(vocab);
    return v ? v->end : 0;
}

int vipa__vocab_is_bits(vipa__vocab vocab)
{
    const vocabulary *v = find(vocab);
    return v ? v->bits : 0;
}

const char *vipa__vocab_name(vipa__vocab vocab)
{
    const vocabulary *v = find(vocab);
    return v ? v->name : NULL;
}
