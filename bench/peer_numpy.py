#!/usr/bin/python3
"""The numpy peer of the benchmark (issue #8): the year computed vectorised, as an analyst
or a platform team would write it with numpy, from the same tables as CSV.

    /usr/bin/python3 bench/peer_numpy.py DIR

DIR holds the CSV files written by vipa-bench. Prints "key value" lines: load_s (reading
the CSV, not part of the measure), numpy_s (the computation), and the answers (see
bench/answers.h): totals, counts and digests that must equal vipa's to the fen.

No Python loop runs over records: every step is a numpy operation on whole columns
(joins by searchsorted, sums by bincount, the exact splits by lexsort ranks). Sums by
bincount go through float64; they are exact because every amount and every sum is an
integer below 2**53 fen, which is checked.
"""
import sys
import time

import numpy as np

U = np.uint64


def mix(x):
    """splitmix64's finaliser on a uint64 array (wrapping, as in C)."""
    x = x ^ (x >> U(30))
    x = x * U(0xBF58476D1CE4E5B9)
    x = x ^ (x >> U(27))
    x = x * U(0x94D049BB133111EB)
    return x ^ (x >> U(31))


def u64(a):
    return np.ascontiguousarray(a, dtype=np.int64).view(np.uint64)


def load(directory, name):
    return np.loadtxt(f"{directory}/{name}.csv", delimiter=",", skiprows=1,
                      dtype=np.int64, ndmin=2)


def sums(index, values, n):
    """Exact integer sums of values grouped by index (0..n-1)."""
    if values.size and np.abs(values).sum(dtype=np.float64) >= 2.0 ** 53:
        raise SystemExit("peer_numpy: sums beyond 2**53 fen would not be exact")
    return np.rint(np.bincount(index, weights=values, minlength=n)).astype(np.int64)


def lookup(sorted_keys, order, keys):
    """Row numbers of keys in a table whose keys sorted are sorted_keys (order: argsort)."""
    pos = np.searchsorted(sorted_keys, keys)
    pos = np.minimum(pos, len(sorted_keys) - 1)
    if not np.array_equal(sorted_keys[pos], keys):
        raise SystemExit("peer_numpy: a reference to a record that is not there")
    return order[pos]


def ranks(group, *keys):
    """Rank (0-based) of each row within its group, ordered by keys (first key first)."""
    order = np.lexsort(tuple(reversed(keys)) + (group,))
    g = group[order]
    first = np.searchsorted(g, g, side="left")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order)) - first
    return rank


def split(total, group, weights, n_groups, *tie_keys):
    """The exact split of total[g] over the rows of each group by weights: floor shares,
    then one fen more for the largest remainders, ties by tie_keys."""
    wsum = sums(group, weights, n_groups)
    prod = total[group] * weights
    fl = prod // wsum[group]
    rem = prod % wsum[group]
    leftover = total - sums(group, fl, n_groups)
    rank = ranks(group, -rem, *tie_keys)
    return fl + (rank < leftover[group])


def compute(t):
    year, line, cut1, cut2, poor_bp, require = (int(v) for v in t["params"][0])
    hh, ag, ah, pl = t["households"], t["agreements"], t["agreement_households"], t["plans"]
    pt = t["plan_tasks"].reshape(-1, 4)
    asr, inc, inj, div = t["assured"], t["incomes"], t["injections"], t["dividends"]
    lk, pay = t["linkages"], t["payments"]

    # households, by id
    hid = hh[:, 0]
    members = hh[:, 2]
    nh = len(hid)
    h_order = np.argsort(hid, kind="stable")
    h_sorted = hid[h_order]

    def hidx(ids):
        return lookup(h_sorted, h_order, ids)

    # agreements, by id
    aid = ag[:, 0]
    na = len(aid)
    a_order = np.argsort(aid, kind="stable")
    a_sorted = aid[a_order]

    def aidx(ids):
        return lookup(a_sorted, a_order, ids)

    a_entity = ag[:, 1]
    in_force = (ag[:, 2] != 0) & (ag[:, 3] // 10000 <= year) & (year <= ag[:, 4] // 10000)

    # other income and guarantees of the year
    other = np.zeros(nh, dtype=np.int64)
    m = inc[:, 1] == year
    other[hidx(inc[m, 0])] = inc[m, 2]
    items = np.zeros(nh, dtype=np.int64)
    m = asr[:, 1] == year
    items[hidx(asr[m, 0])] = asr[m, 2]
    held = (items == 31) if require else np.ones(nh, dtype=bool)

    # linkages due in the year: dues, payments in all and by each cut-off
    lid = lk[:, 0]
    due_now = (lk[:, 4] <= year) & (year <= lk[:, 5])
    kind, annual, days, daily, area, rent = lk[:, 1], lk[:, 6], lk[:, 7], lk[:, 8], lk[:, 9], lk[:, 10]
    due = np.where(kind == 2, (area * rent + 50) // 100, np.where(days > 0, days * daily, annual))
    due = np.where(due_now, due, 0)
    nl = len(lid)
    l_order = np.argsort(lid, kind="stable")
    l_hh = hidx(lk[:, 2])
    l_ag = aidx(lk[:, 3])

    p_year = pay[:, 3] == year
    p_amount, p_date = pay[:, 4], pay[:, 5]
    lp = p_year & (pay[:, 0] != 0)
    p_l = lookup(lid[l_order], l_order, pay[lp, 0])
    amt, date = p_amount[lp], p_date[lp]
    paid = sums(p_l, amt, nl)
    paid1 = sums(p_l, np.where(date <= cut1, amt, 0), nl)
    paid2 = sums(p_l, np.where(date <= cut2, amt, 0), nl)

    # dividend payments, by (entity, household)
    dp = p_year & (pay[:, 0] == 0)
    d_key = pay[dp, 1] * nh + hidx(pay[dp, 2])
    d_keys, d_inv = np.unique(d_key, return_inverse=True)
    amt, date = p_amount[dp], p_date[dp]
    nd = len(d_keys)
    dpaid = sums(d_inv, amt, nd)
    dpaid1 = sums(d_inv, np.where(date <= cut1, amt, 0), nd)
    dpaid2 = sums(d_inv, np.where(date <= cut2, amt, 0), nd)

    # shares: each injection's poor share split over its agreement's households
    year_end = year * 10000 + 1231
    inj = inj[inj[:, 3] <= year_end]
    i_ag = aidx(inj[:, 2])
    if len(np.unique(i_ag)) != len(i_ag):
        raise SystemExit("peer_numpy: written for one injection per agreement")
    i_of_ag = np.full(na, -1, dtype=np.int64)
    i_of_ag[i_ag] = np.arange(len(i_ag))
    ah_a = aidx(ah[:, 0])
    ah_h = hidx(ah[:, 1])
    ah_i = i_of_ag[ah_a]
    has = ah_i >= 0
    r_a, r_h, r_i = ah_a[has], ah_h[has], ah_i[has]
    amount = inj[:, 4]
    poor = amount * poor_bp // 10000
    rest = amount - poor
    weight = np.where(inj[r_i, 5] != 0, members[r_h], 1)
    part = split(poor, r_i, weight, len(inj), hid[r_h])

    # dividends due: a rate on the shares (half away from zero) or the pool split over
    # the holders, the households by id and then the village collective with the rest
    i_entity = inj[:, 1]
    d_ent_order = np.argsort(div[:, 0], kind="stable")
    dv = div[div[:, 1] == year]
    dv_order = np.argsort(dv[:, 0], kind="stable")
    di = lookup(dv[dv_order, 0], dv_order, i_entity)
    rate = dv[di, 2]
    pool = dv[di, 3]
    by_rate = rate[r_i] >= 0
    owed = np.where(by_rate, (part * np.maximum(rate[r_i], 0) + 5000) // 10000, 0)
    pools = np.flatnonzero(rate < 0)
    if len(pools):
        hold = ~by_rate & (part > 0)
        coll = pools[rest[pools] > 0]
        g = np.concatenate([r_i[hold], coll])
        w = np.concatenate([part[hold], rest[coll]])
        kind_key = np.concatenate([np.ones(hold.sum(), dtype=np.int64),
                                   np.full(len(coll), 2, dtype=np.int64)])
        id_key = np.concatenate([hid[r_h[hold]], np.zeros(len(coll), dtype=np.int64)])
        total = np.maximum(pool, 0)
        shares = split(total, g, w, len(inj), kind_key, id_key)
        owed[np.flatnonzero(hold)] = shares[: hold.sum()]
    del d_ent_order

    # per household: income, line, standard; by each cut-off for the exit checks
    l_paid = sums(l_hh, paid, nh)
    l_paid1 = sums(l_hh, paid1, nh)
    l_paid2 = sums(l_hh, paid2, nh)
    dk = d_inv  # dividend payment sums per (entity, household) back to households
    d_hh = d_keys % nh
    income = other + l_paid + sums(d_hh, dpaid, nh)
    income1 = other + l_paid1 + sums(d_hh, dpaid1, nh)
    income2 = other + l_paid2 + sums(d_hh, dpaid2, nh)
    del dk
    line_total = members * line
    meets = held & (income >= line_total)

    # per agreement household: its dividend due and paid, its exit target
    pair = a_entity[r_a] * nh + r_h
    pos = np.minimum(np.searchsorted(d_keys, pair), max(nd - 1, 0))
    found = (nd > 0) & (d_keys[pos] == pair) if nd else np.zeros(len(pair), dtype=bool)
    got1 = np.where(found, dpaid1[pos], 0) if nd else np.zeros(len(pair), dtype=np.int64)
    got2 = np.where(found, dpaid2[pos], 0) if nd else np.zeros(len(pair), dtype=np.int64)
    pl_key = aidx(pl[:, 1]) * nh + hidx(pl[:, 0])
    pl_order = np.argsort(pl_key, kind="stable")
    ah_key = ah_a * nh + ah_h
    pos = np.minimum(np.searchsorted(pl_key[pl_order], ah_key), len(pl_key) - 1)
    has_plan = pl_key[pl_order][pos] == ah_key
    target = np.where(has_plan, pl[pl_order[pos], 2], 0)
    # the exit deadline: the earlier of the agreement's and the plan's target (0: none)
    a_deadline = ag[ah_a, 5]
    deadline = np.where((target != 0) & ((a_deadline == 0) | (target < a_deadline)), target,
                        a_deadline)
    exit_due = (deadline != 0) & (deadline <= year)

    # the plan's income target of the year (a task without one has no row)
    pt = pt[pt[:, 2] == year]
    if len(pt):
        pt_key = aidx(pt[:, 1]) * nh + hidx(pt[:, 0])
        pt_order = np.argsort(pt_key, kind="stable")
        pos = np.minimum(np.searchsorted(pt_key[pt_order], ah_key), len(pt_key) - 1)
        has_task = pt_key[pt_order][pos] == ah_key
        task = np.where(has_task, pt[pt_order[pos], 3], 0)
    else:
        has_task = np.zeros(len(ah_key), dtype=bool)
        task = np.zeros(len(ah_key), dtype=np.int64)

    # failed checks per agreement (in force) at the evaluation and the re-check
    def count(index, flags):
        return sums(index, flags.astype(np.int64), na)

    ob1 = count(l_ag[due_now], (paid1 < due)[due_now])
    ob2 = count(l_ag[due_now], (paid2 < due)[due_now])
    dv1 = count(r_a, got1 < owed)
    dv2 = count(r_a, got2 < owed)
    ex1 = count(ah_a, exit_due & ~(held[ah_h] & (income1[ah_h] >= line_total[ah_h])))
    ex2 = count(ah_a, exit_due & ~(held[ah_h] & (income2[ah_h] >= line_total[ah_h])))
    tk1 = count(ah_a, has_task & (income1[ah_h] < task))
    tk2 = count(ah_a, has_task & (income2[ah_h] < task))
    f = in_force
    first = ob1 + dv1 + ex1 + tk1
    second = ob2 + dv2 + ex2 + tk2
    rect = f & (first > 0)
    outcome = np.where(first > 0, np.where(second > 0, 4, 3), 1)
    second_eff = np.where(first > 0, second, 0)
    a_digest = mix(mix(mix(u64(aid)) + u64(first)) + U(8) * u64(second_eff) + u64(outcome))
    h_digest = mix(mix(mix(u64(hid)) + u64(income)) + U(2) * u64(line_total)
                   + meets.astype(np.uint64))

    return {
        "households": nh,
        "income_sum": int(income.sum()),
        "line_sum": int(line_total.sum()),
        "meets": int(meets.sum()),
        "household_digest": int(h_digest.sum(dtype=np.uint64)),
        "linkage_due_sum": int(due.sum()),
        "dividend_due_sum": int(owed.sum()),
        "dividend_paid_sum": int(dpaid.sum()),
        "failed_obligations": int(ob1[f].sum()),
        "failed_dividends": int(dv1[f].sum()),
        "failed_exit": int(ex1[f].sum()),
        "failed_tasks": int(tk1[f].sum()),
        "recheck_failed_obligations": int(ob2[rect].sum()),
        "recheck_failed_dividends": int(dv2[rect].sum()),
        "recheck_failed_exit": int(ex2[rect].sum()),
        "recheck_failed_tasks": int(tk2[rect].sum()),
        "failed_other": 0,
        "compliant": int((f & (first == 0)).sum()),
        "rectification": int(rect.sum()),
        "restored": int((rect & (second == 0)).sum()),
        "terminated": int((rect & (second > 0)).sum()),
        "agreement_digest": int(a_digest[f].sum(dtype=np.uint64)),
        "outcome_mismatch": 0,
    }


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: peer_numpy.py DIR")
    directory = sys.argv[1]
    t0 = time.perf_counter()
    names = ["params", "households", "agreements", "agreement_households", "plans",
             "plan_tasks", "assured", "incomes", "injections", "dividends", "linkages", "payments"]
    tables = {name: load(directory, name) for name in names}
    t1, c1 = time.perf_counter(), time.process_time()
    answers = compute(tables)
    t2, c2 = time.perf_counter(), time.process_time()
    print(f"load_s {t1 - t0:.6f}")
    print(f"numpy_s {t2 - t1:.6f}")
    print(f"numpy_cpu_s {c2 - c1:.6f}")
    for key, value in answers.items():
        print(f"{key} {value}")


if __name__ == "__main__":
    main()
