/* The HTML page of `vipa report`: one self-contained file with inline CSS and inline
 * SVG charts, no scripts and nothing fetched from anywhere. Every text that comes from
 * the input or the library goes through html_text(); only numbers and static markup
 * are written as they are.
 *
 * The page carries machine-readable hooks that tests/browser/ counts in the DOM:
 *   h2#summary                  the summary heading
 *   rect.bar                    one per village and year of coverage (data-year,
 *                               data-village, data-willing, data-covered)
 *   tr.entity / .evaluation     one row per entity, one cell item per evaluation
 *                               (data-agreement, data-year, data-date, data-outcome...)
 *   tr.disclosure               one row per entry of the disclosure list
 *   rect.hbar                   REPORT_HIST_BUCKETS per year with households
 *                               (data-year, data-bucket, data-count)
 *   section.rule-group, tr.finding   findings grouped by rule
 *   footer#end                  the last element: the page was read to its end */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

#define NUM_SIZE 24

/* ---- small helpers ------------------------------------------------------------------- */

static const char *date_text(char *buf, vipa_date date)
{
    if (date == 0 || vipa_date_format(buf, VIPA_DATE_FORMAT_SIZE, date) != VIPA_OK)
        strcpy(buf, "-");
    return buf;
}

static const char *code_text(char *buf, vipa_area_code code)
{
    if (vipa_area_code_format(buf, VIPA_AREA_CODE_SIZE, code) != VIPA_OK)
        snprintf(buf, VIPA_AREA_CODE_SIZE, "%llu", (unsigned long long)(code % 1000000000000ull));
    return buf;
}

/* "300,000.00": yuan with thousands separators, for tables people read. */
static const char *yuan_grouped(char *buf, size_t size, vipa_fen amount)
{
    char plain[VIPA_FEN_FORMAT_SIZE];
    if (vipa_fen_format(plain, sizeof plain, amount) != VIPA_OK) {
        snprintf(buf, size, "?");
        return buf;
    }
    const char *digits = plain[0] == '-' ? plain + 1 : plain;
    const char *dot = strchr(digits, '.');
    size_t whole = dot != NULL ? (size_t)(dot - digits) : strlen(digits);
    size_t o = 0;
    if (plain[0] == '-' && o + 1 < size)
        buf[o++] = '-';
    for (size_t i = 0; i < whole && o + 2 < size; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    for (const char *p = digits + whole; *p != '\0' && o + 1 < size; p++)
        buf[o++] = *p;
    buf[o] = '\0';
    return buf;
}

/* "95.2%" of @p num / @p den, rounded half up to a tenth; "—" when @p den is 0. */
static const char *percent_text(char *buf, size_t num, size_t den)
{
    if (den == 0) {
        strcpy(buf, "\xE2\x80\x94");
        return buf;
    }
    unsigned long long tenths = ((unsigned long long)num * 2000u + den) / (2u * den);
    snprintf(buf, NUM_SIZE, "%llu.%llu%%", tenths / 10, tenths % 10);
    return buf;
}

/* Escaped @p text cut to at most @p max characters (code points), "…" marking a cut. */
static void text_cut(html_buf *b, const char *text, size_t max)
{
    size_t chars = 0, i = 0;
    while (text[i] != '\0' && chars < max) {
        i++;
        while ((text[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    if (text[i] == '\0') {
        html_text(b, text);
        return;
    }
    char *cut = malloc(i + 1);
    if (cut == NULL) {
        b->failed = 1;
        return;
    }
    memcpy(cut, text, i);
    cut[i] = '\0';
    html_text(b, cut);
    html_raw(b, "\xE2\x80\xA6");
    free(cut);
}

struct kind_name {
    const char *key, *zh, *en;
};

static const struct kind_name entity_kinds[] = {
    {"enterprise", "扶贫企业", "enterprise"},
    {"park", "农业园区", "agricultural park"},
    {"cooperative", "专业合作社", "cooperative"},
    {"family_farm", "家庭农场", "family farm"},
    {"large_grower", "产业大户", "large grower"},
};

static void entity_kind(html_buf *b, const char *kind)
{
    if (kind == NULL) {
        html_raw(b, "\xE2\x80\x94");
        return;
    }
    for (size_t i = 0; i < sizeof entity_kinds / sizeof entity_kinds[0]; i++)
        if (strcmp(kind, entity_kinds[i].key) == 0) {
            html_printf(b, "%s <span class=\"en\">%s</span>", entity_kinds[i].zh,
                        entity_kinds[i].en);
            return;
        }
    html_text(b, kind);
}

/* "示例五村 <span class=code>611021101291</span>", or the code alone. */
static void area_label(html_buf *b, const report_names *names, vipa_area_code code)
{
    char c[VIPA_AREA_CODE_SIZE];
    const char *name = report_area_name(names, code);
    if (name != NULL) {
        html_text(b, name);
        html_raw(b, " ");
    }
    html_printf(b, "<span class=\"code\">%s</span>", code_text(c, code));
}

/* "7 东川生猪养殖大户（示例）" */
static void entity_label(html_buf *b, const report_names *names, vipa_id id)
{
    const report_entity *e = report_entity_find(names, id);
    html_printf(b, "<span class=\"id\">%llu</span>", (unsigned long long)id);
    if (e != NULL && e->name != NULL) {
        html_raw(b, " ");
        html_text(b, e->name);
    }
}

static const char *outcome_zh(vipa_outcome o)
{
    switch (o) {
    case VIPA_OUTCOME_COMPLIANT: return "合格";
    case VIPA_OUTCOME_RECTIFICATION: return "督促整改";
    case VIPA_OUTCOME_RESTORED: return "整改后恢复";
    case VIPA_OUTCOME_TERMINATED: return "解除协议";
    default: return "";
    }
}

static const char *outcome_key(vipa_outcome o)
{
    const char *n = vipa_outcome_name(o);
    return n == NULL ? "none" : n;
}

/* A coloured chip: "合格 compliant 22". */
static void outcome_chip(html_buf *b, vipa_outcome o, long count)
{
    html_printf(b, "<span class=\"chip o-%s\">%s <span class=\"en\">", outcome_key(o), outcome_zh(o));
    html_text(b, vipa_outcome_name(o));
    html_raw(b, "</span>");
    if (count >= 0)
        html_printf(b, " <b>%ld</b>", count);
    html_raw(b, "</span>");
}

/* ---- the style sheet ------------------------------------------------------------------- */

static const char style[] =
    ":root{--font:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\","
    "\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans\",\"DejaVu Sans\",sans-serif;"
    "--ink:#1f2933;--muted:#61707f;--line:#d5dbe1;--panel:#f6f8fa;"
    "--ok:#a5d6a7;--ok-ink:#1b5e20;--rect:#ffd54f;--rect-ink:#6d4c00;"
    "--rest:#90caf9;--rest-ink:#0d47a1;--term:#ef9a9a;--term-ink:#8e0000}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font-family:var(--font);color:var(--ink);background:#fff;"
    "font-size:14px;line-height:1.5}\n"
    "header,main,footer,nav{max-width:1220px;margin:0 auto;padding:0 20px}\n"
    "header{padding-top:20px;border-bottom:3px solid #b71c1c}\n"
    "h1{font-size:24px;margin:0 0 4px}\n"
    "h1 .en,h2 .en,h3 .en,th .en,.chip .en,.en{font-weight:normal;color:var(--muted);font-size:.85em}\n"
    ".chip .en{color:inherit}\n"
    "header p{margin:2px 0 12px;color:var(--muted)}\n"
    "nav{padding-top:8px;padding-bottom:8px;font-size:13px}\n"
    "nav a{margin-right:14px;color:#0b57d0;text-decoration:none}\n"
    "h2{font-size:19px;margin:28px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line)}\n"
    "h3{font-size:15px;margin:16px 0 6px}\n"
    "p.note{color:var(--muted);margin:4px 0 10px;font-size:13px}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:12px}\n"
    ".card{background:var(--panel);border:1px solid var(--line);border-radius:6px;"
    "padding:10px 14px;min-width:150px}\n"
    ".card .k{color:var(--muted);font-size:12px}.card .v{font-size:22px;font-weight:bold}\n"
    ".card .d{font-size:12px;color:var(--muted)}\n"
    "table{border-collapse:collapse;font-size:13px;margin:6px 0 12px}\n"
    "th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}\n"
    "th{background:var(--panel);font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}\n"
    ".code{font-family:\"DejaVu Sans Mono\",monospace;font-size:.92em;color:var(--muted)}\n"
    ".id{font-family:\"DejaVu Sans Mono\",monospace;font-size:.92em;font-weight:600}\n"
    ".scroll{overflow-x:auto}\n"
    ".chip{display:inline-block;border-radius:10px;padding:1px 9px;margin:1px 4px 1px 0;font-size:12px}\n"
    ".o-compliant{background:var(--ok);color:var(--ok-ink)}\n"
    ".o-rectification{background:var(--rect);color:var(--rect-ink)}\n"
    ".o-restored{background:var(--rest);color:var(--rest-ink)}\n"
    ".o-terminated{background:var(--term);color:var(--term-ink)}\n"
    "td.cell{padding:3px;min-width:112px}\n"
    "td.none{color:var(--line);text-align:center}\n"
    ".evaluation{border-radius:4px;padding:3px 6px;margin:1px 0;font-size:12px}\n"
    ".evaluation .ag{font-size:11px;opacity:.8}\n"
    ".evaluation .fails{display:block;font-family:\"DejaVu Sans Mono\",monospace;font-size:10px}\n"
    ".status-disqualified{color:var(--term-ink);font-weight:600}\n";

static const char style_charts[] =
    ".charts{display:flex;flex-wrap:wrap;gap:18px}\n"
    "figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:8px 10px;background:#fff}\n"
    "figcaption{font-weight:600;margin-bottom:4px}\n"
    "figure .note{font-weight:normal}\n"
    "svg{display:block}\n"
    "svg text{font-family:var(--font);fill:var(--ink)}\n"
    "svg .vname{font-size:13px}svg .vcode{font-size:10px;fill:var(--muted)}\n"
    "svg .val,svg .tick,svg .cnt{font-size:11px;fill:var(--muted)}\n"
    "svg .track{fill:#eef1f4}\n"
    "svg .bar.full{fill:#43a047}svg .bar.gap{fill:#f9a825}\n"
    "svg .grid{stroke:#e3e7eb;stroke-width:1}\n"
    "svg .axis{stroke:#9aa5b1;stroke-width:1}\n"
    "svg .hbar.below{fill:#e57373}svg .hbar.above{fill:#64b5f6}\n"
    "svg .pline{stroke:#b71c1c;stroke-width:2;stroke-dasharray:5 3}\n"
    "svg .plabel{font-size:11px;fill:#b71c1c;font-weight:600}\n"
    ".rule-group{margin:14px 0 18px}\n"
    ".rule-group h3 code{font-size:14px}\n"
    ".clause{background:#fdecea;color:#8e0000;border-radius:3px;padding:0 5px;font-weight:normal}\n"
    ".sev{border-radius:3px;padding:0 6px;font-size:12px;font-weight:normal}\n"
    ".sev-error{background:#c62828;color:#fff}.sev-warning{background:#f9a825;color:#3e2700}\n"
    ".sev-notice{background:#cfd8dc;color:#263238}\n"
    ".rsum{margin:0 0 4px;color:var(--muted);font-size:13px}\n"
    "table.findings{width:100%}\n"
    "tr.f-error td:first-child{border-left:5px solid #c62828}\n"
    "tr.f-warning td:first-child{border-left:5px solid #f9a825}\n"
    "tr.f-notice td:first-child{border-left:5px solid #90a4ae}\n"
    "footer{margin-top:30px;padding-top:10px;padding-bottom:30px;border-top:1px solid var(--line);"
    "color:var(--muted);font-size:12px}\n"
    "footer code{word-break:break-all}\n"
    "@media print{nav{display:none}figure,.rule-group,tr{break-inside:avoid}}\n";

/* ---- header and summary ------------------------------------------------------------------ */

static void render_head(html_buf *b, const vipa_result *r)
{
    html_raw(b, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<meta name=\"generator\" content=\"vipa ");
    html_text(b, vipa_result_stamp(r, "library"));
    html_raw(b, "\">\n<title>村域产业精准扶贫年度报告 · Annual report</title>\n<style>\n");
    html_raw(b, style);
    html_raw(b, style_charts);
    html_raw(b, "</style>\n</head>\n<body>\n");
}

static void render_header(html_buf *b, const vipa_result *r, const char *source)
{
    html_raw(b, "<header>\n<h1>商洛市村域产业精准扶贫 · 年度报告 "
                "<span class=\"en\">Village-domain industry poverty alleviation: annual report</span></h1>\n"
                "<p>商政办发〔2016〕98号 · 方案 profile <b>");
    html_text(b, vipa_result_stamp(r, "profile"));
    html_raw(b, "</b> · 数据 scenario <code>");
    html_text(b, source);
    html_raw(b, "</code></p>\n</header>\n<nav>"
                "<a href=\"#summary\">概要 Summary</a>"
                "<a href=\"#coverage\">带动覆盖 Coverage</a>"
                "<a href=\"#income\">收入分布 Income</a>"
                "<a href=\"#evaluations\">绩效评估 Evaluations</a>"
                "<a href=\"#disclosure\">公示公告 Disclosure</a>"
                "<a href=\"#findings\">发现 Findings</a></nav>\n<main>\n");
}

static void outcome_chips(html_buf *b, const size_t n[VIPA_OUTCOME_TERMINATED + 1], int all)
{
    for (int o = VIPA_OUTCOME_COMPLIANT; o <= VIPA_OUTCOME_TERMINATED; o++)
        if (all || n[o] > 0)
            outcome_chip(b, (vipa_outcome)o, (long)n[o]);
}

static void coverage_totals(size_t *willing, size_t *covered, const vipa_result *r, size_t y)
{
    *willing = *covered = 0;
    for (size_t i = 0; i < vipa_result_year_coverage_count(r, y); i++) {
        vipa_area_code v;
        size_t w = 0, c = 0;
        if (vipa_result_year_coverage(&v, &w, &c, r, y, i) == VIPA_OK) {
            *willing += w;
            *covered += c;
        }
    }
}

/* Exits per calendar year over the run's households; years 1900..9999. */
static int count_exits(size_t **per_year, size_t *never, const vipa_result *r)
{
    *never = 0;
    *per_year = calloc(10000, sizeof **per_year);
    if (*per_year == NULL)
        return -1;
    for (size_t i = 0; i < vipa_result_household_count(r); i++) {
        vipa_id id;
        int year = 0;
        if (vipa_result_household(&id, &year, r, i) != VIPA_OK)
            continue;
        if (year > 0 && year < 10000)
            (*per_year)[year]++;
        else
            (*never)++;
    }
    return 0;
}

static void render_year_table(html_buf *b, const vipa_result *r, const size_t *exits)
{
    html_raw(b, "<table class=\"years\">\n<thead><tr><th>年度 <span class=\"en\">Year</span></th>"
                "<th class=\"num\">贫困户 <span class=\"en\">Households</span></th>"
                "<th class=\"num\">达到退出标准 <span class=\"en\">Meeting the exit standard</span></th>"
                "<th class=\"num\">当年退出 <span class=\"en\">Exits</span></th>"
                "<th class=\"num\">带动覆盖 <span class=\"en\">Coverage (covered / willing)</span></th>"
                "<th>评估结果 <span class=\"en\">Evaluation outcomes</span></th></tr></thead>\n<tbody>\n");
    for (size_t y = 0; y < vipa_result_year_count(r); y++) {
        int year = vipa_result_year(r, y);
        size_t n = vipa_result_year_household_count(r, y), meeting = cli_count_meeting(r, y);
        size_t willing, covered;
        coverage_totals(&willing, &covered, r, y);
        char pct[NUM_SIZE];
        size_t outcomes[VIPA_OUTCOME_TERMINATED + 1];
        cli_count_outcomes(outcomes, r, y);
        html_printf(b, "<tr class=\"year\" data-year=\"%d\"><td>%d</td><td class=\"num\">%zu</td>"
                       "<td class=\"num\">%zu</td><td class=\"num\">%zu</td>"
                       "<td class=\"num\">%zu / %zu (%s)</td><td>",
                    year, year, n, meeting, year > 0 && year < 10000 ? exits[year] : (size_t)0,
                    covered, willing, percent_text(pct, covered, willing));
        outcome_chips(b, outcomes, 0);
        html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table>\n");
}

static int render_summary(html_buf *b, const cli_session *s)
{
    const vipa_result *r = s->result;
    size_t *exits = NULL, never = 0, total = 0;
    if (count_exits(&exits, &never, r) != 0)
        return -1;
    const vipa_findings *f = vipa_result_findings(r);
    size_t errors = vipa_findings_count_at_least(f, VIPA_SEVERITY_ERROR);
    size_t warnings = vipa_findings_count_at_least(f, VIPA_SEVERITY_WARNING) - errors;
    size_t notices = vipa_findings_count(f) - errors - warnings;
    size_t outcomes[VIPA_OUTCOME_TERMINATED + 1];
    cli_count_outcomes(outcomes, r, SIZE_MAX);

    html_raw(b, "<section class=\"summary\">\n<h2 id=\"summary\">概要 <span class=\"en\">Summary</span></h2>\n"
                "<div class=\"cards\">\n");
    html_printf(b, "<div class=\"card\"><div class=\"k\">贫困户 Households</div>"
                   "<div class=\"v\" data-households=\"%zu\">%zu</div>"
                   "<div class=\"d\">建档立卡 registered poor households</div></div>\n",
                vipa_result_household_count(r), vipa_result_household_count(r));
    for (int y = 0; y < 10000; y++)
        total += exits[y];
    html_printf(b, "<div class=\"card\"><div class=\"k\">已退出 Exited</div><div class=\"v\">%zu</div>"
                   "<div class=\"d\">",
                total);
    const char *sep = "";
    for (int y = 0; y < 10000; y++)
        if (exits[y] > 0) {
            html_printf(b, "%s<span class=\"exit-year\" data-year=\"%d\" data-exits=\"%zu\">%d: %zu</span>",
                        sep, y, exits[y], y, exits[y]);
            sep = " · ";
        }
    html_printf(b, "<br>未退出 not yet exited: %zu</div></div>\n", never);
    html_printf(b, "<div class=\"card\"><div class=\"k\">经营主体 · 协议 Entities · agreements</div>"
                   "<div class=\"v\">%zu · %zu</div><div class=\"d\">签订协议 signed agreements</div></div>\n",
                vipa_ctx_entity_count(s->ctx), vipa_ctx_agreement_count(s->ctx));
    html_raw(b, "<div class=\"card\"><div class=\"k\">评估结果 Evaluation outcomes (四(五))</div>"
                "<div class=\"v\">");
    outcome_chips(b, outcomes, 1);
    html_raw(b, "</div></div>\n");
    html_printf(b, "<div class=\"card\"><div class=\"k\">发现 Findings</div><div class=\"v\">"
                   "<span class=\"sev sev-error\">error %zu</span> "
                   "<span class=\"sev sev-warning\">warning %zu</span> "
                   "<span class=\"sev sev-notice\">notice %zu</span></div></div>\n</div>\n",
                errors, warnings, notices);
    html_raw(b, "<h3>按年度 <span class=\"en\">By year</span></h3>\n");
    render_year_table(b, r, exits);
    html_raw(b, "</section>\n");
    free(exits);
    return 0;
}

/* ---- coverage: one bar chart per year ------------------------------------------------------ */

/* Chart geometry, in SVG user units (pixels). */
#define COV_WIDTH 352
#define COV_LABEL 112 /* x where the bars start */
#define COV_BAR 150   /* width of a full bar (100 %) */
#define COV_ROW 34
#define COV_TOP 6

static void coverage_chart(html_buf *b, const vipa_result *r, size_t y, const report_names *names)
{
    size_t n = vipa_result_year_coverage_count(r, y);
    int year = vipa_result_year(r, y);
    size_t willing_all, covered_all;
    char pct[NUM_SIZE];
    coverage_totals(&willing_all, &covered_all, r, y);
    int height = COV_TOP + (int)n * COV_ROW + 22;
    html_printf(b, "<figure class=\"coverage\" data-year=\"%d\"><figcaption>%d 年 "
                   "<span class=\"note\">%zu / %zu (%s)</span></figcaption>\n",
                year, year, covered_all, willing_all, percent_text(pct, covered_all, willing_all));
    html_printf(b, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                   "aria-label=\"coverage of willing households by village, %d\">\n",
                COV_WIDTH, height, COV_WIDTH, height, year);
    int bottom = COV_TOP + (int)n * COV_ROW;
    for (int k = 0; k <= 2; k++) {
        int x = COV_LABEL + k * COV_BAR / 2;
        html_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                       "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d%%</text>\n",
                    x, COV_TOP, x, bottom, x, bottom + 14, k * 50);
    }
    for (size_t i = 0; i < n; i++) {
        vipa_area_code village;
        size_t willing = 0, covered = 0;
        char code[VIPA_AREA_CODE_SIZE];
        if (vipa_result_year_coverage(&village, &willing, &covered, r, y, i) != VIPA_OK)
            continue;
        int top = COV_TOP + (int)i * COV_ROW;
        const char *name = report_area_name(names, village);
        code_text(code, village);
        html_printf(b, "<text class=\"vname\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                    COV_LABEL - 8, top + 14);
        text_cut(b, name != NULL ? name : code, 8);
        html_printf(b, "</text><text class=\"vcode\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                    COV_LABEL - 8, top + 27, code);
        double w = willing == 0 ? 0.0 : (double)COV_BAR * (double)covered / (double)willing;
        html_printf(b, "<rect class=\"track\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"20\"/>",
                    COV_LABEL, top + 5, COV_BAR);
        html_printf(b, "<rect class=\"bar %s\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"20\" "
                       "data-year=\"%d\" data-village=\"%s\" data-willing=\"%zu\" data-covered=\"%zu\">"
                       "<title>",
                    covered >= willing ? "full" : "gap", COV_LABEL, top + 5, w, year, code,
                    willing, covered);
        if (name != NULL) {
            html_text(b, name);
            html_raw(b, " ");
        }
        html_printf(b, "%s: %zu / %zu</title></rect>", code, covered, willing);
        html_printf(b, "<text class=\"val\" x=\"%d\" y=\"%d\">%zu/%zu · %s</text>\n",
                    COV_LABEL + COV_BAR + 6, top + 19, covered, willing,
                    percent_text(pct, covered, willing));
    }
    html_raw(b, "</svg></figure>\n");
}

static void render_coverage(html_buf *b, const cli_session *s, const report_names *names)
{
    const vipa_result *r = s->result;
    html_raw(b, "<section>\n<h2 id=\"coverage\">带动覆盖 <span class=\"en\">Coverage of willing "
                "households by core village</span></h2>\n"
                "<p class=\"note\">COVERAGE_CORE_VILLAGE（一; 二(三)）：核心村中有产业发展意愿、尚未退出的贫困户"
                "均应有利益联结（带动全覆盖）。 Every willing, not-yet-exited poor household of a core "
                "village must be linked. Green: all covered; amber: a gap.</p>\n<div class=\"charts\">\n");
    size_t charts = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        if (vipa_result_year_coverage_count(r, y) > 0) {
            coverage_chart(b, r, y, names);
            charts++;
        }
    if (charts == 0)
        html_raw(b, "<p class=\"note\">无核心村覆盖数据 No core village has an agreement in force.</p>\n");
    html_raw(b, "</div>\n</section>\n");
}

/* ---- evaluations: a colour table per entity ---------------------------------------------- */

struct eval_item {
    vipa_id entity, agreement;
    int year;
    vipa_date date;
    int recheck;
    vipa_outcome outcome;
    size_t y, i;   /* where it is in the result */
    size_t column; /* its session's column */
};

struct eval_session {
    vipa_date date;
    int recheck;
    int year;
};

static int session_cmp(const struct eval_session *a, const struct eval_session *b)
{
    if (a->date != b->date)
        return a->date < b->date ? -1 : 1;
    if (a->recheck != b->recheck)
        return a->recheck < b->recheck ? -1 : 1;
    return (a->year > b->year) - (a->year < b->year);
}

static int session_qsort(const void *a, const void *b)
{
    return session_cmp(a, b);
}

static int item_qsort(const void *pa, const void *pb)
{
    const struct eval_item *a = pa, *b = pb;
    if (a->entity != b->entity)
        return a->entity < b->entity ? -1 : 1;
    if (a->column != b->column)
        return a->column < b->column ? -1 : 1;
    return (a->agreement > b->agreement) - (a->agreement < b->agreement);
}

/* The failed checks of an evaluation as "RULE ×n" per rule, in catalogue order. */
static void failed_rules(html_buf *b, const vipa_result *r, size_t y, size_t i)
{
    int rules = vipa_rule_count(); /* the library's, which may know more than this header */
    size_t nf = vipa_result_year_failed_count(r, y, i);
    size_t *count = nf ? calloc((size_t)rules + 1, sizeof *count) : NULL;
    if (count == NULL) {
        b->failed |= nf != 0;
        return;
    }
    for (size_t k = 0; k < nf; k++) {
        vipa_rule rule = VIPA_RULE_NONE;
        vipa_subject_kind kind;
        uint64_t id;
        const char *expected, *actual;
        if (vipa_result_year_failed(&rule, &kind, &id, &expected, &actual, r, y, i, k) == VIPA_OK &&
            (int)rule >= 1 && (int)rule <= rules)
            count[rule]++;
    }
    html_printf(b, "<span class=\"fails\" data-failed=\"%zu\">", nf);
    const char *sep = "";
    for (int rule = 1; rule <= rules; rule++) {
        if (count[rule] == 0)
            continue;
        html_raw(b, sep);
        html_text(b, vipa_rule_id((vipa_rule)rule));
        if (count[rule] > 1)
            html_printf(b, " \xC3\x97%zu", count[rule]);
        sep = "<br>";
    }
    html_raw(b, "</span>");
    free(count);
}

static void evaluation_item(html_buf *b, const vipa_result *r, const struct eval_item *e)
{
    char d[VIPA_DATE_FORMAT_SIZE];
    html_printf(b, "<div class=\"evaluation o-%s\" data-entity=\"%llu\" data-agreement=\"%llu\" "
                   "data-year=\"%d\" data-date=\"%s\" data-recheck=\"%d\" data-outcome=\"%s\" "
                   "data-failed=\"%zu\">",
                outcome_key(e->outcome), (unsigned long long)e->entity,
                (unsigned long long)e->agreement, e->year, date_text(d, e->date), e->recheck,
                outcome_key(e->outcome), vipa_result_year_failed_count(r, e->y, e->i));
    html_printf(b, "<span class=\"ag\">协议 %llu</span> %s <span class=\"en\">",
                (unsigned long long)e->agreement, outcome_zh(e->outcome));
    html_text(b, vipa_outcome_name(e->outcome));
    html_raw(b, "</span>");
    failed_rules(b, r, e->y, e->i);
    html_raw(b, "</div>");
}

/* The status and favoured years of entity index @p k of the result. */
static void entity_status(html_buf *b, const vipa_result *r, size_t k)
{
    vipa_id id;
    vipa_entity_status status = VIPA_ENTITY_STATUS_NONE;
    vipa_date on = 0;
    size_t favoured = 0;
    char d[VIPA_DATE_FORMAT_SIZE];
    if (vipa_result_entity(&id, &status, &on, &favoured, r, k) != VIPA_OK) {
        html_raw(b, "<td></td><td></td>");
        return;
    }
    const char *word = vipa_entity_status_name(status); /* a result's: active or disqualified */
    if (word == NULL)
        word = "";
    if (status == VIPA_ENTITY_STATUS_DISQUALIFIED)
        html_printf(b, "<td class=\"status-disqualified\" data-status=\"%s\">取消资格 "
                       "<span class=\"en\">%s</span> %s</td>",
                    word, word, date_text(d, on));
    else
        html_printf(b, "<td data-status=\"%s\">正常 <span class=\"en\">%s</span></td>", word,
                    word);
    html_raw(b, "<td>");
    if (favoured == 0)
        html_raw(b, "\xE2\x80\x94");
    for (size_t j = 0; j < favoured; j++) {
        int year = 0;
        vipa_result_entity_favoured(&year, r, k, j);
        html_printf(b, "%s%d", j ? ", " : "", year);
    }
    html_raw(b, "</td>");
}

static int collect_evaluations(struct eval_item **items, size_t *nitems,
                               struct eval_session **sessions, size_t *nsessions,
                               const vipa_result *r)
{
    size_t n = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        n += vipa_result_year_evaluation_count(r, y);
    *items = calloc(n + 1, sizeof **items);
    *sessions = calloc(n + 1, sizeof **sessions);
    if (*items == NULL || *sessions == NULL)
        return -1;
    size_t k = 0;
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++) {
            struct eval_item *e = &(*items)[k];
            if (vipa_result_year_evaluation(&e->agreement, &e->entity, &e->date, &e->recheck,
                                            &e->outcome, r, y, i) != VIPA_OK)
                continue;
            e->year = vipa_result_year(r, y);
            e->y = y;
            e->i = i;
            (*sessions)[k] = (struct eval_session){e->date, e->recheck, e->year};
            k++;
        }
    *nitems = k;
    /* The distinct sessions, in date order, are the table's columns. */
    qsort(*sessions, k, sizeof **sessions, session_qsort);
    size_t m = 0;
    for (size_t j = 0; j < k; j++)
        if (m == 0 || session_cmp(&(*sessions)[m - 1], &(*sessions)[j]) != 0)
            (*sessions)[m++] = (*sessions)[j];
    *nsessions = m;
    for (size_t j = 0; j < k; j++) {
        struct eval_session key = {(*items)[j].date, (*items)[j].recheck, (*items)[j].year};
        struct eval_session *hit = bsearch(&key, *sessions, m, sizeof key, session_qsort);
        (*items)[j].column = hit == NULL ? 0 : (size_t)(hit - *sessions);
    }
    qsort(*items, k, sizeof **items, item_qsort);
    return 0;
}

static void evaluation_head(html_buf *b, const struct eval_session *sessions, size_t n)
{
    html_raw(b, "<thead><tr><th>经营主体 <span class=\"en\">Entity</span></th>"
                "<th>类型 <span class=\"en\">Kind</span></th>");
    for (size_t c = 0; c < n; c++) {
        char d[VIPA_DATE_FORMAT_SIZE];
        html_printf(b, "<th class=\"session\">%d 年度%s<br><span class=\"en\">%s %s</span></th>",
                    sessions[c].year, sessions[c].recheck ? "复核" : "评估",
                    date_text(d, sessions[c].date), sessions[c].recheck ? "re-check" : "evaluation");
    }
    html_raw(b, "<th>状态 <span class=\"en\">Status</span></th>"
                "<th>予以倾斜 <span class=\"en\">Favoured years</span></th></tr></thead>\n");
}

static int render_evaluations(html_buf *b, const cli_session *s, const report_names *names)
{
    const vipa_result *r = s->result;
    struct eval_item *items = NULL;
    struct eval_session *sessions = NULL;
    size_t nitems = 0, nsessions = 0;
    if (collect_evaluations(&items, &nitems, &sessions, &nsessions, r) != 0) {
        free(items);
        free(sessions);
        return -1;
    }
    html_raw(b, "<section>\n<h2 id=\"evaluations\">绩效评估 <span class=\"en\">Evaluations by "
                "entity (四(五))</span></h2>\n<p class=\"note\">");
    for (int o = VIPA_OUTCOME_COMPLIANT; o <= VIPA_OUTCOME_TERMINATED; o++)
        outcome_chip(b, (vipa_outcome)o, -1);
    html_raw(b, " 每格为一次评估的结果及未通过的检查。 Each cell is one evaluation of an agreement, "
                "with the rules of its failed checks.</p>\n<div class=\"scroll\">\n"
                "<table class=\"evaluations\">\n");
    evaluation_head(b, sessions, nsessions);
    html_raw(b, "<tbody>\n");
    size_t next = 0; /* the first item not yet shown */
    for (size_t k = 0; k < vipa_result_entity_count(r); k++) {
        vipa_id id;
        vipa_entity_status st;
        vipa_date on;
        size_t fav;
        if (vipa_result_entity(&id, &st, &on, &fav, r, k) != VIPA_OK)
            continue;
        while (next < nitems && items[next].entity < id)
            next++; /* an evaluated entity the result does not list: cannot happen */
        const report_entity *e = report_entity_find(names, id);
        html_printf(b, "<tr class=\"entity\" data-entity=\"%llu\"><th>", (unsigned long long)id);
        entity_label(b, names, id);
        html_raw(b, "</th><td>");
        entity_kind(b, e != NULL ? e->kind : NULL);
        html_raw(b, "</td>");
        for (size_t c = 0; c < nsessions; c++) {
            if (next >= nitems || items[next].entity != id || items[next].column != c) {
                html_raw(b, "<td class=\"none\">\xE2\x80\x94</td>");
                continue;
            }
            html_raw(b, "<td class=\"cell\">");
            while (next < nitems && items[next].entity == id && items[next].column == c)
                evaluation_item(b, r, &items[next++]);
            html_raw(b, "</td>");
        }
        entity_status(b, r, k);
        html_raw(b, "</tr>\n");
    }
    html_raw(b, "</tbody></table>\n</div>\n");
    if (vipa_result_entity_count(r) == 0)
        html_raw(b, "<p class=\"note\">无经营主体 No entity.</p>\n");
    html_raw(b, "</section>\n");
    free(items);
    free(sessions);
    return 0;
}

/* ---- the disclosure list ------------------------------------------------------------------- */

static void render_disclosure(html_buf *b, const cli_session *s, const report_names *names)
{
    const vipa_result *r = s->result;
    html_raw(b, "<section>\n<h2 id=\"disclosure\">公示公告 <span class=\"en\">Disclosure list "
                "(五(五))</span></h2>\n<p class=\"note\">DISCLOSURE（五(五)）：各经营主体获得的财政资金"
                "折股量化（及其他扶持）和带动的贫困户。 Per entity: the fiscal equity it received and the "
                "households it drives.</p>\n");
    size_t n = vipa_result_disclosure_count(r);
    if (n == 0) {
        html_raw(b, "<p class=\"note\">无 None.</p>\n</section>\n");
        return;
    }
    html_raw(b, "<table class=\"disclosure\">\n<thead><tr><th>经营主体 <span class=\"en\">Entity</span></th>"
                "<th>类型 <span class=\"en\">Kind</span></th>"
                "<th>核心村 <span class=\"en\">Core village</span></th>"
                "<th>产业 <span class=\"en\">Industry</span></th>"
                "<th class=\"num\">财政资金股权（元） <span class=\"en\">Fiscal equity (yuan)</span></th>"
                "<th class=\"num\">带动贫困户 <span class=\"en\">Households driven</span></th></tr></thead>\n<tbody>\n");
    vipa_fen total = 0;
    int total_ok = 1;
    for (size_t i = 0; i < n; i++) {
        vipa_id id;
        vipa_fen equity = 0;
        size_t households = 0;
        char money[VIPA_FEN_FORMAT_SIZE + 8], plain[VIPA_FEN_FORMAT_SIZE];
        if (vipa_result_disclosure(&id, &equity, &households, r, i) != VIPA_OK)
            continue;
        if (total_ok && vipa_fen_add(&total, total, equity) != VIPA_OK)
            total_ok = 0;
        if (vipa_fen_format(plain, sizeof plain, equity) != VIPA_OK)
            strcpy(plain, "?");
        const report_entity *e = report_entity_find(names, id);
        html_printf(b, "<tr class=\"disclosure\" data-entity=\"%llu\" data-equity=\"%s\" "
                       "data-households=\"%zu\"><td>",
                    (unsigned long long)id, plain, households);
        entity_label(b, names, id);
        html_raw(b, "</td><td>");
        entity_kind(b, e != NULL ? e->kind : NULL);
        html_raw(b, "</td><td>");
        if (e != NULL && e->core != 0)
            area_label(b, names, e->core);
        html_raw(b, "</td><td>");
        html_text(b, e != NULL ? e->industry : NULL);
        html_printf(b, "</td><td class=\"num\">%s</td><td class=\"num\">%zu</td></tr>\n",
                    yuan_grouped(money, sizeof money, equity), households);
    }
    html_raw(b, "</tbody>");
    if (total_ok) {
        char money[VIPA_FEN_FORMAT_SIZE + 8];
        html_printf(b, "<tfoot><tr><th colspan=\"4\">合计 <span class=\"en\">Total</span></th>"
                       "<th class=\"num\">%s</th><th></th></tr></tfoot>",
                    yuan_grouped(money, sizeof money, total));
    }
    html_raw(b, "</table>\n</section>\n");
}

/* ---- income against the poverty line: one histogram per year --------------------------- */

/* The bucket of income ÷ line: k covers [k/4, (k+1)/4), the last one 3 and above, the
 * first one also anything below 0. Exact: integer arithmetic on fen. */
static int income_bucket(vipa_fen income, vipa_fen line)
{
    if (income <= 0 || line <= 0)
        return income > 0 ? REPORT_HIST_BUCKETS - 1 : 0;
    int64_t q = income / line, rem = income % line; /* income = q × line + rem */
    if (q >= 3)
        return REPORT_HIST_BUCKETS - 1;
    int64_t quarter; /* floor(4 × rem / line), 0..3, without overflow */
    if (rem <= INT64_MAX / 4)
        quarter = rem * 4 / line;
    else
        quarter = (int64_t)((long double)rem * 4.0L / (long double)line);
    if (quarter > 3)
        quarter = 3;
    return (int)(q * 4 + quarter);
}

#define HIST_WIDTH 352
#define HIST_LEFT 34
#define HIST_STEP 24 /* a bucket's width */
#define HIST_TOP 24
#define HIST_PLOT 150

/* A round step for about 4 ticks up to @p max. */
static size_t tick_step(size_t max)
{
    size_t step = 1;
    for (;;) {
        static const size_t m[] = {1, 2, 5};
        for (size_t i = 0; i < 3; i++)
            if (step * m[i] * 4 >= max)
                return step * m[i];
        if (step > SIZE_MAX / 100)
            return step;
        step *= 10;
    }
}

static void histogram(html_buf *b, int year, const size_t *count, size_t top)
{
    size_t total = 0, below = 0;
    for (int k = 0; k < REPORT_HIST_BUCKETS; k++) {
        total += count[k];
        if (k < 4)
            below += count[k];
    }
    size_t step = tick_step(top);
    size_t ymax = (top + step - 1) / step * step;
    if (ymax == 0)
        ymax = step;
    char pct[NUM_SIZE];
    int height = HIST_TOP + HIST_PLOT + 44;
    int right = HIST_LEFT + REPORT_HIST_BUCKETS * HIST_STEP;
    html_printf(b, "<figure class=\"income\" data-year=\"%d\" data-households=\"%zu\">"
                   "<figcaption>%d 年 <span class=\"note\">%zu 户；低于贫困线 below the line: %zu (%s)"
                   "</span></figcaption>\n",
                year, total, year, total, below, percent_text(pct, below, total));
    html_printf(b, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
                   "aria-label=\"households by income over poverty line, %d\">\n",
                HIST_WIDTH, height, HIST_WIDTH, height, year);
    for (size_t v = 0; v <= ymax; v += step) {
        double y = HIST_TOP + HIST_PLOT - (double)HIST_PLOT * (double)v / (double)ymax;
        html_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                       "<text class=\"tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%zu</text>\n",
                    HIST_LEFT, y, right, y, HIST_LEFT - 4, y + 4, v);
    }
    for (int k = 0; k < REPORT_HIST_BUCKETS; k++) {
        double h = (double)HIST_PLOT * (double)count[k] / (double)ymax;
        double y = HIST_TOP + HIST_PLOT - h;
        int x = HIST_LEFT + k * HIST_STEP + 2;
        char lo[8], hi[8];
        snprintf(lo, sizeof lo, "%d.%02d", k / 4, k % 4 * 25);
        if (k == REPORT_HIST_BUCKETS - 1)
            strcpy(hi, "");
        else
            snprintf(hi, sizeof hi, "%d.%02d", (k + 1) / 4, (k + 1) % 4 * 25);
        char title[32];
        if (k == REPORT_HIST_BUCKETS - 1)
            snprintf(title, sizeof title, "\xE2\x89\xA5 %s", lo);
        else if (k == 0)
            snprintf(title, sizeof title, "< %s", hi);
        else
            snprintf(title, sizeof title, "%s\xE2\x80\x93%s", lo, hi);
        html_printf(b, "<rect class=\"hbar %s\" x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" "
                       "data-year=\"%d\" data-bucket=\"%d\" data-lo=\"%s\" data-hi=\"%s\" "
                       "data-count=\"%zu\"><title>%s: %zu</title></rect>",
                    k < 4 ? "below" : "above", x, y, HIST_STEP - 4, h, year, k, lo, hi, count[k],
                    title, count[k]);
        if (count[k] > 0)
            html_printf(b, "<text class=\"cnt\" x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>",
                        x + (HIST_STEP - 4) / 2, y - 3, count[k]);
        html_raw(b, "\n");
    }
    int base = HIST_TOP + HIST_PLOT;
    html_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                HIST_LEFT, base, right, base);
    for (int k = 0; k <= REPORT_HIST_BUCKETS - 1; k += 2) {
        int x = HIST_LEFT + k * HIST_STEP;
        if (k == REPORT_HIST_BUCKETS - 1)
            html_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">\xE2\x89\xA5" "3</text>",
                        x, base + 14);
        else
            html_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">%d%s</text>",
                        x, base + 14, k / 4, k % 4 ? ".5" : "");
    }
    int px = HIST_LEFT + 4 * HIST_STEP;
    html_printf(b, "\n<line class=\"pline\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" data-ratio=\"1.0\"/>"
                   "<text class=\"plabel\" x=\"%d\" y=\"%d\">贫困线 poverty line = 1.0</text>\n",
                px, HIST_TOP - 12, px, base, px + 4, HIST_TOP - 4);
    html_printf(b, "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">"
                   "收入 ÷（贫困线 × 人口） income ÷ (line × members)</text>\n",
                (HIST_LEFT + right) / 2, base + 32);
    html_raw(b, "</svg></figure>\n");
}

static int render_income(html_buf *b, const cli_session *s)
{
    const vipa_result *r = s->result;
    size_t ny = vipa_result_year_count(r);
    size_t *counts = calloc(ny * REPORT_HIST_BUCKETS + 1, sizeof *counts);
    if (counts == NULL)
        return -1;
    size_t top = 0;
    for (size_t y = 0; y < ny; y++)
        for (size_t i = 0; i < vipa_result_year_household_count(r, y); i++) {
            vipa_id id;
            vipa_fen income = 0, line = 0;
            int meets;
            if (vipa_result_year_household(&id, &income, &line, &meets, r, y, i) != VIPA_OK)
                continue;
            size_t *c = &counts[y * REPORT_HIST_BUCKETS + (size_t)income_bucket(income, line)];
            if (++*c > top)
                top = *c;
        }
    html_raw(b, "<section>\n<h2 id=\"income\">收入分布 <span class=\"en\">Household income against "
                "the poverty line</span></h2>\n<p class=\"note\">每户当年收入除以（当年贫困线 × 家庭人口），"
                "按 0.25 分组；虚线为贫困线（比值 1.0）。 Each household's income for the year divided by "
                "the poverty line × its members, in steps of 0.25; the dashed line is the poverty line "
                "(ratio 1.0). Meeting the exit standard also needs the guarantees (两不愁三保障).</p>\n"
                "<div class=\"charts\">\n");
    size_t charts = 0;
    for (size_t y = 0; y < ny; y++)
        if (vipa_result_year_household_count(r, y) > 0) {
            histogram(b, vipa_result_year(r, y), &counts[y * REPORT_HIST_BUCKETS], top);
            charts++;
        }
    if (charts == 0)
        html_raw(b, "<p class=\"note\">无收入数据 No household has figures.</p>\n");
    html_raw(b, "</div>\n</section>\n");
    free(counts);
    return 0;
}

/* ---- findings, grouped by rule ------------------------------------------------------------- */

static const char *subject_zh(vipa_subject_kind kind)
{
    switch (kind) {
    case VIPA_SUBJECT_HOUSEHOLD: return "贫困户";
    case VIPA_SUBJECT_AGREEMENT: return "协议";
    case VIPA_SUBJECT_LINKAGE: return "利益联结";
    case VIPA_SUBJECT_INJECTION: return "折资入股";
    case VIPA_SUBJECT_ENTITY: return "经营主体";
    case VIPA_SUBJECT_VILLAGE: return "村";
    case VIPA_SUBJECT_TOWN: return "镇";
    default: return "";
    }
}

static void subject_cell(html_buf *b, const report_names *names, vipa_subject_kind kind, uint64_t id)
{
    if (kind == VIPA_SUBJECT_NONE) {
        html_raw(b, "\xE2\x80\x94");
        return;
    }
    html_printf(b, "%s ", subject_zh(kind));
    if (kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN)
        area_label(b, names, id);
    else if (kind == VIPA_SUBJECT_ENTITY)
        entity_label(b, names, id);
    else
        html_printf(b, "<span class=\"id\">%llu</span>", (unsigned long long)id);
    html_raw(b, " <span class=\"en\">");
    html_text(b, vipa_subject_kind_name(kind));
    html_raw(b, "</span>");
}

static void finding_row(html_buf *b, const vipa_findings *f, size_t i, const report_names *names)
{
    vipa_rule rule = vipa_finding_rule(f, i);
    const char *sev = vipa_severity_name(vipa_finding_severity(f, i));
    int year = vipa_finding_year(f, i);
    html_raw(b, "<tr class=\"finding f-");
    html_text(b, sev);
    html_raw(b, "\" data-rule=\"");
    html_text(b, vipa_rule_id(rule));
    html_raw(b, "\"><td>");
    if (year != 0)
        html_printf(b, "%d", year);
    else
        html_raw(b, "\xE2\x80\x94");
    html_raw(b, "</td><td><span class=\"sev sev-");
    html_text(b, sev);
    html_raw(b, "\">");
    html_text(b, sev);
    html_raw(b, "</span></td><td>");
    subject_cell(b, names, vipa_finding_subject_kind(f, i), vipa_finding_subject_id(f, i));
    html_raw(b, "</td><td class=\"num\">");
    html_text(b, vipa_finding_expected(f, i));
    html_raw(b, "</td><td class=\"num\">");
    html_text(b, vipa_finding_actual(f, i));
    html_raw(b, "</td><td class=\"msg\">");
    char message[VIPA_FINDING_MESSAGE_SIZE]; /* vipa_finding_message() would keep it */
    vipa_finding_message_format(message, sizeof message, f, i);
    html_text(b, message);
    html_raw(b, "</td></tr>\n");
}

static void render_findings(html_buf *b, const cli_session *s, const report_names *names)
{
    const vipa_findings *f = vipa_result_findings(s->result);
    size_t n = vipa_findings_count(f);
    html_printf(b, "<section>\n<h2 id=\"findings\">发现 <span class=\"en\">Findings by rule</span> "
                   "<span class=\"en\">(%zu)</span></h2>\n"
                   "<p class=\"note\">按规则分组，每条规则注明所依据的条款。 Grouped by rule, each with the "
                   "clause of 商政办发〔2016〕98号 it applies.</p>\n",
                n);
    int quiet = 0; /* rules without findings, listed at the end */
    for (int ri = 1; ri <= vipa_rule_count(); ri++) {
        vipa_rule rule = (vipa_rule)ri;
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += vipa_finding_rule(f, i) == rule;
        if (count == 0) {
            quiet++;
            continue;
        }
        const char *id = vipa_rule_id(rule);
        const char *sev = vipa_severity_name(vipa_rule_severity(rule));
        html_raw(b, "<section class=\"rule-group\" id=\"rule-");
        html_text(b, id);
        html_raw(b, "\" data-rule=\"");
        html_text(b, id);
        html_printf(b, "\" data-count=\"%zu\">\n<h3><code>", count);
        html_text(b, id);
        html_raw(b, "</code> <span class=\"clause\">");
        html_text(b, vipa_rule_clause(rule));
        html_raw(b, "</span> <span class=\"sev sev-");
        html_text(b, sev);
        html_raw(b, "\">");
        html_text(b, sev);
        html_printf(b, "</span> <span class=\"en\">%zu</span></h3>\n<p class=\"rsum\">", count);
        html_text(b, vipa_rule_summary(rule, "zh"));
        html_raw(b, " · ");
        html_text(b, vipa_rule_summary(rule, "en"));
        html_raw(b, "</p>\n<div class=\"scroll\"><table class=\"findings\">\n<thead><tr>"
                    "<th>年度 <span class=\"en\">Year</span></th>"
                    "<th>级别 <span class=\"en\">Severity</span></th>"
                    "<th>对象 <span class=\"en\">Subject</span></th>"
                    "<th class=\"num\">应为 <span class=\"en\">Expected</span></th>"
                    "<th class=\"num\">实为 <span class=\"en\">Actual</span></th>"
                    "<th>说明 <span class=\"en\">Message</span></th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < n; i++)
            if (vipa_finding_rule(f, i) == rule)
                finding_row(b, f, i, names);
        html_raw(b, "</tbody></table></div>\n</section>\n");
    }
    if (quiet > 0) {
        html_raw(b, "<p class=\"note\">无发现的规则 <span class=\"en\">Rules without findings</span>: ");
        const char *sep = "";
        for (int ri = 1; ri <= vipa_rule_count(); ri++) {
            vipa_rule rule = (vipa_rule)ri;
            size_t count = 0;
            for (size_t i = 0; i < n && count == 0; i++)
                count += vipa_finding_rule(f, i) == rule;
            if (count > 0)
                continue;
            html_printf(b, "%s<code>", sep);
            html_text(b, vipa_rule_id(rule));
            html_raw(b, "</code> (");
            html_text(b, vipa_rule_clause(rule));
            html_raw(b, ")");
            sep = ", ";
        }
        html_raw(b, "</p>\n");
    }
    html_raw(b, "</section>\n");
}

/* ---- the footer and the whole page ---------------------------------------------------- */

static void render_footer(html_buf *b, const vipa_result *r, const char *source)
{
    static const char *const fields[] = {"library", "profile", "profile_sha256", "input_sha256"};
    html_raw(b, "</main>\n<footer id=\"end\">\n<p>由 vipa 生成 · Generated by <code>vipa report</code> "
                "from <code>");
    html_text(b, source);
    html_raw(b, "</code>. 本页自包含：无脚本、无外部资源。 Self-contained: no scripts, nothing "
                "loaded from elsewhere.</p>\n<p>可复现标记 <span class=\"en\">Reproducibility stamp</span>: ");
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        html_printf(b, "%s%s <code>", i ? " · " : "", fields[i]);
        html_text(b, vipa_result_stamp(r, fields[i]));
        html_raw(b, "</code>");
    }
    html_raw(b, "</p>\n</footer>\n</body>\n</html>\n");
}

int report_html_render(html_buf *out, const cli_session *s, const report_names *names,
                       const char *source)
{
    const vipa_result *r = s->result;
    render_head(out, r);
    render_header(out, r, source);
    if (render_summary(out, s) != 0)
        return -1;
    render_coverage(out, s, names);
    if (render_income(out, s) != 0 || render_evaluations(out, s, names) != 0)
        return -1;
    render_disclosure(out, s, names);
    render_findings(out, s, names);
    render_footer(out, r, source);
    return out->failed ? -1 : 0;
}
