/* `vipa run FILE -o results.db` (--format sqlite): the report's tables written into a new
 * SQLite database of the schema of docs/results.sql (`vipa schema --results`), so a
 * platform or an analyst can query a run with SQL.
 *
 * The tables are those of the report JSON (docs/scenario.md, "The report"), with its
 * keys as columns and its lists in child tables, money in fen: not the spreadsheet tables
 * of tables.c, which join lists into one cell, write yes/no as words and add the
 * scenario's names for a reader, where SQL wants one value a cell and joins names from
 * the input itself. The DDL is the one description of these tables; each INSERT here
 * names its table's column count, so a column added to the DDL and not here fails at
 * once (the test cli-database reads every row back against the JSON).
 *
 * Rows go in one transaction, one at a time from the result's row accessors: memory
 * does not grow with the report. The file is made through cli_write_output_file(): a
 * temporary file beside the output, renamed over it once the transaction is committed. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "cli.h"

typedef struct out {
    sqlite3 *db;
    const char *name; /* the output as given, for messages */
    sqlite3_stmt *st; /* the INSERT of the table being written */
    const char *table;
    int failed;
} out;

static int fail(out *o, const char *what)
{
    /* Whatever SQLite refuses here (a full disk, no memory) is the writing's: the rows
     * come from a result already made. */
    if (!o->failed) {
        cli_errorf("vipa: cannot write %s: %s%s%s\n", o->name, what != NULL ? what : "",
                   what != NULL ? ": " : "", sqlite3_errmsg(o->db));
        o->failed = CLI_EXIT_INTERNAL;
    }
    return o->failed;
}

/* Prepares "INSERT INTO table VALUES (?1, ..., ?n)". */
static int begin_table(out *o, const char *table, int ncols)
{
    char sql[512];
    int len = snprintf(sql, sizeof sql, "INSERT INTO %s VALUES (", table);
    for (int i = 1; i <= ncols; i++)
        len += snprintf(sql + len, sizeof sql - (size_t)len, "%s?%d", i > 1 ? ", " : "", i);
    snprintf(sql + len, sizeof sql - (size_t)len, ")");
    o->table = table;
    if (sqlite3_prepare_v2(o->db, sql, -1, &o->st, NULL) != SQLITE_OK)
        return fail(o, table);
    return 0;
}

static void end_table(out *o)
{
    sqlite3_finalize(o->st);
    o->st = NULL;
}

/* Inserts the row bound so far. */
static int row(out *o)
{
    int st = sqlite3_step(o->st);
    sqlite3_reset(o->st);
    sqlite3_clear_bindings(o->st);
    return st == SQLITE_DONE ? 0 : fail(o, o->table);
}

static void bind_int(out *o, int col, int64_t v)
{
    sqlite3_bind_int64(o->st, col, v);
}

/* NULL for the report's null (a text the result does not have). */
static void bind_text(out *o, int col, const char *text)
{
    if (text == NULL)
        sqlite3_bind_null(o->st, col);
    else
        sqlite3_bind_text(o->st, col, text, -1, SQLITE_TRANSIENT);
}

/* A date, NULL for none (0). */
static void bind_date(out *o, int col, vipa_date d)
{
    char buf[16];
    bind_text(o, col, d != 0 && vipa_date_format(buf, sizeof buf, d) == VIPA_OK ? buf : NULL);
}

/* An area code as 12 digits, NULL for none (0). */
static void bind_code(out *o, int col, vipa_area_code c)
{
    char buf[VIPA_AREA_CODE_SIZE];
    bind_text(o, col,
              c != 0 && vipa_area_code_format(buf, sizeof buf, c) == VIPA_OK ? buf : NULL);
}

/* A year of the report, NULL for none (0). */
static void bind_year(out *o, int col, int year)
{
    if (year > 0)
        bind_int(o, col, year);
    else
        sqlite3_bind_null(o->st, col);
}

static int is_area(vipa_subject_kind kind)
{
    return kind == VIPA_SUBJECT_VILLAGE || kind == VIPA_SUBJECT_TOWN;
}

/* A subject as three columns from @p col: its kind's word, an id, a code. */
static void bind_subject(out *o, int col, vipa_subject_kind kind, uint64_t id)
{
    if (kind == VIPA_SUBJECT_NONE)
        return; /* all three NULL, as bound by default */
    bind_text(o, col, vipa_subject_kind_name(kind));
    if (is_area(kind))
        bind_code(o, col + 2, id);
    else
        bind_int(o, col + 1, (int64_t)id);
}

/* ---- the tables of the whole run ------------------------------------------------------- */

static int write_run(out *o, const vipa_result *r)
{
    static const char *const fields[] = {"library", "profile", "profile_sha256", "input_sha256"};
    if (begin_table(o, "run", 5) != 0)
        return o->failed;
    bind_int(o, 1, 1);
    for (int i = 0; i < 4; i++)
        bind_text(o, 2 + i, vipa_result_stamp(r, fields[i]));
    int rc = row(o);
    end_table(o);
    return rc;
}

static int write_signers(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "signers", 3);
    for (size_t i = 0; rc == 0 && i < vipa_result_signer_count(r); i++) {
        vipa_signer_row s;
        if (vipa_result_signer_row(&s, sizeof s, r, i) != VIPA_OK)
            continue;
        bind_int(o, 1, (int64_t)s.agreement);
        bind_text(o, 2, vipa_signer_level_name(s.level));
        bind_code(o, 3, s.area);
        rc = row(o);
    }
    end_table(o);
    return rc;
}

static int write_allocations(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "allocations", 6);
    for (size_t i = 0; rc == 0 && i < vipa_result_allocation_count(r); i++) {
        vipa_allocation_row a;
        if (vipa_result_allocation_row(&a, sizeof a, r, i) != VIPA_OK)
            continue;
        bind_int(o, 1, (int64_t)a.injection);
        bind_text(o, 2, vipa_holder_kind_name(a.holder_kind));
        if (a.holder_kind == VIPA_HOLDER_COLLECTIVE)
            bind_code(o, 4, a.holder);
        else
            bind_int(o, a.holder_kind == VIPA_HOLDER_HOUSEHOLD ? 3 : 5, (int64_t)a.holder);
        bind_int(o, 6, a.amount);
        rc = row(o);
    }
    end_table(o);
    return rc;
}

static int write_households(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "households", 2);
    for (size_t i = 0; rc == 0 && i < vipa_result_household_count(r); i++) {
        vipa_household_row h;
        if (vipa_result_household_row(&h, sizeof h, r, i) != VIPA_OK)
            continue;
        bind_int(o, 1, (int64_t)h.household);
        bind_year(o, 2, h.exit_year);
        rc = row(o);
    }
    end_table(o);
    return rc;
}

static int write_entities(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "entities", 3);
    for (size_t i = 0; rc == 0 && i < vipa_result_entity_count(r); i++) {
        vipa_entity_row e;
        if (vipa_result_entity_row(&e, sizeof e, r, i) != VIPA_OK)
            continue;
        bind_int(o, 1, (int64_t)e.entity);
        bind_text(o, 2, vipa_entity_status_name(e.status));
        bind_date(o, 3, e.disqualified_on);
        rc = row(o);
    }
    end_table(o);
    if (rc == 0)
        rc = begin_table(o, "entity_favoured", 2);
    for (size_t i = 0; rc == 0 && i < vipa_result_entity_count(r); i++) {
        vipa_entity_row e;
        if (vipa_result_entity_row(&e, sizeof e, r, i) != VIPA_OK)
            continue;
        for (size_t k = 0; rc == 0 && k < e.favoured_count; k++) {
            int year = 0;
            if (vipa_result_entity_favoured(&year, r, i, k) != VIPA_OK)
                continue;
            bind_int(o, 1, (int64_t)e.entity);
            bind_int(o, 2, year);
            rc = row(o);
        }
    }
    end_table(o);
    return rc;
}

static int write_disclosure(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "disclosure", 3);
    for (size_t i = 0; rc == 0 && i < vipa_result_disclosure_count(r); i++) {
        vipa_disclosure_row d;
        if (vipa_result_disclosure_row(&d, sizeof d, r, i) != VIPA_OK)
            continue;
        bind_int(o, 1, (int64_t)d.entity);
        bind_int(o, 2, d.equity);
        bind_int(o, 3, (int64_t)d.households);
        rc = row(o);
    }
    end_table(o);
    if (rc == 0)
        rc = begin_table(o, "disclosure_support", 3);
    for (size_t i = 0; rc == 0 && i < vipa_result_disclosure_count(r); i++) {
        vipa_disclosure_row d;
        if (vipa_result_disclosure_row(&d, sizeof d, r, i) != VIPA_OK)
            continue;
        for (size_t k = 0; rc == 0 && k < vipa_result_disclosure_support_count(r, i); k++) {
            bind_int(o, 1, (int64_t)d.entity);
            bind_int(o, 2, (int64_t)k + 1);
            bind_text(o, 3, vipa_result_disclosure_support(r, i, k));
            rc = row(o);
        }
    }
    end_table(o);
    return rc;
}

static int write_findings(out *o, const vipa_result *r)
{
    const vipa_findings *f = vipa_result_findings(r);
    int rc = begin_table(o, "findings", 11);
    for (size_t i = 0; rc == 0 && i < vipa_findings_count(f); i++) {
        vipa_rule rule = vipa_finding_rule(f, i);
        char message[VIPA_FINDING_MESSAGE_SIZE];
        /* into a buffer: vipa_finding_message() would keep every message with the list */
        if (vipa_finding_message_format(message, sizeof message, f, i) != VIPA_OK)
            message[0] = '\0';
        bind_int(o, 1, (int64_t)i + 1);
        bind_text(o, 2, vipa_rule_id(rule));
        bind_text(o, 3, vipa_severity_name(vipa_finding_severity(f, i)));
        bind_text(o, 4, vipa_rule_clause(rule));
        bind_year(o, 5, vipa_finding_year(f, i));
        bind_subject(o, 6, vipa_finding_subject_kind(f, i), vipa_finding_subject_id(f, i));
        bind_text(o, 9, message);
        bind_text(o, 10, vipa_finding_expected(f, i));
        bind_text(o, 11, vipa_finding_actual(f, i));
        rc = row(o);
    }
    end_table(o);
    return rc;
}

/* ---- the tables of each year ------------------------------------------------------------- */

static int write_years(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "years", 2);
    for (size_t y = 0; rc == 0 && y < vipa_result_year_count(r); y++) {
        bind_int(o, 1, vipa_result_year(r, y));
        bind_int(o, 2, vipa_result_year_complete(r, y) ? 1 : 0);
        rc = row(o);
    }
    end_table(o);
    return rc;
}

static int write_year_households(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "year_households", 5);
    for (size_t y = 0; rc == 0 && y < vipa_result_year_count(r); y++)
        for (size_t i = 0; rc == 0 && i < vipa_result_year_household_count(r, y); i++) {
            vipa_year_household_row h;
            if (vipa_result_year_household_row(&h, sizeof h, r, y, i) != VIPA_OK)
                continue;
            bind_int(o, 1, vipa_result_year(r, y));
            bind_int(o, 2, (int64_t)h.household);
            bind_int(o, 3, h.income);
            bind_int(o, 4, h.line);
            bind_int(o, 5, h.meets_standard ? 1 : 0);
            rc = row(o);
        }
    end_table(o);
    return rc;
}

static int write_obligations(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "obligations", 6);
    for (size_t y = 0; rc == 0 && y < vipa_result_year_count(r); y++)
        for (size_t i = 0; rc == 0 && i < vipa_result_year_obligation_count(r, y); i++) {
            vipa_year_obligation_row b;
            if (vipa_result_year_obligation_row(&b, sizeof b, r, y, i) != VIPA_OK)
                continue;
            bind_int(o, 1, vipa_result_year(r, y));
            bind_int(o, 2, (int64_t)b.linkage);
            bind_int(o, 3, (int64_t)b.household);
            bind_text(o, 4, vipa_linkage_kind_name(b.kind));
            bind_int(o, 5, b.due);
            bind_int(o, 6, b.paid);
            rc = row(o);
        }
    end_table(o);
    return rc;
}

static int write_dividends(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "dividends", 5);
    for (size_t y = 0; rc == 0 && y < vipa_result_year_count(r); y++)
        for (size_t i = 0; rc == 0 && i < vipa_result_year_dividend_count(r, y); i++) {
            vipa_year_dividend_row d;
            if (vipa_result_year_dividend_row(&d, sizeof d, r, y, i) != VIPA_OK)
                continue;
            bind_int(o, 1, vipa_result_year(r, y));
            bind_int(o, 2, (int64_t)d.entity);
            bind_int(o, 3, (int64_t)d.household);
            bind_int(o, 4, d.due);
            bind_int(o, 5, d.paid);
            rc = row(o);
        }
    end_table(o);
    return rc;
}

static int write_coverage(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "coverage", 4);
    for (size_t y = 0; rc == 0 && y < vipa_result_year_count(r); y++)
        for (size_t i = 0; rc == 0 && i < vipa_result_year_coverage_count(r, y); i++) {
            vipa_year_coverage_row v;
            if (vipa_result_year_coverage_row(&v, sizeof v, r, y, i) != VIPA_OK)
                continue;
            bind_int(o, 1, vipa_result_year(r, y));
            bind_code(o, 2, v.village);
            bind_int(o, 3, (int64_t)v.willing);
            bind_int(o, 4, (int64_t)v.covered);
            rc = row(o);
        }
    end_table(o);
    return rc;
}

static int write_evaluations(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "evaluations", 6);
    for (size_t y = 0; rc == 0 && y < vipa_result_year_count(r); y++)
        for (size_t i = 0; rc == 0 && i < vipa_result_year_evaluation_count(r, y); i++) {
            vipa_year_evaluation_row e;
            if (vipa_result_year_evaluation_row(&e, sizeof e, r, y, i) != VIPA_OK)
                continue;
            bind_int(o, 1, vipa_result_year(r, y));
            bind_int(o, 2, (int64_t)e.agreement);
            bind_int(o, 3, (int64_t)e.entity);
            bind_date(o, 4, e.date);
            bind_int(o, 5, e.recheck ? 1 : 0);
            bind_text(o, 6, vipa_outcome_name(e.outcome));
            rc = row(o);
        }
    end_table(o);
    return rc;
}

/* The failed checks of evaluation @p i of year @p y, each naming its evaluation. */
static int write_failed_of(out *o, const vipa_result *r, size_t y, size_t i)
{
    vipa_year_evaluation_row e;
    int rc = 0;
    if (vipa_result_year_evaluation_row(&e, sizeof e, r, y, i) != VIPA_OK)
        return 0;
    for (size_t k = 0; rc == 0 && k < e.failed_count; k++) {
        vipa_year_failed_row f;
        if (vipa_result_year_failed_row(&f, sizeof f, r, y, i, k) != VIPA_OK)
            continue;
        bind_int(o, 1, vipa_result_year(r, y));
        bind_int(o, 2, (int64_t)e.agreement);
        bind_date(o, 3, e.date);
        bind_int(o, 4, e.recheck ? 1 : 0);
        bind_int(o, 5, (int64_t)k + 1);
        bind_text(o, 6, vipa_rule_id(f.rule));
        bind_subject(o, 7, f.subject_kind, f.subject);
        bind_text(o, 10, f.expected);
        bind_text(o, 11, f.actual);
        rc = row(o);
    }
    return rc;
}

static int write_failed(out *o, const vipa_result *r)
{
    int rc = begin_table(o, "evaluation_failed", 11);
    for (size_t y = 0; rc == 0 && y < vipa_result_year_count(r); y++)
        for (size_t i = 0; rc == 0 && i < vipa_result_year_evaluation_count(r, y); i++)
            rc = write_failed_of(o, r, y, i);
    end_table(o);
    return rc;
}

/* ---- the database ----------------------------------------------------------------------------- */

struct job {
    const char *name;
    const vipa_result *result;
};

/* Fills the new, empty file at @p path. No journal: the file is a temporary one that is
 * removed on any failure, and renamed into place (synced) only once committed. */
static int write_db(void *state, const char *path)
{
    const struct job *job = state;
    out o;
    memset(&o, 0, sizeof o);
    o.name = job->name;
    if (sqlite3_open_v2(path, &o.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        int rc = o.db != NULL ? fail(&o, NULL) : (fprintf(stderr, "vipa: out of memory\n"),
                                                 CLI_EXIT_INTERNAL);
        sqlite3_close(o.db);
        return rc;
    }
    int rc = 0;
    if (sqlite3_exec(o.db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; BEGIN",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(o.db, (const char *)cli_results_sql, NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(&o, NULL);
    int (*const tables[])(out *, const vipa_result *) = {
        write_run,         write_signers,    write_allocations, write_years,
        write_year_households, write_obligations, write_dividends, write_coverage,
        write_evaluations, write_failed,     write_households,  write_entities,
        write_disclosure,  write_findings};
    for (size_t i = 0; rc == 0 && i < sizeof tables / sizeof tables[0]; i++)
        rc = tables[i](&o, job->result);
    if (rc == 0 && sqlite3_exec(o.db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = fail(&o, NULL);
    if (sqlite3_close(o.db) != SQLITE_OK && rc == 0)
        rc = fail(&o, NULL);
    return rc;
}

int cli_export_sqlite(const char *path, const vipa_result *result)
{
    struct job job = {path, result};
    return cli_write_output_file(path, write_db, &job);
}
