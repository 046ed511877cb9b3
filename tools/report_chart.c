/* The trend charts of the county report: for each year of the run, the exits, the
 * coverage of willing households, the dues against what was paid, and the evaluation
 * outcomes, of the page's scope (the whole run, a county or a town). Inline SVG, bars in
 * grey levels with outlines so that a greyscale print tells the series apart, each bar
 * with its <title> and its numbers as data- attributes (docs/report.md, "Trends"). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <string.h>

#include "report.h"

#define CH_WIDTH 380
#define CH_LEFT 64
#define CH_TOP 16
#define CH_PLOT 130
#define CH_RIGHT 12
#define MAX_SERIES 4

/* One chart: its key, its title and the values of its series by year. */
typedef struct chart {
    const char *key;
    const char *title;
    size_t nseries;
    const char *series[MAX_SERIES];       /* data-series */
    const char *label[MAX_SERIES];        /* the legend's words */
    int money;                            /* values are fen */
    int64_t (*value)(const report_year_stats *s, size_t series);
} chart;

static const char *const greys[MAX_SERIES] = {"#222", "#888", "#ccc", "#fff"};

static int64_t exits_value(const report_year_stats *s, size_t k)
{
    (void)k;
    return (int64_t)s->exits;
}

static int64_t coverage_value(const report_year_stats *s, size_t k)
{
    return (int64_t)(k == 0 ? s->willing : s->covered);
}

/* Dues and payments of every kind of the year: obligations and dividends. */
static int64_t dues_value(const report_year_stats *s, size_t k)
{
    vipa_fen sum = 0;
    for (int kind = 0; kind < REPORT_KINDS; kind++)
        if (vipa_fen_add(&sum, sum, k == 0 ? s->due[kind] : s->paid[kind]) != VIPA_OK)
            return INT64_MAX;
    return sum;
}

static int64_t outcomes_value(const report_year_stats *s, size_t k)
{
    return (int64_t)s->outcomes[k];
}

static void value_text(char *buf, size_t size, const chart *c, int64_t v)
{
    if (c->money)
        report_yuan(buf, size, v);
    else
        snprintf(buf, size, "%lld", (long long)v);
}

static int64_t chart_max(const chart *c, const report_model *m, const report_place *p)
{
    int64_t top = 0;
    for (size_t y = 0; y < m->nyear; y++)
        for (size_t k = 0; k < c->nseries; k++) {
            int64_t v = c->value(report_stats(m, p, y), k);
            if (v > top)
                top = v;
        }
    return top;
}

static void chart_axes(html_buf *b, const chart *c, int64_t top, int width)
{
    char t[40];
    int base = CH_TOP + CH_PLOT;
    value_text(t, sizeof t, c, top);
    html_printf(b, "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                   "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
                   "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>"
                   "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n",
                CH_LEFT, CH_TOP, width - CH_RIGHT, CH_TOP, CH_LEFT - 4, CH_TOP + 4, t, CH_LEFT - 4,
                base + 4, CH_LEFT, base, width - CH_RIGHT, base);
}

static void chart_bar(html_buf *b, const chart *c, int year, size_t k, int64_t v, int64_t top,
                      double x, double w)
{
    char t[40];
    double h = top > 0 ? (double)CH_PLOT * (double)v / (double)top : 0.0;
    value_text(t, sizeof t, c, v);
    html_printf(b, "<rect class=\"mark\" data-year=\"%d\" data-series=\"%s\" data-value=\"%lld\" "
                   "x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#000\" "
                   "stroke-width=\"0.6\"><title>%d %s: %s</title></rect>",
                year, c->series[k], (long long)v, x, (double)(CH_TOP + CH_PLOT) - h, w, h, greys[k],
                year, c->label[k], t);
}

static void chart_legend(html_buf *b, const chart *c, int y)
{
    int x = CH_LEFT;
    for (size_t k = 0; k < c->nseries; k++) {
        html_printf(b, "<g class=\"legend\"><rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" "
                       "fill=\"%s\" stroke=\"#000\" stroke-width=\"0.6\"/>"
                       "<text class=\"tick\" x=\"%d\" y=\"%d\">%s</text></g>",
                    x, y, greys[k], x + 14, y + 9, c->label[k]);
        x += 14 + 6 * (int)cli_display_width(c->label[k]) + 14;
    }
    html_raw(b, "\n");
}

static void chart_svg(html_buf *b, const chart *c, const vipa_result *r, const report_model *m,
                      const report_place *p)
{
    int height = CH_TOP + CH_PLOT + 48;
    size_t ny = m->nyear == 0 ? 1 : m->nyear;
    double group = (double)(CH_WIDTH - CH_LEFT - CH_RIGHT) / (double)ny;
    double w = group * 0.72 / (double)c->nseries;
    int64_t top = chart_max(c, m, p);
    html_printf(b, "<figure class=\"chart\"><figcaption>%s</figcaption>\n"
                   "<svg class=\"trend\" data-chart=\"%s\" width=\"%d\" height=\"%d\" "
                   "viewBox=\"0 0 %d %d\" role=\"img\"><title>%s</title>\n",
                c->title, c->key, CH_WIDTH, height, CH_WIDTH, height, c->title);
    chart_axes(b, c, top, CH_WIDTH);
    for (size_t y = 0; y < m->nyear; y++) {
        int year = vipa_result_year(r, y);
        double x0 = CH_LEFT + group * (double)y + group * 0.14;
        for (size_t k = 0; k < c->nseries; k++)
            chart_bar(b, c, year, k, c->value(report_stats(m, p, y), k), top, x0 + w * (double)k, w);
        html_printf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>\n",
                    CH_LEFT + group * ((double)y + 0.5), CH_TOP + CH_PLOT + 14, year);
    }
    chart_legend(b, c, CH_TOP + CH_PLOT + 26);
    html_raw(b, "</svg></figure>\n");
}

void report_trends(html_buf *b, const report_opts *o, const vipa_result *r, const report_model *m,
                   const report_place *p)
{
    const chart charts[] = {
        {"exits", REPORT_W(o, "各年脱贫退出户数", "Households exiting poverty by year"), 1,
         {"exits"}, {REPORT_W(o, "退出户数", "exits")}, 0, exits_value},
        {"coverage", REPORT_W(o, "有意愿贫困户带动覆盖", "Coverage of willing households"), 2,
         {"willing", "covered"}, {REPORT_W(o, "有意愿", "willing"), REPORT_W(o, "已带动", "covered")},
         0, coverage_value},
        {"dues", REPORT_W(o, "应付与实付（元）", "Due and paid (yuan)"), 2, {"due", "paid"},
         {REPORT_W(o, "应付", "due"), REPORT_W(o, "实付", "paid")}, 1, dues_value},
        {"outcomes", REPORT_W(o, "绩效评估结果", "Evaluation outcomes"), 4,
         {"compliant", "rectification", "restored", "terminated"},
         {report_outcome_word(o, VIPA_OUTCOME_COMPLIANT), report_outcome_word(o, VIPA_OUTCOME_RECTIFICATION),
          report_outcome_word(o, VIPA_OUTCOME_RESTORED), report_outcome_word(o, VIPA_OUTCOME_TERMINATED)},
         0, outcomes_value},
    };
    html_printf(b, "<h3>%s</h3>\n<div class=\"charts\">\n", REPORT_W(o, "历年趋势", "Trends"));
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++)
        chart_svg(b, &charts[i], r, m, p);
    html_raw(b, "</div>\n");
}
