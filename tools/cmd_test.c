/* `vipa test FILE...`: scenario files with expectations (docs/scenario.md, "Scenario tests"). */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The verdict on one file: pass, or fail with a reason (malloc'd) and the lines that
 * detail it (every error in the test file, or every difference from the report), or the
 * program ran out of memory (which makes the whole command an internal error). */
enum verdict { PASS, FAIL, NOMEM };

struct outcome {
    enum verdict verdict;
    char *why;
    cli_lines lines;
};

static struct outcome fail(char *why)
{
    struct outcome o = {why == NULL ? NOMEM : FAIL, why, {0}};
    return o;
}

static struct outcome pass(void)
{
    struct outcome o = {PASS, NULL, {0}};
    return o;
}

/* Fails with "N WHAT" (WHAT plural when N is not 1) detailed by @p lines, taken. */
static struct outcome fail_lines(cli_lines *lines, const char *one, const char *many)
{
    if (lines->nomem) {
        cli_lines_free(lines);
        return fail(NULL);
    }
    struct outcome o = fail(cli_strdupf("%zu %s", lines->n, lines->n == 1 ? one : many));
    if (o.verdict == FAIL)
        o.lines = *lines;
    else
        cli_lines_free(lines);
    return o;
}

/* The first step of load and run that fails, with its code; VIPA_OK when both pass.
 * *result is the result on success. */
static int load_and_run(vipa_result **result, vipa_ctx *ctx, const char *data, size_t length,
                        const char **msg)
{
    *result = NULL;
    int st = vipa_scenario_load(ctx, data, length, msg);
    if (st != VIPA_OK)
        return st;
    st = vipa_run(result, ctx, NULL);
    *msg = st == VIPA_OK ? NULL : vipa_ctx_errmsg(ctx);
    return st;
}

/* @p name is a VIPA_E_* name (cli_expect_check() made sure). */
static struct outcome expect_error(vipa_ctx *ctx, const char *data, size_t length,
                                   const json_t *name)
{
    int want = VIPA_OK;
    if (vipa_error_from_name(&want, json_string_value(name)) != VIPA_OK || want == VIPA_OK)
        return fail(cli_strdupf("expect_error: not a VIPA_E_* error name"));
    vipa_result *result = NULL;
    const char *msg = NULL;
    int got = load_and_run(&result, ctx, data, length, &msg);
    vipa_result_free(result);
    if (got == want)
        return pass();
    if (got == VIPA_OK)
        return fail(cli_strdupf("expect_error: expected %s, but the scenario loaded and ran",
                                vipa_error_name(want)));
    return fail(cli_strdupf("expect_error: expected %s, actual %s: %s", vipa_error_name(want),
                            vipa_error_name(got), msg != NULL ? msg : vipa_strerror(got)));
}

/* findings_exact may sit at the top of the file or inside "expect". */
static int findings_exact(const json_t *root, const json_t *expect)
{
    return json_is_true(json_object_get(root, "findings_exact")) ||
           json_is_true(json_object_get(expect, "findings_exact"));
}

static struct outcome compare(const vipa_result *result, const json_t *root, const json_t *expect)
{
    char *text = NULL;
    size_t n = 0;
    int st = vipa_report_json(&text, &n, result, 0);
    if (st != VIPA_OK)
        return st == VIPA_E_NOMEM ? fail(NULL)
                                  : fail(cli_strdupf("report: %s", vipa_strerror(st)));
    json_error_t jerr;
    json_t *report = json_loadb(text, n, 0, &jerr);
    vipa_free(text);
    if (report == NULL)
        return fail(cli_strdupf("the report is not JSON: %s", jerr.text));
    cli_lines diffs = {0};
    int rc = cli_expect_compare(&diffs, expect, report, findings_exact(root, expect));
    json_decref(report);
    if (rc != 0) {
        cli_lines_free(&diffs);
        return fail(NULL);
    }
    if (diffs.n > 0)
        return fail_lines(&diffs, "difference from the report", "differences from the report");
    return pass();
}

/* "expect" is an object (cli_expect_check() made sure). */
static struct outcome expect_report(vipa_ctx *ctx, const char *data, size_t length,
                                    const json_t *root)
{
    const json_t *expect = json_object_get(root, "expect");
    vipa_result *result = NULL;
    const char *msg = NULL;
    int st = load_and_run(&result, ctx, data, length, &msg);
    if (st != VIPA_OK)
        return st == VIPA_E_NOMEM ? fail(NULL)
                                  : fail(cli_strdupf("%s: %s", vipa_error_name(st),
                                                     msg != NULL ? msg : vipa_strerror(st)));
    struct outcome o = compare(result, root, expect);
    vipa_result_free(result);
    return o;
}

static struct outcome judge(const char *data, size_t length)
{
    json_error_t jerr;
    json_t *root = json_loadb(data, length, 0, &jerr);
    if (root == NULL)
        return fail(cli_strdupf("not JSON: line %d, column %d: %s", jerr.line, jerr.column,
                                jerr.text));
    if (!json_is_object(root)) {
        json_decref(root);
        return fail(cli_strdupf("not a scenario: the top level must be an object"));
    }
    /* The test part first: a test file that is wrong, or checks nothing, is not run. */
    cli_lines errors = {0};
    int rc = cli_expect_check(&errors, root);
    if (rc != 0 || errors.n > 0) {
        json_decref(root);
        if (rc != 0) {
            cli_lines_free(&errors);
            return fail(NULL);
        }
        return fail_lines(&errors, "error in the test file", "errors in the test file");
    }
    vipa_ctx *ctx = NULL;
    struct outcome o;
    const json_t *error = json_object_get(root, "expect_error");
    const json_t *expect = json_object_get(root, "expect");
    if (error != NULL && !json_is_null(error) && expect != NULL && !json_is_null(expect)) {
        /* A scenario that must be refused has no report: its "expect" would go unchecked. */
        json_decref(root);
        return fail(cli_strdupf("expect_error and expect together: a refused scenario has no "
                                "report to compare; keep one of them"));
    }
    if (vipa_ctx_new(&ctx, NULL) != VIPA_OK)
        o = fail(NULL);
    else if (error != NULL && !json_is_null(error))
        o = expect_error(ctx, data, length, error);
    else
        o = expect_report(ctx, data, length, root);
    vipa_ctx_free(ctx);
    json_decref(root);
    return o;
}

static struct outcome test_file(const char *path)
{
    char *data = NULL;
    size_t length = 0;
    const char *why = NULL;
    if (cli_read_file_quiet(&data, &length, path, &why) != CLI_EXIT_OK)
        return fail(cli_strdupf("cannot read: %s", why));
    struct outcome o = judge(data, length);
    free(data);
    return o;
}

int cli_cmd_test(int argc, char **argv)
{
    int first = 1;
    if (argc > 1 && strcmp(argv[1], "--") == 0)
        first = 2;
    for (int i = first; i < argc && first == 1; i++)
        if (argv[i][0] == '-' && argv[i][1] != '\0')
            return cli_usage_error("test", "unknown option", argv[i]);
    if (first >= argc)
        return cli_usage_error("test", "missing scenario file", NULL);
    size_t passed = 0, failed = 0;
    int nomem = 0;
    for (int i = first; i < argc; i++) {
        struct outcome o = test_file(argv[i]);
        if (o.verdict == PASS)
            printf("PASS  %s\n", argv[i]);
        else
            printf("FAIL  %s: %s\n", argv[i], o.why != NULL ? o.why : "out of memory");
        /* Under the FAIL line, one line per error or difference, aligned with the name. */
        for (size_t k = 0; k < o.lines.n; k++)
            printf("      %s\n", o.lines.items[k]);
        nomem |= o.verdict == NOMEM;
        passed += o.verdict == PASS;
        failed += o.verdict != PASS;
        free(o.why);
        cli_lines_free(&o.lines);
    }
    printf("%zu passed, %zu failed\n", passed, failed);
    int rc = cli_finish_stdout();
    if (rc != CLI_EXIT_OK || nomem)
        return CLI_EXIT_INTERNAL;
    return failed > 0 ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}
