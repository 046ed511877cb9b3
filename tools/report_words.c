/* The words of the county report in its two languages (--lang zh, the default, or en):
 * outcomes, severities, levels, subjects, dates, money, and the rule references. Rule
 * titles and finding messages come from the library's catalogue, never from here. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "report.h"

const char *report_outcome_word(const report_opts *o, int outcome)
{
    static const char *const zh[] = {"", "合格", "督促整改", "整改后恢复", "解除协议"};
    static const char *const en[] = {"", "compliant", "rectification", "restored", "terminated"};
    if (outcome < VIPA_OUTCOME_COMPLIANT || outcome > VIPA_OUTCOME_TERMINATED)
        return "";
    return REPORT_W(o, zh[outcome], en[outcome]);
}

const char *report_severity_word(const report_opts *o, vipa_severity s)
{
    switch (s) {
    case VIPA_SEVERITY_ERROR: return REPORT_W(o, "错误", "error");
    case VIPA_SEVERITY_WARNING: return REPORT_W(o, "警告", "warning");
    case VIPA_SEVERITY_NOTICE: return REPORT_W(o, "提示", "notice");
    default: return "";
    }
}

const char *report_subject_word(const report_opts *o, vipa_subject_kind kind)
{
    static const char *const zh[] = {"", "贫困户", "协议", "利益联结", "财政资金折股",
                                     "经营主体", "村", "镇"};
    static const char *const en[] = {"", "household", "agreement", "linkage", "injection",
                                     "entity", "village", "town"};
    if ((unsigned)kind >= sizeof zh / sizeof zh[0])
        return "";
    return REPORT_W(o, zh[kind], en[kind]);
}

const char *report_kind_word(const report_opts *o, int kind)
{
    static const char *const zh[] = {"务工工资", "土地流转租金", "参与经营", "入股分红"};
    static const char *const en[] = {"wages", "land rent", "participation", "dividends"};
    return kind >= 0 && kind < REPORT_KINDS ? REPORT_W(o, zh[kind], en[kind]) : "";
}

/* ---- the values of findings ------------------------------------------------------------- */

struct word {
    const char *key, *zh, *en;
};

/* Who signs (四(二), SIGNER_LEVEL) and where a plan is filed (四(三)) use the same three
 * words for different things: the signing party, or the level of government. */
static const struct word signer_words[] = {
    {"village", "村委会", "village committee"},  {"town", "镇政府", "town government"},
    {"county", "县区政府", "county government"}, {"not_provided", "未规定", "not provided"},
    {"unrecorded", "未记录", "not recorded"},
};

static const struct word plain_words[] = {
    {"village", "村级", "village"},         {"town", "镇级", "town"},
    {"county", "县级", "county"},           {"not_provided", "未规定", "not provided"},
    {"unrecorded", "未记录", "not recorded"}, {"true", "是", "yes"},
    {"false", "否", "no"},                  {"none", "无", "none"},
    /* EVALUATION_OUTCOME's actual value (四(四)): the outcome, as report_outcome_word() */
    {"compliant", "合格", "compliant"},     {"rectification", "督促整改", "rectification"},
    {"restored", "整改后恢复", "restored"}, {"terminated", "解除协议", "terminated"},
};

/* The word for @p key (@p n bytes), NULL when it is none of @p words. */
static const char *word_for(const report_opts *o, const struct word *words, size_t count,
                            const char *key, size_t n)
{
    for (size_t i = 0; i < count; i++)
        if (strlen(words[i].key) == n && strncmp(words[i].key, key, n) == 0)
            return REPORT_W(o, words[i].zh, words[i].en);
    return NULL;
}

/* Escaped @p n bytes of @p text. */
static void text_n(html_buf *b, const char *text, size_t n)
{
    char piece[256];
    while (n > 0) {
        size_t k = n < sizeof piece - 1 ? n : sizeof piece - 1;
        /* never cut a UTF-8 sequence: back up to the start of a character */
        while (k < n && k > 0 && ((unsigned char)text[k] & 0xC0) == 0x80)
            k--;
        if (k == 0)
            k = n < sizeof piece - 1 ? n : sizeof piece - 1;
        memcpy(piece, text, k);
        piece[k] = '\0';
        html_text(b, piece);
        text += k;
        n -= k;
    }
}

void report_value_text(html_buf *b, const report_opts *o, vipa_rule rule, const char *value)
{
    if (value == NULL)
        return;
    int signer = vipa_rule_id(rule) != NULL && strcmp(vipa_rule_id(rule), "SIGNER_LEVEL") == 0;
    const struct word *words = signer ? signer_words : plain_words;
    size_t count = signer ? sizeof signer_words / sizeof signer_words[0]
                          : sizeof plain_words / sizeof plain_words[0];
    const char *p = value;
    while (*p != '\0') {
        size_t n = strcspn(p, ", ");
        const char *w = word_for(o, words, count, p, n);
        if (w != NULL)
            html_raw(b, w);
        else
            text_n(b, p, n);
        p += n;
        if (*p == ',')
            html_raw(b, REPORT_W(o, "、", ", "));
        else if (*p == ' ')
            html_raw(b, " ");
        if (*p != '\0')
            p++;
    }
}

void report_date_text(html_buf *b, const report_opts *o, vipa_date date)
{
    static const char *const months[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
    int y = date / 10000, m = date / 100 % 100, d = date % 100;
    if (!vipa_date_is_valid(date)) {
        html_raw(b, "\xE2\x80\x94");
        return;
    }
    if (o->en)
        html_printf(b, "%d %s %d", d, months[m - 1], y);
    else
        html_printf(b, "%d年%d月%d日", y, m, d);
}

/* ---- numbers and labels --------------------------------------------------------------------- */

const char *report_yuan(char *buf, size_t size, vipa_fen amount)
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

const char *report_code_text(char *buf, uint64_t code)
{
    if (vipa_area_code_format(buf, VIPA_AREA_CODE_SIZE, code) != VIPA_OK)
        snprintf(buf, VIPA_AREA_CODE_SIZE, "%llu", (unsigned long long)(code % 1000000000000ull));
    return buf;
}

void report_area_label(html_buf *b, const report_names *names, uint64_t code)
{
    char c[VIPA_AREA_CODE_SIZE];
    const char *name = report_area_name(names, code);
    if (name != NULL) {
        html_text(b, name);
        html_raw(b, " ");
    }
    html_printf(b, "<span class=\"code\">%s</span>", report_code_text(c, code));
}

void report_entity_label(html_buf *b, const report_names *names, uint64_t id)
{
    const report_entity *e = report_entity_find(names, id);
    html_printf(b, "<span class=\"id\">%llu</span>", (unsigned long long)id);
    if (e != NULL && e->name != NULL) {
        html_raw(b, " ");
        html_text(b, e->name);
    }
}

/* ---- rules ---------------------------------------------------------------------------------- */

void report_rule_ref(html_buf *b, const report_opts *o, vipa_rule rule)
{
    const char *title = vipa_rule_summary(rule, o->en ? "en" : "zh");
    html_raw(b, "<span class=\"rule\"><span class=\"rule-title\">");
    html_text(b, title != NULL ? title : "?");
    html_raw(b, "</span> <small class=\"rule-id\">");
    html_text(b, vipa_rule_id(rule));
    html_raw(b, "</small></span>");
}

/* The end of @p message where "(RULE_ID, clause)" or "（RULE_ID，clause）" begins, or its
 * length when it has none. */
static size_t without_rule(const char *message, const char *id)
{
    size_t len = strlen(message);
    if (id == NULL)
        return len;
    const char *at = NULL;
    for (const char *p = strstr(message, id); p != NULL; p = strstr(p + 1, id))
        at = p;
    if (at == NULL)
        return len;
    size_t cut = (size_t)(at - message);
    if (cut >= 3 && strncmp(at - 3, "\xEF\xBC\x88", 3) == 0) /* （ */
        return cut - 3;
    if (cut >= 1 && at[-1] == '(')
        return cut >= 2 && at[-2] == ' ' ? cut - 2 : cut - 1;
    return len;
}

void report_finding_message(html_buf *b, const report_opts *o, const vipa_findings *f, size_t i)
{
    char message[VIPA_FINDING_MESSAGE_SIZE];
    if (vipa_finding_message_format_lang(message, sizeof message, f, i, o->en ? "en" : "zh") != VIPA_OK)
        return;
    message[without_rule(message, vipa_rule_id(vipa_finding_rule(f, i)))] = '\0';
    html_text(b, message);
}
