/* The province as columns, CSV and scenario JSON (see flat.h). */
#include "flat.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK = 256 }; /* agreements per generated batch */

#define ALLOC(ptr, n) ((ptr) = calloc((size_t)(n) + 1, sizeof *(ptr)))

int flat_build(const gen *g, flat *f)
{
    memset(f, 0, sizeof *f);
    f->na = g->agreements;
    f->nh = g->n;
    f->nl = g->linkages;
    f->line = g->line;
    uint64_t most_payments = g->linkages + g->n;
    if (!ALLOC(f->a_id, f->na) || !ALLOC(f->a_first, f->na + 1) || !ALLOC(f->a_amount, f->na) ||
        !ALLOC(f->a_per_member, f->na) || !ALLOC(f->a_rate, f->na) ||
        !ALLOC(f->a_pool, f->na) || !ALLOC(f->a_deadline, f->na) || !ALLOC(f->h_id, f->nh) ||
        !ALLOC(f->h_village, f->nh) || !ALLOC(f->h_members, f->nh) ||
        !ALLOC(f->h_assured, f->nh) || !ALLOC(f->h_target, f->nh) || !ALLOC(f->h_task, f->nh) ||
        !ALLOC(f->h_other, f->nh) || !ALLOC(f->l_id, f->nl) || !ALLOC(f->l_household, f->nl) ||
        !ALLOC(f->l_kind, f->nl) || !ALLOC(f->l_amount, f->nl) || !ALLOC(f->l_units, f->nl) ||
        !ALLOC(f->p_target, most_payments) || !ALLOC(f->p_dividend, most_payments) ||
        !ALLOC(f->p_amount, most_payments) || !ALLOC(f->p_date, most_payments)) {
        flat_free(f);
        return VIPA_E_NOMEM;
    }
    gen_batch b = {0};
    for (uint64_t a0 = 0; a0 < g->agreements; a0 += CHUNK) {
        uint64_t a1 = a0 + CHUNK < g->agreements ? a0 + CHUNK : g->agreements;
        if (gen_batch_make(g, a0, a1, &b) != VIPA_OK) {
            gen_batch_free(&b);
            flat_free(f);
            return VIPA_E_NOMEM;
        }
        for (size_t j = 0; j < b.na; j++) {
            uint64_t a = a0 + j;
            f->a_id[a] = b.agreements[j].id;
            f->a_first[a] = (uint32_t)gen_agreement_first(g, a);
            f->a_amount[a] = b.injections[j].amount;
            f->a_per_member[a] = b.injections[j].allocation == VIPA_ALLOCATION_PER_MEMBER;
            f->a_rate[a] = b.dividends[j].rate_bp;
            f->a_pool[a] = b.dividends[j].rate_bp < 0 ? b.dividends[j].pool : -1;
            f->a_deadline[a] = b.agreements[j].exit_deadline;
        }
        for (size_t k = 0; k < b.nh; k++) {
            uint64_t h = b.first_household + k;
            f->h_id[h] = b.households[k].id;
            f->h_village[h] = b.households[k].village;
            f->h_members[h] = (uint8_t)b.households[k].members;
            f->h_assured[h] = (uint8_t)b.assured[k].items;
            f->h_target[h] = (uint16_t)b.plans[k].exit_target;
            f->h_task[h] = VIPA_FEN_UNSET;
            for (size_t t = 0; t < b.plans[k].task_len; t++)
                if (b.plans[k].task_years[t] == GEN_YEAR && b.plans[k].task_incomes)
                    f->h_task[h] = b.plans[k].task_incomes[t];
            f->h_other[h] = b.incomes[k].other;
        }
        for (size_t k = 0; k < b.nl; k++) {
            const vipa_linkage *l = &b.linkages[k];
            uint64_t n = b.first_linkage + k;
            f->l_id[n] = l->id;
            f->l_household[n] = (uint32_t)(b.first_household + b.linkage_household[k]);
            f->l_kind[n] = (uint8_t)l->kind;
            f->l_amount[n] = l->kind == VIPA_LINKAGE_LAND_RENT ? l->rent_per_mu
                             : l->days                         ? l->daily_wage
                                                               : l->annual;
            f->l_units[n] = (uint32_t)(l->kind == VIPA_LINKAGE_LAND_RENT ? l->area_cmu : l->days);
        }
        /* Payments follow their linkages in order: the k-th linkage payment of the batch
         * is of the batch's k-th linkage. */
        size_t lk = 0;
        for (size_t k = 0; k < b.np; k++, f->np++) {
            const vipa_payment *p = &b.payments[k];
            f->p_dividend[f->np] = p->linkage == 0;
            f->p_target[f->np] = p->linkage ? (uint32_t)(b.first_linkage + lk++)
                                            : (uint32_t)(b.first_household + b.payment_household[k]);
            f->p_amount[f->np] = p->amount;
            f->p_date[f->np] = p->date;
        }
    }
    f->a_first[f->na] = (uint32_t)f->nh;
    gen_batch_free(&b);
    return VIPA_OK;
}

void flat_free(flat *f)
{
    free(f->a_id);
    free(f->a_first);
    free(f->a_amount);
    free(f->a_per_member);
    free(f->a_rate);
    free(f->a_pool);
    free(f->a_deadline);
    free(f->h_id);
    free(f->h_village);
    free(f->h_members);
    free(f->h_assured);
    free(f->h_target);
    free(f->h_task);
    free(f->h_other);
    free(f->l_id);
    free(f->l_household);
    free(f->l_kind);
    free(f->l_amount);
    free(f->l_units);
    free(f->p_target);
    free(f->p_dividend);
    free(f->p_amount);
    free(f->p_date);
    memset(f, 0, sizeof *f);
}

size_t flat_bytes(const flat *f)
{
    return (size_t)(f->na * (8 + 4 + 8 + 1 + 4 + 8 + 4) + f->nh * (8 + 8 + 1 + 1 + 2 + 8 + 8) +
                    f->nl * (8 + 4 + 1 + 8 + 4) + f->np * (4 + 1 + 8 + 4));
}

void flat_totals(const flat *f, answers *a)
{
    for (uint64_t h = 0; h < f->nh; h++) {
        a->income_sum += f->h_other[h];
        a->line_sum += f->line * f->h_members[h];
    }
    a->households = f->nh;
    for (uint64_t l = 0; l < f->nl; l++)
        a->linkage_due_sum += flat_due(f, l);
    for (uint64_t p = 0; p < f->np; p++) {
        a->income_sum += f->p_amount[p];
        if (f->p_dividend[p])
            a->dividend_paid_sum += f->p_amount[p];
    }
}

/* ---- CSV ------------------------------------------------------------------------------ */

static FILE *open_in(const char *dir, const char *name, const char *header)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *out = fopen(path, "w");
    if (out) {
        setvbuf(out, NULL, _IOFBF, 1 << 20);
        fprintf(out, "%s\n", header);
    }
    return out;
}

static int close_ok(FILE *out)
{
    int bad = ferror(out);
    return fclose(out) == 0 && !bad ? 0 : -1;
}

/* Integers without printf, for speed: a CSV of 10^7 households has 10^8 fields. */
static char *put_i64(char *p, int64_t v)
{
    char tmp[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *p++ = '-';
    while (n)
        *p++ = tmp[--n];
    return p;
}

static void row(FILE *out, const int64_t *v, int n)
{
    char line[512], *p = line;
    for (int i = 0; i < n; i++) {
        if (i)
            *p++ = ',';
        p = put_i64(p, v[i]);
    }
    *p++ = '\n';
    fwrite(line, 1, (size_t)(p - line), out);
}

int flat_write_csv(const flat *f, const char *dir)
{
    int rc = 0;
    FILE *out = open_in(dir, "params.csv", "year,line,evaluation,recheck,poor_share_bp,require_guarantees");
    if (!out)
        return -1;
    row(out, (int64_t[]){GEN_YEAR, f->line, GEN_EVALUATION, GEN_RECHECK, 7000, 1}, 6);
    rc |= close_ok(out);

    /* agreements, injections and dividends: one of each per entity */
    if (!(out = open_in(dir, "agreements.csv", "id,entity,signed,start,end,exit_deadline")))
        return -1;
    for (uint64_t a = 0; a < f->na; a++)
        row(out, (int64_t[]){(int64_t)f->a_id[a], (int64_t)f->a_id[a], 20161115, 20161101,
                             20191231, f->a_deadline[a]}, 6);
    rc |= close_ok(out);
    if (!(out = open_in(dir, "injections.csv", "id,entity,agreement,date,amount,per_member")))
        return -1;
    for (uint64_t a = 0; a < f->na; a++)
        row(out, (int64_t[]){(int64_t)f->a_id[a], (int64_t)f->a_id[a], (int64_t)f->a_id[a],
                             20161201, f->a_amount[a], f->a_per_member[a]}, 6);
    rc |= close_ok(out);
    if (!(out = open_in(dir, "dividends.csv", "entity,year,rate_bp,pool")))
        return -1;
    for (uint64_t a = 0; a < f->na; a++)
        row(out, (int64_t[]){(int64_t)f->a_id[a], GEN_YEAR, f->a_rate[a], f->a_pool[a]}, 4);
    rc |= close_ok(out);

    /* households, the agreements' households, plans, guarantees, other incomes */
    FILE *hh = open_in(dir, "households.csv", "id,village,members");
    FILE *ah = open_in(dir, "agreement_households.csv", "agreement,household");
    FILE *pl = open_in(dir, "plans.csv", "household,agreement,exit_target");
    /* the plans' annual tasks that set an income target (a task without one: no row) */
    FILE *pt = open_in(dir, "plan_tasks.csv", "household,agreement,year,income");
    FILE *as = open_in(dir, "assured.csv", "household,year,items");
    FILE *in = open_in(dir, "incomes.csv", "household,year,other");
    if (!hh || !ah || !pl || !pt || !as || !in)
        return -1;
    for (uint64_t a = 0; a < f->na; a++) {
        for (uint64_t h = f->a_first[a]; h < f->a_first[a + 1]; h++) {
            int64_t id = (int64_t)f->h_id[h];
            row(hh, (int64_t[]){id, (int64_t)f->h_village[h], f->h_members[h]}, 3);
            row(ah, (int64_t[]){(int64_t)f->a_id[a], id}, 2);
            row(pl, (int64_t[]){id, (int64_t)f->a_id[a], f->h_target[h]}, 3);
            if (f->h_task[h] != VIPA_FEN_UNSET)
                row(pt, (int64_t[]){id, (int64_t)f->a_id[a], GEN_YEAR, f->h_task[h]}, 4);
            row(as, (int64_t[]){id, GEN_YEAR, f->h_assured[h]}, 3);
            row(in, (int64_t[]){id, GEN_YEAR, f->h_other[h]}, 3);
        }
    }
    rc |= close_ok(hh) | close_ok(ah) | close_ok(pl) | close_ok(pt) | close_ok(as) | close_ok(in);

    /* linkages: kind 1 wage, 2 land rent, 3 participation; unused fields 0 */
    if (!(out = open_in(dir, "linkages.csv",
                        "id,kind,household,agreement,from_year,to_year,annual,days,daily_wage,"
                        "area_cmu,rent_per_mu")))
        return -1;
    uint64_t a = 0;
    for (uint64_t l = 0; l < f->nl; l++) {
        uint32_t h = f->l_household[l];
        while (f->a_first[a + 1] <= h)
            a++;
        int land = f->l_kind[l] == VIPA_LINKAGE_LAND_RENT, days = !land && f->l_units[l];
        row(out, (int64_t[]){(int64_t)f->l_id[l], f->l_kind[l], (int64_t)f->h_id[h],
                             (int64_t)f->a_id[a], GEN_YEAR, GEN_YEAR,
                             !land && !days ? f->l_amount[l] : 0, days ? f->l_units[l] : 0,
                             days ? f->l_amount[l] : 0, land ? f->l_units[l] : 0,
                             land ? f->l_amount[l] : 0}, 11);
    }
    rc |= close_ok(out);

    /* payments: a linkage's (linkage, 0, 0) or a dividend's (0, entity, household) */
    if (!(out = open_in(dir, "payments.csv", "linkage,entity,household,year,amount,date")))
        return -1;
    a = 0;
    for (uint64_t p = 0; p < f->np; p++) {
        if (f->p_dividend[p]) {
            uint32_t h = f->p_target[p];
            while (f->a_first[a + 1] <= h)
                a++;
            row(out, (int64_t[]){0, (int64_t)f->a_id[a], (int64_t)f->h_id[h], GEN_YEAR,
                                 f->p_amount[p], f->p_date[p]}, 6);
        } else {
            row(out, (int64_t[]){(int64_t)f->l_id[f->p_target[p]], 0, 0, GEN_YEAR,
                                 f->p_amount[p], f->p_date[p]}, 6);
        }
    }
    rc |= close_ok(out);
    return rc;
}

/* ---- scenario JSON ------------------------------------------------------------------------ */

static void yuan(FILE *out, vipa_fen v)
{
    uint64_t m = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    fprintf(out, "\"%s%" PRIu64 ".%02u\"", v < 0 ? "-" : "", m / 100, (unsigned)(m % 100));
}

static void day(FILE *out, vipa_date d)
{
    fprintf(out, "\"%04d-%02d-%02d\"", d / 10000, d / 100 % 100, d % 100);
}

static void code(FILE *out, vipa_area_code c)
{
    fprintf(out, "\"%012" PRIu64 "\"", c);
}

static const char *const entity_kinds[] = {"", "enterprise", "park", "cooperative",
                                           "family_farm", "large_grower"};
static const char *const causes[] = {"", "illness", "disability", "schooling", "disaster",
                                     "lack_of_land", "lack_of_water", "lack_of_skills",
                                     "lack_of_labour", "lack_of_capital", "poor_transport",
                                     "lack_of_drive"};
static const char *const assured_items[] = {"food_clothing", "education", "medical", "housing",
                                            "water"};
static const char *const levels[] = {"", "village", "town", "county", "not_provided"};

/* One section: every batch's records of one kind. */
typedef void (*section_fn)(FILE *out, const gen_batch *b, int *first);

static void comma(FILE *out, int *first)
{
    fputs(*first ? "\n  " : ",\n  ", out);
    *first = 0;
}

static void s_entities(FILE *out, const gen_batch *b, int *first)
{
    for (size_t j = 0; j < b->na; j++) {
        const vipa_entity *e = &b->entities[j];
        comma(out, first);
        fprintf(out, "{\"id\": %" PRIu64 ", \"name\": \"%s\", \"kind\": \"%s\", \"core_village\": ",
                e->id, e->name, entity_kinds[e->kind]);
        code(out, e->core_village);
        fprintf(out, ", \"industry\": \"%s\", \"selection\": {\"well_managed\": true, "
                "\"profitable\": true, \"financially_strong\": true, \"socially_responsible\": "
                "true, \"trustworthy\": true, \"wide_coverage\": true, \"sustainable\": true, "
                "\"willing\": true}}", e->industry);
    }
}

static void s_households(FILE *out, const gen_batch *b, int *first)
{
    for (size_t k = 0; k < b->nh; k++) {
        const vipa_household *h = &b->households[k];
        comma(out, first);
        fprintf(out, "{\"id\": %" PRIu64 ", \"village\": ", h->id);
        code(out, h->village);
        fprintf(out, ", \"members\": %d, \"labour\": %d, \"cause\": \"%s\", \"willing\": %s, "
                "\"assured\": {\"%d\": [", h->members, h->labour, causes[h->cause],
                h->willing ? "true" : "false", GEN_YEAR);
        int n = 0;
        for (int bit = 0; bit < 5; bit++)
            if (b->assured[k].items & (1u << bit))
                fprintf(out, "%s\"%s\"", n++ ? ", " : "", assured_items[bit]);
        fputs("]}}", out);
    }
}

static void s_agreements(FILE *out, const gen_batch *b, int *first)
{
    for (size_t j = 0; j < b->na; j++) {
        const vipa_agreement *a = &b->agreements[j];
        comma(out, first);
        fprintf(out, "{\"id\": %" PRIu64 ", \"entity\": %" PRIu64 ", \"households\": [", a->id,
                a->entity);
        for (size_t k = 0; k < a->household_len; k++)
            fprintf(out, "%s%" PRIu64, k ? ", " : "", a->households[k]);
        fprintf(out, "], \"household_count\": %" PRId64 ", \"projects\": [\"产业基地\", "
                "\"扶贫车间\"], \"support\": [\"财政扶贫资金折资入股\", \"扶贫贴息贷款\"], "
                "\"start\": ", a->household_count);
        day(out, a->start);
        fputs(", \"end\": ", out);
        day(out, a->end);
        fprintf(out, ", \"exit_deadline\": %d, \"signed\": ", a->exit_deadline);
        day(out, a->signed_on);
        fprintf(out, ", \"signer\": {\"level\": \"%s\"", levels[a->signer_level]);
        if (a->signer_area) {
            fputs(", \"area\": ", out);
            code(out, a->signer_area);
        }
        fputs("}}", out);
    }
}

static void s_plans(FILE *out, const gen_batch *b, int *first)
{
    for (size_t k = 0; k < b->nh; k++) {
        const vipa_plan *p = &b->plans[k];
        comma(out, first);
        fprintf(out, "{\"household\": %" PRIu64 ", \"agreement\": %" PRIu64 ", \"exit_target\": "
                "%d, \"industries\": [\"%s\"], \"measures\": [\"务工就业\", \"入股分红\"], "
                "\"tasks\": [", p->household, p->agreement, p->exit_target,
                b->entities[b->household_agreement[k]].industry);
        for (size_t t = 0; t < p->task_len; t++) {
            fprintf(out, "%s{\"year\": %d", t ? ", " : "", p->task_years[t]);
            if (p->task_incomes[t] != VIPA_FEN_UNSET) {
                fputs(", \"income\": ", out);
                yuan(out, p->task_incomes[t]);
            }
            fputc('}', out);
        }
        fputs("], \"filed\": [\"county\", \"town\", \"village\"], \"persons\": [", out);
        for (size_t m = 0; m < p->person_task_count; m++)
            fprintf(out, "%s{\"member\": %zu, \"task\": \"务工\"}", m ? ", " : "", m + 1);
        fputs("]}", out);
    }
}

static void s_linkages(FILE *out, const gen_batch *b, int *first)
{
    static const char *const kinds[] = {"", "wage", "land_rent", "participation"};
    for (size_t k = 0; k < b->nl; k++) {
        const vipa_linkage *l = &b->linkages[k];
        comma(out, first);
        fprintf(out, "{\"id\": %" PRIu64 ", \"kind\": \"%s\", \"household\": %" PRIu64
                ", \"entity\": %" PRIu64 ", \"agreement\": %" PRIu64 ", \"from\": %d, \"to\": %d, ",
                l->id, kinds[l->kind], l->household, l->entity, l->agreement, l->from_year,
                l->to_year);
        if (l->kind == VIPA_LINKAGE_LAND_RENT) {
            fprintf(out, "\"area_mu\": \"%" PRId64 ".%02d\", \"rent_per_mu\": ", l->area_cmu / 100,
                    (int)(l->area_cmu % 100));
            yuan(out, l->rent_per_mu);
        } else if (l->days) {
            fprintf(out, "\"days\": %" PRId64 ", \"daily_wage\": ", l->days);
            yuan(out, l->daily_wage);
        } else {
            fputs("\"annual\": ", out);
            yuan(out, l->annual);
        }
        fputc('}', out);
    }
}

static void s_injections(FILE *out, const gen_batch *b, int *first)
{
    for (size_t j = 0; j < b->na; j++) {
        const vipa_injection *in = &b->injections[j];
        comma(out, first);
        fprintf(out, "{\"id\": %" PRIu64 ", \"entity\": %" PRIu64 ", \"agreement\": %" PRIu64
                ", \"date\": ", in->id, in->entity, in->agreement);
        day(out, in->date);
        fputs(", \"amount\": ", out);
        yuan(out, in->amount);
        fprintf(out, ", \"allocation\": \"%s\"}",
                in->allocation == VIPA_ALLOCATION_PER_MEMBER ? "per_member" : "per_household");
    }
}

static void s_dividends(FILE *out, const gen_batch *b, int *first)
{
    for (size_t j = 0; j < b->na; j++) {
        const vipa_dividend *d = &b->dividends[j];
        comma(out, first);
        fprintf(out, "{\"entity\": %" PRIu64 ", \"year\": %d, ", d->entity, d->year);
        if (d->rate_bp >= 0) {
            fprintf(out, "\"rate_bp\": %d}", (int)d->rate_bp);
        } else {
            fputs("\"pool\": ", out);
            yuan(out, d->pool);
            fputc('}', out);
        }
    }
}

static void s_payments(FILE *out, const gen_batch *b, int *first)
{
    for (size_t k = 0; k < b->np; k++) {
        const vipa_payment *p = &b->payments[k];
        comma(out, first);
        if (p->linkage)
            fprintf(out, "{\"linkage\": %" PRIu64, p->linkage);
        else
            fprintf(out, "{\"dividend\": {\"entity\": %" PRIu64 ", \"household\": %" PRIu64 "}",
                    p->entity, p->household);
        fprintf(out, ", \"year\": %d, \"amount\": ", p->year);
        yuan(out, p->amount);
        fputs(", \"date\": ", out);
        day(out, p->date);
        fputc('}', out);
    }
}

static void s_incomes(FILE *out, const gen_batch *b, int *first)
{
    for (size_t k = 0; k < b->nh; k++) {
        comma(out, first);
        fprintf(out, "{\"household\": %" PRIu64 ", \"year\": %d, \"other\": ",
                b->incomes[k].household, b->incomes[k].year);
        yuan(out, b->incomes[k].other);
        fputc('}', out);
    }
}

static int section(FILE *out, const gen *g, const char *name, section_fn fn)
{
    fprintf(out, ",\n\"%s\": [", name);
    int first = 1;
    gen_batch b = {0};
    for (uint64_t a0 = 0; a0 < g->agreements; a0 += CHUNK) {
        uint64_t a1 = a0 + CHUNK < g->agreements ? a0 + CHUNK : g->agreements;
        if (gen_batch_make(g, a0, a1, &b) != VIPA_OK) {
            gen_batch_free(&b);
            return -1;
        }
        fn(out, &b, &first);
    }
    gen_batch_free(&b);
    fputs("]", out);
    return 0;
}

int gen_write_scenario(const gen *g, const char *path)
{
    FILE *out = fopen(path, "w");
    if (!out)
        return -1;
    fputs("{\"vipa\": 1,\n\"profile\": {\"base\": \"shangluo-2016\", \"params\": "
          "{\"equity.poor_share_bp\": 7000, \"equity.allocation\": \"per_household\", "
          "\"exit.require_guarantees\": true, \"poverty_line\": {\"2017\": ", out);
    yuan(out, g->line);
    fputs("}}},\n\"areas\": [", out);
    vipa_area *areas;
    size_t n;
    char *names;
    if (gen_areas(g, &areas, &n, &names) != VIPA_OK) {
        fclose(out);
        return -1;
    }
    static const char *const area_levels[] = {"", "county", "town", "village"};
    for (size_t i = 0; i < n; i++) {
        fputs(i ? ",\n  {\"code\": " : "\n  {\"code\": ", out);
        code(out, areas[i].code);
        fprintf(out, ", \"name\": \"%s\", \"level\": \"%s\"", areas[i].name,
                area_levels[areas[i].level]);
        if (areas[i].industry)
            fprintf(out, ", \"industry\": \"%s\"", areas[i].industry);
        fputc('}', out);
    }
    free(areas);
    free(names);
    fputs("]", out);
    int rc = section(out, g, "entities", s_entities);
    if (!rc)
        rc = section(out, g, "households", s_households);
    if (!rc)
        rc = section(out, g, "agreements", s_agreements);
    if (!rc)
        rc = section(out, g, "plans", s_plans);
    if (!rc)
        rc = section(out, g, "linkages", s_linkages);
    if (!rc)
        rc = section(out, g, "injections", s_injections);
    if (!rc)
        rc = section(out, g, "dividends", s_dividends);
    if (!rc)
        rc = section(out, g, "payments", s_payments);
    if (!rc)
        rc = section(out, g, "incomes", s_incomes);
    vipa_evaluation e[2];
    gen_evaluations(e);
    fputs(",\n\"evaluations\": [", out);
    for (int i = 0; i < 2; i++) {
        fprintf(out, "%s{\"year\": %d, \"date\": ", i ? ", " : "", e[i].year);
        day(out, e[i].date);
        fprintf(out, "%s}", e[i].recheck ? ", \"recheck\": true" : "");
    }
    fputs("]}\n", out);
    return close_ok(out) | rc;
}
