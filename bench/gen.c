/* The benchmark's deterministic generator (see gen.h). */
#include "gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const int gen_task_years[GEN_TASK_YEARS] = {GEN_YEAR};

/* Independent streams of randomness, one 64-bit draw per (stream, number). */
enum {
    S_HOUSEHOLD = 1, S_HOUSEHOLD2, S_LINKAGE, S_PAYMENT, S_DIVIDEND_PAYMENT, S_AGREEMENT,
    S_LINKS, S_TASK
};

static uint64_t draw(const gen *g, uint64_t stream, uint64_t k)
{
    return gen_mix(gen_mix(g->seed * UINT64_C(0x9e3779b97f4a7c15) + stream) ^ k);
}

static uint64_t pow2_mask(uint64_t n)
{
    uint64_t m = 1;
    while (m < n)
        m <<= 1;
    return m - 1;
}

/* Odd multipliers make k ↦ k × mul mod 2^b a bijection: unique, scrambled ids. */
#define HH_MUL UINT64_C(0x9e3779b97f4a7c15)
#define LK_MUL UINT64_C(0xd1b54a32d192ed03)

vipa_id gen_household_id(const gen *g, uint64_t k)
{
    return 1 + ((k * HH_MUL) & g->hh_mask);
}

vipa_id gen_linkage_id(const gen *g, uint64_t k)
{
    return 1 + ((k * LK_MUL) & g->lk_mask);
}

/* First of `parts` equal ranges of `total` items: ceil(k × total / parts). */
static uint64_t range_first(uint64_t k, uint64_t total, uint64_t parts)
{
    return (uint64_t)(((gen_u128)k * total + parts - 1) / parts);
}

static uint64_t range_of(uint64_t i, uint64_t total, uint64_t parts)
{
    return (uint64_t)((gen_u128)i * parts / total);
}

uint64_t gen_agreement_first(const gen *g, uint64_t a)
{
    return range_first(a, g->n, g->agreements);
}

static int links_of(const gen *g, uint64_t household)
{
    return 1 + (int)(draw(g, S_LINKS, household) % 5); /* 1..5, 3 on average */
}

int gen_init(gen *g, uint64_t households, uint64_t seed, vipa_fen line)
{
    memset(g, 0, sizeof *g);
    g->n = households ? households : 1;
    g->seed = seed;
    g->line = line;
    g->villages = g->n / 200 ? g->n / 200 : 1;
    g->towns = g->villages / 15 ? g->villages / 15 : 1;
    g->counties = g->towns / 14 ? g->towns / 14 : 1;
    g->agreements = g->n / 100 ? g->n / 100 : 1;
    g->link_base = malloc((g->agreements + 1) * sizeof *g->link_base);
    if (!g->link_base)
        return VIPA_E_NOMEM;
    uint64_t total = 0;
    for (uint64_t a = 0; a < g->agreements; a++) {
        g->link_base[a] = total;
        for (uint64_t i = gen_agreement_first(g, a); i < gen_agreement_first(g, a + 1); i++)
            total += (uint64_t)links_of(g, i);
    }
    g->link_base[g->agreements] = total;
    g->linkages = total;
    g->hh_mask = pow2_mask(g->n);
    g->lk_mask = pow2_mask(total);
    return VIPA_OK;
}

void gen_free(gen *g)
{
    free(g->link_base);
    g->link_base = NULL;
}

/* ---- areas ----------------------------------------------------------------------- */

static const char *const shangluo_names[] = {"商州区", "洛南县", "丹凤县", "商南县",
                                             "山阳县", "镇安县", "柞水县"};
static const uint64_t shangluo_codes[] = {611002, 611021, 611022, 611023, 611024, 611025, 611026};
/* Provinces with many registered poor households, for counties beyond Shangluo's seven. */
static const uint64_t provinces[] = {62, 52, 53, 45, 43, 42, 41, 36, 34, 51, 50, 15,
                                     14, 13, 22, 23, 63, 64, 65, 54, 44, 35, 37, 21};
static const char *const industries[] = {"核桃", "食用菌", "中药材", "茶叶", "生猪"};

static uint64_t county_code6(uint64_t c)
{
    if (c < 7)
        return shangluo_codes[c];
    uint64_t k = c - 7, prefecture = k / 20, county = k % 20;
    uint64_t province = provinces[(prefecture / 30) % (sizeof provinces / sizeof provinces[0])];
    return province * 10000 + (1 + prefecture % 30) * 100 + 21 + county;
}

static vipa_area_code county_code(const gen *g, uint64_t c)
{
    (void)g;
    return county_code6(c) * UINT64_C(1000000);
}

static vipa_area_code town_code(const gen *g, uint64_t t)
{
    uint64_t c = range_of(t, g->towns, g->counties);
    uint64_t k = t - range_first(c, g->towns, g->counties);
    return county_code(g, c) + (100 + k) * 1000; /* 1xx: a town (镇) */
}

static vipa_area_code village_code(const gen *g, uint64_t v)
{
    uint64_t t = range_of(v, g->villages, g->towns);
    uint64_t k = v - range_first(t, g->villages, g->towns);
    return town_code(g, t) + 200 + k; /* 2xx: a village committee (村委会) */
}

static uint64_t village_of(const gen *g, uint64_t household)
{
    return range_of(household, g->n, g->villages);
}

static const char *town_industry(const gen *g, uint64_t village)
{
    return industries[range_of(village, g->villages, g->towns) % 5];
}

enum { NAME_SIZE = 48 };

int gen_areas(const gen *g, vipa_area **out, size_t *count, char **names_out)
{
    size_t n = (size_t)(g->counties + g->towns + g->villages);
    vipa_area *areas = calloc(n, sizeof *areas);
    char *names = calloc(n, NAME_SIZE);
    if (!areas || !names) {
        free(areas);
        free(names);
        return VIPA_E_NOMEM;
    }
    size_t k = 0;
    for (uint64_t c = 0; c < g->counties; c++, k++) {
        vipa_area a = VIPA_AREA_INIT;
        a.code = county_code(g, c);
        a.level = VIPA_AREA_COUNTY;
        if (c < 7)
            snprintf(names + k * NAME_SIZE, NAME_SIZE, "%s", shangluo_names[c]);
        else
            snprintf(names + k * NAME_SIZE, NAME_SIZE, "示例县%llu", (unsigned long long)c);
        a.name = names + k * NAME_SIZE;
        areas[k] = a;
    }
    for (uint64_t t = 0; t < g->towns; t++, k++) {
        vipa_area a = VIPA_AREA_INIT;
        a.code = town_code(g, t);
        a.level = VIPA_AREA_TOWN;
        snprintf(names + k * NAME_SIZE, NAME_SIZE, "示例镇%llu", (unsigned long long)t);
        a.name = names + k * NAME_SIZE;
        a.industry = industries[t % 5];
        areas[k] = a;
    }
    for (uint64_t v = 0; v < g->villages; v++, k++) {
        vipa_area a = VIPA_AREA_INIT;
        a.code = village_code(g, v);
        a.level = VIPA_AREA_VILLAGE;
        snprintf(names + k * NAME_SIZE, NAME_SIZE, "示例村%llu", (unsigned long long)v);
        a.name = names + k * NAME_SIZE;
        areas[k] = a;
    }
    *out = areas;
    *count = n;
    *names_out = names;
    return VIPA_OK;
}

void gen_evaluations(vipa_evaluation out[2])
{
    vipa_evaluation e = VIPA_EVALUATION_INIT;
    e.year = GEN_YEAR;
    e.date = GEN_EVALUATION;
    out[0] = e;
    e.date = GEN_RECHECK;
    e.recheck = 1;
    out[1] = e;
}

/* ---- money -------------------------------------------------------------------------- */

vipa_fen gen_linkage_due(const vipa_linkage *l)
{
    if (l->kind == VIPA_LINKAGE_WAGE && l->days)
        return l->days * l->daily_wage;
    if (l->kind == VIPA_LINKAGE_LAND_RENT)
        return (l->area_cmu * l->rent_per_mu + 50) / 100; /* half away from zero, ≥ 0 */
    return l->annual;
}

typedef struct rem_slot {
    uint64_t remainder;
    size_t index;
} rem_slot;

static int by_remainder(const void *a, const void *b)
{
    const rem_slot *x = a, *y = b;
    if (x->remainder != y->remainder)
        return x->remainder > y->remainder ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

void gen_split(int64_t *parts, int64_t total, const uint64_t *weights, size_t n)
{
    static _Thread_local rem_slot slots[GEN_SPLIT_MAX];
    gen_u128 sum = 0, handed = 0;
    for (size_t k = 0; k < n; k++)
        sum += weights[k];
    for (size_t k = 0; k < n; k++) {
        gen_u128 product = (gen_u128)(uint64_t)total * weights[k];
        parts[k] = (int64_t)(product / sum);
        slots[k].remainder = (uint64_t)(product % sum);
        slots[k].index = k;
        handed += (uint64_t)parts[k];
    }
    size_t leftover = (size_t)((uint64_t)total - (uint64_t)handed);
    if (leftover)
        qsort(slots, n, sizeof *slots, by_remainder);
    for (size_t k = 0; k < leftover; k++)
        parts[slots[k].index]++;
}

/* ---- dates ------------------------------------------------------------------------ */

/* A payment made in time: 2017-06-01 .. 2018-01-25, before the evaluation. */
static vipa_date on_time(uint64_t r)
{
    int month = (int)(r % 8), day = 1 + (int)((r >> 8) % 25);
    return month == 7 ? 20180100 + day : (GEN_YEAR * 100 + 6 + month) * 100 + day;
}

/* A late payment: February to 20 April 2018, after the evaluation, before the re-check. */
static vipa_date late(uint64_t r)
{
    return (2018 * 100 + 2 + (int)(r % 3)) * 100 + 1 + (int)((r >> 8) % 20);
}

/* ---- batches ------------------------------------------------------------------------ */

#define GROW(ptr, cap, need)                                                            \
    do {                                                                                \
        if ((need) > (cap)) {                                                           \
            void *p_ = realloc((ptr), (need) * sizeof *(ptr));                          \
            if (!p_)                                                                    \
                return VIPA_E_NOMEM;                                                    \
            (ptr) = p_;                                                                 \
        }                                                                               \
    } while (0)

static int batch_reserve(gen_batch *b, size_t na, size_t nh, size_t nl)
{
    size_t np = nl + nh;
    GROW(b->entities, b->cap_a, na);
    GROW(b->agreements, b->cap_a, na);
    GROW(b->injections, b->cap_a, na);
    GROW(b->dividends, b->cap_a, na);
    GROW(b->names, b->cap_a * NAME_SIZE, na * NAME_SIZE);
    if (na > b->cap_a)
        b->cap_a = na;
    GROW(b->agreement_households, b->cap_h, nh);
    GROW(b->households, b->cap_h, nh);
    GROW(b->plans, b->cap_h, nh);
    GROW(b->task_incomes, b->cap_h * GEN_TASK_YEARS, nh * GEN_TASK_YEARS);
    GROW(b->assured, b->cap_h, nh);
    GROW(b->incomes, b->cap_h, nh);
    GROW(b->household_agreement, b->cap_h, nh);
    if (nh > b->cap_h)
        b->cap_h = nh;
    GROW(b->linkages, b->cap_l, nl);
    GROW(b->linkage_household, b->cap_l, nl);
    if (nl > b->cap_l)
        b->cap_l = nl;
    GROW(b->payments, b->cap_p, np);
    GROW(b->payment_household, b->cap_p, np);
    if (np > b->cap_p)
        b->cap_p = np;
    return VIPA_OK;
}

void gen_batch_free(gen_batch *b)
{
    free(b->entities);
    free(b->agreements);
    free(b->injections);
    free(b->dividends);
    free(b->names);
    free(b->agreement_households);
    free(b->households);
    free(b->plans);
    free(b->task_incomes);
    free(b->assured);
    free(b->incomes);
    free(b->household_agreement);
    free(b->linkages);
    free(b->linkage_household);
    free(b->payments);
    free(b->payment_household);
    memset(b, 0, sizeof *b);
}

/* An agreement's trouble: most pay in full and in time. */
enum { CLEAN = 0, LATE_PAYER, SHORT_PAYER, OPTIMISTIC_PLANS };

static int trouble_of(const gen *g, uint64_t a)
{
    uint64_t r = draw(g, S_AGREEMENT, a) % 20;
    return r < 2 ? LATE_PAYER : r < 4 ? SHORT_PAYER : r < 5 ? OPTIMISTIC_PLANS : CLEAN;
}

/* A payment of `due`: 25 % of a troubled payer's come late or short (5 % in all). */
static vipa_payment payment_of(int trouble, uint64_t r, vipa_fen due)
{
    vipa_payment p = VIPA_PAYMENT_INIT;
    p.year = GEN_YEAR;
    p.amount = due;
    p.date = on_time(r);
    int bad = (trouble == LATE_PAYER || trouble == SHORT_PAYER) && (r >> 16) % 100 < 25;
    if (bad && trouble == LATE_PAYER)
        p.date = late(r >> 24);
    else if (bad)
        p.amount = due * (vipa_fen)(50 + (r >> 24) % 46) / 100;
    return p;
}

static vipa_linkage linkage_of(const gen *g, uint64_t number, vipa_id household, vipa_id entity,
                               vipa_id agreement)
{
    uint64_t r = draw(g, S_LINKAGE, number);
    vipa_linkage l = VIPA_LINKAGE_INIT;
    l.id = gen_linkage_id(g, number);
    l.household = household;
    l.entity = entity;
    l.agreement = agreement;
    l.from_year = GEN_YEAR; /* one year: a later year would be a year of the run */
    l.to_year = GEN_YEAR;
    uint64_t pick = r % 100;
    if (pick < 30) {
        l.kind = VIPA_LINKAGE_WAGE;
        l.annual = 200000 + (vipa_fen)((r >> 8) % 600000);
    } else if (pick < 50) {
        l.kind = VIPA_LINKAGE_WAGE;
        l.days = 20 + (int64_t)((r >> 8) % 180);
        l.daily_wage = 6000 + (vipa_fen)((r >> 20) % 9001);
    } else if (pick < 75) {
        l.kind = VIPA_LINKAGE_LAND_RENT;
        l.area_cmu = 30 + (int64_t)((r >> 8) % 471);
        l.rent_per_mu = 20000 + (vipa_fen)((r >> 20) % 60001);
    } else {
        l.kind = VIPA_LINKAGE_PARTICIPATION;
        l.annual = 50000 + (vipa_fen)((r >> 8) % 250000);
    }
    return l;
}

static vipa_signer_level span(vipa_area_code core, vipa_area_code village)
{
    if (village == core)
        return VIPA_SIGNER_VILLAGE;
    if (village / 1000 == core / 1000)
        return VIPA_SIGNER_TOWN;
    if (village / 1000000 == core / 1000000)
        return VIPA_SIGNER_COUNTY;
    return VIPA_SIGNER_NOT_PROVIDED;
}

typedef struct member {
    vipa_id id;
    size_t k; /* index in the batch */
} member;

static int by_member(const void *a, const void *b)
{
    const member *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* The dividend each household of agreement a is owed for GEN_YEAR: its shares are its
 * part of the injection's poor share (70 %, split by household or member, ties to the
 * lower id); a rate is paid on them half away from zero, a pool is split over every
 * holder (the households by id, then the village collective holding the rest). */
static void dividends_owed(const gen_batch *b, size_t k0, size_t k1, const vipa_injection *in,
                           const vipa_dividend *d, vipa_fen *owed)
{
    size_t n = k1 - k0;
    member m[GEN_SPLIT_MAX];
    uint64_t w[GEN_SPLIT_MAX + 1];
    int64_t parts[GEN_SPLIT_MAX + 1], dues[GEN_SPLIT_MAX + 1];
    for (size_t k = 0; k < n; k++)
        m[k] = (member){b->households[k0 + k].id, k0 + k};
    qsort(m, n, sizeof *m, by_member);
    for (size_t k = 0; k < n; k++)
        w[k] = in->allocation == VIPA_ALLOCATION_PER_MEMBER
                   ? (uint64_t)b->households[m[k].k].members : 1;
    vipa_fen poor = in->amount * 7000 / 10000, rest = in->amount - poor;
    gen_split(parts, poor, w, n);
    size_t holders = 0;
    for (size_t k = 0; k < n; k++)
        if (parts[k] > 0)
            w[holders++] = (uint64_t)parts[k];
    if (rest > 0)
        w[holders++] = (uint64_t)rest;
    if (d->rate_bp < 0)
        gen_split(dues, d->pool, w, holders);
    for (size_t k = 0, h = 0; k < n; k++) {
        vipa_fen due = 0;
        if (parts[k] > 0)
            due = d->rate_bp >= 0 ? (parts[k] * d->rate_bp + 5000) / 10000 : dues[h++];
        owed[m[k].k - k0] = due;
    }
}

int gen_batch_make(const gen *g, uint64_t a0, uint64_t a1, gen_batch *b)
{
    uint64_t h0 = gen_agreement_first(g, a0), h1 = gen_agreement_first(g, a1);
    size_t na = (size_t)(a1 - a0), nh = (size_t)(h1 - h0);
    size_t nl = (size_t)(g->link_base[a1] - g->link_base[a0]);
    if (batch_reserve(b, na, nh, nl) != VIPA_OK)
        return VIPA_E_NOMEM;
    b->a0 = a0;
    b->a1 = a1;
    b->first_household = h0;
    b->first_linkage = g->link_base[a0];
    b->na = na;
    b->nh = nh;
    b->nl = 0;
    b->np = 0;
    size_t k = 0;
    for (uint64_t a = a0; a < a1; a++) {
        size_t j = (size_t)(a - a0);
        uint64_t first = gen_agreement_first(g, a), end = gen_agreement_first(g, a + 1);
        uint64_t r = draw(g, S_AGREEMENT, a);
        vipa_id entity_id = a + 1, agreement_id = a + 1;
        vipa_area_code core = village_code(g, village_of(g, first));
        int trouble = trouble_of(g, a);

        vipa_entity e = VIPA_ENTITY_INIT;
        e.id = entity_id;
        snprintf(b->names + j * NAME_SIZE, NAME_SIZE, "示例主体%llu", (unsigned long long)e.id);
        e.name = b->names + j * NAME_SIZE;
        e.kind = (vipa_entity_kind)(1 + a % 5);
        e.core_village = core;
        e.industry = town_industry(g, village_of(g, first));
        e.selection = VIPA_SELECT_ALL;
        b->entities[j] = e;

        vipa_agreement ag = VIPA_AGREEMENT_INIT;
        ag.id = agreement_id;
        ag.entity = entity_id;
        ag.households = b->agreement_households + k;
        ag.household_len = (size_t)(end - first);
        ag.household_count = (int64_t)(end - first);
        ag.project_count = 2;
        ag.support_count = 2;
        ag.start = 20161101;
        ag.end = 20191231;
        ag.exit_deadline = 2019;
        ag.signed_on = 20161115;
        ag.signer_level = span(core, village_code(g, village_of(g, end - 1)));
        vipa_area_code unit = ag.signer_level == VIPA_SIGNER_VILLAGE ? 1
                              : ag.signer_level == VIPA_SIGNER_TOWN  ? 1000
                                                                     : 1000000;
        ag.signer_area = ag.signer_level == VIPA_SIGNER_NOT_PROVIDED ? 0 : core - core % unit;
        b->agreements[j] = ag;

        vipa_injection in = VIPA_INJECTION_INIT;
        in.id = a + 1;
        in.entity = entity_id;
        in.agreement = agreement_id;
        in.date = 20161201;
        in.amount = (vipa_fen)(end - first) * (300000 + (vipa_fen)((r >> 8) % 200000)) +
                    (vipa_fen)((r >> 32) % 100);
        in.allocation = a % 2 ? VIPA_ALLOCATION_PER_MEMBER : VIPA_ALLOCATION_PER_HOUSEHOLD;
        b->injections[j] = in;

        vipa_dividend d = VIPA_DIVIDEND_INIT;
        d.entity = entity_id;
        d.year = GEN_YEAR;
        if (a % 3 != 2)
            d.rate_bp = 500 + (vipa_bp)((r >> 40) % 701);
        else
            d.pool = in.amount * (vipa_fen)(400 + (r >> 40) % 401) / 10000 +
                     (vipa_fen)((r >> 52) % 100);
        b->dividends[j] = d;

        size_t k0 = k;
        for (uint64_t i = first; i < end; i++, k++) {
            uint64_t r1 = draw(g, S_HOUSEHOLD, i);
            vipa_household h = VIPA_HOUSEHOLD_INIT;
            h.id = gen_household_id(g, i);
            h.village = village_code(g, village_of(g, i));
            h.members = 1 + (int)(r1 % 6);
            h.labour = (int)((r1 >> 8) % (uint64_t)(h.members + 1));
            h.cause = (vipa_cause)(1 + (r1 >> 16) % 11);
            h.willing = (r1 >> 24) % 100 < 92;
            b->households[k] = h;
            b->agreement_households[k] = h.id;
            b->household_agreement[k] = (uint32_t)j;
        }
        vipa_fen owed[GEN_SPLIT_MAX];
        dividends_owed(b, k0, k, &in, &d, owed);

        uint64_t number = g->link_base[a];
        for (size_t hk = k0; hk < k; hk++) {
            uint64_t i = first + (hk - k0);
            const vipa_household *h = &b->households[hk];
            uint64_t r2 = draw(g, S_HOUSEHOLD2, i);
            vipa_fen planned = 0;
            int links = links_of(g, i);
            for (int q = 0; q < links; q++, number++) {
                vipa_linkage l = linkage_of(g, number, h->id, entity_id, agreement_id);
                vipa_fen due = gen_linkage_due(&l);
                planned += due;
                b->linkage_household[b->nl] = (uint32_t)hk;
                b->linkages[b->nl++] = l;
                vipa_payment p = payment_of(trouble, draw(g, S_PAYMENT, number), due);
                p.linkage = l.id;
                b->payment_household[b->np] = (uint32_t)hk;
                b->payments[b->np++] = p;
            }
            vipa_fen div = owed[hk - k0];
            planned += div;
            if (div > 0) {
                vipa_payment p = payment_of(trouble, draw(g, S_DIVIDEND_PAYMENT, i), div);
                p.entity = entity_id;
                p.household = h->id;
                b->payment_household[b->np] = (uint32_t)hk;
                b->payments[b->np++] = p;
            }

            vipa_income inc = VIPA_INCOME_INIT;
            inc.household = h->id;
            inc.year = GEN_YEAR;
            inc.other = (vipa_fen)(r2 % 500000) - 100000; /* -1000.00 .. 3999.99: may be a loss */
            b->incomes[hk] = inc;
            planned += inc.other;

            vipa_assured as = VIPA_ASSURED_INIT;
            as.household = h->id;
            as.year = GEN_YEAR;
            as.items = (r2 >> 20) % 100 < 92 ? VIPA_ASSURED_ITEMS_ALL
                                              : VIPA_ASSURED_ITEMS_ALL & ~(1u << ((r2 >> 28) % 5));
            b->assured[hk] = as;

            /* The exit target: the year it is on course to meet the standard; a plan of
             * an agreement with optimistic plans sets 2017 for some that will not. */
            int on_course = planned >= g->line * h->members && as.items == VIPA_ASSURED_ITEMS_ALL;
            uint64_t choice = (r2 >> 32) % 100;
            vipa_plan pl = VIPA_PLAN_INIT;
            pl.household = h->id;
            pl.agreement = agreement_id;
            pl.exit_target = on_course ? (choice < 70 ? 2017 : 2018)
                             : trouble == OPTIMISTIC_PLANS && choice < 15 ? 2017 : 2019;
            pl.industry_count = 1;
            pl.measure_count = 2;
            pl.task_years = gen_task_years;
            /* The annual task's income target: a conservative 70..85 % of the income
             * planned (dues, dividend, other income), so that a household misses it only
             * when enough of its payments come late or short (a few percent of all). A
             * household with no income planned (other income a loss as large as its
             * dues) gets a task without an income target. */
            vipa_fen margin = 70 + (vipa_fen)(draw(g, S_TASK, i) % 16);
            vipa_fen *tasks = b->task_incomes + hk * GEN_TASK_YEARS;
            for (int y = 0; y < GEN_TASK_YEARS; y++)
                tasks[y] = planned > 0 ? planned * (margin + 5 * y) / 100 : VIPA_FEN_UNSET;
            pl.task_incomes = tasks;
            pl.task_len = GEN_TASK_YEARS;
            pl.filed = VIPA_FILED_ALL;
            pl.person_task_count = (size_t)h->members;
            b->plans[hk] = pl;
        }
    }
    return VIPA_OK;
}
