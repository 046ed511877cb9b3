/*
 * The message catalogue (messages.c): every sentence of a finding and of an explanation
 * step, every fragment they take as an argument, in English and in Chinese, one entry per
 * sentence, addressed by an id. The English forms are the library's messages as they
 * always were (byte for byte: the golden outputs hold them); the Chinese forms use the
 * plan's own terms (docs/shangluo-2016-98.txt, docs/glossary.md).
 *
 * A message is kept as its id and its arguments, captured (vipa__msg_capture), and formatted
 * in either language when asked for (vipa__msg_replay): both languages come from the same
 * captured data. A template is a printf format with these conversions only: d i u o x X c
 * s and %%, with flags, width, precision (also '*') and the sizes hh h l ll j z t (not for c
 * and s), and
 *   %p  a term argument: a pointer to a vipa__terms (VIPA__TERM(id), VIPA__TERMS(&t)), one
 *       or more catalogue entries of no argument (a vocabulary word, a fragment such as
 *       "is not signed") joined by a separator entry; each is written in the language of
 *       the message. A fragment is passed by id, never as English text.
 * A Chinese template takes the same arguments as its English one: either the same
 * conversions in the same order, or positional conversions only ("%3$s": the English
 * template's third conversion, '*' not allowed), each of the same type, every English
 * conversion used. The unit test `messages` checks every pair; the English templates are
 * checked against the arguments of every call at compile time (VIPA__MSG_CHECK).
 */
#ifndef VIPA_MESSAGES_INTERNAL_H
#define VIPA_MESSAGES_INTERNAL_H

#include <stdarg.h>
#include <stdint.h>

#include "store_internal.h"

/* X(id, English, Chinese). Groups: T_ terms (fragments and words an argument names, no
 * conversion), F_ findings, P_ prefixes of copied findings, S_ explanation steps, X_
 * explanation titles and parts. */
#define VIPA_MESSAGES(X)                                                                       \
    /* separators of term lists */                                                             \
    X(T_SEP_COMMA, ", ", "、")                                                                 \
    X(T_SEP_LIST, "; ", "；")                                                                  \
    X(T_SEP_WHERE, ": ", "：")                                                                 \
    /* ENTITY_SELECTION: why an entity must meet the criteria; the criteria (三(二)) */        \
    X(T_SIGNED_AN_AGREEMENT, "signed an agreement", "签订了协议")                              \
    X(T_RECEIVED_FISCAL_EQUITY, "received fiscal equity", "获得了财政资金折股")                \
    X(T_SELECT_WELL_MANAGED, "well_managed", "管理规范")                                       \
    X(T_SELECT_PROFITABLE, "profitable", "经营效益好")                                         \
    X(T_SELECT_FINANCIALLY_STRONG, "financially_strong", "经济实力强")                         \
    X(T_SELECT_SOCIALLY_RESPONSIBLE, "socially_responsible", "社会责任心强")                   \
    X(T_SELECT_TRUSTWORTHY, "trustworthy", "扶贫诚信度高")                                     \
    X(T_SELECT_WIDE_COVERAGE, "wide_coverage", "覆盖贫困户广")                                 \
    X(T_SELECT_SUSTAINABLE, "sustainable", "可持续发展能力强")                                 \
    X(T_SELECT_WILLING, "willing", "有带动意愿")                                               \
    /* signers (四(二)) */                                                                     \
    X(T_SIGNER_VILLAGE, "village", "村委会")                                                   \
    X(T_SIGNER_TOWN, "town", "镇政府")                                                         \
    X(T_SIGNER_COUNTY, "county", "县区政府")                                                   \
    X(T_SIGNER_NOT_PROVIDED, "not_provided", "方案未规定的签订方")                             \
    /* AGREEMENT_CONTENT: what a signed agreement must state (四(二)) */                       \
    X(T_CONTENT_HOUSEHOLDS, "number of households (包扶户数量)", "包扶户数量")                 \
    X(T_CONTENT_PROJECTS, "assistance projects (帮扶项目)", "帮扶项目")                        \
    X(T_CONTENT_PERIOD_NONE, "period (时间): neither start nor end",                           \
      "协议时间（起止日期均未写明）")                                                          \
    X(T_CONTENT_PERIOD_NO_START, "period (时间): no start", "协议时间的起始日期")              \
    X(T_CONTENT_PERIOD_NO_END, "period (时间): no end", "协议时间的截止日期")                  \
    X(T_CONTENT_DEADLINE, "poverty-exit deadline (脱贫期限)", "脱贫期限")                      \
    X(T_CONTENT_SUPPORT, "government support measures (支持政策措施)", "支持政策措施")         \
    /* PLAN_PER_HOUSEHOLD, PLAN_FILED_3_LEVELS (四(三)) */                                     \
    X(T_PLAN_EXIT_TARGET, "exit target (脱贫目标)", "脱贫目标")                                \
    X(T_PLAN_MEASURES, "measures (帮扶措施)", "帮扶措施")                                      \
    X(T_PLAN_TASKS, "annual tasks (年度任务)", "年度任务")                                     \
    X(T_FILED_COUNTY, "county", "县区")                                                        \
    X(T_FILED_TOWN, "town", "镇(办)")                                                          \
    X(T_FILED_VILLAGE, "village", "村(社区)")                                                  \
    /* LINKAGE_UNDER_AGREEMENT: what keeps a linkage from its agreement (二(五); 四(二)) */    \
    X(T_NOT_SIGNED, "is not signed", "未签订")                                                 \
    X(T_NOT_LISTING_HOUSEHOLD, "does not list the linkage's household", "未列入该贫困户")      \
    X(T_NO_PERIOD, "states no period, so it is in force in no year",                           \
      "未写明协议时间，任何年度均不在有效期内")                                                \
    X(T_NOT_COVERING_HOUSEHOLD, "does not cover its household", "未包扶该贫困户")              \
    X(T_NOT_IN_FORCE, "is not in force", "不在有效期内")                                       \
    /* linkage kinds (二(三)) */                                                               \
    X(T_WAGE, "wage", "务工工资")                                                              \
    X(T_LAND_RENT, "land rent", "土地流转租金")                                                \
    X(T_PARTICIPATION, "participation", "参与经营收益")                                        \
    /* EQUITY_POOR_SHARE (三(二)) */                                                           \
    X(T_HOUSEHOLDS_SHARES, "the households' shares", "贫困户股金")                             \
    X(T_ALL_ALLOCATIONS, "all its allocations", "全部分配")                                    \
    /* EXIT_BY_DEADLINE: why a household has not exited */                                     \
    X(T_GUARANTEES_NOT_HELD, "its guarantees (两不愁三保障) are not all held",                 \
      "两不愁三保障未全部实现")                                                                \
    X(T_BELOW_LINE, "its income is below the line", "收入低于贫困线")                          \
    /* outcomes of an evaluation (四(五)) */                                                   \
    X(T_COMPLIANT, "compliant", "合格")                                                        \
    X(T_RECTIFICATION, "rectification", "督促整改")                                            \
    X(T_RESTORED, "restored", "整改后恢复")                                                    \
    X(T_TERMINATED, "terminated", "解除协议")                                                  \
    /* subjects of findings */                                                                 \
    X(T_SUBJECT_HOUSEHOLD, "household", "贫困户")                                              \
    X(T_SUBJECT_AGREEMENT, "agreement", "协议")                                                \
    X(T_SUBJECT_LINKAGE, "linkage", "利益联结")                                                \
    X(T_SUBJECT_INJECTION, "injection", "财政资金折股")                                        \
    X(T_SUBJECT_ENTITY, "entity", "经营主体")                                                  \
    X(T_SUBJECT_VILLAGE, "village", "村")                                                      \
    X(T_SUBJECT_TOWN, "town", "镇")                                                            \
    /* explanation words */                                                                    \
    X(T_EVALUATION, "evaluation", "绩效评估")                                                  \
    X(T_RECHECK, "re-check", "复核")                                                           \
    X(T_PASSED, "passed", "通过")                                                              \
    X(T_FAILED, "failed", "未通过")                                                            \
    X(T_MET, "met", "达到")                                                                    \
    X(T_NOT_MET, "not met", "未达到")                                                          \
    X(T_NOT_REQUIRED, "not required by the profile", "参数配置不作要求")                       \
    X(T_ALL_HELD, "all held", "全部实现")                                                      \
    X(T_NOT_ALL_HELD, "not all held", "未全部实现")                                            \
    /* ---- findings ---- */                                                                   \
    X(F_CITATION, " (%s, %s)", "（%s，%s）")                                                   \
    X(F_TOWN_NO_INDUSTRY,                                                                      \
      "town %.*s (%012llu) hosts operating entities but has no designated core industry; "     \
      "一镇一业 asks each town for one",                                                       \
      "%.*s（%012llu）有经营主体，但未确定主导产业；一镇一业要求每个镇确定一个主导产业")       \
    X(F_ENTITY_OUTSIDE_INDUSTRY,                                                               \
      "entity %llu (%.*s) works %.*s, not %.*s, the core industry designated by its town "     \
      "%.*s (%012llu)",                                                                        \
      "经营主体 %1$llu（%2$s）从事“%3$s”，而非所在镇%5$s（%6$012llu）确定的主导产业“%4$s”")    \
    X(F_ENTITY_SELECTION,                                                                      \
      "entity %llu (%.*s) %p but meets %d of the %d selection criteria; missing: %p",          \
      "经营主体 %1$llu（%2$s）%3$p，但只符合%5$d项挑选条件中的%4$d项；不符合：%6$p")           \
    X(F_SIGNER_NOT_PROVIDED,                                                                   \
      "agreement %llu spans villages in more than one county; the plan provides no signer "    \
      "across counties (it names the village committee, town or county government only)",      \
      "协议 %llu 所涉村分属多个县区；方案未规定跨县区协议的签订方（只规定村委会、镇政府或县区" \
      "政府）")                                                                                \
    X(F_SIGNER_MISMATCH,                                                                       \
      "agreement %llu is signed by %p %012llu, but the span of its entity's core village and " \
      "its households' villages calls for %p %012llu",                                         \
      "协议 %1$llu 由%2$p（%3$012llu）签订，但按其经营主体核心村和所包扶贫困户所在村的范围，" \
      "应由%4$p（%5$012llu）签订")                                                             \
    X(F_SIGNER_MISMATCH_BARE,                                                                  \
      "agreement %llu is signed by %p, but the span of its entity's core village and its "     \
      "households' villages calls for %p %012llu",                                             \
      "协议 %1$llu 由%2$p签订，但按其经营主体核心村和所包扶贫困户所在村的范围，应由%3$p"      \
      "（%4$012llu）签订")                                                                     \
    X(F_CONTENT_MISSING, "signed agreement %llu states no %p", "已签订的协议 %llu 未写明%p")   \
    X(F_COUNT_DIFFERS, "signed agreement %llu states %s households (包扶户数量) but lists %s",  \
      "已签订的协议 %llu 写明包扶户数量 %s 户，但列出的贫困户为 %s 户")                        \
    X(F_PLAN_ABSENT,                                                                           \
      "household %llu is covered by signed agreement %llu but has no assistance plan "         \
      "(帮扶方案) under it",                                                                   \
      "贫困户 %llu 由已签订的协议 %llu 包扶，但没有该协议下的帮扶方案")                        \
    X(F_PLAN_INCOMPLETE, "the plan of household %llu under agreement %llu states no %p",       \
      "贫困户 %llu 在协议 %llu 下的帮扶方案未写明%p")                                          \
    X(F_PLAN_NO_INDUSTRY,                                                                      \
      "the plan of household %llu under agreement %llu names no income-raising industry; "     \
      "四(三) asks for at least 1 (至少有1个增收产业)",                                        \
      "贫困户 %llu 在协议 %llu 下的帮扶方案未列明增收产业；四(三)要求至少有1个增收产业")       \
    X(F_PLAN_NOT_FILED,                                                                        \
      "the plan of household %llu under agreement %llu is not filed (保存备案) at %p level",   \
      "贫困户 %llu 在协议 %llu 下的帮扶方案未在%p级保存备案")                                  \
    X(F_PLAN_AFTER_DEADLINE,                                                                   \
      "the plan of household %llu under agreement %llu targets exit in %d, after the "         \
      "agreement's poverty-exit deadline %d (脱贫期限); the plan may be earlier, never later", \
      "贫困户 %llu 在协议 %llu 下的帮扶方案以 %d 年为脱贫目标，晚于协议的脱贫期限 %d 年；"    \
      "方案的目标可早于协议的期限，不得晚于")                                                  \
    X(F_LINKAGE_DEFECT, "linkage %llu of household %llu: its agreement %llu %p",               \
      "贫困户 %2$llu 的利益联结 %1$llu：其协议 %3$llu %4$p")                                   \
    X(F_POOR_SHARE, "injection %llu of %s on %s: %p sum to %s; expected exactly %s",           \
      "%3$s 的财政资金折股 %1$llu（%2$s 元）：%4$p合计 %5$s 元，应恰为 %6$s 元")               \
    X(F_DISQUALIFIED_INJECTION,                                                                \
      "injection %llu of %s on %s goes to entity %llu (%s), disqualified from %s; a "          \
      "disqualified entity receives no new fiscal equity",                                     \
      "%3$s 的财政资金折股 %1$llu（%2$s 元）投向经营主体 %4$llu（%5$s），该主体自 %6$s 起"     \
      "已被取消资格；被取消资格的经营主体不得新增财政资金折股")                                \
    X(F_LINKAGE_NOT_IN_FORCE, "linkage %llu of household %llu: agreement %llu %p in %d",       \
      "贫困户 %2$llu 的利益联结 %1$llu：协议 %3$llu 在 %5$d 年%4$p")                           \
    X(F_OBLIGATION_UNPAID, "linkage %llu (%p) of household %llu: %s due for %d, %s paid",      \
      "贫困户 %3$llu 的利益联结 %1$llu（%2$p）：%5$d 年应付 %4$s 元，实付 %6$s 元")            \
    X(F_OBLIGATION_UNPAID_BY,                                                                  \
      "linkage %llu (%p) of household %llu: %s due for %d, %s paid by %s",                     \
      "贫困户 %3$llu 的利益联结 %1$llu（%2$p）：%5$d 年应付 %4$s 元，截至 %7$s 实付 %6$s 元") \
    X(F_DIVIDEND_UNPAID, "household %llu: dividend of %d from entity %llu: %s due, %s paid",   \
      "贫困户 %1$llu：经营主体 %3$llu 的 %2$d 年分红应付 %4$s 元，实付 %5$s 元")               \
    X(F_DIVIDEND_UNPAID_BY,                                                                    \
      "household %llu: dividend of %d from entity %llu: %s due, %s paid by %s",                \
      "贫困户 %1$llu：经营主体 %3$llu 的 %2$d 年分红应付 %4$s 元，截至 %6$s 实付 %5$s 元")     \
    X(F_DIVIDEND_UNPAID_AGREED,                                                                \
      "household %llu: dividend of %d from entity %llu: %s due at the agreed rate, %s paid",   \
      "贫困户 %1$llu：经营主体 %3$llu 的 %2$d 年分红按约定比例应付 %4$s 元，实付 %5$s 元")     \
    X(F_DIVIDEND_UNPAID_AGREED_BY,                                                             \
      "household %llu: dividend of %d from entity %llu: %s due at the agreed rate, %s paid "   \
      "by %s",                                                                                 \
      "贫困户 %1$llu：经营主体 %3$llu 的 %2$d 年分红按约定比例应付 %4$s 元，截至 %6$s 实付 "   \
      "%5$s 元")                                                                               \
    X(F_COVERAGE,                                                                              \
      "core village %012llu in %d: %zu of %zu willing poor households linked; not linked: %s", \
      "核心村 %1$012llu %2$d 年：有产业发展意愿的贫困户 %4$zu 户，已带动 %3$zu 户；未带动："  \
      "%5$s")                                                                                  \
    X(F_COVERAGE_MORE,                                                                         \
      "core village %012llu in %d: %zu of %zu willing poor households linked; not linked: "    \
      "%s, ...",                                                                               \
      "核心村 %1$012llu %2$d 年：有产业发展意愿的贫困户 %4$zu 户，已带动 %3$zu 户；未带动："  \
      "%5$s 等")                                                                               \
    X(F_EXIT_NOT_BY_DEADLINE,                                                                  \
      "household %llu (exit deadline %d) has not exited by %d: income %s against line × "      \
      "members %s; %p",                                                                        \
      "贫困户 %llu（脱贫期限 %d 年）至 %d 年未脱贫：收入 %s 元，贫困线×家庭人口 %s 元；%p")    \
    X(F_PLAN_TASK,                                                                             \
      "household %llu: the annual task of %d in its plan under agreement %llu sets an income " \
      "of %s; its income of %d is %s",                                                         \
      "贫困户 %1$llu：协议 %3$llu 下帮扶方案的 %2$d 年年度任务为收入 %4$s 元；其 %5$d 年收入 " \
      "%6$s 元")                                                                               \
    X(F_PROMISED, "agreement %llu promised to drive %zu households; %zu were linked to the "   \
                  "entity in %d",                                                              \
      "协议 %1$llu 承诺带动贫困户 %2$zu 户；%4$d 年与经营主体建立利益联结的为 %3$zu 户")       \
    X(F_OUTCOME_EVALUATION_ONE, "evaluation of %d on %s, agreement %llu: %p, %zu failed check", \
      "%2$s 对协议 %3$llu 的 %1$d 年度绩效评估：%4$p，未通过检查 %5$zu 项")                    \
    X(F_OUTCOME_EVALUATION_MANY,                                                               \
      "evaluation of %d on %s, agreement %llu: %p, %zu failed checks",                         \
      "%2$s 对协议 %3$llu 的 %1$d 年度绩效评估：%4$p，未通过检查 %5$zu 项")                    \
    X(F_OUTCOME_RECHECK_ONE, "re-check of %d on %s, agreement %llu: %p, %zu failed check",     \
      "%2$s 对协议 %3$llu 的 %1$d 年度复核：%4$p，未通过检查 %5$zu 项")                        \
    X(F_OUTCOME_RECHECK_MANY, "re-check of %d on %s, agreement %llu: %p, %zu failed checks",   \
      "%2$s 对协议 %3$llu 的 %1$d 年度复核：%4$p，未通过检查 %5$zu 项")                        \
    X(F_DISCLOSURE_ONE,                                                                        \
      "entity %llu received %s yuan of fiscal equity and drives %zu poor household; support "  \
      "its agreements name: %s; to be disclosed (公示公告)",                                   \
      "经营主体 %llu 获得财政资金折股 %s 元，带动贫困户 %zu 户；其协议所列支持政策：%s；"     \
      "予以公示公告")                                                                          \
    X(F_DISCLOSURE_MANY,                                                                       \
      "entity %llu received %s yuan of fiscal equity and drives %zu poor households; support " \
      "its agreements name: %s; to be disclosed (公示公告)",                                   \
      "经营主体 %llu 获得财政资金折股 %s 元，带动贫困户 %zu 户；其协议所列支持政策：%s；"     \
      "予以公示公告")                                                                          \
    X(F_DISCLOSURE_ONE_NONE,                                                                   \
      "entity %llu received %s yuan of fiscal equity and drives %zu poor household; support "  \
      "its agreements name: none listed; to be disclosed (公示公告)",                          \
      "经营主体 %llu 获得财政资金折股 %s 元，带动贫困户 %zu 户；其协议未列支持政策；"         \
      "予以公示公告")                                                                          \
    X(F_DISCLOSURE_MANY_NONE,                                                                  \
      "entity %llu received %s yuan of fiscal equity and drives %zu poor households; support " \
      "its agreements name: none listed; to be disclosed (公示公告)",                          \
      "经营主体 %llu 获得财政资金折股 %s 元，带动贫困户 %zu 户；其协议未列支持政策；"         \
      "予以公示公告")                                                                          \
    X(F_LATE_AGREEMENT, "agreement %llu was signed on %s by entity %llu, disqualified since %s", \
      "协议 %1$llu 于 %2$s 由经营主体 %3$llu 签订，该主体自 %4$s 起已被取消资格")              \
    /* the prefixes of an evaluation's failed checks, copied into the run's findings */       \
    X(P_EVALUATION, "evaluation of %d on %s, agreement %llu: ",                                \
      "%2$s 对协议 %3$llu 的 %1$d 年度绩效评估：")                                             \
    X(P_RECHECK, "re-check of %d on %s, agreement %llu: ", "%2$s 对协议 %3$llu 的 %1$d 年度复核：") \
    /* ---- explanation steps ---- */                                                         \
    X(S_CITATION, " [%s, %s]", "（%s，%s）")                                                   \
    X(S_DUE_WAGE, "linkage %llu, wage: %u days × %s = %s due for %d",                         \
      "利益联结 %1$llu，务工工资：%2$u 天 × %3$s 元 = %5$d 年应付 %4$s 元")                    \
    X(S_DUE_LAND_RENT,                                                                         \
      "linkage %llu, land rent: %u.%02u mu × %s per mu = %s due for %d (half away from zero)", \
      "利益联结 %1$llu，土地流转租金：%2$u.%3$02u 亩 × 每亩 %4$s 元 = %6$d 年应付 %5$s 元"     \
      "（四舍五入）")                                                                          \
    X(S_DUE_OTHER, "linkage %llu, %p: %s due for %d",                                          \
      "利益联结 %1$llu，%2$p：%4$d 年应付 %3$s 元")                                            \
    X(S_DUE_DIVIDEND,                                                                          \
      "dividend of %d from entity %llu on the shares held on %d-12-31: declared %s, at the "   \
      "agreed rate %s: %s due (the larger)",                                                   \
      "经营主体 %2$llu 按 %3$d-12-31 所持股份的 %1$d 年分红：宣布 %4$s 元，按约定比例 %5$s "   \
      "元：应付 %6$s 元（取较大者）")                                                          \
    X(S_PAYMENT_DIVIDEND, "dividend payment of %s from entity %llu for %d, paid on %s",        \
      "经营主体 %2$llu 支付 %3$d 年分红 %1$s 元，支付日期 %4$s")                               \
    X(S_PAYMENT, "payment of %s under linkage %llu for %d, paid on %s",                       \
      "利益联结 %2$llu 下 %3$d 年的支付 %1$s 元，支付日期 %4$s")                               \
    X(S_COUNTED_BY, "counted by the cut-off %s", "计入截至 %s 的评估")                         \
    X(S_AFTER_CUTOFF, "after the cut-off %s", "晚于评估截止日 %s")                             \
    X(S_OTHER_INCOME, "other net income for %d: %s", "%d 年其他纯收入：%s 元")                 \
    X(S_INCOME, "income for %d, every payment for the year and other income: %s",             \
      "%d 年收入（当年全部支付与其他纯收入）：%s 元")                                          \
    X(S_LINE, "poverty line %d: %s per person × %u members = %s (poverty_line.%d)",           \
      "%d 年贫困线：每人 %s 元 × 家庭人口 %u 人 = %s 元（参数 poverty_line.%d）")               \
    X(S_STANDARD,                                                                              \
      "exit standard %d: income %s %s line %s; guarantees (两不愁三保障, safe water) %p: %p",  \
      "%d 年脱贫标准：收入 %s 元 %s 贫困线 %s 元；两不愁三保障（含饮水安全）%p：%p")           \
    X(S_CUTOFF_INCOME, "as of the evaluation cut-off %s: income %s %s line %s",               \
      "截至评估截止日 %s：收入 %s 元 %s 贫困线 %s 元")                                         \
    X(S_HOUSEHOLD_CHECK,                                                                       \
      "%p of agreement %llu on %s: failed for %p %llu: expected %s, found %s",                 \
      "%3$s 对协议 %2$llu 的%1$p：%4$p %5$llu 未通过：应为 %6$s，实为 %7$s")                   \
    X(S_OBLIGATION, "linkage %llu of household %llu: %s due for %d, %s paid by %s: %p",       \
      "贫困户 %2$llu 的利益联结 %1$llu：%4$d 年应付 %3$s 元，截至 %6$s 实付 %5$s 元：%7$p")    \
    X(S_DIVIDEND, "dividend of %d to household %llu: %s due, %s paid by %s: %p",               \
      "贫困户 %2$llu 的 %1$d 年分红：应付 %3$s 元，截至 %5$s 实付 %4$s 元：%6$p")              \
    X(S_EXITED, "household %llu, exit deadline %d: exited in %d: passed",                      \
      "贫困户 %llu，脱贫期限 %d 年：已于 %d 年脱贫：通过")                                     \
    X(S_EXIT, "household %llu, exit deadline %d: income %s by %s against line × members %s: %p", \
      "贫困户 %1$llu，脱贫期限 %2$d 年：截至 %4$s 收入 %3$s 元，贫困线×家庭人口 %5$s 元：%6$p") \
    X(S_EXIT_GUARANTEES,                                                                       \
      "household %llu, exit deadline %d: income %s by %s against line × members %s, "          \
      "guarantees not all held: %p",                                                           \
      "贫困户 %1$llu，脱贫期限 %2$d 年：截至 %4$s 收入 %3$s 元，贫困线×家庭人口 %5$s 元，"     \
      "两不愁三保障未全部实现：%6$p")                                                          \
    X(S_TASK, "household %llu, annual task of %d: income %s by %s against the target %s: %p",  \
      "贫困户 %1$llu，%2$d 年年度任务：截至 %4$s 收入 %3$s 元，目标 %5$s 元：%6$p")            \
    X(S_COVERAGE, "core village %012llu in %d: %zu of %zu willing poor households linked: %p", \
      "核心村 %1$012llu %2$d 年：有产业发展意愿的贫困户 %4$zu 户，已带动 %3$zu 户：%5$p")     \
    X(S_LINKED, "households linked to the entity in %d: %zu of %zu promised: %p",              \
      "%1$d 年与经营主体建立利益联结的贫困户：承诺 %3$zu 户，已联结 %2$zu 户：%4$p")           \
    X(S_EVALUATION_CUTOFF, "%p of %d on %s: payments dated on or before %s count",             \
      "%3$s 的 %2$d 年度%1$p：计入 %4$s 及之前支付的款项")                                     \
    X(S_FAILED, "failed for %p %llu: expected %s, found %s",                                   \
      "%p %llu 未通过：应为 %s，实为 %s")                                                      \
    X(S_OUTCOME_ONE, "outcome: %p, %u failed check", "结果：%p，未通过检查 %u 项")             \
    X(S_OUTCOME_MANY, "outcome: %p, %u failed checks", "结果：%p，未通过检查 %u 项")           \
    X(X_TITLE_HOUSEHOLD, "household %llu, %d", "贫困户 %llu，%d 年")                           \
    X(X_TITLE_AGREEMENT, "agreement %llu, %d", "协议 %llu，%d 年")                             \
    /* a text given whole, in every language (tests, and prefixes made elsewhere) */          \
    X(Z_VERBATIM, "%s", "%s")

#define VIPA__MSG_ID_(id, en, zh) VIPA__MSG_##id,
typedef enum vipa__msg { VIPA_MESSAGES(VIPA__MSG_ID_) VIPA__MSG_COUNT } vipa__msg;
#undef VIPA__MSG_ID_

/* The languages of the catalogue. */
typedef enum vipa__lang { VIPA__LANG_EN = 0, VIPA__LANG_ZH = 1 } vipa__lang;

/* The language a public `lang` argument names: NULL or "en" English, "zh" Chinese.
 * VIPA_OK, or VIPA_E_INVALID for anything else. */
int vipa__lang_of(const char *lang, vipa__lang *out);

/* The template of a message in a language; NULL for an unknown id or language. */
const char *vipa__msg_template(vipa__msg id, vipa__lang lang);

/* ---- term arguments (%p) ----------------------------------------------------------------- */

enum { VIPA__TERMS_MAX = 16 };

/* Terms joined by a separator (an entry, e.g. VIPA__MSG_T_SEP_COMMA), each an entry of no
 * argument. Adding past VIPA__TERMS_MAX is ignored. */
typedef struct vipa__terms {
    uint16_t sep;
    uint16_t count;
    uint16_t ids[VIPA__TERMS_MAX];
} vipa__terms;

/* One term, as the argument of a %p. */
#define VIPA__TERM(id) ((const void *)&(const vipa__terms){0, 1, {(uint16_t)(id)}})
/* A list of terms (a vipa__terms *), as the argument of a %p. */
#define VIPA__TERMS(terms) ((const void *)(terms))

void vipa__terms_add(vipa__terms *terms, vipa__msg id);

/* ---- the compile-time check of a call's arguments ---------------------------------------- */

/* Every English template as an array of its own, so the compiler checks a call's arguments
 * against it (the arrays are only used inside sizeof: no code or data comes of them). */
#define VIPA__MSG_EN_(id, en, zh) static const char vipa__msg_en_##id[] = en;
VIPA_MESSAGES(VIPA__MSG_EN_)
#undef VIPA__MSG_EN_

#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
int vipa__msg_check_format(const char *format, ...); /* declared, never defined nor called */

/* Checks the arguments of a use of message `id` (a bare id: F_PLAN_ABSENT) at compile time. */
#define VIPA__MSG_CHECK(id, ...) ((void)sizeof(vipa__msg_check_format(vipa__msg_en_##id, __VA_ARGS__)))

/* ---- capturing and formatting ------------------------------------------------------------ */

/* Appends the arguments of message `id` read from `args` to `text` (integers in 8 bytes,
 * strings with their NUL, cut to a precision given; a term list as its separator, count
 * and ids). VIPA_OK; VIPA_E_INVALID for an unknown id; VIPA_E_NOMEM; VIPA_E_LIMIT when the
 * text would reach VIPA_NO_TEXT bytes. On failure `text` may have grown: the caller resets. */
int vipa__msg_capture(const vipa__allocator *alloc, vipa__arena *text, vipa__msg id,
                      va_list *args);

/* The bytes of the arguments of `id` captured at `args`. */
size_t vipa__msg_captured_size(vipa__msg id, const char *args);

/* Text written as vsnprintf writes it: at most size - 1 bytes and a NUL (buf may be NULL
 * when size is 0), while `length` counts the whole text. */
typedef struct vipa__text_out {
    char *buf;
    size_t size, length;
} vipa__text_out;

void vipa__text_bytes(vipa__text_out *o, const char *bytes, size_t n);

/* Writes message `id` in `lang` with the arguments captured at `args` (as
 * vipa__msg_capture left them) to o. */
void vipa__msg_replay(vipa__text_out *o, vipa__msg id, const char *args, vipa__lang lang);

/* Formats message `id` in `lang` with the arguments that follow (of the English
 * template's types) into buf[size], as snprintf does; returns the whole length, or a
 * negative code (VIPA_E_NOMEM, VIPA_E_INVALID). Use through VIPA__MSG_FORMAT. */
int vipa__msg_format(char *buf, size_t size, const vipa__allocator *alloc, vipa__lang lang,
                     vipa__msg id, ...);
#define VIPA__MSG_FORMAT(buf, size, alloc, lang, id, ...)                                     \
    (VIPA__MSG_CHECK(id, __VA_ARGS__),                                                         \
     vipa__msg_format(buf, size, alloc, lang, VIPA__MSG_##id, __VA_ARGS__))

/* The same for a template outside the catalogue (`format`, English only; `english` is the
 * template the arguments were captured with, which a positional `format` refers to). */
int vipa__fmt_capture(const vipa__allocator *alloc, vipa__arena *text, const char *format,
                      va_list *args);
size_t vipa__fmt_captured_size(const char *format, const char *args);
/* 1 if `format` has a term conversion (%p), which only catalogue entries may have. */
int vipa__fmt_has_terms(const char *format);
void vipa__fmt_replay(vipa__text_out *o, const char *english, const char *format,
                      const char *args, vipa__lang lang);

/* For tests: the argument types of a template, one letter per argument in the order
 * the English template takes them ('i' signed and 'u' unsigned integer of int size, 'I'/'U'
 * with a size, as in "hh"/"l"/"ll"/"z": the size's letter follows, 's' string, 'c' char,
 * 'p' terms, '*' an int of a star), e.g. "*sUq" — for a positional template, by position.
 * -1 (and an empty signature) if the template is malformed or mixes positional and
 * sequential conversions, or leaves a position unused. */
int vipa__msg_signature(char *buf, size_t size, const char *template_text);

#endif /* VIPA_MESSAGES_INTERNAL_H */
