/* The numbers of the county report (docs/report.md), computed once from the run and the
 * scenario's names: the rollups of every county, town and village by year, the households
 * still to lift, the money owed by agreement and entity, and the error findings in the
 * order of the action section. Memory is that of the areas × years, the entities and
 * agreements, and the rows listed (households to lift, error findings): the result is
 * read, never copied. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "report.h"

/* ---- money without wrapping ------------------------------------------------------------ */

/* Adds @p v to *@p acc; a sum past the range of fen stays at its bound rather than wrap
 * (no real county comes near 9.2 × 10^16 yuan). */
static void fen_add(vipa_fen *acc, vipa_fen v)
{
    if (vipa_fen_add(acc, *acc, v) != VIPA_OK)
        *acc = v > 0 ? INT64_MAX : INT64_MIN;
}

/* What is still owed of a due: max(0, due - paid), the contract's "owed". */
static vipa_fen owed_of(vipa_fen due, vipa_fen paid)
{
    vipa_fen d = 0;
    if (vipa_fen_sub(&d, due, paid) != VIPA_OK)
        return paid < due ? INT64_MAX : 0;
    return d > 0 ? d : 0;
}

/* ---- the places ------------------------------------------------------------------------ */

int report_code_within(uint64_t code, uint64_t area)
{
    switch (vipa_area_code_level(area)) {
    case VIPA_AREA_COUNTY: return code / 1000000 == area / 1000000;
    case VIPA_AREA_TOWN: return code / 1000 == area / 1000;
    case VIPA_AREA_VILLAGE: return code == area;
    default: return 0;
    }
}

static int by_code(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

typedef struct code_list {
    uint64_t *codes;
    size_t n, cap;
} code_list;

static int push_code(code_list *l, uint64_t code)
{
    if (vipa_area_code_level(code) == VIPA_AREA_NONE || (l->n > 0 && l->codes[l->n - 1] == code))
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap == 0 ? 256 : l->cap * 2;
        uint64_t *p = realloc(l->codes, cap * sizeof *p);
        if (p == NULL)
            return -1;
        l->codes = p;
        l->cap = cap;
    }
    l->codes[l->n++] = code;
    return 0;
}

/* A village, its town and its county, each pushed when the scenario does not name it
 * (a database without areas still gets its rollups). */
static int push_chain(code_list *l, const report_names *names, uint64_t village)
{
    uint64_t chain[3] = {village, village / 1000 * 1000, village / 1000000 * 1000000};
    for (int i = 0; i < 3; i++)
        if (report_area_name(names, chain[i]) == NULL && push_code(l, chain[i]) != 0)
            return -1;
    return 0;
}

static int build_places(report_model *m, const report_names *names)
{
    code_list l = {NULL, 0, 0};
    int rc = 0;
    for (size_t i = 0; i < names->narea && rc == 0; i++)
        rc = push_code(&l, names->areas[i].code);
    for (size_t i = 0; i < names->nhousehold && rc == 0; i++)
        rc = push_chain(&l, names, names->households[i].village);
    if (rc == 0 && l.n > 0)
        qsort(l.codes, l.n, sizeof *l.codes, by_code);
    m->places = rc == 0 ? calloc(l.n + 1, sizeof *m->places) : NULL;
    if (m->places == NULL) {
        free(l.codes);
        return -1;
    }
    for (size_t i = 0; i < l.n; i++) {
        if (m->nplace > 0 && m->places[m->nplace - 1].code == l.codes[i])
            continue;
        report_place *p = &m->places[m->nplace++];
        p->code = l.codes[i];
        p->level = (int)vipa_area_code_level(p->code);
        p->name = report_area_name(names, p->code);
    }
    free(l.codes);
    return 0;
}

const report_place *report_place_find(const report_model *m, uint64_t code)
{
    size_t lo = 0, hi = m->nplace;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->places[mid].code == code)
            return &m->places[mid];
        if (m->places[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void report_places_under(const report_model *m, uint64_t parent, size_t *first, size_t *end)
{
    /* Codes under a parent are one run of the sorted list, from the parent's own code;
     * the run holds every level below it, the callers pick the level they list. */
    size_t lo = 0, hi = m->nplace;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->places[mid].code < parent)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    *end = lo;
    for (size_t i = lo; i < m->nplace && (parent == 0 || report_code_within(m->places[i].code, parent));
         i++)
        *end = i + 1;
}

const report_year_stats *report_stats(const report_model *m, const report_place *p, size_t y)
{
    size_t block = p == NULL ? m->nplace : (size_t)(p - m->places);
    return &m->stats[block * m->nyear + y];
}

/* The stats of year @p y of every place @p code lies in, and of the whole run: up to 4
 * pointers into *@p out; returns how many. */
static size_t chain_stats(report_year_stats *out[4], const report_model *m, uint64_t code, size_t y)
{
    size_t n = 0;
    if (code != 0) {
        uint64_t chain[3] = {code, code / 1000 * 1000, code / 1000000 * 1000000};
        for (int i = 0; i < 3; i++) {
            const report_place *p = report_place_find(m, chain[i]);
            if (p != NULL && (i == 0 || chain[i] != chain[i - 1]))
                out[n++] = (report_year_stats *)report_stats(m, p, y);
        }
    }
    out[n++] = &m->stats[m->nplace * m->nyear + y];
    return n;
}

/* ---- the households and the years ------------------------------------------------------- */

static size_t year_index(const vipa_result *r, int year)
{
    for (size_t y = 0; y < vipa_result_year_count(r); y++)
        if (vipa_result_year(r, y) == year)
            return y;
    return SIZE_MAX;
}

static void count_households(report_model *m, const vipa_result *r, const report_names *names)
{
    for (size_t i = 0; i < vipa_result_household_count(r); i++) {
        vipa_id id;
        int exit_year = 0;
        if (vipa_result_household(&id, &exit_year, r, i) != VIPA_OK)
            continue;
        uint64_t village = report_household_village(names, id);
        uint64_t chain[3] = {village, village / 1000 * 1000, village / 1000000 * 1000000};
        for (int k = 0; k < 3 && village != 0; k++) {
            report_place *p = (report_place *)report_place_find(m, chain[k]);
            if (p != NULL) {
                p->households++;
                p->open += exit_year == 0;
            }
        }
        m->households++;
        m->open += exit_year == 0;
        size_t y = exit_year == 0 ? SIZE_MAX : year_index(r, exit_year);
        report_year_stats *s[4];
        for (size_t k = y == SIZE_MAX ? 0 : chain_stats(s, m, village, y); k > 0; k--)
            s[k - 1]->exits++;
    }
}

static void count_coverage(report_model *m, const vipa_result *r, size_t y)
{
    for (size_t i = 0; i < vipa_result_year_coverage_count(r, y); i++) {
        vipa_area_code village;
        size_t willing = 0, covered = 0;
        if (vipa_result_year_coverage(&village, &willing, &covered, r, y, i) != VIPA_OK)
            continue;
        report_year_stats *s[4];
        for (size_t k = chain_stats(s, m, village, y); k > 0; k--) {
            s[k - 1]->willing += willing;
            s[k - 1]->covered += covered;
        }
    }
}

static size_t entity_index(const report_names *names, uint64_t id)
{
    const report_entity *e = report_entity_find(names, id);
    return e == NULL ? SIZE_MAX : (size_t)(e - names->entities);
}

static void count_money(report_model *m, const vipa_result *r, const report_names *names,
                        size_t y, int kind, vipa_id household, vipa_fen due, vipa_fen paid)
{
    report_year_stats *s[4];
    for (size_t k = chain_stats(s, m, report_household_village(names, household), y); k > 0; k--) {
        fen_add(&s[k - 1]->due[kind], due);
        fen_add(&s[k - 1]->paid[kind], paid);
    }
    (void)r;
}

static void count_obligations(report_model *m, const vipa_result *r, const report_names *names,
                              size_t y)
{
    for (size_t i = 0; i < vipa_result_year_obligation_count(r, y); i++) {
        vipa_id linkage, household;
        vipa_linkage_kind kind;
        vipa_fen due = 0, paid = 0;
        if (vipa_result_year_obligation(&linkage, &household, &kind, &due, &paid, r, y, i) != VIPA_OK)
            continue;
        int k = kind == VIPA_LINKAGE_WAGE        ? REPORT_WAGE
                : kind == VIPA_LINKAGE_LAND_RENT ? REPORT_LAND_RENT
                                                 : REPORT_PARTICIPATION;
        count_money(m, r, names, y, k, household, due, paid);
        const report_agreement *a = report_agreement_find(names, report_linkage_agreement(names, linkage));
        if (a != NULL)
            fen_add(&m->agreement_owed[a - names->agreements], owed_of(due, paid));
    }
}

static void count_dividends(report_model *m, const vipa_result *r, const report_names *names,
                            size_t y)
{
    for (size_t i = 0; i < vipa_result_year_dividend_count(r, y); i++) {
        vipa_id entity, household;
        vipa_fen due = 0, paid = 0;
        if (vipa_result_year_dividend(&entity, &household, &due, &paid, r, y, i) != VIPA_OK)
            continue;
        count_money(m, r, names, y, REPORT_DIVIDEND, household, due, paid);
        size_t e = entity_index(names, entity);
        if (e != SIZE_MAX)
            fen_add(&m->dividend_owed[e], owed_of(due, paid));
    }
}

static void count_outcomes(report_model *m, const vipa_result *r, const report_names *names,
                           size_t y)
{
    for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++) {
        vipa_id agreement, entity;
        vipa_date date;
        int recheck;
        vipa_outcome o = VIPA_OUTCOME_NONE;
        if (vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &o, r, y, i) != VIPA_OK ||
            o < VIPA_OUTCOME_COMPLIANT || o > VIPA_OUTCOME_TERMINATED)
            continue;
        const report_entity *e = report_entity_find(names, entity);
        report_year_stats *s[4];
        /* An entity without a core village counts in the total row only. */
        for (size_t k = chain_stats(s, m, e != NULL ? e->core : 0, y); k > 0; k--)
            s[k - 1]->outcomes[o - VIPA_OUTCOME_COMPLIANT]++;
    }
}

/* ---- the households still to lift -------------------------------------------------------- */

static int lift_order(const void *pa, const void *pb)
{
    const report_lift *a = pa, *b = pb;
    if (a->village != b->village)
        return a->village < b->village ? -1 : 1;
    if (a->gap != b->gap)
        return a->gap > b->gap ? -1 : 1;
    return (a->household > b->household) - (a->household < b->household);
}

static int collect_lift(report_model *m, const vipa_result *r, const report_names *names)
{
    size_t n = m->nyear == 0 ? 0 : vipa_result_year_household_count(r, m->ystar);
    m->lift = malloc((n + 1) * sizeof *m->lift);
    if (m->lift == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        report_lift l = {0, 0, 0, 0, 0};
        int meets = 1;
        if (vipa_result_year_household(&l.household, &l.income, &l.line, &meets, r, m->ystar, i) !=
                VIPA_OK ||
            meets)
            continue;
        l.village = report_household_village(names, l.household);
        if (vipa_fen_sub(&l.gap, l.line, l.income) != VIPA_OK)
            l.gap = l.income > l.line ? INT64_MIN : INT64_MAX;
        m->lift[m->nlift++] = l;
    }
    if (m->nlift > 0)
        qsort(m->lift, m->nlift, sizeof *m->lift, lift_order);
    for (size_t i = 0; i < m->nlift; i++) {
        report_place *p = (report_place *)report_place_find(m, m->lift[i].village);
        if (p == NULL)
            continue;
        if (p->nlift == 0)
            p->first_lift = i;
        p->nlift++;
    }
    return 0;
}

/* ---- the action section's order ---------------------------------------------------------- */

static int core_order(const void *pa, const void *pb)
{
    const report_core *a = pa, *b = pb;
    if (a->core != b->core)
        return a->core < b->core ? -1 : 1;
    return (a->entity > b->entity) - (a->entity < b->entity);
}

/* The entities by core village, so that a village's findings find their entity by a
 * search rather than a pass over every entity (a province has tens of thousands). */
static int index_cores(report_model *m, const report_names *names)
{
    m->cores = malloc((names->nentity + 1) * sizeof *m->cores);
    if (m->cores == NULL)
        return -1;
    for (size_t i = 0; i < names->nentity; i++)
        if (names->entities[i].core != 0)
            m->cores[m->ncore++] = (report_core){names->entities[i].core, names->entities[i].id};
    if (m->ncore > 0)
        qsort(m->cores, m->ncore, sizeof *m->cores, core_order);
    return 0;
}

/* The one entity whose core village is @p village, or 0 when none or several. */
static uint64_t sole_core_entity(const report_model *m, uint64_t village)
{
    size_t lo = 0, hi = m->ncore;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->cores[mid].core < village)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= m->ncore || m->cores[lo].core != village)
        return 0;
    return lo + 1 < m->ncore && m->cores[lo + 1].core == village ? 0 : m->cores[lo].entity;
}

void report_finding_group(const report_model *m, const report_names *names, vipa_subject_kind kind,
                          uint64_t id, uint64_t *entity, uint64_t *agreement)
{
    *entity = *agreement = 0;
    if (kind == VIPA_SUBJECT_LINKAGE)
        *agreement = report_linkage_agreement(names, id);
    else if (kind == VIPA_SUBJECT_AGREEMENT)
        *agreement = id;
    else if (kind == VIPA_SUBJECT_ENTITY)
        *entity = id;
    else if (kind == VIPA_SUBJECT_VILLAGE)
        *entity = sole_core_entity(m, id);
    else if (kind == VIPA_SUBJECT_HOUSEHOLD) {
        size_t first, n;
        report_household_agreements(names, id, &first, &n);
        if (n == 1)
            *agreement = names->listings[first].agreement;
    }
    const report_agreement *ag = *agreement != 0 ? report_agreement_find(names, *agreement) : NULL;
    if (ag != NULL)
        *entity = ag->entity;
    if (*entity == 0 || report_entity_find(names, *entity) == NULL)
        *entity = *agreement = 0; /* nothing to hang it on: "other" */
}

static int cmp_u64(uint64_t a, uint64_t b)
{
    return (a > b) - (a < b);
}

static int cmp_owed(vipa_fen a, vipa_fen b)
{
    return (a < b) - (a > b); /* descending */
}

static int action_order(const void *pa, const void *pb)
{
    const report_action *a = pa, *b = pb;
    if ((a->entity == 0) != (b->entity == 0))
        return a->entity == 0 ? 1 : -1;
    int c = cmp_owed(a->entity_owed, b->entity_owed);
    if (c == 0)
        c = cmp_u64(a->entity, b->entity);
    if (c == 0 && (a->agreement == 0) != (b->agreement == 0))
        c = a->agreement == 0 ? 1 : -1;
    if (c == 0)
        c = cmp_owed(a->agreement_owed, b->agreement_owed);
    if (c == 0)
        c = cmp_u64(a->agreement, b->agreement);
    return c != 0 ? c : cmp_u64(a->finding, b->finding);
}

static int collect_actions(report_model *m, const vipa_result *r, const report_names *names)
{
    const vipa_findings *f = vipa_result_findings(r);
    size_t n = vipa_findings_count(f);
    m->actions = malloc((n + 1) * sizeof *m->actions);
    if (m->actions == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (vipa_finding_severity(f, i) != VIPA_SEVERITY_ERROR)
            continue;
        report_action *a = &m->actions[m->nactions++];
        report_finding_group(m, names, vipa_finding_subject_kind(f, i), vipa_finding_subject_id(f, i),
                             &a->entity, &a->agreement);
        a->finding = i;
        size_t e = entity_index(names, a->entity);
        a->entity_owed = e == SIZE_MAX ? 0 : m->entity_owed[e];
        const report_agreement *ag = report_agreement_find(names, a->agreement);
        a->agreement_owed = ag == NULL ? 0 : m->agreement_owed[ag - names->agreements];
    }
    if (m->nactions > 0)
        qsort(m->actions, m->nactions, sizeof *m->actions, action_order);
    return 0;
}

/* An entity's owed: its agreements' and its dividends'. */
static void sum_entity_owed(report_model *m, const report_names *names)
{
    for (size_t e = 0; e < names->nentity; e++)
        m->entity_owed[e] = m->dividend_owed[e];
    for (size_t a = 0; a < names->nagreement; a++) {
        size_t e = entity_index(names, names->agreements[a].entity);
        if (e != SIZE_MAX)
            fen_add(&m->entity_owed[e], m->agreement_owed[a]);
    }
}

/* ---- the whole model ---------------------------------------------------------------------- */

static size_t last_complete_year(const vipa_result *r)
{
    size_t n = vipa_result_year_count(r);
    for (size_t y = n; y > 0; y--)
        if (vipa_result_year_complete(r, y - 1))
            return y - 1;
    return n > 0 ? n - 1 : 0;
}

static int allocate(report_model *m, const report_names *names)
{
    m->stats = calloc((m->nplace + 1) * (m->nyear + 1), sizeof *m->stats);
    m->agreement_owed = calloc(names->nagreement + 1, sizeof *m->agreement_owed);
    m->entity_owed = calloc(names->nentity + 1, sizeof *m->entity_owed);
    m->dividend_owed = calloc(names->nentity + 1, sizeof *m->dividend_owed);
    return m->stats && m->agreement_owed && m->entity_owed && m->dividend_owed ? 0 : -1;
}

int report_model_build(report_model *m, const vipa_result *r, const report_names *names)
{
    memset(m, 0, sizeof *m);
    m->nyear = vipa_result_year_count(r);
    m->ystar = last_complete_year(r);
    if (build_places(m, names) != 0 || allocate(m, names) != 0) {
        report_model_free(m);
        return -1;
    }
    count_households(m, r, names);
    for (size_t y = 0; y < m->nyear; y++) {
        count_coverage(m, r, y);
        count_obligations(m, r, names, y);
        count_dividends(m, r, names, y);
        count_outcomes(m, r, names, y);
    }
    sum_entity_owed(m, names);
    if (index_cores(m, names) != 0 || collect_lift(m, r, names) != 0 || collect_actions(m, r, names) != 0) {
        report_model_free(m);
        return -1;
    }
    return 0;
}

void report_model_free(report_model *m)
{
    free(m->places);
    free(m->stats);
    free(m->lift);
    free(m->actions);
    free(m->agreement_owed);
    free(m->entity_owed);
    free(m->dividend_owed);
    free(m->cores);
    memset(m, 0, sizeof *m);
}
