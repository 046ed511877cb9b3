/* `vipa test`: comparing the "expect" of a scenario (a partial report) with the report
 * the library computed (docs/scenario.md, "Scenario tests").
 *
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

/* Longest JSON text quoted in a difference; longer values are cut with "...". */
#define QUOTE_MAX 200

struct cmp {
    char path[2048];
    size_t len;
    char *diff;        /* the first difference, malloc'd */
    int quiet;         /* trying a candidate: a mismatch is no difference yet */
    int nomem;
    int findings_exact;
};

static int cmp_value(struct cmp *c, const json_t *exp, const json_t *act, const char *name);

/* ---- paths and messages -------------------------------------------------------------- */

static size_t path_push(struct cmp *c, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends to the path; returns the old length for path_pop(). A path too long for the
 * buffer is cut, which only shortens a message. */
static size_t path_push(struct cmp *c, const char *fmt, ...)
{
    size_t saved = c->len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(c->path + c->len, sizeof c->path - c->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        c->len += (size_t)n < sizeof c->path - c->len ? (size_t)n : sizeof c->path - c->len - 1;
    return saved;
}

static void path_pop(struct cmp *c, size_t saved)
{
    c->len = saved;
    c->path[saved] = '\0';
}

/* Compact JSON text of a value, cut to QUOTE_MAX bytes on a UTF-8 boundary. */
static char *quote(struct cmp *c, const json_t *v)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    if (s == NULL)
        return (c->nomem = 1), NULL;
    size_t n = strlen(s);
    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
            n--;
        strcpy(s + n, "...");
    }
    return s;
}

/* Records a difference described by @p note (taking it); returns 1. */
static int note(struct cmp *c, char *text)
{
    if (text == NULL)
        c->nomem = 1;
    if (c->quiet || c->diff != NULL || text == NULL) {
        free(text);
        return 1;
    }
    c->diff = cli_strdupf("%s: %s", c->len > 0 ? c->path : "(report)", text);
    c->nomem |= c->diff == NULL;
    free(text);
    return 1;
}

/* Records "expected E, actual A" (A NULL: the report has no such value); returns 1. */
static int differ(struct cmp *c, const json_t *exp, const json_t *act)
{
    if (c->quiet || c->diff != NULL)
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
    size_t saved = c->len;
    c->quiet = 1;
    int differs = cmp_value(c, exp, act, NULL);
    c->quiet = quiet;
    path_pop(c, saved);
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
    size_t saved = path_push(c, "[");
    for (size_t k = 0; k < 3 && spec->keys[k] != NULL; k++) {
        char *v = quote(c, key_value(item, spec->keys[k]));
        path_push(c, "%s%s=%s", k ? "," : "", spec->keys[k], v != NULL ? v : "?");
        free(v);
    }
    path_push(c, "]");
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

static int cmp_keyed_item(struct cmp *c, const struct list_spec *spec, const json_t *item,
                          size_t index, const json_t *act)
{
    for (size_t k = 0; k < 3 && spec->keys[k] != NULL; k++)
        if (key_value(item, spec->keys[k]) == NULL) {
            size_t saved = path_push(c, "[%zu]", index);
            int rc = note(c, cli_strdupf("an item of \"%s\" needs its id key \"%s\"",
                                         spec->name, spec->keys[k]));
            path_pop(c, saved);
            return rc;
        }
    size_t saved = push_item_path(c, spec, item);
    const json_t *found = find_keyed(spec, item, act);
    int rc = found == NULL ? note(c, cli_strdupf("expected this item, none in the report"))
                           : cmp_value(c, item, found, NULL);
    path_pop(c, saved);
    return rc;
}

static int cmp_keyed(struct cmp *c, const struct list_spec *spec, const json_t *exp,
                     const json_t *act)
{
    size_t i;
    const json_t *item;
    json_array_foreach(exp, i, item) {
        if (!json_is_object(item)) {
            size_t saved = path_push(c, "[%zu]", i);
            int rc = note(c, cli_strdupf("an item of \"%s\" must be an object", spec->name));
            path_pop(c, saved);
            return rc;
        }
        if (cmp_keyed_item(c, spec, item, i, act))
            return 1;
    }
    return 0;
}

/* ---- findings and failed checks --------------------------------------------------- */

static int listed_present(struct cmp *c, const json_t *exp, const json_t *act, const char *what)
{
    size_t i, j;
    const json_t *want, *got;
    json_array_foreach(exp, i, want) {
        int found = 0;
        json_array_foreach(act, j, got) {
            if ((found = matches(c, want, got)) != 0)
                break;
        }
        if (!found) {
            char *w = quote(c, want);
            size_t saved = path_push(c, "[%zu]", i);
            int rc = note(c, w == NULL ? NULL
                                       : cli_strdupf("expected a %s matching %s, none in the report",
                                                     what, w));
            path_pop(c, saved);
            free(w);
            return rc;
        }
    }
    return 0;
}

static int none_unlisted(struct cmp *c, const json_t *exp, const json_t *act, const char *what)
{
    size_t i, j;
    const json_t *want, *got;
    json_array_foreach(act, j, got) {
        int listed = 0;
        json_array_foreach(exp, i, want) {
            if ((listed = matches(c, want, got)) != 0)
                break;
        }
        if (!listed) {
            char *g = quote(c, got);
            int rc = note(c, g == NULL ? NULL : cli_strdupf("unexpected %s %s", what, g));
            free(g);
            return rc;
        }
    }
    return 0;
}

static int cmp_listed(struct cmp *c, const json_t *exp, const json_t *act, int exact,
                      const char *what)
{
    if (listed_present(c, exp, act, what))
        return 1;
    return exact ? none_unlisted(c, exp, act, what) : 0;
}

/* Any other list: the same items, in any order, each matched once. */
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
    int root = c->len == 0;
    const char *key;
    const json_t *want;
    json_object_foreach((json_t *)exp, key, want) {
        /* A flag of the test, not a part of the report. */
        if (root && strcmp(key, "findings_exact") == 0)
            continue;
        size_t saved = path_push(c, root ? "%s" : ".%s", key);
        const json_t *got = json_object_get(act, key);
        int differs = got == NULL ? differ(c, want, NULL) : cmp_value(c, want, got, key);
        path_pop(c, saved);
        if (differs)
            return 1;
    }
    return 0;
}

/* Compares @p exp with @p act; @p name is the key they sit under (it picks how a list
 * matches), NULL for a list item or the root. Returns 1 when they differ. */
static int cmp_value(struct cmp *c, const json_t *exp, const json_t *act, const char *name)
{
    if (json_is_object(exp))
        return cmp_object(c, exp, act);
    if (json_is_array(exp))
        return cmp_array(c, exp, act, name);
    return json_equal(exp, act) ? 0 : differ(c, exp, act);
}

int cli_expect_compare(char **diff, const void *expect, const void *report, int findings_exact)
{
    struct cmp *c = calloc(1, sizeof *c);
    if (c == NULL)
        return -1;
    c->findings_exact = findings_exact;
    int differs = cmp_value(c, expect, report, NULL);
    int rc = c->nomem ? -1 : differs;
    *diff = rc == 1 ? c->diff : NULL;
    if (rc != 1)
        free(c->diff);
    free(c);
    return rc;
}
