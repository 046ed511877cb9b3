/* `vipa compare` as text: the comparison JSON (the library's, vipa_comparison_json())
 * read back with jansson and shown as a reader wants it: the parameters changed, the
 * totals as a table, then each changed row by its key with what changed in it; and two
 * explanations step against step. The JSON is the one source: the text shows nothing the
 * contract does not hold. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

/* ---- values as text ------------------------------------------------------------------ */

/* A JSON value as a reader writes it: strings bare, null as "-", objects of one key (a
 * holder, a subject) as "key value"; a malloc'd text, NULL when out of memory. */
char *cli_json_value_text(const void *value)
{
    const json_t *v = value;
    if (json_is_string(v))
        return cli_strdupf("%s", json_string_value(v));
    if (json_is_null(v) || v == NULL)
        return cli_strdupf("-");
    if (json_is_object(v) && json_object_size(v) == 1) {
        const char *k = json_object_iter_key(json_object_iter((json_t *)v));
        char *inner = cli_json_value_text(json_object_get(v, k));
        char *t = inner ? cli_strdupf("%s %s", k, inner) : NULL;
        free(inner);
        return t;
    }
    return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static void put_value(FILE *out, const json_t *v)
{
    char *t = cli_json_value_text(v);
    cli_fputs_escaped(t ? t : "?", 0, out);
    free(t);
}

/* ---- parameters and totals --------------------------------------------------------------- */

static void render_params(FILE *out, const json_t *params)
{
    if (json_object_size(params) == 0) {
        fputs("Parameters: the same in both runs\n", out);
        return;
    }
    fputs("Parameters changed (baseline -> reform):\n", out);
    const char *key;
    json_t *pair;
    json_object_foreach((json_t *)params, key, pair) {
        fprintf(out, "  %s: ", key);
        put_value(out, json_array_get(pair, 0));
        fputs(" -> ", out);
        put_value(out, json_array_get(pair, 1));
        fputc('\n', out);
    }
}

/* One totals row: label, then [baseline, reform, difference]. */
static void add_total(cli_table *t, const char *label, const json_t *triple)
{
    char *cells[3] = {NULL, NULL, NULL};
    for (int k = 0; k < 3; k++)
        cells[k] = cli_json_value_text(json_array_get(triple, (size_t)k));
    cli_table_add(t, (const char *[]){label, cells[0] ? cells[0] : "?", cells[1] ? cells[1] : "?",
                                      cells[2] ? cells[2] : "?"});
    for (int k = 0; k < 3; k++)
        free(cells[k]);
}

static void add_year_totals(cli_table *t, const json_t *year)
{
    static const char *const rows[][2] = {
        {"income", "household income"},
        {"meeting_standard", "households meeting the standard"},
        {"exits", "exits"},
        {"obligations_due", "obligations due (四(四))"},
        {"obligations_paid", "obligations paid"},
        {"dividends_due", "dividends due (二(三))"},
        {"dividends_paid", "dividends paid"},
    };
    long long y = json_integer_value(json_object_get(year, "year"));
    char label[96];
    for (size_t k = 0; k < sizeof rows / sizeof *rows; k++) {
        snprintf(label, sizeof label, "%lld %s", y, rows[k][1]);
        add_total(t, label, json_object_get(year, rows[k][0]));
    }
    const char *outcome;
    json_t *triple;
    json_object_foreach(json_object_get(year, "outcomes"), outcome, triple) {
        snprintf(label, sizeof label, "%lld evaluations %s (四(五))", y, outcome);
        add_total(t, label, triple);
    }
}

static int render_totals(FILE *out, const json_t *totals)
{
    static const char *const heads[] = {"Totals", "baseline", "reform", "difference"};
    cli_table t;
    cli_table_init(&t, 4, heads, "lrrr");
    const json_t *equity = json_object_get(totals, "equity");
    add_total(&t, "equity to poor households (三(二))", json_object_get(equity, "households"));
    add_total(&t, "equity to village collectives", json_object_get(equity, "collectives"));
    add_total(&t, "equity to entities", json_object_get(equity, "entities"));
    size_t i;
    json_t *year;
    json_array_foreach(json_object_get(totals, "years"), i, year)
        add_year_totals(&t, year);
    add_total(&t, "entities disqualified (四(五))", json_object_get(totals, "disqualified"));
    int rc = cli_table_print(&t, out, "");
    cli_table_free(&t);
    return rc;
}

/* ---- changed rows ---------------------------------------------------------------------------- */

/* The keys that name a row of each table, as the report spells them. */
static const char *const *key_fields(const char *table)
{
    static const char *const agreement[] = {"agreement", NULL};
    static const char *const allocation[] = {"injection", "holder", NULL};
    static const char *const id[] = {"id", NULL};
    static const char *const entity[] = {"entity", NULL};
    static const char *const dividend[] = {"entity", "household", NULL};
    static const char *const linkage[] = {"linkage", NULL};
    static const char *const village[] = {"village", NULL};
    static const char *const evaluation[] = {"agreement", "date", NULL};
    static const char *const finding[] = {"rule", "subject", "year", NULL};
    static const struct {
        const char *table;
        const char *const *keys;
    } map[] = {
        {"signers", agreement}, {"allocations", allocation}, {"households", id},
        {"entities", id}, {"disclosure", entity}, {"obligations", linkage},
        {"dividends", dividend}, {"coverage", village}, {"evaluations", evaluation},
        {"findings", finding},
    };
    for (size_t k = 0; k < sizeof map / sizeof *map; k++)
        if (strcmp(map[k].table, table) == 0)
            return map[k].keys;
    return id;
}

static int is_key(const char *const *keys, const char *field)
{
    for (; *keys; keys++)
        if (strcmp(*keys, field) == 0)
            return 1;
    return 0;
}

/* "injection 1, holder household 101" from whichever side has the row. */
static void put_row_name(FILE *out, const char *const *keys, const json_t *row)
{
    for (const char *const *k = keys; *k; k++) {
        fprintf(out, "%s%s ", k == keys ? "" : ", ", *k);
        put_value(out, json_object_get(row, *k));
    }
}

int cli_comparison_is_key(const char *table, const char *field)
{
    return is_key(key_fields(table), field);
}

char *cli_comparison_row_name(const char *table, const void *row)
{
    char *text = NULL;
    size_t length = 0;
    FILE *f = open_memstream(&text, &length);
    if (!f)
        return NULL;
    put_row_name(f, key_fields(table), row);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static int contains(const json_t *list, const json_t *item)
{
    size_t i;
    json_t *x;
    json_array_foreach(list, i, x)
        if (json_equal(x, item))
            return 1;
    return 0;
}

/* How many elements of @p list, rule by rule, are not in @p other: " +3 RULE_A +1 RULE_B"
 * with @p sign '+' (or '-'), for the failed checks of an evaluation. */
static void put_rule_counts(FILE *out, const json_t *list, const json_t *other, char sign)
{
    size_t n = json_array_size(list);
    unsigned char *missing = calloc(n ? n : 1, 1);
    if (!missing)
        return;
    for (size_t i = 0; i < n; i++)
        missing[i] = !contains(other, json_array_get(list, i));
    for (size_t i = 0; i < n; i++) {
        const json_t *rule = json_object_get(json_array_get(list, i), "rule");
        size_t count = 0, first = n;
        for (size_t k = 0; k < n; k++)
            if (missing[k] && json_equal(json_object_get(json_array_get(list, k), "rule"), rule)) {
                count++;
                first = first < k ? first : k;
            }
        if (count > 0 && first == i) /* each rule once, where it first appears */
            fprintf(out, " %c%zu %s", sign, count, json_string_value(rule));
    }
    free(missing);
}

/* A list of failed checks changed: "failed 2 -> 18 (+16 DIVIDEND_PAID_AS_AGREED)". */
static void put_failed_change(FILE *out, const json_t *a, const json_t *b)
{
    fprintf(out, "%zu -> %zu (", json_array_size(a), json_array_size(b));
    put_rule_counts(out, b, a, '+');
    put_rule_counts(out, a, b, '-');
    fputs(" )", out);
}

/* Each field that differs: "field: baseline -> reform". */
static void put_differences(FILE *out, const char *const *keys, const json_t *a, const json_t *b)
{
    const char *field;
    json_t *va;
    int first = 1;
    json_object_foreach((json_t *)a, field, va) {
        json_t *vb = json_object_get(b, field);
        if (is_key(keys, field) || json_equal(va, vb))
            continue;
        fprintf(out, "%s%s ", first ? ": " : "; ", field);
        first = 0;
        if (json_is_array(va) && json_is_array(vb) && strcmp(field, "failed") == 0) {
            put_failed_change(out, va, vb);
            continue;
        }
        put_value(out, va);
        fputs(" -> ", out);
        put_value(out, vb);
    }
}

static void render_change(FILE *out, const char *table, const json_t *pair)
{
    const char *const *keys = key_fields(table);
    const json_t *a = json_array_get(pair, 0), *b = json_array_get(pair, 1);
    int only_a = json_is_null(b), only_b = json_is_null(a);
    fputs(only_a ? "  - " : only_b ? "  + " : "    ", out);
    put_row_name(out, keys, only_b ? b : a);
    if (strcmp(table, "findings") == 0 && (only_a || only_b)) {
        fputs(": ", out);
        put_value(out, json_object_get(only_b ? b : a, "message"));
    } else if (only_a || only_b) {
        fputs(only_a ? " (baseline only)" : " (reform only)", out);
    } else {
        put_differences(out, keys, a, b);
    }
    fputc('\n', out);
}

/* ---- walking the changes, one at a time ----------------------------------------------------- */

/* The tables in the order the comparison JSON lists them, with the name of each list. */
static const struct {
    vipa_table table;
    const char *key;
} top_tables[] = {
    {VIPA_TABLE_SIGNERS, "signers"},       {VIPA_TABLE_ALLOCATIONS, "allocations"},
    {VIPA_TABLE_HOUSEHOLDS, "households"}, {VIPA_TABLE_ENTITIES, "entities"},
    {VIPA_TABLE_DISCLOSURE, "disclosure"},
}, year_tables[] = {
    {VIPA_TABLE_YEAR_HOUSEHOLDS, "households"},   {VIPA_TABLE_YEAR_OBLIGATIONS, "obligations"},
    {VIPA_TABLE_YEAR_DIVIDENDS, "dividends"},     {VIPA_TABLE_YEAR_COVERAGE, "coverage"},
    {VIPA_TABLE_YEAR_EVALUATIONS, "evaluations"},
};

#define COUNT(a) (sizeof(a) / sizeof *(a))

/* Change i of a table as its pair [baseline, reform], parsed; NULL when out of memory. */
static json_t *change_pair(const vipa_comparison *c, vipa_table t, size_t i)
{
    char *text = NULL;
    if (vipa_comparison_change_json(&text, NULL, c, t, i, 0) != VIPA_OK)
        return NULL;
    json_error_t error;
    json_t *pair = json_loads(text, 0, &error);
    vipa_free(text);
    return pair;
}

/* Calls fn for each change of @p t from *next while its year is @p year (0: all). */
static int walk_table(const vipa_comparison *c, vipa_table t, const char *key, int year,
                      size_t *next, cli_change_fn fn, void *state)
{
    vipa_change ch = VIPA_CHANGE_INIT;
    while (vipa_comparison_change(&ch, c, t, *next) == VIPA_OK && (year == 0 || ch.year == year)) {
        json_t *pair = change_pair(c, t, (*next)++);
        int rc = pair ? fn(state, key, year, pair) : -1;
        json_decref(pair);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int cli_comparison_each_change(const vipa_comparison *c, const void *summary, cli_change_fn fn,
                               void *state)
{
    for (size_t k = 0; k < COUNT(top_tables); k++) {
        size_t next = 0;
        if (walk_table(c, top_tables[k].table, top_tables[k].key, 0, &next, fn, state) != 0)
            return -1;
    }
    size_t next[COUNT(year_tables)] = {0};
    size_t i;
    json_t *y;
    json_array_foreach(json_object_get(json_object_get(summary, "changes"), "years"), i, y) {
        int year = (int)json_integer_value(json_object_get(y, "year"));
        for (size_t k = 0; k < COUNT(year_tables); k++)
            if (walk_table(c, year_tables[k].table, year_tables[k].key, year, &next[k], fn,
                           state) != 0)
                return -1;
    }
    size_t first = 0;
    return walk_table(c, VIPA_TABLE_FINDINGS, "findings", 0, &first, fn, state);
}

json_t *cli_comparison_summary(const vipa_comparison *c)
{
    char *text = NULL;
    if (vipa_comparison_json(&text, NULL, c, VIPA_COMPARISON_SUMMARY) != VIPA_OK)
        return NULL;
    json_error_t error;
    json_t *root = json_loads(text, 0, &error);
    vipa_free(text);
    return root;
}

/* ---- the text --------------------------------------------------------------------------------- */

/* Where the text is: the list being shown, for its heading. */
typedef struct text_walk {
    FILE *out;
    const vipa_comparison *c;
    const char *key;
    int year;
} text_walk;

static size_t list_size(const vipa_comparison *c, const char *key, int year)
{
    const char *const names[] = {NULL, "signers", "allocations", "households", "entities",
                                 "disclosure"};
    size_t n = 0;
    vipa_change ch = VIPA_CHANGE_INIT;
    if (year == 0) {
        for (int t = 1; t <= 5; t++)
            if (strcmp(names[t], key) == 0)
                return vipa_comparison_change_count(c, (vipa_table)t);
        return vipa_comparison_change_count(c, VIPA_TABLE_FINDINGS);
    }
    for (size_t k = 0; k < COUNT(year_tables); k++) {
        if (strcmp(year_tables[k].key, key) != 0)
            continue;
        for (size_t i = 0; vipa_comparison_change(&ch, c, year_tables[k].table, i) == VIPA_OK; i++)
            n += ch.year == year;
    }
    return n;
}

static int text_change(void *state, const char *key, int year, const void *pair)
{
    text_walk *w = state;
    if (w->key != key || w->year != year) { /* a new list: its heading */
        w->key = key;
        w->year = year;
        if (year)
            fprintf(w->out, "\n%d %s (%zu)\n", year, key, list_size(w->c, key, year));
        else if (strcmp(key, "findings") == 0)
            fprintf(w->out, "\nfindings (- baseline only, + reform only) (%zu)\n",
                    list_size(w->c, key, 0));
        else
            fprintf(w->out, "\n%s (%zu)\n", key, list_size(w->c, key, 0));
    }
    render_change(w->out, key, pair);
    return 0;
}

static int changed_rows(const json_t *totals)
{
    long long n = 0;
    const char *key;
    json_t *count;
    json_object_foreach(json_object_get(totals, "changes"), key, count)
        n += json_integer_value(count);
    return n > 0;
}

int cli_render_comparison(FILE *out, const vipa_comparison *c)
{
    json_t *root = cli_comparison_summary(c);
    if (!root)
        return -1;
    const json_t *totals = json_object_get(root, "totals");
    render_params(out, json_object_get(root, "params"));
    fputc('\n', out);
    int rc = render_totals(out, totals);
    if (rc == 0 && !changed_rows(totals)) {
        fputs("\nNo row of the report differs between the two runs.\n", out);
    } else if (rc == 0) {
        text_walk w = {out, c, NULL, -1};
        rc = cli_comparison_each_change(c, root, text_change, &w);
    }
    json_decref(root);
    return rc;
}

/* ---- explanations step against step ------------------------------------------------------------ */

/* An explanation's steps as texts in @p lang ("" for a step without one); malloc'd, NULL
 * when out of memory. */
static const char **step_texts(const vipa_explanation *x, const char *lang)
{
    size_t n = vipa_explanation_step_count(x);
    const char **texts = malloc((n ? n : 1) * sizeof *texts);
    for (size_t i = 0; texts && i < n; i++) {
        texts[i] = vipa_explanation_step_text(x, i, lang);
        if (!texts[i])
            texts[i] = "";
    }
    return texts;
}

/* The longest common subsequence of the two lists of steps (by their texts), so that a
 * step present in one explanation only does not shift every later pair: lcs[i·(m+1)+j]
 * for the steps from i of a (n of them) and from j of b (m). */
static size_t *align_steps(const char *const *a, size_t n, const char *const *b, size_t m)
{
    size_t *lcs = calloc((n + 1) * (m + 1), sizeof *lcs);
    if (!lcs)
        return NULL;
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;) {
            size_t skip_a = lcs[(i + 1) * (m + 1) + j], skip_b = lcs[i * (m + 1) + j + 1];
            lcs[i * (m + 1) + j] = strcmp(a[i], b[j]) == 0 ? lcs[(i + 1) * (m + 1) + j + 1] + 1
                                   : skip_a > skip_b      ? skip_a
                                                          : skip_b;
        }
    return lcs;
}

static void put_step(FILE *out, const char *mark, const char *text)
{
    fputs(mark, out);
    cli_fputs_escaped(text, 0, out);
    fputc('\n', out);
}

int cli_render_explanations(FILE *out, const vipa_explanation *x, const vipa_explanation *y,
                            const char *lang)
{
    size_t n = vipa_explanation_step_count(x), m = vipa_explanation_step_count(y);
    const char **a = step_texts(x, lang), **b = step_texts(y, lang);
    size_t *lcs = a && b ? align_steps(a, n, b, m) : NULL;
    if (!lcs) {
        free(a);
        free(b);
        return -1;
    }
    fputs(strcmp(lang, "zh") == 0 ? "（“=” 两者相同；“-” 仅基线；“+” 仅改革方案）\n"
                                  : "(\"=\" the same in both; \"-\" baseline only; \"+\" reform only)\n",
          out);
    size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && strcmp(a[i], b[j]) == 0) {
            put_step(out, "  = ", a[i++]);
            j++;
        } else if (j >= m || (i < n && lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1])) {
            put_step(out, "  - ", a[i++]);
        } else {
            put_step(out, "  + ", b[j++]);
        }
    }
    free(lcs);
    free(a);
    free(b);
    return 0;
}
