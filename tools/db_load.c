/* `vipa run FILE.db`: a scenario read from a SQLite database of the schema of
 * docs/database.sql (`vipa schema`, docs/database.md) into a context, record kind by
 * record kind, in the order of docs/scenario.md ("Records are loaded in this order").
 *
 * Each kind is one cursor (ORDER BY its key, so the order rows were inserted in does not
 * matter) feeding chunks of CHUNK records to the library's batch calls, as the benchmark
 * loads a province (bench/vipa_bench.c); a kind's lists (an agreement's households, a
 * plan's tasks) are child tables read by cursors of their own in the same key order,
 * merged with the parent's as they go. Memory is the context's records plus one chunk:
 * never the database.
 *
 * Here only the forms are checked (the SQLite type of each value, words, dates, codes),
 * which the library cannot see; the library checks every record as it does a JSON one,
 * and its messages, which count records within a batch, are told by table and rowid. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "cli.h"

/* Records per batch call: a cursor's worth, as a platform would fetch them. */
enum { CHUNK = 4096 };

/* How long a read waits for a writer's lock before giving up. */
enum { BUSY_TIMEOUT_MS = 5000 };

/* ---- texts and lists of one chunk ---------------------------------------------------- */

/* Texts and lists read for the records of a chunk live until the chunk is added: a
 * list of blocks, freed at once. (sqlite3_column_text() is valid only until the next
 * step, and the batch calls borrow every pointer.) */
typedef struct block {
    struct block *next;
    size_t used, cap;
    max_align_t data[];
} block;

typedef struct arena {
    block *head;
} arena;

static void *arena_alloc(arena *a, size_t size)
{
    size = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    if (size == 0)
        size = sizeof(max_align_t);
    if (a->head == NULL || a->head->cap - a->head->used < size) {
        size_t cap = size > 65536 ? size : 65536;
        block *b = malloc(sizeof *b + cap);
        if (b == NULL)
            return NULL;
        b->next = a->head;
        b->used = 0;
        b->cap = cap;
        a->head = b;
    }
    void *p = (char *)a->head->data + a->head->used;
    a->head->used += size;
    return p;
}

static void arena_reset(arena *a)
{
    while (a->head != NULL) {
        block *next = a->head->next;
        free(a->head);
        a->head = next;
    }
}

/* ---- the reader ------------------------------------------------------------------------ */

typedef struct db {
    sqlite3 *db;
    const char *path; /* as given, for messages */
    vipa_ctx *ctx;
    arena chunk;
    int rc; /* the CLI_EXIT_* code of the first failure, told on stderr */
} db;

/* The row being read, for messages: its table and rowid (or its place in key order
 * when the table has no rowid: a view, a WITHOUT ROWID table). */
typedef struct where {
    const char *table;
    sqlite3_int64 rowid;
    int has_rowid;
    size_t row; /* 1-based, in key order */
} where;

static int fail(db *d, int rc, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int fail(db *d, int rc, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cli_errorf("vipa: %s: %s\n", d->path, text);
    d->rc = rc;
    return rc;
}

static int nomem(db *d)
{
    fprintf(stderr, "vipa: out of memory\n");
    d->rc = CLI_EXIT_INTERNAL;
    return d->rc;
}

/* "households rowid 12", or "households row 12" for a table without rowids. */
static const char *row_name(char *buf, size_t size, const where *w)
{
    if (w->has_rowid)
        snprintf(buf, size, "%s rowid %lld", w->table, (long long)w->rowid);
    else
        snprintf(buf, size, "%s row %zu", w->table, w->row);
    return buf;
}

/* A failure of SQLite itself: a locked database or an unreadable file is the reading's
 * (exit 3); anything else (not a database, a column missing) is the input's. */
static int fail_sqlite(db *d, const char *what)
{
    int code = sqlite3_errcode(d->db) & 0xff;
    int rc = code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_IOERR ||
                     code == SQLITE_NOMEM || code == SQLITE_CANTOPEN
                 ? CLI_EXIT_INTERNAL
                 : CLI_EXIT_INPUT;
    return fail(d, rc, "%s: %s", what, sqlite3_errmsg(d->db));
}

static const char *type_name(int type)
{
    switch (type) {
    case SQLITE_INTEGER:
        return "an INTEGER";
    case SQLITE_FLOAT:
        return "a REAL";
    case SQLITE_TEXT:
        return "TEXT";
    case SQLITE_BLOB:
        return "a BLOB";
    default:
        return "NULL";
    }
}

/* The value of column @p col, shown in a message: its type and a cut of its text. */
static void value_text(char *buf, size_t size, sqlite3_stmt *st, int col)
{
    int type = sqlite3_column_type(st, col);
    if (type == SQLITE_TEXT || type == SQLITE_FLOAT || type == SQLITE_INTEGER) {
        const unsigned char *t = sqlite3_column_text(st, col);
        snprintf(buf, size, "%s %s%.40s%s", type_name(type), type == SQLITE_TEXT ? "'" : "",
                 t == NULL ? "" : (const char *)t, type == SQLITE_TEXT ? "'" : "");
    } else
        snprintf(buf, size, "%s", type_name(type));
}

static int fail_value(db *d, const where *w, sqlite3_stmt *st, int col, const char *expected)
{
    char at[160], value[80];
    value_text(value, sizeof value, st, col);
    return fail(d, CLI_EXIT_INPUT, "%s: %s is %s; expected %s", row_name(at, sizeof at, w),
                sqlite3_column_name(st, col), value, expected);
}

/* ---- typed columns ------------------------------------------------------------------ */

/* Whether column @p col is NULL: left out, for an optional field; an error for a
 * required one (@p required), reported. Returns 1 (NULL), 0 (a value) or -1. */
static int is_null(db *d, const where *w, sqlite3_stmt *st, int col, int required,
                   const char *expected)
{
    if (sqlite3_column_type(st, col) != SQLITE_NULL)
        return 0;
    if (!required)
        return 1;
    fail_value(d, w, st, col, expected);
    return -1;
}

/* An INTEGER within [min, max]; *out unchanged for NULL. Returns 0 or a CLI_EXIT_* code. */
static int col_int(db *d, const where *w, sqlite3_stmt *st, int col, int required, int64_t min,
                   int64_t max, const char *expected, int64_t *out)
{
    int n = is_null(d, w, st, col, required, expected);
    if (n != 0)
        return n < 0 ? d->rc : 0;
    if (sqlite3_column_type(st, col) != SQLITE_INTEGER)
        return fail_value(d, w, st, col, expected);
    sqlite3_int64 v = sqlite3_column_int64(st, col);
    if (v < min || v > max)
        return fail_value(d, w, st, col, expected);
    *out = v;
    return 0;
}

static int col_id(db *d, const where *w, sqlite3_stmt *st, int col, int required, vipa_id *out)
{
    int64_t v = 0;
    int rc = col_int(d, w, st, col, required, 1, INT64_MAX, "a positive INTEGER id", &v);
    if (rc == 0 && v > 0)
        *out = (vipa_id)v;
    return rc;
}

static int col_year(db *d, const where *w, sqlite3_stmt *st, int col, int required, int *out)
{
    int64_t v = 0;
    int rc = col_int(d, w, st, col, required, 1900, 9999, "a year, an INTEGER 1900..9999", &v);
    if (rc == 0 && v != 0)
        *out = (int)v;
    return rc;
}

static int col_bool(db *d, const where *w, sqlite3_stmt *st, int col, int required, int *out)
{
    int64_t v = 0;
    int rc = col_int(d, w, st, col, required, 0, 1, "a boolean, the INTEGER 0 or 1", &v);
    if (rc == 0)
        *out = (int)v;
    return rc;
}

/* Money: an INTEGER of fen, never yuan as TEXT or REAL. */
static int col_fen(db *d, const where *w, sqlite3_stmt *st, int col, int required, vipa_fen *out)
{
    return col_int(d, w, st, col, required, INT64_MIN, INT64_MAX,
                   "money as an INTEGER of fen (3600.00 yuan is 360000)", out);
}

/* TEXT, copied for the chunk (NULL for an optional one left out). */
static int col_text(db *d, const where *w, sqlite3_stmt *st, int col, int required,
                    const char **out)
{
    int n = is_null(d, w, st, col, required, "TEXT");
    if (n != 0)
        return n < 0 ? d->rc : 0;
    if (sqlite3_column_type(st, col) != SQLITE_TEXT)
        return fail_value(d, w, st, col, "TEXT");
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    if (t == NULL)
        return nomem(d);
    if (memchr(t, '\0', len) != NULL)
        return fail_value(d, w, st, col, "TEXT without a NUL character");
    char *copy = arena_alloc(&d->chunk, len + 1);
    if (copy == NULL)
        return nomem(d);
    memcpy(copy, t, len + 1);
    *out = copy;
    return 0;
}

/* A TEXT value, borrowed until the next step (words, dates, codes: parsed at once). */
static int col_form(db *d, const where *w, sqlite3_stmt *st, int col, int required,
                    const char *expected, const char **out)
{
    int n = is_null(d, w, st, col, required, expected);
    if (n != 0)
        return n < 0 ? d->rc : 0;
    if (sqlite3_column_type(st, col) != SQLITE_TEXT)
        return fail_value(d, w, st, col, expected);
    *out = (const char *)sqlite3_column_text(st, col);
    return *out == NULL ? nomem(d) : 0;
}

static int col_date(db *d, const where *w, sqlite3_stmt *st, int col, int required,
                    vipa_date *out)
{
    static const char expected[] = "a date, TEXT 'YYYY-MM-DD' naming a real day";
    const char *t = NULL;
    int rc = col_form(d, w, st, col, required, expected, &t);
    if (rc != 0 || t == NULL)
        return rc;
    if (strlen(t) != 10 || vipa_date_parse(out, t) != VIPA_OK)
        return fail_value(d, w, st, col, expected);
    return 0;
}

static int col_code(db *d, const where *w, sqlite3_stmt *st, int col, int required,
                    vipa_area_code *out)
{
    static const char expected[] = "an area code, TEXT of 12 digits";
    const char *t = NULL;
    int rc = col_form(d, w, st, col, required, expected, &t);
    if (rc != 0 || t == NULL)
        return rc;
    if (strlen(t) != 12 || strspn(t, "0123456789") != 12 || vipa_area_code_parse(out, t) != VIPA_OK)
        return fail_value(d, w, st, col, expected);
    return 0;
}

/* One of @p words (a NULL-terminated list whose k-th word is code k + 1); *out
 * unchanged for an optional NULL. */
static int col_word(db *d, const where *w, sqlite3_stmt *st, int col, int required,
                    const char *const *words, int *out)
{
    char expected[256];
    size_t len = (size_t)snprintf(expected, sizeof expected, "one of");
    for (size_t k = 0; words[k] != NULL && len < sizeof expected; k++)
        len += (size_t)snprintf(expected + len, sizeof expected - len, "%s '%s'", k ? "," : "",
                                words[k]);
    const char *t = NULL;
    int rc = col_form(d, w, st, col, required, expected, &t);
    if (rc != 0 || t == NULL)
        return rc;
    for (int k = 0; words[k] != NULL; k++)
        if (strcmp(t, words[k]) == 0) {
            *out = k + 1;
            return 0;
        }
    return fail_value(d, w, st, col, expected);
}

/* The scenario's words, in the order of the library's enumerations (from 1). */
static const char *const level_words[] = {"county", "town", "village", NULL};
static const char *const entity_kind_words[] = {"enterprise", "park", "cooperative",
                                                "family_farm", "large_grower", NULL};
static const char *const cause_words[] = {
    "illness",        "disability",     "schooling",      "disaster",
    "lack_of_land",   "lack_of_water",  "lack_of_skills", "lack_of_labour",
    "lack_of_capital", "poor_transport", "lack_of_drive",  NULL};
static const char *const signer_words[] = {"village", "town", "county", "not_provided", NULL};
static const char *const linkage_kind_words[] = {"wage", "land_rent", "participation", NULL};
static const char *const allocation_words[] = {"per_household", "per_member", "weights", NULL};
static const char *const contribution_kind_words[] = {"land",    "technology", "resources",
                                                      "housing", "labour",     "cash",
                                                      NULL};

/* ---- cursors ----------------------------------------------------------------------------- */

/* Whether @p table is there, as a table or a view; and whether it has rowids. */
static int has_table(db *d, const char *table, int *rowids)
{
    sqlite3_stmt *st = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(d->db,
                           "SELECT type FROM sqlite_schema WHERE name = ?1 COLLATE NOCASE "
                           "AND type IN ('table', 'view')",
                           -1, &st, NULL) != SQLITE_OK)
        return fail_sqlite(d, "reading its tables"), -1;
    sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
    int step = sqlite3_step(st);
    found = step == SQLITE_ROW;
    sqlite3_finalize(st);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return fail_sqlite(d, "reading its tables"), -1;
    if (!found) {
        fail(d, CLI_EXIT_INPUT, "no table %s; expected every table of `vipa schema` (an empty "
             "table for no records of its kind)", table);
        return -1;
    }
    char *sql = sqlite3_mprintf("SELECT rowid FROM \"%w\" LIMIT 0", table);
    if (sql == NULL)
        return nomem(d), -1;
    *rowids = sqlite3_prepare_v2(d->db, sql, -1, &st, NULL) == SQLITE_OK;
    sqlite3_finalize(st);
    sqlite3_free(sql);
    return 0;
}

/* A cursor on @p table: "SELECT <rowid>, COLUMNS FROM table ORDER BY ORDER". @p order
 * "rowid" keeps the table's own order (kinds whose order changes no figure), which a
 * table without rowids does not have: it is then read as it comes. */
typedef struct cursor {
    sqlite3_stmt *st;
    where at;
    int has_row;
} cursor;

static int cursor_open(db *d, cursor *c, const char *table, const char *columns,
                       const char *order)
{
    int rowids = 0;
    memset(c, 0, sizeof *c);
    c->at.table = table;
    if (has_table(d, table, &rowids) != 0)
        return d->rc;
    int by_rowid = strcmp(order, "rowid") == 0;
    char *sql = sqlite3_mprintf("SELECT %s, %s FROM \"%w\"%s%s", rowids ? "rowid" : "NULL",
                                columns, table, by_rowid && !rowids ? "" : " ORDER BY ",
                                by_rowid && !rowids ? "" : order);
    if (sql == NULL)
        return nomem(d);
    c->at.has_rowid = rowids;
    int st = sqlite3_prepare_v2(d->db, sql, -1, &c->st, NULL);
    sqlite3_free(sql);
    if (st != SQLITE_OK) {
        char what[128];
        snprintf(what, sizeof what, "table %s (see `vipa schema`)", table);
        return fail_sqlite(d, what);
    }
    return 0;
}

/* Steps to the next row: c->has_row tells whether there is one. */
static int cursor_step(db *d, cursor *c)
{
    int st = sqlite3_step(c->st);
    c->has_row = st == SQLITE_ROW;
    if (st != SQLITE_ROW && st != SQLITE_DONE) {
        char what[128];
        snprintf(what, sizeof what, "reading table %s", c->at.table);
        return fail_sqlite(d, what);
    }
    if (c->has_row) {
        c->at.rowid = sqlite3_column_int64(c->st, 0);
        c->at.row++;
    }
    return 0;
}

static void cursor_close(cursor *c)
{
    sqlite3_finalize(c->st);
    c->st = NULL;
}

/* ---- child tables: lists merged with their parent's cursor --------------------------------- */

/* A child table read in its parent's key order (one or two INTEGER key columns first,
 * then the values); the rows of each parent are taken as the parent's cursor reaches it,
 * and a row whose parent never comes is an error (a foreign key to nothing). */
typedef struct child {
    cursor c;
    int nkey;
    int64_t key[2];
    const char *parent; /* the parent table, for messages */
} child;

static int child_read_key(db *d, child *k)
{
    for (int i = 0; i < k->nkey; i++) {
        int rc = col_int(d, &k->c.at, k->c.st, 1 + i, 1, INT64_MIN, INT64_MAX,
                         "an INTEGER id of its parent", &k->key[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int child_next(db *d, child *k)
{
    int rc = cursor_step(d, &k->c);
    return rc == 0 && k->c.has_row ? child_read_key(d, k) : rc;
}

static int child_open(db *d, child *k, const char *table, int nkey, const char *columns,
                      const char *order, const char *parent)
{
    memset(k, 0, sizeof *k);
    k->nkey = nkey;
    k->parent = parent;
    int rc = cursor_open(d, &k->c, table, columns, order);
    return rc == 0 ? child_next(d, k) : rc;
}

static int key_cmp(const int64_t *a, const int64_t *b, int n)
{
    for (int i = 0; i < n; i++)
        if (a[i] != b[i])
            return a[i] < b[i] ? -1 : 1;
    return 0;
}

static int fail_orphan(db *d, child *k)
{
    char at[160];
    if (k->nkey == 1)
        return fail(d, CLI_EXIT_INPUT, "%s: %s %lld is not in table %s",
                    row_name(at, sizeof at, &k->c.at), sqlite3_column_name(k->c.st, 1),
                    (long long)k->key[0], k->parent);
    return fail(d, CLI_EXIT_INPUT, "%s: (%s %lld, %s %lld) is not in table %s",
                row_name(at, sizeof at, &k->c.at), sqlite3_column_name(k->c.st, 1),
                (long long)k->key[0], sqlite3_column_name(k->c.st, 2), (long long)k->key[1],
                k->parent);
}

/* Moves to the rows of parent @p key: returns 1 when the current row is one, 0 when the
 * parent has none (left), or a CLI_EXIT_* code (negated) after a failure. */
static int child_at(db *d, child *k, const int64_t *key)
{
    if (k->c.has_row && key_cmp(k->key, key, k->nkey) < 0) {
        fail_orphan(d, k);
        return -1;
    }
    return k->c.has_row && key_cmp(k->key, key, k->nkey) == 0;
}

/* Every row was taken by a parent. */
static int child_finish(db *d, child *k)
{
    int rc = k->c.has_row ? fail_orphan(d, k) : 0;
    cursor_close(&k->c);
    return rc;
}

/* Counts (and checks, by @p check) the rows of parent @p key. */
typedef int (*child_check_fn)(db *d, child *k);

static int child_count(db *d, child *k, const int64_t *key, child_check_fn check, size_t *n)
{
    int at;
    *n = 0;
    while ((at = child_at(d, k, key)) == 1) {
        int rc = check != NULL ? check(d, k) : 0;
        if (rc == 0)
            rc = child_next(d, k);
        if (rc != 0)
            return rc;
        (*n)++;
    }
    return at < 0 ? d->rc : 0;
}

/* A growing array of one chunk's list, copied into the chunk when complete. */
typedef struct list {
    void *items;
    size_t n, cap, size;
} list;

static void *list_push(db *d, list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        void *p = realloc(l->items, cap * l->size);
        if (p == NULL)
            return nomem(d), NULL;
        l->items = p;
        l->cap = cap;
    }
    return (char *)l->items + l->n++ * l->size;
}

/* The list's items in the chunk (NULL for none); the list is emptied for the next. */
static int list_take(db *d, list *l, const void **out)
{
    *out = NULL;
    if (l->n > 0) {
        void *p = arena_alloc(&d->chunk, l->n * l->size);
        if (p == NULL)
            return nomem(d);
        memcpy(p, l->items, l->n * l->size);
        *out = p;
    }
    l->n = 0;
    return 0;
}

/* ---- one record kind: a cursor into chunks of batch calls -------------------------------- */

typedef struct kind kind;
typedef int (*read_fn)(db *d, const kind *k, cursor *c, void *record);
typedef int (*batch_fn)(vipa_ctx *ctx, const void *records, size_t n);

struct kind {
    const char *table;
    const char *columns; /* after the rowid */
    const char *order;
    size_t size;          /* of the input struct */
    const void *init;     /* its _INIT value */
    read_fn read;
    batch_fn add;
    /* the kind's child tables, opened beside its cursor (NULL: none) */
    int (*open_children)(db *d, void *state);
    int (*finish_children)(db *d, void *state);
    void *state;
};

/* The library names a record of a batch "<kind>[<index>]"; the message tells its table
 * and rowid instead. */
static int fail_batch(db *d, const kind *k, const sqlite3_int64 *rowids, const size_t *rows,
                      int has_rowid, size_t n, int status)
{
    const char *msg = vipa_ctx_errmsg(d->ctx);
    if (msg == NULL || msg[0] == '\0')
        msg = vipa_strerror(status);
    const char *open = strchr(msg, '['), *space = strchr(msg, ' ');
    char *end = NULL;
    unsigned long long index = open != NULL && (space == NULL || open < space)
                                   ? strtoull(open + 1, &end, 10)
                                   : 0;
    int rc = cli_exit_for_status(status);
    if (end != NULL && *end == ']' && index < n) {
        where w = {k->table, rowids[index], has_rowid, rows[index]};
        char at[160];
        return fail(d, rc, "%s%s", row_name(at, sizeof at, &w), end + 1);
    }
    return fail(d, rc, "%s: %s", k->table, msg);
}

static int load_kind(db *d, const kind *k)
{
    cursor c;
    memset(&c, 0, sizeof c);
    char *records = malloc(CHUNK * k->size);
    sqlite3_int64 *rowids = malloc(CHUNK * sizeof *rowids);
    size_t *rows = malloc(CHUNK * sizeof *rows);
    int rc = records == NULL || rowids == NULL || rows == NULL ? nomem(d) : 0;
    if (rc == 0)
        rc = cursor_open(d, &c, k->table, k->columns, k->order);
    int children = rc == 0 && k->open_children != NULL;
    if (children)
        rc = k->open_children(d, k->state);
    size_t n = 0;
    while (rc == 0 && (rc = cursor_step(d, &c)) == 0 && c.has_row) {
        void *record = records + n * k->size;
        memcpy(record, k->init, k->size);
        rowids[n] = c.at.rowid;
        rows[n] = c.at.row;
        rc = k->read(d, k, &c, record);
        if (rc == 0 && ++n == CHUNK) {
            int st = k->add(d->ctx, records, n);
            rc = st != VIPA_OK ? fail_batch(d, k, rowids, rows, c.at.has_rowid, n, st) : 0;
            arena_reset(&d->chunk);
            n = 0;
        }
    }
    if (rc == 0 && n > 0) {
        int st = k->add(d->ctx, records, n);
        rc = st != VIPA_OK ? fail_batch(d, k, rowids, rows, c.at.has_rowid, n, st) : 0;
    }
    if (children) {
        int crc = k->finish_children(d, k->state);
        rc = rc != 0 ? rc : crc;
    }
    if (c.st != NULL)
        cursor_close(&c);
    arena_reset(&d->chunk);
    free(records);
    free(rowids);
    free(rows);
    return rc;
}

/* ---- areas, entities, households, guarantees ------------------------------------------------ */

#define AT (&c->at), (c->st)

static int read_area(db *d, const kind *k, cursor *c, void *record)
{
    vipa_area *a = record;
    int level = 0;
    (void)k;
    int rc = col_code(d, AT, 1, 1, &a->code);
    if (rc == 0)
        rc = col_text(d, AT, 2, 1, &a->name);
    if (rc == 0)
        rc = col_word(d, AT, 3, 1, level_words, &level);
    if (rc == 0)
        rc = col_text(d, AT, 4, 0, &a->industry);
    a->level = (vipa_area_level)level;
    return rc;
}

static int read_entity(db *d, const kind *k, cursor *c, void *record)
{
    vipa_entity *e = record;
    int kind_code = 0;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &e->id);
    if (rc == 0)
        rc = col_text(d, AT, 2, 1, &e->name);
    if (rc == 0)
        rc = col_word(d, AT, 3, 1, entity_kind_words, &kind_code);
    if (rc == 0)
        rc = col_text(d, AT, 4, 0, &e->uscc);
    if (rc == 0)
        rc = col_code(d, AT, 5, 1, &e->core_village);
    if (rc == 0)
        rc = col_text(d, AT, 6, 1, &e->industry);
    /* The eight criteria of 三(二), in the order of vipa_selection_flag's bits. */
    for (int bit = 0; rc == 0 && bit < 8; bit++) {
        int met = 0;
        rc = col_bool(d, AT, 7 + bit, 0, &met);
        e->selection |= met ? 1u << bit : 0;
    }
    e->kind = (vipa_entity_kind)kind_code;
    return rc;
}

static int read_household(db *d, const kind *k, cursor *c, void *record)
{
    vipa_household *h = record;
    int64_t members = 0, labour = 0;
    int cause = 0;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &h->id);
    if (rc == 0)
        rc = col_code(d, AT, 2, 1, &h->village);
    if (rc == 0)
        rc = col_int(d, AT, 3, 1, 1, VIPA_MEMBERS_MAX, "an INTEGER 1..99", &members);
    if (rc == 0)
        rc = col_int(d, AT, 4, 1, 0, VIPA_MEMBERS_MAX, "an INTEGER 0..members", &labour);
    if (rc == 0)
        rc = col_word(d, AT, 5, 1, cause_words, &cause);
    if (rc == 0)
        rc = col_bool(d, AT, 6, 1, &h->willing);
    if (rc == 0)
        rc = col_year(d, AT, 7, 0, &h->exited_year);
    h->members = (int)members;
    h->labour = (int)labour;
    h->cause = (vipa_cause)cause;
    return rc;
}

static int read_guarantees(db *d, const kind *k, cursor *c, void *record)
{
    vipa_assured *a = record;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &a->household);
    if (rc == 0)
        rc = col_year(d, AT, 2, 1, &a->year);
    /* The five guarantees, in the order of vipa_assured_item's bits. */
    for (int bit = 0; rc == 0 && bit < 5; bit++) {
        int held = 0;
        rc = col_bool(d, AT, 3 + bit, 0, &held);
        a->items |= held ? 1u << bit : 0;
    }
    return rc;
}

/* ---- agreements and their lists ---------------------------------------------------------------- */

typedef struct agreement_lists {
    child households, projects, support;
    list ids, texts;
} agreement_lists;

static int open_agreement_lists(db *d, void *state)
{
    agreement_lists *s = state;
    int rc = child_open(d, &s->households, "agreement_households", 1, "agreement, household",
                        "agreement, ordinal", "agreements");
    if (rc == 0)
        rc = child_open(d, &s->projects, "agreement_projects", 1, "agreement, project",
                        "agreement, ordinal", "agreements");
    if (rc == 0)
        rc = child_open(d, &s->support, "agreement_support", 1, "agreement, measure",
                        "agreement, ordinal", "agreements");
    return rc;
}

static int finish_agreement_lists(db *d, void *state)
{
    agreement_lists *s = state;
    int rc = d->rc != 0 ? d->rc : 0;
    child *all[] = {&s->households, &s->projects, &s->support};
    for (size_t i = 0; i < 3; i++) {
        if (rc == 0)
            rc = child_finish(d, all[i]);
        else
            cursor_close(&all[i]->c);
    }
    free(s->ids.items);
    free(s->texts.items);
    s->ids.items = s->texts.items = NULL;
    s->ids.cap = s->texts.cap = 0;
    return rc;
}

/* A child row's value column (after the key) is TEXT. */
static int check_text(db *d, child *k)
{
    const char *t = NULL;
    return col_form(d, &k->c.at, k->c.st, 1 + k->nkey, 1, "TEXT", &t);
}

static int agreement_households(db *d, agreement_lists *s, const int64_t *key, vipa_agreement *a)
{
    int at;
    while ((at = child_at(d, &s->households, key)) == 1) {
        vipa_id *id = list_push(d, &s->ids);
        if (id == NULL)
            return d->rc;
        int rc = col_id(d, &s->households.c.at, s->households.c.st, 2, 1, id);
        if (rc == 0)
            rc = child_next(d, &s->households);
        if (rc != 0)
            return rc;
    }
    if (at < 0)
        return d->rc;
    a->household_len = s->ids.n;
    return list_take(d, &s->ids, (const void **)&a->households);
}

static int agreement_support(db *d, agreement_lists *s, const where *parent, const int64_t *key,
                             vipa_agreement *a)
{
    int at;
    while ((at = child_at(d, &s->support, key)) == 1) {
        const char **text = list_push(d, &s->texts);
        if (text == NULL)
            return d->rc;
        int rc = col_text(d, &s->support.c.at, s->support.c.st, 2, 1, text);
        if (rc == 0)
            rc = child_next(d, &s->support);
        if (rc != 0)
            return rc;
    }
    if (at < 0)
        return d->rc;
    if (s->texts.n == 0)
        return 0;
    if (a->support_count != 0) {
        char name[160];
        return fail(d, CLI_EXIT_INPUT, "%s: support_count is given with rows in "
                    "agreement_support; expected the measures' texts or, when they are not "
                    "known, their number, not both", row_name(name, sizeof name, parent));
    }
    a->support_count = s->texts.n;
    return list_take(d, &s->texts, (const void **)&a->support);
}

static int read_agreement(db *d, const kind *k, cursor *c, void *record)
{
    vipa_agreement *a = record;
    agreement_lists *s = k->state;
    int64_t count = -1, support = 0, bp = 0;
    int level = 0;
    int rc = col_id(d, AT, 1, 1, &a->id);
    if (rc == 0)
        rc = col_id(d, AT, 2, 1, &a->entity);
    if (rc == 0)
        rc = col_int(d, AT, 3, 0, 0, INT64_MAX, "a count, an INTEGER ≥ 0", &count);
    if (rc == 0)
        rc = col_int(d, AT, 4, 0, 0, INT64_MAX, "a count, an INTEGER ≥ 0", &support);
    if (rc == 0)
        rc = col_date(d, AT, 5, 0, &a->start);
    if (rc == 0)
        rc = col_date(d, AT, 6, 0, &a->end);
    if (rc == 0)
        rc = col_year(d, AT, 7, 0, &a->exit_deadline);
    if (rc == 0)
        rc = col_date(d, AT, 8, 0, &a->signed_on);
    if (rc == 0)
        rc = col_word(d, AT, 9, 0, signer_words, &level);
    if (rc == 0)
        rc = col_code(d, AT, 10, 0, &a->signer_area);
    if (rc == 0)
        rc = col_int(d, AT, 11, 0, 0, INT64_MAX, "basis points, an INTEGER ≥ 0", &bp);
    if (rc != 0)
        return rc;
    a->signer_level = (vipa_signer_level)level;
    a->household_count = count;
    a->support_count = (size_t)support;
    a->dividend_bp = (vipa_bp)bp;
    if (a->signer_level == VIPA_SIGNER_UNRECORDED && a->signer_area != 0) {
        char at[160];
        return fail(d, CLI_EXIT_INPUT, "%s: signer_area is given without a signer_level",
                    row_name(at, sizeof at, &c->at));
    }
    int64_t key[1] = {(int64_t)a->id};
    rc = agreement_households(d, s, key, a);
    if (rc == 0)
        rc = child_count(d, &s->projects, key, check_text, &a->project_count);
    if (rc == 0)
        rc = agreement_support(d, s, &c->at, key, a);
    return rc;
}

/* ---- plans and their lists ---------------------------------------------------------------------- */

typedef struct plan_lists {
    child industries, measures, tasks, persons;
    list years, incomes;
} plan_lists;

static int open_plan_lists(db *d, void *state)
{
    plan_lists *s = state;
    static const char order[] = "household, agreement, ordinal";
    int rc = child_open(d, &s->industries, "plan_industries", 2,
                        "household, agreement, industry", order, "plans");
    if (rc == 0)
        rc = child_open(d, &s->measures, "plan_measures", 2, "household, agreement, measure",
                        order, "plans");
    if (rc == 0)
        rc = child_open(d, &s->tasks, "plan_tasks", 2, "household, agreement, year, income, task",
                        order, "plans");
    if (rc == 0)
        rc = child_open(d, &s->persons, "plan_persons", 2, "household, agreement, member, task",
                        order, "plans");
    return rc;
}

static int finish_plan_lists(db *d, void *state)
{
    plan_lists *s = state;
    int rc = d->rc != 0 ? d->rc : 0;
    child *all[] = {&s->industries, &s->measures, &s->tasks, &s->persons};
    for (size_t i = 0; i < 4; i++) {
        if (rc == 0)
            rc = child_finish(d, all[i]);
        else
            cursor_close(&all[i]->c);
    }
    free(s->years.items);
    free(s->incomes.items);
    s->years.items = s->incomes.items = NULL;
    s->years.cap = s->incomes.cap = 0;
    return rc;
}

/* A per-person task: a member number and a text, both required. */
static int check_person(db *d, child *k)
{
    int64_t member = 0;
    const char *t = NULL;
    int rc = col_int(d, &k->c.at, k->c.st, 3, 1, 1, VIPA_MEMBERS_MAX,
                     "a member number, an INTEGER 1..99", &member);
    return rc == 0 ? col_form(d, &k->c.at, k->c.st, 4, 1, "TEXT", &t) : rc;
}

static int plan_tasks(db *d, plan_lists *s, const int64_t *key, vipa_plan *p)
{
    int at, any_income = 0;
    while ((at = child_at(d, &s->tasks, key)) == 1) {
        int *year = list_push(d, &s->years);
        vipa_fen *income = year != NULL ? list_push(d, &s->incomes) : NULL;
        if (income == NULL)
            return d->rc;
        const char *t = NULL;
        *year = 0;
        *income = VIPA_FEN_UNSET;
        int rc = col_year(d, &s->tasks.c.at, s->tasks.c.st, 3, 1, year);
        if (rc == 0)
            rc = col_fen(d, &s->tasks.c.at, s->tasks.c.st, 4, 0, income);
        if (rc == 0 && *income != VIPA_FEN_UNSET && *income < 0)
            rc = fail_value(d, &s->tasks.c.at, s->tasks.c.st, 4, "an income target ≥ 0 fen");
        if (rc == 0)
            rc = is_null(d, &s->tasks.c.at, s->tasks.c.st, 5, 0, "TEXT") == 0
                     ? col_form(d, &s->tasks.c.at, s->tasks.c.st, 5, 0, "TEXT", &t)
                     : 0;
        any_income |= *income != VIPA_FEN_UNSET;
        if (rc == 0)
            rc = child_next(d, &s->tasks);
        if (rc != 0)
            return rc;
    }
    if (at < 0)
        return d->rc;
    p->task_len = s->years.n;
    int rc = list_take(d, &s->years, (const void **)&p->task_years);
    if (rc == 0 && any_income)
        rc = list_take(d, &s->incomes, (const void **)&p->task_incomes);
    s->incomes.n = 0;
    return rc;
}

static int read_plan(db *d, const kind *k, cursor *c, void *record)
{
    vipa_plan *p = record;
    plan_lists *s = k->state;
    int rc = col_id(d, AT, 1, 1, &p->household);
    if (rc == 0)
        rc = col_id(d, AT, 2, 1, &p->agreement);
    if (rc == 0)
        rc = col_year(d, AT, 3, 0, &p->exit_target);
    /* filed_county, filed_town, filed_village: the bits of vipa_filed_level in order. */
    for (int bit = 0; rc == 0 && bit < 3; bit++) {
        int filed = 0;
        rc = col_bool(d, AT, 4 + bit, 0, &filed);
        p->filed |= filed ? 1u << bit : 0;
    }
    int64_t key[2] = {(int64_t)p->household, (int64_t)p->agreement};
    if (rc == 0)
        rc = child_count(d, &s->industries, key, check_text, &p->industry_count);
    if (rc == 0)
        rc = child_count(d, &s->measures, key, check_text, &p->measure_count);
    if (rc == 0)
        rc = plan_tasks(d, s, key, p);
    if (rc == 0)
        rc = child_count(d, &s->persons, key, check_person, &p->person_task_count);
    return rc;
}

/* ---- the money records ------------------------------------------------------------------------ */

static int read_linkage(db *d, const kind *k, cursor *c, void *record)
{
    vipa_linkage *l = record;
    int kind_code = 0;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &l->id);
    if (rc == 0)
        rc = col_word(d, AT, 2, 1, linkage_kind_words, &kind_code);
    if (rc == 0)
        rc = col_id(d, AT, 3, 1, &l->household);
    if (rc == 0)
        rc = col_id(d, AT, 4, 1, &l->entity);
    if (rc == 0)
        rc = col_id(d, AT, 5, 1, &l->agreement);
    if (rc == 0)
        rc = col_year(d, AT, 6, 1, &l->from_year);
    if (rc == 0)
        rc = col_year(d, AT, 7, 1, &l->to_year);
    if (rc == 0)
        rc = col_fen(d, AT, 8, 0, &l->annual);
    if (rc == 0)
        rc = col_int(d, AT, 9, 0, 1, 366, "days worked, an INTEGER 1..366", &l->days);
    if (rc == 0)
        rc = col_fen(d, AT, 10, 0, &l->daily_wage);
    if (rc == 0)
        rc = col_int(d, AT, 11, 0, 1, INT64_MAX, "an area in 0.01 mu, an INTEGER ≥ 1",
                     &l->area_cmu);
    if (rc == 0)
        rc = col_fen(d, AT, 12, 0, &l->rent_per_mu);
    l->kind = (vipa_linkage_kind)kind_code;
    return rc;
}

typedef struct injection_lists {
    child households;
    list ids, weights;
} injection_lists;

static int open_injection_lists(db *d, void *state)
{
    injection_lists *s = state;
    return child_open(d, &s->households, "injection_households", 1,
                      "injection, household, weight", "injection, ordinal", "injections");
}

static int finish_injection_lists(db *d, void *state)
{
    injection_lists *s = state;
    int rc = d->rc != 0 ? (cursor_close(&s->households.c), d->rc)
                        : child_finish(d, &s->households);
    free(s->ids.items);
    free(s->weights.items);
    s->ids.items = s->weights.items = NULL;
    s->ids.cap = s->weights.cap = 0;
    return rc;
}

/* The households of an injection, with their weights: every row with one under
 * allocation 'weights', none under another (the JSON's "weights", one per household). */
static int injection_households(db *d, injection_lists *s, const where *parent, vipa_injection *in)
{
    int at, weighted = in->allocation == VIPA_ALLOCATION_WEIGHTS;
    int64_t key[1] = {(int64_t)in->id};
    child *k = &s->households;
    while ((at = child_at(d, k, key)) == 1) {
        vipa_id *id = list_push(d, &s->ids);
        uint64_t *weight = id != NULL ? list_push(d, &s->weights) : NULL;
        if (weight == NULL)
            return d->rc;
        int64_t w = 0;
        int rc = col_id(d, &k->c.at, k->c.st, 2, 1, id);
        if (rc == 0 && weighted)
            rc = col_int(d, &k->c.at, k->c.st, 3, 1, 0, INT64_MAX,
                         "a weight, an INTEGER ≥ 0 (the injection's allocation is 'weights')",
                         &w);
        if (rc == 0 && !weighted && sqlite3_column_type(k->c.st, 3) != SQLITE_NULL)
            rc = fail_value(d, &k->c.at, k->c.st, 3,
                            "NULL: weights go with allocation 'weights' only");
        *weight = (uint64_t)w;
        if (rc == 0)
            rc = child_next(d, k);
        if (rc != 0)
            return rc;
    }
    if (at < 0)
        return d->rc;
    if (weighted && s->ids.n == 0) {
        char name[160];
        return fail(d, CLI_EXIT_INPUT, "%s: allocation 'weights' needs its households listed in "
                    "injection_households, one weight each", row_name(name, sizeof name, parent));
    }
    in->household_len = s->ids.n;
    int rc = list_take(d, &s->ids, (const void **)&in->households);
    if (rc == 0 && weighted)
        rc = list_take(d, &s->weights, (const void **)&in->weights);
    s->weights.n = 0;
    return rc;
}

static int read_injection(db *d, const kind *k, cursor *c, void *record)
{
    vipa_injection *in = record;
    int allocation = 0;
    int rc = col_id(d, AT, 1, 1, &in->id);
    if (rc == 0)
        rc = col_id(d, AT, 2, 1, &in->entity);
    if (rc == 0)
        rc = col_id(d, AT, 3, 1, &in->agreement);
    if (rc == 0)
        rc = col_date(d, AT, 4, 1, &in->date);
    if (rc == 0)
        rc = col_fen(d, AT, 5, 1, &in->amount);
    if (rc == 0)
        rc = col_word(d, AT, 6, 0, allocation_words, &allocation);
    in->allocation = (vipa_allocation)allocation;
    return rc == 0 ? injection_households(d, k->state, &c->at, in) : rc;
}

static int read_contribution(db *d, const kind *k, cursor *c, void *record)
{
    vipa_contribution *o = record;
    int kind_code = 0;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &o->household);
    if (rc == 0)
        rc = col_id(d, AT, 2, 1, &o->entity);
    if (rc == 0)
        rc = col_id(d, AT, 3, 0, &o->agreement);
    if (rc == 0)
        rc = col_word(d, AT, 4, 1, contribution_kind_words, &kind_code);
    if (rc == 0)
        rc = col_fen(d, AT, 5, 1, &o->value);
    if (rc == 0)
        rc = col_date(d, AT, 6, 1, &o->date);
    o->kind = (vipa_contribution_kind)kind_code;
    return rc;
}

/* A holder in three columns from @p col: household, collective, entity; exactly one. */
static int read_holder(db *d, cursor *c, int col, vipa_holder_kind *kind, uint64_t *id)
{
    int given = 0;
    for (int i = 0; i < 3; i++)
        given += sqlite3_column_type(c->st, col + i) != SQLITE_NULL;
    if (given != 1) {
        char at[160];
        return fail(d, CLI_EXIT_INPUT, "%s: %d of %s, %s and %s given; expected exactly one "
                    "holder", row_name(at, sizeof at, &c->at), given,
                    sqlite3_column_name(c->st, col), sqlite3_column_name(c->st, col + 1),
                    sqlite3_column_name(c->st, col + 2));
    }
    vipa_id v = 0;
    vipa_area_code code = 0;
    int rc;
    if (sqlite3_column_type(c->st, col) != SQLITE_NULL) {
        *kind = VIPA_HOLDER_HOUSEHOLD;
        rc = col_id(d, AT, col, 1, &v);
    } else if (sqlite3_column_type(c->st, col + 1) != SQLITE_NULL) {
        *kind = VIPA_HOLDER_COLLECTIVE;
        rc = col_code(d, AT, col + 1, 1, &code);
        v = code;
    } else {
        *kind = VIPA_HOLDER_ENTITY;
        rc = col_id(d, AT, col + 2, 1, &v);
    }
    *id = v;
    return rc;
}

static int read_transfer(db *d, const kind *k, cursor *c, void *record)
{
    vipa_transfer *t = record;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &t->entity);
    if (rc == 0)
        rc = read_holder(d, c, 2, &t->from_kind, &t->from_id);
    if (rc == 0)
        rc = read_holder(d, c, 5, &t->to_kind, &t->to_id);
    if (rc == 0)
        rc = col_fen(d, AT, 8, 1, &t->amount);
    if (rc == 0)
        rc = col_date(d, AT, 9, 1, &t->date);
    return rc;
}

static int read_dividend(db *d, const kind *k, cursor *c, void *record)
{
    vipa_dividend *v = record;
    int64_t rate = -1;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &v->entity);
    if (rc == 0)
        rc = col_year(d, AT, 2, 1, &v->year);
    if (rc == 0)
        rc = col_int(d, AT, 3, 0, 0, INT32_MAX, "basis points, an INTEGER ≥ 0", &rate);
    if (rc == 0)
        rc = col_fen(d, AT, 4, 0, &v->pool);
    v->rate_bp = (vipa_bp)rate;
    return rc;
}

static int read_payment(db *d, const kind *k, cursor *c, void *record)
{
    vipa_payment *p = record;
    (void)k;
    int rc = col_id(d, AT, 1, 0, &p->linkage);
    if (rc == 0)
        rc = col_id(d, AT, 2, 0, &p->entity);
    if (rc == 0)
        rc = col_id(d, AT, 3, 0, &p->household);
    if (rc == 0)
        rc = col_year(d, AT, 4, 1, &p->year);
    if (rc == 0)
        rc = col_fen(d, AT, 5, 1, &p->amount);
    if (rc == 0)
        rc = col_date(d, AT, 6, 1, &p->date);
    if (rc == 0 && (p->entity == 0) != (p->household == 0)) {
        char at[160];
        return fail(d, CLI_EXIT_INPUT, "%s: a dividend payment needs both dividend_entity and "
                    "dividend_household", row_name(at, sizeof at, &c->at));
    }
    return rc;
}

static int read_income(db *d, const kind *k, cursor *c, void *record)
{
    vipa_income *in = record;
    (void)k;
    int rc = col_id(d, AT, 1, 1, &in->household);
    if (rc == 0)
        rc = col_year(d, AT, 2, 1, &in->year);
    if (rc == 0)
        rc = col_fen(d, AT, 3, 1, &in->other);
    return rc;
}

static int read_evaluation(db *d, const kind *k, cursor *c, void *record)
{
    vipa_evaluation *e = record;
    (void)k;
    int rc = col_year(d, AT, 1, 1, &e->year);
    if (rc == 0)
        rc = col_date(d, AT, 2, 1, &e->date);
    if (rc == 0)
        rc = col_bool(d, AT, 3, 0, &e->recheck);
    return rc;
}

#undef AT

/* ---- the kinds, in the order records are loaded -------------------------------------------- */

#define BATCH(plural, type)                                                   \
    static int add_##plural(vipa_ctx *ctx, const void *records, size_t n)     \
    {                                                                         \
        return vipa_ctx_add_##plural(ctx, (const type *)records, n);          \
    }
BATCH(areas, vipa_area)
BATCH(entities, vipa_entity)
BATCH(households, vipa_household)
BATCH(assured, vipa_assured)
BATCH(agreements, vipa_agreement)
BATCH(plans, vipa_plan)
BATCH(linkages, vipa_linkage)
BATCH(injections, vipa_injection)
BATCH(contributions, vipa_contribution)
BATCH(transfers, vipa_transfer)
BATCH(dividends, vipa_dividend)
BATCH(payments, vipa_payment)
BATCH(incomes, vipa_income)
BATCH(evaluations, vipa_evaluation)
#undef BATCH

static int load_records(db *d)
{
    static const vipa_area area0 = VIPA_AREA_INIT;
    static const vipa_entity entity0 = VIPA_ENTITY_INIT;
    static const vipa_household household0 = VIPA_HOUSEHOLD_INIT;
    static const vipa_assured assured0 = VIPA_ASSURED_INIT;
    static const vipa_agreement agreement0 = VIPA_AGREEMENT_INIT;
    static const vipa_plan plan0 = VIPA_PLAN_INIT;
    static const vipa_linkage linkage0 = VIPA_LINKAGE_INIT;
    static const vipa_injection injection0 = VIPA_INJECTION_INIT;
    static const vipa_contribution contribution0 = VIPA_CONTRIBUTION_INIT;
    static const vipa_transfer transfer0 = VIPA_TRANSFER_INIT;
    static const vipa_dividend dividend0 = VIPA_DIVIDEND_INIT;
    static const vipa_payment payment0 = VIPA_PAYMENT_INIT;
    static const vipa_income income0 = VIPA_INCOME_INIT;
    static const vipa_evaluation evaluation0 = VIPA_EVALUATION_INIT;
    agreement_lists agreement_state;
    plan_lists plan_state;
    injection_lists injection_state;
    memset(&agreement_state, 0, sizeof agreement_state);
    memset(&plan_state, 0, sizeof plan_state);
    memset(&injection_state, 0, sizeof injection_state);
    agreement_state.ids.size = sizeof(vipa_id);
    agreement_state.texts.size = sizeof(const char *);
    plan_state.years.size = sizeof(int);
    plan_state.incomes.size = sizeof(vipa_fen);
    injection_state.ids.size = sizeof(vipa_id);
    injection_state.weights.size = sizeof(uint64_t);

    /* Areas by code put each county before its towns and each town before its
     * villages: a parent's code is its children's with zeros where theirs have digits. */
    const kind kinds[] = {
        {"areas", "code, name, level, industry", "code", sizeof area0, &area0, read_area,
         add_areas, NULL, NULL, NULL},
        {"entities",
         "id, name, kind, uscc, core_village, industry, well_managed, profitable, "
         "financially_strong, socially_responsible, trustworthy, wide_coverage, sustainable, "
         "willing",
         "id", sizeof entity0, &entity0, read_entity, add_entities, NULL, NULL, NULL},
        {"households", "id, village, members, labour, cause, willing, exited", "id",
         sizeof household0, &household0, read_household, add_households, NULL, NULL, NULL},
        {"household_guarantees",
         "household, year, food_clothing, education, medical, housing, water", "household, year",
         sizeof assured0, &assured0, read_guarantees, add_assured, NULL, NULL, NULL},
        {"agreements",
         "id, entity, household_count, support_count, start, \"end\", exit_deadline, signed, "
         "signer_level, signer_area, dividend_bp",
         "id", sizeof agreement0, &agreement0, read_agreement, add_agreements,
         open_agreement_lists, finish_agreement_lists, &agreement_state},
        {"plans", "household, agreement, exit_target, filed_county, filed_town, filed_village",
         "household, agreement", sizeof plan0, &plan0, read_plan, add_plans, open_plan_lists,
         finish_plan_lists, &plan_state},
        {"linkages",
         "id, kind, household, entity, agreement, from_year, to_year, annual, days, daily_wage, "
         "area_cmu, rent_per_mu",
         "id", sizeof linkage0, &linkage0, read_linkage, add_linkages, NULL, NULL, NULL},
        {"injections", "id, entity, agreement, date, amount, allocation", "id",
         sizeof injection0, &injection0, read_injection, add_injections, open_injection_lists,
         finish_injection_lists, &injection_state},
        {"contributions", "household, entity, agreement, kind, value, date", "rowid",
         sizeof contribution0, &contribution0, read_contribution, add_contributions, NULL, NULL,
         NULL},
        {"transfers",
         "entity, from_household, from_collective, from_entity, to_household, to_collective, "
         "to_entity, amount, date",
         "seq", sizeof transfer0, &transfer0, read_transfer, add_transfers, NULL, NULL, NULL},
        {"dividends", "entity, year, rate_bp, pool", "entity, year", sizeof dividend0, &dividend0,
         read_dividend, add_dividends, NULL, NULL, NULL},
        {"payments", "linkage, dividend_entity, dividend_household, year, amount, date", "rowid",
         sizeof payment0, &payment0, read_payment, add_payments, NULL, NULL, NULL},
        {"incomes", "household, year, other", "household, year", sizeof income0, &income0,
         read_income, add_incomes, NULL, NULL, NULL},
        /* A year's plain evaluation before its re-check, as 四(五) holds them. */
        {"evaluations", "year, date, recheck", "year, recheck, date", sizeof evaluation0,
         &evaluation0, read_evaluation, add_evaluations, NULL, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        int rc = load_kind(d, &kinds[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}

/* ---- the profile and as_of ------------------------------------------------------------------ */

static int set_parameter(db *d, cursor *c)
{
    const char *key = NULL;
    int rc = col_form(d, &c->at, c->st, 1, 1, "TEXT, a parameter's name", &key);
    if (rc != 0)
        return rc;
    char name[64];
    snprintf(name, sizeof name, "%s", key);
    vipa_param_type type = strncmp(name, "poverty_line", 12) == 0
                               ? VIPA_PARAM_NONE
                               : vipa_param_type_of(d->ctx, name);
    int64_t v = 0;
    const char *word = NULL;
    int st = VIPA_OK;
    if (type == VIPA_PARAM_INT && (rc = col_int(d, &c->at, c->st, 2, 1, INT64_MIN, INT64_MAX,
                                                 "an INTEGER", &v)) == 0)
        st = vipa_param_set_int(d->ctx, name, v);
    else if (type == VIPA_PARAM_BOOL &&
             (rc = col_int(d, &c->at, c->st, 2, 1, 0, 1, "a boolean, the INTEGER 0 or 1", &v)) == 0)
        st = vipa_param_set_bool(d->ctx, name, (int)v);
    else if (type == VIPA_PARAM_TEXT &&
             (rc = col_form(d, &c->at, c->st, 2, 1, "TEXT, a word", &word)) == 0)
        st = vipa_param_set_text(d->ctx, name, word);
    else if (type != VIPA_PARAM_INT && type != VIPA_PARAM_BOOL && type != VIPA_PARAM_TEXT)
        return fail_value(d, &c->at, c->st, 1, "one of 'equity.poor_share_bp', "
                          "'equity.allocation', 'equity.remainder_holder', "
                          "'exit.require_guarantees' (poverty lines are in poverty_lines)");
    if (rc != 0)
        return rc;
    if (st != VIPA_OK) {
        char at[160];
        return fail(d, cli_exit_for_status(st), "%s: %s", row_name(at, sizeof at, &c->at),
                    vipa_ctx_errmsg(d->ctx));
    }
    return 0;
}

static int set_line(db *d, cursor *c)
{
    int year = 0;
    vipa_fen line = 0;
    int rc = col_year(d, &c->at, c->st, 1, 1, &year);
    if (rc == 0)
        rc = col_fen(d, &c->at, c->st, 2, 1, &line);
    if (rc != 0)
        return rc;
    char key[32];
    snprintf(key, sizeof key, "poverty_line.%d", year);
    int st = vipa_param_set_fen(d->ctx, key, line);
    if (st != VIPA_OK) {
        char at[160];
        return fail(d, cli_exit_for_status(st), "%s: %s", row_name(at, sizeof at, &c->at),
                    vipa_ctx_errmsg(d->ctx));
    }
    return 0;
}

/* Every row of a small table through @p fn. */
static int each_row(db *d, const char *table, const char *columns, const char *order,
                    int (*fn)(db *d, cursor *c))
{
    cursor c;
    int rc = cursor_open(d, &c, table, columns, order);
    while (rc == 0 && (rc = cursor_step(d, &c)) == 0 && c.has_row)
        rc = fn(d, &c);
    if (c.st != NULL)
        cursor_close(&c);
    return rc;
}

/* The one row of `scenario`: the format, the profile it is written for, as_of. */
static int load_scenario_row(db *d, vipa_date *as_of)
{
    cursor c;
    int rc = cursor_open(d, &c, "scenario", "vipa, as_of, profile", "rowid");
    if (rc == 0)
        rc = cursor_step(d, &c);
    if (rc == 0 && !c.has_row)
        rc = fail(d, CLI_EXIT_INPUT, "table scenario is empty; expected one row, with vipa 1");
    int64_t version = 0;
    const char *profile = NULL;
    if (rc == 0)
        rc = col_int(d, &c.at, c.st, 1, 1, INT64_MIN, INT64_MAX, "the format version, 1",
                     &version);
    if (rc == 0 && version != 1) {
        char at[160];
        rc = fail(d, CLI_EXIT_INPUT, "%s: vipa is %lld; expected the format version 1",
                  row_name(at, sizeof at, &c.at), (long long)version);
    }
    if (rc == 0)
        rc = col_date(d, &c.at, c.st, 2, 0, as_of);
    if (rc == 0)
        rc = col_form(d, &c.at, c.st, 3, 0, "TEXT, a profile's name", &profile);
    if (rc == 0 && profile != NULL && strcmp(profile, vipa_profile_name(d->ctx)) != 0) {
        char at[160];
        rc = fail(d, CLI_EXIT_INPUT, "%s: profile is '%.64s'; expected '%s', the profile of the "
                  "context", row_name(at, sizeof at, &c.at), profile, vipa_profile_name(d->ctx));
    }
    if (rc == 0 && (rc = cursor_step(d, &c)) == 0 && c.has_row)
        rc = fail(d, CLI_EXIT_INPUT, "table scenario has more than one row; expected one");
    if (c.st != NULL)
        cursor_close(&c);
    return rc;
}

/* The profile's parameters and as_of, in the JSON loader's order: profile, then as_of. */
static int load_top(db *d)
{
    vipa_date as_of = 0;
    int rc = load_scenario_row(d, &as_of);
    if (rc == 0)
        rc = each_row(d, "parameters", "key, value", "key", set_parameter);
    if (rc == 0)
        rc = each_row(d, "poverty_lines", "year, line", "year", set_line);
    if (rc == 0 && as_of != 0) {
        int st = vipa_ctx_set_as_of(d->ctx, as_of);
        if (st != VIPA_OK)
            rc = fail(d, cli_exit_for_status(st), "as_of: %s", vipa_ctx_errmsg(d->ctx));
    }
    return rc;
}

/* ---- opening ------------------------------------------------------------------------------ */

/* Only a regular file is looked at: reading the head of a FIFO or a terminal would take
 * the bytes from whoever reads them next. */
int cli_db_is_sqlite(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return 0;
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return n == sizeof head && memcmp(head, magic, sizeof head) == 0;
}

/* Opens @p path read-only (a read-only file or directory is fine: nothing is written),
 * and takes one read transaction, so every cursor sees the same snapshot. */
static int open_db(db *d)
{
    int st = sqlite3_open_v2(d->path, &d->db, SQLITE_OPEN_READONLY, NULL);
    if (st != SQLITE_OK) {
        int rc = d->db != NULL ? fail_sqlite(d, "cannot open")
                               : fail(d, CLI_EXIT_INTERNAL, "cannot open: %s", sqlite3_errstr(st));
        return rc;
    }
    sqlite3_busy_timeout(d->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(d->db, 0);
    if (sqlite3_exec(d->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return fail_sqlite(d, "cannot read");
    /* Reading the schema once here tells "not a database" before any table is named. */
    if (sqlite3_exec(d->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
        return fail_sqlite(d, "cannot read");
    return 0;
}

int cli_db_load(vipa_ctx *ctx, const char *path)
{
    db d;
    memset(&d, 0, sizeof d);
    d.path = path;
    d.ctx = ctx;
    int rc = open_db(&d);
    if (rc == 0)
        rc = load_top(&d);
    if (rc == 0)
        rc = load_records(&d);
    if (d.db != NULL) {
        sqlite3_exec(d.db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close(d.db);
    }
    arena_reset(&d.chunk);
    return rc == 0 ? CLI_EXIT_OK : rc;
}

/* ---- names, for the tables of --format xlsx|csv and the HTML report ------------------------ */

/* The text of column @p col, NULL when it holds none. */
static const char *text_column(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_TEXT ? (const char *)sqlite3_column_text(st, col)
                                                       : NULL;
}

/* A positive integer of column @p col, 0 otherwise. */
static uint64_t id_column(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_INTEGER && sqlite3_column_int64(st, col) > 0
               ? (uint64_t)sqlite3_column_int64(st, col)
               : 0;
}

static uint64_t code_column(sqlite3_stmt *st, int col)
{
    vipa_area_code code = 0;
    const char *t = text_column(st, col);
    return t != NULL && vipa_area_code_parse(&code, t) == VIPA_OK ? code : 0;
}

/* Runs @p sql, handing each row to @p add; a query that fails gives no rows. */
static int each_name_row(sqlite3 *db, const char *sql, report_names *names,
                         int (*add)(report_names *, sqlite3_stmt *))
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return 0;
    int rc = 0;
    while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
        rc = add(names, st);
    sqlite3_finalize(st);
    return rc;
}

static int add_area_name(report_names *names, sqlite3_stmt *st)
{
    return report_names_add_area(names, code_column(st, 0), text_column(st, 1));
}

static int add_entity_name(report_names *names, sqlite3_stmt *st)
{
    return report_names_add_entity(names, id_column(st, 0), code_column(st, 3), text_column(st, 1),
                                   text_column(st, 2), text_column(st, 4));
}

static int add_household_village(report_names *names, sqlite3_stmt *st)
{
    return report_names_add_household(names, id_column(st, 0), code_column(st, 1));
}

static int add_linkage_agreement(report_names *names, sqlite3_stmt *st)
{
    return report_names_add_linkage(names, id_column(st, 0), id_column(st, 1));
}

static int add_agreement_entity(report_names *names, sqlite3_stmt *st)
{
    return report_names_add_agreement(names, id_column(st, 0), id_column(st, 1));
}

static int add_agreement_household(report_names *names, sqlite3_stmt *st)
{
    return report_names_add_listing(names, id_column(st, 0), id_column(st, 1));
}

int cli_db_read_names(report_names *names, const char *path)
{
    sqlite3 *db = NULL;
    memset(names, 0, sizeof *names);
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return 0;
    }
    sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
    /* In key order: the lists are looked up by binary search. */
    int rc = each_name_row(db, "SELECT code, name FROM areas ORDER BY code", names,
                           add_area_name);
    if (rc == 0)
        rc = each_name_row(db, "SELECT id, name, kind, core_village, industry FROM entities "
                           "ORDER BY id", names, add_entity_name);
    if (rc == 0)
        rc = each_name_row(db, "SELECT id, village FROM households ORDER BY id", names,
                           add_household_village);
    if (rc == 0)
        rc = each_name_row(db, "SELECT id, agreement FROM linkages ORDER BY id", names,
                           add_linkage_agreement);
    if (rc == 0)
        rc = each_name_row(db, "SELECT id, entity FROM agreements ORDER BY id", names,
                           add_agreement_entity);
    if (rc == 0)
        rc = each_name_row(db, "SELECT household, agreement FROM agreement_households "
                           "ORDER BY household, agreement", names, add_agreement_household);
    sqlite3_close(db);
    if (rc != 0)
        report_names_free(names);
    return rc;
}
