/* `vipa test`: the test part of a scenario file, and comparing its "expect" (a partial
 * report) with the report the library computed (docs/scenario.md, "Scenario tests").
 *
 * Checking the test file, before anything runs (cli_expect_check):
 * - "expect_error" names an error code; "findings_exact" is true, false or null at the top
 *   level, true or false inside "expect".
 * - "expect" is checked against the report's contract as the loader checks a scenario:
 *   an unknown key at any level, a value of a JSON type (or form) the report never has
 *   there, a list item without the ids it is matched on, are errors in the test file.
 * - A test must check something: "expect" or "expect_error", and an "expect" that gives
 *   some part of the report; findings_exact needs a findings list ("findings": [] says
 *   that there are none).
 *
 * Comparing (cli_expect_compare), every difference reported, not only the first:
 * - Every value given must equal the computed one (json_equal: money is text, exact).
 * - The lists of the report match item by item on their ids, whatever their order, and
 *   the report may hold items the expectation leaves out.
 * - A listed finding must be present, matching every key it gives; with findings_exact,
 *   every finding of the report must match one listed. The failed checks of an
 *   evaluation ("failed") match the same way, always exactly: they are one value, the
 *   list of what failed, so "failed": [] says that nothing did.
 * - Any other list (the favoured years) must hold the same items, in any order.
 */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ---- lines of a verdict ------------------------------------------------------------ */

void cli_lines_add(cli_lines *l, char *line)
{
    if (line == NULL) {
        l->nomem = 1;
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        char **items = realloc(l->items, cap * sizeof *items);
        if (items == NULL) {
            l->nomem = 1;
            free(line);
            return;
        }
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = line;
}

void cli_lines_free(cli_lines *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
    l->nomem = 0;
}

/* ---- JSON paths ------------------------------------------------------------------- */

/* Longest JSON text quoted in a message; longer values are cut with "...". */
#define QUOTE_MAX 200

struct jpath {
    char buf[2048];
    size_t len;
};

static size_t path_push(struct jpath *p, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends to the path; returns the old length for path_pop(). A path too long for the
 * buffer is cut, which only shortens a message. */
static size_t path_push(struct jpath *p, const char *fmt, ...)
{
    size_t saved = p->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->buf + p->len, sizeof p->buf - p->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        p->len += (size_t)n < sizeof p->buf - p->len ? (size_t)n : sizeof p->buf - p->len - 1;
    return saved;
}

static void path_pop(struct jpath *p, size_t saved)
{
    p->len = saved;
    p->buf[saved] = '\0';
}

/* Compact JSON text of a value, cut to QUOTE_MAX bytes on a UTF-8 boundary; NULL when
 * out of memory. */
static char *quote_json(const json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s == NULL)
        return NULL;
    size_t n = strlen(s);
    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        strcpy(s + n, "...");
    }
    return s;
}

/* "an integer", "a string"...: what a value is, for "expected X, not ..." messages. */
static const char *kind_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
        return "an integer";
    case JSON_REAL:
        return "a number with a fraction";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
    default:
        return "null";
    }
}

/* ---- the report's contract, for checking "expect" ---------------------------------- */

/* The forms a value of the report takes (docs/scenario.md, "The report";
 * docs/scenario.schema.json, $defs/expect). */
enum xkind {
    X_MONEY,  /* "3600.00": a string of yuan with exactly two decimals */
    X_YEAR,   /* an integer 1900..9999 */
    X_ID,     /* a positive integer */
    X_COUNT,  /* a non-negative integer */
    X_CODE,   /* a string of 12 digits */
    X_DATE,   /* a string "YYYY-MM-DD" */
    X_BOOL,   /* true or false */
    X_TEXT,   /* any string */
    X_WORD,   /* one of the words of a closed list */
    X_RULE,   /* a rule ID of the catalogue */
    X_ONE,    /* the format version, 1 */
    X_OBJECT, /* an object of known keys */
    X_ARRAY   /* an array of items of one form */
};

enum { X_NULLABLE = 1, X_REQUIRED = 2 };

struct xtype;

/* A closed list of words: the names the library gives the values first..last of an
 * enumeration (vipa_severity_name(), ...), which are the report's words. */
struct xwords {
    const char *(*name)(int value);
    int first, last;
};

struct xfield {
    const char *key;
    const struct xtype *type;
    unsigned flags; /* X_NULLABLE: the report may hold null; X_REQUIRED: an id key */
};

struct xtype {
    enum xkind kind;
    const struct xwords *words;  /* X_WORD */
    const struct xfield *fields; /* X_OBJECT */
    size_t nfields;
    int one_key;              /* X_OBJECT: exactly one of its keys (a subject, a holder) */
    const struct xtype *item; /* X_ARRAY */
    const char *what;         /* overrides the generic description */
};

#define SCALAR(k) {(k), NULL, NULL, 0, 0, NULL, NULL}
#define WORDS(w) {X_WORD, (w), NULL, 0, 0, NULL, NULL}
#define OBJECT(f) {X_OBJECT, NULL, (f), sizeof(f) / sizeof((f)[0]), 0, NULL, NULL}
#define ONE_OF(f) {X_OBJECT, NULL, (f), sizeof(f) / sizeof((f)[0]), 1, NULL, NULL}
#define ARRAY(t) {X_ARRAY, NULL, NULL, 0, 0, (t), NULL}

static const struct xtype x_money = SCALAR(X_MONEY), x_year = SCALAR(X_YEAR),
                          x_id = SCALAR(X_ID), x_count = SCALAR(X_COUNT),
                          x_code = SCALAR(X_CODE), x_date = SCALAR(X_DATE),
                          x_bool = SCALAR(X_BOOL), x_text = SCALAR(X_TEXT),
                          x_rule = SCALAR(X_RULE), x_one = SCALAR(X_ONE);

static const char *severity_word(int value)
{
    return vipa_severity_name((vipa_severity)value);
}

static const char *outcome_word(int value)
{
    return vipa_outcome_name((vipa_outcome)value);
}

static const char *level_word(int value)
{
    return vipa_signer_level_name((vipa_signer_level)value);
}

static const char *status_word(int value)
{
    return vipa_entity_status_name((vipa_entity_status)value);
}

static const char *kind_word(int value)
{
    return vipa_linkage_kind_name((vipa_linkage_kind)value);
}

static const struct xwords severity_words = {severity_word, VIPA_SEVERITY_NOTICE,
                                             VIPA_SEVERITY_ERROR};
static const struct xwords kind_words = {kind_word, VIPA_LINKAGE_WAGE, VIPA_LINKAGE_PARTICIPATION};
static const struct xwords outcome_words = {outcome_word, VIPA_OUTCOME_COMPLIANT,
                                            VIPA_OUTCOME_TERMINATED};
static const struct xwords level_words = {level_word, VIPA_SIGNER_VILLAGE,
                                          VIPA_SIGNER_NOT_PROVIDED};
static const struct xwords status_words = {status_word, VIPA_ENTITY_STATUS_ACTIVE,
                                           VIPA_ENTITY_STATUS_DISQUALIFIED};

static const struct xtype x_severity = WORDS(&severity_words), x_kind = WORDS(&kind_words),
                          x_outcome = WORDS(&outcome_words), x_level = WORDS(&level_words),
                          x_status = WORDS(&status_words);

static const struct xfield subject_fields[] = {
    {"household", &x_id, 0}, {"agreement", &x_id, 0}, {"linkage", &x_id, 0},
    {"injection", &x_id, 0}, {"entity", &x_id, 0},    {"village", &x_code, 0},
    {"town", &x_code, 0},
};
static const struct xtype x_subject = ONE_OF(subject_fields);

static const struct xfield holder_fields[] = {
    {"household", &x_id, 0},
    {"collective", &x_code, 0},
    {"entity", &x_id, 0},
};
static const struct xtype x_holder = ONE_OF(holder_fields);

static const struct xfield stamp_fields[] = {
    {"library", &x_text, 0},
    {"profile", &x_text, 0},
    {"profile_sha256", &x_text, 0},
    {"input_sha256", &x_text, 0},
};
static const struct xtype x_stamp = OBJECT(stamp_fields);

static const struct xfield signer_fields[] = {
    {"agreement", &x_id, X_REQUIRED},
    {"level", &x_level, 0},
    {"area", &x_code, X_NULLABLE},
};
static const struct xtype x_signer = OBJECT(signer_fields), x_signers = ARRAY(&x_signer);

static const struct xfield allocation_fields[] = {
    {"injection", &x_id, X_REQUIRED},
    {"holder", &x_holder, X_REQUIRED},
    {"amount", &x_money, 0},
};
static const struct xtype x_allocation = OBJECT(allocation_fields),
                          x_allocations = ARRAY(&x_allocation);

static const struct xfield year_household_fields[] = {
    {"id", &x_id, X_REQUIRED},
    {"income", &x_money, 0},
    {"line", &x_money, 0},
    {"meets_standard", &x_bool, 0},
};
static const struct xtype x_year_household = OBJECT(year_household_fields),
                          x_year_households = ARRAY(&x_year_household);

static const struct xfield obligation_fields[] = {
    {"linkage", &x_id, X_REQUIRED}, {"household", &x_id, 0}, {"kind", &x_kind, 0},
    {"due", &x_money, 0},           {"paid", &x_money, 0},
};
static const struct xtype x_obligation = OBJECT(obligation_fields),
                          x_obligations = ARRAY(&x_obligation);

static const struct xfield dividend_fields[] = {
    {"entity", &x_id, X_REQUIRED},
    {"household", &x_id, X_REQUIRED},
    {"due", &x_money, 0},
    {"paid", &x_money, 0},
};
static const struct xtype x_dividend = OBJECT(dividend_fields), x_dividends = ARRAY(&x_dividend);

static const struct xfield coverage_fields[] = {
    {"village", &x_code, X_REQUIRED},
    {"willing", &x_count, 0},
    {"covered", &x_count, 0},
};
static const struct xtype x_coverage_item = OBJECT(coverage_fields),
                          x_coverage = ARRAY(&x_coverage_item);

static const struct xfield failed_fields[] = {
    {"rule", &x_rule, 0},
    {"subject", &x_subject, X_NULLABLE},
    {"expected", &x_text, X_NULLABLE},
    {"actual", &x_text, X_NULLABLE},
};
static const struct xtype x_failed_item = OBJECT(failed_fields), x_failed = ARRAY(&x_failed_item);

static const struct xfield evaluation_fields[] = {
    {"agreement", &x_id, X_REQUIRED}, {"entity", &x_id, 0},         {"date", &x_date, X_REQUIRED},
    {"recheck", &x_bool, 0},          {"outcome", &x_outcome, 0}, {"failed", &x_failed, 0},
};
static const struct xtype x_evaluation = OBJECT(evaluation_fields),
                          x_evaluations = ARRAY(&x_evaluation);

static const struct xfield year_fields[] = {
    {"year", &x_year, X_REQUIRED},
    {"complete", &x_bool, 0},
    {"households", &x_year_households, 0},
    {"obligations", &x_obligations, 0},
    {"dividends", &x_dividends, 0},
    {"coverage", &x_coverage, 0},
    {"evaluations", &x_evaluations, 0},
};
static const struct xtype x_year_item = OBJECT(year_fields), x_years = ARRAY(&x_year_item);

static const struct xfield household_fields[] = {
    {"id", &x_id, X_REQUIRED},
    {"exit_year", &x_year, X_NULLABLE},
};
static const struct xtype x_household = OBJECT(household_fields),
                          x_households = ARRAY(&x_household);

static const struct xtype x_years_list = ARRAY(&x_year);

static const struct xfield entity_fields[] = {
    {"id", &x_id, X_REQUIRED},
    {"status", &x_status, 0},
    {"favoured", &x_years_list, 0},
    {"disqualified_on", &x_date, 0},
};
static const struct xtype x_entity = OBJECT(entity_fields), x_entities = ARRAY(&x_entity);

static const struct xtype x_texts = ARRAY(&x_text);

static const struct xfield disclosure_fields[] = {
    {"entity", &x_id, X_REQUIRED},
    {"equity", &x_money, 0},
    {"support", &x_texts, 0},
    {"households", &x_count, 0},
};
static const struct xtype x_disclosure_item = OBJECT(disclosure_fields),
                          x_disclosure = ARRAY(&x_disclosure_item);

static const struct xfield finding_fields[] = {
    {"rule", &x_rule, 0},
    {"severity", &x_severity, 0},
    {"clause", &x_text, 0},
    {"year", &x_year, X_NULLABLE},
    {"subject", &x_subject, X_NULLABLE},
    {"message", &x_text, 0},
    {"expected", &x_text, 0},
    {"actual", &x_text, 0},
};
static const struct xtype x_finding = OBJECT(finding_fields), x_findings = ARRAY(&x_finding);

/* The top level of "expect": the report's keys, and the flag findings_exact. */
static const struct xfield expect_fields[] = {
    {"vipa", &x_one, 0},
    {"stamp", &x_stamp, 0},
    {"signers", &x_signers, 0},
    {"allocations", &x_allocations, 0},
    {"years", &x_years, 0},
    {"households", &x_households, 0},
    {"entities", &x_entities, 0},
    {"disclosure", &x_disclosure, 0},
    {"findings", &x_findings, 0},
    {"findings_exact", &x_bool, 0},
};
static const struct xtype x_expect = {
    X_OBJECT, NULL, expect_fields, sizeof expect_fields / sizeof expect_fields[0], 0, NULL,
    "an object (a partial report)"};

struct xcheck {
    struct jpath p;
    cli_lines *errors;
};

/* Appends "PATH: TEXT" (taking TEXT) to the errors. */
static void xerror(struct xcheck *x, char *text)
{
    cli_lines_add(x->errors, text == NULL ? NULL : cli_strdupf("%s: %s", x->p.buf, text));
    free(text);
}

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* "-?(0|[1-9][0-9]*)\.[0-9]{2}": money as the report writes it. */
static int is_money_text(const char *s)
{
    if (*s == '-')
        s++;
    size_t n = strlen(s);
    if (n < 4 || s[n - 3] != '.' || !all_digits(s, n - 3) || !all_digits(s + n - 2, 2))
        return 0;
    return s[0] != '0' || n == 4;
}

static int is_date_text(const char *s)
{
    return strlen(s) == 10 && all_digits(s, 4) && s[4] == '-' && all_digits(s + 5, 2) &&
           s[7] == '-' && all_digits(s + 8, 2);
}

static int in_words(const struct xwords *words, const char *s)
{
    for (int value = words->first; value <= words->last; value++)
        if (strcmp(words->name(value), s) == 0)
            return 1;
    return 0;
}

/* The JSON type a form needs, and whether @p v (of that type) has the form. */
static int type_fits(const struct xtype *t, const json_t *v)
{
    switch (t->kind) {
    case X_MONEY:
    case X_CODE:
    case X_DATE:
    case X_TEXT:
    case X_WORD:
    case X_RULE:
        return json_is_string(v);
    case X_YEAR:
    case X_ID:
    case X_COUNT:
    case X_ONE:
        return json_is_integer(v);
    case X_BOOL:
        return json_is_boolean(v);
    case X_OBJECT:
        return json_is_object(v);
    case X_ARRAY:
    default:
        return json_is_array(v);
    }
}

static int form_fits(const struct xtype *t, const json_t *v)
{
    const char *s = json_string_value(v);
    json_int_t n = json_integer_value(v);
    vipa_rule rule;
    switch (t->kind) {
    case X_MONEY:
        return is_money_text(s);
    case X_CODE:
        return strlen(s) == 12 && all_digits(s, 12);
    case X_DATE:
        return is_date_text(s);
    case X_WORD:
        return in_words(t->words, s);
    case X_RULE:
        return vipa_rule_from_id(&rule, s) == VIPA_OK;
    case X_YEAR:
        return cli_is_year(n);
    case X_ID:
        return n >= 1;
    case X_COUNT:
        return n >= 0;
    case X_ONE:
        return n == 1;
    default:
        return 1;
    }
}

/* "a, b or c" of the keys of an object form, or of the words of a closed list (each
 * quoted); malloc'd, NULL when out of memory. */
static char *alternatives(const struct xtype *t)
{
    size_t n = t->kind == X_WORD ? (size_t)(t->words->last - t->words->first + 1) : t->nfields;
    const char *q = t->kind == X_WORD ? "\"" : "";
    char *s = cli_strdupf("%s", "");
    for (size_t i = 0; i < n && s != NULL; i++) {
        char *longer = cli_strdupf("%s%s%s%s%s", s, i == 0 ? "" : i + 1 < n ? ", " : " or ", q,
                                   t->kind == X_WORD ? t->words->name(t->words->first + (int)i)
                                                     : t->fields[i].key,
                                   q);
        free(s);
        s = longer;
    }
    return s;
}

/* What a value of form @p t must be, for messages; malloc'd, NULL when out of memory. */
static char *describe(const struct xtype *t, int nullable)
{
    static const char *const generic[] = {
        [X_MONEY] = "money as a string with two decimals such as \"3600.00\"",
        [X_YEAR] = "a year 1900..9999 as an integer",
        [X_ID] = "a positive integer id",
        [X_COUNT] = "a non-negative integer",
        [X_CODE] = "a 12-digit area code as a string such as \"611002001204\"",
        [X_DATE] = "a date as a string \"YYYY-MM-DD\"",
        [X_BOOL] = "true or false",
        [X_TEXT] = "a string",
        [X_WORD] = "one of",
        [X_RULE] = "a rule ID such as \"OBLIGATIONS_PAID\"",
        [X_ONE] = "1 (the format version)",
        [X_OBJECT] = "an object",
        [X_ARRAY] = "an array",
    };
    if (t->kind == X_BOOL && t->what == NULL)
        return cli_strdupf("%s", nullable ? "true, false or null" : "true or false");
    char *list = NULL;
    if (t->kind == X_WORD || (t->kind == X_OBJECT && t->one_key))
        if ((list = alternatives(t)) == NULL)
            return NULL;
    char *s = cli_strdupf("%s%s%s%s", t->what != NULL ? t->what : generic[t->kind],
                          t->kind == X_OBJECT && list != NULL ? " with one key of " : "",
                          t->kind == X_WORD ? " " : "", list != NULL ? list : "");
    free(list);
    if (s != NULL && nullable) {
        char *longer = cli_strdupf("%s or null", s);
        free(s);
        s = longer;
    }
    return s;
}

/* Records "expected FORM, not WHAT" for @p v at the current path. */
static void wrong(struct xcheck *x, const struct xtype *t, int nullable, const json_t *v,
                  int type_ok)
{
    char *want = describe(t, nullable);
    char *got = type_ok ? quote_json(v) : cli_strdupf("%s", kind_name(v));
    xerror(x, want == NULL || got == NULL ? NULL : cli_strdupf("expected %s, not %s", want, got));
    free(want);
    free(got);
}

static void check_value(struct xcheck *x, const struct xtype *t, int nullable, const json_t *v);

static void check_object(struct xcheck *x, const struct xtype *t, const json_t *v)
{
    const char *key;
    const json_t *member;
    json_object_foreach((json_t *)v, key, member) {
        const struct xfield *f = NULL;
        for (size_t i = 0; i < t->nfields && f == NULL; i++)
            if (strcmp(t->fields[i].key, key) == 0)
                f = &t->fields[i];
        size_t saved = path_push(&x->p, x->p.len ? ".%s" : "%s", key);
        if (f != NULL) {
            check_value(x, f->type, (f->flags & X_NULLABLE) != 0, member);
        } else {
            char *known = alternatives(t);
            xerror(x, known == NULL ? NULL : cli_strdupf("unknown key; expected one of %s", known));
            free(known);
        }
        path_pop(&x->p, saved);
    }
    for (size_t i = 0; i < t->nfields; i++)
        if ((t->fields[i].flags & X_REQUIRED) && json_object_get(v, t->fields[i].key) == NULL) {
            size_t saved = path_push(&x->p, ".%s", t->fields[i].key);
            char *want = describe(t->fields[i].type, 0);
            xerror(x, want == NULL ? NULL
                                   : cli_strdupf("missing; expected %s (the item is matched on it)",
                                                 want));
            free(want);
            path_pop(&x->p, saved);
        }
    if (t->one_key && json_object_size(v) != 1)
        wrong(x, t, 0, v, 1);
}

static void check_value(struct xcheck *x, const struct xtype *t, int nullable, const json_t *v)
{
    if (json_is_null(v) && nullable)
        return;
    if (!type_fits(t, v)) {
        wrong(x, t, nullable, v, 0);
        return;
    }
    if (t->kind == X_OBJECT) {
        check_object(x, t, v);
    } else if (t->kind == X_ARRAY) {
        size_t i;
        const json_t *item;
        json_array_foreach(v, i, item) {
            size_t saved = path_push(&x->p, "[%zu]", i);
            check_value(x, t->item, 0, item);
            path_pop(&x->p, saved);
        }
    } else if (!form_fits(t, v)) {
        wrong(x, t, nullable, v, 1);
    }
}

/* A VIPA_E_* name of an error code (not VIPA_OK). */
static int is_error_name(const json_t *v)
{
    int code = VIPA_OK;
    return json_is_string(v) && vipa_error_from_name(&code, json_string_value(v)) == VIPA_OK &&
           code != VIPA_OK;
}

int cli_expect_check(cli_lines *errors, const void *root_v)
{
    const json_t *root = root_v;
    struct xcheck *x = calloc(1, sizeof *x);
    if (x == NULL)
        return -1;
    x->errors = errors;

    const json_t *exact = json_object_get(root, "findings_exact");
    if (exact != NULL && !json_is_boolean(exact) && !json_is_null(exact)) {
        path_push(&x->p, "findings_exact");
        wrong(x, &x_bool, 1, exact, 0);
        path_pop(&x->p, 0);
    }
    const json_t *error = json_object_get(root, "expect_error");
    if (error != NULL && !json_is_null(error) && !is_error_name(error)) {
        char *got = json_is_string(error) ? quote_json(error) : cli_strdupf("%s", kind_name(error));
        path_push(&x->p, "expect_error");
        xerror(x, got == NULL ? NULL
                              : cli_strdupf("expected an error name such as \"VIPA_E_PARSE\", "
                                            "not %s",
                                            got));
        path_pop(&x->p, 0);
        free(got);
    }
    const json_t *expect = json_object_get(root, "expect");
    if (error != NULL && !json_is_null(error)) {
        /* "expect" is not looked at: the load or the run must fail. */
    } else if (expect == NULL) {
        cli_lines_add(errors, cli_strdupf("nothing to check: add \"expect\" (a partial report "
                                          "the run must match) or \"expect_error\" (the error "
                                          "code the load or the run must fail with)"));
    } else {
        path_push(&x->p, "expect");
        check_value(x, &x_expect, 0, expect);
        path_pop(&x->p, 0);
        if (json_is_object(expect)) {
            int exact_set = json_is_true(exact) ||
                            json_is_true(json_object_get(expect, "findings_exact"));
            size_t parts = json_object_size(expect) -
                           (json_object_get(expect, "findings_exact") != NULL ? 1 : 0);
            if (exact_set && json_object_get(expect, "findings") == NULL)
                cli_lines_add(errors, cli_strdupf("findings_exact needs a findings list; give "
                                                  "\"findings\": [] to assert there are none"));
            else if (parts == 0)
                cli_lines_add(errors, cli_strdupf("nothing to check: \"expect\" gives no part of "
                                                  "the report; add the values the run must "
                                                  "produce"));
        }
    }
    free(x);
    return errors->nomem ? -1 : 0;
}

/* ---- comparing with the report ------------------------------------------------------ */

/* How items of a list of the report are told apart. A key missing from an expected
 * item is an error, except "recheck", which says "the plain evaluation" when absent. */
struct list_spec {
    const char *name;
    const char *keys[3];
};

static const struct list_spec keyed_lists[] = {
    {"signers", {"agreement", NULL, NULL}},
    {"allocations", {"injection", "holder", NULL}},
    {"years", {"year", NULL, NULL}},
    {"households", {"id", NULL, NULL}},
    {"dividends", {"entity", "household", NULL}},
    {"obligations", {"linkage", NULL, NULL}},
    {"coverage", {"village", NULL, NULL}},
    {"evaluations", {"agreement", "date", "recheck"}},
    {"entities", {"id", NULL, NULL}},
    {"disclosure", {"entity", NULL, NULL}},
};

struct cmp {
    struct jpath p;
    cli_lines *diffs; /* every difference, one line each */
    int quiet;        /* trying a candidate: a mismatch is no difference yet */
    int nomem;
    int findings_exact;
};

static int cmp_value(struct cmp *c, const json_t *exp, const json_t *act, const char *name);

static char *quote(struct cmp *c, const json_t *v)
{
    char *s = quote_json(v);
    c->nomem |= s == NULL;
    return s;
}

/* Records a difference described by @p text (taking it); returns 1. */
static int note(struct cmp *c, char *text)
{
    if (text == NULL)
        c->nomem = 1;
    if (c->quiet || text == NULL) {
        free(text);
        return 1;
    }
    cli_lines_add(c->diffs, cli_strdupf("%s: %s", c->p.len > 0 ? c->p.buf : "(report)", text));
    free(text);
    return 1;
}

/* Records "expected E, actual A" (A NULL: the report has no such value); returns 1. */
static int differ(struct cmp *c, const json_t *exp, const json_t *act)
{
    if (c->quiet)
        return 1;
    char *e = quote(c, exp), *a = act != NULL ? quote(c, act) : NULL;
    char *text = e == NULL || (act != NULL && a == NULL)
                     ? NULL
                     : cli_strdupf("expected %s, actual %s", e, a != NULL ? a : "missing");
    free(e);
    free(a);
    return note(c, text);
}

/* Does @p exp match @p act, every value it gives equal? Leaves no message. */
static int matches(struct cmp *c, const json_t *exp, const json_t *act)
{
    int quiet = c->quiet;
    size_t saved = c->p.len;
    c->quiet = 1;
    int differs = cmp_value(c, exp, act, NULL);
    c->quiet = quiet;
    path_pop(&c->p, saved);
    return !differs;
}

/* ---- lists keyed by ids ------------------------------------------------------------ */

static const struct list_spec *keyed_spec(const char *name)
{
    for (size_t i = 0; name != NULL && i < sizeof keyed_lists / sizeof keyed_lists[0]; i++)
        if (strcmp(keyed_lists[i].name, name) == 0)
            return &keyed_lists[i];
    return NULL;
}

/* The value of id key @p key in an expected item: "recheck" defaults to false. */
static const json_t *key_value(const json_t *item, const char *key)
{
    const json_t *v = json_object_get(item, key);
    return v == NULL && strcmp(key, "recheck") == 0 ? json_false() : v;
}

/* "[year=2017]", "[agreement=1,date="2018-01-31",recheck=false]". */
static size_t push_item_path(struct cmp *c, const struct list_spec *spec, const json_t *item)
{
    size_t saved = path_push(&c->p, "[");
    for (size_t k = 0; k < 3 && spec->keys[k] != NULL; k++) {
        char *v = quote(c, key_value(item, spec->keys[k]));
        path_push(&c->p, "%s%s=%s", k ? "," : "", spec->keys[k], v != NULL ? v : "?");
        free(v);
    }
    path_push(&c->p, "]");
    return saved;
}

static const json_t *find_keyed(const struct list_spec *spec, const json_t *item, const json_t *list)
{
    size_t i;
    const json_t *candidate;
    json_array_foreach(list, i, candidate) {
        int all = 1;
        for (size_t k = 0; all && k < 3 && spec->keys[k] != NULL; k++) {
            const json_t *got = json_object_get(candidate, spec->keys[k]);
            all = got != NULL && json_equal(got, key_value(item, spec->keys[k]));
        }
        if (all)
            return candidate;
    }
    return NULL;
}

/* cli_expect_check() refuses an item that is no object or lacks an id key; these
 * checks keep the comparison safe without it. */
static int cmp_keyed_item(struct cmp *c, const struct list_spec *spec, const json_t *item,
                          size_t index, const json_t *act)
{
    for (size_t k = 0; k < 3 && spec->keys[k] != NULL; k++)
        if (key_value(item, spec->keys[k]) == NULL) {
            size_t saved = path_push(&c->p, "[%zu]", index);
            int rc = note(c, cli_strdupf("an item of \"%s\" needs its id key \"%s\"",
                                         spec->name, spec->keys[k]));
            path_pop(&c->p, saved);
            return rc;
        }
    size_t saved = push_item_path(c, spec, item);
    const json_t *found = find_keyed(spec, item, act);
    int rc = found == NULL ? note(c, cli_strdupf("expected this item, none in the report"))
                           : cmp_value(c, item, found, NULL);
    path_pop(&c->p, saved);
    return rc;
}

static int cmp_keyed(struct cmp *c, const struct list_spec *spec, const json_t *exp,
                     const json_t *act)
{
    size_t i;
    const json_t *item;
    int differs = 0;
    json_array_foreach(exp, i, item) {
        if (!json_is_object(item)) {
            size_t saved = path_push(&c->p, "[%zu]", i);
            differs |= note(c, cli_strdupf("an item of \"%s\" must be an object", spec->name));
            path_pop(&c->p, saved);
        } else {
            differs |= cmp_keyed_item(c, spec, item, i, act);
        }
        if (differs && c->quiet)
            return 1;
    }
    return differs;
}

/* ---- findings and failed checks --------------------------------------------------- */

/* Every listed item matches one of the report: one difference per item that does not. */
static int listed_present(struct cmp *c, const json_t *exp, const json_t *act, const char *what)
{
    size_t i, j;
    const json_t *want, *got;
    int differs = 0;
    json_array_foreach(exp, i, want) {
        int found = 0;
        json_array_foreach(act, j, got) {
            if ((found = matches(c, want, got)) != 0)
                break;
        }
        if (found)
            continue;
        if (c->quiet)
            return 1;
        char *w = quote(c, want);
        size_t saved = path_push(&c->p, "[%zu]", i);
        differs = note(c, w == NULL ? NULL
                                    : cli_strdupf("expected a %s matching %s, none in the report",
                                                  what, w));
        path_pop(&c->p, saved);
        free(w);
    }
    return differs;
}

/* Every item of the report matches a listed one: one difference per item that does not. */
static int none_unlisted(struct cmp *c, const json_t *exp, const json_t *act, const char *what)
{
    size_t i, j;
    const json_t *want, *got;
    int differs = 0;
    json_array_foreach(act, j, got) {
        int listed = 0;
        json_array_foreach(exp, i, want) {
            if ((listed = matches(c, want, got)) != 0)
                break;
        }
        if (listed)
            continue;
        if (c->quiet)
            return 1;
        char *g = quote(c, got);
        differs = note(c, g == NULL ? NULL : cli_strdupf("unexpected %s %s", what, g));
        free(g);
    }
    return differs;
}

static int cmp_listed(struct cmp *c, const json_t *exp, const json_t *act, int exact,
                      const char *what)
{
    int differs = listed_present(c, exp, act, what);
    if (differs && c->quiet)
        return 1;
    if (exact)
        differs |= none_unlisted(c, exp, act, what);
    return differs;
}

/* Any other list: the same items, in any order, each matched once. One difference: the
 * whole list. */
static int cmp_bag(struct cmp *c, const json_t *exp, const json_t *act)
{
    size_t n = json_array_size(act), i, j;
    if (json_array_size(exp) != n)
        return differ(c, exp, act);
    char *used = calloc(n + 1, 1);
    if (used == NULL)
        return (c->nomem = 1), 1;
    const json_t *want;
    int differs = 0;
    json_array_foreach(exp, i, want) {
        for (j = 0; j < n && (used[j] || !matches(c, want, json_array_get(act, j))); j++)
            ;
        if (j == n) {
            differs = 1;
            break;
        }
        used[j] = 1;
    }
    free(used);
    return differs ? differ(c, exp, act) : 0;
}

/* ---- values ---------------------------------------------------------------------------- */

static int cmp_array(struct cmp *c, const json_t *exp, const json_t *act, const char *name)
{
    if (!json_is_array(act))
        return differ(c, exp, act);
    const struct list_spec *spec = keyed_spec(name);
    if (spec != NULL)
        return cmp_keyed(c, spec, exp, act);
    if (name != NULL && strcmp(name, "findings") == 0)
        return cmp_listed(c, exp, act, c->findings_exact, "finding");
    if (name != NULL && strcmp(name, "failed") == 0)
        return cmp_listed(c, exp, act, 1, "failed check");
    return cmp_bag(c, exp, act);
}

static int cmp_object(struct cmp *c, const json_t *exp, const json_t *act)
{
    if (!json_is_object(act))
        return differ(c, exp, act);
    int root = c->p.len == 0;
    const char *key;
    const json_t *want;
    int differs = 0;
    json_object_foreach((json_t *)exp, key, want) {
        /* A flag of the test, not a part of the report. */
        if (root && strcmp(key, "findings_exact") == 0)
            continue;
        size_t saved = path_push(&c->p, root ? "%s" : ".%s", key);
        const json_t *got = json_object_get(act, key);
        differs |= got == NULL ? differ(c, want, NULL) : cmp_value(c, want, got, key);
        path_pop(&c->p, saved);
        if (differs && c->quiet)
            return 1;
    }
    return differs;
}

/* Compares @p exp with @p act; @p name is the key they sit under (it picks how a list
 * matches), NULL for a list item or the root. Returns 1 when they differ; unless quiet,
 * every difference is added to c->diffs. */
static int cmp_value(struct cmp *c, const json_t *exp, const json_t *act, const char *name)
{
    if (json_is_object(exp))
        return cmp_object(c, exp, act);
    if (json_is_array(exp))
        return cmp_array(c, exp, act, name);
    return json_equal(exp, act) ? 0 : differ(c, exp, act);
}

int cli_expect_compare(cli_lines *diffs, const void *expect, const void *report,
                       int findings_exact)
{
    struct cmp *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -1;
    c->diffs = diffs;
    c->findings_exact = findings_exact;
    cmp_value(c, expect, report, NULL);
    int rc = c->nomem || diffs->nomem ? -1 : 0;
    free(c);
    return rc;
}
