/*
 * The scenario module: report JSON out (docs/scenario.md, "The report"), a result read
 * only through the public accessors of include/vipa/run.h and findings.h, so the report
 * shows exactly what any other embedder can read.
 *
 * Every list is written in the order the accessors give (sorted by id, then year) and
 * every object's keys in the order the contract shows them, so the same result always
 * gives the same bytes.
 *
 * The text is written as it goes with the module's JSON writer (scenario_json.c), never
 * built as a tree: into one block handed to the caller (vipa_report_json), or through
 * a fixed block to the caller's write function (vipa_report_write), so a province's
 * report costs no memory beyond its result. The bytes are those the report had when a
 * jansson tree was dumped (JSON_PRESERVE_ORDER with JSON_COMPACT or JSON_INDENT(2), and
 * a final "\n"), escapes included: the writer's \u escapes in upper-case hex as
 * jansson's (tests/unit/test_report_stream.c checks them against jansson).
 *
 * The writer's first failure sticks, so a row writer returns nothing: the code comes out
 * of vipa__json_end().
 */
#include <string.h>

#include "run_internal.h"      /* the result's allocator */
#include "scenario_internal.h" /* the JSON writer */
#include "vipa/error.h"
#include "vipa/compare.h"
#include "vipa/scenario.h"
#include "vocab_internal.h"

/* ---- values ------------------------------------------------------------------------ */

/* An accessor's status: 1 when it gave the row, else 0 with its code the text's. */
static int got(vipa__json *w, int rc)
{
    if (rc != VIPA_OK)
        vipa__json_fail(w, rc, "a row of the result cannot be read");
    return rc == VIPA_OK;
}

/* A year, or null for 0 (no year: "not exited", a finding about no particular year),
 * so that no reader mistakes 0 for a year. */
static void member_year_or_null(vipa__json *w, const char *key, int year)
{
    vipa__json_key(w, key);
    if (year)
        vipa__json_int(w, year);
    else
        vipa__json_null(w);
}

/* A count as a JSON integer (above INT64_MAX, VIPA_E_RANGE). */
static void member_count(vipa__json *w, const char *key, size_t count)
{
    vipa__json_member_id(w, key, (uint64_t)count);
}

/* "key": [ and { of a row: a list's element. */
static void open_list(vipa__json *w, const char *key)
{
    vipa__json_key(w, key);
    vipa__json_open(w, '[');
}

static void open_row(vipa__json *w)
{
    vipa__json_item(w);
    vipa__json_open(w, '{');
}

/* {"<kind>": id} or {"village"|"town": "code"}, the one-key form of a subject; null for a
 * finding about no record. */
static void member_subject(vipa__json *w, const char *key, vipa_subject_kind kind, uint64_t id)
{
    const char *name = vipa_subject_kind_name(kind);
    vipa__json_key(w, key);
    if (!name) {
        vipa__json_null(w);
        return;
    }
    vipa__json_open(w, '{');
    if (kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN)
        vipa__json_member_code(w, name, id);
    else
        vipa__json_member_id(w, name, id);
    vipa__json_close(w, '}');
}

/* ---- the whole run ----------------------------------------------------------------- */

static void write_stamp(vipa__json *w, const vipa_result *r)
{
    static const char *const fields[] = {"library", "profile", "profile_sha256", "input_sha256"};
    vipa__json_key(w, "stamp");
    vipa__json_open(w, '{');
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        vipa__json_member_text(w, fields[i], vipa_result_stamp(r, fields[i]));
    vipa__json_close(w, '}');
}

/* A row of a top-level list: row i of the result. */
typedef void (*row_fn)(vipa__json *w, const vipa_result *r, size_t i);
typedef size_t (*count_fn)(const vipa_result *r);

/* "key": [row(0), ..., row(count - 1)]. */
static void write_list(vipa__json *w, const char *key, const vipa_result *r, count_fn count,
                       row_fn row)
{
    open_list(w, key);
    for (size_t i = 0; i < count(r) && w->rc == VIPA_OK; i++)
        row(w, r, i);
    vipa__json_close(w, ']');
}

static void write_signer(vipa__json *w, const vipa_result *r, size_t i)
{
    vipa_id agreement;
    vipa_signer_level level;
    vipa_area_code area;
    if (!got(w, vipa_result_signer(&agreement, &level, &area, r, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "agreement", agreement);
    vipa__json_member_text(w, "level", vipa_signer_level_name(level));
    /* Across counties the plan names no signer: area 0, written as null. */
    if (area) {
        vipa__json_member_code(w, "area", area);
    } else {
        vipa__json_key(w, "area");
        vipa__json_null(w);
    }
    vipa__json_close(w, '}');
}

/* {"household": id} | {"collective": "code"} | {"entity": id}. */
static void member_holder(vipa__json *w, vipa_holder_kind kind, uint64_t holder)
{
    vipa__json_key(w, "holder");
    vipa__json_open(w, '{');
    const char *key = vipa__word(VIPA_VOCAB_HOLDER_KIND, (int)kind);
    if (!key) /* no other holder exists: a damaged result */
        vipa__json_fail(w, VIPA_E_INVALID, "a holder of no kind (a library bug)");
    else if (kind == VIPA_HOLDER_COLLECTIVE)
        vipa__json_member_code(w, key, holder);
    else
        vipa__json_member_id(w, key, holder);
    vipa__json_close(w, '}');
}

static void write_allocation(vipa__json *w, const vipa_result *r, size_t i)
{
    vipa_id injection;
    vipa_holder_kind kind;
    uint64_t holder;
    vipa_fen amount;
    if (!got(w, vipa_result_allocation(&injection, &kind, &holder, &amount, r, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "injection", injection);
    member_holder(w, kind, holder);
    vipa__json_member_fen(w, "amount", amount);
    vipa__json_close(w, '}');
}

/* ---- per year ---------------------------------------------------------------------- */

static void write_year_household(vipa__json *w, const vipa_result *r, size_t y, size_t i)
{
    vipa_id id;
    vipa_fen income, line;
    int meets;
    if (!got(w, vipa_result_year_household(&id, &income, &line, &meets, r, y, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "id", id);
    vipa__json_member_fen(w, "income", income);
    vipa__json_member_fen(w, "line", line);
    vipa__json_member_bool(w, "meets_standard", meets);
    vipa__json_close(w, '}');
}

static void write_year_dividend(vipa__json *w, const vipa_result *r, size_t y, size_t i)
{
    vipa_id entity, household;
    vipa_fen due, paid;
    if (!got(w, vipa_result_year_dividend(&entity, &household, &due, &paid, r, y, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "entity", entity);
    vipa__json_member_id(w, "household", household);
    vipa__json_member_fen(w, "due", due);
    vipa__json_member_fen(w, "paid", paid);
    vipa__json_close(w, '}');
}

static void write_year_obligation(vipa__json *w, const vipa_result *r, size_t y, size_t i)
{
    vipa_id linkage, household;
    vipa_linkage_kind kind;
    vipa_fen due, paid;
    if (!got(w, vipa_result_year_obligation(&linkage, &household, &kind, &due, &paid, r, y, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "linkage", linkage);
    vipa__json_member_id(w, "household", household);
    vipa__json_member_text(w, "kind", vipa__word(VIPA_VOCAB_LINKAGE_KIND, (int)kind));
    vipa__json_member_fen(w, "due", due);
    vipa__json_member_fen(w, "paid", paid);
    vipa__json_close(w, '}');
}

static void write_year_coverage(vipa__json *w, const vipa_result *r, size_t y, size_t i)
{
    vipa_area_code village;
    size_t willing, covered;
    if (!got(w, vipa_result_year_coverage(&village, &willing, &covered, r, y, i)))
        return;
    open_row(w);
    vipa__json_member_code(w, "village", village);
    member_count(w, "willing", willing);
    member_count(w, "covered", covered);
    vipa__json_close(w, '}');
}

/* A failed check: expected and actual always present, null where the check has no number. */
static void write_failed(vipa__json *w, const vipa_result *r, size_t y, size_t i, size_t k)
{
    vipa_rule rule;
    vipa_subject_kind kind;
    uint64_t subject;
    const char *expected, *actual;
    if (!got(w, vipa_result_year_failed(&rule, &kind, &subject, &expected, &actual, r, y, i, k)))
        return;
    open_row(w);
    vipa__json_member_text(w, "rule", vipa_rule_id(rule));
    member_subject(w, "subject", kind, subject);
    vipa__json_member_text(w, "expected", expected);
    vipa__json_member_text(w, "actual", actual);
    vipa__json_close(w, '}');
}

static void write_year_evaluation(vipa__json *w, const vipa_result *r, size_t y, size_t i)
{
    vipa_id agreement, entity;
    vipa_date date;
    int recheck;
    vipa_outcome outcome;
    if (!got(w, vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &outcome, r,
                                            y, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "agreement", agreement);
    vipa__json_member_id(w, "entity", entity);
    vipa__json_member_date(w, "date", date);
    vipa__json_member_bool(w, "recheck", recheck);
    vipa__json_member_text(w, "outcome", vipa_outcome_name(outcome));
    open_list(w, "failed");
    for (size_t k = 0; k < vipa_result_year_failed_count(r, y, i) && w->rc == VIPA_OK; k++)
        write_failed(w, r, y, i, k);
    vipa__json_close(w, ']');
    vipa__json_close(w, '}');
}

typedef void (*year_row_fn)(vipa__json *w, const vipa_result *r, size_t y, size_t i);
typedef size_t (*year_count_fn)(const vipa_result *r, size_t y);

/* One list of a year: "key": [row(0), ..., row(count - 1)]. */
static void write_year_list(vipa__json *w, const char *key, const vipa_result *r, size_t y,
                            year_count_fn count, year_row_fn row)
{
    open_list(w, key);
    for (size_t i = 0; i < count(r, y) && w->rc == VIPA_OK; i++)
        row(w, r, y, i);
    vipa__json_close(w, ']');
}

static void write_year(vipa__json *w, const vipa_result *r, size_t y)
{
    open_row(w);
    vipa__json_member_int(w, "year", vipa_result_year(r, y));
    vipa__json_member_bool(w, "complete", vipa_result_year_complete(r, y));
    write_year_list(w, "households", r, y, vipa_result_year_household_count,
                    write_year_household);
    write_year_list(w, "obligations", r, y, vipa_result_year_obligation_count,
                    write_year_obligation);
    write_year_list(w, "dividends", r, y, vipa_result_year_dividend_count, write_year_dividend);
    write_year_list(w, "coverage", r, y, vipa_result_year_coverage_count, write_year_coverage);
    write_year_list(w, "evaluations", r, y, vipa_result_year_evaluation_count,
                    write_year_evaluation);
    vipa__json_close(w, '}');
}

/* ---- households, entities, disclosure ------------------------------------------------ */

static void write_household(vipa__json *w, const vipa_result *r, size_t i)
{
    vipa_id id;
    int exit_year;
    if (!got(w, vipa_result_household(&id, &exit_year, r, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "id", id);
    member_year_or_null(w, "exit_year", exit_year);
    vipa__json_close(w, '}');
}

static void write_favoured(vipa__json *w, const vipa_result *r, size_t i, size_t count)
{
    open_list(w, "favoured");
    for (size_t k = 0; k < count && w->rc == VIPA_OK; k++) {
        int year;
        if (got(w, vipa_result_entity_favoured(&year, r, i, k))) {
            vipa__json_item(w);
            vipa__json_int(w, year);
        }
    }
    vipa__json_close(w, ']');
}

/* "disqualified_on" comes last and only for a disqualified entity: an addition the
 * contract's "at least" allows, leaving the keys it shows in their order. */
static void write_entity(vipa__json *w, const vipa_result *r, size_t i)
{
    vipa_id id;
    vipa_entity_status status;
    vipa_date disqualified_on;
    size_t favoured;
    if (!got(w, vipa_result_entity(&id, &status, &disqualified_on, &favoured, r, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "id", id);
    vipa__json_member_text(w, "status", vipa_entity_status_name(status));
    write_favoured(w, r, i, favoured);
    if (status == VIPA_ENTITY_STATUS_DISQUALIFIED)
        vipa__json_member_date(w, "disqualified_on", disqualified_on);
    vipa__json_close(w, '}');
}

static void write_disclosure_entry(vipa__json *w, const vipa_result *r, size_t i)
{
    vipa_id entity;
    vipa_fen equity;
    size_t households;
    if (!got(w, vipa_result_disclosure(&entity, &equity, &households, r, i)))
        return;
    open_row(w);
    vipa__json_member_id(w, "entity", entity);
    vipa__json_member_fen(w, "equity", equity);
    open_list(w, "support");
    for (size_t k = 0; k < vipa_result_disclosure_support_count(r, i) && w->rc == VIPA_OK; k++) {
        vipa__json_item(w);
        vipa__json_text(w, vipa_result_disclosure_support(r, i, k));
    }
    vipa__json_close(w, ']');
    member_count(w, "households", households);
    vipa__json_close(w, '}');
}

/* ---- findings ---------------------------------------------------------------------- */

/* A finding: year null for year 0 (about no particular year); expected and actual only
 * when the finding carries them. */
static void write_finding(vipa__json *w, const vipa_findings *f, size_t i)
{
    vipa_rule rule = vipa_finding_rule(f, i);
    const char *expected = vipa_finding_expected(f, i), *actual = vipa_finding_actual(f, i);
    open_row(w);
    vipa__json_member_text(w, "rule", vipa_rule_id(rule));
    vipa__json_member_text(w, "severity", vipa_severity_name(vipa_finding_severity(f, i)));
    vipa__json_member_text(w, "clause", vipa_rule_clause(rule));
    member_year_or_null(w, "year", vipa_finding_year(f, i));
    member_subject(w, "subject", vipa_finding_subject_kind(f, i), vipa_finding_subject_id(f, i));
    /* Formatted into a buffer: vipa_finding_message() would keep every message with the
     * list, which is what findings formatted on demand are not to do. */
    char message[VIPA_FINDING_MESSAGE_SIZE];
    int rc = vipa_finding_message_format(message, sizeof message, f, i);
    if (rc != VIPA_OK)
        vipa__json_fail(w, rc, "a finding's message cannot be formatted (a library bug)");
    vipa__json_member_text(w, "message", message);
    if (expected)
        vipa__json_member_text(w, "expected", expected);
    if (actual)
        vipa__json_member_text(w, "actual", actual);
    vipa__json_close(w, '}');
}

static void write_findings(vipa__json *w, const vipa_result *r)
{
    const vipa_findings *findings = vipa_result_findings(r);
    open_list(w, "findings");
    for (size_t i = 0; i < vipa_findings_count(findings) && w->rc == VIPA_OK; i++)
        write_finding(w, findings, i);
    vipa__json_close(w, ']');
}

/* The report, keys in the contract's order, and the closing "\n". */
static void write_report(vipa__json *w, const vipa_result *r)
{
    vipa__json_open(w, '{');
    vipa__json_member_int(w, "vipa", 1);
    write_stamp(w, r);
    write_list(w, "signers", r, vipa_result_signer_count, write_signer);
    write_list(w, "allocations", r, vipa_result_allocation_count, write_allocation);
    open_list(w, "years");
    for (size_t y = 0; y < vipa_result_year_count(r) && w->rc == VIPA_OK; y++)
        write_year(w, r, y);
    vipa__json_close(w, ']');
    write_list(w, "households", r, vipa_result_household_count, write_household);
    write_list(w, "entities", r, vipa_result_entity_count, write_entity);
    write_list(w, "disclosure", r, vipa_result_disclosure_count, write_disclosure_entry);
    write_findings(w, r);
    vipa__json_close(w, '}');
    vipa__json_raw(w, "\n", 1);
}

static unsigned report_options(unsigned int flags);

/* ---- rows one at a time, for the comparison (compare_json.c) --------------------------- */

void vipa__report_stamp(vipa__json *w, const vipa_result *r)
{
    write_stamp(w, r);
}

void vipa__report_row(vipa__json *w, const vipa_result *r, vipa_table table, size_t y, size_t i)
{
    switch (table) {
    case VIPA_TABLE_SIGNERS: write_signer(w, r, i); break;
    case VIPA_TABLE_ALLOCATIONS: write_allocation(w, r, i); break;
    case VIPA_TABLE_HOUSEHOLDS: write_household(w, r, i); break;
    case VIPA_TABLE_ENTITIES: write_entity(w, r, i); break;
    case VIPA_TABLE_DISCLOSURE: write_disclosure_entry(w, r, i); break;
    case VIPA_TABLE_YEAR_HOUSEHOLDS: write_year_household(w, r, y, i); break;
    case VIPA_TABLE_YEAR_DIVIDENDS: write_year_dividend(w, r, y, i); break;
    case VIPA_TABLE_YEAR_OBLIGATIONS: write_year_obligation(w, r, y, i); break;
    case VIPA_TABLE_YEAR_COVERAGE: write_year_coverage(w, r, y, i); break;
    case VIPA_TABLE_YEAR_EVALUATIONS: write_year_evaluation(w, r, y, i); break;
    case VIPA_TABLE_FINDINGS: write_finding(w, vipa_result_findings(r), i); break;
    default: vipa__json_fail(w, VIPA_E_INVALID, "a row of no table (a library bug)");
    }
}

unsigned vipa__report_options(unsigned int flags)
{
    return report_options(flags);
}

/* ---- the two ways out ------------------------------------------------------------------ */

/* The writer's options for the report's flags: jansson's layout and its escapes. */
static unsigned report_options(unsigned int flags)
{
    return VIPA__JSON_UPPER_HEX | ((flags & VIPA_REPORT_PRETTY) ? VIPA__JSON_PRETTY : 0);
}

int vipa_report_json(char **json, size_t *length, const vipa_result *result, unsigned int flags)
{
    if (length)
        *length = 0;
    if (!json)
        return VIPA_E_INVALID;
    *json = NULL;
    /* Unknown flag bits are refused, so a flag added later is never silently ignored. */
    if (!result || (flags & ~VIPA_REPORT_PRETTY))
        return VIPA_E_INVALID;
    /* In the result's allocator (vipa__handed_resize: freed with vipa_free()), not
     * jansson's, which is process-wide (json_set_alloc_funcs; docs/limits.md). */
    vipa__json w;
    vipa__json_to_buffer(&w, &result->alloc, report_options(flags), 0, NULL);
    write_report(&w, result);
    return vipa__json_end(&w, json, length);
}

int vipa__report_write(const vipa_result *result, unsigned int flags, size_t block,
                       vipa__json_sink write, void *opaque)
{
    /* Unknown flag bits are refused, as vipa_report_json() refuses them. */
    if (!result || !write || (flags & ~VIPA_REPORT_PRETTY) || block == 0)
        return VIPA_E_INVALID;
    vipa__json w;
    vipa__json_to_sink(&w, &result->alloc, report_options(flags), block, write, opaque);
    write_report(&w, result);
    return vipa__json_end(&w, NULL, NULL);
}

int vipa_report_write(const vipa_result *result, unsigned int flags, vipa_write_fn write,
                      void *opaque)
{
    return vipa__report_write(result, flags, VIPA__JSON_SINK_BYTES, write, opaque);
}
