/**
 * @file vipa/scenario.h
 * @brief Scenario JSON in, report JSON out: the contract other programs and test suites
 *        read (docs/scenario.md, the scenario and the report).
 *
 * A scenario is one JSON object holding a profile and every record kind. Money is a
 * decimal string in yuan ("3600.00", at most two decimals) or a JSON integer of whole
 * yuan (a JSON fraction is refused); area codes are 12-digit strings; dates are
 * "YYYY-MM-DD" real calendar days; ids are positive integers. Unknown keys are errors.
 * Every error names the JSON path (`payments[3].amount`), or the line and column of a
 * syntax error, and says what was expected. A failed load leaves the context exactly as
 * it was. This is the only module that parses text; it uses jansson.
 */
#ifndef VIPA_SCENARIO_H
#define VIPA_SCENARIO_H

#include "common.h"
#include "registry.h"
#include "run.h"

VIPA_BEGIN_DECL

/** @brief Largest scenario accepted, in bytes (a hostile input must not exhaust memory). */
#define VIPA_SCENARIO_MAX_BYTES ((size_t)1 << 31)

/**
 * @brief Loads a scenario into a context: its profile parameters and every record, all
 *        or nothing. The keys `expect`, `expect_error` and `findings_exact` of test
 *        scenarios are accepted and ignored here (see `vipa test`).
 * @param[in,out] ctx The context; unchanged on failure.
 * @param[in] buffer The JSON text (UTF-8); borrowed; need not be NUL-terminated.
 * @param[in] length Length of @p buffer in bytes.
 * @param[out] err If not NULL, receives on failure the message (also
 *             vipa_ctx_errmsg()), owned by the context; NULL on success.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments or a profile base other than
 *         the context's; #VIPA_E_PARSE for a JSON syntax error (line and column), a value
 *         of the wrong type or form, a missing or unknown key, an unknown word or an id
 *         ≤ 0 (JSON path); #VIPA_E_VERSION for a "vipa" version other than 1;
 *         #VIPA_E_RANGE for a year, integer, date or code out of its range;
 *         #VIPA_E_OVERFLOW for money beyond the int64 range of fen; #VIPA_E_LIMIT beyond
 *         #VIPA_SCENARIO_MAX_BYTES; otherwise the code of the record add that refused it
 *         (#VIPA_E_INVALID, #VIPA_E_RANGE, #VIPA_E_NOT_FOUND, #VIPA_E_EXISTS...), with the
 *         JSON path of the record; #VIPA_E_NOMEM.
 *         #VIPA_E_STATE while a result or ledger of the context is alive (the
 *         context unchanged; docs/threading.md).
 */
VIPA_API int vipa_scenario_load(vipa_ctx *ctx, const char *buffer, size_t length, const char **err);

/**
 * @brief Loads a scenario file into a context, as vipa_scenario_load() does a buffer, but
 *        reading the file in place: memory stays within what the records take in the
 *        context plus a window of the largest single record, whatever the file's size.
 *
 * The file is a scenario (one JSON object) or JSON Lines: one object a line, each with
 * one key, `{"vipa": 1}`, `{"profile": {...}}`, `{"households": {...one household...}}`,
 * lines of any kind in any order (docs/scenario.md, "JSON Lines"). Keys may come in any
 * order in either form; the file is read twice (once for where each key's records lie,
 * once for the records), so it must be a regular file that does not change meanwhile.
 * Errors name the JSON path as vipa_scenario_load() does (in JSON Lines, also the line),
 * and line and column for JSON syntax.
 *
 * @param[in,out] ctx The context; unchanged on failure.
 * @param[in] path The file's name; borrowed.
 * @param[out] err As for vipa_scenario_load().
 * @return As vipa_scenario_load(), but no #VIPA_SCENARIO_MAX_BYTES limit (a single value
 *         above 256 MiB is #VIPA_E_LIMIT); #VIPA_E_IO when the file cannot be opened or
 *         read or is not a regular file; #VIPA_E_INVALID for a NULL path.
 */
VIPA_API int vipa_scenario_load_file(vipa_ctx *ctx, const char *path, const char **err);

/**
 * @brief Sets a context's parameters from a reform file, all or nothing (since 0.4).
 *
 * A reform is one JSON object: `{"vipa": 1, "name": "...", "description": "...",
 * "params": {...}}`, where `params` is the object a scenario's `profile` holds
 * (docs/scenario.md, "Reforms"): `equity.poor_share_bp`, `equity.allocation`,
 * `equity.remainder_holder`, `exit.require_guarantees`, `poverty_line` (year → money).
 * Errors name the JSON path, or the line and column of a syntax error.
 * @param[in,out] ctx The context (usually a fork, vipa_ctx_fork()); its profile
 *                unchanged on failure.
 * @param[in] buffer The JSON text (UTF-8); borrowed; need not be NUL-terminated.
 * @param[in] length Length of @p buffer in bytes (at most 1 MiB).
 * @param[out] err If not NULL, receives on failure the message (also
 *             vipa_ctx_errmsg()); NULL on success.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments; #VIPA_E_PARSE, #VIPA_E_VERSION,
 *         #VIPA_E_RANGE as vipa_scenario_load() for the same faults; #VIPA_E_LIMIT for a
 *         text over 1 MiB; #VIPA_E_STATE while a result or ledger of the context is
 *         alive; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_reform_load(vipa_ctx *ctx, const char *buffer, size_t length, const char **err);

/** @brief Pretty-print the report (two-space indent); otherwise compact. */
#define VIPA_REPORT_PRETTY 1u

/**
 * @brief Writes a result as report JSON, exactly the contract's shape, sorted, so the
 *        same input always gives the same bytes.
 * @param[out] json Receives the NUL-terminated text, owned by the caller and freed with
 *             vipa_free(); NULL on failure.
 * @param[out] length If not NULL, receives the length of the text in bytes (0 on failure).
 * @param[in] result The result.
 * @param[in] flags #VIPA_REPORT_PRETTY or 0.
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, unknown flag bits or text that
 *         is not UTF-8; #VIPA_E_RANGE for an id above INT64_MAX (JSON integers are
 *         signed 64-bit); #VIPA_E_NOMEM.
 */
VIPA_API int vipa_report_json(char **json, size_t *length, const vipa_result *result,
                              unsigned int flags);

/**
 * @brief Where vipa_report_write() sends the text: the next @p length bytes of it.
 * @param[in] opaque The pointer given to vipa_report_write().
 * @param[in] bytes The bytes (not NUL-terminated), borrowed for the call only.
 * @param[in] length How many, never 0.
 * @return 0 to go on; any other value stops the writing (vipa_report_write() then
 *         returns #VIPA_E_IO and calls the function no more).
 */
typedef int (*vipa_write_fn)(void *opaque, const char *bytes, size_t length);

/**
 * @brief Writes a result as report JSON through a function, as it goes: the same bytes
 *        as vipa_report_json() gives, in pieces, with memory that does not grow with
 *        the report (a block of 64 KiB from the result's context's allocator), so a
 *        province's report can go straight to a file or a socket.
 *
 * @p write is called with the text in order, in as many pieces as it takes (each at most
 * 64 KiB; their boundaries say nothing, not even where a UTF-8 character ends), the last
 * ending with the closing "\n". On a failure after the first call, the pieces given so
 * far are the start of the text, never a whole report: a caller that must not leave a
 * partial report behind writes to a temporary file and renames it only on #VIPA_OK.
 * @param[in] result The result.
 * @param[in] flags #VIPA_REPORT_PRETTY or 0.
 * @param[in] write The function given the text; not called again once it failed.
 * @param[in] opaque Passed to @p write as it is.
 * @return #VIPA_OK; #VIPA_E_INVALID for a NULL @p result or @p write, unknown flag bits
 *         or text that is not UTF-8; #VIPA_E_RANGE for an id above INT64_MAX (JSON
 *         integers are signed 64-bit); #VIPA_E_IO when @p write returned non-zero;
 *         #VIPA_E_NOMEM.
 */
VIPA_API int vipa_report_write(const vipa_result *result, unsigned int flags,
                               vipa_write_fn write, void *opaque);

/**
 * @brief Writes a context as scenario JSON: its profile parameters and every record, in
 *        the contract's shape and key names, so that vipa_scenario_load() of the text
 *        into a fresh context gives the same records (the same `input_sha256` stamp from
 *        vipa_run()) and the same report.
 *
 * Every parameter is written, defaults included, and every poverty line. Records are
 * sorted by id, or for kinds without one by their natural key: areas by code; plans by
 * household then agreement; contributions by household, entity, date, kind, agreement
 * and value; dividends and other incomes by entity or household, then year; payments
 * under linkages by linkage, then dividend payments by entity and household, each then
 * by year, date and amount; evaluations by year, date and kind. So the same records
 * always give the same bytes. Share transfers are the exception: they keep the order
 * they were added in, the one order sure to load again (each was checked against the
 * transfers before it). An injection's own households keep the order given, to which
 * its weights are paired.
 *
 * Texts the library keeps only as counts are written as that many placeholder strings:
 * an agreement's `projects` ("project 1", "project 2", ...) and `support` ("support 1",
 * ...), a plan's `industries` ("industry 1", ...) and `measures` ("measure 1", ...),
 * and its `persons` as {"member": 1, "task": "task 1"}, ...; the texts of annual tasks
 * are not kept and not written. Counts of 0 and values not stated (a period, a signer,
 * an exit target) are left out, as the loader reads a missing key.
 *
 * A context whose share transfers no longer hold under its current profile (a
 * parameter changed after they were added; see vipa_ledger_build()) may give text that
 * vipa_scenario_load() refuses, since the loader sets the parameters first.
 * @param[out] json Receives the NUL-terminated UTF-8 text, owned by the caller and freed
 *             with vipa_free(); NULL on failure.
 * @param[out] length If not NULL, receives the length of the text in bytes (0 on failure).
 * @param[in,out] ctx The context; its records are not changed (its error is set on
 *                failure, its last status on success).
 * @param[in] flags #VIPA_REPORT_PRETTY (two-space indent) or 0 (compact).
 * @return #VIPA_OK; #VIPA_E_INVALID for NULL arguments, unknown flag bits or a stored
 *         text that is not UTF-8; #VIPA_E_RANGE for an id or weight above INT64_MAX (JSON
 *         integers are signed 64-bit); #VIPA_E_LIMIT when the text would exceed
 *         #VIPA_SCENARIO_MAX_BYTES, which vipa_scenario_load() refuses; #VIPA_E_NOMEM.
 */
VIPA_API int vipa_scenario_export(char **json, size_t *length, vipa_ctx *ctx,
                                  unsigned int flags);

VIPA_END_DECL

#endif /* VIPA_SCENARIO_H */
