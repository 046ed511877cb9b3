/* Loading a scenario and running its year, with progress on a terminal; what the
 * renderers count over the run. */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"


static int64_t ms_since(const struct timespec *then)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)(now.tv_sec - then->tv_sec) * 1000 + (now.tv_nsec - then->tv_nsec) / 1000000;
}

/* Redraws at most every 100 ms: a run calls back far more often than a terminal can
 * show, and a short run finishes before anything is drawn at all. */
static void on_progress(void *opaque, const char *phase, uint64_t done, uint64_t total)
{
    cli_progress *p = opaque;
    if (ms_since(&p->last) < 100)
        return;
    char line[160];
    int n = snprintf(line, sizeof line, "\r%s %llu/%llu", phase, (unsigned long long)done,
                     (unsigned long long)total);
    size_t width = n > 0 ? cli_display_width(line + 1) : 0;
    fputs(line, stderr);
    for (size_t i = width; i < p->drawn; i++)
        fputc(' ', stderr);
    p->drawn = width > p->drawn ? width : p->drawn;
    fflush(stderr);
    clock_gettime(CLOCK_MONOTONIC, &p->last);
}

static void progress_clear(const cli_progress *p)
{
    if (p->drawn == 0)
        return;
    fputc('\r', stderr);
    for (size_t i = 0; i < p->drawn; i++)
        fputc(' ', stderr);
    fputc('\r', stderr);
    fflush(stderr);
}

static int load_bytes(cli_session *s, const char *data, size_t length, const char *path)
{
    const char *err = NULL;
    int st = vipa_scenario_load(s->ctx, data, length, &err);
    if (st != VIPA_OK)
        cli_errorf("vipa: %s: %s\n", path == NULL ? "(bundled sample)" : path,
                   err != NULL && err[0] != '\0' ? err : vipa_strerror(st));
    return cli_exit_for_status(st);
}

/* A regular file is loaded in place by the library (vipa_scenario_load_file: memory
 * bounded by the records, whatever the file's size); anything else (a pipe, a device) is
 * read whole first, within VIPA_SCENARIO_MAX_BYTES. */
static int load_file(cli_session *s, const char *path)
{
    const char *err = NULL;
    int st = vipa_scenario_load_file(s->ctx, path, &err);
    if (st != VIPA_OK)
        cli_errorf("vipa: %s: %s\n", path, err != NULL && err[0] != '\0' ? err : vipa_strerror(st));
    return cli_exit_for_status(st);
}

static int is_regular_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int load(cli_session *s, const char *path)
{
    /* A SQLite database is told by its header, not its name (docs/database.md). */
    if (path != NULL && is_regular_file(path) && cli_db_is_sqlite(path))
        return cli_db_load(s->ctx, path);
    if (path != NULL && is_regular_file(path))
        return load_file(s, path);
    char *owned = NULL;
    const char *data = (const char *)cli_sample_json;
    size_t length = cli_sample_json_len;
    if (cli_is_directory(path)) {
        /* A directory of tables (docs/import.md): imported and loaded into the context,
         * its errors told by cell. */
        char *dir = (char *)path;
        int rc = cli_import(&owned, &length, &dir, 1, s->ctx);
        free(owned);
        return rc;
    }
    if (path != NULL) {
        int rc = cli_read_file(&owned, &length, path);
        if (rc != CLI_EXIT_OK)
            return rc;
        data = owned;
    }
    int rc = load_bytes(s, data, length, path);
    free(owned);
    return rc;
}

static int run(cli_session *s, const char *path)
{
    cli_progress p;
    vipa_run_options opts = VIPA_RUN_OPTIONS_INIT;
    cli_progress_begin(&p, &opts);
    int st = vipa_run(&s->result, s->ctx, &opts);
    cli_progress_end(&p);
    if (st != VIPA_OK) {
        const char *msg = vipa_ctx_errmsg(s->ctx);
        cli_errorf("vipa: %s: %s\n", path == NULL ? "(bundled sample)" : path,
                   msg != NULL && msg[0] != '\0' ? msg : vipa_strerror(st));
    }
    return cli_exit_for_status(st);
}

/* Loads a session from @p path, or from @p data when it is not NULL (@p path then only
 * names it in messages), without running it. */
static int load_session(cli_session *s, const char *path, const char *data, size_t length)
{
    s->ctx = NULL;
    s->result = NULL;
    int st = vipa_ctx_new(&s->ctx, NULL);
    if (st != VIPA_OK) {
        fprintf(stderr, "vipa: cannot create a context: %s\n", vipa_strerror(st));
        return CLI_EXIT_INTERNAL;
    }
    int rc = data != NULL ? load_bytes(s, data, length, path) : load(s, path);
    if (rc != CLI_EXIT_OK)
        cli_session_close(s);
    return rc;
}

static int open_session(cli_session *s, const char *path, const char *data, size_t length)
{
    int rc = load_session(s, path, data, length);
    if (rc == CLI_EXIT_OK && (rc = run(s, path)) != CLI_EXIT_OK)
        cli_session_close(s);
    return rc;
}

int cli_session_load(cli_session *s, const char *path)
{
    return load_session(s, path, NULL, 0);
}

void cli_progress_begin(cli_progress *p, vipa_run_options *opts)
{
    p->drawn = 0;
    if (isatty(STDERR_FILENO)) {
        clock_gettime(CLOCK_MONOTONIC, &p->last);
        opts->progress = on_progress;
        opts->progress_opaque = p;
    }
}

void cli_progress_end(const cli_progress *p)
{
    progress_clear(p);
}

int cli_session_open(cli_session *s, const char *path)
{
    return open_session(s, path, NULL, 0);
}

int cli_session_open_bytes(cli_session *s, const char *data, size_t length, const char *path)
{
    return open_session(s, path, data, length);
}

void cli_session_close(cli_session *s)
{
    /* The result reads the context's records, so it goes first. */
    vipa_result_free(s->result);
    vipa_ctx_free(s->ctx);
    s->result = NULL;
    s->ctx = NULL;
}

size_t cli_count_meeting(const vipa_result *r, size_t y)
{
    size_t meeting = 0;
    for (size_t i = 0; i < vipa_result_year_household_count(r, y); i++) {
        vipa_id id;
        vipa_fen income, line;
        int meets = 0;
        if (vipa_result_year_household(&id, &income, &line, &meets, r, y, i) == VIPA_OK && meets)
            meeting++;
    }
    return meeting;
}

void cli_count_outcomes(size_t n[VIPA_OUTCOME_TERMINATED + 1], const vipa_result *r, size_t y)
{
    for (int k = 0; k <= VIPA_OUTCOME_TERMINATED; k++)
        n[k] = 0;
    for (size_t yy = 0; yy < vipa_result_year_count(r); yy++) {
        if (y != SIZE_MAX && yy != y)
            continue;
        for (size_t i = 0; i < vipa_result_year_evaluation_count(r, yy); i++) {
            vipa_id a, e;
            vipa_date d;
            int re;
            vipa_outcome o = VIPA_OUTCOME_NONE;
            if (vipa_result_year_evaluation(&a, &e, &d, &re, &o, r, yy, i) == VIPA_OK &&
                o >= VIPA_OUTCOME_COMPLIANT && o <= VIPA_OUTCOME_TERMINATED)
                n[o]++;
        }
    }
}
