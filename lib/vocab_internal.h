/*
 * The vocabulary: the words a scenario file and a report spell the library's
 * enumerations with ("county", "land_rent", "per_household", "compliant", ...), one
 * table per enumeration, and the only copy of them in the library.
 *
 * docs/scenario.md is the contract these words come from ("The scenario", "The
 * report"): the loader (scenario_load.c) reads them, the exporter (scenario_export.c)
 * and the report (scenario_report.c) write them, the stamp hashes the profile's
 * (run_stamp.c), the checks quote them in findings, and the public *_name() functions
 * (vipa_area_level_name(), vipa_outcome_name(), ...) return them; the `vipa` command
 * (tools/, public API only) takes them from those functions, except the linkage kinds,
 * which have none and which tools/expect.c repeats. The Python bindings spell their
 * enumerations the same way (bindings/python/vipa/enums.py): their test
 * bindings/python/tests/test_vocab.py compiles vocab.c and checks every word.
 *
 * Each list below is X(enumerator, code, word), one line per word:
 *   - an enumeration is listed by value: code is the enumerator's value, and its table
 *     is indexed by it ([VIPA_CAUSE_ILLNESS] = "illness"); a value with no word (the
 *     NONE of an enumeration, VIPA_SIGNER_UNRECORDED, VIPA_LINKAGE_DIVIDEND, which no
 *     scenario or report spells) is a hole or lies beyond the table;
 *   - a set of flags (selection criteria, guarantees, filing levels) is listed by bit:
 *     code is the bit's number (VIPA_ASSURED_WATER is 1 << 4: code 4), so its words
 *     come in the order of the bits, which is the order the exporter writes them in.
 * vocab.c checks every line at compile time (the enumerator has that value or bit) and
 * every table (no gap in the codes, no code twice, a set of flags as wide as its _ALL),
 * so an enumerator renumbered, a line left out or a code given twice fails to compile;
 * a value added to an enumeration without its word fails the bindings' test. A word is
 * spelt as its enumerator's name ends (VIPA_CAUSE_LACK_OF_LAND: "lack_of_land"), which
 * the unit test `vocab` checks line by line: a word moved to another line fails it.
 *
 * Texts that are not contract words stay where they are said: a message's "land rent",
 * the C API's "unrecorded" and "none" of vipa_signer_level_name() and
 * vipa_area_level_name(), the parameter types of registry.c's messages.
 */
#ifndef VIPA_VOCAB_INTERNAL_H
#define VIPA_VOCAB_INTERNAL_H

#include "vipa/agreement.h"
#include "vipa/area.h"
#include "vipa/findings.h"
#include "vipa/ledger.h"
#include "vipa/registry.h"
#include "vipa/rules.h"
#include "vipa/run.h"

/* ---- the profile's enumerations (internal: the C API speaks of them as words) ------ */

/* `equity.allocation` is stored as the public vipa_allocation (per household or per
 * member), the value an injection that names no allocation takes. */

/* `equity.remainder_holder`: who holds the rest of an injection. */
typedef enum vipa__remainder_holder {
    VIPA__REMAINDER_VILLAGE_COLLECTIVE = 0,
    VIPA__REMAINDER_ENTITY = 1
} vipa__remainder_holder;

/* ---- the words, by enumeration: X(enumerator, code, word) ----------------------------- */

/* areas[].level */
#define VIPA_AREA_LEVEL_WORDS(X)                                                             \
    X(VIPA_AREA_COUNTY, 1, "county")                                                         \
    X(VIPA_AREA_TOWN, 2, "town")                                                             \
    X(VIPA_AREA_VILLAGE, 3, "village")

/* agreements[].signer.level, and the signers of the report */
#define VIPA_SIGNER_LEVEL_WORDS(X)                                                           \
    X(VIPA_SIGNER_VILLAGE, 1, "village")                                                     \
    X(VIPA_SIGNER_TOWN, 2, "town")                                                           \
    X(VIPA_SIGNER_COUNTY, 3, "county")                                                       \
    X(VIPA_SIGNER_NOT_PROVIDED, 4, "not_provided")

/* entities[].kind */
#define VIPA_ENTITY_KIND_WORDS(X)                                                            \
    X(VIPA_ENTITY_ENTERPRISE, 1, "enterprise")                                               \
    X(VIPA_ENTITY_PARK, 2, "park")                                                           \
    X(VIPA_ENTITY_COOPERATIVE, 3, "cooperative")                                             \
    X(VIPA_ENTITY_FAMILY_FARM, 4, "family_farm")                                             \
    X(VIPA_ENTITY_LARGE_GROWER, 5, "large_grower")

/* entities[].selection: the keys of the criteria of 三(二), by bit */
#define VIPA_SELECTION_WORDS(X)                                                              \
    X(VIPA_SELECT_WELL_MANAGED, 0, "well_managed")                                           \
    X(VIPA_SELECT_PROFITABLE, 1, "profitable")                                               \
    X(VIPA_SELECT_FINANCIALLY_STRONG, 2, "financially_strong")                               \
    X(VIPA_SELECT_SOCIALLY_RESPONSIBLE, 3, "socially_responsible")                           \
    X(VIPA_SELECT_TRUSTWORTHY, 4, "trustworthy")                                             \
    X(VIPA_SELECT_WIDE_COVERAGE, 5, "wide_coverage")                                         \
    X(VIPA_SELECT_SUSTAINABLE, 6, "sustainable")                                             \
    X(VIPA_SELECT_WILLING, 7, "willing")

/* households[].cause: the codes 01-11 of 建档立卡, in that order */
#define VIPA_CAUSE_WORDS(X)                                                                  \
    X(VIPA_CAUSE_ILLNESS, 1, "illness")                                                      \
    X(VIPA_CAUSE_DISABILITY, 2, "disability")                                                \
    X(VIPA_CAUSE_SCHOOLING, 3, "schooling")                                                  \
    X(VIPA_CAUSE_DISASTER, 4, "disaster")                                                    \
    X(VIPA_CAUSE_LACK_OF_LAND, 5, "lack_of_land")                                            \
    X(VIPA_CAUSE_LACK_OF_WATER, 6, "lack_of_water")                                          \
    X(VIPA_CAUSE_LACK_OF_SKILLS, 7, "lack_of_skills")                                        \
    X(VIPA_CAUSE_LACK_OF_LABOUR, 8, "lack_of_labour")                                        \
    X(VIPA_CAUSE_LACK_OF_CAPITAL, 9, "lack_of_capital")                                      \
    X(VIPA_CAUSE_POOR_TRANSPORT, 10, "poor_transport")                                       \
    X(VIPA_CAUSE_LACK_OF_DRIVE, 11, "lack_of_drive")

/* households[].assured.<year>: the guarantees, by bit */
#define VIPA_ASSURED_WORDS(X)                                                                \
    X(VIPA_ASSURED_FOOD_CLOTHING, 0, "food_clothing")                                        \
    X(VIPA_ASSURED_EDUCATION, 1, "education")                                                \
    X(VIPA_ASSURED_MEDICAL, 2, "medical")                                                    \
    X(VIPA_ASSURED_HOUSING, 3, "housing")                                                    \
    X(VIPA_ASSURED_WATER, 4, "water")

/* plans[].filed: the filing levels of 四(三), by bit, in the order it names them */
#define VIPA_FILED_WORDS(X)                                                                  \
    X(VIPA_FILED_COUNTY, 0, "county")                                                        \
    X(VIPA_FILED_TOWN, 1, "town")                                                            \
    X(VIPA_FILED_VILLAGE, 2, "village")

/* linkages[].kind, and the obligations of the report (a dividend is no linkage kind a
 * scenario gives: shares link a household by themselves) */
#define VIPA_LINKAGE_KIND_WORDS(X)                                                           \
    X(VIPA_LINKAGE_WAGE, 1, "wage")                                                          \
    X(VIPA_LINKAGE_LAND_RENT, 2, "land_rent")                                                \
    X(VIPA_LINKAGE_PARTICIPATION, 3, "participation")

/* injections[].allocation (absent: VIPA_ALLOCATION_PROFILE, the profile's) */
#define VIPA_ALLOCATION_WORDS(X)                                                             \
    X(VIPA_ALLOCATION_PER_HOUSEHOLD, 1, "per_household")                                     \
    X(VIPA_ALLOCATION_PER_MEMBER, 2, "per_member")                                           \
    X(VIPA_ALLOCATION_WEIGHTS, 3, "weights")

/* contributions[].kind */
#define VIPA_CONTRIBUTION_KIND_WORDS(X)                                                      \
    X(VIPA_CONTRIBUTION_LAND, 1, "land")                                                     \
    X(VIPA_CONTRIBUTION_TECHNOLOGY, 2, "technology")                                         \
    X(VIPA_CONTRIBUTION_RESOURCES, 3, "resources")                                           \
    X(VIPA_CONTRIBUTION_HOUSING, 4, "housing")                                               \
    X(VIPA_CONTRIBUTION_LABOUR, 5, "labour")                                                 \
    X(VIPA_CONTRIBUTION_CASH, 6, "cash")

/* the key of a holder object: transfers[].from and .to, the allocations of the report */
#define VIPA_HOLDER_KIND_WORDS(X)                                                            \
    X(VIPA_HOLDER_HOUSEHOLD, 1, "household")                                                 \
    X(VIPA_HOLDER_COLLECTIVE, 2, "collective")                                               \
    X(VIPA_HOLDER_ENTITY, 3, "entity")

/* profile.params."equity.allocation" */
#define VIPA_PROFILE_ALLOCATION_WORDS(X)                                                     \
    X(VIPA_ALLOCATION_PER_HOUSEHOLD, 1, "per_household")                                     \
    X(VIPA_ALLOCATION_PER_MEMBER, 2, "per_member")

/* profile.params."equity.remainder_holder" */
#define VIPA_REMAINDER_HOLDER_WORDS(X)                                                       \
    X(VIPA__REMAINDER_VILLAGE_COLLECTIVE, 0, "village_collective")                            \
    X(VIPA__REMAINDER_ENTITY, 1, "entity")

/* the report: years[].evaluations[].outcome */
#define VIPA_OUTCOME_WORDS(X)                                                                \
    X(VIPA_OUTCOME_COMPLIANT, 1, "compliant")                                                \
    X(VIPA_OUTCOME_RECTIFICATION, 2, "rectification")                                        \
    X(VIPA_OUTCOME_RESTORED, 3, "restored")                                                  \
    X(VIPA_OUTCOME_TERMINATED, 4, "terminated")

/* the report: entities[].status */
#define VIPA_ENTITY_STATUS_WORDS(X)                                                          \
    X(VIPA_ENTITY_STATUS_ACTIVE, 1, "active")                                                       \
    X(VIPA_ENTITY_STATUS_DISQUALIFIED, 2, "disqualified")

/* the report: the key of a finding's subject object */
#define VIPA_SUBJECT_KIND_WORDS(X)                                                           \
    X(VIPA_SUBJECT_HOUSEHOLD, 1, "household")                                                \
    X(VIPA_SUBJECT_AGREEMENT, 2, "agreement")                                                \
    X(VIPA_SUBJECT_LINKAGE, 3, "linkage")                                                    \
    X(VIPA_SUBJECT_INJECTION, 4, "injection")                                                \
    X(VIPA_SUBJECT_ENTITY, 5, "entity")                                                      \
    X(VIPA_SUBJECT_VILLAGE, 6, "village")                                                    \
    X(VIPA_SUBJECT_TOWN, 7, "town")

/* the report: findings[].severity */
#define VIPA_SEVERITY_WORDS(X)                                                               \
    X(VIPA_SEVERITY_NOTICE, 1, "notice")                                                     \
    X(VIPA_SEVERITY_WARNING, 2, "warning")                                                   \
    X(VIPA_SEVERITY_ERROR, 3, "error")

/* ---- the vocabularies ------------------------------------------------------------------ */

/* V(id, name, list, first, kind): the vocabulary `id`, called `name` in tests, whose
 * words are `list`, with codes from `first` (0 is no value in most enumerations) with no
 * gap; kind VALUES for an enumeration, BITS for a set of flags. */
#define VIPA_VOCABULARIES(V)                                                                 \
    V(VIPA_VOCAB_AREA_LEVEL, "area_level", VIPA_AREA_LEVEL_WORDS, 1, VALUES)                 \
    V(VIPA_VOCAB_SIGNER_LEVEL, "signer_level", VIPA_SIGNER_LEVEL_WORDS, 1, VALUES)           \
    V(VIPA_VOCAB_ENTITY_KIND, "entity_kind", VIPA_ENTITY_KIND_WORDS, 1, VALUES)              \
    V(VIPA_VOCAB_SELECTION, "selection", VIPA_SELECTION_WORDS, 0, BITS)                      \
    V(VIPA_VOCAB_CAUSE, "cause", VIPA_CAUSE_WORDS, 1, VALUES)                                \
    V(VIPA_VOCAB_ASSURED, "assured", VIPA_ASSURED_WORDS, 0, BITS)                            \
    V(VIPA_VOCAB_FILED, "filed", VIPA_FILED_WORDS, 0, BITS)                                  \
    V(VIPA_VOCAB_LINKAGE_KIND, "linkage_kind", VIPA_LINKAGE_KIND_WORDS, 1, VALUES)           \
    V(VIPA_VOCAB_ALLOCATION, "allocation", VIPA_ALLOCATION_WORDS, 1, VALUES)                 \
    V(VIPA_VOCAB_CONTRIBUTION_KIND, "contribution_kind", VIPA_CONTRIBUTION_KIND_WORDS, 1,    \
      VALUES)                                                                                \
    V(VIPA_VOCAB_HOLDER_KIND, "holder_kind", VIPA_HOLDER_KIND_WORDS, 1, VALUES)              \
    V(VIPA_VOCAB_PROFILE_ALLOCATION, "profile_allocation", VIPA_PROFILE_ALLOCATION_WORDS, 1, \
      VALUES)                                                                                \
    V(VIPA_VOCAB_REMAINDER_HOLDER, "remainder_holder", VIPA_REMAINDER_HOLDER_WORDS, 0,       \
      VALUES)                                                                                \
    V(VIPA_VOCAB_OUTCOME, "outcome", VIPA_OUTCOME_WORDS, 1, VALUES)                          \
    V(VIPA_VOCAB_ENTITY_STATUS, "entity_status", VIPA_ENTITY_STATUS_WORDS, 1, VALUES)        \
    V(VIPA_VOCAB_SUBJECT_KIND, "subject_kind", VIPA_SUBJECT_KIND_WORDS, 1, VALUES)           \
    V(VIPA_VOCAB_SEVERITY, "severity", VIPA_SEVERITY_WORDS, 1, VALUES)

/* The number of words of a list, a constant: VIPA_WORD_COUNT(VIPA_SELECTION_WORDS) is 8. */
#define VIPA_WORD_COUNT(list) (0 list(VIPA_VOCAB_ONE_))
#define VIPA_VOCAB_ONE_(name, code, word) +1

#define VIPA_VOCAB_ID_(id, name, list, first, kind) id,
typedef enum vipa__vocab { VIPA_VOCABULARIES(VIPA_VOCAB_ID_) VIPA_VOCAB_COUNT } vipa__vocab;
#undef VIPA_VOCAB_ID_

/* The word of `code` (a value, or a bit's number in a set of flags) in `vocab`; NULL
 * for a code outside the table or a value that has no word, and for an unknown vocab. */
const char *vipa__word(vipa__vocab vocab, int code);

/* The code of `word` in `vocab`, matched exactly (case included); -1 if it is none of
 * its words or either argument is unknown. */
int vipa__word_code(vipa__vocab vocab, const char *word);

/* One past the highest code of `vocab` (0 for an unknown one): its words are those of
 * the codes below it, holes left out. For a set of flags, the number of flags. */
int vipa__vocab_end(vipa__vocab vocab);

/* Whether the codes of `vocab` are bit numbers (a set of flags) rather than values. */
int vipa__vocab_is_bits(vipa__vocab vocab);

/* The vocabulary's name ("cause"), for tests and the bindings' probe; NULL if unknown. */
const char *vipa__vocab_name(vipa__vocab vocab);

#endif
