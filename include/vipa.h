/**
 * @file vipa.h
 * @brief libvipa: the Shangluo village-domain industry poverty-alleviation plan
 *        (商洛市村域产业精准扶贫实施方案, 商政办发〔2016〕98号) as exact, testable rules.
 *
 * Include this one header; it includes every module's header in dependency order:
 * common, error, money, date, area, rules, registry, agreement, findings, ledger, run, scenario.
 */
#ifndef VIPA_H
#define VIPA_H

#include "vipa/common.h"
#include "vipa/error.h"
#include "vipa/money.h"
#include "vipa/date.h"
#include "vipa/area.h"
#include "vipa/rules.h"
#include "vipa/registry.h"
#include "vipa/agreement.h"
#include "vipa/findings.h"
#include "vipa/ledger.h"
#include "vipa/run.h"
#include "vipa/scenario.h"
#include "vipa/compare.h"

#endif /* VIPA_H */
