/* `vipa compare`: a scenario run under its own profile and under a reform (parameters
 * changed by --reform FILE and --set KEY=VALUE), and what differs; or, with --explain,
 * one household's or agreement's year explained under both, step against step. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"

#define MAX_SETS 64

struct compare_args {
    const char *file; /* NULL: the bundled sample */
    const char *out;  /* NULL: standard output */
    const char *reform;
    const char *sets[MAX_SETS];
    size_t set_count;
    int json, explain;
    enum cli_format format;
    const char *lang; /* NULL: Chinese headings */
    const char *household, *agreement, *year;
    vipa_id id; /* --explain's, parsed */
    int year_value;
};

/* ---- arguments ------------------------------------------------------------------------ */

static int parse_valued(struct compare_args *a, int argc, char **argv, int *i)
{
    static const char *const names[] = {"--reform", "--household", "--agreement", "--year",
                                        "-o", "--output"};
    const char **slots[] = {&a->reform, &a->household, &a->agreement, &a->year, &a->out, &a->out};
    const char *arg = argv[*i], *value = NULL;
    int m = cli_opt_value(&value, argc, argv, i, "--set");
    if (m != 0) {
        if (m < 0 || strchr(value, '=') == NULL)
            return cli_usage_error("compare", "--set needs KEY=VALUE", arg);
        if (a->set_count == MAX_SETS)
            return cli_usage_error("compare", "more than 64 --set options", arg);
        a->sets[a->set_count++] = value;
        return CLI_EXIT_OK;
    }
    for (size_t k = 0; k < sizeof names / sizeof *names; k++) {
        if ((m = cli_opt_value(slots[k], argc, argv, i, names[k])) < 0 || (m > 0 && !**slots[k]))
            return cli_usage_error("compare", "option needs a value", arg);
        if (m > 0)
            return CLI_EXIT_OK;
    }
    return cli_usage_error("compare", "unknown option", arg);
}

static int parse_args(struct compare_args *a, int argc, char **argv)
{
    int only_files = 0;
    for (int i = 1; i < argc; i++) {
        int rc = CLI_EXIT_OK;
        if (!only_files && strcmp(argv[i], "--") == 0)
            only_files = 1;
        else if (!only_files && strcmp(argv[i], "--json") == 0)
            a->json = 1;
        else if (!only_files && strcmp(argv[i], "--explain") == 0)
            a->explain = 1;
        else if (!only_files && argv[i][0] == '-' && argv[i][1] != '\0') {
            int taken = 0;
            rc = cli_parse_format_option("compare", &a->format, &a->lang, argc, argv, &i, &taken);
            if (rc == CLI_EXIT_OK && !taken)
                rc = parse_valued(a, argc, argv, &i);
        }
        else if (a->file != NULL)
            rc = cli_usage_error("compare", "more than one scenario file", argv[i]);
        else
            a->file = argv[i];
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    if (a->explain) {
        if ((a->household == NULL) == (a->agreement == NULL))
            return cli_usage_error("compare", "--explain needs exactly one of --household and "
                                   "--agreement", NULL);
        if (a->year == NULL)
            return cli_usage_error("compare", "--explain needs --year", NULL);
        if (a->json || a->out || a->format != CLI_FORMAT_DEFAULT)
            return cli_usage_error("compare", "--explain prints text to standard output; "
                                   "--json, --format and -o do not apply", NULL);
        const char *id_text = a->household ? a->household : a->agreement;
        if (cli_parse_id(&a->id, id_text) != 0)
            return cli_usage_error("compare", "not a positive id", id_text);
        if (cli_parse_year(&a->year_value, a->year) != 0)
            return cli_usage_error("compare", "not a year (1900..9999)", a->year);
        return CLI_EXIT_OK;
    }
    if (a->household || a->agreement || a->year)
        return cli_usage_error("compare", "--household, --agreement and --year go with "
                               "--explain", NULL);
    return cli_settle_format("compare", &a->format, a->json, a->out, a->lang);
}

/* ---- the reform ----------------------------------------------------------------------- */

static int fail_set(const char *set, const char *why)
{
    cli_errorf("vipa compare: --set %s: %s\n", set, why);
    return CLI_EXIT_INPUT;
}

static int parse_int(int64_t *out, const char *text)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return -1;
    *out = v;
    return 0;
}

/* KEY=VALUE by the key's type: an integer, true/false, a word, or money in yuan. */
static int apply_set(vipa_ctx *fork, const char *set)
{
    const char *eq = strchr(set, '=');
    char key[128];
    if ((size_t)(eq - set) >= sizeof key)
        return fail_set(set, "unknown parameter");
    memcpy(key, set, (size_t)(eq - set));
    key[eq - set] = '\0';
    const char *value = eq + 1;
    int st;
    int64_t n;
    vipa_fen fen;
    const char *why = NULL;
    switch (vipa_param_type_of(fork, key)) {
    case VIPA_PARAM_INT:
        if (parse_int(&n, value) != 0)
            return fail_set(set, "expected an integer");
        st = vipa_param_set_int(fork, key, n);
        break;
    case VIPA_PARAM_BOOL:
        if (strcmp(value, "true") != 0 && strcmp(value, "false") != 0)
            return fail_set(set, "expected true or false");
        st = vipa_param_set_bool(fork, key, strcmp(value, "true") == 0);
        break;
    case VIPA_PARAM_TEXT:
        st = vipa_param_set_text(fork, key, value);
        break;
    case VIPA_PARAM_FEN:
        if (vipa_fen_parse(&fen, value, &why) != VIPA_OK) {
            cli_errorf("vipa compare: --set %s: %s\n", set, why ? why : "expected money in yuan");
            return CLI_EXIT_INPUT;
        }
        st = vipa_param_set_fen(fork, key, fen);
        break;
    default:
        return fail_set(set, "unknown parameter; expected equity.poor_share_bp, "
                             "equity.allocation, equity.remainder_holder, "
                             "exit.require_guarantees or poverty_line.<year>");
    }
    return st == VIPA_OK ? CLI_EXIT_OK : fail_set(set, vipa_ctx_errmsg(fork));
}

/* The reform file first, then each --set in order (a --set overrides the file). */
static int make_reform(vipa_ctx *fork, const struct compare_args *a)
{
    if (a->reform) {
        char *data = NULL;
        size_t length = 0;
        int rc = cli_read_file(&data, &length, a->reform);
        if (rc != CLI_EXIT_OK)
            return rc;
        const char *err = NULL;
        int st = vipa_reform_load(fork, data, length, &err);
        free(data);
        if (st != VIPA_OK) {
            cli_errorf("vipa compare: %s: %s\n", a->reform, err ? err : vipa_strerror(st));
            return cli_exit_for_status(st);
        }
    }
    for (size_t k = 0; k < a->set_count; k++) {
        int rc = apply_set(fork, a->sets[k]);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    return CLI_EXIT_OK;
}

static int compare(vipa_comparison **out, vipa_ctx *baseline, vipa_ctx *fork, const char *file)
{
    cli_progress p;
    vipa_run_options opts = VIPA_RUN_OPTIONS_INIT;
    cli_progress_begin(&p, &opts);
    int st = vipa_compare(out, baseline, fork, &opts);
    cli_progress_end(&p);
    if (st != VIPA_OK)
        cli_errorf("vipa compare: %s: %s\n", file ? file : "(bundled sample)",
                   vipa_ctx_errmsg(baseline)[0] ? vipa_ctx_errmsg(baseline) : vipa_strerror(st));
    return cli_exit_for_status(st);
}

/* ---- JSON --------------------------------------------------------------------------------- */

static int produce_json(void *state, cli_put_fn put, void *sink)
{
    int st = vipa_comparison_write(state, VIPA_REPORT_PRETTY, put, sink);
    if (st == VIPA_E_IO)
        return CLI_PUT_FAILED;
    if (st != VIPA_OK) {
        fprintf(stderr, "vipa: cannot write the comparison: %s\n", vipa_strerror(st));
        return CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

static int emit_json(const char *path, const vipa_comparison *c)
{
    cli_producer p = {produce_json, (void *)c};
    return path != NULL ? cli_write_output_from(path, &p) : cli_write_stdout_from(&p);
}

/* ---- text ---------------------------------------------------------------------------------- */

static int emit_text(const char *path, const vipa_comparison *c)
{
    char *text = NULL;
    size_t length = 0;
    FILE *f = open_memstream(&text, &length);
    int rc = f == NULL ? -1 : cli_render_comparison(f, c);
    if (f != NULL && fclose(f) != 0)
        rc = -1;
    if (rc != 0) {
        free(text);
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    }
    rc = path != NULL ? cli_write_output(path, text, length) : cli_write_stdout(text, length);
    free(text);
    return rc;
}

/* ---- spreadsheets ----------------------------------------------------------------------------- */

/* The workbook or CSV files of the comparison: the three tables of tables_compare.c. */
static int emit_tables(const vipa_comparison *c, const struct compare_args *a)
{
    json_t *summary = cli_comparison_summary(c);
    if (!summary)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    cli_tables_src src = {NULL, NULL, a->lang != NULL && strcmp(a->lang, "en") == 0,
                          cli_compare_sheets, cli_compare_sheet_count, c, summary};
    const char *out = strcmp(a->out, "-") == 0 ? NULL : a->out;
    int rc = a->format == CLI_FORMAT_XLSX ? cli_export_xlsx(out, &src) : cli_export_csv(a->out, &src);
    json_decref(summary);
    return rc;
}

/* ---- --explain ----------------------------------------------------------------------------- */

static int explain_one(vipa_explanation **x, const vipa_result *r, const struct compare_args *a,
                       vipa_id id, int year, const char *side)
{
    int st = a->household ? vipa_explain_household(x, r, id, year)
                          : vipa_explain_agreement(x, r, id, year);
    if (st == VIPA_OK)
        return CLI_EXIT_OK;
    const char *what = a->household ? "household" : "agreement";
    if (st == VIPA_E_NOT_FOUND)
        fprintf(stderr, "vipa compare: no %s %llu, or no figures for %d in the %s's run\n",
                what, (unsigned long long)id, year, side);
    else
        fprintf(stderr, "vipa compare: %s %llu in %d (%s): %s\n", what, (unsigned long long)id,
                year, side, vipa_strerror(st));
    return cli_exit_for_status(st);
}

static int explain_both(const vipa_comparison *c, const struct compare_args *a)
{
    vipa_id id = a->id;
    int year = a->year_value;
    vipa_explanation *x = NULL, *y = NULL;
    int rc = explain_one(&x, vipa_comparison_result(c, 0), a, id, year, "baseline");
    if (rc == CLI_EXIT_OK)
        rc = explain_one(&y, vipa_comparison_result(c, 1), a, id, year, "reform");
    if (rc == CLI_EXIT_OK) {
        const char *lang = a->lang ? a->lang : cli_default_lang();
        if (strcmp(lang, "zh") == 0)
            printf("%s %llu，%d 年：基线与改革方案逐步对照\n", a->household ? "贫困户" : "协议",
                   (unsigned long long)id, year);
        else
            printf("%s %llu, %d: baseline against reform, step against step\n",
                   a->household ? "household" : "agreement", (unsigned long long)id, year);
        rc = cli_render_explanations(stdout, x, y, lang) == 0 ? cli_finish_stdout()
                                                              : CLI_EXIT_INTERNAL;
    }
    vipa_explanation_free(x);
    vipa_explanation_free(y);
    return rc;
}

/* ---- the command ----------------------------------------------------------------------------- */

static int run_compare(cli_session *s, const struct compare_args *a)
{
    vipa_ctx *fork = NULL;
    vipa_comparison *c = NULL;
    int st = vipa_ctx_fork(&fork, s->ctx);
    if (st != VIPA_OK)
        return fprintf(stderr, "vipa: cannot fork the context: %s\n", vipa_strerror(st)),
               CLI_EXIT_INTERNAL;
    int rc = make_reform(fork, a);
    if (rc == CLI_EXIT_OK)
        rc = compare(&c, s->ctx, fork, a->file);
    if (rc == CLI_EXIT_OK)
        rc = a->explain                        ? explain_both(c, a)
             : a->format == CLI_FORMAT_JSON    ? emit_json(a->out, c)
             : a->format == CLI_FORMAT_TEXT    ? emit_text(a->out, c)
                                               : emit_tables(c, a);
    vipa_comparison_free(c);
    vipa_ctx_free(fork);
    return rc;
}

int cli_cmd_compare(int argc, char **argv)
{
    struct compare_args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(&a, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_session s;
    rc = cli_session_load(&s, a.file);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = run_compare(&s, &a);
    cli_session_close(&s);
    return rc;
}
