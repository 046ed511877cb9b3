/* vipa report [FILE] [-o OUT | -o DIR/] [--lang zh|en] [--unit TEXT] [--printed DATE]: the
 * county report (docs/report.md) as one self-contained HTML page, or as linked pages of a
 * bounded size for a province. Pages are written as they are rendered (html_buf flushed
 * to the output), never held whole. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"

#define PAGE_BYTES_DEFAULT 2000000
#define PAGE_BYTES_MIN 16384

/* ---- the arguments ---------------------------------------------------------------------- */

struct report_args {
    const char *file; /* NULL: the bundled sample */
    const char *out;  /* NULL: standard output */
    report_opts opts;
};

static int parse_printed(struct report_args *a, const char *value)
{
    vipa_date d = 0;
    if (vipa_date_parse(&d, value) != VIPA_OK)
        return cli_usage_error("report", "--printed takes a date YYYY-MM-DD", value);
    a->opts.printed = d;
    return CLI_EXIT_OK;
}

static int parse_page_size(struct report_args *a, const char *value)
{
    char *end = NULL;
    errno = 0;
    unsigned long long n = value[0] >= '0' && value[0] <= '9' ? strtoull(value, &end, 10) : 0;
    if (end == NULL || *end != '\0' || errno != 0 || n < PAGE_BYTES_MIN || n > (1ull << 30))
        return cli_usage_error("report", "--page-size takes a number of bytes, 16384 to 1073741824",
                               value);
    a->opts.page_bytes = (size_t)n;
    return CLI_EXIT_OK;
}

/* One option with a value at argv[*i]: 1 taken (rc set), 0 not this one. */
static int take_value(int *rc, struct report_args *a, int argc, char **argv, int *i)
{
    const char *arg = argv[*i], *value = NULL;
    static const char *const names[] = {"--unit", "--printed", "--page-size"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        int m = cli_opt_value(&value, argc, argv, i, names[k]);
        if (m == 0)
            continue;
        if (m < 0 || value[0] == '\0')
            *rc = cli_usage_error("report", "option needs a value", arg);
        else
            *rc = k == 0 ? (a->opts.unit = value, CLI_EXIT_OK)
                  : k == 1 ? parse_printed(a, value)
                           : parse_page_size(a, value);
        return 1;
    }
    return 0;
}

static int parse_args(struct report_args *a, int argc, char **argv)
{
    int only_files = 0;
    const char *lang = "zh"; /* the report's readers are the county's: Chinese first */
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int rc = CLI_EXIT_OK, m;
        if (!only_files && strcmp(arg, "--") == 0)
            only_files = 1;
        else if (!only_files && ((m = cli_opt_value(&a->out, argc, argv, &i, "-o")) != 0 ||
                                 (m = cli_opt_value(&a->out, argc, argv, &i, "--output")) != 0)) {
            if (m < 0 || a->out[0] == '\0')
                return cli_usage_error("report", "option needs a file name", arg);
        } else if (!only_files && (rc = cli_parse_lang_option("report", &lang, argc, argv, &i)) >= 0) {
            if (rc != CLI_EXIT_OK)
                return rc;
        } else if (!only_files && take_value(&rc, a, argc, argv, &i)) {
            if (rc != CLI_EXIT_OK)
                return rc;
        } else if (!only_files && arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error("report", "unknown option", arg);
        else if (a->file != NULL)
            return cli_usage_error("report", "more than one scenario file", arg);
        else
            a->file = arg;
    }
    a->opts.en = strcmp(lang, "en") == 0;
    return CLI_EXIT_OK;
}

/* ---- one page ------------------------------------------------------------------------------ */

struct page_job {
    const report_opts *o;
    const cli_session *s;
    const report_model *m;
    const report_names *names;
    report_pages *pages; /* NULL: the single page */
};

static int produce_page(void *state, cli_put_fn put, void *sink)
{
    struct page_job *j = state;
    html_buf b;
    html_init(&b);
    html_set_sink(&b, put, sink);
    int rc = j->pages == NULL ? report_single_page(&b, j->o, j->s, j->m, j->names)
                              : report_pages_render(j->pages, &b, j->o, j->s, j->m, j->names);
    int put_failed = b.put_failed;
    html_free(&b);
    if (rc == 0)
        return CLI_EXIT_OK;
    if (put_failed)
        return CLI_PUT_FAILED;
    fprintf(stderr, "vipa: out of memory\n");
    return CLI_EXIT_INTERNAL;
}

/* ---- linked pages into a directory -------------------------------------------------------- */

/* The names of the pages written, to take them back when a later one fails in a
 * directory of our own. */
typedef struct written {
    char **paths;
    size_t n, cap;
} written;

static int remember(written *w, char *path)
{
    if (w->n == w->cap) {
        size_t cap = w->cap == 0 ? 64 : w->cap * 2;
        char **p = realloc(w->paths, cap * sizeof *p);
        if (p == NULL)
            return -1;
        w->paths = p;
        w->cap = cap;
    }
    w->paths[w->n++] = path;
    return 0;
}

static void forget(written *w, int remove)
{
    for (size_t i = 0; i < w->n; i++) {
        if (remove)
            unlink(w->paths[i]);
        free(w->paths[i]);
    }
    free(w->paths);
}

static int write_pages(const char *dir, struct page_job *job)
{
    int made;
    int rc = cli_output_dir(dir, "-o DIR/ writes the linked pages of the report into a directory",
                            &made);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
    written w = {NULL, 0, 0};
    for (;;) {
        int done = 0;
        char *name = report_pages_name(job->pages, job->m, &done);
        if (name == NULL) {
            if (done != 1)
                rc = (fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL);
            break;
        }
        char *path = cli_strdupf("%s%s%s", dir, sep, name);
        free(name);
        if (path == NULL || remember(&w, path) != 0) {
            free(path);
            rc = (fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL);
            break;
        }
        cli_producer p = {produce_page, job};
        if ((rc = cli_write_output_from(path, &p)) != CLI_EXIT_OK)
            break;
    }
    forget(&w, rc != CLI_EXIT_OK && made); /* a failed report leaves nothing in its own directory */
    if (rc != CLI_EXIT_OK && made)
        rmdir(dir);
    return rc;
}

/* Whether -o names a directory: ends in '/' or is one. */
static int is_pages_out(const char *out)
{
    struct stat st;
    size_t len = strlen(out);
    return (len > 0 && out[len - 1] == '/') || (stat(out, &st) == 0 && S_ISDIR(st.st_mode));
}

/* ---- the command ---------------------------------------------------------------------------- */

static int emit(const struct report_args *a, const cli_session *s, const report_names *names)
{
    report_model m;
    if (report_model_build(&m, s->result, names) != 0) {
        fprintf(stderr, "vipa: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    struct page_job job = {&a->opts, s, &m, names, NULL};
    cli_producer p = {produce_page, &job};
    int rc;
    if (a->opts.multi) {
        report_pages pages;
        if (report_pages_init(&pages, &a->opts, s, &m, names) != 0) {
            report_model_free(&m);
            fprintf(stderr, "vipa: out of memory\n");
            return CLI_EXIT_INTERNAL;
        }
        job.pages = &pages;
        rc = write_pages(a->out, &job);
        report_pages_free(&pages);
    } else
        rc = a->out != NULL ? cli_write_output_from(a->out, &p) : cli_write_stdout_from(&p);
    report_model_free(&m);
    return rc;
}

int cli_cmd_report(int argc, char **argv)
{
    struct report_args a = {NULL, NULL, {0, NULL, 0, NULL, 0, PAGE_BYTES_DEFAULT}};
    int rc = parse_args(&a, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    a.opts.multi = a.out != NULL && strcmp(a.out, "-") != 0 && is_pages_out(a.out);
    a.opts.source = a.file == NULL ? REPORT_W(&a.opts, "（内置示例数据：examples/shangluo-sample.json）",
                                              "(bundled sample: examples/shangluo-sample.json)")
                    : strcmp(a.file, "-") == 0 ? REPORT_W(&a.opts, "（标准输入）", "(standard input)")
                                               : a.file;
    /* Loaded as `vipa run` loads (a regular file in place, a database by cursors), the
     * names read again a record at a time: memory is the run's and the names'. */
    cli_session s;
    report_names names;
    rc = cli_session_open_named(&s, &names, a.file);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = emit(&a, &s, &names);
    report_names_free(&names);
    cli_session_close(&s);
    return rc;
}
