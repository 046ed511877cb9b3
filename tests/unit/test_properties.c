/*
 * Property tests over random but valid scenarios, built through the public C API by a
 * seeded generator (reproducible: every failure names its seed; rerun one round with
 * VIPA_PROPERTY_SEED=<seed> VIPA_PROPERTY_ROUNDS=1, or set VIPA_PROPERTY_ROUNDS for more).
 *
 * Each round generates areas of Shangluo's shape (real county codes), entities,
 * households and their guarantees, agreements with plans, linkages of every kind,
 * injections under every allocation, contributions, share transfers, rate and pool
 * dividends, payments (some late, some short, some split), other incomes, evaluations
 * and re-checks, and checks that:
 *   (a) run → report equals export → load into a fresh context → run → report, byte
 *       for byte, stamp included (and exporting the reloaded context gives the same text);
 *   (b) the same records added in a shuffled order, in several batches per kind and
 *       kinds in a random order their references allow, give the same report;
 *   (c) the report's figures equal sums computed here from the generator's own records:
 *       each injection's allocations (an exact split computed here independently, its
 *       households' part trunc(amount × poor_share_bp / 10000), all parts summing to the
 *       amount), each household-year's income (its payments + other income), and each
 *       rate dividend's dues (the half-away-from-zero products on holdings computed here).
 *
 * A few fixed tests of vipa_scenario_export() itself (arguments, escaping, placeholders,
 * limits) come first.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "registry_internal.h" /* VIPA_RECORD_KINDS, for the adders */
#include "vipa.h"

__extension__ typedef __int128 i128; /* exact products, as the library's own */

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))
#define DEFAULT_ROUNDS 200
#define DEFAULT_SEED UINT64_C(20160915)

/* ---- failures name the seed ------------------------------------------------------------- */

static uint64_t current_seed;

#define CHECK(cond, ...)                                                                   \
    do {                                                                                   \
        if (!(cond)) {                                                                     \
            print_error("seed %llu: ", (unsigned long long)current_seed);                  \
            print_error(__VA_ARGS__);                                                      \
            print_error("\nrerun: VIPA_PROPERTY_SEED=%llu VIPA_PROPERTY_ROUNDS=1\n",       \
                        (unsigned long long)current_seed);                                 \
            fail();                                                                        \
        }                                                                                  \
    } while (0)

#define CHECK_OK(ctx, call)                                                                \
    do {                                                                                   \
        int rc_ = (call);                                                                  \
        CHECK(rc_ == VIPA_OK, "%s gave %s: %s", #call, vipa_error_name(rc_),               \
              vipa_ctx_errmsg(ctx));                                                       \
    } while (0)

/* ---- a seeded generator (splitmix64) ------------------------------------------------------ */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* lo..hi inclusive (the modulo bias is irrelevant here). */
static int64_t between(rng *r, int64_t lo, int64_t hi)
{
    return lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1));
}

static int chance(rng *r, int percent)
{
    return between(r, 0, 99) < percent;
}

static vipa_date day(int y, int m, int d)
{
    return y * 10000 + m * 100 + d;
}

/* A day from 2016-12-01 to 2017-12-28: when funds and capital come in. */
static vipa_date equity_day(rng *r)
{
    int m = (int)between(r, 0, 12);
    return m == 0 ? day(2016, 12, (int)between(r, 1, 28)) : day(2017, m, (int)between(r, 1, 28));
}

/* A day on or after `from`, up to 2018-12-28. */
static vipa_date day_from(rng *r, vipa_date from)
{
    vipa_date d = day((int)between(r, 2016, 2018), (int)between(r, 1, 12), (int)between(r, 1, 28));
    return d < from ? from : d;
}

/* n distinct values lo..hi (n far below the range). */
static void distinct(rng *r, uint64_t *out, size_t n, int64_t lo, int64_t hi)
{
    for (size_t i = 0; i < n; i++) {
        int again;
        do {
            out[i] = (uint64_t)between(r, lo, hi);
            again = 0;
            for (size_t k = 0; k < i; k++)
                again |= out[k] == out[i];
        } while (again);
    }
}

static void shuffle(rng *r, void *items, size_t n, size_t size)
{
    char tmp[256];
    assert_true(size <= sizeof tmp);
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)between(r, 0, (int64_t)i - 1);
        char *a = (char *)items + (i - 1) * size, *b = (char *)items + j * size;
        memcpy(tmp, a, size);
        memcpy(a, b, size);
        memcpy(b, tmp, size);
    }
}

/* ---- the generator's records ------------------------------------------------------------- */

enum {
    MAX_AREAS = 32, MAX_ENTITIES = 4, MAX_HOUSEHOLDS = 24, MAX_AGREEMENTS = 8,
    MAX_COVERED = 8, MAX_PLANS = MAX_AGREEMENTS * MAX_COVERED, MAX_LINKAGES = 160,
    MAX_INJECTIONS = 16, MAX_SHARERS = 6, MAX_CONTRIBUTIONS = 6,
    MAX_TRANSFERS = MAX_CONTRIBUTIONS + MAX_INJECTIONS, MAX_DIVIDENDS = MAX_ENTITIES * 3,
    MAX_PAYMENTS = 1600, MAX_ASSURED = MAX_HOUSEHOLDS * 3, MAX_INCOMES = MAX_HOUSEHOLDS * 3,
    MAX_EVALUATIONS = 6, FIRST_YEAR = 2017, LAST_YEAR = 2019
};

typedef struct scenario {
    /* the profile */
    int64_t poor_share_bp;
    const char *allocation, *remainder;
    int require_guarantees;
    vipa_fen line_2017; /* 0: the built-in line */
    vipa_area areas[MAX_AREAS];
    size_t n_areas;
    vipa_area_code villages[MAX_AREAS];
    size_t n_villages;
    vipa_entity entities[MAX_ENTITIES];
    size_t n_entities;
    vipa_household households[MAX_HOUSEHOLDS];
    size_t n_households;
    vipa_assured assured[MAX_ASSURED];
    size_t n_assured;
    vipa_agreement agreements[MAX_AGREEMENTS];
    vipa_id covered[MAX_AGREEMENTS][MAX_COVERED];
    size_t n_agreements;
    vipa_plan plans[MAX_PLANS];
    int task_years[MAX_PLANS][3];
    vipa_fen task_incomes[MAX_PLANS][3];
    size_t n_plans;
    vipa_linkage linkages[MAX_LINKAGES];
    size_t n_linkages;
    vipa_injection injections[MAX_INJECTIONS];
    vipa_id sharers[MAX_INJECTIONS][MAX_SHARERS];
    uint64_t weights[MAX_INJECTIONS][MAX_SHARERS];
    size_t n_injections;
    vipa_contribution contributions[MAX_CONTRIBUTIONS];
    size_t n_contributions;
    vipa_transfer transfers[MAX_TRANSFERS];
    size_t n_transfers;
    vipa_dividend dividends[MAX_DIVIDENDS];
    size_t n_dividends;
    vipa_payment payments[MAX_PAYMENTS];
    size_t n_payments;
    vipa_income incomes[MAX_INCOMES];
    size_t n_incomes;
    vipa_evaluation evaluations[MAX_EVALUATIONS];
    size_t n_evaluations;
} scenario;

/* Names with what JSON must escape (quotes, backslashes, control characters). */
static const char *const names[] = {"商州区", "洛南县", "城关街道", "杏树园村", "Village \"A\"",
                                    "back\\slash", "tab\tand\nnewline", "村/社区", "\x01" "ctl"};
static const char *const industries[] = {"walnut", "核桃", "chestnut", "茶叶"};
static const int counties[] = {611002, 611021, 611022, 611023, 611024, 611025, 611026};

static const char *pick(rng *r, const char *const *words, size_t n)
{
    return words[between(r, 0, (int64_t)n - 1)];
}

static void gen_profile(rng *r, scenario *s)
{
    s->poor_share_bp = chance(r, 70) ? 7000 : between(r, 0, 10000);
    s->allocation = chance(r, 70) ? "per_household" : "per_member";
    s->remainder = chance(r, 75) ? "village_collective" : "entity";
    s->require_guarantees = chance(r, 70);
    s->line_2017 = chance(r, 30) ? between(r, 250000, 400000) : 0;
}

static void push_area(rng *r, scenario *s, vipa_area_code code, vipa_area_level level)
{
    vipa_area a = VIPA_AREA_INIT;
    a.code = code;
    a.level = level;
    a.name = pick(r, names, COUNT_OF(names));
    if (level == VIPA_AREA_TOWN && chance(r, 50))
        a.industry = pick(r, industries, COUNT_OF(industries));
    s->areas[s->n_areas++] = a;
    if (level == VIPA_AREA_VILLAGE)
        s->villages[s->n_villages++] = code;
}

/* 1–2 counties of Shangluo, 1–3 towns each, 1–3 villages each: parents first. */
static void gen_areas(rng *r, scenario *s)
{
    uint64_t county[2], town[3], village[3];
    size_t nc = (size_t)between(r, 1, 2);
    distinct(r, county, nc, 0, COUNT_OF(counties) - 1);
    for (size_t c = 0; c < nc; c++) {
        vipa_area_code cc = (vipa_area_code)counties[county[c]] * 1000000;
        push_area(r, s, cc, VIPA_AREA_COUNTY);
        size_t nt = (size_t)between(r, 1, 3);
        distinct(r, town, nt, 1, 30);
        for (size_t t = 0; t < nt; t++) {
            push_area(r, s, cc + town[t] * 1000, VIPA_AREA_TOWN);
            size_t nv = (size_t)between(r, 1, 3);
            distinct(r, village, nv, 1, 250);
            for (size_t v = 0; v < nv; v++)
                push_area(r, s, cc + town[t] * 1000 + village[v], VIPA_AREA_VILLAGE);
        }
    }
}

static vipa_area_code any_village(rng *r, const scenario *s)
{
    return s->villages[between(r, 0, (int64_t)s->n_villages - 1)];
}

static void gen_entities(rng *r, scenario *s)
{
    uint64_t ids[MAX_ENTITIES];
    s->n_entities = (size_t)between(r, 1, MAX_ENTITIES);
    distinct(r, ids, s->n_entities, 1, 500);
    for (size_t i = 0; i < s->n_entities; i++) {
        vipa_entity e = VIPA_ENTITY_INIT;
        e.id = ids[i];
        e.name = pick(r, names, COUNT_OF(names));
        e.kind = (vipa_entity_kind)between(r, 1, 5);
        e.uscc = chance(r, 30) ? "93611002MA6Y00001U" : NULL;
        e.core_village = any_village(r, s);
        e.industry = pick(r, industries, COUNT_OF(industries));
        e.selection = chance(r, 60) ? VIPA_SELECT_ALL : (unsigned)between(r, 0, 255);
        s->entities[i] = e;
    }
}

static int by_household_id(const void *a, const void *b)
{
    const vipa_household *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

static void gen_households(rng *r, scenario *s)
{
    uint64_t ids[MAX_HOUSEHOLDS];
    s->n_households = (size_t)between(r, 3, MAX_HOUSEHOLDS);
    distinct(r, ids, s->n_households, 1, 99999);
    for (size_t i = 0; i < s->n_households; i++) {
        vipa_household h = VIPA_HOUSEHOLD_INIT;
        h.id = ids[i];
        h.village = any_village(r, s);
        h.members = (int)between(r, 1, 8);
        h.labour = (int)between(r, 0, h.members);
        h.cause = (vipa_cause)between(r, 1, 11);
        h.willing = chance(r, 85);
        h.exited_year = chance(r, 10) ? 2016 : 0;
        s->households[i] = h;
        for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
            if (!chance(r, 60))
                continue;
            vipa_assured a = VIPA_ASSURED_INIT;
            a.household = h.id;
            a.year = y;
            a.items = chance(r, 70) ? VIPA_ASSURED_ITEMS_ALL : (unsigned)between(r, 0, 31);
            s->assured[s->n_assured++] = a;
        }
    }
    /* In id order, the order the export writes them: the context of (a) and its reload
     * then hold each household at the same index, so (a) tests the round trip alone, and
     * a report that depends on the order of adding is for (b) to find, which shuffles
     * them. (Such a dependence was found and fixed: COVERAGE_CORE_VILLAGE names the
     * households it leaves out by id, not in the order they were added.) */
    qsort(s->households, s->n_households, sizeof *s->households, by_household_id);
}

static const vipa_household *household_of(const scenario *s, vipa_id id)
{
    for (size_t i = 0; i < s->n_households; i++)
        if (s->households[i].id == id)
            return &s->households[i];
    return NULL;
}

static const vipa_entity *entity_of(const scenario *s, vipa_id id)
{
    for (size_t i = 0; i < s->n_entities; i++)
        if (s->entities[i].id == id)
            return &s->entities[i];
    return NULL;
}

static vipa_id any_household(rng *r, const scenario *s)
{
    return s->households[between(r, 0, (int64_t)s->n_households - 1)].id;
}

/* The signer: computed as 四(二) calls for, unrecorded, or the core village's (maybe wrong). */
static void gen_signer(rng *r, const scenario *s, vipa_agreement *a, const vipa_entity *e)
{
    vipa_area_code villages[MAX_COVERED];
    for (size_t k = 0; k < a->household_len; k++)
        villages[k] = household_of(s, a->households[k])->village;
    if (chance(r, 70)) {
        assert_int_equal(vipa_signer_compute(&a->signer_level, &a->signer_area, e->core_village,
                                             villages, a->household_len), VIPA_OK);
    } else if (chance(r, 50)) {
        a->signer_level = VIPA_SIGNER_VILLAGE;
        a->signer_area = e->core_village;
    }
}

static void gen_agreement(rng *r, scenario *s, const vipa_entity *e, vipa_id id)
{
    size_t i = s->n_agreements++;
    vipa_agreement a = VIPA_AGREEMENT_INIT;
    a.id = id;
    a.entity = e->id;
    a.household_len = chance(r, 10) ? 0 : (size_t)between(r, 1, MAX_COVERED);
    if (a.household_len > s->n_households)
        a.household_len = s->n_households;
    uint64_t picks[MAX_COVERED];
    distinct(r, picks, a.household_len, 0, (int64_t)s->n_households - 1);
    for (size_t k = 0; k < a.household_len; k++)
        s->covered[i][k] = s->households[picks[k]].id;
    a.households = s->covered[i];
    a.household_count = chance(r, 20) ? -1 : (int64_t)a.household_len + (chance(r, 25) ? 1 : 0);
    a.project_count = (size_t)between(r, 0, 3);
    a.support_count = (size_t)between(r, 0, 2);
    if (chance(r, 85)) {
        a.start = day(2016, 11, (int)between(r, 1, 30));
        a.end = day(2019, 12, 31);
    }
    a.exit_deadline = chance(r, 70) ? (int)between(r, FIRST_YEAR, LAST_YEAR) : 0;
    a.signed_on = chance(r, 90) ? day(2016, 11, 15) : 0;
    gen_signer(r, s, &a, e);
    s->agreements[i] = a;
}

static void gen_agreements(rng *r, scenario *s)
{
    uint64_t ids[MAX_AGREEMENTS];
    distinct(r, ids, MAX_AGREEMENTS, 1, 999);
    for (size_t e = 0; e < s->n_entities; e++) {
        int n = (int)between(r, 1, 2);
        for (int k = 0; k < n; k++)
            gen_agreement(r, s, &s->entities[e], ids[s->n_agreements]);
    }
}

static void gen_plan(rng *r, scenario *s, const vipa_agreement *a, vipa_id household)
{
    size_t i = s->n_plans++;
    vipa_plan p = VIPA_PLAN_INIT;
    p.household = household;
    p.agreement = a->id;
    p.exit_target = chance(r, 70) ? (int)between(r, FIRST_YEAR, LAST_YEAR) : 0;
    p.industry_count = (size_t)between(r, 0, 2);
    p.measure_count = (size_t)between(r, 0, 3);
    for (int y = FIRST_YEAR; y <= LAST_YEAR; y++)
        if (chance(r, 50)) {
            s->task_years[i][p.task_len] = y;
            s->task_incomes[i][p.task_len++] = between(r, 0, 2000000);
        }
    p.task_years = s->task_years[i];
    p.task_incomes = chance(r, 60) ? s->task_incomes[i] : NULL;
    p.filed = chance(r, 70) ? VIPA_FILED_ALL : (unsigned)between(r, 0, 7);
    p.person_task_count = (size_t)between(r, 0, 3);
    s->plans[i] = p;
}

static void gen_plans(rng *r, scenario *s)
{
    for (size_t i = 0; i < s->n_agreements; i++)
        for (size_t k = 0; k < s->agreements[i].household_len; k++)
            if (chance(r, 85))
                gen_plan(r, s, &s->agreements[i], s->agreements[i].households[k]);
}

/* ---- linkages and what is due under them ----------------------------------------------- */

/* The yearly due, computed here: land rent half away from zero (all positive). */
static vipa_fen linkage_due(const vipa_linkage *l)
{
    if (l->kind == VIPA_LINKAGE_LAND_RENT)
        return (vipa_fen)(((i128)l->rent_per_mu * l->area_cmu + 50) / 100);
    if (l->kind == VIPA_LINKAGE_WAGE && l->days)
        return l->daily_wage * l->days;
    return l->annual;
}

static void gen_linkage(rng *r, scenario *s, const vipa_agreement *a, vipa_id household,
                        vipa_id id)
{
    vipa_linkage l = VIPA_LINKAGE_INIT;
    l.id = id;
    l.kind = (vipa_linkage_kind)between(r, 1, 3);
    l.household = household;
    l.entity = a->entity;
    l.agreement = a->id;
    l.from_year = (int)between(r, FIRST_YEAR, LAST_YEAR);
    l.to_year = (int)between(r, l.from_year, LAST_YEAR);
    if (l.kind == VIPA_LINKAGE_LAND_RENT) {
        l.area_cmu = between(r, 1, 1000);
        l.rent_per_mu = between(r, 10000, 80000);
    } else if (l.kind == VIPA_LINKAGE_WAGE && chance(r, 50)) {
        l.days = between(r, 1, 366);
        l.daily_wage = between(r, 5000, 20000);
    } else {
        l.annual = l.kind == VIPA_LINKAGE_WAGE ? between(r, 100000, 2000000)
                                               : between(r, 0, 500000);
    }
    s->linkages[s->n_linkages++] = l;
}

/* Linkages of covered households, and now and then one of a household the agreement
 * does not list (LINKAGE_UNDER_AGREEMENT then has something to say). */
static void gen_linkages(rng *r, scenario *s)
{
    uint64_t ids[MAX_LINKAGES];
    distinct(r, ids, MAX_LINKAGES, 1, 9999);
    for (size_t i = 0; i < s->n_agreements; i++) {
        const vipa_agreement *a = &s->agreements[i];
        for (size_t k = 0; k < a->household_len; k++)
            for (int n = (int)between(r, 0, 2); n > 0; n--)
                gen_linkage(r, s, a, a->households[k], ids[s->n_linkages]);
        if (chance(r, 20))
            gen_linkage(r, s, a, any_household(r, s), ids[s->n_linkages]);
    }
}

/* ---- equity ---------------------------------------------------------------------------- */

static void gen_sharers(rng *r, scenario *s, size_t i, vipa_injection *in)
{
    uint64_t picks[MAX_SHARERS];
    in->household_len = (size_t)between(r, 1, MAX_SHARERS);
    if (in->household_len > s->n_households)
        in->household_len = s->n_households;
    distinct(r, picks, in->household_len, 0, (int64_t)s->n_households - 1);
    uint64_t sum = 0;
    for (size_t k = 0; k < in->household_len; k++) {
        s->sharers[i][k] = s->households[picks[k]].id; /* in no particular order */
        s->weights[i][k] = (uint64_t)between(r, 0, 10);
        sum += s->weights[i][k];
    }
    if (sum == 0)
        s->weights[i][0] = 1;
    in->households = s->sharers[i];
    in->weights = in->allocation == VIPA_ALLOCATION_WEIGHTS ? s->weights[i] : NULL;
}

static void gen_injection(rng *r, scenario *s, const vipa_agreement *a, vipa_id id)
{
    size_t i = s->n_injections++;
    vipa_injection in = VIPA_INJECTION_INIT;
    in.id = id;
    in.entity = a->entity;
    in.agreement = a->id;
    in.date = equity_day(r);
    in.amount = between(r, 1, 1000000000);
    in.allocation = (vipa_allocation)between(r, 0, 3);
    if (in.allocation == VIPA_ALLOCATION_WEIGHTS || a->household_len == 0 || chance(r, 50))
        gen_sharers(r, s, i, &in);
    s->injections[i] = in;
}

static void gen_injections(rng *r, scenario *s)
{
    uint64_t ids[MAX_INJECTIONS];
    distinct(r, ids, MAX_INJECTIONS, 1, 999);
    for (size_t i = 0; i < s->n_agreements; i++)
        for (int n = (int)between(r, 0, 2); n > 0; n--)
            gen_injection(r, s, &s->agreements[i], ids[s->n_injections]);
}

static void gen_contributions(rng *r, scenario *s)
{
    s->n_contributions = (size_t)between(r, 0, MAX_CONTRIBUTIONS);
    for (size_t i = 0; i < s->n_contributions; i++) {
        vipa_contribution c = VIPA_CONTRIBUTION_INIT;
        const vipa_agreement *a = &s->agreements[between(r, 0, (int64_t)s->n_agreements - 1)];
        c.household = any_household(r, s);
        c.entity = a->entity;
        c.agreement = chance(r, 50) ? a->id : 0;
        c.kind = (vipa_contribution_kind)between(r, 1, 6);
        c.value = between(r, 1, 10000000);
        c.date = equity_day(r);
        s->contributions[i] = c;
    }
}

/* The holder that takes the rest of an entity's injections under the profile. */
static void remainder_of(const scenario *s, const vipa_entity *e, vipa_holder_kind *kind,
                         uint64_t *id)
{
    int collective = strcmp(s->remainder, "village_collective") == 0;
    *kind = collective ? VIPA_HOLDER_COLLECTIVE : VIPA_HOLDER_ENTITY;
    *id = collective ? e->core_village : e->id;
}

/* A receiver other than the giver: a household, a village collective or the entity. */
static void pick_receiver(rng *r, const scenario *s, vipa_transfer *t)
{
    do {
        int k = (int)between(r, 0, 2);
        t->to_kind = k == 0 ? VIPA_HOLDER_HOUSEHOLD : k == 1 ? VIPA_HOLDER_COLLECTIVE
                                                             : VIPA_HOLDER_ENTITY;
        t->to_id = k == 0 ? any_household(r, s) : k == 1 ? any_village(r, s) : t->entity;
    } while (t->to_kind == t->from_kind && t->to_id == t->from_id);
}

static void push_transfer(rng *r, scenario *s, vipa_id entity, vipa_holder_kind kind,
                          uint64_t id, vipa_fen backing, vipa_date from)
{
    vipa_transfer t = VIPA_TRANSFER_INIT;
    t.entity = entity;
    t.from_kind = kind;
    t.from_id = id;
    t.amount = between(r, 1, backing / 2);
    t.date = day_from(r, from);
    pick_receiver(r, s, &t);
    s->transfers[s->n_transfers++] = t;
}

/* Each transfer gives at most half of one contribution or of one injection's rest, on
 * or after its date, and no source backs two: so the giver is never short, whatever
 * order the transfers are added in (test (b) shuffles them). */
static void gen_transfers(rng *r, scenario *s)
{
    for (size_t i = 0; i < s->n_contributions; i++) {
        const vipa_contribution *c = &s->contributions[i];
        if (c->value >= 2 && chance(r, 40))
            push_transfer(r, s, c->entity, VIPA_HOLDER_HOUSEHOLD, c->household, c->value, c->date);
    }
    for (size_t i = 0; i < s->n_injections; i++) {
        const vipa_injection *in = &s->injections[i];
        vipa_fen rest = in->amount - (vipa_fen)((i128)in->amount * s->poor_share_bp / 10000);
        vipa_holder_kind kind;
        uint64_t id;
        remainder_of(s, entity_of(s, in->entity), &kind, &id);
        if (rest >= 2 && chance(r, 40))
            push_transfer(r, s, in->entity, kind, id, rest, in->date);
    }
}

static void gen_dividends(rng *r, scenario *s)
{
    for (size_t e = 0; e < s->n_entities; e++)
        for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
            if (!chance(r, 50))
                continue;
            vipa_dividend d = VIPA_DIVIDEND_INIT;
            d.entity = s->entities[e].id;
            d.year = y;
            if (chance(r, 60))
                d.rate_bp = (vipa_bp)between(r, 0, 1500);
            else
                d.pool = between(r, 0, 10000000);
            s->dividends[s->n_dividends++] = d;
        }
}

/* ---- payments, incomes, evaluations ------------------------------------------------------ */

/* Paid for year y: mostly before the evaluation of 31 January, some after it (counted
 * only by the re-check of 30 April), some after the re-check too. */
static vipa_date pay_day(rng *r, int y)
{
    int when = (int)between(r, 0, 9);
    if (when < 4)
        return day(y, 12, (int)between(r, 1, 28));
    if (when < 7)
        return day(y + 1, 1, (int)between(r, 1, 31));
    return when < 9 ? day(y + 1, 3, 1) : day(y + 1, 6, 1);
}

static void push_payment(rng *r, scenario *s, const vipa_payment *p, vipa_fen amount)
{
    vipa_payment q = *p;
    q.amount = amount;
    q.date = pay_day(r, p->year);
    s->payments[s->n_payments++] = q;
}

/* A year's due: paid in full, short, in two parts, or not at all. */
static void pay_linkage(rng *r, scenario *s, const vipa_linkage *l, int y)
{
    if (!chance(r, 80))
        return;
    vipa_fen due = linkage_due(l), paid = chance(r, 70) ? due : between(r, 0, due);
    vipa_payment p = VIPA_PAYMENT_INIT;
    p.linkage = l->id;
    p.year = y;
    if (paid >= 2 && chance(r, 15)) {
        vipa_fen part = between(r, 1, paid - 1);
        push_payment(r, s, &p, part);
        push_payment(r, s, &p, paid - part);
    } else {
        push_payment(r, s, &p, paid);
    }
}

static void pay_dividends(rng *r, scenario *s, const vipa_dividend *d)
{
    for (size_t h = 0; h < s->n_households; h++) {
        if (!chance(r, 25))
            continue;
        vipa_payment p = VIPA_PAYMENT_INIT;
        p.entity = d->entity;
        p.household = s->households[h].id;
        p.year = d->year;
        push_payment(r, s, &p, between(r, 0, 500000));
    }
}

static void gen_payments(rng *r, scenario *s)
{
    for (size_t i = 0; i < s->n_linkages; i++)
        for (int y = s->linkages[i].from_year; y <= s->linkages[i].to_year; y++)
            pay_linkage(r, s, &s->linkages[i], y);
    for (size_t i = 0; i < s->n_dividends; i++)
        pay_dividends(r, s, &s->dividends[i]);
}

static void gen_incomes(rng *r, scenario *s)
{
    for (size_t h = 0; h < s->n_households; h++)
        for (int y = FIRST_YEAR; y <= LAST_YEAR; y++) {
            if (!chance(r, 60))
                continue;
            vipa_income in = VIPA_INCOME_INIT;
            in.household = s->households[h].id;
            in.year = y;
            in.other = between(r, -100000, 2000000);
            s->incomes[s->n_incomes++] = in;
        }
}

/* A year's plain evaluation on 31 January of the next year, and now and then its
 * re-check on 30 April, listed after it: a re-check needs its year's plain evaluation
 * before it (四(五); issue #14), so none is drawn without one. */
static void gen_evaluations(rng *r, scenario *s)
{
    for (int y = FIRST_YEAR; y <= LAST_YEAR; y++)
        for (int recheck = 0, plain = 0; recheck <= 1; recheck++) {
            int drawn = chance(r, recheck ? 60 : 85);
            if (!recheck)
                plain = drawn;
            if (!drawn || (recheck && !plain))
                continue;
            vipa_evaluation e = VIPA_EVALUATION_INIT;
            e.year = y;
            e.date = recheck ? day(y + 1, 4, 30) : day(y + 1, 1, 31);
            e.recheck = recheck;
            s->evaluations[s->n_evaluations++] = e;
        }
}

static void generate(scenario *s, uint64_t seed)
{
    rng r = {seed};
    memset(s, 0, sizeof *s);
    gen_profile(&r, s);
    gen_areas(&r, s);
    gen_entities(&r, s);
    gen_households(&r, s);
    gen_agreements(&r, s);
    gen_plans(&r, s);
    gen_linkages(&r, s);
    gen_injections(&r, s);
    gen_contributions(&r, s);
    gen_transfers(&r, s);
    gen_dividends(&r, s);
    gen_payments(&r, s);
    gen_incomes(&r, s);
    gen_evaluations(&r, s);
}

/* ---- adding the records ------------------------------------------------------------------- */

typedef int (*add_fn)(vipa_ctx *ctx, const void *items, size_t n);

/* add_areas(ctx, items, n): vipa_ctx_add_areas(ctx, items, n), ... for every kind. */
#define ADDER(plural, singular, ...)                                          \
    static int add_##plural(vipa_ctx *ctx, const void *items, size_t n)     \
    {                                                                       \
        return vipa_ctx_add_##plural(ctx, (const vipa_##singular *)items, n); \
    }
VIPA_RECORD_KINDS(ADDER)
#undef ADDER

static void set_profile(vipa_ctx *ctx, const scenario *s)
{
    CHECK_OK(ctx, vipa_param_set_int(ctx, "equity.poor_share_bp", s->poor_share_bp));
    CHECK_OK(ctx, vipa_param_set_text(ctx, "equity.allocation", s->allocation));
    CHECK_OK(ctx, vipa_param_set_text(ctx, "equity.remainder_holder", s->remainder));
    CHECK_OK(ctx, vipa_param_set_bool(ctx, "exit.require_guarantees", s->require_guarantees));
    if (s->line_2017)
        CHECK_OK(ctx, vipa_param_set_fen(ctx, "poverty_line.2017", s->line_2017));
}

/* Adds n records in one batch, or (with r) shuffled unless `keep_order`, and cut into
 * random batches. */
static void add_kind(vipa_ctx *ctx, rng *r, int keep_order, const char *kind, add_fn add,
                     const void *items, size_t n, size_t size)
{
    if (!r) {
        int rc = add(ctx, items, n);
        CHECK(rc == VIPA_OK, "adding %zu %s: %s: %s", n, kind, vipa_error_name(rc),
              vipa_ctx_errmsg(ctx));
        return;
    }
    char *copy = malloc(n * size + 1);
    assert_non_null(copy);
    memcpy(copy, items, n * size);
    if (!keep_order)
        shuffle(r, copy, n, size);
    for (size_t at = 0; at < n;) {
        size_t batch = (size_t)between(r, 1, (int64_t)(n - at));
        int rc = add(ctx, copy + at * size, batch);
        CHECK(rc == VIPA_OK, "adding %zu shuffled %s: %s: %s", batch, kind, vipa_error_name(rc),
              vipa_ctx_errmsg(ctx));
        at += batch;
    }
    free(copy);
}

/* Areas level by level (a parent must come first), each level shuffled. */
static void add_areas_shuffled(vipa_ctx *ctx, rng *r, const scenario *s)
{
    for (int level = VIPA_AREA_COUNTY; level <= VIPA_AREA_VILLAGE; level++) {
        vipa_area some[MAX_AREAS];
        size_t n = 0;
        for (size_t i = 0; i < s->n_areas; i++)
            if ((int)s->areas[i].level == level)
                some[n++] = s->areas[i];
        add_kind(ctx, r, 0, "areas", add_areas, some, n, sizeof *some);
    }
}

/* The steps of adding a scenario and the steps each needs done before it. */
enum step {
    S_PROFILE, S_AREAS, S_ENTITIES, S_HOUSEHOLDS, S_ASSURED, S_AGREEMENTS, S_PLANS,
    S_LINKAGES, S_INJECTIONS, S_CONTRIBUTIONS, S_TRANSFERS, S_DIVIDENDS, S_PAYMENTS,
    S_INCOMES, S_EVALUATIONS, S_COUNT
};

#define BIT(s) (1u << (s))
static const unsigned needs[S_COUNT] = {
    [S_ENTITIES] = BIT(S_AREAS),
    [S_HOUSEHOLDS] = BIT(S_AREAS),
    [S_ASSURED] = BIT(S_HOUSEHOLDS),
    [S_AGREEMENTS] = BIT(S_ENTITIES) | BIT(S_HOUSEHOLDS),
    [S_PLANS] = BIT(S_AGREEMENTS),
    [S_LINKAGES] = BIT(S_AGREEMENTS),
    [S_INJECTIONS] = BIT(S_AGREEMENTS),
    [S_CONTRIBUTIONS] = BIT(S_AGREEMENTS),
    /* a transfer is checked against the giver's holding under the current profile */
    [S_TRANSFERS] = BIT(S_INJECTIONS) | BIT(S_CONTRIBUTIONS) | BIT(S_PROFILE),
    [S_DIVIDENDS] = BIT(S_ENTITIES),
    [S_PAYMENTS] = BIT(S_LINKAGES) | BIT(S_HOUSEHOLDS),
    [S_INCOMES] = BIT(S_HOUSEHOLDS),
};

static void add_step(vipa_ctx *ctx, rng *r, const scenario *s, enum step step)
{
#define KIND(name, items, n) add_kind(ctx, r, 0, #name, add_##name, items, n, sizeof *(items))
    switch (step) {
    case S_PROFILE: set_profile(ctx, s); break;
    case S_AREAS:
        if (r)
            add_areas_shuffled(ctx, r, s);
        else
            KIND(areas, s->areas, s->n_areas);
        break;
    case S_ENTITIES: KIND(entities, s->entities, s->n_entities); break;
    case S_HOUSEHOLDS:
        add_kind(ctx, r, 0, "households", add_households, s->households, s->n_households,
                 sizeof *s->households);
        break;
    case S_ASSURED: KIND(assured, s->assured, s->n_assured); break;
    case S_AGREEMENTS: KIND(agreements, s->agreements, s->n_agreements); break;
    case S_PLANS: KIND(plans, s->plans, s->n_plans); break;
    case S_LINKAGES: KIND(linkages, s->linkages, s->n_linkages); break;
    case S_INJECTIONS: KIND(injections, s->injections, s->n_injections); break;
    case S_CONTRIBUTIONS: KIND(contributions, s->contributions, s->n_contributions); break;
    case S_TRANSFERS: KIND(transfers, s->transfers, s->n_transfers); break;
    case S_DIVIDENDS: KIND(dividends, s->dividends, s->n_dividends); break;
    case S_PAYMENTS: KIND(payments, s->payments, s->n_payments); break;
    case S_INCOMES: KIND(incomes, s->incomes, s->n_incomes); break;
    case S_EVALUATIONS:
        /* A re-check follows the plain evaluation of its year (四(五); issue #14): the
         * generator lists them so, and the order is kept (the batches still random). */
        add_kind(ctx, r, 1, "evaluations", add_evaluations, s->evaluations, s->n_evaluations,
                 sizeof *s->evaluations);
        break;
    default: break;
    }
#undef KIND
}

/* In the steps' order; with r, in a random order the references allow. */
static vipa_ctx *build(const scenario *s, rng *r)
{
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    unsigned done = 0;
    for (int k = 0; k < S_COUNT; k++) {
        enum step ready[S_COUNT];
        size_t n = 0;
        for (int st = 0; st < S_COUNT; st++)
            if (!(done & BIT(st)) && (needs[st] & ~done) == 0)
                ready[n++] = (enum step)st;
        enum step next_step = r ? ready[between(r, 0, (int64_t)n - 1)] : ready[0];
        add_step(ctx, r, s, next_step);
        done |= BIT(next_step);
    }
    return ctx;
}

/* Lists inside records are sets to the library: reorder them too (not an injection's
 * households, whose order pairs them with weights). */
static void shuffle_inner_lists(rng *r, scenario *s)
{
    for (size_t i = 0; i < s->n_agreements; i++)
        shuffle(r, s->covered[i], s->agreements[i].household_len, sizeof(vipa_id));
    for (size_t i = 0; i < s->n_plans; i++) {
        size_t n = s->plans[i].task_len;
        for (size_t k = n; k > 1; k--) {
            size_t j = (size_t)between(r, 0, (int64_t)k - 1);
            int y = s->task_years[i][k - 1];
            vipa_fen f = s->task_incomes[i][k - 1];
            s->task_years[i][k - 1] = s->task_years[i][j];
            s->task_incomes[i][k - 1] = s->task_incomes[i][j];
            s->task_years[i][j] = y;
            s->task_incomes[i][j] = f;
        }
    }
}

/* ---- running and reporting ------------------------------------------------------------ */

static vipa_result *run(vipa_ctx *ctx)
{
    vipa_result *result = NULL;
    CHECK_OK(ctx, vipa_run(&result, ctx, NULL));
    return result;
}

static char *report(const vipa_result *result, unsigned flags)
{
    char *json = NULL;
    int rc = vipa_report_json(&json, NULL, result, flags);
    CHECK(rc == VIPA_OK, "vipa_report_json gave %s", vipa_error_name(rc));
    return json;
}

static char *export_text(vipa_ctx *ctx, unsigned flags, size_t *length)
{
    char *json = NULL;
    CHECK_OK(ctx, vipa_scenario_export(&json, length, ctx, flags));
    CHECK(strlen(json) == *length, "export length %zu but the text has %zu bytes", *length,
          strlen(json));
    return json;
}

/* The first line where two texts differ, for the failure message. */
static void show_difference(const char *a, const char *b)
{
    size_t line = 1, i = 0;
    while (a[i] && a[i] == b[i])
        line += a[i++] == '\n';
    print_error("first difference at byte %zu (line %zu):\n  %.120s\n  %.120s\n", i, line,
                a + i, b + i);
}

static void check_same_text(const char *what, const char *a, const char *b)
{
    if (strcmp(a, b) != 0)
        show_difference(a, b);
    CHECK(strcmp(a, b) == 0, "%s differ", what);
}

/* (a) export → load into a fresh context → run gives the same report, stamp included. */
static void check_round_trip(vipa_ctx *ctx, const char *expected, rng *r)
{
    unsigned flags = chance(r, 50) ? VIPA_REPORT_PRETTY : 0;
    size_t length = 0, again_length = 0;
    char *text = export_text(ctx, flags, &length);
    vipa_ctx *fresh = NULL;
    assert_int_equal(vipa_ctx_new(&fresh, NULL), VIPA_OK);
    const char *err = NULL;
    int rc = vipa_scenario_load(fresh, text, length, &err);
    CHECK(rc == VIPA_OK, "loading the export: %s: %s", vipa_error_name(rc), err);
    vipa_result *result = run(fresh);
    char *json = report(result, 0);
    check_same_text("the reports before and after the round trip", expected, json);
    char *again = export_text(fresh, flags, &again_length);
    check_same_text("the export and the export of its reload", text, again);
    vipa_free(again);
    vipa_free(json);
    vipa_result_free(result);
    vipa_ctx_free(fresh);
    vipa_free(text);
}

/* ---- (c) totals computed here -------------------------------------------------------------- */

/* The exact split (largest remainder, ties to the lower id), written anew here: parts
 * of `total` by `weights` of households already sorted by id. */
static void split_here(vipa_fen *parts, vipa_fen total, const uint64_t *weights, size_t n)
{
    i128 sum = 0, given = 0;
    i128 rem[MAX_COVERED + MAX_SHARERS];
    for (size_t k = 0; k < n; k++)
        sum += weights[k];
    for (size_t k = 0; k < n; k++) {
        parts[k] = (vipa_fen)((i128)total * weights[k] / sum);
        rem[k] = (i128)total * weights[k] % sum;
        given += parts[k];
    }
    for (i128 left = total - given; left > 0; left--) {
        size_t best = n;
        for (size_t k = 0; k < n; k++)
            if (rem[k] >= 0 && (best == n || rem[k] > rem[best]))
                best = k;
        parts[best]++;
        rem[best] = -1; /* one extra fen each at most */
    }
}

typedef struct share {
    vipa_id household;
    uint64_t weight;
    vipa_fen part;
} share;

static int by_household(const void *a, const void *b)
{
    const share *x = a, *y = b;
    return (x->household > y->household) - (x->household < y->household);
}

static const vipa_agreement *agreement_of(const scenario *s, vipa_id id)
{
    for (size_t i = 0; i < s->n_agreements; i++)
        if (s->agreements[i].id == id)
            return &s->agreements[i];
    return NULL;
}

/* An injection's households with their parts of the poor share, sorted by id. */
static size_t injection_shares(const scenario *s, const vipa_injection *in, share *out)
{
    const vipa_agreement *a = agreement_of(s, in->agreement);
    size_t n = in->household_len ? in->household_len : a->household_len;
    vipa_allocation rule = in->allocation;
    if (rule == VIPA_ALLOCATION_PROFILE)
        rule = strcmp(s->allocation, "per_member") == 0 ? VIPA_ALLOCATION_PER_MEMBER
                                                       : VIPA_ALLOCATION_PER_HOUSEHOLD;
    for (size_t k = 0; k < n; k++) {
        out[k].household = in->household_len ? in->households[k] : a->households[k];
        out[k].weight = rule == VIPA_ALLOCATION_WEIGHTS  ? in->weights[k]
                        : rule == VIPA_ALLOCATION_PER_MEMBER
                            ? (uint64_t)household_of(s, out[k].household)->members
                            : 1;
    }
    qsort(out, n, sizeof *out, by_household);
    uint64_t weights[MAX_COVERED + MAX_SHARERS];
    vipa_fen parts[MAX_COVERED + MAX_SHARERS];
    for (size_t k = 0; k < n; k++)
        weights[k] = out[k].weight;
    split_here(parts, (vipa_fen)((i128)in->amount * s->poor_share_bp / 10000), weights, n);
    for (size_t k = 0; k < n; k++)
        out[k].part = parts[k];
    return n;
}

/* The report's allocations of one injection: total, households' total, and each part. */
static void check_injection(const scenario *s, const vipa_result *result, const vipa_injection *in)
{
    share shares[MAX_COVERED + MAX_SHARERS];
    size_t n = injection_shares(s, in, shares), households = 0;
    vipa_fen all = 0, poor = 0;
    for (size_t i = 0; i < vipa_result_allocation_count(result); i++) {
        vipa_id id;
        vipa_holder_kind kind;
        uint64_t holder;
        vipa_fen amount;
        assert_int_equal(vipa_result_allocation(&id, &kind, &holder, &amount, result, i), VIPA_OK);
        if (id != in->id)
            continue;
        all += amount;
        if (kind != VIPA_HOLDER_HOUSEHOLD)
            continue;
        poor += amount;
        CHECK(households < n && shares[households].household == holder &&
                  shares[households].part == amount,
              "injection %llu: household %llu's part %lld fen, expected %lld fen for %llu",
              (unsigned long long)in->id, (unsigned long long)holder, (long long)amount,
              households < n ? (long long)shares[households].part : -1LL,
              households < n ? (unsigned long long)shares[households].household : 0ULL);
        households++;
    }
    vipa_fen expected_poor = (vipa_fen)((i128)in->amount * s->poor_share_bp / 10000);
    CHECK(households == n, "injection %llu: %zu households allocated, expected %zu",
          (unsigned long long)in->id, households, n);
    CHECK(all == in->amount, "injection %llu: allocations sum to %lld, expected %lld",
          (unsigned long long)in->id, (long long)all, (long long)in->amount);
    CHECK(poor == expected_poor, "injection %llu: households' shares sum to %lld, expected "
          "trunc(%lld x %lld / 10000) = %lld", (unsigned long long)in->id, (long long)poor,
          (long long)in->amount, (long long)s->poor_share_bp, (long long)expected_poor);
}

/* Every payment for the year (all kinds) and the other income. */
static vipa_fen income_here(const scenario *s, vipa_id household, int year)
{
    vipa_fen sum = 0;
    for (size_t i = 0; i < s->n_payments; i++) {
        const vipa_payment *p = &s->payments[i];
        vipa_id payee = p->household;
        for (size_t k = 0; p->linkage && k < s->n_linkages; k++)
            if (s->linkages[k].id == p->linkage)
                payee = s->linkages[k].household;
        if (payee == household && p->year == year)
            sum += p->amount;
    }
    for (size_t i = 0; i < s->n_incomes; i++)
        if (s->incomes[i].household == household && s->incomes[i].year == year)
            sum += s->incomes[i].other;
    return sum;
}

static void check_incomes(const scenario *s, const vipa_result *result, size_t y)
{
    int year = vipa_result_year(result, y);
    for (size_t i = 0; i < vipa_result_year_household_count(result, y); i++) {
        vipa_id id;
        vipa_fen income, line;
        int meets;
        assert_int_equal(vipa_result_year_household(&id, &income, &line, &meets, result, y, i),
                         VIPA_OK);
        vipa_fen expected = income_here(s, id, year);
        CHECK(income == expected, "household %llu, %d: income %lld fen, expected payments + "
              "other income = %lld fen", (unsigned long long)id, year, (long long)income,
              (long long)expected);
    }
}

/* A household's shares in an entity at the end of a day, from the records. */
static vipa_fen holding_here(const scenario *s, vipa_id entity, vipa_id household, vipa_date at)
{
    vipa_fen sum = 0;
    for (size_t i = 0; i < s->n_injections; i++) {
        const vipa_injection *in = &s->injections[i];
        share shares[MAX_COVERED + MAX_SHARERS];
        if (in->entity != entity || in->date > at)
            continue;
        size_t n = injection_shares(s, in, shares);
        for (size_t k = 0; k < n; k++)
            sum += shares[k].household == household ? shares[k].part : 0;
    }
    for (size_t i = 0; i < s->n_contributions; i++) {
        const vipa_contribution *c = &s->contributions[i];
        sum += c->entity == entity && c->household == household && c->date <= at ? c->value : 0;
    }
    for (size_t i = 0; i < s->n_transfers; i++) {
        const vipa_transfer *t = &s->transfers[i];
        if (t->entity != entity || t->date > at)
            continue;
        if (t->to_kind == VIPA_HOLDER_HOUSEHOLD && t->to_id == household)
            sum += t->amount;
        if (t->from_kind == VIPA_HOLDER_HOUSEHOLD && t->from_id == household)
            sum -= t->amount;
    }
    return sum;
}

/* A rate dividend's dues to households: each holding × rate, half away from zero. */
static void check_rate_dividend(const scenario *s, const vipa_result *result, size_t y,
                                const vipa_dividend *d)
{
    vipa_fen expected = 0, due_sum = 0;
    for (size_t h = 0; h < s->n_households; h++) {
        vipa_fen held = holding_here(s, d->entity, s->households[h].id, day(d->year, 12, 31));
        if (held > 0)
            expected += (vipa_fen)(((i128)held * d->rate_bp + 5000) / 10000);
    }
    for (size_t i = 0; i < vipa_result_year_dividend_count(result, y); i++) {
        vipa_id entity, household;
        vipa_fen due, paid;
        assert_int_equal(vipa_result_year_dividend(&entity, &household, &due, &paid, result, y, i),
                         VIPA_OK);
        due_sum += entity == d->entity ? due : 0;
    }
    CHECK(due_sum == expected, "entity %llu, %d, rate %ld bp: households' dues sum to %lld "
          "fen, expected %lld", (unsigned long long)d->entity, d->year, (long)d->rate_bp,
          (long long)due_sum, (long long)expected);
}

static void check_totals(const scenario *s, const vipa_result *result)
{
    for (size_t i = 0; i < s->n_injections; i++)
        check_injection(s, result, &s->injections[i]);
    for (size_t y = 0; y < vipa_result_year_count(result); y++) {
        check_incomes(s, result, y);
        for (size_t i = 0; i < s->n_dividends; i++)
            if (s->dividends[i].year == vipa_result_year(result, y) && s->dividends[i].rate_bp >= 0)
                check_rate_dividend(s, result, y, &s->dividends[i]);
    }
}

/* ---- the rounds ------------------------------------------------------------------------ */

static uint64_t env_u64(const char *name, uint64_t fallback)
{
    const char *text = getenv(name);
    return text && *text ? strtoull(text, NULL, 10) : fallback;
}

static void one_round(scenario *s, uint64_t seed)
{
    current_seed = seed;
    generate(s, seed);
    rng r = {seed ^ UINT64_C(0x5eed)};
    vipa_ctx *ctx = build(s, NULL);
    vipa_result *result = run(ctx);
    char *expected = report(result, 0);
    check_totals(s, result);                  /* (c) */
    check_round_trip(ctx, expected, &r);      /* (a) */
    vipa_result_free(result);
    vipa_ctx_free(ctx);
    shuffle_inner_lists(&r, s);               /* (b) */
    vipa_ctx *shuffled = build(s, &r);
    vipa_result *again = run(shuffled);
    char *json = report(again, 0);
    check_same_text("the reports of the records in two orders", expected, json);
    vipa_free(json);
    vipa_result_free(again);
    vipa_ctx_free(shuffled);
    vipa_free(expected);
}

static void random_scenarios_hold_their_properties(void **state)
{
    (void)state;
    uint64_t seed = env_u64("VIPA_PROPERTY_SEED", DEFAULT_SEED);
    uint64_t rounds = env_u64("VIPA_PROPERTY_ROUNDS", DEFAULT_ROUNDS);
    scenario *s = malloc(sizeof *s);
    assert_non_null(s);
    for (uint64_t k = 0; k < rounds; k++)
        one_round(s, seed + k);
    free(s);
    print_message("%llu rounds from seed %llu\n", (unsigned long long)rounds,
                  (unsigned long long)seed);
}

/* ---- vipa_scenario_export() itself ---------------------------------------------------------- */

static vipa_ctx *new_ctx(void)
{
    vipa_ctx *ctx = NULL;
    assert_int_equal(vipa_ctx_new(&ctx, NULL), VIPA_OK);
    return ctx;
}

static void export_refuses_bad_arguments(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx();
    char *json = (char *)"untouched";
    size_t length = 99;
    assert_int_equal(vipa_scenario_export(NULL, &length, ctx, 0), VIPA_E_INVALID);
    assert_int_equal(length, 0);
    assert_int_equal(vipa_scenario_export(&json, &length, NULL, 0), VIPA_E_INVALID);
    assert_null(json);
    assert_int_equal(vipa_scenario_export(&json, NULL, ctx, 2), VIPA_E_INVALID);
    assert_null(json);
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "flag"));
    assert_int_equal(vipa_scenario_export(&json, NULL, ctx, 0), VIPA_OK);
    assert_string_equal(vipa_ctx_errmsg(ctx), "");
    vipa_free(json);
    vipa_ctx_free(ctx);
}

/* An empty context: the profile and every list, compact, loadable. */
static void export_of_an_empty_context(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx(), *back = new_ctx();
    char *json = NULL;
    size_t length = 0;
    assert_int_equal(vipa_scenario_export(&json, &length, ctx, 0), VIPA_OK);
    assert_int_equal(length, strlen(json));
    assert_non_null(strstr(json, "{\"vipa\":1,\"profile\":{\"base\":\"shangluo-2016\",\"params\":"
                                 "{\"equity.poor_share_bp\":7000,"));
    assert_non_null(strstr(json, "\"2017\":\"2952.00\""));
    assert_non_null(strstr(json, "\"areas\":[],\"entities\":[]"));
    assert_non_null(strstr(json, "\"evaluations\":[]}\n"));
    assert_int_equal(vipa_scenario_load(back, json, length, NULL), VIPA_OK);
    vipa_free(json);
    vipa_ctx_free(back);
    vipa_ctx_free(ctx);
}

static void add_village(vipa_ctx *ctx, const char *village_name)
{
    vipa_area areas[3] = {VIPA_AREA_INIT, VIPA_AREA_INIT, VIPA_AREA_INIT};
    areas[0].code = 611002000000u, areas[0].level = VIPA_AREA_COUNTY, areas[0].name = "商州区";
    areas[1].code = 611002001000u, areas[1].level = VIPA_AREA_TOWN, areas[1].name = "城关街道";
    areas[2].code = 611002001204u, areas[2].level = VIPA_AREA_VILLAGE, areas[2].name = village_name;
    assert_int_equal(vipa_ctx_add_areas(ctx, areas, 3), VIPA_OK);
}

/* Quotes, backslashes and control characters are escaped, UTF-8 kept, and the text
 * comes back the same. */
static void export_escapes_texts(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx(), *back = new_ctx();
    add_village(ctx, "杏树园\"村\"\\ \t\n\x01\x1f");
    char *json = NULL, *again = NULL;
    size_t length = 0;
    assert_int_equal(vipa_scenario_export(&json, &length, ctx, VIPA_REPORT_PRETTY), VIPA_OK);
    assert_non_null(strstr(json, "\"name\": \"杏树园\\\"村\\\"\\\\ \\t\\n\\u0001\\u001f\""));
    assert_int_equal(vipa_scenario_load(back, json, length, NULL), VIPA_OK);
    assert_int_equal(vipa_scenario_export(&again, NULL, back, VIPA_REPORT_PRETTY), VIPA_OK);
    assert_string_equal(json, again);
    vipa_free(again);
    vipa_free(json);
    vipa_ctx_free(back);
    vipa_ctx_free(ctx);
}

static void add_entity_and_household(vipa_ctx *ctx, vipa_id entity_id, vipa_id household_id)
{
    vipa_entity e = VIPA_ENTITY_INIT;
    e.id = entity_id, e.name = "合作社", e.kind = VIPA_ENTITY_COOPERATIVE;
    e.core_village = 611002001204u, e.industry = "walnut";
    assert_int_equal(vipa_ctx_add_entities(ctx, &e, 1), VIPA_OK);
    vipa_household h = VIPA_HOUSEHOLD_INIT;
    h.id = household_id, h.village = 611002001204u, h.members = 2, h.cause = VIPA_CAUSE_ILLNESS;
    assert_int_equal(vipa_ctx_add_households(ctx, &h, 1), VIPA_OK);
}

/* Counts come back as placeholders: the agreement's projects, the plan's industries,
 * measures and per-person tasks. Not the support measures: since issue #14 their texts
 * are kept and disclosed (五(五)), so a placeholder would read back as a measure named
 * "support 1"; a count without texts is written as "support_count" instead, and texts
 * as they were given. */
static void export_writes_placeholders(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx();
    add_village(ctx, "杏树园村");
    add_entity_and_household(ctx, 1, 1001);
    vipa_id households[1] = {1001};
    vipa_agreement a = VIPA_AGREEMENT_INIT;
    a.id = 7, a.entity = 1, a.households = households, a.household_len = 1;
    a.project_count = 2, a.support_count = 1;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    vipa_plan p = VIPA_PLAN_INIT;
    p.household = 1001, p.agreement = 7, p.industry_count = 1, p.measure_count = 2;
    p.person_task_count = 2;
    assert_int_equal(vipa_ctx_add_plans(ctx, &p, 1), VIPA_OK);
    char *json = NULL;
    assert_int_equal(vipa_scenario_export(&json, NULL, ctx, 0), VIPA_OK);
    assert_non_null(strstr(json, "\"projects\":[\"project 1\",\"project 2\"],"
                                 "\"support_count\":1"));
    assert_null(strstr(json, "support 1"));
    assert_non_null(strstr(json, "\"industries\":[\"industry 1\"],"
                                 "\"measures\":[\"measure 1\",\"measure 2\"]"));
    assert_non_null(strstr(json, "\"persons\":[{\"member\":1,\"task\":\"task 1\"},"
                                 "{\"member\":1,\"task\":\"task 2\"}]"));
    vipa_free(json);

    /* An agreement with its measures' texts exports them, in order, as given. */
    const char *texts[2] = {"贴息贷款", "技术培训"};
    a.id = 8, a.support = texts, a.support_count = 2;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    assert_int_equal(vipa_scenario_export(&json, NULL, ctx, 0), VIPA_OK);
    assert_non_null(strstr(json, "\"support\":[\"贴息贷款\",\"技术培训\"]"));
    vipa_free(json);
    vipa_ctx_free(ctx);
}

/* What the loader could not read back is refused: an id beyond JSON's signed 64 bits,
 * and placeholder counts beyond VIPA_SCENARIO_MAX_BYTES. */
static void export_refuses_what_cannot_load(void **state)
{
    (void)state;
    vipa_ctx *ctx = new_ctx();
    add_village(ctx, "杏树园村");
    add_entity_and_household(ctx, (vipa_id)INT64_MAX + 1, 1001);
    char *json = (char *)"untouched";
    size_t length = 5;
    assert_int_equal(vipa_scenario_export(&json, &length, ctx, 0), VIPA_E_RANGE);
    assert_null(json);
    assert_int_equal(length, 0);
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "INT64_MAX"));
    vipa_ctx_free(ctx);

    ctx = new_ctx();
    add_village(ctx, "杏树园村");
    add_entity_and_household(ctx, 1, 1001);
    vipa_agreement a = VIPA_AGREEMENT_INIT;
    a.id = 7, a.entity = 1, a.project_count = UINT32_MAX;
    assert_int_equal(vipa_ctx_add_agreements(ctx, &a, 1), VIPA_OK);
    assert_int_equal(vipa_scenario_export(&json, NULL, ctx, 0), VIPA_E_LIMIT);
    assert_null(json);
    assert_non_null(strstr(vipa_ctx_errmsg(ctx), "VIPA_SCENARIO_MAX_BYTES"));
    vipa_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(export_refuses_bad_arguments),
        cmocka_unit_test(export_of_an_empty_context),
        cmocka_unit_test(export_escapes_texts),
        cmocka_unit_test(export_writes_placeholders),
        cmocka_unit_test(export_refuses_what_cannot_load),
        cmocka_unit_test(random_scenarios_hold_their_properties),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
