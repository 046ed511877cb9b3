/* The readable form of a result: text tables, one section per part of the report. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Room for any id, count, year or area code as decimal text. */
#define NUM_SIZE 24

/* ---- cell formatting ---------------------------------------------------------------- */

static const char *fen_text(char *buf, vipa_fen amount)
{
    if (vipa_fen_format(buf, VIPA_FEN_FORMAT_SIZE, amount) != VIPA_OK)
        strcpy(buf, "?");
    return buf;
}

static const char *date_text(char *buf, vipa_date date)
{
    if (date == 0 || vipa_date_format(buf, VIPA_DATE_FORMAT_SIZE, date) != VIPA_OK)
        strcpy(buf, "-");
    return buf;
}

static const char *u64_text(char *buf, uint64_t v)
{
    snprintf(buf, NUM_SIZE, "%llu", (unsigned long long)v);
    return buf;
}

static const char *code_text(char *buf, vipa_area_code code)
{
    if (vipa_area_code_format(buf, VIPA_AREA_CODE_SIZE, code) != VIPA_OK)
        u64_text(buf, code);
    return buf;
}

/* The Chinese of a subject's kind, for the tables in Chinese. */
static const char *subject_kind_zh(vipa_subject_kind kind)
{
    static const char *const words[] = {NULL, "贫困户", "协议", "利益联结", "财政资金折股",
                                        "经营主体", "村", "镇"};
    return (unsigned)kind < sizeof words / sizeof words[0] ? words[kind] : NULL;
}

/* "household 1001", "village 611002100201"; in Chinese "贫困户 1001", "村 611002100201". */
static const char *subject_text(char *buf, size_t size, vipa_subject_kind kind, uint64_t id,
                                int in_zh)
{
    const char *name = in_zh && subject_kind_zh(kind) ? subject_kind_zh(kind)
                                                      : vipa_subject_kind_name(kind);
    char num[NUM_SIZE];
    if (name == NULL)
        return "";
    if (kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN)
        code_text(num, id);
    else
        u64_text(num, id);
    snprintf(buf, size, "%s %s", name, num);
    return buf;
}

static const char *or_empty(const char *s)
{
    return s == NULL ? "" : s;
}

/* Prints a heading, the table, and a blank line; returns -1 when out of memory. */
static int section(FILE *out, const char *title, cli_table *t, const char *indent)
{
    if (title != NULL)
        fprintf(out, "%s\n", title);
    int rc = cli_table_print(t, out, indent);
    cli_table_free(t);
    fputc('\n', out);
    return rc;
}

/* ---- language ------------------------------------------------------------------------- */

/* Whether the tables are in Chinese: set by cli_render_report for the one rendering
 * (the command renders once, on one thread). English is the tables' original text. */
static int zh;

/* A word of a cell or a heading in the tables' language: @p en, or @p zh_text. */
static const char *W(const char *en, const char *zh_text)
{
    return zh ? zh_text : en;
}

/* An outcome or a status as an official reads it (四(五)); English: the report's word. */
static const char *outcome_word(vipa_outcome o)
{
    static const char *const words[] = {NULL, "合格", "督促整改", "整改后恢复", "解除协议"};
    if (zh && (unsigned)o < sizeof words / sizeof words[0] && words[o])
        return words[o];
    return or_empty(vipa_outcome_name(o));
}

static const char *status_word(vipa_entity_status status)
{
    if (zh)
        return status == VIPA_ENTITY_STATUS_DISQUALIFIED ? "取消资格" : "正常";
    return or_empty(vipa_entity_status_name(status));
}

/* ---- summary ---------------------------------------------------------------------- */

/* "2017: 3, 2018: 1": how many households exited in each year ("none"). */
static char *exits_text(const vipa_result *r)
{
    size_t *per_year = calloc(10000, sizeof *per_year);
    if (per_year == NULL)
        return NULL;
    for (size_t i = 0; i < vipa_result_household_count(r); i++) {
        vipa_id id;
        int year = 0;
        if (vipa_result_household(&id, &year, r, i) == VIPA_OK && year > 0 && year < 10000)
            per_year[year]++;
    }
    char *text = cli_strdupf("%s", "");
    for (int y = 0; y < 10000 && text != NULL; y++) {
        if (per_year[y] == 0)
            continue;
        char *longer = cli_strdupf("%s%s%d: %zu", text, text[0] ? ", " : "", y, per_year[y]);
        free(text);
        text = longer;
    }
    free(per_year);
    if (text != NULL && text[0] == '\0') {
        free(text);
        text = cli_strdupf("%s", W("none", "无"));
    }
    return text;
}

/* "compliant 2, rectification 1, restored 0, terminated 0" over every evaluation. */
static char *outcomes_text(const vipa_result *r)
{
    size_t n[VIPA_OUTCOME_TERMINATED + 1];
    cli_count_outcomes(n, r, SIZE_MAX);
    return cli_strdupf("%s %zu, %s %zu, %s %zu, %s %zu",
                       outcome_word(VIPA_OUTCOME_COMPLIANT), n[VIPA_OUTCOME_COMPLIANT],
                       outcome_word(VIPA_OUTCOME_RECTIFICATION), n[VIPA_OUTCOME_RECTIFICATION],
                       outcome_word(VIPA_OUTCOME_RESTORED), n[VIPA_OUTCOME_RESTORED],
                       outcome_word(VIPA_OUTCOME_TERMINATED), n[VIPA_OUTCOME_TERMINATED]);
}

static char *findings_count_text(const vipa_findings *f)
{
    size_t errors = vipa_findings_count_at_least(f, VIPA_SEVERITY_ERROR);
    size_t warnings = vipa_findings_count_at_least(f, VIPA_SEVERITY_WARNING) - errors;
    size_t notices = vipa_findings_count(f) - errors - warnings;
    return cli_strdupf(W("error %zu, warning %zu, notice %zu", "错误 %zu，警告 %zu，提示 %zu"),
                       errors, warnings, notices);
}

static int render_summary(FILE *out, const cli_session *s)
{
    const vipa_result *r = s->result;
    char households[NUM_SIZE], agreements[NUM_SIZE];
    char *exits = exits_text(r), *outcomes = outcomes_text(r);
    char *findings = findings_count_text(vipa_result_findings(r));
    cli_table t;
    cli_table_init(&t, 2, NULL, "ll");
    cli_table_add(&t, (const char *[]){W("Profile", "参数配置"),
                                       or_empty(vipa_result_stamp(r, "profile"))});
    cli_table_add(&t, (const char *[]){W("Households", "贫困户"),
                                       u64_text(households, vipa_result_household_count(r))});
    cli_table_add(&t, (const char *[]){W("Exits by year", "各年脱贫户数"), exits});
    cli_table_add(&t, (const char *[]){W("Agreements", "帮扶协议"),
                                       u64_text(agreements, vipa_ctx_agreement_count(s->ctx))});
    cli_table_add(&t, (const char *[]){W("Evaluation outcomes", "绩效评估结果"), outcomes});
    cli_table_add(&t, (const char *[]){W("Findings", "发现的问题"), findings});
    t.failed |= exits == NULL || outcomes == NULL || findings == NULL;
    free(exits);
    free(outcomes);
    free(findings);
    return section(out, W("Summary", "概况"), &t, "  ");
}

/* ---- per year ----------------------------------------------------------------------- */

static void add_failed_rows(cli_table *t, const vipa_result *r, size_t y, size_t i)
{
    for (size_t k = 0; k < vipa_result_year_failed_count(r, y, i); k++) {
        vipa_rule rule;
        vipa_subject_kind kind;
        uint64_t id;
        const char *expected = NULL, *actual = NULL;
        char subject[64];
        if (vipa_result_year_failed(&rule, &kind, &id, &expected, &actual, r, y, i, k) != VIPA_OK)
            continue;
        cli_table_add(t, (const char *[]){"", "", "", "", "", or_empty(vipa_rule_id(rule)),
                                          subject_text(subject, sizeof subject, kind, id, zh),
                                          or_empty(expected), or_empty(actual)});
    }
}

static int render_evaluations(FILE *out, const vipa_result *r, size_t y)
{
    static const char *const heads[2][9] = {
        {"Agreement", "Entity", "Date", "Recheck", "Outcome", "Failed check", "Subject",
         "Expected", "Actual"},
        {"协议", "经营主体", "日期", "复核", "结果", "未通过的检查", "对象", "应为", "实为"}};
    cli_table t;
    cli_table_init(&t, 9, heads[zh], "rrlllllll");
    for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++) {
        vipa_id agreement, entity;
        vipa_date date;
        int recheck;
        vipa_outcome outcome;
        char a[NUM_SIZE], e[NUM_SIZE], d[VIPA_DATE_FORMAT_SIZE];
        if (vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &outcome, r, y, i) != VIPA_OK)
            continue;
        cli_table_add(&t, (const char *[]){u64_text(a, agreement), u64_text(e, entity),
                                           date_text(d, date),
                                           recheck ? W("yes", "是") : W("no", "否"),
                                           outcome_word(outcome), "", "", "", ""});
        add_failed_rows(&t, r, y, i);
    }
    if (t.nrows == 0)
        return cli_table_free(&t), 0;
    return section(out, W("  Evaluations (绩效评估, 四(五))", "  绩效评估（四(五)）"), &t, "    ");
}

static int render_coverage(FILE *out, const vipa_result *r, size_t y)
{
    static const char *const heads[2][3] = {{"Core village", "Willing", "Covered"},
                                            {"核心村", "有意愿户数", "已带动户数"}};
    cli_table t;
    cli_table_init(&t, 3, heads[zh], "lrr");
    for (size_t i = 0; i < vipa_result_year_coverage_count(r, y); i++) {
        vipa_area_code village;
        size_t willing, covered;
        char v[VIPA_AREA_CODE_SIZE], w[NUM_SIZE], c[NUM_SIZE];
        if (vipa_result_year_coverage(&village, &willing, &covered, r, y, i) != VIPA_OK)
            continue;
        cli_table_add(&t, (const char *[]){code_text(v, village), u64_text(w, willing),
                                           u64_text(c, covered)});
    }
    if (t.nrows == 0)
        return cli_table_free(&t), 0;
    return section(out, W("  Coverage (带动全覆盖, 一; 二(三))", "  带动全覆盖（一; 二(三)）"), &t,
                   "    ");
}

static int render_dividends(FILE *out, const vipa_result *r, size_t y)
{
    static const char *const heads[2][4] = {{"Entity", "Household", "Due", "Paid"},
                                            {"经营主体", "贫困户", "应付", "已付"}};
    cli_table t;
    cli_table_init(&t, 4, heads[zh], "rrrr");
    for (size_t i = 0; i < vipa_result_year_dividend_count(r, y); i++) {
        vipa_id entity, household;
        vipa_fen due, paid;
        char e[NUM_SIZE], h[NUM_SIZE], d[VIPA_FEN_FORMAT_SIZE], p[VIPA_FEN_FORMAT_SIZE];
        if (vipa_result_year_dividend(&entity, &household, &due, &paid, r, y, i) != VIPA_OK)
            continue;
        cli_table_add(&t, (const char *[]){u64_text(e, entity), u64_text(h, household),
                                           fen_text(d, due), fen_text(p, paid)});
    }
    if (t.nrows == 0)
        return cli_table_free(&t), 0;
    return section(out, W("  Dividends (入股分红, 二(三))", "  入股分红（二(三)）"), &t, "    ");
}

/* The linkages paid short for the year (四(四)), after a line of totals: listing every
 * obligation would drown the ones that matter. */
static int render_obligations(FILE *out, const vipa_result *r, size_t y)
{
    static const char *const heads[2][4] = {{"Linkage", "Household", "Due", "Paid"},
                                            {"利益联结", "贫困户", "应付", "已付"}};
    size_t n = vipa_result_year_obligation_count(r, y);
    vipa_fen total_due = 0, total_paid = 0;
    int fits = 1;
    cli_table t;
    cli_table_init(&t, 4, heads[zh], "rrrr");
    for (size_t i = 0; i < n; i++) {
        vipa_id linkage, household;
        vipa_linkage_kind kind;
        vipa_fen due, paid;
        char l[NUM_SIZE], h[NUM_SIZE], d[VIPA_FEN_FORMAT_SIZE], p[VIPA_FEN_FORMAT_SIZE];
        if (vipa_result_year_obligation(&linkage, &household, &kind, &due, &paid, r, y, i) !=
            VIPA_OK)
            continue;
        fits &= vipa_fen_add(&total_due, total_due, due) == VIPA_OK &&
                vipa_fen_add(&total_paid, total_paid, paid) == VIPA_OK;
        if (paid < due)
            cli_table_add(&t, (const char *[]){u64_text(l, linkage), u64_text(h, household),
                                               fen_text(d, due), fen_text(p, paid)});
    }
    if (n > 0) {
        char d[VIPA_FEN_FORMAT_SIZE], p[VIPA_FEN_FORMAT_SIZE];
        fprintf(out, W("  Obligations (四(四)): %zu linkages, due %s, paid %s\n\n",
                       "  带动义务（四(四)）：利益联结 %zu 个，应付 %s，已付 %s\n\n"),
                n, fits ? fen_text(d, total_due) : W("beyond int64", "超出 int64"),
                fits ? fen_text(p, total_paid) : "-");
    }
    if (t.nrows == 0)
        return cli_table_free(&t), 0;
    return section(out, W("  Paid short (OBLIGATIONS_PAID, 四(四))",
                          "  未足额支付（OBLIGATIONS_PAID，四(四)）"), &t, "    ");
}

/* One line on the year's households: listing them all would drown the rest. */
static void render_year_households(FILE *out, const vipa_result *r, size_t y)
{
    fprintf(out, W("  Households: %zu, meeting the exit standard: %zu\n\n",
                   "  贫困户：%zu 户，达到脱贫标准：%zu 户\n\n"),
            vipa_result_year_household_count(r, y), cli_count_meeting(r, y));
}

static int render_year(FILE *out, const vipa_result *r, size_t y)
{
    fprintf(out, W("Year %d%s\n", "%d 年%s\n"), vipa_result_year(r, y),
            vipa_result_year_complete(r, y)
                ? ""
                : W(" (not complete at the data's as_of date: its money is not checked yet)",
                    "（截至数据日期尚未结束：其资金暂不检查）"));
    render_year_households(out, r, y);
    if (render_obligations(out, r, y) != 0 || render_evaluations(out, r, y) != 0 ||
        render_coverage(out, r, y) != 0)
        return -1;
    return render_dividends(out, r, y);
}

/* ---- the whole run ------------------------------------------------------------------- */

/* "2017, 2018" or "-". */
static char *favoured_text(const vipa_result *r, size_t i, size_t count)
{
    char *text = cli_strdupf("%s", count == 0 ? "-" : "");
    for (size_t k = 0; k < count && text != NULL; k++) {
        int year = 0;
        vipa_result_entity_favoured(&year, r, i, k);
        char *longer = cli_strdupf("%s%s%d", text, k ? ", " : "", year);
        free(text);
        text = longer;
    }
    return text;
}

static int render_entities(FILE *out, const vipa_result *r)
{
    static const char *const heads[2][4] = {
        {"Entity", "Status", "Disqualified on", "Favoured years"},
        {"经营主体", "状态", "取消资格日期", "予以倾斜年度"}};
    cli_table t;
    cli_table_init(&t, 4, heads[zh], "rlll");
    for (size_t i = 0; i < vipa_result_entity_count(r); i++) {
        vipa_id id;
        vipa_entity_status status;
        vipa_date on;
        size_t count;
        char e[NUM_SIZE], d[VIPA_DATE_FORMAT_SIZE];
        if (vipa_result_entity(&id, &status, &on, &count, r, i) != VIPA_OK)
            continue;
        char *years = favoured_text(r, i, count);
        t.failed |= years == NULL;
        cli_table_add(&t, (const char *[]){u64_text(e, id), status_word(status),
                                           date_text(d, on), or_empty(years)});
        free(years);
    }
    if (t.nrows == 0)
        return cli_table_free(&t), 0;
    return section(out, W("Entities (经营主体, 四(五))", "经营主体（四(五)）"), &t, "  ");
}

static int render_disclosure(FILE *out, const vipa_result *r)
{
    static const char *const heads[2][3] = {{"Entity", "Fiscal equity", "Households driven"},
                                            {"经营主体", "财政资金股权", "带动贫困户数"}};
    cli_table t;
    cli_table_init(&t, 3, heads[zh], "rrr");
    for (size_t i = 0; i < vipa_result_disclosure_count(r); i++) {
        vipa_id entity;
        vipa_fen equity;
        size_t households;
        char e[NUM_SIZE], q[VIPA_FEN_FORMAT_SIZE], h[NUM_SIZE];
        if (vipa_result_disclosure(&entity, &equity, &households, r, i) != VIPA_OK)
            continue;
        cli_table_add(&t, (const char *[]){u64_text(e, entity), fen_text(q, equity),
                                           u64_text(h, households)});
    }
    if (t.nrows == 0)
        return cli_table_free(&t), 0;
    return section(out, W("Disclosure (公示公告, 五(五))", "公示公告（五(五)）"), &t, "  ");
}

int cli_render_report(FILE *out, const cli_session *s, const char *lang)
{
    const vipa_result *r = s->result;
    zh = lang != NULL && strcmp(lang, "zh") == 0;
    if (render_summary(out, s) != 0)
        return -1;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        if (render_year(out, r, y) != 0)
            return -1;
    if (render_entities(out, r) != 0 || render_disclosure(out, r) != 0)
        return -1;
    return cli_render_findings_lang(out, vipa_result_findings(r), lang);
}

/* ---- findings ------------------------------------------------------------------------ */


static int is_zh(const char *lang)
{
    return lang != NULL && strcmp(lang, "zh") == 0;
}

static void add_finding(cli_table *t, const vipa_findings *f, size_t i, const char *lang)
{
    vipa_rule rule = vipa_finding_rule(f, i);
    char year[NUM_SIZE], subject[64], message[VIPA_FINDING_MESSAGE_SIZE];
    int y = vipa_finding_year(f, i);
    /* into a buffer: vipa_finding_message() would keep every message with the list */
    vipa_finding_message_format_lang(message, sizeof message, f, i, lang);
    vipa_subject_kind kind = vipa_finding_subject_kind(f, i);
    subject_text(subject, sizeof subject, kind, vipa_finding_subject_id(f, i), is_zh(lang));
    if (y == 0)
        strcpy(year, "-");
    else
        snprintf(year, sizeof year, "%d", y);
    cli_table_add(t, (const char *[]){or_empty(vipa_rule_id(rule)), or_empty(vipa_rule_clause(rule)),
                                      year, subject,
                                      or_empty(vipa_finding_expected(f, i)),
                                      or_empty(vipa_finding_actual(f, i)),
                                      message});
}

static int render_severity(FILE *out, const vipa_findings *f, vipa_severity severity,
                           const char *title, const char *lang)
{
    static const char *const heads[] = {"Rule", "Clause", "Year", "Subject", "Expected",
                                        "Actual", "Message"};
    static const char *const heads_zh[] = {"规则", "条款", "年度", "对象", "应为", "实为",
                                           "说明"};
    cli_table t;
    cli_table_init(&t, 7, is_zh(lang) ? heads_zh : heads, "lllllll");
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        if (vipa_finding_severity(f, i) == severity)
            add_finding(&t, f, i, lang);
    if (t.nrows == 0)
        return cli_table_free(&t), 0;
    char heading[64];
    snprintf(heading, sizeof heading, is_zh(lang) ? "%s（%zu）" : "%s (%zu)", title, t.nrows);
    return section(out, heading, &t, "  ");
}

int cli_render_findings_lang(FILE *out, const vipa_findings *f, const char *lang)
{
    int zh = is_zh(lang);
    if (vipa_findings_count(f) == 0) {
        fputs(zh ? "无发现。\n" : "No findings.\n", out);
        return 0;
    }
    if (render_severity(out, f, VIPA_SEVERITY_ERROR, zh ? "错误" : "Errors", lang) != 0 ||
        render_severity(out, f, VIPA_SEVERITY_WARNING, zh ? "警告" : "Warnings", lang) != 0)
        return -1;
    return render_severity(out, f, VIPA_SEVERITY_NOTICE, zh ? "提示" : "Notices", lang);
}

int cli_render_findings(FILE *out, const vipa_findings *f)
{
    return cli_render_findings_lang(out, f, "en");
}

/* ---- the catalogue -------------------------------------------------------------------- */

int cli_render_rules(FILE *out)
{
    static const char *const heads[] = {"ID", "Clause", "Severity", "Summary (中文 / English)"};
    cli_table t;
    cli_table_init(&t, 4, heads, "llll");
    for (int i = 1; i <= vipa_rule_count(); i++) { /* the library's count, not the header's */
        vipa_rule rule = (vipa_rule)i;
        cli_table_add(&t, (const char *[]){or_empty(vipa_rule_id(rule)),
                                           or_empty(vipa_rule_clause(rule)),
                                           or_empty(vipa_severity_name(vipa_rule_severity(rule))),
                                           or_empty(vipa_rule_summary(rule, "zh"))});
        cli_table_add(&t, (const char *[]){"", "", "", or_empty(vipa_rule_summary(rule, "en"))});
    }
    int rc = cli_table_print(&t, out, "");
    cli_table_free(&t);
    return rc;
}
