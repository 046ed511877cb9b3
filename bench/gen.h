/*
 * The benchmark's deterministic generator of a synthetic province (issue #8).
 *
 * Everything follows from (households N, seed): N/200 villages, 15 to a town, 14 towns to
 * a county, with real-shaped 12-digit codes (the first seven counties are Shangluo's own,
 * 611002 商州区 ... 611026 柞水县); N/100 entities, each with one agreement over ~100
 * consecutive households, one fiscal-equity injection (per household or per member) and
 * one dividend for the year (a rate, or a pool); 1..5 linkages per household (3 on
 * average) of every kind (wage by the year, wage as days × daily wage, land rent,
 * participation); one payment per linkage-year and per dividend owed, 5 % of them late
 * or short; other income, guarantees and a filed plan per household (its annual task of
 * the year with an income target); an evaluation of the year and its re-check.
 *
 * It is a one-year province: every linkage runs for GEN_YEAR alone and every plan states
 * its task for GEN_YEAR alone, so the run figures exactly one year (the years of a run
 * include every linkage year and task year). The agreements' periods and exit deadlines
 * and the plans' exit targets reach beyond it; they only limit.
 *
 * Any range of agreements can be generated on its own (gen_batch_make), so a province of
 * 10^7 households is loaded in chunks, like rows read from a database cursor, and the
 * same records can be generated again for the peers.
 */
#ifndef VIPA_BENCH_GEN_H
#define VIPA_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <vipa.h>

enum {
    GEN_YEAR = 2017,              /* the year run */
    GEN_EVALUATION = 20180131,    /* the plain evaluation of GEN_YEAR, its cut-off */
    GEN_RECHECK = 20180430,       /* the re-check after rectification */
    GEN_TASK_YEARS = 1            /* plans state their annual task for GEN_YEAR only */
};

typedef struct gen {
    uint64_t n, seed;
    uint64_t counties, towns, villages, agreements;
    uint64_t linkages;            /* explicit linkages in all */
    uint64_t *link_base;          /* [agreements + 1]: global number of each agreement's first linkage */
    uint64_t hh_mask, lk_mask;    /* ids are scrambled: 1 + (number × odd) mod 2^k */
    vipa_fen line;                /* the poverty line per person of GEN_YEAR (the profile's) */
} gen;

/* One range of agreements' records, as the batch API takes them. */
typedef struct gen_batch {
    uint64_t a0, a1;              /* agreements [a0, a1) */
    uint64_t first_household;     /* global number of households[0] */
    uint64_t first_linkage;       /* global number of linkages[0] */
    size_t nh, nl, np, na;
    vipa_entity *entities;        /* na of each per-agreement kind */
    vipa_agreement *agreements;
    vipa_injection *injections;
    vipa_dividend *dividends;
    vipa_id *agreement_households; /* nh, in household order */
    vipa_household *households;   /* nh of each per-household kind */
    vipa_plan *plans;
    vipa_fen *task_incomes;       /* GEN_TASK_YEARS per plan: the income target */
    vipa_assured *assured;
    vipa_income *incomes;
    uint32_t *household_agreement; /* index in the batch of each household's agreement */
    vipa_linkage *linkages;       /* nl, grouped by household */
    uint32_t *linkage_household;  /* index in the batch of each linkage's household */
    vipa_payment *payments;       /* np: per household its linkages' payments, then its dividend's */
    uint32_t *payment_household;  /* index in the batch of each payment's household */
    char *names;                  /* entity names, 32 bytes each */
    size_t cap_h, cap_l, cap_p, cap_a;
} gen_batch;

extern const int gen_task_years[GEN_TASK_YEARS];

/* Sizes the province; VIPA_OK or VIPA_E_NOMEM. line: the profile's line per person. */
int gen_init(gen *g, uint64_t households, uint64_t seed, vipa_fen line);
void gen_free(gen *g);

/* Every area, counties then towns then villages (parents first). *names holds their
 * texts; free both with free(). */
int gen_areas(const gen *g, vipa_area **areas, size_t *n, char **names);

/* The records of agreements [a0, a1); the batch's arrays are reused and grown. */
int gen_batch_make(const gen *g, uint64_t a0, uint64_t a1, gen_batch *b);
void gen_batch_free(gen_batch *b);

/* The evaluation of GEN_YEAR and its re-check. */
void gen_evaluations(vipa_evaluation out[2]);

/* Ids of the global household / linkage number k. */
vipa_id gen_household_id(const gen *g, uint64_t k);
vipa_id gen_linkage_id(const gen *g, uint64_t k);

/* First household number of agreement a (a = agreements gives n). */
uint64_t gen_agreement_first(const gen *g, uint64_t a);

/* The amount due per year under a linkage, as the plan derives it. */
vipa_fen gen_linkage_due(const vipa_linkage *l);

/* The exact split (largest remainder, ties to the lower index) of total ≥ 0 by weights;
 * n ≤ GEN_SPLIT_MAX. */
enum { GEN_SPLIT_MAX = 4096 };
void gen_split(int64_t *parts, int64_t total, const uint64_t *weights, size_t n);

/* 128-bit products for exact splits and range arithmetic (a GCC/Clang extension). */
__extension__ typedef unsigned __int128 gen_u128;

/* splitmix64's finaliser: the digests and the generator's randomness. */
static inline uint64_t gen_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

#endif /* VIPA_BENCH_GEN_H */
