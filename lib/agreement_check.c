/* The agreement module's checks that need only the records: the matching, agreement,
 * plan and filing steps of 四, and the entity rules of 二(二) and 三(二) (see vipa_check()
 * in include/vipa/findings.h). Every finding here is of year 0: it is about the records
 * as they stand, not about a year's performance. Each message names its records by
 * id (never by index), so the sorted list does not depend on the order of adding. */
#include <stdio.h>
#include <string.h>

#include "agreement_internal.h"
#include "area_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

/* Room for one finding's expected or actual text: "village 611002001204". */
enum { VALUE_SIZE = 48 };

/* Names and industries are quoted up to QUOTE_MAX bytes, cut at a character boundary,
 * so that a message (at most four of them) always fits the builder's buffer whole and
 * stays valid UTF-8. Use as NAME_FORMAT with the arguments NAME(text). */
enum { QUOTE_MAX = 120 };
#define NAME_FORMAT "%.*s"
#define NAME(text) utf8_fit(text), (text)

static const char *text_of(const vipa_ctx *ctx, uint32_t offset)
{
    const char *text = vipa__arena_get(&ctx->text, offset);
    return text ? text : "";
}

/* Length of the longest prefix of valid UTF-8 text within QUOTE_MAX bytes that ends on
 * a character boundary (a continuation byte is 10xxxxxx). */
static int utf8_fit(const char *text)
{
    size_t length = strlen(text);
    if (length <= QUOTE_MAX)
        return (int)length;
    length = QUOTE_MAX;
    while (length > 0 && ((unsigned char)text[length] & 0xc0) == 0x80)
        length--;
    return (int)length;
}

static unsigned long long household_id(const vipa_ctx *ctx, uint32_t household)
{
    return (unsigned long long)ctx->households.items[household].id;
}

static int is_signed(const agreement_rec *a)
{
    return a->signed_on != 0;
}

/* A list of terms, ", " between them in English (、 in Chinese). */
static vipa__terms comma_list(void)
{
    vipa__terms t = {VIPA__MSG_T_SEP_COMMA, 0, {0}};
    return t;
}

/* A finding of year 0 about one record. */
static vipa__finding_in finding(vipa_rule rule, vipa_severity severity, vipa_subject_kind kind,
                                uint64_t id, const char *expected, const char *actual)
{
    vipa__finding_in in = {rule, severity, kind, id, 0, expected, actual};
    return in;
}

/* ---- ONE_TOWN_ONE_INDUSTRY (二(二)) ----------------------------------------------- */

static int town_without_industry(const vipa_ctx *ctx, vipa_findings *list, const area_rec *town)
{
    vipa__finding_in in = finding(VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, VIPA_SEVERITY_WARNING,
                                  VIPA_SUBJECT_TOWN, town->code, NULL, NULL);
    return VIPA__FINDING(list, &in, F_TOWN_NO_INDUSTRY, NAME(text_of(ctx, town->name)),
                         (unsigned long long)town->code);
}

static int entity_outside_town_industry(const vipa_ctx *ctx, vipa_findings *list,
                                        const entity_rec *e, const area_rec *town)
{
    const char *designated = text_of(ctx, town->industry), *works = text_of(ctx, e->industry);
    vipa__finding_in in = finding(VIPA_RULE_ONE_TOWN_ONE_INDUSTRY, VIPA_SEVERITY_NOTICE,
                                  VIPA_SUBJECT_ENTITY, e->id, designated, works);
    return VIPA__FINDING(list, &in, F_ENTITY_OUTSIDE_INDUSTRY, (unsigned long long)e->id,
                         NAME(text_of(ctx, e->name)), NAME(works), NAME(designated),
                         NAME(text_of(ctx, town->name)), (unsigned long long)town->code);
}

/* The town of each entity's core village: warned once if it designates no industry;
 * otherwise each entity working another industry is a notice. */
static int check_one_town_one_industry(const vipa_ctx *ctx, vipa_findings *list)
{
    uint8_t *warned = vipa__calloc(&ctx->alloc, ctx->areas.count, 1);
    if (!warned)
        return VIPA_E_NOMEM;
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->entities.count && rc == VIPA_OK; i++) {
        const entity_rec *e = &ctx->entities.items[i];
        vipa_area_code code = vipa__town_of(e->core_village);
        uint32_t town = vipa__area_find(ctx, code);
        if (town == VIPA_NO_INDEX)
            continue; /* cannot happen: a village is only added after its town */
        const area_rec *t = &ctx->areas.items[town];
        if (t->industry == VIPA_NO_TEXT) {
            if (!warned[town])
                rc = town_without_industry(ctx, list, t);
            warned[town] = 1;
        } else if (strcmp(text_of(ctx, t->industry), text_of(ctx, e->industry)) != 0) {
            rc = entity_outside_town_industry(ctx, list, e, t);
        }
    }
    vipa__free(&ctx->alloc, warned);
    return rc;
}

/* ---- ENTITY_SELECTION (三(二)) ----------------------------------------------------- */

/* Why an entity must meet the criteria, as bits: 三(二) selects the entities that are
 * supported, by agreement or by fiscal equity. */
enum support_reason { SUPPORT_SIGNED_AGREEMENT = 1 << 0, SUPPORT_FISCAL_EQUITY = 1 << 1 };

static void mark_signed_agreements(const vipa_ctx *ctx, uint8_t *support)
{
    for (size_t i = 0; i < ctx->agreements.count; i++)
        if (is_signed(&ctx->agreements.items[i]))
            support[ctx->agreements.items[i].entity] |= SUPPORT_SIGNED_AGREEMENT;
}

static void mark_fiscal_equity(const vipa_ctx *ctx, uint8_t *support)
{
    for (size_t i = 0; i < ctx->injections.count; i++)
        support[ctx->injections.items[i].entity] |= SUPPORT_FISCAL_EQUITY;
}

static vipa__terms describe_support(unsigned int reasons)
{
    vipa__terms why = comma_list();
    if (reasons & SUPPORT_SIGNED_AGREEMENT)
        vipa__terms_add(&why, VIPA__MSG_T_SIGNED_AN_AGREEMENT);
    if (reasons & SUPPORT_FISCAL_EQUITY)
        vipa__terms_add(&why, VIPA__MSG_T_RECEIVED_FISCAL_EQUITY);
    return why;
}

/* The criteria of 三(二) by bit: the terms that spell them as scenario files do. */
static const vipa__msg selection_terms[] = {
    VIPA__MSG_T_SELECT_WELL_MANAGED,         VIPA__MSG_T_SELECT_PROFITABLE,
    VIPA__MSG_T_SELECT_FINANCIALLY_STRONG,   VIPA__MSG_T_SELECT_SOCIALLY_RESPONSIBLE,
    VIPA__MSG_T_SELECT_TRUSTWORTHY,          VIPA__MSG_T_SELECT_WIDE_COVERAGE,
    VIPA__MSG_T_SELECT_SUSTAINABLE,          VIPA__MSG_T_SELECT_WILLING};
_Static_assert(sizeof selection_terms / sizeof selection_terms[0] ==
                   VIPA_WORD_COUNT(VIPA_SELECTION_WORDS),
               "a term for every selection criterion");

/* The criteria missing are named in bit order, spelt as scenario files spell them. */
static int report_selection(const vipa_ctx *ctx, vipa_findings *list, const entity_rec *e,
                            unsigned int reasons)
{
    char expected[VALUE_SIZE], actual[VALUE_SIZE];
    vipa__terms missing = comma_list(), why = describe_support(reasons);
    int criteria = vipa__vocab_end(VIPA_VOCAB_SELECTION), met = 0;
    for (int bit = 0; bit < criteria; bit++) {
        if (e->selection & (1u << bit))
            met++;
        else
            vipa__terms_add(&missing, selection_terms[bit]);
    }
    snprintf(expected, sizeof expected, "%d", criteria);
    snprintf(actual, sizeof actual, "%d", met);
    vipa__finding_in in = finding(VIPA_RULE_ENTITY_SELECTION, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_ENTITY, e->id, expected, actual);
    return VIPA__FINDING(list, &in, F_ENTITY_SELECTION, (unsigned long long)e->id,
                         NAME(text_of(ctx, e->name)), VIPA__TERMS(&why), met, criteria,
                         VIPA__TERMS(&missing));
}

static int check_entity_selection(const vipa_ctx *ctx, vipa_findings *list)
{
    uint8_t *support = vipa__calloc(&ctx->alloc, ctx->entities.count, 1);
    if (!support)
        return VIPA_E_NOMEM;
    mark_signed_agreements(ctx, support);
    mark_fiscal_equity(ctx, support);
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->entities.count && rc == VIPA_OK; i++) {
        const entity_rec *e = &ctx->entities.items[i];
        if (support[i] && (e->selection & VIPA_SELECT_ALL) != VIPA_SELECT_ALL)
            rc = report_selection(ctx, list, e, support[i]);
    }
    vipa__free(&ctx->alloc, support);
    return rc;
}

/* ---- SIGNER_LEVEL (四(二)) -------------------------------------------------------- */

/* "town 611002001000", or the bare level when it names no area ("not_provided"). */
static const char *signer_text(char *buf, size_t size, vipa_signer_level level,
                               vipa_area_code area)
{
    if (area == 0)
        snprintf(buf, size, "%s", vipa_signer_level_name(level));
    else
        snprintf(buf, size, "%s %012llu", vipa_signer_level_name(level), (unsigned long long)area);
    return buf;
}

/* A signer level as the term of a message: its contract word in English. */
static vipa__msg signer_term(int level)
{
    switch (level) {
    case VIPA_SIGNER_VILLAGE: return VIPA__MSG_T_SIGNER_VILLAGE;
    case VIPA_SIGNER_TOWN: return VIPA__MSG_T_SIGNER_TOWN;
    case VIPA_SIGNER_COUNTY: return VIPA__MSG_T_SIGNER_COUNTY;
    default: return VIPA__MSG_T_SIGNER_NOT_PROVIDED;
    }
}

static int signer_not_provided(vipa_findings *list, const agreement_rec *a)
{
    char recorded[VALUE_SIZE];
    const char *actual = NULL;
    if (a->signer_level != VIPA_SIGNER_UNRECORDED)
        actual = signer_text(recorded, sizeof recorded, (vipa_signer_level)a->signer_level,
                             a->signer_area);
    vipa__finding_in in = finding(VIPA_RULE_SIGNER_LEVEL, VIPA_SEVERITY_WARNING,
                                 VIPA_SUBJECT_AGREEMENT, a->id,
                                 vipa_signer_level_name(VIPA_SIGNER_NOT_PROVIDED), actual);
    return VIPA__FINDING(list, &in, F_SIGNER_NOT_PROVIDED, (unsigned long long)a->id);
}

static int signer_mismatch(vipa_findings *list, const agreement_rec *a, vipa_signer_level level,
                           vipa_area_code area)
{
    char expected[VALUE_SIZE], actual[VALUE_SIZE];
    signer_text(expected, sizeof expected, level, area);
    signer_text(actual, sizeof actual, (vipa_signer_level)a->signer_level, a->signer_area);
    vipa__finding_in in = finding(VIPA_RULE_SIGNER_LEVEL, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_AGREEMENT, a->id, expected, actual);
    if (a->signer_area == 0)
        return VIPA__FINDING(list, &in, F_SIGNER_MISMATCH_BARE, (unsigned long long)a->id,
                             VIPA__TERM(signer_term(a->signer_level)),
                             VIPA__TERM(signer_term(level)), (unsigned long long)area);
    return VIPA__FINDING(list, &in, F_SIGNER_MISMATCH, (unsigned long long)a->id,
                         VIPA__TERM(signer_term(a->signer_level)),
                         (unsigned long long)a->signer_area, VIPA__TERM(signer_term(level)),
                         (unsigned long long)area);
}

static int check_signer_level(const vipa_ctx *ctx, vipa_findings *list)
{
    int rc = VIPA_OK;
    for (uint32_t i = 0; i < ctx->agreements.count && rc == VIPA_OK; i++) {
        const agreement_rec *a = &ctx->agreements.items[i];
        if (!is_signed(a))
            continue;
        vipa_signer_level level;
        vipa_area_code area;
        vipa__agreement_signer(ctx, i, &level, &area);
        if (level == VIPA_SIGNER_NOT_PROVIDED)
            rc = signer_not_provided(list, a);
        else if (a->signer_level != VIPA_SIGNER_UNRECORDED &&
                 (a->signer_level != level || a->signer_area != area))
            rc = signer_mismatch(list, a, level, area);
    }
    return rc;
}

/* ---- AGREEMENT_CONTENT (四(二)) ----------------------------------------------------- */

static int content_missing(vipa_findings *list, const agreement_rec *a, vipa__msg what)
{
    vipa__finding_in in = finding(VIPA_RULE_AGREEMENT_CONTENT, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_AGREEMENT, a->id, NULL, NULL);
    return VIPA__FINDING(list, &in, F_CONTENT_MISSING, (unsigned long long)a->id,
                         VIPA__TERM(what));
}

static int count_differs(vipa_findings *list, const agreement_rec *a)
{
    char expected[VALUE_SIZE], actual[VALUE_SIZE];
    snprintf(expected, sizeof expected, "%lu", (unsigned long)a->household_len);
    snprintf(actual, sizeof actual, "%lld", (long long)a->household_count);
    vipa__finding_in in = finding(VIPA_RULE_AGREEMENT_CONTENT, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_AGREEMENT, a->id, expected, actual);
    return VIPA__FINDING(list, &in, F_COUNT_DIFFERS, (unsigned long long)a->id, actual,
                         expected);
}

static vipa__msg period_gap(const agreement_rec *a)
{
    if (a->start == 0 && a->end == 0)
        return VIPA__MSG_T_CONTENT_PERIOD_NONE;
    return a->start == 0 ? VIPA__MSG_T_CONTENT_PERIOD_NO_START : VIPA__MSG_T_CONTENT_PERIOD_NO_END;
}

/* One finding per defect, so each can be put right and re-checked on its own. */
static int check_one_agreement_content(vipa_findings *list, const agreement_rec *a)
{
    int rc = VIPA_OK;
    if (a->household_count == -1)
        rc = content_missing(list, a, VIPA__MSG_T_CONTENT_HOUSEHOLDS);
    else if (a->household_count != (int64_t)a->household_len)
        rc = count_differs(list, a);
    if (rc == VIPA_OK && a->project_count == 0)
        rc = content_missing(list, a, VIPA__MSG_T_CONTENT_PROJECTS);
    if (rc == VIPA_OK && (a->start == 0 || a->end == 0))
        rc = content_missing(list, a, period_gap(a));
    if (rc == VIPA_OK && a->exit_deadline == 0)
        rc = content_missing(list, a, VIPA__MSG_T_CONTENT_DEADLINE);
    if (rc == VIPA_OK && a->support_count == 0)
        rc = content_missing(list, a, VIPA__MSG_T_CONTENT_SUPPORT);
    return rc;
}

static int check_agreement_content(const vipa_ctx *ctx, vipa_findings *list)
{
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->agreements.count && rc == VIPA_OK; i++)
        if (is_signed(&ctx->agreements.items[i]))
            rc = check_one_agreement_content(list, &ctx->agreements.items[i]);
    return rc;
}

/* ---- PLAN_PER_HOUSEHOLD (四(三)) ---------------------------------------------------- */

static int plan_absent(const vipa_ctx *ctx, vipa_findings *list, const agreement_rec *a,
                       uint32_t household)
{
    vipa__finding_in in = finding(VIPA_RULE_PLAN_PER_HOUSEHOLD, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_HOUSEHOLD, household_id(ctx, household), NULL, NULL);
    return VIPA__FINDING(list, &in, F_PLAN_ABSENT, household_id(ctx, household),
                         (unsigned long long)a->id);
}

/* The ids a plan's findings name: its household's and its agreement's. */
static unsigned long long plan_household_id(const vipa_ctx *ctx, const plan_rec *p)
{
    return household_id(ctx, vipa__plan_household(p));
}

static unsigned long long plan_agreement_id(const vipa_ctx *ctx, const plan_rec *p)
{
    return (unsigned long long)ctx->agreements.items[vipa__plan_agreement(p)].id;
}

static int plan_incomplete(const vipa_ctx *ctx, vipa_findings *list, const plan_rec *p)
{
    vipa__terms missing = comma_list();
    if (p->exit_target == 0)
        vipa__terms_add(&missing, VIPA__MSG_T_PLAN_EXIT_TARGET);
    if (p->measure_count == 0)
        vipa__terms_add(&missing, VIPA__MSG_T_PLAN_MEASURES);
    if (p->task_len == 0)
        vipa__terms_add(&missing, VIPA__MSG_T_PLAN_TASKS);
    if (!missing.count)
        return VIPA_OK;
    vipa__finding_in in = finding(VIPA_RULE_PLAN_PER_HOUSEHOLD, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_HOUSEHOLD, plan_household_id(ctx, p), NULL,
                                  NULL);
    return VIPA__FINDING(list, &in, F_PLAN_INCOMPLETE, plan_household_id(ctx, p),
                         plan_agreement_id(ctx, p),
                         VIPA__TERMS(&missing));
}

/* The plan of the i-th household of an agreement under it: from `plans` (one per
 * household of the agreement, in its order) when given, else looked up. */
static uint32_t plan_of(const vipa_ctx *ctx, uint32_t agreement, uint32_t i,
                        const uint32_t *plans)
{
    if (plans)
        return plans[i];
    const agreement_rec *a = &ctx->agreements.items[agreement];
    uint32_t household = ctx->agreement_households[a->first_household + i];
    return VIPA_TABLE_FIND(ctx->plans, vipa__plan_key(household, agreement));
}

static int check_plans_of(const vipa_ctx *ctx, vipa_findings *list, uint32_t agreement,
                          const uint32_t *plans)
{
    const agreement_rec *a = &ctx->agreements.items[agreement];
    int rc = VIPA_OK;
    for (uint32_t i = 0; i < a->household_len && rc == VIPA_OK; i++) {
        uint32_t household = ctx->agreement_households[a->first_household + i];
        uint32_t plan = plan_of(ctx, agreement, i, plans);
        if (plan == VIPA_NO_INDEX)
            rc = plan_absent(ctx, list, a, household);
        else
            rc = plan_incomplete(ctx, list, &ctx->plans.items[plan]);
    }
    return rc;
}

static int check_plan_per_household(const vipa_ctx *ctx, const uint32_t *plans,
                                     vipa_findings *list)
{
    int rc = VIPA_OK;
    for (uint32_t i = 0; i < ctx->agreements.count && rc == VIPA_OK; i++)
        if (is_signed(&ctx->agreements.items[i]))
            rc = check_plans_of(ctx, list, i,
                                plans ? plans + ctx->agreements.items[i].first_household : NULL);
    return rc;
}

/* ---- PLAN_INCOME_INDUSTRY and PLAN_FILED_3_LEVELS (四(三)) --------------------------- */

static int plan_without_industry(const vipa_ctx *ctx, vipa_findings *list, const plan_rec *p)
{
    vipa__finding_in in = finding(VIPA_RULE_PLAN_INCOME_INDUSTRY, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_HOUSEHOLD, plan_household_id(ctx, p), "1", "0");
    return VIPA__FINDING(list, &in, F_PLAN_NO_INDUSTRY, plan_household_id(ctx, p),
                              plan_agreement_id(ctx, p));
}

/* "a,b" of the filing levels in `levels`, in the order 四(三) names them, which is
 * the order of their bits: 县区, 镇(办), 村(社区). */
static void filing_words(char *buf, size_t size, unsigned int levels)
{
    buf[0] = '\0';
    for (int bit = 0; bit < vipa__vocab_end(VIPA_VOCAB_FILED); bit++)
        if (levels & (1u << bit)) {
            size_t used = strlen(buf);
            snprintf(buf + used, size - used, "%s%s", used ? "," : "",
                     vipa__word(VIPA_VOCAB_FILED, bit));
        }
}

static int plan_not_filed(const vipa_ctx *ctx, vipa_findings *list, const plan_rec *p)
{
    static const vipa__msg level_terms[] = {VIPA__MSG_T_FILED_COUNTY, VIPA__MSG_T_FILED_TOWN,
                                            VIPA__MSG_T_FILED_VILLAGE};
    _Static_assert(sizeof level_terms / sizeof level_terms[0] == VIPA_WORD_COUNT(VIPA_FILED_WORDS),
                   "a term for every filing level");
    char all[VALUE_SIZE], has[VALUE_SIZE];
    vipa__terms missing = comma_list();
    filing_words(all, sizeof all, VIPA_FILED_ALL);
    filing_words(has, sizeof has, p->filed);
    for (size_t bit = 0; bit < sizeof level_terms / sizeof level_terms[0]; bit++)
        if (!(p->filed & (1u << bit)))
            vipa__terms_add(&missing, level_terms[bit]);
    vipa__finding_in in = finding(VIPA_RULE_PLAN_FILED_3_LEVELS, VIPA_SEVERITY_NONE,
                                 VIPA_SUBJECT_HOUSEHOLD, plan_household_id(ctx, p),
                                 all, has);
    return VIPA__FINDING(list, &in, F_PLAN_NOT_FILED, plan_household_id(ctx, p),
                         plan_agreement_id(ctx, p),
                         VIPA__TERMS(&missing));
}

/* Every plan, whether or not its agreement is signed: a plan on record must be sound. */
/* ---- EXIT_BY_DEADLINE: the plan's target within the agreement's deadline (四(二); 四(三)) */

int vipa__exit_deadline(const vipa_ctx *ctx, uint32_t agreement, uint32_t plan)
{
    int deadline = ctx->agreements.items[agreement].exit_deadline;
    int target = plan != VIPA_NO_INDEX ? ctx->plans.items[plan].exit_target : 0;
    if (!deadline || (target && target < deadline))
        return target;
    return deadline;
}

static int plan_after_deadline(const vipa_ctx *ctx, vipa_findings *list, const plan_rec *p)
{
    const agreement_rec *a = &ctx->agreements.items[vipa__plan_agreement(p)];
    char expected[16], actual[16];
    snprintf(expected, sizeof expected, "%d", (int)a->exit_deadline);
    snprintf(actual, sizeof actual, "%d", (int)p->exit_target);
    vipa__finding_in in = finding(VIPA_RULE_EXIT_BY_DEADLINE, VIPA_SEVERITY_NONE,
                                  VIPA_SUBJECT_HOUSEHOLD, plan_household_id(ctx, p), expected,
                                  actual);
    return VIPA__FINDING(list, &in, F_PLAN_AFTER_DEADLINE, plan_household_id(ctx, p),
                         (unsigned long long)a->id, (int)p->exit_target, (int)a->exit_deadline);
}

/* The records-only checks of one plan: industry, filing, and its target. */
static int check_one_plan(const vipa_ctx *ctx, vipa_findings *list, const plan_rec *p)
{
    int rc = VIPA_OK, deadline = ctx->agreements.items[vipa__plan_agreement(p)].exit_deadline;
    if (p->industry_count == 0)
        rc = plan_without_industry(ctx, list, p);
    if (rc == VIPA_OK && (p->filed & VIPA_FILED_ALL) != VIPA_FILED_ALL)
        rc = plan_not_filed(ctx, list, p);
    if (rc == VIPA_OK && deadline && p->exit_target > deadline)
        rc = plan_after_deadline(ctx, list, p);
    return rc;
}

static int check_plan_industry_and_filing(const vipa_ctx *ctx, vipa_findings *list)
{
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->plans.count && rc == VIPA_OK; i++)
        rc = check_one_plan(ctx, list, &ctx->plans.items[i]);
    return rc;
}

/* ---- LINKAGE_UNDER_AGREEMENT (二(五); 四(二)) ------------------------------------------- */

/* What keeps a linkage from standing under its agreement, or NULL: the agreement must be
 * signed, list the household, and state a period (the add already holds the linkage's
 * years inside a stated period). */
static vipa__msg linkage_defect(const vipa_ctx *ctx, const linkage_rec *l)
{
    const agreement_rec *a = &ctx->agreements.items[l->agreement];
    if (!is_signed(a))
        return VIPA__MSG_T_NOT_SIGNED;
    if (!vipa__agreement_covers(ctx, l->agreement, l->household))
        return VIPA__MSG_T_NOT_LISTING_HOUSEHOLD;
    if (!a->start || !a->end)
        return VIPA__MSG_T_NO_PERIOD;
    return VIPA__MSG_COUNT;
}

static int check_linkages_under_agreements(const vipa_ctx *ctx, vipa_findings *list)
{
    int rc = VIPA_OK;
    for (size_t i = 0; i < ctx->linkages.count && rc == VIPA_OK; i++) {
        const linkage_rec *l = &ctx->linkages.items[i];
        vipa__msg defect = linkage_defect(ctx, l);
        if (defect == VIPA__MSG_COUNT)
            continue;
        vipa__finding_in in = finding(VIPA_RULE_LINKAGE_UNDER_AGREEMENT, VIPA_SEVERITY_NONE,
                                      VIPA_SUBJECT_LINKAGE, l->id, NULL, NULL);
        rc = VIPA__FINDING(list, &in, F_LINKAGE_DEFECT, (unsigned long long)l->id,
                           household_id(ctx, l->household),
                           (unsigned long long)ctx->agreements.items[l->agreement].id,
                           VIPA__TERM(defect));
    }
    return rc;
}

/* ---- one agreement, for its evaluation ------------------------------------------------ */

/* The plans of an agreement's households under it: industry, filing and target. */
static int check_plan_industry_and_filing_of(const vipa_ctx *ctx, vipa_findings *list,
                                             uint32_t agreement, const uint32_t *plans)
{
    const agreement_rec *a = &ctx->agreements.items[agreement];
    int rc = VIPA_OK;
    for (uint32_t i = 0; i < a->household_len && rc == VIPA_OK; i++) {
        uint32_t plan = plan_of(ctx, agreement, i, plans);
        if (plan != VIPA_NO_INDEX)
            rc = check_one_plan(ctx, list, &ctx->plans.items[plan]);
    }
    return rc;
}

int vipa__check_agreement(const vipa_ctx *ctx, uint32_t agreement, const uint32_t *plans,
                          vipa_findings *list)
{
    int rc = check_one_agreement_content(list, &ctx->agreements.items[agreement]);
    if (rc == VIPA_OK)
        rc = check_plans_of(ctx, list, agreement, plans);
    if (rc == VIPA_OK)
        rc = check_plan_industry_and_filing_of(ctx, list, agreement, plans);
    return rc;
}

/* ---- running them ------------------------------------------------------------------ */

int vipa__check_records(vipa_ctx *ctx, const uint32_t *plans, vipa_findings *list)
{
    int (*const checks[])(const vipa_ctx *, vipa_findings *) = {
        check_one_town_one_industry, check_entity_selection, check_signer_level,
        check_agreement_content,     NULL /* PLAN_PER_HOUSEHOLD */, check_plan_industry_and_filing,
        check_linkages_under_agreements,
    };
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        /* The list fails only for want of room: memory (VIPA_E_NOMEM) or its 4 GiB of
         * text (VIPA_E_LIMIT); the code says which. */
        int rc = checks[i] ? checks[i](ctx, list) : check_plan_per_household(ctx, plans, list);
        if (rc != VIPA_OK)
            return rc;
    }
    return VIPA_OK;
}

int vipa_check(vipa_findings **out, vipa_ctx *ctx)
{
    if (out)
        *out = NULL;
    if (!ctx)
        return VIPA_E_INVALID;
    if (!out)
        return vipa__fail(ctx, VIPA_E_INVALID, "vipa_check: the output argument is NULL");
    vipa_findings *list = vipa__findings_new(&ctx->alloc);
    if (!list)
        return vipa__fail(ctx, VIPA_E_NOMEM, "vipa_check: out of memory creating the list");
    int rc = vipa__check_records(ctx, NULL, list);
    if (rc != VIPA_OK) {
        vipa_findings_free(list);
        return vipa__fail(ctx, rc, "vipa_check: %s while collecting the findings",
                          vipa_strerror(rc));
    }
    vipa__findings_sort(list);
    *out = list;
    return vipa__succeed(ctx);
}
