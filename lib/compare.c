/*
 * The compare module's core (include/vipa/compare.h): two year runs, and the rows of every
 * table of their reports paired by key.
 *
 * Every table of a result is sorted by its key (docs/scenario.md, "The report"), so the
 * pairing is one merge per table, linear: two rows with the same key pair up and are kept
 * when any of their values differ (their sub-lists included: favoured years, support
 * measures, failed checks); a row whose key one side lacks is kept with VIPA_NO_ROW on
 * that side. A table found out of its key's order would pair wrongly, so the merge
 * checks the order as it goes and fails (a library bug) rather than pair wrongly.
 *
 * Rows are read through the public accessors of run.h: a comparison says exactly what an
 * embedder reading the two results would find, and no more.
 */
#include <string.h>

#include "compare_internal.h"
#include "findings_internal.h"
#include "run_internal.h"
#include "vipa/error.h"
#include "vipa/findings.h"

typedef struct change_list {
    vipa_change *items;
    size_t count, capacity;
} change_list;

struct vipa_comparison {
    vipa__allocator alloc;
    vipa_result *results[2];
    const vipa_ctx *contexts[2]; /* whose profiles the comparison JSON sets side by side */
    change_list changes[VIPA_TABLE_COUNT + 1]; /* indexed by vipa_table */
};

static const char *const table_names[VIPA_TABLE_COUNT + 1] = {
    [VIPA_TABLE_SIGNERS] = "signers",
    [VIPA_TABLE_ALLOCATIONS] = "allocations",
    [VIPA_TABLE_HOUSEHOLDS] = "households",
    [VIPA_TABLE_ENTITIES] = "entities",
    [VIPA_TABLE_DISCLOSURE] = "disclosure",
    [VIPA_TABLE_YEAR_HOUSEHOLDS] = "year_households",
    [VIPA_TABLE_YEAR_DIVIDENDS] = "year_dividends",
    [VIPA_TABLE_YEAR_OBLIGATIONS] = "year_obligations",
    [VIPA_TABLE_YEAR_COVERAGE] = "year_coverage",
    [VIPA_TABLE_YEAR_EVALUATIONS] = "year_evaluations",
    [VIPA_TABLE_FINDINGS] = "findings",
};

const char *vipa_table_name(vipa_table table)
{
    return table > VIPA_TABLE_NONE && table <= VIPA_TABLE_COUNT ? table_names[table] : NULL;
}

/* ---- one row of a table, its key, and whether two rows say the same ---------------------- */

typedef union row {
    vipa_signer_row signer;
    vipa_allocation_row allocation;
    vipa_household_row household;
    vipa_entity_row entity;
    vipa_disclosure_row disclosure;
    vipa_year_household_row year_household;
    vipa_year_dividend_row dividend;
    vipa_year_obligation_row obligation;
    vipa_year_coverage_row coverage;
    vipa_year_evaluation_row evaluation;
} row;

/* A row in its result: which result, year index and row index. */
typedef struct place {
    const vipa_result *r;
    size_t y, i;
} place;

/* A row's key: up to three numbers, compared in order. */
typedef struct key {
    uint64_t k[3];
} key;

/* Two results of the same records (a context and its fork: the same arrays) counted to
 * the same day: a linkage's payments for a year are the same in both, so only what is due
 * can differ between their obligations. */
static int same_payments(const vipa_result *a, const vipa_result *b)
{
    return a->ctx->linkages.items == b->ctx->linkages.items &&
           a->ctx->linkages.count == b->ctx->linkages.count &&
           a->ctx->payments.items == b->ctx->payments.items &&
           a->ctx->payments.count == b->ctx->payments.count && a->as_of == b->as_of;
}

/* An obligation's key and due, without its paid (the costly figure: a look-up of its
 * payments), for two runs of the same payments (same_payments). */
static void read_due(row *out, const place *p)
{
    uint32_t l = p->r->years[p->y].obligations[p->i];
    out->obligation.linkage = p->r->ctx->linkages.items[l].id;
    out->obligation.due = vipa__linkage_due(p->r->ledger, l, p->r->years[p->y].year);
}

static int read_row(row *out, vipa_table t, const place *p, int due_only)
{
    memset(out, 0, sizeof *out);
    if (t == VIPA_TABLE_YEAR_OBLIGATIONS && due_only) {
        read_due(out, p);
        return VIPA_OK;
    }
    switch (t) {
    case VIPA_TABLE_SIGNERS:
        return vipa_result_signer_row(&out->signer, sizeof out->signer, p->r, p->i);
    case VIPA_TABLE_ALLOCATIONS:
        return vipa_result_allocation_row(&out->allocation, sizeof out->allocation, p->r, p->i);
    case VIPA_TABLE_HOUSEHOLDS:
        return vipa_result_household_row(&out->household, sizeof out->household, p->r, p->i);
    case VIPA_TABLE_ENTITIES:
        return vipa_result_entity_row(&out->entity, sizeof out->entity, p->r, p->i);
    case VIPA_TABLE_DISCLOSURE:
        return vipa_result_disclosure_row(&out->disclosure, sizeof out->disclosure, p->r, p->i);
    case VIPA_TABLE_YEAR_HOUSEHOLDS:
        return vipa_result_year_household_row(&out->year_household, sizeof out->year_household,
                                              p->r, p->y, p->i);
    case VIPA_TABLE_YEAR_DIVIDENDS:
        return vipa_result_year_dividend_row(&out->dividend, sizeof out->dividend, p->r, p->y,
                                             p->i);
    case VIPA_TABLE_YEAR_OBLIGATIONS:
        return vipa_result_year_obligation_row(&out->obligation, sizeof out->obligation, p->r,
                                               p->y, p->i);
    case VIPA_TABLE_YEAR_COVERAGE:
        return vipa_result_year_coverage_row(&out->coverage, sizeof out->coverage, p->r, p->y,
                                             p->i);
    case VIPA_TABLE_YEAR_EVALUATIONS:
        return vipa_result_year_evaluation_row(&out->evaluation, sizeof out->evaluation, p->r,
                                               p->y, p->i);
    default:
        return VIPA_E_INVALID;
    }
}

/* The key each table is sorted by (docs/scenario.md, "The report"). An allocation's
 * holders come households first, then the remainder's holder, which is the order of
 * their kinds' values. */
static key key_of(vipa_table t, const row *x)
{
    switch (t) {
    case VIPA_TABLE_SIGNERS: return (key){{x->signer.agreement, 0, 0}};
    case VIPA_TABLE_ALLOCATIONS:
        return (key){{x->allocation.injection, x->allocation.holder_kind, x->allocation.holder}};
    case VIPA_TABLE_HOUSEHOLDS: return (key){{x->household.household, 0, 0}};
    case VIPA_TABLE_ENTITIES: return (key){{x->entity.entity, 0, 0}};
    case VIPA_TABLE_DISCLOSURE: return (key){{x->disclosure.entity, 0, 0}};
    case VIPA_TABLE_YEAR_HOUSEHOLDS: return (key){{x->year_household.household, 0, 0}};
    case VIPA_TABLE_YEAR_DIVIDENDS: return (key){{x->dividend.entity, x->dividend.household, 0}};
    case VIPA_TABLE_YEAR_OBLIGATIONS: return (key){{x->obligation.linkage, 0, 0}};
    case VIPA_TABLE_YEAR_COVERAGE: return (key){{x->coverage.village, 0, 0}};
    default: /* evaluations: by agreement, then date (the evaluation before its re-check) */
        return (key){{x->evaluation.agreement, (uint64_t)x->evaluation.date, 0}};
    }
}

static int key_order(const key *a, const key *b)
{
    for (int k = 0; k < 3; k++)
        if (a->k[k] != b->k[k])
            return a->k[k] < b->k[k] ? -1 : 1;
    return 0;
}

static int same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int same_favoured(const place *a, const place *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int ya = 0, yb = 0;
        vipa_result_entity_favoured(&ya, a->r, a->i, k);
        vipa_result_entity_favoured(&yb, b->r, b->i, k);
        if (ya != yb)
            return 0;
    }
    return 1;
}

static int same_support(const place *a, const place *b, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!same_text(vipa_result_disclosure_support(a->r, a->i, k),
                       vipa_result_disclosure_support(b->r, b->i, k)))
            return 0;
    return 1;
}

static int same_failed(const place *a, const place *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        vipa_year_failed_row x, y;
        memset(&x, 0, sizeof x);
        memset(&y, 0, sizeof y);
        vipa_result_year_failed_row(&x, sizeof x, a->r, a->y, a->i, k);
        vipa_result_year_failed_row(&y, sizeof y, b->r, b->y, b->i, k);
        if (x.rule != y.rule || x.subject_kind != y.subject_kind || x.subject != y.subject ||
            !same_text(x.expected, y.expected) || !same_text(x.actual, y.actual))
            return 0;
    }
    return 1;
}

/* Two rows of one key say the same: every value, and every element of their sub-lists. */
static int same_row(vipa_table t, const place *a, const row *x, const place *b, const row *y)
{
    switch (t) {
    case VIPA_TABLE_SIGNERS:
        return x->signer.level == y->signer.level && x->signer.area == y->signer.area;
    case VIPA_TABLE_ALLOCATIONS: return x->allocation.amount == y->allocation.amount;
    case VIPA_TABLE_HOUSEHOLDS: return x->household.exit_year == y->household.exit_year;
    case VIPA_TABLE_ENTITIES:
        return x->entity.status == y->entity.status &&
               x->entity.disqualified_on == y->entity.disqualified_on &&
               x->entity.favoured_count == y->entity.favoured_count &&
               same_favoured(a, b, x->entity.favoured_count);
    case VIPA_TABLE_DISCLOSURE:
        return x->disclosure.equity == y->disclosure.equity &&
               x->disclosure.households == y->disclosure.households &&
               x->disclosure.support_count == y->disclosure.support_count &&
               same_support(a, b, x->disclosure.support_count);
    case VIPA_TABLE_YEAR_HOUSEHOLDS:
        return x->year_household.income == y->year_household.income &&
               x->year_household.line == y->year_household.line &&
               x->year_household.meets_standard == y->year_household.meets_standard;
    case VIPA_TABLE_YEAR_DIVIDENDS:
        return x->dividend.due == y->dividend.due && x->dividend.paid == y->dividend.paid;
    case VIPA_TABLE_YEAR_OBLIGATIONS:
        return x->obligation.household == y->obligation.household &&
               x->obligation.kind == y->obligation.kind && x->obligation.due == y->obligation.due &&
               x->obligation.paid == y->obligation.paid;
    case VIPA_TABLE_YEAR_COVERAGE:
        return x->coverage.willing == y->coverage.willing &&
               x->coverage.covered == y->coverage.covered;
    default:
        return x->evaluation.entity == y->evaluation.entity &&
               x->evaluation.recheck == y->evaluation.recheck &&
               x->evaluation.outcome == y->evaluation.outcome &&
               x->evaluation.failed_count == y->evaluation.failed_count &&
               same_failed(a, b, x->evaluation.failed_count);
    }
}

/* ---- the merge ------------------------------------------------------------------------------ */

typedef struct merge {
    vipa_comparison *c;
    vipa_ctx *ctx; /* where a failure is told */
    int due_only;  /* same_payments(): obligations compare by their due alone */
    vipa_table table;
    int year;
    size_t year_index[2];
} merge;

static int push(const merge *m, size_t a, size_t b)
{
    change_list *l = &m->c->changes[m->table];
    if (vipa__list_reserve(&m->c->alloc, &l->items, &l->capacity, l->count, 1, sizeof *l->items,
                           SIZE_MAX) != VIPA_OK)
        return vipa__fail(m->ctx, VIPA_E_NOMEM, "compare: out of memory listing the changes");
    vipa_change *ch = &l->items[l->count++];
    *ch = (vipa_change)VIPA_CHANGE_INIT;
    ch->year = m->year;
    ch->year_index[0] = m->year_index[0];
    ch->year_index[1] = m->year_index[1];
    ch->row[0] = a;
    ch->row[1] = b;
    return VIPA_OK;
}

/* One side of a merge: its rows, the current one read with its key. */
typedef struct cursor {
    place at;
    size_t count;
    row current;
    key k, previous;
} cursor;

static int cursor_read(const merge *m, cursor *cu)
{
    if (cu->at.i >= cu->count)
        return VIPA_OK;
    if (read_row(&cu->current, m->table, &cu->at, m->due_only) != VIPA_OK)
        return vipa__fail(m->ctx, VIPA_E_INVALID, "compare: row %zu of %s cannot be read (a "
                          "library bug)", cu->at.i, table_names[m->table]);
    cu->k = key_of(m->table, &cu->current);
    if (cu->at.i > 0 && key_order(&cu->previous, &cu->k) > 0)
        return vipa__fail(m->ctx, VIPA_E_INVALID, "compare: %s is not in the order of its key "
                          "at row %zu (a library bug)", table_names[m->table], cu->at.i);
    cu->previous = cu->k;
    return VIPA_OK;
}

static int cursor_next(const merge *m, cursor *cu)
{
    cu->at.i++;
    return cursor_read(m, cu);
}

/* Pairs the rows of a table (of one year, for a year table) given as two cursors. */
static int merge_rows(const merge *m, cursor *a, cursor *b)
{
    int rc = cursor_read(m, a);
    if (rc == VIPA_OK)
        rc = cursor_read(m, b);
    while (rc == VIPA_OK && (a->at.i < a->count || b->at.i < b->count)) {
        int order = a->at.i >= a->count ? 1 : b->at.i >= b->count ? -1 : key_order(&a->k, &b->k);
        if (order < 0) {
            if ((rc = push(m, a->at.i, VIPA_NO_ROW)) == VIPA_OK)
                rc = cursor_next(m, a);
        } else if (order > 0) {
            if ((rc = push(m, VIPA_NO_ROW, b->at.i)) == VIPA_OK)
                rc = cursor_next(m, b);
        } else {
            if (!same_row(m->table, &a->at, &a->current, &b->at, &b->current))
                rc = push(m, a->at.i, b->at.i);
            if (rc == VIPA_OK && (rc = cursor_next(m, a)) == VIPA_OK)
                rc = cursor_next(m, b);
        }
    }
    return rc;
}

typedef size_t (*table_count_fn)(const vipa_result *r);
typedef size_t (*year_count_fn)(const vipa_result *r, size_t y);

static int merge_table(merge *m, vipa_table t, table_count_fn count)
{
    m->table = t;
    m->year = 0;
    m->year_index[0] = m->year_index[1] = VIPA_NO_ROW;
    const vipa_result *ra = m->c->results[0], *rb = m->c->results[1];
    cursor a = {{ra, 0, 0}, count(ra), {{0}}, {{0}}, {{0}}};
    cursor b = {{rb, 0, 0}, count(rb), {{0}}, {{0}}, {{0}}};
    return merge_rows(m, &a, &b);
}

/* A year table, year by year: the years of the two runs paired by year (the same records
 * run the same years; two data sets may not), a year of one run alone all one-sided. */
static int merge_year_table(merge *m, vipa_table t, year_count_fn count)
{
    const vipa_result *ra = m->c->results[0], *rb = m->c->results[1];
    size_t ya = 0, yb = 0, na = vipa_result_year_count(ra), nb = vipa_result_year_count(rb);
    int rc = VIPA_OK;
    m->table = t;
    while (rc == VIPA_OK && (ya < na || yb < nb)) {
        int year_a = ya < na ? vipa_result_year(ra, ya) : 0;
        int year_b = yb < nb ? vipa_result_year(rb, yb) : 0;
        int has_a = ya < na && (yb >= nb || year_a <= year_b);
        int has_b = yb < nb && (ya >= na || year_b <= year_a);
        m->year = has_a ? year_a : year_b;
        m->year_index[0] = has_a ? ya : VIPA_NO_ROW;
        m->year_index[1] = has_b ? yb : VIPA_NO_ROW;
        cursor a = {{ra, ya, 0}, has_a ? count(ra, ya) : 0, {{0}}, {{0}}, {{0}}};
        cursor b = {{rb, yb, 0}, has_b ? count(rb, yb) : 0, {{0}}, {{0}}, {{0}}};
        rc = merge_rows(m, &a, &b);
        ya += has_a;
        yb += has_b;
    }
    return rc;
}

/* ---- findings: by rule, subject, year and message, the order of the list -------------------- */

static int finding_order(const vipa_findings *fa, size_t i, const vipa_findings *fb, size_t j)
{
    uint64_t ka[4] = {vipa_finding_rule(fa, i), vipa_finding_subject_kind(fa, i),
                      vipa_finding_subject_id(fa, i), (uint64_t)vipa_finding_year(fa, i)};
    uint64_t kb[4] = {vipa_finding_rule(fb, j), vipa_finding_subject_kind(fb, j),
                      vipa_finding_subject_id(fb, j), (uint64_t)vipa_finding_year(fb, j)};
    for (int k = 0; k < 4; k++)
        if (ka[k] != kb[k])
            return ka[k] < kb[k] ? -1 : 1;
    if (vipa__findings_same_message(fa, i, fb, j))
        return 0; /* most findings of two runs: their messages need no formatting */
    char ma[VIPA_FINDING_MESSAGE_SIZE], mb[VIPA_FINDING_MESSAGE_SIZE];
    if (vipa_finding_message_format(ma, sizeof ma, fa, i) != VIPA_OK ||
        vipa_finding_message_format(mb, sizeof mb, fb, j) != VIPA_OK)
        return 0; /* cannot happen: the buffer is of the documented size */
    return strcmp(ma, mb);
}

static int same_finding(const vipa_findings *fa, size_t i, const vipa_findings *fb, size_t j)
{
    return vipa_finding_severity(fa, i) == vipa_finding_severity(fb, j) &&
           same_text(vipa_finding_expected(fa, i), vipa_finding_expected(fb, j)) &&
           same_text(vipa_finding_actual(fa, i), vipa_finding_actual(fb, j));
}

static int merge_findings(merge *m)
{
    const vipa_findings *fa = vipa_result_findings(m->c->results[0]);
    const vipa_findings *fb = vipa_result_findings(m->c->results[1]);
    size_t i = 0, j = 0, na = vipa_findings_count(fa), nb = vipa_findings_count(fb);
    m->table = VIPA_TABLE_FINDINGS;
    m->year = 0;
    m->year_index[0] = m->year_index[1] = VIPA_NO_ROW;
    int rc = VIPA_OK;
    while (rc == VIPA_OK && (i < na || j < nb)) {
        int order = i >= na ? 1 : j >= nb ? -1 : finding_order(fa, i, fb, j);
        if (order < 0)
            rc = push(m, i++, VIPA_NO_ROW);
        else if (order > 0)
            rc = push(m, VIPA_NO_ROW, j++);
        else if (!same_finding(fa, i, fb, j))
            rc = push(m, i++, j++);
        else
            i++, j++;
    }
    return rc;
}

static int merge_all(vipa_comparison *c, vipa_ctx *ctx)
{
    merge m = {c, ctx, same_payments(c->results[0], c->results[1]), VIPA_TABLE_NONE, 0,
               {VIPA_NO_ROW, VIPA_NO_ROW}};
    int rc = merge_table(&m, VIPA_TABLE_SIGNERS, vipa_result_signer_count);
    if (rc == VIPA_OK)
        rc = merge_table(&m, VIPA_TABLE_ALLOCATIONS, vipa_result_allocation_count);
    if (rc == VIPA_OK)
        rc = merge_table(&m, VIPA_TABLE_HOUSEHOLDS, vipa_result_household_count);
    if (rc == VIPA_OK)
        rc = merge_table(&m, VIPA_TABLE_ENTITIES, vipa_result_entity_count);
    if (rc == VIPA_OK)
        rc = merge_table(&m, VIPA_TABLE_DISCLOSURE, vipa_result_disclosure_count);
    if (rc == VIPA_OK)
        rc = merge_year_table(&m, VIPA_TABLE_YEAR_HOUSEHOLDS, vipa_result_year_household_count);
    if (rc == VIPA_OK)
        rc = merge_year_table(&m, VIPA_TABLE_YEAR_DIVIDENDS, vipa_result_year_dividend_count);
    if (rc == VIPA_OK)
        rc = merge_year_table(&m, VIPA_TABLE_YEAR_OBLIGATIONS, vipa_result_year_obligation_count);
    if (rc == VIPA_OK)
        rc = merge_year_table(&m, VIPA_TABLE_YEAR_COVERAGE, vipa_result_year_coverage_count);
    if (rc == VIPA_OK)
        rc = merge_year_table(&m, VIPA_TABLE_YEAR_EVALUATIONS, vipa_result_year_evaluation_count);
    if (rc == VIPA_OK)
        rc = merge_findings(&m);
    return rc;
}

/* ---- the comparison ----------------------------------------------------------------------- */

/* The reform's failure told on the baseline, which reports the comparison's. */
static int reform_failed(vipa_ctx *baseline, vipa_ctx *reform, int rc)
{
    if (baseline == reform)
        return rc;
    char why[VIPA_ERRMSG_SIZE];
    memcpy(why, vipa_ctx_errmsg(reform), sizeof why);
    why[sizeof why - 1] = '\0';
    return vipa__fail(baseline, rc, "reform: %s", why);
}

int vipa_compare(vipa_comparison **out, vipa_ctx *baseline, vipa_ctx *reform,
                 const vipa_run_options *options)
{
    if (out)
        *out = NULL;
    if (!baseline)
        return VIPA_E_INVALID;
    if (!out || !reform)
        return vipa__fail(baseline, VIPA_E_INVALID, "compare: the %s is NULL",
                          !out ? "output pointer" : "reform");
    vipa_comparison *c = vipa__calloc(&baseline->alloc, 1, sizeof *c);
    if (!c)
        return vipa__fail(baseline, VIPA_E_NOMEM, "compare: out of memory");
    c->alloc = baseline->alloc;
    c->contexts[0] = baseline;
    c->contexts[1] = reform;
    int rc = vipa_run(&c->results[0], baseline, options);
    if (rc == VIPA_OK && (rc = vipa_run(&c->results[1], reform, options)) != VIPA_OK)
        rc = reform_failed(baseline, reform, rc);
    if (rc == VIPA_OK)
        rc = merge_all(c, baseline);
    if (rc != VIPA_OK) {
        vipa_comparison_free(c);
        return rc;
    }
    *out = c;
    return vipa__succeed(baseline);
}

void vipa_comparison_free(vipa_comparison *c)
{
    if (!c)
        return;
    vipa__allocator a = c->alloc;
    for (int t = 0; t <= VIPA_TABLE_COUNT; t++)
        vipa__free(&a, c->changes[t].items);
    vipa_result_free(c->results[0]);
    vipa_result_free(c->results[1]);
    vipa__free(&a, c);
}

const vipa_result *vipa_comparison_result(const vipa_comparison *c, int side)
{
    return c && (side == 0 || side == 1) ? c->results[side] : NULL;
}

const vipa_ctx *vipa__comparison_context(const vipa_comparison *c, int side)
{
    return c->contexts[side];
}

const vipa__allocator *vipa__comparison_allocator(const vipa_comparison *c)
{
    return &c->alloc;
}

size_t vipa_comparison_change_count(const vipa_comparison *c, vipa_table table)
{
    return c && vipa_table_name(table) ? c->changes[table].count : 0;
}

int vipa_comparison_change(vipa_change *change, const vipa_comparison *c, vipa_table table,
                           size_t i)
{
    if (!change || !c || !vipa_table_name(table))
        return VIPA_E_INVALID;
    if (change->version == 0 || change->version > VIPA_CHANGE_VERSION)
        return VIPA_E_VERSION;
    if (i >= c->changes[table].count)
        return VIPA_E_RANGE;
    *change = c->changes[table].items[i];
    return VIPA_OK;
}
