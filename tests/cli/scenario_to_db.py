#!/usr/bin/env python3
"""A scenario JSON file (docs/scenario.md) into a SQLite database of the schema `vipa
schema` prints (docs/database.md), with Python's sqlite3 module: the second method the
test cli-database checks the program's reader against, and an example for platforms.

Usage: scenario_to_db.py VIPA SCENARIO.json OUT.db
"""
import json
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal

MONEY = re.compile(r"^-?[0-9]+(\.[0-9]{1,2})?$")


def hundredths(value):
    """Money (or mu) of the scenario in hundredths: "3600.5" -> 360050, 3600 -> 360000."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value * 100
    if not isinstance(value, str) or not MONEY.match(value):
        raise ValueError(value)
    return int(Decimal(value) * 100)


def fen(value):
    return None if value is None else hundredths(value)


def schema(vipa):
    return subprocess.run([vipa, "schema"], check=True, capture_output=True, text=True).stdout


def insert(db, table, row):
    columns = ", ".join('"%s"' % c for c in row)
    marks = ", ".join("?" for _ in row)
    db.execute("INSERT INTO %s (%s) VALUES (%s)" % (table, columns, marks), list(row.values()))


SELECTION = ["well_managed", "profitable", "financially_strong", "socially_responsible",
             "trustworthy", "wide_coverage", "sustainable", "willing"]
GUARANTEES = ["food_clothing", "education", "medical", "housing", "water"]


def flag(value):
    return None if value is None else int(bool(value))


def add_top(db, s):
    profile = s.get("profile") or {}
    insert(db, "scenario", {"vipa": s["vipa"], "as_of": s.get("as_of"),
                            "profile": profile.get("base")})
    for key, value in (profile.get("params") or {}).items():
        if key == "poverty_line":
            for year, line in value.items():
                insert(db, "poverty_lines", {"year": int(year), "line": fen(line)})
        else:
            insert(db, "parameters", {"key": key, "value": flag(value)
                                      if isinstance(value, bool) else value})


def add_entity(db, e):
    row = {k: e.get(k) for k in ["id", "name", "kind", "uscc", "core_village", "industry"]}
    selection = e.get("selection") or {}
    row.update({k: int(bool(selection.get(k))) for k in SELECTION})
    insert(db, "entities", row)


def add_household(db, h):
    insert(db, "households", {k: (flag(h[k]) if k == "willing" else h.get(k))
                              for k in ["id", "village", "members", "labour", "cause",
                                        "willing", "exited"]})
    for year, items in (h.get("assured") or {}).items():
        row = {"household": h["id"], "year": int(year)}
        row.update({k: int(k in items) for k in GUARANTEES})
        insert(db, "household_guarantees", row)


def add_agreement(db, a):
    signer = a.get("signer") or {}
    insert(db, "agreements", {
        "id": a["id"], "entity": a["entity"], "household_count": a.get("household_count"),
        "support_count": a.get("support_count"), "start": a.get("start"), "end": a.get("end"),
        "exit_deadline": a.get("exit_deadline"), "signed": a.get("signed"),
        "signer_level": signer.get("level"), "signer_area": signer.get("area"),
        "dividend_bp": a.get("dividend_bp")})
    for i, h in enumerate(a.get("households") or []):
        insert(db, "agreement_households", {"agreement": a["id"], "ordinal": i + 1,
                                            "household": h})
    for i, p in enumerate(a.get("projects") or []):
        insert(db, "agreement_projects", {"agreement": a["id"], "ordinal": i + 1, "project": p})
    for i, m in enumerate(a.get("support") or []):
        insert(db, "agreement_support", {"agreement": a["id"], "ordinal": i + 1, "measure": m})


def add_plan(db, p):
    filed = p.get("filed") or []
    key = {"household": p["household"], "agreement": p["agreement"]}
    insert(db, "plans", dict(key, exit_target=p.get("exit_target"),
                             filed_county=int("county" in filed), filed_town=int("town" in filed),
                             filed_village=int("village" in filed)))
    for table, column, items in [("plan_industries", "industry", p.get("industries")),
                                 ("plan_measures", "measure", p.get("measures"))]:
        for i, v in enumerate(items or []):
            insert(db, table, dict(key, ordinal=i + 1, **{column: v}))
    for i, t in enumerate(p.get("tasks") or []):
        insert(db, "plan_tasks", dict(key, ordinal=i + 1, year=t["year"],
                                      income=fen(t.get("income")), task=t.get("task")))
    for i, t in enumerate(p.get("persons") or []):
        insert(db, "plan_persons", dict(key, ordinal=i + 1, member=t["member"], task=t["task"]))


def add_linkage(db, l):
    insert(db, "linkages", {
        "id": l["id"], "kind": l["kind"], "household": l["household"], "entity": l["entity"],
        "agreement": l["agreement"], "from_year": l["from"], "to_year": l["to"],
        "annual": fen(l.get("annual")), "days": l.get("days"),
        "daily_wage": fen(l.get("daily_wage")), "area_cmu": fen(l.get("area_mu")),
        "rent_per_mu": fen(l.get("rent_per_mu"))})


def add_injection(db, j):
    insert(db, "injections", {"id": j["id"], "entity": j["entity"], "agreement": j["agreement"],
                              "date": j["date"], "amount": fen(j["amount"]),
                              "allocation": j.get("allocation")})
    weights = j.get("weights") or []
    for i, h in enumerate(j.get("households") or []):
        insert(db, "injection_households", {"injection": j["id"], "ordinal": i + 1,
                                            "household": h,
                                            "weight": weights[i] if i < len(weights) else None})


def holder(prefix, h):
    row = {prefix + "_household": None, prefix + "_collective": None, prefix + "_entity": None}
    for kind, value in h.items():
        row[prefix + "_" + kind] = value
    return row


def add_transfer(db, t, seq):
    row = {"seq": seq, "entity": t["entity"], "amount": fen(t["amount"]), "date": t["date"]}
    row.update(holder("from", t["from"]))
    row.update(holder("to", t["to"]))
    insert(db, "transfers", row)


def add_payment(db, p):
    dividend = p.get("dividend") or {}
    insert(db, "payments", {"linkage": p.get("linkage"),
                            "dividend_entity": dividend.get("entity"),
                            "dividend_household": dividend.get("household"),
                            "year": p["year"], "amount": fen(p["amount"]), "date": p["date"]})


def convert(vipa, scenario, out):
    """Writes the scenario @p scenario (parsed JSON) into a new database at @p out."""
    db = sqlite3.connect(out)
    # A new file made in one go: a failure leaves it to be made again, so no syncs.
    db.execute("PRAGMA synchronous = OFF")
    db.executescript(schema(vipa))
    with db:
        add_top(db, scenario)
        for a in scenario.get("areas") or []:
            insert(db, "areas", {k: a.get(k) for k in ["code", "name", "level", "industry"]})
        for e in scenario.get("entities") or []:
            add_entity(db, e)
        for h in scenario.get("households") or []:
            add_household(db, h)
        for a in scenario.get("agreements") or []:
            add_agreement(db, a)
        for p in scenario.get("plans") or []:
            add_plan(db, p)
        for l in scenario.get("linkages") or []:
            add_linkage(db, l)
        for j in scenario.get("injections") or []:
            add_injection(db, j)
        for c in scenario.get("contributions") or []:
            insert(db, "contributions", {"household": c["household"], "entity": c["entity"],
                                         "agreement": c.get("agreement"), "kind": c["kind"],
                                         "value": fen(c["value"]), "date": c["date"]})
        for i, t in enumerate(scenario.get("transfers") or []):
            add_transfer(db, t, i + 1)
        for d in scenario.get("dividends") or []:
            insert(db, "dividends", {"entity": d["entity"], "year": d["year"],
                                     "rate_bp": d.get("rate_bp"), "pool": fen(d.get("pool"))})
        for p in scenario.get("payments") or []:
            add_payment(db, p)
        for i in scenario.get("incomes") or []:
            insert(db, "incomes", {"household": i["household"], "year": i["year"],
                                   "other": fen(i["other"])})
        for e in scenario.get("evaluations") or []:
            insert(db, "evaluations", {"year": e["year"], "date": e["date"],
                                       "recheck": int(bool(e.get("recheck")))})
    db.close()


def main():
    vipa, source, out = sys.argv[1:4]
    with open(source, encoding="utf-8") as f:
        convert(vipa, json.load(f), out)


if __name__ == "__main__":
    main()
