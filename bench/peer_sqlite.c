/*
 * The SQL peer: what a platform team would write over its own tables. The province is
 * loaded into an in-memory SQLite (tables shaped like a platform's, with the indexes it
 * would have on its keys), then the year is computed in SQL: dues and payments per
 * linkage, the equity split with window functions (largest remainder, ties to the lower
 * id), dividends due, incomes, the exit standard, and per agreement the failed checks at
 * the evaluation's and the re-check's cut-off. The rows come back through the C API and
 * are reduced to the same answers as every other implementation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "peers.h"

static int fail(sqlite3 *db, const char *what)
{
    fprintf(stderr, "vipa-bench: sqlite: %s: %s\n", what, db ? sqlite3_errmsg(db) : "no database");
    return -1;
}

/* Runs every statement of sql; with VIPA_BENCH_VERBOSE set, prints each one's time. */
static int exec_timed(sqlite3 *db, const char *sql)
{
    int verbose = getenv("VIPA_BENCH_VERBOSE") != NULL;
    while (sql && *sql) {
        sqlite3_stmt *st = NULL;
        const char *tail = NULL;
        double t = bench_now();
        if (sqlite3_prepare_v2(db, sql, -1, &st, &tail) != SQLITE_OK)
            return fail(db, sql);
        int rc = SQLITE_DONE;
        while (st && (rc = sqlite3_step(st)) == SQLITE_ROW)
            ;
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            return fail(db, sql);
        if (verbose && st)
            fprintf(stderr, "sqlite %8.3f s  %.70s\n", bench_now() - t, sql);
        sql = tail;
    }
    return 0;
}

static int exec(sqlite3 *db, const char *sql)
{
    char *message = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &message) != SQLITE_OK) {
        fprintf(stderr, "vipa-bench: sqlite: %s\nin: %.300s\n", message ? message : "?", sql);
        sqlite3_free(message);
        return -1;
    }
    return 0;
}

static const char schema[] =
    "CREATE TABLE households (id INTEGER PRIMARY KEY, village INTEGER, members INTEGER);"
    "CREATE TABLE agreements (id INTEGER PRIMARY KEY, entity INTEGER, signed INTEGER,"
    "  start INTEGER, end INTEGER, exit_deadline INTEGER);"
    "CREATE TABLE agreement_households (agreement INTEGER, household INTEGER,"
    "  PRIMARY KEY (agreement, household)) WITHOUT ROWID;"
    "CREATE TABLE plans (household INTEGER, agreement INTEGER, exit_target INTEGER,"
    "  PRIMARY KEY (household, agreement)) WITHOUT ROWID;"
    "CREATE TABLE plan_tasks (household INTEGER, agreement INTEGER, year INTEGER,"
    "  income INTEGER, PRIMARY KEY (household, agreement, year)) WITHOUT ROWID;"
    "CREATE TABLE assured (household INTEGER, year INTEGER, items INTEGER,"
    "  PRIMARY KEY (household, year)) WITHOUT ROWID;"
    "CREATE TABLE incomes (household INTEGER, year INTEGER, other INTEGER,"
    "  PRIMARY KEY (household, year)) WITHOUT ROWID;"
    "CREATE TABLE injections (id INTEGER PRIMARY KEY, entity INTEGER, agreement INTEGER,"
    "  date INTEGER, amount INTEGER, per_member INTEGER);"
    "CREATE TABLE dividends (entity INTEGER, year INTEGER, rate_bp INTEGER, pool INTEGER,"
    "  PRIMARY KEY (entity, year)) WITHOUT ROWID;"
    "CREATE TABLE linkages (id INTEGER PRIMARY KEY, kind INTEGER, household INTEGER,"
    "  agreement INTEGER, from_year INTEGER, to_year INTEGER, annual INTEGER, days INTEGER,"
    "  daily_wage INTEGER, area_cmu INTEGER, rent_per_mu INTEGER);"
    "CREATE TABLE payments (linkage INTEGER, entity INTEGER, household INTEGER,"
    "  year INTEGER, amount INTEGER, date INTEGER);";

/* Indexes on the foreign keys, built after the rows are in (as a bulk load would). */
static const char indexes[] =
    "CREATE INDEX linkages_household ON linkages (household);"
    "CREATE INDEX linkages_agreement ON linkages (agreement);"
    "CREATE INDEX agreement_households_household ON agreement_households (household);"
    "CREATE INDEX payments_linkage ON payments (linkage);"
    "CREATE INDEX payments_household ON payments (entity, household);";

static int insert(sqlite3_stmt *st, const int64_t *v, const unsigned char *null, int n)
{
    for (int i = 0; i < n; i++) {
        if (null && null[i])
            sqlite3_bind_null(st, i + 1);
        else
            sqlite3_bind_int64(st, i + 1, v[i]);
    }
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

typedef struct key_index {
    uint64_t key;
    uint32_t index;
} key_index;

static int by_key(const void *a, const void *b)
{
    const key_index *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* Indexes 0..n-1 ordered by keys[i]: rows go in in key order, as a bulk load would put
 * them (a B-tree filled in key order is filled fastest). */
static uint32_t *key_order(const uint64_t *keys, uint64_t n)
{
    key_index *pairs = malloc((n + 1) * sizeof *pairs);
    uint32_t *order = malloc((n + 1) * sizeof *order);
    if (!pairs || !order) {
        free(pairs);
        free(order);
        return NULL;
    }
    for (uint64_t i = 0; i < n; i++)
        pairs[i] = (key_index){keys[i], (uint32_t)i};
    qsort(pairs, n, sizeof *pairs, by_key);
    for (uint64_t i = 0; i < n; i++)
        order[i] = pairs[i].index;
    free(pairs);
    return order;
}

static int load(sqlite3 *db, const flat *f)
{
    int verbose = getenv("VIPA_BENCH_VERBOSE") != NULL;
    double t = bench_now();
    if (exec(db, schema) || exec(db, "BEGIN"))
        return -1;
    static const char *const sql[] = {
        "INSERT INTO households VALUES (?1, ?2, ?3)",
        "INSERT INTO agreements VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        "INSERT INTO agreement_households VALUES (?1, ?2)",
        "INSERT INTO plans VALUES (?1, ?2, ?3)",
        "INSERT INTO plan_tasks VALUES (?1, ?2, ?3, ?4)",
        "INSERT INTO assured VALUES (?1, ?2, ?3)",
        "INSERT INTO incomes VALUES (?1, ?2, ?3)",
        "INSERT INTO injections VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        "INSERT INTO dividends VALUES (?1, ?2, ?3, ?4)",
        "INSERT INTO linkages VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        "INSERT INTO payments VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    };
    enum { HH, AG, AH, PL, PT, AS, IN, INJ, DIV, LK, PAY, N };
    sqlite3_stmt *st[N] = {0};
    uint32_t *h_order = key_order(f->h_id, f->nh), *l_order = key_order(f->l_id, f->nl);
    uint32_t *h_agreement = malloc((f->nh + 1) * sizeof *h_agreement);
    int rc = h_order && l_order && h_agreement ? 0 : -1;
    for (int i = 0; i < N && !rc; i++)
        if (sqlite3_prepare_v2(db, sql[i], -1, &st[i], NULL) != SQLITE_OK)
            rc = fail(db, sql[i]);
    for (uint64_t a = 0; a < f->na && !rc; a++) {
        int64_t id = (int64_t)f->a_id[a];
        rc |= insert(st[AG], (int64_t[]){id, id, 20161115, 20161101, 20191231, f->a_deadline[a]},
                     NULL, 6);
        rc |= insert(st[INJ], (int64_t[]){id, id, id, 20161201, f->a_amount[a], f->a_per_member[a]},
                     NULL, 6);
        rc |= insert(st[DIV], (int64_t[]){id, GEN_YEAR, f->a_rate[a], f->a_pool[a]},
                     (unsigned char[]){0, 0, f->a_rate[a] < 0, f->a_rate[a] >= 0}, 4);
        for (uint64_t h = f->a_first[a]; h < f->a_first[a + 1]; h++)
            h_agreement[h] = (uint32_t)a;
    }
    /* agreement households in (agreement, household) order: h_order filtered per agreement
     * would be quadratic, so each agreement's ~100 households are sorted on their own */
    for (uint64_t a = 0; a < f->na && !rc; a++) {
        uint64_t h0 = f->a_first[a], n = f->a_first[a + 1] - h0;
        uint32_t *order = key_order(f->h_id + h0, n);
        if (!order) {
            rc = -1;
            break;
        }
        for (uint64_t k = 0; k < n && !rc; k++)
            rc |= insert(st[AH], (int64_t[]){(int64_t)f->a_id[a], (int64_t)f->h_id[h0 + order[k]]},
                         NULL, 2);
        free(order);
    }
    for (uint64_t k = 0; k < f->nh && !rc; k++) {
        uint32_t h = h_order[k];
        int64_t hid = (int64_t)f->h_id[h], aid = (int64_t)f->a_id[h_agreement[h]];
        rc |= insert(st[HH], (int64_t[]){hid, (int64_t)f->h_village[h], f->h_members[h]}, NULL, 3);
        rc |= insert(st[PL], (int64_t[]){hid, aid, f->h_target[h]}, NULL, 3);
        rc |= insert(st[PT], (int64_t[]){hid, aid, GEN_YEAR, f->h_task[h]},
                     (unsigned char[]){0, 0, 0, f->h_task[h] == VIPA_FEN_UNSET}, 4);
        rc |= insert(st[AS], (int64_t[]){hid, GEN_YEAR, f->h_assured[h]}, NULL, 3);
        rc |= insert(st[IN], (int64_t[]){hid, GEN_YEAR, f->h_other[h]}, NULL, 3);
    }
    for (uint64_t k = 0; k < f->nl && !rc; k++) {
        uint32_t l = l_order[k], h = f->l_household[l];
        int land = f->l_kind[l] == VIPA_LINKAGE_LAND_RENT, days = !land && f->l_units[l];
        int annual = !land && !days;
        rc |= insert(st[LK], (int64_t[]){(int64_t)f->l_id[l], f->l_kind[l], (int64_t)f->h_id[h],
                                         (int64_t)f->a_id[h_agreement[h]], GEN_YEAR, GEN_YEAR,
                                         f->l_amount[l], f->l_units[l], f->l_amount[l],
                                         f->l_units[l], f->l_amount[l]},
                     (unsigned char[]){0, 0, 0, 0, 0, 0, !annual, !days, !days, !land, !land}, 11);
    }
    for (uint64_t p = 0; p < f->np && !rc; p++) {
        if (f->p_dividend[p]) {
            uint32_t h = f->p_target[p];
            rc |= insert(st[PAY], (int64_t[]){0, (int64_t)f->a_id[h_agreement[h]],
                                              (int64_t)f->h_id[h], GEN_YEAR, f->p_amount[p],
                                              f->p_date[p]},
                         (unsigned char[]){1, 0, 0, 0, 0, 0}, 6);
        } else {
            rc |= insert(st[PAY], (int64_t[]){(int64_t)f->l_id[f->p_target[p]], 0, 0, GEN_YEAR,
                                              f->p_amount[p], f->p_date[p]},
                         (unsigned char[]){0, 1, 1, 0, 0, 0}, 6);
        }
    }
    for (int i = 0; i < N; i++)
        sqlite3_finalize(st[i]);
    free(h_order);
    free(l_order);
    free(h_agreement);
    if (rc)
        return fail(db, "inserting the province");
    if (verbose)
        fprintf(stderr, "sqlite %8.3f s  inserts\n", bench_now() - t);
    if (exec_timed(db, indexes) || exec(db, "COMMIT") || exec_timed(db, "ANALYZE"))
        return -1;
    return 0;
}

/* The computation, one statement each: :year the year, :line the line per person, :cut1
 * and :cut2 the evaluation's and the re-check's cut-offs. */
static const char *const compute_sql[] = {
    /* dues and payments of every linkage due in the year */
    "CREATE TEMP TABLE lk (id INTEGER PRIMARY KEY, household INTEGER, agreement INTEGER,"
    "  due INTEGER, paid INTEGER, paid1 INTEGER, paid2 INTEGER)",
    "INSERT INTO lk SELECT l.id, l.household, l.agreement,"
    "  CASE WHEN l.kind = 2 THEN (l.area_cmu * l.rent_per_mu + 50) / 100"
    "       WHEN l.days IS NOT NULL THEN l.days * l.daily_wage ELSE l.annual END,"
    "  COALESCE(SUM(p.amount), 0),"
    "  COALESCE(SUM(CASE WHEN p.date <= :cut1 THEN p.amount END), 0),"
    "  COALESCE(SUM(CASE WHEN p.date <= :cut2 THEN p.amount END), 0)"
    "  FROM linkages l LEFT JOIN payments p ON p.linkage = l.id AND p.year = :year"
    "  WHERE l.from_year <= :year AND :year <= l.to_year GROUP BY l.id",
    "CREATE INDEX lk_household ON lk (household)",
    /* the poor share of each injection split over its agreement's households: floor
     * shares, then a fen more for the largest remainders, ties to the lower id */
    "CREATE TEMP TABLE w (injection INTEGER, entity INTEGER, household INTEGER, poor INTEGER,"
    "  weight INTEGER)",
    "INSERT INTO w SELECT i.id, i.entity, ah.household, i.amount * 7000 / 10000,"
    "  CASE WHEN i.per_member THEN h.members ELSE 1 END"
    "  FROM injections i JOIN agreement_households ah ON ah.agreement = i.agreement"
    "  JOIN households h ON h.id = ah.household WHERE i.date <= :year * 10000 + 1231",
    "CREATE TEMP TABLE w_total (injection INTEGER PRIMARY KEY, total INTEGER, poor INTEGER)",
    "INSERT INTO w_total SELECT injection, SUM(weight), MAX(poor) FROM w GROUP BY injection",
    "CREATE TEMP TABLE w_floor (injection INTEGER, entity INTEGER, household INTEGER,"
    "  fl INTEGER, rem INTEGER)",
    "INSERT INTO w_floor SELECT w.injection, w.entity, w.household,"
    "  w.poor * w.weight / t.total, w.poor * w.weight % t.total"
    "  FROM w JOIN w_total t ON t.injection = w.injection",
    "CREATE TEMP TABLE w_left (injection INTEGER PRIMARY KEY, leftover INTEGER)",
    "INSERT INTO w_left SELECT f.injection, MAX(t.poor) - SUM(f.fl) FROM w_floor f"
    "  JOIN w_total t ON t.injection = f.injection GROUP BY f.injection",
    "CREATE TEMP TABLE shares (entity INTEGER, household INTEGER, part INTEGER)",
    "INSERT INTO shares SELECT r.entity, r.household, r.fl + (r.rk <= l.leftover)"
    "  FROM (SELECT f.*, ROW_NUMBER() OVER (PARTITION BY f.injection"
    "      ORDER BY f.rem DESC, f.household) AS rk FROM w_floor f) r"
    "  JOIN w_left l ON l.injection = r.injection",
    /* holders at the end of the year: households, then the village collective (the rest) */
    "CREATE TEMP TABLE holders (entity INTEGER, kind INTEGER, holder INTEGER, shares INTEGER)",
    "INSERT INTO holders"
    "  SELECT entity, 1, household, SUM(part) FROM shares GROUP BY entity, household"
    "    HAVING SUM(part) > 0"
    "  UNION ALL SELECT entity, 2, 0, SUM(amount - amount * 7000 / 10000) FROM injections"
    "    WHERE date <= :year * 10000 + 1231 GROUP BY entity"
    "    HAVING SUM(amount - amount * 7000 / 10000) > 0",
    "CREATE TEMP TABLE h_total (entity INTEGER PRIMARY KEY, total INTEGER)",
    "INSERT INTO h_total SELECT entity, SUM(shares) FROM holders GROUP BY entity",
    /* dividends due: a rate half away from zero, or the pool split by shares */
    "CREATE TEMP TABLE d_floor (entity INTEGER, kind INTEGER, holder INTEGER, shares INTEGER,"
    "  rate_bp INTEGER, fl INTEGER, rem INTEGER)",
    "INSERT INTO d_floor SELECT h.entity, h.kind, h.holder, h.shares, d.rate_bp,"
    "  d.pool * h.shares / t.total, d.pool * h.shares % t.total"
    "  FROM holders h JOIN dividends d ON d.entity = h.entity AND d.year = :year"
    "  JOIN h_total t ON t.entity = h.entity",
    "CREATE TEMP TABLE d_left (entity INTEGER PRIMARY KEY, leftover INTEGER)",
    "INSERT INTO d_left SELECT f.entity, d.pool - SUM(f.fl) FROM d_floor f"
    "  JOIN dividends d ON d.entity = f.entity AND d.year = :year"
    "  WHERE d.rate_bp IS NULL GROUP BY f.entity",
    "CREATE TEMP TABLE div_due (entity INTEGER, household INTEGER, due INTEGER,"
    "  PRIMARY KEY (entity, household)) WITHOUT ROWID",
    "INSERT INTO div_due SELECT r.entity, r.holder,"
    "  CASE WHEN r.rate_bp IS NOT NULL THEN (r.shares * r.rate_bp + 5000) / 10000"
    "       ELSE r.fl + (r.rk <= l.leftover) END"
    "  FROM (SELECT f.*, ROW_NUMBER() OVER (PARTITION BY f.entity"
    "      ORDER BY f.rem DESC, f.kind, f.holder) AS rk FROM d_floor f) r"
    "  LEFT JOIN d_left l ON l.entity = r.entity WHERE r.kind = 1",
    /* dividends paid */
    "CREATE TEMP TABLE div_paid (entity INTEGER, household INTEGER, paid INTEGER,"
    "  paid1 INTEGER, paid2 INTEGER, PRIMARY KEY (entity, household)) WITHOUT ROWID",
    "INSERT INTO div_paid SELECT entity, household, SUM(amount),"
    "  SUM(CASE WHEN date <= :cut1 THEN amount ELSE 0 END),"
    "  SUM(CASE WHEN date <= :cut2 THEN amount ELSE 0 END)"
    "  FROM payments WHERE linkage IS NULL AND year = :year GROUP BY entity, household",
    /* household figures: income (all payments and other income), as of each cut-off */
    "CREATE TEMP TABLE hh (id INTEGER PRIMARY KEY, line INTEGER, held INTEGER, income INTEGER,"
    "  income1 INTEGER, income2 INTEGER)",
    "INSERT INTO hh SELECT h.id, h.members * :line, COALESCE(a.items, 0) = 31,"
    "  COALESCE(i.other, 0) + COALESCE(lp.paid, 0) + COALESCE(dp.paid, 0),"
    "  COALESCE(i.other, 0) + COALESCE(lp.paid1, 0) + COALESCE(dp.paid1, 0),"
    "  COALESCE(i.other, 0) + COALESCE(lp.paid2, 0) + COALESCE(dp.paid2, 0)"
    "  FROM households h"
    "  LEFT JOIN assured a ON a.household = h.id AND a.year = :year"
    "  LEFT JOIN incomes i ON i.household = h.id AND i.year = :year"
    "  LEFT JOIN (SELECT household, SUM(paid) AS paid, SUM(paid1) AS paid1, SUM(paid2) AS paid2"
    "    FROM lk GROUP BY household) lp ON lp.household = h.id"
    "  LEFT JOIN (SELECT household, SUM(paid) AS paid, SUM(paid1) AS paid1, SUM(paid2) AS paid2"
    "    FROM div_paid GROUP BY household) dp ON dp.household = h.id",
    NULL,
};

/* Per agreement in force: failed checks at the evaluation (…1) and the re-check (…2):
 * obligations, dividends, exit by the deadline (the earlier of the agreement's and the
 * plan's target, a 0 or missing one ignored) and the plan's income target of the year. */
#define DEADLINE                                                                          \
    "(CASE WHEN COALESCE(pl.exit_target, 0) > 0 AND (COALESCE(ag.exit_deadline, 0) = 0"   \
    "  OR pl.exit_target < ag.exit_deadline) THEN pl.exit_target"                         \
    "  ELSE COALESCE(ag.exit_deadline, 0) END)"
static const char agreements_sql[] =
    "SELECT ag.id, MAX(COALESCE(lf.f1, 0)), MAX(COALESCE(lf.f2, 0)),"
    "  SUM(COALESCE(dp.paid1, 0) < COALESCE(dd.due, 0)),"
    "  SUM(COALESCE(dp.paid2, 0) < COALESCE(dd.due, 0)),"
    "  SUM(" DEADLINE " BETWEEN 1 AND :year AND NOT (hh.held AND hh.income1 >= hh.line)),"
    "  SUM(" DEADLINE " BETWEEN 1 AND :year AND NOT (hh.held AND hh.income2 >= hh.line)),"
    "  SUM(pt.income IS NOT NULL AND hh.income1 < pt.income),"
    "  SUM(pt.income IS NOT NULL AND hh.income2 < pt.income)"
    "  FROM agreements ag"
    "  JOIN agreement_households ah ON ah.agreement = ag.id"
    "  JOIN hh ON hh.id = ah.household"
    "  LEFT JOIN plans pl ON pl.household = ah.household AND pl.agreement = ag.id"
    "  LEFT JOIN plan_tasks pt ON pt.household = ah.household AND pt.agreement = ag.id"
    "    AND pt.year = :year"
    "  LEFT JOIN div_due dd ON dd.entity = ag.entity AND dd.household = ah.household"
    "  LEFT JOIN div_paid dp ON dp.entity = ag.entity AND dp.household = ah.household"
    "  LEFT JOIN (SELECT agreement, SUM(paid1 < due) AS f1, SUM(paid2 < due) AS f2"
    "    FROM lk GROUP BY agreement) lf ON lf.agreement = ag.id"
    "  WHERE ag.signed IS NOT NULL AND ag.start / 10000 <= :year AND :year <= ag.end / 10000"
    "  GROUP BY ag.id";

/* The statement with :year, :line, :cut1 and :cut2 replaced by their values (constants in
 * the text, as a platform's report query would have them). */
static char *format_sql(const char *sql, const flat *f)
{
    static const char *const names[] = {":year", ":line", ":cut1", ":cut2"};
    char values[4][24];
    snprintf(values[0], sizeof values[0], "%d", GEN_YEAR);
    snprintf(values[1], sizeof values[1], "%lld", (long long)f->line);
    snprintf(values[2], sizeof values[2], "%d", GEN_EVALUATION);
    snprintf(values[3], sizeof values[3], "%d", GEN_RECHECK);
    size_t size = 2 * strlen(sql) + 64, used = 0;
    char *out = malloc(size);
    if (!out)
        return NULL;
    while (*sql) {
        int hit = -1;
        for (int i = 0; i < 4 && hit < 0; i++)
            if (strncmp(sql, names[i], strlen(names[i])) == 0)
                hit = i;
        if (hit >= 0) {
            used += (size_t)snprintf(out + used, size - used, "%s", values[hit]);
            sql += strlen(names[hit]);
        } else {
            out[used++] = *sql++;
        }
    }
    out[used] = '\0';
    return out;
}

static int compute(sqlite3 *db, const flat *f, answers *out)
{
    int rc = 0;
    for (size_t i = 0; compute_sql[i] && !rc; i++) {
        char *sql = format_sql(compute_sql[i], f);
        if (!sql)
            return fail(db, "formatting the SQL");
        rc = exec_timed(db, sql);
        free(sql);
    }
    if (rc)
        return -1;
    answers r;
    memset(&r, 0, sizeof r);
    sqlite3_stmt *st;
    /* the household rows */
    if (sqlite3_prepare_v2(db, "SELECT id, income, line, held AND income >= line FROM hh", -1,
                           &st, NULL) != SQLITE_OK)
        return fail(db, "selecting households");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t id = (uint64_t)sqlite3_column_int64(st, 0);
        int64_t income = sqlite3_column_int64(st, 1), line = sqlite3_column_int64(st, 2);
        int meets = sqlite3_column_int(st, 3);
        r.households++;
        r.income_sum += income;
        r.line_sum += line;
        r.meets += (uint64_t)meets;
        r.household_digest += household_digest(id, income, line, meets);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(db, "reading households");
    /* totals */
    if (sqlite3_prepare_v2(db, "SELECT (SELECT COALESCE(SUM(due), 0) FROM lk),"
                           " (SELECT COALESCE(SUM(due), 0) FROM div_due),"
                           " (SELECT COALESCE(SUM(paid), 0) FROM div_paid)", -1, &st,
                           NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return fail(db, "summing dues");
    }
    r.linkage_due_sum = sqlite3_column_int64(st, 0);
    r.dividend_due_sum = sqlite3_column_int64(st, 1);
    r.dividend_paid_sum = sqlite3_column_int64(st, 2);
    sqlite3_finalize(st);
    /* the agreements */
    double t = bench_now();
    char *sql = format_sql(agreements_sql, f);
    rc = sql ? sqlite3_prepare_v2(db, sql, -1, &st, NULL) : SQLITE_NOMEM;
    free(sql);
    if (rc != SQLITE_OK)
        return fail(db, "selecting agreements");
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t first[CHECK_KINDS], second[CHECK_KINDS];
        for (int k = 0; k < CHECK_KINDS; k++) {
            first[k] = (uint64_t)sqlite3_column_int64(st, 1 + 2 * k);
            second[k] = (uint64_t)sqlite3_column_int64(st, 2 + 2 * k);
        }
        answers_agreement(&r, (uint64_t)sqlite3_column_int64(st, 0), first, second);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(db, "reading agreements");
    if (getenv("VIPA_BENCH_VERBOSE"))
        fprintf(stderr, "sqlite %8.3f s  the agreements' failed checks\n", bench_now() - t);
    *out = r;
    return 0;
}

int sqlite_peer(const flat *f, answers *out, double *load_s, double *compute_s,
                double *compute_cpu_s, int64_t *mem_bytes)
{
    sqlite3 *db = NULL;
    if (sqlite3_open(":memory:", &db) != SQLITE_OK) {
        sqlite3_close(db);
        return fail(NULL, "opening :memory:");
    }
    int rc = exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                      "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -16000000;");
    double t0 = bench_now();
    if (!rc)
        rc = load(db, f);
    double t1 = bench_now(), c1 = bench_cpu_now();
    if (!rc)
        rc = compute(db, f, out);
    double t2 = bench_now();
    *load_s = t1 - t0;
    *compute_s = t2 - t1;
    *compute_cpu_s = bench_cpu_now() - c1;
    *mem_bytes = sqlite3_memory_highwater(0);
    sqlite3_close(db);
    return rc;
}
