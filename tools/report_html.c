/* The pages of `vipa report` (docs/report.md): the frame (title, the data's as_of, the
 * issuing unit, the date printed when asked, the stamp), the style sheet for the screen
 * and for A4 print, the rollup tables of counties, towns and villages, the households
 * still to lift, and the page or pages they are put together into. Self-contained: no
 * scripts and nothing fetched; every text from the input goes through html_text() (or
 * css_string() in the style sheet). The class and data- attributes are the contract the
 * browser test reads (tests/browser/). */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "report.h"

#define TITLE_ZH "商洛市村域产业精准扶贫年度报告"
#define TITLE_EN "Shangluo village-industry poverty alleviation: annual report"

/* ---- the style sheet -------------------------------------------------------------------- */

static const char style[] =
    ":root{--font:\"Noto Sans CJK SC\",\"Source Han Sans SC\",\"WenQuanYi Micro Hei\","
    "\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans\",\"DejaVu Sans\",sans-serif;"
    "--ink:#1f2933;--muted:#555;--line:#c8cdd2;--panel:#f3f4f5}\n"
    "*{box-sizing:border-box}\n"
    "body{margin:0;font-family:var(--font);color:var(--ink);background:#fff;font-size:14px;line-height:1.5}\n"
    "header.frame,main,footer,nav{max-width:1280px;margin:0 auto;padding:0 20px}\n"
    "header.frame{padding-top:18px;border-bottom:3px solid #000}\n"
    "h1{font-size:22px;margin:0 0 4px}\n"
    "header.frame p{margin:2px 0 10px;color:var(--muted)}\n"
    "header.frame span{margin-right:1.2em}\n"
    "nav{padding-top:6px;padding-bottom:6px;font-size:13px}nav a{margin-right:14px}\n"
    "h2{font-size:18px;margin:26px 0 8px;padding-bottom:3px;border-bottom:1px solid var(--line)}\n"
    "h3{font-size:15px;margin:16px 0 6px}h4{font-size:14px;margin:12px 0 4px}\n"
    "p.note{color:var(--muted);margin:4px 0 8px;font-size:12px}\n"
    "table{border-collapse:collapse;font-size:12px;margin:6px 0 12px}\n"
    "th,td{border:1px solid var(--line);padding:3px 6px;text-align:left;vertical-align:top}\n"
    "thead th{background:var(--panel);font-weight:600}\n"
    "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
    "tr.total th,tr.total td{font-weight:bold;border-top:2px solid #000}\n"
    ".code,.id{font-family:\"DejaVu Sans Mono\",monospace;font-size:.9em}.code{color:var(--muted)}\n"
    ".rule-id{color:var(--muted);font-family:\"DejaVu Sans Mono\",monospace;font-size:.8em}\n"
    ".sev{border:1px solid #000;border-radius:3px;padding:0 4px;font-size:11px;white-space:nowrap}\n"
    ".sev-error{background:#000;color:#fff}.sev-warning{background:#bbb}\n"
    ".owed{border-left:4px solid #000;padding-left:10px;margin:12px 0}\n"
    ".owed-sum{font-weight:normal;color:var(--muted)}\n"
    "details.notices{margin:8px 0;border:1px solid var(--line);padding:4px 10px}\n"
    "details.notices summary{font-weight:600;cursor:pointer}\n"
    ".charts{display:flex;flex-wrap:wrap;gap:14px}\n"
    "figure.chart{margin:0;border:1px solid var(--line);padding:6px 8px}\n"
    "figcaption{font-weight:600;font-size:13px}\n"
    "svg text{font-family:var(--font);fill:#000}svg .tick{font-size:10px}\n"
    "svg .grid{stroke:#ddd}svg .axis{stroke:#000}\n"
    "a.next{display:inline-block;margin:12px 0;font-weight:bold}\n"
    "footer{margin-top:28px;padding-top:8px;padding-bottom:28px;border-top:1px solid var(--line);"
    "color:var(--muted);font-size:11px}footer code{word-break:break-all}\n"
    "@media print{nav{display:none}body{font-size:11px}table{font-size:9px}"
    /* the rollups' 20 columns must fit A4's 186 mm: small type, narrow cells, heads that wrap */
    "table.rollup{font-size:6.5px}table.rollup th,table.rollup td{padding:1px 2px}"
    "table.rollup thead th{white-space:normal}"
    /* two charts a row, scaled to the column (their viewBox keeps the proportions) */
    ".charts{gap:8px}figure.chart{width:calc(50% - 4px);padding:3px}figure.chart svg{width:100%;height:auto}"
    "details.notices>*{display:block}figure,tr{break-inside:avoid}"
    "thead{display:table-header-group}h2,h3,h4{break-after:avoid}"
    "header.frame,main,footer{max-width:none;padding:0}}\n"
    "tr{break-inside:avoid}\n";

/* @p text as the inside of a CSS string: quotes, backslashes, controls, markup and
 * line separators as hex escapes, so that nothing in it can end the string or the
 * <style> element. */
static void css_string(html_buf *b, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    while (*s != '\0') {
        size_t n = 1;
        unsigned cp = *s;
        if (*s >= 0x80) {
            n = (*s & 0xE0) == 0xC0 ? 2 : (*s & 0xF0) == 0xE0 ? 3 : (*s & 0xF8) == 0xF0 ? 4 : 0;
            for (size_t k = 1; k < n; k++)
                if ((s[k] & 0xC0) != 0x80)
                    n = 0;
            cp = n == 2 ? (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu)
                 : n == 3 ? (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu)
                 : n == 4 ? (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu)
                          : 0xFFFDu;
            if (n == 0)
                n = 1;
        }
        int plain = (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
                    cp == ' ' || (cp >= 0x3000 && cp != 0xFFFD && !(cp >= 0xD800 && cp <= 0xDFFF));
        if (plain) {
            char piece[5] = {0};
            memcpy(piece, s, n);
            html_raw(b, piece);
        } else
            html_printf(b, "\\%x ", cp == 0 || cp > 0x10FFFF ? 0xFFFDu : cp);
        s += n;
    }
}

/* The page's header and page numbers on every printed page (Chromium's @page margin
 * boxes: counter(page) and counter(pages)). */
static void print_style(html_buf *b, const report_opts *o, const char *title)
{
    html_raw(b, "@page{size:A4;margin:18mm 12mm 16mm 12mm;@top-left{content:\"");
    css_string(b, title);
    if (o->unit != NULL) {
        html_raw(b, " \\B7  ");
        css_string(b, o->unit);
    }
    html_raw(b, "\";font-size:9pt;color:#333}");
    html_raw(b, o->en ? "@bottom-center{content:\"Page \" counter(page) \" of \" counter(pages);"
                      : "@bottom-center{content:\"\\7B2C  \" counter(page) \" \\9875  / \\5171  \" "
                        "counter(pages) \" \\9875 \";");
    html_raw(b, "font-size:9pt}}\n");
}

/* ---- the frame ---------------------------------------------------------------------------- */

void report_page_begin(html_buf *b, const report_opts *o, const cli_session *s, const char *title)
{
    const vipa_result *r = s->result;
    html_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<meta name=\"generator\" content=\"vipa ",
                o->en ? "en" : "zh-CN");
    html_text(b, vipa_result_stamp(r, "library"));
    html_raw(b, "\">\n<title>");
    html_text(b, title);
    html_raw(b, "</title>\n<style>\n");
    html_raw(b, style);
    print_style(b, o, title);
    html_raw(b, "</style>\n</head>\n<body>\n<header class=\"frame\">\n<h1>");
    html_text(b, title);
    html_printf(b, "</h1>\n<p>%s <span class=\"as-of\">", REPORT_W(o, "数据截至", "Data as of"));
    vipa_date as_of = vipa_ctx_as_of(s->ctx);
    if (as_of != 0)
        report_date_text(b, o, as_of);
    else
        html_raw(b, REPORT_W(o, "未设定", "not set"));
    html_raw(b, "</span>");
    if (o->unit != NULL) {
        html_printf(b, "%s <span class=\"unit\">", REPORT_W(o, "编制单位", "Issued by"));
        html_text(b, o->unit);
        html_raw(b, "</span>");
    }
    if (o->printed != 0) {
        html_printf(b, "%s <span class=\"printed\">", REPORT_W(o, "打印日期", "Printed"));
        report_date_text(b, o, o->printed);
        html_raw(b, "</span>");
    }
    html_printf(b, "%s <span class=\"profile\">", REPORT_W(o, "依据 商政办发〔2016〕98号 · 方案", "Under 商政办发〔2016〕98号 · profile"));
    html_text(b, vipa_result_stamp(r, "profile"));
    html_raw(b, "</span></p>\n</header>\n");
}

void report_page_end(html_buf *b, const report_opts *o, const cli_session *s)
{
    static const char *const fields[] = {"library", "profile", "profile_sha256", "input_sha256"};
    const vipa_result *r = s->result;
    html_printf(b, "</main>\n<footer id=\"end\" class=\"stamp\">\n<p>%s <code>", REPORT_W(o, "由 vipa report 生成，数据：", "Generated by vipa report from"));
    html_text(b, o->source);
    html_printf(b, "</code>. %s</p>\n<p>%s: ",
                REPORT_W(o, "本页自包含：无脚本、无外部资源。", "Self-contained: no scripts, nothing loaded from elsewhere."),
                REPORT_W(o, "可复现标记", "Reproducibility stamp"));
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        html_printf(b, "%s%s <code>", i ? " · " : "", fields[i]);
        html_text(b, vipa_result_stamp(r, fields[i]));
        html_raw(b, "</code>");
    }
    html_raw(b, "</p>\n</footer>\n</body>\n</html>\n");
}

/* ---- links between areas ---------------------------------------------------------------- */

static const char *level_key(int level)
{
    return level == VIPA_AREA_COUNTY ? "county" : level == VIPA_AREA_TOWN ? "town" : "village";
}

/* The href of an area's section: an anchor of the page, or the page of the linked form
 * that holds it (@p part: the page of its town a village is on, 0 for the first). */
static void area_href(html_buf *b, const report_opts *o, const report_place *p, unsigned part)
{
    char code[VIPA_AREA_CODE_SIZE], town[VIPA_AREA_CODE_SIZE];
    report_code_text(code, p->code);
    if (!o->multi) {
        html_printf(b, "#%s-%s", level_key(p->level), code);
        return;
    }
    if (p->level != VIPA_AREA_VILLAGE) {
        html_printf(b, "%s-%s.html", level_key(p->level), code);
        return;
    }
    report_code_text(town, p->code / 1000 * 1000);
    if (part == 0)
        html_printf(b, "town-%s.html#village-%s", town, code);
    else
        html_printf(b, "town-%s-%u.html#village-%s", town, part + 1, code);
}

static void place_name(html_buf *b, const report_place *p)
{
    char code[VIPA_AREA_CODE_SIZE];
    if (p->name != NULL) {
        html_text(b, p->name);
        html_raw(b, " ");
    }
    html_printf(b, "<span class=\"code\">%s</span>", report_code_text(code, p->code));
}

/* ---- rollup tables ------------------------------------------------------------------------- */

static const char *const money_keys[REPORT_KINDS] = {"wage", "land_rent", "participation", "dividend"};
static const char *const outcome_keys[REPORT_OUTCOMES] = {"compliant", "rectification", "restored",
                                                          "terminated"};

static void rollup_head(html_buf *b, const report_opts *o, const vipa_result *r, int level)
{
    static const char *const area_zh[] = {"", "县区", "镇（街道）", "村（社区）"};
    static const char *const area_en[] = {"", "County", "Town", "Village"};
    html_printf(b, "<thead><tr><th>%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>",
                REPORT_W(o, area_zh[level], area_en[level]), REPORT_W(o, "贫困户", "Households"),
                REPORT_W(o, "未脱贫", "Not exited"));
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        html_printf(b, "<th class=\"num\">%d%s</th>", vipa_result_year(r, y), REPORT_W(o, "年退出", " exits"));
    html_printf(b, "<th class=\"num\">%s</th><th class=\"num\">%s</th>",
                REPORT_W(o, "有意愿户", "Willing"), REPORT_W(o, "已带动", "Covered"));
    for (int k = 0; k < REPORT_KINDS; k++)
        html_printf(b, "<th class=\"num\">%s%s</th><th class=\"num\">%s</th>", report_kind_word(o, k),
                    REPORT_W(o, "应付", " due"), REPORT_W(o, "实付", "paid"));
    for (int k = 0; k < REPORT_OUTCOMES; k++)
        html_printf(b, "<th class=\"num\">%s</th>", report_outcome_word(o, VIPA_OUTCOME_COMPLIANT + k));
    html_raw(b, "</tr></thead>\n<tbody>\n");
}

static void money_cell(html_buf *b, const char *key, const char *which, vipa_fen fen)
{
    char y[48];
    html_printf(b, "<td class=\"num\" data-key=\"%s_%s\" data-fen=\"%lld\">%s</td>", key, which,
                (long long)fen, report_yuan(y, sizeof y, fen));
}

/* The value cells of one row: those of place @p p, or of the whole run (NULL). */
static void rollup_cells(html_buf *b, const vipa_result *r, const report_model *m,
                         const report_place *p)
{
    html_printf(b, "<td class=\"num\" data-key=\"households\">%zu</td><td class=\"num\" data-key=\"open\">%zu</td>",
                p != NULL ? p->households : m->households, p != NULL ? p->open : m->open);
    for (size_t y = 0; y < m->nyear; y++)
        html_printf(b, "<td class=\"num\" data-key=\"exits-%d\">%zu</td>", vipa_result_year(r, y),
                    report_stats(m, p, y)->exits);
    if (m->nyear == 0) {
        html_raw(b, "</tr>\n");
        return;
    }
    const report_year_stats *s = report_stats(m, p, m->ystar);
    html_printf(b, "<td class=\"num\" data-key=\"willing\">%zu</td><td class=\"num\" data-key=\"covered\">%zu</td>",
                s->willing, s->covered);
    for (int k = 0; k < REPORT_KINDS; k++) {
        money_cell(b, money_keys[k], "due", s->due[k]);
        money_cell(b, money_keys[k], "paid", s->paid[k]);
    }
    for (int k = 0; k < REPORT_OUTCOMES; k++)
        html_printf(b, "<td class=\"num\" data-key=\"outcome-%s\">%zu</td>", outcome_keys[k], s->outcomes[k]);
    html_raw(b, "</tr>\n");
}

/* The table of the areas of @p level under @p parent (NULL: the counties of the run),
 * with the parent's own row last; @p part gives the page of each village (linked form). */
static void rollup_table(html_buf *b, const report_opts *o, const vipa_result *r,
                         const report_model *m, const report_place *parent, int level,
                         const unsigned *part)
{
    char code[VIPA_AREA_CODE_SIZE];
    size_t first, end;
    report_places_under(m, parent != NULL ? parent->code : 0, &first, &end);
    html_printf(b, "<table class=\"rollup\" data-level=\"%s\" data-parent=\"%s\">\n", level_key(level),
                parent != NULL ? report_code_text(code, parent->code) : "total");
    rollup_head(b, o, r, level);
    for (size_t i = first; i < end; i++) {
        const report_place *p = &m->places[i];
        if (p->level != level)
            continue;
        html_printf(b, "<tr class=\"area\" data-area=\"%s\"><th><a href=\"", report_code_text(code, p->code));
        area_href(b, o, p, part != NULL ? part[i] : 0);
        html_raw(b, "\">");
        place_name(b, p);
        html_raw(b, "</a></th>");
        rollup_cells(b, r, m, p);
    }
    html_printf(b, "<tr class=\"total\"><th>%s</th>", REPORT_W(o, "合计", "Total"));
    rollup_cells(b, r, m, parent);
    html_raw(b, "</tbody></table>\n");
}

/* ---- households still to lift -------------------------------------------------------------- */

static void lift_head(html_buf *b, const report_opts *o, const report_place *v)
{
    char code[VIPA_AREA_CODE_SIZE];
    html_printf(b, "<table class=\"lift\" data-village=\"%s\"><thead><tr><th>%s</th>"
                   "<th class=\"num\">%s</th><th class=\"num\">%s</th><th class=\"num\">%s</th>"
                   "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                report_code_text(code, v->code), REPORT_W(o, "户编号", "Household"),
                REPORT_W(o, "收入（元）", "Income (yuan)"),
                REPORT_W(o, "贫困线×人口（元）", "Line × members (yuan)"),
                REPORT_W(o, "差额（元）", "Gap (yuan)"), REPORT_W(o, "协议", "Agreements"),
                REPORT_W(o, "经营主体", "Entities"));
}

static void lift_money(html_buf *b, const char *key, vipa_fen fen)
{
    char y[48];
    html_printf(b, "<td class=\"num\" data-key=\"%s\" data-fen=\"%lld\">%s</td>", key, (long long)fen,
                report_yuan(y, sizeof y, fen));
}

/* The agreements listing the household, then their entities (each once). */
static void lift_links(html_buf *b, const report_opts *o, const report_names *names,
                       uint64_t household)
{
    size_t first, n;
    report_household_agreements(names, household, &first, &n);
    html_raw(b, "<td data-key=\"agreements\" data-ids=\"");
    for (size_t k = 0; k < n; k++)
        html_printf(b, "%s%llu", k ? " " : "", (unsigned long long)names->listings[first + k].agreement);
    html_raw(b, "\">");
    for (size_t k = 0; k < n; k++)
        html_printf(b, "%s%llu", k ? REPORT_W(o, "、", ", ") : "",
                    (unsigned long long)names->listings[first + k].agreement);
    html_raw(b, "</td><td data-key=\"entities\">");
    for (size_t k = 0; k < n; k++) {
        const report_agreement *a = report_agreement_find(names, names->listings[first + k].agreement);
        int seen = 0;
        for (size_t j = 0; j < k && a != NULL; j++) {
            const report_agreement *e = report_agreement_find(names, names->listings[first + j].agreement);
            seen |= e != NULL && e->entity == a->entity;
        }
        if (a == NULL || seen)
            continue;
        html_printf(b, "<span class=\"entity\" data-entity=\"%llu\">", (unsigned long long)a->entity);
        report_entity_label(b, names, a->entity);
        html_raw(b, "</span> ");
    }
    html_raw(b, "</td>");
}

static void lift_row(html_buf *b, const report_opts *o, const report_names *names,
                     const report_lift *l)
{
    html_printf(b, "<tr class=\"lift\" data-household=\"%llu\"><td class=\"id\">%llu</td>",
                (unsigned long long)l->household, (unsigned long long)l->household);
    lift_money(b, "income", l->income);
    lift_money(b, "line", l->line);
    lift_money(b, "gap", l->gap);
    lift_links(b, o, names, l->household);
    html_raw(b, "</tr>\n");
}

static void village_open(html_buf *b, const report_opts *o, const report_place *v, int continued)
{
    char code[VIPA_AREA_CODE_SIZE];
    /* A section continued from the page before keeps its anchor there: an id once. */
    if (continued)
        html_printf(b, "<section class=\"village continued\" data-village=\"%s\">\n<h4>",
                    report_code_text(code, v->code));
    else
        html_printf(b, "<section id=\"village-%s\" class=\"village\">\n<h4>", report_code_text(code, v->code));
    place_name(b, v);
    html_printf(b, " · %s%s <span class=\"count\">%zu</span></h4>\n", REPORT_W(o, "未脱贫户", "households still to lift"),
                continued ? REPORT_W(o, "（续）", " (continued)") : "", v->nlift);
    lift_head(b, o, v);
}

static void village_close(html_buf *b)
{
    html_raw(b, "</tbody></table>\n</section>\n");
}

/* ---- the single page --------------------------------------------------------------------- */

static void summary_section(html_buf *b, const report_opts *o, const cli_session *s,
                            const report_model *m)
{
    html_printf(b, "<section id=\"summary\">\n<h2>%s</h2>\n<p class=\"note\">%s %d。</p>\n",
                REPORT_W(o, "汇总", "Summary"),
                REPORT_W(o, "覆盖、应付实付和评估结果取最后一个已完结年度：",
                         "Coverage, dues and outcomes are those of the last complete year:"),
                m->nyear > 0 ? vipa_result_year(s->result, m->ystar) : 0);
    rollup_table(b, o, s->result, m, NULL, VIPA_AREA_COUNTY, NULL);
    report_trends(b, o, s->result, m, NULL);
    html_raw(b, "</section>\n");
}

static void nav(html_buf *b, const report_opts *o)
{
    html_printf(b, "<nav><a href=\"#summary\">%s</a><a href=\"#action\">%s</a><a href=\"#notices\">%s</a>"
                   "<a href=\"#areas\">%s</a></nav>\n<main>\n",
                REPORT_W(o, "汇总", "Summary"), REPORT_W(o, "需优先处理", "Action first"),
                REPORT_W(o, "评估与公示", "Evaluations and notices"), REPORT_W(o, "各地区", "Areas"));
}

static void town_villages(html_buf *b, const report_opts *o, const report_model *m,
                          const report_names *names, const report_place *town)
{
    size_t first, end;
    report_places_under(m, town->code, &first, &end);
    for (size_t i = first; i < end; i++) {
        const report_place *v = &m->places[i];
        if (v->level != VIPA_AREA_VILLAGE)
            continue;
        village_open(b, o, v, 0);
        for (size_t k = 0; k < v->nlift; k++)
            lift_row(b, o, names, &m->lift[v->first_lift + k]);
        village_close(b);
    }
}

static void area_sections(html_buf *b, const report_opts *o, const cli_session *s,
                          const report_model *m, const report_names *names)
{
    char code[VIPA_AREA_CODE_SIZE];
    html_printf(b, "<div id=\"areas\">\n");
    for (size_t i = 0; i < m->nplace; i++) {
        const report_place *p = &m->places[i];
        if (p->level == VIPA_AREA_VILLAGE)
            continue;
        int county = p->level == VIPA_AREA_COUNTY;
        html_printf(b, "<section id=\"%s-%s\">\n<h%d>", level_key(p->level), report_code_text(code, p->code),
                    county ? 2 : 3);
        place_name(b, p);
        html_printf(b, "</h%d>\n", county ? 2 : 3);
        rollup_table(b, o, s->result, m, p, county ? VIPA_AREA_TOWN : VIPA_AREA_VILLAGE, NULL);
        if (!county)
            town_villages(b, o, m, names, p);
        html_raw(b, "</section>\n");
    }
    html_raw(b, "</div>\n");
}

int report_single_page(html_buf *b, const report_opts *o, const cli_session *s,
                       const report_model *m, const report_names *names)
{
    report_page_begin(b, o, s, REPORT_W(o, TITLE_ZH, TITLE_EN));
    nav(b, o);
    summary_section(b, o, s, m);
    report_action_section(b, o, s, m, names, 0);
    report_notices(b, o, s, names, 0);
    area_sections(b, o, s, m, names);
    report_page_end(b, o, s);
    html_flush(b);
    return b->failed ? -1 : 0;
}

/* ---- the linked pages --------------------------------------------------------------------- */

/* What a page may hold before its footer (a margin for the footer and the links). */
static size_t page_budget(const report_opts *o)
{
    return o->page_bytes > 65536 ? o->page_bytes - 32768 : o->page_bytes / 2;
}

static char *page_title(const report_opts *o, const report_place *p)
{
    const char *t = REPORT_W(o, TITLE_ZH, TITLE_EN);
    if (p == NULL)
        return strdup(t);
    char code[VIPA_AREA_CODE_SIZE];
    return cli_strdupf("%s · %s", t, p->name != NULL ? p->name : report_code_text(code, p->code));
}

static void back_links(html_buf *b, const report_opts *o, const report_place *p)
{
    html_printf(b, "<nav><a href=\"index.html\">%s</a>", REPORT_W(o, "总览", "Index"));
    if (p != NULL && p->level == VIPA_AREA_TOWN) {
        char code[VIPA_AREA_CODE_SIZE];
        html_printf(b, "<a href=\"county-%s.html\">%s</a>", report_code_text(code, p->code / 1000000 * 1000000),
                    REPORT_W(o, "所属县区", "Its county"));
    }
    html_raw(b, "</nav>\n<main>\n");
}

static int index_page(html_buf *b, const report_pages *it, const report_opts *o,
                      const cli_session *s, const report_model *m, const report_names *names)
{
    report_page_begin(b, o, s, REPORT_W(o, TITLE_ZH, TITLE_EN));
    html_raw(b, "<main>\n");
    html_printf(b, "<section id=\"summary\">\n<h2>%s</h2>\n", REPORT_W(o, "汇总", "Summary"));
    rollup_table(b, o, s->result, m, NULL, VIPA_AREA_COUNTY, NULL);
    report_trends(b, o, s->result, m, NULL);
    html_raw(b, "</section>\n");
    report_action_summary(b, o, m, names, &it->homes, it->block_part, page_budget(o));
    report_notices_summary(b, o, s);
    report_page_end(b, o, s);
    return html_flush(b);
}

static int county_page(html_buf *b, const report_pages *it, const report_opts *o,
                       const cli_session *s, const report_model *m, const report_names *names,
                       const report_place *p)
{
    char code[VIPA_AREA_CODE_SIZE];
    char *title = page_title(o, p);
    if (title == NULL)
        return -1;
    report_page_begin(b, o, s, title);
    free(title);
    back_links(b, o, p);
    html_printf(b, "<section id=\"county-%s\">\n<h2>", report_code_text(code, p->code));
    place_name(b, p);
    html_raw(b, "</h2>\n");
    rollup_table(b, o, s->result, m, p, VIPA_AREA_TOWN, NULL);
    report_trends(b, o, s->result, m, p);
    report_county_entities(b, o, m, names, &it->homes, it->block_part, p->code, page_budget(o));
    html_raw(b, "</section>\n");
    report_page_end(b, o, s);
    return html_flush(b);
}

/* The part of a town's page (or action-other's) after its header, from @p pos: to
 * @p stop when given (the plan), else until the page passes its budget after at least
 * one item (then @p mark, when given, learns the page each village and block begins on). */
typedef struct body_ctx {
    html_buf *b;
    const report_opts *o;
    const cli_session *s;
    const report_model *m;
    const report_names *names;
    const report_homes *h;
    size_t set;
    size_t items;
    const report_pos *stop;
    report_pages *mark; /* the plan being made, or NULL */
    unsigned part;
} body_ctx;

static int same_pos(report_pos a, report_pos b)
{
    return a.stage == b.stage && a.item == b.item && a.row == b.row;
}

static int at_stop(const body_ctx *c, report_pos pos)
{
    return c->stop != NULL ? same_pos(pos, *c->stop)
                           : c->items > 0 && html_size(c->b) > page_budget(c->o);
}

/* The villages from @p pos; returns where it stopped (stage 1 when they are done). */
static report_pos villages_body(body_ctx *c, report_pos pos)
{
    const report_model *m = c->m;
    size_t first = 0, end = 0;
    if (c->set < m->nplace)
        report_places_under(m, m->places[c->set].code, &first, &end);
    int opened = 0;
    while (pos.item < end) {
        const report_place *v = &m->places[pos.item];
        if (v->level != VIPA_AREA_VILLAGE) {
            pos = (report_pos){0, pos.item + 1, 0};
            continue;
        }
        for (;; pos.row++) {
            if (at_stop(c, pos)) {
                if (opened)
                    village_close(c->b);
                return pos;
            }
            if (!opened) {
                village_open(c->b, c->o, v, pos.row > 0);
                if (c->mark != NULL && pos.row == 0)
                    c->mark->village_part[pos.item] = c->part;
                opened = 1;
                c->items++;
            }
            if (pos.row >= v->nlift)
                break;
            lift_row(c->b, c->o, c->names, &m->lift[v->first_lift + pos.row]);
            c->items++;
        }
        village_close(c->b);
        opened = 0;
        pos = (report_pos){0, pos.item + 1, 0};
    }
    return (report_pos){1, c->h->set_first[c->set], 0};
}

/* The blocks (entities' sections, then the set's rest) from @p pos. */
static report_pos blocks_body(body_ctx *c, report_pos pos)
{
    const report_homes *h = c->h;
    for (; pos.item < h->set_first[c->set + 1]; pos = (report_pos){1, pos.item + 1, 0}) {
        const report_block *blk = &h->blocks[pos.item];
        report_block_state st = REPORT_BLOCK_STATE_INIT;
        int opened = 0;
        for (;; pos.row++) {
            if (at_stop(c, pos)) {
                if (opened)
                    report_block_close(c->b, &st);
                return pos;
            }
            if (!opened) {
                report_block_open(c->b, c->o, c->m, c->names, blk, pos.row > 0);
                if (c->mark != NULL && pos.row == 0)
                    c->mark->block_part[pos.item] = c->part;
                opened = 1;
                c->items++;
            }
            if (pos.row >= blk->nrow)
                break;
            report_block_row(c->b, c->o, c->s, c->m, c->names, h, blk, pos.row, &st);
            c->items++;
        }
        report_block_close(c->b, &st);
    }
    return pos;
}

static int set_done(const report_homes *h, size_t set, report_pos pos)
{
    return pos.stage == 1 && pos.item >= h->set_first[set + 1];
}

static char *set_page_name(const report_model *m, size_t set, size_t part)
{
    char code[VIPA_AREA_CODE_SIZE];
    if (set >= m->nplace)
        return part == 0 ? strdup("action-other.html") : cli_strdupf("action-other-%zu.html", part + 1);
    report_code_text(code, m->places[set].code);
    return part == 0 ? cli_strdupf("town-%s.html", code) : cli_strdupf("town-%s-%zu.html", code, part + 1);
}

static void set_heading(html_buf *b, const report_pages *it, const report_opts *o,
                        const cli_session *s, const report_model *m, size_t set, size_t part)
{
    const char *more = part > 0 ? REPORT_W(o, "（续）", " (continued)") : "";
    if (set >= m->nplace) {
        html_printf(b, "<section id=\"action-other\"%s>\n<h2>%s%s</h2>\n",
                    part > 0 ? " class=\"continued\"" : "",
                    REPORT_W(o, "无所属镇（街道）的经营主体与其他问题", "Entities without a town, and the rest"), more);
        if (part == 0)
            html_printf(b, "<p class=\"note\">%s</p>\n",
                        REPORT_W(o, "核心村不在本报告任何镇（街道）内的经营主体，以及不属于某一经营主体的错误与提示。",
                                 "Entities whose core village is in no town of this report, and the errors "
                                 "and notices under no one entity."));
        return;
    }
    const report_place *p = &m->places[set];
    char code[VIPA_AREA_CODE_SIZE];
    html_printf(b, "<section id=\"town-%s\"%s>\n<h2>", report_code_text(code, p->code),
                part > 0 ? " class=\"continued\"" : "");
    place_name(b, p);
    html_printf(b, "%s</h2>\n", more);
    if (part == 0) {
        rollup_table(b, o, s->result, m, p, VIPA_AREA_VILLAGE, it->village_part);
        report_trends(b, o, s->result, m, p);
    }
}

/* Page @p part of set @p set, from @p from: to @p stop (the plan), or as far as its
 * budget allows (@p mark: planning). Returns where it ended. */
static report_pos set_page(html_buf *b, report_pages *it, const report_opts *o, const cli_session *s,
                           const report_model *m, const report_names *names, size_t set, size_t part,
                           report_pos from, const report_pos *stop, int planning)
{
    const report_place *p = set < m->nplace ? &m->places[set] : NULL;
    char *title = p != NULL ? page_title(o, p)
                            : cli_strdupf("%s · %s", REPORT_W(o, TITLE_ZH, TITLE_EN), REPORT_W(o, "其他", "Other"));
    report_page_begin(b, o, s, title != NULL ? title : "");
    b->failed |= title == NULL;
    free(title);
    back_links(b, o, p);
    if (part > 0) {
        char *prev = set_page_name(m, set, part - 1);
        html_printf(b, "<p><a class=\"prev\" href=\"%s\">%s</a></p>\n", prev != NULL ? prev : "",
                    REPORT_W(o, "上一页", "Previous page"));
        b->failed |= prev == NULL;
        free(prev);
    }
    set_heading(b, it, o, s, m, set, part);
    body_ctx c = {b, o, s, m, names, &it->homes, set, 0, stop, planning ? it : NULL, (unsigned)part};
    report_pos end = from;
    if (end.stage == 0)
        end = villages_body(&c, end);
    if (end.stage == 1 && (stop == NULL || !same_pos(end, *stop)))
        end = blocks_body(&c, end);
    html_raw(b, "</section>\n");
    if (!set_done(&it->homes, set, end)) {
        char *next = set_page_name(m, set, part + 1);
        html_printf(b, "<p><a class=\"next\" href=\"%s\">%s</a></p>\n", next != NULL ? next : "",
                    REPORT_W(o, "下一页", "Next page"));
        b->failed |= next == NULL;
        free(next);
    }
    report_page_end(b, o, s);
    return end;
}

static int discard(void *sink, const char *bytes, size_t length)
{
    (void)sink;
    (void)bytes;
    (void)length;
    return 0;
}

static int plan_add(report_pages *it, size_t set, size_t part, report_pos from)
{
    if (it->nplan == it->plan_cap) {
        size_t cap = it->plan_cap == 0 ? 256 : it->plan_cap * 2;
        report_plan *p = realloc(it->plan, cap * sizeof *p);
        if (p == NULL)
            return -1;
        it->plan = p;
        it->plan_cap = cap;
    }
    it->plan[it->nplan++] = (report_plan){set, part, from};
    return 0;
}

/* Where each page of set @p set begins, by rendering them into nothing; and the page
 * each village and block begins on. A set with nothing (action-other without blocks) has
 * no page. */
static int plan_set(report_pages *it, const report_opts *o, const cli_session *s,
                    const report_model *m, const report_names *names, size_t set)
{
    report_pos pos = {1, it->homes.set_first[set], 0};
    if (set < m->nplace) {
        size_t first, last;
        report_places_under(m, m->places[set].code, &first, &last);
        pos = (report_pos){0, first, 0};
    } else if (set_done(&it->homes, set, pos))
        return 0;
    for (size_t part = 0; part == 0 || !set_done(&it->homes, set, pos); part++) {
        if (plan_add(it, set, part, pos) != 0)
            return -1;
        html_buf dry;
        html_init(&dry);
        html_set_sink(&dry, discard, NULL);
        report_pos end = set_page(&dry, it, o, s, m, names, set, part, pos, NULL, 1);
        int failed = dry.failed;
        html_free(&dry);
        if (failed)
            return -1;
        if (same_pos(end, pos))
            break; /* cannot happen: a page holds one item at least */
        pos = end;
    }
    return 0;
}

int report_pages_init(report_pages *it, const report_opts *o, const cli_session *s,
                      const report_model *m, const report_names *names)
{
    memset(it, 0, sizeof *it);
    if (report_homes_build(&it->homes, m, s->result, names) != 0)
        return -1;
    it->village_part = calloc(m->nplace + 1, sizeof *it->village_part);
    it->block_part = calloc(it->homes.nblock + 1, sizeof *it->block_part);
    int rc = it->village_part != NULL && it->block_part != NULL ? 0 : -1;
    for (size_t i = 0; i < m->nplace && rc == 0; i++)
        if (m->places[i].level == VIPA_AREA_TOWN)
            rc = plan_set(it, o, s, m, names, i);
    if (rc == 0)
        rc = plan_set(it, o, s, m, names, m->nplace);
    if (rc != 0)
        report_pages_free(it);
    return rc;
}

void report_pages_free(report_pages *it)
{
    free(it->plan);
    free(it->village_part);
    free(it->block_part);
    report_homes_free(&it->homes);
    memset(it, 0, sizeof *it);
}

/* Moves to the next county from it->place, or to the next stage. */
static void seek(report_pages *it, const report_model *m)
{
    if (it->stage == 1) {
        while (it->place < m->nplace && m->places[it->place].level != VIPA_AREA_COUNTY)
            it->place++;
        if (it->place < m->nplace)
            return;
        it->stage = 2;
    }
    if (it->stage == 2 && it->page >= it->nplan)
        it->stage = 3;
}

char *report_pages_name(report_pages *it, const report_model *m, int *done)
{
    *done = 0;
    if (it->stage == 0)
        return strdup("index.html");
    seek(it, m);
    if (it->stage == 3) {
        *done = 1;
        return NULL;
    }
    if (it->stage == 1) {
        char code[VIPA_AREA_CODE_SIZE];
        return cli_strdupf("county-%s.html", report_code_text(code, m->places[it->place].code));
    }
    const report_plan *p = &it->plan[it->page];
    return set_page_name(m, p->set, p->part);
}

int report_pages_render(report_pages *it, html_buf *b, const report_opts *o, const cli_session *s,
                        const report_model *m, const report_names *names)
{
    int rc = 0;
    if (it->stage == 0) {
        rc = index_page(b, it, o, s, m, names);
        it->stage = 1;
    } else if (it->stage == 1) {
        rc = county_page(b, it, o, s, m, names, &m->places[it->place]);
        it->place++;
    } else {
        const report_plan *p = &it->plan[it->page];
        const report_plan *next = it->page + 1 < it->nplan ? &it->plan[it->page + 1] : NULL;
        report_pos end = {2, 0, 0}; /* no position: the set's end */
        const report_pos *stop = next != NULL && next->set == p->set ? &next->from : &end;
        set_page(b, it, o, s, m, names, p->set, p->part, p->from, stop, 0);
        rc = html_flush(b);
        it->page++;
    }
    return rc != 0 || b->failed ? -1 : 0;
}
