/*
 * libFuzzer target: the input bytes decoded into a sequence of C API calls on one
 * context: adds of every record kind with valid and invalid fields (ids from a small
 * vocabulary so references often resolve and often collide), parameter sets and gets,
 * runs, explanations, checks, ledgers, reports, exports, scenario loads, frees.
 *
 * Invariants, each an abort() (with a line on stderr saying which) when broken:
 *   - a failed call leaves the context unchanged: vipa_scenario_export() of the context
 *     before and after is the same, status and bytes; calls that only read leave it
 *     unchanged whatever they return;
 *   - after each successful run: every injection's allocations sum to its amount and
 *     its households' part is trunc(amount × poor_share_bp / 10000); every list of the
 *     result is sorted by its key; the findings are sorted (rule, subject kind, subject
 *     id, year, message); a second run gives a byte-identical report;
 *   - at the end of each input, the export loads into a fresh context that exports the
 *     same bytes and runs to the same status and the same report;
 *   - replaying the input on a fresh context, skipping the calls that failed, every call
 *     succeeds again and the context ends the same: a failure leaves no hidden trace
 *     (a stale id in a map, say) that changes what later calls do.
 *
 * Arguments are decoded in statements of their own, never two in one argument list,
 * whose order C leaves unspecified: every compiler reads the same bytes the same way.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vipa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

__extension__ typedef __int128 i128; /* sums and products that cannot overflow */

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_api: invariant broken: %s\n", what);
        abort();
    }
}

/* ---- decoding the bytes ------------------------------------------------------------ */

typedef struct input {
    const uint8_t *data;
    size_t size, at;
} input;

static uint8_t u8(input *in)
{
    return in->at < in->size ? in->data[in->at++] : 0;
}

static uint64_t raw(input *in, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | u8(in);
    return v;
}

/* One of n, or a value past the end when the byte says so (an invalid enumerator). */
static int small(input *in, int n)
{
    return u8(in) % n;
}

/* Ids: mostly 1..6, so references resolve and ids collide; sometimes the edges. */
static uint64_t id(input *in)
{
    uint8_t b = u8(in);
    if (b < 224)
        return b % 6 + 1;
    switch (b % 8) {
    case 0: return 0;
    case 1: return (uint64_t)INT64_MAX;
    case 2: return (uint64_t)INT64_MAX + 1;
    case 3: return UINT64_MAX;
    case 4: return raw(in, 8);
    case 5: return 1000 + u8(in);
    default: return b;
    }
}

static int year(input *in)
{
    static const int odd[] = {0, 1899, 1900, 9999, 10000, -1, 2031, 2016};
    uint8_t b = u8(in);
    return b < 224 ? 2015 + b % 6 : odd[b % 8];
}

static vipa_date date(input *in)
{
    static const vipa_date odd[] = {0, 20170229, 99991231, 19000101, -1, 20171301, 20160229, 1};
    uint8_t b = u8(in);
    if (b >= 232)
        return odd[b % 8];
    int month = 1 + small(in, 12), d = u8(in); /* year, month, day, in that order */
    return (2015 + b % 6) * 10000 + month * 100 + (d < 224 ? 1 + d % 28 : 1 + d % 31);
}

static vipa_fen money(input *in)
{
    static const vipa_fen odd[] = {0, -1, INT64_MAX, INT64_MIN, INT64_MIN + 1, -100, 1, 99};
    uint8_t b = u8(in);
    if (b < 160)
        return (vipa_fen)raw(in, 2) * 100;
    if (b < 224)
        return (vipa_fen)raw(in, 2);
    if (b < 248)
        return odd[b % 8];
    return (vipa_fen)raw(in, 8);
}

/* Codes of two counties of Shangluo, their towns and villages, and some that are none. */
static vipa_area_code code(input *in)
{
    static const vipa_area_code known[] = {
        611002000000u, 611021000000u, 611002001000u, 611002002000u, 611021001000u,
        611002001204u, 611002001205u, 611002002201u, 611021001101u,
        0u, 611000000000u, 123u, 611002000204u, 999999999999u, 6110020012040u};
    uint8_t b = u8(in);
    if (b < 240)
        return known[b % 9];
    return b < 252 ? known[9 + b % 6] : raw(in, 8);
}

static const char *text(input *in)
{
    static const char *const texts[] = {
        "商州区", "杏树园村", "a", "Village \"q\" \\ /", "tab\tnl\n\x01", "walnut",
        "", NULL, "\xff\xfe", "\xe4\xb8", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf"};
    uint8_t b = u8(in);
    return b < 200 ? texts[b % 6] : texts[6 + b % 7];
}

/* Counts of projects, measures...: small, or too big to store, or too big to export. */
static size_t count(input *in)
{
    uint8_t b = u8(in);
    if (b < 240)
        return b % 4;
    return b % 3 == 0 ? (size_t)UINT32_MAX + 1 : b % 3 == 1 ? UINT32_MAX : (size_t)1 << 28;
}

static unsigned int version(input *in)
{
    uint8_t b = u8(in);
    return b == 255 ? 0 : b == 254 ? 2 : 1;
}

static int flag(input *in)
{
    uint8_t b = u8(in);
    return b < 250 ? b % 2 : (int)b;
}

/* ---- the state of one input ------------------------------------------------------------ */

/* MAX_CALLS bounds an input's calls: records without ids (payments...) have no other
 * bound, and each call exports the context, so long inputs would crawl. */
enum { MAX_BATCH = 3, MAX_LIST = 8, MAX_TRACKED = 64, MAX_CALLS = 200 };

typedef struct tracked {
    vipa_id id;
    vipa_fen amount;
} tracked;

/* Which calls failed in the first pass, so that the replay can skip them. */
typedef struct replay_log {
    int replaying; /* 0 in the first pass, 1 in the replay */
    int call;      /* index of the current call */
    uint8_t failed[MAX_CALLS];
} replay_log;

typedef struct state {
    replay_log *log; /* kept across reset() */
    vipa_ctx *ctx;
    vipa_result *result; /* the last run's, freed before the context changes */
    char *before;        /* the export before the current call */
    size_t before_length;
    int before_rc, before_valid;
    tracked injections[MAX_TRACKED]; /* every injection added, for the allocation sums */
    size_t injection_count;
    int injections_known;   /* 0 once one may be missing (a scenario loaded...) */
    int transfers;          /* some share transfer is in the context */
    int profile_moved;      /* a parameter changed after a transfer (the export may not load) */
} state;

static void drop_result(state *st)
{
    vipa_result_free(st->result);
    st->result = NULL;
}

static int export_of(vipa_ctx *ctx, char **text, size_t *length)
{
    *text = NULL;
    *length = 0;
    return vipa_scenario_export(text, length, ctx, 0);
}

static void remember(state *st)
{
    if (st->before_valid)
        return;
    vipa_free(st->before);
    st->before_rc = export_of(st->ctx, &st->before, &st->before_length);
    st->before_valid = 1;
}

/* The context must be as remember() saw it. */
static void check_unchanged(state *st, const char *what)
{
    char *now = NULL;
    size_t length = 0;
    int rc = export_of(st->ctx, &now, &length);
    int same = rc == st->before_rc && length == st->before_length &&
               (rc != VIPA_OK || memcmp(now, st->before, length) == 0);
    if (!same)
        fprintf(stderr, "fuzz_api: %s changed the context (export %d → %d)\n", what,
                st->before_rc, rc);
    check(same, "a failed or read-only call leaves the context unchanged");
    vipa_free(now);
}

/* After a call that may change the context: unchanged if it failed. In the replay,
 * only calls that succeeded the first time are made, and each must succeed again. */
static int after_change(state *st, int rc, const char *what)
{
    if (st->log->replaying) {
        check(rc == VIPA_OK, "replayed without the failed calls, a call succeeds again");
        st->before_valid = 0;
        return rc;
    }
    st->log->failed[st->log->call] = rc != VIPA_OK;
    if (rc != VIPA_OK)
        check_unchanged(st, what);
    else
        st->before_valid = 0;
    return rc;
}

/* The replay skips the calls that failed in the first pass. */
static int skipped(const state *st)
{
    return st->log->replaying && st->log->failed[st->log->call];
}

/* A call that may change the context, made unless the replay skips it; its status
 * (VIPA_E_STATE when skipped: it failed the first time). */
#define CHANGE(st, call, what) (skipped(st) ? VIPA_E_STATE : after_change((st), (call), (what)))

/* ---- adds ---------------------------------------------------------------------------- */

/* How many records a batch has: 1..3 mostly, sometimes 0 (a no-op) or a NULL array. */
static size_t batch_size(input *in, int *null_items)
{
    uint8_t b = u8(in);
    *null_items = b == 255;
    return b == 254 ? 0 : 1 + b % MAX_BATCH;
}

/* Lists of ids and weights for the records of a batch. */
typedef struct lists {
    vipa_id ids[MAX_BATCH][MAX_LIST];
    uint64_t weights[MAX_BATCH][MAX_LIST];
    int years[MAX_BATCH][MAX_LIST];
    vipa_fen incomes[MAX_BATCH][MAX_LIST];
} lists;

static size_t id_list(input *in, vipa_id *ids)
{
    size_t n = (size_t)small(in, MAX_LIST + 1);
    for (size_t k = 0; k < n; k++)
        ids[k] = id(in);
    return n;
}

static void add_areas(input *in, state *st, size_t n, int null_items)
{
    vipa_area a[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        a[i] = (vipa_area)VIPA_AREA_INIT;
        a[i].version = version(in);
        a[i].code = code(in);
        a[i].level = u8(in) < 240 ? vipa_area_code_level(a[i].code) : (vipa_area_level)small(in, 5);
        a[i].name = text(in);
        a[i].industry = u8(in) < 128 ? NULL : text(in);
    }
    (void)CHANGE(st, vipa_ctx_add_areas(st->ctx, null_items ? NULL : a, n), "add_areas");
}

static void add_entities(input *in, state *st, size_t n, int null_items)
{
    static const char *const usccs[] = {NULL, "93611002MA6Y00001U", "93611002MA6Y00001V", "x"};
    vipa_entity e[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        e[i] = (vipa_entity)VIPA_ENTITY_INIT;
        e[i].version = version(in);
        e[i].id = id(in);
        e[i].name = text(in);
        e[i].kind = (vipa_entity_kind)small(in, 7);
        e[i].uscc = usccs[small(in, 4)];
        e[i].core_village = code(in);
        e[i].industry = text(in);
        e[i].selection = u8(in) < 200 ? VIPA_SELECT_ALL : (unsigned)raw(in, 2);
    }
    (void)CHANGE(st, vipa_ctx_add_entities(st->ctx, null_items ? NULL : e, n), "add_entities");
}

static void add_households(input *in, state *st, size_t n, int null_items)
{
    vipa_household h[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        h[i] = (vipa_household)VIPA_HOUSEHOLD_INIT;
        h[i].version = version(in);
        h[i].id = id(in);
        h[i].village = code(in);
        h[i].members = u8(in) < 240 ? 1 + small(in, 8) : (int)(int8_t)u8(in) * 2;
        h[i].labour = small(in, 5) - 1;
        h[i].cause = (vipa_cause)small(in, 13);
        h[i].willing = flag(in);
        h[i].exited_year = u8(in) < 200 ? 0 : year(in);
    }
    (void)CHANGE(st, vipa_ctx_add_households(st->ctx, null_items ? NULL : h, n),
                 "add_households");
}

static void add_assured(input *in, state *st, size_t n, int null_items)
{
    vipa_assured a[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        a[i] = (vipa_assured)VIPA_ASSURED_INIT;
        a[i].version = version(in);
        a[i].household = id(in);
        a[i].year = year(in);
        a[i].items = u8(in) < 200 ? VIPA_ASSURED_ITEMS_ALL : (unsigned)u8(in);
    }
    (void)CHANGE(st, vipa_ctx_add_assured(st->ctx, null_items ? NULL : a, n), "add_assured");
}

static void add_agreements(input *in, state *st, size_t n, int null_items)
{
    vipa_agreement a[MAX_BATCH];
    lists l;
    for (size_t i = 0; i < n; i++) {
        a[i] = (vipa_agreement)VIPA_AGREEMENT_INIT;
        a[i].version = version(in);
        a[i].id = id(in);
        a[i].entity = id(in);
        a[i].household_len = id_list(in, l.ids[i]);
        a[i].households = u8(in) == 255 ? NULL : l.ids[i];
        a[i].household_count = (int64_t)small(in, 6) - 2;
        a[i].project_count = count(in);
        a[i].support_count = count(in);
        a[i].start = u8(in) < 64 ? 0 : date(in);
        a[i].end = u8(in) < 64 ? 0 : date(in);
        a[i].exit_deadline = u8(in) < 128 ? 0 : year(in);
        a[i].signed_on = u8(in) < 32 ? 0 : date(in);
        a[i].signer_level = (vipa_signer_level)small(in, 6);
        a[i].signer_area = u8(in) < 64 ? 0 : code(in);
    }
    (void)CHANGE(st, vipa_ctx_add_agreements(st->ctx, null_items ? NULL : a, n), "add_agreements");
}

static void add_plans(input *in, state *st, size_t n, int null_items)
{
    vipa_plan p[MAX_BATCH];
    lists l;
    for (size_t i = 0; i < n; i++) {
        p[i] = (vipa_plan)VIPA_PLAN_INIT;
        p[i].version = version(in);
        p[i].household = id(in);
        p[i].agreement = id(in);
        p[i].exit_target = u8(in) < 128 ? 0 : year(in);
        p[i].industry_count = count(in);
        p[i].measure_count = count(in);
        p[i].task_len = (size_t)small(in, 4);
        for (size_t k = 0; k < p[i].task_len; k++) {
            l.years[i][k] = year(in);
            l.incomes[i][k] = money(in);
        }
        p[i].task_years = u8(in) == 255 ? NULL : l.years[i];
        p[i].task_incomes = u8(in) < 128 ? NULL : l.incomes[i];
        p[i].filed = u8(in) < 200 ? VIPA_FILED_ALL : (unsigned)small(in, 16);
        p[i].person_task_count = count(in);
    }
    (void)CHANGE(st, vipa_ctx_add_plans(st->ctx, null_items ? NULL : p, n), "add_plans");
}

/* The amount fields of a kind, mostly the right ones, sometimes the wrong ones. */
static void linkage_amounts(input *in, vipa_linkage *l)
{
    switch (small(in, 5)) {
    case 0: l->annual = money(in); break;
    case 1: l->days = (int64_t)small(in, 200) * 2 - 10, l->daily_wage = money(in); break;
    case 2: l->area_cmu = (int64_t)raw(in, 2) - 100, l->rent_per_mu = money(in); break;
    case 3: l->annual = money(in), l->days = 1 + small(in, 3); break;
    default: l->area_cmu = u8(in) == 255 ? (int64_t)UINT32_MAX + 1 : 250;
             l->rent_per_mu = money(in); break;
    }
}

static void add_linkages(input *in, state *st, size_t n, int null_items)
{
    vipa_linkage l[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        l[i] = (vipa_linkage)VIPA_LINKAGE_INIT;
        l[i].version = version(in);
        l[i].id = id(in);
        l[i].kind = (vipa_linkage_kind)small(in, 6);
        l[i].household = id(in);
        l[i].entity = id(in);
        l[i].agreement = id(in);
        l[i].from_year = year(in);
        l[i].to_year = u8(in) < 128 ? l[i].from_year : year(in);
        linkage_amounts(in, &l[i]);
    }
    (void)CHANGE(st, vipa_ctx_add_linkages(st->ctx, null_items ? NULL : l, n), "add_linkages");
}

static void note_injections(state *st, const vipa_injection *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (st->injection_count == MAX_TRACKED) {
            st->injections_known = 0;
            return;
        }
        st->injections[st->injection_count++] = (tracked){in[i].id, in[i].amount};
    }
}

static void add_injections(input *in, state *st, size_t n, int null_items)
{
    vipa_injection j[MAX_BATCH];
    lists l;
    for (size_t i = 0; i < n; i++) {
        j[i] = (vipa_injection)VIPA_INJECTION_INIT;
        j[i].version = version(in);
        j[i].id = id(in);
        j[i].entity = id(in);
        j[i].agreement = id(in);
        j[i].date = date(in);
        j[i].amount = money(in);
        j[i].household_len = u8(in) < 100 ? 0 : id_list(in, l.ids[i]);
        j[i].households = j[i].household_len || u8(in) == 255 ? l.ids[i] : NULL;
        j[i].allocation = (vipa_allocation)small(in, 5);
        for (size_t k = 0; k < MAX_LIST; k++)
            l.weights[i][k] = u8(in) < 250 ? (uint64_t)small(in, 4) : raw(in, 8);
        j[i].weights = (j[i].allocation == VIPA_ALLOCATION_WEIGHTS) != (u8(in) > 240)
                           ? l.weights[i] : NULL;
    }
    int rc = CHANGE(st, vipa_ctx_add_injections(st->ctx, null_items ? NULL : j, n),
                    "add_injections");
    if (rc == VIPA_OK)
        note_injections(st, j, n);
}

static void add_contributions(input *in, state *st, size_t n, int null_items)
{
    vipa_contribution c[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        c[i] = (vipa_contribution)VIPA_CONTRIBUTION_INIT;
        c[i].version = version(in);
        c[i].household = id(in);
        c[i].entity = id(in);
        c[i].agreement = u8(in) < 128 ? 0 : id(in);
        c[i].kind = (vipa_contribution_kind)small(in, 8);
        c[i].value = money(in);
        c[i].date = date(in);
    }
    (void)CHANGE(st, vipa_ctx_add_contributions(st->ctx, null_items ? NULL : c, n),
                 "add_contributions");
}

/* A holder: mostly a household or a collective of the vocabulary, or the entity. */
static void holder(input *in, vipa_holder_kind *kind, uint64_t *holder_id, vipa_id entity)
{
    *kind = (vipa_holder_kind)small(in, 5);
    *holder_id = *kind == VIPA_HOLDER_COLLECTIVE ? code(in)
                 : *kind == VIPA_HOLDER_ENTITY && u8(in) < 200 ? entity
                                                               : id(in);
}

static void add_transfers(input *in, state *st, size_t n, int null_items)
{
    vipa_transfer t[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        t[i] = (vipa_transfer)VIPA_TRANSFER_INIT;
        t[i].version = version(in);
        t[i].entity = id(in);
        holder(in, &t[i].from_kind, &t[i].from_id, t[i].entity);
        holder(in, &t[i].to_kind, &t[i].to_id, t[i].entity);
        t[i].amount = money(in);
        t[i].date = date(in);
    }
    int rc = CHANGE(st, vipa_ctx_add_transfers(st->ctx, null_items ? NULL : t, n),
                    "add_transfers");
    st->transfers |= rc == VIPA_OK && n > 0;
}

static void add_dividends(input *in, state *st, size_t n, int null_items)
{
    vipa_dividend d[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        d[i] = (vipa_dividend)VIPA_DIVIDEND_INIT;
        d[i].version = version(in);
        d[i].entity = id(in);
        d[i].year = year(in);
        uint8_t b = u8(in);
        if (b < 120)
            d[i].rate_bp = (vipa_bp)(u8(in) < 250 ? small(in, 64) * 50 : (int32_t)raw(in, 4));
        else if (b < 240)
            d[i].pool = money(in);
        else
            d[i].rate_bp = 800, d[i].pool = b == 255 ? VIPA_FEN_UNSET : money(in);
    }
    (void)CHANGE(st, vipa_ctx_add_dividends(st->ctx, null_items ? NULL : d, n), "add_dividends");
}

static void add_payments(input *in, state *st, size_t n, int null_items)
{
    vipa_payment p[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        p[i] = (vipa_payment)VIPA_PAYMENT_INIT;
        p[i].version = version(in);
        uint8_t b = u8(in);
        p[i].linkage = b < 140 || b > 250 ? id(in) : 0;
        p[i].entity = b >= 140 ? id(in) : 0;
        p[i].household = b >= 140 ? id(in) : 0;
        p[i].year = year(in);
        p[i].amount = money(in);
        p[i].date = date(in);
    }
    (void)CHANGE(st, vipa_ctx_add_payments(st->ctx, null_items ? NULL : p, n), "add_payments");
}

static void add_incomes(input *in, state *st, size_t n, int null_items)
{
    vipa_income x[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        x[i] = (vipa_income)VIPA_INCOME_INIT;
        x[i].version = version(in);
        x[i].household = id(in);
        x[i].year = year(in);
        x[i].other = money(in);
    }
    (void)CHANGE(st, vipa_ctx_add_incomes(st->ctx, null_items ? NULL : x, n), "add_incomes");
}

static void add_evaluations(input *in, state *st, size_t n, int null_items)
{
    vipa_evaluation e[MAX_BATCH];
    for (size_t i = 0; i < n; i++) {
        e[i] = (vipa_evaluation)VIPA_EVALUATION_INIT;
        e[i].version = version(in);
        e[i].year = year(in);
        e[i].date = u8(in) < 200 ? (e[i].year + 1) * 10000 + 131 + small(in, 2) * 299 : date(in);
        e[i].recheck = flag(in);
    }
    (void)CHANGE(st, vipa_ctx_add_evaluations(st->ctx, null_items ? NULL : e, n),
                 "add_evaluations");
}

/* ---- parameters ----------------------------------------------------------------------- */

static const char *param_key(input *in)
{
    static const char *const keys[] = {
        "equity.poor_share_bp", "equity.allocation", "equity.remainder_holder",
        "exit.require_guarantees", "poverty_line.2017", "poverty_line.2031",
        "poverty_line.1899", "poverty_line.x", "poverty_line.", "nope", NULL};
    return keys[small(in, 11)];
}

static void set_param(input *in, state *st)
{
    static const char *const words[] = {"per_household", "per_member", "village_collective",
                                        "entity", "bogus", NULL};
    static const int64_t shares[] = {7000, 0, 10000, 10001, -1, 5000, INT64_MAX, 8000};
    const char *key = param_key(in);
    int setter = small(in, 4), rc;
    int64_t number = setter == 0 ? shares[small(in, 8)] : setter == 1 ? small(in, 3) : 0;
    const char *word = setter == 2 ? words[small(in, 6)] : NULL;
    vipa_fen amount = setter == 3 ? money(in) : 0;
    switch (setter) {
    case 0: rc = CHANGE(st, vipa_param_set_int(st->ctx, key, number), "a parameter set"); break;
    case 1: rc = CHANGE(st, vipa_param_set_bool(st->ctx, key, (int)number), "a parameter set");
            break;
    case 2: rc = CHANGE(st, vipa_param_set_text(st->ctx, key, word), "a parameter set"); break;
    default: rc = CHANGE(st, vipa_param_set_fen(st->ctx, key, amount), "a parameter set"); break;
    }
    st->profile_moved |= rc == VIPA_OK && st->transfers;
}

static void get_param(input *in, state *st)
{
    const char *key = param_key(in);
    int64_t i;
    int b;
    const char *t;
    vipa_fen f;
    (void)vipa_param_type_of(st->ctx, key);
    (void)vipa_param_get_int(&i, st->ctx, key);
    (void)vipa_param_get_bool(&b, st->ctx, key);
    (void)vipa_param_get_text(&t, st->ctx, key);
    (void)vipa_param_get_fen(&f, st->ctx, key);
    (void)vipa_poverty_line(&f, st->ctx, year(in));
    check_unchanged(st, "a parameter get");
}

/* ---- the invariants of a result -------------------------------------------------------- */

static int finding_cmp(const vipa_findings *f, size_t a, size_t b)
{
    long x[4] = {vipa_finding_rule(f, a), vipa_finding_subject_kind(f, a), 0,
                 vipa_finding_year(f, a)};
    long y[4] = {vipa_finding_rule(f, b), vipa_finding_subject_kind(f, b), 0,
                 vipa_finding_year(f, b)};
    uint64_t ia = vipa_finding_subject_id(f, a), ib = vipa_finding_subject_id(f, b);
    for (int k = 0; k < 4; k++) {
        if (k == 2 && ia != ib)
            return ia < ib ? -1 : 1;
        if (x[k] != y[k])
            return x[k] < y[k] ? -1 : 1;
    }
    return strcmp(vipa_finding_message(f, a), vipa_finding_message(f, b));
}

static void check_findings_sorted(const vipa_findings *f)
{
    for (size_t i = 1; i < vipa_findings_count(f); i++)
        check(finding_cmp(f, i - 1, i) <= 0, "findings are sorted (rule, subject, year, message)");
}

static const tracked *tracked_injection(const state *st, vipa_id id)
{
    for (size_t i = 0; i < st->injection_count; i++)
        if (st->injections[i].id == id)
            return &st->injections[i];
    return NULL;
}

/* One injection's allocations, rows [from, to): households by id, then one remainder. */
static void check_injection_rows(const state *st, const vipa_result *r, size_t from, size_t to,
                                 int64_t bp)
{
    vipa_id injection = 0, last = 0;
    vipa_holder_kind kind;
    uint64_t holder;
    vipa_fen amount;
    i128 all = 0, poor = 0;
    for (size_t i = from; i < to; i++) {
        check(vipa_result_allocation(&injection, &kind, &holder, &amount, r, i) == VIPA_OK,
              "allocation readable");
        check((kind == VIPA_HOLDER_HOUSEHOLD) == (i + 1 < to), "households first, then the rest");
        check(kind != VIPA_HOLDER_HOUSEHOLD || i == from || holder > last, "households by id");
        last = holder;
        all += amount;
        poor += kind == VIPA_HOLDER_HOUSEHOLD ? amount : 0;
    }
    const tracked *t = tracked_injection(st, injection);
    check(t != NULL || !st->injections_known, "every allocated injection was added");
    if (!t)
        return;
    check(all == t->amount, "an injection's allocations sum to its amount");
    check(poor == (i128)t->amount * bp / 10000,
          "the households' part is trunc(amount × poor_share_bp / 10000)");
}

static void check_allocations(state *st, const vipa_result *r)
{
    int64_t bp = 0;
    check(vipa_param_get_int(&bp, st->ctx, "equity.poor_share_bp") == VIPA_OK, "bp readable");
    size_t n = vipa_result_allocation_count(r), from = 0;
    vipa_id previous = 0;
    for (size_t i = 0; i <= n; i++) {
        vipa_id injection = 0;
        vipa_holder_kind kind;
        uint64_t holder;
        vipa_fen amount;
        if (i < n)
            vipa_result_allocation(&injection, &kind, &holder, &amount, r, i);
        if (i == n || (i > from && injection != previous)) {
            check(i == n || injection > previous, "allocations by injection id");
            if (i > from)
                check_injection_rows(st, r, from, i, bp);
            from = i;
        }
        previous = injection;
    }
}

/* Ids of the whole-run lists ascend strictly, years too. */
static void check_lists_sorted(const vipa_result *r)
{
    vipa_id prev = 0, id_;
    vipa_signer_level level;
    vipa_area_code area;
    int exit_year;
    for (size_t i = 0; i < vipa_result_signer_count(r); prev = id_, i++) {
        check(vipa_result_signer(&id_, &level, &area, r, i) == VIPA_OK, "signer readable");
        check(i == 0 || id_ > prev, "signers by agreement id");
    }
    for (size_t i = 0; i < vipa_result_household_count(r); prev = id_, i++) {
        check(vipa_result_household(&id_, &exit_year, r, i) == VIPA_OK, "household readable");
        check(i == 0 || id_ > prev, "households by id");
    }
    for (size_t y = 1; y < vipa_result_year_count(r); y++)
        check(vipa_result_year(r, y) > vipa_result_year(r, y - 1), "years ascending");
}

static char *report_of(const vipa_result *r, int *rc)
{
    char *json = NULL;
    *rc = vipa_report_json(&json, NULL, r, 0);
    return json;
}

/* A second run of the same context with the same options gives the same bytes. */
static void check_rerun(state *st, const vipa_result *first, const vipa_run_options *options)
{
    vipa_result *second = NULL;
    check(vipa_run(&second, st->ctx, options) == VIPA_OK, "a second run succeeds too");
    int rc1, rc2;
    char *a = report_of(first, &rc1), *b = report_of(second, &rc2);
    check(rc1 == rc2 && (rc1 != VIPA_OK || strcmp(a, b) == 0), "two runs give the same report");
    vipa_free(a);
    vipa_free(b);
    vipa_result_free(second);
}

static void run(input *in, state *st)
{
    drop_result(st);
    vipa_run_options options = VIPA_RUN_OPTIONS_INIT;
    options.version = version(in);
    options.flags = u8(in) < 250 ? 0 : VIPA_RUN_NO_INPUT_HASH;
    vipa_result *r = NULL;
    const vipa_run_options *given = u8(in) < 128 ? NULL : &options;
    if (st->log->replaying) /* a run changes nothing: the replay need not repeat it */
        return;
    int rc = vipa_run(&r, st->ctx, given);
    check((rc == VIPA_OK) == (r != NULL), "a result exactly on success");
    check_unchanged(st, "vipa_run");
    if (rc != VIPA_OK)
        return;
    check_allocations(st, r);
    check_findings_sorted(vipa_result_findings(r));
    check_lists_sorted(r);
    check_rerun(st, r, given);
    st->result = r;
}

/* ---- reading a result, checks, ledgers, exports, loads ---------------------------------- */

static void explain(input *in, state *st)
{
    int of_household = u8(in) < 128;
    vipa_id which = id(in);
    int y = year(in);
    if (!st->result)
        return;
    vipa_explanation *x = NULL;
    int rc = of_household ? vipa_explain_household(&x, st->result, which, y)
                          : vipa_explain_agreement(&x, st->result, which, y);
    check((rc == VIPA_OK) == (x != NULL), "an explanation exactly on success");
    for (size_t i = 0; i < vipa_explanation_step_count(x); i++) {
        vipa_step_kind kind;
        vipa_rule rule;
        vipa_fen amount;
        vipa_date when;
        const char *line;
        check(vipa_explanation_step(&kind, &rule, &amount, &when, &line, x, i) == VIPA_OK &&
                  line != NULL, "explanation steps readable");
    }
    check(strlen(vipa_explanation_text(x)) < SIZE_MAX, "explanation text");
    vipa_explanation_free(x);
    int ignored;
    vipa_free(report_of(st->result, &ignored));
    check_unchanged(st, "an explanation");
}

static void record_checks(state *st)
{
    vipa_findings *f = NULL;
    int rc = vipa_check(&f, st->ctx);
    check((rc == VIPA_OK) == (f != NULL), "findings exactly on success");
    check_findings_sorted(f);
    vipa_findings_free(f);
    check_unchanged(st, "vipa_check");
}

static void ledger(input *in, state *st)
{
    drop_result(st); /* only to vary what is alive; a ledger may coexist with a result */
    vipa_ledger *l = NULL;
    int rc = vipa_ledger_build(&l, st->ctx);
    check((rc == VIPA_OK) == (l != NULL), "a ledger exactly on success");
    if (l) {
        vipa_fen v;
        int meets, y = year(in);
        vipa_date cutoff = u8(in) < 128 ? 0 : date(in);
        size_t willing, covered;
        vipa_id a = id(in), b = id(in), c = id(in);
        vipa_holder_kind kind = (vipa_holder_kind)small(in, 5);
        vipa_date when = date(in);
        vipa_area_code village = code(in);
        (void)vipa_ledger_linkage_due(&v, l, a, y);
        (void)vipa_ledger_linkage_paid(&v, l, a, y, cutoff);
        (void)vipa_ledger_dividend_due(&v, l, b, c, y);
        (void)vipa_ledger_dividend_paid(&v, l, b, c, y, cutoff);
        (void)vipa_ledger_income(&v, l, c, y, cutoff);
        (void)vipa_ledger_meets_standard(&meets, &v, l, c, y, cutoff);
        (void)vipa_ledger_holding(&v, l, b, kind, c, when);
        (void)vipa_ledger_coverage(&willing, &covered, l, village, y);
        vipa_findings *f = NULL;
        if (vipa_ledger_check(&f, l, y, cutoff) == VIPA_OK)
            check_findings_sorted(f);
        vipa_findings_free(f);
    }
    vipa_ledger_free(l);
    check_unchanged(st, "a ledger");
}

static void export_call(input *in, state *st)
{
    static const unsigned flags[] = {0, VIPA_REPORT_PRETTY, 2, 0x80000000u};
    char *json = NULL;
    size_t length = 7;
    int null_out = u8(in) == 255;
    int rc = vipa_scenario_export(null_out ? NULL : &json, &length, st->ctx, flags[small(in, 4)]);
    check(rc != VIPA_OK || (json && strlen(json) == length), "an export and its length");
    check(rc == VIPA_OK || (json == NULL && length == 0), "no text on failure");
    vipa_free(json);
    check_unchanged(st, "an export");
}

/* Loads some of the input as scenario text: mostly refused, and then nothing changes. */
static void load(input *in, state *st)
{
    drop_result(st);
    size_t n = u8(in);
    if (n > in->size - in->at)
        n = in->size - in->at;
    const char *text = (const char *)in->data + in->at;
    in->at += n;
    int rc = CHANGE(st, vipa_scenario_load(st->ctx, text, n, NULL), "vipa_scenario_load");
    if (rc == VIPA_OK) { /* what it added is not tracked */
        st->injections_known = 0;
        st->transfers = 1;
        st->profile_moved = 1;
    }
}

static void reset(state *st)
{
    drop_result(st);
    vipa_ctx_free(st->ctx);
    st->ctx = NULL;
    vipa_free(st->before);
    state fresh = {.log = st->log, .injections_known = 1};
    *st = fresh;
    check(vipa_ctx_new(&st->ctx, NULL) == VIPA_OK, "a new context");
}

/* ---- the end of an input: the export loads back to the same context --------------------- */

static void check_round_trip(state *st)
{
    drop_result(st);
    char *text = NULL, *again = NULL;
    size_t length, again_length;
    if (export_of(st->ctx, &text, &length) != VIPA_OK)
        return; /* an id beyond INT64_MAX or text beyond the limit: refused, as documented */
    if (getenv("FUZZ_API_DUMP")) /* for triage: what the input built */
        fputs(text, stderr);
    vipa_ctx *fresh = NULL;
    check(vipa_ctx_new(&fresh, NULL) == VIPA_OK, "a new context");
    int rc = vipa_scenario_load(fresh, text, length, NULL);
    if (rc != VIPA_OK && !st->profile_moved)
        fprintf(stderr, "fuzz_api: the export does not load: %s\n", vipa_ctx_errmsg(fresh));
    check(rc == VIPA_OK || st->profile_moved, "the export loads into a fresh context");
    if (rc == VIPA_OK) {
        check(export_of(fresh, &again, &again_length) == VIPA_OK && again_length == length &&
                  memcmp(text, again, length) == 0, "the reload exports the same text");
        vipa_result *a = NULL, *b = NULL;
        int rc_a = vipa_run(&a, st->ctx, NULL), rc_b = vipa_run(&b, fresh, NULL);
        check(rc_a == rc_b, "the reload runs to the same status");
        if (rc_a == VIPA_OK) {
            int r1, r2;
            char *ja = report_of(a, &r1), *jb = report_of(b, &r2);
            check(r1 == r2 && (r1 != VIPA_OK || strcmp(ja, jb) == 0),
                  "the reload gives the same report");
            vipa_free(ja);
            vipa_free(jb);
        }
        vipa_result_free(a);
        vipa_result_free(b);
    }
    vipa_free(again);
    vipa_free(text);
    vipa_ctx_free(fresh);
}

/* ---- the sequence ---------------------------------------------------------------------- */

typedef void (*add_fn)(input *in, state *st, size_t n, int null_items);

static const add_fn adds[] = {
    add_areas, add_entities, add_households, add_assured, add_agreements, add_plans,
    add_linkages, add_injections, add_contributions, add_transfers, add_dividends,
    add_payments, add_incomes, add_evaluations,
};

enum { ADD_COUNT = sizeof adds / sizeof adds[0] };

static void step(input *in, state *st)
{
    int op = small(in, ADD_COUNT + 10);
    if (op < ADD_COUNT) {
        int null_items;
        size_t n = batch_size(in, &null_items);
        drop_result(st); /* a result must not outlive a change of its context */
        remember(st);
        adds[op](in, st, n, null_items);
        return;
    }
    remember(st);
    switch (op - ADD_COUNT) {
    case 0: drop_result(st); set_param(in, st); break;
    case 1: get_param(in, st); break;
    case 2: run(in, st); break;
    case 3: explain(in, st); break;
    case 4: record_checks(st); break;
    case 5: ledger(in, st); break;
    case 6: export_call(in, st); break;
    case 7: load(in, st); break;
    case 8: drop_result(st); break;
    default: if (u8(in) == 255) reset(st); break;
    }
}

/* One pass over the input: every call it decodes, on a new context; the final export
 * in *text (NULL if refused). */
static void play(const uint8_t *data, size_t size, replay_log *log, char **text)
{
    input in = {data, size, 0};
    state st = {.log = log, .injections_known = 1};
    size_t length;
    check(vipa_ctx_new(&st.ctx, NULL) == VIPA_OK, "a new context");
    for (log->call = 0; in.at < in.size && log->call < MAX_CALLS; log->call++)
        step(&in, &st);
    if (!log->replaying)
        check_round_trip(&st);
    drop_result(&st);
    if (export_of(st.ctx, text, &length) != VIPA_OK)
        *text = NULL;
    vipa_free(st.before);
    vipa_ctx_free(st.ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    replay_log log;
    memset(&log, 0, sizeof log);
    char *first = NULL, *replayed = NULL;
    play(data, size, &log, &first);
    log.replaying = 1;
    play(data, size, &log, &replayed);
    check((!first && !replayed) || (first && replayed && strcmp(first, replayed) == 0),
          "replayed without the failed calls, the context ends the same");
    vipa_free(first);
    vipa_free(replayed);
    return 0;
}
