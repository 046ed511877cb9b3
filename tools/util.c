/* Files, numbers and formatted strings for the `vipa` command. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

int cli_parse_year(int *out, const char *text)
{
    if (strlen(text) != 4 || strspn(text, "0123456789") != 4)
        return -1;
    int y = atoi(text);
    if (y < 1900)
        return -1;
    *out = y;
    return 0;
}

int cli_exit_for_status(int status)
{
    if (status == VIPA_OK)
        return CLI_EXIT_OK;
    if (status == VIPA_E_NOMEM || status == VIPA_E_IO)
        return CLI_EXIT_INTERNAL;
    return CLI_EXIT_INPUT;
}

/* Reads the rest of @p f. Stops once past the scenario limit so a huge input is
 * refused without first filling memory with it. */
static int slurp(char **data, size_t *length, FILE *f, const char **why)
{
    size_t cap = (size_t)1 << 16, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return (*why = "out of memory"), CLI_EXIT_INTERNAL;
    for (;;) {
        if (len > VIPA_SCENARIO_MAX_BYTES) {
            free(buf);
            return (*why = "larger than the scenario size limit (2 GiB)"), CLI_EXIT_INPUT;
        }
        if (cap - len < 2) {
            char *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                free(buf);
                return (*why = "out of memory"), CLI_EXIT_INTERNAL;
            }
            buf = bigger;
            cap *= 2;
        }
        size_t n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0)
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
    if (rc != CLI_EXIT_OK)
        fprintf(stderr, "vipa: cannot read %s: %s\n", path, why);
    return rc;
}

/* The permissions a plain fopen() would give: mkstemp() makes 0600, but a report is an
 * ordinary output file. umask() can only be read by setting it, so it is put back. */
static mode_t default_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return (mode_t)(0666 & ~mask);
}

static int write_all(int fd, const char *data, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, data, length);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        length -= (size_t)n;
    }
    return 0;
}

/* Makes the rename itself durable; a directory that cannot be synced is no error. */
static void sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash == NULL ? cli_strdupf(".") : cli_strdupf("%.*s", (int)(slash - path + 1), path);
    if (dir == NULL)
        return;
    int fd = open(dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

int cli_write_atomic(const char *path, const char *data, size_t length)
{
    char *tmp = cli_strdupf("%s.tmp.XXXXXX", path);
    if (tmp == NULL)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    int fd = mkstemp(tmp);
    if (fd < 0) {
        fprintf(stderr, "vipa: cannot create %s: %s\n", tmp, strerror(errno));
        free(tmp);
        return CLI_EXIT_INTERNAL;
    }
    int ok = fchmod(fd, default_mode()) == 0 && write_all(fd, data, length) == 0 &&
             fsync(fd) == 0;
    int saved = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) == 0) {
        sync_parent(path);
        free(tmp);
        return CLI_EXIT_OK;
    }
    saved = ok ? errno : saved;
    fprintf(stderr, "vipa: cannot write %s: %s\n", path, strerror(saved));
    unlink(tmp);
    free(tmp);
    return CLI_EXIT_INTERNAL;
}
