/* Writing an output file (-o OUT of run and report), by what OUT is:
 *  - a regular file or a new name: whole or not at all, through a temporary file beside
 *    it that is renamed over it; a replaced file keeps its mode;
 *  - a character device (/dev/null, /dev/full, a terminal) or a FIFO: written in place,
 *    since renaming a file over it would replace the device node or the pipe;
 *  - "-": standard output; /dev/stdout, /dev/fd/N, /proc/self/fd/N: that descriptor,
 *    written as it is (at its offset, appending if it appends);
 *  - a symbolic link: what it leads to, treated as above (the link itself stays);
 *  - anything else (a directory, a socket, a block device): refused. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "cli.h"

#ifndef NAME_MAX
#define NAME_MAX 255
#endif
#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Links followed before giving up with ELOOP (Linux's own limit). */
#define MAX_LINKS 40

/* The temporary file's name: ".OUT.vipa-tmp.XXXXXX". */
#define TMP_MARK ".vipa-tmp."
#define TMP_XS "XXXXXX"

/* ---- what is written: bytes in memory, or a producer ------------------------------- */

/* Bytes already in memory, as a producer: one piece. */
struct bytes {
    const char *data;
    size_t length;
};

static int produce_bytes(void *state, cli_put_fn put, void *sink)
{
    const struct bytes *b = state;
    return put(sink, b->data, b->length) == 0 ? CLI_EXIT_OK : CLI_PUT_FAILED;
}

/* The error of a sink's first failed put, kept from the moment it failed: what runs
 * after it (the producer's cleanup, a library's free) may change errno. */
struct fd_sink {
    int fd;
    int error;
};

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

static int put_fd(void *sink, const char *bytes, size_t length)
{
    struct fd_sink *s = sink;
    if (write_all(s->fd, bytes, length) == 0)
        return 0;
    s->error = errno != 0 ? errno : EIO;
    return -1;
}

/* Runs the producer into descriptor @p fd. Returns its CLI_EXIT_* code (its own message
 * printed), or CLI_PUT_FAILED with errno the write's error. */
static int produce_to_fd(int fd, const cli_producer *p)
{
    struct fd_sink s = {fd, 0};
    int rc = p->produce(p->state, put_fd, &s);
    if (rc == CLI_PUT_FAILED)
        errno = s.error != 0 ? s.error : EIO;
    return rc;
}

/* ---- standard output ---------------------------------------------------------------- */

static int put_stdout(void *sink, const char *bytes, size_t length)
{
    int *error = sink;
    errno = 0;
    if (fwrite(bytes, 1, length, stdout) == length)
        return 0;
    *error = errno;
    return -1;
}

int cli_write_stdout_from(const cli_producer *p)
{
    int error = 0;
    int rc = p->produce(p->state, put_stdout, &error);
    if (rc == CLI_EXIT_OK) {
        errno = 0;
        if (fflush(stdout) != 0) {
            error = errno;
            rc = CLI_PUT_FAILED;
        }
    }
    if (rc == CLI_PUT_FAILED) {
        fprintf(stderr, "vipa: cannot write standard output%s%s\n", error ? ": " : "",
                error ? strerror(error) : "");
        return CLI_EXIT_INTERNAL;
    }
    return rc;
}

int cli_write_stdout(const char *data, size_t length)
{
    struct bytes b = {data, length};
    cli_producer p = {produce_bytes, &b};
    return cli_write_stdout_from(&p);
}

/* ---- where OUT leads ------------------------------------------------------------------ */

/* The directory part of @p path with its slash ("dir/"), "" for a bare name; malloc'd. */
static char *dir_part(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash == NULL ? strdup("") : cli_strdupf("%.*s", (int)(slash - path + 1), path);
}

/* The text of symbolic link @p path, malloc'd; NULL with errno set. */
static char *read_link(const char *path)
{
    for (size_t size = 256; size <= (size_t)PATH_MAX * 4; size *= 2) {
        char *text = malloc(size);
        if (text == NULL)
            return NULL;
        ssize_t n = readlink(path, text, size);
        if (n < 0) {
            int saved = errno;
            free(text);
            errno = saved;
            return NULL;
        }
        if ((size_t)n < size) {
            text[n] = '\0';
            return text;
        }
        free(text);
    }
    errno = ENAMETOOLONG;
    return NULL;
}

/* How an output path leads to what it names. */
enum reach {
    REACH_NEW,    /* nothing there: a new name, or a dangling link's target */
    REACH_PATH,   /* a file that is no link, at the path resolved */
    REACH_FD,     /* a descriptor of this process: /proc/self/fd/N, also reached as
                     /dev/fd/N or /dev/stdout; written as it is, as "-" is */
    REACH_KERNEL  /* something a link's text does not name but the kernel reaches: a
                     /proc/PID/fd link of another process, "pipe:[1234]" */
};

struct dest {
    enum reach reach;
    char *target;   /* malloc'd: the path reached (the path given for REACH_KERNEL) */
    struct stat st; /* its lstat(); stat() for REACH_KERNEL; unset for REACH_NEW, REACH_FD */
    int fd;         /* REACH_FD: the descriptor */
};

/* N when @p link is /proc/self/fd/N of this very process (by any path), else -1. */
static int own_fd(const char *link)
{
    const char *base = strrchr(link, '/');
    base = base == NULL ? link : base + 1;
    if (base[0] == '\0' || strspn(base, "0123456789") != strlen(base) || strlen(base) > 6)
        return -1;
    char *dir = dir_part(link);
    struct stat in, self;
    int same = dir != NULL && stat(dir[0] == '\0' ? "." : dir, &in) == 0 &&
               stat("/proc/self/fd", &self) == 0 && in.st_dev == self.st_dev &&
               in.st_ino == self.st_ino;
    free(dir);
    return same ? atoi(base) : -1;
}

/* Follows @p path link by link into @p d (as mv-style tools do, a link's target is what
 * an output replaces; a relative target is relative to its link's directory). Returns
 * 0, or -1 with errno set (ELOOP for a loop, ENOMEM, lstat's). */
static int resolve(struct dest *d, const char *path)
{
    char *cur = strdup(path);
    for (int hops = 0; cur != NULL; hops++) {
        if (lstat(cur, &d->st) != 0) {
            int saved = errno;
            if (saved == ENOENT && own_fd(cur) >= 0)
                saved = EBADF; /* /dev/fd/N of a descriptor not open */
            if (saved != ENOENT) {
                free(cur);
                errno = saved;
                return -1;
            }
            d->reach = REACH_NEW;
            if (hops > 0 && stat(path, &d->st) == 0) { /* dangling in text, not to the kernel */
                free(cur);
                cur = strdup(path);
                d->reach = REACH_KERNEL;
            }
            d->target = cur;
            return cur != NULL ? 0 : (errno = ENOMEM, -1);
        }
        if (!S_ISLNK(d->st.st_mode)) {
            d->reach = REACH_PATH;
            d->target = cur;
            return 0;
        }
        if ((d->fd = own_fd(cur)) >= 0) {
            d->reach = REACH_FD;
            d->target = cur;
            return 0;
        }
        if (hops == MAX_LINKS) {
            free(cur);
            errno = ELOOP;
            return -1;
        }
        char *link = read_link(cur);
        char *dir = link == NULL || link[0] == '/' ? NULL : dir_part(cur);
        char *next = link == NULL ? NULL
                     : link[0] == '/' ? link
                     : dir == NULL    ? NULL
                                      : cli_strdupf("%s%s", dir, link);
        int saved = errno;
        if (next != link)
            free(link);
        free(dir);
        free(cur);
        if (next == NULL) {
            errno = saved != 0 ? saved : ENOMEM;
            return -1;
        }
        cur = next;
    }
    errno = ENOMEM;
    return -1;
}

/* What a file that -o refuses is, for the message. */
static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISSOCK(mode))
        return "a socket";
    if (S_ISBLK(mode))
        return "a block device";
    return "not a regular file";
}

/* ---- in place: character devices, FIFOs, descriptors --------------------------------- */

/* Writes to descriptor @p fd of this process (not closed): at its offset, appending if
 * it appends, as the shell that opened it meant. */
static int write_fd(int fd, const char *name, const cli_producer *p)
{
    int rc = produce_to_fd(fd, p);
    if (rc == CLI_PUT_FAILED) {
        cli_errorf("vipa: cannot write %s: %s\n", name, strerror(errno));
        return CLI_EXIT_INTERNAL;
    }
    return rc;
}

/* Writes the character device or FIFO at @p d->target; for REACH_KERNEL also a regular
 * file, truncated as a shell's > would: it has no path to rename a file over. */
static int write_in_place(const struct dest *d, const char *name, const cli_producer *p)
{
    /* No O_CREAT: the device or FIFO is there and stays what it is. A FIFO waits here
     * for its reader, as a shell's redirection does. O_NOFOLLOW and the fstat below
     * notice a path changed since it was looked at. */
    int via_kernel = d->reach == REACH_KERNEL;
    int flags = O_WRONLY | O_NOCTTY | O_CLOEXEC;
    flags |= via_kernel ? (S_ISREG(d->st.st_mode) ? O_TRUNC : 0) : O_NOFOLLOW;
    int fd = open(d->target, flags);
    if (fd < 0) {
        cli_errorf("vipa: cannot write %s: %s\n", name, strerror(errno));
        return CLI_EXIT_INTERNAL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || (st.st_mode & S_IFMT) != (d->st.st_mode & S_IFMT)) {
        close(fd);
        cli_errorf("vipa: cannot write %s: it changed while being opened\n", name);
        return CLI_EXIT_INTERNAL;
    }
    int rc = produce_to_fd(fd, p);
    int saved = errno;
    if (close(fd) != 0 && rc == CLI_EXIT_OK) {
        rc = CLI_PUT_FAILED;
        saved = errno;
    }
    if (rc == CLI_PUT_FAILED) {
        cli_errorf("vipa: cannot write %s: %s\n", name, strerror(saved));
        return CLI_EXIT_INTERNAL;
    }
    return rc; /* CLI_EXIT_OK, or the producer's failure, told by it */
}

/* ---- whole or not at all: regular files and new names --------------------------------- */

/* The temporary file being written, for the signal handler: its path in a static buffer
 * and a flag telling that the file is ours to remove. Written only while the caught
 * signals are blocked, so the handler never sees them half-made. */
static char tmp_path[PATH_MAX];
static volatile sig_atomic_t tmp_armed;

static const int caught_signals[] = {SIGHUP, SIGINT, SIGTERM};
#define NCAUGHT (sizeof caught_signals / sizeof caught_signals[0])

/* Removes the temporary file, then dies of the signal as if it had not been caught.
 * Async-signal-safe: unlink(), signal(), raise() and sigprocmask() only. */
static void on_signal(int sig)
{
    if (tmp_armed)
        (void)unlink(tmp_path);
    tmp_armed = 0;
    (void)signal(sig, SIG_DFL);
    (void)raise(sig); /* pending: the signal is blocked inside its handler */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    (void)sigprocmask(SIG_UNBLOCK, &set, NULL);
}

struct guard {
    struct sigaction old[NCAUGHT];
    int installed[NCAUGHT];
    sigset_t mask; /* the signal mask before block_signals() */
};

static void block_signals(struct guard *g)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaddset(&set, caught_signals[i]);
    sigprocmask(SIG_BLOCK, &set, &g->mask);
}

static void unblock_signals(const struct guard *g)
{
    sigprocmask(SIG_SETMASK, &g->mask, NULL);
}

/* Installs the handler for the write (signals blocked). A signal ignored before (nohup,
 * a background job's SIGINT) stays ignored. */
static void install_handlers(struct guard *g)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaddset(&sa.sa_mask, caught_signals[i]);
    for (size_t i = 0; i < NCAUGHT; i++) {
        g->installed[i] = sigaction(caught_signals[i], NULL, &g->old[i]) == 0 &&
                          g->old[i].sa_handler != SIG_IGN &&
                          sigaction(caught_signals[i], &sa, NULL) == 0;
    }
}

static void restore_handlers(const struct guard *g)
{
    for (size_t i = 0; i < NCAUGHT; i++)
        if (g->installed[i])
            sigaction(caught_signals[i], &g->old[i], NULL);
}

/* The longest name the directory @p dir ("" for the current one) takes. */
static size_t name_max(const char *dir)
{
    long n = pathconf(dir[0] == '\0' ? "." : dir, _PC_NAME_MAX);
    return n > 0 && n < NAME_MAX ? (size_t)n : NAME_MAX;
}

/* Makes tmp_path "DIR.BASE.vipa-tmp.XXXXXX" for the output @p target. BASE is the
 * output's own name, cut (at a character boundary) when the whole would be longer than
 * the directory allows: a leftover stays recognisable, and a long output name never
 * fails for the length of our suffix. Returns 0, or -1 with errno set. */
static int make_tmp_template(const char *target)
{
    const char *slash = strrchr(target, '/');
    const char *base = slash == NULL ? target : slash + 1;
    size_t dir_len = (size_t)(base - target);
    char *dir = cli_strdupf("%.*s", (int)dir_len, target);
    if (dir == NULL)
        return (errno = ENOMEM), -1;
    size_t fixed = 1 + strlen(TMP_MARK) + strlen(TMP_XS), max = name_max(dir);
    free(dir);
    size_t keep = strlen(base);
    if (fixed + keep > max) {
        keep = max > fixed + 1 ? max - fixed : 1;
        while (keep > 1 && ((unsigned char)base[keep] & 0xC0) == 0x80)
            keep--; /* not inside a UTF-8 character */
    }
    int n = snprintf(tmp_path, sizeof tmp_path, "%.*s.%.*s" TMP_MARK TMP_XS, (int)dir_len,
                     target, (int)keep, base);
    if (n < 0 || (size_t)n >= sizeof tmp_path)
        return (errno = ENAMETOOLONG), -1;
    return 0;
}

/* The permissions a plain fopen() would give a new file: mkstemp() makes 0600, but a
 * report is an ordinary output file. umask() can only be read by setting it, so it is
 * put back. */
static mode_t default_mode(void)
{
    mode_t mask = umask(022);
    umask(mask);
    return (mode_t)(0666 & ~mask);
}

/* Makes the rename itself durable; a directory that cannot be synced is no error. */
static void sync_parent(const char *path)
{
    char *dir = dir_part(path);
    if (dir == NULL)
        return;
    int fd = open(dir[0] == '\0' ? "." : dir, O_RDONLY);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Gives the new file the replaced one's owner (when allowed: root, or a group of
 * ours) and mode; or, for a new name, the umask's mode. */
static int set_attributes(int fd, const struct stat *old)
{
    if (old == NULL)
        return fchmod(fd, default_mode());
    struct stat now;
    if (fstat(fd, &now) == 0 && (now.st_uid != old->st_uid || now.st_gid != old->st_gid))
        (void)!fchown(fd, old->st_uid, old->st_gid); /* not allowed: the new file is ours */
    return fchmod(fd, old->st_mode & 07777); /* after fchown, which may clear set-id bits */
}

/* What fills an output: a producer's bytes, or a writer that takes a file's path (a
 * library such as SQLite that opens its file itself). */
struct fill {
    const cli_producer *p; /* NULL for a path writer */
    cli_path_writer write;
    void *state;
};

/* Fills the temporary file tmp_path, open as @p fd. */
static int fill_tmp(int fd, const struct fill *f)
{
    return f->p != NULL ? produce_to_fd(fd, f->p) : f->write(f->state, tmp_path);
}

/* Writes through tmp_path (made by the caller) and renames it over @p target; when the
 * producer or a write fails, the temporary file is removed and the target untouched. */
static int write_replacing(const char *target, const char *name, const struct stat *old,
                           const struct fill *p)
{
    struct guard g;
    block_signals(&g);
    install_handlers(&g);
    int fd = mkstemp(tmp_path);
    int saved = errno;
    tmp_armed = fd >= 0;
    unblock_signals(&g);
    if (fd < 0) {
        block_signals(&g);
        restore_handlers(&g);
        unblock_signals(&g);
        cli_errorf("vipa: cannot write %s: cannot create a temporary file beside it: %s\n", name,
                   strerror(saved));
        return CLI_EXIT_INTERNAL;
    }

    int produced = fill_tmp(fd, p);
    int ok = produced == CLI_EXIT_OK && set_attributes(fd, old) == 0 && fsync(fd) == 0;
    saved = errno;
    if (close(fd) != 0 && ok) {
        ok = 0;
        saved = errno;
    }

    block_signals(&g);
    if (ok && rename(tmp_path, target) != 0) {
        ok = 0;
        saved = errno;
    }
    if (!ok)
        (void)unlink(tmp_path);
    tmp_armed = 0;
    restore_handlers(&g);
    unblock_signals(&g); /* a signal that came meanwhile acts now, as it would have */
    if (!ok && produced != CLI_EXIT_OK && produced != CLI_PUT_FAILED)
        return produced; /* the producer's own failure, told by it */
    if (!ok) {
        cli_errorf("vipa: cannot write %s: %s\n", name, strerror(saved));
        return CLI_EXIT_INTERNAL;
    }
    sync_parent(target);
    return CLI_EXIT_OK;
}

/* ---- the dispatch ---------------------------------------------------------------------- */

int cli_write_output(const char *path, const char *data, size_t length)
{
    struct bytes b = {data, length};
    cli_producer p = {produce_bytes, &b};
    return cli_write_output_from(path, &p);
}

/* A path writer's file for a destination written in place or a descriptor (a device,
 * a FIFO, standard output): written into a scratch file of $TMPDIR first, then its bytes
 * are put as a producer's; the scratch file is removed, also on SIGHUP, SIGINT and
 * SIGTERM (it takes tmp_path, unused by these destinations). */
static int produce_via_scratch(void *state, cli_put_fn put, void *sink)
{
    const struct fill *f = state;
    const char *dir = getenv("TMPDIR");
    if (dir == NULL || dir[0] == '\0')
        dir = "/tmp";
    struct guard g;
    int n = snprintf(tmp_path, sizeof tmp_path, "%s/vipa-out" TMP_MARK TMP_XS, dir);
    block_signals(&g);
    install_handlers(&g);
    int fd = n > 0 && (size_t)n < sizeof tmp_path ? mkstemp(tmp_path) : (errno = ENAMETOOLONG, -1);
    int saved = errno;
    tmp_armed = fd >= 0;
    unblock_signals(&g);
    int rc;
    if (fd < 0) {
        cli_errorf("vipa: cannot create a scratch file in %s: %s\n", dir, strerror(saved));
        rc = CLI_EXIT_INTERNAL;
    } else if ((rc = f->write(f->state, tmp_path)) == CLI_EXIT_OK) {
        char buf[65536];
        ssize_t got;
        while ((got = read(fd, buf, sizeof buf)) > 0 || (got < 0 && errno == EINTR))
            if (got > 0 && put(sink, buf, (size_t)got) != 0) {
                rc = CLI_PUT_FAILED;
                break;
            }
        if (rc == CLI_EXIT_OK && got < 0) {
            cli_errorf("vipa: cannot read the scratch file %s: %s\n", tmp_path, strerror(errno));
            rc = CLI_EXIT_INTERNAL;
        }
    }
    if (fd >= 0)
        close(fd);
    block_signals(&g);
    if (tmp_armed)
        (void)unlink(tmp_path);
    tmp_armed = 0;
    restore_handlers(&g);
    unblock_signals(&g);
    return rc;
}

static int write_dispatch(const char *path, const struct fill *f);

int cli_write_output_from(const char *path, const cli_producer *p)
{
    struct fill f = {p, NULL, NULL};
    return write_dispatch(path, &f);
}

int cli_write_output_file(const char *path, cli_path_writer write, void *state)
{
    struct fill f = {NULL, write, state};
    return write_dispatch(path, &f);
}

static int write_dispatch(const char *path, const struct fill *f)
{
    struct fill scratch = *f;
    cli_producer copy = {produce_via_scratch, &scratch};
    const cli_producer *p = f->p != NULL ? f->p : &copy;
    if (strcmp(path, "-") == 0)
        return cli_write_stdout_from(p);
    struct dest d = {REACH_NEW, NULL, {0}, -1};
    if (resolve(&d, path) != 0) {
        cli_errorf("vipa: cannot write %s: %s\n", path, strerror(errno));
        return CLI_EXIT_INTERNAL;
    }
    /* Messages name what the user gave, and where a link led. */
    char *name = strcmp(d.target, path) == 0 || d.reach == REACH_FD
                     ? strdup(path)
                     : cli_strdupf("%s (a symbolic link to %s)", path, d.target);
    const mode_t kind = d.st.st_mode;
    int rc;
    if (name == NULL) {
        fprintf(stderr, "vipa: out of memory\n");
        rc = CLI_EXIT_INTERNAL;
    } else if (d.reach == REACH_FD) {
        fflush(NULL); /* anything already printed on the descriptor goes first */
        rc = write_fd(d.fd, name, p);
    } else if (d.reach == REACH_NEW || (d.reach == REACH_PATH && S_ISREG(kind))) {
        rc = make_tmp_template(d.target) == 0
                 ? write_replacing(d.target, name, d.reach == REACH_PATH ? &d.st : NULL, f)
                 : (cli_errorf("vipa: cannot write %s: %s\n", name, strerror(errno)),
                    CLI_EXIT_INTERNAL);
    } else if (S_ISCHR(kind) || S_ISFIFO(kind) || (d.reach == REACH_KERNEL && S_ISREG(kind))) {
        rc = write_in_place(&d, name, p);
    } else {
        cli_errorf("vipa: will not write %s: it is %s; -o takes a regular file, a new name, "
                   "a character device, a FIFO or - (standard output)\n",
                   name, kind_of(kind));
        rc = CLI_EXIT_INPUT;
    }
    free(name);
    free(d.target);
    return rc;
}

int cli_output_dir(const char *dir, const char *hint, int *made)
{
    struct stat st;
    *made = 0;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return CLI_EXIT_OK;
        cli_errorf("vipa: will not write %s: it is not a directory; %s\n", dir, hint);
        return CLI_EXIT_INPUT;
    }
    if (errno == ENOTDIR) {
        cli_errorf("vipa: will not write %s: a part of it is not a directory\n", dir);
        return CLI_EXIT_INPUT;
    }
    if (errno == ENOENT && mkdir(dir, 0777) == 0) {
        *made = 1;
        return CLI_EXIT_OK;
    }
    cli_errorf("vipa: cannot write %s: %s\n", dir, strerror(errno));
    return CLI_EXIT_INTERNAL;
}
