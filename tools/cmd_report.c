/* vipa report [FILE] [-o OUT]: the year run as one self-contained HTML page (inline CSS
 * and SVG, no scripts, nothing fetched), for county officials and auditors. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "html.h"

/* ---- the command ---------------------------------------------------------------------- */

struct report_args {
    const char *file; /* NULL: the bundled sample */
    const char *out;  /* NULL: standard output */
};

/* The page, rendered whole in memory, then written whole (or printed). */
static int write_page(const struct report_args *a, const cli_session *s, const report_names *names)
{
    html_buf page;
    html_init(&page);
    const char *source = a->file == NULL ? "(bundled sample: examples/shangluo-sample.json)"
                         : strcmp(a->file, "-") == 0 ? "(standard input)"
                                                     : a->file;
    if (report_html_render(&page, s, names, source) != 0 || page.failed) {
        html_free(&page);
        fprintf(stderr, "vipa: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    int rc = a->out != NULL ? cli_write_output(a->out, page.data, page.len)
                            : cli_write_stdout(page.data, page.len);
    html_free(&page);
    return rc;
}

static int report_database(const struct report_args *a)
{
    cli_session s;
    report_names names;
    int rc = cli_session_open(&s, a->file);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (cli_db_read_names(&names, a->file) != 0) {
        cli_session_close(&s);
        fprintf(stderr, "vipa: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    rc = write_page(a, &s, &names);
    report_names_free(&names);
    cli_session_close(&s);
    return rc;
}

int cli_cmd_report(int argc, char **argv)
{
    struct report_args a = {NULL, NULL};
    int rc = cli_parse_output_args("report", argc, argv, &a.file, &a.out, NULL);
    if (rc != CLI_EXIT_OK)
        return rc;

    /* A database is read through cursors (docs/database.md), its names by a query. */
    if (a.file != NULL && strcmp(a.file, "-") != 0 && cli_db_is_sqlite(a.file))
        return report_database(&a);

    /* Read once: the library loads the bytes, and the page takes names from them. */
    char *owned = NULL;
    const char *data = (const char *)cli_sample_json;
    size_t length = cli_sample_json_len;
    if (a.file != NULL) {
        rc = cli_read_file(&owned, &length, a.file);
        if (rc != CLI_EXIT_OK)
            return rc;
        data = owned;
    }
    cli_session s;
    rc = cli_session_open_bytes(&s, data, length, a.file);
    if (rc != CLI_EXIT_OK) {
        free(owned);
        return rc;
    }
    report_names names;
    if (report_names_read(&names, data, length) != 0) {
        free(owned);
        cli_session_close(&s);
        fprintf(stderr, "vipa: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    free(owned);
    rc = write_page(&a, &s, &names);
    report_names_free(&names);
    cli_session_close(&s);
    return rc;
}
