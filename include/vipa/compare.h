/**
 * @file vipa/compare.h
 * @brief What if the rule changed: the same records run under two profiles, and every
 *        row of the report that differs between the two runs (since 0.4).
 *
 * A reform is a set of parameter changes. The records stay the same, so the reform is
 * made on a fork of the context (vipa_ctx_fork()): a context that reads its parent's
 * records in place and has a profile of its own, changed with vipa_param_set_int() and
 * the other setters, or from a reform file (vipa_reform_load()). vipa_compare() runs
 * both and pairs the rows of every table of the report by their key; a comparison lists
 * the pairs whose rows differ, in the key's order, and keeps both results so that each
 * side's rows, figures and explanations are read with the accessors of run.h.
 *
 * A comparison of a context with itself, or with a fork of it whose parameters are the
 * same, has no change. Swapping the two sides gives the same pairs, each the other way
 * round.
 */
#ifndef VIPA_COMPARE_H
#define VIPA_COMPARE_H

#include "common.h"
#include "registry.h"
#include "run.h"
#include "scenario.h"

VIPA_BEGIN_DECL

/** @brief A comparison of two runs. Created by vipa_compare(), freed by
 *  vipa_comparison_free(). Never changed once made: any number of threads may read it. */
typedef struct vipa_comparison vipa_comparison;

/** @brief The tables of the report a comparison pairs rows of (docs/scenario.md, "The
 *  report"); the name of each is vipa_table_name(). Values never change. */
typedef enum vipa_table {
    VIPA_TABLE_NONE = 0,              /**< No table (an invalid value). */
    VIPA_TABLE_SIGNERS = 1,           /**< `signers`: by agreement. */
    VIPA_TABLE_ALLOCATIONS = 2,       /**< `allocations`: by injection, then holder. */
    VIPA_TABLE_HOUSEHOLDS = 3,        /**< `households`: the exit year, by household. */
    VIPA_TABLE_ENTITIES = 4,          /**< `entities`: status and favoured years, by entity. */
    VIPA_TABLE_DISCLOSURE = 5,        /**< `disclosure`: by entity. */
    VIPA_TABLE_YEAR_HOUSEHOLDS = 6,   /**< `years[].households`: income, line, standard. */
    VIPA_TABLE_YEAR_DIVIDENDS = 7,    /**< `years[].dividends`: due and paid, by entity, household. */
    VIPA_TABLE_YEAR_OBLIGATIONS = 8,  /**< `years[].obligations`: due and paid, by linkage. */
    VIPA_TABLE_YEAR_COVERAGE = 9,     /**< `years[].coverage`: by core village. */
    VIPA_TABLE_YEAR_EVALUATIONS = 10, /**< `years[].evaluations`: outcome and failed checks, by agreement, date. */
    VIPA_TABLE_FINDINGS = 11,         /**< `findings`: a finding present in one run only. */
    VIPA_TABLE_MAX_ENUM = 0x7fffffff  /**< Not a value: keeps the type 32 bits wide in every ABI. */
} vipa_table;

/** @brief Number of tables this header describes (the highest #vipa_table value). */
#define VIPA_TABLE_COUNT 11

/** @brief The index of a row absent from one side of a change. */
#define VIPA_NO_ROW ((size_t)-1)

/**
 * @brief A table's name as the comparison JSON spells it: "signers", "allocations",
 *        "households", "entities", "disclosure", "year_households", "year_dividends",
 *        "year_obligations", "year_coverage", "year_evaluations", "findings".
 * @param[in] table A table.
 * @return A static string; NULL for a value that is no table.
 */
VIPA_API const char *vipa_table_name(vipa_table table);

/**
 * @brief Runs @p baseline and @p reform, and pairs the rows of every table of their
 *        results by key: a comparison.
 *
 * The two contexts are usually a context and a fork of it; any two are accepted (rows
 * pair by their ids, so two versions of a data set compare too). The runs are those of
 * vipa_run() with @p options (its progress reports the baseline's phases, then the
 * reform's); each context keeps its own error.
 * @param[out] out Receives the comparison, freed with vipa_comparison_free(); NULL on
 *             failure.
 * @param[in,out] baseline The context run first; it reports the failure of either run
 *                (the reform's prefixed "reform: ").
 * @param[in,out] reform The context run second; may be @p baseline itself.
 * @param[in] options As for vipa_run(); NULL for the defaults.
 * @return #VIPA_OK; any code vipa_run() returns for either run; #VIPA_E_INVALID for NULL
 *         arguments; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_compare(vipa_comparison **out, vipa_ctx *baseline, vipa_ctx *reform,
                          const vipa_run_options *options);

/**
 * @brief Frees a comparison and both of its results. NULL is a no-op.
 * @param[in] comparison The comparison; invalid after the call.
 */
VIPA_API void vipa_comparison_free(vipa_comparison *comparison);

/**
 * @brief One of the two results, read with the accessors of run.h.
 * @param[in] comparison The comparison.
 * @param[in] side 0 for the baseline, 1 for the reform.
 * @return The result, owned by the comparison; NULL for a NULL comparison or another side.
 */
VIPA_API const vipa_result *vipa_comparison_result(const vipa_comparison *comparison, int side);

/**
 * @brief How many rows of a table differ between the two runs.
 * @param[in] comparison The comparison.
 * @param[in] table The table.
 * @return The count; 0 for NULL or a value that is no table.
 */
VIPA_API size_t vipa_comparison_change_count(const vipa_comparison *comparison, vipa_table table);

/** @brief Version of #vipa_change this header describes. */
#define VIPA_CHANGE_VERSION 1

/**
 * @brief One row that differs: where it is in each result. A row present in one run only
 *        (an allocation to a holder the other run does not have, a finding that appears)
 *        has #VIPA_NO_ROW on the other side.
 */
typedef struct vipa_change {
    /** The version of the struct the caller has (#VIPA_CHANGE_VERSION). */
    unsigned int version;
    /** The year of a `year_*` table's row; 0 for the other tables. */
    int year;
    /** The index of the year in each result (vipa_result_year()): [0] the baseline's,
     *  [1] the reform's; #VIPA_NO_ROW for the tables without years. */
    size_t year_index[2];
    /** The row's index in each result's table: for `findings`, the finding's index in
     *  vipa_result_findings(); #VIPA_NO_ROW on the side without the row. */
    size_t row[2];
} vipa_change;

/** @brief Initialiser for #vipa_change. */
#define VIPA_CHANGE_INIT { VIPA_CHANGE_VERSION, 0, { VIPA_NO_ROW, VIPA_NO_ROW }, \
                           { VIPA_NO_ROW, VIPA_NO_ROW } }

/**
 * @brief Reads the i-th change of a table, in the table's key order (for year tables,
 *        by year, then key).
 * @param[out] change Receives the change; its version set by the caller (1).
 * @param[in] comparison The comparison.
 * @param[in] table The table.
 * @param[in] i 0 .. vipa_comparison_change_count() − 1.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a value that is no table;
 *         #VIPA_E_VERSION for a struct version 0 or newer than the library's;
 *         #VIPA_E_RANGE for @p i out of range.
 */
VIPA_API int vipa_comparison_change(vipa_change *change, const vipa_comparison *comparison,
                                    vipa_table table, size_t i);

/** @brief For vipa_comparison_write() and vipa_comparison_json(): leave every list of
 *  changes empty, so the text holds the parameters and totals only (a summary as small
 *  as the number of years, whatever the number of changes; read the changes one at a
 *  time with vipa_comparison_change_json()). */
#define VIPA_COMPARISON_SUMMARY 2u

/**
 * @brief Writes a comparison as comparison JSON (docs/scenario.md, "The comparison"),
 *        through a function, as vipa_report_write() writes a report: totals first, then
 *        every change with the row of each side as the report writes it (null on the
 *        side without it). The same comparison always gives the same bytes.
 * @param[in] comparison The comparison.
 * @param[in] flags #VIPA_REPORT_PRETTY, #VIPA_COMPARISON_SUMMARY, both or 0.
 * @param[in] write The function given the text.
 * @param[in] opaque Passed to @p write as it is.
 * @return As vipa_report_write().
 */
VIPA_API int vipa_comparison_write(const vipa_comparison *comparison, unsigned int flags,
                                   vipa_write_fn write, void *opaque);

/**
 * @brief The comparison JSON as one text (vipa_comparison_write()).
 * @param[out] json Receives the NUL-terminated text, freed with vipa_free(); NULL on failure.
 * @param[out] length If not NULL, receives its length in bytes.
 * @param[in] comparison The comparison.
 * @param[in] flags #VIPA_REPORT_PRETTY, #VIPA_COMPARISON_SUMMARY, both or 0.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or unknown flag bits; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_comparison_json(char **json, size_t *length, const vipa_comparison *comparison,
                                  unsigned int flags);

/**
 * @brief One change as the comparison JSON writes it, on one line: the pair
 *        `[baseline row, reform row]`, each row as the report writes it, `null` on the
 *        side without it. What a program that shows a province's changes reads one at a
 *        time, beside the summary (#VIPA_COMPARISON_SUMMARY).
 * @param[out] json Receives the NUL-terminated text, freed with vipa_free(); NULL on failure.
 * @param[out] length If not NULL, receives its length in bytes.
 * @param[in] comparison The comparison.
 * @param[in] table The table.
 * @param[in] i 0 .. vipa_comparison_change_count() − 1.
 * @param[in] flags 0 (no flag is defined yet).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, a value that is no table or a
 *         flag; #VIPA_E_RANGE for @p i out of range; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_comparison_change_json(char **json, size_t *length,
                                         const vipa_comparison *comparison, vipa_table table,
                                         size_t i, unsigned int flags);

VIPA_END_DECL

#endif /* VIPA_COMPARE_H */
