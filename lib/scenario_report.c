/*
 * The scenario module: report JSON out (docs/scenario.md, "The report"), a result
 * written with jansson, read only through the public accessors of include/vipa/run.h
 * and findings.h, so the report shows exactly what any other embedder can read.
 *
 * Every list is appended in the order the accessors give (sorted by id, then year) and
 * every object's keys in the order the contract shows them; the text is dumped in that
 * insertion order, never sorted, so the same result always gives the same bytes.
 *
 * Ownership while building: each new value is handed to its parent at once
 * (json_object_set_new / json_array_append_new take it even when they fail), so on any
 * failure freeing the root frees everything, and nothing is ever freed twice.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "run_internal.h"   /* the result's allocator */
#include "store_internal.h" /* vipa__utf8_valid, vipa__handed_resize */
#include "vipa/error.h"
#include "vipa/scenario.h"
#include "vocab_internal.h"

/* ---- values ------------------------------------------------------------------------ */

/* Every step returns VIPA_OK (0) or a code, so steps chain as `(rc = a()) || (rc = b())`:
 * the chain stops at the first failure and keeps its code. */

/* Sets obj[key] = value, taking value (NULL, from a failed allocation, is NOMEM). Keys
 * are the contract's static ASCII names, so they need no UTF-8 check. */
static int set(json_t *obj, const char *key, json_t *value)
{
    return json_object_set_new_nocheck(obj, key, value) == 0 ? VIPA_OK : VIPA_E_NOMEM;
}

/* An id as a JSON integer. jansson's integers are long long: an id above INT64_MAX
 * cannot be written exactly, and a wrapped negative id would name another record. */
static int set_id(json_t *obj, const char *key, uint64_t id)
{
    if (id > (uint64_t)INT64_MAX)
        return VIPA_E_RANGE;
    return set(obj, key, json_integer((json_int_t)id));
}

static int set_int(json_t *obj, const char *key, long long value)
{
    return set(obj, key, json_integer(value));
}

static int set_count(json_t *obj, const char *key, size_t value)
{
    return value > (size_t)INT64_MAX ? VIPA_E_RANGE : set_int(obj, key, (long long)value);
}

static int set_bool(json_t *obj, const char *key, int value)
{
    return set(obj, key, json_boolean(value));
}

/* Text as a JSON string, NULL as null. The UTF-8 is checked here rather than by
 * jansson so that malformed text (a library bug) is told apart from a failed allocation. */
static json_t *text_value(const char *text, int *rc)
{
    *rc = VIPA_OK;
    if (!text)
        return json_null();
    if (!vipa__utf8_valid(text)) {
        *rc = VIPA_E_INVALID;
        return NULL;
    }
    json_t *value = json_stringn_nocheck(text, strlen(text));
    if (!value)
        *rc = VIPA_E_NOMEM;
    return value;
}

static int set_text(json_t *obj, const char *key, const char *text)
{
    int rc;
    json_t *value = text_value(text, &rc);
    return rc != VIPA_OK ? rc : set(obj, key, value);
}

/* Money always as yuan text with two decimals ("23333.34"): never a JSON number, which
 * readers would parse as a binary fraction. */
static int set_fen(json_t *obj, const char *key, vipa_fen amount)
{
    char text[VIPA_FEN_FORMAT_SIZE];
    int rc = vipa_fen_format(text, sizeof text, amount);
    return rc != VIPA_OK ? rc : set_text(obj, key, text);
}

/* An area code as its 12 digits (a JSON integer would lose nothing today, but the
 * contract spells codes as strings everywhere, as the statistical tables do). */
static int set_code(json_t *obj, const char *key, vipa_area_code code)
{
    char text[VIPA_AREA_CODE_SIZE];
    int rc = vipa_area_code_format(text, sizeof text, code);
    return rc != VIPA_OK ? rc : set_text(obj, key, text);
}

static int set_date(json_t *obj, const char *key, vipa_date date)
{
    char text[VIPA_DATE_FORMAT_SIZE];
    int rc = vipa_date_format(text, sizeof text, date);
    return rc != VIPA_OK ? rc : set_text(obj, key, text);
}

/* A new empty array set as obj[key]; *out borrows it (the parent owns it). */
static int new_array(json_t *obj, const char *key, json_t **out)
{
    *out = json_array();
    return set(obj, key, *out);
}

/* A new empty object appended to an array; *out borrows it. */
static int new_item(json_t *array, json_t **out)
{
    *out = json_object();
    return json_array_append_new(array, *out) == 0 ? VIPA_OK : VIPA_E_NOMEM;
}

/* {"<kind>": id} or {"village"|"town": "code"}, the one-key form of a subject; null for a
 * finding about no record. */
static int set_subject(json_t *obj, const char *key, vipa_subject_kind kind, uint64_t id)
{
    const char *name = vipa_subject_kind_name(kind);
    if (!name)
        return set(obj, key, json_null());
    json_t *subject = json_object();
    int rc = set(obj, key, subject);
    if (rc != VIPA_OK)
        return rc;
    if (kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN)
        return set_code(subject, name, id);
    return set_id(subject, name, id);
}

/* ---- the whole run ----------------------------------------------------------------- */

static int add_stamp(json_t *root, const vipa_result *r)
{
    static const char *const fields[] = {"library", "profile", "profile_sha256", "input_sha256"};
    json_t *stamp = json_object();
    int rc = set(root, "stamp", stamp);
    for (size_t i = 0; i < sizeof fields / sizeof *fields && rc == VIPA_OK; i++)
        rc = set_text(stamp, fields[i], vipa_result_stamp(r, fields[i]));
    return rc;
}

static int add_signer(json_t *list, const vipa_result *r, size_t i)
{
    vipa_id agreement;
    vipa_signer_level level;
    vipa_area_code area;
    json_t *row;
    int rc;
    if ((rc = vipa_result_signer(&agreement, &level, &area, r, i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "agreement", agreement)) ||
        (rc = set_text(row, "level", vipa_signer_level_name(level))))
        return rc;
    /* Across counties the plan names no signer: area 0, written as null. */
    return area ? set_code(row, "area", area) : set(row, "area", json_null());
}

static int add_signers(json_t *root, const vipa_result *r)
{
    json_t *list;
    int rc = new_array(root, "signers", &list);
    for (size_t i = 0; i < vipa_result_signer_count(r) && rc == VIPA_OK; i++)
        rc = add_signer(list, r, i);
    return rc;
}

/* {"household": id} | {"collective": "code"} | {"entity": id}. */
static int set_holder(json_t *obj, vipa_holder_kind kind, uint64_t holder)
{
    json_t *value = json_object();
    int rc = set(obj, "holder", value);
    if (rc != VIPA_OK)
        return rc;
    const char *key = vipa__word(VIPA_VOCAB_HOLDER_KIND, (int)kind);
    if (!key)
        return VIPA_E_INVALID; /* no other holder exists: a damaged result */
    return kind == VIPA_HOLDER_COLLECTIVE ? set_code(value, key, holder)
                                          : set_id(value, key, holder);
}

static int add_allocation(json_t *list, const vipa_result *r, size_t i)
{
    vipa_id injection;
    vipa_holder_kind kind;
    uint64_t holder;
    vipa_fen amount;
    json_t *row;
    int rc;
    if ((rc = vipa_result_allocation(&injection, &kind, &holder, &amount, r, i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "injection", injection)) ||
        (rc = set_holder(row, kind, holder)))
        return rc;
    return set_fen(row, "amount", amount);
}

static int add_allocations(json_t *root, const vipa_result *r)
{
    json_t *list;
    int rc = new_array(root, "allocations", &list);
    for (size_t i = 0; i < vipa_result_allocation_count(r) && rc == VIPA_OK; i++)
        rc = add_allocation(list, r, i);
    return rc;
}

/* ---- per year ---------------------------------------------------------------------- */

static int add_year_household(json_t *list, const vipa_result *r, size_t y, size_t i)
{
    vipa_id id;
    vipa_fen income, line;
    int meets;
    json_t *row;
    int rc;
    if ((rc = vipa_result_year_household(&id, &income, &line, &meets, r, y, i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "id", id)) ||
        (rc = set_fen(row, "income", income)) || (rc = set_fen(row, "line", line)))
        return rc;
    return set_bool(row, "meets_standard", meets);
}

static int add_year_dividend(json_t *list, const vipa_result *r, size_t y, size_t i)
{
    vipa_id entity, household;
    vipa_fen due, paid;
    json_t *row;
    int rc;
    if ((rc = vipa_result_year_dividend(&entity, &household, &due, &paid, r, y, i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "entity", entity)) ||
        (rc = set_id(row, "household", household)) || (rc = set_fen(row, "due", due)))
        return rc;
    return set_fen(row, "paid", paid);
}

static int add_year_obligation(json_t *list, const vipa_result *r, size_t y, size_t i)
{
    vipa_id linkage, household;
    vipa_linkage_kind kind;
    vipa_fen due, paid;
    json_t *row;
    int rc;
    if ((rc = vipa_result_year_obligation(&linkage, &household, &kind, &due, &paid, r, y, i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "linkage", linkage)) ||
        (rc = set_id(row, "household", household)) ||
        (rc = set_text(row, "kind", vipa__word(VIPA_VOCAB_LINKAGE_KIND, (int)kind))) ||
        (rc = set_fen(row, "due", due)))
        return rc;
    return set_fen(row, "paid", paid);
}

static int add_year_coverage(json_t *list, const vipa_result *r, size_t y, size_t i)
{
    vipa_area_code village;
    size_t willing, covered;
    json_t *row;
    int rc;
    if ((rc = vipa_result_year_coverage(&village, &willing, &covered, r, y, i)) ||
        (rc = new_item(list, &row)) || (rc = set_code(row, "village", village)) ||
        (rc = set_count(row, "willing", willing)))
        return rc;
    return set_count(row, "covered", covered);
}

/* A failed check: expected and actual always present, null where the check has no number. */
static int add_failed(json_t *list, const vipa_result *r, size_t y, size_t i, size_t k)
{
    vipa_rule rule;
    vipa_subject_kind kind;
    uint64_t subject;
    const char *expected, *actual;
    json_t *row;
    int rc;
    if ((rc = vipa_result_year_failed(&rule, &kind, &subject, &expected, &actual, r, y, i, k)) ||
        (rc = new_item(list, &row)) || (rc = set_text(row, "rule", vipa_rule_id(rule))) ||
        (rc = set_subject(row, "subject", kind, subject)) ||
        (rc = set_text(row, "expected", expected)))
        return rc;
    return set_text(row, "actual", actual);
}

static int add_year_evaluation(json_t *list, const vipa_result *r, size_t y, size_t i)
{
    vipa_id agreement, entity;
    vipa_date date;
    int recheck;
    vipa_outcome outcome;
    json_t *row, *failed;
    int rc;
    if ((rc = vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &outcome, r, y,
                                          i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "agreement", agreement)) ||
        (rc = set_id(row, "entity", entity)) || (rc = set_date(row, "date", date)) ||
        (rc = set_bool(row, "recheck", recheck)) ||
        (rc = set_text(row, "outcome", vipa_outcome_name(outcome))) ||
        (rc = new_array(row, "failed", &failed)))
        return rc;
    for (size_t k = 0; k < vipa_result_year_failed_count(r, y, i) && rc == VIPA_OK; k++)
        rc = add_failed(failed, r, y, i, k);
    return rc;
}

typedef int (*year_row_fn)(json_t *list, const vipa_result *r, size_t y, size_t i);
typedef size_t (*year_count_fn)(const vipa_result *r, size_t y);

/* One list of a year: obj[key] = [row(0), ..., row(count - 1)]. */
static int add_year_list(json_t *year, const char *key, const vipa_result *r, size_t y,
                         year_count_fn count, year_row_fn row)
{
    json_t *list;
    int rc = new_array(year, key, &list);
    for (size_t i = 0; i < count(r, y) && rc == VIPA_OK; i++)
        rc = row(list, r, y, i);
    return rc;
}

static int add_year(json_t *list, const vipa_result *r, size_t y)
{
    json_t *year;
    int rc;
    if ((rc = new_item(list, &year)) ||
        (rc = set_int(year, "year", vipa_result_year(r, y))) ||
        (rc = set_bool(year, "complete", vipa_result_year_complete(r, y))) ||
        (rc = add_year_list(year, "households", r, y, vipa_result_year_household_count,
                            add_year_household)) ||
        (rc = add_year_list(year, "obligations", r, y, vipa_result_year_obligation_count,
                            add_year_obligation)) ||
        (rc = add_year_list(year, "dividends", r, y, vipa_result_year_dividend_count,
                            add_year_dividend)) ||
        (rc = add_year_list(year, "coverage", r, y, vipa_result_year_coverage_count,
                            add_year_coverage)))
        return rc;
    return add_year_list(year, "evaluations", r, y, vipa_result_year_evaluation_count,
                         add_year_evaluation);
}

static int add_years(json_t *root, const vipa_result *r)
{
    json_t *list;
    int rc = new_array(root, "years", &list);
    for (size_t y = 0; y < vipa_result_year_count(r) && rc == VIPA_OK; y++)
        rc = add_year(list, r, y);
    return rc;
}

/* ---- households, entities, disclosure ------------------------------------------------ */

static int add_household(json_t *list, const vipa_result *r, size_t i)
{
    vipa_id id;
    int exit_year;
    json_t *row;
    int rc;
    if ((rc = vipa_result_household(&id, &exit_year, r, i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "id", id)))
        return rc;
    /* 0 means "not exited": null, so that no reader mistakes it for a year. */
    return set(row, "exit_year", exit_year ? json_integer(exit_year) : json_null());
}

static int add_households(json_t *root, const vipa_result *r)
{
    json_t *list;
    int rc = new_array(root, "households", &list);
    for (size_t i = 0; i < vipa_result_household_count(r) && rc == VIPA_OK; i++)
        rc = add_household(list, r, i);
    return rc;
}

static int add_favoured(json_t *row, const vipa_result *r, size_t i, size_t count)
{
    json_t *years;
    int rc = new_array(row, "favoured", &years);
    for (size_t k = 0; k < count && rc == VIPA_OK; k++) {
        int year;
        if ((rc = vipa_result_entity_favoured(&year, r, i, k)) == VIPA_OK)
            rc = json_array_append_new(years, json_integer(year)) == 0 ? VIPA_OK : VIPA_E_NOMEM;
    }
    return rc;
}

/* "disqualified_on" comes last and only for a disqualified entity: an addition the
 * contract's "at least" allows, leaving the keys it shows in their order. */
static int add_entity(json_t *list, const vipa_result *r, size_t i)
{
    vipa_id id;
    vipa_entity_status status;
    vipa_date disqualified_on;
    size_t favoured;
    json_t *row;
    int rc;
    int disqualified;
    if ((rc = vipa_result_entity(&id, &status, &disqualified_on, &favoured, r, i)) != VIPA_OK)
        return rc;
    disqualified = status == VIPA_ENTITY_STATUS_DISQUALIFIED;
    if ((rc = new_item(list, &row)) || (rc = set_id(row, "id", id)) ||
        (rc = set_text(row, "status", vipa_entity_status_name(status))) ||
        (rc = add_favoured(row, r, i, favoured)))
        return rc;
    return disqualified ? set_date(row, "disqualified_on", disqualified_on) : VIPA_OK;
}

static int add_entities(json_t *root, const vipa_result *r)
{
    json_t *list;
    int rc = new_array(root, "entities", &list);
    for (size_t i = 0; i < vipa_result_entity_count(r) && rc == VIPA_OK; i++)
        rc = add_entity(list, r, i);
    return rc;
}

static int add_disclosure_entry(json_t *list, const vipa_result *r, size_t i)
{
    vipa_id entity;
    vipa_fen equity;
    size_t households;
    json_t *row;
    int rc;
    json_t *support;
    if ((rc = vipa_result_disclosure(&entity, &equity, &households, r, i)) ||
        (rc = new_item(list, &row)) || (rc = set_id(row, "entity", entity)) ||
        (rc = set_fen(row, "equity", equity)) || (rc = new_array(row, "support", &support)))
        return rc;
    for (size_t k = 0; k < vipa_result_disclosure_support_count(r, i) && rc == VIPA_OK; k++) {
        json_t *text = text_value(vipa_result_disclosure_support(r, i, k), &rc);
        if (text && json_array_append_new(support, text) != 0)
            rc = VIPA_E_NOMEM;
    }
    return rc == VIPA_OK ? set_count(row, "households", households) : rc;
}

static int add_disclosure(json_t *root, const vipa_result *r)
{
    json_t *list;
    int rc = new_array(root, "disclosure", &list);
    for (size_t i = 0; i < vipa_result_disclosure_count(r) && rc == VIPA_OK; i++)
        rc = add_disclosure_entry(list, r, i);
    return rc;
}

/* ---- findings ---------------------------------------------------------------------- */

/* A finding: year null for year 0 (about no particular year); expected and actual only
 * when the finding carries them. */
static int add_finding(json_t *list, const vipa_findings *f, size_t i)
{
    vipa_rule rule = vipa_finding_rule(f, i);
    int year = vipa_finding_year(f, i);
    const char *expected = vipa_finding_expected(f, i), *actual = vipa_finding_actual(f, i);
    json_t *row;
    int rc;
    if ((rc = new_item(list, &row)) || (rc = set_text(row, "rule", vipa_rule_id(rule))) ||
        (rc = set_text(row, "severity", vipa_severity_name(vipa_finding_severity(f, i)))) ||
        (rc = set_text(row, "clause", vipa_rule_clause(rule))) ||
        (rc = set(row, "year", year ? json_integer(year) : json_null())) ||
        (rc = set_subject(row, "subject", vipa_finding_subject_kind(f, i),
                          vipa_finding_subject_id(f, i))) ||
        (rc = set_text(row, "message", vipa_finding_message(f, i))) ||
        (expected && (rc = set_text(row, "expected", expected))))
        return rc;
    return actual ? set_text(row, "actual", actual) : VIPA_OK;
}

static int add_findings(json_t *root, const vipa_result *r)
{
    const vipa_findings *findings = vipa_result_findings(r);
    json_t *list;
    int rc = new_array(root, "findings", &list);
    for (size_t i = 0; i < vipa_findings_count(findings) && rc == VIPA_OK; i++)
        rc = add_finding(list, findings, i);
    return rc;
}

/* The report as a JSON tree, keys in the contract's order. */
static int build(json_t **out, const vipa_result *r)
{
    json_t *root = json_object();
    if (!root)
        return VIPA_E_NOMEM;
    int rc;
    if ((rc = set_int(root, "vipa", 1)) || (rc = add_stamp(root, r)) ||
        (rc = add_signers(root, r)) || (rc = add_allocations(root, r)) ||
        (rc = add_years(root, r)) || (rc = add_households(root, r)) ||
        (rc = add_entities(root, r)) || (rc = add_disclosure(root, r)) ||
        (rc = add_findings(root, r))) {
        json_decref(root);
        return rc;
    }
    *out = root;
    return VIPA_OK;
}

/* ---- text ---------------------------------------------------------------------------- */

/* The growing output, in memory handed to the caller (vipa__handed_resize: the result's
 * allocator, freed with vipa_free()). */
typedef struct text_buffer {
    const vipa__allocator *alloc;
    char *data;
    size_t length, capacity;
} text_buffer;

/* Room for `more` bytes beyond the length, growing geometrically. */
static int reserve(text_buffer *b, size_t more)
{
    if (more > SIZE_MAX - b->length)
        return -1;
    size_t need = b->length + more;
    if (need <= b->capacity)
        return 0;
    size_t capacity = b->capacity ? b->capacity : 4096;
    while (capacity < need)
        capacity = capacity > SIZE_MAX / 2 ? need : capacity * 2;
    char *data = vipa__handed_resize(b->alloc, b->data, capacity);
    if (!data)
        return -1;
    b->data = data;
    b->capacity = capacity;
    return 0;
}

/* jansson's dump callback: appends a piece of the text. */
static int append_text(const char *piece, size_t size, void *opaque)
{
    text_buffer *b = opaque;
    if (reserve(b, size) != 0)
        return -1;
    memcpy(b->data + b->length, piece, size);
    b->length += size;
    return 0;
}

/*
 * The text is dumped through a callback into a buffer of the result's allocator rather
 * than by json_dumps(): json_dumps() allocates with jansson's allocator, which is
 * process-wide (json_set_alloc_funcs; docs/limits.md), not the context's, and the closing
 * "\n" would need a second copy.
 */
static int dump(char **json, size_t *length, const vipa_result *result, const json_t *root,
                unsigned int flags)
{
    size_t format = JSON_PRESERVE_ORDER; /* the contract's key order; never JSON_SORT_KEYS */
    format |= (flags & VIPA_REPORT_PRETTY) ? JSON_INDENT(2) : JSON_COMPACT;
    text_buffer b = {&result->alloc, NULL, 0, 0};
    if (json_dump_callback(root, append_text, &b, format) != 0 || reserve(&b, 2) != 0) {
        vipa_free(b.data);
        return VIPA_E_NOMEM;
    }
    b.data[b.length++] = '\n';
    b.data[b.length] = '\0';
    *json = b.data;
    *length = b.length;
    return VIPA_OK;
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
    json_t *root = NULL;
    int rc = build(&root, result);
    if (rc != VIPA_OK)
        return rc;
    size_t n = 0;
    rc = dump(json, &n, result, root, flags);
    json_decref(root);
    if (rc == VIPA_OK && length)
        *length = n;
    return rc;
}
