/* The report as tables of typed cells, for the spreadsheet outputs of `vipa run`
 * (--format xlsx and csv, export.c): one table per list of the report JSON
 * (docs/scenario.md, "The report"), with the year as a column where the report has
 * years, and the names the scenario gives beside ids and codes. This is the one
 * description of those tables: their names, columns and rows; the writers only lay the
 * cells out. The text tables of render.c are another view (fewer columns, English, the
 * short-paid obligations only) and keep their own code, byte for byte.
 *
 * Cells hold what the report holds, typed: ids, years and counts as numbers, money in
 * fen, dates as dates, codes and words as text (the report's words: "wage", "compliant",
 * rule IDs), so a spreadsheet cell reads back to the report's value. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Room for a 12-digit area code or any decimal number. */
#define NUM_SIZE 24

/* ---- cells --------------------------------------------------------------------------- */

static cli_cell empty(void)
{
    return (cli_cell){CLI_CELL_EMPTY, 0, 0, 0, NULL};
}

static cli_cell number(uint64_t v)
{
    return (cli_cell){CLI_CELL_NUMBER, v, 0, 0, NULL};
}

static cli_cell money(vipa_fen f)
{
    return (cli_cell){CLI_CELL_MONEY, 0, f, 0, NULL};
}

/* A date; none (0) is an empty cell, as the report leaves the key out. */
static cli_cell day(vipa_date d)
{
    return d == 0 ? empty() : (cli_cell){CLI_CELL_DATE, 0, 0, d, NULL};
}

static cli_cell text(const char *s)
{
    return s == NULL ? empty() : (cli_cell){CLI_CELL_TEXT, 0, 0, 0, s};
}

/* A year of the report, or an empty cell for none (0: JSON null). */
static cli_cell year_or_empty(int year)
{
    return year > 0 ? number((uint64_t)year) : empty();
}

/* The 12-digit text of an area code (into @p buf); 0, no area, is an empty cell. */
static cli_cell code(char *buf, vipa_area_code c)
{
    if (c == 0 || vipa_area_code_format(buf, VIPA_AREA_CODE_SIZE, c) != VIPA_OK)
        return empty();
    return text(buf);
}

static cli_cell yes_no(const cli_tables_src *src, int v)
{
    return text(v ? (src->en ? "yes" : "是") : (src->en ? "no" : "否"));
}

static cli_cell area_name(const cli_tables_src *src, vipa_area_code c)
{
    return text(c == 0 ? NULL : report_area_name(src->names, c));
}

static cli_cell entity_name(const cli_tables_src *src, vipa_id id)
{
    const report_entity *e = report_entity_find(src->names, id);
    return text(e == NULL ? NULL : e->name);
}

/* A subject as three cells: its kind's word, its id (a village's or town's code as
 * text) and the name the scenario gives it (areas and entities have names). */
static void subject_cells(cli_cell *out, char *buf, const cli_tables_src *src,
                          vipa_subject_kind kind, uint64_t id)
{
    int area = kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN;
    out[0] = text(kind == VIPA_SUBJECT_NONE ? NULL : vipa_subject_kind_name(kind));
    out[1] = kind == VIPA_SUBJECT_NONE ? empty() : area ? code(buf, id) : number(id);
    out[2] = area                           ? area_name(src, id)
             : kind == VIPA_SUBJECT_ENTITY ? entity_name(src, id)
                                           : empty();
}

/* ---- joined texts (favoured years, support measures) ----------------------------------- */

typedef struct joined {
    char *data;
    size_t len, cap;
    int failed;
} joined;

static void join(joined *j, const char *sep, const char *item)
{
    size_t extra = (j->len > 0 ? strlen(sep) : 0) + strlen(item);
    if (j->failed)
        return;
    if (j->len + extra + 1 > j->cap) {
        size_t cap = (j->len + extra + 1) * 2;
        char *p = realloc(j->data, cap);
        if (p == NULL) {
            j->failed = 1;
            return;
        }
        j->data = p;
        j->cap = cap;
    }
    if (j->len > 0) {
        memcpy(j->data + j->len, sep, strlen(sep));
        j->len += strlen(sep);
    }
    memcpy(j->data + j->len, item, strlen(item));
    j->len += strlen(item);
    j->data[j->len] = '\0';
}

/* The separator of a list in one cell: 、 in Chinese, ", " in English. */
static const char *list_sep(const cli_tables_src *src)
{
    return src->en ? ", " : "、";
}

/* ---- per year -------------------------------------------------------------------------- */

static int years_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        cli_cell c[] = {number((uint64_t)vipa_result_year(r, y)),
                        yes_no(src, vipa_result_year_complete(r, y)),
                        number(vipa_result_year_household_count(r, y)),
                        number(cli_count_meeting(r, y))};
        if (row(sink, c) != 0)
            return -1;
    }
    return 0;
}

static int household_year_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_household_count(r, y); i++) {
            vipa_year_household_row h;
            char v[VIPA_AREA_CODE_SIZE];
            if (vipa_result_year_household_row(&h, sizeof h, r, y, i) != VIPA_OK)
                continue;
            vipa_area_code village = report_household_village(src->names, h.household);
            cli_cell c[] = {number((uint64_t)vipa_result_year(r, y)), number(h.household),
                            code(v, village), area_name(src, village), money(h.income),
                            money(h.line), yes_no(src, h.meets_standard)};
            if (row(sink, c) != 0)
                return -1;
        }
    }
    return 0;
}

static int obligation_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_obligation_count(r, y); i++) {
            vipa_year_obligation_row o;
            if (vipa_result_year_obligation_row(&o, sizeof o, r, y, i) != VIPA_OK)
                continue;
            cli_cell c[] = {number((uint64_t)vipa_result_year(r, y)), number(o.linkage),
                            number(o.household), text(vipa_linkage_kind_name(o.kind)), money(o.due),
                            money(o.paid)};
            if (row(sink, c) != 0)
                return -1;
        }
    }
    return 0;
}

static int dividend_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_dividend_count(r, y); i++) {
            vipa_year_dividend_row d;
            if (vipa_result_year_dividend_row(&d, sizeof d, r, y, i) != VIPA_OK)
                continue;
            cli_cell c[] = {number((uint64_t)vipa_result_year(r, y)), number(d.entity),
                            entity_name(src, d.entity), number(d.household), money(d.due),
                            money(d.paid)};
            if (row(sink, c) != 0)
                return -1;
        }
    }
    return 0;
}

static int coverage_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_coverage_count(r, y); i++) {
            vipa_year_coverage_row v;
            char buf[VIPA_AREA_CODE_SIZE];
            if (vipa_result_year_coverage_row(&v, sizeof v, r, y, i) != VIPA_OK)
                continue;
            cli_cell c[] = {number((uint64_t)vipa_result_year(r, y)), code(buf, v.village),
                            area_name(src, v.village), number(v.willing), number(v.covered)};
            if (row(sink, c) != 0)
                return -1;
        }
    }
    return 0;
}

static int evaluation_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++) {
            vipa_year_evaluation_row e;
            if (vipa_result_year_evaluation_row(&e, sizeof e, r, y, i) != VIPA_OK)
                continue;
            cli_cell c[] = {number((uint64_t)vipa_result_year(r, y)), number(e.agreement),
                            number(e.entity), entity_name(src, e.entity), day(e.date),
                            yes_no(src, e.recheck), text(vipa_outcome_name(e.outcome)),
                            number(e.failed_count)};
            if (row(sink, c) != 0)
                return -1;
        }
    }
    return 0;
}

/* The failed checks of evaluation @p i of year @p y, each naming its evaluation. */
static int failed_of(const cli_tables_src *src, cli_row_fn row, void *sink, size_t y, size_t i)
{
    const vipa_result *r = src->result;
    vipa_year_evaluation_row e;
    if (vipa_result_year_evaluation_row(&e, sizeof e, r, y, i) != VIPA_OK)
        return 0;
    for (size_t k = 0; k < e.failed_count; k++) {
        vipa_year_failed_row f;
        char buf[VIPA_AREA_CODE_SIZE];
        if (vipa_result_year_failed_row(&f, sizeof f, r, y, i, k) != VIPA_OK)
            continue;
        cli_cell c[11] = {number((uint64_t)vipa_result_year(r, y)), number(e.agreement),
                          day(e.date), yes_no(src, e.recheck), text(vipa_rule_id(f.rule)),
                          text(vipa_rule_clause(f.rule))};
        subject_cells(c + 6, buf, src, f.subject_kind, f.subject);
        c[9] = text(f.expected);
        c[10] = text(f.actual);
        if (row(sink, c) != 0)
            return -1;
    }
    return 0;
}

static int failed_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++)
            if (failed_of(src, row, sink, y, i) != 0)
                return -1;
    return 0;
}

/* ---- the whole run ---------------------------------------------------------------------- */

static int household_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t i = 0; i < vipa_result_household_count(r); i++) {
        vipa_household_row h;
        char v[VIPA_AREA_CODE_SIZE];
        if (vipa_result_household_row(&h, sizeof h, r, i) != VIPA_OK)
            continue;
        vipa_area_code village = report_household_village(src->names, h.household);
        cli_cell c[] = {number(h.household), code(v, village), area_name(src, village),
                        year_or_empty(h.exit_year)};
        if (row(sink, c) != 0)
            return -1;
    }
    return 0;
}

static int entity_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    for (size_t i = 0; i < vipa_result_entity_count(r); i++) {
        vipa_entity_row e;
        if (vipa_result_entity_row(&e, sizeof e, r, i) != VIPA_OK)
            continue;
        joined years = {NULL, 0, 0, 0};
        for (size_t k = 0; k < e.favoured_count; k++) {
            int year = 0;
            char buf[NUM_SIZE];
            vipa_result_entity_favoured(&year, r, i, k);
            snprintf(buf, sizeof buf, "%d", year);
            join(&years, list_sep(src), buf);
        }
        if (years.failed) {
            free(years.data);
            *nomem = 1;
            return -1;
        }
        cli_cell c[] = {number(e.entity), entity_name(src, e.entity),
                        text(vipa_entity_status_name(e.status)), day(e.disqualified_on),
                        text(years.data)};
        int stop = row(sink, c);
        free(years.data);
        if (stop != 0)
            return -1;
    }
    return 0;
}

static int disclosure_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    for (size_t i = 0; i < vipa_result_disclosure_count(r); i++) {
        vipa_disclosure_row d;
        if (vipa_result_disclosure_row(&d, sizeof d, r, i) != VIPA_OK)
            continue;
        joined support = {NULL, 0, 0, 0};
        for (size_t k = 0; k < vipa_result_disclosure_support_count(r, i); k++) {
            const char *measure = vipa_result_disclosure_support(r, i, k);
            join(&support, src->en ? "; " : "；", measure == NULL ? "" : measure);
        }
        if (support.failed) {
            free(support.data);
            *nomem = 1;
            return -1;
        }
        cli_cell c[] = {number(d.entity), entity_name(src, d.entity), money(d.equity),
                        text(support.data), number(d.households)};
        int stop = row(sink, c);
        free(support.data);
        if (stop != 0)
            return -1;
    }
    return 0;
}

static int signer_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t i = 0; i < vipa_result_signer_count(r); i++) {
        vipa_signer_row s;
        char buf[VIPA_AREA_CODE_SIZE];
        if (vipa_result_signer_row(&s, sizeof s, r, i) != VIPA_OK)
            continue;
        cli_cell c[] = {number(s.agreement), text(vipa_signer_level_name(s.level)),
                        code(buf, s.area), area_name(src, s.area)};
        if (row(sink, c) != 0)
            return -1;
    }
    return 0;
}

static int allocation_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_result *r = src->result;
    (void)nomem;
    for (size_t i = 0; i < vipa_result_allocation_count(r); i++) {
        vipa_allocation_row a;
        char buf[VIPA_AREA_CODE_SIZE];
        if (vipa_result_allocation_row(&a, sizeof a, r, i) != VIPA_OK)
            continue;
        int collective = a.holder_kind == VIPA_HOLDER_COLLECTIVE;
        cli_cell c[] = {number(a.injection), text(vipa_holder_kind_name(a.holder_kind)),
                        collective ? code(buf, a.holder) : number(a.holder),
                        collective                                ? area_name(src, a.holder)
                        : a.holder_kind == VIPA_HOLDER_ENTITY ? entity_name(src, a.holder)
                                                                  : empty(),
                        money(a.amount)};
        if (row(sink, c) != 0)
            return -1;
    }
    return 0;
}

static int finding_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    const vipa_findings *f = vipa_result_findings(src->result);
    (void)nomem;
    for (size_t i = 0; i < vipa_findings_count(f); i++) {
        vipa_rule rule = vipa_finding_rule(f, i);
        char buf[VIPA_AREA_CODE_SIZE], message[VIPA_FINDING_MESSAGE_SIZE];
        /* into a buffer: vipa_finding_message() would keep every message with the list */
        if (vipa_finding_message_format_lang(message, sizeof message, f, i,
                                             src->en ? "en" : "zh") != VIPA_OK)
            message[0] = '\0';
        cli_cell c[10] = {text(vipa_rule_id(rule)),
                          text(vipa_severity_name(vipa_finding_severity(f, i))),
                          text(vipa_rule_clause(rule)), year_or_empty(vipa_finding_year(f, i))};
        subject_cells(c + 4, buf, src, vipa_finding_subject_kind(f, i),
                      vipa_finding_subject_id(f, i));
        c[7] = text(vipa_finding_expected(f, i));
        c[8] = text(vipa_finding_actual(f, i));
        c[9] = text(message);
        if (row(sink, c) != 0)
            return -1;
    }
    return 0;
}

/* The report's stamp: what makes the run reproducible, with the tables it goes with. */
static int run_rows(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem)
{
    static const char *const fields[] = {"library", "profile", "profile_sha256", "input_sha256"};
    (void)nomem;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        cli_cell c[] = {text(fields[i]), text(vipa_result_stamp(src->result, fields[i]))};
        if (row(sink, c) != 0)
            return -1;
    }
    return 0;
}

/* ---- the tables ------------------------------------------------------------------------- */

#define COLS(a) (sizeof(a) / sizeof((a)[0])), (a)

static const cli_column years_cols[] = {
    {"年度", "Year"}, {"已结束", "Complete"}, {"户数", "Households"},
    {"达到脱贫标准户数", "Meeting the standard"}};
static const cli_column household_year_cols[] = {
    {"年度", "Year"},           {"户编号", "Household"},       {"村代码", "Village code"},
    {"村名", "Village"},        {"收入(元)", "Income (yuan)"}, {"贫困线(元)", "Line (yuan)"},
    {"达到脱贫标准", "Meets the standard"}};
static const cli_column obligation_cols[] = {
    {"年度", "Year"},  {"联结编号", "Linkage"}, {"户编号", "Household"},
    {"类型", "Kind"}, {"应付(元)", "Due (yuan)"}, {"已付(元)", "Paid (yuan)"}};
static const cli_column dividend_cols[] = {
    {"年度", "Year"},           {"经营主体编号", "Entity"},  {"经营主体名称", "Entity name"},
    {"户编号", "Household"}, {"应付(元)", "Due (yuan)"}, {"已付(元)", "Paid (yuan)"}};
static const cli_column coverage_cols[] = {
    {"年度", "Year"}, {"核心村代码", "Core village code"}, {"核心村", "Core village"},
    {"自愿户数", "Willing"}, {"已带动户数", "Covered"}};
static const cli_column evaluation_cols[] = {
    {"年度", "Year"},           {"协议编号", "Agreement"},   {"经营主体编号", "Entity"},
    {"经营主体名称", "Entity name"}, {"评估日期", "Date"},   {"复核", "Re-check"},
    {"结果", "Outcome"},        {"未通过检查数", "Failed checks"}};
static const cli_column failed_cols[] = {
    {"年度", "Year"},         {"协议编号", "Agreement"},  {"评估日期", "Date"},
    {"复核", "Re-check"},     {"规则", "Rule"},           {"条款", "Clause"},
    {"对象类型", "Subject kind"}, {"对象编号", "Subject"}, {"对象名称", "Subject name"},
    {"应为", "Expected"},     {"实际", "Actual"}};
static const cli_column household_cols[] = {
    {"户编号", "Household"}, {"村代码", "Village code"}, {"村名", "Village"},
    {"脱贫年度", "Exit year"}};
static const cli_column entity_cols[] = {
    {"经营主体编号", "Entity"}, {"名称", "Name"}, {"状态", "Status"},
    {"取消资格日期", "Disqualified on"}, {"予以倾斜年度", "Favoured years"}};
static const cli_column disclosure_cols[] = {
    {"经营主体编号", "Entity"},        {"名称", "Name"},
    {"财政股权(元)", "Fiscal equity (yuan)"}, {"支持政策措施", "Support measures"},
    {"带动户数", "Households driven"}};
static const cli_column signer_cols[] = {
    {"协议编号", "Agreement"}, {"签约层级", "Level"}, {"地区代码", "Area code"},
    {"地区", "Area"}};
static const cli_column allocation_cols[] = {
    {"注入编号", "Injection"},  {"持有者类型", "Holder kind"}, {"持有者", "Holder"},
    {"持有者名称", "Holder name"}, {"金额(元)", "Amount (yuan)"}};
static const cli_column finding_cols[] = {
    {"规则", "Rule"},           {"严重程度", "Severity"},  {"条款", "Clause"},
    {"年度", "Year"},           {"对象类型", "Subject kind"}, {"对象编号", "Subject"},
    {"对象名称", "Subject name"}, {"应为", "Expected"},   {"实际", "Actual"},
    {"说明", "Message"}};
static const cli_column run_cols[] = {{"项目", "Item"}, {"值", "Value"}};

const cli_sheet cli_sheets[] = {
    {"年度", "Years", "years.csv", COLS(years_cols), years_rows},
    {"年度户收入", "Household years", "household_years.csv", COLS(household_year_cols),
     household_year_rows},
    {"带动义务", "Obligations", "obligations.csv", COLS(obligation_cols), obligation_rows},
    {"分红", "Dividends", "dividends.csv", COLS(dividend_cols), dividend_rows},
    {"核心村覆盖", "Coverage", "coverage.csv", COLS(coverage_cols), coverage_rows},
    {"绩效评估", "Evaluations", "evaluations.csv", COLS(evaluation_cols), evaluation_rows},
    {"未通过的检查", "Failed checks", "failed_checks.csv", COLS(failed_cols), failed_rows},
    {"户脱贫年度", "Households", "households.csv", COLS(household_cols), household_rows},
    {"经营主体", "Entities", "entities.csv", COLS(entity_cols), entity_rows},
    {"公示", "Disclosure", "disclosure.csv", COLS(disclosure_cols), disclosure_rows},
    {"签约主体", "Signers", "signers.csv", COLS(signer_cols), signer_rows},
    {"股权配置", "Allocations", "allocations.csv", COLS(allocation_cols), allocation_rows},
    {"发现的问题", "Findings", "findings.csv", COLS(finding_cols), finding_rows},
    {"运行信息", "Run", "run.csv", COLS(run_cols), run_rows},
};
const size_t cli_sheet_count = sizeof cli_sheets / sizeof cli_sheets[0];
