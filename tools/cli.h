/* The `vipa` command: declarations shared by its source files (the .c files of tools/).
 * Nothing here is part of the library's API; the program links libvipa like any user. */
#ifndef VIPA_CLI_H
#define VIPA_CLI_H

#include <stddef.h>
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
int cli_write_stdout_from(const cli_producer *p);

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

/* ---- render.c: readable text ---------------------------------------------------- */

/* The whole report as text tables; returns 0, or -1 when out of memory. */
int cli_render_report(FILE *out, const cli_session *s);

/* The findings grouped by severity; returns 0, or -1 when out of memory. */
int cli_render_findings(FILE *out, const vipa_findings *findings);

/* The catalogue of rules; returns 0, or -1 when out of memory. */
int cli_render_rules(FILE *out);

/* ---- render_compare.c: a comparison as text ------------------------------------------- */

/* The comparison JSON @p json (vipa_comparison_json()) as text: parameters changed,
 * totals, each changed row; returns 0, or -1 when out of memory or not that JSON. */
int cli_render_comparison(FILE *out, const char *json);

/* Two explanations of one year, step against step: "=" the same, "-" baseline only,
 * "+" reform only; returns 0, or -1 when out of memory. */
int cli_render_explanations(FILE *out, const vipa_explanation *a, const vipa_explanation *b);

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

/* ---- commands ------------------------------------------------------------------- */

int cli_cmd_run(int argc, char **argv);
int cli_cmd_check(int argc, char **argv);
int cli_cmd_explain(int argc, char **argv);
int cli_cmd_compare(int argc, char **argv);
int cli_cmd_test(int argc, char **argv);
int cli_cmd_report(int argc, char **argv);

#endif /* VIPA_CLI_H */
