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
                    REPORT_W(o, "篇幅所限未列出的错误（见 <code>vipa run --json</code>）：",
                             "Errors not listed here for space (see <code>vipa run --json</code>):"),
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

/* The failed checks of an evaluation, each rule once with its count on the linked pages:
 * an agreement with many households can fail one check per household, and a single row
 * must stay far below a page's bound. Rules past RULE_SLOTS (a newer library's) are
 * named each time. */
#define RULE_SLOTS 64

static int failed_rule(vipa_rule *rule, const vipa_result *r, size_t y, size_t i, size_t k)
{
    vipa_subject_kind kind;
    uint64_t id;
    const char *expected, *actual;
    *rule = VIPA_RULE_NONE;
    return vipa_result_year_failed(rule, &kind, &id, &expected, &actual, r, y, i, k) == VIPA_OK;
}

static void failed_checks(html_buf *b, const report_opts *o, const vipa_result *r, size_t y, size_t i)
{
    size_t nf = vipa_result_year_failed_count(r, y, i), shown = 0;
    size_t times[RULE_SLOTS] = {0};
    vipa_rule rule;
    for (size_t k = 0; o->multi && k < nf; k++)
        if (failed_rule(&rule, r, y, i, k) && (unsigned)rule < RULE_SLOTS)
            times[rule]++;
    for (size_t k = 0; k < nf; k++) {
        if (!failed_rule(&rule, r, y, i, k))
            continue;
        int slot = o->multi && (unsigned)rule < RULE_SLOTS;
        if (slot && times[rule] == 0)
            continue; /* named already */
        html_raw(b, shown++ > 0 || (!o->multi && k > 0) ? "<br>" : "");
        report_rule_ref(b, o, rule);
        if (slot && times[rule] > 1)
            html_printf(b, " <span class=\"times\">\xC3\x97%zu</span>", times[rule]);
        if (slot)
            times[rule] = 0;
    }
    if (nf == 0)
        html_raw(b, "\xE2\x80\x94");
}

static void evaluations_head(html_buf *b, const report_opts *o)
{
    html_printf(b, "<table class=\"evaluations\"><thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                   "<th>%s</th><th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                REPORT_W(o, "年度", "Year"), REPORT_W(o, "日期", "Date"),
                REPORT_W(o, "经营主体", "Entity"), REPORT_W(o, "协议", "Agreement"),
                REPORT_W(o, "结果", "Outcome"), REPORT_W(o, "未通过的检查", "Failed checks"));
}

/* Row @p i of year @p y's evaluations; 0 when there is none to show. */
static int evaluation_row(html_buf *b, const report_opts *o, const vipa_result *r,
                          const report_names *names, size_t y, size_t i)
{
    vipa_id agreement, entity;
    vipa_date date;
    int recheck;
    vipa_outcome out = VIPA_OUTCOME_NONE;
    if (vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &out, r, y, i) != VIPA_OK)
        return 0;
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
    return 1;
}

static void evaluations(html_buf *b, const report_opts *o, const vipa_result *r,
                        const report_names *names, size_t budget)
{
    size_t n = 0, shown = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        n += vipa_result_year_evaluation_count(r, y);
    details_open(b, "evaluations", REPORT_W(o, "绩效评估结果（四(五)）", "Evaluation outcomes (四(五))"), n);
    evaluations_head(b, o);
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y) && !over(b, budget); i++)
            shown += (size_t)evaluation_row(b, o, r, names, y, i);
    html_raw(b, "</tbody></table>\n");
    more_rows(b, o, n - shown);
    html_raw(b, "</details>\n");
}

static void disclosure_head(html_buf *b, const report_opts *o)
{
    html_printf(b, "<table class=\"disclosure\"><thead><tr><th>%s</th><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                REPORT_W(o, "经营主体", "Entity"), REPORT_W(o, "核心村", "Core village"),
                REPORT_W(o, "财政资金股权（元）", "Fiscal equity (yuan)"),
                REPORT_W(o, "带动贫困户", "Households driven"));
}

static int disclosure_row(html_buf *b, const vipa_result *r, const report_names *names, size_t i)
{
    vipa_id id;
    vipa_fen equity = 0;
    size_t households = 0;
    char money[48];
    if (vipa_result_disclosure(&id, &equity, &households, r, i) != VIPA_OK)
        return 0;
    const report_entity *e = report_entity_find(names, id);
    html_printf(b, "<tr class=\"disclosure\" data-entity=\"%llu\"><td>", (unsigned long long)id);
    report_entity_label(b, names, id);
    html_raw(b, "</td><td>");
    if (e != NULL && e->core != 0)
        report_area_label(b, names, e->core);
    html_printf(b, "</td><td class=\"num\" data-fen=\"%lld\">%s</td><td class=\"num\">%zu</td></tr>\n",
                (long long)equity, report_yuan(money, sizeof money, equity), households);
    return 1;
}

static void disclosure(html_buf *b, const report_opts *o, const vipa_result *r,
                       const report_names *names, size_t budget)
{
    size_t n = vipa_result_disclosure_count(r), shown = 0;
    details_open(b, "disclosure", REPORT_W(o, "公示公告（五(五)）", "Disclosure list (五(五))"), n);
    disclosure_head(b, o);
    for (size_t i = 0; i < n && !over(b, budget); i++)
        shown += (size_t)disclosure_row(b, r, names, i);
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

static void coverage_head(html_buf *b, const report_opts *o)
{
    html_printf(b, "<table class=\"coverage\"><thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th>"
                   "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                REPORT_W(o, "年度", "Year"), REPORT_W(o, "核心村", "Core village"),
                REPORT_W(o, "有意愿贫困户", "Willing households"), REPORT_W(o, "已带动", "Covered"));
}

static int coverage_row(html_buf *b, const vipa_result *r, const report_names *names, size_t y,
                        size_t i)
{
    vipa_area_code village;
    size_t willing = 0, covered = 0;
    if (vipa_result_year_coverage(&village, &willing, &covered, r, y, i) != VIPA_OK)
        return 0;
    char code[VIPA_AREA_CODE_SIZE];
    html_printf(b, "<tr class=\"coverage%s\" data-year=\"%d\" data-village=\"%s\"><td>%d</td><td>",
                covered < willing ? " gap" : "", vipa_result_year(r, y),
                report_code_text(code, village), vipa_result_year(r, y));
    report_area_label(b, names, village);
    html_printf(b, "</td><td class=\"num\">%zu</td><td class=\"num\">%zu</td></tr>\n", willing,
                covered);
    return 1;
}

static void coverage(html_buf *b, const report_opts *o, const vipa_result *r,
                     const report_names *names, size_t budget)
{
    size_t n = 0, shown = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        n += vipa_result_year_coverage_count(r, y);
    details_open(b, "coverage", REPORT_W(o, "核心村带动覆盖（一；二(三)）", "Coverage of core villages (一; 二(三))"), n);
    coverage_head(b, o);
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_coverage_count(r, y) && !over(b, budget); i++)
            shown += (size_t)coverage_row(b, r, names, y, i);
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

/* ---- the sections of the linked pages (report_homes.c) ------------------------------------ */

static const char *part_key(int part)
{
    static const char *const keys[REPORT_PARTS] = {"errors", "evaluations", "disclosure", "notices",
                                                   "coverage"};
    return keys[part];
}

static const char *part_title(const report_opts *o, int part)
{
    switch (part) {
    case REPORT_PART_EVALUATIONS: return REPORT_W(o, "绩效评估结果（四(五)）", "Evaluation outcomes (四(五))");
    case REPORT_PART_DISCLOSURE: return REPORT_W(o, "公示公告（五(五)）", "Disclosure list (五(五))");
    case REPORT_PART_NOTICES: return REPORT_W(o, "警告与提示", "Warnings and notices");
    default: return REPORT_W(o, "核心村带动覆盖（一；二(三)）", "Coverage of core villages (一; 二(三))");
    }
}

/* The href of block @p blk's section on the page @p part of its set. */
void report_block_href(html_buf *b, const report_model *m, const report_block *blk, unsigned part)
{
    char code[VIPA_AREA_CODE_SIZE];
    if (blk->set >= m->nplace)
        html_raw(b, "action-other");
    else
        html_printf(b, "town-%s", report_code_text(code, m->places[blk->set].code));
    if (part > 0)
        html_printf(b, "-%u", part + 1);
    if (blk->entity != 0)
        html_printf(b, ".html#entity-%llu", (unsigned long long)blk->entity);
    else
        html_raw(b, blk->set >= m->nplace ? ".html#entity-none" : ".html#town-rest");
}

void report_block_open(html_buf *b, const report_opts *o, const report_model *m,
                       const report_names *names, const report_block *blk, int continued)
{
    const char *more = continued ? REPORT_W(o, "（续）", " (continued)") : "";
    if (blk->entity != 0) {
        html_printf(b, "<section class=\"entity-errors%s\"", continued ? " continued" : "");
        if (!continued)
            html_printf(b, " id=\"entity-%llu\"", (unsigned long long)blk->entity);
        html_printf(b, " data-entity=\"%llu\">\n<h3>%s ", (unsigned long long)blk->entity,
                    REPORT_W(o, "经营主体", "Entity"));
        report_entity_label(b, names, blk->entity);
        html_raw(b, more);
        owed_text(b, o, blk->owed);
        html_raw(b, "</h3>\n");
        if (blk->parts[REPORT_PART_ERRORS] == 0 && !continued)
            html_printf(b, "<p class=\"action-none\">%s</p>\n", REPORT_W(o, "无错误。", "No errors."));
        return;
    }
    if (blk->set >= m->nplace) {
        html_printf(b, "<section class=\"entity-errors%s\"%s data-entity=\"none\">\n<h3>%s%s</h3>\n",
                    continued ? " continued" : "", continued ? "" : " id=\"entity-none\"",
                    REPORT_W(o, "其他（不属于某一经营主体）", "Other (under no one entity)"), more);
        return;
    }
    html_printf(b, "<section class=\"town-rest%s\"%s>\n<h3>%s%s</h3>\n", continued ? " continued" : "",
                continued ? "" : " id=\"town-rest\"",
                REPORT_W(o, "本镇（街道）其他提示与核心村覆盖", "The town's other notices and coverage"), more);
}

/* Closes what report_block_row() left open: a table, the entity's errors. */
static void close_part(html_buf *b, report_block_state *st)
{
    if (st->part < 0)
        return;
    html_raw(b, "</tbody></table>\n");
    html_raw(b, st->part == REPORT_PART_ERRORS ? "</div>\n</div>\n" : "</details>\n");
    st->part = -1;
}

static void open_part(html_buf *b, const report_opts *o, const report_model *m,
                      const report_names *names, const report_block *blk, const report_row *row)
{
    if (row->part == REPORT_PART_ERRORS) {
        const report_action *a = &m->actions[row->a];
        if (a->entity == 0)
            html_raw(b, "<div class=\"owed\" data-entity=\"none\" data-fen=\"0\">\n");
        else
            html_printf(b, "<div class=\"owed\" data-entity=\"%llu\" data-fen=\"%lld\">\n",
                        (unsigned long long)a->entity, (long long)a->entity_owed);
        agreement_open(b, o, m, names, a);
        return;
    }
    html_printf(b, "<details class=\"notices\" data-kind=\"%s\">\n<summary>%s <span class=\"count\">%zu</span>"
                   "</summary>\n",
                part_key(row->part), part_title(o, row->part), blk->parts[row->part]);
    if (row->part == REPORT_PART_EVALUATIONS)
        evaluations_head(b, o);
    else if (row->part == REPORT_PART_DISCLOSURE)
        disclosure_head(b, o);
    else if (row->part == REPORT_PART_NOTICES)
        findings_head(b, o);
    else
        coverage_head(b, o);
}

void report_block_row(html_buf *b, const report_opts *o, const cli_session *s, const report_model *m,
                      const report_names *names, const report_homes *h, const report_block *blk,
                      size_t r, report_block_state *st)
{
    const report_row *row = &h->rows[blk->first_row + r];
    const vipa_result *res = s->result;
    uint64_t agreement = row->part == REPORT_PART_ERRORS ? m->actions[row->a].agreement : 0;
    if (st->part == REPORT_PART_ERRORS && row->part == REPORT_PART_ERRORS && agreement != st->agreement) {
        html_raw(b, "</tbody></table></div>\n"); /* the next agreement, within the entity's errors */
        agreement_open(b, o, m, names, &m->actions[row->a]);
    } else if (st->part != row->part) {
        close_part(b, st);
        open_part(b, o, m, names, blk, row);
    }
    st->part = row->part;
    st->agreement = agreement;
    switch (row->part) {
    case REPORT_PART_ERRORS:
        finding_row(b, o, vipa_result_findings(res), m->actions[row->a].finding, names);
        break;
    case REPORT_PART_EVALUATIONS: evaluation_row(b, o, res, names, row->a, row->b); break;
    case REPORT_PART_DISCLOSURE: disclosure_row(b, res, names, row->a); break;
    case REPORT_PART_NOTICES: finding_row(b, o, vipa_result_findings(res), row->a, names); break;
    default: coverage_row(b, res, names, row->a, row->b); break;
    }
}

void report_block_close(html_buf *b, report_block_state *st)
{
    close_part(b, st);
    html_raw(b, "</section>\n");
}

/* ---- the summaries of the linked pages ------------------------------------------------------ */

static void errors_count(html_buf *b, const report_opts *o, size_t n)
{
    html_printf(b, " <span class=\"errors\" data-errors=\"%zu\">%s %zu</span>", n,
                REPORT_W(o, "错误", "errors"), n);
}

void report_action_summary(html_buf *b, const report_opts *o, const report_model *m,
                           const report_names *names, const report_homes *h,
                           const unsigned *block_part, size_t budget)
{
    html_printf(b, "<section id=\"action\">\n<h2>%s</h2>\n<p class=\"note\">%s</p>\n",
                REPORT_W(o, "需优先处理的问题", "What needs action first"),
                REPORT_W(o, "有错误的经营主体，按欠付金额从多到少排列；各自的错误、评估与公示见所链接的镇（街道）页面。"
                            "欠付：各年应付未付之和（四(四)；二(三)）。",
                         "Entities with errors, the most money owed first; their errors, evaluations and "
                         "disclosure are on the town page linked. Owed: what was due and not paid, summed "
                         "over the years (四(四); 二(三))."));
    if (m->nactions == 0)
        html_printf(b, "<p class=\"action-none\">%s</p>\n", REPORT_W(o, "无错误。", "No errors."));
    size_t listed = 0, groups = 0;
    for (size_t i = 0; i < h->nblock; i++) {
        const report_block *blk = h->order[i];
        if (blk->parts[REPORT_PART_ERRORS] == 0)
            continue;
        groups++;
        if (over(b, budget))
            continue; /* a bounded page lists the entities that fit, the rest counted */
        size_t k = (size_t)(blk - h->blocks);
        if (blk->entity != 0)
            html_printf(b, "<div class=\"owed\" data-entity=\"%llu\" data-fen=\"%lld\">\n<h3>%s <a href=\"",
                        (unsigned long long)blk->entity, (long long)blk->owed, REPORT_W(o, "经营主体", "Entity"));
        else
            html_printf(b, "<div class=\"owed\" data-entity=\"none\" data-fen=\"0\">\n<h3><a href=\"");
        report_block_href(b, m, blk, block_part[k]);
        html_raw(b, "\">");
        if (blk->entity != 0)
            report_entity_label(b, names, blk->entity);
        else
            html_raw(b, REPORT_W(o, "其他", "Other"));
        html_raw(b, "</a>");
        if (blk->entity != 0)
            owed_text(b, o, blk->owed);
        errors_count(b, o, blk->parts[REPORT_PART_ERRORS]);
        html_raw(b, "</h3>\n</div>\n");
        listed++;
    }
    if (listed < groups)
        html_printf(b, "<p class=\"note more\" data-more=\"%zu\">%s %zu</p>\n", groups - listed,
                    REPORT_W(o, "篇幅所限未列出的经营主体（见各县区页面）：",
                             "Entities not listed here for space (see the county pages):"),
                    groups - listed);
    html_raw(b, "</section>\n");
}

void report_county_entities(html_buf *b, const report_opts *o, const report_model *m,
                            const report_names *names, const report_homes *h,
                            const unsigned *block_part, uint64_t county, size_t budget)
{
    size_t listed = 0, n = 0;
    html_printf(b, "<section id=\"entities\">\n<h3>%s</h3>\n<p class=\"note\">%s</p>\n"
                   "<table class=\"entities\"><thead><tr><th>%s</th><th class=\"num\">%s</th>"
                   "<th class=\"num\">%s</th></tr></thead>\n<tbody>\n",
                REPORT_W(o, "本县区经营主体", "The county's entities"),
                REPORT_W(o, "按核心村所在镇（街道）归属；有错误的在前，按欠付金额从多到少排列。",
                         "By the town of their core village; those with errors first, the most money owed first."),
                REPORT_W(o, "经营主体", "Entity"), REPORT_W(o, "欠付（元）", "Owed (yuan)"),
                REPORT_W(o, "错误", "Errors"));
    for (size_t i = 0; i < h->nblock; i++) {
        const report_block *blk = h->order[i];
        if (blk->entity == 0 || blk->set >= m->nplace || !report_code_within(m->places[blk->set].code, county))
            continue;
        n++;
        if (over(b, budget))
            continue;
        char y[48];
        html_printf(b, "<tr class=\"entity\" data-entity=\"%llu\"><th><a href=\"", (unsigned long long)blk->entity);
        report_block_href(b, m, blk, block_part[blk - h->blocks]);
        html_raw(b, "\">");
        report_entity_label(b, names, blk->entity);
        html_printf(b, "</a></th><td class=\"num\" data-key=\"owed\" data-fen=\"%lld\">%s</td>"
                       "<td class=\"num\" data-key=\"errors\">%zu</td></tr>\n",
                    (long long)blk->owed, report_yuan(y, sizeof y, blk->owed), blk->parts[REPORT_PART_ERRORS]);
        listed++;
    }
    html_raw(b, "</tbody></table>\n");
    if (listed < n)
        html_printf(b, "<p class=\"note more\" data-more=\"%zu\">%s %zu</p>\n", n - listed,
                    REPORT_W(o, "篇幅所限未列出的经营主体（见各镇（街道）页面）：",
                             "Entities not listed here for space (see the town pages):"),
                    n - listed);
    html_raw(b, "</section>\n");
}

void report_notices_summary(html_buf *b, const report_opts *o, const cli_session *s)
{
    const vipa_result *r = s->result;
    const vipa_findings *f = vipa_result_findings(r);
    size_t n[REPORT_PARTS] = {0};
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        n[REPORT_PART_EVALUATIONS] += vipa_result_year_evaluation_count(r, y);
        n[REPORT_PART_COVERAGE] += vipa_result_year_coverage_count(r, y);
    }
    n[REPORT_PART_DISCLOSURE] = vipa_result_disclosure_count(r);
    for (size_t i = 0; i < vipa_findings_count(f); i++)
        n[REPORT_PART_NOTICES] += vipa_finding_severity(f, i) != VIPA_SEVERITY_ERROR;
    html_printf(b, "<section id=\"notices\">\n<h2>%s</h2>\n<p class=\"note\">%s</p>\n<ul class=\"notices-where\">\n",
                REPORT_W(o, "评估、公示与提示", "Evaluations, disclosure and notices"),
                REPORT_W(o, "各经营主体的评估、公示与提示在其核心村所在镇（街道）页面的经营主体部分；镇、村的提示与核心村覆盖在该镇页面末尾；"
                            "其余见 <code>action-other.html</code>。",
                         "An entity's evaluations, disclosure and notices are in its section on the page of the "
                         "town of its core village; a town's and its villages' notices and coverage at the end of "
                         "that town's page; the rest on <code>action-other.html</code>."));
    for (int p = REPORT_PART_EVALUATIONS; p < REPORT_PARTS; p++)
        html_printf(b, "<li data-kind=\"%s\">%s <span class=\"count\">%zu</span></li>\n", part_key(p),
                    part_title(o, p), n[p]);
    html_raw(b, "</ul>\n</section>\n");
}
