/* A comparison as tables, for `vipa compare --format xlsx|csv` (export.c lays them out):
 * the parameters changed (参数变化), the totals (合计), and the differences (差异), one row
 * per value that differs between the baseline's row and the reform's, named by the row's
 * key. Made from the comparison JSON (vipa_comparison_json(), parsed), the one source the
 * text and --json show too: a cell holds what the JSON holds, money as money. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

static cli_cell text(const char *t)
{
    return (cli_cell){CLI_CELL_TEXT, 0, 0, 0, t};
}

static cli_cell empty(void)
{
    return (cli_cell){CLI_CELL_EMPTY, 0, 0, 0, NULL};
}

/* A value of the JSON as a cell: money as money, an integer as a signed integer, anything
 * else as its text (kept in *owned, freed by the caller). */
static cli_cell value_cell(const json_t *v, char **owned)
{
    vipa_fen fen;
    *owned = NULL;
    if (json_is_integer(v))
        return (cli_cell){CLI_CELL_INTEGER, 0, (vipa_fen)json_integer_value(v), 0, NULL};
    if (json_is_string(v) && vipa_fen_parse(&fen, json_string_value(v), NULL) == VIPA_OK &&
        strchr(json_string_value(v), '.') != NULL)
        return (cli_cell){CLI_CELL_MONEY, 0, fen, 0, NULL};
    *owned = cli_json_value_text(v);
    return text(*owned ? *owned : "?");
}

static const json_t *root_of(const cli_tables_src *src)
{
    return src->summary;
}

/* ---- 参数变化: the parameters whose values differ ----------------------------------------------- */

static int params_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const char *key;
    json_t *pair;
    json_object_foreach(json_object_get(root_of(src), "params"), key, pair) {
        char *a = NULL, *b = NULL;
        cli_cell cells[3] = {text(key), value_cell(json_array_get(pair, 0), &a),
                             value_cell(json_array_get(pair, 1), &b)};
        int rc = row(sink, cells);
        free(a);
        free(b);
        if (rc != 0)
            return -1;
    }
    (void)nomem;
    return 0;
}

/* ---- 合计: the totals, [baseline, reform, difference] ---------------------------------------------- */

typedef struct total_label {
    const char *key, *zh, *en;
} total_label;

static const total_label equity_labels[] = {
    {"households", "贫困户股权 (三(二))", "equity to poor households (三(二))"},
    {"collectives", "村集体股权", "equity to village collectives"},
    {"entities", "经营主体股权", "equity to entities"},
};

static const total_label year_labels[] = {
    {"income", "户年收入", "household income"},
    {"meeting_standard", "达到脱贫标准户数 (四(二))", "households meeting the standard (四(二))"},
    {"exits", "脱贫户数", "exits"},
    {"obligations_due", "应付带动收益 (四(四))", "obligations due (四(四))"},
    {"obligations_paid", "已付带动收益", "obligations paid"},
    {"dividends_due", "应付分红 (二(三))", "dividends due (二(三))"},
    {"dividends_paid", "已付分红", "dividends paid"},
};

static const total_label outcome_labels[] = {
    {"compliant", "考核合格 (四(五))", "evaluations compliant (四(五))"},
    {"rectification", "督促整改", "evaluations rectification"},
    {"restored", "整改后恢复", "evaluations restored"},
    {"terminated", "解除协议", "evaluations terminated"},
};

static int total_row(const cli_tables_src *src, cli_row_fn row, void *sink, const json_t *year,
                     const total_label *label, const json_t *triple)
{
    char *owned[3] = {NULL, NULL, NULL};
    cli_cell cells[5] = {year ? (cli_cell){CLI_CELL_NUMBER, (uint64_t)json_integer_value(year), 0,
                                           0, NULL}
                              : empty(),
                         text(src->en ? label->en : label->zh)};
    for (int k = 0; k < 3; k++)
        cells[2 + k] = value_cell(json_array_get(triple, (size_t)k), &owned[k]);
    int rc = row(sink, cells);
    for (int k = 0; k < 3; k++)
        free(owned[k]);
    return rc;
}

#define COUNT(a) (sizeof(a) / sizeof *(a))

static int totals_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const json_t *totals = json_object_get(root_of(src), "totals");
    const json_t *equity = json_object_get(totals, "equity");
    for (size_t k = 0; k < COUNT(equity_labels); k++)
        if (total_row(src, row, sink, NULL, &equity_labels[k],
                      json_object_get(equity, equity_labels[k].key)) != 0)
            return -1;
    size_t i;
    json_t *y;
    json_array_foreach(json_object_get(totals, "years"), i, y) {
        const json_t *year = json_object_get(y, "year");
        for (size_t k = 0; k < COUNT(year_labels); k++)
            if (total_row(src, row, sink, year, &year_labels[k],
                          json_object_get(y, year_labels[k].key)) != 0)
                return -1;
        const json_t *outcomes = json_object_get(y, "outcomes");
        for (size_t k = 0; k < COUNT(outcome_labels); k++)
            if (total_row(src, row, sink, year, &outcome_labels[k],
                          json_object_get(outcomes, outcome_labels[k].key)) != 0)
                return -1;
    }
    static const total_label disqualified = {"disqualified", "取消资格的经营主体 (四(五))",
                                             "entities disqualified (四(五))"};
    (void)nomem;
    return total_row(src, row, sink, NULL, &disqualified, json_object_get(totals, "disqualified"));
}

/* ---- 差异: one row per value that differs ------------------------------------------------------------ */

/* The tables by the comparison JSON's names, with the report sheets' names for them. */
typedef struct table_label {
    const char *key, *zh, *en;
} table_label;

static const table_label top_tables[] = {
    {"signers", "签约主体", "Signers"},     {"allocations", "股权配置", "Allocations"},
    {"households", "户脱贫年度", "Exits"},  {"entities", "经营主体", "Entities"},
    {"disclosure", "公示", "Disclosure"},
};

static const table_label year_tables[] = {
    {"households", "年度户收入", "Household income"}, {"obligations", "带动义务", "Obligations"},
    {"dividends", "分红", "Dividends"},               {"coverage", "核心村覆盖", "Coverage"},
    {"evaluations", "绩效评估", "Evaluations"},
};

static const table_label findings_table = {"findings", "发现的问题", "Findings"};

typedef struct diff_walk {
    const cli_tables_src *src;
    cli_row_fn row;
    void *sink;
    int *nomem;
} diff_walk;

/* One row: table, year, row, field, baseline, reform, and the difference of two amounts. */
static int diff_row(const diff_walk *w, const table_label *t, const json_t *year,
                    const char *name, const char *field, const json_t *a, const json_t *b)
{
    char *owned[2] = {NULL, NULL};
    cli_cell cells[7] = {
        text(w->src->en ? t->en : t->zh),
        year ? (cli_cell){CLI_CELL_NUMBER, (uint64_t)json_integer_value(year), 0, 0, NULL}
             : empty(),
        text(name), text(field), a ? value_cell(a, &owned[0]) : empty(),
        b ? value_cell(b, &owned[1]) : empty(), empty()};
    if (cells[4].kind == CLI_CELL_MONEY && cells[5].kind == CLI_CELL_MONEY &&
        vipa_fen_sub(&cells[6].fen, cells[5].fen, cells[4].fen) == VIPA_OK)
        cells[6].kind = CLI_CELL_MONEY;
    int rc = w->row(w->sink, cells);
    free(owned[0]);
    free(owned[1]);
    return rc;
}

/* A pair: a row of one side only is one line ("row": present / absent); otherwise one
 * line per value that differs. */
static int pair_rows(const diff_walk *w, const table_label *t, const json_t *year,
                     const json_t *pair)
{
    const json_t *a = json_array_get(pair, 0), *b = json_array_get(pair, 1);
    char *name = cli_comparison_row_name(t->key, json_is_null(a) ? b : a);
    if (!name)
        return (*w->nomem = 1), -1;
    int rc = 0;
    if (json_is_null(a) || json_is_null(b)) {
        const char *present = w->src->en ? "present" : "有", *absent = w->src->en ? "absent" : "无";
        json_t *pa = json_string(json_is_null(a) ? absent : present);
        json_t *pb = json_string(json_is_null(b) ? absent : present);
        rc = pa && pb ? diff_row(w, t, year, name, w->src->en ? "row" : "行", pa, pb)
                      : ((*w->nomem = 1), -1);
        json_decref(pa);
        json_decref(pb);
    } else {
        const char *field;
        json_t *va;
        json_object_foreach((json_t *)a, field, va) {
            const json_t *vb = json_object_get(b, field);
            if (cli_comparison_is_key(t->key, field) || json_equal(va, vb))
                continue;
            if ((rc = diff_row(w, t, year, name, field, va, vb)) != 0)
                break;
        }
    }
    free(name);
    return rc;
}

/* The label of a list of the comparison JSON, by its name and whether it is a year's. */
static const table_label *label_of(const char *list, int year)
{
    const table_label *labels = year ? year_tables : top_tables;
    size_t n = year ? COUNT(year_tables) : COUNT(top_tables);
    for (size_t k = 0; k < n; k++)
        if (strcmp(labels[k].key, list) == 0)
            return &labels[k];
    return &findings_table;
}

static int change_rows(void *state, const char *list, int year, const void *pair)
{
    const diff_walk *w = state;
    json_t *y = year ? json_integer(year) : NULL;
    if (year && !y)
        return (*w->nomem = 1), -1;
    int rc = pair_rows(w, label_of(list, year), y, pair);
    json_decref(y);
    return rc;
}

static int differences_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    diff_walk w = {src, row, sink, nomem};
    return cli_comparison_each_change(src->comparison, src->summary, change_rows, &w);
}

/* ---- the sheets ---------------------------------------------------------------------------------------- */

static const cli_column params_cols[] = {
    {"参数", "Parameter"}, {"基线", "Baseline"}, {"改革", "Reform"}};
static const cli_column totals_cols[] = {
    {"年度", "Year"}, {"项目", "Item"}, {"基线", "Baseline"}, {"改革", "Reform"},
    {"差额", "Difference"}};
static const cli_column differences_cols[] = {
    {"表", "Table"},     {"年度", "Year"},     {"行", "Row"},
    {"字段", "Field"},   {"基线", "Baseline"}, {"改革", "Reform"},
    {"差额", "Difference"}};

const cli_sheet cli_compare_sheets[] = {
    {"参数变化", "Parameters", "params.csv", COUNT(params_cols), params_cols, params_rows},
    {"合计", "Totals", "totals.csv", COUNT(totals_cols), totals_cols, totals_rows},
    {"差异", "Differences", "differences.csv", COUNT(differences_cols), differences_cols,
     differences_rows},
};

const size_t cli_compare_sheet_count = COUNT(cli_compare_sheets);
