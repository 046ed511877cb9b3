/* vipa report [FILE] [-o OUT]: the year run as one self-contained HTML page (inline CSS
 * and SVG, no scripts, nothing fetched), for county officials and auditors. */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "html.h"

/* ---- names from the scenario -------------------------------------------------------- */

static char *dup_string(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));
    return s == NULL ? NULL : strdup(s);
}

/* A 12-digit code string as a number, 0 when it is not one. */
static uint64_t code_of(json_t *obj, const char *key)
{
    vipa_area_code code = 0;
    const char *s = json_string_value(json_object_get(obj, key));
    if (s == NULL || vipa_area_code_parse(&code, s) != VIPA_OK)
        return 0;
    return code;
}

static int by_code(const void *a, const void *b)
{
    uint64_t x = ((const report_area *)a)->code, y = ((const report_area *)b)->code;
    return (x > y) - (x < y);
}

static int by_id(const void *a, const void *b)
{
    uint64_t x = ((const report_entity *)a)->id, y = ((const report_entity *)b)->id;
    return (x > y) - (x < y);
}

static int read_areas(report_names *names, json_t *areas)
{
    size_t n = json_array_size(areas);
    if (n == 0)
        return 0;
    names->areas = calloc(n, sizeof *names->areas);
    if (names->areas == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_array_get(areas, i);
        uint64_t code = code_of(a, "code");
        const char *name = json_string_value(json_object_get(a, "name"));
        if (code == 0 || name == NULL)
            continue;
        report_area *r = &names->areas[names->narea];
        r->code = code;
        if ((r->name = strdup(name)) == NULL)
            return -1;
        names->narea++;
    }
    qsort(names->areas, names->narea, sizeof *names->areas, by_code);
    return 0;
}

static int read_entities(report_names *names, json_t *entities)
{
    size_t n = json_array_size(entities);
    if (n == 0)
        return 0;
    names->entities = calloc(n, sizeof *names->entities);
    if (names->entities == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(entities, i);
        json_int_t id = json_integer_value(json_object_get(e, "id"));
        if (id <= 0)
            continue;
        report_entity *r = &names->entities[names->nentity++];
        r->id = (uint64_t)id;
        r->core = code_of(e, "core_village");
        r->name = dup_string(e, "name");
        r->kind = dup_string(e, "kind");
        r->industry = dup_string(e, "industry");
        if ((json_object_get(e, "name") != NULL && r->name == NULL) ||
            (json_object_get(e, "kind") != NULL && r->kind == NULL) ||
            (json_object_get(e, "industry") != NULL && r->industry == NULL))
            return -1;
    }
    qsort(names->entities, names->nentity, sizeof *names->entities, by_id);
    return 0;
}

int report_names_read(report_names *names, const char *data, size_t length)
{
    memset(names, 0, sizeof *names);
    json_error_t error;
    json_t *root = json_loadb(data, length, 0, &error);
    if (root == NULL)
        return 0; /* the library read it; without names the page shows codes and ids */
    int rc = read_areas(names, json_object_get(root, "areas"));
    if (rc == 0)
        rc = read_entities(names, json_object_get(root, "entities"));
    json_decref(root);
    if (rc != 0)
        report_names_free(names);
    return rc;
}

void report_names_free(report_names *names)
{
    for (size_t i = 0; i < names->narea; i++)
        free(names->areas[i].name);
    for (size_t i = 0; i < names->nentity; i++) {
        free(names->entities[i].name);
        free(names->entities[i].kind);
        free(names->entities[i].industry);
    }
    free(names->areas);
    free(names->entities);
    memset(names, 0, sizeof *names);
}

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

int cli_cmd_report(int argc, char **argv)
{
    struct report_args a = {NULL, NULL};
    int rc = cli_parse_output_args("report", argc, argv, &a.file, &a.out, NULL);
    if (rc != CLI_EXIT_OK)
        return rc;

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
