/* vipa: the command-line face of libvipa. Runs scenario files of the Shangluo
 * village-domain industry poverty-alleviation plan (商政办发〔2016〕98号), checks them,
 * explains their numbers and runs scenario tests. docs/vipa.1 is its manual.
 *
 * This file holds main(), the command table with every help text, and the commands
 * that need no scenario (rules, sample, version); the others live in cmd_*.c. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef VIPA_TOOL_VERSION
#define VIPA_TOOL_VERSION VIPA_VERSION_STRING
#endif

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis; /* after "vipa " */
    const char *help;     /* what follows the synopsis in `vipa CMD --help` */
};

static int cmd_rules(int argc, char **argv);
static int cmd_sample(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_schema(int argc, char **argv);

static const struct command commands[] = {
    {"run", cli_cmd_run,
     "run [FILE] [--json | --format text|json|xlsx|csv|sqlite] [--lang zh|en] [-o OUT]",
     "Load a scenario and run its year: evaluations, coverage, dividends, disclosure,\n"
     "entity status and findings. With no FILE, the bundled sample (see `vipa sample`);\n"
     "FILE - reads standard input. A FILE that is a SQLite database (of `vipa schema`)\n"
     "is read table by table, as every command reads it.\n"
     "\n"
     "  --json           print the report JSON (the contract's shape) instead of tables\n"
     "  --format FORMAT  text (the default: text tables), json (as --json), xlsx (one\n"
     "                   Excel workbook, a sheet per table of the report; needs -o, - for\n"
     "                   standard output), csv (one UTF-8 CSV file per table, with a BOM,\n"
     "                   into the directory -o names, made when missing). -o NAME.xlsx\n"
     "                   alone picks xlsx. The sheets, files and columns: man vipa;\n"
     "                   sqlite (the report's tables in a new SQLite database, money in\n"
     "                   fen: `vipa schema --results`; needs -o), picked by -o NAME.db\n"
     "  --lang zh|en     Chinese or English: the text tables and their findings (default from\n"
     "                   the locale: LC_ALL, LC_MESSAGES, LANG starting with zh), and the\n"
     "                   headings, yes/no and messages of xlsx and csv (default zh)\n"
     "  -o, --output OUT write to OUT: a file whole or not at all (a temporary file renamed\n"
     "                   over it, keeping its mode; a symlink's target), a device or FIFO\n"
     "                   in place; - is standard output\n"
     "  -h, --help       show this help\n"},
    {"check", cli_cmd_check, "check FILE [--lang zh|en]",
     "Load and run a scenario and print its findings, grouped by severity.\n"
     "Exit status 0 when no finding has severity error, 1 when some has, 2 on bad input.\n"
     "\n"
     "  --lang zh|en     Chinese or English (default from the locale: LC_ALL, LC_MESSAGES,\n"
     "                   LANG starting with zh gives Chinese)\n"},
    {"explain", cli_cmd_explain,
     "explain FILE (--household ID | --agreement ID) --year Y [--lang zh|en] [--json]",
     "Print every number behind a household's or an agreement's year, with the rule\n"
     "and clause each comes from.\n"
     "\n"
     "  --household ID   explain this household: dues, payments, income, line, exit standard\n"
     "  --agreement ID   explain this agreement: each evaluation, every check, the outcome\n"
     "  --year Y         the year (1900..9999)\n"
     "  --lang zh|en     Chinese or English (default from the locale, as check)\n"
     "  --json           the steps as JSON: kind, rule, clause, amount, date, text, passed\n"},
    {"compare", cli_cmd_compare,
     "compare [FILE] [--reform R.json] [--set KEY=VALUE]... [--json | --format F] [-o OUT]\n"
     "       vipa compare FILE [--reform R.json] [--set KEY=VALUE]... --explain\n"
     "                    (--household ID | --agreement ID) --year Y",
     "Run a scenario under its own parameters (the baseline) and under a reform: the same\n"
     "records with parameters changed. Prints the parameters changed, totals (equity by\n"
     "holder, income, exits, dues, outcomes per year) and every row of the report that\n"
     "differs, by its key; a scenario compared with itself shows no row. With no FILE, the\n"
     "bundled sample.\n"
     "\n"
     "  --reform R.json  the reform's parameters from a file ({\"vipa\": 1, \"params\": {...}})\n"
     "  --set KEY=VALUE  set one parameter (after --reform): equity.poor_share_bp=8000,\n"
     "                   equity.allocation=per_member, equity.remainder_holder=entity,\n"
     "                   exit.require_guarantees=false, poverty_line.2017=3000.00\n"
     "  --json           print the comparison JSON (the contract's shape)\n"
     "  --format F       text, json, xlsx (one workbook: 参数变化, 合计, 差异; implied by\n"
     "                   -o NAME.xlsx) or csv (params.csv, totals.csv, differences.csv\n"
     "                   into -o DIR)\n"
     "  --lang zh|en     the spreadsheets' headings (default zh)\n"
     "  -o, --output OUT write to OUT, as `vipa run -o` does\n"
     "  --explain        explain one year under both, step against step\n"
     "  --household ID, --agreement ID, --year Y   what --explain explains\n"
     "  -h, --help       show this help\n"},
    {"test", cli_cmd_test, "test FILE...",
     "Run scenario tests. A file with \"expect_error\": \"VIPA_E_...\" must be rejected with\n"
     "that code; otherwise its \"expect\" (a partial report) must match the computed report:\n"
     "values exactly, lists by their ids, listed findings present (\"findings_exact\": true\n"
     "forbids others). Prints PASS or FAIL per file and \"N passed, M failed\";\n"
     "exit status 0 only when none failed.\n"},
    {"report", cli_cmd_report,
     "report [FILE] [-o OUT | -o DIR/] [--lang zh|en] [--unit TEXT] [--printed DATE]",
     "Load a scenario, run its year and write the county report (docs/report.md) as one\n"
     "self-contained HTML page (UTF-8, inline CSS and SVG, no scripts, nothing loaded from\n"
     "elsewhere): rollups by county, town and village, trends over the years, what needs\n"
     "action first (errors by entity and agreement, the most money owed first), the\n"
     "evaluations, disclosure and notices, and per village the households still to lift;\n"
     "an A4 print style sheet with the header and page numbers on every page. With no\n"
     "FILE, the bundled sample; FILE - reads standard input.\n"
     "\n"
     "  -o, --output OUT write the page to OUT, as `vipa run -o` does (a file whole or\n"
     "                   not at all, a device or FIFO in place); without it, or with -,\n"
     "                   the page goes to standard output\n"
     "  -o DIR/          (OUT ending in / or an existing directory) linked pages instead:\n"
     "                   index.html, county-CODE.html, town-CODE.html (continued on\n"
     "                   town-CODE-2.html ... past the page size), action-other.html;\n"
     "                   every error and notice on one page: an entity's on its town's;\n"
     "                   each written as it is rendered; a missing DIR is made\n"
     "  --lang zh|en     the page's language (default zh, whatever the locale)\n"
     "  --unit TEXT      the issuing unit, shown in the frame and each printed page's header\n"
     "  --printed DATE   the date of printing (YYYY-MM-DD) in the frame; none by default,\n"
     "                   so that the same data give the same bytes\n"
     "  --page-size N    the bound of a linked page in bytes (default 2000000; 16384 at least)\n"
     "  -h, --help       show this help\n"},
    {"import", cli_cmd_import, "import DIR | FILE.csv... [-o OUT]",
     "Turn tables into a scenario: a directory of CSV files, one per record kind\n"
     "(households.csv or 贫困户.csv, areas.csv, agreements.csv, ... and profile.csv), or\n"
     "the files themselves. Headings in English (the scenario's field names) or Chinese\n"
     "(户编号, 人口, 劳动力, 致贫原因 by name or code 01-11, ...); UTF-8 CSV, with or without\n"
     "a BOM. Every bad cell is reported as file, row, column and what was expected, and\n"
     "then nothing is written (exit status 2). The scenario is checked by loading it.\n"
     "`vipa run DIR`, `vipa check DIR` (and report, explain, compare) import a directory\n"
     "themselves. For an .xlsx workbook: python3 -m vipa import BOOK.xlsx. The tables,\n"
     "columns, words and codes: docs/import.md, man vipa.\n"
     "\n"
     "  -o, --output OUT write the scenario JSON to OUT, as `vipa run -o` does (a file\n"
     "                   whole or not at all); without it, or with -, to standard output\n"
     "  -h, --help       show this help\n"},
    {"schema", cmd_schema, "schema [--results]",
     "Print the DDL (CREATE TABLE ...) of the SQLite database `vipa run FILE.db` reads:\n"
     "a table per record kind, money as INTEGER fen, dates as TEXT 'YYYY-MM-DD', area\n"
     "codes as TEXT of 12 digits (docs/database.md). `vipa schema | sqlite3 FILE.db`\n"
     "makes an empty one.\n"
     "\n"
     "  --results        the DDL of the database `vipa run -o FILE.db` writes instead\n"},
    {"rules", cmd_rules, "rules",
     "Print the rule catalogue: ID, clause of the plan, severity, summary in Chinese and\n"
     "English.\n"},
    {"sample", cmd_sample, "sample",
     "Print the bundled sample scenario (JSON); `vipa run` with no FILE runs it.\n"},
    {"version", cmd_version, "version", "Print the program's and the loaded library's versions.\n"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

int cli_is_help(const char *arg)
{
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_usage_error(const char *command, const char *what, const char *arg)
{
    if (arg != NULL)
        cli_errorf("vipa %s: %s: '%s' (see 'vipa %s --help')\n", command, what, arg, command);
    else
        fprintf(stderr, "vipa %s: %s (see 'vipa %s --help')\n", command, what, command);
    return CLI_EXIT_INPUT;
}

static void program_help(FILE *out)
{
    fputs("Usage: vipa COMMAND [ARGS]\n"
          "\n"
          "Runs and checks scenarios of the Shangluo 2016 village-domain industry\n"
          "poverty-alleviation plan (商洛市村域产业精准扶贫实施方案) with libvipa.\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  vipa %s\n", commands[i].synopsis);
    fputs("\n"
          "`vipa COMMAND --help` describes a command; `man vipa` describes them all.\n"
          "Exit status: 0 ok, 1 error findings or failed tests, 2 bad input or usage,\n"
          "3 internal error (out of memory, I/O).\n",
          out);
}

static int command_help(const struct command *c)
{
    printf("Usage: vipa %s\n\n%s", c->synopsis, c->help);
    return cli_finish_stdout();
}

/* A command that takes no arguments at all. */
static int no_arguments(const char *command, int argc, char **argv)
{
    if (argc > 1)
        return cli_usage_error(command, "unexpected argument", argv[1]);
    return CLI_EXIT_OK;
}

static int cmd_rules(int argc, char **argv)
{
    int rc = no_arguments("rules", argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (cli_render_rules(stdout) != 0)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    return cli_finish_stdout();
}

static int cmd_sample(int argc, char **argv)
{
    int rc = no_arguments("sample", argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    fwrite(cli_sample_json, 1, cli_sample_json_len, stdout);
    return cli_finish_stdout();
}

static int cmd_version(int argc, char **argv)
{
    int rc = no_arguments("version", argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc;
    printf("vipa %s (libvipa %s)\n", VIPA_TOOL_VERSION, vipa_version_string());
    return cli_finish_stdout();
}

static int cmd_schema(int argc, char **argv)
{
    int results = argc == 2 && strcmp(argv[1], "--results") == 0;
    if (argc > 1 && !results)
        return cli_usage_error("schema", "unexpected argument", argv[1]);
    if (results)
        fwrite(cli_results_sql, 1, cli_results_sql_len, stdout);
    else
        fwrite(cli_database_sql, 1, cli_database_sql_len, stdout);
    return cli_finish_stdout();
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* --help anywhere among a command's options (before "--") asks for its help. */
static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (cli_is_help(argv[i]))
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "vipa: missing command (see 'vipa --help')\n");
        return CLI_EXIT_INPUT;
    }
    if (cli_is_help(argv[1])) {
        program_help(stdout);
        return cli_finish_stdout();
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(1, argv + 1);
    const struct command *c = find_command(argv[1]);
    if (c == NULL) {
        cli_errorf("vipa: unknown command '%s' (see 'vipa --help')\n", argv[1]);
        return CLI_EXIT_INPUT;
    }
    if (wants_help(argc - 1, argv + 1))
        return command_help(c);
    return c->run(argc - 1, argv + 1);
}
