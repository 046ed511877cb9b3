/*
 * The compare module's JSON out (docs/scenario.md, "The comparison"): the parameters that
 * differ, totals, then every change as a pair [baseline row, reform row], each row as the
 * report writes it (null on the side without it). Written as it goes with the scenario
 * module's JSON writer, like the report, so the same comparison always gives the same
 * bytes and a province's comparison costs no memory beyond its results.
 *
 * Totals are sums over each result's rows, so they count every row, changed or not: the
 * money that moves between households, collectives and entities (三(二)), exits per year
 * (四(二)), dues (二(三); 四(四)) and the evaluations' outcomes (四(五)).
 */
#include <string.h>

#include "compare_internal.h"
#include "scenario_internal.h"
#include "vipa/error.h"
#include "vocab_internal.h"

/* ---- [baseline, reform] and [baseline, reform, difference] ------------------------------------ */

/* "key": [ and its first element's place; the caller writes the elements, an item
 * between each (vipa__json_item), and closes it. */
static void open_pair(vipa__json *w, const char *key)
{
    vipa__json_key(w, key);
    vipa__json_open(w, '[');
    vipa__json_item(w);
}

static void member_fen_pair(vipa__json *w, const char *key, vipa_fen a, vipa_fen b)
{
    vipa_fen d;
    open_pair(w, key);
    vipa__json_fen(w, a);
    vipa__json_item(w);
    vipa__json_fen(w, b);
    vipa__json_item(w);
    if (vipa_fen_sub(&d, b, a) != VIPA_OK)
        vipa__json_fail(w, VIPA_E_OVERFLOW, "a difference of totals beyond the int64 range of fen");
    else
        vipa__json_fen(w, d);
    vipa__json_close(w, ']');
}

static void member_count_pair(vipa__json *w, const char *key, uint64_t a, uint64_t b)
{
    open_pair(w, key);
    vipa__json_uint(w, a);
    vipa__json_item(w);
    vipa__json_uint(w, b);
    vipa__json_item(w);
    vipa__json_int(w, b >= a ? (long long)(b - a) : -(long long)(a - b));
    vipa__json_close(w, ']');
}

/* A sum of fen, checked: the first overflow fails the text. */
static void add_fen(vipa__json *w, vipa_fen *sum, vipa_fen amount)
{
    if (vipa_fen_add(sum, *sum, amount) != VIPA_OK)
        vipa__json_fail(w, VIPA_E_OVERFLOW, "a total beyond the int64 range of fen");
}

/* ---- the parameters that differ ------------------------------------------------------------ */

static void member_words_pair(vipa__json *w, const char *key, vipa__vocab words, int a, int b)
{
    open_pair(w, key);
    vipa__json_text(w, vipa__word(words, a));
    vipa__json_item(w);
    vipa__json_text(w, vipa__word(words, b));
    vipa__json_close(w, ']');
}

static void member_line_pair(vipa__json *w, int year, const vipa__profile *a,
                             const vipa__profile *b)
{
    char key[32];
    snprintf(key, sizeof key, "poverty_line.%d", year);
    vipa_fen line;
    open_pair(w, key);
    for (int side = 0; side < 2; side++) {
        if (side)
            vipa__json_item(w);
        if (vipa__profile_line(side ? b : a, year, &line) == VIPA_OK)
            vipa__json_fen(w, line);
        else
            vipa__json_null(w);
    }
    vipa__json_close(w, ']');
}

/* The lines of the two profiles, merged by year (each sorted by year). */
static void write_line_changes(vipa__json *w, const vipa__profile *a, const vipa__profile *b)
{
    size_t i = 0, j = 0;
    while (i < a->line_count || j < b->line_count) {
        int ya = i < a->line_count ? a->lines[i].year : VIPA_YEAR_MAX + 1;
        int yb = j < b->line_count ? b->lines[j].year : VIPA_YEAR_MAX + 1;
        int year = ya < yb ? ya : yb;
        vipa_fen la = ya == year ? a->lines[i].per_person : -1;
        vipa_fen lb = yb == year ? b->lines[j].per_person : -1;
        if (la != lb)
            member_line_pair(w, year, a, b);
        i += ya == year;
        j += yb == year;
    }
}

static void write_params(vipa__json *w, const vipa__profile *a, const vipa__profile *b)
{
    vipa__json_key(w, "params");
    vipa__json_open(w, '{');
    if (a->poor_share_bp != b->poor_share_bp) {
        open_pair(w, "equity.poor_share_bp");
        vipa__json_int(w, a->poor_share_bp);
        vipa__json_item(w);
        vipa__json_int(w, b->poor_share_bp);
        vipa__json_close(w, ']');
    }
    if (a->allocation != b->allocation)
        member_words_pair(w, "equity.allocation", VIPA_VOCAB_PROFILE_ALLOCATION,
                          (int)a->allocation, (int)b->allocation);
    if (a->remainder_holder != b->remainder_holder)
        member_words_pair(w, "equity.remainder_holder", VIPA_VOCAB_REMAINDER_HOLDER,
                          (int)a->remainder_holder, (int)b->remainder_holder);
    if (a->require_guarantees != b->require_guarantees) {
        open_pair(w, "exit.require_guarantees");
        vipa__json_bool(w, a->require_guarantees);
        vipa__json_item(w);
        vipa__json_bool(w, b->require_guarantees);
        vipa__json_close(w, ']');
    }
    write_line_changes(w, a, b);
    vipa__json_close(w, '}');
}

/* ---- totals ------------------------------------------------------------------------------- */

/* The equity each kind of holder receives (三(二)): indexed by vipa_holder_kind. */
static void equity_totals(vipa__json *w, const vipa_result *r, vipa_fen out[4])
{
    memset(out, 0, 4 * sizeof *out);
    for (size_t i = 0; i < vipa_result_allocation_count(r); i++) {
        vipa_allocation_row row = {0};
        if (vipa_result_allocation_row(&row, sizeof row, r, i) == VIPA_OK &&
            row.holder_kind > VIPA_HOLDER_NONE && row.holder_kind <= VIPA_HOLDER_ENTITY)
            add_fen(w, &out[row.holder_kind], row.amount);
    }
}

static void write_equity(vipa__json *w, const vipa_result *ra, const vipa_result *rb)
{
    vipa_fen a[4], b[4];
    equity_totals(w, ra, a);
    equity_totals(w, rb, b);
    vipa__json_key(w, "equity");
    vipa__json_open(w, '{');
    member_fen_pair(w, "households", a[VIPA_HOLDER_HOUSEHOLD], b[VIPA_HOLDER_HOUSEHOLD]);
    member_fen_pair(w, "collectives", a[VIPA_HOLDER_COLLECTIVE], b[VIPA_HOLDER_COLLECTIVE]);
    member_fen_pair(w, "entities", a[VIPA_HOLDER_ENTITY], b[VIPA_HOLDER_ENTITY]);
    vipa__json_close(w, '}');
}

/* One year of one run, summed. */
typedef struct year_totals {
    vipa_fen income, obligations_due, obligations_paid, dividends_due, dividends_paid;
    uint64_t meeting, outcomes[VIPA_OUTCOME_TERMINATED + 1];
} year_totals;

static void sum_year(vipa__json *w, const vipa_result *r, size_t y, year_totals *t)
{
    memset(t, 0, sizeof *t);
    if (y == VIPA_NO_ROW)
        return;
    for (size_t i = 0; i < vipa_result_year_household_count(r, y); i++) {
        vipa_year_household_row row = {0};
        if (vipa_result_year_household_row(&row, sizeof row, r, y, i) == VIPA_OK) {
            add_fen(w, &t->income, row.income);
            t->meeting += row.meets_standard != 0;
        }
    }
    for (size_t i = 0; i < vipa_result_year_obligation_count(r, y); i++) {
        vipa_year_obligation_row row = {0};
        if (vipa_result_year_obligation_row(&row, sizeof row, r, y, i) == VIPA_OK) {
            add_fen(w, &t->obligations_due, row.due);
            add_fen(w, &t->obligations_paid, row.paid);
        }
    }
    for (size_t i = 0; i < vipa_result_year_dividend_count(r, y); i++) {
        vipa_year_dividend_row row = {0};
        if (vipa_result_year_dividend_row(&row, sizeof row, r, y, i) == VIPA_OK) {
            add_fen(w, &t->dividends_due, row.due);
            add_fen(w, &t->dividends_paid, row.paid);
        }
    }
    for (size_t i = 0; i < vipa_result_year_evaluation_count(r, y); i++) {
        vipa_year_evaluation_row row = {0};
        if (vipa_result_year_evaluation_row(&row, sizeof row, r, y, i) == VIPA_OK &&
            row.outcome > VIPA_OUTCOME_NONE && row.outcome <= VIPA_OUTCOME_TERMINATED)
            t->outcomes[row.outcome]++;
    }
}

/* Households by exit year, counted once for every year of the totals: counts[year], for
 * years 0..VIPA_YEAR_MAX (0: not exited). NULL, the writer failed, when out of memory. */
static uint64_t *exits_by_year(vipa__json *w, const vipa_comparison *c, const vipa_result *r)
{
    uint64_t *counts = vipa__calloc(vipa__comparison_allocator(c), VIPA_YEAR_MAX + 1,
                                    sizeof *counts);
    if (!counts) {
        vipa__json_fail(w, VIPA_E_NOMEM, "out of memory counting exits");
        return NULL;
    }
    for (size_t i = 0; i < vipa_result_household_count(r); i++) {
        vipa_household_row row = {0};
        if (vipa_result_household_row(&row, sizeof row, r, i) == VIPA_OK && row.exit_year >= 0 &&
            row.exit_year <= VIPA_YEAR_MAX)
            counts[row.exit_year]++;
    }
    return counts;
}

static void write_year_totals(vipa__json *w, const vipa_comparison *c, int year, size_t ya,
                              size_t yb, void *state)
{
    uint64_t *const *exits = state; /* exits_by_year of each side */
    const vipa_result *ra = vipa_comparison_result(c, 0), *rb = vipa_comparison_result(c, 1);
    year_totals a, b;
    sum_year(w, ra, ya, &a);
    sum_year(w, rb, yb, &b);
    vipa__json_item(w);
    vipa__json_open(w, '{');
    vipa__json_member_int(w, "year", year);
    member_fen_pair(w, "income", a.income, b.income);
    member_count_pair(w, "meeting_standard", a.meeting, b.meeting);
    member_count_pair(w, "exits", exits[0][year], exits[1][year]);
    member_fen_pair(w, "obligations_due", a.obligations_due, b.obligations_due);
    member_fen_pair(w, "obligations_paid", a.obligations_paid, b.obligations_paid);
    member_fen_pair(w, "dividends_due", a.dividends_due, b.dividends_due);
    member_fen_pair(w, "dividends_paid", a.dividends_paid, b.dividends_paid);
    vipa__json_key(w, "outcomes");
    vipa__json_open(w, '{');
    for (int o = VIPA_OUTCOME_COMPLIANT; o <= VIPA_OUTCOME_TERMINATED; o++)
        member_count_pair(w, vipa_outcome_name((vipa_outcome)o), a.outcomes[o], b.outcomes[o]);
    vipa__json_close(w, '}');
    vipa__json_close(w, '}');
}

/* The years of the two runs in order, each with its index in each (VIPA_NO_ROW when
 * absent): calls fn(w, c, year, ya, yb, state) for each. */
typedef void (*year_fn)(vipa__json *w, const vipa_comparison *c, int year, size_t ya, size_t yb,
                        void *state);

static void each_year(vipa__json *w, const vipa_comparison *c, year_fn fn, void *state)
{
    const vipa_result *ra = vipa_comparison_result(c, 0), *rb = vipa_comparison_result(c, 1);
    size_t ya = 0, yb = 0, na = vipa_result_year_count(ra), nb = vipa_result_year_count(rb);
    while ((ya < na || yb < nb) && w->rc == VIPA_OK) {
        int year_a = ya < na ? vipa_result_year(ra, ya) : VIPA_YEAR_MAX + 1;
        int year_b = yb < nb ? vipa_result_year(rb, yb) : VIPA_YEAR_MAX + 1;
        int year = year_a < year_b ? year_a : year_b;
        fn(w, c, year, year_a == year ? ya : VIPA_NO_ROW, year_b == year ? yb : VIPA_NO_ROW, state);
        ya += year_a == year;
        yb += year_b == year;
    }
}

static uint64_t disqualified(const vipa_result *r)
{
    uint64_t n = 0;
    for (size_t i = 0; i < vipa_result_entity_count(r); i++) {
        vipa_entity_row row = {0};
        if (vipa_result_entity_row(&row, sizeof row, r, i) == VIPA_OK &&
            row.status == VIPA_ENTITY_STATUS_DISQUALIFIED)
            n++;
    }
    return n;
}

static void write_totals(vipa__json *w, const vipa_comparison *c)
{
    const vipa_result *ra = vipa_comparison_result(c, 0), *rb = vipa_comparison_result(c, 1);
    vipa__json_key(w, "totals");
    vipa__json_open(w, '{');
    vipa__json_key(w, "changes");
    vipa__json_open(w, '{');
    for (int t = 1; t <= VIPA_TABLE_COUNT; t++)
        vipa__json_member_id(w, vipa_table_name((vipa_table)t),
                             vipa_comparison_change_count(c, (vipa_table)t));
    vipa__json_close(w, '}');
    write_equity(w, ra, rb);
    uint64_t *exits[2] = {exits_by_year(w, c, ra), exits_by_year(w, c, rb)};
    vipa__json_key(w, "years");
    vipa__json_open(w, '[');
    if (exits[0] && exits[1])
        each_year(w, c, write_year_totals, exits);
    vipa__json_close(w, ']');
    vipa__free(vipa__comparison_allocator(c), exits[0]);
    vipa__free(vipa__comparison_allocator(c), exits[1]);
    member_count_pair(w, "disqualified", disqualified(ra), disqualified(rb));
    vipa__json_close(w, '}');
}

/* ---- the changes ------------------------------------------------------------------------------ */

/* [baseline row, reform row], null for the side without it. */
static void write_change(vipa__json *w, const vipa_comparison *c, vipa_table t,
                         const vipa_change *ch)
{
    vipa__json_item(w);
    vipa__json_open(w, '[');
    for (int side = 0; side < 2; side++) {
        if (ch->row[side] == VIPA_NO_ROW) {
            vipa__json_item(w);
            vipa__json_null(w);
        } else {
            vipa__report_row(w, vipa_comparison_result(c, side), t, ch->year_index[side],
                             ch->row[side]);
        }
    }
    vipa__json_close(w, ']');
}

static void write_table_changes(vipa__json *w, const vipa_comparison *c, vipa_table t,
                                int summary)
{
    vipa__json_key(w, vipa_table_name(t));
    vipa__json_open(w, '[');
    size_t n = summary ? 0 : vipa_comparison_change_count(c, t);
    for (size_t i = 0; i < n && w->rc == VIPA_OK; i++) {
        vipa_change ch = VIPA_CHANGE_INIT;
        vipa_comparison_change(&ch, c, t, i);
        write_change(w, c, t, &ch);
    }
    vipa__json_close(w, ']');
}

/* The year tables' changes, by year: each table's changes are in year order, so a cursor
 * per table walks them once. */
typedef struct year_cursor {
    vipa_table table;
    const char *key; /* as the report names the year's list */
    size_t next;
} year_cursor;

static year_cursor year_cursors[] = {
    {VIPA_TABLE_YEAR_HOUSEHOLDS, "households", 0},
    {VIPA_TABLE_YEAR_OBLIGATIONS, "obligations", 0},
    {VIPA_TABLE_YEAR_DIVIDENDS, "dividends", 0},
    {VIPA_TABLE_YEAR_COVERAGE, "coverage", 0},
    {VIPA_TABLE_YEAR_EVALUATIONS, "evaluations", 0},
};

#define YEAR_TABLES (sizeof year_cursors / sizeof *year_cursors)

typedef struct year_walk {
    year_cursor cursors[YEAR_TABLES];
    int summary; /* VIPA_COMPARISON_SUMMARY: no change listed */
} year_walk;

/* A year's changes, table by table; @p state the walk. With VIPA_COMPARISON_SUMMARY the
 * lists stay empty. */
static void write_year_changes(vipa__json *w, const vipa_comparison *c, int year, size_t ya,
                               size_t yb, void *state)
{
    year_walk *walk = state;
    (void)ya;
    (void)yb;
    vipa__json_item(w);
    vipa__json_open(w, '{');
    vipa__json_member_int(w, "year", year);
    for (size_t k = 0; k < YEAR_TABLES; k++) {
        year_cursor *cu = &walk->cursors[k];
        vipa__json_key(w, cu->key);
        vipa__json_open(w, '[');
        vipa_change ch = VIPA_CHANGE_INIT;
        while (!walk->summary && w->rc == VIPA_OK &&
               vipa_comparison_change(&ch, c, cu->table, cu->next) == VIPA_OK && ch.year == year) {
            write_change(w, c, cu->table, &ch);
            cu->next++;
        }
        vipa__json_close(w, ']');
    }
    vipa__json_close(w, '}');
}

static void write_changes(vipa__json *w, const vipa_comparison *c, int summary)
{
    vipa__json_key(w, "changes");
    vipa__json_open(w, '{');
    for (vipa_table t = VIPA_TABLE_SIGNERS; t <= VIPA_TABLE_DISCLOSURE; t++)
        write_table_changes(w, c, t, summary);
    year_walk walk;
    memcpy(walk.cursors, year_cursors, sizeof walk.cursors);
    walk.summary = summary;
    vipa__json_key(w, "years");
    vipa__json_open(w, '[');
    each_year(w, c, write_year_changes, &walk);
    vipa__json_close(w, ']');
    write_table_changes(w, c, VIPA_TABLE_FINDINGS, summary);
    vipa__json_close(w, '}');
}

/* ---- the whole comparison ---------------------------------------------------------------------- */

static void write_side(vipa__json *w, const char *key, const vipa_result *r)
{
    vipa__json_key(w, key);
    vipa__json_open(w, '{');
    vipa__report_stamp(w, r);
    vipa__json_close(w, '}');
}

static void write_comparison(vipa__json *w, const vipa_comparison *c, unsigned int flags)
{
    vipa__json_open(w, '{');
    vipa__json_member_int(w, "vipa", 1);
    write_side(w, "baseline", vipa_comparison_result(c, 0));
    write_side(w, "reform", vipa_comparison_result(c, 1));
    write_params(w, &vipa__comparison_context(c, 0)->profile,
                 &vipa__comparison_context(c, 1)->profile);
    write_totals(w, c);
    write_changes(w, c, (flags & VIPA_COMPARISON_SUMMARY) != 0);
    vipa__json_close(w, '}');
    vipa__json_raw(w, "\n", 1);
}

/* The flags the comparison's writers know. */
#define COMPARISON_FLAGS (VIPA_REPORT_PRETTY | VIPA_COMPARISON_SUMMARY)

int vipa_comparison_json(char **json, size_t *length, const vipa_comparison *c,
                         unsigned int flags)
{
    if (length)
        *length = 0;
    if (!json)
        return VIPA_E_INVALID;
    *json = NULL;
    if (!c || (flags & ~COMPARISON_FLAGS))
        return VIPA_E_INVALID;
    vipa__json w;
    vipa__json_to_buffer(&w, vipa__comparison_allocator(c), vipa__report_options(flags), 0, NULL);
    write_comparison(&w, c, flags);
    return vipa__json_end(&w, json, length);
}

int vipa_comparison_change_json(char **json, size_t *length, const vipa_comparison *c,
                                vipa_table table, size_t i, unsigned int flags)
{
    if (length)
        *length = 0;
    if (!json)
        return VIPA_E_INVALID;
    *json = NULL;
    vipa_change ch = VIPA_CHANGE_INIT;
    if (!c || flags != 0) /* no flag yet: one line, compact */
        return VIPA_E_INVALID;
    int rc = vipa_comparison_change(&ch, c, table, i);
    if (rc != VIPA_OK)
        return rc;
    vipa__json w;
    vipa__json_to_buffer(&w, vipa__comparison_allocator(c), vipa__report_options(flags), 0, NULL);
    write_change(&w, c, table, &ch); /* as the first element of a list not written */
    return vipa__json_end(&w, json, length);
}

int vipa_comparison_write(const vipa_comparison *c, unsigned int flags, vipa_write_fn write,
                          void *opaque)
{
    if (!c || !write || (flags & ~COMPARISON_FLAGS))
        return VIPA_E_INVALID;
    vipa__json w;
    vipa__json_to_sink(&w, vipa__comparison_allocator(c), vipa__report_options(flags),
                       VIPA__JSON_SINK_BYTES, write, opaque);
    write_comparison(&w, c, flags);
    return vipa__json_end(&w, NULL, NULL);
}
