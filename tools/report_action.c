/* "What needs action first" and the notices of the county report (docs/report.md): the
 * error findings grouped by entity and agreement, sorted by the money they owe, then the
 * evaluation outcomes, the disclosure list, the warnings and notices and the coverage of
 * core villages, each folded in a <details class="notices">. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Whether the rows must stop: the page has grown past its budget (0: none). */
static int over(const html_buf *b, size_t budget)
{
    return budget > 0 && html_size(b) > budget;
}

/* ---- a finding as a table row ------------------------------------------------------------- */

static void subject_cell(html_buf *b, const report_opts *o, const report_names *names,
                         vipa_subject_kind kind, uint64_t id)
{
    if (kind == VIPA_SUBJECT_NONE) {
        html_raw(b, "\xE2\x80\x94");
        return;
    }
    html_printf(b, "%s ", report_subject_word(o, kind));
    if (kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN)
        report_area_label(b, names, id);
    else if (kind == VIPA_SUBJECT_ENTITY)
        report_entity_label(b, names, id);
    else
        html_printf(b, "<span class=\"id\">%llu</span>", (unsigned long long)id);
}

static void findings_head(html_buf *b, const report_opts *o)
{
    html_printf(b, "<table class=\"findings\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th><th>%s</th></tr>"
                   "</thead>\n<tbody>\n",
                REPORT_W(o, "年度", "Year"), REPORT_W(o, "级别", "Severity"),
                REPORT_W(o, "规则", "Rule"), REPORT_W(o, "对象", "Subject"),
                REPORT_W(o, "应为", "Expected"), REPORT_W(o, "实为", "Actual"),
                REPORT_W(o, "说明", "Message"));
}

static void finding_row(html_buf *b, const report_opts *o, const vipa_findings *f, size_t i,
                        const report_names *names)
{
    vipa_rule rule = vipa_finding_rule(f, i);
    vipa_severity sev = vipa_finding_severity(f, i);
    int year = vipa_finding_year(f, i);
    html_raw(b, "<tr class=\"finding\" data-severity=\"");
    html_text(b, vipa_severity_name(sev));
    html_raw(b, "\" data-rule=\"");
    html_text(b, vipa_rule_id(rule));
    html_raw(b, "\"><td>");
    if (year != 0)
        html_printf(b, "%d", year);
    else
        html_raw(b, "\xE2\x80\x94");
    html_printf(b, "</td><td><span class=\"sev sev-%s\">%s</span></td><td>",
                vipa_severity_name(sev) != NULL ? vipa_severity_name(sev) : "none",
                report_severity_word(o, sev));
    report_rule_ref(b, o, rule);
    html_raw(b, "</td><td>");
    subject_cell(b, o, names, vipa_finding_subject_kind(f, i), vipa_finding_subject_id(f, i));
    html_raw(b, "</td><td class=\"num\">");
    report_value_text(b, o, rule, vipa_finding_expected(f, i));
    html_raw(b, "</td><td class=\"num\">");
    report_value_text(b, o, rule, vipa_finding_actual(f, i));
    html_raw(b, "</td><td class=\"msg\">");
    report_finding_message(b, o, f, i);
    html_raw(b, "</td></tr>\n");
}

/* ---- action first ------------------------------------------------------------------------- */

static void owed_text(html_buf *b, const report_opts *o, vipa_fen owed)
{
    char y[48];
    html_printf(b, " <span class=\"owed-sum\">%s %s %s</span>", REPORT_W(o, "欠付", "owed"),
                report_yuan(y, sizeof y, owed), REPORT_W(o, "元", "yuan"));
}

static void entity_open(html_buf *b, const report_opts *o, const report_names *names,
                        const report_action *a)
{
    if (a->entity == 0) {
        html_printf(b, "<div class=\"owed\" data-entity=\"none\" data-fen=\"0\">\n<h3>%s</h3>\n",
                    REPORT_W(o, "其他", "Other"));
        return;
    }
    html_printf(b, "<div class=\"owed\" data-entity=\"%llu\" data-fen=\"%lld\">\n<h3>%s ",
                (unsigned long long)a->entity, (long long)a->entity_owed,
                REPORT_W(o, "经营主体", "Entity"));
    report_entity_label(b, names, a->entity);
    owed_text(b, o, a->entity_owed);
    html_raw(b, "</h3>\n");
}

/* The money of an entity's own findings (no agreement) is its dividends owed. */
static vipa_fen none_owed(const report_model *m, const report_names *names, uint64_t entity)
{
    const report_entity *e = report_entity_find(names, entity);
    return e == NULL ? 0 : m->dividend_owed[e - names->entities];
}

static void agreement_open(html_buf *b, const report_opts *o, const report_model *m,
                           const report_names *names, const report_action *a)
{
    if (a->agreement == 0) {
        vipa_fen owed = a->entity == 0 ? 0 : none_owed(m, names, a->entity);
        html_printf(b, "<div class=\"owed-agreement\" data-agreement=\"none\" data-fen=\"%lld\">"
                       "<h4>%s",
                    (long long)owed, REPORT_W(o, "不属于某一协议", "Not under one agreement"));
        if (a->entity != 0)
            owed_text(b, o, owed);
    } else {
        html_printf(b, "<div class=\"owed-agreement\" data-agreement=\"%llu\" data-fen=\"%lld\">"
                       "<h4>%s <span class=\"id\">%llu</span>",
                    (unsigned long long)a->agreement, (long long)a->agreement_owed,
                    REPORT_W(o, "协议", "Agreement"), (unsigned long long)a->agreement);
        owed_text(b, o, a->agreement_owed);
    }
    html_raw(b, "</h4>\n");
    findings_head(b, o);
}

static int same_agreement(const report_action *a, const report_action *b)
{
    return a->entity == b->entity && a->agreement == b->agreement;
}

void report_action_section(html_buf *b, const report_opts *o, const cli_session *s, const report_model *m,
                   const report_names *names, size_t budget)
{
    const vipa_findings *f = vipa_result_findings(s->result);
    html_printf(b, "<section id=\"action\">\n<h2>%s</h2>\n<p class=\"note\">%s</p>\n",
                REPORT_W(o, "需优先处理的问题", "What needs action first"),
                REPORT_W(o, "错误按经营主体和协议归组，按欠付金额从多到少排列。欠付：各年应付未付之和（四(四)；二(三)）。",
                         "Errors grouped by entity and agreement, the most money owed first. Owed: what "
                         "was due and not paid, summed over the years (四(四); 二(三))."));
    if (m->nactions == 0)
        html_printf(b, "<p class=\"action-none\">%s</p>\n", REPORT_W(o, "无错误。", "No errors."));
    size_t shown = 0;
    for (size_t i = 0; i < m->nactions; i++) {
        const report_action *a = &m->actions[i];
        int new_entity = i == 0 || a->entity != m->actions[i - 1].entity;
        if (new_entity && over(b, budget))
            break; /* a bounded page lists the entities that fit, the rest counted */
        if (new_entity)
            entity_open(b, o, names, a);
        if (i == 0 || !same_agreement(a, &m->actions[i - 1]))
            agreement_open(b, o, m, names, a);
        if (!over(b, budget)) {
            finding_row(b, o, f, a->finding, names);
            shown++;
        }
        int last_of_agreement = i + 1 == m->nactions || !same_agreement(a, &m->actions[i + 1]);
        if (last_of_agreement)
            html_raw(b, "</tbody></table></div>\n");
        if (i + 1 == m->nactions || a->entity != m->actions[i + 1].entity)
            html_raw(b, "</div>\n");
    }
    if (shown < m->nactions)
        html_printf(b, "<p class=\"note more\" data-more=\"%zu\">%s %zu</p>\n", m->nactions - shown,
                    REPORT_W(o, "篇幅所限未列出的错误（见 vipa run --json）：", "Errors not listed here for "
                             "space (see vipa run --json):"),
                    m->nactions - shown);
    html_raw(b, "</section>\n");
}

/* ---- the notices -------------------------------------------------------------------------- */

static void details_open(html_buf *b, const char *id, const char *title, size_t count)
{
    html_printf(b, "<details class=\"notices\" id=\"%s\">\n<summary>%s <span class=\"count\">%zu</span>"
                   "</summary>\n",
                id, title, count);
}

static void more_rows(html_buf *b, const report_opts *o, size_t more)
{
    if (more > 0)
        html_printf(b, "<p class=\"note more\" data-more=\"%zu\">%s %zu</p>\n", more,
                    REPORT_W(o, "篇幅所限未列出：", "Not listed here for space:"), more);
}

static void failed_checks(html_buf *b, const report_opts *o, const vipa_result *r, size_t y, size_t i)
{
    size_t nf = vipa_result_year_failed_count(r, y, i);
    for (size_t k = 0; k < nf; k++) {
        vipa_rule rule = VIPA_RULE_NONE;
        vipa_subject_kind kind;
        uint64_t id;
        const char *expected, *actual;
        if (vipa_result_year_failed(&rule, &kind, &id, &expected, &actual, r, y, i, k) != VIPA_OK)
            continue;
        html_raw(b, k > 0 ? "<br>" : "");
        report_rule_ref(b, o, rule);
    }
    if (nf == 0)
        html_raw(b, "\xE2\x80\x94");
}

static void evaluations(html_buf *b, const report_opts *o, const vipa_result *r,
                        const report_names *names, size_t budget)
{
    size_t n = 0, shown = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        n += vipa_result_year_evaluation_count(r, y);
    details_open(b, "evaluations", REPORT_W(o, "绩效评估结果（四(五)）", "Evaluation outcomes (四(五))"), n);
    html_printf(b, "<table class=\"evaluations\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                REPORT_W(o, "年度", "Year"), REPORT_W(o, "日期", "Date"),
                REPORT_W(o, "经营主体", "Entity"), REPORT_W(o, "协议", "Agreement"),
                REPORT_W(o, "结果", "Outcome"), REPORT_W(o, "未通过的检查", "Failed checks"));
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y) && !over(b, budget); i++) {
            vipa_id agreement, entity;
            vipa_date date;
            int recheck;
            vipa_outcome out = VIPA_OUTCOME_NONE;
            if (vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &out, r, y, i) != VIPA_OK)
                continue;
            const char *key = vipa_outcome_name(out) != NULL ? vipa_outcome_name(out) : "none";
            html_printf(b, "<tr class=\"evaluation\" data-year=\"%d\" data-agreement=\"%llu\" "
                           "data-outcome=\"%s\"><td>%d</td><td>",
                        vipa_result_year(r, y), (unsigned long long)agreement, key,
                        vipa_result_year(r, y));
            report_date_text(b, o, date);
            html_printf(b, "%s</td><td>", recheck ? REPORT_W(o, "（复核）", " (re-check)") : "");
            report_entity_label(b, names, entity);
            html_printf(b, "</td><td><span class=\"id\">%llu</span></td><td class=\"o-%s\">%s</td><td>",
                        (unsigned long long)agreement, key, report_outcome_word(o, out));
            failed_checks(b, o, r, y, i);
            html_raw(b, "</td></tr>\n");
            shown++;
        }
    html_raw(b, "</tbody></table>\n");
    more_rows(b, o, n - shown);
    html_raw(b, "</details>\n");
}

static void disclosure(html_buf *b, const report_opts *o, const vipa_result *r,
                       const report_names *names, size_t budget)
{
    size_t n = vipa_result_disclosure_count(r), shown = 0;
    details_open(b, "disclosure", REPORT_W(o, "公示公告（五(五)）", "Disclosure list (五(五))"), n);
    html_printf(b, "<table class=\"disclosure\"><thead><tr><th>%s</th><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                REPORT_W(o, "经营主体", "Entity"), REPORT_W(o, "核心村", "Core village"),
                REPORT_W(o, "财政资金股权（元）", "Fiscal equity (yuan)"),
                REPORT_W(o, "带动贫困户", "Households driven"));
    for (size_t i = 0; i < n && !over(b, budget); i++) {
        vipa_id id;
        vipa_fen equity = 0;
        size_t households = 0;
        char money[48];
        if (vipa_result_disclosure(&id, &equity, &households, r, i) != VIPA_OK)
            continue;
        const report_entity *e = report_entity_find(names, id);
        html_printf(b, "<tr class=\"disclosure\" data-entity=\"%llu\"><td>", (unsigned long long)id);
        report_entity_label(b, names, id);
        html_raw(b, "</td><td>");
        if (e != NULL && e->core != 0)
            report_area_label(b, names, e->core);
        html_printf(b, "</td><td class=\"num\" data-fen=\"%lld\">%s</td><td class=\"num\">%zu</td></tr>\n",
                    (long long)equity, report_yuan(money, sizeof money, equity), households);
        shown++;
    }
    html_raw(b, "</tbody></table>\n");
    more_rows(b, o, n - shown);
    html_raw(b, "</details>\n");
}

static void other_notices(html_buf *b, const report_opts *o, const vipa_findings *f,
                          const report_names *names, size_t budget)
{
    size_t n = vipa_findings_count(f), count = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        count += vipa_finding_severity(f, i) != VIPA_SEVERITY_ERROR;
    details_open(b, "notices", REPORT_W(o, "警告与提示", "Warnings and notices"), count);
    findings_head(b, o);
    /* Warnings first, then notices: the order of their weight. */
    for (int sev = VIPA_SEVERITY_WARNING; sev >= VIPA_SEVERITY_NOTICE; sev--)
        for (size_t i = 0; i < n && !over(b, budget); i++)
            if ((int)vipa_finding_severity(f, i) == sev) {
                finding_row(b, o, f, i, names);
                shown++;
            }
    html_raw(b, "</tbody></table>\n");
    more_rows(b, o, count - shown);
    html_raw(b, "</details>\n");
}

static void coverage(html_buf *b, const report_opts *o, const vipa_result *r,
                     const report_names *names, size_t budget)
{
    size_t n = 0, shown = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        n += vipa_result_year_coverage_count(r, y);
    details_open(b, "coverage", REPORT_W(o, "核心村带动覆盖（一；二(三)）", "Coverage of core villages (一; 二(三))"), n);
    html_printf(b, "<table class=\"coverage\"><thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th>"
                   "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                REPORT_W(o, "年度", "Year"), REPORT_W(o, "核心村", "Core village"),
                REPORT_W(o, "有意愿贫困户", "Willing households"), REPORT_W(o, "已带动", "Covered"));
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_coverage_count(r, y) && !over(b, budget); i++) {
            vipa_area_code village;
            size_t willing = 0, covered = 0;
            if (vipa_result_year_coverage(&village, &willing, &covered, r, y, i) != VIPA_OK)
                continue;
            char code[VIPA_AREA_CODE_SIZE];
            html_printf(b, "<tr class=\"coverage%s\" data-year=\"%d\" data-village=\"%s\"><td>%d</td><td>",
                        covered < willing ? " gap" : "", vipa_result_year(r, y),
                        report_code_text(code, village), vipa_result_year(r, y));
            report_area_label(b, names, village);
            html_printf(b, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n", willing,
                        covered);
            shown++;
        }
    html_raw(b, "</tbody></table>\n");
    more_rows(b, o, n - shown);
    html_raw(b, "</details>\n");
}

void report_notices(html_buf *b, const report_opts *o, const cli_session *s,
                    const report_names *names, size_t budget)
{
    const vipa_result *r = s->result;
    html_printf(b, "<section id=\"notices\">\n<h2>%s</h2>\n", REPORT_W(o, "评估、公示与提示", "Evaluations, "
                                                                     "disclosure and notices"));
    evaluations(b, o, r, names, budget);
    disclosure(b, o, r, names, budget);
    other_notices(b, o, vipa_result_findings(r), names, budget);
    coverage(b, o, r, names, budget);
    html_raw(b, "</section>\n");
}
