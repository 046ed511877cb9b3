/* `vipa import`: tables in (docs/import.md). A directory of CSV files, one per record
 * kind, becomes one scenario JSON that the library's loader takes.
 *
 * What the columns are is data, not code: data/import/tables.csv (the tables and their
 * file names), columns.csv (each table's columns: the scenario field, its type, the
 * headings accepted, English and Chinese) and words.csv (the words of each enumeration
 * with the Chinese words and national codes accepted for them). They are compiled into
 * the program (tools/embed.c) and read by the Python package's workbook path
 * (bindings/python/vipa/importer.py), so both take the same columns.
 *
 * CSV is read with libcsv (Debian libcsv-dev): RFC 4180 quoting, CR, LF or CRLF. Every
 * bad cell is reported, as file, row, column and what was expected (up to
 * IMPORT_MAX_ERRORS), and nothing is written; a scenario that reads is then loaded by
 * the library once as a check, and its message mapped back to the row and column that
 * made the value. */
#define _POSIX_C_SOURCE 200809L

#include <csv.h>
#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

/* Enough to fix a file's column or type mistakes in one go; more only repeats them. */
#define IMPORT_MAX_ERRORS 100

/* ---- the mapping (data/import/ tables.csv, columns.csv, words.csv) ------------------------------------------------ */

enum base {
    B_ID, B_INT, B_YEAR, B_MONEY, B_MU, B_DATE, B_CODE, B_AREA, B_TEXT, B_BOOL, B_FLAG, B_WORD,
    B_IGNORE /* a column of the export the scenario has no use for (户主姓名, 身份证号码) */
};

static const char *const base_names[] = {"id",   "int",  "year", "money", "mu",
                                         "date", "code", "area", "text",  "bool",
                                         "flag", "word", "ignore"};

typedef struct names {
    char **v;
    size_t n;
} names;

typedef struct mtable {
    char *name;   /* households */
    char *target; /* households, or parent/member for a table of a record's parts */
    names names;  /* file (sheet) names accepted, without .csv */
    int parent;   /* index of the parent table, -1 for a record kind of its own */
    char *member; /* the parent's key the rows go to ("assured", "tasks") */
} mtable;

typedef struct mcol {
    int table;
    char *field; /* path in the record, '/' between levels; ^key: the parent's key */
    enum base base;
    int list;
    char *vocab; /* B_WORD (and B_BOOL: "bool") */
    int required;
    names names;
} mcol;

typedef struct mword {
    char *vocab;
    char *word;
    names names;
} mword;

typedef struct mapping {
    mtable *t;
    size_t nt;
    mcol *c;
    size_t nc;
    mword *w;
    size_t nw;
} mapping;

/* ---- reading CSV with libcsv ---------------------------------------------------------- */

/* One row's cells (NUL-terminated copies) to @p fn, numbered as a spreadsheet shows
 * them: the heading is row 1, a blank line is a row, a quoted cell's line breaks are not. */
typedef int (*row_fn)(void *state, char **cells, size_t n, size_t row);

typedef struct reader {
    row_fn fn;
    void *state;
    char **cells;
    size_t n, cap;
    size_t row;
    int last_cr; /* the last row ended at a CR: a LF right after it ends nothing */
    int stop;    /* fn asked to stop, or memory ran out */
    int nomem;
} reader;

static void reader_clear(reader *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->cells[i]);
    r->n = 0;
}

static void on_cell(void *s, size_t len, void *data)
{
    reader *r = data;
    if (r->stop)
        return;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        char **cells = realloc(r->cells, cap * sizeof *cells);
        if (cells == NULL) {
            r->stop = r->nomem = 1;
            return;
        }
        r->cells = cells;
        r->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL) {
        r->stop = r->nomem = 1;
        return;
    }
    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    r->cells[r->n++] = copy;
}

static void on_row_end(int c, void *data)
{
    reader *r = data;
    int lf_of_crlf = r->n == 0 && c == CSV_LF && r->last_cr;
    r->last_cr = c == CSV_CR;
    if (lf_of_crlf || r->stop)
        return;
    r->row++;
    if (r->fn(r->state, r->cells, r->n, r->row) != 0)
        r->stop = 1;
    reader_clear(r);
}

/* Reads @p text as CSV. Returns 0; -1 with *why set when it is not CSV (a quote out of
 * place), -2 when out of memory, -3 when fn stopped. */
static int read_csv(const char *text, size_t length, row_fn fn, void *state, size_t *bad_row)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL | CSV_APPEND_NULL) != 0)
        return -2;
    reader r = {fn, state, NULL, 0, 0, 0, 0, 0, 0};
    size_t done = csv_parse(&p, text, length, on_cell, on_row_end, &r);
    int rc = 0;
    if (done != length && !r.stop)
        rc = csv_error(&p) == CSV_EPARSE ? -1 : -2;
    else if (!r.stop && csv_fini(&p, on_cell, on_row_end, &r) != 0)
        rc = csv_error(&p) == CSV_EPARSE ? -1 : -2; /* a quote never closed */
    if (rc == 0 && !r.stop && csv_error(&p) == CSV_EPARSE)
        rc = -1;
    if (rc == 0 && r.stop)
        rc = r.nomem ? -2 : -3;
    *bad_row = r.row + 1;
    reader_clear(&r);
    free(r.cells);
    csv_free(&p);
    return rc;
}

/* ---- text helpers ----------------------------------------------------------------------- */

static char *dup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    return d ? memcpy(d, s, n) : NULL;
}

/* Splits @p s at '|' into n fresh strings; -1 when out of memory. */
static int split_names(names *out, const char *s)
{
    out->v = NULL;
    out->n = 0;
    size_t count = 1;
    for (const char *p = s; *p; p++)
        count += *p == '|';
    out->v = calloc(count, sizeof *out->v);
    if (out->v == NULL)
        return -1;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p != '|' && *p != '\0')
            continue;
        char *one = malloc((size_t)(p - start) + 1);
        if (one == NULL)
            return -1;
        memcpy(one, start, (size_t)(p - start));
        one[p - start] = '\0';
        out->v[out->n++] = one;
        if (*p == '\0')
            break;
        start = p + 1;
    }
    return 0;
}

static void free_names(names *n)
{
    for (size_t i = 0; i < n->n; i++)
        free(n->v[i]);
    free(n->v);
}

/* ASCII letters compare without case (TRUE, Yes, ID); everything else exactly. */
static int same_name(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

static int names_has(const names *n, const char *s)
{
    for (size_t i = 0; i < n->n; i++)
        if (same_name(n->v[i], s))
            return 1;
    return 0;
}

/* The cell without its surrounding ASCII spaces (libcsv keeps them inside quotes). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* A strict UTF-8 check (no overlong forms, surrogates or values above U+10FFFF); the
 * offset of the first bad byte, or SIZE_MAX when all are good. */
static size_t utf8_bad_at(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > n)
            return i;
        uint32_t cp = len == 1 ? c : len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return i;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i;
        i += len;
    }
    return SIZE_MAX;
}

/* Whether the bytes read whole as GB18030 (which includes GBK and GB2312), the
 * encoding Excel in China gives a "CSV (逗号分隔)" file. */
static int reads_as_gb18030(const char *s, size_t n)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return 0;
    char buf[4096];
    char *in = (char *)s;
    size_t left = n;
    int ok = 1;
    while (left > 0 && ok) {
        char *out = buf;
        size_t room = sizeof buf;
        if (iconv(cd, &in, &left, &out, &room) == (size_t)-1 && errno != E2BIG)
            ok = 0;
    }
    iconv_close(cd);
    return ok;
}

/* ---- the import's state ------------------------------------------------------------------- */

typedef struct origin {
    uint32_t file; /* index in imp.files */
    uint32_t row;
} origin;

/* A row of a table of a record's parts, kept until every record is read. */
typedef struct part {
    json_int_t key[2]; /* the parent's key */
    json_t *value;     /* the part (a task, a person) or, for assured, the year's words */
    char *year;        /* assured: the year key */
    origin at;
} part;

/* Where a part ended up: the parent record and its path in it ("tasks[2]",
 * "assured.2017"), to name the row of a loader message about it. */
typedef struct part_place {
    int table;  /* the parent's table */
    size_t index;
    char *path;
    origin at;
    int part_table;
} part_place;

typedef struct area_name {
    const char *name; /* borrowed from the areas' records */
    const char *code;
} area_name;

typedef struct infile {
    char *path;  /* as given (or DIR/NAME) */
    int table;
    size_t ncols;
    int *mcol_of;    /* per heading: the mapping column, -1 for a heading left empty */
    char **headings; /* per heading */
    int header_done;
} infile;

typedef struct imp {
    mapping m;
    infile *files;
    size_t nfiles;
    json_t **records;   /* per table: an array of records (NULL for parts) */
    origin **origins;   /* per table: where each record came from */
    part **parts;       /* per table of parts */
    size_t *nparts, *part_cap;
    part_place *places;
    size_t nplaces, place_cap;
    json_t *top;        /* as_of and profile */
    char **profile_paths; /* per profile row: the JSON path it set, with its origin */
    origin *profile_at;
    size_t nprofile;
    area_name *areas;
    size_t nareas;
    int areas_unread; /* the areas table had errors of its own: names cannot be checked */
    cli_lines errors;
    size_t nerrors; /* all errors, shown or not */
    int nomem;
    int cur_file;   /* the file being read */
} imp;

#if defined(__GNUC__)
#define IMPORT_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define IMPORT_PRINTF(a, b)
#endif

/* Records an error (the first IMPORT_MAX_ERRORS are kept for showing). */
IMPORT_PRINTF(2, 3) static void report(imp *I, const char *fmt, ...)
{
    I->nerrors++;
    if (I->errors.n >= IMPORT_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *line = n < 0 ? NULL : malloc((size_t)n + 1);
    if (line != NULL)
        vsnprintf(line, (size_t)n + 1, fmt, again);
    va_end(again);
    va_end(ap);
    cli_lines_add(&I->errors, line);
}

static const char *file_name(const imp *I, uint32_t f)
{
    return I->files[f].path;
}

static const char *heading_of(const imp *I, uint32_t f, int mcol)
{
    const infile *in = &I->files[f];
    for (size_t h = 0; h < in->ncols; h++)
        if (in->mcol_of[h] == mcol)
            return in->headings[h];
    return I->m.c[mcol].field;
}

/* ---- the mapping, read from its CSV text --------------------------------------------------- */

typedef struct map_reader {
    mapping *m;
    int which; /* 0 tables, 1 columns, 2 words */
    int bad;
} map_reader;

static int find_table(const mapping *m, const char *name)
{
    for (size_t i = 0; i < m->nt; i++)
        if (strcmp(m->t[i].name, name) == 0)
            return (int)i;
    return -1;
}

static int parse_type(mcol *c, const char *type)
{
    if (strncmp(type, "list:", 5) == 0) {
        c->list = 1;
        type += 5;
    }
    if (strncmp(type, "word:", 5) == 0) {
        c->base = B_WORD;
        c->vocab = dup(type + 5);
        return c->vocab ? 0 : -1;
    }
    for (size_t b = 0; b < sizeof base_names / sizeof base_names[0]; b++)
        if (strcmp(type, base_names[b]) == 0) {
            c->base = (enum base)b;
            c->vocab = (c->base == B_BOOL || c->base == B_FLAG) ? dup("bool") : NULL;
            return 0;
        }
    return -1;
}

static int map_table_row(mapping *m, char **cells, size_t n)
{
    if (n < 3)
        return -1;
    mtable *t = &m->t[m->nt];
    memset(t, 0, sizeof *t);
    t->parent = -1;
    m->nt++;
    t->name = dup(cells[0]);
    t->target = dup(cells[1]);
    if (!t->name || !t->target || split_names(&t->names, cells[2]) != 0)
        return -1;
    char *slash = strchr(t->target, '/');
    if (slash != NULL) {
        *slash = '\0';
        t->parent = find_table(m, t->target);
        t->member = dup(slash + 1);
        *slash = '/';
        if (t->parent < 0 || t->member == NULL)
            return -1;
    }
    return 0;
}

static int map_column_row(mapping *m, char **cells, size_t n)
{
    if (n < 5)
        return -1;
    mcol *c = &m->c[m->nc];
    memset(c, 0, sizeof *c);
    m->nc++;
    c->table = find_table(m, cells[0]);
    c->field = dup(cells[1]);
    c->required = strcmp(cells[3], "R") == 0;
    if (c->table < 0 || !c->field || parse_type(c, cells[2]) != 0)
        return -1;
    return split_names(&c->names, cells[4]);
}

static int map_word_row(mapping *m, char **cells, size_t n)
{
    if (n < 3)
        return -1;
    mword *w = &m->w[m->nw];
    memset(w, 0, sizeof *w);
    m->nw++;
    w->vocab = dup(cells[0]);
    w->word = dup(cells[1]);
    if (!w->vocab || !w->word)
        return -1;
    return split_names(&w->names, cells[2]);
}

static int grow(void **items, size_t n, size_t size)
{
    /* The mapping is small: one more slot at a time, in powers of two. */
    if (n & (n - 1) && n != 0)
        return 0;
    void *p = realloc(*items, (n ? 2 * n : 1) * size);
    if (p == NULL)
        return -1;
    *items = p;
    return 0;
}

static int on_map_row(void *state, char **cells, size_t n, size_t row)
{
    map_reader *r = state;
    if (row == 1 || n == 0)
        return 0; /* the heading; a blank line */
    mapping *m = r->m;
    int rc;
    if (r->which == 0)
        rc = grow((void **)&m->t, m->nt, sizeof *m->t) != 0 ? -1 : map_table_row(m, cells, n);
    else if (r->which == 1)
        rc = grow((void **)&m->c, m->nc, sizeof *m->c) != 0 ? -1 : map_column_row(m, cells, n);
    else
        rc = grow((void **)&m->w, m->nw, sizeof *m->w) != 0 ? -1 : map_word_row(m, cells, n);
    if (rc != 0)
        r->bad = 1;
    return rc;
}

static void mapping_free(mapping *m)
{
    for (size_t i = 0; i < m->nt; i++) {
        free(m->t[i].name);
        free(m->t[i].target);
        free(m->t[i].member);
        free_names(&m->t[i].names);
    }
    for (size_t i = 0; i < m->nc; i++) {
        free(m->c[i].field);
        free(m->c[i].vocab);
        free_names(&m->c[i].names);
    }
    for (size_t i = 0; i < m->nw; i++) {
        free(m->w[i].vocab);
        free(m->w[i].word);
        free_names(&m->w[i].names);
    }
    free(m->t);
    free(m->c);
    free(m->w);
    memset(m, 0, sizeof *m);
}

/* The mapping compiled into the program; -1 when out of memory (the data are the
 * build's own, so a malformed row is the build's mistake, reported the same way). */
static int mapping_load(mapping *m)
{
    memset(m, 0, sizeof *m);
    const unsigned char *texts[] = {cli_import_tables_csv, cli_import_columns_csv,
                                    cli_import_words_csv};
    const size_t lengths[] = {cli_import_tables_csv_len, cli_import_columns_csv_len,
                              cli_import_words_csv_len};
    for (int k = 0; k < 3; k++) {
        map_reader r = {m, k, 0};
        size_t bad_row;
        if (read_csv((const char *)texts[k], lengths[k], on_map_row, &r, &bad_row) != 0 || r.bad)
            return -1;
    }
    return 0;
}

/* ---- cell values ----------------------------------------------------------------------------- */

static int all_digits(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* The words of @p vocab for a message: "illness (因病, 01, 1), disability (...)". */
static char *vocab_words(const mapping *m, const char *vocab)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (f == NULL)
        return NULL;
    int first = 1;
    for (size_t i = 0; i < m->nw; i++) {
        if (strcmp(m->w[i].vocab, vocab) != 0)
            continue;
        fprintf(f, "%s%s (", first ? "" : ", ", m->w[i].word);
        for (size_t k = 0; k < m->w[i].names.n; k++)
            fprintf(f, "%s%s", k ? ", " : "", m->w[i].names.v[k]);
        fputc(')', f);
        first = 0;
    }
    return fclose(f) == 0 ? out : (free(out), NULL);
}

static const char *find_word(const mapping *m, const char *vocab, const char *s)
{
    for (size_t i = 0; i < m->nw; i++)
        if (strcmp(m->w[i].vocab, vocab) == 0 &&
            (same_name(m->w[i].word, s) || names_has(&m->w[i].names, s)))
            return m->w[i].word;
    return NULL;
}

/* "-?digits(.d{1,2})?": money and mu as the scenario writes them. */
static int is_decimal(const char *s)
{
    if (*s == '-')
        s++;
    size_t digits = strspn(s, "0123456789");
    if (digits == 0)
        return 0;
    s += digits;
    if (*s == '\0')
        return 1;
    if (*s != '.')
        return 0;
    size_t frac = strspn(s + 1, "0123456789");
    return (frac == 1 || frac == 2) && s[1 + frac] == '\0';
}

/* YYYY-MM-DD, and the forms a spreadsheet shows: YYYY/M/D, YYYY.M.D, YYYY年M月D日. Only
 * the form is checked here; whether it is a real day, the library's loader says. */
static int parse_date(char out[32], const char *s)
{
    unsigned y, mo, d;
    char a[8], b[8];
    int n = 0;
    int dashed = sscanf(s, "%4u%7[-/.]%2u%7[-/.]%2u%n", &y, a, &mo, b, &d, &n) == 5 &&
                 s[n] == '\0' && strlen(a) == 1 && a[0] == b[0];
    n = 0;
    int chinese = !dashed && sscanf(s, "%4u年%2u月%2u%n", &y, &mo, &d, &n) == 3 && n > 0 &&
                  strcmp(s + n, "日") == 0;
    if (!dashed && !chinese)
        return -1;
    if (y < 1000 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31)
        return -1;
    snprintf(out, 32, "%04u-%02u-%02u", y, mo, d);
    return 0;
}

static int cmp_area_name(const void *a, const void *b)
{
    return strcmp(((const area_name *)a)->name, ((const area_name *)b)->name);
}

/* By name, then code: a message naming two areas of one name names them in code order. */
static int cmp_area_name_code(const void *a, const void *b)
{
    int c = cmp_area_name(a, b);
    return c != 0 ? c : strcmp(((const area_name *)a)->code, ((const area_name *)b)->code);
}

/* An area by code, or by its name when the areas table gives it once. */
static json_t *area_value(const imp *I, const char *s, char **why)
{
    if (all_digits(s) && strlen(s) == 12)
        return json_string(s);
    if (strpbrk(s, "Ee") != NULL && strspn(s, "0123456789.Ee+") == strlen(s)) {
        *why = dup("a 12-digit area code, not a number Excel shortened (format the column as text)");
        return NULL;
    }
    area_name key = {s, NULL};
    const area_name *hit = I->nareas ? bsearch(&key, I->areas, I->nareas, sizeof key, cmp_area_name) : NULL;
    if (hit == NULL && I->areas_unread)
        return json_string(s); /* the areas table's own errors are reported; nothing is written */
    if (hit == NULL) {
        *why = dup("a 12-digit area code (统计用区划代码), or the name of an area of the areas table");
        return NULL;
    }
    const area_name *lo = hit, *hi = hit;
    while (lo > I->areas && strcmp(lo[-1].name, s) == 0)
        lo--;
    while (hi + 1 < I->areas + I->nareas && strcmp(hi[1].name, s) == 0)
        hi++;
    if (lo != hi) {
        *why = cli_strdupf("one area; %zu areas have this name (%s, %s%s): give the code",
                           (size_t)(hi - lo + 1), lo[0].code, lo[1].code, hi - lo > 1 ? ", ..." : "");
        return NULL;
    }
    return json_string(hit->code);
}

static json_t *integer_value(const char *s, char **why, const char *what, long long lo, long long hi)
{
    const char *digits = s[0] == '-' ? s + 1 : s;
    errno = 0;
    long long v = all_digits(digits) ? strtoll(s, NULL, 10) : 0;
    if (!all_digits(digits) || errno != 0 || v < lo || v > hi) {
        *why = dup(what);
        return NULL;
    }
    return json_integer(v);
}

/* One value of a cell (one item of a list cell), trimmed, not empty. NULL with *why set
 * (what was expected) when it is not of its type, or with *why NULL when out of memory. */
static json_t *one_value(const imp *I, const mcol *c, char *s, char **why)
{
    char date[32];
    const char *w;
    switch (c->base) {
    case B_ID:
        return integer_value(s, why, "a positive whole number (an id)", 1, INT64_MAX);
    case B_INT:
        return integer_value(s, why, "a whole number", INT64_MIN + 1, INT64_MAX);
    case B_YEAR:
        return integer_value(s, why, "a year of four digits (1900..9999)", 1900, 9999);
    case B_MONEY:
    case B_MU:
        if (is_decimal(s))
            return json_string(s);
        *why = dup(c->base == B_MONEY ? "an amount in yuan: digits, then a point and one or two digits, or none (3600.00)"
                                      : "an area in mu: digits, then a point and one or two digits, or none (2.50)");
        return NULL;
    case B_DATE:
        if (parse_date(date, s) == 0)
            return json_string(date);
        *why = dup("a date, YYYY-MM-DD (or YYYY/M/D, YYYY年M月D日)");
        return NULL;
    case B_CODE:
        if (all_digits(s) && strlen(s) == 12)
            return json_string(s);
        *why = dup(strpbrk(s, "Ee") ? "a 12-digit area code, not a number Excel shortened (format the column as text)"
                                    : "a 12-digit area code (统计用区划代码)");
        return NULL;
    case B_IGNORE:
        return json_null(); /* never asked: row_record passes these columns over */
    case B_AREA:
        return area_value(I, s, why);
    case B_TEXT:
        return json_string(s);
    case B_BOOL:
    case B_FLAG:
    case B_WORD:
        w = find_word(&I->m, c->vocab, s);
        if (w != NULL)
            return c->base == B_WORD ? json_string(w) : json_boolean(strcmp(w, "true") == 0);
        {
            char *list = vocab_words(&I->m, c->vocab);
            *why = list ? cli_strdupf("one of %s", list) : NULL;
            free(list);
        }
        return NULL;
    }
    return NULL;
}

/* The separators of a list cell: ; and ； for every list; , ， and 、 also for lists of
 * ids, numbers and words. A text keeps them: "丹参、桔梗规范化种植基地" is one project.
 * Returns the separator's length at @p s, or 0. */
static size_t separator_at(const char *s, int text)
{
    if (*s == ';')
        return 1;
    if (strncmp(s, "；", 3) == 0)
        return 3;
    if (!text && *s == ',')
        return 1;
    if (!text && (strncmp(s, "，", 3) == 0 || strncmp(s, "、", 3) == 0))
        return 3;
    return 0;
}

static json_t *list_value(const imp *I, const mcol *c, char *s, char **why)
{
    json_t *list = json_array();
    if (list == NULL)
        return NULL;
    for (char *start = s;;) {
        char *p = start;
        size_t sep = 0;
        while (*p && (sep = separator_at(p, c->base == B_TEXT)) == 0)
            p++;
        char saved = *p;
        *p = '\0';
        char *item = trim(start);
        json_t *v = NULL;
        if (*item == '\0')
            *why = dup("a list without empty items");
        else
            v = one_value(I, c, item, why);
        *p = saved;
        if (v == NULL || json_array_append_new(list, v) != 0) {
            if (*why != NULL && c->list) {
                char *more = cli_strdupf("a list separated by ;%s, each %s",
                                         c->base == B_TEXT ? "" : " (or , 、)", *why);
                free(*why);
                *why = more;
            }
            json_decref(list);
            return NULL;
        }
        if (saved == '\0')
            return list;
        start = p + sep;
    }
}

/* The value of a non-empty cell. */
static json_t *cell_value(const imp *I, const mcol *c, char *cell, char **why)
{
    *why = NULL;
    char *s = trim(cell);
    return c->list ? list_value(I, c, s, why) : one_value(I, c, s, why);
}

/* ---- a table's heading -------------------------------------------------------------------- */

static int column_by_heading(const mapping *m, int table, const char *heading)
{
    for (size_t i = 0; i < m->nc; i++)
        if (m->c[i].table == table && (same_name(m->c[i].field, heading) || names_has(&m->c[i].names, heading)))
            return (int)i;
    return -1;
}

/* "id (户编号, 户码), village (村, 行政村), ..." for a message about a heading. */
static char *table_columns(const mapping *m, int table, int profile_keys)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (f == NULL)
        return NULL;
    int first = 1;
    for (size_t i = 0; i < m->nc; i++) {
        if (m->c[i].table != table || (profile_keys >= 0 && (m->c[i].field[0] != '@') != profile_keys))
            continue;
        fprintf(f, "%s%s", first ? "" : "; ", m->c[i].names.v[0]);
        for (size_t k = 1; k < m->c[i].names.n; k++)
            fprintf(f, "%s%s", k == 1 ? " (" : ", ", m->c[i].names.v[k]);
        if (m->c[i].names.n > 1)
            fputc(')', f);
        first = 0;
    }
    return fclose(f) == 0 ? out : (free(out), NULL);
}

static int is_profile(const imp *I, int table)
{
    return strcmp(I->m.t[table].name, "profile") == 0;
}

static int read_heading(imp *I, infile *in, char **cells, size_t n)
{
    in->ncols = n;
    in->mcol_of = calloc(n ? n : 1, sizeof *in->mcol_of);
    in->headings = calloc(n ? n : 1, sizeof *in->headings);
    if (in->mcol_of == NULL || in->headings == NULL)
        return I->nomem = 1, -1;
    int profile = is_profile(I, in->table);
    for (size_t h = 0; h < n; h++) {
        char *name = trim(cells[h]);
        in->headings[h] = dup(name);
        if (in->headings[h] == NULL)
            return I->nomem = 1, -1;
        int c = *name == '\0' ? -1 : column_by_heading(&I->m, in->table, name);
        if (c >= 0 && profile && I->m.c[c].field[0] != '@')
            c = -2; /* a profile key is a row, not a column */
        in->mcol_of[h] = c;
        if (*name != '\0' && c < 0) {
            char *known = table_columns(&I->m, in->table, profile ? 0 : -1);
            report(I, "%s, column %zu \"%s\": unknown column; expected one of %s", in->path, h + 1,
                   name, known ? known : "(out of memory)");
            free(known);
        }
        for (size_t k = 0; k < h && c >= 0 && I->m.c[c].base != B_IGNORE; k++)
            if (in->mcol_of[k] == c)
                report(I, "%s, column %zu \"%s\": the same column as column %zu \"%s\" (%s)",
                       in->path, h + 1, name, k + 1, in->headings[k], I->m.c[c].field);
    }
    for (size_t i = 0; i < I->m.nc; i++) {
        const mcol *c = &I->m.c[i];
        if (c->table != in->table || !c->required)
            continue;
        size_t h = 0;
        while (h < n && in->mcol_of[h] != (int)i)
            h++;
        if (h == n)
            report(I, "%s: missing column %s (a required one: %s%s%s)", in->path, c->names.v[0],
                   c->field, c->names.n > 1 ? ", or " : "", c->names.n > 1 ? c->names.v[1] : "");
    }
    in->header_done = 1;
    return 0;
}

/* ---- a row into a record -------------------------------------------------------------------- */

/* Sets @p v at the '/'-separated @p path of @p obj, making the objects on the way. */
static int set_path(json_t *obj, const char *path, json_t *v)
{
    const char *slash = strchr(path, '/');
    if (slash == NULL)
        return json_object_set_new(obj, path, v);
    char key[128];
    size_t n = (size_t)(slash - path);
    if (n >= sizeof key) {
        json_decref(v);
        return -1;
    }
    memcpy(key, path, n);
    key[n] = '\0';
    json_t *inner = json_object_get(obj, key);
    if (inner == NULL) {
        inner = json_object();
        if (inner == NULL || json_object_set_new(obj, key, inner) != 0) {
            json_decref(v);
            return -1;
        }
    }
    return set_path(inner, slash + 1, v);
}

static int append_origin(imp *I, int table, size_t index, origin at)
{
    if ((index & (index - 1)) == 0) {
        origin *o = realloc(I->origins[table], (index ? 2 * index : 1) * sizeof *o);
        if (o == NULL)
            return I->nomem = 1, -1;
        I->origins[table] = o;
    }
    I->origins[table][index] = at;
    return 0;
}

/* The cells of a row as a record (NULL when a cell was bad: each is reported). The
 * parent key columns (^) of a part go to @p key. */
static json_t *row_record(imp *I, const infile *in, char **cells, size_t n, size_t row,
                          json_int_t key[2], char **year_key)
{
    json_t *rec = json_object();
    if (rec == NULL)
        return I->nomem = 1, NULL;
    int bad = 0, nkey = 0;
    int is_assured = strcmp(I->m.t[in->table].name, "assured") == 0;
    json_t *flags = is_assured ? json_array() : NULL;
    for (size_t h = 0; h < in->ncols; h++) {
        const mcol *c = in->mcol_of[h] >= 0 ? &I->m.c[in->mcol_of[h]] : NULL;
        static char none[1];
        char *cell = h < n ? cells[h] : none;
        if (c != NULL && c->base == B_IGNORE)
            continue; /* read nowhere: personal data never reach the scenario */
        if (c == NULL) {
            if (in->mcol_of[h] == -1 && *trim(cell) != '\0')
                report(I, "%s, row %zu, column %zu: a value under no heading", in->path, row, h + 1), bad = 1;
            continue;
        }
        cell = trim(cell);
        if (*cell == '\0') {
            if (c->required)
                report(I, "%s, row %zu, column %s: empty; a value is required", in->path, row,
                       in->headings[h]), bad = 1;
            continue;
        }
        char *why = NULL;
        char *shown = dup(cell);
        json_t *v = cell_value(I, c, cell, &why);
        if (v == NULL) {
            if (why == NULL)
                I->nomem = 1;
            else
                report(I, "%s, row %zu, column %s: \"%s\" is not %s", in->path, row, in->headings[h],
                       shown ? shown : "", why);
            free(why);
            free(shown);
            bad = 1;
            continue;
        }
        free(shown);
        if (c->field[0] == '^') {
            key[nkey++] = json_integer_value(v);
            json_decref(v);
        } else if (is_assured && c->base == B_FLAG) {
            if (json_is_true(v) && json_array_append_new(flags, json_string(c->field)) != 0)
                I->nomem = 1;
            json_decref(v);
        } else if (is_assured && strcmp(c->field, "year") == 0) {
            *year_key = cli_strdupf("%lld", (long long)json_integer_value(v));
            json_decref(v);
        } else if (set_path(rec, c->field, v) != 0)
            I->nomem = 1;
    }
    if (bad || I->nomem) {
        json_decref(rec);
        json_decref(flags);
        return NULL;
    }
    if (is_assured) {
        json_decref(rec);
        return flags;
    }
    return rec;
}

static int add_part(imp *I, int table, json_int_t key[2], json_t *value, char *year, origin at)
{
    size_t n = I->nparts[table];
    if (n == I->part_cap[table]) {
        size_t cap = n ? 2 * n : 16;
        part *p = realloc(I->parts[table], cap * sizeof *p);
        if (p == NULL)
            return I->nomem = 1, -1;
        I->parts[table] = p;
        I->part_cap[table] = cap;
    }
    I->parts[table][n] = (part){{key[0], key[1]}, value, year, at};
    I->nparts[table] = n + 1;
    return 0;
}

/* A profile row: KEY, VALUE; the key names the field (poverty_line.2017: a year's line). */
static int profile_row(imp *I, const infile *in, char **cells, size_t n, size_t row)
{
    const char *key = NULL, *value = NULL;
    const char *value_heading = "value";
    for (size_t h = 0; h < in->ncols && h < n; h++) {
        if (in->mcol_of[h] < 0)
            continue;
        if (strcmp(I->m.c[in->mcol_of[h]].field, "@key") == 0)
            key = trim(cells[h]);
        else if (strcmp(I->m.c[in->mcol_of[h]].field, "@value") == 0)
            value = trim(cells[h]), value_heading = in->headings[h];
    }
    if (key == NULL || *key == '\0')
        return (value == NULL || *value == '\0') ? 0 : (report(I, "%s, row %zu: a value without a key", in->path, row), 0);
    const mcol *c = NULL;
    char field[160];
    for (size_t i = 0; i < I->m.nc && c == NULL; i++) {
        const mcol *m = &I->m.c[i];
        if (m->table != in->table || m->field[0] == '@')
            continue;
        for (size_t k = 0; k < m->names.n && c == NULL; k++) {
            const char *name = m->names.v[k];
            size_t len = strlen(name);
            if (len > 1 && name[len - 1] == '*') {
                const char *year = key + len - 1;
                if (strncmp(key, name, len - 1) == 0 && all_digits(year) && strlen(year) == 4) {
                    c = m;
                    snprintf(field, sizeof field, "%.*s%s", (int)(strlen(m->field) - 1), m->field, year);
                }
            } else if (same_name(name, key)) {
                c = m;
                snprintf(field, sizeof field, "%s", m->field);
            }
        }
    }
    if (c == NULL) {
        char *known = table_columns(&I->m, in->table, 1);
        report(I, "%s, row %zu, column key: \"%s\" is not a key of the profile; expected one of %s (YYYY: a year)",
               in->path, row, key, known ? known : "");
        free(known);
        return 0;
    }
    if (value == NULL || *value == '\0') {
        report(I, "%s, row %zu, column %s: empty; a value is required", in->path, row, value_heading);
        return 0;
    }
    char *why = NULL;
    char *cell = dup(value);
    json_t *v = cell ? cell_value(I, c, cell, &why) : NULL;
    free(cell);
    if (v == NULL) {
        if (why == NULL)
            return I->nomem = 1, -1;
        report(I, "%s, row %zu, column %s: \"%s\" is not %s", in->path, row, value_heading, value, why);
        free(why);
        return 0;
    }
    for (size_t i = 0; i < I->nprofile; i++) {
        char dotted[160];
        snprintf(dotted, sizeof dotted, "%s", field);
        for (char *p = dotted; *p; p++)
            if (*p == '/')
                *p = '.';
        if (strcmp(I->profile_paths[i], dotted) == 0) {
            report(I, "%s, row %zu, column key: \"%s\" is given twice (also row %u)", in->path, row,
                   key, (unsigned)I->profile_at[i].row);
            json_decref(v);
            return 0;
        }
    }
    if (set_path(I->top, field, v) != 0)
        return I->nomem = 1, -1;
    char **paths = realloc(I->profile_paths, (I->nprofile + 1) * sizeof *paths);
    origin *at = paths ? realloc(I->profile_at, (I->nprofile + 1) * sizeof *at) : NULL;
    if (paths)
        I->profile_paths = paths;
    if (at == NULL)
        return I->nomem = 1, -1;
    I->profile_at = at;
    char *dotted = dup(field);
    if (dotted == NULL)
        return I->nomem = 1, -1;
    for (char *p = dotted; *p; p++)
        if (*p == '/')
            *p = '.';
    I->profile_paths[I->nprofile] = dotted;
    I->profile_at[I->nprofile++] = (origin){(uint32_t)I->cur_file, (uint32_t)row};
    return 0;
}

static int all_empty(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (*trim(cells[i]) != '\0')
            return 0;
    return 1;
}

static int on_table_row(void *state, char **cells, size_t n, size_t row)
{
    imp *I = state;
    infile *in = &I->files[I->cur_file];
    if (!in->header_done)
        return read_heading(I, in, cells, n);
    if (all_empty(cells, n))
        return 0; /* a blank line, or a row of empty cells a spreadsheet left */
    if (n > in->ncols && !all_empty(cells + in->ncols, n - in->ncols)) {
        report(I, "%s, row %zu: %zu cells, but the heading has %zu columns", in->path, row, n, in->ncols);
        return 0;
    }
    if (I->nomem)
        return -1;
    if (is_profile(I, in->table))
        return profile_row(I, in, cells, n, row);
    json_int_t key[2] = {0, 0};
    char *year = NULL;
    json_t *rec = row_record(I, in, cells, n, row, key, &year);
    if (rec == NULL) {
        free(year);
        return I->nomem ? -1 : 0;
    }
    origin at = {(uint32_t)I->cur_file, (uint32_t)row};
    int t = in->table;
    if (I->m.t[t].parent >= 0)
        return add_part(I, t, key, rec, year, at);
    size_t index = json_array_size(I->records[t]);
    if (append_origin(I, t, index, at) != 0 || json_array_append_new(I->records[t], rec) != 0)
        return I->nomem = 1, -1;
    return 0;
}

/* ---- the parts of records (assured, plan_tasks, plan_persons) into their records --------- */

typedef struct keyed {
    json_int_t key[2];
    size_t index;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    for (int k = 0; k < 2; k++)
        if (x->key[k] != y->key[k])
            return x->key[k] < y->key[k] ? -1 : 1;
    return 0;
}

/* The fields of the parent that the part's ^columns name, in their order. */
static size_t parent_fields(const imp *I, int part_table, const char *fields[2], const char *headings[2])
{
    size_t n = 0;
    for (size_t i = 0; i < I->m.nc && n < 2; i++)
        if (I->m.c[i].table == part_table && I->m.c[i].field[0] == '^') {
            headings[n] = I->m.c[i].names.v[0];
            fields[n++] = I->m.c[i].field + 1;
        }
    return n;
}

static keyed *index_parents(imp *I, int parent, const char *fields[2], size_t nf)
{
    size_t n = json_array_size(I->records[parent]);
    keyed *ix = malloc((n ? n : 1) * sizeof *ix);
    if (ix == NULL)
        return I->nomem = 1, NULL;
    for (size_t i = 0; i < n; i++) {
        json_t *rec = json_array_get(I->records[parent], i);
        ix[i].index = i;
        for (size_t k = 0; k < 2; k++)
            ix[i].key[k] = k < nf ? json_integer_value(json_object_get(rec, fields[k])) : 0;
    }
    qsort(ix, n, sizeof *ix, cmp_keyed);
    return ix;
}

static int add_place(imp *I, int parent, size_t index, char *path, origin at, int part_table)
{
    if (path == NULL)
        return I->nomem = 1, -1;
    if (I->nplaces == I->place_cap) {
        size_t cap = I->place_cap ? 2 * I->place_cap : 64;
        part_place *p = realloc(I->places, cap * sizeof *p);
        if (p == NULL)
            return free(path), I->nomem = 1, -1;
        I->places = p;
        I->place_cap = cap;
    }
    I->places[I->nplaces++] = (part_place){parent, index, path, at, part_table};
    return 0;
}

/* One part into its record: a year's guarantees into "assured", a task or a person
 * appended to its list. */
static int attach(imp *I, int t, part *p, json_t *rec, size_t index)
{
    const char *member = I->m.t[t].member;
    int parent = I->m.t[t].parent;
    json_t *holder = json_object_get(rec, member);
    if (p->year != NULL) {
        if (holder == NULL && json_object_set_new(rec, member, holder = json_object()) != 0)
            return I->nomem = 1, -1;
        if (json_object_get(holder, p->year) != NULL) {
            report(I, "%s, row %u: a second row for household %lld in %s", file_name(I, p->at.file),
                   (unsigned)p->at.row, (long long)p->key[0], p->year);
            return 0;
        }
        if (json_object_set(holder, p->year, p->value) != 0)
            return I->nomem = 1, -1;
        return add_place(I, parent, index, cli_strdupf("%s.%s", member, p->year), p->at, t);
    }
    if (holder == NULL && json_object_set_new(rec, member, holder = json_array()) != 0)
        return I->nomem = 1, -1;
    size_t k = json_array_size(holder);
    if (json_array_append(holder, p->value) != 0)
        return I->nomem = 1, -1;
    return add_place(I, parent, index, cli_strdupf("%s[%zu]", member, k), p->at, t);
}

static int attach_parts(imp *I, int t)
{
    if (I->nparts[t] == 0)
        return 0;
    int parent = I->m.t[t].parent;
    const char *fields[2], *headings[2];
    size_t nf = parent_fields(I, t, fields, headings);
    keyed *ix = index_parents(I, parent, fields, nf);
    if (ix == NULL)
        return -1;
    size_t n = json_array_size(I->records[parent]);
    for (size_t i = 0; i < I->nparts[t] && !I->nomem; i++) {
        part *p = &I->parts[t][i];
        keyed want = {{p->key[0], p->key[1]}, 0};
        keyed *hit = n ? bsearch(&want, ix, n, sizeof want, cmp_keyed) : NULL;
        if (hit == NULL) {
            if (nf == 2)
                report(I, "%s, row %u: no %s of %s %lld and %s %lld in the %s table",
                       file_name(I, p->at.file), (unsigned)p->at.row, I->m.t[parent].name, headings[0],
                       (long long)p->key[0], headings[1], (long long)p->key[1], I->m.t[parent].name);
            else
                report(I, "%s, row %u: no %s %lld in the %s table", file_name(I, p->at.file),
                       (unsigned)p->at.row, headings[0], (long long)p->key[0], I->m.t[parent].name);
            continue;
        }
        attach(I, t, p, json_array_get(I->records[parent], hit->index), hit->index);
    }
    free(ix);
    return I->nomem ? -1 : 0;
}

/* ---- the scenario's text ----------------------------------------------------------------- */

/* One record a line, as the bundled sample is written: readable, and a diff shows the
 * records that changed. */
static int write_scenario(const imp *I, FILE *f)
{
    fputs("{\n  \"vipa\": 1", f);
    const char *top_keys[] = {"as_of", "profile"};
    for (int k = 0; k < 2; k++) {
        json_t *v = json_object_get(I->top, top_keys[k]);
        if (v == NULL)
            continue;
        fprintf(f, ",\n  \"%s\": ", top_keys[k]);
        if (json_dumpf(v, f, JSON_ENCODE_ANY) != 0)
            return -1;
    }
    for (size_t t = 0; t < I->m.nt; t++) {
        size_t n = I->records[t] ? json_array_size(I->records[t]) : 0;
        if (n == 0)
            continue;
        fprintf(f, ",\n  \"%s\": [", I->m.t[t].target);
        for (size_t i = 0; i < n; i++) {
            fputs(i ? ",\n    " : "\n    ", f);
            if (json_dumpf(json_array_get(I->records[t], i), f, 0) != 0)
                return -1;
        }
        fputs("\n  ]", f);
    }
    fputs("\n}\n", f);
    return ferror(f) ? -1 : 0;
}

/* ---- the library's message, back to the cell --------------------------------------------- */

/* The column of @p table whose field is @p path (dots between levels) or holds it. */
static int column_of_path(const mapping *m, int table, const char *path, size_t len)
{
    char field[128];
    if (len >= sizeof field)
        return -1;
    memcpy(field, path, len);
    field[len] = '\0';
    for (char *p = field; *p; p++)
        if (*p == '.')
            *p = '/';
    for (size_t i = 0; i < m->nc; i++)
        if (m->c[i].table == table && strcmp(m->c[i].field, field) == 0)
            return (int)i;
    for (size_t i = 0; i < m->nc; i++)
        if (m->c[i].table == table && strncmp(m->c[i].field, field, len) == 0 && m->c[i].field[len] == '/')
            return (int)i;
    return -1;
}

/* "households.csv, row 5, column 村: MESSAGE" for "households[3].village: MESSAGE". */
static char *cell_message(const imp *I, origin at, int table, const char *rest, const char *message)
{
    size_t len = strcspn(rest, "[:");
    int c = len ? column_of_path(&I->m, table, rest, len) : -1;
    if (c < 0)
        return cli_strdupf("%s, row %u: %s", file_name(I, at.file), (unsigned)at.row, message);
    return cli_strdupf("%s, row %u, column %s: %s", file_name(I, at.file), (unsigned)at.row,
                       heading_of(I, at.file, c), message);
}

static char *profile_message(const imp *I, const char *path, size_t plen, const char *message)
{
    for (size_t i = 0; i < I->nprofile; i++) {
        size_t n = strlen(I->profile_paths[i]);
        if (n <= plen && strncmp(path, I->profile_paths[i], n) == 0 &&
            (n == plen || path[n] == '.' || path[n] == '['))
            return cli_strdupf("%s, row %u, column value: %s", file_name(I, I->profile_at[i].file),
                               (unsigned)I->profile_at[i].row, message);
    }
    return NULL;
}

/* The record @p index of table @p t (or the part of it that @p sub names: "tasks[2]...",
 * "assured.2017") as "FILE, row R[, column C]: MESSAGE". */
static char *record_message(const imp *I, int t, size_t index, const char *sub, const char *message)
{
    for (size_t p = 0; p < I->nplaces; p++) {
        const part_place *pl = &I->places[p];
        size_t pn = strlen(pl->path);
        if (pl->table == t && pl->index == index && strncmp(sub, pl->path, pn) == 0 &&
            (sub[pn] == '.' || sub[pn] == '[' || sub[pn] == '\0')) {
            const char *inner = sub + pn + (sub[pn] == '.');
            return cell_message(I, pl->at, pl->part_table, inner[0] == '[' ? "" : inner, message);
        }
    }
    return cell_message(I, I->origins[t][index], t, sub, message);
}

/* The loader's message with its JSON path turned into the file, row and column that made
 * the value; the message as it is when the path names nothing imported. The path is
 * the record's ("agreements[0]: field entity: ...", the add's words) or a value's in it
 * ("households[3].assured.2017[1]: ..."). */
static char *map_message(const imp *I, const char *err)
{
    const char *colon = strstr(err, ": ");
    if (colon == NULL)
        return dup(err);
    const char *message = colon + 2;
    size_t plen = (size_t)(colon - err);
    char *m = profile_message(I, err, plen, message);
    if (m != NULL)
        return m;
    for (size_t t = 0; t < I->m.nt; t++) {
        const char *name = I->m.t[t].target;
        size_t n = strlen(name);
        if (I->m.t[t].parent >= 0 || strncmp(err, name, n) != 0 || err[n] != '[')
            continue;
        char *end;
        unsigned long long index = strtoull(err + n + 1, &end, 10);
        if (*end != ']' || index >= json_array_size(I->records[t]) || end > colon)
            break;
        char sub[256];
        const char *from = end + 1;
        if (strncmp(from, " (", 2) == 0 && memchr(from, ')', (size_t)(colon - from)) != NULL)
            from = (const char *)memchr(from, ')', (size_t)(colon - from)) + 1; /* "(id 1001)" */
        from += *from == '.';
        size_t sn = from < colon ? (size_t)(colon - from) : 0;
        if (sn == 0 && strncmp(message, "field ", 6) == 0) {
            /* "field NAME: what" or "field NAME is 9; expected ...": NAME is the column. */
            from = message + 6;
            sn = strcspn(from, ": ");
            message = from[sn] == ':' ? from + sn + (from[sn + 1] == ' ' ? 2 : 1) : from;
        }
        if (sn >= sizeof sub)
            sn = 0;
        memcpy(sub, from, sn);
        sub[sn] = '\0';
        return record_message(I, (int)t, (size_t)index, sub, message);
    }
    return dup(err);
}

/* Loads the text into @p into, or into a scratch context when NULL: the library's own
 * checks (references, periods, evaluations) on what the tables made. */
static int check_load(imp *I, const char *json, size_t length, vipa_ctx *into)
{
    vipa_ctx *ctx = into;
    int st = into != NULL ? VIPA_OK : vipa_ctx_new(&ctx, NULL);
    if (st != VIPA_OK)
        return st;
    const char *err = NULL;
    st = vipa_scenario_load(ctx, json, length, &err);
    if (st != VIPA_OK && st != VIPA_E_NOMEM) {
        char *m = map_message(I, err != NULL && *err ? err : vipa_strerror(st));
        cli_lines_add(&((imp *)I)->errors, m);
        I->nerrors++;
    }
    if (into == NULL)
        vipa_ctx_free(ctx);
    return st;
}

/* ---- the files ------------------------------------------------------------------------------ */

/* The table a file's name gives ("households.csv", "贫困户.csv"), -1 for none. */
static int table_of_file(const mapping *m, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n < 5 || strcasecmp(base + n - 4, ".csv") != 0)
        return -1;
    char name[256];
    if (n - 4 >= sizeof name)
        return -1;
    memcpy(name, base, n - 4);
    name[n - 4] = '\0';
    for (size_t t = 0; t < m->nt; t++)
        if (names_has(&m->t[t].names, name))
            return (int)t;
    return -1;
}

static char *table_names(const mapping *m)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    if (f == NULL)
        return NULL;
    for (size_t t = 0; t < m->nt; t++)
        fprintf(f, "%s%s.csv (%s.csv)", t ? ", " : "", m->t[t].names.v[0],
                m->t[t].names.n > 1 ? m->t[t].names.v[1] : m->t[t].names.v[0]);
    return fclose(f) == 0 ? out : (free(out), NULL);
}

static int add_file(imp *I, const char *path)
{
    int t = table_of_file(&I->m, path);
    if (t < 0) {
        char *known = table_names(&I->m);
        report(I, "%s: not a table of a scenario; the file names are %s", path, known ? known : "");
        free(known);
        return 0;
    }
    for (size_t i = 0; i < I->nfiles; i++)
        if (I->files[i].table == t) {
            report(I, "%s: the %s table again (also %s)", path, I->m.t[t].name, I->files[i].path);
            return 0;
        }
    infile *files = realloc(I->files, (I->nfiles + 1) * sizeof *files);
    if (files == NULL)
        return I->nomem = 1, -1;
    I->files = files;
    memset(&files[I->nfiles], 0, sizeof *files);
    files[I->nfiles].path = dup(path);
    files[I->nfiles].table = t;
    if (files[I->nfiles].path == NULL)
        return I->nomem = 1, -1;
    I->nfiles++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .csv files of a directory (others, and hidden or Excel lock files, are left). */
static int add_directory(imp *I, const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        cli_errorf("vipa import: %s: %s\n", dir, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    char **list = NULL;
    size_t n = 0;
    struct dirent *e;
    int rc = CLI_EXIT_OK;
    while ((e = readdir(d)) != NULL && rc == CLI_EXIT_OK) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || strncmp(e->d_name, "~$", 2) == 0 || len < 5 ||
            strcasecmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        char **more = realloc(list, (n + 1) * sizeof *list);
        char *path = cli_strdupf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
        if (more)
            list = more;
        if (more == NULL || path == NULL) {
            free(path);
            rc = CLI_EXIT_INTERNAL;
            break;
        }
        list[n++] = path;
    }
    closedir(d);
    qsort(list, n, sizeof *list, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (rc == CLI_EXIT_OK && add_file(I, list[i]) != 0)
            rc = CLI_EXIT_INTERNAL;
        free(list[i]);
    }
    free(list);
    if (rc == CLI_EXIT_OK && n == 0)
        report(I, "%s: no .csv file in the directory", dir);
    return rc;
}

/* Whether the bytes can be read as UTF-8 text; reports why not. The BOM Excel writes
 * with "CSV UTF-8" is skipped (*skip). */
static int check_encoding(imp *I, const char *path, const char *data, size_t length, size_t *skip)
{
    const unsigned char *u = (const unsigned char *)data;
    *skip = length >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf ? 3 : 0;
    if (length >= 2 && ((u[0] == 0xff && u[1] == 0xfe) || (u[0] == 0xfe && u[1] == 0xff))) {
        report(I, "%s: UTF-16 text (Excel's \"Unicode text\"); save it as \"CSV UTF-8\"", path);
        return -1;
    }
    if (memchr(data, '\0', length) != NULL) {
        report(I, "%s: a NUL byte; not a text file", path);
        return -1;
    }
    size_t bad = utf8_bad_at(u + *skip, length - *skip);
    if (bad == SIZE_MAX)
        return 0;
    if (reads_as_gb18030(data, length))
        report(I, "%s: not UTF-8 but GB18030 (GBK), as Excel saves \"CSV (逗号分隔)\" in China; "
                  "save it as \"CSV UTF-8 (逗号分隔)\", or convert it: iconv -f GB18030 -t UTF-8",
               path);
    else
        report(I, "%s: not UTF-8 (byte %zu); save it as \"CSV UTF-8\"", path, bad + *skip + 1);
    return -1;
}

static void index_areas(imp *I)
{
    int t = find_table(&I->m, "areas");
    size_t n = t >= 0 ? json_array_size(I->records[t]) : 0;
    free(I->areas);
    I->areas = malloc((n ? n : 1) * sizeof *I->areas);
    I->nareas = 0;
    if (I->areas == NULL) {
        I->nomem = 1;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *rec = json_array_get(I->records[t], i);
        const char *name = json_string_value(json_object_get(rec, "name"));
        const char *code = json_string_value(json_object_get(rec, "code"));
        if (name && code)
            I->areas[I->nareas++] = (area_name){name, code};
    }
    qsort(I->areas, I->nareas, sizeof *I->areas, cmp_area_name_code);
}

static int read_table_file(imp *I, size_t f)
{
    infile *in = &I->files[f];
    char *data = NULL;
    size_t length = 0, skip = 0, bad_row = 0;
    int rc = cli_read_file(&data, &length, in->path);
    if (rc != CLI_EXIT_OK)
        return rc;
    I->cur_file = (int)f;
    size_t errors_before = I->nerrors;
    if (check_encoding(I, in->path, data, length, &skip) == 0) {
        int st = read_csv(data + skip, length - skip, on_table_row, I, &bad_row);
        if (st == -1)
            report(I, "%s, row %zu: a quote out of place (in CSV a quoted cell's quotes are doubled: \"\")",
                   in->path, bad_row);
        else if (st == -2 || I->nomem)
            rc = CLI_EXIT_INTERNAL;
        if (st == 0 && !in->header_done)
            report(I, "%s: empty; expected a heading row", in->path);
    }
    free(data);
    if (strcmp(I->m.t[in->table].name, "areas") == 0) {
        index_areas(I);
        I->areas_unread |= I->nerrors > errors_before;
    }
    return rc;
}

static int cmp_file_table(const void *a, const void *b)
{
    return ((const infile *)a)->table - ((const infile *)b)->table;
}

/* ---- the import ------------------------------------------------------------------------------- */

static int imp_init(imp *I)
{
    memset(I, 0, sizeof *I);
    if (mapping_load(&I->m) != 0)
        return -1;
    size_t n = I->m.nt;
    I->records = calloc(n, sizeof *I->records);
    I->origins = calloc(n, sizeof *I->origins);
    I->parts = calloc(n, sizeof *I->parts);
    I->nparts = calloc(n, sizeof *I->nparts);
    I->part_cap = calloc(n, sizeof *I->part_cap);
    I->top = json_object();
    if (!I->records || !I->origins || !I->parts || !I->nparts || !I->part_cap || !I->top)
        return -1;
    for (size_t t = 0; t < n; t++)
        if (I->m.t[t].parent < 0 && (I->records[t] = json_array()) == NULL)
            return -1;
    return 0;
}

static void imp_free(imp *I)
{
    for (size_t f = 0; f < I->nfiles; f++) {
        for (size_t h = 0; h < I->files[f].ncols; h++)
            free(I->files[f].headings[h]);
        free(I->files[f].headings);
        free(I->files[f].mcol_of);
        free(I->files[f].path);
    }
    free(I->files);
    for (size_t t = 0; t < I->m.nt && I->records; t++) {
        json_decref(I->records[t]);
        free(I->origins ? I->origins[t] : NULL);
        for (size_t i = 0; I->nparts && i < I->nparts[t]; i++) {
            json_decref(I->parts[t][i].value);
            free(I->parts[t][i].year);
        }
        free(I->parts ? I->parts[t] : NULL);
    }
    free(I->records);
    free(I->origins);
    free(I->parts);
    free(I->nparts);
    free(I->part_cap);
    for (size_t i = 0; i < I->nplaces; i++)
        free(I->places[i].path);
    free(I->places);
    for (size_t i = 0; i < I->nprofile; i++)
        free(I->profile_paths[i]);
    free(I->profile_paths);
    free(I->profile_at);
    free(I->areas);
    json_decref(I->top);
    cli_lines_free(&I->errors);
    mapping_free(&I->m);
}

static void print_errors(const imp *I)
{
    for (size_t i = 0; i < I->errors.n; i++)
        cli_errorf("vipa import: %s\n", I->errors.items[i]);
    if (I->nerrors > I->errors.n)
        fprintf(stderr, "vipa import: ... and %zu more errors (the first %d are shown)\n",
                I->nerrors - I->errors.n, IMPORT_MAX_ERRORS);
    fprintf(stderr, "vipa import: %zu error%s; nothing written\n", I->nerrors, I->nerrors == 1 ? "" : "s");
}

static int gather(imp *I, char *const *paths, size_t npaths)
{
    for (size_t i = 0; i < npaths; i++) {
        struct stat st;
        int rc = CLI_EXIT_OK;
        if (stat(paths[i], &st) != 0)
            report(I, "%s: %s", paths[i], strerror(errno));
        else if (S_ISDIR(st.st_mode))
            rc = add_directory(I, paths[i]);
        else if (add_file(I, paths[i]) != 0)
            rc = CLI_EXIT_INTERNAL;
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    /* Read in the mapping's order: the areas before the tables that name them. */
    qsort(I->files, I->nfiles, sizeof *I->files, cmp_file_table);
    for (size_t f = 0; f < I->nfiles; f++) {
        int rc = read_table_file(I, f);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    for (size_t t = 0; t < I->m.nt && I->nerrors == 0; t++)
        if (I->m.t[t].parent >= 0 && attach_parts(I, t) != 0)
            return CLI_EXIT_INTERNAL;
    return I->nomem ? CLI_EXIT_INTERNAL : CLI_EXIT_OK;
}

int cli_import(char **json, size_t *length, char *const *paths, size_t npaths, vipa_ctx *into)
{
    *json = NULL;
    *length = 0;
    imp I;
    if (imp_init(&I) != 0) {
        imp_free(&I);
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    }
    int rc = gather(&I, paths, npaths);
    if (rc == CLI_EXIT_OK && I.nerrors == 0) {
        FILE *f = open_memstream(json, length);
        if (f == NULL || write_scenario(&I, f) != 0 || fclose(f) != 0)
            rc = CLI_EXIT_INTERNAL;
        int st = rc == CLI_EXIT_OK ? check_load(&I, *json, *length, into) : VIPA_OK;
        if (st == VIPA_E_NOMEM)
            rc = CLI_EXIT_INTERNAL;
    }
    if (rc == CLI_EXIT_INTERNAL)
        fprintf(stderr, "vipa import: out of memory\n");
    else if (I.nerrors > 0 || I.errors.nomem) {
        print_errors(&I);
        rc = CLI_EXIT_INPUT;
    }
    if (rc != CLI_EXIT_OK) {
        free(*json);
        *json = NULL;
        *length = 0;
    }
    imp_free(&I);
    return rc;
}

int cli_is_directory(const char *path)
{
    struct stat st;
    return path != NULL && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- the command ------------------------------------------------------------------------------ */

int cli_cmd_import(int argc, char **argv)
{
    const char *out = NULL;
    char **paths = calloc((size_t)argc + 1, sizeof *paths);
    if (paths == NULL)
        return fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL;
    size_t n = 0;
    int only_files = 0, rc = CLI_EXIT_OK;
    for (int i = 1; i < argc && rc == CLI_EXIT_OK; i++) {
        const char *arg = argv[i];
        int m = only_files ? 0 : cli_opt_value(&out, argc, argv, &i, "-o");
        if (m == 0 && !only_files)
            m = cli_opt_value(&out, argc, argv, &i, "--output");
        if (m < 0)
            rc = cli_usage_error("import", "option needs a value", arg);
        else if (m > 0)
            continue;
        else if (!only_files && strcmp(arg, "--") == 0)
            only_files = 1;
        else if (!only_files && arg[0] == '-' && arg[1] != '\0')
            rc = cli_usage_error("import", "unknown option", arg);
        else
            paths[n++] = argv[i];
    }
    if (rc == CLI_EXIT_OK && n == 0)
        rc = cli_usage_error("import", "missing a directory or CSV files", NULL);
    char *json = NULL;
    size_t length = 0;
    if (rc == CLI_EXIT_OK)
        rc = cli_import(&json, &length, paths, n, NULL);
    if (rc == CLI_EXIT_OK)
        rc = out != NULL && strcmp(out, "-") != 0 ? cli_write_output(out, json, length)
                                                   : cli_write_stdout(json, length);
    free(json);
    free(paths);
    return rc;
}
