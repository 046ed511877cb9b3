/* The `vipa` command: declarations shared by its source files (the .c files of tools/).
 * Nothing here is part of the library's API; the program links libvipa like any user. */
#ifndef VIPA_CLI_H
#define VIPA_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <vipa.h>

/* Exit status of the program (docs/vipa.1, EXIT STATUS). */
enum cli_exit {
    CLI_EXIT_OK = 0,       /* done; check: no error finding; test: every file passed */
    CLI_EXIT_FINDINGS = 1, /* check: an error finding; test: a file failed */
    CLI_EXIT_INPUT = 2,    /* bad input or bad usage */
    CLI_EXIT_INTERNAL = 3  /* out of memory, or reading or writing failed */
};

/* ---- the bundled sample (generated from examples/shangluo-sample.json) ----------- */

/* The sample's bytes, NUL-terminated; its length excludes the NUL. */
extern const unsigned char cli_sample_json[];
extern const size_t cli_sample_json_len;

/* The column mapping of `vipa import` (generated from data/import/ tables.csv, columns.csv, words.csv). */
extern const unsigned char cli_import_tables_csv[];
extern const size_t cli_import_tables_csv_len;
extern const unsigned char cli_import_columns_csv[];
extern const size_t cli_import_columns_csv_len;
extern const unsigned char cli_import_words_csv[];
extern const size_t cli_import_words_csv_len;

/* ---- vipa.c: usage errors --------------------------------------------------------- */

/* Prints the one-line usage hint for a command on stderr; returns CLI_EXIT_INPUT. */
int cli_usage_error(const char *command, const char *what, const char *arg);

/* Tells whether argv[i] asks for help (-h or --help). */
int cli_is_help(const char *arg);

/* ---- util.c: files, text, options, output ---------------------------------------- */

/* Reads a whole file ("-" is standard input) into a new NUL-terminated buffer. One
 * larger than VIPA_SCENARIO_MAX_BYTES is refused (CLI_EXIT_INPUT), a regular file by its
 * size, any other input after at most the limit and one byte more (the buffer never
 * grows past limit + 2 bytes). Prints the reason on stderr on failure (escaped, see
 * cli_errorf()); returns a CLI_EXIT_* code. */
int cli_read_file(char **data, size_t *length, const char *path);

/* Like cli_read_file() but quiet: on failure returns the CLI_EXIT_* code with *why set
 * to a static or strerror() text (for `vipa test`, which reports per file). */
int cli_read_file_quiet(char **data, size_t *length, const char *path, const char **why);

/* Writes @p length bytes to the output @p path (-o), by what it is (docs/vipa.1, -o):
 *  - "-": standard output; /dev/stdout, /dev/fd/N, /proc/self/fd/N: that descriptor;
 *  - a symbolic link: what it points to, followed link by link (the link stays);
 *  - a regular file or a new name: whole or not at all, through a temporary file
 *    ".NAME.vipa-tmp.XXXXXX" beside it (removed on SIGHUP, SIGINT and SIGTERM during the
 *    write), synced, then renamed over it; a replaced file keeps its mode (and owner,
 *    when allowed), a new one gets the umask's;
 *  - a character device or a FIFO: written in place;
 *  - anything else (a directory, a socket, a block device): refused, CLI_EXIT_INPUT.
 * Prints the reason on stderr on failure; returns a CLI_EXIT_* code. */
int cli_write_output(const char *path, const char *data, size_t length);

/* Writes @p length bytes to standard output and flushes it; on failure says so on
 * stderr and returns CLI_EXIT_INTERNAL. */
int cli_write_stdout(const char *data, size_t length);

/* An output written as it is produced rather than from one buffer (the report JSON of
 * `vipa run --json`, whose size has no bound): produce(state, put, sink) gives every byte
 * in order through put(sink, bytes, length), which returns 0, or -1 when the destination
 * refused them (the error is kept by the sink). produce returns CLI_EXIT_OK, or
 * CLI_PUT_FAILED once a put failed (the output functions then tell the destination's
 * error), or another CLI_EXIT_* code after printing its own message. put has the shape
 * of vipa_write_fn, so a producer may hand it to vipa_report_write() as it is. */
#define CLI_PUT_FAILED (-1)
typedef int (*cli_put_fn)(void *sink, const char *bytes, size_t length);
typedef struct cli_producer {
    int (*produce)(void *state, cli_put_fn put, void *sink);
    void *state;
} cli_producer;

/* cli_write_output() and cli_write_stdout() with the bytes of a producer, with every
 * guarantee of theirs: a regular file or a new name is written through the temporary
 * file, renamed over it only when the producer and every write succeeded (on a failure
 * of either, the temporary file is removed and OUT stays as it was). */
int cli_write_output_from(const char *path, const cli_producer *p);

/* cli_write_output() for a library that writes a file by its path (SQLite): write(state,
 * path) fills the new, empty file at path and returns a CLI_EXIT_* code (its own message
 * printed). A regular file or a new name gets the temporary file beside it, renamed over
 * it; a device, a FIFO or standard output gets the bytes of a scratch file of $TMPDIR,
 * removed after. */
typedef int (*cli_path_writer)(void *state, const char *path);
int cli_write_output_file(const char *path, cli_path_writer write, void *state);
int cli_write_stdout_from(const cli_producer *p);
/* The directory an output of several files goes into (-o DIR): one there (or a link to one)
 * is used, a missing one made (its parent must exist); anything else refused, the message
 * ending with @p hint (what the option writes). *@p made says whether it was made here, so
 * that a failed output can take it back. Returns a CLI_EXIT_* code, the reason on stderr. */
int cli_output_dir(const char *dir, const char *hint, int *made);

/* A malloc'd printf; NULL when out of memory. */
char *cli_strdupf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Flushes standard output; on failure says so on stderr and returns CLI_EXIT_INTERNAL. */
int cli_finish_stdout(void);

/* Parses a positive decimal id; returns 0 on success, -1 otherwise. */
int cli_parse_id(vipa_id *out, const char *text);

/* 1 if @p n is a year the library takes (the year of a valid date, 1900..9999). */
int cli_is_year(long long n);

/* Parses a year written as four digits (cli_is_year()); returns 0 on success, -1
 * otherwise. */
int cli_parse_year(int *out, const char *text);

/* Matches option @p name at argv[*i], in the forms "NAME VALUE" and "NAME=VALUE".
 * Returns 1 and stores the value (advancing *i past it), 0 when argv[*i] is another
 * argument, -1 when the value is missing. */
int cli_opt_value(const char **value, int argc, char **argv, int *i, const char *name);

/* Reads the arguments of a command that runs one scenario into one output: [FILE]
 * [-o OUT | --output OUT], and --json when @p json is not NULL (it is then set to 1).
 * *file and *out keep their values when not given (NULL: the bundled sample, standard
 * output). A usage error is printed under @p command's name; returns a CLI_EXIT_* code. */
int cli_parse_output_args(const char *command, int argc, char **argv, const char **file,
                          const char **out, int *json);

/* The output formats of `run` and `compare` (--format, --json, a -o name in .xlsx). */
enum cli_format { CLI_FORMAT_DEFAULT, CLI_FORMAT_TEXT, CLI_FORMAT_JSON, CLI_FORMAT_XLSX, CLI_FORMAT_CSV,
                  CLI_FORMAT_SQLITE };

/* Takes --format WORD or --lang zh|en at argv[*i] (*taken 1, *i past the value) or leaves
 * it (*taken 0); a bad value is a usage error under @p command. Returns a CLI_EXIT_* code. */
int cli_parse_format_option(const char *command, enum cli_format *format, const char **lang,
                            int argc, char **argv, int *i, int *taken);

/* Picks the format: --format, else --json, else an @p out name ending in .xlsx, else
 * text; and checks that -o and --lang go with it (csv needs -o DIR, xlsx -o FILE, --lang
 * only the spreadsheets). Returns a CLI_EXIT_* code. */
int cli_settle_format(const char *command, enum cli_format *format, int json, const char *out,
                      const char *lang);

/* The language of text output when no --lang is given: "zh" when the locale (LC_ALL, else
 * LC_MESSAGES, else LANG, the first set) starts with "zh", else "en". */
const char *cli_default_lang(void);

/* Takes --lang zh|en at argv[*i] into *lang (*i past the value): CLI_EXIT_OK, a usage
 * error's code, or -1 when argv[*i] is not --lang. */
int cli_parse_lang_option(const char *command, const char **lang, int argc, char **argv, int *i);

/* The CLI_EXIT_* code for a library status: out of memory and I/O are internal. */
int cli_exit_for_status(int status);

/* ---- width.c: display width ------------------------------------------------------- */

/* Columns a UTF-8 string takes on a terminal: East Asian wide characters count 2,
 * combining marks 0; no locale is consulted, so output is the same everywhere. */
size_t cli_display_width(const char *text);

/* ---- escape.c: text for a terminal -------------------------------------------------- */

/* A malloc'd copy of @p text with control characters shown escaped: C0 controls and
 * DEL as \xHH (the newline kept when @p keep_newlines), C1 controls (U+0080..U+009F) as
 * \u00HH, bytes that are not UTF-8 as \xHH; NULL when out of memory. */
char *cli_escape(const char *text, int keep_newlines);

/* Writes @p text to @p out escaped as cli_escape() does, without allocating. */
void cli_fputs_escaped(const char *text, int keep_newlines, FILE *out);

/* Prints a message on stderr, escaped as cli_escape() does (a final newline of @p fmt
 * stays one): every message that may quote a file name or the scenario goes this way. */
void cli_errorf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* ---- table.c: aligned text tables ------------------------------------------------- */

/* A table of text cells, copied in escaped (cli_escape()). Errors are sticky: after an allocation failure
 * further rows are ignored and cli_table_print() reports it, so callers check once. */
typedef struct cli_table {
    size_t ncols;
    const char *const *heads; /* ncols headings, borrowed (static text); NULL for none */
    const char *align;        /* ncols of 'l' or 'r', borrowed */
    char **cells;             /* nrows * ncols owned strings */
    size_t nrows;
    size_t cap;
    int failed;
} cli_table;

void cli_table_init(cli_table *t, size_t ncols, const char *const *heads, const char *align);
void cli_table_add(cli_table *t, const char *const *cells);
/* Prints the table after @p indent; returns 0, or -1 after an allocation failure. */
int cli_table_print(const cli_table *t, FILE *out, const char *indent);
void cli_table_free(cli_table *t);

/* ---- session.c: a loaded and run scenario ------------------------------------------ */

typedef struct cli_session {
    vipa_ctx *ctx;
    vipa_result *result;
} cli_session;

/* Loads @p path (NULL: the bundled sample) into a new context and runs it, showing
 * progress on stderr when it is a terminal. Prints the library's message on failure;
 * returns a CLI_EXIT_* code. */
int cli_session_open(cli_session *s, const char *path);
/* Like cli_session_open() for a scenario already in memory (@p data, @p length bytes,
 * borrowed for the call); @p path (NULL: the bundled sample) only names it in messages. */
int cli_session_open_bytes(cli_session *s, const char *data, size_t length, const char *path);
void cli_session_close(cli_session *s);
/* Like cli_session_open() but only loads: s->result stays NULL (`vipa compare` runs the
 * context itself, beside a fork of it). */
int cli_session_load(cli_session *s, const char *path);

/* The progress line of a run on stderr when it is a terminal (nothing otherwise):
 * cli_progress_begin() sets @p opts' progress callback to draw it; cli_progress_end()
 * blanks it. Lives on the caller's stack. */
typedef struct cli_progress {
    struct timespec last; /* when the line was last drawn (or the run started) */
    size_t drawn;         /* columns on the line now, to blank them at the end */
} cli_progress;
void cli_progress_begin(cli_progress *p, vipa_run_options *opts);
void cli_progress_end(const cli_progress *p);

/* The households of year index @p y that meet the exit standard. */
size_t cli_count_meeting(const vipa_result *r, size_t y);

/* The evaluations of year index @p y (of every year when @p y is SIZE_MAX) counted by
 * outcome, COMPLIANT..TERMINATED; n[VIPA_OUTCOME_NONE] stays 0. */
void cli_count_outcomes(size_t n[VIPA_OUTCOME_TERMINATED + 1], const vipa_result *r, size_t y);

/* ---- names.c: names from the scenario ------------------------------------------------ */

/* Names the scenario gives its areas and entities, and each household's village (the
 * library's result carries ids and codes only); every list sorted by its code or id.
 * Strings are owned by the lists. */
typedef struct report_area {
    uint64_t code;
    char *name;
} report_area;

typedef struct report_entity {
    uint64_t id;
    char *name;
    char *kind;     /* "enterprise", ...; NULL when absent */
    uint64_t core;  /* core village code, 0 when absent */
    char *industry; /* NULL when absent */
} report_entity;

typedef struct report_household {
    uint64_t id;
    uint64_t village; /* its village's code */
} report_household;

/* A linkage's agreement, an agreement's entity, and each (household, agreement) pair of
 * an agreement's list of households (sorted by household, then agreement): the county
 * report groups money owed and findings by agreement (docs/report.md). */
typedef struct report_linkage {
    uint64_t id;
    uint64_t agreement;
} report_linkage;

typedef struct report_agreement {
    uint64_t id;
    uint64_t entity;
} report_agreement;

typedef struct report_listing {
    uint64_t household;
    uint64_t agreement;
} report_listing;

typedef struct report_names {
    report_area *areas;
    size_t narea, area_cap;
    report_entity *entities;
    size_t nentity, entity_cap;
    report_household *households; /* only from report_names_read_stream() */
    size_t nhousehold, household_cap;
    /* The three below: only from report_names_read_stream() and cli_db_read_names(). */
    report_linkage *linkages;
    size_t nlinkage, linkage_cap;
    report_agreement *agreements;
    size_t nagreement, agreement_cap;
    report_listing *listings;
    size_t nlisting, listing_cap;
} report_names;

/* Reads the areas' and entities' names out of the scenario text (one JSON object,
 * already accepted by the library); a text it cannot read simply gives no names.
 * Returns 0, or -1 when out of memory. */
int report_names_read(report_names *names, const char *data, size_t length);
/* Like report_names_read(), also the households' villages, the linkages' agreements and the
 * agreements' entities and households, from a stream holding the scenario in either form
 * (one object, or JSON Lines read a line at a time). */
int report_names_read_stream(report_names *names, FILE *f);
void report_names_free(report_names *names);
/* The records a reader found, one at a time (0 for an id or code means absent: the record is
 * skipped; NULL texts stay NULL); texts are copied. Each returns 0, or -1 when out of
 * memory. report_names_sort() once all are added. */
int report_names_add_area(report_names *names, uint64_t code, const char *name);
int report_names_add_entity(report_names *names, uint64_t id, uint64_t core, const char *name,
                            const char *kind, const char *industry);
int report_names_add_household(report_names *names, uint64_t id, uint64_t village);
int report_names_add_linkage(report_names *names, uint64_t id, uint64_t agreement);
int report_names_add_agreement(report_names *names, uint64_t id, uint64_t entity);
int report_names_add_listing(report_names *names, uint64_t household, uint64_t agreement);

/* The name of area @p code, of entity @p id (NULL when the scenario gives none); the
 * village of household @p id (0 when unknown). */
const char *report_area_name(const report_names *names, uint64_t code);
const report_entity *report_entity_find(const report_names *names, uint64_t id);
uint64_t report_household_village(const report_names *names, uint64_t id);
/* The agreement of linkage @p id (0 when unknown); agreement @p id (NULL when unknown); the
 * agreements listing household @p id: *first and *n over names->listings. */
uint64_t report_linkage_agreement(const report_names *names, uint64_t id);
const report_agreement *report_agreement_find(const report_names *names, uint64_t id);
void report_household_agreements(const report_names *names, uint64_t id, size_t *first, size_t *n);
/* Sorts the lists for the lookups above (the readers do it). */
void report_names_sort(report_names *names);

/* Loads and runs @p file as `vipa run` does (NULL: the sample; a regular file in place, a
 * database by cursors, a directory of tables imported, anything else read whole) and reads
 * its names (report_names_read_stream(), cli_db_read_names()). Returns a CLI_EXIT_* code. */
int cli_session_open_named(cli_session *s, report_names *names, const char *file);

/* ---- tables.c: the report as tables of typed cells (xlsx and csv out) ---------------- */

/* One cell: a number (an id, a year, a count), money in fen, a date, or text. */
typedef enum cli_cell_kind {
    CLI_CELL_EMPTY = 0,
    CLI_CELL_NUMBER,
    CLI_CELL_MONEY,
    CLI_CELL_DATE,
    CLI_CELL_TEXT,
    CLI_CELL_INTEGER /* a signed count (a difference), in fen's place */
} cli_cell_kind;

typedef struct cli_cell {
    cli_cell_kind kind;
    uint64_t number;  /* CLI_CELL_NUMBER */
    vipa_fen fen;     /* CLI_CELL_MONEY */
    vipa_date date;   /* CLI_CELL_DATE */
    const char *text; /* CLI_CELL_TEXT: borrowed for the call of the row function */
} cli_cell;

/* What the tables are made from; @p en picks the English words (yes/no, list
 * separators) that go with the English headings. */
typedef struct cli_tables_src {
    const vipa_result *result;
    const report_names *names;
    int en;
    /* The tables to write: NULL for the report's (cli_sheets); `vipa compare` gives
     * cli_compare_sheets, its comparison and that comparison's summary
     * (cli_comparison_summary()). */
    const struct cli_sheet *sheets;
    size_t sheet_count;
    const vipa_comparison *comparison;
    const void *summary;
} cli_tables_src;

/* Takes one row of ncols cells; returns 0, or -1 to stop (its error kept by the sink). */
typedef int (*cli_row_fn)(void *sink, const cli_cell *cells);

typedef struct cli_column {
    const char *zh; /* heading in Chinese (the default) */
    const char *en; /* heading in English (--lang en) */
} cli_column;

/* A table of the report: its sheet names, its CSV file name, its columns, and the
 * function that gives its rows in the report's order. rows() returns 0, or -1 when the
 * row function stopped it or memory ran out (then *nomem is set). */
typedef struct cli_sheet {
    const char *zh;   /* sheet name (at most 31 characters, as Excel allows) */
    const char *en;
    const char *file; /* CSV file name, ASCII */
    size_t ncols;
    const cli_column *cols;
    int (*rows)(const cli_tables_src *src, cli_row_fn row, void *sink, int *nomem);
} cli_sheet;

extern const cli_sheet cli_sheets[];
extern const size_t cli_sheet_count;

/* ---- tables_compare.c: `vipa compare --format xlsx|csv` --------------------------------- */

/* The comparison as tables: the parameters changed, the totals, and one row per value
 * that differs (参数变化, 合计, 差异), made from the comparison JSON (src->comparison). */
extern const cli_sheet cli_compare_sheets[];
extern const size_t cli_compare_sheet_count;

/* ---- export.c: `vipa run --format xlsx|csv` --------------------------------------------- */

/* Writes the tables as one workbook to @p path (as cli_write_output() does; NULL:
 * standard output), or as one CSV file per table into the directory @p dir (made when
 * missing). Print the reason on failure; return a CLI_EXIT_* code. */
int cli_export_xlsx(const char *path, const cli_tables_src *src);
int cli_export_csv(const char *dir, const cli_tables_src *src);

/* ---- db_load.c, db_results.c: SQLite databases in and out (docs/database.md) -------- */

/* The DDL of the input and of the results database (docs/database.sql, docs/results.sql),
 * NUL-terminated; the lengths exclude the NUL. */
extern const unsigned char cli_database_sql[];
extern const size_t cli_database_sql_len;
extern const unsigned char cli_results_sql[];
extern const size_t cli_results_sql_len;

/* 1 when the file at @p path begins with SQLite's 16-byte header, else 0. */
int cli_db_is_sqlite(const char *path);

/* Loads the scenario of the SQLite database at @p path into @p ctx, a fresh context,
 * through cursors; prints the reason on failure; returns a CLI_EXIT_* code. */
int cli_db_load(vipa_ctx *ctx, const char *path);

/* Reads the names of the database's areas and entities, its households' villages, its
 * linkages' agreements and its agreements' entities and households (for the tables of
 * `--format xlsx|csv` and the report); a database it cannot read gives no names.
 * Returns 0, or -1 when out of memory. */
int cli_db_read_names(report_names *names, const char *path);

/* Writes the report's tables into a new SQLite database at @p path (-o, as
 * cli_write_output_file() does), in one transaction; returns a CLI_EXIT_* code. */
int cli_export_sqlite(const char *path, const vipa_result *result);

/* ---- render.c: readable text ---------------------------------------------------- */

/* The whole report as text tables; returns 0, or -1 when out of memory. */
/* The run's tables; its findings in @p lang ("zh" or "en"; the other tables' headings are
 * English with their Chinese terms). */
int cli_render_report(FILE *out, const cli_session *s, const char *lang);

/* The findings grouped by severity; returns 0, or -1 when out of memory. */
int cli_render_findings(FILE *out, const vipa_findings *findings);
/* The same in a language: "zh" gives Chinese headings, severities and messages. */
int cli_render_findings_lang(FILE *out, const vipa_findings *findings, const char *lang);

/* The catalogue of rules; returns 0, or -1 when out of memory. */
int cli_render_rules(FILE *out);

/* ---- render_compare.c: a comparison as text ------------------------------------------- */

/* A comparison as text: parameters changed, totals, each changed row by its key with
 * what changed in it; returns 0, or -1 when out of memory. Its memory is the summary and
 * one change at a time, whatever the number of changes. */
int cli_render_comparison(FILE *out, const vipa_comparison *c);

/* The comparison's summary (VIPA_COMPARISON_SUMMARY: parameters and totals), parsed: a
 * jansson json_t * the caller frees with json_decref(); NULL when out of memory. */
struct json_t *cli_comparison_summary(const vipa_comparison *c);

/* Calls fn for every change in the order of the comparison JSON (the top tables, each
 * year's tables, the findings) with the name of its list, its year (0: none) and the
 * pair [baseline, reform] parsed (a json_t *, borrowed for the call); @p summary is that
 * of cli_comparison_summary(), for the years. fn returns 0, or -1 to stop. Returns 0,
 * or -1 when fn stopped or memory ran out. */
typedef int (*cli_change_fn)(void *state, const char *list, int year, const void *pair);
int cli_comparison_each_change(const vipa_comparison *c, const void *summary, cli_change_fn fn,
                               void *state);

/* A comparison's row by its key, "injection 1, holder household 1001" (@p table as the
 * comparison JSON names its list; @p row a json_t *); malloc'd, NULL when out of memory. */
char *cli_comparison_row_name(const char *table, const void *row);

/* Whether @p field names the row in @p table (a key, not a value that can change). */
int cli_comparison_is_key(const char *table, const char *field);

/* A JSON value as a reader writes it (strings bare, null as "-", {"household": 1} as
 * "household 1"); malloc'd, NULL when out of memory. */
char *cli_json_value_text(const void *value);

/* Two explanations of one year, step against step, each step in @p lang ("zh" or "en"):
 * "=" the same, "-" baseline only, "+" reform only; returns 0, or -1 when out of memory. */
int cli_render_explanations(FILE *out, const vipa_explanation *a, const vipa_explanation *b,
                            const char *lang);

/* ---- expect.c: `vipa test` checks and comparisons ---------------------------------- */

/* A growing list of malloc'd lines (errors, differences); {0} is an empty list. */
typedef struct cli_lines {
    char **items;
    size_t n;
    size_t cap;
    int nomem; /* a line was lost to an allocation failure */
} cli_lines;

/* Appends @p line, taking it; NULL (an allocation that failed) sets nomem. */
void cli_lines_add(cli_lines *l, char *line);
void cli_lines_free(cli_lines *l);

/* Checks the test part of a scenario file (@p root, a jansson object): "expect_error",
 * "findings_exact", and "expect" against the report's keys and JSON types; a test must
 * check something. Appends one line per error in the test file to @p errors; returns 0,
 * or -1 when out of memory. */
int cli_expect_check(cli_lines *errors, const void *root);

/* Compares a partial report (@p expect, a jansson json_t *, already checked) with the
 * computed one. Appends one line per difference to @p diffs, each naming it by its JSON
 * path (none: every value given matches); returns 0, or -1 when out of memory. */
int cli_expect_compare(cli_lines *diffs, const void *expect, const void *report,
                       int findings_exact);

/* ---- import.c: tables in (docs/import.md) -------------------------------------------- */

/* Imports @p npaths directories (their .csv files) or CSV files into one scenario JSON
 * text (*json, malloc'd, *length bytes), checked by loading it into @p into (a context
 * the caller then runs; all or nothing) or, when NULL, into a scratch context. Every
 * error goes to stderr as file, row, column and what was expected, the loader's mapped
 * back to the cell; then nothing is returned. Returns a CLI_EXIT_* code. */
int cli_import(char **json, size_t *length, char *const *paths, size_t npaths, vipa_ctx *into);

/* 1 when @p path is a directory (a set of tables to import). */
int cli_is_directory(const char *path);

/* ---- commands ------------------------------------------------------------------- */

int cli_cmd_run(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);
int cli_cmd_explain(int argc, char **argv);
int cli_cmd_compare(int argc, char **argv);
int cli_cmd_test(int argc, char **argv);
int cli_cmd_report(int argc, char **argv);
int cli_cmd_import(int argc, char **argv);

#endif /* VIPA_CLI_H */
