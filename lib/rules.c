/* The rules module: the rule catalogue of docs/policy.md as static data (see
 * include/vipa/rules.h). */
#include <string.h>

#include "vipa/error.h"
#include "vipa/rules.h"
#include "vocab_internal.h"

struct rule_entry {
    const char *id;
    const char *clause; /* UTF-8, exactly as docs/policy.md writes it */
    vipa_severity severity;
    const char *zh;
    const char *en;
};

/* Indexed by the enum, so an entry cannot drift to another rule's value; listed in the
 * catalogue's order. Slot 0 (VIPA_RULE_NONE) stays empty. */
static const struct rule_entry catalogue[VIPA_RULE_COUNT + 1] = {
    [VIPA_RULE_COVERAGE_CORE_VILLAGE] = {
        "COVERAGE_CORE_VILLAGE", "一; 二(三)", VIPA_SEVERITY_ERROR,
        "核心村有产业发展意愿的贫困户带动全覆盖：每户至少有一项有效协议下的利益联结",
        "Every willing poor household of an entity's core village has a benefit linkage "
        "under an active agreement (full coverage)."},
    [VIPA_RULE_ONE_TOWN_ONE_INDUSTRY] = {
        "ONE_TOWN_ONE_INDUSTRY", "二(二)", VIPA_SEVERITY_WARNING,
        "一镇一业：每个镇（办）确定1个特色产业，作为经营主体的核心优势产业",
        "One town, one industry: each town hosting an entity designates one core specialty "
        "industry for its entities."},
    [VIPA_RULE_ENTITY_SELECTION] = {
        "ENTITY_SELECTION", "三(二)", VIPA_SEVERITY_WARNING,
        "获得财政扶贫资金股金或签订协议的经营主体符合管理规范、效益好、实力强等八项挑选条件",
        "An entity that receives fiscal equity or signs an agreement meets the eight "
        "selection criteria (well managed, profitable, trustworthy...)."},
    [VIPA_RULE_LINKAGE_UNDER_AGREEMENT] = {
        "LINKAGE_UNDER_AGREEMENT", "二(五); 四(二)", VIPA_SEVERITY_ERROR,
        "每项利益联结都依据已签订、包含该户且在联结年度内有效的协议",
        "Every benefit linkage rests on a signed agreement that covers the household and "
        "is in force in the linkage's years."},
    [VIPA_RULE_EQUITY_POOR_SHARE] = {
        "EQUITY_POOR_SHARE", "三(二)", VIPA_SEVERITY_ERROR,
        "财政扶贫资金折资入股，其中70%作为贫困户股金，分配到户的股金合计精确到分",
        "Of every fiscal-fund equity injection, exactly the poor share (70% by default) "
        "goes to poor households as shares, to the fen."},
    [VIPA_RULE_SIGNER_LEVEL] = {
        "SIGNER_LEVEL", "四(二)", VIPA_SEVERITY_ERROR,
        "协议签订方由核心村与贫困户所在村的范围确定：同村由村委会，多村不跨镇由镇政府，"
        "多镇不跨县区由县区政府签订；跨县区的方案未作规定",
        "The signer follows the span of the core village and the households' villages: "
        "village committee, town or county government; none across counties."},
    [VIPA_RULE_AGREEMENT_CONTENT] = {
        "AGREEMENT_CONTENT", "四(二)", VIPA_SEVERITY_ERROR,
        "协议明确包扶户数量、帮扶项目、时间、脱贫期限和政府支持措施，户数与所列贫困户一致",
        "A signed agreement states its household count (matching its list), projects, "
        "period, exit deadline and government support."},
    [VIPA_RULE_PLAN_PER_HOUSEHOLD] = {
        "PLAN_PER_HOUSEHOLD", "四(三)", VIPA_SEVERITY_ERROR,
        "协议包扶的每户贫困户都有帮扶方案，明确脱贫目标、帮扶措施和年度任务",
        "Every household covered by a signed agreement has an assistance plan with its "
        "exit target, measures and annual tasks."},
    [VIPA_RULE_PLAN_INCOME_INDUSTRY] = {
        "PLAN_INCOME_INDUSTRY", "四(三)", VIPA_SEVERITY_ERROR,
        "每个帮扶方案确保贫困户至少有1个增收产业",
        "Every assistance plan names at least one income-raising industry."},
    [VIPA_RULE_PLAN_FILED_3_LEVELS] = {
        "PLAN_FILED_3_LEVELS", "四(三)", VIPA_SEVERITY_ERROR,
        "帮扶方案由县区、镇（办）、村（社区）三级保存备案",
        "Every assistance plan is filed at county, town and village level."},
    [VIPA_RULE_DIVIDEND_PAID_AS_AGREED] = {
        "DIVIDEND_PAID_AS_AGREED", "二(三)", VIPA_SEVERITY_ERROR,
        "经营主体每年按约定给持股贫困户足额分红：当年宣告的分红，且不低于协议约定的分红比例；"
        "不论是否列入协议，协议期满后宣告的分红仍应支付",
        "Every year, each household holding shares is paid in full the dividend due: the one "
        "declared, never less than its agreement's rate, listed or not, after the agreement "
        "too."},
    [VIPA_RULE_OBLIGATIONS_PAID] = {
        "OBLIGATIONS_PAID", "四(四)", VIPA_SEVERITY_ERROR,
        "履约履责：每年足额支付利益联结约定的务工工资、土地流转费和参与经营收益",
        "Each year, every wage, land rent and participation amount due under a linkage is "
        "paid in full."},
    [VIPA_RULE_EXIT_BY_DEADLINE] = {
        "EXIT_BY_DEADLINE", "四(二); 四(三)", VIPA_SEVERITY_ERROR,
        "脱贫期限取协议脱贫期限与帮扶方案脱贫目标中较早者，到期贫困户已脱贫；方案目标不得晚于协议期限",
        "By the earlier of its agreement's exit deadline and its plan's target, a household "
        "has exited; a plan may not target a later year than its agreement."},
    [VIPA_RULE_EVALUATION_OUTCOME] = {
        "EVALUATION_OUTCOME", "四(五)", VIPA_SEVERITY_NOTICE,
        "年度绩效评估结果（达标、督促整改、整改后恢复或解除协议）及未通过的检查",
        "The outcome of each annual evaluation (compliant, rectification, restored or "
        "terminated) with the failed checks behind it."},
    [VIPA_RULE_DISQUALIFIED_NO_SUPPORT] = {
        "DISQUALIFIED_NO_SUPPORT", "四(五)", VIPA_SEVERITY_ERROR,
        "自取消资格之日起（含当日），经营主体不再获得财政股金、不再签订协议、不再予以倾斜",
        "From the day it is disqualified, an entity receives no fiscal equity, signs no "
        "agreement and is favoured for no year."},
    [VIPA_RULE_DISCLOSURE] = {
        "DISCLOSURE", "五(五)", VIPA_SEVERITY_NOTICE,
        "公示公告：每个经营主体获得的财政股金、协议载明的扶持措施和带动的贫困户",
        "The public-disclosure list: the fiscal equity each entity received, the support "
        "measures its agreements name, and the households it drives."},
    [VIPA_RULE_PLAN_TASKS_MET] = {
        "PLAN_TASKS_MET", "四(三); 四(五)", VIPA_SEVERITY_ERROR,
        "帮扶方案的年度任务按期完成：设定增收目标的年度，贫困户当年收入不低于目标",
        "Every annual task of a plan with an income target for a year is met: the "
        "household's income of that year reaches the target."},
};

int vipa_rule_count(void)
{
    return VIPA_RULE_COUNT;
}

/* The entry of a rule, or NULL. The unsigned view also rejects negative values, whether
 * the compiler made the enum signed or unsigned. */
static const struct rule_entry *entry_of(vipa_rule rule)
{
    unsigned int index = (unsigned int)rule;
    if (index == 0 || index > VIPA_RULE_COUNT)
        return NULL;
    return &catalogue[index];
}

const char *vipa_rule_id(vipa_rule rule)
{
    const struct rule_entry *e = entry_of(rule);
    return e ? e->id : NULL;
}

const char *vipa_rule_clause(vipa_rule rule)
{
    const struct rule_entry *e = entry_of(rule);
    return e ? e->clause : NULL;
}

vipa_severity vipa_rule_severity(vipa_rule rule)
{
    const struct rule_entry *e = entry_of(rule);
    return e ? e->severity : VIPA_SEVERITY_NONE;
}

const char *vipa_rule_summary(vipa_rule rule, const char *lang)
{
    const struct rule_entry *e = entry_of(rule);
    if (!e)
        return NULL;
    if (!lang || strcmp(lang, "en") == 0)
        return e->en;
    return strcmp(lang, "zh") == 0 ? e->zh : NULL;
}

int vipa_rule_from_id(vipa_rule *rule, const char *id)
{
    if (!rule || !id)
        return VIPA_E_INVALID;
    /* IDs are a contract spelled in capitals: the match is exact, never case-folded. */
    for (unsigned int i = 1; i <= VIPA_RULE_COUNT; i++) {
        if (strcmp(catalogue[i].id, id) == 0) {
            *rule = (vipa_rule)i;
            return VIPA_OK;
        }
    }
    return VIPA_E_NOT_FOUND;
}

const char *vipa_severity_name(vipa_severity severity)
{
    return vipa__word(VIPA_VOCAB_SEVERITY, (int)severity);
}
