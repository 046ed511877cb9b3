/* The commands that run one scenario: run, check, explain. */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Prints @p data to standard output, or writes it to the output @p path (-o). */
static int emit(const char *path, const char *data, size_t length)
{
    return path != NULL ? cli_write_output(path, data, length) : cli_write_stdout(data, length);
}

/* ---- run ----------------------------------------------------------------------------- */


struct run_args {
    const char *file; /* NULL: the bundled sample */
    const char *out;  /* NULL: standard output */
    int json;
    enum cli_format format;
    const char *lang; /* NULL: Chinese headings */
};

/* The report JSON, ending in a newline, put as the library writes it (a block at a
 * time): the memory of `vipa run --json` does not grow with the report. */
static int produce_report(void *state, cli_put_fn put, void *sink)
{
    int st = vipa_report_write(state, VIPA_REPORT_PRETTY, put, sink);
    if (st == VIPA_E_IO)
        return CLI_PUT_FAILED; /* put refused: the output functions tell why */
    if (st != VIPA_OK) {
        /* The result is valid by now, so any failure here is the program's, not the input's. */
        fprintf(stderr, "vipa: cannot write the report: %s\n", vipa_strerror(st));
        return CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

/* Writes the report JSON to standard output, or to the output @p path (-o), whose
 * temporary file takes the place of the output only once the whole report is in it. */
static int emit_json(const char *path, const vipa_result *r)
{
    cli_producer p = {produce_report, (void *)r};
    return path != NULL ? cli_write_output_from(path, &p) : cli_write_stdout_from(&p);
}

static int report_text(char **out, size_t *length, const cli_session *s, const char *lang)
{
    FILE *f = open_memstream(out, length);
    if (f == NULL)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    int rc = cli_render_report(f, s, lang);
    rc = (fclose(f) != 0 || rc != 0) ? -1 : 0;
    if (rc != 0) {
        free(*out);
        *out = NULL;
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

/* The text tables, rendered whole before anything is written. */
static int emit_text(const char *path, const cli_session *s, const char *lang)
{
    char *text = NULL;
    size_t length = 0;
    int rc = report_text(&text, &length, s, lang);
    if (rc == CLI_EXIT_OK)
        rc = emit(path, text, length);
    free(text);
    return rc;
}

/* ---- the tables as a workbook or CSV files ---------------------------------------------- */

/* The session and the names for the tables: a regular file is loaded in place and read
 * again, a value at a time, for its names; the sample and anything else (standard input,
 * a pipe) are read whole once, for both. */
int cli_session_open_named(cli_session *s, report_names *names, const char *file)
{
    struct stat st;
    if (file != NULL && strcmp(file, "-") != 0 && stat(file, &st) == 0 && S_ISREG(st.st_mode)) {
        int rc = cli_session_open(s, file);
        if (rc != CLI_EXIT_OK)
            return rc;
        if (cli_db_is_sqlite(file)) {
            if (cli_db_read_names(names, file) == 0)
                return CLI_EXIT_OK;
            cli_session_close(s);
            return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
        }
        FILE *f = fopen(file, "rb");
        rc = f == NULL ? (memset(names, 0, sizeof *names), 0) : report_names_read_stream(names, f);
        if (f != NULL)
            fclose(f);
        if (rc != 0) {
            cli_session_close(s);
            return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
        }
        return CLI_EXIT_OK;
    }
    char *owned = NULL;
    const char *data = (const char *)cli_sample_json;
    size_t length = cli_sample_json_len;
    if (cli_is_directory(file)) {
        char *dir = (char *)file;
        int rc = cli_import(&owned, &length, &dir, 1, NULL);
        if (rc != CLI_EXIT_OK)
            return rc;
        data = owned;
    } else if (file != NULL) {
        int rc = cli_read_file(&owned, &length, file);
        if (rc != CLI_EXIT_OK)
            return rc;
        data = owned;
    }
    int rc = cli_session_open_bytes(s, data, length, file);
    FILE *f = rc == CLI_EXIT_OK && length > 0 ? fmemopen((void *)data, length, "rb") : NULL;
    if (rc == CLI_EXIT_OK && (f == NULL || report_names_read_stream(names, f) != 0)) {
        cli_session_close(s);
        rc = (fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL);
    }
    if (f != NULL)
        fclose(f);
    free(owned);
    return rc;
}

static int emit_tables(const struct run_args *a)
{
    cli_session s;
    report_names names;
    int rc = cli_session_open_named(&s, &names, a->file);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_tables_src src = {s.result, &names, a->lang != NULL && strcmp(a->lang, "en") == 0,
                          NULL, 0, NULL, NULL};
    const char *out = strcmp(a->out, "-") == 0 ? NULL : a->out;
    rc = a->format == CLI_FORMAT_XLSX ? cli_export_xlsx(out, &src) : cli_export_csv(a->out, &src);
    report_names_free(&names);
    cli_session_close(&s);
    return rc;
}

/* ---- the command line ---------------------------------------------------------------------- */

static int parse_run(struct run_args *a, int argc, char **argv)
{
    /* The options of this command are taken out first; the rest are parsed as `report`
     * parses its own. */
    char **rest = malloc(((size_t)argc + 1) * sizeof *rest);
    if (rest == NULL)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    int n = 0, only_files = 0, rc = CLI_EXIT_OK;
    rest[n++] = argv[0];
    for (int i = 1; i < argc && rc == CLI_EXIT_OK; i++) {
        int taken = 0;
        if (!only_files && strcmp(argv[i], "--") == 0)
            only_files = 1;
        else if (!only_files && (strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) &&
                 i + 1 < argc) {
            rest[n++] = argv[i++]; /* -o's value is a name, whatever it looks like */
        } else if (!only_files)
            rc = cli_parse_format_option("run", &a->format, &a->lang, argc, argv, &i, &taken);
        if (!taken)
            rest[n++] = argv[i];
    }
    rest[n] = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_parse_output_args("run", n, rest, &a->file, &a->out, &a->json);
    free(rest);
    return rc == CLI_EXIT_OK ? cli_settle_format("run", &a->format, a->json, a->out, a->lang) : rc;
}

int cli_cmd_run(int argc, char **argv)
{
    struct run_args a = {NULL, NULL, 0, CLI_FORMAT_DEFAULT, NULL};
    int rc = parse_run(&a, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (a.format == CLI_FORMAT_XLSX || a.format == CLI_FORMAT_CSV)
        return emit_tables(&a);
    cli_session s;
    rc = cli_session_open(&s, a.file);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = a.format == CLI_FORMAT_JSON     ? emit_json(a.out, s.result)
         : a.format == CLI_FORMAT_SQLITE ? cli_export_sqlite(a.out, s.result)
                                         : emit_text(a.out, &s, a.lang ? a.lang : cli_default_lang());
    cli_session_close(&s);
    return rc;
}

/* ---- check --------------------------------------------------------------------------- */

/* The single FILE operand of a command that takes nothing else but --lang. */
static int one_file(const char **file, const char **lang, const char *command, int argc,
                    char **argv)
{
    *file = NULL;
    int only_files = 0;
    for (int i = 1; i < argc; i++) {
        int rc;
        if (!only_files && strcmp(argv[i], "--") == 0)
            only_files = 1;
        else if (!only_files && (rc = cli_parse_lang_option(command, lang, argc, argv, &i)) >= 0) {
            if (rc != CLI_EXIT_OK)
                return rc;
        } else if (!only_files && argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error(command, "unknown option", argv[i]);
        else if (*file != NULL)
            return cli_usage_error(command, "more than one scenario file", argv[i]);
        else
            *file = argv[i];
    }
    if (*file == NULL)
        return cli_usage_error(command, "missing scenario file", NULL);
    return CLI_EXIT_OK;
}

int cli_cmd_check(int argc, char **argv)
{
    const char *file, *lang = NULL;
    int rc = one_file(&file, &lang, "check", argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_session s;
    rc = cli_session_open(&s, file);
    if (rc != CLI_EXIT_OK)
        return rc;
    const vipa_findings *f = vipa_result_findings(s.result);
    int errors = vipa_findings_count_at_least(f, VIPA_SEVERITY_ERROR) > 0;
    rc = cli_render_findings_lang(stdout, f, lang ? lang : cli_default_lang()) == 0
             ? CLI_EXIT_OK
             : CLI_EXIT_INTERNAL;
    cli_session_close(&s);
    if (rc != CLI_EXIT_OK)
        return fprintf(stderr, "vipa: out of memory\n"), rc;
    rc = cli_finish_stdout();
    return rc != CLI_EXIT_OK ? rc : errors ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

/* ---- explain ------------------------------------------------------------------------- */

struct explain_args {
    const char *file;
    const char *household; /* exactly one of household and agreement */
    const char *agreement;
    const char *year;
    const char *lang; /* NULL: from the locale */
    int json;
};

static int parse_explain_option(struct explain_args *a, int argc, char **argv, int *i)
{
    static const char *const names[] = {"--household", "--agreement", "--year"};
    const char **slots[] = {&a->household, &a->agreement, &a->year};
    if (strcmp(argv[*i], "--json") == 0)
        return a->json = 1, CLI_EXIT_OK;
    int rc = cli_parse_lang_option("explain", &a->lang, argc, argv, i);
    if (rc >= 0)
        return rc;
    for (size_t k = 0; k < 3; k++) {
        const char *arg = argv[*i];
        int m = cli_opt_value(slots[k], argc, argv, i, names[k]);
        if (m < 0)
            return cli_usage_error("explain", "option needs a value", arg);
        if (m > 0)
            return CLI_EXIT_OK;
    }
    return cli_usage_error("explain", "unknown option", argv[*i]);
}

static int parse_explain(struct explain_args *a, int argc, char **argv)
{
    int only_files = 0;
    for (int i = 1; i < argc; i++) {
        int rc = CLI_EXIT_OK;
        if (!only_files && strcmp(argv[i], "--") == 0)
            only_files = 1;
        else if (!only_files && argv[i][0] == '-' && argv[i][1] != '\0')
            rc = parse_explain_option(a, argc, argv, &i);
        else if (a->file != NULL)
            rc = cli_usage_error("explain", "more than one scenario file", argv[i]);
        else
            a->file = argv[i];
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    if (a->file == NULL)
        return cli_usage_error("explain", "missing scenario file", NULL);
    if ((a->household == NULL) == (a->agreement == NULL))
        return cli_usage_error("explain", "give exactly one of --household and --agreement", NULL);
    if (a->year == NULL)
        return cli_usage_error("explain", "missing --year", NULL);
    return CLI_EXIT_OK;
}

/* The kinds of steps as `explain --json` spells them, by vipa_step_kind. */
static const char *step_kind_word(vipa_step_kind kind)
{
    static const char *const words[] = {NULL,     "cutoff",   "due",   "payment", "income",
                                        "line",   "standard", "check", "outcome"};
    return (unsigned)kind < sizeof words / sizeof words[0] ? words[kind] : NULL;
}

/* One step as an object: kind, rule and clause (null when none), amount in yuan, date
 * (null when none), text in the language, and passed with its subject when it decides. */
static json_t *step_json(const vipa_explanation *x, size_t i, const char *lang)
{
    vipa_step_kind kind;
    vipa_rule rule;
    vipa_fen amount;
    vipa_date date;
    const char *english;
    if (vipa_explanation_step(&kind, &rule, &amount, &date, &english, x, i) != VIPA_OK)
        return NULL;
    char money[VIPA_FEN_FORMAT_SIZE], day[VIPA_DATE_FORMAT_SIZE];
    vipa_fen_format(money, sizeof money, amount);
    int dated = date != 0 && vipa_date_format(day, sizeof day, date) == VIPA_OK;
    const char *id = rule != VIPA_RULE_NONE ? vipa_rule_id(rule) : NULL;
    json_t *step = json_pack("{s:s?, s:s?, s:s?, s:s, s:s?, s:s?}", "kind", step_kind_word(kind),
                             "rule", id, "clause", id ? vipa_rule_clause(rule) : NULL,
                             "amount", money, "date", dated ? day : NULL, "text",
                             vipa_explanation_step_text(x, i, lang));
    int passed;
    vipa_subject_kind subject_kind;
    uint64_t subject;
    if (step && vipa_explanation_verdict(&passed, &subject_kind, &subject, x, i) == VIPA_OK) {
        json_object_set_new(step, "passed", json_boolean(passed));
        json_object_set_new(step, "subject",
                            json_pack("{s:s?, s:I}", "kind", vipa_subject_kind_name(subject_kind),
                                      "id", (json_int_t)subject));
    }
    return step;
}

/* `explain --json`: {"lang", "title", "steps": [...]}, pretty, with a final newline. */
static int cli_explanation_json(const vipa_explanation *x, const char *lang)
{
    const char *text = vipa_explanation_text_lang(x, lang);
    const char *end = strchr(text, '\n');
    json_t *steps = json_array();
    json_t *root = json_pack("{s:s, s:s%, s:o}", "lang", lang, "title", text,
                             end ? (size_t)(end - text) : strlen(text), "steps", steps);
    int ok = root != NULL && steps != NULL;
    for (size_t i = 0; ok && i < vipa_explanation_step_count(x); i++) {
        json_t *step = step_json(x, i, lang);
        ok = step != NULL && json_array_append_new(steps, step) == 0;
    }
    char *dump = ok ? json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(root);
    if (dump == NULL)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    int rc = emit(NULL, dump, strlen(dump));
    if (rc == CLI_EXIT_OK)
        rc = emit(NULL, "\n", 1);
    free(dump);
    return rc;
}

static int explain(const cli_session *s, const struct explain_args *a, vipa_id id, int year)
{
    vipa_explanation *x = NULL;
    int st = a->household != NULL ? vipa_explain_household(&x, s->result, id, year)
                                   : vipa_explain_agreement(&x, s->result, id, year);
    if (st != VIPA_OK) {
        const char *what = a->household != NULL ? "household" : "agreement";
        if (st == VIPA_E_NOT_FOUND)
            fprintf(stderr, "vipa explain: no %s %llu, or no figures for %d in this run\n",
                    what, (unsigned long long)id, year);
        else
            fprintf(stderr, "vipa explain: %s %llu in %d: %s\n", what, (unsigned long long)id,
                    year, vipa_strerror(st));
        return cli_exit_for_status(st);
    }
    const char *lang = a->lang ? a->lang : cli_default_lang();
    if (a->json) {
        int rc = cli_explanation_json(x, lang);
        vipa_explanation_free(x);
        return rc;
    }
    /* The steps quote the scenario's texts: shown escaped, line by line. */
    char *text = cli_escape(vipa_explanation_text_lang(x, lang), 1);
    vipa_explanation_free(x);
    if (text == NULL)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    size_t n = strlen(text);
    int rc = emit(NULL, text, n);
    if (rc == CLI_EXIT_OK && (n == 0 || text[n - 1] != '\n'))
        rc = emit(NULL, "\n", 1);
    free(text);
    return rc;
}

int cli_cmd_explain(int argc, char **argv)
{
    struct explain_args a = {NULL, NULL, NULL, NULL, NULL, 0};
    int rc = parse_explain(&a, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    vipa_id id;
    int year;
    const char *id_text = a.household != NULL ? a.household : a.agreement;
    if (cli_parse_id(&id, id_text) != 0)
        return cli_usage_error("explain", "not a positive id", id_text);
    if (cli_parse_year(&year, a.year) != 0)
        return cli_usage_error("explain", "not a year (1900..9999)", a.year);
    cli_session s;
    rc = cli_session_open(&s, a.file);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = explain(&s, &a, id, year);
    cli_session_close(&s);
    return rc;
}
