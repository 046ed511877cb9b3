/* The tables of tables.c written for spreadsheets (`vipa run --format xlsx|csv`):
 *  - xlsx: one workbook, a sheet per table, made by libxlsxwriter; the header row in
 *    bold and frozen, an autofilter over the table, columns as wide as their text
 *    (East Asian characters count two), money as numbers with the format 0.00, dates as
 *    dates with the format yyyy-mm-dd;
 *  - csv: one UTF-8 file per table with a byte order mark (Excel and WPS then read it as
 *    UTF-8), RFC 4180: CRLF line ends, a field quoted when it holds a comma, a quote or
 *    a line end, quotes doubled; money as exact decimal text made from integer fen.
 * Either is written by the rules of -o (output.c): whole or not at all. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "cli.h"

/* Money up to this many fen is written as a number: f / 100.0 then keeps the fen exactly
 * (round(v * 100) == f, and 15 significant digits show it as it is, as Excel displays
 * them); larger amounts are written as text, never rounded. */
#define MONEY_AS_NUMBER_MAX 999999999999999LL /* 15 digits: 9,999,999,999,999.99 yuan */

/* Ids and counts up to 2^53 are numbers a double holds exactly; larger ones are text. */
#define NUMBER_AS_DOUBLE_MAX ((uint64_t)1 << 53)

/* Columns no wider than this (Excel's units: a Latin character), whatever their text. */
#define WIDTH_MAX 60

#define NUM_SIZE 24

/* ---- cells as text (CSV, and the width of an xlsx column) ----------------------------- */

/* The text of a number, money or date cell, into @p buf; NULL for text and empty cells. */
static const char *plain_text(char *buf, size_t size, const cli_cell *c)
{
    switch (c->kind) {
    case CLI_CELL_NUMBER:
        snprintf(buf, size, "%llu", (unsigned long long)c->number);
        return buf;
    case CLI_CELL_MONEY:
        return vipa_fen_format(buf, size, c->fen) == VIPA_OK ? buf : "?";
    case CLI_CELL_DATE:
        return vipa_date_format(buf, size, c->date) == VIPA_OK ? buf : "?";
    case CLI_CELL_INTEGER:
        snprintf(buf, size, "%lld", (long long)c->fen);
        return buf;
    default:
        return NULL;
    }
}

static const char *cell_text(char *buf, size_t size, const cli_cell *c)
{
    if (c->kind == CLI_CELL_TEXT)
        return c->text;
    const char *t = plain_text(buf, size, c);
    return t == NULL ? "" : t;
}

/* The tables a source asks for: the report's unless it names others. */
static const cli_sheet *sheets_of(const cli_tables_src *src, size_t *count)
{
    *count = src->sheets ? src->sheet_count : cli_sheet_count;
    return src->sheets ? src->sheets : cli_sheets;
}

/* ---- xlsx ---------------------------------------------------------------------------- */

struct xlsx {
    lxw_workbook *wb;
    lxw_format *head, *money, *date;
    const cli_tables_src *src;
    const cli_sheet *sheet;
    lxw_worksheet *ws;
    lxw_row_t row;   /* the next row of ws */
    unsigned part;   /* 1, or 2... for the sheets a table continues on past Excel's rows */
    size_t *width;   /* per column, of the part being written */
    lxw_error error; /* the first failure */
};

/* The sheet's columns as wide as their widest text, then a filter over the table. */
static void finish_part(struct xlsx *x)
{
    for (size_t c = 0; c < x->sheet->ncols; c++) {
        size_t w = x->width[c] < WIDTH_MAX ? x->width[c] : WIDTH_MAX;
        worksheet_set_column(x->ws, (lxw_col_t)c, (lxw_col_t)c, (double)w + 2, NULL);
    }
    worksheet_autofilter(x->ws, 0, 0, x->row > 1 ? x->row - 1 : 0,
                         (lxw_col_t)(x->sheet->ncols - 1));
}

static void widen(struct xlsx *x, size_t c, const char *text)
{
    size_t w = cli_display_width(text);
    if (w > x->width[c])
        x->width[c] = w;
}

/* A new sheet for the table (or the next part of it): the header row, frozen. */
static int open_part(struct xlsx *x)
{
    const cli_sheet *sh = x->sheet;
    char name[64];
    if (x->part == 1)
        snprintf(name, sizeof name, "%s", x->src->en ? sh->en : sh->zh);
    else
        snprintf(name, sizeof name, "%s (%u)", x->src->en ? sh->en : sh->zh, x->part);
    x->ws = workbook_add_worksheet(x->wb, name);
    if (x->ws == NULL)
        return (x->error = LXW_ERROR_MEMORY_MALLOC_FAILED), -1;
    for (size_t c = 0; c < sh->ncols; c++) {
        const char *head = x->src->en ? sh->cols[c].en : sh->cols[c].zh;
        x->width[c] = 0;
        widen(x, c, head);
        lxw_error e = worksheet_write_string(x->ws, 0, (lxw_col_t)c, head, x->head);
        if (e != LXW_NO_ERROR)
            return (x->error = e), -1;
    }
    worksheet_freeze_panes(x->ws, 1, 0);
    x->row = 1;
    return 0;
}

static lxw_error write_cell(struct xlsx *x, lxw_col_t col, const cli_cell *c)
{
    char buf[VIPA_FEN_FORMAT_SIZE > NUM_SIZE ? VIPA_FEN_FORMAT_SIZE : NUM_SIZE];
    const char *shown = cell_text(buf, sizeof buf, c);
    widen(x, col, shown);
    switch (c->kind) {
    case CLI_CELL_NUMBER:
        if (c->number <= NUMBER_AS_DOUBLE_MAX)
            return worksheet_write_number(x->ws, x->row, col, (double)c->number, NULL);
        return worksheet_write_string(x->ws, x->row, col, shown, NULL);
    case CLI_CELL_MONEY:
        if (c->fen >= -MONEY_AS_NUMBER_MAX && c->fen <= MONEY_AS_NUMBER_MAX)
            return worksheet_write_number(x->ws, x->row, col, (double)c->fen / 100.0, x->money);
        return worksheet_write_string(x->ws, x->row, col, shown, NULL);
    case CLI_CELL_DATE: {
        int y = 0, m = 0, d = 0;
        if (sscanf(shown, "%d-%d-%d", &y, &m, &d) != 3)
            return worksheet_write_string(x->ws, x->row, col, shown, NULL);
        lxw_datetime dt = {y, m, d, 0, 0, 0};
        return worksheet_write_datetime(x->ws, x->row, col, &dt, x->date);
    }
    case CLI_CELL_TEXT:
        return worksheet_write_string(x->ws, x->row, col, c->text, NULL);
    case CLI_CELL_INTEGER:
        if (c->fen >= -(vipa_fen)NUMBER_AS_DOUBLE_MAX && c->fen <= (vipa_fen)NUMBER_AS_DOUBLE_MAX)
            return worksheet_write_number(x->ws, x->row, col, (double)c->fen, NULL);
        return worksheet_write_string(x->ws, x->row, col, shown, NULL);
    default:
        return LXW_NO_ERROR; /* an empty cell is no cell */
    }
}

static int xlsx_row(void *sink, const cli_cell *cells)
{
    struct xlsx *x = sink;
    if (x->row == LXW_ROW_MAX) { /* Excel's last row: the table goes on in a new sheet */
        finish_part(x);
        x->part++;
        if (open_part(x) != 0)
            return -1;
    }
    for (size_t c = 0; c < x->sheet->ncols; c++) {
        lxw_error e = write_cell(x, (lxw_col_t)c, &cells[c]);
        if (e != LXW_NO_ERROR)
            return (x->error = e), -1;
    }
    x->row++;
    return 0;
}

static int xlsx_formats(struct xlsx *x)
{
    x->head = workbook_add_format(x->wb);
    x->money = workbook_add_format(x->wb);
    x->date = workbook_add_format(x->wb);
    if (x->head == NULL || x->money == NULL || x->date == NULL)
        return (x->error = LXW_ERROR_MEMORY_MALLOC_FAILED), -1;
    format_set_bold(x->head);
    format_set_num_format(x->money, "0.00");
    format_set_num_format(x->date, "yyyy-mm-dd");
    return 0;
}

/* The workbook's creation time is now, as libxlsxwriter has it, or SOURCE_DATE_EPOCH
 * (the reproducible-builds convention) when that is set: the same run then gives the
 * same bytes, as the report JSON does. */
static int xlsx_created(struct xlsx *x)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch == NULL || epoch[0] == '\0' || strspn(epoch, "0123456789") != strlen(epoch) ||
        strlen(epoch) > 12)
        return 0;
    lxw_doc_properties props;
    memset(&props, 0, sizeof props);
    props.created = (time_t)strtoll(epoch, NULL, 10);
    lxw_error e = workbook_set_properties(x->wb, &props);
    return e == LXW_NO_ERROR ? 0 : ((x->error = e), -1);
}

/* Every table into the workbook; returns 0, or -1 with x->error set (out of memory
 * when a table's rows could not be made). */
static int xlsx_tables(struct xlsx *x)
{
    if (xlsx_formats(x) != 0 || xlsx_created(x) != 0)
        return -1;
    size_t count;
    const cli_sheet *sheets = sheets_of(x->src, &count);
    for (size_t i = 0; i < count; i++) {
        int nomem = 0;
        x->sheet = &sheets[i];
        x->part = 1;
        if (open_part(x) != 0)
            return -1;
        if (x->sheet->rows(x->src, xlsx_row, x, &nomem) != 0) {
            if (nomem)
                x->error = LXW_ERROR_MEMORY_MALLOC_FAILED;
            return -1;
        }
        finish_part(x);
    }
    return 0;
}

/* The message for a failure of libxlsxwriter while making the workbook for @p out. */
static int xlsx_failed(const char *out, lxw_error e)
{
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED) {
        fprintf(stderr, "vipa: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    cli_errorf("vipa: cannot write %s: making the workbook (libxlsxwriter): %s\n", out,
               lxw_strerror(e));
    /* A cell Excel cannot hold (a text of more than 32767 characters) is the input's. */
    return e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED ? CLI_EXIT_INPUT : CLI_EXIT_INTERNAL;
}

/* A temporary file for the workbook, and the path libxlsxwriter (which writes to a path)
 * reaches it by: its own /proc/self/fd link, so that no name of it is ever left behind;
 * where /proc is missing, a named file in the temporary directory, which the caller
 * removes as soon as the workbook is in it (*named is then set). NULL after saying why. */
static FILE *workbook_file(char *path, size_t size, char **named, const char *out)
{
    *named = NULL;
    FILE *f = tmpfile();
    if (f != NULL) {
        snprintf(path, size, "/proc/self/fd/%d", fileno(f));
        if (access(path, W_OK) == 0)
            return f;
        fclose(f);
    }
    const char *dir = getenv("TMPDIR");
    *named = cli_strdupf("%s/vipa-xlsx.XXXXXX", dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    int fd = *named == NULL ? (errno = ENOMEM, -1) : mkstemp(*named);
    f = fd < 0 ? NULL : fdopen(fd, "rb");
    if (f == NULL) {
        cli_errorf("vipa: cannot write %s: cannot create a temporary file: %s\n", out,
                   strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(*named);
        }
        free(*named);
        *named = NULL;
        return NULL;
    }
    snprintf(path, size, "%s", *named);
    return f;
}

/* Makes the workbook at @p path (a temporary file). */
static int make_workbook(const char *path, const char *out, const cli_tables_src *src)
{
    lxw_workbook_options options = {LXW_TRUE, NULL, LXW_FALSE}; /* constant memory */
    struct xlsx x = {0};
    x.src = src;
    size_t widths = 1;
    size_t count;
    const cli_sheet *sheets = sheets_of(src, &count);
    for (size_t i = 0; i < count; i++)
        widths = sheets[i].ncols > widths ? sheets[i].ncols : widths;
    x.width = calloc(widths, sizeof *x.width);
    x.wb = x.width == NULL ? NULL : workbook_new_opt(path, &options);
    x.error = x.wb == NULL ? LXW_ERROR_MEMORY_MALLOC_FAILED : LXW_NO_ERROR;
    if (x.wb != NULL)
        (void)xlsx_tables(&x);
    /* Closing also frees the workbook, after a failure too. */
    lxw_error closed = x.wb != NULL ? workbook_close(x.wb) : LXW_NO_ERROR;
    free(x.width);
    lxw_error e = x.error != LXW_NO_ERROR ? x.error : closed;
    return e == LXW_NO_ERROR ? CLI_EXIT_OK : xlsx_failed(out, e);
}

/* The finished workbook's bytes, from its temporary file, as a producer. */
static int produce_file(void *state, cli_put_fn put, void *sink)
{
    FILE *f = state;
    char buf[1 << 16];
    size_t n;
    rewind(f);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (put(sink, buf, n) != 0)
            return CLI_PUT_FAILED;
    if (ferror(f)) {
        fprintf(stderr, "vipa: cannot read the workbook back from its temporary file: %s\n",
                strerror(errno));
        return CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

int cli_export_xlsx(const char *out, const cli_tables_src *src)
{
    char path[4096];
    char *named = NULL;
    const char *shown = out != NULL ? out : "standard output";
    FILE *f = workbook_file(path, sizeof path, &named, shown);
    if (f == NULL)
        return CLI_EXIT_INTERNAL;
    int rc = make_workbook(path, shown, src);
    if (named != NULL)
        unlink(named); /* the open file stays readable */
    free(named);
    if (rc == CLI_EXIT_OK) {
        cli_producer p = {produce_file, f};
        rc = out != NULL ? cli_write_output_from(out, &p) : cli_write_stdout_from(&p);
    }
    fclose(f);
    return rc;
}

/* ---- csv ------------------------------------------------------------------------------- */

struct csv {
    cli_put_fn put;
    void *sink;
    size_t ncols;
    char *line; /* the row being made */
    size_t len, cap;
    int nomem;
    int put_failed;
};

static void csv_add(struct csv *c, const char *bytes, size_t n)
{
    if (c->nomem)
        return;
    if (c->len + n > c->cap) {
        size_t cap = (c->len + n) * 2 + 256;
        char *p = realloc(c->line, cap);
        if (p == NULL) {
            c->nomem = 1;
            return;
        }
        c->line = p;
        c->cap = cap;
    }
    memcpy(c->line + c->len, bytes, n);
    c->len += n;
}

/* One field, quoted when it holds a comma, a quote or a line end (RFC 4180). */
static void csv_field(struct csv *c, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        csv_add(c, text, strlen(text));
        return;
    }
    csv_add(c, "\"", 1);
    for (const char *p = text; *p != '\0';) {
        size_t n = strcspn(p, "\"");
        csv_add(c, p, n);
        p += n;
        if (*p == '"') {
            csv_add(c, "\"\"", 2);
            p++;
        }
    }
    csv_add(c, "\"", 1);
}

static int csv_line_out(struct csv *c)
{
    csv_add(c, "\r\n", 2);
    if (c->nomem)
        return -1;
    int rc = c->put(c->sink, c->line, c->len);
    c->len = 0;
    if (rc != 0)
        c->put_failed = 1;
    return rc;
}

static int csv_row(void *sink, const cli_cell *cells)
{
    struct csv *c = sink;
    for (size_t i = 0; i < c->ncols; i++) {
        char buf[VIPA_FEN_FORMAT_SIZE > NUM_SIZE ? VIPA_FEN_FORMAT_SIZE : NUM_SIZE];
        if (i > 0)
            csv_add(c, ",", 1);
        csv_field(c, cell_text(buf, sizeof buf, &cells[i]));
    }
    return csv_line_out(c);
}

struct csv_job {
    const cli_sheet *sheet;
    const cli_tables_src *src;
};

/* One table as a CSV file: the byte order mark, the header row, the rows. */
static int produce_csv(void *state, cli_put_fn put, void *sink)
{
    const struct csv_job *job = state;
    const cli_sheet *sh = job->sheet;
    struct csv c = {put, sink, sh->ncols, NULL, 0, 0, 0, 0};
    csv_add(&c, "\xEF\xBB\xBF", 3);
    for (size_t i = 0; i < sh->ncols; i++) {
        if (i > 0)
            csv_add(&c, ",", 1);
        csv_field(&c, job->src->en ? sh->cols[i].en : sh->cols[i].zh);
    }
    int stopped = csv_line_out(&c) != 0;
    if (!stopped)
        stopped = sh->rows(job->src, csv_row, &c, &c.nomem) != 0;
    free(c.line);
    if (stopped && c.put_failed)
        return CLI_PUT_FAILED;
    if (stopped) {
        fprintf(stderr, "vipa: out of memory\n");
        return CLI_EXIT_INTERNAL;
    }
    return CLI_EXIT_OK;
}

int cli_export_csv(const char *dir, const cli_tables_src *src)
{
    int made;
    int rc = cli_output_dir(dir, "--format csv writes one file per table into the directory -o names",
                            &made);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t len = strlen(dir);
    const char *sep = len > 0 && dir[len - 1] == '/' ? "" : "/";
    size_t done = 0, count;
    const cli_sheet *sheets = sheets_of(src, &count);
    for (; done < count && rc == CLI_EXIT_OK; done++) {
        char *path = cli_strdupf("%s%s%s", dir, sep, sheets[done].file);
        struct csv_job job = {&sheets[done], src};
        cli_producer p = {produce_csv, &job};
        rc = path == NULL ? (fprintf(stderr, "vipa: out of memory\n"), CLI_EXIT_INTERNAL)
                          : cli_write_output_from(path, &p);
        free(path);
    }
    if (rc != CLI_EXIT_OK && made) {
        /* The directory is ours: nothing of a failed export stays. */
        for (size_t i = 0; i < done; i++) {
            char *path = cli_strdupf("%s%s%s", dir, sep, sheets[i].file);
            if (path != NULL)
                unlink(path);
            free(path);
        }
        rmdir(dir);
    }
    return rc;
}
