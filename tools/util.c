/* Files, numbers, options and formatted strings for the `vipa` command. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

char *cli_strdupf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s == NULL)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

int cli_finish_stdout(void)
{
    /* Output is buffered: a full disk or a closed pipe shows only now. */
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "vipa: cannot write standard output%s%s\n", errno ? ": " : "",
                errno ? strerror(errno) : "");
        return CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

int cli_parse_id(vipa_id *out, const char *text)
{
    /* strtoull accepts blanks, signs and "0x"; an id is plain decimal digits only. */
    if (text[0] == '\0' || strspn(text, "0123456789") != strlen(text))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(text, NULL, 10);
    if (errno != 0 || v == 0)
        return -1;
    *out = (vipa_id)v;
    return 0;
}

int cli_is_year(long long n)
{
    /* The library's range, asked of the library: a year is one its dates may have. */
    vipa_date first_day;
    return n >= INT_MIN && n <= INT_MAX && vipa_date_make(&first_day, (int)n, 1, 1) == VIPA_OK;
}

int cli_parse_year(int *out, const char *text)
{
    if (strlen(text) != 4 || strspn(text, "0123456789") != 4)
        return -1;
    int y = atoi(text);
    if (!cli_is_year(y))
        return -1;
    *out = y;
    return 0;
}

int cli_opt_value(const char **value, int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) != 0)
        return 0;
    if (argv[*i][n] == '=') {
        *value = argv[*i] + n + 1;
        return 1;
    }
    if (argv[*i][n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

int cli_parse_output_args(const char *command, int argc, char **argv, const char **file,
                          const char **out, int *json)
{
    int only_files = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        int m = 0;
        if (!only_files && strcmp(arg, "--") == 0)
            only_files = 1;
        else if (!only_files && json != NULL && strcmp(arg, "--json") == 0)
            *json = 1;
        else if (!only_files && ((m = cli_opt_value(out, argc, argv, &i, "-o")) != 0 ||
                                 (m = cli_opt_value(out, argc, argv, &i, "--output")) != 0)) {
            if (m < 0 || (*out)[0] == '\0')
                return cli_usage_error(command, "option needs a file name", arg);
        } else if (!only_files && arg[0] == '-' && arg[1] != '\0')
            return cli_usage_error(command, "unknown option", arg);
        else if (*file != NULL)
            return cli_usage_error(command, "more than one scenario file", arg);
        else
            *file = arg;
    }
    return CLI_EXIT_OK;
}

int cli_exit_for_status(int status)
{
    if (status == VIPA_OK)
        return CLI_EXIT_OK;
    if (status == VIPA_E_NOMEM || status == VIPA_E_IO)
        return CLI_EXIT_INTERNAL;
    return CLI_EXIT_INPUT;
}

/* Where a refusal at the size limit is worded, in the library's words (its
 * vipa_scenario_load() refuses a longer buffer the same way). */
static char limit_message[128];

static int too_large(const char **why, unsigned long long known_size)
{
    if (known_size > 0)
        snprintf(limit_message, sizeof limit_message,
                 "scenario: %llu bytes is more than the limit of %zu (VIPA_SCENARIO_MAX_BYTES)",
                 known_size, VIPA_SCENARIO_MAX_BYTES);
    else
        snprintf(limit_message, sizeof limit_message,
                 "scenario: more bytes than the limit of %zu (VIPA_SCENARIO_MAX_BYTES)",
                 VIPA_SCENARIO_MAX_BYTES);
    *why = limit_message;
    return CLI_EXIT_INPUT;
}

/* Reads the rest of @p f, at most VIPA_SCENARIO_MAX_BYTES + 1 bytes: one byte past the
 * limit shows the input is too large, so an endless or huge input (/dev/zero, a pipe)
 * is refused after reading no more than that. The buffer never exceeds the limit + 2
 * bytes (the extra byte and the NUL); a regular file larger than the limit is refused
 * by its size, unread, and one within it is read into a buffer of its size. */
static int slurp(char **data, size_t *length, FILE *f, const char **why)
{
    const size_t limit = VIPA_SCENARIO_MAX_BYTES;
    size_t cap = (size_t)1 << 16, len = 0;
    struct stat st;
    off_t at = ftello(f); /* standard input may be a file read partly already */
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && at >= 0 && st.st_size > at) {
        unsigned long long rest = (unsigned long long)(st.st_size - at);
        if (rest > limit)
            return too_large(why, rest);
        cap = (size_t)rest + 2; /* the file, a byte more to see its end, the NUL */
    }
    char *buf = malloc(cap);
    if (buf == NULL)
        return (*why = "out of memory"), CLI_EXIT_INTERNAL;
    for (;;) {
        if (len + 1 == cap) {
            /* Full: double, but never past limit + 1 bytes and the NUL, and straight to
             * that once doubling would reach the limit: no last step of a few bytes that
             * a realloc() which copies (not glibc's, for blocks this large) would pay
             * with a second buffer of the limit's size. */
            size_t bigger_cap = cap < limit / 2 ? cap * 2 : limit + 2;
            char *bigger = realloc(buf, bigger_cap);
            if (bigger == NULL) {
                free(buf);
                return (*why = "out of memory"), CLI_EXIT_INTERNAL;
            }
            buf = bigger;
            cap = bigger_cap;
        }
        size_t want = cap - 1 - len;
        size_t n = fread(buf + len, 1, want, f);
        len += n;
        if (len > limit) {
            free(buf);
            return too_large(why, 0);
        }
        if (n < want) /* the end, or an error */
            break;
    }
    if (ferror(f)) {
        free(buf);
        /* EISDIR (a directory named as input) is the user's mistake, not the disk's. */
        int input = errno == EISDIR;
        *why = strerror(errno);
        return input ? CLI_EXIT_INPUT : CLI_EXIT_INTERNAL;
    }
    buf[len] = '\0';
    *data = buf;
    *length = len;
    return CLI_EXIT_OK;
}

int cli_read_file_quiet(char **data, size_t *length, const char *path, const char **why)
{
    int is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (f == NULL) {
        *why = strerror(errno);
        return errno == ENOMEM ? CLI_EXIT_INTERNAL : CLI_EXIT_INPUT;
    }
    errno = 0;
    int rc = slurp(data, length, f, why);
    if (!is_stdin)
        fclose(f);
    return rc;
}

int cli_read_file(char **data, size_t *length, const char *path)
{
    const char *why = NULL;
    int rc = cli_read_file_quiet(data, length, path, &why);
    if (rc != CLI_EXIT_OK && why == limit_message)
        cli_errorf("vipa: %s: %s\n", path, why);
    else if (rc != CLI_EXIT_OK)
        cli_errorf("vipa: cannot read %s: %s\n", path, why);
    return rc;
}

/* ---- output formats (`run`, `compare`) ------------------------------------------------------ */

static int has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

static int parse_format(const char *command, enum cli_format *format, const char *word)
{
    static const char *const words[] = {"text", "json", "xlsx", "csv", "sqlite"};
    for (size_t i = 0; i < 5; i++)
        if (strcmp(word, words[i]) == 0) {
            *format = (enum cli_format)(CLI_FORMAT_TEXT + i);
            return CLI_EXIT_OK;
        }
    return cli_usage_error(command, "--format takes text, json, xlsx, csv or sqlite", word);
}

int cli_parse_format_option(const char *command, enum cli_format *format, const char **lang,
                            int argc, char **argv, int *i, int *taken)
{
    const char *arg = argv[*i], *value = NULL;
    int m = cli_opt_value(&value, argc, argv, i, "--format");
    if (m > 0) {
        *taken = 1;
        return parse_format(command, format, value);
    }
    if (m == 0 && (m = cli_opt_value(lang, argc, argv, i, "--lang")) > 0) {
        *taken = 1;
        if (strcmp(*lang, "zh") != 0 && strcmp(*lang, "en") != 0)
            return cli_usage_error(command, "--lang takes zh or en", *lang);
        return CLI_EXIT_OK;
    }
    if (m < 0)
        return cli_usage_error(command, "option needs a value", arg);
    *taken = 0;
    return CLI_EXIT_OK;
}

int cli_settle_format(const char *command, enum cli_format *format, int json, const char *out,
                      const char *lang)
{
    if (json && *format != CLI_FORMAT_DEFAULT && *format != CLI_FORMAT_JSON)
        return cli_usage_error(command, "--json and --format disagree", NULL);
    /* Only `run` writes a database: -o NAME.db means one there. */
    int db = strcmp(command, "run") == 0 && out != NULL &&
             (has_suffix(out, ".db") || has_suffix(out, ".sqlite") || has_suffix(out, ".sqlite3"));
    if (*format == CLI_FORMAT_DEFAULT)
        *format = json                                   ? CLI_FORMAT_JSON
                  : out != NULL && has_suffix(out, ".xlsx") ? CLI_FORMAT_XLSX
                  : db                                      ? CLI_FORMAT_SQLITE
                                                            : CLI_FORMAT_TEXT;
    if (*format == CLI_FORMAT_SQLITE && strcmp(command, "run") != 0)
        return cli_usage_error(command, "--format sqlite is for vipa run", NULL);
    if (*format == CLI_FORMAT_SQLITE && out == NULL)
        return cli_usage_error(command, "--format sqlite needs -o FILE (- for standard output)",
                               NULL);
    if (*format == CLI_FORMAT_CSV && (out == NULL || strcmp(out, "-") == 0))
        return cli_usage_error(command, "--format csv needs -o DIR, the directory of its files",
                               NULL);
    if (*format == CLI_FORMAT_XLSX && out == NULL)
        return cli_usage_error(command, "--format xlsx needs -o FILE (- for standard output)",
                               NULL);
    /* run's text tables take a language too; compare's only its spreadsheets */
    if (lang != NULL && (*format == CLI_FORMAT_JSON ||
                         (*format == CLI_FORMAT_TEXT && strcmp(command, "run") != 0)))
        return cli_usage_error(command, strcmp(command, "run") == 0
                                            ? "--lang applies to text, xlsx and csv, not json"
                                            : "--lang applies to --format xlsx and csv only",
                               NULL);
    return CLI_EXIT_OK;
}

/* POSIX's order: LC_ALL, then LC_MESSAGES, then LANG; the first set and not empty decides. */
const char *cli_default_lang(void)
{
    static const char *const names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *value = getenv(names[i]);
        if (value != NULL && *value != '\0')
            return strncmp(value, "zh", 2) == 0 ? "zh" : "en";
    }
    return "en";
}

int cli_parse_lang_option(const char *command, const char **lang, int argc, char **argv, int *i)
{
    const char *arg = argv[*i];
    int m = cli_opt_value(lang, argc, argv, i, "--lang");
    if (m < 0)
        return cli_usage_error(command, "option needs a value", arg);
    if (m > 0 && strcmp(*lang, "zh") != 0 && strcmp(*lang, "en") != 0)
        return cli_usage_error(command, "--lang takes zh or en", *lang);
    return m > 0 ? CLI_EXIT_OK : -1;
}
