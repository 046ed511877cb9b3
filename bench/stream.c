/*
 * The stream floor: the whole computation in one sequential pass over the columns, in
 * the order the records were generated (agreement, its households, each household's
 * linkages and payments). Nothing is indexed, sorted or looked up, except the ~100
 * households of one agreement sorted by id for the exact splits, in cache. It is the
 * memory-bandwidth limit the library is measured against, and an independent
 * implementation of the same answers.
 */
#include <stdlib.h>
#include <string.h>

#include "peers.h"

typedef struct by_id {
    uint64_t id;
    uint32_t k;
} by_id;

static int compare_id(const void *a, const void *b)
{
    const by_id *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* The dividend owed to each household [h0, h1) of agreement a (see gen.c). */
static void owed_of(const flat *f, uint64_t a, uint64_t h0, uint64_t h1, int64_t *owed)
{
    size_t n = (size_t)(h1 - h0);
    by_id m[GEN_SPLIT_MAX];
    uint64_t w[GEN_SPLIT_MAX + 1];
    int64_t parts[GEN_SPLIT_MAX + 1], dues[GEN_SPLIT_MAX + 1];
    for (size_t k = 0; k < n; k++)
        m[k] = (by_id){f->h_id[h0 + k], (uint32_t)k};
    qsort(m, n, sizeof *m, compare_id);
    for (size_t k = 0; k < n; k++)
        w[k] = f->a_per_member[a] ? f->h_members[h0 + m[k].k] : 1;
    int64_t poor = f->a_amount[a] * 7000 / 10000, rest = f->a_amount[a] - poor;
    gen_split(parts, poor, w, n);
    size_t holders = 0;
    for (size_t k = 0; k < n; k++)
        if (parts[k] > 0)
            w[holders++] = (uint64_t)parts[k];
    if (rest > 0)
        w[holders++] = (uint64_t)rest;
    int32_t rate = f->a_rate[a];
    if (rate < 0)
        gen_split(dues, f->a_pool[a], w, holders);
    for (size_t k = 0, h = 0; k < n; k++) {
        int64_t due = 0;
        if (parts[k] > 0)
            due = rate >= 0 ? (parts[k] * rate + 5000) / 10000 : dues[h++];
        owed[m[k].k] = due;
    }
}

void stream_floor(const flat *f, answers *out)
{
    answers r;
    memset(&r, 0, sizeof r);
    int64_t owed[GEN_SPLIT_MAX];
    uint64_t l = 0, p = 0;
    const int64_t line = f->line;
    for (uint64_t a = 0; a < f->na; a++) {
        uint64_t h0 = f->a_first[a], h1 = f->a_first[a + 1];
        owed_of(f, a, h0, h1, owed);
        uint64_t failed[2][CHECK_KINDS] = {{0}};
        for (uint64_t h = h0; h < h1; h++) {
            int64_t all = f->h_other[h], at[2] = {all, all};
            for (; l < f->nl && f->l_household[l] == h; l++) {
                int64_t due = flat_due(f, l), paid = 0, paid_at[2] = {0, 0};
                for (; p < f->np && !f->p_dividend[p] && f->p_target[p] == l; p++) {
                    int64_t amount = f->p_amount[p];
                    int32_t date = f->p_date[p];
                    paid += amount;
                    paid_at[0] += date <= GEN_EVALUATION ? amount : 0;
                    paid_at[1] += date <= GEN_RECHECK ? amount : 0;
                }
                r.linkage_due_sum += due;
                all += paid;
                at[0] += paid_at[0];
                at[1] += paid_at[1];
                failed[0][CHECK_OBLIGATIONS] += paid_at[0] < due;
                failed[1][CHECK_OBLIGATIONS] += paid_at[1] < due;
            }
            int64_t div = 0, div_at[2] = {0, 0}, due = owed[h - h0];
            for (; p < f->np && f->p_dividend[p] && f->p_target[p] == h; p++) {
                int64_t amount = f->p_amount[p];
                int32_t date = f->p_date[p];
                div += amount;
                div_at[0] += date <= GEN_EVALUATION ? amount : 0;
                div_at[1] += date <= GEN_RECHECK ? amount : 0;
            }
            r.dividend_due_sum += due;
            r.dividend_paid_sum += div;
            failed[0][CHECK_DIVIDENDS] += div_at[0] < due;
            failed[1][CHECK_DIVIDENDS] += div_at[1] < due;
            all += div;
            at[0] += div_at[0];
            at[1] += div_at[1];

            int64_t line_total = line * f->h_members[h];
            int held = f->h_assured[h] == VIPA_ASSURED_ITEMS_ALL;
            int meets = held && all >= line_total;
            r.households++;
            r.income_sum += all;
            r.line_sum += line_total;
            r.meets += (uint64_t)meets;
            r.household_digest += household_digest(f->h_id[h], all, line_total, meets);
            /* the exit deadline: the earlier of the agreement's and the plan's target */
            int deadline = f->a_deadline[a], target = f->h_target[h];
            if (!deadline || (target && target < deadline))
                deadline = target;
            if (deadline && deadline <= GEN_YEAR) {
                failed[0][CHECK_EXIT] += !(held && at[0] >= line_total);
                failed[1][CHECK_EXIT] += !(held && at[1] >= line_total);
            }
            /* the plan's income target of the year */
            int64_t task = f->h_task[h];
            if (task != VIPA_FEN_UNSET) {
                failed[0][CHECK_TASKS] += at[0] < task;
                failed[1][CHECK_TASKS] += at[1] < task;
            }
        }
        answers_agreement(&r, f->a_id[a], failed[0], failed[1]);
    }
    *out = r;
}

/* Sums every byte of the columns as 64-bit words: the bare cost of reading them once
 * (the memory bandwidth), for reference. Returns the sum so it is not optimised away. */
static uint64_t read_words(const void *p, size_t bytes)
{
    const unsigned char *c = p;
    uint64_t sum = 0, w;
    size_t i = 0;
    for (; i + 8 <= bytes; i += 8) {
        memcpy(&w, c + i, 8);
        sum += w;
    }
    for (; i < bytes; i++)
        sum += c[i];
    return sum;
}

uint64_t stream_read(const flat *f)
{
    uint64_t s = 0;
    s += read_words(f->a_id, f->na * 8) + read_words(f->a_first, f->na * 4) +
         read_words(f->a_amount, f->na * 8) + read_words(f->a_per_member, f->na) +
         read_words(f->a_rate, f->na * 4) + read_words(f->a_pool, f->na * 8) +
         read_words(f->a_deadline, f->na * 4);
    s += read_words(f->h_id, f->nh * 8) + read_words(f->h_village, f->nh * 8) +
         read_words(f->h_members, f->nh) + read_words(f->h_assured, f->nh) +
         read_words(f->h_target, f->nh * 2) + read_words(f->h_task, f->nh * 8) +
         read_words(f->h_other, f->nh * 8);
    s += read_words(f->l_id, f->nl * 8) + read_words(f->l_household, f->nl * 4) +
         read_words(f->l_kind, f->nl) + read_words(f->l_amount, f->nl * 8) +
         read_words(f->l_units, f->nl * 4);
    s += read_words(f->p_target, f->np * 4) + read_words(f->p_dividend, f->np) +
         read_words(f->p_amount, f->np * 8) + read_words(f->p_date, f->np * 4);
    return s;
}
