/*
 * vipa-bench: the year run of a synthetic province, timed phase by phase, against an
 * in-memory SQLite, numpy and a one-pass stream floor over the same data (issue #8).
 *
 *   vipa-bench [--households N] [--seed S] [--json] [--runs K] [--no-sqlite] [--no-numpy]
 *              [--no-stream] [--numpy-script PATH] [--python PATH] [--csv-dir DIR]
 *              [--input-hash] [--count-heap] [--scenario FILE] [--no-compare]
 *              [--report FILE]
 *
 * It generates the province and loads it into a context in chunks through the batch API
 * (load), builds a ledger alone (vipa_ledger_build: shares, dividends due, indexes) and
 * asks it every linkage's due, runs the year K times (vipa_run with
 * VIPA_RUN_NO_INPUT_HASH; its phases come from the progress callback; the median run is
 * reported), reads the result back and reduces it to answers (bench/answers.h), and
 * writes its report as `vipa run --json` does (vipa_report_write, pretty) to a sink that
 * counts and discards the bytes (the write phase; --report FILE keeps them). Then it
 * compares two profiles (issue #19): a fork of the context with a reform, vipa_compare
 * (both runs and the merge) against two separate vipa_run calls, K times each, and the
 * comparison JSON written to a sink that discards it. Then it
 * generates the same province as columns and runs the peers on them. Every answer must
 * equal vipa's, and vipa's totals must equal the generator's own sums: otherwise it
 * prints the differences and exits 1. So must the comparison: none of its tables may
 * change against an unchanged fork, and under the reform the households' equity must
 * rise, and the collectives' fall, by exactly what the generator's injections give.
 *
 * Memory: the peak RSS of the process when the first run is done (before any peer runs),
 * above the RSS just before the context was created; with --count-heap also the
 * library's own heap, counted through the context's allocator hooks. The comparison's
 * peak RSS (two results held at once) is reported above the year run's.
 *
 * Exit status: 0 all answers agree, 1 they do not, 2 an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <malloc.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <vipa.h>

#include "answers.h"
#include "flat.h"
#include "gen.h"
#include "peers.h"

extern char **environ;

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- the library's heap, counted ----------------------------------------------------- */

typedef struct heap {
    size_t current, peak;
} heap;

static void heap_add(heap *h, size_t n)
{
    h->current += n;
    if (h->current > h->peak)
        h->peak = h->current;
}

static void *heap_malloc(void *opaque, size_t size)
{
    void *p = malloc(size);
    if (p)
        heap_add(opaque, malloc_usable_size(p));
    return p;
}

static void *heap_realloc(void *opaque, void *ptr, size_t size)
{
    heap *h = opaque;
    size_t before = ptr ? malloc_usable_size(ptr) : 0;
    void *p = realloc(ptr, size);
    if (!p)
        return NULL;
    h->current -= before;
    heap_add(h, malloc_usable_size(p));
    return p;
}

static void heap_free(void *opaque, void *ptr)
{
    if (!ptr)
        return;
    ((heap *)opaque)->current -= malloc_usable_size(ptr);
    free(ptr);
}

static double seconds(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec * 1e-6;
}

double bench_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Index of the median of n values (the lower one for even n). */
static int median_index(const double *v, int n)
{
    for (int i = 0; i < n; i++) {
        int below = 0, equal_before = 0;
        for (int j = 0; j < n; j++) {
            below += v[j] < v[i];
            equal_before += j < i && v[j] == v[i];
        }
        if (below + equal_before == (n - 1) / 2)
            return i;
    }
    return 0;
}

static size_t peak_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (size_t)ru.ru_maxrss * 1024;
}

/* The resident set now (/proc/self/statm), or 0. */
static size_t current_rss(void)
{
    FILE *in = fopen("/proc/self/statm", "r");
    unsigned long pages = 0, resident = 0;
    if (in) {
        if (fscanf(in, "%lu %lu", &pages, &resident) != 2)
            resident = 0;
        fclose(in);
    }
    return (size_t)resident * (size_t)sysconf(_SC_PAGESIZE);
}

/* The process's peak virtual size (VmPeak of /proc/self/status), or 0: what an address-
 * space limit (`prlimit --as`) is compared with, untouched capacity of grown arrays
 * included. */
static size_t peak_vm(void)
{
    FILE *in = fopen("/proc/self/status", "r");
    char line[256];
    size_t kib = 0;
    while (in && fgets(line, sizeof line, in))
        if (sscanf(line, "VmPeak: %zu kB", &kib) == 1)
            break;
    if (in)
        fclose(in);
    return kib * 1024;
}

/* ---- options -------------------------------------------------------------------------- */

typedef struct options {
    uint64_t households, seed;
    int json, sqlite, numpy, stream, input_hash, runs, count_heap, compare;
    const char *numpy_script, *python, *csv_dir, *scenario;
    const char *report; /* where the write phase writes the report; NULL: discarded */
    const char *perturb; /* a peer whose income total (or, for "compare", the comparison's
                          * move of the households' equity) is put one fen off (self-test) */
} options;

static void usage(FILE *out)
{
    fputs("usage: vipa-bench [--households N] [--seed S] [--json] [--no-sqlite] [--no-numpy]\n"
          "                  [--no-stream] [--numpy-script PATH] [--python PATH]\n"
          "                  [--csv-dir DIR] [--input-hash] [--runs K] [--count-heap]\n"
          "                  [--scenario FILE] [--perturb PEER] [--no-compare] [--report FILE]\n"
          "Runs the year over a synthetic province of N households (default 1000000) in\n"
          "libvipa, an in-memory SQLite, numpy and a one-pass stream floor; exits 0 when all\n"
          "answers agree to the fen, 1 when they do not, 2 on error. --runs K runs the year K\n"
          "times and reports the median; as many comparisons of two profiles (vipa_compare\n"
          "against two runs) follow, unless --no-compare. --count-heap gives the library a\n"
          "counting allocator (its heap in bytes; slower than the default allocator).\n"
          "--scenario FILE only writes the province as scenario JSON. --report FILE writes\n"
          "the first run's report there (as `vipa run --json`) instead of discarding it.\n"
          "--perturb\n"
          "stream|sqlite|numpy puts that peer's income total one fen off, --perturb compare\n"
          "the comparison's move of the households' equity: the benchmark must then exit 1\n"
          "(its self-test).\n",
          out);
}

static int parse_options(options *o, int argc, char **argv)
{
    *o = (options){.households = 1000000, .seed = 2016, .sqlite = 1, .numpy = 1, .stream = 1,
                   .runs = 1, .compare = 1, .numpy_script = "bench/peer_numpy.py",
                   .python = "/usr/bin/python3"};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--households") == 0 && next) {
            o->households = strtoull(next, NULL, 10);
            i++;
        } else if (strcmp(a, "--seed") == 0 && next) {
            o->seed = strtoull(next, NULL, 10);
            i++;
        } else if (strcmp(a, "--runs") == 0 && next) {
            o->runs = atoi(next);
            i++;
        } else if (strcmp(a, "--numpy-script") == 0 && next) {
            o->numpy_script = next;
            i++;
        } else if (strcmp(a, "--python") == 0 && next) {
            o->python = next;
            i++;
        } else if (strcmp(a, "--csv-dir") == 0 && next) {
            o->csv_dir = next;
            i++;
        } else if (strcmp(a, "--scenario") == 0 && next) {
            o->scenario = next;
            i++;
        } else if (strcmp(a, "--report") == 0 && next) {
            o->report = next;
            i++;
        } else if (strcmp(a, "--perturb") == 0 && next) {
            o->perturb = next;
            i++;
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "--no-sqlite") == 0) {
            o->sqlite = 0;
        } else if (strcmp(a, "--no-numpy") == 0) {
            o->numpy = 0;
        } else if (strcmp(a, "--no-stream") == 0) {
            o->stream = 0;
        } else if (strcmp(a, "--no-compare") == 0) {
            o->compare = 0;
        } else if (strcmp(a, "--count-heap") == 0) {
            o->count_heap = 1;
        } else if (strcmp(a, "--input-hash") == 0) {
            o->input_hash = 1;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            exit(0);
        } else {
            usage(stderr);
            return -1;
        }
    }
    if (o->runs < 1 || o->runs > 100) {
        fputs("vipa-bench: --runs must be 1..100\n", stderr);
        return -1;
    }
    if (o->households < 1 || o->households > 50000000) {
        fputs("vipa-bench: --households must be 1..50000000\n", stderr);
        return -1;
    }
    return 0;
}

/* ---- the vipa side ---------------------------------------------------------------------- */

/* Holders of fiscal equity whose shares the comparison's check follows (三(二)). */
enum { EQUITY_HOUSEHOLDS = 0, EQUITY_COLLECTIVES = 1 };

/* A comparison of two profiles (issue #19): the baseline context against a fork of it
 * with the reform, timed as vipa_compare and as two separate runs. */
typedef struct compare_figures {
    int ran;
    double compare_s;             /* vipa_compare: both runs and the merge (median) */
    double merge_s;               /* of which after the reform's run ended: the merge (median) */
    double two_runs_s;            /* vipa_run of the baseline, then of the fork (median sum) */
    double baseline_s, reform_s;  /* the two runs of that median */
    double write_s;               /* vipa_comparison_write to a sink that discards (median) */
    uint64_t json_bytes;          /* what it wrote */
    uint64_t changes[VIPA_TABLE_COUNT + 1]; /* changed rows per table under the reform */
    uint64_t identity_changes;    /* changed rows against an unchanged fork: must be 0 */
    size_t rss_peak;              /* the process's peak RSS with a comparison held */
    /* How far the reform moves the equity of households and of collectives: from every
     * allocation of the two results, and from the comparison's changed rows alone. */
    int64_t equity_moved[2], equity_moved_by_changes[2];
} compare_figures;

typedef struct vipa_figures {
    double load_s, load_cpu_s, load_wall_s, ledger_s, ledger_query_s, run_s, run_cpu_s, read_s, input_hash_s;
    double write_s;  /* vipa_report_write of the first run's result, as `vipa run --json` */
    uint64_t report_bytes;
    double phase[5]; /* ledger, incomes, record checks, evaluations, result */
    size_t phase_rss[6]; /* the resident set as each phase of the first run began; [5]: done */
    size_t ctx_bytes, heap_peak, rss_peak, rss_before, rss_loaded, rss_written, vm_peak;
    uint64_t linkages, payments, agreements, findings, exits;
    long run_faults; /* minor page faults of the (median) run */
    double run_user_s, run_sys_s; /* its CPU time in the program and in the kernel */
    answers got;
    compare_figures cmp;
} vipa_figures;

static const char *const phase_names[5] = {"ledger", "households", "checks", "evaluations",
                                           "result"};

typedef struct progress_log {
    double at[6]; /* when each phase began; at[5]: done */
    size_t rss[6]; /* the resident set then: what the phases before it hold */
} progress_log;

static void on_progress(void *opaque, const char *phase, uint64_t done, uint64_t total)
{
    (void)done;
    (void)total;
    progress_log *log = opaque;
    for (int i = 0; i < 5; i++)
        if (strcmp(phase, phase_names[i]) == 0 && log->at[i] == 0) {
            log->rss[i] = current_rss();
            log->at[i] = bench_now();
        }
    if (strcmp(phase, "done") == 0) {
        log->rss[5] = current_rss();
        log->at[5] = bench_now();
    }
}

static int check(vipa_ctx *ctx, int rc, const char *what)
{
    if (rc != VIPA_OK)
        fprintf(stderr, "vipa-bench: %s: %s: %s\n", what, vipa_error_name(rc),
                vipa_ctx_errmsg(ctx));
    return rc;
}

#define ADD(fn, items, n, what)                                                          \
    do {                                                                                 \
        double t_ = bench_now(), c_ = bench_cpu_now();                                   \
        rc = check(ctx, fn(ctx, (items), (n)), (what));                                  \
        fig->load_s += bench_now() - t_;                                                 \
        fig->load_cpu_s += bench_cpu_now() - c_;                                         \
        if (rc)                                                                          \
            goto done;                                                                   \
    } while (0)

enum { CHUNK = 256 }; /* agreements per batch: ~25,600 households, as a cursor would fetch */

static int load_province(vipa_ctx *ctx, const gen *g, vipa_figures *fig, gen_batch *pre)
{
    double wall = bench_now();
    vipa_area *areas = NULL;
    size_t n_areas = 0;
    char *names = NULL;
    gen_batch b = *pre; /* its buffers already hold a full batch: they are in the baseline */
    memset(pre, 0, sizeof *pre);
    int rc = gen_areas(g, &areas, &n_areas, &names);
    if (rc)
        goto done;
    ADD(vipa_ctx_add_areas, areas, n_areas, "areas");
    for (uint64_t a0 = 0; a0 < g->agreements; a0 += CHUNK) {
        uint64_t a1 = a0 + CHUNK < g->agreements ? a0 + CHUNK : g->agreements;
        if ((rc = gen_batch_make(g, a0, a1, &b)) != VIPA_OK)
            goto done;
        ADD(vipa_ctx_add_entities, b.entities, b.na, "entities");
        ADD(vipa_ctx_add_households, b.households, b.nh, "households");
        ADD(vipa_ctx_add_agreements, b.agreements, b.na, "agreements");
        ADD(vipa_ctx_add_plans, b.plans, b.nh, "plans");
        ADD(vipa_ctx_add_assured, b.assured, b.nh, "assured");
        ADD(vipa_ctx_add_incomes, b.incomes, b.nh, "incomes");
        ADD(vipa_ctx_add_linkages, b.linkages, b.nl, "linkages");
        ADD(vipa_ctx_add_injections, b.injections, b.na, "injections");
        ADD(vipa_ctx_add_dividends, b.dividends, b.na, "dividends");
        ADD(vipa_ctx_add_payments, b.payments, b.np, "payments");
        fig->payments += b.np;
    }
    vipa_evaluation e[2];
    gen_evaluations(e);
    ADD(vipa_ctx_add_evaluations, e, 2, "evaluations");
done:
    free(areas);
    free(names);
    gen_batch_free(&b);
    fig->load_wall_s = bench_now() - wall;
    return rc;
}

/* The answers as vipa's result gives them. */
static int read_result(const vipa_result *r, answers *a, uint64_t *exits)
{
    memset(a, 0, sizeof *a);
    size_t y = 0;
    while (y < vipa_result_year_count(r) && vipa_result_year(r, y) != GEN_YEAR)
        y++;
    if (y == vipa_result_year_count(r)) {
        fputs("vipa-bench: the result has no figures for the year\n", stderr);
        return -1;
    }
    /* The province is one year: the peers compute GEN_YEAR alone, and so must the run
     * (any linkage year, task year, dividend, payment or income of another year would
     * add a year to it). */
    if (vipa_result_year_count(r) != 1) {
        fprintf(stderr, "vipa-bench: the run figures %zu years; the generated province has one"
                " (%d)\n", vipa_result_year_count(r), GEN_YEAR);
        return -1;
    }
    size_t n = vipa_result_year_household_count(r, y);
    for (size_t i = 0; i < n; i++) {
        vipa_id id;
        vipa_fen income, line;
        int meets;
        vipa_result_year_household(&id, &income, &line, &meets, r, y, i);
        a->households++;
        a->income_sum += income;
        a->line_sum += line;
        a->meets += (uint64_t)meets;
        a->household_digest += household_digest(id, income, line, meets);
    }
    n = vipa_result_year_dividend_count(r, y);
    for (size_t i = 0; i < n; i++) {
        vipa_id entity, household;
        vipa_fen due, paid;
        vipa_result_year_dividend(&entity, &household, &due, &paid, r, y, i);
        a->dividend_due_sum += due;
        a->dividend_paid_sum += paid;
    }
    /* Evaluation rows come by agreement, then date: an agreement's evaluation, then its
     * re-check if it had one. */
    n = vipa_result_year_evaluation_count(r, y);
    uint64_t failed[2][CHECK_KINDS] = {{0}};
    vipa_id current = 0;
    for (size_t i = 0; i <= n; i++) {
        vipa_id agreement = 0, entity;
        vipa_date date;
        int recheck = 0;
        vipa_outcome outcome;
        if (i < n)
            vipa_result_year_evaluation(&agreement, &entity, &date, &recheck, &outcome, r, y, i);
        if (current && agreement != current) {
            answers_agreement(a, current, failed[0], failed[1]);
            memset(failed, 0, sizeof failed);
        }
        if (i == n)
            break;
        current = agreement;
        size_t k_count = vipa_result_year_failed_count(r, y, i);
        for (size_t k = 0; k < k_count; k++) {
            vipa_rule rule;
            vipa_subject_kind kind;
            uint64_t subject;
            const char *expected, *actual;
            vipa_result_year_failed(&rule, &kind, &subject, &expected, &actual, r, y, i, k);
            int bucket = rule == VIPA_RULE_OBLIGATIONS_PAID          ? CHECK_OBLIGATIONS
                         : rule == VIPA_RULE_DIVIDEND_PAID_AS_AGREED ? CHECK_DIVIDENDS
                         : rule == VIPA_RULE_EXIT_BY_DEADLINE        ? CHECK_EXIT
                         : rule == VIPA_RULE_PLAN_TASKS_MET          ? CHECK_TASKS
                                                                     : -1;
            if (bucket < 0)
                a->failed_other++;
            else
                failed[recheck ? 1 : 0][bucket]++;
        }
        /* The outcome row itself: checked against what answers_agreement derives. */
        if (!recheck && outcome != (k_count ? VIPA_OUTCOME_RECTIFICATION : VIPA_OUTCOME_COMPLIANT))
            a->outcomes[VIPA_OUTCOME_NONE]++;
        if (recheck && outcome != (k_count ? VIPA_OUTCOME_TERMINATED : VIPA_OUTCOME_RESTORED))
            a->outcomes[VIPA_OUTCOME_NONE]++;
    }
    n = vipa_result_household_count(r);
    for (size_t i = 0; i < n; i++) {
        vipa_id id;
        int exit_year;
        vipa_result_household(&id, &exit_year, r, i);
        *exits += exit_year == GEN_YEAR;
    }
    return 0;
}

/* ---- comparing two profiles (issue #19) ------------------------------------------------- */

/* The reform compared: the poor households' part of every fiscal-equity injection raised
 * from the profile's 70 % to 80 % (三(二)). Every allocation moves, so do the dividends
 * due on them; what the entities paid stays, so the dividend checks fail, and the
 * evaluations' outcomes, the entities' standing and the findings change with them
 * (incomes and exits do not: they are what was paid). The merge has real work in five
 * of the eleven tables. */
#define REFORM_KEY "equity.poor_share_bp"
enum { PROFILE_POOR_SHARE_BP = 7000, REFORM_POOR_SHARE_BP = 8000 };

typedef struct compare_log {
    int runs_done;
    double reform_done; /* when the reform's run reported "done": the merge starts */
} compare_log;

/* vipa_compare reports the baseline's phases, then the reform's. */
static void on_compare_progress(void *opaque, const char *phase, uint64_t done, uint64_t total)
{
    (void)done;
    (void)total;
    compare_log *log = opaque;
    if (strcmp(phase, "done") == 0 && ++log->runs_done == 2)
        log->reform_done = bench_now();
}

static int discard(void *opaque, const char *bytes, size_t length)
{
    (void)bytes;
    *(uint64_t *)opaque += length;
    return 0;
}

/* The write phase's sink when --report names a file: the bytes counted and written. */
typedef struct report_file {
    FILE *out;
    uint64_t bytes;
} report_file;

static int to_file(void *opaque, const char *bytes, size_t length)
{
    report_file *f = opaque;
    f->bytes += length;
    return fwrite(bytes, 1, length, f->out) == length ? 0 : -1;
}

/* The result's report as `vipa run --json` writes it (pretty): to o->report, or counted
 * and discarded. VIPA_OK or the library's code (VIPA_E_IO when the file fails). */
static int write_report(vipa_ctx *ctx, const vipa_result *result, const options *o,
                        uint64_t *bytes)
{
    if (!o->report)
        return check(ctx, vipa_report_write(result, VIPA_REPORT_PRETTY, discard, bytes),
                     "vipa_report_write");
    report_file f = {fopen(o->report, "wb"), 0};
    if (!f.out) {
        fprintf(stderr, "vipa-bench: cannot write %s: %s\n", o->report, strerror(errno));
        return VIPA_E_IO;
    }
    int rc = check(ctx, vipa_report_write(result, VIPA_REPORT_PRETTY, to_file, &f),
                   "vipa_report_write");
    if (fclose(f.out) != 0 && rc == VIPA_OK) {
        fprintf(stderr, "vipa-bench: cannot write %s: %s\n", o->report, strerror(errno));
        rc = VIPA_E_IO;
    }
    *bytes = f.bytes;
    return rc;
}

/* Adds an allocation's shares to its holder's bucket; other holders are not followed. */
static void add_equity(int64_t totals[2], vipa_holder_kind kind, vipa_fen amount, int sign)
{
    if (kind == VIPA_HOLDER_HOUSEHOLD)
        totals[EQUITY_HOUSEHOLDS] += sign * amount;
    else if (kind == VIPA_HOLDER_COLLECTIVE)
        totals[EQUITY_COLLECTIVES] += sign * amount;
}

/* The reform's equity minus the baseline's, over every allocation of both results. */
static int equity_moved(const vipa_comparison *c, int64_t moved[2])
{
    moved[0] = moved[1] = 0;
    for (int side = 0; side < 2; side++) {
        const vipa_result *r = vipa_comparison_result(c, side);
        size_t n = vipa_result_allocation_count(r);
        for (size_t i = 0; i < n; i++) {
            vipa_id injection;
            vipa_holder_kind kind;
            uint64_t holder;
            vipa_fen amount;
            if (vipa_result_allocation(&injection, &kind, &holder, &amount, r, i) != VIPA_OK)
                return -1;
            add_equity(moved, kind, amount, side ? 1 : -1);
        }
    }
    return 0;
}

/* The same from the comparison's changed allocation rows alone: right only if the merge
 * kept every pair that differs (a row on one side only counts as nothing on the other). */
static int equity_moved_by_changes(const vipa_comparison *c, int64_t moved[2])
{
    moved[0] = moved[1] = 0;
    size_t n = vipa_comparison_change_count(c, VIPA_TABLE_ALLOCATIONS);
    for (size_t i = 0; i < n; i++) {
        vipa_change change = VIPA_CHANGE_INIT;
        if (vipa_comparison_change(&change, c, VIPA_TABLE_ALLOCATIONS, i) != VIPA_OK)
            return -1;
        for (int side = 0; side < 2; side++) {
            vipa_id injection;
            vipa_holder_kind kind;
            uint64_t holder;
            vipa_fen amount;
            if (change.row[side] == VIPA_NO_ROW)
                continue;
            if (vipa_result_allocation(&injection, &kind, &holder, &amount,
                                       vipa_comparison_result(c, side), change.row[side]) != VIPA_OK)
                return -1;
            add_equity(moved, kind, amount, side ? 1 : -1);
        }
    }
    return 0;
}

static uint64_t total_changes(const vipa_comparison *c, uint64_t per_table[VIPA_TABLE_COUNT + 1])
{
    uint64_t sum = 0;
    for (int t = 1; t <= VIPA_TABLE_COUNT; t++) {
        uint64_t n = vipa_comparison_change_count(c, (vipa_table)t);
        if (per_table)
            per_table[t] = n;
        sum += n;
    }
    return sum;
}

/* A context against a fork of it with the same profile: nothing may change. */
static int compare_unchanged(vipa_ctx *ctx, compare_figures *cf)
{
    vipa_ctx *same = NULL;
    vipa_comparison *c = NULL;
    vipa_run_options ropts = VIPA_RUN_OPTIONS_INIT;
    ropts.flags = VIPA_RUN_NO_INPUT_HASH;
    int rc = check(ctx, vipa_ctx_fork(&same, ctx), "vipa_ctx_fork");
    if (rc == VIPA_OK)
        rc = check(ctx, vipa_compare(&c, ctx, same, &ropts), "vipa_compare (unchanged fork)");
    if (rc == VIPA_OK)
        cf->identity_changes = total_changes(c, NULL);
    vipa_comparison_free(c);
    vipa_ctx_free(same);
    return rc;
}

/* One timed comparison and its JSON written away; the first one's changes and equity
 * are kept for the checks, and the peak RSS while it is held. */
static int time_compare(vipa_ctx *ctx, vipa_ctx *reform, int first, compare_figures *cf,
                        double *compare_s, double *merge_s, double *write_s)
{
    compare_log log = {0, 0};
    vipa_run_options ropts = VIPA_RUN_OPTIONS_INIT;
    ropts.flags = VIPA_RUN_NO_INPUT_HASH;
    ropts.progress = on_compare_progress;
    ropts.progress_opaque = &log;
    vipa_comparison *c = NULL;
    double t = bench_now();
    int rc = check(ctx, vipa_compare(&c, ctx, reform, &ropts), "vipa_compare");
    double end = bench_now();
    if (rc != VIPA_OK)
        return rc;
    *compare_s = end - t;
    *merge_s = log.reform_done ? end - log.reform_done : 0;
    uint64_t bytes = 0;
    t = bench_now();
    rc = check(ctx, vipa_comparison_write(c, 0, discard, &bytes), "vipa_comparison_write");
    *write_s = bench_now() - t;
    if (rc == VIPA_OK && first) {
        cf->rss_peak = peak_rss();
        cf->json_bytes = bytes;
        total_changes(c, cf->changes);
        if (equity_moved(c, cf->equity_moved) != 0 ||
            equity_moved_by_changes(c, cf->equity_moved_by_changes) != 0) {
            fputs("vipa-bench: cannot read the comparison's allocations\n", stderr);
            rc = VIPA_E_INVALID;
        }
    }
    vipa_comparison_free(c);
    return rc;
}

/* The peer of a comparison: the same two runs, each on its own, results freed. */
static int time_two_runs(vipa_ctx *ctx, vipa_ctx *reform, double *baseline_s, double *reform_s)
{
    vipa_ctx *sides[2] = {ctx, reform};
    double *times[2] = {baseline_s, reform_s};
    vipa_run_options ropts = VIPA_RUN_OPTIONS_INIT;
    ropts.flags = VIPA_RUN_NO_INPUT_HASH;
    for (int side = 0; side < 2; side++) {
        vipa_result *r = NULL;
        double t = bench_now();
        int rc = check(sides[side], vipa_run(&r, sides[side], &ropts), "vipa_run");
        *times[side] = bench_now() - t;
        vipa_result_free(r);
        if (rc != VIPA_OK)
            return rc;
    }
    return VIPA_OK;
}

/* The comparison of the baseline with the reform, K times, against two runs K times,
 * alternating which goes first so that neither always meets the other's freed memory. */
static int run_compare(vipa_ctx *ctx, const options *o, compare_figures *cf)
{
    double compare_s[100], merge_s[100], write_s[100], pair_s[100], baseline_s[100],
        reform_s[100];
    vipa_ctx *reform = NULL;
    int rc = compare_unchanged(ctx, cf);
    if (rc == VIPA_OK)
        rc = check(ctx, vipa_ctx_fork(&reform, ctx), "vipa_ctx_fork");
    if (rc == VIPA_OK)
        rc = check(reform, vipa_param_set_int(reform, REFORM_KEY, REFORM_POOR_SHARE_BP),
                   "vipa_param_set_int " REFORM_KEY);
    for (int k = 0; k < o->runs && rc == VIPA_OK; k++) {
        for (int turn = 0; turn < 2 && rc == VIPA_OK; turn++) {
            if ((turn == 0) == (k % 2 == 0))
                rc = time_compare(ctx, reform, k == 0, cf, &compare_s[k], &merge_s[k],
                                  &write_s[k]);
            else
                rc = time_two_runs(ctx, reform, &baseline_s[k], &reform_s[k]);
        }
        pair_s[k] = baseline_s[k] + reform_s[k];
        if (rc == VIPA_OK && getenv("VIPA_BENCH_VERBOSE"))
            fprintf(stderr, "compare %d: %.3f s (merge %.3f s), two runs %.3f s, write %.3f s\n",
                    k + 1, compare_s[k], merge_s[k], pair_s[k], write_s[k]);
    }
    vipa_ctx_free(reform);
    if (rc != VIPA_OK)
        return rc;
    cf->compare_s = compare_s[median_index(compare_s, o->runs)];
    cf->merge_s = merge_s[median_index(merge_s, o->runs)];
    cf->write_s = write_s[median_index(write_s, o->runs)];
    int median = median_index(pair_s, o->runs);
    cf->two_runs_s = pair_s[median];
    cf->baseline_s = baseline_s[median];
    cf->reform_s = reform_s[median];
    cf->ran = 1;
    return VIPA_OK;
}

static int run_vipa(const gen *g, const options *o, vipa_figures *fig, vipa_fen line)
{
    (void)line;
    heap h = {0, 0};
    vipa_ctx_options copts = VIPA_CTX_OPTIONS_INIT;
    copts.malloc_fn = heap_malloc;
    copts.realloc_fn = heap_realloc;
    copts.free_fn = heap_free;
    copts.allocator_opaque = &h;
    vipa_ctx *ctx = NULL;
    vipa_ledger *ledger = NULL;
    vipa_result *result = NULL;
    /* The generator's buffers at their largest before the baseline is taken. */
    gen_batch pre = {0};
    uint64_t widest = g->agreements < CHUNK ? g->agreements : CHUNK;
    if (gen_batch_make(g, 0, widest, &pre) != VIPA_OK)
        return -1;
    fig->rss_before = current_rss();
    int rc = vipa_ctx_new(&ctx, o->count_heap ? &copts : NULL);
    if (rc != VIPA_OK) {
        fprintf(stderr, "vipa-bench: vipa_ctx_new: %s\n", vipa_error_name(rc));
        gen_batch_free(&pre);
        return -1;
    }
    if (load_province(ctx, g, fig, &pre) != VIPA_OK)
        goto fail;
    fig->ctx_bytes = h.current;
    fig->rss_loaded = current_rss();
    fig->agreements = vipa_ctx_agreement_count(ctx);

    /* The ledger alone: shares, dividends due, indexes. Then every linkage's due. */
    double t = bench_now();
    if (check(ctx, vipa_ledger_build(&ledger, ctx), "vipa_ledger_build") != VIPA_OK)
        goto fail;
    fig->ledger_s = bench_now() - t;
    t = bench_now();
    for (uint64_t k = 0; k < g->linkages; k++) {
        vipa_fen due;
        if (vipa_ledger_linkage_due(&due, ledger, gen_linkage_id(g, k), GEN_YEAR) != VIPA_OK)
            goto fail;
        fig->got.linkage_due_sum += due;
    }
    fig->ledger_query_s = bench_now() - t;
    fig->linkages = g->linkages;
    vipa_ledger_free(ledger);
    ledger = NULL;
    /* The ledger alone is freed, but glibc keeps most of its heap in the process: the run
     * would start on ~48 bytes a household of freed pages (at 10^6) that it reuses, and its
     * peak would count them. Give them back, so the run's memory is measured from the
     * loaded context, as a platform that runs the year without building a ledger first
     * sees it. */
    malloc_trim(0);

    /* The year run, K times: the median (by wall time) is reported, the first run's
     * result is read. */
    double best[100], cpu[100], phases[100][5], user[100], sys[100];
    long faults[100];
    for (int k = 0; k < o->runs; k++) {
        progress_log log;
        memset(&log, 0, sizeof log);
        vipa_run_options ropts = VIPA_RUN_OPTIONS_INIT;
        ropts.progress = on_progress;
        ropts.progress_opaque = &log;
        ropts.flags = VIPA_RUN_NO_INPUT_HASH;
        vipa_result *run = NULL;
        struct rusage before, after;
        getrusage(RUSAGE_SELF, &before);
        double c = bench_cpu_now();
        t = bench_now();
        if (check(ctx, vipa_run(&run, ctx, &ropts), "vipa_run") != VIPA_OK)
            goto fail;
        best[k] = bench_now() - t;
        if (getenv("VIPA_BENCH_VERBOSE"))
            fprintf(stderr, "vipa_run %d: %.3f s\n", k + 1, best[k]);
        cpu[k] = bench_cpu_now() - c;
        getrusage(RUSAGE_SELF, &after);
        faults[k] = after.ru_minflt - before.ru_minflt;
        user[k] = seconds(&after.ru_utime) - seconds(&before.ru_utime);
        sys[k] = seconds(&after.ru_stime) - seconds(&before.ru_stime);
        for (int i = 0; i < 5; i++) {
            double end = i < 4 && log.at[i + 1] ? log.at[i + 1] : log.at[5];
            phases[k][i] = log.at[i] && end ? end - log.at[i] : 0;
        }
        if (k == 0) {
            result = run;
            fig->rss_peak = peak_rss(); /* memory: the first run (later ones reuse freed memory) */
            memcpy(fig->phase_rss, log.rss, sizeof fig->phase_rss);
        } else {
            vipa_result_free(run);
        }
    }
    int median = median_index(best, o->runs);
    fig->run_s = best[median];
    fig->run_cpu_s = cpu[median];
    fig->run_faults = faults[median];
    fig->run_user_s = user[median];
    fig->run_sys_s = sys[median];
    memcpy(fig->phase, phases[median], sizeof fig->phase);
    t = bench_now();
    int64_t due_sum = fig->got.linkage_due_sum;
    if (read_result(result, &fig->got, &fig->exits) != 0)
        goto fail;
    fig->got.linkage_due_sum = due_sum;
    fig->findings = vipa_findings_count(vipa_result_findings(result));
    fig->read_s = bench_now() - t;
    /* The report, as `vipa run --json` writes it (pretty), streamed to a sink that counts
     * and discards: the write phase of the year, its memory a block of 64 KiB. */
    t = bench_now();
    if (write_report(ctx, result, o, &fig->report_bytes) != VIPA_OK)
        goto fail;
    fig->write_s = bench_now() - t;
    fig->rss_written = peak_rss();
    fig->vm_peak = peak_vm();
    vipa_result_free(result);
    result = NULL;
    fig->heap_peak = h.peak;

    if (o->input_hash) {
        vipa_run_options ropts = VIPA_RUN_OPTIONS_INIT;
        t = bench_now();
        if (check(ctx, vipa_run(&result, ctx, &ropts), "vipa_run") != VIPA_OK)
            goto fail;
        fig->input_hash_s = bench_now() - t - fig->run_s;
        vipa_result_free(result);
        result = NULL;
    }
    if (o->compare && run_compare(ctx, o, &fig->cmp) != VIPA_OK)
        goto fail;
    vipa_ctx_free(ctx);
    return 0;
fail:
    vipa_result_free(result);
    vipa_ledger_free(ledger);
    vipa_ctx_free(ctx);
    return -1;
}

/* ---- numpy, as a child process ----------------------------------------------------------- */

static int run_numpy(const options *o, const char *dir, answers *a, double *load_s,
                     double *compute_s, double *compute_cpu_s, size_t *rss)
{
    char out_path[4096];
    snprintf(out_path, sizeof out_path, "%s/numpy.out", dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char *argv[] = {(char *)o->python, (char *)o->numpy_script, (char *)dir, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, o->python, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        fprintf(stderr, "vipa-bench: cannot run %s: %s\n", o->python, strerror(rc));
        return -1;
    }
    int status;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "vipa-bench: the numpy peer failed (%s %s)\n", o->python,
                o->numpy_script);
        return -1;
    }
    *rss = (size_t)ru.ru_maxrss * 1024;
    FILE *in = fopen(out_path, "r");
    if (!in)
        return -1;
    char key[64], value[64];
    unsigned seen = 0;
    memset(a, 0, sizeof *a);
    while (fscanf(in, "%63s %63s", key, value) == 2) {
        if (strcmp(key, "load_s") == 0)
            *load_s = strtod(value, NULL);
        else if (strcmp(key, "numpy_s") == 0)
            *compute_s = strtod(value, NULL);
        else if (strcmp(key, "numpy_cpu_s") == 0)
            *compute_cpu_s = strtod(value, NULL);
        else
            answers_parse_line(a, key, value, &seen);
    }
    fclose(in);
    if (seen != (1u << ANSWERS_FIELDS) - 1) {
        fputs("vipa-bench: the numpy peer's output is incomplete\n", stderr);
        return -1;
    }
    return 0;
}

static int remove_tree(const char *dir)
{
    static const char *const files[] = {"params", "households", "agreements",
                                        "agreement_households", "plans", "plan_tasks",
                                        "assured", "incomes",
                                        "injections", "dividends", "linkages", "payments"};
    char path[4096];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(path, sizeof path, "%s/%s.csv", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/numpy.out", dir);
    unlink(path);
    return rmdir(dir);
}

/* ---- output ------------------------------------------------------------------------------- */

typedef struct peer_figures {
    double stream_s, sqlite_s, sqlite_load_s, sqlite_cpu_s, numpy_s, numpy_load_s, numpy_cpu_s,
        csv_s;
    int64_t sqlite_mem;
    double read_s;     /* reading the same bytes and nothing else */
    double fresh_s_per_gib, touched_s_per_gib; /* writing memory never touched / touched */
    uint64_t read_sum; /* keeps that pass from being optimised away */
    size_t numpy_rss, flat_bytes;
    int ran_stream, ran_sqlite, ran_numpy;
    answers stream, sqlite, numpy, generator;
} peer_figures;

static double median3(const double t[3])
{
    double lo = t[0] < t[1] ? t[0] : t[1], hi = t[0] < t[1] ? t[1] : t[0];
    return t[2] < lo ? lo : t[2] > hi ? hi : t[2];
}

/* Seconds per GiB to write memory the first time (every page faulted in and zeroed by the
 * kernel, and in a VM backed by the host) and to write it again: what fresh memory costs
 * on this machine, the floor under any run that builds its output in new memory. The
 * median of three 256 MiB mappings. */
static void fresh_memory_probe(double *fresh, double *touched)
{
    enum { BYTES = 256 << 20 };
    double first[3] = {0}, again[3] = {0};
    for (int i = 0; i < 3; i++) {
        unsigned char *m = mmap(NULL, BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                                -1, 0);
        if (m == MAP_FAILED)
            return;
        double t = bench_now();
        memset(m, 1, BYTES);
        first[i] = bench_now() - t;
        t = bench_now();
        memset(m, 2, BYTES);
        again[i] = bench_now() - t;
        volatile unsigned char keep = m[BYTES - 1];
        (void)keep;
        munmap(m, BYTES);
    }
    *fresh = median3(first) * 4;
    *touched = median3(again) * 4;
}

static double ratio(double a, double b)
{
    return b > 0 ? a / b : 0;
}

/* The run's first touches of memory (its minor page faults, 4 KiB each) at the probe's
 * cost: how much of the run is fresh memory rather than work. */
static double fresh_pages_s(const vipa_figures *v, const peer_figures *p)
{
    return (double)v->run_faults * 4096 / (1 << 30) * (p->fresh_s_per_gib - p->touched_s_per_gib);
}

/* (a - b) / n, 0 when a is below b (the RSS can shrink at small N). */
static double above(size_t a, size_t b, double n)
{
    return a > b ? (double)(a - b) / n : 0;
}

/* The self-test of --perturb: one fen more in the named peer's answers. */
static void perturb(const options *o, const char *peer, answers *a)
{
    if (o->perturb && strcmp(o->perturb, peer) == 0)
        a->income_sum += 1;
}

/* The reform's move of the households' equity, from the generator's own injection
 * amounts: the poor part is the amount × the share in basis points, rounded down
 * (三(二)), and the village collective holds the rest, so it loses what they gain. */
static int64_t expected_equity_move(const flat *f)
{
    int64_t sum = 0;
    for (uint64_t a = 0; a < f->na; a++)
        sum += f->a_amount[a] * REFORM_POOR_SHARE_BP / 10000 -
               f->a_amount[a] * PROFILE_POOR_SHARE_BP / 10000;
    return sum;
}

/* The comparison's checks: nothing changes against an unchanged fork; under the reform
 * the equity moves by exactly the generator's amount, in the results and in the changes
 * the merge kept. Prints each difference; 1 when all hold. */
static int compare_agrees(const options *o, const compare_figures *cf, const flat *f)
{
    int64_t want[2] = {expected_equity_move(f), -expected_equity_move(f)};
    int64_t seen[2][2];
    memcpy(seen[0], cf->equity_moved, sizeof seen[0]);
    memcpy(seen[1], cf->equity_moved_by_changes, sizeof seen[1]);
    if (o->perturb && strcmp(o->perturb, "compare") == 0)
        seen[0][EQUITY_HOUSEHOLDS] += 1;
    static const char *const holders[2] = {"households'", "collectives'"};
    static const char *const how[2] = {"over both results", "over the changed rows"};
    int ok = 1;
    if (cf->identity_changes != 0) {
        fprintf(stderr, "vipa-bench: compare with an unchanged fork: %" PRIu64
                " changed rows, expected 0\n", cf->identity_changes);
        ok = 0;
    }
    for (int k = 0; k < 2; k++)
        for (int h = 0; h < 2; h++)
            if (seen[k][h] != want[h]) {
                fprintf(stderr, "vipa-bench: compare under %s %d: the %s equity moves by %" PRId64
                        " fen %s; the generator's injections give %" PRId64 "\n", REFORM_KEY,
                        REFORM_POOR_SHARE_BP, holders[h], seen[k][h], how[k], want[h]);
                ok = 0;
            }
    return ok;
}

static void print_json(const options *o, const vipa_figures *v, const peer_figures *p, int agree)
{
    double n = (double)o->households;
    printf("{\"households\": %" PRIu64 ", \"seed\": %" PRIu64 ", \"agreements\": %" PRIu64
           ", \"linkages\": %" PRIu64 ", \"payments\": %" PRIu64 ",\n",
           o->households, o->seed, v->agreements, v->linkages, v->payments);
    printf(" \"runs\": %d, \"vipa_run_cpu_s\": %.6f, \"vipa_run_user_s\": %.6f,"
           " \"vipa_run_sys_s\": %.6f, \"vipa_run_page_faults\": %ld,\n", o->runs, v->run_cpu_s,
           v->run_user_s, v->run_sys_s, v->run_faults);
    printf(" \"vipa_run_s\": %.6f, \"load_s\": %.6f, \"load_cpu_s\": %.6f, \"load_wall_s\": %.6f,"
           " \"ledger_s\": %.6f, \"ledger_queries_s\": %.6f, \"read_s\": %.6f,\n",
           v->run_s, v->load_s, v->load_cpu_s, v->load_wall_s, v->ledger_s, v->ledger_query_s,
           v->read_s);
    printf(" \"phases\": {\"ledger_s\": %.6f, \"incomes_s\": %.6f, \"record_checks_s\": %.6f,"
           " \"evaluations_s\": %.6f, \"result_s\": %.6f},\n",
           v->phase[0], v->phase[1], v->phase[2], v->phase[3], v->phase[4]);
    /* phase_rss_per_household: the resident set above the process before loading as each
     * phase of the first run began (what the phases before it left held), and at its end. */
    printf(" \"phase_rss_per_household\": {\"ledger\": %.1f, \"incomes\": %.1f,"
           " \"record_checks\": %.1f, \"evaluations\": %.1f, \"result\": %.1f,"
           " \"done\": %.1f},\n", above(v->phase_rss[0], v->rss_before, n),
           above(v->phase_rss[1], v->rss_before, n), above(v->phase_rss[2], v->rss_before, n),
           above(v->phase_rss[3], v->rss_before, n), above(v->phase_rss[4], v->rss_before, n),
           above(v->phase_rss[5], v->rss_before, n));
    printf(" \"write_s\": %.6f, \"report_bytes\": %" PRIu64 ", \"peak_rss_written_bytes\": %zu,"
           " \"peak_vm_bytes\": %zu,\n", v->write_s, v->report_bytes, v->rss_written, v->vm_peak);
    if (o->input_hash)
        printf(" \"input_hash_s\": %.6f,\n", v->input_hash_s);
    printf(" \"sqlite_s\": %.6f, \"sqlite_load_s\": %.6f, \"numpy_s\": %.6f, \"numpy_load_s\":"
           " %.6f, \"stream_s\": %.6f, \"stream_bytes\": %zu, \"read_pass_s\": %.6f,\n",
           p->sqlite_s, p->sqlite_load_s, p->numpy_s, p->numpy_load_s, p->stream_s,
           p->flat_bytes, p->read_s);
    /* bytes_per_household: the peak RSS of the vipa part above the process before the
     * context existed (loaded records, ledger and result at their peak). */
    printf(" \"peak_rss_bytes\": %zu, \"rss_before_bytes\": %zu, \"bytes_per_household\": %.1f,"
           " \"ctx_rss_per_household\": %.1f",
           v->rss_peak, v->rss_before, above(v->rss_peak, v->rss_before, n),
           above(v->rss_loaded, v->rss_before, n));
    if (o->count_heap)
        printf(", \"heap_peak_bytes\": %zu, \"ctx_heap_bytes\": %zu, \"heap_per_household\": %.1f,"
               " \"ctx_heap_per_household\": %.1f", v->heap_peak, v->ctx_bytes,
               (double)v->heap_peak / n, (double)v->ctx_bytes / n);
    printf(",\n");
    printf(" \"sqlite_cpu_s\": %.6f, \"numpy_cpu_s\": %.6f, \"csv_write_s\": %.6f,\n",
           p->sqlite_cpu_s, p->numpy_cpu_s, p->csv_s);
    printf(" \"sqlite_mem_bytes\": %" PRId64 ", \"numpy_peak_rss_bytes\": %zu,\n", p->sqlite_mem,
           p->numpy_rss);
    printf(" \"sqlite_over_vipa\": %.2f, \"numpy_over_vipa\": %.2f, \"vipa_over_stream\": %.2f,\n",
           ratio(p->sqlite_s, v->run_s), ratio(p->numpy_s, v->run_s), ratio(v->run_s, p->stream_s));
    printf(" \"findings\": %" PRIu64 ", \"exits\": %" PRIu64 ",\n", v->findings, v->exits);
    printf(" \"fresh_memory_s_per_gib\": %.4f, \"touched_memory_s_per_gib\": %.4f,"
           " \"vipa_run_fresh_pages_s\": %.6f,\n", p->fresh_s_per_gib, p->touched_s_per_gib,
           fresh_pages_s(v, p));
    if (v->cmp.ran) {
        const compare_figures *c = &v->cmp;
        /* compare_rss_added_per_household: the peak RSS with a comparison held (two
         * results at once) above the year run's peak. */
        printf(" \"compare_s\": %.6f, \"two_runs_s\": %.6f, \"compare_over_two_runs\": %.3f,"
               " \"compare_merge_s\": %.6f, \"compare_write_s\": %.6f,\n", c->compare_s,
               c->two_runs_s, ratio(c->compare_s, c->two_runs_s), c->merge_s, c->write_s);
        printf(" \"two_runs_baseline_s\": %.6f, \"two_runs_reform_s\": %.6f,"
               " \"compare_json_bytes\": %" PRIu64 ", \"compare_peak_rss_bytes\": %zu,"
               " \"compare_rss_added_per_household\": %.1f,\n", c->baseline_s, c->reform_s,
               c->json_bytes, c->rss_peak, above(c->rss_peak, v->rss_peak, n));
        printf(" \"compare_changes\": {");
        for (int t = 1; t <= VIPA_TABLE_COUNT; t++)
            printf("%s\"%s\": %" PRIu64, t > 1 ? ", " : "", vipa_table_name((vipa_table)t),
                   c->changes[t]);
        printf("}, \"compare_unchanged_fork_changes\": %" PRIu64 ", \"compare_equity_moved\":"
               " %" PRId64 ",\n", c->identity_changes, c->equity_moved[EQUITY_HOUSEHOLDS]);
    }
    printf(" \"peers\": [%s%s%s%s%s], \"agree\": %s,\n", p->ran_stream ? "\"stream\"" : "",
           p->ran_stream && (p->ran_sqlite || p->ran_numpy) ? ", " : "",
           p->ran_sqlite ? "\"sqlite\"" : "", p->ran_sqlite && p->ran_numpy ? ", " : "",
           p->ran_numpy ? "\"numpy\"" : "", agree ? "true" : "false");
    printf(" \"answers\": {");
    answers_json(&v->got, stdout);
    printf("}}\n");
}

static void print_text(const options *o, const vipa_figures *v, const peer_figures *p, int agree)
{
    double n = (double)o->households;
    printf("households %" PRIu64 "  agreements %" PRIu64 "  linkages %" PRIu64
           "  payments %" PRIu64 "  (seed %" PRIu64 ")\n",
           o->households, v->agreements, v->linkages, v->payments, o->seed);
    printf("vipa   load %.3f s (with generation %.3f s)  ledger %.3f s\n", v->load_s,
           v->load_wall_s, v->ledger_s);
    printf("vipa   run  %.3f s  [ledger %.3f, incomes %.3f, record checks %.3f, evaluations "
           "%.3f, result %.3f]\n       cpu %.3f s (user %.3f, kernel %.3f), %ld page faults\n",
           v->run_s, v->phase[0], v->phase[1], v->phase[2], v->phase[3], v->phase[4],
           v->run_cpu_s, v->run_user_s, v->run_sys_s, v->run_faults);
    printf("vipa   report %.3f s (vipa_report_write, pretty, %.1f MiB discarded); peak RSS then"
           " %.1f MiB, peak virtual size %.1f MiB\n", v->write_s, (double)v->report_bytes / 1048576,
           (double)v->rss_written / 1048576, (double)v->vm_peak / 1048576);
    printf("memory as each phase began, B/household: ledger %.0f, incomes %.0f, record checks"
           " %.0f, evaluations %.0f, result %.0f; done %.0f\n",
           above(v->phase_rss[0], v->rss_before, n), above(v->phase_rss[1], v->rss_before, n),
           above(v->phase_rss[2], v->rss_before, n), above(v->phase_rss[3], v->rss_before, n),
           above(v->phase_rss[4], v->rss_before, n), above(v->phase_rss[5], v->rss_before, n));
    if (o->input_hash)
        printf("vipa   input hash %.3f s (a run with the stamp's input_sha256)\n",
               v->input_hash_s);
    if (v->cmp.ran) {
        const compare_figures *c = &v->cmp;
        uint64_t changes = 0;
        for (int t = 1; t <= VIPA_TABLE_COUNT; t++)
            changes += c->changes[t];
        printf("compare %.3f s (merge %.3f s) against two runs %.3f s (%.3f + %.3f):"
               " compare/two runs %.2f\n", c->compare_s, c->merge_s, c->two_runs_s,
               c->baseline_s, c->reform_s, ratio(c->compare_s, c->two_runs_s));
        printf("compare %" PRIu64 " changed rows under %s %d; its JSON (%.1f MiB) written in"
               " %.3f s; peak RSS %.1f MiB (%.0f B/household above the run's)\n", changes,
               REFORM_KEY, REFORM_POOR_SHARE_BP, (double)c->json_bytes / 1048576, c->write_s,
               (double)c->rss_peak / 1048576, above(c->rss_peak, v->rss_peak, n));
    }
    printf("memory peak RSS %.1f MiB: %.0f B/household above the process before loading"
           " (%.0f B/household once loaded)\n", (double)v->rss_peak / 1048576,
           above(v->rss_peak, v->rss_before, n), above(v->rss_loaded, v->rss_before, n));
    if (o->count_heap)
        printf("heap   library heap peak %.0f B/household, context %.0f B/household\n",
               (double)v->heap_peak / n, (double)v->ctx_bytes / n);
    printf("memory writing fresh memory %.3f s/GiB, touched memory %.3f s/GiB: the run's %ld"
           " first touches ≈ %.3f s\n", p->fresh_s_per_gib, p->touched_s_per_gib, v->run_faults,
           fresh_pages_s(v, p));
    if (p->ran_stream)
        printf("stream %.3f s over %.1f MiB  (vipa/stream %.1f); reading them alone %.3f s\n",
               p->stream_s, (double)p->flat_bytes / 1048576, ratio(v->run_s, p->stream_s),
               p->read_s);
    if (p->ran_sqlite)
        printf("sqlite %.3f s (load %.3f s)  (sqlite/vipa %.1f)\n", p->sqlite_s,
               p->sqlite_load_s, ratio(p->sqlite_s, v->run_s));
    if (p->ran_numpy)
        printf("numpy  %.3f s (CSV load %.3f s)  (numpy/vipa %.1f)\n", p->numpy_s,
               p->numpy_load_s, ratio(p->numpy_s, v->run_s));
    const answers *a = &v->got;
    printf("answers: income %" PRId64 " fen, meets %" PRIu64 ", failed checks %" PRIu64 "+%" PRIu64
           "+%" PRIu64 "+%" PRIu64 " / re-check %" PRIu64 "+%" PRIu64 "+%" PRIu64 "+%" PRIu64
           " (obligations+dividends+exit+tasks), outcomes %" PRIu64 "/%" PRIu64 "/%" PRIu64
           "/%" PRIu64 "\n",
           a->income_sum, a->meets, a->failed[0][0], a->failed[0][1], a->failed[0][2],
           a->failed[0][3], a->failed[1][0], a->failed[1][1], a->failed[1][2], a->failed[1][3],
           a->outcomes[1], a->outcomes[2], a->outcomes[3], a->outcomes[4]);
    printf("agree: %s\n", agree ? "yes" : "NO");
}

int main(int argc, char **argv)
{
    options o;
    if (parse_options(&o, argc, argv) != 0)
        return 2;
    /* The profile's line for the year, as the generator's plans and the peers use it. */
    vipa_ctx *probe = NULL;
    vipa_fen line = 0;
    if (vipa_ctx_new(&probe, NULL) != VIPA_OK || vipa_poverty_line(&line, probe, GEN_YEAR) != VIPA_OK) {
        fputs("vipa-bench: no poverty line for the year in the profile\n", stderr);
        return 2;
    }
    vipa_ctx_free(probe);
    gen g;
    if (gen_init(&g, o.households, o.seed, line) != VIPA_OK) {
        fputs("vipa-bench: out of memory\n", stderr);
        return 2;
    }
    if (o.scenario) {
        int rc = gen_write_scenario(&g, o.scenario);
        gen_free(&g);
        if (rc)
            fprintf(stderr, "vipa-bench: cannot write %s: %s\n", o.scenario, strerror(errno));
        return rc ? 2 : 0;
    }

    vipa_figures v;
    memset(&v, 0, sizeof v);
    if (run_vipa(&g, &o, &v, line) != 0) {
        gen_free(&g);
        return 2;
    }
    malloc_trim(0); /* the context's memory back to the system before the peers run */

    peer_figures p;
    memset(&p, 0, sizeof p);
    flat f;
    if (flat_build(&g, &f) != VIPA_OK) {
        fputs("vipa-bench: out of memory generating the columns\n", stderr);
        return 2;
    }
    p.flat_bytes = flat_bytes(&f);
    fresh_memory_probe(&p.fresh_s_per_gib, &p.touched_s_per_gib);
    flat_totals(&f, &p.generator);
    int agree = 1;
    /* vipa against the generator's own sums */
    {
        answers mine = p.generator, theirs;
        memset(&theirs, 0, sizeof theirs);
        theirs.households = v.got.households;
        theirs.income_sum = v.got.income_sum;
        theirs.line_sum = v.got.line_sum;
        theirs.linkage_due_sum = v.got.linkage_due_sum;
        theirs.dividend_paid_sum = v.got.dividend_paid_sum;
        if (!answers_equal(&theirs, &mine, "vipa", "generator", stderr)) {
            fputs("vipa-bench: vipa's totals differ from the generator's (above)\n", stderr);
            agree = 0;
        }
    }
    if (v.cmp.ran && !compare_agrees(&o, &v.cmp, &f))
        agree = 0;
    if (o.stream) {
        double times[3];
        for (int i = 0; i < 3; i++) {
            double t = bench_now();
            stream_floor(&f, &p.stream);
            times[i] = bench_now() - t;
        }
        p.stream_s = median3(times);
        for (int i = 0; i < 3; i++) {
            double t = bench_now();
            p.read_sum += stream_read(&f);
            times[i] = bench_now() - t;
        }
        p.read_s = median3(times);
        p.ran_stream = 1;
        perturb(&o, "stream", &p.stream);
        if (!answers_equal(&v.got, &p.stream, "vipa", "stream", stderr))
            agree = 0;
    }
    if (o.sqlite) {
        if (sqlite_peer(&f, &p.sqlite, &p.sqlite_load_s, &p.sqlite_s, &p.sqlite_cpu_s,
                        &p.sqlite_mem) != 0) {
            flat_free(&f);
            return 2;
        }
        p.ran_sqlite = 1;
        malloc_trim(0); /* SQLite's pages back to the system before numpy needs the memory */
        perturb(&o, "sqlite", &p.sqlite);
        if (!answers_equal(&v.got, &p.sqlite, "vipa", "sqlite", stderr))
            agree = 0;
    }
    if (o.numpy) {
        char dir[2048];
        if (o.csv_dir) {
            snprintf(dir, sizeof dir, "%s", o.csv_dir);
            mkdir(dir, 0755);
        } else {
            const char *tmp = getenv("TMPDIR");
            snprintf(dir, sizeof dir, "%s/vipa-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
            if (!mkdtemp(dir)) {
                perror("vipa-bench: mkdtemp");
                return 2;
            }
        }
        double t = bench_now();
        if (flat_write_csv(&f, dir) != 0) {
            fprintf(stderr, "vipa-bench: cannot write the CSV files into %s\n", dir);
            return 2;
        }
        p.csv_s = bench_now() - t;
        flat_free(&f); /* the child needs the memory more */
        int rc = run_numpy(&o, dir, &p.numpy, &p.numpy_load_s, &p.numpy_s, &p.numpy_cpu_s,
                           &p.numpy_rss);
        if (!o.csv_dir)
            remove_tree(dir);
        if (rc != 0)
            return 2;
        p.ran_numpy = 1;
        perturb(&o, "numpy", &p.numpy);
        if (!answers_equal(&v.got, &p.numpy, "vipa", "numpy", stderr))
            agree = 0;
    }
    flat_free(&f);
    gen_free(&g);
    if (o.json)
        print_json(&o, &v, &p, agree);
    else
        print_text(&o, &v, &p, agree);
    if (!agree)
        fputs("vipa-bench: the answers do not agree (differences above)\n", stderr);
    return agree ? 0 : 1;
}
