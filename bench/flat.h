/*
 * The generated province as plain columns (what a platform's tables hold), for the
 * peers: the stream floor reads them in one pass, SQLite loads them, and the numpy peer
 * reads them as CSV. Records keep the generator's order: agreements, each followed by
 * its households, each by its linkages, each linkage by its payments, then the
 * household's dividend payment.
 */
#ifndef VIPA_BENCH_FLAT_H
#define VIPA_BENCH_FLAT_H

#include <stddef.h>
#include <stdint.h>

#include "answers.h"
#include "gen.h"

typedef struct flat {
    uint64_t na, nh, nl, np;
    vipa_fen line;                 /* per person, GEN_YEAR */
    /* agreements (entity, injection and dividend share its number) */
    uint64_t *a_id;                /* agreement id = entity id = injection id */
    uint32_t *a_first;             /* [na + 1]: first household */
    int64_t *a_amount;             /* injection amount */
    uint8_t *a_per_member;         /* 1: split by members, 0: by household */
    int32_t *a_rate;               /* dividend rate in bp, -1 with a pool */
    int64_t *a_pool;               /* dividend pool, -1 with a rate */
    int32_t *a_deadline;           /* the agreement's exit deadline */
    /* households */
    uint64_t *h_id;
    uint64_t *h_village;
    uint8_t *h_members;
    uint8_t *h_assured;            /* guarantee bits held in GEN_YEAR */
    uint16_t *h_target;            /* the plan's exit target */
    int64_t *h_task;               /* the plan's income target of GEN_YEAR; VIPA_FEN_UNSET: none */
    int64_t *h_other;              /* other income of GEN_YEAR */
    /* linkages */
    uint64_t *l_id;
    uint32_t *l_household;         /* index */
    uint8_t *l_kind;               /* vipa_linkage_kind */
    int64_t *l_amount;             /* annual, daily wage or rent per mu */
    uint32_t *l_units;             /* days, or area in 0.01 mu; 0 for an annual amount */
    /* payments of GEN_YEAR */
    uint32_t *p_target;            /* linkage index, or household index for a dividend */
    uint8_t *p_dividend;
    int64_t *p_amount;
    int32_t *p_date;
} flat;

/* Generates the whole province into columns. VIPA_OK or VIPA_E_NOMEM. */
int flat_build(const gen *g, flat *f);
void flat_free(flat *f);
size_t flat_bytes(const flat *f);

/* The independent sums of the generator: incomes, dues, dividends due and paid. */
void flat_totals(const flat *f, answers *a);

/* Writes the tables as CSV files into dir (households.csv, ...). 0 or -1 (errno). */
int flat_write_csv(const flat *f, const char *dir);

/* Writes the province as a scenario JSON file (the format of docs/scenario.md). 0 or -1. */
int gen_write_scenario(const gen *g, const char *path);

/* The due per year of linkage l. */
static inline int64_t flat_due(const flat *f, uint64_t l)
{
    int64_t amount = f->l_amount[l];
    uint32_t units = f->l_units[l];
    if (f->l_kind[l] == VIPA_LINKAGE_LAND_RENT)
        return (amount * (int64_t)units + 50) / 100;
    return units ? amount * (int64_t)units : amount;
}

#endif /* VIPA_BENCH_FLAT_H */
