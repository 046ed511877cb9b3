#!/usr/bin/env python3
"""Writes the tables of a scenario as the CSV files `vipa import` reads (docs/import.md).

Run once on examples/shangluo-sample.json to make tests/import/sample/; the test
(tests/import/check.py) imports them and compares the run's report with the sample's.
The households table has the Chinese headings of a 建档立卡 export, with the villages by
name and the causes by their Chinese words; every other table has the English ones.
This is a second, independent writer of the format: it follows docs/import.md, not the
importer's code.

    python3 tests/import/make_tables.py examples/shangluo-sample.json tests/import/sample
"""
import csv
import json
import os
import sys

CAUSES_ZH = {"illness": "因病", "disability": "因残", "schooling": "因学", "disaster": "因灾",
             "lack_of_land": "缺土地", "lack_of_water": "缺水", "lack_of_skills": "缺技术",
             "lack_of_labour": "缺劳力", "lack_of_capital": "缺资金",
             "poor_transport": "交通条件落后", "lack_of_drive": "自身发展动力不足"}
ASSURED = ["food_clothing", "education", "medical", "housing", "water"]
SELECTION = ["well_managed", "profitable", "financially_strong", "socially_responsible",
             "trustworthy", "wide_coverage", "sustainable", "willing"]


def cell(v):
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return str(v)


def write(directory, name, heads, rows):
    with open(os.path.join(directory, name + ".csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(heads)
        for r in rows:
            w.writerow([cell(x) for x in r])


def tables(s):
    """{file name: (headings, rows)} of scenario @p s."""
    t = {}
    prof = s.get("profile") or {}
    rows = []
    if "as_of" in s:
        rows.append(["as_of", s["as_of"]])
    if "base" in prof:
        rows.append(["base", prof["base"]])
    for k, v in (prof.get("params") or {}).items():
        if k == "poverty_line":
            rows += [["poverty_line." + y, line] for y, line in v.items()]
        else:
            rows.append([k, cell(v)])
    t["profile"] = (["key", "value"], rows)
    t["areas"] = (["code", "name", "level", "industry"],
                  [[a["code"], a["name"], a["level"], a.get("industry")] for a in s.get("areas", [])])
    t["entities"] = (["id", "name", "kind", "uscc", "core_village", "industry"] + SELECTION,
                     [[e["id"], e["name"], e["kind"], e.get("uscc"), e["core_village"], e["industry"]]
                      + [(e.get("selection") or {}).get(k) for k in SELECTION]
                      for e in s.get("entities", [])])
    names = {a["code"]: a["name"] for a in s.get("areas", [])}
    t["households"] = (["户编号", "村", "人口", "劳动力", "致贫原因", "是否有产业发展意愿", "脱贫年度"],
                       [[h["id"], names[h["village"]], h["members"], h["labour"], CAUSES_ZH[h["cause"]],
                         "是" if h["willing"] else "否", h.get("exited")] for h in s.get("households", [])])
    t["assured"] = (["household", "year"] + ASSURED,
                    [[h["id"], y] + ["是" if k in items else "否" for k in ASSURED]
                     for h in s.get("households", []) for y, items in (h.get("assured") or {}).items()])
    t["agreements"] = (["id", "entity", "households", "household_count", "projects", "support",
                        "support_count", "start", "end", "exit_deadline", "signed", "signer_level",
                        "signer_area", "dividend_bp"],
                       [[a["id"], a["entity"], a.get("households"), a.get("household_count"),
                         a.get("projects"), a.get("support"), a.get("support_count"), a.get("start"),
                         a.get("end"), a.get("exit_deadline"), a.get("signed"),
                         (a.get("signer") or {}).get("level"), (a.get("signer") or {}).get("area"),
                         a.get("dividend_bp")] for a in s.get("agreements", [])])
    plans = s.get("plans", [])
    t["plans"] = (["household", "agreement", "exit_target", "industries", "measures", "filed"],
                  [[p["household"], p["agreement"], p.get("exit_target"), p.get("industries"),
                    p.get("measures"), p.get("filed")] for p in plans])
    t["plan_tasks"] = (["household", "agreement", "year", "income", "task"],
                       [[p["household"], p["agreement"], k["year"], k.get("income"), k.get("task")]
                        for p in plans for k in p.get("tasks") or []])
    t["plan_persons"] = (["household", "agreement", "member", "task"],
                         [[p["household"], p["agreement"], k["member"], k["task"]]
                          for p in plans for k in p.get("persons") or []])
    lk = ["id", "kind", "household", "entity", "agreement", "from", "to", "annual", "days",
          "daily_wage", "area_mu", "rent_per_mu"]
    t["linkages"] = (lk, [[x.get(k) for k in lk] for x in s.get("linkages", [])])
    ik = ["id", "entity", "agreement", "date", "amount", "households", "allocation", "weights"]
    t["injections"] = (ik, [[x.get(k) for k in ik] for x in s.get("injections", [])])
    ck = ["household", "entity", "agreement", "kind", "value", "date"]
    t["contributions"] = (ck, [[x.get(k) for k in ck] for x in s.get("contributions", [])])
    holders = ["household", "collective", "entity"]
    t["transfers"] = (["entity"] + ["from_" + h for h in holders] + ["to_" + h for h in holders]
                      + ["amount", "date"],
                      [[x["entity"]] + [x["from"].get(h) for h in holders] + [x["to"].get(h) for h in holders]
                       + [x["amount"], x["date"]] for x in s.get("transfers", [])])
    dk = ["entity", "year", "rate_bp", "pool"]
    t["dividends"] = (dk, [[x.get(k) for k in dk] for x in s.get("dividends", [])])
    t["payments"] = (["linkage", "dividend_entity", "dividend_household", "year", "amount", "date"],
                     [[x.get("linkage"), (x.get("dividend") or {}).get("entity"),
                       (x.get("dividend") or {}).get("household"), x["year"], x["amount"], x["date"]]
                      for x in s.get("payments", [])])
    t["incomes"] = (["household", "year", "other"],
                    [[x["household"], x["year"], x["other"]] for x in s.get("incomes", [])])
    ek = ["year", "date", "recheck"]
    t["evaluations"] = (ek, [[x.get(k) for k in ek] for x in s.get("evaluations", [])])
    return {k: v for k, v in t.items() if v[1] or k in ("households",)}


def main():
    src, out = sys.argv[1], sys.argv[2]
    with open(src, encoding="utf-8") as f:
        s = json.load(f)
    os.makedirs(out, exist_ok=True)
    for name, (heads, rows) in tables(s).items():
        write(out, name, heads, rows)


if __name__ == "__main__":
    main()
